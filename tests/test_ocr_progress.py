"""OCR progress per page (issue 13): the OCR adapter's page hook.

Real OCR takes seconds a page, so the engine is faked here: ``ocr._page_items`` (the
OCR of one page) is replaced by a function that reads nothing.  Forked workers inherit
the fake.  Only Pillow is needed for the images (pdfplumber, pypdfium2 and reportlab
for the PDF); the tests skip without them.
"""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from gov_disclosure import InputFormatError
from gov_disclosure.formats import ocr


def tiff(path: Path, frames: int, width: int = 60) -> Path:
    """A TIFF of ``frames`` blank pages (every frame of a TIFF is a page)."""
    Image = pytest.importorskip("PIL.Image")
    pages = [Image.new("L", (width, 80), 255) for _ in range(frames)]
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:])
    return path


@pytest.fixture
def fake_ocr(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """OCR that reads nothing on a page and takes no time; returns the widths of the pages it was given.

    A page 13 pixels wide kills the process that reads it (a worker crash)."""
    seen: list[int] = []

    def page_items(image: Any, number: int, scale: float) -> tuple[list[Any], float, float, dict[int, Any]]:
        seen.append(image.width)
        if image.width == 13:
            os.kill(os.getpid(), signal.SIGKILL)
        return [], 842.0, 595.0, {}

    monkeypatch.setattr(ocr, "_engine", lambda: None)
    monkeypatch.setattr(ocr, "_page_items", page_items)
    return seen


@pytest.fixture
def hook() -> Any:
    """The OCR page hook, reset after the test (it is module state)."""
    before = ocr.set_page_hook(None)
    yield ocr.set_page_hook
    ocr.set_page_hook(before)


# --- the OCR adapter's hook -----------------------------------------------------------------


def test_the_hook_is_told_every_page_of_an_image(tmp_path: Path, fake_ocr: list[int], hook: Any) -> None:
    events: list[tuple[int, int]] = []
    assert hook(lambda page, pages: events.append((page, pages))) is None
    with pytest.raises(InputFormatError, match="OCR found no text"):
        ocr.image_to_text(tiff(tmp_path / "scan.tif", 3).read_bytes())
    assert events == [(1, 3), (2, 3), (3, 3)]
    assert len(fake_ocr) == 3  # one event per page OCR read, before it


def test_the_hook_is_told_only_the_pdf_pages_ocr_reads(tmp_path: Path, fake_ocr: list[int], hook: Any) -> None:
    """Pages with a text layer are not OCR'd, so not reported; page numbers are the PDF's."""
    pytest.importorskip("pdfplumber")
    pytest.importorskip("pypdfium2")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in ("page one has text", None, None, "page four has text"):
        if text:
            pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    events: list[tuple[int, int]] = []
    hook(lambda page, pages: events.append((page, pages)))
    with pytest.raises(InputFormatError):  # the fake OCR finds no tables
        ocr.pdf_to_text(buffer.getvalue())
    assert events == [(2, 4), (3, 4)]


def test_a_failing_hook_does_not_stop_the_read(tmp_path: Path, fake_ocr: list[int], hook: Any) -> None:
    def broken(page: int, pages: int) -> None:
        raise RuntimeError("the terminal went away")

    hook(broken)
    with pytest.raises(InputFormatError, match="OCR found no text"):  # the read went on to the end
        ocr.image_to_text(tiff(tmp_path / "scan.tif", 2).read_bytes())
    assert len(fake_ocr) == 2
    assert hook(None) is broken  # set_page_hook returns the hook it replaces
