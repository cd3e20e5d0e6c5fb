"""What every monitor returns beside its figures: alerts, and the limits that raise them.

Limits are read from `$HUOYAN_HOME/monitoring.yaml` when it exists (any key may be left out:
the defaults below stand). A scheduler runs `huoyan monitor` daily; any alert makes it exit 1.
"""

from __future__ import annotations

from typing import Literal

import yaml
from pydantic import BaseModel, Field

from huoyan.settings import Settings, get_settings


class Alert(BaseModel, frozen=True):
    """One limit passed. `subject` names what passed it (a feature, a group, a reviewer)."""

    monitor: str  # drift, score_drift, fairness, sparsity, coverage, reviewer, audit_sample
    entity_type: str | None
    subject: str
    message: str  # one plain sentence a supervisor can act on
    value: float | None = None
    limit: float | None = None


class MonitoringConfig(BaseModel, frozen=True):
    # Drift: alert when more than this share of a type's features drifted (Evidently's
    # per-column tests at its default thresholds), or when the score distribution drifted
    # (Wasserstein distance, normed by the reference's standard deviation, above the limit).
    drifted_share_limit: float = Field(0.3, ge=0, le=1)
    score_drift_limit: float = Field(0.1, ge=0)
    drift_sample_rows: int = Field(20_000, ge=100)  # rows per side given to Evidently
    # Fairness: a group's ratio to the reference group outside [low, high] whose bootstrap
    # interval also excludes 1 is a disparity; groups under `min_group_size` entities (or
    # reviewed flags, for review-based rates) are reported as small, never alarmed.
    parity_band: tuple[float, float] = (0.8, 1.25)
    # Which groups the population rates (flag rate, share of the top k) alarm on. Risk is not
    # spread evenly over procurement methods or ranks (direct awards and leading posts carry
    # more), so by default only the protected attributes, which no model sees, alarm on them;
    # the review-based rates (confirm, false discovery, false positive) alarm on every group,
    # since a model that is wrong more often for one group is unfair whatever its base rate.
    population_rate_alerts: Literal["protected", "all"] = "protected"
    min_group_size: int = Field(30, ge=1)
    bootstrap_samples: int = Field(200, ge=20)
    top_k: int = Field(100, ge=1)
    # Sparsity: groups whose entities miss more than this share of feature values.
    sparse_share_limit: float = Field(0.5, ge=0, le=1)
    # Review coverage: reviewers whose dismissal rate lies more than `outlier_z` standard
    # deviations from their peers' (with at least `min_reviewer_decisions`) are reported.
    outlier_z: float = Field(2.0, gt=0)
    min_reviewer_decisions: int = Field(10, ge=1)
    # (The random audit sample's share is the ranking's: serving.config.ServingConfig.)


def load_monitoring_config(settings: Settings | None = None) -> MonitoringConfig:
    path = (settings or get_settings()).root / "monitoring.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if data is not None and not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return MonitoringConfig(**(data or {}))
