"""Publishing versions of a plan, and the feeds across them (DESIGN §7): SEQUENCE only rises,
a withdrawn meeting stays cancelled for everyone who had it, stale or bad plans are refused,
and the feed directory is replaced as a whole or not at all.

The versions are made as a clerk makes them: edit tests/data/feeds.yaml, `scrutiny solve`,
`scrutiny publish --previous`, `scrutiny feeds`.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from scheduler.cli import main
from tests.conftest import DATA
from tests.feed_parsers import events, text_of

TOWN = (DATA / "feeds.yaml").read_text()
UID = "feeds-council.{}@scrutiny-scheduler"


class Clerk:
    """Publishes successive versions of the town programme, through the CLI only."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.version = folder, 0

    def publish(self, text: str, when: str) -> Path:
        """Solve the edited programme, publish it against the last version, write its feeds."""
        self.version += 1
        n, folder = self.version, self.folder
        programme = folder / f"town-{n}.yaml"
        programme.write_text(text)
        assert main(["solve", str(programme), "-o", str(folder / f"plan-{n}.json")]) == 0
        args = ["publish", str(programme), str(folder / f"plan-{n}.json")]
        args += ["-o", str(folder / f"published-{n}.json"), "--published", when]
        if n > 1:
            args += ["--previous", str(folder / f"published-{n - 1}.json")]
        assert main(args) == 0
        feeds = folder / "feeds"
        assert (
            main(["feeds", str(programme), str(folder / f"published-{n}.json"), "-o", str(feeds)])
            == 0
        )
        return feeds

    def event(self, feed: str, meeting: str) -> dict[str, str]:
        return events((self.folder / "feeds" / feed).read_bytes())[UID.format(meeting)]


@pytest.fixture
def clerk(tmp_path: Path) -> Clerk:
    return Clerk(tmp_path)


def test_sequence_counts_every_published_change(clerk: Clerk) -> None:
    clerk.publish(TOWN, "2017-05-20T09:00:00Z")
    june = "overview-2017-06-28"
    moved = TOWN.replace("      - 2017-06-28 ", "      - {date: 2017-06-29, moved_from: 2017-06-28} ")
    clerk.publish(moved, "2017-06-01T09:00:00Z")
    assert clerk.event("public/overview.ics", june)["SEQUENCE"] == "1"
    again = TOWN.replace("      - 2017-06-28 ", "      - {date: 2017-06-30, moved_from: 2017-06-28} ")
    clerk.publish(again, "2017-07-01T09:00:00Z")
    event = clerk.event("public/overview.ics", june)
    assert event["SEQUENCE"] == "2" and event["DTSTART"] == "20170630T190000"
    assert event["LAST-MODIFIED"] == event["DTSTAMP"] == "20170701T090000Z"
    # A meeting never changed keeps its first publication as its last modification.
    january = clerk.event("public/overview.ics", "overview-2018-01-23")
    assert january["SEQUENCE"] == "0" and january["LAST-MODIFIED"] == "20170520T090000Z"
    clerk.publish(again, "2017-08-01T09:00:00Z")  # nothing changed: nothing rises
    assert clerk.event("public/overview.ics", june)["SEQUENCE"] == "2"


def test_a_cancelled_meeting_stays_cancelled_for_its_people_in_every_later_version(
    clerk: Clerk,
) -> None:
    clerk.publish(TOWN, "2017-05-20T09:00:00Z")
    june = "overview-2017-06-28"
    assert "Homelessness Strategy" in text_of(
        (clerk.folder / "feeds/people/witness.ics").read_bytes()
    )
    cancelled = TOWN.replace(
        "      - 2017-06-28 ", "      - {date: 2017-06-28, status: cancelled} "
    )
    clerk.publish(cancelled, "2017-06-01T09:00:00Z")
    clerk.publish(cancelled, "2017-07-01T09:00:00Z")  # and once more, unchanged
    for feed in ("people/witness.ics", "people/officer.ics", "public/overview.ics", "clerk.ics"):
        event = clerk.event(feed, june)
        assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == "1", feed
    reports = clerk.event("clerk.ics", f"{june}.reports")
    assert reports["STATUS"] == "CANCELLED" and reports["SUMMARY"].startswith("Cancelled: ")


def test_a_removed_meeting_stays_cancelled_and_comes_back_with_a_higher_sequence(
    clerk: Clerk,
) -> None:
    forum = "forum-2017-11-15"
    clerk.publish(TOWN, "2017-05-20T09:00:00Z")
    removed = TOWN.replace("meetings: [2017-07-05, 2017-11-15]", "meetings: [2017-07-05]")
    clerk.publish(removed, "2017-06-01T09:00:00Z")
    clerk.publish(removed, "2017-07-01T09:00:00Z")
    event = clerk.event("public/forum.ics", forum)
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == "1"
    clerk.publish(TOWN, "2017-08-01T09:00:00Z")
    event = clerk.event("public/forum.ics", forum)
    assert event["STATUS"] == "CONFIRMED" and event["SEQUENCE"] == "2"
    record = json.loads((clerk.folder / "published-4.json").read_text())
    assert "withdrawn" not in record and record["published"] == "2017-08-01T09:00:00Z"


