"""The CP-SAT model of a programme: prune, variables, hard rules, soft goals (DESIGN §4.5).

Data flows one way: programme -> `expand` -> prune (each rule says why a meeting is out) ->
variables -> each rule posts its constraints -> soft goals. The objective is set by the solve,
stage by stage (`scheduler.solver.solve`, `scheduler.solver.stages`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import SatParameters

from scheduler.programme.model import Programme
from scheduler.solver.expand import Expansion, expand
from scheduler.solver.parts import PART_SIZE
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Rule, Variables
from scheduler.solver.rules.r1_placement import own_meetings
from scheduler.solver.rules.r7_rotation import add_sessions
from scheduler.solver.rules.soft import SOFT_GOALS, optional_units, s3_stability
from scheduler.solver.symmetry import break_symmetry

#: Deterministic seconds each second of `time_limit` buys. Measured on this 2-core machine
#: (bench/, one worker, others' tests running): a deterministic second took 1.4 to 2.5 wall
#: seconds on a whole council's parts (2.1 on average) and up to 3.6 on a short search of the 30x
#: council, where presolve and the first LP weigh most. A third leaves room for that and for the
#: stages' own work between searches, so that on a machine not otherwise busy the deterministic
#: limits, not the clock, end every search (`scheduler.solver.clock`). A quarter was too little
#: for a council asked for 30 seconds: its second part found no plan of its own (gap 43 %, 7 %
#: with a third).
DETERMINISTIC_PER_SECOND = 1 / 3


@dataclass(frozen=True)
class SolveOptions:
    """Solver parameters, all in one place.

    One worker and a fixed seed make the search deterministic: the same input gives the same
    plan. `time_limit` is the seconds the whole solve may take, every stage together (building
    the model and checking the plan come on top: see docs/clerks-guide.md). They buy
    deterministic time (CP-SAT's own work units, `solver.clock`), shared by the stages and
    each stage's parts (`scheduler.solver.stages`), so that a time-limited answer is the same on
    every run too; the wall clock only stops a search the deterministic limit has not.

    Linearization level 2 gives the one worker the LP relaxation of every constraint: its bound
    proves the placement goal (S1) at once. Measured on a synthetic council of 511 meetings: S1
    proven in 1.6 s instead of unproven after 120 s; twice Bromley's size optimal in 1.8 s
    instead of a gap after 60 s (bench/).
    """

    time_limit: float = 30.0
    workers: int = 1
    seed: int = 0
    part_size: int = PART_SIZE  # independent components are packed until a part has this many
    #: Set (from another thread) to stop the solve at once: the search under way stops, the
    #: stages left keep the plan as it stands, as when the time is up (`solver.clock`).
    stop: threading.Event | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def deterministic(self) -> float:
        """The deterministic seconds `time_limit` buys, for every stage together."""
        return self.time_limit * DETERMINISTIC_PER_SECOND

    def solver(
        self, deterministic: float | None = None, wall: float | None = None, *, fixed: bool = False
    ) -> cp_model.CpSolver:
        """A CP-SAT solver with these parameters, for one search of `deterministic` seconds
        (all the time limit buys when None), stopped on the wall clock at `wall` seconds (a
        solve's clock: what is left of its time), else at four times `deterministic` (a safety
        net); `fixed`: the model's decisions taken in its own order, one worker, no presolve and
        no relaxation (the clerk's hand method, `solver.first_fit`). The only place CP-SAT's
        parameters are set."""
        if deterministic is None:
            deterministic = self.deterministic
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1 if fixed else self.workers
        solver.parameters.linearization_level = 0 if fixed else 2
        if fixed:  # presolve would rename and drop the decisions, and their order with them
            solver.parameters.search_branching = SatParameters.FIXED_SEARCH
            solver.parameters.cp_model_presolve = False
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = deterministic
        solver.parameters.max_time_in_seconds = deterministic * 4 if wall is None else wall
        return solver


@dataclass
class Built:
    """A built model with what is needed to read its answer."""

    model: cp_model.CpModel
    expansion: Expansion
    variables: Variables
    goals: dict[str, list[tuple[cp_model.LinearExprT, int]]] = field(default_factory=dict)
    #: The constraints that break symmetry (a plan from scratch only): no rule, the same optimum.
    symmetry: range = range(0)

    def objective(self, goals: Iterable[str]) -> cp_model.LinearExprT:
        """The weighted sum of the named goals' terms."""
        return sum(weight * term for g in goals for term, weight in self.goals[g])

    def decisions(self) -> list[cp_model.IntVar]:
        """Every placement and `placed` literal, in a stable order."""
        return [*self.variables.x.values(), *self.variables.placed.values()]


def prune(e: Expansion, rules: Iterable[Rule]) -> None:
    """Fill each unit's candidates, the reasons for every meeting left out, and `waits`."""
    rules = list(rules)
    for unit in e.units:
        for slot in own_meetings(e, unit):
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
    previous: Mapping[str, Sequence[str]] | None = None,
) -> Built:
    """The CP-SAT model of a programme under `rules` (all of R1-R9 unless a test drops one).

    With `previous` (unit key -> its meetings in the plan being re-planned) the S3 goal is added
    and symmetry is not broken: interchangeable units are no longer alike once one of them has a
    meeting to keep. The objective is set by the solve, stage by stage.
    """
    rules = list(rules)
    e = expand(programme)
    prune(e, rules)
    model = cp_model.CpModel()
    v = Variables(explain=explain)
    for unit in e.units:
        for meeting in unit.candidates:
            v.x[unit.key, meeting] = model.new_bool_var(f"x:{unit.key}:{meeting}")
    for unit in optional_units(e):
        if unit.person:
            add_sessions(model, unit, v)
        else:
            v.placed[unit.key] = model.new_bool_var(f"placed:{unit.key}")
    for rule in rules:
        if rule.post:
            rule.post(model, e, v)
    built = Built(model, e, v)
    if explain:
        return built
    if previous is None:
        first = len(model.proto.constraints)
        break_symmetry(model, e, v)
        built.symmetry = range(first, len(model.proto.constraints))
    goals = dict(SOFT_GOALS)
    if previous is not None:
        goals["S3"] = s3_stability(previous)
    for name, goal in goals.items():
        terms, weights = goal(model, e, v)
        built.goals[name] = list(zip(terms, weights, strict=True))
    return built
