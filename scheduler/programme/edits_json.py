"""Structured edits of a JSON programme: load, edit, dump.

JSON has no comments to keep, so the programme is loaded, edited and written out with an indent
of 2. Entries are written as the YAML edits write them: a meeting with only a date is the date
string, and a new key goes where it would go in YAML.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from scheduler.programme.edits_source import BodyEntry, Changes, EditError, Entry, Value, anchor


class JsonSource:
    """A JSON programme; entries are (list, index) pairs, as a short-form meeting is a string."""

    def __init__(self, text: str) -> None:
        try:
            self._data = json.loads(text)
        except json.JSONDecodeError as err:
            raise EditError(f"the programme is not valid JSON: {err}") from None
        top = self._data if isinstance(self._data, dict) else {}
        bodies = _json_list(top.get("bodies"))
        self.bodies = [
            BodyEntry(body["id"], (bodies, i), _json_entries(body.get("meetings")))
            for i, body in enumerate(bodies)
            if isinstance(body, dict) and isinstance(body.get("id"), str)
        ]
        self.items = _json_entries(top.get("items"))

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
        entries[index] = pairs[0][1] if [k for k, _ in pairs] == ["date"] else dict(pairs)

    def append_meeting(self, body: BodyEntry, meeting: Changes) -> None:
        bodies, index = body.ref
        meetings = bodies[index].setdefault("meetings", [])
        if not isinstance(meetings, list):
            raise EditError(f"the meetings of body '{body.id}' are not a list")
        entry = {k: _json_value(v) for k, v in meeting.items() if v is not None}
        meetings.append(entry["date"] if list(entry) == ["date"] else entry)

    def text(self) -> str:
        return json.dumps(self._data, indent=2, ensure_ascii=False) + "\n"


def _json_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _json_entries(value: Any) -> list[Entry]:
    entries = _json_list(value)
    out = []
    for i, entry in enumerate(entries):
        mapping = {"date": entry} if isinstance(entry, str) else entry
        if isinstance(mapping, dict):
            fields = {k: v for k, v in mapping.items() if isinstance(v, str)}
            out.append(Entry((entries, i), fields))
    return out


def _json_value(value: Value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value
