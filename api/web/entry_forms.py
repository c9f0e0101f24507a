"""What every form of the programme's entries shares: the newest version read both as the file's
data and as a programme, each field's choices by name, the form page and its confirmation page,
and saving an edit as a new programme version."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from api.errors import ApiError, NotFound
from api.state import State
from api.storage import reading
from api.store import (
    edit_programme,
    programme_at,
    programme_row,
    programme_version,
    source_data,
)
from api.web.fields import KINDS, NOUNS, Field, hints
from api.web.form_values import FormProblem, Options, Refused, Shown, revision_of, shown
from api.web.problems import WHOLE
from api.web.render import render
from api.web.session import Posted
from scheduler.errors import InputError
from scheduler.programme.edits import Edit
from scheduler.programme.edits_source import EditError
from scheduler.programme.model import Programme
from scheduler.programme.words import day_words

REFUSED = (InputError, ApiError, EditError, FormProblem)
#: A list of choices longer than this is asked for in rows of names typed (with the choices
#: offered as the clerk types), not as a box to tick for each: a council has 400 people.
LONG_LIST = 40


class Stored:
    """The newest version of a programme: its file read as data, and as a programme."""

    def __init__(self, s: State, pid: str) -> None:
        with reading(s.engine) as session:
            version = programme_version(session, pid)
            self.programme: Programme = programme_at(session, pid, version.number)
            self.revision = programme_row(session, pid).revision  # what an edit must name
        self.data = source_data(pid, version.number, version.source, version.format)

    def entries(self, collection: str) -> list[Any]:
        found = self.data.get(collection)
        return found if isinstance(found, list) else []

    def raw(self, collection: str, eid: str) -> dict[str, Any]:
        """The entry of `collection` with id `eid`, as the file has it."""
        for entry in self.entries(collection):
            if isinstance(entry, dict) and entry.get("id") == eid:
                return entry
        raise NotFound(f"no {NOUNS[collection][0]} '{eid}' in this programme")

    def at(self, collection: str, eid: str | None) -> str:
        """Where the entry is in the file, as problems locate it (`items[3]`); a new one's
        place is after the last."""
        ids = [e.get("id") if isinstance(e, dict) else None for e in self.entries(collection)]
        return f"{collection}[{ids.index(eid) if eid in ids else len(ids)}]"


def meeting_options(programme: Programme, body: str | None = None) -> Options:
    """Every meeting (of `body`, if given), in date order, by its body and day in words."""
    meetings = sorted(
        (m.date, m.key, f"{b.name}, {day_words(m)}")
        for b in programme.bodies
        if body is None or b.id == body
        for m in b.meetings
    )
    return [(key, words) for _, key, words in meetings]


def options(
    programme: Programme, fields: tuple[Field, ...], body: str | None = None
) -> dict[str, Options]:
    """Each field's choices: fixed, or the programme's bodies, people, items, events or
    meetings by name; with `body`, only that body's items and meetings (a council has
    thousands)."""
    bodies = programme.bodies_by_id
    sources: dict[str, Callable[[], Options]] = {
        "bodies": lambda: [(b.id, b.name) for b in programme.bodies],
        "people": lambda: [
            (p.id, p.name + (f", {p.role}" if p.role else "")) for p in programme.people
        ],
        "items": lambda: [
            (i.id, f"{i.title} ({bodies[i.body].name if i.body in bodies else i.body})")
            for i in programme.items
            if body is None or i.body == body
        ],
        "events": lambda: [(e.id, e.title) for e in programme.events],
        "meetings": lambda: meeting_options(programme, body),
        "kinds": lambda: list(KINDS),
    }
    made = {s: sources[s]() for s in {f.options for f in fields if isinstance(f.options, str)}}
    return {
        f.key: made[f.options] if isinstance(f.options, str) else list(f.options) for f in fields
    }


def after_options(programme: Programme, body: str | None = None) -> list[tuple[str, Options]]:
    """What an item (of `body`, if known) may have to follow, grouped: items (of its body),
    events, meetings, committees' first meetings."""
    mine = [i for i in programme.items if body is None or i.body == body]
    return [
        ("Items", [(f"item:{i.id}", i.title) for i in mine]),
        ("Events", [(f"event:{e.id}", e.title) for e in programme.events]),
        ("Meetings", [(f"meeting:{k}", w) for k, w in meeting_options(programme, body)]),
        ("A committee's first meeting", [(f"body:{b.id}", b.name) for b in programme.bodies]),
    ]


