"""`huoyan generate` writes a valid, deterministic world, in Parquet and CSV, with its truth
beside it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from data_contracts.contract import TABLE_NAMES
from data_contracts.loader import load_dataset
from data_contracts.synthetic.command import generate
from data_contracts.synthetic.config import SCHEMES, WorldConfig
from data_contracts.synthetic.generate import make_tables, write_world
from data_contracts.synthetic.progress import Progress
from tests.synthetic.conftest import GeneratedWorld


def _frame_digest(tables: dict[str, pd.DataFrame]) -> str:
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(tables[name], index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _file_digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_every_table_is_there_and_valid(world: GeneratedWorld) -> None:
    # load_dataset raises ContractError on any violation; reaching here means zero violations
    tables = world.data.tables()
    assert set(tables) == set(TABLE_NAMES)
    assert all(len(frame) > 0 for frame in tables.values())
    assert len(world.data.tenders) == world.config.tenders
    assert world.data.absent == ()


def test_sizes_scale_with_tenders(world: GeneratedWorld) -> None:
    d = world.data
    assert 15 <= len(d.units) / (world.config.tenders / 1000) <= 45
    assert 4.5 <= len(d.bids) / len(d.tenders) <= 7  # about six bids per tender
    assert d.officials["person_id"].nunique() < len(d.officials)  # persons hold several posts
    assert d.officials["end_date"].isna().any() and d.officials["end_date"].notna().any()
    assert d.units["region"].nunique() >= 10
    assert set(d.units["level"]) == {"province", "city", "county", "township", "village"}


def test_same_arguments_same_frames_other_seed_other_frames() -> None:
    quiet = Progress(quiet=True)
    config = WorldConfig(seed=5, tenders=3000)
    first, first_truth, _ = make_tables(config, quiet)
    second, second_truth, _ = make_tables(config, quiet)
    assert _frame_digest(first) == _frame_digest(second)
    assert _frame_digest(first_truth) == _frame_digest(second_truth)
    other = make_tables(WorldConfig(seed=6, tenders=3000), quiet)[0]
    assert _frame_digest(other) != _frame_digest(first)


def test_same_arguments_byte_identical_files(tmp_path: Path) -> None:
    config = WorldConfig(seed=5, tenders=2000)
    quiet = Progress(quiet=True)
    first = write_world(config, tmp_path / "a", tmp_path / "a-truth", "parquet", quiet)
    second = write_world(config, tmp_path / "b", tmp_path / "b-truth", "parquet", quiet)
    assert first == second
    assert _file_digests(tmp_path / "a") == _file_digests(tmp_path / "b")
    assert _file_digests(tmp_path / "a-truth") == _file_digests(tmp_path / "b-truth")


def test_csv_world_through_the_command_validates(tmp_path: Path) -> None:
    out = tmp_path / "csv-world"
    result = CliRunner().invoke(
        generate,
        [
            "--out",
            str(out),
            "--seed",
            "4",
            "--tenders",
            "2500",
            "--format",
            "csv",
            "--quiet",
            "--scheme",
            "shell_company=0.03",
            "--investigated",
            "0.6",
            "--unlabelled-months",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".csv"] * len(TABLE_NAMES)
    data = load_dataset(out)
    assert len(data.tenders) == 2500
    summary = json.loads((tmp_path / "csv-world-truth" / "world.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["shares"]["shell_company"] == 0.03
    assert summary["parameters"]["investigated"] == 0.6
    shells = summary["schemes"]["shell_company"]["enterprises"]
    assert shells >= 0.6 * 0.03 * summary["counts"]["enterprises"]


def test_truth_lies_beside_the_data(world: GeneratedWorld) -> None:
    assert world.truth_dir.parent == world.out.parent
    assert world.truth_dir.name == f"{world.out.name}-truth"
    assert sorted(p.name for p in world.truth_dir.iterdir()) == [
        "members.parquet",
        "schemes.parquet",
        "world.json",
    ]
    assert not any(p.stem in ("members", "schemes", "world") for p in world.out.iterdir())
    summary = json.loads((world.truth_dir / "world.json").read_text(encoding="utf-8"))
    assert summary["seed"] == world.config.seed and set(summary["schemes"]) == set(SCHEMES)
    assert summary["counts"]["tenders"] == world.config.tenders


@pytest.mark.parametrize("truth", ["inside", "same"])
def test_a_truth_directory_inside_the_data_is_refused(tmp_path: Path, truth: str) -> None:
    out = tmp_path / "data"
    target = out / "truth" if truth == "inside" else out
    result = CliRunner().invoke(
        generate, ["--out", str(out), "--truth", str(target), "--tenders", "500", "--quiet"]
    )
    assert result.exit_code != 0
    assert "beside" in result.output
    assert not out.exists()


def test_unknown_scheme_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(generate, ["--out", str(tmp_path / "x"), "--scheme", "bribery=0.1"])
    assert result.exit_code != 0 and "NAME=SHARE" in result.output


def test_truth_members_resolve_to_the_data(world: GeneratedWorld) -> None:
    d, m = world.data, world.members
    targets = {
        "official": d.persons["person_id"],
        "enterprise": d.enterprises["enterprise_id"],
        "tender": d.tenders["tender_id"],
    }
    for entity_type, ids in targets.items():
        assert m.loc[m["entity_type"] == entity_type, "entity_id"].isin(ids).all()
    assert set(m["scheme_id"]) == set(world.schemes["scheme_id"])
    assert (m["first_on"] <= m["last_on"]).all()
    assert (world.schemes["started_on"] <= world.schemes["ended_on"]).all()
    assert world.schemes["ended_on"].max() <= pd.Timestamp(world.config.end)
