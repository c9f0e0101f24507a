"""The changes a plan version makes, as the clerk's page lists them: one row per meeting (its
date, time, venue and status together: "moved" from "Tue 17 Oct 2017 19:00" to "Wed 18 Oct 2017
18:30") and one per item moved, each with whom to tell (names and e-mail addresses) and a draft
e-mail saying what changed and why. Also as CSV. Nothing here writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.store import plan_of, plan_row, programme_at
from api.tables import PlanRow
from api.web.mail import draft, mailto
from scheduler.outputs.agenda_csv import as_text
from scheduler.plan.changes import diff
from scheduler.plan.days import planned_day_words
from scheduler.plan.model import Change, Plan, PlannedMeeting, Reason, unit_key
from scheduler.programme.model import Programme
from scheduler.programme.words import long_day, short_day

#: A meeting's status once changed, in words.
STATUS = {"cancelled": "cancelled", "tentative": "provisional", "postponed": "postponed"}
CSV_COLUMNS = ("what", "change", "from", "to", "why", "names", "e-mail addresses")


@dataclass(frozen=True)
class Contact:
    """Somebody to tell: the name, and the e-mail address when the programme has one."""

    name: str
    email: str | None

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else f"{self.name} (no e-mail address)"


@dataclass(frozen=True)
class ChangeRow:
    """One row of the changes: a meeting's changes together, or one item's move. `sentences`
    say it for people (meetings by body and date, items by title); `subject` is the draft
    e-mail's subject."""

    what: str
    change: str
    before: str
    after: str
    reasons: tuple[Reason, ...]
    tell: tuple[Contact, ...]
    sentences: tuple[str, ...]
    subject: str

    @property
    def addresses(self) -> list[str]:
        return [c.email for c in self.tell if c.email]

    @property
    def letter(self) -> str:
        """The draft e-mail's text: what changed, then why."""
        lines = [f"{s}." for s in self.sentences]
        if self.reasons:
            lines += ["", *(f"Why: {r.text}." for r in self.reasons)]
        return "\n".join(lines) + "\n"

    @property
    def mailto(self) -> str:
        return mailto(self.addresses, self.subject, self.letter)

    def eml(self) -> bytes:
        to = [(c.name, c.email) for c in self.tell if c.email]
        return draft(to, self.subject, self.letter)


@dataclass(frozen=True)
class Changes:
    """The rows of a plan version's changes, and the plan version they are changes from."""

    since: int
    rows: list[ChangeRow]


def changes_of(session: Session, shown: PlanRow, published: int | None) -> Changes | None:
    """What plan version `shown` changes: a re-plan from the plan it started from (with the
    re-plan's reasons); a solve from the published plan (`published`); a publication what the
    plan it published changed (a re-plan's changes, or a solve's from the publication before).
    None when there is nothing to compare (no plan before, or one of them found none)."""
    made = shown
    if shown.kind == "publish" and shown.based_on is not None:
        made = plan_row(session, shown.programme, shown.based_on)
        published = session.scalar(
            select(func.max(PlanRow.number)).where(
                PlanRow.programme == shown.programme,
                PlanRow.kind == "publish",
                PlanRow.number < shown.number,
            )
        )
    since = made.based_on if made.kind == "replan" else published
    if since is None or since in (made.number, shown.number):
        return None
    plan, previous = plan_of(made), plan_of(plan_row(session, shown.programme, since))
    if not (plan.status.found and previous.status.found):
        return None
    programme = programme_at(session, made.programme, made.programme_version)
    changes = plan.changes if made.kind == "replan" else None
    if changes is None:
        changes = diff(programme, previous, plan)
    return Changes(since, change_rows(programme, previous, plan, changes))


def change_rows(
    programme: Programme, previous: Plan, plan: Plan, changes: Sequence[Change]
) -> list[ChangeRow]:
    """One row per meeting changed (its changes in the order given), one per item change."""
    view = _Plans.of(programme, previous, plan)
    groups: list[list[Change]] = []
    meetings: dict[str, list[Change]] = {}
    for c in changes:
        if c.meeting and c.meeting in meetings:
            meetings[c.meeting].append(c)
            continue
        groups.append([c])
        if c.meeting:
            meetings[c.meeting] = groups[-1]
    return [view.meeting_row(g) if g[0].meeting else view.item_row(g[0]) for g in groups]


