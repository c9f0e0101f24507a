"""Re-planning that cannot hold everything, on the API and the clerk's page (issue 20).

An over-constrained re-plan (Bromley with 17 October cancelled: four Chief Officer sessions for
three meetings) keeps a plan that places everything else: the job is `done`, `complete: false`,
and the page shows the plan with what it leaves out above the grid. A re-plan that finds no plan
at all leaves the page showing the published plan, with the reason, and the as-of date kept.
Every reason is in words, its rule code only under "details". Solving from scratch once a plan
is published is confirmed first, with how many placements it may move.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, create_engine, text

from api.storage import MIGRATIONS
from scheduler.plan.changes import movable_meetings
from scheduler.plan.model import Plan
from scheduler.programme.load import parse_programme
from tests.browser import screenshot, sign_in
from tests.conftest import BROMLEY, bromley_october_cancelled
from tests.service import AUTH, YAML, form_key, publish, run_job, upload
from tests.service import sign_in as sign_in_client

PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"
AS_OF = "2017-10-01"
GAMBLE = "    role: Independent Chairman, Bromley Safeguarding Children's Board\n"


def gamble_away_in_june() -> str:
    """The Bromley file with Jim Gamble, June's witness, away on 28 June 2017: a re-plan as of
    1 October keeps June's agenda, which he can no longer attend: no plan at all."""
    text = BROMLEY.read_text()
    assert text.count(GAMBLE) == 1
    return text.replace(GAMBLE, GAMBLE + "    unavailable: [2017-06-28]\n")


def replace_source(client: TestClient, text: str) -> None:
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    saved = client.put(
        f"/programmes/{PID}/source", content=text.encode(), headers={**YAML, "If-Match": etag}
    )
    assert saved.status_code == 200, saved.text


def plan_json(client: TestClient, number: int) -> Plan:
    return Plan.model_validate_json(
        client.get(f"/programmes/{PID}/plans/{number}", headers=AUTH).text
    )


@pytest.fixture
def published(client: TestClient) -> dict[str, Any]:
    """Bromley uploaded, solved (plan 1) and published (plan 2)."""
    upload(client, BROMLEY.read_text())
    job = run_job(client, PID, time_limit=10)
    assert (job["state"], job["complete"]) == ("done", True)
    return publish(client, PID, job["plan"])


