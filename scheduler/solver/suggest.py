"""Where could it go? Every meeting of an item's body, with what putting it there would cost
(DESIGN §5).

For an item placed, unplaced or new, each meeting of its body gets an `Option`: why it cannot
go there, or what a re-plan with the item pinned there (`meeting:`) would change. Choosing one
is exactly that: pin the item there, then re-plan (`scheduler.solver.replan`).

- Where the rules rule the meeting out for the item whatever else happens (its window, somebody
  away, a frozen agenda, a cancelled meeting), the rules' own pruning reasons say why: no solve.
- Everywhere else the pinned re-plan is solved as `replan` solves it (`solve.REPLAN`, stage by
  stage: placing first, then stability, then the rest), on the part of the programme
  the item can change (`scheduler.solver.neighbourhood`): the items of its body and of the
  bodies tied to it are free; the items of other bodies tied to those are held at their
  meetings of the plan (they may only be left out); everything else stays as in the plan. The
  answer is exact for that restriction, and is the whole re-plan's when nothing is held
  (small programmes; `Neighbourhood.exact`). What a re-plan would change anyway in bodies the
  item cannot reach (the plan is of an earlier version of the programme) is the same whatever
  is chosen, and is not listed. A re-plan may break a tie between equally good plans otherwise
  than here: the costs agree, the items named may not.

Measured on the synthetic council (bench/suggest.py): under 2 s for any item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from scheduler.errors import InputError, Problem
from scheduler.plan.changes import diff, movable_meetings, unit_meetings
from scheduler.plan.model import AgendaEntry, Change, Plan, Reason, require_programme, unit_key
from scheduler.plan.suggestions import Option, best_first, pin_refusal, taken_up
from scheduler.programme.model import Item, Programme
from scheduler.programme.new_item import with_new_item
from scheduler.programme.words import (
    count,
    day_words,
    item_words,
    listing,
    long_day,
    people_words,
)
from scheduler.solver.build import SolveOptions
from scheduler.solver.conflicts import infeasible_core
from scheduler.solver.expand import Slot, Unit
from scheduler.solver.explain import conflict_explanation, crowding_reasons
from scheduler.solver.neighbourhood import Neighbourhood, held_rule, neighbourhood, restricted
from scheduler.solver.pinned import PinnedReplans
from scheduler.solver.rules import HARD_RULES
from scheduler.solver.rules.core import PRIORITIES, Crowd, Rule, because
from scheduler.solver.rules.r10_frozen import frozen
from scheduler.solver.rules.soft import move_weight

#: The cost's tiers: left out (by priority) over moved (by S3 weight) over days outside `prefer`.
DROP_TIER, MOVE_TIER, TIER_CAP = 1_000_000, 1_000, 999


def suggest(
    programme: Programme,
    plan: Plan,
    item_id: str | None = None,
    *,
    options: SolveOptions = SolveOptions(),
    new_item: str | None = None,
    as_of: dt.date | None = None,
    rules: Iterable[Rule] = HARD_RULES,
    names: tuple[str, str, str] = ("--item", "--new-item", "the plan"),
) -> list[Option]:
    """Every meeting of the item's body, best first: what putting the item there would cost.

    Args:
        programme: the programme (as it is now: the plan may be of an earlier version).
        plan: the plan the options are measured against (the one a re-plan would start from).
        item_id: the item asked about; with `new_item`, None means the new item.
        options: solver parameters; each meeting's re-plan gets the time limit.
        new_item: the text of an item entry to add first (YAML or JSON), checked like any.
        as_of: the re-planning date: R10 applies, as it would to the re-plan.
        rules: the hard rules besides R10 (tests drop one to show it matters).
        names: how messages name the item, the new item's text and the plan.

    Raises:
        ProgrammeError: the new item's problems, located in its text.
        InputError: no such item, or one that is not placed at one meeting (standing,
            recurring, rotation, `times` above 1, taken elsewhere): a pin cannot place it.
        PlanFileError: when `plan` is another programme's.
    """
    item_name, new_name, plan_name = names
    require_programme(plan, programme.id, plan_name)
    if new_item is not None:
        programme, added = with_new_item(programme, new_item, new_name)
        item_id = item_id or added
    item = _one_place(programme, item_id or "", item_name)
    if not item.placed_here:  # suggested or deferred: weighed as if taken up now
        item = taken_up(item)
        programme = restricted(
            programme, items=[item if i.id == item.id else i for i in programme.items]
        )
    placed = unit_meetings(plan)
    hood = neighbourhood(programme, placed, item.body)
    rules = [*rules, held_rule(placed, hood.held)]
    if as_of is not None:
        kept = {key: meetings for key, meetings in placed.items() if hood.includes(key)}
        rules.append(frozen(kept, {m.id: m.date for m in plan.meetings}, as_of))
    asked = _Asked(hood, plan, item, rules, options)
    return best_first([asked.option(slot.id) for slot in asked.meetings()])


def _one_place(programme: Programme, item_id: str, name: str) -> Item:
    """The item, if a pin can place it: it goes to one meeting, once."""
    item = programme.items_by_id.get(item_id)
    missing = f"no item '{item_id}' in programme '{programme.id}'"
    why = missing if item is None else pin_refusal(item)
    if item is None or why is not None:
        raise InputError([Problem(name, (0,), item_id, why or "")])
    return item


class _Asked:
    """One item's options, meeting by meeting, against one plan."""

    def __init__(
        self, hood: Neighbourhood, plan: Plan, item: Item, rules: list[Rule], options: SolveOptions
    ) -> None:
        self.hood, self.item, self.rules, self.options = hood, item, rules, options
        self.p = hood.programme
        self.before = _restricted_plan(plan, hood)
        self.was = unit_meetings(self.before)
        # The day each placement of the plan was on, as S2 counts it: the plan's day, else (a
        # day not fixed yet) the programme's first possible one.
        self.dates = {m: held.date for m, (_, held) in self.p.meetings_by_id.items()}
        self.dates |= {m.id: m.date for m in plan.meetings if m.date is not None}
        previous = movable_meetings(self.p, self.before)
        self.replans = PinnedReplans(self.p, item.id, rules, previous, options)
        self.e = self.replans.e
        self.unit = self.e.units_of(item.id)[0]

    def meetings(self) -> list[Slot]:
        """Every meeting of the item's body, cancelled ones too, in date order."""
        return [s for s in self.e.slots.values() if s.body.id == self.item.body]

    def option(self, meeting: str) -> Option:
        slot = self.e.slots[meeting]
        reasons = self._ruled_out(slot)
        if reasons:
            return self._impossible(slot, reasons)
        pinned = self.replans.solve(meeting)
        if pinned.placements is None:
            core = infeasible_core(self._pinned(meeting), self.rules, self.options)
            words = conflict_explanation(self.e, core, self.rules)
            return self._impossible(slot, [Reason(text=" ".join(words))], pinned.proven)
        if slot.id not in pinned.placements[self.unit.key]:
            return self._impossible(slot, self._left_out(slot, pinned.placements), pinned.proven)
        return self._weighed(slot, pinned.placements, pinned.proven)

    def _ruled_out(self, slot: Slot) -> list[Reason]:
        """Why the item cannot go to `slot` whatever else moves (the rules' pruning, pinned)."""
        if not slot.open:
            return [
                because("R1", f"{slot.words} is cancelled", f"R1 placement: {slot.id} is cancelled")
            ]
        if self.unit.waits:
            return list(self.unit.waits)
        pinned = Unit(
            key=self.unit.key,
            item=self.item.model_copy(update={"meeting": slot.id}),
            occurrence=None,
            title=self.unit.title,
            count=1,
        )
        return [r for rule in self.rules if rule.prune and (r := rule.prune(self.e, pinned, slot))]

    def _pinned(self, meeting: str) -> Programme:
        pinned = self.item.model_copy(update={"meeting": meeting})
        return restricted(self.p, items=[pinned if i is self.item else i for i in self.p.items])

    def _impossible(self, slot: Slot, reasons: list[Reason], proven: bool = True) -> Option:
        first = reasons[0].text  # the reason first, when it names the meeting itself
        text = first if day_words(slot.meeting) in first else f"{slot.words}: {first}"
        return Option(
            meeting=slot.id,
            date=slot.meeting.day,
            when=_when(slot),
            text="; ".join([text, *(r.text for r in reasons[1:])]),
            possible=False,
            here=slot.id in self.was.get(self.unit.key, []),
            proven=proven,
            reasons=reasons,
        )

    def _weighed(self, slot: Slot, placements: dict[str, list[str]], proven: bool) -> Option:
        """What the pinned re-plan changes, and its cost."""
        after = self.replans.plan(placements)
        changes = [c for c in diff(self.p, self.before, after) if c.item is not None]
        moves = [c for c in changes if c.change == "moved" and c.item != self.item.id]
        drops = [c for c in changes if c.change == "unplaced" and c.item != self.item.id]
        lost = self._preferences_lost(placements)
        weight = sum(move_weight(self.p.items_by_id.get(c.item or "")) for c in moves)
        points = sum(_priority_points(self.p.items_by_id.get(c.item or "")) for c in drops)
        option = Option(
            meeting=slot.id,
            date=slot.meeting.day,
            when=_when(slot),
            text="",
            possible=True,
            here=slot.id in self.was.get(self.unit.key, []),
            moves=moves,
            drops=drops,
            preferences_lost=lost,
            tell=sorted({person for c in changes for person in c.tell}),
            cost=points * DROP_TIER + min(weight, TIER_CAP) * MOVE_TIER + min(lost, TIER_CAP),
            proven=proven,
        )
        option.text = self._cost_words(slot, option, after)
        return option

    def _left_out(self, slot: Slot, placements: dict[str, list[str]]) -> list[Reason]:
        """Why the pinned re-plan leaves the item out there: what fills the meeting (not why
        its other meetings are out: the pin rules them out)."""
        crowd = Crowd.of(self.e, placements)
        found = [
            r
            for r in crowding_reasons(self.e, self.unit, crowd, self.rules)
            if slot.words in r.text and r.rule != "S1"
        ]
        return found or [
            because(
                "S1",
                f"{slot.words} cannot take it without leaving out an item of equal or higher "
                "priority, or breaking a rule",
                f"S1 placement: pinned to {slot.id}, the re-plan leaves it unplaced",
            )
        ]

    def _preferences_lost(self, placements: dict[str, list[str]]) -> int:
        """Days outside `prefer` added, summed over the units placed later than they like."""
        lost = 0
        for unit in self.e.units:
            prefer = unit.item.prefer
            if prefer is None:
                continue
            now = sum(prefer.days_outside(self.e.slots[m].date) for m in placements[unit.key])
            days = [self.dates[m] for m in self.was.get(unit.key, []) if m in self.dates]
            lost += max(0, now - sum(prefer.days_outside(d) for d in days))
        return lost

    def _cost_words(self, slot: Slot, option: Option, plan: Plan) -> str:
        """The meeting, then what putting the item there changes, in words."""
        titles = _titles(self.before, plan)
        parts = []
        if option.moves:
            moved = [
                f"{titles.get(_key(c), c.item)} to {self._meeting(c.to)}" for c in option.moves
            ]
            parts.append(f"moves: {listing(moved)}")
        if option.drops:
            dropped = [titles.get(_key(c), item_words(self.p, c.item or "")) for c in option.drops]
            parts.append(f"left out: {listing(dropped)}")
        if option.preferences_lost:
            parts.append(f"{count(option.preferences_lost, 'day')} outside preferred dates")
        if not parts:
            parts.append("it is there now" if option.here else "nothing else changes")
        if option.tell:
            parts.append(f"tell {people_words(self.p, option.tell)}")
        return f"{slot.words}: {'; '.join(parts)}"

    def _meeting(self, meeting: str | None) -> str:
        """A meeting by its date, and its body too when it is not the asked item's."""
        slot = self.e.slots.get(meeting or "")
        if slot is None:
            return meeting or ""
        return long_day(slot.date) if slot.body.id == self.item.body else slot.words


