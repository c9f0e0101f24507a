"""Working days, clear days and the statutory deadlines of a meeting (DESIGN §6).

Deadlines are counted in working days of one nation: weekends, that nation's bank
holidays (from the maintained ``holidays`` library, never a hand-typed list) and the
programme's own closures are not working days. This module takes plain values only and
imports nothing else from ``scheduler``.

Example:
    >>> calendar = WorkingCalendar("england")
    >>> calendar.last_publication_day(date(2017, 6, 28), STATUTORY_CLEAR_DAYS["england"])
    datetime.date(2017, 6, 20)
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib.machinery import PathFinder
from types import MappingProxyType
from zoneinfo import ZoneInfo

from holidays.holiday_base import HolidayBase
from holidays.registry import COUNTRIES

NATIONS = ("england", "wales", "scotland", "northern-ireland")

# Clear days exclude both the day of publication and the day of the meeting. Assumption:
# only working days count (weekends and bank holidays do not), as councils practise and as
# the seed's papers show; the same reading is applied to every nation.
STATUTORY_CLEAR_DAYS: dict[str, int] = {
    # Local Government Act 1972 s.100B(3): five clear days.
    "england": 5,
    # Three clear days: Local Government (Wales) Measure 2011 and the Local Government and
    # Elections (Wales) Act 2021 (assumption: applied to all principal-council meetings).
    "wales": 3,
    # Local Government (Scotland) Act 1973 s.50B: three clear days.
    "scotland": 3,
    # Local Government Act (Northern Ireland) 2014: three clear days.
    "northern-ireland": 3,
}

# Subdivision codes of the "GB" country in the holidays library.
_SUBDIVISIONS = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

# Public questions close at this local time on their deadline day.
_QUESTIONS_CLOSE = time(17, 0)

_SATURDAY = 5


#: The holidays library's package of countries, which imports every one of them.
_COUNTRIES = "holidays.countries"


def _country(code: str) -> type[HolidayBase]:
    """Return the holidays library's class of one country, loading that country's module alone.

    The library reaches a country through ``holidays.countries``, whose ``__init__`` imports
    every country's module (some 250: a quarter of the time ``scrutiny validate`` took) to use
    one. The library's own registry names the module; it is found in that package, which is not
    run, and loaded for this module only: the library's own state (``sys.modules``) is left as
    it was, so that whoever imports the whole package later gets it whole.

    Args:
        code: The country's ISO 3166-1 alpha-2 code, e.g. ``"GB"``.

    Returns:
        The country's holidays class, e.g. ``UnitedKingdom``.
    """
    module, names = next((m, entity) for m, entity in COUNTRIES.items() if code in entity)
    name = f"{_COUNTRIES}.{module}"
    try:
        package = importlib.util.find_spec(_COUNTRIES)
        spec = PathFinder.find_spec(name, package.submodule_search_locations) if package else None
        if spec is not None and spec.loader is not None:
            loaded = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(loaded)
            country: type[HolidayBase] = getattr(loaded, names[0])
            return country
    except (ImportError, AttributeError):  # a library laid out otherwise: its own way below
        pass
    country = getattr(importlib.import_module(name), names[0])  # every country: slower
    return country


# The holidays library's United Kingdom: each nation is one of its subdivisions.
_UNITED_KINGDOM = _country("GB")


@cache
def bank_holidays(nation: str, year: int) -> Mapping[date, str]:
    """Return the bank holidays of one nation in one year, with their names, loaded on first use.

    Args:
        nation: One of :data:`NATIONS`.
        year: The calendar year.

    Returns:
        Every bank holiday (observed substitutes included) falling in ``year``, by date, named
        as the holidays library names it (``"Christmas Day"``).
    """
    # In English whatever the machine's language (the library follows LANG): the same words
    # on every machine.
    return MappingProxyType(
        dict(_UNITED_KINGDOM(subdiv=_SUBDIVISIONS[nation], years=year, language="en_GB"))
    )


class WorkingCalendar:
    """Working days of one nation: no weekends, no bank holidays (holidays library), no closures.

    Args:
        nation: One of :data:`NATIONS`.
        closures: Extra non-working days of the council, e.g. ``[date(2017, 12, 27)]``.

    Raises:
        ValueError: If ``nation`` is not one of :data:`NATIONS`.
    """

    def __init__(self, nation: str, closures: Iterable[date] = ()) -> None:
        if nation not in _SUBDIVISIONS:
            raise ValueError(f"unknown nation {nation!r}: expected one of {', '.join(NATIONS)}")
        self.nation = nation
        self.closures = frozenset(closures)

    def is_working_day(self, day: date) -> bool:
        """Say whether ``day`` is a working day.

        Args:
            day: Any date, in any year.

        Returns:
            False on a weekend, a bank holiday of this nation or a closure; True otherwise.
        """
        if day.weekday() >= _SATURDAY or day in self.closures:
            return False
        return day not in bank_holidays(self.nation, day.year)

    def working_days_before(self, day: date, n: int) -> date:
        """Return the date ``n`` working days before ``day``.

        Args:
            day: The date counted back from; it need not be a working day itself.
            n: How many working days back, at least 1.

        Returns:
            The ``n``-th working day strictly before ``day``.

        Raises:
            ValueError: If ``n`` is less than 1.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        current = day
        remaining = n
        while remaining:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def clear_days_between(self, earlier: date, later: date) -> int:
        """Count the working days strictly between two dates, excluding both ends.

        Args:
            earlier: The first date, e.g. the agenda's publication day.
            later: The second date, e.g. the meeting; not before ``earlier``.

        Returns:
            The number of clear working days between them.

        Raises:
            ValueError: If ``later`` is before ``earlier``.
        """
        if later < earlier:
            raise ValueError(f"{later} is before {earlier}")
        span = (later - earlier).days
        return sum(
            self.is_working_day(earlier + timedelta(days=offset)) for offset in range(1, span)
        )

    def last_publication_day(self, meeting: date, clear_days: int) -> date:
        """Return the latest working day leaving exactly ``clear_days`` clear days before a meeting.

        Args:
            meeting: The meeting's date.
            clear_days: Clear working days required between publication and the meeting.

        Returns:
            The last working day on which the agenda may be published.

        Raises:
            ValueError: If ``clear_days`` is negative.
        """
        if clear_days < 0:
            raise ValueError(f"clear_days must not be negative, got {clear_days}")
        # The publication day is itself the working day after the clear days, counting back.
        return self.working_days_before(meeting, clear_days + 1)


