"""How long the command line takes to start (issue 23): `scrutiny --help` and `scrutiny
validate` on Bromley, each run `RUNS` times in a fresh process, the median and the least in
wall seconds (the least is the machine's own speed, the median what a clerk waits). Printed
and written to bench/STARTS.md. Timing is measured here, never asserted in tests.

Run with `make bench`, or `python -m bench.starts [--runs 10]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.run import BROMLEY, HERE, machine

#: The command line as a clerk runs it: the installed script beside this Python, else the module.
_SCRIPT = Path(sys.executable).with_name("scrutiny")
SCRUTINY = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "scheduler.cli"]
#: Runs of each command.
RUNS = 10
#: The commands timed, by what they are.
COMMANDS = {
    "scrutiny --help": ["--help"],
    "scrutiny validate (Bromley)": ["validate", str(BROMLEY)],
}


def timed(arguments: list[str], runs: int) -> list[float]:
    """Wall seconds of each run of the command line with these arguments (exit 0 asserted)."""
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([*SCRUTINY, *arguments], capture_output=True, check=False)
        found.append(time.perf_counter() - started)
        assert done.returncode == 0, done.stderr.decode()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each ({RUNS})")
    args = parser.parse_args(argv)
    lines = [f"{'command':<28} {'median s':>8} {'least s':>8}"]
    for name, arguments in COMMANDS.items():
        seconds = timed(arguments, max(args.runs, 1))
        lines.append(f"{name:<28} {statistics.median(seconds):>8.3f} {min(seconds):>8.3f}")
    text = "\n".join(lines)
    print(text)
    Path(HERE / "STARTS.md").write_text(
        "# How long the command line takes to start (`python -m bench.starts`)\n\n"
        f"Machine: {machine()}.\n\nEach command run {args.runs} times, each in a fresh "
        "process: wall seconds.\n\n```\n" + text + "\n```\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
