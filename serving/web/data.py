"""What each dashboard page shows, gathered from the service database, the review workflow,
the monitoring store, the model registry and the rule library (the router only renders it).

The ranking page reads one page of rows and, in one more query, the score history of those
rows for the sparklines: two queries whatever the page size. The rule pages read the library
as the API answers it (serving/api/rules/router.py), plus what reviewers made of the hits."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from serving.api.common import parse_json, pseudonym, shown_name
from serving.api.rankings import queries as rankings
from serving.api.entities.schemas import Dossier
from serving.api.rules.router import read_library, read_rule
from serving.api.rules.schemas import BacktestOut, HitDay, RuleDetail, RuleSummary
from serving.api.state import ServiceState
from serving.config import User
from serving.models import CaseEvent, Entity, Ranking, ReviewCase, RuleHit
from serving.review.errors import WorkflowError

OPEN = ("new", "assigned", "in_review", "awaiting_second_review")


@dataclass
class Row:
    rank: int
    entity_type: str
    entity_id: str
    shown: str  # the name, or the pseudonymous id for a person the caller may not name
    region: str | None
    score: float
    level: str
    change: int | None  # ranks climbed since the previous ranking (+ = riskier)
    reason: str
    history: list[float | None]


@dataclass
class RankingDay:
    as_of: dt.date | None
    dates: list[dt.date]
    total: int
    offset: int
    rows: list[Row] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)


def _sector_of(details: str | None) -> str | None:
    found = re.search(r'"sector":\s*"([^"]*)"', details or "")
    return found.group(1) if found else None


def _histories(session: Session, entity_type: str, ids: list[str],
               dates: list[dt.date]) -> dict[str, list[float | None]]:
    """Each id's score on each of `dates` (oldest first), None where it was not ranked."""
    query = (select(Ranking.entity_id, Ranking.as_of, Ranking.score)
             .where(Ranking.entity_type == entity_type, Ranking.entity_id.in_(ids),
                    Ranking.as_of.in_(dates)))
    scores: dict[str, dict[dt.date, float]] = {i: {} for i in ids}
    for entity_id, as_of, score in session.execute(query):
        scores[entity_id][as_of] = score
    return {i: [scores[i].get(d) for d in dates] for i in ids}


def _top_reason(reasons: str | None) -> str:
    items = parse_json(reasons, [])
    return items[0].get("text") or items[0].get("feature", "") if items else ""


def ranking_day(session: Session, entity_type: str, as_of: dt.date | None, level: str | None,
                region: str | None, sector: str | None, offset: int, limit: int,
                user: User) -> RankingDay:
    dates = rankings.dates(session).get(entity_type, [])  # newest first
    as_of = as_of or (dates[0] if dates else None)
    if as_of is None:
        return RankingDay(None, [], 0, offset)
    wanted = rankings.RankingFilter(as_of, entity_type, level, region, sector)
    total = rankings.count(session, wanted)
    found = rankings.page(session, wanted, limit, offset)
    recent = sorted(d for d in dates if d <= as_of)[-30:]
    histories = _histories(session, entity_type, [r.entity_id for r, _, _ in found], recent)
    rows = [Row(r.rank, entity_type, r.entity_id,
                shown_name(name, bool(is_person), user) or pseudonym(r.entity_id, True) or "",
                r.region, r.score, r.level,
                None if r.previous_rank is None else r.previous_rank - r.rank,
                _top_reason(r.reasons), histories[r.entity_id])
            for r, name, is_person in found]
    regions = sorted(session.scalars(select(Ranking.region).distinct().where(
        Ranking.as_of == as_of, Ranking.entity_type == entity_type,
        Ranking.region.is_not(None))))
    sectors = sorted({s for s in map(_sector_of, session.scalars(
        select(Entity.details).where(Entity.entity_type == entity_type).limit(5000))) if s})
    return RankingDay(as_of, dates, total or 0, offset, rows, regions, sectors)


def case_events(state: ServiceState, case_ids: list[int]) -> dict[int, list[dict]]:
    """The decisions, second reviews and escalations of each case, oldest first."""
    if not case_ids:
        return {}
    with state.sessions() as session:
        query = (select(CaseEvent).where(CaseEvent.case_id.in_(case_ids),
                                         CaseEvent.action.in_(("decide", "second_review",
                                                               "escalate", "warning_withdrawn")))
                 .order_by(CaseEvent.id))
        found: dict[int, list[dict]] = {i: [] for i in case_ids}
        for event in session.scalars(query):
            found[event.case_id].append({"at": event.at, "actor": event.actor,
                                         "action": event.action,
                                         "detail": parse_json(event.detail, {})})
    return found


