"""GET /entities/{entity_type}/{entity_id}: the dossier. Every read is in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy import Row
from starlette.concurrency import run_in_threadpool

from serving.api.cases.schemas import CaseOut, CaseWithWarnings, WarningOut
from serving.api.common import EntityType, json_response, parse_json, pseudonym, shown_name
from serving.api.deps import Caller, DbSession, Now, State
from serving.api.state import ServiceState
from serving.api.entities import queries
from serving.api.entities.schemas import (
    Dossier,
    Features,
    FeatureValue,
    Identity,
    Latest,
    Link,
    RuleHitOut,
    ScorePoint,
)
from serving.api.errors import not_found, responses
from serving.config import User
from serving.review import service as review

if TYPE_CHECKING:
    from features.registry import Registry

router = APIRouter(tags=["dossier"], responses=responses(401, 403))


def identity_of(entity_type: str, entity_id: str, entity: Row | None, region: str | None,
                user: User) -> Identity:
    """From the directory row; without one, a bare identity (officials count as persons)."""
    is_person = entity.is_person if entity else entity_type == "official"
    return Identity(
        entity_type=entity_type, entity_id=entity_id,
        name=shown_name(entity.name if entity else None, is_person, user),
        pseudonym=pseudonym(entity_id, is_person), is_person=is_person,
        region=entity.region if entity else region,
        details=parse_json(entity.details, {}) if entity else {},
        as_of=entity.as_of if entity else None,
    )


def feature_values(row: Row | None, registry: Registry) -> Features:
    if row is None:
        return Features(as_of=None, values=[])
    values = parse_json(row.features, {})
    described = []
    for name, value in values.items():
        try:
            feature = registry.get(name)
        except KeyError:  # a feature the running code no longer declares
            described.append(FeatureValue(name=name, value=value, description="", unit="",
                                          text=""))
            continue
        described.append(FeatureValue(name=name, value=value, description=feature.description,
                                      unit=feature.unit, text=feature.sentence(values)))
    return Features(as_of=row.as_of, values=described)


def latest_of(row: Row | None) -> Latest | None:
    if row is None:
        return None
    return Latest(as_of=row.as_of, score=row.score, rank=row.rank, level=row.level,
                  model_version=row.model_version, reasons=parse_json(row.reasons, []),
                  rules=parse_json(row.rules, []))


def link_of(link: Row, user: User) -> Link:
    return Link(linked_type=link.linked_type, linked_id=link.linked_id,
                name=shown_name(link.linked_name, link.linked_is_person, user),
                pseudonym=pseudonym(link.linked_id, link.linked_is_person),
                is_person=link.linked_is_person, relation=link.relation, weight=link.weight)


def cases_of(session: DbSession, entity_type: str, entity_id: str) -> list[CaseWithWarnings]:
    cases = queries.cases(session, entity_type, entity_id)
    warnings = queries.warnings_by_case(session, [c.id for c in cases])
    return [CaseWithWarnings(**CaseOut.of(c).model_dump(),
                             warnings=[WarningOut.of(w) for w in warnings[c.id]])
            for c in cases]


def read_dossier(state: ServiceState, entity_type: str, entity_id: str, user: User,
                 now: dt.datetime) -> Dossier:
    """The dossier, and the read's audit entry, in one transaction (committed together)."""
    with state.sessions.begin() as session:
        entity = queries.identity(session, entity_type, entity_id)
        latest = queries.latest(session, entity_type, entity_id)
        if entity is None and latest is None:
            raise not_found(f"{entity_type} {entity_id}")
        explained = latest if latest is not None and latest.features else (
            queries.latest_with_features(session, entity_type, entity_id))
        result = Dossier(
            identity=identity_of(entity_type, entity_id, entity,
                                 latest.region if latest else None, user),
            latest=latest_of(latest),
            features=feature_values(explained, state.registry),
            history=[ScorePoint(**row._mapping) for row in
                     queries.history(session, entity_type, entity_id)],
            links=[link_of(link, user) for link in queries.links(session, entity_type, entity_id)],
            cases=cases_of(session, entity_type, entity_id),
            rule_hits=[RuleHitOut(**hit) for hit in
                       queries.rule_hits(session, entity_type, entity_id)],
        )
        with state.write_gate:
            review.record_dossier_read(session, actor=user.name, entity_type=entity_type,
                                       entity_id=entity_id, now=now)
            session.commit()
    return result


@router.get("/entities/{entity_type}/{entity_id}", response_model=Dossier,
            responses=responses(404), summary="An entity's dossier (the read is audited)")
async def dossier(
    entity_type: EntityType,
    entity_id: Annotated[str, Path(min_length=1, max_length=64)],
    user: Caller, now: Now, state: State,
) -> Response:
    """Identity, latest score with reasons and rule hits, feature values with their meaning,
    score history, linked entities and review cases. Persons' names only for the roles that
    may read them. Every read is recorded in the audit log: who, when, whose dossier."""
    # The hottest route: one trip to the thread pool for all its database work, where a
    # session dependency would add two more (its opening and its closing).
    result = await run_in_threadpool(read_dossier, state, entity_type, entity_id, user, now)
    return json_response(result)
