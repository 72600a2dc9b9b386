"""Median time per report for each input format, and for traditional vs simplified text.

    .venv/bin/python benchmarks/formats.py [--reports N] [--repeat K]

Reports: the seed reports under ../shared/seeds (when present), the hand-read
HTML fixture, and generated reports (``gov_disclosure.strategies.reports``,
fixed seed) up to N.  Each report is rendered once per format (text in the
pipe layout, simplified and traditional script; an HTML page; a DOCX; a PDF)
and parsed K times; the time of a report is the fastest of its K runs (as
:mod:`timeit` advises: slower runs measure other processes), and the table shows
the median, min and max over reports.  The real PDF ``huaian-2024.pdf`` is timed
on its own.  Rendering is not timed; the first parse (grammar compilation) is
done before timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import gov_disclosure as gd  # noqa: E402
from gov_disclosure.render import render  # noqa: E402
from gov_disclosure.render_documents import render_docx, render_html, render_pdf  # noqa: E402

SHARED = ROOT.parent / "shared"


def sample_reports(n: int) -> list[Any]:
    out = []
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    out += [gd.parse(p.read_text(encoding="utf-8")) for p in seeds]
    out.append(gd.parse_file(ROOT / "tests" / "fixtures" / "html" / "xihu-education-2023.html"))
    if len(out) < n:
        from hypothesis import HealthCheck, given, seed, settings

        from gov_disclosure.strategies import reports

        drawn: list[Any] = []

        @seed(20240101)
        @settings(max_examples=n - len(out), database=None, deadline=None, suppress_health_check=list(HealthCheck))
        @given(reports(consistent=True))
        def draw(report: Any) -> None:
            drawn.append(report)

        draw()
        out += drawn[: n - len(out)]
    return out


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    reports = sample_reports(args.reports)
    inputs: dict[str, list[Any]] = {
        "text (simplified)": [render(r, "pipe") for r in reports],
        "text (traditional)": [render(r, "pipe", traditional=True) for r in reports],
        "HTML": [render_html(r) for r in reports],
        "DOCX": [render_docx(r) for r in reports],
        "PDF": [render_pdf(r) for r in reports],
    }
    for data in inputs.values():  # warm up: compile grammars, import adapters
        gd.parse(data[0])

    print(f"{len(reports)} reports, best of {args.repeat} runs each; seconds per report (parse only)")
    print(f"{'input':<22}{'median':>10}{'min':>10}{'max':>10}")
    for name, data in inputs.items():
        times = [timed(lambda d=d: gd.parse(d), args.repeat) for d in data]
        print(f"{name:<22}{statistics.median(times):>10.4f}{min(times):>10.4f}{max(times):>10.4f}")

    from unittest import mock

    with mock.patch.dict(sys.modules, {"selectolax": None, "selectolax.lexbor": None}):
        times = [timed(lambda d=d: gd.parse(d), args.repeat) for d in inputs["HTML"]]
    name = "HTML (html.parser)"
    print(f"{name:<22}{statistics.median(times):>10.4f}{min(times):>10.4f}{max(times):>10.4f}")

    real = SHARED / "real" / "huaian-2024.pdf"
    if real.exists():
        data = real.read_bytes()
        print(f"{'huaian-2024.pdf (6 p.)':<22}{timed(lambda: gd.parse(data), args.repeat):>10.4f}")

    from gov_disclosure.formats import to_text

    print("\nadapter only (document → text), median seconds per report")
    for name in ("HTML", "DOCX", "PDF"):
        fmt = name.lower()
        times = [timed(lambda d=d, f=fmt: to_text(d, f), args.repeat) for d in inputs[name]]
        print(f"{name:<22}{statistics.median(times):>10.4f}")


if __name__ == "__main__":
    main()
