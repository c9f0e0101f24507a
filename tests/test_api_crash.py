"""Kill -9 the server during a burst of writes, restart it on the same database: every write it
acknowledged is there, and nothing is half-written.

The real service (`scrutiny serve`) runs in a subprocess. Threads upload new programmes, edit
their own programmes in If-Match chains and ask for feed tokens, recording every 2xx answer. A
seeded moment into the burst the process is killed with SIGKILL: the requests then in flight got
no answer, so they may or may not have happened. After a restart on the same database, every
acknowledged write is read back, and everything stored (acknowledged or not) is whole: each
programme's versions run 1..version without a gap, each version's source is the file sent for it,
and the revision counts exactly the versions made.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from scheduler.programme.load import parse_programme
from tests.live import http, server
from tests.service import AUTH, YAML

SMALL = (Path(__file__).parent / "data" / "small.yaml").read_text()
SEED = 20170510
EDITORS = 3  # threads, each editing its own programme in an If-Match chain
CREATORS = 2  # threads uploading new programmes
TOKENS = 2  # threads asking for feed tokens on the editors' programmes
SUBJECTS = ("chair", "clerk", "witness", "dir-a")


def title_of(pid: str, version: int) -> str:
    """The title the test sends for `version` of `pid`: each version's differs."""
    return f"Crash test {pid} version {version}"


def source_of(pid: str, version: int) -> str:
    """tests/data/small.yaml as programme `pid`, titled for `version`."""
    text = SMALL.replace("\nid: small-council\n", f"\nid: {pid}\n", 1)
    text = text.replace(
        "\ntitle: Small Scrutiny Work Programme\n", f"\ntitle: {title_of(pid, version)}\n", 1
    )
    assert f"\nid: {pid}\n" in text and title_of(pid, version) in text
    return text


