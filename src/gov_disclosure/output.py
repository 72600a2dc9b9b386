"""Writers for many reports: CSV, JSON Lines, JSON and Parquet.

Every writer takes reports one at a time and writes them out at once (streaming:
memory does not grow with the number of reports), plus *failures*: a source
whose report could not be read, written as a row carrying its error so that no
input disappears from the output without a trace.  A *partial* report (some cells
left unread, see :attr:`Report.complete`) is written like any other, and each
unread cell carries the reading issue's message in ``error`` (its value is empty):
an unread cell is never mistaken for a blank one.

=========  =====================================================================
format     shape
=========  =====================================================================
``csv``    one row per cell, columns :data:`OUTPUT_COLUMNS` (the record columns
           plus ``error``).  Values are written exactly as printed: integers as
           digits, money as the exact decimal string (``3664.4476``, never
           float), a blank cell as an empty field.  A failure is one row with
           ``source`` and ``error`` set and every other field empty.  UTF-8,
           ``\\n`` line ends, a header row.
``jsonl``  one JSON object per cell per line, keys :data:`OUTPUT_COLUMNS`;
           ``value`` is a number, a string for a decimal (``"3664.4476"``, as in
           :meth:`Report.to_json`) or ``null``; ``error`` is ``null`` (or, for an
           unread cell of a partial report, the reading issue).  A failure
           is one object with ``source`` and ``error`` and every other key
           ``null``.
``json``   one JSON array, one object per input, one object per line: the object
           of :meth:`Report.to_json` with a ``"source"`` key first, and, when
           reading found issues, ``"complete"`` and ``"issues"`` (code, severity,
           path, line, message); a failure is ``{"source": ..., "error": ...}``.
``parquet``one row per cell, columns :data:`OUTPUT_COLUMNS`, all ``string``
           except ``year`` (``int32``).  ``value`` is a **string** column holding
           the exact printed value (``"12"``, ``"3664.4476"``, null for a blank
           cell) because money must stay exact and one column mixes counts and
           decimals; cast with ``pd.to_numeric(df["value"])``.  Needs pyarrow
           (``pip install 'gov-disclosure[parquet]'``).
=========  =====================================================================

Each writer splits its work in two steps, so that the expensive part can run in
worker processes (see :mod:`gov_disclosure.cli`): ``encode(report, source)``
turns a report into a picklable *payload* and ``write_payload(payload)`` writes it.
``write_report`` does both.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import threading
from abc import ABC, abstractmethod
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator, Optional, TextIO, Union

from .errors import MissingExtraError
from .records import RECORD_COLUMNS, cell_layout, reading_errors

if TYPE_CHECKING:  # pragma: no cover
    from .model import Report

__all__ = [
    "OUTPUT_FORMATS",
    "OUTPUT_COLUMNS",
    "Writer",
    "CSVWriter",
    "JSONLinesWriter",
    "JSONWriter",
    "ParquetWriter",
    "WRITERS",
    "open_writer",
    "format_for_path",
    "write_reports",
    "text_value",
    "display_source",
    "OutputError",
    "PartialOutput",
]

#: The formats :func:`open_writer` knows.
OUTPUT_FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "parquet")

#: Columns of the CSV, JSON Lines and Parquet outputs.
OUTPUT_COLUMNS: tuple[str, ...] = (*RECORD_COLUMNS, "error")

_SUFFIXES = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def format_for_path(path: Union[str, Path, None]) -> Optional[str]:
    """The output format a file name implies (``out.csv`` → ``"csv"``), or None."""
    if path is None:
        return None
    return _SUFFIXES.get(Path(str(path)).suffix.lower())


def display_source(source: Optional[str]) -> Optional[str]:
    """``source`` as text that can be written in UTF-8.

    A file name that is not UTF-8 (GBK bytes, common on Chinese systems) reaches
    Python with its undecodable bytes as lone surrogates (``surrogateescape``),
    which no UTF-8 output accepts; such bytes are written as ``\\xNN`` escapes
    (``报告\\xb1\\xa8.txt``).  Valid names are returned unchanged.
    """
    if source is None or source.isascii():
        return source
    try:
        source.encode("utf-8")
        return source
    except UnicodeEncodeError:
        pass
    try:
        return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that did not come from a byte
        return source.encode("utf-8", "backslashreplace").decode("utf-8")


class OutputError(Exception):
    """The output could not be written (disk full, ``/dev/full``, an I/O error): ``str()`` is one line."""

    def __init__(self, target: str, error: OSError) -> None:
        self.target = target
        self.error = error
        super().__init__(f"cannot write {target}: {error.strerror or error}")


def text_value(value: Any) -> Optional[str]:
    """A cell value as exact text: ``12`` → ``"12"``, ``Decimal("3664.4476")`` → ``"3664.4476"``, None → None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _json_value(value: Any) -> Any:
    """Decimals as exact strings (the :meth:`Report.to_json` convention); anything else unchanged."""
    return format(value, "f") if isinstance(value, Decimal) else value


