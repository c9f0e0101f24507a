"""The plan checker's corners that its surviving mutants showed untested (mutmut, after the
re-organisation): duplicated and missing meetings, entries at cancelled meetings, the periods'
boundaries, what holds a must item, the clock-free order of R8's overlaps, R10's later and
cancelled meetings, and revisions' withdrawn records.

Each test writes its expectation by hand: the exact breaches (rule, subject, message), dates
worked out from the calendar, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from scheduler.check import check
from scheduler.check.facts import periods
from scheduler.check.r1_placement import check_r1
from scheduler.check.r2_standing import check_r2
from scheduler.check.r6_capacity import check_r6
from scheduler.check.r8_people import check_r8
from scheduler.check.r9_order import check_r9
from scheduler.check.r10_frozen import check_r10
from scheduler.dates.deadlines import programme_deadlines, report_authors
from scheduler.dates.working_days import WorkingCalendar
from scheduler.plan.model import Plan
from scheduler.plan.revisions import revise
from tests import test_check as base
from tests import test_revisions as rev
from tests.programmes import programme
from tests.situations import JUNE_20, NOV_14, breach, found, main_body, other_body, plan_of

Data = dict[str, Any]


def edited(plan: Plan, mid: str, edit: Callable[[Data], None]) -> Plan:
    """`plan` read back from its JSON with meeting `mid` edited, as a hand-edited file would be."""
    data: Data = json.loads(plan.to_json())
    for meeting in data["meetings"]:
        if meeting["id"] == mid:
            edit(meeting)
    return Plan.model_validate(data)


def ghost_entry(minutes: int = 20) -> Data:
    """An agenda entry of an item the programme does not have."""
    return {"item": "ghost", "title": "Ghost", "kind": "short", "minutes": minutes,
            "occurrence": None, "people": []}


REC = {"id": "rec", "every": "quarter", "minutes": 20, "priority": "normal"}
REC_LATER = ["rec@2017/18 Q2", "rec@2017/18 Q3", "rec@2017/18 Q4"]


# R1 placement: the plan's meetings

CANCELLED_NOV_14 = {"date": "2017-11-14", "status": "cancelled"}


def test_r1_a_meeting_listed_twice_is_reported_once_with_its_count() -> None:
    p = programme()
    plan = plan_of(p, {})
    twice = plan.model_copy(update={"meetings": [*plan.meetings, plan.meetings[0]]})
    assert found(check(p, twice)) == [
        breach("R1", JUNE_20, "meeting main-2017-06-20 is listed 2 times"),
    ]


def test_r1_a_cancelled_meeting_may_be_left_out_of_the_plan_but_an_open_one_may_not() -> None:
    p = programme(bodies=[main_body("2017-06-20", CANCELLED_NOV_14)])
    full = plan_of(p, {})
    assert check(p, full) == []
    without_cancelled = full.model_copy(update={"meetings": [full.meetings[0]]})
    assert check(p, without_cancelled) == []
    without_open = full.model_copy(update={"meetings": [full.meetings[1]]})
    assert found(check(p, without_open)) == [
        breach("R1", JUNE_20, "meeting main-2017-06-20 is missing from the plan"),
    ]


def test_r1_a_cancelled_meetings_agenda_is_listed_with_occurrences() -> None:
    p = programme({"id": "talk"}, REC,
                  bodies=[main_body("2017-06-20", CANCELLED_NOV_14)])
    plan = plan_of(p, {NOV_14: ["talk", "rec@2017/18 Q2"]}, ["talk", "rec"])
    assert found(check_r1(p, plan)) == [
        breach("R1", NOV_14, "main-2017-11-14 is cancelled but its agenda lists talk, "
                             "rec@2017/18 Q2"),
    ]


def test_r1_a_meetings_start_is_shown_as_the_plan_writes_it() -> None:
    p = programme()
    plan = edited(plan_of(p, {}), JUNE_20, lambda m: m.update(start="18:00"))
    assert found(check(p, plan)) == [
        breach("R1", JUNE_20, "main-2017-06-20 has start 18:00; the programme says 19:00"),
    ]


# R1 placement: entries


def test_r1_an_occurrence_twice_at_one_meeting_is_named_with_its_occurrence() -> None:
    p = programme(REC)
    plan = plan_of(p, {NOV_14: ["rec@2017/18 Q1", "rec@2017/18 Q1"]}, REC_LATER)
    assert found(check_r1(p, plan)) == [
        breach("R1", "rec@2017/18 Q1", "rec@2017/18 Q1 is at main-2017-11-14 2 times"),
    ]


def test_r1_an_unknown_item_twice_at_one_meeting() -> None:
    p = programme()
    plan = edited(plan_of(p, {}), JUNE_20,
                  lambda m: m.update(agenda=[ghost_entry(), ghost_entry()], minutes_used=40))
    not_an_item = breach("R1", "ghost", "ghost at main-2017-06-20 is not an item")
    assert found(check_r1(p, plan)) == [
        not_an_item, not_an_item,
        breach("R1", "ghost", "ghost is at main-2017-06-20 2 times"),
    ]
    assert found(check(p, plan)) == [
        not_an_item, breach("R1", "ghost", "ghost is at main-2017-06-20 2 times"),
    ]


def test_r1_an_occurrence_of_an_item_with_no_period_in_the_year() -> None:
    # A year of 1-25 June 2017: no quarter ends in it, so the item has no occurrence at all.
    p = programme(REC, meetings=["2017-06-20"], year="2017-06-01..2017-06-25")
    plan = plan_of(p, {JUNE_20: ["rec@2017/18 Q1"]})
    assert found(check_r1(p, plan)) == [
        breach("R1", "rec@2017/18 Q1",
               "rec at main-2017-06-20 has occurrence 2017/18 Q1, not one of none"),
    ]


# R1 placement: what holds a must item unplaced


EXEC = {"id": "exec", "title": "Executive", "date": "2017-09-01"}


def test_r1_a_dated_event_does_not_hold_a_must_item() -> None:
    p = programme({"id": "late", "priority": "must", "after": {"event": "exec"}}, events=[EXEC])
    assert found(check_r1(p, plan_of(p, {}, ["late"]))) == [
        breach("R1", "late", "late is a must item but is unplaced"),
    ]


def test_r1_must_partners_with_each_other_do_not_hold_each_other() -> None:
    p = programme({"id": "pa", "priority": "must", "with": "pb"},
                  {"id": "pb", "priority": "must", "with": "pa"})
    assert found(check_r1(p, plan_of(p, {}, ["pa", "pb"]))) == [
        breach("R1", "pa", "pa is a must item but is unplaced"),
        breach("R1", "pb", "pb is a must item but is unplaced"),
    ]


def test_r1_a_partners_later_partner_placed_elsewhere_holds_a_must_item() -> None:
    # pa goes with pb; pb comes after pa (seen already) and goes with pc, which another body
    # takes: pc holds pb, so pb holds pa.
    p = programme({"id": "pa", "priority": "must", "with": "pb"},
                  {"id": "pb", "after": {"item": "pa"}, "with": "pc"},
                  {"id": "pc", "delegated_to": "Cabinet"})
    assert check_r1(p, plan_of(p, {}, ["pa", "pb"])) == []


def test_r1_a_chain_of_partners_is_followed() -> None:
    # pa after pb, pb after pc, pc taken by another body: the chain holds pa (and pb).
    p = programme({"id": "pa", "priority": "must", "after": {"item": "pb"}},
                  {"id": "pb", "priority": "must", "after": {"item": "pc"}},
                  {"id": "pc", "delegated_to": "Cabinet"})
    assert check_r1(p, plan_of(p, {}, ["pa", "pb"])) == []


# R2 standing


def test_r2_a_standing_item_following_a_body_the_programme_lacks_goes_nowhere() -> None:
    p = programme({"id": "minutes", "kind": "standing", "follows": "ghost"})
    assert check_r2(p, plan_of(p, {})) == []
    assert found(check_r2(p, plan_of(p, {JUNE_20: ["minutes"]}))) == [
        breach("R2", "minutes", "minutes is at main-2017-06-20, where it does not belong: "
                                "no meeting of ghost since the previous meeting of main and "
                                "before its agenda is published"),
    ]


# R6 capacity


def test_r6_limits_count_the_items_kind_not_the_entrys() -> None:
    p = programme({"id": "s1", "kind": "substantive", "minutes": 30},
                  {"id": "s2", "kind": "substantive", "minutes": 30})

    def as_short(meeting: Data) -> None:
        for entry in meeting["agenda"]:
            entry["kind"] = "short"

    plan = edited(plan_of(p, {JUNE_20: ["s1", "s2"]}), JUNE_20, as_short)
    assert found(check_r6(p, plan)) == [
        breach("R6", JUNE_20, "main-2017-06-20 has 2 substantive items; the limit is 1"),
    ]


def test_r6_wrong_minutes_are_reported_for_the_occurrence() -> None:
    p = programme(REC)

    def longer(meeting: Data) -> None:
        meeting["agenda"][0]["minutes"] = 25
        meeting["minutes_used"] = 25

    plan = edited(plan_of(p, {NOV_14: ["rec@2017/18 Q1"]}), NOV_14, longer)
    assert found(check_r6(p, plan)) == [
        breach("R6", "rec@2017/18 Q1",
               "rec@2017/18 Q1 at main-2017-11-14 states 25 minutes; it takes 20"),
    ]


# R8 people


def test_r8_an_overlap_after_a_meeting_that_overlaps_nothing_is_still_found() -> None:
    # Officer a presents at main on 20 June and 14 November (19:00-21:30), and at sub on
    # 14 November (18:00-19:30): only the two of 14 November overlap.
    p = programme({"id": "x", "presenters": ["a"], "times": 2},
                  {"id": "y", "body": "sub", "presenters": ["a"]},
                  bodies=[main_body(), other_body("sub", {"date": "2017-11-14", "start": "18:00"},
                                                  minutes=90)])
    plan = plan_of(p, {JUNE_20: ["x"], NOV_14: ["x"], "sub-2017-11-14": ["y"]})
    assert found(check_r8(p, plan)) == [
        breach("R8", "sub-2017-11-14", "a is needed at sub-2017-11-14 (18:00-19:30) and at "
                                       "main-2017-11-14 (19:00-21:30) on 2017-11-14"),
    ]


# R9 order


def test_r9_a_scrutiny_partner_is_not_held_to_its_plain_partners_meetings() -> None:
    # note goes only where the scrutiny item goes; the scrutiny item may go without it.
    p = programme({"id": "note", "with": "scr"},
                  {"id": "scr", "kind": "scrutiny", "rotation": {"a": 1, "b": 1}})
    plan = plan_of(p, {JUNE_20: ["scr@a", "note"], NOV_14: ["scr@b"]})
    assert check_r9(p, plan) == []


# R10 frozen (tests/data/check_base.yaml: reports are due ten working days before a meeting)


R10_ITEMS: list[Data] = [
    {"id": "talk", "title": "Talk", "body": "main", "kind": "short"},
    {"id": "budget", "title": "Budget", "body": "sub", "kind": "report"},
    {"id": "scr", "title": "Scrutiny", "body": "main", "kind": "scrutiny",
     "rotation": {"dir-a": 1}},
    {"id": "scr-x", "title": "Scrutiny extra", "body": "main", "kind": "short"},
]


def r10(agendas: base.Agendas, as_of: str) -> list[tuple[str, str, str]]:
    """R10's breaches, in the order it gives them, when `agendas` re-plan an empty plan."""
    p = base.programme_with(*R10_ITEMS)
    previous = base.plan_of(p, {})
    return found(check_r10(p, base.plan_of(p, agendas), previous, dt.date.fromisoformat(as_of)))


