"""Rows whose cell separators were lost, recovered by the template's arithmetic (issue 12).

The reader splits a run of digits into a row's cells only when exactly one split is
consistent with the template's arithmetic (a row's own sum, then the column rules),
and marks every such cell ``value.inferred``; otherwise the cells are ``None`` with an
issue.  It never returns a number the report does not print.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.output import open_writer
from gov_disclosure.render import render
from gov_disclosure.strategies import reports

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt"
GLUEABLE = ("applications.", "appeals.")


def _flatten(text: str) -> str:
    """The report on one line, with every separator inside tables 三 and 四 removed."""
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("五、")
    return " ".join((text[:start] + "".join(text[start:end].split()) + "\n" + text[end:]).split("\n"))


def _glue_rows(text: str, rnd: random.Random, share: float) -> str:
    """``text`` (space layout) with the numbers of some table-三 rows glued into one run."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if "收到和处理" in line)
    for k in range(start, len(lines)):
        parts = lines[k].split(" ")
        numbers = [p for p in parts if p.isdigit()]
        if len(numbers) == 7 and not parts[0].isdigit() and rnd.random() < share:
            lines[k] = parts[0] + " " + "".join(parts[1:])
    return "\n".join(lines)


def _check(got: gd.Report, printed: gd.Report) -> tuple[int, int]:
    """Every value is the printed one or None with an issue; returns (inferred, unread) counts."""
    want = dict(printed.cells())
    inferred_rows = {i.path for i in got.issues if i.code == "value.inferred"}
    inferred = unread = 0
    for address, value in got.cells():
        if value is None:
            if want[address] is not None:
                unread += 1
                row, table = address.rpartition(".")[0], address.partition(".")[0]
                assert any(i.path in (address, row, table) for i in got.issues), f"{address}: None without an issue"
            continue
        assert value == want[address], f"{address}: read {value!r}, printed {want[address]!r}"
        if address.rpartition(".")[0] in inferred_rows or address.partition(".")[0] in inferred_rows:
            inferred += 1
    return inferred, unread


def test_the_issue_example_is_split_the_one_way_its_sum_allows() -> None:
    report = gd.parse_file(EXAMPLE)
    data = report.to_dict()
    row = {"natural_person": 64, "commercial": 0, "research": 0, "social_welfare": 2, "legal_services": 0,
           "other_org": 4, "total": 70}
    zero = dict.fromkeys(row, 0)

    def zeros(node: dict) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                zeros(value)
            else:
                node[key] = 0

    zeros(data["applications"])
    apps = data["applications"]
    apps["new_received"], apps["granted"], apps["total"], apps["carried_over"], apps["carried_forward"] = (
        dict(row), dict(row), dict(row), dict(zero), dict(zero))
    changed = gd.Report.from_dict(data)
    assert gd.is_valid(changed)
    text = render(changed, "space")
    line = next(x for x in text.split("\n") if x.startswith("一、本年新收"))
    glued = text.replace(line, "一、本年新收政府信息公开申请数量640020470")
    parsed = gd.parse(glued)
    assert parsed.applications.new_received == changed.applications.new_received
    (issue,) = [i for i in parsed.issues if i.code == "value.inferred"]
    assert issue.path == "applications.new_received" and "640020470" in issue.message
    assert "64 0 0 2 0 4 | 70" in issue.message and issue.line is not None
    assert parsed.complete  # inferred values are values; the issue says how they were read


def test_a_split_that_would_repair_the_agencys_arithmetic_is_not_taken() -> None:
    """The same glued row in a table whose printed numbers do not add up: a split that
    fits the row would not be what the report prints, so the row is not read."""
    report = gd.parse_file(EXAMPLE)
    text = render(report, "space")
    line = next(x for x in text.split("\n") if x.startswith("一、本年新收"))
    glued = text.replace(line, "一、本年新收政府信息公开申请数量640020470")  # the rest of the table disagrees
    parsed = gd.parse(glued)
    assert parsed.applications.new_received == type(parsed.applications.new_received)()
    assert [i.code for i in parsed.issues if i.path == "applications.new_received"] == ["parse.row_unreadable"]


def test_a_whole_report_flattened_without_separators_is_read_and_marked() -> None:
    report = gd.parse_file(EXAMPLE)
    parsed = gd.parse(_flatten(render(report, "space")))
    inferred, unread = _check(parsed, report)
    assert unread == 0 and inferred >= 180
    for table in ("active_disclosure", "applications", "appeals"):
        assert getattr(parsed, table) == getattr(report, table)
    # the outputs say which values were inferred
    out = io.StringIO()
    writer = open_writer("csv", out)
    writer.write_report(parsed, "flat.txt")
    writer.close()
    rows = out.getvalue().splitlines()
    assert any(",applications.total.total,250,value.inferred: " in r for r in rows), rows[150]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1), share=st.sampled_from([0.3, 1.0]))
def test_glued_rows_of_consistent_reports_give_the_printed_numbers_or_none(
    report: gd.Report, seed: int, share: float
) -> None:
    text = _glue_rows(render(report, "space"), random.Random(seed), share)
    _check(gd.parse(text), report)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1))
def test_flattened_consistent_reports_never_give_another_number(report: gd.Report, seed: int) -> None:
    _check(gd.parse(_flatten(render(report, "space"))), report)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1), delta=st.integers(1, 9))
def test_inconsistent_reports_glued_never_give_a_number_that_is_not_printed(
    report: gd.Report, seed: int, delta: int
) -> None:
    """One cell changed (the agency's arithmetic is now wrong), then glued: any value read
    is the printed one."""
    rnd = random.Random(seed)
    data = report.to_dict()
    row = rnd.choice(["new_received", "granted", "total", "carried_forward"])
    column = rnd.choice(["natural_person", "research", "other_org", "total"])
    data["applications"][row][column] += delta
    printed = gd.Report.from_dict(data)
    _check(gd.parse(_glue_rows(render(printed, "space"), rnd, 1.0)), printed)
    _check(gd.parse(_flatten(render(printed, "space"))), printed)
