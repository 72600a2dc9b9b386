"""Property tests: generated consistent reports, every layout, both editions."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure import ParseError, Report, editions
from gov_disclosure._normalize import to_simplified
from gov_disclosure.render import LAYOUTS, render
from gov_disclosure.strategies import report_texts, reports


def _same(parsed: Report, report: Report, traditional: bool) -> bool:
    if traditional and parsed.agency is not None:
        parsed = attrs.evolve(parsed, agency=to_simplified(parsed.agency))
    return parsed == report


# 1. consistent reports pass validation
@given(reports())
def test_consistent_reports_have_no_issues(report: Report) -> None:
    assert gd.validate(report) == []


# 2. render then parse gives the same report, for every layout and both editions
@pytest.mark.parametrize("edition", ["2021", "2019"])
@pytest.mark.parametrize("layout", LAYOUTS)
@given(data=st.data())
def test_render_parse_round_trip(edition: str, layout: str, data: st.DataObject) -> None:
    report, text = data.draw(report_texts(edition=edition, layouts=[layout], traditional=False))
    assert gd.parse(text) == report


@given(report_texts(traditional=True))
def test_render_parse_round_trip_traditional(pair: tuple[Report, str]) -> None:
    report, text = pair
    assert _same(gd.parse(text), report, traditional=True)


@given(reports(consistent=False), st.sampled_from(LAYOUTS))
def test_inconsistent_and_missing_values_round_trip(report: Report, layout: str) -> None:
    parsed = gd.parse(render(report, layout))
    assert parsed == report
    missing = {i.path for i in gd.validate(parsed) if i.code == "value.missing"}
    assert missing == {p for p, v in report.cells() if v is None and not p.endswith("_unit")}


# 3. changing one cell of tables 三/四 is caught, at that cell's row or column
def _cell_paths(report: Report) -> list[str]:
    return [p for p, _ in report.cells() if p.startswith(("applications.", "appeals."))]


@given(st.data())
def test_one_changed_cell_is_always_caught_at_its_row_or_column(data: st.DataObject) -> None:
    report = data.draw(reports())
    path = data.draw(st.sampled_from(_cell_paths(report)))
    delta = data.draw(st.integers(-1000, 1000).filter(bool))
    d = report.to_dict()
    *parents, leaf = path.split(".")
    node = d
    for p in parents:
        node = node[p]
    node[leaf] = node[leaf] + delta
    issues = gd.validate(Report.from_dict(d))
    assert issues
    row, column = path.rsplit(".", 1)
    for issue in issues:
        assert issue.path == path or issue.path.startswith(row + ".") or issue.path.endswith("." + column), issue


# 4. dict and JSON round trips
@given(reports(consistent=False))
def test_dict_and_json_round_trips(report: Report) -> None:
    assert Report.from_dict(report.to_dict()) == report
    assert Report.from_json(report.to_json()) == report


# 5. grammar-shaped random input never raises anything but ParseError
def _terminal_examples() -> st.SearchStrategy[str]:
    patterns = set()
    for name in editions.available():
        lexer = editions.get(name).compile().lexer
        patterns.update(rx.pattern for _, rx in lexer.patterns)
    return st.one_of(*[st.from_regex(re.compile(p.replace(r"\Z", "")), fullmatch=True) for p in sorted(patterns)])


CELL = st.one_of(
    _terminal_examples(),
    st.integers(-5, 99999).map(str),
    st.text(alphabet="一二三四五六()、.0123456789|政府信息公开申请总计其他—/ \t", max_size=12),
)
SEPARATOR = st.sampled_from(["\n", " | ", "\t", " ", "\n\t", " |\n", "\n\n"])


@given(st.lists(st.tuples(CELL, SEPARATOR), max_size=300))
def test_random_grammar_shaped_input_only_raises_parse_error(cells: list[tuple[str, str]]) -> None:
    text = "".join(c + s for c, s in cells)
    try:
        gd.parse(text)
    except ParseError:
        pass


@given(report_texts(), st.data())
def test_mutated_reports_parse_or_fail_cleanly(pair: tuple[Report, str], data: st.DataObject) -> None:
    _, text = pair
    lines = text.split("\n")
    i = data.draw(st.integers(0, len(lines) - 1))
    j = data.draw(st.integers(0, len(lines) - 1))
    mutation = data.draw(st.sampled_from(["delete", "duplicate", "swap", "garble"]))
    if mutation == "delete":
        del lines[i]
    elif mutation == "duplicate":
        lines.insert(i, lines[j])
    elif mutation == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = lines[i].replace("0", "O", 1)
    assume("\n".join(lines) != text)
    try:
        gd.parse("\n".join(lines))
    except ParseError as e:
        assert e.message
