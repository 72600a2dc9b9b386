"""Bounded resources and no foreign exceptions (issue 14).

Every bomb of the issue is refused with :class:`gov_disclosure.limits.LimitError`
(``input.too_large``) in bounded time: the full-size bomb where building it is
cheap, a small one under a lowered limit otherwise.  Normal reports in every
format still parse.  ``benchmarks/bombs.py`` measures the full-size bombs.
"""

from __future__ import annotations

import io
import pickle
import sys
import time
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from unittest import mock

import attrs
import pytest
from hypothesis import find

import gov_disclosure as gd
from gov_disclosure import InputFormatError, ParseError, limits
from gov_disclosure.limits import LimitError, Limits
from gov_disclosure.render_documents import render_docx, render_html, render_pdf
from gov_disclosure.strategies import reports

from .conftest import STANDINS

MB = 1024 * 1024
REPORT = find(reports(consistent=True), lambda r: r.applications.total.total > 10)  # a fixed, simple report


@contextmanager
def within(seconds: float) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s"


def refused(limit: str, data: object, seconds: float = 5.0, **parse: object) -> LimitError:
    with within(seconds), pytest.raises(LimitError) as info:
        gd.parse(data, **parse)  # type: ignore[arg-type]
    assert info.value.limit == limit
    assert info.value.code == "input.too_large"
    return info.value


# --- crashes (the library's own error class) --------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00", b"\xef\xbb\xbf\xff", b'<meta charset="hex"><table>', b'<meta charset="undefined"><table>',
     b"\xfe\xff\x00", b'<meta charset="rot13"><table>', b'<meta charset="utf-16"><table>\xff'],
)
def test_undecodable_input_raises_input_format_error(data: bytes) -> None:
    with pytest.raises(InputFormatError) as info:
        gd.parse(data)
    assert info.value.code == "input.format"


# --- the Limits object -------------------------------------------------------------------------


def test_defaults_and_override() -> None:
    assert limits.current() == limits.DEFAULT == Limits()
    with limits.override(text_chars=10) as inner:
        assert limits.current() is inner and inner.text_chars == 10
        with limits.override(cells=None):
            assert limits.current().text_chars == 10 and limits.current().cells is None
        assert limits.current().cells == Limits().cells
    assert limits.current() == limits.DEFAULT


def test_set_default_returns_the_previous_limits() -> None:
    previous = limits.set_default(pdf_pages=3)
    try:
        assert limits.current().pdf_pages == 3
        with limits.override(pdf_pages=4):
            assert limits.current().pdf_pages == 4
    finally:
        limits.set_default(previous)
    assert limits.current() == limits.DEFAULT


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError):
        Limits(text_chars=-1)
    with pytest.raises(ValueError):
        Limits(pdf_pages="5")  # type: ignore[arg-type]
    assert all(v is None for v in attrs.asdict(Limits.unlimited()).values())


def test_limit_error_says_which_limit_and_how_to_raise_it() -> None:
    with limits.override(text_chars=100):
        error = refused("text_chars", "1 " * 200)
    assert isinstance(error, InputFormatError) and isinstance(error, ParseError)
    assert (error.value, error.maximum) == (400, 100)
    assert "text_chars" in str(error) and "400" in str(error) and "limits.override(text_chars=" in str(error)
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.limit, again.value, again.code, str(again)) == (
        LimitError, "text_chars", 400, "input.too_large", str(error))


def test_check_functions() -> None:
    limits.check_cells(200_000)
    with pytest.raises(LimitError, match="cells"):
        limits.check_cells(200_001)
    limits.check_pdf_pages(100)
    with pytest.raises(LimitError, match="pdf_pages"):
        limits.check_pdf_pages(101)
    with limits.override(cells=None, pdf_pages=None):
        limits.check_cells(10**9)
        limits.check_pdf_pages(10**9)
    with pytest.raises(LimitError):
        limits.check_bytes(b"x" * 11, Limits(input_bytes=10))


# --- input size and text length ----------------------------------------------------------------


