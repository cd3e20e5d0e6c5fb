"""The dashboard in a real browser (Debian's chromium through Playwright), against a served,
ranked and monitored world: what a reviewer, an analyst and a supervisor do every day.
A screenshot of each page is saved (tests/web/conftest.py: test-artifacts/screenshots)."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from serving.web.access import PAGES
from tests.web.conftest import USERS, Served, screenshot, token


def api(served: Served, role: str, path: str, **params) -> dict:  # noqa: ANN003
    answer = httpx.get(f"{served.base}/api/v1{path}", params=params,
                       headers={"Authorization": f"Bearer {token(role)}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def decide_in_queue(page, served: Served, case_id: str, decision: str, reason: str,  # noqa: ANN001
                    note: str) -> None:
    """Fill my case's decision form on the queue page and send it."""
    page.goto(f"{served.base}/queue")
    card = page.locator(f"[data-testid=my-case][data-case='{case_id}']")
    card.locator("[data-testid=decision]").select_option(decision)
    card.locator("[data-testid=reason]").select_option(reason)
    card.locator("[data-testid=note]").fill(note)
    card.locator("[data-testid=decide]").click()
    page.wait_for_url(re.compile(r"/queue\?message="))


def test_reviewer_claims_reads_the_dossier_dismisses_and_the_case_leaves(signed_in,
                                                                         served: Served) -> None:
    page = signed_in("reviewer")
    page.goto(f"{served.base}/queue")
    screenshot(page, "queue")
    page.click("[data-testid=claim]")
    held = re.search(r"You now hold case (\d+)", page.inner_text("[data-testid=message]"))
    assert held, page.inner_text("[data-testid=message]")
    case_id = held.group(1)
    card = page.locator(f"[data-testid=my-case][data-case='{case_id}']")
    assert card.count() == 1

    card.locator("a").first.click()  # the entity's dossier
    page.wait_for_url(re.compile(r"/entities/"))
    assert "Score history" in page.inner_text("main")
    assert "Pseudonymous id" not in page.inner_text("main")  # reviewers read names
    assert f"Case {case_id}" in page.inner_text("main")
    screenshot(page, "dossier")
    subject = page.url.rsplit("/", 1)[-1]

    decide_in_queue(page, served, case_id, "dismissed", "data_error",
                    "the supplier's registry entry was a duplicate")
    said = page.inner_text("[data-testid=message]")
    assert said in (f"Case {case_id}: closed.", f"Case {case_id}: awaiting second review.")
    assert page.locator(f"[data-testid=my-case][data-case='{case_id}']").count() == 0

    case = api(served, "supervisor", f"/cases/{case_id}")
    assert (case["decision"], case["reason_code"], case["decided_by"]) == (
        "dismissed", "data_error", USERS["reviewer"])
    time.sleep(1.5)  # the service seals staged reads into the chain every second
    reads = api(served, "admin", "/audit", actor=USERS["reviewer"], action="dossier_read")
    assert subject in {entry["subject_id"] for entry in reads["entries"]}


def test_a_red_dismissal_waits_for_a_second_reviewer(signed_in, served: Served) -> None:
    first, second = signed_in("reviewer"), signed_in("reviewer_2")
    red = api(served, "supervisor", "/cases", state="new", level="red", limit=1)["cases"]
    assert red, "the ranking opened red cases"
    case_id = str(red[0]["id"])
    assign = httpx.post(f"{served.base}/api/v1/cases/{case_id}/assign",
                        json={"reviewer": USERS["reviewer"]},
                        headers={"Authorization": f"Bearer {token('supervisor')}"})
    assert assign.status_code == 200, assign.text
    decide_in_queue(first, served, case_id, "dismissed", "legitimate_explanation",
                    "a known framework contract")
    assert "awaiting second review" in first.inner_text("[data-testid=message]")
    assert first.locator(f"[data-testid=second-case][data-case='{case_id}']").count() == 0

    second.goto(f"{served.base}/queue")
    waiting = second.locator(f"[data-testid=second-case][data-case='{case_id}']")
    assert "a known framework contract" in waiting.inner_text()
    waiting.locator("textarea").fill("agreed: the framework contract is on file")
    screenshot(second, "second-review")
    waiting.locator("button[value=true]").click()
    assert f"Case {case_id}: closed." in second.inner_text("[data-testid=message]")
    case = api(served, "supervisor", f"/cases/{case_id}")
    assert (case["state"], case["second_reviewer"]) == ("closed", USERS["reviewer_2"])


