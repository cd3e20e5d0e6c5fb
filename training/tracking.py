"""MLflow: runs, the model registry, and the champion/challenger aliases.

Registered models are `huoyan-official`, `huoyan-enterprise`, `huoyan-tender`. A new version
gets the alias `challenger`; it takes `champion` only if it beats the champion's precision@k
on the same latest holdout split (or if there is no champion yet). `huoyan promote` overrides
the gate, and the override is recorded as tags on the version (who decides is a person, with a
reason, like every decision in huoyan).

The tracking store is SQLite under HUOYAN_HOME by default (MLFLOW_TRACKING_URI overrides), and
artifacts go under HUOYAN_HOME/mlartifacts, never into the working directory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature

from huoyan.settings import Settings, get_settings
from rulebook.card import RuleCard
from training.model import Calibrator, RiskModel

EXPERIMENT = "huoyan"
CHAMPION, CHALLENGER = "champion", "challenger"
RULES_FILE = "rules.json"  # the rule cards whose hits the model reads as features
# Explicit requirements: inferring them costs seconds per model and guesses.
PIP_REQUIREMENTS = [f"lightgbm=={lgb.__version__}", f"numpy=={np.__version__}",
                    f"pandas=={pd.__version__}"]


def model_name(entity_type: str) -> str:
    return f"huoyan-{entity_type}"


def connect(settings: Settings | None = None) -> MlflowClient:
    """Point MLflow at this home's store and make sure the experiment exists."""
    settings = (settings or get_settings()).ensure()
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    client = MlflowClient()
    if client.get_experiment_by_name(EXPERIMENT) is None:
        artifacts = settings.root / "mlartifacts"
        client.create_experiment(EXPERIMENT, artifact_location=artifacts.as_uri())
    mlflow.set_experiment(EXPERIMENT)
    return client


@dataclass(frozen=True)
class Registered:
    entity_type: str
    version: str
    run_id: str

    @property
    def label(self) -> str:
        return f"{model_name(self.entity_type)}/{self.version}"


def log_model(model: RiskModel, example: pd.DataFrame) -> Registered:
    """Log the booster (with a float64 signature and an input example), its calibrator and
    feature list into the active run, register a new version and make it the challenger."""
    x = model.matrix(example)
    signature = infer_signature(x, model.predict(x))
    info = mlflow.lightgbm.log_model(
        model.booster, name="model", signature=signature, input_example=x.head(5),
        pip_requirements=PIP_REQUIREMENTS, registered_model_name=model_name(model.entity_type),
    )
    mlflow.log_text(model.calibrator.to_json(), "calibrator.json")
    mlflow.log_text(json.dumps(model.features), "features.json")
    mlflow.log_text(json.dumps([c.model_dump(mode="json") for c in model.rules],
                               ensure_ascii=False, indent=1), RULES_FILE)
    version = str(info.registered_model_version)
    MlflowClient().set_registered_model_alias(model_name(model.entity_type), CHALLENGER, version)
    return Registered(model.entity_type, version, mlflow.active_run().info.run_id)


def load_version(entity_type: str, version_or_alias: str) -> tuple[RiskModel, Registered]:
    """The raw Booster and calibrator of a registered version ("3") or alias ("champion")."""
    client = MlflowClient()
    name = model_name(entity_type)
    if version_or_alias.isdigit():
        version = client.get_model_version(name, version_or_alias)
    else:
        version = client.get_model_version_by_alias(name, version_or_alias)
    booster = mlflow.lightgbm.load_model(f"models:/{name}/{version.version}")
    calibrator = Calibrator.from_json(mlflow.artifacts.load_text(f"runs:/{version.run_id}/calibrator.json"))
    features = json.loads(mlflow.artifacts.load_text(f"runs:/{version.run_id}/features.json"))
    model = RiskModel(entity_type, booster, features, calibrator, params={},
                      rules=_rules(version.run_id))
    return model, Registered(entity_type, str(version.version), version.run_id)


def _rules(run_id: str) -> tuple[RuleCard, ...]:
    """The rule cards a model was trained with (none for models older than the library)."""
    try:
        cards = json.loads(mlflow.artifacts.load_text(f"runs:/{run_id}/{RULES_FILE}"))
    except (OSError, MlflowException):
        return ()
    return tuple(RuleCard.model_validate(card) for card in cards)


def champion(entity_type: str) -> tuple[RiskModel, Registered] | None:
    try:
        return load_version(entity_type, CHAMPION)
    except MlflowException:
        return None


REFERENCE_FILE = "reference.parquet"  # a run's scored population sample (pipeline.py)


def reference(registered: Registered) -> pd.DataFrame:
    """The population sample the version was chosen on: entity_id, features, raw, score."""
    path = mlflow.artifacts.download_artifacts(f"runs:/{registered.run_id}/{REFERENCE_FILE}")
    return pd.read_parquet(path)


def registered(entity_type: str, version: str) -> Registered:
    """A registered version's identity (nothing loaded)."""
    found = MlflowClient().get_model_version(model_name(entity_type), version)
    return Registered(entity_type, str(found.version), found.run_id)


def champion_version(entity_type: str) -> str | None:
    """The version the champion alias points at now (one registry query, nothing loaded)."""
    try:
        return str(MlflowClient().get_model_version_by_alias(model_name(entity_type),
                                                             CHAMPION).version)
    except MlflowException:
        return None


def set_champion(registered: Registered, tags: dict[str, Any]) -> None:
    client = MlflowClient()
    name = model_name(registered.entity_type)
    client.set_registered_model_alias(name, CHAMPION, registered.version)
    for key, value in tags.items():
        client.set_model_version_tag(name, registered.version, key, str(value))


def promote(entity_type: str, version: str, reason: str, by: str) -> Registered:
    """Make a version champion by a person's decision, bypassing the gate; recorded as tags."""
    if not reason.strip():
        raise ValueError("a promotion needs a reason")
    try:
        _, registered = load_version(entity_type, version)
    except MlflowException:
        raise ValueError(f"{model_name(entity_type)} has no version {version}") from None
    set_champion(registered, {
        "promotion": "manual override", "promotion_reason": reason, "promoted_by": by,
        "promoted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    })
    return registered


def artifacts_dir(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).root / "mlartifacts"
