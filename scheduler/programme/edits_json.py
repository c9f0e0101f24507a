"""Structured edits of a JSON programme: load, edit, dump.

JSON has no comments to keep, so the programme is loaded, edited and written out with an indent
of 2. Entries are written as the YAML edits write them: a meeting with only a date is the date
string, and a new key goes where it would go in YAML.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from scheduler.programme.edits_source import (
    BodyEntry,
    Changes,
    Collection,
    EditError,
    Entry,
    Null,
    Value,
    anchor,
)


class JsonSource:
    """A JSON programme; entries are (list, index) pairs, as a short-form meeting is a string."""

    def __init__(self, text: str) -> None:
        try:
            self._data = json.loads(text)
        except json.JSONDecodeError as err:
            raise EditError(f"the programme is not valid JSON: {err}") from None
        if not isinstance(self._data, dict):
            raise EditError("the programme's top level is not a mapping of keys")
        top = self._data
        self.top = Entry(([top], 0), _scalars(top))
        bodies = _json_list(top.get("bodies"))
        self.bodies = [
            BodyEntry(body["id"], (bodies, i), _json_entries(body.get("meetings")))
            for i, body in enumerate(bodies)
            if isinstance(body, dict) and isinstance(body.get("id"), str)
        ]
        self.items = _json_entries(top.get("items"))

    def entries(self, collection: Collection) -> list[Entry]:
        if collection == "items":
            return self.items
        return _json_entries(self._data.get(collection))

    def child(self, entry: Entry, key: str) -> Entry | None:
        entries, index = entry.ref
        value = entries[index].get(key)
        return Entry(([value], 0), _scalars(value)) if isinstance(value, dict) else None

    def append(self, collection: Collection, values: Changes, order: tuple[str, ...]) -> None:
        listed = self._data.get(collection)
        if listed is None:
            listed = self._data[collection] = []
        if not isinstance(listed, list):
            raise EditError(f"'{collection}' is not a list")
        rank = {key: i for i, key in enumerate(order)}
        pairs = [(k, v) for k, v in values.items() if v is not None]
        pairs.sort(key=lambda kv: rank.get(kv[0], len(rank)))
        listed.append({k: _json_value(v) for k, v in pairs})

    def remove(self, collection: Collection, entry: Entry) -> None:
        entries, index = entry.ref
        entries[index] = _GONE

    def remove_meeting(self, body: BodyEntry, meeting: Entry) -> None:
        entries, index = meeting.ref
        entries[index] = _GONE

    def update(self, entry: Entry, changes: Changes, order: tuple[str, ...]) -> None:
        entries, index = entry.ref
        old = entries[index]
        pairs = list(({"date": old} if isinstance(old, str) else old).items())
        pairs = [(k, v) for k, v in pairs if k not in changes or changes[k] is not None]
        for key, value in changes.items():
            if value is None:
                continue
            keys = [k for k, _ in pairs]
            new = (key, _json_value(value))
            if key in keys:
                pairs[keys.index(key)] = new
            else:
                after = anchor(keys, key, order)
                pairs.insert(len(pairs) if after is None else keys.index(after) + 1, new)
        if [k for k, _ in pairs] == ["date"]:
            entries[index] = pairs[0][1]  # a meeting with only its date: the short form
        elif isinstance(old, dict):  # in place: the top level and `deadlines` are no list's
            old.clear()
            old.update(pairs)
        else:
            entries[index] = dict(pairs)

    def append_meeting(self, body: BodyEntry, meeting: Changes) -> None:
        bodies, index = body.ref
        meetings = bodies[index].setdefault("meetings", [])
        if not isinstance(meetings, list):
            raise EditError(f"the meetings of body '{body.id}' are not a list")
        entry = {k: _json_value(v) for k, v in meeting.items() if v is not None}
        meetings.append(entry["date"] if list(entry) == ["date"] else entry)

    def text(self) -> str:
        return json.dumps(_without_gone(self._data), indent=2, ensure_ascii=False) + "\n"


#: An entry taken out: left in its place until the text is written, so indices stay right.
_GONE = object()


def _without_gone(value: Any) -> Any:
    if isinstance(value, list):
        return [_without_gone(v) for v in value if v is not _GONE]
    if isinstance(value, dict):
        return {k: _without_gone(v) for k, v in value.items()}
    return value


def _scalars(mapping: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in mapping.items() if isinstance(v, str)}


def _json_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _json_entries(value: Any) -> list[Entry]:
    entries = _json_list(value)
    out = []
    for i, entry in enumerate(entries):
        mapping = {"date": entry} if isinstance(entry, str) else entry
        if isinstance(mapping, dict):
            out.append(Entry((entries, i), _scalars(mapping)))
    return out


def _json_value(value: Value) -> Any:
    if isinstance(value, Null):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value
