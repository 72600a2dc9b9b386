"""The edition registry: detection, forced editions, grammar/model agreement, extension."""

from __future__ import annotations

import runpy
import sys
import textwrap
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure import ParseError, UnknownEditionError, editions
from gov_disclosure._lexer import base_name

from .conftest import like, report_names, report_text, set_cell

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLE = DOCS / "examples" / "edition_plus"


def test_builtin_editions_are_listed() -> None:
    assert editions.available()[:2] == ["2021", "2019"]
    assert "2019" in editions.get("2019").description


@pytest.mark.parametrize("name", ["2021", "2019"])
def test_every_grammar_rule_has_a_handler_and_every_model_row_a_rule(name: str) -> None:
    compiled = editions.get(name).compile()
    rules = compiled.rule_names()
    assert rules, "no rules?"
    for rule in rules:
        assert compiled.builder.handles(rule), f"rule {rule!r} of edition {name} has no transformer handler"
    assert set(gd.schema.of(compiled.edition.tables).rule_classes) <= {base_name(r) for r in rules}
    editions.check_edition(compiled)  # raises on any mismatch


def test_a_grammar_rule_without_a_model_field_is_rejected(tmp_path: Path) -> None:
    grammar = tmp_path / "bad.lark"
    grammar.write_text(
        "%import template (start, active_disclosure, applications, other_processing, appeals, TEXT, VALUE)\n"
        "%import template (_block_documents, _block_licensing, _block_enforcement, _block_fees)\n"
        "%override active_disclosure: _block_documents _block_licensing _block_enforcement _block_fees stray\n"
        "stray: STRAY VALUE\nSTRAY: /杂项/\n",
        encoding="utf-8",
    )
    from gov_disclosure.model import ActiveDisclosure2021, Appeals, Applications

    bad = editions.Edition("bad", grammar, {"active_disclosure": ActiveDisclosure2021,
                                            "applications": Applications, "appeals": Appeals},
                           editions.markers("杂项"))
    with pytest.raises(gd.GovDisclosureError, match="stray"):
        bad.compile()


@pytest.mark.parametrize("name", report_names())
def test_auto_detection(name: str) -> None:
    edition = "2019" if name.startswith(("004", "e_")) else "2021"
    assert gd.parse(report_text(name)).edition == edition


@pytest.mark.parametrize("name", like("003", "000"))
def test_2021_report_forced_as_2019_fails_clearly(name: str) -> None:
    with pytest.raises(ParseError) as err:
        gd.parse(report_text(name), edition="2019", strict=True)
    assert "table 二" in err.value.message and "本年新制作数量" in err.value.message
    assert err.value.line is not None


@pytest.mark.parametrize("name", like("004"))
def test_2019_report_forced_as_2021_fails_clearly(name: str) -> None:
    with pytest.raises(ParseError) as err:
        gd.parse(report_text(name), edition="2021", strict=True)
    assert "table 二" in err.value.message and "本年制发件数" in err.value.message


@pytest.mark.parametrize("name", like("004"))
def test_2019_table_three_with_2021_other_processing_rows_fails(name: str) -> None:
    text = report_text(name)
    assert text.count("\t（六）其他处理\n") == 1
    text = text.replace("\t（六）其他处理\n", "\t（六）其他处理\n\t3.其他\n")
    with pytest.raises(ParseError) as err:
        gd.parse(text, strict=True)
    assert "（六）其他处理" in err.value.message or "3.其他" in err.value.message


def test_unknown_edition_name() -> None:
    with pytest.raises(UnknownEditionError, match="available"):
        gd.parse("x", edition="1999")


def test_pre_2019_report_is_recognised_and_rejected() -> None:
    text = "2016年政府信息公开工作年度报告\n一、概述\n当面申请数 5\n同意公开答复数 3\n网上申请数 2\n"
    with pytest.raises(UnknownEditionError) as err:
        gd.parse(text)
    assert "pre-2019" in str(err.value)
    assert set(err.value.reasons) >= {"2021", "2019"}


@pytest.mark.parametrize("name", like("004"))
def test_signed_change_in_2019(name: str) -> None:
    text = report_text(name)
    original = gd.parse(text)
    text = set_cell(text, original, "active_disclosure.licensing.change", "-2")
    text = set_cell(text, original, "active_disclosure.other_services.change", "+3")
    assert "\t-2\n" in text and "\t+3\n" in text
    report = gd.parse(text)
    assert report.active_disclosure.licensing.change == -2
    assert report.active_disclosure.other_services.change == 3
    assert gd.validate(report) == []


@pytest.mark.parametrize("name", like("004"))
def test_procurement_unit_is_kept(name: str) -> None:
    text = report_text(name)
    text = set_cell(text, gd.parse(text), "active_disclosure.procurement.amount", "251000元")
    p = gd.parse(text).active_disclosure.procurement
    assert (str(p.amount), p.amount_unit) == ("251000", "元")


