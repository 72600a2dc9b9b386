"""Turn Lark's parse failures into errors a person can act on.

Lark says "unexpected token X, expected one of {A, B}".  Here we know more: the
cell lexer kept every token it produced, and the grammar says which terminal
starts which row and how many numbers a row holds, so a failure becomes
"table 三: expected the row 3.危及“三安全一稳定” with 7 numbers, found 6".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional, Sequence

import attrs
from lark import Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from . import schema as _schema
from ._grammar import template_markers
from ._lexer import CellStream, base_name
from .errors import ParseError

if TYPE_CHECKING:
    from .editions import CompiledEdition

__all__ = ["GrammarMap", "explain"]


def join_expected(items: Sequence[str]) -> str:
    """``['a', 'b', 'c']`` → ``"a, b or c"``."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


@attrs.frozen
class RowInfo:
    rule: str
    table: str  # 二, 三, 四
    label: str  # as the template prints it
    size: int  # numbers in the row (0 for a caption)
    columns: tuple[str, ...]


class GrammarMap:
    """What each terminal of an edition's grammar stands for, in words."""

    def __init__(self, compiled: "CompiledEdition") -> None:
        shape = _schema.of(compiled.edition.tables)
        tables = shape.classes
        labels: dict[str, tuple[str, str]] = {}  # rule -> (table numeral, label)
        rows: dict[str, _schema.Row] = {}

        def walk(numeral: str, cls: type) -> None:
            for name, sub, label in _schema.children(cls):
                labels[name] = (numeral, label)
                walk(numeral, sub)

        for t in shape.tables:
            labels[t.key] = (t.numeral, "")
            walk(t.numeral, t.cls)
            rows.update((r.name, r) for r in t.rows)
        numerals = {t.key: t.numeral for t in shape.tables}

        self.value_type = compiled.lexer.value_type
        self.rows: dict[str, RowInfo] = {}  # terminal -> row it starts
        self.words: dict[str, str] = {}  # terminal -> description
        for rule in compiled.lark.rules:
            name = base_name(str(rule.origin.name))
            if name not in labels or not rule.expansion:
                continue
            table, label = labels[name]
            first = rule.expansion[0]
            if not first.is_term or base_name(first.name) == "VALUE":
                continue
            row = rows.get(name)
            if row is not None:
                cols = tuple(c.label for c in row.cells)
                self.rows[first.name] = RowInfo(name, table, label, len(cols), cols)
                self.words[first.name] = f"the row {label}"
            elif label:
                self.rows[first.name] = RowInfo(name, table, label, 0, ())
                self.words[first.name] = f"the caption {label}"
        for terminal in compiled.lark.terminals:
            if terminal.name not in self.words:
                regexp = terminal.pattern.to_regexp() if terminal.pattern else None
                self.words[terminal.name] = _literal(regexp) if regexp else terminal.name
        self.words[self.value_type] = "a number"
        self.words["TEXT"] = "text"
        self.words["$END"] = "the end of the text"
        # Which table each terminal belongs to (through inlined helper rules too).
        by_origin: dict[str, list[Any]] = {}
        for rule in compiled.lark.rules:
            by_origin.setdefault(str(rule.origin.name), []).append(rule)
        self.table_of: dict[str, str] = {}
        for origin in by_origin:
            name = base_name(origin)
            if name in tables:
                self._mark(by_origin, origin, numerals[name], set())
        self.first_terminal = {
            numerals[base_name(str(r.origin.name))]: r.expansion[0].name
            for r in compiled.lark.rules
            if base_name(str(r.origin.name)) in tables and r.expansion and r.expansion[0].is_term
        }

    def _mark(self, by_origin: dict[str, list[Any]], origin: str, table: str, seen: set[str]) -> None:
        if origin in seen:
            return
        seen.add(origin)
        for rule in by_origin.get(origin, ()):
            for sym in rule.expansion:
                if sym.is_term:
                    if base_name(sym.name) not in ("VALUE", "TEXT"):
                        self.table_of.setdefault(sym.name, table)
                else:
                    self._mark(by_origin, str(sym.name), table, seen)

    def describe(self, terminal: str) -> str:
        return self.words.get(terminal, terminal)


def _literal(pattern: str) -> str:
    """A readable form of a simple label regex: optional groups and escapes removed."""
    # free text inside a label (``[^)]{0,60}``, ``.{1,4}``, ``.*``) is shown as ``…``
    pattern = re.sub(r"(?:(?<!\\)\[[^\]]*\]|(?<!\\)\.)(?:\{\d*,?\d*\}|[*+])", "…", pattern)
    pattern = pattern.replace("\\(?", "(").replace("\\)?", ")")
    s = re.sub(r"\((?:\?:)?(?:[^()\\]|\\.)*\)\?", "", pattern)
    s = re.sub(r"\(\?:(.*)\)$", r"\1", s)
    s = s.replace("\\", "")
    if re.search(r"[\[\]{}*+?|^$]|\.\{", s) or not s:
        return pattern
    return s


def _show(tok: Token) -> str:
    text = str(tok)
    return repr(text if len(text) <= 30 else text[:30] + "…")


