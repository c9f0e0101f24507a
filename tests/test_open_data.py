"""The plan handed to other systems (issue 24, "Open data out"): Open Civic Data events and a
Popolo organisation list for anyone, each meeting's agenda as CSV for the clerk to take into
Modern.gov; `scrutiny export`.

On Bromley 2017/18 as filed, and on copies edited for what Bromley does not have: the 28 June
2017 substantive item made exempt (Part 2, paragraph 3: its witness session, which goes `with`
it, is then exempt too), SACRE informal and the Sub-Committee's 28 March 2018 meeting
provisional; the 17 October 2017 meeting cancelled; the 23 January 2018 meeting moved to the
24th. The events and organisations are validated against the published schemas kept in
tests/data/ocd and tests/data/popolo (see their READMEs).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import icalendar
import jsonschema
import pytest
from jsonschema import Draft3Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT3

from scheduler.cli import main
from scheduler.cli.exports import WRITERS
from scheduler.outputs.agenda_csv import COLUMNS, agenda_csv
from scheduler.outputs.feeds import feeds
from scheduler.outputs.formats import EXPORT_FORMATS
from scheduler.outputs.open_data import NAMESPACE, as_json, ocd_events, popolo
from scheduler.outputs.publish import publish
from scheduler.plan.model import Plan
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, DATA, bromley_october_cancelled

SELECT = "Education, Children & Families Select Committee"
EXEMPT = "Exempt item (Part 2)"
PART_2 = "Part 2 (exempt): press and public excluded"
LANDSCAPE = (
    "Children's Services Landscape in Bromley - Child Protection, Children Looked After & "
    "Children in Need"
)
#: Report authors as the file names them: name, role.
DCE = "Ade Adetosoye OBE, Deputy Chief Executive and Executive Director (ECHS)"
DCSC = "Janet Bailey, Interim Director: Children's Social Care"
#: The Select Committee's eight standing items, in the file's order (data/bromley-ecf-2017-18.yaml).
STANDING = [
    "Apologies for Absence and Notification of Substitute Members",
    "Declarations of Interest",
    "Minutes and Matters Outstanding",
    "Questions to the Select Committee Chairman from Members of the Public and Councillors "
    "Attending the Meeting",
    "Questions to the Portfolio Holder from Members of the Public and Councillors Attending the "
    "Meeting",
    "Education, Children & Families Select Committee Work Programme",
    "Portfolio Holder Update and Scrutiny of the Portfolio Holder",
    "Progress in Implementing Children's Service Action Plan",
]


def edited(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def secret_bromley() -> str:
    return edited(
        BROMLEY.read_text(),
        ("    presenters: [dce, dcsc]  # contact", "    exempt: 3\n    presenters: [dce, dcsc]  #"),
        ("    name: SACRE\n", "    name: SACRE\n    informal: true\n"),
        ("      - 2018-03-28 ", "      - {date: 2018-03-28, status: tentative} "),
    )


def moved_bromley() -> str:
    return edited(
        BROMLEY.read_text(),
        ("      - 2018-01-23 ", "      - {date: 2018-01-24, moved_from: 2018-01-23} "),
    )


def numbered_bromley() -> str:
    """Bromley with its Modern.gov site, and one meeting's number there."""
    return edited(
        BROMLEY.read_text(),
        ("\ncouncil: ", "\nmoderngov: https://democracy.bromley.gov.uk\ncouncil: "),
        ("      - 2017-10-17 ", "      - {date: 2017-10-17, moderngov: 302} "),
    )


@cache
def solved(name: str) -> tuple[Programme, Plan]:
    texts = {
        "numbered": numbered_bromley,
        "bromley": BROMLEY.read_text,
        "secret": secret_bromley,
        "cancelled": bromley_october_cancelled,
        "moved": moved_bromley,
    }
    p = parse_programme(texts[name](), f"{name}.yaml")
    plan = solve(p)
    assert plan.status.found
    return p, plan


