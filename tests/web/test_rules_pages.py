"""The rule library pages in a real browser, on the served ranked home (tests/web/conftest.py):
a supervisor reads the library, opens a card and finds its versions and backtest; a dossier
names the rules that hit the entity. Screenshots go to test-artifacts/screenshots."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import create_engine, text

from tests.conftest import RANKED_DATES
from tests.web.conftest import USERS, Served, screenshot, token


def test_a_supervisor_reads_the_library_and_opens_a_card(signed_in, served: Served) -> None:
    page = signed_in("supervisor")
    page.click("header nav a[href='/rules']")
    page.wait_for_url(f"{served.base}/rules")
    rows = page.locator("table[data-testid=rules] tbody tr[data-testid=rule-row]")
    assert rows.count() > 0, "the ranked home has the shipped cards published"
    first = rows.first
    assert first.locator("svg").count() == 1  # hits per ranked day
    assert first.locator(".severity").inner_text() in ("high", "medium", "low")
    screenshot(page, "rules")

    rule_id = first.get_attribute("data-rule")
    first.locator(f"a[href='/rules/{rule_id}']").click()
    page.wait_for_url(f"{served.base}/rules/{rule_id}")
    assert page.inner_text("[data-testid=rule-title]").startswith(rule_id)
    assert page.locator("[data-testid=card] pre.rule-logic").count() >= 1
    versions = page.locator("[data-testid=versions] tr[data-testid=version]")
    assert versions.count() >= 1 and "published" in versions.first.inner_text()
    assert "Latest backtest" in page.inner_text("[data-testid=backtest]")
    assert page.locator("[data-testid=hits] svg").count() == 1
    screenshot(page, "rule")


def test_every_role_reads_the_library_and_an_unknown_rule_is_missing(served: Served) -> None:
    for role in USERS:
        with httpx.Client(base_url=served.base, follow_redirects=False, timeout=30) as client:
            assert client.post("/login", data={"token": token(role)}).status_code == 303
            assert client.get("/rules").status_code == 200, role
            assert client.get("/rules/ZZ-999").status_code == 404, role


def test_the_dossier_names_the_rules_that_hit_the_entity(signed_in, served: Served) -> None:
    engine = create_engine(f"sqlite:///{served.home / 'huoyan.db'}")
    with engine.connect() as connection:
        hit = connection.execute(text(
            "SELECT entity_type, entity_id, rule_id FROM rule_hits WHERE as_of = :day "
            "ORDER BY entity_type DESC, entity_id LIMIT 1"), {"day": RANKED_DATES[-1]}).one()
    engine.dispose()
    page = signed_in("supervisor")
    page.goto(f"{served.base}/entities/{hit.entity_type}/{hit.entity_id}")
    link = page.locator(f"table[data-testid=rule-hits] a[href='/rules/{hit.rule_id}']")
    assert link.count() == 1
    link.click()
    page.wait_for_url(re.compile(rf"/rules/{re.escape(hit.rule_id)}$"))
