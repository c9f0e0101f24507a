"""Downloading the work programme from the clerk's page, signed in with the page's cookie (the
API's document answers 401 to it): any plan version found, in Word, HTML and Markdown, for the
clerk or as the public will read it, saved under a name that says which."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from scheduler.plan.model import Plan
from scheduler.programme.load import parse_programme
from tests import docx_text
from tests.conftest import BROMLEY, public_secrets, town_with_secrets
from tests.service import AUTH, YAML, publish, run_job, sign_in, upload
from tests.test_web_partial import gamble_away_in_june

FORMATS = {"Word": "docx", "Web page (HTML)": "html", "Markdown": "md"}
AUDIENCES = {"for the public": "public", "for the clerk": "clerk"}


def downloads(page: str) -> dict[str, str]:
    """The links of "Download the work programme": words -> address."""
    section = re.search(r'<section class="downloads".*?</section>', page, re.S)
    assert section is not None, "no downloads on the page"
    found = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', section.group(0))
    return {html.unescape(words): html.unescape(href) for href, words in found}


def test_the_clerk_downloads_any_plans_work_programme_six_ways(client: TestClient) -> None:
    town = town_with_secrets()
    pid = upload(client, town)["id"]
    plan = run_job(client, pid)["plan"]
    publish(client, pid, plan)  # the plan shown below is not the newest: any plan version
    solved = Plan.model_validate_json(
        client.get(f"/programmes/{pid}/plans/{plan}", headers=AUTH).text
    )
    secrets = public_secrets(parse_programme(town, "town.yaml"), solved)
    sign_in(client)
    links = downloads(client.get(f"/web/programmes/{pid}?plan={plan}").text)
    assert sorted(links) == sorted(f"{f}, {a}" for f in FORMATS for a in AUDIENCES)
    for words, href in links.items():
        fmt, audience = FORMATS[words.split(", ")[0]], AUDIENCES[words.split(", ")[1]]
        answer = client.get(href)
        assert answer.status_code == 200, words
        name = f'attachment; filename="{pid}-plan-{plan}-{audience}.{fmt}"'
        assert answer.headers["content-disposition"] == name
        api = client.get(
            f"/programmes/{pid}/plans/{plan}/document",
            params={"format": fmt, "audience": audience},
            headers=AUTH,
        )
        assert answer.headers["content-type"] == api.headers["content-type"]
        text = docx_text.text(answer.content) if fmt == "docx" else answer.text
        if fmt != "docx":  # the API's document, the same (a Word file's zip has its own times)
            assert answer.content == api.content
        if audience == "public":
            assert [s for s in secrets if s in text] == []
            assert "Exempt item (Part 2)" in text
        else:
            assert "Housing Repairs Contract Award" in text


def test_downloads_need_the_clerk_signed_in(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    run_job(client, "bromley-ecf-2017-18")
    where = "/web/programmes/bromley-ecf-2017-18/plans/1/work-programme?format=docx"
    away = client.get(where, headers=AUTH, follow_redirects=False)  # the page's: no token
    assert away.status_code == 303 and away.headers["location"].startswith("/sign-in?next=")
    sign_in(client)
    assert client.get(where).status_code == 200


def test_a_missing_plan_is_404_and_a_bad_format_names_the_field(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    run_job(client, "bromley-ecf-2017-18")
    sign_in(client)
    plans = "/web/programmes/bromley-ecf-2017-18/plans"
    missing = client.get(f"{plans}/9/work-programme")
    assert missing.status_code == 404 and "has no plan 9" in html.unescape(missing.text)
    assert client.get("/web/programmes/nowhere/plans/1/work-programme").status_code == 404
    bad = client.get(f"{plans}/1/work-programme?format=pdf")
    assert bad.status_code == 422 and "format: Input should be" in html.unescape(bad.text)
    assert "Traceback" not in bad.text
    assert client.get(f"{plans}/1/work-programme?audience=everyone").status_code == 422


def test_a_plan_that_found_none_has_nothing_to_download(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    publish(client, "bromley-ecf-2017-18", run_job(client, "bromley-ecf-2017-18")["plan"])
    etag = client.get("/programmes/bromley-ecf-2017-18").headers["ETag"]
    saved = client.put(
        "/programmes/bromley-ecf-2017-18/source",
        content=gamble_away_in_june().encode(),
        headers={**YAML, "If-Match": etag},
    )
    assert saved.status_code == 200
    failed = run_job(client, "bromley-ecf-2017-18", kind="replan", as_of="2017-10-01")["plan"]
    sign_in(client)
    page = client.get(f"/web/programmes/bromley-ecf-2017-18?plan={failed}").text
    assert downloads(page) == {}
    assert f"Plan {failed} found no plan, so it has no work programme to download" in page
    answer = client.get(f"/web/programmes/bromley-ecf-2017-18/plans/{failed}/work-programme")
    assert answer.status_code == 409 and "there is no programme to show" in answer.text
