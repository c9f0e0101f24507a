"""The clerk's hand method: each item in the file's order at the earliest meeting where every
hard rule still holds, given what is already placed; no search (issue 23).

The solver's baseline (`bench/hand_method.py`): a whole plan in a fraction of a second. Like a
clerk filling in agendas: standing items first (they stand at every meeting, R2), then items
fixed to a meeting (R5), then the rest in the file's order; an item that comes `after` or goes
`with` another once that one is placed (R9). Each takes the earliest of its possible meetings
(`Unit.candidates`: its body's, inside its window, its people available, after its release or
event: R1, R3-R5, R8, R9) where its kind and minutes (R6), its rotation seat (R7), its people
at no overlapping meeting (R8) and its order (R9) still fit, one inside its `prefer` dates
first. An item at several meetings goes to all of them in one municipal year or to none (R1);
an item that goes `with` it is placed beside it where both fit; a rotation's officers take
their sessions in rounds, every officer's first before anyone's second (R7). What goes nowhere
is left unplaced with its reasons; the plan is made as the solver makes its own (`solver.result`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC
from heapq import heapify, heappop, heappush

from scheduler.plan.listed import carried_forward, suggested
from scheduler.plan.model import Plan, SolveStatus
from scheduler.programme.model import Programme
from scheduler.solver.build import prune
from scheduler.solver.expand import Expansion, Unit, expand
from scheduler.solver.goals import days_short, measured
from scheduler.solver.result import placed_plan
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import is_standing
from scheduler.solver.rules.r1_placement import own_meetings
from scheduler.solver.rules.r2_standing import stands_at

#: The plan's explanation: how it was made.
MADE = (
    "Placed by the clerk's hand method: each item in the order of the file, at the earliest "
    "meeting with room for it (inside its preferred dates where one has room), not searched "
    "for the best plan."
)


class Board:
    """What is placed so far, counted as the hard rules count it."""

    def __init__(self, e: Expansion) -> None:
        self.e = e
        self.placements: dict[str, list[str]] = {}
        self.minutes: Counter[str] = Counter()
        self.kinds: Counter[tuple[str, str]] = Counter()  # (meeting, kind)
        self.items: Counter[tuple[str, str]] = Counter()  # (meeting, item): periods, officers
        self.people: dict[str, Counter[str]] = defaultdict(Counter)  # person -> meetings
        self.clash = clashes(e)

    def fits(self, unit: Unit, meeting: str) -> bool:
        """True when `unit` may go to `meeting` (one of its candidates) beside what is there."""
        slot, item = self.e.slots[meeting], unit.item
        body, here = slot.body, self.items[meeting, item.id]
        if meeting in self.placements.get(unit.key, ()):  # R1: distinct meetings
            return False
        if (item.every and here) or (unit.person and here >= (item.per_meeting or 1)):
            return False  # R3: one period a meeting; R7: `per_meeting` officers
        if body.minutes is not None and self.minutes[meeting] + item.duration > body.minutes:
            return False  # R6 minutes
        limit = body.limits.get(item.kind)
        if limit is not None and self.kinds[meeting, item.kind] >= limit:
            return False  # R6 limits
        clash = self.clash.get(meeting, set())
        if any(not clash.isdisjoint(self.people[p]) for p in unit.people):
            return False  # R8: nobody at two overlapping meetings
        return self._ordered(unit, slot.date, meeting)

    def _ordered(self, unit: Unit, day: dt.date, meeting: str) -> bool:
        """R9: after every unit of the items it follows, by their gap; at a partner's meeting."""
        for after in unit.item.after:
            if after.item is None:  # events and meetings: pruned
                continue
            others = self.e.units_of(after.item)
            if not others or not all(self.placements.get(u.key) for u in others):
                return False
            last = max(self.e.slots[m].latest for u in others for m in self.placements[u.key])
            if last + dt.timedelta(days=after.gap_days) > day:
                return False
        partner = unit.item.with_
        return partner is None or any(
            meeting in self.placements.get(u.key, ()) for u in self.e.units_of(partner)
        )

    def put(self, unit: Unit, meeting: str) -> None:
        self._count(unit, meeting, 1)
        self.placements.setdefault(unit.key, []).append(meeting)

    def take(self, unit: Unit, meeting: str) -> None:
        self._count(unit, meeting, -1)
        self.placements[unit.key].remove(meeting)

    def _count(self, unit: Unit, meeting: str, n: int) -> None:
        self.minutes[meeting] += n * unit.item.duration
        self.kinds[meeting, unit.item.kind] += n
        self.items[meeting, unit.item.id] += n
        for person in unit.people:
            self.people[person][meeting] += n
            if not self.people[person][meeting]:
                del self.people[person][meeting]


