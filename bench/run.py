"""The benchmark at council scale (DESIGN §9): five sizes, one table, and the solver's progress.

Sizes: Bromley itself, and synthetic councils (`bench.generate`) twice, ten and thirty times its
size, and the whole council (about 60 bodies, 500 meetings, 2,500 items). For each, in a process
of its own (so that its peak memory is its own):

- the model: variables, constraints, independent parts, seconds to build;
- the solve (`--time-limit` seconds for the whole solve, one worker): seconds to the
  first whole plan and in all, status, objective, bound, gap, peak memory;
- the re-plan after the middle meeting of the busiest committee moves a day: seconds, items
  moved, whether that is proven the least;
- every calendar feed of the published plan: seconds to build them;
- the clerk's hand method beside the solver, goal by goal (`bench.hand_method`).

Every plan and re-plan is checked by `scheduler.check` (asserted). The table is printed and
written with the machine to bench/RESULTS.md; the solves' incumbent and bound over time to
bench/progress.csv and bench/progress.png. Timing is measured here, never asserted in tests.

Run with `make bench`, or `python -m bench.run [--sizes Bromley,2x] [--time-limit 30]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.metadata
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench.edits import moved
from bench.generate import council, generate, to_yaml
from bench.hand_method import compare, section
from bench.hand_method import table as hand_table
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
SIZES: dict[str, Callable[[], dict[str, Any]]] = {
    "Bromley": lambda: yaml.safe_load(BROMLEY.read_text()),
    "2x": lambda: generate(2),
    "10x": lambda: generate(10),
    "30x": lambda: generate(30),
    "council": council,
}
PUBLISHED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # any fixed moment: feeds need one
COLUMNS = (
    ("size", "{:>8}"),
    ("bodies", "{:>6}"),
    ("meetings", "{:>8}"),
    ("items", "{:>5}"),
    ("variables", "{:>9}"),
    ("constraints", "{:>11}"),
    ("parts", "{:>5}"),
    ("build s", "{:>7.2f}"),
    ("first plan s", "{:>12.2f}"),
    ("solve s", "{:>7.2f}"),
    ("status", "{:>8}"),
    ("objective", "{:>11}"),
    ("bound", "{:>11}"),
    ("gap %", "{:>6.3f}"),
    ("peak MiB", "{:>8.0f}"),
    ("replan s", "{:>8.2f}"),
    ("moved", "{:>5}"),
    ("proven", "{!s:>6}"),
    ("feeds s", "{:>7.2f}"),
)


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
    curve: list[tuple[float, float, float]] = []
    solved = plan_checked(programme, options, progress=lambda s, o, b, g: curve.append((s, o, b)))
    assert solved.keep, solved.plan.explanation or solved.breaches
    plan = solved.plan
    # The solver's own seconds (model built, every stage): the check after it is not counted,
    # so that these stay comparable with earlier runs.
    solve_seconds = plan.solve_seconds
    edited = parse_programme(to_yaml(moved(data)), f"{name}-moved.yaml")
    replanned = plan_checked(edited, options, previous=plan)
    again = replanned.plan
    replan_seconds = again.solve_seconds
    assert replanned.keep and again.disruption is not None, again.explanation
    record = publish(programme, plan, at=PUBLISHED)
    started = time.perf_counter()
    made = feeds(programme, record)
    feed_seconds = time.perf_counter() - started
    objective, bound = plan.objective or 0, plan.bound or 0
    return {
        "size": name,
        "bodies": len(programme.bodies),
        "meetings": sum(len(b.meetings) for b in programme.bodies),
        "items": len(programme.items),
        "variables": len(built.model.proto.variables),
        "constraints": len(built.model.proto.constraints),
        "parts": _parts(built, options),
        "build s": build_seconds,
        "first plan s": curve[0][0] if curve else solve_seconds,
        "solve s": solve_seconds,
        "status": plan.status.value,
        "objective": objective,
        "bound": bound,
        "gap %": gap(objective, bound),
        "peak MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "replan s": replan_seconds,
        "moved": again.disruption.moved,
        "proven": again.disruption.proven,
        "feeds s": feed_seconds,
        "feeds": len(made),
        "curve": curve,
        "hand": compare(programme, plan, curve),
    }


def _parts(built: Built, options: SolveOptions) -> int:
    return len(split(built.model, options.part_size))


def gap(objective: float, bound: float) -> float:
    """How far the objective may be from the best, in % of it."""
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


def table(rows: list[dict[str, Any]]) -> str:
    head = " ".join(f"{name:>{len(fmt.format(rows[0][name]))}}" for name, fmt in COLUMNS)
    lines = [head]
    for row in rows:
        lines.append(" ".join(fmt.format(row[name]) for name, fmt in COLUMNS))
    return "\n".join(lines)


def markdown(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(name for name, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = [
        "| " + " | ".join(fmt.format(row[name]).strip() for name, fmt in COLUMNS) + " |"
        for row in rows
    ]
    return "\n".join([head, rule, *body])


def targets(rows: dict[str, dict[str, Any]]) -> list[str]:
    """The issue's targets against what was measured, where the size was run."""
    out = []
    if "Bromley" in rows:
        b = rows["Bromley"]
        ok = b["status"] == "optimal" and b["solve s"] < 1
        out.append(f"- Bromley proven optimal under 1 s: {b['status']} in {b['solve s']:.2f} s "
                   f"({'met' if ok else 'missed'})")
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
        ]
        out += [f"- {what}: {got} ({'met' if ok else 'missed'})" for what, got, ok in checks]
    return out


