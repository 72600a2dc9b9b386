"""The public entry points: :func:`parse`, :func:`parse_text`, :func:`parse_file`, :func:`check`."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

from . import limits
from ._read import read_text
from .errors import InputTypeError, ParseError
from .formats import Note, format_from_name, to_text_notes
from .model import Report

if TYPE_CHECKING:  # pragma: no cover
    from .issues import Issue

__all__ = ["parse", "parse_text", "parse_file", "check", "Input"]

#: What :func:`parse` accepts: text, bytes, a binary (or text) file object, or a path.
Input = Union[str, bytes, bytearray, memoryview, "os.PathLike[str]", IO[bytes], IO[str]]

PathLike = Union[str, "os.PathLike[str]"]

_PATH_LIKE = re.compile(r"[^\n<>|]{0,1000}\.(?:txt|html?|xhtml|pdf|docx?|wps|rtf|odt|md|png|jpe?g)", re.I)


def _data(data: Any) -> Union[str, bytes]:
    """``data`` as str or bytes, or a clear :class:`InputTypeError`."""
    if isinstance(data, (str, bytes)):
        if isinstance(data, str) and len(data) < 1100 and _PATH_LIKE.fullmatch(data.strip()):
            raise InputTypeError(
                f"parse() was given the string {data.strip()!r}, which looks like a file path, not report "
                "text: use gov_disclosure.parse_file(path) to read a file",
            )
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    read = getattr(data, "read", None)
    if callable(read):
        most = limits.current().input_bytes
        content = read() if most is None else read(most + 1)  # never more than the limit allows
        if isinstance(content, (str, bytes)):
            return content
    raise InputTypeError(
        f"parse() reads report text (str), bytes or a file object opened in binary mode, "
        f"not {type(data).__name__}; for a file path use gov_disclosure.parse_file(path)"
    )


def parse(data: Input, edition: str = "auto", *, format: str = "auto", strict: bool = False) -> Report:
    """Read one annual report and return its :class:`~gov_disclosure.model.Report`.

    ``data`` is the report as text (any layout: pipes, tabs, one cell per line,
    space-separated rows; simplified or traditional script), as bytes of a text,
    HTML, DOCX or PDF file, as a file object opened in binary mode, or as a path
    (``pathlib.Path``; the same as :func:`parse_file`).  ``edition`` is ``"auto"``
    (detect from the tables) or a registered edition name (``"2021"``, ``"2019"``).
    ``format`` is ``"auto"`` or one of ``"text"``, ``"html"``, ``"docx"``, ``"pdf"``.

    A text that does not follow the template throughout gives a *partial* report:
    every row that can be read for certain is read, every other cell is ``None``
    with an issue in ``report.issues`` (``parse.row_missing``,
    ``parse.row_unreadable``, ``parse.table_missing`` …) and ``report.complete`` is
    False.  With ``strict=True`` the first unreadable part raises instead.

    Raises :class:`~gov_disclosure.errors.ParseError` (with a stable ``code``, the
    line, the column, the offending line and what was expected) when the text is
    not such a report at all (or, with ``strict=True``, when a table cannot be read
    completely).  A value printed with a unit that contradicts its column is
    converted where that is exact (``元`` in the 万元 fee column) or left unread,
    and reported in ``report.issues``.
    """
    if isinstance(data, os.PathLike):
        return parse_file(data, edition, format=format, strict=strict)
    content = _data(data)
    if isinstance(content, bytes):
        limits.check_bytes(content)
    else:
        limits.check_text(content)
    return _read(*to_text_notes(content, format), edition, strict)


def _read(text: str, notes: "tuple[Note, ...]", edition: str, strict: bool) -> Report:
    """:func:`read_text` on the text a document gave (and the adapter's notes about
    places in it), within :mod:`gov_disclosure.limits`."""
    limits.check_text(text)
    return read_text(text, edition, strict=strict, notes=notes)


def parse_text(text: str, edition: str = "auto", *, strict: bool = False) -> Report:
    """Like :func:`parse` for text that is already decoded (no format detection)."""
    if not isinstance(text, str):
        raise InputTypeError(f"parse_text() takes str, not {type(text).__name__}; use parse() for bytes")
    return _read(text, (), edition, strict)


def parse_file(path: PathLike, edition: str = "auto", *, format: str = "auto", strict: bool = False) -> Report:
    """Read a report file (text in UTF-8, UTF-8 with BOM or GB18030/GBK; HTML; DOCX; PDF).

    Errors name the file: ``str(error)`` starts with the path.  A file over the
    ``input_bytes`` limit (:mod:`gov_disclosure.limits`) is refused from its size,
    without being read.
    """
    p = Path(path)
    try:
        limits.check_file_size(p.stat().st_size)
        most = limits.current().input_bytes
        with p.open("rb") as f:
            data = f.read() if most is None else f.read(most + 1)  # a device or FIFO has no size
        limits.check_bytes(data)
        if format == "auto":
            format = format_from_name(p.name, data)
        return _read(*to_text_notes(data, format), edition, strict)
    except ParseError as exc:
        raise exc.with_source(str(p)) from None


def check(
    data: Input, edition: str = "auto", *, format: str = "auto", strict: bool = False
) -> tuple[Report, "list[Issue]"]:
    """Parse and validate in one call: ``(report, issues)``."""
    from .validate import validate

    report = parse(data, edition, format=format, strict=strict)
    return report, validate(report)
