"""`scrutiny import moderngov` (issue 24): a new programme from Modern.gov's answers, and
Modern.gov's changes merged into the Bromley file by the edits that keep every other line.

The Bromley answers are of our own making, in the service's form (`answers`): its Select
Committee as Modern.gov would list it, numbered 300, its meetings 301 to 304.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from scheduler.cli import main
from scheduler.errors import ProgrammeError
from scheduler.plan.model import SolveStatus
from scheduler.programme import moderngov
from scheduler.programme.load import load_programme
from scheduler.programme.load import parse_programme as load_programme_text
from scheduler.programme.model import Programme
from scheduler.programme.moderngov import Committee, ModernGovError
from scheduler.programme.moderngov_calls import Folder, Site
from scheduler.programme.moderngov_fetch import Found, fetch
from scheduler.programme.moderngov_merge import new_programme
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, DATA

SAVED = DATA / "moderngov"
FROM, TO = "2017-05-17", "2018-05-15"
#: The Select Committee's meetings as Modern.gov lists them: number, day, status, time.
SELECT = [
    (301, "28/06/2017", "Confirmed", "7.00 pm"),
    (302, "17/10/2017", "Confirmed", "7.00 pm"),
    (303, "23/01/2018", "Confirmed", "7.00 pm"),
    (304, "27/02/2018", "Confirmed", "7.00 pm"),
]


def answers(folder: Path, meetings: list[tuple[int, str, str, str]]) -> Path:
    """A folder of Modern.gov answers for the Select Committee, with `meetings`."""
    title = "Education, Children &amp;amp; Families Select Committee"
    return committee_answers(folder, {300: title}, {300: meetings})


def run_import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import", "moderngov", *args])
    out, err = capsys.readouterr()
    return code, out, err


def into(
    capsys: pytest.CaptureFixture[str], folder: Path, file: Path, to: str = TO
) -> tuple[int, str, str]:
    return run_import(
        capsys, "--from-files", str(folder), "--committee", "300", "--from", FROM, "--to", to,
        "--into", str(file),
    )  # fmt: skip


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(line before, line after) of each line replaced; ("", line) for a line added."""
    old, new = before.splitlines(), after.splitlines()
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag == "replace":
            out += list(zip(old[i1:i2], new[j1:j2], strict=True))
        elif tag == "insert":
            out += [("", line) for line in new[j1:j2]]
        elif tag == "delete":
            out += [(line, "") for line in old[i1:i2]]
    return out


@pytest.fixture
def bromley(tmp_path: Path) -> Path:
    copy = tmp_path / "bromley.yaml"
    shutil.copy(BROMLEY, copy)
    return copy


# ----------------------------------------------------------------------------------------------
# A new programme


def test_a_new_programme_from_saved_answers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    for name in ("GetCommittees.xml", "GetMeetings.xml"):
        shutil.copy(SAVED / name, folder / name)
    shutil.copy(SAVED / "GetMeeting.xml", folder / "GetMeeting-4967.xml")
    out = tmp_path / "manchester.yaml"
    code, printed, err = run_import(
        capsys, "https://democracy.manchester.gov.uk/", "--from-files", str(folder),
        "--committee", "audit committee", "--from", "2025-05-20", "--to", "2026-05-19",
        "-o", str(out), "--council", "Manchester City Council",
    )  # fmt: skip
    assert (code, printed) == (0, "")
    assert err == f"{out}: 1 committee, 2 meetings\n"
    p = load_programme(out)
    assert (p.council, p.moderngov, p.year.start) == (
        "Manchester City Council", "https://democracy.manchester.gov.uk", dt.date(2025, 5, 20),
    )  # fmt: skip
    [audit] = p.bodies
    assert (audit.id, audit.name, audit.moderngov) == ("audit-committee", "Audit Committee", 144)
    # GetMeeting of 10 February 2026: 10.00 am to 2.00 pm in the Council Antechamber.
    assert (audit.start, audit.minutes) == (dt.time(10), 240)
    assert audit.venue == "Council Antechamber, Level 2, Town Hall Extension"
    assert [(m.day, m.status, m.moderngov) for m in audit.meetings] == [
        (dt.date(2026, 1, 13), "cancelled", 4966),
        (dt.date(2026, 2, 10), "scheduled", 4967),
    ]


