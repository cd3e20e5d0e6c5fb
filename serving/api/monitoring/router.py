"""GET /monitoring: each day's drift, fairness, sparsity and review-coverage results and the
HTML report of `huoyan monitor`, for supervisors and data scientists."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from monitoring import store
from monitoring.report import PAGE_NAME, existing_page
from serving.api.deps import Caller, DbSession, State
from serving.api.errors import not_found, responses
from serving.api.monitoring.schemas import MonitoringDates, MonitoringDay
from serving.api.permissions import API

router = APIRouter(tags=["monitoring"], responses=responses(401, 403))
REPORT_FILE = Annotated[str, Path(pattern=f"^{PAGE_NAME}$",
                                  description="index.html or an Evidently page beside it")]


def _day(run: dict | None, what: str) -> MonitoringDay:
    if run is None:
        raise not_found(what)
    report = (f"{API}/monitoring/{run['as_of'].isoformat()}/report/index.html"
              if run["report"] else None)
    return MonitoringDay(**{**run, "report": report})


@router.get("/monitoring/dates", response_model=MonitoringDates,
            summary="Days with monitoring results")
def monitoring_dates(session: DbSession, user: Caller) -> MonitoringDates:
    return MonitoringDates(dates=store.run_dates(session))


@router.get("/monitoring/latest", response_model=MonitoringDay, responses=responses(404),
            summary="The latest day's monitoring results and alerts")
def latest(session: DbSession, user: Caller) -> MonitoringDay:
    return _day(store.read_run(session), "monitoring results (run `huoyan monitor`)")


@router.get("/monitoring/{as_of}", response_model=MonitoringDay, responses=responses(404),
            summary="One day's monitoring results and alerts")
def of_day(as_of: dt.date, session: DbSession, user: Caller) -> MonitoringDay:
    return _day(store.read_run(session, as_of), f"monitoring results of {as_of}")


@router.get("/monitoring/{as_of}/report/{name}", response_class=FileResponse,
            responses={**responses(404),
                       200: {"content": {"text/html": {}}, "description": "the HTML page"}},
            summary="The day's HTML report, or a page beside it")
def report(as_of: dt.date, name: REPORT_FILE, user: Caller, state: State) -> FileResponse:
    path = existing_page(state.settings.reports_dir, as_of, name)
    if path is None:
        raise not_found(f"report {name} of {as_of}")
    return FileResponse(path, media_type="text/html")
