"""Report text that keeps its tables in character columns, without ruling characters.

``pdftotext -layout``, ``pdfplumber``'s layout text and ``w3m -dump`` of HTML
without borders print a table as lines of text in which every cell keeps its
column: a blank cell is only a gap.  Read word by word, a row with a blank cell
has one number too few, and the reader cannot tell which one is missing.

:func:`columns_to_text` finds the *blocks* of such lines (lines whose numbers
stand to the right of their text; a table-二 section, a caption or a section heading
ends a block), establishes the block's value columns from where its numbers start
or end (whichever aligns: LibreOffice left-aligns cells, other writers right-align
them; a CJK character counts as two display columns, as ``w3m`` prints it, or as
one, as ``pdftotext`` places it), and writes
``BLANK`` (the grammar's blank mark, ``∅``) into each empty value column of a row
between the row's text and the block's last column (so a row whose 总计 is blank
ends in a blank).  The blank goes into the gap where the column stands and every
other character keeps its place, so the line and column of every number and label
(``Report.source``, issue locations) are the printed ones.  The line is not
joined with `` | ``: a ``|`` line is a whole grid row to the reader, and a row here
often goes on over the next lines (its label wrapped inside its column).

Nothing is guessed.  A block's lines are changed only when every number of every
line is within :data:`TOLERANCE` of exactly one column, no line has two numbers in
one column or its numbers out of order, the columns are as many as the fullest
line's numbers, and every reading of the block that fits (start or end alignment,
CJK width one or two) places every number in the same column.  The block needs
:data:`MIN_LINES` lines of numbers, or two lines whose numbers agree to a column
exactly, or a header line right above it whose headings stand at its columns (a
small table-二 section: ``信息内容  本年制发件数  本年废止件数  现行有效件数``).  A row
is left as printed when a line next to it may hold the rest of it: a line of bare
numbers (a number wrapped in its cell, ``1412`` / ``1``), a line filling only the
columns this one leaves empty (a row printed on two lines), or a line that is no
row of the block but prints digits under its columns.  The reader then sees a
short row and reads nothing rather than something wrong.  Lines without numbers
(headers, wrapped labels, narrative) are never changed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import Optional, Sequence

from .grid import BLANK, has_report_tables, is_value

__all__ = ["columns_to_text", "has_column_tables", "MIN_LINES", "TOLERANCE"]

#: The fewest lines of numbers from which a block's columns are established (two
#: lines do when their numbers agree to a column exactly, or a header line shows them).
MIN_LINES = 3
#: How far (display columns) the numbers of one column may stray from each other.
TOLERANCE = 2
#: The least gap (display columns) between two neighbouring columns' numbers.
MIN_GAP = 3
#: Lines of text without numbers that may stand between two lines of one block.
MAX_GAP_LINES = 40
#: The most lines of numbers in one block (a table 三 has 26 rows).
MAX_BLOCK = 80

#: Two values apart by two or more spaces (one of them ideographic) on one line.
_GUARD = re.compile(r"[\d—–―\-/][ \u3000\u00a0]{2,}[\d—–―\-/]")
#: Captions and headings a block never runs across: table 二's ``第二十条第（九）项`` and its
#: ``信息内容`` header, a section heading (``四、政府信息公开行政复议、行政诉讼情况``).
_CAPTION = re.compile(r"第[一二三四五六七八九十]+条|信息内容|[一二三四五六七八九十]、.*情况\s*$")
_DIGIT = re.compile(r"\d")
_SPACES = " \u3000\u00a0"
_VALUE_EDGE = frozenset("0123456789—–―-/")
_TOKEN = re.compile(r"[^\s|｜]+")
_WIDE = ("W", "F")
#: The ways a block's columns may align: (display width of a CJK character, edge), the
#: edge being 0 for a number's start, 1 for its end.
_HYPOTHESES = ((2, 0), (2, 1), (1, 0), (1, 1))


def _at(span: tuple[int, int, int, int], hypothesis: tuple[int, int]) -> int:
    """Where a token with display ``span`` (start, end for CJK width 2; start, end for
    width 1) stands under ``hypothesis``."""
    return span[(0 if hypothesis[0] == 2 else 2) + hypothesis[1]]


def has_column_tables(text: str) -> bool:
    """True if ``text`` may hold a table kept in character columns (two values on a
    line apart by two or more spaces).  Cheap; false for report text in cells."""
    if "\u3000" in text and _GUARD.search(text) is not None:
        return True
    # the runs of two spaces, looked at one by one: report text in cells has few
    n = len(text)
    at = text.find("  ")
    while at >= 0:
        end = at + 2
        while end < n and text[end] in _SPACES:
            end += 1
        if at and end < n and text[at - 1] in _VALUE_EDGE and text[end] in _VALUE_EDGE:
            return True
        at = text.find("  ", end)
    return False


class _Line:
    """A line holding numbers to the right of its text."""

    __slots__ = ("index", "texts", "text_end", "numbers", "spans", "_at")

    def __init__(self, index: int, texts: list[str], text_end: tuple[int, int],
                 numbers: list[str], spans: list[tuple[int, int, int, int]]) -> None:
        self.index = index
        self.texts = texts  # text pieces, in order
        self.text_end = text_end  # where the text ends, for CJK width 2 and 1
        self.numbers = numbers
        self.spans = spans  # per number: (start, end) for CJK width 2, then for width 1
        self._at: dict[tuple[int, int], list[int]] = {}

    def at(self, hypothesis: tuple[int, int]) -> list[int]:
        """Where the line's numbers stand under ``hypothesis``."""
        found = self._at.get(hypothesis)
        if found is None:
            found = self._at[hypothesis] = [_at(span, hypothesis) for span in self.spans]
        return found

    def after_text(self, hypothesis: tuple[int, int]) -> int:
        return self.text_end[0 if hypothesis[0] == 2 else 1]


