"""What the programme says about time, as the checks restate it: a body's open meetings, a
recurring item's periods. Written here, not shared with the solver."""

from __future__ import annotations

import calendar
import datetime as dt

from scheduler.programme.model import Body, Item, Meeting, Programme


def open_meetings(body: Body) -> list[Meeting]:
    return sorted((m for m in body.meetings if m.status != "cancelled"), key=lambda m: m.date)


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods(programme: Programme, item: Item) -> dict[str, dt.date]:
    """The occurrences of a recurring item: period label -> release date, in date order.

    One per quarter (or half-year) of any financial year whose release date (last day of the
    period + `release_days`) falls inside the programme's year. Empty for other items.
    """
    first, last = programme.year.start, programme.year.end
    if item.every is None or first is None or last is None:
        return {}
    step, letter = (3, "Q") if item.every == "quarter" else (6, "H")
    found: dict[str, dt.date] = {}
    for fy in range(first.year - item.release_days // 365 - 2, last.year + 1):
        start = programme.fy_start(fy)
        for n in range(1, 12 // step + 1):
            end = add_months(start, step * n) - dt.timedelta(days=1)
            release = end + dt.timedelta(days=item.release_days)
            if first <= release <= last:
                found[f"{fy}/{(fy + 1) % 100:02d} {letter}{n}"] = release
    return found
