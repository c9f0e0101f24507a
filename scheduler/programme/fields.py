"""The values a programme file is made of: slugs, words, times, dates, bounded numbers.

Each is a pydantic type that says in plain words what is wrong with a value (the entry it is in
is added where the problem is located, `programme.load`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from scheduler.errors import BIDI, shown

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
#: One @, something on each side, a dot in the domain; no spaces or control characters (a line
#: break in an address would break every calendar feed it is written into).
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


def is_slug(value: str) -> bool:
    """A short name as the file's ids are written: lower-case letters, digits, single hyphens."""
    return bool(_SLUG.match(value))


def _slug(value: str) -> str:
    if not is_slug(value):
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
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


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
        raise ValueError(f"{value}: a year starts on day 01 to 28, which every month has")
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


def _web_address(value: str) -> str:
    """An http(s) site's address, written without its trailing slash (and without Modern.gov's
    `/mgWebService.asmx`, which is the service under it): it is shown in public links."""
    example = "a web address such as https://democracy.council.gov.uk"
    if any(_control(c) or c.isspace() for c in value) or len(value) > 2000:
        raise ValueError(f"{shown(value)} is not {example}: it holds spaces or control characters")
    try:
        parts = urlsplit(value)
        _ = parts.port  # a port from 0 to 65535
    except ValueError:
        raise ValueError(f"{shown(value)} is not {example}") from None
    host = parts.hostname or ""
    labels = host.rstrip(".").split(".")
    if parts.scheme not in ("http", "https") or not host or len(host) > 253:
        raise ValueError(f"{shown(value)} is not {example}")
    if not host.startswith("[") and any(not 1 <= len(label) <= 63 for label in labels):
        short = "a part of its host name is empty or too long"
        raise ValueError(f"{shown(value)} is not {example}: {short}")
    if "@" in parts.netloc:
        raise ValueError("give the address without a name and password (name:password@)")
    if parts.query or parts.fragment:
        raise ValueError(f"{shown(value)}: give the site's address alone, without ? or #")
    path = parts.path.rstrip("/").removesuffix("/mgWebService.asmx").rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


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
#: A number the council's Modern.gov gives a committee or a meeting (at most 18 digits).
ModernGovId = Annotated[int, Field(ge=1, le=10**18 - 1)]

Slug = Annotated[str, AfterValidator(_slug)]
Email = Annotated[str, AfterValidator(_email)]
#: An http(s) address with a host, without its trailing slash.
WebAddress = Annotated[str, AfterValidator(_web_address)]
#: Words shown to people (titles, names, venues): printable, no control characters.
Text = Annotated[str, AfterValidator(_text)]
Time = Annotated[dt.time, BeforeValidator(_time)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Zone = Annotated[str, AfterValidator(_zone)]
#: A day of the year, MM-DD, that every month has (01-28).
MonthDay = Annotated[str, AfterValidator(_month_day)]


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


def _month(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a month written YYYY-MM, or None when `text` is not one."""
    match = _ISO_MONTH.match(text)
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"{text} is not a month: there is no month {month}")
    if year not in YEARS:
        raise ValueError(f"{text} is not in the years {YEARS.start}-{YEARS.stop - 1}")
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _bounds(text: str) -> tuple[dt.date, dt.date]:
    """A day (YYYY-MM-DD) or a month (YYYY-MM) as its first and last day."""
    month = _month(text)
    if month is not None:
        return month
    day = _date(text)
    return day, day


class Rough(BaseModel):
    """A date as a programme knows it (DESIGN §4.6): a day, a month (`2025-01`, "January
    2025"), a range of days or months (`2018-01..2018-03`, "early 2018"), or not known yet
    (null). `earliest` and `latest` are the first and last day it may be; both None when unknown.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    earliest: dt.date | None = None
    latest: dt.date | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dt.datetime):
            _date(value)  # refused with its message
        if isinstance(value, dt.date):
            return {"earliest": _date(value), "latest": _date(value)}
        if isinstance(value, str):
            first, sep, last = value.strip().partition("..")
            if not sep:
                low, high = _bounds(first)
                return {"earliest": low, "latest": high}
            if not first or not last:
                raise ValueError(
                    f"{shown(value)}: a rough date gives both ends, e.g. 2018-01..2018-03"
                )
            return {"earliest": _bounds(first)[0], "latest": _bounds(last)[1]}
        if isinstance(value, dict):
            return value
        raise ValueError(
            f"{shown(value)} is not a date: write a day (YYYY-MM-DD), a month (YYYY-MM), "
            "a range FROM..TO of either, or null when it is not known yet"
        )

    @model_validator(mode="after")
    def _ordered(self) -> Rough:
        if (self.earliest is None) != (self.latest is None):
            raise ValueError("a rough date gives both ends, or neither (null)")
        if self.earliest and self.latest and self.latest < self.earliest:
            raise ValueError(f"{self.earliest}..{self.latest} ends before it starts")
        return self

    @property
    def day(self) -> dt.date | None:
        """The day, when it is fixed; None for a month, a range or an unknown date."""
        return self.earliest if self.earliest == self.latest else None

    @property
    def known(self) -> bool:
        """False when nothing is known of the date yet (null)."""
        return self.earliest is not None

    def __str__(self) -> str:
        if self.earliest is None or self.latest is None:
            return "null"
        if self.day is not None:
            return self.day.isoformat()
        whole = self.earliest.day == 1 and _month(f"{self.latest:%Y-%m}") == (
            self.latest.replace(day=1),
            self.latest,
        )
        if whole and self.earliest.replace(day=1) == self.latest.replace(day=1):
            return f"{self.earliest:%Y-%m}"
        if whole:
            return f"{self.earliest:%Y-%m}..{self.latest:%Y-%m}"
        return f"{self.earliest}..{self.latest}"
