"""R8 people: everyone an item needs is available on the date, and nobody is needed at two
meetings whose times overlap. A meeting whose day is not fixed yet is not judged: people wait
for the day (DESIGN §4.6), and its placements are provisional."""

from __future__ import annotations

from datetime import UTC

from ortools.sat.python import cp_model

from scheduler.plan.model import Reason
from scheduler.programme.words import listing, long_day
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, Variables, because


def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
    """Hard constraint R8: every person the unit needs is available that day."""
    if not slot.fixed:
        return None
    away = [p for p in unit.people if not e.programme.people_by_id[p].available(slot.date)]
    if away:
        names = [e.programme.people_by_id[p].name for p in away]
        return because(
            "R8",
            f"{listing(names)} cannot attend on {long_day(slot.date)} ({slot.body.name})",
            f"R8 people: {', '.join(names)} unavailable on {slot.date}",
        )
    return None


def overlaps(a: Slot, b: Slot) -> bool:
    """Two open meetings whose times overlap, as moments: Python compares two times of one zone
    by the clock, and on the night the clocks go back 01:30 comes twice."""
    a_start, a_end, b_start, b_end = (t.astimezone(UTC) for t in (a.start, a.end, b.start, b.end))
    fixed = a.fixed and b.fixed
    return fixed and a.open and b.open and a_start < b_end and b_start < a_end


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R8: nobody at two overlapping meetings. For each person, at most one of
    each largest group of meetings that all overlap one another (a moment they all hold): as
    many constraints as the person's meetings, where one per overlapping pair of meetings and
    pair of placements grew with the square of the bodies sitting at the same hour."""
    order = {slot_id: i for i, slot_id in enumerate(e.slots)}
    # person -> meeting -> the variables placing a unit that needs the person there
    needed: dict[str, dict[str, list[cp_model.IntVar]]] = {}
    for unit in e.units:
        for person in unit.people:
            at = needed.setdefault(person, {})
            for meeting in unit.candidates:
                at.setdefault(meeting, []).append(v.x[unit.key, meeting])
    for person, at in sorted(needed.items()):
        there: dict[str, cp_model.IntVar] = {}  # one literal a meeting, whatever its groups
        for group in _together([e.slots[m] for m in sorted(at, key=order.__getitem__)]):
            ids = sorted((s.id for s in group), key=order.__getitem__)
            enforce = v.guard(model, "R8", f"{person}@{'+'.join(ids)}")
            for m in ids:
                if m not in there:
                    there[m] = _there(model, f"there:{person}@{m}", at[m])
            model.add(sum(there[m] for m in ids) <= 1).only_enforce_if(enforce)


def _there(
    model: cp_model.CpModel, name: str, placing: list[cp_model.IntVar]
) -> cp_model.IntVar:
    """A literal true whenever the person is at the meeting (some unit needing them placed
    there): the unit's own variable, or one (`name`) that each of several implies."""
    if len(placing) == 1:
        return placing[0]
    there = model.new_bool_var(name)
    for x in placing:
        model.add_implication(x, there)
    return there


def _together(slots: list[Slot]) -> list[list[Slot]]:
    """The largest groups (two or more) of `slots` that all overlap one another: for meetings,
    those under way at some meeting's start (meetings under way at one moment all overlap one
    another, and a largest group is under way at its latest start); each group once, none
    inside another."""
    held = [
        (s.start.astimezone(UTC), s.end.astimezone(UTC), s) for s in slots if s.fixed and s.open
    ]
    groups: dict[frozenset[str], list[Slot]] = {}
    for moment, _, _ in held:
        group = [s for start, end, s in held if start <= moment < end]
        if len(group) > 1:
            groups.setdefault(frozenset(s.id for s in group), group)
    return [g for ids, g in groups.items() if not any(ids < other for other in groups)]


def describe(e: Expansion, subject: str) -> Reason:
    person, meetings = subject.split("@")
    name = e.programme.people_by_id[person].name
    slots = [e.slots[m] for m in meetings.split("+")]
    if len(slots) == 2:
        said = f"both {slots[0].words} and {slots[1].words}"
    else:
        said = f"more than one of {listing([s.words for s in slots])}"
    return because(
        "R8",
        f"{name} cannot be at {said}: their times overlap",
        f"R8 people: {name} cannot attend {'more than one of ' if len(slots) > 2 else 'both '}"
        f"{meetings.replace('+', ' and ')} (they overlap)",
    )


RULE = Rule("R8", "people", prune=prune, post=post, describe=describe)
