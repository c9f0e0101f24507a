"""Promises the outputs make across versions and audiences, held end to end.

- DESIGN §7: a published meeting's calendar events keep their UID, and their SEQUENCE rises by
  one whenever what they show changes (venue, deadlines), never otherwise; publishing (revising)
  twice changes nothing.
- DESIGN §4.1, §6: `nation: wales` gives three clear days before a meeting, England five, from
  the programme through `scrutiny deadlines`, the plan, the document and the feeds.
- DESIGN §2, §7: an exempt item's filled-in title, and the witness session that goes with an
  exempt item, are in no public output, while the clerk's outputs show them.
- DESIGN §5: a re-plan says whether its disruption is proven the least.

Versions are made as a clerk makes them: edit the programme, re-plan against the published
plan, publish against it, write the feeds.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scheduler.cli import main
from scheduler.outputs.document import NotPlaced, document
from scheduler.outputs.exempt import EXEMPT
from scheduler.outputs.feeds import feeds
from scheduler.outputs.publish import publish
from scheduler.outputs.report import html, markdown, word
from scheduler.plan.changes import unit_meetings
from scheduler.plan.model import Plan, SolveStatus
from scheduler.plan.revisions import revise
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from tests.conftest import DATA
from tests.docx_text import text as docx_text
from tests.feed_parsers import events, text_of

TOWN = (DATA / "feeds.yaml").read_text()
OPTIONS = SolveOptions(time_limit=10)
T1 = dt.datetime(2017, 5, 20, 9, tzinfo=dt.UTC)
T2 = dt.datetime(2017, 6, 1, 9, tzinfo=dt.UTC)
T3 = dt.datetime(2017, 7, 1, 9, tzinfo=dt.UTC)
JUNE = "overview-2017-06-28"
JANUARY = "overview-2018-01-23"
FORUM_JULY = "forum-2017-07-05"
#: Every event a meeting has in the clerk's feed: the meeting and each of its deadlines.
DEADLINES = (".agenda", ".reports", ".questions", ".preparation")


def uid(meeting: str, suffix: str = "") -> str:
    return f"feeds-council.{meeting}{suffix}@scrutiny-scheduler"


@dataclass(frozen=True)
class Version:
    """One published version: its programme, the published plan and its feeds."""

    programme: Programme
    plan: Plan
    feeds: dict[str, bytes]

    def event(self, feed: str, meeting: str, suffix: str = "") -> dict[str, str]:
        return events(self.feeds[feed])[uid(meeting, suffix)]


def first_version(text: str, at: dt.datetime = T1) -> Version:
    p = parse_programme(text, "town.yaml")
    plan = publish(p, solve(p, OPTIONS), at=at)
    return Version(p, plan, feeds(p, plan))


def next_version(before: Version, text: str, at: dt.datetime) -> Version:
    """The edited programme re-planned against `before` and published against it."""
    p = parse_programme(text, "town.yaml")
    new = replan(p, before.plan, options=OPTIONS)
    assert new.status is SolveStatus.OPTIMAL
    plan = publish(p, new, at=at, previous=before.plan)
    return Version(p, plan, feeds(p, plan))


def edit(text: str, old: str, new: str) -> str:
    edited = text.replace(old, new, 1)
    assert edited != text, old
    return edited


_STAMPS = ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE")


def _meeting_of(key: str) -> str:
    """The meeting an event is of: its UID without programme, deadline suffix and domain."""
    return key.partition("@")[0].split(".")[1]


def _meetings(plan: Plan) -> dict[str, dict[str, Any]]:
    """Each meeting of the plan as its JSON says, without its numbering."""
    data = json.loads(plan.to_json())
    return {
        m["id"]: {k: v for k, v in m.items() if k not in ("sequence", "revised")}
        for m in data["meetings"]
    }


def assert_sequence_rises_exactly_where_events_changed(before: Version, after: Version) -> None:
    """A meeting's events (the meeting and its deadlines) share its SEQUENCE. Across every feed
    of both versions, every event of a meeting rises by exactly one when any of its events
    changed (anything but the stamps) or its record in the plan did (a deadline no feed shows
    yet); otherwise it keeps its SEQUENCE."""
    then = _meetings(before.plan)
    changed = {mid for mid, now in _meetings(after.plan).items() if then.get(mid, now) != now}
    rises: dict[tuple[str, str], int] = {}
    for name in sorted(set(before.feeds) & set(after.feeds)):
        old, new = events(before.feeds[name]), events(after.feeds[name])
        for key in sorted(set(old) & set(new)):
            a = {k: v for k, v in old[key].items() if k not in _STAMPS}
            b = {k: v for k, v in new[key].items() if k not in _STAMPS}
            if a != b:
                changed.add(_meeting_of(key))
            rises[name, key] = int(new[key]["SEQUENCE"]) - int(old[key]["SEQUENCE"])
    for (name, key), rise in rises.items():
        assert rise == (1 if _meeting_of(key) in changed else 0), (name, key)


def sequences(v: Version) -> dict[tuple[str, str], str]:
    """(feed, UID) -> SEQUENCE of every event of every feed."""
    return {
        (name, key): props["SEQUENCE"]
        for name, data in v.feeds.items()
        for key, props in events(data).items()
    }


# --- 1. a change a subscriber must see raises SEQUENCE; the UID stays ---------------------------


def test_a_venue_change_raises_the_meetings_sequence_by_one_and_keeps_its_uid() -> None:
    """DESIGN §7: SEQUENCE is raised whenever a meeting's venue changes. The June meeting moves
    to Committee Room 1: its event in every feed that shows it (public, the clerk's, a member's,
    its witness's), and its deadline events, go from 0 to 1 under the same UID; nothing else
    rises."""
    v1 = first_version(TOWN)
    moved = edit(
        TOWN, "      - 2017-06-28 ", "      - {date: 2017-06-28, venue: Committee Room 1} "
    )
    v2 = next_version(v1, moved, T2)
    for feed in ("public/overview.ics", "clerk.ics", "people/member.ics", "people/witness.ics"):
        before, after = v1.event(feed, JUNE), v2.event(feed, JUNE)
        assert (before["SEQUENCE"], after["SEQUENCE"]) == ("0", "1"), feed
        assert before["LOCATION"] == "Council Chamber\\, Feedtown Town Hall", feed
        assert after["LOCATION"] == "Committee Room 1", feed
        assert after["LAST-MODIFIED"] == after["DTSTAMP"] == "20170601T090000Z", feed
        assert after["DTSTART"] == before["DTSTART"] == "20170628T190000", feed
    for suffix in DEADLINES:
        assert v2.event("clerk.ics", JUNE, suffix)["SEQUENCE"] == "1", suffix
    january = v2.event("public/overview.ics", JANUARY)
    assert (january["SEQUENCE"], january["LAST-MODIFIED"]) == ("0", "20170520T090000Z")
    assert_sequence_rises_exactly_where_events_changed(v1, v2)


def test_a_closure_day_that_moves_deadlines_raises_the_deadline_events_sequence() -> None:
    """DESIGN §6: deadlines count working days, and a closure is not one. Closing Wednesday
    21 June 2017 moves the June meeting's agenda publication from Tuesday 20 to Monday 19 June
    (five clear days: 20, 22, 23, 26, 27 June) and its reports-due date from 14 to 13 June (ten
    working days), and the Tenants' Forum's reports from 21 to 20 June; its questions deadline
    (22 June) stays. Those meetings' events rise to SEQUENCE 1; January's stay at 0."""
    v1 = first_version(TOWN)
    closed = edit(
        TOWN,
        "year: 2017-05-10..2018-05-15\n",
        "year: 2017-05-10..2018-05-15\nclosures: [2017-06-21]\n",
    )
    v2 = next_version(v1, closed, T2)
    expected = {
        ".agenda": ("20170620", "20170619"),
        ".reports": ("20170614", "20170613"),
        ".questions": ("20170622", "20170622"),
    }
    for suffix, days in expected.items():
        before, after = v1.event("clerk.ics", JUNE, suffix), v2.event("clerk.ics", JUNE, suffix)
        assert (before["DTSTART"], after["DTSTART"]) == days, suffix
        assert (before["SEQUENCE"], after["SEQUENCE"]) == ("0", "1"), suffix
    officer = v2.event("people/officer.ics", JUNE, ".reports")  # the Homelessness Strategy's
    assert (officer["DTSTART"], officer["SEQUENCE"]) == ("20170613", "1")
    forum = (
        v1.event("clerk.ics", FORUM_JULY, ".reports"),
        v2.event("clerk.ics", FORUM_JULY, ".reports"),
    )
    assert [(e["DTSTART"], e["SEQUENCE"]) for e in forum] == [("20170621", "0"), ("20170620", "1")]
    assert v2.event("public/overview.ics", JUNE)["SEQUENCE"] == "1"
    assert "Agenda published: Monday 19 June 2017" in text_of(v2.feeds["public/overview.ics"])
    assert v2.event("clerk.ics", JANUARY, ".agenda")["SEQUENCE"] == "0"
    assert_sequence_rises_exactly_where_events_changed(v1, v2)


def test_a_new_reports_due_setting_raises_every_open_meetings_sequence() -> None:
    """`deadlines.reports_due_working_days: 8` instead of the default 10 moves every open
    meeting's reports-due date two working days later (the June meeting's from Wednesday 14 to
    Friday 16 June 2017): every such meeting's events rise to SEQUENCE 1 in every feed."""
    v1 = first_version(TOWN)
    setting = edit(
        TOWN,
        "year: 2017-05-10..2018-05-15\n",
        "year: 2017-05-10..2018-05-15\ndeadlines: {reports_due_working_days: 8}\n",
    )
    v2 = next_version(v1, setting, T2)
    before, after = v1.event("clerk.ics", JUNE, ".reports"), v2.event("clerk.ics", JUNE, ".reports")
    assert [(e["DTSTART"], e["SEQUENCE"]) for e in (before, after)] == [
        ("20170614", "0"),
        ("20170616", "1"),
    ]
    open_meetings = [m.id for m in v2.plan.meetings if m.status != "cancelled"]
    assert open_meetings == [
        JUNE,
        FORUM_JULY,
        "panel-2017-09-12",
        "forum-2017-11-15",
        JANUARY,
        "overview-2018-02-07-callin",
        "panel-2018-02-13",
        "overview-2018-03-20",
    ]
    for meeting in open_meetings:
        assert v2.event("clerk.ics", meeting)["SEQUENCE"] == "1", meeting
    assert v2.event("clerk.ics", "overview-2017-10-17")["SEQUENCE"] == "0"  # cancelled all along
    assert_sequence_rises_exactly_where_events_changed(v1, v2)


