"""The plan checker (DESIGN §4.5): each hard rule kept by a hand-written plan, and broken.

Every plan here is written by hand against tests/data/check_base.yaml (its meeting rows are the
`MEETINGS` table below); each test adds the few items its rule needs, then breaks the plan in
one way and expects exactly the breaches listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scheduler.check import check
from scheduler.check.facts import periods
from scheduler.check.r2_standing import check_r2
from scheduler.check.r7_rotation import check_r7
from scheduler.check.r8_people import check_r8
from scheduler.check.r10_frozen import check_r10
from scheduler.check.rules import CHECKS
from scheduler.check.view import Breach
from scheduler.plan.model import (
    AgendaEntry,
    MeetingDeadlines,
    Plan,
    PlannedMeeting,
    SolveStatus,
    Unplaced,
)
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme

BASE = Path(__file__).parent / "data" / "check_base.yaml"

#: The programme's meetings as a plan lists them: id, body, date, start, end, status.
MEETINGS = [
    ("main-2017-06-27", "main", "2017-06-28", "19:00", "21:00", "scheduled"),
    ("main-2017-10-17", "main", "2017-10-17", "18:30", "20:30", "scheduled"),
    ("main-2017-11-14", "main", "2017-11-14", "19:00", "21:00", "scheduled"),
    ("main-2018-01-23", "main", "2018-01-23", "19:00", "21:00", "scheduled"),
    ("main-2018-02-01-callin", "main", "2018-02-01", "19:00", "21:00", "scheduled"),
    ("main-2018-03-13", "main", "2018-03-13", "19:00", "21:00", "cancelled"),
    ("main-2018-04-10", "main", "2018-04-10", "19:00", "21:00", "scheduled"),
    ("sub-2017-07-18", "sub", "2017-07-18", "18:00", "19:30", "scheduled"),
    ("sub-2017-09-26", "sub", "2017-09-26", "18:00", "19:30", "scheduled"),
    ("sub-2017-12-05", "sub", "2017-12-05", "18:00", "19:30", "scheduled"),
    ("sub-2018-01-23", "sub", "2018-01-23", "18:00", "19:30", "scheduled"),
    ("sub-2018-03-28", "sub", "2018-03-28", "18:00", "19:30", "scheduled"),
]


@dataclass(frozen=True)
class E:
    """A hand-written agenda (or unplaced) entry; title, kind and minutes come from the item."""

    item: str
    occurrence: str | None = None
    people: tuple[str, ...] = ()
    minutes: int | None = None


Spec = str | E
Agendas = dict[str, list[Spec]]


def programme_with(*items: dict[str, Any], edit: Callable[[Any], None] | None = None) -> Programme:
    """The base programme with these items, validated like any programme file."""
    raw = yaml.safe_load(BASE.read_text())
    raw["items"] = list(items)
    if edit is not None:
        edit(raw)
    return parse_programme(yaml.safe_dump(raw, sort_keys=False), BASE.name)


def _entry(programme: Programme, spec: Spec) -> AgendaEntry:
    spec = E(spec) if isinstance(spec, str) else spec
    item = programme.items_by_id.get(spec.item)
    minutes = spec.minutes if spec.minutes is not None else (item.duration if item else 20)
    return AgendaEntry(
        item=spec.item, title=item.title if item else spec.item,
        kind=item.kind if item else "short", minutes=minutes,
        occurrence=spec.occurrence, people=list(spec.people),
    )


def plan_of(
    programme: Programme,
    agendas: Agendas,
    unplaced: Sequence[Spec] = (),
    *,
    reports_due: dict[str, str] | None = None,
    minutes_used: dict[str, int] | None = None,
) -> Plan:
    """A plan with these agendas at the base programme's meetings."""
    meetings = []
    for mid, body, day, start, end, status in MEETINGS:
        agenda = [_entry(programme, spec) for spec in agendas.get(mid, [])]
        due = (reports_due or {}).get(mid)
        meetings.append(PlannedMeeting(
            id=mid, body=body, date=day, start=start, end=end, status=status,
            minutes_used=(minutes_used or {}).get(mid, sum(e.minutes for e in agenda)),
            minutes_available=120 if body == "main" else 90,
            deadlines=MeetingDeadlines(reports_due=due) if due else None, agenda=agenda,
        ))
    missing = [E(s) if isinstance(s, str) else s for s in unplaced]
    return Plan(
        programme=programme.id, status=SolveStatus.FEASIBLE, meetings=meetings,
        unplaced=[Unplaced(item=s.item, title=s.item, occurrence=s.occurrence, reasons=["full"])
                  for s in missing],
    )


def breach(rule: str, subject: str, text: str, name: str) -> Breach:
    return Breach(rule, subject, f"{rule} {name}: {text}")


def breaches(rule: str, name: str, found: Iterable[tuple[str, str]]) -> list[Breach]:
    return [breach(rule, subject, text, name) for subject, text in found]


