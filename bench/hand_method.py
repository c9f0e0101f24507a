"""The clerk's hand method beside the solver, goal by goal (issue 23).

For each size `bench.run` measures, in the same run: the hand method's plan
(`scheduler.solver.first_fit`: each item in the file's order at the earliest meeting with room),
checked by `scheduler.check` (asserted) like the solver's, and each plan's goals
(`scheduler.solver.goals`): items left out by priority, days outside `prefer` (S2), meetings a
quarter's report waits after its release (S2), days short of the widest spread (S4), minutes
between the fullest and emptiest agendas (S5), and the three weighted as the solver weighs them.
The solver's first whole plan is known only as its progress reports it: its S2+S4+S5 as the
model counts it, which is at least the plan's own (the model's helper variables, free before
that stage, may overstate S4 and S5), so it gets no goal-by-goal row.

`compare` makes one size's numbers; `section` the table `bench.run` writes into
bench/RESULTS.md.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from scheduler.check import check
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from scheduler.solver.first_fit import first_fit
from scheduler.solver.goals import Goals, measure

#: The last stage's goals: the plan's objective, and what progress reports.
LAST = ("S2", "S4", "S5")
#: (column, format) of the comparison table; "-" where a plan has no such number.
COLUMNS = (
    ("size", "{:>8}"),
    ("plan", "{:>12}"),
    ("seconds", "{:>7.2f}"),
    ("must out", "{:>8}"),
    ("high out", "{:>8}"),
    ("normal out", "{:>10}"),
    ("low out", "{:>7}"),
    ("sessions out", "{:>12}"),
    ("prefer days", "{:>11}"),
    ("release waits", "{:>13}"),
    ("S4 days", "{:>7}"),
    ("S5 minutes", "{:>10}"),
    ("S2+S4+S5", "{:>10}"),
)


def goal_row(goals: Goals) -> dict[str, int]:
    """One plan's goals as the table's columns."""
    return {
        **{f"{p} out": n for p, n in goals.unplaced.items()},
        "sessions out": sum(goals.sessions.values()),
        "prefer days": goals.prefer_days,
        "release waits": goals.release_meetings,
        "S4 days": goals.spread_days,
        "S5 minutes": goals.balance_minutes,
        "S2+S4+S5": goals.objective,
    }


def compare(programme: Programme, plan: Plan, curve: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """The hand method's plan of `programme` beside the solver's `plan` and its progress
    (`curve`: seconds, incumbent, bound and, if given, the stage's goals), goal by goal.

    Raises:
        AssertionError: when the hand method's plan breaks a hard rule.
    """
    started = time.perf_counter()
    hand = first_fit(programme)
    seconds = time.perf_counter() - started
    breaches = check(programme, hand)
    assert hand.status.found and not breaches, hand.explanation or breaches
    hand_goals = measure(programme, hand)
    last = [p for p in curve if len(p) < 4 or tuple(p[3]) == LAST]
    first = last[0] if last else None
    better = next((p[0] for p in last if p[1] <= hand_goals.objective), None)
    return {
        "hand": {"plan": "hand method", "seconds": seconds, **goal_row(hand_goals)},
        "first": {"plan": "solver first", "seconds": first[0], "S2+S4+S5": round(first[1])}
        if first
        else None,
        "final": {"plan": "solver final", "seconds": plan.solve_seconds,
                  **goal_row(measure(programme, plan))},
        "overtakes s": better,
    }


def _cells(size: str, row: dict[str, Any]) -> list[str]:
    row = {"size": size, **row}
    return [fmt.format(row[name]) if name in row else "-" for name, fmt in COLUMNS]


def rows_of(sized: Sequence[tuple[str, dict[str, Any]]]) -> list[list[str]]:
    """Each size's plans as table cells: the hand method, the solver's first, its final."""
    return [
        _cells(size, plan)
        for size, compared in sized
        for plan in (compared["hand"], compared["first"], compared["final"])
        if plan is not None
    ]


def table(sized: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The comparison as printed text."""
    cells = rows_of(sized)
    widths = [max(len(name), *(len(r[n].strip()) for r in cells)) for n, (name, _) in
              enumerate(COLUMNS)]
    lines = [" ".join(f"{name:>{w}}" for (name, _), w in zip(COLUMNS, widths, strict=True))]
    lines += [" ".join(f"{c.strip():>{w}}" for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def section(sized: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The comparison as a section of bench/RESULTS.md."""
    head = "| " + " | ".join(name for name, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(c.strip() for c in r) + " |" for r in rows_of(sized)]
    overtakes = [
        f"- {size}: "
        + (
            f"{compared['overtakes s']:.2f} s"
            if compared["overtakes s"] is not None
            else "never, in the time allowed"
        )
        for size, compared in sized
    ]
    return "\n".join(
        [
            "## The clerk's hand method beside the solver (issue 23)",
            "",
            "\"hand method\": each item in the file's order at the earliest meeting with room "
            "(`scheduler/solver/first_fit.py`), checked like the solver's plans. \"out\": items "
            "(an item, a quarter, an officer) placed nowhere, by priority; \"sessions out\": "
            "officers' later sessions not held; \"prefer days\": days outside `prefer` (S2); "
            "\"release waits\": meetings a recurring item waits after its release (S2); \"S4 "
            "days\": days short of the widest spread; \"S5 minutes\": fullest less emptiest "
            "agenda, summed over bodies; \"S2+S4+S5\": weighted as the solver weighs them. "
            "\"solver first\" is the first whole plan as progress reports it (the model's count, "
            "at least the plan's own).",
            "",
            head,
            rule,
            *body,
            "",
            "The solver's incumbent at or below the hand method's S2+S4+S5 from:",
            "",
            *overtakes,
            "",
        ]
    )
