"""Solving a programme: the built model (`solver.build`) minimised stage by stage
(`solver.stages`), its answer read back as a Plan (DESIGN §4.5, §8).

An infeasible or time-limited run returns a plan too (status and explanation); it never raises.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from scheduler.plan.listed import carried_forward, suggested
from scheduler.plan.model import STOPPED_EARLY, TIME_RAN_OUT, Level, Plan, SolveStatus
from scheduler.programme.model import Programme
from scheduler.programme.words import count
from scheduler.solver.build import Built, SolveOptions, build
from scheduler.solver.clock import Clock
from scheduler.solver.conflicts import MOST_EXPLAINED, Conflicts, infeasible_core
from scheduler.solver.expand import Unit
from scheduler.solver.explain import conflict_explanation
from scheduler.solver.first_fit import by_hand
from scheduler.solver.held import Held, hold
from scheduler.solver.parts import Component, Part, components, pack
from scheduler.solver.proofs import PLACING, Proofs
from scheduler.solver.result import left_out, placed_plan
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Rule
from scheduler.solver.stages import Progress, Stage, Staged, run_stages, tightened, value_of

__all__ = ["Built", "Outcome", "Progress", "SolveOptions", "Stage", "build", "run", "solve"]


#: A plan from scratch, lexicographically: the must items (a must is left out only when no plan
#: holds it); then as much as possible by priority (S1 alone, so that no other goal makes placing
#: an item dearer than leaving it out); then, among equal items, the file's order; then the other
#: goals, each stage held for the next. Proven part by part (`solver.parts`; the LP bound proves
#: the placing stages fast), so that a whole plan exists early. The plan's objective and bound
#: are the last stage's: S2, S4 and S5, what the placing leaves to choose.
FRESH: tuple[tuple[str, ...], ...] = (("S1-must",), ("S1",), ("S1-order",), ("S2", "S4", "S5"))
#: The last stage's goals, a plan's `objective` (from scratch or re-planned).
LAST = FRESH[-1]
#: A re-plan, lexicographically (DESIGN S3, issue 5): place as much as possible; then move as
#: little as possible; then, among equal items, the file's order; then the rest.
REPLAN: tuple[tuple[str, ...], ...] = (
    ("S1-must",),
    ("S1",),
    ("S3",),
    ("S1-order",),
    LAST,
)
#: The last line of a plan whose search the clock stopped rather than its deterministic limits.
CUT = TIME_RAN_OUT


@dataclass
class Outcome:
    """A solve's plan with the model it came from and what each stage proved; `cut` when the
    clock stopped a search its deterministic limit had not (another run may differ)."""

    plan: Plan
    built: Built
    stages: list[Stage] = field(default_factory=list)
    placements: dict[str, list[str]] = field(default_factory=dict)
    cut: bool = False
    held: int = 0  # a re-plan's placements held as published, unsearched (`solver.held`)
    stopped: bool = False  # somebody stopped it (`SolveOptions.stop`)


def solve(
    programme: Programme,
    options: SolveOptions = SolveOptions(),
    *,
    rules: Iterable[Rule] = HARD_RULES,
    progress: Progress | None = None,
) -> Plan:
    """Place every item of the programme; always returns a plan (see its `status`)."""
    outcome = run(programme, options, rules=rules, progress=progress)
    outcome.plan.explanation += cut_words(outcome)
    return outcome.plan


def run(
    programme: Programme,
    options: SolveOptions = SolveOptions(),
    *,
    rules: Iterable[Rule] = HARD_RULES,
    progress: Progress | None = None,
    previous: Mapping[str, Sequence[str]] | None = None,
    proven: Mapping[str, Sequence[int]] | None = None,
) -> Outcome:
    """Build and solve, from scratch (`FRESH`) or, with `previous`, as a re-plan (`REPLAN`)
    that searches only what the edit touched (`solver.held`, with what the previous plan's solve
    `proven`).

    Each stage minimises its goals, part by part (`scheduler.solver.stages`), then holds them at the
    value found (`<=`) for the next stage. A re-plan's stages are hinted: the first with the
    previous plan, the next with the stage before's. The plan's status is optimal only when
    every stage proved its part.
    """
    rules = list(rules)
    started = time.perf_counter()
    built = build(programme, rules=rules, previous=previous)
    e, v = built.expansion, built.variables
    # the stages' time starts once the model is built
    clock = Clock(options.time_limit, started, options.stop)
    try:
        hint: Mapping[int, int] | None = None
        held = Held()
        found, proofs = components(built.model), Proofs(built)
        if previous is not None:  # only what the edit touched is searched
            hint = previous_hint(built, previous)
            held = hold(proofs, found, previous, hint, proven or {}, LAST, options, clock)
            parts = pack(built.model, held.searched, options.part_size)
        else:
            parts = pack(built.model, found, options.part_size)
        # A plan from scratch starts from the clerk's own (first fit): never worse than that.
        start = hand_start(built, options, clock) if previous is None else None
        if start is not None:
            hint = start  # the first stage searches from it
        order = REPLAN if previous is not None else FRESH
        # A re-plan's next stage is hinted with this one's plan; a fresh one is not (a council
        # hinted so: gap 9.7 %, unhinted 0.03 %).
        rehint = previous is not None
        staged = run_stages(
            built,
            parts,
            order,
            options,
            clock,
            hint=hint,
            rehint=rehint,
            progress=progress,
            start=start,
            held=held.values,
        )
        stages, values = staged.stages, staged.values
        if values is None:
            if staged.status is SolveStatus.INFEASIBLE:
                core = infeasible_core(programme, rules, options, clock)
                words = conflict_explanation(e, core, rules)
                failed = _infeasible(programme, started, words, conflict=core)
            else:
                message = "No plan was found in the time allowed: allow more time."
                failed = _infeasible(programme, started, [message], staged.status)
            failed.reproducible = not clock.cut
            return Outcome(failed, built, cut=clock.cut, stopped=clock.stopped)
        placements = {
            u.key: [m for m in u.candidates if values[v.x[u.key, m].index]] for u in e.units
        }
        dropped = left_out(e, placements)
        conflicts = (
            _conflicts(programme, rules, options, clock, dropped, placements) if dropped else {}
        )
        # A must item left out with no conflict proven: the plan is not proven best.
        explained = all(conflicts.get(u.key) for u in dropped)
        optimal = len(stages) == len(order) and all(s.status is SolveStatus.OPTIMAL for s in stages)
        optimal = optimal and explained
        last = stages[-1]
        plan = placed_plan(
            e,
            placements,
            rules,
            conflicts,
            status=SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
            solve_seconds=round(time.perf_counter() - started, 3),
            objective=last.value,
            bound=last.bound,
            explanation=_gap(dropped, placements, explained),
            levels=[
                Level(
                    goals=list(s.goals),
                    # The final plan's: a later stage may better an unproven one's value.
                    value=value_of(built, s.goals, values),
                    bound=s.bound,
                    proven=s.status is SolveStatus.OPTIMAL,
                )
                for s in stages
            ],
            reproducible=not clock.cut,
            proven_parts=_proofs(proofs, found, parts, staged, held, values),
        )
        return Outcome(plan, built, stages, placements, clock.cut, held.placements, clock.stopped)
    finally:
        clock.close()  # its watcher of the stop ends with the solve


def _proofs(
    proofs: Proofs,
    found: list[Component],
    parts: list[Part],
    staged: Staged,
    held: Held,
    values: Mapping[int, int],
) -> dict[str, list[int]]:
    """The plan's `proven_parts` (`solver.proofs`): the components held as proven best, and
    those whose part every placing stage proved."""
    stages = [staged.proven.get((goal,)) for goal in PLACING]
    part_of = {var: n for n, part in enumerate(parts) for var in part.variables}
    searched = {id(c) for c in held.searched}

    def proven(c: Component) -> bool:
        if id(c) not in searched and c.variables[0] not in part_of:
            return True  # held as published, proven best there
        n = part_of[c.variables[0]]
        return all(stage is not None and stage[n] for stage in stages)

    return proofs.kept(found, proven, values)


def cut_words(outcome: Outcome) -> list[str]:
    """The plan's last line when the clock stopped its search (`CUT`), or somebody did
    (`STOPPED_EARLY`), if it did and a plan was found (one not found says so already)."""
    if not outcome.plan.status.found:
        return []
    if outcome.stopped:
        return [STOPPED_EARLY]
    return [CUT] if outcome.cut else []


def _conflicts(
    programme: Programme,
    rules: list[Rule],
    options: SolveOptions,
    clock: Clock,
    dropped: list[Unit],
    placements: Mapping[str, Sequence[str]],
) -> dict[str, list[str] | None]:
    """Each left-out must unit's smallest conflict (the first `MOST_EXPLAINED` of them), each
    search stopped by the clock, whose time it shares with the stages."""
    conflicts = Conflicts(programme, rules, options, clock)
    return {u.key: conflicts.keeping_out(u, dropped, placements) for u in dropped[:MOST_EXPLAINED]}


def _gap(
    dropped: list[Unit], placements: Mapping[str, Sequence[str]], explained: bool
) -> list[str]:
    """The first line of an incomplete plan: what it could not hold, and where to read why;
    "no plan can hold" only when a conflict is proven for each."""
    if not dropped:
        return []
    items = sum(not u.person for u in dropped)
    sessions = sum(u.count - len(placements.get(u.key, [])) for u in dropped if u.person)
    what = [count(items, "must item")] if items else []
    what += [count(sessions, "scrutiny session")] if sessions else []
    them = "it" if items + sessions == 1 else "them"
    if not explained:
        return [
            f"This plan places everything it found room for, but not {' and '.join(what)}. "
            f"Each is listed under “Not placed” with what is known of why; allow more time to "
            f"find out whether any plan can hold {them}."
        ]
    return [
        f"This plan places everything it can, but not {' and '.join(what)}: no plan can hold "
        f"{them} with every rule kept. Each is listed under “Not placed” with what keeps it "
        "out and what to change."
    ]


def previous_hint(built: Built, previous: Mapping[str, Sequence[str]]) -> dict[int, int]:
    """The previous plan as a (partial, maybe no longer feasible) starting point: each
    placement, `placed` literal and rotation session as the plan had it."""
    v = built.variables
    kept = {(key, m) for key, meetings in previous.items() for m in meetings}
    hint = {var.index: int((key, m) in kept) for (key, m), var in v.x.items()}
    hint |= {var.index: int(key in previous) for key, var in v.placed.items()}
    for key, sessions in v.kept.items():
        hint |= {var.index: int(n < len(previous.get(key, []))) for n, var in enumerate(sessions)}
    return hint


def hand_start(built: Built, options: SolveOptions, clock: Clock) -> dict[int, int] | None:
    """The clerk's hand method (`first_fit.by_hand`) as a whole plan of the model, its goals
    counted as they are (`tightened`). None when it has no plan (then the stages start from
    nothing)."""
    found = by_hand(built, options, clock)
    return tightened(built, found, LAST, options, clock) if found is not None else None


def _infeasible(
    programme: Programme,
    started: float,
    explanation: list[str],
    status: SolveStatus = SolveStatus.INFEASIBLE,
    conflict: list[str] | None = None,
) -> Plan:
    return Plan(
        programme=programme.id,
        status=status,
        solve_seconds=round(time.perf_counter() - started, 3),
        explanation=explanation,
        conflict=conflict or [],
        carried_forward=carried_forward(programme),
        suggested=suggested(programme),
    )
