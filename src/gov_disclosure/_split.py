"""Recover table rows whose cell separators were lost, by the template's own arithmetic (issue 12).

Crawl archives drop the boundaries between table cells: a table-三 row arrives as
``本年新收政府信息公开申请数量640020470`` (seven counts glued into one run of digits), a
table-四 row as 17 digits for 15 cells.  The template makes most of these recoverable:

* each table-三 row is seven counts whose last is the sum of the first six
  (:func:`split_row` with ``rule="sum_last"``);
* per column, 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理 (the *balance*
  rule) and （七）总计 = the sum of the result rows （一）…（六） (the *results-sum* rule)
  (:func:`split_table`);
* each table-四 group of five ends with its total (:func:`split_appeals`);
* counts have no leading zeros: ``"0"`` alone is a count, ``"05"`` is not.

For ``640020470`` the only split into seven counts whose first six add up to the seventh
is ``64 0 0 2 0 4 | 70``.

**Contract.**  A split is accepted only when it is the *only* one consistent with the
template's arithmetic given everything printed.  Several consistent splits, or none, are
reported (the candidates, or the fact that none fits) and never resolved by a guess.  Every
search is bounded by a number of steps; a search that reaches its limit says so
(``exhausted``) and the caller treats the row as ambiguous.

**Pieces.**  A row is given as the printed *pieces* of its number cells, in order: each is
either a run of ASCII digits (``"640020470"``, which may hold one or more glued cells), a
thousands-separated number (``"1,234"``: the ``1,234`` pattern, one cell, never split) or a
decimal (``"3.5"``: one cell, never split; a count must be whole, so ``"3.0"`` reads as 3
and ``"3.5"`` fits no split of counts).  Anything else is a :class:`ValueError`: cutting the
text into pieces (and deciding what a stray comma means) is the caller's job.

Pure functions; standard library only.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Dict, List, Literal, Mapping, Optional, Sequence, Set, Tuple

__all__ = [
    "SplitResult",
    "RowSplit",
    "split_row",
    "merge_row",
    "count_of",
    "split_table",
    "split_appeals",
    "DEFAULT_LIMIT",
    "DEFAULT_TABLE_LIMIT",
    "MAX_DIGITS",
]

#: Default step limit of one row's search (:func:`split_row`, :func:`split_appeals`).
#: One step is one node of the depth-first search or one entry of a memoized table.  A
#: city-scale table-三 row glued whole (seven cells, up to ~40 digits) takes at most ~7,000 steps;
#: adversarial 40-digit runs (random digits, all ``1``) at most ~7,300; two city rows glued
#: into one 80-digit run ~57,000 (see ``benchmarks/split.py``).  So 100,000 is >10× what a
#: 40-digit row needs and bounds one row to roughly 0.1–0.2 s of pure Python.
DEFAULT_LIMIT = 100_000

#: Default step limit of the column-rule search of :func:`split_table` (one step is one
#: combination of a partial column-sum vector with one candidate of one row).
DEFAULT_TABLE_LIMIT = 1_000_000

#: Rows with more digits than this are refused (``exhausted``) without searching: no real
#: row is that long, and it keeps ``int()`` away from Python's digit-string limit.
MAX_DIGITS = 1_000

Cells = Tuple[int, ...]
Rule = Literal["sum_last", "none"]

_DIGITS = re.compile(r"[0-9]+")
_MERGE_PIECE = re.compile(r"[0-9][0-9,]*")
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)\.[0-9]+")


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitResult:
    """The splits of one row consistent with its rule.

    ``candidates``: every split found, each a tuple of ``cells`` counts, in the order the
    search found them (deterministic).  ``exhausted``: the search reached its step limit, so
    ``candidates`` may be incomplete and the row must be treated as ambiguous.  ``steps``:
    the search steps taken (for benchmarks; not part of equality).
    """

    candidates: Tuple[Cells, ...]
    exhausted: bool
    steps: int = 0

    @property
    def unique(self) -> Optional[Cells]:
        """The split if it is the only one and the search was complete, else ``None``."""
        if len(self.candidates) == 1 and not self.exhausted:
            return self.candidates[0]
        return None

    @property
    def reason(self) -> Optional[str]:
        """Why there is no unique split (``None`` when there is one)."""
        if self.exhausted:
            return "search limit reached"
        if not self.candidates:
            return "no split satisfies the row sum"
        if len(self.candidates) > 1:
            return f"ambiguous: {len(self.candidates)} splits"
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SplitResult):
            return NotImplemented
        return (self.candidates, self.exhausted) == (other.candidates, other.exhausted)

    def __hash__(self) -> int:
        return hash((self.candidates, self.exhausted))


@dataclass(frozen=True)
class RowSplit:
    """One row's outcome in :func:`split_table`.

    ``value``: the split when it is the only one consistent with the arithmetic, else
    ``None``.  ``candidates``: the splits still possible (``(value,)`` when unique; empty
    when none fits; possibly incomplete when a search limit was reached).  ``reason``:
    ``None`` when unique, else one of ``"ambiguous: N splits"``, ``"ambiguous: N splits
    consistent with the column rules"``, ``"no split satisfies the row sum"``, ``"search
    limit reached"``, ``"column-rule search limit reached; ambiguous: N splits"``,
    ``"no combination of splits satisfies the column rules; ambiguous: N splits"``.
    """

    value: Optional[Cells]
    candidates: Tuple[Cells, ...]
    reason: Optional[str]


# --- pieces ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """A printed piece: ``digits`` of a splittable run, or the fixed ``value`` of an atomic one."""

    digits: str
    value: Optional[int]  # set for an atomic piece (one cell); -1 when it is no whole count
    width: int  # digits it occupies (for the length bounds)


def _piece(text: str) -> _Piece:
    if _DIGITS.fullmatch(text):
        return _Piece(text, None, len(text))
    if _THOUSANDS.fullmatch(text):
        digits = text.replace(",", "")
        return _Piece(digits, int(digits), len(digits))
    if _DECIMAL.fullmatch(text):
        number = Decimal(text)
        whole = int(number) if number == number.to_integral_value() else -1
        return _Piece(str(whole) if whole >= 0 else "", whole, len(str(whole)) if whole >= 0 else len(text))
    raise ValueError(
        f"piece {text!r} is not a run of digits, a 1,234-style number or a decimal"
    )


def _pieces(pieces: Sequence[str]) -> List[_Piece]:
    if isinstance(pieces, str):
        raise TypeError("pieces is a sequence of strings, e.g. ['640020470'], not one string")
    return [_piece(p) for p in pieces]


class _Budget:
    """A shared step counter; ``spent`` turns True once ``limit`` steps were taken."""

    __slots__ = ("limit", "steps", "spent")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.steps = 0
        self.spent = False

    def step(self, n: int = 1) -> bool:
        """Count ``n`` steps; False (and ``spent``) once past the limit."""
        self.steps += n
        if self.steps > self.limit:
            self.spent = True
        return not self.spent


# --- one row ---------------------------------------------------------------------------------


def split_row(pieces: Sequence[str], cells: int, rule: Rule = "sum_last", *, limit: int = DEFAULT_LIMIT) -> SplitResult:
    """Every split of one row's printed ``pieces`` into ``cells`` counts satisfying ``rule``.

    Each piece is cut into one or more consecutive counts (an atomic piece — ``"1,234"``,
    ``"3.5"`` — is exactly one), every count without leading zeros (``"0"`` is fine, ``"05"``
    is not), ``cells`` counts in all.  ``rule="sum_last"``: the last count equals the sum of
    the others (a table-三 row: six applicant columns and 总计).  ``rule="none"``: any split;
    unique only when the digits force every cut (e.g. ``["1000"]`` into 2 cells is
    ``(100, 0)``).

    >>> split_row(["640020470"], 7).candidates
    ((64, 0, 0, 2, 0, 4, 70),)
    >>> split_row(["12", "3"], 3).candidates
    ((1, 2, 3),)

    **Search.**  For ``sum_last`` the last count is chosen first: it is a suffix ``T`` of the
    last piece, at least ``D / cells`` of the row's ``D`` digits wide (no other count can be
    wider), and it must agree with the other digits modulo 9 (a number is its digit sum mod
    9, so the other counts add up to the other digits' digit sum mod 9 however they are
    cut): of the ~``D/2`` suffixes a 40-digit row allows, one or two survive.  The remaining
    digits are then cut into ``cells - 1`` counts adding up to ``T``: the first ones
    depth-first (each count at most the sum still missing; a branch is cut when the least
    and greatest sums the rest can reach with counts that narrow do not bracket the sum
    still missing), the last three (``_TAIL``) not searched but looked up, by the sum still
    missing, in a memoized table of every cut of the row's tail into that many counts (meet
    in the middle).  With ``w = len(str(T))`` and ``P`` positions, the table has
    ``O(P · w²)`` entries and the search ``O(w^(cells-4))`` nodes per suffix: for seven
    cells, a few thousand steps at most.  Measured (``benchmarks/split.py``): generated
    city-scale rows (≤ 40 digits) take ≤ ~7,000 steps, random 40-digit runs ≤ ~7,300, runs
    of 80 digits (two rows glued) ≤ ~57,000.  ``rule="none"`` has no such bound and
    enumerates every split (``C(D-1, cells-1)`` of them for one run), so long runs exhaust.

    ``limit`` bounds the steps (nodes of the search, :data:`DEFAULT_LIMIT`); when it is
    reached the result is ``exhausted`` and its candidates may be incomplete.  Rows of more
    than :data:`MAX_DIGITS` digits are refused as exhausted without a search.
    """
    if cells < 1:
        raise ValueError("cells must be at least 1")
    if rule not in ("sum_last", "none"):
        raise ValueError(f"unknown rule {rule!r}; expected 'sum_last' or 'none'")
    parsed = _pieces(pieces)
    if sum(p.width for p in parsed) > MAX_DIGITS:
        return SplitResult((), True, 0)
    if any(p.value is not None and p.value < 0 for p in parsed):
        return SplitResult((), False, 0)  # a decimal that is no whole count: no split of counts
    budget = _Budget(limit)
    if rule == "none":
        found = _forward(parsed, cells, None, budget)
    else:
        found = _sum_last(parsed, cells, budget)
    return SplitResult(tuple(found), budget.spent, budget.steps)


def merge_row(
    pieces: Sequence[str],
    cells: int,
    *,
    joinable: Optional[Sequence[bool]] = None,
    tails: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> SplitResult:
    """Every way to join a row's printed ``pieces`` back into ``cells`` counts whose last is
    the sum of the others (the inverse of :func:`split_row`).

    A number too wide for a narrow PDF column comes out in pieces on consecutive lines
    (``1475`` / ``8``, ``14,7`` / ``58``): each count is one or more consecutive pieces
    joined, without leading zeros (a piece ``0`` is a count of its own), and with its
    thousands commas well placed if it has any (``14,758``).  Pieces must be runs of
    digits and commas.

    >>> merge_row(["1475", "8", "1992", "7519", "3614", "7627", "4451", "3996", "1"], 7).candidates
    ((14758, 1992, 7519, 3614, 7627, 4451, 39961),)

    ``joinable[k]`` says whether piece ``k`` may be joined to piece ``k + 1`` (a number
    breaks only where a line ends: pieces on one line are cells of their own); by
    default any two may.  There are at most ``C(len(pieces) - 1, cells - 1)`` ways to
    join; ``limit`` bounds the ones tried (the result is then ``exhausted``).

    With ``tails`` the extractor may also have given every cell's first line, then the
    second lines of the cells that wrapped (PyMuPDF on a row of wrapped cells:
    ``1,02`` / ``0`` / ``0`` / ``1,17`` / ``6`` / ``7``): the last ``len(pieces) - cells``
    pieces then complete as many earlier cells, in order, each at least as wide as every
    cell that did not wrap (a cell wraps when its first line is full), and at least one
    cell did not wrap.  Those joinings are candidates too.

    >>> merge_row(["88", "0", "63", "1,02", "0", "0", "1,17", "6", "7"], 7, tails=True).unique
    (88, 0, 63, 1026, 0, 0, 1177)
    """
    if cells < 1:
        raise ValueError("cells must be at least 1")
    if not all(_MERGE_PIECE.fullmatch(p) for p in pieces):
        raise ValueError("merge_row takes runs of digits (with thousands commas)")
    if joinable is not None and len(joinable) != max(len(pieces) - 1, 0):
        raise ValueError("joinable needs one flag between each two pieces")
    if sum(map(len, pieces)) > MAX_DIGITS:
        return SplitResult((), True, 0)
    budget = _Budget(limit)
    found: list[Cells] = []
    n = len(pieces)

    def walk(at: int, groups: list[int]) -> None:
        if not budget.step():
            return
        if len(groups) == cells:
            if at == n and sum(groups[:-1]) == groups[-1]:
                found.append(tuple(groups))
            return
        if n - at < cells - len(groups):
            return
        digits = ""
        for end in range(at, n - (cells - len(groups) - 1)):
            if end > at and joinable is not None and not joinable[end - 1]:
                break
            digits += pieces[end]
            if len(digits) > 1 and digits[0] == "0":
                break  # a leading zero: no longer groups from here either
            if "," in digits:
                if not _THOUSANDS.fullmatch(digits):
                    continue  # ``14,7``: only the start of a number (``14,758``)
                groups.append(int(digits.replace(",", "")))
            else:
                groups.append(int(digits))
            walk(end + 1, groups)
            groups.pop()

    walk(0, [])
    extra = n - cells
    if tails and 0 < extra < cells:
        heads, rest = list(pieces[:cells]), list(pieces[cells:])
        for chosen in itertools.combinations(range(cells), extra):
            if not budget.step():
                break
            # a cell wraps only when its first line is full: at least as wide as every
            # cell that did not wrap
            widest = max(len(heads[k]) for k in range(cells) if k not in chosen)
            if any(len(heads[k]) < widest for k in chosen):
                continue
            texts = list(heads)
            for index, tail in zip(chosen, rest):
                texts[index] += tail
            numbers = [count_of(t) for t in texts]
            if all(v is not None for v in numbers) and sum(numbers[:-1]) == numbers[-1]:  # type: ignore[arg-type]
                found.append(tuple(numbers))  # type: ignore[arg-type]
    return SplitResult(tuple(dict.fromkeys(found)), budget.spent, budget.steps)


def count_of(text: str) -> Optional[int]:
    """A printed count (``0``, ``1026``, ``1,026``), or None if ``text`` is no count."""
    if "," in text:
        return int(text.replace(",", "")) if _THOUSANDS.fullmatch(text) else None
    if not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        return None
    return int(text)


def split_appeals(
    pieces: Sequence[str], groups: int = 3, size: int = 5, *, limit: int = DEFAULT_LIMIT
) -> SplitResult:
    """Every split of a table-四 row into ``groups`` groups of ``size`` counts, each group's last the sum of the rest.

    Table 四 prints 行政复议 (five cells) then 行政诉讼 未经复议直接起诉 and 复议后起诉 (five
    each): 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计 per group.  A piece may run across
    a group boundary.  Same pieces, leading-zero rule, ``limit`` and ``exhausted`` meaning as
    :func:`split_row`.

    >>> split_appeals(["30104000001200012"]).candidates  # 17 digits, 15 cells
    ((3, 0, 1, 0, 4, 0, 0, 0, 0, 0, 12, 0, 0, 0, 12),)
    >>> len(split_appeals(["12010130000020002"]).candidates)  # 12 0 1 0 13 … or 1 2 0 10 13 …
    2

    **Search.**  Depth-first, cell by cell, carrying the group's running sum ``S``: a
    group's last cell is not searched (the digits must read exactly ``str(S)`` there), and a
    branch is cut when the digits left cannot hold the cells left with the group's total
    at least ``S`` wide.  Dead states are remembered.
    """
    if groups < 1 or size < 2:
        raise ValueError("groups must be at least 1 and size at least 2")
    parsed = _pieces(pieces)
    if sum(p.width for p in parsed) > MAX_DIGITS:
        return SplitResult((), True, 0)
    if any(p.value is not None and p.value < 0 for p in parsed):
        return SplitResult((), False, 0)
    budget = _Budget(limit)
    found = _forward(parsed, groups * size, size, budget)
    return SplitResult(tuple(found), budget.spent, budget.steps)


def _sum_last(pieces: List[_Piece], cells: int, budget: _Budget) -> List[Cells]:
    """``sum_last``: choose the last count, then cut the rest to add up to it (see :func:`split_row`)."""
    if not pieces or cells < len(pieces):
        return []
    last = pieces[-1]
    total_width = sum(p.width for p in pieces)
    out: List[Cells] = []
    if last.value is not None:
        if last.value < 0:
            return []
        options: List[Tuple[int, List[_Piece]]] = [(last.value, pieces[:-1])]
    else:
        options = []
        n = len(last.digits)
        for length in range(1, n + 1):
            suffix = last.digits[n - length:]
            if length > 1 and suffix[0] == "0":
                continue
            # no other count is longer than the total: D <= cells * length
            if total_width > cells * length:
                continue
            head = last.digits[: n - length]
            # casting out nines: a number is its digit sum mod 9, so the other counts add up to
            # the digit sum of the other digits mod 9 however they are cut
            if (int(suffix) - _nines(head) - sum(_nines(p.digits) for p in pieces[:-1])) % 9:
                continue
            prefix = pieces[:-1] + ([_Piece(head, None, len(head))] if head else [])
            options.append((int(suffix), prefix))
    for target, prefix in options:
        if cells == 1:
            if not prefix and target == 0:
                out.append((0,))
            continue
        if not prefix:
            continue
        if not budget.step():
            break
        for split in _to_sum(prefix, cells - 1, target, budget):
            out.append((*split, target))
        if budget.spent:
            break
    return out


def _nines(digits: str) -> int:
    """The digit sum of ``digits`` (their value mod 9 however they are cut into numbers)."""
    return sum(map(int, digits))


def _suffixes(pieces: List[_Piece]) -> Tuple[List[int], List[int]]:
    """Per piece index: the digits from there on, and the most cells they can hold."""
    width = [0] * (len(pieces) + 1)
    room = [0] * (len(pieces) + 1)
    for i in range(len(pieces) - 1, -1, -1):
        p = pieces[i]
        width[i] = width[i + 1] + p.width
        room[i] = room[i + 1] + (1 if p.value is not None else len(p.digits))
    return width, room


#: Meet in the middle: the last counts of a cut (up to this many) are looked up by their sum
#: in a table of the tails of the row, built once per search, instead of being searched.
_TAIL = 3


def _to_sum(pieces: List[_Piece], cells: int, target: int, budget: _Budget) -> List[Cells]:
    """Every cut of ``pieces`` into ``cells`` counts adding up to ``target``."""
    width, room = _suffixes(pieces)
    count = len(pieces)
    dead: Set[Tuple[int, int, int, int]] = set()
    out: List[Cells] = []
    path: List[int] = []
    ranges: Dict[Tuple[int, int, int, int], Optional[Tuple[int, int]]] = {}
    tail_memo: Dict[Tuple[int, int, int], Dict[int, List[Cells]]] = {}
    widest = len(str(target))

    def firsts(i: int, o: int) -> List[Tuple[int, int, int]]:
        # the counts that can start at (i, o), at most target: (value, next piece, next offset)
        p = pieces[i]
        if p.value is not None:
            return [(p.value, i + 1, 0)] if 0 <= p.value <= target else []
        n = len(p.digits)
        found = []
        for length in range(1, min(widest, n - o) + 1):
            if length > 1 and p.digits[o] == "0":
                break
            v = int(p.digits[o:o + length])
            if v > target:
                break
            found.append((v, i + 1, 0) if o + length == n else (v, i, o + length))
        return found

    def tails(i: int, o: int, j: int) -> Dict[int, List[Cells]]:
        # every cut of the pieces from (i, o) to the end into exactly j counts, by its sum
        # (sums above target dropped); memoized, one step per cut recorded
        if i == count:
            return {0: [()]} if j == 0 else {}
        if j == 0:
            return {}
        key = (i, o, j)
        if key in tail_memo:
            return tail_memo[key]
        table: Dict[int, List[Cells]] = {}
        for v, ni, no in firsts(i, o):
            for rest, cuts in tails(ni, no, j - 1).items():
                if v + rest <= target:
                    if not budget.step(len(cuts)):
                        return table
                    table.setdefault(v + rest, []).extend((v, *c) for c in cuts)
        tail_memo[key] = table
        return table

    def span(i: int, o: int, k: int, m: int) -> Optional[Tuple[int, int]]:
        # the least and the greatest sum of cutting pieces from (i, o) into k counts of at most
        # m digits each (None: no such cut); memoized, one step per state computed
        if i == count:
            return (0, 0) if k == 0 else None
        if k == 0:
            return None
        key = (i, o, k, m)
        if key in ranges:
            return ranges[key]
        budget.step()
        p = pieces[i]
        lo: Optional[int] = None
        hi = 0
        if p.value is not None:
            v = p.value
            sub = span(i + 1, 0, k - 1, m) if 0 <= v and len(str(v)) <= m else None
            if sub is not None:
                lo, hi = v + sub[0], v + sub[1]
        else:
            n = len(p.digits)
            for length in range(1, min(m, n - o) + 1):
                if length > 1 and p.digits[o] == "0":
                    break
                v = int(p.digits[o:o + length])
                sub = span(i + 1, 0, k - 1, m) if o + length == n else span(i, o + length, k - 1, m)
                if sub is not None:
                    lo = v + sub[0] if lo is None else min(lo, v + sub[0])
                    hi = max(hi, v + sub[1])
        ranges[key] = None if lo is None else (lo, hi)
        return ranges[key]

    def go(i: int, o: int, k: int, rem: int) -> bool:
        # piece i from offset o, k counts still to cut, rem still missing from the sum
        if budget.spent or not budget.step():
            return False
        key = (i, o, k, rem)
        if key in dead:
            return False
        p = pieces[i]
        atomic = p.value is not None
        digits_left = width[i] - o
        pieces_left = count - i
        room_left = room[i + 1] + (1 if atomic else len(p.digits) - o)
        if k < pieces_left or k > room_left:
            dead.add(key)
            return False
        # k counts over digits_left digits: none is wider than digits_left - (k - 1)
        if rem >= k * 10 ** (digits_left - k + 1):
            dead.add(key)
            return False
        if k <= _TAIL:
            cuts = tails(i, o, k).get(rem, [])
            out.extend((*path, *c) for c in cuts)
            if not cuts:
                dead.add(key)
            return bool(cuts)
        if k > 1:
            # every count is at most rem, so at most len(str(rem)) digits: the sums such cuts
            # can reach must bracket rem
            reach = span(i, o, k, len(str(rem)))
            if reach is None or not reach[0] <= rem <= reach[1]:
                dead.add(key)
                return False
        else:
            value = p.value if atomic else (int(p.digits[o:]) if (o == len(p.digits) - 1 or p.digits[o] != "0") else -1)
            if pieces_left == 1 and value == rem:
                out.append((*path, rem))
                return True
            dead.add(key)
            return False
        ok = False
        if atomic:
            v = p.value if p.value is not None else -1
            if 0 <= v <= rem:
                path.append(v)
                ok = go(i + 1, 0, k - 1, rem - v) or ok
                path.pop()
        else:
            n = len(p.digits)
            longest = min(n - o, len(str(rem)))
            for length in range(1, longest + 1):
                piece = p.digits[o:o + length]
                if length > 1 and piece[0] == "0":
                    break
                v = int(piece)
                if v > rem:
                    break
                path.append(v)
                if o + length == n:
                    if i + 1 < count:
                        ok = go(i + 1, 0, k - 1, rem - v) or ok
                else:
                    ok = go(i, o + length, k - 1, rem - v) or ok
                path.pop()
                if budget.spent:
                    return ok
        if not ok and not budget.spent:
            dead.add(key)
        return ok

    go(0, 0, cells, target)
    return out


def _forward(pieces: List[_Piece], cells: int, size: Optional[int], budget: _Budget) -> List[Cells]:
    """Cut ``pieces`` into ``cells`` counts, left to right; with ``size``, each group's last is its sum."""
    if not pieces or cells < len(pieces):
        return []
    width, room = _suffixes(pieces)
    count = len(pieces)
    dead: Set[Tuple[int, int, int, int]] = set()
    out: List[Cells] = []
    path: List[int] = []

    def go(i: int, o: int, j: int, s: int) -> bool:
        # piece i from offset o, cell j next, s the running sum of cell j's group
        if budget.spent or not budget.step():
            return False
        if j == cells:
            if i == count:
                out.append(tuple(path))
                return True
            return False
        if i == count:
            return False
        key = (i, o, j, s)
        if key in dead:
            return False
        p = pieces[i]
        atomic = p.value is not None
        k = cells - j
        digits_left = width[i] - o
        room_left = room[i + 1] + (1 if atomic else len(p.digits) - o)
        if k < count - i or k > room_left:
            dead.add(key)
            return False
        closing = size is not None and j % size == size - 1
        if size is not None and not closing:
            # the group's total (at least s wide) and the other cells left must fit
            to_close = size - 1 - j % size
            if len(str(s)) + (k - 1) > digits_left and to_close >= 0:
                dead.add(key)
                return False
        ok = False
        if atomic:
            v = p.value if p.value is not None else -1
            if v >= 0 and (not closing or v == s):
                path.append(v)
                ok = go(i + 1, 0, j + 1, 0 if closing else s + v)
                path.pop()
        elif closing:
            want = str(s)
            n = len(p.digits)
            if p.digits.startswith(want, o):
                end = o + len(want)
                path.append(s)
                ok = go(i + 1, 0, j + 1, 0) if end == n else go(i, end, j + 1, 0)
                path.pop()
        else:
            n = len(p.digits)
            for length in range(1, n - o + 1):
                piece = p.digits[o:o + length]
                if length > 1 and piece[0] == "0":
                    break
                v = int(piece)
                if size is not None and len(str(s + v)) + (k - 2) > digits_left - length:
                    break  # the group's total would not fit in what is left
                path.append(v)
                nxt = 0 if size is None else s + v
                if o + length == n:
                    r = go(i + 1, 0, j + 1, nxt)
                else:
                    r = go(i, o + length, j + 1, nxt)
                ok = r or ok
                path.pop()
                if budget.spent:
                    return ok
        if not ok and not budget.spent:
            dead.add(key)
        return ok

    go(0, 0, 0, 0)
    return out


