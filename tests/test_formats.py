"""Real inputs: HTML pages, DOCX and PDF files (issue 6).

Every adapter only turns a document into report text; these tests show that a
report rendered as a document parses back to the same Report, that a hand-written
page like a government site's reads as read by hand, that the real published
files under ../shared/real read correctly, and that unreadable documents raise a
clear :class:`ParseError` subclass.
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure import InputFormatError, MissingExtraError, ParseError, Report
from gov_disclosure.formats import sniff, to_text
from gov_disclosure.formats.grid import BLANK, drop_repeated_header, has_report_tables, table_lines
from gov_disclosure.formats.html import decode_html, html_to_text
from gov_disclosure.render import render, table_rows, to_traditional
from gov_disclosure.render_documents import render_docx, render_html, render_pdf
from gov_disclosure.strategies import reports

from .conftest import REAL, like, report_names, report_text

HTML_FIXTURES = Path(__file__).parent / "fixtures" / "html"
XIHU = HTML_FIXTURES / "xihu-education-2023.html"


def expected(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


def as_json(report: Report) -> dict[str, Any]:
    return json.loads(report.to_json())


@contextmanager
def without(*modules: str) -> Iterator[None]:
    """Make ``import <module>`` fail, as when an optional dependency is not installed."""
    with mock.patch.dict(sys.modules, {name: None for name in modules}):
        yield


def real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is beside the checkout in CI)")
    return path


# --- 1. round trips: render → document → parse gives the same Report --------------

EDITIONS = ["2021", "2019"]
#: How documents print a missing value: a blank cell, or a mark (a dash, a slash).
MISSING = st.sampled_from(["", "", "—", "/", "-"])


@pytest.mark.parametrize("edition", EDITIONS)
@settings(max_examples=40)
@given(data=st.data())
def test_html_round_trip(edition: str, data: st.DataObject) -> None:
    report = data.draw(reports(edition=edition, consistent=False))
    missing = data.draw(MISSING, label="missing")
    page = render_html(report, split_table=data.draw(st.booleans(), label="split_table"), missing=missing)
    as_bytes = data.draw(st.booleans(), label="bytes")
    source: Any = page.encode("utf-8") if as_bytes else page
    assert gd.parse(source) == report
    with without("selectolax", "selectolax.lexbor"):  # the standard-library parser reads the same
        assert gd.parse(source, format="html") == report


@pytest.mark.parametrize("edition", EDITIONS)
@settings(max_examples=25)
@given(report=st.data())
def test_docx_round_trip(edition: str, report: st.DataObject) -> None:
    r = report.draw(reports(edition=edition, consistent=False))
    data = render_docx(r, missing=report.draw(MISSING, label="missing"))
    assert sniff(data) == "docx"
    assert gd.parse(data) == r


@pytest.mark.parametrize("edition", EDITIONS)
@settings(max_examples=20)
@given(data=st.data())
def test_pdf_round_trip(edition: str, data: st.DataObject) -> None:
    report = data.draw(reports(edition=edition, consistent=False))
    header = data.draw(st.sampled_from([None, "政府信息公开工作年度报告", "某市人民政府办公室 2024"]), label="header")
    pdf = render_pdf(report, header=header, missing=data.draw(MISSING, label="missing"))
    assert sniff(pdf) == "pdf"
    assert gd.parse(pdf) == report


def test_rendered_pdf_breaks_table_three_across_pages() -> None:
    """The generated PDFs exercise the page-break path: table 三 starts on one page and ends on the next."""
    pdfplumber = pytest.importorskip("pdfplumber")
    report = gd.parse(render_html(_xihu_report()))
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    first = next(i for i, text in enumerate(pages) if "申请人情况" in text)
    assert "结转下年度继续办理" not in pages[first]
    assert "结转下年度继续办理" in pages[first + 1]
    assert f"- {first + 1} -" in pages[first]  # the footer sits between the two halves
    assert gd.parse(render_pdf(report)) == report


@pytest.mark.parametrize("name", report_names())
def test_reports_round_trip_through_every_document_format(name: str) -> None:
    report = gd.parse(report_text(name))
    assert gd.parse(render_html(report)) == report
    assert gd.parse(render_html(report, split_table=True)) == report
    assert gd.parse(render_docx(report)) == report
    assert gd.parse(render_pdf(report)) == report


def test_rendered_html_has_the_official_merged_cells() -> None:
    page = render_html(_xihu_report())
    for cell in [
        '<th rowspan="3" colspan="3"><p>（本列数据的勾稽关系为',
        '<th colspan="7"><p>申请人情况',
        '<th rowspan="2"><p>自然人',
        '<th colspan="5"><p>法人或其他组织',
        '<th rowspan="2"><p>总计',
        '<td rowspan="22"><p>三、本年度办理结果',
        '<td rowspan="8"><p>（三）不予公开',
        '<td rowspan="3"><p>（六）其他处理',
        '<th colspan="5"><p>行政复议',
        '<th colspan="10"><p>行政诉讼',
        '<th rowspan="2"><p>结果<br/>维持',
        '<th colspan="5"><p>未经复议直接起诉',
        '<th colspan="5"><p>复议后起诉',
        "&nbsp;",
    ]:
        assert cell in page, cell


# --- 2. a hand-written page like a real government site's -------------------------


def _xihu_report() -> Report:
    return Report.from_dict(expected(HTML_FIXTURES / "xihu-education-2023.expected.json"))


def test_hand_written_government_page_reads_as_read_by_hand() -> None:
    report = gd.parse_file(XIHU)
    assert as_json(report) == expected(HTML_FIXTURES / "xihu-education-2023.expected.json")
    # blank (&nbsp;) cells are missing values, reported where they are, not zeros
    missing = {i.path for i in gd.validate(report) if i.code == "value.missing"}
    assert "applications.denied.state_secret.natural_person" in missing
    assert "appeals.litigation_after_review.pending" in missing
    assert not any(i.severity == "error" for i in gd.validate(report))


def test_hand_written_page_with_the_standard_library_parser() -> None:
    with without("selectolax", "selectolax.lexbor"):
        text = html_to_text(XIHU.read_bytes())
        report = gd.parse_file(XIHU)
    assert report == _xihu_report()
    assert text == html_to_text(XIHU.read_bytes())  # same text as with selectolax


def test_page_text_layout() -> None:
    text = html_to_text(XIHU.read_bytes())
    lines = text.splitlines()
    # narrative paragraphs are plain lines; a <br> inside a paragraph starts a new line
    assert "一、总体情况" in lines
    assert "发布政策解读12篇。" in lines
    # scripts, styles, the <head> and hidden elements are not text
    assert "不是正文" not in text and "站内搜索" not in text and "_hmt" not in text
    # one line per table row; a merged cell once; <br> inside a cell is a space; runs split
    # inside a number (<span>1</span><span>562</span>) are joined
    assert "行政许可 | 1562" in lines
    assert "商业 企业 | 科研 机构 | 社会公益 组织 | 法律服务 机构 | 其他" in lines
    assert lines.count("自然人 | 法人或其他组织 | 总计") == 1
    # blank value cells are the grammar's blank mark; the empty merged cell that continues
    # 三、本年度办理结果 in the second half of the split table is left out
    assert f"（三）不予公开 | 1.属于国家秘密 | {' | '.join([BLANK] * 7)}" in lines
    assert any(line.startswith("（四）无法 提供 | 1.本机关不掌握相关政府信息 | 6") for line in lines)


def test_gbk_page_with_meta_charset(tmp_path: Path) -> None:
    page = XIHU.read_text(encoding="utf-8").replace("charset=utf-8", "charset=gbk")
    path = tmp_path / "report.htm"
    path.write_bytes(page.encode("gbk"))
    assert gd.parse_file(path) == _xihu_report()


def test_big5_traditional_mirror_page(tmp_path: Path) -> None:
    """A "big5 gate" mirror: traditional script, Big5 bytes declared in <meta>, characters
    Big5 lacks written as character references."""
    page = to_traditional(XIHU.read_text(encoding="utf-8")).replace("charset=utf-8", "charset=big5")
    path = tmp_path / "report.html"
    path.write_bytes(page.encode("big5hkscs", errors="xmlcharrefreplace"))  # 爲 → &#29234;
    parsed = gd.parse_file(path)
    assert parsed.agency is not None and parsed.agency != "杭州市西湖区教育局"  # printed in traditional script
    assert attrs.evolve(parsed, agency="杭州市西湖区教育局") == _xihu_report()


def test_meta_charset_wins_over_guessing() -> None:
    page = "<meta charset='big5'><p>申請人情況</p>"
    assert decode_html(page.encode("big5")) == page
    assert decode_html("\ufeff<p>中文</p>".encode("utf-8")) == "<p>中文</p>"  # BOM first
    wrong = "<meta charset=utf-8><p>政府信息公开</p>".encode("gb18030")  # a wrong declaration
    assert "政府信息公开" in decode_html(wrong)


def test_format_is_detected_from_content_not_name(tmp_path: Path) -> None:
    report = _xihu_report()
    for name, data in [
        ("download.aspx", XIHU.read_bytes()),
        ("attachment.bin", render_docx(report)),
        ("file", render_pdf(report)),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        assert gd.parse_file(path) == report, name


def test_html_fragment_without_html_or_body() -> None:
    fragment = render_html(_xihu_report())
    start = fragment.index("<p><strong>二、")
    end = fragment.index("<p><strong>五、")
    assert gd.parse(fragment[start:end]).applications == _xihu_report().applications


@pytest.mark.parametrize("layout", ["pipe", "tab", "space"])
def test_report_pasted_as_preformatted_text(layout: str) -> None:
    """A page that shows the report in <pre> keeps its lines (tabs and pipes too)."""
    import html

    report = _xihu_report()
    page = f"<html><body><h1>年度报告</h1><pre>{html.escape(render(report, layout))}</pre></body></html>"
    assert gd.parse(page) == report


def test_absurdly_nested_page_is_a_clear_error() -> None:
    with pytest.raises(InputFormatError, match="nested too deeply"):
        gd.parse("<body>" + "<div>" * 5000 + "x", format="html")


# --- 3. the real published files ----------------------------------------------------


def test_real_pdf_reads_every_key_cell() -> None:
    path = real("huaian-2024.pdf")
    want = json.loads(real("huaian-2024.expected.json").read_text(encoding="utf-8"))
    report = gd.parse_file(path)

    def cells(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
        for key, value in node.items():
            if key == "source":
                continue
            address = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                yield from cells(value, address)
            else:
                yield address, value

    for address, value in cells(want):
        assert report.get(address) == value, address
    assert [i for i in gd.validate(report) if i.severity == "error"] == []
    assert all(v is not None for _, v in report.cells())


def test_real_pdf_text_drops_page_numbers_and_joins_the_label_cut_by_the_page_break() -> None:
    text = to_text(real("huaian-2024.pdf").read_bytes(), "pdf")
    lines = text.splitlines()
    assert not any(line.strip().startswith("- ") and line.strip().endswith(" -") for line in lines)
    assert lines[0] == "淮安市人民政府2024 年政府信息公开工作年度报告"  # the title's two lines
    assert any(line.startswith("（四）无 法提供 | 1.本机关不掌握相关政府信息 | 746") for line in lines)
    assert "72 | 64 | 178 | 37 | 351 | 13 | 4 | 8 | 1 | 26 | 12 | 1 | 1 | 6 | 20" in lines


@pytest.mark.parametrize("tool", ["pdfplumber", "pypdfium2", "pymupdf"])
def test_real_pdf_as_text_tools_give_it_reads_every_cell(tool: str) -> None:
    """The real report's PDF through the text tools people use (``extract_text()`` of
    pdfplumber, pypdfium2's text page, PyMuPDF's ``get_text()``): read row by row, every
    cell equals what the PDF adapter reads — its narrative quotes labels with numbers
    (``全年新增公开市政府规章 1 件``, ``政府信息公开行政复议 351 件``), its captions and labels
    come in pieces and its numbers apart from their labels."""
    path = real("huaian-2024.pdf")
    if tool == "pdfplumber":
        pdfplumber = pytest.importorskip("pdfplumber")
        with pdfplumber.open(str(path)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    elif tool == "pypdfium2":
        pdfium = pytest.importorskip("pypdfium2")
        document = pdfium.PdfDocument(str(path))
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    else:
        pymupdf = pytest.importorskip("pymupdf")
        text = "\n".join(page.get_text() for page in pymupdf.open(str(path)))
    want = gd.parse_file(path)
    got = gd.parse(text)
    assert dict(got.cells()) == dict(want.cells())


def test_blank_official_template_is_a_clear_error() -> None:
    with pytest.raises(InputFormatError, match="hold no values.*blank template") as caught:
        gd.parse_file(real("template-2021.docx"))
    assert "template-2021.docx" in str(caught.value)


def _fill_template(path: Path, report: Report) -> bytes:
    """The official template filled with ``report``'s numbers, as an agency fills it in Word."""
    import docx

    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text == "政府信息公开工作年度报告格式模板":
            paragraph.text = f"{report.agency or ''}{report.year}年政府信息公开工作年度报告"
    rendered = table_rows(report)
    for table, rows in zip(document.tables, [rendered[k] for k in ("active_disclosure", "applications", "appeals")]):
        assert len(table.rows) == len(rows)
        for template_row, values in zip(table.rows, rows):
            seen: list[Any] = []
            blanks = []
            for cell in template_row.cells:
                if any(cell._tc is s for s in seen):
                    continue
                seen.append(cell._tc)
                if not cell.text.strip():
                    blanks.append(cell)
            for cell, value in zip(blanks, values[len(values) - len(blanks):] if blanks else []):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@settings(max_examples=10)
