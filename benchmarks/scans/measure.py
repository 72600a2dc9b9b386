"""How well OCR reads scanned reports: cells exact / wrong / None, and the time per page.

    python benchmarks/scans/measure.py [--scans DIR] [--n 24] [--details]

Makes the scans (``make_scans.py``) in DIR when they are not there, reads each with
``gov_disclosure.formats.ocr.pdf_to_text`` and ``gov_disclosure.parse``, and compares
every cell with the ground truth:

- exact: the value read equals the expected one (a blank read as None counts);
- wrong: another value; *flagged* when OCR listed the number as uncertain
  (:attr:`OcrText.uncertain`, mapped to the cell by its line and column) — the
  reader turns those into ``value.low_confidence`` issues; a wrong value that is
  not flagged is the failure that must not happen;
- None: nothing read where a value is printed.

Prints markdown: a row per document, the totals, seconds per page and the machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_scans  # noqa: E402

import gov_disclosure  # noqa: E402
from gov_disclosure import ParseError, Report  # noqa: E402
from gov_disclosure.formats import ocr  # noqa: E402
from gov_disclosure.validate import validate  # noqa: E402


def compare(expected: Report, got: Report, flagged: set[str]) -> tuple[Counter, list[str]]:
    counts: Counter = Counter()
    notes: list[str] = []
    read = dict(got.cells())
    for address, want in expected.cells():
        value = read.get(address)
        if value == want and (value is None) == (want is None):
            counts["exact"] += 1
            if address in flagged:
                counts["exact_flagged"] += 1
        elif value is None:
            counts["none"] += 1
            notes.append(f"None {address}: expected {want!r}")
        elif address in flagged:
            counts["wrong_flagged"] += 1
            notes.append(f"wrong (flagged) {address}: expected {want!r}, read {value!r}")
        else:
            counts["wrong_silent"] += 1
            notes.append(f"WRONG (not flagged) {address}: expected {want!r}, read {value!r}")
    for field in ("edition", "agency", "year"):
        if getattr(got, field) != getattr(expected, field):
            counts[f"header_{field}"] += 1
            notes.append(f"{field}: expected {getattr(expected, field)!r}, read {getattr(got, field)!r}")
    return counts, notes


def flagged_cells(report: Report, result: "ocr.OcrText") -> set[str]:
    at = {(line, column): address for address, (line, column) in report.locations.items()}
    out = set()
    for u in result.uncertain:
        address = at.get((u.line, u.column))
        if address is not None:
            out.add(address)
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=Path, default=Path("/tmp/gov-disclosure-scans"))
    parser.add_argument("--n", type=int, default=24)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    if not any(args.scans.glob("*.pdf")):
        make_scans.main(["--out", str(args.scans), "--n", str(args.n)])
    total: Counter = Counter()
    rows = []
    pages = 0
    seconds = 0.0
    unmapped = 0
    loads = []
    for path in sorted(args.scans.glob("*.pdf"))[: args.n]:
        meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
        expected = Report.from_dict(meta["report"])
        started = time.perf_counter()
        result = ocr.pdf_to_text(path.read_bytes())
        elapsed = time.perf_counter() - started
        loads.append(os.getloadavg()[0])
        try:
            report = gov_disclosure.parse(result.text)
        except ParseError as exc:
            rows.append((path.stem, meta["plan"], result.pages, elapsed, None, [f"refused: {exc}"]))
            total["refused"] += 1
            continue
        flagged = flagged_cells(report, result)
        unmapped += len(result.uncertain) - len(flagged)
        counts, notes = compare(expected, report, flagged)
        counts["validation"] = sum(1 for i in validate(report) if i.severity == "error")
        total.update(counts)
        pages += result.pages
        seconds += elapsed
        rows.append((path.stem, meta["plan"], result.pages, elapsed, counts, notes))
        if args.details:
            (args.scans / f"{path.stem}.txt").write_text(result.text, "utf-8")
    print("| document | edition | scale | script | dpi | pages | s/page | exact | wrong (flagged) | wrong (not flagged) | None | flagged exact | validation errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, plan, n, elapsed, counts, _notes in rows:
        if counts is None:
            print(f"| {name} | {plan['edition']} | {plan['scale']} | | | {n} | {elapsed / max(n, 1):.1f} | refused | | | | | |")
            continue
        print(f"| {name} | {plan['edition']} | {plan['scale']} | {'trad.' if plan['traditional'] else 'simp.'} | "
              f"{plan['dpi']} | {n} | {elapsed / n:.1f} | {counts['exact']} | {counts['wrong_flagged']} | "
              f"{counts['wrong_silent']} | {counts['none']} | {counts['exact_flagged']} | {counts['validation']} |")
    cells = total["exact"] + total["wrong_flagged"] + total["wrong_silent"] + total["none"]
    print()
    print(f"documents {len(rows)} (refused {total['refused']}), pages {pages}, cells {cells}: "
          f"exact {total['exact']} ({100 * total['exact'] / max(cells, 1):.2f}%), "
          f"wrong flagged {total['wrong_flagged']}, wrong NOT flagged {total['wrong_silent']}, None {total['none']}; "
          f"exact but flagged {total['exact_flagged']}; uncertain boxes not on a cell {unmapped}; "
          f"header fields wrong: edition {total['header_edition']}, agency {total['header_agency']}, "
          f"year {total['header_year']}")
    print(f"time: {seconds / max(pages, 1):.2f} s/page OCR+layout ({seconds:.0f} s for {pages} pages), "
          f"{os.cpu_count()} cores, load average during the run {min(loads or [0]):.2f}–{max(loads or [0]):.2f}")
    if args.details:
        for name, _plan, _n, _e, _counts, notes in rows:
            for note in notes:
                print(f"- {name}: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
