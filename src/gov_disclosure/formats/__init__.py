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

__all__ = ["to_text", "sniff", "format_from_name", "FORMATS"]

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


def to_text(data: Union[str, bytes], format: str = "auto") -> str:
    """Report text from ``data`` in ``format`` (``"auto"`` detects it)."""
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

        return image_to_text(data).text
    if format in ("doc", "rtf", "odt"):
        from .office import office_to_text

        return office_to_text(data, format)
    from .pdf import pdf_to_text

    return pdf_to_text(data, ocr=_ocr_reader())


def _ocr_reader() -> Optional[Callable[[bytes, bool], str]]:
    """The OCR reader for scanned PDF pages, when the ``[ocr]`` extra is installed."""
    from .ocr import available

    if not available():
        return None
    from .ocr import pdf_to_text as ocr_pdf_to_text

    return lambda data, force: ocr_pdf_to_text(data, force=force).text