def test_an_analyst_sees_pseudonymous_ids(signed_in, served: Served) -> None:
    page = signed_in("analyst")
    page.goto(f"{served.base}/ranking?entity_type=official")
    screenshot(page, "ranking-analyst")
    first = page.locator("table[data-testid=ranking] tbody tr").first.locator("a")
    shown = first.inner_text()
    assert re.fullmatch(r"P\d+", shown), shown  # the person id, not a name
    first.click()
    page.wait_for_url(re.compile(r"/entities/official/"))
    assert f"Pseudonymous id {shown}" in page.inner_text("main")
    assert page.url.endswith(shown)
    names = api(served, "supervisor", f"/entities/official/{shown}")["identity"]["name"]
    assert names and names not in page.inner_text("main")  # the name stays hidden
    page.goto(f"{served.base}/queue")
    assert "needs one of the roles" in page.inner_text("[data-testid=forbidden]")


def test_a_supervisor_reads_ranking_monitoring_and_models(signed_in, served: Served) -> None:
    page = signed_in("supervisor")
    page.goto(f"{served.base}/ranking?entity_type=tender&level=red")
    rows = page.locator("table[data-testid=ranking] tbody tr")
    assert rows.count() == 10  # the day's red capacity
    assert rows.first.locator("svg").count() == 1  # the sparkline
    screenshot(page, "ranking")
    page.goto(f"{served.base}/ranking?entity_type=tender")
    every = int(page.inner_text("main").split(" tenders match")[0].split()[-1])
    sectors = page.locator("select[name=sector] option").all_inner_texts()[1:]
    assert "health" in sectors
    page.select_option("select[name=sector]", "health")
    page.click("form.filters button")
    health = int(page.inner_text("main").split(" tenders match")[0].split()[-1])
    assert 0 < health < every

    page.goto(f"{served.base}/monitoring")
    latest = api(served, "supervisor", "/monitoring/latest")
    assert page.locator("[data-testid=alert]").count() == len(latest["alerts"])
    assert "Review coverage" in page.inner_text("main")
    screenshot(page, "monitoring")

    page.goto(f"{served.base}/models")
    for entity_type in ("official", "enterprise", "tender"):
        card = page.locator(f"[data-testid=model-{entity_type}]")
        assert "champion: huoyan-" in card.inner_text()
    plot = page.locator("img.plot").first
    plot.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=plot.element_handle())
    screenshot(page, "models")


@pytest.mark.parametrize("role", sorted(USERS))
def test_every_page_answers_each_role_as_the_page_list_says(served: Served, role: str) -> None:
    paths = {"ranking": "/ranking", "dossier": "/entities/official/P-none", "queue": "/queue",
             "monitoring": "/monitoring", "models": "/models"}
    with httpx.Client(base_url=served.base, follow_redirects=False, timeout=30) as client:
        assert client.post("/login", data={"token": token(role)}).status_code == 303
        for page, path in paths.items():
            status = client.get(path).status_code
            allowed = bool(PAGES[page].intersection({role.removesuffix("_2")}))
            expected = (404 if page == "dossier" else 200) if allowed else 403
            assert status == expected, (role, page, status)


def test_without_a_token_every_page_sends_to_the_login(served: Served) -> None:
    with httpx.Client(base_url=served.base, follow_redirects=False, timeout=30) as client:
        for path in ("/ranking", "/queue", "/monitoring", "/models", "/entities/tender/T1"):
            answer = client.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
        assert client.post("/login", data={"token": "wrong"}).status_code == 200  # the form again
