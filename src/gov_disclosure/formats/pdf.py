"""PDF adapter: a report PDF with a text layer → report text (the ``[pdf]`` extra, pdfplumber).

Each page is read as a sequence of items from top to bottom: *tables* found by
pdfplumber from the ruling lines (cell text from the characters inside each
cell; merged cells come out once, as in the PDF), and *text lines* for
everything outside them.  Tables become one line per row with cells joined by
`` | `` (:func:`gov_disclosure.formats.grid.table_lines`); text lines stay lines.
A table drawn without ruling lines is not found as a table: its rows come
through as text lines (``label 3001 53 0 …``), which the normaliser reads too.

Layout the adapter undoes, without knowing the template's labels:

* **page headers and footers**: page numbers (``- 5 -``, ``第 5 页``, ``5/6``,
  ``Page 5``, a bare ``5`` in the margin) and running heads/feet repeated on
  most pages are dropped;
* **tables split across pages**: when a page starts with a table that continues
  the previous page's last table (same left and right edges), header rows printed
  again are dropped, and a merged label cell cut by the page break
  (``（四）无`` | ``法提供``) is joined again: a label fragment at the top of the
  new page that sits in the same column as a label cell still open at the bottom
  of the old page, and that neither starts with an ordinal (``（五）``, ``2.``,
  ``四、``) nor is the row's own label, is appended to it;
* **wrapped text**: the title printed over several lines in a large font is one
  line again, and body lines that run to the right margin are joined with the
  next (so a sentence such as the 统计期限 is not cut).

Errors (:class:`~gov_disclosure.errors.InputFormatError`): the file is not a PDF
or is damaged, it is encrypted with a password, it has no text layer (a scan),
its fonts have no Unicode mapping, or its text holds no table of the report
while its pages hold images (the tables are pictures).  The adapter never
guesses numbers from a page it cannot read: pages without a text layer (scans),
and PDFs whose tables are pictures, are read by OCR when the ``[ocr]`` extra is
installed (:mod:`gov_disclosure.formats.ocr`); without it the error names the extra.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections import Counter
from typing import Any, Callable, Iterator, Optional

from .. import limits
from .._normalize import is_page_number, to_simplified
from ..errors import InputFormatError, MissingExtraError
from .grid import GridRow, clean_cell, drop_repeated_header, has_report_tables, is_value, table_lines

__all__ = ["pdf_to_text"]

_OCR_HINT = " (this library does it with the OCR extra: pip install 'gov-disclosure[ocr]')"


#: Reads a PDF by OCR: ``ocr(data, force)`` → report text.  The dispatcher
#: (:func:`gov_disclosure.formats.to_text`) passes it when the ``[ocr]`` extra is
#: installed, so this module never imports the OCR adapter (which builds on it).
OcrReader = Callable[[bytes, bool], str]


def _is_page_number(text: str) -> bool:
    return is_page_number(to_simplified(text))


_BARE_NUMBER = re.compile(r"\d{1,4}")
_ORDINAL = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}\s*[.、．)）])")
_MARGIN = 0.1  # share of the page height at the top and bottom where heads and feet live
_TOLERANCE = 3.0  # points: cell edges that differ less are the same column


def _import_pdfplumber() -> Any:
    try:
        import pdfplumber
    except ImportError:
        raise MissingExtraError("pdf", "pdfplumber", "PDF files") from None
    return pdfplumber


class _Line:
    __slots__ = ("text", "top", "bottom", "x0", "x1", "size", "page")

    def __init__(self, text: str, top: float, bottom: float, x0: float, x1: float, size: float, page: int) -> None:
        self.text, self.top, self.bottom, self.x0, self.x1, self.size, self.page = text, top, bottom, x0, x1, size, page


class _Table:
    """A table found on one page: grid rows and each cell's box."""

    __slots__ = ("rows", "boxes", "top", "bottom", "x0", "x1", "page")

    def __init__(self, rows: list[list[list[Any]]], boxes: list[list[tuple[float, float, float, float]]],
                 bbox: tuple[float, float, float, float], page: int) -> None:
        self.rows = rows  # [[col, text], …] per row (lists, so a fragment can be joined in place)
        self.boxes = boxes  # the (x0, top, x1, bottom) of each cell, parallel to ``rows``
        self.x0, self.top, self.x1, self.bottom = bbox
        self.page = page


def _error(exc: BaseException) -> InputFormatError:
    """A clear error for an exception raised inside pdfplumber/pdfminer."""
    detail = f"{exc!r} {exc.args!r}"
    if "Password" in detail or "Encrypt" in detail or "encrypt" in detail:
        return InputFormatError(
            "the PDF is encrypted with a password and cannot be read; open it with the password "
            "and save an unprotected copy first"
        )
    return InputFormatError(
        f"the file could not be read as a PDF ({type(exc).__name__}: {exc}); it may be damaged or incomplete"
    )


