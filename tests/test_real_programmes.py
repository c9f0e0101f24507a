"""What real councils' programmes say (DESIGN §4.6), on small programmes: each key validated,
honoured by the solver, restated by `check`, and its boundaries drawn on both sides.

- Rough dates: a meeting in "January 2018" or with no date yet takes items provisionally, keeps
  its id when its day is set, and is not judged by R8 until then; an event known roughly is
  waited for by its earliest day and preferred after its latest.
- No agenda time stated: R6 checks `limits` only.
- `every: year` on the financial, municipal or academic year; a title per occurrence; the
  meeting(s) whose minutes an item takes.
- `after` a meeting or a body's next dated meeting.
- Suggested and carried-forward items: listed apart, never placed, never "not placed".
- `position`: first or last on the agenda.
- Several municipal years: rotation counted per year, an item's meetings in one year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scheduler.check import check
from scheduler.errors import ProgrammeError
from scheduler.outputs.feeds import feeds
from scheduler.outputs.report import markdown
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from scheduler.programme.words import meeting_words
from scheduler.solver.build import SolveOptions
from scheduler.solver.replan import replan
from tests.programmes import BASE, programme
from tests.situations import (
    FAST_SECONDS,
    JUNE_20,
    NOV_14,
    breach,
    found,
    main_body,
    other_body,
    placements,
    plan_of,
    solved,
)
from tests.strategies import load

OPTIONS = SolveOptions(time_limit=FAST_SECONDS)


def entries(plan: Plan, item: str) -> list[tuple[str, bool]]:
    """(meeting, provisional) of each agenda entry of `item`, in plan order."""
    return [(m.id, e.provisional) for m in plan.meetings for e in m.agenda if e.item == item]


def refused(data: dict[str, Any]) -> list[str]:
    """The located messages a programme file gets (the file, its line and entry left out)."""
    with pytest.raises(ProgrammeError) as caught:
        load(data)
    return [f"{p.location}: {p.message}" for p in caught.value.problems]


def data(*items: dict[str, Any], **top: Any) -> dict[str, Any]:
    out = {**BASE, **top}
    out["items"] = [{"body": "main", "kind": "short", "title": i["id"], **i} for i in items]
    return out


# Rough meeting dates

JANUARY = {"id": "main-2018-01", "date": "2018-01", "status": "tentative"}
UNKNOWN = {"id": "main-budget", "date": None, "status": "postponed"}


def test_a_meeting_in_a_month_takes_items_provisionally() -> None:
    p = programme(
        {"id": "late", "window": "2018-01-01..2018-01-31"},
        {"id": "any", "meeting": "main-2018-01"},
        bodies=[main_body(JANUARY)],
    )
    plan = solved(p)
    assert entries(plan, "late") == [("main-2018-01", True)]
    assert entries(plan, "any") == [("main-2018-01", True)]
    planned = next(m for m in plan.meetings if m.id == "main-2018-01")
    assert (planned.date, planned.when, planned.deadlines) == (None, "2018-01", None)
    assert meeting_words(p, "main-2018-01") == "Main Committee, January 2018, date to be fixed"


def test_a_window_holds_a_rough_meeting_only_when_the_whole_of_it_is_inside() -> None:
    """Inside the window only if every day it may be is: 15-31 January does not hold January."""
    p = programme(
        {"id": "late", "window": "2018-01-15..2018-01-31"}, bodies=[main_body(JANUARY)]
    )
    plan = solved(p)
    assert entries(plan, "late") == []
    placed = plan_of(p, {"main-2018-01": ["late"]})
    assert found(check(p, placed)) == [
        breach(
            "R4",
            "late",
            "late is at main-2018-01 (2018-01-01), outside its window 2018-01-15..2018-01-31",
        )
    ]


def test_people_wait_for_a_meetings_day() -> None:
    """A witness away for part of January can still be planned for "January 2018"; a fixed
    day she is away is out (R8 judges days, not months)."""
    away = {**BASE["people"][2], "unavailable": ["2018-01-10"]}
    p = programme(
        {"id": "hearing", "witnesses": ["w"], "window": "2018-01-01..2018-01-31"},
        bodies=[main_body(JANUARY)],
        people=[*BASE["people"][:2], away],
    )
    assert entries(solved(p), "hearing") == [("main-2018-01", True)]
    fixed = programme(
        {"id": "hearing", "witnesses": ["w"], "window": "2018-01-01..2018-01-31"},
        bodies=[main_body("2018-01-10")],
        people=[*BASE["people"][:2], away],
    )
    assert entries(solved(fixed), "hearing") == []


def test_an_undated_meeting_takes_only_what_needs_no_date() -> None:
    """A postponed meeting "date to be fixed" may be any day of the year: an item with a
    window does not go there; one pinned to it does, provisionally."""
    p = programme(
        {"id": "pinned", "meeting": "main-budget"},
        {"id": "windowed", "window": "2017-06-01..2017-06-30"},
        bodies=[main_body("2017-06-20", "2017-11-14", UNKNOWN)],
    )
    plan = solved(p)
    assert entries(plan, "pinned") == [("main-budget", True)]
    assert entries(plan, "windowed") == [(JUNE_20, False)]
    assert meeting_words(p, "main-budget") == "Main Committee, date to be fixed"


def test_a_meeting_without_a_day_needs_an_id() -> None:
    body = {**main_body({"date": "2018-01"}), "meetings": [{"date": "2018-01"}]}
    assert refused(data(bodies=[body])) == [
        "bodies[0] (main): meetings[0] has no fixed day (2018-01): give it an 'id', which it "
        "keeps when its day is set"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2018-13", "2018-13 is not a month: there is no month 13"),
        ("2018-03..2018-01", "2018-03-01..2018-01-31 ends before it starts"),
        ("2018-01..", "'2018-01..': a rough date gives both ends, e.g. 2018-01..2018-03"),
        ("2019-01", "2019-01 is outside the year 2017-05-10..2018-05-15"),
    ],
)
def test_rough_dates_are_refused_with_a_located_message(value: str, message: str) -> None:
    body = main_body({"id": "main-rough", "date": value})
    problems = refused(data(bodies=[body]))
    assert len(problems) == 1 and problems[0].endswith(message), problems


def test_a_tentative_meeting_that_gets_its_day_keeps_its_placements() -> None:
    """Setting the day is no move: the meeting keeps its id, its items stay, and the change
    says the meeting now has its day."""
    before = programme({"id": "any", "meeting": "main-2018-01"}, bodies=[main_body(JANUARY)])
    published = solved(before)
    after = programme(
        {"id": "any", "meeting": "main-2018-01"},
        bodies=[main_body({"id": "main-2018-01", "date": "2018-01-16"})],
    )
    plan = replan(after, published, options=OPTIONS)
    assert entries(plan, "any") == [("main-2018-01", False)]
    assert plan.changes is not None
    assert [(c.item, c.change) for c in plan.changes if c.item] == []
    dated = [c for c in plan.changes if c.meeting == "main-2018-01" and c.change == "date"]
    assert [(c.from_, c.to) for c in dated] == [("2018-01", "2018-01-16")]
    assert dated[0].text == (
        "Main Committee, January 2018, date to be fixed now has its day: Tuesday 16 January 2018"
    )


# Rough events


SPRING = {"id": "strategy", "title": "Strategy published", "date": "2018-01..2018-03"}


def test_an_item_after_a_rough_event_waits_for_its_earliest_and_prefers_its_latest() -> None:
    """Published "early 2018": not before 1 January (hard); a meeting after 31 March is
    preferred (soft), and until the event has its day the placement is provisional."""
    days = ["2017-11-14", "2018-01-09", "2018-02-13", "2018-04-10"]
    p = programme(
        {"id": "review", "after": {"event": "strategy"}},
        bodies=[main_body(*days)],
        events=[SPRING],
    )
    assert entries(solved(p), "review") == [("main-2018-04-10", True)]
    # Without the April meeting, February is nearer the latest day than January.
    q = programme(
        {"id": "review", "after": {"event": "strategy"}},
        bodies=[main_body(*days[:3])],
        events=[SPRING],
    )
    assert entries(solved(q), "review") == [("main-2018-02-13", True)]
    early = plan_of(q, {"main-2017-11-14": ["review"]})
    assert found(check(q, early)) == [
        breach(
            "R9",
            "review",
            "review is at main-2017-11-14 (2017-11-14), before 2018-01-01, 0 days after "
            "strategy on 2018-01-01",
        )
    ]


def test_once_the_event_has_its_day_the_placement_is_firm() -> None:
    dated = {**SPRING, "date": "2018-02-01"}
    p = programme(
        {"id": "review", "after": {"event": "strategy"}},
        bodies=[main_body("2018-01-09", "2018-02-13")],
        events=[dated],
    )
    assert entries(solved(p), "review") == [("main-2018-02-13", False)]


# No agenda time stated


def test_without_minutes_only_the_limits_hold() -> None:
    """Twelve 20-minute items at one meeting: 240 minutes, far over a default nobody stated."""
    items = [{"id": f"topic-{n}", "meeting": JUNE_20} for n in range(12)]
    body = {k: v for k, v in main_body().items() if k not in ("minutes", "limits")}
    p = programme(*items, bodies=[body])
    plan = solved(p)
    june = next(m for m in plan.meetings if m.id == JUNE_20)
    assert (june.minutes_used, june.minutes_available) == (240, None)
    limited = programme(*items, bodies=[{**body, "limits": {"short": 10}}])
    assert len([e for m in solved(limited).meetings for e in m.agenda]) == 10


# Yearly reports, titles per occurrence, minutes of the previous meeting


@pytest.mark.parametrize(
    ("period", "release_days", "occurrences"),
    [
        # The financial year 2016/17 ends 31 March 2017: ready 90 days on, 29 June 2017.
        ("financial", 90, {"2016/17": "2017-06-29"}),
        # The academic year 2016/17 ends 31 August 2017.
        ("academic", 0, {"2016/17": "2017-08-31"}),
        # The municipal year (from 10 May) 2016/17 ends 9 May 2017: 2017/18's on 9 May 2018.
        ("municipal", 1, {"2016/17": "2017-05-10", "2017/18": "2018-05-10"}),
    ],
)
def test_a_yearly_report_goes_after_the_year_it_reports_on(
    period: str, release_days: int, occurrences: dict[str, str]
) -> None:
    p = programme(
        {
            "id": "annual",
            "title": "Annual Report {fy}",
            "every": "year",
            "period": period,
            "release_days": release_days,
        },
        bodies=[main_body("2017-05-20", "2017-07-11", "2017-09-12", "2018-05-12")],
    )
    plan = solved(p)
    placed = {e.occurrence: (m.id, e.title) for m in plan.meetings for e in m.agenda}
    for label, release in occurrences.items():
        meeting = min(
            (m for m in plan.meetings if m.date and m.date >= dt.date.fromisoformat(release)),
            key=lambda m: m.date or dt.date.max,
        )
        assert placed[label] == (meeting.id, f"Annual Report {label}")
    assert set(placed) == set(occurrences)


def test_a_quarter_has_its_own_title() -> None:
    p = programme(
        {
            "id": "budget",
            "title": "Budget Monitoring {period}",
            "every": "quarter",
            "release_days": 60,
            "titles": {"Q4": "Budget Outturn {fy}"},
        },
        bodies=[main_body("2017-06-20", "2017-09-12", "2017-12-12", "2018-03-13")],
    )
    titles = [e.title for m in solved(p).meetings for e in m.agenda]
    assert titles == [
        "Budget Outturn 2016/17",
        "Budget Monitoring 1st Quarter",
        "Budget Monitoring 2nd Quarter",
        "Budget Monitoring 3rd Quarter",
    ]


def test_minutes_name_the_meetings_since_the_last_ordinary_one() -> None:
    callin = {"id": "main-callin", "date": "2017-09-05", "special": "Call-in"}
    p = programme(
        {
            "id": "minutes",
            "kind": "standing",
            "special": True,
            "title": "Minutes of the meeting(s) held on {previous_meeting}",
        },
        bodies=[main_body("2017-06-20", callin, "2017-11-14")],
    )
    titles = {m.id: [e.title for e in m.agenda] for m in solved(p).meetings}
    assert titles == {
        JUNE_20: ["Minutes of the meeting(s) held on the previous meeting"],
        "main-callin": ["Minutes of the meeting(s) held on 20 June 2017"],
        NOV_14: ["Minutes of the meeting(s) held on 20 June 2017 and 5 September 2017"],
    }


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"titles": {"Q4": "Outturn"}}, "they need 'every: quarter' or 'every: half-year'"),
        ({"every": "year", "titles": {"Q4": "Outturn"}}, "'titles' name quarters (Q1-Q4)"),
        ({"after": {"meeting": "2017-06-20"}}, "'2017-06-20' is not the id of a meeting"),
        ({"every": "half-year", "titles": {"Q4": "Outturn"}}, "'Q4' is not one of H1, H2"),
        ({"period": "academic"}, "'period' says which year 'every: year' follows: it needs it"),
        ({"suggested": True, "meeting": JUNE_20}, "a suggested item is listed, never placed"),
        ({"invitees": ["nobody"]}, "'nobody' is not in people"),
    ],
)
def test_the_new_item_keys_are_checked(keys: dict[str, Any], message: str) -> None:
    problems = refused(data({"id": "thing", **keys}))
    assert len(problems) == 1 and message in problems[0], problems


# After a meeting or a body


def _after(target: dict[str, Any], panel: list[Any]) -> Programme:
    return programme(
        {"id": "recommendations", "after": target},
        bodies=[main_body("2017-06-20", "2017-09-12", "2017-11-14"), other_body("tfg", *panel)],
    )


def test_an_item_goes_after_a_task_and_finish_groups_meeting() -> None:
    p = _after({"meeting": "tfg-2017-09-01", "gap_days": 7}, ["2017-09-01"])
    # Either meeting from 8 September is as good (the solver keeps the clerk's earliest on a tie).
    assert entries(solved(p), "recommendations") in ([("main-2017-09-12", False)], [(NOV_14, False)])
    assert found(check(p, plan_of(p, {JUNE_20: ["recommendations"]})))  # never before it
    # After the group's first dated meeting (12 September, the same day): not June.
    q = _after({"body": "tfg"}, ["2017-09-12", "2017-10-01"])
    assert entries(solved(q), "recommendations") in ([("main-2017-09-12", False)], [(NOV_14, False)])
    assert found(check(q, plan_of(q, {"main-2017-09-12": ["recommendations"]}))) == []
    assert found(check(q, plan_of(q, {JUNE_20: ["recommendations"]}))) == [
        breach(
            "R9",
            "recommendations",
            "recommendations is at main-2017-06-20 (2017-06-20), before 2017-09-12, 0 days after "
            "the first dated meeting of tfg on 2017-09-12",
        )
    ]


def test_after_a_cancelled_meeting_or_a_body_with_no_date_waits() -> None:
    cancelled = {"date": "2017-09-01", "status": "cancelled"}
    p = _after({"meeting": "tfg-2017-09-01"}, [cancelled])
    plan = solved(p)
    assert entries(plan, "recommendations") == []
    assert [r.text for u in plan.unplaced for r in u.reasons] == [
        "Comes after the meeting of Tfg, Friday 1 September 2017, which is cancelled: restore "
        "that meeting or make the item come after another to place it"
    ]
    q = _after({"body": "tfg"}, [{"id": "tfg-autumn", "date": "2017-09..2017-11"}])
    assert entries(solved(q), "recommendations") == []
    assert [r.text for u in solved(q).unplaced for r in u.reasons] == [
        "Waits for the next meeting of Tfg: give one of its meetings a date to place it"
    ]


# Listed, never placed


def test_suggested_and_carried_forward_items_are_listed_apart() -> None:
    p = programme(
        {"id": "if-required", "suggested": True},
        {"id": "next-year", "deferred": "next-year"},
        {"id": "after-the-year", "window": "2018-06-01..2018-07-31"},
        {"id": "placed"},
    )
    plan = solved(p)
    assert [u.item for u in plan.unplaced] == []
    assert [(i.item, i.text) for i in plan.suggested] == [
        ("if-required", "A suggested topic: to be added if required")
    ]
    assert [(i.item, i.text) for i in plan.carried_forward] == [
        ("next-year", "Deferred to next year"),
        ("after-the-year", "Wanted from 1 June 2018, after this programme ends: carried forward"),
    ]
    assert [e.item for m in plan.meetings for e in m.agenda] == ["placed"]
    wrong = plan_of(p, {JUNE_20: ["if-required", "placed"]})
    assert found(check(p, wrong)) == [
        breach("R1", "if-required", "if-required is only suggested but is at main-2017-06-20")
    ]


# Agenda position


def test_an_item_marked_last_closes_the_agenda_before_part_2() -> None:
    p = programme(
        {"id": "aob", "kind": "standing", "position": "last"},
        {"id": "apologies", "kind": "standing"},
        {"id": "report", "kind": "report", "meeting": JUNE_20},
        {"id": "secret", "kind": "report", "exempt": 3, "meeting": JUNE_20},
        {"id": "election", "kind": "information", "position": "first", "meeting": JUNE_20},
    )
    june = next(m for m in solved(p).meetings if m.id == JUNE_20)
    assert [e.item for e in june.agenda] == ["election", "apologies", "report", "aob", "secret"]


# Several municipal years


TWO_YEARS = "2025-05-14..2027-05-12"


def _two_years(*items: dict[str, Any], years_start: str | None = "05-01") -> Programme:
    meetings = ["2025-06-10", "2025-10-14", "2026-02-10", "2026-06-09", "2026-10-13", "2027-02-09"]
    top: dict[str, Any] = {"year": TWO_YEARS, "bodies": [main_body(*meetings)]}
    if years_start:
        top["years_start"] = years_start
    return programme(*items, **top)


def test_a_programme_of_two_years_counts_rotation_per_year() -> None:
    p = _two_years(
        {"id": "directors", "kind": "scrutiny", "rotation": {"a": 2, "b": 1}, "per_meeting": 1}
    )
    assert p.municipal_years() == [
        (dt.date(2025, 5, 14), dt.date(2026, 4, 30)),
        (dt.date(2026, 5, 1), dt.date(2027, 5, 12)),
    ]
    plan = solved(p)
    by_year = sorted((e.occurrence or "", m.id) for m in plan.meetings for e in m.agenda)
    assert [o for o, _ in by_year] == ["a 2025/26"] * 2 + ["a 2026/27"] * 2 + ["b 2025/26", "b 2026/27"]
    assert all(o.endswith("2025/26") == m.startswith("main-2025") or m.startswith("main-2026-02")
               for o, m in by_year)


def test_an_items_meetings_fall_in_one_municipal_year() -> None:
    p = _two_years({"id": "twice", "times": 2, "prefer": "2026-02-01..2026-06-30"})
    placed = [m for m, _ in entries(solved(p), "twice")]
    years = {p.municipal_year(dt.date.fromisoformat(m[5:])) for m in placed}
    assert len(placed) == 2 and len(years) == 1, placed
    across = plan_of(p, {"main-2026-02-10": ["twice"], "main-2026-06-09": ["twice"]})
    assert found(check(p, across)) == [
        breach(
            "R1",
            "twice",
            "twice is at meetings of 2 municipal years: main-2026-02-10, main-2026-06-09",
        )
    ]


def test_a_year_from_one_annual_council_to_the_next_is_one_municipal_year() -> None:
    """Bromley's 10 May 2017 to 15 May 2018: Annual Council moves by days, not a new year."""
    assert programme().municipal_years() == [(dt.date(2017, 5, 10), dt.date(2018, 5, 15))]


