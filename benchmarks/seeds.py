"""Time to parse each seed report, and where the time goes.

    python benchmarks/seeds.py [--runs 300]

For each seed in ../shared/seeds: the median wall time of parse() over many runs,
and the split between normalisation (script, width, cutting into cells), Lark (the
cell lexer and the LALR parser) and transformation (building the attrs objects),
plus validate().  Transformation runs inline in the parser; its share is the
difference between the real parser and the same grammar with a do-nothing
transformer.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from lark import Lark, Transformer

import gov_disclosure as gd
from gov_disclosure import editions
from gov_disclosure._lexer import CellLexer, CellStream
from gov_disclosure._normalize import cells, normalise

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


class _Nothing(Transformer):
    """Returns None for every model rule (Lark's helper rules keep their trees)."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda children: None


def median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args()
    bare = {}
    print(f"{'seed':26} {'edition':7} {'parse ms':>9} {'normalise':>9} {'lark':>7} {'transform':>9} {'validate':>9}")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        report = gd.parse(text)
        compiled = editions.get(report.edition).compile()
        if report.edition not in bare:
            bare[report.edition] = Lark.open_from_package(
                "gov_disclosure", str(compiled.edition.grammar), ("",), parser="lalr", lexer=CellLexer,
                transformer=_Nothing(), maybe_placeholders=False,
            )
        # each timed call binds this seed's objects (default arguments), not the loop's
        total = median_ms(lambda text=text: gd.parse(text), args.runs)
        norm = median_ms(lambda text=text, c=compiled: cells(normalise(text), c.value_re), args.runs)
        cs = cells(normalise(text), compiled.value_re)
        with_build = median_ms(lambda c=compiled, cs=cs: c.lark.parse(CellStream(cs)), args.runs)
        lark_only = median_ms(lambda p=bare[report.edition], cs=cs: p.parse(CellStream(cs)), args.runs)
        val = median_ms(lambda r=report: gd.validate(r), args.runs)
        build = max(with_build - lark_only, 0.0)
        shares = [x / total * 100 for x in (norm, lark_only, build)]
        print(
            f"{path.stem:26} {report.edition:7} {total:9.3f} {norm:6.3f} ({shares[0]:2.0f}%) "
            f"{lark_only:.3f} ({shares[1]:2.0f}%) {build:.3f} ({shares[2]:2.0f}%) {val:9.3f}"
        )


if __name__ == "__main__":
    main()
