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
CONFLICT = "These rules cannot all hold together (each is needed for the conflict):"


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
    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.explanation == [
        CONFLICT,
        "  R1 placement: 'one' (one) is a must at 1 meeting(s) of 'main'",
        "  R1 placement: 'two' (two) is a must at 1 meeting(s) of 'side'",
        "  R8 people: Officer A cannot attend both main-2017-06-20 and side-2017-06-20 "
        "(they overlap)",
    ]


def test_r2_names_the_standing_item_and_its_meeting() -> None:
    """A standing item presented by Witness W, who is away on 20 June: it must stand there and
    cannot."""
    p = programme({"id": "minutes", "kind": "standing", "presenters": ["w"]})
    plan = solve(p, OPTIONS)
    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.explanation == [CONFLICT, "  R2 standing: 'minutes' stands at main-2017-06-20"]


def test_r3_names_the_item_and_the_one_meeting_its_occurrences_share() -> None:
    """Two quarters of a must report (released 31 December and 31 March) and one meeting for
    both, on 20 June."""
    p = programme(
        {"id": "q", "priority": "must", "every": "quarter", "kind": "report"},
        meetings=["2018-06-20"],
        year="2017-10-01..2018-06-25",
    )
    plan = solve(p, OPTIONS)
    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.explanation == [
        CONFLICT,
        "  R1 placement: 'q' (q@2017/18 Q3) is a must at 1 meeting(s) of 'main'",
        "  R1 placement: 'q' (q@2017/18 Q4) is a must at 1 meeting(s) of 'main'",
        "  R3 recurring: occurrences of 'q' at distinct meetings (main-2018-06-20)",
    ]


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
