"""Who may do what (issue 25, `api.who`): every route of the service, API and web page alike,
asked by every role.

`WHO_MAY` is the table: each route with the least role that may use it.

- public: anyone, signed in or not (what is published, the feeds, open data, signing in);
- reader: any account (drafts, plans, sources; a suggestion or a preference, which change
  nothing);
- clerk: any clerk, or an admin (a new programme: whoever makes it is given it);
- editor: a clerk given the path's programme, or an admin;
- admin: an admin (accounts, domains, who is given what, the whole audit trail).

`test_every_route_is_in_the_table` fails for a route the table does not name, and for a row whose
route is gone: a new route is classified before it is served. Then every route is asked by
nobody, a reader, a clerk the programme was not given to, the clerk it was given to, and an
admin, and refused exactly when the role is below the route's. The API answers 401 to nobody and
403 to too low a role; the page sends nobody to sign in (303 to /sign-in) and answers 403 to too
low a role. Allowed, any other answer will do (a missing field's 422, a 428 without If-Match):
this is who may ask, not what the operation does.

The web page is asked as a browser asks it: with the cookie of a session opened by signing in
with the account's e-mail address and password, and each form with that session's form key; the
API with the account's own bearer token. Requests carry no body, so an allowed change mostly
stops at its first missing field, If-Match or revision; those that need none change only what
no later request depends on (feed address 1 revoked, `someone`'s token revoked, the programme
given to `someone` and taken back). No solve starts: the plan is published, so the page's Solve
asks first. Signing in and out end the session they come with: each gets a session of its own.

One service for the module (SQLite: who may do what does not depend on the database): the
Bromley programme solved once and published, a private feed address, an account for each role.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from api.accounts import Role, create_account
from api.api_tokens import make_token, tokens_of
from api.storage import writing
from api.web import page_path
from api.web.session import COOKIE
from api.who import Who, give
from tests.conftest import BROMLEY
from tests.service import AUTH, form_key, make_app, publish, run_job, upload

Least = Literal["public", "reader", "clerk", "editor", "admin"]

PID = "bromley-ecf-2017-18"
PASSWORD = "correct horse battery staple"
NOW = dt.datetime(2017, 10, 3, 10, 14, tzinfo=dt.UTC)

#: Every route and the least role that may use it.
WHO_MAY: list[tuple[str, str, Least]] = [
    # The API: programmes
    ("GET", "/programmes", "public"),
    ("POST", "/programmes", "clerk"),
    ("GET", "/programmes/{pid}", "public"),
    ("GET", "/programmes/{pid}/source", "reader"),
    ("PUT", "/programmes/{pid}/source", "editor"),
    ("GET", "/programmes/{pid}/versions", "reader"),
    ("GET", "/programmes/{pid}/deadlines", "public"),
    # The API: solving, plans, publishing
    ("POST", "/programmes/{pid}/jobs", "editor"),
    ("GET", "/jobs/{job_id}", "reader"),
    ("POST", "/jobs/{job_id}/stop", "editor"),
    ("GET", "/health", "public"),
    ("GET", "/metrics", "admin"),
    ("GET", "/programmes/{pid}/plans", "reader"),
    ("GET", "/programmes/{pid}/plans/{number}", "reader"),
    ("GET", "/programmes/{pid}/plans/{first}/diff/{second}", "reader"),
    ("POST", "/programmes/{pid}/plans/{number}/publish", "editor"),
    ("GET", "/programmes/{pid}/plans/{number}/document", "reader"),
    ("GET", "/programmes/{pid}/document", "public"),
    ("GET", "/programmes/{pid}/plans/{number}/suggest", "reader"),
    ("POST", "/programmes/{pid}/plans/{number}/suggest", "reader"),
    ("POST", "/programmes/{pid}/choose", "editor"),
    ("GET", "/programmes/{pid}/plans/{number}/agendas.csv", "reader"),
    # The API: calendar feeds (a private one's secret address is its key) and feed addresses
    ("GET", "/programmes/{pid}/feeds/public/{body}.ics", "public"),
    ("HEAD", "/programmes/{pid}/feeds/public/{body}.ics", "public"),
    ("GET", "/programmes/{pid}/feeds/private/{token}.ics", "public"),
    ("HEAD", "/programmes/{pid}/feeds/private/{token}.ics", "public"),
    ("POST", "/programmes/{pid}/feed-tokens", "editor"),
    ("GET", "/programmes/{pid}/feed-tokens", "reader"),
    ("DELETE", "/programmes/{pid}/feed-tokens/{token_id}", "editor"),
    # The API: open data, Modern.gov
    ("GET", "/programmes/{pid}/open-data/events.json", "public"),
    ("GET", "/programmes/{pid}/open-data/organizations.json", "public"),
    ("GET", "/programmes/{pid}/moderngov", "editor"),
    ("POST", "/programmes/{pid}/moderngov", "editor"),
    # The API: one's own account and API tokens
    ("GET", "/me", "reader"),
    ("GET", "/me/tokens", "reader"),
    ("POST", "/me/tokens", "reader"),
    ("GET", "/me/tokens/{number}", "reader"),
    ("DELETE", "/me/tokens/{number}", "reader"),
    # The API: accounts and their tokens, single sign-on's domains, programmes given to clerks
    ("GET", "/accounts", "admin"),
    ("POST", "/accounts", "admin"),
    ("GET", "/accounts/{number}", "admin"),
    ("PATCH", "/accounts/{number}", "admin"),
    ("GET", "/accounts/{number}/tokens", "admin"),
    ("GET", "/accounts/{number}/tokens/{token}", "admin"),
    ("DELETE", "/accounts/{number}/tokens/{token}", "admin"),
    ("GET", "/sso-domains", "admin"),
    ("PUT", "/sso-domains/{domain}", "admin"),
    ("DELETE", "/sso-domains/{domain}", "admin"),
    ("GET", "/programmes/{pid}/grants", "admin"),
    ("PUT", "/programmes/{pid}/grants/{account}", "admin"),
    ("DELETE", "/programmes/{pid}/grants/{account}", "admin"),
    # The API: the audit trail, of a programme and of the service
    ("GET", "/programmes/{pid}/audit", "reader"),
    ("GET", "/audit", "admin"),
    # The page: home, signing in and out, what is published
    ("GET", "/", "public"),
    ("GET", "/favicon.ico", "public"),
    ("GET", "/sign-in", "public"),
    ("POST", "/sign-in", "public"),
    ("GET", "/sign-in/sso", "public"),
    ("GET", "/sign-in/sso/callback", "public"),
    ("POST", "/sign-out", "reader"),
    ("GET", "/public/{pid}", "public"),
    # The page: reading a programme (and the forms that change nothing)
    ("GET", "/web/programmes/{pid}", "reader"),
    ("GET", "/web/programmes/{pid}/committees/{body}", "reader"),
    ("POST", "/web/programmes/{pid}/committees/{body}/mine", "reader"),
    ("GET", "/web/programmes/{pid}/where", "reader"),
    ("POST", "/web/programmes/{pid}/where", "reader"),
    ("GET", "/web/programmes/{pid}/source", "reader"),
    ("GET", "/web/programmes/{pid}/entries", "reader"),
    ("GET", "/web/programmes/{pid}/file", "reader"),
    ("GET", "/web/programmes/{pid}/search", "reader"),
    ("GET", "/web/programmes/{pid}/history", "reader"),
    ("GET", "/web/jobs/{job_id}", "reader"),
    ("POST", "/web/jobs/{job_id}/stop", "editor"),
    ("GET", "/web/programmes/{pid}/plans/{number}/work-programme", "reader"),
    ("GET", "/web/programmes/{pid}/plans/{number}/agendas.csv", "reader"),
    ("GET", "/web/programmes/{pid}/plans/{number}/changes.csv", "reader"),
    ("GET", "/web/programmes/{pid}/plans/{number}/changes/{row}.eml", "reader"),
    ("GET", "/web/me", "reader"),
    ("POST", "/web/me/tokens", "reader"),
    ("POST", "/web/me/tokens/{number}/revoke", "reader"),
    ("POST", "/web/me/password", "reader"),
    # The page: a new programme
    ("POST", "/web/programmes", "clerk"),
    ("GET", "/web/new-programme", "clerk"),
    ("POST", "/web/new-programme", "clerk"),
    # The page: changing a programme
    ("POST", "/web/programmes/{pid}/edits", "editor"),
    ("POST", "/web/programmes/{pid}/jobs", "editor"),
    ("POST", "/web/programmes/{pid}/publish", "editor"),
    ("POST", "/web/programmes/{pid}/source", "editor"),
    ("POST", "/web/programmes/{pid}/choose", "editor"),
    ("POST", "/web/programmes/{pid}/undo", "editor"),
    ("GET", "/web/programmes/{pid}/settings", "editor"),
    ("POST", "/web/programmes/{pid}/settings", "editor"),
    ("GET", "/web/programmes/{pid}/next-year", "editor"),
    ("POST", "/web/programmes/{pid}/next-year", "editor"),
    ("GET", "/web/programmes/{pid}/moderngov", "editor"),
    ("POST", "/web/programmes/{pid}/moderngov", "editor"),
    ("POST", "/web/programmes/{pid}/feed-links", "editor"),
    ("GET", "/web/programmes/{pid}/feed-links/{number}/revoke", "editor"),
    ("POST", "/web/programmes/{pid}/feed-links/{number}/revoke", "editor"),
    ("GET", "/web/programmes/{pid}/meetings/{mid}/edit", "editor"),
    ("POST", "/web/programmes/{pid}/meetings/{mid}/edit", "editor"),
    ("GET", "/web/programmes/{pid}/meetings/{mid}/remove", "editor"),
    ("POST", "/web/programmes/{pid}/meetings/{mid}/remove", "editor"),
    ("GET", "/web/programmes/{pid}/meetings/{mid}/cancel", "editor"),
    ("GET", "/web/programmes/{pid}/bodies/{bid}/meetings/new", "editor"),
    ("POST", "/web/programmes/{pid}/bodies/{bid}/meetings/new", "editor"),
    *[
        (method, f"/web/programmes/{{pid}}/{collection}/{action}", "editor")
        for collection in ("items", "people", "bodies", "events")
        for action in ("new", "{eid}/edit", "{eid}/remove")
        for method in ("GET", "POST")
    ],
    # The page: accounts, single sign-on's domains, programmes given to clerks
    ("GET", "/web/accounts", "admin"),
    ("POST", "/web/accounts", "admin"),
    ("POST", "/web/accounts/domains", "admin"),
    ("POST", "/web/accounts/{number}", "admin"),
]

#: Who asks, lowest first, and how far up each reaches; each route's least role on that scale.
REACH = {"nobody": 0, "reader": 1, "clerk-not-given": 2, "clerk-given": 3, "admin": 4}
NEEDS: dict[Least, int] = {"public": 0, "reader": 1, "clerk": 2, "editor": 3, "admin": 4}
#: The accounts: each asker's but nobody's, one to sign in as, one for the account routes to
#: change.
ACCOUNTS: dict[str, Role] = {
    "reader": "reader",
    "clerk-not-given": "clerk",
    "clerk-given": "clerk",
    "admin": "admin",
    "visitor": "reader",
    "someone": "clerk",
}

#: Signing in: the form carries the visitor's address and password.
SIGN_IN = ("POST", "/sign-in")
#: Routes that end the session they come with: each is asked with a session of its own.
ENDS_SESSION = {SIGN_IN, ("POST", "/sign-out")}
#: Which entry of each of the file's lists the forms of `{eid}` change.
ENTRIES = {
    "items": "camhs",
    "people": "bennett",
    "bodies": "select",
    "events": "send-strategy-published",
}


@dataclass(frozen=True)
class Account:
    """An account as requests present it: its number, its address (to sign in), its API token
    (and that token's number)."""

    id: int
    email: str
    token: str
    token_id: int


@dataclass(frozen=True)
class Service:
    """The service under test, what it serves, the askers' accounts and open sessions (id and
    form key), and the value of each path parameter in a request."""

    client: TestClient
    served: set[tuple[str, str]]
    accounts: dict[str, Account]
    sessions: dict[str, tuple[str, str]]
    values: dict[str, str]
    #: Values that differ under a path (the same name meaning something else there).
    under: dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """Bromley solved (plan 1) and published (plan 2), a private feed address (number 1), the
    clerk-given clerk given it; an account for each asker, one to sign in as, and one for the
    account routes to change."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('roles') / 'scrutiny.db'}")
    with TestClient(app) as client:
        assert upload(client, BROMLEY.read_text())["id"] == PID
        job = run_job(client, PID, time_limit=5.0)
        assert job["state"] == "done" and job["plan"] == 1, job
        publish(client, PID, 1)
        made = client.post(
            f"/programmes/{PID}/feed-tokens", json={"subject": "bennett"}, headers=AUTH
        )
        assert made.status_code == 201, made.text
        feed = made.json()
        assert feed["id"] == 1  # the feed links' `{number}`, as plan 1 is the plans'
        accounts = {name: open_account(app, name, role) for name, role in ACCOUNTS.items()}
        given, someone = accounts["clerk-given"], accounts["someone"]
        with writing(app.state.scrutiny.engine) as session:
            give(session, Who(given.id, "Clerk Given", "clerk"), PID)
        values = {
            "pid": PID,
            "number": "1",
            "first": "1",
            "second": "2",
            "body": "select",
            "bid": "select",
            "mid": "select-2017-10-17",
            "row": "1",
            "job_id": job["id"],
            "token": feed["token"],
            "token_id": str(feed["id"]),
            "account": str(someone.id),
            "domain": "council.example",
        }
        # `{number}` is plan 1, feed address 1 and, under /me/tokens, API token 1: the shared
        # token's, not the asker's (revoking their own would stop their later requests); under
        # /accounts/ it is someone's account, whose token is `{token}`
        theirs = {"number": str(someone.id), "token": str(someone.token_id)}
        under = {"/accounts/": theirs, "/web/accounts/": theirs}
        sessions = {
            name: signed_in(client, accounts[name].email) for name in REACH if name in accounts
        }
        yield Service(client, served(app), accounts, sessions, values, under)


def open_account(app: FastAPI, name: str, role: Role) -> Account:
    """An account with PASSWORD and an API token."""
    engine = app.state.scrutiny.engine
    made = create_account(engine, f"{name}@bromley.gov.uk", name.title(), role, PASSWORD, NOW)
    token = make_token(engine, Who.of(made), made.id, "who may do what", NOW)
    return Account(made.id, made.email, token, tokens_of(engine, made.id)[0].id)


def signed_in(client: TestClient, email: str) -> tuple[str, str]:
    """A new session of the account, opened through the sign-in form: its id and form key."""
    client.cookies.clear()
    answer = client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    sid = answer.cookies[COOKIE]
    client.cookies.clear()
    home = client.get("/", headers={"Cookie": f"{COOKIE}={sid}"})
    return sid, form_key(home.text)


def served(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path template) the app answers, but its API description and static files."""
    return {
        (method, path)
        for route in iter_route_contexts(app.routes)
        if (path := str(route.path)) != "/openapi.json" and not path.startswith("/static")
        for method in route.methods or ()
    }


def test_every_route_is_in_the_table(service: Service) -> None:
    listed = [(method, path) for method, path, _ in WHO_MAY]
    assert len(set(listed)) == len(listed), "a route is in the table twice"
    unlisted = service.served - set(listed)
    assert not unlisted, f"who may use these? Add them to WHO_MAY: {sorted(unlisted)}"
    gone = set(listed) - service.served
    assert not gone, f"not served: take them out of WHO_MAY: {sorted(gone)}"


@pytest.mark.parametrize("asker", list(REACH))
@pytest.mark.parametrize(
    ("method", "path", "least"), WHO_MAY, ids=[f"{m} {p}" for m, p, _ in WHO_MAY]
)
def test_who_may(service: Service, method: str, path: str, least: Least, asker: str) -> None:
    """Refused exactly when the asker's role is below the route's least role."""
    answer = ask(service, method, path, asker)
    expected = expected_refusal(path, least, asker)
    seen = refusal(answer)
    assert seen == expected, (
        f"{method} {path} ({least}) asked by {asker}: expected {expected or 'no refusal'},"
        f" got {answer.status_code} {answer.headers.get('location', '')}\n{answer.text[:400]}"
    )


def expected_refusal(path: str, least: Least, asker: str) -> str | None:
    """How the route refuses the asker ("401", "403", "sign in"), or None if it may ask."""
    if REACH[asker] >= NEEDS[least]:
        return None
    if asker == "nobody":
        return "sign in" if page_path(path) else "401"
    return "403"


def refusal(answer: httpx2.Response) -> str | None:
    """How the answer refuses ("401", "403", "sign in": a redirect to the sign-in form), if it
    does."""
    if answer.status_code in (401, 403):
        return str(answer.status_code)
    if answer.is_redirect and answer.headers["location"].startswith("/sign-in"):
        return "sign in"
    return None


def ask(service: Service, method: str, template: str, asker: str) -> httpx2.Response:
    """The route asked by `asker`, as a script asks the API or a browser the page."""
    client, account = service.client, service.accounts.get(asker)
    values = service.values
    for prefix, there in service.under.items():
        values = values | there if template.startswith(prefix) else values
    path = filled(template, values)
    client.cookies.clear()  # a request carries only what its asker holds
    if not page_path(template):
        headers = {"Authorization": f"Bearer {account.token}"} if account else {}
        return client.request(method, path, headers=headers, follow_redirects=False)
    headers, form = {}, {}
    if account:
        own = (method, template) in ENDS_SESSION
        sid, key = signed_in(client, account.email) if own else service.sessions[asker]
        headers, form = {"Cookie": f"{COOKIE}={sid}"}, {"form_key": key}
    if (method, template) == SIGN_IN:
        form |= {"email": service.accounts["visitor"].email, "password": PASSWORD, "next": "/"}
    data = form if method == "POST" else None
    return client.request(method, path, headers=headers, data=data, follow_redirects=False)


def filled(template: str, values: dict[str, str]) -> str:
    """The path of `template` with real values; `{eid}`, the entry of the list it follows."""
    path = re.sub(r"/(\w+)/\{eid\}", lambda m: f"/{m[1]}/{ENTRIES[m[1]]}", template)
    unknown = set(re.findall(r"\{(\w+)\}", path)) - values.keys()
    assert not unknown, f"{template}: give {sorted(unknown)} a value in the service fixture"
    return path.format_map(values)
