"""What an admin does to accounts, and everybody to their own API tokens (issue 25,
`api.account_admin`, `api.routes.accounts`): each change recorded in the audit trail in words;
the last admin who can sign in stays one; a token acts with its account's role as it is now and
stops at once when revoked or its account disabled; the trail names who made each version and
cannot be changed, even by SQL. On SQLite, and on PostgreSQL where the suite is given one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from api import account_admin
from api.account_admin import AdminError, Change, LastAdmin, change_account, change_own_password
from api.accounts import AccountError
from api.admin import FORMER_CLERK_NAME
from api.api_tokens import TokenError, make_token, tokens_of
from api.audit import LISTED, record
from api.clerk_sessions import find_session, open_session
from api.settings import Settings
from api.storage import reading, writing
from api.store import _whose
from api.tables import Account, AuditEvent
from api.who import Who
from scheduler.programme.load import read_programme
from tests.conftest import DATA
from tests.service import AUTH, YAML, sign_in, upload

PASSWORD = "correct horse battery staple"
SMALL = (DATA / "small.yaml").read_text()
PID = "small-council"


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    return engine


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def made(
    client: TestClient,
    role: str,
    email: str = "gibbs@bromley.gov.uk",
    name: str = "Philippa Gibbs",
    password: str | None = PASSWORD,
) -> int:
    """A new account, made by the admin over the API; its number."""
    wanted = {"email": email, "name": name, "role": role, "password": password}
    response = client.post("/accounts", json=wanted, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/accounts/{response.json()['id']}"
    number: int = response.json()["id"]
    return number


def token_of(client: TestClient, number: int, name: str = "a script") -> dict[str, Any]:
    """A new API token of account `number`, as its holder makes one on "Your account" (an
    admin cannot make one for somebody else): its number and the token."""
    engine = engine_of(client)
    with reading(engine) as session:
        holder = Who.of(session.get(Account, number))  # type: ignore[arg-type]
    token = make_token(engine, holder, number, name, dt.datetime.now(dt.UTC))
    return {"id": tokens_of(engine, number)[0].id, "token": token}


def words(client: TestClient, path: str, headers: dict[str, str] = AUTH) -> list[str]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return [e["words"] for e in response.json()]


def my_number(client: TestClient, headers: dict[str, str] = AUTH) -> int:
    number: int = client.get("/me", headers=headers).json()["id"]
    return number


# The trail.


def test_each_admin_change_is_recorded_in_words(client: TestClient) -> None:
    upload(client, SMALL)
    n = made(client, "reader")
    changes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("PATCH", f"/accounts/{n}", {"role": "clerk"}),
        ("PATCH", f"/accounts/{n}", {"name": "Philippa Smith"}),
        ("PATCH", f"/accounts/{n}", {"disabled": True}),
        ("PATCH", f"/accounts/{n}", {"disabled": False}),
        ("PATCH", f"/accounts/{n}", {"password": "a new one, long enough"}),
        ("PUT", "/sso-domains/bromley.gov.uk", {"role": "reader"}),
        ("PUT", "/sso-domains/Bromley.gov.UK", {"role": "clerk"}),
        ("DELETE", "/sso-domains/bromley.gov.uk", None),
        ("PUT", f"/programmes/{PID}/grants/{n}", None),
        ("DELETE", f"/programmes/{PID}/grants/{n}", None),
    ]
    for method, path, body in changes:
        response = client.request(method, path, json=body, headers=AUTH)
        assert response.status_code in (200, 201, 204), (path, response.text)
    assert words(client, "/audit")[:9] == [
        "Domain bromley.gov.uk no longer allowed single sign-on (accounts made stay).",
        "Domain bromley.gov.uk now signs in as clerk, not reader.",
        "Domain bromley.gov.uk allowed single sign-on, as reader.",
        "Password of Philippa Smith set.",
        "Philippa Smith's account enabled again.",
        "Philippa Smith's account disabled.",
        "Philippa Gibbs renamed Philippa Smith.",
        "Role of Philippa Gibbs changed from reader to clerk.",
        "Account made for Philippa Gibbs (gibbs@bromley.gov.uk) as a reader, signing in with a "
        "password.",
    ]
    trail = client.get(f"/programmes/{PID}/audit", headers=AUTH).json()
    assert [e["words"] for e in trail[:2]] == [
        "Programme taken from Philippa Smith.",
        "Programme given to Philippa Smith.",
    ]
    assert {e["who"] for e in trail} == {FORMER_CLERK_NAME}
    assert trail[0]["details"] == {"account": n}


def test_a_change_that_changes_nothing_is_not_recorded(client: TestClient) -> None:
    upload(client, SMALL)
    n = made(client, "clerk")
    before = words(client, "/audit")
    client.patch(f"/accounts/{n}", json={"role": "clerk", "disabled": False}, headers=AUTH)
    for status in (201, 200):
        domain = client.put("/sso-domains/bromley.gov.uk", json={"role": "reader"}, headers=AUTH)
        assert domain.status_code == status
    allowed = "Domain bromley.gov.uk allowed single sign-on, as reader."
    assert words(client, "/audit") == [allowed, *before]
    for _ in range(2):
        assert client.put(f"/programmes/{PID}/grants/{n}", headers=AUTH).status_code == 204
    assert (
        words(client, f"/programmes/{PID}/audit").count("Programme given to Philippa Gibbs.") == 1
    )


def test_an_admin_lets_single_sign_on_bind_an_account_again(client: TestClient) -> None:
    """Its person's council account was made anew: the account, bound to the old one, is let
    bind again at its next single sign-on (recorded once; forgetting no binding is nothing)."""
    n = made(client, "clerk", password=None)
    assert client.get(f"/accounts/{n}", headers=AUTH).json()["single_sign_on_bound"] is False
    with writing(engine_of(client)) as session:
        account = session.get_one(Account, n)
        account.sso_issuer, account.sso_subject = "https://accounts.google.com", "10769150350006"
    assert client.get(f"/accounts/{n}", headers=AUTH).json()["single_sign_on_bound"] is True
    wrong = client.patch(f"/accounts/{n}", json={"forget_single_sign_on": "yes"}, headers=AUTH)
    assert wrong.status_code == 422
    for _ in range(2):
        forgot = client.patch(f"/accounts/{n}", json={"forget_single_sign_on": True}, headers=AUTH)
        assert forgot.status_code == 200, forgot.text
        assert forgot.json()["single_sign_on_bound"] is False
    with reading(engine_of(client)) as session:
        account = session.get_one(Account, n)
        assert (account.sso_issuer, account.sso_subject) == (None, None)
    said = "Single sign-on of Philippa Gibbs's account to be bound again at the next sign-in."
    assert words(client, "/audit")[:2] == [
        said,
        "Account made for Philippa Gibbs (gibbs@bromley.gov.uk) as a clerk, signing in with"
        " single sign-on only.",
    ]


def test_the_programme_trail_names_who_made_each_version(client: TestClient) -> None:
    """A version saved by a clerk's script is listed first, with the clerk's name; any account
    reads the trail."""
    upload(client, SMALL)
    clerk = made(client, "clerk")
    client.put(f"/programmes/{PID}/grants/{clerk}", headers=AUTH)
    script = bearer(token_of(client, clerk)["token"])
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    edited = SMALL.replace("title: Small Scrutiny", "title: The Small Scrutiny", 1)
    saved = client.put(
        f"/programmes/{PID}/source",
        content=edited.encode(),
        headers={**YAML, **script, "If-Match": etag},
    )
    assert saved.status_code == 200, saved.text
    reader = bearer(token_of(client, made(client, "reader", "reader@bromley.gov.uk"))["token"])
    trail = client.get(f"/programmes/{PID}/audit", headers=reader).json()
    newest = trail[0]
    assert (newest["who"], newest["action"], newest["version"]) == (
        "Philippa Gibbs",
        "programme.version",
        2,
    )
    assert newest["account"] == clerk
    assert [e["id"] for e in trail] == sorted((e["id"] for e in trail), reverse=True)
    assert trail[-1]["words"] == "Programme made."
    assert client.get("/programmes/nowhere/audit", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET words = 'Nothing happened.'", "DELETE FROM audit_events"],
)
def test_the_trail_is_append_only_in_the_database(client: TestClient, statement: str) -> None:
    engine = engine_of(client)
    made(client, "clerk")
    with reading(engine) as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(DBAPIError, match="append-only"), writing(engine) as session:
        session.execute(text(statement))
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
        assert "Nothing happened." not in session.scalars(select(AuditEvent.words)).all()


# The last admin.


@pytest.mark.parametrize("change", [{"role": "clerk"}, {"role": "reader"}, {"disabled": True}])
def test_the_last_admin_who_can_sign_in_stays_one(
    client: TestClient, change: dict[str, Any]
) -> None:
    first = my_number(client)
    refused = client.patch(f"/accounts/{first}", json=change, headers=AUTH)
    assert refused.status_code == 409
    assert "is the only admin who can sign in: make another admin first" in refused.json()["detail"]
    disabled = made(client, "admin", "away@bromley.gov.uk", "Away Admin")
    client.patch(f"/accounts/{disabled}", json={"disabled": True}, headers=AUTH)
    assert client.patch(f"/accounts/{first}", json=change, headers=AUTH).status_code == 409
    second = made(client, "admin")
    other = bearer(token_of(client, second)["token"])
    assert client.patch(f"/accounts/{first}", json=change, headers=AUTH).status_code == 200
    assert client.patch(f"/accounts/{second}", json=change, headers=other).status_code == 409
    assert client.get("/me", headers=other).json()["role"] == "admin"


def test_two_admins_demoting_each_other_at_once_leave_one(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each would see the other still an admin, and both succeed, unless the admins' rows are
    locked first. Each waits, after reading the admins, for the other to read them too (for a
    second at most): with the lock, the second reads only once the first has finished."""
    engine, now = engine_of(client), dt.datetime.now(dt.UTC)
    first, second = my_number(client), made(client, "admin")
    both_read = threading.Barrier(2)
    read_admins = account_admin._enabled_admins

    def read_then_wait(session: Session) -> list[int]:
        admins = read_admins(session)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=1)
        return admins

    monkeypatch.setattr(account_admin, "_enabled_admins", read_then_wait)

    def demote(by: int, whom: int) -> str:
        try:
            change_account(engine, Who(by, "", "admin"), whom, Change(role="clerk"), now)
        except LastAdmin:
            return "refused"
        return "done"

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(demote, (first, second), (second, first)))
    assert answers == ["done", "refused"]
    with reading(engine) as session:
        roles = session.scalars(select(Account.role).where(Account.id.in_((first, second))))
        assert sorted(roles) == ["admin", "clerk"]