_CSV_SPECIAL = frozenset(',"\r\n')
_MIDDLES: dict[int, tuple[Any, list[str]]] = {}


def _csv_field(text: str) -> str:
    """One CSV field, quoted as csv.writer (QUOTE_MINIMAL) quotes it."""
    if _CSV_SPECIAL.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def _csv_line(fields: Iterable[Any]) -> str:
    return ",".join(_csv_field(str(f)) for f in fields)


def _csv_middles(layout: Any) -> list[str]:
    """``table,row,column,path`` of every cell of a layout, as CSV (cached per layout)."""
    cached = _MIDDLES.get(id(layout))
    if cached is None or cached[0] is not layout:
        cached = (layout, [_csv_line(cell[1:4] + cell[:1]) for cell in layout])
        _MIDDLES[id(layout)] = cached
    return cached[1]


def _jsonl_parts(layout: Any) -> list[str]:
    """The constant middle of every JSON Lines record of a layout (cached per layout)."""
    cached = _MIDDLES.get(-id(layout))
    if cached is None or cached[0] is not layout:
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        parts = [
            ", ".join(
                f"{dumps(k)}: {dumps(v)}"
                for k, v in zip(("table", "row", "column", "path"), (c[1], c[2], c[3], c[0]), strict=True)
            )
            for c in layout
        ]
        cached = (layout, parts)
        _MIDDLES[-id(layout)] = cached
    return cached[1]


