"""The solver's result: placements -> the plan's meetings, agendas in DESIGN §8 order, minutes
and deadlines."""

from __future__ import annotations

from scheduler.dates.deadlines import deadlines_of
from scheduler.plan.model import (
    AGENDA_ORDER,
    AgendaEntry,
    MeetingDeadlines,
    PlannedMeeting,
    anchor_of,
)
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.r5_pin import pinned_to


def entry(e: Expansion, unit: Unit) -> AgendaEntry:
    """The agenda line of a unit."""
    return AgendaEntry(
        item=unit.item.id,
        title=unit.title,
        kind=unit.item.kind,
        minutes=unit.item.duration,
        occurrence=unit.occurrence,
        people=list(unit.people),
        exempt=e.programme.part_2(unit.item),
        pinned=pinned_to(e, unit) is not None,
    )


def order(entries: list[AgendaEntry], e: Expansion) -> list[AgendaEntry]:
    """Standing, scrutiny, short, substantive (then its witness session), report, information;
    exempt (Part 2) items last; programme order within a kind."""
    position = e.positions

    def key(a: AgendaEntry) -> tuple[int, int, int, int, str]:
        anchor = anchor_of(e.programme, a)
        return (
            int(a.exempt),
            AGENDA_ORDER.index(anchor.kind if anchor else a.kind),
            position[anchor.id if anchor else a.item],
            int(anchor is not None),
            a.occurrence or "",
        )

    return sorted(entries, key=key)


def planned_meeting(e: Expansion, slot: Slot, agenda: list[AgendaEntry]) -> PlannedMeeting:
    """A meeting of the plan, with its deadlines (none when cancelled)."""
    deadlines = None
    if slot.open:
        d = deadlines_of(e.programme, slot.body, slot.meeting)
        deadlines = MeetingDeadlines(
            agenda_publication=d.agenda_publication.isoformat() if d.agenda_publication else None,
            reports_due=d.reports_due.isoformat(),
            public_questions=d.public_questions.strftime("%Y-%m-%dT%H:%M")
            if d.public_questions
            else None,
        )
    return PlannedMeeting(
        id=slot.id,
        body=slot.body.id,
        date=slot.date.isoformat(),
        start=slot.start.strftime("%H:%M"),
        end=slot.end.strftime("%H:%M"),
        venue=slot.meeting.venue or slot.body.venue,
        status=slot.meeting.status,
        minutes_used=sum(a.minutes for a in agenda),
        minutes_available=slot.body.minutes,
        deadlines=deadlines,
        agenda=order(agenda, e),
    )


def planned_meetings(e: Expansion, placements: dict[str, list[str]]) -> list[PlannedMeeting]:
    """Every meeting of the programme, date order, with the units placed there."""
    at: dict[str, list[AgendaEntry]] = {m: [] for m in e.slots}
    for key, meetings in placements.items():
        for meeting in meetings:
            at[meeting].append(entry(e, e.units_by_key[key]))
    return [planned_meeting(e, slot, at[slot.id]) for slot in e.slots.values()]