def test_an_item_moving_to_another_agenda_section_raises_the_meetings_sequence() -> None:
    """The event's DESCRIPTION lists the agenda under section headings. The clerk makes the
    Independent Advice a report instead of a short item: in March's event it moves from
    "Short items" to "Reports", a change to what subscribers read, so SEQUENCE must rise."""
    v1 = first_version(TOWN)
    report = edit(
        TOWN,
        "title: Independent Advice on Rent Setting\n    body: overview\n    kind: short\n",
        "title: Independent Advice on Rent Setting\n    body: overview\n    kind: report\n",
    )
    v2 = next_version(v1, report, T2)
    march = "overview-2018-03-20"
    before, after = v1.event("public/overview.ics", march), v2.event("public/overview.ics", march)
    assert "\\n\\nShort items\\n3. Independent Advice on Rent Setting" in before["DESCRIPTION"]
    assert "\\n\\nReports\\n3. Independent Advice on Rent Setting" in after["DESCRIPTION"]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == ("0", "1")


# --- 2. publishing twice changes nothing -------------------------------------------------------


def test_revising_and_publishing_the_same_plan_twice_gives_the_same_bytes() -> None:
    """A re-plan is already numbered against the published plan (`replan` revises it);
    publishing it against that plan revises it again, and the feeds may revise it once more
    against the version before: every one of these is the same plan, byte for byte, with the
    same SEQUENCE in every feed."""
    v1 = first_version(TOWN)
    p = parse_programme(
        edit(TOWN, "      - 2017-06-28 ", "      - {date: 2017-06-28, venue: Committee Room 1} "),
        "town.yaml",
    )
    new = replan(p, v1.plan, options=OPTIONS)
    assert revise(v1.plan, new).to_json() == new.to_json()
    assert revise(v1.plan, revise(v1.plan, new)).to_json() == new.to_json()
    once = publish(p, new, at=T2, previous=v1.plan)
    twice = publish(p, once, at=T2, previous=v1.plan)
    assert twice.to_json() == once.to_json()
    assert publish(p, new, at=T2, previous=v1.plan).to_json() == once.to_json()
    written = feeds(p, once)
    assert feeds(p, once, previous=v1.plan) == written
    assert feeds(p, twice, previous=v1.plan) == written
    assert events(written["public/overview.ics"])[uid(JUNE)]["SEQUENCE"] == "1"


