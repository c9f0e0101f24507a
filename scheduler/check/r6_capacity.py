"""Hard R6 capacity, checked: a meeting's items fit its minutes and its limits per kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scheduler.check.view import Finding, View, hard, subject_of
from scheduler.plan.model import PlannedMeeting
from scheduler.programme.model import Body, Meeting, Programme


@hard("R6")
def check_r6(view: View) -> Iterator[Finding]:
    """Hard R6 capacity: a meeting's items fit its agenda `minutes` (the meeting's own, else its
    body's, where either states them); its body's `limits` per kind hold.

    Minutes are the items' own; each entry must state them, and `minutes_used` their sum.
    """
    for planned in view.planned.values():
        used = sum(e.minutes for e in planned.agenda)
        if planned.minutes_used != used:
            stated = planned.minutes_used
            yield planned.id, f"{planned.id} states {stated} minutes used; its agenda has {used}"
        found = view.programme.meetings_by_id.get(planned.id)
        if found is not None and found[1].status != "cancelled":
            yield from _r6_capacity(view.programme, *found, planned)


def _r6_capacity(
    programme: Programme, body: Body, meeting: Meeting, planned: PlannedMeeting
) -> Iterator[Finding]:
    minutes, kinds = 0, Counter[str]()
    for entry in planned.agenda:
        item = programme.items_by_id.get(entry.item)
        minutes += entry.minutes if item is None else item.duration
        kinds[entry.kind if item is None else item.kind] += 1
        if item is not None and entry.minutes != item.duration:
            subject = subject_of(entry.item, entry.occurrence)
            text = f"states {entry.minutes} minutes; it takes {item.duration}"
            yield subject, f"{subject} at {planned.id} {text}"
    stated = body.agenda_minutes(meeting)
    if stated is not None and minutes > stated:
        yield planned.id, f"{planned.id} uses {minutes} of {stated} minutes"
    for kind, limit in body.limits.items():
        if kinds[kind] > limit:
            yield planned.id, f"{planned.id} has {kinds[kind]} {kind} items; the limit is {limit}"