@dataclass
class Burst:
    """What the threads sent and what the server acknowledged (2xx), under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    killed: threading.Event = field(default_factory=threading.Event)
    #: programmes uploaded: every id sent, and the answers to those acknowledged
    sent_programmes: set[str] = field(default_factory=set)
    created: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: edits: the highest version sent per programme, and the answers acknowledged, in order
    sent_version: dict[str, int] = field(default_factory=dict)
    edits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: feed tokens: every label sent per programme, and the answers acknowledged
    sent_labels: dict[str, set[str]] = field(default_factory=dict)
    tokens: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unanswered: int = 0  # requests in flight when the server died
    wrong: list[str] = field(default_factory=list)  # answers that should never have been given

    def acknowledged(self) -> tuple[int, int, int]:
        with self.lock:
            return (
                len(self.created),
                sum(len(e) for e in self.edits.values()),
                sum(len(t) for t in self.tokens.values()),
            )


def worker(burst: Burst, base: str, step: Callable[[httpx.Client], bool]) -> None:
    """Call `step` until the burst stops or the server dies: a request without an answer ends
    the thread (unacknowledged), and so does an answer `step` finds wrong."""
    with http(base) as client:
        while not burst.stop.is_set():
            try:
                if not step(client):
                    return
            except httpx.TransportError as err:
                with burst.lock:
                    burst.unanswered += 1
                    if not burst.killed.is_set():
                        burst.wrong.append(f"no answer before the kill: {err!r}")
                return
            except Exception as err:  # an answer the step could not read: wrong, reported
                with burst.lock:
                    burst.wrong.append(f"{err!r}")
                return


def creator(burst: Burst, n: int) -> Callable[[httpx.Client], bool]:
    count = 0

    def step(client: httpx.Client) -> bool:
        nonlocal count
        count += 1
        pid = f"crash-new-{n}-{count}"
        with burst.lock:
            burst.sent_programmes.add(pid)
        r = client.post("/programmes", content=source_of(pid, 1).encode(), headers=YAML)
        if r.status_code != 201:
            with burst.lock:
                burst.wrong.append(f"POST {pid}: {r.status_code} {r.text}")
            return False
        body = r.json()
        with burst.lock:
            burst.created[pid] = body
        return True

    return step


def editor(burst: Burst, pid: str, etag: str) -> Callable[[httpx.Client], bool]:
    version = 1

    def step(client: httpx.Client) -> bool:
        nonlocal version, etag
        with burst.lock:
            burst.sent_version[pid] = version + 1
        r = client.put(
            f"/programmes/{pid}/source",
            content=source_of(pid, version + 1).encode(),
            headers={**YAML, "If-Match": etag},
        )
        body = r.json() if r.status_code == 200 else None
        if body is None or body["version"] != version + 1 or r.headers["ETag"] == etag:
            with burst.lock:
                burst.wrong.append(f"PUT {pid} v{version + 1}: {r.status_code} {r.text}")
            return False
        version, etag = body["version"], r.headers["ETag"]
        with burst.lock:
            burst.edits[pid].append(body)
        return True

    return step


def token_maker(burst: Burst, n: int, pids: list[str]) -> Callable[[httpx.Client], bool]:
    count = 0

    def step(client: httpx.Client) -> bool:
        nonlocal count
        count += 1
        pid = pids[count % len(pids)]
        wanted = {"subject": SUBJECTS[count % len(SUBJECTS)], "label": f"crash {n}-{count}"}
        with burst.lock:
            burst.sent_labels[pid].add(wanted["label"])
        r = client.post(f"/programmes/{pid}/feed-tokens", json=wanted, headers=AUTH)
        body = r.json() if r.status_code == 201 else None
        if body is None or {k: body[k] for k in wanted} != wanted:
            with burst.lock:
                burst.wrong.append(f"POST token {pid}: {r.status_code} {r.text}")
            return False
        with burst.lock:
            burst.tokens[pid].append(body)
        return True

    return step


def check_programme(client: httpx.Client, pid: str, newest: int) -> dict[str, Any]:
    """Programme `pid` is whole: versions 1..version, each the file sent for it, the revision
    counting them (no publication here), the version no newer than the newest sent."""
    r = client.get(f"/programmes/{pid}")
    assert r.status_code == 200, f"{pid}: {r.status_code} {r.text}"
    summary: dict[str, Any] = r.json()
    version = summary["version"]
    assert 1 <= version <= newest, f"{pid} is at version {version}; the newest sent was {newest}"
    assert summary["revision"] == version, f"{pid}: a revision without its version: {summary}"
    assert r.headers["ETag"] == f'"{version}"'
    assert summary["title"] == title_of(pid, version)
    listed = client.get(f"/programmes/{pid}/versions", headers=AUTH)
    assert listed.status_code == 200, listed.text
    numbers = [v["number"] for v in listed.json()]
    assert numbers == list(range(1, version + 1)), f"{pid} at {version} stores {numbers}"
    for number in numbers:
        r = client.get(f"/programmes/{pid}/source", params={"version": number}, headers=AUTH)
        assert r.status_code == 200, r.text
        assert r.text == source_of(pid, number), f"{pid} version {number} is not what was sent"
        programme = parse_programme(r.text, "upload.yaml")
        assert (programme.id, programme.title) == (pid, title_of(pid, number))
    return summary


def test_kill_during_writes_loses_no_acknowledged_write(database_url: str, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    log = tmp_path / "server.log"
    burst = Burst()
    editing = [f"crash-edit-{n}" for n in range(EDITORS)]
    with server(database_url, log) as (process, base):
        etags = {}
        with http(base) as client:
            for pid in editing:
                r = client.post("/programmes", content=source_of(pid, 1).encode(), headers=YAML)
                assert r.status_code == 201, r.text
                etags[pid] = r.headers["ETag"]
                burst.sent_version[pid], burst.edits[pid] = 1, []
                burst.sent_labels[pid], burst.tokens[pid] = set(), []
        steps = [creator(burst, n) for n in range(CREATORS)]
        steps += [editor(burst, pid, etags[pid]) for pid in editing]
        steps += [token_maker(burst, n, editing) for n in range(TOKENS)]
        threads = [
            threading.Thread(target=worker, args=(burst, base, step), daemon=True) for step in steps
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        # A seeded moment into the burst, and not before every kind of write was acknowledged.
        kill_at = started + rng.uniform(0.3, 1.0)
        while (
            min(burst.acknowledged()) == 0 and time.monotonic() < started + 15 and not burst.wrong
        ):
            time.sleep(0.01)
        time.sleep(max(0.0, kill_at - time.monotonic()))
        burst.killed.set()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        burst.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(t.is_alive() for t in threads), "a client thread did not end"
    assert process.returncode == -signal.SIGKILL
    assert not burst.wrong, burst.wrong
    assert min(burst.acknowledged()) > 0, f"a kind of write never got an answer: {burst}"

    with server(database_url, log) as (_, base), http(base) as client:
        # Every programme stored was sent, and is whole; every acknowledged one is there.
        listed = client.get("/programmes")
        assert listed.status_code == 200, listed.text
        stored = {p["id"] for p in listed.json()}
        assert set(burst.created) <= stored, set(burst.created) - stored
        assert set(editing) <= stored
        assert stored <= burst.sent_programmes | set(editing), stored - burst.sent_programmes
        for pid in sorted(stored - set(editing)):
            summary = check_programme(client, pid, 1)
            if pid in burst.created:
                assert summary["created"] == burst.created[pid]["created"]
        # Each editor's chain: at least the last acknowledged edit, at most the one in flight.
        for pid in editing:
            acknowledged = burst.edits[pid][-1] if burst.edits[pid] else {"version": 1}
            summary = check_programme(client, pid, burst.sent_version[pid])
            assert summary["version"] >= acknowledged["version"], (pid, summary, acknowledged)
            assert summary["revision"] >= acknowledged.get("revision", 1)
        # Every acknowledged feed token is listed as given; any other listed was asked for.
        for pid in editing:
            r = client.get(f"/programmes/{pid}/feed-tokens", headers=AUTH)
            assert r.status_code == 200, r.text
            listed_tokens = {t["id"]: t for t in r.json()}
            assert len(listed_tokens) == len(r.json())
            for given in burst.tokens[pid]:
                assert given["id"] in listed_tokens, f"{pid}: token {given['id']} is lost"
                kept = listed_tokens[given["id"]]
                assert (kept["subject"], kept["label"]) == (given["subject"], given["label"])
                assert kept["revoked"] is None
            assert {t["label"] for t in listed_tokens.values()} <= burst.sent_labels[pid]

        # The database opens for writing as before: an edit, an upload, a token.
        pid = editing[0]
        current = client.get(f"/programmes/{pid}")
        version = current.json()["version"]
        r = client.put(
            f"/programmes/{pid}/source",
            content=source_of(pid, version + 1).encode(),
            headers={**YAML, "If-Match": current.headers["ETag"]},
        )
        assert r.status_code == 200, r.text
        assert r.json()["version"] == version + 1
        check_programme(client, pid, version + 1)
        r = client.post("/programmes", content=source_of("after-crash", 1).encode(), headers=YAML)
        assert r.status_code == 201, r.text
        check_programme(client, "after-crash", 1)
        r = client.post(f"/programmes/{pid}/feed-tokens", json={"subject": "clerk"}, headers=AUTH)
        assert r.status_code == 201, r.text
        assert r.json()["id"] > max(
            (t["id"] for ts in burst.tokens.values() for t in ts), default=0
        )

    # Underneath, the same: no programme row ahead of its versions, no file the checker rejects.
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            behind = conn.execute(
                text(
                    "SELECT p.id FROM programmes p WHERE p.version <> (SELECT count(*) FROM"
                    " programme_versions v WHERE v.programme = p.id AND v.number <= p.version)"
                    " OR EXISTS (SELECT 1 FROM programme_versions v WHERE v.programme = p.id"
                    " AND v.number > p.version)"
                )
            ).all()
            assert behind == []
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    finally:
        engine.dispose()
