"""Programmes of the shapes an audit found hard (issue 23), for the benchmarks and the tests:

- `same_hour(24)`: 24 committees meeting on the same evenings at 19:00, their items presented
  by 6 officers in common (R8 posted pairwise made 626,000 constraints for 7,100 variables);
- `oversubscribed()`: one committee, 20 meetings, 203 items asking for more agenda time than
  the year has (no whole plan for 45 s of CPU);
- `recurring(62)`: 62 items that come to 4 meetings each (32 s to a first plan, no bound).

Each is deterministic: the same call, the same programme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
YEAR = (dt.date(2025, 5, 20), dt.date(2026, 5, 19))
#: Tuesdays from June to April, a meeting a month but August and December.
MONTHLY = [
    dt.date(2025, 6, 17), dt.date(2025, 7, 15), dt.date(2025, 9, 16), dt.date(2025, 10, 14),
    dt.date(2025, 11, 18), dt.date(2026, 1, 20), dt.date(2026, 2, 17), dt.date(2026, 3, 17),
    dt.date(2026, 4, 14),
]  # fmt: skip
KINDS = ("substantive", "short", "report", "information")


def _frame(pid: str, title: str) -> Data:
    return {
        "id": pid,
        "council": "Shape Borough Council",
        "title": title,
        "year": f"{YEAR[0]}..{YEAR[1]}",
        "deadlines": {"agenda_clear_days": 5},
    }


def same_hour(bodies: int = 24, officers: int = 6, items: int = 30) -> Data:
    """`bodies` committees on the same nine evenings at 19:00; each has `items` items, each
    presented by one of `officers` officers that every committee shares."""
    data = _frame(f"same-hour-{bodies}", f"{bodies} committees at the same hour")
    data["people"] = [
        {"id": f"officer-{i}", "name": f"Officer {i}", "role": "Director"} for i in range(officers)
    ]
    data["bodies"] = [
        {"id": f"committee-{b}", "name": f"Committee {b}", "start": "19:00", "minutes": 120,
         "meetings": MONTHLY}
        for b in range(bodies)
    ]  # fmt: skip
    data["items"] = [
        {"id": f"c{b}-item-{i}", "title": f"Committee {b} report {i}", "body": f"committee-{b}",
         "kind": KINDS[i % len(KINDS)], "presenters": [f"officer-{(b + i) % officers}"]}
        for b in range(bodies)
        for i in range(items)
    ]  # fmt: skip
    return data


def oversubscribed(meetings: int = 20, items: int = 203) -> Data:
    """One committee of `meetings` meetings of 90 minutes and `items` items of 20 to 45 minutes
    each: about three times the agenda time there is, so most items cannot be placed."""
    days = [YEAR[0] + dt.timedelta(days=14 * (n + 1)) for n in range(meetings)]
    data = _frame(f"oversubscribed-{items}", f"{items} items for {meetings} meetings")
    data["people"] = [{"id": "officer", "name": "The Officer"}]
    data["bodies"] = [
        {"id": "committee", "name": "The Committee", "start": "18:30", "minutes": 90,
         "meetings": days}
    ]  # fmt: skip
    data["items"] = [
        {"id": f"item-{i}", "title": f"Report {i}", "body": "committee",
         "kind": KINDS[i % len(KINDS)], "minutes": 20 + 5 * (i % 6),
         "priority": ("high", "normal", "low")[i % 3]}
        for i in range(items)
    ]  # fmt: skip
    return data


def recurring(items: int = 62, times: int = 4) -> Data:
    """Two committees and `items` items that each come to `times` meetings, gaps between."""
    data = _frame(f"recurring-{items}x{times}", f"{items} items at {times} meetings each")
    data["people"] = [{"id": "officer", "name": "The Officer"}]
    data["bodies"] = [
        {"id": f"committee-{b}", "name": f"Committee {b}", "start": "19:00", "minutes": 180,
         "meetings": [d + dt.timedelta(days=b) for d in MONTHLY]}
        for b in range(2)
    ]  # fmt: skip
    data["items"] = [
        {"id": f"item-{i}", "title": f"Update {i}", "body": f"committee-{i % 2}",
         "kind": "short", "minutes": 10, "times": times}
        for i in range(items)
    ]  # fmt: skip
    return data


#: By the name `bench.generate --shape` takes.
SHAPES: dict[str, Callable[[], Data]] = {
    "same-hour": same_hour,
    "oversubscribed": oversubscribed,
    "recurring": recurring,
}
