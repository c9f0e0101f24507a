"""What real programmes also say (DESIGN §4.6), as the outputs show it: deadlines, calendar feeds
and the work-programme document of a small programme with meetings whose day is not fixed, a
body that states no time or agenda minutes, an informal panel, council agenda headings, invited
people and organisations, item histories, a provisional placement at a dated meeting, visits,
and items carried forward or only suggested.

The plan is made by hand (the programme's meetings as `plan.meetings` gives them, agendas
written here): what is tested is what the outputs make of a plan, not where a solver puts things.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.dates.deadlines import dated_deadlines, programme_deadlines, statutory
from scheduler.dates.working_days import WorkingCalendar, meeting_deadlines
from scheduler.outputs.deadline_table import render_csv, render_json, render_table
from scheduler.outputs.document import document
from scheduler.outputs.exempt import EXEMPT
from scheduler.outputs.feeds import feeds
from scheduler.outputs.report import html, markdown, word
from scheduler.plan.meetings import bare_meetings
from scheduler.plan.model import AgendaEntry, Listed, Plan, SolveStatus
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from tests.docx_text import text as docx_text
from tests.feed_parsers import (
    events,
    every_reading,
    form_problems,
    text_of,
    unfolded,
    with_icalendar,
    with_vobject,
)

PROGRAMME: dict[str, Any] = {
    "id": "riverside",
    "council": "Riverside District Council",
    "title": "Riverside Scrutiny Work Programme 2024/25",
    "year": "2024-05-01..2025-04-30",
    "people": [
        {"id": "chair", "name": "Cllr Ann Chair"},
        {"id": "lee", "name": "Cllr Lee Member"},
        {"id": "lead", "name": "Cllr Pat Lead", "role": "Lead Member"},
        {
            "id": "dso",
            "name": "Dee Clerk",
            "role": "Democratic Services Officer",
            "email": "dee.clerk@example.org",
        },
        {"id": "off", "name": "Olu Officer", "role": "Director of Place"},
        {"id": "ana", "name": "Ana Analyst", "role": "Policy Officer"},
    ],
    "bodies": [
        {
            "id": "services",
            "name": "Services Select Committee",
            "chair": "chair",
            "clerk": "dso",
            "members": ["chair", "lee"],
            "venue": "Council Chamber",
            "start": "19:00",
            "minutes": 120,
            "meetings": [
                "2024-06-12",
                {"date": "2024-10-09", "status": "tentative"},
                {"id": "services-2025-01", "date": "2025-01", "status": "tentative"},
                {"id": "services-budget", "date": None, "status": "postponed"},
            ],
        },
        {  # states no time and no agenda minutes; kind other: not statutory
            "id": "forum",
            "name": "Community Forum",
            "kind": "other",
            "clerk": "dso",
            "members": ["lee"],
            "venue": "Riverside Library",
            "meetings": ["2024-07-10"],
        },
        {
            "id": "panel",
            "name": "Flood Review Panel",
            "kind": "other",
            "informal": True,
            "clerk": "dso",
            "members": ["lee"],
            "start": "10:00",
            "meetings": ["2024-09-03"],
        },
    ],
    "items": [
        {
            "id": "budget",
            "title": "Budget Monitoring",
            "body": "services",
            "kind": "short",
            "presenters": ["off"],
            "meeting": "2024-06-12",
            "history": [
                {
                    "date": "2023-11-14",
                    "change": "deferred",
                    "note": "Deferred from 14 November 2023 at the Chairman's request",
                },
                {"date": "2024-05-02", "change": "added"},
            ],
        },
        {
            "id": "apologies",
            "title": "Apologies for Absence",
            "body": "services",
            "kind": "standing",
            "minutes": 5,
        },
        {
            "id": "flood",
            "title": "Flood Risk Strategy",
            "body": "services",
            "kind": "short",
            "section": "Pre-decision scrutiny",
            "organisations": ["Southern Water", "Environment Agency"],
            "meeting": "2024-10-09",
        },
        {
            "id": "housing",
            "title": "Housing Repairs Performance",
            "body": "services",
            "kind": "short",
            "section": "Performance",
            "invitees": ["lead"],
            "meeting": "2024-10-09",
            "history": [
                {
                    "date": "2024-03-05",
                    "change": "moved",
                    "note": "Moved to make room for the Riverside Claim Settlement",
                }
            ],
        },
        {
            "id": "bins",
            "title": "Waste Collection Contract",
            "body": "services",
            "kind": "short",
            "section": "Pre-decision scrutiny",
            "meeting": "2024-10-09",
        },
        {
            "id": "claim",
            "title": "Riverside Claim Settlement",
            "body": "services",
            "kind": "short",
            "exempt": 5,
            "invitees": ["ana"],
            "organisations": ["Riverside Tenants Association"],
            "meeting": "2024-10-09",
            "history": [{"date": "2024-04-01", "change": "deferred", "note": "Awaiting counsel"}],
        },
        {
            "id": "water",
            "title": "Water Quality",
            "body": "services",
            "kind": "substantive",
            "section": "Pre-decision scrutiny",
            "invitees": ["lead"],
            "organisations": ["Southern Water", "Environment Agency"],
            "meeting": "services-2025-01",
        },
        {
            "id": "forum-update",
            "title": "Community Safety Update",
            "body": "forum",
            "kind": "short",
        },
        {
            "id": "later",
            "title": "Leisure Centre Review",
            "body": "services",
            "kind": "short",
            "deferred": "next-year",
        },
        {
            "id": "maybe",
            "title": "Town Centre Parking",
            "body": "services",
            "kind": "short",
            "suggested": True,
        },
    ],
    "events": [
        {
            "id": "visit-eco-park",
            "title": "Members' visit to the eco park",
            "date": "2024-09-14",
            "body": "services",
            "attendees": ["ana"],
        },
        {
            "id": "visit-barrier",
            "title": "Visit to the flood barrier",
            "date": "2025-02",
            "body": "services",
        },
        {
            "id": "panel-walk",
            "title": "Walk of the flood plain",
            "date": "2024-08-20",
            "body": "panel",
            "attendees": ["off"],
        },
    ],
}

#: meeting id -> its agenda: (item, kind, minutes, people, exempt, pinned, provisional)
AGENDAS: dict[str, list[tuple[str, str, int, list[str], bool, bool, bool]]] = {
    "services-2024-06-12": [("budget", "short", 20, ["off"], False, True, False)],
    "forum-2024-07-10": [("forum-update", "short", 20, [], False, False, False)],
    "services-2024-10-09": [
        ("apologies", "standing", 5, [], False, False, False),
        ("flood", "short", 20, [], False, True, False),
        ("housing", "short", 20, [], False, True, True),  # after an event known roughly
        ("bins", "short", 20, [], False, True, False),
        ("claim", "short", 20, [], True, True, False),
    ],
    "services-2025-01": [("water", "substantive", 60, [], False, True, False)],
}

ROUGH = "riverside.services-2025-01@scrutiny-scheduler"
UNKNOWN = "riverside.services-budget@scrutiny-scheduler"
OCTOBER = "riverside.services-2024-10-09@scrutiny-scheduler"
JUNE = "riverside.services-2024-06-12@scrutiny-scheduler"
FORUM = "riverside.forum-2024-07-10@scrutiny-scheduler"
PANEL = "riverside.panel-2024-09-03@scrutiny-scheduler"
VISIT = "riverside.visit-eco-park@scrutiny-scheduler"
WALK = "riverside.panel-walk@scrutiny-scheduler"


def _uid(meeting: str, suffix: str) -> str:
    return f"riverside.{meeting}{suffix}@scrutiny-scheduler"


@pytest.fixture(scope="module")
def riverside() -> Programme:
    """The programme, read as a clerk's file is (shapes, then cross-references)."""
    return parse_programme(yaml.safe_dump(PROGRAMME, sort_keys=False), "riverside.yaml")


