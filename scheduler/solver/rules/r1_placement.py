"""R1 placement: every item at exactly `times` distinct non-cancelled meetings of its body."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ortools.sat.python import cp_model

from scheduler.plan.model import Reason
from scheduler.programme.words import capital, count, the
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Crowd, Rule, Variables, because, is_standing, required


def no_meetings(e: Expansion, unit: Unit) -> Reason:
    """Why a unit has nowhere to go when no rule ruled a meeting out: R1 gave it none."""
    body = e.programme.bodies_by_id[unit.item.body].name
    return because(
        "R1",
        f"{capital(the(body))} has no meetings left to take it: add a meeting",
        "R1 placement: its body has no open meetings",
    )


def own_meetings(e: Expansion, unit: Unit) -> list[Slot]:
    """Hard constraint R1: a unit may only go to its own body's meetings that are not
    cancelled, in date order. Other meetings get no variable and no reason: they were never the
    unit's to use (the other rules' `prune` say why one of these is out). A unit counted in
    one municipal year (a rotation officer's sessions) uses that year's meetings."""
    slots = e.body_slots(unit.item.body)
    if unit.year is None:
        return slots
    first, last = unit.year
    return [s for s in slots if first <= s.date <= last]


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R1: `count` meetings, or none when the unit stays unplaced.

    A `must` unit stays unplaced only when no plan can hold it: S1 weighs it above everything
    else. When explaining, its guard says "placed", so that a conflict names it. Standing items
    (R2) and rotation officers (R7) have their own counts.
    """
    for unit in e.units:
        if is_standing(unit) or unit.person or unit.waits:
            continue
        total = sum(v.of_unit(unit))
        placed = v.placed[unit.key]
        model.add(total == unit.count * placed)
        if required(unit) and v.explain:
            model.add(placed == 1).only_enforce_if(v.guard(model, "R1", unit.key))
        if unit.count > 1:
            _one_year(model, e, v, unit)


def _one_year(model: cp_model.CpModel, e: Expansion, v: Variables, unit: Unit) -> None:
    """An item at several meetings has them in one municipal year (DESIGN §4.6: `times`
    counts within a year; an item wanted every year says `every: year`)."""
    years: dict[tuple[dt.date, dt.date], list[cp_model.IntVar]] = {}
    for meeting in unit.candidates:
        years.setdefault(e.programme.municipal_year(e.slots[meeting].date), []).append(
            v.x[unit.key, meeting]
        )
    if len(years) < 2:
        return
    enforce = v.guard(model, "R1", f"{unit.key}{ONE_YEAR}")
    chosen = [model.new_bool_var(f"year:{unit.key}:{first}") for first, _ in sorted(years)]
    model.add(sum(chosen) <= 1).only_enforce_if(enforce)
    for flag, (_, xs) in zip(chosen, sorted(years.items()), strict=True):
        for x in xs:
            model.add_implication(x, flag).only_enforce_if(enforce)


#: The subject suffix of R1's "in one municipal year" instance (`R1:item:one-year`).
ONE_YEAR = ":one-year"


def describe(e: Expansion, subject: str) -> Reason:
    if subject.endswith(ONE_YEAR):
        u = e.units_by_key[subject.removesuffix(ONE_YEAR)]
        return because(
            "R1",
            f"{u.title} goes to its {count(u.count, 'meeting')} within one municipal year: give "
            "it fewer meetings, or a year enough meetings, to place it",
            f"R1 placement: '{u.key}' at {u.count} meetings of one municipal year",
        )
    u = e.units_by_key[subject]
    body = e.programme.bodies_by_id[u.item.body].name
    where = "a meeting" if u.count == 1 else count(u.count, "meeting")
    return because(
        "R1",
        f"{u.title} must be placed at {where} of {the(body)}",
        f"R1 placement: '{u.title}' ({u.key}) is a must at {u.count} meeting(s) of '{u.item.body}'",
    )


def explain(e: Expansion, unit: Unit, crowd: Crowd, meeting: str | None) -> Reason | None:
    """An item at more meetings than any one municipal year has for it: why it is out (meeting
    None), and at each meeting how few its year has."""
    years = Counter(e.programme.municipal_year(e.slots[m].date) for m in unit.candidates)
    if unit.count < 2 or len(years) < 2 or max(years.values()) >= unit.count:
        return None
    if meeting is None:
        return describe(e, f"{unit.key}{ONE_YEAR}")
    year = e.programme.municipal_year(e.slots[meeting].date)
    return because(
        "R1",
        f"{e.slots[meeting].words}: {e.programme.year_label(year)} has "
        f"{count(years[year], 'meeting')} it may use, not {unit.count}",
        f"R1 placement: {meeting}: {years[year]} of {unit.count} meetings in its municipal year",
    )


RULE = Rule("R1", "placement", post=post, describe=describe, explain=explain)
