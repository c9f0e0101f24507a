"""What changed between two plans of one programme, and who must be told (DESIGN §5, §8).

Pure comparison of plans: no solver. Item occurrences are matched by unit key (item and
occurrence), meetings by id, which survives a move (§4.3). A re-plan uses this for its
`changes`; the service can diff any two plan versions the same way. Each change carries one
sentence for people (`text`: meetings by body and date, items by title, DESIGN §5 "Words"); its
ids stay in its fields.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from scheduler.plan.days import planned_day_words, recorded, recorded_words
from scheduler.plan.model import AgendaEntry, Change, Plan, PlannedMeeting, Reason, unit_key
from scheduler.programme.model import Programme
from scheduler.programme.words import (
    contact_words,
    day_words,
    item_words,
    long_day,
    meeting_words,
)

#: Why a unit left a meeting: (unit key, meeting id) -> reasons in words.
Why = Callable[[str, str], list[Reason]]


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
    names = _Names(
        programme,
        old.meetings | new.meetings,
        {key: entry.title for key, entry in (old.entries | new.entries).items()},
    )
    changes = [*_meeting_changes(programme, old, new), *_item_changes(programme, old, new, why)]
    return [c.model_copy(update={"text": names.sentence(c)}) for c in changes]


def _meeting_changes(programme: Programme, old: _Side, new: _Side) -> Iterator[Change]:
    ids = sorted(
        old.meetings.keys() | new.meetings.keys(),
        key=lambda m: (_sort_day(new.meetings.get(m) or old.meetings[m]), m),
    )
    for mid in ids:
        before, after = old.meetings.get(mid), new.meetings.get(mid)
        tell = _meeting_people(programme, before, after)
        if before is None and after is not None:
            yield Change(meeting=mid, change="added", to=_day_text(after), tell=tell)
        elif after is None and before is not None:
            yield Change(meeting=mid, change="removed", from_=_day_text(before), tell=tell)
        elif before is not None and after is not None:
            for change, was, now in (
                ("date", _day_text(before), _day_text(after)),
                ("time", _clock(before), _clock(after)),
                ("venue", before.venue, after.venue),
                ("status", before.status, after.status),
            ):
                if was != now:
                    yield Change(meeting=mid, change=change, from_=was, to=now, tell=tell)


def _meeting_people(
    programme: Programme, before: PlannedMeeting | None, after: PlannedMeeting | None
) -> list[str]:
    """The body's members, chair, vice-chair and clerk, and everyone on either agenda: its
    people and the items' invitees."""
    held = after or before
    body = programme.bodies_by_id.get(held.body) if held else None
    people = set()
    if body is not None:
        people |= body.roster
    for meeting in (before, after):
        for entry in meeting.agenda if meeting else ():
            people |= set(entry.people)
            item = programme.items_by_id.get(entry.item)
            people |= set(item.invitees) if item else set()
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
            day = _sort_day(old.meetings[where] if source else new.meetings[where])
            found.append(((day, key), change))
    yield from (change for _, change in sorted(found, key=lambda pair: pair[0]))


