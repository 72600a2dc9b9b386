"""Rows the tolerant reader (:mod:`._recover`) reads only with the whole table: table
三 rows split, joined or reordered by the template's arithmetic and confirmed by every
column rule, numbers printed apart from their labels, and table 四."""

from __future__ import annotations

import functools
import itertools
from typing import Any, Optional, Sequence

from lark import Token

from . import _split
from . import schema as _schema
from ._build import Built
from ._grammar import BLANK, MISSING_MARKS
from ._labels import _aligned, _issue, _Occurrence, _Reader
from ._normalize import FILLER, Cell
from ._rowsum import (
    _COUNT,
    _MERGEABLE,
    _PLAIN,
    _as_int,
    _column_rules,
    _confirmed,
    _drop_extra_blanks,
    _fill_slots,
    _joined_count,
    _joined_tokens,
    _merge_broken,
    _placed,
    _sum_allows,
    _sums_allow,
    _table_adds_up,
    _tail_tokens,
    _token,
)
from .errors import ParseError
from .issues import Issue


def _split_glued(
    glued: dict[str, _Occurrence],
    chosen: list[_Occurrence],
    read: dict[str, Built],
    shape: _schema.Schema,
    builder: Any,
    value_type: str,
    broken: Optional[dict[str, _Occurrence]] = None,
    merges: Optional[dict[str, "_split.SplitResult"]] = None,
    uneven: Optional[dict[str, _Occurrence]] = None,
) -> list[Issue]:
    """Table-三 rows whose cell separators were lost, split by the template's arithmetic
    (:mod:`gov_disclosure._split`): a row's own sum, then the column rules across the rows.
    A split is taken only when it is the only one consistent with everything printed.

    ``broken`` rows have more pieces than cells (numbers broken over lines in a narrow
    column): their pieces are joined back where exactly one way to join them satisfies
    the row's sum (:func:`gov_disclosure._split.merge_row`), and taken only when the
    whole table then adds up, as for a split, or one column rule holds over rows all
    known (:func:`._rowsum._confirmed`), none of the others split, joined or ``uneven``.

    ``uneven`` rows have their numbers over lines of different lengths (PDF text of
    cells whose contents sit at different heights): the order printed is not
    certain to be the columns' order, so they are taken as printed only when their
    sums hold and the whole table then adds up (each column's results add up to
    总计, and the balance holds per column), which a misplaced number breaks, or one of
    these rules holds over rows all known, none of the others split, joined or ``uneven``."""
    issues: list[Issue] = []
    broken = broken or {}
    uneven = uneven or {}
    rows = shape.table("applications").rows
    by_address = {o.row.address: o for o in chosen if o.row.table == "applications"}
    merges = merges if merges is not None else {a: _merge_broken(o.values, len(o.row.cells)) for a, o in broken.items()}
    merged = {a: m.unique for a, m in merges.items() if m.unique is not None}
    pieces: dict[str, list[str]] = {}
    for address, occ in by_address.items():
        if address in glued or (
            (address in read or address in uneven) and all(_PLAIN.fullmatch(c.text) for c in occ.values)
        ):
            pieces[address] = [c.text for c in occ.values]
        elif address in merged:
            pieces[address] = [str(v) for v in merged[address]]
    rules = _column_rules(rows)
    if rules is None:  # pragma: no cover - another template
        result = {a: _split.RowSplit(None, (), "no column rules") for a in pieces}
    else:
        (result_rows, (total_row,)), (inflow_rows, (_, *outflow_rows)) = rules
        result = _split.split_table(
            pieces,
            result_rows=result_rows,
            total_row=total_row,
            inflow_rows=inflow_rows,
            outflow_rows=outflow_rows,
            cells=len(rows[0].cells),
        )
    # A split is kept only when the whole table then adds up: every row of table 三
    # known (read or split), every row sum and every column rule holding.  Where the
    # agency's own arithmetic is wrong, a split that "repairs" it would be a number
    # the report does not print, so then nothing glued is read.
    values: dict[str, tuple[int, ...]] = {}
    for r in rows:
        outcome = result.get(r.address)
        if r.address in glued:
            if outcome is not None and outcome.value is not None:
                values[r.address] = tuple(outcome.value)
        elif r.address in merged:
            values[r.address] = merged[r.address]
        elif r.address in uneven:
            # a printed dash counts as nothing, as the validator counts it
            values[r.address] = tuple(_as_int(c.text) or 0 for c in uneven[r.address].values)
        elif r.address in read:
            obj = read[r.address].obj
            # a printed blank or dash counts as nothing, as the validator counts it
            row_values = tuple(0 if v is None else v for v in (getattr(obj, c.name) for c in r.cells))
            if all(isinstance(v, int) for v in row_values):
                values[r.address] = row_values
    whole = _table_adds_up(values, rows)
    # a row joined or taken as printed is confirmed also by one column rule holding over
    # rows all read, none of the others inferred here: the rule then fixes its every
    # number.  Not with another inferred row in the rule: a split is chosen by the rules
    # themselves, two rows' numbers in the wrong order can keep a column's sum, and two
    # rows wrapped alike (新收 and 总计, nearly equal) can be joined wrong alike
    inferred = {*glued, *merged, *uneven}

    def confirmed(address: str) -> bool:
        return whole or _confirmed(address, inferred, values, rows)

    for address, occ in broken.items():
        row = occ.row
        where = f"table 三: row {row.label}"
        printed = " ".join(c.text for c in occ.values)
        joined = merged.get(address)
        if joined is None:
            merge = merges[address]
            shown = "; ".join(" ".join(map(str, c)) for c in merge.candidates[:4])
            issues.append(_issue(
                "parse.row_unreadable", address,
                f"{where}: {len(occ.values)} numbers follow the label, the template has {len(row.cells)}, and "
                f"joining numbers broken over lines does not give the row for certain ({merge.reason}"
                f"{': ' + shown if shown else ''}): the row is not read",
                occ, printed))
            continue
        if not confirmed(address):
            issues.append(_issue(
                "parse.row_unreadable", address,
                f"{where}: {len(occ.values)} numbers follow the label, the template has {len(row.cells)}; "
                f"joined as numbers broken over lines they would be {' '.join(map(str, joined))}, but the table "
                "as a whole does not then add up (or has rows not read), so this is not certain: the row is not read",
                occ, printed))
            continue
        first = occ.values[0]
        tokens = _joined_tokens(occ.values, joined, value_type) or _tail_tokens(occ.values, joined, value_type)
        if tokens is None:  # pragma: no cover - merge_row joins only the pieces printed
            continue
        read[address] = builder._handlers[row.name](tokens)  # noqa: SLF001
        issues.append(Issue(
            "value.inferred", "warning",
            f"{where}: {len(occ.values)} numbers follow the label for {len(row.cells)} cells ({printed}); the only "
            f"way to join numbers broken over lines that the row's sum and the table's arithmetic allow is "
            f"{' '.join(map(str, joined))}",
            address, line=first.line, column=first.column, printed=printed))
    for address, occ in uneven.items():
        row = occ.row
        printed = " ".join(c.text for c in occ.values)
        where = f"table 三: row {row.label}"
        texts = [c.text for c in occ.values]
        if not (confirmed(address) or len(set(texts)) == 1
                or _placed(address, inferred - {address}, values, rows)):
            issues.append(_issue(
                "parse.row_unreadable", address,
                f"{where}: its numbers ({printed}) are spread over lines of different lengths, so their columns "
                "are not certain, and the table as a whole does not add up with them (or has rows not read): "
                "the row is not read",
                occ, printed))
            continue
        unsure = _unplaced_nothing(occ.values)
        tokens = [_token(Cell(BLANK, c.line, c.column) if k in unsure else c, value_type)
                  for k, c in enumerate(occ.values)]
        read[address] = builder._handlers[row.name](tokens)  # noqa: SLF001
        for k in sorted(unsure):
            cell = occ.values[k]
            issues.append(Issue(
                "parse.row_unreadable", "error",
                f"{where}: its numbers ({printed}) are spread over lines of different lengths; the sums place "
                f"those that are not nothing, but a blank and a 0 on different lines add up alike wherever "
                f"each stands, so the cells printing one of them ({', '.join(row.cells[j].name for j in sorted(unsure))}) "
                "are not read",
                f"{address}.{row.cells[k].name}", line=cell.line, column=cell.column, printed=cell.text))
        in_print = sorted(occ.values, key=lambda c: (c.line, c.column))
        first = in_print[0]
        order = "printed" if in_print == occ.values else "of the columns they stand at"
        printed = " ".join(c.text for c in in_print)
        issues.append(Issue(
            "value.inferred", "warning",
            f"{where}: its numbers are printed over lines of different lengths ({printed}); they are taken in "
            f"the order {order} ({' '.join(c.text for c in occ.values)}) because the row's sum and the table's "
            "column sums confirm that order",
            address, line=first.line, column=first.column, printed=printed))
    for address, occ in glued.items():
        row = occ.row
        where = f"table 三: row {row.label}"
        if not whole and result.get(address) is not None and result[address].value is not None:
            printed = " ".join(c.text for c in occ.values)
            issues.append(_issue(
                "parse.row_unreadable", address,
                f"{where}: the separators between its cells were lost ({printed!r}); a split fits the row, "
                "but the table as a whole does not then add up (or has rows not read), so the split is not "
                "certain: the row is not read",
                occ, printed))
            continue
        printed = " ".join(c.text for c in occ.values)
        outcome = result.get(address)
        if outcome is None or outcome.value is None:
            reason = outcome.reason if outcome is not None else "not split"
            shown = "; ".join(" ".join(map(str, c)) for c in (outcome.candidates if outcome else ())[:4])
            issues.append(_issue(
                "parse.row_unreadable", address,
                f"{where}: the separators between its cells were lost ({printed!r}) and the template's "
                f"arithmetic does not decide the split ({reason}{': ' + shown if shown else ''}): "
                "the row is not read",
                occ, printed))
            continue
        first = occ.values[0]
        tokens = [Token(value_type, str(n), line=first.line, column=first.column) for n in outcome.value]
        read[address] = builder._handlers[row.name](tokens)  # noqa: SLF001
        split = " ".join(map(str, outcome.value[:-1])) + f" | {outcome.value[-1]}"
        issues.append(Issue(
            "value.inferred", "warning",
            f"{where}: the separators between its cells were lost ({printed!r}); the only split that "
            f"the template's arithmetic allows is {split}",
            address, line=first.line, column=first.column, printed=printed))
    return issues


