"""A row's own arithmetic for the tolerant reader (:mod:`._recover`): its sum (the
six applicant columns add up to 总计), blanks placed by it, numbers broken over lines
joined by it, the tokens of a row so read, and whether a whole table 三 adds up."""

from __future__ import annotations

import re
from typing import Any, Callable, Optional, Sequence

from lark import Token

from . import _split
from . import schema as _schema
from ._grammar import BLANK, MISSING_MARKS
from ._normalize import FILLER, Cell

#: A printed piece the split solver takes: a run of digits, a ``1,234`` number, a decimal.
_PLAIN = re.compile(r"\d+|[1-9]\d{0,2}(?:,\d{3})+|\d+\.\d+")
_DIGITS = re.compile(r"\d[\d,.]*")
#: A piece of a number broken over lines: digits, perhaps with thousands commas (``14,7``).
_MERGEABLE = re.compile(r"\d[\d,]*")
#: A whole count as printed: no leading zero, commas every three digits (a number joined
#: from its pieces must be one).
_COUNT = re.compile(r"0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+")

#: Table 三's rows whose sums the column rules use (by field name).
_INFLOW = ("new_received", "carried_over")
_OUTFLOW = ("carried_forward",)
_TOTAL = "total"


def _joined_count(text: str) -> int:
    """A count joined from its printed pieces (a :data:`_COUNT`, or a printed dash, which
    counts as nothing, as the validator counts it)."""
    return 0 if MISSING_MARKS.fullmatch(text) else int(text.replace(",", ""))


def _as_int(text: str) -> Optional[int]:
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else None


def _sum_allows(row: _schema.Row, texts: Sequence[str]) -> Optional[bool]:
    """:func:`_sums` on printed texts: a blank counts as nothing; None when a cell is
    neither a blank nor a whole number."""
    values: list[Optional[int]] = []
    for text in texts:
        value = None if text == BLANK else _as_int(text)
        if value is None and text != BLANK:
            return None
        values.append(value)
    return _sums(row, values)


def _fill(values: list[Cell], row: _schema.Row) -> list[Cell]:
    """:func:`_fill_slots` for one row, checked by its own sum."""
    return _fill_slots(values, len(row.cells), lambda texts: _sum_allows(row, texts))


def _fill_slots(values: list[Cell], size: int, allows: Callable[[Sequence[str]], Optional[bool]]) -> list[Cell]:
    """A row's run with its :data:`FILLER` cells (empty edge cells of a grid row: a
    blank value, or the rest of a merged cell) settled where the row's cell count
    decides.

    Fillers stand only before the first printed number or after the last.  When the
    printed cells alone make the row's count, every filler is the rest of a merged
    cell.  Otherwise the row is the row's count of consecutive slots, so the fillers
    left out are those at one end or the other: every way of leaving out fillers
    from the ends that gives the count is a candidate, with the fillers kept as
    blanks.  A single candidate is the row unless its own sum (blanks counted as
    nothing) fails.  Of several candidates, one is the row only when its sum holds
    and every other's fails: a candidate whose sum cannot be checked (its total is
    the blank) could be the row as well.  Otherwise the fillers are left out and
    the row is short: not read.
    """
    if not any(c.text == FILLER for c in values):
        return values
    printed = [c for c in values if c.text != FILLER]
    if len(printed) >= size:
        return printed
    n = len(values)
    lead = next((k for k, c in enumerate(values) if c.text != FILLER), n)
    trail = n - 1 - max((k for k, c in enumerate(values) if c.text != FILLER), default=-1)
    if lead + trail < n - len(printed):
        return printed  # a filler between printed cells: not an edge of the row
    candidates: dict[tuple[str, ...], list[Cell]] = {}
    for drop_lead in range(lead + 1):
        drop_trail = n - size - drop_lead
        if 0 <= drop_trail <= trail:
            slots = [Cell(BLANK, c.line, c.column) if c.text == FILLER else c for c in values[drop_lead : n - drop_trail]]
            candidates.setdefault(tuple(c.text for c in slots), slots)
    verdicts = [(allows(texts), slots) for texts, slots in candidates.items()]
    if len(verdicts) == 1:
        verdict, slots = verdicts[0]
        return printed if verdict is False else slots
    confirmed = [slots for verdict, slots in verdicts if verdict is True]
    if len(confirmed) == 1 and all(verdict is not None for verdict, _ in verdicts):
        return confirmed[0]
    return printed


