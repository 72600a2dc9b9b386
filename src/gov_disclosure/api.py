"""The public entry points: :func:`parse`, :func:`parse_file`, :func:`check`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Union

from lark.exceptions import UnexpectedInput

from . import editions as _editions
from .build import Built, SourceMap
from .diagnostics import GrammarMap, explain
from .errors import ParseError
from .formats import format_from_name, to_text
from .header import header_fields
from .lexer import CellStream
from .model import Report
from .normalize import Cell
from .normalize import cells as _cells
from .normalize import normalise

if TYPE_CHECKING:
    from .validate import Issue

__all__ = ["parse", "parse_text", "parse_file", "check"]

PathLike = Union[str, "os.PathLike[str]"]


@lru_cache(maxsize=None)
def _grammar_map(name: str) -> GrammarMap:
    return GrammarMap(_editions.get(name).compile())


def parse(data: Union[str, bytes], edition: str = "auto", *, format: str = "auto") -> Report:
    """Read one annual report and return its :class:`~gov_disclosure.model.Report`.

    ``data`` is the report as text (any layout: pipes, tabs, one cell per line,
    space-separated rows; simplified or traditional script) or as bytes of a
    text, HTML, DOCX or PDF file.  ``edition`` is ``"auto"`` (detect from the
    tables) or a registered edition name (``"2021"``, ``"2019"``).  ``format`` is
    ``"auto"`` or one of ``"text"``, ``"html"``, ``"docx"``, ``"pdf"``.

    Raises :class:`~gov_disclosure.errors.ParseError` (with line, column, the
    offending line and what was expected) when the text is not such a report or a
    table cannot be read completely; it never returns a partly read table.
    """
    text = to_text(data, format)
    return parse_text(text, edition)


def parse_text(text: str, edition: str = "auto") -> Report:
    """Like :func:`parse` for text that is already decoded (no format detection)."""
    if not text or not text.strip():
        raise ParseError("the input is empty", line=1, column=1, snippet="")
    original = text.replace("\r\n", "\n").replace("\r", "\n")
    normal = normalise(original)
    cut: dict[str, list[Cell]] = {}

    def cells_for(compiled: _editions.CompiledEdition) -> list[Cell]:
        # Cells depend only on the grammar's VALUE pattern, which editions share.
        key = compiled.value_re.pattern
        if key not in cut:
            cut[key] = _cells(normal, compiled.value_re)
        return cut[key]

    if edition == "auto":
        newest = _editions.get(_editions.available()[0]).compile()
        chosen = _editions.detect("\n".join(c.text for c in cells_for(newest)))
    else:
        chosen = _editions.get(edition)
    compiled = chosen.compile()
    cells = cells_for(compiled)
    stream = CellStream(cells)
    try:
        tables: dict[str, Built] = compiled.lark.parse(stream)  # type: ignore[arg-type,assignment]
    except UnexpectedInput as exc:
        raise explain(exc, stream, compiled, _grammar_map(chosen.name), original.split("\n")) from None
    except ParseError as exc:  # a value the transformer could not read
        if exc.line is not None and exc.snippet is None:
            lines = original.split("\n")
            exc.snippet = lines[exc.line - 1] if 0 < exc.line <= len(lines) else None
        raise exc from None
    year, agency = header_fields(normal, original)
    return Report(
        edition=chosen.name,
        agency=agency,
        year=year,
        active_disclosure=tables["active_disclosure"].obj,
        applications=tables["applications"].obj,
        appeals=tables["appeals"].obj,
        source_map=SourceMap(tables.values()),
    )


def parse_file(path: PathLike, edition: str = "auto", *, format: str = "auto") -> Report:
    """Read a report file (text in UTF-8, UTF-8 with BOM or GB18030/GBK; HTML; DOCX; PDF).

    Errors name the file: ``str(error)`` starts with the path.
    """
    p = Path(path)
    data = p.read_bytes()
    if format == "auto":
        format = format_from_name(p.name, data)
    try:
        return parse(data, edition, format=format)
    except ParseError as exc:
        raise exc.with_source(str(p)) from None


def check(data: Union[str, bytes], edition: str = "auto") -> tuple[Report, "list[Issue]"]:
    """Parse and validate in one call: ``(report, issues)``."""
    from .validate import validate

    report = parse(data, edition)
    return report, validate(report)

