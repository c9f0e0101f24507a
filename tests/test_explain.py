"""What cannot be placed, and why a programme is infeasible, in plain words."""

from __future__ import annotations

from scheduler.check import check
from scheduler.plan.model import Reason, SolveStatus
from scheduler.solver.solve import solve
from tests.programmes import programme

FOUR = ["2017-06-20", "2017-10-17", "2018-01-23", "2018-02-27"]


def details(reasons: list[Reason]) -> list[str | None]:
    return [r.details for r in reasons]


def test_five_substantive_items_for_four_meetings() -> None:
    items = [{"id": f"theme-{n}", "kind": "substantive"} for n in range(1, 6)]
    items[4]["priority"] = "low"
    p = programme(*items, meetings=FOUR)
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL
    assert check(p, plan) == []
    (unplaced,) = plan.unplaced
    assert unplaced.item == "theme-5"  # the low-priority one gives way
    assert details(unplaced.reasons)[:2] == [
        "R6 capacity: 5 substantive items compete for 4 meetings of 'main' holding 1 each (4 placed)",
        "R6 capacity: main-2017-06-20 already holds 1 substantive (theme-1)",
    ]
    assert unplaced.reasons[0].text == (
        "5 substantive items for 4 meetings of the Main Committee, which take 1 each; theme-1, "
        "theme-2, theme-3 and theme-4 are of higher priority: raise its priority, list it "
        "earlier or add a meeting to place it"
    )
    assert unplaced.reasons[1].text == (
        "Main Committee, Tuesday 20 June 2017 already has its 1 substantive item: theme-1"
    )


def test_among_equal_items_the_one_listed_first_wins_whatever_its_preference() -> None:
    """S1 ties: five equal themes for four meetings; the third asks for June (the Chairman's
    request). Placing it is never dearer than leaving it out: the last listed gives way, and
    its reason names the four listed before it."""
    items = [{"id": f"theme-{n}", "kind": "substantive"} for n in range(1, 6)]
    items[2]["prefer"] = "2017-06-01..2017-06-30"
    p = programme(*items, meetings=FOUR)
    plan = solve(p)
    assert check(p, plan) == []
    assert [u.item for u in plan.unplaced] == ["theme-5"]
    june = plan.meetings[0]
    assert [a.item for a in june.agenda] == ["theme-3"]
    assert plan.unplaced[0].reasons[0].text.startswith(
        "5 substantive items for 4 meetings of the Main Committee, which take 1 each; theme-1, "
        "theme-2, theme-3 and theme-4 are listed before it"
    )


def test_an_item_whose_preference_no_meeting_meets_is_placed_all_the_same() -> None:
    """S1 before S2: placing the item costs most of a year of days outside `prefer`; it is placed."""
    p = programme(
        {"id": "first", "kind": "substantive", "prefer": "2018-05-01..2018-05-15"},
        {"id": "second", "kind": "substantive"},
        meetings=["2017-06-20"],
    )
    plan = solve(p)
    assert [a.item for a in plan.meetings[0].agenda] == ["first"]
    assert [u.item for u in plan.unplaced] == ["second"]


def test_unplaced_for_want_of_minutes_names_the_meeting() -> None:
    p = programme(
        {"id": "big", "minutes": 100, "priority": "high"},
        {"id": "other", "minutes": 100},
        meetings=["2017-06-20"],
    )
    plan = solve(p)
    (unplaced,) = plan.unplaced
    assert unplaced.item == "other"
    assert unplaced.reasons == [
        Reason(
            text="Main Committee, Tuesday 20 June 2017 has 50 of its 150 minutes free, and this "
            "item takes 100",
            rule="R6",
            details="R6 capacity: main-2017-06-20 has 50 of 150 minutes free, 100 needed",
        )
    ]


