"""The corners an independent review of "always a plan" found (issue 20): each a small
programme where the weights or the conflicts once went wrong."""

from __future__ import annotations

import copy

from scheduler.check import check
from scheduler.plan.model import SolveStatus, Unplaced
from scheduler.programme.model import Programme
from scheduler.solver.conflicts import Conflicts
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.solve import solve
from tests.programmes import BASE, programme

TWO = ["2017-06-20", "2017-11-14"]


def test_two_officers_each_short_of_a_session_both_name_their_conflict() -> None:
    """Four sessions, two meetings: each officer keeps one; each left-out session's conflict
    holds the other officer at the session the plan gave them."""
    p = programme(
        {"id": "rot", "kind": "scrutiny", "rotation": {"a": 2, "b": 2}, "per_meeting": 1},
        meetings=TWO,
    )
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL and not plan.complete
    assert check(p, plan) == []
    assert sorted((u.occurrence, u.missing) for u in plan.unplaced) == [("a", 1), ("b", 1)]
    conflicts = Conflicts(p, HARD_RULES)
    for u in plan.unplaced:
        assert f"R7:rot@{u.occurrence}" in u.conflict
        other = "b" if u.occurrence == "a" else "a"
        assert f"R7:rot@{other}#1" in u.conflict
        assert not conflicts.holds(u.conflict)
        assert all(conflicts.holds([n for n in u.conflict if n != m]) for m in u.conflict)


def test_more_must_items_left_out_than_are_explained_is_a_plan_not_proven_best() -> None:
    """Fifteen must themes for one meeting: the first twelve left out name their conflict, the
    rest are not looked into, so the plan does not claim to be proven best; it passes check."""
    themes = [{"id": f"m{n:02}", "kind": "substantive", "priority": "must"} for n in range(16)]
    p = programme(*themes, meetings=["2017-06-20"])
    plan = solve(p)
    assert not plan.complete and plan.status is SolveStatus.FEASIBLE
    assert check(p, plan) == []
    assert plan.explanation == [
        "This plan places everything it found room for, but not 15 must items. Each is listed "
        "under “Not placed” with what is known of why; allow more time to find out whether any "
        "plan can hold them."
    ]
    assert [u.item for u in plan.unplaced if u.conflict] == [f"m{n:02}" for n in range(1, 13)]


def test_an_officer_of_a_high_priority_rotation_keeps_one_session_before_another_keeps_two() -> None:
    p = programme(
        {"id": "rot", "kind": "scrutiny", "priority": "high", "rotation": {"a": 2, "b": 2},
         "per_meeting": 1},
        meetings=TWO,
    )
    plan = solve(p)
    officers = sorted(e.occurrence or "" for m in plan.meetings for e in m.agenda)
    assert officers == ["a", "b"]
    assert plan.complete  # not must: left out is no gap


def test_placing_one_more_item_outweighs_any_file_order() -> None:
    """30 items of 31 minutes listed first, 31 of 30 minutes listed last (3,400 items apart),
    one meeting of 930 minutes: the 31 are placed; the file's order only breaks ties."""
    data = copy.deepcopy(BASE)
    data["bodies"][0].update(minutes=930, limits={}, meetings=["2017-06-20"])
    early = [{"id": f"e{i:02}", "title": f"Early {i}", "minutes": 31} for i in range(30)]
    fill = [{"id": f"f{i:04}", "title": f"Filler {i}", "delegated_to": "Another Council"}
            for i in range(3400)]
    late = [{"id": f"l{i:02}", "title": f"Late {i}", "minutes": 30} for i in range(31)]
    data["items"] = [
        {"body": "main", "kind": "report", "priority": "low", **i} for i in early + fill + late
    ]
    p = Programme.model_validate(data)
    plan = solve(p)
    assert sorted(a.item for a in plan.meetings[0].agenda) == [f"l{i:02}" for i in range(31)]


def test_a_must_item_left_out_without_its_own_rule_in_the_conflict_is_a_breach() -> None:
    """A hand-made plan cannot leave a must item out by saying it is not complete: proven best,
    its conflict must name the item's own rule instance, and real rules only."""
    p = programme({"id": "urgent", "priority": "must"}, {"id": "other"})
    solved = solve(p)
    assert solved.complete and check(p, solved) == []
    for conflict in (["R99:nonsense"], ["R6:main-2017-06-20:short"], []):
        hand = solved.model_copy(deep=True)
        hand.complete = False
        for m in hand.meetings:
            m.agenda = [a for a in m.agenda if a.item != "urgent"]
        hand.unplaced = [*hand.unplaced, Unplaced(item="urgent", title="urgent",
                                                  conflict=conflict)]
        assert [b.message for b in check(p, hand) if b.rule == "R1"] == [
            "R1 placement: urgent is a must item left out with no conflict named"
        ], conflict
