"""R1 placement: every item at exactly `times` distinct non-cancelled meetings of its body."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, Variables, is_standing, required


def prune(e: Expansion, unit: Unit, slot: Slot) -> str | None:
    """Hard constraint R1: only meetings of the item's own body."""
    if slot.body.id != unit.item.body:
        return f"R1 placement: {slot.id} is a meeting of another body"
    return None


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


RULE = Rule("R1", "placement", prune=prune, post=post)