def test_the_traps_provisional_postponed_no_time_24_hours_and_html(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    shutil.copy(SAVED / "GetMeetings-traps.xml", folder / "GetMeetings.xml")
    (folder / "GetCommittees.xml").write_text(
        "<committees>"
        + "".join(
            f"<committee><committeeid>{n}</committeeid><committeetitle>{t}</committeetitle>"
            "<committeedeleted>False</committeedeleted><committeeexpired>False</committeeexpired>"
            "<committeecategory>x</committeecategory></committee>"
            for n, t in ((200, "Children &amp;amp; Young People Scrutiny Committee"),
                         (201, "Dormant Working Group"))
        )
        + "</committees>",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "new.yaml"
    code, _, err = run_import(
        capsys, "--from-files", str(folder), "--committee", "Children & Young People Scrutiny "
        "Committee", "--committee", "201", "--from", "2026-05-20", "--to", "2027-05-19",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    p = load_programme(out)
    children, dormant = p.bodies
    assert children.name == "Children & Young People Scrutiny Committee"
    assert (dormant.name, dormant.meetings) == ("Dormant Working Group", [])
    assert [(m.day, m.status, m.start or children.start) for m in children.meetings] == [
        (dt.date(2026, 6, 3), "tentative", dt.time(13, 30)),
        (dt.date(2026, 7, 8), "postponed", children.start),  # no time given: the body's
        (dt.date(2026, 9, 16), "scheduled", dt.time(14)),
        (dt.date(2026, 10, 14), "scheduled", dt.time(12, 30)),
    ]


def test_no_file_is_written_when_a_committee_is_not_there(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "new.yaml"
    code, _, err = run_import(
        capsys, "--from-files", str(SAVED), "--committee", "Audit Comittee",
        "--from", FROM, "--to", TO, "-o", str(out),
    )  # fmt: skip
    assert code == 2 and not out.exists()
    assert err == (
        f"scrutiny import: {SAVED / 'GetCommittees.xml'}: no committee called 'Audit Comittee'; "
        "did you mean 'Audit Committee'?\n"
    )


def test_a_site_or_saved_answers_is_needed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_import(
        capsys, "--committee", "1", "--from", FROM, "--to", TO, "-o", str(tmp_path / "x.yaml")
    )
    assert code == 2 and "give the Modern.gov site's address, or --from-files DIR" in err


# ----------------------------------------------------------------------------------------------
# Merged into the Bromley file


def test_a_first_import_only_numbers_the_committee_and_its_meetings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path
) -> None:
    before = bromley.read_text(encoding="utf-8")
    code, printed, _ = into(capsys, answers(tmp_path / "a", SELECT), bromley)
    assert code == 0
    name = "Education, Children & Families Select Committee"
    assert printed.splitlines() == [
        f"- {name}: linked to its committee in Modern.gov.",
        f"- {name}, Wednesday 28 June 2017: linked to its meeting in Modern.gov.",
        f"- {name}, Tuesday 17 October 2017: linked to its meeting in Modern.gov.",
        f"- {name}, Tuesday 23 January 2018: linked to its meeting in Modern.gov.",
        f"- {name}, Tuesday 27 February 2018: linked to its meeting in Modern.gov.",
    ]
    after = bromley.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        ("", "    moderngov: 300"),
        ("      - {date: 2017-06-28, moved_from: 2017-06-27}",
         "      - {date: 2017-06-28, moved_from: 2017-06-27, moderngov: 301}"),
        ("      - 2017-10-17           # l.129 agenda \"dates of future meetings\"; Appendix 1 l.2228",
         "      - {date: 2017-10-17, moderngov: 302}           # l.129 agenda \"dates of future "
         "meetings\"; Appendix 1 l.2228"),
        ("      - 2018-01-23           # l.130; Appendix 1 l.2244",
         "      - {date: 2018-01-23, moderngov: 303}           # l.130; Appendix 1 l.2244"),
        ("      - 2018-02-27           # l.131; Appendix 1 l.2250",
         "      - {date: 2018-02-27, moderngov: 304}           # l.131; Appendix 1 l.2250"),
    ]  # fmt: skip
    code, printed, err = into(capsys, answers(tmp_path / "a", SELECT), bromley)
    assert (code, printed, bromley.read_text(encoding="utf-8")) == (0, "", after)
    assert "up to date with Modern.gov" in err


def imported(capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path) -> Programme:
    assert into(capsys, answers(tmp_path / "first", SELECT), bromley)[0] == 0
    return load_programme(bromley)


def test_a_meeting_moved_in_moderngov_moves_and_the_replan_changes_only_its_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path
) -> None:
    first = imported(capsys, tmp_path, bromley)
    published = solve(first)
    before = bromley.read_text(encoding="utf-8")
    moved = [*SELECT[:1], (302, "18/10/2017", "Confirmed", "7.00 pm"), *SELECT[2:]]
    code, printed, _ = into(capsys, answers(tmp_path / "moved", moved), bromley)
    assert code == 0
    assert printed == (
        "- Education, Children & Families Select Committee, Tuesday 17 October 2017 moves to "
        "Wednesday 18 October 2017.\n"
    )
    assert changed_lines(before, bromley.read_text(encoding="utf-8")) == [(
        "      - {date: 2017-10-17, moderngov: 302}           # l.129 agenda \"dates of future "
        "meetings\"; Appendix 1 l.2228",
        "      - {date: 2017-10-18, moved_from: 2017-10-17, moderngov: 302}           # l.129 "
        "agenda \"dates of future meetings\"; Appendix 1 l.2228",
    )]  # fmt: skip
    second = load_programme(bromley)
    plan = replan(second, published)
    assert plan.status is SolveStatus.OPTIMAL
    assert [(c.meeting, c.change, c.from_, c.to) for c in plan.changes or []] == [
        ("select-2017-10-17", "date", "2017-10-17", "2017-10-18")
    ]


def test_cancelled_provisional_new_and_gone_meetings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path
) -> None:
    imported(capsys, tmp_path, bromley)
    now = [
        (301, "28/06/2017", "Cancelled", "7.00 pm"),
        (302, "17/10/2017", "Provisional", "6.30 pm"),
        (303, "23/01/2018", "Confirmed", "7.00 pm"),
        (305, "20/03/2018", "Confirmed", "7.00 pm"),  # new
        (306, "12/06/2018", "Confirmed", "7.00 pm"),  # after the programme's year
    ]  # 304, 27 February 2018, is gone
    code, printed, _ = into(capsys, answers(tmp_path / "now", now), bromley, to="2018-07-31")
    assert code == 0
    name = "Education, Children & Families Select Committee"
    assert printed.splitlines() == [
        f"- {name}, Wednesday 28 June 2017 is cancelled.",
        f"- {name}, Tuesday 17 October 2017 is tentative.",
        f"- {name}, Tuesday 17 October 2017: starts at 18:30 (was 19:00).",
        f"- {name}, Tuesday 20 March 2018: a new meeting.",
        f"- {name}, Tuesday 27 February 2018: Modern.gov does not list it between Wednesday "
        "17 May 2017 and Tuesday 31 July 2018. It is left as it is: cancel or remove it here "
        "if it is not to be held.",
        f"- {name}, Tuesday 12 June 2018: outside the programme's year, so not taken; extend "
        "the year to take it.",
    ]
    select = load_programme(bromley).bodies_by_id["select"]
    got = {m.day: (m.status, m.start, m.moderngov) for m in select.meetings}
    assert got == {
        dt.date(2017, 6, 28): ("cancelled", None, 301),
        dt.date(2017, 10, 17): ("tentative", dt.time(18, 30), 302),
        dt.date(2018, 1, 23): ("scheduled", None, 303),
        dt.date(2018, 2, 27): ("scheduled", None, 304),
        dt.date(2018, 3, 20): ("scheduled", None, 305),
    }
    # Restored in Modern.gov: restored here.
    code, printed, _ = into(capsys, answers(tmp_path / "again", SELECT), bromley)
    assert f"- {name}, Wednesday 28 June 2017 is no longer cancelled." in printed.splitlines()


