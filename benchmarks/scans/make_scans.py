"""Scanned-looking report PDFs: render a report, rasterise it, skew it, add noise and JPEG.

    python benchmarks/scans/make_scans.py --out /tmp/scans --n 24

Each synthetic report (``benchmarks/toolchain/make_corpus.py``'s generator, seeded)
is rendered to a PDF with a text layer (reportlab ``render_pdf``; for the
traditional-script ones LibreOffice converts the rendered DOCX, its text turned
traditional), rasterised with pypdfium2 at 150–200 dpi, turned by a slight angle,
given noise and JPEG compression, and wrapped as an image-only PDF:

    OUT/<name>.pdf      the scan (no text layer)
    OUT/<name>.json     the report (ground truth, ``Report.to_dict()``)

Needs the ``[ocr]`` and ``[docx]`` extras, reportlab, and LibreOffice for the
traditional-script documents (skipped without it).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "toolchain"))

from make_corpus import make_report_dict  # noqa: E402

from gov_disclosure import Report  # noqa: E402
from gov_disclosure.render import to_traditional  # noqa: E402
from gov_disclosure.render_documents import render_docx, render_pdf  # noqa: E402

SEED = 20250113
SCALES = ("township", "county", "city")


def traditional_pdf(report: Report) -> bytes:
    """The report's DOCX with every text in traditional script, converted to PDF by LibreOffice."""
    import docx

    document = docx.Document(io.BytesIO(render_docx(report)))

    def turn(paragraphs: Any) -> None:
        for p in paragraphs:
            for run in p.runs:
                if run.text:
                    run.text = to_traditional(run.text)

    turn(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                turn(cell.paragraphs)
    with tempfile.TemporaryDirectory() as work:
        src = Path(work) / "report.docx"
        document.save(str(src))
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", work, str(src)], check=True, capture_output=True,
                       timeout=300)
        return (Path(work) / "report.pdf").read_bytes()


def scan(pdf: bytes, rng: random.Random, dpi: int, angle: float, noise: float, quality: int) -> bytes:
    """An image-only PDF that looks scanned: rasterised, turned, noisy, JPEG-compressed."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    pages = []
    document = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(document)):
            image = document[i].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
            image = image.rotate(angle + rng.uniform(-0.15, 0.15), resample=Image.BICUBIC, expand=False,
                                 fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32)
            generator = np.random.default_rng(rng.randrange(2**32))
            pixels = pixels + generator.normal(0.0, noise, pixels.shape)
            speckle = generator.random(pixels.shape) < 0.0002  # dust
            pixels[speckle] = 40
            pixels = np.clip(pixels * 0.93 + 10, 0, 255).astype(np.uint8)  # grey paper, not pure black ink
            buffer = io.BytesIO()
            Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
            pages.append(Image.open(io.BytesIO(buffer.getvalue())))
    finally:
        document.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return out.getvalue()


def plan(n: int) -> list[dict[str, Any]]:
    """``n`` documents: both editions × three scales, blanks and traditional script mixed in."""
    out = []
    for k in range(n):
        edition = ("2021", "2019")[k % 2]
        scale = SCALES[(k // 2) % 3]
        out.append({
            "name": f"scan_{k:02d}_{edition}_{scale}",
            "edition": edition,
            "scale": scale,
            "traditional": k % 4 == 3,
            "blanks": k % 3 == 1,
            "dpi": (150, 175, 200)[k % 3],
        })
    return out


def make(entry: dict[str, Any], seed: int = SEED) -> tuple[bytes, dict[str, Any]]:
    rng = random.Random(f"{seed}-{entry['name']}")
    d = make_report_dict(rng, entry["edition"], entry["scale"], entry["blanks"], entry["blanks"])
    report = Report.from_dict(d)
    if entry["traditional"]:
        pdf = traditional_pdf(report)
    else:
        pdf = render_pdf(report)
    angle = rng.choice([-1, 1]) * rng.uniform(0.3, 1.2)
    data = scan(pdf, rng, entry["dpi"], angle, noise=rng.uniform(6, 14), quality=rng.choice([60, 70, 80]))
    return data, report.to_dict()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=24)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    have_soffice = shutil.which("soffice") is not None
    for entry in plan(args.n):
        if entry["traditional"] and not have_soffice:
            print(f"{entry['name']}: skipped (traditional script needs LibreOffice)", file=sys.stderr)
            continue
        data, expected = make(entry)
        (args.out / f"{entry['name']}.pdf").write_bytes(data)
        (args.out / f"{entry['name']}.json").write_text(
            json.dumps({"plan": entry, "report": expected}, ensure_ascii=False, indent=1, default=str), "utf-8")
        print(entry["name"], len(data) // 1024, "KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
