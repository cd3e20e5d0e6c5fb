"""The supervision-room dashboard: server-rendered pages over the same data as the API.

    /login            a token, kept in a cookie         everyone
    /ranking          the day's ranking per type          every role
    /entities/T/ID    the dossier (the read is audited)  analyst, reviewer, supervisor, admin
    /queue            my cases, the next case, decisions reviewer, supervisor, admin
    /monitoring       drift, fairness, coverage, alerts  supervisor, data_scientist, admin
    /models           champion and challenger, SHAP      supervisor, data_scientist, admin
    /rules            the rule library, backtests, hits  every role

Charts are inline SVG drawn on the server (serving/web/charts.py) and the only script is none:
pages render in milliseconds and need nothing from the network. Forms post back here and
redirect (post/redirect/get), so a reload never repeats a decision.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from serving.api.common import EntityType, Level
from serving.api.errors import ApiError
from serving.api.state import ServiceState
from serving.config import User
from serving.web import charts, data
from serving.web.access import (
    COOKIE,
    PAGES,
    PageForbidden,
    SignInNeeded,
    may_open,
    navigation,
    page_user,
)

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(
    zip=lambda first, second: zip(first, second, strict=True),
    pct=lambda value: "—" if value is None else f"{100 * value:.1f} %",
    aware=lambda moment: moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC),
    reason_items=lambda reasons: [(r.get("text") or r.get("feature", ""),
                                   float(r.get("contribution", 0.0))) for r in reasons],
    ratio_items=lambda rows: [(f"{g['column']} = {g['group']}: {g['metric'].replace('_', ' ')}",
                               math.log2(g["ratio"]) if g.get("ratio") else float("nan"))
                              for g in rows],
)
router = APIRouter(include_in_schema=False)
PAGE_ROWS = 50


def render(request: Request, template: str, user: User | None, status: int = 200,
           **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, status_code=status, context={
        "user": user, "nav": navigation(user) if user else [], "charts": charts,
        "user_pages": {p for p in PAGES if may_open(user, p)} if user else set(),
        "message": request.query_params.get("message"), **context})


def install(app: FastAPI) -> None:
    """The pages, their stylesheet, and what a page does without a token or the right role."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(SignInNeeded)
    async def _sign_in(_request: Request, needed: SignInNeeded) -> RedirectResponse:
        return RedirectResponse(f"/login?{urlencode({'next': needed.back_to})}", status_code=303)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, refused: PageForbidden) -> HTMLResponse:
        return render(request, "forbidden.html", refused.user, status=403,
                      roles=sorted(PAGES[refused.page]))


def back(path: str, message: str | None = None) -> RedirectResponse:
    suffix = f"{'&' if '?' in path else '?'}message={quote(message)}" if message else ""
    return RedirectResponse(path + suffix, status_code=303)


def state_of(request: Request) -> ServiceState:
    return request.app.state.service


# --- sign in -------------------------------------------------------------------------------

@router.get("/", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/ranking", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/ranking") -> HTMLResponse:  # noqa: A002
    return render(request, "login.html", None, next=next if next.startswith("/") else "/ranking")


@router.post("/login")
def login(request: Request, token: Annotated[str, Form()],
          next: Annotated[str, Form()] = "/ranking") -> Response:  # noqa: A002
    user = state_of(request).config.user_for(token.strip())
    if user is None:
        return render(request, "login.html", None, next=next, error="Unknown token.")
    response = RedirectResponse(next if next.startswith("/") else "/ranking", status_code=303)
    response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=12 * 3600)
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


# --- ranking -------------------------------------------------------------------------------

@router.get("/ranking", response_class=HTMLResponse)
def ranking(
    request: Request, user: Annotated[User, Depends(page_user("ranking"))],
    entity_type: EntityType = "official", as_of: dt.date | None = None,
    level: Annotated[Level | Literal[""] | None, Query(description="empty: all")] = None,
    region: str | None = None, sector: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    level = level or None  # the filter form sends "" for "all"
    with state_of(request).sessions() as session:
        day = data.ranking_day(session, entity_type, as_of, level, region or None,
                               sector or None, offset, PAGE_ROWS, user)
    query = {k: v for k, v in {"entity_type": entity_type, "as_of": day.as_of, "level": level,
                               "region": region, "sector": sector}.items() if v}
    return render(request, "ranking.html", user, day=day, entity_type=entity_type, level=level,
                  region=region or "", sector=sector or "", query=urlencode(query),
                  page_rows=PAGE_ROWS)


# --- dossier -------------------------------------------------------------------------------

@router.get("/entities/{entity_type}/{entity_id}", response_class=HTMLResponse)
async def dossier(request: Request, entity_type: EntityType, entity_id: str,
                  user: Annotated[User, Depends(page_user("dossier"))]) -> HTMLResponse:
    from serving.api.entities.router import read_dossier

    state, now = state_of(request), dt.datetime.now(dt.UTC)
    try:
        found = await run_in_threadpool(read_dossier, state, entity_type, entity_id, user, now)
    except ApiError:
        return render(request, "missing.html", user, status=404,
                      what=f"{entity_type} {entity_id}")
    decisions = await run_in_threadpool(data.case_events, state, [c.id for c in found.cases])
    return render(request, "dossier.html", user, d=found, decisions=decisions,
                  thresholds={name: rule.threshold for name, rule in state.config.levels.items()},
                  network=data.network_links(found))


# --- review queue --------------------------------------------------------------------------

@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, user: Annotated[User, Depends(page_user("queue"))]) -> HTMLResponse:
    state = state_of(request)
    with state.sessions() as session:
        board = data.queue_board(session, user, dt.datetime.now(dt.UTC))
    return render(request, "queue.html", user, board=board, codes=state.config.reason_codes)


