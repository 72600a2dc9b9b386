"""Shared fixtures: the seed reports under ../shared (skipped when absent) and hypothesis profiles."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REAL = SHARED / "real"
FIXTURES = Path(__file__).parent / "fixtures"

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def seed_ids() -> list[str]:
    # The ids are fixed so tests are listed the same with or without ../shared.
    return ["000_4505276ac13c66c6", "001_9ebba746cc4f361b", "002_46ac49f0d77773c6",
            "003_0869a50636f65fd2", "004_0aa99e0fac0e428e"]


def seed_text(name: str) -> str:
    path = SEEDS / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is beside the checkout in CI)")
    return path.read_text(encoding="utf-8")


def golden(name: str) -> dict:
    return json.loads((FIXTURES / f"seed_{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=seed_ids())
def seed(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param, seed_text(request.param)
