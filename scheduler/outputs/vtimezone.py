"""A compact VTIMEZONE for a programme's time zone (RFC 5545 §3.6.5, DESIGN §7).

The zone's clock changes over the years a feed covers are read off the system's tz database and
written as one yearly RRULE per kind of change ("last Sunday of March, 01:00"), the form Outlook
and Google write and every client reads alike. A long list of RDATEs, as icalendar's own
`add_missing_timezones` writes, is read differently by vobject and ical.js. A change that keeps
no yearly rule over those years is written as one observance per change instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_UTC = dt.UTC


@dataclass(frozen=True)
class Change:
    """One clock change: its local onset (in the old offset's wall time) and the offsets."""

    onset: dt.datetime
    before: dt.timedelta
    after: dt.timedelta
    name: str
    daylight: bool

    @property
    def kind(self) -> tuple[dt.timedelta, dt.timedelta, str, bool]:
        return self.before, self.after, self.name, self.daylight

    @property
    def byday(self) -> str:
        """The onset as a yearly BYDAY: `-1SU` (last Sunday) or `2SU` (second Sunday)."""
        day, weekday = self.onset.day, _DAYS[self.onset.weekday()]
        last = calendar.monthrange(self.onset.year, self.onset.month)[1]
        return f"-1{weekday}" if day + 7 > last else f"{(day - 1) // 7 + 1}{weekday}"

    @property
    def rule(self) -> tuple[int, str, dt.time]:
        return self.onset.month, self.byday, self.onset.time()


def _offset(zone: ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta, str]:
    local = instant.astimezone(zone)
    return local.utcoffset() or dt.timedelta(0), local.tzname() or ""


def changes(zone: ZoneInfo, first_year: int, last_year: int) -> list[Change]:
    """Every clock change of `zone` from 1 January `first_year` to 31 December `last_year`."""
    found = []
    instant = dt.datetime(first_year, 1, 1, tzinfo=_UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=_UTC)
    current = _offset(zone, instant)
    while instant < end:
        step = instant + dt.timedelta(days=1)
        if _offset(zone, step) != current:
            low, high = instant, step  # the change is in (low, high]: halve down to the second
            while high - low > dt.timedelta(seconds=1):
                middle = low + dt.timedelta(seconds=(high - low).total_seconds() // 2)
                low, high = (low, middle) if _offset(zone, middle) != current else (middle, high)
            after = _offset(zone, high)
            onset = (high + current[0]).replace(tzinfo=None)
            # DAYLIGHT is the observance the clocks go forward into, as clients expect, even
            # where the tz database calls winter the daylight one (Europe/Dublin).
            found.append(Change(onset, current[0], after[0], after[1], after[0] > current[0]))
            current = after
        instant = step
    return found


def vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of zone `name`, right for every date from `first_year` to `last_year`."""
    zone = ZoneInfo(name)
    component = Timezone()
    component.add("tzid", name)
    found = changes(zone, first_year, last_year)
    if not found:  # no clock change: one standard observance
        offset, label = _offset(zone, dt.datetime(first_year, 1, 1, tzinfo=_UTC))
        start = dt.datetime(first_year, 1, 1)
        component.add_component(_observance(start, offset, offset, label, False, None))
        return component
    kinds: dict[tuple[dt.timedelta, dt.timedelta, str, bool], list[Change]] = {}
    for change in found:
        kinds.setdefault(change.kind, []).append(change)
    for group in sorted(kinds.values(), key=lambda g: g[0].onset):
        yearly = len({c.rule for c in group}) == 1 and len(group) == last_year - first_year + 1
        for change in group[:1] if yearly else group:
            month, byday, _ = change.rule
            rrule = {"freq": "yearly", "bymonth": month, "byday": byday} if yearly else None
            component.add_component(
                _observance(
                    change.onset, change.before, change.after, change.name, change.daylight, rrule
                )
            )
    return component


def _observance(
    onset: dt.datetime,
    before: dt.timedelta,
    after: dt.timedelta,
    label: str,
    daylight: bool,
    rrule: dict[str, object] | None,
) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if daylight else TimezoneStandard()
    part.add("dtstart", onset)
    if rrule:
        part.add("rrule", rrule)
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    if label:
        part.add("tzname", label)
    return part
