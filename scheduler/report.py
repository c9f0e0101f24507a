"""The work-programme document in the form of the clerk's Appendix 1 (seed 000): body, meeting
date, item, status; then what could not be placed and why."""

from __future__ import annotations

import datetime as dt

from scheduler.model import Programme
from scheduler.plan import AgendaEntry, Plan

STATUS = {
    "standing": "Standing Item",
    "substantive": "Substantive Item",
    "short": "Short Item",
    "information": "Information Item",
    "report": "Report",
    "witness-session": "Witness Session",
    "scrutiny": "Scrutiny",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _item_cell(p: Programme, entry: AgendaEntry) -> str:
    title = entry.title
    witnesses = p.items_by_id[entry.item].witnesses
    if witnesses:
        names = "; ".join(
            f"{p.people_by_id[w].name}"
            + (f", {p.people_by_id[w].role}" if p.people_by_id[w].role else "")
            for w in witnesses
        )
        title += f" (Witnesses: {names})"
    return _cell(title)


def _status(entry: AgendaEntry) -> str:
    status = STATUS[entry.kind]
    return f"{status} (Part 2, exempt)" if entry.exempt else status


def markdown(p: Programme, plan: Plan) -> str:
    """The work programme as Markdown: one table per meeting in date order."""
    lines = [f"# {p.title}", "", f"{p.council}. Plan status: {plan.status.value}.", ""]
    for meeting in plan.meetings:
        body = p.bodies_by_id[meeting.body]
        day = dt.date.fromisoformat(meeting.date).strftime("%-d %B %Y")
        flag = " (cancelled)" if meeting.status == "cancelled" else ""
        lines += [f"## {body.name}: {day}{flag}", ""]
        if meeting.agenda:
            lines += ["| Item | Status |", "|---|---|"]
            lines += [f"| {_item_cell(p, a)} | {_status(a)} |" for a in meeting.agenda]
            lines += ["", f"{meeting.minutes_used} of {meeting.minutes_available} minutes.", ""]
    if plan.unplaced:
        lines += ["## Not placed", "", "| Item | Why |", "|---|---|"]
        for u in plan.unplaced:
            title = u.title + (f" ({u.occurrence})" if u.occurrence else "")
            lines.append(f"| {_cell(title)} | {_cell('; '.join(u.reasons))} |")
        lines.append("")
    return "\n".join(lines)