def _restricted_plan(plan: Plan, hood: Neighbourhood) -> Plan:
    """The plan with only the meetings and agenda entries of the restricted programme."""
    meetings = [
        m.model_copy(update={"agenda": [a for a in m.agenda if hood.includes(_entry_key(a))]})
        for m in plan.meetings
        if m.body in hood.bodies
    ]
    return plan.model_copy(update={"meetings": meetings, "unplaced": [], "changes": None})


def _titles(*plans: Plan) -> dict[str, str]:
    """Unit key -> its agenda title ({period} filled in), from the plans' agendas."""
    return {
        unit_key(a.item, a.occurrence): a.title for p in plans for m in p.meetings for a in m.agenda
    }


def _entry_key(entry: AgendaEntry) -> str:
    return unit_key(entry.item, entry.occurrence)


def _key(change: Change) -> str:
    return unit_key(change.item or "", change.occurrence)


def _priority_points(item: Item | None) -> int:
    """A left-out item's weight in the cost, by priority (low 1, normal 10, high 100, must
    1,000): one more important weighs more than any few less important."""
    return 10 ** PRIORITIES.index(item.importance if item is not None else "low")


def _when(slot: Slot) -> str | None:
    """What is known of a meeting's day while it is not fixed (`2025-01`), else None."""
    known = slot.meeting.when
    return None if slot.fixed or not known.known else str(known)