def test_r10_nothing_is_new_at_a_cancelled_meeting() -> None:
    # 13 March 2018 is cancelled; its reports would have been due on 27 February.
    assert r10({"main-2018-03-13": ["talk"]}, "2018-03-13") == []


def test_r10_a_meeting_on_the_as_of_day_takes_nothing_new() -> None:
    assert r10({"main-2017-11-14": ["talk"]}, "2017-11-14") == [
        breach("R10", "talk", "talk is new at main-2017-11-14, whose reports were due 2017-10-31"),
    ]


def test_r10_a_later_meeting_still_open_for_reports_does_not_stop_the_check() -> None:
    # As of 20 March 2018: 10 April's reports are due 23 March (Easter between), still to come;
    # sub's 28 March meeting had its reports due on 14 March.
    agendas: base.Agendas = {"main-2018-04-10": ["talk"], "sub-2018-03-28": ["budget"]}
    assert r10(agendas, "2018-03-20") == [
        breach("R10", "budget",
               "budget is new at sub-2018-03-28, whose reports were due 2018-03-14"),
    ]


def test_r10_new_entries_are_reported_by_subject_with_their_occurrence() -> None:
    agendas: base.Agendas = {"main-2017-11-14": [base.E("scr", "dir-a"), "scr-x"]}
    assert r10(agendas, "2017-11-01") == [
        breach("R10", "scr-x",
               "scr-x is new at main-2017-11-14, whose reports were due 2017-10-31"),
        breach("R10", "scr@dir-a",
               "scr@dir-a is new at main-2017-11-14, whose reports were due 2017-10-31"),
    ]


