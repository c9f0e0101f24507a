"""What subscribed calendars poll for (DESIGN §7, issue 24 "Feeds that refresh"): how often to
read a feed again, each meeting's public page, where a moved meeting moved from, and a cancelled
meeting as free time; read alike by every parser of the suite. The service's side (its setting,
HEAD) is in tests/test_feed_serving.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.outputs.feeds import feeds
from scheduler.plan.model import Plan, load_plan
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, DATA, REPO, bromley_october_cancelled
from tests.feed_parsers import events, every_properties_reading, text_of, unfolded

PID = "bromley-ecf-2017-18"
GOLDEN = REPO / "tests" / "golden"
PAGE = f"https://scrutiny.bromley.gov.uk/public/{PID}"  # the service's public page
SITE = "https://cds.bromley.gov.uk"  # Bromley's Modern.gov
JUNE, OCTOBER, JANUARY = "select-2017-06-27", "select-2017-10-17", "select-2018-01-23"
JULY_BPM = "bpm-2017-07-18"


def _uid(meeting: str, suffix: str = "") -> str:
    return f"{PID}.{meeting}{suffix}@scrutiny-scheduler"


def _event_text(data: bytes, uid: str) -> str:
    """One event as a reader sees it: unfolded, unescaped."""
    found = [e for e in text_of(data).split("BEGIN:VEVENT") if f"\nUID:{uid}\n" in e]
    assert len(found) == 1, uid
    return found[0]


@pytest.fixture(scope="module")
def bromley() -> Programme:
    return load_programme(BROMLEY)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(GOLDEN / "bromley.plan.json")


def _numbered(text: str) -> str:
    """Bromley's file naming its Modern.gov, the Select Committee's number there (559), the
    number of its 23 January 2018 meeting (6131) and of the Sub-Committee's 18 July 2017 one
    (6020; the Sub-Committee has no number of its own)."""
    edits = [
        ("nation: england", f"moderngov: {SITE}/\nnation: england"),  # the slash is dropped
        ("    chair: bennett           # l.24", "    moderngov: 559\n    chair: bennett"),
        ("      - 2018-01-23           # l.130", "      - {date: 2018-01-23, moderngov: 6131}  #"),
        (
            "      - 2017-07-18           # Appendix",
            "      - {date: 2017-07-18, moderngov: 6020} #",
        ),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def with_moderngov() -> Programme:
    return parse_programme(_numbered(BROMLEY.read_text()), "bromley-moderngov.yaml")


# --- how often ------------------------------------------------------------------------------------


def test_the_refresh_asked_is_in_both_properties_of_every_feed(
    bromley: Programme, plan: Plan
) -> None:
    built = feeds(bromley, plan, refresh=dt.timedelta(minutes=90))
    for name, data in built.items():
        lines = unfolded(data)
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H30M" in lines, name
        assert "X-PUBLISHED-TTL:PT1H30M" in lines, name
    hourly = unfolded(feeds(bromley, plan)["clerk.ics"])  # by default: an hour
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in hourly and "X-PUBLISHED-TTL:PT1H" in hourly


@pytest.mark.parametrize(
    ("minutes", "written"), [("15", "PT15M"), ("30", "PT30M"), ("10080", "P7D")]
)
def test_cli_refresh_in_minutes(tmp_path: Path, minutes: str, written: str) -> None:
    out = tmp_path / "feeds"
    plan = str(GOLDEN / "bromley.plan.json")
    assert main(["feeds", str(BROMLEY), plan, "-o", str(out), "--refresh", minutes]) == 0
    data = (out / "public" / "select.ics").read_bytes()
    assert f"\r\nREFRESH-INTERVAL;VALUE=DURATION:{written}\r\nX-PUBLISHED-TTL:{written}\r\n" in (
        data.decode()
    )


@pytest.mark.parametrize("minutes", ["14", "10081", "0", "-60", "sixty", "1.5", "", "9" * 5000])
def test_cli_refuses_a_refresh_out_of_bounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], minutes: str
) -> None:
    out = tmp_path / "feeds"
    args = ["feeds", str(BROMLEY), str(GOLDEN / "bromley.plan.json"), "-o", str(out)]
    with pytest.raises(SystemExit) as exit_:
        main([*args, f"--refresh={minutes}"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "argument --refresh: " in err
    assert "is not a whole number of minutes from 15 to 10080 (a week)" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "base",
    ["ftp://scrutiny.bromley.gov.uk", "scrutiny.bromley.gov.uk", "https://", "http://[::1",
     "https://x.gov.uk/?a=1", "https://x.gov.uk/#top", "https://x .gov.uk"],
)  # fmt: skip
def test_cli_refuses_a_public_url_that_is_no_web_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], base: str
) -> None:
    out = tmp_path / "feeds"
    args = ["feeds", str(BROMLEY), str(GOLDEN / "bromley.plan.json"), "-o", str(out)]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--public-url", base])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "argument --public-url: " in err and "is not a web address such as https://" in err
    assert not out.exists()


# --- each meeting's page --------------------------------------------------------------------------


def test_a_meeting_with_its_moderngov_number_links_to_its_moderngov_page(
    with_moderngov: Programme, plan: Plan
) -> None:
    built = feeds(with_moderngov, plan, public_page=PAGE)
    january = f"{SITE}/ieListDocuments.aspx?CId=559&MId=6131"
    for name in ("public/select.ics", "clerk.ics", "people/bennett.ics"):
        assert events(built[name])[_uid(JANUARY)]["URL"] == january, name
        assert f"\nMeeting page: {january}\n" in _event_text(built[name], _uid(JANUARY)), name
    clerk = events(built["clerk.ics"])  # its deadlines and preparation meeting link to it too
    for suffix in (".agenda", ".reports", ".questions", ".preparation"):
        assert clerk[_uid(JANUARY, suffix)]["URL"] == january, suffix
    # A body without a Modern.gov number of its own: the meeting's number alone.
    bpm = events(built["public/bpm.ics"])[_uid(JULY_BPM)]
    assert bpm["URL"] == f"{SITE}/ieListDocuments.aspx?MId=6020"
    # A meeting without its Modern.gov number: the service's page, at the meeting.
    june = events(built["public/select.ics"])[_uid(JUNE)]
    assert june["URL"] == f"{PAGE}#m-{JUNE}"


def test_without_a_service_page_only_moderngov_meetings_have_a_url(
    with_moderngov: Programme, bromley: Programme, plan: Plan
) -> None:
    found = events(feeds(with_moderngov, plan)["clerk.ics"])
    linked = {uid for uid, e in found.items() if "URL" in e}
    assert linked and all(
        uid.startswith((f"{PID}.{JANUARY}", f"{PID}.{JULY_BPM}")) for uid in linked
    )
    plain = feeds(bromley, plan)
    assert not [n for n, data in plain.items() if "URL" in data.decode()]
    assert "Meeting page:" not in text_of(plain["clerk.ics"])


def test_a_meeting_number_without_the_councils_site_links_to_the_service_page(
    with_moderngov: Programme, plan: Plan
) -> None:
    no_site = with_moderngov.model_copy(update={"moderngov": None})
    found = events(feeds(no_site, plan, public_page=PAGE)["public/select.ics"])
    assert found[_uid(JANUARY)]["URL"] == f"{PAGE}#m-{JANUARY}"


def test_an_informal_bodys_meetings_link_to_no_public_page() -> None:
    """tests/data/feeds.yaml's panel is informal: on no public page, so no link to one."""
    town = load_programme(DATA / "feeds.yaml")
    built = feeds(town, solve(town), public_page="https://scrutiny.example.gov.uk/public/town")
    member = events(built["people/member.ics"])
    panel = [u for u in member if f"{town.id}.panel-" in u]
    overview = [u for u in member if f"{town.id}.overview-" in u]
    assert panel and overview
    assert all("URL" not in member[u] for u in panel)
    for uid in overview:
        meeting = uid.split("@")[0].removeprefix(f"{town.id}.").split(".")[0]
        assert member[uid]["URL"] == f"https://scrutiny.example.gov.uk/public/town#m-{meeting}"


