"""Reading report text: normalise, cut into cells, detect the edition, parse, build.

This is the reading layer's one entry point, :func:`read_text`; the public
:func:`gov_disclosure.parse` functions (:mod:`gov_disclosure.api`) call it after
the input adapters have turned a document into text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

from lark.exceptions import UnexpectedInput

from . import _grammar
from . import editions as _editions
from ._build import Built, SourceMap
from ._diagnostics import GrammarMap, explain
from ._grid import displaced
from ._header import header_fields
from ._lexer import CellStream
from ._lines import blank_lines
from ._normalize import FILLER, ROW_END, Cell, cells, normalise
from ._recover import recover
from .errors import ParseError
from .issues import Issue
from .model import Report

__all__ = ["read_text"]


@lru_cache(maxsize=None)
def _grammar_map(compiled: _editions.CompiledEdition) -> GrammarMap:
    return GrammarMap(compiled)


def _tail(stream: CellStream, compiled: _editions.CompiledEdition) -> tuple[int, Optional[Issue]]:
    """The index of the first cell after the tables' last number, and a warning when
    nothing follows it (the text may have been cut inside or right after table 四:
    ``12`` cut to ``1`` would still read)."""
    value_type = compiled.lexer.value_type
    last = next((t for t in reversed(stream.history) if str(t.type) == value_type), None)
    cells = stream.cells
    if last is None:
        return len(cells), None
    k = len(cells) - 1
    while k >= 0 and (cells[k].line, cells[k].column) != (last.line, last.column):
        k -= 1
    if any(c.text is not ROW_END for c in cells[k + 1 :]):
        return k + 1, None
    return k + 1, Issue(
        "text.may_be_truncated", "warning",
        f"the text ends right after table 四's last number ({str(last)!r}): if it was cut there, that number "
        "may be cut too; sections 五 and 六 usually follow the tables",
        "appeals", line=last.line, column=last.column, printed=str(last),
    )


@lru_cache(maxsize=None)
def _review_terminals(compiled: _editions.CompiledEdition) -> frozenset[str]:
    """The names of table 四's header terminal (行政复议), however Lark namespaced it."""
    return frozenset(name for name, _ in compiled.lexer.patterns if name.endswith("REVIEW_H"))


def _conflicting_copy(stream: CellStream, compiled: _editions.CompiledEdition, k: int) -> Optional[ParseError]:
    """A second copy of the tables after table 四 (print and screen versions, a repeated
    attachment) whose numbers differ from the first: an error, never a silent choice.

    Only the text after the last number read (from cell ``k``) is looked at, and only
    when it holds a row label of a table (equal copies, and narrative, cost one scan of
    that tail)."""
    cells = stream.cells
    tokenize = compiled.lexer.tokenize
    sizes = compiled.lexer.row_sizes
    tail = cells[k:]
    review = _review_terminals(compiled)
    if not any(
        (parts := tokenize(c.text)) and (parts[-1][0] in sizes or parts[0][0] in review) for c in tail if len(c.text) > 1
    ):
        return None
    _tables, issues = recover(cells, compiled, _grammar_map(compiled), ParseError("a second copy of the tables"))
    conflicts = [i for i in issues if i.code == "parse.conflicting_copy"]
    if not conflicts:
        return None
    first = conflicts[0]
    return ParseError(
        f"the text prints the tables more than once with different numbers ({first.message})",
        line=first.line, column=first.column, code="tables.conflicting_copy",
    )


def _notes(notes: Sequence[tuple[int, int, str, str]], source_map: SourceMap) -> list[Issue]:
    """An adapter's caveats as warnings at the cells printed where they point."""
    at: dict[tuple[int, int], str] = {}
    by_line: dict[int, list[tuple[int, str]]] = {}
    for address, (line, column) in source_map.locations.items():
        at[(line, column)] = address
        by_line.setdefault(line, []).append((column, address))
    issues = []
    for line, column, code, message in notes:
        found = at.get((line, column))
        if found is None:  # the cell starts a little off the noted column: the nearest on the line
            near = sorted(by_line.get(line, ()), key=lambda item: abs(item[0] - column))
            found = near[0][1] if near and abs(near[0][0] - column) <= 3 else ""
        address = found
        issues.append(Issue(code, "warning", message, address, line=line, column=column))
    return issues


def _rows(built: Built, address: str) -> dict[str, Built]:
    """The row objects under ``built`` (at ``address``), by address."""
    if not built.children:
        return {address: built}
    return {a: b for c in built.children for a, b in _rows(c, f"{address}.{c.name}").items()}


