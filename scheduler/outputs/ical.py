"""Writing one iCalendar feed (RFC 5545, RFC 7986): plain event data in, bytes out.

Who sees which event, and what it says, is decided in `outputs.feeds`; this module only writes
them, with the `icalendar` library (CRLF line ends, lines folded at 75 octets, text escaped).
Nothing here reads the clock: every time written comes from the plan, so the same plan gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from icalendar import Calendar, Event, vCalAddress, vDuration, vText, vUri

from scheduler.outputs.vtimezone import vtimezone

PRODID = "-//Scrutiny work-programme scheduler//scrutiny-plan 1//EN"
#: How often subscribers should fetch the feed again (RFC 7986 REFRESH-INTERVAL; Outlook's
#: X-PUBLISHED-TTL), by default: an hour, so that a meeting moved or cancelled late reaches
#: the clients that honour it the same day.
REFRESH = dt.timedelta(hours=1)
#: The least and most minutes a service or the command may ask: more often than every quarter
#: of an hour would only load the server; less often than weekly, a change would be old news.
REFRESH_MINUTES = (15, 7 * 24 * 60)

Status = Literal["CONFIRMED", "TENTATIVE", "CANCELLED"]


@dataclass(frozen=True)
class Organizer:
    """Who to contact about an event: the body's clerk (RFC 5546 requires one with PUBLISH)."""

    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. `start`/`end` are aware datetimes, or dates for an all-day event; `url` is
    the public page of the meeting it belongs to (RFC 7986 URL), if it has one."""

    uid: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    summary: str
    description: str
    status: Status
    sequence: int
    modified: dt.datetime
    location: str | None = None
    organizer: Organizer | None = None
    url: str | None = None

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)


@dataclass(frozen=True)
class Feed:
    """One calendar: its name, description and events, in the order written."""

    name: str
    description: str
    events: tuple[CalendarEvent, ...]


def to_ical(
    feed: Feed,
    zone: str,
    years: tuple[int, int],
    stamp: dt.datetime,
    written: dict[CalendarEvent, bytes] | None = None,
    refresh: dt.timedelta = REFRESH,
) -> bytes:
    """The feed as iCalendar bytes.

    Args:
        feed: what to write.
        zone: the programme's time zone (every timed event is in it).
        years: the first and last calendar year the VTIMEZONE must be right for.
        stamp: when the plan was published: every event's DTSTAMP.
        written: events already written, by the caller's other feeds of the same plan and
            stamp (a meeting's event is the same in most feeds that show it): reused, and added.
        refresh: how often subscribers should fetch the feed again (REFRESH-INTERVAL and
            X-PUBLISHED-TTL, the same duration).

    METHOD:PUBLISH is written only when every event has an ORGANIZER (RFC 5546 §3.2.1);
    otherwise the feed is a plain calendar without a METHOD.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if all(event.organizer for event in feed.events):
        cal.add("method", "PUBLISH")
    cal.add("name", vText(feed.name))  # text, escaped: unknown to the library's type table
    cal.add("x-wr-calname", vText(feed.name))
    cal.add("description", feed.description)
    cal.add("x-wr-caldesc", vText(feed.description))
    cal.add("x-wr-timezone", zone)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    # Not a typed property: the library would write a timedelta as "1:00:00", not "PT1H".
    cal.add("x-published-ttl", vDuration(refresh).to_ical().decode())
    head = cal.to_ical(sorted=False).removesuffix(b"END:VCALENDAR\r\n")
    zone_part = _zone_bytes(zone, years) if any(not e.all_day for e in feed.events) else b""
    written = {} if written is None else written
    for event in feed.events:
        if event not in written:
            written[event] = _vevent(event, stamp).to_ical(sorted=False)  # in the order added
    events = [written[event] for event in feed.events]
    return b"".join([head, zone_part, *events, b"END:VCALENDAR\r\n"])


@lru_cache(maxsize=64)
def _zone_bytes(zone: str, years: tuple[int, int]) -> bytes:
    return vtimezone(zone, *years).to_ical(sorted=False)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _vevent(event: CalendarEvent, stamp: dt.datetime) -> Event:
    out = Event()
    out.add("uid", event.uid)
    out.add("dtstamp", _utc(stamp))
    out.add("last-modified", _utc(event.modified))
    out.add("sequence", event.sequence)
    out.add("dtstart", event.start)
    out.add("dtend", event.end)
    out.add("summary", event.summary)
    if event.location:
        out.add("location", event.location)
    out.add("description", event.description)
    out.add("status", event.status)
    # Nobody is busy at a deadline (all day) or at a meeting that will not be held.
    free = event.all_day or event.status == "CANCELLED"
    out.add("transp", "TRANSPARENT" if free else "OPAQUE")
    if event.url:
        out.add("url", vUri(event.url))
    if event.organizer:
        organizer = vCalAddress(f"mailto:{event.organizer.email}")
        organizer.params["cn"] = event.organizer.name
        out.add("organizer", organizer)
    return out
