"""The edits a re-plan benchmark makes, each about the middle ordinary meeting of the busiest
committee: moved a day later (keeping its id), cancelled, or somebody needed there away that
day. On programme data, as YAML gives it."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

Data = dict[str, Any]


def _as_dict(meeting: Any) -> Data:
    return dict(meeting) if isinstance(meeting, dict) else {"date": meeting}


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def middle_meeting(data: Data) -> tuple[int, int]:
    """(body index, meeting index) of the middle ordinary meeting of the busiest committee."""
    bodies = [
        (len(b["meetings"]), -n, n)
        for n, b in enumerate(data["bodies"])
        if b.get("kind", "committee") == "committee"
    ]
    _, _, body = max(bodies)
    meetings = data["bodies"][body]["meetings"]
    ordinary = [
        k
        for k, m in enumerate(meetings)
        if not _as_dict(m).get("special") and _as_dict(m).get("status") != "cancelled"
    ]
    return body, ordinary[len(ordinary) // 2]


def moved(data: Data) -> Data:
    """The middle meeting a day later (two if its body already meets that day), keeping its id."""
    data = copy.deepcopy(data)
    body, k = middle_meeting(data)
    meetings = data["bodies"][body]["meetings"]
    entry = _as_dict(meetings[k])
    taken = {_day(_as_dict(m)["date"]) for m in meetings}
    day = _day(entry["date"]) + dt.timedelta(days=1)
    while day in taken:
        day += dt.timedelta(days=1)
    entry["moved_from"], entry["date"] = entry.get("moved_from", entry["date"]), day.isoformat()
    meetings[k] = entry
    return data


def cancelled(data: Data) -> Data:
    """The middle meeting cancelled."""
    data = copy.deepcopy(data)
    body, k = middle_meeting(data)
    meetings = data["bodies"][body]["meetings"]
    meetings[k] = {**_as_dict(meetings[k]), "status": "cancelled"}
    return data


def away(data: Data) -> Data:
    """The first person (in the file's order) who presents an item of the busiest committee,
    but none of its standing items, away on the day of its middle meeting."""
    data = copy.deepcopy(data)
    body, k = middle_meeting(data)
    committee = data["bodies"][body]
    day = _day(_as_dict(committee["meetings"][k])["date"])
    items = [item for item in data.get("items", []) if item.get("body") == committee["id"]]
    standing = {p for item in items if item.get("kind") == "standing"
                for p in item.get("presenters", [])}  # away, no plan could stand them there
    presenters = {p for item in items for p in item.get("presenters", [])} - standing
    person = next(p for p in data["people"] if p["id"] in presenters)
    person["unavailable"] = [*person.get("unavailable", []), day.isoformat()]
    return data


#: The re-plans measured, by name.
EDITS = {"moved": moved, "cancelled": cancelled, "away": away}