def test_a_file_the_import_would_break_is_left_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path
) -> None:
    before = bromley.read_bytes()
    broken = tmp_path / "broken"
    answers(broken, SELECT)
    (broken / "GetMeetings-300.xml").write_text("<getmeetings><committee>", encoding="utf-8")
    code, printed, err = into(capsys, broken, bromley)
    assert (code, printed) == (2, "")
    assert err.startswith(f"scrutiny import: {broken / 'GetMeetings-300.xml'}: ")
    assert bromley.read_bytes() == before


def test_a_json_programme_is_brought_up_to_date_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = yaml.safe_load(BROMLEY.read_text(encoding="utf-8"))
    file = tmp_path / "bromley.json"
    file.write_text(json.dumps(data, default=str, indent=2), encoding="utf-8")
    code, printed, _ = into(capsys, answers(tmp_path / "a", SELECT), file)
    assert code == 0 and len(printed.splitlines()) == 5
    select = load_programme(file).bodies_by_id["select"]
    assert (select.moderngov, [m.moderngov for m in select.meetings]) == (300, [301, 302, 303, 304])


class _Failing(BaseHTTPRequestHandler):
    """A council's service that lists its committees, then fails on their meetings."""

    def do_GET(self) -> None:
        if "GetCommittees" in self.path:
            body = answers_text()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(500, "Internal Server Error")

    def log_message(self, *_: object) -> None:
        pass


