"""The benchmark at council scale (DESIGN §9): five sizes and three hard shapes.

The solver on each, beside the clerk's hand method, and the solver's progress.

Sizes: Bromley itself, and synthetic councils (`bench.generate`) twice, ten and thirty times its
size, and the whole council (about 60 bodies, 500 meetings, 2,500 items); then the shapes an
audit found hard (`bench.shapes`, issue 23): 24 committees at the same hour sharing 6 officers
("same-hour"), one committee with three times the items it has room for ("oversubscribed"),
and 62 items at 4 meetings each ("recurring"). For each, in a process of its own (so that its
peak memory is its own):

- the model: variables, constraints, independent parts, seconds to build;
- the solve (`--time-limit` seconds for the whole solve, one worker): seconds to the first
  whole plan (the clerk's, the first progress reports, before any search) and in all, status,
  objective and bound (the
  last stage's: S2+S4+S5), gap, peak memory, and "cut": whether the clock stopped a search
  before its deterministic limit (the plan says `reproducible: false`: another run may differ);
- each stage's value, bound and gap (the plan's `levels`: S1-must, S1, S1-order, S2+S4+S5),
  proven or not, or not searched when the time was up before it;
- the re-plans (`bench.replans`) after the middle meeting of the busiest committee moves a
  day, is cancelled, or somebody the plan needs there is away: seconds in all and once the model
  is built, items moved, whether that is proven the least, placements held unsearched, and
  whether the clock cut it; the moved meeting's also in the main table ("-" where the shape has
  no such meeting);
- every calendar feed of the published plan: seconds to build them;
- the clerk's hand method beside the solver, goal by goal (`bench.hand_method`).

Every plan and re-plan is checked by `scheduler.check` (asserted). The tables, the targets
(issues 10 and 23) and how many plans the clock cut are printed, and written with the machine
to bench/RESULTS.md; the last stage's incumbent and bound over time to bench/progress.csv, and
bench/progress.png draws each size's incumbent beside the hand method's. Timing is measured
here, never asserted in tests. `bench.busy` runs this twice at once, to see what a loaded
machine changes.

Run with `make bench`, or `python -m bench.run [--sizes Bromley,2x,same-hour] [--time-limit 30]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from bench.generate import council, generate, to_yaml
from bench.hand_method import (
    LAST,
    cells,
    compare,
    markdown_table,
    section,
    text_table,
    write_progress,
)
from bench.hand_method import table as hand_table
from bench.replans import markdown as replan_markdown
from bench.replans import measure as measure_replans
from bench.replans import table as replan_table
from bench.shapes import SHAPES
from scheduler.outputs.feeds import feeds
from scheduler.outputs.publish import publish
from scheduler.plan.model import relative_gap
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.build import Built, SolveOptions, build
from scheduler.solver.parts import split
from scheduler.verified import plan_checked

HERE = Path(__file__).parent
BROMLEY = HERE.parent / "data" / "bromley-ecf-2017-18.yaml"
#: The five sizes of a council, then the hard shapes (by `bench.generate --shape`'s names).
SIZES: dict[str, Callable[[], dict[str, Any]]] = {
    "Bromley": lambda: yaml.safe_load(BROMLEY.read_text()),
    "2x": lambda: generate(2),
    "10x": lambda: generate(10),
    "30x": lambda: generate(30),
    "council": council,
    **SHAPES,
}
FIVE = ("Bromley", "2x", "10x", "30x", "council")
PUBLISHED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # any fixed moment: feeds need one
#: (column, format) of the main table; "-" where a size has no such number.
COLUMNS = (
    ("size", "{}"),
    ("bodies", "{}"),
    ("meetings", "{}"),
    ("items", "{}"),
    ("variables", "{}"),
    ("constraints", "{}"),
    ("parts", "{}"),
    ("build s", "{:.2f}"),
    ("first plan s", "{:.2f}"),
    ("solve s", "{:.2f}"),
    ("status", "{}"),
    ("objective", "{}"),
    ("bound", "{}"),
    ("gap %", "{:.3f}"),
    ("cut", "{}"),
    ("peak MiB", "{:.0f}"),
    ("replan s", "{:.2f}"),
    ("replan search s", "{:.2f}"),
    ("moved", "{}"),
    ("proven", "{}"),
    ("feeds s", "{:.2f}"),
)
#: The stages of a plan from scratch, in their order: what a plan with no `levels` did not reach.
LAST_WORDS = "+".join(LAST)
STAGES = ("S1-must", "S1", "S1-order", LAST_WORDS)
#: (column, format) of the gap by stage.
STAGE_COLUMNS = (
    ("size", "{}"),
    ("stage", "{}"),
    ("value", "{}"),
    ("bound", "{}"),
    ("gap %", "{:.3f}"),
    ("proven", "{}"),
)
#: The re-plan's numbers: all None where the edit does not apply to the shape.
REPLAN_KEYS = ("replan s", "replan search s", "moved", "proven", "replan cut", "replan placements")


def _load(name: str, data: dict[str, Any]) -> Programme:
    """The size's programme: Bromley's own file (its lines in messages), else `data`."""
    text = BROMLEY.read_text() if name == "Bromley" else to_yaml(data)
    return parse_programme(text, f"{name}.yaml")


def measure(name: str, time_limit: float) -> dict[str, Any]:
    """Every number of one size, in this process."""
    data = SIZES[name]()
    programme = _load(name, data)
    started = time.perf_counter()
    built = build(programme)
    build_seconds = time.perf_counter() - started
    options = SolveOptions(time_limit=time_limit)
    curve: list[tuple[float, float, float, list[str]]] = []
    solved = plan_checked(
        programme, options, progress=lambda s, o, b, g: curve.append((s, o, b, list(g)))
    )
    assert solved.keep, solved.plan.explanation or solved.breaches
    plan = solved.plan
    replans = measure_replans(name, data, plan, options)
    record = publish(programme, plan, at=PUBLISHED)
    started = time.perf_counter()
    made = feeds(programme, record)
    feed_seconds = time.perf_counter() - started
    return {
        "size": name,
        "bodies": len(programme.bodies),
        "meetings": sum(len(b.meetings) for b in programme.bodies),
        "items": len(programme.items),
        "variables": len(built.model.proto.variables),
        "constraints": len(built.model.proto.constraints),
        "parts": _parts(built, options),
        "build s": build_seconds,
        "first plan s": curve[0][0] if curve else plan.solve_seconds,
        # The solver's own seconds (model built, every stage): the check after it is not
        # counted, so that these stay comparable with earlier runs.
        "solve s": plan.solve_seconds,
        "status": plan.status.value,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap %": gap(plan.objective, plan.bound),
        "cut": not plan.reproducible,
        "levels": [level.model_dump() for level in plan.levels],
        "placements": placements_digest(plan.placements()),
        "peak MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **replan_numbers(replans),
        "replans": [{k: v for k, v in r.items() if k != "placements"} for r in replans],
        "feeds s": feed_seconds,
        "feeds": len(made),
        "curve": curve,
        "hand": compare(programme, plan, curve),
    }


def replan_numbers(replans: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The main table's re-plan: the middle meeting of the busiest committee moved a day; None
    for each where the size has no such meeting (a shape of only special meetings)."""
    moved = next((r for r in replans if r["edit"] == "moved"), None)
    if moved is None:
        return dict.fromkeys(REPLAN_KEYS)
    return {
        "replan s": moved["seconds"],
        "replan search s": moved["search s"],
        "moved": moved["moved"],
        "proven": moved["proven"],
        "replan cut": moved["cut"],
        "replan placements": placements_digest(moved["placements"]),
    }


