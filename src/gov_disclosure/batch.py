"""The batch engine: many report files, in parallel, in order, streaming.

:func:`parse_many` is the public entry point for code; the ``gov-disclosure``
command line (:mod:`gov_disclosure.cli`) drives :func:`batch_parse` and
:func:`batch_validate`.  Failures are reported per file, never raised: one bad
file must not end a batch of thousands.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import time
from collections import deque
from typing import Any, Iterable, Iterator, NamedTuple, Optional, Sequence, TextIO

from .errors import ParseError
from .output import WRITERS, Writer

__all__ = [
    "REPORT_EXTENSIONS",
    "find_reports",
    "Outcome",
    "parse_many",
    "iter_outcomes",
    "BatchSummary",
    "batch_parse",
    "batch_validate",
    "Progress",
    "default_jobs",
    "located",
]

#: File extensions picked up when a directory is given (matched case-insensitively).
REPORT_EXTENSIONS: tuple[str, ...] = (".txt", ".htm", ".html", ".docx", ".pdf")


# --- finding files ----------------------------------------------------------------


def find_reports(paths: Iterable[str], extensions: Sequence[str] = REPORT_EXTENSIONS) -> Iterator[str]:
    """Every report file named by ``paths``, lazily, in a stable order.

    A file is yielded as given (whatever its extension: you named it); a
    directory is walked recursively and its files with one of ``extensions`` are
    yielded, sorted by path within each directory, subdirectories after files.
    Hidden files and directories (``.name``) are skipped.  Raises
    :class:`FileNotFoundError` for a path that does not exist.
    """
    exts = tuple(e.lower() for e in extensions)
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, exts)
        elif os.path.exists(path):
            yield path
        else:
            raise FileNotFoundError(path)


def _walk(top: str, exts: tuple[str, ...]) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    dirs = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            dirs.append(entry.path)
        elif entry.name.lower().endswith(exts):
            yield entry.path
    for d in dirs:
        yield from _walk(d, exts)


# --- the batch engine ----------------------------------------------------------------


class Outcome(NamedTuple):
    """What became of one input file.

    ``payload`` is what the task produced (a Report for ``"report"``, the encoded
    output for a format name, ``[(line, code, severity, message), ...]`` for
    ``"validate"``); on failure it is None and ``error`` (one line, without the
    location), ``line`` and ``kind`` (the exception class, e.g.
    ``UnknownEditionError``) say why.
    """

    source: str
    payload: Any = None
    error: Optional[str] = None
    line: Optional[int] = None
    kind: Optional[str] = None

    @property
    def ok(self) -> bool:
        """True when the file was read."""
        return self.error is None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _describe(exc: BaseException) -> tuple[str, Optional[int]]:
    """``(message, line)`` of an exception; the message is one line, without the location."""
    if isinstance(exc, ParseError):
        return _one_line(exc.message), exc.line
    return _one_line(f"{type(exc).__name__}: {exc}"), None


def located(error: str, line: Optional[int]) -> str:
    """``"line 12: message"`` (the error column of the outputs), or the message alone."""
    return f"line {line}: {error}" if line is not None else error


def _validate_payload(report: Any) -> list[tuple[int, str, str, str]]:
    from .validate import validate

    out = []
    locations = report.locations
    for issue in validate(report):
        line = issue.line
        if line is None:
            line = next((locations[p][0] for p in (issue.path, *issue.paths) if p in locations), None)
        out.append((line or 1, issue.code, issue.severity, _one_line(issue.message)))
    return out


def _work_one(task: str, edition: str, path: Any) -> Outcome:
    from .api import parse_file

    path = os.fspath(path)  # a Path is fine; sources are always strings
    try:
        report = parse_file(path, edition)
        if task == "report":
            payload: Any = report
        elif task == "validate":
            payload = _validate_payload(report)
        else:
            payload = WRITERS[task].encode(report, path)
    except KeyboardInterrupt:  # pragma: no cover
        raise
    except Exception as exc:  # keep going: one bad file must not end a batch of thousands
        message, line = _describe(exc)
        return Outcome(path, None, message, line, type(exc).__name__)
    return Outcome(path, payload)


def _work_chunk(args: tuple[str, str, list[str]]) -> list[Outcome]:
    task, edition, paths = args
    return [_work_one(task, edition, p) for p in paths]


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _warm_up() -> None:
    """Compile every edition's grammar once, so forked workers inherit it."""
    from . import editions

    for name in editions.available():
        try:
            editions.get(name).compile()
        except Exception:  # pragma: no cover - a broken user edition fails per file later
            pass


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _mp_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") and "fork" in methods else None)


