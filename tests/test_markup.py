"""Text whose tables are markup: markdown pipe tables and raw HTML tables inside text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.formats import sniff
from gov_disclosure.render import render
from gov_disclosure.render_documents import render_html
from gov_disclosure.strategies import reports

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt"


def _markdown(report: gd.Report, merged: bool = False) -> str:
    """The report with every table as a markdown pipe table, headings as ``###``.

    Rows shorter than the table are padded at the right; with ``merged``, as
    markdownify writes merged cells instead: a label's colspan as empty cells right
    after it, a rowspan's cell left out of the rows below (rows right-aligned)."""
    from gov_disclosure.render import table_rows

    lines = [f"# {report.agency}{report.year}年政府信息公开工作年度报告", "", "## 二、主动公开政府信息情况"]
    for key, rows in table_rows(report).items():
        width = max(len(r) for r in rows)
        lines.append("")
        for i, row in enumerate(rows):
            cells = [c if c != "—" else "" for c in row]
            if merged:
                labels = [k for k, c in enumerate(cells) if c and not c.replace(".", "").isdigit()]
                at = labels[-1] + 1 if labels else 0
                cells[at:at] = [""] * (width - len(cells))
            else:
                cells += [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        lines.append("")
        if key == "active_disclosure":
            lines.append("### 三、收到和处理政府信息公开申请情况")
        elif key == "applications":
            lines.append("**四、政府信息公开行政复议、行政诉讼情况**")
    return "\n".join(lines) + "\n"


def _markdown_merged(report: gd.Report) -> str:
    return _markdown(report, merged=True)


def test_markdown_tables_with_headings_and_a_blank_between_numbers() -> None:
    report = gd.parse_file(EXAMPLE)
    data = report.to_dict()
    data["applications"]["granted"]["research"] = None  # a blank between two printed numbers
    blanked = gd.Report.from_dict(data)
    text = _markdown(blanked)
    parsed = gd.parse(text)
    assert parsed.applications.granted.research is None
    assert parsed.applications.granted == blanked.applications.granted
    # every other cell is exact or unread with an issue, never different
    for address, value in parsed.cells():
        if value is not None:
            assert value == blanked.get(address), address


def test_empty_cells_at_the_edge_of_a_row_are_read_as_blanks_where_the_rows_count_decides() -> None:
    """``| 规章 |  | 36 |  |``: an empty cell before a row's first number or after its
    last may be the rest of a merged cell or a blank value; where the row's printed
    cells and its empty edge cells make exactly the row's count, they are blanks."""
    report = gd.parse_file(EXAMPLE)
    data = report.to_dict()
    data["active_disclosure"]["regulations"]["issued"] = None  # first cell of a table-二 row
    data["active_disclosure"]["normative_documents"]["in_force"] = None  # last cell
    data["applications"]["granted"]["natural_person"] = None  # first cell of a table-三 row
    data["applications"]["denied"]["state_secret"]["total"] = None  # last cell: 总计
    data["appeals"]["review"]["upheld"] = None  # table 四's first cell (its group still adds up)
    data["appeals"]["review"]["total"] -= report.appeals.review.upheld
    blanked = gd.Report.from_dict(data)
    for render_markdown in (_markdown, _markdown_merged):
        parsed = gd.parse(render_markdown(blanked))
        assert parsed.to_dict()["active_disclosure"] == data["active_disclosure"], render_markdown.__name__
        assert parsed.to_dict()["applications"] == data["applications"], render_markdown.__name__
        assert parsed.to_dict()["appeals"] == data["appeals"], render_markdown.__name__
        assert parsed.complete, [i.message for i in parsed.issues]


@pytest.mark.parametrize(
    "row,field",
    [
        # six numbers with an empty cell at both ends, in a seven-cell row: the blank may
        # be the first or the last cell, and a row of zeros adds up either way
        ("| 3.要求提供公开出版物 |  | 0 | 0 | 0 | 0 | 0 | 0 |  |", "publication"),
        # read as a blank first cell the row would not add up (0+0+9+4+3 ≠ 17)
        ("| 2.重复申请 |  | 0 | 0 | 9 | 4 | 3 | 17 |", "duplicate"),
    ],
)
def test_an_empty_edge_cell_the_row_does_not_place_for_certain_is_not_read(row: str, field: str) -> None:
    lines = _markdown(gd.parse_file(EXAMPLE)).split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith(row[: row.index(" |  |")]))
    lines[i] = row
    parsed = gd.parse("\n".join(lines))
    values = parsed.to_dict()["applications"]["not_processed"][field]
    assert set(values.values()) == {None}, values
    assert any(i.code == "parse.row_unreadable" and i.path == f"applications.not_processed.{field}"
               for i in parsed.issues)


def test_raw_html_tables_inside_markdown_are_read_and_parse_and_parse_file_agree(tmp_path: Path) -> None:
    report = gd.parse_file(EXAMPLE)
    html = render_html(report)
    tables = html[html.index("<table") : html.rindex("</table>") + len("</table>")]
    intro = render(report, "newline").split("二、主动公开政府信息情况")[0]
    text = intro + "二、主动公开政府信息情况\n\n" + ("说明文字。" * 400) + "\n\n" + tables + "\n"
    assert text.index("<table") > 2048
    assert sniff(text) == "text" and sniff(text.encode("utf-8")) == "text"
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    assert gd.parse(text) == gd.parse_file(path) == report


