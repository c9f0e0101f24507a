"""Revisions of published meetings (`scheduler.plan.revisions`, DESIGN §7): what raises a
meeting's SEQUENCE from one published version to the next, what does not, and the meetings
withdrawn since.

Plans here are hand-made, in the JSON form a plan file has (DESIGN §8), and read back from
`Plan.to_json()`, so that the tests hold whatever Python types the model gives its fields.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from scheduler.plan.model import Plan
from scheduler.plan.revisions import last_published, revise

Data = dict[str, Any]

V1_PUBLISHED = "2017-05-20T09:00:00Z"
V2_PUBLISHED = "2017-06-01T09:00:00Z"


def entry(item: str, **fields: Any) -> Data:
    """One agenda entry as a plan file writes it."""
    return {
        "item": item,
        "title": item.replace("-", " ").title(),
        "kind": "short",
        "minutes": 20,
        "occurrence": None,
        "people": [],
        "exempt": False,
        "pinned": False,
        **fields,
    }


def meeting(mid: str = "main-2017-06-28", day: str = "2017-06-28", **fields: Any) -> Data:
    """One planned meeting as a plan file writes it: two items, deadlines of 28 June 2017."""
    return {
        "id": mid,
        "body": "main",
        "date": day,
        "start": "19:00",
        "end": "21:30",
        "venue": "Council Chamber",
        "status": "scheduled",
        "minutes_used": 40,
        "minutes_available": 150,
        "deadlines": {
            "agenda_publication": "2017-06-20",
            "reports_due": "2017-06-14",
            "public_questions": "2017-06-22T17:00",
        },
        "agenda": [entry("budget", people=["officer"]), entry("libraries")],
        **fields,
    }


def plan(*meetings: Data, **fields: Any) -> Plan:
    """A plan of programme `tiny` with these meetings (read as `load_plan` reads a file)."""
    data: Data = {
        "format": "scrutiny-plan/1",
        "programme": "tiny",
        "status": "optimal",
        "solve_seconds": 0.1,
        "objective": 0,
        "bound": 0,
        "meetings": list(meetings),
        "unplaced": [],
        "explanation": [],
        **fields,
    }
    return Plan.model_validate(data)


def published(p: Plan, at: str) -> Plan:
    """`p` as published at `at` (what `scrutiny publish` adds once it has revised it)."""
    return p.model_copy(update={"published": dt.datetime.fromisoformat(at)})


def as_json(p: Plan) -> Data:
    data: Data = json.loads(p.to_json())
    return data


def numbering(p: Plan) -> dict[str, tuple[int, str | None]]:
    """Each meeting id -> (sequence, revised) as the plan's JSON says (absent: 0, None)."""
    return {m["id"]: (m.get("sequence", 0), m.get("revised")) for m in as_json(p)["meetings"]}


def withdrawn(p: Plan) -> list[Data]:
    found: list[Data] = as_json(p).get("withdrawn", [])
    return found


JUNE = meeting()
OCTOBER = meeting("main-2017-10-17", "2017-10-17")


@pytest.fixture
def v1() -> Plan:
    """Version 1, as published: two meetings, never revised."""
    return plan(JUNE, OCTOBER, published=V1_PUBLISHED)


def changed(**fields: Any) -> Data:
    """June's meeting with these fields changed."""
    return {**copy.deepcopy(JUNE), **fields}


# --- what raises a meeting's sequence: everything its calendar event shows --------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date", "2017-06-29"),
        ("start", "18:30"),
        ("end", "22:00"),
        ("venue", "Committee Room 1"),
        ("status", "tentative"),
    ],
)
def test_a_changed_date_time_venue_or_status_raises_the_meetings_sequence(
    v1: Plan, field: str, value: str
) -> None:
    """DESIGN §7: SEQUENCE rises whenever a meeting's date, time, venue or status changes; the
    revision is this version's own (`revised` absent: the plan's `published` stands for it),
    and the meeting left alone keeps 0 and its first publication as its last revision."""
    new = revise(v1, plan(changed(**{field: value}), OCTOBER))
    assert numbering(new) == {
        "main-2017-06-28": (1, None),
        "main-2017-10-17": (0, V1_PUBLISHED),
    }
    assert as_json(new)["meetings"][0][field] == value


def test_a_venue_no_longer_given_is_a_revision(v1: Plan) -> None:
    """A venue dropped (null) is a change of what the event's LOCATION shows."""
    new = revise(v1, plan(changed(venue=None), OCTOBER))
    assert numbering(new)["main-2017-06-28"] == (1, None)


