"""The ``gov-disclosure`` command line.

::

    gov-disclosure parse reports/ -f csv -o cells.csv
    gov-disclosure validate reports/

See ``docs/cli.md``.  For code, :func:`gov_disclosure.batch.parse_many` is the
same batch engine: many files, in parallel, in order, streaming, failures
reported rather than raised.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections import Counter
from typing import Any, NoReturn, Optional, Sequence, TextIO

from . import __version__
from .batch import (
    MAX_BYTES,
    READ_ERROR_KINDS,
    REPORT_EXTENSIONS,
    BatchSummary,
    Outcome,
    Progress,
    _isatty,
    batch_parse,
    batch_validate,
    default_jobs,
    scan_reports,
)
from .errors import MissingExtraError
from .output import OUTPUT_FORMATS, OutputError, PartialOutput, Writer, display_source, format_for_path, open_writer

__all__ = ["main", "build_parser"]

PROG = "gov-disclosure"

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad command-line input (exit status 2)."""


# --- the command line ------------------------------------------------------------------------

EPILOG = """\
examples:
  gov-disclosure parse report.txt                     one report as JSON on stdout
  gov-disclosure parse reports/ -f csv -o cells.csv   every report under reports/, one row per cell
  gov-disclosure parse reports/ -o cells.parquet      format from the file name
  gov-disclosure parse a.pdf b.docx c.html -f jsonl   one JSON object per cell per line
  gov-disclosure validate reports/                    file:line: code message, exit 1 on errors
  gov-disclosure validate --jobs 1 --fail-fast r.txt  stop at the first unreadable file
  python -m gov_disclosure --version

Directories are searched recursively for %(exts)s files.
A file that is not a regular file (a FIFO, a device), larger than --max-bytes
(default %(max)s), a folder that cannot be listed or a symbolic link loop is one
'file:1: read-error message' line; the batch goes on.  -o FILE is written as
FILE.partial and renamed when the batch is complete; an interrupted batch keeps
FILE.partial and continues with --resume.  File names that are not UTF-8 are
written with \\xNN escapes.
Inside a file, the limits of gov_disclosure.limits refuse decompression bombs and
absurd input (text over 2,000,000 characters, DOCX over 50 MB unpacked, PDF over
100 pages or 100 MB of streams, HTML tables over 200,000 grid slots or nested over
500 deep) as a parse-error with code input.too_large; see docs/formats.md.
Exit status: 0 all good; 1 a file could not be read, or (validate) a report has an
error, or the output could not be written; 2 usage error (bad option, missing path,
no report files found); 130 interrupted.
"""


