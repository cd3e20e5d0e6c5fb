"""The dashboard served for real: a copy of the session's ranked and monitored home
(tests/conftest.py), `huoyan serve` in a subprocess on a free port, and Debian's chromium driven by Playwright
(launched by its executable path: nothing is downloaded). Screenshots go to
$HUOYAN_TEST_ARTIFACTS (default test-artifacts/, git-ignored) for people to look at."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import Ranked

USERS = {"reviewer": "li.reviewer", "reviewer_2": "wang.reviewer", "analyst": "zhang.analyst",
         "supervisor": "zhao.supervisor", "data_scientist": "sun.scientist", "admin": "qian.admin"}
ARTIFACTS = Path(os.environ.get("HUOYAN_TEST_ARTIFACTS", "test-artifacts")) / "screenshots"


def token(role: str) -> str:
    return f"{role}-token"


def users_yaml() -> str:
    lines = ["users:"]
    for role, name in USERS.items():
        lines.append(f"  - {{name: {name}, roles: [{role.removesuffix('_2')}], "
                     f"token: {token(role)}}}")
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    home: Path
    base: str


@pytest.fixture(scope="session")
def served(ranked: Ranked, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("web-home")
    shutil.copytree(ranked.home, home, dirs_exist_ok=True)
    (home / "users.yaml").write_text(users_yaml(), encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("MLFLOW_TRACKING_URI", "HUOYAN_DATABASE_URL")}
    server = subprocess.Popen([sys.executable, "-m", "huoyan", "serve", "--port", str(port)],
                              env={**env, "HUOYAN_HOME": str(home)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield Served(home, base)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"huoyan serve exited: {server.stderr.read()[-3000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("huoyan serve did not come up within 120 s")


def chromium_path() -> str:
    found = os.environ.get("HUOYAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        raise RuntimeError("the dashboard tests need Debian's chromium: apt-get install -y "
                           "chromium (.ci/run installs it), or HUOYAN_CHROMIUM=/path")
    return found


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - a Playwright Browser
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def signed_in(browser, served: Served):  # noqa: ANN001, ANN201 - a factory of pages
    """sign_in(role) -> a page signed in through the login form, in a context of its own."""
    contexts = []

    def sign_in(role: str):  # noqa: ANN202
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{served.base}/login")
        page.fill("#token", token(role))
        page.click("button[type=submit]")
        page.wait_for_url(f"{served.base}/ranking")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
