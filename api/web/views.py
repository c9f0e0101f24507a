"""What the pages show, read from the store: the programme, its plan versions, the grid of one
plan, what it leaves out and why, its changes and the feed addresses. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.errors import NotFound
from api.jobs import ACTIVE, FOUND
from api.routes.common import programme_warnings
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
from api.web.changes import ChangeRow, changes_of
from api.web.grid import BodyGrid, grid, skeleton
from api.web.pending import Pending, pending
from api.web.where import askable
from scheduler.check.warnings import ProgrammeWarning
from scheduler.outputs.bodies import only
from scheduler.outputs.document import Aside, Document, document
from scheduler.plan.changes import movable_meetings
from scheduler.plan.model import TIME_RAN_OUT, Plan, Reason, SolveStatus, Unplaced
from scheduler.programme.model import Body, Programme
from scheduler.programme.words import count, day_words, long_day


@dataclass(frozen=True)
class Link:
    """A calendar feed's address, to copy, and the same as a webcal: link to subscribe."""

    label: str
    url: str

    @property
    def webcal(self) -> str:
        return "webcal://" + self.url.split("://", 1)[1]


@dataclass(frozen=True)
class LeftOut:
    """An item, occurrence or officer's sessions the plan does not place, for the clerk: the
    reasons whole (words, and the rule and details the page keeps under "details"). `must`:
    a must item, which a complete plan leaves out only while it waits for a date."""

    item: str
    ref: str
    reasons: tuple[Reason, ...]
    must: bool
    body: str = ""  # the committee's name: whose item it is
    body_id: str = ""


@dataclass(frozen=True)
class Entry:
    """An item the plan lists without placing it: its title and what the plan says of it."""

    title: str
    text: str
    ref: str | None


@dataclass(frozen=True)
class Listing:
    """One list of items the plan lists apart from what it places and from "Not placed"
    (DESIGN §4.6): nothing went wrong with them, so they are neither warnings nor unplaced."""

    key: str
    heading: str
    entries: tuple[Entry, ...]


def listings(doc: Document) -> list[Listing]:
    """The plan's items carried forward to next year, and its suggested ones ("if
    required"), as the document's audience may read them (`Document`'s asides: the one place
    that decides it)."""

    def listing(key: str, heading: str, asides: tuple[Aside, ...]) -> Listing:
        return Listing(key, heading, tuple(Entry(a.item, a.text, a.id) for a in asides))

    return [
        listing("carried-forward", "Carried forward to next year", doc.carried_forward),
        listing("suggested", "Suggested topics (if required)", doc.suggested),
    ]


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
    kept: PlanRow | None = None  # the plan in the grid when the one shown found none
    unplaced: tuple[LeftOut, ...] = ()
    listings: list[Listing] = field(default_factory=list)  # carried forward, suggested
    changes: list[ChangeRow] = field(default_factory=list)
    changes_from: int | None = None
    active: Job | None = None
    tokens: list[FeedToken] = field(default_factory=list)
    public_feeds: list[Link] = field(default_factory=list)
    warnings: list[ProgrammeWarning] = field(default_factory=list)  # of the newest version
    as_of: str | None = None  # the date the clerk last re-planned as of (YYYY-MM-DD)
    askable: frozenset[str] = frozenset()  # items "Where could this go?" is offered for
    pending: Pending = field(default_factory=Pending)  # edits the plan shown does not reflect
    body: Body | None = None  # the one committee shown; None: the whole programme
    contents: list[Committee] | None = None  # a large programme: its committees, not a grid

    @property
    def shown_number(self) -> int | None:
        return self.shown.number if self.shown else None

    @property
    def outdated(self) -> bool:
        """The shown plan was made from an older version of the programme."""
        return self.shown is not None and self.shown.programme_version != self.row.version

    @property
    def cut(self) -> bool:
        """The shown plan was found, but the clock stopped its search before its end."""
        return self.plan is not None and self.plan.status.found and (
            TIME_RAN_OUT in self.plan.explanation
        )

    @property
    def incomplete(self) -> bool:
        """The shown plan was found but leaves out must items no plan can hold."""
        return self.plan is not None and self.plan.status.found and not self.plan.complete

    @property
    def left_out(self) -> list[LeftOut]:
        """What an incomplete plan leaves out: its must items and sessions not placed."""
        return [u for u in self.unplaced if u.must] if self.incomplete else []


