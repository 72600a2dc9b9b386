"""The tolerant reader's guards around one row (:mod:`._recover`): where the numbers
next to a label may be another row's, the rests of numbers wrapped in their cells,
or a row over lines of different lengths, and where blank cells stand in text
printed one cell per line."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Mapping, Optional, Sequence

from lark import Token

from . import _lines, _split
from . import schema as _schema
from ._build import Built
from ._grammar import BLANK, MISSING_MARKS
from ._labels import _caption_forms, _depth, _Occurrence, _Reader, _results_caption
from ._lexer import MAX_JOIN, base_name
from ._normalize import ROW_END, Cell
from ._rowsum import _COUNT, _MERGEABLE, _PLAIN, _as_int, _joined_count, _sum_allows, _sums
from .errors import ParseError
from .issues import Issue

#: A count is never printed with a leading zero (``02``): such a piece is a number's rest.
_LEADING_ZERO = re.compile(r"0\d[\d,]*")


def _labels_after_numbers(
    reader: "_Reader", found: Sequence[_Occurrence], bare: Sequence[_Occurrence], owner: dict[int, _Occurrence]
) -> set[str]:
    """The tables whose labels may all be printed *after* their numbers: a row's worth of
    numbers no row takes right before the label of the table's first row, and no number
    after the label of its last row.  Read label-first, every row of such a table would
    take the next row's numbers, and each would add up."""
    late = set()
    for table in reader.shape.tables:
        firsts = [o for o in (*found, *bare) if o.row is table.rows[0]]
        lasts = [o for o in (*found, *bare) if o.row is table.rows[-1]]
        if not firsts or not lasts or len(table.rows) < 2:
            continue
        first = min(firsts, key=lambda o: o.start)
        last = max(lasts, key=lambda o: o.start)
        if last.values or last.start <= first.start:
            continue
        if _unclaimed_before(reader, first, owner) >= len(first.row.cells):
            late.add(table.key)
    return late


def _wrapped_in_columns(
    reader: "_Reader", occ: _Occurrence, row: _schema.Row, builder: Any, value_type: str,
    owner: dict[int, _Occurrence], read: Mapping[str, Built],
) -> Optional[tuple[Built, Issue]]:
    """A row laid out in characters whose widest numbers wrapped in their cells: the
    rest of each is printed on the next line, under its column (``1475 … 3996`` /
    ``公开申请数量  8 … 1``).  The pieces after the row's label that stand on one line,
    each under exactly one of the row's numbers, are joined to those; the row is taken
    only when its own sum then holds (``value.inferred``), and not when numbers that no
    row takes stand right before the label: those may be the first lines of the same
    numbers, wrapped over three lines around a centred label (``3 7 1`` / ``一、本年新收…
    0 0 0 0 5 7 1`` / ``2`` is 35 77 112), and ``owner`` (see :func:`_unclaimed_before`)
    tells which numbers rows take; nor when those numbers are taken by a row not read
    (``read``, the rows read so far: ``二、上年结转…  1  2  1  1`` / ``2  2`` / ``（一）予以公开
    0 7 4 0 0 5 8`` / ``2  1``, where 2 / 7 / 2 is 272 and the row adds up with 72 too);
    nor when the row adds up without the pieces too."""
    cells = reader.cells
    heads = occ.values
    if len({c.line for c in heads}) != 1 or _unclaimed_before(reader, occ, owner) or _above_unread(
            reader, occ, owner, read):
        return None
    k = occ.end
    tails: list[Cell] = []
    while k < len(cells) and reader.is_value(cells[k].text) and (
        _PLAIN.fullmatch(cells[k].text) or cells[k].text == BLANK
    ):
        if cells[k].text != BLANK:  # the column pass marks the gaps of the line: not cells
            tails.append(cells[k])
        k += 1
    if not tails or len({c.line for c in tails}) != 1 or tails[0].line <= heads[0].line:
        return None
    around = [cells[occ.end - 1], *tails] if occ.end and cells[occ.end - 1].line == tails[0].line else tails
    if any(b.column - a.column - len(a.text) < 2 for a, b in zip(around, around[1:])):
        return None  # pieces one space apart are not laid out in columns: their places say nothing
    if k < len(cells) and reader.is_value(cells[k].text):
        return None
    texts = [c.text for c in heads]
    used: set[int] = set()
    for tail in tails:
        under = [h for h, head in enumerate(heads)
                 if head.column <= tail.column <= head.column + len(head.text) and h not in used]
        if len(under) != 1:
            return None
        used.add(under[0])
        texts[under[0]] += tail.text
    if any(_split.count_of(t) is None for t in texts) or not _sum_allows(row, texts):
        return None
    if _sum_allows(row, [c.text for c in heads]) is True:
        # the row adds up without the pieces under it too: they may be the first lines
        # of the next row's numbers, above its label (``0 … 1 1`` / ``1 1`` / ``3.其他 …``)
        return None
    tokens = [Token(value_type, t, line=c.line, column=c.column) for t, c in zip(texts, heads)]
    try:
        built = builder._handlers[row.name](tokens)  # noqa: SLF001
    except ParseError:
        return None
    printed = " ".join(c.text for c in heads) + " / " + " ".join(c.text for c in tails)
    return built, Issue(
        "value.inferred", "warning",
        f"table 三: row {row.label}: numbers wrapped in their cells ({printed}); the rest of each, printed under "
        f"its column on the next line, is joined to it: {' '.join(texts)}, and the row's sum holds",
        row.address, line=heads[0].line, column=heads[0].column, printed=printed)


