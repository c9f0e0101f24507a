"""The stages of a solve, and one stage's goals minimised part by part
(`scheduler.solver.parts`), then held.

The stages share the solve's time (`scheduler.solver.clock`): each takes its share of the
deterministic seconds the stages before it left. A stage's time is shared by the parts in
proportion to their size squared: the largest, where officers tie committees together, are the
hardest (measured on a whole council). Time a part leaves unused goes to the parts after it. A
part is given at least `MIN_SHARE`, or, when the stage's time is short, half an equal share of
it, and leaves that much for each part after it: with a quarter of the time, a whole council's
smallest parts were starved and found no plan for the last stage (gap 163 % instead of 2 %).
A part gets `LAST_SHARE` when no time is left.

From the second stage on there is a whole plan, the stage before's: a part that finds nothing
better within its share keeps its share of that plan (it satisfies every hold); and progress
reports the whole's objective, never rising, the parts not yet solved counted as in that plan.
When the time asked for is up, the parts and stages not yet searched keep that plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.plan.model import SolveStatus
from scheduler.solver.build import Built, SolveOptions
from scheduler.solver.clock import Clock
from scheduler.solver.parts import Part, domain, hold, set_hint, set_objective, values

#: progress(seconds since the solve began, the whole plan's objective, its best bound, and the
#: goals of the stage they are of: each stage's gap is its own, DESIGN §4.5)
Progress = Callable[[float, float, float, tuple[str, ...]], None]
#: One search's report: seconds, its objective and its bound (`Search._report` makes it the
#: whole's).
Report = Callable[[float, float, float], None]
#: Deterministic seconds a part gets at least while the stage has time left, and when it has none.
MIN_SHARE, LAST_SHARE = 1.0, 0.05
#: Deterministic seconds to set a whole plan's counting variables at their least: a search with
#: every placement fixed, which only propagates.
COMPLETING = 1.0

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


@dataclass(frozen=True)
class Stage:
    """What one lexicographic stage of a solve proved."""

    goals: tuple[str, ...]
    status: SolveStatus
    value: int
    bound: int


class Search:
    """One stage over the parts, and the best each part has reached."""

    def __init__(
        self,
        built: Built,
        parts: list[Part],
        goals: tuple[str, ...],
        options: SolveOptions,
        clock: Clock,
        held: Mapping[int, int],
    ) -> None:
        self.parts, self.goals, self.options, self.clock = parts, goals, options, clock
        built.model.minimize(built.objective(goals))
        full = built.model.proto.objective
        self.offset = round(full.offset)
        owner = {var: n for n, part in enumerate(parts) for var in part.variables}
        self.terms: list[list[tuple[int, int]]] = [[] for _ in parts]
        for var, coeff in zip(full.vars, full.coeffs, strict=True):
            if var in owner:
                self.terms[owner[var]].append((var, coeff))
            else:  # held as it is: its share is a constant
                self.offset += coeff * held[var]
        self.sizes = [len(part.variables) ** 2 for part in parts]
        self.values = [0] * len(parts)
        self.bounds = [0] * len(parts)
        self.status = SolveStatus.UNKNOWN
        self.from_start = False
        self.proven = [False] * len(parts)  # each part's search proved its least

    def run(
        self,
        hint: Mapping[int, int] | None,
        start: Mapping[int, int] | None,
        progress: Progress | None,
        budget: float,
    ) -> tuple[Stage, dict[int, int] | None]:
        """Minimise the goals in `budget` deterministic seconds, from `hint`, if any, starting
        from the whole plan `start`, if any; on success hold each part at its value. Returns
        what the stage proved and every variable's value."""
        self.from_start = start is not None
        if start is not None:
            self._start_from(start, progress)
        found: dict[int, int] = {}
        proven = True
        least = min(MIN_SHARE, budget / (2 * max(len(self.parts), 1)))
        for n, part in enumerate(self.parts):
            if start is not None and self.clock.up():  # keeps its plan
                found.update((var, start[var]) for var in part.variables)
                proven = False
                continue
            share = budget * self.sizes[n] / (sum(self.sizes[n:]) or 1)
            kept = least * (len(self.parts) - n - 1)  # for the parts after this one
            share = min(max(share, least), budget - kept) if budget > 0 else LAST_SHARE
            solver, code, spent = self._search(n, (share, least), hint, start, progress)
            budget -= spent
            status = _STATUS.get(code, SolveStatus.UNKNOWN)
            # A tie keeps the plan the stage started from: it is known good on the goals after
            # this one (the clerk's plan, or the stage before's); the search's is not.
            better = start is None or round(solver.objective_value) < self.values[n]
            if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and better:
                self.values[n] = round(solver.objective_value)
                self.bounds[n] = round(solver.best_objective_bound)
                found.update(values(part, solver))
            elif status is not SolveStatus.INFEASIBLE and start is not None:
                found.update((var, start[var]) for var in part.variables)  # keeps its plan
                if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):  # what it proved stands
                    self.bounds[n] = max(self.bounds[n], round(solver.best_objective_bound))
            else:
                self.status = status
                return Stage(self.goals, status, 0, 0), None
            proven = proven and status is SolveStatus.OPTIMAL
            self.proven[n] = status is SolveStatus.OPTIMAL
        for part, terms, value in zip(self.parts, self.terms, self.values, strict=True):
            hold(part, terms, value)
        self.status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        total, bound = sum(self.values) + self.offset, sum(self.bounds) + self.offset
        return Stage(self.goals, self.status, total, bound), found

    def _search(
        self,
        n: int,
        shares: tuple[float, float],
        hint: Mapping[int, int] | None,
        start: Mapping[int, int] | None,
        progress: Progress | None,
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus, float]:
        """Part `n` searched for its share (of `shares`, the least a part gets the second);
        returns the solver, its status and the deterministic seconds spent."""
        share, least = shares
        part = self.parts[n]
        first = start is None  # no plan yet: the part must find one, even out of time
        solver = self.clock.solver(self.options, max(share, LAST_SHARE), must_find=first)
        set_objective(part, self.terms[n], 0)
        if hint is not None:
            set_hint(part, hint)
        report = self._report(n, progress) if progress else None
        stoppable = report is not None or self.clock.stop is not None
        callback = Callback(report, self.clock) if stoppable else None
        code = solver.solve(part.model, callback)
        spent = self.clock.spent(solver, code)
        if code == cp_model.UNKNOWN and start is not None and hint is None:
            # Found nothing in its share: once more from the plan it has, so that it does
            # better than keep that plan unimproved (a council's 43 % gap was 163 % so).
            set_hint(part, start)
            solver = self.clock.solver(self.options, max(least, LAST_SHARE))
            code = solver.solve(part.model, callback)
            spent += self.clock.spent(solver, code)
            part.model.proto.clear_solution_hint()
        return solver, code, spent

    def unsearched(self, start: Mapping[int, int]) -> Stage:
        """The stage not searched (the time was up): its goals' value in the plan kept, and the
        weakest bound, as far as it may be from the best."""
        self._start_from(start, None)
        total, bound = sum(self.values) + self.offset, sum(self.bounds) + self.offset
        return Stage(self.goals, SolveStatus.UNKNOWN, total, bound)

    def _start_from(self, start: Mapping[int, int], progress: Progress | None) -> None:
        """Until a part is solved, the whole holds `start`: its value there, its weakest bound."""
        for n, (part, terms) in enumerate(zip(self.parts, self.terms, strict=True)):
            self.values[n] = sum(coeff * start[var] for var, coeff in terms)
            self.bounds[n] = sum(min(c * d for d in domain(part, var)) for var, c in terms)
        if progress:
            elapsed = time.perf_counter() - self.clock.started
            whole = sum(self.values) + self.offset, sum(self.bounds) + self.offset
            progress(elapsed, *whole, self.goals)

    def _report(self, n: int, progress: Progress | None) -> Report:
        """The whole's incumbent and bound while part `n` improves: the other parts as they
        stand (solved, or as in the plan the stage started from)."""
        assert progress is not None
        others = sum(self.values) - self.values[n] + self.offset
        bounds = sum(self.bounds) - self.bounds[n] + self.offset
        held = self.values[n] if self.from_start else None

        def whole(seconds: float, objective: float, bound: float) -> None:
            best = objective if held is None else min(objective, held)  # the better plan
            progress(seconds, others + best, bounds + bound, self.goals)

        return whole