@pytest.mark.parametrize(
    ("what", "agenda"),
    [
        (
            "an item added",
            [entry("budget", people=["officer"]), entry("libraries"), entry("parks")],
        ),
        ("an item removed", [entry("budget", people=["officer"])]),
        (
            "an item retitled",
            [entry("budget", people=["officer"]), entry("libraries", title="Libs")],
        ),
        ("a presenter changed", [entry("budget", people=["auditor"]), entry("libraries")]),
        (
            "an item made exempt",
            [entry("budget", people=["officer"]), entry("libraries", exempt=True)],
        ),
        (
            "another occurrence",
            [entry("budget", people=["officer"], occurrence="2017/18 Q1"), entry("libraries")],
        ),
        ("the order of items", [entry("libraries"), entry("budget", people=["officer"])]),
    ],
)
def test_a_changed_agenda_raises_the_meetings_sequence(
    v1: Plan, what: str, agenda: list[Data]
) -> None:
    """DESIGN §7: the agenda is in the event's DESCRIPTION; any change a reader sees in it
    raises SEQUENCE."""
    new = revise(v1, plan(changed(agenda=agenda), OCTOBER))
    assert numbering(new)["main-2017-06-28"] == (1, None), what


def test_an_item_moving_to_another_agenda_section_raises_the_meetings_sequence(v1: Plan) -> None:
    """The event's DESCRIPTION lists the agenda by section (Short items, Substantive items, ...),
    read off each entry's kind: an item the clerk makes substantive moves to another heading, a
    change subscribers must be sent."""
    agenda = [entry("budget", people=["officer"]), entry("libraries", kind="substantive")]
    new = revise(v1, plan(changed(agenda=agenda), OCTOBER))
    assert numbering(new)["main-2017-06-28"] == (1, None)


@pytest.mark.parametrize(
    "deadlines",
    [
        {
            "agenda_publication": "2017-06-19",
            "reports_due": "2017-06-14",
            "public_questions": "2017-06-22T17:00",
        },
        {
            "agenda_publication": "2017-06-20",
            "reports_due": "2017-06-13",
            "public_questions": "2017-06-22T17:00",
        },
        {
            "agenda_publication": "2017-06-20",
            "reports_due": "2017-06-14",
            "public_questions": "2017-06-21T17:00",
        },
        None,
    ],
    ids=["agenda publication", "reports due", "public questions", "none any more"],
)
def test_a_changed_deadline_raises_the_meetings_sequence(v1: Plan, deadlines: Data | None) -> None:
    """DESIGN §6, §7: deadlines move with their meeting, and the deadline events of the feeds
    carry the meeting's SEQUENCE: a moved deadline is a revision."""
    new = revise(v1, plan(changed(deadlines=deadlines), OCTOBER))
    assert numbering(new)["main-2017-06-28"] == (1, None)
    assert as_json(new)["meetings"][0]["deadlines"] == deadlines


# --- what does not ------------------------------------------------------------------------------


def test_the_same_plan_again_keeps_every_sequence_and_last_revision(v1: Plan) -> None:
    """Publishing an unchanged plan again changes no event: each sequence stays, and each
    meeting's last revision is the version that first published it."""
    new = revise(v1, plan(JUNE, OCTOBER))
    assert numbering(new) == {
        "main-2017-06-28": (0, V1_PUBLISHED),
        "main-2017-10-17": (0, V1_PUBLISHED),
    }
    assert "withdrawn" not in as_json(new)


@pytest.mark.parametrize(
    "fields",
    [
        {"minutes_used": 60},
        {"minutes_available": 180},
        {"agenda": [entry("budget", people=["officer"], minutes=45), entry("libraries")]},
        {"agenda": [entry("budget", people=["officer"], pinned=True), entry("libraries")]},
    ],
    ids=["minutes used", "minutes available", "an item's minutes", "an item pinned"],
)
def test_what_no_calendar_event_shows_is_no_revision(v1: Plan, fields: Data) -> None:
    """Minutes and pins are the clerk's bookkeeping, in no calendar event: a change to them
    alone must not make every subscriber's calendar reload the meeting."""
    new = revise(v1, plan(changed(**fields), OCTOBER))
    assert numbering(new)["main-2017-06-28"] == (0, V1_PUBLISHED)


def test_a_plans_own_fields_are_no_revision(v1: Plan) -> None:
    """Status, objective, explanation and unplaced items belong to the plan, not to a meeting."""
    other = plan(
        JUNE,
        OCTOBER,
        status="feasible",
        objective=7,
        bound=3,
        explanation=["re-planned"],
        unplaced=[{"item": "parks", "title": "Parks", "reasons": ["R6 capacity: full"]}],
    )
    assert numbering(revise(v1, other)) == numbering(revise(v1, plan(JUNE, OCTOBER)))


# --- numbering from the previous published plan ------------------------------------------------


def test_sequence_counts_on_from_the_previous_published_plan() -> None:
    """A meeting at sequence 3 in the version before, changed again, goes to 4; one unchanged
    keeps its sequence and the time it was last revised."""
    earlier = "2017-05-25T09:00:00Z"
    previous = plan(
        {**JUNE, "sequence": 3, "revised": earlier},
        {**OCTOBER, "sequence": 2},
        published=V1_PUBLISHED,
    )
    new = revise(previous, plan(changed(venue="Committee Room 1"), OCTOBER))
    assert numbering(new) == {
        "main-2017-06-28": (4, None),
        "main-2017-10-17": (2, V1_PUBLISHED),
    }
    again = revise(previous, plan(JUNE, OCTOBER))
    assert numbering(again) == {
        "main-2017-06-28": (3, earlier),
        "main-2017-10-17": (2, V1_PUBLISHED),
    }


