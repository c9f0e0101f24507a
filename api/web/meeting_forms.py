"""The clerk's forms for meetings: add one to a committee (a day, or a month or range of days
not fixed yet), change one (its day, start, venue, status, what a special meeting is for), take
out one never held, and cancel one, after saying what that does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request, Response

from api.errors import NotFound
from api.web import entry_forms as ef
from api.web.fields import MEETING, NEW_MEETING
from api.web.form_values import FormProblem, Shown, changes, revision_of
from api.web.problems import placed
from api.web.session import ClerkForm, EditingPage
from api.web.views import ONE_PAGE
from scheduler.programme.edits import ChangeMeeting, Edit, MoveMeeting, NewMeeting, RemoveMeeting
from scheduler.programme.edits_source import NULL, Changes
from scheduler.programme.words import day_words

router = APIRouter(include_in_schema=False)


def _held(stored: ef.Stored, mid: str) -> tuple[str, str, dict[str, Any]]:
    """The meeting's body id, where it is in the file (`bodies[0].meetings[3]`), and its entry
    as the file has it (a meeting written as its date alone: that date)."""
    held = stored.programme.meetings_by_id.get(mid)
    if held is None:
        raise NotFound(f"no meeting '{mid}' in this programme")
    body, meeting = held
    bodies = stored.entries("bodies")
    at = next(i for i, b in enumerate(bodies) if isinstance(b, dict) and b.get("id") == body.id)
    index = body.meetings.index(meeting)
    raw = (bodies[at].get("meetings") or [])[index]
    return (
        body.id,
        f"bodies[{at}].meetings[{index}]",
        raw if isinstance(raw, dict) else {"date": raw},
    )


def _grid(stored: ef.Stored, mid: str) -> str:
    """The page whose grid shows the meeting: its committee's, in a programme whose page lists
    its committees (`ONE_PAGE`), else the programme's."""
    body, _ = stored.programme.meetings_by_id[mid]
    if len(stored.programme.bodies) > ONE_PAGE:
        return f"/web/programmes/{stored.programme.id}/committees/{body.id}"
    return f"/web/programmes/{stored.programme.id}"


def _from(stored: ef.Stored, mid: str) -> dict[str, str]:
    """The committee whose page a form returns to (the grid's edits read `committee`)."""
    grid = _grid(stored, mid)
    return {"committee": grid.rsplit("/", 1)[1]} if "/committees/" in grid else {}


def _title(stored: ef.Stored, mid: str) -> str:
    body, meeting = stored.programme.meetings_by_id[mid]
    return f"{body.name}, {day_words(meeting)}"


@router.get("/web/programmes/{pid}/meetings/{mid}/edit")
def edit_form(request: Request, pid: str, mid: str, s: EditingPage) -> Response:
    stored = ef.Stored(s, pid)
    _, _, raw = _held(stored, mid)
    return _page(request, stored, mid, ef.values(MEETING, raw))


@router.post("/web/programmes/{pid}/meetings/{mid}/edit")
def save(request: Request, pid: str, mid: str, posted: ClerkForm) -> Response:
    stored = ef.Stored(posted.s, pid)
    _, at, raw = _held(stored, mid)
    entered: Shown = {}
    try:
        new, entered = changes(MEETING, raw, posted.form, ef.options(stored.programme, MEETING))
        edits: list[Edit] = []
        if "date" in new:
            day = new.pop("date")
            if isinstance(day, dt.date):
                edits.append(MoveMeeting(mid, day))  # a day: a move, which keeps its id
            else:
                new["date"] = NULL if day is None else day
        if new:
            edits.append(ChangeMeeting(mid, new))
        if edits:
            ef.save(posted, pid, tuple(edits))
    except ef.REFUSED as err:
        problems = placed(err, at, MEETING, stored.programme)
        shown = ef.values(MEETING, raw) | (entered or ef.kept(err, posted.form))
        return _page(request, stored, mid, shown, err, problems, revision_of(posted.form))
    return ef.done(f"{_grid(stored, mid)}#m-{mid}", "meeting-saved" if edits else "unchanged")


def _page(
    request: Request,
    stored: ef.Stored,
    mid: str,
    shown: Shown,
    err: Exception | None = None,
    problems: dict[str, list[str]] | None = None,
    revision: int | None = None,
) -> Response:
    pid = stored.programme.id
    return ef.form_page(
        request,
        stored,
        heading=f"Change the meeting: {_title(stored, mid)}",
        intro="A new day moves the meeting: it keeps its place in everybody's calendar.",
        action=f"/web/programmes/{pid}/meetings/{mid}/edit",
        sections=ef.sections(MEETING),
        entered=shown,
        back=f"{_grid(stored, mid)}#m-{mid}",
        err=err,
        problems=problems,
        remove=f"/web/programmes/{pid}/meetings/{mid}/remove",
        revision=revision,
    )


