"""The clerk's web page end to end in headless Chromium: load Bromley, solve, pin an item, move
the 17 October meeting, re-plan, read the changes, publish; the public page shows no exempt
title. The main actions are done with the keyboard alone; every form field has a label."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser import screenshot, sign_in
from tests.conftest import BROMLEY
from tests.service import AUTH, CLERK

PID = "bromley-ecf-2017-18"
SECRET_TITLE = "Short Breaks Contract Award"
PART_2 = f"""
  - id: short-breaks-contract    # test: a confidential report (Schedule 12A paragraph 3)
    title: {SECRET_TITLE}
    body: select
    kind: information
    exempt: 3
"""


def bromley_with_part_2(tmp_path: Path) -> Path:
    """The Bromley file with one exempt (Part 2) item, as its real agendas have."""
    text = BROMLEY.read_text()
    anchor = "  # ======================= Items taken outside this programme"
    assert text.count(anchor) == 1
    path = tmp_path / "bromley.yaml"
    path.write_text(text.replace(anchor, PART_2.lstrip("\n") + "\n" + anchor))
    return path


def tab_to(page: Page, selector: str, limit: int = 600) -> None:
    """Press Tab until the focus is on `selector`: it can be reached by keyboard."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def go(page: Page, selector: str) -> None:
    """Tab to a link or button and press Enter; wait for the page it leads to."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def later_by_days(page: Page, selector: str, days: int) -> None:
    """Step a date field's day on with the arrow keys (its day part comes first or second
    depending on the browser's language: find out, then Tab to it)."""
    tab_to(page, selector)
    before = page.eval_on_selector(selector, "e => e.value")
    page.keyboard.press("ArrowUp")
    after = page.eval_on_selector(selector, "e => e.value")
    page.keyboard.press("ArrowDown")
    if after[5:7] != before[5:7]:  # the month came first: the day is the next part
        page.keyboard.press("Tab")
    for _ in range(days):
        page.keyboard.press("ArrowUp")


def choose(page: Page, selector: str, value: str) -> None:
    """Pick an option of a focused <select> with the arrow keys."""
    tab_to(page, selector)
    for _ in range(400):
        if page.eval_on_selector(selector, "e => e.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector} has no option {value} reachable by arrow keys")


def unlabelled(page: Page) -> list[str]:
    """Form fields without a label (hidden fields and buttons need none)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && e.type !== 'submit')
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
            .map(e => e.outerHTML)"""
    )
    return found


def plan_number(page: Page) -> int:
    return int(page.url.split("plan=")[1].split("&")[0])


def api(page: Page, path: str) -> dict[str, Any]:
    response = page.request.get(path, headers=AUTH)
    assert response.ok, response.text()
    return json.loads(response.text())


