"""A plan the checker agrees with: solve or re-plan, then check, in one call.

The solver and the checker (`scheduler.check`) share no code, so that a plan is verified by code
that does not share the solver's bugs. Every caller that keeps a plan (the CLI's `solve` and
`replan`, the service's jobs, the benchmarks) goes through here, and keeps nothing when the two
disagree: that is a bug in one of them, never the clerk's to resolve.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.check import check
from scheduler.check.view import Breach
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from scheduler.solver.stages import Progress


@dataclass(frozen=True)
class Verified:
    """A solve's plan and what the checker found wrong with it (nothing, unless a bug)."""

    plan: Plan
    breaches: list[Breach]

    @property
    def found(self) -> bool:
        """A plan was found (see `plan.status` and `plan.explanation` when not)."""
        return self.plan.status.found

    @property
    def bug(self) -> bool:
        """The checker disagrees with the solver: the plan must not be kept, stored or shown."""
        return bool(self.breaches)

    @property
    def keep(self) -> bool:
        """A plan was found and keeps every hard rule: it may be stored, written or published."""
        return self.found and not self.bug


def plan_checked(
    programme: Programme,
    options: SolveOptions | None = None,
    *,
    previous: Plan | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    source: str = "the previous plan",
) -> Verified:
    """Solve `programme` (or, with `previous`, re-plan it with the least disruption, R10 as of
    `as_of`) and check the answer against every hard rule.

    Args:
        programme: the validated programme.
        options: the solver's parameters (`SolveOptions()` when None).
        previous: the plan being re-planned from; None for a plan from scratch.
        as_of: the re-planning date (meetings before it are frozen); re-plans only.
        progress: called with (seconds, objective, bound) as the search improves.
        source: how messages name `previous` (a file name, "plan 3").
    """
    options = options or SolveOptions()
    if previous is None:
        plan = solve(programme, options, progress=progress)
    else:
        plan = replan(
            programme, previous, as_of=as_of, options=options, progress=progress, source=source
        )
    found = plan.status.found
    breaches = check(programme, plan, previous=previous, as_of=as_of) if found else []
    return Verified(plan, breaches)