def test_item_with_no_possible_meeting_lists_each_rule() -> None:
    p = programme({"id": "evidence", "witnesses": ["w"], "window": "2017-06-01..2017-06-30"})
    plan = solve(p)
    assert plan.unplaced[0].reasons == [
        Reason(
            text="Witness W cannot attend on Tuesday 20 June 2017 (Main Committee)",
            rule="R8",
            details="R8 people: Witness W unavailable on 2017-06-20",
        ),
        Reason(
            text="Main Committee, Tuesday 14 November 2017 is outside the dates it may go to "
            "(between 1 June 2017 and 30 June 2017): widen its window to use it",
            rule="R4",
            details="R4 window: main-2017-11-14 is outside 2017-06-01..2017-06-30",
        ),
    ]


def test_undated_event_holds_its_dependants() -> None:
    p = programme(
        {"id": "after-visit", "title": "Visit report", "after": {"event": "visit"}},
        {"id": "follow-up", "after": {"item": "after-visit"}, "priority": "must"},
        events=[{"id": "visit", "title": "Members' site visit", "date": None}],
    )
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL  # a must item waiting for an event is not infeasible
    assert plan.complete  # nor does it make the plan incomplete
    assert {u.item: [r.text for r in u.reasons] for u in plan.unplaced} == {
        "after-visit": ["Waits for the date of Members' site visit: give that event a date to "
                        "place it"],
        "follow-up": ["Comes after Visit report, which waits for a date itself"],
    }
    assert {u.item: details(u.reasons) for u in plan.unplaced} == {
        "after-visit": ["R9 order: waits for the date of 'Members' site visit' (visit)"],
        "follow-up": ["R9 order: comes after 'after-visit', which waits"],
    }


def test_must_item_with_no_meeting_is_left_out_and_says_why() -> None:
    p = programme({"id": "evidence", "witnesses": ["w"], "meeting": "main-2017-06-20", "priority": "must"})
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL and not plan.complete
    assert check(p, plan) == []
    (out,) = plan.unplaced
    assert out.conflict == ["R1:evidence"]
    assert [r.text for r in out.reasons] == [
        "It must be placed, but none of its body's meetings can take it",
        "Witness W cannot attend on Tuesday 20 June 2017 (Main Committee)",
        "It is fixed to Main Committee, Tuesday 20 June 2017",
    ]
    assert plan.explanation[0].startswith("This plan places everything it can, but not 1 must item")


def test_conflicting_must_items_name_a_minimal_set_of_rules() -> None:
    items = [{"id": f"theme-{n}", "kind": "substantive", "priority": "must"} for n in range(1, 4)]
    p = programme(*items, {"id": "spare", "priority": "must"})
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL and not plan.complete
    assert check(p, plan) == []
    # Three must themes, two meetings holding one each: the one listed last is left out; the
    # spare item plays no part.
    (out,) = plan.unplaced
    assert out.item == "theme-3"
    assert out.conflict == [
        "R1:theme-1", "R1:theme-2", "R1:theme-3",
        "R6:main-2017-06-20:substantive", "R6:main-2017-11-14:substantive",
    ]
    assert out.reasons[0].text == (
        "It must be placed, but these cannot all hold with it; change any one of them to make "
        "room: theme-1 must be placed at a meeting of the Main Committee; theme-2 must be "
        "placed at a meeting of the Main Committee; Main Committee, Tuesday 20 June 2017 takes at most 1 substantive item; Main "
        "Committee, Tuesday 14 November 2017 takes at most 1 substantive item"
    )


def test_rotation_that_cannot_be_met_keeps_what_it_can_and_says_why() -> None:
    p = programme({"id": "scrutiny", "kind": "scrutiny", "rotation": {"w": 2}})
    plan = solve(p)
    assert plan.status is SolveStatus.OPTIMAL and not plan.complete
    assert check(p, plan) == []
    (out,) = plan.unplaced
    assert (out.occurrence, out.missing) == ("w", 1)
    assert "R7:scrutiny@w" in out.conflict
    assert "Witness W cannot attend on Tuesday 20 June 2017 (Main Committee)" in [
        r.text for r in out.reasons
    ]