def programme_page(
    s: State, pid: str, number: int | None, base: str, body: str | None = None
) -> ProgrammePage:
    """The clerk's page of a programme: its whole year, or one committee's (`body`); a
    programme of more than `ONE_PAGE` committees lists them instead of drawing every grid."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        plans = plan_rows(session, pid)
        page = ProgrammePage(row, programme_at(session, pid), plans)
        if body is not None:
            page.body = page.programme.bodies_by_id.get(body)
            if page.body is None:
                raise NotFound(f"no committee '{body}' in this programme")
        elif len(page.programme.bodies) > ONE_PAGE:
            page.contents = []
        page.askable = askable(page.programme)
        page.warnings = programme_warnings(session, row)
        if page.body is not None:  # those that concern its meetings
            own = {m.key for m in page.body.meetings}
            page.warnings = [w for w in page.warnings if own.intersection(w.meetings)]
        if plans:
            page.shown = plan_row(session, pid, number) if number else plans[-1]
            _show(session, page)
        if page.contents is not None:
            page.contents = committees(page.programme, page.plan, page.unplaced)
        elif not page.grids:
            page.grids = skeleton(_cut(page.programme, None, page.body)[0])
        page.active = session.scalar(
            select(Job).where(Job.programme == pid, Job.state.in_(ACTIVE)).limit(1)
        )
        page.tokens = feed_tokens(session, pid)
        since = page.shown.programme_version if page.shown else row.version
        if since < row.version:
            page.pending = pending(session, pid, since)
        page.as_of = session.scalar(
            select(Job.as_of)
            .where(Job.programme == pid, Job.kind == "replan")
            .order_by(Job.created.desc())
            .limit(1)
        )
        if row.published:  # the feeds that exist: the published programme version's
            published = programme_at(session, pid, published_row(session, pid).programme_version)
            only = page.body.id if page.body else None
            page.public_feeds = public_feeds(published, pid, base, only)
    return page


def _show(session: Session, page: ProgrammePage) -> None:
    """The shown plan's grid (as the clerk reads it) and its changes against the plan before.
    A plan not found leaves the grid to the plan the clerk had (`_kept`): a failed re-plan
    throws nothing away."""
    shown = page.shown
    assert shown is not None
    plan = page.plan = plan_of(shown)
    if not plan.status.found:
        page.kept = _kept(page, shown)
        if page.kept is not None:
            _grid(session, page, page.kept, plan_of(page.kept))
        return
    _grid(session, page, shown, plan)
    found = changes_of(session, shown, page.row.published)
    if found is not None:
        page.changes, page.changes_from = found.rows, found.since


def _grid(session: Session, page: ProgrammePage, row: PlanRow, plan: Plan) -> Programme:
    """The page's grid and "not placed" from `plan` (plan version `row`); returns its programme."""
    programme = programme_at(session, row.programme, row.programme_version)
    page.unplaced = tuple(_left_out(programme, u) for u in plan.unplaced)
    if page.contents is not None:
        return programme  # a large programme's page lists its committees: no grid
    shown, cut = _cut(programme, plan, page.body)
    page.doc = document(shown, cut, "clerk")
    page.grids = grid(shown, cut, page.doc)
    if page.body is not None:
        page.unplaced = tuple(u for u in page.unplaced if u.body_id == page.body.id)
    page.listings = listings(page.doc)
    return programme


def _cut(programme: Programme, plan: Plan | None, body: Body | None) -> tuple[Programme, Plan]:
    """The programme and plan as one committee's page shows them (the whole, without one)."""
    plan = plan or Plan(programme=programme.id, status=SolveStatus.UNKNOWN)
    if body is None or body.id not in programme.bodies_by_id:
        return programme, plan
    return only(programme, plan, [body.id])


def _kept(page: ProgrammePage, failed: PlanRow) -> PlanRow | None:
    """The plan to keep showing when `failed` found none: the published one; before anything
    is published, the plan a re-plan started from, else the newest found before it."""
    rows = {p.number: p for p in page.plans}
    for number in (page.row.published, failed.based_on):
        if number in rows and rows[number].status in FOUND:
            return rows[number]
    found = [p for p in page.plans if p.number < failed.number and p.status in FOUND]
    return found[-1] if found else None


def _left_out(programme: Programme, u: Unplaced) -> LeftOut:
    """One entry of the plan's `unplaced`, titled as the plan titles it (an officer's sessions
    by the officer's name), with how many sessions when some are placed."""
    item = programme.items_by_id.get(u.item)
    title = u.title + (f" ({count(u.missing, 'session')} not placed)" if u.missing else "")
    body = programme.bodies_by_id.get(item.body) if item else None
    must = item is not None and item.importance == "must"
    return LeftOut(
        title, u.item, tuple(u.reasons), must, body.name if body else "", body.id if body else ""
    )


#: Committees a programme may have for its page to draw all their grids; more, and it lists
#: them, each with a page of its own (a council's 64 committees are 2.5 MB on one page).
ONE_PAGE = 6


