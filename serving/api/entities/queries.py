"""The dossier's reads: a handful of indexed queries, no pandas.

identity (primary key), score history (ix_rankings_history), the latest row and the latest
row with features (same index, newest first), links (ix_links_from), cases (ix_cases_entity)
and their warnings (the (case_id, as_of) unique index).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from serving.models import CaseWarning, Entity, EntityLink, Ranking, ReviewCase


def identity(session: Session, entity_type: str, entity_id: str) -> Entity | None:
    return session.get(Entity, (entity_type, entity_id))


def history(session: Session, entity_type: str, entity_id: str) -> Sequence[Row]:
    query = (select(Ranking.as_of, Ranking.score, Ranking.rank, Ranking.level,
                    Ranking.model_version)
             .where(Ranking.entity_type == entity_type, Ranking.entity_id == entity_id)
             .order_by(Ranking.as_of))
    return session.execute(query).all()


def _newest(entity_type: str, entity_id: str):  # noqa: ANN202 - a Select
    return (select(Ranking)
            .where(Ranking.entity_type == entity_type, Ranking.entity_id == entity_id)
            .order_by(Ranking.as_of.desc()).limit(1))


def latest(session: Session, entity_type: str, entity_id: str) -> Ranking | None:
    return session.scalar(_newest(entity_type, entity_id))


def latest_with_features(session: Session, entity_type: str, entity_id: str) -> Ranking | None:
    return session.scalar(_newest(entity_type, entity_id).where(Ranking.features.is_not(None)))


def links(session: Session, entity_type: str, entity_id: str) -> Sequence[EntityLink]:
    query = (select(EntityLink)
             .where(EntityLink.entity_type == entity_type, EntityLink.entity_id == entity_id)
             .order_by(EntityLink.id))
    return session.scalars(query).all()


def cases(session: Session, entity_type: str, entity_id: str) -> Sequence[ReviewCase]:
    query = (select(ReviewCase)
             .where(ReviewCase.entity_type == entity_type, ReviewCase.entity_id == entity_id)
             .order_by(ReviewCase.opened_at, ReviewCase.id))
    return session.scalars(query).all()


def warnings_by_case(session: Session, case_ids: list[int]) -> dict[int, list[CaseWarning]]:
    found: dict[int, list[CaseWarning]] = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return found
    query = (select(CaseWarning).where(CaseWarning.case_id.in_(case_ids))
             .order_by(CaseWarning.case_id, CaseWarning.as_of))
    for warning in session.scalars(query):
        found[warning.case_id].append(warning)
    return found
