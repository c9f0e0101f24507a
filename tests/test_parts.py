"""Solving in independent parts (scheduler.solver.parts, DESIGN §9) gives what solving whole does.

The parts are forced small (`part_size=1`: every component alone), so that random small
programmes split as a whole council does. A plan in parts passes `check`, is proven optimal
when the whole is, with the same objective (the objective is a sum over independent parts),
and is the same on every run. A re-plan in parts moves no more than one solved whole.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, note, settings
from ortools.sat.python import cp_model

from bench.generate import generate
from scheduler.check import check
from scheduler.plan.model import SolveStatus
from scheduler.programme.load import load_programme
from scheduler.solver.build import SolveOptions, build
from scheduler.solver.parts import split
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY
from tests.strategies import load, programme_data

WHOLE = SolveOptions(time_limit=5.0, part_size=10**9)
PARTS = SolveOptions(time_limit=5.0, part_size=1)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(programme_data())
def test_a_plan_in_parts_is_the_whole_plan_s_equal(data: dict[str, Any]) -> None:
    programme = load(data)
    whole, parts = solve(programme, WHOLE), solve(programme, PARTS)
    note(f"whole: {whole.status} {whole.objective}; parts: {parts.status} {parts.objective}")
    assert parts.status.found == whole.status.found
    if not parts.status.found:
        return
    assert check(programme, parts) == []
    if whole.status is SolveStatus.OPTIMAL and parts.status is SolveStatus.OPTIMAL:
        assert parts.objective == whole.objective
    again = solve(load(data), PARTS)  # deterministic
    assert again.model_dump(exclude={"solve_seconds"}) == parts.model_dump(
        exclude={"solve_seconds"}
    )


def test_components_are_independent_and_cover_the_model() -> None:
    built = build(load_programme(BROMLEY))
    model = built.model
    parts = split(model, 1)
    assert len(parts) > 1
    seen = [var for part in parts for var in part.variables]
    assert sorted(seen) == list(range(len(model.proto.variables)))  # each variable once
    constraints = sum(len(part.model.proto.constraints) for part in parts)
    assert constraints == len(model.proto.constraints)  # each constraint once
    assert len(split(model)) == 1 and split(model)[0].model is model  # Bromley: one part


def test_an_unknown_kind_of_constraint_is_refused_not_ignored() -> None:
    model = cp_model.CpModel()
    x = [model.new_int_var(0, 3, f"x{n}") for n in range(3)]
    model.add_all_different(x)
    try:
        split(model, 1)
    except NotImplementedError as err:
        assert "not handled" in str(err)
    else:
        raise AssertionError("an all_different constraint was split without its variables")


def test_a_replan_in_parts_keeps_the_plan_when_nothing_changed() -> None:
    programme = load_programme(BROMLEY)
    plan = solve(programme, PARTS)
    again = replan(programme, plan, options=PARTS)
    assert again.disruption is not None and again.disruption.moved == 0
    assert again.disruption.proven and check(programme, again, previous=plan) == []


def test_a_programme_with_nothing_to_place_is_solved() -> None:
    programme = load_programme(BROMLEY)
    empty = programme.model_copy(update={"items": []})
    plan = solve(empty, PARTS)
    assert plan.status is SolveStatus.OPTIMAL and all(not m.agenda for m in plan.meetings)


def test_progress_in_parts_never_rises_and_never_passes_its_bound() -> None:
    data = generate(10)
    programme = load(data)
    reports: list[tuple[float, float, float, tuple[str, ...]]] = []
    plan = solve(
        programme,
        SolveOptions(time_limit=5.0, part_size=500),
        progress=lambda *r: reports.append(r),
    )
    assert plan.status.found and reports
    last = plan.levels[-1].goals
    incumbents = [objective for _, objective, _, goals in reports if list(goals) == last]
    assert incumbents == sorted(incumbents, reverse=True)
    assert all(bound <= objective for _, objective, bound, _ in reports)
    assert incumbents[-1] == plan.objective
