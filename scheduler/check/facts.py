"""What the programme says about time, as the checks restate it: a body's open meetings, a
recurring item's periods. Written here, not shared with the solver."""

from __future__ import annotations

import calendar
import datetime as dt

from scheduler.programme.model import After, Body, Item, Meeting, Programme


def open_meetings(body: Body) -> list[Meeting]:
    return sorted((m for m in body.meetings if m.status != "cancelled"), key=lambda m: m.date)


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods(programme: Programme, item: Item) -> dict[str, dt.date]:
    """The occurrences of a recurring item: period label -> release date, in date order.

    One per quarter (or half-year) of any financial year, or (`every: year`) per financial,
    municipal or academic year, whose release date (last day of the period + `release_days`)
    falls inside the programme's year. Empty for other items.
    """
    first, last = programme.year.start, programme.year.end
    if item.every is None or first is None or last is None:
        return {}
    step, letter = {"quarter": (3, "Q"), "half-year": (6, "H"), "year": (12, "")}[item.every]
    found: dict[str, dt.date] = {}
    for year in range(first.year - item.release_days // 365 - 2, last.year + 1):
        start = _year_start(programme, item, year)
        label = f"{year}/{(year + 1) % 100:02d}"
        for n in range(1, 12 // step + 1):
            end = add_months(start, step * n) - dt.timedelta(days=1)
            release = end + dt.timedelta(days=item.release_days)
            if first <= release <= last:
                found[f"{label} {letter}{n}" if letter else label] = release
    return found


def _year_start(programme: Programme, item: Item, year: int) -> dt.date:
    """Where the year an item follows begins: 1 September (academic), the municipal year's
    first day (`years_start`, else the programme's), else the financial year's."""
    if item.every == "year" and item.period == "academic":
        return dt.date(year, 9, 1)
    if item.every == "year" and item.period == "municipal":
        assert programme.year.start is not None
        month_day = programme.years_start or programme.year.start.strftime("%m-%d")
        month, day = (int(x) for x in month_day.split("-"))
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return programme.fy_start(year)


def waited_for(p: Programme, after: After) -> tuple[dt.date | None, str]:
    """What an `after` on an event, a meeting or a body waits for: its earliest day (None when
    it has no date at all: undated, cancelled, no dated meeting) and its id; `date.min` for an
    id the programme does not know."""
    if after.event is not None:
        event = p.events_by_id.get(after.event)
        return (event.date.earliest if event else dt.date.min), after.event
    if after.meeting is not None:
        found = p.meetings_by_id.get(after.meeting)
        if found is None:
            return dt.date.min, after.meeting
        meeting = found[1]
        return (None if meeting.status == "cancelled" else meeting.when.earliest), after.meeting
    body = p.bodies_by_id.get(after.body or "")
    days = [m.when.day for m in body.meetings if m.status != "cancelled"] if body else []
    dated = [day for day in days if day is not None]
    return (min(dated) if dated else None), f"the first dated meeting of {after.body}"
