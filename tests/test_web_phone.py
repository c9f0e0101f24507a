"""Every page on a phone (issue 22): in Chromium at 390x844 no page is wider than the screen
(home, sign-in, the clerk's page with Bromley solved, where an item could go, the file, a job,
the public view, an error), and the year grid reads as a list by meeting: each meeting's heading,
then its deadlines and agenda, the meetings one under another in date order. On a wide screen it
stays a grid, meetings across."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from api.tables import Job
from scheduler.outputs.sections import SECTIONS
from tests.browser import screenshot, sign_in
from tests.conftest import BROMLEY
from tests.service import AUTH, YAML

PID = "bromley-ecf-2017-18"
STYLESHEET = Path(__file__).parent.parent / "api" / "static" / "page.css"
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
#: The Education, Children & Families Select Committee's meetings, in date order.
SELECT = ["select-2017-06-27", "select-2017-10-17", "select-2018-01-23", "select-2018-02-27"]


@pytest.fixture
def phone(browser: Browser, live_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_url, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def solved_and_published(page: Page) -> None:
    """Bromley loaded, solved and published through the API."""
    loaded = page.request.post("/programmes", data=BROMLEY.read_bytes(), headers=YAML)
    assert loaded.status == 201, loaded.text()
    started = page.request.post(f"/programmes/{PID}/jobs", data={"time_limit": 10}, headers=AUTH)
    assert started.status == 202, started.text()
    job = started.headers["location"].rsplit("/", 1)[1]
    expect_done(page, f"/jobs/{job}")
    etag = page.request.get(f"/programmes/{PID}").headers["etag"]
    published = page.request.post(
        f"/programmes/{PID}/plans/1/publish", headers={**AUTH, "If-Match": etag}
    )
    assert published.status == 201, published.text()


def failed_job(database: Path) -> str:
    """A re-plan that failed, with a long message, in the live service's database; returns its
    page (a job that is done answers with its plan's page instead)."""
    at = dt.datetime.now(dt.UTC)
    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session, session.begin():
        session.add(
            Job(
                id="f" * 32,
                programme=PID,
                kind="replan",
                programme_version=1,
                time_limit=30.0,
                state="failed",
                runner="gone",
                heartbeat=at,
                message="internal error: " + "no-such-meeting-" * 12 + "\n  at the re-plan",
                created=at,
                finished=at,
            )
        )
    engine.dispose()
    return f"/web/jobs/{'f' * 32}"


def expect_done(page: Page, location: str) -> None:
    for _ in range(600):
        state = page.request.get(location, headers=AUTH).json()["state"]
        if state not in ("queued", "running"):
            assert state == "done", state
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{location} did not finish")


def width(page: Page) -> int:
    found: int = page.evaluate("() => document.documentElement.scrollWidth")
    return found


def wider_than_the_page(page: Page) -> list[str]:
    """The elements whose right edge is beyond the screen's (to say what overflows)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .filter(e => !e.closest('.scroll'))
            .slice(0, 5).map(e => e.outerHTML.slice(0, 120))"""
    )
    return found