def test_publishing_an_unchanged_plan_again_raises_no_sequence() -> None:
    """Version 2 moved the June meeting's venue (SEQUENCE 1). Version 3 re-plans the same
    programme again and is published: no event in any feed rises, and June's last modification
    stays version 2's publication; only DTSTAMP says when the feed was written."""
    v1 = first_version(TOWN)
    moved = edit(
        TOWN, "      - 2017-06-28 ", "      - {date: 2017-06-28, venue: Committee Room 1} "
    )
    v2 = next_version(v1, moved, T2)
    v3 = next_version(v2, moved, T3)
    assert sequences(v3) == sequences(v2)
    assert sequences(v2)[("public/overview.ics", uid(JUNE))] == "1"
    june = v3.event("public/overview.ics", JUNE)
    assert (june["DTSTAMP"], june["LAST-MODIFIED"]) == ("20170701T090000Z", "20170601T090000Z")
    assert_sequence_rises_exactly_where_events_changed(v2, v3)


def test_publishing_the_published_file_again_keeps_each_last_modification() -> None:
    """`scrutiny publish` given the version already published (as plan and as --previous):
    nothing changed, so no SEQUENCE rises and each event's LAST-MODIFIED stays when it last
    changed (June's venue: version 2's publication), not this publication."""
    v1 = first_version(TOWN)
    moved = edit(
        TOWN, "      - 2017-06-28 ", "      - {date: 2017-06-28, venue: Committee Room 1} "
    )
    v2 = next_version(v1, moved, T2)
    again = publish(v2.programme, v2.plan, at=T3, previous=v2.plan)
    v3 = Version(v2.programme, again, feeds(v2.programme, again))
    assert sequences(v3) == sequences(v2)
    june = v3.event("public/overview.ics", JUNE)
    assert (june["DTSTAMP"], june["LAST-MODIFIED"]) == ("20170701T090000Z", "20170601T090000Z")


