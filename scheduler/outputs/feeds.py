"""Calendar feeds of a plan: who sees which meeting and deadline, and what each says (DESIGN §7).

Three kinds of feed:
- one public feed per body (`public/BODY.ics`): its meetings with their agendas; exempt items
  only as "Exempt item (Part 2)"; an informal body has none;
- one private feed per person (`people/PERSON.ics`): the meetings of their bodies (as member,
  chair, vice-chair or clerk), the meetings where they are a witness, presenter or rotation
  officer, their bodies' preparation meetings and the reports-due dates of their own reports;
- the clerk's feed (`clerk.ics`): every meeting, informal ones too, and every deadline of §6.

A published meeting is never dropped: cancelled, or gone from the programme, it stays as
CANCELLED in every feed that showed it, its audience read off its withdrawn record (the plan's
`withdrawn`, kept by `scrutiny publish` and `replan`, or made here against `previous`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduler.dates.deadlines import report_authors
from scheduler.dates.working_days import minutes_before
from scheduler.outputs.exempt import EXEMPT, Secrets
from scheduler.outputs.ical import CalendarEvent, Feed, Organizer, Status, to_ical
from scheduler.outputs.publish import check_fits
from scheduler.outputs.sections import SECTIONS, is_exempt, section
from scheduler.plan.model import AgendaEntry, Plan, PlannedMeeting, require_programme
from scheduler.plan.revisions import last_published, revise
from scheduler.programme.model import Body, Programme
from scheduler.programme.words import long_day, short_day

UID_DOMAIN = "scrutiny-scheduler"
_STATUS: dict[str, Status] = {
    "scheduled": "CONFIRMED",
    "tentative": "TENTATIVE",
    "cancelled": "CANCELLED",
}
_PREFIX = {"scheduled": "", "tentative": "Provisional: ", "cancelled": "Cancelled: "}


@dataclass(frozen=True)
class Viewer:
    """Whose feed an event is written for: the public (nobody), a person, or the clerk."""

    person: str | None = None
    clerk: bool = False


PUBLIC, CLERK = Viewer(), Viewer(clerk=True)


@dataclass(frozen=True)
class _Sitting:
    """A meeting as the feeds show it.

    `now` is the meeting in this plan (a meeting gone from it: its withdrawn record).
    `then` is the version whose agenda and deadlines were last published: for a cancelled
    meeting its withdrawn record (its last open version), so that everyone who had it in their
    calendar sees it cancelled.
    """

    now: PlannedMeeting
    then: PlannedMeeting
    body: Body
    special: str | None

    @property
    def cancelled(self) -> bool:
        return self.now.status == "cancelled"

    @property
    def roster(self) -> set[str]:
        return self.body.roster

    @property
    def audience(self) -> set[str]:
        """Everyone whose private feed shows the meeting."""
        agendas = (self.now.agenda, self.then.agenda)
        return self.roster | {p for agenda in agendas for a in agenda for p in a.people}


def feeds(
    programme: Programme,
    plan: Plan,
    *,
    previous: Plan | None = None,
    published: dt.datetime | None = None,
    source: str = "plan",
    previous_source: str = "previous plan",
) -> dict[str, bytes]:
    """Every feed of the plan: relative path -> iCalendar bytes.

    Args:
        programme: the programme the plan is of.
        plan: the plan to publish.
        previous: the plan published before it: SEQUENCE rises for every meeting changed since,
            and meetings it had that are now cancelled or gone stay in the feeds as CANCELLED.
        published: when this plan is published (DTSTAMP, LAST-MODIFIED of what changed); by
            default the plan's own `published`, else the first day of the programme's year.
        source: the plan's file name, for error messages (`previous_source`: the other's).

    Raises:
        PlanFileError: when a plan is of another programme, or the plan is stale (`check_fits`).
    """
    check_fits(programme, plan, source)
    if previous is not None:
        require_programme(previous, programme.id, previous_source)
    writer = _Writer(programme, plan, previous, published)
    out = {
        f"public/{body.id}.ics": writer.write(_public_feed(writer, body))
        for body in programme.bodies
        if body.public
    }
    for person in programme.people:
        out[f"people/{person.id}.ics"] = writer.write(_person_feed(writer, person.id))
    out["clerk.ics"] = writer.write(_clerk_feed(writer))
    return out


class _Writer:
    """The plan indexed for the feeds, and the events each viewer gets."""

    def __init__(
        self,
        programme: Programme,
        plan: Plan,
        previous: Plan | None,
        published: dt.datetime | None,
    ) -> None:
        self.p, self.zone = programme, ZoneInfo(programme.timezone)
        self.secrets = Secrets(programme)
        if previous is not None:
            plan = revise(previous, plan)
        records = {m.id: m for m in plan.withdrawn}
        self.sittings: list[_Sitting] = []
        self.written: dict[CalendarEvent, bytes] = {}
        self._reports: dict[str, list[tuple[str, list[str]]]] = {}
        for meeting in last_published(plan).values():
            body = programme.bodies_by_id.get(meeting.body)
            if body is None:  # a body gone from the programme: nobody to publish it to
                continue
            then = records.get(meeting.id, meeting) if meeting.status == "cancelled" else meeting
            held = programme.meetings_by_id.get(meeting.id)
            special = held[1].special if held else None
            self.sittings.append(_Sitting(meeting, then, body, special))
        self.of_person: dict[str, list[_Sitting]] = {}
        for sitting in self.sittings:
            for person in sorted(sitting.audience):
                self.of_person.setdefault(person, []).append(sitting)
        self.stamp = published or plan.published or _first_day(programme, plan)
        days = [s.now.date for s in self.sittings] or [self.stamp.date()]
        first = min([*days, *([programme.year.start] if programme.year.start else [])])
        self.years = (first.year - 1, max(days).year + 1)

    def write(self, feed: Feed) -> bytes:
        return to_ical(feed, self.p.timezone, self.years, self.stamp, self.written)

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, self.zone)

    def organizer(self, body: Body) -> Organizer | None:
        clerk = self.p.people_by_id.get(body.clerk or "")
        return Organizer(clerk.name, clerk.email) if clerk and clerk.email else None

    def event(
        self,
        s: _Sitting,
        suffix: str,
        when: tuple[dt.datetime | dt.date, dt.datetime | dt.date],
        summary: str,
        description: str,
    ) -> CalendarEvent:
        """An event of sitting `s`: the sitting's UID (plus `suffix`), SEQUENCE, status,
        revision time, venue and organizer, with its own times and words."""
        return CalendarEvent(
            uid=f"{self.p.id}.{s.now.id}{suffix}@{UID_DOMAIN}",
            start=when[0],
            end=when[1],
            summary=f"{_PREFIX[s.now.status]}{summary}",
            description=description,
            status=_STATUS[s.now.status],
            sequence=s.now.sequence,
            modified=s.now.revised or self.stamp,
            location=s.now.venue if isinstance(when[0], dt.datetime) else None,
            organizer=self.organizer(s.body),
        )

    def meeting(self, s: _Sitting, viewer: Viewer) -> CalendarEvent:
        """The meeting itself, its agenda as `viewer` may read it."""
        m = s.now
        start, end = self.at(m.date, m.start), self.at(m.date, m.end)
        if end <= start:  # runs past midnight
            end += dt.timedelta(days=1)
        return self.event(s, "", (start, end), self.title(s, viewer), self.describe(s, viewer))

    def describe(self, s: _Sitting, viewer: Viewer) -> str:
        """The meeting's DESCRIPTION: when and where, the agenda by section, deadlines, contact."""
        m = s.now
        lines = [self.title(s, viewer), f"{long_day(m.date)}, {m.start:%H:%M} to {m.end:%H:%M}"]
        lines += [m.venue] if m.venue else []
        if s.cancelled:
            lines += ["", "This meeting is cancelled."]
        else:
            lines += list(self.agenda(s, viewer))
            d = m.deadlines
            if d and d.agenda_publication:
                lines += ["", f"Agenda published: {long_day(d.agenda_publication)}"]
            if d and d.public_questions:
                when = d.public_questions
                lines += [f"Public questions: by {when:%H:%M} on {long_day(when.date())}"]
        contact = self.organizer(s.body)
        if contact:
            lines += ["", f"Contact: {contact.name}, {contact.email}"]
        return "\n".join(lines)

    def agenda(self, s: _Sitting, viewer: Viewer) -> Iterator[str]:
        heading = None
        for number, entry in enumerate(s.now.agenda, start=1):
            here = section(self.p, entry)
            if here != heading:
                yield from ("", SECTIONS[here])
                heading = here
            yield f"{number}. {self.line(s, entry, viewer)}"

    def sees_exempt(self, s: _Sitting, viewer: Viewer, entry: AgendaEntry | None = None) -> bool:
        """The clerk, the body's members and officers, and (for an entry) the people on it."""
        people = entry.people if entry else []
        return viewer.clerk or viewer.person in s.roster or viewer.person in people

    def title(self, s: _Sitting, viewer: Viewer) -> str:
        """The body's name, and a special meeting's label unless it names an exempt item that
        the viewer may not read of."""
        special = s.special
        if special and self.secrets.named_in(special) and not self.sees_exempt(s, viewer):
            special = "special meeting"
        return f"{s.body.name}: {special}" if special else s.body.name

    def line(self, s: _Sitting, entry: AgendaEntry, viewer: Viewer) -> str:
        """One agenda line: the title, and who the witnesses are; exempt titles masked unless
        the viewer is the clerk, on the body, or on the item."""
        item = self.p.items_by_id[entry.item]
        if is_exempt(self.p, entry) and not self.sees_exempt(s, viewer, entry):
            return EXEMPT
        witnesses = item.witnesses
        names = ", ".join(self.p.people_by_id[w].name for w in witnesses)
        return f"{entry.title} (witnesses: {names})" if names else entry.title

    def deadlines(self, s: _Sitting, viewer: Viewer) -> Iterator[CalendarEvent]:
        """The sitting's deadline events `viewer` gets: all of them for the clerk; for a person
        the reports-due date of their own reports and their body's preparation meeting."""
        d, who = s.then.deadlines, viewer.person
        if d is None:
            return
        name = f"{self.title(s, viewer)} ({short_day(s.now.date)})"
        if viewer.clerk and d.agenda_publication:
            yield self.all_day(s, ".agenda", d.agenda_publication, f"Agenda out: {name}", "")
        reports = self.reports(s)
        mine = reports if viewer.clerk else [r for r in reports if who in r[1]]
        if mine and d.reports_due:
            listed = "\n".join(f"{title} ({self.names(authors)})" for title, authors in mine)
            yield self.all_day(s, ".reports", d.reports_due, f"Reports due: {name}", listed)
        if viewer.clerk and d.public_questions:
            day, time = d.public_questions.date(), f"{d.public_questions:%H:%M}"
            yield self.all_day(s, ".questions", day, f"Public questions close {time}: {name}", "")
        minutes = self.p.deadlines.preparation_minutes
        if minutes and not s.body.informal and (viewer.clerk or who in s.roster):
            start = self.at(s.now.date, s.now.start)
            yield self.event(
                s,
                ".preparation",
                (minutes_before(start, minutes, self.zone), start),
                f"Preparation meeting: {self.title(s, viewer)}",
                f"Members' preparation meeting before {name}.",
            )

    def reports(self, s: _Sitting) -> list[tuple[str, list[str]]]:
        """(title, authors) of every written report due for the sitting (read once per plan:
        every feed that shows the sitting asks)."""
        if s.now.id in self._reports:
            return self._reports[s.now.id]
        out = self._reports[s.now.id] = []
        for entry in s.then.agenda:  # the plan before's, for a cancelled meeting: items may be gone
            item = self.p.items_by_id.get(entry.item)
            authors = report_authors(item, entry.occurrence) if item else []
            if authors:
                out.append((entry.title, authors))
        return out

    def names(self, people: list[str]) -> str:
        known = self.p.people_by_id
        return ", ".join(known[p].name if p in known else p for p in people)

    def all_day(
        self, s: _Sitting, suffix: str, start: dt.date, summary: str, description: str
    ) -> CalendarEvent:
        when = (start, start + dt.timedelta(days=1))
        return self.event(s, suffix, when, summary, description or summary)


