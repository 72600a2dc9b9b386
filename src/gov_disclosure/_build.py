"""The Transformer: grammar rules → attrs objects, driven by the edition's schema.

A grammar rule is named after the model field it fills.  For each rule the
:class:`ModelBuilder` finds the class of that field in the edition's schema
(:mod:`gov_disclosure.schema`) and builds it:

* a *row* (a class whose fields are all cells) from the row's ``VALUE`` tokens, in
  field order, converting each by the cell's kind (count, signed, decimal) and
  checking its printed unit against the column's;
* a *group* (a class of rows) from the objects its child rules built.

So an edition, including one written by a user, needs no transformer code of its
own: a grammar whose rule names match the fields of its model classes.  Every
object carries the source position and printed text of each cell, and the reading
issues (a unit converted or contradicting its column) found while building it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional

from lark import Token, Transformer

from . import schema as _schema
from ._grammar import BLANK, MISSING_MARKS
from ._lexer import base_name
from .errors import EditionError, ParseError
from .issues import Issue
from .model import Source

__all__ = ["Built", "SourceMap", "ModelBuilder", "COUNT_UNITS", "MONEY_UNITS"]

_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<digits>\d+(?:,\d{3})*)(?P<frac>\.\d+)?(?P<unit>\D*)")

#: Units a count may be printed with (件, 条 …): they agree with every count column.
COUNT_UNITS = frozenset({"件", "条", "个", "项", "份"})
#: Money units, and the power of ten that takes each to 元.
MONEY_UNITS = {"元": 0, "万元": 4}


class Built:
    """What a rule produced: the model object, the value tokens it was read from, and
    the reading issues found while building it and everything below it.

    A row keeps its ``VALUE`` tokens (aligned with its cells), a group its children;
    :class:`SourceMap` turns them into positions only when asked.
    """

    __slots__ = ("name", "obj", "tokens", "children", "issues")

    def __init__(
        self,
        name: str,
        obj: Any,
        tokens: tuple[Token, ...] = (),
        children: tuple["Built", ...] = (),
        issues: tuple[Issue, ...] = (),
    ) -> None:
        self.name = name
        self.obj = obj
        self.tokens = tokens
        self.children = children
        self.issues = issues



class SourceMap:
    """Where each cell was printed, and what was printed there.

    Built lazily from the parse result: ``locations`` maps an address to
    ``(line, column)``, ``printed`` maps the address of a missing value to its
    text, :meth:`source` gives a cell's :class:`~gov_disclosure.model.Source`.
    """

    __slots__ = ("_roots", "_sources", "_locations", "_printed")

    def __init__(self, roots: Iterable[Built] = ()) -> None:
        self._roots = tuple(roots)
        self._sources: Optional[dict[str, Source]] = None
        self._locations: Optional[dict[str, tuple[int, int]]] = None
        self._printed: Optional[dict[str, str]] = None

    def _walk(self) -> dict[str, Source]:
        if self._sources is not None:
            return self._sources
        sources: dict[str, Source] = {}

        def walk(b: Built, prefix: str) -> None:
            if b.children:
                for c in b.children:
                    walk(c, f"{prefix}.{c.name}")
                return
            for cell, tok in zip(_schema.cells_of(type(b.obj)), b.tokens):
                text = "" if tok == BLANK else str(tok)
                m = _NUMBER.fullmatch(text)
                unit = (m["unit"] or None) if m else None
                sources[f"{prefix}.{cell.name}"] = Source(text, tok.line, tok.column, unit)

        for root in self._roots:
            walk(root, root.name)
        self._sources = sources
        return sources

    @property
    def locations(self) -> dict[str, tuple[int, int]]:
        if self._locations is None:
            self._locations = {a: (s.line or 0, s.column or 0) for a, s in self._walk().items()}
        return self._locations

    @property
    def printed(self) -> dict[str, str]:
        if self._printed is None:
            self._printed = {a: s.printed for a, s in self._walk().items() if MISSING_MARKS.fullmatch(s.printed)}
        return self._printed

    def source(self, address: str) -> Optional[Source]:
        return self._walk().get(address)


class _Reader:
    """Reads the printed values of one row class's cells (kinds and units checked)."""

    def __init__(self, row: _schema.Row, numeral: str) -> None:
        self.row = row
        self.cells = row.cells
        self.where = f"table {numeral}: row {row.label}"

    def read(self, cell: _schema.Cell, token: Token) -> tuple[Any, Optional[str], Optional[Issue]]:
        """``(value, printed unit, issue)`` for one printed value."""
        text = str(token)
        if MISSING_MARKS.fullmatch(text):
            return None, None, None
        m = _NUMBER.fullmatch(text)
        column = f"{self.where}, column {cell.label}"
        if m is None:
            raise ParseError(
                f"{column}: {text!r} is not a number", line=token.line, column=token.column, code="number.garbled"
            )
        digits = m["digits"].replace(",", "")
        unit = m["unit"] or None
        address = f"{self.row.address}.{cell.name}"

        def unread(why: str) -> tuple[Any, Optional[str], Optional[Issue]]:
            issue = Issue(
                "value.unit", "error", f"{column}: {text!r} {why}; the cell is not read", address,
                line=token.line, column=token.column, printed=text,
            )
            return None, unit, issue

        if cell.kind == _schema.DECIMAL:
            if unit is not None and unit not in MONEY_UNITS:
                return unread(f"is printed in {unit}, not money")
            value = Decimal(m["sign"] + digits + (m["frac"] or ""))
            if unit is None or cell.unit is None or unit == cell.unit:
                return value, unit, None
            if cell.unit not in MONEY_UNITS:  # pragma: no cover - a model with another money unit
                return unread(f"is in {unit}, and this column is in {cell.unit}")
            converted = value.scaleb(MONEY_UNITS[unit] - MONEY_UNITS[cell.unit])
            issue = Issue(
                "value.unit", "warning",
                f"{column}: printed {text!r} in {unit}, but the column is in {cell.unit}: "
                f"read as {format(converted, 'f')} {cell.unit}",
                address, expected=None, actual=converted, line=token.line, column=token.column, printed=text,
            )
            return converted, unit, issue
        if m["frac"]:
            raise ParseError(
                f"{column}: {text!r} is not a whole number (this column counts items)",
                line=token.line, column=token.column, code="number.not_whole",
            )
        if unit is not None and unit not in COUNT_UNITS:
            return unread(f"is an amount in {unit}, but this column counts items")
        number = int(digits)
        return (-number if m["sign"] == "-" else number), unit, None