def _scan(index: int, line: str) -> Optional[_Line]:
    """The line's text pieces and numbers with their display columns, if it holds
    numbers and all of them stand right of its text; else None."""
    if "|" in line or "｜" in line or _DIGIT.search(line) is None:
        return None
    texts: list[str] = []
    numbers: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    text_end = (0, 0)
    previous_end = (-2, -2)
    for token, span in _tokens(line):
        if is_value(token):
            spans.append(span)
            numbers.append(token)
            continue
        if numbers:
            return None  # text after a number: not a row of this table
        if texts and span[2] == previous_end[1] + 1:
            texts[-1] += " " + token  # words apart by one space are one piece
        else:
            texts.append(token)
        previous_end = text_end = (span[1], span[3])
    if not numbers:
        return None
    return _Line(index, texts, text_end, numbers, spans)


class _Columns:
    """The columns of a block under one hypothesis: sorted, disjoint ``[lo, hi]``
    intervals of the positions of their numbers."""

    __slots__ = ("hypothesis", "los", "his")

    def __init__(self, hypothesis: tuple[int, int], intervals: Sequence[Sequence[int]] = ()) -> None:
        self.hypothesis = hypothesis
        self.los = [iv[0] for iv in intervals]
        self.his = [iv[1] for iv in intervals]

    @property
    def intervals(self) -> list[tuple[int, int]]:
        return list(zip(self.los, self.his))

    def add(self, line: _Line) -> bool:
        """Add the line's numbers, each to the one column within the tolerance or to a new
        column, in order; False (and nothing added) if they do not fit."""
        los = self.los[:]
        his = self.his[:]
        last = -1
        for p in line.at(self.hypothesis):
            j = bisect_right(los, p + TOLERANCE) - 1  # the last column starting near or before p
            hit = j >= 0 and his[j] >= p - TOLERANCE
            if j >= 1 and his[j - 1] >= p - TOLERANCE:
                return False  # near two columns
            if hit:
                lo, hi = min(los[j], p), max(his[j], p)
                if hi - lo > TOLERANCE:
                    return False
                los[j], his[j] = lo, hi
                column = j
            else:
                column = j + 1
                los.insert(column, p)
                his.insert(column, p)
            if column <= last:
                return False  # out of order, or two numbers in one column
            last = column
        if any(los[k + 1] - his[k] < MIN_GAP for k in range(len(los) - 1)):
            return False
        self.los, self.his = los, his
        return True

    def assign(self, line: _Line) -> Optional[list[int]]:
        """The column of each of the line's numbers, or None if not certain."""
        out: list[int] = []
        los, his = self.los, self.his
        for p in line.at(self.hypothesis):
            j = bisect_right(los, p) - 1
            if j < 0 or his[j] < p or (out and j <= out[-1]):
                return None
            out.append(j)
        return out