def _pieces_under(reader: "_Reader", occ: _Occurrence) -> bool:
    """Whether, in text laid out in characters, the line after a row's numbers (all on
    one line) holds number pieces under them after text that is no label or caption and
    starts no row's label (``（三  6.属于四类过程性信息  0  2  3  0  2     7`` / ``）不
    5  6     1  6  0``: a group caption's pieces, then the rests of the row's wrapped
    numbers).  The row may then add up as printed by chance: its numbers are not
    certain.  So too a row of one number and gaps the column pass marked, whose other
    numbers stand under the gaps (``三、  （四  1.本机关不掌握相关政府信息  ∅ … ∅ 3`` / ``本年
    ）无  7  8  5  0  9  9  8``: read 3 for 38)."""
    values = [c for c in occ.values if c.text != BLANK]
    if not values or len({c.line for c in values}) != 1 or any(
            b.column - a.column - len(a.text) < 2 for a, b in zip(values, values[1:])):
        return False
    line = values[0].line + 1
    cells = [c for c in reader.cells[occ.end:occ.end + 4 * len(occ.row.cells)] if c.line == line]
    text = [c for c in cells if c.text is not ROW_END and not reader.is_value(c.text)]
    pieces = [c for c in cells if reader.is_value(c.text) and c.text != BLANK]
    if not text or not pieces or max(c.column for c in text) > min(c.column for c in pieces) or any(
            reader.starts_label(c.text) or reader.tokenize(c.text) for c in text):
        return False
    return all(any(v.column <= p.column + len(p.text) - 1 and p.column <= v.column + len(v.text) - 1
                   for v in occ.values) for p in pieces)  # a blank's slot marks its column


def _rests_after(reader: "_Reader", occ: _Occurrence) -> list[Cell]:
    """The bare digits right after an occurrence that ends with a piece of its label
    (printed around its numbers), on lines after its numbers, fewer than its cells and
    followed by no other number: the rests of numbers wrapped in their cells."""
    cells = reader.cells
    k = occ.end
    if not occ.values or k == 0 or reader.is_value(cells[k - 1].text):
        return []
    rests: list[Cell] = []
    while k < len(cells) and reader.is_value(cells[k].text):
        rests.append(cells[k])
        k += 1
    if len(rests) >= len(occ.row.cells):
        # the digits of the first line only: the next line's may be the next row's
        # numbers, after its ordinal cut off (``16 16`` / ``2`` ``111`` …)
        rests = [c for c in rests if c.line == rests[0].line]
    last = occ.values[-1].line
    if not 0 < len(rests) < len(occ.row.cells) or any(
        not _MERGEABLE.fullmatch(c.text) or c.line <= last for c in rests
    ):
        return []
    return rests


