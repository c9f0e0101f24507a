"""Signing in with the council's single sign-on (issue 25), through a real OpenID provider
(node's certified `oidc-provider`, tests/oidc_provider.py): the whole sign-in in Chromium, and
each refusal without a browser, the person signing in at the provider by its own forms.

Accounts are matched by e-mail address; a first sign-in makes an account only for a domain an
admin allowed (rows of `sso_domains` put here directly), with the domain's role, and binds the
account to the council account that signed in (the provider here names each person's council
account by their login: the subject of Philippa's tokens is her address). Starts are bounded per
client address and per browser."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, func, select, update

import api.oidc
import api.sign_in_starts
from api.accounts import create_account
from api.app import create_app
from api.auth import digest
from api.oidc import PENDING, START_AGAIN, Refused, begin, discovery, finish, id_token_claims
from api.settings import Settings
from api.storage import reading, writing
from api.tables import Account, AuditEvent, SignInStart, SsoDomain
from tests.browser import serving
from tests.live import free_port
from tests.oidc_provider import (
    TEST_SERVER,
    Provider,
    oidc_provider,  # noqa: F401 - the provider's fixture
    running,
    sign_in_at_provider,
)
from tests.service import form_key

PHILIPPA = "philippa.gibbs@bromley.gov.uk"
GRAHAM = "graham.arthur@bromley.gov.uk"
PASSWORD = "correct horse battery staple"
ELSEWHERE = "someone@elsewhere.example"
UNCONFIRMED = "unconfirmed@bromley.gov.uk"
NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
#: A page that needs somebody signed in.
SIGNED_IN_PAGE = "/web/new-programme"
BROWSER_COOKIE = "scrutiny_sso"
#: The key a provider of `_discovery_server` signs with.
KEY = RSAKey.generate_key(2048, parameters={"kid": "2026-12"})


@pytest.fixture
def sso(oidc_provider: Provider, database_url: str) -> Iterator[TestClient]:  # noqa: F811
    """A browser (TestClient) of a fresh service whose single sign-on is the provider."""
    with TestClient(create_app(oidc_provider.settings(database_url), announce=False)) as c:
        yield c


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    return engine


def allow(engine: Engine, domain: str, role: str) -> None:
    """What an admin does on the domains page: people of `domain` get an account on their
    first sign-in."""
    with writing(engine) as session:
        session.add(SsoDomain(domain=domain, role=role, created=NOW))


def started(client: TestClient, then: str = SIGNED_IN_PAGE) -> str:
    """Click "Sign in with your council account": the address of the provider's page."""
    response = client.get(f"/sign-in/sso?next={then}", follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["Location"]


def back_from_provider(client: TestClient, login: str) -> str:
    """A sign-in begun in `client`, and done at the provider as `login`: the service's address
    the provider sends the browser back to (its path and query)."""
    back = sign_in_at_provider(started(client), login)
    assert back.startswith(f"{TEST_SERVER}/sign-in/sso/callback?"), back
    return back.removeprefix(TEST_SERVER)


def signed_in(client: TestClient) -> bool:
    return 'name="form_key"' in client.get("/").text


def refusal(page: str) -> str:
    """The words of the sign-in page, saying why a sign-in was refused."""
    return html.unescape(page)


def accounts(engine: Engine) -> list[tuple[str, str, str, str | None]]:
    with reading(engine) as session:
        rows = session.scalars(select(Account).order_by(Account.id))
        return [(a.email, a.name, a.role, a.password) for a in rows]


def bound_to(engine: Engine, email: str = PHILIPPA) -> tuple[str | None, str | None]:
    """The council account (issuer, subject) that the account of `email` is bound to."""
    with reading(engine) as session:
        found = session.scalars(select(Account).where(Account.email == email)).one()
        return found.sso_issuer, found.sso_subject


def bind(engine: Engine, email: str, issuer: str, subject: str) -> None:
    """What an earlier single sign-on of another council account to `email` left."""
    with writing(engine) as session:
        session.execute(
            update(Account)
            .where(Account.email == email)
            .values(sso_issuer=issuer, sso_subject=subject)
        )


def created_events(engine: Engine) -> list[tuple[str, str]]:
    with reading(engine) as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.created"))
        return [(e.who, e.words) for e in rows]


# -- the whole sign-in ------------------------------------------------------------------------


def test_a_person_signs_in_with_the_councils_account_in_a_browser(
    browser: Browser, tmp_path: Path
) -> None:
    """Chromium, the service at 127.0.0.1 and the provider at `localhost` (another site): the
    person clicks the button, signs in and consents at the provider, and is back on the page
    they asked for, signed in, with an account made for their allowed domain and recorded."""
    port = free_port()
    log = tmp_path / "provider.log"
    with running(f"http://127.0.0.1:{port}/sign-in/sso/callback", log) as provider:
        app = create_app(provider.settings(f"sqlite:///{tmp_path / 'scrutiny.db'}"), announce=False)
        engine = app.state.scrutiny.engine
        allow(engine, "bromley.gov.uk", "clerk")
        with serving(app, port) as url:
            context = browser.new_context(base_url=url, locale="en-GB")
            context.set_default_timeout(20_000)
            # the provider's page asks for a web font: the tests never leave the machine
            context.route("https://**", lambda route: route.abort())
            page = context.new_page()
            page.goto(f"/sign-in?next={SIGNED_IN_PAGE}")
            page.get_by_role("link", name="Sign in with your council account").click()
            page.wait_for_url(f"{provider.issuer}/interaction/**")
            page.fill('input[name="login"]', PHILIPPA)
            page.fill('input[name="password"]', "any password will do")
            page.click('button[type="submit"]')
            page.get_by_role("button", name="Continue").click()  # consent: asked the first time
            page.wait_for_url(f"{url}{SIGNED_IN_PAGE}")
            expect(page.locator("#sign-out")).to_be_visible()
            assert BROWSER_COOKIE not in {c["name"] for c in context.cookies(url)}
            context.close()
    assert accounts(engine) == [(PHILIPPA, "Philippa Gibbs", "clerk", None)]
    assert created_events(engine) == [
        (
            "the service",
            f"Account made for Philippa Gibbs ({PHILIPPA}) on their first single sign-on.",
        )
    ]


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_set_up(
    sso: TestClient, client: TestClient
) -> None:
    assert 'id="sign-in-sso"' in sso.get(f"/sign-in?next={SIGNED_IN_PAGE}").text
    assert (
        'href="/sign-in/sso?next=/web/new-programme"'
        in sso.get(f"/sign-in?next={SIGNED_IN_PAGE}").text
    )
    assert "sign-in-sso" not in client.get("/sign-in").text
    response = client.get("/sign-in/sso", follow_redirects=False)
    assert response.status_code == 404
    assert "single sign-on: single sign-on is not set up here" in refusal(response.text)


def test_the_provider_is_asked_for_a_code_with_state_nonce_and_pkce(
    sso: TestClient,
    oidc_provider: Provider,  # noqa: F811
) -> None:
    address = urlsplit(started(sso))
    asked = {k: v[0] for k, v in parse_qs(address.query).items()}
    assert f"{address.scheme}://{address.netloc}" == oidc_provider.issuer
    assert asked["response_type"] == "code"
    assert asked["client_id"] == oidc_provider.client_id
    assert asked["redirect_uri"] == f"{TEST_SERVER}/sign-in/sso/callback"
    assert asked["scope"] == "openid email profile"
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["state"]) >= 43 and len(asked["nonce"]) >= 43
    assert len(asked["code_challenge"]) == 43


