"""OCR adapter: scanned report pages (image-only PDFs, PNG/JPEG) → report text (the ``[ocr]`` extra).

The engine is RapidOCR (``rapidocr``, PP-OCR Chinese models shipped inside its
wheel) on onnxruntime (CPU); PDF pages are rasterised with pypdfium2.  Nothing is
downloaded at run time: the models are the files inside the installed package,
and the adapter refuses to start when they are missing rather than letting the
engine fetch them.

Each page goes through these steps:

1. OCR of the whole page: text boxes with their text, and a confidence for every
   character;
2. the page's skew is measured from the boxes (a scan is rarely straight) and
   the box positions and the image are turned back by it;
3. *tables* are found from their ruling lines (long horizontal and vertical runs
   of dark pixels); the grid's slots are merged where a line is missing between
   them (merged cells), and each OCR box goes to the cell holding its centre;
4. boxes outside tables become *text lines* (boxes on one baseline, left to right).

The result is the same kind of page items the PDF adapter makes from a text layer
(:mod:`gov_disclosure.formats.pdf`), in PDF points, so the same layout rules apply
(page numbers and running heads dropped, tables cut by a page break joined, wrapped
title and sentences joined) and the same grid rules write the tables as report
lines (:func:`gov_disclosure.formats.grid.table_lines`).  A table printed without
ruling lines has no grid: its boxes come through as text lines, cells joined by
`` | `` where a gap separates them.

Numbers are taken exactly as read: never corrected.  A number whose least sure
character has a confidence under :data:`LOW_CONFIDENCE` is listed in
:attr:`OcrText.uncertain` with the page, its box and where it stands in the text,
so the reader can flag the cell (``value.low_confidence``); the table arithmetic
of :func:`gov_disclosure.validate` catches most misread digits that OCR was sure of.
"""

from __future__ import annotations

import io
import math
import os
import re
import time
from typing import Any, Callable, Optional, Sequence

import attrs

from ..errors import InputFormatError, MissingExtraError
from .grid import clean_cell, has_report_tables, is_value, table_lines

__all__ = [
    "OcrText", "Uncertain", "pdf_to_text", "image_to_text", "available", "set_page_hook", "LOW_CONFIDENCE", "DPI",
]

#: The resolution PDF pages are rasterised at for OCR.
DPI = 200
#: A number with a character read with less confidence than this is uncertain.
LOW_CONFIDENCE = 0.9
_A4_WIDTH = 595.3  # points: an image without a resolution is taken as an A4 page's width


@attrs.frozen
class Uncertain:
    """A number OCR read with low confidence.

    ``page`` (1-based) and ``bbox`` (``x0, top, x1, bottom`` in pixels of the page
    image as OCR saw it: the image file itself, or the PDF page rasterised at
    :data:`DPI`) say where it was printed; ``text`` is what OCR read there, ``confidence``
    the lowest confidence of its characters; ``line`` and ``column`` (1-based) where
    the cell stands in :attr:`OcrText.text`.  A number is listed when a character's
    confidence is under :data:`LOW_CONFIDENCE`, when it is not a well-formed number
    (``1O``, ``3,45``), or when a stray mark read beside it was left out of the text
    (the dust in ``0.`` or ``.4``: ``text`` keeps it, the cell holds ``0``).
    """

    page: int
    bbox: tuple[float, float, float, float]
    text: str
    confidence: float
    line: int
    column: int


@attrs.frozen
class OcrText:
    """Report text read by OCR, with the numbers it is unsure of."""

    text: str
    uncertain: tuple[Uncertain, ...] = ()
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0


# --- the engine ------------------------------------------------------------------------

_ENGINE: Any = None


def _missing(what: str = "scanned pages (OCR)") -> MissingExtraError:
    return MissingExtraError("ocr", "rapidocr", what)


