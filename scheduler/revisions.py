"""Revisions of published meetings across plan versions: SEQUENCE and LAST-MODIFIED (DESIGN §7).

A calendar client replaces its copy of an event only when the event's SEQUENCE rises, so each
meeting carries the count of its published revisions from one plan version to the next. A meeting
is revised when anything its calendar event shows changed: date, time, venue, status or agenda.
"""

from __future__ import annotations

from scheduler.plan import Plan, PlannedMeeting


def shown(meeting: PlannedMeeting) -> tuple[object, ...]:
    """What a calendar event of the meeting shows; a change to any of it is a revision."""
    agenda = tuple(
        (a.item, a.occurrence, a.title, tuple(a.people), a.exempt) for a in meeting.agenda
    )
    return (meeting.date, meeting.start, meeting.end, meeting.venue, meeting.status, agenda)


def revise(previous: Plan, plan: Plan) -> Plan:
    """`plan` with each meeting's `sequence` and `revised` carried on from `previous`.

    A meeting unchanged since `previous` keeps its sequence and the time it was last revised; a
    changed one gets the next sequence and `revised` null (this version's own change). A new
    meeting starts at 0. A sequence the plan already carries is never lowered, so revising twice,
    or against an older version, is harmless.
    """
    before = {m.id: m for m in previous.meetings}
    meetings = []
    for meeting in plan.meetings:
        old = before.get(meeting.id)
        if old is None:
            meetings.append(meeting)
            continue
        changed = shown(old) != shown(meeting)
        sequence = old.sequence + 1 if changed else old.sequence
        if meeting.sequence >= sequence and meeting.sequence:
            meetings.append(meeting)
            continue
        revised = None if changed else old.revised or previous.published
        meetings.append(meeting.model_copy(update={"sequence": sequence, "revised": revised}))
    return plan.model_copy(update={"meetings": meetings})


def removed(previous: Plan, plan: Plan) -> list[PlannedMeeting]:
    """Meetings of `previous` that `plan` no longer has, as cancelled revisions of themselves.

    A published meeting is never just dropped from a calendar (DESIGN §7): it stays, cancelled.
    """
    ids = {m.id for m in plan.meetings}
    return [
        m.model_copy(update={"status": "cancelled", "sequence": m.sequence + 1, "revised": None})
        for m in previous.meetings
        if m.id not in ids
    ]
