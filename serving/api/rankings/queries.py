"""The rankings' queries: one page of a day's ranking (with names) and the dates available."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, and_, func, select
from sqlalchemy.orm import Session

from serving.models import Entity, Ranking, RankingRun


@dataclass(frozen=True)
class RankingFilter:
    as_of: dt.date
    entity_type: str | None
    level: str | None
    region: str | None
    sector: str | None = None  # the unit's sector, in the directory's details (the dashboard)

    def conditions(self) -> list:
        wanted = [Ranking.as_of == self.as_of]
        if self.entity_type:
            wanted.append(Ranking.entity_type == self.entity_type)
        if self.level:
            wanted.append(Ranking.level == self.level)
        if self.region:
            wanted.append(Ranking.region == self.region)
        if self.sector:
            wanted.append(Entity.details.contains(f'"sector": "{self.sector}"'))
        return wanted


JOINED = and_(Entity.entity_type == Ranking.entity_type, Entity.entity_id == Ranking.entity_id)


def latest_date(session: Session, entity_type: str | None) -> dt.date | None:
    query = select(func.max(RankingRun.as_of))
    if entity_type:
        query = query.where(RankingRun.entity_type == entity_type)
    return session.scalar(query)


def count(session: Session, wanted: RankingFilter) -> int:
    query = select(func.count()).select_from(Ranking)
    if wanted.sector:
        query = query.outerjoin(Entity, JOINED)
    return session.scalar(query.where(*wanted.conditions()))


def page(session: Session, wanted: RankingFilter, limit: int, offset: int
         ) -> Sequence[Row[tuple[Ranking, str | None, bool | None]]]:
    """Rows ranked best first (by type, then rank), each with its entity's name and kind."""
    query = (select(Ranking, Entity.name, Entity.is_person).outerjoin(Entity, JOINED)
             .where(*wanted.conditions())
             .order_by(Ranking.entity_type, Ranking.rank).limit(limit).offset(offset))
    return session.execute(query).all()


def dates(session: Session) -> dict[str, list[dt.date]]:
    """Ranking dates per entity type, newest first."""
    found: dict[str, list[dt.date]] = {}
    query = select(RankingRun.entity_type, RankingRun.as_of).order_by(
        RankingRun.entity_type, RankingRun.as_of.desc())
    for entity_type, as_of in session.execute(query):
        found.setdefault(entity_type, []).append(as_of)
    return found
