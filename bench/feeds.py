"""Feed benchmark: seconds to build every calendar feed of a plan, and throughput.

For Bromley and a synthetic council of about 500 meetings (`bench.generate.council`): solve the
year (the council with a short limit: any feasible plan has the same feeds' shape), then build
every feed (public per body, private per person, the clerk's) RUNS times, alone and against a
previous plan (SEQUENCE and cancellations). Prints feeds, events, bytes, the median build
seconds, events and MB per second, and peak memory. Timing is measured here, never asserted.

Run with `python -m bench.feeds [--council-only]`.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import time
from pathlib import Path

import yaml

from bench.generate import council
from scheduler.feeds import feeds
from scheduler.model import Programme, load_programme, parse_programme
from scheduler.plan import Plan, SolveStatus
from scheduler.solve import SolveOptions, solve

BROMLEY = Path(__file__).parent.parent / "data" / "bromley-ecf-2017-18.yaml"
RUNS = 5


def _timed(
    programme: Programme, plan: Plan, previous: Plan | None
) -> tuple[float, dict[str, bytes]]:
    seconds, built = [], {}
    for _ in range(RUNS):
        started = time.perf_counter()
        built = feeds(programme, plan, previous=previous)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), built


def _row(name: str, programme: Programme, plan: Plan) -> list[str]:
    rows = []
    for label, previous in (("", None), (" vs previous", plan)):
        seconds, built = _timed(programme, plan, previous)
        events = sum(data.count(b"BEGIN:VEVENT") for data in built.values())
        size = sum(len(data) for data in built.values())
        meetings = len(plan.meetings)
        rows.append(
            f"{name + label:<32} {meetings:>8} {len(built):>6} {events:>7} {size / 1e6:>7.2f} "
            f"{seconds:>8.3f} {events / seconds:>9,.0f} {size / 1e6 / seconds:>6.1f}"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--council-only", action="store_true", help="skip Bromley")
    args = parser.parse_args(argv)
    cases: list[tuple[str, Programme]] = []
    if not args.council_only:
        cases.append(("Bromley ECF 2017/18", load_programme(BROMLEY)))
    cases.append(("council (seed 0)", parse_programme(yaml.safe_dump(council()), "council")))
    print(f"Feeds on {platform.machine()}, Python {platform.python_version()}, median of {RUNS}")
    print(
        f"{'programme':<32} {'meetings':>8} {'feeds':>6} {'events':>7} {'MB':>7} "
        f"{'seconds':>8} {'events/s':>9} {'MB/s':>6}"
    )
    for name, programme in cases:
        plan = solve(programme, SolveOptions(time_limit=20))
        assert plan.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), plan.explanation
        for line in _row(name, programme, plan):
            print(line)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process {peak:.0f} MiB (the solves included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
