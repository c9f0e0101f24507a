"""A solve from scratch starts from the clerk's hand method (issue 23): its first whole plan is
the hand method's, and the search only ever keeps a plan better than the one it has, goal by
goal in their order, so that at no moment is the plan worse than the clerk's own."""

from __future__ import annotations

import pytest

from bench.generate import generate, to_yaml
from bench.shapes import SHAPES
from scheduler.check import check
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.first_fit import first_fit
from scheduler.solver.goals import measure
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY


def programmes() -> dict[str, Programme]:
    found = {
        name: parse_programme(to_yaml(make()), f"{name}.yaml") for name, make in SHAPES.items()
    }
    found["10x"] = parse_programme(to_yaml(generate(10)), "10x.yaml")
    found["bromley"] = load_programme(BROMLEY)
    return found


PROGRAMMES = programmes()


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_with_no_time_to_search_the_plan_is_the_clerks(name: str) -> None:
    p = PROGRAMMES[name]
    plan = solve(p, SolveOptions(time_limit=0.01))
    hand = measure(p, first_fit(p))
    assert plan.status.found and check(p, plan) == []
    solved = measure(p, plan)
    assert (solved.s1, solved.objective) == (hand.s1, hand.objective)


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_given_time_the_plan_places_at_least_what_the_clerks_does(name: str) -> None:
    p = PROGRAMMES[name]
    plan = solve(p, SolveOptions(time_limit=2))
    hand, solved = measure(p, first_fit(p)), measure(p, plan)
    assert check(p, plan) == []
    assert solved.s1 <= hand.s1
    if solved.s1 == hand.s1 and all(
        level.goals != ["S1-order"] or level.value == 0 for level in plan.levels
    ):
        assert solved.objective <= hand.objective
