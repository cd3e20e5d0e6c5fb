"""Behavioural tests of the trained champions: what must hold whatever the data taught them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from mlflow import MlflowClient

from features.backend import load
from features.build import build_features
from features.catalog import registry
from tests.training.conftest import ENTITY_TYPES, Latest, feature_registry, with_rule_hits
from training import tracking
from training.model import RiskModel, fit_calibrator, train_booster

PROTECTED = ("gender", "birth", "age_band")


def monotone_violations(model: RiskModel, cohort: pd.DataFrame, directions: dict[str, int],
                        rows: int = 400) -> tuple[list[str], int]:
    """Features where raising the value (by the cohort's whole range, where it is known) moved
    some row's score against the declared direction; and how many features were tried."""
    sample = cohort.sample(min(rows, len(cohort)), random_state=1)
    base = model.raw(sample)
    violated, tried = [], 0
    for name in model.features:
        direction = directions[name]
        spread = cohort[name].max() - cohort[name].min()
        if direction == 0 or not spread > 0:
            continue
        raised = model.raw(sample.assign(**{name: sample[name] + spread}))  # NaN stays NaN
        tried += 1
        if ((raised - base) * direction < -1e-9).any():
            violated.append(name)
    return violated, tried


def test_more_of_a_monotone_signal_never_lowers_the_score(store: MlflowClient, latest: Latest) -> None:
    features = feature_registry()
    for entity_type in ENTITY_TYPES:
        model, _ = tracking.champion(entity_type)
        directions = {name: features.get(name).monotone for name in model.features}
        violated, tried = monotone_violations(model, latest.cohorts[entity_type], directions)
        assert tried >= 10 and violated == [], (entity_type, violated)


def test_the_monotone_check_catches_an_unconstrained_model(latest: Latest) -> None:
    """The control: the same check on a booster trained without constraints, on noise."""
    features = registry()
    cohort = latest.cohorts["tender"]
    names = features.names("tender")
    noise = np.random.default_rng(0).integers(0, 2, len(cohort))
    booster = train_booster(cohort[names].astype("float64"), noise,
                            {"num_leaves": 16, "num_boost_round": 60}, [0] * len(names))
    free = RiskModel("tender", booster, names, fit_calibrator(np.array([]), np.array([])), {})
    violated, _ = monotone_violations(free, cohort, {n: features.get(n).monotone for n in names})
    assert violated


def test_protected_attributes_are_no_features_and_changing_them_changes_no_score(
    store: MlflowClient, latest: Latest
) -> None:
    for entity_type in ENTITY_TYPES:
        model, _ = tracking.champion(entity_type)
        assert not [f for f in model.features if any(p in f for p in PROTECTED)]

    persons = latest.dataset.persons.copy()
    persons["gender"] = persons["gender"].map({"f": "m", "m": "f"}).astype(persons["gender"].dtype)
    persons["birth_year"] = persons["birth_year"] - 23
    changed = dataclasses.replace(latest.dataset, persons=persons)
    tables = load(changed)
    rebuilt = with_rule_hits(tables, build_features(tables, latest.split.split_on.date()))
    for entity_type in ENTITY_TYPES:
        model, _ = tracking.champion(entity_type)
        again = rebuilt[entity_type]
        pd.testing.assert_frame_equal(again, latest.cohorts[entity_type])
        np.testing.assert_array_equal(model.predict(again), model.predict(latest.cohorts[entity_type]))
