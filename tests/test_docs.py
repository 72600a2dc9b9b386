"""Every code block of README.md and docs/*.md runs and prints what the page shows.

Conventions (also the rules for writing documentation):

* A ```` ```python ```` block is executed.  The Python blocks (and ```` ```pycon ````
  blocks) of one page run in order in one namespace, in one worker process per page.
  When a ```` ```text ```` block follows it directly (nothing but blank lines in
  between), the block's printed output (stdout) must equal that text.
* A ```` ```pycon ```` block is a doctest session (``>>> `` and ``... `` prompts, the
  expected output below); it is checked with :mod:`doctest`.
* A ```` ```console ```` block is a shell session: each line starting with ``$ `` is a
  command, run by bash (the lines of one block in one shell, so ``echo $?`` works),
  and the lines up to the next ``$ `` are its expected output: stdout and stderr,
  as a terminal shows them.  The venv's ``bin`` directory is first on ``PATH``, so
  ``gov-disclosure`` is the installed console script.
* In any expected output, ``...`` stands for any text within a line (timings), and a
  line that is only ``...`` for any number of lines.  Trailing spaces and trailing
  blank lines are ignored; everything else is compared exactly.
* A block whose info string has ``title="path"`` (```` ```python title="docs/examples/x.py" ````)
  shows a file: it must equal that file, and is not run.
* ``<!-- docs-test: skip -->`` on the line(s) before a block skips it (the README's
  fresh-machine commands, which CI runs on their own).  Other fences (``lark``,
  ``toml``, ``text`` not after a Python block, no language) are not run.

Blocks run in a scratch directory that holds a symlink to every (non-hidden) entry
of the repository root, so ``examples/pipes_2021.txt`` works as it does from the
root, and the files the examples write do not land in the checkout.
Each block is its own test, ``README.md:LINE`` / ``docs/PAGE.md:LINE``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN = {"python", "pycon", "console"}
SKIP = "<!-- docs-test: skip -->"
RESULT = "@@docs-test-result@@ "
FENCE = re.compile(r"^(`{3,})\s*([\w+-]*)(.*)$")
TITLE = re.compile(r'title="([^"]+)"')


class Block:
    def __init__(self, page: Path, line: int, lang: str, info: str, body: str, skip: bool) -> None:
        self.page, self.line, self.lang, self.info, self.body, self.skip = page, line, lang, info, body, skip
        self.expected: Optional[str] = None  # the ```text block right after a python block
        self.title = (TITLE.search(info) or [None, None])[1]

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}:{self.line}"


def blocks_of(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, in order, with the output blocks attached."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found: list[Block] = []
    last_end = -2  # line index of the closing fence of the previous block
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang, info = m.groups()
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        before = [ln for ln in lines[max(0, start - 3) : start] if ln.strip()]
        block = Block(page, start + 1, lang, info, "\n".join(body) + "\n", bool(before) and before[-1].strip() == SKIP)
        between = lines[last_end + 1 : start]
        if lang == "text" and found and found[-1].lang == "python" and not any(ln.strip() for ln in between):
            found[-1].expected = block.body
        else:
            found.append(block)
        last_end = i
        i += 1
    return found


def matches(expected: str, actual: str) -> bool:
    """``actual`` is ``expected`` line by line, with ``...`` as described above."""

    def clean(text: str) -> list[str]:
        out = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
        while out and not out[-1]:
            out.pop()
        return out

    parts = []
    for ln in clean(expected):
        if ln == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\n]*".join(map(re.escape, ln.split("..."))) + "\n")
    return re.fullmatch("".join(parts), "".join(ln + "\n" for ln in clean(actual))) is not None


# --- the worker: runs one page's Python blocks in order, in one namespace -------------


def worker() -> None:  # pragma: no cover - runs in a subprocess
    import doctest
    import io
    import traceback
    from contextlib import redirect_stdout

    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # stray writes of child processes
    sys.path.insert(0, "")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for request in sys.stdin:
        job = json.loads(request)
        out = io.StringIO()
        error = None
        try:
            if job["lang"] == "pycon":
                test = doctest.DocTestParser().get_doctest(
                    job["body"], namespace, job["name"], job["page"], job["line"]
                )
                runner = doctest.DocTestRunner(verbose=False, optionflags=doctest.ELLIPSIS)
                report: list[str] = []
                try:
                    runner.run(test, out=report.append, clear_globs=False)
                finally:
                    namespace.update(test.globs)  # DocTest ran on a copy
                if runner.failures:
                    error = "".join(report)
            else:
                code = compile("\n" * job["line"] + job["body"], job["page"], "exec")
                with redirect_stdout(out):
                    exec(code, namespace)
        except BaseException:  # noqa: B036 - report anything, SystemExit included
            error = traceback.format_exc()
        proto.write(RESULT + json.dumps({"output": out.getvalue(), "error": error}) + "\n")
        proto.flush()


# --- running a page ------------------------------------------------------------------


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.update(PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8", COLUMNS="80", PYTHONWARNINGS="ignore")
    env.pop("PYTHONSTARTUP", None)
    return env


def run_console(block: Block, cwd: Path) -> tuple[bool, str]:
    commands: list[tuple[str, list[str]]] = []
    for ln in block.body.rstrip("\n").split("\n"):
        if ln.startswith("$ "):
            commands.append((ln[2:], []))
        elif commands:
            commands[-1][1].append(ln)
        elif ln.strip():
            return False, f"output before the first `$ ` command: {ln!r}"
    if not commands:
        return False, "a console block without `$ ` commands (mark it with <!-- docs-test: skip -->)"
    sep = "@@docs-test-command-done@@"
    script = "exec 2>&1\n" + "".join(f"{cmd}\n__rc=$?; printf '\\n{sep}\\n'; (exit $__rc)\n" for cmd, _ in commands)
    proc = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=_environment(), capture_output=True, timeout=120, stdin=subprocess.DEVNULL
    )
    chunks = proc.stdout.decode("utf-8", "replace").split(f"\n{sep}\n")
    problems = []
    for k, (cmd, expected) in enumerate(commands):
        actual = chunks[k] if k < len(chunks) else "<not run>"
        if not matches("\n".join(expected), actual):
            problems.append(
                f"$ {cmd}\n--- the page shows:\n" + "\n".join(expected) + f"\n--- the command printed:\n{actual}"
            )
    return not problems, "\n\n".join(problems)


class Page:
    """Runs the blocks of one page once, in order, and keeps each block's verdict."""

    def __init__(self, page: Path, scratch: Path) -> None:
        self.blocks = blocks_of(page)
        self.verdicts: dict[str, tuple[bool, str]] = {}
        for entry in ROOT.iterdir():
            if not entry.name.startswith("."):
                (scratch / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
        worker_proc: Optional[subprocess.Popen[str]] = None
        try:
            for block in self.blocks:
                if block.skip or block.lang not in RUN and not block.title:
                    continue
                if block.title:
                    shown = (ROOT / block.title).read_text(encoding="utf-8").strip()
                    ok = block.body.strip() == shown
                    self.verdicts[block.id] = (ok, "" if ok else f"the block differs from {block.title}")
                elif block.lang == "console":
                    self.verdicts[block.id] = run_console(block, scratch)
                else:
                    if worker_proc is None:
                        worker_proc = subprocess.Popen(
                            [sys.executable, __file__, "--worker"],
                            cwd=scratch,
                            env=_environment(),
                            stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE,
                            text=True,
                            encoding="utf-8",
                        )
                    self.verdicts[block.id] = self._python(worker_proc, block)
        finally:
            if worker_proc is not None:
                assert worker_proc.stdin is not None
                worker_proc.stdin.close()
                worker_proc.wait(timeout=60)

    @staticmethod
    def _python(proc: subprocess.Popen[str], block: Block) -> tuple[bool, str]:
        assert proc.stdin is not None and proc.stdout is not None
        job = {
            "lang": block.lang,
            "body": block.body,
            "page": block.id.rsplit(":", 1)[0],
            "line": block.line,
            "name": block.id,
        }
        proc.stdin.write(json.dumps(job) + "\n")
        proc.stdin.flush()
        for ln in proc.stdout:
            if ln.startswith(RESULT):
                result = json.loads(ln[len(RESULT) :])
                break
        else:
            return False, "the worker process died"
        if result["error"]:
            return False, result["error"]
        if block.expected is not None and not matches(block.expected, result["output"]):
            return False, f"--- the page shows:\n{block.expected}--- the block printed:\n{result['output']}"
        return True, ""


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    worker()
    sys.exit(0)

import pytest  # noqa: E402 - the worker above needs only the standard library

ALL = [b for page in PAGES for b in blocks_of(page) if not b.skip and (b.lang in RUN or b.title)]
_pages: dict[Path, Page] = {}


@pytest.mark.parametrize("block", ALL, ids=[b.id for b in ALL])
def test_doc_block(block: Block, tmp_path_factory: pytest.TempPathFactory) -> None:
    if block.page not in _pages:
        _pages[block.page] = Page(block.page, tmp_path_factory.mktemp(block.page.stem))
    ok, message = _pages[block.page].verdicts[block.id]
    assert ok, f"{block.id}:\n{message}"


def test_fresh_machine_commands_are_skipped_not_run() -> None:
    """The README's two fresh-machine command lines are marked, and only they are skipped there."""
    skipped = [b for b in blocks_of(ROOT / "README.md") if b.skip]
    assert [b.body.strip().split(" && ")[0] for b in skipped] == ["python3 -m venv .venv"] * 2
