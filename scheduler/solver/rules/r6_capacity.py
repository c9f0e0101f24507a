"""R6 capacity: a meeting's items fit its body's minutes, and `limits` per kind hold."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.expand import Expansion
from scheduler.solver.rules.core import Rule, Variables


def post(model: cp_model.CpModel, e: Expansion, v: Variables) -> None:
    """Hard constraint R6: minutes and per-kind limits of every meeting."""
    at: dict[str, list[tuple[int, str, cp_model.IntVar]]] = {}
    for unit in e.units:
        for meeting in unit.candidates:
            at.setdefault(meeting, []).append(
                (unit.item.duration, unit.item.kind, v.x[unit.key, meeting])
            )
    for meeting, entries in sorted(at.items()):
        body = e.slots[meeting].body
        minutes = sum(m * var for m, _, var in entries if m)
        if any(m for m, _, _ in entries):
            enforce = v.guard(model, "R6", f"{meeting}:minutes")
            model.add(minutes <= body.minutes).only_enforce_if(enforce)
        for kind, limit in sorted(body.limits.items()):
            of_kind = [var for _, k, var in entries if k == kind]
            if len(of_kind) > limit:
                model.add(sum(of_kind) <= limit).only_enforce_if(
                    v.guard(model, "R6", f"{meeting}:{kind}")
                )


RULE = Rule("R6", "capacity", post=post)
