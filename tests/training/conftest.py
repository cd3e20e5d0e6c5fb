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
    SHIPPED_RULES,
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
    tables = load(dataset)
    built = build_features(tables, split.split_on.date())
    return Latest(split, labels, with_rule_hits(tables, built), dataset)


def shipped_cards() -> list:
    """The cards the trained home published before training (tests/conftest.py)."""
    from rulebook.library import read_cards

    return [card for _, card in read_cards([SHIPPED_RULES])]


def with_rule_hits(tables, built: dict) -> dict[str, pd.DataFrame]:  # noqa: ANN001
    """Each type's features with the shipped cards' hit columns, as training saw them."""
    from rulebook.hits import add_hit_features, evaluate

    cohorts = {}
    for entity_type, table in built.items():
        cards = [c for c in shipped_cards() if c.entity_type == entity_type]
        hits = evaluate(tables, table.as_of, entity_type, table.frame, cards)
        cohorts[entity_type] = add_hit_features(table.frame, hits, cards).set_index("entity_id")
    return cohorts


def feature_registry():  # noqa: ANN201 - a Registry
    """The registry with the shipped cards' hit features, as training declared them."""
    from features.catalog import registry
    from rulebook.hits import with_rule_features

    return with_rule_features(registry(), shipped_cards())