@pytest.fixture(scope="module")
def plan(riverside: Programme) -> Plan:
    """The programme's meetings as a plan gives them, with the agendas above written in."""
    meetings = []
    for m in bare_meetings(riverside):
        agenda = [
            AgendaEntry(
                item=item,
                title=riverside.items_by_id[item].title,
                kind=kind,
                minutes=minutes,
                people=people,
                exempt=exempt,
                pinned=pinned,
                provisional=provisional or m.date is None,
            )
            for item, kind, minutes, people, exempt, pinned, provisional in AGENDAS.get(m.id, [])
        ]
        used = sum(a.minutes for a in agenda)
        meetings.append(m.model_copy(update={"agenda": agenda, "minutes_used": used}))
    return Plan(
        programme=riverside.id,
        status=SolveStatus.OPTIMAL,
        meetings=meetings,
        carried_forward=[
            Listed(item="later", title="Leisure Centre Review", text="Deferred to next year")
        ],
        suggested=[Listed(item="maybe", title="Town Centre Parking", text="If required")],
    )


@pytest.fixture(scope="module")
def built(riverside: Programme, plan: Plan) -> dict[str, bytes]:
    return feeds(riverside, plan)


# --- deadlines ----------------------------------------------------------------------------------


def test_the_plan_keeps_no_deadlines_for_a_meeting_without_a_day(plan: Plan) -> None:
    by_id = {m.id: m for m in plan.meetings}
    assert by_id["services-2025-01"].date is None and by_id["services-2025-01"].deadlines is None
    assert by_id["services-budget"].deadlines is None
    assert by_id["forum-2024-07-10"].start is None  # no invented 19:00


