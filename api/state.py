"""What every request can reach: the engine, the job runner, the throttle of wrong tokens; and
the checks that depend on them (who a request acts for and what their role lets them do,
If-Match)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine

from api.api_tokens import token_holder
from api.db_probe import Probe
from api.errors import ApiError, Forbidden, Unauthorized
from api.jobs import Jobs
from api.settings import Settings
from api.storage import reading
from api.tables import ProgrammeRow
from api.throttle import Throttle, TooManyFailures, address
from api.who import Who, may_edit


@dataclass
class State:
    """The service's state, as one request acts on it: `who` is the person it acts for (None
    for a public request)."""

    settings: Settings
    engine: Engine
    runner: Jobs
    throttle: Throttle = field(default_factory=Throttle)
    probe: Probe = field(default_factory=Probe)  # /health's look at the database
    who: Who | None = None

    def acting(self, who: Who) -> State:
        """The same state, acting for `who` (the engine, runner and throttle are shared)."""
        return dataclasses.replace(self, who=who)

    @property
    def by(self) -> Who:
        """Who this request acts for; only asked on routes that need somebody signed in."""
        if self.who is None:
            raise Unauthorized("sign in first: this needs an account")
        return self.who


def state(request: Request) -> State:
    return request.app.state.scrutiny


def bearer(request: Request, authorization: Annotated[str | None, Header()] = None) -> Who:
    """The account whose API token the request carries (`api.api_tokens`). Wrong tokens are
    guesses, slowed down per address (a missing or malformed header guesses nothing)."""
    s = state(request)
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("an account's API token is missing or wrong")
    guesser = address(request)
    who = token_holder(s.engine, token.strip(), dt.datetime.now(dt.UTC))
    if who is not None:
        # A right token always passes: whoever shares its address (an office behind one NAT)
        # cannot lock its holder out by guessing, and a 256-bit token is not guessed.
        s.throttle.forget(guesser)
        return who
    wait = s.throttle.wait(guesser)
    if wait:
        raise TooManyFailures(wait)
    s.throttle.failed(guesser)
    raise Unauthorized("an account's API token is missing or wrong")


def allowed_to_edit(s: State, who: Who, pid: str | None) -> None:
    """Refuse (403) unless `who` may change programme `pid` (None: may make programmes)."""
    refusal = why_not(s, who, pid)
    if refusal:
        raise Forbidden(refusal)


def why_not(s: State, who: Who, pid: str | None) -> str | None:
    """Why `who` may not change programme `pid` (None: may make programmes), in words; None
    when they may."""
    if not who.edits:
        return f"{who.name} may only read: changes need a clerk's or admin's account"
    if pid is None or who.administers:
        return None
    with reading(s.engine) as session:
        if may_edit(session, who, pid):
            return None
        row = session.get(ProgrammeRow, pid)
    if row is None:  # the route says so, in its own words
        return None
    return f"“{row.title}” has not been given to {who.name}: an admin gives it"


def reader(request: Request, who: Annotated[Who, Depends(bearer)]) -> State:
    """Reading drafts, plans and sources: any account."""
    return state(request).acting(who)


def editor(request: Request, who: Annotated[Who, Depends(bearer)]) -> State:
    """Changing a programme (the one named by the path's `pid`, if any): a clerk it was given
    to, or an admin."""
    s = state(request)
    allowed_to_edit(s, who, request.path_params.get("pid"))
    return s.acting(who)


def admin(request: Request, who: Annotated[Who, Depends(bearer)]) -> State:
    """Accounts and domains: an admin."""
    return admins_only(state(request).acting(who))


def admins_only(s: State) -> State:
    """`s`, if it acts for an admin; else 403, in words."""
    if not s.by.administers:
        raise Forbidden(f"{s.by.name} is not an admin: accounts are an admin's")
    return s


Reader = Annotated[State, Depends(reader)]
Editor = Annotated[State, Depends(editor)]
Admin = Annotated[State, Depends(admin)]
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
