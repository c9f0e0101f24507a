"""People signed in to the web page: a session id in a cookie, what their role lets them do
there, and a form key against cross-site requests.

The cookie holds a random session id, never the clerk's token (HttpOnly, SameSite=Strict, Secure
over HTTPS); the server keeps the session, and only its id's digest (`api.clerk_sessions`).
Over HTTPS the cookie is named with the `__Host-` prefix, so that a browser takes it only when it
is Secure and set by this host for the whole site (no subdomain, no plain-http page can plant
one); browsers refuse such a cookie over plain http, so there (a laptop, the tests) it has the
plain name. Every form that changes something carries a key derived from the session id: it is
new with each sign-in, dies with the session, and a request from another site has neither the
cookie nor the key.

Any account reads the pages behind sign-in (`ClerkPage`) and sends the forms that change
nothing (`ReadingForm`: a suggestion, the committees one follows, signing out); the forms that
change a programme, and the pages of those forms, are for a clerk it was given to or an admin
(`ClerkForm`, `EditingPage`: `api.who`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.auth import same
from api.clerk_sessions import find_session
from api.routes.common import MAX_UPLOAD
from api.state import State, allowed_to_edit, state, why_not
from api.who import Who

COOKIE = "scrutiny_session"
SECURE_COOKIE = "__Host-scrutiny_session"


class SignInFirst(Exception):
    """The page needs the clerk: answered with a redirect to the sign-in form."""

    def __init__(self, then: str) -> None:
        self.location = f"/sign-in?next={quote(then, safe='/')}"


class BadFormKey(Exception):
    """A change without this session's form key (a cross-site request, or a stale page)."""


@dataclass(frozen=True)
class SignedIn:
    """The live session a request came with, and whom it signs in."""

    sid: str
    who: Who

    @property
    def form_key(self) -> str:
        """The key this session's forms carry: secret, and no way back to the session id."""
        return hmac.new(self.sid.encode(), b"scrutiny form key", hashlib.sha256).hexdigest()


def cookie_name(request: Request) -> str:
    return SECURE_COOKIE if request.url.scheme == "https" else COOKIE


def session_cookie(response: Response, request: Request, sid: str, max_age: int) -> None:
    """Give the browser the session's cookie; with no id and no age, take it away."""
    own_cookie(response, request, cookie_name(request), sid, max_age, "strict")


def own_cookie(
    response: Response,
    request: Request,
    name: str,
    value: str,
    max_age: int,
    samesite: Literal["strict", "lax"],
) -> None:
    """Give the browser one of this site's cookies, HttpOnly, for the whole site, Secure over
    HTTPS; with no value and no age, take it away (deleted with the attributes it was set
    with, as a `__Host-` cookie must be)."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        expires=None if max_age else 0,
        path="/",
        httponly=True,
        samesite=samesite,
        secure=request.url.scheme == "https",
    )


def signed_in(request: Request) -> SignedIn | None:
    """The session this request carries, if live. Looked up in the database once per request,
    then kept on it: a plain function, so that FastAPI runs it on the thread pool."""
    if not hasattr(request.state, "clerk"):
        s = state(request)
        sid = request.cookies.get(cookie_name(request), "")
        who = sid and find_session(s.engine, sid, settings=s.settings, now=dt.datetime.now(dt.UTC))
        request.state.clerk = SignedIn(sid, who) if who else None
    found: SignedIn | None = request.state.clerk
    return found


def known(request: Request) -> SignedIn | None:
    """What `signed_in` found for this request, without looking: for answers made on the event
    loop (error pages), which must not wait on the database. Not looked up is not signed in."""
    found: SignedIn | None = getattr(request.state, "clerk", None)
    return found


def the_clerk(request: Request) -> SignedIn:
    """The request's session; without one, the sign-in form, then back to this page."""
    found = signed_in(request)
    if found is None:
        then = request.url.path if request.method == "GET" else "/"
        if request.method == "GET" and request.url.query:
            then += f"?{request.url.query}"
        raise SignInFirst(then)
    return found


def clerk_page(request: Request) -> State:
    """A page behind sign-in: any account reads it. Whether they may change the programme of
    the path is kept for the page (`edits`: its forms that change it are shown only then)."""
    s = state(request).acting(the_clerk(request).who)
    request.state.edits = why_not(s, s.by, request.path_params.get("pid")) is None
    return s


def editing_page(request: Request) -> State:
    """The page of a form that changes the programme of the path: for those who may change it
    (else 403, in words, before the form is filled in for nothing)."""
    s = clerk_page(request)
    allowed_to_edit(s, s.by, request.path_params.get("pid"))
    return s


@dataclass(frozen=True)
class Posted:
    """A form a signed-in person sent from this site's page; `s` acts for them."""

    s: State
    form: FormData
    session: SignedIn


async def reading_form(request: Request) -> Posted:
    """A form that changes no programme (a suggestion, a preference, signing out), from any
    account: the form must carry the session's form key. The form is read here, so that the
    route itself can be plain (run on the thread pool, not the event loop); the session is
    looked up on the thread pool too."""
    session = await run_in_threadpool(the_clerk, request)
    form = await request.form(max_part_size=MAX_UPLOAD)
    if not same(str(form.get("form_key", "")), session.form_key):
        raise BadFormKey
    return Posted(state(request).acting(session.who), form, session)


async def clerk_form(request: Request) -> Posted:
    """A change to the programme of the path (or a new one): the form must carry the session's
    form key, and its account may change that programme (else 403)."""
    posted = await reading_form(request)
    await run_in_threadpool(allowed_to_edit, posted.s, posted.s.by, request.path_params.get("pid"))
    return posted


def safe_next(then: str | None) -> str:
    """Where to go after signing in: a path on this site only."""
    if then and then.startswith("/") and not then.startswith("//") and "\\" not in then:
        return then
    return "/"


ClerkPage = Annotated[State, Depends(clerk_page)]
EditingPage = Annotated[State, Depends(editing_page)]
ClerkForm = Annotated[Posted, Depends(clerk_form)]
ReadingForm = Annotated[Posted, Depends(reading_form)]