def _public_feed(w: _Writer, body: Body) -> Feed:
    return Feed(
        name=f"{body.name} ({w.p.council})",
        description=f"Meetings of the {body.name}, {w.p.council}: dates, venues and agendas.",
        events=_ordered(w.meeting(s, PUBLIC) for s in w.sittings if s.body.id == body.id),
    )


def _person_feed(w: _Writer, person: str) -> Feed:
    viewer = Viewer(person=person)
    name = w.p.people_by_id[person].name
    theirs = w.of_person.get(person, [])
    events = [w.meeting(s, viewer) for s in theirs]
    events += [e for s in theirs for e in w.deadlines(s, viewer)]  # only theirs have any
    return Feed(
        name=f"{name}: {w.p.title}",
        description=f"{name}'s meetings and deadlines, {w.p.council}: {w.p.title}.",
        events=_ordered(events),
    )


def _clerk_feed(w: _Writer) -> Feed:
    events = [w.meeting(s, CLERK) for s in w.sittings]
    events += [e for s in w.sittings for e in w.deadlines(s, CLERK)]
    return Feed(
        name=f"Clerk: {w.p.title}",
        description=f"Every meeting and deadline of {w.p.title}, {w.p.council}.",
        events=_ordered(events),
    )


def _ordered(events: Iterator[CalendarEvent] | list[CalendarEvent]) -> tuple[CalendarEvent, ...]:
    """Date order (an all-day deadline before the day's meetings), then UID."""

    def key(e: CalendarEvent) -> tuple[dt.date, str, str]:
        if isinstance(e.start, dt.datetime):
            return e.start.date(), e.start.strftime("%H:%M"), e.uid
        return e.start, "", e.uid

    return tuple(sorted(events, key=key))


def _first_day(programme: Programme, plan: Plan) -> dt.datetime:
    """The stamp of a plan never published: the first day of the year, midnight UTC."""
    day = programme.year.start or min(
        (m.date for m in plan.meetings), default=dt.date(1970, 1, 1)
    )
    return dt.datetime.combine(day, dt.time(0), dt.UTC)
