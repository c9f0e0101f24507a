"""The clerk's hand method: each item in the file's order at the earliest meeting where every
hard rule still holds, given what is already placed; no objective (issue 23).

The solver's baseline (`bench/hand_method.py`) and the first plan of every solve from scratch
(`solve.hand_start`). It is a search of the solver's own model, so the rules are stated once
(`solver.rules`): the hand method only chooses the order of the decisions, as a clerk filling
in agendas would. Standing items are placed by R2 before anything; then items fixed to a
meeting, then the rest in the file's order, an item that comes `after` or goes `with` another
once that one is decided (`placing_order`). Each item is first tried placed (its `placed`
literal, with the items that go `with` it), then at each of its possible meetings, earliest
first, those inside its `prefer` dates before the others (`best_first`). A rotation's officers
are tried at all their sessions in rounds, every officer's first before anyone's second, then
placed earliest first. CP-SAT takes the decisions in exactly that order (a fixed search, one
worker), each propagated through every rule; a decision that leaves no way to keep them is
undone, and the next tried: a clerk who, on finding no room, leaves the item out, or takes an
item's partner off and places the item alone. The first plan found is the clerk's: whole,
every rule kept, nothing searched for the best.
"""

from __future__ import annotations

import time
from collections import defaultdict
from heapq import heapify, heappop, heappush

from ortools.sat.python import cp_model

from scheduler.plan.listed import carried_forward, suggested
from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.model import Programme
from scheduler.solver.build import Built, SolveOptions, build
from scheduler.solver.clock import Clock
from scheduler.solver.conflicts import infeasible_core
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.explain import conflict_explanation
from scheduler.solver.goals import days_short, measured
from scheduler.solver.result import placed_plan
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Variables, is_standing

#: The plan's explanation: how it was made.
MADE = (
    "Placed by the clerk's hand method: each item in the order of the file, at the earliest "
    "meeting with room for it (inside its preferred dates where one has room), not searched "
    "for the best plan."
)
#: Deterministic seconds the hand method may take (it decides each variable once, undoing few),
#: and the wall seconds it gets even when the time asked for is up: every solve from scratch
#: starts from its plan (a whole council's takes under a second).
HAND_TIME, HAND_FLOOR = 5.0, 5.0


def first_fit(programme: Programme, options: SolveOptions = SolveOptions()) -> Plan:
    """The programme placed by the clerk's hand method; a plan that keeps every hard rule,
    status `feasible` (nothing is proven), or `infeasible`, saying why, when no plan keeps
    every rule (or none was found in the time allowed)."""
    started = time.perf_counter()
    built = build(programme)
    clock = Clock(options.time_limit, started, options.stop)
    found = by_hand(built, options, clock)
    if found is None:
        return _no_plan(programme, built, options, clock, started)
    e, v = built.expansion, built.variables
    placements = {u.key: [m for m in u.candidates if found[v.x[u.key, m].index]] for u in e.units}
    return placed_plan(
        e,
        placements,
        HARD_RULES,
        status=SolveStatus.FEASIBLE,
        solve_seconds=round(time.perf_counter() - started, 3),
        objective=measured(e, placements).objective,
        explanation=[MADE],
    )


def by_hand(built: Built, options: SolveOptions, clock: Clock) -> dict[int, int] | None:
    """The hand method's plan as every variable's value in `built`'s model (its goals' own
    variables as the rules leave them, not at their least); None when there is none."""
    model = built.model.clone()
    model.clear_objective()
    model.add_decision_strategy(decisions(built), cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE)
    solver = clock.solver(options, HAND_TIME, must_find=True, fixed=True, floor=HAND_FLOOR)
    code = solver.solve(model)
    clock.spent(solver, code)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return dict(enumerate(solver.response_proto.solution))


