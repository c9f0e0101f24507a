"""The programme file's entries (DESIGN §4): people, bodies and meetings, items, events.

Shapes and types are checked by pydantic (`extra="forbid"` everywhere: a typo is an error, not a
silently dropped rule); the values they hold are `programme.fields`'. Cross-references are checked
by `programme.references` once the shapes are right, and `programme.load` reads a file through
both.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from scheduler.programme.fields import (
    Count,
    Date,
    DateRange,
    Days,
    Email,
    Minutes,
    ModernGovId,
    MonthDay,
    Rough,
    Slug,
    Text,
    Time,
    Times,
    WebAddress,
    WorkingDays,
    Zone,
)

ItemKind = Literal[
    "standing", "substantive", "short", "information", "report", "witness-session", "scrutiny"
]
Priority = Literal["must", "high", "normal", "low"]
Nation = Literal["england", "wales", "scotland", "northern-ireland"]
MeetingStatus = Literal["scheduled", "tentative", "postponed", "cancelled"]
Period = Literal["financial", "municipal", "academic"]
Change = Literal["added", "deferred", "moved", "withdrawn", "restored", "renamed", "noted"]

#: Agenda minutes of an item of each kind when the item does not say (DESIGN §4.4).
DEFAULT_MINUTES: dict[str, int] = {
    "standing": 10,
    "substantive": 60,
    "short": 20,
    "information": 0,
    "report": 15,
    "witness-session": 45,
    "scrutiny": 30,
}

#: A programme's first or last part shorter than this joins the municipal year next to it.
SHORTEST_YEAR_DAYS = 92  # a quarter

#: How long a meeting whose body states no `minutes` is taken to last, for clashes (R8) and
#: calendars only: never as agenda time (R6 then checks `limits` alone).
ASSUMED_MINUTES = 150


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Deadlines(_Strict):
    """Deadline settings (DESIGN §6); `agenda_clear_days` defaults by nation."""

    agenda_clear_days: Annotated[int, Field(ge=0, le=60)] | None = None
    reports_due_working_days: WorkingDays = 10
    questions_working_days: WorkingDays = 4
    preparation_minutes: Minutes = 30


class Person(_Strict):
    """A member, officer or witness."""

    id: Slug
    name: Text
    role: Text | None = None
    email: Email | None = None
    unavailable: list[DateRange] = []

    def available(self, day: dt.date) -> bool:
        """True when no unavailability range holds `day`."""
        return not any(day in span for span in self.unavailable)


class Event(_Strict):
    """Something outside the programme that items depend on; its date may be known only roughly
    ("early 2018") or not at all yet. With a `body` it is that body's own event (a members'
    visit): in its members' and `attendees`' calendars and the document."""

    id: Slug
    title: Text
    date: Rough = Rough()
    body: str | None = None
    attendees: list[str] = []


class Meeting(_Strict):
    """One sitting of a body. Short form: just its date.

    Its day may not be fixed yet (DESIGN §4.6): `when` is what the file says (a day, a month, a
    range, or null). `date` and `latest` are the first and last day it may be (an unknown date
    spans the programme's year, set by `Programme`); `day` is the day once it is fixed.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Slug | None = None
    when: Rough = Field(alias="date")
    start: Time | None = None
    venue: Text | None = None
    status: MeetingStatus = "scheduled"
    moved_from: Date | None = None
    special: Text | None = None
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    moderngov: ModernGovId | None = None
    _span: tuple[dt.date, dt.date] | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return {"date": value} if isinstance(value, dt.date | str) else value

    @property
    def key(self) -> str:
        """The meeting id; set by its body when not explicit."""
        assert self.id is not None, "meeting ids are assigned by Body"
        return self.id

    @property
    def day(self) -> dt.date | None:
        """The meeting's day once it is fixed; None while it is a month, a range or unknown."""
        return self.when.day

    @property
    def fixed(self) -> bool:
        return self.when.day is not None

    @property
    def date(self) -> dt.date:
        """The first day the meeting may be (its day, once fixed): the day it is ordered by."""
        return self.bounds[0]

    @property
    def latest(self) -> dt.date:
        """The last day the meeting may be (its day, once fixed)."""
        return self.bounds[1]

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        if self.when.earliest is not None and self.when.latest is not None:
            return self.when.earliest, self.when.latest
        assert self._span is not None, "an undated meeting spans its programme's year"
        return self._span

    def within(self, start: dt.date, end: dt.date) -> None:
        """Let an undated meeting span `start..end` (its programme's year)."""
        self._span = (start, end)


class Body(_Strict):
    """A committee, sub-committee or other meeting body with its meetings."""

    id: Slug
    name: Text
    kind: Literal["committee", "sub-committee", "other"] = "committee"
    parent: str | None = None
    chair: str | None = None
    vice_chair: str | None = None
    clerk: str | None = None
    members: list[str] = []
    venue: Text | None = None
    start: Time | None = None
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    limits: dict[ItemKind, Count] = {}
    informal: bool = False
    moderngov: ModernGovId | None = None
    meetings: list[Meeting] = []

    def agenda_minutes(self, meeting: Meeting) -> int | None:
        """The agenda time of one of its meetings: the meeting's own, else the body's; None
        where the council states none."""
        return self.minutes if meeting.minutes is None else meeting.minutes

    @property
    def roster(self) -> set[str]:
        """Everyone who sits with the body: its members, chair, vice-chair and clerk."""
        return {p for p in (self.chair, self.vice_chair, self.clerk) if p} | set(self.members)

    @property
    def public(self) -> bool:
        """False for an informal body: it is in no public output (DESIGN §4.3, §7)."""
        return not self.informal

    @model_validator(mode="after")
    def _meeting_ids(self) -> Body:
        for index, meeting in enumerate(self.meetings):
            if meeting.id is None:
                if meeting.day is None:
                    raise ValueError(
                        f"meetings[{index}] has no fixed day ({meeting.when}): give it an 'id', "
                        "which it keeps when its day is set"
                    )
                moved_from = meeting.moved_from.isoformat() if meeting.moved_from else None
                meeting.id = meeting_id(self.id, meeting.day.isoformat(), moved_from)
        return self


def meeting_id(body: str, day: str, moved_from: str | None = None) -> str:
    """A meeting's id when the file gives none: BODY-DATE, DATE being `moved_from` when given,
    so that a moved meeting keeps its id (and its calendar UID). Dates are ISO text."""
    return f"{body}-{moved_from or day}"


class After(_Strict):
    """Order: after another item (its last occurrence), an event, a meeting, or a body's next
    meeting (its first one not cancelled), by `gap_days`."""

    item: str | None = None
    event: str | None = None
    meeting: Annotated[str | None, BeforeValidator(lambda v: _pin(v))] = None
    body: str | None = None
    gap_days: Days = 0

    @model_validator(mode="after")
    def _one_target(self) -> After:
        if sum(x is not None for x in (self.item, self.event, self.meeting, self.body)) != 1:
            raise ValueError("give exactly one of 'item', 'event', 'meeting' or 'body'")
        return self


class History(_Strict):
    """Something that happened to an item before this plan ("deferred from 14 November")."""

    date: Date
    change: Change
    note: Text | None = None


class Decision(_Strict):
    """Pre-decision scrutiny: only meetings at least `lead_days` before the event."""

    event: str
    lead_days: Days = 0


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


def _pin(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class Item(_Strict):
    """Something a body considers (DESIGN §4.4)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Slug
    title: Text
    body: str
    kind: ItemKind
    minutes: Minutes | None = None
    priority: Priority | None = None
    window: DateRange | None = None
    prefer: DateRange | None = None
    meeting: Annotated[str | None, BeforeValidator(_pin)] = None
    times: Times = 1
    every: Literal["quarter", "half-year", "year"] | None = None
    period: Period | None = None
    release_days: Days = 0
    titles: dict[str, Text] = {}
    witnesses: list[str] = []
    presenters: list[str] = []
    after: Annotated[list[After], BeforeValidator(_as_list)] = []
    decision: Decision | None = None
    verbal: bool = False
    with_: str | None = Field(default=None, alias="with")
    follows: str | None = None
    delegated_from: str | None = None
    delegated_to: Text | None = None
    exempt: Annotated[int, Field(ge=1, le=7)] | None = None
    rotation: dict[str, Times] | None = None
    per_meeting: Annotated[int, Field(ge=1, le=10)] | None = None
    special: bool = False
    invitees: list[str] = []
    organisations: list[Text] = []
    suggested: bool = False
    deferred: Literal["next-year"] | None = None
    history: list[History] = []
    section: Text | None = None
    position: Literal["first", "last"] | None = None
    _beyond: bool = PrivateAttr(default=False)

    @property
    def duration(self) -> int:
        """Agenda minutes: as given, else the kind's default."""
        return DEFAULT_MINUTES[self.kind] if self.minutes is None else self.minutes

    @property
    def importance(self) -> Priority:
        """Priority: as given; standing, scrutiny and recurring items default to `must`."""
        if self.priority is not None:
            return self.priority
        if self.kind in ("standing", "scrutiny") or self.every:
            return "must"
        return "normal"

    @property
    def placed_here(self) -> bool:
        """False for items this programme does not place: taken by a body outside it
        (`delegated_to`), only suggested ("if required"), or deferred to next year."""
        return self.delegated_to is None and not self.suggested and not self.carried_forward

    def officer(self, occurrence: str | None) -> str | None:
        """The rotation officer an occurrence of this scrutiny item names: the person's id (in a
        programme of several municipal years the occurrence also names the year,
        `dce 2026/27`); None for any other item or occurrence."""
        person = (occurrence or "").partition(" ")[0]
        return person if self.rotation and person in self.rotation else None

    @property
    def carried_forward(self) -> bool:
        """Deferred to next year, or wanted only after this programme ends (its `window` or
        `prefer` starts after it, DESIGN §4.6): listed as carried forward, never placed."""
        return self.deferred is not None or self._beyond

    def beyond(self, end: dt.date) -> None:
        """Note the programme's last day: an item wanted only after it is carried forward."""
        self._beyond = any(
            span is not None and span.start is not None and span.start > end
            for span in (self.window, self.prefer)
        )


class Programme(_Strict):
    """A whole programme file: the year, its people, bodies, items and events."""

    model_config = ConfigDict(extra="forbid", ignored_types=(cached_property,))

    id: Slug
    council: Text
    title: Text
    year: DateRange
    timezone: Zone = "Europe/London"
    nation: Nation = "england"
    closures: list[Date] = []
    financial_year_start: MonthDay = "04-01"
    years_start: MonthDay | None = None
    moderngov: WebAddress | None = None
    deadlines: Deadlines = Deadlines()
    people: list[Person] = []
    bodies: list[Body] = []
    items: list[Item] = []
    events: list[Event] = []

    @model_validator(mode="after")
    def _in_the_year(self) -> Programme:
        if self.year.start is not None and self.year.end is not None:
            for body in self.bodies:
                for meeting in body.meetings:
                    meeting.within(self.year.start, self.year.end)
            for item in self.items:
                item.beyond(self.year.end)
        return self

    @cached_property
    def people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    @cached_property
    def bodies_by_id(self) -> dict[str, Body]:
        return {b.id: b for b in self.bodies}

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    @cached_property
    def events_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @cached_property
    def meetings_by_id(self) -> dict[str, tuple[Body, Meeting]]:
        return {m.key: (b, m) for b in self.bodies for m in b.meetings}

    def part_2(self, item: Item) -> bool:
        """Exempt (Part 2, title hidden from everything public): the item says so, or it goes
        `with` an item that is (a witness session on a confidential report is confidential)."""
        seen: set[str] = set()
        while item.id not in seen:
            if item.exempt is not None:
                return True
            seen.add(item.id)
            partner = self.items_by_id.get(item.with_ or "")
            if partner is None:
                return False
            item = partner
        return False

    def span(self, body: Body, meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
        """A meeting's start and end, aware in the programme's zone: the one place they are
        worked out. Its minutes are time that passes (added in UTC), so a meeting across a clock
        change ends an hour earlier or later by the clock than the sum says."""
        zone = ZoneInfo(self.timezone)
        clock = meeting.start or body.start
        if clock is None:  # no stated time: the whole day, for clashes; all day in calendars
            start = dt.datetime.combine(meeting.date, dt.time(0, 0), tzinfo=zone)
            return start, dt.datetime.combine(
                meeting.date + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone
            )
        start = dt.datetime.combine(meeting.date, clock, tzinfo=zone)
        stated = body.agenda_minutes(meeting)
        minutes = ASSUMED_MINUTES if stated is None else stated
        end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(zone)
        return start, end

    def municipal_years(self) -> list[tuple[dt.date, dt.date]]:
        """The municipal years the programme spans (DESIGN §4.6), each from `years_start` (by
        default the anniversary of the programme's first day) to the day before the next; the
        first and last cut to the programme. Annual Council moves by a few days from year to
        year, so a first or last part shorter than `SHORTEST_YEAR_DAYS` belongs to the year
        next to it: a programme from one Annual Council to the next is one year."""
        assert self.year.start is not None and self.year.end is not None
        first, last = self.year.start, self.year.end
        month, day = (
            (int(x) for x in self.years_start.split("-"))
            if self.years_start
            else (first.month, first.day)
        )
        starts = [
            dt.date(y, month, min(day, calendar.monthrange(y, month)[1]))
            for y in range(first.year, last.year + 1)
        ]
        cuts = sorted({first, *(s for s in starts if first < s <= last)})
        if len(cuts) > 1 and (last - cuts[-1]).days + 1 < SHORTEST_YEAR_DAYS:
            cuts.pop()
        if len(cuts) > 1 and (cuts[1] - first).days < SHORTEST_YEAR_DAYS:
            cuts.pop(1)
        ends = [c - dt.timedelta(days=1) for c in cuts[1:]] + [last]
        return list(zip(cuts, ends, strict=True))

    def municipal_year(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The municipal year that holds `day` (the first before it, the last after it)."""
        years = self.municipal_years()
        return next((span for span in years if day <= span[1]), years[-1])

    def year_label(self, span: tuple[dt.date, dt.date]) -> str:
        """A municipal year as councils write it: `2025/26` (the year it starts in, then the
        next); `2025` for a year that ends in the year it starts."""
        first, last = span
        return f"{first.year}/{last.year % 100:02d}" if last.year > first.year else f"{first.year}"

    def in_time_order(self) -> list[tuple[Body, Meeting]]:
        """Every meeting of every body by its start (then its id): the order a plan lists them.
        A meeting known by a month or a range goes by its first possible day; one with no date
        at all ("to be fixed") after every other: it is not the year's first meeting."""
        return sorted(
            ((body, meeting) for body in self.bodies for meeting in body.meetings),
            key=lambda held: (not held[1].when.known, self.span(*held)[0], held[1].key),
        )

    def fy_start(self, year: int) -> dt.date:
        """The first day of the financial year that starts in calendar `year`."""
        month, day = (int(x) for x in self.financial_year_start.split("-"))
        return dt.date(year, month, day)