# --- where a meeting moved from ---------------------------------------------------------------------


def test_a_moved_meeting_says_the_day_it_moved_from(bromley: Programme, plan: Plan) -> None:
    """Bromley's first Select Committee meeting moved from Tuesday 27 June to Wednesday 28 June
    2017 (`moved_from` in the file)."""
    _, june = bromley.meetings_by_id[JUNE]
    assert (june.moved_from, june.day) == (dt.date(2017, 6, 27), dt.date(2017, 6, 28))
    built = feeds(bromley, plan)
    for name in ("public/select.ics", "people/gamble.ics", "clerk.ics"):
        text = _event_text(built[name], _uid(JUNE))
        assert "\nWednesday 28 June 2017, 19:00 to 21:30" in text, name
        assert "\nMoved from Tuesday 27 June 2017.\n" in text, name
    # No other meeting moved: no other says so.
    assert text_of(built["clerk.ics"]).count("Moved from") == 1


def test_a_move_against_the_published_plan_is_said_too(bromley: Programme, plan: Plan) -> None:
    """The 23 January 2018 meeting, which has an id of its own, moves to the 24th: the file says
    nothing of where it was, the plan published before does. The June meeting moves on again,
    to the 29th: it says the day it was first set for, as the file does, in every version."""
    text = BROMLEY.read_text()
    text = text.replace(
        "{date: 2017-06-28, moved_from: 2017-06-27}", "{date: 2017-06-29, moved_from: 2017-06-27}"
    ).replace("      - 2018-01-23 ", "      - {id: select-2018-01-23, date: 2018-01-24} ", 1)
    edited = parse_programme(text, "edited.yaml")
    again = replan(edited, plan)
    assert again.status.value in ("optimal", "feasible")
    dates = {m.id: m.date for m in again.meetings}
    assert dates[JANUARY] == dt.date(2018, 1, 24) and dates[JUNE] == dt.date(2017, 6, 29)
    against = feeds(edited, again, previous=plan)["public/select.ics"]
    assert "\nMoved from Tuesday 23 January 2018.\n" in _event_text(against, _uid(JANUARY))
    assert "\nMoved from Tuesday 27 June 2017.\n" in _event_text(against, _uid(JUNE))
    alone = feeds(edited, again)["public/select.ics"]  # no plan before: the file alone
    assert "Moved from" not in _event_text(alone, _uid(JANUARY))
    assert "\nMoved from Tuesday 27 June 2017.\n" in _event_text(alone, _uid(JUNE))