def answers_text() -> bytes:
    return (SAVED / "GetCommittees.xml").read_bytes()


def test_a_call_that_fails_names_the_call_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], bromley: Path
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    before = bromley.read_bytes()
    try:
        code, printed, err = run_import(
            capsys, site, "--committee", "144", "--from", FROM, "--to", TO, "--into", str(bromley)
        )
    finally:
        server.shutdown()
    assert (code, printed, bromley.read_bytes()) == (2, "", before)
    assert err == (
        f"scrutiny import: {site}/mgWebService.asmx/GetMeetings?lCommitteeId=144&sFromDate="
        "17%2F05%2F2017&sToDate=15%2F05%2F2018: the service answered 500 Internal Server Error\n"
    )


def test_a_file_that_names_its_site_and_committees_is_brought_up_to_date_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path
) -> None:
    imported(capsys, tmp_path, bromley)
    moved = [*SELECT[:3], (304, "28/02/2018", "Confirmed", "7.00 pm")]
    folder = answers(tmp_path / "moved", moved)
    code, printed, _ = run_import(capsys, "--from-files", str(folder), "--into", str(bromley))
    assert code == 0
    assert printed == (
        "- Education, Children & Families Select Committee, Tuesday 27 February 2018 moves to "
        "Wednesday 28 February 2018.\n"
    )
    code, _, err = run_import(capsys, "--into", str(bromley))
    assert (code, err) == (2, "scrutiny import: give the Modern.gov site's address, or "
                              "--from-files DIR\n")  # fmt: skip


# ----------------------------------------------------------------------------------------------
# What a clerk's file and a council's Modern.gov may hold


SMALL = """\
id: small
council: Small Council
title: Small programme
year: 2017-05-17..2018-05-15
people: []
bodies:
  - id: select
    name: Select Committee
    start: "19:00"
    meetings:
{meetings}
items: []
"""


def small(tmp_path: Path, *meetings: str, bodies: str = "") -> Path:
    file = tmp_path / "small.yaml"
    lines = "\n".join(f"      - {m}" for m in meetings) or "      []"
    file.write_text(SMALL.format(meetings=lines).replace("items: []", bodies + "items: []"))
    return file


def committee_answers(
    folder: Path, committees: dict[int, str], meetings: dict[int, list[tuple[int, str, str, str]]]
) -> Path:
    """Answers listing `committees` (number: title), each with its meetings."""
    folder.mkdir(exist_ok=True)
    (folder / "GetCommittees.xml").write_text(
        "<committees>"
        + "".join(
            f"<committee><committeeid>{n}</committeeid><committeetitle>{t}</committeetitle>"
            "<committeedeleted>False</committeedeleted><committeeexpired>False</committeeexpired>"
            "<committeecategory>x</committeecategory></committee>"
            for n, t in committees.items()
        )
        + "</committees>"
    )
    for number, listed in meetings.items():
        rows = "".join(
            f"<meeting><meetingid>{n}</meetingid><meetingdate>{day}</meetingdate>"
            f"<meetingstatus>{status}</meetingstatus><meetingtime>{time}</meetingtime></meeting>"
            for n, day, status, time in listed
        )
        (folder / f"GetMeetings-{number}.xml").write_text(
            f"<getmeetings><committee><committeeid>{number}</committeeid><committeetitle>x"
            f"</committeetitle><committeemeetings>{rows}</committeemeetings></committee>"
            "</getmeetings>"
        )
    return folder


def small_into(
    capsys: pytest.CaptureFixture[str], folder: Path, file: Path, *committees: str
) -> tuple[int, list[str], str]:
    named = [a for c in committees or ("300",) for a in ("--committee", c)]
    code, out, err = run_import(
        capsys, "--from-files", str(folder), *named, "--from", FROM, "--to", TO, "--into", str(file)
    )
    return code, out.splitlines(), err


