"""Calendar feeds of a plan: who sees which meeting and deadline, and what each says (DESIGN §7).

Three kinds of feed:
- one public feed per body (`public/BODY.ics`): its meetings with their agendas; exempt items
  only as "Exempt item (Part 2)"; an informal body has none;
- one private feed per person (`people/PERSON.ics`): the meetings of their bodies (as member,
  chair, vice-chair or clerk), the meetings where they are a witness, presenter or rotation
  officer or are invited to an item, their bodies' preparation meetings, the reports-due dates
  of their own reports, and their bodies' own events (a members' visit) and those they attend;
- the clerk's feed (`clerk.ics`): every meeting, informal ones too, every body's own events and
  every deadline of §6.

A meeting is in the feeds once its day is fixed (DESIGN §4.6): until then it has no event. A
meeting whose body states no time is an all-day event; without agenda minutes, it ends when its
assumed length is up (`Programme.span`). Only a statutory meeting (`dates.deadlines.statutory`)
has public questions and a preparation meeting.

A published meeting is never dropped: cancelled, or gone from the programme, it stays as
CANCELLED in every feed that showed it, its audience read off its withdrawn record (the plan's
`withdrawn`, kept by `scrutiny publish` and `replan`, or made here against `previous`). One
published with a day that has none now stays too, at its last published day, as postponed
(CANCELLED, "Postponed: "), until its day is fixed again.

Subscribed clients poll: every feed asks to be read again after `refresh` (an hour unless the
caller says otherwise). Every event of a meeting links to the meeting's public page (`URL`, and
a line of its description, as not every client shows the URL): Modern.gov's page of it when the
programme names the council's Modern.gov and the meeting has its number there, else the
service's public page of the programme at the meeting (`public_page`), else none. A moved
meeting's description says the day it moved from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduler.dates.deadlines import report_authors, statutory
from scheduler.dates.working_days import minutes_before
from scheduler.outputs.agenda_order import printed
from scheduler.outputs.exempt import EXEMPT, Secrets
from scheduler.outputs.ical import REFRESH, CalendarEvent, Feed, Organizer, Status, to_ical
from scheduler.outputs.meeting_page import meeting_page, moved_from
from scheduler.outputs.publish import check_fits
from scheduler.outputs.sections import is_exempt
from scheduler.plan.days import planned_day_words
from scheduler.plan.model import AgendaEntry, Plan, PlannedMeeting, require_programme
from scheduler.plan.revisions import last_published, revise
from scheduler.programme.model import ASSUMED_MINUTES, Body, Event, Programme
from scheduler.programme.words import listing, long_day, short_day

UID_DOMAIN = "scrutiny-scheduler"


def calendar_uid(p: Programme, key: str) -> str:
    """The UID of a calendar event: the programme's id and the meeting's (or event's) key,
    which a moved meeting keeps."""
    return f"{p.id}.{key}@{UID_DOMAIN}"


_STATUS: dict[str, Status] = {
    "scheduled": "CONFIRMED",
    "tentative": "TENTATIVE",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}
_PREFIX = {
    "scheduled": "",
    "tentative": "Provisional: ",
    "postponed": "Postponed: ",
    "cancelled": "Cancelled: ",
}
_DAY = dt.timedelta(days=1)


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
    `invited` are the people invited to its items (`invitees`, in either version).
    `unfixed` is set for a meeting published with a day that has none now: what is known of
    its date in words; `now` is then its last dated version, cancelled.
    `moved_from` is the day it moved from, `url` its public page (`outputs.meeting_page`).
    """

    now: PlannedMeeting
    then: PlannedMeeting
    body: Body
    special: str | None
    invited: frozenset[str] = frozenset()
    unfixed: str | None = None
    moved_from: dt.date | None = None
    url: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.now.status == "cancelled"

    @property
    def prefix(self) -> str:
        return "Postponed: " if self.unfixed is not None else _PREFIX[self.now.status]

    @property
    def roster(self) -> set[str]:
        return self.body.roster

    @property
    def audience(self) -> set[str]:
        """Everyone whose private feed shows the meeting."""
        agendas = (self.now.agenda, self.then.agenda)
        people = {p for agenda in agendas for a in agenda for p in a.people}
        return self.roster | people | self.invited


def feeds(
    programme: Programme,
    plan: Plan,
    *,
    previous: Plan | None = None,
    published: dt.datetime | None = None,
    refresh: dt.timedelta = REFRESH,
    public_page: str | None = None,
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
        refresh: how often subscribers should read the feeds again.
        public_page: the address of the programme's public page (the service's
            `/public/PROGRAMME`): a meeting without a Modern.gov page links to it, at the
            meeting (`#m-MEETING`). An informal body's meetings are not on it: only a
            Modern.gov page can be theirs.
        source: the plan's file name, for error messages (`previous_source`: the other's).

    Raises:
        PlanFileError: when a plan is of another programme, or the plan is stale (`check_fits`).
    """
    check_fits(programme, plan, source)
    if previous is not None:
        require_programme(previous, programme.id, previous_source)
    writer = _Writer(programme, plan, previous, published, refresh, public_page)
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
        refresh: dt.timedelta,
        public_page: str | None,
    ) -> None:
        self.p, self.zone = programme, ZoneInfo(programme.timezone)
        self.refresh = refresh
        self.secrets = Secrets(programme)
        shown_before = last_published(previous) if previous is not None else {}
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
            held = programme.meetings_by_id.get(meeting.id)
            entry = held[1] if held else None
            special = entry.special if entry else None
            url = meeting_page(programme, body, meeting.id, entry, public_page)
            if meeting.date is None:  # no day yet: an event only if one was published before
                old = records.get(meeting.id) or shown_before.get(meeting.id)
                if old is None or old.date is None:
                    continue
                update = {"status": "cancelled", "sequence": meeting.sequence}
                now = old.model_copy(update=update | {"revised": meeting.revised})
                unfixed = planned_day_words(meeting)
                invited = self.invited(old, meeting)
                sitting = _Sitting(now, old, body, special, invited, unfixed, url=url)
                self.sittings.append(sitting)
                continue
            then = records.get(meeting.id, meeting) if meeting.status == "cancelled" else meeting
            invited = self.invited(meeting, then)
            moved = moved_from(meeting, entry, shown_before.get(meeting.id))
            self.sittings.append(
                _Sitting(meeting, then, body, special, invited, moved_from=moved, url=url)
            )
        self.visits = [
            (event, programme.bodies_by_id[event.body])
            for event in programme.events
            if event.body in programme.bodies_by_id and event.date.day is not None
        ]
        self.of_person: dict[str, list[_Sitting]] = {}
        for sitting in self.sittings:
            for person in sorted(sitting.audience):
                self.of_person.setdefault(person, []).append(sitting)
        self.visits_of: dict[str, list[tuple[Event, Body]]] = {}
        for event, body in self.visits:
            for person in sorted(body.roster | set(event.attendees)):
                self.visits_of.setdefault(person, []).append((event, body))
        self.stamp = published or plan.published or _first_day(programme, plan)
        days = [s.now.date for s in self.sittings if s.now.date is not None]
        days += [day for event, _ in self.visits if (day := event.date.day) is not None]
        days = days or [self.stamp.date()]
        first = min([*days, *([programme.year.start] if programme.year.start else [])])
        self.years = (first.year - 1, max(days).year + 1)

    def invited(self, *versions: PlannedMeeting) -> frozenset[str]:
        """The people invited to the items on the agendas of these versions of a meeting."""
        return frozenset(p for m in versions for a in m.agenda for p in self.invitees(a))

    def invitees(self, entry: AgendaEntry) -> list[str]:
        item = self.p.items_by_id.get(entry.item)
        return item.invitees if item else []

    def write(self, feed: Feed) -> bytes:
        return to_ical(feed, self.p.timezone, self.years, self.stamp, self.written, self.refresh)

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
        location: str | None = None,
    ) -> CalendarEvent:
        """An event of sitting `s`: the sitting's UID (plus `suffix`), SEQUENCE, status,
        revision time and organizer, with its own times, words and place."""
        return CalendarEvent(
            uid=calendar_uid(self.p, s.now.id + suffix),
            start=when[0],
            end=when[1],
            summary=f"{s.prefix}{summary}",
            description=description,
            status=_STATUS[s.now.status],
            sequence=s.now.sequence,
            modified=s.now.revised or self.stamp,
            location=location,
            organizer=self.organizer(s.body),
            url=s.url,
        )

    def meeting(self, s: _Sitting, viewer: Viewer) -> CalendarEvent:
        """The meeting itself, its agenda as `viewer` may read it: from its start to its end,
        or all day when no time is stated."""
        m, day = s.now, _day(s.now)
        when: tuple[dt.datetime | dt.date, dt.datetime | dt.date] = (day, day + _DAY)
        if m.start is not None:
            start = self.at(day, m.start)
            if m.end is not None:
                end = self.at(day, m.end)
            else:  # a hand-made plan without an end: the assumed length, as time passes
                later = start.astimezone(dt.UTC) + dt.timedelta(minutes=ASSUMED_MINUTES)
                end = later.astimezone(self.zone)
            if end <= start:  # runs past midnight
                end += _DAY
            when = (start, end)
        title, description = self.title(s, viewer), self.describe(s, viewer)
        return self.event(s, "", when, title, description, m.venue)

    def hours(self, s: _Sitting) -> str:
        """`Wednesday 28 June 2017, 19:00 to 21:30`; the start alone when the body states no
        agenda time (the end would be a guess); "time to be confirmed" when it states no time."""
        m, day = s.now, long_day(_day(s.now))
        if m.start is None:
            return f"{day}, time to be confirmed"
        if m.end is None or m.minutes_available is None:
            return f"{day}, {m.start:%H:%M}"
        return f"{day}, {m.start:%H:%M} to {m.end:%H:%M}"

    def describe(self, s: _Sitting, viewer: Viewer) -> str:
        """The meeting's DESCRIPTION: when and where, the agenda by section, deadlines, contact."""
        m = s.now
        lines = [self.title(s, viewer), self.hours(s)]
        lines += [m.venue] if m.venue else []
        if s.unfixed is not None:
            lines += ["", f"This meeting is postponed: {s.unfixed}."]
        elif s.cancelled:
            lines += ["", "This meeting is cancelled."]
        else:
            lines += ["", f"Moved from {long_day(s.moved_from)}."] if s.moved_from else []
            lines += list(self.agenda(s, viewer))
            d = m.deadlines
            if d and d.agenda_publication:
                lines += ["", f"Agenda published: {long_day(d.agenda_publication)}"]
            if d and d.public_questions and statutory(s.body, m.start):
                when = d.public_questions
                lines += [f"Public questions: by {when:%H:%M} on {long_day(when.date())}"]
        lines += ["", f"Meeting page: {s.url}"] if s.url else []
        contact = self.organizer(s.body)
        if contact:
            lines += ["", f"Contact: {contact.name}, {contact.email}"]
        return "\n".join(lines)

    def agenda(self, s: _Sitting, viewer: Viewer) -> Iterator[str]:
        """The agenda, numbered: under the council's own headings where its items give them,
        else by section (`sections`)."""
        heading = None
        for number, here, entry in printed(self.p, s.now.agenda):
            if here != heading:
                yield from ("", here) if here else ("",)
                heading = here
            yield f"{number}. {self.line(s, entry, viewer)}"

    def sees_exempt(self, s: _Sitting, viewer: Viewer, entry: AgendaEntry | None = None) -> bool:
        """The clerk, the body's members and officers, and (for an entry) the people on it and
        those invited to it."""
        people = [*entry.people, *self.invitees(entry)] if entry else []
        return viewer.clerk or viewer.person in s.roster or viewer.person in people

    def title(self, s: _Sitting, viewer: Viewer) -> str:
        """The body's name, and a special meeting's label unless it names an exempt item that
        the viewer may not read of."""
        special = s.special
        if special and self.secrets.named_in(special) and not self.sees_exempt(s, viewer):
            special = "special meeting"
        return f"{s.body.name}: {special}" if special else s.body.name

    def line(self, s: _Sitting, entry: AgendaEntry, viewer: Viewer) -> str:
        """One agenda line: the title, who the witnesses are, who is invited (the viewer as
        "you") and whether it is provisional; exempt titles masked unless the viewer is the
        clerk, on the body, or on or invited to the item.

        `Water Quality (with you, Southern Water and Environment Agency invited)`
        """
        item = self.p.items_by_id[entry.item]
        if is_exempt(self.p, entry) and not self.sees_exempt(s, viewer, entry):
            return EXEMPT
        notes = []
        if item.witnesses:
            notes.append("witnesses: " + self.names(item.witnesses))
        who = ["you" if p == viewer.person else self.names([p]) for p in item.invitees]
        if who or item.organisations:
            notes.append(f"with {listing([*who, *item.organisations])} invited")
        line = f"{entry.title} ({'; '.join(notes)})" if notes else entry.title
        return f"{line} (provisional)" if entry.provisional else line

    def deadlines(self, s: _Sitting, viewer: Viewer) -> Iterator[CalendarEvent]:
        """The sitting's deadline events `viewer` gets: all of them for the clerk; for a person
        the reports-due date of their own reports and their body's preparation meeting."""
        d, who = s.then.deadlines, viewer.person
        if d is None:
            return
        name = f"{self.title(s, viewer)} ({short_day(_day(s.now))})"
        held = statutory(s.body, s.now.start)  # public questions and a preparation meeting
        if viewer.clerk and d.agenda_publication:
            yield self.all_day(s, ".agenda", d.agenda_publication, f"Agenda out: {name}", "")
        reports = self.reports(s)
        mine = reports if viewer.clerk else [r for r in reports if who in r[1]]
        if mine and d.reports_due:
            listed = "\n".join(f"{title} ({self.names(authors)})" for title, authors in mine)
            yield self.all_day(s, ".reports", d.reports_due, f"Reports due: {name}", listed)
        if viewer.clerk and d.public_questions and held:
            day, time = d.public_questions.date(), f"{d.public_questions:%H:%M}"
            yield self.all_day(s, ".questions", day, f"Public questions close {time}: {name}", "")
        minutes = self.p.deadlines.preparation_minutes
        if minutes and held and s.now.start and (viewer.clerk or who in s.roster):
            start = self.at(_day(s.now), s.now.start)
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

    def visit(self, event: Event, body: Body) -> CalendarEvent:
        """A body's own event with a fixed day (a members' visit): all day, its UID the
        programme's and the event's; for its body's members and its attendees."""
        day = event.date.day
        assert day is not None, "only events with a fixed day are in the feeds"
        lines = [event.title, body.name, long_day(day)]
        if event.attendees:
            lines.append(f"Also attending: {listing(self.names([p]) for p in event.attendees)}")
        contact = self.organizer(body)
        if contact:
            lines += ["", f"Contact: {contact.name}, {contact.email}"]
        return CalendarEvent(
            uid=calendar_uid(self.p, event.id),
            start=day,
            end=day + _DAY,
            summary=f"{body.name}: {event.title}",
            description="\n".join(lines),
            status="CONFIRMED",
            sequence=0,
            modified=self.stamp,
            organizer=contact,
        )

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
    events += [w.visit(*visit) for visit in w.visits_of.get(person, [])]
    return Feed(
        name=f"{name}: {w.p.title}",
        description=f"{name}'s meetings and deadlines, {w.p.council}: {w.p.title}.",
        events=_ordered(events),
    )


def _clerk_feed(w: _Writer) -> Feed:
    events = [w.meeting(s, CLERK) for s in w.sittings]
    events += [e for s in w.sittings for e in w.deadlines(s, CLERK)]
    events += [w.visit(*visit) for visit in w.visits]
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


def _day(m: PlannedMeeting) -> dt.date:
    """The day of a meeting the feeds show (only meetings with a fixed day have events)."""
    assert m.date is not None, "a meeting without a fixed day has no event"
    return m.date


def _first_day(programme: Programme, plan: Plan) -> dt.datetime:
    """The stamp of a plan never published: the first day of the year, midnight UTC."""
    days = (m.date for m in plan.meetings if m.date is not None)
    day = programme.year.start or min(days, default=dt.date(1970, 1, 1))
    return dt.datetime.combine(day, dt.time(0), dt.UTC)
