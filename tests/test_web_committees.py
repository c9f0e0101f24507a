"""A programme of many committees on the clerk's page (issue 22): one committee at a time, a
list of committees with "my committees" first, search, each committee's documents, and forms
whose long lists of people are asked in rows."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.views import ONE_PAGE
from bench.generate import generate, to_yaml
from tests.docx_text import text as docx_text
from tests.page_forms import form_data
from tests.service import publish, run_job, sign_in, upload


@pytest.fixture(scope="module")
def council() -> dict[str, Any]:
    data = generate(5)
    assert len(data["bodies"]) > ONE_PAGE and len(data["people"]) > 40
    return data


@pytest.fixture
def clerk(client: TestClient, council: dict[str, Any]) -> TestClient:
    upload(client, to_yaml(council))
    sign_in(client)
    return client


def base(council: dict[str, Any]) -> str:
    return f"/web/programmes/{council['id']}"


def grids(page: str) -> list[str]:
    return re.findall(r'<table class="grid" data-body="([^"]+)"', page)


def test_a_programme_of_many_committees_lists_them_instead_of_every_grid(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    page = clerk.get(base(council)).text
    assert grids(page) == []
    for body in council["bodies"]:
        assert f'href="{base(council)}/committees/{body["id"]}"' in page
    names = re.findall(r'<td><a href="[^"]+/committees/[^"]+">([^<]+)</a>', page)
    assert [html.unescape(n) for n in names] == [b["name"] for b in council["bodies"]]
    assert 'role="search"' in page
    assert 'id="pin-item"' not in page  # pins are made on a committee's page


def test_a_committees_page_shows_its_year_and_offers_its_own_items(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    body = council["bodies"][3]
    page = clerk.get(f"{base(council)}/committees/{body['id']}").text
    assert grids(page) == [body["id"]]
    offered = re.findall(r'<select id="pin-item".*?</select>', page, re.S)[0]
    theirs = {i["id"] for i in council["items"] if i["body"] == body["id"]}
    assert set(re.findall(r'<option value="([^"]+)"', offered)) <= theirs
    assert clerk.get(f"{base(council)}/committees/nobody").status_code == 404


def test_an_edit_on_a_committees_page_comes_back_to_it(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    body = council["bodies"][3]
    url = f"{base(council)}/committees/{body['id']}"
    page = clerk.get(url).text
    meeting = re.findall(r'id="date-([^"]+)" name="date" type="date" value="([^"]+)"', page)[0]
    form = form_data(page, f"{base(council)}/edits")  # the first form posting there: a move
    assert form["committee"] == [body["id"]]
    form |= {"action": ["move"], "meeting": [meeting[0]], "date": [meeting[1]], "start": [""]}
    sent = clerk.post(f"{base(council)}/edits", data=form, follow_redirects=False)
    assert sent.headers["location"].startswith(f"{url}?done=")


def test_my_committees_come_first(clerk: TestClient, council: dict[str, Any]) -> None:
    body = council["bodies"][4]
    url = f"{base(council)}/committees/{body['id']}"
    sent = clerk.post(f"{url}/mine", data=form_data(clerk.get(url).text, f"{url}/mine"))
    assert sent.status_code == 200
    page = clerk.get(base(council)).text
    mine = page.index("My committees")
    assert page.index(html.escape(body["name"]), mine) < page.index("Every committee")
    assert "Take off my committees" in clerk.get(url).text


def test_search_finds_committees_items_and_people_by_a_word(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    item = council["items"][40]
    word = max(item["title"].split(), key=len)
    page = clerk.get(f"{base(council)}/search", params={"q": word}).text
    assert html.escape(item["title"]) in page
    person = council["people"][0]
    page = clerk.get(f"{base(council)}/search", params={"q": person["name"].upper()}).text
    assert f'href="{base(council)}/people/{person["id"]}/edit"' in page
    assert "None." in clerk.get(f"{base(council)}/search", params={"q": "zzzqqq"}).text


def test_a_committees_work_programme_downloads_alone(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    run_job(clerk, council["id"], time_limit=5)
    body, other = council["bodies"][3], council["bodies"][0]
    page = clerk.get(f"{base(council)}/committees/{body['id']}").text
    link = re.findall(r'href="([^"]+work-programme\?format=docx&amp;audience=public[^"]*)"', page)
    assert link and f"body={body['id']}" in link[0]
    got = clerk.get(html.unescape(link[0]))
    assert got.status_code == 200 and body["id"] in got.headers["content-disposition"]
    text = docx_text(got.content)
    assert body["name"] in text and other["name"] not in text


def test_whose_item_is_not_placed_is_said(clerk: TestClient, council: dict[str, Any]) -> None:
    run_job(clerk, council["id"], time_limit=5)
    page = clerk.get(base(council)).text
    listed = re.search(r'<aside class="unplaced".*?</aside>', page, re.S)
    assert listed is not None
    names = {html.unescape(n) for n in re.findall(r'<span class="whose">\(([^)]+)\)', listed[0])}
    assert names <= {b["name"] for b in council["bodies"]}
    if "Every item is placed" not in listed[0]:
        assert names


def test_a_long_list_of_people_is_asked_in_rows_of_names(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    body = council["bodies"][0]
    new = f"{base(council)}/items/new"
    page = clerk.get(new, params={"body": body["id"]}).text
    assert page.count('<datalist id="choices-people">') == 1
    assert 'list="choices-people"' in page and 'type="checkbox" name="witnesses"' not in page
    first, second = council["people"][0], council["people"][1]
    form = form_data(page, new) | {
        "id": ["asked-in-rows"],
        "title": ["Asked in rows"],
        "kind": ["substantive"],
        "witnesses": [first["name"], second["id"], ""],
    }
    sent = clerk.post(new, data=form, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    edit = clerk.get(f"{base(council)}/items/asked-in-rows/edit").text
    shown = re.findall(
        r'name="witnesses" list="choices-people" aria-label="[^"]*" value="([^"]*)"', edit
    )
    assert [html.unescape(v).split(", ")[0] for v in shown if v] == [first["name"], second["name"]]


def test_a_committees_page_warns_only_of_its_own_meetings(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    everything = clerk.get(base(council)).text
    assert re.search(r"<summary>\d+ warnings?: legal, but probably a slip</summary>", everything)
    for body in council["bodies"]:
        page = clerk.get(f"{base(council)}/committees/{body['id']}").text
        listed = re.search(r'<ul class="warnings".*?</ul>', page, re.S)
        for line in re.findall(r"<li[^>]*>(.*?)</li>", listed[0] if listed else "", re.S):
            assert html.escape(body["name"]) in line or any(
                m in line for m in [str(x.get("date", x)) for x in body.get("meetings", [])]
            )


def test_a_director_typed_who_is_not_in_the_programme_is_named_not_dropped(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    scrutiny = next(i for i in council["items"] if i.get("rotation"))
    url = f"{base(council)}/items/{scrutiny['id']}/edit"
    form = form_data(clerk.get(url).text, url)
    spare = next(k for k, v in form.items() if k.startswith("rotation-who-") and v == [""])
    form |= {spare: ["Nobody We Know"], spare.replace("-who-", "-n-"): ["2"]}
    sent = clerk.post(url, data=form)
    assert sent.status_code == 422
    assert "'Nobody We Know': nobody of that name" in html.unescape(sent.text)


def test_cancelling_from_a_committees_page_comes_back_to_it(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    body = council["bodies"][3]
    url = f"{base(council)}/committees/{body['id']}"
    page = clerk.get(url).text
    cancel = re.findall(r'href="([^"]+/meetings/[^"]+/cancel)"', page)[0]
    confirm = clerk.get(cancel).text
    sent = clerk.post(
        f"{base(council)}/edits",
        data=form_data(confirm, f"{base(council)}/edits"),
        follow_redirects=False,
    )
    assert sent.headers["location"].startswith(f"{url}?done=cancelled")
    meeting = cancel.split("/meetings/")[1].removesuffix("/cancel")
    edit = f"{base(council)}/meetings/{meeting}/edit"
    status = re.search(r'<select id="f-status".*?</select>', clerk.get(edit).text, re.S)
    assert status is not None and "Cancelled" in status[0]  # as it is; not offered otherwise
    elsewhere = clerk.get(f"{base(council)}/committees/{council['bodies'][2]['id']}").text
    first = re.findall(r'href="([^"]+/meetings/[^"]+/edit)"', elsewhere)[0]
    offered = re.search(r'<select id="f-status".*?</select>', clerk.get(first).text, re.S)
    assert offered is not None and "ancelled" not in offered[0]  # cancelling asks first


def test_a_committees_page_gives_its_own_public_feed(
    clerk: TestClient, council: dict[str, Any]
) -> None:
    job = run_job(clerk, council["id"], time_limit=5)
    publish(clerk, council["id"], job["plan"])
    body = council["bodies"][0]
    page = clerk.get(f"{base(council)}/committees/{body['id']}").text
    feeds = re.findall(r'<input id="public-feed-\d+" type="url" readonly value="([^"]+)"', page)
    assert len(feeds) == 1 and body["id"] in feeds[0]
