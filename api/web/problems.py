"""A refused form's problems beside the fields they concern.

A programme's problems are located in the file (`items[51] (new-item).body: 'ecf' is not in
bodies`): one at the entry the form edits goes beside its field, with the words alone; any
other (an item elsewhere that names a person taken out) goes above the form, where it is said
in words ("Item 'CAMHS', Witnesses: ..."). A field that cannot be read says `<field>: <what is
wrong>`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from api.errors import ApiError
from api.web.fields import DEADLINES, FORMS, MEETING, SETTINGS, Field
from api.web.form_values import FormProblem
from scheduler.errors import InputError
from scheduler.programme.edits_source import EditError
from scheduler.programme.model import Programme
from scheduler.programme.words import long_day

#: An entry's name in a location (`items[3] (camhs)`): left out to compare places.
NAMED = re.compile(r" \([^)]*\)")
#: A key the entry lacks, as the programme's check says it.
REQUIRED = re.compile(r"^'(\w+)' is required$")
#: The problems above the form.
WHOLE = ""


def placed(
    err: Exception, at: str, fields: tuple[Field, ...], programme: Programme | None = None
) -> dict[str, list[str]]:
    """The problems of `err` by the field of `fields` they concern (WHOLE: the form's). The form
    edits the entry at `at` in the file: `items[51]`, `bodies[0].meetings[3]`, or "" for the top
    level; `programme` names the entries of the problems above the form."""
    keys = {f.key for f in fields}
    out: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        out.setdefault(key, []).append(message)

    if isinstance(err, InputError):
        prefix = f"{at}." if at else ""
        for p in err.problems:
            where = NAMED.sub("", p.location)
            rest = where.removeprefix(prefix) if where.startswith(prefix) else None
            key = next((k for k in keys if rest and _starts(rest, k)), "")
            missing = REQUIRED.match(p.message) if where == at else None
            if missing and missing[1] in keys:
                add(missing[1], "required")
            elif key:
                add(key, p.message)
            elif where == at and at:
                add(WHOLE, p.message)
            else:
                add(WHOLE, f"{said(p.location, programme)}: {p.message}")
    elif isinstance(err, FormProblem):
        for problem in (str(a) for a in err.args):
            key, colon, message = problem.partition(": ")
            if colon and key in keys:
                add(key, message)
            else:
                add(WHOLE, problem)
    elif isinstance(err, ApiError) and err.status == STALE:
        add(
            WHOLE,
            "Somebody else changed the programme since this page was made: reload the "
            "page and make the change again.",
        )
    elif isinstance(err, ApiError):
        for message in [str(p) for p in err.problems] or [err.detail]:
            add(WHOLE, message)
    elif isinstance(err, EditError) and err.taken == "date" and "date" in keys:
        add("date", "there is already a meeting of this committee on that day")
    elif isinstance(err, EditError) and err.taken in keys:
        add(str(err.taken), "that short name is taken: choose another")
    else:
        add(WHOLE, str(err))
    return out


#: The answer to an edit made from a page older than the programme (HTTP 412).
STALE = 412
#: What each list's entries are, as the clerk reads them.
ENTRIES = {"items": "Item", "people": "", "bodies": "", "events": "Event"}
STEP = re.compile(r"(\w+)(?:\[(\d+)\])?(?: \(([^)]*)\))?")


def said(location: str, programme: Programme | None) -> str:
    """Where a problem is, in words: `items[3] (camhs).witnesses[0]` as "Item 'Child and
    Adolescent Mental Health Services', Witnesses"; `deadlines.agenda_clear_days` as "Deadlines,
    Agenda published, clear days before"."""
    if not location:
        return "The programme"
    words: list[str] = []
    for found in STEP.finditer(location):
        key, label = found[1], found[3]
        if key in ENTRIES and label:
            words.append(_entry(key, label, programme))
        elif key == "meetings" and label:
            words.append(f"its meeting of {_day(label)}")
        else:
            words.append(LABELS.get(key, key.replace("_", " ").capitalize()))
    return ", ".join(words)


def _day(label: str) -> str:
    """A meeting's date as a location names it (`2018-01-23`), in words where it is a day."""
    try:
        return long_day(dt.date.fromisoformat(label))
    except ValueError:
        return label


def _entry(collection: str, eid: str, programme: Programme | None) -> str:
    """An entry by its name as the programme has it (the id of one it does not have yet)."""
    name = eid
    if programme is not None:
        lists: dict[str, dict[str, Any]] = {
            "items": dict(programme.items_by_id),
            "people": dict(programme.people_by_id),
            "bodies": dict(programme.bodies_by_id),
            "events": {e.id: e for e in programme.events},
        }
        entries = lists[collection]
        if eid in entries:
            name = str(getattr(entries[eid], "title", None) or getattr(entries[eid], "name", eid))
    noun = ENTRIES[collection]
    return f"{noun} '{name}'" if noun else name


#: Each key's label in the forms (the first form that asks for it).
LABELS: dict[str, str] = {}
for _fields in (*FORMS.values(), MEETING, SETTINGS, DEADLINES):
    for _f in _fields:
        LABELS.setdefault(_f.key, _f.label)
LABELS |= {"deadlines": "Deadlines", "meetings": "Meetings"}


def _starts(path: str, key: str) -> bool:
    """`path` is `key` or something inside it (`witnesses[0]`, `after.gap_days`)."""
    return path == key or path.startswith((f"{key}.", f"{key}["))
