"""The forms' edits of a programme source: add, change or take out an item, a person, a body or
an event; change or take out a meeting; change the year's settings and deadlines.

Like the grid's edits (`programme.edits`), each is written once against
`programme.edits_source.EditableSource`, so that a YAML file keeps every comment and every line
the edit does not touch. A change names only the keys the clerk changed: a key set to None is
taken out of the entry, and the entry's other keys stay as they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.programme.edits_source import (
    DEADLINE_ORDER,
    MEETING_ORDER,
    ORDERS,
    TOP_ORDER,
    Changes,
    Collection,
    EditableSource,
    EditError,
    Entry,
    add_meeting,
    entry_meeting_id,
    find_meeting,
)

#: What each list's entries are called in messages.
NAMES: dict[Collection, str] = {
    "items": "item",
    "people": "person",
    "bodies": "body",
    "events": "event",
}


@dataclass(frozen=True)
class AddEntry:
    """Add an entry (with its `id`) at the end of one of the file's lists."""

    collection: Collection
    values: Changes


@dataclass(frozen=True)
class ChangeEntry:
    """Set or take out keys of the entry with this `id`."""

    collection: Collection
    id: str
    changes: Changes


@dataclass(frozen=True)
class RemoveEntry:
    """Take the entry with this `id` out of its list."""

    collection: Collection
    id: str


@dataclass(frozen=True)
class ChangeMeeting:
    """Set or take out keys of a meeting (its venue, start, status, what it is for, or a date
    that is not a day yet). A new day is a `MoveMeeting`, which keeps the meeting's id."""

    meeting: str
    changes: Changes


@dataclass(frozen=True)
class NewMeeting:
    """Add a meeting to a body, with any of a meeting's keys (a date not fixed yet needs an
    `id`)."""

    body: str
    values: Changes


@dataclass(frozen=True)
class RemoveMeeting:
    """Take a meeting out of its body's list (one never held; a held one is cancelled)."""

    meeting: str


@dataclass(frozen=True)
class ChangeSettings:
    """Set or take out top-level keys (title, year, ...) and keys under `deadlines`."""

    changes: Changes = field(default_factory=dict)
    deadlines: Changes = field(default_factory=dict)


EntryEdit = (
    AddEntry
    | ChangeEntry
    | RemoveEntry
    | NewMeeting
    | ChangeMeeting
    | RemoveMeeting
    | ChangeSettings
)
ENTRY_EDITS = (
    AddEntry,
    ChangeEntry,
    RemoveEntry,
    NewMeeting,
    ChangeMeeting,
    RemoveMeeting,
    ChangeSettings,
)


def apply_entry_edit(source: EditableSource, edit: EntryEdit) -> None:
    """Make `edit` in `source`.

    Raises:
        EditError: it names an entry or meeting the file lacks, or adds an id already there.
    """
    match edit:
        case AddEntry():
            new = edit.values.get("id")
            if not isinstance(new, str) or not new:
                raise EditError(f"a new {NAMES[edit.collection]} needs an id")
            if any(e.fields.get("id") == new for e in source.entries(edit.collection)):
                raise EditError(f"there is already a {NAMES[edit.collection]} '{new}'", "id")
            source.append(edit.collection, edit.values, ORDERS[edit.collection])
        case ChangeEntry():
            if "id" in edit.changes:
                raise EditError("an id cannot be changed: add a new entry instead")
            entry = _entry(source, edit.collection, edit.id)
            source.update(entry, edit.changes, ORDERS[edit.collection])
        case RemoveEntry():
            source.remove(edit.collection, _entry(source, edit.collection, edit.id))
        case NewMeeting():
            add_meeting(source, edit.body, edit.values)
        case ChangeMeeting():
            _change_meeting(source, edit)
        case RemoveMeeting():
            source.remove_meeting(*find_meeting(source, edit.meeting))
        case ChangeSettings():
            _change_settings(source, edit)


def _entry(source: EditableSource, collection: Collection, wanted: str) -> Entry:
    for entry in source.entries(collection):
        if entry.fields.get("id") == wanted:
            return entry
    raise EditError(f"no {NAMES[collection]} '{wanted}' in this programme")


def _change_meeting(source: EditableSource, edit: ChangeMeeting) -> None:
    body, entry = find_meeting(source, edit.meeting)
    changes = dict(edit.changes)
    if "date" in changes and "id" not in entry.fields:
        # Its id is BODY-DATE: written out, it stays the meeting's id (and its calendar UID)
        # whatever its date becomes.
        changes["id"] = entry_meeting_id(body.id, entry.fields)
    source.update(entry, changes, MEETING_ORDER)


def _change_settings(source: EditableSource, edit: ChangeSettings) -> None:
    changes = dict(edit.changes)
    if edit.deadlines:
        deadlines = source.child(source.top, "deadlines")
        if deadlines is None:
            changes["deadlines"] = {k: v for k, v in edit.deadlines.items() if v is not None}
        else:
            source.update(deadlines, edit.deadlines, DEADLINE_ORDER)
    if changes:
        source.update(source.top, changes, TOP_ORDER)
