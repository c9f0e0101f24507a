"""What the signed-in clerk downloads from the page: the work programme of any plan version found
(Word, HTML or Markdown; as the clerk reads it or as the public will), its agendas for Modern.gov
(CSV), the plan's changes as CSV, and a draft e-mail (.eml) for each change. Each is saved under
a name that says what it is (`bromley-ecf-2017-18-plan-3-public.docx`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from api.documents import rendered
from api.errors import NotFound
from api.routes.common import Number
from api.routes.open_data import agenda_download
from api.routes.plans import MEDIA, Format
from api.storage import reading
from api.store import plan_row, programme_at, programme_row
from api.web.changes import ChangeRow, changes_of, csv_bytes
from api.web.session import ClerkPage, signed_in
from scheduler.outputs.document import Audience

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
PLAN = "/web/programmes/{pid}/plans/{number}"


def _download(data: bytes, media: str, filename: str) -> Response:
    """`data` to save as `filename` (ids and numbers only: nothing to quote)."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type=media, headers=headers)


@router.get(PLAN + "/work-programme")
def work_programme(
    pid: str,
    number: Number,
    s: ClerkPage,
    format: Format = "docx",
    audience: Audience = "clerk",
    body: str | None = None,
) -> Response:
    """The work programme of plan `number` (of one committee, `body`): 404 for no such plan or
    committee, 409 for a plan that found none."""
    with reading(s.engine) as session:
        row = plan_row(session, pid, number)
        programme = programme_at(session, pid, row.programme_version)
    name = f"{pid}-plan-{number}-{audience}.{format}"
    if body is not None:
        if body not in programme.bodies_by_id:
            raise NotFound(f"no committee '{body}' in plan {number}'s programme")
        name = f"{pid}-{body}-plan-{number}-{audience}.{format}"
    made = rendered(programme, row, format, audience, body)
    return _download(made, MEDIA[format], name)


@router.get(PLAN + "/agendas.csv")
def agendas_csv(pid: str, number: Number, s: ClerkPage, body: str | None = None) -> Response:
    """Plan `number`'s agendas as CSV for Modern.gov (of one committee, `body`)."""
    return agenda_download(s.engine, pid, number, body)


def _changes(s: ClerkPage, pid: str, number: int) -> list[ChangeRow]:
    with reading(s.engine) as session:
        published = programme_row(session, pid).published
        found = changes_of(session, plan_row(session, pid, number), published)
    if found is None:
        raise NotFound(f"plan {number} has no changes: there is no plan before it to compare")
    return found.rows


@router.get(PLAN + "/changes.csv")
def changes_csv(pid: str, number: Number, s: ClerkPage) -> Response:
    """Every change of plan `number`, a row each: what, change, from, to, why, whom to tell."""
    rows = _changes(s, pid, number)
    return _download(csv_bytes(rows), "text/csv; charset=utf-8", f"{pid}-plan-{number}-changes.csv")


@router.get(PLAN + "/changes/{row}.eml")
def change_email(pid: str, number: Number, row: Number, s: ClerkPage) -> Response:
    """A draft e-mail of change `row` (as numbered on the page) to everyone it concerns."""
    rows = _changes(s, pid, number)
    if row > len(rows):
        raise NotFound(f"plan {number} has {len(rows)} changes, not {row}")
    name = f"{pid}-plan-{number}-change-{row}.eml"
    return _download(rows[row - 1].eml(), "message/rfc822", name)