@given(reports(edition="2021", consistent=False))
def test_filled_official_template_parses_back(report: Report) -> None:
    path = real("template-2021.docx")
    if report.year is None:
        report = attrs.evolve(report, year=2024)
    assert gd.parse(_fill_template(path, report)) == report


# --- 4. clear errors -------------------------------------------------------------------


def test_missing_docx_extra() -> None:
    data = render_docx(_xihu_report())
    with without("docx"), pytest.raises(MissingExtraError) as caught:
        gd.parse(data)
    assert caught.value.extra == "docx" and caught.value.package == "python-docx"
    assert "pip install 'gov-disclosure[docx]'" in str(caught.value)
    assert isinstance(caught.value, ParseError) and isinstance(caught.value, ImportError)


def test_missing_pdf_extra(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(_xihu_report()))
    with without("pdfplumber"), pytest.raises(MissingExtraError) as caught:
        gd.parse_file(path)
    assert caught.value.extra == "pdf" and caught.value.package == "pdfplumber"
    assert "gov-disclosure[pdf]" in str(caught.value) and str(path) in str(caught.value)


def test_html_needs_no_extra() -> None:
    with without("selectolax", "selectolax.lexbor"):
        assert gd.parse(XIHU.read_bytes()) == _xihu_report()


def test_encrypted_pdf() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = render_pdf(_xihu_report(), encrypt=StandardEncryption("secret", ownerPassword="owner"))
    with pytest.raises(InputFormatError, match="encrypted with a password"):
        gd.parse(locked)


