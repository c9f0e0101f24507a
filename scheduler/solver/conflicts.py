"""The smallest set of rules and items that cannot all hold (DESIGN §4.5 R1: always a plan).

The model is built once more with one assumption literal per rule instance (`Variables.guard`,
named `RULE:subject`); a `must` unit's guard says "placed". CP-SAT names a sufficient set of
assumptions when the model is infeasible; that set is shrunk by dropping each member in turn
while the rest stay infeasible, so that every member of the answer is needed: removing any one
of them makes room.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.programme.model import Programme
from scheduler.solver.build import Built, SolveOptions, build
from scheduler.solver.clock import Clock
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
        self,
        programme: Programme,
        rules: Iterable[Rule],
        options: SolveOptions | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.built: Built = build(programme, rules=rules, explain=True)
        self.options = options or SolveOptions()
        self.clock = clock  # a solve's: its searches stop when the solve's time is up

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

    def keeping_out(
        self, unit: Unit, dropped: Iterable[Unit], placements: Mapping[str, Sequence[str]]
    ) -> list[str] | None:
        """Why a must `unit` is out of the plan: the smallest set of rule instances and other
        items that, with it placed, cannot all hold. The other units the plan left out are not
        asked for; another rotation officer short of sessions is asked for the sessions the
        plan gave them (`R7:unit#n`). None when no such set was proven."""
        others = {guard_of(u) for u in dropped} - {guard_of(unit)}
        names = sorted(n for n in self.built.variables.guards if n not in others)
        for other in dropped:
            kept = len(placements.get(other.key, []))
            if other is not unit and other.person and kept:
                names.append(f"R7:{other.key}#{kept}")
        return self.core(names)

    def _guard(self, name: str) -> cp_model.IntVar:
        """The assumption literal of `name`; `R7:unit#n` (a rotation officer keeps at least n
        sessions) is made when first asked for."""
        v = self.built.variables
        if name not in v.guards:
            key, sessions = name.split(":", 1)[1].rsplit("#", 1)
            v.guards[name] = self.built.model.new_bool_var(name)
            self.built.model.add(sum(v.kept[key]) >= int(sessions)).only_enforce_if(v.guards[name])
        return v.guards[name]

    def holds(self, names: list[str]) -> bool:
        """The named rule instances can all hold at once (a plan keeps every one of them)."""
        return self._sufficient(names) is None

    def _sufficient(self, subset: list[str]) -> list[str] | None:
        literals = [self._guard(n) for n in subset]
        model = self.built.model
        model.clear_assumptions()
        model.add_assumptions(literals)
        if self.clock is None:
            solver = self.options.solver(CORE_SECONDS)
            code = solver.solve(model)
        else:
            solver = self.clock.solver(self.options, CORE_SECONDS)
            code = solver.solve(model)
            self.clock.spent(solver, code)
        if code != cp_model.INFEASIBLE:
            return None
        found = set(solver.sufficient_assumptions_for_infeasibility())
        return [n for n, literal in zip(subset, literals, strict=True) if literal.index in found]


def infeasible_core(
    programme: Programme,
    rules: Iterable[Rule],
    options: SolveOptions | None = None,
    clock: Clock | None = None,
) -> list[str]:
    """Names (`RULE:subject`) of a set of rule instances that cannot all hold even with every
    must item free to stay out, every member needed; [] when none is found (in the time the
    `clock` of a solve leaves, if given)."""
    conflicts = Conflicts(programme, rules, options, clock)
    musts = {guard_of(u) for u in conflicts.built.expansion.units}
    return conflicts.core(sorted(set(conflicts.built.variables.guards) - musts)) or []
