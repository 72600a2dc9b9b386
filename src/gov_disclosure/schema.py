"""The schema: what the tables, rows and cells of an edition's model are.

The data model (:mod:`gov_disclosure.model`) is a set of attrs classes whose fields
carry their template label and kind in ``metadata``.  This module is the one place
that reads that metadata; every walker of the model (the builder, the error
messages, the validation rules, the records and outputs, ``from_dict``, the
renderers, the strategies) asks it instead of walking attrs fields itself.

>>> from gov_disclosure import schema
>>> s = schema.for_edition("2021")
>>> s.row("applications.denied.state_secret").label
'（三）不予公开 1.属于国家秘密'
>>> [c.name for c in s.row("appeals.review").cells]
['upheld', 'corrected', 'other', 'pending', 'total']
>>> s.table("applications").numeral
'三'

A new edition needs its model rows (built with :func:`count`, :func:`decimal`,
:func:`row` …) and its grammar; it registers its tables here through
:func:`gov_disclosure.editions.register`.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable, Iterator, Mapping, Optional

import attrs
from attrs import field, frozen

__all__ = [
    "COUNT",
    "SIGNED",
    "DECIMAL",
    "TEXT",
    "ROW",
    "TABLES",
    "TITLES",
    "count",
    "signed",
    "decimal",
    "text",
    "row",
    "Cell",
    "Row",
    "CellRef",
    "Table",
    "Schema",
    "of",
    "for_report",
    "for_edition",
    "register_tables",
    "editions",
]

#: Cell kinds: an integer count, a signed integer (2019 本年增/减), an exact decimal
#: (money), a short text (a printed unit); ``row`` marks a nested row or group.
COUNT, SIGNED, DECIMAL, TEXT, ROW = "count", "signed", "decimal", "text", "row"

#: The three tables: attribute of :class:`~gov_disclosure.model.Report` → the numeral
#: the template prints for it.
TABLES: Mapping[str, str] = {"active_disclosure": "二", "applications": "三", "appeals": "四"}

#: The heading the template prints above each table (after its numeral and ``、``).
TITLES: Mapping[str, str] = {
    "active_disclosure": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}


# --- field constructors (used by the model classes) ----------------------------


def _meta(label: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "kind": kind, **extra}


def count(label: str) -> Any:
    """An integer cell (a count of documents, decisions, requests or cases)."""
    return field(default=None, metadata=_meta(label, COUNT))


def signed(label: str) -> Any:
    """A signed integer cell (2019 edition 本年增/减)."""
    return field(default=None, metadata=_meta(label, SIGNED))


def decimal(label: str, unit: Optional[str] = None) -> Any:
    """A decimal cell (money), kept exact as :class:`~decimal.Decimal`.

    ``unit`` is the unit the template fixes for the column (``"万元"``); a value
    printed with another unit is converted where that is exact (``元`` → ``万元``)
    and reported.  Without ``unit`` the printed unit is kept in a text field named
    ``<name>_unit`` if the row has one.
    """
    return field(default=None, metadata=_meta(label, DECIMAL, unit=unit))


def text(label: str) -> Any:
    """A short text cell (a unit printed next to a number)."""
    return field(default=None, metadata=_meta(label, TEXT))


def row(cls: type, label: str) -> Any:
    """A nested row or group of rows."""
    return field(metadata=_meta(label, ROW), default=attrs.Factory(cls))


# --- the schema ------------------------------------------------------------------


@frozen
class Cell:
    """One column of a row class: field ``name``, ``kind``, printed ``label``, the
    column's fixed ``unit`` (or None) and the field holding a printed unit (or None)."""

    name: str
    kind: str
    label: str
    unit: Optional[str] = None
    unit_field: Optional[str] = None