# General


def test_breach_prints_as_its_one_line_message() -> None:
    found = Breach("R6", "main-2017-10-17", "R6 capacity: main-2017-10-17 uses 165 of 150 minutes")
    assert str(found) == "R6 capacity: main-2017-10-17 uses 165 of 150 minutes"


def test_checks_are_listed_in_rule_order_by_name() -> None:
    assert list(CHECKS) == [f"R{n}" for n in range(1, 11)]
    assert [fn.__name__ for fn in CHECKS.values()] == [f"check_r{n}" for n in range(1, 11)]
    assert CHECKS["R7"] is check_r7
    assert (check_r7.__doc__ or "").startswith("Hard R7 rotation")


# R1 placement

R1_ITEMS: list[dict[str, Any]] = [
    {"id": "theme", "title": "Main theme", "body": "main", "kind": "substantive"},
    {"id": "twice", "title": "Repeated update", "body": "main", "kind": "short", "times": 2},
    {"id": "urgent", "title": "Urgent update", "body": "main", "kind": "short", "priority": "must"},
    {"id": "optional", "title": "Optional report", "body": "main", "kind": "report", "priority": "low"},
    {"id": "licensing", "title": "Licensing review", "body": "main", "kind": "report",
     "delegated_to": "General Purposes Committee"},
    {"id": "budget", "title": "Budget report", "body": "sub", "kind": "report"},
]


def r1_agendas() -> Agendas:
    return {
        "main-2017-06-27": ["twice", "urgent"], "main-2017-10-17": ["theme"],
        "main-2018-01-23": ["twice"], "sub-2017-09-26": ["budget"],
    }


def r1_check(agendas: Agendas, unplaced: Sequence[Spec] = ("optional",)) -> list[Breach]:
    programme = programme_with(*R1_ITEMS)
    return check(programme, plan_of(programme, agendas, unplaced))


def test_r1_each_item_at_its_times_meetings_or_listed_unplaced_is_clean() -> None:
    assert r1_check(r1_agendas()) == []


def test_r1_must_item_unplaced() -> None:
    agendas = r1_agendas()
    agendas["main-2017-06-27"] = ["twice"]
    assert r1_check(agendas, ["optional", "urgent"]) == [
        breach("R1", "urgent", "urgent is a must item but is unplaced", "placement"),
    ]


def test_r1_item_neither_placed_nor_listed_unplaced() -> None:
    agendas = r1_agendas()
    del agendas["main-2017-10-17"]
    assert r1_check(agendas) == [
        breach("R1", "theme", "theme is neither placed nor listed unplaced", "placement"),
    ]


def test_r1_item_placed_and_also_listed_unplaced() -> None:
    assert r1_check(r1_agendas(), ["optional", "theme"]) == [
        breach("R1", "theme", "theme is placed but also listed unplaced", "placement"),
    ]


def test_r1_item_at_fewer_meetings_than_its_times() -> None:
    agendas = r1_agendas()
    del agendas["main-2018-01-23"]
    assert r1_check(agendas) == [
        breach("R1", "twice", "twice is at 1 meeting, not 2: main-2017-06-27", "placement"),
    ]


def test_r1_entry_twice_at_one_meeting() -> None:
    agendas = r1_agendas()
    agendas["main-2018-01-23"] = ["twice", "twice"]
    agendas["main-2017-06-27"] = ["urgent"]
    assert r1_check(agendas) == breaches("R1", "placement", [
        ("twice", "twice is at 1 meeting, not 2: main-2018-01-23"),
        ("twice", "twice is at main-2018-01-23 2 times"),
    ])


def test_r1_delegated_item_placed() -> None:
    agendas = r1_agendas()
    agendas["main-2017-11-14"] = ["licensing"]
    assert r1_check(agendas) == [breach(
        "R1", "licensing",
        "licensing is delegated to General Purposes Committee but is at main-2017-11-14",
        "placement",
    )]


def test_r1_item_at_a_meeting_of_another_body() -> None:
    agendas = r1_agendas()
    del agendas["sub-2017-09-26"]
    agendas["main-2017-11-14"] = ["budget"]
    assert r1_check(agendas) == [
        breach("R1", "budget", "budget belongs to sub but is at main-2017-11-14", "placement"),
    ]


def test_r1_unknown_item_on_an_agenda() -> None:
    agendas = r1_agendas()
    agendas["main-2017-11-14"] = ["ghost"]
    assert r1_check(agendas) == [
        breach("R1", "ghost", "ghost at main-2017-11-14 is not an item", "placement"),
    ]


