"""A re-plan searches only what the edit touched (issue 23, DESIGN §5 re-planning).

A re-plan minimises, in order, the items left out (S1-must, S1), then the placements moved (S3),
then the rest (`solve.REPLAN`). Take a component of the model (`parts.components`: variables that
no constraint ties to any other) where the published plan still has every placement it had, and
is best at placing: it leaves nothing out (S1-must and S1 are 0, which nothing beats), or the
solve that made it proved its placing best on this very component (`solver.proofs`: the same
digest, the same values). Keeping it as published moves nothing (S3 is 0), so no plan does
better there on the first three goals; and any plan as good on them places the same items at
the same meetings (one placement more would leave less out, one fewer or elsewhere would move
something), so the later goals have nothing left to choose but their own counting variables.
This rests on R1 and R7 as they are: a placed unit is at exactly its count of meetings, an
officer at exactly the sessions kept, and every unit left out weighs in S1 (`rules.soft`).
Holding the component as published is therefore proven the best a re-plan can do there, without
a search: only the components the edit touched are searched.

Whether the published placements still keep every hard rule is found by one search per pack of
held components (`parts.pack`) with those placements fixed, which also sets the counting
variables at their least; in a pack the rules refuse, each component is checked alone, and one
refused is searched after all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.solver.build import Built, SolveOptions
from scheduler.solver.clock import Clock
from scheduler.solver.parts import Component, Part, fix, pack, set_objective, values
from scheduler.solver.proofs import Proofs

#: Deterministic seconds for checking a pack of held components: a search with every placement
#: fixed, which only propagates.
CHECKING = 1.0


@dataclass
class Held:
    """The components held as published (every variable's value) and those left to search."""

    values: dict[int, int] = field(default_factory=dict)
    searched: list[Component] = field(default_factory=list)
    placements: int = 0  # how many placements are held


def decided(built: Built, hint: Mapping[int, int]) -> dict[int, int]:
    """The published plan's choices (from `hint`, `solve.previous_hint`): each optional unit's
    placements, `placed` and sessions; standing items (R2 places them) and counting variables
    are left to the rules."""
    v = built.variables
    found = {var.index: hint[var.index] for var in v.placed.values()}
    for sessions in v.kept.values():
        found |= {var.index: hint[var.index] for var in sessions}
    found |= {var.index: hint[var.index] for (key, _), var in v.x.items() if key in v.placed}
    return found


def untouched(
    proofs: Proofs,
    found: list[Component],
    previous: Mapping[str, Sequence[str]],
    hint: Mapping[int, int],
    proven: Mapping[str, Sequence[int]],
) -> tuple[list[Component], list[Component]]:
    """(components where the published plan holds every placement it had and is proven best
    at placing: it leaves nothing out, or a solve proved it best on this very component
    (`proven`: the previous plan's `proven_parts`), the others)."""
    v = proofs.built.variables
    where = {var: n for n, c in enumerate(found) for var in c.variables}
    touched: set[int] = set()
    for key, meetings in previous.items():  # a placement the edit took away
        if key in v.placed and any((key, m) not in v.x for m in meetings):
            touched.add(where[v.placed[key].index])
    for n, c in enumerate(found):
        if n in touched or proofs.complete(c, hint):
            continue
        if proven.get(proofs.digest(c)) != proofs.measured(c, hint):
            touched.add(n)
    held = [c for n, c in enumerate(found) if n not in touched]
    return held, [c for n, c in enumerate(found) if n in touched]


def hold(
    proofs: Proofs,
    found: list[Component],
    previous: Mapping[str, Sequence[str]],
    hint: Mapping[int, int],
    proven: Mapping[str, Sequence[int]],
    last: tuple[str, ...],
    options: SolveOptions,
    clock: Clock,
) -> Held:
    """Of the model's components (`found`), those to hold as published (`untouched`), checked
    against the rules, with the values of their counting variables at their least (the `last`
    stage's goals); the rest to search."""
    built = proofs.built
    held, searched = untouched(proofs, found, previous, hint, proven)
    fixed = decided(built, hint)
    placing = {var.index for var in built.variables.x.values()}
    built.model.minimize(built.objective(last))
    objective = built.model.proto.objective
    terms = list(zip(objective.vars, objective.coeffs, strict=True))
    answer = Held(searched=searched)
    batches = [(held, options.part_size)] if held else []
    while batches:  # packed together first; a pack refused, each of its components alone
        group, size = batches.pop()
        for part in pack(built.model, group, size):
            if part.model is built.model:  # every component is held: fix a copy
                part = Part(built.model.clone(), part.variables, part.local)
            fix(part, fixed)
            set_objective(part, [(var, coeff) for var, coeff in terms if var in part.local], 0)
            solver = clock.solver(options, CHECKING, must_find=True)
            code = solver.solve(part.model)
            clock.spent(solver, code)
            mine = [c for c in group if c.variables[0] in part.local]
            if code == cp_model.OPTIMAL:
                answer.values |= values(part, solver)
                answer.placements += sum(
                    fixed[var] for var in part.variables if var in placing and var in fixed
                )
            elif len(mine) > 1:
                batches.append((mine, 1))
            else:  # the rules refuse the published placements here (or no proof in time)
                answer.searched += mine
    answer.searched.sort(key=lambda c: c.variables[0])
    return answer