class ModelBuilder(Transformer):  # type: ignore[type-arg]
    """Lark transformer (used inline by the LALR parser) that builds model objects.

    Handlers are looked up by rule name; Lark's namespaced names for imported rules
    (``template__denied``) resolve to the same handler as ``denied``.
    """

    def __init__(self, tables: dict[str, type]) -> None:
        super().__init__(visit_tokens=False)
        self.schema = _schema.of(tables)
        rows = {r.name: r for r in self.schema.rows.values()}
        self._handlers: dict[str, Callable[[list[Any]], Any]] = {"start": self._start}
        for name, cls in self.schema.rule_classes.items():
            if name in rows:
                numeral = self.schema.table(rows[name].table).numeral
                self._handlers[name] = self._row(name, cls, _Reader(rows[name], numeral))
            else:
                self._handlers[name] = self._group(name, cls)

    def handles(self, rule: str) -> bool:
        """True if a rule of this name (namespaced or not) has a handler."""
        return base_name(rule) in self._handlers

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_"):
            try:
                return self.__dict__["_handlers"][base_name(name)]
            except KeyError:
                pass
        raise AttributeError(name)

    # -- handlers -----------------------------------------------------------------

    @staticmethod
    def _start(children: list[Any]) -> dict[str, Built]:
        return {c.name: c for c in children if isinstance(c, Built)}

    @staticmethod
    def _row(name: str, cls: type, reader: _Reader) -> Callable[[list[Any]], Built]:
        cells = reader.cells
        plain = [c.kind != _schema.DECIMAL for c in cells]

        def build(children: list[Any]) -> Built:
            values = tuple([c for c in children if _is_value(c.type)])
            if len(values) != len(cells):  # check_edition rules this out when the edition compiles
                raise EditionError(f"rule {name!r} read {len(values)} numbers but {cls.__name__} has {len(cells)} cells")
            kwargs: dict[str, Any] = {}
            issues: list[Issue] = []
            for cell, is_plain, tok in zip(cells, plain, values):
                if is_plain and tok.isdigit() and tok.isascii():  # the common case
                    kwargs[cell.name] = int(tok)
                    continue
                value, unit, issue = reader.read(cell, tok)
                kwargs[cell.name] = value
                if cell.unit_field:
                    kwargs[cell.unit_field] = unit
                if issue is not None:
                    issues.append(issue)
            return Built(name, cls(**kwargs), tokens=values, issues=tuple(issues))

        return build

    @staticmethod
    def _group(name: str, cls: type) -> Callable[[list[Any]], Built]:
        expected = {n for n, _, _ in _schema.children(cls)}

        def build(children: list[Any]) -> Built:
            built = tuple(c for c in children if type(c) is Built)
            kwargs = {c.name: c.obj for c in built}
            if len(kwargs) != len(expected):  # pragma: no cover - check_edition rules this out
                missing = ", ".join(sorted(expected - set(kwargs)))
                raise EditionError(f"rule {name!r} built no {missing}")
            issues = [i for c in built if c.issues for i in c.issues]
            return Built(name, cls(**kwargs), children=built, issues=tuple(issues) if issues else ())

        return build


_VALUE_TYPES: dict[str, bool] = {}


def _is_value(terminal: str) -> bool:
    try:
        return _VALUE_TYPES[terminal]
    except KeyError:
        _VALUE_TYPES[terminal] = result = base_name(terminal) == "VALUE"
        return result
