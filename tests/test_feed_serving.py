"""Feeds from memory (api/feed_cache.py, README "Feeds from memory"): what an address finds is
kept in the server process, and never outlives a revocation or a publication made in it; one
made by another process is seen within `TTL` seconds. A new address works at once. The memory
it takes is bounded, and addresses not found take none.

HEAD is answered as GET, without the body. The feeds the service publishes ask to be read again
as often as its setting says (SCRUTINY_FEED_REFRESH_MINUTES) and link each meeting to the
service's public page, at the meeting; the clerk's page says what Google Calendar does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from starlette.types import Message

from api.app import create_app
from api.feed_cache import TTL, FeedCache, Found
from api.routes.feeds import cache_for
from api.settings import SettingError, Settings
from scheduler.cli import main
from tests.conftest import BROMLEY, bromley_october_cancelled
from tests.feed_parsers import events, unfolded
from tests.service import (
    AUTH,
    CLERK,
    YAML,
    http_scope,
    publish,
    run_job,
    sign_in,
    solved_and_published,
    working,
)

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


# --- HEAD -----------------------------------------------------------------------------------------

#: What a HEAD answers as the GET does.
SAME = ("content-type", "content-length", "etag", "last-modified", "cache-control")


def _sent(client: TestClient, method: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """The status and the body bytes the app itself sends (the test client, as servers do,
    drops whatever a HEAD's answer sends after its headers)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = http_scope(method, path, raw)

    async def answer() -> None:
        await client.app(scope, receive, send)

    asyncio.run(answer())
    (status,) = [m["status"] for m in sent if m["type"] == "http.response.start"]
    last = sent[-1]  # the answer ends
    assert last["type"] == "http.response.body" and not last.get("more_body", False)
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def _head_is_get_without_body(client: TestClient, path: str, **headers: str) -> int:
    """HEAD `path` (before anything of it is read in this process, the first time a test
    asks), then GET it: the same status and headers, and no body. Returns the status."""
    head = client.head(path, headers=headers)
    status, body = _sent(client, "HEAD", path, headers)
    assert status == head.status_code and body == b"", path  # sent by the app: nothing
    get = client.get(path, headers=headers)
    assert head.status_code == get.status_code, path
    assert head.content == b"", path
    for name in SAME:
        assert head.headers.get(name) == get.headers.get(name), (path, name)
    assert head.headers["X-Frame-Options"] == "DENY"  # the security headers too
    again = client.head(path, headers=headers)  # now from memory
    assert (again.status_code, again.content) == (get.status_code, b"")
    assert [again.headers.get(n) for n in SAME] == [get.headers.get(n) for n in SAME]
    return head.status_code


def test_head_answers_a_public_feed_as_get_without_the_body(
    client: TestClient, published: dict[str, Any]
) -> None:
    public = f"/programmes/{PID}/feeds/public/select.ics"
    assert _head_is_get_without_body(client, public) == 200
    get = client.get(public)
    assert int(get.headers["content-length"]) == len(get.content) > 0
    assert get.headers["content-type"] == "text/calendar; charset=utf-8"
    etag = get.headers["ETag"]
    assert _head_is_get_without_body(client, public, **{"If-None-Match": etag}) == 304
    assert _head_is_get_without_body(client, f"/programmes/{PID}/feeds/public/nobody.ics") == 404
    assert _head_is_get_without_body(client, "/programmes/nowhere/feeds/public/select.ics") == 404


def test_head_answers_a_private_feed_and_a_revoked_one_as_get(
    client: TestClient, published: dict[str, Any]
) -> None:
    number, path = address(client, "clerk")
    assert _head_is_get_without_body(client, path) == 200
    assert client.delete(f"/programmes/{PID}/feed-tokens/{number}", headers=AUTH).status_code == 204
    assert _head_is_get_without_body(client, path) == 404
    assert (
        _head_is_get_without_body(client, f"/programmes/{PID}/feeds/private/{'x' * 43}.ics") == 404
    )


def test_head_is_not_in_the_apis_description(client: TestClient) -> None:
    """A HEAD is a GET without its body: the description lists the GETs alone."""
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/programmes/{pid}/feeds/public/{body}.ics",
        "/programmes/{pid}/feeds/private/{token}.ics",
    ):
        assert set(paths[path]) == {"get"}, path


# --- what the published feeds say -----------------------------------------------------------------


