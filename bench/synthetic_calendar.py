"""The synthetic councils' year (bench/generate.py): its dates, recesses and report releases."""

from __future__ import annotations

import calendar
import datetime as dt

Day = dt.date

YEAR = (Day(2025, 5, 14), Day(2026, 5, 13))
SEASON = (Day(2025, 6, 2), Day(2026, 4, 30))  # ordinary meetings: June to April
RECESSES = ((Day(2025, 8, 1), Day(2025, 8, 31)), (Day(2025, 12, 19), Day(2026, 1, 4)))
CLOSURES = (Day(2025, 12, 29), Day(2025, 12, 30), Day(2025, 12, 31))


def month_of(day: Day) -> str:
    """The calendar month of `day` as a range, '2025-10-01..2025-10-31'."""
    last = calendar.monthrange(day.year, day.month)[1]
    return f"{day.replace(day=1)}..{day.replace(day=last)}"


def in_recess(day: Day) -> bool:
    """True in the summer and Christmas recesses, when no body meets."""
    return any(start <= day <= end for start, end in RECESSES)


def releases(every: str, release_days: int) -> list[Day]:
    """Release dates inside the year of a recurring item (financial years from 1 April)."""
    step = 3 if every == "quarter" else 6
    ends = [Day(year + (month > 12), (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
            for year in (2024, 2025) for month in range(4 + step, 17, step)]
    out = [end + dt.timedelta(days=release_days) for end in ends]
    return [day for day in out if YEAR[0] <= day <= YEAR[1]]


def fits(release_days: list[Day], meetings: list[Day]) -> bool:
    """Whether each release can have its own meeting on or after it (earliest free first)."""
    free = sorted(meetings)
    for release in sorted(release_days):
        later = [day for day in free if day >= release]
        if not later:
            return False
        free.remove(later[0])
    return True
