"""Open data and agendas for Modern.gov: the published plan as Open Civic Data events and a
Popolo organisation list, for anyone; each plan's agendas as CSV, for the clerk.

The open data is of the published plan only, as the public page shows it (404 until a plan is
published, as `/public/{pid}`). It is made once for each published version (a version never
changes) and answered with a strong ETag, so that a client polling for changes gets 304.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from sqlalchemy import Engine

from api.errors import Conflict, NotFound
from api.routes.common import Number, answers
from api.routes.stored import stored_answer
from api.state import Public, Reader, State
from api.storage import reading
from api.store import etag, plan_of, plan_row, programme_at, published_row
from scheduler.outputs.agenda_csv import agenda_csv
from scheduler.outputs.bodies import only
from scheduler.outputs.open_data import as_json, ocd_events, popolo

router = APIRouter(tags=["open data"])
JSON = "application/json"
CSV = "text/csv; charset=utf-8"
OPEN: dict[int | str, dict[str, Any]] = {
    200: {"content": {JSON: {}}},
    304: {"description": "not modified"},
}
Kind = Literal["events", "organizations"]


@router.get("/programmes/{pid}/open-data/events.json", responses={**OPEN, **answers(404)})
def open_events(pid: str, request: Request, s: Public) -> Response:
    """The published plan's meetings as Open Civic Data events: every meeting of a public body
    with a fixed day, with its status, times, venue, agenda in order and participants; exempt
    items only as "Exempt item (Part 2)". Ids stay the same across re-plans and moves."""
    return _open_data(request, s, pid, "events")


@router.get("/programmes/{pid}/open-data/organizations.json", responses={**OPEN, **answers(404)})
def open_organizations(pid: str, request: Request, s: Public) -> Response:
    """The published programme's public bodies as a Popolo organisation list: classification,
    parent, chair and vice-chair."""
    return _open_data(request, s, pid, "organizations")


def _open_data(request: Request, s: State, pid: str, kind: Kind) -> Response:
    """The open data of the published plan; each event's source is the public page's address
    where the service is told its own (SCRUTINY_PUBLIC_URL), never one a request's Host makes
    up: caches keep these answers for everyone."""
    with reading(s.engine) as session:
        row = published_row(session, pid)
    base = s.settings.public_url
    data = _made(s.engine, pid, row.number, kind, f"{base}/public/{pid}" if base else None)
    assert row.published is not None, "a published plan has its moment"
    return stored_answer(request, etag(data), row.published, lambda: data, public=True, media=JSON)


@lru_cache(maxsize=32)
def _made(engine: Engine, pid: str, number: int, kind: Kind, page: str | None) -> bytes:
    """The open data of plan version `number`, made once per process: a version never changes,
    and anybody may ask (keyed by the engine too: every database its own)."""
    with reading(engine) as session:
        row = plan_row(session, pid, number)
        programme = programme_at(session, pid, row.programme_version)
    if kind == "organizations":
        return as_json(popolo(programme))
    return as_json(ocd_events(programme, plan_of(row), source=page))


def agenda_download(engine: Engine, pid: str, number: int, body: str | None) -> Response:
    """Plan `number`'s agendas as CSV for Modern.gov (of one committee, `body`), to save: 404
    for no such plan or committee, 409 for a plan that found none."""
    with reading(engine) as session:
        row = plan_row(session, pid, number)
        programme = programme_at(session, pid, row.programme_version)
    plan = plan_of(row)
    if not plan.status.found:
        raise Conflict(f"plan {number} is {plan.status.value}: there are no agendas to export")
    name = f"{pid}-plan-{number}-agendas.csv"
    if body is not None:
        if body not in programme.bodies_by_id:
            raise NotFound(f"no committee '{body}' in plan {number}'s programme")
        programme, plan = only(programme, plan, [body])
        name = f"{pid}-{body}-plan-{number}-agendas.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(agenda_csv(programme, plan), media_type=CSV, headers=headers)


@router.get(
    "/programmes/{pid}/plans/{number}/agendas.csv",
    responses={200: {"content": {"text/csv": {}}}, **answers(401, 404, 409)},
)
def agendas_csv(pid: str, number: Number, s: Reader, body: str | None = None) -> Response:
    """Every meeting's items of plan `number` in agenda order, for the clerk to paste or import
    into Modern.gov: meeting, item number, title, report authors, Part 2 (exempt items with
    their titles), ids. With `body`, one committee's meetings."""
    return agenda_download(s.engine, pid, number, body)