def test_r10_an_entry_of_an_unknown_item_is_new_too() -> None:
    assert r10({"main-2017-11-14": ["ghost"]}, "2017-11-01") == [
        breach("R10", "ghost",
               "ghost is new at main-2017-11-14, whose reports were due 2017-10-31"),
    ]


def test_r10_a_frozen_meeting_lists_every_entry_added() -> None:
    assert r10({"main-2017-06-27": ["talk", "scr-x"]}, "2017-07-01") == [
        breach("R10", "main-2017-06-27",
               "main-2017-06-27 (2017-06-28) is frozen as of 2017-07-01 but its agenda changed: "
               "added scr-x, talk; removed nothing"),
    ]


# facts.periods


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        # 31 March 2017 + 40 days is 10 May 2017, the year's first day; 31 March 2018 + 40 is
        # 10 May 2018.
        ({"release_days": 40}, {
            "2016/17 Q4": "2017-05-10", "2017/18 Q1": "2017-08-09", "2017/18 Q2": "2017-11-09",
            "2017/18 Q3": "2018-02-09", "2017/18 Q4": "2018-05-10",
        }),
        # 31 March 2018 + 45 days is 15 May 2018, the year's last day.
        ({"release_days": 45}, {
            "2016/17 Q4": "2017-05-15", "2017/18 Q1": "2017-08-14", "2017/18 Q2": "2017-11-14",
            "2017/18 Q3": "2018-02-14", "2017/18 Q4": "2018-05-15",
        }),
        # Two years' wait (730 days, 29 February 2016 among them for the first three): the
        # quarters of 2015/16 are released in the year.
        ({"release_days": 730}, {
            "2015/16 Q1": "2017-06-29", "2015/16 Q2": "2017-09-29", "2015/16 Q3": "2017-12-30",
            "2015/16 Q4": "2018-03-31",
        }),
        ({"every": "half-year"}, {"2017/18 H1": "2017-09-30", "2017/18 H2": "2018-03-31"}),
        ({"every": None}, {}),
    ],
    ids=["release-on-first-day", "release-on-last-day", "two-years-wait", "half-year", "plain"],
)
def test_periods_of_an_item(keys: Data, expected: dict[str, str]) -> None:
    p = programme({"id": "rec", "every": "quarter", **keys})
    assert periods(p, p.items_by_id["rec"]) == {
        label: dt.date.fromisoformat(day) for label, day in expected.items()
    }