_Reading = tuple[_Columns, list[list[int]]]


def _readings(block: Sequence[_Line], lines: Sequence[str]) -> list[_Reading]:
    """The ways the block's numbers fit certain columns, with each number's column;
    empty if none does, or if two of them place some number differently."""
    fullest = max(len(line.numbers) for line in block)
    readings: list[_Reading] = []
    for hypothesis in _HYPOTHESES:
        columns = _Columns(hypothesis)
        if not all(columns.add(line) for line in block) or len(columns.los) != fullest:
            continue
        if len(block) < MIN_LINES and (
            len(block) < 2 or any(hi - lo > 1 for lo, hi in columns.intervals)
        ):
            continue  # two lines establish columns only where they agree to a column
        assigned = _assign(columns, block)
        if assigned is not None:
            readings.append((columns, assigned))
    if not readings:
        readings = _by_header(block, lines)
    if any(r[1] != readings[0][1] for r in readings[1:]):
        return []
    return readings


def _write(block: Sequence[_Line], reading: _Reading, lines: list[str], candidates: dict[int, _Line]) -> None:
    """Write the blanks of the block's lines into ``lines`` as ``reading`` places them.
    ``candidates`` are all lines holding numbers right of their text, by index."""
    columns, assigned = reading
    count = len(columns.los)
    placed = {line.index: set(places) for line, places in zip(block, assigned)}
    for line, places in zip(block, assigned):
        if len(places) == count:
            continue  # nothing to add
        if _pieced(line, placed, candidates, lines, columns):
            continue
        # value columns begin at the first column right of the row's text
        end = line.after_text(columns.hypothesis)
        first = next((i for i, (lo, _) in enumerate(columns.intervals) if lo >= end), count)
        if places[0] < first:
            continue  # a number left of where the row's text ends: leave it
        filled = dict(zip(places, line.numbers))
        written = _mark_blanks(lines[line.index], [i for i in range(first, count) if i not in filled], columns)
        if written is not None:
            want = [filled.get(i, BLANK) for i in range(first, count)]
            check = _scan(line.index, written)
            if check is not None and check.numbers == want and check.texts == line.texts:
                lines[line.index] = written


def _mark_blanks(line: str, empty: Sequence[int], columns: _Columns) -> Optional[str]:
    """``line`` with :data:`BLANK` written where each of the ``empty`` columns stands,
    every other character kept in its place (so the source column of every number and
    label is the printed one); None if a blank finds no free place there."""
    width, edge = columns.hypothesis
    chars = list(line)
    at: list[int] = []  # display column of each character
    x = 0
    for ch in chars:
        at.append(x)
        x += 2 if ch == "\u3000" or (width == 2 and unicodedata.east_asian_width(ch) in _WIDE) else 1
    for k in empty:
        target = columns.los[k] - edge  # a number's start, or its last character
        if target >= x:
            index = len(chars) + target - x
        else:
            index = next((i for i, col in enumerate(at) if col >= target), len(chars))
        for spot in (index, index - 1, index + 1):
            if spot >= 1 and all(j >= len(chars) or chars[j] == " " for j in (spot - 1, spot, spot + 1)):
                if spot >= len(chars):
                    chars.extend(" " * (spot - len(chars) + 1))
                    at.extend(range(x, x + spot - len(at) + 1))
                    x = at[-1] + 1
                chars[spot] = BLANK
                break
        else:
            return None
    return "".join(chars)


