"""Calendar feeds (DESIGN §7): read by parsers that did not write them, private where they must be.

Bromley's feeds are built from the golden plan (tests/golden/bromley.plan.json, itself checked
by the golden test); tests/data/feeds.yaml adds exempt items, an informal panel, a body whose
clerk has no e-mail, and cancelled, provisional and special meetings. What subscribed clients
poll for (how often, each meeting's page, where a meeting moved from, free time) is in
tests/test_feeds_polling.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.cli import main
from scheduler.dates.deadlines import statutory
from scheduler.outputs.exempt import EXEMPT
from scheduler.outputs.feeds import feeds
from scheduler.plan.model import Plan, load_plan
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, DATA, REPO
from tests.feed_parsers import (
    events,
    every_reading,
    form_problems,
    text_of,
    with_icalendar,
    with_vobject,
)
from tests.programmes import BASE, programme

GOLDEN_PLAN = REPO / "tests" / "golden" / "bromley.plan.json"
FEEDS_YAML = DATA / "feeds.yaml"
PUBLISHED = "2017-06-20T09:00:00Z"


def _uid(programme: str, meeting: str, suffix: str = "") -> str:
    return f"{programme}.{meeting}{suffix}@scrutiny-scheduler"


def _write(tmp_path: Path, built: dict[str, bytes]) -> Path:
    for name, data in built.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return tmp_path


@pytest.fixture(scope="module")
def bromley() -> Programme:
    return load_programme(BROMLEY)


@pytest.fixture(scope="module")
def bromley_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bromley's feeds, written by the command a clerk runs."""
    out = tmp_path_factory.mktemp("bromley-feeds")
    args = ["feeds", str(BROMLEY), str(GOLDEN_PLAN), "-o", str(out), "--published", PUBLISHED]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def town() -> tuple[Programme, Plan]:
    programme = load_programme(FEEDS_YAML)
    plan = solve(programme)
    assert plan.status.value == "optimal"
    return programme, plan


@pytest.fixture(scope="module")
def town_feeds(town: tuple[Programme, Plan]) -> dict[str, bytes]:
    return feeds(*town)


# --- real clients read the same times ---------------------------------------------------------


