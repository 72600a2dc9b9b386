"""DOCX adapter: a Word report → report text (needs the ``[docx]`` extra, python-docx).

The body is read in document order: each paragraph becomes a line, each table
one line per row with cells joined by `` | `` (see
:func:`gov_disclosure.formats.grid.table_lines`).  Merged cells (``gridSpan``,
``vMerge``) are written once: python-docx returns the same cell for every grid
slot of a merge, so cells are deduplicated by their ``<w:tc>`` element.
Paragraphs inside content controls (``<w:sdt>``) are read too; page headers and
footers are not part of the body and are left out.

Errors (:class:`~gov_disclosure.errors.InputFormatError`): the bytes are not a
Word document, the document has no table (and no table captions in its text),
or its tables hold no number at all (the blank official template).
"""

from __future__ import annotations

import io
from typing import Any, Iterator

from ..errors import InputFormatError, MissingExtraError
from .grid import GridRow, clean_cell, has_report_tables, table_lines, tables_hold_numbers

__all__ = ["docx_to_text"]


def _import_docx() -> Any:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise MissingExtraError("docx", "python-docx", "DOCX files") from None
    return docx, Table, Paragraph


def _blocks(parent: Any, element: Any, Table: Any, Paragraph: Any) -> Iterator[Any]:
    """Paragraphs and tables below ``element`` (the body, or a content control), in order."""
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, parent)
        elif tag == "tbl":
            yield Table(child, parent)
        elif tag in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):
            yield from _blocks(parent, child, Table, Paragraph)


def _grid_rows(table: Any) -> list[GridRow]:
    """The table's rows as ``(grid column, text)`` of the cells starting in each row."""
    seen: set[Any] = set()  # <w:tc> elements already written (holding them keeps the proxies alive)
    rows: list[GridRow] = []
    for row in table.rows:
        cells = []
        for col, cell in enumerate(row.cells):
            tc = cell._tc
            if tc in seen:
                continue
            seen.add(tc)
            cells.append((col, cell.text))
        rows.append(cells)
    return rows


def docx_to_text(data: bytes) -> str:
    """Report text from the bytes of a ``.docx`` file."""
    docx, Table, Paragraph = _import_docx()
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors, docx's own
        raise InputFormatError(
            f"the file could not be read as a Word (.docx) document ({type(exc).__name__}: {exc}); "
            "an old binary .doc must be saved as .docx first"
        ) from None
    lines: list[str] = []
    tables: list[list[GridRow]] = []
    for block in _blocks(document, body, Table, Paragraph):
        if isinstance(block, Paragraph):
            text = clean_cell(block.text)
            if text:
                lines.append(text)
        else:
            rows = _grid_rows(block)
            tables.append(rows)
            lines.extend(table_lines(rows))
    text = "\n".join(lines) + "\n"
    if not tables:
        if has_report_tables(text):
            return text  # the tables were typed as text (tab- or space-separated paragraphs)
        raise InputFormatError(
            "the Word document has no tables: the report's statistics tables (二, 三, 四) are "
            "missing, or they are pictures"
        )
    if not tables_hold_numbers(tables):
        raise InputFormatError(
            f"the Word document's {len(tables)} table(s) hold no values: every number cell is "
            "empty (is this the blank template?)"
        )
    return text
