"""Security headers on every answer: the web page's strict Content-Security-Policy (no inline
script or style), nothing loaded by the API's answers, no framing, no Referer, no sniffing; the
clerk's pages never cached; no third-party documentation pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.headers import PAGE_POLICY
from tests.service import AUTH, make_app, sign_in

TEMPLATES = Path(__file__).parent.parent / "api" / "templates"
ASKED = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
#: What the page's policy would block: inline script, inline style, event handler attributes.
BLOCKED = re.compile(
    r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
)


def assert_everywhere(headers: Mapping[str, str]) -> None:
    """The headers every answer carries (httpx's headers: any case)."""
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("referrer-policy") == "no-referrer"
    assert headers.get("x-content-type-options") == "nosniff"


def test_the_page_policy_is_the_one_asked_for() -> None:
    assert PAGE_POLICY == ASKED


def test_every_page_carries_the_page_policy_and_the_clerks_are_never_cached(
    client: TestClient,
) -> None:
    for path in ("/", "/sign-in", "/public/none", "/web/programmes/none"):
        answer = client.get(path, follow_redirects=False)
        assert answer.headers["content-security-policy"] == ASKED, path
        assert_everywhere(answer.headers)
    sign_in(client)
    mine = client.get("/")
    assert "sign-out" in mine.text and mine.headers["cache-control"] == "no-store"


def test_api_answers_and_feeds_load_nothing_and_cannot_be_framed(client: TestClient) -> None:
    for path, headers in (
        ("/programmes", {}),
        ("/programmes/none/source", AUTH),
        ("/programmes/none/feeds/public/select.ics", {}),
        ("/programmes/none/feeds/private/%00.ics", {}),  # the NUL 404, before any route
    ):
        answer = client.get(path, headers=headers)
        policy = answer.headers["content-security-policy"]
        assert policy.startswith("default-src 'none';") and "script-src" not in policy, path
        assert "frame-ancestors 'none'" in policy
        assert_everywhere(answer.headers)


def test_an_unexpected_error_carries_them_too(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr("api.web.pages.all_programmes", broken)
    with TestClient(make_app(database_url), raise_server_exceptions=False) as client:
        answer = client.get("/")
    assert answer.status_code == 500 and "internal error" in answer.text
    assert answer.headers["content-security-policy"] == ASKED
    assert_everywhere(answer.headers)


def test_no_documentation_page_runs_a_cdns_script_but_the_openapi_description_is_served(
    client: TestClient,
) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_no_template_has_what_the_policy_would_block(template: Path) -> None:
    assert BLOCKED.findall(template.read_text()) == []