def replan_on_the_page(client: TestClient, as_of: str) -> tuple[dict[str, Any], str]:
    """Re-plan with the page's form, as of `as_of`; the job once ended, and the page the job's
    page then leads to."""
    key = sign_in_client(client)
    posted = client.post(
        f"{PAGE}/jobs",
        data={"form_key": key, "kind": "replan", "as_of": as_of, "time_limit": "10"},
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    job = ended(client, posted.headers["location"])
    shown = client.get(posted.headers["location"])
    assert shown.status_code == 200
    return job, shown.text


def ended(client: TestClient, job_page: str) -> dict[str, Any]:
    """The job the page started (its page at `job_page`), once it has ended."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(
            f"/jobs/{job_page.rsplit('/', 1)[1]}", headers=AUTH
        ).json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"{job_page} did not end")


def section(page: str, sid: str) -> str:
    found = re.search(rf'<section class="warning" id="{sid}".*?</section>', page, re.S)
    assert found is not None, f"no section #{sid}"
    return html.unescape(found.group(0))


def outside_details(page: str) -> str:
    """The page without the reasons' "details" (what a clerk reads without opening any)."""
    return html.unescape(re.sub(r'<details class="code">.*?</details>', "", page, flags=re.S))


def as_of_field(page: str) -> str:
    found = re.search(r'<input id="replan-as-of" name="as_of" type="date" value="([^"]*)"', page)
    assert found is not None
    return found.group(1)


def test_an_over_constrained_replan_is_done_with_its_plan_and_says_it_is_not_complete(
    client: TestClient, published: dict[str, Any]
) -> None:
    replace_source(client, bromley_october_cancelled(dce=2))
    job = run_job(client, PID, kind="replan", time_limit=10, as_of=AS_OF)
    assert (job["state"], job["complete"], job["against"]) == ("done", False, published["number"])
    plan = plan_json(client, job["plan"])
    assert plan.status.found and not plan.complete
    [dce] = [u for u in plan.unplaced if u.occurrence == "dce"]
    assert dce.conflict and dce.reasons[0].rule == "R7"
    plans = client.get(f"/programmes/{PID}/plans", headers=AUTH).json()
    assert {p["number"]: p["complete"] for p in plans} == {1: True, 2: True, 3: False}


def test_plans_stored_before_complete_was_a_column_read_it_from_their_json(
    empty_database_url: str,
) -> None:
    """Migration 0003 fills `complete` from each stored plan (null for one not found), and each
    job's from its plan."""
    engine = create_engine(empty_database_url)
    at = {"at": dt.datetime(2026, 12, 1, tzinfo=dt.UTC)}
    plans = {1: ("optimal", True), 2: ("feasible", False), 3: ("infeasible", True)}
    _upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO programmes (id, title, revision, version, created, updated)"
                " VALUES ('p', 'P', 1, 1, :at, :at)"
            ),
            at,
        )
        conn.execute(
            text(
                "INSERT INTO programme_versions (programme, number, format, source, created)"
                " VALUES ('p', 1, 'yaml', '', :at)"
            ),
            at,
        )
        for number, (status, complete) in plans.items():
            body = Plan(programme="p", status=status, complete=complete).to_json()
            conn.execute(
                text(
                    "INSERT INTO plans (programme, number, programme_version, kind, status,"
                    " body, created) VALUES ('p', :n, 1, 'solve', :status, :body, :at)"
                ),
                {"n": number, "status": status, "body": body, **at},
            )
            conn.execute(
                text(
                    "INSERT INTO jobs (id, programme, kind, programme_version, time_limit, state,"
                    " runner, heartbeat, solutions, elapsed, plan, message, created) VALUES"
                    " (:id, 'p', 'solve', 1, 30, 'done', 'r', :at, 0, 0, :n, '', :at)"
                ),
                {"id": f"job-{number}", "n": number, **at},
            )
    _upgrade(engine, "head")
    with engine.connect() as conn:
        stored = {n: c for n, c in conn.execute(text("SELECT number, complete FROM plans"))}
        jobs = {n: c for n, c in conn.execute(text("SELECT plan, complete FROM jobs"))}
    engine.dispose()
    assert stored == jobs == {1: True, 2: False, 3: None}


