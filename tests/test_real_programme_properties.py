"""Properties of the keys real programmes also use (DESIGN §4.6), on random small programmes.

Suggested and carried-forward items are listed apart, never placed and never "not placed"; a
meeting whose day is not fixed has no date and no deadlines, says what is known of its date, and
everything placed there is provisional, as is everything placed after an event or meeting known
only roughly (and nothing else); a programme of several municipal years keeps each item's
meetings in one of them. `check` restates the rules themselves (tests/test_solve_properties.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, event, given, settings

from scheduler.programme.model import After, Item, Programme
from scheduler.programme.words import plain_title, short_day
from scheduler.solver.solve import solve
from tests.strategies import load, programme_data
from tests.test_solve_properties import OPTIONS, solved

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rough_anchor(p: Programme, after: After) -> bool:
    """True when an `after` waits for an event or meeting whose day is not fixed (known roughly,
    or not at all: a cancelled meeting has no date)."""
    if after.event is not None:
        return p.events_by_id[after.event].date.day is None
    if after.meeting is not None:
        meeting = p.meetings_by_id[after.meeting][1]
        return meeting.status == "cancelled" or not meeting.fixed
    return False  # an item's last meeting, or a body's first dated one


@PROPERTY
@given(programme_data())
def test_listed_items_are_never_placed_nor_unplaced(data: dict[str, Any]) -> None:
    programme, plan = solved(data)
    carried = [i.id for i in programme.items if i.carried_forward]
    suggested = [i.id for i in programme.items if i.suggested and not i.carried_forward]
    event(f"listed: {bool(carried or suggested)}")
    assert [x.item for x in plan.carried_forward] == carried
    assert [x.item for x in plan.suggested] == suggested
    listed = {*carried, *suggested}
    assert not listed & {e.item for m in plan.meetings for e in m.agenda}
    assert not listed & {u.item for u in plan.unplaced}
    for entry in plan.carried_forward:
        item = programme.items_by_id[entry.item]
        assert entry.title == plain_title(item.title)
        texts = {
            f"Wanted from {short_day(start)}, after this programme ends: carried forward"
            for start in wanted_from(item)
        }
        assert entry.text in ({"Deferred to next year"} if item.deferred else texts)
    for entry in plan.suggested:
        assert entry.title == plain_title(programme.items_by_id[entry.item].title)
        assert entry.text == "A suggested topic: to be added if required"


def wanted_from(item: Item) -> list[dt.date]:
    """The first days of an item's window and prefer."""
    return [s.start for s in (item.window, item.prefer) if s is not None and s.start is not None]


def test_carried_forward_names_the_day_after_the_programme() -> None:
    """Wanted in summer 2018 (prefer), allowed from June 2017 (window): the words name the day
    after the programme's end, never one inside it."""
    data = {
        "id": "tiny",
        "council": "Tiny Council",
        "title": "Tiny programme",
        "year": "2017-05-10..2018-05-15",
        "bodies": [{"id": "main", "name": "Main Committee", "meetings": ["2017-11-14"]}],
        "items": [
            {
                "id": "x",
                "title": "Item X",
                "body": "main",
                "kind": "short",
                "window": "2017-06-01..2018-12-31",
                "prefer": "2018-06-01..2018-07-31",
            }
        ],
    }
    plan = solve(load(data), OPTIONS)
    assert [(x.item, x.text) for x in plan.carried_forward] == [
        ("x", "Wanted from 1 June 2018, after this programme ends: carried forward")
    ]


@PROPERTY
@given(programme_data())
def test_a_meeting_without_a_day_has_no_date_and_only_provisional_items(
    data: dict[str, Any],
) -> None:
    programme, plan = solved(data)
    if not plan.status.found:
        return
    rough = {m.key for b in programme.bodies for m in b.meetings if not m.fixed}
    event(f"meetings without a day: {bool(rough)}")
    for planned in plan.meetings:
        meeting = programme.meetings_by_id[planned.id][1]
        if meeting.fixed:
            assert planned.date == meeting.day and planned.when is None
            continue
        assert planned.date is None, planned.id
        assert planned.deadlines is None, planned.id
        assert planned.when == (str(meeting.when) if meeting.when.known else None)
        for entry in planned.agenda:
            assert entry.provisional, f"{entry.item} at {planned.id} is not provisional"


@PROPERTY
@given(programme_data())
def test_provisional_means_a_day_not_fixed_yet(data: dict[str, Any]) -> None:
    """An entry is provisional exactly when its meeting's day, or the day of an event or
    meeting it comes after, is not fixed (DESIGN §4.6)."""
    programme, plan = solved(data)
    if not plan.status.found:
        return
    for planned in plan.meetings:
        fixed = programme.meetings_by_id[planned.id][1].fixed
        for entry in planned.agenda:
            item = programme.items_by_id[entry.item]
            waits = any(rough_anchor(programme, after) for after in item.after)
            if waits:
                event("placed after a rough date")
            assert entry.provisional == (not fixed or waits), (entry.item, planned.id)


@PROPERTY
@given(programme_data())
def test_an_items_meetings_fall_in_one_municipal_year(data: dict[str, Any]) -> None:
    programme, plan = solved(data)
    if not plan.status.found:
        return
    years = programme.municipal_years()
    event(f"municipal years: {len(years)}")
    held: dict[tuple[str, str | None], set[tuple[Any, Any]]] = {}
    for planned in plan.meetings:
        when = programme.meetings_by_id[planned.id][1].date
        for entry in planned.agenda:
            item = programme.items_by_id[entry.item]
            if item.kind in ("standing", "scrutiny") or item.every:
                continue
            held.setdefault((entry.item, entry.occurrence), set()).add(
                programme.municipal_year(when)
            )
    assert all(len(spans) == 1 for spans in held.values()), held
