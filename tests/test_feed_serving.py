"""Feeds from memory (api/feed_cache.py, README "Feeds from memory"): what an address finds is
kept in the server process, and never outlives a revocation or a publication made in it; one
made by another process is seen within `TTL` seconds. A new address works at once. The memory
it takes is bounded, and addresses not found take none.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from api.feed_cache import TTL, FeedCache, Found
from api.routes.feeds import cache_for
from tests.conftest import BROMLEY, bromley_october_cancelled
from tests.service import AUTH, YAML, publish, run_job, solved_and_published

PID = "bromley-ecf-2017-18"
PERSON = "bennett"  # the programme's first person


@pytest.fixture
def published(client: TestClient) -> dict[str, Any]:
    """Bromley uploaded, solved (plan 1) and published (plan 2)."""
    return solved_and_published(client, BROMLEY.read_text(), PID)


def address(client: TestClient, subject: str = PERSON) -> tuple[int, str]:
    """A new feed address of `subject`: its number and its path."""
    made = client.post(f"/programmes/{PID}/feed-tokens", json={"subject": subject}, headers=AUTH)
    assert made.status_code == 201, made.text
    return made.json()["id"], f"/programmes/{PID}/feeds/private/{made.json()['token']}.ics"


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.scrutiny.engine  # type: ignore[attr-defined]
    return engine


def test_a_revoked_address_is_not_found_at_once_though_it_was_just_read(
    client: TestClient, published: dict[str, Any]
) -> None:
    number, path = address(client)
    read = client.get(path)
    assert read.status_code == 200
    etag = read.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304  # from memory
    assert client.delete(f"/programmes/{PID}/feed-tokens/{number}", headers=AUTH).status_code == 204
    assert client.get(path).status_code == 404
    gone = client.get(path, headers={"If-None-Match": etag})
    assert gone.status_code == 404 and gone.json()["detail"].startswith("no such feed")
    assert gone.headers["X-Frame-Options"] == "DENY"


def test_an_address_made_after_the_feeds_were_read_works_at_once(
    client: TestClient, published: dict[str, Any]
) -> None:
    _, first = address(client)
    feed = client.get(first)
    assert feed.status_code == 200
    _, second = address(client)
    again = client.get(second)
    assert again.status_code == 200 and again.content == feed.content
    _, clerks = address(client, "clerk")
    assert client.get(clerks).status_code == 200
    assert client.get(clerks).content != feed.content


def test_a_publication_is_served_at_once_at_every_address(
    client: TestClient, published: dict[str, Any]
) -> None:
    _, clerks = address(client, "clerk")
    public = f"/programmes/{PID}/feeds/public/select.ics"
    before = {path: client.get(path) for path in (clerks, public)}
    assert all(r.status_code == 200 and b"CANCELLED" not in r.content for r in before.values())
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    edited = bromley_october_cancelled()
    changed = client.put(
        f"/programmes/{PID}/source", content=edited.encode(), headers={**YAML, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    publish(client, PID, run_job(client, PID, time_limit=10)["plan"])
    for path, old in before.items():
        now = client.get(path, headers={"If-None-Match": old.headers["ETag"]})
        assert now.status_code == 200 and b"STATUS:CANCELLED" in now.content, path
        assert now.headers["ETag"] != old.headers["ETag"]


def test_another_processs_revocation_is_seen_within_the_ttl(
    client: TestClient, published: dict[str, Any], database_url: str
) -> None:
    """Another worker's revocation commits without this process knowing: the address found
    here before is read again from the database once `TTL` seconds have passed."""
    number, path = address(client)
    now = [1000.0]
    cache_for(engine_of(client)).clock = lambda: now[0]
    assert client.get(path).status_code == 200
    elsewhere = create_engine(database_url)  # as another process writes: no session of ours
    with elsewhere.begin() as conn:
        revoke = text("UPDATE feed_tokens SET revoked = CURRENT_TIMESTAMP WHERE id = :n")
        conn.execute(revoke, {"n": number})
    elsewhere.dispose()
    now[0] += TTL
    assert client.get(path).status_code == 404


def test_addresses_not_found_take_no_memory_and_found_ones_are_bounded() -> None:
    asked: list[str] = []

    def find(_query: Any, params: Any) -> Any:
        asked.append(params["key"])
        if params["key"].startswith("wrong"):
            return None
        return ('"tag"', "2017-06-20 09:00:00", PID, 2, f"people/{params['key']}.ics")

    cache = FeedCache(find, lambda *_: b"", lookups=2)
    for key in ("wrong-1", "wrong-1", "a", "a"):
        cache.find("q", {"key": key})
    assert asked == ["wrong-1", "wrong-1", "a"]  # a wrong one each time, a found one once
    for key in ("b", "c", "a"):
        cache.find("q", {"key": key})
    assert asked[-3:] == ["b", "c", "a"]  # two kept: "a", the oldest, was dropped


def test_the_bytes_kept_are_bounded_and_known_by_their_etag() -> None:
    read: list[str] = []

    def body(_pid: str, _plan: int, path: str) -> bytes:
        read.append(path)
        return path.encode() * 2  # 10 bytes

    cache = FeedCache(lambda *_: None, body, kept=25)

    def get(path: str, tag: str) -> bytes:
        return cache.body(Found(tag, "2017-06-20 09:00:00", PID, 2, path))

    assert get("a.ics", '"1"') == b"a.icsa.ics"
    get("a.ics", '"1"')
    get("a.ics", '"2"')  # other bytes at the same path: read
    assert read == ["a.ics", "a.ics"]
    get("b.ics", '"1"')  # 30 bytes: the least recently used is dropped
    get("a.ics", '"2"')
    get("a.ics", '"1"')
    assert read == ["a.ics", "a.ics", "b.ics", "a.ics"]
