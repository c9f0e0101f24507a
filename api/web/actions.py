"""The clerk's changes from the web page: upload, solve and re-plan, pin, move, cancel or add a
meeting, edit the file, publish, and feed addresses.

Each is the service's own operation (`api.store`, the job runner): the same checks, the same
located messages. A refused change shows the page again with its errors beside the form and the
values entered kept (nothing typed is lost); a done one redirects (POST, then GET).
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

from api.errors import ApiError
from api.schemas import JobIn
from api.state import State
from api.storage import reading
from api.store import (
    create_programme,
    make_feed_token,
    private_url,
    programme_at,
    programme_row,
    programme_version,
    publish,
    replace_source,
    revoke_feed_token,
)
from api.tables import ProgrammeRow
from api.web.pages import show_programme
from api.web.render import base_url, render
from api.web.session import ClerkForm
from api.web.views import Link, all_programmes
from scheduler.edits import (
    AddMeeting,
    CancelMeeting,
    Edit,
    EditError,
    Format,
    MoveMeeting,
    Pin,
    RestoreMeeting,
    Unpin,
    apply_edit,
)
from scheduler.errors import InputError

router = APIRouter(include_in_schema=False)
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class FormProblem(Exception):
    """A form field that cannot be read: '<field>: <what is wrong>'."""


def _messages(err: Exception) -> tuple[int, list[str]]:
    """What went wrong, as the API says it: (status, one located message per problem)."""
    if isinstance(err, InputError):
        return 422, [str(p) for p in err.problems]
    if isinstance(err, ApiError):
        return err.status, [str(p) for p in err.problems] or [err.detail]
    if isinstance(err, ValidationError):
        return 422, [
            f"{'.'.join(str(step) for step in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in err.errors()
        ]
    return 422, [str(err)]


REFUSED = (InputError, ApiError, ValidationError, EditError, FormProblem)


def _refused(request: Request, pid: str, form: FormData, name: str, err: Exception) -> Response:
    status, messages = _messages(err)
    values = {name: {k: v for k, v in form.items() if isinstance(v, str) and k != "form_key"}}
    shown = _number(form.get("plan"))
    return show_programme(request, pid, shown, status, errors={name: messages}, values=values)


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def _revision(form: FormData) -> int | None:
    """The programme revision the page was made from (the API's If-Match)."""
    return _number(form.get("revision"))


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
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if text and not CLOCK.match(text):
        raise FormProblem(f"{name}: '{text}' is not a time of day (HH:MM)")
    return text or None


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


DONE = {
    "pin": "pinned",
    "unpin": "unpinned",
    "move": "moved",
    "cancel": "cancelled",
    "restore": "restored",
    "add": "added",
}


def form_name(form: FormData) -> str:
    """Which form on the page was sent (its errors are shown beside it)."""
    action = str(form.get("action", ""))
    target = form.get("meeting") if action in ("move", "cancel", "restore") else form.get("body")
    return f"{action}:{target}" if action in ("move", "cancel", "restore", "add") else action


@router.post("/web/programmes/{pid}/edits")
async def edit(request: Request, pid: str, s: ClerkForm) -> Response:
    """Pin or unpin an item; move, cancel, restore or add a meeting: a new programme version."""
    form = await request.form()
    name = form_name(form)
    try:
        make = EDITS.get(str(form.get("action", "")))
        if make is None:
            raise FormProblem(f"action: '{form.get('action', '')}' is not an edit this page makes")
        change = make(form)
        with reading(s.engine) as session:
            stored = programme_version(session, pid)
            text = stored.source
            fmt: Format = "json" if stored.format == "json" else "yaml"
        replace_source(s.engine, pid, apply_edit(text, fmt, change), fmt, _revision(form))
    except REFUSED as err:
        return _refused(request, pid, form, name, err)
    return _back(pid, form, DONE[name.split(":")[0]])


def _back(pid: str, form: FormData, done: str) -> Response:
    shown = _number(form.get("plan"))
    where = f"/web/programmes/{pid}?done={done}" + (f"&plan={shown}" if shown else "")
    return RedirectResponse(where, status_code=303)


@router.post("/web/programmes/{pid}/jobs")
async def start_job(request: Request, pid: str, s: ClerkForm) -> Response:
    """Solve, or re-plan moving the least; the job page follows it to its plan."""
    form = await request.form()
    kind = str(form.get("kind", "solve"))
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
        job = s.runner.submit(pid, JobIn.model_validate(wanted))
    except REFUSED as err:
        return _refused(request, pid, form, kind, err)
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.post("/web/programmes/{pid}/publish")
async def publish_plan(request: Request, pid: str, s: ClerkForm) -> Response:
    """Publish the plan shown: a new immutable version; its feeds go live."""
    form = await request.form()
    try:
        number = _number(form.get("plan"))
        if number is None:
            raise FormProblem("plan: no plan to publish")
        row, _ = publish(s.engine, pid, number, _revision(form))
    except REFUSED as err:
        return _refused(request, pid, form, "publish", err)
    return RedirectResponse(f"/web/programmes/{pid}?plan={row.number}&done=published", 303)


@router.post("/web/programmes/{pid}/source")
async def edit_source(request: Request, pid: str, s: ClerkForm) -> Response:
    """The whole file edited: a new version, or the errors with the text as typed."""
    form = await request.form()
    text = str(form.get("text", "")).replace("\r\n", "\n")
    fmt = "json" if str(form.get("format")) == "json" else "yaml"
    try:
        replace_source(s.engine, pid, text, fmt, _revision(form))
    except REFUSED as err:
        status, messages = _messages(err)
        row = _row(s, pid)
        return render(
            request, "source.html", status, row=row, text=text, errors={"source": messages}
        )
    return RedirectResponse(f"/web/programmes/{pid}?done=saved", status_code=303)


def _row(s: State, pid: str) -> ProgrammeRow:
    with reading(s.engine) as session:
        return programme_row(session, pid)


@router.post("/web/programmes")
async def upload(request: Request, s: ClerkForm) -> Response:
    """A new programme, from a file chosen or text pasted."""
    form = await request.form()
    chosen = form.get("file")
    text = str(form.get("text", "")).replace("\r\n", "\n")
    name = ""
    if isinstance(chosen, UploadFile) and chosen.filename:
        name = chosen.filename
        try:
            text = (await chosen.read()).decode("utf-8")
        except UnicodeDecodeError:
            text = ""
    fmt = "json" if name.lower().endswith(".json") or text.lstrip().startswith("{") else "yaml"
    try:
        if not text.strip():
            raise FormProblem("file: choose a programme file (YAML or JSON, UTF-8) or paste one")
        row = create_programme(s.engine, text, fmt)
    except REFUSED as err:
        status, messages = _messages(err)
        return render(
            request,
            "home.html",
            status,
            programmes=all_programmes(s),
            errors={"upload": messages},
            values={"upload": {"text": text}},
        )
    return RedirectResponse(f"/web/programmes/{row.id}", status_code=303)


@router.post("/web/programmes/{pid}/feed-links")
async def new_feed_link(request: Request, pid: str, s: ClerkForm) -> Response:
    """A secret feed address for a person or the clerk: shown this once, to copy or send."""
    form = await request.form()
    try:
        subject = _field(form, "subject")
        _, token = make_feed_token(s.engine, pid, subject, str(form.get("label", ""))[:200])
    except REFUSED as err:
        return _refused(request, pid, form, "feed", err)
    url = private_url(base_url(request), pid, token)
    made = Link(_subject_name(s, pid, subject), url)
    return show_programme(request, pid, _number(form.get("plan")), 201, made=made)


def _subject_name(s: State, pid: str, subject: str) -> str:
    with reading(s.engine) as session:
        people = programme_at(session, pid).people_by_id
    return people[subject].name if subject in people else "The clerk (every deadline)"


@router.post("/web/programmes/{pid}/feed-links/{number}/revoke")
async def revoke_feed_link(request: Request, pid: str, number: int, s: ClerkForm) -> Response:
    form = await request.form()
    try:
        revoke_feed_token(s.engine, pid, number)
    except REFUSED as err:
        return _refused(request, pid, form, "feed", err)
    return _back(pid, form, "revoked")
