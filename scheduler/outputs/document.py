"""The work-programme document's content, for one audience (seed 000's Appendix 1; issue 7).

Everything the clerk circulates, as plain strings, decided once for every format:
- every body's meetings in date order, each with its items and their status; a meeting whose day
  is not fixed yet by what is known of it ("January 2025, date to be fixed"), its items marked
  "(provisional)" as are items placed after an event known only roughly; under the council's own
  agenda headings where its items give them; under each item who else is invited (people and
  organisations) and its history ("14 November 2023: Deferred at the Chairman's request");
- what is delegated, and to whom;
- the rotation: who is scrutinised when, against their set frequency;
- what could not be placed, and why (for the clerk);
- what is carried forward to next year, and the topics suggested "if required";
- each body's own visits and events;
- each meeting's deadlines, and for the clerk its agenda time against the time available only
  where the council states that ("95 of 120 minutes").

Everything is in words for people (DESIGN §5 "Words"): meetings by body and date, people by
name, each unplaced item's reasons as sentences. The public reads no solver status, rule code or
id; the clerk's audience has each reason's rule and details beside it (`NotPlaced.details`) and
how good the plan is, after what it holds; an incomplete plan says so first.

For the `public` audience, exempt (Part 2) items show only as "Exempt item (Part 2)", without
their history or who is invited; a history note, or what the plan says of an item carried
forward, that names an exempt item is withheld (the change word, or `WITHHELD`, instead).
Informal bodies are left out. The public reads what is planned and its public deadlines (agenda
publication, public questions): not what could not be placed and why, the officers' reports-due
dates, the agenda time used or an incomplete plan's notice, all the clerk's to act on.
`outputs.report` renders this content as Markdown, HTML or Word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from scheduler.dates.deadlines import statutory
from scheduler.outputs.exempt import EXEMPT, Secrets
from scheduler.outputs.sections import council_headings, is_exempt, section
from scheduler.plan.changes import reason_details
from scheduler.plan.days import planned_day_words
from scheduler.plan.model import (
    AgendaEntry,
    Listed,
    Plan,
    PlannedMeeting,
    Reason,
    SolveStatus,
    Unplaced,
    relative_gap,
)
from scheduler.programme.model import Body, Event, History, Item, Programme
from scheduler.programme.words import (
    best_words,
    capital,
    count,
    listing,
    long_day,
    rough_words,
    short_day,
)

Audience = Literal["public", "clerk"]
WITHHELD = "(withheld: the reason names an exempt item)"
INCOMPLETE = (
    "This plan is not complete: no plan can hold every item that must be placed with every rule "
    "kept. Those left out are listed under “Not placed”, each with what keeps it out."
)
_PLACEHOLDER = re.compile(r"\s*[-\u2013:]?\s*\{(?:fy|period)\}")
PROVISIONAL = "(provisional)"
#: A meeting's status as its heading notes it (a special meeting's label otherwise).
_NOTES = {"cancelled": "cancelled", "tentative": "provisional", "postponed": "postponed"}

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
    """One line of the programme: the item (with its witnesses, and "(provisional)" last when
    its placement is) and its status; its agenda section (a key of `sections.SECTIONS`), its
    item id unless withheld, and whether pinned; the council's own heading it goes under ("":
    none), and the lines shown under it (who else is invited, its history)."""

    item: str
    status: str
    section: str = ""
    ref: str | None = None
    pinned: bool = False
    heading: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sitting:
    """One meeting: its heading, its deadlines and its rows; then what a grid of the year shows
    of it (its id, body id, date, times, venue, status and minutes used of available).

    `day` is its day in words ("28 June 2017"), or what is known of it ("January 2025, date to
    be fixed"); `date` None until the day is fixed; `time` "" when no time is stated;
    `minutes` the agenda time in words, for the clerk ("" for the public); `available` None when
    the council states no agenda time."""

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
    available: int | None = 0

    @property
    def label(self) -> str:
        """`Select Committee: 28 June 2017`; `Select Committee, January 2025, date to be fixed`
        for a meeting without a day."""
        return f"{self.body}: {self.day}" if self.date else f"{self.body}, {self.day}"

    @property
    def heading(self) -> str:
        """The label, its note last in brackets: `Select Committee: 17 October 2017
        (cancelled)`."""
        return self.label + (f" ({self.note})" if self.note else "")

    @property
    def groups(self) -> list[tuple[str, tuple[Row, ...]]]:
        """The rows under the council's own headings, in order ("": under no heading)."""
        out: list[tuple[str, list[Row]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.heading:
                out.append((row.heading, []))
            out[-1][1].append(row)
        return [(heading, tuple(rows)) for heading, rows in out]


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
    """An item (or occurrence, or officer) not placed, for the clerk: its title, its reasons in
    words, its item id, and each reason's rule and details."""

    item: str
    reasons: str
    ref: str | None = None
    details: str = ""


@dataclass(frozen=True)
class Aside:
    """An item listed apart from the agendas: carried forward to next year, or suggested (if
    required). Its title, its body's name and what the plan says of it, then its history
    ("Deferred to next year. 14 November 2023: Deferred at the Chairman's request")."""

    item: str
    body: str
    text: str
    id: str | None = None  # the item's id, unless withheld


@dataclass(frozen=True)
class Visit:
    """A body's own event (a members' visit): its title, its date as known, who else attends."""

    title: str
    day: str
    attending: str


@dataclass(frozen=True)
class Visits:
    """One body's visits and events, in date order."""

    body: str
    visits: tuple[Visit, ...]


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
    carried_forward: tuple[Aside, ...] = ()
    suggested: tuple[Aside, ...] = ()
    visits: tuple[Visits, ...] = ()


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
        summary = f"{placed} at {count(len(sittings), 'meeting')}"
        if self.public:  # what is planned; what is not, and why, is the clerk's to act on
            summary += "."
        else:
            summary += f"; {len(unplaced)} not placed. The plan is {plan_quality(self.plan)}."
        return Document(
            title=self.p.title,
            council=self.p.council,
            summary=summary,
            audience=self.audience,
            sittings=sittings,
            delegations=tuple(self.delegations()),
            rotations=tuple(self.rotations()),
            unplaced=unplaced,
            notice="" if self.plan.complete or self.public else INCOMPLETE,
            carried_forward=tuple(self.asides(self.plan.carried_forward)),
            suggested=tuple(self.asides(self.plan.suggested)),
            visits=tuple(self.visits()),
        )

    def shown(self, body_id: str) -> bool:
        body = self.p.bodies_by_id.get(body_id)
        return body is not None and (body.public or not self.public)

    def day(self, m: PlannedMeeting) -> str:
        """`28 June 2017`; `January 2025, date to be fixed` for a meeting without a day."""
        return short_day(m.date) if m.date else planned_day_words(m)

    def sitting(self, m: PlannedMeeting) -> Sitting:
        body = self.p.bodies_by_id[m.body]
        held = self.p.meetings_by_id.get(m.id)
        special = held[1].special if held else None
        if special and self.withheld(special):
            special = "special meeting"
        note = _NOTES.get(m.status, special or "")
        deadlines = self.deadlines(body, m)
        unfixed = m.date is None  # everything placed there is provisional
        groups = council_headings(self.p, m.agenda) or [("", m.agenda)]
        rows = tuple(
            self.row(entry, heading, unfixed) for heading, entries in groups for entry in entries
        )
        # Agenda time against the time available only where the council states it; for the
        # clerk: how the agenda is timed is the clerk's working, not the public's.
        available = m.minutes_available
        minutes = ""
        if m.agenda and not self.public:
            if available is not None:
                minutes = f"{m.minutes_used} of {available} minutes"
            elif m.minutes_used:
                minutes = f"{m.minutes_used} minutes"
        time = f"{m.start:%H:%M}" if m.start else ""
        if time and m.end and m.minutes_available is not None:
            time += f"-{m.end:%H:%M}"
        return Sitting(
            body.name,
            self.day(m),
            note,
            deadlines,
            rows,
            minutes,
            meeting=m.id,
            body_id=m.body,
            date=m.date,
            time=time,
            venue=m.venue or body.venue,
            status=m.status,
            used=m.minutes_used,
            available=available,
        )

    def deadlines(self, body: Body, m: PlannedMeeting) -> tuple[str, ...]:
        """The meeting's deadlines in words: when its agenda is published and, for a statutory
        meeting (`dates.deadlines.statutory`), when public questions are due; the officers'
        reports-due date only for the clerk (the public feed says the same: DESIGN §7)."""
        d = m.deadlines
        if d is None:
            return ()
        out = []
        if d.agenda_publication:
            out.append(f"Agenda published {long_day(d.agenda_publication)}")
        if d.reports_due and not self.public:
            out.append(f"Reports due {long_day(d.reports_due)}")
        if d.public_questions and statutory(body, m.start):
            when = d.public_questions
            out.append(f"Public questions by {when:%H:%M} on {long_day(when.date())}")
        return tuple(out)

    def row(self, entry: AgendaEntry, heading: str = "", unfixed: bool = False) -> Row:
        status = STATUS.get(entry.kind, entry.kind)
        where = section(self.p, entry)
        mark = f" {PROVISIONAL}" if entry.provisional or unfixed else ""
        if is_exempt(self.p, entry):
            if self.public:  # its history and who is invited would say what it is
                return Row(EXEMPT + mark, f"{status} (Part 2)", where, heading=heading)
            status += " (Part 2, exempt)"
        found = self.p.items_by_id.get(entry.item)
        item = self.item_cell(entry.title, found) + mark
        notes = tuple(self.notes(found)) if found else ()
        return Row(item, status, where, entry.item, entry.pinned, heading, notes)

    def notes(self, item: Item) -> Iterator[str]:
        """The lines under an item: who else is invited, then its history."""
        if item.invitees:
            yield "Also invited: " + listing(self.invitee(p) for p in item.invitees)
        if item.organisations:
            yield "Organisations invited: " + listing(item.organisations)
        for happened in item.history:
            yield self.history(happened)

    def history(self, happened: History) -> str:
        """`14 November 2023: Deferred from 14 November at the Chairman's request`; the change
        in a word when there is no note (or the public may not read it)."""
        note = happened.note
        if note is None or self.withheld(note):
            note = capital(happened.change)
        return f"{short_day(happened.date)}: {note}"

    def invitee(self, pid: str) -> str:
        """`Cllr Pat Lead (Lead Member)`: a person by name, their role in brackets."""
        person = self.p.people_by_id.get(pid)
        if person is None:
            return pid
        return f"{person.name} ({person.role})" if person.role else person.name

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
                where.setdefault(entry.item, []).append(self.day(m))
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
            years = len(self.p.municipal_years())
            for officer, times in item.rotation.items():
                days = [
                    self.day(m)
                    for m in self.plan.meetings
                    for e in m.agenda
                    if e.item == item.id and item.officer(e.occurrence) == officer
                ]
                yield Rotation(
                    officer=self.person(officer),
                    frequency=f"{times} a year",
                    meetings=", ".join(days) or "none",
                    kept=f"{len(days)} of {times * years}",
                )

    def asides(self, listed: list[Listed]) -> Iterator[Aside]:
        """Items listed apart (carried forward, suggested), as the audience may read them: no
        informal body's; an exempt item only as such, without what the plan says of it."""
        for entry in listed:
            item = self.p.items_by_id.get(entry.item)
            if item is not None and not self.shown(item.body):
                continue
            body = self.p.bodies_by_id[item.body].name if item else ""
            if item is not None and self.public and self.p.part_2(item):
                yield Aside(EXEMPT, body, "")
                continue
            text = WITHHELD if self.withheld(entry.text) else entry.text
            history = [self.history(happened) for happened in item.history] if item else []
            yield Aside(entry.title, body, ". ".join([text, *history]), entry.item)

    def visits(self) -> Iterator[Visits]:
        """Each body's own events (`Event.body`: a members' visit), by body in the programme's
        order, each body's in date order (those not dated yet last); one whose title names an
        exempt item is not shown to the public."""
        for body in self.p.bodies:
            if not self.shown(body.id):
                continue
            events = [e for e in self.p.events if e.body == body.id and not self.withheld(e.title)]
            events.sort(key=lambda e: e.date.earliest or dt.date.max)
            if events:
                yield Visits(body.name, tuple(self.visit(e) for e in events))

    def visit(self, event: Event) -> Visit:
        attending = listing(self.invitee(p) for p in event.attendees)
        return Visit(event.title, capital(rough_words(event.date)), attending)

    def unplaced(self) -> Iterator[NotPlaced]:
        """What the plan does not place and why, for the clerk alone: the public reads what is
        planned (a reader cannot act on a reason, and a reason may tell of a person's absence)."""
        if self.public:
            return
        for u in self.plan.unplaced:
            item = self.p.items_by_id.get(u.item)
            reasons = "; ".join(dict.fromkeys(r.text for r in u.reasons))
            details = "; ".join(_details(u.reasons))
            yield NotPlaced(self.unplaced_title(u, item), reasons, u.item, details)

    def unplaced_title(self, u: Unplaced, item: Item | None) -> str:
        """The title for every occurrence and which (`Contract Monitoring (2017/18 Q1)`); an
        officer's own title, which names them (their id is no word for people)."""
        title = self.title(item) if item else u.title
        if u.occurrence:
            title = u.title if item is None or item.rotation else f"{title} ({u.occurrence})"
        if u.missing:
            title += f" ({count(u.missing, 'session')} not placed)"
        return title

    def withheld(self, text: str) -> bool:
        """True when the public may not read `text`: it names an exempt item."""
        return self.public and self.secrets.named_in(text)


def _details(reasons: list[Reason]) -> list[str]:
    """The reasons' rules and details, each once, for the clerk."""
    return list(dict.fromkeys(d for r in reasons if (d := reason_details(r))))
