"""Re-planning the Bromley year (issue 5's scenarios) and the pieces it is made of.

Each scenario edits the real programme the way the clerk would, re-plans against the plan
published before the edit, and reads the answer: the changes, whom they tell, how much moved,
and that the new plan keeps every rule (`scheduler.check`, R10 included when frozen).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml

from scheduler.check import check
from scheduler.errors import PlanFileError
from scheduler.plan.changes import diff, unit_meetings
from scheduler.plan.model import Change, Plan, SolveStatus
from scheduler.programme.model import Programme
from scheduler.solver.replan import churn, replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY
from tests.programmes import programme
from tests.strategies import load

Data = dict[str, Any]
OCTOBER = "select-2017-10-17"
JUNE = "select-2017-06-27"


@pytest.fixture(scope="module")
def raw() -> Data:
    data: Data = yaml.safe_load(BROMLEY.read_text())
    return data


def meetings_of(data: Data, body: str) -> list[Any]:
    found: list[Any] = next(b for b in data["bodies"] if b["id"] == body)["meetings"]
    return found


def edited(raw: Data, *, cancel_october: bool = False, dce: int = 2) -> Data:
    data = copy.deepcopy(raw)
    if cancel_october:
        meetings_of(data, "select")[1] = {"date": "2017-10-17", "status": "cancelled"}
    next(i for i in data["items"] if i["id"] == "director-scrutiny")["rotation"]["dce"] = dce
    return data


@pytest.fixture(scope="module")
def published(raw: Data) -> Plan:
    """The plan published for the year as filed (28 June)."""
    return solve(load(raw))


def item_changes(plan: Plan) -> list[Change]:
    return [c for c in plan.changes or [] if c.item]


def meeting_people(p: Programme, plan: Plan, meeting: str) -> set[str]:
    held = next(m for m in plan.meetings if m.id == meeting)
    body = p.bodies_by_id[held.body]
    officers = {p for p in (body.chair, body.vice_chair, body.clerk) if p is not None}
    return {*body.members, *officers, *(x for e in held.agenda for x in e.people)}


def test_seed_move_27_to_28_june_moves_no_item(raw: Data) -> None:
    before = copy.deepcopy(raw)
    meetings_of(before, "select")[0] = "2017-06-27"  # as first published
    old = solve(load(before))
    p = load(raw)  # minute 41: {date: 2017-06-28, moved_from: 2017-06-27}
    new = replan(p, old)
    assert new.status is SolveStatus.OPTIMAL
    assert check(p, new) == []
    assert [c.model_dump(by_alias=True, exclude={"tell"}) for c in new.changes or []] == [
        {"item": None, "occurrence": None, "meeting": JUNE, "change": "date",
         "from": "2017-06-27", "to": "2017-06-28", "reasons": [],
         "text": "Education, Children & Families Select Committee, Tuesday 27 June 2017 moves to "
                 "Wednesday 28 June 2017"}
    ]
    assert new.disruption is not None
    assert (new.disruption.moved, new.disruption.weight, new.disruption.proven) == (0, 0, True)
    assert new.placements() == old.placements()
    told = {person for c in new.changes or [] for person in c.tell}
    assert told == meeting_people(p, new, JUNE)
    assert "gamble" in told and "mcdonald" not in told  # June's witness; October's is not told
    june = next(m for m in new.meetings if m.id == JUNE)
    assert june.deadlines is not None and june.deadlines.agenda_publication == dt.date(2017, 6, 20)


def test_cancelling_17_october_as_filed_drops_the_dce_second_session_and_says_why(
    raw: Data, published: Plan
) -> None:
    """The reference case (DESIGN R7): four sessions for three meetings. The re-plan as of 1
    October is a checked plan without the Deputy Chief Executive's February session (every
    officer keeps one before anyone keeps two), October's items moved with the least
    disruption, proven, and one sentence telling why."""
    p = load(edited(raw, cancel_october=True))
    as_of = dt.date(2017, 10, 1)
    new = replan(p, published, as_of=as_of)
    assert new.status is SolveStatus.OPTIMAL and not new.complete
    assert check(p, new, previous=published, as_of=as_of) == []
    officers = [e.occurrence for m in new.meetings for e in m.agenda if e.item == "director-scrutiny"]
    assert sorted(o or "" for o in officers) == ["dce", "dcsc", "doe"]  # June's DCE kept, frozen
    [dce] = [u for u in new.unplaced if u.item == "director-scrutiny"]
    assert (dce.occurrence, dce.missing) == ("dce", 1)
    assert [r.text for r in dce.reasons] == [
        "The Education, Children & Families Select Committee has 3 meetings left for 4 sessions "
        "of Scrutiny of a Chief Officer (Ade Adetosoye OBE 2, Janet Bailey 1 and Jane Bailey 1), "
        "1 a meeting; every officer keeps one session before anyone keeps a second: add a "
        "meeting or reduce an officer's sessions to hold them all"
    ]
    assert "R7:director-scrutiny@dce" in dce.conflict
    assert new.explanation[0].startswith("This plan places everything it can, but not 1 scrutiny")
    dropped = [c for c in item_changes(new) if c.item == "director-scrutiny" and not c.to]
    assert [(c.occurrence, c.from_) for c in dropped] == [("dce", "select-2018-02-27")]
    october = {(e.item, e.occurrence) for e in _agenda(published, OCTOBER) if e.kind != "standing"}
    assert {(c.item, c.occurrence) for c in item_changes(new) if c.from_ == OCTOBER} == october
    assert new.disruption is not None and new.disruption.proven
    assert new.disruption.moved == len(october) + 1  # October's items and the DCE's session
    assert new.disruption.bound == new.disruption.weight


def test_cancelling_17_october_moves_only_its_items(raw: Data, published: Plan) -> None:
    p = load(edited(raw, cancel_october=True, dce=1))  # the clerk drops the DCE's second session
    new = replan(p, published)
    assert new.status is SolveStatus.OPTIMAL
    assert check(p, new) == []  # must items placed, rotation exactly once each (R7)
    october = {(e.item, e.occurrence) for e in _agenda(published, OCTOBER) if e.kind != "standing"}
    moved = {(c.item, c.occurrence) for c in item_changes(new) if c.from_ == OCTOBER}
    assert moved == october
    others = [c for c in item_changes(new) if c.from_ != OCTOBER]
    # With 17 October cancelled, the sub-committee's July and September minutes are referred on
    # 23 January (their agenda goes out after both): the references are placed there.
    assert [(c.item, c.occurrence, c.change) for c in others] == [
        ("director-scrutiny", "dce", "unplaced"),
        ("bpm-references", None, "placed"),
    ]
    assert [r.details for r in others[0].reasons] == [
        "director-scrutiny@dce now goes to 1 meeting(s), not 2"
    ]
    assert all(c.reasons[0].details == f"{OCTOBER} is cancelled"
               for c in item_changes(new) if c.from_ == OCTOBER)
    officers = {e.occurrence for m in new.meetings for e in m.agenda if e.item == "director-scrutiny"}
    assert officers == {"dce", "doe", "dcsc"}
    status = [c for c in new.changes or [] if c.meeting == OCTOBER]
    assert [(c.change, c.from_, c.to) for c in status] == [("status", "scheduled", "cancelled")]
    assert new.disruption is not None and new.disruption.proven
    assert new.disruption.moved == len(october) + 1


def test_extra_march_meeting_moves_nothing(raw: Data, published: Plan) -> None:
    """A meeting added on 20 March moves nothing; it takes its standing items and Early Years,
    which the SEND Strategy kept out of 27 February."""
    data = copy.deepcopy(raw)
    meetings_of(data, "select").append("2018-03-20")
    p = load(data)
    new = replan(p, published)
    assert check(p, new) == []
    assert [(c.meeting or c.item, c.change, c.to) for c in new.changes or []] == [
        ("select-2018-03-20", "added", "2018-03-20"),
        ("early-years", "placed", "select-2018-03-20"),
    ]
    march = [x for x in new.placements() if x[2] == "select-2018-03-20"]
    assert [x for x in new.placements() if x not in march] == published.placements()
    assert {p.items_by_id[item].kind for item, _, _ in march} == {"standing", "substantive"}
    assert [u.item for u in new.unplaced] == [
        u.item for u in published.unplaced if u.item != "early-years"
    ]


def test_extra_meeting_takes_an_item_that_did_not_fit() -> None:
    themes = [{"id": f"theme-{n}", "kind": "substantive"} for n in (1, 2, 3)]
    old_p = programme(*themes)  # two meetings, one substantive each: one theme left out
    old = solve(old_p)
    assert [u.item for u in old.unplaced] == ["theme-3"]
    p = programme(*themes, meetings=["2017-06-20", "2017-11-14", "2018-02-13"])
    new = replan(p, old)
    assert check(p, new) == []
    assert [(c.item, c.change, c.to) for c in item_changes(new)] == [
        ("theme-3", "placed", "main-2018-02-13")
    ]
    assert new.disruption is not None and new.disruption.moved == 0


def test_witness_away_on_28_june_drops_only_her_session(raw: Data, published: Plan) -> None:
    data = copy.deepcopy(raw)
    next(x for x in data["people"] if x["id"] == "gamble")["unavailable"] = ["2017-06-28"]
    p = load(data)
    new = replan(p, published)
    assert check(p, new) == []
    [change] = new.changes or []
    assert (change.item, change.change, change.from_, change.to) == (
        "landscape-witnesses", "unplaced", JUNE, None
    )
    assert change.reasons[0].details == "R8 people: Jim Gamble QPM unavailable on 2017-06-28"
    assert change.reasons[0].text == (
        "Jim Gamble QPM cannot attend on Wednesday 28 June 2017 (Education, Children & Families "
        "Select Committee)"
    )
    assert change.tell == ["cattermolle", "dce", "dcsc", "gamble"]
    assert new.disruption is not None
    # One occurrence with four witnesses: 1 + 4; proven the least (placing as much as before).
    assert (new.disruption.moved, new.disruption.weight, new.disruption.proven) == (1, 5, True)
    fresh = solve(p)
    assert churn(p, published, fresh)[1] >= new.disruption.weight


def test_as_of_1_october_freezes_june_july_september_byte_for_byte(
    raw: Data, published: Plan
) -> None:
    p = load(edited(raw, cancel_october=True, dce=1))
    as_of = dt.date(2017, 10, 1)
    new = replan(p, published, as_of=as_of)
    assert check(p, new, previous=published, as_of=as_of) == []
    past = [m for m in published.meetings if m.date is not None and m.date < as_of]
    assert [m.id for m in past] == [
        JUNE, "schools-forum-2017-06-29", "sacre-2017-07-12", "bpm-2017-07-18",
        "schools-forum-2017-09-21", "bpm-2017-09-26",
    ]
    after = {m.id: m for m in new.meetings}
    for meeting in past:
        assert after[meeting.id].model_dump_json() == meeting.model_dump_json()
    # Without the date, the cheapest repair does change June: the freeze is what keeps it.
    free = replan(p, published)
    assert _agenda(free, JUNE) != _agenda(published, JUNE)
    assert new.disruption is not None and free.disruption is not None
    assert new.disruption.weight >= free.disruption.weight


def test_no_new_item_where_reports_are_already_due(raw: Data, published: Plan) -> None:
    data = copy.deepcopy(raw)
    data["items"].append({"id": "late-request", "title": "Late request", "body": "select",
                          "kind": "short", "priority": "high",
                          "window": "2017-10-01..2017-12-31"})
    p = load(data)
    as_of = dt.date(2017, 10, 5)  # 17 October's reports were due on 3 October
    new = replan(p, published, as_of=as_of)
    assert check(p, new, previous=published, as_of=as_of) == []
    [late] = [u for u in new.unplaced if u.item == "late-request"]
    assert f"R10 frozen: reports for {OCTOBER} were due 2017-10-03, before 2017-10-05" in [
        r.details for r in late.reasons
    ]  # the other meetings are outside its window (R4) or frozen
    placed = replan(p, published)  # a week earlier it would go to 17 October
    assert ("late-request", None, OCTOBER) in placed.placements()


def test_frozen_meeting_that_cannot_keep_its_agenda_is_explained(
    raw: Data, published: Plan
) -> None:
    data = copy.deepcopy(raw)
    next(x for x in data["people"] if x["id"] == "gamble")["unavailable"] = ["2017-06-28"]
    new = replan(load(data), published, as_of=dt.date(2017, 10, 1))
    assert new.status is SolveStatus.INFEASIBLE  # June has been held: its agenda is history
    assert new.conflict == [f"R10:{JUNE}"]
    # R10 named, and why June cannot keep its agenda: its own witness, nothing else's reasons
    assert new.explanation[1:] == [
        "  Education, Children & Families Select Committee, Wednesday 28 June 2017 is before "
        "Sunday 1 October 2017, the date of this re-plan: its agenda stays as published",
        "  (and: Jim Gamble QPM cannot attend on Wednesday 28 June 2017 (Education, Children & "
        "Families Select Committee))",
    ]


def test_a_must_item_only_frozen_meetings_could_take_is_left_out_naming_the_freeze(
    raw: Data, published: Plan
) -> None:
    """R10 as the cause: a must item asked for in September, added after 1 October."""
    data = copy.deepcopy(raw)
    data["items"].append({"id": "call-in", "title": "Call-in: school places", "body": "select",
                          "kind": "short", "priority": "must",
                          "window": "2017-06-01..2017-09-30"})
    p = load(data)
    as_of = dt.date(2017, 10, 1)
    new = replan(p, published, as_of=as_of)
    assert new.status is SolveStatus.OPTIMAL and not new.complete
    assert check(p, new, previous=published, as_of=as_of) == []
    [late] = [u for u in new.unplaced if u.item == "call-in"]
    assert late.conflict == ["R1:call-in"]
    assert "R10" in {r.rule for r in late.reasons}
    assert (
        "Education, Children & Families Select Committee, Wednesday 28 June 2017 is before "
        "Sunday 1 October 2017, the date of this re-plan: its agenda stays as published"
    ) in [r.text for r in late.reasons]


def test_plan_of_another_programme_is_refused(raw: Data, published: Plan) -> None:
    other = published.model_copy(update={"programme": "another"})
    with pytest.raises(PlanFileError) as caught:
        replan(load(raw), other, source="old.json")
    assert str(caught.value) == (
        "old.json: programme: the plan is for 'another', not 'bromley-ecf-2017-18'"
    )


def test_changes_of_a_hand_made_diff_pair_occurrences_in_date_order() -> None:
    p = programme({"id": "twice", "times": 2}, meetings=["2017-06-20", "2017-09-12",
                                                          "2017-11-14", "2018-02-13"])
    old = solve(p)
    assert unit_meetings(old) == {"twice": ["main-2017-06-20", "main-2018-02-13"]}
    moved = old.model_copy(deep=True)
    june, september, november, february = moved.meetings
    september.agenda, june.agenda = june.agenda, []
    november.agenda, february.agenda = february.agenda, []
    changes = diff(p, old, moved)
    assert [(c.change, c.from_, c.to) for c in changes] == [
        ("moved", "main-2017-06-20", "main-2017-09-12"),
        ("moved", "main-2018-02-13", "main-2017-11-14"),
    ]
    assert churn(p, old, moved) == (2, 2)


def _agenda(plan: Plan, meeting: str) -> list[Any]:
    return next(m for m in plan.meetings if m.id == meeting).agenda


def test_same_edit_gives_the_same_replan_bytes(raw: Data, published: Plan) -> None:
    p = load(edited(raw, cancel_october=True, dce=1))
    first, second = (
        replan(p, published, as_of=dt.date(2017, 10, 1)).model_copy(update={"solve_seconds": 0})
        for _ in range(2)
    )
    assert first.to_json() == second.to_json()
