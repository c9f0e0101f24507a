"""Every meeting's deadlines (DESIGN §6), from a programme (`outputs.deadline_table` writes
them for people and scripts)."""

from __future__ import annotations

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
    """A meeting with its deadlines; `deadlines` is None for a cancelled meeting."""

    body: Body
    meeting: Meeting
    deadlines: MeetingDeadlines | None


@cache
def _calendar(nation: str, closures: tuple[object, ...]) -> WorkingCalendar:
    return WorkingCalendar(nation, closures)  # type: ignore[arg-type]


def working_calendar(p: Programme) -> WorkingCalendar:
    """The programme's working days: its nation's bank holidays and its closures."""
    return _calendar(p.nation, tuple(p.closures))


def deadlines_of(p: Programme, body: Body, meeting: Meeting) -> MeetingDeadlines:
    """The deadlines of one meeting; they move with the meeting's date and start."""
    settings = p.deadlines
    clear = settings.agenda_clear_days
    return meeting_deadlines(
        working_calendar(p),
        meeting.date,
        meeting.start or body.start,
        p.timezone,
        clear_days=STATUTORY_CLEAR_DAYS[p.nation] if clear is None else clear,
        reports_due_working_days=settings.reports_due_working_days,
        questions_working_days=settings.questions_working_days,
        preparation_minutes=settings.preparation_minutes,
        informal=body.informal,
    )


def report_authors(item: Item, occurrence: str | None) -> list[str]:
    """Who owes a written report for one occurrence of an item, and so has its reports-due date:
    its presenters, and the officer of a rotation (scrutiny) occurrence; nobody when `verbal`."""
    if item.verbal:
        return []
    officer = [occurrence] if item.rotation and occurrence in item.rotation else []
    return list(dict.fromkeys([*item.presenters, *officer]))


def programme_deadlines(p: Programme) -> list[MeetingDates]:
    """All meetings of the programme in date order, each with its deadlines."""
    rows = [
        MeetingDates(b, m, None if m.status == "cancelled" else deadlines_of(p, b, m))
        for b in p.bodies
        for m in b.meetings
    ]
    return sorted(
        rows, key=lambda r: (r.meeting.date, r.meeting.start or r.body.start, r.meeting.key)
    )


