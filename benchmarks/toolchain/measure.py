"""How well ``gov_disclosure.parse`` reads the toolchain corpus, per form.

    python benchmarks/toolchain/measure.py [--corpus tests/fixtures/toolchain] [--details]

For every ``<form>/<report>.txt`` (and ``damaged/<name>.txt``) it parses the text and
compares every cell (``Report.cells()``) with ``expected/<report>.json``
(``damaged/<name>.json``):

- exact: the value read equals the expected value (``None`` for an expected blank counts);
- wrong: a value that differs from the expected one and is not ``None`` — a reader that
  is correct never produces one, whatever the damage;
- None: nothing read where a value is printed.

Refused reports (``ParseError``) contribute no cells.  Any other exception is a crash
and is counted separately.  Prints markdown.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Optional

import gov_disclosure
from gov_disclosure import ParseError, Report
from gov_disclosure._normalize import to_simplified

SKIP = {"expected", "damaged"}


def compare(expected: Report, got: Report) -> tuple[Counter, list[str]]:
    counts: Counter = Counter()
    wrong: list[str] = []
    read = dict(got.cells())
    for address, want in expected.cells():
        value = read.get(address)
        if value == want and (value is None) == (want is None):
            counts["exact"] += 1
        elif value is None:
            counts["none"] += 1
        else:
            counts["wrong"] += 1
            wrong.append(f"{address}: expected {want!r}, read {value!r}")
    for field in ("edition", "agency", "year"):
        have, want = getattr(got, field), getattr(expected, field)
        if field == "agency" and have is not None:
            have = to_simplified(have)  # the agency is returned as printed (traditional script too)
        if have != want and want is not None:
            counts[f"header_{field}"] += 1
    return counts, wrong


def one_line(text: str, limit: int = 140) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def measure(pairs: list[tuple[Path, Path]]) -> dict[str, Any]:
    row: dict[str, Any] = {"files": 0, "read": 0, "refused": 0, "crashed": 0, "counts": Counter(),
                           "refusal": None, "wrong": [], "per_file": {}}
    for text_path, expected_path in pairs:
        row["files"] += 1
        expected = Report.from_json(expected_path.read_text("utf-8"))
        text = text_path.read_text("utf-8")
        try:
            got = gov_disclosure.parse(text)
        except ParseError as exc:
            row["refused"] += 1
            row["per_file"][text_path.stem] = "refused: " + one_line(str(exc), 100)
            if row["refusal"] is None:
                row["refusal"] = f"{text_path.stem}: {one_line(str(exc))}"
            continue
        except Exception as exc:  # noqa: BLE001 - a crash is a finding
            row["crashed"] += 1
            row["per_file"][text_path.stem] = f"CRASH {type(exc).__name__}: {one_line(str(exc), 100)}"
            continue
        row["read"] += 1
        counts, wrong = compare(expected, got)
        row["counts"].update(counts)
        row["wrong"] += [f"{text_path.stem}: {w}" for w in wrong]
        row["per_file"][text_path.stem] = f"read: {counts['exact']} exact, {counts['wrong']} wrong, {counts['none']} None"
    return row


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("tests/fixtures/toolchain"))
    ap.add_argument("--details", action="store_true", help="also list every wrong cell and each damaged file")
    ap.add_argument("--skip", default="", help="comma-separated report numbers to leave out (e.g. 01,04: "
                    "the reports with blank cells, which every text form without a grid loses)")
    args = ap.parse_args(argv)
    corpus = args.corpus
    expected_dir = corpus / "expected"

    results: dict[str, dict[str, Any]] = {}
    for form in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name not in SKIP):
        skip = tuple(x for x in args.skip.split(",") if x)
        pairs = [(t, expected_dir / f"{t.stem}.json") for t in sorted(form.glob("*.txt"))
                 if not (skip and t.stem.startswith(skip))]
        results[form.name] = measure(pairs)
    damaged = corpus / "damaged"
    if damaged.is_dir():
        for t in sorted(damaged.glob("*.txt")):
            results[f"damaged/{t.stem}"] = measure([(t, t.with_suffix(".json"))])

    print(f"gov-disclosure {gov_disclosure.__version__} ({Path(gov_disclosure.__file__).parent})\n")
    print("| form | reports read | refused | crashed | cells exact | cells wrong | cells None | header mismatches |")
    print("|---|---|---|---|---|---|---|---|")
    total = Counter()
    for name, r in results.items():
        c = r["counts"]
        header = c["header_edition"] + c["header_agency"] + c["header_year"]
        print(f"| {name} | {r['read']}/{r['files']} | {r['refused']} | {r['crashed']} | {c['exact']} | {c['wrong']} | {c['none']} | {header} |")
        total.update({"files": r["files"], "read": r["read"], "refused": r["refused"], "crashed": r["crashed"],
                      "exact": c["exact"], "wrong": c["wrong"], "none": c["none"], "header": header})
    print(f"| **all** | {total['read']}/{total['files']} | {total['refused']} | {total['crashed']} | {total['exact']} | "
          f"{total['wrong']} | {total['none']} | {total['header']} |")

    print("\n| form | example refusal |\n|---|---|")
    for name, r in results.items():
        if r["refusal"]:
            print(f"| {name} | {r['refusal']} |")

    wrong = [(name, w) for name, r in results.items() for w in r["wrong"]]
    if wrong:
        print(f"\n**{len(wrong)} wrong cells** (first 40):\n")
        for name, w in wrong[: 40 if not args.details else None]:
            print(f"- {name}/{w}")
    if args.details:
        print("\n| file | outcome |\n|---|---|")
        for name, r in results.items():
            for stem, outcome in r["per_file"].items():
                print(f"| {name}/{stem} | {one_line(outcome)} |")
    return 1 if total["wrong"] or total["crashed"] else 0


if __name__ == "__main__":
    sys.exit(main())