def test_a_published_meeting_that_loses_its_day_stays_in_calendars_as_postponed() -> None:
    """Published for 14 November, then postponed with no date: subscribers see it cancelled
    at its old day, saying it is postponed, until it has a day again; then it is back, its
    calendar identity kept."""
    p = programme({"id": "any", "meeting": NOV_14})
    published = solved(p)
    postponed = programme(
        {"id": "any", "meeting": NOV_14},
        bodies=[main_body("2017-06-20", {"id": NOV_14, "date": None, "status": "postponed"})],
    )
    plan = replan(postponed, published, options=OPTIONS)
    assert [(m.id, m.date, m.status) for m in plan.withdrawn] == [
        (NOV_14, dt.date(2017, 11, 14), "cancelled")
    ]
    feed = feeds(postponed, plan)["public/main.ics"].decode()
    assert "DTSTART;TZID=Europe/London:20171114T190000" in feed
    assert "STATUS:CANCELLED" in feed and "Postponed" in feed
    again = programme(
        {"id": "any", "meeting": NOV_14},
        bodies=[main_body("2017-06-20", {"id": NOV_14, "date": "2017-12-05"})],
    )
    back = replan(again, plan, options=OPTIONS)
    assert back.withdrawn == []
    revived = feeds(again, back)["public/main.ics"].decode()
    assert "DTSTART;TZID=Europe/London:20171205T190000" in revived
    assert "STATUS:CONFIRMED" in revived


