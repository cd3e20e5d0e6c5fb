"""Per-request dependencies: the service state, a database session (one transaction per
request), the current time (overridable in tests), and the authenticated, authorized caller.

The dependencies that do not block are `async`, so they run on the event loop instead of
taking a trip through the thread pool each; the session is a plain generator (it blocks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from serving.api.errors import ApiError
from serving.api.permissions import MATRIX
from serving.api.state import ServiceState
from serving.config import NAME_READERS, ServingConfig, User

bearer = HTTPBearer(auto_error=False, description="the user's token from users.yaml")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="huoyan"'}
INVALID = {"WWW-Authenticate": 'Bearer realm="huoyan", error="invalid_token"'}


async def service_state(request: Request) -> ServiceState:
    return request.app.state.service


State = Annotated[ServiceState, Depends(service_state)]


async def service_config(state: State) -> ServingConfig:
    return state.config


Config = Annotated[ServingConfig, Depends(service_config)]


def database_session(state: State) -> Iterator[Session]:
    """One transaction per request: committed before the answer is sent, rolled back on error."""
    with state.sessions.begin() as session:
        yield session


DbSession = Annotated[Session, Depends(database_session, scope="function")]


async def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


Now = Annotated[dt.datetime, Depends(now)]


async def current_user(
    state: State, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User:
    if credentials is None:
        raise ApiError(401, "unauthenticated", "a bearer token is needed", headers=CHALLENGE)
    user = state.config.user_for(credentials.credentials)
    if user is None:
        raise ApiError(401, "invalid_token", "unknown bearer token", headers=INVALID)
    return user


async def authorize(request: Request, user: Annotated[User, Depends(current_user)]) -> User:
    """The caller, if one of his roles may call the matched route (permissions.MATRIX)."""
    key = request.app.state.route_keys[(request.scope["route"].endpoint, request.method)]
    needed = MATRIX[key]
    if not needed.intersection(user.roles):
        raise ApiError(403, "role_not_allowed",
                       f"needs one of the roles: {', '.join(sorted(needed))}",
                       roles_needed=sorted(needed))
    return user


Caller = Annotated[User, Depends(authorize)]


def reads_names(user: User) -> bool:
    return bool(NAME_READERS.intersection(user.roles))
