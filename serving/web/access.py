"""Who may open which page: the dashboard's sign-in and its own permission list.

The dashboard takes the same users and tokens as the API (users.yaml): the login page takes a
token and keeps it in an HttpOnly, SameSite=Strict cookie, so forms posted from another site
carry no credentials. Each page names its roles in PAGES, with the same choices as the API's
matrix (serving/api/permissions.py): dossiers for the people who act on flags, the queue for
reviewers, monitoring and models for supervisors and data scientists, the rule library for
everyone (changing it is the API's, for supervisors). A caller without a
token is sent to the login page; one whose roles do not allow a page gets a 403 page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from serving.api.permissions import EVERYONE, MONITOR_READERS, REVIEWERS
from serving.config import User

COOKIE = "huoyan_token"
DOSSIER_READERS = frozenset({"analyst", "reviewer", "supervisor", "admin"})
MODEL_READERS = frozenset({"data_scientist", "supervisor", "admin"})

# page -> roles allowed; the navigation shows a caller the pages he may open.
PAGES: dict[str, frozenset[str]] = {
    "ranking": EVERYONE,
    "dossier": DOSSIER_READERS,
    "queue": REVIEWERS,
    "monitoring": MONITOR_READERS,
    "models": MODEL_READERS,
    "rules": EVERYONE,
}
NAVIGATION = (("ranking", "/ranking", "Daily ranking"), ("queue", "/queue", "Review queue"),
              ("monitoring", "/monitoring", "Monitoring"), ("models", "/models", "Models"),
              ("rules", "/rules", "Rules"))


class SignInNeeded(Exception):
    """No valid token: the handler redirects to the login page, back here afterwards."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


class PageForbidden(Exception):
    def __init__(self, page: str, user: User) -> None:
        super().__init__(page)
        self.page, self.user = page, user


def signed_in(request: Request) -> User:
    token = request.cookies.get(COOKIE)
    user = request.app.state.service.config.user_for(token) if token else None
    if user is None:
        raise SignInNeeded(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return user


def may_open(user: User, page: str) -> bool:
    return bool(PAGES[page].intersection(user.roles))


def page_user(page: str):  # noqa: ANN201 - a FastAPI dependency
    """The signed-in caller, if his roles may open `page`."""

    def check(user: Annotated[User, Depends(signed_in)]) -> User:
        if not may_open(user, page):
            raise PageForbidden(page, user)
        return user

    return check


def navigation(user: User) -> list[tuple[str, str]]:
    return [(href, label) for page, href, label in NAVIGATION if may_open(user, page)]
