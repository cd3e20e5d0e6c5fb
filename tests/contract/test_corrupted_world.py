"""`huoyan validate` on a corrupted copy of a generated world lists every planted error, and only
those, with the row each one was planted in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

SHAREHOLDER_ROW = -1  # resolved to the first shareholder row of the generated world

# (table, 0-based row, column, bad value, the rule validate must name)
PLANTED = [
    ("tenders", 3, "method", "auction", "not one of: open, selective, limited, direct"),
    ("tenders", 8, "estimated_value", "1,2 mln", "type: expected a number"),
    ("tenders", 12, "published_on", "2024-02-30", "bad date: expected YYYY-MM-DD"),
    ("bids", 5, "enterprise_id", "E-NOBODY", "dangling foreign key: no enterprises.enterprise_id"),
    ("bids", 9, "status", "VALID", "not one of: valid, disqualified, withdrawn"),
    ("units", 2, "name", "", "required: null"),
    ("persons", 4, "gender", "x", "not one of: f, m"),
    ("officials", 6, "end_date", "1901-01-01", "end before start: end_date < start_date"),
    ("officials", 7, "is_unit_head", "maybe", "type: expected true/false or 1/0"),
    ("enterprise_roles", SHAREHOLDER_ROW, "share", "1.7", "outside 0..1"),
    ("contracts", 4, "amount", "-100", "must be >= 0"),
    ("cases", 1, "entity_type", "company", "not one of: official, enterprise, tender"),
]


@pytest.fixture(scope="module")
def csv_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("csv-world") / "data"
    subprocess.run(
        [sys.executable, "-m", "huoyan", "generate", "--out", str(directory), "--seed", "3",
         "--tenders", "2000", "--format", "csv"],
        check=True, capture_output=True, text=True,
    )
    return directory


def corrupted_copy(source: Path, target: Path) -> list[tuple[str, int, str, str, str]]:
    """Copy the world with the PLANTED errors in it; returns them with their rows resolved."""
    target.mkdir()
    planted = []
    for path in source.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for table, row, column, value, rule in PLANTED:
            if table != path.stem:
                continue
            if row == SHAREHOLDER_ROW:
                row = int((frame["role"] == "shareholder").to_numpy().argmax())
            frame.loc[row, column] = value
            planted.append((table, row, column, value, rule))
        frame.to_csv(target / path.name, index=False)
    return planted


def test_the_generated_world_is_valid(csv_world: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "huoyan", "validate", str(csv_world)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "valid against the input contract" in done.stdout


def test_validate_lists_every_planted_error(csv_world: Path, tmp_path: Path) -> None:
    bad = tmp_path / "corrupted"
    planted_errors = corrupted_copy(csv_world, bad)
    assert len(planted_errors) == len(PLANTED)
    report = tmp_path / "violations.csv"
    done = subprocess.run(
        [sys.executable, "-m", "huoyan", "validate", str(bad), "--report", str(report)],
        capture_output=True, text=True,
    )
    assert done.returncode == 1
    found = pd.read_csv(report, dtype={"row": "Int64"}, keep_default_na=False)
    listed = {(r.table, int(r.row), r.column, r.rule) for r in found.itertuples()}
    planted = {(table, row + 1, column, rule) for table, row, column, _, rule in planted_errors}
    assert listed == planted
    for table, row, column, value, _ in planted_errors:
        line = f"{table} row {row + 1} column {column}"
        assert line in done.stdout, line
        if value:
            assert f"value {value!r}" in done.stdout
    assert f"{len(PLANTED)} contract violation(s)" in done.stderr
