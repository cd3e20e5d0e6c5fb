"""/rules: the rule library. Everyone who reads rankings reads the library (cards, versions,
backtests, hits per ranked day); supervisors validate, backtest, publish and retire cards.

Cards come in as YAML text, exactly as in `rules/*.yaml`, and are parsed and checked
(rulebook.card, rulebook.check) before anything else: an invalid card is a 422 with code
"invalid_card" and the checker's message, which names the field or column at fault.
Publication and retirement are audited by rulebook.store with the caller's name; they run in
the request's transaction like the review workflow's writes, and the store takes the library's
writer lock itself. A backtest reads the data directory of the latest ranking (its snapshot
manifest) and takes a while, so it holds no database transaction while it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rulebook import store
from rulebook.card import CardError, RuleCard, card_from_yaml
from rulebook.check import check
from serving.api.deps import Caller, DbSession, Now, State
from serving.api.errors import ApiError, not_found, responses
from serving.api.rankings import queries as rankings
from serving.api.rules.schemas import (
    BacktestIn,
    BacktestOut,
    BacktestSummary,
    CardIn,
    HitDay,
    PublishIn,
    RetireIn,
    RuleDetail,
    RuleLibrary,
    RuleSummary,
    ValidOut,
    VersionOut,
)
from serving.api.state import ServiceState
from serving.config import User
from serving.models import RuleHit

log = logging.getLogger("huoyan.api.rules")
router = APIRouter(tags=["rules"], responses=responses(401, 403))
RuleId = Annotated[str, PathParam(min_length=1, max_length=16, description="e.g. SM-001")]


@contextmanager
def library_errors(rule_id: str | None = None) -> Iterator[None]:
    """The library's errors as API answers: invalid card 422, unknown rule 404, a change its
    status does not allow 409."""
    try:
        yield
    except CardError as error:
        raise ApiError(422, "invalid_card", str(error)) from None
    except store.RuleNotFound as error:
        raise not_found(f"rule {rule_id or error.rule_id}") from None
    except store.RuleStateError as error:
        raise ApiError(409, "wrong_state", str(error)) from None


def checked_card(text: str, state: ServiceState) -> RuleCard:
    """The card of YAML `text`, if it parses and can run on the data it names."""
    with library_errors():
        return check(card_from_yaml(text), names=state.registry)


# --- reading -------------------------------------------------------------------------------


def ranked_days(session: Session) -> dict[str, list[dt.date]]:
    """Ranked days per entity type, oldest first."""
    return {t: sorted(days) for t, days in rankings.dates(session).items()}


def hits_per_day(card: RuleCard, days: list[dt.date], counts: dict) -> list[HitDay]:
    """The card's hits on every ranked day of its type (0 where it hit nothing)."""
    return [HitDay(as_of=day, hits=counts.get((card.id, day), 0)) for day in days]


def summary_of(card: RuleCard, backtest: dict | None, days: list[dt.date],
               counts: dict) -> RuleSummary:
    latest = days[-1] if days else None
    return RuleSummary(
        id=card.id, version=card.version, status=card.status, entity_type=card.entity_type,
        severity=card.severity, title=card.title, domain=card.domain, owner=card.owner,
        changed=card.changed,
        backtest=BacktestSummary(**backtest) if backtest else None,
        latest_day=latest, latest_hits=counts.get((card.id, latest), 0))


def recent_counts(session: Session, since: dt.date | None) -> dict:
    """(rule id, day) -> entities hit, for the ranked days from `since` on. The whole table
    holds a year of days at up to 100k hits each: only the days shown are counted (a range of
    its primary key, which starts with the day)."""
    if since is None:
        return {}
    query = (select(RuleHit.rule_id, RuleHit.as_of, func.count())
             .where(RuleHit.as_of >= since).group_by(RuleHit.rule_id, RuleHit.as_of))
    return {(rule_id, day): hits for rule_id, day, hits in session.execute(query)}


def read_library(session: Session, days_shown: int = 1) -> tuple[RuleLibrary,
                                                                   dict[str, list[HitDay]]]:
    """The library's rules, and each rule's hits on the last `days_shown` ranked days of its
    type (the dashboard draws them): four queries whatever the number of rules."""
    cards, backtests = store.library(session), store.latest_backtests(session)
    days = {t: found[-days_shown:] for t, found in ranked_days(session).items()}
    counts = recent_counts(session, min((d[0] for d in days.values() if d), default=None))
    rules = [summary_of(c, backtests.get(c.id), days.get(c.entity_type, []), counts)
             for c in cards]
    history = {c.id: hits_per_day(c, days.get(c.entity_type, []), counts) for c in cards}
    return RuleLibrary(rules=rules), history