@frozen
class Row:
    """A row of a table (a class whose fields are all cells).

    ``address`` is the full dotted address (``applications.denied.state_secret``),
    ``chain`` the attribute names below the table (``("denied", "state_secret")``),
    ``labels`` the printed labels along the chain (group caption, then row label).
    """

    address: str
    table: str
    chain: tuple[str, ...]
    labels: tuple[str, ...]
    cls: type
    cells: tuple[Cell, ...]

    @property
    def name(self) -> str:
        """The row's own field name (the grammar rule that reads it)."""
        return self.chain[-1]

    @property
    def label(self) -> str:
        """The labels along the row's address, joined: ``（三）不予公开 1.属于国家秘密``."""
        return " ".join(self.labels)

    @property
    def short_label(self) -> str:
        """The row's own label: ``1.属于国家秘密``."""
        return self.labels[-1]

    def get(self, table: Any) -> Any:
        """This row's object inside ``table`` (the table's model object)."""
        obj = table
        for name in self.chain:
            obj = getattr(obj, name)
        return obj


@frozen
class CellRef:
    """One cell of a report shape: its address, parts of the address, kind and label."""

    address: str
    table: str
    row: str
    column: str
    kind: str
    label: str
    row_label: str
    getter: Callable[[Any], Any] = field(eq=False, repr=False)


@frozen
class Table:
    """One table: its key (``applications``), numeral (``三``), class and rows, and the
    heading the template prints above it (``收到和处理政府信息公开申请情况``)."""

    key: str
    numeral: str
    cls: type
    rows: tuple[Row, ...]
    title: str = ""


def cells_of(cls: type) -> tuple[Cell, ...]:
    """The cells of a row class that the text prints (text fields ride with their value)."""
    return _cells_of(cls)


@lru_cache(maxsize=None)
def _cells_of(cls: type) -> tuple[Cell, ...]:
    fields = attrs.fields(cls)
    names = {a.name for a in fields}
    out = []
    for a in fields:
        kind = a.metadata.get("kind", COUNT)
        if kind in (TEXT, ROW):
            continue
        unit_field = f"{a.name}_unit" if f"{a.name}_unit" in names else None
        out.append(Cell(a.name, kind, a.metadata.get("label", a.name), a.metadata.get("unit"), unit_field))
    return tuple(out)


def is_row_class(cls: type) -> bool:
    """A row: an attrs class whose fields are all cells (no nested row or group)."""
    return all(a.metadata.get("kind") != ROW for a in attrs.fields(cls))


def children(cls: type) -> Iterator[tuple[str, type, str]]:
    """``(name, class, label)`` of the rows and groups directly inside a group class."""
    for a in attrs.fields(cls):
        if a.metadata.get("kind") == ROW:
            yield a.name, a.default.factory, a.metadata.get("label", a.name)  # type: ignore[union-attr]


def field_label(cls: type, name: str) -> str:
    """The label the template prints for field ``name`` of ``cls``."""
    return str(attrs.fields_dict(cls)[name].metadata.get("label", name))


