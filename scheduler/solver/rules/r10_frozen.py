"""Hard R10 frozen: re-planning as of a date keeps what is already settled (DESIGN §4.5).

Meetings before the date keep their agendas exactly: a unit may use such a meeting only where
the previous plan had it, and must stay there. Later meetings whose reports were due before the
date take nothing new (standing items excepted: they go to every meeting by R2).

Unlike R1-R9 this rule needs the plan being re-planned and the date, so it is made per re-plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.dates.deadlines import deadlines_of
from scheduler.plan.model import Reason
from scheduler.programme.words import long_day, meeting_words
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, Variables, because, forbid, is_standing


def frozen(
    previous: Mapping[str, Sequence[str]],
    dates: Mapping[str, dt.date | None],
    as_of: dt.date,
) -> Rule:
    """R10 for one re-plan.

    Args:
        previous: unit key -> its meetings in the previous plan (standing items included).
        dates: meeting id -> its date in the previous plan, None when it had no fixed day (for
            meetings since removed: a meeting of the programme goes by its last possible day).
        as_of: the re-planning date; meetings surely before it are frozen.
    """
    kept = {(key, meeting) for key, meetings in previous.items() for meeting in meetings}
    reports_due: dict[str, dt.date] = {}

    def due(e: Expansion, slot: Slot) -> dt.date:
        if slot.id not in reports_due:
            reports_due[slot.id] = deadlines_of(e.programme, slot.body, slot.meeting).reports_due
        return reports_due[slot.id]

    def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
        if (unit.key, slot.id) in kept:
            return None
        if slot.latest < as_of:
            return because(
                "R10",
                f"{slot.words} is before {long_day(as_of)}, the date of this re-plan: its "
                "agenda stays as published",
                f"R10 frozen: {slot.id} ({slot.date}) is before {as_of}; its agenda stays",
            )
        if slot.fixed and due(e, slot) < as_of and not is_standing(unit):
            return because(
                "R10",
                f"Reports for {slot.words} were due on {long_day(due(e, slot))}, before this "
                "re-plan: its agenda takes nothing new",
                f"R10 frozen: reports for {slot.id} were due {due(e, slot)}, before {as_of}",
            )
        return None

    def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
        for meeting, day in sorted(dates.items()):
            slot = e.slots.get(meeting)
            last = slot.latest if slot else day
            if last is None or last >= as_of:
                continue
            enforce = v.guard(model, "R10", meeting)
            for key, meetings in sorted(previous.items()):
                if meeting not in meetings:
                    continue
                unit = e.units_by_key.get(key)
                var = v.at(unit, meeting) if unit is not None else None
                if var is None:
                    forbid(model, enforce)
                else:
                    model.add(var == 1).only_enforce_if(enforce)

    def describe(e: Expansion, subject: str) -> Reason:
        return because(
            "R10",
            f"{meeting_words(e.programme, subject, dates.get(subject))} is before "
            f"{long_day(as_of)}, the date of this re-plan: its agenda stays as published",
            f"R10 frozen: {subject} is before the re-planning date; its agenda stays as it was",
        )

    return Rule("R10", "frozen", prune=prune, post=post, describe=describe)