def _upgrade(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def test_the_page_shows_an_incomplete_plan_with_what_it_leaves_out_and_why(
    client: TestClient, published: dict[str, Any]
) -> None:
    replace_source(client, bromley_october_cancelled(dce=2))
    job, page = replan_on_the_page(client, AS_OF)
    assert (job["state"], job["complete"]) == ("done", False)
    warning = section(page, "incomplete")
    assert f"Plan {job['plan']} is not complete" in warning
    assert plan_json(client, job["plan"]).explanation[0] in warning
    dce = re.search(r'<li data-item="director-scrutiny">(.*?)</ul></li>', warning, re.S)
    assert dce is not None, "the DCE's session is not listed as left out"
    assert "Ade Adetosoye OBE" in dce.group(1)
    assert "every officer keeps one session before anyone keeps a second" in dce.group(1)
    assert "<summary>details</summary>" in dce.group(1) and "R7 rotation:" in dce.group(1)
    assert "Early Years" not in warning  # not a must: only in "Not placed", with its reasons
    assert 'data-item="early-years"' in page  # under "Not placed"
    assert page.index('id="incomplete"') < page.index('<table class="grid"')  # above the grid
    assert "R7 rotation" in page and "R6 capacity" in page and "R10 frozen" in page
    codes = re.findall(r"\bR(?:[1-9]|1[0-9])\b", outside_details(page))
    assert codes == []  # every rule code is under "details", nowhere else
    assert as_of_field(page) == AS_OF


def test_a_failed_replan_keeps_the_published_plan_the_reason_and_the_as_of_date(
    client: TestClient, published: dict[str, Any]
) -> None:
    """After a re-plan that found no plan, the page emptied the grid, cleared the as-of date
    and advised solving from scratch, which would throw the published plan away."""
    replace_source(client, gamble_away_in_june())
    job, page = replan_on_the_page(client, AS_OF)
    assert (job["state"], job["complete"]) == ("done", None)  # as before: a plan not found
    failed = plan_json(client, job["plan"])
    assert not failed.status.found
    reason = section(page, "no-plan")
    assert f"Re-plan {job['plan']} found no plan" in reason and "infeasible" not in reason
    assert all(line.strip() in reason for line in failed.explanation)
    assert f"below is plan {published['number']}, the published plan" in reason
    kept = plan_json(client, published["number"])
    for item in {e.item for m in kept.meetings for e in m.agenda if e.kind == "substantive"}:
        assert f'data-item="{item}"' in page  # the published agendas are still in the grid
    assert page.index('id="no-plan"') < page.index('<table class="grid"')
    assert "solve to place every item" not in page and "Nothing placed" not in page
    assert as_of_field(page) == AS_OF
    assert 'id="publish"' not in page  # nothing to publish from a plan not found


def test_solving_from_scratch_after_publication_first_says_what_it_may_move(
    client: TestClient,
) -> None:
    upload(client, BROMLEY.read_text())
    key = sign_in_client(client)
    solve = {"form_key": key, "kind": "solve", "time_limit": "12"}
    first = client.post(f"{PAGE}/jobs", data=solve, follow_redirects=False)
    assert first.status_code == 303  # nothing published: nothing to ask
    publish(client, PID, ended(client, first.headers["location"])["plan"])
    plans = len(client.get(f"/programmes/{PID}/plans", headers=AUTH).json())

    asked = client.post(f"{PAGE}/jobs", data=solve, follow_redirects=False)
    assert asked.status_code == 200
    programme = parse_programme(BROMLEY.read_text(), "bromley.yaml")
    moved = sum(map(len, movable_meetings(programme, plan_json(client, plans)).values()))
    said = html.unescape(asked.text)
    assert f"may move any of its {moved} placements" in re.sub(r"<[^>]+>", "", said)
    assert moved > 40
    assert f"Plan {plans} is published" in said
    assert '<input type="hidden" name="confirmed" value="yes">' in said
    assert '<input type="hidden" name="time_limit" value="12.0">' in said
    assert len(client.get(f"/programmes/{PID}/plans", headers=AUTH).json()) == plans
    programme_page = client.get(PAGE).text
    assert "follow it" not in programme_page  # no job was started
    assert '<button type="submit" id="solve">Solve from scratch</button>' in programme_page

    confirmed = client.post(
        f"{PAGE}/jobs",
        data={**solve, "confirmed": "yes", "form_key": form_key(asked.text)},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303 and confirmed.headers["location"].startswith("/web/jobs/")


# -- in a real browser ------------------------------------------------------------------------


def test_a_clerk_replans_a_cancelled_meeting_and_reads_what_is_left_out(page: Page) -> None:
    response = page.request.post(
        "/programmes", data=BROMLEY.read_bytes(), headers={**AUTH, "Content-Type": "application/yaml"}
    )
    assert response.status == 201
    sign_in(page, PAGE)
    page.click("#solve")
    page.wait_for_url("**plan=1")
    page.click("#publish")
    page.wait_for_url("**done=published**")

    # Cancel 17 October on the page, and re-plan keeping agendas before 1 October.
    page.click("#change-select-2017-10-17")
    page.click("#cancel-select-2017-10-17")  # asked once more, saying what it does
    page.click("#confirm")
    page.wait_for_url("**done=cancelled**")
    page.fill("#replan-as-of", AS_OF)
    page.click("#replan")
    page.wait_for_url("**plan=3**")

    warning = page.locator("section#incomplete")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("not 1 scrutiny session")
    dce = warning.locator("li[data-item='director-scrutiny']")
    expect(dce).to_contain_text("Ade Adetosoye OBE")
    expect(dce).to_contain_text("every officer keeps one session before anyone keeps a second")
    code = dce.locator("details.code code").first
    expect(code).to_be_hidden()  # the rule code only under "details"
    dce.locator("details.code summary").first.click()
    expect(code).to_be_visible()
    expect(code).to_contain_text("R7 rotation")
    box = warning.bounding_box()
    grid = page.locator("table.grid").first.bounding_box()
    assert box is not None and grid is not None and box["y"] < grid["y"]  # above the grid
    expect(page.locator("#replan-as-of")).to_have_value(AS_OF)  # the date entered is kept
    screenshot(page, "5-incomplete-replan")

    # Solving from scratch now asks first, saying how much it may move.
    page.click("#solve")
    expect(page.locator("h1")).to_contain_text("from scratch?")
    expect(page.locator("#at-stake")).to_contain_text("placements")
    page.click("#keep-published")
    page.wait_for_url("**plan=3")
    expect(page.locator("section#incomplete")).to_be_visible()
