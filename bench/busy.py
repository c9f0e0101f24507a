"""Reproducibility on a busy machine (issue 23): the sizes measured twice at once, side by side.

Two copies of `python -m bench.run --sizes ... --time-limit ...` start together, each in a
process of its own (each measures its sizes one after another, each size in a process of its
own), so that every solve runs while the other copy keeps the machine busy. Reported for each
size: whether the clock cut each copy's solve and re-plan (the plan says `reproducible: false`),
and whether the two copies placed every item alike, in the solve and in the re-plan (where each
item goes, not how long it took); then how many plans the clock cut in all (target: none).
Neither copy writes bench/RESULTS.md or bench/progress.*; the comparison goes to bench/BUSY.md.

Run with `python -m bench.busy` (the five sizes, 30 s each; about twice as long as they take
alone), or `python -m bench.busy --sizes Bromley,2x --time-limit 10`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.hand_method import cells, text_table
from bench.run import FIVE, HERE, SIZES, cut_count, machine

#: (column, format) of the comparison of the two copies; "-" where the edit does not apply.
COLUMNS = (
    ("size", "{}"),
    ("cut", "{}"),
    ("twin cut", "{}"),
    ("same plan", "{}"),
    ("replan cut", "{}"),
    ("twin replan cut", "{}"),
    ("same re-plan", "{}"),
)


def _same(one: str | None, other: str | None) -> bool | None:
    return None if one is None or other is None else one == other


def side_by_side(
    rows: Sequence[dict[str, Any]], twins: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each size as both copies measured it (`bench.run`'s rows, in the same order)."""
    return [
        {
            "size": row["size"],
            "cut": row["cut"],
            "twin cut": twin["cut"],
            "same plan": _same(row["placements"], twin["placements"]),
            "replan cut": row["replan cut"],
            "twin replan cut": twin["replan cut"],
            "same re-plan": _same(row["replan placements"], twin["replan placements"]),
        }
        for row, twin in zip(rows, twins, strict=True)
    ]


def report(rows: Sequence[dict[str, Any]], twins: Sequence[dict[str, Any]]) -> str:
    """The comparison as printed text, then how many plans the clock cut in both copies."""
    compared = side_by_side(rows, twins)
    differ = [c["size"] for c in compared if c["same plan"] is False or c["same re-plan"] is False]
    return "\n".join(
        [
            text_table(COLUMNS, [cells(COLUMNS, c) for c in compared]),
            *cut_count([*rows, *twins]),
            f"sizes whose plans differ between the copies: {', '.join(differ) or 'none'}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(FIVE), help="comma-separated, of " +
                        ", ".join(SIZES) + " (default: the five sizes)")
    parser.add_argument("--time-limit", type=float, default=30.0,
                        help="seconds for each whole solve (default 30)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        files = [Path(folder) / f"{copy}.json" for copy in ("run", "twin")]
        copies = [
            subprocess.Popen(
                [sys.executable, "-m", "bench.run", "--sizes", args.sizes, "--time-limit",
                 str(args.time_limit), "--rows", str(file)],
                stdout=subprocess.DEVNULL,
            )
            for file in files
        ]
        codes = [copy.wait() for copy in copies]
        if any(codes):
            return max(codes)
        rows, twins = (json.loads(file.read_text()) for file in files)
    text = report(rows, twins)
    print(text)
    (HERE / "BUSY.md").write_text(
        "# Two copies of the benchmark at once (`python -m bench.busy`)\n\n"
        f"Machine: {machine()}.\n\nSizes: {args.sizes}; {args.time_limit:g} seconds for each "
        "whole solve. \"cut\": the clock stopped a search before its deterministic limit (the "
        "plan says `reproducible: false`); \"same plan\": both copies placed every item "
        "alike.\n\n```\n" + text + "\n```\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
