"""Property tests: generated consistent reports, every layout, both editions."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure import ParseError, Report, editions
from gov_disclosure._normalize import to_simplified
from gov_disclosure.render import CANONICAL, LAYOUTS, VARIANT_CHOICES, Variants, render
from gov_disclosure.strategies import MISSING_MARKS, label_variants, report_texts, reports


def _same(parsed: Report, report: Report, traditional: bool) -> bool:
    if traditional and parsed.agency is not None:
        parsed = attrs.evolve(parsed, agency=to_simplified(parsed.agency))
    return parsed == report


# 1. consistent reports pass validation
@given(reports())
def test_consistent_reports_have_no_issues(report: Report) -> None:
    assert gd.validate(report) == []


# 2. render then parse gives the same report, for every layout and both editions,
#    with the label variants real reports print (numbering, quotes, 反覆, missing
#    captions and headings, truncated/spaced/wrapped headers, a page date line)
@pytest.mark.parametrize("edition", ["2021", "2019"])
@pytest.mark.parametrize("layout", LAYOUTS)
@given(data=st.data())
def test_render_parse_round_trip(edition: str, layout: str, data: st.DataObject) -> None:
    report, text = data.draw(report_texts(edition=edition, layouts=[layout], traditional=False, variants=True))
    assert gd.parse(text) == report


@given(report_texts(traditional=True, variants=True))
def test_render_parse_round_trip_traditional(pair: tuple[Report, str]) -> None:
    report, text = pair
    assert _same(gd.parse(text), report, traditional=True)


@settings(max_examples=5)
@given(reports(consistent=False))
def test_canonical_rendering_is_the_default(report: Report) -> None:
    for layout in LAYOUTS:
        assert render(report, layout, variants=CANONICAL) == render(report, layout)
        assert render(report, layout, variants=CANONICAL, missing="—") == render(report, layout)


#: Variants that do not apply to an edition's tables (2019 has no 逾期不补正 rows).
NOT_IN = {("2019", "separator")}


@pytest.mark.parametrize("edition", ["2021", "2019"])
@pytest.mark.parametrize("field", sorted(VARIANT_CHOICES))
@settings(max_examples=3)
@given(data=st.data())
def test_every_single_variant_is_printed_and_read(edition: str, field: str, data: st.DataObject) -> None:
    """Each variant on its own changes the text (so it is really generated) and parses back."""
    report = data.draw(reports(edition=edition))
    canonical = render(report, "tab")
    for choice in VARIANT_CHOICES[field]:
        variants = Variants(**{field: choice})
        text = render(report, "tab", variants=variants)
        unchanged = (field == "normative" and choice == report_normative_label(report)) or (edition, field) in NOT_IN
        if variants != CANONICAL and not unchanged:
            assert text != canonical, (field, choice)
        for layout in LAYOUTS:
            assert gd.parse(render(report, layout, variants=variants)) == report, (field, choice, layout)


def report_normative_label(report: Report) -> str:
    return "行政规范性文件" if report.edition == "2021" else "规范性文件"


@given(reports(), label_variants(), st.sampled_from(LAYOUTS))
def test_variant_labels_are_the_ones_templates_md_lists(report: Report, variants: Variants, layout: str) -> None:
    text = render(report, layout, variants=variants)
    if variants.ordinal == "1、":
        assert "1、属于国家秘密" in text
    if variants.quotes == '""' and variants.endanger:
        assert '危及"三安全一稳定"' in text
    if variants.repeat == "覆":
        assert "反覆申请" in text and "反复申请" not in text
    if not variants.captions:
        assert "不予公开\n" not in text.replace(" |", "").replace("\t", "") and "本年度办理结果" not in text
    if variants.appeal_headers == "truncated":
        assert "尚未审结" not in text and "结果纠正" not in text
    if not variants.headings:
        assert "三、收到和处理政府信息公开申请情况" not in text


# 2b. blank any 1–20 cells of a consistent report: only value.missing issues
def _blank(report: Report, paths: list[str]) -> Report:
    data = report.to_dict()
    for path in paths:
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node[part]
        node[leaf] = None
    return Report.from_dict(data)


@given(st.data())
def test_blanking_cells_of_a_consistent_report_gives_only_missing_value_issues(data: st.DataObject) -> None:
    report = data.draw(reports(consistent=True))
    paths = _cell_paths(report)
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=20, unique=True), label="blanked")
    blanked = _blank(report, chosen)
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    mark = data.draw(st.sampled_from(MISSING_MARKS), label="mark")
    variants = data.draw(st.one_of(st.just(CANONICAL), label_variants()), label="variants")
    text = render(blanked, layout, variants=variants, missing=mark)
    parsed = gd.parse(text)
    assert parsed == blanked
    issues = gd.validate(parsed)
    assert {i.code for i in issues} <= {"value.missing"}, [str(i) for i in issues if i.code != "value.missing"]
    assert {i.path for i in issues} == set(chosen)
    assert all(i.severity == "warning" for i in issues)


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


@given(report_texts(variants=None), st.data())
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
    mutated = "\n".join(lines)
    try:
        gd.parse(mutated)
    except ParseError as e:
        # a located, specific message: not the catch-all default, and a line inside the text
        assert e.message.strip() and e.message != ParseError.default_message, repr(e)
        assert e.line is not None and 1 <= e.line <= mutated.count("\n") + 1, repr(e)
        assert str(e).startswith(f"line {e.line}")