def test_four_parsers_read_the_same_start_for_every_uid(bromley_dir: Path) -> None:
    files = sorted(bromley_dir.rglob("*.ics"))
    plan = load_plan(GOLDEN_PLAN)
    london = ZoneInfo("Europe/London")
    expected = {  # from the plan and the tz database, not from any feed; all day without a time
        _uid(plan.programme, m.id): dt.datetime.combine(m.date, m.start, london)
        .astimezone(dt.UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        if m.start
        else m.date.isoformat()
        for m in plan.meetings
        if m.date
    }
    readings = every_reading(files)
    for path, by_parser in readings.items():
        first = by_parser["icalendar"]
        assert first, f"{path.name}: no events"
        for parser, starts in by_parser.items():
            assert starts == first, f"{path.name}: {parser} disagrees with icalendar"
        for uid, start in first.items():
            if uid in expected:
                assert start == expected[uid], f"{path.name}: {uid}"


def test_clock_changes_read_right_by_every_parser(bromley_dir: Path) -> None:
    readings = every_reading([bromley_dir / "public" / "select.ics"])
    summer = _uid("bromley-ecf-2017-18", "select-2017-06-27")  # moved to the 28th, keeps its id
    winter = _uid("bromley-ecf-2017-18", "select-2018-01-23")
    for parser, starts in next(iter(readings.values())).items():
        assert starts[summer] == "2017-06-28T18:00:00Z", parser  # 19:00 BST
        assert starts[winter] == "2018-01-23T19:00:00Z", parser  # 19:00 GMT


def test_every_feed_has_rfc_5545_form(bromley_dir: Path, town_feeds: dict[str, bytes]) -> None:
    for path in sorted(bromley_dir.rglob("*.ics")):
        assert form_problems(path.read_bytes()) == [], path.name
    for name, data in town_feeds.items():
        assert form_problems(data) == [], name


def test_form_check_catches_what_it_looks_for() -> None:
    """The form checker itself: each fault it names is found."""
    bad = (
        b"BEGIN:VCALENDAR\r\nPRODID:x\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
        b"UID:u\r\nDTSTAMP:20170101T000000Z\r\nDTSTART;TZID=Europe/London:20170101T100000\r\n"
        b"SEQUENCE:0\r\nSUMMARY:s\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    found = " | ".join(form_problems(bad))
    assert "ORGANIZER" in found and "VTIMEZONE" in found
    assert "CR LF" in " ".join(form_problems(bad.replace(b"\r\nEND:VCAL", b"\nEND:VCAL")))
    assert "75 octets" in " ".join(
        form_problems(bad.replace(b"SUMMARY:s", b"SUMMARY:" + b"s" * 80))
    )


def test_vtimezone_is_compact_and_yearly(bromley_dir: Path) -> None:
    text = (bromley_dir / "public" / "select.ics").read_bytes().decode()
    assert text.count("BEGIN:VTIMEZONE") == 1
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert "RDATE" not in text


# --- which feeds, and what each holds -----------------------------------------------------------


def test_one_public_feed_per_body_one_per_person_and_the_clerks(
    bromley: Programme, bromley_dir: Path
) -> None:
    written = {str(p.relative_to(bromley_dir)) for p in bromley_dir.rglob("*.ics")}
    assert written == (
        {f"public/{b.id}.ics" for b in bromley.bodies}
        | {f"people/{p.id}.ics" for p in bromley.people}
        | {"clerk.ics"}
    )


def test_a_public_feed_holds_its_bodys_meetings(bromley: Programme, bromley_dir: Path) -> None:
    for body in bromley.bodies:
        uids = set(events((bromley_dir / "public" / f"{body.id}.ics").read_bytes()))
        assert uids == {_uid(bromley.id, m.key) for m in body.meetings}, body.id


def test_a_persons_feed_holds_their_meetings_and_their_deadlines(bromley_dir: Path) -> None:
    def uids(person: str) -> set[str]:
        return set(events((bromley_dir / "people" / f"{person}.ics").read_bytes()))

    june = "select-2017-06-27"
    # Jim Gamble is a witness on 28 June only: that meeting, no deadline.
    assert uids("gamble") == {_uid("bromley-ecf-2017-18", june)}
    # The Director of Education presents written reports: she gets their reports-due dates.
    assert _uid("bromley-ecf-2017-18", june, ".reports") in uids("doe")
    # The Portfolio Holder's update is verbal: his meetings, no reports-due date.
    assert uids("fortune") and not any(".reports@" in u for u in uids("fortune"))
    # A member of both bodies: every meeting of both, with preparation meetings; no deadlines.
    bennett = uids("bennett")
    meetings = {u for u in bennett if u.count(".") == 1}
    assert len(meetings) == 8 and all(("select-" in u or "bpm-" in u) for u in meetings)
    assert {u for u in bennett if u not in meetings} == {
        u.replace("@", ".preparation@") for u in meetings
    }


def test_the_clerks_feed_has_every_meeting_and_every_deadline(
    bromley: Programme, bromley_dir: Path
) -> None:
    found = events((bromley_dir / "clerk.ics").read_bytes())
    plan = load_plan(GOLDEN_PLAN)
    for m in plan.meetings:
        assert _uid(bromley.id, m.id) in found
        d = m.deadlines
        assert d is not None and d.agenda_publication is not None
        agenda = found[_uid(bromley.id, m.id, ".agenda")]
        assert agenda["DTSTART"] == f"{d.agenda_publication:%Y%m%d}"
        # Public questions and a preparation meeting only where the body states a start and
        # is a committee (DESIGN §4.6): not the Schools' Forum or SACRE.
        body = bromley.bodies_by_id[m.body]
        held = statutory(body, body.start)
        assert (d.public_questions is not None) == held
        assert (_uid(bromley.id, m.id, ".preparation") in found) == held
        if d.public_questions is not None:
            questions = found[_uid(bromley.id, m.id, ".questions")]
            assert questions["DTSTART"] == f"{d.public_questions:%Y%m%d}"
        else:
            assert _uid(bromley.id, m.id, ".questions") not in found
    reports = [u for u in found if u.endswith(".reports@scrutiny-scheduler")]
    assert reports and all(found[u]["DTSTART"] for u in reports)
    june = found[_uid(bromley.id, "select-2017-06-27", ".reports")]
    assert june["DTSTART"] == "20170614"  # ten working days before Wednesday 28 June 2017


def test_calendar_properties(bromley_dir: Path) -> None:
    text = (bromley_dir / "public" / "select.ics").read_bytes().decode()
    for line in (
        "PRODID:-//Scrutiny work-programme scheduler//scrutiny-plan 1//EN",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",  # an hour unless asked otherwise
        "X-PUBLISHED-TTL:PT1H",
    ):
        assert f"\r\n{line}\r\n" in text
    assert "\r\nX-WR-CALNAME:Education\\, Children & Families Select Committ" in text
    assert "\r\nNAME:Education\\, Children & Families Select Committee" in text
    event = events(text.encode())[_uid("bromley-ecf-2017-18", "select-2017-06-27")]
    assert event["ORGANIZER"] == "mailto:philippa.gibbs@bromley.gov.uk"
    assert event["STATUS"] == "CONFIRMED" and event["SEQUENCE"] == "0"
    assert event["DTSTAMP"] == event["LAST-MODIFIED"] == "20170620T090000Z"
    assert event["LOCATION"] == "Committee Rooms\\, Bromley Civic Centre"


def test_the_description_is_the_agenda_by_section(bromley_dir: Path) -> None:
    text = text_of((bromley_dir / "public" / "select.ics").read_bytes())
    june = text.split("BEGIN:VEVENT")[1]
    order = [
        "Wednesday 28 June 2017, 19:00 to 21:30",
        "Standing items\n1. Apologies for Absence",
        "Scrutiny\n9. Scrutiny of a Chief Officer",
        "Short items\n10.",
        "Substantive items\n11. Children's Services Landscape",
        "12. Children's Services Landscape in Bromley: Witness Session (witnesses: Jim Gamble QPM",
        "For information\n",
        "Agenda published: Tuesday 20 June 2017",
        "Public questions: by 17:00 on Thursday 22 June 2017",
        "Contact: Philippa Gibbs, philippa.gibbs@bromley.gov.uk",
    ]
    places = [june.find(part) for part in order]
    assert -1 not in places, [p for p, at in zip(order, places, strict=True) if at == -1]
    assert places == sorted(places)


# --- privacy: exempt items and informal bodies --------------------------------------------------


def test_no_public_feed_shows_an_exempt_title(
    town: tuple[Programme, Plan], town_feeds: dict[str, bytes]
) -> None:
    programme, plan = town
    exempt = [i.title for i in programme.items if i.exempt]
    placed = {e.title for m in plan.meetings for e in m.agenda if e.exempt}
    assert len(placed) >= 2  # the test has something to find
    public = {n: d for n, d in town_feeds.items() if n.startswith("public/")}
    for name, data in public.items():
        for title in exempt:
            for seen in (data.decode(), text_of(data)):
                assert title not in seen and title[:30] not in seen, f"{name}: {title}"
    assert EXEMPT in text_of(public["public/overview.ics"])


def test_exempt_titles_reach_only_those_on_the_body_or_the_item(
    town_feeds: dict[str, bytes],
) -> None:
    contract = "Housing Repairs Contract Award"

    def sees(person: str) -> bool:
        return contract in text_of(town_feeds[f"people/{person}.ics"])

    assert sees("member") and sees("dso") and sees("lawyer") and sees("officer")
    assert contract in text_of(town_feeds["clerk.ics"])
    # An outside witness on another item of the same body sees the meeting, not the Part 2 title.
    advisor = text_of(town_feeds["people/advisor.ics"])
    assert "Independent Advice on Rent Setting" in advisor and EXEMPT in advisor
    assert "Settlement of the Riverside Legal Claim" not in advisor


def test_an_informal_body_is_in_no_public_feed(
    town: tuple[Programme, Plan], town_feeds: dict[str, bytes]
) -> None:
    programme, _ = town
    assert "public/panel.ics" not in town_feeds
    panel = {_uid(programme.id, m.key) for m in programme.bodies_by_id["panel"].meetings}
    for name, data in town_feeds.items():
        uids = set(events(data))
        if name.startswith("public/"):
            assert not uids & panel, name
            assert "Task and Finish" not in text_of(data), name
    assert panel <= set(events(town_feeds["people/member.ics"]))
    assert panel <= set(events(town_feeds["clerk.ics"]))
    clerk = set(events(town_feeds["clerk.ics"]))  # no statutory deadlines for it (§6)
    assert not {u for u in clerk if "panel-" in u and (".agenda" in u or ".questions" in u)}


def test_status_cancelled_provisional_special(
    town: tuple[Programme, Plan], town_feeds: dict[str, bytes]
) -> None:
    programme, _ = town
    found = events(town_feeds["public/overview.ics"])
    cancelled = found[_uid(programme.id, "overview-2017-10-17")]
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SUMMARY"].startswith("Cancelled: ")
    tentative = found[_uid(programme.id, "overview-2018-03-20")]
    assert tentative["STATUS"] == "TENTATIVE"
    special = found[_uid(programme.id, "overview-2018-02-07-callin")]
    assert (
        special["SUMMARY"] == "Overview & Scrutiny Committee: Call-in: Housing allocations policy"
    )
    assert special["DTSTART"] == "20180207T180000"


def test_method_publish_only_where_every_event_has_an_organizer(
    town_feeds: dict[str, bytes],
) -> None:
    assert b"\r\nMETHOD:PUBLISH\r\n" in town_feeds["public/overview.ics"]
    forum = town_feeds["public/forum.ics"]  # its clerk has no e-mail address
    assert b"METHOD" not in forum and b"ORGANIZER" not in forum
    assert b"METHOD" not in town_feeds["clerk.ics"]  # it holds the forum's meetings too


def test_town_feeds_read_alike_by_every_parser(
    tmp_path: Path, town_feeds: dict[str, bytes]
) -> None:
    files = sorted(_write(tmp_path, town_feeds).rglob("*.ics"))
    for path, by_parser in every_reading(files).items():
        first = by_parser["icalendar"]
        assert all(starts == first for starts in by_parser.values()), path.name


# --- stable bytes, stamps and sequences ---------------------------------------------------------


def test_same_plan_same_bytes(tmp_path: Path, bromley_dir: Path) -> None:
    again = tmp_path / "again"
    args = ["feeds", str(BROMLEY), str(GOLDEN_PLAN), "-o", str(again), "--published", PUBLISHED]
    assert main(args) == 0
    for path in bromley_dir.rglob("*.ics"):
        assert (again / path.relative_to(bromley_dir)).read_bytes() == path.read_bytes()


def test_dtstamp_comes_from_the_plan_never_the_clock(bromley: Programme) -> None:
    plan = load_plan(GOLDEN_PLAN)
    unpublished = events(feeds(bromley, plan)["clerk.ics"])
    assert {e["DTSTAMP"] for e in unpublished.values()} == {"20170510T000000Z"}  # year's first day
    stamped = plan.model_copy(update={"published": dt.datetime(2017, 6, 1, 8, 30, tzinfo=dt.UTC)})
    assert {e["DTSTAMP"] for e in events(feeds(bromley, stamped)["clerk.ics"]).values()} == {
        "20170601T083000Z"
    }


def _replanned(programme_text: str, previous: Plan) -> tuple[Programme, Plan]:
    programme = parse_programme(programme_text, "edited.yaml")
    plan = replan(programme, previous)
    assert plan.status.value in ("optimal", "feasible")
    return programme, plan


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence(bromley: Programme) -> None:
    v1 = load_plan(GOLDEN_PLAN)
    text = BROMLEY.read_text().replace(
        "{date: 2017-06-28, moved_from: 2017-06-27}", "{date: 2017-06-29, moved_from: 2017-06-27}"
    )
    programme, v2 = _replanned(text, v1)
    found = events(feeds(programme, v2, previous=v1)["public/select.ics"])
    june = found[_uid(programme.id, "select-2017-06-27")]
    assert june["DTSTART"] == "20170629T190000" and june["SEQUENCE"] == "1"
    assert found[_uid(programme.id, "select-2018-01-23")]["SEQUENCE"] == "0"


def test_a_cancelled_meeting_stays_cancelled_for_everyone_who_had_it() -> None:
    from tests.conftest import bromley_october_cancelled

    v1 = load_plan(GOLDEN_PLAN)
    programme, v2 = _replanned(bromley_october_cancelled(dce=1), v1)
    october = "select-2017-10-17"
    assert {m.id: m.sequence for m in v2.meetings}[october] == 1  # the re-plan carries it
    built = feeds(programme, v2, previous=v1)
    old_people = {p for m in v1.meetings if m.id == october for e in m.agenda for p in e.people}
    assert old_people  # officers who expected to attend
    for name in ["public/select.ics", "clerk.ics", *(f"people/{p}.ics" for p in old_people)]:
        event = events(built[name])[_uid(programme.id, october)]
        assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == "1", name
    clerk = events(built["clerk.ics"])  # its published deadlines are cancelled too
    assert clerk[_uid(programme.id, october, ".reports")]["STATUS"] == "CANCELLED"
    # Every other meeting: SEQUENCE 1 exactly when its date, time, venue or agenda changed.
    before = {m.id: m for m in v1.meetings}
    for m in v2.meetings:
        old = before[m.id]
        changed = [(e.item, e.occurrence) for e in m.agenda] != [
            (e.item, e.occurrence) for e in old.agenda
        ] or (m.date, m.start, m.venue, m.status) != (old.date, old.start, old.venue, old.status)
        event = events(built["clerk.ics"])[_uid(programme.id, m.id)]
        assert event["SEQUENCE"] == ("1" if changed else "0"), m.id


def test_a_meeting_gone_from_the_programme_stays_as_cancelled(bromley: Programme) -> None:
    v1 = load_plan(GOLDEN_PLAN)
    text = BROMLEY.read_text().replace("      - 2017-11-23           # Appendix", "      # gone", 1)
    programme, v2 = _replanned(text, v1)
    assert "schools-forum-2017-11-23" not in programme.meetings_by_id
    found = events(feeds(programme, v2, previous=v1)["public/schools-forum.ics"])
    gone = found[_uid(programme.id, "schools-forum-2017-11-23")]
    assert gone["STATUS"] == "CANCELLED" and gone["SEQUENCE"] == "1"
    # The re-plan recorded it as withdrawn: the new plan alone keeps it in the feeds.
    assert [m.id for m in v2.withdrawn] == ["schools-forum-2017-11-23"]
    alone = events(feeds(programme, v2)["public/schools-forum.ics"])
    assert alone[_uid(programme.id, "schools-forum-2017-11-23")] == gone


# --- the command ---------------------------------------------------------------------------------


def test_cli_refuses_a_plan_of_another_programme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "feeds"
    assert main(["feeds", str(FEEDS_YAML), str(GOLDEN_PLAN), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bromley.plan.json: programme: the plan is for 'bromley-ecf-2017-18'" in err
    assert not out.exists()


def test_cli_names_what_a_stale_plan_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = BROMLEY.read_text()
    start = text.index("  - id: camhs")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text[:start] + text[start:].replace("  - id: camhs", "  - id: camhs-2", 1))
    out = tmp_path / "feeds"
    assert main(["feeds", str(edited), str(GOLDEN_PLAN), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        "agenda[" in err and "(camhs): item 'camhs' is not in the programme; re-plan first" in err
    )
    assert "Traceback" not in err and not out.exists()


def test_cli_wants_a_zone_on_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["feeds", str(BROMLEY), str(GOLDEN_PLAN), "-o", str(tmp_path / "f")]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--published", "2017-06-20T09:00"])
    assert exit_.value.code == 2
    assert "is not a date and time with its zone" in capsys.readouterr().err


def test_a_special_meeting_named_after_an_exempt_item_is_not_named_in_public() -> None:
    from tests.conftest import town_with_secrets

    programme = parse_programme(town_with_secrets(), "town.yaml")
    built = feeds(programme, solve(programme))
    callin = _uid(programme.id, "overview-2018-02-07-callin")
    public = events(built["public/overview.ics"])[callin]
    assert public["SUMMARY"] == "Overview & Scrutiny Committee: special meeting"
    assert "Housing Repairs" not in text_of(built["public/overview.ics"])
    member = events(built["people/member.ics"])[callin]  # on the committee: reads it all
    assert "Call-in: Housing Repairs Contract Award" in member["SUMMARY"]


def test_a_preparation_meeting_across_the_clock_change_is_time_passed() -> None:
    """The feed took 30 minutes off the clock: before a 02:00 meeting on the night the clocks go
    forward it wrote 01:30, a time that never shows in London and that readers placed an hour
    apart. It is 00:30, half an hour earlier as time passes (as `scrutiny deadlines` says)."""
    # The base body with one meeting that has a start time; `programme(meetings=...)` takes dates.
    body = {**BASE["bodies"][0], "meetings": [{"date": "2018-03-25", "start": "02:00"}]}
    p = programme({"id": "one"}, bodies=[body], deadlines={"preparation_minutes": 30})
    built = feeds(p, solve(p, SolveOptions(time_limit=5)))
    found = events(built["clerk.ics"])
    assert found[_uid(p.id, "main-2018-03-25", ".preparation")]["DTSTART"] == "20180325T003000"
    assert with_icalendar(built["clerk.ics"]) == with_vobject(built["clerk.ics"])