def test_deadlines_wait_for_the_day_and_only_statutory_meetings_have_questions(
    riverside: Programme,
) -> None:
    rows = {r.meeting.key: r for r in programme_deadlines(riverside)}
    assert rows["services-2025-01"].deadlines is None
    assert rows["services-budget"].deadlines is None
    june = rows["services-2024-06-12"].deadlines
    assert june is not None and june.public_questions and june.preparation
    # Wednesday 12 June 2024: agenda out Tuesday 4 June, reports due Wednesday 29 May.
    assert (june.agenda_publication, june.reports_due) == (
        dt.date(2024, 6, 4),
        dt.date(2024, 5, 29),
    )
    forum = rows["forum-2024-07-10"].deadlines  # kind other, no time: publication and reports
    assert forum is not None
    assert forum.agenda_publication == dt.date(2024, 7, 2) and forum.reports_due
    assert forum.public_questions is None and forum.preparation is None
    panel = rows["panel-2024-09-03"].deadlines  # informal: reports due only
    # Ten working days before Tuesday 3 September 2024, Monday 26 August a bank holiday.
    assert panel is not None and panel.reports_due == dt.date(2024, 8, 19)
    assert (panel.agenda_publication, panel.public_questions, panel.preparation) == (None,) * 3
    body = riverside.bodies_by_id["services"]
    assert dated_deadlines(riverside, body, body.meetings[2]) is None
    assert [statutory(b, b.start) for b in riverside.bodies] == [True, False, False]


def test_a_committee_that_states_no_start_has_no_questions_or_preparation() -> None:
    calendar = WorkingCalendar("england")
    common: dict[str, Any] = {
        "clear_days": 5,
        "reports_due_working_days": 10,
        "questions_working_days": 4,
        "preparation_minutes": 30,
    }
    untimed = meeting_deadlines(calendar, dt.date(2017, 6, 28), None, "Europe/London", **common)
    assert untimed.agenda_publication == dt.date(2017, 6, 20)
    assert untimed.reports_due == dt.date(2017, 6, 14)
    assert (untimed.public_questions, untimed.preparation) == (None, None)
    other = meeting_deadlines(
        calendar, dt.date(2017, 6, 28), dt.time(19), "Europe/London", statutory=False, **common
    )
    assert other.agenda_publication == dt.date(2017, 6, 20)
    assert (other.public_questions, other.preparation) == (None, None)


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_the_deadline_table_says_date_to_be_fixed_and_invents_no_start(
    riverside: Programme,
) -> None:
    lines = render_table(programme_deadlines(riverside)).splitlines()
    rows = {_cells(line)[0]: _cells(line) for line in lines[2:]}
    assert rows["Wed 12 Jun 2024"] == [
        "Wed 12 Jun 2024", "19:00", "services", "scheduled", "Tue 04 Jun 2024",
        "Wed 29 May 2024", "Thu 06 Jun 2024",
    ]  # fmt: skip
    assert rows["Wed 10 Jul 2024"] == [
        "Wed 10 Jul 2024", "-", "forum", "scheduled", "Tue 02 Jul 2024", "Wed 26 Jun 2024", "-",
    ]  # fmt: skip
    assert rows["January 2025, date to be fixed"] == [
        "January 2025, date to be fixed", "19:00", "services", "tentative", "-", "-", "-",
    ]  # fmt: skip
    assert rows["date to be fixed"] == [
        "date to be fixed", "19:00", "services", "postponed", "-", "-", "-",
    ]  # fmt: skip


