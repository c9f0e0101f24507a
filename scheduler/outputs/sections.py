"""The sections an agenda prints its items under, and which entries the public may not read."""

from __future__ import annotations

from scheduler.plan.model import AgendaEntry, anchor_of
from scheduler.programme.model import Programme

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
    anchor = anchor_of(p, a)
    kind = anchor.kind if anchor else a.kind
    return kind if kind in SECTIONS else "substantive"
