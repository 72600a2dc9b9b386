"""parse(): every cell right, every layout, and located errors for bad input.

Each test runs on the synthetic stand-ins (``tests/fixtures/standins``) and, when
``../shared`` is present, on the real seed the stand-in plays the part of.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure import ParseError, UnknownEditionError
from gov_disclosure._normalize import cells, normalise

from .conftest import REAL, expected, like, report_names, report_text, set_cell


def _printed(text: str, report: gd.Report, path: str) -> str:
    """The text of the line the cell at ``path`` is printed on, without layout marks."""
    line, _ = report.locations[path]
    return text.split("\n")[line - 1].strip().strip("|\t ").strip()


@pytest.mark.parametrize("name", report_names())
def test_report_matches_its_expected_json(name: str) -> None:
    report = gd.parse(report_text(name))
    assert json.loads(report.to_json()) == expected(name)


@pytest.mark.parametrize("name", report_names())
def test_expected_json_satisfies_the_templates_balance_rule(name: str) -> None:
    """Cross-check of the expected numbers: new + carried over = total + carried forward."""
    t = expected(name)["applications"]
    for column in t["total"]:
        assert t["new_received"][column] + t["carried_over"][column] == (
            t["total"][column] + t["carried_forward"][column]
        ), column


HEADERS = {
    # (edition, year, agency): the year comes from the report's text, never from the page's date line
    "a_pipe_page_date": ("2021", 2025, None),  # page date 2019年12月3日星期二, 统计期限 2025
    "000_4505276ac13c66c6": ("2021", 2025, None),  # page date 2019年12月3日星期二
    "b_trailing_pipe": ("2021", None, None),
    "001_9ebba746cc4f361b": ("2021", None, None),
    "c_newline_truncated": ("2021", 2023, "某镇人民政府"),  # year only in section 一
    "002_46ac49f0d77773c6": ("2021", 2024, None),
    "d_traditional": ("2021", 2024, None),  # year on the title line
    "003_0869a50636f65fd2": ("2021", 2024, None),
    "e_tab_2019": ("2019", 2020, "某区档案馆"),  # title on two lines
    "004_0aa99e0fac0e428e": ("2019", 2019, "区信访办"),
}


@pytest.mark.parametrize("name", report_names())
def test_header_fields(name: str) -> None:
    text = report_text(name)
    r = gd.parse(text)
    assert (r.edition, r.year, r.agency) == HEADERS[name]
    if "星期" in text:
        page_year = int(text.split("年", 2)[0].split("\n")[-1][-4:]) if text[0].isdigit() else None
        assert page_year is None or page_year != r.year


def test_page_date_line_is_not_the_report_year() -> None:
    text = report_text("a_pipe_page_date")
    assert "2019年12月3日星期二" in text.split("\n")[:3]
    assert gd.parse(text).year == 2025
    # without the 统计期限 sentence the page date is still not taken: the year comes from section 一
    without = "\n".join(ln for ln in text.split("\n") if "统计期限" not in ln)
    assert gd.parse(without).year == 2025
    # and with no year anywhere but the page date, there is no year
    bare = without.replace("2025年,", "")
    assert gd.parse(bare).year is None


@pytest.mark.parametrize("name", like("003"))
def test_decimal_fee_is_kept_exactly(name: str) -> None:
    report = gd.parse(report_text(name))
    want = Decimal(expected(name)["active_disclosure"]["fees"]["amount"])
    assert report.active_disclosure.fees.amount == want
    assert want != want.to_integral_value()


@pytest.mark.parametrize("name", like("003", "004", "000"))
def test_locations_point_at_the_printed_cell(name: str) -> None:
    text = report_text(name)
    report = gd.parse(text)
    for path in ("applications.unable.not_held.commercial", "appeals.review.total",
                 "applications.carried_forward.total", "active_disclosure.licensing.decisions"):
        assert _printed(text, report, path).split()[0] == str(report.get(path)), path
        line, column = report.locations[path]
        assert text.split("\n")[line - 1][column - 1 :].startswith(str(report.get(path))), path


# --- layouts: synthetic variants of one seed -------------------------------------

def _cells_of(text: str) -> list[str]:
    from gov_disclosure import editions

    return [c.text for c in cells(normalise(text), editions.get("2021").compile().value_re)]


def test_a_piece_of_a_thousands_number_one_space_after_a_label_is_a_cell_of_its_own() -> None:
    """A number broken in a narrow cell at or after its thousands comma (``1,35`` /
    ``2``) is no VALUE, but it is no part of the label it is printed one space after."""
    assert _cells_of("5.要求行政机关确认或重新出具已 1,35  1,05") == [
        "5.要求行政机关确认或重新出具已", "1,35", "1,05"]
    assert _cells_of("一、本年新收政府信息 14,  1,99") == ["一、本年新收政府信息", "14,", "1,99"]
    assert _cells_of("本年新收政府信息 公开申请数量") == ["本年新收政府信息公开申请数量"]


def _relayout(text: str, layout: str) -> str:
    """Rewrite the table lines of seed 001 (``cell |`` per line) in another layout."""
    out = []
    for line in text.split("\n"):
        cell = line.strip()
        if cell.endswith("|") or set(cell) <= {"|"}:
            cell = cell.rstrip("|").strip()
            if not cell:
                out.append({"pipes": "| ||", "tabs": "", "newlines": "", "trailing": "||"}[layout])
                continue
            out.append({"pipes": f"{cell} | ", "tabs": f"\t{cell}", "newlines": cell, "trailing": f"{cell} ||"}[layout])
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("layout", ["pipes", "tabs", "newlines", "trailing"])
@pytest.mark.parametrize("name", like("001"))
def test_each_layout_of_a_report_gives_the_same_report(name: str, layout: str) -> None:
    text = report_text(name)
    want = gd.parse(text)
    variant = _relayout(text, layout)
    assert variant != text
    assert gd.parse(variant) == want


@pytest.mark.parametrize("name", like("003"))
def test_labels_broken_by_spaces_and_full_width_digits(name: str) -> None:
    text = report_text(name)
    report = gd.parse(text)
    decisions = report.active_disclosure.licensing.decisions
    assert decisions >= 10000  # a five-digit number, so the width map is seen on every digit
    wide = set_cell(text, report, "active_disclosure.licensing.decisions", str(decisions).translate(_WIDE))
    wide = wide.replace("商業企業", "商業 企業").replace("社會公益組織", "社會公益 組織")
    assert wide.count("商業 企業") == 1 and "社會公益 組織" in wide
    changed = gd.parse(wide)
    assert changed.active_disclosure.licensing.decisions == decisions
    assert changed == report


_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("name", like("003"))
def test_thousands_separator_and_unit_are_read_not_altered(name: str) -> None:
    text = report_text(name)
    report = gd.parse(text)
    decisions = report.active_disclosure.licensing.decisions
    text = set_cell(text, report, "active_disclosure.licensing.decisions", f"{decisions:,}件")
    assert f"{decisions:,}件" in text and "," in f"{decisions:,}"
    assert gd.parse(text).active_disclosure.licensing.decisions == decisions


@pytest.mark.parametrize("name", like("003", "004"))
def test_dash_cell_is_missing_not_zero(name: str) -> None:
    text = report_text(name)
    report = gd.parse(text)
    path = "applications.unable.needs_creation.commercial"
    report = gd.parse(set_cell(text, report, path, "—"))
    assert report.applications.unable.needs_creation.commercial is None
    assert report.printed[path] == "—"
    assert report.to_dict()["applications"]["unable"]["needs_creation"]["commercial"] is None


def test_tab_layout_joins_wrapped_labels_and_stray_empty_cells() -> None:
    ours = _cells_of("\t信息内容\n\t本年新\n制作数量\n\t0\n\t\n0\n" + "\tx\n" * 8)
    assert ours[:4] == ["信息内容", "本年新制作数量", "0", "0"]


# --- errors --------------------------------------------------------------------

#: The error tests cut up a report in the ``cell |`` layout with ``||`` row ends (seed 001's).
TRAILING = like("001")


def _lines(name: str) -> list[str]:
    return report_text(name).split("\n")


def _index(lines: list[str], needle: str) -> int:
    return next(k for k, ln in enumerate(lines) if needle in ln)


@pytest.mark.parametrize("name", TRAILING)
def test_deleted_row_names_the_missing_row_and_its_line(name: str) -> None:
    lines = _lines(name)
    i = _index(lines, "三安全")
    broken = lines[:i] + lines[i + 9 :]  # the label, 7 numbers and the "||" line
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken), strict=True)
    e = err.value
    assert "table 三" in e.message and "3.危及“三安全一稳定”" in e.message
    assert e.line == i + 1  # where 4.保护第三方合法权益 now stands
    assert "4.保护第三方合法权益" in e.snippet


@pytest.mark.parametrize("name", TRAILING)
def test_deleted_number_says_how_many_numbers_were_found(name: str) -> None:
    lines = _lines(name)
    i = _index(lines, "2.其他法律行政法规禁止公开")
    broken = lines[: i + 1] + lines[i + 2 :]
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken), strict=True)
    e = err.value
    assert "expected the row 2.其他法律行政法规禁止公开 with 7 numbers, found 6" in e.message
    assert e.line == i + 1
    assert f"line {i + 1}" in str(e)


@pytest.mark.parametrize("name", TRAILING)
def test_garbled_number_is_named(name: str) -> None:
    lines = _lines(name)
    i = _index(lines, "2.其他法律行政法规禁止公开")
    lines[i + 3] = "1O |"
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(lines), strict=True)
    assert "'1O' is not a number" in err.value.message
    assert err.value.line == i + 4
    assert err.value.snippet.strip() == "1O |"


@pytest.mark.parametrize("name", TRAILING)
def test_extra_number_is_an_error_not_a_shift(name: str) -> None:
    lines = _lines(name)
    i = _index(lines, "2.其他法律行政法规禁止公开")
    broken = lines[: i + 1] + ["5 |"] + lines[i + 1 :]
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken), strict=True)
    assert "more than 7 numbers" in err.value.message


@pytest.mark.parametrize("name", TRAILING)
def test_truncated_file_names_the_row_it_ends_in(name: str) -> None:
    lines = _lines(name)
    i = _index(lines, "6.属于四类过程性信息")
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(lines[: i + 4]), strict=True)
    assert "6.属于四类过程性信息" in err.value.message
    assert "end of the text" in err.value.message
    assert err.value.line == i + 1


def test_truncated_real_extract(tmp_path) -> None:
    path = REAL / "fragment-2024-table3.txt"
    if not path.exists():
        pytest.skip("../shared/real not available")
    with pytest.raises(ParseError) as err:
        gd.parse_file(path, strict=True)
    assert err.value.line is not None
    assert str(path) in str(err.value)


def test_empty_input() -> None:
    for text in ("", "   \n\n"):
        with pytest.raises(ParseError, match="empty"):
            gd.parse(text, strict=True)


def test_unrelated_chinese_text() -> None:
    with pytest.raises(UnknownEditionError) as err:
        gd.parse("今天天气很好，我们去公园散步。\n公园里有很多人，大家都很开心。\n")
    assert set(err.value.reasons) >= {"2021", "2019"}


def test_unrelated_text_forced_to_an_edition_says_no_tables() -> None:
    with pytest.raises(ParseError, match="no report tables found"):
        gd.parse("今天天气很好。\n", edition="2021", strict=True)


@pytest.mark.parametrize("name", TRAILING)
def test_parse_error_is_never_a_raw_lark_exception(name: str) -> None:
    import lark

    lines = _lines(name)
    for cut in range(40, len(lines), 37):
        try:
            gd.parse("\n".join(lines[:cut]))
        except ParseError as e:
            assert not isinstance(e, lark.exceptions.LarkError)
            assert e.__cause__ is None or not isinstance(e.__cause__, lark.exceptions.LarkError)


@pytest.mark.parametrize("name", like("002", "003"))
def test_parse_file_encodings(tmp_path, name: str) -> None:
    text = report_text(name)
    want = gd.parse(text)
    for name, data in {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gbk.txt": text.encode("gb18030"),
    }.items():
        p = tmp_path / name
        p.write_bytes(data)
        assert gd.parse_file(p) == want, name


@pytest.mark.parametrize("name", TRAILING)
def test_error_repr_and_str_are_helpful(name: str) -> None:
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(_lines(name)[:150]), strict=True)
    assert "line" in str(err.value) and "ParseError(" in repr(err.value)


@pytest.mark.parametrize("name", like("003", "001", "000"))
def test_extra_number_at_the_start_of_table_four_is_not_a_silent_shift(name: str) -> None:
    text = report_text(name)
    lines = text.split("\n")
    first, _ = gd.parse(text).locations["appeals.review.upheld"]
    i = first - 1  # the index of the first number's line
    broken = lines[:i] + ["5 |"] + lines[i:]
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken), strict=True)
    assert "table 四" in err.value.message and err.value.code == "number.extra"


@pytest.mark.parametrize("name", TRAILING)
def test_extra_number_in_the_last_row_of_table_three(name: str) -> None:
    lines = _lines(name)
    i = _index(lines, "四、结转下年度继续办理")
    broken = lines[: i + 1] + ["9 |"] + lines[i + 1 :]
    with pytest.raises(ParseError, match="more than 7 numbers"):
        gd.parse("\n".join(broken), strict=True)


@pytest.mark.parametrize("name", like("004"))
def test_bare_page_number_after_the_narrative_is_ignored(name: str) -> None:
    text = report_text(name)
    assert text.rstrip().split("\n")[-1].strip().isdigit()  # a bare page number ends the text
    assert json.loads(gd.parse(text, strict=True).to_json()) == expected(name)


FOOTERS = ["- 3 -", "第 3 页 共 9 页", "共9页第3页", "3/9", "Page 3 of 9", "—  12  —"]


@pytest.mark.parametrize("footer", FOOTERS)
@pytest.mark.parametrize("name", report_names())
def test_page_footers_between_table_rows_are_dropped(name: str, footer: str, monkeypatch) -> None:
    """A page footer printed inside table 三 (a page break) is not read as a cell; without the
    page-number pattern the same text reads differently or not at all (so this test can fail)."""
    from gov_disclosure import _normalize

    text = report_text(name)
    report = gd.parse(text, strict=True)
    lines = text.split("\n")
    at, _ = report.locations["applications.denied.third_party_rights.natural_person"]
    paged = "\n".join(lines[: at - 1] + [footer] + lines[at - 1 :])  # between the row's label and numbers
    assert gd.parse(paged, strict=True) == report
    monkeypatch.setattr(_normalize, "PAGE_NUMBER", re.compile(r"(?!)"))
    try:
        without = gd.parse(paged, strict=True)
    except ParseError:
        return
    assert without != report


@pytest.mark.parametrize(("line", "page"), [("0 / 349", False), ("12 / 3", False), ("3 / 12", True), ("3/9", True)])
def test_a_line_n_slash_m_is_a_page_number_only_where_page_n_can_be_of_m(line: str, page: bool) -> None:
    """pdftotext ``-raw`` prints a 2019 table-二 row under its wrapped label as ``0 / 349``
    (a previous count, a blank, this year's): no page 0; it is read as the row."""
    from gov_disclosure._normalize import is_page_number
    from gov_disclosure.render import render

    assert is_page_number(line) is page
    base = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "tabs_2019.txt")
    lines = render(base, "space").split("\n")
    k = next(i for i, text in enumerate(lines) if text.startswith("其他对外管理服务事项 "))
    lines[k : k + 1] = ["其他对外管理服务", "事项", line]
    row = gd.parse("\n".join(lines)).active_disclosure.other_services
    first, last = re.split(r"\s*/\s*", line)
    assert (row.previous_items, row.change, row.decisions) == ((int(first), None, int(last)) if not page else (None,) * 3)
