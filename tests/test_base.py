"""The base: units, plug-in isolation, edition checks, zip-safety, API edges, import direction."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import textwrap
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure import editions
from gov_disclosure.model import Decisions
from gov_disclosure.render import render

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pipes_2021.txt"
PACKAGE = Path(gd.__file__).parent


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def with_cell(text: str, label: str, old: str, new: str) -> str:
    """The example text with the first value ``old`` after the row ``label`` replaced by ``new``."""
    at = text.index(f"\n{label} |\n") + len(label) + 4
    cell = f"\n{old} |"
    where = text.index(cell, at - 1)
    assert where - at < 40, "the value is not in that row"
    return text[:where] + f"\n{new} |" + text[where + len(cell) :]


# --- units --------------------------------------------------------------------------


def test_yuan_in_the_wan_yuan_fee_column_is_converted_exactly_and_reported() -> None:
    text = with_cell(example_text(), "行政事业性收费", "1.2", "36644476元")
    report = gd.parse(text)
    assert report.active_disclosure.fees.amount == Decimal("3664.4476")
    (issue,) = [i for i in report.issues if i.code == "value.unit"]
    assert issue.severity == "warning"
    assert issue.path == "active_disclosure.fees.amount"
    assert issue.printed == "36644476元" and "36644476元" in issue.message and "万元" in issue.message
    assert issue.line == report.locations["active_disclosure.fees.amount"][0]
    assert report.complete
    assert issue in gd.validate(report)
    source = report.source("active_disclosure.fees.amount")
    assert source is not None and source.printed == "36644476元" and source.unit == "元"


def test_wan_yuan_printed_in_a_fee_column_in_wan_yuan_is_taken_as_it_is() -> None:
    report = gd.parse(with_cell(example_text(), "行政事业性收费", "1.2", "1.2万元"))
    assert report.active_disclosure.fees.amount == Decimal("1.2")
    assert not report.issues


def test_money_in_a_count_column_is_not_read_and_reported() -> None:
    text = with_cell(example_text(), "行政许可", "0", "52851万元")
    report = gd.parse(text)
    assert report.active_disclosure.licensing.decisions is None
    (issue,) = [i for i in report.issues if i.code == "value.unit"]
    assert issue.severity == "error" and issue.printed == "52851万元"
    assert issue.path == "active_disclosure.licensing.decisions"
    assert not report.complete and not gd.is_valid(report)
    issues = gd.validate(report)
    # the unread cell is reported once, as a unit problem, not also as a blank cell
    assert [i.code for i in issues if i.path == issue.path] == ["value.unit"]


def test_reading_issues_can_be_disabled_like_rules() -> None:
    report = gd.parse(with_cell(example_text(), "行政事业性收费", "1.2", "36644476元"))
    assert [i.code for i in gd.validate(report)] == ["value.unit"]
    assert gd.validate(report, disable=["value.unit"]) == []


def test_count_units_agree_with_count_columns() -> None:
    report = gd.parse(with_cell(example_text(), "行政许可", "0", "7件"))
    assert report.active_disclosure.licensing.decisions == 7
    assert not report.issues


# --- editions ------------------------------------------------------------------------


def _broken_edition(tmp_path: Path, name: str = "2099") -> editions.Edition:
    grammar = tmp_path / "broken.lark"
    grammar.write_text(
        "%import template (start, active_disclosure, applications, other_processing, appeals, TEXT, VALUE)\n"
        "%import template (_block_documents, _block_licensing, _block_enforcement, _block_fees)\n"
        "%override active_disclosure: _block_documents _block_licensing _block_enforcement _block_fees stray\n"
        "stray: VALUE\n",
        encoding="utf-8",
    )
    base = editions.get("2021")
    return editions.Edition(name, grammar, base.tables, lambda text: (99, "always"), "broken on purpose")


def test_a_broken_plugin_edition_is_skipped_with_a_warning_naming_it(tmp_path: Path) -> None:
    editions.register(_broken_edition(tmp_path))
    try:
        with pytest.warns(editions.EditionWarning, match="2099"):
            report = gd.parse_file(EXAMPLE)
        assert report.edition == "2021"
        # later parses stay quiet, HTML reading never compiles it
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert gd.parse_file(EXAMPLE).edition == "2021"
            html = "<table><tr><td>申请人情况</td></tr><tr><td>1</td></tr></table>"
            assert "申请人情况" in gd.formats.to_text(html, "html")
        with pytest.raises(gd.EditionError, match="2099"):
            gd.parse_file(EXAMPLE, edition="2099")
    finally:
        editions.unregister("2099")


def test_a_row_rule_reading_more_numbers_than_its_class_fails_when_compiled(tmp_path: Path) -> None:
    grammar = tmp_path / "wide.lark"
    grammar.write_text(
        "%import template (start, active_disclosure, applications, other_processing, appeals, TEXT, VALUE)\n"
        "%import template (_block_documents, _block_enforcement, _block_fees, ARTICLE_5_H, INFO_H, DECISIONS_H)\n"
        "%import template (LICENSING)\n"
        "%override active_disclosure: _block_documents _block_licensing _block_enforcement _block_fees\n"
        "_block_licensing: ARTICLE_5_H INFO_H DECISIONS_H licensing\n"
        "licensing: LICENSING VALUE~2\n",
        encoding="utf-8",
    )
    edition = editions.Edition("wide", grammar, editions.get("2021").tables, lambda text: (0, "never"))
    with pytest.raises(gd.EditionError) as info:
        edition.compile()
    message = str(info.value)
    assert "licensing" in message and "2 numbers" in message and f"{Decisions.__name__} has 1 cells" in message
    assert not isinstance(info.value, gd.ParseError)


# --- zip-safety ------------------------------------------------------------------------


def test_the_package_imports_and_parses_from_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "gd.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in PACKAGE.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, Path("gov_disclosure") / path.relative_to(PACKAGE))
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(archive)!r})
        import gov_disclosure as gd
        assert gd.__file__.startswith({str(archive)!r}), gd.__file__
        r = gd.parse(open({str(EXAMPLE)!r}, encoding="utf-8").read())
        t = gd.parse(open({str(ROOT / "examples" / "traditional_tabs_2021.txt")!r}, encoding="utf-8").read())
        print(r.edition, r.applications.total.total, t.edition, gd.editions.get("2019").compile() is not None)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    expected = gd.parse_file(EXAMPLE)
    assert done.stdout.split() == ["2021", str(expected.applications.total.total), "2021", "True"]


def test_the_traditional_character_table_is_current() -> None:
    from gov_disclosure import _grammar, _labelchars

    assert _labelchars.TRADITIONAL_LABEL_CHARACTERS == _grammar.traditional_label_characters(), (
        "the grammars changed: run python -m gov_disclosure._grammar"
    )


# --- API edges ---------------------------------------------------------------------------


def test_parse_accepts_paths_and_binary_files() -> None:
    expected = gd.parse_file(EXAMPLE)
    assert gd.parse(EXAMPLE) == expected
    with open(EXAMPLE, "rb") as fh:
        assert gd.parse(fh) == expected
    assert gd.parse(io.BytesIO(EXAMPLE.read_bytes())) == expected
    assert gd.parse(bytearray(EXAMPLE.read_bytes())) == expected


def test_parse_given_a_path_string_says_so() -> None:
    with pytest.raises(gd.InputTypeError, match="parse_file") as info:
        gd.parse("path/report.txt")
    assert info.value.code == "input.type"
    with pytest.raises(gd.InputTypeError, match="not int"):
        gd.parse(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("kwargs", [{"rules": ["applications.balanse"]}, {"disable": ["typo"]}])
def test_validate_refuses_unknown_rule_codes(kwargs: dict[str, list[str]]) -> None:
    report = gd.parse_file(EXAMPLE)
    with pytest.raises(KeyError, match="available"):
        gd.validate(report, **kwargs)  # type: ignore[arg-type]


def test_a_fraction_in_a_count_column_names_the_table_row_and_column() -> None:
    text = with_cell(example_text(), "1.属于国家秘密", "0", "1.5")
    with pytest.raises(gd.ParseError) as info:
        gd.parse(text, strict=True)
    error = info.value
    assert error.code == "number.not_whole"
    assert error.message.startswith("table 三: row （三）不予公开 1.属于国家秘密, column 自然人: '1.5'")


def test_a_short_row_message_names_the_next_row_once() -> None:
    newline = render(gd.parse_file(EXAMPLE), "newline")  # no row ends in the text: the next label stops the row
    text = newline.replace("2.其他法律行政法规禁止公开\n0\n", "2.其他法律行政法规禁止公开\n", 1)
    assert text != newline
    with pytest.raises(gd.ParseError) as info:
        gd.parse(text, strict=True)
    message = info.value.message
    assert info.value.code == "row.short"
    assert message.count("3.危及“三安全一稳定”") == 1, message


def test_issue_meaning_and_order() -> None:
    base = gd.parse_file(EXAMPLE)
    data = base.to_dict()
    data["applications"]["total"]["research"] += 1  # breaks balance, results_sum and row_sum
    data["appeals"]["review"]["total"] += 2
    broken = gd.Report.from_dict(data)
    text = render(broken, "pipe")
    report = gd.parse(text)
    issues = gd.validate(report)
    lines = [i.line for i in issues]
    assert lines == sorted(lines) and None not in lines
    for issue in issues:
        assert issue.actual == report.get(issue.path), issue  # actual: the value at path
    balance = next(i for i in issues if i.code == "applications.balance" and i.path.endswith("research"))
    apps = report.applications
    assert balance.expected == apps.new_received.research + apps.carried_over.research - apps.carried_forward.research
    assert "一、本年新收政府信息公开申请数量" in balance.message and "四、结转下年度继续办理" in balance.message


def test_check_takes_a_format() -> None:
    from gov_disclosure.render_documents import render_html

    report = gd.parse_file(EXAMPLE)
    html = render_html(report)
    parsed, issues = gd.check(html, format="html")
    assert parsed == report and issues == gd.validate(parsed)


def test_parse_errors_carry_stable_codes() -> None:
    cases = {
        "": "input.empty",
        "一、总体情况\n本机关坚持公开。\n": "edition.unknown",
        "一、总体情况\n第二十条第（五）项\n本机关坚持公开。\n": "table.incomplete",
        example_text().split("行政复议")[0]: "text.truncated",
    }
    for text, code in cases.items():
        with pytest.raises(gd.ParseError) as info:
            gd.parse(text, strict=True)
        assert info.value.code == code, (code, str(info.value))


def test_cli_piped_into_a_closed_reader_exits_quietly() -> None:
    command = f"{sys.executable} -m gov_disclosure parse {ROOT / 'examples'} -f csv | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("source,agency,year")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


# --- import direction ------------------------------------------------------------------

#: Layers, lowest first: a module may import only its own layer and those below.
LAYERS = [
    {"errors", "issues", "_labelchars", "schema", "limits"},
    {"model", "_structure"},
    {"_grammar", "_normalize", "_lexer", "_header", "_build", "_diagnostics", "_split", "_lines", "editions"},
    {"_rowsum", "_labels", "_guards", "_whole", "_grid"},
    {"_read", "_recover", "rules", "validate"},
    {"formats"},  # and every formats.* adapter
    {"records", "output", "render", "render_documents", "strategies"},
    {"api"},
    {"batch"},
    {"cli", "__main__", "__init__"},
]


def _imports(path: Path, module: str) -> set[str]:
    """The gov_disclosure modules ``module`` imports at run time (TYPE_CHECKING blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                names = [f"{target}.{a.name}" for a in node.names]
            elif node.module and node.module.startswith("gov_disclosure"):
                target, names = node.module, [f"{node.module}.{a.name}" for a in node.names]
            else:
                return
            for name in names:
                candidate = name.removeprefix("gov_disclosure").lstrip(".")
                if candidate and _module_file(candidate) is not None:
                    found.add(candidate)
                    continue
                short = target.removeprefix("gov_disclosure").lstrip(".")
                if short:
                    found.add(short)

        def visit_Import(self, node: ast.Import) -> None:
            for alias in node.names:
                if alias.name.startswith("gov_disclosure."):
                    found.add(alias.name.removeprefix("gov_disclosure."))

    Visitor().visit(tree)
    return found


def _module_file(name: str) -> Path | None:
    base = PACKAGE.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def test_no_import_cycles_and_one_import_direction() -> None:
    modules = _modules()
    graph = {name: _imports(path, "gov_disclosure." + name if name != "__init__" else "gov_disclosure")
             for name, path in modules.items()}
    layer = {name: i for i, names in enumerate(LAYERS) for name in names}
    for name in list(modules) + [d for deps in graph.values() for d in deps]:
        if name.startswith("formats."):
            layer[name] = layer["formats"]
    assert set(modules) <= set(layer), f"modules without a layer: {sorted(set(modules) - set(layer))}"
    upward = [
        (name, dep) for name, deps in graph.items() for dep in deps
        if dep in layer and layer[dep] > layer[name]
    ]
    assert not upward, f"imports from a higher layer: {upward}"
    # no cycles (Tarjan-free: repeated removal of modules without imports)
    remaining = {n: {d for d in deps if d in graph and d != n} for n, deps in graph.items() if n != "__init__"}
    while True:
        leaves = [n for n, deps in remaining.items() if not deps]
        if not leaves:
            break
        for n in leaves:
            del remaining[n]
        for deps in remaining.values():
            deps.difference_update(leaves)
    assert not remaining, f"import cycle among {sorted(remaining)}"


def test_report_tables_are_typed_for_type_checkers(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    snippet = tmp_path / "typo.py"
    snippet.write_text(
        "import gov_disclosure as gd\n"
        "r = gd.parse_file('x.txt')\n"
        "r.applications.totl\n"
        "r.appeals.review.total\n",
        encoding="utf-8",
    )
    # in a subprocess: mypy raises the interpreter's recursion limit for good
    done = subprocess.run(
        [sys.executable, "-m", "mypy", str(snippet), "--strict", "--cache-dir", str(tmp_path / "c")],
        capture_output=True, text=True, timeout=300,
    )
    out, status = done.stdout, done.returncode
    assert status == 1 and '"totl"' in out and out.count("error:") == 2, out  # one error per table class
