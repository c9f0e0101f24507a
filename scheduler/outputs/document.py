"""The work-programme document's content, for one audience (seed 000's Appendix 1; issue 7).

Everything the clerk circulates, as plain strings, decided once for every format:
- every body's meetings in date order, each with its items and their status;
- what is delegated, and to whom;
- the rotation: who is scrutinised when, against their set frequency;
- what could not be placed, and why;
- each meeting's deadlines.

Everything is in words for people (DESIGN §5 "Words"): meetings by body and date, people by
name, each unplaced item's reasons as sentences. The public reads no solver status, rule code or
id; the clerk's audience has each reason's rule and details beside it (`NotPlaced.details`) and
how good the plan is, after what it holds. An incomplete plan says so first, for both.

For the `public` audience, exempt (Part 2) items show only as "Exempt item (Part 2)". Unplaced
reasons that name an exempt item are withheld. Informal bodies are left out. `outputs.report`
renders this content as Markdown, HTML or Word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from scheduler.outputs.exempt import EXEMPT, Secrets
from scheduler.outputs.sections import is_exempt, section
from scheduler.plan.changes import reason_details
from scheduler.plan.model import (
    AgendaEntry,
    Plan,
    PlannedMeeting,
    Reason,
    SolveStatus,
    Unplaced,
    relative_gap,
)
from scheduler.programme.model import Item, Programme
from scheduler.programme.words import best_words, count, long_day, short_day

Audience = Literal["public", "clerk"]
WITHHELD = "(withheld: the reason names an exempt item)"
INCOMPLETE = (
    "This plan is not complete: no plan can hold every item that must be placed with every rule "
    "kept. Those left out are listed under “Not placed”, each with what keeps it out."
)
_PLACEHOLDER = re.compile(r"\s*[-\u2013:]?\s*\{(?:fy|period)\}")

STATUS = {
    "standing": "Standing Item",
    "substantive": "Substantive Item",
    "short": "Short Item",
    "information": "Information Item",
    "report": "Report",
    "witness-session": "Witness Session",
    "scrutiny": "Scrutiny",
}


@dataclass(frozen=True)
class Row:
    """One line of the programme: the item (with its witnesses) and its status; its agenda
    section (a key of `sections.SECTIONS`), its item id unless withheld, and whether pinned."""

    item: str
    status: str
    section: str = ""
    ref: str | None = None
    pinned: bool = False


@dataclass(frozen=True)
class Sitting:
    """One meeting: its heading, its deadlines and its rows; then what a grid of the year shows
    of it (its id, body id, date, times, venue, status and minutes used of available)."""

    body: str
    day: str
    note: str
    deadlines: tuple[str, ...]
    rows: tuple[Row, ...]
    minutes: str
    meeting: str = ""
    body_id: str = ""
    date: dt.date | None = None
    time: str = ""
    venue: str | None = None
    status: str = "scheduled"
    used: int = 0
    available: int = 0

    @property
    def heading(self) -> str:
        return f"{self.body}: {self.day}" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class Delegation:
    item: str
    by: str
    to: str
    where: str


@dataclass(frozen=True)
class Rotation:
    officer: str
    frequency: str
    meetings: str
    kept: str


@dataclass(frozen=True)
class NotPlaced:
    """An item (or occurrence, or officer) not placed: its title, its reasons in words, its item
    id unless withheld, and for the clerk each reason's rule and details."""

    item: str
    reasons: str
    ref: str | None = None
    details: str = ""


@dataclass(frozen=True)
class Document:
    """The whole document for one audience; `notice`, when set, goes before everything else."""

    title: str
    council: str
    summary: str
    audience: Audience
    sittings: tuple[Sitting, ...]
    delegations: tuple[Delegation, ...]
    rotations: tuple[Rotation, ...]
    unplaced: tuple[NotPlaced, ...]
    notice: str = ""


def document(programme: Programme, plan: Plan, audience: Audience = "clerk") -> Document:
    """The content of the work programme of `plan`, as `audience` may read it."""
    return _Builder(programme, plan, audience).build()


def plan_quality(plan: Plan) -> str:
    """How good the plan is, for people: `proven best`, `within 2.5 % of the best possible`, or
    `not proven best` (a solver's status, objective and bound in words)."""
    if plan.status is SolveStatus.OPTIMAL:
        return best_words(0)
    if plan.objective is None or plan.bound is None:
        return best_words(None)
    gap = relative_gap(plan.objective, plan.bound)
    return best_words(gap if gap > 0 else None)


