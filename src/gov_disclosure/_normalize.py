"""Normalisation: any text layout → one canonical stream of cells.

Real reports reach us as text copied from web pages and extracted from files, in
several layouts: cells ending in ``|`` (one per line, with ``| ||`` colspan
artefacts), tab-indented cells one per line (with a cell's wrapped second line on
a line of its own), one cell per line with nothing else, and rows of cells on one
line separated by spaces (PDF text).  This module turns all of them into the same
thing: a list of :class:`Cell` (text, line, column), where

* the text is in simplified script with ASCII digits and punctuation
  (full-width ``（）：，．０-９`` become half-width, traditional characters become
  simplified; both are one-to-one character maps, so columns stay true);
* spaces inside a label are gone (``商业 企业`` → ``商业企业``);
* every number is a cell of its own and is never altered;
* empty cells (colspan fillers, blank lines) and page numbers (``- 5 -``) are dropped.

The grammar (``gov_disclosure/grammars/*.lark``) reads these cells.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple, Pattern

from . import limits
from ._labelchars import TRADITIONAL_LABEL_CHARACTERS

__all__ = [
    "Cell", "to_simplified", "has_traditional", "normalise", "cells", "PAGE_NUMBER", "is_page_number", "ROW_END", "FILLER",
]

#: The cell that marks the end of a table row where the text shows it (a line
#: ending ``||``, a line holding several ``|``-separated cells, a lone ``|``):
#: a row's numbers never run past it.
ROW_END = "\x1e"

#: An empty grid cell at the edge of a row's numbers, where a table written as text
#: (a markdown pipe table) does not say whether it is a blank value or the rest of a
#: merged cell: ``| 规章 |  | 36 |  |``.  The strict reader leaves it out (it reads
#: only what is printed); the row-by-row reader (:mod:`gov_disclosure._recover`)
#: counts it as a slot of the row when the row's cell count decides which it is.
#: A character from a private-use plane, so no report text holds it.
FILLER = "\U000f0001"


class Cell(NamedTuple):
    """One table cell or narrative line, with its 1-based position in the source."""

    text: str
    line: int
    column: int


# --- characters -------------------------------------------------------------

_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # ！…～ → !…~
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0xFEFF: 0x20})
_WIDTH.update({0x2027: ord("."), 0x00B7: ord("."), 0xFF64: ord("、")})


_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000\u00a0\u2002\u2003\u2009\ufeff\u2027\u00b7\uff64]+")


@lru_cache(maxsize=1)
def _opencc_tables() -> tuple[dict[int, int], Pattern[str]]:
    """Traditional → simplified character map, and a detector for traditional labels.

    The map comes from OpenCC's own dictionary (``TSCharacters``); only one-to-one
    character mappings are used (what the labels need), so the conversion is a
    :meth:`str.translate` and keeps every column in place.  The detector looks for
    the traditional forms of the characters the template's labels use (a table
    generated from the grammars, :mod:`gov_disclosure._labelchars`), so a
    simplified report is recognised in one fast scan.
    """
    ts: dict[int, int] = {}
    text = (resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        src, _, values = line.partition("\t")
        dst = values.split(" ")[0] if values else ""
        if len(src) == 1 and len(dst) == 1 and src != dst:
            ts[ord(src)] = ord(dst)
    detector = re.compile("[" + TRADITIONAL_LABEL_CHARACTERS + "]")
    table = dict(_WIDTH)
    table.update(ts)
    return table, detector


def has_traditional(text: str) -> bool:
    """True if ``text`` contains the traditional form of a character the labels use."""
    return _opencc_tables()[1].search(text) is not None


#: Words that Taiwan-style phrase converters (OpenCC s2twp, some "big5 gate" mirrors)
#: substitute in the template's labels, mapped back after the character map.
#: Each pair has equal length, so columns stay true.
TAIWAN_WORDS = {"资讯": "信息", "档案": "文件", "专案": "项目", "资料": "数据"}
_TAIWAN = re.compile("|".join(TAIWAN_WORDS))


def to_simplified(text: str) -> str:
    """Traditional → simplified and full-width → half-width, character by character,
    then the Taiwan-style label words back to the mainland ones."""
    text = text.translate(_opencc_tables()[0])
    return _TAIWAN.sub(lambda m: TAIWAN_WORDS[m.group()], text)


def _half_width(match: "re.Match[str]") -> str:
    return match.group().translate(_WIDTH)


def normalise(text: str) -> str:
    """Script, width and line endings; every line keeps its length.

    Simplified text only pays for a scan for full-width characters; the
    traditional map is applied only when a traditional label character is present.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_traditional(text):
        return to_simplified(text)
    return _FULL_WIDTH.sub(_half_width, text)


