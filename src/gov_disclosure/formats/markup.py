"""Report text that carries tables as markup: markdown pipe tables and raw HTML tables.

Converters hand a report over as text with its tables in markup: markdown pipe
tables (pandoc ``gfm``, markdownify, html2text: ``| 规章 |  | 36 |  |`` under a
``|---|---|`` delimiter row) and, where a table has merged cells, raw ``<table>``
HTML inside the markdown (pandoc ``gfm``).

:func:`markup_to_text` rewrites each such table as the report lines every adapter
writes (one row per line, cells joined by `` | ``) and leaves every other line as
it is.  An HTML table is read by the HTML adapter (its grid is exact, spans
included).  A markdown table flattens merged cells into empty ones, so an empty
cell is a blank value for certain only *between* two printed numbers of a row; an
empty cell before a row's first number or after its last may be a blank or the rest
of a merged label or value cell, and is written as ``FILLER``: the strict reader
leaves it out, and the row-by-row reader takes it as a blank only where the row's
cell count leaves one reading (``_recover._fill_slots``).  Text
without markup tables is returned unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from .._normalize import FILLER
from .columns import columns_to_text
from .grid import BLANK, GridRow, clean_cell, is_value, table_lines

__all__ = ["markup_to_text", "has_markup_tables"]

#: A markdown delimiter row: ``|---|:--:|``, ``--- | ---``, ``---|---|---`` (two or more columns).
_DELIMITER = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*")
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)
_ESCAPED_PIPE = "\x00"


def has_markup_tables(text: str) -> bool:
    """True if ``text`` holds a markdown pipe table, a raw HTML table or a box-drawn table."""
    if "<table" in text or "<TABLE" in text or "┌" in text:
        return True
    if "---" in text and any(_DELIMITER.fullmatch(line) for line in text.split("\n") if "---" in line):
        return True
    return "|\n|" in text and _two_outer_rows(text)


def _two_outer_rows(text: str) -> bool:
    lines = text.split("\n")
    return any(_outer_row(a) and _outer_row(b) for a, b in zip(lines, lines[1:]) if a.endswith("|"))


def _cells(line: str) -> list[str]:
    """The cells of a markdown table row.  A row written with outer pipes
    (``| a |  |``) has its last pipe closing the row; a row written without them
    (html2text: ``a|  ``, after trailing spaces are stripped ``a|``) ends in an empty
    last cell when it ends in a pipe."""
    body = line.replace("\\|", _ESCAPED_PIPE).strip()
    if body.startswith("|"):
        body = body[1:]
        if body.endswith("|"):
            body = body[:-1]
    return [c.replace(_ESCAPED_PIPE, "|").strip() for c in body.split("|")]


def _row_line(cells: list[str]) -> str:
    """One markdown row as a report line.

    The row's *value part* is what follows its last text cell.  An empty cell there
    between two printed numbers is a blank value (:data:`BLANK`); an empty cell before
    the first number or after the last (or every cell of a value part without
    numbers) may be a blank value or the rest of a merged cell, and is written as
    :data:`FILLER`: the strict reader leaves it out, the row-by-row reader counts it
    only when the row's cell count decides.  Empty cells among the labels are dropped.
    """
    texts = [clean_cell(c) for c in cells]
    labels = [k for k, t in enumerate(texts) if t and not is_value(t)]
    start = labels[-1] + 1 if labels else 0
    numbers = [k for k, t in enumerate(texts) if t and k >= start]
    out = []
    for k, t in enumerate(texts):
        if t:
            out.append(t)
        elif k < start or not (labels or numbers):
            continue
        elif numbers and numbers[0] < k < numbers[-1]:
            out.append(BLANK)
        else:
            out.append(FILLER)
    return " | ".join(out)


def _outer_row(line: str) -> bool:
    """A row written with outer pipes and at least two cells: ``| a | b |``."""
    stripped = line.strip()
    return len(stripped) > 2 and stripped[0] == "|" and stripped[-1] == "|" and stripped.count("|") >= 3


def _markdown(lines: list[str]) -> list[str]:
    """Markdown pipe tables as report lines.

    A table starts at a row followed by a delimiter row (``|---|---|``), or at two
    consecutive rows with outer pipes (markdownify writes tables without a header
    that way).  A table with a delimiter row goes on to the first empty line (as in
    GFM); one without goes on while rows have outer pipes.  In a table written
    without outer pipes (html2text), a cell holding a line break breaks its row over
    lines: a line starting with a pipe goes on with the row before it, a line of
    spaces is the rest of an empty cell, and any other line without a pipe is the
    wrapped rest of a cell and stays as it is.
    """
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        delimited = i + 1 < n and "|" in lines[i] and bool(_DELIMITER.fullmatch(lines[i + 1]))
        if not delimited and not (i + 1 < n and _outer_row(lines[i]) and _outer_row(lines[i + 1])):
            out.append(lines[i])
            i += 1
            continue
        outer = lines[i].lstrip().startswith("|")
        row: Optional[str] = lines[i]  # the table row being read (it may go on over lines)
        k = i + 2 if delimited else i + 1
        while k < n:
            line = lines[k]
            if not line or (not delimited and not _outer_row(line)) or (outer and not line.strip()):
                break
            if not line.strip():
                pass  # the rest of an empty cell holding a line break
            elif "|" not in line:
                _emit(out, row)
                row = None
                out.append(line)  # the wrapped rest of a cell: kept as it is
            elif not outer and line.lstrip().startswith("|") and row is not None:
                row = row.rstrip() + " " + line.strip()
            elif not _DELIMITER.fullmatch(line):
                _emit(out, row)
                row = line
            k += 1
        _emit(out, row)
        i = k
    return out


def _emit(out: list[str], row: Optional[str]) -> None:
    """Write a markdown table row (if any) as a report line (if it holds anything)."""
    if row is not None:
        out.extend(filter(None, [_row_line(_cells(row))]))


def _html_tables(text: str) -> str:
    from .html import html_table_lines

    def replace(match: "re.Match[str]") -> str:
        lines = html_table_lines(match.group())
        return "\n" + "\n".join(lines) + "\n"

    return _HTML_TABLE.sub(replace, text)


# --- box-drawn tables (w3m -dump, text-art tables) -------------------------------------

_VERTICAL = "│┃║"
_HORIZONTAL = "─━═"
_BOX = set("─━═│┃║┌┐└┘├┤┬┴┼╋╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻")


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _columns(line: str) -> list[tuple[int, str]]:
    """``(display column, character)`` of every character of a line."""
    out = []
    at = 0
    for ch in line:
        out.append((at, ch))
        at += _width(ch)
    return out


def _box(lines: list[str]) -> list[GridRow]:
    """Grid rows of one box-drawn table (its lines, top rule to bottom rule).

    Cell boundaries are where the vertical bars are, by display column (a CJK
    character is two columns wide); a row ends at a rule line, and a cell whose
    column the rule leaves open (a merged cell) goes on into the next row.  A cell
    is written once, in the row where it starts, with the text of all its lines.
    """
    open_cells: dict[int, list[str]] = {}  # start column -> text pieces
    starts: dict[int, int] = {}  # start column -> row where the cell starts
    rows: list[dict[int, str]] = []
    current = 0

    def close(col: int) -> None:
        text = "".join(open_cells.pop(col)).strip()
        rows_at = starts.pop(col)
        while len(rows) <= rows_at:
            rows.append({})
        rows[rows_at][col] = text

    for line in lines:
        chars = _columns(line)
        if any(ch in _HORIZONTAL for _, ch in chars):
            # a rule: cells under a horizontal run end here; a merged cell the rule
            # leaves open goes on, and its text on this line is kept
            edges = [x for x, ch in chars if ch in _VERTICAL or ch in _BOX and ch not in _HORIZONTAL]
            for col in list(open_cells):
                end = min((c for c in edges if c > col), default=col + 1)
                region = [ch for x, ch in chars if col < x < end]
                if any(ch in _HORIZONTAL for ch in region):
                    close(col)
                else:
                    open_cells[col].append("".join(region).strip())
            current += 1
            continue
        bars = [x for x, ch in chars if ch in _VERTICAL]
        for a, b in zip(bars, bars[1:]):
            piece = "".join(ch for x, ch in chars if a < x < b)
            if a not in open_cells:
                open_cells[a] = []
                starts[a] = current
            open_cells[a].append(piece.strip())
    for col in list(open_cells):
        close(col)
    positions = sorted({col for row in rows for col in row})
    index = {col: i for i, col in enumerate(positions)}
    return [sorted((index[col], text) for col, text in row.items()) for row in rows if row]


def _boxes(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].lstrip().startswith(("┌", "┏", "╔")):
            k = i + 1
            while k < n and lines[k].strip() and lines[k].strip()[0] in _BOX:
                k += 1
            out.extend(table_lines(_box(lines[i:k])))
            i = k
            continue
        out.append(lines[i])
        i += 1
    return out


def markup_to_text(text: str) -> str:
    """``text`` with its markdown, HTML and box-drawn tables, and its tables kept in
    character columns (:func:`~gov_disclosure.formats.columns.columns_to_text`), as
    report lines (see the module docstring)."""
    if not has_markup_tables(text):
        return columns_to_text(text)
    if "<table" in text or "<TABLE" in text:
        text = _html_tables(text)
    lines = text.split("\n")
    if "┌" in text or "┏" in text or "╔" in text:
        lines = _boxes(lines)
    return columns_to_text("\n".join(_markdown(lines)))
