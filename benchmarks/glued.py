"""How much of a report whose table cells lost their separators is recovered (issue 12).

    python benchmarks/glued.py [--n 200]

For each scale (township, county, city) and edition, synthetic consistent reports
(the toolchain corpus generator) are rendered in the space layout and the whole
report is flattened to one line with every separator inside tables 三 and 四 removed
(what naive crawlers keep).  The library then reads them; per cell of tables 三/四:
exact (read and equal, marked ``value.inferred``), unread (``None`` with an issue),
wrong (must be 0).  Also the time per report (mean and p99) and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "toolchain"))

from make_corpus import make_report_dict  # noqa: E402

import gov_disclosure as gd  # noqa: E402
from gov_disclosure.render import render  # noqa: E402


def flatten(text: str) -> str:
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("五、")
    return " ".join((text[:start] + "".join(text[start:end].split()) + "\n" + text[end:]).split("\n"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="reports per scale and edition")
    args = ap.parse_args()
    rng = random.Random(12)
    print(f"load before: {os.getloadavg()}")
    print("| scale | edition | reports | cells exact | unread | wrong | ms/report mean | p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for scale in ("township", "county", "city"):
        for edition in ("2021", "2019"):
            exact = unread = wrong = 0
            times = []
            for _ in range(args.n):
                data = make_report_dict(rng, edition, scale, False, False)
                report = gd.Report.from_dict(data)
                text = flatten(render(report, "space"))
                start = time.perf_counter()
                try:
                    got = gd.parse(text)
                except gd.ParseError:
                    unread += sum(1 for a, _ in report.cells() if a.startswith(("applications.", "appeals.")))
                    continue
                finally:
                    times.append(time.perf_counter() - start)
                want = dict(report.cells())
                for address, value in got.cells():
                    if not address.startswith(("applications.", "appeals.")):
                        continue
                    if value is None:
                        unread += want[address] is not None
                    elif value == want[address]:
                        exact += 1
                    else:
                        wrong += 1
            total = exact + unread + wrong
            times.sort()
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            print(f"| {scale} | {edition} | {args.n} | {exact / total:.1%} | {unread / total:.1%} | {wrong} | "
                  f"{statistics.mean(times) * 1000:.1f} | {p99 * 1000:.1f} |")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