def available() -> bool:
    """True if the ``[ocr]`` extra is installed (without importing it)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime", "pypdfium2", "numpy", "cv2"))


def _engine() -> Any:
    """The RapidOCR engine (made once), on the models shipped inside its package."""
    global _ENGINE
    if _ENGINE is not None:
        return _ENGINE
    try:
        import onnxruntime  # type: ignore[import-untyped]  # noqa: F401
        import rapidocr
        from rapidocr import RapidOCR
    except ImportError:
        raise _missing() from None
    models = os.path.join(os.path.dirname(rapidocr.__file__), "models")
    shipped = [f for f in os.listdir(models) if f.endswith(".onnx")] if os.path.isdir(models) else []
    if not any("det" in f for f in shipped) or not any("rec" in f for f in shipped):
        raise InputFormatError(
            f"the installed rapidocr has no models in {models}; it would download them, which this library "
            "never does: reinstall it from its wheel (pip install --force-reinstall 'gov-disclosure[ocr]')"
        )
    import logging

    params = {"Global.log_level": "error", "Global.use_cls": False, "Global.text_score": 0.0}
    engine = RapidOCR(params=params)
    for name in ("RapidOCR", "rapidocr"):
        logging.getLogger(name).setLevel(logging.ERROR)
    _ENGINE = engine
    return engine


# --- page progress ---------------------------------------------------------------------

#: Told ``(page, pages)`` (1-based page, the document's page count) as OCR starts on a
#: page; None: nobody listens.  Set by :func:`set_page_hook`.
_PAGE_HOOK: Optional[Callable[[int, int], None]] = None


def set_page_hook(hook: Optional[Callable[[int, int], None]]) -> Optional[Callable[[int, int], None]]:
    """Have ``hook(page, pages)`` called as OCR starts on each page (None: no calls); returns the hook it replaces.

    ``page`` is the page's number in the document (1-based: a PDF page, a frame of
    a TIFF) and ``pages`` the document's page count; pages of a PDF read from its
    text layer are not OCR'd and not reported.  OCR takes seconds a page, so the
    batch engine (:mod:`gov_disclosure.batch`) uses this to show progress within a
    long scan.  An exception raised by ``hook`` is ignored: progress never stops a read.
    """
    global _PAGE_HOOK
    before, _PAGE_HOOK = _PAGE_HOOK, hook
    return before


def _starting(page: int, pages: int) -> None:
    hook = _PAGE_HOOK
    if hook is not None:
        try:
            hook(page, pages)
        except Exception:  # a progress bar must not end a read
            pass


# --- one page --------------------------------------------------------------------------


@attrs.define
class _Box:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float  # the lowest character confidence
    raw: tuple[float, float, float, float]  # in pixels of the original image
    read: str = ""  # the text as OCR read it, when a stray mark was left out of ``text``

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _ocr(gray: Any) -> tuple[list[Any], float]:
    """OCR boxes ``(quad, text, min char confidence)`` of a grayscale page, and the page's skew (radians)."""
    import numpy as np

    result = _engine()(gray, use_det=True, use_cls=False, use_rec=True, return_word_box=True,
                       return_single_char_box=True)
    if result.boxes is None or result.txts is None:
        return [], 0.0
    out = []
    angles = []
    words = result.word_results if len(result.word_results) == len(result.txts) else [()] * len(result.txts)
    for quad, text, score, chars in zip(result.boxes, result.txts, result.scores, words):
        read = [(str(c[0]), float(c[1])) for c in chars if c and str(c[0]).strip()] if chars else []
        if read and "".join(t for t, _ in read) == "".join(text.split()):
            trimmed, conf = _trim_specks(read)
            original = text
            if len(trimmed) < len(read):
                text = trimmed
        else:
            conf = float(score)
            original = text
        q = np.asarray(quad, dtype=float)
        out.append((q, text, conf, original if original != text else ""))
        width = q[1][0] - q[0][0]
        if width > 5 * max(1.0, q[3][1] - q[0][1]):  # long boxes tell the skew
            angles.append(math.atan2(q[1][1] - q[0][1], width))
    skew = _line_skew(gray)
    if skew is None:
        skew = float(np.median(angles)) if angles else 0.0
    return out, skew


