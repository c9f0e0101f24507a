"""Hard R5 pin, checked: a pinned item only at its meeting; special meetings take only pins."""

from __future__ import annotations

from collections.abc import Iterator

from scheduler.check.view import Finding, View, hard


@hard("R5")
def check_r5(view: View) -> Iterator[Finding]:
    """Hard R5 pin: a pinned item only at its meeting; a special meeting takes only its pins."""
    for placed, item in view.entries():
        subject, where = placed.subject, placed.where
        day = placed.meeting.day
        if item.meeting is not None and item.meeting not in (where, day and day.isoformat()):
            yield subject, f"{subject} is pinned to {item.meeting} but is at {where}"
        elif placed.meeting.special and item.meeting is None and item.kind != "standing":
            yield subject, f"{subject} is at special meeting {where}, not pinned there"
