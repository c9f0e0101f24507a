"""Files made once for a published plan and kept in the database (its calendar feeds, its public
work programme), answered from the stored bytes: a strong ETag (a hash of the bytes),
Last-Modified (the publication), and 304 without the bytes to a client that already holds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from fastapi import Request, Response
from sqlalchemy import Engine, and_, bindparam, select

from api.storage import one_row
from api.tables import FeedRow, PlanRow, ProgrammeRow

#: A stored file of the programme's published plan, and that plan's own row.
CURRENT = and_(FeedRow.programme == ProgrammeRow.id, FeedRow.plan == ProgrammeRow.published)
PUBLISHED = and_(PlanRow.programme == FeedRow.programme, PlanRow.number == FeedRow.plan)


def columns() -> Any:
    """What a lookup finds: etag, publication, programme, plan, path."""
    return select(FeedRow.etag, PlanRow.published, FeedRow.programme, FeedRow.plan, FeedRow.path)


# The hot path: statements built once, with bound parameters (SQLAlchemy caches their SQL).
PUBLISHED_FILE = (
    columns()
    .join(ProgrammeRow, CURRENT)
    .join(PlanRow, PUBLISHED)
    .where(ProgrammeRow.id == bindparam("pid"), FeedRow.path == bindparam("path"))
)
_BODY = select(FeedRow.body).where(
    FeedRow.programme == bindparam("pid"),
    FeedRow.plan == bindparam("plan"),
    FeedRow.path == bindparam("path"),
)


def serve_stored(
    request: Request,
    query: Any,
    params: dict[str, str],
    *,
    public: bool,
    media: str,
    headers: Mapping[str, str] | None = None,
) -> Response | None:
    """The file `query` finds (etag, published, programme, plan, path), or 304; None when it
    finds none."""
    engine = request.app.state.scrutiny.engine
    found = find_stored(engine, query, params)
    if found is None:
        return None
    tag, published, pid, plan, path = found
    return stored_answer(
        request,
        tag,
        published,
        lambda: read_body(engine, pid, plan, path),
        public=public,
        media=media,
        headers=headers,
    )


def stored_answer(
    request: Request,
    tag: str,
    published: dt.datetime | str,
    body: Callable[[], bytes],
    *,
    public: bool,
    media: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A stored file's answer with its validators: 304 to a client that holds its bytes, else
    the bytes (`body()`, called only then)."""
    published = _utc(published)
    validators = {
        "ETag": tag,
        "Last-Modified": format_datetime(published, usegmt=True),
        "Cache-Control": "public, max-age=300" if public else "private, no-cache",
    }
    if _not_modified(request, tag, published):
        return Response(status_code=304, headers=validators)
    return Response(body(), media_type=media, headers={**validators, **(headers or {})})


def find_stored(engine: Engine, query: Any, params: Mapping[str, Any]) -> Any:
    """The row `query` finds (etag, published, programme, plan, path), or None."""
    return _prepared(engine, query)(params)


def read_body(engine: Engine, pid: str, plan: int, path: str) -> bytes:
    """A stored file's bytes."""
    (body,) = _prepared(engine, _BODY)({"pid": pid, "plan": plan, "path": path})
    return bytes(body)


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
