"""A directory that passed the contract is not checked again while unchanged; any change is."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from data_contracts import integrity, stamp
from data_contracts.loader import load_dataset
from data_contracts.violations import ContractError


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HUOYAN_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _stamps(home: Path) -> list[Path]:
    return sorted((home / "validated").glob("*.json"))


def _no_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("the rules ran again")

    monkeypatch.setattr(integrity, "schema_violations", refuse)
    monkeypatch.setattr("data_contracts.loader.schema_violations", refuse)
    monkeypatch.setattr("data_contracts.loader.cross_table_violations", refuse)


def test_a_valid_directory_is_stamped_and_loads_the_same_without_the_checks(
    valid_dir: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = load_dataset(valid_dir)
    assert len(_stamps(home)) == 1
    assert json.loads(_stamps(home)[0].read_text())["directory"] == str(valid_dir.resolve())
    _no_checks(monkeypatch)
    again = load_dataset(valid_dir)
    for name, frame in checked.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name])
    assert again.delivered_rows == checked.delivered_rows


def test_a_changed_file_is_checked_again_and_reported(valid_dir: Path) -> None:
    load_dataset(valid_dir)
    bids = valid_dir / "bids.csv"
    text = bids.read_text(encoding="utf-8")
    bids.write_text(text.replace("1150000", "-115000"), encoding="utf-8")  # same size
    with pytest.raises(ContractError) as error:
        load_dataset(valid_dir)
    assert [(v.table, v.row, v.column, v.rule) for v in error.value.violations] == [
        ("bids", 1, "amount", "must be >= 0")
    ]


def test_an_added_file_or_other_rules_void_the_stamp(valid_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    load_dataset(valid_dir)
    before = stamp.fingerprint(valid_dir)
    (valid_dir / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    assert not stamp.is_stamped(valid_dir, stamp.fingerprint(valid_dir))
    (valid_dir / "notes.csv").unlink()
    assert stamp.is_stamped(valid_dir, stamp.fingerprint(valid_dir))
    monkeypatch.setattr(stamp, "rules_fingerprint", lambda: "other rules")
    assert not stamp.is_stamped(valid_dir, stamp.fingerprint(valid_dir))
    assert before != stamp.fingerprint(valid_dir)


def test_an_invalid_directory_is_not_stamped(valid_dir: Path, home: Path) -> None:
    (valid_dir / "units.csv").write_text("unit_id,name,region,level,sector\nU1,x,1,city,s\n"
                                         "U1,y,2,city,s\n", encoding="utf-8")
    with pytest.raises(ContractError):
        load_dataset(valid_dir)
    assert _stamps(home) == []
