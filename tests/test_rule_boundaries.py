"""Where each dated rule draws its line, one day (or one minute) either side, on both sides.

Every boundary is tested twice: the solver, given a situation where the item wants the meeting
on the line, places it there exactly when the rule allows; and the checker, given a hand-made
plan that uses that meeting, finds it clean or reports exactly the breach.

- R2 `follows`: a meeting of B counts from the day of the body's previous meeting, up to the day
  before this meeting's agenda is published (a meeting of B on that day is too late).
- R3: an occurrence may go to a meeting on its release day, not the day before.
- R4: a window includes its first and last day; a decision needs `lead_days` exactly.
- R8: meetings that touch (one ends as the other starts) do not overlap; one minute more does.
- R9: `after` an item's last meeting or an event by exactly `gap_days`, not one day less.
- R10: a meeting on the as-of day is not frozen, the day before is; reports due on the as-of day
  still take new items, due the day before they do not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from scheduler.check import check
from scheduler.dates.deadlines import deadlines_of
from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.programmes import programme
from tests.situations import (
    FAST_SECONDS,
    JUNE_20,
    NOV_14,
    Agendas,
    Found,
    breach,
    found,
    main_body,
    other_body,
    placements,
    plan_of,
    solved,
)

OPTIONS = SolveOptions(time_limit=FAST_SECONDS)


# One item on the line: R3, R4, R9


@dataclass(frozen=True)
class Edge:
    """An item that wants the meeting on `day`, which the rule allows or not.

    The solver puts it there when allowed, else at `fallback`; a hand-made plan putting it there
    (with `context`, the other items' placements) is clean, or has exactly `breach`.
    """

    programme: Programme
    unit: str
    day: str
    fallback: str
    breach: Found | None
    context: Agendas = field(default_factory=dict)

    @property
    def meeting(self) -> str:
        return f"main-{self.day}"


def _wants(day: str, **keys: Any) -> dict[str, Any]:
    return {"id": "item", "prefer": f"{day}..{day}", **keys}


def _meetings(*days: str) -> list[str]:
    return sorted(set(days))


def _release(day: str, allowed: bool) -> Edge:
    """Quarterly figures released 10 days after the quarter (10 July), in a year that ends
    before the second quarter's release."""
    unit = "item@2017/18 Q1"
    p = programme(
        _wants(day, kind="report", every="quarter", release_days=10, priority="normal"),
        meetings=_meetings(day, "2017-09-20"), year="2017-05-10..2017-09-29",
    )
    found_ = None if allowed else breach(
        "R3", unit, f"{unit} is at main-{day} ({day}), before its release on 2017-07-10"
    )
    return Edge(p, unit, day, "main-2017-09-20", found_)


def _window(day: str, allowed: bool) -> Edge:
    window = "2017-07-10..2017-07-20"
    p = programme(_wants(day, window=window), meetings=_meetings(day, "2017-07-15"))
    found_ = None if allowed else breach(
        "R4", "item", f"item is at main-{day} ({day}), outside its window {window}"
    )
    return Edge(p, "item", day, "main-2017-07-15", found_)


def _decision(day: str, lead: int, allowed: bool) -> Edge:
    """A decision on 20 July taken `lead` days after the meeting at the latest."""
    p = programme(
        _wants(day, decision={"event": "exec", "lead_days": lead}),
        meetings=_meetings(day, "2017-07-01"),
        events=[{"id": "exec", "title": "Executive", "date": "2017-07-20"}],
    )
    latest = dt.date(2017, 7, 20) - dt.timedelta(days=lead)
    found_ = None if allowed else breach(
        "R4", "item", f"item is at main-{day} ({day}), after {latest}, {lead} days before exec "
                      "on 2017-07-20"
    )
    return Edge(p, "item", day, "main-2017-07-01", found_)


def _after_item(day: str, gap: int, allowed: bool) -> Edge:
    """After a theme pinned to 20 June by `gap` days."""
    p = programme(
        {"id": "theme", "meeting": JUNE_20},
        _wants(day, after={"item": "theme", "gap_days": gap}),
        meetings=_meetings("2017-06-20", day, "2017-11-14"),
    )
    earliest = dt.date(2017, 6, 20) + dt.timedelta(days=gap)
    found_ = None if allowed else breach(
        "R9", "item", f"item is at main-{day} ({day}), before {earliest}, {gap} days after the "
                      "last meeting of theme on 2017-06-20"
    )
    fallback = JUNE_20 if gap == 0 else NOV_14  # with no gap, the theme's own meeting will do
    return Edge(p, "item", day, fallback, found_, {JUNE_20: ["theme"]})


def _after_event(day: str, gap: int, allowed: bool) -> Edge:
    """After an inspection on 20 June by `gap` days."""
    p = programme(
        _wants(day, after={"event": "inspection", "gap_days": gap}),
        meetings=_meetings(day, "2017-11-14"),
        events=[{"id": "inspection", "title": "Inspection", "date": "2017-06-20"}],
    )
    earliest = dt.date(2017, 6, 20) + dt.timedelta(days=gap)
    found_ = None if allowed else breach(
        "R9", "item", f"item is at main-{day} ({day}), before {earliest}, {gap} days after "
                      "inspection on 2017-06-20"
    )
    return Edge(p, "item", day, NOV_14, found_)


EDGES: dict[str, Edge] = {
    "R3:release-day": _release("2017-07-10", allowed=True),
    "R3:day-before-release": _release("2017-07-09", allowed=False),
    "R4:day-before-window": _window("2017-07-09", allowed=False),
    "R4:window-first-day": _window("2017-07-10", allowed=True),
    "R4:window-last-day": _window("2017-07-20", allowed=True),
    "R4:day-after-window": _window("2017-07-21", allowed=False),
    "R4:lead-days-exactly": _decision("2017-07-13", 7, allowed=True),
    "R4:lead-days-less-one": _decision("2017-07-14", 7, allowed=False),
    "R4:decision-day-lead-0": _decision("2017-07-20", 0, allowed=True),
    "R4:day-after-decision-lead-0": _decision("2017-07-21", 0, allowed=False),
    "R9:item-gap-exactly": _after_item("2017-07-18", 28, allowed=True),
    "R9:item-gap-less-one": _after_item("2017-07-17", 28, allowed=False),
    "R9:item-same-meeting-gap-0": _after_item("2017-06-20", 0, allowed=True),
    "R9:item-day-before-gap-0": _after_item("2017-06-19", 0, allowed=False),
    "R9:event-gap-exactly": _after_event("2017-07-18", 28, allowed=True),
    "R9:event-gap-less-one": _after_event("2017-07-17", 28, allowed=False),
    "R9:event-day-gap-0": _after_event("2017-06-20", 0, allowed=True),
    "R9:event-day-before-gap-0": _after_event("2017-06-19", 0, allowed=False),
}


@pytest.mark.parametrize("key", list(EDGES))
def test_solver_places_on_the_line_only_when_allowed(key: str) -> None:
    edge = EDGES[key]
    plan = solved(edge.programme)
    where = edge.meeting if edge.breach is None else edge.fallback
    assert placements(plan)[edge.unit] == [where]


@pytest.mark.parametrize("key", list(EDGES))
def test_checker_draws_the_same_line(key: str) -> None:
    edge = EDGES[key]
    agendas = {**edge.context}
    agendas[edge.meeting] = [*agendas.get(edge.meeting, []), edge.unit]
    plan = plan_of(edge.programme, agendas)
    expected = [] if edge.breach is None else [edge.breach]
    assert found(check(edge.programme, plan)) == expected


# R2 follows: which meetings a standing item stands at


def _refs(panel_day: str) -> Programme:
    """Referrals from a panel that meets once, on `panel_day`, at a committee that meets on
    20 June and 14 November."""
    return programme(
        {"id": "refs", "kind": "standing", "follows": "panel"},
        bodies=[main_body(), other_body("panel", panel_day)],
    )


#: The panel's day -> the committee meetings its minutes go to. The agenda of 20 June goes out
#: on Monday 12 June, of 14 November on Monday 6 November (five clear working days): B's
#: meeting counts only before that (its minutes are referred in the agenda).
FOLLOWS = {
    "2017-05-10": [JUNE_20],  # the first day of the year, before the first meeting
    "2017-06-09": [JUNE_20],  # the Friday before the agenda of 20 June goes out
    "2017-06-12": [],  # the day it goes out: too late for June, and before the June meeting
    "2017-06-19": [],  # the day before the meeting (Bromley's 17 and 23 January 2018)
    "2017-06-20": [NOV_14],  # the day of the previous meeting: since it, not before this one
    "2017-11-03": [NOV_14],  # the Friday before the agenda of 14 November goes out
    "2017-11-06": [],  # the day it goes out
    "2017-11-14": [],  # the same day: not before this meeting
}


@pytest.mark.parametrize("panel_day", list(FOLLOWS))
def test_solver_follows_a_meeting_of_b_since_the_previous_meeting(panel_day: str) -> None:
    plan = solved(_refs(panel_day))
    assert placements(plan).get("refs", []) == FOLLOWS[panel_day]


@pytest.mark.parametrize("panel_day", list(FOLLOWS))
@pytest.mark.parametrize("meeting", [JUNE_20, NOV_14])
def test_checker_follows_a_meeting_of_b_since_the_previous_meeting(
    panel_day: str, meeting: str
) -> None:
    """Right where it stands is clean; moving the line by one meeting is exactly one breach."""
    p, stands = _refs(panel_day), FOLLOWS[panel_day]
    assert found(check(p, plan_of(p, {m: ["refs"] for m in stands}))) == []
    flipped = set(stands) ^ {meeting}
    plan = plan_of(p, {m: ["refs"] for m in flipped})
    expected = (
        f"refs is missing from {meeting}" if meeting in stands
        else f"refs is at {meeting}, where it does not belong: no meeting of panel since the "
             "previous meeting of main and before its agenda is published"
    )
    assert found(check(p, plan)) == [breach("R2", "refs", expected)]


def test_solved_plan_is_clean_when_b_met_before_the_year() -> None:
    """Found by the boundary tests: for the body's first meeting the solver counts any earlier
    meeting of B, the checker only those from the first day of the year. The panel meeting the
    day before the year begins (9 May), the solver puts the referrals on 20 June's agenda and
    the checker reports them there as not belonging."""
    p = _refs("2017-05-09")
    plan = solve(p, OPTIONS)
    assert found(check(p, plan)) == []


# R8: touching meetings versus overlapping by one minute


#: The panel's start on 12 September -> whether it overlaps the committee (19:00-21:30).
PANEL_STARTS = {
    "21:30": False,  # starts as the committee ends
    "21:29": True,
    "16:30": False,  # ends (16:30 + 150 minutes) as the committee starts
    "16:31": True,
}
SEPT_12 = "2017-09-12"


def _two_evenings(start: str) -> Programme:
    """Officer A presents to the committee and to the panel; both want 12 September."""
    wants = {"presenters": ["a"], "prefer": f"{SEPT_12}..{SEPT_12}"}
    return programme(
        {"id": "budget", **wants},
        {"id": "housing", "body": "panel", **wants},
        bodies=[main_body(SEPT_12, "2017-11-14"),
                other_body("panel", SEPT_12, "2017-11-21", start=start)],
    )


@pytest.mark.parametrize("start", list(PANEL_STARTS))
def test_solver_keeps_a_person_out_of_overlapping_meetings_only(start: str) -> None:
    plan = solved(_two_evenings(start))
    on_the_day = [m for m in ("main-2017-09-12", "panel-2017-09-12")
                  if m in placements(plan)["budget"] + placements(plan)["housing"]]
    assert len(on_the_day) == (1 if PANEL_STARTS[start] else 2)


@pytest.mark.parametrize("start", list(PANEL_STARTS))
def test_checker_reports_overlap_by_one_minute_not_touching(start: str) -> None:
    p = _two_evenings(start)
    plan = plan_of(p, {"main-2017-09-12": ["budget"], "panel-2017-09-12": ["housing"]})
    end = (dt.datetime.combine(dt.date(2017, 9, 12), dt.time.fromisoformat(start))
           + dt.timedelta(minutes=150)).strftime("%H:%M")
    committee, panel = ("main-2017-09-12", "19:00-21:30"), ("panel-2017-09-12", f"{start}-{end}")
    first, second = (committee, panel) if start > "19:00" else (panel, committee)
    expected = [breach("R8", first[0], f"a is needed at {first[0]} ({first[1]}) and at "
                                       f"{second[0]} ({second[1]}) on {SEPT_12}")]
    assert found(check(p, plan)) == (expected if PANEL_STARTS[start] else [])


# R10: the as-of day


def _keep() -> tuple[Programme, Plan]:
    """A theme heard in June and due again in November; a more important theme wants
    November's only substantive seat. Dropping the first theme would make room."""
    p = programme(
        {"id": "theme", "kind": "substantive", "times": 2},
        {"id": "late", "kind": "substantive", "priority": "high",
         "window": "2017-11-01..2017-11-30"},
    )
    return p, plan_of(p, {JUNE_20: ["theme"], NOV_14: ["theme"]})


#: As of -> whether June's meeting (20 June) is frozen.
JUNE_FROZEN = {dt.date(2017, 6, 20): False, dt.date(2017, 6, 21): True}


@pytest.mark.parametrize("as_of", list(JUNE_FROZEN), ids=str)
def test_replan_freezes_meetings_before_the_as_of_day_only(as_of: dt.date) -> None:
    p, previous = _keep()
    plan = replan(p, previous, as_of=as_of, options=OPTIONS)
    assert plan.status is SolveStatus.OPTIMAL, plan.explanation
    assert found(check(p, plan, previous=previous, as_of=as_of)) == []
    kept = {"theme": [JUNE_20, NOV_14]} if JUNE_FROZEN[as_of] else {"late": [NOV_14]}
    assert placements(plan) == kept


@pytest.mark.parametrize("as_of", list(JUNE_FROZEN), ids=str)
def test_checker_freezes_meetings_before_the_as_of_day_only(as_of: dt.date) -> None:
    p, previous = _keep()
    plan = plan_of(p, {NOV_14: ["late"]}, unplaced=["theme"])
    expected = [breach("R10", JUNE_20, f"{JUNE_20} (2017-06-20) is frozen as of {as_of} but its "
                                       "agenda changed: added nothing; removed theme")]
    assert found(check(p, plan, previous=previous, as_of=as_of)) == (
        expected if JUNE_FROZEN[as_of] else []
    )


def _request() -> Programme:
    p = programme({"id": "request", "window": "2017-11-01..2017-11-30"})
    body, meeting = p.meetings_by_id[NOV_14]
    assert deadlines_of(p, body, meeting).reports_due == dt.date(2017, 10, 31)
    return p


#: As of -> whether November's reports (due 31 October) are already late.
REPORTS_LATE = {dt.date(2017, 10, 31): False, dt.date(2017, 11, 1): True}


@pytest.mark.parametrize("as_of", list(REPORTS_LATE), ids=str)
def test_replan_takes_new_items_until_reports_are_overdue(as_of: dt.date) -> None:
    p = _request()
    previous = plan_of(p, {})
    plan = replan(p, previous, as_of=as_of, options=OPTIONS)
    assert plan.status is SolveStatus.OPTIMAL, plan.explanation
    assert found(check(p, plan, previous=previous, as_of=as_of)) == []
    assert placements(plan) == ({} if REPORTS_LATE[as_of] else {"request": [NOV_14]})


@pytest.mark.parametrize("as_of", list(REPORTS_LATE), ids=str)
def test_checker_takes_new_items_until_reports_are_overdue(as_of: dt.date) -> None:
    p = _request()
    plan = plan_of(p, {NOV_14: ["request"]})
    expected = [breach("R10", "request",
                       f"request is new at {NOV_14}, whose reports were due 2017-10-31")]
    assert found(check(p, plan, previous=plan_of(p, {}), as_of=as_of)) == (
        expected if REPORTS_LATE[as_of] else []
    )
