"""Scanned reports read by OCR (issue 13): the ``[ocr]`` extra (rapidocr, onnxruntime, pypdfium2).

OCR is slow on two cores, so the suite reads few pages: one scanned report (two
pages) and one page image.  The measurement over many documents lives in
``benchmarks/scans/measure.py``.  Tests that need the extra are skipped without it;
the contract of :class:`~gov_disclosure.formats.ocr.Uncertain`, the errors without
the extra and the core's imports are tested always.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure import InputFormatError, Report
from gov_disclosure.formats import ocr, sniff

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "xihu-education-2023.expected.json"
needs_ocr = pytest.mark.skipif(
    not ocr.available(), reason="the [ocr] extra (rapidocr, onnxruntime, pypdfium2) is not installed"
)


def _report() -> Report:
    data = json.loads(FIXTURE.read_text("utf-8"))
    return Report.from_dict({k: v for k, v in data.items() if not k.startswith("_")})


def _pages(pdf: bytes, dpi: int = 150, angle: float = 0.6) -> list[object]:
    """The PDF's pages as slightly turned, noisy, JPEG-compressed grey images (a scan)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    out = []
    document = pdfium.PdfDocument(pdf)
    rng = np.random.default_rng(13)
    try:
        for i in range(len(document)):
            image = document[i].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, 8, (image.height, image.width))
            buffer = io.BytesIO()
            Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=75)
            out.append(Image.open(io.BytesIO(buffer.getvalue())))
    finally:
        document.close()
    return out


def _scan(report: Report) -> bytes:
    from gov_disclosure.render_documents import render_pdf

    pages = _pages(render_pdf(report))
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=150.0)  # type: ignore[attr-defined]
    return out.getvalue()


def _flagged(report: Report, result: ocr.OcrText) -> set[str]:
    at = {where: address for address, where in report.locations.items()}
    return {at[(u.line, u.column)] for u in result.uncertain if (u.line, u.column) in at}


@needs_ocr
def test_scanned_pdf_reads_as_rendered() -> None:
    expected = _report()
    data = _scan(expected)
    result = ocr.pdf_to_text(data)
    assert result.pages == result.ocr_pages == 2
    report = gd.parse(result.text)
    assert (report.edition, report.agency, report.year) == (expected.edition, expected.agency, expected.year)
    read = dict(report.cells())
    cells = list(expected.cells())
    exact = sum(1 for address, want in cells if read[address] == want)
    flagged = _flagged(report, result)
    wrong = [a for a, want in cells if read[a] is not None and read[a] != want and a not in flagged]
    assert exact >= 0.97 * len(cells)
    assert wrong == []  # a misread number is always flagged as uncertain


@needs_ocr
def test_page_image(tmp_path: Path) -> None:
    from gov_disclosure.render_documents import render_pdf

    page = _pages(render_pdf(_report()), dpi=200, angle=-0.8)[0]
    buffer = io.BytesIO()
    page.save(buffer, "PNG")  # type: ignore[attr-defined]
    data = buffer.getvalue()
    assert sniff(data) == "image"
    text = gd.formats.to_text(data)
    assert "第二十条第(一)项" in text.replace("（", "(").replace("）", ")")
    # table 二 of the fixture: 规章 0 0 0, 行政规范性文件 …
    lines = [line for line in text.splitlines() if " | " in line]
    assert any(line.startswith("规章 | ") for line in lines)
    # the image is the first page only: the report is read in part, with table 二 whole
    path = tmp_path / "page.png"
    path.write_bytes(data)
    report = gd.parse_file(path)
    assert report.active_disclosure == _report().active_disclosure
    assert not report.complete  # tables 三 and 四 are on the next page
    # parse_file on a PDF without a text layer takes the same road
    scan = tmp_path / "page.pdf"
    page.save(scan, "PDF", resolution=200.0)  # type: ignore[attr-defined]
    assert gd.parse_file(scan).active_disclosure == report.active_disclosure


@needs_ocr
def test_models_ship_inside_the_package() -> None:
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    assert any(models.glob("*det*.onnx")) and any(models.glob("*rec*.onnx"))


@needs_ocr
def test_no_network_at_run_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    class Refused(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("network used at run time")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network used at run time")

    monkeypatch.setattr(socket, "socket", Refused)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(ocr, "_ENGINE", None)  # made again, offline
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 120), 255)
    ImageDraw.Draw(image).text((20, 40), "2024 12 345", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    with pytest.raises(gd.ParseError):  # no report in it, but OCR ran without the network
        gd.parse(buffer.getvalue())


def test_uncertain_numbers_point_at_their_cells() -> None:
    """``OcrText.uncertain``: each number OCR was unsure of, at the line and column of its cell."""
    pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from gov_disclosure.formats.pdf import _Line, _Table
    from gov_disclosure.render_documents import render_pdf

    lines = gd.formats.to_text(render_pdf(_report())).splitlines()
    items: list[object] = []
    boxes: dict[int, tuple[int, list[object]]] = {}
    y = 0.0
    for text in lines:  # the rendered text as page items: rows with cells become one-row tables
        y += 20
        if " | " in text:
            row = [[k, cell] for k, cell in enumerate(text.split(" | "))]
            items.append(_Table([row], [[(k * 10.0, y, k * 10.0 + 10, y + 15) for k in range(len(row))]],
                                (0.0, y, 500.0, y + 15), 0))
            if text.startswith("规章 | "):
                cell = row[2]
                boxes[id(cell)] = (0, [ocr._Box(cell[1], 0, 0, 1, 1, 0.42, (10.0, 20.0, 30.0, 40.0))])
        else:
            items.append(_Line(text, y, y + 15, 0.0, 300.0, 11.0, 0))
    result = ocr._assemble([items], [2000.0], boxes)  # type: ignore[arg-type]
    assert len(result.uncertain) == 1
    u = result.uncertain[0]
    assert (u.page, u.bbox, u.confidence) == (1, (10.0, 20.0, 30.0, 40.0), 0.42)
    report = gd.parse(result.text)
    address = "active_disclosure.regulations.repealed"
    assert report.locations[address] == (u.line, u.column)
    assert result.text.splitlines()[u.line - 1][u.column - 1:].startswith(u.text)


def test_without_the_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from gov_disclosure.render_documents import render_pdf

    monkeypatch.setattr(ocr, "available", lambda: False)
    from PIL import Image

    picture = Image.new("L", (200, 100), 255)
    buffer = io.BytesIO()
    picture.save(buffer, "PDF")
    with pytest.raises(InputFormatError, match=r"no text layer.*gov-disclosure\[ocr\]"):
        gd.parse(buffer.getvalue())
    gd.parse(render_pdf(_report()))  # a PDF with a text layer never needs it
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    monkeypatch.setattr(ocr, "_ENGINE", None)
    png = io.BytesIO()
    picture.save(png, "PNG")
    with pytest.raises(InputFormatError, match=r"gov-disclosure\[ocr\]"):
        gd.parse(png.getvalue())


def test_core_does_not_import_ocr(tmp_path: Path) -> None:
    """The core install stays small: reading text (or a PDF with a text layer) imports nothing of OCR."""
    from gov_disclosure.render import render

    path = tmp_path / "report.txt"
    path.write_text(render(_report()), "utf-8")
    code = (
        "import sys, gov_disclosure as gd\n"
        "gd.parse_file(sys.argv[1])\n"
        "bad = [m for m in ('rapidocr', 'onnxruntime', 'cv2', 'pypdfium2', 'numpy') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
