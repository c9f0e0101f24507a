"""The clerk's page for a year whose meetings are not all fixed (DESIGN §4.6): a meeting known
only by its month, or not at all, is shown by its body and what is known of its day ("People
Select Committee, January 2025, date to be fixed") in the order of its first possible day; its
status in words; what is placed there marked "(provisional)". Items carried forward to next
year and suggested ones are listed apart, neither warnings nor "not placed". A body that states
no start and no agenda time gets neither a made-up time nor "of 150 minutes". Setting the day
of a meeting without one is the move form's job."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.browser import screenshot, sign_in
from tests.service import AUTH, YAML, publish, run_job, upload
from tests.service import sign_in as sign_in_client

PID = "rough-council"
PAGE = f"/web/programmes/{PID}"
PROGRAMME = """\
id: rough-council
council: Rough Borough Council
title: Rough Scrutiny Work Programme
year: 2024-05-15..2025-05-14
people:
  - {id: chair, name: Cllr Chair}
  - {id: dso, name: Dee Soames, role: Democratic Services Officer, email: clerk@example.org}
bodies:
  - id: people
    name: People Select Committee
    kind: committee
    chair: chair
    clerk: dso
    members: [chair]
    venue: Committee Room 1
    start: "18:30"
    minutes: 120
    meetings:
      - 2024-07-09
      - 2024-11-12
      - {id: people-2025-01, date: 2025-01, status: tentative}     # a month: "January 2025"
      - {id: people-budget, date: null, status: postponed}         # "date to be fixed"
  - id: place
    name: Place Scrutiny Committee     # states no start and no agenda time
    kind: committee
    chair: chair
    clerk: dso
    members: [chair]
    meetings: [2024-09-17, 2025-03-04]
items:
  - {id: apologies, title: Apologies for absence, body: people, kind: standing, minutes: 5}
  - {id: adult-care, title: Adult social care, body: people, kind: substantive, meeting: people-2025-01}
  - {id: housing, title: Housing repairs, body: people, kind: short, window: 2024-07-01..2024-12-31}
  - {id: libraries, title: Library strategy, body: people, kind: report, suggested: true}
  - {id: leisure, title: Leisure centre review, body: people, kind: report, deferred: next-year}
  - {id: roads, title: Road safety, body: people, kind: report}
  - {id: parks, title: Parks update, body: place, kind: short}
"""
JANUARY = "January 2025, date to be fixed"
LISTED = {"libraries": "Library strategy", "leisure": "Leisure centre review"}


@pytest.fixture
def solved(client: TestClient) -> str:
    """The programme solved (plan 1), the clerk signed in: the page's form key."""
    upload(client, PROGRAMME)
    job = run_job(client, PID, time_limit=10)
    assert job["state"] == "done", job
    return sign_in_client(client)