@dataclass
class Staged:
    """What the stages of a solve reached: each stage that ended, every variable's value in the
    last one's plan (None: no plan), and the status of the stage that found none."""

    stages: list[Stage] = field(default_factory=list)
    values: dict[int, int] | None = None
    status: SolveStatus = SolveStatus.UNKNOWN
    proven: dict[tuple[str, ...], list[bool]] = field(default_factory=dict)  # stage -> parts


def run_stages(
    built: Built,
    parts: list[Part],
    order: Sequence[tuple[str, ...]],
    options: SolveOptions,
    clock: Clock,
    *,
    hint: Mapping[int, int] | None = None,
    rehint: bool = False,
    progress: Progress | None = None,
    start: Mapping[int, int] | None = None,
    held: Mapping[int, int] | None = None,
) -> Staged:
    """Each stage of `order` in turn, from the stage before's plan, in its share of what the
    clock has left; the first from `hint`, and (`rehint`) each next one hinted with the plan
    before. Progress is reported stage by stage, each with its own goals (the stages' goals
    are not comparable), from the plan it starts from: the first stage's first report is the
    whole plan `start`. The last stage's goals are counted as the plan has them (`tightened`)
    before it, when the stages before placed otherwise than `start` (so that its first report
    is the plan's own), and after it, when it is not proven. Once the time is up, the stages
    left keep the plan, each said unsearched, with the weakest bound. Variables in no part are
    `held` at their value."""
    held = held or {}
    staged = Staged(values=dict(start) if start is not None else None)
    for n, goals in enumerate(order):
        search = Search(built, parts, goals, options, clock, held)
        if staged.values is not None and clock.up():  # kept, and how far it may be
            staged.stages.append(search.unsearched(staged.values))
            continue
        if n == len(order) - 1 and staged.values is not None and start is not None:
            moved = any(staged.values[x.index] != start[x.index] for x in built.decisions())
            if moved and not clock.up():  # placed otherwise: its goals as the plan has them
                counted = tightened(built, staged.values, goals, options, clock)
                staged.values = counted or staged.values
        budget = clock.deterministic / (len(order) - n)
        stage, found = search.run(hint, staged.values, progress, budget)
        if found is None:
            staged.status = search.status
            break
        staged.stages.append(stage)
        staged.proven[goals] = search.proven
        staged.values = {**held, **found}
        if rehint:
            hint = found
        elif hint is not None:  # the first stage's hint only: the next search from scratch
            hint = None
            for part in parts:
                part.model.proto.clear_solution_hint()
    final = staged.stages[-1] if staged.stages else None
    if final is not None and final.status is not SolveStatus.OPTIMAL and staged.values is not None:
        counted = tightened(built, staged.values, final.goals, options, clock)
        if counted is not None:
            staged.values = counted
            value = value_of(built, final.goals, counted)
            staged.stages[-1] = replace(final, value=min(final.value, value))
    return staged


