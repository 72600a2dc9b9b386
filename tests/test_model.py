"""The data model: addresses, dict/JSON round trips, from_dict errors."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import gov_disclosure as gd
from gov_disclosure import Report, StructureError

from .conftest import seed_ids, seed_text


@pytest.mark.parametrize("name", seed_ids())
def test_round_trips(name: str) -> None:
    report = gd.parse(seed_text(name))
    assert Report.from_dict(report.to_dict()) == report
    assert Report.from_json(report.to_json()) == report
    assert Report.from_dict(json.loads(report.to_json())) == report


def test_to_dict_keeps_decimal_and_json_writes_strings() -> None:
    report = gd.parse(seed_text("003_0869a50636f65fd2"))
    assert report.to_dict()["active_disclosure"]["fees"]["amount"] == Decimal("3664.4476")
    assert '"amount": "3664.4476"' in report.to_json()


def test_addresses_follow_the_spec() -> None:
    report = gd.parse(seed_text("003_0869a50636f65fd2"))
    paths = [p for p, _ in report.cells()]
    assert len(paths) == len(set(paths)) == 10 + 25 * 7 + 15
    assert "applications.denied.state_secret.natural_person" in paths
    assert "applications.other_processing.overdue_fee.total" in paths
    assert "appeals.litigation_after_review.pending" in paths
    assert report.get("appeals.review.total") == 8


def test_2019_model_has_its_own_rows() -> None:
    report = gd.parse(seed_text("004_0aa99e0fac0e428e"))
    paths = {p for p, _ in report.cells()}
    assert len(paths) == 22 + 23 * 7 + 15 + 1  # + procurement.amount_unit
    assert "applications.other_processing.total" in paths
    assert "applications.other_processing.other.total" not in paths
    assert "active_disclosure.procurement.amount_unit" in paths


def test_from_dict_accepts_null_cells() -> None:
    data = gd.parse(seed_text("002_46ac49f0d77773c6")).to_dict()
    data["applications"]["granted"]["research"] = None
    assert Report.from_dict(data).applications.granted.research is None


@pytest.mark.parametrize(
    "change, path",
    [
        (lambda d: d["applications"]["total"].__setitem__("research", "7"), "$.applications.total.research"),
        (lambda d: d["applications"]["denied"].pop("state_secret"), "$.applications.denied.state_secret"),
        (lambda d: d["appeals"]["review"].__setitem__("bogus", 1), "$.appeals.review"),
        (lambda d: d["active_disclosure"]["fees"].__setitem__("amount", 1.5), "$.active_disclosure.fees.amount"),
        (lambda d: d.__setitem__("edition", "1999"), "$.edition"),
    ],
)
def test_from_dict_errors_have_json_paths(change, path: str) -> None:
    data = gd.parse(seed_text("003_0869a50636f65fd2")).to_dict()
    change(data)
    with pytest.raises(StructureError) as err:
        Report.from_dict(data)
    assert err.value.path == path


def test_repr_is_readable_and_hides_source_map() -> None:
    report = gd.parse(seed_text("002_46ac49f0d77773c6"))
    text = repr(report)
    assert text.startswith("Report(edition='2021'") and "source_map" not in text


def test_report_is_frozen() -> None:
    import attrs

    report = gd.parse(seed_text("002_46ac49f0d77773c6"))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.year = 2000  # type: ignore[misc]


def test_docs_list_every_address() -> None:
    """docs/data-model.md names every row address and column of both editions."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")
    for name in ("000_4505276ac13c66c6", "004_0aa99e0fac0e428e"):
        report = gd.parse(seed_text(name))
        for path, _ in report.cells():
            row, column = path.rsplit(".", 1)
            assert f"`{row}`" in doc, row
            assert f"`{column}`" in doc, column
