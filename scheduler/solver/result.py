"""The solver's result: placements -> the plan's meetings, agendas in DESIGN §8 order, minutes
and deadlines; and the whole plan of them (`placed_plan`), searched for or not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scheduler.plan.listed import carried_forward, suggested
from scheduler.plan.meetings import planned_meeting
from scheduler.plan.model import (
    AGENDA_ORDER,
    AgendaEntry,
    Plan,
    PlannedMeeting,
    anchor_of,
)
from scheduler.programme.words import day_words, listing, short_day
from scheduler.solver.expand import PREVIOUS_MEETING, Expansion, Slot, Unit
from scheduler.solver.explain import unplaced_entries, waiting_entries
from scheduler.solver.rules.core import Rule, required
from scheduler.solver.rules.r5_pin import pinned_to
from scheduler.solver.rules.r9_order import provisional

#: Where `position` puts an item on its meeting's agenda: first, in agenda order, last.
POSITIONS = {"first": 0, None: 1, "last": 2}


def entry(e: Expansion, unit: Unit, slot: Slot) -> AgendaEntry:
    """The agenda line of a unit at `slot`: provisional while the meeting's day, or the day of
    what the unit comes after, is not fixed."""
    title = unit.title
    if PREVIOUS_MEETING in unit.template:
        title = unit.template.replace(PREVIOUS_MEETING, previous_meetings(e, slot))
    return AgendaEntry(
        item=unit.item.id,
        title=title,
        kind=unit.item.kind,
        minutes=unit.item.duration,
        occurrence=unit.occurrence,
        people=list(unit.people),
        exempt=e.programme.part_2(unit.item),
        pinned=pinned_to(e, unit) is not None,
        provisional=not slot.fixed or provisional(e.programme, unit),
    )


def previous_meetings(e: Expansion, slot: Slot) -> str:
    """The meeting(s) of the body since its last ordinary one, by date ("14 November 2024 and
    3 December 2024"), as a minutes item names them; "the previous meeting" before the first.
    Only meetings surely before `slot` count (a day not fixed: by its last possible day)."""
    before = [s for s in e.body_slots(slot.body.id) if s.latest < slot.date]
    ordinary = [n for n, s in enumerate(before) if not s.special]
    since = before[ordinary[-1] :] if ordinary else before
    if not since:
        return "the previous meeting"
    return listing(short_day(s.date) if s.fixed else day_words(s.meeting) for s in since)


def order(entries: list[AgendaEntry], e: Expansion) -> list[AgendaEntry]:
    """Standing, scrutiny, short, substantive (then its witness session), report, information;
    an item's `position` first or last among them; exempt (Part 2) items after all; programme
    order within a kind."""
    position = e.positions
    items = e.programme.items_by_id

    def key(a: AgendaEntry) -> tuple[int, int, int, int, int, str]:
        anchor = anchor_of(e.programme, a)
        return (
            int(a.exempt),
            POSITIONS[items[anchor.id if anchor else a.item].position],
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
            at[meeting].append(entry(e, e.units_by_key[key], e.slots[meeting]))
    return [
        planned_meeting(e.programme, slot.body, slot.meeting, order(at[slot.id], e))
        for slot in e.slots.values()
    ]


def left_out(e: Expansion, placements: Mapping[str, Sequence[str]]) -> list[Unit]:
    """The `must` units (and rotation sessions) a plan leaves out: no plan could hold them."""
    return [
        u
        for u in e.units
        if required(u) and u.item.kind != "standing" and len(placements.get(u.key, [])) < u.count
    ]


def placed_plan(
    e: Expansion,
    placements: dict[str, list[str]],
    rules: Iterable[Rule],
    conflicts: Mapping[str, list[str] | None] | None = None,
    **found: Any,
) -> Plan:
    """The plan of the units at their meetings (unit key -> meeting ids), from a search or not
    (the clerk's hand method, `solver.first_fit`): every meeting with its agenda, what waits
    for a date and what is left out with its reasons (a must unit with its conflict from
    `conflicts`), what is only listed; not `complete` when a must unit is left out. `found`
    is the rest of the plan, what the search says of it (status, seconds, objective, ...)."""
    return Plan(
        programme=e.programme.id,
        complete=not left_out(e, placements),
        meetings=planned_meetings(e, placements),
        unplaced=[*waiting_entries(e), *unplaced_entries(e, placements, rules, conflicts)],
        carried_forward=carried_forward(e.programme),
        suggested=suggested(e.programme),
        **found,
    )