# Who may.

ADMIN_ROUTES = [
    ("GET", "/accounts"),
    ("POST", "/accounts"),
    ("GET", "/accounts/1"),
    ("PATCH", "/accounts/1"),
    ("GET", "/accounts/1/tokens"),
    ("DELETE", "/accounts/1/tokens/1"),
    ("GET", "/sso-domains"),
    ("PUT", "/sso-domains/bromley.gov.uk"),
    ("DELETE", "/sso-domains/bromley.gov.uk"),
    ("GET", f"/programmes/{PID}/grants"),
    ("PUT", f"/programmes/{PID}/grants/1"),
    ("DELETE", f"/programmes/{PID}/grants/1"),
    ("GET", "/audit"),
]


@pytest.mark.parametrize("role", ["reader", "clerk"])
def test_a_reader_or_clerk_is_refused_every_admin_route(client: TestClient, role: str) -> None:
    upload(client, SMALL)
    number = made(client, role)
    client.put(f"/programmes/{PID}/grants/{number}", headers=AUTH)
    them = bearer(token_of(client, number)["token"])
    before = words(client, "/audit")
    for method, path in ADMIN_ROUTES:
        body = {"role": "admin"} if method in ("PATCH", "PUT") else None
        answer = client.request(method, path, json=body, headers=them)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["detail"] == "Philippa Gibbs is not an admin: accounts are an admin's"
    assert client.get("/me", headers=them).json()["role"] == role
    assert words(client, "/audit") == before


