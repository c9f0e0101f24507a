"""Signing in to the clerk's page with an account's e-mail address and password (issue 25):
a server-side session bound to the account, ended in every worker when it is disabled; a
reader signs in and reads, and every change is refused."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, update

from api.accounts import create_account
from api.api_tokens import make_token, revoke_token, tokens_of
from api.storage import make_engine, writing
from api.tables import Account
from api.who import Who, give
from tests.conftest import BROMLEY
from tests.service import CLERK, form_key, upload

PASSWORD = "correct horse battery staple"
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
#: A page only the signed-in clerk sees.
CLERKS_PAGE = "/web/new-programme"
PID = "bromley-ecf-2017-18"


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    return engine


def account(client: TestClient, role: str = "clerk", email: str = "gibbs@bromley.gov.uk") -> int:
    made = create_account(engine_of(client), email, "Philippa Gibbs", role, PASSWORD, NOW)  # type: ignore[arg-type]
    return made.id


def sign_in(client: TestClient, email: str, password: str) -> int:
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "next": CLERKS_PAGE},
        follow_redirects=False,
    )
    return response.status_code


def test_an_account_signs_in_with_its_address_and_password(client: TestClient) -> None:
    account(client)
    assert client.get(CLERKS_PAGE, follow_redirects=False).status_code == 303  # to sign in
    assert sign_in(client, "Gibbs@Bromley.gov.uk", PASSWORD) == 303
    page = client.get(CLERKS_PAGE, follow_redirects=False)
    assert page.status_code == 200
    assert form_key(page.text)


@pytest.mark.parametrize("password", [PASSWORD + "!", "", "x" * 2000])
def test_a_wrong_password_signs_nobody_in(client: TestClient, password: str) -> None:
    account(client)
    response = client.post("/sign-in", data={"email": "gibbs@bromley.gov.uk", "password": password})
    assert response.status_code in (401, 422)
    assert client.get(CLERKS_PAGE, follow_redirects=False).status_code == 303
    if response.status_code == 401:
        assert (
            "e-mail or password: not right, or the account is locked for a quarter of an hour"
            in (html.unescape(response.text))
        )


def test_a_reader_signs_in_to_read_and_every_change_is_refused(client: TestClient) -> None:
    account(client, role="reader")
    assert sign_in(client, "gibbs@bromley.gov.uk", PASSWORD) == 303
    home = client.get("/")
    assert home.status_code == 200
    key = form_key(home.text)  # signed in: sign-out is a form
    refused = client.get(CLERKS_PAGE, follow_redirects=False)  # the form to make a programme
    assert refused.status_code == 403
    assert "Philippa Gibbs may only read" in html.unescape(refused.text)
    sent = client.post("/web/new-programme", data={"form_key": key, "title": "Anything"})
    assert sent.status_code == 403


def test_a_disabled_account_is_signed_out_at_once(client: TestClient) -> None:
    number = account(client)
    assert sign_in(client, "gibbs@bromley.gov.uk", PASSWORD) == 303
    assert client.get(CLERKS_PAGE, follow_redirects=False).status_code == 200
    with writing(engine_of(client)) as session:
        session.execute(update(Account).where(Account.id == number).values(disabled=True))
    assert client.get(CLERKS_PAGE, follow_redirects=False).status_code == 303
    assert sign_in(client, "gibbs@bromley.gov.uk", PASSWORD) == 401


def test_an_accounts_session_and_the_clerks_token_sessions_live_side_by_side(
    client: TestClient,
) -> None:
    account(client)
    assert sign_in(client, "gibbs@bromley.gov.uk", PASSWORD) == 303
    with TestClient(client.app) as other:  # the clerk's token, in another browser
        done = other.post("/sign-in", data={"token": CLERK, "next": CLERKS_PAGE})
        assert done.status_code == 200
    assert client.get(CLERKS_PAGE, follow_redirects=False).status_code == 200


def test_a_page_signed_in_with_an_api_token_ends_when_the_token_is_revoked(
    client: TestClient,
) -> None:
    number = account(client)
    now = dt.datetime.now(dt.UTC)
    who = Who(number, "Philippa Gibbs", "clerk")
    token = make_token(engine_of(client), who, number, "laptop", now)
    kept = make_token(engine_of(client), who, number, "the other laptop", now)
    assert client.post("/sign-in", data={"token": token}, follow_redirects=False).status_code == 303
    assert client.get(CLERKS_PAGE, follow_redirects=False).status_code == 200
    with TestClient(client.app) as other:  # the account's other token, in another browser
        assert other.post("/sign-in", data={"token": kept}).status_code == 200
        revoked = tokens_of(engine_of(client), number)[-1]  # the first made: "laptop"
        assert revoke_token(engine_of(client), who, number, revoked.id, now)
        assert client.get(CLERKS_PAGE, follow_redirects=False).status_code == 303
        assert other.get(CLERKS_PAGE, follow_redirects=False).status_code == 200


def test_an_account_signs_in_in_a_browser(page: Page, live_url: str, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'scrutiny.db'}")
    try:
        create_account(engine, "gibbs@bromley.gov.uk", "Philippa Gibbs", "clerk", PASSWORD, NOW)
    finally:
        engine.dispose()
    page.goto(f"/sign-in?next={CLERKS_PAGE}")
    page.get_by_label("E-mail address").fill("gibbs@bromley.gov.uk")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in")
    assert page.url == f"{live_url}{CLERKS_PAGE}"
    expect(page.locator('input[name="form_key"]').first).to_be_attached()


def test_a_clerk_sees_the_changing_forms_only_of_the_programmes_given_to_them(
    client: TestClient,
) -> None:
    number = account(client)
    upload(client, BROMLEY.read_text())  # by the admin: not given to the clerk
    assert sign_in(client, "gibbs@bromley.gov.uk", PASSWORD) == 303
    page = f"/web/programmes/{PID}"
    solve = f'action="/web/programmes/{PID}/jobs"'
    seen = client.get(page)
    assert seen.status_code == 200 and solve not in seen.text
    with writing(engine_of(client)) as session:
        give(session, Who(number, "Philippa Gibbs", "clerk"), PID)
    assert solve in client.get(page).text
