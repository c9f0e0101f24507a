"""Accounts (issue 25) over HTTP: what a sign-in with a password costs, right or wrong; what an
account's API token costs on a read; what the session cookie costs on a page.

The real service (`scrutiny serve`, one worker, SQLite, as `bench.service` starts it) on
127.0.0.1, on a database where `scrutiny admin create --role clerk --password-stdin` made two
clerk accounts; SCRUTINY_CLERK_TOKEN is adopted at start as an admin's API token, which uploads
Bromley.

1. `POST /sign-in` with an e-mail address and password, one after another on one connection,
   in N turns (after one not counted), each: the right password (303), then in an order that
   rotates from turn to turn a wrong one (401), an address without an account (401) and the
   right password of an account that five wrong ones locked beforehand (401); then Argon2id's
   verify in this process (argon2-cffi's defaults, as accounts use), the floor of each. A
   refusal should take as long as a sign-in: a hash is verified whatever is wrong
   (`api.accounts.check_password`); "/ right" is each median over the right password's. The
   throttle answers 429, trying nothing, after five refusals in a row from one address: a
   right sign-in forgets the address, so there are never more than three in a row, and every
   try timed did the work. Also timed: the first unknown address after the start (after one
   right sign-in: the worker makes its decoy hash then), and one 429 after five refusals.
2. wrk on `GET /programmes/{id}/versions` with the admin's API token (its SHA-256 digest looked
   up, joined to its account, on every request) and on the public `GET /programmes/{id}`, each
   beside a bare Starlette endpoint answering the same bytes under the same server (`bench.bare`:
   h11, as `scrutiny serve` runs it), round after round, the order alternating; "ratio": the
   service's rate over the bare endpoint's, the median of the rounds'.
3. wrk on the home page `GET /` with a session cookie (the session looked up on every request)
   and without, in the same rounds.

Then each lookup alone, in this process, on the service's database (the first, not counted, may
write the last use). A request answered other than as expected, a wrk run with a non-2xx/3xx
answer or a socket error, or a worker that died makes the exit status 1; the servers are always
stopped. How idle the machine was before parts 1 and 2 is printed: other work skews the numbers.
Printed and written to bench/ACCOUNTS.md. Timing is measured here, never asserted in tests.

Run with `make bench`, or `python -m bench.accounts [--sign-ins N] [--seconds S]
[--connections C] [--rounds R]`; needs wrk (installed as `bench.service` installs it).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from api.accounts import ATTEMPTS
from api.api_tokens import token_holder
from api.clerk_sessions import find_session
from api.settings import Settings
from api.storage import make_engine
from api.throttle import FREE_FAILURES
from api.web.session import COOKIE
from bench.bare import answers_file, captured
from bench.feeds_vs_bare import WARM_UP
from bench.load import THREADS, Failed, Load, ensure_wrk, idle, parse_wrk, wrk
from bench.run import BROMLEY, HERE, machine
from bench.serving import ROOT, Answer, Client, Server
from bench.starts import SCRUTINY

SIGN_INS = 30
ROUNDS = 3
LOOKUPS = 500  # in-process token and session lookups
CLERK, LOCKED, NOBODY = (f"{who}@bench.example.org" for who in ("clerk", "locked", "nobody"))
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Timed:
    """Something done again and again, and each time's milliseconds."""

    name: str
    ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    def row(self, right: float | None = None) -> str:
        """The table's line: tries, median, p90, least, and the median over `right`'s."""
        median = self.median
        p90 = statistics.quantiles(self.ms, n=10)[-1] if len(self.ms) > 1 else median
        share = f"{median / right:>8.2f}" if right else f"{'-':>8}"
        return (
            f"{self.name:<48} {len(self.ms):>5} {median:>9.3f} {p90:>9.3f} {min(self.ms):>9.3f} "
            f"{share}"
        )


TIMED_HEAD = f"{'':<48} {'tries':>5} {'median ms':>9} {'p90 ms':>9} {'least ms':>9} {'/ right':>8}"


@dataclass
class Kind:
    """A kind of sign-in: the address and password sent, the status expected, its tries."""

    email: str
    password: str
    status: int
    timed: Timed


def sign_in(client: Client, kind: Kind, keep: bool = True) -> Answer:
    """`POST /sign-in` as `kind` says (any other status: Failed); its time kept if `keep`."""
    body = urlencode({"email": kind.email, "password": kind.password, "next": "/"}).encode()
    started = time.perf_counter()
    answer = client.expect(kind.status, "POST", "/sign-in", body=body, headers=FORM, auth=False)
    if keep:
        kind.timed.ms.append((time.perf_counter() - started) * 1000)
    return answer


