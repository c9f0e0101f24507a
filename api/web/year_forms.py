"""The clerk's forms for a programme as a whole: a new one from nothing, the year's settings and
deadlines, and next year's programme started from this one (bodies, people, events and the
items that come every year carried; dates cleared: `scheduler.programme.next_year`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from api.errors import ApiError
from api.store import create_programme
from api.web import entry_forms as ef
from api.web.fields import DEADLINES, SETTINGS, Field
from api.web.form_values import FormProblem, Refused, Shown, changes, posted, revision_of, value
from api.web.problems import WHOLE, placed
from api.web.render import render
from api.web.session import ClerkForm, EditingPage
from scheduler.errors import InputError
from scheduler.programme.edits import ChangeSettings
from scheduler.programme.edits_source import Changes
from scheduler.programme.edits_yaml import yaml_value
from scheduler.programme.model import Programme
from scheduler.programme.next_year import next_year, one_year_on

router = APIRouter(include_in_schema=False)
#: A new programme's or next year's: its id, title and year.
NEW: tuple[Field, ...] = (
    Field(
        "id", "Short name", "id", "Letters, digits and hyphens: bromley-ecf-2018-19.", required=True
    ),
    Field("council", "Council", "text", "London Borough of Bromley", required=True),
    Field(
        "title", "Title", "text", "Education Select Committee Work Programme 2018/19", required=True
    ),
    Field(
        "year",
        "The year, from and to",
        "range",
        "From one Annual Council to the next.",
        required=True,
    ),
)
NEXT = tuple(f for f in NEW if f.key != "council")
#: A new programme's form has no choices from a programme.
BARE: dict[str, Any] = {"options": {}, "after": [], "long_list": 0}
YEARS = re.compile(r"(\d{4})([/-])(\d{2})\b|\b(\d{4})\b")


@router.get("/web/programmes/{pid}/settings")
def settings_form(request: Request, pid: str, s: EditingPage) -> Response:
    stored = ef.Stored(s, pid)
    return _settings(request, stored, _settings_values(stored))


def _settings_values(stored: ef.Stored) -> Shown:
    deadlines = stored.data.get("deadlines")
    return ef.values(SETTINGS, stored.data) | ef.values(
        DEADLINES, deadlines if isinstance(deadlines, dict) else {}
    )


def _settings(
    request: Request,
    stored: ef.Stored,
    entered: Shown,
    err: Exception | None = None,
    problems: dict[str, list[str]] | None = None,
    revision: int | None = None,
) -> Response:
    pid = stored.programme.id
    return ef.form_page(
        request,
        stored,
        heading="The year and its deadlines",
        action=f"/web/programmes/{pid}/settings",
        sections=[(SETTINGS, "The year"), (DEADLINES, "Deadlines before each meeting")],
        entered=entered,
        back=f"/web/programmes/{pid}/entries",
        err=err,
        problems=problems,
        revision=revision,
    )


@router.post("/web/programmes/{pid}/settings")
def save_settings(request: Request, pid: str, posted: ClerkForm) -> Response:
    stored = ef.Stored(posted.s, pid)
    raw_deadlines = stored.data.get("deadlines")
    deadlines = raw_deadlines if isinstance(raw_deadlines, dict) else {}
    entered: Shown = {}
    try:
        top, dead, entered = _both(stored.data, deadlines, posted.form)
        if top or dead:
            ef.save(posted, pid, ChangeSettings(top, dead))
    except ef.REFUSED as err:
        shown_now = _settings_values(stored) | (entered or ef.kept(err, posted.form))
        problems = _settings_problems(err, stored.programme)
        return _settings(request, stored, shown_now, err, problems, revision_of(posted.form))
    return ef.done(f"/web/programmes/{pid}/entries", "saved" if top or dead else "unchanged")


def _both(
    data: dict[str, Any], deadlines: dict[str, Any], form: FormData
) -> tuple[Changes, Changes, Shown]:
    """The year's changes and the deadlines', and what the form held; every field that cannot
    be read, of both, at once (`Refused`)."""
    found: list[Changes] = []
    problems: list[str] = []
    entered: Shown = {}
    for fields, raw in ((SETTINGS, data), (DEADLINES, deadlines)):
        try:
            changed, shown = changes(fields, raw, form, {})
        except Refused as err:
            problems += [str(a) for a in err.args]
            entered |= err.entered
            found.append({})
        else:
            entered |= shown
            found.append(changed)
    if problems:
        raise Refused(entered, *problems)
    return found[0], found[1], entered


def _settings_problems(err: Exception, programme: Programme) -> dict[str, list[str]]:
    """Problems beside the year's fields and the deadlines' (`deadlines.agenda_clear_days`);
    above the form only what is beside neither."""
    year = placed(err, "", SETTINGS, programme)
    deadlines = placed(err, "deadlines", DEADLINES, programme)
    elsewhere = deadlines.pop(WHOLE, [])
    whole = [m for m in year.pop(WHOLE, []) if m in elsewhere]
    return year | deadlines | ({WHOLE: whole} if whole else {})


def _bumped(text: str) -> str:
    """`2017/18` as `2018/19`, `2017` as `2018`: next year's words for this year's."""

    def bump(m: re.Match[str]) -> str:
        if m[1]:
            return f"{int(m[1]) + 1}{m[2]}{(int(m[3]) + 1) % 100:02d}"
        return str(int(m[4]) + 1)

    return YEARS.sub(bump, text)


@router.get("/web/programmes/{pid}/next-year")
def next_year_form(request: Request, pid: str, s: EditingPage) -> Response:
    stored = ef.Stored(s, pid)
    year = stored.programme.year
    preset: dict[str, object] = {"id": _bumped(pid), "title": _bumped(stored.programme.title)}
    if year.start and year.end:
        preset["year"] = f"{one_year_on(year.start)}..{one_year_on(year.end)}"
    return _next(request, stored, ef.values(NEXT, preset))


def _next(
    request: Request,
    stored: ef.Stored,
    entered: Shown,
    err: Exception | None = None,
    problems: dict[str, list[str]] | None = None,
) -> Response:
    p = stored.programme
    return ef.form_page(
        request,
        stored,
        heading=f"Start next year's programme from {p.title}",
        intro="Carried over: the settings, the people, the committees (without meetings), the "
        "events (dates cleared) and the items that come every year (standing items, regular "
        "reports, directors' scrutiny) with those deferred to next year. This programme stays "
        "as it is.",
        action=f"/web/programmes/{p.id}/next-year",
        sections=[(NEXT, "")],
        entered=entered,
        back=f"/web/programmes/{p.id}/entries",
        err=err,
        problems=problems,
    )


@router.post("/web/programmes/{pid}/next-year")
def start_next_year(request: Request, pid: str, posted: ClerkForm) -> Response:
    stored = ef.Stored(posted.s, pid)
    entered = {k: v for f in NEXT for k, v in _posted(f, posted).items()}
    try:
        new = _read(NEXT, entered)
        start, _, end = str(new["year"]).partition("..")
        if not start or not end:
            raise FormProblem("year: give the first and the last day")
        text = next_year(
            stored.data,
            pid=str(new["id"]),
            title=str(new["title"]),
            year=(dt.date.fromisoformat(start), dt.date.fromisoformat(end)),
            made_from=stored.programme.title,
        )
        row = create_programme(posted.s.engine, text, "yaml", posted.s.by)
    except (InputError, ApiError, FormProblem) as err:
        return _next(request, stored, entered, err, placed(err, "", NEXT, stored.programme))
    return ef.done(f"/web/programmes/{row.id}/entries", "programme-made")


@router.get("/web/new-programme")
def new_programme_form(request: Request, s: EditingPage) -> Response:
    return render(
        request, "new_programme.html", fields=NEW, entered={}, problems={}, whole=[], **BARE
    )


@router.post("/web/new-programme")
def new_programme(request: Request, posted: ClerkForm) -> Response:
    """A programme from nothing: its id, council, title and year; the rest is added in forms."""
    entered = {k: v for f in NEW for k, v in _posted(f, posted).items()}
    try:
        new = _read(NEW, entered)
        lines = [f"{k}: {yaml_value(str(new[k]))}" for k in ("id", "council", "title", "year")]
        text = (
            "# Made on the clerk's page: every key is described in docs/programme-file.md.\n"
            + "\n".join(lines)
            + "\npeople: []\nbodies: []\nitems: []\nevents: []\n"
        )
        row = create_programme(posted.s.engine, text, "yaml", posted.s.by)
    except (InputError, ApiError, FormProblem) as err:
        problems = placed(err, "", NEW)
        return render(
            request,
            "new_programme.html",
            ef.answer(err),
            fields=NEW,
            entered=entered,
            problems=problems,
            whole=problems.get(WHOLE, []),
            **BARE,
        )
    return RedirectResponse(f"/web/programmes/{row.id}/entries?done=programme-made", 303)


def _posted(field: Field, sent: ClerkForm) -> Shown:
    return posted(field, sent.form, [])


def _read(fields: tuple[Field, ...], entered: Shown) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in fields:
        found = value(f, entered, [])
        if found is None and f.required:
            raise FormProblem(f"{f.key}: required")
        out[f.key] = found
    return out
