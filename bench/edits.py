"""The edits a re-plan benchmark makes, each about the middle ordinary meeting of the busiest
committee: moved a day later (keeping its id), cancelled, or somebody needed there away that
day. On programme data, as YAML gives it."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from scheduler.plan.model import Plan

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


def away(data: Data, plan: Plan) -> Data:
    """Somebody `plan` needs at the middle meeting of the busiest committee (for an item there,
    but none of its standing items: away, no plan could stand them) away that day: the first
    such person in the file's order."""
    data = copy.deepcopy(data)
    body, k = middle_meeting(data)
    committee = data["bodies"][body]
    day = _day(_as_dict(committee["meetings"][k])["date"])
    [meeting] = [m for m in plan.meetings if m.body == committee["id"] and m.date == day]
    needed = {p for entry in meeting.agenda if entry.kind != "standing" for p in entry.people}
    needed -= {p for entry in meeting.agenda if entry.kind == "standing" for p in entry.people}
    person = next(p for p in data["people"] if p["id"] in needed)
    person["unavailable"] = [*person.get("unavailable", []), day.isoformat()]
    return data


#: The re-plans measured, by name: each edit of the programme's data, given its plan.
EDITS: dict[str, Callable[[Data, Plan], Data]] = {
    "moved": lambda data, _: moved(data),
    "cancelled": lambda data, _: cancelled(data),
    "away": away,
}
