"""Re-plan benchmark: seconds and items moved after one meeting moves or is cancelled.

For Bromley and synthetic councils (`bench.generate`): solve the year, then edit one meeting (the
middle meeting of the largest committee) and re-plan against the solved plan. Prints, per size
and edit: solve seconds of the published plan, re-plan seconds, status, occurrences moved and
their weight, the proven bound, and whether the minimum is proven. Every plan must pass
`check.py` (asserted). Timing is measured here, never asserted in tests.

Run with `python -m bench.replan [--council]`.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ortools
import yaml

from bench.generate import council, generate
from scheduler.check import check
from scheduler.model import Programme, parse_programme
from scheduler.replan import replan
from scheduler.solve import SolveOptions, solve

Data = dict[str, Any]
BROMLEY = Path(__file__).parent.parent / "data" / "bromley-ecf-2017-18.yaml"
OPTIONS = SolveOptions(time_limit=60)


def load(data: Data, name: str) -> Programme:
    return parse_programme(yaml.safe_dump(data, sort_keys=False), name)


def _as_dict(meeting: Any) -> Data:
    return dict(meeting) if isinstance(meeting, dict) else {"date": meeting}


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def middle_meeting(data: Data) -> tuple[int, int]:
    """(body index, meeting index) of the middle ordinary meeting of the busiest committee."""
    bodies = [
        (len(b["meetings"]), -n, n)
        for n, b in enumerate(data["bodies"])
        if b.get("kind", "committee") == "committee"
    ]
    _, _, body = max(bodies)
    meetings = data["bodies"][body]["meetings"]
    ordinary = [
        k
        for k, m in enumerate(meetings)
        if not _as_dict(m).get("special") and _as_dict(m).get("status") != "cancelled"
    ]
    return body, ordinary[len(ordinary) // 2]


def moved(data: Data) -> Data:
    """The middle meeting a day later (two if its body already meets that day), keeping its id."""
    data = copy.deepcopy(data)
    body, k = middle_meeting(data)
    meetings = data["bodies"][body]["meetings"]
    entry = _as_dict(meetings[k])
    taken = {_day(_as_dict(m)["date"]) for m in meetings}
    day = _day(entry["date"]) + dt.timedelta(days=1)
    while day in taken:
        day += dt.timedelta(days=1)
    entry["moved_from"], entry["date"] = entry.get("moved_from", entry["date"]), day.isoformat()
    meetings[k] = entry
    return data


def cancelled(data: Data) -> Data:
    """The middle meeting cancelled."""
    data = copy.deepcopy(data)
    body, k = middle_meeting(data)
    meetings = data["bodies"][body]["meetings"]
    meetings[k] = {**_as_dict(meetings[k]), "status": "cancelled"}
    return data


EDITS: dict[str, Callable[[Data], Data]] = {"moved": moved, "cancelled": cancelled}


def sizes(whole_council: bool) -> list[tuple[str, Data]]:
    out = [
        ("Bromley", yaml.safe_load(BROMLEY.read_text())),
        ("2x", generate(2)),
        ("10x", generate(10)),
    ]
    return [*out, ("council", council())] if whole_council else out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--council", action="store_true", help="also the whole council (slow)")
    args = parser.parse_args(argv)
    print(f"Re-plan on {platform.machine()}, Python {platform.python_version()}, "
          f"OR-Tools {ortools.__version__}, 1 worker, {OPTIONS.time_limit:.0f} s a stage")
    print(f"{'size':>8} {'meetings':>8} {'published':>10} {'edit':>9} {'solve s':>8} "
          f"{'replan s':>8} {'status':>10} {'moved':>5} {'weight':>6} {'bound':>5} {'proven':>6}")
    for name, data in sizes(args.council):
        p = load(data, f"{name}.yaml")
        started = time.perf_counter()
        published = solve(p, OPTIONS)
        solve_seconds = time.perf_counter() - started
        assert check(p, published) == [], "a benchmarked plan must pass check.py"
        meetings = sum(len(b.meetings) for b in p.bodies)
        for edit, change in EDITS.items():
            edited = load(change(data), f"{name}-{edit}.yaml")
            started = time.perf_counter()
            new = replan(edited, published, options=OPTIONS)
            seconds = time.perf_counter() - started
            d = new.disruption
            if d is not None:
                assert check(edited, new) == [], "a benchmarked re-plan must pass check.py"
            print(f"{name:>8} {meetings:>8} {published.status.value:>10} {edit:>9} "
                  f"{solve_seconds:8.2f} {seconds:8.2f} "
                  f"{new.status.value:>10} {d.moved if d else '-':>5} "
                  f"{d.weight if d else '-':>6} {d.bound if d else '-':>5} "
                  f"{(d.proven if d else '-')!s:>6}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
