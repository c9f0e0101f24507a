"""Calendar feeds over HTTP: public per body (no token), private per person or for the clerk at
secret addresses; the clerk lists and revokes the secrets.

Feeds are made once, when a plan is published, and served from the database. Each answer carries
a strong ETag (a hash of its bytes) and Last-Modified (the publication), and a client that
already holds the bytes gets 304 without them.

Reads are answered from memory where they can be (`api.feed_cache`: a revocation is seen at once
in this process, within `TTL` seconds in another), and before the router (`FeedsFirst`): a
calendar client asks every few minutes, and the routes' own matching and parameters cost more
than the answer. What `FeedsFirst` does not find goes on to the routes, which answer it as
always (404).

`HEAD` is answered as `GET` is, 404 and 304 too, with the same headers (Content-Length the
GET's) and no body: a client or a link checker can ask whether a feed changed without it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Engine, and_, bindparam, case, literal
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import digest
from api.errors import NotFound
from api.feed_cache import FeedCache
from api.routes.common import Number, answers
from api.routes.stored import (
    CURRENT,
    PUBLISHED,
    PUBLISHED_FILE,
    columns,
    find_stored,
    read_body,
    stored_answer,
)
from api.schemas import NewToken, TokenIn, TokenOut
from api.state import Editor, Reader, public_base
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


#: The feeds' addresses, as the routes below match them: programme, kind, body or token.
FEED_PATH = re.compile(r"/programmes/([^/]+)/feeds/(public|private)/([^/]+)\.ics")


@lru_cache(maxsize=16)  # one per engine: one per app
def cache_for(engine: Engine) -> FeedCache:
    """The feed cache of `engine`'s database in this process."""
    return FeedCache(
        lambda query, params: find_stored(engine, query, params),
        lambda pid, plan, path: read_body(engine, pid, plan, path),
    )


def feed_answer(request: Request, pid: str, kind: str, name: str) -> Response | None:
    """The answer to a read of a feed: `kind` "public" (`name` a body) or "private" (`name` a
    token); 304 to a client that holds it; None when there is no such feed (now)."""
    cache = cache_for(request.app.state.scrutiny.engine)
    if kind == "public":
        found = cache.find(PUBLISHED_FILE, {"pid": pid, "path": f"public/{name}.ics"})
    else:
        found = cache.find(_PRIVATE, {"pid": pid, "digest": digest(name)})
    if found is None:
        return None
    return stored_answer(
        request,
        found.etag,
        found.published,
        lambda: cache.body(found),
        public=kind == "public",
        media=CALENDAR,
    )


class FeedsFirst:
    """Answers the feeds' GETs and HEADs before the router (above); passes on everything else,
    and any feed it does not find. Plain ASGI, inside the security headers and the body
    limits. A HEAD's answer, its own or the router's, goes out without its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if scope["type"] == "http" and method in _READS and not scope.get("root_path"):
            matched = FEED_PATH.fullmatch(scope["path"])
            if matched is not None:
                send = _without_body(send) if method == "HEAD" else send
                answer = feed_answer(Request(scope), *matched.groups())
                if answer is not None:
                    await answer(scope, receive, send)
                    return
        await self.app(scope, receive, send)


_READS = ("GET", "HEAD")


def _without_body(send: Send) -> Send:
    """`send` with every part of the body left out (an empty last part instead): a HEAD's
    answer keeps the GET's status and headers, Content-Length included (RFC 9110 §9.3.2)."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return sending


def _serve(request: Request, pid: str, kind: str, name: str) -> Response:
    """The feed, or 304."""
    answer = feed_answer(request, pid, kind, name)
    if answer is None:
        raise NotFound("no such feed (or nothing published yet)")
    return answer


PUBLIC_FEED = "/programmes/{pid}/feeds/public/{body}.ics"
PRIVATE_FEED = "/programmes/{pid}/feeds/private/{token}.ics"


# The feeds are `async`: a lookup takes well under a millisecond, so they answer on the event
# loop instead of paying a hop to the thread pool.
@router.get(PUBLIC_FEED, responses={**ICS, **answers(404)})
async def public_feed(pid: str, body: str, request: Request) -> Response:
    """A body's public calendar: its meetings, exempt items only as "Exempt item (Part 2)"."""
    return _serve(request, pid, "public", body)


@router.get(PRIVATE_FEED, responses={**ICS, **answers(404)})
async def private_feed(pid: str, token: str, request: Request) -> Response:
    """A person's (or the clerk's) calendar at its secret address. A revoked address, or one
    of another programme, is not found."""
    return _serve(request, pid, "private", token)


# HEAD: the same routes (their bodies are left out by `FeedsFirst`, or by the server behind a
# prefix), not in the API's description: a HEAD is a GET without its body.
router.add_api_route(PUBLIC_FEED, public_feed, methods=["HEAD"], include_in_schema=False)
router.add_api_route(PRIVATE_FEED, private_feed, methods=["HEAD"], include_in_schema=False)


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
def create_token(pid: str, wanted: TokenIn, request: Request, s: Editor) -> NewToken:
    """A secret feed address for a person (their id) or the clerk ("clerk"). The token is in
    this answer only: the service keeps its hash."""
    row, token = make_feed_token(s.engine, pid, wanted.subject, wanted.label, s.by)
    url = private_url(public_base(request), pid, token)
    return NewToken(**token_out(row).model_dump(), token=token, url=url)


@router.get(
    "/programmes/{pid}/feed-tokens", response_model=list[TokenOut], responses=answers(401, 404)
)
def list_tokens(pid: str, s: Reader) -> list[TokenOut]:
    """Every feed address given out for the programme, revoked ones too (never the secrets)."""
    with reading(s.engine) as session:
        rows = feed_tokens(session, pid)
    return [token_out(r) for r in rows]


@router.delete(
    "/programmes/{pid}/feed-tokens/{token_id}", status_code=204, responses=answers(401, 404)
)
def revoke_token(pid: str, token_id: Number, s: Editor) -> Response:
    """Revoke a feed address: from now on it is not found. Revoking twice is harmless."""
    revoke_feed_token(s.engine, pid, token_id, s.by)
    return Response(status_code=204)
