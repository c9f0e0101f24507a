"""The synthetic-council generator (bench/generate.py, DESIGN §9): valid, deterministic, sized."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bench.generate import council, generate, main, to_yaml
from scheduler.check import check
from scheduler.cli import main as scrutiny
from scheduler.plan.model import SolveStatus
from scheduler.programme.load import parse_programme
from scheduler.programme.model import DEFAULT_MINUTES, Programme
from scheduler.solver.solve import solve

KINDS = set(DEFAULT_MINUTES)


@cache
def loaded(scale: float | None, seed: int = 0) -> Programme:
    """The generated programme at `scale` (None: the whole council), through YAML text."""
    data = council(seed) if scale is None else generate(scale, seed)
    return parse_programme(to_yaml(data), "synthetic.yaml")


def meetings(p: Programme) -> int:
    return sum(len(body.meetings) for body in p.bodies)


@pytest.mark.parametrize("scale", [1, 2, None], ids=["scale-1", "scale-2", "council"])
def test_generated_programme_loads(scale: float | None) -> None:
    p = loaded(scale)
    assert p.bodies and p.items and p.people


def test_same_seed_gives_the_same_yaml() -> None:
    assert to_yaml(generate(2, seed=7)) == to_yaml(generate(2, seed=7))


def test_another_seed_gives_another_programme() -> None:
    assert to_yaml(generate(2, seed=0)) != to_yaml(generate(2, seed=1))


def test_scale_1_is_bromley_sized() -> None:
    """A select committee of 7 meetings, a sub-committee of 4, one or two other bodies."""
    p = loaded(1)
    kinds = [body.kind for body in p.bodies]
    assert kinds[:2] == ["committee", "sub-committee"]
    assert [len(body.meetings) for body in p.bodies[:2]] in ([7, 4], [8, 4])  # 8: a call-in
    assert 1 <= kinds.count("other") <= 2
    assert 40 <= len(p.items) <= 70


def test_scale_grows_the_council() -> None:
    assert len(loaded(1).items) < len(loaded(2).items) < len(loaded(None).items)


def test_scale_1_solves_and_the_plan_passes_check() -> None:
    p = loaded(1)
    plan = solve(p)
    assert plan.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert check(p, plan) == []


def test_council_is_the_size_of_design_9() -> None:
    """About 60 bodies, 500 meetings and 2,500 items (a recurring item counts once)."""
    p = loaded(None)
    assert 50 <= len(p.bodies) <= 70
    assert 450 <= meetings(p) <= 550
    assert 2200 <= len(p.items) <= 2800


@pytest.mark.parametrize("scale", [1, None], ids=["scale-1", "council"])
def test_every_kind_of_item_appears(scale: float | None) -> None:
    assert {item.kind for item in loaded(scale).items} == KINDS


def test_council_uses_every_feature_of_the_format() -> None:
    p = loaded(None)
    items = p.items
    statuses = {m.status for body in p.bodies for m in body.meetings}
    assert statuses == {"scheduled", "tentative", "cancelled"}
    assert any(m.moved_from for body in p.bodies for m in body.meetings)
    assert any(m.special for body in p.bodies for m in body.meetings)
    assert any(body.parent for body in p.bodies if body.kind == "sub-committee")
    assert any(body.informal for body in p.bodies)
    assert {i.every for i in items} == {None, "quarter", "half-year"}
    assert {i.importance for i in items} == {"must", "high", "normal", "low"}
    for feature in ("window", "prefer", "meeting", "with_", "follows", "decision",
                    "delegated_from", "delegated_to", "exempt", "rotation"):
        assert any(getattr(i, feature) for i in items), feature
    assert any(a.item for i in items for a in i.after)
    assert any(a.event for i in items for a in i.after)
    assert any(i.witnesses for i in items) and any(i.presenters for i in items)
    assert any(i.times > 1 for i in items)
    assert any(person.unavailable for person in p.people)
    assert any(not event.date.known for event in p.events)


def test_rotation_totals_fit_the_meetings() -> None:
    p = loaded(None)
    for item in p.items:
        if item.rotation:
            body = p.bodies_by_id[item.body]
            ordinary = [m for m in body.meetings if m.status != "cancelled" and not m.special]
            assert sum(item.rotation.values()) <= len(ordinary) * (item.per_meeting or 1)


def test_cli_writes_yaml_that_scrutiny_validates(tmp_path: Path) -> None:
    out = tmp_path / "synthetic.yaml"
    assert main(["--scale", "1", "--seed", "3", "-o", str(out)]) == 0
    assert out.read_text() == to_yaml(generate(1, seed=3))
    assert scrutiny(["validate", str(out)]) == 0


def test_scale_must_be_positive() -> None:
    with pytest.raises(ValueError, match="scale must be positive"):
        generate(0)
