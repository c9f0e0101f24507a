"""The audit trail complete after the browser flow (issue 25): in Chromium, Philippa Gibbs signs
in through the council's single sign-on (node's `oidc-provider`, tests/oidc_provider.py), her
domain allowed as clerks; she loads the Bromley programme, solves, publishes, moves a meeting
(the page says the change is hers), re-plans, publishes again, and gives out a personal
calendar address and revokes it. Then the trail, in the database and on the programme's history
page, holds each of those in order, each under her name (the account's own making under the
service's), and nothing else: every recording is needed for the test to pass."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, select

from api.app import create_app
from api.storage import reading, writing
from api.tables import Account, AuditEvent, SsoDomain
from tests.browser import screenshot, serving
from tests.conftest import BROMLEY
from tests.live import free_port
from tests.oidc_provider import running

PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"
PHILIPPA = "philippa.gibbs@bromley.gov.uk"
NAME = "Philippa Gibbs"
#: The Select Committee's October meeting, moved a day on.
MEETING, NEW_DATE = "select-2017-10-17", "2017-10-18"
MOVED = (
    "Meeting moved: Education, Children & Families Select Committee, Tuesday 17 October 2017,"
    " now Wednesday 18 October 2017"
)
#: The person given a calendar address, and its note.
SUBJECT, NOTE = "collins", "his tablet"
WHOSE = "Councillor Alan Collins (his tablet)"
#: Seconds each solve may spend: enough for Bromley, and quick.
LIMIT = "5"


@dataclass(frozen=True)
class Flow:
    """The service as the browser used it: its database, and a page still signed in."""

    engine: Engine
    page: Page


@pytest.fixture
def flow(browser: Browser, tmp_path: Path) -> Iterator[Flow]:
    """The service at 127.0.0.1 with the provider (at `localhost`) as its single sign-on,
    bromley.gov.uk allowed as clerks, and a browser page on it."""
    port = free_port()
    with running(f"http://127.0.0.1:{port}/sign-in/sso/callback", tmp_path / "oidc.log") as oidc:
        app = create_app(oidc.settings(f"sqlite:///{tmp_path / 'scrutiny.db'}"), announce=False)
        engine = app.state.scrutiny.engine
        with writing(engine) as session:
            session.add(
                SsoDomain(domain="bromley.gov.uk", role="clerk", created=dt.datetime.now(dt.UTC))
            )
        with serving(app, port) as url:
            context = browser.new_context(
                base_url=url, viewport={"width": 1600, "height": 1000}, locale="en-GB"
            )
            context.set_default_timeout(20_000)
            context.route("https://**", lambda route: route.abort())  # the provider's web font
            yield Flow(engine, context.new_page())
            context.close()


def sign_in_with_sso(page: Page) -> None:
    """Through the provider's own login and consent pages, back to the home page."""
    page.goto("/sign-in?next=/")
    page.get_by_role("link", name="Sign in with your council account").click()
    page.wait_for_url("http://localhost:*/interaction/**")
    page.fill('input[name="login"]', PHILIPPA)
    page.fill('input[name="password"]', "any password will do")
    page.click('button[type="submit"]')
    page.get_by_role("button", name="Continue").click()  # consent: asked the first time
    page.wait_for_url("http://127.0.0.1:*/")
    expect(page.locator("#sign-out")).to_be_visible()


def load_bromley(page: Page) -> None:
    page.set_input_files("#upload-file", BROMLEY)
    with page.expect_navigation():
        page.click("#load")
    page.wait_for_url(f"**{PAGE}")


def plan(page: Page, kind: str, number: int) -> None:
    """Solve (`kind` "solve") or re-plan, LIMIT seconds; the job page lands on plan `number`."""
    page.fill(f"#{kind}-limit", LIMIT)
    with page.expect_navigation():
        page.click(f"#{kind}")
    page.wait_for_url(f"**{PAGE}?plan={number}", timeout=90_000)


def publish(page: Page, number: int, published: int) -> None:
    """Publish plan `number`, shown: the page then shows its publication, plan `published`."""
    with page.expect_navigation():
        page.get_by_role("button", name=f"Publish plan {number}").click()
    assert f"plan={published}&done=published" in page.url, page.locator("main").inner_text()


def move_meeting(page: Page) -> None:
    """The grid's "Change this meeting": moved, and listed as not planned yet, as hers."""
    page.click(f"#change-{MEETING}")
    page.fill(f"#date-{MEETING}", NEW_DATE)
    with page.expect_navigation():
        page.click(f"#move-{MEETING}")
    assert "done=moved" in page.url, page.locator("main").inner_text()
    change = page.locator("section.pending-edits li[data-version='2']")
    expect(change).to_contain_text(MOVED)
    expect(change.locator(".by")).to_have_text(f"by {NAME}")


