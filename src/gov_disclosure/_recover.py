"""Tolerant reading: when the strict parse fails, read every row that is certain.

The strict reader (the LALR parser over the grammar) accepts a report only when
the whole text follows the template.  Real text often does not: a row left out, a
header misprinted, a table cut or missing, a tool that reordered or wrapped cells.
This reader takes the same grammar's view of a table (the label terminal of every
row, and how many numbers the row holds, from the edition's schema) and reads the
text row by row:

1. every cell is classified by the grammar's terminals: a number (``VALUE``), a row
   label (possibly assembled from pieces: a label broken over several cells, or
   split around its numbers), a caption or header, or other text;
2. each row label is followed by a run of numbers (the cells up to the next
   non-number); the label occurrences kept are the longest sequence in template
   order, so a stray label (a header cell ``总计``, a label quoted in the
   narrative) cannot take numbers;
3. a row is given its numbers only when its run has exactly the row's cell count
   *and* the run is bounded: the cell before the label is not a number left over
   from elsewhere, and the next row's run is not short (its numbers cannot have
   been taken).  Where a row's neighbourhood is irregular, a table-三 or table-四
   row must also satisfy its own sum (the six columns add up to 总计), the only
   arithmetic that pins numbers to a row; otherwise the row is not read;
4. table 四 is the run of numbers after its header: exactly fifteen, or nothing.

Every row that is not read this way has ``None`` cells and an issue saying why
(``parse.row_missing``, ``parse.row_unreadable``, ``parse.table_missing``,
``parse.conflicting_copy``).  Nothing is ever shifted from a neighbour.

The reader's parts, one concern a module: :mod:`._labels` finds the labels (and
assembles them from pieces), :mod:`._rowsum` is a row's own arithmetic,
:mod:`._guards` the checks around one row that refuse it when its numbers may be
another row's, and :mod:`._whole` the readings only the whole table can confirm
(rows split, joined or reordered by the column rules, numbers apart from their
labels, table 四), and :mod:`._grid` table 三 rebuilt from character columns where
numbers are printed in pieces over the lines of narrow cells.  This module chooses
the label occurrences and decides row by row.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence

from . import schema as _schema
from ._build import Built
from ._grammar import MISSING_MARKS, NUMBER_PIECE
from ._grid import displaced, rebuild
from ._guards import (
    _LEADING_ZERO,
    _above_unread,
    _among_wrapped,
    _blank_slots,
    _digits_after,
    _gaps_under_rests,
    _labels_after_numbers,
    _pieces_under,
    _rests_after,
    _rests_follow,
    _unclaimed_before,
    _uneven_orders,
    _wrapped_in_columns,
)
from ._labels import _issue, _Occurrence, _Reader, _unglue
from ._normalize import ROW_END, Cell
from ._rowsum import _MERGEABLE, _PLAIN, _merge_broken, _sum_allows, _sums, _token
from ._whole import _apart, _appeals, _heading, _split_glued
from .errors import ParseError
from .issues import Issue

if TYPE_CHECKING:  # pragma: no cover
    from ._diagnostics import GrammarMap
    from .editions import CompiledEdition

__all__ = ["recover"]


def recover(
    cells: Sequence[Cell],
    compiled: "CompiledEdition",
    gmap: "GrammarMap",
    cause: ParseError,
    blank: Optional[Mapping[int, int]] = None,
    lines: Optional[Sequence[str]] = None,
) -> tuple[dict[str, Built], list[Issue]]:
    """The tables of ``cells`` as far as they can be read for certain, and the issues.

    ``blank`` are the text's empty lines, ``{line: column}`` (blank cells where the
    text prints one cell per line, :mod:`._lines`); ``lines`` the normalised text's
    lines, where the columns of numbers glued to labels are found.  Raises ``cause`` again when not a
    single row can be read.
    """
    cells = _unglue(cells, compiled, lines)
    reader = _Reader(cells, compiled, gmap)
    # a caption column left of another (三、本年度办理结果 before （五）不予处理): the inner
    # caption's pieces start their lines only once the outer one's are taken out
    for _ in range(2):
        defused = reader.defuse()
        if defused == reader.cells:
            break
        reader.cells = defused
    reader.cells = reader.attach_ordinals()
    cells = reader.cells = reader.headers_first()
    shape = reader.shape
    builder = compiled.builder
    value_type = compiled.lexer.value_type
    issues: list[Issue] = []
    read: dict[str, Built] = {}
    appeals_issue, spans = _appeals(reader, builder, value_type, read)
    if appeals_issue is not None:
        issues.append(appeals_issue)
    # table 四's header holds cells such as 总计 and its numbers follow them: no row of
    # another table is looked for there
    found = [o for o in reader.occurrences() if not any(a <= o.start < b for a, b in spans)]
    # a label with no number after it is no evidence of where a row is (a header
    # cell 总计, a caption); it only helps to say why a row was not read
    bare: dict[str, _Occurrence] = {}
    every_bare = [occ for occ in found if not occ.values]
    for occ in every_bare:
        bare.setdefault(occ.row.address, occ)
    found = [o for o in found if o.values]
    chosen = reader.in_order(found)
    where_is = {(c.line, c.column, c.text): k for k, c in enumerate(cells)}
    by_row: dict[str, list[_Occurrence]] = {}
    for occ in found:
        by_row.setdefault(occ.row.address, []).append(occ)
    chain = [(o.order, o.start) for o in chosen]

    def in_place(o: _Occurrence) -> bool:  # a label without numbers between its neighbours' rows
        before = max((s for order, s in chain if order < o.order), default=-1)
        after = min((s for order, s in chain if order > o.order), default=len(cells))
        return before < o.start < after and o.row.address not in by_row
    lone = Counter(o.row.address for o in every_bare)
    blank_rows = [o for o in every_bare if lone[o.row.address] == 1 and in_place(o)]
    slotted, odd = _blank_slots(reader, [*(o for o in chosen if len(by_row[o.row.address]) == 1), *blank_rows],
                                [*found, *every_bare], where_is, blank or {})
    consumed_ends = {o.end for o in chosen if o.exact or id(o) in slotted}


    numeral = {t.key: t.numeral for t in shape.tables}
    glued: dict[str, _Occurrence] = {}
    uneven: dict[str, _Occurrence] = {}
    broken: dict[str, _Occurrence] = {}
    glued_ends: set[int] = set()
    # the row after each row in its table, and the rows whose label is printed at all
    next_row = {
        a.address: b.address for t in shape.tables for a, b in zip(t.rows, t.rows[1:])
    }
    printed_after: dict[str, int] = {}  # row -> where its label is printed last
    for o in (*found, *every_bare):
        printed_after[o.row.address] = max(printed_after.get(o.row.address, -1), o.start)
    owner: dict[int, _Occurrence] = {}
    for occ in chosen:
        for c in occ.values:
            index = where_is.get((c.line, c.column, c.text))
            if index is not None:
                owner[index] = occ
    late = _labels_after_numbers(reader, found, every_bare, owner)
    for pos, occ in enumerate(chosen):
        row = occ.row
        where = f"table {numeral[row.table]}: row {row.label}"
        printed = " ".join(c.text for c in occ.values)
        if row.table in late:
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: table {numeral[row.table]} prints a row's worth of numbers before its first label "
                "and none after its last: its labels may follow their numbers, so the numbers after a label "
                "may be the next row's: the row is not read",
                occ, printed))
            continue
        if _gaps_under_rests(reader, occ, owner):
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: its numbers ({printed}) have gaps and stand right under numbers no row takes: they may "
                "be the rests of numbers wrapped on the line above, so the row is not read",
                occ, printed))
            continue
        among = _among_wrapped(reader, occ, owner)
        if among is not None:
            issues.append(_issue("parse.row_unreadable", row.address, f"{where}: {among}", occ, printed))
            continue
        if occ.exact and any(_LEADING_ZERO.fullmatch(c.text) for c in occ.values):
            # ``02``: no count is printed so; the rest of a number wrapped in its cell (a
            # row with more or fewer pieces than cells is joined or split below)
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: its numbers ({printed}) hold a number with a leading zero, the rest of a number "
                "wrapped in its cell rather than a count: the row is not read",
                occ, printed))
            continue
        if id(occ) in odd:
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: the text prints one cell a line, but the lines from this row's label to the next "
                f"row's are not its {len(row.cells)} cells and the empty lines the other rows have there (a line "
                "lost or added): its numbers' cells are not certain, so the row is not read",
                occ, printed))
            continue
        slots = slotted.get(id(occ))
        if slots is not None:
            # one cell a line, blanks as empty lines, and the line count as the text's
            # other rows predict (see _lines)
            try:
                if _sum_allows(row, [c.text for c in slots]) is False:
                    raise ParseError("with its blank cells in place, its numbers do not add up")
                read[row.address] = builder._handlers[row.name]([_token(c, value_type) for c in slots])  # noqa: SLF001
            except ParseError as exc:
                issues.append(_issue("parse.row_unreadable", row.address, f"{where}: {exc.message}", occ, printed))
            continue
        if (
            row.table == "applications"
            and len(occ.values) < len(row.cells)
            and all(_PLAIN.fullmatch(c.text) for c in occ.values)
            and (len(occ.values) == 1 or all(c.line == occ.line for c in occ.values))
            and (
                occ.start == 0
                or not reader.is_value(cells[occ.start - 1].text)
                or occ.start in consumed_ends
                or occ.start in glued_ends
            )
        ):
            # fewer pieces than cells, on the label's own line, nothing stray before the
            # label: the separators between the cells were lost; split below
            glued[row.address] = occ
            glued_ends.add(occ.end)
            continue
        if (
            row.table == "applications"
            and len(row.cells) < len(occ.values) <= 2 * len(row.cells)
            and all(_MERGEABLE.fullmatch(c.text) or MISSING_MARKS.fullmatch(c.text) for c in occ.values)
            and any(_MERGEABLE.fullmatch(c.text) for c in occ.values)
            and len({c.line for c in occ.values}) > 1
        ):
            # more pieces than cells, over lines: numbers too wide for a narrow column,
            # broken where a line ends (``1475`` / ``8``); joined below, if certain.  In
            # text laid out in characters, a first line holding every cell and the rests
            # on the next line under their columns are joined by column at once
            size = len(row.cells)
            heads = [c for c in occ.values if c.line == occ.values[0].line]
            first_tail = where_is.get((occ.values[size].line, occ.values[size].column, occ.values[size].text))
            if len(heads) == size and first_tail is not None:
                wrapped = _wrapped_in_columns(
                    reader, _Occurrence(row, occ.order, occ.start, first_tail, heads, cells[occ.start]),
                    row, builder, value_type, owner, read)
                if wrapped is not None:
                    read[row.address], note = wrapped
                    issues.append(note)
                    continue
            broken[row.address] = occ
            continue
        if not occ.exact:
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: {len(occ.values)} numbers follow the label, the template has {len(row.cells)}: "
                "the row is not read (its numbers cannot be assigned to cells for certain)",
                occ, printed))
            continue
        copies = {tuple(c.text for c in o.values) for o in by_row[row.address] if o.exact}
        if len(copies) > 1:
            issues.append(_issue(
                "parse.conflicting_copy", row.address,
                f"{where}: the text prints this row {len(by_row[row.address])} times with different numbers "
                f"({'; '.join(' '.join(c) for c in sorted(copies))}): the row is not read",
                occ, printed))
            continue
        if not occ.aligned:
            orders = _uneven_orders(reader, occ) if row.table == "applications" else []
            if len(orders) == 1:
                # in the order printed, or in the order of the columns the numbers stand
                # at (a cell whose number sits a line higher: ``…只计这一情   16`` /
                # ``0 3 9 4 0 0``), and in only one of them, the row adds up: read if the
                # whole table then adds up too, which pins every number to its column
                uneven[row.address] = _Occurrence(row, occ.order, occ.start, occ.end, orders[0], cells[occ.start])
                continue
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: its numbers ({printed}) are spread over lines of different lengths, so their "
                "columns are not certain: the row is not read",
                occ, printed))
            continue
        after = occ.end
        while after < len(cells) and cells[after].text is ROW_END:
            after += 1
        if after < len(cells) and NUMBER_PIECE.fullmatch(cells[after].text):
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: its last number continues in a cell of its own ({cells[after].text!r}): a number cut "
                "in two cannot be read safely, so the row is not read",
                occ, printed))
            continue
        before = occ.start - 1
        left_clean = before < 0 or not reader.is_value(cells[before].text) or occ.start in consumed_ends
        nxt = chosen[pos + 1] if pos + 1 < len(chosen) else None
        right_clean = (
            (occ.end >= len(cells) or not reader.is_value(cells[occ.end].text))
            and (nxt is None or nxt.start != occ.end or len(nxt.values) >= len(nxt.row.cells) or id(nxt) in slotted)
        )
        try:
            built = builder._handlers[row.name]([_token(c, value_type) for c in occ.values])  # noqa: SLF001
        except ParseError as exc:
            # a number cut at its thousands comma (``1,46``) whose last digits wrapped
            # under its column on the next line (``1``) in text laid out in characters
            wrapped = _wrapped_in_columns(reader, occ, row, builder, value_type, owner, read) if row.table == "applications" else None
            if wrapped is not None:
                read[row.address], note = wrapped
                issues.append(note)
                continue
            issues.append(_issue("parse.row_unreadable", row.address, f"{where}: {exc.message}", occ, printed))
            continue
        values = [getattr(built.obj, c.name) for c in row.cells]
        following = next_row.get(row.address)
        if (
            following is not None
            and (printed_after.get(following, -1) <= occ.start or following not in by_row)
            and _unclaimed_before(reader, occ, owner) >= len(row.cells)
        ):
            # as many numbers as the row has cells stand right before its label, taken by
            # no row, and the next row's label is not printed (or printed with no number
            # after it): the numbers before may be this row's (a label wrapped after its
            # numbers: ``4.`` / numbers / ``保护…``) and the ones after it the next row's;
            # a sum cannot tell
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: numbers that no row takes stand right before its label, as many as it has cells, and "
                "the next row's label is not printed, so its numbers may be printed before its label and the ones "
                f"after it ({printed}) the next row's: the row is not read",
                occ, printed))
            continue
        if not (left_clean and right_clean):
            joined = _wrapped_in_columns(reader, occ, row, builder, value_type, owner, read)
            as_printed = _sums(row, values) is True
            if joined is not None and not as_printed:
                read[row.address], note = joined
                issues.append(note)
                continue
            rests = _rests_after(reader, occ) if row.table == "applications" else []
            if rests:  # even when the row adds up as printed: ``13 … 13`` / ``16 16`` is 1316 … 1316
                # a label printed around its numbers, and after its rest the rests of
                # numbers wrapped in their cells (pdfplumber: ``一、本年新收政府信息 1475 …
                # 3996`` / ``公开申请数量 8 1``): joined below, if the table then adds up
                broken[row.address] = _Occurrence(
                    row, occ.order, occ.start, occ.end + len(rests), [*occ.values, *rests], cells[occ.start])
                continue
            if as_printed and joined is None and not _digits_after(reader, occ, len(row.cells)) and not (
                    row.table == "applications" and _pieces_under(reader, occ)):
                read[row.address] = built
                continue
            # neither reading adds up, or both do (``0 … 1 1`` / ``0 0`` is 1 1 or 10 10)
            why = ("add up both as printed and with the digits on the next line joined to them"
                   if as_printed else "do not confirm their columns by adding up")
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: the cells around the row are out of place and its numbers ({printed}) {why}: "
                "the row is not read",
                occ, printed))
            continue
        fails = row.table == "applications" and _sums(row, values) is False
        unclaimed = _unclaimed_before(reader, occ, owner) if fails else 0
        if unclaimed:
            # the row does not add up, and numbers no row takes stand just before its
            # label (``一`` / numbers / ``、本年新收…`` / numbers): its label may be printed
            # around its numbers, the first lines of cells before, the rests after
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: numbers no row takes stand just before its label ({unclaimed} of them) and its own "
                f"({printed}) do not add up: its label may be printed around its numbers, so the row is not read",
                occ, printed))
            continue
        if fails and _above_unread(reader, occ, owner, read):
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: its numbers ({printed}) do not add up, and numbers right above them belong to a row "
                "not read: they may be the first lines of this row's numbers, wrapped around its label, so the "
                "row is not read",
                occ, printed))
            continue
        if fails and _rests_follow(reader, occ):
            # the row does not add up, and bare digits follow its label's rest on the
            # next line (``3.危及“三安全一稳定 5 0 0 0 9 0 1`` / ``” 4``): its last numbers
            # may continue there, cut where the line ends
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: its numbers ({printed}) do not add up and bare digits follow on the next line: its "
                "numbers may be cut where the line ends, so the row is not read",
                occ, printed))
            continue
        if row.table == "applications" and _pieces_under(reader, occ):
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: number pieces stand under its numbers ({printed}) on the next line, after text that "
                "starts no row's label (a group caption's pieces): its numbers may be wrapped there, so the row "
                "is not read",
                occ, printed))
            continue
        read[row.address] = built

    for occ in blank_rows:  # a row printed with every cell blank
        slots = slotted.get(id(occ))
        if slots is not None and occ.row.address not in read:
            try:
                read[occ.row.address] = builder._handlers[occ.row.name](  # noqa: SLF001
                    [_token(c, value_type) for c in slots])
            except ParseError:  # pragma: no cover - blanks always read
                pass

    merges = {a: _merge_broken(o.values, len(o.row.cells)) for a, o in broken.items()}
    confirming = (
        _split_glued(glued, chosen, read, shape, builder, value_type, broken, merges, uneven)
        if glued or broken or uneven else []
    )
    # a row whose pieces join one way only has its numbers after its label, even where
    # the table did not confirm the join: not a row printed apart from its numbers
    joinable = [a for a, merge in merges.items() if merge.unique is not None]
    before_apart = set(read)
    apart = _apart(reader, chosen, found, bare, spans, read, builder, value_type, where_is, [*glued, *joinable])
    waiting = [{a: o for a, o in d.items() if a not in read} for d in (glued, broken, uneven)]
    if set(read) - before_apart and any(waiting):
        # rows read apart from their labels may complete the table that the rows split,
        # joined or reordered above wait for: confirm those again with the whole table,
        # whose verdict on them replaces the first one
        again = {a for d in waiting for a in d}
        confirming = [i for i in confirming if i.path not in again]
        confirming += _split_glued(waiting[0], chosen, read, shape, builder, value_type, waiting[1], merges, waiting[2])
    issues += confirming + apart
    if any(r.address not in read for r in shape.table("applications").rows):
        # numbers in pieces over the lines of narrow cells, laid out in characters: the
        # columns and the whole table may place what row by row could not
        columned, notes = rebuild(reader, [*found, *every_bare], gmap, read, builder, value_type)
        # a row read otherwise whose numbers the columns contradict is not read after all
        dropped = {n.path for n in notes if n.code == "parse.row_unreadable"}
        for path in dropped:
            del read[path]
        issues = [i for i in issues
                  if i.path not in columned and not (i.path in dropped and i.code == "value.inferred")] + notes
        read.update(columned)
    # a row whose numbers a tool moved out of their columns is not read, however it was
    for issue in displaced(cells, lines, read, shape):
        del read[issue.path]
        issues = [i for i in issues if i.path != issue.path]
        issues.append(issue)
    # a row read in the end needs no note that an earlier way of reading it failed
    issues = [i for i in issues if not (i.code == "parse.row_unreadable" and i.path in read)]

    if not read:
        raise cause

    in_chain = {id(o) for o in chosen}
    out_of_order = {o.row.address: o for o in found if id(o) not in in_chain}
    tables: dict[str, Built] = {}
    for table in shape.tables:
        rows_read = [r for r in table.rows if r.address in read]
        noted = {i.path for i in issues}
        printed_rows = {r.address for r in table.rows if r.address in bare}
        if not rows_read and not printed_rows and not (noted & {table.key, *(r.address for r in table.rows)}):
            heading = _heading(cells, table.title)
            if heading is None:
                issues.append(Issue(
                    "parse.table_missing", "error",
                    f"table {table.numeral} was not found or could not be read: its cells are empty", table.key))
            else:
                issues.append(Issue(
                    "parse.table_missing", "error",
                    f"table {table.numeral}: its heading is printed ({heading.text!r}), but no row of the table "
                    "follows it in a form that can be read (a converter may have left the table out): its "
                    "cells are empty", table.key, line=heading.line, column=heading.column, printed=heading.text))
        elif table.key not in noted:
            for r in table.rows:
                if r.address in read or r.address in noted:
                    continue
                label = bare.get(r.address)
                moved = out_of_order.get(r.address)
                if moved is not None:
                    issues.append(Issue(
                        "parse.row_unreadable", "error",
                        f"table {table.numeral}: the row {r.label} is printed out of the template's order (among "
                        "other rows, not after the row before it), so its place is not certain: its cells are empty",
                        r.address, line=moved.line, column=moved.column,
                        printed=" ".join(c.text for c in moved.values) or None))
                elif label is not None:
                    issues.append(Issue(
                        "parse.row_unreadable", "error",
                        f"table {table.numeral}: the row {r.label} is printed, but no number follows its label "
                        "where the template puts them: its cells are empty", r.address,
                        line=label.line, column=label.column))
                else:
                    issues.append(Issue(
                        "parse.row_missing", "error",
                        f"table {table.numeral}: the row {r.label} was not found: its cells are empty", r.address))
        tables[table.key] = _assemble(builder, table.key, table.cls, (), read)
    issues.append(Issue(
        "parse.recovered", "info",
        f"the text does not follow the template throughout ({cause.message}); "
        "it was read row by row, and only rows that are certain were read",
        "", line=cause.line, column=cause.column, printed=cause.snippet))
    issues.sort(key=Issue.sort_key)
    return tables, issues


def _assemble(builder: Any, name: str, cls: type, chain: tuple[str, ...], read: dict[str, Built]) -> Built:
    """The Built object of a table or group, with empty rows for what was not read."""
    children = []
    for sub_name, sub, _label in _schema.children(cls):
        address = ".".join((name, *chain, sub_name))
        if _schema.is_row_class(sub):
            built = read.get(address)
            children.append(built if built is not None else Built(sub_name, sub(), tokens=()))
        else:
            children.append(_assemble(builder, name, sub, (*chain, sub_name), read))
    rule = chain[-1] if chain else name
    return builder._handlers[rule](children)  # type: ignore[no-any-return]  # noqa: SLF001
