"""Monitoring results in the service database: one MonitorRun per day, one MonitorResult per
monitor and entity type, figures and alerts as JSON. A re-run of the day replaces its run in
one transaction, so the API never serves half a day."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from monitoring.alerts import Alert
from serving.models import MonitorResult, MonitorRun
from serving.timestamps import utc


@dataclass
class Result:
    """One monitor's figures (JSON-ready) and alerts, for one entity type or for all (None)."""

    monitor: str
    entity_type: str | None
    figures: dict[str, Any]
    alerts: list[Alert] = field(default_factory=list)


def replace_run(session: Session, *, as_of: dt.date, results: list[Result], report: str | None,
                now: dt.datetime) -> int:
    """Delete the day's run and results, insert the new ones; the run's id."""
    old = session.scalars(select(MonitorRun.id).where(MonitorRun.as_of == as_of)).all()
    session.execute(delete(MonitorResult).where(MonitorResult.run_id.in_(old)))
    session.execute(delete(MonitorRun).where(MonitorRun.as_of == as_of))
    run = MonitorRun(as_of=as_of, created_at=now, report=report,
                     alerts=sum(len(r.alerts) for r in results))
    session.add(run)
    session.flush()
    session.add_all(MonitorResult(
        run_id=run.id, monitor=r.monitor, entity_type=r.entity_type,
        figures=json.dumps(r.figures, ensure_ascii=False, allow_nan=False),
        alerts=json.dumps([a.model_dump() for a in r.alerts], ensure_ascii=False))
        for r in results)
    return run.id


def run_dates(session: Session) -> list[dt.date]:
    return list(session.scalars(select(MonitorRun.as_of).order_by(MonitorRun.as_of.desc())))


def read_run(session: Session, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """The day's run (default: the latest) with its results, as the API serves it."""
    query = select(MonitorRun).order_by(MonitorRun.as_of.desc()).limit(1)
    if as_of is not None:
        query = select(MonitorRun).where(MonitorRun.as_of == as_of)
    run = session.scalar(query)
    if run is None:
        return None
    rows = session.scalars(select(MonitorResult).where(MonitorResult.run_id == run.id)
                           .order_by(MonitorResult.id)).all()
    results = [{"monitor": r.monitor, "entity_type": r.entity_type,
                "figures": json.loads(r.figures), "alerts": json.loads(r.alerts)} for r in rows]
    return {"as_of": run.as_of, "created_at": utc(run.created_at), "report": run.report,
            "alerts": [a for r in results for a in r["alerts"]], "results": results}
