"""A model's independent parts, solved one after another (DESIGN §9).

Two decisions interact only through a constraint that mentions both, so the connected
components of the constraint graph are independent: any choice in one leaves every other as it
was. The objective is a sum, so minimising each part's share of it minimises the whole; and
once each part is proven optimal, holding each at its own value allows exactly the solutions
that holding the whole at the sum would (a part only feasible is held a little tighter). Found
from the model itself, the parts follow whatever the rules post: no rule needs to know of them.

A whole council's model (about 23,000 variables) has a few parts the size of a family of
committees tied together by shared officers, and hundreds of small ones. Small components are
packed together until a part has `PART_SIZE` variables, so a programme the size of Bromley's is
one part: the very model it always was. Each part is a model of its own variables (renumbered)
and constraints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

#: Components are packed together until a part has at least this many variables.
PART_SIZE = 2_000


@dataclass
class Part:
    """Some independent components: a model of only their variables and constraints."""

    model: cp_model.CpModel
    variables: list[int]  # the whole model's index of each variable here, in order
    local: dict[int, int]  # the whole model's index -> the index here

    def here(self, var: int) -> int:
        """A variable's index in this part's model."""
        return self.local[var]


@dataclass(frozen=True)
class Component:
    """Variables that only constraints among themselves connect, and those constraints."""

    variables: list[int]
    constraints: list[int]


def components(model: cp_model.CpModel) -> list[Component]:
    """The model's connected components, in the order of their smallest variable: a
    constraint with no variable goes with the first."""
    proto = model.proto
    parent = list(range(len(proto.variables)))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    references = [_references(c) for c in proto.constraints]
    for refs in references:
        for other in refs[1:]:
            a, b = root(refs[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    variables: dict[int, list[int]] = {}
    for var in range(len(parent)):
        variables.setdefault(root(var), []).append(var)
    order = {top: n for n, top in enumerate(variables)}
    constraints: list[list[int]] = [[] for _ in variables]
    for index, refs in enumerate(references):
        constraints[order[root(refs[0])] if refs else 0].append(index)
    pairs = zip(variables.values(), constraints, strict=True)
    return [Component(found, ours) for found, ours in pairs]


def split(model: cp_model.CpModel, size: int = PART_SIZE) -> list[Part]:
    """The model's independent parts, in the order of their first variable: components
    packed together until a part has at least `size` variables."""
    return pack(model, components(model), size)


def pack(model: cp_model.CpModel, found: list[Component], size: int = PART_SIZE) -> list[Part]:
    """Parts of these components of `model`, packed in their order until a part has at least
    `size` variables; all of the model's components in one part: the model itself."""
    size = max(size, 1)
    packed: list[list[Component]] = [[]]
    for component in found:
        if sum(len(c.variables) for c in packed[-1]) >= size:
            packed.append([])
        packed[-1].append(component)
    every = sum(len(c.variables) for c in found) == len(model.proto.variables)
    if len(packed) == 1 and every:  # the model itself: nothing to copy
        n = len(model.proto.variables)
        return [Part(model, list(range(n)), {v: v for v in range(n)})]
    return [
        _part(
            model,
            sorted(v for c in group for v in c.variables),
            sorted(i for c in group for i in c.constraints),
        )
        for group in packed
        if group
    ]


def _part(model: cp_model.CpModel, variables: list[int], constraints: list[int]) -> Part:
    """A model of these variables (renumbered in order) and constraints."""
    local = {var: n for n, var in enumerate(variables)}
    sub = cp_model.CpModel()
    for var in variables:
        sub.proto.variables.add().copy_from(model.proto.variables[var])
    for index in constraints:
        c = sub.proto.constraints.add()
        c.copy_from(model.proto.constraints[index])
        for refs in _lists(c):
            renamed = [local[r] if r >= 0 else -local[-r - 1] - 1 for r in refs]
            refs.clear()
            refs.extend(renamed)
    return Part(sub, variables, local)


def _lists(c: Any) -> list[Any]:
    """The lists of variable references in a constraint (a cp_model_helper.ConstraintProto)."""
    found = [c.enforcement_literal] if len(c.enforcement_literal) else []
    if c.has_linear():  # the most common first
        found.append(c.linear.vars)
    elif c.has_bool_or():
        found.append(c.bool_or.literals)
    elif c.has_bool_and():
        found.append(c.bool_and.literals)
    elif c.has_at_most_one():
        found.append(c.at_most_one.literals)
    elif c.has_exactly_one():
        found.append(c.exactly_one.literals)
    else:
        raise NotImplementedError(f"parts: a constraint of a kind not handled here: {c}")
    return found


def _references(c: Any) -> list[int]:
    """The variables a constraint mentions (enforcement literals too)."""
    return [r if r >= 0 else -r - 1 for refs in _lists(c) for r in refs]


def set_objective(part: Part, terms: list[tuple[int, int]], offset: int) -> None:
    """Minimise sum(coefficient * variable) + offset over the part."""
    proto = part.model.proto
    proto.clear_objective()
    proto.objective.vars.extend([part.here(var) for var, _ in terms])
    proto.objective.coeffs.extend([coeff for _, coeff in terms])
    proto.objective.offset = offset
    proto.objective.scaling_factor = 1


def hold(part: Part, terms: list[tuple[int, int]], value: int) -> None:
    """From now on the part's sum(coefficient * variable) stays at most `value`."""
    if not terms:
        return
    linear = part.model.proto.constraints.add().linear
    linear.vars.extend([part.here(var) for var, _ in terms])
    linear.coeffs.extend([coeff for _, coeff in terms])
    linear.domain.extend([cp_model.INT_MIN, value])


def set_hint(part: Part, hint: Mapping[int, int]) -> None:
    """Start the part's search from `hint` (values by the whole model's indices)."""
    proto = part.model.proto
    proto.clear_solution_hint()
    chosen = [var for var in hint if var in part.local]
    proto.solution_hint.vars.extend([part.here(var) for var in chosen])
    proto.solution_hint.values.extend([int(hint[var]) for var in chosen])


def values(part: Part, solver: cp_model.CpSolver) -> dict[int, int]:
    """The value of each of the part's variables in the solver's solution, by the whole
    model's variable indices."""
    solution = solver.response_proto.solution
    return {var: solution[n] for n, var in enumerate(part.variables)}


def domain(part: Part, var: int) -> tuple[int, int]:
    """A variable's lowest and highest value."""
    bounds = part.model.proto.variables[part.here(var)].domain
    return bounds[0], bounds[len(bounds) - 1]  # (the proto's lists take no negative index)


def fix(part: Part, fixed: Mapping[int, int]) -> None:
    """Hold each of these of the part's variables (by the whole model's indices) at its value."""
    for var in sorted(v for v in fixed if v in part.local):
        linear = part.model.proto.constraints.add().linear
        linear.vars.append(part.here(var))
        linear.coeffs.append(1)
        linear.domain.extend([fixed[var], fixed[var]])
