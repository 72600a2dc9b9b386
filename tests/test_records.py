"""Records (one row per cell), to_dataframe and the CSV / JSON Lines / JSON / Parquet writers."""

from __future__ import annotations

import csv
import io
import json
import sys
from decimal import Decimal

import pytest

import gov_disclosure as gd
from gov_disclosure.errors import MissingExtraError
from gov_disclosure.output import (
    OUTPUT_COLUMNS,
    CSVWriter,
    JSONLinesWriter,
    JSONWriter,
    ParquetWriter,
    format_for_path,
    open_writer,
    write_reports,
)
from gov_disclosure.records import RECORD_COLUMNS, TABLE_NUMERALS, iter_records

from .conftest import report_names, report_text

#: (a 2021 report with a decimal fee, a 2019 report): the stand-ins, and the seeds 003 and 004
#: when ../shared is present.
PAIRS = [
    pytest.param(("d_traditional", "e_tab_2019"), id="standins"),
    pytest.param(("003_0869a50636f65fd2", "004_0aa99e0fac0e428e"), id="seeds", marks=pytest.mark.seed),
]


@pytest.fixture(params=PAIRS)
def pair(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param


@pytest.fixture
def r2021(pair: tuple[str, str]) -> gd.Report:
    return seed_report(pair[0])


@pytest.fixture
def r2019(pair: tuple[str, str]) -> gd.Report:
    return seed_report(pair[1])


def seed_report(name: str) -> gd.Report:
    return gd.parse(report_text(name))


def fee(report: gd.Report) -> str:
    return format(report.active_disclosure.fees.amount, "f")


def with_blank(report: gd.Report, path: str) -> gd.Report:
    """``report`` with the cell at ``path`` blank (None), through to_dict/from_dict."""
    data = report.to_dict()
    obj = data
    *parents, leaf = path.split(".")
    for part in parents:
        obj = obj[part]
    obj[leaf] = None
    return gd.Report.from_dict(data)


# --- records -----------------------------------------------------------------------


def test_record_columns_are_the_documented_ones() -> None:
    assert RECORD_COLUMNS == ("source", "agency", "year", "edition", "table", "row", "column", "path", "value")
    assert OUTPUT_COLUMNS == (*RECORD_COLUMNS, "error")
    assert TABLE_NUMERALS == {"active_disclosure": "二", "applications": "三", "appeals": "四"}


@pytest.mark.parametrize("name", report_names())
def test_one_record_per_cell_in_cells_order(name: str) -> None:
    report = seed_report(name)
    records = report.to_records(source=f"{name}.txt")
    cells = list(report.cells())
    assert len(records) == len(cells)
    assert [r["path"] for r in records] == [path for path, _ in cells]
    for record, (path, value) in zip(records, cells, strict=True):
        assert tuple(record) == RECORD_COLUMNS
        assert record["value"] == value and type(record["value"]) is type(value)
        assert f"{record['table']}.{record['row']}.{record['column']}" == path
        assert record["table"] in TABLE_NUMERALS
        assert (record["source"], record["agency"], record["year"], record["edition"]) == (
            f"{name}.txt",
            report.agency,
            report.year,
            report.edition,
        )


def test_row_is_the_dotted_address_inside_the_table(r2021: gd.Report) -> None:
    report = r2021
    by_path = {r["path"]: r for r in report.to_records()}
    r = by_path["applications.denied.state_secret.natural_person"]
    assert (r["table"], r["row"], r["column"], r["source"]) == (
        "applications",
        "denied.state_secret",
        "natural_person",
        None,
    )
    assert by_path["appeals.review.total"]["row"] == "review"
    fees = by_path["active_disclosure.fees.amount"]
    assert fees["value"] == Decimal(fee(report)) and isinstance(fees["value"], Decimal)
    assert fees["value"] != fees["value"].to_integral_value()


def test_2019_records_include_the_procurement_unit_cell(r2019: gd.Report) -> None:
    report = r2019
    records = list(iter_records(report))
    assert len(records) == len(list(report.cells())) == 199
    unit = [r for r in records if r["path"] == "active_disclosure.procurement.amount_unit"]
    assert unit and (unit[0]["row"], unit[0]["column"]) == ("procurement", "amount_unit")
    assert all(r["edition"] == "2019" for r in records)


def test_a_blank_cell_is_none_in_records(r2021: gd.Report) -> None:
    report = with_blank(r2021, "applications.total.research")
    (record,) = [r for r in report.to_records() if r["path"] == "applications.total.research"]
    assert record["value"] is None


# --- to_dataframe -----------------------------------------------------------------------


def test_to_dataframe_one_row_per_cell_with_exact_values(r2021: gd.Report, r2019: gd.Report) -> None:
    pytest.importorskip("pandas")
    reports = [r2021, r2019]
    df = gd.to_dataframe([("a.txt", reports[0]), ("b.txt", reports[1])])
    assert list(df.columns) == list(RECORD_COLUMNS)
    assert len(df) == 200 + 199
    assert df["source"].tolist()[:1] == ["a.txt"] and df["source"].tolist()[-1] == "b.txt"
    fees = df.loc[(df["source"] == "a.txt") & (df["path"] == "active_disclosure.fees.amount"), "value"].item()
    assert fees == Decimal(fee(reports[0])) and isinstance(fees, Decimal)
    assert str(df["year"].dtype) == "Int64"
    total = df[(df["path"] == "applications.total.total")].set_index("source")["value"]
    assert total["a.txt"] == reports[0].applications.total.total
    # the records and the frame agree row for row
    assert df["path"].tolist() == [r["path"] for rep in reports for r in rep.to_records()]


def test_to_dataframe_accepts_a_report_a_list_and_sources(r2021: gd.Report) -> None:
    pytest.importorskip("pandas")
    report = r2021
    assert len(gd.to_dataframe(report)) == 200
    df = gd.to_dataframe([report, report], sources=["x", "y"])
    assert df["source"].unique().tolist() == ["x", "y"]


def test_to_dataframe_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError) as info:
        gd.to_dataframe([])
    assert info.value.extra == "pandas" and "gov-disclosure[pandas]" in str(info.value)


