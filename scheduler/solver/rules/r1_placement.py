"""R1 placement: every item at exactly `times` distinct non-cancelled meetings of its body."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, Variables, is_standing, required

#: Why a unit has nowhere to go when no rule ruled a meeting out: R1 gave it none.
NO_MEETINGS = "R1 placement: its body has no open meetings"


def own_meetings(e: Expansion, unit: Unit) -> list[Slot]:
    """Hard constraint R1: a unit may only go to its own body's meetings that are not
    cancelled, in date order. Other meetings get no variable and no reason: they were never the
    unit's to use (the other rules' `prune` say why one of these is out)."""
    return e.body_slots(unit.item.body)


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R1: `count` meetings, or none when the unit may stay unplaced.

    Standing items (R2) and rotation officers (R7) have their own counts.
    """
    for unit in e.units:
        if is_standing(unit) or unit.person or unit.waits:
            continue
        total = sum(v.of_unit(unit))
        if required(unit):
            model.add(total == unit.count).only_enforce_if(v.guard(model, "R1", unit.key))
        else:
            model.add(total == unit.count * v.placed[unit.key])


def too_few_meetings(unit: Unit) -> list[str]:
    """A must unit that fewer meetings can take than it needs, and why each other is out: the
    programme cannot be solved, whatever the search does."""
    return [
        f"R1 placement: '{unit.title}' ({unit.key}) must go to {unit.count} meeting(s) "
        f"but {len(unit.candidates)} of its body's meetings are possible:",
        *(f"  {m}: {'; '.join(r)}" for m, r in unit.pruned.items()),
    ]


def describe(e: Expansion, subject: str) -> str:
    u = e.units_by_key[subject]
    return (
        f"R1 placement: '{u.title}' ({u.key}) is a must at {u.count} meeting(s) "
        f"of '{u.item.body}'"
    )


RULE = Rule("R1", "placement", post=post, describe=describe)