def text(page: str) -> str:
    """The page's text as read (hidden fields and tags left out)."""
    main = page.split("<main", 1)[-1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def heading(page: str, meeting: str) -> str:
    """The text of a meeting's column heading."""
    found = re.search(rf'<th scope="col" id="m-{meeting}"[^>]*>(.*?)</th>', page, re.S)
    assert found is not None, f"no column for {meeting}"
    return text(found.group(1)).strip()


def table(page: str, body: str) -> str:
    """One body's grid (its HTML)."""
    found = re.search(rf'<table class="grid" data-body="{body}">.*?</table>', page, re.S)
    assert found is not None, f"no grid for {body}"
    return found.group(0)


def columns(page: str, body: str) -> list[str]:
    return re.findall(r'<th scope="col" id="m-[^"]+"[^>]*data-meeting="([^"]+)"', table(page, body))


def plan(client: TestClient, number: int = 1) -> dict[str, Any]:
    response = client.get(f"/programmes/{PID}/plans/{number}", headers=AUTH)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def source(client: TestClient) -> str:
    return client.get(f"/programmes/{PID}/source", headers=AUTH).text


def test_before_solving_a_meeting_without_a_day_is_shown_by_what_is_known_of_it(
    client: TestClient,
) -> None:
    upload(client, PROGRAMME)
    sign_in_client(client)
    page = client.get(PAGE)
    assert page.status_code == 200, page.text
    assert heading(page.text, "people-2025-01").startswith(f"People Select Committee, {JANUARY}")
    assert "tentative" in heading(page.text, "people-2025-01")
    budget = heading(page.text, "people-budget")
    assert budget.startswith("People Select Committee, date to be fixed")
    assert "postponed" in budget
    # In the order of the first day each may be: an unknown day may be the year's first.
    assert columns(page.text, "people") == [
        "people-budget",
        "people-2024-07-09",
        "people-2024-11-12",
        "people-2025-01",
    ]
    place = table(page.text, "place")
    assert 'class="time"' not in place and "00:00" not in place and "19:00" not in place
    assert "18:30-" in heading(page.text, "people-2024-07-09")


def test_the_plan_gives_the_new_fields_through_the_api_as_the_solver_wrote_them(
    client: TestClient, solved: str
) -> None:
    found = plan(client)
    meetings = {m["id"]: m for m in found["meetings"]}
    january, budget = meetings["people-2025-01"], meetings["people-budget"]
    assert (january["date"], january["when"], january["status"]) == (None, "2025-01", "tentative")
    assert (budget["date"], budget.get("when"), budget["status"]) == (None, None, "postponed")
    assert january["deadlines"] is None and budget["deadlines"] is None
    for place in ("place-2024-09-17", "place-2025-03-04"):
        m = meetings[place]
        assert (m["start"], m["end"], m["minutes_available"]) == (None, None, None)
    care = [e for e in january["agenda"] if e["item"] == "adult-care"]
    assert care and care[0]["provisional"] is True
    assert [e["item"] for e in found["carried_forward"]] == ["leisure"]
    assert [e["item"] for e in found["suggested"]] == ["libraries"]
    assert not {u["item"] for u in found["unplaced"]} & set(LISTED)


def test_the_page_lists_carried_forward_and_suggested_items_apart_from_not_placed(
    client: TestClient, solved: str
) -> None:
    page = client.get(PAGE).text
    forward = re.search(r'<aside class="listed carried-forward".*?</aside>', page, re.S)
    suggested = re.search(r'<aside class="listed suggested".*?</aside>', page, re.S)
    assert forward is not None and suggested is not None
    assert "Carried forward to next year (1)" in text(forward.group(0))
    assert "Leisure centre review" in text(forward.group(0))
    assert "Suggested topics (if required) (1)" in text(suggested.group(0))
    assert "Library strategy" in text(suggested.group(0))
    unplaced = re.search(r'<aside class="unplaced".*?</aside>', page, re.S)
    assert unplaced is not None
    assert not any(title in text(unplaced.group(0)) for title in LISTED.values())
    warnings = re.search(r'<ul class="warnings".*?</ul>', page, re.S)
    assert warnings is None or not any(t in warnings.group(0) for t in LISTED.values())


def test_a_placement_at_a_meeting_without_a_day_reads_provisional(
    client: TestClient, solved: str
) -> None:
    page = client.get(PAGE).text
    care = re.search(r'<li data-item="adult-care"[^>]*>(.*?)</li>', page, re.S)
    assert care is not None
    assert text(care.group(1)).startswith("Adult social care (provisional)")
    housing = re.search(r'<li data-item="housing"[^>]*>(.*?)</li>', page, re.S)
    assert housing is not None and "(provisional)" not in housing.group(1)


def test_agenda_time_is_of_n_minutes_only_where_the_council_states_n(
    client: TestClient, solved: str
) -> None:
    page = client.get(PAGE).text
    assert "of 150" not in page
    minutes = re.search(r'<tr class="minutes">.*?</tr>', table(page, "place"), re.S)
    assert minutes is not None
    assert "20 minutes" in text(minutes.group(0)) and " of " not in text(minutes.group(0))
    people = re.search(r'<tr class="minutes">.*?</tr>', table(page, "people"), re.S)
    assert people is not None and "of 120 minutes" in text(people.group(0))
    assert "19:00" not in table(page, "place")


def test_meetings_without_a_day_are_offered_in_words_to_pin_to_and_ask_about(
    client: TestClient, solved: str
) -> None:
    page = client.get(PAGE).text
    pin = re.search(r'<select id="pin-meeting".*?</select>', page, re.S)
    assert pin is not None
    offered = text(pin.group(0))
    assert f"People Select Committee, {JANUARY} (tentative)" in offered
    assert "People Select Committee, date to be fixed (postponed)" in offered
    assert "People Select Committee, Tuesday 9 July 2024" in offered
    where = client.get(f"{PAGE}/where?item=roads")
    assert where.status_code == 200, where.text
    listed = re.findall(r'<span class="sr"> \((.*?)\)</span></button>', where.text)
    assert f"People Select Committee, {JANUARY}" in [html.unescape(m) for m in listed]


def test_setting_the_day_of_a_meeting_without_one_keeps_its_id(
    client: TestClient, solved: str
) -> None:
    days: dict[str, str] = {}
    for meeting, day, words in (
        ("people-2025-01", "2025-01-21", "Tuesday 21 January 2025"),
        ("people-budget", "2025-02-18", "Tuesday 18 February 2025"),
    ):
        form = {"action": "move", "meeting": meeting, "date": day, "form_key": solved}
        revision = client.get(f"/programmes/{PID}").json()["revision"]
        moved = client.post(
            f"{PAGE}/edits", data={**form, "revision": str(revision)}, follow_redirects=False
        )
        assert moved.status_code == 303, text(moved.text)
        assert re.search(rf"id: {meeting}, date: {day}\b", source(client)), source(client)
        days[meeting] = words
    job = run_job(client, PID, kind="replan", time_limit=10)
    assert job["state"] == "done", job
    page = client.get(f"{PAGE}?plan={job['plan']}").text
    for meeting, words in days.items():
        assert heading(page, meeting).startswith(f"People Select Committee, {words}")
        assert "date to be fixed" not in heading(page, meeting)
    meetings = {m["id"]: m for m in plan(client, job["plan"])["meetings"]}
    assert meetings["people-2025-01"]["date"] == "2025-01-21"
    assert meetings["people-budget"]["date"] == "2025-02-18"


def test_the_public_page_lists_the_rough_meetings_and_both_lists(
    client: TestClient, solved: str
) -> None:
    publish(client, PID, 1)
    page = client.get(f"/public/{PID}")
    assert page.status_code == 200, page.text
    assert heading(page.text, "people-2025-01").startswith(f"People Select Committee, {JANUARY}")
    read = text(page.text)
    assert "Carried forward to next year" in read and "Leisure centre review" in read
    assert "Suggested topics (if required)" in read and "Library strategy" in read
    assert "of 150" not in page.text and "19:00" not in table(page.text, "place")


def test_a_clerk_reads_a_year_not_yet_fixed_and_sets_a_meetings_day(page: Page) -> None:
    response = page.request.post("/programmes", data=PROGRAMME.encode(), headers=YAML)
    assert response.status == 201, response.text()
    sign_in(page, PAGE)
    page.click("#solve")
    page.wait_for_url("**plan=1")

    people = page.locator("table.grid[data-body='people']")
    january = people.locator("th#m-people-2025-01")
    expect(january).to_contain_text(f"People Select Committee, {JANUARY}")
    expect(january.locator(".note")).to_have_text("tentative")
    budget = people.locator("th#m-people-budget")
    expect(budget).to_contain_text("People Select Committee, date to be fixed")
    expect(budget.locator(".note")).to_have_text("postponed")
    order = people.locator("th.meeting").evaluate_all("hs => hs.map(h => h.dataset.meeting)")
    assert order == ["people-budget", "people-2024-07-09", "people-2024-11-12", "people-2025-01"]
    expect(people.locator("li[data-item='adult-care']")).to_contain_text(
        "Adult social care (provisional)"
    )
    expect(page.locator("aside.carried-forward")).to_contain_text("Leisure centre review")
    expect(page.locator("aside.suggested")).to_contain_text("Library strategy")
    expect(page.locator("aside.unplaced")).not_to_contain_text("Leisure centre review")
    expect(page.locator("aside.unplaced")).not_to_contain_text("Library strategy")
    place = page.locator("table.grid[data-body='place']")
    expect(place.locator("tr.minutes")).to_contain_text("20 minutes")
    expect(place.locator("tr.minutes")).not_to_contain_text(" of ")
    expect(place.locator("thead")).not_to_contain_text("19:00")
    expect(place.locator("th.meeting .time")).to_have_count(0)
    assert "of 150" not in page.content()
    screenshot(page, "rough-1-solved")

    # Set the January meeting's day: the move form, labelled by what is known of the day.
    page.click("#change-people-2025-01")
    expect(page.locator("label[for='date-people-2025-01']")).to_contain_text(JANUARY)
    page.fill("#date-people-2025-01", "2025-01-21")
    expect(page.locator("#move-people-2025-01")).to_have_text("Set the day")
    page.click("#move-people-2025-01")
    page.wait_for_url("**done=moved**")
    page.click("#replan")
    page.wait_for_url("**plan=2**")
    expect(page.locator("th#m-people-2025-01")).to_contain_text("Tuesday 21 January 2025")
    expect(page.locator("th#m-people-2025-01")).not_to_contain_text("date to be fixed")
    screenshot(page, "rough-2-day-set")
