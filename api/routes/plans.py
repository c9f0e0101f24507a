"""Plan versions: solve and re-plan jobs, the immutable versions, differences, publishing and
the work-programme document."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import Field
from starlette.exceptions import HTTPException

from api.documents import public_path, rendered, store_public_document
from api.errors import Conflict, Invalid, NotFound, UnsupportedMedia
from api.job_progress import share_done
from api.jobs import ask_stop, job_state
from api.routes.common import UPLOAD_TYPES, Number, answers, media_type
from api.routes.stored import PUBLISHED_FILE, serve_stored
from api.schemas import Diff, JobIn, JobOut, PlanOut
from api.state import Editor, IfMatch, Public, Reader, State, allowed_to_edit, programme_etag
from api.storage import reading
from api.store import (
    edit_programme,
    plan_of,
    plan_row,
    plan_rows,
    programme_at,
    programme_row,
    publish,
)
from api.tables import Job, PlanRow
from scheduler.errors import InputError
from scheduler.outputs.document import Audience
from scheduler.plan.changes import diff
from scheduler.plan.model import Plan, relative_gap
from scheduler.plan.suggestions import Option
from scheduler.programme.edits import Pin
from scheduler.programme.edits_source import EditError
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.suggest import suggest

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
        complete=row.complete,
        objective=row.objective,
        bound=row.bound,
        published=row.published,
        current=row.number == current,
        created=row.created,
        stopped=row.stopped,
    )


def job_out(job: Job) -> JobOut:
    gap = None
    if job.objective is not None and job.bound is not None:
        gap = round(relative_gap(job.objective, job.bound), 6)
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
        progress=share_done(job),
        plan=job.plan,
        complete=job.complete,
        message=job.message,
        attempt=job.attempt,
        created=job.created,
        finished=job.finished,
    )


@router.post(
    "/programmes/{pid}/jobs",
    status_code=202,
    response_model=JobOut,
    responses=answers(400, 401, 404, 409, 422),
)
def start_job(pid: str, request: JobIn, response: Response, s: Editor) -> JobOut:
    """Solve the newest programme version, or re-plan it against the published plan (before
    the first publication: against the newest plan found), in the background. Poll the job
    (Location) for progress; when done it names the plan made."""
    job = s.runner.submit(pid, request, s.by)
    response.headers["Location"] = f"/jobs/{job.id}"
    return job_out(job)


@router.get("/jobs/{job_id}", response_model=JobOut, responses=answers(401, 404))
def get_job(job_id: str, s: Reader) -> JobOut:
    """A job's state and progress: solutions found, incumbent objective, bound and gap."""
    job = job_state(s.engine, job_id)
    if job is None:
        raise NotFound(f"no job '{job_id}'")
    return job_out(job)


@router.post(
    "/jobs/{job_id}/stop",
    status_code=202,
    response_model=JobOut,
    responses=answers(401, 403, 404),
)
def stop_job(job_id: str, s: Reader) -> JobOut:
    """Stop a queued or running job, for a clerk its programme is given to (or an admin): a
    running one stops within a second or so and keeps the best plan found by then (marked
    `stopped`, checked like any other); a queued one never starts. Poll the job for its end."""
    found = job_state(s.engine, job_id)
    if found is None:
        raise NotFound(f"no job '{job_id}'")
    allowed_to_edit(s, s.by, found.programme)
    stopped = ask_stop(s.engine, job_id, s.by)
    assert stopped is not None  # jobs are never deleted
    return job_out(stopped)


@router.get("/programmes/{pid}/plans", response_model=list[PlanOut], responses=answers(401, 404))
def list_plans(pid: str, s: Reader) -> list[PlanOut]:
    """Every plan version, oldest first; `current` marks the published one."""
    with reading(s.engine) as session:
        rows = plan_rows(session, pid)
        current = programme_row(session, pid).published
    return [plan_out(r, current) for r in rows]


@router.get(
    "/programmes/{pid}/plans/{number}",
    responses={200: {"content": {"application/json": {}}}, **answers(401, 404)},
)
def get_plan(pid: str, number: Number, s: Reader) -> Response:
    """One plan version, exactly as stored (DESIGN §8)."""
    with reading(s.engine) as session:
        row = plan_row(session, pid, number)
    return Response(row.body, media_type="application/json")


@router.get(
    "/programmes/{pid}/plans/{first}/diff/{second}",
    response_model=Diff,
    responses=answers(401, 404),
)
def plan_diff(pid: str, first: Number, second: Number, s: Reader) -> Diff:
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
    pid: str, number: Number, request: Request, response: Response, s: Editor, if_match: IfMatch
) -> PlanOut:
    """Publish plan `number` of the newest programme version: a new plan version recording
    when, each meeting's calendar SEQUENCE and what was withdrawn; its feeds go live at once."""
    row, revision = publish(
        s.engine,
        pid,
        number,
        if_match,
        by=s.by,
        refresh=s.settings.feed_refresh,
        site=s.settings.public_url,
    )
    response.headers["ETag"] = programme_etag(revision)
    response.headers["Location"] = f"/programmes/{pid}/plans/{row.number}"
    return plan_out(row, row.number)