def iter_outcomes(
    paths: Iterable[str],
    task: str = "report",
    *,
    jobs: Optional[int] = None,
    edition: str = "auto",
    chunksize: int = 8,
) -> Iterator[Outcome]:
    """One :class:`Outcome` per path, in the order of ``paths``, computed by ``jobs`` processes.

    ``task`` is ``"report"`` (the payload is the Report), ``"validate"`` or an
    output format name (the payload is that writer's encoding).  Work is sent
    in chunks of ``chunksize`` files with at most ``4 × jobs`` chunks in flight,
    so memory stays flat however long ``paths`` is (it may be a lazy iterator).
    With ``jobs=1`` everything runs in this process.  Closing the iterator early
    stops the workers.
    """
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    chunks = _chunks(paths, max(1, chunksize))
    if jobs == 1:
        for chunk in chunks:
            yield from _work_chunk((task, edition, chunk))
        return
    _warm_up()
    pool = _mp_context().Pool(jobs, initializer=_worker_init)
    try:
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_work_chunk, ((task, edition, chunk),)))
            while len(pending) >= 4 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def parse_many(
    paths: Iterable[str], *, jobs: Optional[int] = 1, edition: str = "auto", recursive: bool = True
) -> Iterator[Outcome]:
    """Parse many report files (directories are searched with :func:`find_reports`).

    Yields an :class:`Outcome` per file, in order: ``outcome.payload`` is the
    :class:`~gov_disclosure.model.Report`, or ``outcome.error`` says why the file
    could not be read.  ``jobs`` processes parse in parallel (None: all cores).

    >>> from gov_disclosure import to_dataframe
    >>> done = list(parse_many(["reports/"], jobs=None))               # doctest: +SKIP
    >>> df = to_dataframe((o.source, o.payload) for o in done if o.ok) # doctest: +SKIP
    """
    files = find_reports(paths) if recursive else iter(paths)
    return iter_outcomes(files, "report", jobs=jobs, edition=edition)


# --- progress bar ------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal (stderr), redrawn at most 10 times a second.

    Disabled (every method a no-op) unless ``enabled``; it appears only once a
    batch has run for ``delay`` seconds, so short runs stay quiet.
    """

    def __init__(
        self, total: Optional[int], stream: TextIO, enabled: bool, delay: float = 0.3, unit: str = "files"
    ) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled
        self.delay = delay
        self.unit = unit
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, n: int = 1) -> None:
        """Count ``n`` more items done and redraw if due."""
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.delay or (now - self._last < 0.1 and self.done != self.total):
            return
        self._last = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        width = shutil.get_terminal_size((80, 20)).columns
        if self.total:
            frac = min(1.0, self.done / self.total)
            if elapsed < 1.0 or rate <= 0:
                tail = f" {self.done}/{self.total} {frac:4.0%}"
            else:
                eta = (self.total - self.done) / rate
                tail = f" {self.done}/{self.total} {frac:4.0%} {rate:,.0f} {self.unit}/s eta {eta:,.0f}s"
            bar_w = max(10, width - len(tail) - 3)
            filled = int(bar_w * frac)
            line = "[" + "#" * filled + "-" * (bar_w - filled) + "]" + tail
        else:
            line = f"{self.done} {self.unit} {rate:,.0f}/s"
        self.stream.write("\r" + line[: width - 1])
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Erase the bar (before printing something else to the terminal)."""
        if self._shown:
            width = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()
            self._shown = False

    def close(self) -> None:
        """Erase the bar for good."""
        self.clear()
        self.enabled = False


