"""Review coverage: every flag gets a human review, in time, and reviewers judge alike.

Read from the service database (serving/models.py) in two Core selects (cases with their
directory row, and the case events that matter), then pandas. The database is read as it
stands; `now` is the clock that says what is overdue. `since` limits the period measured
(cases opened at or after it for the shares and the audit sample, decisions made at or after
it for reviewer behaviour); overdue cases and cases closed without a human decision are
looked for among all cases, since a lapse never ages out.

- On time: a case counts once its due date has passed or it has been decided. It is on time
  if its first decision came by its due date and it was never escalated (escalation moves
  `due_at` forward, so `escalations > 0` is what remembers the missed date); late if decided
  otherwise; overdue if open and undecided past its due date or escalated; unreviewed if closed
  without a human decision. Pending cases (undecided, not yet due) are counted, not judged.
  Shares by level (the case's current level), unit (officials: their unit; tenders: their
  buyer; enterprises: "—", they belong to no unit) and reviewer (the decider, else the
  assignee, else "—").
- Overdue: open cases past their due date, or escalated and still open; hours counted from
  the first missed due date (the first escalation's `overdue_since`). Any -> alert "coverage".
- Closed without a human decision (no decision, no decider, or the system as decider), and
  red dismissals closed without a second person: must be none -> alert "coverage".
- Reviewers: every decision made (the "decide" events, so a red dismissal the second
  reviewer overturned still counts), rates of dismissal and confirmation, median hours from
  the reviewer's claim or assignment (else the case's opening) to the decision. Reviewers with
  at least `min_reviewer_decisions` are compared with their peers (the others so qualified):
  z = (rate - peers' mean) / sd, sd being the peers' standard deviation but never less than
  the binomial noise of the reviewer's own rate, sqrt(m (1 - m) / n), so that a handful of
  peers who happen to agree closely do not turn a small difference into an accusation.
  |z| > `outlier_z` -> alert "reviewer": shelving cases is itself a risk.
- The random audit sample's confirm rate beside the flagged cases' (origin model or rule).

# Worked example. Red cases due by now: 3 decided before due_at, 1 decided after it, 1 open
# past it -> red on time 3/5 = 0.60 (a 6th, due tomorrow and undecided, is pending: outside
# the share). Reviewers A, B, C, D with 10 decisions each dismiss 2, 3, 2 and 10: D's peers
# have mean 0.233 and sd 0.058, floored at sqrt(0.233 * 0.767 / 10) = 0.134, so
# z = (1.0 - 0.233) / 0.134 = 5.7 > 2: D is an outlier; A's peers (0.3, 0.2, 1.0) have
# mean 0.5 and sd 0.436: z = -0.69, within the band.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pydantic import BaseModel
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from monitoring.alerts import Alert, MonitoringConfig
from serving.config import LEVELS
from serving.models import CaseEvent, Entity, ReviewCase
from serving.ranking.cases import ACTOR as RANKING_ACTOR
from serving.review.service import SYSTEM
from serving.timestamps import require_aware

NO_GROUP = "—"  # no unit (enterprises, or not in the directory), no reviewer
SYSTEM_ACTORS = (SYSTEM, RANKING_ACTOR)  # not a human: no decision of theirs counts
FLAG_ORIGINS = ("model", "rule")
AUDIT_ORIGIN = "audit_sample"
STATUSES = ("on_time", "late", "overdue", "unreviewed", "pending")
EVENT_ACTIONS = ("claim", "assign", "decide", "escalate")
IDS_NAMED = 20  # case ids named in one alert at most
CASE_COLUMNS = ["case_id", "entity_type", "entity_id", "origin", "state", "level", "opened_at",
                "due_at", "assignee", "decision", "decided_by", "decided_at",
                "second_reviewer", "closed_at", "escalations", "details"]
EVENT_COLUMNS = ["case_id", "at", "actor", "action", "detail"]
CASE_TIMES = ["opened_at", "due_at", "decided_at", "closed_at"]


# --- the result ---------------------------------------------------------------------------


class OnTimeShare(BaseModel, frozen=True):
    """One group's cases: `due` = on_time + late + overdue + unreviewed; share = on_time / due."""

    group: str
    cases: int
    due: int
    on_time: int
    late: int
    overdue: int
    unreviewed: int
    pending: int
    share: float | None


