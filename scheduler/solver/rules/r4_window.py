"""R4 window: only meetings inside `window`, and with `decision`, at least `lead_days` before
the decision event."""

from __future__ import annotations

import datetime as dt

from scheduler.plan.model import Reason
from scheduler.programme.words import range_words, rough_words
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, because


def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
    """Hard constraint R4: inside the window and before the decision."""
    item = unit.item
    if item.window is not None and not (slot.date in item.window and slot.latest in item.window):
        window = range_words(item.window.start, item.window.end)
        return because(
            "R4",
            f"{slot.words} is outside the dates it may go to ({window}): widen its window to "
            "use it",
            f"R4 window: {slot.id} is outside {item.window}",
        )
    decision = item.decision
    if decision is not None:
        event = e.programme.events_by_id[decision.event]
        first = event.date.earliest  # a decision known roughly may come at its earliest
        if first is not None:
            latest = first - dt.timedelta(days=decision.lead_days)
            if slot.latest > latest:
                return because(
                    "R4",
                    f"{slot.words} is too late: it must be {decision.lead_days} days before "
                    f"the decision, {event.title}, on {rough_words(event.date)}",
                    f"R4 window: {slot.id} is less than {decision.lead_days} days before "
                    f"'{event.title}' on {event.date}",
                )
    return None


def waits(e: Expansion, unit: Unit) -> Reason | None:
    """Hard constraint R4: pre-decision scrutiny waits until the decision is dated."""
    decision = unit.item.decision
    if decision is not None and not e.programme.events_by_id[decision.event].date.known:
        title = e.programme.events_by_id[decision.event].title
        return because(
            "R4",
            f"Waits for the date of the decision, {title}: give that event a date to place it",
            f"R4 window: waits for the date of the decision '{title}' ({decision.event})",
        )
    return None


RULE = Rule("R4", "window", prune=prune, waits=waits)