def _line_skew(gray: Any) -> Optional[float]:
    """The skew of a page's long straight lines (table rules), in radians; None without such lines."""
    import cv2
    import numpy as np

    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    binary = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10)
    binary = cv2.dilate(binary, np.ones((3, 1), np.uint8))
    lines = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(30, w // 25), 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    angles, weights = [], []
    for k in range(1, count):
        x, y, bw, bh, _ = stats[k]
        if bw < w // 4 or bh > 0.1 * bw:
            continue
        m = cv2.moments((labels[y:y + bh, x:x + bw] == k).astype(np.uint8), binaryImage=True)
        angles.append(0.5 * math.atan2(2 * m["mu11"], m["mu20"] - m["mu02"]))
        weights.append(bw)
    if len(angles) < 2:
        return None
    order = sorted(range(len(angles)), key=lambda i: angles[i])
    half, acc = sum(weights) / 2, 0.0
    for i in order:  # the weighted median
        acc += weights[i]
        if acc >= half:
            return float(angles[i])
    return None


_SPECK = ".,·'`:;，。、"


def _trim_specks(chars: list[tuple[str, float]]) -> tuple[str, float]:
    """A box's text and its least sure character, without the dust OCR reads as a mark at
    either end of a number (``0.``, ``.4``).  Digits are never changed; a number from which
    a mark was left out is listed as uncertain all the same (see :func:`_uncertain_cells`)."""
    text = "".join(t for t, _ in chars)
    if re.fullmatch(r"[\d" + re.escape(_SPECK) + r"]+", text) and re.search(r"\d", text):
        while len(chars) > 1 and chars[0][0] in _SPECK:
            chars = chars[1:]
        while len(chars) > 1 and chars[-1][0] in _SPECK:
            chars = chars[:-1]
    return "".join(t for t, _ in chars), min(c for _, c in chars)


def _rotate(gray: Any, skew: float) -> tuple[Any, Any]:
    """The image turned back by ``skew`` and the matrix that maps original to new pixel positions."""
    import cv2
    import numpy as np

    h, w = gray.shape
    if abs(skew) < 0.0005:
        return gray, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), math.degrees(skew), 1.0)
    turned = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return turned, matrix


