"""Table grids → report lines: the rules the HTML, DOCX and PDF adapters share.

Each adapter finds a document's tables as *grid rows* (:data:`GridRow`: the grid
column and text of each cell that starts in the row); :func:`table_lines` writes
them as report lines, one row per line with cells joined by `` | ``, so the
grammar reads every format the same way.  A blank cell in a column of numbers
becomes :data:`BLANK`, which the grammar reads as a missing value.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

from .._grammar import BLANK, MISSING_MARKS, template_markers, value_pattern
from .._normalize import to_simplified

__all__ = [
    "GridRow",
    "BLANK",
    "clean_cell",
    "is_number",
    "is_value",
    "has_report_tables",
    "drop_repeated_header",
    "table_lines",
    "tables_hold_numbers",
]


#: One table row: ``(grid column, cell text)`` for each cell that *starts* in the
#: row (the grid slots a merged cell spans in later rows/columns are not listed).
GridRow = Sequence[tuple[int, str]]

_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff|｜]+")
def clean_cell(text: str) -> str:
    """A cell's or paragraph's text on one line: whitespace runs (``&nbsp;``,
    ideographic space, line breaks) become one space; ``|`` (the cell separator of
    the report text) is treated as space too."""
    return _SPACE.sub(" ", text).strip()


def is_number(text: str) -> bool:
    """True if ``text`` is a number as tables print it (``12``, ``1,234``, ``3.5``, ``251000元``)."""
    return is_value(text) and MISSING_MARKS.fullmatch(to_simplified(text)) is None


@lru_cache(maxsize=8192)
def is_value(text: str) -> bool:
    """True if ``text`` is a cell the grammar reads as ``VALUE``: a number or a mark for a
    missing value (``—``, ``-``, ``/``, ``无``, ``不适用``, ``∅``), in any script or width."""
    return value_pattern().match(to_simplified(text)) is not None


def has_report_tables(text: str) -> bool:
    """True if ``text`` holds a caption or header of the template's tables."""
    return template_markers().search(to_simplified(_SPACE.sub("", text))) is not None


def _header_texts(rows: Sequence[GridRow]) -> list[list[str]]:
    """The leading rows that hold no number (a table's header), as texts."""
    head = []
    for row in rows:
        texts = [clean_cell(t) for _, t in row]
        if any(is_value(t) for t in texts):
            break
        head.append([t for t in texts if t])
    return head


def drop_repeated_header(previous: Sequence[GridRow], rows: Sequence[GridRow]) -> list[GridRow]:
    """``rows`` without the leading header rows it repeats from ``previous``.

    A table split in two (across pages, or into two ``<table>`` elements) often
    prints the header again; the grammar wants it once.
    """
    before = _header_texts(previous)
    after = _header_texts(rows)
    k = 0
    while k < len(before) and k < len(after) and before[k] == after[k] and after[k]:
        k += 1
    return list(rows[k:])


def table_lines(rows: Iterable[GridRow]) -> list[str]:
    """Report lines for a table given as grid rows (see :data:`GridRow`).

    One line per row, cells joined by `` | ``.  The table's *value columns* start
    where most rows holding a number have their first cell after the row's last
    label (text) cell; a blank cell there is written as :data:`BLANK` unless the row
    is a header row (no number, but text in a value column).  Blank cells left of
    the value columns (label fillers, the rest of a merged caption) are left out.
    In a row of numbers without any label every blank cell is a value.  A cell that
    prints two numbers (``3<br>0``) is written as one unreadable cell (``3/0``), so
    the reader never shifts the numbers after it into the wrong columns.
    """
    cleaned = [[(col, clean_cell(text)) for col, text in row] for row in rows]
    starts: Counter[int] = Counter()
    for row in cleaned:
        if any(t and is_value(t) for _, t in row):
            texts = [k for k, (_, t) in enumerate(row) if t and not is_value(t)]
            after = texts[-1] + 1 if texts else 0
            if after < len(row):
                starts[row[after][0]] += 1
    first = min(starts, key=lambda col: (-starts[col], col)) if starts else None
    lines = []
    for row in cleaned:
        has_number = any(t and is_value(t) for _, t in row)
        has_text = any(t and not is_value(t) for _, t in row)
        header = first is not None and not has_number and any(t and col >= first for col, t in row)
        out = []
        for col, t in row:
            if t:
                if " " in t and is_value(t.split(" ", 1)[0]):
                    parts = t.split()
                    if len(parts) > 1 and all(is_value(p) for p in parts):
                        # one grid cell printing two numbers (``3<br>0``): the cell cannot be
                        # read, and its neighbours keep their places
                        t = "/".join(parts)
                out.append(t)
            elif (has_number and not has_text) or (first is not None and col >= first and not header):
                out.append(BLANK)
        if out:
            lines.append(" | ".join(out))
    return lines


def tables_hold_numbers(tables: Iterable[Iterable[GridRow]]) -> bool:
    """True if any cell of any table is a number (or a printed missing-value mark)."""
    return any(is_value(clean_cell(t)) for rows in tables for row in rows for _, t in row)
