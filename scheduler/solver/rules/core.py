"""What every rule is given and gives: the `Rule` record and the model's `Variables`.

A hard rule has up to five parts, all optional:
Each part that says why gives a `Reason`: a sentence for people (the reason first, meetings by
body and date, people by name, what to do) with the rule and the same in ids as its details.
- `prune(e, unit, slot)`: why `unit` may not use `slot` at all (no variable is made), or None;
- `waits(e, unit)`: why `unit` cannot be placed yet at all (an undated event), or None;
- `post(model, e, v)`: constraints over the variables;
- `describe(e, subject)`: one of its constraints (named `RULE:subject` by `Variables.guard`) in
  words, for a conflict that makes a programme infeasible;
- `explain(e, unit, crowd, meeting)`: why an unplaced `unit` did not fit at `meeting` of a solved
  plan, or (meeting None) one line about the unit as a whole; None when the rule is not why.
Dropping a rule (a test-only switch) drops all its parts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.plan.model import Reason
from scheduler.solver.expand import Expansion, Slot, Unit

Prune = Callable[[Expansion, Unit, Slot], Reason | None]
Waits = Callable[[Expansion, Unit], Reason | None]
Describe = Callable[[Expansion, str], Reason]


def because(rule: str, text: str, details: str) -> Reason:
    """A rule's reason: `text` for people, `details` with ids for a clerk's details."""
    return Reason(text=text, rule=rule, details=details)


@dataclass(frozen=True)
class Crowd:
    """A solved plan as explanations read it.

    Attributes:
        at: meeting id -> the units placed there.
        placed: item id -> the meetings its units went to (items with a unit placed only).
        units: the keys of the units placed.
    """

    at: dict[str, list[Unit]]
    placed: dict[str, list[str]]
    units: frozenset[str] = frozenset()

    @classmethod
    def of(cls, e: Expansion, placements: dict[str, list[str]]) -> Crowd:
        at: dict[str, list[Unit]] = {}
        placed: dict[str, list[str]] = {}
        for key, meetings in placements.items():
            for meeting in meetings:
                at.setdefault(meeting, []).append(e.units_by_key[key])
            if meetings:
                placed.setdefault(e.units_by_key[key].item.id, []).extend(meetings)
        return cls(at, placed, frozenset(k for k, meetings in placements.items() if meetings))


Explain = Callable[[Expansion, Unit, Crowd, str | None], Reason | None]


@dataclass
class Variables:
    """The decision variables, made once from the pruned expansion.

    Attributes:
        x: (unit key, meeting id) -> 1 when the unit is at that meeting (candidates only).
        placed: unit key -> literal "placed", for units that may stay unplaced. `must` units
            have one too: a plan leaves one out only when no plan can hold it (DESIGN R1).
        kept: rotation unit key -> one literal per session of the officer, each kept only if
            the one before is: the first is its `placed` (R7: every officer keeps one session
            before anyone keeps a second).
        explain: when True every rule's constraints carry an assumption literal (`guard`), so
            that an infeasible model names the rules and subjects in conflict.
        guards: assumption literal name -> literal (explain mode only).
    """

    x: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    placed: dict[str, cp_model.IntVar] = field(default_factory=dict)
    kept: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    explain: bool = False
    guards: dict[str, cp_model.IntVar] = field(default_factory=dict)

    def guard(self, model: cp_model.CpModel, rule: str, subject: str) -> list[cp_model.IntVar]:
        """Enforcement literals for one rule's constraint about `subject` ([] unless explaining)."""
        if not self.explain:
            return []
        name = f"{rule}:{subject}"
        if name not in self.guards:
            self.guards[name] = model.new_bool_var(name)
        return [self.guards[name]]

    def of_unit(self, unit: Unit) -> list[cp_model.IntVar]:
        """The unit's variables, in date order of its candidate meetings."""
        return [self.x[unit.key, m] for m in unit.candidates]

    def at(self, unit: Unit, meeting: str) -> cp_model.IntVar | None:
        return self.x.get((unit.key, meeting))

    def is_placed(self, unit: Unit) -> cp_model.IntVar | int:
        """1 when the unit is placed: its literal, or a constant for units that must (not) be.

        A unit that waits, or has no meeting to go to (a standing item that stands nowhere), is
        not placed.
        """
        if unit.waits or not unit.candidates:
            return 0
        return self.placed.get(unit.key, 1)


Post = Callable[[cp_model.CpModel, Expansion, Variables], None]


@dataclass(frozen=True)
class Rule:
    """A hard rule of DESIGN §4.5: its id, name and parts."""

    id: str
    name: str
    prune: Prune | None = None
    waits: Waits | None = None
    post: Post | None = None
    describe: Describe | None = None
    explain: Explain | None = None


def forbid(model: cp_model.CpModel, enforce: Sequence[cp_model.IntVar]) -> None:
    """Make the model infeasible (under `enforce`): a rule that cannot hold at all."""
    model.add_bool_or([]).only_enforce_if(enforce)


def required(unit: Unit) -> bool:
    """A unit that must be placed: priority `must` and not waiting for an event."""
    return unit.item.importance == "must" and not unit.waits


#: Priorities, lowest first: S1 places a higher one before any number of lower ones.
PRIORITIES = ("low", "normal", "high", "must")


def rank(unit: Unit) -> int:
    """The unit's priority as a number: higher places first."""
    return PRIORITIES.index(unit.item.importance)


def is_standing(unit: Unit) -> bool:
    return unit.item.kind == "standing"