def value_of(built: Built, goals: tuple[str, ...], values: Mapping[int, int]) -> int:
    """The goals' value in the whole plan `values`."""
    built.model.minimize(built.objective(goals))
    objective = built.model.proto.objective
    terms = zip(objective.vars, objective.coeffs, strict=True)
    return round(objective.offset + sum(coeff * values[var] for var, coeff in terms))


class Callback(cp_model.CpSolverSolutionCallback):
    """CP-SAT's solution callback: each new solution's objective and bound, with the time, to
    `report`; and the search stopped at it when the solve was asked to stop (`Clock.found`)."""

    def __init__(self, report: Report | None, clock: Clock) -> None:
        super().__init__()
        self._report, self._clock = report, clock

    def on_solution_callback(self) -> None:
        if self._report is not None:
            seconds = time.perf_counter() - self._clock.started
            self._report(seconds, self.objective_value, self.best_objective_bound)
        if self._clock.found():
            self.stop_search()


def tightened(
    built: Built,
    values: Mapping[int, int],
    goals: tuple[str, ...],
    options: SolveOptions,
    clock: Clock,
) -> dict[int, int] | None:
    """The whole plan `values` with the `goals`' own variables (S4's and S5's counts) at their
    least for its placements: what the plan's goals are. A search may leave them higher, free
    as they are until their stage; None when the rules refuse the placements."""
    built.model.minimize(built.objective(goals))
    model = built.model.clone()
    for var in built.variables.x.values():
        model.add(model.get_int_var_from_proto_index(var.index) == values[var.index])
    solver = clock.solver(options, COMPLETING, must_find=True)
    code = solver.solve(model)
    clock.spent(solver, code)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return dict(enumerate(solver.response_proto.solution))
