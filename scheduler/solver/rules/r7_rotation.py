"""R7 rotation: each meeting has at most `per_meeting` rotation officers, each officer at most
their `times`; S1 keeps as many sessions as the meetings can take, every officer's first before
anyone's second. Where the year's total allows, every meeting so has its officer(s) (exactly)."""

from __future__ import annotations

from itertools import pairwise

from ortools.sat.python import cp_model

from scheduler.plan.model import Reason
from scheduler.programme.words import capital, count, listing, the
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules.core import Rule, Variables, because, required


def sessions_and_seats(e: Expansion, unit: Unit) -> tuple[int, int]:
    """(the officers' sessions in the unit's municipal year, the rotation's seats there: per
    meeting x open meetings); the whole programme's when it is one year."""
    item = unit.item
    sessions = sum((item.rotation or {}).values())
    slots = e.ordinary_slots(item.body)
    if unit.year is not None:
        slots = [s for s in slots if unit.year[0] <= s.date <= unit.year[1]]
    return sessions, (item.per_meeting or 1) * len(slots)


def add_sessions(model: cp_model.CpModel, unit: Unit, v: Variables) -> None:
    """A rotation officer's sessions, each kept only if the one before is; the first is the
    unit's `placed`."""
    kept = [model.new_bool_var(f"kept:{unit.key}:{n}") for n in range(1, unit.count + 1)]
    for before, after in pairwise(kept):
        model.add_implication(after, before)
    v.kept[unit.key] = kept
    v.placed[unit.key] = kept[0]


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R7: each officer at the sessions kept; at most `per_meeting` a meeting.

    When explaining, an officer's guard says "every session kept", so that a conflict names it.
    """
    for item in e.programme.items:
        if not item.rotation or not item.placed_here:
            continue
        units = e.units_of(item.id)
        for unit in units:
            if unit.waits:  # no variables: it waits for an event
                continue
            kept = v.kept[unit.key]
            model.add(sum(v.of_unit(unit)) == sum(kept))
            if v.explain and required(unit):
                model.add(sum(kept) == unit.count).only_enforce_if(v.guard(model, "R7", unit.key))
        per_meeting = item.per_meeting or 1
        for slot in e.ordinary_slots(item.body):
            here = [var for u in units if (var := v.at(u, slot.id)) is not None]
            if len(here) <= per_meeting:
                continue
            enforce = v.guard(model, "R7", f"{item.id}@{slot.id}")
            if per_meeting == 1:
                model.add_at_most_one(here).only_enforce_if(enforce)
            else:
                model.add(sum(here) <= per_meeting).only_enforce_if(enforce)


def describe(e: Expansion, subject: str) -> Reason:
    if "#" in subject:  # an officer held at the sessions a plan gave them
        key, sessions = subject.rsplit("#", 1)
        u = e.units_by_key[key]
        return because(
            "R7",
            f"{u.title} keeps {count(int(sessions), 'session')}",
            f"R7 rotation: {u.title} ({u.key}) keeps at least {sessions} session(s)",
        )
    if subject in e.units_by_key:
        u = e.units_by_key[subject]
        return because(
            "R7",
            f"{u.title} is due {count(u.count, 'session')} this year",
            f"R7 rotation: {u.title} ({u.key}) is scrutinised exactly {u.count} time(s), "
            f"at {len(u.candidates)} possible meeting(s) of '{u.item.body}'",
        )
    item, meeting = subject.split("@")
    per = e.programme.items_by_id[item].per_meeting or 1
    return because(
        "R7",
        f"{e.slots[meeting].words} takes {count(per, 'officer')} for scrutiny",
        f"R7 rotation: {meeting} needs its rotation officer(s) for '{item}'",
    )


def shortfall(e: Expansion, unit: Unit) -> Reason | None:
    """Why some of a rotation's sessions cannot be held in the unit's year: more of them than
    the body's open meetings can take, whatever the search does. None when they fit."""
    item = unit.item
    sessions, seats = sessions_and_seats(e, unit)
    if not item.rotation or sessions <= seats:
        return None
    per_meeting = item.per_meeting or 1
    people = e.programme.people_by_id
    who = listing(f"{people[p].name} {n}" for p, n in sorted(item.rotation.items()))
    body = e.programme.bodies_by_id[item.body].name
    year = f" in {e.programme.year_label(unit.year)}" if unit.year else ""
    return because(
        "R7",
        f"{capital(the(body))} has {count(seats // per_meeting, 'meeting')}{year} left for "
        f"{count(sessions, 'session')} of {item.title} ({who}), {per_meeting} a meeting; every "
        "officer keeps one session before anyone keeps a second: add a meeting or reduce an "
        "officer's sessions to hold them all",
        f"R7 rotation: '{item.id}' needs {sessions} sessions "
        f"({', '.join(f'{p} {n}' for p, n in item.rotation.items())}) at {per_meeting} "
        f"a meeting, but '{item.body}' has {seats // per_meeting} open meeting(s){year}",
    )


RULE = Rule("R7", "rotation", post=post, describe=describe)