def make_account(folder: Path, email: str, name: str, password: str) -> None:
    """A clerk account with `password`, made by the command line in the database that
    `Server(folder, ...)` serves (its bench.db)."""
    command = [*SCRUTINY, "admin", "create", "--email", email, "--name", name]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}"}
    done = subprocess.run(
        [*command, "--role", "clerk", "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise Failed(f"scrutiny admin create {email}: {done.stderr.strip()}")


def sign_ins(client: Client, tries: int, passwords: dict[str, str]) -> tuple[list[Timed], str]:
    """Part 1 (see the module): each kind of sign-in's times, and a signed-in session's id."""
    wrong = "not " + passwords[CLERK]
    right = Kind(CLERK, passwords[CLERK], 303, Timed("right password: signed in (303)"))
    refusals = [
        Kind(CLERK, wrong, 401, Timed("wrong password (401)")),
        Kind(NOBODY, passwords[CLERK], 401, Timed("address without an account (401)")),
        Kind(LOCKED, passwords[LOCKED], 401, Timed("locked account, right password (401)")),
    ]
    first = Kind(NOBODY, wrong, 401, Timed("first unknown address after the start (401)"))
    sign_in(client, right, keep=False)  # Argon2 has run once in the worker
    sign_in(client, first)  # the worker makes its decoy hash now
    # The account locked by wrong passwords, each after a right one (which forgets the address).
    for _ in range(ATTEMPTS):
        sign_in(client, right, keep=False)
        sign_in(client, Kind(LOCKED, wrong, 401, Timed("locking")), keep=False)
    floor, hashed = Timed("Argon2id verify in this process"), PasswordHasher().hash(wrong)
    for n in range(tries + 1):  # the first turn is not counted
        sign_in(client, right, keep=n > 0)
        for kind in refusals[n % 3 :] + refusals[: n % 3]:  # three refusals in a row at most
            sign_in(client, kind, keep=n > 0)
        verify(hashed, floor, keep=n > 0)
    sid = SimpleCookie(sign_in(client, right, keep=False).headers["set-cookie"])[COOKIE].value
    throttled = Kind(NOBODY, wrong, 429, Timed(f"after {FREE_FAILURES} refusals in a row: 429"))
    for _ in range(FREE_FAILURES):
        sign_in(client, refusals[1], keep=False)
    sign_in(client, throttled)
    return [k.timed for k in (right, *refusals, first, throttled)] + [floor], sid


def verify(hashed: str, timed: Timed, keep: bool) -> None:
    """Argon2id's verify of a wrong password in this process (argon2-cffi's defaults, the
    parameters accounts use)."""
    started = time.perf_counter()
    with contextlib.suppress(VerifyMismatchError):
        PasswordHasher().verify(hashed, "a wrong password")
    if keep:
        timed.ms.append((time.perf_counter() - started) * 1000)


@dataclass
class Asked:
    """An address loaded with wrk, the headers each request sends, and its runs on the service
    and on the bare endpoint (if it has one there)."""

    name: str
    path: str
    headers: dict[str, str]
    on_bare: bool
    service: list[Load] = field(default_factory=list)
    bare: list[Load] = field(default_factory=list)

    @staticmethod
    def median(loads: list[Load]) -> Load:
        return sorted(loads, key=lambda load: load.rps)[len(loads) // 2]

    def ratio(self) -> float:
        """The service's rate over the bare endpoint's: the median of the rounds'."""
        return statistics.median(
            s.rps / b.rps for s, b in zip(self.service, self.bare, strict=True)
        )

    def cpu_ms(self) -> float:
        """The service's CPU milliseconds per request, in its median run."""
        s = Asked.median(self.service)
        return s.cpu / s.rps * 1000 if s.rps else 0.0


Running = tuple[Server, Client]


def measure(running: Running, asked: Asked, seconds: int, connections: int) -> Load:
    """One request checked (200), then wrk, with the server's CPU seconds."""
    server, client = running
    client.expect(200, "GET", asked.path, headers=asked.headers, auth=False)
    cpu, started = server.cpu_seconds(), time.perf_counter()
    output = wrk(f"http://127.0.0.1:{server.port}{asked.path}", None, seconds, connections,
                 asked.headers)  # fmt: skip
    cpu = (server.cpu_seconds() - cpu) / (time.perf_counter() - started)
    return parse_wrk(Load(asked.name, 200, cpu=cpu), output)


def loads(service: Running, bare: Running, asked: list[Asked], args: argparse.Namespace) -> None:
    """Parts 2 and 3: each address on the service, and beside it on the bare endpoint, round
    after round; which goes first alternates."""
    for server, _ in (service, bare):
        path = f"http://127.0.0.1:{server.port}{asked[0].path}"
        wrk(path, None, WARM_UP, args.connections, asked[0].headers)
    for round_ in range(args.rounds):
        for a in asked:
            runs = [(service, a.service), *([(bare, a.bare)] if a.on_bare else [])]
            for running, found in runs[:: -1 if round_ % 2 else 1]:
                found.append(measure(running, a, args.seconds, args.connections))


def addresses(client: Client, token: str, sid: str) -> list[Asked]:
    """What parts 2 and 3 load, checked: the read needs the token, the cookie signs in."""
    pid = client.expect(
        201, "POST", "/programmes", body=BROMLEY.read_bytes(),
        headers={"Content-Type": "application/yaml"},
    ).json()["id"]  # fmt: skip
    versions = f"/programmes/{pid}/versions"
    client.expect(401, "GET", versions, auth=False)
    cookie = {"Cookie": f"{COOKIE}={sid}"}
    signed_in = client.expect(200, "GET", "/", headers=cookie, auth=False).body
    signed_out = client.expect(200, "GET", "/", auth=False).body
    if b'id="sign-out"' not in signed_in or b'id="sign-out"' in signed_out:
        raise Failed("the session cookie did not sign the home page in")
    return [
        Asked("versions, the admin's bearer token", versions, {"Authorization": f"Bearer {token}"},
              True),
        Asked("programme, public", f"/programmes/{pid}", {}, True),
        Asked("home page, signed in (cookie)", "/", cookie, False),
        Asked("home page, signed out", "/", {}, False),
    ]  # fmt: skip


def bare_answers(client: Client, asked: list[Asked], path: Path) -> None:
    """The service's answers to the addresses the bare endpoint serves, for it to answer."""
    answers = []
    for a in (a for a in asked if a.on_bare):
        full = client.expect(200, "GET", a.path, headers=a.headers, auth=False)
        answers.append(captured(a.path, full.headers.get("etag", ""), {}, full.headers, full.body))
    answers_file(path, answers)


def lookups(database: str, token: str, sid: str, tries: int) -> list[Timed]:
    """The token's lookup and the session's, in this process on the service's database, as
    each request makes them (reads only: their last use was written just now)."""
    engine = make_engine(database)
    settings, now = Settings(database_url=database), dt.datetime.now(dt.UTC)
    calls: dict[str, Callable[[], object]] = {
        "API token lookup alone (token_holder)": lambda: token_holder(engine, token, now),
        "session lookup alone (find_session)": lambda: find_session(
            engine, sid, settings=settings, now=now
        ),
    }
    timed = [Timed(name) for name in calls]
    try:
        for n in range(tries + 1):
            for each, call in zip(timed, calls.values(), strict=True):
                started = time.perf_counter()
                if call() is None:
                    raise Failed(f"{each.name}: nobody found")
                if n:
                    each.ms.append((time.perf_counter() - started) * 1000)
    finally:
        engine.dispose()
    return timed


# ----------------------------------------------------------------------------------------------
# The report


def say(lines: list[str], *new: str) -> None:
    """Print `new` and keep it for bench/ACCOUNTS.md."""
    print(*new, sep="\n", flush=True)
    lines.extend(new)


def sign_in_report(lines: list[str], timed: list[Timed], quiet: float) -> None:
    right, wrong, nobody, locked = timed[:4]
    say(
        lines,
        f"\n1. Sign-in with a password, POST /sign-in one after another (the machine was "
        f"{quiet:.0%} idle just before)",
        TIMED_HEAD,
        *(t.row(right.median) for t in timed),
        f"an address without an account takes {nobody.median / wrong.median:.2f} of a wrong "
        f"password's time, a locked account {locked.median / wrong.median:.2f} (medians)",
    )


LOAD_HEAD = (
    f"{'':<36} {'req/s':>7} {'bare req/s':>10} {'ratio':>6} {'p50 ms':>7} {'p90 ms':>7} "
    f"{'p99 ms':>7} {'CPU ms/req':>10} {'non-2xx/3xx':>11} {'sock err':>8}"
)


def load_report(lines: list[str], asked: list[Asked], rounds: int, quiet: float) -> bool:
    """Parts 2 and 3's table; whether any run had errors."""
    say(
        lines,
        f"\n2, 3. Under load (wrk), medians of {rounds} round(s) (the machine was {quiet:.0%} "
        "idle just before)",
        LOAD_HEAD,
    )
    failed = False
    for a in asked:
        runs = [*a.service, *a.bare]
        bad, errors = sum(r.bad for r in runs), sum(r.socket_errors for r in runs)
        failed |= bool(bad or errors)
        s = Asked.median(a.service)
        b = (
            f"{Asked.median(a.bare).rps:>10,.0f} {a.ratio():>6.2f}"
            if a.bare
            else f"{'-':>10} {'-':>6}"
        )
        say(
            lines,
            f"{a.name:<36} {s.rps:>7,.0f} {b} {s.ms('50')} {s.ms('90')} {s.ms('99')} "
            f"{a.cpu_ms():>10.3f} {bad:>11} {errors:>8}",
        )
    token, public, signed_in, signed_out = asked
    say(
        lines,
        f"the bearer token's read answers {Asked.median(token.service).rps:,.0f} requests/s, "
        f"{token.ratio():.2f} of the bare endpoint's; the public read beside it "
        f"{Asked.median(public.service).rps:,.0f}, {public.ratio():.2f} of its bare endpoint's",
        f"the home page signed in answers "
        f"{Asked.median(signed_in.service).rps / Asked.median(signed_out.service).rps:.2f} "
        "of the requests/s it answers signed out",
    )
    return failed


def run(
    folder: Path, running: list[Server], args: argparse.Namespace, passwords: dict[str, str]
) -> tuple[list[str], bool]:
    """The three parts on the service (`running[0]`), the bare endpoint started for parts 2
    and 3 (added to `running`, to be stopped): what was printed, and whether a run failed."""
    server = running[0]
    lines: list[str] = []
    server.wait()
    client = Client(server.port, server.token)
    say(
        lines,
        f"Machine: {machine()}.",
        f"Service: scrutiny serve --workers 1, SQLite; wrk {THREADS} threads, "
        f"{args.connections} connections, {args.seconds} s per run.",
    )
    quiet = idle()
    timed, sid = sign_ins(client, args.sign_ins, passwords)
    sign_in_report(lines, timed, quiet)
    asked = addresses(client, server.token, sid)
    bare_answers(client, asked, folder / "answers.json")
    command = [sys.executable, "-m", "bench.bare", str(folder / "answers.json"), "1", "scrutiny"]
    running.append(Server(folder, 1, command, asked[1].path, "bare"))
    bare = running[-1]
    bare.wait()
    quiet = idle()
    loads((server, client), (bare, Client(bare.port, bare.token)), asked, args)
    for each in running:
        each.check()
    failed = load_report(lines, asked, args.rounds, quiet)
    token, session = lookups(f"sqlite:///{folder / 'bench.db'}", server.token, sid, LOOKUPS)
    say(
        lines,
        "\nThe lookups alone, in this process",
        TIMED_HEAD,
        token.row(),
        session.row(),
        f"under load the bearer read took {asked[0].cpu_ms():.2f} CPU ms a request (the token's "
        f"lookup alone {token.median:.2f} ms), the public read {asked[1].cpu_ms():.2f}; the page "
        f"{asked[2].cpu_ms():.2f} signed in (the session's lookup alone {session.median:.2f} ms), "
        f"{asked[3].cpu_ms():.2f} signed out",
    )
    return lines, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.accounts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sign-ins", type=int, default=SIGN_INS, help=f"of each kind ({SIGN_INS})")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per wrk run (5)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"runs of each ({ROUNDS})")
    args = parser.parse_args(argv)
    if args.connections < THREADS or min(args.sign_ins, args.seconds, args.rounds) < 2:
        parser.error(f"need --connections >= {THREADS}, --sign-ins, --seconds, --rounds >= 2")
    ensure_wrk()
    passwords = {CLERK: secrets.token_urlsafe(18), LOCKED: secrets.token_urlsafe(18)}
    with tempfile.TemporaryDirectory(prefix="bench-accounts-") as tmp:
        folder = Path(tmp)
        make_account(folder, CLERK, "Bench Clerk", passwords[CLERK])
        make_account(folder, LOCKED, "Locked Clerk", passwords[LOCKED])
        running = [Server(folder, 1)]
        try:
            lines, failed = run(folder, running, args, passwords)
        finally:
            for server in running:
                server.stop()
    (HERE / "ACCOUNTS.md").write_text(
        "# Accounts: sign-in, API tokens and sessions (`python -m bench.accounts`)\n\n"
        + __doc__.split("\n\n", 1)[1].split("\n\nRun with")[0]
        + "\n\n```\n" + "\n".join(lines) + "\n```\n"
    )  # fmt: skip
    if failed:
        print("some wrk runs had non-2xx/3xx answers or socket errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Failed as err:
        raise SystemExit(f"bench.accounts: {err}") from None
