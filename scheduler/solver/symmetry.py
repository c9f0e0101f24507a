"""Symmetry breaking between interchangeable units (a model improvement, not a rule).

Units that every rule and goal treat alike (same body, kind, minutes, priority, people, possible
meetings and preferences, nothing ordered after or with them) can swap meetings without changing
anything. Proving optimality then means exploring every permutation; instead, the first of them
in programme order takes the earliest meeting. The optimum is unchanged, and the answer reads
naturally (the clerk's order is kept).
"""

from __future__ import annotations

from itertools import pairwise

from ortools.sat.python import cp_model

from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules.core import Variables


def _signature(unit: Unit) -> tuple[object, ...] | None:
    item = unit.item
    if unit.count != 1 or unit.release or unit.person or item.kind == "standing" or unit.waits:
        return None
    if item.after or item.with_:
        return None
    return (
        item.body,
        item.kind,
        item.duration,
        item.importance,
        tuple(unit.candidates),
        unit.people,
        str(item.prefer),
    )


def interchangeable(e: Expansion) -> list[list[Unit]]:
    """Groups (two or more) of units that can swap meetings, in programme order."""
    linked = {a.item for u in e.units for a in u.item.after if a.item} | {
        u.item.with_ for u in e.units if u.item.with_
    }
    groups: dict[tuple[object, ...], list[Unit]] = {}
    for unit in e.units:
        signature = _signature(unit)
        if signature is not None and unit.item.id not in linked:
            groups.setdefault(signature, []).append(unit)
    return [g for g in groups.values() if len(g) > 1]


def break_symmetry(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Within each group: placed ones first, and each takes a meeting no earlier than the last."""
    for group in interchangeable(e):
        size = len(group[0].candidates) + 1
        for first, second in pairwise(group):
            model.add(v.is_placed(second) <= v.is_placed(first))
            model.add(_position(v, first, size) <= _position(v, second, size))


def _position(v: Variables, unit: Unit, unplaced: int) -> cp_model.LinearExprT:
    """Index of the unit's meeting among its candidates; `unplaced` when it is not placed."""
    return sum(k * var for k, var in enumerate(v.of_unit(unit))) + unplaced * (
        1 - v.is_placed(unit)
    )
