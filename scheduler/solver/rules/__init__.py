"""The hard rules of DESIGN §4.5, one module each, and the registry that lists them in order.

Order matters only for reading, and for explanations (the first rule whose `explain` names why a
meeting was full is the reason given). Every rule prunes and posts on its own, with one link: R9's
"no follow-up without the item it follows" is posted on the `placed` literals, which R1 ties to
the placements. R10 (frozen) belongs to re-planning and is added there.
"""

from __future__ import annotations

from scheduler.solver.rules import (
    r1_placement,
    r2_standing,
    r3_recurring,
    r4_window,
    r5_pin,
    r6_capacity,
    r7_rotation,
    r8_people,
    r9_order,
)
from scheduler.solver.rules.core import Rule

HARD_RULES: tuple[Rule, ...] = (
    r1_placement.RULE,
    r2_standing.RULE,
    r3_recurring.RULE,
    r4_window.RULE,
    r5_pin.RULE,
    r6_capacity.RULE,
    r7_rotation.RULE,
    r8_people.RULE,
    r9_order.RULE,
)