def test_r1_ordinary_item_with_an_occurrence() -> None:
    agendas = r1_agendas()
    agendas["main-2017-10-17"] = [E("theme", "2017/18 Q1")]
    assert r1_check(agendas) == breaches("R1", "placement", [
        ("theme", "theme is neither placed nor listed unplaced"),
        ("theme@2017/18 Q1", "theme at main-2017-10-17 has occurrence 2017/18 Q1; it does not recur"),
    ])


def test_r1_cancelled_meeting_with_an_agenda_places_nothing() -> None:
    agendas = r1_agendas()
    agendas["main-2018-03-13"] = agendas.pop("main-2017-10-17")
    assert r1_check(agendas) == breaches("R1", "placement", [
        ("main-2018-03-13", "main-2018-03-13 is cancelled but its agenda lists theme"),
        ("theme", "theme is neither placed nor listed unplaced"),
    ])


def test_r1_plan_meetings_must_be_the_programmes() -> None:
    programme = programme_with(*R1_ITEMS)
    plan = plan_of(programme, r1_agendas(), ["optional"])
    plan.meetings[0].date = dt.date(2017, 6, 27)
    plan.meetings[-1].id = "sub-2018-03-29"
    assert check(programme, plan) == breaches("R1", "placement", [
        ("main-2017-06-27", "main-2017-06-27 has date 2017-06-27; the programme says 2017-06-28"),
        ("sub-2018-03-28", "meeting sub-2018-03-28 is missing from the plan"),
        ("sub-2018-03-29", "the programme has no meeting sub-2018-03-29"),
    ])


def test_r1_must_item_may_stay_unplaced_behind_an_undated_event_or_partner() -> None:
    programme = programme_with(
        {"id": "after-inspection", "title": "After the inspection", "body": "main",
         "kind": "short", "priority": "must", "after": {"event": "inspection"}},
        {"id": "with-it", "title": "Goes with it", "body": "main", "kind": "short",
         "priority": "must", "with": "after-inspection"},
    )
    assert check(programme, plan_of(programme, {}, ["after-inspection", "with-it"])) == []


# R2 standing

R2_ITEMS: list[dict[str, Any]] = [
    {"id": "apologies", "title": "Apologies", "body": "main", "kind": "standing", "minutes": 5,
     "special": True},
    {"id": "actions", "title": "Matters arising", "body": "main", "kind": "standing"},
    {"id": "references", "title": "References from the Sub-Committee", "body": "main",
     "kind": "standing", "follows": "sub"},
]


def r2_agendas() -> Agendas:
    return {
        "main-2017-06-27": ["apologies", "actions"],
        "main-2017-10-17": ["apologies", "actions", "references"],
        "main-2017-11-14": ["apologies", "actions"],
        "main-2018-01-23": ["apologies", "actions", "references"],
        "main-2018-02-01-callin": ["apologies"],
        "main-2018-04-10": ["apologies", "actions", "references"],
    }


def r2_check(agendas: Agendas) -> list[Breach]:
    programme = programme_with(*R2_ITEMS)
    return check(programme, plan_of(programme, agendas))


def test_r2_standing_items_where_they_belong_is_clean() -> None:
    assert r2_check(r2_agendas()) == []


def test_r2_standing_item_missing_from_one_meeting() -> None:
    agendas = r2_agendas()
    agendas["main-2018-01-23"].remove("actions")
    assert r2_check(agendas) == [
        breach("R2", "actions", "actions is missing from main-2018-01-23", "standing"),
    ]


def test_r2_follows_item_at_a_meeting_without_a_sub_committee_meeting_since_the_last() -> None:
    agendas = r2_agendas()
    agendas["main-2017-11-14"].append("references")
    assert r2_check(agendas) == [breach(
        "R2", "references",
        "references is at main-2017-11-14, where it does not belong: "
        "no meeting of sub since the previous meeting of main and before its agenda is published",
        "standing",
    )]


def test_r2_follows_item_missing_after_a_sub_committee_meeting() -> None:
    agendas = r2_agendas()
    agendas["main-2017-10-17"].remove("references")
    assert r2_check(agendas) == [
        breach("R2", "references", "references is missing from main-2017-10-17", "standing"),
    ]


def test_r2_standing_item_at_a_special_meeting_unless_marked_special() -> None:
    agendas = r2_agendas()
    agendas["main-2018-02-01-callin"] = ["actions"]
    assert r2_check(agendas) == breaches("R2", "standing", [
        ("actions", "actions is at main-2018-02-01-callin, where it does not belong: a special meeting"),
        ("apologies", "apologies is missing from main-2018-02-01-callin"),
    ])


def test_r2_follows_counts_sub_committee_meetings_in_the_year_before_the_first_meeting() -> None:
    programme = programme_with(
        *R2_ITEMS, edit=lambda raw: raw["bodies"][1]["meetings"].insert(0, "2017-06-01"),
    )
    agendas = r2_agendas()
    assert check_r2(programme, plan_of(programme, agendas)) == [
        breach("R2", "references", "references is missing from main-2017-06-27", "standing"),
    ]
    agendas["main-2017-06-27"].append("references")
    assert check_r2(programme, plan_of(programme, agendas)) == []


