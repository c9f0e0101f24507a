"""Soft goals S1, S2, S4, S5 (DESIGN §4.5) and the one table of their weights.

Each goal returns `(terms, coefficients)` to minimise and never touches the objective; the solver
adds them up once (`build.Built.objective`). Goals may add auxiliary variables and the constraints
that define them.

Weights. The design orders the goals S1 > S2 > S3 > S4 > S5. The table keeps that order for
programmes of a council's size: one unplaced item of the lowest priority (S1) outweighs a year of
days outside `prefer` (S2), and so on down.

S3 (stability) belongs to re-planning, which does not add it to these weights: it optimises
lexicographically, S1 first, then S3, then the rest (`scheduler.solver.replan`), so its weights only
compare moves with moves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import combinations

from ortools.sat.python import cp_model

from scheduler.programme.model import Item
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules.core import Variables
from scheduler.solver.rules.r9_order import rough as rough_after

Terms = tuple[list[cp_model.LinearExprT], list[int]]

#: The weight of each unit of each soft goal.
WEIGHTS = {
    # S1 per unplaced unit, by priority: each level outweighs any number of the levels below
    # that a real programme holds. (`must` units have a stage of their own before these:
    # `s1_must`.) A rotation officer's second or later session weighs this share of a first.
    "S1:high": 10_000_000,
    "S1:normal": 1_000_000,
    "S1:low": 100_000,
    "S1:extra-session-share": 100,
    # S1's ties, a stage of their own after S1: per unplaced unit, its place from the file's end.
    "S1:listed-before": 1,
    # S2 per day a placement lies outside `prefer`.
    "S2:prefer-day": 20,
    # S2 per meeting a recurring occurrence waits after the first meeting after its release.
    "S2:release-meeting": 2_000,
    # S3 per item occurrence that leaves its meeting of the previous plan, plus per witness of
    # the item: witnesses come from outside and have their own diaries to rearrange.
    "S3:move": 1,
    "S3:witness": 1,
    # S4 per day two meetings of one rotation officer or repeated item fall short of the
    # widest spacing the year allows.
    "S4:closeness-day": 5,
    # S5 per minute between a body's fullest and emptiest agenda.
    "S5:spread-minute": 1,
}


def optional_units(e: Expansion) -> list[Unit]:
    """Units that get a `placed` literal: all but standing items (R2 places them) and those
    that wait for an event. A `must` unit has one too: `s1_must` places it before anything."""
    return [u for u in e.units if not u.waits and u.item.kind != "standing"]


def _sessions(v: Variables, unit: Unit) -> tuple[cp_model.IntVar, list[cp_model.IntVar]]:
    """A unit's `placed` (a rotation officer's first session), and its later sessions."""
    return v.placed[unit.key], v.kept.get(unit.key, [])[1:]


def s1_must(model: cp_model.CpModel, e: Expansion, v: Variables) -> Terms:
    """Soft S1 for `must` units (DESIGN R1, R7): a stage of its own, before anything else, so
    that a must item is left out only when no plan can hold it. Every officer keeps one session
    before anyone keeps a second: a first session (and a must item) outweighs every later one."""
    musts = [u for u in optional_units(e) if u.item.importance == "must"]
    later = sum(len(_sessions(v, u)[1]) for u in musts)
    terms: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    for unit in musts:
        first, extras = _sessions(v, unit)
        terms += [1 - first, *(1 - extra for extra in extras)]
        weights += [later + 1, *(1 for _ in extras)]
    return terms, weights


def s1_placed(model: cp_model.CpModel, e: Expansion, v: Variables) -> Terms:
    """Soft S1: place as many items as possible, by priority (high > normal > low; `must` is
    `s1_must`'s, before).

    Only placing counts here: S1 is minimised on its own before the other goals (`solve`), so
    that an item's `prefer` or spread never makes placing it dearer than leaving it out.
    """
    terms: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    for unit in optional_units(e):
        if unit.item.importance == "must":
            continue
        weight = WEIGHTS[f"S1:{unit.item.importance}"]
        first, extras = _sessions(v, unit)
        terms += [1 - first, *(1 - extra for extra in extras)]
        weights += [weight, *(weight // WEIGHTS["S1:extra-session-share"] for _ in extras)]
    return terms, weights


def s1_file_order(model: cp_model.CpModel, e: Expansion, v: Variables) -> Terms:
    """Soft S1, its ties: among items of equal priority, the one listed earlier in the file is
    placed (the clerk's own order). Each unplaced unit costs its place from the end of the file,
    a stage of its own after S1's (so that no number of them outweighs placing one item more);
    a re-plan's after S3, so that the published plan's placements win a tie first."""
    terms: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    listed = len(e.programme.items)
    for unit in optional_units(e):
        after = (listed - e.positions[unit.item.id]) * WEIGHTS["S1:listed-before"]
        first, extras = _sessions(v, unit)
        for kept in [first, *extras]:
            terms.append(1 - kept)
            weights.append(after)
    return terms, weights


def move_weight(item: Item | None) -> int:
    """S3's cost of moving one occurrence of `item` (None: an item no longer in the programme)."""
    witnesses = len(item.witnesses) if item else 0
    return WEIGHTS["S3:move"] + witnesses * WEIGHTS["S3:witness"]


def s3_stability(previous: Mapping[str, Sequence[str]]) -> Goal:
    """Soft S3: keep every unit at the meetings the previous plan gave it.

    `previous` maps unit keys to their meetings in the previous plan. Each (unit, meeting) the
    new plan leaves costs the unit's `move_weight`; one that no longer exists (its item removed,
    its meeting cancelled or out of its reach) costs it as a constant, so that the goal's value
    is the whole weighted churn. Standing items follow their meetings and never count.
    """

    def goal(model: cp_model.CpModel, e: Expansion, v: Variables) -> Terms:
        terms: list[cp_model.LinearExprT] = []
        weights: list[int] = []
        for key, meetings in sorted(previous.items()):
            unit = e.units_by_key.get(key)
            if unit is not None and unit.item.kind == "standing":
                continue
            for meeting in meetings:
                var = v.at(unit, meeting) if unit is not None else None
                terms.append(1 - var if var is not None else 1)
                weights.append(move_weight(unit.item if unit else None))
        return terms, weights

    return goal


def s2_timing(model: cp_model.CpModel, e: Expansion, v: Variables) -> Terms:
    """Soft S2: inside `prefer`; recurring occurrences at the first meeting after release; after
    the latest day of an event or meeting known only roughly (DESIGN §4.6), each day short of
    it counted as a day outside `prefer`."""
    terms: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    for unit in e.units:
        prefer = unit.item.prefer
        wanted = [want for want, _ in rough_after(e.programme, unit)]
        for rank, meeting in enumerate(unit.candidates):
            day = e.slots[meeting].date
            cost = 0
            if prefer is not None:
                cost += prefer.days_outside(day) * WEIGHTS["S2:prefer-day"]
            for want in wanted:
                cost += max(0, (want - day).days) * WEIGHTS["S2:prefer-day"]
            if unit.release is not None:
                cost += rank * WEIGHTS["S2:release-meeting"]
            if cost:
                terms.append(v.x[unit.key, meeting])
                weights.append(cost)
    return terms, weights


def _spread_units(e: Expansion) -> list[Unit]:
    return [u for u in e.units if u.count > 1 and u.item.kind != "standing"]


def s4_spread(model: cp_model.CpModel, e: Expansion, v: Variables) -> Terms:
    """Soft S4: a rotation officer's or a repeated item's meetings as far apart as possible.

    For each pair of candidate meetings a literal "both" costs the days by which their gap
    falls short of the unit's widest possible gap (first to last candidate). A meeting whose day
    is not fixed counts at the middle of the days it may be.
    """
    terms: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    for unit in _spread_units(e):
        dates = {m: e.slots[m].middle for m in unit.candidates}
        widest = (max(dates.values()) - min(dates.values())).days if dates else 0
        for a, b in combinations(unit.candidates, 2):
            short = widest - abs((dates[b] - dates[a]).days)
            if short <= 0:
                continue
            both = model.new_bool_var(f"s4:{unit.key}:{a}:{b}")
            model.add(both >= v.x[unit.key, a] + v.x[unit.key, b] - 1)
            terms.append(both)
            weights.append(short * WEIGHTS["S4:closeness-day"])
    return terms, weights


def s5_balance(model: cp_model.CpModel, e: Expansion, v: Variables) -> Terms:
    """Soft S5: agenda minutes even across each body's ordinary meetings (max minus min)."""
    terms: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    load: dict[str, list[cp_model.LinearExprT]] = {}
    for unit in e.units:
        for meeting in unit.candidates:
            if unit.item.duration:
                load.setdefault(meeting, []).append(unit.item.duration * v.x[unit.key, meeting])
    # A body's own units' minutes bound its agendas: a bound of its own, so that an edit
    # elsewhere leaves this part of the model as it was (`solver.proofs`).
    ceilings: dict[str, int] = {}
    for u in e.units:
        minutes = u.item.duration * max(u.count, len(u.candidates))
        ceilings[u.item.body] = ceilings.get(u.item.body, 0) + minutes
    for body in e.programme.bodies:
        meetings = [s.id for s in e.ordinary_slots(body.id)]
        if len(meetings) < 2:
            continue
        ceiling = ceilings.get(body.id, 0)
        high = model.new_int_var(0, ceiling, f"s5:{body.id}:max")
        low = model.new_int_var(0, ceiling, f"s5:{body.id}:min")
        for meeting in meetings:
            total = sum(load.get(meeting, []))
            model.add(high >= total)
            model.add(low <= total)
        terms.append(high - low)
        weights.append(WEIGHTS["S5:spread-minute"])
    return terms, weights


Goal = Callable[[cp_model.CpModel, Expansion, Variables], Terms]

#: The goals of every solve, by id; re-planning adds S3 (`s3_stability`).
SOFT_GOALS: dict[str, Goal] = {
    "S1-must": s1_must,
    "S1": s1_placed,
    "S1-order": s1_file_order,
    "S2": s2_timing,
    "S4": s4_spread,
    "S5": s5_balance,
}
