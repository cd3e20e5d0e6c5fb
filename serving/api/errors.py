"""Error bodies and the handlers that turn exceptions into clear 4xx answers.

Every error the API raises itself has the body `{"detail": text, "code": machine-readable}`
(validation errors keep FastAPI's standard 422 body). The review workflow's errors map to
status codes by their own `status` (serving/review/errors.py): not found 404, NotAllowed 403,
WrongState 409, invalid input (InvalidDecision, InvalidSuppression) 422, with the error's class
name as code ("wrong_state"); a concurrent update that slipped past the workflow is a 409 too.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from serving.review.errors import WorkflowError, http_status


class ErrorBody(BaseModel):
    detail: str
    code: str


class ApiError(Exception):
    """An error the API answers with `status` and an ErrorBody (plus `extra` fields)."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.headers, self.extra = headers, extra


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers a route may give."""
    texts = {400: "Bad request", 401: "Missing or unknown bearer token",
             403: "The caller's roles do not allow this", 404: "Not found",
             409: "Conflicts with the current state", 422: "Invalid request",
             503: "Not available (database or model)"}
    return {status: {"model": ErrorBody, "description": texts[status]}
            for status in statuses if status != 422}


def _body(code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
    return JSONResponse(_body(error.code, error.detail, **error.extra), status_code=error.status,
                        headers=error.headers)


def workflow_code(error: Exception) -> str:
    """CaseNotFound -> "case_not_found"."""
    name = type(error).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


async def _workflow_error(_request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(_body(workflow_code(error), str(error)), status_code=http_status(error))


def _finite(value: Any) -> Any:
    """NaN and infinities (Python's JSON reader accepts them) as text, so the body is JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


async def _invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    """FastAPI's standard 422 body, safe for inputs JSON cannot carry."""
    return JSONResponse({"detail": _finite(jsonable_encoder(error.errors()))}, status_code=422)


async def _stale(_request: Request, _error: Exception) -> JSONResponse:
    detail = "the record was changed by someone else; reload and retry"
    return JSONResponse(_body("conflict", detail), status_code=409)


async def _integrity(_request: Request, _error: Exception) -> JSONResponse:
    return JSONResponse(_body("conflict", "conflicts with an existing record"), status_code=409)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(WorkflowError, _workflow_error)
