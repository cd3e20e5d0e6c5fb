"""Scoring one posted feature row with a champion, without pandas: the booster on a float64
row, the calibrator on its raw score, and the reasons as training/explain.py tells them
(strongest |contribution| first, zero contributions left out, the registry's sentences filled
from the posted values)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from serving.config import LEVELS, ServingConfig

if TYPE_CHECKING:  # importing them costs seconds: the state loads them at startup
    from features.registry import Registry
    from training.model import RiskModel


@dataclass(frozen=True)
class Scored:
    raw: float
    score: float
    contributions: np.ndarray  # one per model feature, without the bias


def feature_row(model: RiskModel, posted: Mapping[str, float | None]) -> np.ndarray:
    values = [posted.get(name) for name in model.features]
    return np.array([[np.nan if v is None else float(v) for v in values]], dtype="float64")


def score_row(model: RiskModel, row: np.ndarray) -> Scored:
    raw = float(model.booster.predict(row, raw_score=True, num_threads=1)[0])
    contributions = model.booster.predict(row, pred_contrib=True, num_threads=1)[0][:-1]
    return Scored(raw, float(model.calibrator(np.array([raw]))[0]), contributions)


def _plain(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 6)


def reasons(model: RiskModel, row: np.ndarray, contributions: np.ndarray, registry: Registry,
            top: int) -> list[dict[str, object]]:
    values = dict(zip(model.features, row[0].tolist(), strict=True))
    order = np.argsort(-np.abs(contributions), kind="stable")[:top]
    return [
        {"feature": model.features[j], "value": _plain(row[0, j]),
         "contribution": round(float(contributions[j]), 4),
         "text": registry.get(model.features[j]).sentence(values)}
        for j in order if contributions[j] != 0.0
    ]


def level_by_threshold(score: float, config: ServingConfig) -> str:
    """The highest level whose threshold the score reaches; capacity plays no part here."""
    return next((level for level in LEVELS if score >= config.levels[level].threshold), "none")
