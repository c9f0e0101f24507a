"""Hypothesis strategies for re-planning (DESIGN §5): one disruption, and tiny programmes.

`disrupted(programmes)` draws a programme's data and one edit a clerk would make to it, as new
data: a meeting moved (it keeps its id, `moved_from`; a meeting whose day was not fixed gets
one), postponed (its day no longer known: it keeps its id), cancelled or added, somebody newly
unavailable on a meeting's date, or an item's window, priority or minutes changed. Every edit
keeps the data valid for `load`: a disruption the model refuses is a bug in this generator.

`tiny_programme_data()` draws programmes small enough to solve by brute force: one body, two to
four meetings, two to four single-meeting items, no standing items, maybe a capacity, a limit, a
witness away on a meeting's day, a window, a pin or an order between items.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tests.strategies import YEAR_DAYS, YEAR_END, YEAR_START, Data, Draw, day, maybe

DISRUPTIONS = ("move", "cancel", "add", "unavailable", "item", "postpone")
PRIORITIES = ("must", "high", "normal", "low")


def as_date(value: Any) -> dt.date:
    """A date as the data holds it (a date, or ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def fixed_day(value: Any) -> dt.date | None:
    """A meeting's day as the data holds it; None when it is not fixed (a month, a range, or
    null: DESIGN §4.6)."""
    if value is None or (isinstance(value, str) and (len(value) != 10 or ".." in value)):
        return None
    return as_date(value)


def _days(entries: list[Any]) -> set[dt.date]:
    """The fixed days of some meeting entries."""
    return {d for e in entries if (d := fixed_day(_meeting(e)["date"])) is not None}


def _meeting(entry: Any) -> Data:
    """A meeting entry in its long form (a copy)."""
    return dict(entry) if isinstance(entry, dict) else {"date": entry}


def _key(body_id: str, meeting: Data) -> str:
    """The meeting's id as the model gives it (DESIGN §4.3)."""
    if "id" in meeting:
        return str(meeting["id"])
    return f"{body_id}-{as_date(meeting.get('moved_from', meeting['date']))}"


def _pins_by_key(data: Data, body_id: str, old: dt.date | None, key: str) -> None:
    """Pins by date that named a meeting now name it by id (its date is changing)."""
    for item in data["items"]:  # a pin by date named this meeting; now it names it by id
        if old is not None and item["body"] == body_id and str(item.get("meeting")) == str(old):
            item["meeting"] = key


def _free_day(draw: Draw, taken: set[dt.date]) -> dt.date | None:
    """A day of the year not in `taken`, or None when hypothesis draws a taken one."""
    chosen = day(draw(st.integers(0, YEAR_DAYS - 1)))
    return None if chosen in taken else chosen


def _open_meetings(data: Data) -> list[tuple[int, int]]:
    """(body index, meeting index) of every meeting that is not cancelled."""
    return [
        (b, m)
        for b, body in enumerate(data["bodies"])
        for m, entry in enumerate(body["meetings"])
        if _meeting(entry).get("status") != "cancelled"
    ]


def _pick_meeting(draw: Draw, data: Data) -> tuple[int, int] | None:
    """An open meeting; more often than not one whose day is not fixed, when there is one
    (they are few, and what their edits do to a plan is new, DESIGN §4.6)."""
    meetings = _open_meetings(data)
    rough = [
        (b, m)
        for b, m in meetings
        if fixed_day(_meeting(data["bodies"][b]["meetings"][m])["date"]) is None
    ]
    if rough and maybe(draw, 0.6):
        meetings = rough
    return draw(st.sampled_from(meetings)) if meetings else None


def _move(draw: Draw, data: Data) -> Data | None:
    """One meeting to another day of the year, keeping its id; date pins follow it. A meeting
    whose day was not fixed gets one (it has an id already)."""
    picked = _pick_meeting(draw, data)
    if picked is None:
        return None
    b, m = picked
    body = data["bodies"][b]
    meeting = _meeting(body["meetings"][m])
    old = fixed_day(meeting["date"])
    new = _free_day(draw, _days(body["meetings"]))
    if new is None:
        return None
    key = _key(body["id"], meeting)
    if old is not None:
        meeting.setdefault("moved_from", old.isoformat())
    meeting["date"] = new.isoformat()
    body["meetings"][m] = meeting
    _pins_by_key(data, body["id"], old, key)
    return data


def _postpone(draw: Draw, data: Data) -> Data | None:
    """One meeting postponed, its day not known yet (or only its month): it keeps its id,
    now explicit; date pins follow it."""
    meetings = [
        (b, m)
        for b, m in _open_meetings(data)
        if fixed_day(_meeting(data["bodies"][b]["meetings"][m])["date"]) is not None
        and not _meeting(data["bodies"][b]["meetings"][m]).get("special")
    ]
    if not meetings:
        return None
    b, m = draw(st.sampled_from(meetings))
    body = data["bodies"][b]
    meeting = _meeting(body["meetings"][m])
    old = as_date(meeting["date"])
    key = meeting["id"] = _key(body["id"], meeting)
    meeting.pop("moved_from", None)
    meeting["status"] = "postponed"
    month = f"{old:%Y-%m}"
    inside = f"{month}-01" >= str(YEAR_START) and old.month != YEAR_END.month
    meeting["date"] = month if inside and draw(st.booleans()) else None
    body["meetings"][m] = meeting
    _pins_by_key(data, body["id"], old, key)
    return data


def _cancel(draw: Draw, data: Data) -> Data | None:
    picked = _pick_meeting(draw, data)
    if picked is None:
        return None
    b, m = picked
    meeting = _meeting(data["bodies"][b]["meetings"][m])
    meeting["status"] = "cancelled"
    data["bodies"][b]["meetings"][m] = meeting
    return data


def _add(draw: Draw, data: Data) -> Data | None:
    """A new meeting of one body, on a day it does not meet, with an id nobody has."""
    body = draw(st.sampled_from(data["bodies"]))
    new = _free_day(draw, _days(body["meetings"]))
    keys = {_key(b["id"], _meeting(e)) for b in data["bodies"] for e in b["meetings"]}
    if new is None or f"{body['id']}-{new}" in keys:
        return None
    body["meetings"].append(new.isoformat())
    return data


def _unavailable(draw: Draw, data: Data) -> Data | None:
    """Somebody an item needs (else anybody) away on the day of one meeting."""
    needed = {
        p
        for item in data["items"]
        for p in [
            *item.get("witnesses", []),
            *item.get("presenters", []),
            *item.get("rotation", {}),
        ]
    }
    people = [p for p in data["people"] if p["id"] in needed] or data["people"]
    person = draw(st.sampled_from(people))
    days = sorted({d for b in data["bodies"] for d in _days(b["meetings"])}) or [YEAR_START]
    person["unavailable"] = [
        *person.get("unavailable", []),
        draw(st.sampled_from(days)).isoformat(),
    ]
    return data


def _window(draw: Draw) -> str:
    first = draw(st.integers(0, YEAR_DAYS - 1))
    last = draw(st.integers(first, YEAR_DAYS - 1))
    return f"{day(first)}..{day(last)}"


def _item(draw: Draw, data: Data) -> Data | None:
    """One item's window (new or dropped), priority (new or dropped) or minutes."""
    item = draw(st.sampled_from(data["items"]))
    change = draw(st.sampled_from(("window", "priority", "minutes")))
    if change == "window":
        if "window" in item and maybe(draw, 0.3):
            del item["window"]
        else:
            item["window"] = _window(draw)
    elif change == "priority":
        choice = draw(st.sampled_from((None, *PRIORITIES)))
        if choice is None:
            item.pop("priority", None)
        else:
            item["priority"] = choice
    else:
        item["minutes"] = draw(st.sampled_from((0, 10, 20, 45, 60, 90)))
    return data


EDITS = {
    "move": _move,
    "cancel": _cancel,
    "add": _add,
    "unavailable": _unavailable,
    "item": _item,
    "postpone": _postpone,
}


@st.composite
def disruption(draw: Draw, data: Data) -> tuple[Data, str]:
    """`data` after one random edit (a new copy), and the edit's name.

    An edit that cannot apply (nothing left to cancel, a day already taken) gives way to adding
    a meeting, and that to somebody's unavailability, which always applies.
    """
    kind = draw(st.sampled_from(DISRUPTIONS))
    for name in (kind, "add", "unavailable"):
        changed = EDITS[name](draw, copy.deepcopy(data))
        if changed is not None:
            return changed, name
    raise AssertionError("unreachable: somebody can always be unavailable")


@st.composite
def disrupted(draw: Draw, programmes: st.SearchStrategy[Data]) -> tuple[Data, Data, str]:
    """(old data, new data, edit name): a programme drawn from `programmes`, then one edit."""
    old = draw(programmes)
    new, name = draw(disruption(old))
    return old, new, name


def _tiny_item(draw: Draw, index: int, meetings: list[str], earlier: list[str]) -> Data:
    kind = draw(st.sampled_from(("short", "substantive", "report")))
    item: Data = {"id": f"i{index}", "title": f"Item {index}", "body": "main", "kind": kind}
    priority = draw(st.sampled_from((None, None, *PRIORITIES)))
    if priority is not None:
        item["priority"] = priority
    if maybe(draw, 0.3):
        item["window"] = _window(draw)
    if maybe(draw, 0.35):
        item["witnesses"] = ["w"]
    if maybe(draw, 0.2):
        item["presenters"] = ["a"]
    if maybe(draw, 0.1):
        item["meeting"] = draw(st.sampled_from(meetings))
    if earlier and maybe(draw, 0.15):
        item["after"] = {"item": draw(st.sampled_from(earlier)), "gap_days": 14}
    if maybe(draw, 0.2):
        item["minutes"] = draw(st.sampled_from((0, 30, 45, 90)))
    return item


@st.composite
def tiny_programme_data(draw: Draw) -> Data:
    """One body, 2-4 meetings, 2-4 items of `times: 1`, no standing items (see the module)."""
    count = draw(st.integers(2, 4))
    offsets = draw(
        st.lists(st.integers(0, YEAR_DAYS - 1), min_size=count, max_size=count, unique=True)
    )
    dates = sorted(day(o) for o in offsets)
    body: Data = {
        "id": "main",
        "name": "Main Committee",
        "minutes": draw(st.sampled_from((150, 150, 90, 60, 40))),
        "meetings": [d.isoformat() for d in dates],
    }
    if maybe(draw, 0.4):
        body["limits"] = {draw(st.sampled_from(("short", "substantive", "report"))): 1}
    witness: Data = {"id": "w", "name": "Witness W"}
    if maybe(draw, 0.6):
        witness["unavailable"] = [draw(st.sampled_from(dates)).isoformat()]
    keys = [f"main-{d}" for d in dates]
    items: list[Data] = []
    for index in range(1, draw(st.integers(2, 4)) + 1):
        items.append(_tiny_item(draw, index, keys, [i["id"] for i in items]))
    return {
        "id": "tiny-council",
        "council": "Tiny Borough Council",
        "title": "Tiny Work Programme",
        "year": f"{YEAR_START}..{YEAR_END}",
        "people": [{"id": "a", "name": "Officer A"}, witness],
        "bodies": [body],
        "items": items,
    }