@dataclass(frozen=True)
class Committee:
    """A committee in a large programme's list: how many meetings, items placed and not."""

    id: str
    name: str
    meetings: int
    placed: int
    unplaced: int


def committees(
    programme: Programme, plan: Plan | None, unplaced: tuple[LeftOut, ...]
) -> list[Committee]:
    """Every committee, in the file's order (the council's own), with its counts."""
    placed: dict[str, int] = {}
    for m in plan.meetings if plan is not None and plan.status.found else []:
        placed[m.body] = placed.get(m.body, 0) + len(m.agenda)
    missing: dict[str, int] = {}
    for u in unplaced:
        missing[u.body_id] = missing.get(u.body_id, 0) + 1
    return [
        Committee(b.id, b.name, len(b.meetings), placed.get(b.id, 0), missing.get(b.id, 0))
        for b in programme.bodies
    ]


@dataclass(frozen=True)
class FreshSolve:
    """What a plan from scratch puts at stake once a plan is published: how many of the
    published plan's placements (items and sessions at meetings; standing items stay with
    their meetings) it may move, where a re-plan moves the fewest the rules allow."""

    row: ProgrammeRow
    published: int
    placements: int


def fresh_solve(s: State, pid: str) -> FreshSolve | None:
    """None when nothing is published: a plan from scratch then moves nothing anybody has."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        if row.published is None:
            return None
        published = published_row(session, pid)
        programme = programme_at(session, pid, published.programme_version)
        movable = movable_meetings(programme, plan_of(published))
    return FreshSolve(row, published.number, sum(len(m) for m in movable.values()))


def public_feeds(
    programme: Programme, pid: str, base: str, only: str | None = None
) -> list[Link]:
    """The public feed of every body the public may see (of the body `only`, if given)."""
    return [
        Link(body.name, public_url(base, pid, body.id))
        for body in programme.bodies
        if body.public and only in (None, body.id)
    ]


@dataclass(frozen=True)
class PublicPage:
    """The published programme as the public reads it (`public_page`): its meetings and
    agendas, each meeting's public deadlines, what is carried forward or suggested, the day it
    was published and the public feeds; nothing of the clerk's workings (plan numbers, agenda
    minutes, what is not placed, officers' deadlines)."""

    row: ProgrammeRow
    doc: Document
    grids: list[BodyGrid]
    feeds: list[Link]
    listings: list[Listing] = field(default_factory=list)
    published: str = ""  # the day it was published, in words


def public_page(s: State, pid: str, base: str) -> PublicPage:
    """The published plan as the public reads it: exempt titles and informal bodies withheld."""
    with reading(s.engine) as session:
        row = programme_row(session, pid)
        published = published_row(session, pid)
    programme, doc, grids, lists = _public_view(s.engine, pid, published.number)
    feeds = public_feeds(programme, pid, base)
    when = published.published
    day = long_day(when.astimezone(ZoneInfo(programme.timezone)).date()) if when else ""
    return PublicPage(row, doc, grids, feeds, lists, day)


@lru_cache(maxsize=8)
def _public_view(
    engine: Engine, pid: str, number: int
) -> tuple[Programme, Document, list[BodyGrid], list[Listing]]:
    """The public document and grid of a plan version, made once: a plan version never changes,
    and the page is anybody's to ask for (a whole council's takes a quarter of a second of CPU
    to make). Keyed by the engine too: every database its own."""
    with reading(engine) as session:
        published = plan_row(session, pid, number)
        programme = programme_at(session, pid, published.programme_version)
        plan = plan_of(published)
    doc = document(programme, plan, "public")
    return programme, doc, grid(programme, plan, doc), listings(doc)


def all_programmes(s: State) -> list[ProgrammeRow]:
    with reading(s.engine) as session:
        return list(session.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)))


def choices(programme: Programme, only: str | None = None) -> dict[str, Any]:
    """What the forms offer: items a pin fits, meetings (by body and day in words: what is
    known of a day not fixed yet, DESIGN §4.6), bodies and people; on one committee's page
    (`only`), its items and meetings."""
    pinnable = [
        i
        for i in programme.items
        if i.kind != "standing"
        and i.placed_here
        and not i.every
        and not i.rotation
        and (only is None or i.body == only)
    ]
    meetings = sorted(
        (
            (m.key, body, m, day_words(m))
            for body in programme.bodies
            if only is None or body.id == only
            for m in body.meetings
        ),
        key=lambda t: (t[2].date, t[0]),
    )
    return {
        "items": pinnable,
        "meetings": meetings,
        "bodies": programme.bodies,
        "people": programme.people,
    }
