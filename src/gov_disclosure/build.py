"""The Transformer: grammar rules → attrs objects, driven by the edition's model.

A grammar rule is named after the model field it fills.  For each rule the
:class:`ModelBuilder` finds the attrs class of that field in the edition's model
and builds it:

* a *row* (a class whose fields are all cells) from the row's ``VALUE`` tokens, in
  field order, converting each by the field's kind (count, signed, decimal);
* a *group* (a class of rows) from the objects its child rules built.

So an edition, including one written by a user, needs no transformer code of its
own: a grammar whose rule names match the fields of its model classes.  Every
object carries the source position of each cell (for validation messages) and
the printed text of each blank or dash cell.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional

import attrs
from lark import Token, Transformer

from .errors import ParseError
from .lexer import base_name

__all__ = ["Built", "SourceMap", "ModelBuilder", "model_rules", "is_row_class", "MISSING_MARKS"]

#: Printed marks that mean "no value".  ``∅`` stands for a blank table cell (the
#: document adapters write it); its printed text is recorded as "".
BLANK = "∅"
MISSING_MARKS = re.compile(r"[—–―-]+|/|无|不适用|∅|")

_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<digits>\d+(?:,\d{3})*)(?P<frac>\.\d+)?(?P<unit>\D*)")


class Built:
    """What a rule produced: the model object, and the value tokens it was read from.

    A row keeps its ``VALUE`` tokens (aligned with its cell fields), a group its
    children; :class:`SourceMap` turns them into positions only when asked.
    """

    __slots__ = ("name", "obj", "tokens", "children")

    def __init__(self, name: str, obj: Any, tokens: tuple[Token, ...] = (), children: tuple["Built", ...] = ()):
        self.name = name
        self.obj = obj
        self.tokens = tokens
        self.children = children


class SourceMap:
    """Where each cell was printed, and what was printed in blank or dash cells.

    Built lazily from the parse result: ``locations`` maps an address to
    ``(line, column)``, ``printed`` maps the address of a missing value to its text.
    """

    __slots__ = ("_roots", "_locations", "_printed")

    def __init__(self, roots: Iterable[Built] = ()) -> None:
        self._roots = tuple(roots)
        self._locations: Optional[dict[str, tuple[int, int]]] = None
        self._printed: Optional[dict[str, str]] = None

    def _walk(self) -> None:
        locations: dict[str, tuple[int, int]] = {}
        printed: dict[str, str] = {}

        def walk(b: Built, prefix: str) -> None:
            if b.children:
                for c in b.children:
                    walk(c, f"{prefix}.{c.name}")
                return
            for name, tok in zip(_cell_names(type(b.obj)), b.tokens):
                path = f"{prefix}.{name}"
                locations[path] = (tok.line or 0, tok.column or 0)
                if getattr(b.obj, name) is None:
                    printed[path] = "" if tok == BLANK else str(tok)

        for root in self._roots:
            walk(root, root.name)
        self._locations, self._printed = locations, printed

    @property
    def locations(self) -> dict[str, tuple[int, int]]:
        if self._locations is None:
            self._walk()
        return self._locations  # type: ignore[return-value]

    @property
    def printed(self) -> dict[str, str]:
        if self._printed is None:
            self._walk()
        return self._printed  # type: ignore[return-value]


_CELL_NAMES: dict[type, tuple[str, ...]] = {}


def _cell_names(cls: type) -> tuple[str, ...]:
    """Names of the fields of a row class read from the text (not derived ones)."""
    try:
        return _CELL_NAMES[cls]
    except KeyError:
        names = tuple(a.name for a in attrs.fields(cls) if a.metadata.get("kind") != "text")
        _CELL_NAMES[cls] = names
        return names


def is_row_class(cls: type) -> bool:
    """A row: an attrs class whose fields are all cells (no nested attrs class)."""
    return all(a.metadata.get("kind") != "row" for a in attrs.fields(cls))


def model_rules(tables: dict[str, type]) -> dict[str, type]:
    """Map every rule name an edition's grammar may use to the attrs class it builds."""
    found: dict[str, type] = {}

    def walk(name: str, cls: type) -> None:
        if name in found and found[name] is not cls:
            raise ValueError(f"the model uses the name {name!r} for two different rows; rule names must be unique")
        found[name] = cls
        for a in attrs.fields(cls):
            if a.metadata.get("kind") == "row":
                walk(a.name, a.default.factory)

    for table, cls in tables.items():
        walk(table, cls)
    return found


