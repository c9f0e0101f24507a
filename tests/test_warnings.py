"""Warnings (DESIGN §4.6): what is legal but probably a slip is said, and never refused.

Each kind fires in a tiny edit of tests/data/small.yaml and stays quiet at its boundary; the CLI
prints them on standard error with its exit codes unchanged; the service answers with them and
the clerk's page shows them.
"""

from __future__ import annotations

import copy
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from scheduler.check.warnings import MAX_LISTED, ProgrammeWarning, warnings_of
from scheduler.cli import main
from scheduler.plan.model import Plan, PlannedMeeting
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from tests.service import AUTH, YAML, publish, run_job, sign_in, upload

Raw = dict[str, Any]


def yaml_text(raw: Raw) -> str:
    return yaml.safe_dump(raw, sort_keys=False)


def programme(raw: Raw) -> Programme:
    """The programme `raw` as a file would hold it, validated (cross-references too)."""
    return parse_programme(yaml_text(raw), "edited.yaml")


def meetings_of(raw: Raw, body: str) -> list[Any]:
    found: list[Any] = next(b for b in raw["bodies"] if b["id"] == body)["meetings"]
    return found


def with_meeting(raw: Raw, body: str, meeting: Any) -> Raw:
    """A copy of `raw` with one more meeting of `body`."""
    edited = copy.deepcopy(raw)
    meetings_of(edited, body).append(meeting)
    return edited


def warned(raw: Raw, previous: Plan | None = None) -> list[ProgrammeWarning]:
    return warnings_of(programme(raw), previous)


def kinds(raw: Raw, previous: Plan | None = None) -> list[str]:
    return [w.kind for w in warned(raw, previous)]


def published(raw: Raw) -> Plan:
    """A plan holding every meeting of `raw` as it stands (agendas do not matter here)."""
    p = programme(raw)
    return Plan(
        programme=p.id,
        status="optimal",
        meetings=[
            PlannedMeeting(
                id=m.key, body=b.id, date=m.date, start=start.time(), end=end.time(),
                status=m.status,
            )
            for b, m in p.in_time_order()
            for start, end in [p.span(b, m)]
        ],
    )


def test_the_sample_programmes_warn_of_nothing(small_raw: Raw) -> None:
    assert warned(small_raw) == []
    assert warned(small_raw, published(small_raw)) == []


# -- weekends and bank holidays ---------------------------------------------------------------


def test_a_saturday_meeting_warns_and_a_friday_one_does_not(small_raw: Raw) -> None:
    assert warned(with_meeting(small_raw, "main", "2017-12-16")) == [
        ProgrammeWarning(
            text="Main Select Committee meets on Saturday 16 December 2017, a weekend: check the date.",
            kind="weekend",
            meetings=("main-2017-12-16",),
        )
    ]
    assert warned(with_meeting(small_raw, "main", "2017-12-15")) == []


def test_a_bank_holiday_meeting_names_the_holiday(small_raw: Raw) -> None:
    (warning,) = warned(with_meeting(small_raw, "sub", "2017-12-25"))
    assert warning.text == (
        "Budget Sub-Committee meets on Monday 25 December 2017, Christmas Day, a bank holiday: "
        "check the date."
    )
    assert (warning.kind, warning.meetings, warning.people) == ("bank-holiday", ("sub-2017-12-25",), ())


@pytest.mark.parametrize(
    ("day", "warned_in"),
    [("2017-08-28", "england"), ("2017-08-07", "scotland")],  # each nation's summer bank holiday
)
def test_bank_holidays_are_the_nations_own(small_raw: Raw, day: str, warned_in: str) -> None:
    for nation in ("england", "scotland"):
        raw = with_meeting({**small_raw, "nation": nation}, "main", day)
        assert kinds(raw) == (["bank-holiday"] if nation == warned_in else [])


def test_a_closure_is_not_a_bank_holiday(small_raw: Raw) -> None:
    """The council's own closures (27 December 2017 here) are its choice, not a slip."""
    assert warned(with_meeting(small_raw, "main", "2017-12-27")) == []


def test_a_cancelled_meeting_never_warns(small_raw: Raw) -> None:
    raw = with_meeting(small_raw, "main", {"date": "2017-12-25", "status": "cancelled"})
    raw = with_meeting(raw, "main", {"date": "2017-12-16", "status": "cancelled"})
    raw = with_meeting(raw, "sub", {"date": "2017-10-17", "start": "18:00", "status": "cancelled"})
    assert warned(raw) == []


def test_a_tentative_meeting_warns(small_raw: Raw) -> None:
    assert kinds(with_meeting(small_raw, "main", {"date": "2017-12-17", "status": "tentative"})) == ["weekend"]


# -- overlaps ---------------------------------------------------------------------------------


