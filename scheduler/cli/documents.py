"""The verbs that publish a plan: report (the work programme document), publish, feeds.

`report` and `feeds` take `--body` (repeatable) for one committee's, or a few committees',
document and feeds alone (`outputs.bodies.only`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from urllib.parse import urlsplit

from scheduler.cli.exits import EXIT_BAD_INPUT, EXIT_NO, EXIT_OK
from scheduler.files import replace_tree, write_atomically
from scheduler.outputs.bodies import only
from scheduler.outputs.feeds import feeds
from scheduler.outputs.ical import REFRESH_MINUTES
from scheduler.outputs.publish import check_fits, publish
from scheduler.outputs.report import RENDERERS
from scheduler.plan.model import Plan, load_plan
from scheduler.programme.load import load_programme
from scheduler.programme.model import Programme


def cmd_feeds(args: argparse.Namespace) -> int:
    """Write the plan's calendar feeds (iCalendar) into a directory of their own.

    DIR/public/BODY.ics for each body (not informal ones), DIR/people/PERSON.ics for each
    person, DIR/clerk.ics with every meeting and deadline. Give the published plan (scrutiny
    publish): it carries each meeting's SEQUENCE and the meetings withdrawn since earlier
    versions. With --previous, a plan is numbered against the one published before on the spot.
    DTSTAMP comes from --published, else the plan's `published`, else the first day of the
    programme's year: never the clock, so the same plan gives the same bytes. The whole set is
    built first, then swapped in at once; files of feeds no longer made are removed. With
    --body (repeatable), only those bodies' feeds, and their meetings alone in the people's
    and the clerk's (a body's sub-committees only when named too).

    Each feed asks calendars to read it again every --refresh minutes (default 60). Each
    meeting links to its public page: Modern.gov's, when the programme names the council's
    Modern.gov (`moderngov`) and the meeting has its number there; else, given --public-url
    (the service's address), the service's public page of the programme at the meeting.

    Example:
        scrutiny feeds data/bromley-ecf-2017-18.yaml out/published.json -o out/feeds
    """
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    previous = load_plan(args.previous) if args.previous else None
    if args.body:
        check_fits(p, plan, args.plan)
        if previous is not None:
            previous = only(p, previous, args.body)[1]
        p, plan = only(p, plan, args.body)
    built = feeds(
        p,
        plan,
        previous=previous,
        published=args.published,
        refresh=dt.timedelta(minutes=args.refresh),
        public_page=f"{args.public_url}/public/{p.id}" if args.public_url else None,
        source=args.plan,
        previous_source=args.previous or "",
    )
    replace_tree(args.output, built, own={"public", "people", "clerk.ics"})
    events = sum(data.count(b"BEGIN:VEVENT") for data in built.values())
    print(f"{args.output}: {len(built)} feeds, {events} events", file=sys.stderr)
    return EXIT_OK


def refresh_minutes(text: str) -> int:
    """`--refresh MINUTES`: how often calendars should read the feeds again (argparse's type)."""
    least, most = REFRESH_MINUTES
    if not (text.isascii() and text.isdigit() and len(text) < 9 and least <= int(text) <= most):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number of minutes from {least} to {most} (a week), e.g. 60"
        )
    return int(text)


def web_base(text: str) -> str:
    """`--public-url BASE`: the service's address, http(s), without a trailing slash."""
    try:
        parts = urlsplit(text)
        good = parts.scheme in ("http", "https") and bool(parts.hostname)
        good = good and not (parts.query or parts.fragment)
    except ValueError:  # e.g. an unclosed [IPv6 address
        good = False
    if not good or not text.isprintable() or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a web address such as https://scrutiny.council.gov.uk"
        )
    return text.rstrip("/")


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


def found_plan(args: argparse.Namespace, what: str) -> tuple[Programme, Plan] | None:
    """The programme and plan of `args` (cut to `--body`), the plan checked to be the
    programme's; None, said on standard error, when the plan found none (nothing to `what`)."""
    p = load_programme(args.file)
    plan = load_plan(args.plan)
    if not plan.status.found:
        print(f"{args.plan}: no plan to {what}: {plan.status.value}", file=sys.stderr)
        print("\n".join(plan.explanation), file=sys.stderr)
        return None
    check_fits(p, plan, args.plan)
    if args.body:
        p, plan = only(p, plan, args.body)
    return p, plan


def cmd_report(args: argparse.Namespace) -> int:
    """Write the work programme document clerks circulate: Markdown, HTML or Word.

    In the layout of the committee's Appendix 1: every body's meetings in date order with their
    items and status and each meeting's deadlines, then the delegated items, the scrutiny
    rotation against its set frequency and what could not be placed, with why. --audience
    public shows exempt items only as "Exempt item (Part 2)", withholds reasons that name them
    and leaves informal bodies out; clerk (the default) shows everything. --body (repeatable)
    makes one committee's document (or a few committees'): their meetings and items alone, a
    body's sub-committees only when named too. Use -o - to print Markdown or HTML.

    Example:
        scrutiny report data/bromley-ecf-2017-18.yaml out/plan.json --format docx \
            --audience public -o out/work-programme.docx
    """
    found = found_plan(args, "circulate")
    if found is None:
        return EXIT_NO
    p, plan = found
    rendered = RENDERERS[args.format](p, plan, args.audience)
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
