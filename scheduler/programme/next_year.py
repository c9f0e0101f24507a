"""Next year's programme from this year's (DESIGN §10, "The clerk never needs the file").

What carries over: the council's settings and deadlines, the people (without this year's days
away), the bodies (without their meetings: next year's are not known yet), the events (their
dates cleared) and the items that come back every year: standing items, reports that come
every quarter, half-year or year, directors' scrutiny in rotation, and the items deferred to next
year (no longer deferred). What an item said about this year's dates goes: its pin, window and
preferred dates, its history, and what it followed that does not carry over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

#: An item's keys about this year's dates, which next year's programme starts without.
THIS_YEARS = ("meeting", "window", "prefer", "history", "deferred", "suggested")


def recurring(item: dict[str, Any]) -> bool:
    """An item that comes back next year as it is, or was deferred to it."""
    return (
        item.get("kind") in ("standing", "scrutiny")
        or bool(item.get("every"))
        or item.get("deferred") == "next-year"
    )


def next_year(
    data: dict[str, Any], *, pid: str, title: str, year: tuple[dt.date, dt.date], made_from: str
) -> str:
    """Next year's programme file (YAML) from this year's data, as `programme.source` reads it.

    `made_from` names this year's programme in the new file's first comment."""
    items = [dict(i) for i in data.get("items") or [] if isinstance(i, dict) and recurring(i)]
    kept = {i.get("id") for i in items}
    for item in items:
        for key in THIS_YEARS:
            item.pop(key, None)
        if "with" in item and item["with"] not in kept:  # `follows` names a body: kept
            del item["with"]
        if "after" in item:
            after = item["after"] if isinstance(item["after"], list) else [item["after"]]
            left = [a for a in after if isinstance(a, dict) and _carried(a, kept)]
            if left:
                item["after"] = left
            else:
                del item["after"]
    new: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("items", "people", "bodies", "events"):
            continue
        new[key] = value
    new |= {"id": pid, "title": title, "year": f"{year[0].isoformat()}..{year[1].isoformat()}"}
    if "closures" in new:  # the same days a year on, those in the new year
        days = (_day(d) for d in new["closures"])
        moved = (one_year_on(d) for d in days if d is not None)
        new["closures"] = [d for d in moved if year[0] <= d <= year[1]]
    new["people"] = [_without(p, "unavailable") for p in _entries(data, "people")]
    new["bodies"] = [_without(b, "meetings") | {"meetings": []} for b in _entries(data, "bodies")]
    new["items"] = items
    new["events"] = [_without(e, "date") for e in _entries(data, "events")]
    head = (  # a comment is one line: no line break of any kind in it
        f"# {' '.join(title.split())}: made from {' '.join(made_from.split())}, with its "
        "settings, people, committees, events\n"
        "# (their dates cleared) and the items that come every year. Add the meetings.\n"
    )
    return head + yaml.safe_dump(new, sort_keys=False, allow_unicode=True, width=100)


def _carried(after: dict[str, Any], kept: set[Any]) -> bool:
    """An `after` that still means something next year: an event, a body, a carried item."""
    if after.get("item") is not None:
        return after["item"] in kept
    return after.get("meeting") is None


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _entries(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [e for e in data.get(key) or [] if isinstance(e, dict)]


def _without(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}


def one_year_on(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