def placements_digest(placements: Sequence[Any]) -> str:
    """A short digest of where a plan puts every item: two plans alike share it."""
    return hashlib.sha256(json.dumps(list(placements)).encode()).hexdigest()[:16]


def _parts(built: Built, options: SolveOptions) -> int:
    return len(split(built.model, options.part_size))


def gap(objective: float | None, bound: float | None) -> float | None:
    """How far the objective may be from the best, in % of it (None without both)."""
    if objective is None or bound is None:
        return None
    return 100 * relative_gap(objective, bound)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory = next(
        (
            int(line.split()[1]) / 1024 / 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0.0,
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; OR-Tools "
        f"{importlib.metadata.version('ortools')}; one CP-SAT worker"
    )


def table(rows: Sequence[dict[str, Any]]) -> str:
    """The sizes as printed text."""
    return text_table(COLUMNS, [cells(COLUMNS, row) for row in rows])


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    """The sizes as a table of bench/RESULTS.md."""
    return markdown_table(COLUMNS, [cells(COLUMNS, row) for row in rows])


def stage_rows(row: dict[str, Any]) -> list[dict[str, Any]]:
    """One size's gap by stage: each stage's goals, value, bound, gap and whether proven.

    A stage is "not searched" when the time was up before it: one that reported no progress
    (every stage reports from its start when searched), every stage of a solve that found no
    plan.
    """
    levels = row["levels"]
    if not levels:
        return [{"size": row["size"], "stage": stage, "proven": "not searched"} for stage in STAGES]
    reported = {"+".join(point[3]) for point in row["curve"]}
    out = []
    for level in levels:
        stage = "+".join(level["goals"])
        searched = stage in reported
        out.append(
            {
                "size": row["size"],
                "stage": stage,
                "value": level["value"],
                "bound": level["bound"],
                "gap %": gap(level["value"], level["bound"]),
                "proven": level["proven"] if searched else "not searched",
            }
        )
    return out


def _stage_cells(rows: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [cells(STAGE_COLUMNS, stage) for row in rows for stage in stage_rows(row)]


def stage_table(rows: Sequence[dict[str, Any]]) -> str:
    """The gap by stage as printed text."""
    return text_table(STAGE_COLUMNS, _stage_cells(rows))


def stage_markdown(rows: Sequence[dict[str, Any]]) -> str:
    """The gap by stage as a table of bench/RESULTS.md."""
    return markdown_table(STAGE_COLUMNS, _stage_cells(rows))


def cut_count(rows: Sequence[dict[str, Any]]) -> list[str]:
    """How many plans the clock cut (`reproducible: false`): the solves', then the re-plans'
    (every edit that applies to the size; a row measured before there were three: its one)."""
    solves = [row["cut"] for row in rows]
    replans = [
        r["cut"] for row in rows
        for r in row.get("replans") or ([{"cut": row["replan cut"]}] if "replan cut" in row else [])
        if r["cut"] is not None
    ]
    return [
        f"plans the clock cut: {sum(solves)} of {len(solves)}",
        f"re-plans the clock cut: {sum(replans)} of {len(replans)}",
    ]


def _met(ok: bool) -> str:
    return "met" if ok else "missed"


def targets(rows: dict[str, dict[str, Any]]) -> list[str]:
    """The issues' targets against what was measured, where the size was run."""
    out = []
    if "Bromley" in rows:
        b = rows["Bromley"]
        ok = b["status"] == "optimal" and b["solve s"] < 1
        out.append(f"- Bromley proven optimal under 1 s: {b['status']} in {b['solve s']:.2f} s "
                   f"({_met(ok)})")
    if "council" in rows:
        c = rows["council"]
        at_60 = gap_at(c["curve"], 60.0, c)
        checks = [
            ("whole council feasible under 10 s", f"{c['first plan s']:.1f} s",
             c["first plan s"] < 10),
            ("gap to bound under 1 % at 60 s", f"{at_60:.3f} %", at_60 < 1),
            ("peak memory under 1 GiB", f"{c['peak MiB']:.0f} MiB", c["peak MiB"] < 1024),
            ("re-plan under 2 s with proven-minimal churn",
             f"{c['replan s']:.2f} s, {c['moved']} moved, proven {c['proven']}",
             c["replan s"] < 2 and c["proven"]),
            ("re-plan after a meeting moves under 1 s of solver time (once the model is built)",
             f"{c['replan search s']:.2f} s", c["replan search s"] < 1),
        ]
        out += [f"- {what}: {got} ({_met(ok)})" for what, got, ok in checks]
    for name in SHAPES:
        if name in rows:
            first, bound = rows[name]["first plan s"], rows[name]["bound"]
            searched = LAST_WORDS in {"+".join(point[3]) for point in rows[name]["curve"]}
            # S2, S4 and S5 count days and minutes: a bound of 0 or less says nothing of them
            # (unless the plan's are 0 too); one below 0 is only the counts' ranges
            gap_left = gap(rows[name]["objective"], bound)
            found = searched and gap_left is not None and gap_left < 100
            out += [
                f"- {name}: first plan within 2 s: {first:.2f} s ({_met(first < 2)})",
                f"- {name}: a bound from a search of the last stage, under 100 % from the plan: "
                f"{bound if bound is not None else 'none'} ({_met(found)})",
            ]
    return out


def gap_at(curve: Sequence[Sequence[Any]], seconds: float, row: dict[str, Any]) -> float:
    """The gap of the best whole plan known `seconds` into the solve (the final one if done)."""
    if row["solve s"] <= seconds and row["gap %"] is not None:
        return float(row["gap %"])
    known = [point for point in curve if point[0] <= seconds and tuple(point[3]) == LAST]
    if not known:
        return 100.0
    return 100 * relative_gap(round(known[-1][1]), round(known[-1][2]))


def results(rows: Sequence[dict[str, Any]], time_limit: float, found: Sequence[str]) -> str:
    """bench/RESULTS.md: the machine, the tables, the targets and the plans the clock cut."""
    hand = [(row["size"], row["hand"]) for row in rows]
    return "\n".join(
        [
            "# Benchmark results (`make bench`)",
            "",
            f"Machine: {machine()}.",
            "",
            f"Time limit: {time_limit:g} seconds for the whole solve (every stage together). "
            "Re-plan: the middle meeting of the busiest committee moved a day. \"cut\": the "
            "clock stopped a search before its deterministic limit (the plan says "
            "`reproducible: false`: another run may give another plan).",
            "",
            markdown(rows),
            "",
            "Targets (issues 10 and 23):",
            "",
            *found,
            "",
            *(f"{line}.  " for line in cut_count(rows)),
            "",
            "## Gap by stage",
            "",
            "Each stage of the solve (DESIGN §4.5: the must items, then the others by priority, "
            "then the file's order, then S2, S4 and S5 together), its value and the best the "
            "search proved possible, in the stage's own weighted units: S1's weight would hide "
            "the later goals' gap in one number. \"not searched\": the time was up before it.",
            "",
            stage_markdown(rows),
            "",
            "## Re-plans",
            "",
            "Each size's plan re-planned after the middle ordinary meeting of the busiest "
            "committee moves a day, is cancelled, or somebody the plan needs there is away that "
            "day. \"search s\": the seconds once the model is built; \"held\": placements "
            "kept as published without a search, their part of the model untouched by the edit "
            "and proven best there (`scheduler/solver/held.py`).",
            "",
            replan_markdown(rows),
            "",
            "The last stage's incumbent and bound over time: `bench/progress.csv`, "
            "`bench/progress.png`.",
            "",
            section(hand),
        ]
    )


def _measured_apart(name: str, time_limit: float) -> subprocess.CompletedProcess[str]:
    """`measure` in a process of its own (its peak memory its own), its row as JSON."""
    return subprocess.run(
        [sys.executable, "-m", "bench.run", "--one", name, "--time-limit", str(time_limit)],
        capture_output=True, text=True, check=False,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated, of " +
                        ", ".join(SIZES))
    parser.add_argument("--time-limit", type=float, default=30.0,
                        help="seconds for the whole solve (default 30)")
    parser.add_argument("--rows", help="write the rows measured as JSON to this file instead of "
                        "bench/RESULTS.md and bench/progress.* (bench.busy)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # measure one size, print JSON
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.time_limit)))
        return 0
    names = [n for n in args.sizes.split(",") if n]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    rows = []
    for name in names:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        child = _measured_apart(name, args.time_limit)
        if child.returncode != 0:  # e.g. a plan that breaks a rule: say which, and stop
            print(child.stderr, file=sys.stderr)
            return child.returncode
        rows.append(json.loads(child.stdout))
    found = targets({row["size"]: row for row in rows})
    print(machine())
    print(table(rows))
    print("\n".join([*found, *cut_count(rows)]))
    print("gap by stage")
    print(stage_table(rows))
    print("re-plans")
    print(replan_table(rows))
    print(hand_table([(row["size"], row["hand"]) for row in rows]))
    if args.rows:
        Path(args.rows).write_text(json.dumps(rows))
        return 0
    write_progress(rows, HERE)
    (HERE / "RESULTS.md").write_text(results(rows, args.time_limit, found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
