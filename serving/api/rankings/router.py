"""GET /rankings and /rankings/dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import Row

from serving.api.common import (
    MAX_PAGE,
    EntityType,
    Level,
    Paging,
    json_response,
    parse_json,
    pseudonym,
    shown_name,
)
from serving.api.deps import Caller, DbSession
from serving.api.errors import responses
from serving.api.rankings import queries
from serving.api.rankings.queries import RankingFilter
from serving.api.rankings.schemas import RankingDates, RankingDatesOut, RankingPage, RankingRow
from serving.config import User

router = APIRouter(tags=["rankings"], responses=responses(401, 403))


def ranking_row(row: Row, user: User) -> RankingRow:
    ranking, name, is_person = row
    is_person = bool(is_person) if is_person is not None else ranking.entity_type == "official"
    return RankingRow(
        as_of=ranking.as_of, entity_type=ranking.entity_type, entity_id=ranking.entity_id,
        name=shown_name(name, is_person, user), pseudonym=pseudonym(ranking.entity_id, is_person),
        region=ranking.region, score=ranking.score, rank=ranking.rank, level=ranking.level,
        model_version=ranking.model_version, reasons=parse_json(ranking.reasons, []),
        rules=parse_json(ranking.rules, []), previous_score=ranking.previous_score,
        previous_rank=ranking.previous_rank, previous_level=ranking.previous_level,
    )


@router.get("/rankings", response_model=RankingPage, summary="One day's ranking, a page at a time")
def list_rankings(
    session: DbSession, user: Caller,
    as_of: Annotated[dt.date | None, Query(description="default: the latest ranking date")] = None,
    entity_type: EntityType | None = None,
    level: Level | None = None,
    region: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Rows of the output contract ordered by entity type and rank, with each entity's change
    since the previous run, region and display name. Without `as_of`, the latest date ranked
    (of `entity_type`, when given)."""
    as_of = as_of or queries.latest_date(session, entity_type)
    if as_of is None:
        return json_response(RankingPage(as_of=None, paging=Paging(total=0, limit=limit,
                                                                   offset=offset), rows=[]))
    wanted = RankingFilter(as_of, entity_type, level, region)
    rows = [ranking_row(row, user) for row in queries.page(session, wanted, limit, offset)]
    total = queries.count(session, wanted)
    return json_response(RankingPage(as_of=as_of, paging=Paging(total=total, limit=limit,
                                                                 offset=offset), rows=rows))


@router.get("/rankings/dates", response_model=RankingDatesOut,
            summary="The ranking dates available per entity type")
def ranking_dates(session: DbSession, user: Caller) -> RankingDatesOut:
    found = queries.dates(session)
    return RankingDatesOut(types=[
        RankingDates(entity_type=t, latest=(found.get(t) or [None])[0], dates=found.get(t, []))
        for t in ("official", "enterprise", "tender")
    ])
