"""Why a review action was refused, by kind, so the API can answer with the right status.

    try:
        service.decide(session, case_id=12, reviewer="wang", ...)
    except WorkflowError as error:
        raise HTTPException(http_status(error), str(error))

The messages are for people: they name the case, its state and what was expected.
"""

from __future__ import annotations


class WorkflowError(ValueError):
    """Base of every refusal of the review workflow."""

    status = 400


class NotFound(WorkflowError):
    status = 404


class CaseNotFound(NotFound):
    pass


class NotificationNotFound(NotFound):
    pass


class SuppressionNotFound(NotFound):
    pass


class WrongState(WorkflowError):
    """Not allowed in the case's state, or the case is held by someone else."""

    status = 409


class NotAllowed(WorkflowError):
    """Allowed in this state, but not to this person (e.g. four eyes: not the first reviewer)."""

    status = 403


class InvalidInput(WorkflowError):
    status = 422


class InvalidDecision(InvalidInput):
    """Unknown decision, a reason code not allowed for it, an empty note."""


class InvalidSuppression(InvalidInput):
    """Empty reason, an end date in the past, an unknown entity type."""


def http_status(error: WorkflowError) -> int:
    return error.status
