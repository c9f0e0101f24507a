"""The clerk's web page asks "Where could this go?" (DESIGN §5): every meeting of the item's
body, best first, in words (ids and rule codes only under "details"); "Put it here" pins the
item and starts the re-plan; a new item's problems are located in its text, which is kept."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from scheduler.plan.model import Plan
from tests.browser import screenshot
from tests.browser import sign_in as sign_in_browser
from tests.conftest import DATA
from tests.service import AUTH, YAML, run_job, sign_in, upload

PID = "small-council"
WHERE = f"/web/programmes/{PID}/where"
EMAIL = "o.witness@example.org"
#: What the page may show only under "details": meeting ids, item and person ids that are not
#: words, rule codes.
IDS = re.compile(
    r"\bmain-20\d\d-\d\d-\d\d|\bsub-20\d\d|theme-witnesses|\bfollow-up\b|inspection-follow-up"
    r"|pre-decision|pinned-by-date|exempt-contract|\bdir-[ab]\b|\bR\d+\b"
)


def small_with_an_email() -> str:
    """tests/data/small.yaml, the witness with an e-mail address (to be told at)."""
    text = (DATA / "small.yaml").read_text()
    edited = text.replace(
        "{id: witness, name: Outside Witness}",
        f"{{id: witness, name: Outside Witness, email: {EMAIL}}}",
    )
    assert edited != text
    return edited


@pytest.fixture
def solved(client: TestClient) -> str:
    """The small programme solved (plan 1), the clerk signed in: the page's form key."""
    upload(client, small_with_an_email())
    assert run_job(client, PID, time_limit=10)["state"] == "done"
    return sign_in(client)