def test_deadline_json_and_csv_leave_the_cells_of_a_meeting_without_a_day_empty(
    riverside: Programme,
) -> None:
    rows = programme_deadlines(riverside)
    found = {r["meeting"]: r for r in json.loads(render_json(rows))}
    assert found["services-2025-01"] == {
        "meeting": "services-2025-01",
        "body": "services",
        "date": "",
        "when": "2025-01",
        "start": "19:00",
        "status": "tentative",
        "agenda_publication": "",
        "reports_due": "",
        "public_questions": "",
        "preparation": "",
    }
    assert (found["services-budget"]["date"], found["services-budget"]["when"]) == ("", "")
    assert found["forum-2024-07-10"] == {
        "meeting": "forum-2024-07-10",
        "body": "forum",
        "date": "2024-07-10",
        "when": "",
        "start": "",
        "status": "scheduled",
        "agenda_publication": "2024-07-02",
        "reports_due": "2024-06-26",
        "public_questions": "",
        "preparation": "",
    }
    from_csv = {r["meeting"]: r for r in csv.DictReader(io.StringIO(render_csv(rows)))}
    assert from_csv == found


# --- feeds --------------------------------------------------------------------------------------


def test_no_event_for_a_meeting_until_its_day_is_fixed(built: dict[str, bytes]) -> None:
    for name, data in built.items():
        uids = set(events(data))
        assert not any(u.startswith(("riverside.services-2025-01", "riverside.services-budget"))
                       for u in uids), name  # fmt: skip
        assert "Water Quality" not in text_of(data), name
        assert form_problems(data) == [], name


def test_a_tentative_meeting_with_a_day_is_tentative(built: dict[str, bytes]) -> None:
    october = events(built["public/services.ics"])[OCTOBER]
    assert october["STATUS"] == "TENTATIVE"
    assert october["SUMMARY"] == "Provisional: Services Select Committee"


def test_a_body_with_no_time_has_an_all_day_meeting(built: dict[str, bytes]) -> None:
    lines = unfolded(built["public/forum.ics"])
    assert "DTSTART;VALUE=DATE:20240710" in lines and "DTEND;VALUE=DATE:20240711" in lines
    assert "BEGIN:VTIMEZONE" not in lines  # nothing in it is timed
    forum = events(built["public/forum.ics"])[FORUM]
    assert forum["LOCATION"] == "Riverside Library"
    description = text_of(built["public/forum.ics"]).split("BEGIN:VEVENT")[1]
    assert (
        "Community Forum\nWednesday 10 July 2024, time to be confirmed\nRiverside Library\n"
    ) in description
    assert "19:00" not in description and "minutes" not in description
    assert with_icalendar(built["public/forum.ics"])[FORUM] == "2024-07-10"
    assert with_vobject(built["public/forum.ics"])[FORUM] == "2024-07-10"


def test_no_questions_or_preparation_for_a_body_that_is_not_statutory(
    built: dict[str, bytes],
) -> None:
    clerk = set(events(built["clerk.ics"]))
    assert _uid("forum-2024-07-10", ".agenda") in clerk  # publication stays for every formal body
    assert _uid("forum-2024-07-10", ".questions") not in clerk
    assert _uid("forum-2024-07-10", ".preparation") not in clerk
    assert not {u for u in clerk if u.startswith("riverside.panel-2024-09-03.")}
    assert {_uid("services-2024-06-12", s) for s in (".questions", ".preparation")} <= clerk
    assert _uid("forum-2024-07-10", ".preparation") not in set(events(built["people/lee.ics"]))
    june = text_of(built["public/forum.ics"])
    assert "Public questions" not in june


def test_invitees_get_the_meeting_and_read_that_they_are_invited(built: dict[str, bytes]) -> None:
    mine = events(built["people/lead.ics"])
    assert set(mine) == {OCTOBER}  # invited to an item there; no deadlines, no preparation
    october = text_of(built["people/lead.ics"])
    assert "4. Housing Repairs Performance (with you invited) (provisional)" in october
    public = text_of(built["public/services.ics"])
    assert "4. Housing Repairs Performance (with Cllr Pat Lead invited) (provisional)" in public
    assert "2. Flood Risk Strategy (with Southern Water and Environment Agency invited)" in public