# --- 3. Wales: three clear days; England: five ---------------------------------------------------

VALLEYS = """\
id: valleys
council: Valleys Borough Council
title: Valleys Scrutiny Work Programme 2017/18
year: 2017-05-10..2018-05-15
nation: {nation}
people:
  - {{id: dso, name: Dee Clerk, email: dee.clerk@example.org}}
  - {{id: treasurer, name: Tom Treasurer, role: Head of Finance}}
bodies:
  - id: scrutiny
    name: Scrutiny Committee
    clerk: dso
    members: [dso]
    venue: Council Chamber
    start: "19:00"
    meetings: [2018-01-03]
items:
  - {{id: budget, title: Draft Budget 2018/19, body: scrutiny, kind: substantive,
      presenters: [treasurer]}}
"""


@pytest.mark.parametrize(
    ("nation", "iso", "words"),
    [
        # Wednesday 3 January 2018: 1 January, 25 and 26 December are bank holidays in both.
        # England, 5 clear days (2 Jan, 29, 28, 27, 22 Dec): published Thursday 21 December.
        ("england", "2017-12-21", "Thursday 21 December 2017"),
        # Wales, 3 clear days (2 Jan, 29, 28 Dec): published Wednesday 27 December.
        ("wales", "2017-12-27", "Wednesday 27 December 2017"),
    ],
)
def test_statutory_clear_days_follow_the_nation_from_programme_to_every_output(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    nation: str,
    iso: str,
    words: str,
) -> None:
    """DESIGN §4.1, §6: the agenda publication date leaves the nation's statutory clear days
    (Wales 3, England 5) before the meeting, and every output says the same date: `scrutiny
    deadlines`, the solved plan, the document (clerk's and public) and the feeds. The other
    deadlines do not depend on the nation: reports due Friday 15 December 2017 (ten working
    days), questions by 17:00 on Wednesday 27 December 2017 (four)."""
    programme = tmp_path / "valleys.yaml"
    programme.write_text(VALLEYS.format(nation=nation))
    assert main(["deadlines", str(programme), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "meeting": "scrutiny-2018-01-03",
            "body": "scrutiny",
            "date": "2018-01-03",
            "when": "",
            "start": "19:00",
            "status": "scheduled",
            "agenda_publication": iso,
            "reports_due": "2017-12-15",
            "public_questions": "2017-12-27T17:00",
            "preparation": "2018-01-03T18:30",
        }
    ]
    plan_file = tmp_path / "plan.json"
    assert main(["solve", str(programme), "-o", str(plan_file)]) == 0
    [meeting] = json.loads(plan_file.read_text())["meetings"]
    assert meeting["deadlines"] == {
        "agenda_publication": iso,
        "reports_due": "2017-12-15",
        "public_questions": "2017-12-27T17:00",
    }
    lines = {  # the officers' reports-due date is the clerk's alone (issue 22)
        "clerk": f"Agenda published {words}; Reports due Friday 15 December 2017; "
        "Public questions by 17:00 on Wednesday 27 December 2017.",
        "public": f"Agenda published {words}; "
        "Public questions by 17:00 on Wednesday 27 December 2017.",
    }
    for audience, line in lines.items():
        capsys.readouterr()
        args = ["report", str(programme), str(plan_file), "--audience", audience, "-o", "-"]
        assert main(args) == 0
        assert line in capsys.readouterr().out.splitlines(), audience
    out = tmp_path / "feeds"
    assert main(["feeds", str(programme), str(plan_file), "-o", str(out)]) == 0
    meeting_uid = "valleys.scrutiny-2018-01-03{}@scrutiny-scheduler"
    clerk = events((out / "clerk.ics").read_bytes())
    assert clerk[meeting_uid.format(".agenda")]["DTSTART"] == iso.replace("-", "")
    assert clerk[meeting_uid.format(".agenda")]["SUMMARY"] == (
        "Agenda out: Scrutiny Committee (3 January 2018)"
    )
    assert clerk[meeting_uid.format(".reports")]["DTSTART"] == "20171215"
    assert clerk[meeting_uid.format(".questions")]["DTSTART"] == "20171227"
    for feed in ("clerk.ics", "public/scrutiny.ics"):
        assert f"\nAgenda published: {words}\n" in text_of((out / feed).read_bytes()), feed