def test_a_new_meeting_starts_at_sequence_zero(v1: Plan) -> None:
    """A meeting the previous version did not have is this version's own: 0, revised absent."""
    november = meeting("main-2017-11-14", "2017-11-14")
    new = revise(v1, plan(JUNE, OCTOBER, november))
    assert numbering(new)["main-2017-11-14"] == (0, None)
    assert "sequence" not in as_json(new)["meetings"][2]


def test_a_sequence_the_plan_carries_is_never_lowered(v1: Plan) -> None:
    """Revising against an older version than the one the plan was numbered on keeps the
    higher sequence: SEQUENCE never goes down (a client would ignore the event)."""
    ahead = plan({**changed(venue="Committee Room 1"), "sequence": 5})
    assert numbering(revise(v1, ahead))["main-2017-06-28"] == (5, None)


def test_republishing_a_published_version_keeps_when_each_meeting_was_last_revised(
    v1: Plan,
) -> None:
    """Version 2 changed June's venue (sequence 1, revised then). Published again unchanged as
    version 3, June keeps sequence 1 and its last revision stays version 2's publication:
    LAST-MODIFIED must not claim a change nobody made."""
    v2 = published(revise(v1, plan(changed(venue="Committee Room 1"), OCTOBER)), V2_PUBLISHED)
    assert numbering(v2) == {"main-2017-06-28": (1, None), "main-2017-10-17": (0, V1_PUBLISHED)}
    v3 = revise(v2, v2)
    assert numbering(v3) == {
        "main-2017-06-28": (1, V2_PUBLISHED),
        "main-2017-10-17": (0, V1_PUBLISHED),
    }


def test_revising_twice_changes_nothing(v1: Plan) -> None:
    """revise(previous, revise(previous, plan)) is revise(previous, plan), byte for byte: a
    plan re-planned (already revised) and then published against the same version."""
    november = meeting("main-2017-11-14", "2017-11-14")
    edited = plan(changed(venue="Committee Room 1"), {**OCTOBER, "status": "cancelled"}, november)
    once = revise(v1, edited)
    assert revise(v1, once).to_json() == once.to_json()
    gone = plan(changed(date="2017-06-29"))
    once = revise(v1, gone)
    assert revise(v1, once).to_json() == once.to_json()


# --- withdrawn meetings -------------------------------------------------------------------------


def test_a_cancelled_meeting_is_revised_and_keeps_its_last_open_agenda_as_withdrawn(
    v1: Plan,
) -> None:
    """A published meeting now cancelled: its SEQUENCE rises, and the plan keeps its last open
    version (agenda and deadlines as published), cancelled, so that the feeds tell everyone
    who had it."""
    cancelled = {**OCTOBER, "status": "cancelled", "agenda": [], "deadlines": None}
    new = revise(v1, plan(JUNE, cancelled))
    assert numbering(new)["main-2017-10-17"] == (1, None)
    assert withdrawn(new) == [{**OCTOBER, "status": "cancelled", "sequence": 1}]


def test_a_meeting_gone_from_the_programme_stays_withdrawn_in_every_later_version(
    v1: Plan,
) -> None:
    """A published meeting removed: the next version withdraws it (cancelled, sequence up);
    the version after keeps that record unchanged, revised as of the version that withdrew it."""
    v2 = published(revise(v1, plan(JUNE)), V2_PUBLISHED)
    assert withdrawn(v2) == [{**OCTOBER, "status": "cancelled", "sequence": 1}]
    assert set(last_published(v2)) == {"main-2017-06-28", "main-2017-10-17"}
    v3 = revise(v2, plan(JUNE))
    assert withdrawn(v3) == [
        {**OCTOBER, "status": "cancelled", "sequence": 1, "revised": V2_PUBLISHED}
    ]
    assert numbering(v3) == {"main-2017-06-28": (0, V1_PUBLISHED)}


def test_a_withdrawn_meeting_back_again_gets_the_next_sequence_and_no_record(v1: Plan) -> None:
    """A meeting removed and then put back is a revision of its withdrawn (cancelled) record:
    sequence 2, and it is open again, so nothing is withdrawn."""
    v2 = published(revise(v1, plan(JUNE)), V2_PUBLISHED)
    v3 = revise(v2, plan(JUNE, OCTOBER))
    assert numbering(v3) == {
        "main-2017-06-28": (0, V1_PUBLISHED),
        "main-2017-10-17": (2, None),
    }
    assert withdrawn(v3) == []


def test_a_meeting_cancelled_all_along_is_never_withdrawn() -> None:
    """A meeting every version had as cancelled was never in anybody's calendar with an agenda:
    it gets no withdrawn record and its sequence stays."""
    cancelled = {**OCTOBER, "status": "cancelled", "agenda": [], "deadlines": None}
    previous = plan(JUNE, cancelled, published=V1_PUBLISHED)
    new = revise(previous, plan(JUNE, cancelled))
    assert withdrawn(new) == []
    assert numbering(new)["main-2017-10-17"] == (0, V1_PUBLISHED)
