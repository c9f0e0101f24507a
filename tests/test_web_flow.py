"""A clerk builds a programme in the browser from an empty service, using forms alone (issue 22,
DESIGN §10 "The clerk never needs the file"): a new programme, its people, a committee and its
meetings (one whose day is only a month), an event, an item of every kind (one after the
event); then solves, moves a meeting (the grid says "re-plan pending" at once), re-plans,
downloads the Word work programme and publishes. Fields are found by their labels, which proves
the labels; no console error or warning, no page error, all the way through."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Error, Locator, Page, expect

from tests.browser import screenshot
from tests.docx_text import text as docx_text
from tests.service import CLERK

PID = "riverside-scrutiny-2026-27"
PAGE = f"/web/programmes/{PID}"
COMMITTEE = "Overview and Scrutiny Committee"
PEOPLE = [  # short name, name, role, e-mail, away
    ("ross", "Councillor Ann Ross", "Chairman", "ann.ross@riverside.example", "2026-12-24"),
    ("patel", "Jo Patel", "Director of Housing", "jo.patel@riverside.example", ""),
    ("okafor", "Dr Sam Okafor", "Public Health Consultant", "sam.okafor@nhs.example", "2026-09-15"),
]
DAYS = ["2026-06-16", "2026-09-15", "2026-11-17", "2027-01-19", "2027-03-16"]
MONTH, MONTH_ID = "2026-10", "osc-october"
#: An item of each kind the file knows (api.web.fields.KINDS), with what each kind needs.
ITEMS = [
    ("minutes-previous", "Minutes of the previous meeting", "standing"),
    ("housing-strategy", "Housing Strategy 2027 to 2032", "substantive"),
    ("fly-tipping", "Fly-tipping enforcement", "short"),
    ("complaints", "Annual complaints report", "information"),
    ("budget-response", "Response to the budget consultation", "report"),
    ("public-health", "Public health in Riverside: witness session", "witness-session"),
    ("director-scrutiny", "Scrutiny of the Director of Housing", "scrutiny"),
]


@pytest.fixture
def watched(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """The page, and every console error or warning and page error it has had."""
    said: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            said.append(f"{message.type} at {page.url}: {message.text}")

    def error(err: Error) -> None:
        said.append(f"page error at {page.url}: {err}")

    page.on("console", console)
    page.on("pageerror", error)
    yield page, said


def labelled(scope: Page | Locator, label: str) -> Locator:
    """The field whose label is `label`, with " (required)" after it or not."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


def save(page: Page, then: str) -> None:
    """Press the form's Save button; the clerk lands on a page whose address has `then`."""
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert then in page.url, page.locator("main").inner_text()


def follow(page: Page, link: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()


def start_programme(page: Page) -> None:
    page.goto("/")
    follow(page, "Clerk: sign in")
    labelled(page, "API token").fill(CLERK)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("No programme yet.")).to_be_visible()
    follow(page, "Start a new programme")
    labelled(page, "Short name").fill(PID)
    labelled(page, "Council").fill("Riverside Borough Council")
    labelled(page, "Title").fill("Overview and Scrutiny Work Programme 2026/27")
    year = page.get_by_role("group", name=re.compile("^The year, from and to"))
    year.get_by_label("From").fill("2026-05-20")
    year.get_by_label("to", exact=True).fill("2027-05-19")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the programme").click()
    expect(page.locator("h1")).to_have_text("Everything in the programme")


def add_people(page: Page) -> None:
    for short, name, role, email, away in PEOPLE:
        follow(page, "Add a person")
        labelled(page, "Short name").fill(short)
        labelled(page, "Name").fill(name)
        labelled(page, "Role").fill(role)
        labelled(page, "E-mail address").fill(email)
        labelled(page, "Away").fill(away)
        save(page, "done=added")
    people = page.locator("section#people table")
    expect(people).to_contain_text("ann.ross@riverside.example")
    expect(people).to_contain_text("on 15 September 2026")  # the day away, in words


def add_committee(page: Page) -> None:
    follow(page, "Add a committee")
    labelled(page, "Short name").fill("osc")
    labelled(page, "Name").fill(COMMITTEE)
    labelled(page, "Chairman").select_option("ross")
    members = page.get_by_role("group", name="Members")
    members.get_by_label("Councillor Ann Ross, Chairman").check()
    labelled(page, "Usual venue").fill("Council Chamber")
    labelled(page, "Usual start").fill("18:30")
    labelled(page, "Agenda minutes per meeting").fill("150")
    save(page, "done=added")
    expect(page.locator("#body-osc")).to_contain_text("usually at 18:30")


def add_meetings(page: Page) -> None:
    for day in [*DAYS, MONTH]:
        follow(page, f"Add a meeting of {COMMITTEE}")
        labelled(page, "Date").fill(day)
        if day == MONTH:  # its day not fixed yet: it needs a short name
            labelled(page, "Short name").fill(MONTH_ID)
        save(page, "done=meeting-added")
    meetings = page.locator("#body-osc ul.meetings li")
    expect(meetings).to_have_count(len(DAYS) + 1)
    expect(page.locator("#body-osc")).to_contain_text("Tuesday 16 June 2026")
    expect(page.locator("#body-osc")).to_contain_text("October 2026")


