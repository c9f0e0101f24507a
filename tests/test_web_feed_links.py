"""Personal calendar addresses from the clerk's page: a new one is shown once, on a page of its
own (whose it is, the address to copy, a webcal: link, a draft e-mail to its owner); revoking one
is asked first, and only the confirmed form revokes it. In a browser too."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.browser import screenshot
from tests.browser import sign_in as sign_in_browser
from tests.conftest import BROMLEY
from tests.service import AUTH, YAML, publish, run_job, sign_in, upload

PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"
LINKS = f"{PAGE}/feed-links"


@pytest.fixture
def published(client: TestClient) -> str:
    """Bromley solved and published, the clerk signed in: the page's form key."""
    upload(client, BROMLEY.read_text())
    publish(client, PID, run_job(client, PID)["plan"])
    return sign_in(client)


def made(client: TestClient, key: str, subject: str, label: str = "") -> tuple[str, str]:
    """Make an address on the page: the page that shows it, and the address."""
    answer = client.post(LINKS, data={"form_key": key, "subject": subject, "label": label})
    assert answer.status_code == 201, answer.text
    page = html.unescape(answer.text)
    field = re.search(r'<input id="made-feed" type="url" readonly value="([^"]+)">', page)
    assert field is not None, "the address is not in a field to copy"
    return page, field.group(1)


def tokens(client: TestClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get(f"/programmes/{PID}/feed-tokens", headers=AUTH).json()
    return found


def test_a_new_address_has_a_page_of_its_own_to_copy_subscribe_and_email(
    client: TestClient, published: str
) -> None:
    page, address = made(client, published, "gibbs", "her work laptop")
    assert "<h1>Calendar address for Philippa Gibbs</h1>" in page
    assert "Democratic Services Officer" in page and "note: her work laptop" in page
    assert "shown only now" in page
    assert "/feeds/private/" in address and page.count(address) == 1  # once, in the field
    webcal = re.search(r'<a href="(webcal://[^"]+)">', page)
    assert webcal is not None and webcal.group(1) == "webcal://" + address.split("://", 1)[1]
    mail = re.search(
        r'<a href="(mailto:[^"]+)" id="mail-feed">E-mail it to Philippa Gibbs</a>', page
    )
    assert mail is not None
    link = urlsplit(mail.group(1))
    assert unquote(link.path) == "philippa.gibbs@bromley.gov.uk"
    asked = parse_qs(link.query, strict_parsing=True)
    assert asked["subject"] == [
        "Your calendar for the Education, Children & Families Work Programme 2017/18"
    ]
    assert address in asked["body"][0] and asked["body"][0].startswith("Dear Philippa Gibbs,")
    back = re.search(r'<a href="([^"]+)" id="back-to-programme">', page)
    assert back is not None and back.group(1) == f"{PAGE}#feeds"
    assert client.get(address).status_code == 200  # the address works
    assert address.rsplit("/", 1)[1] not in client.get(PAGE).text  # and is never shown again


def test_an_owner_without_an_email_address_is_said_to_have_none(
    client: TestClient, published: str
) -> None:
    page, _ = made(client, published, "bennett")
    assert "Councillor Nicholas Bennett J.P. has no e-mail address in the programme" in page
    assert "E-mail it to" not in page
    clerk, _ = made(client, published, "clerk")
    assert "<h1>Calendar address for The clerk (every deadline)</h1>" in clerk


def test_a_refused_address_shows_the_programme_with_the_error_beside_the_form(
    client: TestClient, published: str
) -> None:
    wrong = client.post(LINKS, data={"form_key": published, "subject": "nobody"})
    assert wrong.status_code == 422
    assert "'nobody' is not in people" in html.unescape(wrong.text)
    assert 'data-form="feed"' in wrong.text and tokens(client) == []


def test_revoking_asks_first_and_only_the_confirmed_form_revokes(
    client: TestClient, published: str
) -> None:
    _, address = made(client, published, "gibbs", "her phone")
    number = tokens(client)[0]["id"]
    page = client.get(PAGE).text
    revoke = f"{LINKS}/{number}/revoke"
    assert f'<a href="{revoke}?plan=2" class="revoke"' in page  # a link to the question
    asked = client.get(f"{revoke}?plan=2")
    assert asked.status_code == 200
    question = html.unescape(asked.text)
    assert "Revoke the calendar address of Philippa Gibbs?" in question
    assert "note: her phone" in question
    assert 'id="revoke-confirmed">Revoke it</button>' in question
    assert f'<a href="{PAGE}?plan=2#feeds" id="keep-feed">Keep it</a>' in question
    assert client.get(address).status_code == 200  # asking changed nothing

    unconfirmed = client.post(revoke, data={"form_key": published})
    assert unconfirmed.status_code == 200 and "Revoke it" in unconfirmed.text
    assert tokens(client)[0]["revoked"] is None and client.get(address).status_code == 200

    done = client.post(
        revoke,
        data={"form_key": published, "confirmed": "yes", "plan": "2"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"{PAGE}?done=revoked&plan=2"
    assert tokens(client)[0]["revoked"] is not None
    assert client.get(address).status_code == 404
    again = html.unescape(client.get(revoke).text)
    assert "This address was revoked on" in again and "Revoke it" not in again


def test_revoking_what_is_not_there_is_not_found(client: TestClient, published: str) -> None:
    assert client.get(f"{LINKS}/7/revoke").status_code == 404
    gone = client.post(f"{LINKS}/7/revoke", data={"form_key": published, "confirmed": "yes"})
    assert gone.status_code == 404 and "has no feed token 7" in html.unescape(gone.text)
    other = BROMLEY.read_text().replace("id: bromley-ecf-2017-18", "id: elsewhere", 1)
    assert client.post("/programmes", content=other.encode(), headers=YAML).status_code == 201
    made(client, published, "gibbs")
    number = tokens(client)[0]["id"]
    assert client.get(f"/web/programmes/elsewhere/feed-links/{number}/revoke").status_code == 404


def test_a_clerk_makes_an_address_copies_it_and_revokes_it_after_confirming(page: Page) -> None:
    response = page.request.post("/programmes", data=BROMLEY.read_bytes(), headers=YAML)
    assert response.status == 201
    sign_in_browser(page, PAGE)
    page.click("#solve")
    page.wait_for_url("**plan=1")
    page.click("#publish")
    page.wait_for_url("**done=published**")

    page.select_option("#feed-subject", "gibbs")
    page.fill("#feed-label", "her laptop")
    page.click("#make-feed")
    expect(page.locator("h1")).to_have_text("Calendar address for Philippa Gibbs")
    address = page.locator("#made-feed").input_value()
    assert "/feeds/private/" in address
    expect(page.locator("a#mail-feed")).to_have_attribute(
        "href", re.compile(r"^mailto:philippa\.gibbs@bromley\.gov\.uk\?subject=")
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy='made-feed']")
    expect(page.locator("button[data-copy='made-feed']")).to_have_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == address
    screenshot(page, "7-feed-address-made")

    page.click("#back-to-programme")
    row = page.locator("section.feeds tr", has_text="her laptop")
    row.get_by_role("link", name="Revoke").click()
    expect(page.locator("h1")).to_have_text("Revoke the calendar address of Philippa Gibbs?")
    page.click("#keep-feed")
    assert page.request.get(address).ok  # kept
    row.get_by_role("link", name="Revoke").click()
    page.click("#revoke-confirmed")
    page.wait_for_url("**done=revoked**")
    expect(page.locator(".notice")).to_contain_text("Feed address revoked")
    expect(row).to_contain_text("revoked")
    assert page.request.get(address).status == 404
