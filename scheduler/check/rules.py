"""Every hard rule's check in one call (`scheduler.check`'s `check`): the rules' modules, in
rule order. Loaded when a plan is checked, not when the warnings of a programme are read
(`scheduler.check.warnings`), so that `scrutiny validate` starts at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from scheduler.check.r1_placement import check_r1
from scheduler.check.r2_standing import check_r2
from scheduler.check.r3_recurring import check_r3
from scheduler.check.r4_window import check_r4
from scheduler.check.r5_pin import check_r5
from scheduler.check.r6_capacity import check_r6
from scheduler.check.r7_rotation import check_r7
from scheduler.check.r8_people import check_r8
from scheduler.check.r9_order import check_r9
from scheduler.check.r10_frozen import check_r10
from scheduler.check.view import Breach
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme

#: Every hard rule's check, in rule order. R10 needs the previous plan and the as-of date too.
CHECKS: dict[str, Callable[..., Iterable[Breach]]] = {
    "R1": check_r1, "R2": check_r2, "R3": check_r3, "R4": check_r4, "R5": check_r5,
    "R6": check_r6, "R7": check_r7, "R8": check_r8, "R9": check_r9, "R10": check_r10,
}


def check(
    programme: Programme, plan: Plan, *, previous: Plan | None = None, as_of: dt.date | None = None
) -> list[Breach]:
    """Every breach of every hard rule by `plan`, sorted by rule number, then subject.

    Args:
        programme: the validated programme the plan is for.
        plan: the plan to check, hand-made or solved.
        previous: the plan being re-planned from; R10 is checked only with `as_of` too.
        as_of: the re-planning date.

    Returns:
        The breaches, or an empty list when the plan keeps every hard rule.
    """
    found = {b for rule, fn in CHECKS.items() if rule != "R10" for b in fn(programme, plan)}
    if previous is not None and as_of is not None:
        found.update(check_r10(programme, plan, previous, as_of))
    return sorted(found, key=lambda b: (int(b.rule[1:]), b.subject, b.message))
