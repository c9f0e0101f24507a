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

A solve is also stopped at once when its `SolveOptions.stop` is set (a clerk's "Stop", a worker
shutting down): the search under way is told to stop (CP-SAT's stop_search, from a thread of
the clock's), and from then on the time is up. A search that must find a plan, there being
none yet to keep, is stopped at its first plan instead (`found`, from its solution callback;
one begun after the stop is set to stop there itself), and still gets its `floor`. The plan is
the best found so far.
"""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from scheduler.solver.build import DETERMINISTIC_PER_SECOND, SolveOptions

#: Wall seconds a search gets when the time is up and there is no plan yet to keep.
FLOOR = 0.2
#: After a stop, it is said to the search under way every AGAIN seconds for REPEAT seconds.
AGAIN, REPEAT = 0.02, 2.0
WATCHER = "scrutiny-stop-watcher"
#: How often the watcher of a stop looks whether the solve has ended meanwhile.
WATCH = 0.25
#: Statuses a search reaches on its own: it was not stopped by any limit.
_FINISHED = (cp_model.OPTIMAL, cp_model.INFEASIBLE)


class Clock:
    """The time left for a solve's stages: deterministic seconds, and the wall-clock deadline.

    Args:
        seconds: the seconds asked for (the solve's `time_limit`), from now.
        started: when the solve began (`time.perf_counter()`), for progress reports.
    """

    def __init__(self, seconds: float, started: float, stop: threading.Event | None = None) -> None:
        self.started = started
        self.deadline = time.perf_counter() + seconds
        self.deterministic = seconds * DETERMINISTIC_PER_SECOND  # left for the stages
        self.cut = False
        self.stop = stop
        self._searching: cp_model.CpSolver | None = None
        self._wanting = False  # the search under way must find a plan and has none yet
        self._lock = threading.Lock()
        self._done = threading.Event()
        if stop is not None:
            watcher = threading.Thread(target=self._stop_when_asked, name=WATCHER, daemon=True)
            watcher.start()

    def close(self) -> None:
        """The solve has ended: the watcher of its stop ends too (within `WATCH` seconds)."""
        self._done.set()

    @property
    def stopped(self) -> bool:
        """Whether the solve was asked to stop."""
        return self.stop is not None and self.stop.is_set()

    def _stop_when_asked(self) -> None:
        """Waits for the stop, then stops the search under way. CP-SAT takes a stop only once
        a search has begun, and one may be about to begin with the time it was given before
        the stop: the stop is said again every `AGAIN` seconds for `REPEAT` seconds, by when any
        such search has begun (each later one gets no time: `left` is 0). The watch ends with
        the solve (`close`) or its deadline."""
        assert self.stop is not None
        while not self.stop.wait(timeout=WATCH):
            if self._done.is_set() or self.left() == 0:
                return
        until = time.perf_counter() + REPEAT
        while time.perf_counter() < until and not self._done.is_set():
            with self._lock:
                if self._searching is not None and not self._wanting:
                    self._searching.stop_search()
            time.sleep(AGAIN)

    def left(self) -> float:
        """Wall seconds left before the deadline (0 when past, or once stopped)."""
        if self.stopped:
            return 0.0
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
        solver = options.solver(deterministic, max(wall, floor) if must_find else wall, fixed=fixed)
        if must_find and self.stopped:
            solver.parameters.stop_after_first_solution = True
        with self._lock:  # one that must find a plan is stopped once it has found one
            self._searching, self._wanting = solver, must_find
        return solver

    def found(self) -> bool:
        """The search under way found a plan (its solution callback says so); whether it should
        stop now (the solve was asked to stop)."""
        with self._lock:
            self._wanting = False
        return self.stopped

    def spent(self, solver: cp_model.CpSolver, code: cp_model.CpSolverStatus) -> float:
        """Count a finished search's deterministic seconds (returned); note a search that the
        wall clock stopped before its deterministic limit."""
        used = float(solver.response_proto.deterministic_time)
        self.deterministic -= used
        if code not in _FINISHED and used < solver.parameters.max_deterministic_time:
            self.cut = True
        return used
