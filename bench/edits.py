"""The edit a re-plan benchmark makes: the middle ordinary meeting of the busiest committee moved
a day later (keeping its id), or cancelled. On programme data, as YAML gives it."""

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
