"""Reading report text: normalise, cut into cells, detect the edition, parse, build.

This is the reading layer's one entry point, :func:`read_text`; the public
:func:`gov_disclosure.parse` functions (:mod:`gov_disclosure.api`) call it after
the input adapters have turned a document into text.
"""

from __future__ import annotations

from functools import lru_cache

from lark.exceptions import UnexpectedInput

from . import _grammar
from . import editions as _editions
from ._build import Built, SourceMap
from ._diagnostics import GrammarMap, explain
from ._header import header_fields
from ._lexer import CellStream
from ._normalize import Cell, cells, normalise
from ._recover import recover
from .errors import ParseError
from .issues import Issue
from .model import Report

__all__ = ["read_text"]


@lru_cache(maxsize=None)
def _grammar_map(compiled: _editions.CompiledEdition) -> GrammarMap:
    return GrammarMap(compiled)


def read_text(text: str, edition: str = "auto", *, strict: bool = False) -> Report:
    """The report in ``text`` (already decoded; any layout, either script).

    When the text does not follow the template throughout, the rows that can be
    read for certain are read (:mod:`gov_disclosure._recover`) and the rest are
    ``None`` with an issue; with ``strict=True`` the first unreadable part raises.
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
    stream = CellStream(cut[pattern.pattern])
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
        tables, recovered = recover(stream.cells, compiled, _grammar_map(compiled), error)
    year, agency = header_fields(normal, original)
    issues: list[Issue] = [i for built in tables.values() if built.issues for i in built.issues]
    issues.extend(recovered)
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
        source_map=SourceMap(tables.values()),
    )