def read_rule(session: Session, rule_id: str) -> RuleDetail:
    """One rule with its versions, stored backtests and hits per ranked day; 404 if unknown."""
    with library_errors(rule_id):
        card = store.get(session, rule_id)
        history = store.versions(session, rule_id)
    counts = {(c["rule_id"], c["as_of"]): c["hits"] for c in store.hit_counts(session, rule_id)}
    return RuleDetail(
        card=card, versions=[VersionOut(**v) for v in history],
        backtests=[BacktestOut(**b) for b in store.backtests(session, rule_id)],
        hits=hits_per_day(card, ranked_days(session).get(card.entity_type, []), counts))


@router.get("/rules", response_model=RuleLibrary,
            summary="The rule library: current cards, latest backtests, latest hits")
def list_rules(session: DbSession, user: Caller) -> RuleLibrary:
    return read_library(session)[0]


@router.get("/rules/{rule_id}", response_model=RuleDetail, responses=responses(404),
            summary="A rule: its card, versions, backtests and hits per ranked day")
def get_rule(rule_id: RuleId, session: DbSession, user: Caller) -> RuleDetail:
    return read_rule(session, rule_id)


# --- changing ------------------------------------------------------------------------------


@router.post("/rules/validate", response_model=ValidOut,
             summary="Parse and check a card (YAML) without storing anything")
def validate(body: CardIn, user: Caller, state: State) -> ValidOut:
    return ValidOut(card=checked_card(body.card, state))


@router.post("/rules/publish", response_model=RuleCard,
             summary="Publish a card as its rule's next version (unchanged: left as it is)")
def publish(body: PublishIn, session: DbSession, user: Caller, now: Now,
            state: State) -> RuleCard:
    card = checked_card(body.card, state)
    with library_errors(card.id):
        return store.publish(session, card, actor=user.name, now=now, note=body.note)


@router.post("/rules/{rule_id}/retire", response_model=RuleCard, responses=responses(404, 409),
             summary="Retire a rule: it stops running; its versions and hits stay")
def retire(rule_id: RuleId, body: RetireIn, session: DbSession, user: Caller,
           now: Now) -> RuleCard:
    with library_errors(rule_id):
        return store.retire(session, rule_id, actor=user.name, reason=body.reason, now=now)


# --- backtest ------------------------------------------------------------------------------


def ranked_data(state: ServiceState) -> Path:
    """The data directory the latest ranking read (its snapshot manifest); 409 if none."""
    from serving.ranking import snapshot

    days = snapshot.dates(state.settings)
    if not days:
        raise ApiError(409, "not_ranked", "nothing was ranked yet: a backtest runs on the data "
                                          "of the latest ranking (huoyan rank)")
    try:
        data = Path(snapshot.manifest(days[-1], state.settings)["data"])
    except (snapshot.NoSnapshot, KeyError) as error:
        raise ApiError(409, "not_ranked", f"the ranking of {days[-1]} names no data "
                                          f"directory: {error}") from None
    if not data.is_dir():
        raise ApiError(409, "data_missing", f"the data directory of the ranking of {days[-1]} "
                                            f"is gone: {data}")
    return data


def card_to_test(body: BacktestIn, state: ServiceState) -> RuleCard:
    if body.card is not None:
        return checked_card(body.card, state)
    with state.sessions() as session, library_errors(body.rule_id):
        return store.get(session, body.rule_id)


def run_and_store(state: ServiceState, card: RuleCard, data: Path, body: BacktestIn,
                  user: User, now: dt.datetime) -> BacktestOut:
    from rulebook.backtest import run_backtest

    [result] = run_backtest(data, [card], end=body.end, months=body.months,
                            progress=lambda message: log.info("%s: %s", card.id, message))
    with state.sessions.begin() as session:  # a short write, after the long computation
        store.save_backtest(session, result, actor=user.name, now=now)
    return BacktestOut(**result.to_dict(), run_at=now, run_by=user.name)


@router.post("/rules/backtest", response_model=BacktestOut, responses=responses(404, 409),
             summary="Backtest a card or a rule over the latest ranking's data; stored")
def backtest(body: BacktestIn, user: Caller, now: Now, state: State) -> BacktestOut:
    """Runs the card on the first day of each of `months` months up to `end` (seconds per
    month, in the thread pool): hits per month, precision against the cases, overlap with the
    model, what it would add to the queue. The result is stored with the caller's name."""
    data = ranked_data(state)
    return run_and_store(state, card_to_test(body, state), data, body, user, now)
