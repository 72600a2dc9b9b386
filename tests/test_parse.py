"""parse(): every seed cell right, every layout, and located errors for bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import gov_disclosure as gd
from gov_disclosure import ParseError, UnknownEditionError
from gov_disclosure._normalize import cells, normalise

from .conftest import golden, seed_ids, seed_text


@pytest.mark.parametrize("name", seed_ids())
def test_seed_matches_hand_read_fixture(name: str) -> None:
    report = gd.parse(seed_text(name))
    assert json.loads(report.to_json()) == golden(name)


@pytest.mark.parametrize("name", seed_ids())
def test_golden_fixture_satisfies_the_templates_balance_rule(name: str) -> None:
    """Cross-check of the hand-read numbers: new + carried over = total + carried forward."""
    t = golden(name)["applications"]
    for column in t["total"]:
        assert t["new_received"][column] + t["carried_over"][column] == (
            t["total"][column] + t["carried_forward"][column]
        ), column


def test_seed_header_fields() -> None:
    r0 = gd.parse(seed_text("000_4505276ac13c66c6"))
    assert (r0.edition, r0.year, r0.agency) == ("2021", 2025, None)  # page date says 2019
    r3 = gd.parse(seed_text("003_0869a50636f65fd2"))
    assert r3.active_disclosure.fees.amount == Decimal("3664.4476")
    r4 = gd.parse(seed_text("004_0aa99e0fac0e428e"))
    assert (r4.edition, r4.year, r4.agency) == ("2019", 2019, "区信访办")


def test_locations_point_at_the_printed_cell() -> None:
    text = seed_text("003_0869a50636f65fd2")
    report = gd.parse(text)
    line, column = report.locations["applications.unable.not_held.commercial"]
    assert text.split("\n")[line - 1].strip().rstrip("| ").strip() == "13"
    line, _ = report.locations["appeals.review.total"]
    assert text.split("\n")[line - 1].strip().startswith("8")


# --- layouts: synthetic variants of one seed -------------------------------------

def _cells_of(text: str) -> list[str]:
    from gov_disclosure import editions

    return [c.text for c in cells(normalise(text), editions.get("2021").compile().value_re)]


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
def test_each_layout_of_a_seed_gives_the_same_report(layout: str) -> None:
    text = seed_text("001_9ebba746cc4f361b")
    expected = gd.parse(text)
    variant = _relayout(text, layout)
    assert variant != text
    assert gd.parse(variant) == expected


def test_labels_broken_by_spaces_and_full_width_digits() -> None:
    text = seed_text("003_0869a50636f65fd2")
    wide = text.replace("52851", "５２８５１").replace("商業企業", "商業 企業").replace("社會公益組織", "社會公益 組織")
    report = gd.parse(wide)
    assert report.active_disclosure.licensing.decisions == 52851
    assert report == gd.parse(text)


def test_thousands_separator_and_unit_are_read_not_altered() -> None:
    text = seed_text("003_0869a50636f65fd2").replace("\n52851 |", "\n52,851件 |")
    assert gd.parse(text).active_disclosure.licensing.decisions == 52851


def test_dash_cell_is_missing_not_zero() -> None:
    text = seed_text("003_0869a50636f65fd2")
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if "2.沒有現成信息" in ln)
    lines[i + 2] = "— |"  # the 商业企业 cell of that row
    report = gd.parse("\n".join(lines))
    assert report.applications.unable.needs_creation.commercial is None
    assert report.printed["applications.unable.needs_creation.commercial"] == "—"
    assert report.to_dict()["applications"]["unable"]["needs_creation"]["commercial"] is None


def test_tab_layout_joins_wrapped_labels_and_stray_empty_cells() -> None:
    ours = _cells_of("\t信息内容\n\t本年新\n制作数量\n\t0\n\t\n0\n" + "\tx\n" * 8)
    assert ours[:4] == ["信息内容", "本年新制作数量", "0", "0"]


# --- errors --------------------------------------------------------------------

def _lines(name: str = "001_9ebba746cc4f361b") -> list[str]:
    return seed_text(name).split("\n")


def _index(lines: list[str], needle: str) -> int:
    return next(k for k, ln in enumerate(lines) if needle in ln)


def test_deleted_row_names_the_missing_row_and_its_line() -> None:
    lines = _lines()
    i = _index(lines, "三安全")
    broken = lines[:i] + lines[i + 9 :]  # the label, 7 numbers and the "||" line
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken))
    e = err.value
    assert "table 三" in e.message and "3.危及“三安全一稳定”" in e.message
    assert e.line == i + 1  # where 4.保护第三方合法权益 now stands
    assert "4.保护第三方合法权益" in e.snippet


def test_deleted_number_says_how_many_numbers_were_found() -> None:
    lines = _lines()
    i = _index(lines, "2.其他法律行政法规禁止公开")
    broken = lines[: i + 1] + lines[i + 2 :]
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken))
    e = err.value
    assert "expected the row 2.其他法律行政法规禁止公开 with 7 numbers, found 6" in e.message
    assert e.line == i + 1
    assert f"line {i + 1}" in str(e)


def test_garbled_number_is_named() -> None:
    lines = _lines()
    i = _index(lines, "2.其他法律行政法规禁止公开")
    lines[i + 3] = "1O |"
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(lines))
    assert "'1O' is not a number" in err.value.message
    assert err.value.line == i + 4
    assert err.value.snippet.strip() == "1O |"


def test_extra_number_is_an_error_not_a_shift() -> None:
    lines = _lines()
    i = _index(lines, "2.其他法律行政法规禁止公开")
    broken = lines[: i + 1] + ["5 |"] + lines[i + 1 :]
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken))
    assert "more than 7 numbers" in err.value.message


def test_truncated_file_names_the_row_it_ends_in() -> None:
    lines = _lines()
    i = _index(lines, "6.属于四类过程性信息")
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(lines[: i + 4]))
    assert "6.属于四类过程性信息" in err.value.message
    assert "end of the text" in err.value.message
    assert err.value.line == i + 1


def test_truncated_real_extract(tmp_path) -> None:
    from .conftest import REAL

    path = REAL / "fragment-2024-table3.txt"
    if not path.exists():
        pytest.skip("../shared/real not available")
    with pytest.raises(ParseError) as err:
        gd.parse_file(path)
    assert err.value.line is not None
    assert str(path) in str(err.value)


def test_empty_input() -> None:
    for text in ("", "   \n\n"):
        with pytest.raises(ParseError, match="empty"):
            gd.parse(text)


def test_unrelated_chinese_text() -> None:
    with pytest.raises(UnknownEditionError) as err:
        gd.parse("今天天气很好，我们去公园散步。\n公园里有很多人，大家都很开心。\n")
    assert set(err.value.reasons) >= {"2021", "2019"}


def test_unrelated_text_forced_to_an_edition_says_no_tables() -> None:
    with pytest.raises(ParseError, match="no report tables found"):
        gd.parse("今天天气很好。\n", edition="2021")


def test_parse_error_is_never_a_raw_lark_exception() -> None:
    import lark

    lines = _lines()
    for cut in range(40, len(lines), 37):
        try:
            gd.parse("\n".join(lines[:cut]))
        except ParseError as e:
            assert not isinstance(e, lark.exceptions.LarkError)
            assert e.__cause__ is None or not isinstance(e.__cause__, lark.exceptions.LarkError)


def test_parse_file_encodings(tmp_path) -> None:
    text = seed_text("002_46ac49f0d77773c6")
    expected = gd.parse(text)
    for name, data in {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gbk.txt": text.encode("gb18030"),
    }.items():
        p = tmp_path / name
        p.write_bytes(data)
        assert gd.parse_file(p) == expected, name


def test_error_repr_and_str_are_helpful() -> None:
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(_lines()[:150]))
    assert "line" in str(err.value) and "ParseError(" in repr(err.value)


def test_extra_number_at_the_start_of_table_four_is_not_a_silent_shift() -> None:
    text = seed_text("003_0869a50636f65fd2")
    lines = text.split("\n")
    i = max(k for k, ln in enumerate(lines) if ln.strip() == "總計 | |||||")
    broken = lines[: i + 1] + ["|", "5 |"] + lines[i + 1 :]
    with pytest.raises(ParseError) as err:
        gd.parse("\n".join(broken))
    assert "table 四" in err.value.message and "extra number" in err.value.message


def test_extra_number_in_the_last_row_of_table_three() -> None:
    lines = _lines()
    i = _index(lines, "四、结转下年度继续办理")
    broken = lines[: i + 1] + ["9 |"] + lines[i + 1 :]
    with pytest.raises(ParseError, match="more than 7 numbers"):
        gd.parse("\n".join(broken))


def test_page_number_after_the_narrative_is_ignored() -> None:
    text = seed_text("004_0aa99e0fac0e428e")
    assert text.rstrip().endswith("7")
    assert gd.parse(text).edition == "2019"