# --- 4. exempt: filled-in titles and `with` partners are in no public output -------------------

SECRETOWN = """\
id: secretown
council: Secretown Borough Council
title: Secretown Scrutiny Work Programme 2017/18
year: 2017-05-10..2018-05-15
people:
  - {id: chair, name: Cllr Ada Chair}
  - {id: dso, name: Dee Clerk, role: Democratic Services Officer, email: dee.clerk@example.org}
  - {id: officer, name: Eve Officer, role: Head of Procurement}
  - {id: contractor, name: Carl Builder, role: Managing Director}
  - {id: librarian, name: Lou Reader, role: Head of Libraries}
  - {id: resident, name: Rita Resident, role: Tenants' Representative}
bodies:
  - id: overview
    name: Overview Committee
    chair: chair
    clerk: dso
    members: [chair]
    venue: Council Chamber
    minutes: 240
    limits: {report: 1}
    meetings: [2017-06-28, 2017-10-17, 2018-01-23]
items:
  - {id: apologies, title: Apologies for Absence, body: overview, kind: standing, minutes: 5,
     verbal: true}
  - id: contract-monitoring
    title: "Contract Monitoring {fy} {period}"
    body: overview
    kind: report
    every: quarter
    exempt: 3
    priority: low
    presenters: [officer]
  - id: library-review
    title: Library Opening Hours Review
    body: overview
    kind: report
    priority: low
    window: 2017-09-01..2018-02-28
    presenters: [librarian]
  - id: repairs-award
    title: Repairs Contract Award
    body: overview
    kind: substantive
    exempt: 3
    presenters: [officer]
    meeting: 2018-01-23
  - id: repairs-evidence
    title: Evidence from Acme Repairs Ltd
    body: overview
    kind: witness-session
    with: repairs-award
    witnesses: [contractor]
  - {id: tenants-views, title: Tenants' Views on Repairs, body: overview, kind: short,
     witnesses: [resident], meeting: 2018-01-23}
"""
#: What the public may not read of Secretown: the exempt items' titles (filled in, and as
#: written), their ids, the witness session going with an exempt item, and its witness.
SECRETS = (
    "Contract Monitoring",
    "Contract Monitoring 2017/18 1st Quarter",
    "Contract Monitoring 2017/18 2nd Quarter",
    "Contract Monitoring 2017/18 3rd Quarter",
    "Contract Monitoring 2017/18 4th Quarter",
    "contract-monitoring",
    "Repairs Contract Award",
    "repairs-award",
    "Evidence from Acme Repairs Ltd",
    "Acme",
    "repairs-evidence",
    "Carl Builder",
)
CROWDED = (  # why the library review is unplaced, in its details: two name an exempt title
    "R6 capacity: 4 report items compete for 3 meetings of 'overview' holding 1 each (2 placed)",
    "R6 capacity: overview-2017-10-17 already holds 1 report "
    "(Contract Monitoring 2017/18 1st Quarter)",
    "R6 capacity: overview-2018-01-23 already holds 1 report "
    "(Contract Monitoring 2017/18 3rd Quarter)",
    "R4 window: overview-2017-06-28 is outside 2017-09-01..2018-02-28",
)
CROWDED_WORDS = (  # the same in words: three name an exempt title
    "4 report items for 3 meetings of the Overview Committee, which take 1 each; Contract "
    "Monitoring 2017/18 1st Quarter and Contract Monitoring 2017/18 3rd Quarter are listed "
    "before it: raise its priority, list it earlier or add a meeting to place it",
    "Overview Committee, Tuesday 17 October 2017 already has its 1 report item: Contract "
    "Monitoring 2017/18 1st Quarter",
    "Overview Committee, Tuesday 23 January 2018 already has its 1 report item: Contract "
    "Monitoring 2017/18 3rd Quarter",
    "Overview Committee, Wednesday 28 June 2017 is outside the dates it may go to (between 1 "
    "September 2017 and 28 February 2018): widen its window to use it",
)


