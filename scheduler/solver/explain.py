"""Why an item is unplaced, and why a programme is infeasible, in plain words.

The first half of every explanation is the pruning: each rule said why a meeting is out for a
unit (`Unit.pruned`). The second half reads the solved agendas (what fills the meetings that
were possible) or, for an infeasible programme, the conflicting rule instances that CP-SAT's
assumptions named.
"""

from __future__ import annotations

from scheduler.plan.model import Unplaced
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules.r7_rotation import sessions_and_seats


def waiting_entries(e: Expansion) -> list[Unplaced]:
    """Units held back by an undated event, with that reason."""
    return [
        Unplaced(item=u.item.id, title=u.title, occurrence=u.occurrence, reasons=list(u.waits))
        for u in e.units
        if u.waits
    ]


def unplaced_entries(e: Expansion, placements: dict[str, list[str]]) -> list[Unplaced]:
    """Units the solver left out (they could not all fit), each with its reasons."""
    out = []
    for unit in e.units:
        if unit.waits or placements.get(unit.key) or unit.item.kind == "standing" or unit.person:
            continue
        reasons = (
            pruning_reasons(unit) if not unit.candidates else crowding_reasons(e, unit, placements)
        )
        out.append(
            Unplaced(
                item=unit.item.id, title=unit.title, occurrence=unit.occurrence, reasons=reasons
            )
        )
    return out


def pruning_reasons(unit: Unit) -> list[str]:
    """Why each meeting of the body is out, one line per distinct reason."""
    by_reason: dict[str, list[str]] = {}
    for meeting, reasons in unit.pruned.items():
        for reason in reasons:
            by_reason.setdefault(reason, []).append(meeting)
    if not by_reason:
        return ["R1 placement: its body has no open meetings"]
    return [
        f"{reason} (rules out {', '.join(ms)})"
        if len(ms) > 1 and not _names_meeting(reason, ms)
        else reason
        for reason, ms in by_reason.items()
    ]


def _names_meeting(reason: str, meetings: list[str]) -> bool:
    return any(m in reason for m in meetings)


def crowding_reasons(e: Expansion, unit: Unit, placements: dict[str, list[str]]) -> list[str]:
    """What fills each meeting the unit could have used."""
    at: dict[str, list[Unit]] = {}
    placed: dict[str, list[str]] = {}  # item id -> its meetings
    for key, meetings in placements.items():
        for meeting in meetings:
            at.setdefault(meeting, []).append(e.units_by_key[key])
        placed.setdefault(e.units_by_key[key].item.id, []).extend(meetings)
    item = unit.item
    reasons = []
    limit = e.slots[unit.candidates[0]].body.limits.get(item.kind)
    if limit is not None:
        rivals = [
            u
            for u in e.units
            if u.item.kind == item.kind
            and u.item.body == item.body
            and not u.waits
            and u.candidates
        ]
        seats = sum(
            min(limit, sum(u.item.kind == item.kind for u in at.get(s.id, [])))
            for s in e.ordinary_slots(item.body)
        )
        reasons.append(
            f"R6 capacity: {len(rivals)} {item.kind} items compete for "
            f"{len(e.ordinary_slots(item.body))} meetings of '{item.body}' holding {limit} each "
            f"({seats} placed)"
        )
    for meeting in unit.candidates:
        here = at.get(meeting, [])
        used = sum(u.item.duration for u in here)
        same = [u.title for u in here if u.item.kind == item.kind]
        if limit is not None and len(same) >= limit:
            reasons.append(
                f"R6 capacity: {meeting} already holds {limit} {item.kind} ({'; '.join(same)})"
            )
        elif used + item.duration > e.slots[meeting].body.minutes:
            reasons.append(
                f"R6 capacity: {meeting} has {e.slots[meeting].body.minutes - used} of "
                f"{e.slots[meeting].body.minutes} minutes free, {item.duration} needed"
            )
        else:
            reasons.append(
                _order_reason(e, unit, meeting, placed)
                or f"{meeting}: placing it there breaks another rule or displaces an item "
                "of equal or higher priority"
            )
    reasons.extend(pruning_reasons(unit) if unit.pruned else [])
    return reasons