class Writer(ABC):
    """Base class: write reports and failures to one output, streaming.

    Use as a context manager or call :meth:`close`; closing finishes the
    document (e.g. the closing ``]`` of JSON) but does not close a stream the
    writer did not open.
    """

    format: str = ""
    binary: bool = False

    def __init__(self, out: Union[IO[Any], str, Path], *, append: bool = False) -> None:
        self.append = append
        if isinstance(out, (str, Path)):
            if self.binary:
                self._stream: IO[Any] = open(out, "wb")  # noqa: SIM115 - closed by close()
            else:
                self._stream = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._owned = True
        else:
            self._stream = out
            self._owned = False
        name = out if isinstance(out, (str, Path)) else getattr(out, "name", None)
        #: What to call the output in an error message (the file name, or ``stdout``).
        self.name: str = "stdout" if name in (None, "<stdout>", 1) else str(name)
        self.reports = 0
        self.failures = 0
        self._closed = False

    # -- the two steps -------------------------------------------------------------

    @staticmethod
    @abstractmethod
    def encode(report: "Report", source: Optional[str] = None) -> Any:
        """A picklable payload for ``report`` (runs in worker processes)."""

    def write_payload(self, payload: Any) -> None:
        """Write a payload made by :meth:`encode` (text writers: the payload is the text)."""
        self._stream.write(payload)
        self.reports += 1

    # -- the public API ------------------------------------------------------------------

    def write_report(self, report: "Report", source: Optional[str] = None) -> None:
        """Write one report."""
        self.write_payload(self.encode(report, source))

    @abstractmethod
    def write_failure(self, source: str, error: str) -> None:
        """Write a row for ``source``, which could not be read, with its ``error``."""

    def close(self) -> None:
        """Finish the output (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._finish()
        if self._owned:
            self._stream.close()
        else:
            try:
                self._stream.flush()
            except (AttributeError, ValueError):
                pass

    def abandon(self) -> None:
        """Stop without finishing the document (an interrupted batch): no closing ``]``, no Parquet footer.

        Errors while closing are ignored (the output is already failing or being given up).
        """
        if self._closed:
            return
        self._closed = True
        self._abandon()
        try:
            if self._owned:
                self._stream.close()
            else:
                self._stream.flush()
        except (OSError, ValueError):
            try:  # a failed flush leaves the bytes buffered: drop them rather than retry at exit
                if self._owned:
                    os.close(self._stream.fileno())
            except (OSError, ValueError, AttributeError):
                pass

    def _abandon(self) -> None:
        return None

    def _finish(self) -> None:
        return None

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CSVWriter(Writer):
    """One row per cell, header :data:`OUTPUT_COLUMNS`; decimals as exact strings."""

    format = "csv"

    def __init__(self, out: Union[TextIO, str, Path], *, append: bool = False) -> None:
        super().__init__(out, append=append)
        self._csv = csv.writer(self._stream, lineterminator="\n")
        if not append:
            self._csv.writerow(OUTPUT_COLUMNS)

    @staticmethod
    def encode(report: "Report", source: Optional[str] = None) -> str:
        # The same bytes csv.writer would produce, built from per-edition
        # prefixes: formatting a report costs one string join.
        layout = cell_layout(report)
        source = display_source(source)
        head = _csv_line(
            (source or "", report.agency or "", "" if report.year is None else report.year, report.edition)
        )
        parts = []
        errors = reading_errors(report)
        for middle, (path, _, _, _, getter) in zip(_csv_middles(layout), layout, strict=True):
            value = getter(report)
            if value is None:
                text = ""
            elif type(value) is int:
                text = str(value)
            elif isinstance(value, Decimal):
                text = format(value, "f")
            else:
                text = _csv_field(str(value))
            error = _csv_field(errors[path]) if errors and path in errors else ""
            parts.append(f"{head},{middle},{text},{error}\n")
        return "".join(parts)

    def write_failure(self, source: str, error: str) -> None:
        self._csv.writerow((display_source(source), "", "", "", "", "", "", "", "", error))
        self.failures += 1


class JSONLinesWriter(Writer):
    """One JSON object per cell per line, keys :data:`OUTPUT_COLUMNS`."""

    format = "jsonl"

    @staticmethod
    def encode(report: "Report", source: Optional[str] = None) -> str:
        # json.dumps of each record, assembled from per-edition constant parts
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        layout = cell_layout(report)
        head = (
            f'{{"source": {dumps(display_source(source))}, "agency": {dumps(report.agency)}, '
            f'"year": {dumps(report.year)}, "edition": {dumps(report.edition)}, '
        )
        lines = []
        errors = reading_errors(report)
        for middle, (path, _, _, _, getter) in zip(_jsonl_parts(layout), layout, strict=True):
            value = getter(report)
            if value is None:
                text = "null"
            elif type(value) is int:
                text = str(value)
            else:
                text = dumps(_json_value(value))
            error = dumps(errors[path]) if errors and path in errors else "null"
            lines.append(f'{head}{middle}, "value": {text}, "error": {error}}}\n')
        return "".join(lines)

    def write_failure(self, source: str, error: str) -> None:
        record = dict.fromkeys(OUTPUT_COLUMNS)
        record["source"] = display_source(source)
        record["error"] = error
        self._stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.failures += 1


class JSONWriter(Writer):
    """A JSON array of :meth:`Report.to_json` objects, each with ``"source"`` first."""

    format = "json"

    def __init__(self, out: Union[TextIO, str, Path], *, append: bool = False) -> None:
        super().__init__(out, append=append)
        self._first = not append  # appending continues an array that has items
        if not append:
            self._stream.write("[")

    @staticmethod
    def encode(report: "Report", source: Optional[str] = None) -> str:
        item: dict[str, Any] = {"source": display_source(source), **report.to_dict()}
        if report.issues:
            item["complete"] = report.complete
            item["issues"] = [
                {"code": i.code, "severity": i.severity, "path": i.path, "line": i.line, "message": i.message}
                for i in report.issues
            ]
        return json.dumps(item, ensure_ascii=False, default=_json_value)

    def _item(self, text: str) -> None:
        self._stream.write(("\n" if self._first else ",\n") + text)
        self._first = False

    def write_payload(self, payload: str) -> None:
        self._item(payload)
        self.reports += 1

    def write_failure(self, source: str, error: str) -> None:
        self._item(json.dumps({"source": display_source(source), "error": error}, ensure_ascii=False))
        self.failures += 1

    def _finish(self) -> None:
        self._stream.write("\n]\n")


class ParquetWriter(Writer):
    """One row per cell, columns :data:`OUTPUT_COLUMNS`; ``value`` as an exact string column.

    Rows are buffered and written as a row group every ``row_group_size`` rows,
    so memory stays bounded however many reports are written.
    """

    format = "parquet"
    binary = True

    def __init__(
        self, out: Union[BinaryIO, str, Path], row_group_size: int = 100_000, *, append: bool = False
    ) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise MissingExtraError("parquet", "pyarrow", "Parquet output") from None
        if append:
            raise ValueError("a Parquet file cannot be appended to; copy it with copy_from()")
        super().__init__(out)
        self._pa = pa
        self._pq = pq
        self.schema = pa.schema([(name, pa.int32() if name == "year" else pa.string()) for name in OUTPUT_COLUMNS])
        self._sink = _Gate(self._stream)
        self._writer = pq.ParquetWriter(self._sink, self.schema, compression="zstd")
        self._row_group_size = row_group_size
        self._columns: dict[str, list[Any]] = {name: [] for name in OUTPUT_COLUMNS}
        self._rows = 0

    @staticmethod
    def encode(report: "Report", source: Optional[str] = None) -> dict[str, list[Any]]:
        layout = cell_layout(report)
        n = len(layout)
        columns: dict[str, list[Any]] = {
            "source": [display_source(source)] * n,
            "agency": [report.agency] * n,
            "year": [report.year] * n,
            "edition": [report.edition] * n,
            "table": [c[1] for c in layout],
            "row": [c[2] for c in layout],
            "column": [c[3] for c in layout],
            "path": [c[0] for c in layout],
            "value": [text_value(c[4](report)) for c in layout],
            "error": [None] * n,
        }
        errors = reading_errors(report)
        if errors:
            columns["error"] = [errors.get(c[0]) for c in layout]
        return columns

    def write_payload(self, payload: dict[str, list[Any]]) -> None:
        for name, values in payload.items():
            self._columns[name].extend(values)
        self._rows += len(payload["path"])
        self.reports += 1
        if self._rows >= self._row_group_size:
            self._flush()

    def write_failure(self, source: str, error: str) -> None:
        for name in OUTPUT_COLUMNS:
            value = display_source(source) if name == "source" else error if name == "error" else None
            self._columns[name].append(value)
        self._rows += 1
        self.failures += 1

    def _flush(self) -> None:
        if not self._rows:
            return
        # only the rows counted: a report whose columns were being extended when the batch
        # was interrupted (Ctrl-C) is left out whole, and --resume reads it again
        columns = {name: values[: self._rows] for name, values in self._columns.items()}
        table = self._pa.Table.from_pydict(columns, schema=self.schema)
        with _interrupts_held():
            self._writer.write_table(table)
            self._columns = {name: [] for name in OUTPUT_COLUMNS}
            self._rows = 0

    def copy_from(self, path: Union[str, Path]) -> int:
        """Write every row of the Parquet file ``path`` (an earlier output), row group by row group; returns rows."""
        self._flush()
        rows = 0
        source = self._pq.ParquetFile(path)
        try:
            for i in range(source.num_row_groups):
                table = source.read_row_group(i).cast(self.schema)
                with _interrupts_held():
                    self._writer.write_table(table)
                rows += table.num_rows
        finally:
            source.close()
        return rows

    def _finish(self) -> None:
        self._flush()
        with _interrupts_held():
            self._writer.close()

    def _abandon(self) -> None:
        # no footer: an interrupted Parquet stream must not read as a complete file
        self._sink.open = False
        try:
            self._writer.close()
        except Exception:  # pragma: no cover - the sink discards everything
            pass


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) held back while pyarrow writes a row group or the footer: raised
    inside its write callback, the interrupt would leave the file half written, and an
    interrupted batch finishes its Parquet output (under ``.partial``) to resume from.
    The interrupt is handled as before as soon as the write is done.  Only in the main
    thread (where Python runs signal handlers and may set them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    caught: list[tuple[int, Any]] = []
    signal.signal(signal.SIGINT, lambda signum, frame: caught.append((signum, frame)))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(*caught[0])
            elif previous == signal.SIG_DFL:
                os.kill(os.getpid(), signal.SIGINT)


class _Gate:
    """A binary sink for pyarrow that can be shut, so that closing the writer writes nothing more."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.open = True
        self.closed = False
        self._pos = 0

    def write(self, data: Any) -> int:
        n = len(data)
        if self.open:
            self.stream.write(data)
        self._pos += n
        return n

    def flush(self) -> None:
        if self.open:
            self.stream.flush()

    def tell(self) -> int:
        return self._pos

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True


