"""The re-plans `bench.run` measures on each size (issue 23): the middle ordinary meeting of the
busiest committee moved a day, cancelled, or somebody the plan needs there away that day
(`bench.edits`), each re-planned against the size's plan and checked (asserted).

For each: the seconds of the whole re-plan (the model built and every stage), the seconds after
the model is built (about: the whole less a build of the same model timed apart; the search of
the part the edit touched, and the check of the parts held), the
placements moved and whether that is proven the least, the placements held as published without
a search (`solver.held`), and whether the clock cut it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from bench.edits import EDITS
from bench.generate import to_yaml
from bench.hand_method import cells, markdown_table, text_table
from scheduler.plan.changes import movable_meetings
from scheduler.plan.model import Plan
from scheduler.programme.load import parse_programme
from scheduler.solver.build import SolveOptions, build
from scheduler.verified import plan_checked

#: (column, format) of the re-plans' table.
COLUMNS = (
    ("size", "{}"),
    ("edit", "{}"),
    ("seconds", "{:.2f}"),
    ("build s", "{:.2f}"),
    ("search s", "{:.2f}"),
    ("moved", "{}"),
    ("proven", "{}"),
    ("held", "{}"),
    ("cut", "{}"),
)


def measure(
    name: str, data: dict[str, Any], plan: Plan, options: SolveOptions
) -> list[dict[str, Any]]:
    """Each edit's re-plan of the size (none where the size has no committee meeting to edit)."""
    found = []
    for edit, make in EDITS.items():
        try:
            edited = make(data, plan)
        except (ValueError, IndexError, StopIteration):  # no such meeting, or nobody there
            continue
        programme = parse_programme(to_yaml(edited), f"{name}-{edit}.yaml")
        started = time.perf_counter()
        build(programme, previous=movable_meetings(programme, plan))
        build_seconds = time.perf_counter() - started
        replanned = plan_checked(programme, options, previous=plan)
        again = replanned.plan
        assert replanned.keep and again.disruption is not None, again.explanation
        found.append(
            {
                "size": name,
                "edit": edit,
                "seconds": again.solve_seconds,
                "build s": build_seconds,
                "search s": max(again.solve_seconds - build_seconds, 0.0),
                "moved": again.disruption.moved,
                "proven": again.disruption.proven,
                "held": again.disruption.held,
                "cut": not again.reproducible,
                "placements": sorted(again.placements()),
            }
        )
    return found


def table(rows: Sequence[dict[str, Any]]) -> str:
    """Every size's re-plans as printed text."""
    return text_table(COLUMNS, [cells(COLUMNS, r) for row in rows for r in row["replans"]])


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    """Every size's re-plans as a table of bench/RESULTS.md."""
    return markdown_table(COLUMNS, [cells(COLUMNS, r) for row in rows for r in row["replans"]])
