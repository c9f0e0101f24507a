"""Properties of the calendar feeds on random small programmes, and of their parts.

Every feed of every solved random plan has RFC 5545 form and is read alike by icalendar (byte
round trip) and vobject (through our VTIMEZONE); no public feed shows an exempt title or an
informal body's meeting; every meeting of a public body is in its public feed; a person's feed
holds every meeting they are needed at. The VTIMEZONE is right for zones with and without
clock changes, and SEQUENCE only ever rises across plan versions.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import dateutil.tz
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scheduler.outputs.feeds import feeds
from scheduler.outputs.vtimezone import changes, vtimezone
from scheduler.plan.model import Plan, SolveStatus
from scheduler.plan.revisions import revise
from scheduler.solver.build import SolveOptions
from scheduler.solver.solve import solve
from tests.feed_parsers import events, form_problems, text_of, with_icalendar, with_vobject
from tests.strategies import load, programme_data

SOLVED = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(programme_data())
def test_feeds_of_random_plans(data: dict[str, Any]) -> None:
    programme = load(data)
    plan = solve(programme, SolveOptions(time_limit=5.0))
    event(f"status: {plan.status}")
    if plan.status not in SOLVED:
        return
    built = feeds(programme, plan)
    exempt = [i.title for i in programme.items if i.exempt is not None]
    informal = {b.id for b in programme.bodies if b.informal}
    for name, data_ in built.items():
        assert form_problems(data_) == [], name
        assert with_icalendar(data_) == with_vobject(data_), name
        if name.startswith("public/"):
            seen = text_of(data_)
            assert not [t for t in exempt if t in seen], name
            assert not [u for u in events(data_) if u.split(".")[1].split("-")[0] in informal]
    for body in programme.bodies:
        path = f"public/{body.id}.ics"
        assert (path in built) == (not body.informal)
        if path in built:
            uids = {u.split("@")[0].split(".", 1)[1] for u in events(built[path])}
            # A meeting whose day is not fixed has no event until it has (DESIGN §4.6).
            assert uids == {m.key for m in body.meetings if m.fixed}
    for meeting in plan.meetings:
        for entry in meeting.agenda if meeting.date is not None else ():
            for person in entry.people:
                theirs = events(built[f"people/{person}.ics"])
                assert f"{programme.id}.{meeting.id}@scrutiny-scheduler" in theirs


ZONES = ["Europe/London", "Europe/Dublin", "America/New_York", "Australia/Sydney", "Asia/Tokyo"]


@pytest.mark.parametrize("zone", ZONES)
def test_vtimezone_agrees_with_the_tz_database_all_year(zone: str) -> None:
    """dateutil's tzical (what vobject reads a VTIMEZONE with), given only our VTIMEZONE, puts
    10:00 and 19:00 of every day of 2017 and 2018 where the tz database does."""
    text = vtimezone(zone, 2016, 2019).to_ical().decode()
    ours, real = dateutil.tz.tzical(io.StringIO(text)).get(), ZoneInfo(zone)
    day = dt.date(2017, 1, 1)
    while day < dt.date(2019, 1, 1):
        for hour in (10, 19):
            local = dt.datetime.combine(day, dt.time(hour))
            assert local.replace(tzinfo=ours).utcoffset() == local.replace(tzinfo=real).utcoffset()
        day += dt.timedelta(days=1)


def test_vtimezone_of_a_zone_without_clock_changes() -> None:
    assert changes(ZoneInfo("Asia/Tokyo"), 2016, 2019) == []
    text = vtimezone("Asia/Tokyo", 2016, 2019).to_ical().decode()
    assert "TZOFFSETFROM:+0900" in text and "TZOFFSETTO:+0900" in text and "RRULE" not in text


def test_london_clock_changes_are_found_to_the_second() -> None:
    found = changes(ZoneInfo("Europe/London"), 2017, 2018)
    assert [c.onset for c in found] == [
        dt.datetime(2017, 3, 26, 1, 0),
        dt.datetime(2017, 10, 29, 2, 0),
        dt.datetime(2018, 3, 25, 1, 0),
        dt.datetime(2018, 10, 28, 2, 0),
    ]
    assert {c.byday for c in found} == {"-1SU"}


def _plan(*meetings: tuple[str, str, list[str]]) -> Plan:
    return Plan.model_validate(
        {
            "programme": "p",
            "status": "optimal",
            "meetings": [
                {
                    "id": mid,
                    "body": "b",
                    "date": day,
                    "start": "19:00",
                    "end": "21:00",
                    "agenda": [
                        {"item": i, "title": i, "kind": "short", "minutes": 20} for i in items
                    ],
                }
                for mid, day, items in meetings
            ],
        }
    )


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=6))
def test_sequence_counts_the_versions_that_changed_a_meeting(
    edits: list[tuple[bool, bool]],
) -> None:
    """Each version may move meeting a and may change b's agenda; c never changes."""
    day, items = 1, ["x"]
    version = _plan(("a", "2017-06-01", []), ("b", "2017-06-02", items), ("c", "2017-06-03", []))
    moved = changed = 0
    for move, edit in edits:
        day += move
        items = [*items, f"y{len(items)}"] if edit else items
        moved, changed = moved + move, changed + edit
        nxt = _plan(
            ("a", f"2017-06-{day:02d}", []), ("b", "2017-06-02", items), ("c", "2017-06-03", [])
        )
        version = revise(version, nxt)
        assert revise(version, version) == version  # revising again changes nothing
    sequence = {m.id: m.sequence for m in version.meetings}
    assert sequence == {"a": moved, "b": changed, "c": 0}


def test_an_unchanged_meeting_keeps_when_it_was_last_revised() -> None:
    first = _plan(("a", "2017-06-01", ["x"]), ("b", "2017-06-02", []))
    first = first.model_copy(update={"published": dt.datetime(2017, 5, 1, tzinfo=dt.UTC)})
    second = revise(first, _plan(("a", "2017-06-01", ["x"]), ("b", "2017-06-09", [])))
    revised = {m.id: m.revised for m in second.meetings}
    assert revised == {"a": dt.datetime(2017, 5, 1, tzinfo=dt.UTC), "b": None}
    assert (
        '"sequence": 1' in second.to_json()
        and '"revised": "2017-05-01T00:00:00Z"' in second.to_json()
    )
