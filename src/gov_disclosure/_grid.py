"""Table 三 rebuilt from character columns, for the tolerant reader (:mod:`._recover`).

``pdftotext -layout`` of a table with narrow cells prints a wide number in pieces over
two or three lines, each under its column, and centres the row's label between them::

                                  14,7    1,99   7,51   3,61   7,62   4,45   39,9
    一、本年新收政府信息公开申请数量
                                  58      2      9      4      7      1      61
                                                                             1,14
    二、上年结转政府信息公开申请数量  0       0      185    405    551    0
                                                                             1

Every printed line of a table belongs to exactly one row's band, the bands are in the
template's order, and a row's label stands inside its band.  So the lines of numbers
between two labels belong to the row above or to the row below, split at one place.
This pass tries every split, joins each row's pieces column by column (a column's
pieces top to bottom make its number: ``14,7`` + ``58`` is 14,758), and keeps the
ways in which every row's pieces make one well-formed number per column and the row
adds up.  The rows are taken only when in every way kept the whole table also adds up
(every row sum, the results summing to 总计, the balance per column) and a row has the
same numbers in all of them; and only when they agree with the rows read otherwise.
Anything less and the pass reads nothing: its rows stay with the issues the row-by-row
reading gave them.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any, Collection, Mapping, Optional, Sequence

from lark import Token

from . import schema as _schema
from ._build import Built
from ._grammar import MISSING_MARKS
from ._labels import _bare, _Occurrence, _Reader, _row_forms
from ._normalize import ROW_END, Cell
from ._rowsum import _COUNT, _joined_count, _placed, _table_adds_up
from .errors import ParseError
from .issues import Issue

if TYPE_CHECKING:  # pragma: no cover
    from ._diagnostics import GrammarMap

__all__ = ["displaced", "rebuild"]

#: A piece of a number as a layout prints it in its column: digits, perhaps with
#: thousands commas (``14,7``), or a dash for an empty cell.
_PIECE = re.compile(r"\d[\d,]*|[—–―-]+|/")
#: A sub-row's ordinal (``2.``) inside a cell, after a piece of its group's caption.
_SUB_ORDINAL = re.compile(r"\d[.．]")
#: At most this many ways to split the lines between the labels are weighed.
_WAYS = 64
#: At most this many lines of numbers between two labels: a number is a few pieces a
#: line even in the narrowest cell; more is no table of narrow cells (and the splits
#: to weigh grow with the square of it).
_GAP = 16
#: A piece stands under a column when it starts within this many characters of the
#: column's start (``pdftotext`` puts a page's form feed before its first line).
_SLACK = 1


class _Line:
    """The number pieces of one printed line, left to right."""

    __slots__ = ("number", "pieces")

    def __init__(self, number: int, pieces: list[Cell]) -> None:
        self.number = number
        self.pieces = pieces


def rebuild(
    reader: _Reader,
    occurrences: Sequence[_Occurrence],
    gmap: "GrammarMap",
    read: dict[str, Built],
    builder: Any,
    value_type: str,
) -> tuple[dict[str, Built], list[Issue]]:
    """The rows of table 三 not in ``read`` that the character columns give for certain
    (see the module's docstring), and a ``value.inferred`` note for each; nothing when
    the pass is not certain.  When the columns give a row read otherwise other numbers,
    nothing, and a ``parse.row_unreadable`` issue for each such row (the caller drops
    those rows).  The caller runs it only when some row of table 三 is not read."""
    shape = reader.shape
    rows = shape.table("applications").rows
    by_line: dict[int, list[Cell]] = {}
    for c in reader.cells:
        if c.text is not ROW_END:
            by_line.setdefault(c.line, []).append(c)
    anchors_of = _full_lines(by_line, len(rows[0].cells))
    if len(anchors_of) < 2:
        return {}, []
    labels = _label_lines(reader, by_line, occurrences, gmap, rows)
    if labels is None:
        return {}, []
    lines = _number_lines(reader, by_line, labels)
    columns = _columns(lines, anchors_of, len(rows[0].cells))
    if columns is None:
        return {}, []
    ways = _ways(rows, labels, lines, columns)
    if not ways:
        return {}, []
    kept = [
        way for way in ways
        if _table_adds_up({a: tuple(_joined_count(t) for t, _ in cells) for a, cells in way.items()}, rows)
    ]
    if not kept:
        return {}, []
    out: dict[str, Built] = {}
    notes: list[Issue] = []
    disagree: list[Issue] = []
    for row in rows:
        texts = {tuple(t for t, _ in way[row.address]) for way in kept}
        if len(texts) != 1:
            continue
        cells = kept[0][row.address]
        tokens = [Token(value_type, t, line=first.line, column=first.column) for t, (first, *_rest) in cells]
        try:
            built = builder._handlers[row.name](tokens)  # noqa: SLF001
        except ParseError:
            return {}, []
        printed = " / ".join("+".join(p.text for p in pieces) for _, pieces in cells)
        joined = " ".join(t for t, _ in cells)
        first = min((p for _, pieces in cells for p in pieces), key=lambda c: (c.line, c.column))
        if row.address in read:
            have = [getattr(read[row.address].obj, c.name) for c in row.cells]
            if have != [getattr(built.obj, c.name) for c in row.cells]:
                # one of the two readings is wrong, and neither says which
                disagree.append(Issue(
                    "parse.row_unreadable", "error",
                    f"table 三: row {row.label}: read row by row its numbers are "
                    f"{' '.join('' if v is None else str(v) for v in have)}, but the character columns, in "
                    f"which every row and the whole table add up, give {joined} ({printed}): the readings "
                    "disagree, so the row is not read",
                    row.address, line=first.line, column=first.column, printed=printed))
            continue
        out[row.address] = built
        notes.append(Issue(
            "value.inferred", "warning",
            f"table 三: row {row.label}: its numbers are printed in pieces over several lines, each under its "
            f"column ({printed}); joined column by column they are {joined}, and only so does every row and the "
            "whole table add up",
            row.address, line=first.line, column=first.column, printed=printed))
    if disagree:
        return {}, disagree
    return out, notes


def _full_lines(by_line: dict[int, list[Cell]], size: int) -> dict[int, tuple[int, ...]]:
    """The lines (``by_line``: the cells of each line) that print exactly one piece per
    column (``size`` numbers, at least two spaces apart), and where each column starts
    there: ``{line: starts}``."""
    full: dict[int, tuple[int, ...]] = {}
    for number, line in by_line.items():
        values = [c for c in line if _PIECE.fullmatch(c.text)]
        if len(values) != size:
            continue
        if all(b.column - a.column - len(a.text) >= 2 for a, b in zip(values, values[1:])):
            full[number] = tuple(c.column for c in values)
    return full


def _label_lines(
    reader: _Reader, by_line: dict[int, list[Cell]], occurrences: Sequence[_Occurrence], gmap: "GrammarMap",
    rows: Sequence[_schema.Row],
) -> Optional[list[int]]:
    """The line of each row's label, in the template's order, strictly increasing; None
    when a row's line is not certain.  A label the row-by-row reading found gives its
    line; a row it did not find is the one line between its neighbours' that holds the
    start of its label and of no other row's."""
    found: dict[str, set[int]] = {}
    for occ in occurrences:
        if occ.row.table == "applications":
            found.setdefault(occ.row.address, set()).add(occ.line)
    # a row found once is placed; a row found more than once (a header cell 其他 or 总计,
    # a label quoted in the narrative) only between the rows placed around it
    lines: list[Optional[int]] = [
        next(iter(found[r.address])) if len(found.get(r.address, ())) == 1 else None for r in rows
    ]
    forms = _row_forms(reader.compiled, gmap)
    table_forms = {r.address: forms.get(r.address, ()) for r in rows}
    placed = list(lines)
    for k, row in enumerate(rows):
        if lines[k] is not None:
            continue
        low = max((x for x in placed[:k] if x is not None), default=0)
        high = min((x for x in placed[k + 1:] if x is not None), default=1 << 30)
        where = {line for line in found.get(row.address, ()) if low < line < high}
        if not where:
            where = {
                line for line, cells in by_line.items() if low < line < high and any(
                    not reader.is_value(c.text) and _starts_only(c.text, row.address, table_forms) for c in cells)
            }
        if len(where) != 1:
            return None
        lines[k] = where.pop()
    if any(a is None or b is None or a >= b for a, b in zip(lines, lines[1:])):
        return None
    return [x for x in lines if x is not None]


def _starts_only(text: str, address: str, forms: dict[str, tuple[str, ...]]) -> bool:
    """Whether ``text`` (its ordinal and quotation marks left out), or its part from a
    sub-row ordinal on (a group caption's piece before it: ``（六）其2.申请人逾期…``),
    starts the label of the row at ``address``, four characters or more of it, and no
    other row's."""
    for start in (0, *(m.start() for m in _SUB_ORDINAL.finditer(text, 1))):
        bare = _bare(text[start:])
        if len(bare) >= 4 and [a for a, printed in forms.items() if any(f.startswith(bare) for f in printed)] == [
                address]:
            return True
    return False


def _number_lines(reader: _Reader, by_line: dict[int, list[Cell]], labels: list[int]) -> list[_Line]:
    """The lines of the table's number pieces: between the labels, and the lines of
    numbers only right above the first label and right below the last."""
    numbered = sorted(by_line)
    pieces = {n: [c for c in cells if _PIECE.fullmatch(c.text)] for n, cells in by_line.items()}

    def numbers_only(line: int) -> bool:
        return bool(pieces[line]) and all(reader.is_value(c.text) for c in by_line[line])

    top = labels[0]
    for line in reversed([n for n in numbered if n < labels[0]]):
        if not numbers_only(line):
            break
        top = line
    bottom = labels[-1]
    for line in (n for n in numbered if n > labels[-1]):
        if not numbers_only(line):
            break
        bottom = line
    return [_Line(n, pieces[n]) for n in numbered if top <= n <= bottom and pieces[n]]


def _columns(lines: list[_Line], anchors_of: dict[int, tuple[int, ...]], size: int) -> Optional[dict[int, list[int]]]:
    """The column of each piece, by line: each line's pieces against the column starts of
    the nearest line above and the nearest below that prints every column (a page break
    moves the columns).  A piece stands under a column when it starts there (within
    :data:`_SLACK`); a line's first piece left of the second column is the first column's
    (a long label pushes it).  None when a line fits neither, or the two differently."""
    full = sorted(anchors_of)
    out: dict[int, list[int]] = {}
    for line in lines:
        at = bisect.bisect_right(full, line.number)
        above = full[at - 1] if at else None
        at = bisect.bisect_left(full, line.number)
        below = full[at] if at < len(full) else None
        fits = {tuple(f) for f in (_fit(line.pieces, anchors_of[n]) for n in {above, below} if n is not None)
                if f is not None}
        if len(fits) != 1:
            return None
        out[line.number] = list(fits.pop())
    return out


def _fit(pieces: list[Cell], starts: tuple[int, ...]) -> Optional[list[int]]:
    place: list[int] = []
    for k, piece in enumerate(pieces):
        near = [j for j, s in enumerate(starts) if abs(piece.column - s) <= _SLACK]
        if len(near) == 1:
            place.append(near[0])
        elif not near and k == 0 and piece.column < starts[1] - _SLACK:
            place.append(0)
        else:
            return None
    if any(a >= b for a, b in zip(place, place[1:])):
        return None
    return place


def _ways(
    rows: Sequence[_schema.Row], labels: list[int], lines: list[_Line], columns: dict[int, list[int]]
) -> list[dict[str, list[tuple[str, list[Cell]]]]]:
    """Every split of the lines between labels that gives each row one well-formed number
    per column and a sum that holds; at most :data:`_WAYS` of them (none when more)."""
    n = len(rows)
    size = len(rows[0].cells)
    own: list[list[_Line]] = [[] for _ in range(n)]
    at_label = {line: k for k, line in enumerate(labels)}
    gaps: list[list[_Line]] = [[] for _ in range(n - 1)]
    for line in lines:
        if line.number < labels[0]:
            own[0].append(line)
        elif line.number > labels[-1]:
            own[-1].append(line)
        elif line.number in at_label:
            own[at_label[line.number]].append(line)
        else:
            gaps[bisect.bisect_left(labels, line.number) - 1].append(line)
    if any(len(gap) > _GAP for gap in gaps):
        return []

    def join(k: int, take_above: int, take_below: int) -> Optional[list[tuple[str, list[Cell]]]]:
        """Row k's cells when it takes the last ``take_above`` lines of the gap above it
        and the first ``take_below`` of the gap below."""
        chosen = [*(gaps[k - 1][len(gaps[k - 1]) - take_above:] if k else []), *own[k],
                  *(gaps[k][:take_below] if k < n - 1 else [])]
        chosen.sort(key=lambda x: x.number)
        stacks: list[list[Cell]] = [[] for _ in range(size)]
        for line in chosen:
            for piece, column in zip(line.pieces, columns[line.number]):
                stacks[column].append(piece)
        cells: list[tuple[str, list[Cell]]] = []
        for stack in stacks:
            if not stack:
                return None
            text = "".join(p.text for p in stack)
            if len(stack) == 1 and MISSING_MARKS.fullmatch(text):
                cells.append((text, stack))
                continue
            if not _COUNT.fullmatch(text):
                return None
            cells.append((text, stack))
        counts = [_joined_count(t) for t, _ in cells]
        if sum(counts[:-1]) != counts[-1]:
            return None
        return cells

    joined: dict[tuple[int, int, int], Optional[list[tuple[str, list[Cell]]]]] = {}

    def row_cells(k: int, above: int, below: int) -> Optional[list[tuple[str, list[Cell]]]]:
        key = (k, above, below)
        if key not in joined:
            joined[key] = join(k, above, below)
        return joined[key]

    def options(k: int) -> range:
        return range(len(gaps[k]) + 1) if k < n - 1 else range(1)

    # whether rows k … can all be made when row k takes ``above`` lines of the gap above
    # (from the last row up, so the walk below never enters a dead end)
    feasible: dict[tuple[int, int], bool] = {}
    for k in range(n - 1, -1, -1):
        for above in range(len(gaps[k - 1]) + 1 if k else 1):
            feasible[(k, above)] = any(
                row_cells(k, above, below) is not None
                and (k == n - 1 or feasible[(k + 1, len(gaps[k]) - below)])
                for below in options(k)
            )
    ways: list[dict[str, list[tuple[str, list[Cell]]]]] = []
    if not feasible[(0, 0)]:
        return ways

    def walk(k: int, above: int, way: dict[str, list[tuple[str, list[Cell]]]]) -> bool:
        """Choose the split below row k (row k took ``above`` lines of the gap above)."""
        for below in options(k):
            cells = row_cells(k, above, below)
            if cells is None or (k < n - 1 and not feasible[(k + 1, len(gaps[k]) - below)]):
                continue
            way[rows[k].address] = cells
            if k == n - 1:
                ways.append(dict(way))
                if len(ways) > _WAYS:
                    return False
            elif not walk(k + 1, len(gaps[k]) - below, way):
                return False
            del way[rows[k].address]
        return True

    return ways if walk(0, 0, {}) else []


def displaced(
    cells: Sequence[Cell], lines: Optional[Sequence[str]], rows: Mapping[str, Built], shape: "_schema.Schema",
) -> list[Issue]:
    """A ``parse.row_unreadable`` issue for each row of table 三 in ``rows`` (read
    rows by address) that takes a number from a line whose numbers stand out of the
    text's columns (``lines``: the normalised text's lines; nothing when None).

    Text laid out in characters (``pdftotext -layout``, a page dump, a plain-text
    table) prints each column at the same place line after line.  A tool that places
    words by text block may print a row's first numbers in its label's space and the
    first column's number after them, under its column::

                 （七）总计          1884   1026   5057   1774    7867   6884       4145
        四、结转下年度继续办      140 0   374                  663     824    0          2001

    (printed 374 140 0 663 …), or the first column's number last among those close
    after the label (``四、结转下年度继续办      836 0 0      226 …``, printed 0 836 0
    226 …): the row still adds up, but the order of its numbers is not the order of
    its columns.  So a line of as many numbers as the table has columns is suspect when
    two of them stand one space apart (words of a text block, placed in its order, not
    at their columns) or when two stand where only the first column's can
    (:func:`_aligned`, against the nearest lines above and below that print every
    column).  A row that takes a number from a suspect line is not read unless a column
    sum confirms its order (:func:`._rowsum._placed`, rows so confirmed counting as read in
    place for the next rule).
    """
    if lines is None:
        return []
    table = shape.table("applications")
    size = len(table.rows[0].cells)
    by_line: dict[int, list[Cell]] = {}
    for c in cells:
        if c.text is not ROW_END and _PIECE.fullmatch(c.text):
            by_line.setdefault(c.line, []).append(c)
    # lines of a row's numbers only spaces apart, not all one space apart (text in which
    # places say nothing: the words of a line in their order), with the gaps between them
    spaced: dict[int, tuple[list[Cell], list[int]]] = {}
    for n, pieces in by_line.items():
        if len(pieces) != size or any(_between(lines, a, b).strip() for a, b in zip(pieces, pieces[1:])):
            continue
        gaps = [b.column - a.column - len(a.text) for a, b in zip(pieces, pieces[1:])]
        if max(gaps) >= 2:
            spaced[n] = (pieces, gaps)
    # the lines that print every column at its place: two or more spaces between their
    # numbers, and standing in the columns of half the others of their page or more (a
    # row moved with room between its numbers is no anchor for the rows next to it; a
    # tool places each page's columns anew); on a page where none do, no line is
    spread = sorted(n for n, (_, gaps) in spaced.items() if min(gaps) >= 2)
    if not spread:
        return []
    page = _pages(lines)
    anchors = [n for n in spread
               if 2 * sum(_aligned(spaced[n][0], spaced[m][0]) for m in spread if m != n and page[m] == page[n])
               >= sum(page[m] == page[n] for m in spread) - 1]
    moved: dict[str, tuple[int, list[Cell], str]] = {}
    for row in table.rows:
        built = rows.get(row.address)
        if built is None:
            continue
        for number in sorted({t.line for t in built.tokens if t.line in spaced}):
            # the lines of its page that print every column place it; a line alone on its
            # page has none (another page's columns may stand a column's width apart, and a
            # page holding only rows a tool moved gives nothing to compare with)
            same = [n for n in spread if n != number and page[n] == page[number]]
            others = [n for n in anchors if n in same]
            at = bisect.bisect_left(others, number)
            near = [others[k] for k in (at - 1, at) if 0 <= k < len(others)]
            pieces, gaps = spaced[number]
            if 1 in gaps:  # in a table that prints every column somewhere (``spread``)
                why = "some stand one space apart, in the order of a text block, not at their columns"
            elif same and not others:
                why = "the lines of its page that print every column do not stand in one another's columns"
            elif not near:
                why = "no other line of its page prints every column, so nothing places its numbers"
            elif not any(_aligned(pieces, spaced[n][0]) for n in near):
                why = (f"they do not stand under the columns of line {near[0]} "
                       f"(at {' '.join(str(p.column) for p in spaced[near[0]][0])})")
            else:
                continue
            moved[row.address] = (number, pieces, why)
            break
    if not moved:
        return []
    values = _known(rows, table.rows, moved)
    # a row a column rule confirms is as certain as one read in place: it may then, with
    # the rows around it, confirm another moved row by the other rule (总计 by the
    # results, then 新收 by the balance).  Not the whole table adding up with rows moved:
    # rows moved alike keep every sum (a township's one application, counted in 新收,
    # 其他处理 and 总计, read in the second column's place in all three)
    # (a row whose numbers are all equal, ``0 0 0 0 0 0 0``, is the same in any order)
    unsure = {a for a in moved if a not in values or len(set(values[a])) > 1}
    while sure := {a for a in unsure if _placed(a, unsure, values, table.rows)}:
        unsure -= sure
    issues: list[Issue] = []
    for row in table.rows:
        if row.address not in unsure:
            continue
        number, pieces, why = moved[row.address]
        printed = " ".join(p.text for p in pieces)
        issues.append(Issue(
            "parse.row_unreadable", "error",
            f"table 三: row {row.label}: of its numbers ({printed}, at characters "
            f"{' '.join(str(p.column) for p in pieces)}) {why}: the tool that made the text may have moved them "
            "out of their columns' order, and no sum of the table confirms the order, so the row is not read",
            row.address, line=number, column=pieces[0].column, printed=printed))
    return issues


def _known(
    read: Mapping[str, Built], rows: Sequence[_schema.Row], moved: Collection[str],
) -> dict[str, tuple[int, ...]]:
    """The numbers of each row of table 三 (``rows``) in ``read``, a printed blank or
    dash counted as nothing (as the validator counts it); a row in ``moved`` only when
    its every cell is a number (a blank out of its place would count as a 0 in place)."""
    values: dict[str, tuple[int, ...]] = {}
    for row in rows:
        built = read.get(row.address)
        numbers = () if built is None else tuple(getattr(built.obj, c.name) for c in row.cells)
        if row.address not in moved:
            numbers = tuple(0 if v is None else v for v in numbers)
        if numbers and all(type(v) is int for v in numbers):
            values[row.address] = numbers
    return values


def _pages(lines: Sequence[str]) -> dict[int, int]:
    """The page of each line (by number, from 1) of ``lines``: a form feed, which
    ``pdftotext`` prints before a page's first line, starts the next."""
    pages: dict[int, int] = {}
    page = 0
    for n, line in enumerate(lines, 1):
        page += line.count("\f")
        pages[n] = page
    return pages


def _between(lines: Sequence[str], a: Cell, b: Cell) -> str:
    """What the text prints between cells ``a`` and ``b`` of one line."""
    return lines[a.line - 1][a.column - 1 + len(a.text):b.column - 1] if 0 < a.line <= len(lines) else "|"


def _aligned(pieces: list[Cell], anchor: list[Cell]) -> bool:
    """Whether ``pieces`` (as many as ``anchor`` has, in order) can stand in the columns
    of ``anchor`` in their order.  They cannot when two of them stand nearer the first
    column's middle than the second's (only one number is the first column's), unless
    the whole line is shifted alike and, from the second on, each stands nearer its own
    column's middle than any other's (a page dump counts a wide character of the label
    as two; a column may be aligned left, right or centred).  Numbers pushed right by a
    long label, or printed close after it in their order, starting in the first
    column, can stand there."""
    middles = [2 * q.column + len(q.text) for q in anchor]  # in half characters
    placed = [2 * p.column + len(p.text) for p in pieces]
    if sum(2 * at < middles[0] + middles[1] for at in placed) < 2:
        return True

    def nearest(at: int) -> set[int]:  # the columns nearest to ``at`` (more than one: a tie)
        far = [abs(at - m) for m in middles]
        return {k for k, f in enumerate(far) if f == min(far)}

    if all(nearest(placed[j]) == {j} for j in range(2, len(pieces))):
        # the third on in their columns, the second in the first's: no shift of the line,
        # a number moved into the first column (``7.属于行政执法案卷 0   1000   0 …``, 1000
        # the first column's, 0 the second's, which a shift of a character or two would
        # put back in place)
        return False
    later = range(1, len(pieces))
    return any(all(nearest(placed[j] - d) == {j} for j in later) for d in {placed[j] - middles[j] for j in later})