def test_the_description_goes_by_the_councils_headings(built: dict[str, bytes]) -> None:
    october = text_of(built["public/services.ics"]).split("BEGIN:VEVENT")[2]
    when = "Wednesday 9 October 2024, 19:00 to 21:00\n"
    agenda = october[october.index(when) : october.index("\n\nAgenda published")]
    assert agenda.split("\n") == [
        "Wednesday 9 October 2024, 19:00 to 21:00",
        "Council Chamber",
        "",
        "1. Apologies for Absence",
        "",
        "Pre-decision scrutiny",
        "2. Flood Risk Strategy (with Southern Water and Environment Agency invited)",
        "3. Waste Collection Contract",
        "",
        "Performance",
        "4. Housing Repairs Performance (with Cllr Pat Lead invited) (provisional)",
        "",
        "Part 2 (exempt): press and public excluded",
        f"5. {EXEMPT}",
    ]


def test_an_exempt_item_reaches_those_invited_to_it_and_no_public_feed(
    built: dict[str, bytes],
) -> None:
    for name in ("public/services.ics", "public/forum.ics"):
        shown = text_of(built[name])
        assert "Riverside Claim" not in shown and "Ana Analyst" not in shown, name
        assert "Riverside Tenants Association" not in shown, name
    analyst = text_of(built["people/ana.ics"])
    assert "5. Riverside Claim Settlement (with you and Riverside Tenants Association invited)" in (
        analyst
    )


def test_a_visit_is_an_all_day_event_for_the_bodys_members_and_its_attendees(
    built: dict[str, bytes],
) -> None:
    holders = {name for name, data in built.items() if VISIT in events(data)}
    assert holders == {
        "people/chair.ics", "people/lee.ics", "people/dso.ics", "people/ana.ics", "clerk.ics",
    }  # fmt: skip
    visit = events(built["people/ana.ics"])[VISIT]
    assert visit["SUMMARY"] == "Services Select Committee: Members' visit to the eco park"
    assert visit["STATUS"] == "CONFIRMED"
    assert "DTSTART;VALUE=DATE:20240914" in unfolded(built["people/ana.ics"])
    assert "DTEND;VALUE=DATE:20240915" in unfolded(built["people/ana.ics"])
    assert (
        "Members' visit to the eco park\nServices Select Committee\nSaturday 14 September 2024\n"
        "Also attending: Ana Analyst\n\nContact: Dee Clerk, dee.clerk@example.org"
    ) in text_of(built["people/ana.ics"])
    # An informal body's visit: its members and attendees only, never a public feed.
    walk = {name for name, data in built.items() if WALK in events(data)}
    assert walk == {"people/lee.ics", "people/dso.ics", "people/off.ics", "clerk.ics"}
    assert "public/panel.ics" not in built
    # A visit known only roughly is in no feed yet.
    assert not any("visit-barrier" in data.decode() for data in built.values())


def test_every_parser_reads_the_all_day_events_alike(
    tmp_path: Path, built: dict[str, bytes]
) -> None:
    for name, data in built.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    files = [tmp_path / n for n in ("public/forum.ics", "people/lee.ics", "people/ana.ics")]
    readings = every_reading(files)
    for path, by_parser in readings.items():
        first = by_parser["icalendar"]
        assert all(starts == first for starts in by_parser.values()), path.name
    lee = readings[tmp_path / "people/lee.ics"]["icalendar"]
    assert lee[FORUM] == "2024-07-10" and lee[VISIT] == "2024-09-14" and lee[WALK] == "2024-08-20"
    assert lee[JUNE] == "2024-06-12T18:00:00Z"  # 19:00 BST
    assert lee[PANEL] == "2024-09-03T09:00:00Z"


def test_feeds_are_the_same_bytes_for_the_same_plan(riverside: Programme, plan: Plan) -> None:
    assert feeds(riverside, plan) == feeds(riverside, plan)


