"""`huoyan train` end to end: the table it prints, what MLflow holds, the gate and `promote`."""

from __future__ import annotations

import json
import re

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from data_contracts.contract import CONTRACT_VERSION
from features.catalog import registry
from features.registry import REGISTRY_VERSION
from tests.training.conftest import ENTITY_TYPES, Latest, Trained, feature_registry, huoyan
from training import tracking
from training.model import RiskModel, fit_calibrator, train_booster
from training.pipeline import Holdout, gate

SCORERS = ("model", "red_flags", "random")


def alias(store: MlflowClient, name: str, alias_name: str) -> str:
    return str(store.get_model_version_by_alias(name, alias_name).version)


def champion_run(store: MlflowClient, entity_type: str):
    version = store.get_model_version_by_alias(tracking.model_name(entity_type), "champion")
    return version, store.get_run(version.run_id)


def test_train_prints_precision_at_k_per_type_and_registers_three_champions(
    trained: Trained, store: MlflowClient
) -> None:
    rows = [line.split() for line in trained.stdout.splitlines()]
    assert rows[0][:4] == ["entity", "type", "splits", "scorer"] and "precision@100" in rows[0]
    for entity_type in ENTITY_TYPES:
        printed = {row[2]: row for row in rows if row and row[0] == entity_type and len(row) == 8}
        assert set(printed) == set(SCORERS)
        assert int(printed["model"][1]) >= 2  # several splits, moving forward in time
        assert f"{entity_type}: champion: first model" in trained.stdout
        name = tracking.model_name(entity_type)
        assert [str(v.version) for v in store.search_model_versions(f"name='{name}'")] == ["1"]
        for alias_name in ("champion", "challenger"):
            assert alias(store, name, alias_name) == "1"
        assert store.get_model_version(name, "1").tags["promotion"] == "gate: first model"


