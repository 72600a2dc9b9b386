"""Decompression bombs and oversized inputs (issue 14): the time and peak memory to refuse each.

Each bomb is built once into a temporary directory, then read by a fresh
subprocess per bomb and mode, so the peak memory (``ru_maxrss`` of that process,
from ``os.wait4``) is the bomb's own; it includes the interpreter and the
library's imports (the ``baseline`` row: one normal report).

Modes:

* ``on``: the default :mod:`gov_disclosure.limits` (``parse`` refuses the bomb);
* ``off``: every limit switched off (``Limits.unlimited()``), the same code —
  what the limits save;
* ``--src DIR`` runs the workers against another source tree (e.g. the commit
  before the limits: ``git archive <rev> src | tar -x -C /tmp/before``), where
  the library has no limits at all.

Runs that are still going after ``--timeout`` seconds are killed (``>T``), and
every worker runs under an address-space cap (``--memory``, default 6 GB), so a
bomb cannot take the machine down; a worker killed by it reports ``MemoryError``.

PDF bombs: ``pdf.py`` calls :func:`gov_disclosure.limits.check_pdf` once wired;
until then the ``on`` mode of the PDF rows runs that check on the bytes (what
``parse`` will do first) and says so.

    python benchmarks/bombs.py                    # every bomb, on and off
    python benchmarks/bombs.py --only html_span --modes on
    python benchmarks/bombs.py --src /tmp/before/src --modes off
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Optional

MB = 1024 * 1024


# --- the bombs --------------------------------------------------------------------------------


def docx_paragraphs(size: int = 100 * MB) -> bytes:
    """A DOCX whose document.xml is ``size`` bytes of empty paragraphs (``<w:p/>``)."""
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    tail = b"</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with z.open("word/document.xml", "w", force_zip64=True) as f:
                    f.write(head)
                    block = b"<w:p/>" * (MB // 6)
                    for _ in range(size // len(block)):
                        f.write(block)
                    f.write(tail)
            else:
                z.writestr(info, src.read(info))
    return out.getvalue()


def docx_gridspan(span: int = 50_000_000) -> bytes:
    """A small DOCX with one table cell spanning ``span`` grid columns (``<w:gridSpan>``)."""
    from docx import Document

    document = Document()
    document.add_paragraph("申请人情况")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "1"
    buf = io.BytesIO()
    document.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>'.encode(), 1)
            z.writestr(info, data)
    return out.getvalue()


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_stream(size: int = 500 * MB) -> bytes:
    """A one-page PDF whose content stream (Flate) unpacks to ``size`` bytes of spaces."""
    deflater = zlib.compressobj(9)
    chunk = b" " * MB
    packed = b"".join(deflater.compress(chunk) for _ in range(size // MB)) + deflater.flush()
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def pdf_pages(pages: int = 500) -> bytes:
    """A PDF of ``pages`` pages of a few lines of text and numbers each."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    font = 3 + 2 * pages
    for i in range(pages):
        lines = b"".join(b"(row %d %d 12 34 56 78 90) Tj 0 -14 Td " % (i, k) for k in range(40))
        content = b"BT /F1 10 Tf 50 800 Td " + lines + b"ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _raw_pdf(objects)


def html_span(rows: int = 10_000) -> bytes:
    """A 200 KB page: one cell with ``rowspan=10000 colspan=1000`` over ``rows`` one-cell rows."""
    body = '<tr><td rowspan="10000" colspan="1000">申请人情况</td></tr>' + "<tr><td>1</td></tr>" * (rows - 1)
    return f"<html><body><table>{body}</table></body></html>".encode()


