"""Guessing the clerk's token is slowed down per address: five failures are free, then 429 with
Retry-After and a wait that doubles; the addresses remembered are bounded. The clock is the
test's own: nothing here waits."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from api.throttle import FIRST_WAIT, FREE_FAILURES, LONGEST_WAIT, WINDOW, Throttle
from tests.service import AUTH, CLERK, sign_in

SOURCE = "/programmes/x/source"


def sign_in_refused(client: TestClient) -> bool:
    return client.post("/sign-in", data={"token": "a-guess", "next": "/"}).status_code == 429


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_are_free_then_the_wait_doubles_up_to_a_quarter_hour() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(FREE_FAILURES - 1):
        throttle.failed("a")
    assert throttle.wait("a") == 0
    waits = []
    for _ in range(8):
        throttle.failed("a")
        waits.append(throttle.wait("a"))
        clock.now += waits[-1]  # tries again as soon as it may
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]
    assert waits[0] == FIRST_WAIT and max(waits) == LONGEST_WAIT
    assert throttle.wait("b") == 0  # per address


def test_failures_a_window_apart_start_the_count_again() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(FREE_FAILURES - 1):
        throttle.failed("a")
    clock.now += WINDOW + 1
    throttle.failed("a")
    assert throttle.wait("a") == 0


def test_a_success_forgets_the_address() -> None:
    throttle = Throttle(clock=Clock())
    for _ in range(FREE_FAILURES):
        throttle.failed("a")
    throttle.forget("a")
    assert throttle.wait("a") == 0


def test_only_the_most_recent_addresses_are_remembered() -> None:
    throttle = Throttle(capacity=3, clock=Clock())
    for name in ("a", "b", "c", "d"):
        for _ in range(FREE_FAILURES):
            throttle.failed(name)
    assert [throttle.wait(name) > 0 for name in "abcd"] == [False, True, True, True]


def test_repeated_failed_sign_ins_get_429_with_retry_after(client: TestClient) -> None:
    for _ in range(FREE_FAILURES):
        wrong = client.post("/sign-in", data={"token": "not-the-token", "next": "/"})
        assert wrong.status_code == 401
    blocked = client.post("/sign-in", data={"token": "still-not-it", "next": "/"})
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "30"
    assert "try again in 30 seconds" in html.unescape(blocked.text)
    assert 'action="/sign-out"' not in client.get("/").text  # not signed in


def test_the_right_token_is_never_locked_out(client: TestClient) -> None:
    """Whoever shares the clerk's address (an office behind one NAT) could lock the clerk out
    by guessing: the right token passes however many wrong ones came before it."""
    for _ in range(FREE_FAILURES + 3):
        client.post("/sign-in", data={"token": "not-the-token", "next": "/"})
        client.get(SOURCE, headers={"Authorization": "Bearer no"})
    assert client.get(SOURCE, headers=AUTH).status_code == 404
    signed = client.post("/sign-in", data={"token": CLERK, "next": "/"}, follow_redirects=False)
    assert signed.status_code == 303


def test_repeated_wrong_bearer_tokens_get_429_with_retry_after(client: TestClient) -> None:
    for _ in range(FREE_FAILURES):
        assert client.get(SOURCE, headers={"Authorization": "Bearer no"}).status_code == 401
    blocked = client.get(SOURCE, headers={"Authorization": "Bearer still-no"})
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "30"
    assert blocked.json()["detail"].startswith("too many wrong tokens")
    assert sign_in_refused(client)  # one count for both ways of guessing


def test_a_missing_or_malformed_header_is_no_guess(client: TestClient) -> None:
    for _ in range(FREE_FAILURES * 2):
        assert client.get(SOURCE).status_code == 401
        assert client.get(SOURCE, headers={"Authorization": CLERK}).status_code == 401
    assert client.get(SOURCE, headers=AUTH).status_code == 404


def test_a_sign_in_forgets_the_failures_before_it(client: TestClient) -> None:
    for _ in range(FREE_FAILURES - 1):
        client.post("/sign-in", data={"token": "not-the-token", "next": "/"})
    sign_in(client)
    wrong = client.post("/sign-in", data={"token": "not-the-token", "next": "/"})
    assert wrong.status_code == 401  # counted from nothing again