def _rests_follow(reader: "_Reader", occ: _Occurrence) -> bool:
    """Whether fewer bare digits than the row has cells follow its numbers on a later
    line, after at most two pieces of text (the rest of its label, or pieces of group
    captions), the gaps the column pass marks not counted: the rests of numbers wrapped
    in their cells may be there."""
    cells = reader.cells
    if not occ.values:
        return False
    last = occ.values[-1].line
    k = occ.end
    text = 0
    while k < len(cells) and text < 2 and cells[k].text is not ROW_END and not reader.is_value(cells[k].text):
        text += 1
        k += 1
    run = 0
    while k < len(cells) and reader.is_value(cells[k].text):
        if cells[k].text != BLANK:  # the column pass marks the gaps of a line: not cells
            if not _MERGEABLE.fullmatch(cells[k].text) or cells[k].line <= last:
                return False
            run += 1
        k += 1
    return 0 < run < len(occ.row.cells)


def _digits_after(reader: "_Reader", occ: _Occurrence, size: int) -> bool:
    """Whether fewer than ``size`` bare numbers follow the row's label on one line of
    their own: they may be the rest of numbers wrapped in their cells, and then the
    numbers as printed are not the row's even if they add up."""
    cells = reader.cells
    k = occ.end
    run: list[Cell] = []
    while k < len(cells) and reader.is_value(cells[k].text):
        run.append(cells[k])
        k += 1
    printed = [c for c in run if c.text != BLANK]
    return (0 < len(printed) < size and len({c.line for c in run}) == 1
            and all(_PLAIN.fullmatch(c.text) for c in printed) and printed[0].line > occ.values[-1].line)


def _blank_slots(
    reader: "_Reader",
    chosen: Sequence[_Occurrence],
    labelled: Sequence[_Occurrence],
    where_is: dict[tuple[int, int, str], int],
    blank: Mapping[int, int],
) -> tuple[dict[int, list[Cell]], set[int]]:
    """Rows with blank cells in text printed one cell per line (:mod:`._lines`): for
    each such occurrence in ``chosen`` (by ``id``), its cells with the blanks in place;
    and the occurrences whose numbers are all there but whose lines are not what the
    text's way of printing predicts (an empty line among them, or one too many or
    too few before the next row), which are not read.

    A row's slots are the lines right after its label; it is read only when the line
    count from its label to the next cell is what every model of the text's gaps
    (fitted on the rows printed whole) predicts.  ``labelled`` are all label
    occurrences (with numbers or without), to know which row the next cell starts.
    """
    if not blank:
        return {}, set()
    cells = reader.cells
    per_line = Counter(c.line for c in cells)
    starts = {o.start: o.row for o in labelled}
    results = _results_caption(reader.compiled)

    def covered(k: int) -> Optional[int]:
        """The covered cells before cell ``k``: a row label, a group caption or a header
        of a table; None for other text (a section heading, narrative), before which
        the number of empty lines says nothing."""
        text = cells[k].text
        if reader.caption_re.fullmatch(text):  # a caption printed where its merged cell starts
            return 0 if results.fullmatch(text) else 1
        row = starts.get(k)
        if row is not None:
            return _depth(row)
        parts = reader.tokenize(text) or ()
        return 0 if len(parts) == 1 and base_name(str(parts[0][0])).endswith("_H") else None

    def label_of(occ: _Occurrence) -> Optional[int]:
        """The index of the label's last cell, right before the run of numbers."""
        if not occ.values:
            return occ.end - 1 if occ.end > occ.start else None
        first = where_is.get((occ.values[0].line, occ.values[0].column, occ.values[0].text))
        if first is None or first == 0 or occ.end != first + len(occ.values):
            return None  # not a run right after the label, or a label piece after it
        return first - 1

    def layout(occ: _Occurrence) -> Optional[tuple[list[Optional[Cell]], Optional[int]]]:
        at = label_of(occ)
        if at is None or occ.end >= len(cells):
            return None
        slots = _lines.segment(per_line, blank, cells[at].line + 1, cells[occ.end].line, occ.values)
        return None if slots is None else (slots, covered(occ.end))

    observed: list[tuple[_Occurrence, int, int]] = []
    whole: list[_Occurrence] = []
    odd: set[int] = set()  # whole rows with empty lines among their cells
    short: list[tuple[_Occurrence, list[Optional[Cell]], Optional[int]]] = []
    for occ in chosen:
        size = len(occ.row.cells)
        if len(occ.values) > size:
            continue
        laid = layout(occ)
        if laid is None:
            continue
        slots, cover = laid
        if len(occ.values) == size:
            whole.append(occ)
            if any(s is None for s in slots[:size]):
                odd.add(id(occ))
            elif cover is not None:
                observed.append((occ, len(slots) - size, cover))
        elif len(slots) >= size:
            short.append((occ, slots, cover))
    models = _lines.fit((gap, cover) for _, gap, cover in observed)
    odd.update(id(occ) for occ, gap, cover in observed if _lines.predicted(models, cover) != gap)
    if not models or 3 * len(odd) > len(whole):
        return {}, set()  # the text's rows do not follow one way of printing
    out: dict[int, list[Cell]] = {}
    for occ, slots, cover in short:
        size = len(occ.row.cells)
        if any(s is not None for s in slots[size:]):
            continue
        # the lines up to the next cell are what the model predicts, or the row's last
        # cell is a number on the row's last line (the row's own lines are all there;
        # what follows, a heading or prose, is not a row)
        if (cover is None or _lines.predicted(models, cover) != len(slots) - size) and slots[size - 1] is None:
            continue
        line = cells[label_of(occ) or 0].line
        out[id(occ)] = [s if s is not None else Cell(BLANK, line + 1 + k, blank[line + 1 + k])
                        for k, s in enumerate(slots[:size])]
    return out, odd