# API tokens.


def test_a_token_is_shown_once_and_listed_without_its_secret(client: TestClient) -> None:
    response = client.post("/me/tokens", json={"name": "nightly export"}, headers=AUTH)
    assert response.status_code == 201
    made_token = response.json()
    assert response.headers["Location"] == f"/me/tokens/{made_token['id']}"
    listed = client.get("/me/tokens", headers=AUTH)
    assert made_token["token"] not in listed.text
    assert all("token" not in t for t in listed.json())
    one = client.get(response.headers["Location"], headers=AUTH).json()
    assert (one["name"], one["revoked"]) == ("nightly export", None)
    assert client.get("/me", headers=bearer(made_token["token"])).status_code == 200


def test_a_revoked_token_stops_at_once(client: TestClient) -> None:
    clerk = made(client, "clerk")
    mine = token_of(client, clerk)
    theirs = bearer(mine["token"])
    assert client.get("/me", headers=theirs).status_code == 200
    assert client.delete(f"/me/tokens/{mine['id']}", headers=theirs).status_code == 204
    assert client.get("/me", headers=theirs).status_code == 401
    assert client.delete(f"/me/tokens/{mine['id']}", headers=AUTH).status_code == 404  # not mine
    other = token_of(client, clerk, "another")
    revoked = client.delete(f"/accounts/{clerk}/tokens/{other['id']}", headers=AUTH)
    assert revoked.status_code == 204
    assert client.get("/me", headers=bearer(other["token"])).status_code == 401
    listed = client.get(f"/accounts/{clerk}/tokens", headers=AUTH).json()
    assert [t["revoked"] is not None for t in listed] == [True, True]
    assert words(client, "/audit")[:2] == [
        "API token “another” of Philippa Gibbs revoked.",
        "API token “another” made for Philippa Gibbs.",
    ]


