"""What cannot be placed, and why a programme is infeasible, in plain words."""

from __future__ import annotations

from scheduler.check import check
from scheduler.plan.model import SolveStatus
from scheduler.solver.solve import solve
from tests.programmes import programme

FOUR = ["2017-06-20", "2017-10-17", "2018-01-23", "2018-02-27"]


def test_five_substantive_items_for_four_meetings() -> None:
    items = [{"id": f"theme-{n}", "kind": "substantive"} for n in range(1, 6)]
    items[4]["priority"] = "low"
    p = programme(*items, meetings=FOUR)
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL
    assert check(p, plan) == []
    (unplaced,) = plan.unplaced
    assert unplaced.item == "theme-5"  # the low-priority one gives way
    assert unplaced.reasons[0] == (
        "R6 capacity: 5 substantive items compete for 4 meetings of 'main' holding 1 each (4 placed)"
    )
    assert unplaced.reasons[1] == "R6 capacity: main-2017-06-20 already holds 1 substantive (theme-1)"


def test_unplaced_for_want_of_minutes_names_the_meeting() -> None:
    p = programme(
        {"id": "big", "minutes": 100, "priority": "high"},
        {"id": "other", "minutes": 100},
        meetings=["2017-06-20"],
    )
    plan = solve(p)
    (unplaced,) = plan.unplaced
    assert unplaced.item == "other"
    assert unplaced.reasons == ["R6 capacity: main-2017-06-20 has 50 of 150 minutes free, 100 needed"]


def test_item_with_no_possible_meeting_lists_each_rule() -> None:
    p = programme({"id": "evidence", "witnesses": ["w"], "window": "2017-06-01..2017-06-30"})
    plan = solve(p)
    assert plan.unplaced[0].reasons == [
        "R8 people: Witness W unavailable on 2017-06-20",
        "R4 window: main-2017-11-14 is outside 2017-06-01..2017-06-30",
    ]


def test_undated_event_holds_its_dependants() -> None:
    p = programme(
        {"id": "after-visit", "after": {"event": "visit"}},
        {"id": "follow-up", "after": {"item": "after-visit"}, "priority": "must"},
        events=[{"id": "visit", "title": "Members' site visit", "date": None}],
    )
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL  # a must item waiting for an event is not infeasible
    assert {u.item: u.reasons for u in plan.unplaced} == {
        "after-visit": ["R9 order: waits for the date of 'Members' site visit' (visit)"],
        "follow-up": ["R9 order: comes after 'after-visit', which waits"],
    }


def test_must_item_with_no_meeting_is_infeasible_and_says_why() -> None:
    p = programme({"id": "evidence", "witnesses": ["w"], "meeting": "main-2017-06-20", "priority": "must"})
    plan = solve(p)
    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.meetings == []
    assert plan.explanation == [
        "R1 placement: 'evidence' (evidence) must go to 1 meeting(s) but 0 of its body's meetings are possible:",
        "  main-2017-06-20: R8 people: Witness W unavailable on 2017-06-20",
        "  main-2017-11-14: R5 pin: pinned to main-2017-06-20",
    ]


def test_conflicting_must_items_name_a_minimal_set_of_rules() -> None:
    items = [{"id": f"theme-{n}", "kind": "substantive", "priority": "must"} for n in range(1, 4)]
    p = programme(*items, {"id": "spare", "priority": "must"})
    plan = solve(p)
    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.explanation[0] == "These rules cannot all hold together (each is needed for the conflict):"
    rules = plan.explanation[1:]
    # Three must themes, two meetings holding one each; the spare item plays no part.
    assert sorted(rules) == sorted([
        "  R1 placement: 'theme-1' (theme-1) is a must at 1 meeting(s) of 'main'",
        "  R1 placement: 'theme-2' (theme-2) is a must at 1 meeting(s) of 'main'",
        "  R1 placement: 'theme-3' (theme-3) is a must at 1 meeting(s) of 'main'",
        "  R6 capacity: main-2017-06-20 holds at most 1 substantive item(s)",
        "  R6 capacity: main-2017-11-14 holds at most 1 substantive item(s)",
    ])


def test_rotation_that_cannot_be_met_is_explained() -> None:
    p = programme({"id": "scrutiny", "kind": "scrutiny", "rotation": {"w": 2}})
    plan = solve(p)
    assert plan.status is SolveStatus.INFEASIBLE
    assert "R8 people: Witness W unavailable on 2017-06-20" in "\n".join(plan.explanation)