def test_a_clerk_plans_the_year_with_the_keyboard_and_publishes(page: Page, tmp_path: Path) -> None:
    # Sign in and load the programme.
    page.goto("/")
    go(page, "a[href='/sign-in']")
    tab_to(page, "#token")
    page.keyboard.type(CLERK)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#upload-file")).to_be_visible()
    assert unlabelled(page) == []
    page.set_input_files("#upload-file", bromley_with_part_2(tmp_path))
    go(page, "#load")
    page.wait_for_url(f"**/web/programmes/{PID}")
    assert unlabelled(page) == []

    # Solve: the grid shows every body's meetings across, agendas down.
    go(page, "#solve")
    page.wait_for_url("**plan=1")
    grid = page.locator("table.grid[data-body='select']")
    expect(grid.locator("th#m-select-2017-10-17")).to_contain_text("Tuesday 17 October 2017")
    expect(page.locator("th#m-select-2017-06-27")).to_contain_text("Wednesday 28 June 2017")
    expect(grid.locator("tr.minutes")).to_contain_text("of 150")
    expect(grid.locator("tr.deadlines")).to_contain_text("Reports due")
    expect(grid.locator("tr.section.scrutiny")).to_contain_text("Scrutiny of a Chief Officer")
    expect(grid.locator("tr.section.substantive")).to_contain_text("Witnesses:")
    expect(page.locator("aside.unplaced")).to_contain_text("waits for the date of")
    assert unlabelled(page) == []
    screenshot(page, "1-solved-grid")

    # Pin an item to a meeting (a new programme version).
    choose(page, "#pin-item", "living-in-care-council")
    choose(page, "#pin-meeting", "select-2018-02-27")
    go(page, "#pin")
    page.wait_for_url("**done=pinned**")
    expect(page.locator(".warning")).to_contain_text("re-plan")

    # Move the 17 October meeting a week on, with the arrow keys on the date's day field.
    tab_to(page, "#change-select-2017-10-17")
    page.keyboard.press("Enter")
    later_by_days(page, "#date-select-2017-10-17", 7)
    assert page.eval_on_selector("#date-select-2017-10-17", "e => e.value") == "2017-10-24"
    go(page, "#move-select-2017-10-17")
    page.wait_for_url("**done=moved**")

    # Re-plan, and read the changes: what moved, from where to where, whom to tell.
    go(page, "#replan")
    page.wait_for_url("**plan=2**")
    changes = page.locator("section.changes")
    expect(changes).to_contain_text("Changes from plan 1")
    rows = changes.locator("tbody tr")
    meeting = rows.filter(has_text="Meeting: Education, Children & Families Select Committee")
    expect(meeting).to_have_count(1)  # the meeting's changes together, in one row
    expect(meeting).to_contain_text("Tue 17 Oct 2017 19:00")
    expect(meeting).to_contain_text("Tue 24 Oct 2017 19:00")
    pinned = rows.filter(has_text="Living in Care Council Presentation")
    expect(pinned).to_contain_text("moved")
    expect(pinned).to_contain_text("27 February 2018")
    plan = api(page, f"/programmes/{PID}/plans/2")
    meetings = {c["meeting"] for c in plan["changes"] if c["meeting"]}
    items = [c for c in plan["changes"] if not c["meeting"]]
    assert rows.count() == len(meetings) + len(items)  # every change the re-plan made, listed
    expect(meeting.first).to_contain_text("Councillor Nicholas Bennett")  # whom to tell
    expect(page.locator("th#m-select-2017-10-17")).to_contain_text("Tuesday 24 October 2017")
    placed = page.locator("li[data-item='living-in-care-council']")
    expect(placed.locator(".pinned")).to_be_visible()
    screenshot(page, "2-replanned-grid-and-changes")

    # Publish: a new immutable plan version, whose feeds go live.
    go(page, "#publish")
    page.wait_for_url("**done=published**")
    assert api(page, f"/programmes/{PID}")["published"] == 3
    assert api(page, f"/programmes/{PID}/plans/3")["published"] is not None
    expect(page.locator("section.feeds input[type=url]").first).to_have_value(
        f"{page.url.split('/web/')[0]}/programmes/{PID}/feeds/public/select.ics"
    )

    # A member's feed: made by the clerk, copied, with a webcal: link.
    choose(page, "#feed-subject", "bennett")
    go(page, "#make-feed")
    expect(page.locator("h1")).to_have_text("Calendar address for Councillor Nicholas Bennett J.P.")
    made = page.locator("#made-feed")
    address = made.input_value()
    assert "/feeds/private/" in address
    webcal = page.locator(".made a[href^='webcal:']").get_attribute("href")
    assert webcal == "webcal://" + address.split("://", 1)[1]
    feed = page.request.get(address)
    assert feed.ok and b"BEGIN:VCALENDAR" in feed.body()

    # The public page: the grid without the exempt title, and the public feeds.
    page.goto(f"/public/{PID}")
    expect(page.locator("table.grid[data-body='select']")).to_be_visible()
    assert SECRET_TITLE not in page.content()
    expect(page.locator("table.grid").first).to_contain_text("Exempt item (Part 2)")
    expect(page.locator("a[href^='webcal://']").first).to_be_visible()
    assert unlabelled(page) == []
    screenshot(page, "3-public-grid")


def test_a_bad_entry_is_shown_beside_its_form_and_nothing_typed_is_lost(
    page: Page, tmp_path: Path
) -> None:
    response = page.request.post(
        "/programmes",
        data=BROMLEY.read_bytes(),
        headers={**AUTH, "Content-Type": "application/yaml"},
    )
    assert response.status == 201
    sign_in(page, f"/web/programmes/{PID}")
    page.click("#solve")
    page.wait_for_url("**plan=1")

    page.click("#change-select-2017-10-17")
    page.fill("#date-select-2017-10-17", "2019-01-08")  # after the municipal year
    page.fill("#start-select-2017-10-17", "18:30")
    page.click("#move-select-2017-10-17")
    errors = page.locator("ul.errors[data-form='move:select-2017-10-17']")
    expect(errors).to_be_visible()  # beside the form, which stays open
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # and summed up at the top, where the focus is
    expect(summary.locator("a")).to_have_attribute("href", "#errors-move-select-2017-10-17")
    expect(errors).to_contain_text("upload.yaml:")
    expect(errors).to_contain_text("2019-01-08")
    expect(page.locator("#date-select-2017-10-17")).to_have_value("2019-01-08")
    expect(page.locator("#start-select-2017-10-17")).to_have_value("18:30")
    assert api(page, f"/programmes/{PID}")["version"] == 1  # nothing was changed
    screenshot(page, "4-bad-entry")

    # The copy button puts a feed address on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.select_option("#feed-subject", "clerk")
    page.click("#make-feed")
    page.click("button[data-copy='made-feed']")
    expect(page.locator("button[data-copy='made-feed']")).to_have_text("Copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#made-feed").input_value()
