"""The web page under its Content-Security-Policy in headless Chromium: the clerk's pages, the
public page and the work-programme document work with no violation reported (the policy is
enforced: an inline script is refused), and signing out ends the session."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser import sign_in
from tests.conftest import BROMLEY

PID = "bromley-ecf-2017-18"


def violations(page: Page) -> list[str]:
    """Every CSP violation the browser reports on `page` from now on (a live list)."""
    found: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", heard)
    return found


def test_the_pages_work_under_the_content_security_policy(page: Page) -> None:
    refused = violations(page)
    sign_in(page)
    page.set_input_files("#upload-file", BROMLEY)
    page.click("#load")
    page.wait_for_url(f"**/web/programmes/{PID}")
    page.fill("#solve-limit", "5")
    page.click("#solve")
    page.wait_for_url("**plan=1")
    page.click("#publish")
    page.wait_for_url("**done=published**")

    # The Copy button is this site's script: allowed.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = page.locator("button[data-copy='public-feed-1']")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("() => getComputedStyle(document.body).margin") == "0px"  # page.css

    page.goto(f"/public/{PID}")
    expect(page.locator("table.grid").first).to_be_visible()
    page.goto(f"/programmes/{PID}/document?format=html")
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Arial" in font  # the document's own style block applies
    assert refused == []

    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'document.title = \"injected\"'; document.head.append(s); }"
    )
    expect(page).not_to_have_title("injected")
    assert any("inline script" in line for line in refused)


def test_signing_out_in_the_browser_ends_the_session(page: Page) -> None:
    sign_in(page)
    expect(page.locator("#upload-file")).to_be_visible()
    with page.expect_navigation():
        page.click("#sign-out")
    expect(page.locator("header a[href='/sign-in']")).to_be_visible()
    assert page.context.cookies() == []
    page.goto(f"/web/programmes/{PID}")
    assert "/sign-in?next=" in page.url
