"""One `huoyan train` per test session, on a world of its own, in a home of its own.

The run is the real command in a subprocess (its stdout is the table people read); tests then
open the MLflow store it wrote. The world is smaller than the demo's, so the fewest confirmed
rows a split may learn from is lowered to 5 (the demo uses 15).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from mlflow import MlflowClient

from tests.worlds import generate_world, truth_members

TRAIN_SEED = 5
TRAIN_TENDERS = 16_000
MIN_POSITIVES = 5
ENTITY_TYPES = ("official", "enterprise", "tender")


@dataclass
class Trained:
    home: Path
    world: Path
    stdout: str
    stderr: str

    @property
    def members(self) -> pd.DataFrame:
        return truth_members(self.world)


def huoyan(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    return subprocess.run([sys.executable, "-m", "huoyan", *args], env={**env, "HUOYAN_HOME": str(home)},
                          capture_output=True, text=True)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Trained:
    home = tmp_path_factory.mktemp("train-home")
    world = generate_world(home / "demo" / "world", TRAIN_SEED, TRAIN_TENDERS)
    run = huoyan(home, "train", "--data", str(world), "--search-seconds", "1",
                 "--min-positives", str(MIN_POSITIVES))
    assert run.returncode == 0, run.stderr[-3000:]
    return Trained(home, world, run.stdout, run.stderr)


@pytest.fixture
def store(trained: Trained, monkeypatch: pytest.MonkeyPatch) -> MlflowClient:
    """This process pointed at the trained home's MLflow store."""
    from training import tracking

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.setenv("HUOYAN_HOME", str(trained.home))
    return tracking.connect()


@dataclass
class Latest:
    """The trained world's latest split: its date, label rows, and cohorts with features."""

    split: object  # training.splits.TemporalSplit
    labels: pd.DataFrame
    cohorts: dict[str, pd.DataFrame]  # entity type -> features indexed by entity_id
    dataset: object  # data_contracts.loader.Dataset


@pytest.fixture(scope="session")
def latest(trained: Trained) -> Latest:
    from data_contracts.loader import load_dataset
    from features.backend import load
    from features.build import build_features
    from training.pipeline import TrainParams, labels_and_splits

    dataset = load_dataset(trained.world)
    labels, splits = labels_and_splits(dataset.cases, TrainParams())
    split = splits[-1]
    built = build_features(load(dataset), split.split_on.date())
    cohorts = {t: b.frame.set_index("entity_id") for t, b in built.items()}
    return Latest(split, labels, cohorts, dataset)