def gap_at(curve: list[list[float]], seconds: float, row: dict[str, Any]) -> float:
    """The gap of the best whole plan known `seconds` into the solve (the final one if done)."""
    if row["solve s"] <= seconds:
        return float(row["gap %"])
    known = [point for point in curve if point[0] <= seconds]
    if not known:
        return 100.0
    _, objective, bound = known[-1]
    return gap(round(objective), round(bound))


def write_curve(rows: list[dict[str, Any]]) -> None:
    with (HERE / "progress.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["size", "seconds", "incumbent", "bound"])
        for row in rows:
            for seconds, objective, bound in row["curve"]:
                writer.writerow([row["size"], f"{seconds:.3f}", round(objective), round(bound)])
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5))
    for row in rows:
        if not row["curve"]:
            continue
        seconds = [p[0] for p in row["curve"]] + [row["solve s"]]
        gaps = [max(gap(round(p[1]), row["bound"]), 1e-4) for p in row["curve"]]
        axis.step(seconds, [*gaps, gaps[-1]], where="post", label=row["size"])
    axis.axvline(60, color="grey", linestyle=":")
    axis.set_yscale("log")
    axis.set_xlabel("seconds since the solve began")
    axis.set_ylabel("% above the final proven bound")
    axis.set_title("The whole plan's incumbent as the solve goes (one CP-SAT worker)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(HERE / "progress.png", dpi=100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated, of " +
                        ", ".join(SIZES))
    parser.add_argument("--time-limit", type=float, default=30.0,
                        help="seconds for the whole solve (default 30)")
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
        child = subprocess.run(
            [sys.executable, "-m", "bench.run", "--one", name, "--time-limit",
             str(args.time_limit)],
            capture_output=True, text=True, check=False,
        )
        if child.returncode != 0:  # e.g. a plan that breaks a rule: say which, and stop
            print(child.stderr, file=sys.stderr)
            return child.returncode
        rows.append(json.loads(child.stdout))
    text = table(rows)
    print(machine())
    print(text)
    found = targets({row["size"]: row for row in rows})
    print("\n".join(found))
    hand = [(row["size"], row["hand"]) for row in rows]
    print(hand_table(hand))
    write_curve(rows)
    (HERE / "RESULTS.md").write_text(
        "# Benchmark results (`make bench`)\n\n"
        f"Machine: {machine()}.\n\nTime limit: {args.time_limit:g} seconds for the whole solve "
        "(every stage together). Re-plan: the middle meeting of the busiest committee moved a "
        "day.\n\n"
        f"{markdown(rows)}\n\nTargets (issue 10):\n\n" + "\n".join(found) + "\n\n"
        "The solves' incumbent and bound over time: `bench/progress.csv`, "
        "`bench/progress.png`.\n\n" + section(hand)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
