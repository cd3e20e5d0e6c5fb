"""Backtest: run cards over history, before anyone relies on them.

For each card, on the first day of each of the `months` months up to `end` (the as-of dates),
the card is evaluated point-in-time (hits.py) and compared with what is known:

- hits per month: entities hit at that date, and how many of them were not hit the month before;
- precision against `cases`: an entity the card hit counts as confirmed if a case on it opened
  from 365 days before its first hit to 365 days after its last one was confirmed (any scheme),
  dismissed if the cases of that period were all dismissed, and unlabelled otherwise
  (inconclusive or no case: nobody can tell). precision = confirmed / (confirmed + dismissed);
- on a synthetic world, the same against the generator's ground truth (truth precision);
- overlap with the model: of the hits, those the champion model flags (level above none) at the
  same date, as the daily ranking would level them;
- today's additions: the entities hit at `end` that the model does not flag and that have no
  open review case: what publishing the card would add to the queue.

E.g. a card hitting T1 in 2026-03 and 2026-04 and T2 in 2026-04, with T1 confirmed in 2026-06
and T2 never investigated, shows months [.., 2026-03: 1 (1 new), 2026-04: 2 (1 new)], 2 hit
entities, 1 confirmed, 1 unlabelled, precision 1.0.

The card's `expected` is then checked: precision at least min_precision (when the window has
decided labels at all) and at least min_hits hit entities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from features.backend import Tables
from rulebook.card import RuleCard
from rulebook.hits import add_hit_features, evaluate_sets

Progress = Callable[[str], None]
LABEL_MARGIN = pd.Timedelta(days=365)
OpenCases = Callable[[str, list[str]], set[str]]  # (entity type, ids) -> ids with an open case


@dataclass
class BacktestResult:
    rule_id: str
    version: int
    entity_type: str
    content_hash: str
    start: dt.date
    end: dt.date
    months: list[dict]  # [{"month": "2026-01", "hits": 12, "new": 3}, ...]
    hit_entities: int
    confirmed: int
    dismissed: int
    inconclusive: int
    unlabelled: int
    precision: float | None
    truth_precision: float | None
    model_flagged: int
    model_overlap: float | None
    queue_additions: list[str]
    passed: bool = True
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["start"], out["end"] = self.start.isoformat(), self.end.isoformat()
        return out


def as_of_dates(end: dt.date, months: int) -> list[dt.date]:
    """First days of the `months` months ending with end's month, oldest first
    (end 2026-10-01, months 3: 2026-08-01, 2026-09-01, 2026-10-01)."""
    last = pd.Timestamp(end).to_period("M")
    return [(last - i).to_timestamp().date() for i in reversed(range(months))]


@dataclass
class Labels:
    """Cases by entity, and the ground truth where the world has one."""

    cases: pd.DataFrame | None
    members: pd.DataFrame | None = None

    def outcome(self, entity_type: str, spans: pd.DataFrame) -> pd.Series:
        """confirmed / dismissed / inconclusive / unlabelled per entity (spans: entity_id,
        first, last hit date)."""
        result = pd.Series("unlabelled", index=spans["entity_id"].to_numpy(), dtype=object)
        if self.cases is None or self.cases.empty or spans.empty:
            return result
        cases = self.cases[self.cases["entity_type"] == entity_type]
        joined = cases.merge(spans, on="entity_id")
        near = joined[(joined["opened_on"] >= joined["first"] - LABEL_MARGIN)
                      & (joined["opened_on"] <= joined["last"] + LABEL_MARGIN)]
        for entity, outcomes in near.groupby("entity_id")["outcome"]:
            seen = set(outcomes.dropna())
            result[entity] = ("confirmed" if "confirmed" in seen else
                              "dismissed" if "dismissed" in seen else "inconclusive")
        return result

    def truth(self, entity_type: str, hits: pd.DataFrame) -> float | None:
        """Share of the (entity, date) hits whose entity was really involved at that date."""
        if self.members is None or hits.empty:
            return None
        m = self.members[self.members["entity_type"] == entity_type]
        joined = hits.merge(m, on="entity_id", how="left")
        day = pd.to_datetime(joined["as_of"])
        live = (joined["first_on"] < day) & (joined["last_on"] >= day - LABEL_MARGIN)
        involved = live.groupby([joined["entity_id"], joined["as_of"]]).any()
        return float(involved.mean())


def _months(hits: pd.DataFrame, dates: Sequence[dt.date]) -> list[dict]:
    out, before = [], set()
    for day in dates:
        now = set(hits.loc[hits["as_of"] == day, "entity_id"])
        out.append({"month": day.strftime("%Y-%m"), "hits": len(now), "new": len(now - before)})
        before = now
    return out


def _check(card: RuleCard, result: BacktestResult) -> None:
    expected = card.expected
    if result.hit_entities < expected.min_hits:
        result.problems.append(f"{result.hit_entities} hit entities, expected at least "
                               f"{expected.min_hits}")
    if expected.min_precision is not None and result.precision is not None \
            and result.precision < expected.min_precision:
        result.problems.append(f"precision {result.precision:.2f} below the stated "
                               f"{expected.min_precision:.2f}")
    result.passed = not result.problems


def summarize(card: RuleCard, hits: pd.DataFrame, flagged: pd.DataFrame | None,
              dates: Sequence[dt.date], labels: Labels, open_at_end: set[str]) -> BacktestResult:
    """One card's result from its hits over `dates` (HIT_COLUMNS + as_of) and the model's
    flags at the same dates (as_of, entity_id; None when there is no model)."""
    spans = hits.groupby("entity_id")["as_of"].agg(["min", "max"]).reset_index()
    spans.columns = ["entity_id", "first", "last"]
    spans[["first", "last"]] = spans[["first", "last"]].apply(pd.to_datetime)
    outcome = labels.outcome(card.entity_type, spans).value_counts()
    confirmed, dismissed = int(outcome.get("confirmed", 0)), int(outcome.get("dismissed", 0))
    pairs = hits[["as_of", "entity_id"]]
    overlap = flagged_hits = None
    if flagged is not None:
        both = pairs.merge(flagged, on=["as_of", "entity_id"])
        flagged_hits = len(both)
        overlap = len(both) / len(pairs) if len(pairs) else None
    last = set(hits.loc[hits["as_of"] == dates[-1], "entity_id"])
    model_last = set() if flagged is None else set(
        flagged.loc[flagged["as_of"] == dates[-1], "entity_id"])
    result = BacktestResult(
        rule_id=card.id, version=card.version, entity_type=card.entity_type,
        content_hash=card.content_hash(), start=dates[0], end=dates[-1],
        months=_months(hits, dates), hit_entities=len(spans), confirmed=confirmed,
        dismissed=dismissed, inconclusive=int(outcome.get("inconclusive", 0)),
        unlabelled=int(outcome.get("unlabelled", 0)),
        precision=confirmed / (confirmed + dismissed) if confirmed + dismissed else None,
        truth_precision=labels.truth(card.entity_type, hits),
        model_flagged=flagged_hits or 0, model_overlap=overlap,
        queue_additions=sorted(last - model_last - open_at_end),
    )
    _check(card, result)
    return result


def _flags(model, scored: pd.DataFrame, day: dt.date, levels) -> pd.DataFrame:  # noqa: ANN001
    """The entities the model would flag at `day` (as_of, entity_id); `scored`: the day's
    features with the model's rule columns."""
    from serving.ranking.levels import NONE, assign_levels

    raw = model.raw(scored)
    order = np.lexsort((scored["entity_id"].to_numpy(), -raw))
    level = assign_levels(model.calibrator(raw[order]), levels)
    ids = scored["entity_id"].to_numpy()[order][level != NONE]
    return pd.DataFrame({"as_of": day, "entity_id": ids})


