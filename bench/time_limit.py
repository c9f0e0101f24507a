"""Time-limit benchmark: a solve job asked for N seconds on the whole synthetic council, and
how long it took (issue 22: asked for 30 seconds, it once took 187 while its progress read
100 % at 37).

Runs the service in this process (its app on a fresh SQLite database in a temporary directory,
through FastAPI's test client: the same job runner `scrutiny serve` runs), uploads the council
(`bench.generate.council`), and for each time limit starts a solve job and polls it every
`POLL` seconds until it ends. Prints, for each: the seconds asked for, the job's own seconds
(solving and checking), the seconds from request to "done" seen by the client, the largest
progress read while it ran, when it first read 99 %, the plan's status and how good it is, and
whether the plan says the clock stopped its search. Timing is measured here, never asserted in
tests.

Run with `python -m bench.time_limit [--limits 3,30]`.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from bench.generate import council, to_yaml
from scheduler.plan.model import relative_gap
from scheduler.programme.words import best_words
from scheduler.solver.solve import CUT

TOKEN = "bench-clerk-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
POLL = 0.1  # seconds between polls


def measure(client: TestClient, pid: str, limit: float) -> dict[str, Any]:
    """One solve job asked for `limit` seconds, polled until it ends."""
    asked = time.monotonic()
    response = client.post(f"/programmes/{pid}/jobs", json={"time_limit": limit}, headers=AUTH)
    response.raise_for_status()
    location = response.headers["Location"]
    most, at_99 = 0.0, None
    while True:
        job: dict[str, Any] = client.get(location, headers=AUTH).json()
        if job["state"] not in ("queued", "running"):
            break
        most = max(most, job["progress"])
        if at_99 is None and job["progress"] >= 0.99:
            at_99 = time.monotonic() - asked
        time.sleep(POLL)
    latency = time.monotonic() - asked
    plan: dict[str, Any] = {}
    if job["plan"] is not None:
        plan = client.get(f"/programmes/{pid}/plans/{job['plan']}", headers=AUTH).json()
    return {
        "asked": limit,
        "job": job["elapsed_seconds"],
        "latency": latency,
        "most": most,
        "at_99": at_99,
        "state": job["state"],
        "status": plan.get("status", "-"),
        "good": _good(plan),
        "cut": CUT in job["message"],
    }


def _good(plan: dict[str, Any]) -> str:
    if plan.get("status") == "optimal":
        return "proven best"
    if plan.get("objective") is None or plan.get("bound") is None:
        return "-"
    return best_words(relative_gap(plan["objective"], plan["bound"]) or None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.time_limit", description=__doc__)
    parser.add_argument("--limits", default="3,30", help="seconds to ask for, comma-separated")
    args = parser.parse_args(argv)
    limits = [float(x) for x in args.limits.split(",")]
    text = to_yaml(council())
    with tempfile.TemporaryDirectory() as directory:
        database = f"sqlite:///{Path(directory) / 'bench.db'}"
        app = create_app(Settings(database_url=database, clerk_token=TOKEN), announce=False)
        with TestClient(app) as client:
            started = time.monotonic()
            response = client.post(
                "/programmes",
                content=text.encode(),
                headers={**AUTH, "Content-Type": "application/yaml"},
            )
            response.raise_for_status()
            print(f"Council uploaded in {time.monotonic() - started:.1f} s.")
            print(
                f"{'asked s':>7} {'job s':>6} {'latency s':>9} {'most read':>9} "
                f"{'99 % at s':>9} {'status':>8} {'cut':>5}  how good"
            )
            for limit in limits:
                r = measure(client, response.json()["id"], limit)
                at_99 = f"{r['at_99']:9.1f}" if r["at_99"] is not None else f"{'-':>9}"
                print(
                    f"{r['asked']:7g} {r['job']:6.1f} {r['latency']:9.1f} {r['most']:9.0%} "
                    f"{at_99} {r['status']:>8} {r['cut']!s:>5}  {r['good']}"
                )
    print(f"Machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the end.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
