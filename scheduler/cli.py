"""The `scrutiny` command: thin verbs over the library.

Each verb parses its arguments, calls the library and turns library errors into a clean exit:
0 success, 1 the answer is "no" (breaches, infeasible), 2 bad input. Never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence

from scheduler.check import check
from scheduler.check.warnings import warnings_of
from scheduler.dates.deadlines import programme_deadlines
from scheduler.errors import InputError, printable
from scheduler.files import replace_tree, write_atomically
from scheduler.outputs.deadline_table import RENDERERS
from scheduler.outputs.document import plan_quality
from scheduler.outputs.feeds import feeds
from scheduler.outputs.publish import check_fits, publish
from scheduler.outputs.report import FORMATS, markdown
from scheduler.outputs.report import RENDERERS as REPORTS
from scheduler.plan.changes import changes_text, reason_details
from scheduler.plan.model import Plan, load_plan, relative_gap, require_programme, unit_key
from scheduler.plan.suggestions import options_text
from scheduler.programme.load import load_programme
from scheduler.programme.model import Programme
from scheduler.programme.words import count
from scheduler.solver.build import SolveOptions
from scheduler.solver.suggest import suggest
from scheduler.verified import Verified, plan_checked

EXIT_OK, EXIT_NO, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 70

Command = Callable[[argparse.Namespace], int]


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a programme file and summarise it; print its warnings (DESIGN §4.6) on standard
    error: legal, but probably a slip (a weekend meeting, an overlap). They never change the
    exit code.

    Example:
        scrutiny validate data/bromley-ecf-2017-18.yaml
    """
    p = load_programme(args.file)
    meetings = sum(len(b.meetings) for b in p.bodies)
    print(
        f"{args.file}: valid: {p.title}: {len(p.bodies)} bodies, {meetings} meetings, "
        f"{len(p.items)} items, {len(p.people)} people, {len(p.events)} events"
    )
    _warn(p)
    return EXIT_OK


def _warn(p: Programme, previous: Plan | None = None) -> None:
    """Print what is legal but probably a slip (DESIGN §4.6); it never changes the exit code."""
    for warning in warnings_of(p, previous):
        print(f"warning: {printable(warning.text)}", file=sys.stderr)


def cmd_deadlines(args: argparse.Namespace) -> int:
    """Print every meeting's agenda publication, reports-due and public-questions deadlines.

    Example:
        scrutiny deadlines data/bromley-ecf-2017-18.yaml --format csv
    """
    p: Programme = load_programme(args.file)
    sys.stdout.write(RENDERERS[args.format](programme_deadlines(p)))
    return EXIT_OK


def _progress(seconds: float, objective: float, bound: float) -> None:
    if seconds >= 1.0:  # only long solves show their progress
        gap = 100 * relative_gap(objective, bound)
        print(
            f"  {seconds:6.1f} s  incumbent {objective:,.0f}  bound {bound:,.0f}  gap {gap:.2f} %",
            file=sys.stderr,
        )


def _summary(plan: Plan, verbose: bool = False) -> str:
    """The plan in a sentence: how good, how much it places; the solver's numbers if `verbose`."""
    found = "Plan found" if plan.complete else "Plan found without every item that must be placed"
    placed = count(sum(len(m.agenda) for m in plan.meetings), "agenda entry", "agenda entries")
    line = (
        f"{found}: {plan_quality(plan)}. {placed} at {count(len(plan.meetings), 'meeting')}, "
        f"{len(plan.unplaced)} not placed."
    )
    if verbose:
        line += (
            f" ({plan.status.value} in {plan.solve_seconds:.2f} s, objective {plan.objective}, "
            f"bound {plan.bound})"
        )
    return line


def _not_placed(plan: Plan, verbose: bool = False) -> list[str]:
    """Each item not placed by its title, with its reasons (their rules and ids if `verbose`);
    then the items the plan lists without placing: carried forward, suggested."""
    lines = []
    for entry in plan.unplaced:
        what = entry.title
        if entry.missing:
            what += f" ({count(entry.missing, 'session')} not placed)"
        if verbose:
            what += f" [{unit_key(entry.item, entry.occurrence)}]"
        lines.append(f"  not placed: {what}: {'; '.join(r.text for r in entry.reasons)}")
        if verbose:
            lines += [f"      {d}" for r in entry.reasons if (d := reason_details(r))]
            lines += [f"      conflict: {', '.join(entry.conflict)}"] if entry.conflict else []
    lines += [f"  carried forward: {i.title}: {i.text}" for i in plan.carried_forward]
    lines += [f"  suggested: {i.title}" for i in plan.suggested]
    return lines


