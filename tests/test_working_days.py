"""Working days, clear days and meeting deadlines (DESIGN §6).

Every expected date here was counted by hand on a real calendar, never by the code under test.
"""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.dates import working_days
from scheduler.dates.deadlines import deadlines_of
from scheduler.dates.working_days import (
    NATIONS,
    STATUTORY_CLEAR_DAYS,
    MeetingDeadlines,
    WorkingCalendar,
    bank_holidays,
    meeting_deadlines,
)
from tests.programmes import programme

LONDON = ZoneInfo("Europe/London")


def _deadlines(
    meeting: date,
    *,
    nation: str = "england",
    closures: tuple[date, ...] = (),
    start: time = time(19, 0),
    informal: bool = False,
) -> MeetingDeadlines:
    """Deadlines with the programme file's defaults (DESIGN §4.1)."""
    return meeting_deadlines(
        WorkingCalendar(nation, closures),
        meeting,
        start,
        "Europe/London",
        clear_days=STATUTORY_CLEAR_DAYS[nation],
        reports_due_working_days=10,
        questions_working_days=4,
        preparation_minutes=30,
        informal=informal,
    )


def test_seed_meeting_28_june_2017_has_the_councils_published_deadlines() -> None:
    """Wednesday 28 June 2017: agenda letter dated Tuesday 20 June (clear: 21-23, 26, 27)."""
    deadlines = _deadlines(date(2017, 6, 28))

    assert deadlines.agenda_publication == date(2017, 6, 20)
    assert deadlines.public_questions == datetime(2017, 6, 22, 17, 0, tzinfo=LONDON)
    assert deadlines.reports_due == date(2017, 6, 14)
    assert deadlines.preparation == datetime(2017, 6, 28, 18, 30, tzinfo=LONDON)


def test_seed_deadlines_are_aware_in_the_programmes_zone() -> None:
    deadlines = _deadlines(date(2017, 6, 28))

    assert deadlines.public_questions is not None
    assert deadlines.public_questions.tzinfo == LONDON
    assert deadlines.public_questions.utcoffset() == timedelta(hours=1)
    assert deadlines.preparation is not None
    assert deadlines.preparation.tzinfo == LONDON
    assert deadlines.preparation.astimezone(UTC) == datetime(2017, 6, 28, 17, 30, tzinfo=UTC)


def test_seed_publication_day_leaves_five_clear_days() -> None:
    calendar = WorkingCalendar("england")

    assert calendar.clear_days_between(date(2017, 6, 20), date(2017, 6, 28)) == 5


def test_christmas_and_new_year_bank_holidays_are_skipped() -> None:
    """Tuesday 2 January 2018: 25, 26 December and 1 January 2018 are not working days."""
    deadlines = _deadlines(date(2018, 1, 2))

    # Clear days: 21, 22, 27, 28, 29 December.
    assert deadlines.agenda_publication == date(2017, 12, 20)
    # 29, 28, 27, 22 December.
    assert deadlines.public_questions == datetime(2017, 12, 22, 17, 0, tzinfo=LONDON)
    # 29, 28, 27, 22, 21, 20, 19, 18, 15, 14 December.
    assert deadlines.reports_due == date(2017, 12, 14)


def test_closure_day_is_not_a_working_day() -> None:
    closed = WorkingCalendar("england", closures=[date(2017, 12, 27)])

    assert not closed.is_working_day(date(2017, 12, 27))
    assert WorkingCalendar("england").is_working_day(date(2017, 12, 27))


def test_closure_day_moves_publication_a_day_earlier() -> None:
    """Tuesday 2 January 2018 with 27 December closed: clear days 20, 21, 22, 28, 29 December."""
    deadlines = _deadlines(date(2018, 1, 2), closures=(date(2017, 12, 27),))

    assert deadlines.agenda_publication == date(2017, 12, 19)


def test_easter_2018_good_friday_and_easter_monday_are_skipped() -> None:
    """Thursday 5 April 2018: Good Friday 30 March and Easter Monday 2 April are holidays."""
    calendar = WorkingCalendar("england")
    deadlines = _deadlines(date(2018, 4, 5))

    assert not calendar.is_working_day(date(2018, 3, 30))
    assert not calendar.is_working_day(date(2018, 4, 2))
    # Clear days: 27, 28, 29 March, 3, 4 April.
    assert deadlines.agenda_publication == date(2018, 3, 26)
    # 4, 3 April, 29, 28 March.
    assert deadlines.public_questions == datetime(2018, 3, 28, 17, 0, tzinfo=LONDON)


