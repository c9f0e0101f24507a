"""Bromley benchmark: build and solve seconds, status, objective, bound, peak memory, 5 runs.

Run with `make bench`. Timing is measured here, never asserted in tests.
"""

from __future__ import annotations

import platform
import resource
import statistics
import time
from pathlib import Path

import ortools

from scheduler.check import check
from scheduler.model import load_programme
from scheduler.solve import SolveOptions, build, solve

PROGRAMME = Path(__file__).parent.parent / "data" / "bromley-ecf-2017-18.yaml"
RUNS = 5


def main() -> None:
    p = load_programme(PROGRAMME)
    rows = []
    for run in range(1, RUNS + 1):
        started = time.perf_counter()
        built = build(p)
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        plan = solve(p, SolveOptions())
        total = time.perf_counter() - started
        assert check(p, plan) == [], "a benchmarked plan must pass check.py"
        stats = built.model.proto
        rows.append((run, build_seconds, total, plan.status.value, plan.objective, plan.bound,
                     len(stats.variables), len(stats.constraints)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Bromley ECF 2017/18 on {platform.machine()}, Python {platform.python_version()}, "
          f"OR-Tools {ortools.__version__}, 1 worker")
    print(f"{'run':>3} {'build s':>8} {'solve s':>8} {'status':>8} {'objective':>9} {'bound':>6} "
          f"{'vars':>5} {'cons':>5}")
    for run, b, s, status, objective, bound, variables, constraints in rows:
        print(f"{run:>3} {b:8.3f} {s:8.3f} {status:>8} {objective:>9} {bound:>6} {variables:>5} "
              f"{constraints:>5}")
    print(f"median solve (incl. build) {statistics.median(r[2] for r in rows):.3f} s; "
          f"peak memory of the process {peak:.0f} MiB")


if __name__ == "__main__":
    main()
