"""The clerk signed in to the web page: the clerk's token in a cookie, and a form key against
cross-site requests.

The cookie holds the token itself (HttpOnly, SameSite=Strict, Secure over HTTPS): the server
keeps only its hash, as for the API's bearer token. Every form that changes something carries a
key derived from that hash; a request from another site has neither the cookie nor the key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.datastructures import FormData

from api.auth import digest, same
from api.routes.common import MAX_UPLOAD
from api.state import State, state

COOKIE = "scrutiny_clerk"


class SignInFirst(Exception):
    """The page needs the clerk: answered with a redirect to the sign-in form."""

    def __init__(self, then: str) -> None:
        self.location = f"/sign-in?next={quote(then, safe='/')}"


class BadFormKey(Exception):
    """A change without this site's form key (a cross-site request, or a stale page)."""


def signed_in(request: Request) -> bool:
    token = request.cookies.get(COOKIE)
    return bool(token) and same(digest(token or ""), state(request).clerk_digest)


def form_key(s: State) -> str:
    """The key every changing form carries: secret, as it is derived from the token's hash."""
    return hashlib.sha256(f"form:{s.clerk_digest}".encode()).hexdigest()


def clerk_page(request: Request) -> State:
    if not signed_in(request):
        then = request.url.path if request.method == "GET" else "/"
        if request.method == "GET" and request.url.query:
            then += f"?{request.url.query}"
        raise SignInFirst(then)
    return state(request)


@dataclass(frozen=True)
class Posted:
    """A form the signed-in clerk sent from this site's page."""

    s: State
    form: FormData


async def clerk_form(request: Request) -> Posted:
    """A change by the signed-in clerk: the form must carry the form key. The form is read
    here, so that the route itself can be plain (run on the thread pool, not the event loop)."""
    s = clerk_page(request)
    form = await request.form(max_part_size=MAX_UPLOAD)
    if not same(str(form.get("form_key", "")), form_key(s)):
        raise BadFormKey
    return Posted(s, form)


def safe_next(then: str | None) -> str:
    """Where to go after signing in: a path on this site only."""
    if then and then.startswith("/") and not then.startswith("//") and "\\" not in then:
        return then
    return "/"


ClerkPage = Annotated[State, Depends(clerk_page)]
ClerkForm = Annotated[Posted, Depends(clerk_form)]