#: Format name → writer class.
WRITERS: dict[str, type[Writer]] = {
    "csv": CSVWriter,
    "jsonl": JSONLinesWriter,
    "json": JSONWriter,
    "parquet": ParquetWriter,
}


def open_writer(format: str, out: Union[IO[Any], str, Path], *, append: bool = False) -> Writer:
    """A writer for ``format`` (one of :data:`OUTPUT_FORMATS`) writing to a path or stream.

    Text formats need a text stream, Parquet a binary one (or a path).  With
    ``append`` a text writer continues an earlier output of the same format
    (no CSV header, no opening ``[``).
    """
    try:
        cls = WRITERS[format]
    except KeyError:
        raise ValueError(f"unknown output format {format!r}; use one of {', '.join(OUTPUT_FORMATS)}") from None
    return cls(out, append=append)


def write_reports(
    reports: Iterable[Union["Report", tuple[Optional[str], "Report"]]],
    out: Union[IO[Any], str, Path],
    format: Optional[str] = None,
) -> int:
    """Write ``reports`` (Reports or ``(source, Report)`` pairs) to ``out``; returns how many.

    ``format`` defaults to the one ``out``'s file name implies, else ``"json"``.
    """
    fmt = format or format_for_path(out if isinstance(out, (str, Path)) else None) or "json"
    with open_writer(fmt, out) as writer:
        for item in reports:
            source, report = item if isinstance(item, tuple) else (None, item)
            writer.write_report(report, source)
        return writer.reports


