"""The Bromley 2017/18 plan as a Bromley clerk would check it (seed 000, Appendix 1)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from scheduler.check import check
from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.load import load_programme
from scheduler.programme.model import Programme
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY


@cache
def bromley() -> tuple[Programme, Plan]:
    p = load_programme(BROMLEY)
    return p, solve(p)


def where(plan: Plan, item: str) -> list[tuple[str | None, str]]:
    return [(occurrence, meeting) for i, occurrence, meeting in plan.placements() if i == item]


def select_meetings(plan: Plan) -> list[str]:
    return [m.id for m in plan.meetings if m.body == "select"]


def test_plan_is_optimal_and_clean() -> None:
    p, plan = bromley()
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.objective == plan.bound
    assert check(p, plan) == []


def test_deputy_chief_executive_at_first_and_last_select_meeting() -> None:
    _, plan = bromley()
    meetings = select_meetings(plan)
    rotation = where(plan, "director-scrutiny")
    assert sorted(m for o, m in rotation if o == "dce") == [meetings[0], meetings[-1]]
    assert [o for o, _ in rotation].count("doe") == 1
    assert [o for o, _ in rotation].count("dcsc") == 1
    assert sorted(m for _, m in rotation) == sorted(meetings)  # one officer at every meeting


def test_one_substantive_item_per_select_meeting() -> None:
    _, plan = bromley()
    for meeting in plan.meetings:
        if meeting.body == "select":
            assert [a.kind for a in meeting.agenda].count("substantive") == 1, meeting.id


def test_witness_session_of_28_june_on_28_june() -> None:
    _, plan = bromley()
    assert where(plan, "childrens-services-landscape") == [(None, "select-2017-06-27")]
    assert where(plan, "landscape-witnesses") == [(None, "select-2017-06-27")]
    june = plan.meetings[0]
    assert (june.id, june.date) == ("select-2017-06-27", dt.date(2017, 6, 28))
    kinds = [a.item for a in june.agenda]
    assert kinds.index("landscape-witnesses") == kinds.index("childrens-services-landscape") + 1


def test_adult_education_in_june_and_yos_in_october() -> None:
    _, plan = bromley()
    assert where(plan, "adult-education") == [(None, "select-2017-06-27")]
    assert where(plan, "yos") == [(None, "select-2017-10-17")]


def test_every_delegated_item_at_a_sub_committee_meeting() -> None:
    p, plan = bromley()
    delegated = [i.id for i in p.items if i.delegated_from == "select"]
    assert len(delegated) >= 12
    for item in delegated:
        placed = where(plan, item)
        assert placed, item
        assert all(meeting.startswith("bpm-") for _, meeting in placed), item


def test_items_taken_outside_the_programme_are_nowhere() -> None:
    _, plan = bromley()
    assert where(plan, "licensing-review") == []
    assert where(plan, "pupil-place-planning") == []
    assert "licensing-review" not in {u.item for u in plan.unplaced}


def test_each_quarterly_item_at_first_meeting_after_release() -> None:
    _, plan = bromley()
    expected = [
        ("2016/17 Q4", "bpm-2017-07-18"),  # outturn: released 30 May 2017
        ("2017/18 Q1", "bpm-2017-09-26"),  # released 29 August 2017
        ("2017/18 Q2", "bpm-2018-01-17"),  # released 29 November 2017
        ("2017/18 Q3", "bpm-2018-03-28"),  # released 1 March 2018
    ]
    assert where(plan, "capital-programme") == expected
    assert where(plan, "budget-monitoring") == expected


def test_send_update_unplaced_with_its_reason() -> None:
    _, plan = bromley()
    unplaced = {u.item: u.reasons for u in plan.unplaced}
    assert [r.details for r in unplaced["send-inspection-update"]] == [
        "R9 order: waits for the date of 'Local area SEND inspection (Ofsted and CQC)' "
        "(send-inspection)"
    ]
    assert [r.text for r in unplaced["send-inspection-update"]] == [
        "Waits for the date of Local area SEND inspection (Ofsted and CQC): give that event a "
        "date to place it"
    ]


def test_send_strategy_is_provisional_until_the_strategy_is_published() -> None:
    """Published "in early 2018" (l.2085): from 1 January, nearest its latest day (31 March)."""
    _, plan = bromley()
    assert where(plan, "send-strategy") == [(None, "select-2018-02-27")]
    february = next(m for m in plan.meetings if m.id == "select-2018-02-27")
    assert [e.provisional for e in february.agenda if e.item == "send-strategy"] == [True]


def test_sub_committee_references_follow_its_meetings() -> None:
    _, plan = bromley()
    # The sub-committee first meets on 18 July: nothing to refer on 28 June. Its 17 January
    # meeting comes after the agenda of 23 January went out (15 January), and none falls
    # between 23 January and 27 February: its references go to 17 October only (Appendix 1).
    assert [m for _, m in where(plan, "bpm-references")] == ["select-2017-10-17"]


def test_deadlines_in_the_plan() -> None:
    _, plan = bromley()
    june = plan.meetings[0]
    assert june.deadlines is not None
    assert (june.deadlines.agenda_publication, june.deadlines.public_questions) == (
        dt.date(2017, 6, 20),
        dt.datetime(2017, 6, 22, 17, 0),
    )
    assert june.date is not None and june.date.weekday() == 2  # a Wednesday


def test_same_input_same_plan_bytes() -> None:
    p, first = bromley()
    second = solve(p)
    assert first.model_copy(update={"solve_seconds": 0}).to_json() == second.model_copy(
        update={"solve_seconds": 0}
    ).to_json()
