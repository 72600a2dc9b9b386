"""Writers for many reports: CSV, JSON Lines, JSON and Parquet.

Every writer takes reports one at a time and writes them out at once (streaming:
memory does not grow with the number of reports), plus *failures*: a source
whose report could not be read, written as a row carrying its error so that no
input disappears from the output without a trace.

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
           :meth:`Report.to_json`) or ``null``; ``error`` is ``null``.  A failure
           is one object with ``source`` and ``error`` and every other key
           ``null``.
``json``   one JSON array, one object per input, one object per line: the object
           of :meth:`Report.to_json` with a ``"source"`` key first; a failure is
           ``{"source": ..., "error": ...}``.
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
import json
from abc import ABC, abstractmethod
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Iterable, Optional, TextIO, Union

from .errors import MissingExtraError
from .records import RECORD_COLUMNS, cell_layout

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

    def __init__(self, out: Union[IO[Any], str, Path]) -> None:
        if isinstance(out, (str, Path)):
            if self.binary:
                self._stream: IO[Any] = open(out, "wb")  # noqa: SIM115 - closed by close()
            else:
                self._stream = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._owned = True
        else:
            self._stream = out
            self._owned = False
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

    def _finish(self) -> None:
        pass

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CSVWriter(Writer):
    """One row per cell, header :data:`OUTPUT_COLUMNS`; decimals as exact strings."""

    format = "csv"

    def __init__(self, out: Union[TextIO, str, Path]) -> None:
        super().__init__(out)
        self._csv = csv.writer(self._stream, lineterminator="\n")
        self._csv.writerow(OUTPUT_COLUMNS)

    @staticmethod
    def encode(report: "Report", source: Optional[str] = None) -> str:
        # The same bytes csv.writer would produce, built from per-edition
        # prefixes: formatting a report costs one string join.
        layout = cell_layout(report)
        head = _csv_line(
            (source or "", report.agency or "", "" if report.year is None else report.year, report.edition)
        )
        parts = []
        for middle, (_, _, _, _, getter) in zip(_csv_middles(layout), layout, strict=True):
            value = getter(report)
            if value is None:
                text = ""
            elif type(value) is int:
                text = str(value)
            elif isinstance(value, Decimal):
                text = format(value, "f")
            else:
                text = _csv_field(str(value))
            parts.append(f"{head},{middle},{text},\n")
        return "".join(parts)

    def write_failure(self, source: str, error: str) -> None:
        self._csv.writerow((source, "", "", "", "", "", "", "", "", error))
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
            f'{{"source": {dumps(source)}, "agency": {dumps(report.agency)}, '
            f'"year": {dumps(report.year)}, "edition": {dumps(report.edition)}, '
        )
        lines = []
        for middle, (_, _, _, _, getter) in zip(_jsonl_parts(layout), layout, strict=True):
            value = getter(report)
            if value is None:
                text = "null"
            elif type(value) is int:
                text = str(value)
            else:
                text = dumps(_json_value(value))
            lines.append(f'{head}{middle}, "value": {text}, "error": null}}\n')
        return "".join(lines)

    def write_failure(self, source: str, error: str) -> None:
        record = dict.fromkeys(OUTPUT_COLUMNS)
        record["source"] = source
        record["error"] = error
        self._stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.failures += 1


class JSONWriter(Writer):
    """A JSON array of :meth:`Report.to_json` objects, each with ``"source"`` first."""

    format = "json"

    def __init__(self, out: Union[TextIO, str, Path]) -> None:
        super().__init__(out)
        self._first = True
        self._stream.write("[")

    @staticmethod
    def encode(report: "Report", source: Optional[str] = None) -> str:
        return json.dumps({"source": source, **report.to_dict()}, ensure_ascii=False, default=_json_value)

    def _item(self, text: str) -> None:
        self._stream.write(("\n" if self._first else ",\n") + text)
        self._first = False

    def write_payload(self, payload: str) -> None:
        self._item(payload)
        self.reports += 1

    def write_failure(self, source: str, error: str) -> None:
        self._item(json.dumps({"source": source, "error": error}, ensure_ascii=False))
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

    def __init__(self, out: Union[BinaryIO, str, Path], row_group_size: int = 100_000) -> None:
        try:
            import pyarrow as pa  # type: ignore[import-untyped]
            import pyarrow.parquet as pq  # type: ignore[import-untyped]
        except ImportError:
            raise MissingExtraError("parquet", "pyarrow", "Parquet output") from None
        super().__init__(out)
        self._pa = pa
        self.schema = pa.schema([(name, pa.int32() if name == "year" else pa.string()) for name in OUTPUT_COLUMNS])
        self._writer = pq.ParquetWriter(self._stream, self.schema, compression="zstd")
        self._row_group_size = row_group_size
        self._columns: dict[str, list[Any]] = {name: [] for name in OUTPUT_COLUMNS}
        self._rows = 0

    @staticmethod
    def encode(report: "Report", source: Optional[str] = None) -> dict[str, list[Any]]:
        layout = cell_layout(report)
        n = len(layout)
        columns: dict[str, list[Any]] = {
            "source": [source] * n,
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
            self._columns[name].append(source if name == "source" else error if name == "error" else None)
        self._rows += 1
        self.failures += 1

    def _flush(self) -> None:
        if not self._rows:
            return
        table = self._pa.Table.from_pydict(self._columns, schema=self.schema)
        self._writer.write_table(table)
        self._columns = {name: [] for name in OUTPUT_COLUMNS}
        self._rows = 0

    def _finish(self) -> None:
        self._flush()
        self._writer.close()


#: Format name → writer class.
WRITERS: dict[str, type[Writer]] = {
    "csv": CSVWriter,
    "jsonl": JSONLinesWriter,
    "json": JSONWriter,
    "parquet": ParquetWriter,
}


def open_writer(format: str, out: Union[IO[Any], str, Path]) -> Writer:
    """A writer for ``format`` (one of :data:`OUTPUT_FORMATS`) writing to a path or stream.

    Text formats need a text stream, Parquet a binary one (or a path).
    """
    try:
        cls = WRITERS[format]
    except KeyError:
        raise ValueError(f"unknown output format {format!r}; use one of {', '.join(OUTPUT_FORMATS)}") from None
    return cls(out)  # type: ignore[arg-type]


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
