"""How far each stage of a solve is from the best possible, and whether the same input would
give the same plan again (issue 23): said in the plan, apart for each stage."""

from __future__ import annotations

import json

from bench.generate import generate, to_yaml
from scheduler.plan.model import Plan
from scheduler.programme.load import load_programme, parse_programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.goals import measure
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY


def test_each_stage_says_its_own_value_bound_and_proof() -> None:
    plan = solve(load_programme(BROMLEY), SolveOptions(time_limit=10))
    assert [level.goals for level in plan.levels] == [
        ["S1-must"],
        ["S1"],
        ["S1-order"],
        ["S2", "S4", "S5"],
    ]
    assert all(level.proven and level.gap == 0 for level in plan.levels)
    assert (plan.objective, plan.bound) == (plan.levels[-1].value, plan.levels[-1].bound)
    written = json.loads(plan.to_json())
    assert written["levels"][-1] == {
        "goals": ["S2", "S4", "S5"],
        "value": plan.objective,
        "bound": plan.bound,
        "proven": True,
    }
    assert "reproducible" not in written  # said only when false
    assert Plan.model_validate_json(plan.to_json()) == plan


def test_a_search_the_clock_stopped_is_not_reproducible_and_says_how_far_it_is() -> None:
    plan = solve(parse_programme(to_yaml(generate(10)), "10x.yaml"), SolveOptions(time_limit=0.05))
    assert plan.status.found and not plan.reproducible
    assert json.loads(plan.to_json())["reproducible"] is False
    assert any(not level.proven for level in plan.levels)
    assert all(level.bound <= level.value for level in plan.levels)


def test_an_unproven_plan_says_its_goals_as_the_plan_has_them() -> None:
    """The search leaves S4's and S5's counting variables where it found them, at least the
    plan's own; the plan's objective and levels are its own goals (`goals.measure`), so that
    the gap is not overstated."""
    p = parse_programme(to_yaml(generate(10)), "10x.yaml")
    plan = solve(p, SolveOptions(time_limit=2))
    last = plan.levels[-1]
    assert last.goals == ["S2", "S4", "S5"] and not last.proven
    goals = measure(p, plan)
    assert plan.objective == last.value == goals.objective
    s1 = next(level for level in plan.levels if level.goals == ["S1"])
    assert s1.value == goals.s1