def test_welsh_programme_needs_three_clear_days() -> None:
    assert STATUTORY_CLEAR_DAYS["wales"] == 3

    # Wednesday 28 June 2017: clear days 23, 26, 27 June.
    assert _deadlines(date(2017, 6, 28), nation="wales").agenda_publication == date(2017, 6, 22)
    # Wednesday 30 May 2018, after the Spring bank holiday: clear days 24, 25, 29 May.
    assert _deadlines(date(2018, 5, 30), nation="wales").agenda_publication == date(2018, 5, 23)


def test_tuesday_meeting_after_spring_bank_holiday_monday() -> None:
    """Tuesday 29 May 2018 follows the Spring bank holiday, Monday 28 May 2018."""
    deadlines = _deadlines(date(2018, 5, 29))

    # Clear days: 21, 22, 23, 24, 25 May.
    assert deadlines.agenda_publication == date(2018, 5, 18)
    # 25, 24, 23, 22 May.
    assert deadlines.public_questions == datetime(2018, 5, 22, 17, 0, tzinfo=LONDON)


def test_tuesday_meeting_after_late_summer_bank_holiday_monday() -> None:
    """Tuesday 29 August 2017 follows the late summer bank holiday, Monday 28 August 2017."""
    deadlines = _deadlines(date(2017, 8, 29))

    # Clear days: 21, 22, 23, 24, 25 August.
    assert deadlines.agenda_publication == date(2017, 8, 18)


def test_monday_meeting_with_a_bank_holiday_in_its_clear_days() -> None:
    """Monday 4 September 2017: the late summer bank holiday 28 August is not a clear day."""
    deadlines = _deadlines(date(2017, 9, 4))

    # Clear days: 25, 29, 30, 31 August, 1 September.
    assert deadlines.agenda_publication == date(2017, 8, 24)
    # 1 September, 31, 30, 29 August.
    assert deadlines.public_questions == datetime(2017, 8, 29, 17, 0, tzinfo=LONDON)


def test_working_days_before_counts_from_a_non_working_day() -> None:
    calendar = WorkingCalendar("england")

    # Saturday 24 June 2017 -> Friday 23 June 2017.
    assert calendar.working_days_before(date(2017, 6, 24), 1) == date(2017, 6, 23)
    # Bank holiday Monday 28 August 2017 -> 25, 24, 23 August.
    assert calendar.working_days_before(date(2017, 8, 28), 3) == date(2017, 8, 23)


def test_scotland_second_of_january_is_a_holiday_unlike_england() -> None:
    scotland, england = WorkingCalendar("scotland"), WorkingCalendar("england")

    assert not scotland.is_working_day(date(2018, 1, 2))
    assert england.is_working_day(date(2018, 1, 2))
    # Friday 5 January 2018, three clear days. Scotland: 29 December, 3, 4 January.
    assert scotland.last_publication_day(date(2018, 1, 5), 3) == date(2017, 12, 28)
    # England: 2, 3, 4 January.
    assert england.last_publication_day(date(2018, 1, 5), 3) == date(2017, 12, 29)


def test_scotland_st_andrews_day_is_a_holiday_unlike_england() -> None:
    scotland, england = WorkingCalendar("scotland"), WorkingCalendar("england")

    assert not scotland.is_working_day(date(2017, 11, 30))
    assert england.is_working_day(date(2017, 11, 30))
    # Tuesday 5 December 2017, three clear days. Scotland: 29 November, 1, 4 December.
    assert scotland.last_publication_day(date(2017, 12, 5), 3) == date(2017, 11, 28)
    # England: 30 November, 1, 4 December.
    assert england.last_publication_day(date(2017, 12, 5), 3) == date(2017, 11, 29)


def test_northern_ireland_keeps_st_patricks_day_and_the_twelfth() -> None:
    northern_ireland, england = WorkingCalendar("northern-ireland"), WorkingCalendar("england")

    # Friday 17 March 2017 and Wednesday 12 July 2017.
    for day in (date(2017, 3, 17), date(2017, 7, 12)):
        assert not northern_ireland.is_working_day(day)
        assert england.is_working_day(day)


def test_bank_holidays_are_known_for_any_year() -> None:
    calendar = WorkingCalendar("england")

    # Easter Sunday 2030 is 21 April: Good Friday 19 April, Easter Monday 22 April.
    assert not calendar.is_working_day(date(2030, 4, 19))
    assert not calendar.is_working_day(date(2030, 4, 22))
    assert calendar.is_working_day(date(2030, 4, 18))


@pytest.mark.parametrize("nation", NATIONS)
def test_bank_holidays_are_the_holidays_librarys_own(nation: str) -> None:
    """The United Kingdom's module of the holidays library is loaded alone (issue 23), and
    gives what the library gives when it is reached its own way: the same days, the same names."""
    region = nation.replace("-", " ").title()  # the library's own name for the subdivision
    for year in range(1950, 2051):
        assert bank_holidays(nation, year) == dict(
            holidays.country_holidays("GB", subdiv=region, years=year, language="en_GB")
        )


