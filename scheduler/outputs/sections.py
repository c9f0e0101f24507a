"""The sections an agenda prints its items under (by kind, or the council's own headings), and
which entries the public may not read."""

from __future__ import annotations

from collections.abc import Sequence

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

#: A heading of the council's own and the agenda entries under it ("": under no heading).
Group = tuple[str, list[AgendaEntry]]


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


def council_headings(p: Programme, agenda: Sequence[AgendaEntry]) -> list[Group] | None:
    """The agenda under the council's own headings (its items' `section`, DESIGN §4.6), when any
    entry that is not exempt has one; None when none has (the agenda then goes by `section`).

    Entries without a section come first, under no heading (""); then each heading in the order
    it first appears, its entries in agenda order; then, under no heading, those without a
    section that go last (`position: last`); exempt (Part 2) entries last, under the Part 2
    heading whatever their own section says.
    """
    groups: dict[str, list[AgendaEntry]] = {"": []}
    closing, part_2 = [], []
    for entry in agenda:
        item = p.items_by_id.get(entry.item)
        if is_exempt(p, entry):
            part_2.append(entry)
        elif item is not None and not item.section and item.position == "last":
            closing.append(entry)
        else:
            groups.setdefault(item.section if item and item.section else "", []).append(entry)
    if len(groups) == 1:
        return None
    out = [(heading, entries) for heading, entries in groups.items() if entries]
    out += [("", closing)] if closing else []
    return out + ([(SECTIONS["part-2"], part_2)] if part_2 else [])


def positioned(p: Programme, a: AgendaEntry) -> bool:
    """An entry the programme puts first or last on the agenda (`position`), not exempt: it
    goes under no heading of its kind."""
    item = p.items_by_id.get(a.item)
    return item is not None and item.position is not None and not is_exempt(p, a)
