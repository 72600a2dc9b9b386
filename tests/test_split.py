"""Rows whose cell separators were lost, recovered by the template's arithmetic (issue 12).

The contract under test: a split is returned as unique only when it is the only one the
arithmetic allows, so on consistent data a unique split is always the printed numbers —
never a different number — and on inconsistent data it always reads back to exactly the
printed digits and satisfies the rule.  Brute force (every cut) checks the pruned search.
"""

from __future__ import annotations

import itertools
import random
import re
from typing import Dict, List, Optional, Sequence, Tuple

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gov_disclosure._split import SplitResult, merge_row, split_appeals, split_row, split_table

# --- a table 三 in the template's shape --------------------------------------------------------

#: The 2021 edition's result rows （一）…（六） (names as the schema's paths would give them).
RESULT_ROWS = (
    "granted", "partially_granted",
    *(f"denied.{n}" for n in ("state_secret", "law_forbidden", "third_party", "security", "process",
                              "internal", "enforcement", "administrative")),
    *(f"unable.{n}" for n in ("not_held", "not_specified", "not_amend")),
    *(f"not_processed.{n}" for n in ("petition", "repeat", "publication", "excessive", "confirm")),
    *(f"other_processing.{n}" for n in ("overdue_supplement", "overdue_fee", "other")),
)
ENDS = ("new_received", "carried_over", "total", "carried_forward")
ROWS = (ENDS[0], ENDS[1], *RESULT_ROWS, ENDS[2], ENDS[3])
SCALES = {"township": 9, "county": 99, "city": 99_999}

Table = Dict[str, Tuple[int, ...]]


def count(rng: random.Random, top: int, zeros: float = 0.6) -> int:
    """Mostly 0, else log-uniform up to ``top`` (so every length of number occurs)."""
    if rng.random() < zeros:
        return 0
    return min(top, int(10 ** rng.uniform(0, len(str(top)))))


def make_table(rng: random.Random, top: int) -> Table:
    """A table 三 whose every rule holds: row sums, results-sum, balance."""
    table: Table = {}
    for name in RESULT_ROWS:
        table[name] = tuple(count(rng, top, 0.75) for _ in range(6))
    total = [sum(table[r][c] for r in RESULT_ROWS) for c in range(6)]
    forward = [count(rng, top) for _ in range(6)]
    over = [rng.randint(0, min(total[c] + forward[c], top)) if rng.random() < 0.4 else 0 for c in range(6)]
    new = [total[c] + forward[c] - over[c] for c in range(6)]
    table.update(total=tuple(total), carried_forward=tuple(forward), carried_over=tuple(over), new_received=tuple(new))
    return {name: (*table[name], sum(table[name])) for name in ROWS}


def glue(rng: random.Random, numbers: Sequence[int], keep: float) -> List[str]:
    """The printed pieces of a row: each separator kept with probability ``keep``."""
    pieces = [str(numbers[0])]
    for n in numbers[1:]:
        if rng.random() < keep:
            pieces.append(str(n))
        else:
            pieces[-1] += str(n)
    return pieces


def printed(rng: random.Random, table: Table, glued: float, keep: float) -> Dict[str, List[str]]:
    """Every row's pieces: a share ``glued`` of the rows lose separators (each kept w.p. ``keep``)."""
    return {name: glue(rng, cells, keep) if rng.random() < glued else [str(n) for n in cells]
            for name, cells in table.items()}


def by_table(pieces: Dict[str, List[str]]) -> Dict[str, Optional[Tuple[int, ...]]]:
    result = split_table(pieces, result_rows=RESULT_ROWS)
    return {name: r.value for name, r in result.items()}


# --- brute force ----------------------------------------------------------------------------------


