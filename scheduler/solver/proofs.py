"""What a solve proved of its placing, component by component, kept with the plan so that a
re-plan need not prove it again (issue 23).

A component of the model (`parts.components`) is known by a digest of everything that decides
its placing: its variables (by name) and their domains, its constraints, and the placing goals'
terms (S1-must, S1), but not the constraints that only break symmetry (they leave the optimum as
it was). Two models' components with one digest have the same best placing. When a solve proves
a component's placing best (every placing stage proven on its part: its share of a part's sum
is then its own least), the plan keeps its digest with the placing goals' values there
(`Plan.proven_parts`; only for components that leave something out, since one that leaves
nothing out is best on its face). A re-plan holds such a component as published when its digest
and values are still the same (`solver.held`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scheduler.solver.build import Built
from scheduler.solver.parts import Component

#: The stages that place, whose proofs are kept (a re-plan's: "as much placed as a plan from
#: scratch").
PLACING = ("S1-must", "S1")
#: Hex digits of a component's digest kept (64 bits).
DIGITS = 16


class Proofs:
    """One built model's placing proofs: its components' digests (each made once) and their
    placing goals' values."""

    def __init__(self, built: Built) -> None:
        self.built = built
        proto = built.model.proto
        self.names = [var.name for var in proto.variables]
        self.terms = placing_terms(built)
        v = built.variables
        self.literals = {var.index for var in v.placed.values()}
        self.literals |= {var.index for sessions in v.kept.values() for var in sessions}
        self._digests: dict[int, str] = {}

    def complete(self, component: Component, values: Mapping[int, int]) -> bool:
        """True when `values` leave nothing of the component out: every `placed` and session
        kept (the placing goals are then 0, which no plan can beat)."""
        return all(values[var] for var in component.variables if var in self.literals)

    def measured(self, component: Component, values: Mapping[int, int]) -> list[int]:
        """The placing goals' values (without their constants) on the component."""
        return [
            sum(t[var] * values[var] for var in component.variables if var in t) for t in self.terms
        ]

    def digest(self, component: Component) -> str:
        """The component's digest: its variables, constraints (not those that break symmetry)
        and placing terms, each by name, in an order of their own."""
        first = component.variables[0]
        if first not in self._digests:
            self._digests[first] = self._digest(component)
        return self._digests[first]

    def _digest(self, component: Component) -> str:
        proto, names, skip = self.built.model.proto, self.names, self.built.symmetry

        def literal(ref: int) -> str:
            return names[ref] if ref >= 0 else f"~{names[-ref - 1]}"

        variables = proto.variables
        lines = [f"v {names[var]} {list(variables[var].domain)}" for var in component.variables]
        lines += [
            _text(proto.constraints[index], literal)
            for index in component.constraints
            if index not in skip
        ]
        lines += [
            f"o{n} {names[var]} {t[var]}"
            for n, t in enumerate(self.terms)
            for var in component.variables
            if var in t
        ]
        lines.sort()
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:DIGITS]

    def kept(
        self,
        found: Sequence[Component],
        proven: Callable[[Component], bool],
        values: Mapping[int, int],
    ) -> dict[str, list[int]]:
        """The plan's `proven_parts`: of the components that leave something out in `values`,
        those whose placing is `proven` best, by digest, with their placing goals' values."""
        return {
            self.digest(c): self.measured(c, values)
            for c in found
            if not self.complete(c, values) and proven(c)
        }


def placing_terms(built: Built) -> list[dict[int, int]]:
    """Each placing stage's objective: variable index -> coefficient (its constant left out:
    the same in two components with one digest)."""
    found = []
    for goal in PLACING:
        built.model.minimize(built.objective((goal,)))
        objective = built.model.proto.objective
        terms: dict[int, int] = {}
        for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
            terms[var] = terms.get(var, 0) + coeff
        found.append(terms)
    return found


def _text(c: Any, literal: Callable[[int], str]) -> str:
    """A constraint (a cp_model_helper.ConstraintProto) as text, its variables by name, in an
    order of their own."""
    enforced = ",".join(sorted(literal(r) for r in c.enforcement_literal))
    if c.has_linear():
        linear = c.linear
        terms = sorted(f"{k}*{literal(r)}" for r, k in zip(linear.vars, linear.coeffs, strict=True))
        return f"linear {enforced} | {' '.join(terms)} in {list(linear.domain)}"
    for kind in ("bool_or", "bool_and", "at_most_one", "exactly_one"):
        if getattr(c, f"has_{kind}")():
            literals = getattr(c, kind).literals
            return f"{kind} {enforced} | {' '.join(sorted(literal(r) for r in literals))}"
    raise NotImplementedError(f"proofs: a constraint of a kind not handled here: {c}")