# R3 recurring

CAPITAL = {"id": "capital", "title": "Capital Programme - {period}", "body": "sub",
           "kind": "report", "every": "quarter", "release_days": 60}


def r3_agendas() -> Agendas:
    return {
        "sub-2017-07-18": [E("capital", "2016/17 Q4")],
        "sub-2017-09-26": [E("capital", "2017/18 Q1")],
        "sub-2017-12-05": [E("capital", "2017/18 Q2")],
        "sub-2018-03-28": [E("capital", "2017/18 Q3")],
    }


def r3_check(agendas: Agendas) -> list[Breach]:
    programme = programme_with(CAPITAL)
    return check(programme, plan_of(programme, agendas))


def test_r3_quarters_released_in_the_year_are_the_occurrences() -> None:
    programme = programme_with(CAPITAL)
    assert periods(programme, programme.items_by_id["capital"]) == {
        "2016/17 Q4": dt.date(2017, 5, 30),
        "2017/18 Q1": dt.date(2017, 8, 29),
        "2017/18 Q2": dt.date(2017, 11, 29),
        "2017/18 Q3": dt.date(2018, 3, 1),
    }


def test_r3_half_years_follow_the_financial_year_start() -> None:
    half = {"id": "half", "title": "Half-year report", "body": "sub", "kind": "report",
            "every": "half-year"}
    programme = programme_with(half, edit=lambda raw: raw.update(financial_year_start="01-01"))
    assert periods(programme, programme.items_by_id["half"]) == {
        "2017/18 H1": dt.date(2017, 6, 30), "2017/18 H2": dt.date(2017, 12, 31),
    }


def test_r3_each_occurrence_after_its_release_is_clean() -> None:
    assert r3_check(r3_agendas()) == []


def test_r3_quarterly_occurrence_before_its_release() -> None:
    agendas = r3_agendas()
    agendas["sub-2017-07-18"], agendas["sub-2017-09-26"] = (
        agendas["sub-2017-09-26"], agendas["sub-2017-07-18"],
    )
    assert r3_check(agendas) == [breach(
        "R3", "capital@2017/18 Q1",
        "capital@2017/18 Q1 is at sub-2017-07-18 (2017-07-18), before its release on 2017-08-29",
        "recurring",
    )]


def test_r3_two_occurrences_at_one_meeting() -> None:
    agendas = r3_agendas()
    agendas["sub-2017-12-05"] += agendas.pop("sub-2017-09-26")
    assert r3_check(agendas) == [breach(
        "R3", "capital", "capital has 2 occurrences at sub-2017-12-05: 2017/18 Q1, 2017/18 Q2",
        "recurring",
    )]


def test_r3_occurrence_placed_twice() -> None:
    agendas = r3_agendas()
    agendas["sub-2018-01-23"] = [E("capital", "2017/18 Q2")]
    assert r3_check(agendas) == [breach(
        "R1", "capital@2017/18 Q2",
        "capital@2017/18 Q2 is at 2 meetings, not 1: sub-2017-12-05, sub-2018-01-23",
        "placement",
    )]


def test_r3_occurrence_that_is_not_a_period_of_the_item() -> None:
    agendas = r3_agendas()
    agendas["sub-2018-03-28"] = [E("capital", "2017/18 Q4")]
    assert r3_check(agendas) == breaches("R1", "placement", [
        ("capital@2017/18 Q3", "capital@2017/18 Q3 is a must item but is unplaced"),
        ("capital@2017/18 Q3", "capital@2017/18 Q3 is neither placed nor listed unplaced"),
        ("capital@2017/18 Q4", "capital at sub-2018-03-28 has occurrence 2017/18 Q4, "
         "not one of 2016/17 Q4, 2017/18 Q1, 2017/18 Q2, 2017/18 Q3"),
    ])


def test_r3_occurrence_of_an_item_that_is_not_a_must_may_be_listed_unplaced() -> None:
    programme = programme_with({**CAPITAL, "priority": "high"})
    agendas = r3_agendas()
    del agendas["sub-2018-03-28"]
    assert check(programme, plan_of(programme, agendas, [E("capital", "2017/18 Q3")])) == []


# R4 window

R4_ITEMS: list[dict[str, Any]] = [
    {"id": "review", "title": "Review", "body": "main", "kind": "short",
     "window": "2017-10-01..2018-01-31"},
    {"id": "pre", "title": "Plan before the Executive decides", "body": "main", "kind": "report",
     "decision": {"event": "exec", "lead_days": 7}},
    {"id": "pre-inspection", "title": "Before the inspection", "body": "main", "kind": "report",
     "decision": {"event": "inspection"}},
]


