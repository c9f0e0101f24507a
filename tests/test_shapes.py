"""The shapes an audit found hard (issue 23; bench/shapes.py): valid programmes, the same each
time, and each solved within its time to a plan the checker finds clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import main, to_yaml
from bench.shapes import SHAPES
from scheduler.check import check
from scheduler.programme.load import parse_programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import solve


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_is_a_programme_the_same_each_time(name: str) -> None:
    assert to_yaml(SHAPES[name]()) == to_yaml(SHAPES[name]())
    parse_programme(to_yaml(SHAPES[name]()), f"{name}.yaml")


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_gets_a_plan_in_its_time_that_breaks_no_rule(name: str) -> None:
    programme = parse_programme(to_yaml(SHAPES[name]()), f"{name}.yaml")
    plan = solve(programme, SolveOptions(time_limit=3))
    assert plan.status.found
    assert check(programme, plan) == []


def test_the_generator_writes_a_shape(tmp_path: Path) -> None:
    out = tmp_path / "same-hour.yaml"
    assert main(["--shape", "same-hour", "-o", str(out)]) == 0
    programme = parse_programme(out.read_text(), out.name)
    assert len(programme.bodies) == 24 and len(programme.people) == 6