def _cluster(values: Sequence[float], tolerance: float) -> list[float]:
    """Sorted positions, those closer than ``tolerance`` merged into their mean."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tolerance:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


class _Grid:
    """A ruled table found on a page: grid lines, cells (merged slots) and their boxes."""

    def __init__(self, ys: list[float], xs: list[float], horizontal: Any, vertical: Any, px: float) -> None:
        self.ys, self.xs = ys, xs
        rows, cols = len(ys) - 1, len(xs) - 1
        parent = list(range(rows * cols))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        def union(a: int, b: int) -> None:
            parent[find(a)] = find(b)

        reach = max(2, int(round(1.5 * px)))

        def covered(mask: Any, fixed: float, lo: float, hi: float, along_x: bool) -> bool:
            a, b = int(lo + 0.2 * (hi - lo)), int(hi - 0.2 * (hi - lo))
            if b <= a:
                return True
            f = int(round(fixed))
            if along_x:  # a horizontal line at y=fixed between x=a..b
                band = mask[max(0, f - reach): f + reach + 1, a:b]
                return bool(band.size) and float((band.max(axis=0) > 0).mean()) >= 0.6
            band = mask[a:b, max(0, f - reach): f + reach + 1]
            return bool(band.size) and float((band.max(axis=1) > 0).mean()) >= 0.6

        for i in range(rows):
            for j in range(cols):
                if j + 1 < cols and not covered(vertical, xs[j + 1], ys[i], ys[i + 1], False):
                    union(i * cols + j, i * cols + j + 1)
                if i + 1 < rows and not covered(horizontal, ys[i + 1], xs[j], xs[j + 1], True):
                    union(i * cols + j, (i + 1) * cols + j)
        spans: dict[int, list[int]] = {}
        for i in range(rows):
            for j in range(cols):
                r = find(i * cols + j)
                s = spans.setdefault(r, [i, j, i, j])
                s[0], s[1], s[2], s[3] = min(s[0], i), min(s[1], j), max(s[2], i), max(s[3], j)
        self.slot = [[find(i * cols + j) for j in range(cols)] for i in range(rows)]
        self.cells = spans  # root → [row0, col0, row1, col1]
        self.x0, self.x1, self.top, self.bottom = xs[0], xs[-1], ys[0], ys[-1]

    def cell_at(self, x: float, y: float) -> Optional[int]:
        import bisect

        if not (self.x0 <= x <= self.x1 and self.top <= y <= self.bottom):
            return None
        i = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        j = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.slot[i][j]


def _find_grids(gray: Any, px: float) -> list[_Grid]:
    """Ruled tables on a (straightened) page.  ``px`` is pixels per point."""
    import cv2
    import numpy as np

    h, w = gray.shape
    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                   int(2 * round(6 * px) + 1), 12)
    long_h = max(20, int(40 * px))
    long_v = max(10, int(11 * px))
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_v)))
    # bridge the gaps noise and JPEG leave in a line
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(2 * px)), 1)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(2 * px)))))
    both = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids = []
    tol = max(3.0, 3 * px)
    for k in range(1, count):
        x, y, bw, bh, _area = stats[k]
        if bw < 0.25 * w or bh < 8 * px:
            continue
        region = labels[y:y + bh, x:x + bw] == k
        hmask = (horizontal[y:y + bh, x:x + bw] > 0) & region
        vmask = (vertical[y:y + bh, x:x + bw] > 0) & region
        hn, _, hstats, _ = cv2.connectedComponentsWithStats(hmask.astype(np.uint8), connectivity=8)
        vn, _, vstats, _ = cv2.connectedComponentsWithStats(vmask.astype(np.uint8), connectivity=8)
        ys = _cluster([y + s[1] + s[3] / 2 for s in hstats[1:] if s[2] >= 8 * px], tol)
        xs = _cluster([x + s[0] + s[2] / 2 for s in vstats[1:] if s[3] >= 8 * px], tol)
        if len(ys) < 2 or len(xs) < 2:
            continue
        full_h = np.zeros_like(horizontal)
        full_v = np.zeros_like(vertical)
        full_h[y:y + bh, x:x + bw][hmask] = 255
        full_v[y:y + bh, x:x + bw][vmask] = 255
        grids.append(_Grid(ys, xs, full_h, full_v, px))
    return grids


def _join(texts: Sequence[str]) -> str:
    out = ""
    for t in texts:
        if out and out[-1].isascii() and out[-1].isalnum() and t[:1].isascii() and t[:1].isalnum():
            out += " "
        out += t
    return out


def _cell_text(lines: Sequence[str]) -> str:
    """A table cell's text from its lines: a number wrapped in a narrow cell (``2323`` / ``6``)
    is one number again; other lines are joined as text."""
    out = ""
    for line in lines:
        if out and out[-1].isdigit() and line[:1].isdigit():
            out += line
        else:
            out = _join([out, line]) if out else line
    return _UNIT_GAP.sub("", out)


_UNIT_GAP = re.compile(r"(?<=\d)\s+(?=(?:万元|萬元|元|万|萬)$)")  # ``12.5 万元``: the unit set apart


def _lines_of(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes grouped into lines by their baselines, each line left to right."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        for line in lines:
            ref = line[-1]
            if abs(box.cy - sum(b.cy for b in line) / len(line)) <= 0.5 * max(box.height, ref.height):
                line.append(box)
                break
        else:
            lines.append([box])
    for line in lines:
        line.sort(key=lambda b: b.x0)
    lines.sort(key=lambda line: min(b.top for b in line))
    return lines


def _reread(turned: Any, g: _Grid, span: list[int], px: float, matrix: Any) -> Optional[_Box]:
    """A box for a table cell where detection found no text but the cell holds ink the size of
    a character (a lone ``0`` is easily missed): its text recognised from the cell alone."""
    import cv2
    import numpy as np

    r0, c0, r1, c1 = span
    margin = 2.0 * px
    x0, x1 = int(g.xs[c0] + margin), int(g.xs[c1 + 1] - margin)
    y0, y1 = int(g.ys[r0] + margin), int(g.ys[r1 + 1] - margin)
    if x1 - x0 < 3 * px or y1 - y0 < 3 * px:
        return None
    crop = turned[y0:y1, x0:x1]
    ink = cv2.dilate((crop < 128).astype(np.uint8), np.ones((3, 3), np.uint8))  # a thin glyph in one piece
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [s for s in stats[1:] if s[3] >= 3.0 * px and s[3] <= (y1 - y0) - 1 and s[2] <= (x1 - x0) - 1]
    if not marks:
        return None
    left = min(s[0] for s in marks)
    top = min(s[1] for s in marks)
    right = max(s[0] + s[2] for s in marks)
    bottom = max(s[1] + s[3] for s in marks)
    pad = max(4, int(0.4 * (bottom - top)))
    piece = np.full((bottom - top + 2 * pad, right - left + 2 * pad), 255, dtype=np.uint8)
    piece[pad:pad + bottom - top, pad:pad + right - left] = crop[top:bottom, left:right]
    result = _engine()(piece, use_det=False, use_cls=False, use_rec=True)
    texts = getattr(result, "txts", None)
    if not texts or not (is_value(clean_cell(texts[0])) or _NUMBERISH.fullmatch(clean_cell(texts[0]))):
        return None  # not a number: the cell is left as it was found, blank
    confidence = float(result.scores[0]) if getattr(result, "scores", None) else 0.0
    box = (x0 + left, y0 + top, x0 + right, y0 + bottom)
    back = cv2.invertAffineTransform(matrix)
    corners = np.array([[box[0], box[1], 1.0], [box[2], box[3], 1.0]]) @ back.T
    raw = (float(corners[:, 0].min()), float(corners[:, 1].min()), float(corners[:, 0].max()),
           float(corners[:, 1].max()))
    return _Box(clean_cell(texts[0]), float(box[0]), float(box[1]), float(box[2]), float(box[3]), confidence, raw)


def _page_items(image: Any, number: int, scale: float) -> tuple[list[Any], float, float, dict[int, list[_Box]]]:
    """The page's items (``pdf._Table`` and ``pdf._Line``, in points, top to bottom), its
    height and width in points, and the OCR boxes of each table cell (by ``id`` of the cell)."""
    import numpy as np

    from .pdf import _Line, _Table

    gray = np.asarray(image.convert("L"), dtype=np.uint8)
    found, skew = _ocr(gray)
    turned, matrix = _rotate(gray, skew)
    px = 1.0 / scale  # pixels per point
    boxes: list[_Box] = []
    for quad, text, conf, original in found:
        text = clean_cell(text)
        if not text:
            continue
        pts = np.hstack([quad, np.ones((4, 1))]) @ matrix.T
        raw = (float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max()))
        boxes.append(_Box(text, float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()),
                          float(pts[:, 1].max()), conf, raw, original))
    grids = _find_grids(turned, px) if boxes else []
    items: list[Any] = []
    cell_boxes: dict[int, list[_Box]] = {}
    rest = []
    in_grid: dict[int, dict[int, list[_Box]]] = {id(g): {} for g in grids}
    for box in boxes:
        for g in grids:
            cell = g.cell_at(box.cx, box.cy)
            if cell is not None:
                in_grid[id(g)].setdefault(cell, []).append(box)
                break
        else:
            rest.append(box)
    for g in grids:
        by_cell = in_grid[id(g)]
        for root, span in g.cells.items():
            if root not in by_cell:
                found_box = _reread(turned, g, span, px, matrix)
                if found_box is not None:
                    by_cell[root] = [found_box]
        rows_out: list[list[list[Any]]] = []
        boxes_out: list[list[tuple[float, float, float, float]]] = []
        starts: dict[int, list[tuple[int, int]]] = {}
        for root, (r0, c0, _r1, _c1) in g.cells.items():
            starts.setdefault(r0, []).append((c0, root))
        for r in range(len(g.ys) - 1):
            row: list[list[Any]] = []
            row_boxes = []
            for c0, root in sorted(starts.get(r, [])):
                r0, _, r1, c1 = g.cells[root]
                inside = by_cell.get(root, [])
                text = _cell_text([_join([b.text for b in line]) for line in _lines_of(inside)])
                entry: list[Any] = [c0, text]
                row.append(entry)
                cell_boxes[id(entry)] = inside
                row_boxes.append((g.xs[c0] * scale, g.ys[r0] * scale, g.xs[c1 + 1] * scale, g.ys[r1 + 1] * scale))
            rows_out.append(row)
            boxes_out.append(row_boxes)
        items.append(_Table(rows_out, boxes_out, (g.x0 * scale, g.top * scale, g.x1 * scale, g.bottom * scale), number))
    lines = _lines_of(rest)
    heights = sorted(max(b.height for b in line) for line in lines)
    body = heights[len(heights) // 2] if heights else 0.0
    for line in lines:
        text = ""
        for a, b in zip([None, *line], line):
            if a is not None and b.x0 - a.x1 > 1.5 * body and (is_value(a.text) or is_value(b.text)):
                text += " | " + b.text  # a table row without ruling lines: cells apart
            else:
                text = _join([text, b.text]) if text else b.text
        height = max(b.height for b in line)
        size = body if body and abs(height - body) <= 0.2 * body else height
        _line = _Line(text, min(b.top for b in line) * scale, max(b.bottom for b in line) * scale,
                      min(b.x0 for b in line) * scale, max(b.x1 for b in line) * scale, size * scale / 1.3, number)
        items.append(_line)
        numbers = [b for b in line if is_value(b.text)]
        if numbers:
            cell_boxes[id(_line)] = numbers
    items.sort(key=lambda item: item.top)
    h, w = gray.shape
    return items, h * scale, w * scale, cell_boxes


# --- documents -------------------------------------------------------------------------


_NUMBERISH = re.compile(r"[\d\s.,，。·'`:：()（）%元万-]*\d[\d\s.,，。·'`:：()（）%元万-]*")


#: a number as OCR should read it: digits, thousands separators, one decimal point inside
_CLEAN_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\d+(?:\.\d+)?(?:万元|元|万|%)")


def _uncertain_cells(boxes: list[_Box]) -> Optional[tuple[str, float, tuple[float, float, float, float]]]:
    sure = [b for b in boxes if is_value(b.text) or _NUMBERISH.fullmatch(b.text)]
    low = [b for b in sure if b.confidence < LOW_CONFIDENCE or b.read
           or (re.search(r"\d", b.text) and not _CLEAN_NUMBER.fullmatch(b.text))]
    if not low:
        return None
    bbox = (min(b.raw[0] for b in low), min(b.raw[1] for b in low), max(b.raw[2] for b in low),
            max(b.raw[3] for b in low))
    return " ".join(b.read or b.text for b in low), min(b.confidence for b in low), bbox


def _assemble(pages: list[list[Any]], heights: list[float], cell_boxes: dict[int, tuple[int, list[_Box]]]) -> OcrText:
    """Text from page items (the PDF adapter's layout rules), tracking where uncertain numbers land."""
    from .pdf import _as_grid, _drop_heads_and_feet, _join_tables, _Line, _narrative

    _drop_heads_and_feet(pages, heights)
    items = [item for page in pages for item in page]
    _join_tables(items)
    _join_cut_numbers(items, cell_boxes)
    items = _narrative(items)
    lines: list[str] = []
    uncertain: list[Uncertain] = []
    for item in items:
        if isinstance(item, _Line):
            entry = cell_boxes.get(id(item))
            if entry is not None:
                page, boxes = entry
                for box in boxes:
                    low = _uncertain_cells([box])
                    col = item.text.find(box.text)
                    if low is not None and col >= 0:
                        uncertain.append(Uncertain(page + 1, low[2], low[0], low[1], len(lines) + 1, col + 1))
            lines.append(item.text)
            continue
        out = table_lines(_as_grid(item.rows))
        first = len(lines)
        lines.extend(out)
        at = 0
        for row in item.rows:
            texts = [clean_cell(t) for _, t in row]
            lows = []
            for k, cell in enumerate(c for c in row if clean_cell(c[1])):
                entry = cell_boxes.get(id(cell))
                low = _uncertain_cells(entry[1]) if entry is not None else None
                if low is not None:
                    lows.append((k, entry[0] if entry is not None else 0, low))
            wanted = [t for t in texts if t]
            if not wanted:
                continue
            for n in range(at, len(out)):
                tokens = out[n].split(" | ")
                if [t for t in tokens if t != _blank()] == wanted:
                    at = n + 1
                    offsets, pos = [], 0
                    for t in tokens:
                        if t != _blank():
                            offsets.append(pos)
                        pos += len(t) + 3
                    for k, page, (read, conf, bbox) in lows:
                        uncertain.append(Uncertain(page + 1, bbox, read, conf, first + n + 1, offsets[k] + 1))
                    break
    return OcrText("\n".join(lines) + "\n", tuple(uncertain))


_DIGITS = re.compile(r"\d[\d,]*")


def _join_cut_numbers(items: list[Any], cell_boxes: dict[int, tuple[int, list[_Box]]]) -> None:
    """A table row cut by a page break (its cells' text wrapped over two pages): the rest
    printed at the head of the next page is joined to the row at the foot of the page
    before.  A number cut in two (``2323`` / ``7``) is joined digit to digit and listed as
    uncertain; a label fragment is appended to the label above it, or takes its place
    when that cell came out empty.  Only when every text of the new page's first row sits
    in the column of a cell open at the foot of the old page: digits under a number, text
    under a label or an empty cell (what the PDF adapter's own join leaves)."""
    from .pdf import _TOLERANCE, _open_cells, _Table

    for a, b in zip(items, items[1:]):
        if not (isinstance(a, _Table) and isinstance(b, _Table) and b.page == a.page + 1 and b.rows
                and abs(a.x0 - b.x0) <= 2 * _TOLERANCE and abs(a.x1 - b.x1) <= 2 * _TOLERANCE):
            continue
        if abs(min(box[1] for box in b.boxes[0]) - b.top) > _TOLERANCE:
            continue  # the first row was joined already (and dropped) by the PDF adapter
        openings = _open_cells(a)
        numbers_above = sum(1 for r, j, _ in openings if _DIGITS.fullmatch(clean_cell(a.rows[r][j][1])))
        numbers_below = sum(1 for cell in b.rows[0] if _DIGITS.fullmatch(clean_cell(cell[1])))
        if numbers_below and numbers_below >= numbers_above:
            continue  # a row of its own, every number printed: not the rest of a cut row
        pairs: list[tuple[list[Any], list[Any], bool]] = []
        for cell, box in zip(b.rows[0], b.boxes[0]):
            text = clean_cell(cell[1])
            if not text:
                continue
            above = [a.rows[r][j] for r, j, abox in openings
                     if abs(abox[0] - box[0]) <= 2 * _TOLERANCE and abs(abox[2] - box[2]) <= 2 * _TOLERANCE]
            upper = clean_cell(above[0][1]) if above else None
            if upper is not None and _DIGITS.fullmatch(text) and _DIGITS.fullmatch(upper):
                pairs.append((above[0], cell, True))
            elif upper is not None and not is_value(text) and (not upper or not is_value(upper)):
                pairs.append((above[0], cell, False))
            else:
                pairs = []
                break
        if not pairs:
            continue
        for upper_cell, lower, number in pairs:
            first, second = clean_cell(upper_cell[1]), clean_cell(lower[1])
            if not number:
                upper_cell[1] = _join([first, second]) if first else second
                continue
            page, boxes = cell_boxes.get(id(upper_cell), (a.page, []))
            _, more = cell_boxes.get(id(lower), (b.page, []))
            upper_cell[1] = first + second
            everything = boxes + more
            conf = min((x.confidence for x in everything), default=0.0)
            raw = more[0].raw if more else (boxes[0].raw if boxes else (0.0, 0.0, 0.0, 0.0))
            joined = _Box(upper_cell[1], 0.0, 0.0, 0.0, 0.0, conf, raw, f"{first} | {second} (cut by the page break)")
            cell_boxes[id(upper_cell)] = (b.page if more else page, [joined])
        del b.rows[0], b.boxes[0]


def _blank() -> str:
    from .grid import BLANK

    return BLANK


def _track(items: list[Any], number: int, boxes: dict[int, list[_Box]], into: dict[int, tuple[int, list[_Box]]]) -> None:
    for key, value in boxes.items():
        into[key] = (number, value)


def image_to_text(data: bytes) -> OcrText:
    """Report text from an image of a report page (PNG, JPEG, TIFF: every frame is a page)."""
    started = time.perf_counter()
    try:
        from PIL import Image, ImageOps, ImageSequence
    except ImportError:
        raise _missing("images of report pages") from None
    _engine()
    try:
        picture = Image.open(io.BytesIO(data))
        frames = [ImageOps.exif_transpose(f.copy()) for f in ImageSequence.Iterator(picture)]
    except Exception as exc:
        raise InputFormatError(f"the file could not be read as an image ({type(exc).__name__}: {exc})") from None
    pages: list[list[Any]] = []
    heights: list[float] = []
    cells: dict[int, tuple[int, list[_Box]]] = {}
    for number, frame in enumerate(frames):
        _starting(number + 1, len(frames))
        dpi = frame.info.get("dpi")
        scale = 72.0 / float(dpi[0]) if dpi and dpi[0] and float(dpi[0]) > 30 else _A4_WIDTH / frame.width
        items, height, _, boxes = _page_items(frame, number, scale)
        _track(items, number, boxes, cells)
        pages.append(items)
        heights.append(height)
    if not any(pages):
        raise InputFormatError("OCR found no text in the image")
    out = _assemble(pages, heights, cells)
    return attrs.evolve(out, pages=len(frames), ocr_pages=len(frames), seconds=time.perf_counter() - started)


def pdf_to_text(data: bytes, *, force: bool = False) -> OcrText:
    """Report text from a PDF: pages with a text layer read as by the PDF adapter, pages
    without one (scans) by OCR.  ``force`` OCRs every page that holds an image (for PDFs
    whose tables are pictures on pages that also have some text)."""
    from .pdf import _error, _import_pdfplumber, _read_page

    started = time.perf_counter()
    pdfplumber = _import_pdfplumber()
    try:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]
    except ImportError:
        raise _missing("scanned PDF pages (OCR)") from None
    _engine()
    pages: list[list[Any]] = []
    heights: list[float] = []
    cells: dict[int, tuple[int, list[_Box]]] = {}
    scanned = textless = 0
    any_images = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            document = pdfium.PdfDocument(data)
            try:
                for number, page in enumerate(pdf.pages):
                    items, n_chars, n_images = _read_page(page, number)
                    any_images = any_images or n_images > 0
                    textless += n_chars == 0
                    if n_chars == 0 or (force and n_images):
                        scanned += 1
                        _starting(number + 1, len(pdf.pages))
                        image = document[number].render(scale=DPI / 72.0, grayscale=True).to_pil()
                        items, _, _, boxes = _page_items(image, number, 72.0 / DPI)
                        _track(items, number, boxes, cells)
                    pages.append(items)
                    heights.append(float(page.height))
            finally:
                document.close()
    except InputFormatError:
        raise
    except Exception as exc:
        raise _error(exc) from None
    if not pages:
        raise InputFormatError("the PDF has no pages")
    out = _assemble(pages, heights, cells) if any(pages) else OcrText("")
    if not has_report_tables(out.text):
        if not force and any_images and scanned < len(pages):
            return pdf_to_text(data, force=True)
        if textless == len(pages):
            raise InputFormatError(
                f"the PDF has no text layer (its {len(pages)} page(s) are "
                + ("scanned images" if any_images else "empty")
                + ") and OCR found none of the report's tables in them"
            )
        raise InputFormatError(
            "the PDF's text holds none of the report's tables (no 申请人情况, 第二十条第（一）项 or 未经复议直接起诉) "
            "and OCR found none in its images either: the tables are probably pictures too faint, small or "
            "damaged to read"
        )
    return attrs.evolve(out, pages=len(pages), ocr_pages=scanned, seconds=time.perf_counter() - started)
