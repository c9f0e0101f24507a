"""The verbs of a programme's plans: check, solve, replan, suggest (`cli.programmes` has the
verbs of a programme alone).

The three that solve load the solver (OR-Tools, half a second to import) only when they run
(`cli.solving`): the other verbs never wait for it.
"""

from __future__ import annotations

import argparse
import sys

from scheduler.check import check
from scheduler.cli.exits import EXIT_BAD_INPUT, EXIT_NO, EXIT_OK
from scheduler.errors import printable
from scheduler.plan.model import load_plan, require_programme
from scheduler.programme.load import load_programme


def cmd_solve(args: argparse.Namespace) -> int:
    """Place every item; write the plan JSON and optionally the work programme in Markdown.

    The plan is checked against every rule (scrutiny check) before it is written. When the
    must items cannot all be placed, the best plan without them is written, the gap is said
    first, each is listed with what keeps it out, and the exit code is 1. Use "-" to print the
    Markdown. --verbose adds the solver's status and numbers, each reason's rule and the ids.

    Example:
        scrutiny solve data/bromley-ecf-2017-18.yaml -o out/plan.json --markdown out/wp.md
    """
    from scheduler.cli.solving import solve  # the solver loads here, only for the verbs that solve

    return solve(args)


def cmd_check(args: argparse.Namespace) -> int:
    """Check a plan (solved or hand-made) against every hard rule; list every breach.

    Exit 0 when clean, 1 with the breaches, 2 for bad input. With --against and --as-of, the
    plan is a re-plan and R10 (frozen) is checked against the plan it replaced.

    Example:
        scrutiny check data/bromley-ecf-2017-18.yaml data/bromley-ecf-2017-18.appendix1.plan.json
    """
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    require_programme(plan, p.id, args.plan)
    previous = load_plan(args.against) if args.against else None
    if (previous is None) != (args.as_of is None):
        print("check: --against and --as-of go together (R10)", file=sys.stderr)
        return EXIT_BAD_INPUT
    breaches = check(p, plan, previous=previous, as_of=args.as_of)
    for breach in breaches:
        print(printable(str(breach)))  # a hand-made plan's ids may hold anything
    if not breaches:
        print(f"{args.plan}: no breaches")
    return EXIT_NO if breaches else EXIT_OK


def cmd_replan(args: argparse.Namespace) -> int:
    """Re-plan an edited programme against the plan already published, moving as little as possible.

    Edit the programme first (a meeting moved with `moved_from`, cancelled or added; an item
    changed; somebody's new unavailability). The new plan places as much as a plan from scratch
    would, then moves the fewest item occurrences (those with witnesses weigh more), then meets
    the other soft goals. With --as-of, meetings before that date keep their agendas and no new
    item goes to a meeting whose reports are already due (R10). The changes, and who must be told
    of each (names and e-mail addresses), are printed and written into the new plan; --verbose
    adds their ids and rules.

    Example:
        scrutiny replan data/bromley-ecf-2017-18.yaml --against out/plan.json \
            --as-of 2017-10-01 -o out/plan-2.json
    """
    from scheduler.cli.solving import replan

    return replan(args)


def cmd_suggest(args: argparse.Namespace) -> int:
    """Where could an item go? Every meeting of its body, best first, each with what putting the
    item there would cost: the items that would move or be left out, days outside preferred
    dates, who would be told; or why it cannot go there, the reason first. Nothing is written.

    Ask about an item of the programme (placed or not) with --item, or about a new one with
    --new-item and the text of its entry, checked as the file's items are. To choose a meeting,
    pin the item there (its `meeting:` key) and run `scrutiny replan` against the same plan.
    Exit 0 with the options, 1 when no meeting can take it, 2 for bad input.

    Example:
        scrutiny suggest data/bromley-ecf-2017-18.yaml out/plan.json --item camhs
    """
    if args.item is None and args.new_item is None:
        print("suggest: give --item ID or --new-item TEXT", file=sys.stderr)
        return EXIT_BAD_INPUT
    from scheduler.cli.solving import suggest

    return suggest(args)
