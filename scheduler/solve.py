"""The CP-SAT model: prune, variables, hard rules, objective; returns a Plan (DESIGN §4.5).

Data flows one way: programme -> `expand` -> prune (each rule says why a meeting is out) ->
variables -> each rule posts its constraints -> soft goals -> one objective -> solve -> plan.
An infeasible or time-limited run returns a plan too (status and explanation); it never raises.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.agenda import planned_meetings
from scheduler.expand import Expansion, Unit, expand
from scheduler.explain import conflict_explanation, unplaced_entries, waiting_entries
from scheduler.model import Programme
from scheduler.plan import Plan, SolveStatus
from scheduler.rules import HARD_RULES
from scheduler.rules.core import Rule, Variables, required
from scheduler.rules.soft import SOFT_GOALS, optional_units
from scheduler.symmetry import break_symmetry

#: progress(seconds, incumbent objective, best bound)
Progress = Callable[[float, float, float], None]


@dataclass(frozen=True)
class SolveOptions:
    """Solver parameters, all in one place.

    One worker and a fixed seed make the search deterministic: the same input gives the same
    plan. The time limit is deterministic time (CP-SAT's own work units, close to seconds on
    this kind of machine) so that a time-limited answer is the same on every run too.
    """

    time_limit: float = 30.0
    workers: int = 1
    seed: int = 0

    def parameters(self, solver: cp_model.CpSolver) -> None:
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = self.time_limit
        solver.parameters.max_time_in_seconds = self.time_limit * 4


@dataclass
class Built:
    """A built model with what is needed to read its answer."""

    model: cp_model.CpModel
    expansion: Expansion
    variables: Variables
    goals: list[tuple[cp_model.LinearExprT, int]] = field(default_factory=list)


def prune(e: Expansion, rules: Iterable[Rule]) -> None:
    """Fill each unit's candidates, the reasons for every meeting left out, and `waits`."""
    rules = list(rules)
    for unit in e.units:
        for slot in e.slots.values():
            if not slot.open or slot.body.id != unit.item.body:
                continue
            reasons = [r for rule in rules if rule.prune and (r := rule.prune(e, unit, slot))]
            if reasons:
                unit.pruned[slot.id] = reasons
            else:
                unit.candidates.append(slot.id)
    changed = True
    while changed:  # waiting spreads along after/with links until nothing changes
        changed = False
        for unit in e.units:
            if unit.waits:
                continue
            unit.waits = [r for rule in rules if rule.waits and (r := rule.waits(e, unit))]
            changed = changed or bool(unit.waits)
    for unit in e.units:
        if unit.waits:
            unit.candidates = []


def build(
    programme: Programme,
    *,
    rules: Iterable[Rule] = HARD_RULES,
    explain: bool = False,
) -> Built:
    """The CP-SAT model of a programme under `rules` (all of R1-R9 unless a test drops one)."""
    rules = list(rules)
    e = expand(programme)
    prune(e, rules)
    model = cp_model.CpModel()
    v = Variables(explain=explain)
    for unit in e.units:
        for meeting in unit.candidates:
            v.x[unit.key, meeting] = model.new_bool_var(f"x:{unit.key}:{meeting}")
    for unit in optional_units(e):
        v.placed[unit.key] = model.new_bool_var(f"placed:{unit.key}")
    for rule in rules:
        if rule.post:
            rule.post(model, e, v)
    if not explain:
        break_symmetry(model, e, v)
    built = Built(model, e, v)
    if not explain:
        for goal in SOFT_GOALS:
            terms, weights = goal(model, e, v)
            built.goals.extend(zip(terms, weights, strict=True))
        model.minimize(sum(weight * term for term, weight in built.goals))
    return built


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Progress) -> None:
        super().__init__()
        self._report = report
        self._start = time.perf_counter()

    def on_solution_callback(self) -> None:
        self._report(
            time.perf_counter() - self._start, self.objective_value, self.best_objective_bound
        )


_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


def solve(
    programme: Programme,
    options: SolveOptions = SolveOptions(),
    *,
    rules: Iterable[Rule] = HARD_RULES,
    progress: Progress | None = None,
) -> Plan:
    """Place every item of the programme; always returns a plan (see its `status`)."""
    rules = list(rules)
    started = time.perf_counter()
    built = build(programme, rules=rules)
    e, v = built.expansion, built.variables
    short = [u for u in e.units if required(u) and _too_few_meetings(u)]
    if short:
        return _infeasible(programme, started, conflict_explanation(e, short, []))
    solver = cp_model.CpSolver()
    options.parameters(solver)
    code = solver.solve(built.model, _Progress(progress) if progress else None)
    status = _STATUS.get(code, SolveStatus.UNKNOWN)
    if status is SolveStatus.INFEASIBLE:
        core = infeasible_core(programme, rules)
        return _infeasible(programme, started, conflict_explanation(e, [], core))
    if status is SolveStatus.UNKNOWN:
        return _infeasible(
            programme, started, ["No plan found within the time limit; allow more time."], status
        )
    placements = {
        u.key: [m for m in u.candidates if solver.boolean_value(v.x[u.key, m])] for u in e.units
    }
    return Plan(
        programme=programme.id,
        status=status,
        solve_seconds=round(time.perf_counter() - started, 3),
        objective=round(solver.objective_value),
        bound=round(solver.best_objective_bound),
        meetings=planned_meetings(e, placements),
        unplaced=[*waiting_entries(e), *unplaced_entries(e, placements)],
    )


def _too_few_meetings(unit: Unit) -> bool:
    return unit.item.kind != "standing" and len(unit.candidates) < unit.count


def _infeasible(
    programme: Programme,
    started: float,
    explanation: list[str],
    status: SolveStatus = SolveStatus.INFEASIBLE,
) -> Plan:
    return Plan(
        programme=programme.id,
        status=status,
        solve_seconds=round(time.perf_counter() - started, 3),
        explanation=explanation,
    )


def infeasible_core(programme: Programme, rules: Iterable[Rule]) -> list[str]:
    """Names (`RULE:subject`) of a set of rule instances that cannot all hold.

    The model is rebuilt with one assumption literal per rule instance; CP-SAT returns a
    sufficient set (not necessarily minimal), which is then shrunk by dropping each member in
    turn while the rest stay infeasible.
    """
    built = build(programme, rules=rules, explain=True)
    guards = built.variables.guards
    names = sorted(guards)

    def infeasible(subset: list[str]) -> list[str] | None:
        model = built.model
        model.clear_assumptions()
        model.add_assumptions([guards[n] for n in subset])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 10.0
        if solver.solve(model) != cp_model.INFEASIBLE:
            return None
        found = set(solver.sufficient_assumptions_for_infeasibility())
        return [n for n in subset if guards[n].index in found]

    core = infeasible(names) or []
    for name in list(core):
        if name not in core:
            continue
        smaller = [n for n in core if n != name]
        shrunk = infeasible(smaller) if smaller else None
        if shrunk is not None:
            core = shrunk
    return core