@router.get(
    "/programmes/{pid}/plans/{number}/document",
    responses={**DOCUMENT, **answers(401, 404, 409)},
)
def plan_document(
    pid: str, number: Number, s: Reader, format: Format = "md", audience: Audience = "clerk"
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


#: A suggestion is answered while the clerk waits: each meeting's re-plan gets this many
#: seconds, every stage together (a body's model proves in milliseconds; `proven` says so).
SUGGEST_OPTIONS = SolveOptions(time_limit=2.0)
#: The OpenAPI body of a new item: the text of one entry of `items:`, YAML or JSON.
ITEM_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}
ItemId = Annotated[str, Query(min_length=1, max_length=200, description="the item's id")]


@router.get(
    "/programmes/{pid}/plans/{number}/suggest",
    response_model=list[Option],
    responses=answers(401, 404, 409),
)
def suggest_places(pid: str, number: Number, item: ItemId, s: Reader) -> list[Option]:
    """Where could this item go? Every meeting of its body, best first: what putting it there
    would cost against plan `number` (items moved or left out, days outside `prefer`, people
    to tell), or why it cannot go. For the newest programme version; 404 for an unknown item,
    422 for one a pin cannot place (standing, recurring, rotation, several meetings). Choose
    one with POST /programmes/{pid}/choose."""
    programme, plan = programme_and_plan(s, pid, number)
    if item not in programme.items_by_id:
        raise NotFound(f"programme '{pid}' has no item '{item}'")
    return suggested(programme, plan, item, None, number)


@router.post(
    "/programmes/{pid}/plans/{number}/suggest",
    response_model=list[Option],
    responses=answers(401, 404, 409, 413, 415),
    openapi_extra=ITEM_BODY,
)
async def suggest_new_item(pid: str, number: Number, request: Request, s: Reader) -> list[Option]:
    """Where could a new item go? The body is the text of its entry (YAML or JSON), checked as
    an entry of the file's `items:` is (422 with every problem located in it); the answer is
    as for an item of the programme. Nothing is stored: add the item to the file to keep it."""
    fmt = UPLOAD_TYPES.get(media_type(request))
    if fmt is None:
        raise UnsupportedMedia("send the new item as application/yaml or application/json")
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("the new item is not UTF-8 text") from None
    programme, plan = await run_in_threadpool(programme_and_plan, s, pid, number)
    return await run_in_threadpool(suggested, programme, plan, None, (text, fmt), number)


class Choice(JobIn):
    """A meeting chosen for an item: it is pinned there, then re-planned (the job's fields)."""

    kind: Literal["replan"] = "replan"
    item: str = Field(min_length=1, max_length=200)
    meeting: str = Field(min_length=1, max_length=200)


@router.post(
    "/programmes/{pid}/choose",
    status_code=202,
    response_model=JobOut,
    responses=answers(400, 401, 404, 409, 412, 428),
)
def choose(pid: str, choice: Choice, response: Response, s: Editor, if_match: IfMatch) -> JobOut:
    """Choose a meeting for an item: pin it there (a new programme version, If-Match as for any
    edit) and start a re-plan job against the plan re-plans start from (the published one;
    before the first publication, the newest). Poll the job (Location) for its plan."""
    with reading(s.engine) as session:
        programme = programme_at(session, pid)
    item = programme.items_by_id.get(choice.item)
    if item is None:
        raise NotFound(f"programme '{pid}' has no item '{choice.item}'")
    _require_meeting(programme, item.body, choice.meeting)
    try:
        row = edit_programme(s.engine, pid, Pin(choice.item, choice.meeting), if_match, s.by)
    except EditError as err:
        raise Invalid(str(err)) from None
    response.headers["ETag"] = programme_etag(row.revision)
    try:
        job = s.runner.submit(pid, choice, s.by)
    except Conflict as err:
        raise Conflict(
            f"'{choice.item}' is pinned to '{choice.meeting}' (programme version {row.version}), "
            f"but no re-plan started: {err.detail}"
        ) from None
    response.headers["Location"] = f"/jobs/{job.id}"
    return job_out(job)


def programme_and_plan(s: State, pid: str, number: int) -> tuple[Programme, Plan]:
    """The newest programme version (the one a pin edits) and plan `number`."""
    with reading(s.engine) as session:
        row = plan_row(session, pid, number)
        return programme_at(session, pid), plan_of(row)


def suggested(
    programme: Programme, plan: Plan, item: str | None, new: tuple[str, str] | None, number: int
) -> list[Option]:
    """The library's options; what it refuses is 422, every problem located (a new item's in
    its own text, `new-item.yaml`)."""
    text, fmt = new or (None, "yaml")
    names = ("item", f"new-item.{fmt}", f"plan {number}")
    try:
        return suggest(programme, plan, item, options=SUGGEST_OPTIONS, new_item=text, names=names)
    except InputError as err:
        raise Invalid(str(err).splitlines()[0], err.problems) from None


def _require_meeting(programme: Programme, body: str, meeting: str) -> None:
    found = programme.meetings_by_id.get(meeting)
    if found is None or found[0].id != body:
        raise Invalid(f"'{meeting}' is not a meeting of the item's body '{body}'")