def test_a_meeting_that_loses_its_day_stays_in_the_feeds_as_postponed(
    riverside: Programme, plan: Plan
) -> None:
    """Published on Tuesday 14 January 2025, then back to "January 2025": everyone who had it
    sees it postponed (CANCELLED at its old day, SEQUENCE raised), never just dropped."""
    data = json.loads(json.dumps(PROGRAMME))
    data["bodies"][0]["meetings"][2] = {"id": "services-2025-01", "date": "2025-01-14"}
    dated = parse_programme(yaml.safe_dump(data, sort_keys=False), "dated.yaml")
    before = plan.model_copy(
        update={
            "meetings": [
                m.model_copy(
                    update={"date": dt.date(2025, 1, 14), "when": None, "status": "scheduled"}
                )
                if m.id == "services-2025-01"
                else m
                for m in plan.meetings
            ]
        }
    )
    first = feeds(dated, before)
    assert events(first["people/lead.ics"])[ROUGH]["STATUS"] == "CONFIRMED"
    later = feeds(riverside, plan, previous=before)
    for name in ("public/services.ics", "people/lead.ics", "clerk.ics"):
        event = events(later[name])[ROUGH]
        assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == "1", name
        assert event["SUMMARY"] == "Postponed: Services Select Committee", name
        assert event["DTSTART"] == "20250114T190000", name
    assert "This meeting is postponed: January 2025, date to be fixed." in text_of(
        later["public/services.ics"]
    )


# --- the document -------------------------------------------------------------------------------


def _formats(p: Programme, plan: Plan, audience: str) -> dict[str, str]:
    return {
        "md": markdown(p, plan, audience).replace("\\", ""),  # type: ignore[arg-type]
        "html": html(p, plan, audience).replace("&#39;", "'"),  # type: ignore[arg-type]
        "docx": docx_text(word(p, plan, audience)),  # type: ignore[arg-type]
    }


def test_the_markdown_of_a_meeting_without_a_day(riverside: Programme, plan: Plan) -> None:
    shown = markdown(riverside, plan, "public")
    assert (
        "## Services Select Committee, January 2025, date to be fixed (provisional)\n\n"
        "| Item | Status |\n"
        "|---|---|\n"
        "| **Pre-decision scrutiny** | |\n"
        "| Water Quality (provisional)<br>Also invited: Cllr Pat Lead (Lead Member)"
        "<br>Organisations invited: Southern Water and Environment Agency | Substantive Item |\n"
        "\n## "  # no agenda time for the public: the clerk's working (issue 22)
    ) in shown
    assert "## Services Select Committee, date to be fixed (postponed)\n" in shown


def test_the_markdown_of_a_dated_meeting_with_headings_history_and_part_2(
    riverside: Programme, plan: Plan
) -> None:
    public, clerk = markdown(riverside, plan, "public"), markdown(riverside, plan, "clerk")
    assert (
        "## Services Select Committee: 9 October 2024 (provisional)\n\n"
        "Agenda published Tuesday 1 October 2024; "  # the officers' reports due: the clerk's
        "Public questions by 17:00 on Thursday 3 October 2024.\n\n"
        "| Item | Status |\n"
        "|---|---|\n"
        "| Apologies for Absence | Standing Item |\n"
        "| **Pre-decision scrutiny** | |\n"
        "| Flood Risk Strategy<br>Organisations invited: Southern Water and Environment Agency"
        " | Short Item |\n"
        "| Waste Collection Contract | Short Item |\n"
        "| **Performance** | |\n"
        "| Housing Repairs Performance (provisional)<br>Also invited: Cllr Pat Lead (Lead Member)"
        "<br>5 March 2024: Moved | Short Item |\n"
        "| **Part 2 (exempt): press and public excluded** | |\n"
        f"| {EXEMPT} | Short Item (Part 2) |\n"
        "\n## "  # no agenda time for the public: the clerk's working (issue 22)
    ) in public
    assert "\n85 of 120 minutes.\n" in clerk
    assert (
        "| Housing Repairs Performance (provisional)<br>Also invited: Cllr Pat Lead (Lead Member)"
        "<br>5 March 2024: Moved to make room for the Riverside Claim Settlement | Short Item |\n"
    ) in clerk
    assert (
        "| Riverside Claim Settlement<br>Also invited: Ana Analyst (Policy Officer)"
        "<br>Organisations invited: Riverside Tenants Association"
        "<br>1 April 2024: Awaiting counsel | Short Item (Part 2, exempt) |\n"
    ) in clerk
    assert (
        "| Budget Monitoring<br>14 November 2023: Deferred from 14 November 2023 at the "
        "Chairman's request<br>2 May 2024: Added | Short Item |\n"
    ) in public