@dataclass(frozen=True)
class MeetingDeadlines:
    """The deadlines of one meeting (DESIGN §6).

    Attributes:
        agenda_publication: Last day to publish the agenda; None for informal bodies.
        reports_due: Day officers' reports are due.
        public_questions: When public questions close (aware, 17:00 local); None for a
            meeting that is not statutory (an informal body, a body of kind `other`, or one
            that states no start).
        preparation: Start of members' preparation meeting (aware); None for a meeting that
            is not statutory.
    """

    agenda_publication: date | None
    reports_due: date
    public_questions: datetime | None
    preparation: datetime | None


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Return ``day`` at local time ``at`` in ``zone``, normalised through UTC."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).astimezone(zone)


def minutes_before(moment: datetime, minutes: int, zone: ZoneInfo) -> datetime:
    """Return the instant ``minutes`` of elapsed time before ``moment``, in ``zone``.

    Subtracting in UTC keeps the result right across a clock change, where wall-clock
    arithmetic on an aware datetime would be off by the hour.
    """
    return (moment.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(zone)


def meeting_deadlines(
    calendar: WorkingCalendar,
    meeting_date: date,
    start: time | None,
    tz: str,
    *,
    clear_days: int,
    reports_due_working_days: int,
    questions_working_days: int,
    preparation_minutes: int,
    informal: bool = False,
    statutory: bool = True,
) -> MeetingDeadlines:
    """Compute every deadline of one meeting.

    Args:
        calendar: The working calendar of the programme's nation and closures.
        meeting_date: The meeting's date.
        start: The meeting's local start time; None when none is stated (no preparation).
        tz: The programme's IANA time zone, e.g. ``"Europe/London"``.
        clear_days: Clear working days between agenda publication and the meeting.
        reports_due_working_days: Reports are due this many working days before.
        questions_working_days: Public questions close at 17:00 this many working days before.
        preparation_minutes: The preparation meeting starts this long before the meeting.
        informal: True for an informal body: no publication or public-questions deadline.
        statutory: False for a meeting without public questions or a members' preparation
            meeting (a body of kind `other`, DESIGN §4.6). Neither is held either for an
            informal body or when no start is stated.

    Returns:
        The meeting's deadlines.

    Example:
        >>> d = meeting_deadlines(WorkingCalendar("england"), date(2017, 6, 28), time(19),
        ...     "Europe/London", clear_days=5, reports_due_working_days=10,
        ...     questions_working_days=4, preparation_minutes=30)
        >>> d.agenda_publication, d.reports_due, d.public_questions.isoformat()
        (datetime.date(2017, 6, 20), datetime.date(2017, 6, 14), '2017-06-22T17:00:00+01:00')
    """
    zone = ZoneInfo(tz)
    statutory = statutory and not informal and start is not None
    preparation = None
    if statutory and start is not None:
        preparation = minutes_before(_local(meeting_date, start, zone), preparation_minutes, zone)
    reports_due = calendar.working_days_before(meeting_date, reports_due_working_days)
    questions = None
    if statutory:
        questions_day = calendar.working_days_before(meeting_date, questions_working_days)
        questions = _local(questions_day, _QUESTIONS_CLOSE, zone)
    return MeetingDeadlines(
        agenda_publication=None
        if informal
        else calendar.last_publication_day(meeting_date, clear_days),
        reports_due=reports_due,
        public_questions=questions,
        preparation=preparation,
    )