def decisions(built: Built) -> list[cp_model.IntVar]:
    """The clerk's decisions, in order (see the module's docstring)."""
    e, v = built.expansion, built.variables
    beside = partners(e)
    order: list[cp_model.IntVar] = []
    done: set[str] = set()
    for unit in placing_order(e):
        if unit.key in done or unit.key not in v.placed:  # standing, or waiting: no choice
            continue
        if unit.person:
            officers = [u for u in e.units_of(unit.item.id) if u.key in v.placed]
            rounds = max(len(v.kept[u.key]) for u in officers)
            order += [
                v.kept[u.key][n] for n in range(rounds) for u in officers if n < len(v.kept[u.key])
            ]
            order += in_turn(e, v, officers)
            group = officers
        else:
            group = [
                unit,
                *(u for u in beside[unit.item.id] if u.count == unit.count and u.key not in done),
            ]
            order += [v.placed[u.key] for u in group]
            order += [v.x[u.key, m] for u in group for m in best_first(e, u, u.candidates)]
        done.update(u.key for u in group)
    return order


def in_turn(e: Expansion, v: Variables, officers: list[Unit]) -> list[cp_model.IntVar]:
    """A rotation's officers' placements as a clerk's rota: meeting by meeting in date order,
    the officers offered each in turn, the next one first at the next meeting (so that with a
    seat a meeting, each officer has a session before anyone has a second)."""
    meetings = [m for m in e.slots if any(m in u.candidates for u in officers)]
    turn = len(officers)
    return [
        v.x[u.key, m]
        for k, m in enumerate(meetings)
        for u in (officers[(k + n) % turn] for n in range(turn))
        if (u.key, m) in v.x
    ]


def partners(e: Expansion) -> dict[str, list[Unit]]:
    """Item id -> the units that go `with` it, to be decided beside it (R9)."""
    found: dict[str, list[Unit]] = defaultdict(list)
    for unit in e.units:
        if unit.item.with_ and not (unit.waits or unit.person or is_standing(unit)):
            found[unit.item.with_].append(unit)
    return found


def placing_order(e: Expansion) -> list[Unit]:
    """Standing items, then pinned ones, then the file's order; each after every unit it comes
    `after` or goes `with` (a cycle of them: the first left, which then fits nowhere)."""
    index = {u.key: n for n, u in enumerate(e.units)}

    def rank(u: Unit) -> tuple[int, int, int]:
        first = 0 if is_standing(u) else 1 if u.item.meeting is not None else 2
        return first, e.positions[u.item.id], index[u.key]

    needs: dict[str, set[str]] = {}
    users: dict[str, list[str]] = defaultdict(list)
    for unit in e.units:
        linked = [a.item for a in unit.item.after if a.item] + [unit.item.with_ or ""]
        needs[unit.key] = {o.key for i in linked for o in e.units_of(i)} - {unit.key}
        for key in needs[unit.key]:
            users[key].append(unit.key)
    ready = [(rank(u), u.key) for u in e.units if not needs[u.key]]
    heapify(ready)
    out: list[Unit] = []
    left = {u.key for u in e.units}
    while left:
        if not ready:  # a cycle
            key = min(left, key=lambda k: rank(e.units_by_key[k]))
            needs[key] = set()
            heappush(ready, (rank(e.units_by_key[key]), key))
        _, key = heappop(ready)
        if key not in left:
            continue
        left.remove(key)
        out.append(e.units_by_key[key])
        for user in users[key]:
            needs[user].discard(key)
            if not needs[user] and user in left:
                heappush(ready, (rank(e.units_by_key[user]), user))
    return out


def best_first(e: Expansion, unit: Unit, meetings: list[str]) -> list[str]:
    """Meetings inside the unit's preferred dates first (S2), each group earliest first."""
    return sorted(meetings, key=lambda m: days_short(e, unit, m) > 0)


def _no_plan(
    programme: Programme, built: Built, options: SolveOptions, clock: Clock, started: float
) -> Plan:
    """No plan keeps every rule (said as the solver says it), or none was found in time."""
    core = infeasible_core(programme, HARD_RULES, options, clock)
    if core:
        words = conflict_explanation(built.expansion, core, HARD_RULES)
    else:
        words = ["No plan was found in the time allowed: allow more time."]
    return Plan(
        programme=programme.id,
        status=SolveStatus.INFEASIBLE if core else SolveStatus.UNKNOWN,
        solve_seconds=round(time.perf_counter() - started, 3),
        explanation=words,
        conflict=core,
        carried_forward=carried_forward(programme),
        suggested=suggested(programme),
    )
