"""Records: a report as one flat row per cell, and many reports as a pandas DataFrame.

Each record is a dict with the keys of :data:`RECORD_COLUMNS`::

    source   the file (or any label) the report came from, or None
    agency   Report.agency
    year     Report.year
    edition  "2019" or "2021"
    table    the table key: "active_disclosure" (table 二), "applications" (table 三)
             or "appeals" (table 四) -- see :data:`TABLE_NUMERALS`
    row      the row address inside the table, dotted: "denied.state_secret", "total"
    column   the column (field) name: "natural_person", "amount", "total"
    path     the full cell address, "<table>.<row>.<column>", the same string as in
             Report.cells(), Report.get() and Issue.path
    value    int, Decimal (money, exact), None (blank/dash cell) or, for the one text
             cell (2019 procurement.amount_unit), a str

Records come in :meth:`Report.cells` order (template order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Union

from . import schema as _schema
from .errors import MissingExtraError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .model import Report

__all__ = [
    "RECORD_COLUMNS",
    "TABLE_NUMERALS",
    "report_records",
    "iter_records",
    "cell_layout",
    "reading_errors",
    "to_dataframe",
]

#: The keys of every record, in order.
RECORD_COLUMNS: tuple[str, ...] = ("source", "agency", "year", "edition", "table", "row", "column", "path", "value")

#: Table key → the numeral the template prints for it (二, 三, 四).
TABLE_NUMERALS = _schema.TABLES

#: One cell of a layout: (path, table, row, column, getter).
Cell = tuple[str, str, str, str, Callable[[Any], Any]]

_LAYOUTS: dict[int, tuple[_schema.Schema, tuple[Cell, ...]]] = {}


def cell_layout(report: "Report") -> tuple[Cell, ...]:
    """``(path, table, row, column, getter)`` for every cell of ``report``'s shape.

    The layout depends only on the report's schema (its edition), so it is
    computed once per schema; ``getter(report)`` returns the cell's value.  The
    order is :meth:`Report.cells` order.
    """
    shape = report.schema
    cached = _LAYOUTS.get(id(shape))
    if cached is None or cached[0] is not shape:
        layout = tuple((c.address, c.table, c.row, c.column, c.getter) for c in shape.cells)
        cached = _LAYOUTS[id(shape)] = (shape, layout)
    return cached[1]


def reading_errors(report: "Report") -> dict[str, str]:
    """``{address: message}`` for every cell a reading issue left unread, and every
    cell whose value was inferred (``value.inferred``: its separators were lost and
    the template's arithmetic allowed one split only).

    A partial report's unread cells are ``None``; the outputs write this message in
    their ``error`` column so an empty value is never mistaken for a blank cell, and
    an inferred value never for a printed one.  An issue about a row or a table
    covers every cell of it.
    """
    if not report.issues:
        return {}
    flagged = ("value.inferred", "value.low_confidence")
    located = [i for i in report.issues if i.path and (i.severity == "error" or i.code in flagged)]
    if not located:
        return {}
    errors: dict[str, str] = {}
    for address, _table, _row, _column, getter in cell_layout(report):
        value = getter(report)
        for issue in located:
            if address == issue.path or address.startswith(issue.path + "."):
                if (value is None) == (issue.code not in flagged):
                    errors[address] = f"{issue.code}: {issue.message}"
                    break
    return errors


def iter_records(report: "Report", source: Optional[str] = None) -> Iterator[dict[str, Any]]:
    """Like :func:`report_records`, lazily."""
    head = {"source": source, "agency": report.agency, "year": report.year, "edition": report.edition}
    for path, table, row, column, getter in cell_layout(report):
        yield {**head, "table": table, "row": row, "column": column, "path": path, "value": getter(report)}


def report_records(report: "Report", source: Optional[str] = None) -> list[dict[str, Any]]:
    """One dict per cell of ``report`` (keys :data:`RECORD_COLUMNS`), in template order:
    :meth:`Report.to_records`, which builds them from the same schema."""
    return report.to_records(source)


ReportLike = Union["Report", tuple[Optional[str], "Report"]]


def to_dataframe(
    reports: Union["Report", Iterable[ReportLike]], *, sources: Optional[Iterable[Optional[str]]] = None
) -> "pd.DataFrame":
    """A pandas DataFrame with one row per cell of every report (columns :data:`RECORD_COLUMNS`).

    ``reports`` is a Report, an iterable of Reports, or an iterable of
    ``(source, Report)`` pairs (e.g. from :func:`gov_disclosure.batch.parse_many`, minus failures).  ``sources`` optionally gives a source per report.

    Column types: ``source``, ``agency``, ``edition``, ``table``, ``row``,
    ``column``, ``path`` are strings (``table``/``edition`` as categoricals);
    ``year`` is a nullable ``Int64``; ``value`` is an ``object`` column holding the
    exact values (``int``, ``Decimal``, ``None``, and the ``str`` unit of a 2019
    procurement amount).  For arithmetic use
    ``pd.to_numeric(df["value"], errors="coerce")`` (floats) or keep the Python
    objects for exact sums.

    Needs the optional dependency pandas (``pip install 'gov-disclosure[pandas]'``);
    raises :class:`~gov_disclosure.errors.MissingExtraError` without it.
    """
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtraError("pandas", "pandas", "a DataFrame") from None
    from .model import Report

    if isinstance(reports, Report):
        reports = [reports]
    source_iter = iter(sources) if sources is not None else None
    columns: dict[str, list[Any]] = {name: [] for name in RECORD_COLUMNS}
    for item in reports:
        if isinstance(item, tuple):
            source, report = item
        else:
            source, report = None, item
        if source_iter is not None:
            source = next(source_iter, None)
        layout = cell_layout(report)
        n = len(layout)
        columns["source"].extend([source] * n)
        columns["agency"].extend([report.agency] * n)
        columns["year"].extend([report.year] * n)
        columns["edition"].extend([report.edition] * n)
        for path, table, row, column, getter in layout:
            columns["table"].append(table)
            columns["row"].append(row)
            columns["column"].append(column)
            columns["path"].append(path)
            columns["value"].append(getter(report))
    frame = pd.DataFrame(
        {
            "source": pd.array(columns["source"], dtype=object),
            "agency": pd.array(columns["agency"], dtype=object),
            "year": pd.array(columns["year"], dtype="Int64"),
            "edition": pd.Categorical(columns["edition"]),
            "table": pd.Categorical(columns["table"], categories=list(TABLE_NUMERALS)),
            "row": pd.array(columns["row"], dtype=object),
            "column": pd.array(columns["column"], dtype=object),
            "path": pd.array(columns["path"], dtype=object),
            "value": pd.array(columns["value"], dtype=object),
        },
        columns=list(RECORD_COLUMNS),
    )
    return frame