def network_links(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's links as the network picture wants them, each linking to its dossier."""
    linkable = {"official", "enterprise", "tender"}
    return [{"label": link.name or link.pseudonym or link.linked_id, "kind": link.linked_type,
             "relation": link.relation,
             "href": (f"/entities/{link.linked_type}/{link.linked_id}"
                      if link.linked_type in linkable else None)}
            for link in dossier.links]


@dataclass
class QueueBoard:
    mine: list[ReviewCase]
    second: list[ReviewCase]  # red dismissals waiting for someone else's agreement
    waiting: list[ReviewCase]  # unassigned, most urgent first
    waiting_total: int
    now: dt.datetime
    names: dict[tuple[str, str], str]


def _names(session: Session, cases: list[ReviewCase], user: User) -> dict[tuple[str, str], str]:
    keys = {(c.entity_type, c.entity_id) for c in cases}
    if not keys:
        return {}
    query = select(Entity.entity_type, Entity.entity_id, Entity.name, Entity.is_person).where(
        or_(*(and_(Entity.entity_type == t, Entity.entity_id == i) for t, i in keys)))
    return {(t, i): shown_name(name, bool(person), user) or i
            for t, i, name, person in session.execute(query)}


def queue_board(session: Session, user: User, now: dt.datetime) -> QueueBoard:
    by_due = (ReviewCase.due_at, ReviewCase.id)
    mine = list(session.scalars(select(ReviewCase).where(
        ReviewCase.assignee == user.name, ReviewCase.state.in_(("assigned", "in_review")))
        .order_by(*by_due)))
    second = list(session.scalars(select(ReviewCase).where(
        ReviewCase.state == "awaiting_second_review", ReviewCase.decided_by != user.name)
        .order_by(*by_due)))
    waiting = list(session.scalars(select(ReviewCase).where(ReviewCase.state == "new")
                                   .order_by(*by_due).limit(25)))
    total = session.scalar(select(func.count()).select_from(ReviewCase).where(
        ReviewCase.state == "new")) or 0
    names = _names(session, mine + second + waiting, user)
    return QueueBoard(mine, second, waiting, total, now, names)


def workflow_step(state: ServiceState, step: Callable[[Session], ReviewCase | str]) -> str:
    """One workflow action in its own transaction; what to tell the reviewer, done or refused."""
    try:
        with state.sessions.begin() as session:
            done = step(session)
            if isinstance(done, str):
                return done
            return f"Case {done.id}: {done.state.replace('_', ' ')}."
    except WorkflowError as refused:
        return f"Not done: {refused}"


def monitoring_view(run: dict) -> dict[str, Any]:
    """The figures the page draws: drifted share and score drift per type, on-time shares, and
    per type the fairness rows worth a look (alarmed, or a protected group's flag rate)."""
    drift, scores, coverage, fairness = [], [], None, {}
    for result in run["results"]:
        figures = result["figures"]
        if result["monitor"] == "fairness":
            fairness[result["entity_type"]] = [
                g for g in figures.get("rates", [])
                if g["disparity"] or (g["protected"] and not g["reference"] and not g["small"]
                                      and g["metric"] == "flag_rate")]
        if result["monitor"] == "drift":
            drift.append((f"{result['entity_type']}: drifted share of features",
                          figures.get("drifted_share") or 0.0))
        elif result["monitor"] == "score_drift":
            scores.append((f"{result['entity_type']}: score distance",
                           figures.get("wasserstein_normed") or 0.0))
        elif result["monitor"] == "coverage":
            coverage = figures
    on_time = [(f"{s['group']} ({s['due']} due)", s["share"] or 0.0)
               for s in (coverage or {}).get("by_level", [])]
    return {"drift": drift, "scores": scores, "coverage": coverage, "on_time": on_time,
            "fairness": fairness}


MODEL_METRICS = ("precision_at_k", "truth_precision_at_k", "recall_at_k", "pr_auc")


def model_cards(state: ServiceState) -> list[dict[str, Any]]:
    """Champion and challenger of each type with their evaluation and SHAP plots."""
    import mlflow
    from mlflow import MlflowClient

    from serving.api.model_registry.router import version_of
    from training.tracking import CHALLENGER, CHAMPION, model_name

    mlflow.set_tracking_uri(state.settings.mlflow_tracking_uri)
    client, cards = MlflowClient(), []
    for entity_type in ("official", "enterprise", "tender"):
        versions = []
        for alias in (CHAMPION, CHALLENGER):
            found = version_of(client, model_name(entity_type), alias)
            if found is None:
                continue
            plots = [a.path.split("/")[-1] for a in client.list_artifacts(found.run_id, "plots")
                     if a.path.endswith(".png")]
            table = {scorer: {m: found.mean_metrics.get(f"{scorer}.{m}") for m in MODEL_METRICS}
                     for scorer in ("model", "red_flags", "random")}
            versions.append({"alias": alias, "v": found, "table": table, "plots": plots})
        cards.append({"entity_type": entity_type, "versions": versions})
    return cards


def plot_file(state: ServiceState, run_id: str, name: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+\.png", name) or not re.fullmatch(r"[0-9a-f]{32}", run_id):
        return None
    import mlflow

    cache = state.settings.root / "cache" / "plots" / run_id
    path = cache / name
    if not path.is_file():  # fetched once from the artifact store, then served from the cache
        mlflow.set_tracking_uri(state.settings.mlflow_tracking_uri)
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as staging:
            try:
                fetched = mlflow.artifacts.download_artifacts(
                    run_id=run_id, artifact_path=f"plots/{name}", dst_path=staging)
            except Exception:  # noqa: BLE001 - an unknown run or plot is a missing page
                return None
            Path(fetched).replace(path)
    return path


# --- rule library --------------------------------------------------------------------------

RULE_DAYS = 30  # ranked days drawn per rule
REVIEWED = ("confirmed", "dismissed")


def rule_reviews(session: Session, rule_id: str | None = None) -> dict[str, dict[str, int]]:
    """rule id -> {"confirmed": n, "dismissed": m}: the closed review cases opened on a ranked
    day the rule hit the entity (whatever raised the case: model or rule), by decision.

    Matching the case's opening day with the stored hits is one indexed join, where reading
    the rule ids from each case's "opened" event would parse JSON case by case; it counts the
    model's cases on the entities the rule hit too: what the rule also found."""
    query = (select(RuleHit.rule_id, ReviewCase.decision, func.count(distinct(ReviewCase.id)))
             .join(ReviewCase, and_(ReviewCase.entity_type == RuleHit.entity_type,
                                    ReviewCase.entity_id == RuleHit.entity_id,
                                    ReviewCase.opened_as_of == RuleHit.as_of))
             .where(ReviewCase.state == "closed", ReviewCase.decision.in_(REVIEWED))
             .group_by(RuleHit.rule_id, ReviewCase.decision))
    if rule_id is not None:
        query = query.where(RuleHit.rule_id == rule_id)
    found: dict[str, dict[str, int]] = {}
    for rule, decision, cases in session.execute(query):
        found.setdefault(rule, dict.fromkeys(REVIEWED, 0))[decision] = cases
    return found


@dataclass
class RuleRow:
    rule: RuleSummary
    hits: list[int]  # per ranked day of its type, the last RULE_DAYS, oldest first
    reviews: dict[str, int]  # confirmed / dismissed cases (rule_reviews)


def rule_rows(session: Session) -> list[RuleRow]:
    library, history = read_library(session, days_shown=RULE_DAYS)
    reviews = rule_reviews(session)
    return [RuleRow(r, [d.hits for d in history[r.id]],
                    reviews.get(r.id, dict.fromkeys(REVIEWED, 0)))
            for r in library.rules]


@dataclass
class RuleView:
    detail: RuleDetail
    backtest: BacktestOut | None  # the latest stored
    days: list[HitDay]  # the last RULE_DAYS ranked days
    reviews: dict[str, int]

    @property
    def month_bars(self) -> list[tuple[str, float]]:
        return [(m.month, m.hits) for m in self.backtest.months] if self.backtest else []

    @property
    def day_bars(self) -> list[tuple[str, float]]:
        return [(d.as_of.isoformat(), d.hits) for d in self.days]


def rule_view(session: Session, rule_id: str) -> RuleView:
    """One rule's page; the API's 404 (ApiError) for an unknown id."""
    detail = read_rule(session, rule_id)
    return RuleView(detail, detail.backtests[-1] if detail.backtests else None,
                    detail.hits[-RULE_DAYS:],
                    rule_reviews(session, rule_id).get(rule_id, dict.fromkeys(REVIEWED, 0)))