def r4_check(agendas: Agendas, unplaced: Sequence[Spec] = ("pre-inspection",)) -> list[Breach]:
    programme = programme_with(*R4_ITEMS)
    return check(programme, plan_of(programme, agendas, unplaced))


def test_r4_inside_window_and_before_the_decision_is_clean() -> None:
    assert r4_check({"main-2017-10-17": ["review"], "main-2018-01-23": ["pre"]}) == []


def test_r4_outside_the_window() -> None:
    assert r4_check({"main-2017-06-27": ["review"], "main-2018-01-23": ["pre"]}) == [breach(
        "R4", "review",
        "review is at main-2017-06-27 (2017-06-28), outside its window 2017-10-01..2018-01-31",
        "window",
    )]


def test_r4_too_close_to_the_decision() -> None:
    assert r4_check({"main-2017-10-17": ["review"], "main-2018-04-10": ["pre"]}) == [breach(
        "R4", "pre",
        "pre is at main-2018-04-10 (2018-04-10), after 2018-01-31, 7 days before exec on 2018-02-07",
        "window",
    )]


def test_r4_placed_before_an_undated_decision() -> None:
    agendas: Agendas = {"main-2017-10-17": ["review"], "main-2018-01-23": ["pre"],
                        "main-2017-11-14": ["pre-inspection"]}
    assert r4_check(agendas, []) == [breach(
        "R4", "pre-inspection",
        "pre-inspection is at main-2017-11-14 (2017-11-14), but inspection has no date: "
        "it must stay unplaced",
        "window",
    )]


# R5 pin

R5_ITEMS: list[dict[str, Any]] = [
    {"id": "pinned", "title": "Pinned update", "body": "main", "kind": "short",
     "meeting": "main-2017-06-27"},
    {"id": "pinned-by-date", "title": "Pinned by date", "body": "main", "kind": "information",
     "meeting": "2018-01-23"},
    {"id": "call-in", "title": "Call-in", "body": "main", "kind": "report",
     "meeting": "main-2018-02-01-callin"},
    {"id": "update", "title": "Update", "body": "main", "kind": "short"},
]


def r5_agendas() -> Agendas:
    return {
        "main-2017-06-27": ["pinned"], "main-2017-10-17": ["update"],
        "main-2018-01-23": ["pinned-by-date"], "main-2018-02-01-callin": ["call-in"],
    }


def r5_check(agendas: Agendas) -> list[Breach]:
    programme = programme_with(*R5_ITEMS)
    return check(programme, plan_of(programme, agendas))


def test_r5_pinned_items_at_their_meetings_is_clean() -> None:
    assert r5_check(r5_agendas()) == []


def test_r5_pinned_item_elsewhere() -> None:
    agendas = r5_agendas()
    agendas["main-2017-10-17"].append(agendas.pop("main-2017-06-27")[0])
    agendas["main-2018-04-10"] = agendas.pop("main-2018-01-23")
    assert r5_check(agendas) == breaches("R5", "pin", [
        ("pinned", "pinned is pinned to main-2017-06-27 but is at main-2017-10-17"),
        ("pinned-by-date", "pinned-by-date is pinned to 2018-01-23 but is at main-2018-04-10"),
    ])


def test_r5_special_meeting_takes_only_items_pinned_to_it() -> None:
    agendas = r5_agendas()
    agendas["main-2018-02-01-callin"].append(agendas.pop("main-2017-10-17")[0])
    assert r5_check(agendas) == [breach(
        "R5", "update", "update is at special meeting main-2018-02-01-callin, not pinned there",
        "pin",
    )]


# R6 capacity

R6_ITEMS: list[dict[str, Any]] = [
    {"id": "theme", "title": "Theme", "body": "main", "kind": "substantive"},
    {"id": "theme-two", "title": "Second theme", "body": "main", "kind": "substantive"},
    {"id": "s1", "title": "Short one", "body": "main", "kind": "short"},
    {"id": "s2", "title": "Short two", "body": "main", "kind": "short"},
    {"id": "s3", "title": "Short three", "body": "main", "kind": "short"},
    {"id": "review", "title": "Review", "body": "main", "kind": "report", "minutes": 45},
]


def r6_agendas() -> Agendas:
    return {
        "main-2017-10-17": ["theme", "s1", "s2"],
        "main-2017-11-14": ["theme-two", "s3"],
        "main-2018-01-23": ["review"],
    }


def r6_check(agendas: Agendas, minutes_used: dict[str, int] | None = None) -> list[Breach]:
    programme = programme_with(*R6_ITEMS)
    return check(programme, plan_of(programme, agendas, minutes_used=minutes_used))


def test_r6_agendas_within_minutes_and_limits_is_clean() -> None:
    assert r6_check(r6_agendas()) == []


