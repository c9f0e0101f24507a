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
from scheduler.plan.model import SolveStatus
from scheduler.programme.load import load_programme
from scheduler.programme.model import Programme
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


def answers(folder: Path, meetings: list[tuple[int, str, str, str]], extra: str = "") -> Path:
    """A folder of Modern.gov answers for the Select Committee, with `meetings`."""
    folder.mkdir(exist_ok=True)
    title = "Education, Children &amp;amp; Families Select Committee"
    (folder / "GetCommittees.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<committees><committee>'
        f"<committeeid>300</committeeid><committeetitle>{title}</committeetitle>"
        "<committeedeleted>False</committeedeleted><committeeexpired>False</committeeexpired>"
        "<committeecategory>Scrutiny</committeecategory></committee></committees>\n",
        encoding="utf-8",
    )
    listed = "".join(
        f"<meeting><meetingid>{n}</meetingid><meetingdate>{day}</meetingdate>"
        f"<meetingstatus>{status}</meetingstatus><meetingtime>{time}</meetingtime></meeting>"
        for n, day, status, time in meetings
    )
    (folder / "GetMeetings-300.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<getmeetings><committee>'
        f"<committeeid>300</committeeid><committeetitle>{title}</committeetitle>"
        f"<committeemeetings>{listed}</committeemeetings></committee></getmeetings>\n{extra}",
        encoding="utf-8",
    )
    return folder


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
    assert printed.splitlines() == [
        "- Education, Children & Families Select Committee is Modern.gov's committee 300.",
        "- Education, Children & Families Select Committee, Wednesday 28 June 2017 is "
        "Modern.gov's meeting 301.",
        "- Education, Children & Families Select Committee, Tuesday 17 October 2017 is "
        "Modern.gov's meeting 302.",
        "- Education, Children & Families Select Committee, Tuesday 23 January 2018 is "
        "Modern.gov's meeting 303.",
        "- Education, Children & Families Select Committee, Tuesday 27 February 2018 is "
        "Modern.gov's meeting 304.",
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
        f"- {name}, Tuesday 27 February 2018: Modern.gov no longer lists it in the days asked "
        "for. It is left as it is: cancel or remove it here if it is not to be held.",
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
