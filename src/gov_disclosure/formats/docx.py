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

from .. import limits
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


def _grid_rows(table: Any, counted: list[int]) -> list[GridRow]:
    """The table's rows as ``(grid column, text)`` of the cells starting in each row.

    Read from the ``<w:tc>`` elements in one pass (python-docx's ``row.cells`` would
    repeat a cell once per ``gridSpan`` slot and search upwards for each ``vMerge``
    continuation, which a hostile table makes slow or deep): a cell continuing a
    vertical merge of a cell starting at the same grid offset in the row above is
    not written again.  ``counted`` is ``[cells so far in the document]``, checked
    against :mod:`gov_disclosure.limits`.
    """
    from docx.table import _Cell

    rows: list[GridRow] = []
    above: set[int] = set()  # grid offsets where a cell starts in the row above
    slots = 0
    for tr in table._tbl.tr_lst:
        cells = []
        starts: set[int] = set()
        offset = tr.grid_before
        col = 0  # the cell's slot among the row's cells (the grid slots left of the first cell are not counted)
        for tc in tr.tc_lst:
            span = max(tc.grid_span, 1)
            counted[0] += 1
            slots += span
            limits.check_table_cells(counted[0])
            limits.check_grid_cells(slots)
            starts.add(offset)
            if not (tc.vMerge == "continue" and offset in above):
                cells.append((col, _Cell(tc, table).text))
            offset += span
            col += span
        above = starts
        rows.append(cells)
    return rows


def docx_to_text(data: bytes) -> str:
    """Report text from the bytes of a ``.docx`` file."""
    docx, Table, Paragraph = _import_docx()
    limits.check_docx(data)  # before python-docx unpacks it
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
    counted = [0]
    try:
        for block in _blocks(document, body, Table, Paragraph):
            if isinstance(block, Paragraph):
                text = clean_cell(block.text)
                if text:
                    lines.append(text)
            else:
                rows = _grid_rows(block, counted)
                tables.append(rows)
                lines.extend(table_lines(rows))
    except InputFormatError:
        raise
    except Exception as exc:  # malformed XML values (a gridSpan of "x"), nesting beyond the stack
        raise InputFormatError(
            f"the Word document's body could not be read ({type(exc).__name__}: {exc})"
        ) from None
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
