"""Signing in to the web page with the council's single sign-on (`api.oidc`): the link on the
sign-in page goes to the provider, and the provider sends the person back here.

The start binds the sign-in to this browser with a cookie of its own: HttpOnly, ten minutes,
SameSite=Lax (the provider's answer arrives as a navigation from another site, which a Strict
cookie would not go with), `__Host-` over HTTPS as the session's. Whatever goes wrong, the
sign-in page says so in words; what the provider said is kept in the server's log.
"""

from __future__ import annotations

import datetime as dt
import logging

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from api.oidc import PENDING, Refused, begin, finish
from api.sso_accounts import account_for
from api.state import public_base, state
from api.throttle import address
from api.web.pages import start_session
from api.web.render import render
from api.web.session import own_cookie, safe_next, signed_in
from api.who import Who

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
CALLBACK = "/sign-in/sso/callback"
BROWSER = "scrutiny_sso"
SECURE_BROWSER = "__Host-scrutiny_sso"

_log = logging.getLogger(__name__)


@router.get("/sign-in/sso")
def start(request: Request, next: str = "/") -> Response:
    """To the council's sign-in page, to come back to `next`."""
    s = state(request)
    then = safe_next(next)
    if not s.settings.single_sign_on:
        words = "single sign-on is not set up here: sign in with your e-mail address and password"
        return _refused(request, Refused(404, words), then)
    try:
        began = begin(
            s.engine,
            s.settings,
            redirect_uri=_callback(request),
            then=then,
            browser=request.cookies.get(_browser_cookie(request)),
            address=address(request),
            now=dt.datetime.now(dt.UTC),
        )
    except Refused as refused:
        return _refused(request, refused, then)
    response = RedirectResponse(began.url, status_code=303)
    _bind(response, request, began.browser, int(PENDING.total_seconds()))
    return response


@router.get(CALLBACK)
def callback(request: Request) -> Response:
    """The provider's answer: the person signed in, or the sign-in page saying why not."""
    s = state(request)
    if not s.settings.single_sign_on:
        return _refused(request, Refused(404, "single sign-on is not set up here"), "/")
    now = dt.datetime.now(dt.UTC)
    try:
        person, then = finish(
            s.engine,
            s.settings,
            redirect_uri=_callback(request),
            answer=dict(request.query_params),
            browser=request.cookies.get(_browser_cookie(request), ""),
            now=now,
        )
        account = account_for(s.engine, person, now)
    except Refused as refused:
        response = _refused(request, refused, "/")
    else:
        response = _signed_in(request, start_session(request, Who.of(account), then))
    _bind(response, request, "", 0)  # used, or refused: either way, done with
    return response


def _signed_in(request: Request, redirect: Response) -> Response:
    """The page that goes on to where `redirect` (the new session's) leads, with its cookie.
    Not the redirect itself: the provider's answer came from another site, so a browser would
    not send the session's SameSite=Strict cookie on any step of that navigation."""
    response = render(request, "signed_in.html", then=redirect.headers["location"])
    response.raw_headers += [h for h in redirect.raw_headers if h[0] == b"set-cookie"]
    return response


def _callback(request: Request) -> str:
    """The address the provider sends people back to (registered there: docs/single-sign-on.md)."""
    return public_base(request) + CALLBACK


def _browser_cookie(request: Request) -> str:
    return SECURE_BROWSER if request.url.scheme == "https" else BROWSER


def _bind(response: Response, request: Request, value: str, max_age: int) -> None:
    """Give the browser its binding cookie (Lax: it must come back from the provider's site);
    with no value and no age, take it away."""
    own_cookie(response, request, _browser_cookie(request), value, max_age, "lax")


def _refused(request: Request, refused: Refused, then: str) -> Response:
    """The sign-in page, saying why single sign-on did not sign the person in (and, when
    trying again is no use for a while, for how long: Retry-After)."""
    _log.warning("single sign-on refused (%s): %s", refused.status, refused.why)
    errors = {"sign-in": [f"single sign-on: {refused.words}"]}
    response = render(request, "sign_in.html", refused.status, next=then, errors=errors)
    if refused.wait:
        response.headers["Retry-After"] = str(refused.wait)
    return response