def test_every_page_fits_a_phone(phone: Page, tmp_path: Path) -> None:
    solved_and_published(phone)
    job = failed_job(tmp_path / "scrutiny.db")
    where = f"/web/programmes/{PID}/where?item=living-in-care-council"
    public = [
        ("home", "/"),
        ("sign-in", "/sign-in"),
        ("public", f"/public/{PID}"),
        ("document", f"/programmes/{PID}/document?format=html"),
    ]
    clerks = [
        ("clerk", f"/web/programmes/{PID}"),
        ("where", where),
        ("source", f"/web/programmes/{PID}/source"),
        ("job", job),
        ("error", "/web/programmes/no-such-programme"),
    ]
    for name, path in public:
        phone.goto(path)
        assert width(phone) <= PHONE["width"], (name, wider_than_the_page(phone))
        screenshot(phone, f"phone-{name}")
    sign_in(phone)
    for name, path in [("home-signed-in", "/"), *clerks]:
        answer = phone.goto(path)
        assert answer is not None and answer.status == (404 if name == "error" else 200), name
        assert width(phone) <= PHONE["width"], (name, wider_than_the_page(phone))
        screenshot(phone, f"phone-{name}")
        if name == "job":  # its long message wraps
            expect(phone.locator("pre.message")).to_contain_text("at the re-plan")

    # A meeting moved and re-planned: the changes and whom to tell; then a personal feed address.
    phone.goto(f"/web/programmes/{PID}")
    phone.click("#change-select-2017-10-17")
    phone.fill("#date-select-2017-10-17", "2017-10-24")
    phone.click("#move-select-2017-10-17")
    phone.wait_for_url("**done=moved**")
    phone.fill("#replan-limit", "10")
    phone.click("#replan")
    phone.wait_for_url("**plan=3**")
    expect(phone.locator("section.changes")).to_contain_text("24 Oct")
    assert width(phone) <= PHONE["width"], wider_than_the_page(phone)
    screenshot(phone, "phone-clerk-changes")
    phone.select_option("#feed-subject", "bennett")
    with phone.expect_navigation():
        phone.click("#make-feed")
    assert width(phone) <= PHONE["width"], wider_than_the_page(phone)
    screenshot(phone, "phone-feed-address")


def boxes(page: Page, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.locator(selector).evaluate_all(
        "es => es.map(e => { const r = e.getBoundingClientRect();"
        " return {id: e.dataset.meeting, x: r.x, top: r.top, bottom: r.bottom}; })"
    )
    return found


def test_the_grid_is_a_list_by_meeting_on_a_phone(phone: Page) -> None:
    solved_and_published(phone)
    sign_in(phone, f"/web/programmes/{PID}")
    grid = "table.grid[data-body='select']"
    headings = boxes(phone, f"{grid} th.meeting")
    assert [h["id"] for h in headings] == SELECT
    assert len({round(h["x"]) for h in headings}) == 1  # one under another
    tops = [h["top"] for h in headings]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    expect(phone.locator(f"{grid} th#m-select-2017-06-27")).to_contain_text(
        "Education, Children & Families Select Committee"  # the body, on each card
    )
    # Each meeting's deadlines and agenda come after its heading and before the next one's.
    for column, heading in enumerate(headings, start=2):
        below = heading["bottom"]
        above = headings[column - 1]["top"] if column - 1 < len(headings) else float("inf")
        cells = boxes(phone, f"{grid} tbody tr:not(.change) > td:nth-child({column}) li:visible")
        assert cells, heading["id"]
        assert all(below <= c["top"] and c["bottom"] <= above for c in cells), heading["id"]
    first = phone.locator(f"{grid} tr.deadlines > td:nth-child(2)")
    expect(first).to_contain_text("Public questions by 17:00 on Thursday 22 June 2017")
    screenshot(phone, "phone-clerk-list")

    phone.set_viewport_size(LAPTOP)  # a wide screen: the grid, meetings across
    across = boxes(phone, f"{grid} th.meeting")
    assert len({round(h["top"]) for h in across}) == 1
    assert [h["x"] for h in across] == sorted(h["x"] for h in across)


def test_the_public_view_is_a_list_by_meeting_on_a_phone(phone: Page) -> None:
    solved_and_published(phone)
    phone.goto(f"/public/{PID}")
    grid = "table.grid[data-body='select']"
    assert [h["id"] for h in boxes(phone, f"{grid} th.meeting")] == SELECT
    forum = phone.locator("table.grid[data-body='schools-forum'] tr.deadlines > td").first
    expect(forum).to_contain_text("Time to be confirmed")
    expect(phone.locator(grid)).not_to_contain_text("Reports due")
    assert width(phone) <= PHONE["width"]
    screenshot(phone, "phone-public-list")


def test_the_lists_section_labels_are_the_agendas_headings() -> None:
    """On a phone each agenda section is labelled by the stylesheet (the row headings are
    hidden): with the headings the grid's rows have (`sections.SECTIONS`), word for word; the
    standing items say so themselves ("8 standing items")."""
    css = STYLESHEET.read_text()
    for key, heading in SECTIONS.items():
        label = f'tr.section.{key} > td::before {{ content: "{heading}"; }}'
        assert (label in css) == (key != "standing"), key
