"""validate(): the template's arithmetic as located issues.

Each test runs on the synthetic stand-ins and, when ../shared is present, on the seeds.
"""

from __future__ import annotations

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure import rules
from gov_disclosure.validate import Issue

from .conftest import expected, like, report_names, report_text, seed_text, set_cell


@pytest.mark.parametrize("name", report_names())
def test_reports_have_no_issues(name: str) -> None:
    report = gd.parse(report_text(name))
    assert gd.validate(report) == []
    assert gd.is_valid(report)


def _change(name: str, after: str, offset: int, new: str) -> str:
    """Replace the number ``offset`` lines after the line containing ``after``."""
    lines = seed_text(name).split("\n")
    i = next(k for k, ln in enumerate(lines) if after in ln)
    old = lines[i + offset]
    assert old.strip().rstrip("| ").strip().isdigit(), old
    lines[i + offset] = old.replace(old.strip().rstrip("| ").strip(), new, 1)
    return "\n".join(lines)


# (seed, label line, offset to the number, new value, the changed cell's row, column)
SEED_CHANGES = [
    ("003_0869a50636f65fd2", "1.本機關不掌握相關政府信息", 1, "52", "applications.unable.not_held", "natural_person"),
    ("003_0869a50636f65fd2", "一、本年新收", 7, "144", "applications.new_received", "total"),
    ("003_0869a50636f65fd2", "四、結轉下年度", 1, "9", "applications.carried_forward", "natural_person"),
    ("003_0869a50636f65fd2", "(七)總計", 2, "23", "applications.total", "commercial"),
    ("000_4505276ac13c66c6", "(一)予以公开", 7, "10", "applications.granted", "total"),
    ("002_46ac49f0d77773c6", "3.其他", 3, "2", "applications.other_processing.other", "research"),
    ("001_9ebba746cc4f361b", "二、上年结转", 5, "3", "applications.carried_over", "legal_services"),
    ("004_0aa99e0fac0e428e", "（六）其他处理", 1, "1", "applications.other_processing", "natural_person"),
]


# (stand-in, the changed cell, the change): the same rows and columns as the seed changes, found
# by the report's locations
STANDIN_CHANGES = [
    ("d_traditional", "applications.unable.not_held.natural_person", -1),
    ("d_traditional", "applications.new_received.total", +1),
    ("d_traditional", "applications.carried_forward.natural_person", +1),
    ("d_traditional", "applications.total.commercial", +1),
    ("a_pipe_page_date", "applications.granted.total", +1),
    ("c_newline_truncated", "applications.other_processing.other.research", +2),
    ("b_trailing_pipe", "applications.carried_over.legal_services", +3),
    ("e_tab_2019", "applications.other_processing.natural_person", +1),
    ("e_tab_2019", "applications.denied.state_secret.total", +4),
    ("b_trailing_pipe", "appeals.litigation_direct.pending", +1),
]

@pytest.mark.parametrize("name, path, change", [(n, p, d) for n, p, d in STANDIN_CHANGES] + [
    pytest.param(seed, f"{row}.{column}", (label, offset, new), marks=pytest.mark.seed, id=f"{seed[:3]}-{row}.{column}")
    for seed, label, offset, new, row, column in SEED_CHANGES
])
def test_one_changed_number_is_caught_where_it_is(name: str, path: str, change) -> None:
    if isinstance(change, tuple):  # a seed: the number ``offset`` lines after the label line
        label, offset, new = change
        report = gd.parse(_change(name, label, offset, new))
        assert report.get(path) == int(new)
    else:
        text = report_text(name)
        original = gd.parse(text)
        new_value = original.get(path) + change
        report = gd.parse(set_cell(text, original, path, str(new_value)))
        assert report.get(path) == new_value
    row, column = path.rsplit(".", 1)
    issues = gd.validate(report)
    assert issues, "the change went unnoticed"
    for issue in issues:
        assert issue.severity == "error"
        assert issue.path.startswith(row + ".") or issue.path.endswith("." + column), issue
        assert issue.line is not None and issue.message


@pytest.mark.parametrize("name", like("003", "002"))
def test_appeals_row_sum_names_the_group(name: str) -> None:
    text = report_text(name)
    report = gd.parse(text)
    total = report.appeals.review.total
    line, _ = report.locations["appeals.review.total"]
    issues = gd.validate(gd.parse(set_cell(text, report, "appeals.review.total", str(total + 1))))
    assert [(i.code, i.path, i.expected, i.actual) for i in issues] == [
        ("appeals.row_sum", "appeals.review.total", total, total + 1)
    ]
    assert "行政复议" in issues[0].message and issues[0].line == line


