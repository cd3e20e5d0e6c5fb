"""Schemas of what-if scoring."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from serving.api.common import EntityType, Level

FeatureNumber = Annotated[float, Field(allow_inf_nan=False)]


class ScoreIn(BaseModel):
    features: dict[str, FeatureNumber | None] = Field(
        description="feature name -> value; null or left out = unknown (NaN to the model)",
        examples=[{"top_buyer_share_365d": 0.78, "wins_365d": 9}],
    )


class Reason(BaseModel):
    feature: str
    value: float | None
    contribution: float = Field(description="to the raw score (log-odds)")
    text: str


class ScoreOut(BaseModel):
    entity_type: EntityType
    model_version: str = Field(description="registry name and version, e.g. huoyan-tender/3")
    score: float = Field(description="calibrated probability, 0..1")
    raw_score: float = Field(description="the booster's raw score (log-odds)")
    level: Level = Field(description="by the level thresholds alone (no daily capacity)")
    reasons: list[Reason] = Field(description="strongest first, by absolute contribution")
    missing: list[str] = Field(description="features not given, scored as unknown")