def test_no_minutes_available_where_the_body_states_none(riverside: Programme, plan: Plan) -> None:
    shown = markdown(riverside, plan, "clerk")
    forum = shown[shown.index("## Community Forum") : shown.index("## Flood Review Panel")]
    assert "\n20 minutes.\n" in forum and " of " not in forum
    assert "Public questions" not in forum
    assert "20 of 120 minutes." in shown
    doc = document(riverside, plan, "clerk")
    sitting = next(s for s in doc.sittings if s.body_id == "forum")
    assert (sitting.available, sitting.time, sitting.minutes) == (None, "", "20 minutes")
    june = next(s for s in doc.sittings if s.meeting == "services-2024-06-12")
    assert (june.available, june.time) == (120, "19:00-21:00")


def test_lists_of_carried_forward_suggested_and_visits(riverside: Programme, plan: Plan) -> None:
    public, clerk = markdown(riverside, plan, "public"), markdown(riverside, plan, "clerk")
    visits = (
        "## Visits and events\n\n"
        "### Services Select Committee\n\n"
        "| Event | Date | Also attending |\n"
        "|---|---|---|\n"
        "| Members' visit to the eco park | Saturday 14 September 2024 | "
        "Ana Analyst (Policy Officer) |\n"
        "| Visit to the flood barrier | February 2025, date to be fixed |  |\n"
    )
    assert visits in public
    assert "Walk of the flood plain" not in public and "Flood Review Panel" not in public
    assert (
        "### Flood Review Panel\n\n| Event | Date | Also attending |\n|---|---|---|\n"
        "| Walk of the flood plain | Tuesday 20 August 2024 | Olu Officer (Director of Place) |\n"
    ) in clerk
    assert (
        "## Carried forward to next year\n\n| Item | Body | Note |\n|---|---|---|\n"
        "| Leisure Centre Review | Services Select Committee | Deferred to next year |\n"
    ) in public
    assert (
        "## Suggested topics (if required)\n\n| Item | Body | Note |\n|---|---|---|\n"
        "| Town Centre Parking | Services Select Committee | If required |\n"
    ) in public
    assert "## Not placed" not in public  # listed apart: nothing went wrong with them


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_every_format_says_the_same(riverside: Programme, plan: Plan, fmt: str) -> None:
    public = _formats(riverside, plan, "public")[fmt]
    for needle in (
        "Services Select Committee, January 2025, date to be fixed",
        "Services Select Committee, date to be fixed",
        "Water Quality (provisional)",
        "Housing Repairs Performance (provisional)",
        "Also invited: Cllr Pat Lead (Lead Member)",
        "Organisations invited: Southern Water and Environment Agency",
        "14 November 2023: Deferred from 14 November 2023 at the Chairman's request",
        "Pre-decision scrutiny",
        "Performance",
        "Visits and events",
        "Members' visit to the eco park",
        "February 2025, date to be fixed",
        "Carried forward to next year",
        "Leisure Centre Review",
        "Suggested topics (if required)",
        "Town Centre Parking",
        EXEMPT,
    ):
        assert needle in public, f"{fmt}: {needle}"
    for secret in (
        "Riverside Claim",
        "Awaiting counsel",
        "Also invited: Ana Analyst",  # to the exempt item (her visit is public)
        "Riverside Tenants Association",
        "services-2025-01",
        "services-budget",
        "R1",
    ):
        assert secret not in public, f"{fmt}: {secret}"
    assert "of 0 minutes" not in public and "of None" not in public
    clerk = _formats(riverside, plan, "clerk")[fmt]
    for needle in ("Riverside Claim Settlement", "Awaiting counsel", "Walk of the flood plain"):
        assert needle in clerk, f"{fmt}: {needle}"


def test_the_word_table_heads_a_council_heading_and_puts_notes_under_the_item(
    riverside: Programme, plan: Plan
) -> None:
    lines = docx_text(word(riverside, plan, "public")).split("\n")
    start = lines.index("| Services Select Committee: 9 October 2024 (provisional)")
    assert lines[start + 1 : start + 8] == [
        "Agenda published Tuesday 1 October 2024; "
        "Public questions by 17:00 on Thursday 3 October 2024 |",
        "| Apologies for Absence | Standing Item |",
        "| Pre-decision scrutiny |",
        "| Flood Risk Strategy",
        "Organisations invited: Southern Water and Environment Agency | Short Item |",
        "| Waste Collection Contract | Short Item |",
        "| Performance |",
    ]
