"""The trained home (tests/conftest.py: one `huoyan train` per session) opened for the
training tests: its MLflow store, and its latest split's cohorts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest
from mlflow import MlflowClient

from tests.conftest import (  # noqa: F401 - re-exported for the training tests
    ENTITY_TYPES,
    MIN_POSITIVES,
    TRAIN_SEED,
    TRAIN_TENDERS,
    Trained,
    huoyan,
)

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
