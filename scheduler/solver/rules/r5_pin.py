"""R5 pin: `meeting:` fixes the placement; a special meeting takes only what is pinned to it."""

from __future__ import annotations

from scheduler.plan.model import Reason
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Rule, because, is_standing


def pinned_to(e: Expansion, unit: Unit) -> str | None:
    """The meeting id a unit is pinned to (a pin may name a meeting by id or date)."""
    pin = unit.item.meeting
    if pin is None:
        return None
    for slot in e.slots.values():
        day = slot.meeting.day
        if slot.body.id == unit.item.body and pin in (slot.id, day and day.isoformat()):
            return slot.id
    return pin


def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
    """Hard constraint R5: only the pinned meeting; special meetings only for pinned items."""
    pin = pinned_to(e, unit)
    if pin is not None and pin != slot.id:
        pinned = e.slots[pin]
        if pinned.open:
            text = f"It is fixed to {pinned.words}"
        else:
            text = (
                f"It is fixed to {pinned.words}, which is cancelled: fix it to another meeting "
                "or let the plan choose"
            )
        cancelled = "" if pinned.open else " (which is cancelled)"
        return because("R5", text, f"R5 pin: pinned to {pin}{cancelled}")
    if pin is None and slot.special and not is_standing(unit):
        return because(
            "R5",
            f"{slot.words} is a special meeting: it takes only the items fixed to it",
            f"R5 pin: {slot.id} is a special meeting for items pinned to it",
        )
    return None


RULE = Rule("R5", "pin", prune=prune)
