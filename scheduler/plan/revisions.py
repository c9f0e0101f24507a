"""Revisions of published meetings across plan versions: SEQUENCE, LAST-MODIFIED and the
meetings withdrawn since (DESIGN §7).

A calendar client replaces its copy of an event only when the event's SEQUENCE rises, so each
meeting carries the count of its published revisions from one plan version to the next. A meeting
is revised when anything its calendar event shows changed: date, time, venue, status, agenda or
deadlines. A meeting once published and since cancelled or removed is never just dropped: the
plan keeps its last published version in `withdrawn`, so that everyone who had it in their
calendar keeps seeing it, cancelled, in every later version.
"""

from __future__ import annotations

import datetime as dt

from scheduler.plan.model import Plan, PlannedMeeting


def shown(meeting: PlannedMeeting) -> tuple[object, ...]:
    """What a calendar event of the meeting shows; a change to any of it is a revision."""
    agenda = tuple(
        (a.item, a.occurrence, a.title, a.kind, tuple(a.people), a.exempt)
        for a in meeting.agenda
    )
    return (
        meeting.date,
        meeting.start,
        meeting.end,
        meeting.venue,
        meeting.status,
        meeting.deadlines,
        agenda,
    )


def last_published(plan: Plan) -> dict[str, PlannedMeeting]:
    """Each meeting id -> the version of it the plan's feeds show: the plan's own, else (a
    meeting gone from the programme) its withdrawn record, cancelled."""
    out = {m.id: m for m in plan.meetings}
    for meeting in plan.withdrawn:
        out.setdefault(meeting.id, meeting)
    return out


def revise(previous: Plan, plan: Plan) -> Plan:
    """`plan` as the next published version after `previous`.

    A meeting unchanged since `previous` keeps its sequence and the time it was last revised; a
    changed one (a meeting back after being withdrawn included) gets the next sequence and
    `revised` null (this version's own change). A new meeting starts at 0. A sequence the plan
    already carries is never lowered, so revising twice, or against an older version, changes
    nothing. Every meeting cancelled or gone now that `previous` showed gets (or keeps) its
    withdrawn record: its last open version, cancelled; so does one that has lost its day
    (postponed, date to be fixed: DESIGN §4.6), until it has a day again.
    """
    stamp = previous.published
    before = last_published(previous)
    meetings = [_next(before.get(m.id), m, stamp) for m in plan.meetings]
    now = {m.id: m for m in meetings}
    records = {m.id: m for m in previous.withdrawn}
    withdrawn = []
    for mid, old in sorted(before.items()):
        current = now.get(mid)
        dated = current is not None and (current.date is not None or old.date is None)
        if current is not None and current.status != "cancelled" and dated:
            continue  # open again, or still open (with a day, if it had one)
        if current is not None and old.status == "cancelled" and mid not in records:
            continue  # cancelled all along: nobody's calendar had its agenda
        record = (records.get(mid) or old).model_copy(update={"status": "cancelled"})
        if current is None:  # gone: the record is what the feeds show, cancelled
            record = _next(old, record, stamp)
        else:
            record = record.model_copy(
                update={"sequence": current.sequence, "revised": current.revised}
            )
        withdrawn.append(record)
    return plan.model_copy(update={"meetings": meetings, "withdrawn": withdrawn})


def _next(
    old: PlannedMeeting | None, meeting: PlannedMeeting, stamp: dt.datetime | None
) -> PlannedMeeting:
    """`meeting` numbered as the revision after `old` (its version before, if any)."""
    if old is None:
        return meeting
    changed = shown(old) != shown(meeting)
    sequence = old.sequence + 1 if changed else old.sequence
    if meeting.sequence > sequence or (changed and meeting.sequence == sequence):
        return meeting  # numbered already, as this revision or a later one
    # Unchanged: it was last revised when `old` was (or, `old` being that version's own
    # change, when `previous` was published), whatever `meeting` says.
    revised = None if changed else old.revised or stamp
    return meeting.model_copy(update={"sequence": sequence, "revised": revised})
