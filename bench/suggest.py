"""Where could it go? on the whole synthetic council (DESIGN §5, §9): seconds per item.

The council (`bench.generate.council`: about 60 bodies, 500 meetings, 2,500 items) is solved
once; then `scheduler.solver.suggest` is timed for a sample of its items spread over the file
(placed ones), every item the plan leaves out (up to `--unplaced`), and a new item in the
busiest committee. Each answer lists every meeting of the item's body. The target (issue 20):
under 2 s for any item. With `--check N`, the dearest possible option of the first N items is
compared with the real thing, the item pinned there and the whole council re-planned.

The table is printed and written to bench/SUGGEST.md. Timing is measured here, never asserted
in tests.

Run with `make bench`, or `python -m bench.suggest [--items 12] [--all] [--check 2]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.generate import council, to_yaml
from bench.run import machine
from scheduler.plan.model import Plan, unit_key
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Item, Programme
from scheduler.solver.build import SolveOptions
from scheduler.solver.neighbourhood import neighbourhood, restricted
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from scheduler.solver.suggest import suggest

HERE = Path(__file__).parent
TARGET = 2.0  # seconds, for any item
NEW_ITEM = (
    "{{id: urgent-call-in, title: Urgent call-in, body: {body}, kind: short, priority: high}}"
)


def one_place(item: Item) -> bool:
    """Items a pin places (once, at one meeting): the ones `suggest` answers for."""
    single = item.kind != "standing" and not item.every and not item.rotation
    return single and item.times == 1 and item.placed_here


def sample(programme: Programme, plan: Plan, items: int, unplaced: int) -> list[tuple[str, str]]:
    """(item id, case) to time: placed items spread over the file, unplaced ones, a new one."""
    asked = [i for i in programme.items if one_place(i)]
    left_out = {u.item for u in plan.unplaced}
    placed = [i for i in asked if i.id not in left_out]
    step = max(1, len(placed) // max(items, 1))
    chosen = [(i.id, "placed") for i in placed[::step][:items]]
    chosen += [(i.id, "unplaced") for i in asked if i.id in left_out][:unplaced]
    return [*chosen, ("", "new")]


def busiest(programme: Programme) -> str:
    """The committee with the most items."""
    counts = {b.id: 0 for b in programme.bodies if b.kind == "committee"}
    for item in programme.items:
        if item.body in counts:
            counts[item.body] += 1
    return max(counts, key=lambda b: counts[b])


def time_one(programme: Programme, plan: Plan, item: str, case: str) -> dict[str, Any]:
    new = NEW_ITEM.format(body=busiest(programme)) if case == "new" else None
    started = time.perf_counter()
    options = suggest(programme, plan, item or None, new_item=new)
    seconds = time.perf_counter() - started
    asked = item or "urgent-call-in"
    return {
        "item": asked,
        "case": case,
        "meetings": len(options),
        "possible": sum(o.possible for o in options),
        "seconds": seconds,
        "proven": all(o.proven for o in options),
        "options": options,
    }


def agrees(programme: Programme, plan: Plan, row: dict[str, Any]) -> str:
    """Whether the dearest possible option (the most to compare) is what pinning and
    re-planning the whole council gives."""
    best = max((o for o in row["options"] if o.possible), key=lambda o: o.cost, default=None)
    if best is None or row["case"] == "new":
        return "-"
    item = programme.items_by_id[row["item"]]
    pinned = item.model_copy(update={"meeting": best.meeting})
    edited = restricted(programme, items=[pinned if i is item else i for i in programme.items])
    again = replan(edited, plan, options=SolveOptions(time_limit=10))
    body = {i.id: i.body for i in programme.items}
    free = neighbourhood(programme, {}, item.body).free  # changes elsewhere: whatever is chosen
    changes = {
        (unit_key(c.item, c.occurrence), c.change, c.from_, c.to)
        for c in again.changes or []
        if c.item and c.item != item.id and body.get(c.item) in free
    }
    said = {
        (unit_key(c.item or "", c.occurrence), c.change, c.from_, c.to)
        for c in [*best.moves, *best.drops]
    }
    theirs = {c for c in changes if c[1] in ("moved", "unplaced")}
    return "yes" if theirs == said else f"no: re-plan {sorted(theirs)}, suggested {sorted(said)}"


def table(rows: list[dict[str, Any]]) -> str:
    head = "| item | case | meetings | possible | seconds | proven | agrees with re-plan |"
    lines = [head, "|---|---|---:|---:|---:|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['item']} | {r['case']} | {r['meetings']} | {r['possible']} | "
            f"{r['seconds']:.2f} | {r['proven']} | {r.get('agrees', '-')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=12, help="placed items to time")
    parser.add_argument("--unplaced", type=int, default=3, help="unplaced items to time, at most")
    parser.add_argument("--all", action="store_true", help="time every item a pin places")
    parser.add_argument(
        "--check",
        type=int,
        default=2,
        help="compare the best option of this many items with a re-plan",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        help="seconds of the council's whole solve (default 10)",
    )
    args = parser.parse_args(argv)
    programme = parse_programme(to_yaml(council()), "council.yaml")
    print("solving the council ...", file=sys.stderr, flush=True)
    plan = solve(programme, SolveOptions(time_limit=args.time_limit))
    asked = (
        [(i.id, "placed") for i in programme.items if one_place(i)]
        if args.all
        else sample(programme, plan, args.items, args.unplaced)
    )
    rows = []
    for n, (item, case) in enumerate(asked):
        row = time_one(programme, plan, item, case)
        if n < args.check:
            row["agrees"] = agrees(programme, plan, row)
        rows.append(row)
        print(f"  {row['item']}: {row['seconds']:.2f} s", file=sys.stderr, flush=True)
    seconds = [r["seconds"] for r in rows]
    worst = max(seconds)
    summary = (
        f"{len(rows)} items: median {statistics.median(seconds):.2f} s, slowest {worst:.2f} s "
        f"({max(rows, key=lambda r: r['seconds'])['item']}); under {TARGET:g} s for any item: "
        f"{'met' if worst < TARGET else 'missed'}"
    )
    shown = sorted(rows, key=lambda r: -r["seconds"])[:10] if args.all else rows
    text = ("The ten slowest:\n\n" if args.all else "") + table(shown)
    print(machine())
    print(text)
    print(summary)
    (HERE / "SUGGEST.md").write_text(
        "# Where could it go? on the synthetic council (`python -m bench.suggest`)\n\n"
        f"Machine: {machine()}.\n\nThe council's plan: {plan.status.value}, solved with "
        f"{args.time_limit:g} seconds for the whole solve.\n\n{text}\n\n{summary}\n"
    )
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