def test_a_disabled_accounts_tokens_stop_until_it_is_enabled(client: TestClient) -> None:
    clerk = made(client, "clerk")
    theirs = bearer(token_of(client, clerk)["token"])
    client.patch(f"/accounts/{clerk}", json={"disabled": True}, headers=AUTH)
    assert client.get("/me", headers=theirs).status_code == 401
    client.patch(f"/accounts/{clerk}", json={"disabled": False}, headers=AUTH)
    assert client.get("/me", headers=theirs).status_code == 200


def test_a_token_acts_with_its_accounts_role_as_it_is_now(client: TestClient) -> None:
    upload(client, SMALL)
    number = made(client, "reader")
    theirs = bearer(token_of(client, number)["token"])
    assert client.get("/accounts", headers=theirs).status_code == 403
    assert client.put(f"/programmes/{PID}/grants/{number}", headers=AUTH).status_code == 422
    client.patch(f"/accounts/{number}", json={"role": "admin"}, headers=AUTH)
    assert client.get("/accounts", headers=theirs).status_code == 200
    client.patch(f"/accounts/{number}", json={"role": "reader"}, headers=AUTH)
    assert client.get("/accounts", headers=theirs).status_code == 403


# Refusals, in words.


@pytest.mark.parametrize(
    "domain",
    [
        "bromley",
        "-bromley.gov.uk",
        "bromley-.gov.uk",
        "bromley..gov.uk",
        "bromley.gov.uk.",
        "brom ley.gov.uk",
        "bromley.gov.123",
        "gibbs@bromley.gov.uk",
        "x" * 64 + ".gov.uk",
        "é.gov.uk",
    ],
)
def test_a_domain_that_is_not_one_is_refused(client: TestClient, domain: str) -> None:
    response = client.put(
        f"/sso-domains/{quote(domain, safe='')}", json={"role": "reader"}, headers=AUTH
    )
    assert response.status_code == 422
    assert "is not an e-mail domain such as bromley.gov.uk" in response.json()["detail"]
    assert client.get("/sso-domains", headers=AUTH).json() == []