def shown(page: str) -> str:
    """The page's text as read, without what is under "details" (nor hidden fields)."""
    main = page.split("<main", 1)[-1]
    main = re.sub(r"<details class=\"code\">.*?</details>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def meetings_listed(page: str) -> list[str]:
    return re.findall(r'<li class="option" data-meeting="([^"]+)">', page)


def option(page: str, meeting: str) -> str:
    """One meeting's entry on the page (its HTML)."""
    found = re.search(rf'<li class="option" data-meeting="{meeting}">.*?\n  </li>', page, re.S)
    assert found is not None, f"{meeting} is not listed"
    return found.group(0)


def options(client: TestClient, item: str) -> list[dict[str, Any]]:
    """The API's answer for the item against plan 1."""
    response = client.get(f"/programmes/{PID}/plans/1/suggest?item={item}", headers=AUTH)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def errors(page: str, form: str) -> list[str]:
    found = re.search(rf'<ul class="errors" id="[^"]+" data-form="{form}">(.*?)</ul>', page, re.S)
    assert found is not None, f"no errors shown for {form}"
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def typed(page: str) -> str:
    """What the new item's box holds."""
    kept = re.search(r'<textarea id="new-item-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert kept is not None
    return html.unescape(kept.group(1))


def source(client: TestClient) -> str:
    return client.get(f"/programmes/{PID}/source", headers=AUTH).text


def test_the_page_lists_every_meeting_best_first_with_the_cost_in_words(
    client: TestClient, solved: str
) -> None:
    grid = client.get(f"/web/programmes/{PID}").text
    assert f'href="{WHERE}?item=theme"' in grid  # placed, in the grid
    assert f'href="{WHERE}?item=inspection-follow-up"' in grid  # not placed
    assert "?item=apologies" not in grid and "?item=scrutiny" not in grid  # no pin places them
    listed = re.search(r'<select id="where-item" name="item" required>(.*?)</select>', grid, re.S)
    assert listed is not None
    asked = re.findall(r'<option value="([^"]+)">', listed.group(1))
    assert "theme" in asked and "inspection-follow-up" in asked and "apologies" not in asked

    page = client.get(f"{WHERE}?item=theme")
    assert page.status_code == 200
    expected = options(client, "theme")
    assert meetings_listed(page.text) == [o["meeting"] for o in expected]  # the API's order
    assert sorted(meetings_listed(page.text)) == [
        "main-2017-06-27",
        "main-2017-10-17",
        "main-2018-01-23",
        "main-2018-02-01-callin",
    ]  # every meeting of the body
    text = shown(page.text)
    assert IDS.findall(text) == []
    for option in expected:
        assert option["text"] in text
    january = " ".join(
        text.split("Main Select Committee, Tuesday 23 January 2018: moves")[1].split()
    )
    assert january.startswith(": Witness session to Tuesday 23 January 2018")
    assert (
        "Would move Witness session moves from Main Select Committee, Tuesday 17 October 2017"
        " to Tuesday 23 January 2018" in january
    )
    assert (
        "Would be left out Follow-up comes off the agenda of Main Select Committee,"
        " Tuesday 23 January 2018" in january
    )
    assert "Days outside preferred dates 84 more" in january
    assert f"Tell Director A Outside Witness <{EMAIL}>" in january
    assert page.text.count("Put it here<") == 3  # the possible meetings only


def test_an_impossible_meeting_says_why_with_the_rule_under_details(
    client: TestClient, solved: str
) -> None:
    page = client.get(f"{WHERE}?item=theme").text
    june = option(page, "main-2017-06-27")
    assert shown(june).split()[:6] == ["Main", "Select", "Committee,", "Wednesday", "28", "June"]
    assert "is outside the dates it may go to (between 1 October 2017 and 31 March 2018)" in june
    assert re.search(r"<details class=\"code\">.*R4 window: main-2017-06-27", june, re.S)
    assert "Put it here" not in june

    waiting = client.get(f"{WHERE}?item=inspection-follow-up").text
    assert "No meeting of Main Select Committee can take it." in waiting
    assert shown(waiting).count("Waits for the date of Local area SEND inspection") == 4
    assert waiting.count("R9 order: waits for the date of") == 4
    assert "Put it here" not in waiting


def test_put_it_here_pins_the_item_and_starts_a_replan(client: TestClient, solved: str) -> None:
    page = client.get(f"{WHERE}?item=theme").text
    form = re.search(
        r'<form method="post" action="(/web/programmes/[^"]+/choose)".*?'
        r'name="form_key" value="(\w+)".*?name="revision" value="(\d+)".*?'
        r'name="item" value="theme".*?name="meeting" value="main-2018-01-23"',
        page,
        re.S,
    )
    assert form is not None
    action, key, revision = form.groups()
    chosen = client.post(
        action,
        data={"form_key": key, "revision": revision, "item": "theme", "meeting": "main-2018-01-23"},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    job_page = chosen.headers["location"]
    assert job_page.startswith("/web/jobs/")
    job = client.get(f"/jobs/{job_page.rsplit('/', 1)[1]}", headers=AUTH).json()
    assert (job["kind"], job["programme_version"], job["against"]) == ("replan", 2, 1)
    theme = source(client).split("  - id: theme\n")[1].split("  - ")[0]
    assert "meeting: main-2018-01-23" in theme
    deadline = time.monotonic() + 300
    while job["state"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.05)
        job = client.get(f"/jobs/{job['id']}", headers=AUTH).json()
    assert job["state"] == "done", job
    plan = Plan.model_validate_json(
        client.get(f"/programmes/{PID}/plans/{job['plan']}", headers=AUTH).content
    )
    assert ("theme", "main-2018-01-23") in {(e.item, m.id) for m in plan.meetings for e in m.agenda}


def test_a_choice_on_an_old_page_is_refused_with_the_options_as_they_are_now(
    client: TestClient, solved: str
) -> None:
    pin = {"action": "pin", "item": "follow-up", "meeting": "main-2018-02-01-callin"}
    assert client.post(
        f"/web/programmes/{PID}/edits", data={**pin, "form_key": solved, "revision": "1"}
    ).is_success
    choice = {"item": "theme", "meeting": "main-2018-01-23", "form_key": solved, "revision": "1"}
    stale = client.post(f"/web/programmes/{PID}/choose", data=choice)
    assert stale.status_code == 412
    [message] = errors(stale.text, "choose")
    assert "somebody else changed it" in message
    assert 'name="revision" value="2"' in stale.text  # the options again, as they are now
    assert "meeting: main-2018-01-23" not in source(client)


def test_a_meeting_of_another_body_is_refused(client: TestClient, solved: str) -> None:
    choice = {"item": "theme", "meeting": "sub-2017-07-18", "form_key": solved, "revision": "1"}
    wrong = client.post(f"/web/programmes/{PID}/choose", data=choice)
    assert wrong.status_code == 422
    assert errors(wrong.text, "choose") == [
        "'sub-2017-07-18' is not a meeting of the item's body 'main'"
    ]
    assert "sub-2017-07-18" not in source(client)


def test_a_bad_new_item_is_located_in_its_text_and_the_text_is_kept(
    client: TestClient, solved: str
) -> None:
    text = "id: call-in\ntitle: Call-in\nbody: main\nkind: short\nwitnesses: [nobody]\n"
    page = client.post(WHERE, data={"form_key": solved, "text": text})
    assert page.status_code == 422
    api = client.post(f"/programmes/{PID}/plans/1/suggest", content=text.encode(), headers=YAML)
    expected = [
        f"{p['file']}:{p['line']}: {p['location']}: {p['message']}" for p in api.json()["problems"]
    ]
    assert errors(page.text, "new-item") == expected
    assert expected == ["new-item.yaml:5: witnesses[0]: 'nobody' is not in people"]
    assert typed(page.text) == text

    empty = client.post(WHERE, data={"form_key": solved, "text": "  "})
    assert (
        empty.status_code == 422
        and "text: write the new item's entry" in errors(empty.text, "new-item")[0]
    )


def test_a_new_items_options_are_shown_but_it_is_added_to_the_file_first(
    client: TestClient, solved: str
) -> None:
    text = "{id: call-in, title: Call-in, body: main, kind: substantive, priority: high}"
    page = client.post(WHERE, data={"form_key": solved, "text": text})
    assert page.status_code == 200
    api = client.post(f"/programmes/{PID}/plans/1/suggest", content=text.encode(), headers=YAML)
    assert meetings_listed(page.text) == [o["meeting"] for o in api.json()]
    assert "Put it here" not in page.text
    assert "The new item is not in the programme yet: add its entry to the file" in shown(page.text)
    assert IDS.findall(shown(page.text)) == []
    assert typed(page.text) == text  # to change and ask again


def test_only_the_signed_in_clerk_asks_or_chooses(client: TestClient, solved: str) -> None:
    client.post("/sign-out", data={"form_key": solved})
    away = client.get(f"{WHERE}?item=theme", follow_redirects=False)
    assert away.status_code == 303
    assert (
        away.headers["location"]
        == "/sign-in?next=/web/programmes/small-council/where%3Fitem%3Dtheme"
    )
    choice = {"item": "theme", "meeting": "main-2018-01-23", "form_key": solved, "revision": "1"}
    refused = client.post(f"/web/programmes/{PID}/choose", data=choice, follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/sign-in")
    assert "meeting: main-2018-01-23" not in source(client)
    etag = client.get(f"/programmes/{PID}").headers["ETag"]
    published = client.post(
        f"/programmes/{PID}/plans/1/publish", headers={**AUTH, "If-Match": etag}
    )
    assert published.status_code == 201
    public = client.get(f"/public/{PID}").text
    assert "Where could" not in public and "/where" not in public and "Put it here" not in public


def test_a_clerk_asks_where_an_item_could_go_and_puts_it_there(page: Page) -> None:
    response = page.request.post("/programmes", data=small_with_an_email().encode(), headers=YAML)
    assert response.status == 201
    sign_in_browser(page, f"/web/programmes/{PID}")
    page.click("#solve")
    page.wait_for_url("**plan=1")

    with page.expect_navigation():
        page.click("li[data-item='theme'] a.where")
    expect(page.locator("h1")).to_have_text("Where could “Main theme” go?")
    possible = page.locator("section.where ol.options > li")
    expect(possible).to_have_count(3)
    january = possible.filter(has_text="Tuesday 23 January 2018: moves")
    expect(january.locator("dl.cost")).to_contain_text(f"Outside Witness <{EMAIL}>")
    screenshot(page, "6-where-could-it-go")

    with page.expect_response(lambda r: "/web/jobs/" in r.url) as job_page:
        january.get_by_role("button", name="Put it here").click()
    job_id = job_page.value.url.rsplit("/", 1)[1]
    page.wait_for_url("**plan=2**")  # the job page follows the re-plan to its plan
    job = page.request.get(f"/jobs/{job_id}", headers=AUTH).json()
    assert (job["kind"], job["state"], job["plan"]) == ("replan", "done", 2)
    rows = page.locator("section.changes tbody tr")
    expect(rows.first).to_be_visible()
    # The re-plan did what the option said: the theme and its witness session moved to
    # 23 January 2018, the follow-up left out.
    changed = sorted(tuple(row.split("\t")[:4]) for row in rows.all_inner_texts())
    assert changed == [
        ("Follow-up", "unplaced", "Main Select Committee, 23 January 2018", "not placed"),
        (
            "Main theme",
            "moved",
            "Main Select Committee, 17 October 2017",
            "Main Select Committee, 23 January 2018",
        ),
        (
            "Witness session",
            "moved",
            "Main Select Committee, 17 October 2017",
            "Main Select Committee, 23 January 2018",
        ),
    ]
    expect(page.locator("li[data-item='theme'] .pinned")).to_be_visible()
