"""Schemas of the dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from serving.api.cases.schemas import CaseWithWarnings
from serving.api.common import EntityType, Level


class Identity(BaseModel):
    entity_type: EntityType
    entity_id: str
    name: str | None = Field(description="null for a person unless the caller may read names")
    pseudonym: str | None = Field(description="a person's pseudonymous id; null otherwise")
    is_person: bool
    region: str | None
    details: dict[str, Any]
    as_of: dt.date | None = Field(description="the ranking date the identity was taken at")


class FeatureValue(BaseModel):
    name: str
    value: float | None
    description: str
    unit: str
    text: str = Field(description="the registry's sentence filled with the entity's values")


class Features(BaseModel):
    as_of: dt.date | None = Field(description="the latest ranking that kept the entity's features")
    values: list[FeatureValue]


class ScorePoint(BaseModel):
    as_of: dt.date
    score: float
    rank: int
    level: Level
    model_version: str


class Latest(ScorePoint):
    reasons: list[dict[str, Any]] = Field(description="top contributions, strongest first")
    rules: list[Any] = Field(description="rule-library rules that fired")


class Link(BaseModel):
    linked_type: str
    linked_id: str
    name: str | None = Field(description="null for a person unless the caller may read names")
    pseudonym: str | None
    is_person: bool
    relation: str
    weight: float | None


class RuleHitOut(BaseModel):
    rule_id: str
    version: int = Field(description="the card version that hit")
    title: str | None = Field(description="the rule's current title")
    severity: str | None
    as_of: dt.date = Field(description="the entity's latest ranked day with a rule hit")
    evidence: str | None = Field(description="what the rule found, for the reviewer")


class Dossier(BaseModel):
    identity: Identity
    latest: Latest | None
    features: Features
    history: list[ScorePoint] = Field(description="every ranking of the entity, oldest first")
    links: list[Link]
    cases: list[CaseWithWarnings]
    rule_hits: list[RuleHitOut] = Field(description="the rule library's hits on the entity's "
                                                    "latest day with any, most severe first")