def _read_page(page: Any, number: int) -> tuple[list[Any], int, int]:
    """A page's items (tables and text lines, top to bottom), its character count and image count."""
    chars = page.chars
    images = len(page.images)
    if not chars:
        return [], 0, images
    tables: list[_Table] = []
    for found in page.find_tables():
        texts = found.extract()
        if not texts or max(len(r) for r in texts) < 2:
            continue  # a one-column frame around text: read its lines as text
        rows, boxes = [], []
        for row, cells in zip(texts, found.rows):
            grid: list[list[Any]] = []
            row_boxes = []
            for col, (text, box) in enumerate(zip(row, cells.cells)):
                if box is None:
                    continue  # a grid slot covered by a merged cell
                grid.append([col, text or ""])
                row_boxes.append(box)
            rows.append(grid)
            boxes.append(row_boxes)
        tables.append(_Table(rows, boxes, found.bbox, number))

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom for t in tables)

    rest = page.filter(outside) if tables else page
    items: list[Any] = list(tables)
    for line in rest.extract_text_lines(return_chars=True):
        text = clean_cell(line["text"])
        if not text:
            continue
        sizes = Counter(round(c.get("size", 0.0), 1) for c in line["chars"])
        size = sizes.most_common(1)[0][0] if sizes else 0.0
        items.append(_Line(text, line["top"], line["bottom"], line["x0"], line["x1"], size, number))
    items.sort(key=lambda item: item.top)
    return items, len(chars), images


