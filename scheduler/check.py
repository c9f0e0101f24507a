"""Check any plan, hand-made or solved, against the hard rules R1-R10 (DESIGN §4.5).

Each rule is restated here in plain Python, one function per rule (`check_r1` ... `check_r10`,
in order in `CHECKS`), sharing no code with the solver so that a solved plan is verified by code
that does not share its bugs. The programme is the truth (dates, minutes, people); entries at
unknown or cancelled meetings count for nothing but their own R1 breach. Plan conventions:

- `occurrence` is None for an ordinary or standing item, the period label ("2017/18 Q1",
  "2017/18 H2") for a recurring item, and the person's id for a rotation (scrutiny) item.
- Whatever is not placed is in `plan.unplaced` as (item, occurrence); an entry whose occurrence
  is None covers every occurrence of the item.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduler.model import After, Body, Item, Meeting, Programme
from scheduler.plan import AgendaEntry, Plan, PlannedMeeting

#: The short name of each hard rule, as it opens a breach's message.
RULE_NAMES = {
    "R1": "placement", "R2": "standing", "R3": "recurring", "R4": "window", "R5": "pin",
    "R6": "capacity", "R7": "rotation", "R8": "people", "R9": "order", "R10": "frozen",
}

Finding = tuple[str, str]  # (subject, text) as a rule's body yields them
Pair = tuple[str, str | None]  # (item, occurrence)


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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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

    @property
    def at(self) -> str:
        return f"{self.subject} is at {self.where} ({self.date})"


class _View:
    """A plan read against its programme: the entries that count, by item."""

    def __init__(self, programme: Programme, plan: Plan) -> None:
        self.programme, self.plan = programme, plan
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

    def at(self, item_id: str) -> list[_Placed]:
        return self.by_item.get(item_id, [])

    def meetings_of(self, item_id: str) -> set[str]:
        return {p.where for p in self.at(item_id)}

    def listed_unplaced(self, item_id: str, occurrence: str | None) -> bool:
        return (item_id, occurrence) in self.unplaced or (item_id, None) in self.unplaced

    def entries(self) -> Iterator[tuple[_Placed, Item]]:
        """Each counted entry with its programme item (entries of unknown items left out)."""
        for placed in self.placed:
            item = self.programme.items_by_id.get(placed.entry.item)
            if item is not None:
                yield placed, item


RuleBody = Callable[[_View], Iterable[Finding]]
Check = Callable[[Programme, Plan], list[Breach]]


def _hard(rule: str) -> Callable[[RuleBody], Check]:
    """Make a rule's body, which yields (subject, text), into its check of a programme's plan."""

    def wrap(body: RuleBody) -> Check:
        def check_rule(programme: Programme, plan: Plan) -> list[Breach]:
            return [_breach(rule, s, text) for s, text in body(_View(programme, plan))]

        check_rule.__name__ = check_rule.__qualname__ = f"check_{rule.lower()}"
        check_rule.__doc__ = body.__doc__
        return check_rule

    return wrap


def _open_meetings(body: Body) -> list[Meeting]:
    return sorted((m for m in body.meetings if m.status != "cancelled"), key=lambda m: m.date)


def _span(programme: Programme, body: Body, meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    """A meeting's start and end by the programme's clock. Its minutes are time that passes, so
    one across a clock change ends an hour earlier or later by the clock than the sum says."""
    zone = ZoneInfo(programme.timezone)
    start = dt.datetime.combine(meeting.date, meeting.start or body.start, tzinfo=zone)
    return start, dt.datetime.fromtimestamp(start.timestamp() + 60 * body.minutes, zone)


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods(programme: Programme, item: Item) -> dict[str, dt.date]:
    """The occurrences of a recurring item: period label -> release date, in date order.

    One per quarter (or half-year) of any financial year whose release date (last day of the
    period + `release_days`) falls inside the programme's year. Empty for other items.
    """
    first, last = programme.year.start, programme.year.end
    if item.every is None or first is None or last is None:
        return {}
    step, letter = (3, "Q") if item.every == "quarter" else (6, "H")
    found: dict[str, dt.date] = {}
    for fy in range(first.year - item.release_days // 365 - 2, last.year + 1):
        start = programme.fy_start(fy)
        for n in range(1, 12 // step + 1):
            end = _add_months(start, step * n) - dt.timedelta(days=1)
            release = end + dt.timedelta(days=item.release_days)
            if first <= release <= last:
                found[f"{fy}/{(fy + 1) % 100:02d} {letter}{n}"] = release
    return found


# Hard constraints, one check each, in rule order.


@_hard("R1")
def check_r1(view: _View) -> Iterator[Finding]:
    """Hard R1 placement: every item at exactly `times` meetings of its body, or listed unplaced.

    Also: the plan's meetings are the programme's; a cancelled meeting has no agenda; no entry
    twice at a meeting; a delegated item on no agenda; a `must` item unplaced only when an
    undated event or an unplaced partner holds it.
    """
    yield from _r1_meetings(view)
    yield from _r1_entries(view)
    for item in view.programme.items:
        if item.placed_here and item.kind not in ("standing", "scrutiny"):
            labels: list[str | None] = [*periods(view.programme, item)] if item.every else [None]
            for occurrence in labels:
                yield from _r1_count(view, item, occurrence, 1 if item.every else item.times)
    for unplaced in view.plan.unplaced:
        if unplaced.item not in view.programme.items_by_id:
            yield unplaced.item, f"{unplaced.item} is listed unplaced but is not an item"


def meeting_mismatches(programme: Programme, plan: Plan) -> list[tuple[str, str]]:
    """(meeting id, what differs) wherever the plan's meetings are not the programme's: a
    meeting missing, unknown, or with another body, date, time or status. Such a plan was made
    before the programme was edited; it must be re-planned before it is published."""
    return list(_r1_meetings(_View(programme, plan)))


def _r1_meetings(view: _View) -> Iterator[Finding]:
    for mid, count in Counter(m.id for m in view.plan.meetings).items():
        if count > 1:
            yield mid, f"meeting {mid} is listed {count} times"
    for planned in view.planned.values():
        found = view.programme.meetings_by_id.get(planned.id)
        if found is None:
            yield planned.id, f"the programme has no meeting {planned.id}"
        else:
            yield from _r1_meeting_matches(view.programme, planned, *found)
    for mid, (_, meeting) in view.programme.meetings_by_id.items():
        if meeting.status != "cancelled" and mid not in view.planned:
            yield mid, f"meeting {mid} is missing from the plan"


def _r1_meeting_matches(
    programme: Programme, planned: PlannedMeeting, body: Body, meeting: Meeting
) -> Iterator[Finding]:
    start, end = _span(programme, body, meeting)
    want = {"body": body.id, "date": meeting.date.isoformat(), "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}", "status": meeting.status}
    for key, value in want.items():
        if (have := getattr(planned, key)) != value:
            yield planned.id, f"{planned.id} has {key} {have}; the programme says {value}"
    if meeting.status == "cancelled" and planned.agenda:
        listed = ", ".join(_subject(e.item, e.occurrence) for e in planned.agenda)
        yield planned.id, f"{planned.id} is cancelled but its agenda lists {listed}"


def _r1_entries(view: _View) -> Iterator[Finding]:
    items = view.programme.items_by_id
    for placed in view.placed:
        item, where = items.get(placed.entry.item), placed.where
        if item is None:
            yield placed.subject, f"{placed.entry.item} at {where} is not an item"
        elif item.body != placed.body.id:
            yield placed.subject, f"{item.id} belongs to {item.body} but is at {where}"
        elif not item.placed_here:
            to = item.delegated_to
            yield placed.subject, f"{item.id} is delegated to {to} but is at {where}"
        elif (problem := _occurrence_problem(view.programme, item, placed.entry)) is not None:
            yield placed.subject, f"{item.id} at {where} {problem}"
    twice = Counter((p.where, p.entry.item, p.entry.occurrence) for p in view.placed)
    for (where, item_id, occurrence), count in twice.items():
        subject = _subject(item_id, occurrence)
        if count > 1 and getattr(items.get(item_id), "kind", None) != "scrutiny":
            yield subject, f"{subject} is at {where} {count} times"


def _occurrence_problem(programme: Programme, item: Item, entry: AgendaEntry) -> str | None:
    """What is wrong with an entry's occurrence (rotation people are R7's business)."""
    if item.kind == "scrutiny":
        return None
    if item.every is None:
        return None if entry.occurrence is None else (
            f"has occurrence {entry.occurrence}; it does not recur"
        )
    labels = periods(programme, item)
    if entry.occurrence in labels:
        return None
    return f"has occurrence {entry.occurrence}, not one of {', '.join(labels) or 'none'}"


def _r1_count(view: _View, item: Item, occurrence: str | None, times: int) -> Iterator[Finding]:
    at = [p.where for p in view.at(item.id) if p.entry.occurrence == occurrence]
    where = list(dict.fromkeys(at))
    subject, listed = _subject(item.id, occurrence), view.listed_unplaced(item.id, occurrence)
    if where and listed:
        yield subject, f"{subject} is placed but also listed unplaced"
    if where and len(where) != times:
        count = f"{_count(len(where), 'meeting')}, not {times}"
        yield subject, f"{subject} is at {count}: {', '.join(where)}"
    if not where and not listed:
        yield subject, f"{subject} is neither placed nor listed unplaced"
    if not where and item.importance == "must" and not _held(view, item, frozenset()):
        yield subject, f"{subject} is a must item but is unplaced"


def _held(view: _View, item: Item, seen: frozenset[str]) -> bool:
    """True when an undated event holds it: its own (after/decision), or a partner's that it comes
    after or goes with; or a partner placed by another body (delegated). A partner merely left
    unplaced does not hold a must item: the programme is then infeasible (R1)."""
    events = [a.event for a in item.after if a.event] + [d.event for d in [item.decision] if d]
    dated = view.programme.events_by_id
    if any(e in dated and dated[e].date is None for e in events):
        return True
    for partner_id in [a.item for a in item.after if a.item] + [w for w in [item.with_] if w]:
        partner = view.programme.items_by_id.get(partner_id)
        if partner is None or partner_id in seen:
            continue
        if not partner.placed_here or _held(view, partner, seen | {item.id}):
            return True
    return False


@_hard("R2")
def check_r2(view: _View) -> Iterator[Finding]:
    """Hard R2 standing: a standing item is at exactly the meetings of its body it belongs to.

    That is every non-cancelled meeting, except special ones unless the item says `special`;
    with `follows: B`, only meetings with a meeting of B since the body's previous meeting.
    """
    for item in view.programme.items:
        body = view.programme.bodies_by_id.get(item.body)
        if item.kind != "standing" or not item.placed_here or body is None:
            continue
        present = view.meetings_of(item.id)
        for meeting in _open_meetings(body):
            misfit = _standing_misfit(view.programme, item, body, meeting)
            if misfit is None and meeting.key not in present:
                yield item.id, f"{item.id} is missing from {meeting.key}"
            elif misfit is not None and meeting.key in present:
                yield item.id, f"{item.id} is at {meeting.key}, where it does not belong: {misfit}"


def _standing_misfit(
    programme: Programme, item: Item, body: Body, meeting: Meeting
) -> str | None:
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
    met = [m.date for m in _open_meetings(other)] if other else []
    return any(since <= day < meeting.date for day in met)


@_hard("R3")
def check_r3(view: _View) -> Iterator[Finding]:
    """Hard R3 recurring: each occurrence on or after its release date; occurrences apart."""
    for placed, item in view.entries():
        release = periods(view.programme, item).get(placed.entry.occurrence or "")
        if release is not None and placed.date < release:
            yield placed.subject, f"{placed.at}, before its release on {release}"
    for item in view.programme.items:
        labels: dict[str, set[str]] = defaultdict(set)
        for placed in view.at(item.id) if item.every else []:
            labels[placed.where].add(placed.entry.occurrence or "none")
        for where, here in labels.items():
            if len(here) > 1:
                listed = ", ".join(sorted(here))
                yield item.id, f"{item.id} has {len(here)} occurrences at {where}: {listed}"


@_hard("R4")
def check_r4(view: _View) -> Iterator[Finding]:
    """Hard R4 window: only meetings inside `window`, and `lead_days` before a `decision`."""
    for placed, item in view.entries():
        if item.window is not None and placed.date not in item.window:
            yield placed.subject, f"{placed.at}, outside its window {item.window}"
        decision = item.decision
        event = view.programme.events_by_id.get(decision.event) if decision else None
        if decision is None or event is None:
            continue
        if event.date is None:
            yield placed.subject, f"{placed.at}, but {event.id} has no date: it must stay unplaced"
        elif placed.date > (latest := event.date - dt.timedelta(days=decision.lead_days)):
            yield placed.subject, (f"{placed.at}, after {latest}, "
                                   f"{decision.lead_days} days before {event.id} on {event.date}")


@_hard("R5")
def check_r5(view: _View) -> Iterator[Finding]:
    """Hard R5 pin: a pinned item only at its meeting; a special meeting takes only its pins."""
    for placed, item in view.entries():
        subject, where = placed.subject, placed.where
        if item.meeting is not None and item.meeting not in (where, placed.date.isoformat()):
            yield subject, f"{subject} is pinned to {item.meeting} but is at {where}"
        elif placed.meeting.special and item.meeting is None and item.kind != "standing":
            yield subject, f"{subject} is at special meeting {where}, not pinned there"


@_hard("R6")
def check_r6(view: _View) -> Iterator[Finding]:
    """Hard R6 capacity: a meeting's items fit its body's `minutes`; `limits` per kind hold.

    Minutes are the items' own; each entry must state them, and `minutes_used` their sum.
    """
    for planned in view.planned.values():
        used = sum(e.minutes for e in planned.agenda)
        if planned.minutes_used != used:
            stated = planned.minutes_used
            yield planned.id, f"{planned.id} states {stated} minutes used; its agenda has {used}"
        found = view.programme.meetings_by_id.get(planned.id)
        if found is not None and found[1].status != "cancelled":
            yield from _r6_capacity(view.programme, found[0], planned)


def _r6_capacity(
    programme: Programme, body: Body, planned: PlannedMeeting
) -> Iterator[Finding]:
    minutes, kinds = 0, Counter[str]()
    for entry in planned.agenda:
        item = programme.items_by_id.get(entry.item)
        minutes += entry.minutes if item is None else item.duration
        kinds[entry.kind if item is None else item.kind] += 1
        if item is not None and entry.minutes != item.duration:
            subject = _subject(entry.item, entry.occurrence)
            text = f"states {entry.minutes} minutes; it takes {item.duration}"
            yield subject, f"{subject} at {planned.id} {text}"
    if minutes > body.minutes:
        yield planned.id, f"{planned.id} uses {minutes} of {body.minutes} minutes"
    for kind, limit in body.limits.items():
        if kinds[kind] > limit:
            yield planned.id, f"{planned.id} has {kinds[kind]} {kind} items; the limit is {limit}"


@_hard("R7")
def check_r7(view: _View) -> Iterator[Finding]:
    """Hard R7 rotation: `per_meeting` rotation people a meeting; each person exactly `times`.

    Exactly `per_meeting` at each non-cancelled, non-special meeting of the body when the
    year's total of `times` allows, else at most; nobody twice at one meeting.
    """
    for item in view.programme.items:
        body = view.programme.bodies_by_id.get(item.body)
        if item.kind == "scrutiny" and item.rotation and item.placed_here and body is not None:
            yield from _r7_people(item, item.rotation, view.at(item.id))
            yield from _r7_meetings(body, item, item.rotation, view.at(item.id))


def _r7_people(item: Item, rotation: dict[str, int], placed: list[_Placed]) -> Iterator[Finding]:
    where: dict[str, list[str]] = defaultdict(list)
    for p in placed:
        if p.entry.occurrence is not None and p.entry.occurrence in rotation:
            where[p.entry.occurrence].append(p.where)
        else:
            yield p.subject, f"{item.id} at {p.where} names {p.entry.occurrence}, not its rotation"
    for person, times in rotation.items():
        subject, meetings = _subject(item.id, person), list(dict.fromkeys(where[person]))
        for meeting, count in Counter(where[person]).items():
            if count > 1:
                yield subject, f"{person} is at {meeting} {count} times for {item.id}"
        if len(meetings) != times:
            at = f"{person} is at {_count(len(meetings), 'meeting')} for {item.id}, not {times}"
            yield subject, f"{at}: {', '.join(meetings)}" if meetings else at


def _r7_meetings(
    body: Body, item: Item, rotation: dict[str, int], placed: list[_Placed]
) -> Iterator[Finding]:
    per = item.per_meeting or 1
    regular = [m for m in _open_meetings(body) if not m.special]
    exact = sum(rotation.values()) >= per * len(regular)
    people: dict[str, set[str | None]] = defaultdict(set)
    for p in placed:
        if p.entry.occurrence in rotation:
            people[p.where].add(p.entry.occurrence)
    for meeting in regular:
        count = len(people[meeting.key])
        if count > per or (exact and count != per):
            need = "exactly" if exact else "at most"
            text = f"scrutinises {count} of the {item.id} rotation; it needs {need} {per}"
            yield meeting.key, f"{meeting.key} {text}"


@_hard("R8")
def check_r8(view: _View) -> Iterator[Finding]:
    """Hard R8 people: whoever an entry needs is listed, available, and at one meeting at a time.

    An entry needs its item's witnesses and presenters and its rotation person; its `people`
    must name them all. Two meetings overlap when their times [start, start + minutes) do.
    """
    needs: dict[str, dict[str, _Placed]] = defaultdict(dict)
    for placed, item in view.entries():
        occurrence = placed.entry.occurrence
        own = [occurrence] if occurrence is not None and occurrence in (item.rotation or {}) else []
        required = [*item.witnesses, *item.presenters, *own]
        if missing := [p for p in required if p not in placed.entry.people]:
            left_out = ", ".join(missing)
            yield placed.subject, f"{placed.subject} at {placed.where} leaves out {left_out}"
        for person in dict.fromkeys([*placed.entry.people, *required]):
            yield from _r8_available(view.programme, person, placed)
            needs[person].setdefault(placed.where, placed)
    for person, at in needs.items():
        yield from _r8_overlaps(view.programme, person, list(at.values()))


def _r8_available(programme: Programme, person_id: str, placed: _Placed) -> Iterator[Finding]:
    person = programme.people_by_id.get(person_id)
    if person is None:
        yield placed.subject, f"{placed.subject} at {placed.where} needs {person_id}, not in people"
    elif not person.available(placed.date):
        yield placed.subject, (f"{person_id} is needed for {placed.subject} at {placed.where} "
                               f"but is unavailable on {placed.date}")


def _r8_overlaps(
    programme: Programme, person: str, placements: list[_Placed]
) -> Iterator[Finding]:
    # Compared as moments (UTC): Python compares two times of one zone by the clock, and on the
    # night the clocks go back 01:30 comes twice.
    spans = sorted(
        (start.astimezone(dt.UTC), end.astimezone(dt.UTC), p.where, start, end)
        for p in placements
        for start, end in [_span(programme, p.body, p.meeting)]
    )
    for index, (_, end_utc, where, start, end) in enumerate(spans):
        for other_utc, _, other, other_start, other_end in spans[index + 1:]:
            if other_utc >= end_utc:
                break
            yield where, (f"{person} is needed at {where} ({start:%H:%M}-{end:%H:%M}) and at "
                          f"{other} ({other_start:%H:%M}-{other_end:%H:%M}) on {start:%Y-%m-%d}")


@_hard("R9")
def check_r9(view: _View) -> Iterator[Finding]:
    """Hard R9 order: `after` an item's last meeting or an event by `gap_days`; `with` together.

    An item after an unplaced item, or after an undated event, stays unplaced. A `with` pair of
    plain items with equal `times` goes to exactly the same meetings.
    """
    for item in view.programme.items:
        for after in item.after:
            yield from _r9_after(view, item, after)
        partner = view.programme.items_by_id.get(item.with_ or "")
        if partner is not None:
            yield from _r9_with(view, item, partner)


def _r9_after(view: _View, item: Item, after: After) -> Iterator[Finding]:
    placed = view.at(item.id)
    if after.item is not None:
        before = [p.date for p in view.at(after.item)]
        start, what = (max(before), f"the last meeting of {after.item}") if before else (None, "")
        missing = f"{after.item} is unplaced"
    else:
        event = view.programme.events_by_id.get(after.event or "")
        start, what = (event.date, after.event or "") if event else (dt.date.min, "")
        missing = f"{after.event} has no date yet"
    if start is None:
        if placed:
            yield item.id, f"{item.id} is placed but {missing}: it must stay unplaced"
        return
    earliest = start + dt.timedelta(days=after.gap_days)
    for p in placed:
        if p.date < earliest:
            gap = f"{after.gap_days} days after {what} on {start}"
            yield p.subject, f"{p.at}, before {earliest}, {gap}"


def _plain(item: Item) -> bool:
    return item.kind not in ("standing", "scrutiny") and item.every is None and item.placed_here


def _r9_with(view: _View, item: Item, partner: Item) -> Iterator[Finding]:
    mine, theirs = view.meetings_of(item.id), view.meetings_of(partner.id)
    for where in sorted(mine - theirs):
        yield item.id, f"{item.id} is at {where} without {partner.id}"
    # One way: the item goes only where its partner goes; the partner may go alone (a theme
    # without its witness session). Once both are placed, at the same meetings.
    if mine and _plain(item) and _plain(partner) and item.times == partner.times:
        for where in sorted(theirs - mine):
            yield item.id, f"{partner.id} is at {where} without {item.id}"


def check_r10(programme: Programme, plan: Plan, previous: Plan, as_of: dt.date) -> list[Breach]:
    """Hard R10 frozen: re-planning as of a date keeps what is already settled.

    Meetings dated before `as_of` keep exactly their agendas (item, occurrence), and nothing new
    goes to a later meeting whose reports were due before `as_of` (standing items excepted:
    they go to every meeting).
    """
    return [_breach("R10", s, text) for s, text in _r10(programme, plan, previous, as_of)]


def _r10(programme: Programme, plan: Plan, previous: Plan, as_of: dt.date) -> Iterator[Finding]:
    now, before = _agendas(plan), _agendas(previous)
    due = {m.id: m.deadlines.reports_due[:10] for m in plan.meetings
           if m.deadlines and m.deadlines.reports_due}
    for mid, (_, meeting) in programme.meetings_by_id.items():
        added, removed = now[mid] - before[mid], before[mid] - now[mid]
        if meeting.date < as_of and (added or removed):
            yield mid, (f"{mid} ({meeting.date}) is frozen as of {as_of} but its agenda changed: "
                        f"added {_listed(added)}; removed {_listed(removed)}")
        elif meeting.date >= as_of and mid in due and dt.date.fromisoformat(due[mid]) < as_of:
            for item_id, occurrence in sorted(added, key=lambda pair: _subject(*pair)):
                if getattr(programme.items_by_id.get(item_id), "kind", None) != "standing":
                    subject = _subject(item_id, occurrence)
                    yield subject, f"{subject} is new at {mid}, whose reports were due {due[mid]}"


def _agendas(plan: Plan) -> dict[str, set[Pair]]:
    agendas: dict[str, set[Pair]] = defaultdict(set)
    for item, occurrence, meeting in plan.placements():
        agendas[meeting].add((item, occurrence))
    return agendas


def _listed(pairs: Iterable[Pair]) -> str:
    return ", ".join(sorted(_subject(*pair) for pair in pairs)) or "nothing"


#: Every hard rule's check, in rule order. R10 needs the previous plan and the as-of date too.
CHECKS: dict[str, Callable[..., Iterable[Breach]]] = {
    "R1": check_r1, "R2": check_r2, "R3": check_r3, "R4": check_r4, "R5": check_r5,
    "R6": check_r6, "R7": check_r7, "R8": check_r8, "R9": check_r9, "R10": check_r10,
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