def test_a_feed_no_longer_made_is_removed(clerk: Clerk) -> None:
    feeds = clerk.publish(TOWN, "2017-05-20T09:00:00Z")
    assert (feeds / "public" / "forum.ics").exists()
    private = TOWN.replace("  - id: forum\n", "  - id: forum\n    informal: true\n")
    mask = os.umask(0o022)
    try:
        clerk.publish(private, "2017-06-01T09:00:00Z")
    finally:
        os.umask(mask)
    assert not (feeds / "public" / "forum.ics").exists()
    # Readable by a web server running as another user, as the umask allows.
    assert stat.S_IMODE((feeds / "public" / "overview.ics").stat().st_mode) == 0o644
    assert stat.S_IMODE((feeds / "public").stat().st_mode) == 0o755


def test_witness_session_on_an_exempt_item_is_exempt(tmp_path: Path) -> None:
    text = TOWN.replace(
        "  - {id: panel-scoping",
        "  - {id: contract-witnesses, title: Contract Award Witness Session, body: overview,"
        " kind: witness-session, with: housing-contract, witnesses: [witness]}\n"
        "  - {id: panel-scoping",
    )
    programme = tmp_path / "town.yaml"
    programme.write_text(text)
    assert main(["solve", str(programme), "-o", str(tmp_path / "plan.json")]) == 0
    plan = json.loads((tmp_path / "plan.json").read_text())
    session = [
        e for m in plan["meetings"] for e in m["agenda"] if e["item"] == "contract-witnesses"
    ]
    assert session and session[0]["exempt"] is True
    assert (
        main(["feeds", str(programme), str(tmp_path / "plan.json"), "-o", str(tmp_path / "f")]) == 0
    )
    public = text_of((tmp_path / "f" / "public" / "overview.ics").read_bytes())
    assert "Contract Award Witness Session" not in public and "Housing Repairs" not in public


def test_calendar_names_are_escaped_text(tmp_path: Path) -> None:
    text = TOWN.replace(
        "name: Overview & Scrutiny Committee", 'name: "Overview; Scrutiny, and \\\\ Audit"'
    )
    programme = tmp_path / "town.yaml"
    programme.write_text(text)
    assert main(["solve", str(programme), "-o", str(tmp_path / "plan.json")]) == 0
    assert (
        main(["feeds", str(programme), str(tmp_path / "plan.json"), "-o", str(tmp_path / "f")]) == 0
    )
    raw = (tmp_path / "f" / "public" / "overview.ics").read_bytes().decode()
    assert "\r\nX-WR-CALNAME:Overview\\; Scrutiny\\, and \\\\ Audit (Feedtown Borough Counci" in raw


# --- refused: stale and bad plans, unwritable output -------------------------------------------


def _solved(tmp_path: Path, text: str = TOWN) -> tuple[Path, Path]:
    programme = tmp_path / "town.yaml"
    programme.write_text(text)
    plan = tmp_path / "plan.json"
    assert main(["solve", str(programme), "-o", str(plan)]) == 0
    return programme, plan


def test_a_plan_older_than_the_programme_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    programme, plan = _solved(tmp_path)
    programme.write_text(
        TOWN.replace("      - 2017-06-28 ", "      - {date: 2017-06-30, moved_from: 2017-06-28} ")
    )
    out = tmp_path / "f"
    assert main(["feeds", str(programme), str(plan), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        "(overview-2017-06-28): overview-2017-06-28 has date 2017-06-28; the programme says 2017-06-30; re-plan first"
        in err
    )
    assert not out.exists()
    assert main(["publish", str(programme), str(plan), "-o", str(tmp_path / "p.json")]) == 2
    assert not (tmp_path / "p.json").exists()


def test_a_previous_plan_of_another_programme_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    programme, plan = _solved(tmp_path)
    other = json.loads(plan.read_text()) | {"programme": "elsewhere"}
    (tmp_path / "other.json").write_text(json.dumps(other))
    args = ["feeds", str(programme), str(plan), "-o", str(tmp_path / "f")]
    assert main([*args, "--previous", str(tmp_path / "other.json")]) == 2
    assert "other.json: programme: the plan is for 'elsewhere'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start", "25:00", "'25:00' is not a time written as HH:MM"),
        ("date", "2017-02-30", "'2017-02-30' is not a date written as YYYY-MM-DD"),
    ],
)
def test_bad_values_in_a_plan_are_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, message: str
) -> None:
    programme, plan = _solved(tmp_path)
    data = json.loads(plan.read_text())
    data["meetings"][2][field] = value
    plan.write_text(json.dumps(data))
    assert main(["feeds", str(programme), str(plan), "-o", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert "meetings[2]" in err and message in err and "Traceback" not in err


def test_output_that_cannot_be_written_is_refused_and_nothing_is_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    programme, plan = _solved(tmp_path)
    a_file = tmp_path / "taken"
    a_file.write_text("keep me")
    assert main(["feeds", str(programme), str(plan), "-o", str(a_file)]) == 2
    assert "is a file" in capsys.readouterr().err and a_file.read_text() == "keep me"
    # A directory holding anything else is somebody's: refused, untouched.
    assert main(["feeds", str(programme), str(plan), "-o", str(tmp_path)]) == 2
    assert "give the feeds a directory of their own" in capsys.readouterr().err
    assert plan.exists() and programme.exists() and a_file.exists()
    assert not list(tmp_path.glob(".*"))  # no temporary left behind