def convert(kind: str, token: Token, where: Callable[[], str]) -> tuple[Any, Optional[str]]:
    """Read one printed value: returns ``(value, unit)``; ``value`` is None for a blank."""
    text = str(token)
    if MISSING_MARKS.fullmatch(text):
        return None, None
    m = _NUMBER.fullmatch(text)
    if m is None:
        raise ParseError(f"{where()}: {text!r} is not a number", line=token.line, column=token.column)
    digits = m["digits"].replace(",", "")
    unit = m["unit"] or None
    if kind == "decimal":
        return Decimal(m["sign"] + digits + (m["frac"] or "")), unit
    if m["frac"]:
        raise ParseError(
            f"{where()}: {text!r} is not a whole number (this column counts items)",
            line=token.line,
            column=token.column,
        )
    number = int(digits)
    return (-number if m["sign"] == "-" else number), unit


class ModelBuilder(Transformer):
    """Lark transformer (used inline by the LALR parser) that builds model objects.

    Handlers are looked up by rule name; Lark's namespaced names for imported rules
    (``template__denied``) resolve to the same handler as ``denied``.
    """

    def __init__(self, tables: dict[str, type]) -> None:
        super().__init__(visit_tokens=False)
        self.tables = tables
        self.rules = model_rules(tables)
        self._handlers: dict[str, Callable[[list[Any]], Any]] = {"start": self._start}
        for name, cls in self.rules.items():
            self._handlers[name] = self._row(name, cls) if is_row_class(cls) else self._group(name, cls)

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

    def _row(self, name: str, cls: type) -> Callable[[list[Any]], Built]:
        fields = [a for a in attrs.fields(cls) if a.metadata.get("kind") != "text"]
        kinds = [(a.name, a.metadata.get("kind", "count"), a.metadata.get("label", a.name)) for a in fields]
        units = {a.name[: -len("_unit")]: a.name for a in attrs.fields(cls) if a.metadata.get("kind") == "text"}

        def build(children: list[Any]) -> Built:
            values = tuple([c for c in children if _is_value(c.type)])
            if len(values) != len(kinds):
                raise ParseError(
                    f"grammar and model disagree: rule {name!r} read {len(values)} numbers "
                    f"but {cls.__name__} has {len(kinds)} cells"
                )
            kwargs: dict[str, Any] = {}
            for (field_name, kind, label), tok in zip(kinds, values):
                if kind != "decimal" and tok.isdigit() and tok.isascii():  # the common case
                    kwargs[field_name] = int(tok)
                    continue
                value, unit = convert(kind, tok, lambda label=label: f"row {name}, column {label}")  # type: ignore[misc]
                kwargs[field_name] = value
                if field_name in units:
                    kwargs[units[field_name]] = unit
            return Built(name, cls(**kwargs), tokens=values)

        return build

    @staticmethod
    def _group(name: str, cls: type) -> Callable[[list[Any]], Built]:
        expected = {a.name for a in attrs.fields(cls)}

        def build(children: list[Any]) -> Built:
            built = tuple(c for c in children if type(c) is Built)
            kwargs = {c.name: c.obj for c in built}
            if len(kwargs) != len(expected):
                missing = ", ".join(sorted(expected - set(kwargs)))
                raise ParseError(f"grammar and model disagree: rule {name!r} built no {missing}")
            return Built(name, cls(**kwargs), children=built)

        return build


_VALUE_TYPES: dict[str, bool] = {}


def _is_value(terminal: str) -> bool:
    try:
        return _VALUE_TYPES[terminal]
    except KeyError:
        _VALUE_TYPES[terminal] = result = base_name(terminal) == "VALUE"
        return result
