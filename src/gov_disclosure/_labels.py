"""Finding row labels for the tolerant reader (:mod:`._recover`): the text's cells
classified by the grammar's terminals, labels assembled from pieces (broken over
cells, printed around their numbers, interleaved with their group's caption, in two
columns), captions taken out of the lines they share with labels, and each label
occurrence with the run of numbers after it."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from . import schema as _schema
from ._grammar import BLANK, printed_form
from ._lexer import MAX_JOIN, base_name
from ._normalize import FILLER, ROW_END, Cell
from ._rowsum import _DIGITS, _INFLOW, _OUTFLOW, _fill
from .issues import Issue

if TYPE_CHECKING:  # pragma: no cover
    from ._diagnostics import GrammarMap
    from .editions import CompiledEdition

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


def _unglue(
    cells: Sequence[Cell], compiled: "CompiledEdition", lines: Optional[Sequence[str]] = None
) -> list[Cell]:
    """Cells in which labels and numbers were glued together (the separators were
    lost: ``一、本年新收政府信息公开申请数量640020470二、上年结转…``), cut at the labels the
    grammar knows: each label becomes a cell, each run of digits between labels a cell.
    A cell is cut only when it consists of nothing but labels and runs of digits.

    ``lines`` are the text's lines (as normalised: every line keeps its length): a cell
    joined from pieces a space apart (``行政处罚`` ``482行政强制``) lost those spaces, and
    each cut piece's column is found in its line (see :func:`_columns_in`)."""
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
        spots = _columns_in(lines[cell.line - 1], cell.column, text) if lines and 0 < cell.line <= len(lines) else None
        place = spots.__getitem__ if spots is not None else (lambda k, c=cell.column: c + k)
        for m in combined.finditer(text):
            if m.end() == m.start():
                continue
            if m.start() > at:
                pieces.extend(_gap(text[at : m.start()], cell.line, at, place))
            pieces.append(Cell(m.group(), cell.line, place(m.start())))
            at = m.end()
        if at < len(text):
            pieces.extend(_gap(text[at:], cell.line, at, place))
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


def _gap(text: str, line: int, offset: int, place: Callable[[int], int]) -> list[Cell]:
    """The text between two labels (at ``offset`` in its cell, whose ``place`` gives
    the column of each of its characters): its runs of digits as number cells, the
    rest as text."""
    out: list[Cell] = []
    at = 0
    for m in _DIGITS.finditer(text):
        if m.start() > at and text[at : m.start()].strip():
            out.append(Cell(text[at : m.start()].strip(), line, place(offset + at)))
        out.append(Cell(m.group().rstrip(",."), line, place(offset + m.start())))
        at = m.end()
    if at < len(text) and text[at:].strip():
        out.append(Cell(text[at:].strip(), line, place(offset + at)))
    return out


def _columns_in(line: str, column: int, text: str) -> Optional[list[int]]:
    """The column of each character of ``text``, a cell starting at ``column`` of
    ``line`` whose pieces were joined without the spaces between them; None when the
    line does not hold the text so (the columns then count from the cell's start)."""
    out: list[int] = []
    i = column - 1
    for ch in text:
        while i < len(line) and line[i] != ch and line[i].isspace():
            i += 1
        if i >= len(line) or line[i] != ch:
            return None
        out.append(i + 1)
        i += 1
    return out


def _aligned(values: Sequence[Cell]) -> bool:
    """Whether every line of ``values`` holds as many of them as the others (see
    :attr:`_Occurrence.aligned`)."""
    return len(set(Counter(c.line for c in values).values())) <= 1


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
        return _aligned(self.values)


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
def _row_forms(compiled: "CompiledEdition", gmap: "GrammarMap") -> dict[str, tuple[str, ...]]:
    """Each row's labels as the template prints them (every variant the grammar knows),
    without quotation marks and without a sub-row's ordinal (``本机关不掌握相关政府信息``),
    by the row's address.  Built once per edition."""
    patterns = dict(compiled.lexer.patterns)
    address = {r.name: r.address for r in compiled.builder.schema.rows.values()}
    forms: dict[str, tuple[str, ...]] = {}
    for t, info in gmap.rows.items():
        if info.size and info.rule in address and t in patterns:
            row = address[info.rule]
            forms[row] = (*forms.get(row, ()), _QUOTES.sub("", printed_form(patterns[t].pattern)))
    return forms


@lru_cache(maxsize=None)
def _label_forms(compiled: "CompiledEdition", gmap: "GrammarMap") -> tuple[str, ...]:
    """Every row's printed labels (:func:`_row_forms`) in one tuple.  Built once per edition."""
    return tuple(form for forms in _row_forms(compiled, gmap).values() for form in forms)


