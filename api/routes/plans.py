"""Plan versions: solve and re-plan jobs, the immutable versions, differences, publishing and
the work-programme document."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response

from api.errors import Conflict, NotFound
from api.jobs import job_state
from api.routes.common import Number, answers
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
    published_row,
)
from api.tables import Job, PlanRow
from scheduler.changes import diff
from scheduler.document import Audience
from scheduler.model import Programme
from scheduler.plan import relative_gap
from scheduler.report import RENDERERS

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
    return _document(programme, row, format, audience)


@router.get("/programmes/{pid}/document", responses={**DOCUMENT, **answers(404)})
def public_document(pid: str, s: Public, format: Format = "html") -> Response:
    """The published work programme as the public sees it: exempt items withheld."""
    with reading(s.engine) as session:
        row = published_row(session, pid)
        programme = programme_at(session, pid, row.programme_version)
    return _document(programme, row, format, "public")


def _document(programme: Programme, row: PlanRow, fmt: Format, audience: Audience) -> Response:
    plan = plan_of(row)
    if not plan.status.found:
        raise Conflict(f"plan {row.number} is {plan.status.value}: there is no programme to show")
    rendered = RENDERERS[fmt](programme, plan, audience)
    name = f"{row.programme}.work-programme.{fmt}"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(rendered, media_type=MEDIA[fmt], headers=headers)