def values(fields: tuple[Field, ...], raw: Mapping[str, Any]) -> Shown:
    """What the form's inputs show for an entry as the file has it."""
    out: Shown = {}
    for f in fields:
        out |= shown(f, raw.get(f.key))
    return out


def form_page(
    request: Request,
    stored: Stored,
    *,
    heading: str,
    action: str,
    sections: list[tuple[tuple[Field, ...], str]],
    entered: Shown,
    back: str,
    err: Exception | None = None,
    problems: Mapping[str, list[str]] | None = None,
    remove: str | None = None,
    revision: int | None = None,
    intro: str = "",
    body: str | None = None,
) -> Response:
    """A form of fields in sections (each its fields and a heading), filled with `entered`,
    each problem beside its field (after `err`, which says its status); `body`: the body whose
    items and meetings it offers."""
    p = stored.programme
    every = tuple(f for fields, _ in sections for f in fields)
    return render(
        request,
        "entry.html",
        answer(err),
        pid=p.id,
        programme=p,
        heading=heading,
        intro=intro,
        action=action,
        sections=sections,
        entered=entered,
        options=options(p, every, body),
        after=after_options(p, body),
        problems=dict(problems or {}),
        whole=(problems or {}).get(WHOLE, []),
        long_list=LONG_LIST,
        hints={k: v for fields, _ in sections for k, v in hints(fields).items()},
        back=back,
        remove=remove,
        revision=stored.revision if revision is None else revision,
    )


def confirm_page(
    request: Request,
    pid: str,
    *,
    question: str,
    note: str,
    action: str,
    yes: str,
    back: str,
    revision: int | None,
    err: Exception | None = None,
    problems: list[str] | None = None,
    hidden: Mapping[str, str] | None = None,
) -> Response:
    """Are you sure? The question, what it will do, a button to do it and a way back;
    `hidden`: what the confirmed form sends beside."""
    return render(
        request,
        "confirm.html",
        answer(err),
        pid=pid,
        question=question,
        note=note,
        action=action,
        yes=yes,
        back=back,
        revision=revision,
        whole=problems or [],
        hidden=dict(hidden or {}),
    )


def sections(fields: tuple[Field, ...]) -> list[tuple[tuple[Field, ...], str]]:
    """The fields in their fieldsets, each started by a field with a `group`."""
    out: list[tuple[list[Field], str]] = []
    for f in fields:
        if f.group or not out:
            out.append(([], f.group))
        out[-1][0].append(f)
    return [(tuple(fs), heading) for fs, heading in out]


def kept(err: Exception, form: FormData) -> Shown:
    """What the form held, to show again after `err`."""
    return err.entered if isinstance(err, Refused) else entered(form)


def entered(form: FormData) -> Shown:
    """Everything a refused form held, to show it again."""
    out: Shown = {}
    for key in form:
        found = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = found if len(found) > 1 else (found[0] if found else "")
    return out


def answer(err: Exception | None) -> int:
    """A form page's status: 200, or what refused it (an API error's own, else 422)."""
    if err is None:
        return 200
    return err.status if isinstance(err, ApiError) else 422


def save(posted: Posted, pid: str, edit: Edit | tuple[Edit, ...]) -> None:
    """The edit as a new programme version, if the form's revision is still the newest."""
    edit_programme(posted.s.engine, pid, edit, revision_of(posted.form), posted.s.by)


def done(where: str, notice: str) -> Response:
    """Back to `where` (a page, then `#anchor` maybe), saying what was done."""
    path, _, anchor = where.partition("#")
    joiner = "&" if "?" in path else "?"
    return RedirectResponse(
        f"{path}{joiner}done={notice}" + (f"#{anchor}" if anchor else ""), status_code=303
    )


def a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def name(raw: Mapping[str, Any]) -> str:
    return str(raw.get("title") or raw.get("name") or raw.get("id"))