@pytest.mark.parametrize("name", like("003"))
def test_balance_rule_message_quotes_the_template(name: str) -> None:
    report = gd.parse(report_text(name))
    data = report.to_dict()
    data["applications"]["carried_over"]["research"] += 2
    data["applications"]["carried_over"]["total"] += 2
    issues = gd.validate(gd.Report.from_dict(data))
    balance = [i for i in issues if i.code == "applications.balance"]
    assert {i.path for i in balance} == {"applications.total.research", "applications.total.total"}
    assert all("第一项加第二项之和" in i.message for i in balance)


@pytest.mark.parametrize("name", like("003", "004"))
def test_missing_cell_is_a_warning_and_skips_rules(name: str) -> None:
    report = gd.parse(report_text(name))
    data = report.to_dict()
    data["applications"]["granted"]["total"] = None
    issues = gd.validate(gd.Report.from_dict(data))
    assert [(i.code, i.severity, i.path) for i in issues] == [
        ("value.missing", "warning", "applications.granted.total")
    ]
    assert gd.is_valid(gd.Report.from_dict(data))


@pytest.mark.parametrize("name", like("003", "004"))
def test_missing_issue_quotes_what_was_printed(name: str) -> None:
    text = report_text(name)
    text = set_cell(text, gd.parse(text), "active_disclosure.punishment.decisions", "/")
    issues = gd.validate(gd.parse(text))
    assert len(issues) == 1 and "'/'" in issues[0].message
    assert issues[0].path == "active_disclosure.punishment.decisions"


@pytest.mark.parametrize("name", like("002"))
def test_negative_count(name: str) -> None:
    data = gd.parse(report_text(name)).to_dict()
    data["active_disclosure"]["punishment"]["decisions"] = -3
    issues = gd.validate(gd.Report.from_dict(data))
    assert [(i.code, i.path, i.actual) for i in issues] == [
        ("value.negative", "active_disclosure.punishment.decisions", -3)
    ]


@pytest.mark.parametrize("name", like("004"))
def test_signed_2019_change_is_exempt(name: str) -> None:
    data = gd.parse(report_text(name)).to_dict()
    data["active_disclosure"]["licensing"]["change"] = -2
    assert gd.validate(gd.Report.from_dict(data)) == []


@pytest.mark.parametrize("name", like("002"))
def test_rules_are_listed_and_can_be_disabled_or_added(name: str) -> None:
    codes = [r.code for r in rules.available()]
    assert codes[:6] == [
        "applications.balance", "applications.row_sum", "applications.results_sum",
        "appeals.row_sum", "value.negative", "value.missing",
    ]
    assert all(r.description for r in rules.available())
    data = gd.parse(report_text(name)).to_dict()
    data["active_disclosure"]["punishment"]["decisions"] = -3
    report = gd.Report.from_dict(data)
    assert gd.validate(report, disable=["value.negative"]) == []
    rules.disable("value.negative")
    try:
        assert gd.validate(report) == []
    finally:
        rules.enable("value.negative")

    @rules.rule("test.many_punishments", severity="warning")
    def many(report):
        "More than 10 punishment decisions."
        if (report.active_disclosure.punishment.decisions or 0) > 10:
            yield Issue("test.many_punishments", "warning", "many", "active_disclosure.punishment.decisions")

    try:
        text = report_text(name)
        original = gd.parse(text)
        report = gd.parse(set_cell(text, original, "active_disclosure.punishment.decisions", "11"))
        issues = gd.validate(report)
        path = "active_disclosure.punishment.decisions"
        assert [(i.code, i.path) for i in issues] == [("test.many_punishments", path)]
        # the line is filled in from the report's locations
        assert issues[0].line == report.locations["active_disclosure.punishment.decisions"][0]
    finally:
        rules.unregister("test.many_punishments")


@pytest.mark.parametrize("name", like("000"))
def test_check_parses_and_validates(name: str) -> None:
    report, issues = gd.check(report_text(name))
    assert report.year == expected(name)["year"] == 2025 and issues == []


def test_issue_is_frozen_with_readable_str() -> None:
    issue = Issue("value.negative", "error", "below zero", "appeals.review.total", 0, -1, line=3)
    assert str(issue) == "line 3: error: value.negative: below zero [appeals.review.total]"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        issue.code = "x"  # type: ignore[misc]
