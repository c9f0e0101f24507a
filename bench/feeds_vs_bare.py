"""Feeds under load beside the bare endpoint (`bench.bare`): each answer on both, next to each
other in time, round after round; the table of medians and the service's share of the bare
endpoint's rate. Part of `bench.service`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, field

from bench.load import Failed, Load, parse_wrk, wrk
from bench.serving import Client, Server

WARM_UP = 2  # seconds of load on each server before the measured runs
TARGET = 0.5  # the cached personal feed's rate over the bare endpoint's


@dataclass
class Feed:
    """An answer measured: an address, and the ETag sent as If-None-Match (cached) or none."""

    name: str
    path: str
    etag: str | None


def measure(server: Server, client: Client, feed: Feed, seconds: int, connections: int) -> Load:
    """Check one request answers as expected, then load the address with wrk."""
    expected = 304 if feed.etag is not None else 200
    headers = {"If-None-Match": feed.etag} if feed.etag is not None else {}
    answer = client.expect(expected, "GET", feed.path, headers=headers, auth=False)
    if expected == 200 and not answer.body.startswith(b"BEGIN:VCALENDAR"):
        raise Failed(f"GET {feed.path}: 200 without a calendar: {answer.body[:100]!r}")
    if expected == 304 and answer.body:
        raise Failed(f"GET {feed.path}: 304 with a body of {len(answer.body)} bytes")
    url = f"http://127.0.0.1:{client.port}{feed.path}"
    cpu, started = server.cpu_seconds(), time.perf_counter()
    output = wrk(url, feed.etag, seconds, connections)
    cpu = (server.cpu_seconds() - cpu) / (time.perf_counter() - started)
    return parse_wrk(Load(feed.name, expected, cpu=cpu), output)


@dataclass
class Compared:
    """An answer's runs on the service and on the bare endpoint, round by round; and on the
    bare endpoint under uvicorn's defaults, for the first answer only."""

    feed: Feed
    service: list[Load] = field(default_factory=list)
    bare: list[Load] = field(default_factory=list)
    plain: list[Load] = field(default_factory=list)

    def ratio(self, floor: list[Load]) -> float:
        """The service's rate over `floor`'s: the median of the rounds'."""
        return statistics.median(s.rps / b.rps for s, b in zip(self.service, floor, strict=True))

    @staticmethod
    def median(loads: list[Load]) -> Load:
        return sorted(loads, key=lambda load: load.rps)[len(loads) // 2]


Running = tuple[Server, Client]


def compare(
    service: Running, bare: Running, plain: Running, feeds: list[Feed], args: argparse.Namespace
) -> list[Compared]:
    """Each answer on the service and on the bare endpoint (the first on uvicorn's defaults
    too), next to each other in time; which goes first alternates from round to round."""
    results = [Compared(feed) for feed in feeds]
    for _, client in (service, bare, plain):
        feed = feeds[0]
        wrk(f"http://127.0.0.1:{client.port}{feed.path}", feed.etag, WARM_UP, args.connections)
    for round_ in range(args.rounds):
        for n, result in enumerate(results):
            runs = [(service, result.service), (bare, result.bare)]
            runs += [(plain, result.plain)] if n == 0 else []
            for (server, client), loads in runs[:: -1 if round_ % 2 else 1]:
                loads.append(measure(server, client, result.feed, args.seconds, args.connections))
    return results


def report(results: list[Compared], sizes: dict[str, int], quiet: float, rounds: int) -> bool:
    """Print the table; whether any run had errors."""
    print(
        f"\nFeeds under load (personal feed {sizes['personal']:,} bytes, public "
        f"{sizes['public']:,} bytes; latency in ms), medians of {rounds} round(s); the machine "
        f"was {quiet:.0%} idle just before"
    )
    print(
        f"{'feed':<30} {'status':>6} {'req/s':>9} {'bare req/s':>10} {'ratio':>6} {'p50':>7} "
        f"{'p90':>7} {'p99':>7} {'CPU ms/req':>10} {'bare CPU':>8} {'non-2xx/3xx':>11} "
        f"{'sock err':>8}"
    )
    failed = False
    for result in results:
        runs = [*result.service, *result.bare, *result.plain]
        bad = sum(r.bad for r in runs)
        errors = sum(r.socket_errors for r in runs)
        failed |= bool(bad or errors)
        s, b = Compared.median(result.service), Compared.median(result.bare)
        print(
            f"{s.name:<30} {s.expected:>6} {s.rps:>9,.0f} {b.rps:>10,.0f} "
            f"{result.ratio(result.bare):>6.2f} {s.ms('50')} {s.ms('90')} {s.ms('99')} "
            f"{_cpu_ms(s):>10.3f} {_cpu_ms(b):>8.3f} {bad:>11} {errors:>8}"
        )
    cached = results[0]
    ratio = cached.ratio(cached.bare)
    verdict = "meets" if ratio >= TARGET else "is below"
    print(
        f"cached personal feed: {Compared.median(cached.service).rps:,.0f} requests/s, "
        f"{ratio:.2f} of the bare endpoint's {Compared.median(cached.bare).rps:,.0f}: {verdict} "
        f"the target of {TARGET:.1f}"
    )
    plain = Compared.median(cached.plain)
    print(
        f"for scale: the bare endpoint on uvicorn's defaults (httptools, which scrutiny serve "
        f"does not run) answers {plain.rps:,.0f} requests/s at {_cpu_ms(plain):.3f} CPU ms "
        f"each; the service's share of that: {cached.ratio(cached.plain):.2f}"
    )
    return failed


def _cpu_ms(load: Load) -> float:
    """The server's CPU milliseconds per request."""
    return load.cpu / load.rps * 1000 if load.rps else 0.0