#: Two numbers two spaces apart or more: text that may be laid out in character columns.
_SPACED_NUMBERS = re.compile(r"\d {2,}[\d—–―/-]")


def _moved(
    stream: CellStream, compiled: _editions.CompiledEdition, tables: dict[str, Built], normal: str
) -> Optional[ParseError]:
    """A row read whose numbers a tool moved out of the text's columns (:func:`._grid.displaced`);
    only text with numbers two spaces apart or more is looked at (one scan)."""
    if not _SPACED_NUMBERS.search(normal):
        return None
    lines = normal.split("\n")
    issues = displaced(stream.cells, lines, _rows(tables["applications"], "applications"), compiled.builder.schema)
    if not issues:
        return None
    first = issues[0]
    line = first.line or 1  # the issue is at the line of the row's numbers
    return ParseError(first.message, line=line, column=first.column, snippet=lines[line - 1],
                      code="parse.row_unreadable")


def read_text(
    text: str, edition: str = "auto", *, strict: bool = False, notes: Sequence[tuple[int, int, str, str]] = ()
) -> Report:
    """The report in ``text`` (already decoded; any layout, either script).

    When the text does not follow the template throughout, the rows that can be
    read for certain are read (:mod:`gov_disclosure._recover`) and the rest are
    ``None`` with an issue; with ``strict=True`` the first unreadable part raises.
    ``notes`` are an adapter's caveats about places in ``text`` (``(line, column,
    code, message)``: OCR's low-confidence numbers); each becomes a warning at the
    cell printed there.
    """
    if not text or not text.strip():
        raise ParseError("the input is empty", line=1, column=1, snippet="", code="input.empty")
    original = text.replace("\r\n", "\n").replace("\r", "\n")
    normal = normalise(original)
    shared = _grammar.value_pattern()
    cut: dict[str, list[Cell]] = {shared.pattern: cells(normal, shared)}

    if edition == "auto":
        compiled = _editions.detect_compiled("\n".join(c.text for c in cut[shared.pattern]))
    else:
        compiled = _editions.get(edition).compile()
    pattern = compiled.value_re
    if pattern.pattern not in cut:  # an edition with a VALUE of its own
        cut[pattern.pattern] = cells(normal, pattern)
    every = cut[pattern.pattern]
    if FILLER in normal:
        # the strict reader reads only what is printed: an empty edge cell of a markdown
        # row is left out; the row-by-row reader weighs it (see FILLER)
        stream = CellStream([c for c in every if c.text != FILLER])
    else:
        stream = CellStream(every)
    recovered: list[Issue] = []
    try:
        tables: dict[str, Built] = compiled.lark.parse(stream)  # type: ignore[arg-type,assignment]
    except (UnexpectedInput, ParseError) as exc:
        if isinstance(exc, UnexpectedInput):
            error = explain(exc, stream, compiled, _grammar_map(compiled), original.split("\n"))
        else:  # a value the transformer could not read
            error = exc
            if exc.line is not None and exc.snippet is None:
                lines = original.split("\n")
                exc.snippet = lines[exc.line - 1] if 0 < exc.line <= len(lines) else None
        if strict:
            raise error from None
        tables, recovered = recover(
            every, compiled, _grammar_map(compiled), error, blank_lines(normal), normal.split("\n"))
    else:
        k, truncated = _tail(stream, compiled)
        copy = _conflicting_copy(stream, compiled, k)
        if copy is None:
            copy = _moved(stream, compiled, tables, normal)
        if copy is not None:
            if strict:
                raise copy
            tables, recovered = recover(
                stream.cells, compiled, _grammar_map(compiled), copy, lines=normal.split("\n"))
        elif truncated is not None:
            recovered = [truncated]
    year, agency = header_fields(normal, original)
    issues: list[Issue] = [i for built in tables.values() if built.issues for i in built.issues]
    issues.extend(recovered)
    source_map = SourceMap(tables.values())
    if notes:
        issues.extend(_notes(notes, source_map))
    if issues:
        issues.sort(key=Issue.sort_key)
    return Report(
        edition=compiled.edition.name,
        agency=agency,
        year=year,
        active_disclosure=tables["active_disclosure"].obj,
        applications=tables["applications"].obj,
        appeals=tables["appeals"].obj,
        issues=tuple(issues),
        source_map=source_map,
    )