def test_r6_meeting_over_its_minutes() -> None:
    agendas = r6_agendas()
    agendas["main-2017-10-17"] += agendas.pop("main-2018-01-23")
    assert r6_check(agendas) == [
        breach("R6", "main-2017-10-17", "main-2017-10-17 uses 145 of 120 minutes", "capacity"),
    ]


def test_r6_meeting_over_a_kinds_limit() -> None:
    agendas = r6_agendas()
    agendas["main-2017-10-17"].append(agendas["main-2017-11-14"].pop())
    assert r6_check(agendas) == [breach(
        "R6", "main-2017-10-17", "main-2017-10-17 has 3 short items; the limit is 2", "capacity",
    )]


def test_r6_minutes_used_must_add_up() -> None:
    assert r6_check(r6_agendas(), {"main-2017-10-17": 90}) == [breach(
        "R6", "main-2017-10-17", "main-2017-10-17 states 90 minutes used; its agenda has 100",
        "capacity",
    )]


def test_r6_capacity_counts_the_items_own_minutes() -> None:
    agendas = r6_agendas()
    del agendas["main-2018-01-23"]
    agendas["main-2017-10-17"].append(E("review", minutes=5))
    assert r6_check(agendas) == breaches("R6", "capacity", [
        ("main-2017-10-17", "main-2017-10-17 uses 145 of 120 minutes"),
        ("review", "review at main-2017-10-17 states 5 minutes; it takes 45"),
    ])


# R7 rotation

SCRUTINY = {"id": "scrutiny", "title": "Scrutiny of a chief officer", "body": "main",
            "kind": "scrutiny", "rotation": {"dir-a": 2, "dir-b": 2, "dir-c": 1}}


def officer(person: str) -> E:
    return E("scrutiny", person, (person,))


def r7_agendas() -> Agendas:
    return {
        "main-2017-06-27": [officer("dir-a")], "main-2017-10-17": [officer("dir-b")],
        "main-2017-11-14": [officer("dir-c")], "main-2018-01-23": [officer("dir-a")],
        "main-2018-04-10": [officer("dir-b")],
    }


def r7_check(agendas: Agendas, item: dict[str, Any] = SCRUTINY) -> list[Breach]:
    programme = programme_with(item)
    return check(programme, plan_of(programme, agendas))


def test_r7_one_officer_a_meeting_each_their_times_is_clean() -> None:
    assert r7_check(r7_agendas()) == []


def test_r7_rotation_person_twice_at_one_meeting() -> None:
    agendas = r7_agendas()
    agendas["main-2017-06-27"].append(officer("dir-a"))
    assert r7_check(agendas) == [breach(
        "R7", "scrutiny@dir-a", "dir-a is at main-2017-06-27 2 times for scrutiny", "rotation",
    )]


def test_r7_meeting_with_no_rotation_person() -> None:
    agendas = r7_agendas()
    del agendas["main-2017-11-14"]
    assert r7_check(agendas) == breaches("R7", "rotation", [
        ("main-2017-11-14", "main-2017-11-14 scrutinises 0 of the scrutiny rotation; it needs exactly 1"),
        ("scrutiny@dir-c", "dir-c is at 0 meetings for scrutiny, not 1"),
    ])


def test_r7_rotation_person_more_often_than_their_times() -> None:
    agendas = r7_agendas()
    agendas["main-2017-11-14"] = [officer("dir-a")]
    assert r7_check(agendas) == breaches("R7", "rotation", [
        ("scrutiny@dir-a", "dir-a is at 3 meetings for scrutiny, not 2: "
         "main-2017-06-27, main-2017-11-14, main-2018-01-23"),
        ("scrutiny@dir-c", "dir-c is at 0 meetings for scrutiny, not 1"),
    ])


def test_r7_person_outside_the_rotation() -> None:
    agendas = r7_agendas()
    agendas["main-2017-11-14"] = [officer("witness")]
    assert r7_check(agendas) == breaches("R7", "rotation", [
        ("main-2017-11-14", "main-2017-11-14 scrutinises 0 of the scrutiny rotation; it needs exactly 1"),
        ("scrutiny@dir-c", "dir-c is at 0 meetings for scrutiny, not 1"),
        ("scrutiny@witness", "scrutiny at main-2017-11-14 names witness, not its rotation"),
    ])


def test_r7_short_rotation_needs_at_most_per_meeting() -> None:
    short = {**SCRUTINY, "rotation": {"dir-a": 1, "dir-b": 1}}
    agendas: Agendas = {"main-2017-06-27": [officer("dir-a")], "main-2018-04-10": [officer("dir-b")]}
    assert r7_check(agendas, short) == []
    agendas["main-2017-06-27"].append(agendas.pop("main-2018-04-10")[0])
    assert r7_check(agendas, short) == [breach(
        "R7", "main-2017-06-27",
        "main-2017-06-27 scrutinises 2 of the scrutiny rotation; it needs at most 1", "rotation",
    )]


# R8 people