def backtest(tables: Tables, cards: Sequence[RuleCard], dates: Sequence[dt.date], labels: Labels,
             *, models: dict | None = None, levels=None, open_cases: OpenCases | None = None,
             progress: Progress = print) -> list[BacktestResult]:
    """Every card over `dates` (see the module docstring); `models`: entity type -> the
    champion RiskModel, for the overlap (types without one get no overlap)."""
    from features.build import build_features

    types = tuple(t for t in ("official", "enterprise", "tender")
                  if any(c.entity_type == t for c in cards))
    hits, flags = {t: [] for t in types}, {t: [] for t in types}
    for day in dates:
        built = build_features(tables, day, entity_types=types)
        for entity_type in types:
            frame, model = built[entity_type].frame, (models or {}).get(entity_type)
            own = model.rules if model is not None else ()
            found, model_hits = evaluate_sets(tables, day, entity_type, frame, [cards, own])
            hits[entity_type].append(found.assign(as_of=day))
            if model is not None:
                scored = add_hit_features(frame, model_hits, own)
                flags[entity_type].append(_flags(model, scored, day, levels))
        progress(f"backtest {day}: " + ", ".join(
            f"{t} {len(hits[t][-1]):,} hits" for t in types))
    results = []
    for card in cards:
        found = pd.concat(hits[card.entity_type], ignore_index=True)
        found = found[found["rule_id"] == card.id]
        flagged = pd.concat(flags[card.entity_type], ignore_index=True) \
            if flags[card.entity_type] else None
        last = found.loc[found["as_of"] == dates[-1], "entity_id"].tolist()
        busy = open_cases(card.entity_type, last) if open_cases else set()
        results.append(summarize(card, found, flagged, dates, labels, busy))
    return results


def run_backtest(data_dir: Path, cards: list[RuleCard], *, end: dt.date | None = None,
                 months: int = 12, progress: Progress = print) -> list[BacktestResult]:
    """Backtest `cards` on a data directory: its cases, its ground truth if it has one, the
    champion models for the overlap, the service database's open cases for the additions.
    `end` defaults to the first day of the month of the data's last tender publication."""
    from data_contracts.loader import load_dataset
    from features.backend import load
    from training.command import truth_members

    dataset = load_dataset(Path(data_dir))
    tables = load(dataset)
    end = end or _data_end(dataset)
    dates = as_of_dates(end, months)
    labels = Labels(dataset.cases, truth_members(Path(data_dir), None))
    return backtest(tables, cards, dates, labels, models=_champions(cards),
                    levels=_levels(), open_cases=_open_cases, progress=progress)


def _data_end(dataset) -> dt.date:  # noqa: ANN001 - a Dataset
    last = pd.Timestamp(dataset.tenders["published_on"].max())
    return last.to_period("M").to_timestamp().date()


def _champions(cards: Sequence[RuleCard]) -> dict:
    from training import tracking

    tracking.connect()
    found = {}
    for entity_type in {c.entity_type for c in cards}:
        champion = tracking.champion(entity_type)
        if champion is not None:
            found[entity_type] = champion[0]
    return found


def _levels():  # noqa: ANN202 - the serving levels
    from serving.config import load_config

    return load_config().levels


def _open_cases(entity_type: str, ids: list[str]) -> set[str]:
    from serving.db import migrate, transaction
    from serving.ranking.cases import open_cases

    migrate()
    with transaction() as session:
        return set(open_cases(session, entity_type, ids))


__all__ = ["BacktestResult", "Labels", "as_of_dates", "backtest", "run_backtest"]
