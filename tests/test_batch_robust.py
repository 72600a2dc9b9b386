"""The batch and the file system (issue 14): loops, unreadable folders, FIFOs, huge files, odd names,
full disks, interruptions, dead workers and resuming.

The CLI tests run the real command in a subprocess, always with a timeout: a hang fails the test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from gov_disclosure import batch as batch_mod
from gov_disclosure.batch import Outcome, find_reports, iter_outcomes, scan_reports
from gov_disclosure.cli import main
from gov_disclosure.output import JSONWriter

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "newline_2021.txt"
GBK_NAME = "报告".encode("gbk") + b".txt"  # b'\xb1\xa8\xb8\xe6.txt': not UTF-8
GBK_SHOWN = "\\xb1\\xa8\\xb8\\xe6.txt"


def env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        **extra,
    }


def cli(*args: Any, timeout: float = 120, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m gov_disclosure`` (bytes in, bytes out: file names may not be UTF-8)."""
    argv = [sys.executable, "-m", "gov_disclosure", *(os.fsencode(a) if isinstance(a, Path) else a for a in args)]
    kw.setdefault("env", env())
    return subprocess.run(argv, capture_output=True, timeout=timeout, **kw)


def popen(*args: Any, **kw: Any) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "gov_disclosure", *(str(a) for a in args)]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), **kw)


def folder(tmp_path: Path, n: int = 3, name: str = "reports") -> Path:
    d = tmp_path / name
    d.mkdir()
    for i in range(n):
        shutil.copy(EXAMPLE, d / f"r{i:05d}.txt")
    return d


def many(tmp_path: Path, n: int) -> Path:
    """``n`` reports in subfolders of 500 (hard links: cheap)."""
    d = tmp_path / "many"
    for i in range(n):
        sub = d / f"{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        os.link(EXAMPLE, sub / f"r{i:05d}.txt")
    return d