def _drop_extra_blanks(values: list[Cell], size: int, allows: Callable[[Sequence[str]], Optional[bool]]) -> list[Cell]:
    """A run with more cells than the row and blank cells among them: when its printed
    numbers alone are the row's count and its sums hold with them, the blanks are
    grid cells outside the template's columns (LibreOffice writes the template's
    table 四 with a narrow empty column between its groups)."""
    if len(values) <= size or not any(c.text == BLANK for c in values):
        return values
    printed = [c for c in values if c.text != BLANK]
    if len(printed) == size and allows([c.text for c in printed]) is True:
        return printed
    return values


def _merge_broken(values: Sequence[Cell], size: int) -> "_split.SplitResult":
    """:func:`gov_disclosure._split.merge_row` on a run of number pieces over lines; a
    printed dash (``—``) is a cell of its own, counted as nothing."""
    texts = [c.text for c in values]
    dash = [bool(MISSING_MARKS.fullmatch(t)) for t in texts]
    # the second lines of wrapped cells may come after the row's first lines: with one
    # piece a line (PyMuPDF), or when the row's first lines hold exactly its cells and
    # the rests follow on lines of their own (pdfplumber, pypdfium2: ``1412 … 4003`` /
    # ``1 4``)
    tails = len({c.line for c in values}) == len(values) or (
        size < len(values) and not any(c.line <= values[size - 1].line for c in values[size:])
        and (values[0].line == values[size - 1].line)
    )
    return _split.merge_row(
        ["0" if d else t for d, t in zip(dash, texts)], size,
        joinable=[x.line != y.line and not (d or e)
                  for x, y, d, e in zip(values, values[1:], dash, dash[1:])],
        tails=tails,
    )


def _tail_tokens(values: Sequence[Cell], joined: Sequence[int], value_type: str) -> Optional[list[Token]]:
    """Tokens for numbers joined from every cell's first line (the first ``len(joined)``
    pieces) and the rests of the cells that wrapped (the pieces after, in order), each
    where its first piece is printed; None if the pieces do not spell the numbers."""
    size = len(joined)
    heads, rests = list(values[:size]), list(values[size:])
    tokens: list[Token] = []
    for head, number in zip(heads, joined):
        text = head.text
        if MISSING_MARKS.fullmatch(text) and number == 0:  # a printed dash, counted as nothing
            tokens.append(Token(value_type, text, line=head.line, column=head.column))
            continue
        if text.replace(",", "") != str(number) and rests and (text + rests[0].text).replace(",", "") == str(number):
            text += rests.pop(0).text
        if text.replace(",", "") != str(number):
            return None
        tokens.append(Token(value_type, text, line=head.line, column=head.column))
    return tokens if not rests else None


def _joined_tokens(values: Sequence[Cell], joined: Sequence[int], value_type: str) -> Optional[list[Token]]:
    """Tokens for the joined numbers, each where its first piece is printed (a dash as
    printed); None if the pieces do not spell the numbers."""
    tokens: list[Token] = []
    k = 0
    for number in joined:
        if k >= len(values):
            return None
        first = values[k]
        if MISSING_MARKS.fullmatch(first.text):
            if number != 0:
                return None
            tokens.append(_token(first, value_type))
            k += 1
            continue
        text = ""
        while k < len(values) and text.replace(",", "") != str(number):
            text += values[k].text
            k += 1
        if text.replace(",", "") != str(number):
            return None
        tokens.append(Token(value_type, text, line=first.line, column=first.column))
    return tokens if k == len(values) else None


def _sums_allow(rows: Sequence[_schema.Row], sizes: Sequence[int], texts: Sequence[str]) -> Optional[bool]:
    """:func:`_sum_allows` for consecutive rows: False if one fails, True if all hold."""
    verdicts = []
    at = 0
    for row, size in zip(rows, sizes):
        verdicts.append(_sum_allows(row, texts[at : at + size]))
        at += size
    if False in verdicts:
        return False
    return True if verdicts and all(verdicts) else None


