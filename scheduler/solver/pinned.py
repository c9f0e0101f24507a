"""One item's re-plan with the item pinned to each meeting in turn, from one model.

Pinning an item to a meeting (R5) leaves it that meeting alone to go to, or nowhere. So the
model is built once with the item free to go to any meeting of its body (special ones too, as a
pin allows), and each meeting's re-plan is a copy of it with the item's other meetings fixed to
0: the same plans, the same goals, without building again. Each copy is solved as `solve.run`
solves a re-plan (`solve.REPLAN` through `stages.run_stages`, stage by stage, each held for the
next and hinted with the one before, the first with the previous plan), in the time limit.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scheduler.plan.model import Plan, Reason, SolveStatus
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions, build
from scheduler.solver.clock import Clock
from scheduler.solver.expand import Expansion, Slot, Unit
from scheduler.solver.parts import split
from scheduler.solver.result import entry, order, planned_meetings
from scheduler.solver.rules.core import Rule
from scheduler.solver.solve import REPLAN, previous_hint
from scheduler.solver.stages import Stage, run_stages


@dataclass
class Pinned:
    """One pinned re-plan: what each stage proved, and each unit's meetings (None: no plan)."""

    stages: list[Stage]
    placements: dict[str, list[str]] | None

    @property
    def proven(self) -> bool:
        """Every stage proven optimal."""
        return len(self.stages) == len(REPLAN) and all(
            s.status is SolveStatus.OPTIMAL for s in self.stages
        )


class PinnedReplans:
    """The model of `programme` with `item` unpinned, re-solved for each pin."""

    def __init__(
        self,
        programme: Programme,
        item: str,
        rules: Iterable[Rule],
        previous: Mapping[str, Sequence[str]],
        options: SolveOptions,
    ) -> None:
        self.item, self.options = item, options
        self.built = build(
            programme, rules=[_unpinned(rule, item) for rule in rules], previous=previous
        )
        self.e: Expansion = self.built.expansion
        self.hint = previous_hint(self.built, previous)
        self.bare = planned_meetings(self.e, {})  # deadlines once; agendas per pin

    def solve(self, meeting: str) -> Pinned:
        """The re-plan with the item pinned to `meeting`."""
        started = time.perf_counter()
        model = self.built.model.clone()
        for (key, at), var in self.built.variables.x.items():
            if at != meeting and self.e.units_by_key[key].item.id == self.item:
                model.proto.variables[var.index].domain[1] = 0
        built = dataclasses.replace(self.built, model=model)
        parts = split(model, self.options.part_size)
        clock = Clock(self.options.time_limit, started, self.options.stop)
        staged = run_stages(built, parts, REPLAN, self.options, clock, hint=self.hint, rehint=True)
        values = staged.values
        if values is None:
            return Pinned(staged.stages, None)
        v = self.built.variables
        placements = {
            u.key: [m for m in u.candidates if values[v.x[u.key, m].index]] for u in self.e.units
        }
        return Pinned(staged.stages, placements)

    def plan(self, placements: Mapping[str, Sequence[str]]) -> Plan:
        """The pinned re-plan's meetings and agendas, for comparing with the plan before."""
        at: dict[str, list[Unit]] = {}
        for key, meetings in placements.items():
            for meeting in meetings:
                at.setdefault(meeting, []).append(self.e.units_by_key[key])
        planned = [
            m.model_copy(
                update={
                    "agenda": order(
                        [entry(self.e, u, self.e.slots[m.id]) for u in at[m.id]], self.e
                    )
                }
            )
            if m.id in at
            else m
            for m in self.bare
        ]
        return Plan(programme=self.e.programme.id, status=SolveStatus.FEASIBLE, meetings=planned)


def _unpinned(rule: Rule, item: str) -> Rule:
    """R5 without its say on `item`: every meeting of its body is open to it, as to a pin."""
    prune = rule.prune
    if rule.id != "R5" or prune is None:
        return rule

    def unpinned(e: Expansion, unit: Unit, slot: Slot) -> Reason | None:
        return None if unit.item.id == item else prune(e, unit, slot)

    return dataclasses.replace(rule, prune=unpinned)
