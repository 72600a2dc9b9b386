"""Regenerate the bundled example reports from fixed synthetic numbers.

    python examples/make_examples.py

The reports are invented (rendered by gov_disclosure.render from reports drawn
with a fixed random seed); they are not copies of real reports.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

from gov_disclosure.render import render, to_traditional
from gov_disclosure.strategies import reports

HERE = Path(__file__).parent
PLAN = [
    ("2021", "pipe", False, "pipes_2021.txt"),
    ("2021", "tab", "s2t", "traditional_tabs_2021.txt"),
    ("2021", "newline", False, "newline_2021.txt"),
    ("2019", "tab", False, "tabs_2019.txt"),
    ("2019", "trailing_pipe", False, "trailing_pipes_2019.txt"),
]


def draw(edition: str, n: int):
    found = []

    @seed(20261123 + n)
    @settings(max_examples=40, database=None, suppress_health_check=list(HealthCheck))
    @given(reports(edition=edition))
    def take(report):
        if report.year is not None and report.agency is not None:
            found.append(report)

    take()
    # a middling report, so the example has numbers to look at
    found.sort(key=lambda r: r.applications.total.total)
    return found[len(found) // 2]


def main() -> None:
    expected = {}
    for n, (edition, layout, traditional, name) in enumerate(PLAN):
        report = draw(edition, n)
        (HERE / name).write_text(render(report, layout, traditional=traditional), encoding="utf-8")
        expected[name] = json.loads(report.to_json())
        if traditional:  # the agency is returned as printed
            expected[name]["agency"] = to_traditional(report.agency, traditional)
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
