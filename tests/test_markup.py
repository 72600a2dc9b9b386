"""Text whose tables are markup: markdown pipe tables and raw HTML tables inside text."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.formats import sniff
from gov_disclosure.formats.markup import markup_to_text
from gov_disclosure.render import render
from gov_disclosure.render_documents import render_html
from gov_disclosure.strategies import reports

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt"


def _markdown(report: gd.Report) -> str:
    """The report with every table as a markdown pipe table, headings as ``###``."""
    from gov_disclosure.render import table_rows

    lines = [f"# {report.agency}{report.year}年政府信息公开工作年度报告", "", "## 二、主动公开政府信息情况"]
    for key, rows in table_rows(report).items():
        width = max(len(r) for r in rows)
        lines.append("")
        for i, row in enumerate(rows):
            cells = [c if c != "—" else "" for c in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        lines.append("")
        if key == "active_disclosure":
            lines.append("### 三、收到和处理政府信息公开申请情况")
        elif key == "applications":
            lines.append("**四、政府信息公开行政复议、行政诉讼情况**")
    return "\n".join(lines) + "\n"


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


def test_a_blank_before_a_rows_first_number_is_not_placed() -> None:
    """``| 规章 |  | 36 |  |``: the empty cells may be the rest of merged cells; the row is short."""
    text = "| 规章 |  | 36 |  |\n|---|---|---|---|\n"
    assert markup_to_text(text).strip() == "规章 | 36"


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
    seed=st.integers(0, 2**32 - 1),
)
def test_markdown_tables_never_give_a_number_at_a_wrong_address(report: gd.Report, kind: str, seed: int) -> None:
    """A markdown rendering with a cell blanked, a table row deleted or two rows swapped:
    every number read is the one printed at its address (rows move with their labels)."""
    rnd = random.Random(seed)
    lines = _markdown(report).split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("| ") and any(c.isdigit() for c in line)]
    if kind == "blank":
        i = rnd.choice(rows)
        cells = lines[i].split(" | ")
        numeric = [k for k, c in enumerate(cells) if c.strip(" |").isdigit()]
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
