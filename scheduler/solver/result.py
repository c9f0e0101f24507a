"""The solver's result: placements -> the plan's meetings, agendas in DESIGN §8 order, minutes
and deadlines."""

from __future__ import annotations

from scheduler.plan.meetings import planned_meeting
from scheduler.plan.model import (
    AGENDA_ORDER,
    AgendaEntry,
    PlannedMeeting,
    anchor_of,
)
from scheduler.solver.expand import Expansion, Unit
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


def planned_meetings(e: Expansion, placements: dict[str, list[str]]) -> list[PlannedMeeting]:
    """Every meeting of the programme, date order, with the units placed there."""
    at: dict[str, list[AgendaEntry]] = {m: [] for m in e.slots}
    for key, meetings in placements.items():
        for meeting in meetings:
            at[meeting].append(entry(e, e.units_by_key[key]))
    return [
        planned_meeting(e.programme, slot.body, slot.meeting, order(at[slot.id], e))
        for slot in e.slots.values()
    ]
