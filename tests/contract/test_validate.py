"""Every kind of contract violation is reported with its table, row, column, value and rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data_contracts.io import write_tables
from data_contracts.loader import load_dataset
from data_contracts.violations import ContractError, Violation
from tests.contract.conftest import write_csv_dir


def violations_of(tables: dict[str, pd.DataFrame], tmp_path: Path) -> list[Violation]:
    with pytest.raises(ContractError) as caught:
        load_dataset(write_csv_dir(tables, tmp_path / "bad"))
    return caught.value.violations


def test_valid_directory_loads_typed(valid_dir: Path) -> None:
    data = load_dataset(valid_dir)
    assert len(data.tenders) == 2 and data.absent == ()
    assert data.tenders["published_on"].dtype == "datetime64[ns]"
    assert data.officials["is_unit_head"].tolist() == [True, False]
    assert data.bids["submitted_at"].iloc[0] == pd.Timestamp("2023-03-20T01:30:00Z")  # +08:00 -> UTC
    assert data.contracts["amendments"].dtype == "Int64"
    assert data.tenders["currency"].tolist() == ["CNY", "CNY"]  # the default fills the blank


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "rule"),
    [
        ("tenders", 1, "estimated_value", "about 1M", "type: expected a number"),
        ("persons", 2, "birth_year", "1971.5", "type: expected a whole number"),
        ("officials", 1, "is_unit_head", "yes", "type: expected true/false or 1/0"),
        ("bids", 2, "submitted_at", "yesterday", "bad timestamp: expected ISO 8601"),
        ("tenders", 2, "method", "auction", "not one of: open, selective, limited, direct"),
        ("units", 1, "level", "City", "not one of: province, city, county, township, village"),
        ("units", 2, "name", "", "required: null"),
        ("contracts", 2, "signed_on", "", "required: null"),
        ("bids", 3, "enterprise_id", "E999", "dangling foreign key: no enterprises.enterprise_id"),
        ("officials", 2, "unit_id", "U9", "dangling foreign key: no units.unit_id"),
        ("cases", 2, "entity_id", "E1", "dangling foreign key: no persons.person_id"),
        ("tenders", 1, "published_on", "2023-02-30", "bad date: expected YYYY-MM-DD"),
        ("enterprises", 2, "registered_on", "02/11/2021", "bad date: expected YYYY-MM-DD"),
        ("enterprise_roles", 5, "share", "1.5", "outside 0..1"),
        ("contracts", 1, "amount", "-5", "must be >= 0"),
        ("officials", 2, "end_date", "2017-12-31", "end before start: end_date < start_date"),
        ("tenders", 1, "deadline", "2023-02-01", "end before start: deadline < published_on"),
        ("relations", 1, "related_person_id", "P1", "a person cannot be related to himself"),
        ("enterprise_roles", 1, "share", "0.2", "share given for a non-shareholder"),
    ],
)
def test_each_kind_of_violation(tables, tmp_path, table, row, column, value, rule) -> None:
    tables[table].loc[row - 1, column] = value
    found = violations_of(tables, tmp_path)
    shown = None if value == "" else value
    assert Violation(table, row, column, shown, rule) in found
    assert len(found) == 1, found  # one bad cell, one report (no knock-on null or FK noise)


def test_duplicate_key_reports_both_rows(tables, tmp_path) -> None:
    tables["tenders"].loc[1, "tender_id"] = "T1"
    found = violations_of(tables, tmp_path)
    duplicates = [v for v in found if v.rule == "duplicate key"]
    assert {(v.row, v.value) for v in duplicates} == {(1, "T1"), (2, "T1")}


def test_shares_held_at_once_may_not_exceed_one(tables, tmp_path) -> None:
    tables["enterprise_roles"].loc[1, "end_date"] = "2020-06-01"  # P4's 0.6 now overlaps P3's 0.6
    found = violations_of(tables, tmp_path)
    assert [(v.row, v.column) for v in found] == [(4, "share")]
    assert "E1 held at once sum to 1.6 > 1 on 2020-01-01" in found[0].rule


def test_missing_required_column_and_table(tables, tmp_path) -> None:
    tables["tenders"] = tables["tenders"].drop(columns=["method"])
    del tables["contracts"]
    found = violations_of(tables, tmp_path)
    assert Violation("tenders", None, "method", None, "required column missing") in found
    assert Violation("contracts", None, None, None, "required table missing") in found


def test_every_violation_is_reported_at_once(tables, tmp_path) -> None:
    tables["tenders"].loc[0, "method"] = "auction"
    tables["bids"].loc[0, "amount"] = "cheap"
    tables["persons"].loc[3, "gender"] = "x"
    tables["cases"].loc[0, "closed_on"] = "2023-01-01"
    tables["contracts"].loc[1, "contract_id"] = "C1"
    found = violations_of(tables, tmp_path)
    assert {(v.table, v.column) for v in found} == {
        ("tenders", "method"), ("bids", "amount"), ("persons", "gender"),
        ("cases", "closed_on"), ("contracts", "contract_id"),
    }


def test_optional_tables_may_be_absent(tables, tmp_path) -> None:
    for name in ("relations", "penalties", "cases"):
        del tables[name]
    data = load_dataset(write_csv_dir(tables, tmp_path / "lean"))
    assert data.absent == ("relations", "penalties", "cases") and data.cases is None


def test_relations_are_mirrored(valid_dir) -> None:
    relations = load_dataset(valid_dir).relations
    pairs = set(zip(relations["person_id"], relations["related_person_id"], relations["relation"]))
    assert pairs == {("P1", "P3", "child"), ("P3", "P1", "parent")}


def test_mixed_csv_and_parquet_directory(valid_dir, tmp_path) -> None:
    typed = load_dataset(valid_dir).tables()
    mixed = tmp_path / "mixed"
    write_tables({k: v for k, v in typed.items() if k in ("tenders", "bids", "persons")}, mixed)
    for name in ("units", "officials", "relations", "enterprises", "enterprise_roles",
                 "contracts", "penalties", "cases"):
        (mixed / f"{name}.csv").write_bytes((valid_dir / f"{name}.csv").read_bytes())
    reloaded = load_dataset(mixed)
    pd.testing.assert_frame_equal(reloaded.tenders, typed["tenders"])
    pd.testing.assert_frame_equal(reloaded.bids, typed["bids"])
    pd.testing.assert_frame_equal(reloaded.persons, typed["persons"])
    assert {p.suffix for p in mixed.iterdir()} == {".csv", ".parquet"}


def test_a_table_given_twice_is_refused(valid_dir) -> None:
    write_tables({"units": load_dataset(valid_dir).units}, valid_dir / "sub")
    (valid_dir / "sub" / "units.parquet").rename(valid_dir / "units.parquet")
    with pytest.raises(ContractError, match="table 'units' is given twice"):
        load_dataset(valid_dir)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "huoyan", *args], capture_output=True, text=True, check=False
    )


def test_cli_validate_prints_summary(valid_dir) -> None:
    done = run_cli("validate", str(valid_dir))
    assert done.returncode == 0, done.stderr
    assert "valid against the input contract" in done.stdout
    assert "tenders" in done.stdout and "published_on 2023-03-01 .. 2023-03-01" in done.stdout


def test_cli_validate_lists_violations_and_fails(tables, tmp_path) -> None:
    tables["tenders"].loc[0, "method"] = "auction"
    tables["bids"].loc[2, "enterprise_id"] = "E999"
    report = tmp_path / "violations.csv"
    done = run_cli("validate", str(write_csv_dir(tables, tmp_path / "bad")), "--report", str(report))
    assert done.returncode == 1
    assert "tenders row 1 column method: value 'auction': not one of" in done.stdout
    assert "bids row 3 column enterprise_id: value 'E999': dangling foreign key" in done.stdout
    assert "2 contract violation(s)" in done.stderr
    assert len(pd.read_csv(report)) == 2
