"""A solve's time: the seconds asked for, for every stage together (issue 22).

The seconds asked for buy deterministic seconds (CP-SAT's own measure of its work, the same on
every run), `build.DETERMINISTIC_PER_SECOND` of them a second (measured: see there). Each stage
takes its share of what the stages before it left, so time a quick stage leaves goes to the
next. A search stops at its deterministic limit, which is why the same input gives the same plan;
the wall clock is only the safety net: every search also stops when the seconds asked for are up.
(It is not also stopped at four times its deterministic share, as a search outside a solve is:
a short search under load went past that well within the time asked for, and was cut for
nothing.) A search stopped by the clock rather than by its deterministic limit, or a part or
stage left out because the time was up, makes the answer one that another run may not repeat:
the clock is then `cut`.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from scheduler.solver.build import DETERMINISTIC_PER_SECOND, SolveOptions

#: Wall seconds a search gets when the time is up and there is no plan yet to keep.
FLOOR = 0.2
#: Statuses a search reaches on its own: it was not stopped by any limit.
_FINISHED = (cp_model.OPTIMAL, cp_model.INFEASIBLE)


class Clock:
    """The time left for a solve's stages: deterministic seconds, and the wall-clock deadline.

    Args:
        seconds: the seconds asked for (the solve's `time_limit`), from now.
        started: when the solve began (`time.perf_counter()`), for progress reports.
    """

    def __init__(self, seconds: float, started: float) -> None:
        self.started = started
        self.deadline = time.perf_counter() + seconds
        self.deterministic = seconds * DETERMINISTIC_PER_SECOND  # left for the stages
        self.cut = False

    def left(self) -> float:
        """Wall seconds left before the deadline (0 when past)."""
        return max(0.0, self.deadline - time.perf_counter())

    def up(self) -> bool:
        """The time is up: what is not yet searched is left as it stands (and the clock cut)."""
        if self.left() > 0:
            return False
        self.cut = True
        return True

    def solver(
        self,
        options: SolveOptions,
        deterministic: float,
        *,
        must_find: bool = False,
        fixed: bool = False,
        floor: float = FLOOR,
    ) -> cp_model.CpSolver:
        """A solver for `deterministic` seconds that stops at the deadline too; one that
        `must_find` a plan (there is none yet to keep) gets at least `floor` seconds; `fixed`:
        see `SolveOptions.solver`."""
        wall = self.left()
        return options.solver(deterministic, max(wall, floor) if must_find else wall, fixed=fixed)

    def spent(self, solver: cp_model.CpSolver, code: cp_model.CpSolverStatus) -> float:
        """Count a finished search's deterministic seconds (returned); note a search that the
        wall clock stopped before its deterministic limit."""
        used = float(solver.response_proto.deterministic_time)
        self.deterministic -= used
        if code not in _FINISHED and used < solver.parameters.max_deterministic_time:
            self.cut = True
        return used