# --- a whole table ---------------------------------------------------------------------------

Vector = Tuple[int, ...]


def split_table(
    rows: Mapping[str, Sequence[str]],
    *,
    result_rows: Sequence[str],
    total_row: str = "total",
    inflow_rows: Sequence[str] = ("new_received", "carried_over"),
    outflow_rows: Sequence[str] = ("carried_forward",),
    cells: int = 7,
    limit: int = DEFAULT_LIMIT,
    table_limit: int = DEFAULT_TABLE_LIMIT,
) -> Dict[str, RowSplit]:
    """Split every row of table 三, using the column rules where a row alone leaves several splits.

    ``rows`` maps row names to their printed pieces (see :func:`split_row`; a row printed
    with all its separators is simply ``cells`` pieces).  Each row is ``cells`` counts whose
    last is the sum of the others.  The column rules, per column (all ``cells`` of them):

    * results-sum: ``total_row`` = the sum of ``result_rows``;
    * balance: the sum of ``inflow_rows`` = ``total_row`` + the sum of ``outflow_rows``
      (the template: 一 + 二 = 三 + 四, i.e. ``new_received + carried_over = total +
      carried_forward``).

    The caller passes the names from the schema; nothing of the template is hard-coded
    beyond the defaults.  With ``inflow_rows`` and ``outflow_rows`` both empty there is no
    balance rule.

    Each row is first split alone (:func:`split_row`, ``limit`` steps).  A row with one split
    is fixed.  Where rows have several, a *combination* (one candidate per row) is consistent
    when every column rule holds in every column; a row's split is accepted only if exactly
    one of its candidates appears in **any** consistent combination.  A row that is not
    printed (absent from ``rows``), has no split satisfying its sum, or whose search reached
    its limit is *unknown*: it can be any non-negative counts, so the rules it is in turn
    into inequalities (a known part of the results may not exceed the total, …), or say
    nothing when unknowns stand on both sides.  Nothing is inferred when ``total_row`` is
    unknown.

    When no combination is consistent (the printed numbers break a column rule) the rows
    that were unique alone stay so (their own sum admits one reading) and the others are
    reported with all their candidates.  Rows not named in any rule keep their row-level
    result.

    **Search.**  For each candidate of the total row, each rule is solved by a forward pass
    over the rows with several candidates, keeping the set of reachable partial column-sum
    vectors (pruned to ``<= total`` for the results-sum, where all terms are added), then a
    backward pass keeping the partial sums that can still reach the rule; a candidate
    survives if some reachable partial sum plus it can.  Rows with one candidate are folded
    into the target.  Cost: the sum over rows of (reachable partial sums × candidates),
    never worse than the product of the candidate counts; ``table_limit`` bounds it (one step
    per partial-sum/candidate pair) and when reached, the rows still ambiguous are reported
    with ``"column-rule search limit reached"``.

    Returns a :class:`RowSplit` for every name in ``rows``.
    """
    alone: Dict[str, SplitResult] = {name: split_row(p, cells, "sum_last", limit=limit) for name, p in rows.items()}
    known: Dict[str, List[Cells]] = {
        n: list(r.candidates) for n, r in alone.items() if r.candidates and not r.exhausted
    }

    def row_level(name: str) -> RowSplit:
        r = alone[name]
        return RowSplit(r.unique, r.candidates, r.reason)

    out = {name: row_level(name) for name in rows}
    ruled = {total_row, *result_rows, *inflow_rows, *outflow_rows}
    ambiguous = [n for n in rows if n in ruled and n in known and len(known[n]) > 1]
    if not ambiguous or total_row not in known:
        return out

    budget = _Budget(table_limit)
    alive: Dict[str, Set[int]] = {n: set() for n in known}
    any_consistent = False
    results = [r for r in result_rows if r != total_row]
    for t_index, t in enumerate(known[total_row]):
        per_rule: List[Dict[str, Set[int]]] = []
        feasible = True
        # results-sum: sum(result rows) = total
        terms = [(r, 1) for r in results if r in known]
        relation = "=" if len(terms) == len(results) else "<="
        solved = _solve(terms, known, t, relation, budget)
        if solved is None:
            break
        feasible, got = solved
        per_rule.append(got)
        # balance: sum(inflow) - sum(outflow) = total
        ins = [r for r in inflow_rows if r != total_row]
        outs = [r for r in outflow_rows if r != total_row]
        unknown_in = any(r not in known for r in ins)
        unknown_out = any(r not in known for r in outs)
        if (ins or outs) and not (unknown_in and unknown_out) and feasible:
            terms = [(r, 1) for r in ins if r in known] + [(r, -1) for r in outs if r in known]
            relation = "<=" if unknown_in else (">=" if unknown_out else "=")
            solved = _solve(terms, known, t, relation, budget)
            if solved is None:
                break
            feasible, got = solved
            per_rule.append(got)
        if not feasible:
            continue
        any_consistent = True
        alive[total_row].add(t_index)
        for got in per_rule:
            for name, indices in got.items():
                alive[name].update(indices)
    if budget.spent:
        for name in ambiguous:
            c = tuple(known[name])
            out[name] = RowSplit(None, c, f"column-rule search limit reached; ambiguous: {len(c)} splits")
        return out
    if not any_consistent:
        for name in ambiguous:
            c = tuple(known[name])
            out[name] = RowSplit(
                None, c, f"no combination of splits satisfies the column rules; ambiguous: {len(c)} splits"
            )
        return out
    in_rules = {total_row} | set(_constrained(results, inflow_rows, outflow_rows, total_row, known))
    for name in ambiguous:
        if name not in in_rules:
            continue
        keep = tuple(known[name][i] for i in sorted(alive[name]))
        if len(keep) == 1:
            out[name] = RowSplit(keep[0], keep, None)
        else:
            out[name] = RowSplit(None, keep, f"ambiguous: {len(keep)} splits consistent with the column rules")
    return out


