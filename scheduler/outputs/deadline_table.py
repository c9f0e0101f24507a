"""The deadlines of every meeting (`dates.deadlines`) as a table for people, JSON or CSV.

A meeting whose day is not fixed yet has empty deadline cells; the table says what is known of
its date in words ("January 2025, date to be fixed") where the day would be, JSON and CSV leave
`date` empty and give `when` as the programme file does (`2025-01`; empty when nothing is
known). A meeting whose body states no time has no start ("-" in the table, empty in JSON and
CSV).
"""

from __future__ import annotations

import csv
import io
import json

from scheduler.dates.deadlines import MeetingDates
from scheduler.programme.words import rough_words, table_day

COLUMNS = (
    "meeting",
    "body",
    "date",
    "when",
    "start",
    "status",
    "agenda_publication",
    "reports_due",
    "public_questions",
    "preparation",
)


def _when(row: MeetingDates) -> str:
    """What is known of a day not fixed yet, as the file writes it; empty once fixed or when
    nothing is known."""
    when = row.meeting.when
    return "" if row.meeting.fixed or not when.known else str(when)


def _record(row: MeetingDates) -> dict[str, str]:
    d, start = row.deadlines, row.start
    return {
        "meeting": row.meeting.key,
        "body": row.body.id,
        "date": row.meeting.day.isoformat() if row.meeting.day else "",
        "when": _when(row),
        "start": start.strftime("%H:%M") if start else "",
        "status": row.meeting.status,
        "agenda_publication": d.agenda_publication.isoformat()
        if d and d.agenda_publication
        else "",
        "reports_due": d.reports_due.isoformat() if d else "",
        "public_questions": (
            d.public_questions.strftime("%Y-%m-%dT%H:%M") if d and d.public_questions else ""
        ),
        "preparation": d.preparation.strftime("%Y-%m-%dT%H:%M") if d and d.preparation else "",
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


def render_table(rows: list[MeetingDates]) -> str:
    """A fixed-width table for people: weekday dates, times, '-' where a deadline or a start
    does not apply; a meeting not fixed yet says what is known of its date, and no deadlines."""
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
        d, start, day = row.deadlines, row.start, row.meeting.day
        questions = d.public_questions if d else None
        lines.append(
            (
                table_day(day) if day else rough_words(row.meeting.when),
                f"{start:%H:%M}" if start else "-",
                row.body.id,
                row.meeting.status,
                table_day(d.agenda_publication if d else None),
                table_day(d.reports_due if d else None),
                table_day(questions.date() if questions else None),
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
