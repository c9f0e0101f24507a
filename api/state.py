"""What every request can reach: the engine, the job runner, the clerk's digest, the throttle
of wrong tokens; and the checks that depend on them (clerk authorisation, If-Match)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine

from api.auth import digest, same
from api.errors import ApiError, Unauthorized
from api.jobs import Runner
from api.settings import Settings
from api.throttle import Throttle, TooManyFailures, address


@dataclass
class State:
    settings: Settings
    engine: Engine
    runner: Runner
    clerk_digest: str
    throttle: Throttle = field(default_factory=Throttle)


def state(request: Request) -> State:
    return request.app.state.scrutiny


def clerk(request: Request, authorization: Annotated[str | None, Header()] = None) -> State:
    """Editing and private reads need the clerk's bearer token. Wrong tokens are guesses,
    slowed down per address (a missing or malformed header guesses nothing)."""
    s = state(request)
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the clerk's bearer token is missing or wrong")
    guesser = address(request)
    if same(digest(token.strip()), s.clerk_digest):
        # The right token always passes: whoever shares the clerk's address (an office behind
        # one NAT) cannot lock the clerk out by guessing, and a 256-bit token is not guessed.
        s.throttle.forget(guesser)
        return s
    wait = s.throttle.wait(guesser)
    if wait:
        raise TooManyFailures(wait)
    s.throttle.failed(guesser)
    raise Unauthorized("the clerk's bearer token is missing or wrong")


Clerk = Annotated[State, Depends(clerk)]
Public = Annotated[State, Depends(state)]


def revision(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """The programme revision an edit was made against, from If-Match ("3" or W/"3")."""
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise ApiError(f'If-Match {if_match!r} is not a programme ETag such as "3"')
    return int(text)


IfMatch = Annotated[int | None, Depends(revision)]


def public_base(request: Request) -> str:
    """The service's address as feeds are read: SCRUTINY_PUBLIC_URL, else the request's own."""
    return state(request).settings.public_url or str(request.base_url).rstrip("/")


def programme_etag(revision: int) -> str:
    return f'"{revision}"'