def test_a_confirmed_meeting_is_no_longer_tentative_or_postponed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(
        tmp_path,
        "{date: 2017-06-27, status: tentative}",
        "{date: 2017-10-17, status: postponed}",
        "{id: select-january, date: 2018-01, status: tentative}",
    )
    folder = committee_answers(tmp_path / "a", {300: "Select Committee"}, {300: [
        (301, "27/06/2017", "Confirmed", "7.00 pm"),
        (302, "17/10/2017", "Confirmed", "7.00 pm"),
        (303, "23/01/2018", "Confirmed", "7.00 pm"),
    ]})  # fmt: skip
    code, printed, _ = small_into(capsys, folder, file)
    assert code == 0
    assert [line for line in printed if "linked" not in line] == [
        "- Select Committee, Tuesday 27 June 2017 is confirmed.",
        "- Select Committee, Tuesday 17 October 2017 is confirmed.",
        "- Select Committee, January 2018, date to be fixed is set for Tuesday 23 January 2018.",
        "- Select Committee, Tuesday 23 January 2018 is confirmed.",
    ]
    meetings = load_programme(file).bodies[0].meetings
    assert [(m.key, m.day, m.status) for m in meetings] == [
        ("select-2017-06-27", dt.date(2017, 6, 27), "scheduled"),
        ("select-2017-10-17", dt.date(2017, 10, 17), "scheduled"),
        ("select-january", dt.date(2018, 1, 23), "scheduled"),  # its id kept
    ]
    assert small_into(capsys, folder, file)[1] == []  # the second time: nothing to do


