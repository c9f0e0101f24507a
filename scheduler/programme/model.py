"""The programme file's entries (DESIGN §4): people, bodies and meetings, items, events.

Shapes and types are checked by pydantic (`extra="forbid"` everywhere: a typo is an error, not a
silently dropped rule); the values they hold are `programme.fields`'. Cross-references are checked
by `programme.references` once the shapes are right, and `programme.load` reads a file through
both.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from scheduler.programme.fields import (
    Count,
    Date,
    DateRange,
    Days,
    Email,
    Minutes,
    MonthDay,
    Slug,
    Text,
    Time,
    Times,
    WorkingDays,
    Zone,
)

ItemKind = Literal[
    "standing", "substantive", "short", "information", "report", "witness-session", "scrutiny"
]
Priority = Literal["must", "high", "normal", "low"]
Nation = Literal["england", "wales", "scotland", "northern-ireland"]
MeetingStatus = Literal["scheduled", "tentative", "cancelled"]

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
    """Something outside the programme that items depend on; its date may be unknown yet."""

    id: Slug
    title: Text
    date: Date | None = None


class Meeting(_Strict):
    """One sitting of a body. Short form: just its date."""

    id: Slug | None = None
    date: Date
    start: Time | None = None
    venue: Text | None = None
    status: MeetingStatus = "scheduled"
    moved_from: Date | None = None
    special: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return {"date": value} if isinstance(value, dt.date | str) else value

    @property
    def key(self) -> str:
        """The meeting id; set by its body when not explicit."""
        assert self.id is not None, "meeting ids are assigned by Body"
        return self.id


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
    start: Time = dt.time(19, 0)
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 150
    limits: dict[ItemKind, Count] = {}
    informal: bool = False
    meetings: list[Meeting] = []

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
        for meeting in self.meetings:
            if meeting.id is None:
                moved_from = meeting.moved_from.isoformat() if meeting.moved_from else None
                meeting.id = meeting_id(self.id, meeting.date.isoformat(), moved_from)
        return self


def meeting_id(body: str, day: str, moved_from: str | None = None) -> str:
    """A meeting's id when the file gives none: BODY-DATE, DATE being `moved_from` when given,
    so that a moved meeting keeps its id (and its calendar UID). Dates are ISO text."""
    return f"{body}-{moved_from or day}"


class After(_Strict):
    """Order: after another item (its last occurrence) or after an event, by `gap_days`."""

    item: str | None = None
    event: str | None = None
    gap_days: Days = 0

    @model_validator(mode="after")
    def _one_target(self) -> After:
        if (self.item is None) == (self.event is None):
            raise ValueError("give exactly one of 'item' or 'event'")
        return self


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
    every: Literal["quarter", "half-year"] | None = None
    release_days: Days = 0
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
        """False for items taken by a body outside this programme (`delegated_to`)."""
        return self.delegated_to is None


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
    deadlines: Deadlines = Deadlines()
    people: list[Person] = []
    bodies: list[Body] = []
    items: list[Item] = []
    events: list[Event] = []

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
        start = dt.datetime.combine(meeting.date, meeting.start or body.start, tzinfo=zone)
        end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=body.minutes)).astimezone(zone)
        return start, end

    def in_time_order(self) -> list[tuple[Body, Meeting]]:
        """Every meeting of every body by its start (then its id): the order a plan lists them."""
        return sorted(
            ((body, meeting) for body in self.bodies for meeting in body.meetings),
            key=lambda held: (self.span(*held)[0], held[1].key),
        )

    def fy_start(self, year: int) -> dt.date:
        """The first day of the financial year that starts in calendar `year`."""
        month, day = (int(x) for x in self.financial_year_start.split("-"))
        return dt.date(year, month, day)