def brute(pieces: Sequence[str], cells: int, size: Optional[int]) -> set[Tuple[int, ...]]:
    """Every split by trying every cut (``size``: groups whose last is their sum; ``None``: any)."""
    found = set()
    for counts in itertools.product(*(range(1, len(p) + 1) for p in pieces)):
        if sum(counts) != cells:
            continue
        per_piece = []
        for p, c in zip(pieces, counts):
            per_piece.append([[p[a:b] for a, b in zip((0, *cut), (*cut, len(p)))]
                              for cut in itertools.combinations(range(1, len(p)), c - 1)])
        for choice in itertools.product(*per_piece):
            strings = [s for part in choice for s in part]
            if any(len(s) > 1 and s[0] == "0" for s in strings):
                continue
            values = tuple(int(s) for s in strings)
            if size is None or all(sum(values[g:g + size - 1]) == values[g + size - 1]
                                   for g in range(0, cells, size)):
                found.add(values)
    return found


digit_runs = st.lists(st.text("0123456789", min_size=1, max_size=6), min_size=1, max_size=4).filter(
    lambda ps: sum(map(len, ps)) <= 12
)


# --- examples -------------------------------------------------------------------------------------


def test_issue_example() -> None:
    result = split_row(["640020470"], 7, "sum_last")
    assert result.candidates == ((64, 0, 0, 2, 0, 4, 70),)
    assert result.unique == (64, 0, 0, 2, 0, 4, 70)
    assert not result.exhausted and result.reason is None


def test_separated_row_is_forced() -> None:
    assert split_row(["3", "0", "1", "0", "0", "0", "4"], 7).unique == (3, 0, 1, 0, 0, 0, 4)
    # one separator lost: "30" is 3,0 (never 30: 30 + 1 != 4)
    assert split_row(["30", "1", "0", "0", "0", "4"], 7).unique == (3, 0, 1, 0, 0, 0, 4)


def test_leading_zeros() -> None:
    assert split_row(["1000"], 2, "none").candidates == ((100, 0),)
    assert split_row(["05", "5"], 3).candidates == ((0, 5, 5),)
    assert split_row(["0000005"], 3).candidates == ()  # 7 digits cannot be 3 counts without "00…"


def test_ambiguous_and_none_reported() -> None:
    two = split_row(["110000011"], 7)  # 1 10 0 0 0 0 | 11, or 11 0 0 0 0 0 | 11
    assert set(two.candidates) == {(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)}
    assert two.unique is None and two.reason == "ambiguous: 2 splits" and not two.exhausted
    none = split_row(["124"], 3)
    assert none.candidates == () and none.unique is None and none.reason == "no split satisfies the row sum"
    many = split_appeals(["12010130000020002"])
    assert set(many.candidates) == {(12, 0, 1, 0, 13, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2),
                                    (1, 2, 0, 10, 13, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2)}
    assert many.unique is None and many.reason == "ambiguous: 2 splits"
    assert split_appeals(["30104000001200012"]).unique == (3, 0, 1, 0, 4, 0, 0, 0, 0, 0, 12, 0, 0, 0, 12)
    assert len(split_row(["12010130000020002"], 15, "none").candidates) > 1


def test_thousands_and_decimals_are_never_split() -> None:
    assert split_row(["1,234", "0", "0", "0", "0", "0", "1234"], 7).unique == (1234, 0, 0, 0, 0, 0, 1234)
    # "1,234" is one cell: it can't be read as 1,2,3,4 even though that would fit 1+2+3+4=10
    assert split_row(["1,234", "10"], 5).candidates == ()
    assert split_row(["1234", "10"], 5).unique == (1, 2, 3, 4, 10)
    assert split_row(["1,234", "01234"], 3).unique == (1234, 0, 1234)
    assert split_row(["3.0", "0", "3"], 3).unique == (3, 0, 3)
    assert split_row(["3.5", "0", "3"], 3).candidates == ()  # no whole count
    assert split_row(["1,234", "1234"], 2, "none").unique == (1234, 1234)
    for bad in ("1,23", "12,345,67", "1.", "a1", "-1", ""):
        with pytest.raises(ValueError):
            split_row([bad, "1"], 2)


