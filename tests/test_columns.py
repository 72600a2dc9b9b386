"""Tables kept in character columns without rules (pdftotext -layout, w3m without borders)."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.formats.columns import columns_to_text, has_column_tables
from gov_disclosure.formats.grid import BLANK
from gov_disclosure.formats.markup import markup_to_text
from gov_disclosure.render import render, table_rows
from gov_disclosure.strategies import reports

CORPUS = Path(__file__).resolve().parent / "fixtures" / "toolchain"


def _lines(text: str) -> list[str]:
    return columns_to_text(text).split("\n")


def _cells(line: str) -> list[str]:
    return line.split()


# --- small hand-written tables ----------------------------------------------------------

TABLE = """\
项目        甲      乙      丙      总计
第一行      1       2       3       6
第二行      4       5       6       15
第三行      7       8       9       24
第四行      10      11      12      33
"""


def _with(row: int, line: str) -> str:
    lines = TABLE.split("\n")
    lines[row] = line
    return "\n".join(lines)


def test_a_blank_cell_in_the_middle_is_marked() -> None:
    out = _lines(_with(2, "第二行      4               6       10"))
    assert _cells(out[2]) == ["第二行", "4", BLANK, "6", "10"]
    assert out[1] == TABLE.split("\n")[1]  # full rows, the header and other lines stay as they are
    assert out[0] == TABLE.split("\n")[0]


def test_a_blank_last_column_is_marked() -> None:
    out = _lines(_with(3, "第三行      7       8       9"))
    assert _cells(out[3]) == ["第三行", "7", "8", "9", BLANK]


def test_a_blank_first_value_column_is_marked() -> None:
    out = _lines(_with(4, "第四行              11      12      23"))
    assert _cells(out[4]) == ["第四行", BLANK, "11", "12", "23"]


def test_several_blanks_in_one_row() -> None:
    out = _lines(_with(2, "第二行              5"))
    assert _cells(out[2]) == ["第二行", BLANK, "5", BLANK, BLANK]


def test_a_misaligned_number_leaves_its_line_unchanged() -> None:
    # ``5`` stands between the columns of 甲 and 乙: not certain, the line is kept
    line = "第二行      4    5         15"
    out = _lines(_with(2, line))
    assert out[2] == line


def test_a_line_drifted_by_half_a_column_is_no_reading() -> None:
    # columns four apart; the third row's numbers stand two columns right of theirs
    text = "项目    甲  乙  丙  丁\n第一行  1   2   3   4\n第二行  5   6   7   8\n第三行    9   10      12\n" \
        "第四行  1   2   3   4\n"
    assert columns_to_text(text).split("\n")[3] == text.split("\n")[3]
    # a drift of one column is within the tolerance
    near = text.replace("第三行    9   10      12", "第三行   9   10      12")
    assert _cells(columns_to_text(near).split("\n")[3]) == ["第三行", "9", "10", BLANK, "12"]


def test_a_blank_is_written_into_the_gap_and_every_other_character_keeps_its_place() -> None:
    line = "第二行      4               6       10"
    out = _lines(_with(2, line))[2]
    assert out.replace(BLANK, " ").rstrip() == line
    assert out.index(BLANK) == TABLE.split("\n")[1].index("2")  # under the column's other numbers


def test_sources_of_numbers_on_a_changed_line_are_where_they_are_printed() -> None:
    text = (CORPUS / "lopdf-pdftotext-layout" / "01-2021-county.txt").read_text("utf-8")
    report = gd.parse(text)
    lines = text.split("\n")
    for address in ("applications.not_processed.duplicate.research", "applications.not_processed.duplicate.other_org"):
        source = report.source(address)
        assert source is not None
        printed = lines[source.line - 1]
        assert printed[source.column - 1:].startswith(source.printed), (address, printed, source)


def test_every_corpus_text_passes_without_an_error() -> None:
    from gov_disclosure.formats.columns import _columns_to_text

    for path in CORPUS.glob("*/*.txt"):
        _columns_to_text(path.read_text("utf-8"))  # the public function would hide an error


def test_two_numbers_in_one_column_leave_the_block_unchanged() -> None:
    text = _with(2, "第二行      4 5             6       15")
    assert columns_to_text(text) == text


def test_right_aligned_columns() -> None:
    text = """\
