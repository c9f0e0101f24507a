"""Each goal of DESIGN §4.5 measured on a finished plan, as the solver counts it (issue 23).

The solver builds its goals as model terms (`solver.rules.soft`); this reads the same goals off
a plan's agendas, so that any two plans of a programme (the solver's, the clerk's hand method's,
one made by hand) compare goal by goal. S2's release waits and S4's widest spacing are counted
over the meetings each unit may use after pruning, as the solver counts them, which is why this
lives beside the solver and not in `check/` (which restates only the hard rules). On a plan whose
last stage is proven optimal, `Goals.objective` is the plan's `objective`, and the S1 terms the
plan's S1 stage value (tested).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from scheduler.plan.model import Plan, unit_key
from scheduler.programme.model import Programme
from scheduler.solver.build import prune
from scheduler.solver.expand import Expansion, Unit, expand
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import PRIORITIES
from scheduler.solver.rules.r9_order import rough as rough_after
from scheduler.solver.rules.soft import WEIGHTS, optional_units


@dataclass(frozen=True)
class Goals:
    """A plan's goals, each in its own units (and `objective`, weighted as the solver does).

    Attributes:
        unplaced: S1, priority -> units placed at no meeting (an item, one period of a
            recurring item, a rotation officer with no session); units waiting for an
            undated event and standing items are not counted, as S1 does not count them.
        sessions: S1, priority -> rotation officers' later sessions not held (each officer's
            first is counted in `unplaced`).
        prefer_days: S2, days the placements lie outside their `prefer`, and days short of
            the latest day of an `after` known only roughly.
        release_meetings: S2, meetings a recurring occurrence waits after the first it may use.
        spread_days: S4, days by which each pair of a rotation officer's or repeated item's
            meetings falls short of the widest spacing its meetings allow.
        balance_minutes: S5, the sum over bodies of their fullest agenda's minutes less their
            emptiest's (ordinary meetings; bodies of two or more).
    """

    unplaced: dict[str, int] = field(default_factory=dict)
    sessions: dict[str, int] = field(default_factory=dict)
    prefer_days: int = 0
    release_meetings: int = 0
    spread_days: int = 0
    balance_minutes: int = 0

    @property
    def s1(self) -> int:
        """S1's stage value for priorities below `must` (which has a stage of its own)."""
        share = WEIGHTS["S1:extra-session-share"]
        return sum(
            WEIGHTS[f"S1:{p}"] * self.unplaced.get(p, 0)
            + WEIGHTS[f"S1:{p}"] // share * self.sessions.get(p, 0)
            for p in PRIORITIES
            if p != "must"
        )

    @property
    def s2(self) -> int:
        return (
            self.prefer_days * WEIGHTS["S2:prefer-day"]
            + self.release_meetings * WEIGHTS["S2:release-meeting"]
        )

    @property
    def s4(self) -> int:
        return self.spread_days * WEIGHTS["S4:closeness-day"]

    @property
    def s5(self) -> int:
        return self.balance_minutes * WEIGHTS["S5:spread-minute"]

    @property
    def objective(self) -> int:
        """S2, S4 and S5 weighted together: a fresh plan's last stage, its `objective`."""
        return self.s2 + self.s4 + self.s5


def measure(programme: Programme, plan: Plan) -> Goals:
    """The goals of `plan`, a plan of `programme` (entries of unknown units are not counted)."""
    e = expand(programme)
    prune(e, HARD_RULES)
    return measured(e, placements_of(e, plan))


def placements_of(e: Expansion, plan: Plan) -> dict[str, list[str]]:
    """Unit key -> the meetings a plan puts it at, as the solver names them."""
    found: dict[str, list[str]] = {}
    for meeting in plan.meetings:
        for entry in meeting.agenda:
            key = unit_key(entry.item, entry.occurrence)
            if key in e.units_by_key and meeting.id in e.slots:
                found.setdefault(key, []).append(meeting.id)
    return found


def measured(e: Expansion, placements: Mapping[str, Sequence[str]]) -> Goals:
    """The goals of placements (unit key -> meetings) of a pruned expansion."""
    unplaced: Counter[str] = Counter()
    sessions: Counter[str] = Counter()
    for unit in optional_units(e):
        held = len(placements.get(unit.key, []))
        if not held:
            unplaced[unit.item.importance] += 1
        if unit.person:
            sessions[unit.item.importance] += unit.count - max(held, 1)
    prefer = release = spread = 0
    order = {slot_id: n for n, slot_id in enumerate(e.slots)}
    for unit in e.units:
        meetings = list(placements.get(unit.key, []))
        prefer += sum(days_short(e, unit, m) for m in meetings)
        if unit.release is not None:
            release += sum(sum(order[c] < order[m] for c in unit.candidates) for m in meetings)
        if unit.count > 1 and unit.item.kind != "standing":
            spread += _spread(e, unit, meetings)
    return Goals(
        unplaced={p: unplaced[p] for p in reversed(PRIORITIES)},
        sessions={p: sessions[p] for p in reversed(PRIORITIES)},
        prefer_days=prefer,
        release_meetings=release,
        spread_days=spread,
        balance_minutes=_balance(e, placements),
    )


def days_short(e: Expansion, unit: Unit, meeting: str) -> int:
    """S2's days at one meeting: outside `prefer`, and short of a rough `after`'s latest day."""
    day = e.slots[meeting].date
    outside = unit.item.prefer.days_outside(day) if unit.item.prefer is not None else 0
    return outside + sum(max(0, (want - day).days) for want, _ in rough_after(e.programme, unit))


def _spread(e: Expansion, unit: Unit, meetings: list[str]) -> int:
    """S4's days for one unit: each pair of its meetings short of its widest possible gap."""
    dates = [e.slots[m].middle for m in unit.candidates]
    widest = (max(dates) - min(dates)).days if dates else 0
    return sum(
        max(0, widest - abs((e.slots[b].middle - e.slots[a].middle).days))
        for a, b in combinations(meetings, 2)
    )


def _balance(e: Expansion, placements: Mapping[str, Sequence[str]]) -> int:
    """S5's minutes: each body's fullest ordinary agenda less its emptiest."""
    load: Counter[str] = Counter()
    for key, meetings in placements.items():
        for meeting in meetings:
            load[meeting] += e.units_by_key[key].item.duration
    total = 0
    for body in e.programme.bodies:
        minutes = [load[s.id] for s in e.ordinary_slots(body.id)]
        if len(minutes) >= 2:
            total += max(minutes) - min(minutes)
    return total
