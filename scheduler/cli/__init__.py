"""The `scrutiny` command: thin verbs over the library.

Each verb parses its arguments, calls the library and turns library errors into a clean exit:
0 success, 1 the answer is "no" (breaches, infeasible), 2 bad input. Never a traceback.

The verbs live by what they work on: a programme and its plans (`cli.plans`, the solver loaded
only by the verbs that solve, `cli.solving`), the documents and feeds of a plan
(`cli.documents`), the files beside a programme (`cli.files`); `serve` is here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from scheduler.cli.exits import EXIT_BAD_INPUT, EXIT_OK, Command
from scheduler.errors import InputError
from scheduler.outputs.formats import DEADLINE_FORMATS, DOCUMENT_FORMATS, EXPORT_FORMATS


class _Later:
    """A verb (or an argument's reader) of `module`, loaded when it runs: `scrutiny --help`
    loads no verb, and each verb only what it uses (python-docx, OR-Tools and the service are
    heavy). Its docstring, its help, is read once its module is loaded (`main` loads the one
    verb asked for before the parser is built)."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.name)(*args)

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        loaded = sys.modules.get(self.module)
        return getattr(loaded, self.name).__doc__ if loaded is not None else None


def _later(module: str, name: str) -> Callable[..., Any]:
    return _Later(module, name)


PROGRAMMES, PLANS = "scheduler.cli.programmes", "scheduler.cli.plans"
DOCUMENTS, FILES = "scheduler.cli.documents", "scheduler.cli.files"
IMPORTS = "scheduler.cli.imports"
EXPORTS = "scheduler.cli.exports"
#: Each verb's module (serve is here).
VERBS = {
    **dict.fromkeys(("validate", "deadlines"), PROGRAMMES),
    **dict.fromkeys(("solve", "check", "replan", "suggest"), PLANS),
    **dict.fromkeys(("feeds", "report", "publish"), DOCUMENTS),
    **dict.fromkeys(("schema", "init"), FILES),
    "import": IMPORTS,
    "export": EXPORTS,
}
cmd_validate, cmd_deadlines = (_later(PROGRAMMES, f"cmd_{v}") for v in ("validate", "deadlines"))
cmd_solve, cmd_check, cmd_replan, cmd_suggest = (
    _later(PLANS, f"cmd_{verb}") for verb in ("solve", "check", "replan", "suggest")
)
cmd_feeds, cmd_report, cmd_publish = (
    _later(DOCUMENTS, f"cmd_{verb}") for verb in ("feeds", "report", "publish")
)
cmd_import = _later(IMPORTS, "cmd_import")
cmd_export = _later(EXPORTS, "cmd_export")
cmd_schema, cmd_init, year_range = (
    _later(FILES, name) for name in ("cmd_schema", "cmd_init", "year_range")
)


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the web service (programmes, plan versions, publishing, feeds over HTTP).

    The database is DATABASE_URL (default: the SQLite file scrutiny.db here). People sign in
    with their own accounts: make the first admin with `scrutiny admin create`; scripts use
    their accounts' API tokens. The API's OpenAPI description is at /openapi.json once it runs.

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


def cmd_worker(args: argparse.Namespace) -> int:
    """Take solve and re-plan jobs from the service's queue and run them, one at a time.

    Only with PostgreSQL (DATABASE_URL): run as many as a machine has cores, on any machine
    that reaches the database. On SQLite the web service runs its jobs itself. SIGTERM or
    Ctrl-C stops the solve under way, keeping its best plan, then the worker.

    Example:
        DATABASE_URL=postgresql+psycopg://scrutiny@db.council.internal/scrutiny scrutiny worker
    """
    from api.worker import work  # the service is optional to the library

    try:
        work(args.dead_after)
    except ValueError as err:  # not PostgreSQL, or a setting that cannot be used
        print(f"scrutiny worker: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def cmd_admin(args: argparse.Namespace) -> int:
    """Make an account in the service's database: the first admin, before anybody can sign in.

    The database is DATABASE_URL (default: the SQLite file scrutiny.db here). The password is
    typed twice (it is not shown), or read from standard input with --password-stdin; only
    its Argon2id hash is kept, and nothing secret is printed. With --sso-only the account signs
    in only by the council's single sign-on.

    Example:
        scrutiny admin create --email philippa.gibbs@bromley.gov.uk --name "Philippa Gibbs"
    """
    from api.admin import create_admin  # the service is optional to the library
    from api.settings import Settings

    try:
        password = None if args.sso_only else _password(args.password_stdin)
        said = create_admin(Settings.from_environment(), args.email, args.name, password, args.role)
    except ValueError as err:  # an account, a setting or a password that cannot be used
        print(f"scrutiny admin: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(said, file=sys.stderr)
    return EXIT_OK


def _password(piped: bool) -> str:
    """The password, from standard input's first line, or typed twice at a terminal."""
    if piped:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise ValueError("type the password at a terminal, or pipe it with --password-stdin")
    first = getpass.getpass("Password (not shown): ")
    if getpass.getpass("The same again: ") != first:
        raise ValueError("the two passwords differ: nothing was made")
    return first


def _as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written as YYYY-MM-DD") from None


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


def _bodies(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--body",
        action="append",
        metavar="BODY_ID",
        help="only this body's meetings and items (repeat for more; sub-committees only if named)",
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
    sub.add_argument("--format", choices=DEADLINE_FORMATS, default="table")
    sub = verb("solve", cmd_solve, "place every item and write the plan")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("-o", "--output", required=True, help="plan JSON to write")
    sub.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        help="seconds the whole solve may take, every stage together (default 30); reading the "
        "programme and checking the plan add a little",
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
    sub.add_argument(
        "--time-limit", type=float, default=30.0, help="seconds the whole re-plan may take"
    )
    _verbose(sub)
    sub = verb("suggest", cmd_suggest, "where could an item go: every meeting, with its cost")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="the plan JSON a re-plan would start from")
    sub.add_argument("--item", help="id of the item asked about")
    sub.add_argument("--new-item", help="a new item: the text of its entry (YAML or JSON)")
    sub.add_argument("--as-of", type=_as_of, help="re-planning date (YYYY-MM-DD): R10 applies")
    sub.add_argument(
        "--time-limit", type=float, default=10.0, help="seconds to search for the options"
    )
    sub.add_argument("--json", action="store_true", help="print the options as JSON")
    sub = verb("feeds", cmd_feeds, "write the plan's calendar feeds (iCalendar)")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON")
    sub.add_argument("-o", "--output", required=True, help="directory to write the feeds into")
    sub.add_argument("--previous", help="the plan published before (SEQUENCE, cancellations)")
    sub.add_argument(
        "--published", type=_moment, help="when this plan is published (ISO, with zone)"
    )
    sub.add_argument(
        "--refresh",
        type=_later(DOCUMENTS, "refresh_minutes"),
        default=60,
        metavar="MINUTES",
        help="how often calendars should read the feeds again, 15 to 10080 (default 60)",
    )
    sub.add_argument(
        "--public-url",
        type=_later(DOCUMENTS, "web_base"),
        metavar="BASE",
        help="the service's address: meetings without a Modern.gov page link to its public page",
    )
    _bodies(sub)
    sub = verb("report", cmd_report, "write the work programme document (md, html, docx)")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON")
    sub.add_argument("--format", choices=DOCUMENT_FORMATS, default="md")
    sub.add_argument("--audience", choices=("public", "clerk"), default="clerk")
    sub.add_argument("-o", "--output", required=True, help="file to write ('-': print md/html)")
    _bodies(sub)
    sub = verb("export", cmd_export, "write the plan as open data, or agendas for Modern.gov")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON (the published plan, for open data)")
    sub.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    sub.add_argument("-o", "--output", required=True, help="file to write ('-': print)")
    _bodies(sub)
    sub = verb("publish", cmd_publish, "record a plan as published (for its feeds)")
    sub.add_argument("file", help="programme file (YAML or JSON)")
    sub.add_argument("plan", help="plan JSON (solved or re-planned)")
    sub.add_argument("-o", "--output", required=True, help="published plan JSON to write")
    sub.add_argument("--previous", help="the published plan before it")
    sub.add_argument("--published", type=_moment, help="when (ISO, with zone); default: now")
    sub = verb("schema", cmd_schema, "write the programme file's JSON Schema (for editors)")
    sub.add_argument("-o", "--output", default="-", help="file to write (default '-': print)")
    sub = verb("init", cmd_init, "write a starting programme file to fill in")
    sub.add_argument("-o", "--output", default="-", help="file to write (default '-': print)")
    sub.add_argument("--council", default="Example Council", help="the council's name")
    sub.add_argument("--title", help="the title (default: Scrutiny Work Programme YYYY/YY)")
    sub.add_argument("--year", type=year_range, help="first and last day, FROM..TO")
    sub.add_argument("--force", action="store_true", help="replace the file if it exists")
    sub = verb("import", cmd_import, "take bodies and meetings from the council's Modern.gov")
    sub.add_argument("system", choices=("moderngov",), help="where from (Modern.gov)")
    sub.add_argument(
        "site",
        nargs="?",
        help="the council's Modern.gov address, e.g. https://democracy.example.gov.uk",
    )
    sub.add_argument(
        "--committee",
        action="append",
        metavar="ID|NAME",
        help="a committee by its Modern.gov number or its name (repeat for more; with --into, "
        "by default the file's bodies' numbers)",
    )
    sub.add_argument(
        "--from", dest="start", type=_as_of, help="first day, YYYY-MM-DD (--into: the year's)"
    )
    sub.add_argument(
        "--to", dest="end", type=_as_of, help="last day, YYYY-MM-DD (--into: the year's)"
    )
    where = sub.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", help="a new programme file to write")
    where.add_argument("--into", help="a programme file to bring up to date, its comments kept")
    sub.add_argument(
        "--from-files", metavar="DIR", help="a folder of saved answers instead of the site"
    )
    sub.add_argument(
        "--timeout", type=float, default=60.0, help="seconds each call may take (default 60)"
    )
    sub.add_argument("--council", help="a new file's council (default: from the site's address)")
    sub.add_argument("--force", action="store_true", help="with -o: replace the file if it exists")
    sub = verb("admin", cmd_admin, "make an account that signs in to the service")
    sub.add_argument("action", choices=("create",), help="what to do (create an account)")
    sub.add_argument("--email", required=True, help="the person's e-mail address")
    sub.add_argument("--name", required=True, help="the person's name, as pages show it")
    sub.add_argument(
        "--role", choices=("admin", "clerk", "reader"), default="admin", help="default admin"
    )
    sub.add_argument("--password-stdin", action="store_true", help="read the password piped in")
    sub.add_argument("--sso-only", action="store_true", help="no password: single sign-on only")
    sub = verb("serve", cmd_serve, "run the web service")
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sub.add_argument("--port", type=int, default=8000)
    sub.add_argument(
        "--workers", type=int, default=1, help="processes (on SQLite, jobs run in each)"
    )
    sub = verb("worker", cmd_worker, "run queued solves (with PostgreSQL)")
    sub.add_argument(
        "--dead-after",
        type=float,
        default=30.0,
        help="seconds without a heartbeat before a worker is taken for lost (default 30)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; returns the exit code."""
    given = list(sys.argv[1:] if argv is None else argv)
    verb = next((a for a in given if not a.startswith("-")), None)
    if verb in VERBS:  # its module, for its help and its work; no other verb's
        importlib.import_module(VERBS[verb])
    args = build_parser().parse_args(given)
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
