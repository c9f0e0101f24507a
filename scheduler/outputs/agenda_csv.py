"""Each meeting's planned items as CSV, ready for Modern.gov: for the clerk, not the public.

One row per agenda item, meeting by meeting in the plan's order, each meeting's items in the
order its agenda prints (`agenda_order.printed`, the feeds' numbers): the meeting (body and day
in words), the item's number and title, who writes its report (`dates.deadlines.report_authors`:
its presenters, or the officer of a scrutiny session; nobody for a verbal item), whether it is
exempt (Part 2: listed with its title, for the clerk), and a last column with the ids. Every
body's meetings are in it, informal ones too: the clerk keeps all of them.

A spreadsheet reads UTF-8 with a byte-order mark; a cell that begins like a formula ("=", "+",
"-", "@") gets an apostrophe, so that a spreadsheet shows it as the text it is.
"""

from __future__ import annotations

import csv
import io

from scheduler.dates.deadlines import report_authors
from scheduler.outputs.agenda_order import printed
from scheduler.outputs.sections import is_exempt
from scheduler.plan.days import planned_day_words
from scheduler.plan.model import AgendaEntry, Plan, PlannedMeeting
from scheduler.programme.model import Programme

COLUMNS = ("Meeting", "Item", "Title", "Report author(s)", "Part 2", "Details")
#: What a spreadsheet takes a cell beginning with for a formula to work out.
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def agenda_csv(p: Programme, plan: Plan) -> bytes:
    """The plan's agendas as CSV bytes (UTF-8 with a byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in agenda_rows(p, plan):
        writer.writerow([as_text(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def agenda_rows(p: Programme, plan: Plan) -> list[tuple[str, str, str, str, str, str]]:
    """The rows under `COLUMNS`, before a spreadsheet's escaping."""
    return [
        _row(p, m, number, entry)
        for m in plan.meetings
        for number, _, entry in printed(p, m.agenda)
    ]


def _row(
    p: Programme, m: PlannedMeeting, number: int, entry: AgendaEntry
) -> tuple[str, str, str, str, str, str]:
    body = p.bodies_by_id.get(m.body)
    # By body, day and time: two meetings of a body on one day are told apart.
    meeting = f"{body.name if body else m.body}, {planned_day_words(m)}"
    meeting += f", {m.start:%H:%M}" if m.start else ""
    item = p.items_by_id.get(entry.item)
    authors = report_authors(item, entry.occurrence) if item else []
    details = [f"meeting {m.id}", f"item {entry.item}"]
    details += [f"occurrence {entry.occurrence}"] if entry.occurrence else []
    details += ["provisional"] if entry.provisional or m.date is None else []
    part_2 = "Yes" if is_exempt(p, entry) else "No"
    written = "; ".join(_person(p, a) for a in authors)
    return (meeting, str(number), entry.title, written, part_2, "; ".join(details))


def _person(p: Programme, pid: str) -> str:
    """`Janet Bailey, Interim Director: Children's Social Care`: as a report names its author."""
    person = p.people_by_id.get(pid)
    if person is None:
        return pid
    return f"{person.name}, {person.role}" if person.role else person.name


def as_text(cell: str) -> str:
    """Text a spreadsheet shows as text: one beginning like a formula gets an apostrophe."""
    return f"'{cell}" if cell.startswith(FORMULA) else cell
