"""The service's configuration: warning levels, review due dates, reason codes, users.

Read from `$HUOYAN_HOME/serving.yaml` when it exists (any key may be left out: the defaults
below stand), users from `$HUOYAN_HOME/users.yaml` (or the file `HUOYAN_USERS_FILE` names).

Warning levels are given by score threshold *and* daily capacity per entity type: walking the
ranking from the top, an entity takes the highest level whose threshold its calibrated score
reaches and whose capacity is not yet used up, else the next one down. E.g. red (0.6, 10),
orange (0.3, 30), yellow (0.1, 60): at most 100 flags per type and day, the review capacity;
an entity at 0.65 ranked 11th is orange because ten reds were already given. Levels therefore
never rise as the rank falls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from huoyan.settings import Settings, get_settings

Role = Literal["analyst", "reviewer", "supervisor", "data_scientist", "admin"]
ROLES: tuple[Role, ...] = ("analyst", "reviewer", "supervisor", "data_scientist", "admin")
# Roles that may read persons' names; the others see pseudonymous ids only.
NAME_READERS: frozenset[str] = frozenset({"reviewer", "supervisor", "admin"})
LEVELS = ("red", "orange", "yellow")  # highest first; "none" below them
Decision = Literal["confirmed", "dismissed", "inconclusive"]


class LevelRule(BaseModel, frozen=True):
    threshold: float = Field(ge=0, le=1)  # calibrated score at or above which the level applies
    capacity: int = Field(ge=0)  # at most this many entities per type and day


class User(BaseModel, frozen=True):
    name: str
    roles: tuple[Role, ...]
    token: str | None = None  # plain bearer token, or
    token_sha256: str | None = None  # its SHA-256 hex digest (what a production file holds)

    @model_validator(mode="after")
    def _has_token(self) -> User:
        if not (self.token or self.token_sha256):
            raise ValueError(f"user {self.name!r} has neither token nor token_sha256")
        return self

    def holds(self, token: str) -> bool:
        if self.token is not None:
            return hmac.compare_digest(self.token.encode(), token.encode())
        digest = hashlib.sha256(token.encode()).hexdigest()
        return hmac.compare_digest(digest, self.token_sha256 or "")


class ServingConfig(BaseModel, frozen=True):
    levels: dict[str, LevelRule] = {
        "red": LevelRule(threshold=0.6, capacity=10),
        "orange": LevelRule(threshold=0.3, capacity=30),
        "yellow": LevelRule(threshold=0.1, capacity=60),
    }
    due_hours: dict[str, float] = {"red": 48, "orange": 7 * 24, "yellow": 14 * 24}
    reason_codes: dict[Decision, tuple[str, ...]] = {
        "confirmed": ("evidence_of_scheme", "procedural_violation", "referred_for_investigation"),
        "dismissed": ("legitimate_explanation", "data_error", "known_situation",
                      "insufficient_grounds"),
        "inconclusive": ("needs_more_information", "outside_mandate"),
    }
    reasons_per_entity: int = 5
    # The random audit sample: each day this share of every type's unflagged entities (at most
    # `audit_sample_max`) goes to review as cases of origin audit_sample, so that labels are
    # not only what the model chose and its misses can be measured. E.g. 0.001 of 200,000
    # tenders is 200, capped at 20 a day.
    audit_sample_share: float = Field(0.001, ge=0, le=1)
    audit_sample_max: int = Field(20, ge=0)
    # A hit of a high-severity rule card raises a flag at this level where the model's own
    # level is none (serving/ranking/rules.py).
    rule_flag_level: Literal["red", "orange", "yellow"] = "orange"
    users: tuple[User, ...] = ()

    @model_validator(mode="after")
    def _levels_known(self) -> ServingConfig:
        if set(self.levels) != set(LEVELS) or set(self.due_hours) != set(LEVELS):
            raise ValueError(f"levels and due_hours need exactly {', '.join(LEVELS)}")
        return self

    def due(self, level: str, since: dt.datetime) -> dt.datetime:
        return since + dt.timedelta(hours=self.due_hours[level])

    def user_for(self, token: str) -> User | None:
        return next((u for u in self.users if u.holds(token)), None)


def _read(path: Path) -> dict:
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def load_config(settings: Settings | None = None) -> ServingConfig:
    settings = settings or get_settings()
    data = _read(settings.root / "serving.yaml")
    users_file = Path(os.environ.get("HUOYAN_USERS_FILE", settings.root / "users.yaml"))
    users = _read(users_file).get("users", data.pop("users", []))
    return ServingConfig(**data, users=tuple(User(**u) for u in users))
