"""A programme source as the structured edits see it, whatever its format.

`programme.edits` states each edit once, against `EditableSource`: the bodies with their meetings
and the items, each entry with its scalar values as text, and two ways of changing the text.
`scheduler.programme.edits_yaml` and `scheduler.programme.edits_json` implement it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from scheduler.programme.model import Body, Item

Value = str | dt.date
#: Keys to set (a value) or remove (None), in the order they are to be written.
Changes = dict[str, Value | None]

#: Where a new key goes in a meeting entry: after the last of the keys listed before it, the
#: order of DESIGN §4.3's examples (`{date: 2017-06-28, moved_from: 2017-06-27}`).
MEETING_ORDER = ("id", "date", "moved_from", "start", "venue", "status", "special")
#: Items and bodies: the model's field order, which is DESIGN §4.4's.
ITEM_ORDER = tuple(Item.model_fields)
BODY_ORDER = tuple(Body.model_fields)


class EditError(ValueError):
    """Raised when an edit cannot apply: it names a missing item, meeting or body, or asks for
    what is already so (an unpinned item unpinned, a cancelled meeting cancelled)."""


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
