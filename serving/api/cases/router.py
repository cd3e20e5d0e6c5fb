"""The review queue and the workflow's actions; the rules themselves are serving/review's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from serving.api.cases.schemas import (
    AssignIn,
    CaseDetail,
    CaseLevel,
    CaseList,
    CaseOut,
    CaseState,
    ClaimOut,
    DecisionIn,
    EscalationOut,
    EventOut,
    ReasonCodes,
    SecondReviewIn,
    WarningOut,
)
from serving.api.common import MAX_PAGE, EntityType
from serving.api.deps import Caller, Config, DbSession, Now
from serving.api.errors import ApiError, responses
from serving.api.permissions import REVIEWERS
from serving.config import ServingConfig
from serving.review import service as review

router = APIRouter(tags=["review"], responses=responses(401, 403))
CaseId = Annotated[int, Path(ge=1, description="the case's id")]


@router.get("/reason-codes", response_model=ReasonCodes, summary="Decisions and their reason codes")
def reason_codes(user: Caller, config: Config) -> ReasonCodes:
    return ReasonCodes(
        reason_codes={decision: list(codes) for decision, codes in config.reason_codes.items()},
        second_review="dismissing a red case needs a second reviewer's agreement",
    )


@router.get("/cases", response_model=CaseList, summary="The review queue, soonest due first")
def list_cases(
    session: DbSession, user: Caller, now: Now,
    state: CaseState | None = None,
    assignee: str | None = None,
    mine: Annotated[bool, Query(description="only the caller's cases (over assignee)")] = False,
    level: CaseLevel | None = None,
    overdue: Annotated[bool, Query(description="only open cases past their due time")] = False,
    entity_type: EntityType | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CaseList:
    cases, total = review.queue(session, state=state, assignee=user.name if mine else assignee,
                                level=level, overdue_at=now if overdue else None,
                                entity_type=entity_type, limit=limit, offset=offset)
    return CaseList(cases=[CaseOut.of(c) for c in cases], total=total, limit=limit,
                    offset=offset)


@router.get("/cases/{case_id}", response_model=CaseDetail, responses=responses(404),
            summary="A case with its history and warnings")
def get_case(case_id: CaseId, session: DbSession, user: Caller) -> CaseDetail:
    case = review.get_case(session, case_id)
    return CaseDetail(
        **CaseOut.of(case).model_dump(),
        warnings=[WarningOut.of(w) for w in review.case_warnings(session, case_id)],
        history=[EventOut.of(e) for e in review.case_history(session, case_id)],
    )


@router.post("/cases/claim", response_model=ClaimOut, responses=responses(409),
             summary="Take the most urgent unassigned case")
def claim(session: DbSession, user: Caller, now: Now,
          entity_type: EntityType | None = None) -> ClaimOut:
    case = review.claim_next(session, reviewer=user.name, now=now, entity_type=entity_type)
    return ClaimOut(case=CaseOut.of(case) if case else None)


def _known_reviewer(config: ServingConfig, name: str) -> str:
    user = next((u for u in config.users if u.name == name), None)
    if user is None or not REVIEWERS.intersection(user.roles):
        raise ApiError(422, "unknown_reviewer", f"{name!r} is not a user who may review cases")
    return name


@router.post("/cases/{case_id}/assign", response_model=CaseOut, responses=responses(404, 409),
             summary="Give a case to a reviewer")
def assign(case_id: CaseId, body: AssignIn, session: DbSession, user: Caller, now: Now,
           config: Config) -> CaseOut:
    reviewer = _known_reviewer(config, body.reviewer)
    return CaseOut.of(review.assign(session, case_id=case_id, reviewer=reviewer, by=user.name,
                                    now=now))


@router.post("/cases/{case_id}/start", response_model=CaseOut, responses=responses(404, 409),
             summary="Start reviewing a case assigned to the caller")
def start(case_id: CaseId, session: DbSession, user: Caller, now: Now) -> CaseOut:
    return CaseOut.of(review.start_review(session, case_id=case_id, reviewer=user.name, now=now))


@router.post("/cases/{case_id}/decision", response_model=CaseOut, responses=responses(404, 409),
             summary="Decide a case (confirmed, dismissed, inconclusive) with a reason code")
def decide(case_id: CaseId, body: DecisionIn, session: DbSession, user: Caller, now: Now,
           config: Config) -> CaseOut:
    """Dismissing a red case leaves it awaiting a second reviewer; anything else closes it."""
    return CaseOut.of(review.decide(
        session, case_id=case_id, reviewer=user.name, decision=body.decision,
        reason_code=body.reason_code, note=body.note, now=now, config=config))


@router.post("/cases/{case_id}/second-review", response_model=CaseOut,
             responses=responses(404, 409), summary="Agree or disagree with a red dismissal")
def second_review(case_id: CaseId, body: SecondReviewIn, session: DbSession, user: Caller,
                  now: Now) -> CaseOut:
    """By someone other than the first reviewer: agreeing closes the case, disagreeing sends it
    back into review."""
    return CaseOut.of(review.second_review(session, case_id=case_id, reviewer=user.name,
                                           agree=body.agree, note=body.note, now=now))


@router.post("/cases/escalate", response_model=EscalationOut,
             summary="Raise every overdue undecided case one level now")
def escalate(session: DbSession, user: Caller, now: Now, config: Config) -> EscalationOut:
    escalated = review.escalate_overdue(session, now=now, config=config)
    return EscalationOut(escalated=[CaseOut.of(c) for c in escalated])