def _assign(columns: _Columns, block: Sequence[_Line]) -> Optional[list[list[int]]]:
    """The column of every number of every line of ``block``, or None if not certain:
    besides lying within its column's bounds, every number must stand nearer, by a
    display column at least, to where most of its column's numbers stand than to
    where any other column's do (a line drifted by half a column is no reading)."""
    assigned: list[list[int]] = []
    for line in block:
        places = columns.assign(line)
        if places is None:
            return None
        assigned.append(places)
    seen: list[dict[int, int]] = [{} for _ in columns.los]
    for line, places in zip(block, assigned):
        for p, k in zip(line.at(columns.hypothesis), places):
            seen[k][p] = seen[k].get(p, 0) + 1
    # a column without numbers (one a header line shows) stands in the middle of its bounds
    modes = [max(sorted(counts), key=counts.__getitem__) if counts else (lo + hi) // 2
             for counts, lo, hi in zip(seen, columns.los, columns.his)]
    last = len(modes) - 1
    for line, places in zip(block, assigned):
        for p, k in zip(line.at(columns.hypothesis), places):
            own = abs(p - modes[k]) + 1
            if (k > 0 and abs(p - modes[k - 1]) < own) or (k < last and abs(p - modes[k + 1]) < own):
                return None
    return assigned


def _by_header(block: Sequence[_Line], lines: Sequence[str]) -> list[tuple[_Columns, list[list[int]]]]:
    """The block's columns taken from the header line right above it, for a block too
    small, or too sparse, to show all its columns (table 二's sections: ``信息内容
    本年制发件数 本年废止件数 现行有效件数`` over two rows with a blank each): the header's
    pieces after the first (the label column's heading) are the value columns, and
    every column the block's numbers show must stand at one of them."""
    header = None
    for k in range(block[0].index - 1, max(block[0].index - 4, -1), -1):
        if lines[k].strip():
            header = lines[k]
            break
    if header is None or any(c.isdigit() for c in header) or "|" in header:
        return []
    pieces: list[tuple[int, int, int, int]] = []
    previous_end = -2
    for _token, span in _tokens(header):
        if pieces and span[2] == previous_end + 1:
            pieces[-1] = (pieces[-1][0], span[1], pieces[-1][2], span[3])  # one space: one piece
        else:
            pieces.append(span)
        previous_end = span[3]
    heads = pieces[1:]
    if not heads:
        return []
    readings = []
    for hypothesis in _HYPOTHESES:
        found = _Columns(hypothesis)
        if not all(found.add(line) for line in block):
            continue
        at = [_at(span, hypothesis) for span in heads]
        if any(b - a < MIN_GAP + TOLERANCE for a, b in zip(at, at[1:])):
            continue
        columns = _Columns(hypothesis, [[p, p] for p in at])
        # every column the numbers show is within the tolerance of exactly one heading
        matched = []
        for lo, hi in found.intervals:
            near = [i for i, p in enumerate(at) if hi - TOLERANCE <= p <= lo + TOLERANCE]
            if len(near) != 1:
                break
            k = near[0]
            matched.append(k)
            columns.los[k], columns.his[k] = min(columns.los[k], lo), max(columns.his[k], hi)
        else:
            if len(set(matched)) == len(matched):
                assigned = _assign(columns, block)
                if assigned is not None:
                    readings.append((columns, assigned))
    return readings


def _pieced(line: _Line, placed: dict[int, set[int]], candidates: dict[int, _Line],
            lines: Sequence[str], columns: _Columns) -> bool:
    """True if the row may go on over a line next to it, which is not for this pass to
    join: a neighbour holds numbers and no text, or this line has no text, or the
    neighbour fills only columns this line leaves empty (one row printed on two
    lines), or is no row of the block and prints digits under its value columns (a
    number wrapped in its cell: ``1,04`` / ``1``)."""
    here = line.index
    for there in (here - 1, here + 1):
        if not 0 <= there < len(lines):
            continue
        other = candidates.get(there)
        if other is not None:
            if not other.texts or not line.texts:
                return True
            if there not in placed or not (placed[there] & placed[here]):
                return True
        elif _digits_under(lines[there], columns):
            return True
    return False