def test_exhausted_with_tiny_limit() -> None:
    run = "1" * 39
    tiny = split_row([run], 7, limit=5)
    assert tiny.exhausted and tiny.unique is None and tiny.reason == "search limit reached"
    assert split_row([run], 7, "none", limit=1000).exhausted
    assert split_appeals(["1" * 17], limit=3).exhausted
    full = split_row([run], 7)
    assert not full.exhausted  # the default limit is far above a 40-digit row's search
    assert split_row(["1" * 2000], 7).exhausted  # beyond MAX_DIGITS: refused


def test_table_uses_column_rules() -> None:
    # new_received glued is ambiguous alone; the balance with total and carried_forward decides
    zeros = ["0"] * 7
    rows = {
        "new_received": ["110000011"],
        "carried_over": zeros,
        "a": ["1", "10", "0", "0", "0", "0", "11"],
        "total": ["1", "10", "0", "0", "0", "0", "11"],
        "carried_forward": zeros,
    }
    result = split_table(rows, result_rows=["a"])
    assert result["new_received"].value == (1, 10, 0, 0, 0, 0, 11)
    assert result["total"].value == (1, 10, 0, 0, 0, 0, 11)
    # and the results-sum decides the total row the same way
    rows["total"] = ["110000011"]
    assert split_table(rows, result_rows=["a"])["total"].value == (1, 10, 0, 0, 0, 0, 11)
    # both glued and no result row printed: 11 0 … and 1 10 … both balance, so both stay
    rows["new_received"] = ["110000011"]
    del rows["a"]
    both = split_table(rows, result_rows=["a"])
    assert both["total"].value is None and len(both["total"].candidates) == 2
    assert both["new_received"].reason == "ambiguous: 2 splits consistent with the column rules"


def test_table_resolves_a_row_the_row_alone_cannot() -> None:
    # "11011" into 3 cells with last = sum: 1+10=11 or 11+0=11; the results-sum decides
    rows = {"total": ["11", "0", "11"], "a": ["11011"], "b": ["0", "0", "0"]}
    assert len(split_row(["11011"], 3).candidates) == 2
    got = split_table(rows, result_rows=["a", "b"], inflow_rows=(), outflow_rows=(), cells=3)
    assert got["a"].value == (11, 0, 11) and got["a"].reason is None
    rows["total"] = ["1", "10", "11"]
    assert split_table(rows, result_rows=["a", "b"], inflow_rows=(), outflow_rows=(), cells=3)["a"].value == (
        1, 10, 11)
    # a total no candidate fits: reported, not guessed
    rows["total"] = ["5", "6", "11"]
    bad = split_table(rows, result_rows=["a", "b"], inflow_rows=(), outflow_rows=(), cells=3)["a"]
    assert bad.value is None and len(bad.candidates) == 2
    assert bad.reason is not None and bad.reason.startswith("no combination")
    # an unknown result row (not printed) turns the rule into <=: both readings still fit
    rows["total"] = ["11", "10", "21"]
    del rows["b"]
    unknown = split_table(rows, result_rows=["a", "b"], inflow_rows=(), outflow_rows=(), cells=3)["a"]
    assert unknown.value is None and unknown.reason == "ambiguous: 2 splits consistent with the column rules"
    # ...but one that exceeds the total is ruled out
    rows["total"] = ["11", "1", "12"]
    assert split_table(rows, result_rows=["a", "b"], inflow_rows=(), outflow_rows=(), cells=3)["a"].value == (
        11, 0, 11)


def test_table_limit_reported() -> None:
    rows = {"total": ["11", "0", "11"], "a": ["11011"], "b": ["0", "0", "0"]}
    got = split_table(rows, result_rows=["a", "b"], inflow_rows=(), outflow_rows=(), cells=3, table_limit=0)
    assert got["a"].value is None and got["a"].reason is not None and "limit" in got["a"].reason
    assert got["total"].value == (11, 0, 11)  # unique alone: stays


