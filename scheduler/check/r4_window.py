"""Hard R4 window, checked: inside an item's window, and in time for its decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from scheduler.check.view import Finding, View, hard


@hard("R4")
def check_r4(view: View) -> Iterator[Finding]:
    """Hard R4 window: only meetings inside `window`, and `lead_days` before a `decision`."""
    for placed, item in view.entries():
        if item.window is not None and not (
            placed.date in item.window and placed.meeting.latest in item.window
        ):
            yield placed.subject, f"{placed.at}, outside its window {item.window}"
        decision = item.decision
        event = view.programme.events_by_id.get(decision.event) if decision else None
        if decision is None or event is None:
            continue
        first = event.date.earliest  # known roughly: the decision may come at its earliest
        if first is None:
            yield placed.subject, f"{placed.at}, but {event.id} has no date: it must stay unplaced"
        elif placed.meeting.latest > (latest := first - dt.timedelta(days=decision.lead_days)):
            yield (
                placed.subject,
                (
                    f"{placed.at}, after {latest}, "
                    f"{decision.lead_days} days before {event.id} on {event.date}"
                ),
            )