@pytest.fixture(scope="module")
def secretown() -> tuple[Programme, Plan]:
    """Secretown solved: the plan, as read here, that the outputs below are made of."""
    p = parse_programme(SECRETOWN, "secretown.yaml")
    plan = solve(p, OPTIONS)
    agendas = {m.id: [(e.item, e.title, e.exempt) for e in m.agenda] for m in plan.meetings}
    apologies = ("apologies", "Apologies for Absence", False)
    assert agendas == {
        "overview-2017-06-28": [apologies],
        "overview-2017-10-17": [
            apologies,
            ("contract-monitoring", "Contract Monitoring 2017/18 1st Quarter", True),
        ],
        "overview-2018-01-23": [
            apologies,
            ("tenants-views", "Tenants' Views on Repairs", False),
            ("repairs-award", "Repairs Contract Award", True),
            ("repairs-evidence", "Evidence from Acme Repairs Ltd", True),
            ("contract-monitoring", "Contract Monitoring 2017/18 3rd Quarter", True),
        ],
    }
    assert [(u.item, u.title) for u in plan.unplaced] == [
        ("contract-monitoring", "Contract Monitoring 2017/18 2nd Quarter"),
        ("contract-monitoring", "Contract Monitoring 2017/18 4th Quarter"),
        ("library-review", "Library Opening Hours Review"),
    ]
    assert tuple(r.details for r in plan.unplaced[2].reasons) == CROWDED
    assert tuple(r.text for r in plan.unplaced[2].reasons) == CROWDED_WORDS
    return p, plan


