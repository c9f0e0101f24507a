"""R3 recurring: each occurrence on or after its release date, all at distinct meetings."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.plan.model import Reason
from scheduler.programme.words import item_words, long_day
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, Variables, because


def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
    """Hard constraint R3: not before the period's figures are released."""
    if unit.release is not None and slot.date < unit.release:
        # A day not fixed may be before it: the meeting is not surely after.
        when = "is before" if slot.latest < unit.release else "may be before"
        return because(
            "R3",
            f"{slot.words} {when} the {unit.occurrence} figures are ready on "
            f"{long_day(unit.release)}",
            f"R3 recurring: {unit.occurrence} is released on {unit.release}, after {slot.id}",
        )
    return None


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R3: an item's occurrences go to distinct meetings."""
    for item in e.programme.items:
        if not item.every:
            continue
        units = e.units_of(item.id)
        for slot in e.slots.values():
            here = [var for u in units if (var := v.at(u, slot.id)) is not None]
            if len(here) > 1:
                model.add_at_most_one(here).only_enforce_if(
                    v.guard(model, "R3", f"{item.id}@{slot.id}")
                )


def describe(e: Expansion, subject: str) -> Reason:
    item, meeting = subject.split("@")
    return because(
        "R3",
        f"{item_words(e.programme, item)} takes one period at a time, so "
        f"{e.slots[meeting].words} takes at most one of its periods",
        f"R3 recurring: occurrences of '{item}' at distinct meetings ({meeting})",
    )


RULE = Rule("R3", "recurring", prune=prune, post=post, describe=describe)