def _constrained(
    results: Sequence[str],
    inflow_rows: Sequence[str],
    outflow_rows: Sequence[str],
    total_row: str,
    known: Mapping[str, List[Cells]],
) -> List[str]:
    """The known rows whose candidates the column rules actually constrained."""
    names = [r for r in results if r in known]
    ins = [r for r in inflow_rows if r != total_row]
    outs = [r for r in outflow_rows if r != total_row]
    if (ins or outs) and not (any(r not in known for r in ins) and any(r not in known for r in outs)):
        names += [r for r in (*ins, *outs) if r in known]
    return names


def _solve(
    terms: List[Tuple[str, int]],
    known: Mapping[str, List[Cells]],
    target: Vector,
    relation: str,
    budget: _Budget,
) -> Optional[Tuple[bool, Dict[str, Set[int]]]]:
    """Which candidates of the rows in ``terms`` appear in some solution of ``Σ sign·row (relation) target``.

    Per column, ``relation`` one of ``"="``, ``"<="``, ``">="``.  Returns ``(False, {})``
    when no combination satisfies the rule, otherwise ``(True, survivors)`` with every
    term's row mapped to the indices of its surviving candidates; ``None`` when the budget
    ran out.
    """
    dims = len(target)
    fixed = [0] * dims
    varying: List[Tuple[str, int, List[Cells]]] = []
    for name, sign in terms:
        cands = known[name]
        if len(cands) == 1:
            for d in range(dims):
                fixed[d] += sign * cands[0][d]
        else:
            varying.append((name, sign, cands))
    goal = tuple(target[d] - fixed[d] for d in range(dims))
    all_added = all(sign > 0 for _, sign, _ in varying)
    prune = all_added and relation in ("=", "<=")

    def fits(p: Vector) -> bool:
        if relation == "=":
            return p == goal
        if relation == "<=":
            return all(a <= b for a, b in zip(p, goal))
        return all(a >= b for a, b in zip(p, goal))

    zero: Vector = (0,) * dims
    if prune and not all(0 <= g for g in goal):
        return False, {}
    layers: List[Set[Vector]] = [{zero}]
    for _, sign, cands in varying:
        nxt: Set[Vector] = set()
        for p in layers[-1]:
            if not budget.step(len(cands)):
                return None
            for c in cands:
                q = tuple(a + sign * b for a, b in zip(p, c))
                if prune and any(a > b for a, b in zip(q, goal)):
                    continue
                nxt.add(q)
        layers.append(nxt)
    good: Set[Vector] = {p for p in layers[-1] if fits(p)}
    if not good:
        return False, {}
    survivors: Dict[str, Set[int]] = {name: {0} for name, _ in terms if len(known[name]) == 1}
    for j in range(len(varying) - 1, -1, -1):
        name, sign, cands = varying[j]
        keep: Set[int] = set()
        before: Set[Vector] = set()
        for p in layers[j]:
            if not budget.step(len(cands)):
                return None
            for index, c in enumerate(cands):
                q = tuple(a + sign * b for a, b in zip(p, c))
                if q in good:
                    keep.add(index)
                    before.add(p)
        survivors[name] = keep
        good = before
    return True, survivors
