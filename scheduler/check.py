"""Check any plan, hand-made or solved, against the hard rules R1-R10 (DESIGN §4.5).

Each rule is restated here in plain Python, one function per rule (`check_r1` ... `check_r10`,
listed in order in `CHECKS`), written without the solver's code so that a solved plan is verified
by code that does not share its bugs. A breach names the rule, the item or meeting, and the
person where there is one.

Conventions of the plan (the contract with the solver):
    - `plan.meetings` lists every meeting of the programme by id (cancelled ones may be left out,
      and must have no agenda); body, date, start, end and status match the programme.
    - An entry's `occurrence` is None for an ordinary or standing item, the period label
      (`2017/18 Q1`, `2017/18 H2`) for a recurring item, and the person's id for a rotation item.
    - Whatever is not placed is listed in `plan.unplaced` as (item, occurrence); an entry with
      occurrence None covers every occurrence of a recurring item.
    - The programme (its dates, durations, people) is the truth: entries at unknown or cancelled
      meetings count for nothing but their own R1 breach.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from scheduler.model import After, Body, Item, Meeting, Programme
from scheduler.plan import AgendaEntry, Plan, PlannedMeeting

#: The short name of each hard rule, as it opens a breach's message.
RULE_NAMES = {
    "R1": "placement",
    "R2": "standing",
    "R3": "recurring",
    "R4": "window",
    "R5": "pin",
    "R6": "capacity",
    "R7": "rotation",
    "R8": "people",
    "R9": "order",
    "R10": "frozen",
}


@dataclass(frozen=True, order=True)
class Breach:
    """One breach of one hard rule.

    Attributes:
        rule: the rule id, "R1" to "R10".
        subject: the meeting id, item id, or "item@occurrence" the breach is about.
        message: the breach in plain words, opening with the rule, e.g.
            "R6 capacity: select-2017-10-17 uses 165 of 150 minutes".
    """

    rule: str
    subject: str
    message: str

    def __str__(self) -> str:
        return self.message


def _breach(rule: str, subject: str, text: str) -> Breach:
    return Breach(rule, subject, f"{rule} {RULE_NAMES[rule]}: {text}")


def _subject(item: str, occurrence: str | None) -> str:
    return item if occurrence is None else f"{item}@{occurrence}"


@dataclass(frozen=True)
class _Placed:
    """One agenda entry at a non-cancelled meeting of the programme."""

    entry: AgendaEntry
    meeting: Meeting
    body: Body

    @property
    def date(self) -> dt.date:
        return self.meeting.date

    @property
    def where(self) -> str:
        return self.meeting.key

    @property
    def subject(self) -> str:
        return _subject(self.entry.item, self.entry.occurrence)


class _View:
    """A plan read against its programme: the entries that count, by item."""

    def __init__(self, programme: Programme, plan: Plan) -> None:
        self.programme = programme
        self.planned: dict[str, PlannedMeeting] = {}
        for planned in plan.meetings:
            self.planned.setdefault(planned.id, planned)
        self.placed: list[_Placed] = []
        for planned in self.planned.values():
            found = programme.meetings_by_id.get(planned.id)
            if found and found[1].status != "cancelled":
                self.placed += [_Placed(e, found[1], found[0]) for e in planned.agenda]
        self.by_item: dict[str, list[_Placed]] = defaultdict(list)
        for placed in self.placed:
            self.by_item[placed.entry.item].append(placed)
        self.unplaced = {(u.item, u.occurrence) for u in plan.unplaced}

    def meetings_of(self, item_id: str) -> set[str]:
        return {p.where for p in self.by_item.get(item_id, [])}

    def listed_unplaced(self, item_id: str, occurrence: str | None) -> bool:
        return (item_id, occurrence) in self.unplaced or (item_id, None) in self.unplaced

    def entries(self) -> Iterator[tuple[_Placed, Item]]:
        """Each counted entry with its programme item (entries of unknown items are left out)."""
        for placed in self.placed:
            item = self.programme.items_by_id.get(placed.entry.item)
            if item is not None:
                yield placed, item


def _open_meetings(body: Body) -> list[Meeting]:
    return sorted((m for m in body.meetings if m.status != "cancelled"), key=lambda m: m.date)


def _span(body: Body, meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(meeting.date, meeting.start or body.start)
    return start, start + dt.timedelta(minutes=body.minutes)


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods(programme: Programme, item: Item) -> dict[str, dt.date]:
    """The occurrences of a recurring item: period label -> release date, in date order.

    One per quarter (or half-year) of any financial year whose release date (last day of the
    period + `release_days`) falls inside the programme's year. Empty for other items.
    """
    if item.every is None or programme.year.start is None or programme.year.end is None:
        return {}
    step, letter = (3, "Q") if item.every == "quarter" else (6, "H")
    first, last = programme.year.start, programme.year.end
    found: dict[str, dt.date] = {}
    for fy in range(first.year - item.release_days // 365 - 2, last.year + 1):
        start = programme.fy_start(fy)
        for n in range(1, 12 // step + 1):
            end = _add_months(start, step * n) - dt.timedelta(days=1)
            release = end + dt.timedelta(days=item.release_days)
            if first <= release <= last:
                found[f"{fy}/{(fy + 1) % 100:02d} {letter}{n}"] = release
    return found


# Hard rules


def check_r1(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R1 placement: every item at exactly `times` meetings of its body, or listed unplaced.

    Also: the plan's meetings are the programme's; a cancelled meeting has no agenda; no entry
    twice at a meeting; a delegated item on no agenda; a `must` item unplaced only when an
    undated event or an unplaced partner holds it.
    """
    view = _View(programme, plan)
    return [*_r1_meetings(view, plan), *_r1_entries(view), *_r1_items(view, plan)]


