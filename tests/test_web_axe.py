"""Accessibility (issue 22): axe-core (npm, pinned in package-lock.json) finds no serious or
critical violation on any page of the service, in Chromium: home and sign-in; with Bromley solved
and published, the clerk's page (every fold opened), everything in the programme, each form
(item, person, committee, event, meeting: new and changed; the year, next year, a new
programme), a refused form with its problems beside the fields, the pages that ask first
(cancel a meeting, take out a person, revoke a feed address, solve from scratch), where an item
could go, a job under way, the file, a new feed address, the public page and an error page.

Our Content-Security-Policy lets no inline script run, and axe is injected as one: the browser
context here bypasses the policy (the policy itself is tested in test_security_headers.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from api.tables import Job
from tests.browser import sign_in
from tests.conftest import REPO
from tests.test_web_phone import solved_and_published

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"
#: The impacts that fail the test; "moderate" and "minor" ones are not asked for.
SERIOUS = ("serious", "critical")
RUNNING_JOB = "a" * 32
FORMS = [
    "/items/new?body=select",
    "/items/living-in-care-council/edit",
    "/people/new",
    "/people/bennett/edit",
    "/bodies/new",
    "/bodies/select/edit",
    "/events/new",
    "/events/send-strategy-published/edit",
    "/bodies/select/meetings/new",
    "/meetings/select-2017-10-17/edit",
    "/settings",
    "/next-year",
]
ASKING = [
    "/meetings/select-2017-10-17/cancel",
    "/meetings/select-2017-10-17/remove",
    "/people/bennett/remove",
]


@pytest.fixture
def axe_page(browser: Browser, live_url: str) -> Iterator[Page]:
    """A page whose context lets axe's injected script run despite the policy."""
    assert AXE.exists(), "axe-core is not installed: run `npm ci` (make install)"
    context = browser.new_context(
        base_url=live_url, viewport={"width": 1366, "height": 768}, locale="en-GB", bypass_csp=True
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as it stands, one line each: the
    rule, its impact, what it asks, and (some of) the elements that break it."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    assert result["passes"], f"axe checked nothing on {page.url}"
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + " | ".join(str(n["target"]) for n in v["nodes"][:4])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def running_job(database: Path, elapsed: float = 12.0) -> str:
    """A solve under way, `elapsed` seconds in, in the live service's database; its page."""
    at = dt.datetime.now(dt.UTC)
    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session, session.begin():
        session.add(
            Job(
                id=RUNNING_JOB,
                programme=PID,
                kind="solve",
                programme_version=1,
                time_limit=30.0,
                state="running",
                runner="elsewhere",
                heartbeat=at,
                solutions=3,
                elapsed=elapsed,
                objective=1000.0,
                bound=966.0,
                message="",
                created=at,
            )
        )
    engine.dispose()
    return f"/web/jobs/{RUNNING_JOB}"


def open_every_fold(page: Page) -> None:
    """Open every <details> (a meeting's change form, an item's reasons): axe checks only
    what is shown."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")


def refused_item(page: Page) -> None:
    """The new item's form sent with a bad short name and too many minutes."""
    page.goto(f"{PAGE}/items/new?body=select")
    page.get_by_label("Short name (required)").fill("Bad Id")
    page.get_by_label("Title (required)").fill("Member's request")
    page.get_by_label("Kind of item (required)").select_option("short")
    page.get_by_label("Minutes on the agenda").fill("100000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.locator(".field-error").count() > 0, "the form was not refused"


def made_feed(page: Page) -> None:
    page.goto(PAGE)
    page.get_by_label("Feed for").select_option("bennett")
    with page.expect_navigation():
        page.get_by_role("button", name="Make feed address").click()
    assert page.locator("#made-feed").count() == 1


def solve_from_scratch(page: Page) -> None:
    """Solving once a plan is published asks first."""
    page.goto(PAGE)
    with page.expect_navigation():
        page.get_by_role("button", name="Solve from scratch").click()
    assert page.locator("#solve-confirmed").count() == 1


def test_no_page_has_a_serious_accessibility_violation(axe_page: Page, tmp_path: Path) -> None:
    page = axe_page
    found: dict[str, list[str]] = {}

    def check(name: str, path: str | None = None) -> None:
        if path is not None:
            page.goto(path)
        found[name] = violations(page)

    check("home", "/")
    check("sign-in", "/sign-in")
    solved_and_published(page)
    sign_in(page)
    check("home, signed in")
    page.goto(PAGE)
    open_every_fold(page)
    check("the clerk's page (Bromley solved and published)")
    check("everything in the programme", f"{PAGE}/entries")
    for form in FORMS:
        check(f"form {form}", PAGE + form)
    check("new programme", "/web/new-programme")
    refused_item(page)
    check("a refused form, problems beside fields")
    for asking in ASKING:
        check(f"asks first: {asking}", PAGE + asking)
    check("where could an item go", f"{PAGE}/where?item=living-in-care-council")
    check("a job under way", running_job(tmp_path / "scrutiny.db"))
    check("the file", f"{PAGE}/source")
    made_feed(page)
    check("a new feed address")
    check("asks first: revoke a feed address", f"{PAGE}/feed-links/1/revoke")
    solve_from_scratch(page)
    check("asks first: solve from scratch")
    check("public", f"/public/{PID}")
    missing = page.goto(f"{PAGE}-nowhere")
    assert missing is not None and missing.status == 404
    check("not found (404)")

    failing = {name: lines for name, lines in found.items() if lines}
    assert not failing, "\n".join(f"{n}:\n  " + "\n  ".join(ls) for n, ls in failing.items())


def test_a_job_under_way_shows_its_progress_in_place_without_reloading(
    axe_page: Page, tmp_path: Path
) -> None:
    """Regression: the job's page reloaded itself every two seconds (a `<meta refresh>`, which
    axe calls critical: each reload takes a screen reader back to the top). It now asks the
    service in the background and changes only the figures; no reload."""
    page = axe_page
    solved_and_published(page)
    sign_in(page)
    page.goto(running_job(tmp_path / "scrutiny.db", elapsed=12.0))
    expect(page.locator("#job-time")).to_contain_text("12 of 30 seconds")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.evaluate("() => { window.notReloaded = true }")
    engine = create_engine(f"sqlite:///{tmp_path / 'scrutiny.db'}")
    with Session(engine) as session, session.begin():
        job = session.get(Job, RUNNING_JOB)
        assert job is not None
        job.elapsed, job.solutions, job.heartbeat = 21.0, 5, dt.datetime.now(dt.UTC)
    engine.dispose()
    expect(page.locator("#job-time")).to_contain_text("21 of 30 seconds")
    expect(page.locator("#job-plans")).to_have_text("5")
    expect(page.locator("#job-progress")).to_have_attribute("value", "70")
    assert page.evaluate("() => window.notReloaded") is True
