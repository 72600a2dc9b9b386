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
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence

from lark import Token

from . import _lines, _split
from . import schema as _schema
from ._build import Built
from ._grammar import BLANK, MISSING_MARKS, NUMBER_PIECE, printed_form
from ._lexer import MAX_JOIN, base_name
from ._normalize import FILLER, ROW_END, Cell
from .errors import ParseError
from .issues import Issue

if TYPE_CHECKING:  # pragma: no cover
    from ._diagnostics import GrammarMap
    from .editions import CompiledEdition

__all__ = ["recover"]

#: Row labels shorter than this many characters must be a whole cell (``其他``,
#: ``总计`` are also column headers; they are never assembled from pieces).
_SHORT = 4

#: A sub-row's ordinal alone: ``2.``, ``3、``.
_ORDINAL = re.compile(r"\d{1,2}[.、]")
#: Quotation marks, which PDF extractors move within a label.
_QUOTES = re.compile("[\"“”‘’「」]")
#: A label wrapped in a narrow column comes out in pieces of one to three characters
#: (``1.申`` / ``请人`` / ``无正`` …): a label of such pieces may have this many (others
#: at most ``MAX_JOIN``).
_NARROW = 3
_MAX_NARROW_JOIN = 40
#: At most this many steps to find how a caption's pieces start consecutive lines.
_CAPTION_STEPS = 500

#: A cell that is a number or a piece of one (``14,7`` / ``58`` of a number cut
#: over two lines): it belongs to a run of numbers, and a row whose run holds a
#: piece is not read.
_NUMBERISH = re.compile(r"[-+]?\d[\d,.]*|[.,，．]\d[\d,.]*")


#: A printed piece the split solver takes: a run of digits, a ``1,234`` number, a decimal.
_PLAIN = re.compile(r"\d+|[1-9]\d{0,2}(?:,\d{3})+|\d+\.\d+")
_DIGITS = re.compile(r"\d[\d,.]*")
#: A piece of a number broken over lines: digits, perhaps with thousands commas (``14,7``).
_MERGEABLE = re.compile(r"\d[\d,]*")
#: A count is never printed with a leading zero (``02``): such a piece is a number's rest.
_LEADING_ZERO = re.compile(r"0\d[\d,]*")

#: Table 三's rows whose sums the column rules use (by field name).
_INFLOW = ("new_received", "carried_over")
_OUTFLOW = ("carried_forward",)
_TOTAL = "total"


def _unglue(cells: Sequence[Cell], compiled: "CompiledEdition") -> list[Cell]:
    """Cells in which labels and numbers were glued together (the separators were
    lost: ``一、本年新收政府信息公开申请数量640020470二、上年结转…``), cut at the labels the
    grammar knows: each label becomes a cell, each run of digits between labels a cell.
    A cell is cut only when it consists of nothing but labels and runs of digits."""
    lexer = compiled.lexer
    value = compiled.value_re.match
    combined: Optional["re.Pattern[str]"] = None
    labels_of = set(lexer.row_sizes)
    out: list[Cell] = []
    for cell in cells:
        text = cell.text
        if text is ROW_END or len(text) < 5 or value(text):
            out.append(cell)
            continue
        known = lexer.tokenize(text)
        if known is not None and all(base_name(kind) != "VALUE" for kind, _ in known):
            out.append(cell)
            continue
        if combined is None:
            names = [(name, rx) for name, rx in lexer.patterns if base_name(name) not in ("VALUE", "TEXT")]
            names.sort(key=lambda item: -len(item[1].pattern))
            combined = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in names))
        pieces: list[Cell] = []
        at = 0
        for m in combined.finditer(text):
            if m.end() == m.start():
                continue
            if m.start() > at:
                pieces.extend(_gap(text[at : m.start()], cell, at))
            pieces.append(Cell(m.group(), cell.line, cell.column + m.start()))
            at = m.end()
        if at < len(text):
            pieces.extend(_gap(text[at:], cell, at))
        # a run of digits is a glued number only right after a row label and right
        # before a label or the end of the cell; elsewhere (``2022年``, ``其中予以公开20件``)
        # it is part of the text around it
        pieces = _merge_text(_numbers_in_place(pieces, lexer, labels_of))
        if not any(lexer.tokenize(p.text) for p in pieces):
            out.append(cell)
            continue
        out.extend(pieces)
    return out


_TEXT = "\x00"  # marks a piece as text while pieces are sorted out


def _numbers_in_place(pieces: list[Cell], lexer: Any, row_labels: set[str]) -> list[Cell]:
    """Pieces with each run of digits that is not a glued table number marked as text."""
    out = []
    for k, piece in enumerate(pieces):
        if _DIGITS.fullmatch(piece.text):
            before = lexer.tokenize(pieces[k - 1].text) if k else None
            after_ok = k + 1 >= len(pieces) or bool(lexer.tokenize(pieces[k + 1].text)) or bool(
                _DIGITS.fullmatch(pieces[k + 1].text)
            )
            if not (before and before[-1][0] in row_labels and after_ok):
                piece = piece._replace(text=_TEXT + piece.text)
        elif not lexer.tokenize(piece.text):
            piece = piece._replace(text=_TEXT + piece.text)
        out.append(piece)
    return out


