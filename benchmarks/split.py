"""Benchmark: recovering table rows whose cell separators were lost (issue 12, ``gov_disclosure._split``).

    .venv/bin/python benchmarks/split.py             # ~a minute
    .venv/bin/python benchmarks/split.py --tables 50 # smaller, for a smoke run

Generates consistent table-三 data (2021 edition: 22 result rows, 一 二 （七） 四) at three
scales — township (counts 0–9), county (0–99), city (0–99,999) — mostly zeros, every rule
holding by construction, then loses separators in the worst way and splits:

* **row alone** — every row glued into one run of digits, each split by
  :func:`split_row` (``sum_last``, 7 cells) alone;
* **table, one row glued** — one random row per table glued whole, every other row printed
  with its separators, :func:`split_table` (what a reader meets when one line lost its bars);
* **table, all rows glued** — every row of the table one run, :func:`split_table`;
* **table, partly glued** — every row loses each separator with probability 0.7;
* **table 四** — 15 cells (three groups of five) glued whole, :func:`split_appeals`;
* **adversarial runs** — 40-digit runs no real row prints (random digits, all ``1``,
  ``10`` repeated, …): the steps and time of the search, to justify the step limit.

Reported: share uniquely recovered, share ambiguous (several splits, none, or a search
limit), share **wrong** (a unique split differing from the true numbers — must be 0), time
per row / per table (mean and p99, ``time.perf_counter``), the steps of the largest search,
and the load average (``os.getloadavg``) before and after: on a busy shared machine the
times are inflated, the shares are not.  Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gov_disclosure._split import DEFAULT_LIMIT, split_appeals, split_row, split_table  # noqa: E402

RESULT_ROWS = tuple(f"r{i}" for i in range(22))
ROWS = ("new_received", "carried_over", *RESULT_ROWS, "total", "carried_forward")
SCALES = {"township": 9, "county": 99, "city": 99_999}
Table = Dict[str, Tuple[int, ...]]


def count(rng: random.Random, top: int, zeros: float = 0.6) -> int:
    """Mostly 0, else log-uniform up to ``top``."""
    if rng.random() < zeros:
        return 0
    return min(top, int(10 ** rng.uniform(0, len(str(top)))))


def make_table(rng: random.Random, top: int) -> Table:
    """A consistent table 三 (row sums, results-sum and balance hold)."""
    table: Table = {name: tuple(count(rng, top, 0.75) for _ in range(6)) for name in RESULT_ROWS}
    total = [sum(table[r][c] for r in RESULT_ROWS) for c in range(6)]
    forward = [count(rng, top) for _ in range(6)]
    over = [rng.randint(0, min(total[c] + forward[c], top)) if rng.random() < 0.4 else 0 for c in range(6)]
    new = [total[c] + forward[c] - over[c] for c in range(6)]
    table.update(total=tuple(total), carried_forward=tuple(forward), carried_over=tuple(over), new_received=tuple(new))
    return {name: (*table[name], sum(table[name])) for name in ROWS}


def glued(cells: Sequence[int]) -> List[str]:
    return ["".join(map(str, cells))]


def partly(rng: random.Random, cells: Sequence[int], lose: float = 0.7) -> List[str]:
    pieces = [str(cells[0])]
    for n in cells[1:]:
        if rng.random() < lose:
            pieces[-1] += str(n)
        else:
            pieces.append(str(n))
    return pieces


class Tally:
    """Outcomes and times of one scenario."""

    def __init__(self) -> None:
        self.unique = self.ambiguous = self.wrong = self.rows = 0
        self.times: List[float] = []
        self.steps = 0

    def row(self, value: object, truth: Tuple[int, ...]) -> None:
        self.rows += 1
        if value is None:
            self.ambiguous += 1
        elif value == truth:
            self.unique += 1
        else:
            self.wrong += 1

    def cells(self, unit: str) -> List[str]:
        times = sorted(self.times)
        p99 = times[min(len(times) - 1, int(0.99 * len(times)))] if times else 0.0
        mean = statistics.fmean(times) if times else 0.0
        return [
            f"{100 * self.unique / self.rows:.1f}%",
            f"{100 * self.ambiguous / self.rows:.1f}%",
            f"{self.wrong}",
            f"{self.rows}",
            f"{1e3 * mean:.3f} ms/{unit}",
            f"{1e3 * p99:.3f} ms/{unit}",
        ]


T = TypeVar("T")


def timed(fn: Callable[[], T]) -> Tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run(tables: int, seed: int) -> None:
    load_before = os.getloadavg()
    lines: List[List[str]] = []
    header = ["scale", "scenario", "unique", "ambiguous", "wrong", "rows", "mean", "p99"]
    worst_steps = 0
    for scale, top in SCALES.items():
        rng = random.Random(seed + top)
        alone, one, whole, part, appeals = Tally(), Tally(), Tally(), Tally(), Tally()
        lengths: List[int] = []
        for _ in range(tables):
            table = make_table(rng, top)
            # row alone, every row one run
            for cells in table.values():
                pieces = glued(cells)
                lengths.append(len(pieces[0]))
                result, dt = timed(partial(split_row, pieces, 7))
                alone.times.append(dt)
                alone.row(result.unique, cells)
                worst_steps = max(worst_steps, result.steps)
            # table, one row glued
            victim = rng.choice(ROWS)
            pieces_one = {n: (glued(c) if n == victim else [str(x) for x in c]) for n, c in table.items()}
            out, dt = timed(partial(split_table, pieces_one, result_rows=RESULT_ROWS))
            one.times.append(dt)
            one.row(out[victim].value, table[victim])
            # table, every row one run
            pieces_all = {n: glued(c) for n, c in table.items()}
            out, dt = timed(partial(split_table, pieces_all, result_rows=RESULT_ROWS))
            whole.times.append(dt)
            for n, c in table.items():
                whole.row(out[n].value, c)
            # table, partly glued
            pieces_part = {n: partly(rng, c) for n, c in table.items()}
            out, dt = timed(partial(split_table, pieces_part, result_rows=RESULT_ROWS))
            part.times.append(dt)
            for n, c in table.items():
                part.row(out[n].value, c)
            # table 四: three groups of five, glued whole
            cells4: List[int] = []
            for _ in range(3):
                four = [count(rng, top // 10 or 1, 0.7) for _ in range(4)]
                cells4 += [*four, sum(four)]
            result, dt = timed(partial(split_appeals, glued(cells4)))
            appeals.times.append(dt)
            appeals.row(result.unique, tuple(cells4))
        longest = max(lengths)
        lines.append([scale, f"row alone, one run (≤{longest} digits)", *alone.cells("row")])
        lines.append([scale, "table, one row glued (column rules)", *one.cells("table")])
        lines.append([scale, "table, every row one run", *whole.cells("table")])
        lines.append([scale, "table, 70% of separators lost", *part.cells("table")])
        lines.append([scale, "table 四, 15 cells one run", *appeals.cells("row")])

    # adversarial 40-digit runs
    rng = random.Random(seed)
    adversarial = {
        "random digits": ["".join(rng.choice("0123456789") for _ in range(40)) for _ in range(200)],
        "random 1-9 digits": ["".join(rng.choice("123456789") for _ in range(40)) for _ in range(200)],
        "all 1": ["1" * n for n in range(30, 45)],
        "'10' repeated": ["10" * 20, "100" * 13, "1000" * 10],
        "real city rows glued twice": [],
    }
    for _ in range(50):
        t = make_table(rng, 99_999)
        adversarial["real city rows glued twice"].append("".join(map(str, t["total"])) * 2)
    adv_lines: List[List[str]] = []
    for label, runs in adversarial.items():
        times: List[float] = []
        steps: List[int] = []
        exhausted = unique = 0
        for run_ in runs:
            result, dt = timed(partial(split_row, [run_], 7))
            times.append(dt)
            steps.append(result.steps)
            exhausted += result.exhausted
            unique += result.unique is not None
        adv_lines.append([label, str(len(runs)), f"{max(len(r) for r in runs)}", f"{max(steps)}",
                          f"{1e3 * statistics.fmean(times):.2f}", f"{1e3 * max(times):.2f}",
                          str(exhausted), str(unique)])
    load_after = os.getloadavg()

    def table_md(head: List[str], body: List[List[str]]) -> str:
        rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        rows += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(rows)

    print(f"Python {sys.version.split()[0]}, {tables} tables per scale (26 rows each), seed {seed}, "
          f"step limit {DEFAULT_LIMIT:,}, cpus {os.cpu_count()}")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}\n")
    print(table_md(header, lines))
    print(f"\nlargest search of a generated row: {worst_steps} steps\n")
    print(table_md(["adversarial run (split_row, 7 cells)", "runs", "digits", "max steps", "mean ms", "max ms",
                    "exhausted", "unique"], adv_lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", type=int, default=300, help="tables per scale (default 300)")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    run(args.tables, args.seed)


if __name__ == "__main__":
    main()