项目          甲      乙      丙    总计
第一行         1      20       3      24
第二行       100              60     160
第三行         7       8       9      24
"""
    out = _lines(text)
    assert _cells(out[2]) == ["第二行", "100", BLANK, "60", "160"]
    assert out[1] == text.split("\n")[1]


def test_wide_characters_count_two_columns_and_pdftotext_counts_them_one() -> None:
    # w3m: CJK labels two columns wide; the numbers align by display column, not by index
    w3m = """\
一、本年新收政府信息公开  52      51      72      175
二、上年结转              1       2       0       3
三、本年度办理结果        4               8       12
四、结转下年度继续办理    0       1       0       1
"""
    assert _cells(_lines(w3m)[2]) == ["三、本年度办理结果", "4", BLANK, "8", "12"]
    # pdftotext -layout: a CJK character takes one column of the text
    rows = [("一、本年新收政府信息公开", "52", "51", "72", "175"), ("二、上年结转", "1", "2", "0", "3"),
            ("三、本年度办理结果", "4", "", "8", "12"), ("四、结转下年度继续办理", "0", "1", "0", "1")]
    pdf = "\n".join("".join(c.ljust(16 if k == 0 else 8) for k, c in enumerate(row)).rstrip() for row in rows)
    assert _lines(w3m) != w3m.split("\n") and columns_to_text(pdf) != pdf
    assert _cells(_lines(pdf)[2]) == ["三、本年度办理结果", "4", BLANK, "8", "12"]


def test_too_few_lines_establish_no_columns() -> None:
    text = "项目   甲   乙   丙\n第一行   1   2   3\n第二行   4       6\n"
    # two lines that do not agree to a column on every number: nothing is changed
    shifted = "项目   甲   乙   丙\n第一行   1   2   3\n第二行     4       6\n"
    assert columns_to_text(shifted) == shifted
    assert _cells(columns_to_text(text).split("\n")[2]) == ["第二行", "4", BLANK, "6"]


def test_a_row_printed_over_two_lines_is_left_alone() -> None:
    # a number wrapped in its cell (``1412`` / ``1``): the row is not for this pass to complete
    text = """\
项目        甲      乙      丙      总计
第一行      1       2       3       6
第二行      1412            6       1421
            1                       0