def _before_captions(reader: "_Reader", occ: _Occurrence) -> Optional[int]:
    """The index of the cell right before ``occ``'s label once the text cells before it
    (captions, at most ``MAX_JOIN``) are skipped; None when one of them is another row's
    label (what stands before it is that row's business)."""
    cells = reader.cells
    k = occ.start - 1
    skipped = 0
    while k >= 0 and skipped < MAX_JOIN and cells[k].text is not ROW_END and not reader.is_value(cells[k].text):
        if reader._row_of(cells[k].text) is not None:  # noqa: SLF001
            return None
        k -= 1
        skipped += 1
    return k


def _unclaimed_before(reader: "_Reader", occ: _Occurrence, owner: dict[int, _Occurrence]) -> int:
    """How many numbers stand right before ``occ``'s label (captions between skipped)
    that no row takes: ``owner`` maps the cell index of each number a chosen row's run
    holds to that row's occurrence; a run with more numbers than its row's cells leaves
    the ones beyond its count unclaimed."""
    cells = reader.cells
    k = _before_captions(reader, occ)
    if k is None:
        return 0  # another row's label: the numbers before it are that row's business
    end = k + 1
    while k >= 0 and reader.is_value(cells[k].text):
        k -= 1
    unclaimed = 0
    runs: dict[int, int] = {}
    for index in range(k + 1, end):
        run = owner.get(index)
        if run is None:
            unclaimed += 1
        else:
            runs[id(run)] = max(0, len(run.values) - len(run.row.cells))
    return unclaimed + sum(runs.values())


def _gaps_under_rests(reader: "_Reader", occ: _Occurrence, owner: dict[int, _Occurrence]) -> bool:
    """Whether ``occ``'s numbers have gaps between them and stand right under a line of
    numbers no row takes: the rests of numbers wrapped there (``3.  2 0 7 7 0 3 1`` /
    ``其他  2     1     03``), not a row with blanks.  Skipped between: captions taken
    out whole (``本年  ∅ 91 0 0 0 39 30`` / ``度办  1.信访… 0 17 ∅ ∅ ∅ 81 98``, a caption
    column's pieces beside those numbers) and text left of the label on its line that
    is no label (a caption's piece that could not be taken out: ``（六  56  0  56`` /
    ``）其  1.申请人… 0 2 0 0 ∅ 4 6``)."""
    if not any(c.text == BLANK for c in occ.values):
        return False
    cells = reader.cells
    captions = _caption_forms(reader.compiled)
    k = occ.start - 1
    while k >= 0 and (cells[k].text in captions or (
            cells[k].line == occ.line and cells[k].text is not ROW_END and not reader.is_value(cells[k].text)
            and reader._row_of(cells[k].text) is None)):  # noqa: SLF001
        k -= 1
    return (
        k >= 0 and reader.is_value(cells[k].text) and cells[k].line < occ.line
        and _unclaimed_before(reader, occ, owner) > 0
    )


