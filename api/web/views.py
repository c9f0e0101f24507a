"""What the pages show, read from the store: the programme, its plan versions, the grid of one
plan, its changes and the feed addresses. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.jobs import ACTIVE
from api.state import State
from api.storage import reading
from api.store import (
    feed_tokens,
    plan_of,
    plan_row,
    plan_rows,
    programme_at,
    programme_row,
    public_url,
    published_row,
)
from api.tables import FeedToken, Job, PlanRow, ProgrammeRow
from api.web.grid import BodyGrid, grid, skeleton
from scheduler.outputs.days import long_day, short_day
from scheduler.outputs.document import Document, NotPlaced, document
from scheduler.plan.changes import diff
from scheduler.plan.model import Change, Plan
from scheduler.programme.model import Programme


@dataclass(frozen=True)
class Link:
    """A calendar feed's address, to copy, and the same as a webcal: link to subscribe."""

    label: str
    url: str

    @property
    def webcal(self) -> str:
        return "webcal://" + self.url.split("://", 1)[1]


@dataclass(frozen=True)
class ChangeLine:
    """One change in words: what, from, to, why, whom to tell."""

    what: str
    change: str
    before: str
    after: str
    reasons: tuple[str, ...]
    tell: tuple[str, ...]


@dataclass
class ProgrammePage:
    """Everything the clerk's page of one programme shows."""

    row: ProgrammeRow
    programme: Programme  # the newest version: what edits apply to
    plans: list[PlanRow]
    shown: PlanRow | None = None
    plan: Plan | None = None
    doc: Document | None = None
    grids: list[BodyGrid] = field(default_factory=list)
    unplaced: tuple[NotPlaced, ...] = ()
    changes: list[ChangeLine] = field(default_factory=list)
    changes_from: int | None = None
    active: Job | None = None
    tokens: list[FeedToken] = field(default_factory=list)
    public_feeds: list[Link] = field(default_factory=list)

    @property
    def shown_number(self) -> int | None:
        return self.shown.number if self.shown else None

    @property
    def outdated(self) -> bool:
        """The shown plan was made from an older version of the programme."""
        return self.shown is not None and self.shown.programme_version != self.row.version


def programme_page(s: State, pid: str, number: int | None, base: str) -> ProgrammePage:
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        plans = plan_rows(session, pid)
        page = ProgrammePage(row, programme_at(session, pid), plans)
        if plans:
            page.shown = plan_row(session, pid, number) if number else plans[-1]
            _show(session, page)
        if not page.grids:
            page.grids = skeleton(page.programme)
        page.active = session.scalar(
            select(Job).where(Job.programme == pid, Job.state.in_(ACTIVE)).limit(1)
        )
        page.tokens = feed_tokens(session, pid)
        if row.published:  # the feeds that exist: the published programme version's
            published = programme_at(session, pid, published_row(session, pid).programme_version)
            page.public_feeds = public_feeds(published, pid, base)
    return page


def _show(session: Session, page: ProgrammePage) -> None:
    """The shown plan's grid (as the clerk reads it) and its changes against the plan before."""
    shown = page.shown
    assert shown is not None
    plan = plan_of(shown)
    programme = programme_at(session, shown.programme, shown.programme_version)
    page.plan = plan
    if plan.status.found:
        page.doc = document(programme, plan, "clerk")
        page.grids = grid(page.doc)
        page.unplaced = page.doc.unplaced
    before = shown.based_on if shown.kind == "replan" else page.row.published
    if before is None or before == shown.number or shown.kind == "publish":
        return
    previous = plan_of(plan_row(session, shown.programme, before))
    if not (plan.status.found and previous.status.found):
        return
    changes = plan.changes if shown.kind == "replan" else None  # with the re-plan's reasons
    if changes is None:
        changes = diff(programme, previous, plan)
    page.changes = [_line(programme, previous, plan, c) for c in changes]
    page.changes_from = before


def _line(programme: Programme, previous: Plan, plan: Plan, c: Change) -> ChangeLine:
    meetings = {m.id: m for m in [*previous.meetings, *plan.meetings]}
    bodies = programme.bodies_by_id

    def where(mid: str | None) -> str:
        if mid is None:
            return "not placed"
        m = meetings.get(mid)
        if m is None:
            return mid
        body = bodies[m.body].name if m.body in bodies else m.body
        return f"{body}, {short_day(m.date)}"

    if c.meeting:
        what = f"Meeting: {where(c.meeting)}"
        before, after = (_value(c.change, v) for v in (c.from_, c.to))
    else:
        item = programme.items_by_id.get(c.item or "")
        what = item.title if item else (c.item or "")
        if c.occurrence:
            what += f" ({c.occurrence})"
        before, after = where(c.from_), where(c.to)
    people = programme.people_by_id
    tell = tuple(people[p].name if p in people else p for p in c.tell)
    return ChangeLine(what, c.change, before, after, tuple(c.reasons), tell)


def _value(change: str, value: str | None) -> str:
    """A meeting's old or new date (in words), time, venue or status."""
    if value and change in ("date", "added", "removed"):
        return long_day(dt.date.fromisoformat(value))
    return value or ""


def public_feeds(programme: Programme, pid: str, base: str) -> list[Link]:
    """The public feed of every body the public may see."""
    return [
        Link(body.name, public_url(base, pid, body.id)) for body in programme.bodies if body.public
    ]


@dataclass(frozen=True)
class PublicPage:
    row: ProgrammeRow
    doc: Document
    grids: list[BodyGrid]
    feeds: list[Link]


def public_page(s: State, pid: str, base: str) -> PublicPage:
    """The published plan as the public reads it: exempt titles and informal bodies withheld."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        number = published_row(session, pid).number
    programme, doc, grids = _public_view(s.engine, pid, number)
    return PublicPage(row, doc, grids, public_feeds(programme, pid, base))


@lru_cache(maxsize=8)
def _public_view(
    engine: Engine, pid: str, number: int
) -> tuple[Programme, Document, list[BodyGrid]]:
    """The public document and grid of a plan version, made once: a plan version never changes,
    and the page is anybody's to ask for (a whole council's takes a quarter of a second of CPU
    to make). Keyed by the engine too: every database its own."""
    with reading(engine) as session:
        published = plan_row(session, pid, number)
        programme = programme_at(session, pid, published.programme_version)
        plan = plan_of(published)
    doc = document(programme, plan, "public")
    return programme, doc, grid(doc)


def all_programmes(s: State) -> list[ProgrammeRow]:
    with reading(s.engine) as session:
        return list(session.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)))


def choices(programme: Programme) -> dict[str, Any]:
    """What the forms offer: items a pin fits, meetings, bodies and people."""
    pinnable = [
        i
        for i in programme.items
        if i.kind != "standing" and i.placed_here and not i.every and not i.rotation
    ]
    meetings = sorted(
        ((m.key, body, m) for body in programme.bodies for m in body.meetings),
        key=lambda t: (t[2].date, t[0]),
    )
    return {
        "items": pinnable,
        "meetings": meetings,
        "bodies": programme.bodies,
        "people": programme.people,
    }
