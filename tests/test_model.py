"""The data model: addresses, dict/JSON round trips, from_dict errors (every branch of
``_structure.py``).  Report texts: the stand-ins, and the seeds when ../shared is present."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import gov_disclosure as gd
from gov_disclosure import Report, StructureError

from .conftest import like, report_names, report_text


@pytest.mark.parametrize("name", report_names())
def test_round_trips(name: str) -> None:
    report = gd.parse(report_text(name))
    assert Report.from_dict(report.to_dict()) == report
    assert Report.from_json(report.to_json()) == report
    assert Report.from_dict(json.loads(report.to_json())) == report


@pytest.mark.parametrize("name", like("003"))
def test_to_dict_keeps_decimal_and_json_writes_strings(name: str) -> None:
    report = gd.parse(report_text(name))
    amount = report.active_disclosure.fees.amount
    assert isinstance(amount, Decimal) and amount != amount.to_integral_value()
    assert report.to_dict()["active_disclosure"]["fees"]["amount"] == amount
    assert f'"amount": "{amount}"' in report.to_json()


@pytest.mark.parametrize("name", like("003"))
def test_addresses_follow_the_spec(name: str) -> None:
    report = gd.parse(report_text(name))
    paths = [p for p, _ in report.cells()]
    assert len(paths) == len(set(paths)) == 10 + 25 * 7 + 15
    assert "applications.denied.state_secret.natural_person" in paths
    assert "applications.other_processing.overdue_fee.total" in paths
    assert "appeals.litigation_after_review.pending" in paths
    assert report.get("appeals.review.total") == report.appeals.review.total
    assert report.get("appeals.review.total") == sum(
        report.get(f"appeals.review.{c}") for c in ("upheld", "corrected", "other", "pending")
    )


@pytest.mark.parametrize("name", like("004"))
def test_2019_model_has_its_own_rows(name: str) -> None:
    report = gd.parse(report_text(name))
    paths = {p for p, _ in report.cells()}
    assert len(paths) == 22 + 23 * 7 + 15 + 1  # + procurement.amount_unit
    assert "applications.other_processing.total" in paths
    assert "applications.other_processing.other.total" not in paths
    assert "active_disclosure.procurement.amount_unit" in paths


@pytest.mark.parametrize("name", like("002"))
def test_from_dict_accepts_null_cells(name: str) -> None:
    data = gd.parse(report_text(name)).to_dict()
    data["applications"]["granted"]["research"] = None
    assert Report.from_dict(data).applications.granted.research is None


def _set(key: str, value):
    return lambda d: d.__setitem__(key, value)


def _at(*keys: str):
    def get(d):
        for k in keys:
            d = d[k]
        return d

    return get


# (change to the dict, the JSON path the error names, words of its message): every raise in _structure.py
FROM_DICT_ERRORS = [
    (lambda d: _at("applications", "total")(d).__setitem__("research", "7"), "$.applications.total.research",
     "expected an integer or null, got '7'"),
    (lambda d: _at("applications", "total")(d).__setitem__("research", True), "$.applications.total.research",
     "expected an integer or null, got True"),
    (lambda d: _at("applications", "total")(d).__setitem__("research", 2.0), "$.applications.total.research",
     "expected an integer or null"),
    (lambda d: _at("applications", "denied")(d).pop("state_secret"), "$.applications.denied.state_secret", "missing"),
    (lambda d: _at("appeals", "review")(d).__setitem__("bogus", 1), "$.appeals.review", "unexpected keys ['bogus']"),
    (lambda d: _at("applications")(d).__setitem__("denied", [1, 2]), "$.applications.denied",
     "expected an object, got list"),
    (lambda d: _at("active_disclosure", "fees")(d).__setitem__("amount", 1.5), "$.active_disclosure.fees.amount",
     "floats lose digits"),
    (lambda d: _at("active_disclosure", "fees")(d).__setitem__("amount", False), "$.active_disclosure.fees.amount",
     "floats lose digits"),
    (lambda d: _at("active_disclosure", "fees")(d).__setitem__("amount", "12,5"), "$.active_disclosure.fees.amount",
     "expected a decimal number, got '12,5'"),
    (lambda d: _at("active_disclosure", "fees")(d).__setitem__("amount", "NaN"), "$.active_disclosure.fees.amount",
     "expected a decimal number, got 'NaN'"),
    (lambda d: _at("active_disclosure", "fees")(d).__setitem__("amount", "Infinity"),
     "$.active_disclosure.fees.amount", "expected a decimal number"),
    (lambda d: _at("active_disclosure", "fees")(d).__setitem__("amount", Decimal("NaN")),
     "$.active_disclosure.fees.amount", "expected a finite decimal"),
    (lambda d: _at("active_disclosure", "fees")(d).__setitem__("amount", [1]), "$.active_disclosure.fees.amount",
     "expected a decimal number, got [1]"),
    (_set("edition", "1999"), "$.edition", "unknown edition '1999'; known: 2021, 2019"),
    (_set("edition", 2021), "$.edition", "missing or not a string"),
    (lambda d: d.pop("edition"), "$.edition", "missing or not a string"),
    (_set("agency", 5), "$.agency", "expected a string or null"),
    (_set("year", "2024"), "$.year", "expected an integer or null"),
    (_set("year", True), "$.year", "expected an integer or null"),
    (_set("colour", "red"), "$", "unexpected keys ['colour']"),
    (lambda d: d.pop("appeals"), "$.appeals", "missing"),
    (_set("appeals", None), "$.appeals", "expected an object, got NoneType"),
]
FROM_DICT_ERRORS_2019 = [
    (lambda d: _at("active_disclosure", "procurement")(d).__setitem__("amount_unit", 3),
     "$.active_disclosure.procurement.amount_unit", "expected a string or null"),
]


@pytest.mark.parametrize("change, path, message", FROM_DICT_ERRORS)
@pytest.mark.parametrize("name", like("003"))
def test_from_dict_errors_have_json_paths(name: str, change, path: str, message: str) -> None:
    data = gd.parse(report_text(name)).to_dict()
    change(data)
    with pytest.raises(StructureError) as err:
        Report.from_dict(data)
    assert err.value.path == path
    assert message in str(err.value) and str(err.value).startswith(f"{path}: ")


@pytest.mark.parametrize("change, path, message", FROM_DICT_ERRORS_2019)
@pytest.mark.parametrize("name", like("004"))
def test_from_dict_errors_2019(name: str, change, path: str, message: str) -> None:
    data = gd.parse(report_text(name)).to_dict()
    change(data)
    with pytest.raises(StructureError) as err:
        Report.from_dict(data)
    assert err.value.path == path and message in str(err.value)


@pytest.mark.parametrize("data", [None, [], "{}", 3])
def test_from_dict_of_a_non_object(data) -> None:
    with pytest.raises(StructureError) as err:
        Report.from_dict(data)  # type: ignore[arg-type]
    assert err.value.path == "$" and "expected an object" in str(err.value)


@pytest.mark.parametrize("name", like("003", "004"))
def test_from_dict_accepts_what_it_documents(name: str) -> None:
    """Decimal strings, ints and Decimals for amounts; null agency, year and cells."""
    report = gd.parse(report_text(name))
    data = report.to_dict()
    data["agency"], data["year"] = None, None
    amount = data["active_disclosure"]["fees"] if report.edition == "2021" else data["active_disclosure"]["procurement"]
    for value, want in [("3664.4476", Decimal("3664.4476")), (12, Decimal(12)), (Decimal("0.5"), Decimal("0.5")),
                        (None, None)]:
        amount["amount"] = value
        built = Report.from_dict(data)
        got = built.get(("active_disclosure.fees.amount" if report.edition == "2021"
                         else "active_disclosure.procurement.amount"))
        assert got == want and (got is None or isinstance(got, Decimal))
        assert (built.agency, built.year) == (None, None)
    if report.edition == "2019":
        amount["amount_unit"] = "元"
        assert Report.from_dict(data).active_disclosure.procurement.amount_unit == "元"


@pytest.mark.parametrize("name", like("002"))
def test_repr_is_readable_and_hides_source_map(name: str) -> None:
    report = gd.parse(report_text(name))
    text = repr(report)
    assert text.startswith("Report(edition='2021'") and "source_map" not in text


@pytest.mark.parametrize("name", like("002"))
def test_report_is_frozen(name: str) -> None:
    import attrs

    report = gd.parse(report_text(name))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.year = 2000  # type: ignore[misc]


@pytest.mark.parametrize("names", [("a_pipe_page_date", "e_tab_2019"),
                                   pytest.param(("000_4505276ac13c66c6", "004_0aa99e0fac0e428e"),
                                                marks=pytest.mark.seed, id="seeds")])
def test_docs_list_every_address(names: tuple[str, str]) -> None:
    """docs/data-model.md names every row address and column of both editions."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")
    for name in names:
        report = gd.parse(report_text(name))
        for path, _ in report.cells():
            row, column = path.rsplit(".", 1)
            assert f"`{row}`" in doc, row
            assert f"`{column}`" in doc, column