def test_published_feeds_refresh_hourly_and_link_nowhere_without_the_public_address(
    client: TestClient, published: dict[str, Any]
) -> None:
    """By default: an hour; and without SCRUTINY_PUBLIC_URL no link to the service, whatever
    address the publishing request came to (its Host is the client's to say)."""
    feed = client.get(f"/programmes/{PID}/feeds/public/select.ics").content
    lines = unfolded(feed)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines and "X-PUBLISHED-TTL:PT1H" in lines
    june = events(feed)[f"{PID}.select-2017-06-27@scrutiny-scheduler"]
    assert "URL" not in june and b"testserver" not in feed
    page = client.get(f"/public/{PID}")
    assert page.status_code == 200 and 'id="m-select-2017-06-27"' in page.text  # the anchor


def test_the_services_settings_reach_its_feeds(database_url: str) -> None:
    """SCRUTINY_FEED_REFRESH_MINUTES 30 and SCRUTINY_PUBLIC_URL: both properties say 30
    minutes, and each meeting links to the public page at the public address; so does every
    public feed and personal feed, published through the web page."""
    settings = Settings(
        database_url=database_url,
        clerk_token=CLERK,
        public_url="https://scrutiny.bromley.gov.uk",
        feed_refresh=dt.timedelta(minutes=30),
    )
    with TestClient(create_app(settings, announce=False)) as client, working(database_url):
        solved_and_published(client, BROMLEY.read_text(), PID)  # through the API
        _, path = address(client, "clerk")
        for feed in (
            client.get(f"/programmes/{PID}/feeds/public/select.ics").content,
            client.get(path).content,
        ):
            lines = unfolded(feed)
            assert "REFRESH-INTERVAL;VALUE=DURATION:PT30M" in lines
            assert "X-PUBLISHED-TTL:PT30M" in lines
            found = events(feed)[f"{PID}.select-2018-01-23@scrutiny-scheduler"]
            assert (
                found["URL"] == f"https://scrutiny.bromley.gov.uk/public/{PID}#m-select-2018-01-23"
            )
        # Published again from the clerk's page: the same settings.
        key = sign_in(client)
        revision = client.get(f"/programmes/{PID}").headers["ETag"].strip('"')
        done = client.post(
            f"/web/programmes/{PID}/publish",
            data={"form_key": key, "plan": "1", "revision": revision},
        )
        assert done.status_code == 200 and "done=published" in str(done.url), done.text
        feed = client.get(f"/programmes/{PID}/feeds/public/select.ics").content
        assert "X-PUBLISHED-TTL:PT30M" in unfolded(feed)
        assert b"URL:https://scrutiny.bromley.gov.uk/public/" in feed


def test_the_feed_refresh_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCRUTINY_FEED_REFRESH_MINUTES", raising=False)
    assert Settings.from_environment().feed_refresh == dt.timedelta(hours=1)
    for minutes in ("15", "90", "10080"):
        monkeypatch.setenv("SCRUTINY_FEED_REFRESH_MINUTES", minutes)
        assert Settings.from_environment().feed_refresh == dt.timedelta(minutes=int(minutes))
    for minutes in ("14", "10081", "0", "sixty", "1.5", "-60"):
        monkeypatch.setenv("SCRUTINY_FEED_REFRESH_MINUTES", minutes)
        with pytest.raises(SettingError) as refused:
            Settings.from_environment()
        assert str(refused.value) == (
            f"SCRUTINY_FEED_REFRESH_MINUTES is '{minutes}': give a whole number from 15 to"
            " 10080, e.g. 60"
        )


def _never_started(*_: object, **__: object) -> None:
    raise AssertionError("the service started with a setting it should have refused")


def test_serve_with_a_bad_feed_refresh_says_so_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("uvicorn.run", _never_started)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'scrutiny.db'}")
    monkeypatch.setenv("SCRUTINY_CLERK_TOKEN", CLERK)
    monkeypatch.setenv("SCRUTINY_FEED_REFRESH_MINUTES", "5")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scrutiny serve: SCRUTINY_FEED_REFRESH_MINUTES is '5': give a whole")
    assert "Traceback" not in err


# --- the clerk's page ----------------------------------------------------------------------------

GOOGLE = (
    "Google Calendar reads a subscribed calendar when it chooses",
    "leaves a cancelled meeting out instead of showing it as cancelled",
    "rely on Outlook or Apple Calendar",
)


def test_the_clerks_page_says_what_google_calendar_does_where_addresses_are_given(
    client: TestClient, published: dict[str, Any]
) -> None:
    key = sign_in(client)
    page = " ".join(client.get(f"/web/programmes/{PID}").text.split())
    feeds = page[page.index('id="feeds-heading"') :]
    for words in GOOGLE:
        assert words in feeds, words
    assert f'<a href="/public/{PID}">public page</a>' in feeds
    made = client.post(
        f"/web/programmes/{PID}/feed-links", data={"form_key": key, "subject": "gibbs"}
    )
    assert made.status_code == 201
    shown = " ".join(made.text.split())
    for words in GOOGLE:
        assert words in shown, words