def err_lines(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    return done.stderr.decode("utf-8", "replace").splitlines()


def no_traceback(done: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")


def wait_for(predicate: Any, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not predicate():
        if proc.poll() is not None:
            raise AssertionError(f"the batch ended too early: {proc.stderr.read() if proc.stderr else b''!r}")
        if time.monotonic() > end:
            proc.kill()
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


# --- symbolic link loops ----------------------------------------------------------------


def test_symlink_loops_are_located_failures_and_the_batch_goes_on(tmp_path: Path) -> None:
    d = folder(tmp_path)
    os.symlink("x.txt", d / "x.txt")  # x.txt -> x.txt
    (d / "sub").mkdir()
    shutil.copy(EXAMPLE, d / "sub" / "s.txt")
    os.symlink("..", d / "sub" / "loop")  # loop -> ..
    out = tmp_path / "cells.csv"
    done = cli("parse", d, "-f", "csv", "-o", out, "--jobs", "1")
    no_traceback(done)
    assert done.returncode == 1
    lines = err_lines(done)
    assert f"{d / 'x.txt'}:1: read-error cannot read: symbolic link loop (Too many levels of symbolic links)" in lines
    assert f"{d / 'sub' / 'loop'}:1: read-error symbolic link loop: leads back to an enclosing directory" in lines
    assert any("4 of 6 files parsed, 2 failed (2 SymlinkLoop)" in line for line in lines)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    sources = list(dict.fromkeys(r["source"] for r in rows))
    assert sources == [str(d / f"r{i:05d}.txt") for i in range(3)] + [
        str(d / "x.txt"),
        str(d / "sub" / "s.txt"),
        str(d / "sub" / "loop"),
    ]


def test_a_looping_symlink_named_on_the_command_line_is_a_failure_not_a_usage_error(tmp_path: Path) -> None:
    os.symlink("me.txt", tmp_path / "me.txt")
    done = cli("validate", tmp_path / "me.txt", EXAMPLE)
    no_traceback(done)
    assert done.returncode == 1
    assert f"{tmp_path / 'me.txt'}:1: read-error cannot read: symbolic link loop" in done.stdout.decode()


# --- unreadable folders ----------------------------------------------------------------


def test_unreadable_subfolder_is_a_located_failure_in_process(tmp_path: Path, monkeypatch, capsys) -> None:
    """Root reads a chmod 000 folder anyway: the permission error is simulated in os.scandir."""
    d = folder(tmp_path)
    locked = d / "locked"
    locked.mkdir()
    shutil.copy(EXAMPLE, locked / "hidden.txt")
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert list(scan_reports([str(d)]))[-1] == Outcome(
        str(locked), None, "cannot list the directory: Permission denied", None, "PermissionError"
    )
    problems: list[Outcome] = []
    assert len(list(find_reports([str(d)], on_error=problems.append))) == 3 and len(problems) == 1
    code = main(["parse", str(d), "-f", "csv", "-j", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{locked}:1: read-error cannot list the directory: Permission denied" in captured.err
    assert "3 of 4 files parsed, 1 failed (1 PermissionError)" in captured.err
    assert f"{locked},,,,,,,,,cannot list the directory: Permission denied" in captured.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 folder: see the in-process test above")
def test_unreadable_subfolder_is_a_located_failure(tmp_path: Path) -> None:  # pragma: no cover - not root
    d = folder(tmp_path)
    locked = d / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        done = cli("validate", d)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1
    assert f"{locked}:1: read-error cannot list the directory: Permission denied" in done.stdout.decode()


# --- FIFOs, devices and huge files -----------------------------------------------------


def test_fifo_and_dev_zero_do_not_hang_and_are_not_regular_files(tmp_path: Path) -> None:
    d = folder(tmp_path)
    os.mkfifo(d / "pipe.txt")
    start = time.monotonic()
    done = cli("parse", d, "/dev/zero", "-f", "jsonl", timeout=60)
    no_traceback(done)
    assert time.monotonic() - start < 60
    assert done.returncode == 1
    lines = err_lines(done)
    assert f"{d / 'pipe.txt'}:1: read-error not a regular file (a FIFO)" in lines
    assert "/dev/zero:1: read-error not a regular file (a character device)" in lines
    objs = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert {o["source"] for o in objs if o["error"]} == {str(d / "pipe.txt"), "/dev/zero"}
    assert len({o["source"] for o in objs}) == 5


def test_a_file_over_max_bytes_is_refused_without_reading_it(tmp_path: Path) -> None:
    d = folder(tmp_path, 2)
    big = d / "huge.txt"
    with big.open("wb") as f:  # 8 GiB, sparse: reading it whole would take minutes and all the memory
        f.truncate(8 * 1024**3)
    start = time.monotonic()
    done = cli("validate", d, timeout=60)
    seconds = time.monotonic() - start
    no_traceback(done)
    assert done.returncode == 1
    assert seconds < 30
    out = done.stdout.decode()
    assert f"{big}:1: read-error file too large: 8,589,934,592 bytes, over the limit of 52,428,800 (--max-bytes)" in out
    # the limit is an option; an ordinary report is over 1k
    done = cli("validate", "--max-bytes", "1k", EXAMPLE)
    assert done.returncode == 1 and b"over the limit of 1,024 (--max-bytes)" in done.stdout
    done = cli("validate", "--max-bytes", "0", EXAMPLE)  # 0: no limit
    assert done.returncode == 0
    done = cli("validate", "--max-bytes", "lots", EXAMPLE)
    assert done.returncode == 2 and b"invalid size" in done.stderr


# --- file names that are not UTF-8 -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "parquet"])
def test_non_utf8_file_names_are_written_escaped_in_every_format(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pq = pytest.importorskip("pyarrow.parquet")
    d = folder(tmp_path, 1)
    bad = os.path.join(os.fsencode(d), GBK_NAME)
    shutil.copy(EXAMPLE, bad)
    (tmp_path / "fail").mkdir()
    Path(os.fsdecode(os.path.join(os.fsencode(tmp_path / "fail"), GBK_NAME))).write_text("不是报告", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    done = cli("parse", d, tmp_path / "fail", "-f", fmt, "-o", out)
    no_traceback(done)
    assert done.returncode == 1  # the second one is no report
    shown = str(d / GBK_SHOWN)
    failed = str(tmp_path / "fail" / GBK_SHOWN)
    assert f"{failed}:1: parse-error " in done.stderr.decode()
    if fmt == "parquet":
        sources = pq.read_table(out).column("source").to_pylist()
    elif fmt == "json":
        sources = [o["source"] for o in json.loads(out.read_text(encoding="utf-8"))]
    elif fmt == "jsonl":
        sources = [json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        sources = [r["source"] for r in csv.DictReader(out.open(encoding="utf-8"))]
    assert list(dict.fromkeys(sources)) == [str(d / "r00000.txt"), shown, failed]


def test_non_utf8_file_names_on_stdout_under_a_strict_locale(tmp_path: Path) -> None:
    d = folder(tmp_path, 0)
    shutil.copy(EXAMPLE, os.path.join(os.fsencode(d), GBK_NAME))
    strict = env(LC_ALL="C", LANG="C", PYTHONIOENCODING="ascii:strict", PYTHONUTF8="0")
    for fmt in ("json", "jsonl", "csv"):
        done = cli("parse", d, "-f", fmt, env=strict)
        no_traceback(done)
        assert done.returncode == 0
        shown = json.dumps(GBK_SHOWN)[1:-1] if fmt != "csv" else GBK_SHOWN
        assert shown.encode() in done.stdout
    (Path(os.fsdecode(os.path.join(os.fsencode(d), GBK_NAME)))).write_text("x", encoding="utf-8")
    done = cli("validate", d, env=strict)
    no_traceback(done)
    assert done.returncode == 1
    assert f"{d / GBK_SHOWN}:1: parse-error ".encode() in done.stdout


# --- a full disk -----------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_dev_full_is_one_line_and_exit_status_1(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    d = folder(tmp_path, 20)
    done = cli("parse", d, "-f", fmt, "-o", "/dev/full", "-q")
    assert done.returncode == 1
    assert done.stderr.decode() == "gov-disclosure: error: cannot write /dev/full: No space left on device\n"
    with open("/dev/full", "wb") as full:  # stdout on a full disk
        done = subprocess.run(
            [sys.executable, "-m", "gov_disclosure", "parse", str(d), "-f", "csv", "-q"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env(),
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stderr.decode() == "gov-disclosure: error: cannot write stdout: No space left on device\n"


def test_broken_pipe_still_ends_quietly_with_status_0(tmp_path: Path) -> None:
    d = folder(tmp_path, 40)
    proc = popen("parse", d, "-f", "csv", "-j", "1")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in proc.stderr.read()


# --- interrupted batches: temporary name, rename on success -------------------------------------


def reference(d: Path, tmp_path: Path, fmt: str) -> Path:
    ref = tmp_path / f"reference.{fmt}"
    done = cli("parse", d, "-o", ref, "-q")
    assert done.returncode == 0, done.stderr
    return ref


def same_output(a: Path, b: Path, fmt: str) -> bool:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return bool(pq.read_table(a).equals(pq.read_table(b)))
    return a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_ctrl_c_leaves_only_a_partial_file_and_resume_finishes_it(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pq = pytest.importorskip("pyarrow.parquet")
    d = many(tmp_path, 1500)
    out = tmp_path / f"cells.{fmt}"
    partial = Path(f"{out}.partial")
    proc = popen("parse", d, "-o", out, "-j", "1")
    done_list = Path(f"{out}.partial.done")
    if fmt == "parquet":  # no list: wait until the batch has been running a while
        wait_for(lambda: partial.exists(), proc)
        time.sleep(1.0)
    else:
        wait_for(lambda: done_list.exists() and done_list.read_text().count("\n") > 50, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert not out.exists()  # nothing that looks complete
    assert partial.exists()
    assert f"are in {partial}: run the same command with --resume to finish" in err.decode()
    if fmt == "json":
        with pytest.raises(json.JSONDecodeError):  # the array is not closed
            json.loads(partial.read_text(encoding="utf-8"))
    else:  # finished, so that --resume can read it, under a name that says it is partial
        assert 0 < pq.read_table(partial).num_rows < 1500 * 200

    again = cli("parse", d, "-o", out, "-j", "1")  # without --resume: refused, nothing lost
    assert again.returncode == 2 and b"add --resume to continue it" in again.stderr
    assert partial.exists()

    resumed = cli("parse", d, "-o", out, "-j", "2", "--resume")
    no_traceback(resumed)
    assert resumed.returncode == 0
    assert b"files already done (0 failed)" in resumed.stderr
    assert out.exists() and not partial.exists() and not done_list.exists()
    assert same_output(out, reference(d, tmp_path, fmt), fmt)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_resume_after_the_batch_itself_was_killed(tmp_path: Path, fmt: str) -> None:
    """kill -9 of the CLI (a crash, the OOM killer): the output is cut anywhere; resume keeps what is listed."""
    d = many(tmp_path, 1200)
    out = tmp_path / f"cells.{fmt}"
    done_list = Path(f"{out}.partial.done")
    proc = popen("parse", d, "-o", out, "-j", "1")
    wait_for(lambda: done_list.exists() and done_list.read_text().count("\n") > 100, proc)
    proc.kill()
    proc.communicate(timeout=60)
    assert not out.exists() and Path(f"{out}.partial").exists()
    resumed = cli("parse", d, "-o", out, "--resume", "-j", "2")
    no_traceback(resumed)
    assert resumed.returncode == 0, resumed.stderr
    assert same_output(out, reference(d, tmp_path, fmt), fmt)


def test_an_exception_in_the_middle_leaves_no_complete_looking_file(tmp_path: Path, monkeypatch) -> None:
    d = folder(tmp_path, 6)
    out = tmp_path / "cells.json"
    real = JSONWriter.write_payload
    calls = []

    def write_payload(self: JSONWriter, payload: str) -> None:
        calls.append(payload)
        if len(calls) == 4:
            raise RuntimeError("boom")
        real(self, payload)

    monkeypatch.setattr(JSONWriter, "write_payload", write_payload)
    with pytest.raises(RuntimeError):
        main(["parse", str(d), "-o", str(out), "-j", "1", "-q"])
    assert not out.exists()
    text = Path(f"{out}.partial").read_text(encoding="utf-8")
    assert text.count('"source"') == 3
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    # on stdout, too, an interrupted JSON array is not closed
    calls.clear()
    stdout = io.StringIO()
    with pytest.raises(RuntimeError):
        main(["parse", str(d), "-j", "1", "-q"], stdout=stdout, stderr=io.StringIO())
    assert stdout.getvalue().startswith("[\n{") and not stdout.getvalue().rstrip().endswith("]")


def test_resume_needs_an_output_file(tmp_path: Path, capsys) -> None:
    assert main(["parse", str(EXAMPLE), "--resume"]) == 2
    assert "--resume needs -o OUT" in capsys.readouterr().err


# --- dead workers ---------------------------------------------------------------------------


def test_a_file_that_kills_its_worker_is_a_failure_in_place(tmp_path: Path, monkeypatch) -> None:
    d = folder(tmp_path, 12)
    deadly = d / "r00005.txt"
    real = batch_mod._parse_path

    def parse_path(path: str, edition: str, max_bytes: Any) -> Any:
        if path == str(deadly):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, edition, max_bytes)

    monkeypatch.setattr(batch_mod, "_parse_path", parse_path)  # the forked workers inherit it
    files = sorted(str(p) for p in d.glob("*.txt"))
    start = time.monotonic()
    outcomes = list(iter_outcomes(files, "csv", jobs=2, chunksize=2))
    assert time.monotonic() - start < 60
    assert [o.source for o in outcomes] == files
    died = [o for o in outcomes if not o.ok]
    assert [(o.source, o.kind) for o in died] == [(str(deadly), "WorkerDied")]
    assert died[0].error == "the worker process died while reading this file (tried twice)"
    assert died[0].code == "read-error"


def test_kill_9_of_a_worker_does_not_hang_the_cli(tmp_path: Path) -> None:
    d = many(tmp_path, 3000)
    out = tmp_path / "cells.jsonl"
    proc = popen("parse", d, "-o", out, "-j", "2")
    wait_for(lambda: len(children(proc.pid)) >= 2 and Path(f"{out}.partial.done").exists(), proc)
    os.kill(children(proc.pid)[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=180)
    assert b"Traceback" not in err
    assert proc.returncode in (0, 1), err
    sources = list(dict.fromkeys(json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()))
    assert sources == [str(p) for p in sorted(d.rglob("*.txt"))]  # every file, once, in order


# --- documentation -----------------------------------------------------------------------------


def test_help_documents_the_limits_and_the_new_options(capsys) -> None:
    assert main(["parse", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for needle in ("--max-bytes SIZE", "default 50M", "0: no limit", "--resume", "OUT.partial", "not a regular file",
                   "symbolic link loop", "\\xNN escapes", "130 interrupted"):
        assert needle in text, needle
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Robustness and resuming"):]
    for needle in ("--max-bytes", "--resume", ".partial", ".partial.done", "read-error", "WorkerDied", "/dev/full"):
        assert needle in section, needle


def test_a_report_interrupted_while_its_parquet_columns_were_extended_is_left_out(tmp_path: Path) -> None:
    """Ctrl-C can land between two columns of one report's rows: the file written when
    the batch stops keeps only whole reports (the cut one is read again by --resume)."""
    pq = pytest.importorskip("pyarrow.parquet")
    import gov_disclosure as gd
    from gov_disclosure.output import ParquetWriter

    report = gd.parse_file(ROOT / "examples" / "pipes_2021.txt")
    path = tmp_path / "cells.parquet"
    writer = ParquetWriter(path)
    writer.write_report(report, "a.txt")
    payload = writer.encode(report, "b.txt")
    for name in list(payload)[:3]:  # interrupted after three of the columns
        writer._columns[name].extend(payload[name])  # noqa: SLF001
    writer.close()
    table = pq.read_table(path)
    assert table.num_rows == len(list(report.cells()))
    assert set(table.column("source").to_pylist()) == {"a.txt"}


def test_ctrl_c_inside_a_parquet_write_leaves_a_file_that_can_be_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while pyarrow is writing a row group (inside its write callback) is held
    until the row group is written: the interrupt then arrives, and the output finished
    as an interrupted batch finishes it is a whole Parquet file."""
    pq = pytest.importorskip("pyarrow.parquet")
    import gov_disclosure as gd
    from gov_disclosure import output

    report = gd.parse_file(ROOT / "examples" / "pipes_2021.txt")
    path = tmp_path / "cells.parquet"
    writer = output.ParquetWriter(path, row_group_size=100)
    calls = {"n": 0}
    write = output._Gate.write

    def interrupting(self: Any, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 3:  # inside the first row group
            os.kill(os.getpid(), signal.SIGINT)
        return write(self, data)

    monkeypatch.setattr(output._Gate, "write", interrupting)
    with pytest.raises(KeyboardInterrupt):
        for _ in range(3):
            writer.write_report(report, "a.txt")
    assert calls["n"] > 3  # the row group went on being written after the signal
    monkeypatch.setattr(output._Gate, "write", write)
    writer.close()
    table = pq.read_table(path)
    assert table.num_rows == len(list(report.cells()))
