"""Every meeting's deadlines (DESIGN §6), from a programme (`outputs.deadline_table` writes
them for people and scripts).

A meeting has deadlines once its day is fixed (DESIGN §4.6: "deadlines wait for the day") and
while it is not cancelled. Agenda publication and reports due hold for every body that is not
informal; public questions and the members' preparation meeting only for a statutory meeting:
a committee or sub-committee, not informal, with a stated start (`statutory`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from scheduler.dates.working_days import (
    STATUTORY_CLEAR_DAYS,
    MeetingDeadlines,
    WorkingCalendar,
    meeting_deadlines,
)
from scheduler.programme.model import Body, Item, Meeting, Programme


@dataclass(frozen=True)
class MeetingDates:
    """A meeting with its deadlines; `deadlines` is None for a cancelled meeting and for one
    whose day is not fixed yet."""

    body: Body
    meeting: Meeting
    deadlines: MeetingDeadlines | None

    @property
    def start(self) -> dt.time | None:
        """When the meeting starts; None when neither it nor its body states a time."""
        return self.meeting.start or self.body.start


@cache
def _calendar(nation: str, closures: tuple[object, ...]) -> WorkingCalendar:
    return WorkingCalendar(nation, closures)  # type: ignore[arg-type]


def working_calendar(p: Programme) -> WorkingCalendar:
    """The programme's working days: its nation's bank holidays and its closures."""
    return _calendar(p.nation, tuple(p.closures))


def clear_days(p: Programme) -> int:
    """The clear working days between an agenda's publication and its meeting: as the
    programme says, else its nation's statutory number (England 5, Wales 3)."""
    clear = p.deadlines.agenda_clear_days
    return STATUTORY_CLEAR_DAYS[p.nation] if clear is None else clear


def statutory(body: Body, start: dt.time | None) -> bool:
    """True when a meeting of `body` starting at `start` has public questions and a members'
    preparation meeting: a committee or sub-committee, not informal, with a stated start (its
    own, or its body's: DESIGN §4.6)."""
    return not body.informal and body.kind != "other" and start is not None


def deadlines_of(p: Programme, body: Body, meeting: Meeting) -> MeetingDeadlines:
    """The deadlines of one meeting; they move with the meeting's date and start.

    Only a meeting with a fixed day has deadlines (`dated_deadlines` says None for the others):
    for one that is not fixed yet, these are counted from its earliest possible day, the soonest
    they could fall.
    """
    settings = p.deadlines
    start = meeting.start or body.start
    return meeting_deadlines(
        working_calendar(p),
        meeting.date,
        start,
        p.timezone,
        clear_days=clear_days(p),
        reports_due_working_days=settings.reports_due_working_days,
        questions_working_days=settings.questions_working_days,
        preparation_minutes=settings.preparation_minutes,
        informal=body.informal,
        statutory=statutory(body, start),
    )


def dated_deadlines(p: Programme, body: Body, meeting: Meeting) -> MeetingDeadlines | None:
    """The deadlines people are given: None for a cancelled meeting and for one whose day is not
    fixed yet (its deadlines wait for the day)."""
    if meeting.status == "cancelled" or not meeting.fixed:
        return None
    return deadlines_of(p, body, meeting)


def report_authors(item: Item, occurrence: str | None) -> list[str]:
    """Who owes a written report for one occurrence of an item, and so has its reports-due date:
    its presenters, and the officer of a rotation (scrutiny) occurrence; nobody when `verbal`."""
    if item.verbal:
        return []
    officer = item.officer(occurrence)
    return list(dict.fromkeys([*item.presenters, *([officer] if officer else [])]))


def programme_deadlines(p: Programme) -> list[MeetingDates]:
    """All meetings of the programme in date order (a meeting not fixed yet by its earliest
    possible day), each with its deadlines (None when cancelled or not fixed)."""
    rows = [MeetingDates(b, m, dated_deadlines(p, b, m)) for b in p.bodies for m in b.meetings]
    return sorted(
        rows,
        key=lambda r: (
            not r.meeting.when.known,  # no date at all: after every other
            r.meeting.date,
            r.start or dt.time(0),
            r.meeting.key,
        ),
    )