def test_two_meetings_of_one_body_that_overlap(small_raw: Raw) -> None:
    """Main meets 18:30-21:00 on 17 October 2017; a call-in at 20:00 overlaps it."""
    callin = {"id": "main-callin", "date": "2017-10-17", "start": "20:00", "special": "Call-in"}
    assert warned(with_meeting(small_raw, "main", callin)) == [
        ProgrammeWarning(
            text="Two meetings of Main Select Committee overlap on Tuesday 17 October 2017 "
            "(18:30-21:00 and 20:00-22:30): move one or change its start.",
            kind="overlap-body",
            meetings=("main-2017-10-17", "main-callin"),
        )
    ]


def test_a_meeting_that_starts_when_the_other_ends_does_not_overlap(small_raw: Raw) -> None:
    callin = {"id": "main-callin", "date": "2017-10-17", "start": "21:00", "special": "Call-in"}
    assert warned(with_meeting(small_raw, "main", callin)) == []
    before = with_meeting(small_raw, "sub", {"date": "2017-10-17", "start": "16:00"})  # to 18:30
    assert warned(before) == []


def test_a_sub_committee_beside_its_parent_names_the_members_both_need(small_raw: Raw) -> None:
    """One warning for the pair, of its most specific kind: the shared clerk is named in it."""
    raw = with_meeting(small_raw, "sub", {"date": "2017-10-17", "start": "17:00"})
    assert warned(raw) == [
        ProgrammeWarning(
            text="1 member (Cllr Chair) sits on both Budget Sub-Committee and Main Select "
            "Committee, which overlap on Tuesday 17 October 2017 (17:00-19:30 and 18:30-21:00), "
            "and Dee Soames clerks both: move one meeting.",
            kind="overlap-members",
            meetings=("sub-2017-10-17", "main-2017-10-17"),
            people=("chair", "dso"),
        )
    ]


def test_members_are_counted_and_named_in_the_files_order(small_raw: Raw) -> None:
    raw = copy.deepcopy(small_raw)
    raw["bodies"][1]["members"] = ["vice", "chair"]
    (warning,) = warned(with_meeting(raw, "sub", {"date": "2017-10-17", "start": "17:00"}))
    assert warning.text.startswith("2 members (Cllr Chair and Cllr Vice) sit on both ")
    assert warning.people == ("chair", "vice", "dso")


def test_two_bodies_with_one_clerk_and_nobody_else_in_common(small_raw: Raw) -> None:
    """The panel (Cllr Vice) and the sub-committee (Cllr Chair) share only their clerk."""
    raw = copy.deepcopy(small_raw)
    raw["bodies"][2]["clerk"] = "dso"
    raw = with_meeting(raw, "panel", {"date": "2017-07-18", "start": "17:00"})
    assert warned(raw) == [
        ProgrammeWarning(
            text="Dee Soames clerks both Members' Briefing Panel and Budget Sub-Committee, which "
            "overlap on Tuesday 18 July 2017 (17:00-19:30 and 19:00-21:30): move one meeting or "
            "give one of them another clerk.",
            kind="overlap-clerk",
            meetings=("panel-2017-07-18", "sub-2017-07-18"),
            people=("dso",),
        )
    ]
    raw["bodies"][2]["clerk"] = None
    assert warned(raw) == []


# -- a changed date that looks like a move ----------------------------------------------------


def moved(raw: Raw, old: str, new: Any) -> Raw:
    """A copy of `raw` whose main meeting dated `old` is now `new`."""
    edited = copy.deepcopy(raw)
    main = meetings_of(edited, "main")
    days = [str(m["date"] if isinstance(m, dict) else m) for m in main]
    main[days.index(old)] = new
    return edited


def test_a_changed_date_suggests_moved_from(small_raw: Raw) -> None:
    before = published(small_raw)
    assert warned(moved(small_raw, "2017-10-17", "2017-11-14"), before) == [
        ProgrammeWarning(
            text="The meeting of Main Select Committee on Tuesday 17 October 2017 is gone and one "
            'on Tuesday 14 November 2017 is new: if it moved, add "moved_from: 2017-10-17" to the '
            "new one, so that subscribers' calendars move the meeting instead of removing it and "
            "adding another.",
            kind="looks-moved",
            meetings=("main-2017-10-17", "main-2017-11-14"),
        )
    ]


def test_31_days_looks_like_a_move_and_32_do_not(small_raw: Raw) -> None:
    before = published(small_raw)
    assert kinds(moved(small_raw, "2017-10-17", "2017-11-17"), before) == ["looks-moved"]
    assert kinds(moved(small_raw, "2017-10-17", "2017-11-18"), before) == ["weekend"]