# --- the pruned search equals brute force -----------------------------------------------------------


@given(digit_runs, st.integers(1, 7))
def test_sum_last_equals_brute_force(pieces: List[str], cells: int) -> None:
    got = split_row(pieces, cells, "sum_last")
    assert not got.exhausted
    assert len(set(got.candidates)) == len(got.candidates)
    assert set(got.candidates) == brute(pieces, cells, cells)


@given(digit_runs, st.integers(1, 6))
def test_none_equals_brute_force(pieces: List[str], cells: int) -> None:
    got = split_row(pieces, cells, "none")
    assert set(got.candidates) == brute(pieces, cells, None)


@given(st.lists(st.text("0123456789", min_size=1, max_size=7), min_size=1, max_size=4).filter(
    lambda ps: 6 <= sum(map(len, ps)) <= 12), st.sampled_from([(2, 3), (3, 2), (1, 6), (2, 4)]))
def test_groups_equal_brute_force(pieces: List[str], shape: Tuple[int, int]) -> None:
    groups, size = shape
    got = split_appeals(pieces, groups, size)
    assert set(got.candidates) == brute(pieces, groups * size, size)


@given(st.lists(st.integers(0, 30), min_size=12, max_size=12), st.randoms(use_true_random=False))
def test_appeals_unique_is_true(outcomes: List[int], rng: random.Random) -> None:
    cells: List[int] = []
    for g in range(3):
        four = outcomes[4 * g:4 * g + 4]
        cells += [*four, sum(four)]
    result = split_appeals(glue(rng, cells, 0.2))
    assert tuple(cells) in result.candidates or result.exhausted
    if result.unique is not None:
        assert result.unique == tuple(cells)


# --- consistent tables: a unique split is always the true one ------------------------------------------


@given(st.randoms(use_true_random=False), st.sampled_from(sorted(SCALES)), st.sampled_from([0.0, 0.3]))
def test_consistent_rows_and_tables(rng: random.Random, scale: str, keep: float) -> None:
    table = make_table(rng, SCALES[scale])
    pieces = printed(rng, table, glued=0.5, keep=keep)
    for name, row in pieces.items():
        alone = split_row(row, 7)
        assert alone.exhausted or table[name] in alone.candidates
        if alone.unique is not None:
            assert alone.unique == table[name]
    for name, value in by_table(pieces).items():
        if value is not None:
            assert value == table[name], name


@pytest.mark.parametrize("scale,least", [("township", 0.5), ("county", 0.5), ("city", 0.5)])
def test_share_recovered(scale: str, least: float) -> None:
    """Not vacuous: a good share of whole-row runs comes back unique, and the column rules add to it."""
    rng = random.Random(12 + len(scale))
    rows = alone = together = 0
    for _ in range(6):
        table = make_table(rng, SCALES[scale])
        pieces = {name: ["".join(map(str, cells))] for name, cells in table.items()}
        values = by_table(pieces)
        for name, cells in table.items():
            rows += 1
            single = split_row(pieces[name], 7).unique
            alone += single is not None
            together += values[name] is not None
            assert single in (None, cells) and values[name] in (None, cells)
    assert alone / rows >= least
    assert together >= alone


# --- inconsistent data: a unique split reads back to the printed digits and fits the rule --------------


def reads_back(pieces: Sequence[str], cells: Sequence[int]) -> bool:
    return "".join(pieces) == "".join(map(str, cells))