def _merge_text(pieces: list[Cell]) -> list[Cell]:
    """Neighbouring text pieces joined into one cell again."""
    out: list[Cell] = []
    for piece in pieces:
        if piece.text.startswith(_TEXT):
            text = piece.text[1:]
            if out and out[-1].text.startswith(_TEXT):
                out[-1] = out[-1]._replace(text=out[-1].text + text)
            else:
                out.append(piece._replace(text=_TEXT + text))
        else:
            out.append(piece)
    return [p._replace(text=p.text[1:]) if p.text.startswith(_TEXT) else p for p in out]


def _gap(text: str, cell: Cell, offset: int) -> list[Cell]:
    """The text between two labels: its runs of digits as number cells, the rest as text."""
    out: list[Cell] = []
    at = 0
    for m in _DIGITS.finditer(text):
        if m.start() > at and text[at : m.start()].strip():
            out.append(Cell(text[at : m.start()].strip(), cell.line, cell.column + offset + at))
        out.append(Cell(m.group().rstrip(",."), cell.line, cell.column + offset + m.start()))
        at = m.end()
    if at < len(text) and text[at:].strip():
        out.append(Cell(text[at:].strip(), cell.line, cell.column + offset + at))
    return out


class _Occurrence:
    """A row label found in the text and the run of numbers that follows it."""

    __slots__ = ("row", "order", "start", "end", "values", "line", "column", "label")

    def __init__(self, row: _schema.Row, order: int, start: int, end: int, values: list[Cell], first: Cell) -> None:
        self.row = row
        self.order = order  # the row's place in the template
        self.start = start  # index of the label's first cell
        self.end = end  # index just after the run of numbers (and a label's trailing piece)
        self.values = values
        self.line = first.line
        self.column = first.column
        self.label = first.text

    @property
    def exact(self) -> bool:
        return len(self.values) == len(self.row.cells)

    @property
    def aligned(self) -> bool:
        """Every line of the run holds as many numbers as the others: one line, or one
        number per line, or equal groups.  A run whose lines differ (``0 637`` over
        ``0 0 431 0 1068``) comes from a wrapped layout whose columns are uncertain."""
        return len(set(Counter(c.line for c in self.values).values())) <= 1


#: A row-group caption's pattern opens with the group's optional ordinal:
#: ``(三、)?本年度办理结果``, ``(\(三\))?不予公开`` (a column header such as
#: ``(本年)?处理决定数量`` does not).
_GROUP_ORDINAL = re.compile(r"\((?:\\\()?[一二三四五六七八九十]")


def _group_captions(compiled: "CompiledEdition") -> list[str]:
    """The patterns of an edition's row-group captions."""
    return [rx.pattern for name, rx in compiled.lexer.patterns
            if base_name(name).endswith("_H") and _GROUP_ORDINAL.match(rx.pattern)]


@lru_cache(maxsize=None)
def _captions(compiled: "CompiledEdition") -> tuple[frozenset[str], frozenset[str], "re.Pattern[str]"]:
    """An edition's row-group captions: the prefixes and the suffixes (of two characters
    or more) of their printed forms, and one pattern that matches any of them whole.
    Built once per edition."""
    captions = _group_captions(compiled)
    forms = {printed_form(c) for c in captions} | {printed_form(re.sub(r"^\(.*?\)\?", "", c)) for c in captions}
    forms = {f for f in forms if "^" not in f}
    prefixes = frozenset(f[:k] for f in forms for k in range(1, len(f) + 1))
    suffixes = frozenset(f[-k:] for f in forms for k in range(2, len(f)))
    pattern = re.compile("|".join(f"(?:{c})" for c in captions)) if captions else re.compile("(?!)")
    return prefixes, suffixes, pattern


@lru_cache(maxsize=None)
def _caption_forms(compiled: "CompiledEdition") -> tuple[str, ...]:
    """The row-group captions as the template prints them, ordinal included
    (``三、本年度办理结果``, ``(三)不予公开``)."""
    return tuple(sorted({f for f in map(printed_form, _group_captions(compiled)) if "^" not in f and len(f) > 2}))


@lru_cache(maxsize=None)
def _results_caption(compiled: "CompiledEdition") -> "re.Pattern[str]":
    """The caption of table 三's results group (``三、本年度办理结果``): a merged cell
    over the rows (一) … (七), left of their own group captions."""
    patterns = [rx.pattern for name, rx in compiled.lexer.patterns if base_name(name) == "RESULTS_H"]
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else re.compile("(?!)")


def _depth(row: _schema.Row) -> int:
    """How many caption columns stand left of a row's label in the template's grid:
    its group caption, and for table 三's result rows ``三、本年度办理结果``."""
    results = row.table == "applications" and row.chain[0] not in (*_INFLOW, *_OUTFLOW)
    return len(row.labels) - 1 + results


