"""The web page in a real browser: the service on a loopback port (uvicorn, in a thread, on a
fresh database) and Debian's headless Chromium driven by Playwright.

Playwright's own browser download is never used: CHROMIUM (default Debian's path) is launched,
and `.ci/run` installs the package when the machine lacks it. Screenshots go to
tests/artifacts/ (not committed), to be looked at.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright

from tests.service import CLERK, make_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    """A running service on SQLite (its admin's API token is tests.service.CLERK)."""
    with serving(make_app(f"sqlite:///{tmp_path / 'scrutiny.db'}"), _free_port()) as url:
        yield url


@contextlib.contextmanager
def serving(app: FastAPI, port: int) -> Iterator[str]:
    """`app` served by uvicorn in a thread on loopback `port`, until the end; its address."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_url, viewport={"width": 1600, "height": 1000}, locale="en-GB"
    )
    context.set_default_timeout(20_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, then: str = "/") -> None:
    """Sign the clerk in through the page's form; the browser is then at `then`."""
    page.goto(f"/sign-in?next={then}")
    page.fill("#token", CLERK)
    with page.expect_navigation():
        page.click("#sign-in")


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in tests/artifacts/ (kept for a person to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