def _r1_meetings(view: _View, plan: Plan) -> Iterator[Breach]:
    for mid, count in Counter(m.id for m in plan.meetings).items():
        if count > 1:
            yield _breach("R1", mid, f"meeting {mid} is listed {count} times")
    for planned in view.planned.values():
        found = view.programme.meetings_by_id.get(planned.id)
        if found is None:
            yield _breach("R1", planned.id, f"the programme has no meeting {planned.id}")
        else:
            yield from _r1_meeting_matches(planned, *found)
    for mid, (_, meeting) in view.programme.meetings_by_id.items():
        if meeting.status != "cancelled" and mid not in view.planned:
            yield _breach("R1", mid, f"meeting {mid} is missing from the plan")


def _r1_meeting_matches(planned: PlannedMeeting, body: Body, meeting: Meeting) -> Iterator[Breach]:
    start, end = _span(body, meeting)
    want = {
        "body": body.id,
        "date": meeting.date.isoformat(),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "status": meeting.status,
    }
    for key, value in want.items():
        if getattr(planned, key) != value:
            text = f"{planned.id} has {key} {getattr(planned, key)}; the programme says {value}"
            yield _breach("R1", planned.id, text)
    if meeting.status == "cancelled" and planned.agenda:
        text = f"{planned.id} is cancelled but has {len(planned.agenda)} agenda entries"
        yield _breach("R1", planned.id, text)


def _r1_entries(view: _View) -> Iterator[Breach]:
    items = view.programme.items_by_id
    for placed in view.placed:
        item, where = items.get(placed.entry.item), placed.where
        if item is None:
            yield _breach("R1", placed.subject, f"{placed.entry.item} at {where} is not an item")
        elif item.body != placed.body.id:
            text = f"{item.id} is at {where}, a meeting of {placed.body.id}, not of {item.body}"
            yield _breach("R1", placed.subject, text)
        elif not item.placed_here:
            text = f"{item.id} is delegated to {item.delegated_to} but is at {where}"
            yield _breach("R1", placed.subject, text)
        elif (problem := _occurrence_problem(view.programme, item, placed.entry)) is not None:
            yield _breach("R1", placed.subject, f"{item.id} at {where} {problem}")
    twice = Counter((p.where, p.entry.item, p.entry.occurrence) for p in view.placed)
    for (where, item_id, occurrence), count in twice.items():
        item = items.get(item_id)
        if count > 1 and (item is None or item.kind != "scrutiny"):
            subject = _subject(item_id, occurrence)
            yield _breach("R1", subject, f"{subject} is at {where} {count} times")


def _occurrence_problem(programme: Programme, item: Item, entry: AgendaEntry) -> str | None:
    """What is wrong with an entry's occurrence (rotation people are R7's business)."""
    if item.kind == "scrutiny":
        return None
    if item.every is None:
        return (
            None if entry.occurrence is None else f"has occurrence {entry.occurrence}; it has none"
        )
    labels = periods(programme, item)
    if entry.occurrence in labels:
        return None
    return f"has occurrence {entry.occurrence}, not one of {', '.join(labels) or 'none'}"