def test_pdf_with_owner_password_only_never_gives_garbage() -> None:
    """A PDF that opens without a password but forbids copying is decrypted and read.

    With reportlab's non-embedded CID font the font's CIDSystemInfo strings are
    encrypted too and pdfminer does not decrypt strings inside that direct
    object, so it cannot map the glyphs to Unicode ("(cid:1907)…"): the adapter
    must say so, not return a report of garbage, and not call it a password problem.
    """
    from reportlab.lib.pdfencrypt import StandardEncryption

    protected = render_pdf(_xihu_report(), encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    with pytest.raises(InputFormatError, match="no Unicode mapping") as caught:
        gd.parse(protected)
    assert "password" not in str(caught.value)


def _image_pdf(text_lines: tuple[str, ...] = ()) -> bytes:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(0, 400, 40):  # a "scanned" table grid
        draw.line([(0, y), (600, y)], fill="black", width=2)
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf.setFont("STSong-Light", 12)
    for i, line in enumerate(text_lines):
        pdf.drawString(72, 780 - 20 * i, line)
    pdf.drawImage(ImageReader(picture), 50, 200, width=480, height=320)
    pdf.showPage()
    pdf.drawImage(ImageReader(picture), 50, 200, width=480, height=320)
    pdf.save()
    return out.getvalue()


def test_image_only_pdf() -> None:
    with pytest.raises(InputFormatError, match="no text layer.*scanned images.*OCR"):
        gd.parse(_image_pdf())


def test_pdf_whose_tables_are_pictures() -> None:
    data = _image_pdf(("某县人民政府2024年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"))
    with pytest.raises(InputFormatError, match="tables are probably pictures"):
        gd.parse(data)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n1 0 obj garbage", b"%PDF-"])
def test_damaged_pdf(data: bytes) -> None:
    with pytest.raises(InputFormatError, match="could not be read as a PDF"):
        gd.parse(data)


def test_docx_without_tables() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("某县人民政府2024年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("（详见附件）")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(InputFormatError, match="no tables"):
        gd.parse(out.getvalue())


def test_docx_with_tables_typed_as_text() -> None:
    """A Word file whose tables were pasted as text (one row per paragraph) is read as text."""
    import docx

    report = _xihu_report()
    document = docx.Document()
    for line in render(report, "space").splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    assert gd.parse(out.getvalue()) == report


def test_damaged_docx() -> None:
    with pytest.raises(InputFormatError, match="could not be read as a Word"):
        gd.parse(b"PK\x03\x04 this is not a zip archive")


@pytest.mark.parametrize(
    "page",
    [
        (
            "<html><head><title>年度报告</title></head><body><p>2024年政府信息公开工作年度报告</p>"
            "<p>附件：<a href='/a.pdf'>年度报告.pdf</a></p></body></html>"
        ),
        "<html><body><p>一、总体情况</p><p>本年度共收到申请29件。</p><img src='table3.png'></body></html>",
    ],
)
def test_html_page_without_the_tables(page: str) -> None:
    with pytest.raises(InputFormatError, match="no <table>.*images or an attachment"):
        gd.parse(page)


def test_html_page_whose_tables_are_not_the_reports() -> None:
    page = (
        "<html><body><table><tr><td>栏目</td><td>条数</td></tr><tr><td>通知公告</td><td>35</td></tr></table>"
        "<p>2024年政府信息公开工作年度报告</p></body></html>"
    )
    with pytest.raises(InputFormatError, match="none of them is a report table"):
        gd.parse(page)


def test_every_format_error_is_a_parse_error() -> None:
    assert issubclass(InputFormatError, ParseError) and issubclass(MissingExtraError, InputFormatError)


# --- 5. encodings of text files ---------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-8"])
def test_text_file_encodings(tmp_path: Path, encoding: str) -> None:
    report = _xihu_report()
    path = tmp_path / "report.txt"
    path.write_bytes(render(report, "pipe").encode(encoding))
    assert gd.parse_file(path) == report


@pytest.mark.parametrize("name", like("003"))
def test_traditional_report_as_gb18030_and_bom_files(tmp_path: Path, name: str) -> None:
    text = report_text(name)  # traditional script
    expected_report = gd.parse(text)
    for encoding in ("gb18030", "utf-8-sig"):
        path = tmp_path / f"seed.{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert gd.parse_file(path) == expected_report


# --- 6. the table → lines rules shared by the adapters -------------------------------


def test_table_lines_blank_cells() -> None:
    two = [
        [(0, "信息内容"), (1, "本年处理决定数量"), (2, ""), (3, "")],  # header with filler cells
        [(0, "行政许可"), (1, "")],  # a value left blank
        [(0, "行政处罚"), (1, "12")],
    ]
    assert table_lines(two) == ["信息内容 | 本年处理决定数量", f"行政许可 | {BLANK}", "行政处罚 | 12"]
    three = [
        [(0, "三、本年度办理结果"), (1, "（一）予以公开"), (3, "1"), (4, "")],
        [(0, ""), (1, "（四）无法提供"), (2, "1.本机关不掌握相关政府信息"), (3, ""), (4, "2")],  # merged-caption filler
        [(0, "（七）总计"), (2, ""), (3, "1"), (4, "2")],  # label filler that is not merged
    ]
    assert table_lines(three) == [
        f"三、本年度办理结果 | （一）予以公开 | 1 | {BLANK}",
        f"（四）无法提供 | 1.本机关不掌握相关政府信息 | {BLANK} | 2",
        "（七）总计 | 1 | 2",
    ]
    # a row of numbers without labels (table 四): every blank is a value
    assert table_lines([[(0, "行政复议"), (2, "行政诉讼")], [(0, "\xa0"), (1, "5"), (2, "")]]) == [
        "行政复议 | 行政诉讼",
        f"{BLANK} | 5 | {BLANK}",
    ]
    # printed missing marks are values, not labels: they do not move the value columns
    marks = [[(0, "规章"), (1, "—"), (2, ""), (3, "/")], [(0, "行政规范性文件"), (1, "1"), (2, "无"), (3, "")]]
    assert table_lines(marks) == [f"规章 | — | {BLANK} | /", f"行政规范性文件 | 1 | 无 | {BLANK}"]
    assert table_lines([[(0, "1"), (1, "—"), (2, "")]]) == [f"1 | — | {BLANK}"]
    # a table without any number: blanks are fillers, never values
    assert table_lines([[(0, "申请人情况"), (1, "")]]) == ["申请人情况"]
    # whitespace, line breaks and pipes inside a cell
    assert table_lines([[(0, "本年新\n制作数量|"), (1, " 1,234\u3000")]]) == ["本年新 制作数量 | 1,234"]


def test_repeated_header_of_a_split_table_is_dropped() -> None:
    head = [[(0, "行政复议"), (5, "行政诉讼")], [(0, "结果维持")]]
    first = head + [[(0, "1"), (1, "2")]]
    second = head + [[(0, "3"), (1, "4")]]
    assert drop_repeated_header(first, second) == [[(0, "3"), (1, "4")]]
    other = [[(0, "第二十条第（六）项")], [(0, "行政处罚"), (1, "5")]]
    assert drop_repeated_header(first, other) == other


def test_has_report_tables() -> None:
    assert has_report_tables("第二十条 第（一）项")
    assert has_report_tables("申請人情況")  # traditional
    assert not has_report_tables("2024年政府信息公开工作年度报告")


def test_a_pdf_that_loses_data_while_unpacking_is_refused_and_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    """One byte of a content stream damaged: pdfminer logs "Data-loss while decompressing"
    and goes on with digits missing.  The adapter notices, refuses the file, and no
    library warning reaches stderr."""
    import re as _re

    pytest.importorskip("pdfplumber")
    from reportlab import rl_config

    report = gd.parse_file(Path(__file__).parents[1] / "examples" / "pipes_2021.txt")
    old = rl_config.useA85
    rl_config.useA85 = 0  # raw Flate streams, as most producers write them
    try:
        pdf = render_pdf(report)
    finally:
        rl_config.useA85 = old
    refused = 0
    for match in _re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        end = pdf.find(b"endstream", start)
        if end - start < 200:
            continue
        broken = bytearray(pdf)
        broken[start + int((end - start) * 0.8)] ^= 0xFF
        try:
            parsed = gd.parse(bytes(broken))
        except gd.ParseError as error:
            refused += "damaged" in str(error)
            continue
        want = dict(report.cells())
        assert all(v is None or v == want[a] for a, v in parsed.cells())
    assert refused >= 1
    captured = capfd.readouterr()
    assert "Data-loss" not in captured.err and "Cannot" not in captured.err
