"""A programme source as the structured edits see it, whatever its format.

`programme.edits` states each edit once, against `EditableSource`: the bodies with their meetings
and the items, each entry with its scalar values as text, and two ways of changing the text.
`scheduler.programme.edits_yaml` and `scheduler.programme.edits_json` implement it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeAlias

from scheduler.programme.model import Body, Deadlines, Event, Item, Person, Programme, meeting_id


class Null:
    """`null` written as a value (a meeting's date not known yet): not the same as a key taken
    out, which is None in `Changes`."""

    def __repr__(self) -> str:
        return "NULL"


NULL = Null()
#: A value an edit writes: text, a date, a number, yes/no, null, or a list or mapping of them
#: (written in flow style, `[a, b]`, `{from: x}`).
Value: TypeAlias = "str | dt.date | bool | int | Null | list[Value] | dict[str, Value]"
#: Keys to set (a value) or remove (None), in the order they are to be written.
Changes: TypeAlias = "dict[str, Value | None]"
#: The lists of the file whose entries have an `id`, as the forms edit them.
Collection = Literal["items", "people", "bodies", "events"]

#: Where a new key goes in a meeting entry: after the last of the keys listed before it, the
#: order of DESIGN §4.3's examples (`{date: 2017-06-28, moved_from: 2017-06-27}`).
MEETING_ORDER = (
    "id", "date", "moved_from", "start", "venue", "minutes", "status", "special", "moderngov"
)
#: Items and bodies: the model's field order, which is DESIGN §4.4's.
ITEM_ORDER = tuple(Item.model_fields)
BODY_ORDER = tuple(Body.model_fields)
PERSON_ORDER = tuple(Person.model_fields)
EVENT_ORDER = tuple(Event.model_fields)
DEADLINE_ORDER = tuple(Deadlines.model_fields)
TOP_ORDER = tuple(Programme.model_fields)
#: Each list's order of keys, by the file's names (`with`, not the model's `with_`).
ORDERS: dict[Collection, tuple[str, ...]] = {
    "items": tuple("with" if k == "with_" else k for k in ITEM_ORDER),
    "people": PERSON_ORDER,
    "bodies": BODY_ORDER,
    "events": EVENT_ORDER,
}


class EditError(ValueError):
    """Raised when an edit cannot apply: it names a missing item, meeting or body, or asks for
    what is already so (an unpinned item unpinned, a cancelled meeting cancelled). `taken`: the
    key whose value gives an id the file has already (`id`, or a meeting's `date`)."""

    def __init__(self, message: str, taken: str | None = None) -> None:
        super().__init__(message)
        self.taken = taken


@dataclass
class Entry:
    """A list entry of the source (an item or a meeting) and its scalar values as text."""

    ref: Any  # the format's own handle
    fields: dict[str, str]


@dataclass
class BodyEntry:
    """A body of the source: its id, the format's handle and its meetings."""

    id: str
    ref: Any
    meetings: list[Entry]


class EditableSource(Protocol):
    """A programme source being edited; `text()` gives the result."""

    bodies: list[BodyEntry]
    items: list[Entry]
    top: Entry  # the file's top-level mapping

    def entries(self, collection: Collection) -> list[Entry]:
        """The entries of one of the file's lists (a body's `fields` are its own keys)."""

    def child(self, entry: Entry, key: str) -> Entry | None:
        """The mapping under `key` of `entry` (`deadlines` of the top level), if it is one."""

    def append(self, collection: Collection, values: Changes, order: tuple[str, ...]) -> None:
        """Add an entry at the end of one of the file's lists (the list made if missing)."""

    def remove(self, collection: Collection, entry: Entry) -> None:
        """Take an entry out of one of the file's lists."""

    def remove_meeting(self, body: BodyEntry, meeting: Entry) -> None:
        """Take a meeting out of its body's list."""

    def update(self, entry: Entry, changes: Changes, order: tuple[str, ...]) -> None:
        """Set and remove keys of `entry`; a new key goes where `order` puts it (see `anchor`)."""

    def append_meeting(self, body: BodyEntry, meeting: Changes) -> None:
        """Add a meeting after the last of `body`'s meetings."""

    def text(self) -> str:
        """The source with every change made."""


def anchor(keys: list[str], key: str, order: tuple[str, ...]) -> str | None:
    """The key a new `key` goes after: the last of `keys` that `order` puts before it, else the
    last of `keys`."""
    before = [k for k in keys if k in order[: order.index(key)]] if key in order else []
    if before:
        return max(before, key=order.index)
    return keys[-1] if keys else None


def find_meeting(source: EditableSource, meeting_id: str) -> tuple[BodyEntry, Entry]:
    for body in source.bodies:
        for meeting in body.meetings:
            if entry_meeting_id(body.id, meeting.fields) == meeting_id:
                return body, meeting
    raise EditError(f"no meeting '{meeting_id}' in this programme")


def entry_meeting_id(body: str, fields: dict[str, str]) -> str | None:
    """The entry's id, as `scheduler.programme.model.Body` gives it."""
    if "id" in fields:
        return fields["id"]
    moved_from = fields.get("moved_from")
    day = fields.get("date")
    return meeting_id(body, iso_day(day), moved_from and iso_day(moved_from)) if day else None


def iso_day(text: str) -> str:
    """A date as YAML reads it (`2017-6-5` too), written YYYY-MM-DD; other text as it is."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d").date().isoformat()
    except ValueError:
        return text


def add_meeting(source: EditableSource, body_id: str, values: Changes) -> None:
    """Add a meeting to a body: its id (`id`, else BODY-DATE) one the file has not."""
    body = next((b for b in source.bodies if b.id == body_id), None)
    if body is None:
        raise EditError(f"no body '{body_id}' in this programme")
    fields = {
        k: v.isoformat() if isinstance(v, dt.date) else v
        for k, v in values.items()
        if isinstance(v, str | dt.date)
    }
    new = entry_meeting_id(body.id, fields)
    if new is None:
        raise EditError("a meeting whose day is not fixed needs a short name (id)")
    if any(entry_meeting_id(b.id, m.fields) == new for b in source.bodies for m in b.meetings):
        taken = "id" if "id" in fields else "date"
        raise EditError(f"there is already a meeting '{new}' in this programme", taken)
    source.append_meeting(body, values)