def test_a_meeting_dated_since_the_plan_and_now_past_keeps_its_agenda() -> None:
    """Planned for "January 2018", the meeting has since been held on 16 January: re-planned
    as of 1 February, its agenda is frozen like any past meeting's (solver and checker alike)."""
    january = {"id": "topic", "prefer": "2018-01-01..2018-01-31"}
    before = programme(january, bodies=[main_body(JANUARY, "2018-03-13")])
    published = solved(before)
    assert entries(published, "topic") == [("main-2018-01", True)]
    after = programme(  # it would rather be in March now: the past meeting keeps it all the same
        {**january, "prefer": "2018-03-01..2018-03-31"},
        bodies=[main_body({"id": "main-2018-01", "date": "2018-01-16"}, "2018-03-13")],
    )
    as_of = dt.date(2018, 2, 1)
    plan = replan(after, published, as_of=as_of, options=OPTIONS)
    assert found(check(after, plan, previous=published, as_of=as_of)) == []
    assert [m for m, _ in entries(plan, "topic")] == [m for m, _ in entries(published, "topic")]


FEBRUARY = {"id": "main-2018-02", "date": "2018-02"}


def test_minutes_of_another_body_go_to_the_first_meeting_that_surely_follows_them() -> None:
    """A meeting in February 2018 (day not fixed) and one with no date at all do not lose the
    panel's 20 February minutes: they go to 13 March, the first meeting surely after them."""
    p = programme(
        {"id": "refs", "kind": "standing", "follows": "panel"},
        bodies=[
            main_body("2018-01-16", UNKNOWN, FEBRUARY, "2018-03-13"),
            other_body("panel", "2018-02-20"),
        ],
    )
    assert placements(solved(p)).get("refs") == ["main-2018-03-13"]


