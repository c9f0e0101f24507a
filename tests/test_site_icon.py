"""The site's icon (issue 22: `/favicon.ico` was a 404 on every page) and the public work
programme's viewport (it was 1,027 px wide on a 390 px phone)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from scheduler.outputs.report import html
from scheduler.plan.model import load_plan
from scheduler.programme.load import load_programme
from tests.conftest import BROMLEY
from tests.service import sign_in

GOLDEN_PLAN = BROMLEY.parent.parent / "tests" / "golden" / "bromley.plan.json"


def test_the_icon_is_where_browsers_ask_for_it_signed_in_or_not(client: TestClient) -> None:
    for _ in range(2):
        answer = client.get("/favicon.ico")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "image/svg+xml"
        assert answer.text.startswith("<svg") and "script" not in answer.text
        assert client.get("/static/favicon.svg").content == answer.content
        sign_in(client)


def test_every_page_links_the_icon(client: TestClient) -> None:
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/sign-in").text
    sign_in(client)
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text


def test_the_public_work_programme_fits_a_phone() -> None:
    page = html(load_programme(BROMLEY), load_plan(GOLDEN_PLAN), "public")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
