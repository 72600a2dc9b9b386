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

from .conftest import seed_text

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


@pytest.mark.parametrize("name, edition", [("003_0869a50636f65fd2", "2021"), ("004_0aa99e0fac0e428e", "2019")])
def test_auto_detection(name: str, edition: str) -> None:
    assert gd.parse(seed_text(name)).edition == edition


def test_2021_report_forced_as_2019_fails_clearly() -> None:
    with pytest.raises(ParseError) as err:
        gd.parse(seed_text("003_0869a50636f65fd2"), edition="2019")
    assert "table 二" in err.value.message and "本年新制作数量" in err.value.message
    assert err.value.line is not None


def test_2019_report_forced_as_2021_fails_clearly() -> None:
    with pytest.raises(ParseError) as err:
        gd.parse(seed_text("004_0aa99e0fac0e428e"), edition="2021")
    assert "table 二" in err.value.message and "本年制发件数" in err.value.message


def test_2019_table_three_with_2021_other_processing_rows_fails() -> None:
    text = seed_text("004_0aa99e0fac0e428e")
    text = text.replace("\t（六）其他处理\n", "\t（六）其他处理\n\t3.其他\n")
    with pytest.raises(ParseError) as err:
        gd.parse(text)
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


def test_signed_change_in_2019() -> None:
    text = seed_text("004_0aa99e0fac0e428e")
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.strip() == "行政许可")
    lines[i + 2] = "\t-2"
    lines[i + 7] = "\t+3"  # 其他对外管理服务事项 本年增/减
    report = gd.parse("\n".join(lines))
    assert report.active_disclosure.licensing.change == -2
    assert report.active_disclosure.other_services.change == 3
    assert gd.validate(report) == []


def test_procurement_unit_is_kept() -> None:
    text = seed_text("004_0aa99e0fac0e428e").replace("\t39891\n", "\t251000元\n")
    p = gd.parse(text).active_disclosure.procurement
    assert (str(p.amount), p.amount_unit) == ("251000", "元")


# --- extension by users ------------------------------------------------------------------


def _plus_report_text() -> str:
    return seed_text("002_46ac49f0d77773c6").replace("行政强制 |\n0 | ||\n", "行政强制 |\n0 | ||\n行政裁决 |\n7 | ||\n")


def test_docs_example_files_are_what_the_docs_show() -> None:
    doc = (DOCS / "extending.md").read_text(encoding="utf-8")
    for example in ("plus.lark", "plus_edition.py"):
        body = (EXAMPLE / example).read_text(encoding="utf-8").strip()
        assert body in doc, f"docs/extending.md does not show {example} as it is"


def test_extension_from_code() -> None:
    namespace = runpy.run_path(str(EXAMPLE / "plus_edition.py"))
    edition = namespace["EDITION"]
    editions.register(edition)
    try:
        report = gd.parse(_plus_report_text())
        assert report.edition == "2021-plus"
        assert report.active_disclosure.adjudication.decisions == 7
        assert report.active_disclosure.punishment.decisions == 15
        assert gd.validate(report) == []
        assert gd.Report.from_dict(report.to_dict()) == report
        # the built-in 2021 parser refuses the extra row instead of dropping it
        with pytest.raises(ParseError, match="行政裁决"):
            gd.parse(_plus_report_text(), edition="2021")
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
