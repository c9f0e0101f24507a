"""The smallest set of rules and items that cannot all hold (DESIGN §4.5 R1: always a plan).

The model is built once more with one assumption literal per rule instance (`Variables.guard`,
named `RULE:subject`); a `must` unit's guard says "placed". CP-SAT names a sufficient set of
assumptions when the model is infeasible; that set is shrunk by dropping each member in turn
while the rest stay infeasible, so that every member of the answer is needed: removing any one
of them makes room.
"""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.programme.model import Programme
from scheduler.solver.build import Built, SolveOptions, build
from scheduler.solver.expand import Unit
from scheduler.solver.rules.core import Rule

#: Deterministic seconds for each call that looks for (a smaller) set of conflicting rules.
CORE_SECONDS = 10.0
#: Must units whose conflict is worked out in one solve; the rest are explained by their
#: crowding alone (each conflict costs a few solves of the whole model).
MOST_EXPLAINED = 12


def guard_of(unit: Unit) -> str:
    """The assumption that says a must unit is placed (every session, for an officer)."""
    return f"{'R7' if unit.person else 'R1'}:{unit.key}"


class Conflicts:
    """Conflicting sets in one model, built once (explain mode)."""

    def __init__(
        self, programme: Programme, rules: Iterable[Rule], options: SolveOptions | None = None
    ) -> None:
        self.built: Built = build(programme, rules=rules, explain=True)
        self.options = options or SolveOptions()

    def core(self, names: list[str]) -> list[str] | None:
        """A set of the named assumptions that cannot all hold, every member needed; None when
        they can all hold (or no proof was found in time)."""
        core = self._sufficient(names)
        if core is None:
            return None
        for name in list(core):
            if name not in core:
                continue
            smaller = [n for n in core if n != name]
            shrunk = self._sufficient(smaller) if smaller else None
            if shrunk is not None:
                core = shrunk
        return core

    def keeping_out(self, unit: Unit, dropped: Iterable[Unit]) -> list[str] | None:
        """Why a must `unit` is out of the plan: the smallest set of rule instances and other
        items that, with it placed, cannot all hold. The other dropped units are not asked for
        (the plan left them out too). None when no such set was proven."""
        others = {guard_of(u) for u in dropped} - {guard_of(unit)}
        names = sorted(n for n in self.built.variables.guards if n not in others)
        return self.core(names)

    def holds(self, names: list[str]) -> bool:
        """The named rule instances can all hold at once (a plan keeps every one of them)."""
        return self._sufficient(names) is None

    def _sufficient(self, subset: list[str]) -> list[str] | None:
        guards = self.built.variables.guards
        model = self.built.model
        model.clear_assumptions()
        model.add_assumptions([guards[n] for n in subset])
        solver = self.options.solver(CORE_SECONDS)
        if solver.solve(model) != cp_model.INFEASIBLE:
            return None
        found = set(solver.sufficient_assumptions_for_infeasibility())
        return [n for n in subset if guards[n].index in found]


def infeasible_core(
    programme: Programme, rules: Iterable[Rule], options: SolveOptions | None = None
) -> list[str]:
    """Names (`RULE:subject`) of a set of rule instances that cannot all hold even with every
    must item free to stay out, every member needed; [] when none is found."""
    conflicts = Conflicts(programme, rules, options)
    musts = {guard_of(u) for u in conflicts.built.expansion.units}
    return conflicts.core(sorted(set(conflicts.built.variables.guards) - musts)) or []
