"""R8 posted per person per group of meetings that all overlap (issue 23): committees meeting at
the same hour and sharing officers make constraints in proportion to the committees, not to
their square (24 committees once made 626,000 constraints for 7,100 variables)."""

from __future__ import annotations

from typing import Any

from scheduler.check import check
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions, build
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.r8_people import RULE as R8
from scheduler.solver.solve import solve
from tests.strategies import load

DATES = ["2025-06-17", "2025-09-16", "2025-11-18", "2026-01-20"]
OFFICERS = 6


def same_hour(bodies: int) -> Programme:
    """`bodies` committees meeting on the same days at 19:00, their items presented by the
    same six officers."""
    data: dict[str, Any] = {
        "id": "same-hour",
        "council": "Test",
        "title": "Same hour",
        "year": "2025-05-20..2026-05-19",
        "people": [{"id": f"o{i}", "name": f"Officer {i}"} for i in range(OFFICERS)],
        "bodies": [
            {
                "id": f"b{b}",
                "name": f"Committee {b}",
                "start": "19:00",
                "minutes": 150,
                "meetings": DATES,
            }
            for b in range(bodies)
        ],
        "items": [
            {
                "id": f"b{b}-i{i}",
                "title": f"Item {i}",
                "body": f"b{b}",
                "kind": "substantive",
                "presenters": [f"o{(b + i) % OFFICERS}"],
            }
            for b in range(bodies)
            for i in range(3)
        ],
    }
    return load(data)


def r8_constraints(p: Programme) -> int:
    without = [r for r in HARD_RULES if r is not R8]
    return len(build(p).model.Proto().constraints) - len(
        build(p, rules=without).model.Proto().constraints
    )


def test_r8_grows_with_the_committees_not_their_square() -> None:
    small, large = r8_constraints(same_hour(6)), r8_constraints(same_hour(24))
    assert small > 0
    assert large <= 4.5 * small, (small, large)  # linear: 4x the committees, about 4x


def test_r8_still_keeps_an_officer_to_one_of_the_meetings_at_the_same_hour() -> None:
    p = same_hour(8)
    plan = solve(p, SolveOptions(time_limit=5))
    assert plan.status.found
    assert not [b for b in check(p, plan) if b.rule == "R8"]
    for officer in range(OFFICERS):
        for day in DATES:
            at = {
                m.id
                for m in plan.meetings
                if m.date is not None and m.date.isoformat() == day
                for e in m.agenda
                if f"o{officer}" in p.items_by_id[e.item].presenters
            }
            assert len(at) <= 1, (officer, day, at)