R8_ITEMS: list[dict[str, Any]] = [
    {"id": "theme", "title": "Theme", "body": "main", "kind": "substantive",
     "witnesses": ["witness"], "presenters": ["dir-a"]},
    {"id": "budget", "title": "Budget", "body": "sub", "kind": "report", "presenters": ["dir-b"]},
    {"id": "savings", "title": "Savings", "body": "main", "kind": "short", "presenters": ["dir-b"]},
]
THEME = E("theme", people=("witness", "dir-a"))
SAVINGS = E("savings", people=("dir-b",))


def r8_agendas() -> Agendas:
    return {"main-2017-11-14": [THEME, SAVINGS], "sub-2018-01-23": [E("budget", people=("dir-b",))]}


def r8_check(agendas: Agendas) -> list[Breach]:
    programme = programme_with(*R8_ITEMS)
    return check(programme, plan_of(programme, agendas))


def test_r8_everyone_available_and_at_one_meeting_at_a_time_is_clean() -> None:
    assert r8_check(r8_agendas()) == []


def test_r8_witness_unavailable() -> None:
    agendas = r8_agendas()
    agendas["main-2018-01-23"] = [agendas["main-2017-11-14"].pop(0)]
    assert r8_check(agendas) == [breach(
        "R8", "theme",
        "witness is needed for theme at main-2018-01-23 but is unavailable on 2018-01-23",
        "people",
    )]


def test_r8_presenter_unavailable_within_a_range() -> None:
    agendas = r8_agendas()
    agendas["main-2017-10-17"] = [agendas["main-2017-11-14"].pop(0)]
    assert r8_check(agendas) == [breach(
        "R8", "theme",
        "dir-a is needed for theme at main-2017-10-17 but is unavailable on 2017-10-17", "people",
    )]


def test_r8_person_needed_at_overlapping_meetings_of_two_bodies() -> None:
    agendas = r8_agendas()
    agendas["main-2018-01-23"] = [agendas["main-2017-11-14"].pop()]
    assert r8_check(agendas) == [breach(
        "R8", "sub-2018-01-23",
        "dir-b is needed at sub-2018-01-23 (18:00-19:30) and at main-2018-01-23 (19:00-21:00) "
        "on 2018-01-23",
        "people",
    )]


def test_r8_meetings_that_only_touch_do_not_overlap() -> None:
    programme = programme_with(*R8_ITEMS, edit=lambda raw: raw["bodies"][1].update(minutes=60))
    agendas = r8_agendas()
    agendas["main-2018-01-23"] = [agendas["main-2017-11-14"].pop()]
    assert check_r8(programme, plan_of(programme, agendas)) == []


def test_r8_plan_that_leaves_out_a_witness() -> None:
    agendas = r8_agendas()
    agendas["main-2017-11-14"][0] = E("theme", people=("dir-a",))
    assert r8_check(agendas) == [
        breach("R8", "theme", "theme at main-2017-11-14 leaves out witness", "people"),
    ]


# R9 order

R9_ITEMS: list[dict[str, Any]] = [
    {"id": "theme", "title": "Theme", "body": "main", "kind": "substantive"},
    {"id": "session", "title": "Witness session", "body": "main", "kind": "witness-session",
     "minutes": 30, "with": "theme"},
    {"id": "follow-up", "title": "Follow-up", "body": "main", "kind": "short",
     "after": {"item": "theme", "gap_days": 28}},
    {"id": "after-exec", "title": "After the Executive", "body": "main", "kind": "short",
     "after": {"event": "exec"}},
    {"id": "after-inspection", "title": "After the inspection", "body": "main", "kind": "short",
     "after": {"event": "inspection"}},
]


def r9_agendas() -> Agendas:
    return {
        "main-2017-10-17": ["theme", "session"], "main-2017-11-14": ["follow-up"],
        "main-2018-04-10": ["after-exec"],
    }


def r9_check(agendas: Agendas, unplaced: Sequence[Spec] = ("after-inspection",)) -> list[Breach]:
    programme = programme_with(*R9_ITEMS)
    return check(programme, plan_of(programme, agendas, unplaced))


def test_r9_after_and_with_kept_is_clean() -> None:
    assert r9_check(r9_agendas()) == []


def test_r9_too_soon_after_the_other_item() -> None:
    agendas = r9_agendas()
    agendas["main-2017-10-17"] += agendas.pop("main-2017-11-14")
    assert r9_check(agendas) == [breach(
        "R9", "follow-up",
        "follow-up is at main-2017-10-17 (2017-10-17), before 2017-11-14, "
        "28 days after the last meeting of theme on 2017-10-17",
        "order",
    )]


def test_r9_with_partner_missing() -> None:
    agendas = r9_agendas()
    agendas["main-2017-11-14"].append(agendas["main-2017-10-17"].pop())
    assert r9_check(agendas) == breaches("R9", "order", [
        ("session", "session is at main-2017-11-14 without theme"),
        ("session", "theme is at main-2017-10-17 without session"),
    ])


