"""The gov-disclosure command line: parse, validate, exit codes, batches with broken files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure import cli
from gov_disclosure.batch import Progress, find_reports, iter_outcomes, parse_many
from gov_disclosure.cli import main
from gov_disclosure.output import OUTPUT_COLUMNS

from .conftest import REPORT_DIR, ROOT, report_file

S003 = "003_0869a50636f65fd2"  # traditional script (or its stand-in without ../shared)
S000, S004 = "000_4505276ac13c66c6", "004_0aa99e0fac0e428e"
_NOT_HELD = re.search(r"1\.本機關不掌握相關政府信息 \|\n(\d+) \|\n", report_file(S003).read_text(encoding="utf-8"))
assert _NOT_HELD, report_file(S003)
CHANGED_FROM = _NOT_HELD.group()
CHANGED_TO = CHANGED_FROM.replace(f"\n{_NOT_HELD.group(1)} |", f"\n{int(_NOT_HELD.group(1)) - 1} |")


@pytest.fixture
def seeds() -> Path:
    """The five seeds, or the five stand-ins playing their parts when ../shared is absent."""
    return REPORT_DIR


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def expected_cells(paths: list[Path]) -> int:
    return sum(len(list(gd.parse_file(p).cells())) for p in paths)


@pytest.fixture
def batch(seeds: Path, tmp_path: Path) -> Path:
    """Two good seeds, a file that is no report, a truncated report and a report in a subdirectory."""
    d = tmp_path / "batch"
    (d / "sub").mkdir(parents=True)
    shutil.copy(report_file(S003), d / "a_good.txt")
    shutil.copy(report_file(S004), d / "sub" / "d_good.txt")
    (d / "b_not_a_report.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    lines = (report_file(S000)).read_text(encoding="utf-8").splitlines(keepends=True)
    (d / "c_truncated.txt").write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    (d / "notes.md").write_text("not picked up: wrong extension", encoding="utf-8")
    return d


# --- validate ----------------------------------------------------------------------------


def test_validate_seeds_exits_0_and_prints_nothing_on_stdout(seeds: Path, capsys) -> None:
    code, out, err = run(["validate", str(seeds)], capsys)
    assert code == 0
    assert out == ""
    assert "5 of 5 files parsed, 0 failed; 0 errors" in err


def test_validate_one_changed_number_exits_1_with_file_line_code(seeds: Path, tmp_path: Path, capsys) -> None:
    text = (report_file(S003)).read_text(encoding="utf-8")
    assert text.count(CHANGED_FROM) == 1
    changed = tmp_path / "changed.txt"
    changed.write_text(text.replace(CHANGED_FROM, CHANGED_TO), encoding="utf-8")

    code, out, err = run(["validate", str(changed)], capsys)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    # the row-sum issue points at a cell of the changed row (the row 1.本机关不掌握相关政府信息)
    report = gd.parse_file(changed)
    row_lines = {
        line for path, (line, _) in report.locations.items() if path.startswith("applications.unable.not_held.")
    }
    row_sum = [line for line in lines if " applications.row_sum " in line]
    assert len(row_sum) == 1
    file_, lineno, rest = row_sum[0].split(":", 2)
    assert file_ == str(changed) and int(lineno) in row_lines
    assert rest.startswith(" applications.row_sum ")
    # the column sum of 自然人 no longer matches （七）总计: reported at the 总计 cell
    total_line = report.locations["applications.total.natural_person"][0]
    assert f"{changed}:{total_line}: applications.results_sum " in out
    assert "2 errors" in err


def test_validate_unreadable_file_is_a_parse_error_line(batch: Path, capsys) -> None:
    code, out, err = run(["validate", "--jobs", "1", str(batch)], capsys)
    assert code == 1
    assert f"{batch / 'b_not_a_report.txt'}:1: parse-error the text does not follow any known template" in out
    assert " parse-error line " not in out  # the location is said once, in file:line:
    # a report cut in half is read in part: its unread rows are errors, located
    trunc = [line for line in out.splitlines() if line.startswith(f"{batch / 'c_truncated.txt'}:")]
    assert any(" parse.row_missing " in line or " parse.table_missing " in line for line in trunc)
    assert any(" parse.recovered info: " in line and int(line.split(":")[1]) > 1 for line in trunc)
    assert "3 of 4 files parsed, 1 failed" in err


def test_validate_warnings_and_no_warnings(seeds: Path, tmp_path: Path, capsys) -> None:
    text = (report_file(S003)).read_text(encoding="utf-8")
    blank = tmp_path / "blank.txt"
    blank.write_text(text.replace(CHANGED_FROM, "1.本機關不掌握相關政府信息 |\n— |\n"), encoding="utf-8")
    code, out, _ = run(["validate", str(blank)], capsys)
    issues = gd.validate(gd.parse_file(blank))
    assert issues and all(i.severity == "warning" for i in issues)
    assert code == 0
    assert " value.missing warning: " in out
    code, out, _ = run(["validate", "-W", str(blank)], capsys)
    assert code == 0 and out == ""


# --- parse -------------------------------------------------------------------------------


def test_parse_seeds_csv_has_every_cell_of_every_seed(seeds: Path, capsys) -> None:
    code, out, err = run(["parse", str(seeds), "-f", "csv"], capsys)
    assert code == 0
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames or ()) == OUTPUT_COLUMNS
    rows = list(reader)
    paths = sorted(seeds.glob("*.txt"))
    assert len(rows) == expected_cells(paths) == 4 * 200 + 199
    assert [r["source"] for r in rows[::200]][:4] == [str(p) for p in paths[:4]]  # input order
    for p in paths:
        report = gd.parse_file(p)
        got = [(r["path"], r["value"]) for r in rows if r["source"] == str(p)]
        want = [(path, "" if v is None else str(v)) for path, v in report.cells()]
        assert got == want
    assert all(r["error"] == "" for r in rows)
    assert "5 of 5 files parsed, 0 failed" in err


def test_parse_json_is_a_list_of_to_json_objects_with_source(seeds: Path, capsys) -> None:
    code, out, _ = run(["parse", str(seeds)], capsys)  # json is the default
    assert code == 0
    data = json.loads(out)
    paths = sorted(seeds.glob("*.txt"))
    assert [d["source"] for d in data] == [str(p) for p in paths]
    for obj, p in zip(data, paths, strict=True):
        assert {k: v for k, v in obj.items() if k != "source"} == json.loads(gd.parse_file(p).to_json())


def test_parse_jsonl_columns(seeds: Path, capsys) -> None:
    code, out, _ = run(["parse", str(report_file(S003)), "-f", "jsonl"], capsys)
    assert code == 0
    objs = [json.loads(line) for line in out.splitlines()]
    assert len(objs) == 200
    assert all(tuple(o) == OUTPUT_COLUMNS for o in objs)
    fee = format(gd.parse_file(report_file(S003)).active_disclosure.fees.amount, "f")
    assert {o["path"]: o["value"] for o in objs}["active_disclosure.fees.amount"] == fee


def test_parse_output_file_format_from_extension(seeds: Path, tmp_path: Path, capsys) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "cells.parquet"
    code, stdout, _ = run(["parse", str(seeds), "-o", str(out), "-q"], capsys)
    assert code == 0 and stdout == ""
    table = pq.read_table(out)
    assert table.column_names == list(OUTPUT_COLUMNS)
    assert table.num_rows == 4 * 200 + 199


def test_parse_batch_with_broken_files_keeps_going_and_lists_them(batch: Path, capsys) -> None:
    code, out, err = run(["parse", str(batch), "-f", "csv"], capsys)
    assert code == 1  # something could not be read: the batch finished, the status says so
    rows = list(csv.DictReader(io.StringIO(out)))
    bad, trunc = str(batch / "b_not_a_report.txt"), str(batch / "c_truncated.txt")
    failed = {r["source"]: r["error"] for r in rows if r["error"] and not r["path"]}
    assert set(failed) == {bad}
    assert "known template edition" in failed[bad]
    sources = list(dict.fromkeys(r["source"] for r in rows))
    assert sources == [str(batch / "a_good.txt"), bad, trunc, str(batch / "sub" / "d_good.txt")]
    assert len(rows) == 200 + 1 + 200 + 199
    # the cut report is read in part: every cell is a row, an unread cell has an empty
    # value and its reading issue, a read one its value and no error
    cut = [r for r in rows if r["source"] == trunc]
    unread = [r for r in cut if r["error"]]
    assert unread and all(r["value"] == "" and r["error"].startswith("parse.") for r in unread)
    assert any(r["value"] != "" and not r["error"] for r in cut)
    # stderr lists each failure as file:line: parse-error, each partial read, then the summary
    assert f"{bad}:1: parse-error " in err
    assert re.search(re.escape(trunc) + r":\d+: partial read in part \(\d+ cells unread\): parse\.", err)
    assert "3 of 4 files parsed (1 in part), 1 failed (" in err and "UnknownEditionError" in err
    assert "notes.md" not in out + err


def test_parse_fail_fast_stops_at_the_first_failure(batch: Path, capsys) -> None:
    code, out, err = run(["parse", str(batch), "-f", "jsonl", "--fail-fast", "-j", "1"], capsys)
    assert code == 1
    sources = list(dict.fromkeys(json.loads(line)["source"] for line in out.splitlines()))
    assert sources == [str(batch / "a_good.txt"), str(batch / "b_not_a_report.txt")]
    assert "stopped at the first failure" in err


def test_quiet_prints_no_summary_and_no_progress(seeds: Path, capsys) -> None:
    code, out, err = run(["parse", str(seeds), "-f", "csv", "-q"], capsys)
    assert code == 0 and out and err == ""


def test_explicit_files_are_read_whatever_their_extension(seeds: Path, tmp_path: Path, capsys) -> None:
    f = tmp_path / "report.data"
    shutil.copy(report_file(S003), f)
    code, out, _ = run(["parse", str(f), "-f", "csv", "-q"], capsys)
    assert code == 0 and len(out.splitlines()) == 201


# --- usage errors, --help, --version ----------------------------------------------------


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "required: COMMAND"),
        (["frob"], "invalid choice"),
        (["parse"], "required: FILE_OR_DIR"),
        (["parse", "x.txt", "-f", "xml"], "invalid choice"),
        (["validate", "--jobs", "0", "x.txt"], "--jobs must be at least 1"),
        (["parse", "/no/such/dir"], "no such file or directory: /no/such/dir"),
        (["parse", "--keep-going", "--fail-fast", "x.txt"], "not allowed with"),
        (["parse", "x.txt", "--edition", "2030"], "unknown edition '2030'"),
    ],
)
def test_usage_errors_exit_2_on_stderr(argv: list[str], message: str, capsys) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert message in err and "error" in err


def test_unwritable_output_is_a_usage_error(seeds: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run(["parse", str(seeds), "-o", str(tmp_path / "no" / "such" / "dir.csv")], capsys)
    assert code == 2 and "cannot write" in err


def test_forced_edition_is_used(seeds: Path, capsys) -> None:
    code, out, _ = run(["parse", str(report_file(S004)), "-e", "2019", "-q"], capsys)
    assert code == 0 and json.loads(out)[0]["edition"] == "2019"


def test_no_report_files_in_a_directory_is_a_usage_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "readme.md").write_text("x")
    code, _, err = run(["validate", str(tmp_path)], capsys)
    assert code == 2 and "no report files" in err


def test_parquet_to_a_terminal_is_refused(seeds: Path, capsys, monkeypatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = io.StringIO()
    assert main(["parse", str(seeds), "-f", "parquet"], stdout=Tty(), stderr=err) == 2
    assert "Parquet is binary" in err.getvalue()


def test_help_has_examples_and_version(capsys) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "examples:" in out and "gov-disclosure validate" in out
    code, out, _ = run(["parse", "--help"], capsys)
    assert code == 0 and "--format" in out and "--jobs" in out and "--keep-going" in out
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"gov-disclosure {gd.__version__}"


# --- the batch engine -------------------------------------------------------------------


def test_find_reports_recurses_in_a_stable_order(batch: Path) -> None:
    assert list(find_reports([str(batch)])) == [
        str(batch / "a_good.txt"),
        str(batch / "b_not_a_report.txt"),
        str(batch / "c_truncated.txt"),
        str(batch / "sub" / "d_good.txt"),
    ]
    with pytest.raises(FileNotFoundError):
        list(find_reports([str(batch / "missing")]))


def test_two_processes_give_the_same_outcomes_in_the_same_order(batch: Path) -> None:
    files = list(find_reports([str(batch)])) * 3
    one = list(iter_outcomes(files, "csv", jobs=1, chunksize=2))
    two = list(iter_outcomes(iter(files), "csv", jobs=2, chunksize=2))
    assert [o.source for o in two] == files
    assert one == two
    assert [o.ok for o in two[:4]] == [True, False, True, True]
    assert [o.partial is not None for o in two[:4]] == [False, False, True, False]
    assert two[1].kind == "UnknownEditionError"


def test_path_objects_are_accepted_and_sources_are_strings(seeds: Path) -> None:
    paths = sorted(seeds.glob("*.txt"))[:2]
    outcomes = list(iter_outcomes(paths, "json", jobs=1))
    assert [o.source for o in outcomes] == [str(p) for p in paths]
    assert all(o.ok and json.loads(o.payload)["source"] == str(p) for o, p in zip(outcomes, paths, strict=True))


def test_parse_many_yields_reports_and_failures(batch: Path) -> None:
    done = list(parse_many([str(batch)]))
    assert [o.ok for o in done] == [True, False, True, True]
    assert isinstance(done[0].payload, gd.Report) and done[1].payload is None and done[1].error
    assert not done[2].payload.complete and done[2].partial is not None
    pytest.importorskip("pandas")
    df = gd.to_dataframe((o.source, o.payload) for o in done if o.ok)
    assert len(df) == 200 + 200 + 199


def test_progress_bar_draws_on_a_terminal_only() -> None:
    shown = io.StringIO()
    bar = Progress(4, shown, enabled=True, delay=0)
    for _ in range(4):
        bar.update()
    bar.close()
    assert "\r[" in shown.getvalue() and "4/4 100%" in shown.getvalue()
    silent = io.StringIO()
    bar = Progress(4, silent, enabled=False, delay=0)
    bar.update(4)
    bar.close()
    assert silent.getvalue() == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(seeds: Path, capsys) -> None:
    _, _, err = run(["validate", str(seeds)], capsys)
    assert "\r" not in err


# --- as a program -----------------------------------------------------------------------


def python_m(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "gov_disclosure", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def test_python_m_validate_seeds(seeds: Path) -> None:
    done = python_m("validate", str(seeds))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_python_m_parse_csv_of_the_seeds(seeds: Path) -> None:
    done = python_m("parse", str(seeds), "-f", "csv", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == expected_cells(sorted(seeds.glob("*.txt")))


def test_python_m_changed_seed_and_usage_error(seeds: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_text(
        (report_file(S003)).read_text(encoding="utf-8").replace(CHANGED_FROM, CHANGED_TO), encoding="utf-8"
    )
    done = python_m("validate", str(changed))
    assert done.returncode == 1
    assert f"{changed}:" in done.stdout and " applications.row_sum " in done.stdout
    done = python_m("parse")
    assert done.returncode == 2 and done.stdout == "" and "usage:" in done.stderr
    done = python_m("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"gov-disclosure {gd.__version__}"


def test_cli_module_exports() -> None:
    assert callable(cli.main)
    assert cli.REPORT_EXTENSIONS[:5] == (".txt", ".htm", ".html", ".docx", ".pdf")
    assert {".png", ".jpg", ".doc", ".wps", ".rtf", ".odt"} <= set(cli.REPORT_EXTENSIONS)  # OCR and LibreOffice