def _size(text: str) -> int:
    """``50M``, ``100k``, ``2G`` or a number of bytes; 0 means no limit."""
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    t = text.strip().lower().removesuffix("b").removesuffix("i")
    factor = units.get(t[-1:], 1)
    if factor != 1:
        t = t[:-1]
    try:
        value = int(float(t) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid size: {text!r} (use e.g. 50M, 200k or 0 for no limit)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--max-bytes cannot be negative: {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of jobs: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"--jobs must be at least 1, not {value}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}\n{self.format_usage().rstrip()}")


def _fill(text: str) -> str:
    return textwrap.fill(text, 78)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``gov-disclosure``."""
    epilog = EPILOG % {"exts": ", ".join(REPORT_EXTENSIONS), "max": f"{MAX_BYTES // 1024**2}M"}
    fmt = argparse.RawDescriptionHelpFormatter
    common = _Parser(add_help=False)
    common.add_argument(
        "paths", nargs="+", metavar="FILE_OR_DIR", help="report files, or directories to search recursively"
    )
    common.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="parse with N processes (default: all %d cores)" % default_jobs(),
    )
    common.add_argument(
        "-e", "--edition", default="auto", metavar="NAME", help="template edition: auto (default), 2021 or 2019"
    )
    common.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary (failures still print)"
    )
    common.add_argument(
        "--max-bytes",
        type=_size,
        default=MAX_BYTES,
        metavar="SIZE",
        help="refuse input files larger than SIZE bytes (suffix k, M, G; default %dM; 0: no limit), "
        "without reading them" % (MAX_BYTES // 1024**2),
    )
    go = common.add_mutually_exclusive_group()
    go.add_argument(
        "--keep-going",
        dest="fail_fast",
        action="store_false",
        default=False,
        help="record a file that cannot be read and carry on (default)",
    )
    go.add_argument(
        "--fail-fast", dest="fail_fast", action="store_true", help="stop at the first file that cannot be read"
    )

    parser = _Parser(
        prog=PROG,
        description=textwrap.fill(
            "Read Chinese government information-disclosure annual reports "
            "(政府信息公开工作年度报告) into data, and check their arithmetic.",
            78,
        ),
        epilog=epilog,
        formatter_class=fmt,
    )
    parser.add_argument("-V", "--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    p = sub.add_parser(
        "parse",
        parents=[common],
        formatter_class=fmt,
        epilog=epilog,
        help="parse reports and write their cells as JSON, JSON Lines, CSV or Parquet",
        description=_fill(
            "Parse reports and write them out: json (a list of Report.to_json() objects, "
            "each with a 'source' key), or one row per cell in jsonl, csv or parquet (columns source, "
            "agency, year, edition, table, row, column, path, value, error). A file that cannot be "
            "read becomes a row with its source and error."
        ),
    )
    p.add_argument(
        "-f",
        "--format",
        choices=OUTPUT_FORMATS,
        default=None,
        help="output format (default: from -o's extension, else json)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        default=None,
        help="write to OUT instead of stdout (written as OUT.partial, renamed to OUT when the batch is complete)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue the interrupted batch whose output is OUT.partial: the files it lists as done are "
        "skipped, the rest appended (needs -o OUT)",
    )
    v = sub.add_parser(
        "validate",
        parents=[common],
        formatter_class=fmt,
        epilog=epilog,
        help="check reports; print file:line: code message for each issue",
        description=_fill(
            "Parse and validate reports. Prints each issue as 'file:line: code message' "
            "(warnings as 'file:line: code warning: message'); a file that cannot be read prints "
            "'file:line: parse-error message'. Exit status 1 if any error-severity issue or "
            "unreadable file, else 0."
        ),
    )
    v.add_argument("-W", "--no-warnings", dest="warnings", action="store_false", help="print errors only")
    return parser


def _report_summary(summary: BatchSummary, err: TextIO, *, quiet: bool, validate: bool) -> None:
    """The end of a batch on stderr: each failure (parse; validate printed them already), then counts."""
    if summary.failures and not validate:
        for source, line, kind, error in summary.failures:
            code = "read-error" if kind in READ_ERROR_KINDS else "parse-error"
            err.write(f"{display_source(source)}:{line or 1}: {code} {error}\n")
    for source, line, message in summary.partial:
        err.write(f"{display_source(source)}:{line or 1}: partial {message}\n")
    if quiet:
        return
    text = f"{PROG}: {summary.parsed} of {summary.total} files parsed"
    if summary.partial:
        text += f" ({len(summary.partial)} in part)"
    text += f", {len(summary.failures)} failed"
    if summary.failures:
        kinds = Counter(kind for _, _, kind, _ in summary.failures)
        text += " (" + ", ".join(f"{n} {kind}" for kind, n in kinds.most_common()) + ")"
    if validate:
        text += f"; {summary.errors} errors, {summary.warnings} warnings"
    text += f" in {summary.seconds:.2f} s"
    if summary.seconds >= 1:
        text += f" ({summary.total / summary.seconds:,.0f} files/s)"
    if summary.stopped:
        text += f"\n{PROG}: stopped at the first failure (--fail-fast)"
    err.write(text + "\n")


class _Interrupted(Exception):
    """Ctrl-C during a batch, after the partial output was put aside (the message says where)."""


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.edition != "auto":
        from . import editions

        if args.edition not in editions.available():
            raise UsageError(
                f"{PROG}: error: unknown edition {args.edition!r}; use auto or one of {', '.join(editions.available())}"
            )
    try:
        items: list[Any] = list(scan_reports(args.paths))
    except FileNotFoundError as exc:
        raise UsageError(f"{PROG}: error: no such file or directory: {display_source(exc.args[0])}") from None
    if not items:
        raise UsageError(
            f"{PROG}: error: no report files ({', '.join(REPORT_EXTENSIONS)}) found in "
            f"{' '.join(display_source(p) or '' for p in args.paths)}"
        )
    jobs = args.jobs or default_jobs()
    if jobs > 1 and len(items) < 16:  # a pool costs more than it saves on a handful of files
        jobs = 1
    if args.command == "parse":
        return _run_parse(args, items, jobs, out, err)

    show = not args.quiet and _isatty(err)
    progress = Progress(len(items), err, show)
    summary = batch_validate(
        items,
        out,
        jobs=jobs,
        edition=args.edition,
        fail_fast=args.fail_fast,
        progress=progress,
        warnings=args.warnings,
        max_bytes=args.max_bytes,
    )
    try:
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError("stdout", exc) from exc
    _report_summary(summary, err, quiet=args.quiet, validate=True)
    return EXIT_FAILED if summary.failures or summary.errors else EXIT_OK


def _source(item: Any) -> str:
    return display_source(item.source if isinstance(item, Outcome) else item) or ""


def _run_parse(args: argparse.Namespace, items: list[Any], jobs: int, out: TextIO, err: TextIO) -> int:
    fmt = args.format or format_for_path(args.output) or "json"
    partial: Optional[PartialOutput] = None
    if args.output is None or args.output == "-":
        if args.resume:
            raise UsageError(f"{PROG}: error: --resume needs -o OUT: the output of the batch to continue")
        if fmt == "parquet":
            if _isatty(out):
                raise UsageError(f"{PROG}: error: Parquet is binary; use -o FILE (or redirect stdout)")
            target: Any = out.buffer
        else:
            target = out
    elif PartialOutput.in_place(args.output):  # /dev/full, a FIFO, /dev/stdout: no renaming there
        if args.resume:
            raise UsageError(f"{PROG}: error: --resume needs -o OUT to be a regular file, not {args.output}")
        target = args.output
    else:
        partial = PartialOutput(args.output, fmt)
        leftover = partial.leftover()
        if leftover is not None and not args.resume:
            raise UsageError(
                f"{PROG}: error: {leftover} is left from an interrupted batch: add --resume to continue it, "
                "or delete it to start over"
            )
        target = args.output
    before = 0
    before_failed = 0
    try:
        if partial is not None:
            writer: Writer = partial.open(resume=args.resume)
            if partial.note:
                err.write(f"{PROG}: {partial.note}\n")
            if partial.done:
                before = len(partial.done)
                before_failed = sum(not ok for ok in partial.done.values())
                items = [item for item in items if _source(item) not in partial.done]
        else:
            writer = open_writer(fmt, target)
    except ValueError as exc:
        raise UsageError(f"{PROG}: error: {exc}") from None
    except BrokenPipeError:
        raise
    except OSError as exc:
        if args.output is None or args.output == "-":
            raise OutputError("stdout", exc) from None
        raise UsageError(f"{PROG}: error: cannot write {args.output}: {exc.strerror or exc}") from None
    if before and not args.quiet:
        err.write(
            f"{PROG}: resuming {partial.partial if partial else ''}: {before} files already done "
            f"({before_failed} failed), {len(items)} to go\n"
        )
    show = not args.quiet and _isatty(err) and not (target is out and _isatty(out))
    progress = Progress(len(items), err, show)
    written = (lambda o: partial.record(o.source, o.ok)) if partial is not None else None
    try:
        summary = batch_parse(
            items,
            writer,
            jobs=jobs,
            edition=args.edition,
            fail_fast=args.fail_fast,
            progress=progress,
            max_bytes=args.max_bytes,
            written=written,
        )
        if partial is not None:
            partial.commit()
        else:
            try:
                writer.close()
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise OutputError(writer.name, exc) from exc
    except BaseException as exc:
        # An interrupted batch never leaves a file that looks complete: the JSON
        # array is not closed, Parquet has no footer, -o OUT stays OUT.partial.
        kept = None
        if partial is not None:
            kept = partial.abandon()
        else:
            writer.abandon()
        if isinstance(exc, KeyboardInterrupt) and kept:
            raise _Interrupted(
                f"{PROG}: interrupted; the {partial.written + before if partial else 0} files done so far are in "
                f"{kept}: run the same command with --resume to finish"
            ) from None
        if isinstance(exc, OutputError) and kept:
            raise OutputError(exc.target, exc.error) from None
        raise
    _report_summary(summary, err, quiet=args.quiet, validate=False)
    return EXIT_FAILED if summary.failures or before_failed else EXIT_OK


def main(
    argv: Optional[Sequence[str]] = None, *, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None
) -> int:
    """Run ``gov-disclosure`` with ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    Data goes to ``stdout``, the progress bar, summary and errors to ``stderr``
    (default: ``sys.stdout``/``sys.stderr``).  0: success; 1: a file could not be
    read or (``validate``) a report has an error-severity issue; 2: usage error.
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    for stream in (out, err):
        if (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "") != "utf8" and hasattr(
            stream, "reconfigure"
        ):
            # data in UTF-8 whatever the locale; file names that are not UTF-8 are escaped (display_source)
            stream.reconfigure(encoding="utf-8", errors="strict" if stream is out else "backslashreplace")
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
        return _run(args, out, err)
    except UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_USAGE
    except MissingExtraError as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return EXIT_USAGE
    except _Interrupted as exc:
        err.write(f"\n{exc}\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        err.write(f"\n{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (``| head``): stop quietly and successfully, like other
        # Unix tools, without a traceback at exit
        _silence_stdout()
        return EXIT_OK
    except OutputError as exc:
        # disk full, /dev/full, an I/O error: one line, not a traceback
        if exc.target == "stdout":
            _silence_stdout()
        err.write(f"{PROG}: error: {exc}\n")
        return EXIT_FAILED


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
