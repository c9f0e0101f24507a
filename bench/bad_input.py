"""Bad input, measured: every file of the corpus through the CLI, each run in a process of its own.

Each case of `tests/bad_inputs.py` goes through `scrutiny validate`, `deadlines` and `solve`,
each run a subprocess (`python -m scheduler.cli`) with a wall-clock timeout and an address-space
limit, two at a time. Every run ends in one outcome:

- valid: exit 0; no plan: exit 1 from solve (its "no plan" answer, no traceback);
- located: exit 2, every stderr line naming the file (as the README's "Bad input");
- unlocated: exit 2, some stderr line that does not;
- raw control: an answer (any of the above) that hands the terminal a raw control character
  (an escape sequence, NUL, a carriage return) on stdout or stderr;
- traceback: an exception escaped (Python prints "Traceback"); memory: it ran out of its
  address space (MemoryError, std::bad_alloc); signal: killed by a signal; timeout: still
  running at the limit, killed; other: any other exit code.

The table counts runs by kind of damage and outcome; then the slowest run, the run with the
largest peak RSS (from wait4, so each run's own), and every run that is not valid, no plan or
located, grouped by cause: the exception and the innermost frame of our code that raised it.

Run with `python -m bench.bad_input [--only TEXT] [--verbs validate,solve] [--timeout 10]`.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.bad_inputs import Case, corpus

REPO = Path(__file__).parent.parent
VERBS = ("validate", "deadlines", "solve")
OUTCOMES = (
    "valid",
    "no plan",
    "located",
    "unlocated",
    "raw control",
    "traceback",
    "memory",
    "signal",
    "timeout",
    "other",
)
#: A located message: FILE[:LINE]: [LOCATION: ]MESSAGE.
LOCATED = re.compile(r"^\S+?(:\d+)?: (\S.*: )?\S.*$")
#: Characters a terminal must never be handed raw: C0 and C1 controls but newline.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
#: A frame of a Python traceback: its file, line and function.
FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)', re.M)


@dataclass(frozen=True)
class Limits:
    """What each run may take.

    Attributes:
        timeout: wall-clock seconds before the run is killed.
        memory: bytes of address space (RLIMIT_AS).
        time_limit: the whole solve's time (`solve --time-limit`).
    """

    timeout: float
    memory: int
    time_limit: float


@dataclass(frozen=True)
class Run:
    """One verb on one case, measured.

    Attributes:
        case: the case's name.
        kind: the case's kind of damage.
        verb: the CLI verb.
        outcome: one of OUTCOMES.
        seconds: wall-clock seconds.
        peak_kib: the process's peak resident set, KiB.
        cause: for a failure, the exception and where our code raised it; else empty.
    """

    case: str
    kind: str
    verb: str
    outcome: str
    seconds: float
    peak_kib: int
    cause: str


def _wait(
    process: subprocess.Popen[bytes], timeout: float
) -> tuple[int, resource.struct_rusage, bool]:
    """Wait for the child with wait4 (its own rusage), killing it at the timeout."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            timed_out = True
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.005)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return process.returncode, usage, timed_out


def classify(code: int, out: str, err: str, path: str, timed_out: bool) -> tuple[str, str]:
    """The outcome of a run from its exit code and output, and its cause when it failed."""
    if timed_out:
        return "timeout", "timeout"
    if "MemoryError" in err or "std::bad_alloc" in err:
        return "memory", cause(err) or "MemoryError"
    if "Traceback (most recent call last)" in err:
        return "traceback", cause(err)
    if code < 0:
        return "signal", f"killed by {signal.Signals(-code).name}"
    if code == 2:
        lines = err.split("\n")[:-1] if err.endswith("\n") else err.split("\n")
        bad = [x for x in lines if not (x.startswith(f"{path}:") and LOCATED.match(x))]
        if bad or not lines:
            return "unlocated", f"exit 2, a line not located: {(bad or [''])[0][:60]!r}"
    if code not in (0, 1, 2):
        return "other", f"exit {code}: {err.strip().splitlines()[-1][:120] if err.strip() else ''}"
    for stream, text in (("stderr", err), ("stdout", out)):
        if raw := sorted(set(RAW_CONTROL.findall(text))):
            return "raw control", f"exit {code}, raw {', '.join(map(repr, raw))} on {stream}"
    return {0: "valid", 1: "no plan", 2: "located"}[code], ""


def cause(err: str) -> str:
    """`ExceptionType: message at file.py:function`, for the innermost frame of our own code;
    numbers in the message are written N, so that one cause is one group."""
    frames = list(FRAME.finditer(err))
    tail = err[frames[-1].end() :] if frames else err
    line = next((x for x in tail.splitlines() if x and not x.startswith(" ")), "?")
    exception, _, message = line.partition(": ")
    message = re.sub(r"\\u[0-9a-fA-F]{4}|\d+", "N", message)[:60]
    said = f"{exception}: {message}" if message else exception
    ours = [m for m in frames if _ours(m["file"])]
    if not ours:
        return said
    where = Path(ours[-1]["file"]).resolve().relative_to(REPO.resolve())
    return f"{said} at {where}:{ours[-1]['func']}"


def _read(file: IO[bytes]) -> str:
    """A child's whole output, undecodable bytes shown as escapes."""
    file.seek(0)
    return file.read().decode("utf-8", "backslashreplace")


def _ours(file: str) -> bool:
    """True for a file of this repository's code (not the venv's libraries)."""
    return file.startswith(str(REPO)) and "site-packages" not in file