def give_and_revoke_feed(page: Page) -> None:
    """A personal calendar address made for one person, and then revoked (confirmed)."""
    page.select_option("#feed-subject", SUBJECT)
    page.fill("#feed-label", NOTE)
    with page.expect_navigation():
        page.click("#make-feed")
    expect(page.locator("h1")).to_have_text("Calendar address for Councillor Alan Collins")
    with page.expect_navigation():
        page.click("#back-to-programme")
    with page.expect_navigation():
        page.locator("#feeds a.revoke").click()
    with page.expect_navigation():
        page.click("#revoke-confirmed")
    assert "done=revoked" in page.url, page.locator("main").inner_text()
    expect(page.locator("#feeds table.list tbody tr")).to_contain_text("revoked")


def trail(engine: Engine) -> list[AuditEvent]:
    """Every event, in the order recorded."""
    with reading(engine) as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def account_of(engine: Engine) -> int:
    with reading(engine) as session:
        found: int = session.scalars(select(Account.id).where(Account.email == PHILIPPA)).one()
        return found


#: What the trail says, in order: (action, who, programme, version, plan, words, details).
EXPECTED: list[tuple[str, str, str | None, int | None, int | None, str, dict[str, Any]]] = [
    (
        "account.created",
        "the service",
        None,
        None,
        None,
        f"Account made for {NAME} ({PHILIPPA}) on their first single sign-on.",
        {"role": "clerk"},
    ),
    ("programme.created", NAME, PID, 1, None, "Programme made.", {}),
    ("plan.made", NAME, PID, 1, 1, "Solved: plan 1.", {"kind": "solve"}),
    ("plan.published", NAME, PID, 1, 2, "Plan 1 published (kept as plan 2, with its feeds).", {"plan": 1}),
    ("programme.version", NAME, PID, 2, None, f"{MOVED}.", {}),
    ("plan.made", NAME, PID, 2, 3, "Re-planned: plan 3.", {"kind": "replan"}),
    ("plan.published", NAME, PID, 2, 4, "Plan 3 published (kept as plan 4, with its feeds).", {"plan": 3}),
    ("feed.given", NAME, PID, None, None, f"Private calendar address given for {WHOSE}.", {}),
    ("feed.revoked", NAME, PID, None, None, f"Private calendar address for {WHOSE} revoked.", {}),
]


def test_the_audit_trail_is_complete_after_the_browser_flow(flow: Flow) -> None:
    page = flow.page
    sign_in_with_sso(page)
    load_bromley(page)
    plan(page, "solve", 1)
    publish(page, 1, 2)
    move_meeting(page)
    plan(page, "replan", 3)
    publish(page, 3, 4)
    give_and_revoke_feed(page)

    events = trail(flow.engine)
    said = [
        (e.action, e.who, e.programme, e.version, e.plan, e.words, json.loads(e.details))
        for e in events
    ]
    assert [s[:6] for s in said] == [x[:6] for x in EXPECTED]
    for (*_, details), (*_, wanted) in zip(said, EXPECTED, strict=True):
        assert wanted.items() <= details.items()
    feeds = [details for *_, details in said[-2:]]
    assert feeds[0]["subject"] == feeds[1]["subject"] == SUBJECT
    assert feeds[0]["token"] == feeds[1]["token"]  # the address given is the one revoked
    hers = account_of(flow.engine)
    assert [e.account for e in events] == [None] + [hers] * (len(EXPECTED) - 1)
    assert said[0][6]["account"] == hers
    assert [e.at for e in events] == sorted(e.at for e in events), [(e.action, e.at) for e in events]

    # The history page: the programme's events, newest first, each with who and what.
    page.goto(f"{PAGE}/history")
    listed = page.locator("#history-list > li")
    expect(listed).to_have_count(len(EXPECTED) - 1)  # the account is no programme's
    expect(listed.locator(".who")).to_have_text([NAME] * (len(EXPECTED) - 1))
    newest_first = [words for _, _, _, _, _, words, _ in reversed(EXPECTED[1:])]
    for li, words in zip(listed.all(), newest_first, strict=True):
        expect(li).to_contain_text(words)
    expect(listed.nth(0)).not_to_contain_text("See plan")
    expect(listed.nth(2).get_by_role("link", name="See plan 4")).to_be_visible()
    screenshot(page, "audit-flow-history")
