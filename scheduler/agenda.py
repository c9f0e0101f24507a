"""Placements -> the plan's meetings: agendas in DESIGN §8 order, minutes and deadlines."""

from __future__ import annotations

from scheduler.deadlines import deadlines_of
from scheduler.expand import Expansion, Slot, Unit
from scheduler.model import Item, Programme
from scheduler.plan import AGENDA_ORDER, AgendaEntry, MeetingDeadlines, PlannedMeeting
from scheduler.rules.r5_pin import pinned_to


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
        anchor = _anchor(e.programme, a)
        return (
            int(a.exempt),
            AGENDA_ORDER.index(anchor.kind if anchor else a.kind),
            position[anchor.id if anchor else a.item],
            int(anchor is not None),
            a.occurrence or "",
        )

    return sorted(entries, key=key)


def _anchor(p: Programme, a: AgendaEntry) -> Item | None:
    """The item a witness session goes `with` (it sits beside it on the agenda)."""
    item = p.items_by_id.get(a.item)
    if a.kind != "witness-session" or item is None:
        return None
    return p.items_by_id.get(item.with_ or "")


#: Agenda sections, in order, with the headings agendas print; `part-2` holds exempt items.
SECTIONS = {
    "standing": "Standing items",
    "scrutiny": "Scrutiny",
    "short": "Short items",
    "substantive": "Substantive items",
    "report": "Reports",
    "information": "For information",
    "part-2": "Part 2 (exempt): press and public excluded",
}


def is_exempt(p: Programme, a: AgendaEntry) -> bool:
    """Part 2: as the plan says, or as the programme says now (a plan older than an edit)."""
    item = p.items_by_id.get(a.item)
    return a.exempt or (item is not None and p.part_2(item))


def section(p: Programme, a: AgendaEntry) -> str:
    """The agenda section of an entry (a key of SECTIONS): a witness session goes in its item's."""
    if is_exempt(p, a):
        return "part-2"
    anchor = _anchor(p, a)
    kind = anchor.kind if anchor else a.kind
    return kind if kind in SECTIONS else "substantive"


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
