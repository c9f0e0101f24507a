"""The public view (issue 22): the published programme's meetings, agendas, public deadlines and
feeds, and nothing of the clerk's workings: no plan numbers, no agenda minutes, no "Not placed",
no officers' reports-due dates, no deadlines table keyed by body ids. A body that states no start
time has none made up for it ("Time to be confirmed") and no public-questions deadline, on the
page, in the public work programme and in its public feed."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import BROMLEY, town_with_secrets
from tests.service import publish, run_job, upload

PID = "bromley-ecf-2017-18"
QUESTIONS = "Public questions by 17:00 on Thursday 22 June 2017"


def text(page: str) -> str:
    """What a reader reads of `page` (its main part, tags and spacing left out)."""
    main = page.split("<main", 1)[-1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))).strip()


def grid(page: str, body: str) -> str:
    found = re.search(rf'<table class="grid" data-body="{body}">.*?</table>', page, re.S)
    assert found is not None, f"no grid for {body}"
    return found.group(0)


def cells(page: str, body: str, row: str) -> dict[str, str]:
    """One row of a body's grid: each meeting's cell, as read, by meeting id."""
    shown = grid(page, body)
    meetings = re.findall(r'<th scope="col" id="m-[^"]+"[^>]*data-meeting="([^"]+)"', shown)
    found = re.search(rf'<tr class="{row}">(.*?)</tr>', shown, re.S)
    assert found is not None, f"no {row} row for {body}"
    tds = re.findall(r"<td>(.*?)</td>", found.group(1), re.S)
    return dict(zip(meetings, (text(td) for td in tds), strict=True))


@pytest.fixture
def bromley(client: TestClient) -> str:
    """Bromley solved and published; the public page."""
    upload(client, BROMLEY.read_text())
    publish(client, PID, run_job(client, PID)["plan"])
    page = client.get(f"/public/{PID}")
    assert page.status_code == 200, page.text
    return page.text


def test_the_public_page_shows_nothing_of_the_clerks_workings(bromley: str) -> None:
    read = text(bromley)
    assert not re.search(r"\b(published|showing|from) plan \d", read, re.I), "a plan number"
    assert "?plan=" not in bromley and "Plan versions" not in read
    assert "Minutes used" not in read and "of 150 minutes" not in read
    assert "Reports due" not in read
    assert "Not placed" not in read and "Early Years" not in read  # Bromley's 2 not placed
    assert "format=table" not in bromley and "/deadlines" not in bromley
    assert 'class="minutes"' not in bromley


def test_the_public_page_gives_each_meetings_public_deadlines_in_words(bromley: str) -> None:
    deadlines = cells(bromley, "select", "deadlines")
    assert deadlines["select-2017-06-27"] == f"Agenda published Tuesday 20 June 2017 {QUESTIONS}"
    assert all("Public questions by 17:00" in d for d in deadlines.values())


def test_a_body_without_a_start_time_has_its_time_to_be_confirmed(
    client: TestClient, bromley: str
) -> None:
    """The Schools' Forum states no time: none is made up, nor public questions for it."""
    forum = cells(bromley, "schools-forum", "deadlines")
    assert forum and all(d.startswith("Time to be confirmed") for d in forum.values())
    assert not any("Public questions" in d for d in forum.values())
    assert "19:00" not in grid(bromley, "schools-forum")
    feed = client.get(f"/programmes/{PID}/feeds/public/schools-forum.ics").text
    unfolded = feed.replace("\r\n ", "")
    assert "Thursday 29 June 2017\\, time to be confirmed" in unfolded
    assert "DTSTART;VALUE=DATE:20170629" in unfolded


def test_the_public_work_programme_gives_only_public_deadlines(
    client: TestClient, bromley: str
) -> None:
    for fmt in ("md", "html"):
        shown = html.unescape(client.get(f"/programmes/{PID}/document?format={fmt}").text)
        assert QUESTIONS in shown, fmt
        assert "Reports due" not in shown and "Not placed" not in shown, fmt
        assert "not placed" not in shown, fmt  # nor in the summary


def test_the_public_page_links_the_work_programme_and_the_feeds(bromley: str) -> None:
    for fmt in ("html", "docx", "md"):
        assert f'href="/programmes/{PID}/document?format={fmt}"' in bromley
    assert f"webcal://testserver/programmes/{PID}/feeds/public/select.ics" in bromley


def test_an_exempt_item_is_listed_as_such_on_the_public_page(client: TestClient) -> None:
    pid = upload(client, town_with_secrets())["id"]
    publish(client, pid, run_job(client, pid)["plan"])
    page = client.get(f"/public/{pid}").text
    january = cells(page, "overview", "section part-2")["overview-2018-01-23"]
    assert january.count("Exempt item (Part 2)") == 2
    assert "Housing Repairs Contract Award" not in html.unescape(page)