# --- layout -----------------------------------------------------------------

#: A line that is only a page number or page footer: ``- 5 -``, ``第 5 页 共 6 页``,
#: ``共6页第5页``, ``5/6``, ``Page 5 of 6`` (after the width map).
PAGE_NUMBER = re.compile(
    r"\s*(?:[-—–―]\s*\d{1,4}\s*[-—–―]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|(?P<page>\d{1,4})\s*/\s*(?P<pages>\d{1,4})"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*"
)


def is_page_number(text: str) -> bool:
    """Whether ``text`` (a whole line) is a page's number (:data:`PAGE_NUMBER`).  ``n / m``
    is one only where page n can be of m pages: ``0 / 349`` is a row of numbers (a
    previous count, a blank, a count), not a page."""
    m = PAGE_NUMBER.fullmatch(text)
    return m is not None and (m["page"] is None or 1 <= int(m["page"]) <= int(m["pages"]))


#: A ruling line drawn with characters (markdown ``|---|:--|``, pandoc's ``---- ----``,
#: ``+----+``, ``====``): layout, not cells.  One short group (``---``) stays: in a
#: one-cell-per-line text it is a printed missing value.
RULE_LINE = re.compile(r"[\s|+:]*[-=─━]{3,}(?:[\s|+:]+[-=─━]{3,})*[\s|+:]*")
_HEADING = re.compile(r"\s{0,3}#{1,6}\s+")
_SEGMENT = re.compile(r"[^|\t]+")
_PIECE = re.compile(r"\S+")
#: A piece of a number broken in a narrow cell at or after a thousands comma (``1,35``,
#: ``14,``), which the grammar's VALUE does not take: still a cell of its own, never part
#: of the label it is printed one space after (``5.要求…重新出具已 1,35``).
_BROKEN_NUMBER = re.compile(r"\d{1,3}(?:,\d{0,3})+")


def _is_rule(stripped: str) -> bool:
    """A ruling line: more than one group of dashes, a group of five or more, or pipes/pluses."""
    if len(stripped) < 3 or not RULE_LINE.fullmatch(stripped):
        return False
    groups = re.findall(r"[-=─━]{3,}", stripped)
    return len(groups) > 1 or len(groups[0]) >= 5 or any(c in stripped for c in "|+:")


def _unmark(line: str) -> str:
    """Markdown emphasis and heading marks, and pandoc's ``[TABLE]`` placeholder, as
    spaces (so columns stay true): ``### 第二十条第(一)项`` → ``    第二十条第(一)项``."""
    m = _HEADING.match(line)
    if m:
        line = " " * m.end() + line[m.end() :]
    return line.replace("**", "  ").replace("[TABLE]", "       ")


