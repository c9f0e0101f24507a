"""Open data over HTTP (issue 24): the published plan's Open Civic Data events and Popolo
organisations for anyone, found as the public page finds the published plan (404 until one is
published); each plan's agendas as CSV for the clerk alone, from the API (bearer token) and from
the clerk's page (signed in), linked where the downloads are."""

from __future__ import annotations

import csv
import html
import io
import re

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from scheduler.outputs.open_data import ocd_events
from scheduler.plan.model import Plan
from scheduler.programme.load import parse_programme
from tests.conftest import BROMLEY
from tests.service import (
    AUTH,
    CLERK,
    run_job,
    sign_in,
    solved_and_published,
    upload,
    working,
)
from tests.test_open_data import errors, ocd_validator

PID = "bromley-ecf-2017-18"
EVENTS = f"/programmes/{PID}/open-data/events.json"
ORGANIZATIONS = f"/programmes/{PID}/open-data/organizations.json"
NOT_YET = f"programme '{PID}' has no published plan yet"


def test_open_data_is_not_found_before_a_plan_is_published(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    for path in (EVENTS, ORGANIZATIONS):
        answer = client.get(path)
        assert (answer.status_code, answer.json()) == (404, {"detail": NOT_YET})
    assert client.get(f"/public/{PID}").status_code == 404  # the public page says the same
    unknown = client.get("/programmes/nowhere/open-data/events.json")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "no programme 'nowhere'"})


def test_the_published_plan_is_open_data(client: TestClient) -> None:
    text = BROMLEY.read_text()
    number = solved_and_published(client, text, PID)["number"]
    answer = client.get(EVENTS)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    events = answer.json()
    assert [e for e in events if errors(ocd_validator(), e)] == []
    stored = client.get(f"/programmes/{PID}/plans/{number}", headers=AUTH).text
    published = Plan.model_validate_json(stored)
    assert events == ocd_events(parse_programme(text, "b.yaml"), published)
    assert len(events) == 14 and not [e for e in events if "sources" in e]  # no public URL set
    assert {e["status"] for e in events} == {"passed"}  # every 2017/18 meeting is before today
    again = client.get(EVENTS, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    organizations = client.get(ORGANIZATIONS).json()["organizations"]
    assert [o["identifiers"][0]["identifier"] for o in organizations] == [
        "select",
        "bpm",
        "schools-forum",
        "sacre",
    ]


def test_each_event_names_the_public_page_at_the_services_own_address(database_url: str) -> None:
    """Its source, only where the service is told its address (a request's Host could be any)."""
    site = "https://democracy.example.gov.uk"
    settings = Settings(database_url=database_url, clerk_token=CLERK, public_url=site)
    with TestClient(create_app(settings, announce=False)) as client, working(database_url):
        solved_and_published(client, BROMLEY.read_text(), PID)
        events = client.get(EVENTS, headers={"Host": "elsewhere.example"}).json()
    assert {e["sources"][0]["url"] for e in events} == {f"{site}/public/{PID}"}
    assert [e for e in events if errors(ocd_validator(), e)] == []


def test_the_public_page_links_the_open_data(client: TestClient) -> None:
    solved_and_published(client, BROMLEY.read_text(), PID)
    page = client.get(f"/public/{PID}").text
    links = {html.unescape(h) for h in re.findall(r'href="([^"]*open-data[^"]*)"', page)}
    assert links == {EVENTS, ORGANIZATIONS}
    assert all(client.get(link).status_code == 200 for link in links)


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_clerk_downloads_the_agendas_from_the_api_and_the_page(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    plan = run_job(client, PID, time_limit=10)["plan"]
    path = f"/programmes/{PID}/plans/{plan}/agendas.csv"
    answer = client.get(path, headers=AUTH)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    name = f'attachment; filename="{PID}-plan-{plan}-agendas.csv"'
    assert answer.headers["content-disposition"] == name
    table = rows(answer.content)
    assert table[0][:3] == ["Meeting", "Item", "Title"] and len(table) == 93  # 92 entries
    bpm = rows(client.get(path, params={"body": "bpm"}, headers=AUTH).content)[1:]
    sub_committee = "Education, Children & Families Budget & Performance Monitoring Sub-Committee"
    assert bpm and all(r[0].startswith(f"{sub_committee}, ") for r in bpm)
    sign_in(client)
    page = client.get(f"/web/programmes/{PID}?plan={plan}").text
    link = re.search(r'<a href="([^"]+)" id="download-agendas-csv"', page)
    assert link is not None
    downloaded = client.get(html.unescape(link.group(1)))
    assert downloaded.status_code == 200 and downloaded.content == answer.content


def test_the_agendas_csv_refuses_anyone_but_the_clerk(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    plan = run_job(client, PID, time_limit=10)["plan"]
    path = f"/programmes/{PID}/plans/{plan}/agendas.csv"
    assert client.get(path).status_code == 401
    page = client.get(f"/web{path}", follow_redirects=False)  # the page's: to the sign-in form
    assert (page.status_code, page.headers["location"]) == (303, f"/sign-in?next=/web{path}")
    ghost = client.get(path, params={"body": "ghost"}, headers=AUTH)
    assert (ghost.status_code, ghost.json()["detail"]) == (
        404,
        f"no committee 'ghost' in plan {plan}'s programme",
    )
    missing = client.get(f"/programmes/{PID}/plans/99/agendas.csv", headers=AUTH)
    assert (missing.status_code, missing.json()["detail"]) == (
        404,
        f"programme '{PID}' has no plan 99",
    )