class OverdueCase(BaseModel, frozen=True):
    case_id: int
    entity_type: str
    entity_id: str
    unit: str
    level: str
    state: str
    due_at: dt.datetime
    overdue_since: dt.datetime  # the first due date missed
    hours_overdue: float
    escalations: int
    assignee: str | None


class UnreviewedCase(BaseModel, frozen=True):
    """A closed case lacking what closing needs: a human decision, or a red dismissal's second
    person."""

    case_id: int
    entity_type: str
    entity_id: str
    level: str
    closed_at: dt.datetime | None
    decision: str | None
    decided_by: str | None
    second_reviewer: str | None


class PeerComparison(BaseModel, frozen=True):
    """One reviewer's rate against the peers' (the other compared reviewers)."""

    peer_mean: float
    peer_sd: float  # the peers' sd, floored at the binomial noise (module docstring)
    z: float | None  # None when peer_sd is 0: every peer at 0 or at 1
    outlier: bool


class ReviewerStats(BaseModel, frozen=True):
    reviewer: str
    decisions: int
    confirmed: int
    dismissed: int
    inconclusive: int
    dismissal_rate: float | None
    confirmation_rate: float | None
    median_hours_to_decision: float | None
    compared: bool  # enough decisions, and at least two peers who have enough too
    dismissal: PeerComparison | None = None
    confirmation: PeerComparison | None = None
    outlier: bool = False  # either rate beyond the band


class ConfirmRate(BaseModel, frozen=True):
    cases: int
    decided: int
    confirmed: int
    rate: float | None  # confirmed / decided


class AuditSampleComparison(BaseModel, frozen=True):
    audit_sample: ConfirmRate
    flagged: ConfirmRate


class CoverageResult(BaseModel, frozen=True):
    now: dt.datetime
    since: dt.datetime | None
    outlier_z: float
    min_reviewer_decisions: int
    overall: OnTimeShare
    by_level: list[OnTimeShare]
    by_unit: list[OnTimeShare]
    by_reviewer: list[OnTimeShare]
    by_origin: list[OnTimeShare]
    overdue: list[OverdueCase]
    closed_without_decision: list[UnreviewedCase]
    missing_second_review: list[UnreviewedCase]
    reviewers: list[ReviewerStats]
    outliers: list[str]
    audit_sample: AuditSampleComparison
    alerts: list[Alert]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: datetimes as ISO strings, NaN and infinities as None."""
        return _finite(self.model_dump(mode="json"))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _number(value: Any) -> float | None:
    """A plain float, or None for NaN/None/infinity."""
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- reading ------------------------------------------------------------------------------


def _utc_times(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def read_cases(session: Session) -> pd.DataFrame:
    """Every case, with its directory row's details (JSON text, or None)."""
    directory = and_(Entity.entity_type == ReviewCase.entity_type,
                     Entity.entity_id == ReviewCase.entity_id)
    query = (select(ReviewCase.id, ReviewCase.entity_type, ReviewCase.entity_id,
                    ReviewCase.origin, ReviewCase.state, ReviewCase.level,
                    ReviewCase.opened_at, ReviewCase.due_at, ReviewCase.assignee,
                    ReviewCase.decision, ReviewCase.decided_by, ReviewCase.decided_at,
                    ReviewCase.second_reviewer, ReviewCase.closed_at, ReviewCase.escalations,
                    Entity.details)
             .outerjoin(Entity, directory).order_by(ReviewCase.id))
    frame = pd.DataFrame(session.execute(query).all(), columns=CASE_COLUMNS)
    return _utc_times(frame, CASE_TIMES)


def read_events(session: Session) -> pd.DataFrame:
    """Claims, assignments, decisions and escalations: who held and decided what, when."""
    query = (select(CaseEvent.case_id, CaseEvent.at, CaseEvent.actor, CaseEvent.action,
                    CaseEvent.detail)
             .where(CaseEvent.action.in_(EVENT_ACTIONS)).order_by(CaseEvent.id))
    frame = pd.DataFrame(session.execute(query).all(), columns=EVENT_COLUMNS)
    frame = _utc_times(frame, ["at"])
    frame["detail"] = frame["detail"].map(json.loads)
    return frame


