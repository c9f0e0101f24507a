"""Hard R2 standing, checked: a standing item at exactly the meetings it belongs to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from scheduler.check.facts import open_meetings
from scheduler.check.view import Finding, View, hard
from scheduler.dates.deadlines import working_calendar
from scheduler.dates.working_days import STATUTORY_CLEAR_DAYS
from scheduler.programme.model import Body, Item, Meeting, Programme


@hard("R2")
def check_r2(view: View) -> Iterator[Finding]:
    """Hard R2 standing: a standing item is at exactly the meetings of its body it belongs to.

    That is every non-cancelled meeting, except special ones unless the item says `special`;
    with `follows: B`, only meetings with a meeting of B since the body's previous meeting and
    before this meeting's agenda is published.
    """
    for item in view.programme.items:
        body = view.programme.bodies_by_id.get(item.body)
        if item.kind != "standing" or not item.placed_here or body is None:
            continue
        present = view.meetings_of(item.id)
        for meeting in open_meetings(body):
            misfit = _standing_misfit(view.programme, item, body, meeting)
            if misfit is None and meeting.key not in present:
                yield item.id, f"{item.id} is missing from {meeting.key}"
            elif misfit is not None and meeting.key in present:
                yield item.id, f"{item.id} is at {meeting.key}, where it does not belong: {misfit}"


def _standing_misfit(programme: Programme, item: Item, body: Body, meeting: Meeting) -> str | None:
    """Why standing `item` does not belong at `meeting`, or None when it does."""
    if meeting.special and not item.special:
        return "a special meeting"
    if item.follows and not _follows(programme, body, meeting, item.follows):
        return (
            f"no meeting of {item.follows} since the previous meeting of {body.id} and before "
            "its agenda is published"
        )
    return None


def _follows(programme: Programme, body: Body, meeting: Meeting, other_id: str) -> bool:
    """True when body `other_id` surely met since `body`'s previous meeting and before this
    meeting's agenda went out; before the body's first meeting, any earlier meeting of
    `other_id` counts (its minutes are there to be referred, even from before the year). Days
    not fixed: the previous meeting is the last one surely before this one, from its first
    possible day; B's meeting counts by its first day against it and its last against the
    agenda."""
    other = programme.bodies_by_id.get(other_id)
    earlier = [m.date for m in open_meetings(body) if m.latest < meeting.date]
    since = max(earlier) if earlier else dt.date.min
    published = meeting.date
    if not body.informal:
        clear = programme.deadlines.agenda_clear_days
        days = STATUTORY_CLEAR_DAYS[programme.nation] if clear is None else clear
        published = working_calendar(programme).last_publication_day(meeting.date, days)
    met = [(m.date, m.latest) for m in open_meetings(other)] if other else []
    return any(since <= first and last < published for first, last in met)