# --- batch commands --------------------------------------------------------------------------


class BatchSummary(NamedTuple):
    """Counts from a batch: files read, files that failed (``(source, line, kind, error)``), issues.

    Only failures are kept (never reports), so memory grows with the number of
    unreadable files alone.
    """

    parsed: int
    failures: list[tuple[str, Optional[int], str, str]]
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    stopped: bool = False

    @property
    def total(self) -> int:
        """Files seen."""
        return self.parsed + len(self.failures)


def batch_parse(
    files: Iterable[str],
    writer: Writer,
    *,
    jobs: Optional[int] = None,
    edition: str = "auto",
    fail_fast: bool = False,
    progress: Optional[Progress] = None,
) -> BatchSummary:
    """Parse ``files`` and write every report (or failure row) with ``writer``, streaming.

    Reports are encoded by the workers and written in input order as they
    arrive; nothing is kept.  With ``fail_fast`` the batch stops at the first
    file that cannot be read (that failure is still written).
    """
    start = time.perf_counter()
    parsed = 0
    failures: list[tuple[str, Optional[int], str, str]] = []
    run = _Run(iter_outcomes(files, writer.format, jobs=jobs, edition=edition), progress, fail_fast)
    for outcome in run:
        if outcome.error is None:
            writer.write_payload(outcome.payload)
            parsed += 1
        else:
            writer.write_failure(outcome.source, located(outcome.error, outcome.line))
            failures.append((outcome.source, outcome.line, outcome.kind or "Error", outcome.error))
    return BatchSummary(parsed, failures, seconds=time.perf_counter() - start, stopped=run.stopped)


def batch_validate(
    files: Iterable[str],
    out: TextIO,
    *,
    jobs: Optional[int] = None,
    edition: str = "auto",
    fail_fast: bool = False,
    progress: Optional[Progress] = None,
    warnings: bool = True,
) -> BatchSummary:
    """Validate ``files``, printing ``file:line: code message`` lines to ``out``.

    A file that cannot be read prints ``file:line: parse-error message``.
    Warnings print as ``file:line: code warning: message`` unless ``warnings`` is false.
    """
    start = time.perf_counter()
    parsed = errors = warns = 0
    failures: list[tuple[str, Optional[int], str, str]] = []
    clear = progress.clear if progress is not None and _isatty(out) else None
    run = _Run(iter_outcomes(files, "validate", jobs=jobs, edition=edition), progress, fail_fast)
    for outcome in run:
        lines = []
        if outcome.error is None:
            parsed += 1
            for line, code, severity, message in outcome.payload:
                if severity == "error":
                    errors += 1
                    lines.append(f"{outcome.source}:{line}: {code} {message}")
                else:
                    warns += 1
                    if warnings:
                        lines.append(f"{outcome.source}:{line}: {code} {severity}: {message}")
        else:
            failures.append((outcome.source, outcome.line, outcome.kind or "Error", outcome.error))
            lines.append(f"{outcome.source}:{outcome.line or 1}: parse-error {outcome.error}")
        if lines:
            if clear is not None:
                clear()
            out.write("\n".join(lines) + "\n")
    return BatchSummary(parsed, failures, errors, warns, time.perf_counter() - start, run.stopped)


class _Run:
    """Drive a batch: yield each outcome, then tick the progress bar; stop after the
    first failure with ``fail_fast``; always close the workers and the bar."""

    def __init__(self, outcomes: Iterator[Any], progress: Optional[Progress], fail_fast: bool) -> None:
        self.outcomes = outcomes
        self.progress = progress
        self.fail_fast = fail_fast
        self.stopped = False

    def __iter__(self) -> Iterator[Any]:
        try:
            for outcome in self.outcomes:
                yield outcome
                if self.progress is not None:
                    self.progress.update()
                if self.fail_fast and outcome.error is not None:
                    self.stopped = True
                    break
        finally:
            self.outcomes.close()  # type: ignore[attr-defined]
            if self.progress is not None:
                self.progress.close()




def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
