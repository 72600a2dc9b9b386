"""Render a :class:`~gov_disclosure.model.Report` as an HTML page, a DOCX or a PDF file.

The document counterparts of :func:`gov_disclosure.render.render`, for tests and
fixtures: ``parse(render_html(r)) == r`` (and the same for DOCX and PDF bytes).
The tables have the official template's merged cells:

* table 三: the note cell ``colspan=3 rowspan=3``, 申请人情况 ``colspan=7``,
  自然人 ``rowspan=2``, 法人或其他组织 ``colspan=5``, 总计 ``rowspan=2``,
  三、本年度办理结果 spanning every result row, （三）…（六） spanning their
  sub-rows, and the one-row labels spanning two or three label columns;
* table 四: 行政复议 ``colspan=5``, 行政诉讼 ``colspan=10``, the five 复议 headers
  ``rowspan=2``, 未经复议直接起诉 and 复议后起诉 ``colspan=5``.

A missing value (``None``) is printed as a blank cell, the way real reports
leave cells empty.  python-docx (``render_docx``) and reportlab (``render_pdf``,
using reportlab's built-in CJK font ``STSong-Light``, nothing downloaded) are
imported only when called.
"""

from __future__ import annotations

import html as _html
import io
from typing import Any, Optional

import attrs

from . import schema as _schema
from .render import BALANCE_NOTE, _narrative, format_value, label, row_values, table_two_blocks

__all__ = ["render_html", "render_docx", "render_pdf", "document_tables"]


