"""Single sign-on by OpenID Connect: the council's provider says who is signing in (issue 25,
DESIGN §10).

Authorization Code with PKCE (RFC 7636, S256), built with Authlib's OAuth 2.0 pieces; the ID
token checked with joserfc (Authlib's JOSE library) against the provider's published keys.
Everything about the provider comes from its discovery document
(`{issuer}/.well-known/openid-configuration`), read again after `KEPT`: Entra ID, Google
Workspace or any certified provider works by configuration alone.

A sign-in begun (`begin`) is kept server-side (`SignInStart`): the browser carries only the
random `state` through the provider and back, and a short-lived cookie whose value binds the
sign-in to the browser that began it, so that a state carried to another browser (a login
planted by someone else) is refused. Only digests of the two are kept; each start is used once,
within `PENDING`. The answer (`finish`) must come back with that state in that browser; the
code is exchanged with the PKCE verifier; the ID token must be signed by one of the provider's
keys, issued by the configured issuer exactly, to our client id, for this sign-in's nonce, and
current. It must name an e-mail address that the provider has not marked unconfirmed; who signed
in is that address and the council account (`iss` and `sub`) the token is about, to which
`api.sso_accounts` binds the service's account.

Nobody signs in to start, so starts are bounded: `PER_ADDRESS` under way from one client address
(or one IPv6 /64, what one machine is commonly given), else the address waits (429, Retry-After);
`PER_BROWSER` in one browser, whose oldest are dropped for a new one (a person clicking the
button again and again still gets in, with the latest); `MOST_PENDING` in all, the last guard.

Every call to the provider has `TIMEOUT` per step and `WHOLE` in all, and its answer at most
`LARGEST_ANSWER` bytes. Whatever goes wrong is a `Refused` with words for the person; what the
provider said goes to the log only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy import Engine

from api.accounts import AccountError, normal_email
from api.auth import digest, new_token, same
from api.settings import Settings
from api.sign_in_starts import PENDING, TooMany, keep, taken

SCOPE = "openid email profile"
#: Seconds for each step of a call to the provider (connect, each read), and for all of it.
TIMEOUT = 5.0
WHOLE = 10.0
#: The largest answer read from the provider (a discovery document, its keys, a token).
LARGEST_ANSWER = 1024 * 1024
#: Seconds the discovery document and keys are used before they are read again.
KEPT = 3600.0
#: Seconds of clock difference allowed between the provider and this service.
LEEWAY = 60
#: Signatures an ID token may carry: public-key ones only (never `none`, nor a secret shared
#: with the provider).
ALGORITHMS = (
    *("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"),
    *("ES256", "ES384", "ES512", "EdDSA", "Ed25519"),
)

UNREACHABLE = (
    "the council's sign-in could not be reached or did not answer as expected: try again in a"
    " few minutes, or sign in with your password"
)
START_AGAIN = (
    "this sign-in was not started in this browser, or was started more than ten minutes ago,"
    " or has been used already: start again"
)
NOT_CONFIRMED = "the council's sign-in did not confirm who you are: start again, or ask your admin"
NO_ADDRESS = "the council's sign-in gave no confirmed e-mail address: ask your admin"

_log = logging.getLogger(__name__)


class Refused(Exception):
    """A single sign-on that signs nobody in. `words` are for the person (the sign-in page shows
    them), `status` is the answer's; `why` is for the server's log only (it may hold what the
    provider said, which is not shown); `wait`, when not 0, the seconds before trying again is
    any use (the answer's Retry-After)."""

    def __init__(self, status: int, words: str, why: str = "", wait: int = 0) -> None:
        super().__init__(words)
        self.status, self.words, self.why, self.wait = status, words, why or words, wait


@dataclass(frozen=True)
class Discovery:
    """What this service uses of the provider's discovery document, and its keys."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    auth_method: str  # client_secret_basic or client_secret_post
    keys: KeySet


@dataclass(frozen=True)
class Person:
    """Who the provider says signed in: a checked, lower-case e-mail address, a name, and the
    council account itself: the provider (`iss`) and its name for the account there (`sub`,
    which never changes, nor is ever given to another account, as an address may be)."""

    email: str
    name: str
    issuer: str
    subject: str


@dataclass(frozen=True)
class Began:
    """A sign-in begun: where to send the browser, and the value for its binding cookie."""

    url: str
    browser: str


_kept: dict[str, tuple[float, Discovery]] = {}
_kept_lock = threading.Lock()


def discovery(issuer: str, *, fresh: bool = False) -> Discovery:
    """The provider's endpoints and keys: as read within the last `KEPT` seconds, unless
    `fresh` (the keys have changed).

    Raises:
        Refused: the provider cannot be reached, or its document does not fit this service.
    """
    with _kept_lock:
        found = _kept.get(issuer)
    if found is not None and not fresh and time.monotonic() < found[0]:
        return found[1]
    document = _call("GET", issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != issuer:
        raise Refused(
            502, UNREACHABLE, f"the discovery document names issuer {document.get('issuer')!r}"
        )
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    method = next((m for m in ("client_secret_basic", "client_secret_post") if m in methods), "")
    if not method:
        raise Refused(502, UNREACHABLE, f"the provider authenticates clients by {methods!r} only")
    jwks_uri = _endpoint(document, "jwks_uri")
    try:
        keys = KeySet.import_key_set(_call("GET", jwks_uri))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise Refused(502, UNREACHABLE, f"the provider's keys cannot be read: {error}") from None
    made = Discovery(
        issuer,
        _endpoint(document, "authorization_endpoint"),
        _endpoint(document, "token_endpoint"),
        jwks_uri,
        method,
        keys,
    )
    with _kept_lock:
        _kept[issuer] = (time.monotonic() + KEPT, made)
    return made


def _endpoint(document: Mapping[str, Any], name: str) -> str:
    """An address the discovery document gives."""
    found = document.get(name)
    if not isinstance(found, str) or not found.startswith(("https://", "http://")):
        raise Refused(502, UNREACHABLE, f"the discovery document's {name} is {found!r}")
    return found


def begin(
    engine: Engine,
    settings: Settings,
    *,
    redirect_uri: str,
    then: str,
    browser: str | None,
    address: str,
    now: dt.datetime,
) -> Began:
    """Begin a sign-in that returns to `then` (a path of this site): it is kept, and the
    browser is sent to the provider with a fresh state, nonce and PKCE challenge. `browser` is
    the binding cookie's value the browser holds already, if any (two tabs signing in at once
    share it); `address` the client's.

    Raises:
        Refused: too many sign-ins are under way, from this address or in all; or the provider
            cannot be reached.
    """
    assert settings.oidc_issuer and settings.oidc_client_id
    provider = discovery(settings.oidc_issuer)
    state, nonce, verifier = new_token(), new_token(), generate_token(64)
    if not browser or len(browser) > 64 or not browser.isascii():
        browser = new_token()
    try:
        keep(engine, state, browser, address, nonce=nonce, verifier=verifier, then=then, now=now)
    except TooMany as err:
        raise Refused(err.status, err.words, err.why, err.wait) from None
    url = prepare_grant_uri(
        provider.authorization_endpoint,
        settings.oidc_client_id,
        "code",
        redirect_uri,
        SCOPE,
        state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return Began(url, browser)


def finish(
    engine: Engine,
    settings: Settings,
    *,
    redirect_uri: str,
    answer: Mapping[str, str],
    browser: str,
    now: dt.datetime,
) -> tuple[Person, str]:
    """The provider's `answer` (the callback's query) to a sign-in begun in this `browser`:
    the person it signed in, and where they were going.

    Raises:
        Refused: the sign-in was not begun here, in this browser, within `PENDING`, or has
            been used; the provider refused, or its token does not hold.
    """
    assert settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
    start = taken(engine, answer.get("state", ""))
    if start is None or not same(digest(browser), start.browser) or now - start.created > PENDING:
        raise Refused(400, START_AGAIN)
    if "error" in answer:
        why = f"the provider answered {answer['error']!r}: {answer.get('error_description', '')!r}"
        raise Refused(401, "the council's sign-in did not sign you in: start again", why)
    issuer = settings.oidc_issuer
    if answer.get("iss", issuer) != issuer:  # RFC 9207: an answer from another provider
        raise Refused(401, NOT_CONFIRMED, f"the answer came from issuer {answer['iss']!r}")
    if not answer.get("code"):
        raise Refused(400, START_AGAIN, "the answer holds no code")
    provider = discovery(issuer)
    body = prepare_token_request(
        "authorization_code",
        code=answer["code"],
        redirect_uri=redirect_uri,
        code_verifier=start.verifier,
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    client = ClientAuth(settings.oidc_client_id, settings.oidc_client_secret, provider.auth_method)
    url, headers, body = client.prepare("POST", provider.token_endpoint, headers, body)
    tokens = _call("POST", url, headers=headers, content=body)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise Refused(401, NOT_CONFIRMED, f"the token endpoint answered {_shown(tokens)}")
    moment = int(now.timestamp())
    claims = id_token_claims(id_token, provider, settings.oidc_client_id, start.nonce, moment)
    return person(claims), start.next


def id_token_claims(
    id_token: str, provider: Discovery, client_id: str, nonce: str, now: int
) -> dict[str, Any]:
    """`checked_id_token` with the provider's keys; read afresh once if the token names a
    key not among them (the provider has rolled its keys over)."""
    try:
        return checked_id_token(id_token, provider.keys, provider.issuer, client_id, nonce, now)
    except Refused as refused:
        if not isinstance(refused.__cause__, InvalidKeyIdError):
            raise
    keys = discovery(provider.issuer, fresh=True).keys
    return checked_id_token(id_token, keys, provider.issuer, client_id, nonce, now)


def checked_id_token(
    id_token: str, keys: KeySet, issuer: str, client_id: str, nonce: str, now: int
) -> dict[str, Any]:
    """The claims of an ID token (OpenID Connect Core §3.1.3.7), if it holds: signed by one of
    `keys` with a public-key algorithm; issued by `issuer` exactly, to `client_id` (its
    audience, and its authorised party if it names one), for `nonce`; not expired at `now`
    (seconds), not issued nor valid only later (`LEEWAY` allowed).

    Raises:
        Refused: it does not hold; why, in the log's words.
    """
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=LEEWAY,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        registry.validate(token.claims)
    except (JoseError, ValueError) as error:
        why = f"the ID token does not hold: {type(error).__name__} {error}"
        raise Refused(401, NOT_CONFIRMED, why) from error
    azp = token.claims.get("azp")
    if azp is not None and azp != client_id:
        raise Refused(401, NOT_CONFIRMED, f"the ID token was given to {azp!r}")
    if not isinstance(token.claims["nonce"], str):  # a list holding it passes the registry
        raise Refused(401, NOT_CONFIRMED, f"the ID token's nonce is {token.claims['nonce']!r}")
    return token.claims


def person(claims: Mapping[str, Any]) -> Person:
    """The person a checked ID token's claims name: an e-mail address the provider has not
    marked unconfirmed (`email_verified` false), their name (else the address), and the
    council account (`iss`, `sub`).

    Raises:
        Refused: no usable address, or no council account named.
    """
    issuer, subject = claims.get("iss"), claims.get("sub")
    if not (isinstance(issuer, str) and isinstance(subject, str) and issuer and subject):
        raise Refused(401, NOT_CONFIRMED, f"the ID token's iss is {issuer!r}, sub {subject!r}")
    email, verified = claims.get("email"), claims.get("email_verified")
    if not isinstance(email, str) or verified in (False, "false"):
        why = f"the ID token's email is {email!r}, email_verified {verified!r}"
        raise Refused(403, NO_ADDRESS, why)
    try:
        address = normal_email(email)
    except AccountError:
        raise Refused(403, NO_ADDRESS, f"the ID token's email is {email[:300]!r}") from None
    name = claims.get("name")
    usable = isinstance(name, str) and name.strip() and name.isprintable() and len(name) <= 200
    shown = name.strip() if usable else address  # type: ignore[union-attr]
    return Person(address, shown, issuer, subject)


def _call(
    method: str, url: str, *, headers: Mapping[str, str] | None = None, content: str = ""
) -> dict[str, Any]:
    """One call to the provider; its answer, a JSON object (an error answer too: its fields
    say what went wrong). Bounded in time and size.

    Raises:
        Refused: no answer in time, too large, not a JSON object.
    """
    ends = time.monotonic() + WHOLE
    try:
        with (
            httpx.Client(timeout=TIMEOUT, follow_redirects=False) as http,
            http.stream(method, url, headers=headers, content=content or None) as response,
        ):
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > LARGEST_ANSWER or time.monotonic() > ends:
                    raise Refused(502, UNREACHABLE, f"{url}: the answer is too large or slow")
        found = json.loads(body)
    except (httpx.HTTPError, ValueError, RecursionError) as error:
        raise Refused(502, UNREACHABLE, f"{method} {url}: {type(error).__name__} {error}") from None
    if not isinstance(found, dict):
        raise Refused(502, UNREACHABLE, f"{url} answered {response.status_code}, not an object")
    if response.status_code != 200:
        _log.warning("%s %s answered %s: %s", method, url, response.status_code, _shown(found))
    return found


def _shown(answer: Mapping[str, Any]) -> str:
    """An error answer of the provider, for the log: its error fields only (never a token)."""
    return f"error {answer.get('error')!r}: {answer.get('error_description')!r}"
