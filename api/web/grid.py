"""The year as a grid: for each body, its meetings across in date order and their agendas down,
one row per agenda section. Built from the work-programme document, so the grid shows each
audience exactly what the document does (exempt titles and informal bodies withheld alike)."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.outputs.document import Document, Row, Sitting, document
from scheduler.outputs.sections import SECTIONS
from scheduler.plan.meetings import bare_meetings
from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.model import Programme


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
    """The programme's meetings as they stand, with their deadlines and no agendas: before
    anything is placed, or when the plan shown placed nothing, the clerk can still move,
    cancel and add meetings."""
    empty = Plan(
        programme=programme.id,
        status=SolveStatus.UNKNOWN,
        meetings=bare_meetings(programme),
    )
    return grid(document(programme, empty, "clerk"))


def _body(meetings: list[Sitting]) -> BodyGrid:
    ordered = tuple(sorted(meetings, key=lambda s: (s.date, s.meeting)))
    sections = []
    for key, heading in SECTIONS.items():
        cells = tuple(tuple(r for r in s.rows if r.section == key) for s in ordered)
        if any(cells):
            sections.append(Section(key, heading, cells))
    return BodyGrid(ordered[0].body_id, ordered[0].body, ordered, tuple(sections))
