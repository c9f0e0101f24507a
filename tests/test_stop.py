"""A solve stopped at once (issue 26, first step: `SolveOptions.stop`): the search under way is
told to stop, the stages left keep the plan as it stands, and the plan is the best found so far,
checked like any other."""

from __future__ import annotations

import itertools
import threading

import pytest
from ortools.sat.python import cp_model

from bench.generate import generate, to_yaml
from scheduler.check import check
from scheduler.plan.model import STOPPED_EARLY
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.clock import WATCHER, Clock
from scheduler.solver.first_fit import first_fit
from scheduler.solver.goals import measure
from scheduler.solver.solve import solve
from scheduler.solver.stages import Callback
from scheduler.verified import plan_checked
from tests.conftest import BROMLEY

#: Far more than any of these needs: a stop that did not stop would keep the test this long.
LONG = 300.0


def programmes() -> dict[str, Programme]:
    return {
        "bromley": load_programme(BROMLEY),
        "10x": parse_programme(to_yaml(generate(10)), "10x.yaml"),
    }


PROGRAMMES = programmes()


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_stopped_before_it_starts_the_plan_is_the_clerks(name: str) -> None:
    p = PROGRAMMES[name]
    stop = threading.Event()
    stop.set()
    plan = solve(p, SolveOptions(time_limit=LONG, stop=stop))
    assert plan.status.found and check(p, plan) == []
    assert plan.explanation[-1] == STOPPED_EARLY  # said so: not "the time ran out"
    hand, solved = measure(p, first_fit(p)), measure(p, plan)
    assert (solved.s1, solved.objective) == (hand.s1, hand.objective)


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_stopped_while_it_searches_the_plan_is_the_best_so_far_and_checked(name: str) -> None:
    p = PROGRAMMES[name]
    stop = threading.Event()
    reports: list[float] = []

    def progress(seconds: float, objective: float, bound: float, goals: tuple[str, ...]) -> None:
        reports.append(objective)
        stop.set()  # the clerk presses Stop once the first plan is shown

    verified = plan_checked(p, SolveOptions(time_limit=LONG, stop=stop), progress=progress)
    assert verified.keep, verified.breaches
    hand, solved = measure(p, first_fit(p)), measure(p, verified.plan)
    assert solved.s1 <= hand.s1  # never worse placed than the clerk's plan it started from
    assert reports


def test_the_watcher_of_a_stop_ends_with_its_solve() -> None:
    """A solve whose stop never comes leaves no thread waiting for it (one a job, for up to
    its whole time limit, before)."""
    p = PROGRAMMES["bromley"]
    plan = solve(p, SolveOptions(time_limit=LONG, stop=threading.Event()))
    assert plan.status.found and STOPPED_EARLY not in plan.explanation
    waiting = [t for t in threading.enumerate() if t.name == WATCHER]
    for thread in waiting:
        thread.join(timeout=LONG)  # ends within WATCH seconds of the solve's end
    assert not any(t.is_alive() for t in waiting)


def test_a_stop_is_not_part_of_what_makes_a_plan_the_same() -> None:
    """Options differing only by their stop are equal: the same input gives the same plan."""
    assert SolveOptions(time_limit=5, stop=threading.Event()) == SolveOptions(time_limit=5)


def golomb(marks: int = 11) -> cp_model.CpModel:
    """The shortest ruler with `marks` marks, all their distances different: CP-SAT finds a
    ruler at once and better ones for minutes, a search that is never over early."""
    model = cp_model.CpModel()
    top = marks * marks
    at = [model.new_int_var(0, top, f"mark{n}") for n in range(marks)]
    model.add(at[0] == 0)
    for a, b in itertools.pairwise(at):
        model.add(a < b)
    model.add_all_different([b - a for n, a in enumerate(at) for b in at[n + 1 :]])
    model.minimize(at[-1])
    return model


#: Deterministic seconds the rulers' searches get: enough for several better rulers.
RULER = 3.0


def ruler_search(stop: threading.Event, when: str) -> list[float]:
    """A search that must find a plan, stopped `when` ("before" it starts, "at" its first ruler
    from its callback, "after" its first ruler from another thread, or "never"): the rulers it
    reported."""
    if when == "before":
        stop.set()
    clock = Clock(LONG, 0.0, stop)
    solver = clock.solver(SolveOptions(time_limit=LONG), RULER, must_find=True)
    seen: list[float] = []
    first = threading.Event()

    def report(seconds: float, objective: float, bound: float) -> None:
        seen.append(objective)
        first.set()
        if when == "at":
            stop.set()

    def stop_after_first() -> None:
        first.wait(LONG)
        stop.set()

    helper = threading.Thread(target=stop_after_first)
    if when == "after":
        helper.start()
    code = solver.solve(golomb(), Callback(report, clock))
    clock.close()
    first.set()
    if when == "after":
        helper.join()
    assert code == cp_model.FEASIBLE and seen
    return seen


def test_a_search_that_must_find_a_plan_runs_on_when_not_stopped() -> None:
    assert len(ruler_search(threading.Event(), "never")) > 3


@pytest.mark.parametrize("when", ["before", "at", "after"])
def test_a_search_that_must_find_a_plan_stops_at_its_first_once_stopped(when: str) -> None:
    """A re-plan's first stage, or a solve the hand method found nothing for, has no plan to
    keep: stopped, it keeps the first it finds rather than search its whole share."""
    seen = ruler_search(threading.Event(), when)
    assert len(seen) <= 2  # the first, and one another worker may report as it stops
