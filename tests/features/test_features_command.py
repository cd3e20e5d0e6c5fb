"""`huoyan features` end to end on a small hand-made delivery."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from tests.contract.conftest import frames, write_csv_dir


def test_features_command_writes_every_entity_type(tmp_path) -> None:
    tables = frames()
    del tables["penalties"]  # an absent optional table is named, its features left missing
    data = write_csv_dir(tables, tmp_path / "data")
    out = tmp_path / "out" / "features.parquet"
    done = subprocess.run(
        [sys.executable, "-m", "huoyan", "features", "--data", str(data), "--as-of", "2023-06-01",
         "--out", str(out)], capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "absent optional tables: penalties" in done.stderr
    frame = pd.read_parquet(out)
    assert set(frame.entity_type) == {"official", "enterprise", "tender"}
    assert set(frame[frame.entity_type == "tender"].entity_id) == {"T1", "T2"}
    assert (frame.as_of == pd.Timestamp("2023-06-01")).all()
    assert frame.filter(like="penalt").isna().all().all()


def test_features_command_refuses_a_bad_date(tmp_path) -> None:
    data = write_csv_dir(frames(), tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "huoyan", "features", "--data", str(data), "--as-of", "June",
         "--out", str(tmp_path / "f.parquet")], capture_output=True, text=True,
    )
    assert done.returncode == 2 and "is not a date" in done.stderr