# --- writers ------------------------------------------------------------------------------


def csv_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == OUTPUT_COLUMNS
    return list(reader)


def test_csv_writer_columns_exact_decimals_blanks_and_failures(r2021: gd.Report) -> None:
    report = with_blank(r2021, "applications.total.research")
    buf = io.StringIO()
    with CSVWriter(buf) as w:
        w.write_report(report, "r.txt")
        w.write_failure("bad.txt", "line 3: not a report")
    rows = csv_rows(buf.getvalue())
    assert len(rows) == 200 + 1
    by_path = {r["path"]: r for r in rows[:-1]}
    assert by_path["active_disclosure.fees.amount"]["value"] == fee(report)
    assert by_path["applications.total.research"]["value"] == ""
    assert by_path["applications.total.total"]["value"] == str(report.applications.total.total)
    first = rows[0]
    assert (first["source"], first["year"], first["edition"], first["table"], first["error"]) == (
        "r.txt",
        str(report.year),
        "2021",
        "active_disclosure",
        "",
    )
    assert rows[-1] == {**dict.fromkeys(OUTPUT_COLUMNS, ""), "source": "bad.txt", "error": "line 3: not a report"}
    assert buf.getvalue().startswith(",".join(OUTPUT_COLUMNS) + "\n")


def test_jsonl_writer_one_object_per_cell_and_failure(r2021: gd.Report) -> None:
    report = r2021
    buf = io.StringIO()
    with JSONLinesWriter(buf) as w:
        w.write_report(report, "r.txt")
        w.write_failure("bad.txt", "boom")
    lines = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert len(lines) == 201
    assert all(tuple(obj) == OUTPUT_COLUMNS for obj in lines)
    by_path = {o["path"]: o for o in lines[:-1]}
    assert by_path["active_disclosure.fees.amount"]["value"] == fee(report)  # as in Report.to_json()
    assert by_path["applications.total.total"]["value"] == report.applications.total.total
    assert all(o["error"] is None for o in lines[:-1])
    assert lines[-1] == {**dict.fromkeys(OUTPUT_COLUMNS), "source": "bad.txt", "error": "boom"}


