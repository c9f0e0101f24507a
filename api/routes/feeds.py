"""Calendar feeds over HTTP: public per body (no token), private per person or for the clerk at
secret addresses; the clerk lists and revokes the secrets.

Feeds are made once, when a plan is published, and served from the database. Each answer carries
a strong ETag (a hash of its bytes) and Last-Modified (the publication), and a client that
already holds the bytes gets 304 without them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import and_, bindparam, case, literal

from api.auth import digest
from api.errors import NotFound
from api.routes.common import Number, answers
from api.routes.stored import CURRENT, PUBLISHED, PUBLISHED_FILE, columns, serve_stored
from api.schemas import NewToken, TokenIn, TokenOut
from api.state import Clerk, public_base
from api.storage import reading
from api.store import feed_tokens, make_feed_token, private_url, revoke_feed_token
from api.tables import FeedRow, FeedToken, PlanRow, ProgrammeRow

router = APIRouter(tags=["feeds"])
CALENDAR = "text/calendar; charset=utf-8"
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}},
    304: {"description": "not modified"},
}

# The hot path: a statement built once, with bound parameters (SQLAlchemy caches its SQL).
_PRIVATE = (
    columns()
    .join(ProgrammeRow, CURRENT)
    .join(PlanRow, PUBLISHED)
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


def _serve(request: Request, query: Any, params: dict[str, str], public: bool) -> Response:
    """The feed `query` finds, or 304."""
    answer = serve_stored(request, query, params, public=public, media=CALENDAR)
    if answer is None:
        raise NotFound("no such feed (or nothing published yet)")
    return answer


# The feeds are `async`: a lookup takes well under a millisecond, so they answer on the event
# loop instead of paying a hop to the thread pool.
@router.get("/programmes/{pid}/feeds/public/{body}.ics", responses={**ICS, **answers(404)})
async def public_feed(pid: str, body: str, request: Request) -> Response:
    """A body's public calendar: its meetings, exempt items only as "Exempt item (Part 2)"."""
    return _serve(request, PUBLISHED_FILE, {"pid": pid, "path": f"public/{body}.ics"}, public=True)


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