class _Builder:
    def __init__(self, programme: Programme, plan: Plan, audience: Audience) -> None:
        self.p, self.plan, self.audience = programme, plan, audience
        self.public = audience == "public"
        self.secrets = Secrets(programme)

    def build(self) -> Document:
        sittings = tuple(self.sitting(m) for m in self.plan.meetings if self.shown(m.body))
        unplaced = tuple(self.unplaced())
        placed = count(sum(len(s.rows) for s in sittings), "agenda entry", "agenda entries")
        summary = f"{placed} at {count(len(sittings), 'meeting')}; {len(unplaced)} not placed."
        if not self.public:
            summary += f" The plan is {plan_quality(self.plan)}."
        return Document(
            title=self.p.title,
            council=self.p.council,
            summary=summary,
            audience=self.audience,
            sittings=sittings,
            delegations=tuple(self.delegations()),
            rotations=tuple(self.rotations()),
            unplaced=unplaced,
            notice="" if self.plan.complete else INCOMPLETE,
        )

    def shown(self, body_id: str) -> bool:
        body = self.p.bodies_by_id.get(body_id)
        return body is not None and (body.public or not self.public)

    def sitting(self, m: PlannedMeeting) -> Sitting:
        body = self.p.bodies_by_id[m.body]
        held = self.p.meetings_by_id.get(m.id)
        special = held[1].special if held else None
        if special and self.withheld(special):
            special = "special meeting"
        note = {"cancelled": "cancelled", "tentative": "provisional"}.get(m.status, special or "")
        d = m.deadlines
        deadlines = []
        if d and d.agenda_publication:
            deadlines.append(f"Agenda published {long_day(d.agenda_publication)}")
        if d and d.reports_due:
            deadlines.append(f"Reports due {long_day(d.reports_due)}")
        if d and d.public_questions:
            when = d.public_questions
            deadlines.append(f"Public questions by {when:%H:%M} on {long_day(when.date())}")
        rows = tuple(self.row(entry) for entry in m.agenda)
        minutes = f"{m.minutes_used} of {m.minutes_available} minutes" if m.agenda else ""
        return Sitting(
            body.name,
            short_day(m.date),
            note,
            tuple(deadlines),
            rows,
            minutes,
            meeting=m.id,
            body_id=m.body,
            date=m.date,
            time=f"{m.start:%H:%M}-{m.end:%H:%M}",
            venue=m.venue or body.venue,
            status=m.status,
            used=m.minutes_used,
            available=m.minutes_available,
        )

    def row(self, entry: AgendaEntry) -> Row:
        status = STATUS.get(entry.kind, entry.kind)
        where = section(self.p, entry)
        if is_exempt(self.p, entry):
            if self.public:
                return Row(EXEMPT, f"{status} (Part 2)", where)
            status += " (Part 2, exempt)"
        item = self.item_cell(entry.title, self.p.items_by_id.get(entry.item))
        return Row(item, status, where, entry.item, entry.pinned)

    def item_cell(self, title: str, item: Item | None) -> str:
        if item is None or not item.witnesses:
            return title
        names = "; ".join(self.person(w) for w in item.witnesses)
        return f"{title} (Witnesses: {names})"

    def person(self, pid: str) -> str:
        person = self.p.people_by_id.get(pid)
        if person is None:
            return pid
        return f"{person.name}, {person.role}" if person.role else person.name

    def title(self, item: Item) -> str:
        """The item's title, {period} and {fy} left out (it stands for all its occurrences)."""
        if self.public and self.p.part_2(item):
            return EXEMPT
        return _PLACEHOLDER.sub("", item.title).strip() or item.title

    def delegations(self) -> Iterator[Delegation]:
        """Items a body takes for its parent, and items taken outside this programme."""
        where: dict[str, list[str]] = {}
        for m in self.plan.meetings:
            for entry in m.agenda:
                where.setdefault(entry.item, []).append(short_day(m.date))
        for item in self.p.items:
            if not self.shown(item.body):
                continue
            body = self.p.bodies_by_id[item.body].name
            if item.delegated_to:
                yield Delegation(
                    self.title(item), body, item.delegated_to, "outside this programme"
                )
            elif item.delegated_from:
                if not self.shown(item.delegated_from):
                    continue  # an informal body's name is in no public output
                by = self.p.bodies_by_id[item.delegated_from].name
                dates = ", ".join(dict.fromkeys(where.get(item.id, []))) or "not placed"
                yield Delegation(self.title(item), by, body, dates)

    def rotations(self) -> Iterator[Rotation]:
        """Each rotation officer: set times a year against the meetings the plan gives them."""
        for item in self.p.items:
            if not item.rotation or not self.shown(item.body):
                continue
            if self.public and self.p.part_2(item):
                continue  # who is scrutinised in Part 2, and when, is exempt too
            for officer, times in item.rotation.items():
                days = [
                    short_day(m.date)
                    for m in self.plan.meetings
                    for e in m.agenda
                    if e.item == item.id and e.occurrence == officer
                ]
                yield Rotation(
                    officer=self.person(officer),
                    frequency=f"{times} a year",
                    meetings=", ".join(days) or "none",
                    kept=f"{len(days)} of {times}",
                )

    def unplaced(self) -> Iterator[NotPlaced]:
        for u in self.plan.unplaced:
            item = self.p.items_by_id.get(u.item)
            if item is not None and not self.shown(item.body):
                continue
            title = self.unplaced_title(u, item)
            reasons = [self.reason(r) for r in u.reasons]
            ref = None if title == EXEMPT else u.item
            details = "" if self.public else "; ".join(_details(u.reasons))
            yield NotPlaced(title, "; ".join(dict.fromkeys(reasons)), ref, details)

    def unplaced_title(self, u: Unplaced, item: Item | None) -> str:
        """The title for every occurrence and which (`Contract Monitoring (2017/18 Q1)`); an
        officer's own title, which names them (their id is no word for people)."""
        title = self.title(item) if item else u.title
        if title == EXEMPT:
            return title
        if u.occurrence:
            title = u.title if item is None or item.rotation else f"{title} ({u.occurrence})"
        if u.missing:
            title += f" ({count(u.missing, 'session')} not placed)"
        return title

    def withheld(self, text: str) -> bool:
        """True when the public may not read `text`: it names an exempt item."""
        return self.public and self.secrets.named_in(text)

    def reason(self, reason: Reason) -> str:
        named = self.withheld(reason.text) or self.withheld(reason.details or "")
        return WITHHELD if named else reason.text


def _details(reasons: list[Reason]) -> list[str]:
    """The reasons' rules and details, each once, for the clerk."""
    return list(dict.fromkeys(d for r in reasons if (d := reason_details(r))))