def _sums(row: _schema.Row, values: Sequence[Any]) -> Optional[bool]:
    """Whether a row's own sum holds, a printed blank or dash counted as nothing (None when
    the row has no sum or its total is not printed)."""
    names = [c.name for c in row.cells]
    if "total" not in names or row.table == "active_disclosure":
        return None
    by_name = dict(zip(names, values))
    total = by_name.pop("total")
    if total is None:
        return None
    return bool(sum(v for v in by_name.values() if v is not None) == total)


def _token(cell: Cell, kind: str) -> Token:
    return Token(kind, cell.text, line=cell.line, column=cell.column)


def _column_rules(rows: Sequence[_schema.Row]) -> Optional[list[tuple[list[str], list[str]]]]:
    """Table 三's column rules, each as the rows whose sums are equal in every column:
    the results and 总计, and 新收 + 上年结转 and 总计 + 结转下年度.  None for a table
    that does not have the rows they name (another template)."""
    named = {r.chain[0]: r.address for r in rows if len(r.chain) == 1}
    if _TOTAL not in named or not set(named).issuperset(_INFLOW + _OUTFLOW):
        return None
    results = [r.address for r in rows if r.chain[0] not in (*_INFLOW, *_OUTFLOW, _TOTAL)]
    return [(results, [named[_TOTAL]]),
            ([named[n] for n in _INFLOW], [named[_TOTAL], *(named[n] for n in _OUTFLOW)])]


def _rule_holds(
    values: dict[str, tuple[int, ...]], left: Sequence[str], right: Sequence[str], but_last: bool = False,
) -> bool:
    """Whether the rows ``left`` and ``right`` (all in ``values``) sum alike in every column
    (``but_last``: every column but 总计)."""
    return all(sum(values[a][c] for a in left) == sum(values[a][c] for a in right)
               for c in range(len(values[right[0]]) - but_last))


def _table_adds_up(values: dict[str, tuple[int, ...]], rows: Sequence[_schema.Row]) -> bool:
    """Every row of table 三 (``rows``) is in ``values``, and every row sum and every
    column rule (:func:`_column_rules`) holds."""
    rules = _column_rules(rows)
    if rules is None:  # pragma: no cover - another template
        return False
    return (all(r.address in values for r in rows)
            and all(sum(v[:-1]) == v[-1] for v in values.values())
            and all(_rule_holds(values, left, right) for left, right in rules))


def _confirmed(address: str, moved: set[str], values: dict[str, tuple[int, ...]], rows: Sequence[_schema.Row]) -> bool:
    """Whether a column rule of table 三 (:func:`_column_rules`: the results
    adding up to 总计, or 新收 + 上年结转 = 总计 + 结转下年度) confirms the order of the
    row at ``address``: it holds in every column over rows all known (``values``), none
    of the others among ``moved`` (a number in another column breaks its column's sum)."""
    for left, right in _column_rules(rows) or ():
        involved = {*left, *right}
        if address in involved and involved <= set(values) and not (involved & moved) - {address} \
                and _rule_holds(values, left, right):
            return True
    return False


def _placed(address: str, unsure: set[str], values: dict[str, tuple[int, ...]], rows: Sequence[_schema.Row]) -> bool:
    """Whether the column rules of table 三 fix where each number of the row at
    ``address`` stands (its numbers read in an order that may not be its columns'):
    :func:`_confirmed`, or a rule over rows all known, none of the others ``unsure``,
    holds in every column but 总计, and the row's own sum holds, which then fixes its
    总计 (blanks counted as nothing break the rule in the 总计 column when the results
    print their 总计 empty).  Two of the six columns' numbers swapped keep the row's sum
    but break the rule in both unless the report's own arithmetic fails in both and
    each number happens to equal the other column's sum; 总计 swapped with another
    breaks the row's sum unless the two are equal."""
    if _confirmed(address, unsure, values, rows):
        return True
    numbers = values.get(address)
    if numbers is None or sum(numbers[:-1]) != numbers[-1]:
        return False
    for left, right in _column_rules(rows) or ():
        involved = {*left, *right}
        if address in involved and involved <= set(values) and not (involved & unsure) - {address} \
                and _rule_holds(values, left, right, but_last=True):
            return True
    return False
