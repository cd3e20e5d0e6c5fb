"""The dossier's reads: a handful of indexed queries, no pandas.

identity (primary key), score history (ix_rankings_history), the latest row and the latest
row with features (same index, newest first), links (ix_links_from), cases (ix_cases_entity)
and their warnings (the (case_id, as_of) unique index); the rule hits are the rule library's
(rulebook.store.entity_hits).

They select table columns (SQLAlchemy Core rows), not ORM objects: the dossier is the hottest
read, and rows skip the identity map and instance construction, about a third of its CPU.
Rows answer to the same attribute names, so the router reads them like the models.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from rulebook import store as rule_store
from serving.models import CaseWarning, Entity, EntityLink, Ranking, ReviewCase


ENTITIES, RANKINGS = Entity.__table__, Ranking.__table__
LINKS, CASES, WARNINGS = EntityLink.__table__, ReviewCase.__table__, CaseWarning.__table__


def identity(session: Session, entity_type: str, entity_id: str) -> Row | None:
    query = select(ENTITIES).where(ENTITIES.c.entity_type == entity_type,
                                   ENTITIES.c.entity_id == entity_id)
    return session.execute(query).first()


def history(session: Session, entity_type: str, entity_id: str) -> Sequence[Row]:
    columns = RANKINGS.c
    query = (select(columns.as_of, columns.score, columns.rank, columns.level,
                    columns.model_version)
             .where(columns.entity_type == entity_type, columns.entity_id == entity_id)
             .order_by(columns.as_of))
    return session.execute(query).all()


def _newest(entity_type: str, entity_id: str):  # noqa: ANN202 - a Select
    return (select(RANKINGS)
            .where(RANKINGS.c.entity_type == entity_type, RANKINGS.c.entity_id == entity_id)
            .order_by(RANKINGS.c.as_of.desc()).limit(1))


def latest(session: Session, entity_type: str, entity_id: str) -> Row | None:
    return session.execute(_newest(entity_type, entity_id)).first()


def latest_with_features(session: Session, entity_type: str, entity_id: str) -> Row | None:
    query = _newest(entity_type, entity_id).where(RANKINGS.c.features.is_not(None))
    return session.execute(query).first()


def links(session: Session, entity_type: str, entity_id: str) -> Sequence[Row]:
    query = (select(LINKS)
             .where(LINKS.c.entity_type == entity_type, LINKS.c.entity_id == entity_id)
             .order_by(LINKS.c.id))
    return session.execute(query).all()


def cases(session: Session, entity_type: str, entity_id: str) -> Sequence[Row]:
    query = (select(CASES)
             .where(CASES.c.entity_type == entity_type, CASES.c.entity_id == entity_id)
             .order_by(CASES.c.opened_at, CASES.c.id))
    return session.execute(query).all()


def warnings_by_case(session: Session, case_ids: list[int]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return found
    query = (select(WARNINGS).where(WARNINGS.c.case_id.in_(case_ids))
             .order_by(WARNINGS.c.case_id, WARNINGS.c.as_of))
    for warning in session.execute(query):
        found[warning.case_id].append(warning)
    return found


def rule_hits(session: Session, entity_type: str, entity_id: str) -> list[dict]:
    return rule_store.entity_hits(session, entity_type, entity_id)
