"""Hard R1 placement, checked: every item where it must be, or listed unplaced."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from scheduler.check.facts import periods
from scheduler.check.view import Finding, View, hard, held, plural, subject_of
from scheduler.plan.model import AgendaEntry, Plan, PlannedMeeting
from scheduler.programme.model import Body, Item, Meeting, Programme


@hard("R1")
def check_r1(view: View) -> Iterator[Finding]:
    """Hard R1 placement: every item at exactly `times` meetings of its body, or listed unplaced.

    Also: the plan's meetings are the programme's; a cancelled meeting has no agenda; no entry
    twice at a meeting; a delegated item on no agenda; a `must` item unplaced only when an
    undated event or an unplaced partner holds it, or the plan says it is not complete (and
    then one is).
    """
    yield from _r1_meetings(view)
    yield from _r1_entries(view)
    for item in view.programme.items:
        if item.placed_here and item.kind not in ("standing", "scrutiny"):
            labels: list[str | None] = [*periods(view.programme, item)] if item.every else [None]
            for occurrence in labels:
                yield from _r1_count(view, item, occurrence, 1 if item.every else item.times)
    for unplaced in view.plan.unplaced:
        listed = view.programme.items_by_id.get(unplaced.item)
        if listed is None:
            yield unplaced.item, f"{unplaced.item} is listed unplaced but is not an item"
        elif listed.suggested or listed.carried_forward:
            yield (
                unplaced.item,
                f"{unplaced.item} is listed unplaced but {_not_placed_here(listed)}",
            )
    items = view.programme.items_by_id
    musts = [
        u
        for u in view.plan.unplaced
        if (it := items.get(u.item)) is not None
        and it.importance == "must"
        and not held(view, it, frozenset())
    ]
    if not view.plan.complete and not musts:
        yield "plan", "the plan says it is not complete but leaves no must item out"


def meeting_mismatches(programme: Programme, plan: Plan) -> list[tuple[str, str]]:
    """(meeting id, what differs) wherever the plan's meetings are not the programme's: a
    meeting missing, unknown, or with another body, date, time or status. Such a plan was made
    before the programme was edited; it must be re-planned before it is published."""
    return list(_r1_meetings(View(programme, plan)))


def _r1_meetings(view: View) -> Iterator[Finding]:
    for mid, count in Counter(m.id for m in view.plan.meetings).items():
        if count > 1:
            yield mid, f"meeting {mid} is listed {count} times"
    for planned in view.planned.values():
        found = view.programme.meetings_by_id.get(planned.id)
        if found is None:
            yield planned.id, f"the programme has no meeting {planned.id}"
        else:
            yield from _r1_meeting_matches(view.programme, planned, *found)
    for mid, (_, meeting) in view.programme.meetings_by_id.items():
        if meeting.status != "cancelled" and mid not in view.planned:
            yield mid, f"meeting {mid} is missing from the plan"


def _r1_meeting_matches(
    programme: Programme, planned: PlannedMeeting, body: Body, meeting: Meeting
) -> Iterator[Finding]:
    start, end = programme.span(body, meeting)
    timed = (meeting.start or body.start) is not None
    want = {
        "body": body.id,
        "date": meeting.when.day,
        "when": None if meeting.fixed or not meeting.when.known else str(meeting.when),
        "start": start.time() if timed else None,
        "end": end.time() if timed else None,
        "status": meeting.status,
    }
    for key, value in want.items():
        if (have := getattr(planned, key)) != value:
            yield (
                planned.id,
                (f"{planned.id} has {key} {_shown(have)}; the programme says {_shown(value)}"),
            )
    if meeting.status == "cancelled" and planned.agenda:
        listed = ", ".join(subject_of(e.item, e.occurrence) for e in planned.agenda)
        yield planned.id, f"{planned.id} is cancelled but its agenda lists {listed}"


def _r1_entries(view: View) -> Iterator[Finding]:
    items = view.programme.items_by_id
    for placed in view.placed:
        item, where = items.get(placed.entry.item), placed.where
        if item is None:
            yield placed.subject, f"{placed.entry.item} at {where} is not an item"
        elif item.body != placed.body.id:
            yield placed.subject, f"{item.id} belongs to {item.body} but is at {where}"
        elif not item.placed_here:
            yield placed.subject, f"{item.id} {_not_placed_here(item)} but is at {where}"
        elif (problem := _occurrence_problem(view.programme, item, placed.entry)) is not None:
            yield placed.subject, f"{item.id} at {where} {problem}"
    twice = Counter((p.where, p.entry.item, p.entry.occurrence) for p in view.placed)
    for (where, item_id, occurrence), count in twice.items():
        subject = subject_of(item_id, occurrence)
        if count > 1 and getattr(items.get(item_id), "kind", None) != "scrutiny":
            yield subject, f"{subject} is at {where} {count} times"


def _not_placed_here(item: Item) -> str:
    """Why the programme does not place `item` here."""
    if item.carried_forward:
        return "is carried forward to next year"
    if item.suggested:
        return "is only suggested"
    return f"is delegated to {item.delegated_to}"


def _occurrence_problem(programme: Programme, item: Item, entry: AgendaEntry) -> str | None:
    """What is wrong with an entry's occurrence (rotation people are R7's business)."""
    if item.kind == "scrutiny":
        return None
    if item.every is None:
        return (
            None
            if entry.occurrence is None
            else (f"has occurrence {entry.occurrence}; it does not recur")
        )
    labels = periods(programme, item)
    if entry.occurrence in labels:
        return None
    return f"has occurrence {entry.occurrence}, not one of {', '.join(labels) or 'none'}"


def _r1_count(view: View, item: Item, occurrence: str | None, times: int) -> Iterator[Finding]:
    at = [p.where for p in view.at(item.id) if p.entry.occurrence == occurrence]
    where = list(dict.fromkeys(at))
    subject, listed = subject_of(item.id, occurrence), view.listed_unplaced(item.id, occurrence)
    if where and listed:
        yield subject, f"{subject} is placed but also listed unplaced"
    if where and len(where) != times:
        count = f"{plural(len(where), 'meeting')}, not {times}"
        yield subject, f"{subject} is at {count}: {', '.join(where)}"
    years = {view.programme.municipal_year(p.meeting.date) for p in view.at(item.id)}
    if occurrence is None and len(years) > 1:
        yield (
            subject,
            f"{subject} is at meetings of {len(years)} municipal years: {', '.join(where)}",
        )
    if not where and not listed:
        yield subject, f"{subject} is neither placed nor listed unplaced"
    if not where and item.importance == "must" and not held(view, item, frozenset()):
        if view.plan.complete:
            yield subject, f"{subject} is a must item but is unplaced"
        elif view.unproven(item.id, occurrence):
            yield subject, f"{subject} is a must item left out with no conflict named"


def _shown(value: object) -> str:
    """A value as the plan's JSON writes it (a time as HH:MM)."""
    return f"{value:%H:%M}" if isinstance(value, dt.time) else str(value)
