"""The verbs that solve (`cli.plans` says what each does): the only part of the command that
loads the solver."""

from __future__ import annotations

import argparse
import json
import sys

from scheduler.cli.exits import EXIT_BUG, EXIT_NO, EXIT_OK
from scheduler.cli.slips import warn
from scheduler.cli.telling import not_placed, summary
from scheduler.files import write_atomically
from scheduler.outputs.report import markdown
from scheduler.plan.changes import changes_text
from scheduler.plan.model import load_plan, relative_gap, require_programme
from scheduler.plan.suggestions import options_text
from scheduler.programme.load import load_programme
from scheduler.programme.words import best_words
from scheduler.solver.build import SolveOptions
from scheduler.solver.suggest import suggest as options_for
from scheduler.verified import Verified, plan_checked

#: Each stage of a solve, in words (DESIGN §4.5: the goals in their order).
STAGE_WORDS = {
    ("S1-must",): "placing the must items",
    ("S1",): "placing the other items, by priority",
    ("S3",): "moving as little as possible",
    ("S1-order",): "among equals, the items listed first",
    ("S2", "S4", "S5"): "dates, spacing and even agendas",
}


def progress(seconds: float, objective: float, bound: float, goals: tuple[str, ...]) -> None:
    """Print how far a long solve's stage is from the best as it improves: each stage's own
    (the first stage's weight would hide the later ones' in one number)."""
    if seconds >= 1.0:  # only long solves show their progress
        stage = STAGE_WORDS.get(goals, "+".join(goals))
        print(
            f"  {seconds:6.1f} s  {stage}: {best_words(relative_gap(objective, bound))}",
            file=sys.stderr,
        )


def solve(args: argparse.Namespace) -> int:
    """The work of `scrutiny solve` (`plans.cmd_solve` says what it does)."""
    p = load_programme(args.file)
    warn(p)
    verified = plan_checked(p, SolveOptions(time_limit=args.time_limit), progress=progress)
    if not verified.keep:
        return _not_kept(args.file, verified, "the solver's plan", args.verbose)
    plan = verified.plan
    document = markdown(p, plan) if args.markdown else None
    write_atomically(args.output, plan.to_json())
    if args.markdown == "-":
        sys.stdout.write(document or "")
    elif args.markdown:
        write_atomically(args.markdown, document or "")
    print(f"{args.file}: {summary(plan, args.verbose)}", file=sys.stderr)
    for line in [*plan.explanation, *not_placed(plan, args.verbose)]:
        print(line, file=sys.stderr)
    return EXIT_OK if plan.complete else EXIT_NO


def _not_kept(file: str, verified: Verified, what: str, verbose: bool = False) -> int:
    """Say why a solve's plan is not written: none was found, or (a bug) it breaks rules."""
    plan = verified.plan
    if not verified.found:
        print(f"{file}: no plan" + (f" ({plan.status.value})" if verbose else ""), file=sys.stderr)
        print("\n".join(plan.explanation), file=sys.stderr)
        return EXIT_NO
    print(f"BUG: {what} breaks rules (nothing written):", file=sys.stderr)
    print("\n".join(str(b) for b in verified.breaches), file=sys.stderr)
    return EXIT_BUG


def replan(args: argparse.Namespace) -> int:
    """The work of `scrutiny replan` (`plans.cmd_replan` says what it does)."""
    p = load_programme(args.file)
    previous = load_plan(args.against)
    require_programme(previous, p.id, args.against)
    warn(p, previous)
    verified = plan_checked(
        p,
        SolveOptions(time_limit=args.time_limit),
        previous=previous,
        as_of=args.as_of,
        progress=progress,
        source=args.against,
    )
    if not verified.keep:
        return _not_kept(args.file, verified, "the re-plan", args.verbose)
    plan = verified.plan
    write_atomically(args.output, plan.to_json())
    sys.stdout.write(changes_text(p, plan.changes or [], args.verbose))
    print(f"{args.file}: {summary(plan, args.verbose)}", file=sys.stderr)
    print("\n".join(plan.explanation), file=sys.stderr)
    return EXIT_OK if plan.complete else EXIT_NO


def suggest(args: argparse.Namespace) -> int:
    """The work of `scrutiny suggest` (`plans.cmd_suggest` says what it does)."""
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    options = options_for(
        p,
        plan,
        args.item,
        options=SolveOptions(time_limit=args.time_limit),
        new_item=args.new_item,
        as_of=args.as_of,
        names=("--item", "--new-item", args.plan),
    )
    if args.json:
        data = [o.model_dump(mode="json", by_alias=True) for o in options]
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(options_text(options))
    return EXIT_OK if any(o.possible for o in options) else EXIT_NO
