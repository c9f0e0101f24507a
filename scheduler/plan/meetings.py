"""A plan's meetings as the programme gives them: date, times, venue, status and deadlines.

The solver adds the agendas (`solver.result`); a page that shows the year before anything is
placed uses them bare (`bare_meetings`).
"""

from __future__ import annotations

from scheduler.dates.deadlines import deadlines_of
from scheduler.plan.model import AgendaEntry, MeetingDeadlines, PlannedMeeting
from scheduler.programme.model import Body, Meeting, Programme


def planned_meeting(
    programme: Programme, body: Body, meeting: Meeting, agenda: list[AgendaEntry]
) -> PlannedMeeting:
    """A meeting of the plan with `agenda` (in agenda order), and its deadlines unless it is
    cancelled."""
    deadlines = None
    if meeting.status != "cancelled" and meeting.fixed:
        d = deadlines_of(programme, body, meeting)
        deadlines = MeetingDeadlines(
            agenda_publication=d.agenda_publication,
            reports_due=d.reports_due,
            public_questions=d.public_questions and d.public_questions.replace(tzinfo=None),
        )
    start, end = programme.span(body, meeting)
    timed = (meeting.start or body.start) is not None
    return PlannedMeeting(
        id=meeting.key,
        body=body.id,
        date=meeting.day,
        when=None if meeting.fixed or not meeting.when.known else str(meeting.when),
        start=start.time() if timed else None,
        end=end.time() if timed else None,
        venue=meeting.venue or body.venue,
        status=meeting.status,
        minutes_used=sum(a.minutes for a in agenda),
        minutes_available=body.agenda_minutes(meeting),
        deadlines=deadlines,
        agenda=agenda,
    )


def bare_meetings(programme: Programme) -> list[PlannedMeeting]:
    """Every meeting of the programme in time order (as a plan lists them), with no agenda."""
    return [planned_meeting(programme, b, m, []) for b, m in programme.in_time_order()]