def clashes(e: Expansion) -> dict[str, set[str]]:
    """Meeting -> the other meetings whose times overlap it (both open and on a fixed day)."""
    held = sorted(
        (s.start.astimezone(UTC), s.end.astimezone(UTC), s.id)
        for s in e.slots.values()
        if s.open and s.fixed
    )
    found: dict[str, set[str]] = defaultdict(set)
    for n, (_, end, first) in enumerate(held):
        for start, _, other in held[n + 1 :]:
            if start >= end:
                break
            found[first].add(other)
            found[other].add(first)
    return found


def first_fit(programme: Programme) -> Plan:
    """The programme placed by the clerk's hand method; a plan that keeps every hard rule,
    status `feasible` (nothing is proven), or `infeasible` when the standing items cannot
    stand where they must."""
    started = time.perf_counter()
    e = expand(programme)
    prune(e, HARD_RULES)
    placements, trouble = by_hand(e)
    if trouble is not None:
        return _no_plan(programme, started, trouble)
    return placed_plan(
        e,
        placements,
        HARD_RULES,
        status=SolveStatus.FEASIBLE,
        solve_seconds=round(time.perf_counter() - started, 3),
        objective=measured(e, placements).objective,
        explanation=[MADE],
    )


def by_hand(e: Expansion) -> tuple[dict[str, list[str]], str | None]:
    """The hand method on a pruned expansion (the solver's own, for a hint): every unit's
    meetings, and why there is no plan when the standing items cannot stand where they must
    (None when they can)."""
    board, done, beside = Board(e), set[str](), partners(e)
    for unit in placing_order(e):
        if unit.key in done:
            continue
        if is_standing(unit):
            if (trouble := _stand(board, unit)) is not None:
                return board.placements, trouble
            done.add(unit.key)
        elif unit.person:
            officers = [u for u in e.units_of(unit.item.id) if not u.waits]
            _rounds(board, officers)
            done.update(u.key for u in officers)
        else:
            group = [u for u in beside[unit.item.id] if u.count == unit.count and u.key not in done]
            if group and _place(board, unit, group):
                done.update(u.key for u in group)
            else:
                _place(board, unit)
            done.add(unit.key)
    return {u.key: board.placements.get(u.key, []) for u in e.units}, None


def placing_order(e: Expansion) -> list[Unit]:
    """Standing items, then pinned ones, then the file's order; each after every unit it comes
    `after` or goes `with` (a cycle of them: the first left, which then fits nowhere)."""
    index = {u.key: n for n, u in enumerate(e.units)}

    def rank(u: Unit) -> tuple[int, int, int]:
        first = 0 if is_standing(u) else 1 if u.item.meeting is not None else 2
        return first, e.positions[u.item.id], index[u.key]

    needs: dict[str, set[str]] = {}
    users: dict[str, list[str]] = defaultdict(list)
    for unit in e.units:
        linked = [a.item for a in unit.item.after if a.item] + [unit.item.with_ or ""]
        needs[unit.key] = {o.key for i in linked for o in e.units_of(i)} - {unit.key}
        for key in needs[unit.key]:
            users[key].append(unit.key)
    ready = [(rank(u), u.key) for u in e.units if not needs[u.key]]
    heapify(ready)
    out: list[Unit] = []
    left = {u.key for u in e.units}
    while left:
        if not ready:  # a cycle
            key = min(left, key=lambda k: rank(e.units_by_key[k]))
            needs[key] = set()
            heappush(ready, (rank(e.units_by_key[key]), key))
        _, key = heappop(ready)
        if key not in left:
            continue
        left.remove(key)
        out.append(e.units_by_key[key])
        for user in users[key]:
            needs[user].discard(key)
            if not needs[user] and user in left:
                heappush(ready, (rank(e.units_by_key[user]), user))
    return out


