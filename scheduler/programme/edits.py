"""Structured edits of a stored programme source that keep the rest of the file as it was.

The clerk's web page pins items and moves, cancels, restores or adds meetings (DESIGN §4.3,
§4.4) in a programme held as YAML or JSON text. Each edit is written here once, against
`programme.edits_source.EditableSource`; `programme.edits_yaml` splices the clerk's YAML text so
that everything the edit does not touch stays byte for byte, and `programme.edits_json` loads,
edits and dumps JSON, which has no comments to keep.

Nothing here validates the programme: the caller validates the result with
`scheduler.programme.load.parse_programme` and shows its located problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from scheduler.programme.edits_entries import (
    ENTRY_EDITS,
    AddEntry,
    ChangeEntry,
    ChangeMeeting,
    ChangeSettings,
    EntryEdit,
    NewMeeting,
    RemoveEntry,
    RemoveMeeting,
    apply_entry_edit,
)
from scheduler.programme.edits_json import JsonSource
from scheduler.programme.edits_source import (
    ITEM_ORDER,
    MEETING_ORDER,
    Changes,
    EditableSource,
    EditError,
    Entry,
    Value,
    add_meeting,
    find_meeting,
    iso_day,
)
from scheduler.programme.edits_yaml import YamlSource
from scheduler.programme.unhurried import collecting_after

__all__ = [
    "AddEntry",
    "AddMeeting",
    "CancelMeeting",
    "ChangeEntry",
    "ChangeMeeting",
    "ChangeSettings",
    "Edit",
    "EditError",
    "Format",
    "MoveMeeting",
    "NewMeeting",
    "Pin",
    "RemoveEntry",
    "RemoveMeeting",
    "RestoreMeeting",
    "Unpin",
    "apply_edit",
]


@dataclass(frozen=True)
class Pin:
    """Pin an item to a meeting (by the meeting's id)."""

    item: str
    meeting: str


@dataclass(frozen=True)
class Unpin:
    """Remove an item's pin."""

    item: str


@dataclass(frozen=True)
class MoveMeeting:
    """Move a meeting to another date (and start, "HH:MM"); it keeps its id and calendar UID.
    A meeting without a fixed day gets its day; a postponed one is held again (not postponed)."""

    meeting: str
    date: dt.date
    start: str | None = None


@dataclass(frozen=True)
class CancelMeeting:
    """Mark a meeting `status: cancelled`."""

    meeting: str


@dataclass(frozen=True)
class RestoreMeeting:
    """Take `status: cancelled` off a meeting."""

    meeting: str


@dataclass(frozen=True)
class AddMeeting:
    """Add a meeting to a body; its id is BODY-DATE."""

    body: str
    date: dt.date
    start: str | None = None
    venue: str | None = None


Edit = Pin | Unpin | MoveMeeting | CancelMeeting | RestoreMeeting | AddMeeting | EntryEdit
Format = Literal["yaml", "json"]


def apply_edit(text: str, fmt: Format, edit: Edit | tuple[Edit, ...]) -> str:
    """The programme source `text` with `edit` (or each of several, in turn) applied,
    everything else as it was.

    Several edits are made in as few readings of the text as they allow (`_passes`): an
    import that numbers each of a council's 500 meetings reads the file once, not 500 times.

    Raises:
        EditError: when the edit names something the programme lacks, or `text` cannot be read.
    """
    for edits in _passes(edit if isinstance(edit, tuple) else (edit,)):
        with collecting_after():
            source = _SOURCES[fmt](text)
        for one in edits:
            _make(source, one)
        text = source.text()
    return text


def _passes(edits: tuple[Edit, ...]) -> list[list[Edit]]:
    """The edits in order, grouped into readings of the text: a run of edits each of one
    entry's own keys (`_own_entry`), each of another entry, shares one (each splices its own
    lines); any other edit has one of its own, as does an edit of an entry the run has
    changed already (it must see that change)."""
    passes: list[list[Edit]] = []
    touched: set[tuple[str, str]] = set()
    for edit in edits:
        entry = _own_entry(edit)
        if entry is not None and touched and entry not in touched:
            passes[-1].append(edit)
        else:
            passes.append([edit])
            touched = set()
        if entry is not None:
            touched.add(entry)
    return passes


def _own_entry(edit: Edit) -> tuple[str, str] | None:
    """The one entry an edit changes the keys of, and nothing else (a meeting's; a body's,
    an item's, a person's or an event's but not its meetings); None for any other edit."""
    if isinstance(edit, ChangeMeeting | CancelMeeting | RestoreMeeting):
        return ("meeting", edit.meeting)
    if isinstance(edit, ChangeEntry) and "meetings" not in edit.changes:
        return (edit.collection, edit.id)
    return None


def _make(source: EditableSource, edit: Edit) -> None:
    if isinstance(edit, ENTRY_EDITS):
        apply_entry_edit(source, edit)
        return
    match edit:
        case Pin():
            _pin(source, edit)
        case Unpin():
            _unpin(source, edit)
        case MoveMeeting():
            _move(source, edit)
        case CancelMeeting():
            _cancel(source, edit)
        case RestoreMeeting():
            _restore(source, edit)
        case AddMeeting():
            _add(source, edit)


# ----------------------------------------------------------------------------------------------
# The edits, written once for both formats


def _pin(source: EditableSource, edit: Pin) -> None:
    """Pin an item; a suggested or deferred one is so taken up: it is no longer either."""
    item = _item(source, edit.item)
    find_meeting(source, edit.meeting)
    changes: Changes = {"meeting": edit.meeting}
    changes |= {key: None for key in ("suggested", "deferred") if key in item.fields}
    source.update(item, changes, ITEM_ORDER)


def _unpin(source: EditableSource, edit: Unpin) -> None:
    item = _item(source, edit.item)
    if "meeting" not in item.fields:
        raise EditError(f"item '{edit.item}' is not pinned")
    source.update(item, {"meeting": None}, ITEM_ORDER)


def _move(source: EditableSource, edit: MoveMeeting) -> None:
    body, entry = find_meeting(source, edit.meeting)
    was = iso_day(entry.fields.get("date", ""))
    new = edit.date.isoformat()
    changes: Changes = {"date": edit.date}
    if "moved_from" in entry.fields:
        if iso_day(entry.fields["moved_from"]) == new:
            changes["moved_from"] = None  # back where it was: its id needs no moved_from
    elif "id" not in entry.fields and was != new:
        changes["moved_from"] = _as_date(was)  # its id is BODY-DATE: keep it (and the UID)
    if edit.start is not None:
        changes["start"] = edit.start
    if entry.fields.get("status") == "postponed":
        changes["status"] = None  # a postponed meeting given its day again is held
    source.update(entry, changes, MEETING_ORDER)
    if not was or was == new:
        return
    # A pin by date names the meeting on that date: pin by id, so the pin follows the meeting.
    for item in source.items:
        if item.fields.get("body") == body.id and iso_day(item.fields.get("meeting", "")) == was:
            source.update(item, {"meeting": edit.meeting}, ITEM_ORDER)


def _cancel(source: EditableSource, edit: CancelMeeting) -> None:
    _, entry = find_meeting(source, edit.meeting)
    if entry.fields.get("status") == "cancelled":
        raise EditError(f"meeting '{edit.meeting}' is already cancelled")
    source.update(entry, {"status": "cancelled"}, MEETING_ORDER)


def _restore(source: EditableSource, edit: RestoreMeeting) -> None:
    _, entry = find_meeting(source, edit.meeting)
    if entry.fields.get("status") != "cancelled":
        raise EditError(f"meeting '{edit.meeting}' is not cancelled")
    source.update(entry, {"status": None}, MEETING_ORDER)


def _add(source: EditableSource, edit: AddMeeting) -> None:
    meeting: Changes = {"date": edit.date, "start": edit.start, "venue": edit.venue}
    add_meeting(source, edit.body, {k: v for k, v in meeting.items() if v is not None})


def _item(source: EditableSource, item_id: str) -> Entry:
    for item in source.items:
        if item.fields.get("id") == item_id:
            return item
    raise EditError(f"no item '{item_id}' in this programme")


def _as_date(text: str) -> Value:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


_SOURCES: dict[Format, Callable[[str], EditableSource]] = {"yaml": YamlSource, "json": JsonSource}
