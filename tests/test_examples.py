"""The bundled example reports parse to the numbers they were rendered from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gov_disclosure as gd

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_report(name: str) -> None:
    report = gd.parse_file(EXAMPLES / name)
    assert json.loads(report.to_json()) == EXPECTED[name]
    assert gd.validate(report) == []