@attrs.define
class DocCell:
    """One cell of a document table: its text (``\\n`` = a line break in the cell) and spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    value: bool = False


@attrs.define
class DocTable:
    """A table as the document prints it: ``width`` grid columns, rows of the cells starting there."""

    name: str
    width: int
    rows: list[list[DocCell]]


def _value_cells(row: Any) -> list[DocCell]:
    return [DocCell("" if value is None else format_value(value, unit), value=True) for value, unit in row_values(row)]


PARTIALLY_GRANTED = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def _table_two(report: Any) -> DocTable:
    rows: list[list[DocCell]] = []
    ad = report.active_disclosure
    width = 4
    for block in table_two_blocks(report.edition):
        rows.append([DocCell(block.caption, colspan=width)])
        head = [DocCell(block.label_header)] + [DocCell(h) for h in block.headers]
        head[-1].colspan = width - len(block.headers)
        rows.append(head)
        for name in block.rows:
            cells = [DocCell(label(ad, name))] + _value_cells(getattr(ad, name))
            cells[-1].colspan = width - (len(cells) - 1)
            rows.append(cells)
    return DocTable("active_disclosure", width, rows)


def _table_three(report: Any) -> DocTable:
    apps = report.applications
    rows: list[list[DocCell]] = [
        [DocCell(BALANCE_NOTE, rowspan=3, colspan=3), DocCell("申请人情况", colspan=7)],
        [DocCell("自然人", rowspan=2), DocCell("法人或其他组织", colspan=5), DocCell("总计", rowspan=2)],
        [DocCell("商业\n企业"), DocCell("科研\n机构"), DocCell("社会公益组织"), DocCell("法律服务机构"), DocCell("其他")],
    ]
    results: list[list[DocCell]] = []
    for name, _cls, caption in _schema.children(type(apps)):
        value = getattr(apps, name)
        label = PARTIALLY_GRANTED if name == "partially_granted" else caption
        subs = list(_schema.children(type(value)))
        if name in ("new_received", "carried_over", "carried_forward"):
            rows.append([DocCell(label, colspan=3)] + _value_cells(value))
        elif subs:
            for i, (sub_name, _sub, sub_label) in enumerate(subs):
                group = [DocCell(label, rowspan=len(subs))] if i == 0 else []
                results.append(group + [DocCell(sub_label)] + _value_cells(getattr(value, sub_name)))
        else:
            results.append([DocCell(label, colspan=2)] + _value_cells(value))
        if name == "total":
            results[0].insert(0, DocCell("三、本年度办理结果", rowspan=len(results)))
            rows.extend(results)
    return DocTable("applications", 10, rows)


_OUTCOMES = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]


def _table_four(report: Any) -> DocTable:
    values: list[DocCell] = []
    for name, _cls, _label in _schema.children(type(report.appeals)):
        values.extend(_value_cells(getattr(report.appeals, name)))
    rows = [
        [DocCell("行政复议", colspan=5), DocCell("行政诉讼", colspan=10)],
        [DocCell(t, rowspan=2) for t in _OUTCOMES]
        + [DocCell("未经复议直接起诉", colspan=5), DocCell("复议后起诉", colspan=5)],
        [DocCell(t) for t in _OUTCOMES * 2],
        values,
    ]
    return DocTable("appeals", 15, rows)


def document_tables(report: Any, missing: str = "") -> list[DocTable]:
    """Tables 二, 三 and 四 with the official template's merged cells; a missing
    value is printed as ``missing`` (blank by default, or ``—``, ``/`` …)."""
    tables = [_table_two(report), _table_three(report), _table_four(report)]
    if missing:
        for table in tables:
            for row in table.rows:
                for cell in row:
                    if cell.value and not cell.text:
                        cell.text = missing
    return tables


def _blocks(report: Any, missing: str = "") -> list[Any]:
    """The document in order: narrative lines (str) and tables."""
    parts = _narrative(report)
    two, three, four = document_tables(report, missing)
    return [
        *parts["front"], two, *parts["before_applications"], three, *parts["before_appeals"], four, *parts["back"]
    ]


# --- HTML ------------------------------------------------------------------------


def _html_cell(cell: DocCell, tag: str = "td") -> str:
    attrs_ = ""
    if cell.rowspan > 1:
        attrs_ += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs_ += f' colspan="{cell.colspan}"'
    if cell.value:
        # values nested in a paragraph and a span, blanks as &nbsp;, like pages exported from Word
        inner = f"<p><span>{_html.escape(cell.text)}</span></p>" if cell.text else "&nbsp;"
        return f'<{tag}{attrs_} style="text-align:center">{inner}</{tag}>'
    inner = "<br/>".join(_html.escape(part) for part in cell.text.split("\n"))
    return f"<{tag}{attrs_}><p>{inner}</p></{tag}>"


def _html_rows(rows: list[list[DocCell]], header_rows: int = 0) -> list[str]:
    out = []
    for i, row in enumerate(rows):
        tag = "th" if i < header_rows else "td"
        out.append("<tr>" + "".join(_html_cell(c, tag) for c in row) + "</tr>")
    return out


def _html_table(rows: list[list[DocCell]], header_rows: int) -> str:
    head = _html_rows(rows[:header_rows], header_rows)
    body = _html_rows(rows[header_rows:])
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    return f'<table border="1" cellspacing="0" cellpadding="0" width="100%">{thead}<tbody>{"".join(body)}</tbody></table>'


def _split_three(table: DocTable) -> tuple[list[list[DocCell]], list[list[DocCell]]]:
    """Table 三 cut after （三）不予公开, as pages that split it in two print it: the
    second part repeats the header and starts with an empty cell for the rest of
    三、本年度办理结果."""
    rows = [[attrs.evolve(c) for c in row] for row in table.rows]
    # header (3) + new_received + carried_over + granted + partially_granted + 8 denied rows
    cut = 3 + 2 + 2 + 8
    results = next(i for i, r in enumerate(rows) if r[0].text == "三、本年度办理结果")
    caption = rows[results][0]
    remaining = caption.rowspan - (cut - results)
    caption.rowspan = cut - results
    first, second = rows[:cut], [[attrs.evolve(c) for c in r] for r in rows[:3]] + rows[cut:]
    second[3].insert(0, DocCell("", rowspan=remaining))
    return first, second


def render_html(report: Any, *, split_table: bool = False, missing: str = "") -> str:
    """The report as an HTML page like a government site's: narrative in ``<p>``
    (indented with ``&nbsp;``), tables with the official template's merged cells,
    ``<br/>`` inside wrapped header cells, values nested in ``<p><span>``.

    ``split_table`` prints table 三 as two ``<table>`` elements (cut after
    （三）不予公开, the second repeating the header rows); ``missing`` is printed for
    a missing value (blank, ``&nbsp;``, by default).
    """
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8"/>',
        f"<title>{_html.escape(str(report.agency or ''))}政府信息公开工作年度报告</title>",
        "<style>td{border:1px solid #000}</style><script>var x = '<table>';</script></head>",
        '<body><div class="header"><a href="/">首页</a> &gt; <span>政府信息公开年报</span></div>',
        '<div class="article"><div class="content" id="zoom">',
    ]
    first = True
    for block in _blocks(report, missing):
        if isinstance(block, str):
            if first:
                out.append(f"<h1 style='text-align:center'>{_html.escape(block)}</h1>")
                first = False
            elif block[:2] in ("一、", "二、", "三、", "四、", "五、", "六、"):
                out.append(f"<p><strong>{_html.escape(block)}</strong></p>")
            else:
                out.append(f"<p style='text-indent:2em'>&nbsp;&nbsp;{_html.escape(block)}</p>")
            continue
        first = False
        header_rows = {"active_disclosure": 0, "applications": 3, "appeals": 3}[block.name]
        if split_table and block.name == "applications":
            one, two = _split_three(block)
            out.append(_html_table(one, header_rows))
            out.append("<p>&nbsp;</p>")
            out.append(_html_table(two, header_rows))
        else:
            out.append(_html_table(block.rows, header_rows))
    out.append('</div></div><div class="footer"><p>主办单位：本机关办公室&nbsp;&nbsp;</p></div></body></html>')
    return "\n".join(out)


# --- DOCX ------------------------------------------------------------------------


def render_docx(report: Any, *, missing: str = "") -> bytes:
    """The report as a Word document (python-docx): paragraphs and the three tables
    with merged cells (``gridSpan``/``vMerge``), line breaks inside wrapped header cells.
    ``missing`` is printed for a missing value (an empty cell by default)."""
    import docx  # the [docx] extra

    document = docx.Document()
    for block in _blocks(report, missing):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        _docx_table(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _grid(table: DocTable) -> list[tuple[int, int, DocCell]]:
    """``(row, column, cell)`` for every cell, with its grid column resolved."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


