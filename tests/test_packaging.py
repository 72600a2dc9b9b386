"""Both install modes find the grammars: a built wheel in a fresh venv, and this (editable) one."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import gov_disclosure as gd

from .conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]


def test_grammars_are_found_in_this_install() -> None:
    directory = Path(gd.__file__).parent / "grammars"
    assert {p.name for p in directory.glob("*.lark")} >= {"template.lark", "edition_2021.lark", "edition_2019.lark"}
    assert (Path(gd.__file__).parent / "py.typed").exists()


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_parses_a_seed(tmp_path: Path) -> None:
    seed = SEEDS / "003_0869a50636f65fd2.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds not available")
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    (wheel,) = dist.glob("gov_disclosure-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "gov_disclosure/grammars/template.lark" in names and "gov_disclosure/py.typed" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True, text=True,
    )
    if install.returncode != 0 and "No matching distribution" in install.stderr:
        pytest.skip("no package index reachable to install lark/attrs/opencc")
    assert install.returncode == 0, install.stderr[-2000:]
    script = (
        "import gov_disclosure, sys, pathlib\n"
        "assert 'site-packages' in gov_disclosure.__file__, gov_disclosure.__file__\n"
        "r = gov_disclosure.parse_file(sys.argv[1])\n"
        "print(r.edition, r.year, r.applications.total.total, len(gov_disclosure.validate(r)))\n"
    )
    run = subprocess.run([str(python), "-c", script, str(seed)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["2021", "2024", "145", "0"]