@pytest.mark.parametrize("printed", ["58.3953 元", "251000 元", "3.5 万元"])
def test_procurement_unit_one_space_after_its_number_is_kept(printed: str) -> None:
    """PyMuPDF prints ``58.3953元`` as ``58.3953 元``: the unit is the number's still."""
    from gov_disclosure.render import render

    base = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "tabs_2019.txt")
    lines = render(base, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("政府集中采购 "))
    lines[k] = f"政府集中采购 {lines[k].split()[1]} {printed}"
    report = gd.parse("\n".join(lines))
    p = report.active_disclosure.procurement
    assert (str(p.amount), p.amount_unit) == tuple(printed.split())
    source = report.source("active_disclosure.procurement.amount")
    assert source is not None and source.printed == printed.replace(" ", "")


def test_the_units_a_cell_prints_after_a_space_are_the_builders_units() -> None:
    """Every unit the builder knows, one space after a number, is the number's; a word,
    a dash or another number is a cell of its own."""
    from gov_disclosure import _grammar
    from gov_disclosure._build import COUNT_UNITS, MONEY_UNITS
    from gov_disclosure._normalize import cells, normalise

    def cut(text: str) -> list[str]:
        return [c.text for c in cells(normalise(text), _grammar.value_pattern())]

    for unit in COUNT_UNITS | set(MONEY_UNITS):
        assert cut(f"行政处罚 12 {unit} 3") == ["行政处罚", f"12{unit}", "3"]
    assert cut("行政处罚 12 行政 3") == ["行政处罚", "12", "行政", "3"]
    assert cut("行政处罚 — — 3") == ["行政处罚", "—", "—", "3"]
    assert cut("行政处罚 12 .5") == ["行政处罚", "12", ".5"]


# --- extension by users ------------------------------------------------------------------


#: A 2021 report in the ``|`` layout with one more table-二 row (行政裁决) after 行政强制.
PLUS_BASE = "a_pipe_page_date"


def _plus_report_text(name: str = PLUS_BASE) -> str:
    text = report_text(name)
    report = gd.parse(text)
    lines = text.split("\n")
    line, _ = report.locations["active_disclosure.coercion.decisions"]
    assert lines[line - 1].startswith(f"{report.active_disclosure.coercion.decisions} |")
    return "\n".join(lines[:line] + ["|", "行政裁决 |", "7 | ||"] + lines[line:])


def test_docs_example_files_are_what_the_docs_show() -> None:
    doc = (DOCS / "extending.md").read_text(encoding="utf-8")
    for example in ("plus.lark", "plus_edition.py"):
        body = (EXAMPLE / example).read_text(encoding="utf-8").strip()
        assert body in doc, f"docs/extending.md does not show {example} as it is"


PLUS_BASES = [PLUS_BASE, pytest.param("002_46ac49f0d77773c6", marks=pytest.mark.seed, id="002_46ac49f0d77773c6")]


@pytest.mark.parametrize("name", PLUS_BASES)
def test_extension_from_code(name: str) -> None:
    namespace = runpy.run_path(str(EXAMPLE / "plus_edition.py"))
    edition = namespace["EDITION"]
    editions.register(edition)
    try:
        report = gd.parse(_plus_report_text(name))
        assert report.edition == "2021-plus"
        assert report.active_disclosure.adjudication.decisions == 7
        base = gd.parse(report_text(name))
        assert report.active_disclosure.punishment.decisions == base.active_disclosure.punishment.decisions
        assert gd.validate(report) == []
        assert gd.Report.from_dict(report.to_dict()) == report
        # the built-in 2021 parser refuses the extra row instead of dropping it
        with pytest.raises(ParseError, match="行政裁决"):
            gd.parse(_plus_report_text(name), edition="2021", strict=True)
    finally:
        editions.unregister("2021-plus")
    assert "2021-plus" not in editions.available()


def test_extension_through_an_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "plus_pkg"
    pkg.mkdir()
    (pkg / "plus.lark").write_text((EXAMPLE / "plus.lark").read_text(encoding="utf-8"), encoding="utf-8")
    (pkg / "__init__.py").write_text((EXAMPLE / "plus_edition.py").read_text(encoding="utf-8"), encoding="utf-8")
    dist = tmp_path / "plus_pkg-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: plus-pkg\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent("""\
            [gov_disclosure.editions]
            plus = plus_pkg:EDITION
            """),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        editions.load_entry_points(reload=True)
        assert "2021-plus" in editions.available()
        assert gd.parse(_plus_report_text()).active_disclosure.adjudication.decisions == 7
    finally:
        editions.unregister("2021-plus")
        sys.modules.pop("plus_pkg", None)
