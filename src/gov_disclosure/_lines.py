"""Blank cells in text that prints a table one cell per line.

LibreOffice's "save as text" (and page copies in the tab layout) print every cell
of a table on a line of its own, a blank cell as an empty line::

    1.属于国家秘密        <- the row's label
    86                    <- 自然人
                          <- 商业企业: blank
    0
    51
    0
    0
                          <- 总计: blank
                          <- the next row's first cells (三、本年度办理结果,
                          <- （三）不予公开), covered by merged cells: empty lines
    2.其他法律行政法规禁止公开

So the row's cells are the lines right after its label, one each, and a blank's
place is known.  But the same text from a tool that drops blank cells (lynx, PDF
text) looks alike: ``86`` / ``0`` / ``51`` / ``0`` / ``0`` / (empty) / (empty)
would put ``0`` under 商业企业.  What tells the two apart is the count of lines:
a row whose cells are all printed is ``cells + gap`` lines long, where the gap
before the next row is what the text's way of printing puts there.  The gap is
modelled as ``a * covered + b``: ``covered`` is the number of merged caption cells
the next row does not start (``2.其他…`` sits under two captions started above
it), ``a`` is 1 when a covered cell prints as an empty line (a grid serialiser
such as LibreOffice) and 0 when it prints nothing (a page's rowspan), and ``b``
is 1 when rows are separated by an empty line.  The model is fitted on the rows
whose cells are all printed (:func:`fit`); a row with blanks is read only when
every model that fits the text predicts its line count exactly
(:func:`predicted`).  A dropped blank, or an empty line lost or added by damage,
changes that count by one, and the row is not read.  So does a row whose numbers
are all there but whose lines are not what the model predicts: a number line
doubled in a row with a blank gives as many numbers as cells, in the wrong places.

This module holds the line arithmetic only; :mod:`gov_disclosure._recover`
decides which rows it is asked about.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Optional, Sequence

from ._normalize import Cell

__all__ = ["blank_lines", "segment", "fit", "predicted", "MODELS"]

#: ``(a, b)``: the gap before a row is ``a * covered + b`` empty lines.
Model = tuple[int, int]
MODELS: tuple[Model, ...] = ((0, 0), (0, 1), (1, 0), (1, 1))


def blank_lines(text: str) -> dict[int, int]:
    """The lines of ``text`` that hold nothing but whitespace: ``{line: column}`` (both
    1-based), the column where the empty cell is, after the whitespace."""
    return {k: len(line) + 1 for k, line in enumerate(text.split("\n"), 1) if not line.strip()}


def segment(
    per_line: Mapping[int, int], blank: Mapping[int, int], first: int, stop: int, values: Sequence[Cell]
) -> Optional[list[Optional[Cell]]]:
    """Lines ``first`` … ``stop - 1`` as a row's slots: a number alone on its line (one
    of ``values``, in order) or ``None`` for an empty line.

    ``None`` when a line is anything else (a page number, a rule, two cells), when a
    number is not alone on its line, or when the lines do not hold all of
    ``values``."""
    by_line = {c.line: c for c in values}
    if len(by_line) != len(values):
        return None
    out: list[Optional[Cell]] = []
    for line in range(first, stop):
        cell = by_line.get(line)
        if cell is not None:
            if per_line.get(line, 0) != 1:
                return None
            out.append(cell)
        elif line in blank:
            out.append(None)
        else:
            return None
    taken = [c for c in out if c is not None]
    if len(taken) != len(values) or any(a is not b for a, b in zip(taken, values)):
        return None
    return out


def fit(observations: Iterable[tuple[int, int]]) -> frozenset[Model]:
    """The models that explain the most observed ``(gap, covered)`` of rows whose cells
    are all printed, when they explain two rows or more and at least two thirds of
    them; empty otherwise (nothing is known then).  A row the models do not explain
    was printed with an empty line lost or added (:func:`predicted` tells it)."""
    seen = list(observations)
    support = {m: sum(gap == m[0] * covered + m[1] for gap, covered in seen) for m in MODELS}
    top = max(support.values(), default=0)
    if top < 2 or 3 * top < 2 * len(seen):
        return frozenset()
    return frozenset(m for m, n in support.items() if n == top)


def predicted(models: frozenset[Model], covered: int) -> Optional[int]:
    """The gap every fitting model predicts before a row under ``covered`` covered
    cells, or ``None`` when they disagree (or none fits)."""
    gaps = {a * covered + b for a, b in models}
    return gaps.pop() if len(gaps) == 1 else None
