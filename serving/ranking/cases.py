"""Flags into the review workflow: a new case, or a warning on the entity's open case.

For each flagged entity (yellow or above) of a ranking at as-of date D:

- under an active suppression (starts_on <= D <= until, not lifted): nothing; counted.
- with an open case (state != closed): a CaseWarning (case, D) on it; if the new level is
  higher than the case's, the case's level rises and its due date comes forward to
  config.due(level, now) when that is earlier. Event "warning".
- otherwise: a new ReviewCase (state new, origin model or rule as the flag's, opened_as_of D,
  due config.due(level, now)) and its first CaseWarning. Event "opened", with the rule ids
  that hit the entity, if any.

Idempotent per D: a case already warned at D (a re-run of the same day) gets no second warning
and no second event; its warning takes the re-run's level and score. A re-run that no longer
flags an entity withdraws the day's warning: a case that D opened and nobody has touched yet
(state new, no other warning) goes with it, as if the first run had never raised it; a case a
person is working on keeps its state and gets a "warning_withdrawn" event. Worked example: entity
T1 red on 2026-07-01 opens case 7 (warning 7@07-01, event opened); a re-run of 07-01 changes
nothing but the warning's score; T1 yellow on 07-02 adds warning 7@07-02 (event warning), the
case stays red; had it been orange on 07-01 and red on 07-02, the case would turn red and be
due 48 h after the 07-02 run.

Everything happens in the caller's session (the ranking's transaction); nothing is committed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from serving.config import ServingConfig
from serving.models import CaseEvent, CaseWarning, ReviewCase, Suppression
from serving.ranking.levels import severity

ACTOR = "system"
CHUNK = 1000
# origin: "model" (the model's level) or "rule" (a high-severity rule hit the model left at
# none); rules: the JSON list of the rule ids that hit the entity.
FLAG_COLUMNS = ["entity_type", "entity_id", "level", "score", "model_version", "origin", "rules"]
FLAG_ORIGINS = ("model", "rule")


@dataclass
class CaseCounts:
    opened: int = 0  # new cases
    warned: int = 0  # warnings added to open cases
    raised: int = 0  # open cases whose level rose
    suppressed: int = 0  # flags silenced by a suppression
    repeated: int = 0  # already warned at this date (a re-run)
    withdrawn: int = 0  # warned by an earlier run of this date, not flagged by this one
    sampled: int = 0  # unflagged entities drawn for the random audit sample
    by_rule: int = 0  # of `opened`, cases a high-severity rule raised (origin rule)


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(values), CHUNK):
        yield list(values[i:i + CHUNK])


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they were written in UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def suppressed_ids(session: Session, entity_type: str, ids: Sequence[str],
                   as_of: dt.date) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(session.scalars(select(Suppression.entity_id).where(
            Suppression.entity_type == entity_type, Suppression.entity_id.in_(chunk),
            Suppression.starts_on <= as_of, Suppression.until >= as_of,
            Suppression.lifted_at.is_(None))))
    return found


def open_cases(session: Session, entity_type: str, ids: Sequence[str]) -> dict[str, ReviewCase]:
    """The open case of each entity (the latest, should there be several)."""
    cases: dict[str, ReviewCase] = {}
    for chunk in _chunks(ids):
        for case in session.scalars(select(ReviewCase).where(
                ReviewCase.entity_type == entity_type, ReviewCase.entity_id.in_(chunk),
                ReviewCase.state != "closed").order_by(ReviewCase.id)):
            cases[case.entity_id] = case
    return cases


def warnings_at(session: Session, case_ids: Sequence[int], as_of: dt.date) -> dict[int, CaseWarning]:
    found: dict[int, CaseWarning] = {}
    for i in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[i:i + CHUNK])
        for warning in session.scalars(select(CaseWarning).where(
                CaseWarning.case_id.in_(chunk), CaseWarning.as_of == as_of)):
            found[warning.case_id] = warning
    return found


def _event(case_id: int, now: dt.datetime, action: str, **detail: object) -> CaseEvent:
    return CaseEvent(case_id=case_id, at=now, actor=ACTOR, action=action,
                     detail=json.dumps(detail, sort_keys=True, ensure_ascii=False))


def _rule_detail(flag) -> dict[str, object]:  # noqa: ANN001 - a row of FLAG_COLUMNS
    """The rule ids of a flag, for its event: {"rules": [...]} or nothing."""
    rules = json.loads(getattr(flag, "rules", None) or "[]")
    return {"rules": rules} if rules else {}


def _raise_level(case: ReviewCase, level: str, config: ServingConfig, now: dt.datetime) -> str | None:
    """Raise an open case to `level` if higher; returns the level it had, or None."""
    if severity(level) <= severity(case.level):
        return None
    before = case.level
    case.level = level
    case.due_at = min(_utc(case.due_at), config.due(level, now))
    return before


def _warn(session: Session, case: ReviewCase, flag, as_of: dt.date, config: ServingConfig,
          now: dt.datetime, counts: CaseCounts, existing: CaseWarning | None) -> None:
    raised_from = _raise_level(case, flag.level, config, now)
    counts.raised += raised_from is not None
    if existing is not None:  # a re-run of the same date: refresh, never duplicate
        existing.level, existing.score = flag.level, float(flag.score)
        existing.model_version = flag.model_version
        counts.repeated += 1
        return
    session.add(CaseWarning(case_id=case.id, as_of=as_of, level=flag.level,
                            score=float(flag.score), model_version=flag.model_version))
    session.add(_event(case.id, now, "warning", as_of=as_of.isoformat(), level=flag.level,
                       score=round(float(flag.score), 6), model_version=flag.model_version,
                       raised_from=raised_from, **_rule_detail(flag)))
    counts.warned += 1


def _open(session: Session, flags: pd.DataFrame, entity_type: str, as_of: dt.date,
          config: ServingConfig, now: dt.datetime) -> int:
    cases = [ReviewCase(entity_type=entity_type, entity_id=f.entity_id, origin=f.origin,
                        state="new", level=f.level, opened_at=now, opened_as_of=as_of,
                        due_at=config.due(f.level, now)) for f in flags.itertuples()]
    session.add_all(cases)
    session.flush()  # the new ids
    for case, f in zip(cases, flags.itertuples(), strict=True):
        session.add(CaseWarning(case_id=case.id, as_of=as_of, level=f.level, score=float(f.score),
                                model_version=f.model_version))
        session.add(_event(case.id, now, "opened", as_of=as_of.isoformat(), level=f.level,
                           score=round(float(f.score), 6), model_version=f.model_version,
                           **_rule_detail(f)))
    return len(cases)


def _only_warning_is(session: Session, case_ids: list[int]) -> set[int]:
    """Of `case_ids`, those with exactly one warning."""
    query = (select(CaseWarning.case_id).where(CaseWarning.case_id.in_(case_ids))
             .group_by(CaseWarning.case_id).having(func.count() == 1))
    return set(session.scalars(query))


def withdraw_unflagged(session: Session, *, as_of: dt.date, flags: pd.DataFrame,
                       entity_types: Sequence[str], now: dt.datetime) -> dict[str, int]:
    """The warnings of an earlier run of `as_of` whose entity this run does not flag (see the
    module docstring); how many were withdrawn, per entity type."""
    query = (select(CaseWarning, ReviewCase).join(ReviewCase, ReviewCase.id == CaseWarning.case_id)
             .where(CaseWarning.as_of == as_of, ReviewCase.entity_type.in_(entity_types),
                    ReviewCase.origin.in_(FLAG_ORIGINS)))
    flagged = set(zip(flags["entity_type"], flags["entity_id"], strict=True))
    stale = [(w, c) for w, c in session.execute(query)
             if (c.entity_type, c.entity_id) not in flagged]
    if not stale:
        return {}
    single = _only_warning_is(session, [c.id for _, c in stale])
    untouched = [c.id for _, c in stale if c.state == "new" and c.opened_as_of == as_of
                 and c.assignee is None and c.id in single]
    for warning, case in stale:
        session.delete(warning)
        if case.id not in untouched:
            session.add(_event(case.id, now, "warning_withdrawn", as_of=as_of.isoformat(),
                               reason="a re-run of the day's ranking no longer flags it"))
    session.flush()
    for model in (CaseEvent, CaseWarning):
        session.execute(delete(model).where(model.case_id.in_(untouched)))
    session.execute(delete(ReviewCase).where(ReviewCase.id.in_(untouched)),
                    execution_options={"synchronize_session": False})
    return pd.Series([c.entity_type for _, c in stale]).value_counts().to_dict()


def raise_flags(session: Session, *, as_of: dt.date, flags: pd.DataFrame, config: ServingConfig,
                now: dt.datetime, entity_types: Sequence[str] | None = None
                ) -> dict[str, CaseCounts]:
    """Cases and warnings for `flags` (FLAG_COLUMNS; rows at level none are ignored), per
    entity type; first, what an earlier run of the day flagged and this one does not is
    withdrawn (for `entity_types`, default those of `flags`)."""
    counts: dict[str, CaseCounts] = {}
    flags = flags[flags["level"] != "none"]
    defaults = {"origin": "model", "rules": "[]"}  # the model's flags, no rule named
    flags = flags.assign(**{c: v for c, v in defaults.items() if c not in flags.columns})
    types = list(entity_types) if entity_types is not None else flags["entity_type"].unique()
    withdrawn = withdraw_unflagged(session, as_of=as_of, flags=flags, entity_types=types,
                                   now=now)
    for entity_type, count in withdrawn.items():
        counts.setdefault(entity_type, CaseCounts()).withdrawn = count
    for entity_type, group in flags.groupby("entity_type", sort=False):
        c = counts.setdefault(str(entity_type), CaseCounts())
        ids = group["entity_id"].astype(str).tolist()
        silenced = suppressed_ids(session, str(entity_type), ids, as_of)
        c.suppressed = len(silenced)
        group = group[~group["entity_id"].isin(silenced)]
        cases = open_cases(session, str(entity_type), group["entity_id"].tolist())
        warned = warnings_at(session, [case.id for case in cases.values()], as_of)
        known = group["entity_id"].isin(cases.keys())
        for flag in group[known].itertuples():
            case = cases[flag.entity_id]
            _warn(session, case, flag, as_of, config, now, c, warned.get(case.id))
        c.opened = _open(session, group[~known], str(entity_type), as_of, config, now)
        c.by_rule = int((group.loc[~known, "origin"] == "rule").sum())
    session.flush()
    return counts


# --- the random audit sample --------------------------------------------------------------

def sample_size(unflagged: int, config: ServingConfig) -> int:
    """E.g. 0.001 of 5,986 unflagged officials: 6 (rounded up), at most audit_sample_max."""
    return min(config.audit_sample_max, math.ceil(round(unflagged * config.audit_sample_share, 9)))


def audit_draw(as_of: dt.date, entity_type: str, ids: pd.Series, size: int) -> pd.Series:
    """`size` ids chosen at random but reproducibly: the smallest hashes of (date, type, id),
    so a re-run of the day draws the same entities, and no one can steer the draw."""
    keys = pd.util.hash_pandas_object(f"{as_of.isoformat()}|{entity_type}|" + ids.astype(str),
                                      index=False)
    return ids.iloc[keys.argsort(kind="stable")[:size]]


def open_audit_sample(session: Session, *, as_of: dt.date, entity_type: str,
                      ranked: pd.DataFrame, model_version: str, config: ServingConfig,
                      now: dt.datetime) -> int:
    """Route a random sample of the day's unflagged entities to review (origin audit_sample,
    due as yellow, marked as such in their "opened" event); how many cases were opened. Once
    per type and day: a re-run finds the day's sample drawn and opens nothing."""
    drawn = session.scalar(select(func.count()).select_from(ReviewCase).where(
        ReviewCase.entity_type == entity_type, ReviewCase.origin == "audit_sample",
        ReviewCase.opened_as_of == as_of))
    unflagged = ranked.loc[ranked["level"] == "none", ["entity_id", "score"]]
    size = sample_size(len(unflagged), config)
    if drawn or size == 0:
        return 0
    ids = unflagged["entity_id"].astype(str).reset_index(drop=True)
    candidates = audit_draw(as_of, entity_type, ids, 4 * size + 20)  # spares for the busy
    busy = set(open_cases(session, entity_type, candidates.tolist())) | suppressed_ids(
        session, entity_type, candidates.tolist(), as_of)
    chosen = candidates[~candidates.isin(busy)].iloc[:size]
    scores = unflagged.set_index("entity_id")["score"]
    cases = [ReviewCase(entity_type=entity_type, entity_id=entity_id, origin="audit_sample",
                        state="new", level="yellow", opened_at=now, opened_as_of=as_of,
                        due_at=config.due("yellow", now)) for entity_id in chosen]
    session.add_all(cases)
    session.flush()
    for case in cases:
        session.add(_event(case.id, now, "opened", as_of=as_of.isoformat(), level="none",
                           score=round(float(scores[case.entity_id]), 6),
                           model_version=model_version, audit_sample=True))
    return len(cases)