def _digits_under(line: str, columns: _Columns) -> bool:
    """True if ``line`` prints a token with a digit at or right of the first value column."""
    if _DIGIT.search(line) is None:
        return False
    left = columns.los[0] - TOLERANCE - 1
    for token, span in _tokens(line):
        if any(c.isdigit() for c in token) and _at(span, columns.hypothesis) >= left:
            return True
    return False


def _tokens(line: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Each whitespace-separated token of ``line`` with its display (start, end) for CJK
    width 2, then for width 1."""
    out = []
    wide = narrow = 0
    at = 0
    for match in _TOKEN.finditer(line):
        gap = match.start() - at
        if "\u3000" in line[at:match.start()]:
            gap += line.count("\u3000", at, match.start())
        wide += gap
        narrow += gap
        start = (wide, narrow)
        token = match.group()
        narrow += len(token)
        if token.isascii():
            wide += len(token)
        else:
            wide += sum(2 if unicodedata.east_asian_width(ch) in _WIDE else 1 for ch in token)
        at = match.end()
        out.append((token, (start[0], wide, start[1], narrow)))
    return out


def columns_to_text(text: str) -> str:
    """``text`` with its character-column tables' rows as report lines (see the module
    docstring); lines that are not certain rows of such a table are left as they are."""
    if not has_column_tables(text):
        return text
    try:
        return _columns_to_text(text)
    except Exception:  # noqa: BLE001 - a pass that only helps must never stop a parse
        return text


def _columns_to_text(text: str) -> str:
    lines = text.split("\n")
    # the candidate lines, with None where a block must end (a caption, a long gap)
    items: list[Optional[_Line]] = []
    last = -1
    for index, line in enumerate(lines):
        scanned = _scan(index, line) if len(line) < 2000 else None
        if scanned is None:
            if items and items[-1] is not None and (index - last > MAX_GAP_LINES or _is_caption(line)):
                items.append(None)
            continue
        if items and items[-1] is not None and index - last > MAX_GAP_LINES:
            items.append(None)
        items.append(scanned)
        last = index
    candidates = {item.index: item for item in items if item is not None}
    found: list[tuple[list[_Line], list[_Reading]]] = []
    votes = {1: 0, 2: 0}  # lines read with a CJK character one or two columns wide
    i = 0
    while i < len(items):
        block, size = _grow(items, i)
        if not block:
            i += 1
            continue
        if _by_header(block, lines):
            size = len(block)
        readings = _readings(block[:size], lines)
        if readings:
            found.append((block[:size], readings))
            for width in {columns.hypothesis[0] for columns, _ in readings}:
                votes[width] += size
        i += max(size, 1)
    # one tool wrote the whole text: a block that fits only with the other width of a
    # CJK character lines up by chance (its labels' lengths a multiple of a column apart)
    width = 1 if votes[1] > votes[2] else 2 if votes[2] > votes[1] else 0
    for block, readings in found:
        fitting = [r for r in readings if width in (0, r[0].hypothesis[0])]
        if fitting:
            _write(block, fitting[0], lines, candidates)
    return "\n".join(lines)


def _grow(items: Sequence[Optional[_Line]], i: int) -> tuple[list[_Line], int]:
    """The longest run of candidate lines from ``items[i]`` whose numbers fit columns
    under some hypothesis (at most :data:`MAX_BLOCK` lines), and the most of its
    leading lines whose numbers, under some hypothesis, fit exactly as many columns as
    the fullest of those lines has numbers."""
    alive = [(_Columns(h), [0]) for h in _HYPOTHESES]  # the columns, and the fullest line so far
    block: list[_Line] = []
    best = 0
    for item in items[i:i + MAX_BLOCK]:
        if item is None:
            break
        survivors = []
        for columns, fullest in alive:
            if columns.add(item):
                fullest[0] = max(fullest[0], len(item.numbers))
                if len(columns.los) == fullest[0]:
                    best = len(block) + 1
                survivors.append((columns, fullest))
        if not survivors:
            break
        alive = survivors
        block.append(item)
    return block, best


def _is_caption(line: str) -> bool:
    """A line holding a caption or header of the template's tables (a block ends there)."""
    stripped = line.strip()
    return bool(stripped) and (_CAPTION.match(stripped) is not None or has_report_tables(stripped))
