"""Schemas of the rule library routes. A card is answered as the library keeps it
(rulebook.card.RuleCard: every field); a card sent in is its YAML text, as people write it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, model_validator

from rulebook.card import RULE_ID, RuleCard, Severity, Status
from serving.api.common import EntityType

CARD_CHARS = 100_000  # far above any real card; keeps a request from parsing megabytes of YAML


class CardIn(BaseModel):
    card: str = Field(min_length=1, max_length=CARD_CHARS, description="the card, in YAML")


class PublishIn(CardIn):
    note: str = Field("", max_length=2000, description="why this version; kept with it")


class RetireIn(BaseModel):
    reason: str = Field(min_length=3, max_length=2000, description="why; kept with the version")


class BacktestIn(BaseModel):
    """A draft card (its YAML) or a rule of the library (its id): exactly one."""

    card: str | None = Field(None, min_length=1, max_length=CARD_CHARS)
    rule_id: str | None = Field(None, pattern=RULE_ID)
    end: dt.date | None = Field(None, description="the last as-of month (default: the data's "
                                                  "last month)")
    months: int = Field(12, ge=1, le=36, description="as-of dates: the first day of each month")

    @model_validator(mode="after")
    def _one_card(self) -> BacktestIn:
        if (self.card is None) == (self.rule_id is None):
            raise ValueError("give either card (YAML) or rule_id, not both or neither")
        return self


class ValidOut(BaseModel):
    ok: bool = True
    card: RuleCard


class MonthHits(BaseModel):
    month: str = Field(description="YYYY-MM")
    hits: int = Field(description="entities hit at the first day of the month")
    new: int = Field(description="of them, not hit the month before")


class BacktestOut(BaseModel):
    """rulebook.backtest.BacktestResult, as stored."""

    rule_id: str
    version: int
    entity_type: EntityType
    content_hash: str
    start: dt.date
    end: dt.date
    months: list[MonthHits]
    hit_entities: int
    confirmed: int
    dismissed: int
    inconclusive: int
    unlabelled: int
    precision: float | None = Field(description="confirmed / (confirmed + dismissed)")
    truth_precision: float | None = Field(description="against the ground truth, synthetic "
                                                      "worlds only")
    model_flagged: int
    model_overlap: float | None = Field(description="share of the hits the champion flags")
    queue_additions: list[str] = Field(description="hit at the end, not flagged, no open case")
    passed: bool = Field(description="the card's `expected` held")
    problems: list[str]
    run_at: dt.datetime
    run_by: str


class BacktestSummary(BaseModel):
    version: int
    precision: float | None
    hit_entities: int
    passed: bool
    run_at: dt.datetime


class HitDay(BaseModel):
    as_of: dt.date
    hits: int = Field(description="entities the rule hit on that ranked day")


class RuleSummary(BaseModel):
    id: str
    version: int
    status: Status
    entity_type: EntityType
    severity: Severity
    title: str
    domain: str
    owner: str
    changed: dt.date
    backtest: BacktestSummary | None = Field(description="the latest stored backtest")
    latest_day: dt.date | None = Field(description="the latest ranked day of its entity type")
    latest_hits: int = Field(description="entities it hit on that day")


class RuleLibrary(BaseModel):
    rules: list[RuleSummary]


class VersionOut(BaseModel):
    version: int
    status: Status
    changed_at: dt.datetime
    changed_by: str
    note: str
    content_hash: str
    card: RuleCard


class RuleDetail(BaseModel):
    card: RuleCard
    versions: list[VersionOut] = Field(description="oldest first")
    backtests: list[BacktestOut] = Field(description="oldest first")
    hits: list[HitDay] = Field(description="every ranked day of its entity type, oldest first")
