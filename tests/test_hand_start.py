"""A solve from scratch starts from the clerk's hand method (issue 23): its first whole plan is
the hand method's, and the search only ever keeps a plan better than the one it has, goal by
goal in their order, so that at no moment is the plan worse than the clerk's own."""

from __future__ import annotations

from typing import Any

import pytest

from bench.generate import generate, to_yaml
from bench.shapes import SHAPES
from scheduler.check import check
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.solver import stages
from scheduler.solver.build import SolveOptions, build
from scheduler.solver.first_fit import first_fit
from scheduler.solver.goals import measure, measured
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
    plan = solve(p, SolveOptions(time_limit=0))  # the clock is up at once: no timing involved
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


Values = dict[tuple[str, ...], list[float]]


def reported(p: Programme, seconds: float = 3) -> Values:
    """Each stage's reported incumbents, in order, of a solve of `seconds`."""
    curve: list[tuple[float, float, float, tuple[str, ...]]] = []
    solve(p, SolveOptions(time_limit=seconds), progress=lambda *point: curve.append(point))
    values: Values = {}
    for _, objective, _, goals in curve:
        values.setdefault(goals, []).append(objective)
    return values


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_progress_starts_from_the_clerks_plan_and_never_goes_back(name: str) -> None:
    """Every stage searched reports, in order, from the plan it starts with (on a busy machine
    the clock may leave the last ones unsearched: the time asked for is wall seconds); the
    first report is the clerk's plan, before any search; within a stage the incumbent never
    rises."""
    p = PROGRAMMES[name]
    values, hand = reported(p, seconds=30), measure(p, first_fit(p))
    order = [("S1-must",), ("S1",), ("S1-order",), ("S2", "S4", "S5")]
    assert len(values) >= 2 and list(values) == order[: len(values)]
    assert values[("S1-must",)][0] == 0 == hand.unplaced.get("must", 0)
    assert values[("S1",)][0] == hand.s1
    for goals, found in values.items():
        assert found == sorted(found, reverse=True), goals


@pytest.mark.parametrize("name", ["bromley", "recurring"])
def test_the_last_stage_starts_from_the_clerks_plan_when_nothing_places_better(
    name: str,
) -> None:
    """Here no placing stage finds better than the clerk's plan, so the last stage starts from
    it, its S2+S4+S5 counted as that plan has it (not as the placing stages left the counts)."""
    p = PROGRAMMES[name]
    values, hand = reported(p), measure(p, first_fit(p))
    assert all(len(set(found)) == 1 for goals, found in values.items() if goals[0] != "S2")
    assert values[("S2", "S4", "S5")][0] == hand.objective


def test_the_last_stage_reports_first_the_goals_of_the_plan_it_begins_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 10x the placing stages place an item the clerk's plan left out, moving others: the
    last stage begins from that plan, and its first report is that plan's own S2+S4+S5 (as
    `goals.measured` reads it off the placements), not the counts the placing stages left."""
    p = PROGRAMMES["10x"]
    built = build(p)  # the solve's own model: the same programme builds the same variables
    begins: list[dict[str, list[str]]] = []
    search = stages.Search.run

    def run(self: stages.Search, hint: Any, start: Any, progress: Any, budget: float) -> Any:
        if self.goals == ("S2", "S4", "S5"):
            x = built.variables.x
            begins.append({u.key: [m for m in u.candidates if start[x[u.key, m].index]]
                           for u in built.expansion.units})
        return search(self, hint, start, progress, budget)

    monkeypatch.setattr(stages.Search, "run", run)
    values = reported(p, seconds=20)  # time for every stage, even on a busy machine
    [placements] = begins
    goals = measured(built.expansion, placements)
    assert goals.s1 < measure(p, first_fit(p)).s1  # it places more than the clerk
    assert values[("S2", "S4", "S5")][0] == goals.objective