def _above_unread(
    reader: "_Reader", occ: _Occurrence, owner: dict[int, _Occurrence], read: Mapping[str, Built]
) -> bool:
    """Whether the number right before ``occ``'s label (captions between skipped) stands
    on a line above its numbers and belongs to the run of a row not read (``read``, the
    rows read so far; ``owner``, see :func:`_unclaimed_before`): it may be the first line
    of one of this row's numbers, wrapped over three lines around its label (``236  319``
    / ``6.属于四类过程性信息  169 197 458 0 6 3 3`` is 2360 … 3193)."""
    cells = reader.cells
    k = _before_captions(reader, occ)
    if k is None or k < 0 or not occ.values or not reader.is_value(cells[k].text):
        return False
    run = owner.get(k)
    return cells[k].line < occ.values[0].line and run is not None and run.row.address not in read


def _first_piece_before(reader: "_Reader", occ: _Occurrence, unclaimed: int) -> bool:
    """Whether a piece of ``occ``'s label, then as many numbers as its row has cells that
    no row takes, stand right before its label on earlier lines, so that the piece and the
    label spell the same row: ``一、 113 … 753`` / ``本年新收政府信息公开申请数量 14 … 99``.
    The label may be printed around those numbers (its rest is a whole label, the ordinal
    being optional), and the numbers after it the rests of numbers wrapped in their cells:
    which run is the row's cannot be told.  ``unclaimed``: :func:`_unclaimed_before`."""
    cells = reader.cells
    size = len(occ.row.cells)
    if unclaimed != size or occ.start < size + 1:
        return False
    run = cells[occ.start - size : occ.start]
    piece = cells[occ.start - size - 1]
    if not all(reader.is_value(c.text) for c in run) or piece.text is ROW_END or reader.is_value(piece.text):
        return False
    label = []
    for c in cells[occ.start : occ.end]:
        if reader.is_value(c.text):
            break
        label.append(c.text)
    return (
        piece.line < cells[occ.start].line
        and reader._row_of(piece.text) is None  # noqa: SLF001 - a label of its own is no piece of this one
        and reader._row_of(piece.text + "".join(label)) is occ.row  # noqa: SLF001
    )


def _uneven_orders(reader: "_Reader", occ: _Occurrence) -> list[list[Cell]]:
    """The orders of an uneven run's numbers (over lines of different lengths) in which
    its row adds up: the order printed, and the order of the character columns the
    numbers start at when the text keeps them (``pdftotext -layout``: no two numbers
    overlap in columns, and the order is the same whether a CJK character before them
    is one column wide or two).  Each distinct order of the numbers once (the columns' when
    both give the same numbers); only whole numbers and dashes."""
    values = occ.values
    if not all(_PLAIN.fullmatch(c.text) or MISSING_MARKS.fullmatch(c.text) for c in values) or not any(
        _PLAIN.fullmatch(c.text) for c in values
    ):
        return []
    orders = [list(values)]
    narrow = sorted(values, key=lambda c: c.column)
    wide = sorted(values, key=lambda c: c.column + reader.wide_before(c))
    if narrow == wide and all(b.column > a.column + len(a.text) for a, b in zip(narrow, narrow[1:])):
        if [c.text for c in narrow] == [c.text for c in values]:
            orders = [narrow]  # the same numbers either way: each at the column it stands at
        else:
            orders.append(narrow)
    return [o for o in orders if _sums(occ.row, [_as_int(c.text) for c in o]) is True]


def _sandwiched(reader: _Reader, occ: _Occurrence, unclaimed: int) -> bool:
    """Whether ``occ``'s label stands under a line of numbers: the line above holds as many
    numbers as its row has cells, taken by no row, and the row's own numbers are on one
    line, the label's or the next (``14,7 1,99 … 39,9`` / ``一、本年新收…`` / ``58 2 … 61``:
    numbers wrapped in their cells, the label centred between their two lines).  Which
    line is the row's, or whether both are pieces of its numbers, cannot be told.
    ``unclaimed``: :func:`_unclaimed_before`."""
    cells = reader.cells
    size = len(occ.row.cells)
    if not occ.exact or occ.start < size or unclaimed < size:
        return False
    label_line = cells[occ.start].line
    above = cells[occ.start - size : occ.start]
    if len({c.line for c in above}) != 1 or not all(reader.is_value(c.text) for c in above):
        return False
    if above[0].line >= label_line or (occ.start > size and cells[occ.start - size - 1].line == above[0].line):
        return False
    return len({c.line for c in occ.values}) == 1 and occ.values[0].line >= label_line