def test_a_ten_megabyte_line_is_refused_at_once() -> None:
    error = refused("text_chars", b"12 " * (10 * MB // 3), seconds=2.0)
    assert error.value > 2_000_000


def test_long_text_refused_by_every_entry_point(tmp_path: Path) -> None:
    with limits.override(text_chars=1000):
        refused("text_chars", "12 " * 1000)
        with pytest.raises(LimitError):
            gd.parse_text("12 " * 1000)
        path = tmp_path / "long.txt"
        path.write_text("12 " * 1000, encoding="utf-8")
        with pytest.raises(LimitError) as info:
            gd.parse_file(path)
        assert str(info.value).startswith(str(path))


def test_input_bytes(tmp_path: Path) -> None:
    with limits.override(input_bytes=1000):
        refused("input_bytes", b"1" * 1001)
        refused("input_bytes", io.BytesIO(b"1" * 5000))
        path = tmp_path / "big.txt"
        path.write_bytes(b"1" * 1001)
        with pytest.raises(LimitError) as info:
            gd.parse_file(path)
        assert info.value.limit == "input_bytes" and str(info.value).startswith(str(path))


def test_a_huge_file_is_refused_from_its_size_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(60 * MB)  # sparse: its size is 60 MB, nothing to read
    with within(1.0), mock.patch.object(Path, "read_bytes", side_effect=AssertionError("read")):
        with pytest.raises(LimitError) as info:
            gd.parse_file(path)
    assert info.value.value == 60 * MB


def test_normal_reports_parse_under_the_default_limits() -> None:
    for path in sorted(STANDINS.glob("*.txt")):
        assert gd.parse_file(path).applications is not None


# --- DOCX ---------------------------------------------------------------------------------------

W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with(document_xml: bytes) -> bytes:
    """A DOCX (python-docx's default template) whose document.xml is ``document_xml``."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, document_xml if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue()


def _body(inner: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W + b"><w:body>" + inner + b"</w:body></w:document>"


def _table(rows: list[list[tuple[str, bytes]]]) -> bytes:
    """A w:tbl: each cell ``(text, tcPr content)``."""
    out = b"<w:tbl>"
    for row in rows:
        out += b"<w:tr>"
        for text, pr in row:
            out += b"<w:tc><w:tcPr>" + pr + b"</w:tcPr><w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p></w:tc>"
        out += b"</w:tr>"
    return out + b"</w:tbl>"


def test_docx_of_empty_paragraphs_is_refused_before_python_docx_opens_it() -> None:
    data = _docx_with(_body(b"<w:p/>" * 100_000))  # 600 KB unpacked, a few KB packed
    with mock.patch("docx.Document", side_effect=AssertionError("opened")):
        with limits.override(docx_unpacked_bytes=500_000):
            refused("docx_unpacked_bytes", data)
        refused("docx_paragraphs", data)  # 100 000 paragraphs, over the default 50 000


def test_docx_whose_zip_directory_lies_is_refused_while_unpacking() -> None:
    data = bytearray(_docx_with(_body(b"<w:p/>" * 200_000)))
    # shrink the uncompressed size the central directory gives for document.xml
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    central = data.rfind(b"PK\x01\x02", 0, data.find(b"word/document.xml", data.find(b"PK\x01\x02")))
    assert data[central + 24 : central + 28] == info.file_size.to_bytes(4, "little")
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    with limits.override(docx_unpacked_bytes=100_000):
        with within(5.0), pytest.raises(InputFormatError):  # the limit, or a bad CRC: never a bomb
            gd.parse(bytes(data))


def test_docx_grid_span_and_cells() -> None:
    caption = b"<w:p><w:r><w:t>\xe7\x94\xb3\xe8\xaf\xb7\xe4\xba\xba\xe6\x83\x85\xe5\x86\xb5</w:t></w:r></w:p>"  # 申请人情况
    wide = _docx_with(_body(caption + _table([[("1", b'<w:gridSpan w:val="50000000"/>')], [("2", b"")]])))
    refused("grid_cells", wide, seconds=2.0)
    many = _docx_with(_body(caption + _table([[("1", b"")] * 100] * 50)))
    with limits.override(table_cells=1000):
        refused("table_cells", many)


def test_docx_vertical_merge_without_a_cell_above_is_read() -> None:
    caption = b"<w:p><w:r><w:t>\xe7\x94\xb3\xe8\xaf\xb7\xe4\xba\xba\xe6\x83\x85\xe5\x86\xb5</w:t></w:r></w:p>"
    data = _docx_with(_body(caption + _table([[("a", b"<w:vMerge/>"), ("1", b"")], [("b", b"<w:vMerge/>"), ("2", b"")]])))
    with pytest.raises(ParseError):  # not a report, but python-docx's ValueError no longer escapes
        gd.parse(data)


def test_a_normal_docx_still_parses() -> None:
    assert gd.parse(render_docx(REPORT)) == REPORT


# --- HTML ---------------------------------------------------------------------------------------


def test_html_rowspan_colspan_bomb_is_refused_at_once() -> None:
    rows = '<tr><td rowspan="10000" colspan="1000">申请人情况</td></tr>' + "<tr><td>1</td></tr>" * 9999
    page = f"<html><body><table>{rows}</table></body></html>".encode()
    assert len(page) > 180_000
    refused("grid_cells", page, seconds=2.0)
    with limits.override(grid_cells=None):  # without the limit, spans cost no memory per grid slot
        with within(10.0), pytest.raises(ParseError):
            gd.parse(page)


def test_html_cells() -> None:
    page = ("<table>" + ("<tr>" + "<td>1</td>" * 100 + "</tr>") * 20 + "</table>").encode()
    with limits.override(table_cells=1000):
        refused("table_cells", page)


@pytest.mark.parametrize("selectolax", [True, False], ids=["lexbor", "html.parser"])
def test_deep_nesting(selectolax: bool) -> None:
    page = render_html(REPORT)
    modules = {} if selectolax else {"selectolax": None, "selectolax.lexbor": None}
    with mock.patch.dict(sys.modules, modules):
        assert gd.parse(("<div>" * 450 + page + "</div>" * 450).encode()) == REPORT
        refused("nesting", ("<div>" * 100_000 + page + "</div>" * 100_000).encode(), seconds=2.0)
        refused("nesting", ("<div>" * 700 + page + "</div>" * 700).encode())


def test_sloppy_markup_is_not_mistaken_for_nesting() -> None:
    page = render_html(REPORT)
    sloppy = page.replace("<table", "<p>注<br>" * 3000 + "<li>项" * 1000 + "<table", 1)
    assert gd.parse(sloppy.encode()) == REPORT


def test_a_normal_html_page_still_parses() -> None:
    assert gd.parse(render_html(REPORT).encode()) == REPORT
    assert gd.parse(render_html(REPORT, split_table=True).encode()) == REPORT


# --- PDF ----------------------------------------------------------------------------------------


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_stream_bomb(size: int) -> bytes:
    packed = zlib.compress(b" " * size, 9)
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ])


def pdf_of_pages(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    return _raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
        + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    )


def test_check_pdf() -> None:
    with within(5.0), pytest.raises(LimitError) as info:
        limits.check_pdf(pdf_stream_bomb(500 * MB // 50), Limits(pdf_unpacked_bytes=5 * MB))
    assert info.value.limit == "pdf_unpacked_bytes"
    with pytest.raises(LimitError) as info:
        limits.check_pdf(pdf_of_pages(101))
    assert info.value.limit == "pdf_pages"
    limits.check_pdf(pdf_of_pages(100))
    limits.check_pdf(pdf_stream_bomb(MB))
    limits.check_pdf(render_pdf(REPORT))
    limits.check_pdf(b"%PDF-1.4 stream\n\x00garbage endstream /FlateDecode stream\n")


def test_pdf_bombs_are_refused_by_parse() -> None:
    with limits.override(pdf_pages=5):
        refused("pdf_pages", pdf_of_pages(12))
    with limits.override(pdf_unpacked_bytes=MB):
        refused("pdf_unpacked_bytes", pdf_stream_bomb(5 * MB))


# --- cells (the text cutter) ---------------------------------------------------------------------


def test_cells_limit_in_the_cutter() -> None:
    with limits.override(cells=1000):
        refused("cells", "申请人情况\n" + "1 | " * 5000)
