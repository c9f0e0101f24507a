"""One committee at a time: a programme and its plan cut down to some of their bodies.

The documents and feeds of the cut are those bodies' alone (`scrutiny report --body`, `scrutiny
feeds --body`, a committee's own page): their meetings and agendas, their items placed or not,
their own events and the people they concern. A body's sub-committees are in only when named
too. The outputs need no change for it: they show what the programme and plan they are given
hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scheduler.errors import InputError, Problem, shown
from scheduler.plan.model import Plan, PlannedMeeting
from scheduler.programme.model import Event, Item, Programme
from scheduler.programme.words import listing


def only(
    programme: Programme, plan: Plan, bodies: Iterable[str], *, source: str = "--body"
) -> tuple[Programme, Plan]:
    """`programme` and `plan` with only `bodies` (ids): their meetings, items and own events,
    and the people those concern; events of no body stay (items wait for them). The plan is
    complete when none of those bodies' `must` items is left out.

    Raises:
        InputError: naming each id that is not a body of the programme (`source` says where
            the ids were given), and the bodies there are.
    """
    chosen = list(dict.fromkeys(bodies))
    unknown = [b for b in chosen if b not in programme.bodies_by_id]
    if unknown:
        named = listing((shown(b) for b in unknown), last="or")
        known = listing(b.id for b in programme.bodies)
        message = f"no body {named} in this programme; its bodies are {known}"
        raise InputError([Problem(source, (), "", message)])
    kept = set(chosen)
    items = [i for i in programme.items if i.body in kept]
    events = [e for e in programme.events if e.body is None or e.body in kept]
    meetings = [m for m in plan.meetings if m.body in kept]
    withdrawn = [m for m in plan.withdrawn if m.body in kept]
    people = _concerned(programme, kept, items, events, [*meetings, *withdrawn])
    fields = {name: getattr(programme, name) for name in Programme.model_fields}
    fields.update(
        people=[p for p in programme.people if p.id in people],
        bodies=[b for b in programme.bodies if b.id in kept],
        items=items,
        events=events,
    )
    cut = Programme.model_construct(**fields)  # checked already: each part is the programme's
    ids = {i.id for i in items}
    unplaced = [u for u in plan.unplaced if u.item in ids]
    held = {m.id for m in [*meetings, *withdrawn]}
    changes = plan.changes
    if changes is not None:
        changes = [c for c in changes if c.item in ids or (c.item is None and c.meeting in held)]
    must = any(programme.items_by_id[u.item].importance == "must" for u in unplaced)
    return cut, plan.model_copy(
        update={
            "meetings": meetings,
            "withdrawn": withdrawn,
            "unplaced": unplaced,
            "carried_forward": [x for x in plan.carried_forward if x.item in ids],
            "suggested": [x for x in plan.suggested if x.item in ids],
            "changes": changes,
            "complete": plan.complete or not must,
        }
    )


def _concerned(
    programme: Programme,
    bodies: set[str],
    items: Sequence[Item],
    events: Sequence[Event],
    meetings: Sequence[PlannedMeeting],
) -> set[str]:
    """Everyone the bodies' outputs name: who sits with them, who their items and own events
    name, who is on their agendas."""
    people = {p for b in bodies for p in programme.bodies_by_id[b].roster}
    for item in items:
        people |= {*item.witnesses, *item.presenters, *item.invitees, *(item.rotation or {})}
    people |= {p for e in events if e.body in bodies for p in e.attendees}
    people |= {p for m in meetings for entry in m.agenda for p in entry.people}
    return people