def _heads_above(reader: _Reader, occ: _Occurrence, owner: dict[int, _Occurrence]) -> Optional[str]:
    """The lines of number pieces right above ``occ``'s label (captions between skipped)
    that no row holds as its own, when some of the lowest of them, joined on top of the
    numbers on the label's line column by column, make a row that adds up too: the
    first lines of its numbers wrapped in their cells, the label not on the band's first
    line (``1 … 1`` / ``1.属于国家秘密 0 0 0 4 0 0 4`` is 14 … 14 as well as 4 … 4).  Only
    in text laid out in characters (``occ``'s numbers on one line, two spaces apart or
    more); a piece stands over a number when it starts at that number's column (within
    one character).  The joined pieces shown, or None."""
    cells = reader.cells
    values = occ.values
    size = len(occ.row.cells)
    if (
        not occ.exact
        or len({c.line for c in values}) != 1
        or any(b.column - a.column - len(a.text) < 2 for a, b in zip(values, values[1:]))
        or not all(_MERGEABLE.fullmatch(c.text) or MISSING_MARKS.fullmatch(c.text) for c in values)
    ):
        return None
    k = _before_captions(reader, occ)
    if k is None:
        return None
    above: dict[int, list[Cell]] = {}
    while k >= 0 and reader.is_value(cells[k].text):
        run = owner.get(k)
        if run is not None:
            own = run.values[: len(run.row.cells)]
            if len(own) == len(run.row.cells) and len({c.line for c in own}) == 1 and cells[k] in own:
                break  # a row's own number (a run short of its cells, or over lines, has none for certain)
        if cells[k].text != BLANK:
            above.setdefault(cells[k].line, []).insert(0, cells[k])
        k -= 1
    lines = sorted(line for line in above if line < values[0].line)
    if not lines or len(lines) != len(above):
        return None
    stacks: list[list[str]] = [[c.text] for c in values]
    for line in reversed(lines):  # the lowest lines first: each suffix of them
        for piece in above[line]:
            under = [j for j, c in enumerate(values) if abs(piece.column - c.column) <= 1]
            if len(under) != 1 or not _MERGEABLE.fullmatch(piece.text):
                return None
            stacks[under[0]].insert(0, piece.text)
        texts = ["".join(stack) for stack in stacks]
        if all(_COUNT.fullmatch(t) or MISSING_MARKS.fullmatch(t) for t in texts) and len(texts) == size:
            counts = [_joined_count(t) for t in texts]
            if sum(counts[:-1]) == counts[-1]:
                return " ".join(texts)
    return None


def _among_wrapped(reader: _Reader, occ: _Occurrence, owner: dict[int, _Occurrence]) -> Optional[str]:
    """Why ``occ``'s numbers may be the rests of numbers wrapped in their cells, with the
    first pieces before its label (:func:`_heads_above`, :func:`_first_piece_before`,
    :func:`_sandwiched`), or None."""
    size = len(occ.row.cells)
    printed = " ".join(c.text for c in occ.values)
    joined = _heads_above(reader, occ, owner)
    if joined is not None:
        return (f"number pieces no row takes stand right above its own ({printed}), under their columns, and joined "
                f"on top of them they make a row that adds up too ({joined}): they may be the first lines of its "
                "numbers wrapped in their cells, so the row is not read")
    if occ.start < size:
        return None
    unclaimed = _unclaimed_before(reader, occ, owner)
    if unclaimed < size:
        return None
    if _first_piece_before(reader, occ, unclaimed):
        piece = reader.cells[occ.start - size - 1].text
        return (f"a piece of its label ({piece}) and a row's worth of numbers no row takes stand before its label: "
                f"the label may be printed around those numbers and the ones after it ({printed}) be the rests of "
                "numbers wrapped in their cells: the row is not read")
    if _sandwiched(reader, occ, unclaimed):
        return (f"a line of numbers no row takes stands right above its label, as many as it has cells, and its own "
                f"({printed}) follow: the label may stand between the two lines of numbers wrapped in their cells, "
                "so the row is not read")
    return None
