"""Report text that carries tables as markup: markdown pipe tables and raw HTML tables.

Converters hand a report over as text with its tables in markup: markdown pipe
tables (pandoc ``gfm``, markdownify, html2text: ``| 规章 |  | 36 |  |`` under a
``|---|---|`` delimiter row) and, where a table has merged cells, raw ``<table>``
HTML inside the markdown (pandoc ``gfm``).

:func:`markup_to_text` rewrites each such table as the report lines every adapter
writes (one row per line, cells joined by `` | ``) and leaves every other line as
it is.  An HTML table is read by the HTML adapter (its grid is exact, spans
included).  A markdown table flattens merged cells into empty ones, so an empty
cell is a blank value only *between* two printed numbers of a row; empty cells
before a row's first number or after its last may be the rest of a merged label
or value cell and are left out (the reader then knows the row is short and does
not guess).  Text without markup tables is returned unchanged.
"""

from __future__ import annotations

import re

from .grid import BLANK, clean_cell, is_value

__all__ = ["markup_to_text", "has_markup_tables"]

#: A markdown delimiter row: ``|---|:--:|``, ``--- | ---``, ``---|---|---`` (two or more columns).
_DELIMITER = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*")
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)
_ESCAPED_PIPE = "\x00"


def has_markup_tables(text: str) -> bool:
    """True if ``text`` holds a markdown pipe table or a raw HTML table."""
    if "<table" in text or "<TABLE" in text:
        return True
    return "---" in text and any(_DELIMITER.fullmatch(line) for line in text.split("\n") if "---" in line)


def _cells(line: str) -> list[str]:
    body = line.replace("\\|", _ESCAPED_PIPE).strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.replace(_ESCAPED_PIPE, "|").strip() for c in body.split("|")]


def _row_line(cells: list[str]) -> str:
    """One markdown row as a report line: blanks only between two printed numbers."""
    texts = [clean_cell(c) for c in cells]
    numbers = [k for k, t in enumerate(texts) if t and is_value(t)]
    out = []
    for k, t in enumerate(texts):
        if t:
            out.append(t)
        elif numbers and numbers[0] < k < numbers[-1]:
            out.append(BLANK)
    return " | ".join(out)


def _markdown(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        if i + 1 < n and "|" in lines[i] and _DELIMITER.fullmatch(lines[i + 1]):
            rows = [_cells(lines[i])]
            k = i + 2
            while k < n and "|" in lines[k] and lines[k].strip():
                if not _DELIMITER.fullmatch(lines[k]):
                    rows.append(_cells(lines[k]))
                k += 1
            out.extend(line for line in map(_row_line, rows) if line)
            i = k
            continue
        out.append(lines[i])
        i += 1
    return out


def _html_tables(text: str) -> str:
    from .html import html_table_lines

    def replace(match: "re.Match[str]") -> str:
        lines = html_table_lines(match.group())
        return "\n" + "\n".join(lines) + "\n"

    return _HTML_TABLE.sub(replace, text)


def markup_to_text(text: str) -> str:
    """``text`` with its markdown and HTML tables as report lines (see the module docstring)."""
    if not has_markup_tables(text):
        return text
    if "<table" in text or "<TABLE" in text:
        text = _html_tables(text)
    return "\n".join(_markdown(text.split("\n")))