def csv_bytes(rows: Iterable[ChangeRow]) -> bytes:
    """The changes as CSV (UTF-8 with a byte-order mark, as spreadsheets read it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        why = "; ".join(reason.text for reason in r.reasons)
        names = "; ".join(c.name for c in r.tell)
        cells = (r.what, r.change, r.before, r.after, why, names, "; ".join(r.addresses))
        writer.writerow(tuple(as_text(c) for c in cells))
    return out.getvalue().encode("utf-8-sig")


#: What a spreadsheet takes a cell beginning with for a formula to work out.


@dataclass(frozen=True)
class _Plans:
    """The two plans' meetings (before and after) and agenda titles, to name what changed."""

    p: Programme
    before: dict[str, PlannedMeeting]
    after: dict[str, PlannedMeeting]
    titles: dict[str, str]

    @classmethod
    def of(cls, programme: Programme, previous: Plan, plan: Plan) -> _Plans:
        titles = {
            unit_key(e.item, e.occurrence): e.title
            for p in (plan, previous)
            for m in p.meetings
            for e in m.agenda
        }
        return cls(
            programme,
            {m.id: m for m in previous.meetings},
            {m.id: m for m in plan.meetings},
            titles,
        )

    def meeting(self, mid: str | None, after: bool = False) -> PlannedMeeting | None:
        """The meeting as it was (or, `after`, as it is now); either when only one has it."""
        first, other = (self.after, self.before) if after else (self.before, self.after)
        return first.get(mid or "") or other.get(mid or "")

    def body(self, m: PlannedMeeting) -> str:
        found = self.p.bodies_by_id.get(m.body)
        return found.name if found else m.body

    def place(self, mid: str | None, after: bool = False) -> str:
        """`Body, 17 October 2017`: where an item was (or is now)."""
        if mid is None:
            return "not placed"
        m = self.meeting(mid, after)
        if m is None:
            return mid
        return f"{self.body(m)}, {short_day(m.date) if m.date else planned_day_words(m)}"

    def subject(self, mid: str | None) -> str:
        m = self.meeting(mid)
        if m is None:
            return "Change to the work programme"
        return f"Change to {self.body(m)} on {long_day(m.date) if m.date else planned_day_words(m)}"

    def contacts(self, group: Iterable[Change]) -> tuple[Contact, ...]:
        people = self.p.people_by_id
        ids = dict.fromkeys(person for c in group for person in c.tell)
        return tuple(
            Contact(people[i].name, people[i].email) if i in people else Contact(i, None)
            for i in ids
        )

    def meeting_row(self, group: list[Change]) -> ChangeRow:
        mid = group[0].meeting
        old, new = self.before.get(mid or ""), self.after.get(mid or "")
        kinds: set[str] = {c.change for c in group}
        change = _changed(group)
        before, after = _sitting(old, kinds), _sitting(new, kinds)
        what = f"Meeting: {self.place(mid)}"
        sentences = tuple(c.text or f"{what}: {change}" for c in group)
        reasons = tuple(dict.fromkeys(r for c in group for r in c.reasons))
        return ChangeRow(
            what, change, before, after, reasons, self.contacts(group), sentences, self.subject(mid)
        )

    def item_row(self, c: Change) -> ChangeRow:
        key = unit_key(c.item or "", c.occurrence)
        item = self.p.items_by_id.get(c.item or "")
        what = self.titles.get(key) or (item.title if item else c.item or "")
        before, after = self.place(c.from_), self.place(c.to, after=True)
        sentence = c.text or f"{what}: {c.change} from {before} to {after}"
        return ChangeRow(
            what,
            c.change,
            before,
            after,
            tuple(c.reasons),
            self.contacts([c]),
            (sentence,),
            self.subject(c.from_ or c.to),
        )


def _changed(group: list[Change]) -> str:
    """A meeting's changes in a word or two: `moved`, `new time`, `new venue`, `cancelled`."""
    kinds = {c.change: c for c in group}
    if "added" in kinds or "removed" in kinds:
        return "added" if "added" in kinds else "removed"
    words = []
    if "date" in kinds:
        words.append("moved")
    elif "time" in kinds:
        words.append("new time")
    if "venue" in kinds:
        words.append("new venue")
    if "status" in kinds:
        was, now = kinds["status"].from_ or "", kinds["status"].to or ""
        again = "confirmed" if was in ("tentative", "postponed") else "restored"
        words.append(STATUS.get(now, again))
    return ", ".join(words)


def _sitting(m: PlannedMeeting | None, kinds: set[str]) -> str:
    """A meeting's day and time (`Tue 17 Oct 2017 19:00`), with its venue or status when they
    changed; '' for a meeting the plan does not have (added or removed)."""
    if m is None:
        return ""
    day = f"{m.date:%a} {m.date.day} {m.date:%b %Y}" if m.date else planned_day_words(m)
    text = f"{day} {m.start:%H:%M}" if m.start else day
    if "venue" in kinds:
        text += f", {m.venue or 'no venue'}"
    if "status" in kinds and m.status in STATUS:
        text += f" ({STATUS[m.status]})"
    return text