def test_an_officer_of_a_rotation_over_two_years_owes_a_report_each_year() -> None:
    p = _two_years({"id": "directors", "kind": "scrutiny", "rotation": {"a": 1}})
    calendar = feeds(p, solved(p))["people/a.ics"].decode()
    assert calendar.count("SUMMARY:Reports due") == 2, calendar


def test_a_municipal_year_from_29_february() -> None:
    """Found in review: a yearly report on a municipal year that starts on 29 February."""
    p = programme(
        {"id": "annual", "title": "Annual report {fy}", "every": "year", "period": "municipal"},
        year="2024-02-29..2025-02-27",
        bodies=[main_body("2024-06-12", "2024-11-13", "2025-02-12")],
    )
    plan = solved(p)
    assert [u.occurrence for u in plan.unplaced] == ["2024/25"]


def test_more_meetings_than_a_municipal_year_has_is_said_so() -> None:
    """Three meetings a year: an item for four is out, and says why, must or not."""
    p = _two_years({"id": "four", "times": 4, "priority": "must"}, {"id": "also-four", "times": 4})
    plan = solved(p)
    reasons = {u.item: [r.text for r in u.reasons] for u in plan.unplaced}
    within = (
        "goes to its 4 meetings within one municipal year: give it fewer meetings, or a year "
        "enough meetings, to place it"
    )
    assert reasons["four"][-1].endswith(f": four {within}")
    assert reasons["also-four"][:2] == [
        f"also-four {within}",
        "Main Committee, Tuesday 10 June 2025: 2025/26 has 3 meetings it may use, not 4",
    ]


def test_an_item_after_or_with_a_suggested_one_says_so() -> None:
    p = programme(
        {"id": "theme", "suggested": True},
        {"id": "witnesses", "kind": "witness-session", "with": "theme"},
        {"id": "follow-up", "after": {"item": "theme"}},
    )
    reasons = {u.item: [r.text for r in u.reasons] for u in solved(p).unplaced}
    assert reasons == {
        "witnesses": ["Goes with theme, which is only suggested: this programme does not place it"],
        "follow-up": ["Comes after theme, which is only suggested: this programme does not place it"],
    }


def test_a_deferred_items_history_is_in_the_document() -> None:
    p = programme(
        {
            "id": "flooding",
            "title": "Flood resilience",
            "deferred": "next-year",
            "history": [
                {"date": "2017-11-14", "change": "deferred", "note": "Deferred at the Chair's request"}
            ],
        },
    )
    text = markdown(p, solved(p))
    assert "Deferred to next year. 14 November 2017: Deferred at the Chair's request" in text
