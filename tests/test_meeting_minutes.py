"""A meeting's own agenda time (`minutes` on the meeting, e.g. from Modern.gov's planned finish)
counts in R6 instead of its body's, in the solver and in the checker, at its boundary."""

from __future__ import annotations

from typing import Any

from scheduler.check import check
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from scheduler.solver.solve import solve
from tests.programmes import programme

JUNE, NOVEMBER = "main-2017-06-20", "main-2017-11-14"
#: Three hour-long items that must be heard; the body's meetings hold an hour each.
HOURS = [{"id": f"hour-{n}", "priority": "must", "minutes": 60} for n in (1, 2, 3)]


def with_june(minutes: int | None) -> Programme:
    june: Any = "2017-06-20" if minutes is None else {"date": "2017-06-20", "minutes": minutes}
    body = {"id": "main", "name": "Main Committee", "minutes": 60, "meetings": [june, "2017-11-14"]}
    return programme(*HOURS, bodies=[body])


def at(plan: Plan, meeting: str) -> list[str]:
    return [e.item for m in plan.meetings if m.id == meeting for e in m.agenda]


def test_a_longer_meeting_takes_more_than_its_bodys_minutes() -> None:
    p = with_june(120)
    plan = solve(p)
    assert (len(at(plan, JUNE)), len(at(plan, NOVEMBER)), plan.unplaced) == (2, 1, [])
    june = next(m for m in plan.meetings if m.id == JUNE)
    assert (june.minutes_used, june.minutes_available) == (120, 120)
    assert check(p, plan) == []


def test_without_its_own_minutes_the_meeting_holds_the_bodys() -> None:
    p = with_june(None)
    plan = solve(p)
    assert (len(at(plan, JUNE)), len(at(plan, NOVEMBER))) == (1, 1)
    assert [u.item for u in plan.unplaced] == ["hour-3"]
    words = " ".join(r.text for r in plan.unplaced[0].reasons)
    assert "Main Committee, Tuesday 20 June 2017 has 60 minutes for its agenda" in words, words


def test_one_minute_short_of_two_items_holds_one() -> None:
    plan = solve(with_june(119))
    assert len(at(plan, JUNE)) == 1 and len(plan.unplaced) == 1
    words = " ".join(r.text for r in plan.unplaced[0].reasons)
    assert "Main Committee, Tuesday 20 June 2017 has 119 minutes for its agenda" in words, words


def test_the_checker_holds_a_plan_to_the_meetings_own_minutes() -> None:
    plan = solve(with_june(120))
    assert check(with_june(120), plan) == []
    breaches = check(with_june(119), plan)
    assert [(b.rule, b.subject) for b in breaches] == [("R6", JUNE)]
    assert "uses 120 of 119 minutes" in breaches[0].message
    assert [b.rule for b in check(with_june(None), plan)] == ["R6"]


def test_a_shorter_meeting_than_its_body_holds_less() -> None:
    body = {
        "id": "main",
        "name": "Main Committee",
        "minutes": 180,
        "meetings": [{"date": "2017-06-20", "minutes": 60}, "2017-11-14"],
    }
    p = programme(*HOURS[:2], {"id": "fixed", "meeting": JUNE, "minutes": 60}, bodies=[body])
    plan = solve(p)
    assert at(plan, JUNE) == ["fixed"]
    assert sorted(at(plan, NOVEMBER)) == ["hour-1", "hour-2"]
    assert check(p, plan) == []
