"""Plan versions: solve and re-plan jobs, the immutable versions, differences, publishing and
the work-programme document."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from starlette.exceptions import HTTPException

from api.documents import public_path, rendered, store_public_document
from api.errors import NotFound
from api.jobs import job_state
from api.routes.common import Number, answers
from api.routes.stored import PUBLISHED_FILE, serve_stored
from api.schemas import Diff, JobIn, JobOut, PlanOut
from api.state import Clerk, IfMatch, Public, programme_etag
from api.storage import reading
from api.store import (
    plan_of,
    plan_row,
    plan_rows,
    programme_at,
    programme_row,
    publish,
)
from api.tables import Job, PlanRow
from scheduler.outputs.document import Audience
from scheduler.plan.changes import diff
from scheduler.plan.model import relative_gap

router = APIRouter(tags=["plans"])
Format = Literal["md", "html", "docx"]
MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}
}
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {304: {"description": "not modified"}}


def plan_out(row: PlanRow, current: int | None) -> PlanOut:
    return PlanOut(
        number=row.number,
        programme_version=row.programme_version,
        kind=row.kind,
        based_on=row.based_on,
        status=row.status,
        objective=row.objective,
        bound=row.bound,
        published=row.published,
        current=row.number == current,
        created=row.created,
    )


def job_out(job: Job) -> JobOut:
    gap = None
    if job.objective is not None and job.bound is not None:
        gap = round(relative_gap(job.objective, job.bound), 6)
    done = job.state not in ("queued", "running")
    return JobOut(
        id=job.id,
        programme=job.programme,
        kind=job.kind,
        state=job.state,
        programme_version=job.programme_version,
        against=job.against,
        as_of=job.as_of,
        time_limit=job.time_limit,
        solutions=job.solutions,
        elapsed_seconds=job.elapsed,
        objective=job.objective,
        bound=job.bound,
        gap=gap,
        progress=1.0 if done else min(1.0, round(job.elapsed / job.time_limit, 3)),
        plan=job.plan,
        message=job.message,
        created=job.created,
        finished=job.finished,
    )


@router.post(
    "/programmes/{pid}/jobs",
    status_code=202,
    response_model=JobOut,
    responses=answers(400, 401, 404, 409, 422),
)
def start_job(pid: str, request: JobIn, response: Response, s: Clerk) -> JobOut:
    """Solve the newest programme version, or re-plan it against the published plan (before
    the first publication: against the newest plan found), in the background. Poll the job
    (Location) for progress; when done it names the plan made."""
    job = s.runner.submit(pid, request)
    response.headers["Location"] = f"/jobs/{job.id}"
    return job_out(job)


@router.get("/jobs/{job_id}", response_model=JobOut, responses=answers(401, 404))
def get_job(job_id: str, s: Clerk) -> JobOut:
    """A job's state and progress: solutions found, incumbent objective, bound and gap."""
    job = job_state(s.engine, job_id)
    if job is None:
        raise NotFound(f"no job '{job_id}'")
    return job_out(job)


@router.get("/programmes/{pid}/plans", response_model=list[PlanOut], responses=answers(401, 404))
def list_plans(pid: str, s: Clerk) -> list[PlanOut]:
    """Every plan version, oldest first; `current` marks the published one."""
    with reading(s.engine) as session:
        rows = plan_rows(session, pid)
        current = programme_row(session, pid).published
    return [plan_out(r, current) for r in rows]


@router.get(
    "/programmes/{pid}/plans/{number}",
    responses={200: {"content": {"application/json": {}}}, **answers(401, 404)},
)
def get_plan(pid: str, number: Number, s: Clerk) -> Response:
    """One plan version, exactly as stored (DESIGN §8)."""
    with reading(s.engine) as session:
        row = plan_row(session, pid, number)
    return Response(row.body, media_type="application/json")


@router.get(
    "/programmes/{pid}/plans/{first}/diff/{second}",
    response_model=Diff,
    responses=answers(401, 404),
)
def plan_diff(pid: str, first: Number, second: Number, s: Clerk) -> Diff:
    """What changed from plan `first` to plan `second`: meetings, then items, with who to tell."""
    with reading(s.engine) as session:
        a, b = plan_row(session, pid, first), plan_row(session, pid, second)
        programme = programme_at(session, pid, b.programme_version)
    changes = diff(programme, plan_of(a), plan_of(b))
    return Diff(programme=pid, from_plan=first, to_plan=second, changes=changes)


@router.post(
    "/programmes/{pid}/plans/{number}/publish",
    status_code=201,
    response_model=PlanOut,
    responses=answers(400, 401, 404, 409, 412, 428),
)
def publish_plan(
    pid: str, number: Number, response: Response, s: Clerk, if_match: IfMatch
) -> PlanOut:
    """Publish plan `number` of the newest programme version: a new plan version recording
    when, each meeting's calendar SEQUENCE and what was withdrawn; its feeds go live at once."""
    row, revision = publish(s.engine, pid, number, if_match)
    response.headers["ETag"] = programme_etag(revision)
    response.headers["Location"] = f"/programmes/{pid}/plans/{row.number}"
    return plan_out(row, row.number)


@router.get(
    "/programmes/{pid}/plans/{number}/document",
    responses={**DOCUMENT, **answers(401, 404, 409)},
)
def plan_document(
    pid: str, number: Number, s: Clerk, format: Format = "md", audience: Audience = "clerk"
) -> Response:
    """The work programme of any plan version, for the clerk or as the public will see it."""
    with reading(s.engine) as session:
        row = plan_row(session, pid, number)
        programme = programme_at(session, pid, row.programme_version)
    made = rendered(programme, row, format, audience)
    return Response(made, media_type=MEDIA[format], headers=_named(pid, format))


@router.get(
    "/programmes/{pid}/document", responses={**DOCUMENT, **NOT_MODIFIED, **answers(404, 503)}
)
def public_document(pid: str, request: Request, s: Public, format: Format = "html") -> Response:
    """The published work programme as the public sees it: exempt items withheld. Made once
    for each publication, then answered as stored, with an ETag (304 to If-None-Match)."""
    params = {"pid": pid, "path": public_path(format)}
    found = _stored(request, params, format)
    if found is None:
        store_public_document(s.engine, pid, format)
        found = _stored(request, params, format)
    if found is None:  # published again while it was made: the new one is made next time
        detail = f"programme '{pid}' was published again just now: ask again"
        raise HTTPException(503, detail, headers={"Retry-After": "1"})
    return found


def _stored(request: Request, params: dict[str, str], fmt: Format) -> Response | None:
    return serve_stored(
        request,
        PUBLISHED_FILE,
        params,
        public=True,
        media=MEDIA[fmt],
        headers=_named(params["pid"], fmt),
    )


def _named(pid: str, fmt: Format) -> dict[str, str]:
    """The document's file name, for a browser that saves it."""
    return {"Content-Disposition": f'inline; filename="{pid}.work-programme.{fmt}"'}