@dataclass(frozen=True)
class _Names:
    """Meetings by body and date, item occurrences by title, as people read them: from the
    plans when they hold them (a meeting since removed, an officer's title), else the programme."""

    p: Programme
    meetings: Mapping[str, PlannedMeeting]
    titles: Mapping[str, str]

    def sitting(self, meeting: str) -> tuple[str, str] | None:
        """The body id of `meeting` and its date in words (what is known of it, DESIGN §4.6)."""
        held = self.meetings.get(meeting)
        if held is not None:
            return held.body, long_day(held.date) if held.date else planned_day_words(held)
        found = self.p.meetings_by_id.get(meeting)
        return (found[0].id, day_words(found[1])) if found else None

    def meeting(self, meeting: str, day: dt.date | None = None, beside: str = "") -> str:
        """`meeting` by body and date (`day` for another date than its own); the date alone when
        it follows `beside`, a meeting of the same body ("from ..., date to date")."""
        sitting = self.sitting(meeting)
        if sitting is None:
            return meeting_words(self.p, meeting, day)
        body, held = sitting
        other = self.sitting(beside) if beside else None
        when = long_day(day) if day else held
        if other is not None and other[0] == body:
            return when
        found = self.p.bodies_by_id.get(body)
        return f"{found.name if found else body}, {when}"

    def body_name(self, meeting: str) -> str:
        """The name of the body `meeting` is of (its id as it is when unknown)."""
        sitting = self.sitting(meeting)
        body = self.p.bodies_by_id.get(sitting[0]) if sitting else None
        return body.name if body else sitting[0] if sitting else meeting

    def unit(self, item: str, occurrence: str | None) -> str:
        """An item occurrence by its agenda title (the period filled in, the officer named)."""
        title = self.titles.get(unit_key(item, occurrence))
        if title:
            return title
        title = item_words(self.p, item)
        person = self.p.people_by_id.get(occurrence or "")
        if person is not None:
            return f"{title}: {person.name}"
        return f"{title} ({occurrence})" if occurrence else title

    def sentence(self, c: Change) -> str:
        """The change in one sentence: the meeting or item first, then what happens to it."""
        if c.meeting:
            return self.meeting_sentence(c.meeting, c)
        what = self.unit(c.item or "", c.occurrence)
        source, target = c.from_ or "", c.to or ""
        if c.change == "moved":
            to = self.meeting(target, beside=source)
            return f"{what} moves from {self.meeting(source)} to {to}"
        if c.change == "placed":
            return f"{what} goes on the agenda of {self.meeting(target)}"
        return f"{what} comes off the agenda of {self.meeting(source)} and is not placed elsewhere"

    def meeting_sentence(self, meeting: str, c: Change) -> str:
        was, now = c.from_ or "", c.to or ""
        if c.change in ("date", "removed"):  # named by the date it had, or what was known of it
            named = self.meeting(meeting, _date(was))
            if _date(was) is None and was:
                named = f"{self.body_name(meeting)}, {recorded_words(was)}"
            if c.change == "removed":
                return f"{named} is removed from the programme"
            day = _date(now)
            if _date(was) is None and day is not None and was != "":  # its day is set
                return f"{named} now has its day: {long_day(day)}"
            if day is None:  # postponed: what is known of its new day, or nothing
                return f"{named} no longer has a fixed day: {recorded_words(now)}"
            return f"{named} moves to {long_day(day)}"
        named = self.meeting(meeting)
        if c.change == "added":
            return f"{named} is added to the programme"
        if c.change == "time":
            return f"{named} now starts at {now}, not {was}"
        if c.change == "venue":
            if not now:
                return f"{named} no longer has a venue (it was {was})"
            return f"{named} now meets at {now}" + (f", not {was}" if was else "")
        status = {
            "cancelled": "is cancelled",
            "tentative": "is now provisional",
            "postponed": "is postponed",
        }
        after = "is confirmed" if was in ("tentative", "postponed") else "is no longer cancelled"
        return f"{named} {status.get(now, after)}"


def _day_text(m: PlannedMeeting) -> str:
    """A meeting's date as a change records it: ISO once fixed, else what is known (`2025-01`),
    `null` when nothing is."""
    return m.date.isoformat() if m.date else m.when or "null"


def _clock(m: PlannedMeeting) -> str:
    """A meeting's start as a change records it: HH:MM, `not stated` for a body with no time."""
    return f"{m.start:%H:%M}" if m.start else "not stated"


def _sort_day(m: PlannedMeeting) -> dt.date:
    """The day a change about `m` is ordered by: its day, else its earliest possible one."""
    if m.date is not None:
        return m.date
    return recorded(m.when).earliest or dt.date.max


def _date(text: str) -> dt.date | None:
    """A change's ISO date (None for anything else: a hand-made plan's changes are free text)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def reason_details(reason: Reason) -> str:
    """A reason as a clerk's "details" show it: `[R9] details` (the rule once), '' for none."""
    details = reason.details or ""
    if reason.rule and not details.startswith(reason.rule):
        return f"[{reason.rule}] {details}".rstrip()
    return details


def changes_text(programme: Programme, changes: Sequence[Change], verbose: bool = False) -> str:
    """The changes for a terminal or an e-mail: each in a sentence, why, and whom to tell (names
    and e-mail addresses, once for a meeting's or an item's changes together). `verbose` adds
    each change's ids and each reason's rule and details.

    Args:
        programme: the programme of the plan (people's names and addresses; the meetings and
            titles of changes made before they carried their sentence).
        changes: the plan's changes, as `diff` orders them.
        verbose: also the ids and rules, for a clerk who reads the JSON too.
    """
    names, lines = _Names(programme, {}, {}), []
    for _, run in itertools.groupby(changes, key=lambda c: (c.meeting, c.item, c.occurrence)):
        group = list(run)
        for c in group:
            lines.append(c.text or names.sentence(c))
            if verbose:
                lines.append(f"  [{_ids(c)}]")
            for reason in c.reasons:
                lines.append(f"  why: {reason.text}")
                if verbose and (details := reason_details(reason)):
                    lines.append(f"       {details}")
        tell = dict.fromkeys(person for c in group for person in c.tell)
        if tell:
            people = (_contact(programme, person, verbose) for person in tell)
            lines.append(f"  tell: {', '.join(people)}")
    if not changes:
        lines.append("No changes.")
    return "\n".join(lines) + "\n"


def _ids(c: Change) -> str:
    """A change by its ids: `moved camhs: select-2017-10-17 -> select-2018-02-27`."""
    what = f"meeting {c.meeting}" if c.meeting else c.item or ""
    if c.occurrence:
        what += f" ({c.occurrence})"
    return f"{c.change} {what}: {c.from_ or '-'} -> {c.to or '-'}"


def _contact(programme: Programme, person: str, verbose: bool) -> str:
    return contact_words(programme, person) + (f" [{person}]" if verbose else "")