def text_line(size: int = 10 * MB) -> bytes:
    """One 10 MB line of ``12 ``."""
    return b"12 " * (size // 3)


def html_nesting(depth: int = 100_000) -> bytes:
    """``depth`` nested ``<div>`` elements around a report table caption."""
    return ("<div>" * depth + "<table><tr><td>申请人情况</td><td>1</td></tr></table>" + "</div>" * depth).encode()


def baseline() -> bytes:
    """One normal report (a stand-in), as text."""
    root = Path(__file__).resolve().parents[1]
    return (root / "tests" / "fixtures" / "standins" / "a_pipe_page_date.txt").read_bytes()


BOMBS: dict[str, tuple[Callable[[], bytes], str]] = {
    "baseline": (baseline, "a normal report (stand-in a, text)"),
    "docx_paragraphs": (docx_paragraphs, "DOCX: 100 MB of empty paragraphs, zipped"),
    "docx_gridspan": (docx_gridspan, "DOCX: one cell with gridSpan=50 000 000"),
    "pdf_stream": (pdf_stream, "PDF: a Flate stream unpacking to 500 MB"),
    "pdf_pages": (pdf_pages, "PDF: 500 pages of text"),
    "html_span": (html_span, "HTML: rowspan=10000 colspan=1000 over 10 000 rows"),
    "text_line": (text_line, "text: one 10 MB line of '12 '"),
    "html_nesting": (html_nesting, "HTML: 100 000 nested <div>"),
}


# --- the worker (one bomb, one mode, in its own process) -------------------------------------


def _worker(path: str, name: str, mode: str) -> None:
    import gov_disclosure

    try:
        from gov_disclosure import limits
    except ImportError:  # a source tree from before the limits
        limits = None  # type: ignore[assignment]
    data = Path(path).read_bytes()
    if limits is not None and mode == "off":
        limits.set_default(limits.Limits.unlimited())
    start = time.perf_counter()
    outcome = "parsed"
    try:
        if name.startswith("pdf") and mode == "on" and limits is not None:
            limits.check_pdf(data)  # what pdf.py does first once wired
            outcome = "passed check_pdf"
        else:
            gov_disclosure.parse(data)
    except MemoryError:
        outcome = "MemoryError"
    except Exception as exc:
        code = getattr(exc, "code", None)
        outcome = f"{type(exc).__name__}({code})" if code else type(exc).__name__
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.3f}\t{outcome}", flush=True)


def _run(path: Path, name: str, mode: str, timeout: float, memory: int, src: Optional[str]) -> tuple[str, str, str]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", str(path), name, mode],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, preexec_fn=cap,
    )
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            assert proc.stdout is not None
            proc.stdout.close()
            return f">{timeout:.0f} s", f"≥{usage.ru_maxrss / 1024:.0f} MB", "killed (timeout)"
        time.sleep(0.05)
    assert proc.stdout is not None
    out = proc.stdout.read().decode().strip()
    proc.stdout.close()
    peak = f"{usage.ru_maxrss / 1024:.0f} MB"
    if not out:
        return "?", peak, f"died (status {status})"
    seconds, outcome = out.split("\t", 1)
    return f"{float(seconds):.2f} s", peak, outcome


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=list(BOMBS), choices=list(BOMBS))
    parser.add_argument("--modes", nargs="*", default=["on", "off"], choices=["on", "off"])
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--memory", type=int, default=6 * 1024, help="address-space cap per worker, MB")
    parser.add_argument("--src", help="run the workers against this source tree (PYTHONPATH)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print("| bomb | input | mode | time to refuse | peak memory (process) | outcome |")
        print("|---|---|---|---|---|---|")
        for name in args.only:
            build, what = BOMBS[name]
            path = Path(tmp) / name
            path.write_bytes(build())
            size = path.stat().st_size
            shown = f"{size / 1024:.0f} KB" if size < 10 * MB else f"{size / MB:.0f} MB"
            for mode in args.modes:
                t, mem, outcome = _run(path, name, mode, args.timeout, args.memory * MB, args.src)
                label = mode if not args.src else f"{mode} ({args.src})"
                print(f"| {what} | {shown} | {label} | {t} | {mem} | {outcome} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        _worker(*sys.argv[2:])
    else:
        main()