@router.post("/queue/claim")
def claim(request: Request, user: Annotated[User, Depends(page_user("queue"))]) -> Response:
    from serving.review import service

    def take(session: Session) -> str:
        case = service.claim_next(session, reviewer=user.name, now=dt.datetime.now(dt.UTC))
        return "No case is waiting." if case is None else f"You now hold case {case.id}."

    return back("/queue", data.workflow_step(state_of(request), take))


@router.post("/queue/{case_id}/decision")
def decide(request: Request, case_id: int, user: Annotated[User, Depends(page_user("queue"))],
           decision: Annotated[str, Form()], reason_code: Annotated[str, Form()],
           note: Annotated[str, Form()] = "") -> Response:
    from serving.review import service

    state = state_of(request)
    return back("/queue", data.workflow_step(state, lambda session: service.decide(
        session, case_id=case_id, reviewer=user.name, decision=decision,
        reason_code=reason_code, note=note, now=dt.datetime.now(dt.UTC), config=state.config)))


@router.post("/queue/{case_id}/second-review")
def second_review(request: Request, case_id: int,
                  user: Annotated[User, Depends(page_user("queue"))],
                  agree: Annotated[bool, Form()], note: Annotated[str, Form()] = "") -> Response:
    from serving.review import service

    return back("/queue", data.workflow_step(state_of(request), lambda session: service.second_review(
        session, case_id=case_id, reviewer=user.name, agree=agree, note=note,
        now=dt.datetime.now(dt.UTC))))


# --- monitoring and models -----------------------------------------------------------------

@router.get("/monitoring", response_class=HTMLResponse)
def monitoring(request: Request, user: Annotated[User, Depends(page_user("monitoring"))],
               as_of: dt.date | None = None) -> HTMLResponse:
    from monitoring import store

    with state_of(request).sessions() as session:
        run = store.read_run(session, as_of)
        dates = store.run_dates(session)
    return render(request, "monitoring.html", user, run=run, dates=dates,
                  view=data.monitoring_view(run) if run else None)


@router.get("/monitoring/{as_of}/report/{name}")
def monitoring_report(request: Request, as_of: dt.date, name: str,
                      user: Annotated[User, Depends(page_user("monitoring"))]) -> Response:
    from monitoring.report import existing_page

    path = existing_page(state_of(request).settings.reports_dir, as_of, name)
    if path is None:
        return render(request, "missing.html", user, status=404, what=f"report {name} of {as_of}")
    return FileResponse(path, media_type="text/html")


@router.get("/models", response_class=HTMLResponse)
def models(request: Request, user: Annotated[User, Depends(page_user("models"))]) -> HTMLResponse:
    return render(request, "models.html", user, types=data.model_cards(state_of(request)))


@router.get("/models/{entity_type}/{run_id}/plots/{name}")
def model_plot(request: Request, entity_type: EntityType, run_id: str, name: str,
               user: Annotated[User, Depends(page_user("models"))]) -> Response:
    path = data.plot_file(state_of(request), run_id, name)
    if path is None:
        return render(request, "missing.html", user, status=404, what=f"plot {name}")
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "max-age=86400"})



# --- rule library --------------------------------------------------------------------------

@router.get("/rules", response_class=HTMLResponse)
def rules(request: Request, user: Annotated[User, Depends(page_user("rules"))]) -> HTMLResponse:
    with state_of(request).sessions() as session:
        rows = data.rule_rows(session)
    return render(request, "rules.html", user, rows=rows, rule_days=data.RULE_DAYS)


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule(request: Request, rule_id: str,
         user: Annotated[User, Depends(page_user("rules"))]) -> HTMLResponse:
    try:
        with state_of(request).sessions() as session:
            view = data.rule_view(session, rule_id)
    except ApiError:
        return render(request, "missing.html", user, status=404, what=f"rule {rule_id}")
    return render(request, "rule.html", user, v=view, c=view.detail.card)