def run(case: Case, verb: str, limits: Limits) -> Run:
    """Run `scrutiny VERB` on the case in a fresh directory, in a process of its own."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / case.name
        path.write_bytes(case.data)
        argv = [sys.executable, "-m", "scheduler.cli", verb, str(path)]
        if verb == "solve":
            argv += [
                "-o",
                str(Path(folder) / "out" / "plan.json"),
                "--time-limit",
                str(limits.time_limit),
            ]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.monotonic()
            child = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=REPO,
                preexec_fn=lambda: resource.setrlimit(
                    resource.RLIMIT_AS, (limits.memory, limits.memory)
                ),
            )
            code, usage, timed_out = _wait(child, limits.timeout)
            seconds = time.monotonic() - started
            stdout, stderr = _read(out), _read(err)
    outcome, why = classify(code, stdout, stderr, str(path), timed_out)
    return Run(case.name, case.kind, verb, outcome, seconds, usage.ru_maxrss, why)


def _run_all(
    cases: Iterable[Case], verbs: Iterable[str], limits: Limits, workers: int
) -> list[Run]:
    tasks = [(case, verb) for case in cases for verb in verbs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, case, verb, limits) for case, verb in tasks]
        runs = []
        for n, future in enumerate(futures, 1):
            runs.append(future.result())
            if n % 100 == 0:
                print(f"  {n} of {len(futures)} runs", file=sys.stderr, flush=True)
    return runs


def table(runs: list[Run]) -> str:
    """Runs counted by kind and outcome, then by verb and outcome."""
    shown = [o for o in OUTCOMES if any(r.outcome == o for r in runs)]
    width = max(len(r.kind) for r in runs) + 2
    head = "kind".ljust(width) + "".join(f"{o:>12}" for o in shown) + f"{'runs':>7}"
    lines = [head, "-" * len(head)]
    for label, key in (("kind", lambda r: r.kind), ("verb", lambda r: f"[{r.verb}]")):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for r in runs:
            counts[key(r)][r.outcome] += 1
        names = sorted(counts) if label == "kind" else [f"[{v}]" for v in VERBS]
        for name in (n for n in names if n in counts):
            row = counts[name]
            cells = "".join(f"{row[o] or '':>12}" for o in shown)
            lines.append(name.ljust(width) + cells + f"{sum(row.values()):>7}")
        lines.append("-" * len(head))
    total = Counter(r.outcome for r in runs)
    lines.append("all".ljust(width) + "".join(f"{total[o]:>12}" for o in shown) + f"{len(runs):>7}")
    return "\n".join(lines)


def failures(runs: list[Run]) -> str:
    """Every run that is not valid, no plan or located, grouped by cause, most frequent first."""
    groups: dict[str, list[Run]] = defaultdict(list)
    for r in runs:
        if r.outcome not in ("valid", "no plan", "located"):
            groups[f"{r.outcome}: {r.cause}"].append(r)
    if not groups:
        return "Every run is valid, no plan, or refused with located messages."
    lines = [f"Runs that fail, by cause ({sum(len(g) for g in groups.values())} runs):"]
    for why, group in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        lines.append(f"  {len(group):4}  {why}")
        cases = sorted({r.case for r in group})
        verbs = sorted({r.verb for r in group}, key=VERBS.index)
        lines.append(
            f"        {', '.join(verbs)} on: {', '.join(cases[:8])}"
            + (f" ... ({len(cases)} cases)" if len(cases) > 8 else "")
        )
    return "\n".join(lines)


def _named(r: Run) -> str:
    """The run as the summary names it: verb, case, outcome and cause."""
    return f"{r.verb} {r.case} ({r.outcome}{': ' + r.cause if r.cause else ''})"


def main(argv: list[str] | None = None) -> int:
    """Measure the corpus; print the table, the worst run and the failures by cause."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="cases whose name contains this text")
    parser.add_argument("--verbs", default=",".join(VERBS), help="comma-separated verbs")
    parser.add_argument("--timeout", type=float, default=10.0, help="wall seconds a run (10)")
    parser.add_argument("--memory-mib", type=int, default=1024, help="address space a run (1024)")
    parser.add_argument("--time-limit", type=float, default=2.0, help="solve --time-limit (2)")
    parser.add_argument("--workers", type=int, default=2, help="runs at a time (2)")
    args = parser.parse_args(argv)
    verbs = [v for v in args.verbs.split(",") if v]
    if unknown := [v for v in verbs if v not in VERBS]:
        parser.error(f"unknown verb {', '.join(unknown)}: choose from {', '.join(VERBS)}")
    cases = [c for c in corpus() if args.only in c.name]
    if not cases:
        parser.error(f"no case's name contains {args.only!r}")
    limits = Limits(args.timeout, args.memory_mib * 1024 * 1024, args.time_limit)
    print(
        f"{len(cases)} cases x {len(verbs)} verbs, {args.workers} at a time, "
        f"{args.timeout:g} s and {args.memory_mib} MiB each ...",
        file=sys.stderr,
        flush=True,
    )
    runs = _run_all(cases, verbs, limits, args.workers)
    print(table(runs))
    slowest = max(runs, key=lambda r: r.seconds)
    largest = max(runs, key=lambda r: r.peak_kib)
    print(f"\nslowest run:  {slowest.seconds:6.2f} s    {_named(slowest)}")
    print(f"largest run:  {largest.peak_kib / 1024:6.0f} MiB  {_named(largest)}")
    print()
    print(failures(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
