"""The year as a grid: for each body, its meetings across in date order and their agendas down,
one row per agenda section. The agendas are the work-programme document's rows, so the grid
shows each audience exactly what the document does (exempt titles and informal bodies withheld
alike); each meeting's heading is in words from the plan (DESIGN §4.6): its day, or what is known
of it ("January 2025, date to be fixed"), a time only where the body states one, its status, and
agenda time "of N minutes" only where the council states N."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.outputs.document import Document, Row, Sitting, document
from scheduler.outputs.exempt import Secrets
from scheduler.outputs.sections import SECTIONS
from scheduler.plan.days import planned_day_words, planned_rough
from scheduler.plan.meetings import bare_meetings
from scheduler.plan.model import Plan, PlannedMeeting, SolveStatus
from scheduler.programme.model import Programme

PROVISIONAL = "(provisional)"
#: A meeting's status in words, when it is not simply scheduled.
STATUS_WORDS = {"tentative": "tentative", "postponed": "postponed", "cancelled": "cancelled"}


@dataclass(frozen=True)
class Line:
    """One agenda entry in a cell: the document's row, and whether its placement is provisional
    (at a meeting without a day, or after an event known only roughly)."""

    row: Row
    provisional: bool

    @property
    def item(self) -> str:
        """The row's words, without a "(provisional)" the document may have added itself: the
        grid marks that on its own."""
        return self.row.item.removesuffix(PROVISIONAL).rstrip() or self.row.item

    @property
    def ref(self) -> str | None:
        return self.row.ref

    @property
    def pinned(self) -> bool:
        return self.row.pinned

    @property
    def section(self) -> str:
        return self.row.section


@dataclass(frozen=True)
class Column:
    """One meeting across the grid, as people read it.

    `day` is its day in words, or what is known of it; `date` its day once fixed (None before:
    the move form then sets it); `order` the first day it may be, which the columns go by;
    `time` its start and end ("" when its body states no time: never a made-up one); `note`
    its status in words and what a special meeting is for; `available` its agenda minutes (None
    when the council states none)."""

    meeting: str
    body: str
    body_id: str
    day: str
    date: dt.date | None
    order: dt.date
    time: str
    venue: str | None
    status: str
    note: tuple[str, ...]
    deadlines: tuple[str, ...]
    used: int
    available: int | None
    lines: tuple[Line, ...]

    @property
    def heading(self) -> str:
        """`People Select Committee, January 2025, date to be fixed`."""
        return f"{self.body}, {self.day}"

    @property
    def minutes(self) -> str:
        """`95 of 120 minutes`; `95 minutes` when the council states no agenda time; nothing
        for an empty agenda without it."""
        if self.available is not None:
            return f"{self.used} of {self.available} minutes"
        return f"{self.used} minutes" if self.lines else ""


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    cells: tuple[tuple[Line, ...], ...]  # one per meeting, across


@dataclass(frozen=True)
class BodyGrid:
    id: str
    name: str
    meetings: tuple[Column, ...]
    sections: tuple[Section, ...]  # only those with a row at some meeting


def grid(programme: Programme, plan: Plan, doc: Document) -> list[BodyGrid]:
    """The plan's meetings that `doc` shows, grouped by body (in the file's order: the council's),
    each body's in date order (a meeting without a day by the first day it may be)."""
    planned = {m.id: m for m in plan.meetings}
    secrets = Secrets(programme) if doc.audience == "public" else None
    bodies: dict[str, list[Column]] = {}
    for sitting in doc.sittings:
        m = planned.get(sitting.meeting)
        if m is not None:
            column = _column(programme, m, sitting, secrets)
            bodies.setdefault(column.body_id, []).append(column)
    return [_body(bodies[b.id]) for b in programme.bodies if b.id in bodies]  # the file's order


def skeleton(programme: Programme) -> list[BodyGrid]:
    """The programme's meetings as they stand, with their deadlines and no agendas: before
    anything is placed, or when the plan shown placed nothing, the clerk can still move,
    cancel and add meetings."""
    empty = Plan(
        programme=programme.id,
        status=SolveStatus.UNKNOWN,
        meetings=bare_meetings(programme),
    )
    return grid(programme, empty, document(programme, empty, "clerk"))


def _order(programme: Programme, m: PlannedMeeting) -> dt.date:
    """The first day the meeting may be: the day it is ordered by."""
    held = programme.meetings_by_id.get(m.id)
    if held is not None and held[1].day == m.date:  # the same meeting the plan speaks of
        return held[1].date
    rough = planned_rough(m)
    return rough.earliest or programme.year.start or dt.date.min


def _column(
    programme: Programme, m: PlannedMeeting, sitting: Sitting, secrets: Secrets | None
) -> Column:
    body = programme.bodies_by_id.get(m.body)
    held = programme.meetings_by_id.get(m.id)
    special = held[1].special if held else None
    if special and secrets is not None and secrets.named_in(special):
        special = "special meeting"
    note = tuple(n for n in (STATUS_WORDS.get(m.status), special) if n)
    return Column(
        meeting=m.id,
        body=body.name if body else sitting.body,
        body_id=m.body,
        day=planned_day_words(m),
        date=m.date,
        order=_order(programme, m),
        time=sitting.time,  # the document's: no end that nobody stated
        venue=m.venue or (body.venue if body else None),
        status=m.status,
        note=note,
        deadlines=sitting.deadlines,
        used=m.minutes_used,
        available=m.minutes_available,
        lines=_lines(m, sitting.rows),
    )


def _lines(m: PlannedMeeting, rows: tuple[Row, ...]) -> tuple[Line, ...]:
    """The document's rows with their placements' provisional mark: an item's by its id; a
    withheld (exempt) row's by the meeting's exempt entries."""
    marked = {e.item for e in m.agenda if e.provisional}
    withheld = any(e.provisional for e in m.agenda if e.exempt)
    return tuple(
        Line(
            row,
            (row.ref in marked if row.ref is not None else withheld)
            or row.item.endswith(PROVISIONAL),
        )
        for row in rows
    )


def _body(columns: list[Column]) -> BodyGrid:
    ordered = tuple(sorted(columns, key=lambda c: (c.order, c.meeting)))
    sections = []
    for key, heading in SECTIONS.items():
        cells = tuple(tuple(line for line in c.lines if line.section == key) for c in ordered)
        if any(cells):
            sections.append(Section(key, heading, cells))
    return BodyGrid(ordered[0].body_id, ordered[0].body, ordered, tuple(sections))