def _docx_table(document: Any, table: DocTable) -> None:
    t = document.add_table(rows=len(table.rows), cols=table.width)
    t.style = "Table Grid"
    # the cells before any merge (``Table.cell`` re-reads the whole grid on every call);
    # merges do not overlap, so each stays valid until its own merge
    cells = [list(row.cells) for row in t.rows]
    for r, c, cell in _grid(table):
        target = cells[r][c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
        target.text = cell.text


# --- PDF -------------------------------------------------------------------------

FONT = "STSong-Light"

_COLUMN_WIDTHS = {
    "active_disclosure": [130, 120, 120, 120],
    "applications": [24, 58, 150] + [37] * 7,
    "appeals": [33] * 15,
}


def render_pdf(
    report: Any,
    *,
    footer: bool = True,
    header: Optional[str] = None,
    encrypt: Optional[Any] = None,
    missing: str = "",
) -> bytes:
    """The report as an A4 PDF with a text layer (reportlab, CJK CID font ``STSong-Light``
    built into reportlab and every PDF reader: nothing is downloaded or embedded).

    Tables are drawn with grid lines and the template's merged cells; table 三 is
    long enough to break across pages.  ``footer`` prints ``- N -`` page numbers,
    ``header`` a running head on every page — both must be dropped by the reader.
    ``encrypt`` is passed to reportlab (a password or a
    ``reportlab.lib.pdfencrypt.StandardEncryption``); ``missing`` is printed for a
    missing value (an empty cell by default).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK", firstLineIndent=22)
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9, wordWrap="CJK", alignment=1)

    story: list[Any] = []
    first = True
    for block in _blocks(report, missing):
        if isinstance(block, str):
            story.append(Paragraph(_html.escape(block), title if first else body))
            first = False
            continue
        first = False
        data = [["" for _ in range(block.width)] for _ in block.rows]
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ]
        for r, c, cell in _grid(block):
            text = "<br/>".join(_html.escape(p) for p in cell.text.split("\n"))
            data[r][c] = Paragraph(text, cell_style) if text else ""
            if cell.rowspan > 1 or cell.colspan > 1:
                style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        story.append(Spacer(1, 6))
        story.append(Table(data, colWidths=_COLUMN_WIDTHS[block.name], style=TableStyle(style)))
        story.append(Spacer(1, 6))

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 10)
        if footer:
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        if header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 36, header)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=60, bottomMargin=60,
        title="政府信息公开工作年度报告", encrypt=encrypt,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
