"""Accounts on the web page (issue 25, `api.web.accounts`): an admin makes a clerk's account and
gives them a programme; the clerk signs in with their password and changes that programme only;
everybody makes and revokes their own API tokens, the token shown once; a programme's history
names who did what; and, in Chromium, an admin makes an account that then signs in."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from tests.browser import screenshot
from tests.browser import sign_in as browser_sign_in
from tests.conftest import DATA
from tests.service import AUTH, form_key, sign_in, upload

PASSWORD = "correct horse battery staple"
SMALL = (DATA / "small.yaml").read_text()
OTHER = (DATA / "feeds.yaml").read_text()
PID, OTHER_PID = "small-council", "feeds-council"
GIBBS = {"name": "Philippa Gibbs", "email": "gibbs@bromley.gov.uk", "role": "clerk"}


def text_of(page: str) -> str:
    """A page's words, without its tags, spaced as a browser shows them."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def errors_of(page: str) -> list[str]:
    return [
        html.unescape(e) for e in re.findall(r'<ul class="errors".*?<li>(.*?)</li>', page, re.S)
    ]


def make_gibbs(client: TestClient, key: str) -> int:
    """Philippa Gibbs's clerk account, made on the accounts page; its number."""
    made = client.post(
        "/web/accounts",
        data={"form_key": key, **GIBBS, "password": PASSWORD},
        follow_redirects=False,
    )
    assert (made.status_code, made.headers["location"]) == (303, "/web/accounts?done=made")
    page = client.get("/web/accounts?done=made")
    assert "Account made." in page.text
    number = re.search(r'<tr id="account-(\d+)" data-email="gibbs@bromley.gov.uk"', page.text)
    assert number is not None
    return int(number.group(1))