def _unit_label(entity_type: str, details: str | None) -> str:
    """Officials: their unit; tenders: their buyer (the directory calls it buyer_id/buyer)."""
    if entity_type == "enterprise" or not details:
        return NO_GROUP
    fields = json.loads(details)
    unit_id = fields.get("unit_id") or fields.get("buyer_id")
    name = fields.get("unit") or fields.get("buyer")
    if unit_id and name:
        return f"{name} ({unit_id})"
    return str(name or unit_id or NO_GROUP)


# --- classifying cases --------------------------------------------------------------------


def _human_decision(cases: pd.DataFrame) -> pd.Series:
    return (cases["decision"].notna() & cases["decided_by"].notna()
            & cases["decided_at"].notna() & ~cases["decided_by"].isin(SYSTEM_ACTORS))


def classify(cases: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """Each case with its unit, reviewer and status (STATUSES; module docstring)."""
    decided = _human_decision(cases)
    closed = cases["state"] == "closed"
    past_due = (cases["due_at"] < now) | (cases["escalations"] > 0)
    on_time = decided & (cases["decided_at"] <= cases["due_at"]) & (cases["escalations"] == 0)
    status = np.select(
        [on_time, decided, closed, past_due],
        ["on_time", "late", "unreviewed", "overdue"], default="pending")
    reviewer = cases["decided_by"].where(decided, cases["assignee"]).fillna(NO_GROUP)
    units = [_unit_label(t, d) for t, d in zip(cases["entity_type"], cases["details"],
                                               strict=True)]
    return cases.assign(status=status, human_decision=decided, reviewer=reviewer, unit=units)


def _share_row(group: str, statuses: pd.Series) -> OnTimeShare:
    counts = statuses.value_counts().reindex(STATUSES, fill_value=0)
    due = int(counts.drop("pending").sum())
    return OnTimeShare(group=group, cases=len(statuses), due=due, share=_ratio(
        int(counts["on_time"]), due), **{s: int(counts[s]) for s in STATUSES})


def shares_by(cases: pd.DataFrame, column: str, order: tuple[str, ...] = ()) -> list[OnTimeShare]:
    """One row per value of `column`: those in `order` first, in its order, then the rest."""
    groups = cases.groupby(column, sort=True)["status"]
    rows = {str(key): _share_row(str(key), statuses) for key, statuses in groups}
    first = [rows.pop(key) for key in order if key in rows]
    return first + list(rows.values())


def overdue_cases(cases: pd.DataFrame, events: pd.DataFrame,
                  now: dt.datetime) -> list[OverdueCase]:
    """Open cases past their due date or escalated, the longest overdue first."""
    late = cases[(cases["state"] != "closed")
                 & ((cases["due_at"] < now) | (cases["escalations"] > 0))]
    escalations = events[events["action"] == "escalate"]
    first_missed = (escalations.assign(missed=pd.to_datetime(
        escalations["detail"].map(lambda d: d.get("overdue_since")), utc=True))
        .groupby("case_id")["missed"].min())
    since = late["case_id"].map(first_missed).fillna(late["due_at"])
    since = pd.to_datetime(since, utc=True)
    hours = (pd.Timestamp(now) - since).dt.total_seconds() / 3600
    rows = [OverdueCase(
        case_id=int(c.case_id), entity_type=c.entity_type, entity_id=c.entity_id, unit=c.unit,
        level=c.level, state=c.state, due_at=c.due_at.to_pydatetime(),
        overdue_since=s.to_pydatetime(), hours_overdue=round(float(h), 2),
        escalations=int(c.escalations), assignee=c.assignee)
        for c, s, h in zip(late.itertuples(), since, hours, strict=True)]
    return sorted(rows, key=lambda row: (-row.hours_overdue, row.case_id))


def _unreviewed_rows(cases: pd.DataFrame) -> list[UnreviewedCase]:
    return [UnreviewedCase(
        case_id=int(c.case_id), entity_type=c.entity_type, entity_id=c.entity_id,
        level=c.level, closed_at=None if pd.isna(c.closed_at) else c.closed_at.to_pydatetime(),
        decision=c.decision, decided_by=c.decided_by, second_reviewer=c.second_reviewer)
        for c in cases.itertuples()]


def closed_without_decision(cases: pd.DataFrame) -> list[UnreviewedCase]:
    return _unreviewed_rows(cases[(cases["state"] == "closed") & ~cases["human_decision"]])


def missing_second_review(cases: pd.DataFrame) -> list[UnreviewedCase]:
    """Red dismissals closed without a second person (none, or the decider again)."""
    red_dismissed = ((cases["state"] == "closed") & (cases["level"] == "red")
                     & (cases["decision"] == "dismissed"))
    no_second = (cases["second_reviewer"].isna()
                 | (cases["second_reviewer"] == cases["decided_by"]))
    return _unreviewed_rows(cases[red_dismissed & no_second])


# --- reviewers ----------------------------------------------------------------------------


def decisions_made(cases: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per decide event: case_id, reviewer, at, decision, hours (from the reviewer's
    latest claim or assignment of the case before it, else from the case's opening)."""
    decide = events[events["action"] == "decide"]
    decide = decide.assign(reviewer=decide["actor"],
                           decision=decide["detail"].map(lambda d: d.get("decision")))
    decide = decide[~decide["reviewer"].isin(SYSTEM_ACTORS)].reset_index(drop=True)
    decide = decide.rename_axis("decision_id").reset_index()
    held = events[events["action"].isin(("claim", "assign"))]
    held = held.assign(reviewer=held["detail"].map(lambda d: d.get("assignee")))
    starts = decide[["decision_id", "case_id", "reviewer", "at"]].merge(
        held[["case_id", "reviewer", "at"]].rename(columns={"at": "held_at"}),
        on=["case_id", "reviewer"])
    starts = starts[starts["held_at"] <= starts["at"]].groupby("decision_id")["held_at"].max()
    opened = decide["case_id"].map(cases.set_index("case_id")["opened_at"])
    start = decide["decision_id"].map(starts).fillna(opened)
    hours = (decide["at"] - pd.to_datetime(start, utc=True)).dt.total_seconds() / 3600
    return decide.assign(hours=hours)[["case_id", "reviewer", "at", "decision", "hours"]]


def _tally(decisions: pd.DataFrame) -> pd.DataFrame:
    counts = pd.crosstab(decisions["reviewer"], decisions["decision"]).reindex(
        columns=["confirmed", "dismissed", "inconclusive"], fill_value=0)
    counts["decisions"] = decisions.groupby("reviewer").size()
    counts["median_hours"] = decisions.groupby("reviewer")["hours"].median()
    counts["dismissal_rate"] = counts["dismissed"] / counts["decisions"]
    counts["confirmation_rate"] = counts["confirmed"] / counts["decisions"]
    return counts


def peer_z(rate: float, decisions: int, peer_rates: Sequence[float]
           ) -> tuple[float | None, float | None, float | None]:
    """(peers' mean, sd used, z) of one reviewer's rate against the others' (at least two).
    The sd is the peers' sample sd, floored at sqrt(m (1 - m) / n); z is None when both are
    zero (every peer at 0 or at 1): then any difference at all is an outlier."""
    if len(peer_rates) < 2:
        return None, None, None
    mean = float(np.mean(peer_rates))
    sd = max(float(np.std(peer_rates, ddof=1)), math.sqrt(mean * (1 - mean) / decisions))
    if sd < 1e-12:
        return mean, sd, None
    return mean, sd, (rate - mean) / sd


def compare(rate: float, decisions: int, peer_rates: Sequence[float],
            limit: float) -> PeerComparison | None:
    mean, sd, z = peer_z(rate, decisions, peer_rates)
    if mean is None or sd is None:
        return None
    outlier = abs(rate - mean) > 1e-12 if z is None else abs(z) > limit
    return PeerComparison(peer_mean=mean, peer_sd=sd, z=z, outlier=outlier)


def reviewer_stats(decisions: pd.DataFrame, config: MonitoringConfig) -> list[ReviewerStats]:
    """Per reviewer, by name; the qualified ones compared with each other."""
    if decisions.empty:
        return []
    tally = _tally(decisions)
    qualified = tally[tally["decisions"] >= config.min_reviewer_decisions]
    rows = []
    for reviewer, t in tally.iterrows():
        compared = reviewer in qualified.index and len(qualified) >= 3
        peers = qualified.drop(index=reviewer) if compared else qualified.iloc[:0]
        dismissal, confirmation = (
            compare(t[column], int(t["decisions"]), peers[column].tolist(), config.outlier_z)
            if compared else None for column in ("dismissal_rate", "confirmation_rate"))
        rows.append(ReviewerStats(
            reviewer=str(reviewer), decisions=int(t["decisions"]),
            confirmed=int(t["confirmed"]), dismissed=int(t["dismissed"]),
            inconclusive=int(t["inconclusive"]), dismissal_rate=_number(t["dismissal_rate"]),
            confirmation_rate=_number(t["confirmation_rate"]),
            median_hours_to_decision=_number(t["median_hours"]), compared=compared,
            dismissal=dismissal, confirmation=confirmation,
            outlier=any(c is not None and c.outlier for c in (dismissal, confirmation))))
    return rows


# --- the audit sample ---------------------------------------------------------------------


def _confirm_rate(cases: pd.DataFrame) -> ConfirmRate:
    decided = cases[cases["human_decision"]]
    confirmed = int((decided["decision"] == "confirmed").sum())
    return ConfirmRate(cases=len(cases), decided=len(decided), confirmed=confirmed,
                       rate=_ratio(confirmed, len(decided)))


def audit_sample_comparison(cases: pd.DataFrame) -> AuditSampleComparison:
    return AuditSampleComparison(
        audit_sample=_confirm_rate(cases[cases["origin"] == AUDIT_ORIGIN]),
        flagged=_confirm_rate(cases[cases["origin"].isin(FLAG_ORIGINS)]))


# --- alerts -------------------------------------------------------------------------------


def _ids(ids: list[int]) -> str:
    named = ", ".join(str(i) for i in ids[:IDS_NAMED])
    return named + (f" and {len(ids) - IDS_NAMED} more" if len(ids) > IDS_NAMED else "")


def _per_type(rows: list, entity_type: str) -> list:
    return [row for row in rows if row.entity_type == entity_type]


def coverage_alerts(overdue: list[OverdueCase], unreviewed: list[UnreviewedCase],
                    no_second: list[UnreviewedCase]) -> list[Alert]:
    alerts = []
    for entity_type in sorted({row.entity_type for row in overdue}):
        rows = _per_type(overdue, entity_type)
        alerts.append(Alert(
            monitor="coverage", entity_type=entity_type, subject="overdue cases",
            value=len(rows), limit=0, message=(
                f"{len(rows)} {entity_type} review case(s) open past their due date (the "
                f"oldest {rows[0].hours_overdue:.0f} h overdue): cases "
                f"{_ids([r.case_id for r in rows])}; assign reviewers to them.")))
    for subject, found, what in (
            ("closed without decision", unreviewed, "closed without a human decision"),
            ("red dismissal without second review", no_second,
             "red dismissal(s) closed without a second reviewer")):
        for entity_type in sorted({row.entity_type for row in found}):
            rows = _per_type(found, entity_type)
            alerts.append(Alert(
                monitor="coverage", entity_type=entity_type, subject=subject,
                value=len(rows), limit=0, message=(
                    f"{len(rows)} {entity_type} case(s) {what}: cases "
                    f"{_ids([r.case_id for r in rows])}; check how they were closed and "
                    f"reopen them for review.")))
    return alerts


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _beyond_band(verb: str, rate: float | None, comparison: PeerComparison | None) -> str | None:
    if comparison is None or not comparison.outlier:
        return None
    z = "every peer alike" if comparison.z is None else f"z = {comparison.z:+.1f}"
    return f"{verb} {_percent(rate)} against {_percent(comparison.peer_mean)} for peers ({z})"


def reviewer_alerts(reviewers: list[ReviewerStats], limit: float) -> list[Alert]:
    alerts = []
    for r in (r for r in reviewers if r.outlier):
        found = [text for text in (
            _beyond_band("dismissed", r.dismissal_rate, r.dismissal),
            _beyond_band("confirmed", r.confirmation_rate, r.confirmation)) if text]
        first = r.dismissal if r.dismissal and r.dismissal.outlier else r.confirmation
        alerts.append(Alert(
            monitor="reviewer", entity_type=None, subject=r.reviewer,
            value=first.z if first else None, limit=limit,
            message=(f"Reviewer {r.reviewer}, {r.decisions} decisions: {'; '.join(found)} "
                     f"(limit {limit:g} sd): shelving cases is itself a risk, so have a "
                     f"supervisor re-examine a sample of them.")))
    return alerts


# --- the monitor --------------------------------------------------------------------------


def coverage(session: Session, *, now: dt.datetime, config: MonitoringConfig,
             since: dt.datetime | None = None) -> CoverageResult:
    """Review coverage and reviewer behaviour as of `now` (aware; module docstring)."""
    now = require_aware(now)
    since = None if since is None else require_aware(since)
    cases = classify(read_cases(session), now)
    events = read_events(session)
    period = cases if since is None else cases[cases["opened_at"] >= since]
    decisions = decisions_made(cases, events)
    if since is not None:
        decisions = decisions[decisions["at"] >= since]
    overdue = overdue_cases(cases, events, now)
    unreviewed, no_second = closed_without_decision(cases), missing_second_review(cases)
    reviewers = reviewer_stats(decisions, config)
    return CoverageResult(
        now=now, since=since, outlier_z=config.outlier_z,
        min_reviewer_decisions=config.min_reviewer_decisions,
        overall=_share_row("all", period["status"]),
        by_level=shares_by(period, "level", LEVELS),
        by_unit=shares_by(period, "unit"),
        by_reviewer=shares_by(period, "reviewer"),
        by_origin=shares_by(period, "origin", ("model", "rule", AUDIT_ORIGIN)),
        overdue=overdue, closed_without_decision=unreviewed,
        missing_second_review=no_second, reviewers=reviewers,
        outliers=[r.reviewer for r in reviewers if r.outlier],
        audit_sample=audit_sample_comparison(period),
        alerts=(coverage_alerts(overdue, unreviewed, no_second)
                + reviewer_alerts(reviewers, config.outlier_z)))


# --- the figure ---------------------------------------------------------------------------


def _share_bars(ax, rows: list[OnTimeShare], title: str) -> None:  # noqa: ANN001
    ax.set_title(title)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("decided on time")
    if not rows:
        ax.text(0.5, 0.5, "no cases", ha="center", va="center", transform=ax.transAxes)
        return
    bars = ax.bar([r.group for r in rows], [r.share or 0.0 for r in rows], color="#4c72b0")
    ax.bar_label(bars, labels=[f"{r.on_time}/{r.due}" for r in rows], fontsize=8)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)


def _dismissal_bars(ax, result: CoverageResult) -> None:  # noqa: ANN001
    rows = result.reviewers
    ax.set_title(f"Dismissal rate by reviewer; peer band ± {result.outlier_z:g} sd")
    ax.set_ylim(0, 1.15)
    if not rows:
        ax.text(0.5, 0.5, "no decisions", ha="center", va="center", transform=ax.transAxes)
        return
    colours = ["#c44e52" if r.outlier else "#4c72b0" if r.compared else "#bbbbbb"
               for r in rows]
    x = np.arange(len(rows))
    bars = ax.bar(x, [r.dismissal_rate or 0.0 for r in rows], color=colours)
    ax.bar_label(bars, labels=[f"n={r.decisions}" for r in rows], fontsize=8)
    banded = [(i, r.dismissal) for i, r in enumerate(rows) if r.dismissal is not None]
    if banded:
        means = np.array([c.peer_mean for _, c in banded])
        widths = np.array([result.outlier_z * c.peer_sd for _, c in banded])
        below, above = np.minimum(widths, means), np.minimum(widths, 1 - means)  # within 0..1
        ax.errorbar([i for i, _ in banded], means, yerr=[below, above], fmt="_",
                    markersize=24, color="black", capsize=8, label="peers' mean and band")
        ax.legend(fontsize=8, loc="upper left")
    ax.set_xticks(x, [r.reviewer for r in rows], rotation=30, fontsize=8)


def coverage_figure(result: CoverageResult) -> Figure:
    """On-time shares by level and by reviewer (bars labelled on time / due), and reviewers'
    dismissal rates with their peers' band (red: outlier; grey: too few decisions)."""
    figure = Figure(figsize=(12, 8), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplot_mosaic([["level", "reviewer"], ["dismissal", "dismissal"]])
    _share_bars(axes["level"], result.by_level, "On time by level")
    _share_bars(axes["reviewer"], result.by_reviewer, "On time by reviewer")
    _dismissal_bars(axes["dismissal"], result)
    figure.suptitle(f"Review coverage as of {result.now:%Y-%m-%d %H:%M} UTC")
    return figure