def test_no_warning_with_moved_from_or_without_the_published_plan(small_raw: Raw) -> None:
    before = published(small_raw)
    kept = moved(small_raw, "2017-10-17", {"date": "2017-11-14", "moved_from": "2017-10-17"})
    assert warned(kept, before) == []
    assert warned(moved(small_raw, "2017-10-17", "2017-11-14")) == []


def test_a_meeting_moved_twice_is_given_the_date_its_id_keeps(small_raw: Raw) -> None:
    """Main's June meeting moved from the 27th to the 28th; moved again without `moved_from`,
    it keeps its id only with the 27th, and the old date shown is the one subscribers have."""
    before = published(small_raw)
    edited = moved(small_raw, "2017-06-28", "2017-07-05")
    next(i for i in edited["items"] if i["id"] == "pinned")["meeting"] = "main-2017-07-05"
    (warning,) = warned(edited, before)
    assert warning.meetings == ("main-2017-06-27", "main-2017-07-05")
    assert "on Wednesday 28 June 2017 is gone" in warning.text
    assert '"moved_from: 2017-06-27"' in warning.text


def test_explicit_ids_are_not_paired(small_raw: Raw) -> None:
    """`moved_from` cannot give back an explicit id: nothing to suggest."""
    before = published(small_raw)
    callin = {"id": "main-2018-02-08-callin", "date": "2018-02-08", "special": "Call-in: a decision"}
    assert warned(moved(small_raw, "2018-02-01", callin), before) == []


# -- all kinds together -----------------------------------------------------------------------


def every_kind(raw: Raw) -> tuple[Raw, Plan]:
    """Main's October meeting moved to 14 November without `moved_from`, a call-in and the
    sub-committee beside it; the panel, with the sub-committee's clerk, beside the sub-committee
    in July; a Saturday and Christmas Day."""
    before = published(raw)
    edited = moved(raw, "2017-10-17", "2017-11-14")
    edited["bodies"][2]["clerk"] = "dso"
    for body, meeting in [
        ("main", "2017-12-16"),
        ("main", "2017-12-25"),
        ("main", {"id": "main-callin", "date": "2017-11-14", "start": "20:00", "special": "Call-in"}),
        ("sub", {"date": "2017-11-14", "start": "17:00"}),
        ("panel", {"date": "2017-07-18", "start": "17:00"}),
    ]:
        meetings_of(edited, body).append(meeting)
    return edited, before


def test_warnings_come_by_date_then_kind(small_raw: Raw) -> None:
    """A move is dated by the earlier of its two dates."""
    raw, before = every_kind(small_raw)
    assert [(w.kind, w.meetings) for w in warned(raw, before)] == [
        ("overlap-clerk", ("panel-2017-07-18", "sub-2017-07-18")),
        ("looks-moved", ("main-2017-10-17", "main-2017-11-14")),
        ("overlap-body", ("main-2017-11-14", "main-callin")),
        ("overlap-members", ("sub-2017-11-14", "main-2017-11-14")),
        ("weekend", ("main-2017-12-16",)),
        ("bank-holiday", ("main-2017-12-25",)),
    ]


def test_texts_hold_no_ids(small_raw: Raw) -> None:
    raw, before = every_kind(small_raw)
    p = programme(raw)
    ids = {*p.people_by_id, *p.bodies_by_id, *p.meetings_by_id, *(m.id for m in before.meetings)}
    found = warnings_of(p, before)
    assert {w.kind for w in found} == {
        "weekend", "bank-holiday", "overlap-body", "overlap-members", "overlap-clerk", "looks-moved"
    }
    for warning in found:
        words = set(re.findall(r"[\w-]+", warning.text))
        assert words & ids == set(), warning.text


def test_a_programme_of_many_clashes_lists_the_first_hundred_quickly(small_raw: Raw) -> None:
    """2,000 meetings at one time are 2 million overlapping pairs: the list (and the work) stops
    at the first `MAX_LISTED` of each check, and so does a mass of look-alike moves."""
    raw = copy.deepcopy(small_raw)
    clash = [{"id": f"briefing-{n}", "date": "2017-11-04"} for n in range(2000)]  # a Saturday
    meetings_of(raw, "panel").extend([*clash, *(f"2017-12-{day:02d}" for day in range(1, 32))])
    before = published(raw)
    meetings_of(raw, "panel")[:] = [*clash, *(f"2017-11-{day:02d}" for day in range(5, 31))]
    started = time.perf_counter()
    found = warned(raw, before)
    assert time.perf_counter() - started < 10
    assert Counter(w.kind for w in found) == {"overlap-body": MAX_LISTED, "weekend": MAX_LISTED, "looks-moved": 26}
    assert next(w for w in found if w.kind == "overlap-body").meetings == ("briefing-0", "briefing-1")


# -- the command ------------------------------------------------------------------------------