def signed_in_as_gibbs(client: TestClient) -> TestClient:
    """Another browser, where Philippa Gibbs signs in with her password."""
    browser = TestClient(client.app)
    answer = browser.post(
        "/sign-in", data={"email": GIBBS["email"], "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 303
    return browser


def test_an_admin_makes_a_clerk_who_changes_only_the_programme_given(client: TestClient) -> None:
    upload(client, SMALL)
    upload(client, OTHER)
    key = sign_in(client)
    number = make_gibbs(client, key)
    given = client.post(
        f"/web/accounts/{number}",
        data={"form_key": key, "action": "give", "programme": PID},
        follow_redirects=False,
    )
    assert given.headers["location"] == "/web/accounts?done=given"
    listed = text_of(client.get("/web/accounts").text)
    assert "Small Scrutiny Work Programme Take back" in listed

    gibbs = signed_in_as_gibbs(client)
    mine = gibbs.get(f"/web/programmes/{PID}/source")
    assert mine.status_code == 200
    revision = re.search(r'name="revision" value="(\d+)"', mine.text)
    assert revision is not None
    edited = SMALL.replace("title: Small Scrutiny", "title: The Small Scrutiny", 1)
    saved = gibbs.post(
        f"/web/programmes/{PID}/source",
        data={
            "form_key": form_key(mine.text),
            "text": edited,
            "format": "yaml",
            "revision": revision.group(1),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    refused = gibbs.get(f"/web/programmes/{OTHER_PID}/settings")
    assert refused.status_code == 403
    assert "has not been given to Philippa Gibbs" in html.unescape(refused.text)
    assert gibbs.get("/web/accounts").status_code == 403

    history = text_of(gibbs.get(f"/web/programmes/{PID}/history").text)
    assert re.search(
        r"Philippa Gibbs, \w{3} \d+ \w{3} \d{4} \d\d:\d\d — The year.s settings", history
    )
    assert "The clerk (shared token)" in history and "Programme given to Philippa Gibbs." in history


def test_an_admins_refused_change_is_said_beside_its_form(client: TestClient) -> None:
    key = sign_in(client)
    me = client.get("/me", headers=AUTH).json()["id"]
    refused = client.post(f"/web/accounts/{me}", data={"form_key": key, "action": "disable"})
    assert refused.status_code == 409
    assert errors_of(refused.text)[0].startswith("The clerk (shared token) is the only admin")
    made = client.post("/web/accounts", data={"form_key": key, **GIBBS, "password": "too short"})
    assert made.status_code == 422
    assert "a password has 12 to 1024 characters" in errors_of(made.text)[0]
    assert 'value="Philippa Gibbs"' in made.text and "too short" not in made.text
    domain = client.post(
        "/web/accounts/domains",
        data={"form_key": key, "action": "allow", "domain": "bromley", "role": "reader"},
    )
    assert domain.status_code == 422
    assert "is not an e-mail domain such as bromley.gov.uk" in errors_of(domain.text)[0]


def test_an_admin_disables_an_account_and_its_session_ends(client: TestClient) -> None:
    key = sign_in(client)
    number = make_gibbs(client, key)
    gibbs = signed_in_as_gibbs(client)
    assert gibbs.get("/web/me").status_code == 200
    client.post(f"/web/accounts/{number}", data={"form_key": key, "action": "disable"})
    assert gibbs.get("/web/me", follow_redirects=False).status_code == 303  # to sign in
    client.post(f"/web/accounts/{number}", data={"form_key": key, "action": "enable"})
    assert gibbs.get("/web/me", follow_redirects=False).status_code == 303  # still ended
    assert "Disabled" not in text_of(client.get("/web/accounts").text)


def test_a_token_made_on_ones_own_page_is_shown_once_and_revoked_there(
    client: TestClient,
) -> None:
    key = sign_in(client)
    make_gibbs(client, key)
    gibbs = signed_in_as_gibbs(client)
    page = gibbs.get("/web/me")
    assert "Philippa Gibbs · gibbs@bromley.gov.uk · Clerk" in html.unescape(page.text)
    made = gibbs.post("/web/me/tokens", data={"form_key": form_key(page.text), "name": "export"})
    assert made.status_code == 201
    token = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', made.text)
    assert token is not None
    script = {"Authorization": f"Bearer {token.group(1)}"}
    assert gibbs.get("/me", headers=script).json()["name"] == "Philippa Gibbs"
    again = gibbs.get("/web/me")
    assert token.group(1) not in again.text and "export" in again.text
    number = re.search(r'action="/web/me/tokens/(\d+)/revoke"', again.text)
    assert number is not None
    revoked = gibbs.post(
        f"/web/me/tokens/{number.group(1)}/revoke",
        data={"form_key": form_key(again.text)},
        follow_redirects=False,
    )
    assert revoked.headers["location"] == "/web/me?done=revoked"
    assert gibbs.get("/me", headers=script).status_code == 401
    assert "revoked" in gibbs.get("/web/me").text


def test_ones_own_password_changes_with_the_current_one(client: TestClient) -> None:
    key = sign_in(client)
    make_gibbs(client, key)
    gibbs = signed_in_as_gibbs(client)
    elsewhere = signed_in_as_gibbs(client)
    mine = form_key(gibbs.get("/web/me").text)
    wrong = gibbs.post(
        "/web/me/password",
        data={
            "form_key": mine,
            "current_password": "not my password",
            "new_password": "a new password here",
            "again_password": "a new password here",
        },
    )
    assert wrong.status_code == 422
    assert errors_of(wrong.text)[0].startswith("your current password is not right")
    changed = gibbs.post(
        "/web/me/password",
        data={
            "form_key": mine,
            "current_password": PASSWORD,
            "new_password": "a new password here",
            "again_password": "a new password here",
        },
        follow_redirects=False,
    )
    assert changed.headers["location"] == "/web/me?done=own-password"
    assert gibbs.get("/web/me").status_code == 200
    assert elsewhere.get("/web/me", follow_redirects=False).status_code == 303


def test_the_nav_offers_accounts_to_admins_only(client: TestClient) -> None:
    key = sign_in(client)
    assert 'href="/web/accounts"' in client.get("/").text
    make_gibbs(client, key)
    home = signed_in_as_gibbs(client).get("/").text
    assert 'href="/web/accounts"' not in home and 'href="/web/me"' in home
    assert 'href="/web/me"' not in TestClient(client.app).get("/").text


def test_an_admin_makes_an_account_in_a_browser_and_its_person_signs_in(
    page: Page, browser: Browser, live_url: str, tmp_path: Path
) -> None:
    browser_sign_in(page, "/web/accounts")
    page.get_by_label("Name").fill("Philippa Gibbs")
    page.get_by_label("E-mail address").fill("gibbs@bromley.gov.uk")
    page.locator("#new-role").select_option("clerk")
    page.locator("#new-password").fill(PASSWORD)
    with page.expect_navigation():
        page.click("#make-account")
    expect(page.get_by_role("status")).to_contain_text("Account made.")
    expect(page.locator('tr[data-email="gibbs@bromley.gov.uk"]')).to_contain_text("Can sign in")
    screenshot(page, "accounts")

    context = browser.new_context(base_url=live_url, locale="en-GB")
    try:
        theirs = context.new_page()
        theirs.goto("/sign-in?next=/web/me")
        theirs.get_by_label("E-mail address").fill("gibbs@bromley.gov.uk")
        theirs.get_by_label("Password").fill(PASSWORD)
        with theirs.expect_navigation():
            theirs.click("#sign-in")
        expect(theirs.locator("#who-you-are")).to_have_text(
            "Philippa Gibbs · gibbs@bromley.gov.uk · Clerk"
        )
        expect(theirs.locator("#accounts")).to_have_count(0)
    finally:
        context.close()