def test_a_run_records_what_it_learnt_from_and_how_it_did(store: MlflowClient) -> None:
    features = feature_registry()
    for entity_type in ENTITY_TYPES:
        version, run = champion_run(store, entity_type)
        params, tags, logged = run.data.params, run.data.tags, run.data.metrics
        assert {"lgbm_num_leaves", "lgbm_min_data_in_leaf", "k", "label_rows"} <= set(params)
        assert params["features"] == str(len(features.names(entity_type)))
        assert tags["contract_version"] == CONTRACT_VERSION
        assert tags["feature_registry_version"] == REGISTRY_VERSION
        assert re.fullmatch(r"[0-9a-f]{16}", tags["data_hash"])
        assert tags["gate"].startswith("champion: first model")
        for split in params["splits"].split(","):  # every split evaluated has every scorer
            if f"{split}.model.truth_precision_at_k" in logged:
                assert {f"{split}.{s}.truth_precision_at_k" for s in SCORERS} <= set(logged)
        assert {f"mean.{s}.truth_precision_at_k" for s in SCORERS} <= set(logged)

        artifacts = {a.path for a in store.list_artifacts(run.info.run_id)}
        assert {"calibrator.json", "features.json", "rules.json", "search_trials.json",
                "top_reasons.json", "plots"} <= artifacts
        cards = json.loads(mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/rules.json"))
        assert {f"rule_{c['id'].lower().replace('-', '_')}" for c in cards} <= set(
            features.names(entity_type))
        plots = [a.path for a in store.list_artifacts(run.info.run_id, "plots")]
        assert "plots/shap_summary.png" in plots
        assert any(p.startswith("plots/shap_dependence_") for p in plots)

        info = mlflow.models.get_model_info(f"models:/{tracking.model_name(entity_type)}/1")
        inputs = info.signature.inputs.to_dict()
        assert [c["name"] for c in inputs] == json.loads(
            mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/features.json"))
        assert {c["type"] for c in inputs} == {"double"}
        assert info.saved_input_example_info is not None


def test_the_model_beats_the_red_flag_index_on_ground_truth(store: MlflowClient) -> None:
    """The planted schemes, labelled or not: what the top k really holds, averaged over splits."""
    for entity_type in ENTITY_TYPES:
        _, run = champion_run(store, entity_type)
        m = run.data.metrics
        model, flags, chance = (m[f"mean.{s}.truth_precision_at_k"] for s in SCORERS)
        assert model > flags and model > 2 * chance, (entity_type, model, flags, chance)


def test_the_top_entities_come_with_reasons_in_plain_sentences(store: MlflowClient) -> None:
    for entity_type in ENTITY_TYPES:
        _, run = champion_run(store, entity_type)
        top = mlflow.artifacts.load_dict(f"runs:/{run.info.run_id}/top_reasons.json")
        assert len(top) == 20 and [t["score"] for t in top] == sorted(
            (t["score"] for t in top), reverse=True)
        for entity in top:
            sizes = [abs(r["contribution"]) for r in entity["reasons"]]
            assert entity["reasons"] and sizes == sorted(sizes, reverse=True)
            assert all("{" not in r["text"] and r["text"] for r in entity["reasons"])


def _inverted_model(champion: RiskModel, cohort: pd.DataFrame) -> RiskModel:
    """A real booster taught the reverse of the champion's ranking: a challenger that must lose."""
    x = champion.matrix(cohort)
    reverse = (champion.raw(cohort) < np.median(champion.raw(cohort))).astype(int)
    booster = train_booster(x, reverse, {"num_leaves": 8, "num_boost_round": 30}, [0] * x.shape[1])
    return RiskModel(champion.entity_type, booster, champion.features,
                     fit_calibrator(np.array([]), np.array([])), {}, rules=champion.rules)


def _holdout(latest: Latest, entity_type: str) -> Holdout:
    rows = latest.labels[latest.labels["entity_type"] == entity_type]
    red_flags = [f.name for f in registry().of(entity_type) if f.red_flag]
    return Holdout(latest.split.name, latest.cohorts[entity_type], latest.split.test_labels(rows),
                   None, red_flags, 100)


def test_the_gate_keeps_a_worse_challenger_out_and_promote_overrides_it(
    trained: Trained, latest: Latest, store: MlflowClient
) -> None:
    # The type whose champion has a defined precision@k on the latest holdout (labelled rows
    # in its top k): there the gate has something to decide on.
    holdouts = {t: _holdout(latest, t) for t in ENTITY_TYPES}
    champions = {t: tracking.champion(t) for t in ENTITY_TYPES}
    decidable = [t for t in ENTITY_TYPES
                 if holdouts[t].evaluate(champions[t][0])["model"]["precision_at_k"] > 0]
    assert decidable, "no entity type has a confirmed label in its champion's top k"
    entity_type = decidable[0]
    holdout, (good, good_version) = holdouts[entity_type], champions[entity_type]
    name = tracking.model_name(entity_type)

    bad = _inverted_model(good, holdout.cohort)
    with mlflow.start_run(run_name=f"{entity_type}-inverted"):
        bad_version = tracking.log_model(bad, holdout.cohort)
        verdict = gate(bad_version, holdout.evaluate(bad), holdout)
    assert verdict.startswith("stays challenger: challenger") and good_version.label in verdict
    assert alias(store, name, "champion") == good_version.version
    assert alias(store, name, "challenger") == bad_version.version

    # A person overrides the gate, with a reason, and it is recorded on the version.
    done = huoyan(trained.home, "promote", entity_type, bad_version.version,
                  "--reason", "keep the inverted model for a drill")
    assert done.returncode == 0, done.stderr
    assert alias(store, name, "champion") == bad_version.version
    tags = store.get_model_version(name, bad_version.version).tags
    assert tags["promotion"] == "manual override"
    assert tags["promotion_reason"] == "keep the inverted model for a drill" and tags["promoted_by"]

    # The better model, gated again on the same holdout, takes the champion back.
    verdict = gate(good_version, holdout.evaluate(good), holdout)
    assert verdict.startswith("champion: challenger") and bad_version.label in verdict
    assert alias(store, name, "champion") == good_version.version
    assert store.get_model_version(name, good_version.version).tags["promotion"] == "gate"


@pytest.mark.parametrize("args, message", [
    (["official", "99", "--reason", "x"], "99"),
    (["official", "1", "--reason", "  "], "reason"),
    (["official", "1"], "--reason"),
])
def test_promote_refuses_what_it_cannot_record(trained: Trained, args, message) -> None:
    done = huoyan(trained.home, "promote", *args)
    assert done.returncode == 2 and message in done.stderr


def test_train_says_plainly_when_there_is_nothing_to_learn_from(tmp_path) -> None:
    from tests.worlds import generate_world

    world = tmp_path / "world"
    generate_world(world, 3, 2_000, "--investigated", "0", "--spot-checks", "0")
    done = huoyan(tmp_path / "home", "train", "--data", str(world))
    assert done.returncode == 1 and "do not make a temporal split" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    (world / "cases.parquet").unlink()
    done = huoyan(tmp_path / "home", "train", "--data", str(world))
    assert done.returncode == 2 and "no cases table" in done.stderr
