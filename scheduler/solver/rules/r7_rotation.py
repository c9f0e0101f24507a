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
            elif exact and per_meeting == 1:
                model.add_exactly_one(here).only_enforce_if(enforce)
            elif exact:
                model.add(sum(here) == per_meeting).only_enforce_if(enforce)
            elif len(here) > per_meeting == 1:
                model.add_at_most_one(here).only_enforce_if(enforce)
            elif len(here) > per_meeting:
                model.add(sum(here) <= per_meeting).only_enforce_if(enforce)


def describe(e: Expansion, subject: str) -> str:
    if subject in e.units_by_key:
        u = e.units_by_key[subject]
        return (
            f"R7 rotation: {u.title} ({u.key}) is scrutinised exactly {u.count} time(s), "
            f"at {len(u.candidates)} possible meeting(s) of '{u.item.body}'"
        )
    item, meeting = subject.split("@")
    return f"R7 rotation: {meeting} needs its rotation officer(s) for '{item}'"


def shortfalls(e: Expansion) -> list[str]:
    """Rotations whose officers' sessions cannot fit the body's open meetings, in words: the
    programme cannot be solved, whatever the search does."""
    lines = []
    for item in e.programme.items:
        if not item.rotation or not item.placed_here:
            continue
        sessions, seats = sessions_and_seats(e, item)
        if sessions > seats:
            per_meeting = item.per_meeting or 1
            who = ", ".join(f"{person} {times}" for person, times in item.rotation.items())
            lines.append(
                f"R7 rotation: '{item.id}' needs {sessions} sessions ({who}) at {per_meeting} "
                f"a meeting, but '{item.body}' has {seats // per_meeting} open meeting(s): "
                "reduce an officer's times or add a meeting"
            )
    return lines


RULE = Rule("R7", "rotation", post=post, describe=describe)