def _r1_items(view: _View, plan: Plan) -> Iterator[Breach]:
    for item in view.programme.items:
        if not item.placed_here or item.kind in ("standing", "scrutiny"):
            continue
        if item.every is None:
            yield from _r1_count(view, item, None, item.times)
        for label in periods(view.programme, item):
            yield from _r1_count(view, item, label, 1)
    for unplaced in plan.unplaced:
        if unplaced.item not in view.programme.items_by_id:
            text = f"{unplaced.item} is listed unplaced but is not an item"
            yield _breach("R1", unplaced.item, text)


def _r1_count(view: _View, item: Item, occurrence: str | None, times: int) -> Iterator[Breach]:
    placed = view.by_item.get(item.id, [])
    where = list(dict.fromkeys(p.where for p in placed if p.entry.occurrence == occurrence))
    subject, listed = _subject(item.id, occurrence), view.listed_unplaced(item.id, occurrence)
    if where and listed:
        yield _breach("R1", subject, f"{subject} is placed but also listed unplaced")
    if where and len(where) != times:
        text = f"{subject} is at {len(where)} meetings ({', '.join(where)}) instead of {times}"
        yield _breach("R1", subject, text)
    if not where and not listed:
        yield _breach("R1", subject, f"{subject} is neither placed nor listed unplaced")
    if not where and item.importance == "must" and not _held(view, item, frozenset()):
        yield _breach("R1", subject, f"{subject} is a must item but is unplaced")


def _held(view: _View, item: Item, seen: frozenset[str]) -> bool:
    """True when an undated event (through after/decision/with) or an unplaced partner holds it."""
    events = [a.event for a in item.after if a.event] + [d.event for d in [item.decision] if d]
    dated = view.programme.events_by_id
    if any(e in dated and dated[e].date is None for e in events):
        return True
    partners = [a.item for a in item.after if a.item] + [w for w in [item.with_] if w]
    for partner_id in partners:
        partner = view.programme.items_by_id.get(partner_id)
        if partner is None or partner_id in seen:
            continue
        if not view.by_item.get(partner_id) or _held(view, partner, seen | {item.id}):
            return True
    return False


