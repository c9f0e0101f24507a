"""Solving a programme: the built model (`solver.build`) minimised stage by stage
(`solver.stages`), its answer read back as a Plan (DESIGN §4.5, §8).

An infeasible or time-limited run returns a plan too (status and explanation); it never raises.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.model import Programme
from scheduler.solver.build import Built, SolveOptions, build
from scheduler.solver.expand import Unit
from scheduler.solver.explain import (
    conflict_explanation,
    unplaced_entries,
    waiting_entries,
)
from scheduler.solver.parts import split
from scheduler.solver.result import planned_meetings
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Rule, required
from scheduler.solver.rules.r7_rotation import shortfalls
from scheduler.solver.stages import Progress, Search, Stage

__all__ = ["Built", "Outcome", "Progress", "SolveOptions", "Stage", "build", "run", "solve"]


#: A plan from scratch: every goal at once, weighted (`rules.soft.WEIGHTS` keeps their order).
FRESH: tuple[tuple[str, ...], ...] = (("S1", "S2", "S4", "S5"),)
#: A plan from scratch in several parts (`solver.parts`): placing first, proven part by part
#: (fast: the LP bound proves it), so that a whole plan exists early; then every goal.
FRESH_IN_PARTS: tuple[tuple[str, ...], ...] = (("S1",), ("S1", "S2", "S4", "S5"))
#: A re-plan, lexicographically (DESIGN S3, issue 5): place as much as possible; then move as
#: little as possible; then the rest.
REPLAN: tuple[tuple[str, ...], ...] = (("S1",), ("S3",), ("S2", "S4", "S5"))


@dataclass
class Outcome:
    """A solve's plan with the model it came from and what each stage proved."""

    plan: Plan
    built: Built
    stages: list[Stage] = field(default_factory=list)
    placements: dict[str, list[str]] = field(default_factory=dict)


def solve(
    programme: Programme,
    options: SolveOptions = SolveOptions(),
    *,
    rules: Iterable[Rule] = HARD_RULES,
    progress: Progress | None = None,
) -> Plan:
    """Place every item of the programme; always returns a plan (see its `status`)."""
    return run(programme, options, rules=rules, progress=progress).plan


def run(
    programme: Programme,
    options: SolveOptions = SolveOptions(),
    *,
    rules: Iterable[Rule] = HARD_RULES,
    progress: Progress | None = None,
    previous: Mapping[str, Sequence[str]] | None = None,
) -> Outcome:
    """Build and solve, from scratch (`FRESH`, or `FRESH_IN_PARTS` when the model falls into
    independent parts) or, with `previous`, as a re-plan (`REPLAN`).

    Each stage minimises its goals, part by part (`scheduler.solver.stages`), then holds them at the
    value found (`<=`) for the next stage. A re-plan's stages are hinted: the first with the
    previous plan, the next with the stage before's. The plan's status is optimal only when
    every stage proved its part.
    """
    rules = list(rules)
    started = time.perf_counter()
    built = build(programme, rules=rules, previous=previous)
    e, v = built.expansion, built.variables
    short = [u for u in e.units if required(u) and _too_few_meetings(u)]
    reasons = [*shortfalls(e), *(conflict_explanation(e, short, [], rules) if short else [])]
    if reasons:  # cannot fit, whatever the solver does: say so in the clerk's terms
        return Outcome(_infeasible(programme, started, reasons), built)
    hint: Mapping[int, int] | None = None
    if previous is not None:
        hint = _previous_hint(built, previous)
    parts = split(built.model, options.part_size)
    stages: list[Stage] = []
    values: dict[int, int] | None = None  # every variable's value in the last stage's plan
    order = REPLAN if previous is not None else FRESH_IN_PARTS if len(parts) > 1 else FRESH
    for goals in order:
        # From the second stage on there is a whole plan (the stage before's): progress is the
        # whole's, and a part that finds nothing better keeps its share of that plan.
        search = Search(built, parts, goals, options, started)
        stage, found = search.run(hint, values, progress if values or len(parts) == 1 else None)
        if found is None:
            break
        stages.append(stage)
        values = found
        if previous is not None:  # a re-plan's next stage is hinted with this one's plan; a
            hint = found  # fresh one is not (a council hinted so: gap 9.7 %, unhinted 0.03 %)
    if values is None:
        status = search.status
        if status is SolveStatus.INFEASIBLE:
            core = conflict_explanation(e, [], infeasible_core(programme, rules, options), rules)
            return Outcome(_infeasible(programme, started, core), built)
        message = "No plan found within the time limit; allow more time."
        return Outcome(_infeasible(programme, started, [message], status), built)
    placements = {u.key: [m for m in u.candidates if values[v.x[u.key, m].index]] for u in e.units}
    proven = len(stages) == len(order) and all(s.status is SolveStatus.OPTIMAL for s in stages)
    last = stages[-1]
    plan = Plan(
        programme=programme.id,
        status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        solve_seconds=round(time.perf_counter() - started, 3),
        objective=last.value,
        bound=last.bound,
        meetings=planned_meetings(e, placements),
        unplaced=[*waiting_entries(e), *unplaced_entries(e, placements, rules)],
    )
    return Outcome(plan, built, stages, placements)


def _previous_hint(built: Built, previous: Mapping[str, Sequence[str]]) -> dict[int, bool]:
    """The previous plan as a (partial, maybe no longer feasible) starting point."""
    v = built.variables
    kept = {(key, m) for key, meetings in previous.items() for m in meetings}
    hint = {var.index: (key, m) in kept for (key, m), var in v.x.items()}
    for key, var in v.placed.items():
        hint[var.index] = key in previous
    return hint


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


#: Deterministic seconds for each call that looks for (a smaller) set of conflicting rules.
CORE_SECONDS = 10.0


def infeasible_core(
    programme: Programme, rules: Iterable[Rule], options: SolveOptions | None = None
) -> list[str]:
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
        solver = (options or SolveOptions()).solver(CORE_SECONDS)
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
