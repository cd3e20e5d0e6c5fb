"""A small synthetic world generated once per session, written to disk, loaded back through
the contract loader, with its ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from data_contracts.loader import Dataset, load_dataset
from data_contracts.synthetic.config import SchemeShares, WorldConfig
from data_contracts.synthetic.generate import write_world
from data_contracts.synthetic.progress import Progress

# Shares above the defaults, so that a small world still holds a dozen instances of each.
TEST_SHARES = SchemeShares(
    bid_rigging=0.03,
    conflict_of_interest=0.08,
    split_purchase=0.015,
    shell_company=0.02,
    tailored_tender=0.015,
    price_inflation=0.015,
    revolving_door=0.08,
)
TEST_CONFIG = WorldConfig(seed=11, tenders=10_000, shares=TEST_SHARES, unlabelled_months=9)


@dataclass(frozen=True)
class GeneratedWorld:
    config: WorldConfig
    out: Path
    truth_dir: Path
    data: Dataset
    schemes: pd.DataFrame
    members: pd.DataFrame
    summary: dict

    def members_of(self, scheme: str, entity_type: str) -> pd.DataFrame:
        m = self.members
        return m[(m["scheme"] == scheme) & (m["entity_type"] == entity_type)]

    def involved(self, entity_type: str) -> set[str]:
        return set(self.members.loc[self.members["entity_type"] == entity_type, "entity_id"])


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> GeneratedWorld:
    root = tmp_path_factory.mktemp("synthetic")
    out, truth = root / "world", root / "world-truth"
    summary = write_world(TEST_CONFIG, out, truth, "parquet", Progress(quiet=True))
    return GeneratedWorld(
        config=TEST_CONFIG,
        out=out,
        truth_dir=truth,
        data=load_dataset(out),
        schemes=pd.read_parquet(truth / "schemes.parquet"),
        members=pd.read_parquet(truth / "members.parquet"),
        summary=summary,
    )