def _bare(text: str) -> str:
    """``text`` without quotation marks and a leading sub-row ordinal (``2.``, ``3、``):
    what a row's printed label form (:func:`_row_forms`) starts with."""
    bare = _QUOTES.sub("", text)
    ordinal = _ORDINAL.match(bare)
    return bare[ordinal.end():] if ordinal else bare


@lru_cache(maxsize=None)
def _caption_forms(compiled: "CompiledEdition") -> tuple[str, ...]:
    """The row-group captions as the template prints them, ordinal included
    (``三、本年度办理结果``, ``(三)不予公开``)."""
    return tuple(sorted({f for f in map(printed_form, _group_captions(compiled)) if "^" not in f and len(f) > 2}))


@lru_cache(maxsize=None)
def _block_headers(compiled: "CompiledEdition") -> dict[str, frozenset[str]]:
    """The column headers the grammar puts right before a row, by the row's address: the
    ``_H`` terminals (also inside an inlined rule of headers only, 2019's
    ``_item_columns``) that precede the first row of a block in its rule
    (``_block_licensing: ARTICLE_5_H INFO_H DECISIONS_H licensing`` gives 行政许可
    第二十条第(五)项, 信息内容 and 本年处理决定数量).  Row-group captions are not column
    headers.  Built once per edition."""
    captions = {name for name, rx in compiled.lexer.patterns if _GROUP_ORDINAL.match(rx.pattern)}
    rules: dict[str, list[list[Any]]] = {}
    for rule in compiled.lark.rules:
        rules.setdefault(str(rule.origin.name), []).append(list(rule.expansion))

    def headers(symbol: Any) -> Optional[set[str]]:  # the headers a symbol stands for, or None
        name = str(symbol.name)
        if symbol.is_term:
            return {name} if base_name(name).endswith("_H") and name not in captions else None
        if not base_name(name).startswith("_") or name not in rules:
            return None
        found: set[str] = set()
        for expansion in rules[name]:
            for sub in expansion:
                inner = headers(sub) if sub.is_term else None  # one level: headers only
                if inner is None:
                    return None
                found |= inner
        return found

    address = {r.name: r.address for r in compiled.builder.schema.rows.values()}
    out: dict[str, set[str]] = {}
    for expansions in rules.values():
        for expansion in expansions:
            for i, symbol in enumerate(expansion):
                row = address.get(base_name(str(symbol.name))) if not symbol.is_term else None
                if row is None:
                    continue
                found: set[str] = set()
                for before in reversed(expansion[:i]):
                    inner = headers(before)
                    if inner is None:
                        break
                    found |= inner
                if found:
                    out.setdefault(row, set()).update(found)
    return {row: frozenset(names) for row, names in out.items()}


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
        self.forms = _label_forms(compiled, gmap)
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
                    terminal = self._one_label(text)
                    if terminal is not None:
                        row = self.labels[terminal]
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
        if len(before) > 8:
            return None
        pieces = [*before, *after[:8]]
        nb = len(before)
        caption_full = self.caption_re.fullmatch
        steps = [0]
        found: dict[int, set[str]] = {}  # pieces used -> rows

        def walk(idx: int, cap: str, lab: str, sides: int) -> None:
            steps[0] += 1
            if steps[0] > _CAPTION_STEPS or idx >= len(pieces):
                return
            piece = pieces[idx]
            ways = []  # (caption, label, sides of the numbers the label has pieces on)
            if cap + piece in self.caption_prefixes:
                ways.append((cap + piece, lab, sides))
            if idx and self._label_prefix(lab + piece):  # the first piece starts the caption
                ways.append((cap, lab + piece, sides | (1 if idx < nb else 2)))
            for caption, label, on in ways:
                row = self._one_label(label) if idx >= nb and on == 3 and caption_full(caption) else None
                if row is not None:
                    found.setdefault(idx + 1, set()).add(row)
                walk(idx + 1, caption, label, on)

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
        bare = _bare(text)
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

    def headers_first(self) -> list[Cell]:
        """The cells with a block's column headers printed between its first row's label
        and the row's numbers put back before the label (``pdftotext``'s default order, a
        label centred in a row taller than its header's: ``行政许可`` / ``本年处理决定数量``
        / ``9``, ``行政事业性收费`` / ``本年收费金额(单位:万元)`` / ``3.2793``).  Only the
        headers the grammar puts right before that row move (:func:`_block_headers`), only
        when each is a cell of its own, numbers follow them, and with the headers right
        before the label they are all the block's: a header printed elsewhere (after the
        next row's label) is a text whose order is not the grid's, where the numbers after
        the label may be other rows'."""
        cells = self.cells
        heads = _block_headers(self.compiled)
        every = frozenset().union(*heads.values())

        def header(c: Cell, names: frozenset[str]) -> Optional[str]:
            parts = () if c.text is ROW_END else self.tokenize(c.text) or ()
            return parts[0][0] if len(parts) == 1 and parts[0][0] in names else None

        out: list[Cell] = []
        n = len(cells)
        k = 0
        while k < n:
            cell = cells[k]
            # only a label with a header after it is looked up (the rare case: one lookup)
            row = (self._row_of(cell.text) if k + 1 < n and header(cells[k + 1], every)
                   and not self.is_value(cell.text) and cell.text is not ROW_END else None)
            names = heads.get(row.address, frozenset()) if row is not None else frozenset()
            m = k + 1
            seen: set[str] = set()
            while names and m < n and m - k <= len(names) and (name := header(cells[m], names)):
                seen.add(name)
                m += 1
            j = k - 1
            while m > k + 1 and j >= 0:  # the block's headers right before the label
                if cells[j].text is not ROW_END:
                    before = header(cells[j], names)
                    if before is None:
                        break
                    seen.add(before)
                j -= 1
            if m > k + 1 and m < n and self.is_value(cells[m].text) and seen >= names:
                out += [*cells[k + 1 : m], cell]
                k = m
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
            at = k
            if way[0][1] == len(text):
                # a cell of the piece alone: the caption stands before the first label
                # printed after it, in the lines it spans (numbers beside the piece are the
                # rests of the row above; a piece of another caption is no label)
                taken_at = {index for index, _ in way}
                last = cells[way[-1][0]].line
                at = k + 1
                while at < n and cells[at].line <= last and cells[at].text is not ROW_END and (
                        at in taken_at or self.is_value(cells[at].text) or not self.starts_label(cells[at].text)):
                    at += 1
                if at == n or cells[at].line > last or cells[at].text is ROW_END or at in before:
                    continue  # no label for the caption to stand before: leave it
            for index, taken in way:
                cut[index] = taken
            before[at] = Cell(form, cells[at].line, cell.column)
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
        (``三、`` ``(一)予以公``, text laid out in characters); a caption taken out of a
        column left of this one may stand before it.  Stops at two ways (two are as good
        as many: not certain)."""
        cells = self.cells
        if k and cells[k - 1].line == cells[k].line and cells[k - 1].text not in _caption_forms(self.compiled):
            return []  # not the line's first cell, nor after a caption taken out (a column left of it)
        ways: list[tuple[tuple[int, int], ...]] = []
        # text laid out in characters: a label piece beside the caption's, or number
        # pieces (the rests of the row above's numbers: ``（三      13  13``) unless the
        # caption is a row's label too (2019's （六）其他处理: the row's own numbers)
        beside = k + 1 < n and cells[k + 1].line == cells[k].line and cells[k + 1].text is not ROW_END and (
            not self.is_value(cells[k + 1].text) or form not in self.forms)
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

    def starts_label(self, text: str) -> bool:
        """Whether ``text`` starts the printed label of a row, with its ordinal or without
        (a sub-row's: ``1.信访…``)."""
        return self._starts_a_label(text) or self._starts_a_label(_bare(text))

    def _starts_a_label(self, text: str) -> bool:
        """Whether ``text`` starts the printed label of a row."""
        if not text:
            return False
        text = _QUOTES.sub("", text)
        return any(form.startswith(text) for form in self.forms)

    # -- choosing -------------------------------------------------------------------------

    @staticmethod
    def in_order(found: list[_Occurrence]) -> list[_Occurrence]:
        """The longest subsequence of label occurrences in strictly increasing template order;
        of the longest, the one with the most occurrences followed by exactly their row's
        count of numbers (a label quoted in the narrative, ``全年新增公开市政府规章 1 件``,
        is not taken over the table's row that repeats it)."""
        if not found:
            return []
        best = [(1, int(o.exact)) for o in found]
        back = [-1] * len(found)
        for j in range(len(found)):
            exact = int(found[j].exact)
            for i in range(j):
                if found[i].order < found[j].order:
                    score = (best[i][0] + 1, best[i][1] + exact)
                    if score > best[j]:
                        best[j], back[j] = score, i
        j = max(range(len(found)), key=lambda x: (best[x], -x))
        chain = []
        while j != -1:
            chain.append(found[j])
            j = back[j]
        return chain[::-1]


def _issue(code: str, path: str, message: str, occ: _Occurrence, printed: str) -> Issue:
    return Issue(code, "error", message, path, line=occ.line, column=occ.column, printed=printed or None)