# --- free time ----------------------------------------------------------------------------------------


def test_a_cancelled_meeting_is_free_time_and_stays_cancelled() -> None:
    """Bromley with 17 October 2017 cancelled (the golden re-plan): its event, and its
    preparation meeting in the clerk's feed, stay CANCELLED and no longer block the time."""
    edited = parse_programme(bromley_october_cancelled(), "edited.yaml")
    again = load_plan(GOLDEN / "bromley-october-cancelled.plan.json")
    assert [m.id for m in again.meetings if m.status == "cancelled"] == [OCTOBER]
    built = feeds(edited, again)
    for name in ("public/select.ics", "clerk.ics"):
        found = events(built[name])
        october = found[_uid(OCTOBER)]
        assert (october["STATUS"], october["TRANSP"]) == ("CANCELLED", "TRANSPARENT"), name
        for meeting in (JUNE, JANUARY):  # held meetings still block their time
            held = found[_uid(meeting)]
            assert (held["STATUS"], held["TRANSP"]) == ("CONFIRMED", "OPAQUE"), name
    clerk = events(built["clerk.ics"])
    preparation = clerk[_uid(OCTOBER, ".preparation")]
    assert (preparation["STATUS"], preparation["TRANSP"]) == ("CANCELLED", "TRANSPARENT")
    assert clerk[_uid(JANUARY, ".preparation")]["TRANSP"] == "OPAQUE"
    assert clerk[_uid(JANUARY, ".agenda")]["TRANSP"] == "TRANSPARENT"  # a deadline, all day


# --- every parser reads them alike ---------------------------------------------------------------


def test_every_parser_reads_the_refresh_the_urls_and_free_time_alike(
    tmp_path: Path,
) -> None:
    """icalendar, vobject, ical.js and node-ical, on the October-cancelled re-plan of Bromley
    with Modern.gov numbers and the service's page, refreshed every 45 minutes."""
    numbered = parse_programme(_numbered(bromley_october_cancelled()), "edited.yaml")
    again = load_plan(GOLDEN / "bromley-october-cancelled.plan.json")
    built = feeds(numbered, again, refresh=dt.timedelta(minutes=45), public_page=PAGE)
    for name, data in built.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    files = [
        tmp_path / "public" / "select.ics",
        tmp_path / "clerk.ics",
        tmp_path / "people" / "doe.ics",
    ]
    readings = every_properties_reading(files)
    for path, by_parser in readings.items():
        first = by_parser["icalendar"]
        assert set(by_parser) == {"icalendar", "vobject", "ical.js", "node-ical"}
        for parser, reading in by_parser.items():
            assert reading == first, f"{path.name}: {parser} disagrees with icalendar"
        assert first["refresh"] == ["PT45M", "PT45M"], path.name
    select = readings[files[0]]["icalendar"]["events"]
    assert select[_uid(OCTOBER)] == [f"{PAGE}#m-{OCTOBER}", "TRANSPARENT", "CANCELLED"]
    assert select[_uid(JANUARY)] == [
        f"{SITE}/ieListDocuments.aspx?CId=559&MId=6131",
        "OPAQUE",
        "CONFIRMED",
    ]
