"""Calendar feeds over HTTP: public per body (no token), private per person or for the clerk at
secret addresses; the clerk lists and revokes the secrets.

Feeds are made once, when a plan is published, and served from the database. Each answer carries
a strong ETag (a hash of its bytes) and Last-Modified (the publication), and a client that
already holds the bytes gets 304 without them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Engine, and_, bindparam, case, literal, select

from api.auth import digest
from api.errors import NotFound
from api.routes.common import Number, answers
from api.schemas import NewToken, TokenIn, TokenOut
from api.state import Clerk, public_base
from api.storage import one_row, reading
from api.store import feed_tokens, make_feed_token, private_url, revoke_feed_token
from api.tables import FeedRow, FeedToken, PlanRow, ProgrammeRow

router = APIRouter(tags=["feeds"])
CALENDAR = "text/calendar; charset=utf-8"
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}},
    304: {"description": "not modified"},
}

_current = and_(FeedRow.programme == ProgrammeRow.id, FeedRow.plan == ProgrammeRow.published)
_published = and_(PlanRow.programme == FeedRow.programme, PlanRow.number == FeedRow.plan)


def _columns() -> Any:
    return select(FeedRow.etag, PlanRow.published, FeedRow.programme, FeedRow.plan, FeedRow.path)


# The hot path: statements built once, with bound parameters (SQLAlchemy caches their SQL).
_PUBLIC = (
    _columns()
    .join(ProgrammeRow, _current)
    .join(PlanRow, _published)
    .where(ProgrammeRow.id == bindparam("pid"), FeedRow.path == bindparam("path"))
)
_PRIVATE = (
    _columns()
    .join(ProgrammeRow, _current)
    .join(PlanRow, _published)
    .join(
        FeedToken,
        and_(
            FeedToken.programme == ProgrammeRow.id,
            FeedRow.path
            == case(
                (FeedToken.subject == "clerk", literal("clerk.ics")),
                else_=literal("people/") + FeedToken.subject + literal(".ics"),
            ),
        ),
    )
    .where(
        ProgrammeRow.id == bindparam("pid"),
        FeedToken.digest == bindparam("digest"),
        FeedToken.revoked.is_(None),
    )
)
_BODY = select(FeedRow.body).where(
    FeedRow.programme == bindparam("pid"),
    FeedRow.plan == bindparam("plan"),
    FeedRow.path == bindparam("path"),
)


def _serve(request: Request, query: Any, params: dict[str, str], public: bool) -> Response:
    """Answer with the feed `query` finds (etag, published, programme, plan, path), or 304."""
    engine = request.app.state.scrutiny.engine
    found = _prepared(engine, query)(params)
    if found is None:
        raise NotFound("no such feed (or nothing published yet)")
    tag, published, pid, plan, path = found
    published = _utc(published)
    headers = {
        "ETag": tag,
        "Last-Modified": format_datetime(published, usegmt=True),
        "Cache-Control": "public, max-age=300" if public else "private, no-cache",
    }
    if _not_modified(request, tag, published):
        return Response(status_code=304, headers=headers)
    (body,) = _prepared(engine, _BODY)({"pid": pid, "plan": plan, "path": path})
    return Response(bytes(body), media_type=CALENDAR, headers=headers)


@lru_cache(maxsize=16)  # (engine, statement): one per app and hot statement
def _prepared(engine: Engine, query: Any) -> Callable[[Mapping[str, Any]], Any]:
    return one_row(engine, query)


def _utc(moment: dt.datetime | str) -> dt.datetime:
    """A stored moment as the driver gives it (SQLite: text) as an aware UTC datetime."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _not_modified(request: Request, tag: str, published: dt.datetime) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is not None:
        tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
        return "*" in tags or tag in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return published <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


# The feeds are `async`: a lookup takes well under a millisecond, so they answer on the event
# loop instead of paying a hop to the thread pool.
@router.get("/programmes/{pid}/feeds/public/{body}.ics", responses={**ICS, **answers(404)})
async def public_feed(pid: str, body: str, request: Request) -> Response:
    """A body's public calendar: its meetings, exempt items only as "Exempt item (Part 2)"."""
    return _serve(request, _PUBLIC, {"pid": pid, "path": f"public/{body}.ics"}, public=True)


@router.get("/programmes/{pid}/feeds/private/{token}.ics", responses={**ICS, **answers(404)})
async def private_feed(pid: str, token: str, request: Request) -> Response:
    """A person's (or the clerk's) calendar at its secret address. A revoked address, or one
    of another programme, is not found."""
    return _serve(request, _PRIVATE, {"pid": pid, "digest": digest(token)}, public=False)


def token_out(row: FeedToken) -> TokenOut:
    return TokenOut(
        id=row.id, subject=row.subject, label=row.label, created=row.created, revoked=row.revoked
    )


@router.post(
    "/programmes/{pid}/feed-tokens",
    status_code=201,
    response_model=NewToken,
    responses=answers(400, 401, 404, 422),
)
def create_token(pid: str, wanted: TokenIn, request: Request, s: Clerk) -> NewToken:
    """A secret feed address for a person (their id) or the clerk ("clerk"). The token is in
    this answer only: the service keeps its hash."""
    row, token = make_feed_token(s.engine, pid, wanted.subject, wanted.label)
    url = private_url(public_base(request), pid, token)
    return NewToken(**token_out(row).model_dump(), token=token, url=url)


@router.get(
    "/programmes/{pid}/feed-tokens", response_model=list[TokenOut], responses=answers(401, 404)
)
def list_tokens(pid: str, s: Clerk) -> list[TokenOut]:
    """Every feed address given out for the programme, revoked ones too (never the secrets)."""
    with reading(s.engine) as session:
        rows = feed_tokens(session, pid)
    return [token_out(r) for r in rows]


@router.delete(
    "/programmes/{pid}/feed-tokens/{token_id}", status_code=204, responses=answers(401, 404)
)
def revoke_token(pid: str, token_id: Number, s: Clerk) -> Response:
    """Revoke a feed address: from now on it is not found. Revoking twice is harmless."""
    revoke_feed_token(s.engine, pid, token_id)
    return Response(status_code=204)
