"""R2 standing: on every meeting of its body (special ones only with `special: true`);
with `follows: B`, only at meetings with a meeting of B since the body's previous meeting and
before this meeting's agenda is published (B's minutes must exist to be referred)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.dates.agenda import agenda_out
from scheduler.plan.model import Reason
from scheduler.programme.words import the
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, Variables, because, forbid, is_standing


def stands_at(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
    """Why a standing item does not stand at `slot`, or None when it does. With `follows`, a
    meeting of B since the body's previous meeting (before its first, any earlier one) and
    before the agenda goes out. With days not fixed yet, B's minutes go to the first meeting
    that surely follows them: the previous meeting is the last one surely before this one (its
    last possible day before this one's first), counted from its first possible day; B's
    meeting counts by its last possible day against the earliest agenda."""
    item = unit.item
    if slot.special and not item.special:
        return because(
            "R2",
            f"{slot.words} is a special meeting, and {item.title} stands only at ordinary ones "
            "(mark the item for special meetings to put it there too)",
            f"R2 standing: {slot.id} is a special meeting and '{item.id}' is not special",
        )
    if item.follows is None:
        return None
    previous = [s.date for s in e.body_slots(slot.body.id) if s.latest < slot.date]
    since = max(previous) if previous else None
    out = agenda_out(e.programme, slot.body, slot.date)
    if any(since is None or since <= s.date for s in e.body_slots(item.follows) if s.latest < out):
        return None
    follows = e.programme.bodies_by_id[item.follows].name
    return because(
        "R2",
        f"No meeting of {the(follows)} since the previous meeting and before the agenda of "
        f"{slot.words} goes out, so {item.title} has nothing to report there",
        f"R2 standing: no meeting of '{item.follows}' since the previous meeting before {slot.id}"
        f" and before its agenda is published ({out})",
    )


def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
    """Hard constraint R2: a standing item only where it stands."""
    return stands_at(e, unit, slot) if is_standing(unit) else None


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R2: a standing item is at every meeting where it stands."""
    for unit in e.units:
        if not is_standing(unit):
            continue
        for slot in e.body_slots(unit.item.body):
            if stands_at(e, unit, slot) is not None:
                continue
            enforce = v.guard(model, "R2", f"{unit.key}@{slot.id}")
            var = v.at(unit, slot.id)
            if var is None:  # another rule keeps it away: the rules conflict
                forbid(model, enforce)
            else:
                model.add(var == 1).only_enforce_if(enforce)


def describe(e: Expansion, subject: str) -> Reason:
    unit, meeting = subject.rsplit("@", 1)
    title = e.units_by_key[unit].title
    return because(
        "R2",
        f"{title} is a standing item and goes to {e.slots[meeting].words}",
        f"R2 standing: '{unit}' stands at {meeting}",
    )


RULE = Rule("R2", "standing", prune=prune, post=post, describe=describe)
