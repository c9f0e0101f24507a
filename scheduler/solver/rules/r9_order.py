"""R9 order: `after` another item (its last occurrence), an event, a meeting or a body's next
meeting by `gap_days`; `with` an item at the same meeting.

An event or meeting known only roughly ("early 2018") is waited for by its earliest possible
day; a meeting after its latest is preferred (S2 counts the days short of it), and the
placement is provisional until the day is fixed (DESIGN §4.6)."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from scheduler.plan.model import Reason
from scheduler.programme.fields import Rough
from scheduler.programme.model import After, Programme
from scheduler.programme.words import (
    capital,
    count,
    day_words,
    elsewhere_words,
    item_words,
    listing,
    long_day,
    rough_words,
)
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.rules.core import Crowd, Rule, Variables, because


def anchor(p: Programme, after: After) -> tuple[str, Rough] | None:
    """What an `after` on an event, a meeting or a body waits for: its name in words and its
    date as known (unknown for a cancelled meeting, or a body with no meeting dated yet); None
    for an `after` on an item."""
    if after.event is not None:
        event = p.events_by_id[after.event]
        return event.title, event.date
    if after.meeting is not None:
        body, meeting = p.meetings_by_id[after.meeting]
        return f"the meeting of {body.name}", (
            Rough() if meeting.status == "cancelled" else meeting.when
        )
    if after.body is not None:
        body = p.bodies_by_id[after.body]
        dated = [m for m in body.meetings if m.status != "cancelled" and m.fixed]
        first = min(dated, key=lambda m: m.date, default=None)
        return f"the next meeting of {body.name}", first.when if first else Rough()
    return None


def _waiting(p: Programme, after: After, name: str) -> str:
    """Why an item waits for what it comes after, and what the clerk can do about it."""
    if after.event is not None:
        return f"Waits for the date of {name}: give that event a date to place it"
    if after.body is not None:
        return f"Waits for {name}: give one of its meetings a date to place it"
    held = p.meetings_by_id[after.meeting][1] if after.meeting else None
    if held is not None and held.status == "cancelled":
        return (
            f"Comes after {name}, {day_words(held)}, which is cancelled: restore that meeting "
            "or make the item come after another to place it"
        )
    return f"Waits for the date of {name}: give that meeting a date to place it"


def rough(p: Programme, unit: Unit) -> list[tuple[dt.date, int]]:
    """The soft side of an `after` known roughly: for each, the day a meeting should be on or
    after (the anchor's latest day plus the gap), with the gap."""
    found = []
    for after in unit.item.after:
        held = anchor(p, after)
        if held is not None and held[1].known and held[1].day is None:
            assert held[1].latest is not None
            found.append((held[1].latest + dt.timedelta(days=after.gap_days), after.gap_days))
    return found


def provisional(p: Programme, unit: Unit) -> bool:
    """True while the unit comes after something whose day is not fixed yet."""
    return any(
        held is not None and held[1].day is None
        for held in (anchor(p, after) for after in unit.item.after)
    )


def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
    """Hard constraint R9: not before an event's or meeting's earliest day plus its gap."""
    for after in unit.item.after:
        held = anchor(e.programme, after)
        first = held[1].earliest if held else None
        if held is None or first is None:
            continue
        name, when = held
        if slot.date < first + dt.timedelta(days=after.gap_days):
            return because(
                "R9",
                f"{slot.words} is too soon: it comes {_after(after.gap_days)} {name} "
                f"({rough_words(when)})",
                f"R9 order: {slot.id} is less than {after.gap_days} days after '{name}' ({when})",
            )
    return None


def _after(gap: int) -> str:
    """`after`, or `28 days after`: how long after what it follows an item comes."""
    return f"{count(gap, 'day')} after" if gap else "after"


def waits(e: Expansion, unit: Unit) -> Reason | None:
    """Hard constraint R9: an item after something not dated at all, or after/with an item
    that waits."""
    p = e.programme
    for after in unit.item.after:
        held = anchor(p, after)
        if held is not None and not held[1].known:
            target = after.event or after.meeting or after.body
            return because(
                "R9",
                _waiting(p, after, held[0]),
                f"R9 order: waits for the date of '{held[0]}' ({target})",
            )
        if after.item is not None and (held_back := _held_back(e, after.item, "comes after")):
            return held_back
    if unit.item.with_ is not None:
        return _held_back(e, unit.item.with_, "goes with")
    return None


def _held_back(e: Expansion, other: str, link: str) -> Reason | None:
    """Why an item that comes after or goes with `other` cannot be placed: `other` is not
    placed here at all, or waits for a date itself; None when neither."""
    units = e.units_of(other)
    if units and not all(u.waits for u in units):
        return None
    why = "waits for a date itself"
    if not units:
        why = f"{elsewhere_words(e.programme.items_by_id[other])}: this programme does not place it"
    return because(
        "R9",
        f"{capital(link)} {item_words(e.programme, other)}, which {why}",
        f"R9 order: {link} '{other}', which {'waits' if units else 'is not placed here'}",
    )


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R9: gaps after other items, and `with` at the same meeting."""
    for unit in e.units:
        for after in unit.item.after:
            if after.item is not None:
                _after_item(model, e, v, unit, after.item, after.gap_days)
        if unit.item.with_ is not None:
            _with(model, e, v, unit, unit.item.with_)


def _after_item(
    model: cp_model.CpModel, e: Expansion, v: Variables, unit: Unit, other: str, gap: int
) -> None:
    enforce = v.guard(model, "R9", f"{unit.key}:after:{other}")
    for first in e.units_of(other):
        # No follow-up without the item it follows.
        model.add(v.is_placed(unit) <= v.is_placed(first)).only_enforce_if(enforce)
        for a in unit.candidates:
            for b in first.candidates:
                if e.slots[b].latest + dt.timedelta(days=gap) > e.slots[a].date:
                    model.add_bool_or(
                        [v.x[unit.key, a].Not(), v.x[first.key, b].Not()]
                    ).only_enforce_if(enforce)


def _with(model: cp_model.CpModel, e: Expansion, v: Variables, unit: Unit, other: str) -> None:
    enforce = v.guard(model, "R9", f"{unit.key}:with:{other}")
    partners = e.units_of(other)
    meetings = sorted({m for u in (unit, *partners) for m in u.candidates})
    for meeting in meetings:
        mine = v.at(unit, meeting)
        theirs = [var for u in partners if (var := v.at(u, meeting)) is not None]
        if mine is None:
            continue
        if not theirs:
            model.add(mine == 0).only_enforce_if(enforce)
        else:
            model.add(mine <= sum(theirs)).only_enforce_if(enforce)


def describe(e: Expansion, subject: str) -> Reason:
    key, link, other = subject.split(":")
    title, partner = e.units_by_key[key].title, item_words(e.programme, other)
    text = f"{title} comes after {partner}" if link == "after" else f"{title} goes with {partner}"
    words = subject.replace(":after:", " comes after ").replace(":with:", " goes with ")
    return because("R9", text, f"R9 order: {words}")


def explain(e: Expansion, unit: Unit, crowd: Crowd, meeting: str | None) -> Reason | None:
    """At `meeting`: the partner it goes `with` is elsewhere, or the item it comes `after` is
    unplaced or too late for it."""
    item, p = unit.item, e.programme
    if meeting is None:
        return None
    slot = e.slots[meeting]
    if item.with_ and meeting not in crowd.placed.get(item.with_, []):
        at = crowd.placed.get(item.with_, [])
        partner = ", ".join(at) or "not placed"
        where = f"at {listing(e.slots[m].words for m in at)}" if at else "not placed"
        return because(
            "R9",
            f"{slot.words}: it goes with {item_words(p, item.with_)}, which is {where}",
            f"R9 order: {meeting}: it goes with {item.with_}, which is {partner}",
        )
    for after in item.after:
        if after.item is None:
            continue
        held = crowd.placed.get(after.item, [])
        if not held:
            return because(
                "R9",
                f"{slot.words}: it comes after {item_words(p, after.item)}, which is not placed",
                f"R9 order: {meeting}: it comes after {after.item}, which is not placed",
            )
        last = max(e.slots[m].latest for m in held)
        days = (slot.date - last).days
        if days < after.gap_days:
            when = "is before" if days < 0 else f"is {days} day(s) after" if days else "is on"
            return because(
                "R9",
                f"{slot.words} is too soon: it comes {_after(after.gap_days)} "
                f"{item_words(p, after.item)}, last on {long_day(last)}",
                f"R9 order: {meeting} {when} the last {after.item} ({last}); it comes "
                f"{after.gap_days} days after",
            )
    return None


RULE = Rule("R9", "order", prune=prune, waits=waits, post=post, describe=describe, explain=explain)
