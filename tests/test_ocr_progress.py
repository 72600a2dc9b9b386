"""OCR progress per page (issue 13): the OCR adapter's page hook, the bar's ``OCR file page 3/17``
and the channel that brings the workers' page events to the main process.

Real OCR takes seconds a page, so the engine is faked here: ``ocr._page_items`` (the
OCR of one page) is replaced by a function that reads nothing.  Forked workers inherit
the fake.  Only Pillow is needed for the images (pdfplumber, pypdfium2 and reportlab
for the PDF); the tests skip without them.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from gov_disclosure import InputFormatError
from gov_disclosure import batch as batch_mod
from gov_disclosure.batch import Progress, batch_validate, iter_outcomes
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


# --- the progress bar -----------------------------------------------------------------------


def test_the_bar_shows_the_page_ocr_is_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    shown = io.StringIO()
    bar = Progress(40, shown, enabled=True, delay=0)
    bar.update(12)
    bar._last = 0.0  # past the redraw interval
    bar.page("/reports/2023/scan.pdf", 3, 17)
    line = shown.getvalue().split("\r")[-1]
    assert line.endswith(" 12/40  30% · OCR scan.pdf page 3/17"), line
    assert len(line) == 99
    bar._last = 0.0
    bar.update(source="/reports/2023/other.pdf")  # another file done: still on scan.pdf
    assert shown.getvalue().split("\r")[-1].endswith("OCR scan.pdf page 3/17")
    bar._last = 0.0
    bar.update(source="/reports/2023/scan.pdf")  # scan.pdf done: the page leaves the line
    assert shown.getvalue().split("\r")[-1].endswith(" 14/40  35%")
    bar.close()


def test_a_long_chinese_name_is_cut_to_fit_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = io.StringIO()
    bar = Progress(40, shown, enabled=True, delay=0)
    name = "二〇二三年度某某县人民政府信息公开工作年度报告（扫描件）.pdf"
    bar.page(f"/reports/{name}", 4, 17)
    line = shown.getvalue().split("\r")[-1]
    assert line.startswith("[") and "· OCR 二〇二三年度" in line and line.endswith("报告（扫描件）.pdf page 4/17") and "…" in line
    assert batch_mod._columns(line) <= 79  # a Chinese character is two columns wide


def test_the_page_waits_for_the_redraw_interval_and_nothing_when_disabled() -> None:
    shown = io.StringIO()
    bar = Progress(4, shown, enabled=True, delay=0)
    bar.page("a.pdf", 1, 9)
    bar.page("a.pdf", 2, 9)  # within 0.1 s of the last draw: not drawn
    assert "page 1/9" in shown.getvalue() and "page 2/9" not in shown.getvalue()
    silent = io.StringIO()
    bar = Progress(4, silent, enabled=False, delay=0)
    bar.page("a.pdf", 1, 9)
    bar.update()
    bar.close()
    assert silent.getvalue() == ""


def test_a_serial_batch_shows_each_page_on_a_terminal(
    tmp_path: Path, fake_ocr: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ocr._page_items

    def slow(image: Any, number: int, scale: float) -> Any:
        time.sleep(0.12)  # past the bar's redraw interval
        return real(image, number, scale)

    monkeypatch.setattr(ocr, "_page_items", slow)
    scan = tiff(tmp_path / "scan.tif", 3)
    shown = io.StringIO()
    summary = batch_validate([str(scan)], io.StringIO(), jobs=1, progress=Progress(1, shown, True, delay=0))
    assert len(summary.failures) == 1  # the fake OCR reads nothing
    drawn = shown.getvalue()
    assert [f"OCR scan.tif page {n}/3" in drawn for n in (1, 2, 3)] == [True, True, True]
    last = [line for line in drawn.split("\r") if line.startswith("[")][-1]
    assert last.endswith(" 1/1 100%"), last  # the file done, its page left the line
    assert ocr._PAGE_HOOK is None  # put back after the file


def test_no_hook_and_no_channel_when_the_bar_is_hidden(
    tmp_path: Path, fake_ocr: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """stderr is not a terminal: nothing is printed and nothing is paid (no hook, no manager process)."""
    calls: list[Any] = []
    monkeypatch.setattr(ocr, "set_page_hook", lambda h: calls.append(h))

    def no_channel(*args: Any) -> None:
        raise AssertionError("a page channel for a hidden bar")

    monkeypatch.setattr(batch_mod, "_PageEvents", no_channel)
    scans = [str(tiff(tmp_path / f"scan{i}.tif", 2)) for i in range(3)]
    shown = io.StringIO()
    for jobs in (1, 2):
        summary = batch_validate(scans, io.StringIO(), jobs=jobs, progress=Progress(3, shown, False, delay=0))
        assert len(summary.failures) == 3
    assert calls == [] and shown.getvalue() == ""
    assert len(fake_ocr) == 6  # the workers' reads are not seen here: only jobs=1 counts


# --- worker processes -------------------------------------------------------------------------


def test_workers_page_events_reach_the_main_process(tmp_path: Path, fake_ocr: list[int]) -> None:
    scans = [str(tiff(tmp_path / f"scan{i}.tif", frames)) for i, frames in enumerate((2, 3, 1, 4))]
    threads = threading.active_count()
    events: list[tuple[str, int, int, int]] = []
    seen_at: dict[str, int] = {}
    for outcome in iter_outcomes(
        scans, "validate", jobs=2, chunksize=1, pages=lambda s, p, n: events.append((s, p, n, os.getpid()))
    ):
        seen_at[outcome.source] = len(events)
    assert fake_ocr == []  # the pages were read in the workers, not here
    assert sorted(e[:3] for e in events) == sorted(
        (s, p, n) for s, n in zip(scans, (2, 3, 1, 4)) for p in range(1, n + 1)
    )
    assert {e[3] for e in events} == {os.getpid()}  # passed on in this process
    for source in scans:  # every page event of a file comes before its outcome
        assert all(i < seen_at[source] for i, e in enumerate(events) if e[0] == source)
    # nothing left running: no manager process, no thread
    assert multiprocessing.active_children() == []
    assert threading.active_count() == threads


def test_a_dead_worker_does_not_hang_the_page_events(tmp_path: Path, fake_ocr: list[int]) -> None:
    scans = [str(tiff(tmp_path / f"scan{i}.tif", 2)) for i in range(4)]
    deadly = str(tiff(tmp_path / "deadly.tif", 2, width=13))
    events: list[tuple[str, int, int]] = []
    start = time.monotonic()
    outcomes = list(iter_outcomes([*scans[:2], deadly, *scans[2:]], "validate", jobs=2, chunksize=1,
                                  pages=lambda s, p, n: events.append((s, p, n))))
    assert time.monotonic() - start < 60
    assert [o.kind for o in outcomes].count("WorkerDied") == 1 and outcomes[2].source == deadly
    assert {(s, p) for s, p, _ in events} >= {(s, p) for s in scans for p in (1, 2)}
    assert multiprocessing.active_children() == []


def test_the_channel_outlives_its_manager_process() -> None:
    """A dead manager (Ctrl-C reaches every process of the group) ends the events, not the batch."""
    got: list[tuple[str, int, int]] = []
    events = batch_mod._PageEvents(batch_mod._mp_context(), lambda s, p, n: got.append((s, p, n)))
    try:
        send = batch_mod._Sender(events.queue)
        for page in range(1, events.LIMIT + 10):  # bounded: the events past the limit are dropped
            send("a.pdf", page, 999)
        events.drain()
        assert got == [("a.pdf", p, 999) for p in range(1, events.LIMIT + 1)]
        events.manager._process.kill()  # type: ignore[attr-defined]
        events.manager._process.join(10)  # type: ignore[attr-defined]
        send("a.pdf", 1, 1)  # no exception, no wait
        assert send.events is None
        events.drain()
        assert events.queue is None and len(got) == events.LIMIT
    finally:
        events.close()
    assert multiprocessing.active_children() == []
