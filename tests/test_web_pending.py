"""Edits the plan shown does not reflect yet (issue 22): marked in the grid at once, listed in
words version by version, the newest undone."""

from __future__ import annotations

import datetime as dt
import html
import re

from fastapi.testclient import TestClient

from scheduler.programme.differences import differences
from scheduler.programme.edits import ChangeEntry, MoveMeeting, Pin, apply_edit
from scheduler.programme.load import parse_programme
from tests.conftest import BROMLEY
from tests.page_forms import form_data
from tests.service import run_job, sign_in, upload

PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"


def marks(page: str) -> list[tuple[str, str]]:
    return [(k, html.unescape(t)) for k, t in re.findall(r'data-pending="(\w+)">([^<]*)<', page)]


def edit(client: TestClient, **fields: str) -> None:
    page = client.get(PAGE).text
    form = form_data(page, f"{PAGE}/edits") | {k: [v] for k, v in fields.items()}
    sent = client.post(f"{PAGE}/edits", data=form, follow_redirects=False)
    assert sent.status_code == 303, sent.text


def test_the_grid_marks_edits_at_once_and_undo_takes_back_the_newest(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    sign_in(client)
    run_job(client, PID)
    assert "pending-edits" not in client.get(PAGE).text
    edit(client, action="move", meeting="select-2017-10-17", date="2017-10-18", start="")
    edit(client, action="pin", item="camhs", meeting="select-2018-02-27")
    page = client.get(PAGE).text
    assert marks(page) == [
        ("moved", "moved to Wednesday 18 October 2017 · re-plan pending"),
        ("pin", "pinned to Tuesday 27 February 2018 · re-plan pending"),
    ]
    # The move form holds the new day, not the plan's.
    assert re.search(
        r'id="date-select-2017-10-17" name="date" type="date" value="2017-10-18"', page
    )
    listed = re.findall(
        r'<li data-version="(\d+)"><span class="when">[^<]+</span>:\s*([^<]+)', page
    )
    assert [(v, " ".join(t.split())) for v, t in listed] == [
        (
            "3",
            "Item pinned: Child and Adolescent Mental Health Services (CAMHS), to Education, "
            "Children &amp; Families Select Committee, Tuesday 27 February 2018",
        ),
        (
            "2",
            "Meeting moved: Education, Children &amp; Families Select Committee, Tuesday 17 "
            "October 2017, now Wednesday 18 October 2017",
        ),
    ]
    undo = form_data(page, f"{PAGE}/undo")
    done = client.post(f"{PAGE}/undo", data=undo, follow_redirects=False)
    assert done.headers["location"] == f"{PAGE}?done=undone"
    page = client.get(done.headers["location"]).text
    assert marks(page) == [("moved", "moved to Wednesday 18 October 2017 · re-plan pending")]
    assert "Undone" in page
    # An undo is refused from a page older than the programme.
    stale = client.post(f"{PAGE}/undo", data=undo, follow_redirects=False)
    assert stale.status_code == 412


def test_a_cancelled_meeting_is_struck_through_until_the_re_plan(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    sign_in(client)
    run_job(client, PID)
    confirm = client.get(f"{PAGE}/meetings/select-2018-01-23/cancel").text
    client.post(f"{PAGE}/edits", data=form_data(confirm, f"{PAGE}/edits"))
    page = client.get(PAGE).text
    assert re.search(
        r'<th scope="col" id="m-select-2018-01-23" class="[^"]*cancelled-pending', page
    )
    run_job(client, PID, kind="replan")
    page = client.get(PAGE).text
    assert "cancelled-pending" not in page and "pending-edits" not in page


def test_each_difference_is_said_in_words() -> None:
    text = BROMLEY.read_text()
    old = parse_programme(text, "b.yaml")
    moved = apply_edit(
        text,
        "yaml",
        (
            MoveMeeting("select-2017-10-17", dt.date(2017, 10, 18)),
            Pin("camhs", "select-2018-02-27"),
            ChangeEntry("people", "bennett", {"email": "nb@example.org"}),
        ),
    )
    said = [d.text for d in differences(old, parse_programme(moved, "b.yaml"))]
    assert said == [
        "Meeting moved: Education, Children & Families Select Committee, Tuesday 17 October "
        "2017, now Wednesday 18 October 2017",
        "Item pinned: Child and Adolescent Mental Health Services (CAMHS), to Education, "
        "Children & Families Select Committee, Tuesday 27 February 2018",
        "Person changed: Councillor Nicholas Bennett J.P.",
    ]
    assert differences(old, old) == []