def add_event(page: Page) -> None:
    follow(page, "Add an event")
    labelled(page, "Short name").fill("budget-consultation")
    labelled(page, "What").fill("Budget consultation closes")
    labelled(page, "When").fill("2026-12-11")
    labelled(page, "Committee").select_option("osc")
    save(page, "done=added")


def add_items(page: Page) -> None:
    for short, title, kind in ITEMS:
        follow(page, f"Add an item for {COMMITTEE}")
        labelled(page, "Short name").fill(short)
        labelled(page, "Title").fill(title)
        expect(labelled(page, "Committee")).to_have_value("osc")  # from the link
        labelled(page, "Kind of item").select_option(kind)
        if kind == "report":  # after the event, a week at least
            after = page.get_by_role("group", name=re.compile("^Only after"))
            after.get_by_label("What it follows").select_option("event:budget-consultation")
            after.get_by_label("days later at least").fill("7")
        if kind == "witness-session":
            witnesses = page.get_by_role("group", name="Witnesses")
            witnesses.get_by_label("Dr Sam Okafor, Public Health Consultant").check()
        if kind == "scrutiny":  # the Director, twice in the year
            rotation = page.get_by_role("group", name="Directors scrutinised, times each")
            rotation.get_by_label("Jo Patel, Director of Housing").fill("2")
        save(page, "done=added")
    listed = page.locator("section#items ul.items li")
    expect(listed).to_have_count(len(ITEMS))


def meeting_of(grid: Locator, item: str) -> str:
    """The meeting whose column of the grid holds the item (its first placing)."""
    found: str = grid.locator(f"li[data-item='{item}']").first.evaluate(
        """li => li.closest('table').querySelectorAll('thead th')[li.closest('td').cellIndex]
            .dataset.meeting"""
    )
    return found


def solve(page: Page, button: str, plan: int) -> None:
    """Press Solve or Re-plan; the job page refreshes itself until it lands on the plan."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    page.wait_for_url(f"**{PAGE}?plan={plan}", timeout=90_000)


def test_a_clerk_builds_a_programme_in_forms_and_publishes_it(
    watched: tuple[Page, list[str]], tmp_path: Path
) -> None:
    page, said = watched
    start_programme(page)
    add_people(page)
    add_committee(page)
    add_meetings(page)
    add_event(page)
    add_items(page)
    screenshot(page, "flow-1-everything-in-forms")

    # Solve: every item placed, the grid across the committee's meetings.
    follow(page, "The plan")
    labelled(page, "Solve: time to spend (seconds)").fill("20")
    solve(page, "Solve", 1)
    grid = page.locator("table.grid[data-body='osc']")
    expect(grid.locator("th#m-osc-2026-06-16")).to_contain_text("Tuesday 16 June 2026")
    expect(grid.locator("th#m-osc-2026-06-16")).to_contain_text("18:30")
    expect(grid.locator(f"th#m-{MONTH_ID}")).to_contain_text("October 2026")
    for short, _, _ in ITEMS[1:]:  # the standing item is at every meeting
        expect(grid.locator(f"li[data-item='{short}']").first).to_be_attached()
    expect(page.locator("aside.unplaced")).to_contain_text("Every item is placed.")
    meetings = {f"osc-{day}" for day in DAYS} | {MONTH_ID}
    after_event = {"osc-2027-01-19", "osc-2027-03-16"}  # a week after 11 December at least
    assert meeting_of(grid, "budget-response") in after_event
    assert meeting_of(grid, "public-health") in meetings - {"osc-2026-09-15"}  # witness away
    screenshot(page, "flow-2-solved")

    # Move a meeting a week on: the grid says so at once, before any re-plan.
    moved = "osc-2026-11-17"
    page.locator(f"#change-{moved}").click()
    change = page.locator("details", has=page.locator(f"#change-{moved}"))
    change.get_by_label("New date").fill("2026-11-24")
    with page.expect_navigation():
        change.get_by_role("button", name="Move meeting").click()
    assert "done=moved" in page.url
    expect(page.locator(f"th#m-{moved} .pending")).to_contain_text("re-plan pending")
    expect(page.locator(f"th#m-{moved} .pending")).to_contain_text("24")

    # Re-plan: the meeting is on its new day.
    labelled(page, "Re-plan: time to spend (seconds)").fill("20")
    solve(page, "Re-plan, moving the least", 2)
    expect(page.locator(f"th#m-{moved}")).to_contain_text("Tuesday 24 November 2026")
    expect(page.locator(f"th#m-{moved} .pending")).to_have_count(0)

    # The Word work programme, downloaded from the page.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Word, for the clerk").click()
    path = downloading.value.path()
    document = docx_text(Path(path).read_bytes())
    assert "Housing Strategy 2027 to 2032" in document
    assert "24 November 2026" in document
    assert "Overview and Scrutiny Work Programme 2026/27" in document

    # Publish.
    with page.expect_navigation():
        page.get_by_role("button", name="Publish plan 2").click()
    assert "done=published" in page.url
    expect(page.locator(".notice")).to_contain_text("Published")
    follow(page, "Public view")
    expect(page.locator("table.grid[data-body='osc']")).to_contain_text("Housing Strategy")
    screenshot(page, "flow-3-published")

    assert said == []