def test_deeply_nested_html_is_still_html() -> None:
    page = "<div>" * 500 + "<table><tr><td>申请人情况</td></tr></table>" + "</div>" * 500
    assert sniff(page) == "html" and sniff(page.encode()) == "html"


def test_rule_lines_are_layout_but_a_lone_dash_is_a_missing_value() -> None:
    report = gd.parse_file(EXAMPLE)
    text = render(report, "newline")
    ruled = text.replace("第二十条第（五）项", "--------------------\n第二十条第（五）项\n===== =====")
    assert gd.parse(ruled, strict=True) == report
    data = report.to_dict()
    data["active_disclosure"]["licensing"]["decisions"] = None
    dashed = gd.Report.from_dict(data)
    assert gd.parse(render(dashed, "newline").replace("\n—\n", "\n---\n"), strict=True) == dashed


BOXED = sorted((Path(__file__).parent / "fixtures" / "toolchain" / "libhtml-w3m").glob("*.txt"))


def test_box_drawn_tables_are_read_by_their_columns() -> None:
    """w3m draws tables with │ and ─; cells wrap inside their columns and merged cells
    span rules.  Every report of the corpus's w3m form is read whole."""
    assert BOXED
    expected = Path(__file__).parent / "fixtures" / "toolchain" / "expected"
    for path in BOXED:
        report = gd.parse(path.read_text(encoding="utf-8"))
        assert report == gd.Report.from_json((expected / f"{path.stem}.json").read_text(encoding="utf-8")), path.stem


def test_an_html_cell_printing_two_numbers_never_shifts_its_row() -> None:
    """Table 四 whose row lost a cell and prints two numbers in another (``3<br/>0``): the
    count is right again, but the numbers after that cell would sit one column off.
    The two-number cell is unreadable; nothing moves one column."""
    report = gd.parse_file(EXAMPLE)
    html = render_html(report)
    values = [str(v) for a, v in report.cells() if a.startswith("appeals.")]
    head, _, body = html.rpartition("<tr>")
    cells = body.split("</td>")
    assert len([c for c in cells if "<td" in c]) == 15
    second = cells[1][: cells[1].index("<td")] + f"<td>{values[0]}<br/>{values[1]}"
    broken = head + "<tr>" + "</td>".join([second, *cells[2:]])  # 14 cells, 15 numbers
    parsed = gd.parse(broken)
    want = dict(report.cells())
    for address, value in parsed.cells():
        assert value is None or value == want[address], address
    assert parsed.appeals.review.upheld is None and not parsed.complete


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    report=reports(consistent=True),
    kind=st.sampled_from(["blank", "delete", "swap", "none"]),
    merged=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_markdown_tables_never_give_a_number_at_a_wrong_address(
    report: gd.Report, kind: str, merged: bool, seed: int
) -> None:
    """A markdown rendering (rows padded at the right, or merged cells as markdownify
    writes them) with a cell blanked, a table row deleted or two rows swapped: every
    number read is the one printed at its address (rows move with their labels), and
    a blanked cell is never read as a number."""
    rnd = random.Random(seed)
    lines = (_markdown_merged if merged else _markdown)(report).split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("| ") and any(c.isdigit() for c in line)]
    if kind == "blank":
        i = rnd.choice(rows)
        cells = lines[i].split(" | ")
        numeric = [k for k, c in enumerate(cells) if c.strip(" |")[:1].isdigit()]
        k = rnd.choice(numeric)
        cells[k] = " " if 0 < k < len(cells) - 1 else ("| " if k == 0 else " |")
        lines[i] = " | ".join(cells)
    elif kind == "delete":
        del lines[rnd.choice(rows)]
    elif kind == "swap":
        i, j = rnd.sample(rows, 2) if len(rows) > 1 else (rows[0], rows[0])
        lines[i], lines[j] = lines[j], lines[i]
    try:
        parsed = gd.parse("\n".join(lines))
    except gd.ParseError:
        return
    want = dict(report.cells())
    for address, value in parsed.cells():
        if value is not None:
            assert value == want[address], f"{kind}: {address} read {value!r}, printed {want[address]!r}"


def test_the_agency_comes_without_markdown_marks_and_from_a_flattened_title() -> None:
    text = EXAMPLE.read_text("utf-8")
    want = gd.parse(text)
    assert want.agency and want.year
    title = f"{want.agency}{want.year}年政府信息公开工作年度报告"
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if title in line.replace(" ", ""))
    for heading in (f"# {title}", f"**{title}**", f"### **{title}**"):
        lines[k] = heading
        got = gd.parse("\n".join(lines))
        assert (got.agency, got.year) == (want.agency, want.year), heading
    flat = gd.parse(" ".join(line.strip() for line in text.split("\n")))
    assert (flat.agency, flat.year) == (want.agency, want.year)


@pytest.mark.parametrize("cut", [len("年度报告"), len("告")])
def test_the_agency_comes_from_a_title_wrapped_before_its_last_characters(cut: int) -> None:
    """PDF text of a long title: ``浙江省德清县武康街道办事处2022年政府信息公开工作年度报`` /
    ``告`` (or cut before 年度报告); a breadcrumb ``首页 > 政府信息公开年报`` is no title."""
    text = EXAMPLE.read_text("utf-8")
    want = gd.parse(text)
    title = f"{want.agency}{want.year}年政府信息公开工作年度报告"
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if title in line.replace(" ", ""))
    lines[k : k + 1] = ["首页 > 政府信息公开年报", title[:-cut], title[-cut:]]
    got = gd.parse("\n".join(lines))
    assert (got.agency, got.year) == (want.agency, want.year)
