"""Re-plan against a published plan with the least disruption (DESIGN §5, R10, S3).

The clerk edits the programme (a meeting moved, cancelled or added, an item changed, somebody's
new unavailability) and re-plans against the plan already published. The solve is
lexicographic (`solve.REPLAN`): first place as much as possible (S1, never worse than a plan from
scratch), then move as few item occurrences as possible (S3, witnesses weigh more), then the
other soft goals. With an as-of date, R10 freezes what is already settled.

The answer is the new plan with its `changes` (who must be told of each), its `disruption`
(how much moved, and whether that is proven the least the rules allow) and each meeting's
revision count carried on (`sequence`, the calendar feeds' SEQUENCE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from scheduler.plan.changes import diff, movable_meetings, unit_meetings
from scheduler.plan.days import planned_day_words
from scheduler.plan.model import (
    Disruption,
    Plan,
    Reason,
    SolveStatus,
    require_programme,
    unit_item,
    unit_key,
)
from scheduler.plan.revisions import revise
from scheduler.programme.model import Programme
from scheduler.programme.words import count, item_words, long_day, meeting_words, people_words
from scheduler.solver.build import SolveOptions
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import Rule
from scheduler.solver.rules.r8_people import overlaps
from scheduler.solver.rules.r10_frozen import frozen
from scheduler.solver.rules.soft import move_weight
from scheduler.solver.solve import PLACING, Outcome, cut_words, run
from scheduler.solver.stages import Progress


def replan(
    programme: Programme,
    previous: Plan,
    *,
    as_of: dt.date | None = None,
    options: SolveOptions = SolveOptions(),
    rules: Iterable[Rule] = HARD_RULES,
    progress: Progress | None = None,
    source: str = "previous plan",
) -> Plan:
    """The least-disruptive plan of the edited `programme` against `previous`.

    Args:
        programme: the edited programme.
        previous: the plan published before the edit (solved or hand-made).
        as_of: the re-planning date; R10 applies when given.
        options: solver parameters; the time limit is every stage's together.
        rules: the hard rules besides R10 (tests drop one to show it matters).
        progress: called with each new solution, stage by stage.
        source: the previous plan's file name, for error messages.

    Raises:
        PlanFileError: when `previous` is the plan of another programme.
    """
    require_programme(previous, programme.id, source)
    placed = unit_meetings(previous)
    movable = movable_meetings(programme, previous)
    rules = list(rules)
    if as_of is not None:
        dates = {m.id: m.date for m in previous.meetings}
        rules.append(frozen(placed, dates, as_of))
    outcome = run(
        programme,
        options,
        rules=rules,
        progress=progress,
        previous=movable,
        proven=previous.proven_parts,
    )
    plan = outcome.plan
    if not plan.status.found:
        return plan
    e = outcome.built.expansion
    moved, weight = churn(programme, previous, plan)
    placing = [s for s in outcome.stages if s.goals[0] in PLACING]
    stability = next((s for s in outcome.stages if s.goals == ("S3",)), None)
    proven = stability is not None and all(
        s.status is SolveStatus.OPTIMAL for s in (*placing, stability)
    )
    plan.changes = diff(programme, previous, plan, why=_Why(e, plan, movable, previous))
    plan.disruption = Disruption(
        moved=moved,
        weight=weight,
        bound=stability.bound if stability else 0,
        proven=proven,
        held=outcome.held,
    )
    summary = _summary(plan.disruption, as_of, outcome)
    plan.explanation = [*plan.explanation, *summary, *cut_words(outcome)]
    return revise(previous, plan)  # each changed meeting's calendar SEQUENCE rises


class _Why:
    """Why a unit left a meeting of the previous plan, read off the new plan (indexed once)."""

    def __init__(self, e: Expansion, plan: Plan, previous: dict[str, list[str]], old: Plan) -> None:
        self.e, self.previous = e, previous
        self.status = {m.id: m.status for m in plan.meetings}
        self.dates = {m.id: m.date for m in old.meetings}
        self.old = {m.id: m for m in old.meetings}
        self.people = {m.id: {p for a in m.agenda for p in a.people} for m in plan.meetings}
        self.placed = {(item, meeting) for item, _, meeting in plan.placements()}
        self.unplaced: dict[str, list[Reason]] = {}
        for u in plan.unplaced:
            self.unplaced.setdefault(unit_key(u.item, u.occurrence), []).extend(u.reasons)

    def __call__(self, key: str, meeting: str) -> list[Reason]:
        """The reason it left, then (when it is now unplaced) why it could not go elsewhere."""
        left, now = self._left(key, meeting), self.unplaced.get(key, [])
        if now and all(r.rule == "S3" for r in left):  # why it is out says it better
            return now
        return left + [reason for reason in now if reason not in left]

    def _meeting(self, meeting: str) -> str:
        """The meeting by body and date; one gone from the programme as the plan had it."""
        old = self.old.get(meeting)
        if meeting not in self.e.programme.meetings_by_id and old is not None:
            body = self.e.programme.bodies_by_id.get(old.body)
            return f"{body.name if body else old.body}, {planned_day_words(old)}"
        return meeting_words(self.e.programme, meeting, self.dates.get(meeting))

    def _left(self, key: str, meeting: str) -> list[Reason]:
        p = self.e.programme
        if meeting not in self.status:
            return [
                Reason(
                    text=f"{self._meeting(meeting)} is no longer in the programme",
                    details=f"{meeting} is no longer in the programme",
                )
            ]
        if self.status[meeting] == "cancelled":
            return [
                Reason(
                    text=f"{self._meeting(meeting)} is cancelled",
                    details=f"{meeting} is cancelled",
                )
            ]
        unit = self.e.units_by_key.get(key)
        if unit is None:
            return [
                Reason(
                    text=f"{item_words(p, unit_item(key))} is no longer in the programme",
                    details=f"{key} is no longer in the programme",
                )
            ]
        before = len(self.previous.get(key, []))
        if unit.count < before:
            return [
                Reason(
                    text=f"{unit.title} now goes to {count(unit.count, 'meeting')}, not {before}",
                    details=f"{key} now goes to {unit.count} meeting(s), not {before}",
                )
            ]
        if meeting in unit.pruned:
            return list(unit.pruned[meeting])
        if unit.waits:
            return list(unit.waits)
        partner = unit.item.with_
        if partner and (partner, meeting) not in self.placed:
            return [
                Reason(
                    text=f"It goes with {item_words(p, partner)}, which left "
                    f"{self._meeting(meeting)}",
                    rule="R9",
                    details=f"R9 order: it goes with {partner}, which left {meeting}",
                )
            ]
        return self._clashes(unit, meeting) or [
            Reason(
                text=f"{self._meeting(meeting)} could still take it on its own; moving it made "
                "room for other items with the least disruption overall",
                rule="S3",
                details=f"{meeting} is still possible for it on its own; moving it made room "
                "for other items with the least disruption overall",
            )
        ]

    def _clashes(self, unit: Unit, meeting: str) -> list[Reason]:
        """R8: people of the unit needed, in the new plan, at a meeting overlapping `meeting`."""
        e, here = self.e, self.e.slots[meeting]
        return [
            Reason(
                text=f"{people_words(e.programme, sorted(both))} "
                f"{'is' if len(both) == 1 else 'are'} needed at {other.words}, whose time "
                f"overlaps {here.words}",
                rule="R8",
                details=f"R8 people: "
                f"{', '.join(e.programme.people_by_id[p].name for p in sorted(both))} "
                f"needed at {other.id}, which overlaps {meeting}",
            )
            for other in e.slots.values()
            if other.id != meeting
            and overlaps(here, other)
            and (both := set(unit.people) & self.people.get(other.id, set()))
        ]


def _summary(d: Disruption, as_of: dt.date | None, outcome: Outcome) -> list[str]:
    """The re-plan in a sentence or two: how much moved, and whether that is proven least."""
    when = f" as of {long_day(as_of)}" if as_of else ""
    moved = count(d.moved, "placement")
    if d.proven:
        least = "the fewest the rules allow (proven)"
    else:
        least = (
            "the fewest found in the time allowed (allow more time to prove no plan moves fewer)"
        )
    lines = [f"Re-planned against the published plan{when}: {moved} changed, {least}."]
    if d.held:
        lines.append(
            f"{count(d.held, 'placement').capitalize()} stay as published without a search: "
            "in their part of the programme no plan could place more or move less."
        )
    placing = [s for s in outcome.stages if s.goals[0] in PLACING]
    if len(placing) == len(PLACING) and all(s.status is SolveStatus.OPTIMAL for s in placing):
        lines.append("Every item a plan from scratch could place is placed (proven).")
    return lines


def churn(programme: Programme, previous: Plan, plan: Plan) -> tuple[int, int]:
    """(occurrences that left a meeting of `previous`, their S3 weight). Standing items excluded."""
    old, now = movable_meetings(programme, previous), unit_meetings(plan)
    moved = weight = 0
    for key, meetings in old.items():
        left = [m for m in meetings if m not in now.get(key, [])]
        moved += len(left)
        weight += len(left) * move_weight(programme.items_by_id.get(unit_item(key)))
    return moved, weight
