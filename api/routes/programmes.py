"""Programmes: upload, read, edit (If-Match), their versions and deadlines."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from api.routes.common import (
    UPLOAD_BODY,
    OptionalNumber,
    answers,
    etag_headers,
    programme_out,
    programme_warnings,
    upload,
)
from api.schemas import ProgrammeOut, ProgrammeSaved, VersionOut
from api.state import Editor, IfMatch, Public, Reader, State
from api.storage import reading
from api.store import (
    create_programme,
    programme_at,
    programme_row,
    programme_version,
    published_row,
    replace_source,
)
from api.tables import ProgrammeRow, ProgrammeVersion
from scheduler.dates.deadlines import programme_deadlines
from scheduler.outputs.deadline_table import RENDERERS

router = APIRouter(tags=["programmes"])
MEDIA = {"yaml": "application/yaml", "json": "application/json"}


@router.get("/programmes", response_model=list[ProgrammeOut])
def list_programmes(s: Public) -> list[ProgrammeOut]:
    """Every programme the service holds (ids, titles and versions only)."""
    with reading(s.engine) as session:
        rows = session.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)).all()
    return [programme_out(row) for row in rows]


@router.post(
    "/programmes",
    status_code=201,
    response_model=ProgrammeSaved,
    responses=answers(401, 409, 413, 415, 422),
    openapi_extra=UPLOAD_BODY,
)
async def create(request: Request, response: Response, s: Editor) -> ProgrammeSaved:
    """Upload a new programme (YAML or JSON, DESIGN §4). Invalid files get 422 with every
    problem located, as `scrutiny validate` prints them; a valid one comes back with its
    warnings, as `scrutiny validate` prints them too."""
    text, fmt = await upload(request)
    row = await run_in_threadpool(create_programme, s.engine, text, fmt, s.by)
    response.headers.update(etag_headers(row))
    response.headers["Location"] = f"/programmes/{row.id}"
    return await run_in_threadpool(_saved, s, row)


def _saved(s: State, row: ProgrammeRow) -> ProgrammeSaved:
    """The programme as just stored, with its warnings."""
    with reading(s.engine) as session:
        warnings = programme_warnings(session, row)
    return ProgrammeSaved(**programme_out(row).model_dump(), warnings=warnings)


@router.get("/programmes/{pid}", response_model=ProgrammeOut, responses=answers(404))
def get_programme(pid: str, response: Response, s: Public) -> ProgrammeOut:
    """A programme's title, revision (its ETag), newest version and published plan."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
    response.headers.update(etag_headers(row))
    return programme_out(row)


@router.get(
    "/programmes/{pid}/source",
    responses={
        200: {"content": {"application/yaml": {}, "application/json": {}}},
        **answers(401, 404),
    },
)
def get_source(pid: str, s: Reader, version: OptionalNumber = None) -> Response:
    """The programme file as uploaded (the newest version, or `version`)."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        stored = programme_version(session, pid, version)
    return Response(stored.source, media_type=MEDIA[stored.format], headers=etag_headers(row))


@router.put(
    "/programmes/{pid}/source",
    response_model=ProgrammeSaved,
    responses=answers(400, 401, 404, 412, 413, 415, 422, 428),
    openapi_extra=UPLOAD_BODY,
)
async def put_source(
    pid: str, request: Request, response: Response, s: Editor, if_match: IfMatch
) -> ProgrammeSaved:
    """Replace the programme with an edited file: a new version. Send If-Match with the ETag
    the edit was made against; 412 if somebody else edited since. The answer carries the new
    version's warnings (a changed date that looks like a move: against the published plan)."""
    text, fmt = await upload(request)
    row = await run_in_threadpool(replace_source, s.engine, pid, text, fmt, if_match, s.by)
    response.headers.update(etag_headers(row))
    return await run_in_threadpool(_saved, s, row)


@router.get(
    "/programmes/{pid}/versions", response_model=list[VersionOut], responses=answers(401, 404)
)
def list_versions(pid: str, s: Reader) -> list[VersionOut]:
    """Every version of the programme file, oldest first."""
    with reading(s.engine) as session:
        programme_row(session, pid)
        rows = session.scalars(
            select(ProgrammeVersion)
            .where(ProgrammeVersion.programme == pid)
            .order_by(ProgrammeVersion.number)
        ).all()
    return [VersionOut(number=r.number, format=r.format, created=r.created) for r in rows]


@router.get(
    "/programmes/{pid}/deadlines",
    responses={
        200: {"content": {"application/json": {}, "text/csv": {}, "text/plain": {}}},
        **answers(404),
    },
)
def deadlines(pid: str, s: Public, format: Literal["json", "csv", "table"] = "json") -> Response:
    """Every public meeting's agenda publication, reports-due and public-questions deadlines
    (DESIGN §6), of the programme as published: drafts are not public, so 404 until a plan
    is published. Informal bodies are not public."""
    with reading(s.engine) as session:
        published = published_row(session, pid).programme_version
        programme = programme_at(session, pid, published)
    rows = [r for r in programme_deadlines(programme) if r.body.public]
    media = {"json": "application/json", "csv": "text/csv", "table": "text/plain"}[format]
    return Response(RENDERERS[format](rows), media_type=f"{media}; charset=utf-8")