def explain(
    exc: UnexpectedInput, stream: CellStream, compiled: "CompiledEdition", gmap: GrammarMap, source_lines: list[str]
) -> ParseError:
    """A :class:`ParseError` for a Lark failure while reading ``stream``."""
    history = stream.history
    tok: Optional[Token] = exc.token if isinstance(exc, UnexpectedToken) else None
    if isinstance(exc, UnexpectedToken) and tok is not None and tok.type == "$END":
        tok = None
    state: Any = getattr(exc, "state", None)
    try:
        expected = sorted(t for t in state.parse_conf.states[state.position] if t[:1] != "_" and t != "$END")
    except AttributeError:
        expected = sorted(getattr(exc, "expected", None) or [])
    before = history[:-1] if (tok is not None and history and history[-1] is tok) else history
    value_type = gmap.value_type

    # The row being read: the last row label, and the numbers seen since.
    row_tok: Optional[Token] = None
    row: Optional[Any] = None
    seen = 0
    for t in reversed(before):
        if t.type == value_type:
            seen += 1
            continue
        info = gmap.rows.get(t.type)
        if info is not None and info.size:
            row_tok, row = t, info
        break
    table = row.table if row else None
    if table is None:
        for name in expected:
            if name in gmap.table_of:
                table = gmap.table_of[name]
                break
    where = f"table {table}: " if table else ""
    line = tok.line if tok is not None else None
    column = tok.column if tok is not None else None
    in_table = [e for e in expected if e in gmap.table_of or e == value_type]
    wanted = join_expected([gmap.describe(e) for e in (in_table or expected) if e != "TEXT"]) or "more cells"

    if tok is not None and tok.type == "NUMBER_PIECE":
        previous = before[-1] if before else None
        code = "number.split"
        message = (
            f"{where}the number {str(previous)!r} continues in the next cell ({_show(tok)}): a number cut in "
            "two cannot be read safely"
        )
    elif row is not None and value_type in expected and seen < row.size:
        found = "the end of the text" if tok is None else _found(gmap, tok)
        if tok is not None and tok.type not in gmap.rows and not tok.type == value_type and _looks_garbled(str(tok)):
            code = "number.garbled"
            message = (
                f"{where}row {row.label}: {_show(tok)} is not a number "
                f"(number {seen + 1} of {row.size}, column {row.columns[seen]})"
            )
        else:
            code = "row.short"
            message = f"{where}expected the row {row.label} with {row.size} numbers, found {seen}"
            message += f" before {found}" if tok is not None else " before the end of the text"
            line, column = row_tok.line, row_tok.column  # type: ignore[union-attr]
    elif row is not None and tok is not None and tok.type == value_type and seen >= row.size:
        code = "number.extra"
        message = f"{where}the row {row.label} has more than {row.size} numbers: extra number {_show(tok)}; expected {wanted}"
    elif tok is not None and tok.type == value_type and value_type not in expected:
        last = next((gmap.table_of[t.type] for t in reversed(before) if t.type in gmap.table_of), None)
        where = f"table {last}: " if last else where
        code = "number.extra"
        message = (
            f"{where}a number {_show(tok)} where the template has none (expected {wanted}): the numbers "
            "here cannot be assigned to cells safely"
        )
    elif not any(t.type in gmap.table_of for t in before):
        code, message, line, column = _no_tables(stream, compiled, gmap, wanted)
    elif tok is None:
        last = before[-1] if before else None
        line = last.line if last is not None else None
        column = None
        code = "text.truncated"
        following = next((gmap.table_of[e] for e in expected if e in gmap.table_of), None)
        if following is not None and following != table and (row is None or seen >= row.size):
            # the tables before are complete: the text ends where the next table should begin
            message = (
                f"table {following}: the text ends before it (after table {table}, which is complete): "
                f"expected {wanted}"
            )
        else:
            message = f"{where}the text ends inside the tables: expected {wanted}"
    else:
        code = "row.unexpected"
        message = f"{where}expected {wanted}, found {_found(gmap, tok)}"
    snippet = source_lines[line - 1] if line and 0 < line <= len(source_lines) else None
    return ParseError(message, line=line, column=column, snippet=snippet, expected=wanted, code=code)


def _found(gmap: GrammarMap, tok: Token) -> str:
    """What was found instead: a row label by its name (the printed text only when it
    differs from the label), anything else as printed."""
    if tok.type == "ROW_END":
        return "the end of its table row"
    if tok.type in gmap.rows:
        described = gmap.describe(tok.type)
        info = gmap.rows[tok.type]
        return described if str(tok) == info.label else f"{described} (printed {_show(tok)})"
    return _show(tok)


def _no_tables(
    stream: CellStream, compiled: "CompiledEdition", gmap: GrammarMap, wanted: str
) -> tuple[str, str, Optional[int], Optional[int]]:
    """The parser never entered a table: say what the text has instead, and where."""
    for cell in stream.cells:
        parts = compiled.lexer.tokenize(cell.text)
        if parts and parts[0][0] in gmap.table_of:
            table = gmap.table_of[parts[0][0]]
            return (
                "table.incomplete",
                f"table {table} is incomplete: its first cells are missing (expected {wanted} "
                f"before {gmap.describe(parts[0][0])} {cell.text!r})",
                cell.line,
                cell.column,
            )
    markers = template_markers()
    for cell in stream.cells:
        found = markers.search(cell.text)
        if found is not None:
            # a caption inside running text: present, but not where a table starts
            return (
                "tables.none",
                f"no report table could be read: the caption {found.group()!r} is printed inside a line of "
                f"text ({cell.text[:40]!r}…), and no table's rows follow it",
                cell.line,
                cell.column + found.start(),
            )
    return (
        "tables.none",
        "no report tables found: this does not look like a government information disclosure "
        f"annual report (expected {wanted}, the caption of table 二)",
        None,
        None,
    )


def _looks_garbled(text: str) -> bool:
    """A cell that was meant to be a number: digits mixed with letters (``1O``, ``l2``)."""
    return bool(re.search(r"\d", text)) and len(text) <= 12 or bool(re.fullmatch(r"[OolI]+", text))