def best_first(e: Expansion, unit: Unit, meetings: Iterable[str]) -> list[str]:
    """Meetings inside the unit's preferred dates first (S2), each group earliest first."""
    return sorted(meetings, key=lambda m: days_short(e, unit, m) > 0)


def _years(e: Expansion, unit: Unit) -> list[list[str]]:
    """The unit's meetings to choose from, best first: one list, or one per municipal year for
    an item at several meetings (all in one year, R1), the years in date order."""
    if unit.count == 1 or unit.year is not None:
        return [best_first(e, unit, unit.candidates)]
    years: dict[tuple[dt.date, dt.date], list[str]] = {}
    for meeting in unit.candidates:
        years.setdefault(e.programme.municipal_year(e.slots[meeting].date), []).append(meeting)
    return [best_first(e, unit, meetings) for _, meetings in sorted(years.items())]


def _place(board: Board, unit: Unit, partners: Sequence[Unit] = ()) -> bool:
    """`unit` (and `partners` with it) at its count of meetings, best first; all or none."""
    group = [unit, *partners]
    for meetings in _years(board.e, unit):
        chosen: list[str] = []
        for meeting in meetings:
            if len(chosen) < unit.count and _together(board, group, meeting):
                chosen.append(meeting)
        if len(chosen) == unit.count:
            return True
        for m in chosen:
            for u in group:
                board.take(u, m)
    return False


def _together(board: Board, group: Sequence[Unit], meeting: str) -> bool:
    """Put every unit of `group` at `meeting` if all fit there; else none."""
    for n, unit in enumerate(group):
        if meeting not in unit.candidates or not board.fits(unit, meeting):
            for placed in group[:n]:
                board.take(placed, meeting)
            return False
        board.put(unit, meeting)
    return True


def partners(e: Expansion) -> dict[str, list[Unit]]:
    """Item id -> the units that go `with` it, to be placed beside it (R9)."""
    found: dict[str, list[Unit]] = defaultdict(list)
    for unit in e.units:
        if unit.item.with_ and not (unit.waits or unit.person or is_standing(unit)):
            found[unit.item.with_].append(unit)
    return found


def _rounds(board: Board, officers: Sequence[Unit]) -> None:
    """A rotation's officers, in rounds: each their next session at the earliest meeting with
    a seat for them, every officer's first before anyone's second (R7)."""
    for n in range(max((u.count for u in officers), default=0)):
        for unit in officers:
            if unit.count <= n or len(board.placements.get(unit.key, [])) != n:
                continue
            meeting = next((m for m in best_first(board.e, unit, unit.candidates)
                            if board.fits(unit, m)), None)
            if meeting is not None:
                board.put(unit, meeting)


def _stand(board: Board, unit: Unit) -> str | None:
    """Put a standing item at every meeting where it stands (R2); why not, if it cannot."""
    e = board.e
    for slot in own_meetings(e, unit):
        if stands_at(e, unit, slot) is not None:
            continue
        if slot.id not in unit.candidates:
            why = "; ".join(r.text for r in unit.pruned.get(slot.id, [])) or "it waits for a date"
        elif board.fits(unit, slot.id):
            board.put(unit, slot.id)
            continue
        else:
            why = "the standing items do not all fit there, or their people are needed elsewhere"
        return f"{unit.title} stands at {slot.words}, but cannot go there: {why}."
    return None


def _no_plan(programme: Programme, started: float, trouble: str) -> Plan:
    return Plan(
        programme=programme.id,
        status=SolveStatus.INFEASIBLE,
        solve_seconds=round(time.perf_counter() - started, 3),
        explanation=[f"No plan keeps every rule: {trouble}"],
        carried_forward=carried_forward(programme),
        suggested=suggested(programme),
    )
