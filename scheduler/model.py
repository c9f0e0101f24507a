"""Pydantic models of the programme file (DESIGN §4) and all validation of input.

Field shapes and types are checked by pydantic (`extra="forbid"` everywhere: a typo is an error,
not a silently dropped rule). Cross-references are checked by `scheduler.references` after the
shapes are right. `load_programme` is the one entry point; it raises `ProgrammeError` with every
problem found, located and in file order.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from scheduler.errors import BIDI, Problem, ProgrammeError, shown
from scheduler.source import Source, parse_source, read_source

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

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
#: One @, something on each side, a dot in the domain; no spaces or control characters (a line
#: break in an address would break every calendar feed it is written into).
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{shown(value)} is not a lower-case slug (a-z, 0-9 and single hyphens)")
    return value


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and (match := _TIME.match(value)):
        return dt.time(int(match[1]), int(match[2]))
    raise ValueError(f'{shown(value)} is not a time written as "HH:MM" (24-hour, in quotes)')


#: The years a date in a programme may fall in: room for any real programme, and for the day
#: arithmetic (gaps, lead times) never to leave the calendar.
YEARS = range(1900, 2200)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"{shown(value)} is a date and time; write a date as YYYY-MM-DD")
    day = value if isinstance(value, dt.date) else _iso_day(value)
    if day.year not in YEARS:
        raise ValueError(f"{day} is not in the years {YEARS.start}-{YEARS.stop - 1}")
    return day


def _iso_day(value: Any) -> dt.date:
    text = value.strip() if isinstance(value, str) else None
    match = _ISO_DAY.match(text) if text else None
    if match is None:
        raise ValueError(f"{shown(value)} is not a date written as YYYY-MM-DD")
    year, month, day = (int(x) for x in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{text} is not a date: there is no month {month}")
    if year not in YEARS:
        raise ValueError(f"{text} is not in the years {YEARS.start}-{YEARS.stop - 1}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        raise ValueError(f"{text} is not a date: {name} {year} has {days} days")
    return dt.date(year, month, day)


def _month_day(value: str) -> str:
    if not _MONTH_DAY.match(value):
        raise ValueError(f"{shown(value)} is not a month and day written as MM-DD")
    if int(value[3:]) > 28:  # quarters are whole months from this day: every month must have it
        raise ValueError(f"{value}: a financial year starts on day 01 to 28, which every month has")
    return value


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{shown(value)} is not a time zone (e.g. Europe/London)") from None
    return value


def _text(value: str) -> str:
    bad = sorted({f"U+{ord(c):04X}" for c in value if _control(c)})
    if bad:
        raise ValueError(f"{shown(value)} holds control character(s) {', '.join(bad)}")
    return value


def _control(char: str) -> bool:
    """A control character, or a bidirectional override that shows text in another order."""
    return ord(char) < 32 or 127 <= ord(char) < 160 or char in BIDI


def _email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError(f"{shown(value)} is not an e-mail address such as name@council.gov.uk")
    return value


#: Bounds of every number a programme gives, where the model takes it: each far beyond any real
#: programme, and small enough that no later step (day arithmetic, the solver's sums, a page)
#: meets a number it cannot handle.
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]  # agenda or preparation time: within a day
Days = Annotated[int, Field(ge=0, le=2 * 366)]  # gaps, lead and release times: two years
Times = Annotated[int, Field(ge=1, le=366)]  # meetings an item or officer goes to in a year
Count = Annotated[int, Field(ge=0, le=100)]  # items of a kind at one meeting
WorkingDays = Annotated[int, Field(ge=1, le=60)]  # deadlines before a meeting

Slug = Annotated[str, AfterValidator(_slug)]
Email = Annotated[str, AfterValidator(_email)]
#: Words shown to people (titles, names, venues): printable, no control characters.
Text = Annotated[str, AfterValidator(_text)]
Time = Annotated[dt.time, BeforeValidator(_time)]
Date = Annotated[dt.date, BeforeValidator(_date)]


class DateRange(BaseModel):
    """An inclusive range of dates, `FROM..TO`; either end may be open. A lone date is one day."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Date | None = None
    end: Date | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, dt.date | str) and not isinstance(value, dt.datetime):
            text = value.isoformat() if isinstance(value, dt.date) else value.strip()
            first, sep, last = text.partition("..")
            if not sep:
                day = _date(text)
                return {"start": day, "end": day}
            return {"start": _date(first) if first else None, "end": _date(last) if last else None}
        if isinstance(value, dict):
            return value
        raise ValueError(f"{shown(value)} is not a date range written as FROM..TO")

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"range {self} ends before it starts")
        return self

    def __str__(self) -> str:
        if self.start == self.end and self.start:
            return self.start.isoformat()
        return f"{self.start or ''}..{self.end or ''}"

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def days_outside(self, day: dt.date) -> int:
        """How many days `day` lies outside the range (0 inside)."""
        if self.start and day < self.start:
            return (self.start - day).days
        if self.end and day > self.end:
            return (day - self.end).days
        return 0


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
    timezone: Annotated[str, AfterValidator(_zone)] = "Europe/London"
    nation: Nation = "england"
    closures: list[Date] = []
    financial_year_start: Annotated[str, AfterValidator(_month_day)] = "04-01"
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

    def fy_start(self, year: int) -> dt.date:
        """The first day of the financial year that starts in calendar `year`."""
        month, day = (int(x) for x in self.financial_year_start.split("-"))
        return dt.date(year, month, day)


def load_programme(path: str | Path, display: str | None = None) -> Programme:
    """Read and validate a programme file (YAML, or JSON by extension).

    Raises:
        ProgrammeError: with every problem found, each naming file, path and entry.
    """
    source = read_source(path, display)
    if isinstance(source, Problem):
        raise ProgrammeError([source])
    return programme_from_source(source)


def parse_programme(text: str, name: str) -> Programme:
    """Validate a programme given as text (the API's uploads); `name` is shown in messages."""
    source = parse_source(text, name)
    if isinstance(source, Problem):
        raise ProgrammeError([source])
    return programme_from_source(source)


def programme_from_source(source: Source) -> Programme:
    """Validate already-read data: shapes and types first, then cross-references."""
    from scheduler.references import check_references

    if not isinstance(source.data, dict):
        raise ProgrammeError([source.problem((), "the top level must be a mapping of keys")])
    try:
        programme = Programme.model_validate(source.data)
    except ValidationError as err:
        raise ProgrammeError(shape_problems(source, err)) from None
    problems = [source.problem(path, message) for path, message in check_references(programme)]
    if problems:
        raise ProgrammeError(problems)
    return programme


def shape_problems(source: Source, err: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per path."""
    seen: dict[tuple[str | int, ...], Problem] = {}
    for error in err.errors():
        path, message = _located(source.data, error)
        if path not in seen:
            seen[path] = source.problem(path, message)
    return list(seen.values())


def _located(data: Any, error: Any) -> tuple[tuple[str | int, ...], str]:
    """The real path of a pydantic error in the raw data, and a plain message."""
    path: list[str | int] = []
    node = data
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        loc, extra = loc[:-1], loc[-1]
    for step in loc:
        if (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and step < len(node)
        ):
            node = node[step]
        elif error["type"] == "missing" and step == loc[-1]:
            return tuple(path), f"'{step}' is required"
        else:
            continue  # a union or validator tag, not a place in the file
        path.append(step)
    if error["type"] == "extra_forbidden":
        return tuple(path), f"unknown key '{extra}'"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] not in ("value_error", "assertion_error"):
        message = f"{message[0].lower()}{message[1:]} (got {shown(error['input'])})"
    return tuple(path), message
