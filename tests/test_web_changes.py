"""The changes of a re-plan on the clerk's page: one row per meeting (its new date and time
together), one per item moved; whom to tell, by name and e-mail address, to copy; every change as
CSV; a draft e-mail per change (a mailto: link, and the same as an .eml file). The changes stay
with the re-plan's plan version and with the publication that published it."""

from __future__ import annotations

import csv
import email
import html
import io
import re
from email.message import EmailMessage
from email.policy import default
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from fastapi.testclient import TestClient

from scheduler.outputs.agenda_csv import as_text
from tests.conftest import BROMLEY
from tests.service import AUTH, publish, run_job, sign_in, upload

PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"
SELECT = "Education, Children & Families Select Committee"
GIBBS = "Philippa Gibbs <philippa.gibbs@bromley.gov.uk>"  # the committee's clerk
BENNETT = "Councillor Nicholas Bennett J.P."  # its chairman, with no e-mail address in the file


def edit(client: TestClient, key: str, **form: str) -> None:
    revision = client.get(f"/programmes/{PID}").headers["ETag"].strip('"')
    done = client.post(
        f"{PAGE}/edits",
        data={**form, "form_key": key, "revision": revision},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


@pytest.fixture
def replanned(client: TestClient) -> dict[str, Any]:
    """Bromley solved (plan 1) and published (plan 2); then 17 October 2017 moved to 18 October
    at 18:30 and 23 January 2018 cancelled on the page, and re-planned: plan 3."""
    upload(client, BROMLEY.read_text())
    publish(client, PID, run_job(client, PID)["plan"])
    key = sign_in(client)
    move = {"meeting": "select-2017-10-17", "date": "2017-10-18", "start": "18:30"}
    edit(client, key, action="move", **move)
    edit(client, key, action="cancel", meeting="select-2018-01-23")
    job = run_job(client, PID, kind="replan")
    assert (job["state"], job["plan"]) == ("done", 3)
    plan: dict[str, Any] = client.get(f"/programmes/{PID}/plans/3", headers=AUTH).json()
    return plan


def rows(page: str) -> list[str]:
    """The rows of the changes, each as its text reads."""
    section = re.search(r'<section class="changes".*?</section>', page, re.S)
    assert section is not None, "no changes on the page"
    found = re.findall(r'<tr id="change-\d+">.*?</tr>', section.group(0), re.S)
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", tr))) for tr in found]


def row_html(page: str, number: int) -> str:
    found = re.search(rf'<tr id="change-{number}">.*?</tr>', page, re.S)
    assert found is not None
    return found.group(0)


def test_a_moved_meetings_new_date_and_time_are_one_row(
    client: TestClient, replanned: dict[str, Any]
) -> None:
    """A meeting's date and time change were two rows, each repeating its 19 names."""
    of_october = [c for c in replanned["changes"] if c["meeting"] == "select-2017-10-17"]
    assert [c["change"] for c in of_october] == ["date", "time"]  # two changes in the plan
    shown = rows(client.get(f"{PAGE}?plan=3").text)
    october = [r for r in shown if f"Meeting: {SELECT}, 17 October 2017" in r]
    assert len(october) == 1
    assert " moved Tue 17 Oct 2017 19:00 Wed 18 Oct 2017 18:30 " in october[0]
    january = [r for r in shown if f"Meeting: {SELECT}, 23 January 2018" in r]
    assert len(january) == 1 and " cancelled " in january[0]
    items = [c for c in replanned["changes"] if c["item"]]
    assert len(shown) == 2 + len(items)  # one row per item change, as before


def test_whom_to_tell_is_named_with_email_addresses_to_copy(
    client: TestClient, replanned: dict[str, Any]
) -> None:
    page = client.get(f"{PAGE}?plan=3").text
    october = html.unescape(row_html(page, 1))
    assert GIBBS in october
    assert f"{BENNETT} (no e-mail address)" in october
    field = re.search(r'<input id="(addresses-1)" type="text" readonly value="([^"]*)"', october)
    assert field is not None, "no field of addresses to copy"
    addresses = field.group(2).split(", ")
    assert "philippa.gibbs@bromley.gov.uk" in addresses and len(addresses) == 3
    assert f'<button type="button" data-copy="{field.group(1)}">Copy addresses</button>' in october


def test_every_change_downloads_as_csv(client: TestClient, replanned: dict[str, Any]) -> None:
    page = client.get(f"{PAGE}?plan=3").text
    link = re.search(r'<a href="([^"]+)" id="changes-csv"', page)
    assert link is not None and link.group(1) == f"{PAGE}/plans/3/changes.csv"
    answer = client.get(link.group(1))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert f'filename="{PID}-plan-3-changes.csv"' in answer.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    columns = ["what", "change", "from", "to", "why", "names", "e-mail addresses"]
    assert list(table[0]) == columns
    assert len(table) == len(rows(page))
    october = table[0]
    assert (october["change"], october["from"], october["to"]) == (
        "moved",
        "Tue 17 Oct 2017 19:00",
        "Wed 18 Oct 2017 18:30",
    )
    assert BENNETT in october["names"].split("; ")
    assert "philippa.gibbs@bromley.gov.uk" in october["e-mail addresses"].split("; ")
    moved = next(r for r in table if r["what"] == "Follow Up on Under Performing Pupils")
    assert moved["why"] == f"{SELECT}, Tuesday 23 January 2018 is cancelled"


def test_each_change_has_a_draft_email_as_a_link_and_as_a_file(
    client: TestClient, replanned: dict[str, Any]
) -> None:
    page = client.get(f"{PAGE}?plan=3").text
    october = row_html(page, 1)
    href = re.search(r'<a href="(mailto:[^"]+)" class="draft">Draft e-mail</a>', october)
    assert href is not None
    link = urlsplit(html.unescape(href.group(1)))
    assert link.scheme == "mailto"
    to = unquote(link.path).split(",")
    assert len(to) == 3 and "philippa.gibbs@bromley.gov.uk" in to
    asked = parse_qs(link.query, strict_parsing=True)
    subject = f"Change to {SELECT} on Tuesday 17 October 2017"
    assert asked["subject"] == [subject]
    body = asked["body"][0]
    assert f"{SELECT}, Tuesday 17 October 2017 moves to Wednesday 18 October 2017.\r\n" in body
    assert "now starts at 18:30, not 19:00." in body

    eml = re.search(r'<a href="([^"]+\.eml)" class="eml" download>', october)
    assert eml is not None and eml.group(1) == f"{PAGE}/plans/3/changes/1.eml"
    answer = client.get(eml.group(1))
    assert answer.status_code == 200 and answer.headers["content-type"] == "message/rfc822"
    message = email.message_from_bytes(answer.content, policy=default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == subject
    assert sorted(a.addr_spec for a in message["To"].addresses) == sorted(to)
    assert "Philippa Gibbs" in [a.display_name for a in message["To"].addresses]
    text = message.get_content()
    assert text.replace("\n", "\r\n") == body  # the link's e-mail, the same

    moved = next(n for n, r in enumerate(rows(page), 1) if "Under Performing Pupils" in r)
    why = client.get(f"{PAGE}/plans/3/changes/{moved}.eml")
    letter = email.message_from_bytes(why.content, policy=default)
    assert isinstance(letter, EmailMessage)
    assert f"Why: {SELECT}, Tuesday 23 January 2018 is cancelled." in letter.get_content()
    assert client.get(f"{PAGE}/plans/3/changes/99.eml").status_code == 404


def test_the_changes_stay_on_the_page_of_the_plan_that_published_them(
    client: TestClient, replanned: dict[str, Any]
) -> None:
    """Once a re-plan was published, its changes were on no page: the publication's showed
    none."""
    before = rows(client.get(f"{PAGE}?plan=3").text)
    assert publish(client, PID, 3)["number"] == 4
    page = client.get(PAGE).text  # the newest: the publication
    assert "Changes from plan 2 (" in page
    assert rows(page) == before
    assert f"{PAGE}/plans/4/changes.csv" in page
    assert client.get(f"{PAGE}/plans/4/changes/1.eml").status_code == 200
    assert rows(client.get(f"{PAGE}?plan=3").text) == before  # and still on the re-plan's


def test_changes_need_the_clerk_and_a_plan_with_a_plan_before_it(
    client: TestClient, replanned: dict[str, Any]
) -> None:
    assert client.get(f"{PAGE}/plans/2/changes.csv").status_code == 404  # nothing before it
    assert "has no changes" in html.unescape(client.get(f"{PAGE}/plans/2/changes.csv").text)
    client.cookies.clear()
    away = client.get(f"{PAGE}/plans/3/changes.csv", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/sign-in?next=")


def test_a_title_a_spreadsheet_would_take_for_a_formula_is_written_as_text() -> None:
    assert as_text("=SUM(A1:A9)") == "'=SUM(A1:A9)" and as_text("-update") == "'-update"
    assert as_text("Budget") == "Budget"
