"""A rule card: one supervision model, as people write it in YAML.

    id: SM-003
    title: Split purchases just below the open-tender threshold
    domain: procurement
    supervision_point: >
      A buyer keeps one supplier under the open-tender threshold by splitting the purchase.
    entity_type: tender
    tables: [features]
    rule:
      filter: split_direct_awards = 1 or just_below_threshold = 1
    severity: medium
    owner: 第二监督检查室
    status: draft
    version: 1
    created: 2026-11-26
    changed: 2026-11-26
    scheme: split_purchase
    expected:
      min_precision: 0.5

`rule.filter` is a boolean SQL expression over the columns of the entity type's feature table
(`huoyan features` lists them); `rule.sql` is one SELECT over the contract tables returning
`entity_id` (and optionally `evidence`, a sentence for the reviewer), where `:as_of` is the
as-of date. Both only ever see what was known before the as-of date. With both, an entity hits
when it is returned by the query and passes the filter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from features.registry import EntityType

Severity = Literal["high", "medium", "low"]
Status = Literal["draft", "published", "retired"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
STATUSES: tuple[Status, ...] = ("draft", "published", "retired")
RULE_ID = r"^[A-Z][A-Z0-9]{1,7}-[0-9]{3,4}$"  # e.g. SM-001, OCDS-030
FEATURES_TABLE = "features"  # the entity type's feature table, as a rule's query sees it
# A frame of hits (rulebook/hits.py evaluates them, rulebook/store.py keeps them per day).
HIT_COLUMNS = ["rule_id", "version", "entity_type", "entity_id", "evidence"]


class CardError(ValueError):
    """A card that cannot be used; the message names the card (file or id), the field and the
    rule it breaks."""


class Logic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    filter: str | None = None  # boolean SQL expression over the feature table
    sql: str | None = None  # SELECT ... AS entity_id [, ... AS evidence] FROM contract tables

    @model_validator(mode="after")
    def _something(self) -> Logic:
        if not (self.filter or self.sql):
            raise ValueError("a rule needs a filter, a sql query, or both")
        return self


class Expected(BaseModel):
    """What the card's author claims its backtest shows; the backtest checks the claim."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_precision: float | None = Field(None, ge=0, le=1)  # confirmed / decided, hit entities
    min_hits: int = Field(1, ge=0)  # hit entities over the backtest window


class RuleCard(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=RULE_ID)
    title: str = Field(min_length=3, max_length=200)
    domain: str = Field(min_length=2, max_length=64)
    supervision_point: str = Field(min_length=3)
    entity_type: EntityType
    tables: tuple[str, ...] = Field(min_length=1)  # contract tables and/or "features"
    rule: Logic
    severity: Severity
    owner: str = Field(min_length=1, max_length=64)
    status: Status = "draft"
    version: int = Field(1, ge=1)
    created: dt.date
    changed: dt.date
    scheme: str | None = None  # the `cases.scheme` it looks for, where there is one
    expected: Expected = Expected()
    typical_cases: tuple[str, ...] = ()  # short descriptions of cases it found

    @model_validator(mode="after")
    def _dates(self) -> RuleCard:
        if self.changed < self.created:
            raise ValueError(f"changed ({self.changed}) is before created ({self.created})")
        return self

    def logic_hash(self) -> str:
        """What makes two cards fire alike: entity type and rule (not the words around them)."""
        content = json.dumps({"entity_type": self.entity_type, **self.rule.model_dump()},
                             sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(content.encode()).hexdigest()[:16]

    def content_hash(self) -> str:
        """Everything but status, version and dates: whether a publication changes the card."""
        body = self.model_dump(mode="json", exclude={"status", "version", "created", "changed"})
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json", exclude_none=True),
                              allow_unicode=True, sort_keys=False, width=100)


def _describe(error: ValidationError, where: str) -> str:
    lines = []
    for problem in error.errors():
        field = ".".join(str(p) for p in problem["loc"]) or "(card)"
        lines.append(f"{where}: field {field}: {problem['msg']}")
    return "\n".join(lines)


def parse_card(data: object, where: str) -> RuleCard:
    """A card from parsed YAML/JSON; CardError naming `where` and each bad field."""
    if not isinstance(data, dict):
        raise CardError(f"{where}: a card is a mapping of fields, got {type(data).__name__}")
    try:
        return RuleCard.model_validate(data)
    except ValidationError as error:
        raise CardError(_describe(error, where)) from None


def card_from_yaml(text: str, where: str = "card") -> RuleCard:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CardError(f"{where}: not valid YAML: {error}") from None
    return parse_card(data, where)


def read_card(path: Path) -> RuleCard:
    return card_from_yaml(Path(path).read_text(encoding="utf-8"), str(path))
