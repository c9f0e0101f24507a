"""The year as a grid: for each body, its meetings across in date order and their agendas down,
one row per agenda section. Built from the work-programme document, so the grid shows each
audience exactly what the document does (exempt titles and informal bodies withheld alike)."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.agenda import SECTIONS
from scheduler.deadlines import short_day
from scheduler.document import Document, Row, Sitting
from scheduler.model import Body, Meeting, Programme


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    cells: tuple[tuple[Row, ...], ...]  # one per meeting, across


@dataclass(frozen=True)
class BodyGrid:
    id: str
    name: str
    meetings: tuple[Sitting, ...]
    sections: tuple[Section, ...]  # only those with a row at some meeting


def grid(document: Document) -> list[BodyGrid]:
    """The document's sittings grouped by body (in the order bodies first meet)."""
    bodies: dict[str, list[Sitting]] = {}
    for sitting in document.sittings:
        bodies.setdefault(sitting.body_id, []).append(sitting)
    return [_body(meetings) for meetings in bodies.values()]


def skeleton(programme: Programme) -> list[BodyGrid]:
    """The meetings of the programme as it stands, without agendas: before anything is placed,
    or when the plan shown placed nothing, the clerk can still move, cancel and add meetings."""
    return [
        _body([_sitting(body, meeting) for meeting in body.meetings])
        for body in programme.bodies
        if body.meetings
    ]


def _sitting(body: Body, meeting: Meeting) -> Sitting:
    start = meeting.start or body.start
    return Sitting(
        body.name,
        short_day(meeting.date.isoformat()),
        meeting.status if meeting.status != "scheduled" else meeting.special or "",
        (),
        (),
        "",
        meeting=meeting.key,
        body_id=body.id,
        date=meeting.date.isoformat(),
        time=f"{start:%H:%M}",
        venue=meeting.venue or body.venue,
        status=meeting.status,
        available=body.minutes,
    )


def _body(meetings: list[Sitting]) -> BodyGrid:
    ordered = tuple(sorted(meetings, key=lambda s: (s.date, s.meeting)))
    sections = []
    for key, heading in SECTIONS.items():
        cells = tuple(tuple(r for r in s.rows if r.section == key) for s in ordered)
        if any(cells):
            sections.append(Section(key, heading, cells))
    return BodyGrid(ordered[0].body_id, ordered[0].body, ordered, tuple(sections))