def _public_texts(p: Programme, plan: Plan) -> dict[str, str]:
    built = feeds(p, plan)
    return {
        "md": markdown(p, plan, "public"),
        "html": html(p, plan, "public").replace("&#39;", "'"),
        "docx": docx_text(word(p, plan, "public")),
        "public feed": text_of(built["public/overview.ics"]),
        # A witness on a public item at a meeting with exempt ones: the public, to them.
        "resident's feed": text_of(built["people/resident.ics"]),
    }


def test_exempt_filled_titles_and_with_partners_are_in_no_public_output(
    secretown: tuple[Programme, Plan],
) -> None:
    """An exempt recurring item's title with its {fy} and {period} filled in ("Contract
    Monitoring 2017/18 2nd Quarter"), and a witness session going `with` an exempt item, are
    named in no public document (Markdown, HTML, Word) and no public feed; placed, they read
    "Exempt item (Part 2)"."""
    p, plan = secretown
    for name, shown in _public_texts(p, plan).items():
        shown = shown.replace("\\", "")  # Markdown escapes
        for secret in SECRETS:
            assert secret.casefold() not in shown.casefold(), f"{name}: {secret}"
        assert EXEMPT in shown, name
    public = events(feeds(p, plan)["public/overview.ics"])
    description = public["secretown.overview-2018-01-23@scrutiny-scheduler"]["DESCRIPTION"]
    assert description.split("\\n")[3:14] == [
        "",
        "Standing items",
        "1. Apologies for Absence",
        "",
        "Short items",
        "2. Tenants' Views on Repairs (witnesses: Rita Resident)",
        "",
        "Part 2 (exempt): press and public excluded",
        f"3. {EXEMPT}",
        f"4. {EXEMPT}",
        f"5. {EXEMPT}",
    ]
    rows = [(r.item, r.status) for s in document(p, plan, "public").sittings for r in s.rows]
    assert rows == [
        ("Apologies for Absence", "Standing Item"),
        ("Apologies for Absence", "Standing Item"),
        (EXEMPT, "Report (Part 2)"),
        ("Apologies for Absence", "Standing Item"),
        (
            "Tenants' Views on Repairs (Witnesses: Rita Resident, Tenants' Representative)",
            "Short Item",
        ),
        (EXEMPT, "Substantive Item (Part 2)"),
        (EXEMPT, "Witness Session (Part 2)"),
        (EXEMPT, "Report (Part 2)"),
    ]


def test_unplaced_items_and_their_reasons_are_the_clerks_alone(
    secretown: tuple[Programme, Plan],
) -> None:
    """The library review is unplaced because exempt monitoring reports fill the meetings: the
    clerk's document gives every reason, with its rule and details; the public reads what is
    planned, and nothing of what is not placed or why (issue 22), so none of those reasons
    (which name exempt titles) can reach it."""
    p, plan = secretown
    assert document(p, plan, "public").unplaced == ()
    clerk = document(p, plan, "clerk").unplaced
    assert clerk[2] == NotPlaced(
        "Library Opening Hours Review", "; ".join(CROWDED_WORDS), "library-review",
        "; ".join(CROWDED),
    )
    assert clerk[2].details  # rules and ids: the clerk's
    assert [u.item for u in clerk[:2]] == [
        "Contract Monitoring (2017/18 Q2)",  # the title for every occurrence, and which
        "Contract Monitoring (2017/18 Q4)",
    ]