def test_a_domain_makes_no_admins(client: TestClient) -> None:
    response = client.put("/sso-domains/bromley.gov.uk", json={"role": "admin"}, headers=AUTH)
    assert response.status_code == 422
    assert client.delete("/sso-domains/bromley.gov.uk", headers=AUTH).status_code == 404


def test_a_programme_is_given_to_a_clerk_only(client: TestClient) -> None:
    upload(client, SMALL)
    reader = made(client, "reader")
    admin = made(client, "admin", "admin@bromley.gov.uk", "Ada Admin")
    clerk = made(client, "clerk", "clerk@bromley.gov.uk", "Colin Clerk")
    cases = [
        (reader, PID, 422, "Philippa Gibbs only reads: make them a clerk first"),
        (admin, PID, 422, "Ada Admin is an admin, who changes every programme already"),
        (clerk, "nowhere", 404, "there is no programme 'nowhere'"),
        (999, PID, 404, "there is no account 999"),
    ]
    for account, pid, status, detail in cases:
        response = client.put(f"/programmes/{pid}/grants/{account}", headers=AUTH)
        assert (response.status_code, response.json()["detail"]) == (status, detail)
    taken = client.delete(f"/programmes/{PID}/grants/{clerk}", headers=AUTH)
    assert taken.status_code == 404
    assert taken.json()["detail"] == "Small Scrutiny Work Programme is not given to Colin Clerk"
    client.put(f"/programmes/{PID}/grants/{clerk}", headers=AUTH)
    given = client.get(f"/programmes/{PID}/grants", headers=AUTH).json()
    assert given == [{"account": clerk, "name": "Colin Clerk", "email": "clerk@bromley.gov.uk"}]
    assert client.get(f"/accounts/{clerk}", headers=AUTH).json()["programmes"] == [PID]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"password": "too short"}, "a password has 12 to 1024 characters"),
        ({"email": "gibbs@bromley.gov.uk"}, "there is already an account for gibbs@bromley.gov.uk"),
        ({"email": "gibbs"}, "'gibbs' is not an e-mail address"),
        ({"name": "\x07"}, "give the person's name, in printable characters"),
        ({"role": "owner"}, "body.role"),
        ({"admin": True}, "body.admin"),
    ],
)
def test_an_account_that_cannot_be_made_says_why(
    client: TestClient, body: dict[str, Any], detail: str
) -> None:
    made(client, "clerk")
    wanted = {"email": "new@bromley.gov.uk", "name": "New Person", "role": "clerk", **body}
    response = client.post("/accounts", json=wanted, headers=AUTH)
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert "too short" not in response.text


def test_a_password_is_never_in_an_answer(client: TestClient) -> None:
    number = made(client, "clerk")
    client.patch(f"/accounts/{number}", json={"password": "another long password"}, headers=AUTH)
    for path in ("/accounts", f"/accounts/{number}", "/audit"):
        answer = client.get(path, headers=AUTH).text
        assert PASSWORD not in answer and "another long password" not in answer
        assert "argon2" not in answer
    assert client.get(f"/accounts/{number}", headers=AUTH).json()["password"] is True


# One's own password.


