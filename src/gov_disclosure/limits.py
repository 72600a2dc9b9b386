"""Resource limits: what :func:`~gov_disclosure.parse` refuses to read.

An annual report is a few pages: a few hundred lines of text, three tables of a
few hundred cells.  Input far beyond that is a damaged file or a decompression
bomb (a 189 KB DOCX holding 100 MB of empty paragraphs, a PDF stream that
unpacks to 500 MB, an HTML cell with ``rowspan=10000 colspan=1000``), and
reading it would take minutes and gigabytes.  Such input is refused, before the
expensive work starts, with a :class:`LimitError` (an
:class:`~gov_disclosure.errors.InputFormatError`, code ``input.too_large``)
whose message names the limit, the measured value and how to raise it.

=======================  ==========  ==============================================
limit                    default     measured on
=======================  ==========  ==============================================
``input_bytes``          50 MB       the bytes given to ``parse`` / the file size
                                     (``parse_file`` checks ``os.stat`` first and
                                     never reads a larger file)
``text_chars``           2 000 000   the text read (as given, or the text an HTML,
                                     DOCX or PDF document gives)
``cells``                200 000     the cells the text is cut into
``docx_unpacked_bytes``  50 MB       the sum of a DOCX's unpacked parts (read from
                                     the zip directory, then counted while
                                     unpacking, so a lying directory is caught)
``docx_parts``           2 000       the parts (zip members) of a DOCX
``docx_paragraphs``      50 000      ``<w:p>`` elements of a DOCX (the paragraphs in
                                     table cells included)
``docx_xml_elements``    2 000 000   XML elements in a DOCX's parts
``pdf_pages``            100         the pages of a PDF
``pdf_unpacked_bytes``   100 MB      the sum of a PDF's unpacked (Flate) streams
``grid_cells``           200 000     the grid slots of one table (HTML or DOCX):
                                     the sum of ``rowspan × colspan`` (``gridSpan``)
                                     over its cells, ``rowspan`` clamped to the rows
                                     left and ``colspan`` to 1000, as browsers do
``table_cells``          100 000     the table cells (``<td>``/``<th>``, ``<w:tc>``)
                                     of one document
``nesting``              500         element nesting depth of an HTML page
=======================  ==========  ==============================================

Every limit can be raised or switched off (``None``):

>>> from gov_disclosure import limits
>>> with limits.override(pdf_pages=500):      # doctest: +SKIP
...     report = gov_disclosure.parse_file("long.pdf")   # for this block (this thread or task)
>>> limits.set_default(input_bytes=None)      # doctest: +SKIP
>>> limits.set_default(limits.DEFAULT)        # doctest: +SKIP

:func:`override` uses a :class:`contextvars.ContextVar`, so it holds in the
current thread or asyncio task only; :func:`set_default` changes the process-wide
default (worker processes started with ``spawn`` do not inherit it).

The ``check_*`` functions are pure: each measures one thing and raises
:class:`LimitError` when it is over the current limit; the input adapters call
them (see :mod:`gov_disclosure.formats`).
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import re
import zipfile
import zlib
from typing import Any, Iterator, Optional, Union

import attrs
from attrs import frozen

from .errors import InputFormatError

__all__ = [
    "Limits",
    "LimitError",
    "DEFAULT",
    "current",
    "set_default",
    "override",
    "check_bytes",
    "check_file_size",
    "check_text",
    "check_cells",
    "check_docx",
    "check_pdf",
    "check_pdf_pages",
    "check_pdf_unpacked",
    "check_grid_cells",
    "check_table_cells",
    "check_nesting",
]

MB = 1024 * 1024

Limit = Optional[int]


def _limit(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError(f"limit {attribute.name} must be a non-negative int or None, not {value!r}")


@frozen(kw_only=True)
class Limits:
    """The limits :func:`~gov_disclosure.parse` enforces (``None``: no limit).

    See the module documentation for what each one measures.
    """

    input_bytes: Limit = attrs.field(default=50 * MB, validator=_limit)
    text_chars: Limit = attrs.field(default=2_000_000, validator=_limit)
    cells: Limit = attrs.field(default=200_000, validator=_limit)
    docx_unpacked_bytes: Limit = attrs.field(default=50 * MB, validator=_limit)
    docx_parts: Limit = attrs.field(default=2_000, validator=_limit)
    docx_paragraphs: Limit = attrs.field(default=50_000, validator=_limit)
    docx_xml_elements: Limit = attrs.field(default=2_000_000, validator=_limit)
    pdf_pages: Limit = attrs.field(default=100, validator=_limit)
    pdf_unpacked_bytes: Limit = attrs.field(default=100 * MB, validator=_limit)
    grid_cells: Limit = attrs.field(default=200_000, validator=_limit)
    table_cells: Limit = attrs.field(default=100_000, validator=_limit)
    nesting: Limit = attrs.field(default=500, validator=_limit)

    @classmethod
    def unlimited(cls) -> "Limits":
        """Limits that are all off (for measurements; never for untrusted input)."""
        return cls(**{a.name: None for a in attrs.fields(cls)})


#: The built-in defaults (the table in the module documentation).
DEFAULT = Limits()

_default: Limits = DEFAULT
_override: contextvars.ContextVar[Optional[Limits]] = contextvars.ContextVar("gov_disclosure_limits", default=None)


def current() -> Limits:
    """The limits in force: an :func:`override` around the call, else the process default."""
    return _override.get() or _default


def set_default(limits: Optional[Limits] = None, **changes: Limit) -> Limits:
    """Set the process-wide limits: ``set_default(pdf_pages=500)`` changes one limit
    (``None`` switches it off), ``set_default(Limits(...))`` replaces them all,
    ``set_default(DEFAULT)`` restores the built-in ones.  Returns the previous limits."""
    global _default
    previous = _default
    _default = attrs.evolve(limits if limits is not None else _default, **changes)
    return previous


@contextlib.contextmanager
def override(limits: Optional[Limits] = None, **changes: Limit) -> Iterator[Limits]:
    """Change limits for the ``with`` block (this thread or task only):
    ``with override(text_chars=10_000_000): ...``; ``None`` switches a limit off."""
    new = attrs.evolve(limits if limits is not None else current(), **changes)
    token = _override.set(new)
    try:
        yield new
    finally:
        _override.reset(token)


# --- the error ------------------------------------------------------------------------------


def _size(n: int, unit: str) -> str:
    if unit == "bytes":
        if n >= MB:
            return f"{n / MB:.1f} MB"
        if n >= 1024:
            return f"{n / 1024:.1f} KB"
        return f"{n} bytes"
    return f"{n:,} {unit}"


class LimitError(InputFormatError):
    """The input is over one of the :class:`Limits` (a damaged file or a decompression bomb).

    ``limit`` is the name of the limit (a :class:`Limits` field), ``value`` the
    measured value (or a lower bound of it: measuring stops at the limit),
    ``maximum`` the limit.
    """

    default_message = "the input is larger than a report can be"
    default_code = "input.too_large"

    def __init__(self, limit: str, value: int, maximum: int, what: str, unit: str = "") -> None:
        self.limit = limit
        self.value = value
        self.maximum = maximum
        self.what = what
        self.unit = unit
        over = "over" if value > maximum else "at least"
        super().__init__(
            f"{what}: {_size(value, unit)} ({over} the limit of {_size(maximum, unit)}, {limit}); "
            f"a report is a few pages, so this is refused as damaged or a decompression bomb. "
            f"If the document is genuine, raise the limit: "
            f"with gov_disclosure.limits.override({limit}={_suggest(value, maximum)}): ... "
            f"(or limits.set_default({limit}=None) to switch it off)",
            code="input.too_large",
        )

    def __reduce__(self) -> tuple[Any, ...]:  # picklable (batch workers send errors back)
        return type(self), (self.limit, self.value, self.maximum, self.what, self.unit), self.__dict__.copy()


def _suggest(value: int, maximum: int) -> int:
    return max(value, maximum) * 2


def _check(name: str, value: int, what: str, unit: str = "", limits: Optional[Limits] = None) -> None:
    maximum: Limit = getattr(limits or current(), name)
    if maximum is not None and value > maximum:
        raise LimitError(name, value, maximum, what, unit)


def _maximum(name: str, limits: Optional[Limits] = None) -> Limit:
    value: Limit = getattr(limits or current(), name)
    return value


# --- input and text -----------------------------------------------------------------------


def check_bytes(data: Union[bytes, int], limits: Optional[Limits] = None) -> None:
    """Refuse input bytes (or a size in bytes) over ``input_bytes``."""
    n = data if isinstance(data, int) else len(data)
    _check("input_bytes", n, "the input is too large", "bytes", limits)


def check_file_size(size: int, limits: Optional[Limits] = None) -> None:
    """Refuse a file of ``size`` bytes (from ``os.stat``) over ``input_bytes``, before reading it."""
    _check("input_bytes", size, "the file is too large", "bytes", limits)


def check_text(text: str, limits: Optional[Limits] = None) -> None:
    """Refuse a text over ``text_chars`` characters (before it is normalised and cut)."""
    _check("text_chars", len(text), "the report text is too long", "characters", limits)


def check_cells(n: int, limits: Optional[Limits] = None) -> None:
    """Refuse a text cut into more than ``cells`` cells (call it while cutting, with the count so far)."""
    _check("cells", n, "the text holds too many cells", "cells", limits)


# --- tables (HTML, DOCX) -----------------------------------------------------------------------------------


def check_grid_cells(n: int, limits: Optional[Limits] = None) -> None:
    """Refuse a table whose grid (the sum of ``rowspan × colspan`` over its cells) is over ``grid_cells``."""
    _check("grid_cells", n, "a table's grid is too large (rowspan × colspan)", "grid cells", limits)


def check_table_cells(n: int, limits: Optional[Limits] = None) -> None:
    """Refuse a document with more than ``table_cells`` table cells (``<td>``/``<th>``, ``<w:tc>``)."""
    _check("table_cells", n, "the document has too many table cells", "cells", limits)


def check_nesting(depth: int, limits: Optional[Limits] = None) -> None:
    """Refuse a document whose elements nest deeper than ``nesting``."""
    _check("nesting", depth, "the document's elements are nested too deeply", "levels", limits)


# --- DOCX -----------------------------------------------------------------------------------

_CHUNK = 1 << 20
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")


def check_docx(data: bytes, limits: Optional[Limits] = None) -> None:
    """Refuse a DOCX (zip) over ``docx_parts``, ``docx_unpacked_bytes``,
    ``docx_paragraphs`` or ``docx_xml_elements``, without unpacking more than the limit.

    The sizes in the zip's directory are checked first (no decompression); then
    every part is unpacked in 1 MB pieces that are counted and dropped, so a
    directory that lies about the sizes is caught at the limit too.  Paragraphs
    and elements are counted in the XML parts the same way.  Bytes that are not
    a zip pass (python-docx reports them).
    """
    lim = limits or current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    _check("docx_parts", len(infos), "the Word document has too many parts", "parts", lim)
    _check("docx_unpacked_bytes", sum(i.file_size for i in infos),
           "the Word document unpacks to too many bytes", "bytes", lim)
    budget = lim.docx_unpacked_bytes
    total = paragraphs = elements = 0
    for info in infos:
        xml = info.filename.endswith((".xml", ".rels"))
        tail = b""
        try:
            with archive.open(info) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if not chunk:
                        break
                    total += len(chunk)
                    if budget is not None and total > budget:
                        raise LimitError("docx_unpacked_bytes", total, budget,
                                         "the Word document unpacks to too many bytes (its zip directory "
                                         "understates the sizes)", "bytes")
                    if xml:
                        piece = tail + chunk  # a match across the chunk boundary is counted once:
                        paragraphs += len(_PARAGRAPH.findall(piece)) - len(_PARAGRAPH.findall(tail))
                        elements += chunk.count(b"<") - (piece.count(b"</") - tail.count(b"</"))
                        tail = piece[-5:]
                        _check("docx_paragraphs", paragraphs, "the Word document has too many paragraphs",
                               "paragraphs", lim)
                        _check("docx_xml_elements", elements, "the Word document has too many XML elements",
                               "elements", lim)
        except LimitError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error,
                NotImplementedError, RuntimeError):
            return  # a damaged or encrypted part: python-docx reports it


# --- PDF ------------------------------------------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n")
_DICT_BEFORE = 600
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z])")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")


def check_pdf_pages(n: int, limits: Optional[Limits] = None) -> None:
    """Refuse a PDF of more than ``pdf_pages`` pages (call it with ``len(pdf.pages)``
    before reading any page)."""
    _check("pdf_pages", n, "the PDF has too many pages", "pages", limits)


def check_pdf_unpacked(n: int, limits: Optional[Limits] = None) -> None:
    """Refuse a PDF whose streams unpack to more than ``pdf_unpacked_bytes``."""
    _check("pdf_unpacked_bytes", n, "the PDF's streams unpack to too many bytes", "bytes", limits)


def check_pdf(data: bytes, limits: Optional[Limits] = None) -> None:
    """Refuse a PDF over ``pdf_pages`` or ``pdf_unpacked_bytes`` from its raw bytes,
    before a PDF library opens it.

    Pages are counted from the ``/Type /Page`` objects (also those packed in
    object streams); each Flate stream is unpacked in 1 MB pieces that are counted
    and dropped, stopping at the limit, so the check takes bounded memory and at
    most the time to inflate ``pdf_unpacked_bytes``.  Damaged streams are skipped
    (the PDF library reports them).  The count is an estimate for odd files (an
    incremental update repeats changed pages): :func:`check_pdf_pages` with the
    library's page count is the exact check.
    """
    lim = limits or current()
    pages = len(_PAGE.findall(data))
    budget = lim.pdf_unpacked_bytes
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - _DICT_BEFORE) : m.start()]
        start = head.rfind(b"<<")
        head = head[start:] if start >= 0 else head
        if not _FLATE.search(head):
            continue
        objstm = _OBJSTM.search(head) is not None
        inflater = zlib.decompressobj()
        pos = m.end()
        piece_in = data[pos : pos + _CHUNK]
        try:
            while piece_in:
                out = inflater.decompress(piece_in, _CHUNK)
                while True:
                    total += len(out)
                    if objstm:
                        pages += len(_PAGE.findall(out))
                    if budget is not None and total > budget:
                        raise LimitError("pdf_unpacked_bytes", total, budget,
                                         "the PDF's streams unpack to too many bytes", "bytes")
                    if not inflater.unconsumed_tail:
                        break
                    out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                if inflater.eof:
                    break
                pos += len(piece_in)
                piece_in = data[pos : pos + _CHUNK]
        except zlib.error:
            continue
    check_pdf_pages(pages, lim)