def test_the_clerks_outputs_show_what_the_public_may_not_read(
    secretown: tuple[Programme, Plan],
) -> None:
    """The same plan, for the clerk: every document format and the clerk's feed name the
    filled-in titles, the witness session and its witness, and give the withheld reasons."""
    p, plan = secretown
    built = feeds(p, plan)
    shown = {
        "md": markdown(p, plan, "clerk").replace("\\", ""),
        "html": html(p, plan, "clerk"),
        "docx": docx_text(word(p, plan, "clerk")),
        "clerk feed": text_of(built["clerk.ics"]),
    }
    for name, text in shown.items():
        for needle in (
            "Contract Monitoring 2017/18 1st Quarter",
            "Contract Monitoring 2017/18 3rd Quarter",
            "Repairs Contract Award",
            "Evidence from Acme Repairs Ltd (Witnesses: Carl Builder, Managing Director)"
            if name != "clerk feed"
            else "Evidence from Acme Repairs Ltd (witnesses: Carl Builder)",
        ):
            assert needle in text, f"{name}: {needle}"
    for name in ("md", "html", "docx"):
        assert CROWDED_WORDS[1] in shown[name], name
    contractor = text_of(built["people/contractor.ics"])  # the witness reads their own session
    assert "Evidence from Acme Repairs Ltd (witnesses: Carl Builder)" in contractor


# --- 5. a re-plan says whether its disruption is proven the least -----------------------------


def _busy(minutes: int) -> Programme:
    """24 short items of 17 to 45 minutes for 8 meetings: room for all at 100 minutes a
    meeting; at 90 (745 minutes for 720) one drops out and many must move, a packing puzzle
    whose least disruption takes the solver a while to prove."""
    days = [(dt.date(2017, 6, 6) + dt.timedelta(weeks=3 * k)).isoformat() for k in range(8)]
    sizes = [17 + (k * 7) % 29 for k in range(24)]
    data: dict[str, Any] = {
        "id": "busy",
        "council": "Busy Borough Council",
        "title": "Busy Scrutiny Work Programme 2017/18",
        "year": "2017-05-10..2018-05-15",
        "bodies": [{"id": "main", "name": "Main Committee", "minutes": minutes, "meetings": days}],
        "items": [
            {"id": f"item-{k}", "title": f"Item {k}", "body": "main", "kind": "short", "minutes": s}
            for k, s in enumerate(sizes)
        ],
    }
    return Programme.model_validate(data)


@pytest.fixture(scope="module")
def busy_published() -> Plan:
    before = solve(_busy(100), OPTIONS)
    assert before.status is SolveStatus.OPTIMAL and before.unplaced == []
    return before


def _left(before: Plan, after: Plan) -> int:
    """Occurrences that left a meeting of `before` (none here is standing or has witnesses)."""
    now = unit_meetings(after)
    return sum(m not in now.get(k, []) for k, ms in unit_meetings(before).items() for m in ms)


def _summary(moved: int, least: str) -> str:
    return f"Re-planned against the published plan: {moved} placements changed, {least}."


def test_a_time_limited_replan_does_not_claim_the_least_disruption(busy_published: Plan) -> None:
    """DESIGN §5: the answer states that the minimum was reached or how far from it. Stopped at
    a hundredth of a second for every stage together, the re-plan has a plan but has not proven
    its moves the fewest: `proven` is false, the plan is only feasible, and it gives the bound
    instead."""
    p = _busy(90)
    new = replan(p, busy_published, options=SolveOptions(time_limit=0.01))
    assert new.status is SolveStatus.FEASIBLE
    d = new.disruption
    assert d is not None and d.proven is False
    assert d.moved == d.weight == _left(busy_published, new)
    assert d.bound <= d.weight
    least = "the fewest found in the time allowed (allow more time to prove no plan moves fewer)"
    assert new.explanation[0] == _summary(d.moved, least)


def test_a_replan_given_time_proves_the_least_disruption(busy_published: Plan) -> None:
    """The same re-plan given ten seconds (every stage together) proves the fewest moves:
    `proven` is true and the bound is the weight."""
    p = _busy(90)
    new = replan(p, busy_published, options=SolveOptions(time_limit=10))
    d = new.disruption
    assert d is not None and d.proven is True
    assert d.moved == d.weight == d.bound == _left(busy_published, new)
    least = "the fewest the rules allow (proven)"
    assert new.explanation[0] == _summary(d.moved, least)