def test_json_writer_has_the_shape_of_to_json_plus_source(r2021: gd.Report, r2019: gd.Report) -> None:
    reports = [r2021, r2019]
    buf = io.StringIO()
    with JSONWriter(buf) as w:
        for i, r in enumerate(reports):
            w.write_report(r, f"{i}.txt")
        w.write_failure("bad.txt", "boom")
    data = json.loads(buf.getvalue())
    assert [d["source"] for d in data] == ["0.txt", "1.txt", "bad.txt"]
    for obj, report in zip(data[:-1], reports, strict=True):
        assert next(iter(obj)) == "source"
        rest = {k: v for k, v in obj.items() if k != "source"}
        assert rest == json.loads(report.to_json())
        assert gd.Report.from_dict(rest) == report
    assert data[-1] == {"source": "bad.txt", "error": "boom"}


def test_empty_json_output_is_an_empty_list() -> None:
    buf = io.StringIO()
    JSONWriter(buf).close()
    assert json.loads(buf.getvalue()) == []


def test_parquet_writer_columns_and_string_values(tmp_path, r2021: gd.Report, r2019: gd.Report) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    report = with_blank(r2021, "applications.total.research")
    out = tmp_path / "cells.parquet"
    w = ParquetWriter(out, row_group_size=150)  # forces more than one row group
    w.write_report(report, "r.txt")
    w.write_report(r2019, "s.txt")
    w.write_failure("bad.txt", "boom")
    w.close()
    table = pq.read_table(out)
    assert table.column_names == list(OUTPUT_COLUMNS)
    types = {f.name: str(f.type) for f in table.schema}
    assert types["year"] == "int32" and types["value"] == "string" and types["path"] == "string"
    assert table.num_rows == 200 + 199 + 1
    rows = table.to_pylist()
    by_path = {r["path"]: r for r in rows[:200]}
    assert by_path["active_disclosure.fees.amount"]["value"] == fee(report)
    assert by_path["applications.total.research"]["value"] is None
    assert by_path["applications.total.total"]["value"] == str(report.applications.total.total)
    assert rows[-1] == {**dict.fromkeys(OUTPUT_COLUMNS), "source": "bad.txt", "error": "boom"}


def test_parquet_without_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtraError) as info:
        open_writer("parquet", tmp_path / "x.parquet")
    assert info.value.extra == "parquet" and "gov-disclosure[parquet]" in str(info.value)


def test_format_from_file_name_and_write_reports(tmp_path, r2021: gd.Report) -> None:
    assert [format_for_path(p) for p in ("a.csv", "A.JSONL", "b.json", "c.parquet", "d.txt", None)] == [
        "csv",
        "jsonl",
        "json",
        "parquet",
        None,
        None,
    ]
    out = tmp_path / "cells.csv"
    assert write_reports([("r.txt", r2021)], out) == 1
    assert len(csv_rows(out.read_text(encoding="utf-8"))) == 200
    with pytest.raises(ValueError, match="unknown output format"):
        open_writer("xml", io.StringIO())


@pytest.mark.parametrize("source", ["plain.txt", 'odd, "quoted"\nname.txt', None])
def test_csv_and_jsonl_encodings_equal_the_standard_library_ones(source, r2019: gd.Report) -> None:
    """The fast encoders produce exactly what csv.writer / json.dumps produce, quoting included."""
    import attrs

    report = r2019
    report = attrs.evolve(
        report,
        agency='区,"信访"\n办',
        active_disclosure=attrs.evolve(
            report.active_disclosure,
            procurement=attrs.evolve(report.active_disclosure.procurement, amount_unit="万元"),
        ),
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    expected_jsonl = []
    for rec in report.to_records(source):
        value = rec["value"]
        text = "" if value is None else format(value, "f") if isinstance(value, Decimal) else value
        writer.writerow(
            [
                rec["source"] or "",
                rec["agency"] or "",
                rec["year"],
                rec["edition"],
                rec["table"],
                rec["row"],
                rec["column"],
                rec["path"],
                text,
                "",
            ]
        )
        json_value = format(value, "f") if isinstance(value, Decimal) else value
        expected_jsonl.append(json.dumps({**rec, "value": json_value, "error": None}, ensure_ascii=False) + "\n")
    assert CSVWriter.encode(report, source) == buf.getvalue()
    assert JSONLinesWriter.encode(report, source) == "".join(expected_jsonl)
    assert '"万元"' in JSONLinesWriter.encode(report, source)
