"""The part of a programme that one item's place can change ("Where could it go?", DESIGN §5).

Items interact across bodies in two ways only: a person needed by both at meetings whose times
overlap (R8), and `after` / `with` links (R9). Everything else (R1-R7, the soft goals) stays
within one body. So one item's place is re-planned on:

- **free**: the items of its body and of the bodies tied to it (shared people at overlapping
  meetings, `after` links), nearest first, while the free items number at most `FREE_ITEMS`.
  When the whole group of tied bodies fits, nothing outside can change the answer: it is the
  whole re-plan's.
- **held**: the items of other bodies tied to the free ones (a person they share at a meeting
  overlapping a free body's, a link), and everything linked to those: kept at the meetings
  the plan gives them. A re-plan here may leave one out (a person needed at two overlapping
  meetings), never move it.
- everything else: as in the plan, and out of the model (it touches nothing above).

The restricted programme keeps every item in its place in the file (the others are marked as
taken elsewhere, `delegated_to`): S1 breaks ties by that place, exactly as the whole re-plan.
It keeps the meetings of the free and held items' bodies (and of those their standing items
`follow`), so R8 compares only the meetings that matter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from scheduler.plan.model import Reason, unit_item
from scheduler.programme.model import After, Body, Item, Programme
from scheduler.solver.expand import Expansion, Slot, Unit, expand
from scheduler.solver.rules.core import Rule, because, is_standing
from scheduler.solver.rules.r8_people import overlaps

#: The most items re-planned freely beyond the asked item's own body (whose items always are).
FREE_ITEMS = 20
#: What an item outside the restricted programme is marked as (never shown: it is not placed).
ELSEWHERE = "held as in the plan"


@dataclass(frozen=True)
class Neighbourhood:
    """The restricted programme of one item's body, and what in it is free or held.

    Attributes:
        programme: the programme with only the free and held items placed here.
        free: the bodies whose items are re-planned freely, the asked item's first.
        held: the items of other bodies kept at their meetings of the plan.
        bodies: the bodies whose meetings the restricted programme keeps.
    """

    programme: Programme
    free: tuple[str, ...]
    held: frozenset[str]
    bodies: frozenset[str]

    @property
    def exact(self) -> bool:
        """Nothing is held: the answer is the whole re-plan's."""
        return not self.held

    def includes(self, unit_key: str) -> bool:
        """Whether a unit (by key) is in the restricted programme."""
        item = self.programme.items_by_id.get(unit_item(unit_key))
        return item is not None and item.delegated_to != ELSEWHERE and item.placed_here


def neighbourhood(
    programme: Programme, placed: Mapping[str, Sequence[str]], body: str, limit: int = FREE_ITEMS
) -> Neighbourhood:
    """The restricted programme for an item of `body`.

    Args:
        programme: the whole programme (the asked item in it).
        placed: unit key -> its meetings in the plan (standing items too).
        body: the asked item's body.
        limit: the most free items beyond `body`'s own.
    """
    ties = _Ties(expand(programme), placed)
    free = ties.free_bodies(body, limit)
    held = ties.held(free)
    kept = set(free) | {i.body for i in programme.items if i.id in held}
    included = {i.id for i in programme.items if i.id in held or i.body in free}
    kept |= {i.follows for i in programme.items if i.id in included and i.follows}
    kept |= {
        anchor
        for i in programme.items
        if i.id in included
        for a in i.after
        if (anchor := _anchor_body(programme, a)) is not None
    }
    items = [
        i if i.id in included else i.model_copy(update={"delegated_to": ELSEWHERE})
        for i in programme.items
    ]
    bodies = [
        b if b.id in kept else b.model_copy(update={"meetings": []}) for b in programme.bodies
    ]
    return Neighbourhood(
        restricted(programme, items=items, bodies=bodies), free, frozenset(held), frozenset(kept)
    )


def _anchor_body(programme: Programme, after: After) -> str | None:
    """The body whose meetings an `after` on a meeting or a body waits for: they stay, to date
    it (its items need not)."""
    if after.meeting is not None:
        return programme.meetings_by_id[after.meeting][0].id
    return after.body