def test_bank_holidays_are_named_in_english_whatever_the_machines_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The holidays library names days in the language of the environment (LANG): a server set
    to Thai would have warned of "วันคริสต์มาส". The same words on every machine."""
    monkeypatch.setenv("LANG", "th_TH.UTF-8")
    monkeypatch.setenv("LC_ALL", "th_TH.UTF-8")
    bank_holidays.cache_clear()
    try:
        assert bank_holidays("england", 2019)[date(2019, 12, 25)] == "Christmas Day"
    finally:
        bank_holidays.cache_clear()


def test_a_country_not_found_alone_is_reached_the_librarys_own_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should the holidays library keep a country's module elsewhere than its package's folder,
    the country is still loaded, the library's own (slower) way."""
    monkeypatch.setattr(working_days, "PathFinder", SimpleNamespace(find_spec=lambda *_: None))
    country = working_days._country("GB")

    assert country is holidays.countries.UnitedKingdom
    assert set(country(subdiv="ENG", years=2017)) == set(bank_holidays("england", 2017))


def test_informal_body_has_no_publication_or_questions_deadline() -> None:
    """Nor a preparation meeting: only a statutory meeting has one (DESIGN §4.6)."""
    deadlines = _deadlines(date(2017, 6, 28), informal=True)

    assert deadlines.agenda_publication is None
    assert deadlines.public_questions is None
    assert deadlines.reports_due == date(2017, 6, 14)
    assert deadlines.preparation is None


def test_preparation_is_elapsed_time_across_the_autumn_clock_change() -> None:
    """Sunday 29 October 2017, 02:00 GMT start: 90 minutes earlier is 01:30 BST, not 00:30."""
    deadlines = meeting_deadlines(
        WorkingCalendar("england"),
        date(2017, 10, 29),
        time(2, 0),
        "Europe/London",
        clear_days=5,
        reports_due_working_days=10,
        questions_working_days=4,
        preparation_minutes=90,
    )

    assert deadlines.preparation is not None
    assert deadlines.preparation.astimezone(UTC) == datetime(2017, 10, 29, 0, 30, tzinfo=UTC)
    assert deadlines.preparation.utcoffset() == timedelta(hours=1)


def test_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown nation 'cornwall'"):
        WorkingCalendar("cornwall")


def test_counts_below_their_minimum_are_refused() -> None:
    calendar = WorkingCalendar("england")

    with pytest.raises(ValueError, match="at least 1"):
        calendar.working_days_before(date(2017, 6, 28), 0)
    with pytest.raises(ValueError, match="not be negative"):
        calendar.last_publication_day(date(2017, 6, 28), -1)
    with pytest.raises(ValueError, match="before"):
        calendar.clear_days_between(date(2017, 6, 28), date(2017, 6, 20))


@given(
    nation=st.sampled_from(NATIONS),
    meeting=st.dates(min_value=date(2017, 1, 1), max_value=date(2019, 12, 31)),
    clear_days=st.integers(min_value=0, max_value=10),
)
def test_last_publication_day_leaves_exactly_the_clear_days(
    nation: str, meeting: date, clear_days: int
) -> None:
    calendar = WorkingCalendar(nation)

    published = calendar.last_publication_day(meeting, clear_days)

    assert calendar.is_working_day(published)
    assert calendar.clear_days_between(published, meeting) == clear_days
    # It is the latest such day: the next working day leaves fewer clear days.
    following = published + timedelta(days=1)
    while not calendar.is_working_day(following):
        following += timedelta(days=1)
    assert following >= meeting or calendar.clear_days_between(following, meeting) < clear_days


def test_a_programme_that_sets_its_clear_days_is_held_to_them() -> None:
    """`deadlines.agenda_clear_days: 7` replaces England's statutory 5: for Tuesday 20 June
    2017 the clear days are Mon 19, Fri 16, Thu 15, Wed 14, Tue 13, Mon 12 and Fri 9 June, so
    the agenda is out on Thursday 8 June (Monday 12 June with the statutory 5)."""
    statutory = programme()
    seven = programme(deadlines={"agenda_clear_days": 7})
    for p, published in ((statutory, date(2017, 6, 12)), (seven, date(2017, 6, 8))):
        body = p.bodies[0]
        assert deadlines_of(p, body, body.meetings[0]).agenda_publication == published


def test_a_country_module_that_will_not_load_alone_is_reached_the_librarys_own_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should the holidays library lay out its package otherwise, the lookup's error is not the
    clerk's: the country is loaded the library's own way."""

    def refuse(*_: object) -> None:
        raise ImportError("laid out otherwise")

    monkeypatch.setattr(working_days, "PathFinder", SimpleNamespace(find_spec=refuse))
    assert working_days._country("GB") is holidays.countries.UnitedKingdom