def _drop_heads_and_feet(pages: list[list[Any]], heights: list[float]) -> None:
    """Remove page numbers and running heads/feet (in place)."""

    def margin_lines(items: list[Any], height: float) -> list[_Line]:
        out = []
        for item in items[:2] + items[-2:]:
            in_margin = isinstance(item, _Line) and (item.bottom < height * _MARGIN or item.top > height * (1 - _MARGIN))
            if in_margin and item not in out:
                out.append(item)
        return out

    repeated: Counter[str] = Counter()
    for items, height in zip(pages, heights):
        repeated.update({re.sub(r"\d+", "#", line.text) for line in margin_lines(items, height)})
    pages_with_text = sum(1 for items in pages if items)
    for items, height in zip(pages, heights):
        for line in margin_lines(items, height):
            key = re.sub(r"\d+", "#", line.text)
            if (
                _is_page_number(line.text)
                or _BARE_NUMBER.fullmatch(line.text)
                or (pages_with_text >= 2 and repeated[key] >= max(2, (pages_with_text + 1) // 2))
            ):
                items.remove(line)
        # a page number printed inside the text area on a line of its own
        items[:] = [i for i in items if not (isinstance(i, _Line) and _is_page_number(i.text))]


def _open_cells(table: _Table) -> list[tuple[int, int, tuple[float, float, float, float]]]:
    """``(row, index, box)`` of the cells that reach the table's bottom edge."""
    bottom = max(box[3] for row in table.boxes for box in row)
    return [
        (r, i, box)
        for r, row in enumerate(table.boxes)
        for i, box in enumerate(row)
        if abs(box[3] - bottom) <= _TOLERANCE
    ]


def _as_grid(rows: list[list[list[Any]]]) -> list[GridRow]:
    return [[(col, text) for col, text in row] for row in rows]


def _continue_table(a: _Table, b: _Table) -> None:
    """``b`` continues ``a`` on the next page: drop repeated header rows and join cut labels."""
    kept = drop_repeated_header(_as_grid(a.rows), _as_grid(b.rows))
    cut = len(b.rows) - len(kept)
    del b.rows[:cut], b.boxes[:cut]
    if not b.rows:
        return
    first, first_boxes = b.rows[0], b.boxes[0]
    texts = [clean_cell(t) for _, t in first]
    numbers = [i for i, t in enumerate(texts) if t and is_value(t)]
    labels = [i for i, t in enumerate(texts) if t and not is_value(t)]
    if numbers:  # the row's own label is its last text cell before the numbers
        own = [i for i in labels if i < numbers[0]]
        candidates = [i for i in labels if i < numbers[0] and i != (own[-1] if own else None)]
    else:
        candidates = labels
    openings = _open_cells(a)
    for i in candidates:
        if _ORDINAL.match(texts[i]):
            continue
        box = first_boxes[i]
        for r, j, abox in openings:
            if abs(abox[0] - box[0]) <= _TOLERANCE and abs(abox[2] - box[2]) <= _TOLERANCE:
                above = clean_cell(a.rows[r][j][1])
                if above and not is_value(above):
                    a.rows[r][j][1] = above + " " + texts[i]
                    first[i][1] = ""
                break
    if not any(clean_cell(t) for _, t in first):
        del b.rows[0], b.boxes[0]


def _join_tables(items: list[Any]) -> None:
    """Join each table that starts a page with the table that ended the page before."""
    for k in range(1, len(items)):
        a, b = items[k - 1], items[k]
        if (
            isinstance(a, _Table)
            and isinstance(b, _Table)
            and b.page == a.page + 1
            and abs(a.x0 - b.x0) <= 2 * _TOLERANCE
            and abs(a.x1 - b.x1) <= 2 * _TOLERANCE
        ):
            _continue_table(a, b)


def _narrative(items: list[Any]) -> list[Any]:
    """Join the title's lines, and body lines that run on to the next line."""
    lines = [i for i in items if isinstance(i, _Line)]
    if not lines:
        return items
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    body = weights.most_common(1)[0][0]
    body_lines = [line for line in lines if abs(line.size - body) <= 0.6]
    left = min(line.x0 for line in body_lines)
    right = max(line.x1 for line in body_lines)
    out: list[Any] = []
    title_open = True
    for item in items:
        previous = out[-1] if out else None
        if not isinstance(item, _Line):
            title_open = False
            out.append(item)
            continue
        large = item.size >= body * 1.15
        if title_open and large and isinstance(previous, _Line) and previous.size >= body * 1.15:
            previous.text += item.text  # the title, wrapped over several lines
            continue
        if not large:
            title_open = False
        if (
            isinstance(previous, _Line)
            and abs(previous.size - body) <= 0.6
            and abs(item.size - body) <= 0.6
            and previous.x1 >= right - 1.5 * body
            and item.x0 <= left + 0.5 * body
            and not previous.text[-1].isdigit()
            and not _ORDINAL.match(item.text)
        ):
            sep = " " if previous.text[-1].isascii() and item.text[0].isascii() else ""
            previous.text += sep + item.text
            previous.x1 = item.x1
            previous.x0 = min(previous.x0, item.x0) if previous.page == item.page else previous.x0
            previous.page = item.page
            continue
        out.append(item)
    return out


@contextlib.contextmanager
def _pdfminer_log() -> Iterator[list[str]]:
    """pdfminer's log messages while a PDF is read, kept here instead of printed: the
    library never writes to stderr, and a "Data-loss while decompressing" means digits
    may be missing from the page, which the caller refuses."""
    records: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("pdfminer")
    handler = _Keep(logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def pdf_to_text(data: bytes, ocr: Optional[OcrReader] = None) -> str:
    """Report text from the bytes of a PDF file with a text layer.

    With ``ocr`` (see :data:`OcrReader`), pages without a text layer, or a text
    layer without the report's tables, are read by OCR instead of refused."""
    pdfplumber = _import_pdfplumber()
    limits.check_pdf(data)  # pages and unpacked streams, before anything is unpacked for real
    try:
        with _pdfminer_log() as log, pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_pdf_pages(len(pdf.pages))
            pages, heights, chars, images, scans = [], [], 0, 0, 0
            for number, page in enumerate(pdf.pages):
                items, n_chars, n_images = _read_page(page, number)
                scans += n_chars == 0 and n_images > 0
                pages.append(items)
                heights.append(float(page.height))
                chars += n_chars
                images += n_images
            lost = [m for m in log if "data-loss" in m.lower() or "corrupt" in m.lower()]
            if lost:
                raise InputFormatError(
                    f"the PDF is damaged: {lost[0].rstrip('.')} (a content stream lost data while it was "
                    "unpacked), so the numbers on its pages cannot be trusted; get an undamaged copy"
                )
    except InputFormatError:  # LimitError too
        raise
    except Exception as exc:  # pdfminer's syntax, password and decoding errors
        raise _error(exc) from None
    if not pages:
        raise InputFormatError("the PDF has no pages")
    if scans and ocr is not None:
        return ocr(data, False)
    if chars == 0:
        raise InputFormatError(
            f"the PDF has no text layer (its {len(pages)} page(s) are "
            + ("scanned images" if images else "empty")
            + "); run OCR on it first, then parse the text"
            + (_OCR_HINT if images else "")
        )
    _drop_heads_and_feet(pages, heights)
    items = [item for page in pages for item in page]
    _join_tables(items)
    items = _narrative(items)
    lines: list[str] = []
    for item in items:
        if isinstance(item, _Line):
            lines.append(item.text)
        else:
            lines.extend(table_lines(_as_grid(item.rows)))
    text = "\n".join(lines) + "\n"
    if text.count("(cid:") > 20:
        raise InputFormatError(
            "the PDF's fonts have no Unicode mapping, so its text cannot be extracted "
            "(it shows as '(cid:…)'); run OCR on it first"
        )
    if not has_report_tables(text) and images:
        if ocr is not None:
            return ocr(data, True)
        raise InputFormatError(
            "the PDF's text holds none of the report's tables (no 申请人情况, 第二十条第（一）项 "
            f"or 未经复议直接起诉) but its pages hold {images} image(s): the tables are probably "
            "pictures; run OCR on them first" + _OCR_HINT
        )
    return text
