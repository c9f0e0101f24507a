"""Signing in to the web page: a server-side session named by a random id in the cookie (never
the token or password it was opened with), with its own form key; it ends when idle or old, at
sign-out; one kept under the shared clerk token of before issue 25 signs nobody in."""

from __future__ import annotations

import datetime as dt
import html
from typing import cast

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from api.accounts import create_account
from api.auth import digest, new_token
from api.clerk_sessions import CLEAR_AT_MOST, find_session, open_session
from api.settings import Settings
from api.storage import reading, writing
from api.tables import ClerkSession
from api.web.session import COOKIE, SECURE_COOKIE
from tests.service import CLERK, form_key, make_app, sign_in

PAGE = "/web/programmes/nothing-yet"
START = dt.datetime(2017, 10, 17, 9, 0, tzinfo=dt.UTC)
HOURS = dt.timedelta(hours=1)


def engine_of(client: TestClient) -> Engine:
    engine: Engine = cast(FastAPI, client.app).state.scrutiny.engine
    return engine


def kept(client: TestClient) -> list[ClerkSession]:
    """The sessions the server keeps."""
    with reading(engine_of(client)) as session:
        return list(session.scalars(select(ClerkSession)))


def signed_in(client: TestClient) -> bool:
    """Whether the client's cookie opens a session: the page offers to sign out."""
    return 'action="/sign-out"' in client.get("/").text


def sent_back(client: TestClient, page: str) -> bool:
    """Whether `page` sends the client to the sign-in form."""
    away = client.get(page, follow_redirects=False)
    return away.status_code == 303 and away.headers["location"] == f"/sign-in?next={page}"


def test_the_cookie_holds_a_random_session_id_not_the_clerks_token(client: TestClient) -> None:
    response = client.post("/sign-in", data={"token": CLERK, "next": "/"}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and CLERK not in cookie
    attributes = cookie.lower()
    assert "httponly" in attributes and "samesite=strict" in attributes and "path=/" in attributes
    assert "max-age=43200" in attributes  # the browser drops it after 12 hours too
    assert "secure" not in attributes  # plain http: a Secure cookie would never come back
    sid = client.cookies[COOKIE]
    assert len(sid) >= 43  # 256 random bits
    rows = kept(client)
    assert [row.digest for row in rows] == [digest(sid)]  # only its digest is kept
    assert rows[0].expires - rows[0].created == 8 * HOURS  # idle limit first


def test_over_https_the_cookie_is_secure_and_host_only(database_url: str) -> None:
    with TestClient(make_app(database_url), base_url="https://testserver") as client:
        response = client.post(
            "/sign-in", data={"token": CLERK, "next": "/"}, follow_redirects=False
        )
        cookie = response.headers["set-cookie"].lower()
        assert cookie.startswith(f"{SECURE_COOKIE.lower()}=") and "; secure" in cookie
        assert "path=/" in cookie and "domain=" not in cookie  # what __Host- requires
        key = form_key(client.get("/").text)
        out = client.post("/sign-out", data={"form_key": key}, follow_redirects=False)
        cleared = out.headers["set-cookie"].lower()  # deleted as it was set, or not at all
        assert cleared.startswith(f'{SECURE_COOKIE.lower()}=""') and "; secure" in cleared
        assert not signed_in(client)


def test_each_sign_in_is_a_new_session_with_a_new_form_key(client: TestClient) -> None:
    first_key = sign_in(client)
    first_sid = client.cookies[COOKIE]
    second_key = sign_in(client)
    assert client.cookies[COOKIE] != first_sid and second_key != first_key
    assert [row.digest for row in kept(client)] == [digest(client.cookies[COOKIE])]
    stale = client.post("/web/programmes", data={"form_key": first_key, "text": "x"})
    assert stale.status_code == 403  # the old session's key died with it


def test_sign_out_revokes_session(client: TestClient) -> None:
    key = sign_in(client)
    sid = client.cookies[COOKIE]
    out = client.post("/sign-out", data={"form_key": key}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/"
    cleared = out.headers["set-cookie"].lower()
    assert cleared.startswith(f'{COOKIE}=""') and "max-age=0" in cleared
    assert kept(client) == []
    client.cookies.set(COOKIE, sid)  # a copy of the cookie kept from before opens nothing
    assert sent_back(client, PAGE)


def test_sign_out_needs_the_form_key(client: TestClient) -> None:
    sign_in(client)
    forged = client.post("/sign-out", follow_redirects=False)
    assert forged.status_code == 403
    assert "did not come from this site" in html.unescape(forged.text)
    assert signed_in(client) and len(kept(client)) == 1


def test_an_expired_session_is_refused_and_deleted(client: TestClient) -> None:
    sign_in(client)
    with writing(engine_of(client)) as session:
        session.execute(update(ClerkSession).values(expires=START))
    assert sent_back(client, PAGE)
    assert kept(client) == []


def test_a_session_ends_when_idle_too_long_or_open_too_long(client: TestClient) -> None:
    engine, settings = engine_of(client), Settings()  # 8 hours idle, 12 in all

    number = create_account(engine, "gibbs@bromley.gov.uk", "Philippa Gibbs", "clerk", None, START).id

    def live(sid: str, at: dt.timedelta) -> bool:
        return find_session(engine, sid, settings=settings, now=START + at) is not None

    idle = open_session(engine, account=number, settings=settings, now=START)
    assert not live(idle, 8 * HOURS)
    used = open_session(engine, account=number, settings=settings, now=START)
    assert live(used, 7 * HOURS)  # used: good until 15 hours idle, but 12 in all come first
    assert live(used, 11 * HOURS)
    assert not live(used, 12 * HOURS)


def test_a_session_of_the_shared_clerk_token_signs_nobody_in(client: TestClient) -> None:
    """Before issue 25 a session was kept under the shared token's digest; one that migration
    0006 did not move to the former clerk's account (its token was only in the environment)
    is refused and deleted."""
    sid = new_token()
    later = dt.datetime.now(dt.UTC) + HOURS
    with writing(engine_of(client)) as session:
        session.add(
            ClerkSession(
                digest=digest(sid), clerk=digest(CLERK), created=START, last_used=START,
                expires=later,
            )
        )
    client.cookies.set(COOKIE, sid)
    assert sent_back(client, PAGE)
    assert kept(client) == []


def test_dead_sessions_are_cleared_a_batch_at_a_time(client: TestClient) -> None:
    with writing(engine_of(client)) as session:
        session.add_all(
            ClerkSession(
                digest=f"{n:064x}", clerk=digest(CLERK), created=START, last_used=START,
                expires=START,
            )
            for n in range(CLEAR_AT_MOST + 20)
        )
    sign_in(client)  # its write clears one batch of the dead, not all of them
    assert len(kept(client)) == 20 + 1
    assert signed_in(client)