def events_of(name: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads(as_json(ocd_events(*solved(name))))
    return events


def on(events: list[dict[str, Any]], body: str, day: str) -> dict[str, Any]:
    (found,) = [e for e in events if e["extras"]["body"] == body and e["start_date"][:10] == day]
    return found


# --- the published schemas -------------------------------------------------------------------


def ocd_validator() -> Draft3Validator:
    """pupa's own validation: draft 3, with its `datetime` and `date` types (Python objects: no
    JSON value is one) and its `uri` format (a URL beginning http://, https:// or ftp://)."""
    types = Draft3Validator.TYPE_CHECKER.redefine_many(
        {
            "datetime": lambda _, v: isinstance(v, dt.date),
            "date": lambda _, v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
        }
    )
    formats = FormatChecker()
    formats.checks("uri")(lambda v: str(v).startswith(("http://", "https://", "ftp://")))
    validator = jsonschema.validators.extend(Draft3Validator, type_checker=types)
    schema = json.loads((DATA / "ocd" / "event.json").read_text())
    return validator(schema, format_checker=formats)


def popolo_validators() -> dict[str, Draft3Validator]:
    schemas = {p.stem: json.loads(p.read_text()) for p in (DATA / "popolo").glob("*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (s["id"], DRAFT3.create_resource(s)) for s in schemas.values()
    )
    return {
        kind: Draft3Validator(schemas[kind], registry=registry, format_checker=FormatChecker())
        for kind in ("organization", "person")
    }


def errors(validator: Draft3Validator, instance: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


@pytest.mark.parametrize("name", ["bromley", "secret", "cancelled"])
def test_every_event_is_valid_against_the_ocd_event_schema(name: str) -> None:
    validator = ocd_validator()
    events = ocd_events(*solved(name), source="https://democracy.example.gov.uk/public/bromley")
    assert events
    assert [(e["id"], errors(validator, e)) for e in events if errors(validator, e)] == []


def test_the_ocd_schema_refuses_what_it_should() -> None:
    """The schema kept is the one that checks: our statuses and dates as clerks write them are
    not OCD's."""
    event = events_of("bromley")[0]
    wrong = {**event, "status": "scheduled", "start_date": "28/06/2017"}
    found = errors(ocd_validator(), wrong)
    assert len(found) == 2 and any("'scheduled' is not one of" in e for e in found)


def test_organisations_and_people_are_valid_popolo() -> None:
    validators = popolo_validators()
    for name in ("bromley", "secret"):
        data = popolo(solved(name)[0])
        for org in data["organizations"]:
            assert errors(validators["organization"], org) == []
        for person in data["persons"]:
            assert errors(validators["person"], person) == []
    broken = {"id": "x", "identifiers": [{"scheme": "x"}], "memberships": [{"role": 3}]}
    assert len(errors(validators["organization"], broken)) == 2


# --- events: what the public reads ---------------------------------------------------------


def test_one_event_per_meeting_in_date_order() -> None:
    events = events_of("bromley")
    assert len(events) == 14  # 4 + 4 + 4 + 2 meetings in the file
    starts = [(e["start_date"][:10], e["extras"]["meeting"]) for e in events]
    assert starts == sorted(starts)
    assert starts[:3] == [
        ("2017-06-28", "select-2017-06-27"),
        ("2017-06-29", "schools-forum-2017-06-29"),
        ("2017-07-12", "sacre-2017-07-12"),
    ]


def test_a_meeting_has_its_times_zone_venue_and_status() -> None:
    first = on(events_of("bromley"), "select", "2017-06-28")
    assert first["name"] == SELECT
    assert first["start_date"] == "2017-06-28T19:00:00+01:00"  # 19:00 British Summer Time
    assert first["end_date"] == "2017-06-28T21:30:00+01:00"  # 150 minutes
    assert first["timezone"] == "Europe/London" and first["all_day"] is False
    assert first["location"]["name"] == "Committee Rooms, Bromley Civic Centre"
    assert first["status"] == "confirmed"
    january = on(events_of("bromley"), "select", "2018-01-23")
    assert january["start_date"] == "2018-01-23T19:00:00+00:00"  # Greenwich Mean Time


def test_a_body_that_states_no_time_meets_all_day_without_a_venue() -> None:
    forum = on(events_of("bromley"), "schools-forum", "2017-06-29")
    assert (forum["start_date"], forum["all_day"]) == ("2017-06-29", True)
    assert "end_date" not in forum and "location" not in forum
    assert "time to be confirmed" in forum["description"]


def test_the_agenda_is_in_order_with_the_titles_the_file_gives() -> None:
    january = on(events_of("bromley"), "select", "2018-01-23")
    assert [a["description"] for a in january["agenda"]] == [
        *STANDING,
        "Scrutiny of a Chief Officer: Jane Bailey, Director: Education",
        "Follow Up on Under Performing Pupils",
        "Troubled Families/Early Intervention/Child Poverty",
    ]
    assert [a["order"] for a in january["agenda"]] == [str(n) for n in range(1, 12)]
    assert january["agenda"][9]["classification"] == ["Short items"]
    scrutiny = january["agenda"][8]["related_entities"]
    assert [(e["name"], e["note"]) for e in scrutiny] == [("Jane Bailey", "officer scrutinised")]


def test_the_agenda_is_numbered_as_the_public_calendar_numbers_it() -> None:
    p, plan = solved("secret")
    events = [e for e in ocd_events(p, plan) if e["extras"]["body"] == "select"]
    calendar = icalendar.Calendar.from_ical(feeds(p, plan)["public/select.ics"])
    lines = {
        str(e["UID"]): re.findall(r"^(\d+)\. (.*)$", str(e["DESCRIPTION"]), re.M)
        for e in calendar.walk("VEVENT")
    }
    for event in events:
        numbered = lines[event["extras"]["calendar_uid"]]
        assert len(numbered) == len(event["agenda"]) > 0
        for (number, line), item in zip(numbered, event["agenda"], strict=True):
            assert item["order"] == number and line.startswith(item["description"])


def test_an_exempt_item_shows_only_as_exempt_with_nobody_named() -> None:
    events = events_of("secret")
    june = on(events, "select", "2017-06-28")
    last = june["agenda"][-2:]  # Part 2 comes last: the item and its witness session
    assert [a["description"] for a in last] == [EXEMPT, EXEMPT]
    assert all(a["classification"] == [PART_2] and a["related_entities"] == [] for a in last)
    assert all(a["extras"]["part_2"] for a in last)
    text = json.dumps(events, ensure_ascii=False)
    for secret in ("Children's Services Landscape", "Jim Gamble", "Isobel Cattermole", "landscape"):
        assert secret not in text
    names = [p["name"] for p in june["participants"]]
    assert names[:3] == [SELECT, "Councillor Nicholas Bennett J.P.", "Councillor Neil Reddin FCCA"]
    assert "Jim Gamble QPM" not in names


def test_an_informal_body_is_in_no_open_data() -> None:
    p, plan = solved("secret")
    text = as_json(ocd_events(p, plan)).decode() + as_json(popolo(p)).decode()
    assert "SACRE" not in text and "sacre" not in text
    assert [o["name"] for o in popolo(p)["organizations"]] == [
        SELECT,
        "Education, Children & Families Budget & Performance Monitoring Sub-Committee",
        "Schools' Forum",
    ]


def test_statuses_are_ocds() -> None:
    assert on(events_of("secret"), "bpm", "2018-03-28")["status"] == "tentative"
    october = on(events_of("cancelled"), "select", "2017-10-17")
    assert (october["status"], october["agenda"]) == ("cancelled", [])
    assert "This meeting is cancelled." in october["description"]
    assert "Agenda published" not in october["description"]


def test_meetings_before_the_publication_have_passed() -> None:
    p, plan = solved("bromley")
    published = publish(p, plan, at=dt.datetime(2017, 10, 2, 9, 0, tzinfo=dt.UTC))
    status = {e["extras"]["meeting"]: e["status"] for e in ocd_events(p, published)}
    assert status["bpm-2017-09-26"] == "passed" and status["select-2017-06-27"] == "passed"
    assert status["select-2017-10-17"] == "confirmed"
    assert {e["updated_at"] for e in ocd_events(p, published)} == {"2017-10-02T09:00:00+00:00"}
    unpublished = ocd_events(p, plan)  # nothing is known to have passed; no update time
    assert "passed" not in {e["status"] for e in unpublished}
    assert not [e for e in unpublished if "updated_at" in e]


def test_an_event_id_is_a_uuid5_of_the_meetings_calendar_uid() -> None:
    p, plan = solved("bromley")
    calendar = icalendar.Calendar.from_ical(feeds(p, plan)["public/select.ics"])
    starts = {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    june = on(ocd_events(p, plan), "select", "2017-06-28")
    (uid,) = [u for u, start in starts.items() if start.date() == dt.date(2017, 6, 28)]
    assert june["extras"]["calendar_uid"] == uid
    assert june["id"] == f"ocd-event/{uuid.uuid5(NAMESPACE, uid)}"


def test_a_meeting_numbered_in_moderngov_links_to_its_page_there() -> None:
    events = events_of("numbered")
    october = on(events, "select", "2017-10-17")
    page = "https://democracy.bromley.gov.uk/ieListDocuments.aspx?MId=302"
    assert october["links"] == [{"url": page, "note": "the meeting's page"}]
    assert on(events, "select", "2018-01-23")["links"] == []
    assert errors(ocd_validator(), october) == []


def test_a_moved_meeting_keeps_its_event_id() -> None:
    before = on(events_of("bromley"), "select", "2018-01-23")
    after = on(events_of("moved"), "select", "2018-01-24")
    assert after["id"] == before["id"]
    assert after["start_date"] == "2018-01-24T19:00:00+00:00"
    assert len({e["id"] for e in events_of("bromley")}) == 14


def test_the_same_plan_gives_the_same_bytes() -> None:
    p, plan = solved("secret")
    assert as_json(ocd_events(p, plan)) == as_json(ocd_events(p, plan.model_copy(deep=True)))
    again = parse_programme(secret_bromley(), "again.yaml")
    assert as_json(popolo(again)) == as_json(popolo(p))
    assert agenda_csv(again, plan) == agenda_csv(p, plan)


# --- organisations ---------------------------------------------------------------------------


def test_organisations_have_parents_and_office_holders() -> None:
    data = popolo(solved("bromley")[0])
    select, bpm, forum, sacre = data["organizations"]
    assert (select["classification"], bpm["classification"]) == ("committee", "subcommittee")
    assert (forum["classification"], sacre["classification"]) == ("other", "other")
    assert bpm["parent_id"] == select["id"] and "parent_id" not in select
    people = {p["id"]: p["name"] for p in data["persons"]}
    assert [(people[m["person_id"]], m["role"]) for m in bpm["memberships"]] == [
        ("Councillor Neil Reddin FCCA", "Chair"),
        ("Councillor Nicky Dykes", "Vice-Chair"),
    ]
    assert forum["memberships"] == [] and bpm["identifiers"][0]["identifier"] == "bpm"
    event = on(events_of("bromley"), "bpm", "2017-07-18")
    assert event["participants"][0]["id"] == bpm["id"]


# --- the clerk's agendas for Modern.gov -------------------------------------------------------


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, as spreadsheets read it
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_lists_a_meetings_items_in_agenda_order_with_authors() -> None:
    table = rows(agenda_csv(*solved("bromley")))
    assert table[0] == list(COLUMNS)
    meeting = f"{SELECT}, Tuesday 23 January 2018, 19:00"
    january = [r for r in table if r[0] == meeting]
    assert [r[1:5] for r in january] == [
        ["1", STANDING[0], "", "No"],
        ["2", STANDING[1], "", "No"],
        ["3", STANDING[2], "", "No"],  # no presenter, and not verbal: nobody named
        ["4", STANDING[3], "", "No"],
        ["5", STANDING[4], "", "No"],
        ["6", STANDING[5], "Philippa Gibbs, Democratic Services Officer", "No"],
        ["7", STANDING[6], "", "No"],  # verbal: no written report
        ["8", STANDING[7], DCE, "No"],
        [
            "9",
            "Scrutiny of a Chief Officer: Jane Bailey, Director: Education",
            "Jane Bailey, Director: Education",
            "No",
        ],
        ["10", "Follow Up on Under Performing Pupils", "", "No"],
        ["11", "Troubled Families/Early Intervention/Child Poverty", "", "No"],
    ]
    assert january[8][5] == "meeting select-2018-01-23; item director-scrutiny; occurrence doe"


def test_the_csv_lists_part_2_items_by_title_for_the_clerk() -> None:
    table = rows(agenda_csv(*solved("secret")))
    june = [r for r in table if r[0] == f"{SELECT}, Wednesday 28 June 2017, 19:00"]
    assert [r[2:5] for r in june[-2:]] == [
        [LANDSCAPE, f"{DCE}; {DCSC}", "Yes"],
        ["Children's Services Landscape in Bromley: Witness Session", "", "Yes"],
    ]
    assert [r[4] for r in june[:-2]] == ["No"] * (len(june) - 2)


def test_a_title_that_begins_like_a_formula_stays_text() -> None:
    p, plan = solved("bromley")
    meeting = plan.meetings[0]
    entry = meeting.agenda[0].model_copy(update={"title": '=HYPERLINK("x")'})
    sly = plan.model_copy(
        update={"meetings": [meeting.model_copy(update={"agenda": [entry]}), *plan.meetings[1:]]}
    )
    assert rows(agenda_csv(p, sly))[1][2] == '\'=HYPERLINK("x")'


# --- scrutiny export -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(solved("bromley")[1].to_json())
    return path


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_writes_each_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, plan_file: Path, fmt: str
) -> None:
    target = tmp_path / "out" / f"export.{fmt}"
    code, out, err = run(
        capsys, "export", str(BROMLEY), str(plan_file), "--format", fmt, "-o", str(target)
    )
    assert (code, out) == (0, "")
    words = {
        "ocd-events": "14 events",
        "popolo": "4 organisations",
        "moderngov-csv": "agenda items",
    }
    assert err.startswith(f"{target}: ") and words[fmt] in err
    p, plan = solved("bromley")
    made = {"ocd-events": as_json(ocd_events(p, plan)), "popolo": as_json(popolo(p))}
    assert target.read_bytes() == made.get(fmt, agenda_csv(p, plan))


def test_export_prints_with_dash_and_cuts_to_a_body(
    capsys: pytest.CaptureFixture[str], plan_file: Path
) -> None:
    argv = ["export", str(BROMLEY), str(plan_file), "--format", "ocd-events", "-o", "-"]
    code, out, err = run(capsys, *argv, "--body", "bpm")
    assert (code, err) == (0, "")
    events = json.loads(out)
    assert len(events) == 4 and {e["extras"]["body"] for e in events} == {"bpm"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "ical"], "invalid choice: 'ical'"),
        (["--format", "popolo", "--body", "ghost"], "no body 'ghost' in this programme"),
    ],
)
def test_export_refuses_bad_input_with_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    plan_file: Path,
    argv: list[str],
    message: str,
) -> None:
    target = tmp_path / "never.json"
    try:
        code = main(["export", str(BROMLEY), str(plan_file), *argv, "-o", str(target)])
    except SystemExit as stopped:  # argparse's own refusal
        code = int(str(stopped.code))
    assert code == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_export_refuses_a_plan_of_another_programme(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign.json"
    foreign.write_text(solved("bromley")[1].model_copy(update={"programme": "elsewhere"}).to_json())
    code, out, err = run(
        capsys, "export", str(BROMLEY), str(foreign), "--format", "popolo", "-o", "-"
    )
    assert (code, out) == (2, "")
    assert err == f"{foreign}: programme: the plan is for 'elsewhere', not 'bromley-ecf-2017-18'\n"
    code, _, err = run(
        capsys, "export", str(BROMLEY), "no/such.json", "--format", "popolo", "-o", "-"
    )
    assert (code, err) == (2, "no/such.json: no such file\n")


def test_export_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "usage: scrutiny export" in out and "Example:" in out
    assert "ocd-events,popolo,moderngov-csv" in out
    assert set(EXPORT_FORMATS) == set(WRITERS)  # the formats offered are those written