def test_a_postponed_meeting_given_a_new_day_is_held_then(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(tmp_path, "{date: 2017-10-17, status: postponed, moderngov: 302}")
    folder = committee_answers(
        tmp_path / "a", {300: "Select Committee"}, {300: [(302, "24/10/2017", "Confirmed", "")]}
    )
    code, printed, _ = small_into(capsys, folder, file)
    assert code == 0
    assert printed[1:] == ["- Select Committee, Tuesday 17 October 2017 moves to Tuesday 24 "
                           "October 2017."]  # fmt: skip
    [meeting] = load_programme(file).bodies[0].meetings
    assert (meeting.day, meeting.moved_from, meeting.status) == (
        dt.date(2017, 10, 24), dt.date(2017, 10, 17), "scheduled",
    )  # fmt: skip


def test_two_committees_of_one_name_take_one_body_and_are_told_of(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(tmp_path, "2017-06-27")
    folder = committee_answers(
        tmp_path / "a",
        {300: "Select Committee", 310: "Select Committee"},
        {300: [(301, "27/06/2017", "Confirmed", "")], 310: [(311, "28/06/2017", "Confirmed", "")]},
    )
    code, printed, _ = small_into(capsys, folder, file, "300", "310")
    assert code == 0
    assert printed[-1] == (
        "- Select Committee: another committee of Modern.gov has the same name and is taken as "
        "Select Committee here, so its meetings are not taken. Give the body it is its "
        "Modern.gov number in the committee's form, 310, and import again."
    )
    p = load_programme(file)
    assert [(b.id, b.moderngov, [m.moderngov for m in b.meetings]) for b in p.bodies] == [
        ("select", 300, [301])
    ]
    # Again: the first is found by its number; the second is told of again, nothing added.
    code, printed, _ = small_into(capsys, folder, file, "300", "310")
    assert (code, len(printed), len(load_programme(file).bodies)) == (0, 1, 1)


def test_a_name_two_bodies_have_is_refused_not_added(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    twin = "  - id: select-2\n    name: Select  committee\n    meetings: [2017-07-04]\n"
    file = small(tmp_path, "2017-06-27", bodies=twin)
    before = file.read_text()
    folder = committee_answers(
        tmp_path / "a", {300: "Select Committee"}, {300: [(301, "27/06/2017", "Confirmed", "")]}
    )
    code, printed, _ = small_into(capsys, folder, file)
    assert (code, file.read_text()) == (0, before)
    assert printed == [
        "- Select Committee: 2 bodies here have its name, so its meetings are not taken. Give "
        "the one it is its Modern.gov number in the committee's form, 300, and import again."
    ]


def test_a_meeting_modern_gov_does_not_list_is_told_of_on_a_first_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(tmp_path, "2017-06-27", "2017-10-17")
    folder = committee_answers(tmp_path / "a", {300: "Select Committee"}, {300: [
        (301, "27/06/2017", "Confirmed", ""), (302, "24/10/2017", "Confirmed", ""),
    ]})  # fmt: skip
    code, printed, _ = small_into(capsys, folder, file)
    assert code == 0
    assert printed[-2:] == [
        "- Select Committee, Tuesday 24 October 2017: a new meeting.",
        "- Select Committee, Tuesday 17 October 2017: Modern.gov does not list it between "
        "Wednesday 17 May 2017 and Tuesday 15 May 2018. It is left as it is: cancel or remove it "
        "here if it is not to be held.",
    ]


def test_two_meetings_on_one_day_are_told_apart_by_their_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(
        tmp_path, '{id: am, date: 2017-06-27, start: "10:00"}', "{id: pm, date: 2017-06-27}"
    )
    folder = committee_answers(tmp_path / "a", {300: "Select Committee"}, {300: [
        (305, "27/06/2017", "Confirmed", "7.00 pm"), (301, "27/06/2017", "Confirmed", "10.00 am"),
    ]})  # fmt: skip
    assert small_into(capsys, folder, file)[0] == 0
    meetings = load_programme(file).bodies[0].meetings
    assert [(m.key, m.start, m.moderngov) for m in meetings] == [
        ("am", dt.time(10), 301), ("pm", None, 305),
    ]  # fmt: skip


def test_new_meetings_on_one_day_get_ids_of_their_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(tmp_path)
    folder = committee_answers(tmp_path / "a", {300: "Select Committee"}, {300: [
        (301, "27/06/2017", "Confirmed", "10.00 am"), (305, "27/06/2017", "Confirmed", "7.00 pm"),
        (305, "27/06/2017", "Confirmed", "7.00 pm"),  # listed twice: one meeting
    ]})  # fmt: skip
    assert small_into(capsys, folder, file)[0] == 0
    meetings = load_programme(file).bodies[0].meetings
    assert [(m.key, m.start, m.moderngov) for m in meetings] == [
        ("select-2017-06-27", dt.time(10), 301), ("select-2017-06-27-305", None, 305),
    ]  # fmt: skip


def test_a_meetings_own_time_goes_when_modern_gov_gives_its_bodys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(tmp_path, '{date: 2017-06-27, start: "18:30", moderngov: 301}')
    folder = committee_answers(
        tmp_path / "a", {300: "Select Committee"}, {300: [(301, "27/06/2017", "Confirmed", "7 pm")]}
    )
    code, printed, _ = small_into(capsys, folder, file)
    assert (code, printed[1:]) == (0, ["- Select Committee, Tuesday 27 June 2017: starts at 19:00 "
                                       "(was 18:30)."])  # fmt: skip
    assert "      - {date: 2017-06-27, moderngov: 301}\n" in file.read_text()


def test_meetings_outside_the_days_asked_for_are_not_taken(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Modern.gov answers every meeting it has when it cannot read the dates asked for."""
    file = small(tmp_path)
    folder = committee_answers(tmp_path / "a", {300: "Select Committee"}, {300: [
        (299, "16/05/2017", "Confirmed", ""), (301, "27/06/2017", "Confirmed", ""),
        (399, "16/05/2018", "Confirmed", ""),
    ]})  # fmt: skip
    assert small_into(capsys, folder, file)[0] == 0
    assert [m.moderngov for m in load_programme(file).bodies[0].meetings] == [301]


def test_a_change_that_would_make_the_file_invalid_leaves_it_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """1.30 am on 25 March 2018 is skipped by the clocks in London."""
    file = small(tmp_path)
    before = file.read_bytes()
    folder = committee_answers(
        tmp_path / "a",
        {300: "Select Committee"},
        {300: [(301, "25/03/2018", "Confirmed", "1.30 am")]},
    )
    code, printed, err = small_into(capsys, folder, file)
    assert (code, printed, file.read_bytes()) == (2, [], before)
    assert err.startswith(
        f"scrutiny import: {file} is left as it was: Modern.gov's changes cannot be made (the "
        f"lines are those the file would have):\n{file}:"
    )


def test_the_site_is_written_into_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(tmp_path, "2017-06-27")
    folder = committee_answers(
        tmp_path / "a", {300: "Select Committee"}, {300: [(301, "27/06/2017", "Confirmed", "")]}
    )
    code, out, _ = run_import(
        capsys, "https://democracy.small.gov.uk/mgWebService.asmx", "--from-files", str(folder),
        "--committee", "300", "--from", FROM, "--to", TO, "--into", str(file),
    )  # fmt: skip
    assert (code, out.splitlines()[0]) == (
        0,
        "- The council's Modern.gov is https://democracy.small.gov.uk.",
    )
    assert load_programme(file).moderngov == "https://democracy.small.gov.uk"


def test_a_file_with_windows_line_endings_keeps_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path
) -> None:
    crlf = BROMLEY.read_bytes().replace(b"\n", b"\r\n")
    bromley.write_bytes(crlf)
    assert into(capsys, answers(tmp_path / "a", SELECT), bromley)[0] == 0
    after = bromley.read_bytes()
    assert after.count(b"\r\n") == after.count(b"\n") == crlf.count(b"\r\n") + 1
    assert (
        b"      - {date: 2018-01-23, moderngov: 303}           # l.130; Appendix 1 l.2244\r\n"
        in after
    )


def test_a_file_that_is_not_utf_8_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = tmp_path / "latin.yaml"
    file.write_bytes("council: Caf\u00e9\n".encode("latin-1"))
    code, _, err = into(capsys, answers(tmp_path / "a", SELECT), file)
    assert (code, err) == (2, f"{file}:1: cannot be read: it is not UTF-8 text\n")


def test_o_never_replaces_a_file_without_force_and_dash_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: Path
) -> None:
    before = bromley.read_bytes()
    folder = answers(tmp_path / "a", SELECT)
    common = ["--from-files", str(folder), "--committee", "300", "--from", FROM, "--to", TO]
    code, _, err = run_import(capsys, *common, "-o", str(bromley))
    assert (code, bromley.read_bytes()) == (2, before)
    assert (
        err
        == f"scrutiny import: {bromley} exists: give --force to replace it, or --into to update it\n"
    )
    code, out, _ = run_import(capsys, *common, "-o", "-")
    assert code == 0 and "    moderngov: 300\n" in out and not (Path.cwd() / "-").exists()
    assert run_import(capsys, *common, "-o", str(bromley), "--force")[0] == 0
    assert load_programme(bromley).bodies[0].moderngov == 300


def test_a_number_given_twice_is_refused(tmp_path: Path) -> None:
    file = small(
        tmp_path, "{date: 2017-06-27, moderngov: 301}", "{date: 2017-07-04, moderngov: 301}"
    )
    with pytest.raises(ProgrammeError) as raised:
        load_programme(file)
    assert [p.message for p in raised.value.problems] == [
        "Modern.gov's meeting 301 is given to more than one meeting"
    ] * 2


def test_a_meeting_past_midnight_has_the_minutes_to_its_finish() -> None:
    late = moderngov.Meeting(1, 300, dt.date(2017, 6, 27), "scheduled", dt.time(23), dt.time(1))
    found = Found(Committee(300, "Late Committee", False, False, ""), (late,), late.date, late.date)
    text = new_programme([found], None, "Late Council", dt.date(2017, 5, 17), dt.date(2018, 5, 15))
    assert load_programme_text(text, "late.yaml").bodies[0].minutes == 120


def test_a_current_committee_is_taken_before_an_expired_one_of_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "GetCommittees.xml").write_text(
        "<committees>"
        + "".join(
            f"<committee><committeeid>{n}</committeeid><committeetitle>Audit</committeetitle>"
            f"<committeedeleted>False</committeedeleted><committeeexpired>{expired}"
            "</committeeexpired><committeecategory>x</committeecategory></committee>"
            for n, expired in ((10, "True"), (20, "False"))
        )
        + "</committees>"
    )
    (folder / "GetMeetings.xml").write_text("<getmeetings></getmeetings>")
    [found] = fetch(Folder(folder), ["audit"], dt.date(2017, 5, 17), dt.date(2018, 5, 15))
    assert found.committee.id == 20


def test_a_saved_meeting_answer_of_another_meeting_is_refused(tmp_path: Path) -> None:
    folder = answers(tmp_path / "a", SELECT)
    shutil.copy(SAVED / "GetMeeting.xml", folder / "GetMeeting-301.xml")  # meeting 4967's
    with pytest.raises(ModernGovError, match="holds meeting 4967, not meeting 301"):
        fetch(Folder(folder), ["300"], dt.date(2017, 5, 17), dt.date(2018, 5, 15))


def test_a_number_whose_committee_has_another_name_is_told_of(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = small(tmp_path, "{date: 2017-06-27, moderngov: 301}")
    file.write_text(
        file.read_text().replace(
            "name: Select Committee", "name: Select Committee\n    moderngov: 300"
        )
    )
    folder = committee_answers(
        tmp_path / "a", {300: "Licensing Committee"}, {300: [(301, "27/06/2017", "Confirmed", "")]}
    )
    code, printed, _ = small_into(capsys, folder, file)
    assert (code, printed) == (0, [
        '- Select Committee: Modern.gov calls the committee of its number "Licensing Committee". '
        "If that is another committee, correct the Modern.gov number in the committee's form "
        "before applying these changes."
    ])  # fmt: skip


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://democracy.small.gov.uk/", "https://democracy.small.gov.uk"),
        ("https://democracy.small.gov.uk/mgWebService.asmx", "https://democracy.small.gov.uk"),
        ("http://[::1]:8080/council/", "http://[::1]:8080/council"),
    ],
)
def test_the_sites_address_is_kept_as_links_need_it(tmp_path: Path, given: str, kept: str) -> None:
    file = small(tmp_path)
    file.write_text(f"moderngov: {given}\n" + file.read_text())
    assert load_programme(file).moderngov == kept


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("https://clerk:S3cret@democracy.small.gov.uk", "without a name and password"),
        ("https://democracy.small.gov.uk/?a=b", "without ? or #"),
        ("https://democracy.small.gov.uk:99999", "is not a web address"),
        ("http://exa..mple.com", "a part of its host name is empty or too long"),
        ("ftp://democracy.small.gov.uk", "is not a web address"),
    ],
)
def test_a_sites_address_links_cannot_use_is_refused(
    tmp_path: Path, given: str, problem: str
) -> None:
    file = small(tmp_path)
    file.write_text(f"moderngov: {given}\n" + file.read_text())
    with pytest.raises(ProgrammeError) as raised:
        load_programme(file)
    assert problem in str(raised.value)
    assert "S3cret" not in str(raised.value)


def test_meetings_are_taken_earliest_first_whatever_order_they_are_listed_in(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = committee_answers(tmp_path / "a", {300: "Select Committee"}, {300: [
        (303, "23/01/2018", "Confirmed", ""), (301, "27/06/2017", "Confirmed", ""),
    ]})  # fmt: skip
    found = fetch(Folder(folder), ["300"], dt.date(2017, 5, 17), dt.date(2018, 5, 15))
    assert [m.id for m in found[0].meetings] == [301, 303]
    with pytest.raises(ModernGovError) as raised:
        fetch(Folder(folder), ["300"], dt.date(2018, 5, 15), dt.date(2017, 5, 17))
    assert raised.value.problem == "Wednesday 17 May 2017 is before Tuesday 15 May 2018"


class _Together(BaseHTTPRequestHandler):
    """A site whose meetings answer only when two are asked for at once (a barrier of two)."""

    barrier = threading.Barrier(2, timeout=10)

    def do_GET(self) -> None:
        call = self.path.split("?")[0].rsplit("/", 1)[-1]
        if call == "GetMeeting":
            try:
                self.barrier.wait()
            except threading.BrokenBarrierError:
                self.send_error(500, "asked one at a time")
                return
            number = self.path.rsplit("=", 1)[-1]
            day = {"301": "27/06/2017", "302": "17/10/2017"}[number]
            body = (
                f"<meeting><meetingid>{number}</meetingid><meetingdate>{day}</meetingdate>"
                "<meetingstatus>Confirmed</meetingstatus><meetingtime>7.00 pm</meetingtime>"
                "<meetingplannedfinishtime>9.30 pm</meetingplannedfinishtime>"
                "<meetinglocation>Council Chamber</meetinglocation></meeting>"
            ).encode()
        else:
            folder = self.server.folder  # type: ignore[attr-defined]
            name = "GetCommittees.xml" if call == "GetCommittees" else "GetMeetings-300.xml"
            body = (folder / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


def test_the_meetings_of_a_site_are_asked_for_a_few_at_a_time(tmp_path: Path) -> None:
    folder = committee_answers(tmp_path / "a", {300: "Select Committee"}, {300: [
        (301, "27/06/2017", "Confirmed", "7.00 pm"), (302, "17/10/2017", "Confirmed", "7.00 pm"),
    ]})  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Together)
    server.folder = folder  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        site = Site(f"http://127.0.0.1:{server.server_address[1]}")
        [found] = fetch(site, ["300"], dt.date(2017, 5, 17), dt.date(2018, 5, 15))
    finally:
        server.shutdown()
    assert [(m.id, m.location, m.finish) for m in found.meetings] == [
        (301, "Council Chamber", dt.time(21, 30)), (302, "Council Chamber", dt.time(21, 30)),
    ]  # fmt: skip