class _Reader:
    def __init__(self, cells: Sequence[Cell], compiled: "CompiledEdition", gmap: "GrammarMap") -> None:
        self.cells = cells
        self.compiled = compiled
        self.shape = compiled.builder.schema
        self._value = compiled.value_re.match
        self.tokenize = compiled.lexer.tokenize
        rows = {r.name: r for r in self.shape.rows.values()}
        self.order = {r.address: i for i, r in enumerate(self.shape.rows.values())}
        # row label terminal -> row
        self.labels: dict[str, _schema.Row] = {}
        for terminal, info in gmap.rows.items():
            if info.size and info.rule in rows:
                self.labels[terminal] = rows[info.rule]
        self.review = {t for t in compiled.lark.terminals if base_name(str(t.name)) == "REVIEW_H"}
        # the captions of row groups, for labels interleaved with them (see _interleaved)
        self.caption_prefixes, self.caption_suffixes, self.caption_re = _captions(compiled)
        self.review_names = {str(t.name) for t in self.review}
        self._forms: Optional[list[str]] = None  # the rows' printed labels, when first asked
        self._wide: Optional[dict[tuple[int, int], int]] = None  # see wide_before

    # -- classification ---------------------------------------------------------------

    def is_value(self, text: str) -> bool:
        """A number, a printed blank, a piece of a number cut over two lines, or an
        empty edge cell of a grid row (:data:`FILLER`)."""
        return bool(self._value(text) or _NUMBERISH.fullmatch(text)) or text == FILLER

    def _row_of(self, text: str) -> Optional[_schema.Row]:
        """The row whose label ``text`` ends with, when all of ``text`` is known terminals.
        Quotation marks a PDF extractor moved within the label (``3.危“及三安全一稳”定``)
        are left out when the label does not match with them."""
        parts = self.tokenize(text)
        if not parts and _QUOTES.search(text):
            text = _QUOTES.sub("", text)
            parts = self.tokenize(text)
        if not parts and len(text) > 2:
            # the tail of a group caption printed on the label's line (w3m, a caption
            # column wrapped beside the label column: ``理结果`` + ``(二)部分公开(…``)
            for k in range(2, min(len(text) - 1, 10)):
                if text[:k] in self.caption_suffixes:
                    parts = self.tokenize(text[k:])
                    if parts:
                        text = text[k:]
                        break
        if not parts:
            return None
        row = self.labels.get(parts[-1][0])
        if row is None:
            return None
        if len(parts) == 1 and len(parts[-1][1]) < _SHORT and parts[-1][1] != text:
            return None
        return row

    def occurrences(self) -> list[_Occurrence]:
        cells = self.cells
        n = len(cells)
        found: list[_Occurrence] = []
        i = 0
        while i < n:
            text = cells[i].text
            if text == ROW_END or self.is_value(text):
                i += 1
                continue
            row = self._row_of(text)
            label_end = i + 1
            if row is None:
                row, label_end = self._joined(i)
            if row is not None and label_end < n and not self.is_value(cells[label_end].text):
                # a label whose optional rest is printed in pieces after it:
                # ``(二)部分公开`` / ``(区分处理的,只计这一情`` / ``形,不计`` / ``其他`` / ``情形)``
                longer, end = self._joined(i, longest=True)
                if longer is row and end > label_end and end < n and self.is_value(cells[end].text):
                    label_end = end
                else:
                    # or printed around the row's numbers: ``(二)部分公开(`` / numbers /
                    # ``区分处理的,只计`` … ``他情形)``
                    split = self._split_around(i)
                    if split is not None and split.row is row:
                        found.append(split)
                        i = split.end
                        continue
            if row is None:
                split = self._split_around(i) or self._interleaved(i) or self._columned(i)
                if split is not None:
                    found.append(split)
                    i = split.end
                    continue
                i += 1
                continue
            k = label_end
            values: list[Cell] = []
            while k < n and self.is_value(cells[k].text):
                values.append(cells[k])
                k += 1
            size = len(row.cells)
            values = _fill(values, row)
            if len(values) > size and all(c.text == BLANK for c in values[size:]):
                values = values[:size]  # blank grid cells after the row: the rest of a merged cell
            found.append(_Occurrence(row, self.order[row.address], i, k, values, cells[i]))
            i = k if k > label_end else label_end
        return found

    def _joined(self, i: int, longest: bool = False) -> tuple[Optional[_schema.Row], int]:
        """A label broken over cells ``i`` … (no number between the pieces): the first
        join that is a label, or with ``longest`` the longest one up to the next number."""
        text = self.cells[i].text
        short = len(text) <= _NARROW
        best: tuple[Optional[_schema.Row], int] = (None, i + 1)
        for k in range(i + 1, min(i + _MAX_NARROW_JOIN, len(self.cells))):
            nxt = self.cells[k].text
            if nxt == ROW_END or self.is_value(nxt):
                break
            short = short and len(nxt) <= _NARROW
            if k - i >= MAX_JOIN and not short:
                break
            text += nxt
            row = self._row_of(text)
            if row is not None and len(text) >= _SHORT:
                if not longest:
                    if self._row_of(nxt) is row:
                        # the last cell alone is the label: the cells before it are
                        # headers or captions, not the label's pieces
                        return None, i + 1
                    return row, k + 1
                best = (row, k + 1)
        return best

    def _split_around(self, i: int) -> Optional[_Occurrence]:
        """A label whose first pieces start at cell ``i``, then its numbers, then the rest:
        ``2.申请人逾期未按收费通知要求缴`` / ``0 0 0 0 0 0 0`` / ``纳费用、…`` (a label wrapped in
        its cell, printed around the row's numbers by a PDF extractor)."""
        cells = self.cells
        n = len(cells)
        p = i + 1
        short = len(cells[i].text) <= _NARROW
        while p < n and p - i < _MAX_NARROW_JOIN and cells[p].text is not ROW_END and not self.is_value(cells[p].text):
            short = short and len(cells[p].text) <= _NARROW
            if p - i >= MAX_JOIN and not short:
                break
            p += 1
        k = p
        values: list[Cell] = []
        while k < n and self.is_value(cells[k].text):
            values.append(cells[k])
            k += 1
        if not values or k >= n:
            return None
        prefix = "".join(c.text for c in cells[i:p])
        if self._row_of(prefix) is not None:
            return None  # the label is whole before its numbers: an ordinary row
        if prefix in self.caption_suffixes or not _QUOTES.sub("", prefix):
            return None  # only a caption's tail or a quotation mark before the numbers: no label starts there
        text = prefix
        for j in range(k, min(k + _MAX_NARROW_JOIN, n)):
            if cells[j].text is ROW_END or self.is_value(cells[j].text):
                break
            short = short and len(cells[j].text) <= _NARROW
            if j - k >= MAX_JOIN and not short:
                break
            text += cells[j].text
            row = self._row_of(text)
            if row is not None and len(text) >= _SHORT:
                bare = _QUOTES.sub("", text)
                parts = self.tokenize(bare)
                if self._row_of(cells[j].text) is not None or (
                    parts and len(bare) - len(parts[-1][1]) >= len(_QUOTES.sub("", prefix))
                ):
                    # the next piece is a label of its own, or the label starts after the
                    # numbers (the pieces before them are a header's or another label's
                    # tail): the numbers are not inside this label
                    return None
                return _Occurrence(row, self.order[row.address], i, j + 1, _fill(values, row), cells[i])
        return None

    def _interleaved(self, i: int) -> Optional[_Occurrence]:
        """A label interleaved with its group's caption: a PDF extractor gives the caption
        column's lines and the label column's lines as blocks, before and after the row's
        numbers: ``(四`` / ``)无`` / ``1.本`` / ``机关`` / ``6 0 0 0 0 0 6`` / ``法提`` / ``供`` /
        ``不掌`` … (caption ``(四)无法提供``, label ``1.本机关不掌握相关政府信息``).

        The pieces before the numbers are a piece of caption then a piece of label, and
        so are the pieces after them; a row is found only when the two caption pieces
        make a whole caption of the template and the two label pieces exactly one row's
        label (neither the piece before the numbers nor one after is a label of its own)."""
        cells = self.cells
        n = len(cells)
        before: list[str] = []
        p = i
        while p < n and len(before) < MAX_JOIN and cells[p].text is not ROW_END and not self.is_value(cells[p].text):
            before.append(cells[p].text)
            p += 1
        if len(before) < 2 or not self.caption_prefixes or before[0] not in self.caption_prefixes:
            return None
        k = p
        values: list[Cell] = []
        while k < n and self.is_value(cells[k].text):
            values.append(cells[k])
            k += 1
        if not values:
            return None
        after: list[str] = []
        while k + len(after) < n and len(after) < _MAX_NARROW_JOIN:
            text = cells[k + len(after)].text
            if text is ROW_END or self.is_value(text):
                break
            after.append(text)
        caption_full = self.caption_re.fullmatch
        for s in range(1, len(before)):
            head = "".join(before[:s])
            if head not in self.caption_prefixes:
                break
            for t in range(1, len(after)):
                caption = head + "".join(after[:t])
                if caption not in self.caption_prefixes:
                    break
                if not caption_full(caption):
                    continue
                text = "".join(before[s:])
                if self._row_of(text) is not None:
                    continue  # the label is whole before the numbers: not interleaved
                for j in range(t, len(after)):
                    text += after[j]
                    parts = self.tokenize(text)
                    if parts and len(parts) == 1 and len(text) >= _SHORT:
                        row = self.labels.get(parts[0][0])
                        if row is not None:
                            return _Occurrence(
                                row, self.order[row.address], i, k + j + 1, _fill(values, row), cells[i + s])
                    if self._row_of(after[j]) is not None:
                        break  # the next row's label
        return self._interleaved_anyhow(i, before, values, after, k)

    def _interleaved_anyhow(
        self, i: int, before: list[str], values: list[Cell], after: list[str], k: int
    ) -> Optional[_Occurrence]:
        """:meth:`_interleaved` where the caption's and the label's pieces alternate in
        any order around the numbers: ``(六)`` / ``其他`` / ``处`` / ``2.申请人…缴纳费用、`` /
        ``理`` / numbers / ``行政机关不再处理…申请`` (caption ``(六)其他处理``).  Each piece
        goes whole to the caption or to the label, each keeping its pieces' order; the
        label has pieces on both sides of the numbers.  The row is found at the fewest
        pieces after the numbers that complete a whole caption and exactly one row's
        label, when every way to do so gives the same row (a bounded search)."""
        pieces = [*before[:8], *after[:8]]
        if len(before) > 8:
            return None
        nb = len(before)
        caption_full = self.caption_re.fullmatch
        steps = [0]
        found: dict[int, set[str]] = {}  # pieces used -> rows

        def walk(idx: int, cap: str, lab: str, sides: int) -> None:
            steps[0] += 1
            if steps[0] > _CAPTION_STEPS or idx >= len(pieces):
                return
            piece = pieces[idx]
            side = 1 if idx < nb else 2
            if cap + piece in self.caption_prefixes:
                nxt = cap + piece
                if idx >= nb and sides == 3 and caption_full(nxt) and self._one_label(lab):
                    found.setdefault(idx + 1, set()).add(self._one_label(lab) or "")
                walk(idx + 1, nxt, lab, sides)
            if idx or cap:
                label = lab + piece
                if self._label_prefix(label):
                    if idx >= nb and sides | side == 3 and caption_full(cap) and self._one_label(label):
                        found.setdefault(idx + 1, set()).add(self._one_label(label) or "")
                    walk(idx + 1, cap, label, sides | side)

        walk(0, "", "", 0)
        if not found or steps[0] > _CAPTION_STEPS:
            return None
        used = min(found)
        rows = found[used]
        if len(rows) != 1:
            return None
        row = self.labels[next(iter(rows))]
        return _Occurrence(row, self.order[row.address], i, k + used - nb, _fill(values, row), self.cells[i])

    def _one_label(self, text: str) -> Optional[str]:
        """The row-label terminal ``text`` is exactly, if any."""
        if len(text) < _SHORT:
            return None
        parts = self.tokenize(text)
        if parts and len(parts) == 1 and parts[0][0] in self.labels:
            return str(parts[0][0])
        return None

    def _label_prefix(self, text: str) -> bool:
        """Whether ``text`` (its ordinal and quotation marks left out) starts a row's printed label."""
        bare = _QUOTES.sub("", text)
        ordinal = _ORDINAL.match(bare)
        if ordinal:
            bare = bare[ordinal.end():]
        return not bare or self._starts_a_label(bare)

    def _columned(self, i: int) -> Optional[_Occurrence]:
        """A label and its group's caption in two columns of a table laid out in
        characters (``pdftotext -layout``, w3m), each wrapped over the row's lines:
        ``(三`` ``1.属`` numbers / ``)不`` ``于国`` / ``予公`` ``家秘`` / ``开`` ``密``.

        The caption's pieces start left of the label's column, the label's at its
        column: the row is read when the pieces at the label's column make exactly one
        row's label and the pieces left of it a whole caption of the template."""
        cells = self.cells
        n = len(cells)
        first = cells[i]
        if not self.caption_prefixes or first.text not in self.caption_prefixes:
            return None
        line = first.line
        # the label's first piece: the next text cell on the same line, right of the caption
        j = i + 1
        if j >= n or cells[j].line != line or cells[j].column <= first.column or self.is_value(cells[j].text):
            return None
        label_column = cells[j].column
        k = j + 1
        values: list[Cell] = []
        while k < n and self.is_value(cells[k].text) and cells[k].line == line:
            values.append(cells[k])
            k += 1
        if not values:
            return None
        caption = first.text
        label = cells[j].text
        while k < n and k - i < _MAX_NARROW_JOIN:
            cell = cells[k]
            if cell.text is not ROW_END and self.is_value(cell.text) and cell.line > values[-1].line:
                # more of the row's numbers on the next line, after the pieces there (a
                # cell whose number sits a line higher than its neighbours': ``(六)其
                # 1.申请人… 18`` / ``他处理 行政机关… 4 5 9 0 0 0``)
                while k < n and self.is_value(cells[k].text) and cells[k].line == cell.line:
                    values.append(cells[k])
                    k += 1
                continue
            if cell.text is ROW_END or self.is_value(cell.text) or cell.line == line:
                return None
            if cell.column < label_column - 1:
                caption += cell.text
            else:
                label += cell.text
            k += 1
            parts = self.tokenize(label)
            if parts and len(parts) == 1 and parts[0][0] in self.labels:
                row = self.labels[parts[0][0]]
                if self.caption_re.fullmatch(caption):
                    return _Occurrence(row, self.order[row.address], i, k, _fill(values, row), cells[j])
                return None
        return None

    def attach_ordinals(self) -> list[Cell]:
        """The cells with a sub-row's ordinal printed on a line of its own (``2.`` / ``其``
        / ``他法`` …, a narrow column in a PDF) joined to the label piece after it.  The
        ordinal alone looks like a piece of a number and would end the row before; it is
        joined only when it and the pieces after it make exactly one row's label."""
        cells = self.cells
        if not any(_ORDINAL.fullmatch(c.text) for c in cells):
            return list(cells)
        out: list[Cell] = []
        n = len(cells)
        k = 0
        while k < n:
            cell = cells[k]
            if _ORDINAL.fullmatch(cell.text) and self._starts_label(k):
                out.append(Cell(cell.text + cells[k + 1].text, cell.line, cell.column))
                k += 2
                continue
            out.append(cell)
            k += 1
        return out

    def defuse(self) -> list[Cell]:
        """The cells with a group caption taken out of the lines it shares with labels.

        A narrow caption column beside a narrow label column, read a line at a time
        with one space between the two (pdfplumber, pypdfium2), gives cells whose text
        starts with a piece of the caption: ``三、(一)予以公`` / numbers / ``本年开`` /
        ``度办(二)部分公`` / numbers / ``理结开(区分处理`` / ``果的,只计这一`` ….  When the
        starts of consecutive text cells spell a whole caption (with its ordinal) in
        exactly one way, the caption becomes a cell of its own before them and the
        cells keep the rest: ``三、本年度办理结果`` / ``(一)予以公`` / numbers / ``开`` /
        ``(二)部分公`` …, which the label readers then join (a label around its numbers).
        The first cell must hold more than its piece of caption (a caption printed
        whole is left as it is)."""
        cells = self.cells
        forms = _caption_forms(self.compiled)
        starts = {f[0] for f in forms}
        if not forms or not any(c.text[:1] in starts for c in cells):
            return list(cells)
        n = len(cells)
        cut: dict[int, int] = {}  # cell index -> characters of caption it starts with
        before: dict[int, Cell] = {}  # cell index -> caption cell to put before it
        for k, cell in enumerate(cells):
            text = cell.text
            if k in cut or text[:1] not in starts or text is ROW_END or self.is_value(text):
                continue
            found: list[tuple[str, tuple[tuple[int, int], ...]]] = []
            for form in forms:
                if text.startswith(form) or not text.startswith(form[:1]):
                    continue
                for way in self._caption_ways(k, form, n):
                    found.append((form, way))
                    if len(found) > 1:
                        break
                if len(found) > 1:
                    break
            if len(found) != 1:
                continue
            form, way = found[0]
            for index, taken in way:
                cut[index] = taken
            before[k] = Cell(form, cell.line, cell.column)
        if not cut:
            return list(cells)
        out: list[Cell] = []
        for k, cell in enumerate(cells):
            if k in before:
                out.append(before[k])
            part = cut.get(k)
            if part is None:
                out.append(cell)
            elif part < len(cell.text):
                out.append(Cell(cell.text[part:], cell.line, cell.column + part))
        return out

    def _caption_ways(self, k: int, form: str, n: int) -> list[tuple[tuple[int, int], ...]]:
        """The ways the first cells of consecutive lines, from cell ``k`` on, start with
        the pieces of ``form``: ``(cell, characters)`` per line, every line giving at
        least one character.  The first cell starts its line and holds more than its
        piece (``三、(一)予以公``), or is the piece with a label piece beside it on its line
        (``三、`` ``(一)予以公``, text laid out in characters).  Stops at two ways (two are
        as good as many: not certain)."""
        cells = self.cells
        if k and cells[k - 1].line == cells[k].line:
            return []
        ways: list[tuple[tuple[int, int], ...]] = []
        beside = k + 1 < n and cells[k + 1].line == cells[k].line and not self.is_value(cells[k + 1].text)
        steps = [0]

        def walk(j: int, pos: int, taken: tuple[tuple[int, int], ...]) -> None:
            steps[0] += 1
            if steps[0] > _CAPTION_STEPS:
                ways[:] = [(), ()]  # too many ways to try: not certain
                return
            if len(ways) > 1 or len(taken) >= _MAX_NARROW_JOIN:
                return
            text = cells[j].text
            for t in range(1, min(len(text), len(form) - pos) + 1):
                if text[:t] != form[pos : pos + t]:
                    break
                if j == k and t == len(text) and not beside:
                    continue  # the first cell holds more than its piece of caption
                now = (*taken, (j, t))
                if pos + t == len(form):
                    if len(now) > 1:
                        ways.append(now)
                    continue
                m = j + 1
                while m < n and cells[m].line == cells[j].line:
                    m += 1
                while m < n and self.is_value(cells[m].text) and beside:
                    # a line of numbers only, in text laid out in characters: the caption's
                    # column is empty there (a row's numbers a line below its label)
                    line = cells[m].line
                    while m < n and cells[m].line == line and self.is_value(cells[m].text):
                        m += 1
                    if m < n and cells[m].line == line:
                        m = n  # text after the numbers: not a line of numbers only
                if m < n and cells[m].text is not ROW_END and not self.is_value(cells[m].text):
                    walk(m, pos + t, now)

        walk(k, 0, ())
        return ways

    def _starts_label(self, k: int) -> bool:
        cells = self.cells
        text = cells[k].text
        for j in range(k + 1, min(k + _MAX_NARROW_JOIN, len(cells))):
            nxt = cells[j].text
            if nxt is ROW_END or (self.is_value(nxt) and nxt[0] < "\u2e80"):
                # a number ends the label (a CJK mark such as 无 may be a piece of it); the
                # label may go on after the row's numbers (``1.`` / ``本`` / ``机关`` / numbers /
                # ``法提供`` / ``不掌`` …, interleaved with its caption): the ordinal joins
                # when the pieces before the numbers start a row's label (the row is
                # read only when its caption and label are then found whole)
                return nxt is not ROW_END and self._starts_a_label(text[len(cells[k].text):])
            text += nxt
            parts = self.tokenize(text)
            if not parts and _QUOTES.search(text):  # quotation marks moved within the label
                parts = self.tokenize(_QUOTES.sub("", text))
            if parts and len(parts) == 1 and parts[0][0] in self.labels:
                return True
        return False

    def wide_before(self, cell: Cell) -> int:
        """How many wide (CJK) characters the cells before ``cell`` on its line hold: what
        its column grows by when such a character is two columns wide, as a page shows it."""
        if self._wide is None:
            self._wide = {}
            count: dict[int, int] = {}
            for c in self.cells:
                if c.text is ROW_END:
                    continue
                self._wide[(c.line, c.column)] = count.get(c.line, 0)
                count[c.line] = count.get(c.line, 0) + sum(
                    unicodedata.east_asian_width(ch) in "WF" for ch in c.text)
        return self._wide.get((cell.line, cell.column), 0)

    def _starts_a_label(self, text: str) -> bool:
        """Whether ``text`` starts the printed label of a row."""
        if not text:
            return False
        if self._forms is None:
            patterns = dict(self.compiled.lexer.patterns)
            self._forms = [_QUOTES.sub("", printed_form(patterns[t].pattern)) for t in self.labels if t in patterns]
        text = _QUOTES.sub("", text)
        return any(form.startswith(text) for form in self._forms)

    # -- choosing -------------------------------------------------------------------------

    @staticmethod
    def in_order(found: list[_Occurrence]) -> list[_Occurrence]:
        """The longest subsequence of label occurrences in strictly increasing template order."""
        if not found:
            return []
        best = [1] * len(found)
        back = [-1] * len(found)
        for j in range(len(found)):
            for i in range(j):
                if found[i].order < found[j].order and best[i] + 1 > best[j]:
                    best[j], back[j] = best[i] + 1, i
        j = max(range(len(found)), key=lambda x: (best[x], -x))
        chain = []
        while j != -1:
            chain.append(found[j])
            j = back[j]
        return chain[::-1]


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
    reader: "_Reader", occ: _Occurrence, row: _schema.Row, builder: Any, value_type: str
) -> Optional[tuple[Built, Issue]]:
    """A row laid out in characters whose widest numbers wrapped in their cells: the
    rest of each is printed on the next line, under its column (``1475 … 3996`` /
    ``公开申请数量  8 … 1``).  The pieces after the row's label that stand on one line,
    each under exactly one of the row's numbers, are joined to those; the row is taken
    only when its own sum then holds (``value.inferred``)."""
    cells = reader.cells
    heads = occ.values
    if len({c.line for c in heads}) != 1:
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
    line, after at most two pieces of text (the rest of its label): the rests of
    numbers wrapped in their cells may be there."""
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


def _unclaimed_before(reader: "_Reader", occ: _Occurrence, owner: dict[int, _Occurrence]) -> int:
    """How many numbers stand right before ``occ``'s label (captions between skipped)
    that no row takes: ``owner`` maps the cell index of each number a chosen row's run
    holds to that row's occurrence; a run with more numbers than its row's cells leaves
    the ones beyond its count unclaimed."""
    cells = reader.cells
    k = occ.start - 1
    skipped = 0
    while k >= 0 and skipped < MAX_JOIN and cells[k].text is not ROW_END and not reader.is_value(cells[k].text):
        if reader._row_of(cells[k].text) is not None:  # noqa: SLF001
            return 0  # another row's label: the numbers before it are that row's business
        k -= 1
        skipped += 1
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


def _first_piece_before(reader: "_Reader", occ: _Occurrence, owner: dict[int, _Occurrence]) -> bool:
    """Whether a piece of ``occ``'s label, then as many numbers as its row has cells that
    no row takes, stand right before its label on earlier lines, so that the piece and the
    label spell the same row: ``一、 113 … 753`` / ``本年新收政府信息公开申请数量 14 … 99``.
    The label may be printed around those numbers (its rest is a whole label, the ordinal
    being optional), and the numbers after it the rests of numbers wrapped in their cells:
    which run is the row's cannot be told."""
    cells = reader.cells
    size = len(occ.row.cells)
    if _unclaimed_before(reader, occ, owner) != size or occ.start < size + 1:
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
    return piece.line < cells[occ.start].line and reader._row_of(piece.text + "".join(label)) is occ.row  # noqa: SLF001


