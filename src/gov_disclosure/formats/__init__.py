"""Input formats: each adapter turns a document into report text the normaliser reads.

Plain text needs nothing.  HTML, DOCX and PDF adapters (``html.py``, ``docx.py``,
``pdf.py``) write one table row per line with cells separated by `` | `` and the
narrative as plain lines, so the grammar and transformer are the same for every
format.  The format is detected from the content, not only from the file name.

Scanned pages (images, and PDF pages without a text layer) are read by OCR
(``ocr.py``, the ``[ocr]`` extra); legacy office documents (``.doc``, ``.wps``,
``.rtf``, ``.odt``) are converted to DOCX by LibreOffice (``office.py``).
"""

from __future__ import annotations

from typing import Callable, Optional, Union

from ..errors import InputFormatError
from .markup import markup_to_text
from .text import decode

__all__ = ["to_text", "to_text_notes", "sniff", "format_from_name", "FORMATS", "Note"]

FORMATS = ("text", "html", "docx", "pdf", "image", "doc", "rtf", "odt")

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def _is_image(data: bytes) -> bool:
    """PNG, JPEG, TIFF, WebP, or a BMP whose header gives the file's length."""
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return True
    return data[:2] == b"BM" and len(data) > 26 and int.from_bytes(data[2:6], "little") == len(data)


def sniff(data: Union[str, bytes]) -> str:
    """Guess the format of ``data`` from its content.

    HTML is a text that *starts* with markup (``<!doctype``, ``<html>``, ``<div>`` …,
    however deeply nested) or declares itself (``<html``, ``<body``, ``<!doctype
    html`` near the top).  A text with a ``<table>`` further down (pandoc's markdown
    keeps merged tables as HTML) is text: its tables are read where they are
    (:mod:`gov_disclosure.formats.markup`), so :func:`parse` on the text and
    :func:`parse_file` on the file agree.
    """
    if isinstance(data, bytes):
        if data.startswith(b"%PDF"):
            return "pdf"
        if _is_image(data):
            return "image"
        from .office import office_kind

        office = office_kind(data)
        if office is not None:
            return office
        if data.startswith(b"PK\x03\x04"):
            return "docx"
        head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    else:
        head = data[:2048].lstrip("\ufeff \t\r\n").lower().encode("utf-8", "ignore")
    if head.startswith(b"<") and not head.startswith((b"<table", b"<tr")):
        return "html"
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head:
        return "html"
    if head.startswith((b"<table", b"<tr")) and b"\n|" not in head:
        return "html"
    return "text"


def format_from_name(name: str, data: bytes) -> str:
    """The format of a file: from its content, with the extension as a tie-breaker."""
    sniffed = sniff(data)
    if sniffed != "text":
        return sniffed
    lower = name.lower()
    if lower.endswith((".htm", ".html", ".xhtml")):
        return "html"
    return "text"


#: A caveat an adapter attaches to a place in the text it returns:
#: ``(line, column, code, message)`` (e.g. a number OCR read with low confidence).
Note = tuple[int, int, str, str]


def to_text(data: Union[str, bytes], format: str = "auto") -> str:
    """Report text from ``data`` in ``format`` (``"auto"`` detects it)."""
    return to_text_notes(data, format)[0]


def to_text_notes(data: Union[str, bytes], format: str = "auto") -> tuple[str, tuple[Note, ...]]:
    """Like :func:`to_text`, with the adapter's caveats about places in the text
    (OCR's low-confidence numbers), which the reader turns into issues at the cells
    printed there."""
    read: list[object] = []
    text = _to_text(data, format, read)
    notes: list[Note] = []
    for ocr in read:
        for u in getattr(ocr, "uncertain", ()):
            bbox = ", ".join(f"{v:.0f}" for v in u.bbox)
            notes.append(
                (u.line, u.column, "value.low_confidence",
                 f"OCR read {u.text!r} on page {u.page} at ({bbox}) with confidence {u.confidence:.2f}: check it")
            )
    return text, tuple(notes)


def _to_text(data: Union[str, bytes], format: str, read: list[object]) -> str:
    if format == "auto":
        format = sniff(data)
    if format not in FORMATS:
        raise InputFormatError(f"unknown format {format!r}; use one of {', '.join(FORMATS)} or 'auto'")
    if format == "text":
        return markup_to_text(decode(data) if isinstance(data, bytes) else data)
    if format == "html":
        from .html import html_to_text

        return html_to_text(data)  # bytes: decoded there, honouring <meta charset>
    if isinstance(data, str):
        raise InputFormatError(
            f"{format.upper()} input must be bytes (the file's content), not str: open the file in binary "
            "mode, or use parse_file(path)"
        )
    if format == "docx":
        from .docx import docx_to_text

        return docx_to_text(data)
    if format == "image":
        from .ocr import image_to_text

        result = image_to_text(data)
        read.append(result)
        return result.text
    if format in ("doc", "rtf", "odt"):
        from .office import office_to_text

        return office_to_text(data, format)
    from .pdf import pdf_to_text

    return pdf_to_text(data, ocr=_ocr_reader(read))


def _ocr_reader(read: list[object]) -> Optional[Callable[[bytes, bool], str]]:
    """The OCR reader for scanned PDF pages, when the ``[ocr]`` extra is installed;
    what it read (with its uncertain numbers) is appended to ``read``."""
    from .ocr import available

    if not available():
        return None
    from .ocr import pdf_to_text as ocr_pdf_to_text

    def reader(data: bytes, force: bool) -> str:
        result = ocr_pdf_to_text(data, force=force)
        read.append(result)
        return result.text

    return reader