def test_a_sign_in_begun_is_kept_by_digests_and_bound_by_a_lax_cookie(sso: TestClient) -> None:
    """Only digests of the state and of the browser's value are kept; the browser's cookie is
    HttpOnly, SameSite=Lax (it must come back with the provider's answer), ten minutes."""
    state = parse_qs(urlsplit(started(sso)).query)["state"][0]
    response = sso.get("/sign-in/sso", follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(f"{BROWSER_COOKIE}=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=600" in cookie
    value = sso.cookies[BROWSER_COOKIE]
    with reading(engine_of(sso)) as session:
        kept = session.scalars(select(SignInStart)).all()
    assert digest(state) in {k.state for k in kept}
    assert {k.browser for k in kept} == {digest(value)}  # two starts, one browser
    assert all(state not in (k.state, k.nonce, k.verifier) for k in kept)


# -- who signs in -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "reader"])
def test_an_allowed_domain_makes_the_account_with_the_domains_role(
    sso: TestClient, role: str
) -> None:
    engine = engine_of(sso)
    allow(engine, "bromley.gov.uk", role)
    response = sso.get(back_from_provider(sso, PHILIPPA), follow_redirects=False)
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="0; url=/web/new-programme">' in response.text
    assert signed_in(sso)
    assert accounts(engine) == [(PHILIPPA, "Philippa Gibbs", role, None)]
    assert bound_to(engine) == (sso.app.state.scrutiny.settings.oidc_issuer, PHILIPPA)  # type: ignore[attr-defined]
    assert created_events(engine) == [
        (
            "the service",
            f"Account made for Philippa Gibbs ({PHILIPPA}) on their first single sign-on.",
        )
    ]


def test_an_account_made_by_an_admin_signs_in_by_its_address(sso: TestClient) -> None:
    """No domain allowed: the account an admin made (its address in other letters) is found."""
    engine = engine_of(sso)
    create_account(engine, "Philippa.Gibbs@Bromley.gov.uk", "Philippa Gibbs", "admin", None, NOW)
    response = sso.get(back_from_provider(sso, PHILIPPA), follow_redirects=False)
    assert response.status_code == 200
    assert signed_in(sso)
    assert len(accounts(engine)) == 1
    made = "Account made for Philippa Gibbs (philippa.gibbs@bromley.gov.uk) as an admin"
    assert [words for _, words in created_events(engine)] == [  # the sign-in itself: nothing
        f"{made}, signing in with single sign-on only."
    ]


def test_a_domain_not_allowed_makes_no_account(sso: TestClient) -> None:
    engine = engine_of(sso)
    allow(engine, "bromley.gov.uk", "clerk")
    response = sso.get(back_from_provider(sso, ELSEWHERE))
    assert response.status_code == 403
    assert (
        "single sign-on: there is no account for someone@elsewhere.example; ask your admin to"
        " make one or to allow your domain"
    ) in refusal(response.text)
    assert accounts(engine) == []
    assert not signed_in(sso)


def test_a_disabled_account_is_refused(sso: TestClient) -> None:
    engine = engine_of(sso)
    allow(engine, "bromley.gov.uk", "clerk")
    made = create_account(engine, PHILIPPA, "Philippa Gibbs", "clerk", None, NOW)
    with writing(engine) as session:
        session.execute(update(Account).where(Account.id == made.id).values(disabled=True))
    response = sso.get(back_from_provider(sso, PHILIPPA))
    assert response.status_code == 403
    assert f"single sign-on: the account for {PHILIPPA} is disabled" in refusal(response.text)
    assert not signed_in(sso)


def test_an_address_the_provider_has_not_confirmed_makes_no_account(sso: TestClient) -> None:
    engine = engine_of(sso)
    allow(engine, "bromley.gov.uk", "clerk")
    response = sso.get(back_from_provider(sso, UNCONFIRMED))
    assert response.status_code == 403
    assert "single sign-on: the council's sign-in gave no confirmed e-mail address" in refusal(
        response.text
    )
    assert accounts(engine) == []


# -- the council account an account is bound to -----------------------------------------------


def test_the_first_sign_in_binds_an_account_an_admin_made_and_it_signs_in_again(
    sso: TestClient,
    oidc_provider: Provider,  # noqa: F811
) -> None:
    engine = engine_of(sso)
    create_account(engine, PHILIPPA, "Philippa Gibbs", "admin", None, NOW)
    assert bound_to(engine) == (None, None)
    assert sso.get(back_from_provider(sso, PHILIPPA), follow_redirects=False).status_code == 200
    assert bound_to(engine) == (oidc_provider.issuer, PHILIPPA)
    sso.cookies.clear()
    assert sso.get(back_from_provider(sso, PHILIPPA), follow_redirects=False).status_code == 200
    assert signed_in(sso)


@pytest.mark.parametrize(
    ("issuer", "subject"),
    [
        (None, "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"),  # another council account
        ("https://login.microsoftonline.com/another-tenant/v2.0", PHILIPPA),  # another provider
    ],
)
def test_a_token_naming_an_admins_address_for_another_council_account_signs_nobody_in(
    sso: TestClient,
    oidc_provider: Provider,  # noqa: F811
    issuer: str | None,
    subject: str,
) -> None:
    """nOAuth: an address alone is not a person. The admin's account was bound at its first
    sign-in to her council account; a token whose `email` carries her address (a provider
    that lets people type their own address in, and does not say `email_verified`) for another
    council account signs nobody in, and leaves the binding as it was."""
    engine = engine_of(sso)
    create_account(engine, PHILIPPA, "Philippa Gibbs", "admin", None, NOW)
    first = (issuer or oidc_provider.issuer, subject)
    bind(engine, PHILIPPA, *first)
    response = sso.get(back_from_provider(sso, PHILIPPA))
    assert response.status_code == 403
    assert (
        "single sign-on: this council account is not the one that first signed in to the"
        f" account for {PHILIPPA}: ask your admin"
    ) in refusal(response.text)
    assert not signed_in(sso)
    assert bound_to(engine) == first


def test_an_admin_forgets_the_council_account_and_the_next_sign_in_binds_again(
    sso: TestClient,
    oidc_provider: Provider,  # noqa: F811
) -> None:
    """Philippa's council account was made anew: she is refused, until an admin presses
    "Forget council account" on the accounts page (recorded); then her next sign-in binds her
    account to her new council account."""
    engine = engine_of(sso)
    number = create_account(engine, PHILIPPA, "Philippa Gibbs", "clerk", None, NOW).id
    admin = create_account(engine, GRAHAM, "Graham Arthur", "admin", PASSWORD, NOW).id
    bind(engine, PHILIPPA, oidc_provider.issuer, "her-council-account-before-it-was-made-anew")
    assert sso.get(back_from_provider(sso, PHILIPPA)).status_code == 403
    with TestClient(sso.app) as graham:
        answer = graham.post("/sign-in", data={"email": GRAHAM, "password": PASSWORD, "next": "/"})
        assert answer.status_code == 200
        page = graham.get("/web/accounts").text
        assert f'id="forget-sso-{number}"' in page
        assert f'id="forget-sso-{admin}"' not in page  # never signed in by single sign-on
        forgot = graham.post(
            f"/web/accounts/{number}",
            data={"form_key": form_key(page), "action": "forget-sso"},
            follow_redirects=False,
        )
        assert forgot.headers["location"] == "/web/accounts?done=sso-forgotten"
        page = graham.get(forgot.headers["location"]).text
        assert "Council account forgotten: the next single sign-on" in page
        assert f'id="forget-sso-{number}"' not in page
    assert bound_to(engine) == (None, None)
    with reading(engine) as session:
        said = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert said is not None
    assert (said.who, said.action, said.words) == (
        "Graham Arthur",
        "account.sso_forgotten",
        "Single sign-on of Philippa Gibbs's account to be bound again at the next sign-in.",
    )
    sso.cookies.clear()
    assert sso.get(back_from_provider(sso, PHILIPPA), follow_redirects=False).status_code == 200
    assert bound_to(engine) == (oidc_provider.issuer, PHILIPPA)


# -- answers that sign nobody in --------------------------------------------------------------


def test_a_state_never_issued_is_refused(sso: TestClient) -> None:
    allow(engine_of(sso), "bromley.gov.uk", "clerk")
    started(sso)  # the browser holds a binding cookie: only the state is wrong
    response = sso.get("/sign-in/sso/callback?code=abc&state=never-issued-by-this-service")
    assert response.status_code == 400
    assert f"single sign-on: {START_AGAIN}" in refusal(response.text)
    assert not signed_in(sso)


def test_an_answer_used_once_is_refused_the_second_time(sso: TestClient) -> None:
    """The same answer again, in the same browser with its binding cookie: the start it named
    is gone (the provider would refuse the code too, but with other words: 401)."""
    allow(engine_of(sso), "bromley.gov.uk", "clerk")
    back = back_from_provider(sso, PHILIPPA)
    bound = sso.cookies[BROWSER_COOKIE]
    assert sso.get(back, follow_redirects=False).status_code == 200
    sso.cookies.clear()
    sso.cookies.set(BROWSER_COOKIE, bound)
    replayed = sso.get(back)
    assert replayed.status_code == 400
    assert f"single sign-on: {START_AGAIN}" in refusal(replayed.text)
    assert not signed_in(sso)


def test_an_answer_carried_to_another_browser_is_refused(
    sso: TestClient,
    oidc_provider: Provider,  # noqa: F811
) -> None:
    """Someone begins a sign-in, signs in at the provider as themselves, and gets another
    person's browser to open the answer (a planted sign-in): refused, even though that browser
    has begun a sign-in of its own."""
    allow(engine_of(sso), "bromley.gov.uk", "clerk")
    back = back_from_provider(sso, PHILIPPA)
    with TestClient(sso.app) as victim:
        started(victim)
        response = victim.get(back)
        assert response.status_code == 400
        assert f"single sign-on: {START_AGAIN}" in refusal(response.text)
        assert not signed_in(victim)
    assert accounts(engine_of(sso)) == []


def test_a_sign_in_begun_more_than_ten_minutes_ago_is_refused(sso: TestClient) -> None:
    """Begun ten minutes and a second before the provider's answer, which is otherwise sound
    (a real sign-in at the provider, in the browser that began it)."""
    engine, settings = engine_of(sso), sso.app.state.scrutiny.settings  # type: ignore[attr-defined]
    allow(engine, "bromley.gov.uk", "clerk")
    now = dt.datetime.now(dt.UTC)
    redirect = f"{TEST_SERVER}/sign-in/sso/callback"
    then = now - dt.timedelta(minutes=10, seconds=1)
    began = begin(
        engine, settings, redirect_uri=redirect, then="/", browser=None, address="", now=then
    )
    answer = parse_qs(urlsplit(sign_in_at_provider(began.url, PHILIPPA)).query)
    with pytest.raises(Refused) as caught:
        finish(
            engine,
            settings,
            redirect_uri=redirect,
            answer={k: v[0] for k, v in answer.items()},
            browser=began.browser,
            now=now,
        )
    assert (caught.value.status, caught.value.words) == (400, START_AGAIN)


def test_a_refusal_by_the_provider_is_said_in_our_words_only(sso: TestClient) -> None:
    state = parse_qs(urlsplit(started(sso)).query)["state"][0]
    said = "<script>alert(1)</script> the user said no"
    response = sso.get(
        "/sign-in/sso/callback",
        params={"error": "access_denied", "error_description": said, "state": state},
    )
    assert response.status_code == 401
    assert "single sign-on: the council's sign-in did not sign you in: start again" in refusal(
        response.text
    )
    assert "the user said no" not in response.text and "access_denied" not in response.text


def test_an_answer_naming_another_issuer_is_refused(sso: TestClient) -> None:
    """RFC 9207: the provider names itself in its answer; an answer from another provider (a
    mix-up) is refused before its code is sent anywhere."""
    allow(engine_of(sso), "bromley.gov.uk", "clerk")
    back = urlsplit(back_from_provider(sso, PHILIPPA))
    answer = {k: v[0] for k, v in parse_qs(back.query).items()}
    response = sso.get(back.path, params={**answer, "iss": "https://login.example.net"})
    assert response.status_code == 401
    assert "single sign-on: the council's sign-in did not confirm who you are" in refusal(
        response.text
    )
    assert accounts(engine_of(sso)) == []


def test_too_many_sign_ins_under_way_are_refused(
    sso: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.sign_in_starts, "MOST_PENDING", 2)
    started(sso)
    started(sso)
    response = sso.get("/sign-in/sso", follow_redirects=False)
    assert response.status_code == 503
    assert "single sign-on: too many sign-ins are under way" in refusal(response.text)
    with reading(engine_of(sso)) as session:
        assert session.scalar(select(func.count()).select_from(SignInStart)) == 2


def under_way(engine: Engine) -> list[SignInStart]:
    with reading(engine) as session:
        return list(session.scalars(select(SignInStart).order_by(SignInStart.created)))


def test_a_flood_of_starts_from_one_address_waits_and_others_still_sign_in(
    sso: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody signs in to start: a flood from one address (each start a new browser, no
    cookie kept) is refused once that address has `PER_ADDRESS` under way, with how long to
    wait; the starts of everyone else go on, and so does the person at that address once the
    flood's starts have expired."""
    monkeypatch.setattr(api.sign_in_starts, "PER_ADDRESS", 3)
    for _ in range(3):
        sso.cookies.clear()
        started(sso)
    sso.cookies.clear()
    response = sso.get("/sign-in/sso", follow_redirects=False)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= PENDING.total_seconds()
    assert re.search(
        "single sign-on: too many sign-ins have been started from your network and not"
        r" finished: try again in \d+ minutes?",
        refusal(response.text),
    )
    assert [s.address for s in under_way(engine_of(sso))] == ["testclient"] * 3


@pytest.mark.parametrize(
    ("flood", "other"),
    [
        (["203.0.113.7"] * 3, "203.0.113.8"),
        (["2001:db8:7:7::1", "2001:db8:7:7::2", "2001:db8:7:7:ffff::3"], "2001:db8:7:8::1"),
    ],
)
def test_starts_are_counted_per_address_or_ipv6_64(
    sso: TestClient, monkeypatch: pytest.MonkeyPatch, flood: list[str], other: str
) -> None:
    """One IPv6 /64 is one address here: a machine is commonly given a whole /64, and could
    otherwise start from as many addresses as it liked."""
    monkeypatch.setattr(api.sign_in_starts, "PER_ADDRESS", 3)
    engine, settings = engine_of(sso), sso.app.state.scrutiny.settings  # type: ignore[attr-defined]

    def start(address: str, now: dt.datetime = NOW) -> None:
        begin(engine, settings, redirect_uri="/", then="/", browser=None, address=address, now=now)

    for address in flood:
        start(address)
    with pytest.raises(Refused) as caught:
        start(flood[0])
    assert (caught.value.status, caught.value.wait) == (429, 600)
    assert caught.value.words.endswith("try again in 10 minutes")
    start(other)
    start(flood[0], NOW + PENDING + dt.timedelta(seconds=1))  # the flood's starts expired


def test_a_browser_keeps_its_newest_starts_only(sso: TestClient) -> None:
    """A person who clicks the button again and again (or a script keeping one cookie) has
    `PER_BROWSER` starts under way at most: a new one drops the oldest, and the newest signs
    in."""
    allow(engine_of(sso), "bromley.gov.uk", "clerk")
    states = [
        parse_qs(urlsplit(started(sso)).query)["state"][0]
        for _ in range(api.sign_in_starts.PER_BROWSER + 2)
    ]
    kept = {s.state for s in under_way(engine_of(sso))}
    assert kept == {digest(state) for state in states[-api.sign_in_starts.PER_BROWSER :]}
    assert sso.get(back_from_provider(sso, PHILIPPA), follow_redirects=False).status_code == 200


# -- the provider itself ----------------------------------------------------------------------


def test_a_provider_whose_discovery_names_another_issuer_is_refused(
    oidc_provider: Provider,  # noqa: F811
    database_url: str,
) -> None:
    """Configured as 127.0.0.1, the provider calls itself `localhost`: not the issuer named."""
    named = oidc_provider.issuer.replace("localhost", "127.0.0.1")
    settings = oidc_provider.settings(database_url)
    with TestClient(create_app(_issuer(settings, named), announce=False)) as client:
        response = client.get("/sign-in/sso", follow_redirects=False)
    assert response.status_code == 502
    assert "single sign-on: the council's sign-in could not be reached" in refusal(response.text)


def first_step(database_url: str, issuer: str) -> httpx2.Response:
    """The answer to "Sign in with your council account" of a service whose provider is
    `issuer`."""
    settings = Settings(
        database_url=database_url,
        oidc_issuer=issuer,
        oidc_client_id="scrutiny",
        oidc_client_secret="secret",
    )
    with TestClient(create_app(settings, announce=False)) as client:
        return client.get("/sign-in/sso", follow_redirects=False)


def test_a_provider_that_does_not_answer_is_said_in_words(database_url: str) -> None:
    response = first_step(database_url, f"http://127.0.0.1:{free_port()}")
    assert response.status_code == 502
    assert "single sign-on: the council's sign-in could not be reached" in refusal(response.text)


def test_a_provider_answer_too_large_is_not_read(database_url: str) -> None:
    """A discovery document sound but for its size (padded past a megabyte): refused."""
    with _discovery_server(padding=2 * api.oidc.LARGEST_ANSWER) as issuer:
        response = first_step(database_url, issuer)
    assert response.status_code == 502
    assert "single sign-on: the council's sign-in could not be reached" in refusal(response.text)


def test_a_padded_answer_within_the_bound_is_read(database_url: str) -> None:
    """The twin of the test above: the same provider, padded less, is used."""
    with _discovery_server(padding=1000) as issuer:
        response = first_step(database_url, issuer)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"{issuer}/authorize?")


def test_a_token_signed_with_a_new_key_reads_the_keys_again() -> None:
    """The provider rolled its keys over since they were read: a token naming a key not among
    them has them read again, once, and holds."""
    published = [RSAKey.generate_key(2048, parameters={"kid": "2026-06"})]
    with _discovery_server(keys=published) as issuer:
        kept = discovery(issuer)
        published[:] = [KEY]  # rolled over
        moment = int(NOW.timestamp())
        claims: dict[str, Any] = {"iss": issuer, "sub": "gibbs", "aud": "scrutiny"}
        claims |= {"nonce": "n-1", "iat": moment, "exp": moment + 300}
        token = jwt.encode({"alg": "RS256", "kid": "2026-12"}, claims, KEY)
        assert id_token_claims(token, kept, "scrutiny", "n-1", moment)["sub"] == "gibbs"
        stranger = RSAKey.generate_key(2048, parameters={"kid": "2027-01"})
        forged = jwt.encode({"alg": "RS256", "kid": "2027-01"}, claims, stranger)
        with pytest.raises(Refused):
            id_token_claims(forged, kept, "scrutiny", "n-1", moment)


def _issuer(settings: Settings, issuer: str) -> Settings:
    return Settings(
        database_url=settings.database_url,
        oidc_issuer=issuer,
        oidc_client_id=settings.oidc_client_id,
        oidc_client_secret=settings.oidc_client_secret,
    )


class _DiscoveryServer(ThreadingHTTPServer):
    """A provider's discovery document (padded by `padding` characters) and its keys (`keys`:
    change the list to roll them over): enough to begin a sign-in with."""

    def __init__(self, padding: int, keys: list[RSAKey]) -> None:
        super().__init__(("127.0.0.1", 0), _Discovery)
        self.padding, self.keys = padding, keys
        self.issuer = f"http://127.0.0.1:{self.server_port}"


class _Discovery(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server = cast(_DiscoveryServer, self.server)
        issuer = server.issuer
        if self.path == "/jwks":
            body = json.dumps(KeySet(list(server.keys)).as_dict(private=False))
        else:
            document = {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
                "padding": "x" * server.padding,
            }
            body = json.dumps(document)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _discovery_server(padding: int = 0, keys: list[RSAKey] | None = None) -> Iterator[str]:
    """A `_DiscoveryServer` on loopback, publishing `keys` (default: `KEY`); its issuer."""
    server = _DiscoveryServer(padding, [KEY] if keys is None else keys)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.issuer
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)
