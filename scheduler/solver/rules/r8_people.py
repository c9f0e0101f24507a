"""R8 people: everyone an item needs is available on the date, and nobody is needed at two
meetings whose times overlap. A meeting whose day is not fixed yet is not judged: people wait
for the day (DESIGN §4.6), and its placements are provisional."""

from __future__ import annotations

from datetime import UTC
from itertools import combinations

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
    """Hard constraint R8: nobody at two overlapping meetings."""
    slots = list(e.slots.values())
    overlapping = [(a, b) for a, b in combinations(slots, 2) if overlaps(a, b)]
    if not overlapping:
        return
    # person -> meeting -> the variables placing a unit that needs the person there
    needed: dict[str, dict[str, list[cp_model.IntVar]]] = {}
    for unit in e.units:
        for person in unit.people:
            at = needed.setdefault(person, {})
            for meeting in unit.candidates:
                at.setdefault(meeting, []).append(v.x[unit.key, meeting])
    for person, at in sorted(needed.items()):
        for a, b in overlapping:
            if a.id not in at or b.id not in at:
                continue
            enforce = v.guard(model, "R8", f"{person}@{a.id}+{b.id}")
            for x_a in at[a.id]:
                for x_b in at[b.id]:
                    model.add_bool_or([x_a.Not(), x_b.Not()]).only_enforce_if(enforce)


def describe(e: Expansion, subject: str) -> Reason:
    person, meetings = subject.split("@")
    name = e.programme.people_by_id[person].name
    a, b = (e.slots[m] for m in meetings.split("+"))
    return because(
        "R8",
        f"{name} cannot be at both {a.words} and {b.words}: their times overlap",
        f"R8 people: {name} cannot attend both {meetings.replace('+', ' and ')} (they overlap)",
    )


RULE = Rule("R8", "people", prune=prune, post=post, describe=describe)