def _order_reason(
    e: Expansion, unit: Unit, meeting: str, placed: dict[str, list[str]]
) -> str | None:
    """R9, read off the placements (item id -> meetings): the partner it goes `with` is
    elsewhere, or the item it comes `after` is unplaced or too late for `meeting`."""
    item = unit.item
    if item.with_ and meeting not in placed.get(item.with_, []):
        partner = ", ".join(placed.get(item.with_, [])) or "not placed"
        return f"R9 order: {meeting}: it goes with {item.with_}, which is {partner}"
    for after in item.after:
        if after.item is None:
            continue
        where = placed.get(after.item, [])
        if not where:
            return f"R9 order: {meeting}: it comes after {after.item}, which is not placed"
        last = max(e.slots[m].date for m in where)
        days = (e.slots[meeting].date - last).days
        if days < after.gap_days:
            when = "is before" if days < 0 else f"is {days} day(s) after" if days else "is on"
            return (
                f"R9 order: {meeting} {when} the last {after.item} ({last}); it comes "
                f"{after.gap_days} days after"
            )
    return None


def rotation_shortfalls(e: Expansion) -> list[str]:
    """Rotations whose officers' sessions cannot fit the body's open meetings (R7), in words."""
    lines = []
    for item in e.programme.items:
        if not item.rotation or not item.placed_here:
            continue
        sessions, seats = sessions_and_seats(e, item)
        if sessions > seats:
            per_meeting = item.per_meeting or 1
            who = ", ".join(f"{person} {times}" for person, times in item.rotation.items())
            lines.append(
                f"R7 rotation: '{item.id}' needs {sessions} sessions ({who}) at {per_meeting} "
                f"a meeting, but '{item.body}' has {seats // per_meeting} open meeting(s): "
                "reduce an officer's times or add a meeting"
            )
    return lines


def conflict_explanation(e: Expansion, short: list[Unit], core: list[str]) -> list[str]:
    """Why the programme is infeasible, naming rules, items, meetings and people."""
    lines = []
    for unit in short:
        lines.append(
            f"R1 placement: '{unit.title}' ({unit.key}) must go to {unit.count} meeting(s) "
            f"but {len(unit.candidates)} of its body's meetings are possible:"
        )
        lines.extend(f"  {m}: {'; '.join(r)}" for m, r in unit.pruned.items())
    if core:
        lines.append("These rules cannot all hold together (each is needed for the conflict):")
        lines.extend(f"  {describe(e, name)}" for name in core)
        for name in core:
            named = e.units_by_key.get(name.split(":", 1)[1])
            if named is not None and named.pruned:
                lines.append(
                    f"  ('{named.title}' cannot go to: "
                    + "; ".join(f"{m}: {', '.join(r)}" for m, r in named.pruned.items())
                    + ")"
                )
    return lines or ["The rules cannot all hold together."]


def describe(e: Expansion, name: str) -> str:
    """One assumption literal's name (`RULE:subject`) in words."""
    rule, subject = name.split(":", 1)
    units = e.units_by_key
    if rule == "R1" and subject in units:
        u = units[subject]
        return (
            f"R1 placement: '{u.title}' ({u.key}) is a must at {u.count} meeting(s) "
            f"of '{u.item.body}'"
        )
    if rule == "R7" and subject in units:
        u = units[subject]
        return (
            f"R7 rotation: {u.title} ({u.key}) is scrutinised exactly {u.count} time(s), "
            f"at {len(u.candidates)} possible meeting(s) of '{u.item.body}'"
        )
    if rule == "R7":
        item, meeting = subject.split("@")
        return f"R7 rotation: {meeting} needs its rotation officer(s) for '{item}'"
    if rule == "R6":
        meeting, what = subject.rsplit(":", 1)
        slot = e.slots[meeting]
        if what == "minutes":
            return f"R6 capacity: {meeting} holds at most {slot.body.minutes} minutes"
        limit = slot.body.limits[what]  # type: ignore[index]
        return f"R6 capacity: {meeting} holds at most {limit} {what} item(s)"
    if rule == "R2":
        item, meeting = subject.split("@")
        return f"R2 standing: '{item}' stands at {meeting}"
    if rule == "R3":
        item, meeting = subject.split("@")
        return f"R3 recurring: occurrences of '{item}' at distinct meetings ({meeting})"
    if rule == "R8":
        person, meetings = subject.split("@")
        name = e.programme.people_by_id[person].name
        return (
            f"R8 people: {name} cannot attend both {meetings.replace('+', ' and ')} (they overlap)"
        )
    if rule == "R9":
        words = subject.replace(":after:", " comes after ").replace(":with:", " goes with ")
        return f"R9 order: {words}"
    if rule == "R10":
        return f"R10 frozen: {subject} is before the re-planning date; its agenda stays as it was"
    return f"{rule}: {subject}"