def cmd_solve(args: argparse.Namespace) -> int:
    """Place every item; write the plan JSON and optionally the work programme in Markdown.

    The plan is checked against every rule (scrutiny check) before it is written. When the
    must items cannot all be placed, the best plan without them is written, the gap is said
    first, each is listed with what keeps it out, and the exit code is 1. Use "-" to print the
    Markdown. --verbose adds the solver's status and numbers, each reason's rule and the ids.

    Example:
        scrutiny solve data/bromley-ecf-2017-18.yaml -o out/plan.json --markdown out/wp.md
    """
    p = load_programme(args.file)
    _warn(p)
    verified = plan_checked(p, SolveOptions(time_limit=args.time_limit), progress=_progress)
    if not verified.keep:
        return _not_kept(args.file, verified, "the solver's plan", args.verbose)
    plan = verified.plan
    document = markdown(p, plan) if args.markdown else None
    write_atomically(args.output, plan.to_json())
    if args.markdown == "-":
        sys.stdout.write(document or "")
    elif args.markdown:
        write_atomically(args.markdown, document or "")
    print(f"{args.file}: {_summary(plan, args.verbose)}", file=sys.stderr)
    for line in [*plan.explanation, *_not_placed(plan, args.verbose)]:
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


def _as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written as YYYY-MM-DD") from None


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
    p = load_programme(args.file)
    previous = load_plan(args.against)
    require_programme(previous, p.id, args.against)
    _warn(p, previous)
    verified = plan_checked(
        p,
        SolveOptions(time_limit=args.time_limit),
        previous=previous,
        as_of=args.as_of,
        progress=_progress,
        source=args.against,
    )
    if not verified.keep:
        return _not_kept(args.file, verified, "the re-plan", args.verbose)
    plan = verified.plan
    write_atomically(args.output, plan.to_json())
    sys.stdout.write(changes_text(p, plan.changes or [], args.verbose))
    print(f"{args.file}: {_summary(plan, args.verbose)}", file=sys.stderr)
    print("\n".join(plan.explanation), file=sys.stderr)
    return EXIT_OK if plan.complete else EXIT_NO


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
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    options = suggest(
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


def cmd_feeds(args: argparse.Namespace) -> int:
    """Write the plan's calendar feeds (iCalendar) into a directory of their own.

    DIR/public/BODY.ics for each body (not informal ones), DIR/people/PERSON.ics for each
    person, DIR/clerk.ics with every meeting and deadline. Give the published plan (scrutiny
    publish): it carries each meeting's SEQUENCE and the meetings withdrawn since earlier
    versions. With --previous, a plan is numbered against the one published before on the spot.
    DTSTAMP comes from --published, else the plan's `published`, else the first day of the
    programme's year: never the clock, so the same plan gives the same bytes. The whole set is
    built first, then swapped in at once; files of feeds no longer made are removed.

    Example:
        scrutiny feeds data/bromley-ecf-2017-18.yaml out/published.json -o out/feeds
    """
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    previous = load_plan(args.previous) if args.previous else None
    built = feeds(
        p,
        plan,
        previous=previous,
        published=args.published,
        source=args.plan,
        previous_source=args.previous or "",
    )
    replace_tree(args.output, built, own={"public", "people", "clerk.ics"})
    events = sum(data.count(b"BEGIN:VEVENT") for data in built.values())
    print(f"{args.output}: {len(built)} feeds, {events} events", file=sys.stderr)
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    """Record a plan as published: when, and each meeting's revision count since the version
    published before (--previous), with the meetings since cancelled or removed kept as
    withdrawn. Calendar feeds of the recorded plan then tell subscribers what changed.

    Example:
        scrutiny publish data/bromley-ecf-2017-18.yaml out/plan-2.json \
            --previous out/published-1.json --published 2017-10-02T09:00:00Z -o out/published-2.json
    """
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    previous = load_plan(args.previous) if args.previous else None
    when = args.published or dt.datetime.now(dt.UTC).replace(microsecond=0)
    record = publish(
        p, plan, at=when, previous=previous, source=args.plan, previous_source=args.previous or ""
    )
    write_atomically(args.output, record.to_json())
    changed = sum(1 for m in record.meetings if m.revised is None and m.sequence)
    print(
        f"{args.output}: published {when.isoformat()}: {changed} meeting(s) revised, "
        f"{len(record.withdrawn)} withdrawn",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Write the work programme document clerks circulate: Markdown, HTML or Word.

    In the layout of the committee's Appendix 1: every body's meetings in date order with their
    items and status and each meeting's deadlines, then the delegated items, the scrutiny
    rotation against its set frequency and what could not be placed, with why. --audience
    public shows exempt items only as "Exempt item (Part 2)", withholds reasons that name them
    and leaves informal bodies out; clerk (the default) shows everything. Use -o - to print
    Markdown or HTML.

    Example:
        scrutiny report data/bromley-ecf-2017-18.yaml out/plan.json --format docx \
            --audience public -o out/work-programme.docx
    """
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    if not plan.status.found:
        print(f"{args.plan}: no plan to circulate: {plan.status.value}", file=sys.stderr)
        print("\n".join(plan.explanation), file=sys.stderr)
        return EXIT_NO
    check_fits(p, plan, args.plan)
    rendered = REPORTS[args.format](p, plan, args.audience)
    if args.output == "-":
        if isinstance(rendered, bytes):
            print(
                "report: Word goes to a file, not standard output (-o FILE.docx)", file=sys.stderr
            )
            return EXIT_BAD_INPUT
        sys.stdout.write(rendered)
    else:
        write_atomically(args.output, rendered)
        print(
            f"{args.output}: the work programme ({args.format}, {args.audience})", file=sys.stderr
        )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the web service (programmes, plan versions, publishing, feeds over HTTP).

    The database is DATABASE_URL (default: the SQLite file scrutiny.db here); the clerk's token
    is SCRUTINY_CLERK_TOKEN (at least 32 characters), or one made on first start and printed
    once. The API's OpenAPI description is at /openapi.json once it runs.

    Example:
        scrutiny serve --port 8000
    """
    from api.serve import serve  # the service is optional to the library: loaded only here
    from api.settings import SettingError

    try:
        serve(args.host, args.port, args.workers)
    except SettingError as err:  # e.g. a clerk's token too short: said, never a traceback
        print(f"scrutiny serve: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time with its zone, e.g. 2017-06-20T09:00:00Z"
        )
    return moment


def _verbose(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--verbose", action="store_true", help="also the solver's numbers, rule codes and ids"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every verb (its help text is the CLI reference)."""
    parser = argparse.ArgumentParser(
        prog="scrutiny", description="Plan a council scrutiny committee's year."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, func: Command, summary: str) -> argparse.ArgumentParser:
        doc = func.__doc__ or ""
        sub = verbs.add_parser(
            name,
            help=summary,
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(func=func)
        return sub

    sub = verb("validate", cmd_validate, "check a programme file")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub = verb("deadlines", cmd_deadlines, "print every meeting's deadlines")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("--format", choices=sorted(RENDERERS), default="table")
    sub = verb("solve", cmd_solve, "place every item and write the plan")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("-o", "--output", required=True, help="plan JSON to write")
    sub.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        help="deterministic seconds a solver stage may take (a solve has 4 stages, a re-plan 5)",
    )
    sub.add_argument("--markdown", help="also write the work programme as Markdown ('-': print)")
    _verbose(sub)
    sub = verb("check", cmd_check, "check a plan against every rule")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON")
    sub.add_argument("--against", help="the plan it replaced (with --as-of: check R10)")
    sub.add_argument("--as-of", type=_as_of, help="re-planning date (YYYY-MM-DD)")
    sub = verb("replan", cmd_replan, "re-plan against a published plan, moving the least")
    sub.add_argument("file", help="the edited programme file (YAML or JSON)")
    sub.add_argument("--against", required=True, help="the published plan JSON")
    sub.add_argument("--as-of", type=_as_of, help="re-planning date (YYYY-MM-DD): R10 applies")
    sub.add_argument("-o", "--output", required=True, help="new plan JSON to write")
    sub.add_argument("--time-limit", type=float, default=30.0, help="seconds per stage")
    _verbose(sub)
    sub = verb("suggest", cmd_suggest, "where could an item go: every meeting, with its cost")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="the plan JSON a re-plan would start from")
    sub.add_argument("--item", help="id of the item asked about")
    sub.add_argument("--new-item", help="a new item: the text of its entry (YAML or JSON)")
    sub.add_argument("--as-of", type=_as_of, help="re-planning date (YYYY-MM-DD): R10 applies")
    sub.add_argument("--time-limit", type=float, default=10.0, help="seconds per stage")
    sub.add_argument("--json", action="store_true", help="print the options as JSON")
    sub = verb("feeds", cmd_feeds, "write the plan's calendar feeds (iCalendar)")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON")
    sub.add_argument("-o", "--output", required=True, help="directory to write the feeds into")
    sub.add_argument("--previous", help="the plan published before (SEQUENCE, cancellations)")
    sub.add_argument(
        "--published", type=_moment, help="when this plan is published (ISO, with zone)"
    )
    sub = verb("report", cmd_report, "write the work programme document (md, html, docx)")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON")
    sub.add_argument("--format", choices=FORMATS, default="md")
    sub.add_argument("--audience", choices=("public", "clerk"), default="clerk")
    sub.add_argument("-o", "--output", required=True, help="file to write ('-': print md/html)")
    sub = verb("publish", cmd_publish, "record a plan as published (for its feeds)")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON (solved or re-planned)")
    sub.add_argument("-o", "--output", required=True, help="published plan JSON to write")
    sub.add_argument("--previous", help="the published plan before it")
    sub.add_argument("--published", type=_moment, help="when (ISO, with zone); default: now")
    sub = verb("serve", cmd_serve, "run the web service")
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sub.add_argument("--port", type=int, default=8000)
    sub.add_argument("--workers", type=int, default=1, help="processes (jobs run in each)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except InputError as err:
        print(err, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:  # an output path that cannot be written: nothing was
        print(f"scrutiny {args.verb}: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    return code


if __name__ == "__main__":
    raise SystemExit(main())