SATURDAY = "warning: Main Select Committee meets on Saturday 16 December 2017, a weekend: check the date.\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_prints_warnings_and_exits_0(
    capsys: pytest.CaptureFixture[str], small_raw: Raw, write_yaml: Callable[..., Path]
) -> None:
    path = write_yaml(with_meeting(small_raw, "main", "2017-12-16"))
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0
    assert out.startswith(f"{path}: valid: Small Scrutiny Work Programme: 3 bodies, 11 meetings")
    assert err == SATURDAY


@pytest.mark.parametrize("fits", [True, False])
def test_solve_prints_warnings_and_keeps_its_exit_code(
    capsys: pytest.CaptureFixture[str],
    small_raw: Raw,
    write_yaml: Callable[..., Path],
    tmp_path: Path,
    fits: bool,
) -> None:
    """The same exit code with a Saturday meeting as without, whether the must items fit or not."""
    if not fits:
        pinned = next(i for i in small_raw["items"] if i["id"] == "pinned")
        pinned.update(minutes=500, priority="must")  # more than its pinned meeting holds
    plain = write_yaml(small_raw, "plain.yaml")
    saturday = write_yaml(with_meeting(small_raw, "main", "2017-12-16"), "saturday.yaml")
    code, _, err = run(capsys, "solve", str(plain), "-o", str(tmp_path / "plain.json"))
    assert "warning:" not in err
    warned_code, _, err = run(capsys, "solve", str(saturday), "-o", str(tmp_path / "sat.json"))
    assert warned_code == code == (0 if fits else 1)
    assert err.startswith(SATURDAY)


def test_replan_warns_of_a_date_that_looks_like_a_move(
    capsys: pytest.CaptureFixture[str], small_raw: Raw, write_yaml: Callable[..., Path], tmp_path: Path
) -> None:
    plan = tmp_path / "plan.json"
    assert main(["solve", str(write_yaml(small_raw)), "-o", str(plan)]) == 0
    edited = write_yaml(moved(small_raw, "2017-10-17", "2017-11-14"), "edited.yaml")
    kept = write_yaml(moved(small_raw, "2017-10-17", {"date": "2017-11-14", "moved_from": "2017-10-17"}), "kept.yaml")
    capsys.readouterr()
    code, _, err = run(capsys, "replan", str(kept), "--against", str(plan), "-o", str(tmp_path / "kept.json"))
    assert "warning:" not in err
    warned_code, _, err = run(capsys, "replan", str(edited), "--against", str(plan), "-o", str(tmp_path / "new.json"))
    assert warned_code == code == 0
    assert err.startswith(
        "warning: The meeting of Main Select Committee on Tuesday 17 October 2017 is gone and one on "
        'Tuesday 14 November 2017 is new: if it moved, add "moved_from: 2017-10-17" to the new one'
    )


# -- the service ------------------------------------------------------------------------------

PID = "small-council"


def test_upload_and_edit_answer_with_their_warnings(client: TestClient, small_raw: Raw) -> None:
    made = upload(client, yaml_text(with_meeting(small_raw, "main", "2017-12-16")))
    assert made["warnings"] == [
        {
            "text": SATURDAY.removeprefix("warning: ").strip(),
            "kind": "weekend",
            "meetings": ["main-2017-12-16"],
            "people": [],
        }
    ]
    assert "warnings" not in client.get(f"/programmes/{PID}").json()  # the public's: no names
    response = client.put(
        f"/programmes/{PID}/source", content=yaml_text(small_raw).encode(), headers={**YAML, "If-Match": '"1"'}
    )
    assert response.status_code == 200, response.text
    assert response.json()["warnings"] == []


def test_an_edit_of_a_published_programme_is_warned_of_a_look_alike_move(
    client: TestClient, small_raw: Raw
) -> None:
    upload(client, yaml_text(small_raw))
    job = run_job(client, PID, time_limit=10)
    assert job["state"] == "done", job
    publish(client, PID, job["plan"])
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    edited = yaml_text(moved(small_raw, "2017-10-17", "2017-11-14")).encode()
    response = client.put(f"/programmes/{PID}/source", content=edited, headers={**YAML, "If-Match": etag})
    assert response.status_code == 200, response.text
    assert [(w["kind"], w["meetings"]) for w in response.json()["warnings"]] == [
        ("looks-moved", ["main-2017-10-17", "main-2017-11-14"])
    ]


def test_the_clerks_page_lists_the_warnings_above_the_grid(client: TestClient, small_raw: Raw) -> None:
    upload(client, yaml_text(with_meeting(small_raw, "main", "2017-12-16")))
    sign_in(client)
    page = client.get(f"/web/programmes/{PID}", headers=AUTH).text
    listed = page.index('<ul class="warnings"')
    assert page.index("Saturday 16 December 2017, a weekend: check the date.", listed) < page.index('class="year"')
