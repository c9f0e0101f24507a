"""R7 rotation: each meeting has `per_meeting` rotation officers (exactly, where the year's
total allows, else at most); each officer exactly their `times`."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.programme.model import Item
from scheduler.solver.expand import Expansion
from scheduler.solver.rules.core import Rule, Variables, forbid


def sessions_and_seats(e: Expansion, item: Item) -> tuple[int, int]:
    """(the officers' sessions in the year, the rotation's seats: per meeting x open meetings)."""
    sessions = sum((item.rotation or {}).values())
    return sessions, (item.per_meeting or 1) * len(e.ordinary_slots(item.body))


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R7: officers' counts and officers per meeting."""
    for item in e.programme.items:
        if not item.rotation or not item.placed_here:
            continue
        units = e.units_of(item.id)
        for unit in units:
            model.add(sum(v.of_unit(unit)) == unit.count).only_enforce_if(
                v.guard(model, "R7", unit.key)
            )
        meetings = e.ordinary_slots(item.body)
        per_meeting = item.per_meeting or 1
        sessions, seats = sessions_and_seats(e, item)
        exact = sessions >= seats
        for slot in meetings:
            here = [var for u in units if (var := v.at(u, slot.id)) is not None]
            enforce = v.guard(model, "R7", f"{item.id}@{slot.id}")
            if exact and len(here) < per_meeting:
                forbid(model, enforce)
            elif exact:
                model.add(sum(here) == per_meeting).only_enforce_if(enforce)
            elif len(here) > per_meeting:
                model.add(sum(here) <= per_meeting).only_enforce_if(enforce)


RULE = Rule("R7", "rotation", post=post)