def restricted(programme: Programme, **changes: list[Item] | list[Body]) -> Programme:
    """The programme with some fields replaced, already valid: not checked again."""
    fields = {name: getattr(programme, name) for name in Programme.model_fields}
    return Programme.model_construct(**{**fields, **changes})


def held_rule(placed: Mapping[str, Sequence[str]], held: frozenset[str]) -> Rule:
    """The held items may use only their meetings of the plan (standing ones stand where R2
    says, as always)."""
    kept = {(key, m) for key, meetings in placed.items() for m in meetings}

    def prune(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
        if unit.item.id not in held or is_standing(unit) or (unit.key, slot.id) in kept:
            return None
        return because(
            "held",
            f"It stays where the plan has it while another item's place is weighed ({slot.words} "
            "is not its meeting)",
            f"held: {unit.key} keeps its meetings of the plan; {slot.id} is not one",
        )

    return Rule("held", "held as planned", prune=prune)


class _Ties:
    """Which bodies and items are tied to which, read off the whole programme."""

    def __init__(self, e: Expansion, placed: Mapping[str, Sequence[str]]) -> None:
        p = e.programme
        self.e, self.placed = e, placed
        self.order = [b.id for b in p.bodies]
        self.items: dict[str, list[Item]] = {b: [] for b in self.order}
        for item in p.items:
            if item.placed_here:
                self.items[item.body].append(item)
        self.people: dict[str, set[str]] = {}  # item -> everyone its units need
        for unit in e.units:
            self.people.setdefault(unit.item.id, set()).update(unit.people)
        self.links: dict[str, set[str]] = {}  # item -> items it is after / with, either way
        for item in p.items:
            for other in [a.item for a in item.after if a.item] + [item.with_] * bool(item.with_):
                if other and item.placed_here:
                    self.links.setdefault(item.id, set()).add(other)
                    self.links.setdefault(other, set()).add(item.id)
        self.slots = {b: e.body_slots(b) for b in self.order}

    def body_people(self, body: str) -> set[str]:
        return {person for i in self.items[body] for person in self.people.get(i.id, ())}

    def _tied(self, a: str, b: str) -> bool:
        """Bodies `a` and `b` share a person at overlapping meetings, or link items."""
        mine = {i.id for i in self.items[a]}
        if any(self.links.get(i.id, set()) & mine for i in self.items[b]):
            return True
        if not self.body_people(a) & self.body_people(b):
            return False
        return any(overlaps(x, y) for x in self.slots[a] for y in self.slots[b])

    def free_bodies(self, body: str, limit: int) -> tuple[str, ...]:
        """`body`, then the bodies tied to it, nearest first, while the items fit `limit`."""
        free, room, queue = [body], limit, [body]
        while queue:
            here = queue.pop(0)
            for other in self.order:
                if other in free or len(self.items[other]) > room or not self._tied(here, other):
                    continue
                free.append(other)
                room -= len(self.items[other])
                queue.append(other)
        return tuple(free)

    def held(self, free: Sequence[str]) -> set[str]:
        """Items of other bodies tied to the free ones, and everything linked to those."""
        mine = {i.id for b in free for i in self.items[b]}
        people = {person for b in free for person in self.body_people(b)}
        meetings = [s for b in free for s in self.slots[b]]
        found = {
            i.id
            for b in self.order
            if b not in free
            for i in self.items[b]
            if self.links.get(i.id, set()) & mine
            or (self.people.get(i.id, set()) & people and self._near(i, meetings))
        }
        todo = list(found)
        while todo:
            for other in self.links.get(todo.pop(), set()) - found - mine:
                found.add(other)
                todo.append(other)
        return found

    def _near(self, item: Item, meetings: list[Slot]) -> bool:
        """One of the item's meetings in the plan overlaps one of `meetings`."""
        own = [self.e.slots[m] for m in self._plan_meetings(item) if m in self.e.slots]
        return any(overlaps(a, b) for a in own for b in meetings)

    def _plan_meetings(self, item: Item) -> Iterator[str]:
        for unit in self.e.units_of(item.id):
            yield from self.placed.get(unit.key, [])