def test_ones_own_password_changes_with_the_current_one_and_ends_other_sessions(
    client: TestClient,
) -> None:
    engine, settings = engine_of(client), Settings(database_url="sqlite://")
    number = made(client, "clerk")
    now = dt.datetime.now(dt.UTC)
    here, elsewhere = (
        open_session(engine, account=number, settings=settings, now=now) for _ in range(2)
    )
    who = Who(number, "Philippa Gibbs", "clerk")
    with pytest.raises(AdminError, match="your current password is not right"):
        change_own_password(engine, who, "not my password", "a new password", now, keep=here)
    with pytest.raises(AccountError, match="a password has 12 to 1024 characters"):
        change_own_password(engine, who, PASSWORD, "short", now, keep=here)
    change_own_password(engine, who, PASSWORD, "a new password", now, keep=here)
    assert find_session(engine, here, settings=settings, now=now) == who
    assert find_session(engine, elsewhere, settings=settings, now=now) is None
    assert words(client, "/audit")[0] == "Philippa Gibbs changed their password."


def test_nobody_makes_a_token_to_act_as_somebody_else(client: TestClient) -> None:
    """An admin could otherwise act as a clerk, and the trail would name the clerk."""
    clerk = made(client, "clerk")
    asked = client.post(f"/accounts/{clerk}/tokens", json={"name": "theirs"}, headers=AUTH)
    assert asked.status_code == 405
    me = Who(my_number(client), FORMER_CLERK_NAME, "admin")
    with pytest.raises(TokenError, match="its own account's holder"):
        make_token(engine_of(client), me, clerk, "theirs", dt.datetime.now(dt.UTC))
    assert tokens_of(engine_of(client), clerk) == []


def test_the_shared_tokens_account_without_a_token_is_not_an_admin_left(
    client: TestClient,
) -> None:
    """Once its token is revoked, "The clerk (shared token)" cannot sign in: the last admin
    who can is still kept."""
    ann = made(client, "admin", email="ann@bromley.gov.uk")
    hers = bearer(token_of(client, ann)["token"])
    shared = client.get("/me/tokens", headers=AUTH).json()[0]["id"]
    assert client.delete(f"/me/tokens/{shared}", headers=AUTH).status_code == 204
    demoted = client.patch(f"/accounts/{ann}", json={"role": "clerk"}, headers=hers)
    assert demoted.status_code == 409, demoted.text
    assert client.get("/me", headers=hers).json()["role"] == "admin"


def test_a_revoked_address_of_a_person_since_removed_is_not_called_the_clerks() -> None:
    programme, _ = read_programme(SMALL, "small.yaml")
    person = next(iter(programme.people_by_id.values()))
    assert _whose(programme, person.id, "tablet") == f"{person.name} (tablet)"
    assert _whose(programme, "clerk", "") == "the clerk"
    assert _whose(programme, "gone-since", "") == "a person no longer in the programme"


def test_the_whole_trail_is_read_a_page_at_a_time(client: TestClient) -> None:
    upload(client, SMALL)
    now = dt.datetime.now(dt.UTC)
    with writing(engine_of(client)) as session:
        for n in range(LISTED + 5):
            record(session, None, "note", f"Event {n}.", now=now, programme=PID)
    first = client.get(f"/programmes/{PID}/audit", headers=AUTH).json()
    assert len(first) == LISTED and first[0]["words"] == f"Event {LISTED + 4}."
    rest = client.get(f"/programmes/{PID}/audit?before={first[-1]['id']}", headers=AUTH).json()
    assert [e["words"] for e in rest] == [
        "Event 4.",
        "Event 3.",
        "Event 2.",
        "Event 1.",
        "Event 0.",
        "Programme made.",
    ]
    sign_in(client)
    page = client.get(f"/web/programmes/{PID}/history").text
    older = re.search(r'href="([^"]+)" id="older"', page)
    assert older is not None
    last = html.unescape(client.get(html.unescape(older.group(1))).text)
    assert "Event 0." in last and "Event 5." not in last and 'id="older"' not in last