第三行      7       8       9       24
"""
    assert _lines(text)[2] == text.split("\n")[2]


def test_text_after_numbers_and_narrative_are_kept() -> None:
    text = "期限自 2021 年 1 月 1 日起至 2021 年 12 月 31 日止。\n" + TABLE
    assert columns_to_text(text).split("\n")[0] == text.split("\n")[0]


def test_the_guard_is_false_for_report_text_in_cells() -> None:
    report = gd.Report.from_json((CORPUS / "expected" / "01-2021-county.json").read_text("utf-8"))
    for layout in ("pipe", "newline", "tab"):
        text = render(report, layout)
        assert not has_column_tables(text)
        assert columns_to_text(text) == text
    assert has_column_tables(TABLE)


@pytest.mark.parametrize("text", ["", "\n\n", "1  2", "  1  ", "|  1  2  |", "一  1  2\n" * 3,
                                  "a" * 5000 + "  1  2", "1  2\n" * 500, "\u3000\u30001\u3000\u30002"])
def test_odd_input_never_raises(text: str) -> None:
    assert isinstance(columns_to_text(text), str)


def test_markup_to_text_runs_the_pass() -> None:
    assert _cells(markup_to_text(_with(2, "第二行      4               6       10")).split("\n")[2]) == [
        "第二行", "4", BLANK, "6", "10"]


# --- the toolchain corpus ---------------------------------------------------------------

#: cells read exactly per form before this pass: 753, 851, 932, 333 (of 1197, 1197, 1197, 600)
FLOORS = {
    "lopdf-pdftotext-layout": 900,
    "lohtml-w3m": 1015,
    "libpdf-pdftotext-layout": 1115,
    "tplpdf-pdftotext-layout": 425,
    "docx-pandoc-plain": 1190,
}


def _read(form: str) -> tuple[int, list[str]]:
    exact = 0
    wrong: list[str] = []
    for path in sorted((CORPUS / form).glob("*.txt")):
        expected = gd.Report.from_json((CORPUS / "expected" / f"{path.stem}.json").read_text("utf-8"))
        try:
            got = dict(gd.parse(path.read_text("utf-8")).cells())
        except gd.ParseError:
            continue
        for address, want in expected.cells():
            value = got.get(address)
            if value == want:
                exact += 1
            elif value is not None:
                wrong.append(f"{path.stem}: {address}: expected {want!r}, read {value!r}")
    return exact, wrong


@pytest.mark.parametrize("form", sorted(FLOORS))
def test_column_forms_read_more_and_never_wrong(form: str) -> None:
    exact, wrong = _read(form)
    assert not wrong, wrong[:5]
    assert exact >= FLOORS[form], exact


def test_no_form_of_the_corpus_reads_a_wrong_number() -> None:
    forms = [p.name for p in CORPUS.iterdir() if p.is_dir() and p.name not in ("expected", "damaged")]
    assert len(forms) > 20
    for form in forms:
        assert not _read(form)[1], form


def test_parse_and_parse_file_agree_on_a_column_text(tmp_path: Path) -> None:
    text = (CORPUS / "lopdf-pdftotext-layout" / "01-2021-county.txt").read_text("utf-8")
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    assert gd.parse_file(path) == gd.parse(text)
    # ``2.重  53       10       45   4``: three blank cells, read around them
    duplicate = gd.parse(text).applications.not_processed.duplicate
    assert (duplicate.natural_person, duplicate.research, duplicate.legal_services, duplicate.other_org) == (
        53, 10, 45, 4)


# --- rendered reports in a column layout ------------------------------------------------


def _width(text: str, cjk: int) -> int:
    return sum(cjk if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int, cjk: int, right: bool = False) -> str:
    space = " " * max(width - _width(text, cjk), 0)
    return space + text if right else text + space


def _column_layout(report: gd.Report, rnd: random.Random, cjk: int, right: bool,
                   blanks: float, wraps: float, drift: bool) -> str:
    """The report's tables in character columns (a CJK character ``cjk`` columns wide),
    cells left- or right-aligned, some value cells blanked, some labels wrapped onto the
    next line inside their column, and (``drift``) the numbers of two rows one or two
    display columns off."""
    lines: list[str] = [f"{report.agency or ''}政府信息公开工作年度报告", "二、主动公开政府信息情况"]
    tables = table_rows(report, missing="")
    for key, rows in tables.items():
        values = {"active_disclosure": None, "applications": 7, "appeals": 15}[key]
        sections: list[list[list[str]]] = []
        for row in rows:
            if not sections or (key == "active_disclosure" and len(row) == 1):
                sections.append([])
            sections[-1].append(row)
        for section in sections:
            data = []
            for row in section:
                if key == "active_disclosure" and len(row) == 1:
                    lines.append(row[0])  # 第二十条第（一）项
                elif key == "active_disclosure" or len(row) >= (values or 0):
                    labels = 1 if key == "active_disclosure" else len(row) - (values or 0)
                    data.append((row[:labels], row[labels:]))
                else:
                    lines.append("    ".join(row))  # a header line of table 三 or 四
            if not data:
                continue
            count = max(len(v) for _, v in data)
            gap = rnd.randint(2, 4)
            label_width = max(_width("  ".join(lab), cjk) for lab, _ in data) + gap
            widths = [max(_width(v[j], cjk) for _, v in data if j < len(v)) + gap for j in range(count)]
            for labels, cells in data:
                header = not any(c and c[0].isdigit() for c in cells)
                cells = [c if header or rnd.random() >= blanks else "" for c in cells]
                rest = ""
                if labels and not header and rnd.random() < wraps and len(labels[-1]) > 3:
                    # never right after a sub-row number: the reader takes a lone ``4.``
                    # for a number (a reader issue of its own, apart from columns)
                    cut = rnd.randint(3, len(labels[-1]) - 1)
                    rest = labels[-1][cut:]
                    labels = [*labels[:-1], labels[-1][:cut]]
                head = "  ".join(labels)
                text = _pad(head, label_width, cjk)
                for j, cell in enumerate(cells):
                    if right:
                        text += " " * gap + _pad(cell, widths[j] - gap, cjk, right=True)
                    else:
                        text += _pad(cell, widths[j], cjk)
                lines.append(text.rstrip())
                if rest:
                    indent = _width("  ".join(labels[:-1]) + ("  " if len(labels) > 1 else ""), cjk)
                    lines.append(" " * indent + rest)
        if key == "active_disclosure":
            lines.append("三、收到和处理政府信息公开申请情况")
        elif key == "applications":
            lines.append("四、政府信息公开行政复议、行政诉讼情况")
    if drift:
        # pdftotext's drift: a row's numbers one or two columns off the others'
        rows = [i for i, line in enumerate(lines) if re.search(r"\S {3,}\d", line)]
        for i in rnd.sample(rows, min(2, len(rows))):
            m = re.search(r"(?<=\S)( {3,})(?=\d)", lines[i])
            assert m is not None
            shift = rnd.choice([-2, -1, 1, 2])
            gap = " " * (len(m.group(1)) + shift)
            lines[i] = lines[i][: m.start(1)] + gap + lines[i][m.end(1):]
    return "\n".join(lines) + "\n"


def _wrong(report: gd.Report, text: str) -> Optional[str]:
    try:
        parsed = gd.parse(text)
    except gd.ParseError:
        return None
    want = dict(report.cells())
    for address, value in parsed.cells():
        if value is not None and value != want[address]:
            return f"{address} read {value!r}, printed {want[address]!r}"
    return None


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    cjk=st.sampled_from([1, 2]),
    right=st.booleans(),
    blanks=st.sampled_from([0.0, 0.05, 0.2, 0.5]),
    wraps=st.sampled_from([0.0, 0.3, 1.0]),
    drift=st.booleans(),
)
def test_column_layouts_never_give_a_number_at_a_wrong_address(
    report: gd.Report, seed: int, cjk: int, right: bool, blanks: float, wraps: float, drift: bool
) -> None:
    """Every number read from a column rendering (blanked cells, wrapped labels, rows
    drifted by up to two display columns) is the one printed at its address."""
    text = _column_layout(report, random.Random(seed), cjk, right, blanks, wraps, drift)
    problem = _wrong(report, text)
    assert problem is None, problem


def test_a_rendered_column_layout_with_blanks_is_read() -> None:
    """The pass has teeth: a rendering with blanked cells reads the rows holding them."""
    report = gd.Report.from_json((CORPUS / "expected" / "01-2021-county.json").read_text("utf-8"))
    text = _column_layout(report, random.Random(7), 2, False, 0.0, 0.0, False)
    assert columns_to_text(text) != text
    parsed = gd.parse(text)
    assert parsed.applications.granted == report.applications.granted  # a row with a blank cell
    assert parsed.applications.denied.state_secret == report.applications.denied.state_secret
    assert _wrong(report, text) is None
