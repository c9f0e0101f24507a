"""A plan's meeting days as it records them (DESIGN §4.6, §8): a fixed day (`date`), what is
known of a day not fixed yet (`when`: `2025-01`, `2018-01..2018-03`), or nothing (`null`), and
the same in people's words. The one place a plan's recorded date is read back."""

from __future__ import annotations

from pydantic import ValidationError

from scheduler.plan.model import PlannedMeeting
from scheduler.programme.fields import Rough
from scheduler.programme.words import rough_words


def recorded(text: str | None) -> Rough:
    """A recorded date (`2017-10-17`, `2025-01`, `null`, empty) as a rough date; a hand-made
    plan's odd text as not known."""
    try:
        return Rough.model_validate(None if text in (None, "", "null") else text)
    except ValidationError:
        return Rough()


def planned_rough(m: PlannedMeeting) -> Rough:
    """A planned meeting's date as the plan knows it: its day, else its `when`, else not known."""
    return Rough.model_validate(m.date) if m.date is not None else recorded(m.when)


def planned_day_words(m: PlannedMeeting) -> str:
    """A planned meeting's day in words: `Tuesday 17 October 2017`, `January 2025, date to be
    fixed`, `date to be fixed`."""
    return rough_words(planned_rough(m))


def recorded_words(text: str | None) -> str:
    """A recorded date in words, as `planned_day_words` says it."""
    return rough_words(recorded(text))
