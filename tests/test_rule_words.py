"""Each rule's own words for a conflict (`describe`), and the capacity boundaries that a mutation
run found untested: a meeting exactly full, and a limit of two taking two.

An infeasible programme names the rule instances that cannot all hold, each in its rule's words.
Every expected line here was written by hand from the situation.
"""

from __future__ import annotations

from scheduler.check import check
from scheduler.plan.model import SolveStatus
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import solve
from tests.programmes import programme

OPTIONS = SolveOptions(time_limit=5)
CONFLICT = (
    "No plan keeps every rule: these cannot all hold together, and each is needed for the "
    "conflict; change any one of them:"
)


def test_r8_names_every_meeting_of_a_group_that_all_overlap() -> None:
    """Officer A presents a must item at each of three meetings under way at 19:45 on 20 June:
    one group of meetings, at most one of which A can attend (issue 23: R8 per group)."""
    p = programme(
        {"id": "one", "priority": "must", "presenters": ["a"], "meeting": "main-2017-06-20"},
        {"id": "two", "body": "side", "priority": "must", "presenters": ["a"],
         "meeting": "side-2017-06-20"},
        {"id": "three", "body": "third", "priority": "must", "presenters": ["a"],
         "meeting": "third-2017-06-20"},
        bodies=[
            {"id": "main", "name": "Main", "minutes": 150, "meetings": ["2017-06-20"]},
            {"id": "side", "name": "Side", "minutes": 60, "start": "19:30",
             "meetings": ["2017-06-20"]},
            {"id": "third", "name": "Third", "minutes": 60, "start": "19:45",
             "meetings": ["2017-06-20"]},
        ],
    )
    plan = solve(p, OPTIONS)
    assert plan.status is SolveStatus.OPTIMAL and len(plan.unplaced) == 2
    group = "R8:a@main-2017-06-20+side-2017-06-20+third-2017-06-20"
    assert all(group in u.conflict for u in plan.unplaced)
    assert (
        "Officer A cannot be at more than one of Main, Tuesday 20 June 2017, Side, Tuesday 20 "
        "June 2017 and Third, Tuesday 20 June 2017: their times overlap"
    ) in plan.unplaced[0].reasons[0].text


def test_r8_names_the_person_and_the_two_overlapping_meetings() -> None:
    """Officer A presents a must item at each of two meetings that overlap (19:00-21:30 and
    19:30-20:30 on 20 June)."""
    p = programme(
        {"id": "one", "priority": "must", "presenters": ["a"], "meeting": "main-2017-06-20"},
        {"id": "two", "body": "side", "priority": "must", "presenters": ["a"],
         "meeting": "side-2017-06-20"},
        bodies=[
            {"id": "main", "name": "Main", "minutes": 150, "meetings": ["2017-06-20"]},
            {"id": "side", "name": "Side", "minutes": 60, "start": "19:30",
             "meetings": ["2017-06-20"]},
        ],
    )
    plan = solve(p, OPTIONS)
    assert plan.status is SolveStatus.OPTIMAL and not plan.complete
    [two] = plan.unplaced  # the one listed later gives way
    assert two.item == "two"
    assert two.conflict == ["R1:one", "R1:two", "R8:a@main-2017-06-20+side-2017-06-20"]
    assert two.reasons[0].text == (
        "It must be placed, but these cannot all hold with it; change any one of them to make "
        "room: one must be placed at a meeting of the Main; Officer A cannot be at both Main, Tuesday 20 June "
        "2017 and Side, Tuesday 20 June 2017: their times overlap"
    )
    assert two.reasons[0].details == (
        "R1 placement: conflict R1:one, R1:two, R8:a@main-2017-06-20+side-2017-06-20"
    )


def test_r2_names_the_standing_item_and_its_meeting() -> None:
    """A standing item presented by Witness W, who is away on 20 June: it must stand there and
    cannot."""
    p = programme({"id": "minutes", "kind": "standing", "presenters": ["w"]})
    plan = solve(p, OPTIONS)
    assert plan.status is SolveStatus.INFEASIBLE  # a standing item is no must: no plan at all
    assert plan.conflict == ["R2:minutes@main-2017-06-20"]
    assert plan.explanation == [
        CONFLICT,
        "  minutes is a standing item and goes to Main Committee, Tuesday 20 June 2017",
        "  (and: Witness W cannot attend on Tuesday 20 June 2017 (Main Committee))",
    ]


def test_r3_names_the_item_and_the_one_meeting_its_occurrences_share() -> None:
    """Two quarters of a must report (released 31 December and 31 March) and one meeting for
    both, on 20 June."""
    p = programme(
        {"id": "q", "priority": "must", "every": "quarter", "kind": "report"},
        meetings=["2018-06-20"],
        year="2017-10-01..2018-06-25",
    )
    plan = solve(p, OPTIONS)
    assert plan.status is SolveStatus.OPTIMAL and not plan.complete
    [out] = plan.unplaced
    assert out.conflict == ["R1:q@2017/18 Q3", "R1:q@2017/18 Q4", "R3:q@main-2018-06-20"]
    assert out.reasons[0].text.endswith(
        "q takes one period at a time, so Main Committee, Wednesday 20 June 2018 takes at most "
        "one of its periods"
    )


def test_a_meeting_exactly_full_takes_both_items() -> None:
    """90 + 60 minutes of items at a meeting of 150 minutes: it fits (R6 is `<=`)."""
    p = programme(
        {"id": "x", "kind": "substantive", "minutes": 90},
        {"id": "y", "minutes": 60},
        meetings=["2017-06-20"],
    )
    plan = solve(p, OPTIONS)
    [meeting] = plan.meetings
    assert sorted(a.item for a in meeting.agenda) == ["x", "y"]
    assert (meeting.minutes_used, plan.unplaced) == (150, [])
    assert check(p, plan) == []


def test_a_limit_of_two_takes_two() -> None:
    """Two substantive items at the one meeting of a body whose limit is two."""
    p = programme(
        {"id": "x", "kind": "substantive", "minutes": 60},
        {"id": "y", "kind": "substantive", "minutes": 60},
        meetings=["2017-06-20"],
        bodies=[{"id": "main", "name": "Main", "minutes": 150,
                 "limits": {"substantive": 2}, "meetings": ["2017-06-20"]}],
    )
    plan = solve(p, OPTIONS)
    [meeting] = plan.meetings
    assert sorted(a.item for a in meeting.agenda) == ["x", "y"]
    assert plan.unplaced == []
    assert check(p, plan) == []