def cells(text: str, value: Pattern[str]) -> list[Cell]:
    """Cut normalised text into cells.

    ``value`` is the grammar's ``VALUE`` pattern: a whitespace-separated piece that
    matches it is always a cell of its own, other neighbouring pieces are joined.
    In the tab layout a line that does not start with a tab and directly follows a
    tab line is the wrapped rest of that line's last cell (``本年新`` / ``制作数量``).
    """
    out: list[Cell] = []
    append = out.append
    new = tuple.__new__
    lines = text.split("\n")
    tab_layout = text.count("\n\t") >= 8
    # ``||`` ends a row where it ends only some lines; a text whose every cell ends
    # in ``||`` (a colspan on every cell) says nothing about rows: those marks are
    # set aside (DOUBLE) and dropped at the end unless most ``|`` lines lack them
    # counted up front: two C-speed scans are cheaper than a second pass over the cells
    doubles = text.count("||\n") + text.endswith("||")
    row_marks = doubles * 2 < text.count("|\n") + text.endswith("|") - doubles
    double = ROW_END if row_marks else None
    # emphasis and placeholders are rare: look for them per line only if the text has any
    has_markup = "*" in text or "[" in text
    is_value = value.match  # the VALUE pattern is anchored at the end (\Z)
    page_number = is_page_number
    previous_tab = False
    tail = -1  # index in ``out`` of the last cell of the previous line, if any
    most_cells = limits.current().cells or 1 << 62
    for number, line in enumerate(lines, 1):
        if not number & 4095 and len(out) > most_cells:
            limits.check_cells(len(out))
        stripped = line.strip()
        if not stripped or ((stripped[0] in "-—–―第共Pp" or "/" in stripped) and page_number(stripped)):
            previous_tab = False
            tail = -1
            continue
        lead = stripped[0]
        if lead in "-=|+:─━" and _is_rule(stripped):
            previous_tab = False
            tail = -1
            continue
        if lead == "#" or (has_markup and ("**" in stripped or "[TABLE]" in stripped)):
            line = _unmark(line)
            stripped = line.strip()
            if not stripped:
                tail = -1
                continue
        starts_tab = line[0] == "\t"
        continuation = tab_layout and previous_tab and not starts_tab
        previous_tab = starts_tab or continuation
        core = stripped.strip("| \t")
        if not core:
            if out and out[-1][0] is not ROW_END and (stripped == "|" or (stripped == "||" and double)):
                append(new(Cell, (ROW_END, number, line.find("|") + 1)))
            if not continuation:
                tail = -1
            continue
        if not continuation and "|" not in core and "\t" not in core and " " not in core:
            # the common case: the line holds one cell (perhaps with pipes around it)
            append(new(Cell, (core, number, line.find(core) + 1)))
            tail = len(out) - 1
            if double and stripped[-1] == "|" and stripped.endswith("||"):
                append(new(Cell, (ROW_END, number, line.rfind("||") + 1)))
            continue
        first = len(out)
        joined_tail = False
        for seg in _SEGMENT.finditer(line):
            pieces = seg.group().split()
            if not pieces:
                continue
            offset = seg.start()
            base = seg.group()
            run: list[str] = []
            run_col = 0
            search_from = 0
            for p in pieces:
                at = base.find(p, search_from)
                gap = at - search_from
                search_from = at + len(p)
                col = offset + at + 1
                if run and gap >= 2 and not is_value(p):
                    # two spaces or more between two pieces of text: two columns of a
                    # table laid out in characters (a caption column beside a label
                    # column), not one label
                    append(Cell("".join(run), number, run_col))
                    run = []
                if is_value(p) or (p[0].isdigit() and "," in p and _BROKEN_NUMBER.fullmatch(p)):
                    if run:
                        append(Cell("".join(run), number, run_col))
                        run = []
                    append(Cell(p, number, col))
                    continuation = False
                elif (gap == 1 and not run and len(out) > first and out[-1].line == number
                      and out[-1].text[-1:].isdigit() and not any(ch.isdigit() for ch in p)
                      and is_value(out[-1].text + p)):
                    # a unit one space after its number (a word the grammar's VALUE takes
                    # after digits, no digit in it): the number's cell (``58.3953 元``)
                    out[-1] = Cell(out[-1].text + p, number, out[-1].column)
                else:
                    if not run:
                        run_col = col
                    run.append(p)
            if run:
                joined = "".join(run)
                if continuation and tail == len(out) - 1 >= 0 and not is_value(out[tail].text):
                    prev = out[tail]
                    out[tail] = Cell(prev.text + joined, prev.line, prev.column)
                    joined_tail = True
                else:
                    append(Cell(joined, number, run_col))
            continuation = False
        if len(out) > first:
            tail = len(out) - 1
            if "|" in core:
                # a grid row on one line (markdown, an adapter's `` | `` row): it ends here
                append(new(Cell, (ROW_END, number, len(line.rstrip()) + 1)))
            elif double and stripped.endswith("||"):
                append(new(Cell, (ROW_END, number, len(line.rstrip()) + 1)))
        elif not joined_tail:
            tail = -1
    limits.check_cells(len(out))
    return out
