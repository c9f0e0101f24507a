"""When a meeting's agenda goes out (DESIGN §6): the last working day leaving the statutory clear
days before it. What R2's `follows` counts up to: a meeting held after that is too late for
its minutes to be referred to."""

from __future__ import annotations

import datetime as dt

from scheduler.dates.deadlines import clear_days, working_calendar
from scheduler.programme.model import Body, Programme


def agenda_out(p: Programme, body: Body, day: dt.date) -> dt.date:
    """The day the agenda of `body`'s meeting on `day` is published; `day` itself for an
    informal body, which publishes none."""
    if body.informal:
        return day
    return working_calendar(p).last_publication_day(day, clear_days(p))