@pytest.mark.parametrize("year", ["2017-05-10..", "..2018-05-15"])
def test_periods_of_a_year_open_at_one_end_are_none(year: str) -> None:
    p = programme({"id": "rec", "every": "quarter"}, year=year)
    assert periods(p, p.items_by_id["rec"]) == {}


# revisions: withdrawn records


def test_a_meeting_cancelled_all_along_does_not_stop_a_later_one_being_withdrawn() -> None:
    june_cancelled = {**rev.JUNE, "status": "cancelled", "agenda": [], "deadlines": None}
    october_cancelled = {**rev.OCTOBER, "status": "cancelled", "agenda": [], "deadlines": None}
    previous = rev.plan(june_cancelled, rev.OCTOBER, published=rev.V1_PUBLISHED)
    new = revise(previous, rev.plan(june_cancelled, october_cancelled))
    assert rev.withdrawn(new) == [{**rev.OCTOBER, "status": "cancelled", "sequence": 1}]


def test_a_withdrawn_record_takes_the_revision_of_its_cancellation() -> None:
    """October unchanged in version 2 (last revised at version 1's publication), cancelled in
    version 3: its record is this version's own change, so it has no `revised` of its own."""
    v1 = rev.plan(rev.JUNE, rev.OCTOBER, published=rev.V1_PUBLISHED)
    v2 = rev.published(revise(v1, rev.plan(rev.JUNE, rev.OCTOBER)), rev.V2_PUBLISHED)
    assert rev.numbering(v2)["main-2017-10-17"] == (0, rev.V1_PUBLISHED)
    cancelled = {**rev.OCTOBER, "status": "cancelled", "agenda": [], "deadlines": None}
    v3 = revise(v2, rev.plan(rev.JUNE, cancelled))
    assert rev.withdrawn(v3) == [{**rev.OCTOBER, "status": "cancelled", "sequence": 1}]


