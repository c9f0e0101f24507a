"""The clerk's hand method beside the solver, goal by goal (issue 23), and the bench's tables.

For each size and shape `bench.run` measures, in the same run: the hand method's plan
(`scheduler.solver.first_fit`: each item in the file's order at the earliest meeting with room,
no search), timed and checked by `scheduler.check` (asserted) like the solver's, and each
plan's goals (`scheduler.solver.goals`): items left out by priority, rotation officers' later
sessions not held (S1), days outside `prefer` (S2), meetings a quarter's report waits after its
release (S2), days short of the widest spread (S4), minutes between the fullest and emptiest
agendas (S5), and the three weighted as the solver weighs them (S2+S4+S5, the last stage's
goals and the plan's objective); and when the solver's incumbent first reaches the hand
method's S2+S4+S5. The solver's first whole plan is the hand method's own (`solve.hand_start`):
every stage starts from it and keeps it unless it finds better, in the goals' order. The plan
the last stage begins from (after the placing stages, which may place items the hand method
left out, moving others) is known as progress reports it: its own S2+S4+S5, with no
goal-by-goal row ("last stage begins").

`compare` makes one size's numbers; `table` and `section` its printed and bench/RESULTS.md
forms; `write_progress` the solver's incumbent over time beside the hand method's, in
bench/progress.csv and bench/progress.png. `cells`, `text_table` and `markdown_table` are the
forms of every table of the bench (`bench.run` and `bench.busy` use them too): "-" where a row
has no such number.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

from scheduler.check import check
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme
from scheduler.solver.first_fit import first_fit
from scheduler.solver.goals import Goals, measure
from scheduler.solver.solve import LAST

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
        "first": {"plan": "last stage begins", "seconds": first[0], "S2+S4+S5": round(first[1])}
        if first
        else None,
        "final": {"plan": "solver final", "seconds": plan.solve_seconds,
                  **goal_row(measure(programme, plan))},
        "overtakes s": better,
    }


def cells(columns: Sequence[tuple[str, str]], row: dict[str, Any]) -> list[str]:
    """A row's cells: each value in its column's format, a truth as "yes" or "no", and "-"
    where the row has no such value (None or no key)."""
    shown = {name: ("yes" if value else "no") if isinstance(value, bool) else value
             for name, value in row.items()}
    return [fmt.format(shown[name]).strip() if shown.get(name) is not None else "-"
            for name, fmt in columns]


def text_table(columns: Sequence[tuple[str, str]], rows: Sequence[list[str]]) -> str:
    """Cells as printed text: a header of the columns' names, each column right-aligned."""
    widths = [max(len(name), *(len(r[n]) for r in rows)) for n, (name, _) in enumerate(columns)]
    lines = [[name for name, _ in columns], *rows]
    return "\n".join(
        " ".join(f"{c:>{w}}" for c, w in zip(line, widths, strict=True)) for line in lines
    )


def markdown_table(columns: Sequence[tuple[str, str]], rows: Sequence[list[str]]) -> str:
    """Cells as a Markdown table, numbers right-aligned."""
    head = "| " + " | ".join(name for name, _ in columns) + " |"
    rule = "|" + "|".join("---:" for _ in columns) + "|"
    return "\n".join([head, rule, *("| " + " | ".join(r) + " |" for r in rows)])


def rows_of(sized: Sequence[tuple[str, dict[str, Any]]]) -> list[list[str]]:
    """Each size's plans as table cells: the hand method, the solver's first, its final."""
    return [
        cells(COLUMNS, {"size": size, **plan})
        for size, compared in sized
        for plan in (compared["hand"], compared["first"], compared["final"])
        if plan is not None
    ]


def table(sized: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The comparison as printed text."""
    return text_table(COLUMNS, rows_of(sized))


def section(sized: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The comparison as a section of bench/RESULTS.md."""
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
            "The solver's first whole plan is the hand method's; \"last stage begins\" is the "
            "plan after the placing stages, its own S2+S4+S5 as progress reports it: it may place "
            "items the hand method left out, moving others.",
            "",
            markdown_table(COLUMNS, rows_of(sized)),
            "",
            "The solver's incumbent at or below the hand method's S2+S4+S5 from:",
            "",
            *overtakes,
            "",
        ]
    )


def write_progress(rows: Sequence[dict[str, Any]], folder: Path) -> None:
    """The last stage's incumbent and bound as the solve went (`bench.run`'s rows), each point
    with its stage's goals, to progress.csv in `folder`; and progress.png (`draw_progress`)."""
    with (folder / "progress.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["size", "seconds", "incumbent", "bound", "goals"])
        for row in rows:
            for seconds, objective, bound, goals in row["curve"]:
                writer.writerow(
                    [row["size"], f"{seconds:.3f}", round(objective), round(bound), "+".join(goals)]
                )
    draw_progress(rows).savefig(folder / "progress.png", dpi=100)


def _out(plan: dict[str, Any]) -> int:
    """Items (an item, a quarter, an officer) a plan's goal row says are placed nowhere."""
    return sum(n for name, n in plan.items() if name.endswith(" out") and name != "sessions out")


def draw_progress(rows: Sequence[dict[str, Any]]) -> Figure:
    """A small panel for each size (their scales differ a thousandfold): the solver's
    incumbent on the last stage's goals as the solve goes, in their own weighted units, and
    the hand method's as a dashed line of the same colour, to see whether the solver's ever
    lies above it; the first whole plan (the clerk's, before any search) marked; and how many
    items each leaves out (placing comes first: a plan that places more may count more days
    and minutes)."""
    across = min(3, len(rows))
    down = -(-len(rows) // across)
    figure = Figure(figsize=(4.2 * across, 3.2 * down))
    axes = list(figure.subplots(down, across, squeeze=False).flat)
    for n, (axis, row) in enumerate(zip(axes, rows, strict=False)):
        colour = f"C{n % 10}"
        points = [p for p in row["curve"] if tuple(p[3]) == LAST]
        if points:
            seconds = [p[0] for p in points] + [max(row["solve s"], points[-1][0])]
            incumbent = [p[1] for p in points]
            axis.step(seconds, [*incumbent, incumbent[-1]], where="post", color=colour,
                      label="solver")
        hand, final = row["hand"]["hand"], row["hand"]["final"]
        axis.axhline(hand["S2+S4+S5"], color=colour, linestyle="--", label="hand method")
        if row["curve"]:  # the first whole plan, before any search: the clerk's own
            axis.plot([row["curve"][0][0]], [hand["S2+S4+S5"]], marker="o", color=colour,
                      label="first plan")
        axis.text(0.97, 0.95, f"items out: hand {_out(hand)}, solver {_out(final)}",
                  transform=axis.transAxes, ha="right", va="top", fontsize="small")
        axis.set_title(row["size"])
        axis.set_xlim(left=0)
        axis.set_xlabel("seconds since the solve began")
        axis.set_ylabel("S2+S4+S5, weighted")
        axis.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        axis.legend(fontsize="small")
    for axis in axes[len(rows):]:
        axis.set_visible(False)
    figure.suptitle("The last stage's incumbent as the solve goes (one CP-SAT worker), and the "
                    "clerk's hand method's (dashed)")
    figure.tight_layout()
    return figure
