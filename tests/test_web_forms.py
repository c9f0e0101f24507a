"""The web page's forms without a browser: who may use them, and what a refused change shows
(the API's own located messages, beside the form, with what was typed kept)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from fastapi.testclient import TestClient

from api.web import views
from api.web.actions import DONE
from api.web.session import COOKIE
from scheduler.outputs.document import Audience, Document, document
from scheduler.plan.model import Plan
from scheduler.programme.edits import MoveMeeting, apply_edit
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from tests.conftest import BROMLEY, public_secrets, town_with_secrets
from tests.service import AUTH, CLERK, YAML, publish, run_job, sign_in, upload

PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"


def errors(page: str, form: str) -> list[str]:
    """The messages shown beside one form."""
    found = re.search(
        rf'<ul class="errors" id="[^"]+" data-form="{re.escape(form)}">(.*?)</ul>', page, re.S
    )
    assert found is not None, f"no errors shown for {form}"
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def version(client: TestClient) -> int:
    body: dict[str, int] = client.get(f"/programmes/{PID}").json()
    return body["version"]


def test_the_clerks_pages_need_the_clerk(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    away = client.get(PAGE, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == f"/sign-in?next={PAGE}"
    wrong = client.post("/sign-in", data={"token": "nope", "next": PAGE})
    assert wrong.status_code == 401 and "not an account's API token" in html.unescape(wrong.text)
    assert COOKIE not in client.cookies
    elsewhere = client.post(
        "/sign-in", data={"token": CLERK, "next": "//evil.example/"}, follow_redirects=False
    )
    assert elsewhere.headers["location"] == "/"  # only a path on this site
    cookie = elsewhere.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get(PAGE).status_code == 200


def test_a_change_without_the_pages_form_key_is_refused(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    sign_in(client)
    forged = client.post(
        f"{PAGE}/edits",
        data={"action": "cancel", "meeting": "select-2017-10-17", "revision": "1"},
    )
    assert forged.status_code == 403 and "did not come from this site" in html.unescape(forged.text)
    assert version(client) == 1


def test_a_bad_entry_shows_the_apis_located_errors_beside_its_form_and_keeps_it(
    client: TestClient,
) -> None:
    upload(client, BROMLEY.read_text())
    key = sign_in(client)
    run_job(client, PID)
    entry = {"action": "move", "meeting": "select-2017-10-17", "date": "2019-01-08"}
    page = client.post(f"{PAGE}/edits", data={**entry, "form_key": key, "revision": "1"})
    assert page.status_code == 422
    shown = errors(page.text, "move:select-2017-10-17")
    edited = apply_edit(
        BROMLEY.read_text(), "yaml", MoveMeeting("select-2017-10-17", dt.date(2019, 1, 8))
    )
    api = client.put(
        f"/programmes/{PID}/source", content=edited.encode(), headers={**YAML, "If-Match": "1"}
    )
    assert api.status_code == 422
    expected = [
        f"{p['file']}:{p['line']}: {p['location']}: {p['message']}" for p in api.json()["problems"]
    ]
    assert shown == expected and "2019-01-08" in shown[0]
    assert 'value="2019-01-08"' in page.text  # what was typed is still in the field
    assert "<details open>" in page.text  # and its form is open
    assert version(client) == 1


def test_a_change_made_on_an_old_page_is_refused_and_nothing_is_lost(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    key = sign_in(client)
    move = {"action": "move", "meeting": "select-2017-10-17", "date": "2017-10-24"}
    assert client.post(f"{PAGE}/edits", data={**move, "form_key": key, "revision": "1"}).is_success
    pin = {"action": "pin", "item": "camhs", "meeting": "select-2018-01-23"}
    stale = client.post(f"{PAGE}/edits", data={**pin, "form_key": key, "revision": "1"})
    assert stale.status_code == 412
    [message] = errors(stale.text, "pin")
    assert "somebody else changed it" in message
    assert '<option value="camhs" selected>' in stale.text  # the choice is kept
    assert version(client) == 2


def test_a_bad_upload_shows_every_problem_and_keeps_the_text(client: TestClient) -> None:
    key = sign_in(client)
    text = BROMLEY.read_text().replace("witnesses: [", "witnesses: [nobody-at-all, ", 1)
    page = client.post("/web/programmes", data={"form_key": key, "text": text})
    assert page.status_code == 422
    api = client.post("/programmes", content=text.encode(), headers=YAML)
    expected = [
        f"{p['file']}:{p['line']}: {p['location']}: {p['message']}" for p in api.json()["problems"]
    ]
    assert errors(page.text, "upload") == expected and "nobody-at-all" in expected[0]
    kept = re.search(
        r'<textarea id="upload-text" name="text" rows="8">(.*?)</textarea>', page.text, re.S
    )
    assert kept is not None and html.unescape(kept.group(1)) == text
    assert client.get("/programmes").json() == []


def test_job_requests_are_checked_as_the_api_checks_them(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    key = sign_in(client)
    page = client.post(f"{PAGE}/jobs", data={"form_key": key, "kind": "solve", "time_limit": "900"})
    assert page.status_code == 422
    assert errors(page.text, "solve") == ["time_limit: Input should be less than or equal to 600"]
    replan = client.post(f"{PAGE}/jobs", data={"form_key": key, "kind": "replan"})
    assert replan.status_code == 409
    assert "solve it first" in errors(replan.text, "replan")[0]


def test_pages_answer_in_html_even_when_there_is_nothing_to_show(client: TestClient) -> None:
    sign_in(client)
    missing = client.get("/web/programmes/nope")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    upload(client, BROMLEY.read_text())
    unpublished = client.get(f"/public/{PID}")
    assert unpublished.status_code == 404 and "no published plan yet" in unpublished.text
    bad = client.get(f"{PAGE}?plan=zero")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert client.get("/programmes/nope", headers=AUTH).headers["content-type"] == (
        "application/json"
    )


def test_the_public_page_shows_no_exempt_title_and_no_informal_body(client: TestClient) -> None:
    town = town_with_secrets()
    pid = upload(client, town)["id"]
    plan = run_job(client, pid)["plan"]
    publish(client, pid, plan)
    programme = parse_programme(town, "town.yaml")
    solved = Plan.model_validate_json(
        client.get(f"/programmes/{pid}/plans/{plan}", headers=AUTH).text
    )
    secrets = public_secrets(programme, solved)
    shown = html.unescape(client.get(f"/public/{pid}").text)
    for secret in secrets:
        assert secret not in shown
    assert "Exempt item (Part 2)" in shown
    assert "Review of the Repairs Contract" not in shown  # not placed: the clerk's (issue 22)
    sign_in(client)
    clerk = html.unescape(client.get(f"/web/programmes/{pid}").text)
    assert "Housing Repairs Contract Award" in clerk and "Housing Task and Finish Group" in clerk


def test_each_meeting_change_is_a_new_version_of_the_file(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    key = sign_in(client)
    steps = [
        {"action": "cancel", "meeting": "select-2018-01-23"},
        {"action": "restore", "meeting": "select-2018-01-23"},
        {"action": "add", "body": "select", "date": "2018-03-20", "start": "18:30", "venue": ""},
        {"action": "pin", "item": "camhs", "meeting": "select-2018-03-20"},
        {"action": "unpin", "item": "camhs"},
    ]
    for revision, step in enumerate(steps, start=1):
        done = client.post(
            f"{PAGE}/edits",
            data={**step, "form_key": key, "revision": str(revision)},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"].endswith(f"?done={DONE[step['action']]}")
    versions = [
        parse_programme(
            client.get(f"/programmes/{PID}/source?version={n}", headers=AUTH).text, "v.yaml"
        )
        for n in range(1, len(steps) + 2)
    ]
    meeting = "select-2018-01-23"
    assert [v.meetings_by_id[meeting][1].status for v in versions[:3]] == [
        "scheduled",
        "cancelled",
        "scheduled",
    ]
    added = versions[3].meetings_by_id["select-2018-03-20"][1]
    assert (added.date, str(added.start)[:5], added.venue) == (dt.date(2018, 3, 20), "18:30", None)
    assert [v.items_by_id["camhs"].meeting for v in versions[3:]] == [
        None,
        "select-2018-03-20",
        None,
    ]
    unknown = client.post(
        f"{PAGE}/edits", data={"action": "drop", "form_key": key, "revision": "6"}
    )
    assert unknown.status_code == 422
    summary = re.search(r'<div class="error-summary"(.*?)</div>', unknown.text, re.S)
    assert summary is not None  # no form of the page sent it: the summary at the top says it
    assert "action: 'drop' is not an edit this page makes" in html.unescape(summary.group(1))


def test_saving_an_old_file_again_after_a_refusal_is_still_refused(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    key = sign_in(client)
    old = client.get(f"{PAGE}/source")
    assert 'name="revision" value="1"' in old.text
    cancel = {"action": "cancel", "meeting": "select-2017-10-17", "form_key": key, "revision": "1"}
    assert client.post(f"{PAGE}/edits", data=cancel, follow_redirects=False).status_code == 303
    mine = {"text": BROMLEY.read_text(), "format": "yaml", "form_key": key, "revision": "1"}
    for _ in range(2):  # refused, and refused again: the form still says revision 1
        again = client.post(f"{PAGE}/source", data=mine)
        assert again.status_code == 412 and 'name="revision" value="1"' in again.text
    assert "status: cancelled}" in client.get(f"/programmes/{PID}/source", headers=AUTH).text


def test_meetings_can_be_changed_before_anything_is_placed(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    sign_in(client)
    page = client.get(PAGE).text
    assert 'id="date-select-2017-10-17"' in page and 'id="add-date-select"' in page
    assert "No plan yet" in page


def test_odd_form_values_are_refused_in_words_never_a_500(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    key = sign_in(client)
    huge = "9" * 40
    move = {"action": "move", "meeting": "select-2017-10-17", "date": "2017-10-24"}
    page = client.post(f"{PAGE}/edits", data={**move, "form_key": key, "revision": huge})
    assert page.status_code == 428  # no usable revision: as the API without If-Match
    revoke = client.post(f"{PAGE}/feed-links/{huge}/revoke", data={"form_key": key})
    assert revoke.status_code == 422 and revoke.headers["content-type"].startswith("text/html")
    label = client.post(
        f"{PAGE}/feed-links", data={"form_key": key, "subject": "bennett", "label": "a\x00b"}
    )
    assert label.status_code == 422
    assert errors(label.text, "feed")[0].startswith("label: String should match pattern")
    assert client.get(f"/programmes/{PID}/feed-tokens", headers=AUTH).json() == []


def test_the_notice_says_only_what_the_page_did(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    sign_in(client)
    spoof = client.get(f"{PAGE}?done=published.%20Re-enter%20your%20token%20at%20evil.example")
    assert "evil.example" not in spoof.text
    assert "Meeting moved." in client.get(f"{PAGE}?done=moved").text


def test_signing_in_returns_to_the_page_asked_for_with_its_query(client: TestClient) -> None:
    upload(client, BROMLEY.read_text())
    away = client.get(f"{PAGE}?plan=1", follow_redirects=False)
    assert away.headers["location"] == f"/sign-in?next={PAGE}%3Fplan%3D1"
    back = client.post(
        "/sign-in", data={"token": CLERK, "next": f"{PAGE}?plan=1"}, follow_redirects=False
    )
    assert back.headers["location"] == f"{PAGE}?plan=1"


def test_an_impossible_date_keeps_the_typed_file_in_both_forms(client: TestClient) -> None:
    """2017-02-30 in a pasted or edited file answered 500 and the clerk's text was gone."""
    upload(client, BROMLEY.read_text())
    key = sign_in(client)
    text = BROMLEY.read_text().replace("      - 2018-01-23 ", "      - 2017-02-30 ", 1)
    expected = ["upload.yaml:142: bodies[0] (select).meetings[2]: 2017-02-30 is not a date: "
                "February 2017 has 28 days"]
    pasted = client.post("/web/programmes", data={"form_key": key, "text": text})
    assert pasted.status_code == 422 and errors(pasted.text, "upload") == expected
    kept = re.search(r'<textarea id="upload-text" name="text" rows="8">(.*?)</textarea>',
                     pasted.text, re.S)
    assert kept is not None and html.unescape(kept.group(1)) == text
    edit = {"text": text, "format": "yaml", "form_key": key, "revision": "1"}
    saved = client.post(f"{PAGE}/source", data=edit)
    assert saved.status_code == 422 and "2017-02-30 is not a date" in html.unescape(saved.text)
    kept = re.search(r'<textarea id="source-text" name="text"[^>]*>(.*?)</textarea>',
                     saved.text, re.S)
    assert kept is not None and html.unescape(kept.group(1)) == text
    assert version(client) == 1


def test_the_public_page_is_made_once_per_published_version(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anybody may ask for the public page: it cost a document build per request (a quarter of
    a second of CPU for a whole council). Now once per published version."""
    built: list[str] = []

    def counted(programme: Programme, plan: Plan, audience: Audience = "clerk") -> Document:
        built.append(audience)
        return document(programme, plan, audience)

    monkeypatch.setattr(views, "document", counted)
    upload(client, BROMLEY.read_text())
    publish(client, PID, run_job(client, PID)["plan"])
    pages = [client.get(f"/public/{PID}") for _ in range(3)]
    assert [p.status_code for p in pages] == [200] * 3 and pages[0].text == pages[2].text
    assert built == ["public"]
    publish(client, PID, run_job(client, PID)["plan"])
    assert client.get(f"/public/{PID}").status_code == 200
    assert built == ["public", "public"]