# dates


def test_report_authors_are_the_presenters_then_the_rotation_officer() -> None:
    p = programme({"id": "scr", "kind": "scrutiny", "presenters": ["w"],
                   "rotation": {"a": 1, "b": 1}})
    item = p.items_by_id["scr"]
    assert report_authors(item, "a") == ["w", "a"]
    assert report_authors(item, None) == ["w"]
    assert report_authors(item, "2017/18 Q1") == ["w"]


def test_programme_deadlines_are_in_date_then_start_order_and_none_when_cancelled() -> None:
    p = base.programme_with()
    rows = programme_deadlines(p)
    assert [r.meeting.key for r in rows] == [
        "main-2017-06-27", "sub-2017-07-18", "sub-2017-09-26", "main-2017-10-17",
        "main-2017-11-14", "sub-2017-12-05",
        "sub-2018-01-23", "main-2018-01-23",  # same day: sub starts at 18:00, main at 19:00
        "main-2018-02-01-callin", "main-2018-03-13", "sub-2018-03-28", "main-2018-04-10",
    ]
    cancelled = [r.meeting.key for r in rows if r.deadlines is None]
    assert cancelled == ["main-2018-03-13"]


def test_a_working_calendar_keeps_its_nation_and_names_the_nations_it_knows() -> None:
    assert WorkingCalendar("wales").nation == "wales"
    with pytest.raises(ValueError) as refused:
        WorkingCalendar("france")
    assert str(refused.value) == (
        "unknown nation 'france': expected one of england, wales, scotland, northern-ireland"
    )


def test_no_clear_days_between_a_day_and_itself() -> None:
    cal = WorkingCalendar("england")
    day = dt.date(2017, 11, 14)
    assert cal.clear_days_between(day, day) == 0
    assert cal.clear_days_between(day, day + dt.timedelta(days=1)) == 0


def test_r9_an_after_event_the_programme_lacks_sets_no_earliest_day() -> None:
    # The programme file's references are checked when it is read (scheduler.programme.load);
    # a model built without them must not crash the check.
    p = programme({"id": "late", "after": {"event": "ghost", "gap_days": 7}})
    assert check_r9(p, plan_of(p, {JUNE_20: ["late"]})) == []
