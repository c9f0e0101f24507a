"""Pieces several routers share: response declarations, uploads, conversions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from sqlalchemy.orm import Session

from api.errors import TooLarge, UnsupportedMedia
from api.schemas import Message, Problems, ProgrammeOut
from api.state import programme_etag
from api.store import plan_of, programme_at, published_row, upload_name
from api.tables import ProgrammeRow
from scheduler.check.warnings import ProgrammeWarning, warnings_of
from scheduler.errors import Problem, ProgrammeError
from scheduler.programme.source import MAX_BYTES

UPLOAD_TYPES = {
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
    "application/json": "json",
}
MAX_UPLOAD = MAX_BYTES  # the same limit as the CLI's
#: The largest number a database INTEGER column holds (PostgreSQL int4; SQLite stops at 2**63-1).
MAX_NUMBER = 2**31 - 1
#: A plan, version or token number in a path or query: out of range is 422, never a database error.
Number = Annotated[int, Path(ge=1, le=MAX_NUMBER)]
OptionalNumber = Annotated[int | None, Query(ge=1, le=MAX_NUMBER)]

#: The OpenAPI body of a programme upload: the file itself, YAML or JSON (DESIGN §4).
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


def answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error responses a route may give, for its OpenAPI entry (422 always: any parameter
    can be invalid, and the answer is Problems, not FastAPI's own HTTPValidationError)."""
    meaning = {
        400: "malformed header or body",
        401: "the account's API token is missing or wrong",
        403: "the account's role, or the programmes given to it, do not allow this",
        404: "no such programme, plan, job or feed",
        409: "not possible in the current state",
        412: "If-Match names an old revision: somebody else edited",
        413: "the upload is too large",
        415: "not YAML or JSON",
        422: "invalid input: every problem, located",
        428: "an edit without If-Match",
        503: "published again while the document was made: ask again (Retry-After)",
    }
    out: dict[int | str, dict[str, Any]] = {}
    for code in sorted({*codes, 422}):
        model = Problems if code in (409, 422) else Message
        out[code] = {"model": model, "description": meaning[code]}
    return out


def media_type(request: Request) -> str:
    """The request's Content-Type, without its parameters, in lower case."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def upload(request: Request) -> tuple[str, str]:
    """The uploaded programme's text and format, from Content-Type."""
    fmt = UPLOAD_TYPES.get(media_type(request))
    if fmt is None:
        raise UnsupportedMedia("send the programme as application/yaml or application/json")
    body = await request.body()
    if len(body) > MAX_UPLOAD:
        raise TooLarge(f"the programme is over {MAX_UPLOAD // 1024 // 1024} MiB")
    try:
        return body.decode("utf-8"), fmt
    except UnicodeDecodeError:
        problem = Problem(upload_name(fmt), (0,), "", "cannot be read: it is not UTF-8 text")
        raise ProgrammeError([problem]) from None


def programme_out(row: ProgrammeRow) -> ProgrammeOut:
    return ProgrammeOut(
        id=row.id,
        title=row.title,
        revision=row.revision,
        version=row.version,
        published=row.published,
        created=row.created,
        updated=row.updated,
    )


def programme_warnings(session: Session, row: ProgrammeRow) -> list[ProgrammeWarning]:
    """The warnings of the programme's newest version (DESIGN §4.6), against the published plan
    when there is one (a changed date that looks like a move)."""
    previous = plan_of(published_row(session, row.id)) if row.published else None
    return warnings_of(programme_at(session, row.id, row.version), previous)


def etag_headers(row: ProgrammeRow) -> dict[str, str]:
    return {"ETag": programme_etag(row.revision)}