@given(st.randoms(use_true_random=False), st.sampled_from(sorted(SCALES)), st.booleans())
def test_inconsistent_rows(rng: random.Random, scale: str, keep_row_sum: bool) -> None:
    table = make_table(rng, SCALES[scale])
    name = rng.choice(ROWS)
    cells = list(table[name])
    column = rng.randrange(6)
    change = rng.choice([1, 2, 9, 10, 11, 100])
    cells[column] += change
    if keep_row_sum:
        cells[6] += change  # the row still adds up; the column rules no longer do
    table[name] = tuple(cells)
    pieces = printed(rng, table, glued=1.0, keep=0.2)
    alone = split_row(pieces[name], 7)
    if alone.unique is not None:
        assert reads_back(pieces[name], alone.unique)
        assert sum(alone.unique[:6]) == alone.unique[6]
        if keep_row_sum:
            assert alone.unique == table[name]  # the printed cells fit the rule: they are a candidate
    # at table level, other rows may be resolved against the changed one (the only reading
    # consistent with the arithmetic, the documented contract): each still reads back and adds up
    for row, value in by_table(pieces).items():
        if value is not None:
            assert reads_back(pieces[row], value)
            assert sum(value[:6]) == value[6]


@given(st.randoms(use_true_random=False))
def test_table_equals_brute_force(rng: random.Random) -> None:
    """Small tables: the column-rule search keeps exactly the candidates some consistent combination uses."""
    names = ["a", "b", "c"]
    table = {n: tuple(rng.choice([0, 0, 1, 10, 11, 100]) for _ in range(2)) for n in names}
    total = tuple(sum(table[n][c] for n in names) for c in range(2))
    forward = tuple(rng.choice([0, 1, 10]) for _ in range(2))
    table.update(total=total, carried_forward=forward, new_received=tuple(t + f for t, f in zip(total, forward)))
    table = {n: (*v, sum(v)) for n, v in table.items()}
    if rng.random() < 0.5:  # break it sometimes
        n = rng.choice(sorted(table))
        table[n] = (table[n][0] + 1, table[n][1], table[n][2] + rng.choice([0, 1]))
    pieces = {n: ["".join(map(str, v))] for n, v in table.items()}
    cands = {n: split_row(p, 3).candidates for n, p in pieces.items()}
    assume(all(cands.values()))
    used: Dict[str, set[Tuple[int, ...]]] = {n: set() for n in pieces}
    order = sorted(pieces)
    for combo in itertools.product(*(cands[n] for n in order)):
        v = dict(zip(order, combo))
        if all(v["total"][c] == sum(v[n][c] for n in names) and
               v["new_received"][c] == v["total"][c] + v["carried_forward"][c] for c in range(3)):
            for n in order:
                used[n].add(v[n])
    got = split_table(pieces, result_rows=names, inflow_rows=["new_received"], cells=3)
    consistent = any(used.values())
    for n in order:
        if len(cands[n]) == 1:
            assert got[n].value == cands[n][0]
        elif not consistent:
            assert got[n].value is None and set(got[n].candidates) == set(cands[n])
        else:
            assert set(got[n].candidates) == used[n]
            assert (got[n].value is not None) == (len(used[n]) == 1)


def test_result_type() -> None:
    r = split_row(["640020470"], 7)
    assert isinstance(r, SplitResult)
    with pytest.raises(AttributeError):
        r.exhausted = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        split_row("640020470", 7)


# --- numbers broken over lines (merge_row) -------------------------------------------------


def test_merge_row_joins_numbers_broken_over_lines() -> None:
    """LibreOffice's PDF of a city report: 14758 and 39961 too wide for their columns."""
    pieces = ["1475", "8", "1992", "7519", "3614", "7627", "4451", "3996", "1"]
    assert merge_row(pieces, 7).unique == (14758, 1992, 7519, 3614, 7627, 4451, 39961)
    # pieces on one line are cells of their own: only line ends may be joined
    # pdftotext -raw: ``1475`` / ``8`` / ``1992 7519 3614 7627 4451 3996`` / ``1``
    lines = [True, True, False, False, False, False, False, True]
    assert merge_row(pieces, 7, joinable=lines).unique == (14758, 1992, 7519, 3614, 7627, 4451, 39961)
    # the same pieces all on one line: nothing may be joined, and 9 pieces are not 7 cells
    assert merge_row(pieces, 7, joinable=[False] * 8).candidates == ()


