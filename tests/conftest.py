"""Shared fixtures: the report texts the tests read, and hypothesis profiles.

Two kinds of report text:

* **stand-ins** (``tests/fixtures/standins``): synthetic reports made for the
  tests, with expected JSON written from the numbers chosen for them (see
  ``make_standins.py`` there).  They exercise what the seeds exercise (the
  layouts, missing headings, truncated headers, traditional script, a page date
  vs the statistics year) and always run.
* **seeds** (``../shared/seeds``): five real reports, the extra check when
  ``../shared`` is beside the checkout (as in CI).  Tests parametrized over them
  carry the ``seed`` mark; without ``../shared`` they are deselected (the
  summary says how many), so a run without it is not a run of skips.

Tests parametrize over both with :func:`report_names` (every report) or
:func:`like` (a seed and the stand-in made to play its part).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REAL = SHARED / "real"
FIXTURES = Path(__file__).parent / "fixtures"
STANDINS = FIXTURES / "standins"

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
# a long search for wrong reads, for a run by hand (not in CI): HYPOTHESIS_PROFILE=stress
settings.register_profile(
    "stress", max_examples=1000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


# --- seeds (real reports, ../shared) ------------------------------------------------------


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def seed_ids() -> list[str]:
    # The ids are fixed so tests are listed the same with or without ../shared.
    return ["000_4505276ac13c66c6", "001_9ebba746cc4f361b", "002_46ac49f0d77773c6",
            "003_0869a50636f65fd2", "004_0aa99e0fac0e428e"]


def seeds_available() -> bool:
    return all((SEEDS / f"{name}.txt").exists() for name in seed_ids())


def seed_text(name: str) -> str:
    path = SEEDS / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is beside the checkout in CI)")
    return path.read_text(encoding="utf-8")


def golden(name: str) -> dict:
    return json.loads((FIXTURES / f"seed_{name}.json").read_text(encoding="utf-8"))


# --- stand-ins (synthetic, always present) -------------------------------------------------

#: The stand-ins, each made to play the part of one seed (same edition, layout and quirks).
STANDIN_FOR = {
    "000_4505276ac13c66c6": "a_pipe_page_date",  # | lines; page date 2019 vs statistics year; no agency
    "001_9ebba746cc4f361b": "b_trailing_pipe",  # cell | lines, || row ends; no year
    "002_46ac49f0d77773c6": "c_newline_truncated",  # truncated table 四 headers; year in section 一
    "003_0869a50636f65fd2": "d_traditional",  # traditional script; headings missing; decimal fee
    "004_0aa99e0fac0e428e": "e_tab_2019",  # 2019 edition; tab cells, wrapped headers; page number
}


def standin_ids() -> list[str]:
    return list(STANDIN_FOR.values())


def standin_text(name: str) -> str:
    return (STANDINS / f"{name}.txt").read_text(encoding="utf-8")


def standin_expected(name: str) -> dict:
    return json.loads((STANDINS / f"{name}.expected.json").read_text(encoding="utf-8"))


#: A directory of report files (for the command-line tests): the seeds, else the stand-ins.
#: Both hold four 2021 reports then one 2019 report in sorted order, each stand-in in its seed's place.
REPORT_DIR = SEEDS if seeds_available() else STANDINS


def report_file(seed: str) -> Path:
    """The file of seed ``seed`` (id), or of the stand-in playing its part when ../shared is absent."""
    return SEEDS / f"{seed}.txt" if seeds_available() else STANDINS / f"{STANDIN_FOR[seed]}.txt"


# --- either ---------------------------------------------------------------------------------


def is_seed(name: str) -> bool:
    return name in STANDIN_FOR


def report_text(name: str) -> str:
    """The text of a stand-in or of a seed (a seed skips when ../shared is absent)."""
    return seed_text(name) if is_seed(name) else standin_text(name)


def expected(name: str) -> dict:
    """The expected ``to_json()`` of a stand-in or a seed (hand-read golden file)."""
    return golden(name) if is_seed(name) else standin_expected(name)


def _param(name: str) -> Any:
    return pytest.param(name, id=name, marks=[pytest.mark.seed] if is_seed(name) else [])


def report_names() -> list[Any]:
    """Every stand-in, then every seed (marked ``seed``)."""
    return [_param(n) for n in (*standin_ids(), *seed_ids())]


def like(*seeds: str) -> list[Any]:
    """For each seed id (or its 3-digit prefix): its stand-in, then the seed itself (marked ``seed``)."""
    out = []
    for prefix in seeds:
        (name,) = [s for s in seed_ids() if s.startswith(prefix)]
        out += [_param(STANDIN_FOR[name]), _param(name)]
    return out


def set_cell(text: str, report: Any, path: str, new: str) -> str:
    """``text`` with the cell printed at ``path`` replaced by ``new`` (found by the
    report's locations, so the same edit works on any report and layout)."""
    lines = text.split("\n")
    line, column = report.locations[path]
    old = report.printed.get(path, str(report.get(path)))
    at = column - 1
    assert lines[line - 1][at : at + len(old)] == old, (lines[line - 1], old)
    lines[line - 1] = lines[line - 1][:at] + new + lines[line - 1][at + len(old) :]
    return "\n".join(lines)


# --- hooks ------------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "seed: runs on a real seed report from ../shared/seeds (deselected without it)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if seeds_available():
        return
    deselected = [item for item in items if item.get_closest_marker("seed")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("seed")]
        config.stash[_DESELECTED] = len(deselected)


_DESELECTED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    n = config.stash.get(_DESELECTED, 0)
    if n:
        terminalreporter.write_line(
            f"{n} seed tests deselected: {SEEDS} not found; the same assertions ran on the stand-ins "
            f"in {STANDINS.relative_to(ROOT)}"
        )
