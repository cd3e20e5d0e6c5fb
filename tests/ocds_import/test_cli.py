"""`huoyan import-ocds` end to end, through the installed console script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from data_contracts.loader import load_dataset

from .conftest import FIXTURES, REPO, fixture_releases, records, write_jsonl

HUOYAN = REPO / ".venv" / "bin" / "huoyan"


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(HUOYAN), "import-ocds", *map(str, args)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_writes_tables_that_load_and_a_summary(tmp_path: Path, fmt: str) -> None:
    source = write_jsonl(fixture_releases(), tmp_path / "releases.jsonl.gz", compress=True)
    out = tmp_path / "out"
    done = run(
        source, "--out", out, "--format", fmt, "--unit-level", "province", "--unit-sector", "health"
    )
    assert done.returncode == 0, done.stderr
    dataset = load_dataset(out)  # raises ContractError on any violation
    assert {path.name for path in out.iterdir()} == {
        f"{table}.{fmt}" for table in dataset.tables()
    } | {"import-summary.json"}
    summary = json.loads((out / "import-summary.json").read_text(encoding="utf-8"))
    assert summary["rows"] == {t: len(f) for t, f in dataset.tables().items()}
    assert summary["rows"]["tenders"] == 5 and summary["format"] == fmt
    assert set(records(dataset.units)[0].items()) >= {("level", "province"), ("sector", "health")}
    assert "placeholders" in done.stderr and "units.level = province" in done.stderr


def test_malformed_lines_are_echoed_with_their_line_numbers(tmp_path: Path) -> None:
    done = run(FIXTURES / "malformed.jsonl", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    for line in (2, 3, 4, 5, 9):
        assert f"malformed.jsonl:{line}: skipped" in done.stderr
    assert len(load_dataset(tmp_path / "out").tenders) == 2


def test_a_rerun_replaces_the_output_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(FIXTURES / "malformed.jsonl", "--out", out, "--format", "csv").returncode == 0
    assert run(FIXTURES / "malformed.jsonl", "--out", out).returncode == 0
    assert not list(out.glob("*.csv")) and (out / "tenders.parquet").exists()


def test_nothing_readable_fails_and_leaves_the_output_alone(tmp_path: Path) -> None:
    source = tmp_path / "junk.jsonl"
    source.write_text('not json\n[1]\n{"ocid": null}\n', encoding="utf-8")
    out = tmp_path / "out"
    done = run(source, "--out", out)
    assert done.returncode == 1
    assert "no release could be read" in done.stderr
    assert not out.exists()


def test_a_missing_file_fails(tmp_path: Path) -> None:
    done = run(tmp_path / "absent.jsonl", "--out", tmp_path / "out")
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_unit_level_is_refused(tmp_path: Path) -> None:
    done = run(FIXTURES / "malformed.jsonl", "--out", tmp_path / "out", "--unit-level", "district")
    assert done.returncode == 2 and "district" in done.stderr


def test_a_directory_holding_other_files_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    done = run(FIXTURES / "malformed.jsonl", "--out", out)
    assert done.returncode == 2 and "notes.txt" in done.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_the_input_directory_is_not_replaced(tmp_path: Path) -> None:
    source = write_jsonl(fixture_releases(), tmp_path / "releases.jsonl")
    done = run(source, "--out", tmp_path)
    assert done.returncode == 2 and "contains the input file" in done.stderr
    assert source.exists()