def _uneven_orders(reader: "_Reader", occ: _Occurrence) -> list[list[Cell]]:
    """The orders of an uneven run's numbers (over lines of different lengths) in which
    its row adds up: the order printed, and the order of the character columns the
    numbers start at when the text keeps them (``pdftotext -layout``: no two numbers
    overlap in columns, and the order is the same whether a CJK character before them
    is one column wide or two).  Each distinct order once; only whole numbers and dashes."""
    values = occ.values
    if not all(_PLAIN.fullmatch(c.text) or MISSING_MARKS.fullmatch(c.text) for c in values) or not any(
        _PLAIN.fullmatch(c.text) for c in values
    ):
        return []
    orders = [list(values)]
    narrow = sorted(values, key=lambda c: c.column)
    wide = sorted(values, key=lambda c: c.column + reader.wide_before(c))
    if (
        narrow == wide
        and all(b.column > a.column + len(a.text) for a, b in zip(narrow, narrow[1:]))
        and narrow != orders[0]
    ):
        orders.append(narrow)
    return [o for o in orders if _sums(occ.row, [_as_int(c.text) for c in o]) is True]


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


def recover(
    cells: Sequence[Cell],
    compiled: "CompiledEdition",
    gmap: "GrammarMap",
    cause: ParseError,
    blank: Optional[Mapping[int, int]] = None,
) -> tuple[dict[str, Built], list[Issue]]:
    """The tables of ``cells`` as far as they can be read for certain, and the issues.

    ``blank`` are the text's empty lines, ``{line: column}`` (blank cells where the
    text prints one cell per line, :mod:`._lines`).  Raises ``cause`` again when not a
    single row can be read.
    """
    cells = _unglue(cells, compiled)
    reader = _Reader(cells, compiled, gmap)
    reader.cells = reader.defuse()
    cells = reader.cells = reader.attach_ordinals()
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
        if (
            any(c.text == BLANK for c in occ.values)
            and occ.start > 0
            and reader.is_value(cells[occ.start - 1].text)
            and cells[occ.start - 1].line < occ.line
            and _unclaimed_before(reader, occ, owner) > 0
        ):
            # a few numbers with gaps between, right under a line of numbers no row
            # takes: the rests of numbers wrapped there (``3.  2 0 7 7 0 3 1`` /
            # ``其他  2     1     03``), not a row with blanks
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: its numbers ({printed}) have gaps and stand right under numbers no row takes: they may "
                "be the rests of numbers wrapped on the line above, so the row is not read",
                occ, printed))
            continue
        if _first_piece_before(reader, occ, owner):
            issues.append(_issue(
                "parse.row_unreadable", row.address,
                f"{where}: a piece of its label ({cells[occ.start - len(row.cells) - 1].text}) and a row's worth of "
                "numbers no row takes stand before its label: the label may be printed around those numbers and "
                f"the ones after it ({printed}) be the rests of numbers wrapped in their cells: the row is not read",
                occ, printed))
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
                    row, builder, value_type)
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
            wrapped = _wrapped_in_columns(reader, occ, row, builder, value_type) if row.table == "applications" else None
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
            joined = _wrapped_in_columns(reader, occ, row, builder, value_type)
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
            if as_printed and joined is None and not _digits_after(reader, occ, len(row.cells)):
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
    if glued or broken or uneven:
        issues.extend(_split_glued(glued, chosen, read, shape, builder, value_type, broken, merges, uneven))
    # a row whose pieces join one way only has its numbers after its label, even where
    # the table did not confirm the join: not a row printed apart from its numbers
    joinable = [a for a, merge in merges.items() if merge.unique is not None]
    issues.extend(_apart(reader, chosen, found, bare, spans, read, builder, value_type, where_is, [*glued, *joinable]))
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
    whole table then adds up, as for a split.

    ``uneven`` rows have their numbers over lines of different lengths (PDF text of
    cells whose contents sit at different heights): the order printed is not
    certain to be the columns' order, so they are taken as printed only when their
    sums hold and the whole table then adds up (each column's results add up to
    总计, and the balance holds per column), which a misplaced number breaks."""
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
    ends = {r.chain[0] for r in rows}
    named = {r.chain[0]: r.address for r in rows if len(r.chain) == 1}
    result_rows = [r.address for r in rows if r.chain[0] not in (*_INFLOW, *_OUTFLOW, _TOTAL)]
    if _TOTAL not in named or not ends.issuperset(_INFLOW + _OUTFLOW):  # pragma: no cover - another template
        result = {a: _split.RowSplit(None, (), "no column rules") for a in pieces}
    else:
        result = _split.split_table(
            pieces,
            result_rows=result_rows,
            total_row=named[_TOTAL],
            inflow_rows=[named[n] for n in _INFLOW],
            outflow_rows=[named[n] for n in _OUTFLOW],
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
    confirmed = len(values) == len(rows) and _table_adds_up(values, rows, result_rows, named)
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
        if not confirmed:
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
        if not confirmed:
            issues.append(_issue(
                "parse.row_unreadable", address,
                f"{where}: its numbers ({printed}) are spread over lines of different lengths, so their columns "
                "are not certain, and the table as a whole does not add up with them (or has rows not read): "
                "the row is not read",
                occ, printed))
            continue
        read[address] = builder._handlers[row.name]([_token(c, value_type) for c in occ.values])  # noqa: SLF001
        in_print = sorted(occ.values, key=lambda c: (c.line, c.column))
        first = in_print[0]
        order = "printed" if in_print == occ.values else "of the columns they stand at"
        printed = " ".join(c.text for c in in_print)
        issues.append(Issue(
            "value.inferred", "warning",
            f"{where}: its numbers are printed over lines of different lengths ({printed}); they are taken in "
            f"the order {order} ({' '.join(c.text for c in occ.values)}) because the row's sum and every column "
            "rule of the table hold with them",
            address, line=first.line, column=first.column, printed=printed))
    for address, occ in glued.items():
        row = occ.row
        where = f"table 三: row {row.label}"
        if not confirmed and result.get(address) is not None and result[address].value is not None:
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
        if not all(_sum_allows(r, [c.text for c in g]) is True for r, g in zip(between, groups)):
            continue
        if any(len(set(Counter(c.line for c in g).values())) > 1 for g in groups):
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


def _table_adds_up(
    values: dict[str, tuple[int, ...]], rows: Sequence[_schema.Row], result_rows: list[str], named: dict[str, str]
) -> bool:
    """Every row sum, and per column the results sum and the balance, hold."""
    for v in values.values():
        if sum(v[:-1]) != v[-1]:
            return False
    total = values[named[_TOTAL]]
    inflow = [values[named[n]] for n in _INFLOW]
    outflow = [values[named[n]] for n in _OUTFLOW]
    for column in range(len(rows[0].cells)):
        if sum(values[a][column] for a in result_rows) != total[column]:
            return False
        if sum(v[column] for v in inflow) != total[column] + sum(v[column] for v in outflow):
            return False
    return True


def _heading(cells: Sequence[Cell], title: str) -> Optional[Cell]:
    """The cell printing a table's heading (``三、收到和处理政府信息公开申请情况``), if any."""
    if not title:
        return None
    return next((c for c in cells if title in c.text and len(c.text) <= len(title) + 12), None)


def _issue(code: str, path: str, message: str, occ: _Occurrence, printed: str) -> Issue:
    return Issue(code, "error", message, path, line=occ.line, column=occ.column, printed=printed or None)


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
    run = copies[0][1]
    printed = " ".join(c.text for c in run)
    others = {" ".join(c.text for c in r) for _, r in copies[1:] if len(r) == len(run)}
    if others - {printed}:
        lines = ", ".join(str(r[0].line) for _, r in copies)
        return Issue(
            "parse.conflicting_copy", "error",
            f"table 四 is printed {len(copies)} times (lines {lines}) with different numbers: it is not read",
            "appeals", line=run[0].line, column=run[0].column, printed=printed), spans
    if len(run) < sum(sizes) and all(_PLAIN.fullmatch(c.text) for c in run):
        return _appeals_glued(run, table, sizes, builder, value_type, read), spans
    if len(run) != sum(sizes) or len(set(Counter(c.line for c in run).values())) > 1:
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
