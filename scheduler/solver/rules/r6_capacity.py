"""R6 capacity: a meeting's items fit its agenda minutes, and its body's `limits` per kind hold."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.plan.model import Reason
from scheduler.programme.words import count, listing, the
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules.core import Crowd, Rule, Variables, because, rank


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R6: minutes and per-kind limits of every meeting."""
    at: dict[str, list[tuple[int, str, cp_model.IntVar]]] = {}
    for unit in e.units:
        for meeting in unit.candidates:
            at.setdefault(meeting, []).append(
                (unit.item.duration, unit.item.kind, v.x[unit.key, meeting])
            )
    for meeting, entries in sorted(at.items()):
        body, stated = e.slots[meeting].body, e.slots[meeting].minutes
        minutes = sum(m * var for m, _, var in entries if m)
        if stated is not None and any(m for m, _, _ in entries):
            enforce = v.guard(model, "R6", f"{meeting}:minutes")
            model.add(minutes <= stated).only_enforce_if(enforce)
        for kind, limit in sorted(body.limits.items()):
            of_kind = [var for _, k, var in entries if k == kind]
            if len(of_kind) <= limit:
                continue
            enforce = v.guard(model, "R6", f"{meeting}:{kind}")
            if limit == 1:
                model.add_at_most_one(of_kind).only_enforce_if(enforce)
            else:
                model.add(sum(of_kind) <= limit).only_enforce_if(enforce)


def describe(e: Expansion, subject: str) -> Reason:
    meeting, what = subject.rsplit(":", 1)
    slot = e.slots[meeting]
    if what == "minutes" and slot.minutes is not None:
        return because(
            "R6",
            f"{slot.words} has {slot.minutes} minutes for its agenda",
            f"R6 capacity: {meeting} holds at most {slot.minutes} minutes",
        )
    limit = next(n for kind, n in slot.body.limits.items() if kind == what)
    return because(
        "R6",
        f"{slot.words} takes at most {count(limit, what + ' item')}",
        f"R6 capacity: {meeting} holds at most {limit} {what} item(s)",
    )


def explain(e: Expansion, unit: Unit, crowd: Crowd, meeting: str | None) -> Reason | None:
    """The unit's kind is over-subscribed (meeting None); `meeting` is full of its kind or of
    minutes."""
    item = unit.item
    limit = e.slots[unit.candidates[0]].body.limits.get(item.kind)
    if meeting is None:
        if limit is None:
            return None
        rivals = [
            u
            for u in e.units
            if u.item.kind == item.kind
            and u.item.body == item.body
            and not u.waits
            and u.candidates
        ]
        meetings = e.ordinary_slots(item.body)
        seats = sum(
            min(limit, sum(u.item.kind == item.kind for u in crowd.at.get(s.id, [])))
            for s in meetings
        )
        body = e.slots[unit.candidates[0]].body
        text = (
            f"{count(len(rivals), item.kind + ' item')} for {count(len(meetings), 'meeting')} "
            f"of {the(body.name)}, which take{'s' if len(meetings) == 1 else ''} {limit} each"
        )
        placed = [u for u in rivals if u is not unit and u.key in crowd.units]
        higher = [u.title for u in placed if rank(u) > rank(unit)]
        equal = [u for u in placed if rank(u) == rank(unit)]
        before = [u.title for u in equal if e.positions[u.item.id] < e.positions[item.id]]
        kept = [u.title for u in equal if e.positions[u.item.id] >= e.positions[item.id]]
        if higher:
            text += f"; {listing(higher)} {_be(higher)} of higher priority"
        if before:
            text += f"; {listing(before)} {_be(before)} listed before it"
        if kept:  # placed by the published plan (a re-plan keeps it), or the only fit for it
            text += f"; {listing(kept)} took {'a meeting' if len(kept) == 1 else 'the meetings'}"
        return because(
            "R6",
            f"{text}: raise its priority, list it earlier or add a meeting to place it",
            f"R6 capacity: {len(rivals)} {item.kind} items compete for {len(meetings)} meetings "
            f"of '{item.body}' holding {limit} each ({seats} placed)",
        )
    here = crowd.at.get(meeting, [])
    used = sum(u.item.duration for u in here)
    same = [u.title for u in here if u.item.kind == item.kind]
    slot = e.slots[meeting]
    minutes = slot.minutes
    if limit is not None and len(same) >= limit:
        return because(
            "R6",
            f"{slot.words} already has its {count(limit, item.kind + ' item')}: {listing(same)}",
            f"R6 capacity: {meeting} already holds {limit} {item.kind} ({'; '.join(same)})",
        )
    if minutes is not None and used + item.duration > minutes:
        return because(
            "R6",
            f"{slot.words} has {minutes - used} of its {minutes} minutes free, and this item "
            f"takes {item.duration}",
            f"R6 capacity: {meeting} has {minutes - used} of {minutes} minutes free, "
            f"{item.duration} needed",
        )
    return None


def _be(things: list[str]) -> str:
    return "is" if len(things) == 1 else "are"


RULE = Rule("R6", "capacity", post=post, describe=describe, explain=explain)