@router.get("/web/programmes/{pid}/bodies/{bid}/meetings/new")
def new_form(request: Request, pid: str, bid: str, s: EditingPage) -> Response:
    stored = ef.Stored(s, pid)
    return _new_page(request, stored, bid, ef.values(NEW_MEETING, {}))


@router.post("/web/programmes/{pid}/bodies/{bid}/meetings/new")
def add(request: Request, pid: str, bid: str, posted: ClerkForm) -> Response:
    stored = ef.Stored(posted.s, pid)
    body = _body(stored, bid)
    entered: Shown = {}
    try:
        new, entered = changes(
            NEW_MEETING, {}, posted.form, ef.options(stored.programme, NEW_MEETING)
        )
        if new.get("date") is None and not new.get("id"):
            raise FormProblem("date: give its day, or the month it will be in and a short name")
        if not isinstance(new.get("date"), dt.date) and not new.get("id"):
            raise FormProblem("id: its day is not fixed yet: give it a short name, which it keeps")
        values: Changes = {"date": NULL, **{k: v for k, v in new.items() if v is not None}}
        ef.save(posted, pid, NewMeeting(bid, values))
    except ef.REFUSED as err:
        at = f"bodies[{[b.id for b in stored.programme.bodies].index(bid)}]"
        where = f"{at}.meetings[{len(body.meetings)}]"
        problems = placed(err, where, NEW_MEETING, stored.programme)
        shown = entered or ef.kept(err, posted.form)
        return _new_page(request, stored, bid, shown, err, problems, revision_of(posted.form))
    return ef.done(f"/web/programmes/{pid}/entries#body-{bid}", "meeting-added")


def _body(stored: ef.Stored, bid: str) -> Any:
    body = stored.programme.bodies_by_id.get(bid)
    if body is None:
        raise NotFound(f"no committee '{bid}' in this programme")
    return body


def _new_page(
    request: Request,
    stored: ef.Stored,
    bid: str,
    shown: Shown,
    err: Exception | None = None,
    problems: dict[str, list[str]] | None = None,
    revision: int | None = None,
) -> Response:
    pid = stored.programme.id
    return ef.form_page(
        request,
        stored,
        heading=f"Add a meeting of {_body(stored, bid).name}",
        action=f"/web/programmes/{pid}/bodies/{bid}/meetings/new",
        sections=ef.sections(NEW_MEETING),
        entered=shown,
        back=f"/web/programmes/{pid}/entries#body-{bid}",
        err=err,
        problems=problems,
        revision=revision,
    )


@router.get("/web/programmes/{pid}/meetings/{mid}/remove")
def confirm_remove(request: Request, pid: str, mid: str, s: EditingPage) -> Response:
    return _confirm_remove(request, ef.Stored(s, pid), mid)


def _confirm_remove(
    request: Request, stored: ef.Stored, mid: str, err: Exception | None = None
) -> Response:
    pid = stored.programme.id
    return ef.confirm_page(
        request,
        pid,
        question=f"Take the meeting {_title(stored, mid)} out of the programme?",
        note="Only for a meeting entered by mistake. A meeting that will not be held is "
        "cancelled instead, so that everybody's calendar shows it cancelled.",
        action=f"/web/programmes/{pid}/meetings/{mid}/remove",
        yes="Take the meeting out",
        back=f"/web/programmes/{pid}/meetings/{mid}/edit",
        revision=stored.revision,
        err=err,
        problems=[]
        if err is None
        else [m for ms in placed(err, "", (), stored.programme).values() for m in ms],
    )


@router.post("/web/programmes/{pid}/meetings/{mid}/remove")
def remove(request: Request, pid: str, mid: str, posted: ClerkForm) -> Response:
    stored = ef.Stored(posted.s, pid)
    _held(stored, mid)
    grid = _grid(stored, mid)
    try:
        ef.save(posted, pid, RemoveMeeting(mid))
    except ef.REFUSED as err:
        return _confirm_remove(request, stored, mid, err)
    return ef.done(grid, "meeting-removed")


@router.get("/web/programmes/{pid}/meetings/{mid}/cancel")
def confirm_cancel(request: Request, pid: str, mid: str, s: EditingPage) -> Response:
    """Cancelling is asked once more: it says what will happen. The confirmed form is the
    grid's own edit (`action=cancel`)."""
    stored = ef.Stored(s, pid)
    _held(stored, mid)
    return ef.confirm_page(
        request,
        pid,
        question=f"Cancel the meeting {_title(stored, mid)}?",
        note="At the next re-plan its items go to other meetings; once published, the meeting "
        "shows as cancelled in everybody's calendar. You can restore it until then.",
        action=f"/web/programmes/{pid}/edits",
        yes="Cancel the meeting",
        back=f"{_grid(stored, mid)}#m-{mid}",
        revision=stored.revision,
        hidden={"action": "cancel", "meeting": mid} | _from(stored, mid),
    )
