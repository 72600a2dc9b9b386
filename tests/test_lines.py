"""Blank cells in text printed one cell per line (LibreOffice's "save as text").

Such text prints a blank cell as an empty line, and the cells a merged caption
covers as empty lines too; a tool that drops blank cells prints text that looks
alike.  A row with blanks is read only when its line count is what the text's
whole rows predict (``gov_disclosure._lines``).  Evidence: the committed
LibreOffice texts read whole, and properties over rendered text with blanks,
with blanks dropped, and with lines deleted, duplicated or swapped — never a
number at a wrong address, and never a blank where a number is printed.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure import _lines
from gov_disclosure.render import APPEALS_HEADER, APPLICANT_HEADER, table_rows
from gov_disclosure.strategies import reports

CORPUS = Path(__file__).parent / "fixtures" / "toolchain"


# --- the line arithmetic -----------------------------------------------------------------


def test_the_gap_model_is_fitted_on_whole_rows() -> None:
    # LibreOffice: no separator, a covered cell is an empty line
    assert _lines.fit([(0, 0), (2, 2), (1, 1)]) == {(1, 0)}
    # a page copy: an empty line between rows, covered cells print nothing
    assert _lines.fit([(1, 0), (1, 2)]) == {(0, 1)}
    # nothing seen, or gaps no model explains: nothing is known
    assert _lines.fit([]) == frozenset()
    assert _lines.fit([(0, 0), (3, 1)]) == frozenset()
    assert _lines.fit([(0, 0)]) == frozenset()  # one row is no evidence


def test_a_row_with_a_line_lost_or_added_does_not_unsettle_the_model() -> None:
    models = _lines.fit([(0, 0), (2, 2), (2, 2), (1, 1), (3, 2)])  # the last: an empty line added
    assert models == {(1, 0)}
    assert _lines.predicted(models, 2) == 2
    # but when the best model explains fewer than two thirds of the rows, nothing is known
    assert _lines.fit([(0, 0), (2, 2), (3, 2), (2, 1)]) == frozenset()


def test_a_gap_is_predicted_only_when_every_fitting_model_agrees() -> None:
    only_uncovered = _lines.fit([(0, 0), (0, 0)])  # (0, 0) and (1, 0) both fit
    assert _lines.predicted(only_uncovered, 0) == 0
    assert _lines.predicted(only_uncovered, 2) is None
    assert _lines.predicted(frozenset(), 0) is None


# --- real tool output ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "name"),
    [("docx-lo-txt", "01-2021-county"), ("docx-lo-txt", "04-2019-county"), ("tpl-lo-txt", "01-2021-county")],
)
def test_libreoffice_text_with_blank_cells_is_read_whole(form: str, name: str) -> None:
    path = CORPUS / form / f"{name}.txt"
    expected = gd.Report.from_json((CORPUS / "expected" / f"{name}.json").read_text("utf-8"))
    got = gd.parse(path.read_text("utf-8"))
    blanks = [a for a, v in expected.cells() if v is None]
    assert blanks, "the report is meant to leave cells blank"
    assert dict(got.cells()) == dict(expected.cells())
    assert not [i for i in got.issues if i.severity == "error"]


def test_a_blank_dropped_by_the_tool_leaves_its_row_unread() -> None:
    text = (CORPUS / "docx-lo-txt" / "01-2021-county.txt").read_text("utf-8")
    lines = text.split("\n")
    # 1.属于国家秘密: 86 / (blank) / 0 / 51 / 0 / 0 / (blank): drop the first blank line
    at = lines.index("1.属于国家秘密")
    assert lines[at + 1 : at + 3] == ["86", ""]
    del lines[at + 2]
    got = gd.parse("\n".join(lines))
    assert got.applications.denied.state_secret.commercial is None
    assert got.applications.denied.state_secret.natural_person is None
    assert any(i.path == "applications.denied.state_secret" and i.code == "parse.row_unreadable" for i in got.issues)
    # the rows around it still read
    assert got.applications.denied.prohibited_by_law.commercial == 50


# --- properties ----------------------------------------------------------------------------


def _depth(row: object) -> int:
    labels, table, chain = row.labels, row.table, row.chain  # type: ignore[attr-defined]
    results = table == "applications" and chain[0] not in ("new_received", "carried_over", "carried_forward")
    return len(labels) - 1 + results


def _one_cell_a_line(
    report: gd.Report, rnd: random.Random, blank: float, covered: bool, separator: bool, drop: bool,
    zeros_only: bool = False,
) -> tuple[str, set[str], dict[str, int]]:
    """``report`` printed one cell per line, some cells blank (an empty line, or nothing
    with ``drop``), covered caption cells as empty lines (``covered``), an empty line
    after each row (``separator``); with ``zeros_only`` only zeros and totals are left
    blank (as real reports do, so rows still add up).  Returns the text, the blank
    addresses and the line (1-based) of each printed cell and printed blank."""
    values = dict(report.cells())
    shape = report.schema
    tables = table_rows(report, missing="")
    out = [f"{report.agency or '某某区人民政府'}{report.year or 2021}年政府信息公开工作年度报告",
           "二、主动公开政府信息情况"]
    blanks: set[str] = set()
    where: dict[str, int] = {}

    def row_cells(srow: object, texts: list[str], lead: int) -> None:
        if covered:
            out.extend([""] * lead)
        for k, text in enumerate(texts):
            size = len(srow.cells)  # type: ignore[attr-defined]
            if k < len(texts) - size:
                out.append(text)
                continue
            address = f"{srow.address}.{srow.cells[k - len(texts) + size].name}"  # type: ignore[attr-defined]
            blankable = not zeros_only or values[address] == 0 or address.endswith(".total")
            if blankable and rnd.random() < blank:
                blanks.add(address)
                if not drop:
                    out.append("")
                    where[address] = len(out)
                continue
            out.append(text)
            where[address] = len(out)
        if separator:
            out.append("")

    two = shape.table("active_disclosure")
    by_label = {r.short_label: r for r in two.rows}
    for cells in tables["active_disclosure"]:
        srow = by_label.get(cells[0]) if len(cells) > 1 else None
        if srow is None:
            out.extend(cells)
        else:
            row_cells(srow, cells, 0)
    out.append("三、收到和处理政府信息公开申请情况")
    three = tables["applications"]
    for cells in three[: len(APPLICANT_HEADER)]:
        out.extend(cells)
    for srow, cells in zip(shape.table("applications").rows, three[len(APPLICANT_HEADER) :]):
        printed_captions = len(cells) - len(srow.cells) - 1
        row_cells(srow, cells, _depth(srow) - printed_captions)
    out.append("四、政府信息公开行政复议、行政诉讼情况")
    for cells in tables["appeals"][: len(APPEALS_HEADER)]:
        out.extend(cells)
    out.extend(tables["appeals"][-1])
    out += ["五、存在的主要问题及改进情况", "加强培训。"]
    return "\n".join(out) + "\n", blanks, where


def _check(got: gd.Report, report: gd.Report, blanks: set[str], touched: set[int], where: dict[str, int]) -> int:
    """Every number read is the printed one; a None where a number is printed has a
    reading issue (not merely "blank").  Returns how many blank cells were read blank."""
    want = dict(report.cells())
    parse_issues = {i.path for i in got.issues if i.code.startswith("parse.")}
    read_blank = 0
    for address, value in got.cells():
        if where.get(address, 0) in touched:
            continue  # the printed cell itself was moved
        row = address.rpartition(".")[0]
        table = address.partition(".")[0]
        if address in blanks:
            assert value is None, f"{address}: printed blank, read {value!r}"
            read_blank += row not in parse_issues and table not in parse_issues
            continue
        if value is None:
            if want[address] is not None:
                assert parse_issues & {address, row, table}, f"{address} is None without a reading issue"
            continue
        assert value == want[address], f"{address} read {value!r}, printed {want[address]!r}"
    return read_blank


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    covered=st.booleans(),
    separator=st.booleans(),
    drop=st.booleans(),
)
def test_one_cell_a_line_with_blanks_never_gives_a_number_at_a_wrong_address(
    report: gd.Report, seed: int, covered: bool, separator: bool, drop: bool
) -> None:
    rnd = random.Random(seed)
    text, blanks, where = _one_cell_a_line(report, rnd, rnd.choice([0.02, 0.1, 0.3]), covered, separator, drop)
    try:
        got = gd.parse(text)
    except gd.ParseError:
        assert blanks, "a text without blanks is always read"
        return
    read_blank = _check(got, report, blanks, set(), where)
    if drop and blanks:
        # a dropped blank leaves no trace: its row is never read with the blank in place
        assert read_blank == 0 or len(blanks) > read_blank


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1))
def test_blank_cells_are_read_in_place_in_libreoffice_style_text(report: gd.Report, seed: int) -> None:
    rnd = random.Random(seed)
    text, blanks, where = _one_cell_a_line(report, rnd, 0.1, covered=True, separator=False, drop=False,
                                           zeros_only=True)
    got = gd.parse(text)
    _check(got, report, blanks, set(), where)
    # the rows printed whole around them fit the model: every row with a number is
    # read, but a table's last row whose last cell is blank (prose follows it, and the
    # lines before prose say nothing)
    shape = report.schema
    last = {t.rows[-1].address for t in shape.tables}
    unread = [
        i for i in got.issues if i.code.startswith("parse.row")
        and not all(a in blanks for a, _ in report.cells() if a.startswith(i.path + "."))
        and not (i.path in last and f"{i.path}.{shape.rows[i.path].cells[-1].name}" in blanks)
    ]
    assert not unread, [i.message for i in unread][:3]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["delete", "duplicate", "swap"]),
    separator=st.booleans(),
)
def test_lines_lost_added_or_swapped_in_one_cell_a_line_text_never_give_a_wrong_number(
    report: gd.Report, seed: int, kind: str, separator: bool
) -> None:
    rnd = random.Random(seed)
    text, blanks, where = _one_cell_a_line(report, rnd, 0.1, covered=True, separator=separator, drop=False)
    lines = text.split("\n")
    # damage inside the tables, where the empty lines are
    first = min(where.values(), default=1)
    i = rnd.randrange(first - 1, max(first, max(where.values(), default=1)))
    if kind == "delete":
        del lines[i]
        touched = {i + 1}
    elif kind == "duplicate":
        lines.insert(i, lines[i])
        touched = {i + 1}
    else:
        j = min(len(lines) - 1, i + rnd.randint(1, 3))
        lines[i], lines[j] = lines[j], lines[i]
        # the lines between changed places relative to them, and a moved label
        # re-labels the lines after it, up to the next label
        end = j + 1
        while end < len(lines) and (not lines[end].strip() or lines[end].strip().replace(".", "").isdigit()):
            end += 1
        touched = set(range(i + 1, end + 1))
    try:
        got = gd.parse("\n".join(lines))
    except gd.ParseError:
        return
    # a moved line shifts the lines after it by one: those cells are judged by value
    _check(got, report, blanks, touched, where)