def test_merge_row_reports_ambiguity_and_leading_zeros() -> None:
    # 1|0|1|1|... : "10" is a count, "01" is not
    assert merge_row(["1", "0", "2", "12"], 3).candidates == ((10, 2, 12),)
    assert merge_row(["0", "1", "1"], 2).candidates == ()  # "01" has a leading zero
    both = merge_row(["1", "1", "1", "1", "2"], 3)
    assert both.candidates == ((1, 11, 12), (11, 1, 12)) and both.unique is None
    assert both.reason == "ambiguous: 2 splits"
    assert merge_row(["9", "9", "9"], 2).reason == "no split satisfies the row sum"
    assert merge_row(["1"] * 30, 7, limit=50).exhausted
    with pytest.raises(ValueError):
        merge_row(["1.5", "5"], 2)  # a decimal is no count
    with pytest.raises(ValueError):
        merge_row(["1", "2", "3"], 2, joinable=[True])


@given(st.randoms(use_true_random=False), st.sampled_from(sorted(SCALES)), st.integers(1, 3))
def test_merge_row_never_joins_into_numbers_not_printed(rng: random.Random, scale: str, breaks: int) -> None:
    """A consistent row with numbers broken at random digits: the printed row is always a
    candidate, so a unique join is the printed row."""
    six = [count(rng, SCALES[scale]) for _ in range(6)]
    row = (*six, sum(six))
    pieces: List[str] = []
    for value in row:
        text = str(value)
        if len(text) > 1 and breaks and rng.random() < 0.5:
            cut = rng.randrange(1, len(text))
            if text[cut] != "0":  # a piece starting with 0 after a break would not be its own count anyway
                pieces.extend([text[:cut], text[cut:]])
                breaks -= 1
                continue
        pieces.append(text)
    outcome = merge_row(pieces, 7)
    assert row in outcome.candidates
    if outcome.unique is not None:
        assert outcome.unique == row


def test_merge_row_joins_thousands_separated_numbers_broken_over_lines() -> None:
    """The official template's PDF, city scale: ``14,7`` / ``58`` is 14,758."""
    pieces = ["14,7", "58", "1,99", "2", "7,51", "9", "3,61", "4", "7,62", "7", "4,45", "1", "39,9", "61"]
    assert merge_row(pieces, 7).unique == (14758, 1992, 7519, 3614, 7627, 4451, 39961)
    # commas must be well placed in the joined number: 1,4758 is no number
    assert merge_row(["1,4", "758", "0", "14758"], 3).candidates == ()


@given(st.randoms(use_true_random=False), st.sampled_from(sorted(SCALES)), st.integers(1, 4))
def test_merge_row_with_tails_never_joins_into_numbers_not_printed(rng: random.Random, scale: str, width: int) -> None:
    """A consistent row in cells ``width`` characters wide, as PyMuPDF gives it: every
    cell's first line, then the rest of each cell that wrapped.  The printed row is
    always a candidate, so a unique join is the printed row."""
    six = [count(rng, SCALES[scale]) for _ in range(6)]
    row = (*six, sum(six))
    texts = [f"{v:,}" if rng.random() < 0.5 else str(v) for v in row]
    heads = [t[:width] for t in texts]
    rests = [t[width:] for t in texts if len(t) > width]
    if not rests or len(rests) == len(texts) or any(len(t) > 2 * width for t in texts):
        return  # nothing wrapped, every cell wrapped, or a cell over three lines: not this layout
    pieces = heads + rests
    if not all(re.fullmatch(r"[0-9][0-9,]*", p) for p in pieces):
        return  # a line starting with a comma is no piece of this kind
    outcome = merge_row(pieces, 7, tails=True)
    assert row in outcome.candidates
    if outcome.unique is not None:
        assert outcome.unique == row