def test_r9_before_the_event_it_follows() -> None:
    agendas = r9_agendas()
    agendas["main-2018-01-23"] = agendas.pop("main-2018-04-10")
    assert r9_check(agendas) == [breach(
        "R9", "after-exec",
        "after-exec is at main-2018-01-23 (2018-01-23), before 2018-02-07, "
        "0 days after exec on 2018-02-07",
        "order",
    )]


def test_r9_placed_after_an_undated_event() -> None:
    agendas = r9_agendas()
    agendas["main-2018-01-23"] = ["after-inspection"]
    assert r9_check(agendas, []) == [breach(
        "R9", "after-inspection",
        "after-inspection is placed but inspection has no date yet: it must stay unplaced", "order",
    )]


def test_r9_placed_after_an_unplaced_item() -> None:
    agendas = r9_agendas()
    del agendas["main-2017-10-17"]
    assert r9_check(agendas, ["theme", "session", "after-inspection"]) == [breach(
        "R9", "follow-up", "follow-up is placed but theme is unplaced: it must stay unplaced",
        "order",
    )]


# R10 frozen

R10_ITEMS: list[dict[str, Any]] = [
    {"id": item, "title": f"Update {item}", "body": "main", "kind": "short"} for item in "abc"
]
AS_OF = dt.date(2017, 11, 1)
REPORTS_DUE = {"main-2017-11-14": "2017-10-31", "main-2018-01-23": "2018-01-09",
               "main-2018-04-10": "2018-03-26"}


def r10_check(agendas: Agendas, *items: dict[str, Any]) -> list[Breach]:
    programme = programme_with(*R10_ITEMS, *items)
    previous = plan_of(programme, {"main-2017-06-27": ["a"], "main-2017-10-17": ["b"],
                                   "main-2018-01-23": ["c"]}, reports_due=REPORTS_DUE)
    plan = plan_of(programme, agendas, reports_due=REPORTS_DUE)
    return check(programme, plan, previous=previous, as_of=AS_OF)


def test_r10_moving_only_what_is_not_frozen_is_clean() -> None:
    agendas: Agendas = {"main-2017-06-27": ["a"], "main-2017-10-17": ["b"], "main-2018-04-10": ["c"]}
    assert r10_check(agendas) == []


def test_r10_frozen_meeting_changed() -> None:
    agendas: Agendas = {"main-2017-10-17": ["b"], "main-2018-01-23": ["c"], "main-2018-04-10": ["a"]}
    assert r10_check(agendas) == [breach(
        "R10", "main-2017-06-27",
        "main-2017-06-27 (2017-06-28) is frozen as of 2017-11-01 but its agenda changed: "
        "added nothing; removed a",
        "frozen",
    )]


def test_r10_new_item_at_a_meeting_whose_reports_were_due() -> None:
    agendas: Agendas = {"main-2017-06-27": ["a"], "main-2017-10-17": ["b"], "main-2017-11-14": ["c"]}
    assert r10_check(agendas) == [breach(
        "R10", "c", "c is new at main-2017-11-14, whose reports were due 2017-10-31", "frozen",
    )]


def test_r10_is_checked_only_when_re_planning() -> None:
    programme = programme_with(*R10_ITEMS)
    agendas: Agendas = {"main-2017-10-17": ["b"], "main-2017-11-14": ["a", "c"]}
    assert check(programme, plan_of(programme, agendas, reports_due=REPORTS_DUE)) == []


def test_r10_standing_items_may_join_a_meeting_whose_reports_were_due() -> None:
    programme = programme_with(
        {"id": "apologies", "title": "Apologies", "body": "main", "kind": "standing"},
    )
    previous = plan_of(programme, {}, reports_due=REPORTS_DUE)
    plan = plan_of(programme, {"main-2017-11-14": ["apologies"]}, reports_due=REPORTS_DUE)
    assert check_r10(programme, plan, previous, AS_OF) == []


def test_breaches_sorted_by_rule_number_then_subject() -> None:
    programme = programme_with(*R10_ITEMS)
    previous = plan_of(programme, {"main-2017-06-27": ["a"], "main-2017-10-17": ["b"],
                                   "main-2018-01-23": ["c"]}, reports_due=REPORTS_DUE)
    plan = plan_of(programme, {"main-2017-10-17": ["b"], "main-2017-11-14": ["c"]},
                   reports_due=REPORTS_DUE, minutes_used={"main-2018-04-10": 5})
    assert [(b.rule, b.subject) for b in check(programme, plan, previous=previous, as_of=AS_OF)] == [
        ("R1", "a"), ("R6", "main-2018-04-10"), ("R10", "c"), ("R10", "main-2017-06-27"),
    ]
