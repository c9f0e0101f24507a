"""Every meeting's deadlines (DESIGN §6), from a programme, and their table/JSON/CSV forms."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from functools import cache

from scheduler.calendar_rules import (
    STATUTORY_CLEAR_DAYS,
    MeetingDeadlines,
    WorkingCalendar,
    meeting_deadlines,
)
from scheduler.model import Body, Item, Meeting, Programme


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


COLUMNS = (
    "meeting",
    "body",
    "date",
    "start",
    "status",
    "agenda_publication",
    "reports_due",
    "public_questions",
    "preparation",
)


def _record(row: MeetingDates) -> dict[str, str]:
    d = row.deadlines
    return {
        "meeting": row.meeting.key,
        "body": row.body.id,
        "date": row.meeting.date.isoformat(),
        "start": (row.meeting.start or row.body.start).strftime("%H:%M"),
        "status": row.meeting.status,
        "agenda_publication": d.agenda_publication.isoformat()
        if d and d.agenda_publication
        else "",
        "reports_due": d.reports_due.isoformat() if d else "",
        "public_questions": (
            d.public_questions.strftime("%Y-%m-%dT%H:%M") if d and d.public_questions else ""
        ),
        "preparation": d.preparation.strftime("%Y-%m-%dT%H:%M") if d else "",
    }


def render_json(rows: list[MeetingDates]) -> str:
    """The deadlines as a JSON list, one object per meeting (ISO dates, local times)."""
    return json.dumps([_record(r) for r in rows], indent=2) + "\n"


def render_csv(rows: list[MeetingDates]) -> str:
    """The deadlines as CSV with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_record(r) for r in rows)
    return out.getvalue()


def long_day(iso: str) -> str:
    """`2017-06-28` -> `Wednesday 28 June 2017`, as agendas and calendars write a date."""
    d = date.fromisoformat(iso)
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_day(iso: str) -> str:
    """`2017-06-28` -> `28 June 2017`."""
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%a %d %b %Y") if iso else "-"


def render_table(rows: list[MeetingDates]) -> str:
    """A fixed-width table for people: weekday dates, times, '-' where a deadline does not apply."""
    header = (
        "Meeting",
        "Start",
        "Body",
        "Status",
        "Agenda out",
        "Reports due",
        "Questions by 17:00",
    )
    lines = [header]
    for row in rows:
        r = _record(row)
        lines.append(
            (
                _day(r["date"]),
                r["start"],
                r["body"],
                r["status"],
                _day(r["agenda_publication"]),
                _day(r["reports_due"]),
                _day(r["public_questions"][:10]),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text) + "\n"


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}