# --- outputs written under a temporary name, resumable ---------------------------------------


class PartialOutput:
    """Write the output file ``path`` as ``path.partial`` and rename it to ``path`` when the batch is complete.

    Every input written is listed in ``path.partial.done`` (JSON Lines: the byte
    offset of the output after it, whether it was read, its source), so that an
    interrupted batch leaves no file that looks complete, and can be continued:
    :meth:`open` with ``resume=True`` keeps what was written, cut at the last
    input listed (a batch killed in the middle of a write loses that input
    only), and :attr:`done` tells which inputs to skip.  A Parquet output has no
    list: it is finished (footer written) when the batch is interrupted, and the
    inputs done are read from it; one that was killed before its footer cannot
    be continued and is started over (:attr:`note` says so).
    """

    def __init__(self, path: Union[str, Path], format: str) -> None:
        self.path = str(path)
        target = os.path.realpath(self.path) if os.path.islink(self.path) else self.path
        self.target = target
        self.format = format
        self.partial = target + ".partial"
        self.done_path = target + ".partial.done"
        self.prev = target + ".partial.prev"
        #: Inputs already written by an earlier run (display source → read without error).
        self.done: dict[str, bool] = {}
        #: A line to tell the user about the resume (or None).
        self.note: Optional[str] = None
        self.writer: Optional[Writer] = None
        self.written = 0
        self._raw: Optional[IO[bytes]] = None
        self._text: Optional[IO[str]] = None
        self._log: Optional[IO[str]] = None

    @staticmethod
    def in_place(path: Union[str, Path]) -> bool:
        """True when ``path`` must be written directly: a device (``/dev/full``), a FIFO, ``/dev/stdout``..."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return False
        except OSError:
            return True  # let opening it fail with the real reason
        if not stat.S_ISREG(st.st_mode):
            return True
        return os.path.realpath(path).startswith(("/dev/", "/proc/"))

    def leftover(self) -> Optional[str]:
        """The partial output of an earlier, interrupted run, if there is one."""
        for p in (self.partial, self.prev):
            if os.path.lexists(p):
                return p
        return None

    # -- opening ------------------------------------------------------------------------------

    def open(self, resume: bool = False) -> Writer:
        """The writer of the partial output; with ``resume``, continuing the one left by an earlier run."""
        if resume and self.leftover() is not None:
            if self.format == "parquet":
                self._resume_parquet()
            else:
                self._resume_text()
        if self.writer is None:
            self._fresh()
        assert self.writer is not None
        self.writer.name = self.path
        return self.writer

    def _fresh(self) -> None:
        self.done = {}
        for p in (self.prev, self.done_path):
            if os.path.lexists(p):
                os.remove(p)
        if self.format == "parquet":
            self.writer = open_writer("parquet", self.partial)
            return
        self._open_text(open(self.partial, "w+b"), append=False)  # noqa: SIM115 - closed by commit/abandon
        assert self._raw is not None
        self._log = open(self.done_path, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
        self._log.write(json.dumps({"format": self.format, "start": self._raw.tell()}) + "\n")

    def _open_text(self, raw: IO[bytes], append: bool) -> None:
        self._raw = raw
        self._text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
        self.writer = open_writer(self.format, self._text, append=append)

    def _resume_text(self) -> None:
        try:
            with open(self.done_path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            header = json.loads(lines[0])
            start = int(header["start"])
            size = os.path.getsize(self.partial)
        except (OSError, ValueError, IndexError, KeyError, TypeError):
            self.note = f"{self.partial} has no usable list of the files done ({self.done_path}): starting over"
            return
        if header.get("format") != self.format:
            raise ValueError(
                f"{self.partial} is a {header.get('format')} output, not {self.format}: "
                "resume with the same format, or delete it to start over"
            )
        keep, offset = [], start
        for line in lines[1:]:
            try:
                off, ok, source = json.loads(line)
            except ValueError:
                break  # the last line, cut by a kill
            if off > size:
                break  # listed before its output reached the file
            keep.append(line)
            offset = off
            self.done[display_source(source) or ""] = bool(ok)
        if not keep or size < start:
            self.done = {}
            return
        raw = open(self.partial, "r+b")  # noqa: SIM115 - closed by commit/abandon
        raw.seek(offset)
        raw.truncate()
        self._open_text(raw, append=True)
        tmp = self.done_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join([lines[0], *keep]) + "\n")
        os.replace(tmp, self.done_path)
        self._log = open(self.done_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115

    def _resume_parquet(self) -> None:
        import pyarrow.parquet as pq

        source = None
        for p in (self.partial, self.prev):
            try:
                pq.ParquetFile(p).close()
            except Exception:
                continue
            source = p
            break
        if source is None:
            self.note = f"{self.partial} was not finished (the batch was killed): starting over"
            return
        if source == self.partial:
            os.replace(self.partial, self.prev)
        done: dict[str, bool] = {}
        f = pq.ParquetFile(self.prev)
        try:
            for batch in f.iter_batches(columns=["source", "error"]):
                for src, error in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()):
                    done[src or ""] = done.get(src or "", True) and error is None
        finally:
            f.close()
        self.done = done
        writer = open_writer("parquet", self.partial)
        assert isinstance(writer, ParquetWriter)
        writer.copy_from(self.prev)
        self.writer = writer

    # -- writing ------------------------------------------------------------------------------

    def record(self, source: str, ok: bool) -> None:
        """Note that ``source`` has been written (call after writing its report or failure row)."""
        self.written += 1
        if self._log is not None:
            offset = self._raw.tell() if self._raw is not None else 0
            try:
                self._log.write(json.dumps([offset, ok, source]) + "\n")
            except OSError as exc:
                raise OutputError(self.done_path, exc) from exc

    def commit(self) -> None:
        """Finish the output and rename it to its name: the batch is complete."""
        assert self.writer is not None
        try:
            self.writer.close()
            self._close_files()
            os.replace(self.partial, self.target)
        except OSError as exc:
            raise OutputError(self.path, exc) from exc
        for p in (self.done_path, self.prev):
            try:
                os.remove(p)
            except FileNotFoundError:
                pass

    def abandon(self) -> Optional[str]:
        """Stop an interrupted batch: keep what was written under the partial name; returns that name (or None).

        A partial output holding no input at all is removed.
        """
        if self.writer is None:
            return None
        if self.format == "parquet":
            try:
                self.writer.close()  # a footer: the inputs done can be read back by --resume
                if os.path.exists(self.prev):
                    os.remove(self.prev)
            except Exception:
                self.writer.abandon()
        else:
            self.writer.abandon()
        try:
            self._close_files()
        except OSError:
            pass
        if not self.written and not self.done:
            for p in (self.partial, self.done_path, self.prev):
                try:
                    os.remove(p)
                except OSError:
                    pass
            return None
        return self.partial

    def _close_files(self) -> None:
        for f in (self._text, self._raw, self._log):
            if f is not None and not f.closed:
                f.close()