def _unplaced_nothing(values: Sequence[Cell]) -> set[int]:
    """The places, in ``values`` (a row's numbers over lines of different lengths, in
    the order read), of a 0 or a blank whose kind no order of the lines fixes.

    The sums place every number that is not nothing.  A blank counts as nothing, as a 0
    does, so the two may stand in each other's place in any order of the row that keeps
    each line's own order (on a line, numbers stand left to right) and puts each number
    at a place of its value: ``0`` / ``0 39`` / ``— 51 34 124`` may be 0 0 39 — as well as
    — 0 39 0.  A place that holds the same kind in every such order is certain.  The
    orders are the ways to take the lines' numbers one place after another, weighed by
    how many of each line are taken (at most 2⁷ such states)."""
    texts = [c.text for c in values]
    if "0" not in texts or not any(MISSING_MARKS.fullmatch(t) for t in texts):
        return set()

    def value(text: str) -> Optional[int]:  # nothing for a 0 or a blank; equal numbers alike however printed
        return None if text == "0" or MISSING_MARKS.fullmatch(text) else _as_int(text)

    wanted = [value(t) for t in texts]  # what each place holds, as read
    lines: dict[int, list[int]] = {}
    for k in sorted(range(len(values)), key=lambda k: values[k].column):
        lines.setdefault(values[k].line, []).append(k)
    queues = list(lines.values())

    def moves(state: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
        at = sum(state)
        return [(q[state[i]], (*state[:i], state[i] + 1, *state[i + 1:])) for i, q in enumerate(queues)
                if state[i] < len(q) and value(texts[q[state[i]]]) == wanted[at]]

    @functools.lru_cache(maxsize=None)
    def completes(state: tuple[int, ...]) -> bool:
        return sum(state) == len(texts) or any(completes(after) for _, after in moves(state))

    kinds: dict[int, set[bool]] = {}
    start = (0,) * len(queues)
    todo, seen = [start], {start}
    while todo:
        state = todo.pop()
        for item, after in moves(state):
            if not completes(after):
                continue
            if wanted[sum(state)] is None:
                kinds.setdefault(sum(state), set()).add(texts[item] == "0")
            if after not in seen:
                seen.add(after)
                todo.append(after)
    return {k for k, v in enumerate(wanted) if v is None and len(kinds.get(k, ())) != 1}


def _apart(
    reader: _Reader,
    chosen: list[_Occurrence],
    found: list[_Occurrence],
    bare: dict[str, _Occurrence],
    spans: list[tuple[int, int]],
    read: dict[str, Built],
    builder: Any,
    value_type: str,
    position: dict[tuple[int, int, str], int],
    claimed: Sequence[str] = (),
) -> list[Issue]:
    """Table-三 rows whose numbers are printed apart from their labels.

    A PDF's text in its reading order (``pdftotext`` without ``-layout``) often gives a
    run of labels, then the numbers of those rows (or the numbers first): each number is
    still where the grid puts it relative to the other numbers, only the labels moved.
    Between two rows read for certain (anchors, in template order and in the text's
    order alike), the numbers not taken by any row belong to the rows between them, in
    order.  They are taken only when every one of those rows is printed (and not split
    or joined by its arithmetic), the numbers between are all whole numbers (no piece
    of one) and exactly those rows' cells, and every row's own sum then holds; the
    rows get a ``value.inferred`` warning."""
    shape = reader.shape
    try:
        table = shape.table("applications")
    except KeyError:  # pragma: no cover - an edition without table 三
        return []
    cells = reader.cells
    value = reader._value  # noqa: SLF001
    taken: set[int] = set()
    run_at: dict[str, tuple[int, int]] = {}
    for occ in chosen:
        if occ.row.address not in read:
            continue
        at = [position[key] for c in occ.values if (key := (c.line, c.column, c.text)) in position]
        taken.update(at)
        if at and occ.row.table == "applications":
            run_at[occ.row.address] = (min(at), max(at))
    for a, b in spans:
        taken.update(range(a, b))
    # rows whose label is printed and which no other reading claimed (a row split or
    # joined by its arithmetic has its numbers after its label), and no copy of which
    # is followed by exactly its count of numbers (then its numbers are by its label,
    # and it was not read for another reason: out of order, a conflicting copy)
    exact = {o.row.address for o in found if o.exact}
    apart = ({o.row.address for o in found} | set(bare)) - set(claimed) - exact
    for occ in found:
        if occ.exact:  # numbers right after a label are that label's, read or not
            taken.update(k for c in occ.values if (k := position.get((c.line, c.column, c.text))) is not None)
    starts = [o.start for o in (*found, *bare.values()) if o.row.table == "applications"]
    if not starts:
        return []
    begin = min(starts)
    end = min((a for a, _ in spans if a > begin), default=len(cells))
    rows = list(table.rows)
    anchors = [(i, run_at[r.address]) for i, r in enumerate(rows) if r.address in run_at]
    if any(x[1][1] >= y[1][0] for x, y in zip(anchors, anchors[1:])):
        return []  # the rows read are not in the template's order in the text
    issues: list[Issue] = []
    bounds = [(-1, (begin - 1, begin - 1)), *anchors, (len(rows), (end, end))]
    for (i, (_, left)), (j, (right, _)) in zip(bounds, bounds[1:]):
        between = rows[i + 1 : j]
        if not between or any(r.address in read for r in between) or not all(r.address in apart for r in between):
            continue
        loose = [cells[k] for k in range(left + 1, right) if k not in taken and reader.is_value(cells[k].text)]
        numbers = [c for c in loose if c.text != FILLER and value(c.text)]
        if len(numbers) != len(loose):
            continue  # a piece of a number (``1,46``) among them: no count is certain
        if len(numbers) != sum(len(r.cells) for r in between):
            continue
        groups: list[list[Cell]] = []
        for r in between:
            groups.append(numbers[: len(r.cells)])
            numbers = numbers[len(r.cells) :]
        # a printed dash is a blank cell, which counts as nothing (as the validator counts it)
        if not all(_sum_allows(r, [BLANK if MISSING_MARKS.fullmatch(c.text) else c.text for c in g]) is True
                   for r, g in zip(between, groups)):
            continue
        if not all(_aligned(g) for g in groups):
            # a row's numbers over lines of different lengths: cells at different heights,
            # whose order printed need not be their columns' (``0 0 0 1`` / ``0 0 1``)
            continue
        for r, g in zip(between, groups):
            try:
                read[r.address] = builder._handlers[r.name]([_token(c, value_type) for c in g])  # noqa: SLF001
            except ParseError:
                continue
            first = g[0]
            issues.append(Issue(
                "value.inferred", "warning",
                f"table 三: row {r.label}: its numbers ({' '.join(c.text for c in g)}) are printed apart from its "
                "label (a PDF's text in reading order); they are the numbers between the rows read around it, "
                "taken in the template's order, and every such row's sum holds",
                r.address, line=first.line, column=first.column, printed=" ".join(c.text for c in g)))
    return issues


def _heading(cells: Sequence[Cell], title: str) -> Optional[Cell]:
    """The cell printing a table's heading (``三、收到和处理政府信息公开申请情况``), if any."""
    if not title:
        return None
    return next((c for c in cells if title in c.text and len(c.text) <= len(title) + 12), None)


def _appeals(
    reader: _Reader, builder: Any, value_type: str, read: dict[str, Built]
) -> tuple[Optional[Issue], list[tuple[int, int]]]:
    """Table 四: the run of numbers after its header, exactly fifteen (three groups of five).

    Returns the issue (if the run is not read) and the spans of cells of every table-四
    header and its run.  A text that prints table 四 twice with different numbers has
    its table 四 left unread (``parse.conflicting_copy``): there is no choosing a copy."""
    shape = reader.shape
    try:
        table = shape.table("appeals")
    except KeyError:  # pragma: no cover - an edition without table 四
        return None, []
    cells = reader.cells
    sizes = [len(r.cells) for r in table.rows]
    copies: list[tuple[tuple[int, int], list[Cell]]] = []
    for i, cell in enumerate(cells):
        parts = reader.tokenize(cell.text)
        if not parts or parts[0][0] not in reader.review_names:
            continue
        k = i + 1
        while k < len(cells) and (not reader.is_value(cells[k].text) or cells[k].text == FILLER) and k - i < 160:
            k += 1  # the header (its merged cells' fillers too)
        while k - 1 > i and cells[k - 1].text == FILLER and k < len(cells) and cells[k - 1].line == cells[k].line:
            k -= 1  # empty cells before the first number of its row: slots of the run
        run: list[Cell] = []
        while k < len(cells) and reader.is_value(cells[k].text):
            run.append(cells[k])
            k += 1
        def allows(texts: Sequence[str]) -> Optional[bool]:
            return _sums_allow(table.rows, sizes, texts)

        run = _drop_extra_blanks(_fill_slots(run, sum(sizes), allows), sum(sizes), allows)
        if run:
            copies.append(((i, k), run))
    if not copies:
        return None, []
    spans = [span for span, _ in copies]
    # a header followed by the table's fifteen numbers is the table; one quoted in the
    # narrative (``政府信息公开行政复议 351 件``) is not, when such a copy exists
    whole = [copy for copy in copies if len(copy[1]) == sum(sizes)]
    run = (whole or copies)[0][1]
    printed = " ".join(c.text for c in run)
    others = {" ".join(c.text for c in r) for _, r in copies if len(r) == len(run)}
    if others - {printed}:
        lines = ", ".join(str(r[0].line) for _, r in copies)
        return Issue(
            "parse.conflicting_copy", "error",
            f"table 四 is printed {len(copies)} times (lines {lines}) with different numbers: it is not read",
            "appeals", line=run[0].line, column=run[0].column, printed=printed), spans
    alone = len(run) > 1 and len({c.line for c in run}) == len(run)
    if len(run) < sum(sizes) and all(_PLAIN.fullmatch(c.text) for c in run) and not alone:
        # fewer numbers than cells: separators lost between them.  Not where every number
        # stands alone on its line (a cell a line, ``17 |``): the lines kept the separators,
        # a number is missing there, and splitting another to fill its place may fit the
        # sums by chance (``0 6 0 17 23 …`` with 23 lost is split 0 6 0 1 7)
        return _appeals_glued(run, table, sizes, builder, value_type, read), spans
    if sum(sizes) < len(run) <= 2 * sum(sizes) and all(_MERGEABLE.fullmatch(c.text) or MISSING_MARKS.fullmatch(c.text)
                                                      for c in run):
        wrapped = _appeals_wrapped(run, table, sizes, builder, value_type, read)
        if wrapped is not None:
            return wrapped, spans
    if len(run) != sum(sizes) or not _aligned(run):
        return Issue(
            "parse.row_unreadable", "error",
            f"table 四: {len(run)} numbers follow the header (the template has {sum(sizes)}), "
            "or they are spread over lines of different lengths: the table is not read",
            "appeals", line=run[0].line, column=run[0].column, printed=printed), spans
    at = 0
    for row, size in zip(table.rows, sizes):
        try:
            built = builder._handlers[row.name]([_token(c, value_type) for c in run[at : at + size]])  # noqa: SLF001
        except ParseError as exc:
            return Issue("parse.row_unreadable", "error", f"table 四: {exc.message}", row.address,
                         line=exc.line, column=exc.column), spans
        read[row.address] = built
        at += size
    return None, spans


#: At most this many ways to give the rests of wrapped numbers to table 四's cells are
#: weighed (:func:`_rest_ways`); more, and the table is not read.
_REST_WAYS = 4_000


def _appeals_wrapped(
    run: list[Cell], table: _schema.Table, sizes: list[int], builder: Any, value_type: str, read: dict[str, Built]
) -> Optional[Issue]:
    """Table 四 printed with more pieces than cells: numbers wrapped in narrow cells.

    A tool prints the pieces cell by cell (``… 96 / 0 / 16 / 0 / 11 / 2``, printed 112:
    each group's pieces joined by :func:`._rowsum._merge_broken`), or every cell's first
    line, then the rests (``… 16 0 11`` / ``2`` a line below; PyMuPDF's rests one a line:
    :func:`_rest_ways`).  Every way of either kind in which every group's sum holds is
    weighed; the table is read (``value.inferred``) only when all of them give the same
    numbers.  None when they do not, or there are too many to weigh (the caller reports
    the run)."""
    found: dict[tuple[tuple[int, ...], ...], list[Token]] = {}

    def walk(at: int, group: int, numbers: tuple[tuple[int, ...], ...], tokens: list[Token]) -> bool:
        """Cell by cell: False as soon as the ways are not one (or a search was cut short)."""
        if group == len(sizes):
            if at == len(run):
                found.setdefault(numbers, tokens)
            return len(found) < 2
        for end in range(at + sizes[group], len(run) - sum(sizes[group + 1:]) + 1):
            merged = _merge_broken(run[at:end], sizes[group])
            if merged.exhausted:
                return False
            for here in dict.fromkeys(merged.candidates):
                spelt = _joined_tokens(run[at:end], here, value_type) or _tail_tokens(run[at:end], here, value_type)
                if spelt is not None and not walk(end, group + 1, (*numbers, here), [*tokens, *spelt]):
                    return False
        return True

    if not walk(0, 0, (), []):
        return None
    rests = _rest_ways(run, sizes, value_type)
    if rests is None:
        return None
    for numbers, tokens in rests.items():
        found.setdefault(numbers, tokens)
    if len(found) != 1:
        return None
    ((numbers, tokens),) = found.items()
    at = 0
    built: dict[str, Built] = {}
    for row, size in zip(table.rows, sizes):
        try:
            built[row.address] = builder._handlers[row.name](tokens[at : at + size])  # noqa: SLF001
        except ParseError:
            return None
        at += size
    read.update(built)
    printed = " ".join(c.text for c in run)
    joined = " ".join(" ".join(map(str, g)) for g in numbers)
    first = run[0]
    return Issue(
        "value.inferred", "warning",
        f"table 四: {len(run)} pieces of numbers follow the header ({printed}), the rests of numbers wrapped in "
        f"narrow cells among them; the only way every group's sum holds joins them to {joined}",
        "appeals", line=first.line, column=first.column, printed=printed)


def _rest_ways(
    run: list[Cell], sizes: list[int], value_type: str
) -> Optional[dict[tuple[tuple[int, ...], ...], list[Token]]]:
    """The ways to read ``run`` as every cell's first piece (the first ``sum(sizes)``),
    then the rests of the cells that wrapped, a line at a time: the pieces of one line go
    to different cells, left to right; a line of one piece to any cell (a cell may wrap
    more than once).  Only ways in which every cell is a count and every group's sum
    holds; None when there are more than :data:`_REST_WAYS` to weigh."""
    n = sum(sizes)
    heads, rests = run[:n], run[n:]
    if not rests or any(r.line <= h.line for r in rests[:1] for h in heads[-1:]):
        return {}  # the rests stand on lines after the first pieces, or this is not the form
    levels: list[list[Cell]] = []
    for c in rests:
        if levels and levels[-1][-1].line == c.line:
            levels[-1].append(c)
        else:
            levels.append([c])
    ways: dict[tuple[tuple[int, ...], ...], list[Token]] = {}
    steps = 0

    def place(k: int, texts: list[str]) -> bool:
        nonlocal steps
        if k == len(levels):
            if not all(_COUNT.fullmatch(t) or MISSING_MARKS.fullmatch(t) for t in texts):
                return True
            counts = [_joined_count(t) for t in texts]
            groups: list[tuple[int, ...]] = []
            for size in sizes:
                group, counts = tuple(counts[:size]), counts[size:]
                if sum(group[:-1]) != group[-1]:
                    return True
                groups.append(group)
            ways.setdefault(tuple(groups), [Token(value_type, t, line=h.line, column=h.column)
                                            for t, h in zip(texts, heads)])
            return True
        level = levels[k]
        open_cells = [j for j, t in enumerate(texts) if t != "0" and not MISSING_MARKS.fullmatch(t)]
        for chosen in itertools.combinations(open_cells, len(level)):
            steps += 1
            if steps > _REST_WAYS:
                return False
            grown = list(texts)
            for j, piece in zip(chosen, level):
                grown[j] += piece.text
            if not place(k + 1, grown):
                return False
        return True

    return ways if place(0, [h.text for h in heads]) else None


def _appeals_glued(
    run: list[Cell], table: _schema.Table, sizes: list[int], builder: Any, value_type: str, read: dict[str, Built]
) -> Issue:
    """Table 四 printed with fewer pieces than cells: split by each group's own sum."""
    printed = " ".join(c.text for c in run)
    first = run[0]
    size = sizes[0]
    outcome = _split.split_appeals([c.text for c in run], groups=len(sizes), size=size)
    if outcome.unique is None or any(s != size for s in sizes):
        shown = "; ".join(" ".join(map(str, c)) for c in outcome.candidates[:4])
        return Issue(
            "parse.row_unreadable", "error",
            f"table 四: the separators between its cells were lost ({printed!r}) and each group's sum does not "
            f"decide the split ({outcome.reason}{': ' + shown if shown else ''}): the table is not read",
            "appeals", line=first.line, column=first.column, printed=printed)
    at = 0
    for row, n in zip(table.rows, sizes):
        tokens = [Token(value_type, str(v), line=first.line, column=first.column) for v in outcome.unique[at : at + n]]
        read[row.address] = builder._handlers[row.name](tokens)  # noqa: SLF001
        at += n
    return Issue(
        "value.inferred", "warning",
        f"table 四: the separators between its cells were lost ({printed!r}); the only split that each "
        f"group's sum allows is {' '.join(map(str, outcome.unique))}",
        "appeals", line=first.line, column=first.column, printed=printed)
