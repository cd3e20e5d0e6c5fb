"""One generated world per test session, its ground truth, and its features at an as-of date.

Feature tests that ask "does this scheme light its feature?" share it, so the world is made and
the features built once. The world is small enough for CI and large enough that each planted
scheme involves dozens of entities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_contracts.loader import Dataset, load_dataset
from features.backend import Tables, load
from features.build import FeatureTable, build_features
from tests import worlds

WORLD_SEED = 11
WORLD_TENDERS = 20_000
AS_OF = dt.date(2026, 7, 1)  # three months before the world's end: recent schemes are live


@dataclass
class World:
    directory: Path
    dataset: Dataset
    tables: Tables
    members: pd.DataFrame  # ground truth: scheme_id, scheme, entity_type, entity_id, role, ...
    features: dict[str, FeatureTable]

    def involved(self, entity_type: str, scheme: str) -> set[str]:
        m = self.members
        return set(m[(m.entity_type == entity_type) & (m.scheme == scheme)].entity_id)

    def honest(self, entity_type: str) -> set[str]:
        m = self.members
        return set(self.features[entity_type].frame.entity_id) - set(
            m[m.entity_type == entity_type].entity_id
        )


def generate_world(directory: Path, seed: int = WORLD_SEED, tenders: int = WORLD_TENDERS) -> Path:
    return worlds.generate_world(directory, seed, tenders)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    directory = generate_world(tmp_path_factory.mktemp("world") / "data")
    dataset = load_dataset(directory)
    tables = load(dataset)
    members = worlds.truth_members(directory)
    return World(directory, dataset, tables, members, build_features(tables, AS_OF))


def auroc(involved: pd.Series, honest: pd.Series) -> float:
    """Probability that an involved entity's value exceeds an honest one's (ties count half):
    1.0 separates perfectly, 0.5 is no better than chance. Missing values count as lowest."""
    a = involved.fillna(-np.inf).to_numpy()
    b = honest.fillna(-np.inf).to_numpy()
    ranks = pd.Series(np.concatenate([a, b])).rank(method="average").to_numpy()
    return float((ranks[: len(a)].sum() - len(a) * (len(a) + 1) / 2) / (len(a) * len(b)))


def separation(world: World, entity_type: str, scheme: str, feature: str) -> tuple[float, int]:
    """(AUROC of `feature` for the scheme's in-scope members against honest entities, members)."""
    frame = world.features[entity_type].frame.set_index("entity_id")[feature]
    members = sorted(world.involved(entity_type, scheme) & set(frame.index))
    honest = sorted(world.honest(entity_type) & set(frame.index))
    return auroc(frame.loc[members], frame.loc[honest]), len(members)