def check_r2(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R2 standing: a standing item is at exactly the meetings of its body it belongs to.

    That is every non-cancelled meeting, except special ones unless the item says `special`;
    with `follows: B`, only meetings with a meeting of B since the body's previous meeting.
    """
    view, found = _View(programme, plan), []
    for item in programme.items:
        body = programme.bodies_by_id.get(item.body)
        if item.kind != "standing" or not item.placed_here or body is None:
            continue
        present = view.meetings_of(item.id)
        for meeting in _open_meetings(body):
            misfit = _standing_misfit(programme, item, body, meeting)
            if misfit is None and meeting.key not in present:
                found.append(_breach("R2", item.id, f"{item.id} is missing from {meeting.key}"))
            elif misfit is not None and meeting.key in present:
                text = f"{item.id} is at {meeting.key}, where it does not belong: {misfit}"
                found.append(_breach("R2", item.id, text))
    return found


def _standing_misfit(programme: Programme, item: Item, body: Body, meeting: Meeting) -> str | None:
    """Why standing `item` does not belong at `meeting`, or None when it does."""
    if meeting.special and not item.special:
        return "a special meeting"
    if item.follows and not _follows(programme, body, meeting, item.follows):
        return f"no meeting of {item.follows} since the previous meeting of {body.id}"
    return None


def _follows(programme: Programme, body: Body, meeting: Meeting, other_id: str) -> bool:
    """True when body `other_id` met since `body`'s previous meeting (its first: in the year)."""
    other = programme.bodies_by_id.get(other_id)
    earlier = [m.date for m in _open_meetings(body) if m.date < meeting.date]
    since = max(earlier) if earlier else (programme.year.start or dt.date.min)
    return other is not None and any(since <= m.date < meeting.date for m in _open_meetings(other))


def check_r3(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R3 recurring: each occurrence on or after its release date; occurrences apart."""
    view, found = _View(programme, plan), []
    for placed, item in view.entries():
        release = periods(programme, item).get(placed.entry.occurrence or "")
        if release is not None and placed.date < release:
            text = f"{placed.subject} is at {placed.where} ({placed.date}), before its release on {release}"
            found.append(_breach("R3", placed.subject, text))
    for item in programme.items:
        if item.every is None:
            continue
        labels: dict[str, set[str]] = defaultdict(set)
        for placed in view.by_item.get(item.id, []):
            labels[placed.where].add(placed.entry.occurrence or "none")
        for where, here in labels.items():
            if len(here) > 1:
                text = (
                    f"{item.id} has {len(here)} occurrences at {where} ({', '.join(sorted(here))})"
                )
                found.append(_breach("R3", item.id, text))
    return found


def check_r4(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R4 window: only meetings inside `window`, and `lead_days` before a `decision`."""
    view, found = _View(programme, plan), []
    for placed, item in view.entries():
        at = f"{placed.subject} is at {placed.where} ({placed.date})"
        if item.window is not None and placed.date not in item.window:
            found.append(_breach("R4", placed.subject, f"{at}, outside its window {item.window}"))
        event = programme.events_by_id.get(item.decision.event) if item.decision else None
        if item.decision is None or event is None:
            continue
        if event.date is None:
            text = f"{at}, but its decision {event.id} has no date yet: it must stay unplaced"
            found.append(_breach("R4", placed.subject, text))
        elif placed.date > (latest := event.date - dt.timedelta(days=item.decision.lead_days)):
            text = f"{at}, after {latest} ({item.decision.lead_days} days before {event.id} on {event.date})"
            found.append(_breach("R4", placed.subject, text))
    return found


def check_r5(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R5 pin: a pinned item only at its meeting; a special meeting takes only its pins."""
    view, found = _View(programme, plan), []
    for placed, item in view.entries():
        if item.meeting is not None and item.meeting not in (placed.where, placed.date.isoformat()):
            text = f"{placed.subject} is pinned to {item.meeting} but is at {placed.where}"
            found.append(_breach("R5", placed.subject, text))
        elif placed.meeting.special and item.meeting is None and item.kind != "standing":
            text = (
                f"{placed.subject} is at special meeting {placed.where}, which takes only its pins"
            )
            found.append(_breach("R5", placed.subject, text))
    return found


def check_r6(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R6 capacity: a meeting's items fit its body's `minutes`; `limits` per kind hold.

    Minutes are the items' own; each entry must say them, and `minutes_used` their sum.
    """
    found = []
    for planned in _View(programme, plan).planned.values():
        used = sum(e.minutes for e in planned.agenda)
        if planned.minutes_used != used:
            text = f"{planned.id} states {planned.minutes_used} minutes used; its agenda has {used}"
            found.append(_breach("R6", planned.id, text))
        place = programme.meetings_by_id.get(planned.id)
        if place is not None and place[1].status != "cancelled":
            found += _r6_capacity(programme, place[0], planned)
    return found


def _r6_capacity(programme: Programme, body: Body, planned: PlannedMeeting) -> Iterator[Breach]:
    minutes, kinds = 0, Counter[str]()
    for entry in planned.agenda:
        item = programme.items_by_id.get(entry.item)
        minutes += entry.minutes if item is None else item.duration
        kinds[entry.kind if item is None else item.kind] += 1
        if item is not None and entry.minutes != item.duration:
            subject = _subject(entry.item, entry.occurrence)
            text = f"{subject} at {planned.id} is given {entry.minutes} minutes; it takes {item.duration}"
            yield _breach("R6", subject, text)
    if minutes > body.minutes:
        yield _breach("R6", planned.id, f"{planned.id} uses {minutes} of {body.minutes} minutes")
    for kind, limit in body.limits.items():
        if kinds[kind] > limit:
            text = f"{planned.id} has {kinds[kind]} {kind} items, more than its limit of {limit}"
            yield _breach("R6", planned.id, text)


def check_r7(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R7 rotation: `per_meeting` rotation people a meeting; each person exactly `times`.

    Exactly `per_meeting` at each non-cancelled, non-special meeting of the body when the
    year's total of `times` allows, else at most; nobody twice at one meeting.
    """
    view, found = _View(programme, plan), []
    for item in programme.items:
        body = programme.bodies_by_id.get(item.body)
        if item.kind == "scrutiny" and item.rotation and item.placed_here and body is not None:
            placed = view.by_item.get(item.id, [])
            found += [*_r7_people(item, item.rotation, placed), *_r7_meetings(body, item, placed)]
    return found


def _r7_people(item: Item, rotation: dict[str, int], placed: list[_Placed]) -> Iterator[Breach]:
    where: dict[str, list[str]] = defaultdict(list)
    for p in placed:
        if p.entry.occurrence in rotation:
            where[p.entry.occurrence].append(p.where)
        else:
            text = f"{item.id} at {p.where} names {p.entry.occurrence}, who is not in its rotation"
            yield _breach("R7", p.subject, text)
    for person, times in rotation.items():
        subject, meetings = _subject(item.id, person), list(dict.fromkeys(where[person]))
        for meeting, count in Counter(where[person]).items():
            if count > 1:
                yield _breach(
                    "R7", subject, f"{person} is at {meeting} {count} times for {item.id}"
                )
        if len(meetings) != times:
            text = f"{person} is at {len(meetings)} meetings ({', '.join(meetings) or 'none'}) for {item.id} instead of {times}"
            yield _breach("R7", subject, text)


def _r7_meetings(body: Body, item: Item, placed: list[_Placed]) -> Iterator[Breach]:
    rotation, per = item.rotation or {}, item.per_meeting or 1
    regular = [m for m in _open_meetings(body) if not m.special]
    exact = sum(rotation.values()) >= per * len(regular)
    people: dict[str, set[str]] = defaultdict(set)
    for p in placed:
        if p.entry.occurrence in rotation:
            people[p.where].add(p.entry.occurrence)
    for meeting in regular:
        count = len(people[meeting.key])
        if count > per or (exact and count != per):
            need = "exactly" if exact else "at most"
            text = f"{meeting.key} has {count} rotation people for {item.id}; it needs {need} {per}"
            yield _breach("R7", meeting.key, text)


def check_r8(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R8 people: whoever an entry needs is listed, available that day, and not needed
    at two meetings whose times overlap."""
    view, found = _View(programme, plan), []
    needs: dict[str, dict[str, _Placed]] = defaultdict(dict)
    for placed, item in view.entries():
        rotation = item.rotation or {}
        own = [placed.entry.occurrence] if placed.entry.occurrence in rotation else []
        required = [*item.witnesses, *item.presenters, *[p for p in own if p]]
        missing = [p for p in required if p not in placed.entry.people]
        if missing:
            text = f"{placed.subject} at {placed.where} leaves out {', '.join(missing)}"
            found.append(_breach("R8", placed.subject, text))
        for person in dict.fromkeys([*placed.entry.people, *required]):
            found += _r8_available(programme, person, placed)
            needs[person].setdefault(placed.where, placed)
    for person, at in needs.items():
        found += _r8_overlaps(person, list(at.values()))
    return found


def _r8_available(programme: Programme, person_id: str, placed: _Placed) -> Iterator[Breach]:
    person = programme.people_by_id.get(person_id)
    if person is None:
        text = f"{placed.subject} at {placed.where} needs {person_id}, who is not in people"
        yield _breach("R8", placed.subject, text)
    elif not person.available(placed.date):
        text = f"{person_id} is needed for {placed.subject} at {placed.where} but is unavailable on {placed.date}"
        yield _breach("R8", placed.subject, text)


def _r8_overlaps(person: str, placements: list[_Placed]) -> Iterator[Breach]:
    spans = sorted((*_span(p.body, p.meeting), p.where) for p in placements)
    for index, (start, end, where) in enumerate(spans):
        for other_start, other_end, other in spans[index + 1 :]:
            if other_start >= end:
                break
            text = (
                f"{person} is needed at {where} ({start:%H:%M}-{end:%H:%M}) and at {other} "
                f"({other_start:%H:%M}-{other_end:%H:%M}) on {start:%Y-%m-%d}, which overlap"
            )
            yield _breach("R8", where, text)


def check_r9(programme: Programme, plan: Plan) -> list[Breach]:
    """Hard R9 order: `after` an item's last meeting or an event by `gap_days`; `with` together."""
    view, found = _View(programme, plan), []
    for item in programme.items:
        placed = view.by_item.get(item.id, [])
        for after in item.after:
            found += _r9_after(view, item, after, placed)
        partner = programme.items_by_id.get(item.with_ or "")
        if partner is not None:
            found += _r9_with(view, item, partner)
    return found


def _r9_after(view: _View, item: Item, after: After, placed: list[_Placed]) -> Iterator[Breach]:
    if after.item is not None:
        before = view.by_item.get(after.item, [])
        if not before and placed:
            text = f"{item.id} is placed but {after.item}, which it must follow, is unplaced"
            yield _breach("R9", item.id, text)
        if not before:
            return
        start, what = max(p.date for p in before), f"the last meeting of {after.item}"
    else:
        event = view.programme.events_by_id.get(after.event or "")
        if event is not None and event.date is None and placed:
            text = f"{item.id} is placed but {event.id} has no date yet: it must stay unplaced"
            yield _breach("R9", item.id, text)
        if event is None or event.date is None:
            return
        start, what = event.date, event.id
    earliest = start + dt.timedelta(days=after.gap_days)
    for p in placed:
        if p.date < earliest:
            text = f"{p.subject} is at {p.where} ({p.date}), before {earliest} ({after.gap_days} days after {what} on {start})"
            yield _breach("R9", p.subject, text)


def _plain(item: Item) -> bool:
    return item.kind not in ("standing", "scrutiny") and item.every is None and item.placed_here


def _r9_with(view: _View, item: Item, partner: Item) -> Iterator[Breach]:
    mine, theirs = view.meetings_of(item.id), view.meetings_of(partner.id)
    for where in sorted(mine - theirs):
        yield _breach("R9", item.id, f"{item.id} is at {where} without {partner.id}")
    if _plain(item) and _plain(partner) and item.times == partner.times:
        for where in sorted(theirs - mine):
            yield _breach("R9", item.id, f"{partner.id} is at {where} without {item.id}")


def check_r10(programme: Programme, plan: Plan, previous: Plan, as_of: dt.date) -> list[Breach]:
    """Hard R10 frozen: re-planning as of a date keeps what is already settled.

    Meetings dated before `as_of` keep exactly their agendas, and nothing new goes to a later
    meeting whose reports were due before `as_of` (standing items excepted: they go to every
    meeting).
    """
    now, before, found = _agendas(plan), _agendas(previous), []
    due = {
        m.id: m.deadlines.reports_due[:10]
        for m in plan.meetings
        if m.deadlines and m.deadlines.reports_due
    }
    for mid, (_, meeting) in programme.meetings_by_id.items():
        if meeting.date < as_of:
            found += _r10_frozen(mid, meeting.date, as_of, now[mid], before[mid])
        elif mid in due and dt.date.fromisoformat(due[mid]) < as_of:
            found += _r10_late(programme, mid, due[mid], now[mid] - before[mid])
    return found


Pair = tuple[str, str | None]


def _agendas(plan: Plan) -> dict[str, set[Pair]]:
    agendas: dict[str, set[Pair]] = defaultdict(set)
    for item, occurrence, meeting in plan.placements():
        agendas[meeting].add((item, occurrence))
    return agendas


def _listed(pairs: Iterable[Pair]) -> str:
    return ", ".join(sorted(_subject(*pair) for pair in pairs)) or "nothing"


def _r10_frozen(
    mid: str, day: dt.date, as_of: dt.date, now: set[Pair], before: set[Pair]
) -> Iterator[Breach]:
    if now != before:
        text = (
            f"{mid} ({day}) is frozen as of {as_of} but its agenda changed: "
            f"added {_listed(now - before)}; removed {_listed(before - now)}"
        )
        yield _breach("R10", mid, text)


def _r10_late(programme: Programme, mid: str, due: str, added: set[Pair]) -> Iterator[Breach]:
    for item_id, occurrence in added:
        item = programme.items_by_id.get(item_id)
        if item is None or item.kind != "standing":
            subject = _subject(item_id, occurrence)
            yield _breach(
                "R10", subject, f"{subject} is new at {mid}, whose reports were due on {due}"
            )


#: Every hard rule's check, in rule order. R10 needs the previous plan and the as-of date too.
CHECKS: dict[str, Callable[..., Iterable[Breach]]] = {
    "R1": check_r1,
    "R2": check_r2,
    "R3": check_r3,
    "R4": check_r4,
    "R5": check_r5,
    "R6": check_r6,
    "R7": check_r7,
    "R8": check_r8,
    "R9": check_r9,
    "R10": check_r10,
}


def check(
    programme: Programme, plan: Plan, *, previous: Plan | None = None, as_of: dt.date | None = None
) -> list[Breach]:
    """Every breach of every hard rule by `plan`, sorted by rule number, then subject.

    Args:
        programme: the validated programme the plan is for.
        plan: the plan to check, hand-made or solved.
        previous: the plan being re-planned from; R10 is checked only with `as_of` too.
        as_of: the re-planning date.

    Returns:
        The breaches, or an empty list when the plan keeps every hard rule.
    """
    found = {b for rule, fn in CHECKS.items() if rule != "R10" for b in fn(programme, plan)}
    if previous is not None and as_of is not None:
        found.update(check_r10(programme, plan, previous, as_of))
    return sorted(found, key=lambda b: (int(b.rule[1:]), b.subject, b.message))
