"""What changed between two plans of one programme, and who must be told (DESIGN §5, §8).

Pure comparison of plans: no solver. Item occurrences are matched by unit key (item and
occurrence), meetings by id, which survives a move (§4.3). A re-plan uses this for its
`changes`; the service can diff any two plan versions the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from scheduler.plan.model import AgendaEntry, Change, Plan, PlannedMeeting, unit_key
from scheduler.programme.model import Programme

#: Why a unit left a meeting: (unit key, meeting id) -> reasons in words.
Why = Callable[[str, str], list[str]]


@dataclass(frozen=True)
class _Side:
    """One plan, indexed: each unit's meetings (plan order) and agenda entry, each meeting."""

    meetings: dict[str, PlannedMeeting]
    units: dict[str, list[str]]
    entries: dict[str, AgendaEntry]

    @classmethod
    def of(cls, plan: Plan) -> _Side:
        units: dict[str, list[str]] = {}
        entries: dict[str, AgendaEntry] = {}
        for meeting in plan.meetings:
            for entry in meeting.agenda:
                key = unit_key(entry.item, entry.occurrence)
                units.setdefault(key, []).append(meeting.id)
                entries.setdefault(key, entry)
        return cls({m.id: m for m in plan.meetings}, units, entries)

    def open(self, meeting: str) -> bool:
        return meeting in self.meetings and self.meetings[meeting].status != "cancelled"


def unit_meetings(plan: Plan) -> dict[str, list[str]]:
    """Unit key -> the meetings the plan gives it, in the plan's (date) order."""
    return _Side.of(plan).units


def _standing(programme: Programme, entry: AgendaEntry) -> bool:
    """A standing item, in the previous plan or now: it follows its meetings, never moves."""
    item = programme.items_by_id.get(entry.item)
    return entry.kind == "standing" or (item is not None and item.kind == "standing")


def movable_meetings(programme: Programme, plan: Plan) -> dict[str, list[str]]:
    """Like `unit_meetings`, without standing items: they follow their meetings, never move."""
    return _movable(programme, _Side.of(plan))


def _movable(programme: Programme, side: _Side) -> dict[str, list[str]]:
    return {
        key: meetings
        for key, meetings in side.units.items()
        if not _standing(programme, side.entries[key])
    }


def diff(programme: Programme, previous: Plan, plan: Plan, why: Why | None = None) -> list[Change]:
    """Every change from `previous` to `plan`: meetings first (date order), then items.

    Args:
        programme: the programme of `plan` (for bodies' members and items' weights).
        previous: the plan before.
        plan: the plan after.
        why: reasons an occurrence left a meeting, when the caller knows them (a re-plan does).
    """
    old, new = _Side.of(previous), _Side.of(plan)
    return [*_meeting_changes(programme, old, new), *_item_changes(programme, old, new, why)]


def _meeting_changes(programme: Programme, old: _Side, new: _Side) -> Iterator[Change]:
    ids = sorted(
        old.meetings.keys() | new.meetings.keys(),
        key=lambda m: ((new.meetings.get(m) or old.meetings[m]).date, m),
    )
    for mid in ids:
        before, after = old.meetings.get(mid), new.meetings.get(mid)
        tell = _meeting_people(programme, before, after)
        if before is None and after is not None:
            yield Change(meeting=mid, change="added", to=after.date.isoformat(), tell=tell)
        elif after is None and before is not None:
            yield Change(meeting=mid, change="removed", from_=before.date.isoformat(), tell=tell)
        elif before is not None and after is not None:
            for change, was, now in (
                ("date", before.date.isoformat(), after.date.isoformat()),
                ("time", f"{before.start:%H:%M}", f"{after.start:%H:%M}"),
                ("venue", before.venue, after.venue),
                ("status", before.status, after.status),
            ):
                if was != now:
                    yield Change(meeting=mid, change=change, from_=was, to=now, tell=tell)


def _meeting_people(
    programme: Programme, before: PlannedMeeting | None, after: PlannedMeeting | None
) -> list[str]:
    """The body's members, chair, vice-chair and clerk, and everyone on either agenda."""
    held = after or before
    body = programme.bodies_by_id.get(held.body) if held else None
    people = set()
    if body is not None:
        people |= body.roster
    for meeting in (before, after):
        for entry in meeting.agenda if meeting else ():
            people |= set(entry.people)
    return sorted(people)


def _item_changes(
    programme: Programme, old: _Side, new: _Side, why: Why | None
) -> Iterator[Change]:
    found: list[tuple[tuple[dt.date, str], Change]] = []
    for key in sorted(old.units.keys() | new.units.keys()):
        was, now = old.units.get(key, []), new.units.get(key, [])
        entry = old.entries.get(key) or new.entries[key]
        gone = [m for m in was if m not in now]
        came = [m for m in now if m not in was]
        if _standing(programme, entry):  # only at meetings open in both: no pairs, no moves
            gone = [m for m in gone if old.open(m) and new.open(m)]
            came = [m for m in came if old.open(m) and new.open(m)]
            pairs: list[tuple[str | None, str | None]] = [(m, None) for m in gone]
            pairs += [(None, m) for m in came]
        else:
            pairs = list(zip(gone, came, strict=False))
            pairs += [(m, None) for m in gone[len(came) :]] + [(None, m) for m in came[len(gone) :]]
        people = sorted(
            {p for side in (old, new) if key in side.entries for p in side.entries[key].people}
        )
        for source, target in pairs:
            kind = "moved" if source and target else "unplaced" if source else "placed"
            change = Change(
                item=entry.item,
                occurrence=entry.occurrence,
                change=kind,
                from_=source,
                to=target,
                tell=people,
                reasons=why(key, source) if why and source else [],
            )
            where = source or target or ""
            day = (old.meetings[where] if source else new.meetings[where]).date
            found.append(((day, key), change))
    yield from (change for _, change in sorted(found, key=lambda pair: pair[0]))


def changes_text(changes: list[Change]) -> str:
    """The changes one per line, for a terminal or an e-mail: what, from, to, why, whom to tell."""
    lines = []
    for c in changes:
        what = f"meeting {c.meeting}" if c.meeting else c.item or ""
        if c.occurrence:
            what += f" ({c.occurrence})"
        step = f"{c.from_ or '-'} -> {c.to or '-'}"
        lines.append(f"{c.change:<9} {what}: {step}")
        lines.extend(f"          why: {reason}" for reason in c.reasons)
        if c.tell:
            lines.append(f"          tell: {', '.join(c.tell)}")
    if not changes:
        lines.append("no changes")
    return "\n".join(lines) + "\n"