class Schema:
    """The shape of one edition's model: tables, rows, cells, labels, kinds.

    Built once per set of table classes (:func:`of`) and cached.
    """

    def __init__(self, tables: Mapping[str, type]) -> None:
        self.classes: dict[str, type] = dict(tables)
        self.tables: tuple[Table, ...] = tuple(
            Table(key, TABLES.get(key, key), cls, tuple(self._rows(key, cls, (), ())), TITLES.get(key, ""))
            for key, cls in tables.items()
        )
        self._tables = {t.key: t for t in self.tables}
        self.rows: dict[str, Row] = {r.address: r for t in self.tables for r in t.rows}
        refs = []
        for t in self.tables:
            for r in t.rows:
                for c in r.cells:
                    address = f"{r.address}.{c.name}"
                    refs.append(
                        CellRef(address, t.key, ".".join(r.chain), c.name, c.kind, c.label, r.label, attrgetter(address))
                    )
                    # a unit field rides with its value but is a cell of the output too
                    if c.unit_field:
                        unit_address = f"{r.address}.{c.unit_field}"
                        label = field_label(r.cls, c.unit_field)
                        refs.append(
                            CellRef(unit_address, t.key, ".".join(r.chain), c.unit_field, TEXT, label, r.label,
                                    attrgetter(unit_address))
                        )
        self.cells: tuple[CellRef, ...] = tuple(refs)
        self._cells = {c.address: c for c in self.cells}
        self.rule_classes: dict[str, type] = self._rule_classes()

    def _rows(self, table: str, cls: type, chain: tuple[str, ...], labels: tuple[str, ...]) -> Iterator[Row]:
        if chain and is_row_class(cls):
            yield Row(".".join((table, *chain)), table, chain, labels, cls, cells_of(cls))
            return
        for name, sub, label in children(cls):
            yield from self._rows(table, sub, (*chain, name), (*labels, label))

    def _rule_classes(self) -> dict[str, type]:
        """Every grammar rule name → the class it builds (tables, groups, rows)."""
        found: dict[str, type] = {}

        def walk(name: str, cls: type) -> None:
            if name in found and found[name] is not cls:
                raise ValueError(f"the model uses the name {name!r} for two different rows; rule names must be unique")
            found[name] = cls
            for sub_name, sub, _ in children(cls):
                walk(sub_name, sub)

        for key, cls in self.classes.items():
            walk(key, cls)
        return found

    def table(self, key: str) -> Table:
        """The table ``key`` (``"applications"``)."""
        return self._tables[key]

    def row(self, address: str) -> Row:
        """The row at ``address`` (``"applications.denied.state_secret"``)."""
        return self.rows[address]

    def cell(self, address: str) -> CellRef:
        """The cell at ``address`` (``"applications.total.research"``)."""
        try:
            return self._cells[address]
        except KeyError:
            raise KeyError(f"no cell {address!r} in this edition's tables") from None

    def label(self, address: str) -> str:
        """The printed labels along ``address``: ``（三）不予公开 3.危及“三安全一稳定” 自然人``."""
        if address in self._cells:
            c = self._cells[address]
            return f"{c.row_label} {c.label}"
        if address in self.rows:
            return self.rows[address].label
        return address

    def __repr__(self) -> str:
        return f"<Schema {', '.join(t.key for t in self.tables)}: {len(self.rows)} rows, {len(self.cells)} cells>"


_lock = threading.Lock()
_schemas: dict[tuple[tuple[str, type], ...], Schema] = {}


def of(tables: Mapping[str, type]) -> Schema:
    """The schema of a set of table classes (cached)."""
    key = tuple(tables.items())
    try:
        return _schemas[key]
    except KeyError:
        with _lock:
            if key not in _schemas:
                _schemas[key] = Schema(tables)
            return _schemas[key]


def for_report(report: Any) -> Schema:
    """The schema of a report (from the classes of its tables)."""
    return of({key: type(getattr(report, key)) for key in TABLES})


_editions: dict[str, Mapping[str, type]] = {}


def register_tables(edition: str, tables: Mapping[str, type]) -> Schema:
    """Record the table classes of ``edition`` (done by :func:`gov_disclosure.editions.register`)."""
    schema = of(tables)
    _editions[edition] = dict(tables)
    return schema


def unregister_tables(edition: str) -> None:
    """Forget an edition's tables (built-in editions stay)."""
    if edition not in ("2019", "2021"):
        _editions.pop(edition, None)


def for_edition(edition: str) -> Schema:
    """The schema of a registered edition; ``KeyError`` names the known ones."""
    try:
        return of(_editions[edition])
    except KeyError:
        raise KeyError(f"no edition {edition!r}; known: {', '.join(sorted(_editions, reverse=True))}") from None


def editions() -> list[str]:
    """Names of the editions whose tables are known, newest first."""
    return sorted(_editions, reverse=True)
