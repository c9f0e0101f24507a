"""The clerk's changes from the web page: upload, solve and re-plan, pin, move, cancel or add a
meeting, choose where an item goes, edit the file, publish; and asking where a new item could
go (its text is posted, nothing is stored). Feed addresses are `api.web.feed_links`'.

Each is the service's own operation (`api.store`, the job runner): the same checks, the same
located messages. A refused change shows the page again with its errors beside the form and the
values entered kept (nothing typed is lost); a done one redirects (POST, then GET). The routes
are plain functions: FastAPI runs them on its thread pool, never on the event loop.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api.errors import ApiError, request_problems
from api.routes.common import MAX_UPLOAD
from api.routes.plans import Choice, choose
from api.schemas import JobIn
from api.store import create_programme, edit_programme, publish, replace_source
from api.web.form_values import FormProblem, hidden_number, revision_of, short_name
from api.web.pages import show_programme, show_where
from api.web.render import render
from api.web.session import ClerkForm, ReadingForm
from api.web.views import all_programmes, fresh_solve
from api.web.where import where_page
from scheduler.errors import InputError
from scheduler.programme.edits import (
    AddMeeting,
    CancelMeeting,
    Edit,
    MoveMeeting,
    Pin,
    RestoreMeeting,
    Unpin,
)
from scheduler.programme.edits_source import EditError

router = APIRouter(include_in_schema=False)
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


REFUSED = (InputError, ApiError, ValidationError, EditError, FormProblem)


def _messages(err: Exception) -> tuple[int, list[str]]:
    """What went wrong, as the API says it: (status, one located message per problem)."""
    if isinstance(err, InputError):
        return 422, [str(p) for p in err.problems]
    if isinstance(err, ApiError):
        return err.status, [str(p) for p in err.problems] or [err.detail]
    if isinstance(err, ValidationError):
        return 422, [str(p).removeprefix("request: ") for p in request_problems(err.errors())]
    return 422, [str(err)]


def _refused(request: Request, pid: str, form: FormData, name: str, err: Exception) -> Response:
    status, messages = _messages(err)
    values = {name: {k: v for k, v in form.items() if isinstance(v, str) and k != "form_key"}}
    shown = hidden_number(form.get("plan"))
    return show_programme(
        request, pid, shown, status, _committee(form), errors={name: messages}, values=values
    )


def _committee(form: FormData) -> str | None:
    """The committee whose page the form was sent from (None: the whole programme's)."""
    found = form.get("committee")
    return found if isinstance(found, str) and short_name(found) else None


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise FormProblem(f"{name}: required")
    return text


def _date(form: FormData, name: str) -> dt.date:
    text = _field(form, name)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FormProblem(f"{name}: '{text}' is not a date (YYYY-MM-DD)") from None


def _clock(form: FormData, name: str) -> str | None:
    text = _optional(form, name)
    if text and not CLOCK.match(text):
        raise FormProblem(f"{name}: '{text}' is not a time of day (HH:MM)")
    return text


def _optional(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


#: Each edit the page offers: how to read it from its form.
EDITS: dict[str, Callable[[FormData], Edit]] = {
    "pin": lambda f: Pin(_field(f, "item"), _field(f, "meeting")),
    "unpin": lambda f: Unpin(_field(f, "item")),
    "move": lambda f: MoveMeeting(_field(f, "meeting"), _date(f, "date"), _clock(f, "start")),
    "cancel": lambda f: CancelMeeting(_field(f, "meeting")),
    "restore": lambda f: RestoreMeeting(_field(f, "meeting")),
    "add": lambda f: AddMeeting(
        _field(f, "body"), _date(f, "date"), _clock(f, "start"), _optional(f, "venue")
    ),
}
#: What the page says when each is done (`?done=`).
DONE = {
    "pin": "pinned",
    "unpin": "unpinned",
    "move": "moved",
    "cancel": "cancelled",
    "restore": "restored",
    "add": "added",
}
MEETING_EDITS = ("move", "cancel", "restore")


def form_name(form: FormData) -> str:
    """Which form on the page was sent (its errors are shown beside it)."""
    action = str(form.get("action", ""))
    if action in MEETING_EDITS:
        return f"{action}:{form.get('meeting')}"
    return f"add:{form.get('body')}" if action == "add" else action


@router.post("/web/programmes/{pid}/edits")
def edit(request: Request, pid: str, posted: ClerkForm) -> Response:
    """Pin or unpin an item; move, cancel, restore or add a meeting: a new programme version."""
    form = posted.form
    name = form_name(form)
    try:
        make = EDITS.get(str(form.get("action", "")))
        if make is None:
            raise FormProblem(f"action: '{form.get('action', '')}' is not an edit this page makes")
        edit_programme(posted.s.engine, pid, make(form), revision_of(form), posted.s.by)
    except REFUSED as err:
        return _refused(request, pid, form, name, err)
    return _back(pid, form, DONE[name.split(":")[0]])


def _back(pid: str, form: FormData, done: str) -> Response:
    """Back to the page the form was on (a committee's, or the programme's), saying what was
    done."""
    shown = hidden_number(form.get("plan"))
    committee = _committee(form)
    page = f"/web/programmes/{pid}" + (f"/committees/{committee}" if committee else "")
    return RedirectResponse(
        f"{page}?done={done}" + (f"&plan={shown}" if shown else ""), status_code=303
    )


@router.post("/web/programmes/{pid}/jobs")
def start_job(request: Request, pid: str, posted: ClerkForm) -> Response:
    """Solve, or re-plan moving the least; the job page follows it to its plan. Solving from
    scratch once a plan is published is first confirmed, on a page saying how many of its
    placements it may move."""
    form = posted.form
    kind = "replan" if form.get("kind") == "replan" else "solve"
    try:
        wanted: dict[str, Any] = {"kind": kind}
        limit = _optional(form, "time_limit")
        if limit is not None:
            try:
                wanted["time_limit"] = float(limit)
            except ValueError:
                raise FormProblem(f"time_limit: '{limit}' is not a number of seconds") from None
        as_of = _optional(form, "as_of")
        if as_of is not None:
            wanted["as_of"] = as_of
        job_in = JobIn.model_validate(wanted)
        at_stake = fresh_solve(posted.s, pid) if kind == "solve" else None
        if at_stake is not None and form.get("confirmed") != "yes":
            shown = hidden_number(form.get("plan"))
            return render(request, "solve.html", at=at_stake, job=job_in, plan=shown)
        job = posted.s.runner.submit(pid, job_in, posted.s.by)
    except REFUSED as err:
        return _refused(request, pid, form, kind, err)
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.post("/web/programmes/{pid}/publish")
def publish_plan(request: Request, pid: str, posted: ClerkForm) -> Response:
    """Publish the plan shown: a new immutable version; its feeds go live."""
    form = posted.form
    try:
        number = hidden_number(form.get("plan"))
        if number is None:
            raise FormProblem("plan: no plan to publish")
        # Only the configured address: what a request's Host says is not written into feeds.
        site, refresh = posted.s.settings.public_url, posted.s.settings.feed_refresh
        row, _ = publish(
            posted.s.engine,
            pid,
            number,
            revision_of(form),
            by=posted.s.by,
            refresh=refresh,
            site=site,
        )
    except REFUSED as err:
        return _refused(request, pid, form, "publish", err)
    return RedirectResponse(f"/web/programmes/{pid}?plan={row.number}&done=published", 303)


@router.post("/web/programmes/{pid}/source")
def edit_source(request: Request, pid: str, posted: ClerkForm) -> Response:
    """The whole file edited: a new version, or the errors with the text as typed. The form
    keeps the revision it was made from: saving again after somebody else's edit is refused
    again, until the clerk reloads."""
    form = posted.form
    text = str(form.get("text", "")).replace("\r\n", "\n")
    fmt = "json" if str(form.get("format")) == "json" else "yaml"
    revision = revision_of(form)
    try:
        replace_source(posted.s.engine, pid, text, fmt, revision, posted.s.by)
    except REFUSED as err:
        status, messages = _messages(err)
        return render(
            request,
            "source.html",
            status,
            pid=pid,
            revision=revision,
            text=text,
            errors={"source": messages},
        )
    return RedirectResponse(f"/web/programmes/{pid}?done=saved", status_code=303)


@router.post("/web/programmes")
def upload(request: Request, posted: ClerkForm) -> Response:
    """A new programme, from a file chosen or text pasted."""
    form = posted.form
    chosen = form.get("file")
    text = str(form.get("text", "")).replace("\r\n", "\n")
    try:
        name = ""
        if isinstance(chosen, UploadFile) and chosen.filename:
            name = chosen.filename
            data = chosen.file.read(MAX_UPLOAD + 1)
            if len(data) > MAX_UPLOAD:
                raise FormProblem(f"file: over {MAX_UPLOAD // 1024 // 1024} MiB")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise FormProblem(f"file: {name} is not UTF-8 text") from None
        if not text.strip():
            raise FormProblem("file: choose a programme file (YAML or JSON, UTF-8) or paste one")
        json = name.lower().endswith(".json") or text.lstrip().startswith("{")
        row = create_programme(posted.s.engine, text, "json" if json else "yaml", posted.s.by)
    except REFUSED as err:
        status, messages = _messages(err)
        return render(
            request,
            "home.html",
            status,
            programmes=all_programmes(posted.s),
            errors={"upload": messages},
            values={"upload": {"text": text}},
        )
    return RedirectResponse(f"/web/programmes/{row.id}", status_code=303)


@router.post("/web/programmes/{pid}/where")
def where_new_item(request: Request, pid: str, posted: ReadingForm) -> Response:
    """Where could a new item go? Its entry (YAML) is checked as the file's items are: a bad
    one shows every problem located in the text (`new-item.yaml:3: ...`), the text kept."""
    text = str(posted.form.get("text", "")).replace("\r\n", "\n")
    try:
        if not text.strip():
            raise FormProblem("text: write the new item's entry, as under items: in the file")
        page = where_page(posted.s, pid, None, text)
    except REFUSED as err:
        status, messages = _messages(err)
        errors = {"new-item": messages}
        return render(request, "where.html", status, pid=pid, page=None, text=text, errors=errors)
    return render(request, "where.html", pid=pid, page=page, text=text)


@router.post("/web/programmes/{pid}/choose")
def choose_meeting(request: Request, pid: str, posted: ClerkForm) -> Response:
    """Put the item at the meeting chosen, as the API's `choose` does: pinned there (a new
    programme version), then a re-plan from the plan re-plans start from; the job page follows
    it to its plan. Refused (somebody else changed the programme, a job already running): the
    options again, as they are now, with why."""
    form = posted.form
    try:
        wanted = Choice.model_validate(
            {"item": _field(form, "item"), "meeting": _field(form, "meeting")}
        )
        job = choose(pid, wanted, Response(), posted.s, revision_of(form))
    except REFUSED as err:
        status, messages = _messages(err)
        item = str(form.get("item", ""))
        return show_where(request, pid, item, status, errors={"choose": messages})
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)
