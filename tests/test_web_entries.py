"""The forms for everything in the programme file (issue 22, DESIGN §10): a field for every key
of the model, what each writes (and only that: the file keeps its comments), problems beside
the field they concern, and nothing typed lost."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api.storage import reading
from api.store import programme_at, programme_version
from api.web.fields import (
    BODY,
    DEADLINES,
    EVENT,
    ITEM,
    MEETING,
    NEW_MEETING,
    PERSON,
    SETTINGS,
    Field,
    hints,
)
from scheduler.programme.model import Body, Deadlines, Event, Item, Meeting, Person, Programme
from tests.conftest import BROMLEY
from tests.page_forms import form_data
from tests.service import sign_in, upload

PID = "bromley-ecf-2017-18"
PAGE = f"/web/programmes/{PID}"
DATA = Path(__file__).parent / "data"


def keys(model: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


@pytest.mark.parametrize(
    ("model", "fields", "managed_elsewhere"),
    [
        (Item, ITEM, set()),
        (Person, PERSON, set()),
        (Body, BODY, {"meetings"}),  # each meeting has its own form
        (Event, EVENT, set()),
        # moved_from is written by a move, which keeps the id; moderngov by an import
        (Meeting, NEW_MEETING, {"moved_from", "moderngov"}),
        (Deadlines, DEADLINES, set()),
        (Programme, SETTINGS, {"id", "people", "bodies", "items", "events", "deadlines"}),
    ],
)
def test_every_key_of_the_file_has_a_field_with_words(
    model: type[BaseModel], fields: tuple[Field, ...], managed_elsewhere: set[str]
) -> None:
    asked = [f.key for f in fields]
    assert len(asked) == len(set(asked))
    assert set(asked) == keys(model) - managed_elsewhere
    assert all(f.label and f.label[0].isupper() for f in fields)
    assert all(hints(fields).values())  # its own hint, else what the key means (one table)
    assert set(f.key for f in MEETING) == set(asked) - {"id"} or model is not Meeting


def programme(client: TestClient) -> Programme:
    with reading(client.app.state.scrutiny.engine) as session:  # type: ignore[attr-defined]
        return programme_at(session, PID)


def source(client: TestClient) -> str:
    with reading(client.app.state.scrutiny.engine) as session:  # type: ignore[attr-defined]
        return programme_version(session, PID).source


def beside(page: str) -> dict[str, str]:
    """The problems shown beside each field."""
    found = re.findall(r'class="field-error" id="err-([\w]+)">(.*?)</p>', page, re.S)
    return {key: html.unescape(text) for key, text in found}


def above(page: str) -> list[str]:
    found = re.search(r'class="error-summary".*?<ul>(.*?)</ul>', page, re.S)
    assert found is not None, "no problems above the form"
    return [
        html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(r"<li>(.*?)</li>", found[1], re.S)
    ]


@pytest.fixture
def clerk(client: TestClient) -> TestClient:
    upload(client, BROMLEY.read_text())
    sign_in(client)
    return client


def every_form(p: Programme) -> list[str]:
    return [
        *(f"/items/{i.id}/edit" for i in p.items),
        *(f"/people/{x.id}/edit" for x in p.people),
        *(f"/bodies/{b.id}/edit" for b in p.bodies),
        *(f"/events/{e.id}/edit" for e in p.events),
        *(f"/meetings/{m.key}/edit" for b in p.bodies for m in b.meetings),
        "/settings",
    ]


@pytest.mark.parametrize("name", ["bromley", "small.yaml", "feeds.yaml", "check_base.yaml"])
def test_saving_any_form_as_it_comes_changes_nothing(client: TestClient, name: str) -> None:
    """Every entry of real files, sent back as the form shows it: the form reads each value as
    the file means it (no key dropped, no list reordered, no date rewritten)."""
    text = BROMLEY.read_text() if name == "bromley" else (DATA / name).read_text()
    pid = upload(client, text)["id"]
    sign_in(client)
    with reading(client.app.state.scrutiny.engine) as session:  # type: ignore[attr-defined]
        p = programme_at(session, pid)
    for path in every_form(p):
        url = f"/web/programmes/{pid}{path}"
        page = client.get(url)
        assert page.status_code == 200, url
        sent = client.post(url, data=form_data(page.text, url), follow_redirects=False)
        assert sent.status_code == 303 and "done=unchanged" in sent.headers["location"], url
    with reading(client.app.state.scrutiny.engine) as session:  # type: ignore[attr-defined]
        assert programme_version(session, pid).number == 1


def test_a_members_request_added_in_the_form_is_written_with_every_kind_of_field(
    clerk: TestClient,
) -> None:
    url = f"{PAGE}/items/new?body=select"
    form = form_data(clerk.get(url).text, f"{PAGE}/items/new")
    form |= {
        "id": ["school-places"],
        "title": ["Member's request: school places, 2019"],
        "kind": ["substantive"],
        "minutes": ["20"],
        "priority": ["high"],
        "window-from": ["2017-09-01"],
        "window-to": ["2017-12-31"],
        "witnesses": ["bennett", "reddin"],
        "organisations": ["Bromley Parent Voice\nHeadteachers' forum"],
        "after-0-target": ["event:send-strategy-published"],
        "after-0-gap": ["7"],
        "verbal": ["yes"],
        "history": ["2017-03-23, deferred, to await the Ofsted report"],
        "titles": [""],
    }
    before = source(clerk)
    done = clerk.post(f"{PAGE}/items/new", data=form, follow_redirects=False)
    assert done.status_code == 303 and "done=added" in done.headers["location"]
    after = source(clerk)
    assert after.startswith(before.rstrip("\n").rsplit("\n", 1)[0])  # only lines added
    assert "# min. 51 l.534" in after  # the file's comments are kept
    item = programme(clerk).items_by_id["school-places"]
    assert item.title == "Member's request: school places, 2019"
    assert (item.minutes, item.priority, item.verbal) == (20, "high", True)
    assert str(item.window) == "2017-09-01..2017-12-31"
    assert item.witnesses == ["bennett", "reddin"]
    assert item.organisations == ["Bromley Parent Voice", "Headteachers' forum"]
    assert item.after[0].event == "send-strategy-published" and item.after[0].gap_days == 7
    assert item.history[0].change == "deferred"


def test_problems_show_beside_their_field_and_keep_what_was_typed(clerk: TestClient) -> None:
    url = f"{PAGE}/items/new"
    sent = clerk.post(
        url,
        data={
            **form_data(clerk.get(f"{url}?body=select").text, url),
            "id": ["Bad Id"],
            "title": ["A title kept"],
            "kind": ["substantive"],
            "minutes": ["twenty"],
            "window-from": ["2017-13-01"],
        },
    )
    assert sent.status_code == 422
    shown = beside(sent.text)
    assert "not a whole number" in shown["minutes"]
    assert "not a date" in shown["window"]
    assert 'value="A title kept"' in sent.text and 'value="twenty"' in sent.text
    # Read, then checked by the programme: a bad id is the model's problem, beside its field.
    sent = clerk.post(
        url,
        data={
            **form_data(clerk.get(f"{url}?body=select").text, url),
            "id": ["Bad Id"],
            "title": ["A title kept"],
            "kind": ["substantive"],
        },
    )
    assert sent.status_code == 422 and "id" in beside(sent.text)
    assert source(clerk) == BROMLEY.read_text()


def test_a_required_field_left_empty_is_named(clerk: TestClient) -> None:
    url = f"{PAGE}/people/bennett/edit"
    form = form_data(clerk.get(url).text, url) | {"name": [""]}
    sent = clerk.post(url, data=form)
    assert sent.status_code == 422 and beside(sent.text) == {"name": "required"}


def test_changing_a_person_writes_only_what_changed(clerk: TestClient) -> None:
    url = f"{PAGE}/people/bennett/edit"
    form = form_data(clerk.get(url).text, url)
    form |= {
        "email": ["nicholas.bennett@bromley.gov.uk"],
        "unavailable": ["2017-10-01..2017-10-10"],
    }
    assert clerk.post(url, data=form, follow_redirects=False).status_code == 303
    before, after = BROMLEY.read_text().splitlines(), source(clerk).splitlines()
    added = [line for line in after if line not in before]
    assert added == [
        "    email: nicholas.bennett@bromley.gov.uk",
        "    unavailable: [2017-10-01..2017-10-10]",
    ]
    assert [line for line in before if line not in after] == []


def test_taking_out_a_person_others_name_says_who_names_them(clerk: TestClient) -> None:
    confirm = clerk.get(f"{PAGE}/people/bennett/remove")
    assert "Take the person 'Councillor Nicholas Bennett J.P.' out" in html.unescape(confirm.text)
    url = f"{PAGE}/people/bennett/remove"
    sent = clerk.post(url, data=form_data(confirm.text, url))
    assert sent.status_code == 422
    listed = above(sent.text)
    assert (
        "Education, Children & Families Select Committee, Chairman: 'bennett' is not in people"
        in listed
    )
    assert not any("upload." in m or "bodies[" in m for m in listed)  # in words, not the file's
    assert source(clerk) == BROMLEY.read_text()


def test_a_person_nobody_names_is_taken_out_with_their_lines(clerk: TestClient) -> None:
    clerk.post(
        f"{PAGE}/people/new",
        data={
            **form_data(clerk.get(f"{PAGE}/people/new").text, f"{PAGE}/people/new"),
            "id": ["visitor"],
            "name": ["A Visitor"],
        },
    )
    assert "visitor" in programme(clerk).people_by_id
    url = f"{PAGE}/people/visitor/remove"
    sent = clerk.post(url, data=form_data(clerk.get(url).text, url), follow_redirects=False)
    assert sent.status_code == 303
    assert source(clerk) == BROMLEY.read_text()


def test_a_meetings_new_day_in_its_form_is_a_move_that_keeps_its_calendar_uid(
    clerk: TestClient,
) -> None:
    url = f"{PAGE}/meetings/select-2017-10-17/edit"
    form = form_data(clerk.get(url).text, url) | {"date": ["2017-10-18"], "venue": ["Room 2"]}
    assert clerk.post(url, data=form, follow_redirects=False).status_code == 303
    _, meeting = programme(clerk).meetings_by_id["select-2017-10-17"]
    assert meeting.date.isoformat() == "2017-10-18" and meeting.venue == "Room 2"
    assert meeting.moved_from is not None and meeting.moved_from.isoformat() == "2017-10-17"


def test_a_meeting_not_fixed_yet_gets_its_id_written_so_it_keeps_its_uid(
    clerk: TestClient,
) -> None:
    url = f"{PAGE}/meetings/select-2018-01-23/edit"
    form = form_data(clerk.get(url).text, url) | {"date": ["2018-01"]}
    assert clerk.post(url, data=form, follow_redirects=False).status_code == 303
    _, meeting = programme(clerk).meetings_by_id["select-2018-01-23"]
    assert not meeting.fixed and meeting.id == "select-2018-01-23"


def test_a_new_meeting_in_a_month_needs_a_short_name(clerk: TestClient) -> None:
    url = f"{PAGE}/bodies/select/meetings/new"
    form = form_data(clerk.get(url).text, url) | {"date": ["2018-04"]}
    refused = clerk.post(url, data=form)
    assert refused.status_code == 422
    assert "short name" in " ".join([*beside(refused.text).values(), *above(refused.text)])
    form |= {"id": ["select-april-2018"]}
    assert clerk.post(url, data=form, follow_redirects=False).status_code == 303
    _, meeting = programme(clerk).meetings_by_id["select-april-2018"]
    assert str(meeting.when) == "2018-04"


def test_the_deadlines_change_with_their_comments_kept(clerk: TestClient) -> None:
    url = f"{PAGE}/settings"
    form = form_data(clerk.get(url).text, url) | {"agenda_clear_days": ["6"]}
    assert clerk.post(url, data=form, follow_redirects=False).status_code == 303
    assert programme(clerk).deadlines.agenda_clear_days == 6
    text = source(clerk)
    assert "  # l.19 agenda letter dated Tuesday 20 June 2017" in text
    assert "  agenda_clear_days: 6\n" in text
    form = form_data(clerk.get(url).text, url)
    refused = clerk.post(url, data=form | {"year-to": [""], "year-from": [""]})
    assert refused.status_code == 422 and beside(refused.text) == {"year": "required"}
    refused = clerk.post(url, data=form | {"questions_working_days": ["99"]})
    assert refused.status_code == 422
    assert set(beside(refused.text)) == {"questions_working_days"}  # the model's words
    assert 'value="99"' in refused.text


def test_next_years_programme_starts_from_this_ones_forms(clerk: TestClient) -> None:
    url = f"{PAGE}/next-year"
    page = clerk.get(url)
    form = form_data(page.text, url)
    assert form["id"] == ["bromley-ecf-2018-19"]
    assert form["year-from"] == ["2018-05-10"] and form["year-to"] == ["2019-05-15"]
    done = clerk.post(url, data=form, follow_redirects=False)
    assert done.headers["location"].startswith("/web/programmes/bromley-ecf-2018-19/entries")
    with reading(clerk.app.state.scrutiny.engine) as session:  # type: ignore[attr-defined]
        new = programme_at(session, "bromley-ecf-2018-19")
    assert new.title == "Education, Children & Families Work Programme 2018/19"
    assert all(not b.meetings for b in new.bodies)
    assert {p.id for p in new.people} == {p.id for p in programme(clerk).people}


def test_a_programme_from_nothing_then_a_committee_and_its_meeting(client: TestClient) -> None:
    sign_in(client)
    url = "/web/new-programme"
    form = form_data(client.get(url).text, url) | {
        "id": ["town-scrutiny-2026-27"],
        "council": ["Town Council"],
        "title": ["Scrutiny Work Programme 2026/27"],
        "year-from": ["2026-05-20"],
        "year-to": ["2027-05-19"],
    }
    made = client.post(url, data=form, follow_redirects=False)
    assert made.headers["location"].startswith("/web/programmes/town-scrutiny-2026-27/entries")
    base = "/web/programmes/town-scrutiny-2026-27"
    new = f"{base}/bodies/new"
    form = form_data(client.get(new).text, new) | {"id": ["scrutiny"], "name": ["Scrutiny"]}
    assert client.post(new, data=form, follow_redirects=False).status_code == 303
    new = f"{base}/bodies/scrutiny/meetings/new"
    form = form_data(client.get(new).text, new) | {"date": ["2026-06-16"], "start": ["18:30"]}
    assert client.post(new, data=form, follow_redirects=False).status_code == 303
    page = client.get(f"{base}/entries")
    assert "Tuesday 16 June 2026" in page.text


def test_cancelling_from_the_grid_asks_first(clerk: TestClient) -> None:
    page = clerk.get(PAGE)
    assert f'href="{PAGE}/meetings/select-2017-10-17/cancel"' in page.text
    assert 'value="cancel"' not in page.text  # no one-click cancel button
    confirm = clerk.get(f"{PAGE}/meetings/select-2017-10-17/cancel")
    assert "Cancel the meeting" in confirm.text and "No, go back" in confirm.text
    sent = clerk.post(f"{PAGE}/edits", data=form_data(confirm.text, f"{PAGE}/edits"))
    assert sent.status_code == 200
    _, meeting = programme(clerk).meetings_by_id["select-2017-10-17"]
    assert meeting.status == "cancelled"


def test_the_settings_form_shows_every_problem_once_and_keeps_every_value(
    clerk: TestClient,
) -> None:
    url = f"{PAGE}/settings"
    form = form_data(clerk.get(url).text, url)
    sent = clerk.post(url, data=form | {"year-from": ["2017-13-01"], "agenda_clear_days": ["9x"]})
    assert sent.status_code == 422
    assert set(beside(sent.text)) == {"year", "agenda_clear_days"}
    assert not re.search(r'class="error-summary".*?<li>[^<]*upload', sent.text, re.S)
    assert 'value="9x"' in sent.text and 'value="2017-13-01"' in sent.text
    # Several problems of the programme's check: each shown, none twice.
    sent = clerk.post(url, data=form | {"year-from": ["2017-11-01"]})
    assert sent.status_code == 422
    listed = above(sent.text)
    assert len(listed) == len(set(listed)) > 1


def test_a_date_range_written_as_a_mapping_is_shown_and_kept(client: TestClient) -> None:
    text = BROMLEY.read_text().replace(
        "    window: 2017-06-01..2017-06-30",
        "    window: {start: 2017-06-01, end: 2017-06-30}",
        1,
    )
    assert text != BROMLEY.read_text()
    upload(client, text)
    sign_in(client)
    item = next(i.id for i in programme(client).items if str(i.window) == "2017-06-01..2017-06-30")
    url = f"{PAGE}/items/{item}/edit"
    form = form_data(client.get(url).text, url)
    assert (form["window-from"], form["window-to"]) == (["2017-06-01"], ["2017-06-30"])
    sent = client.post(url, data=form, follow_redirects=False)
    assert "done=unchanged" in sent.headers["location"]


def test_a_form_older_than_the_programme_is_refused_in_words(clerk: TestClient) -> None:
    url = f"{PAGE}/people/bennett/edit"
    old = form_data(clerk.get(url).text, url)
    assert (
        clerk.post(url, data=old | {"role": ["Chairman"]}, follow_redirects=False).status_code
        == 303
    )
    sent = clerk.post(url, data=old | {"role": ["Chair"]})
    assert sent.status_code == 412
    assert above(sent.text) == [
        "Somebody else changed the programme since this page was made: reload the page and "
        "make the change again."
    ]


def test_a_meeting_added_on_a_day_taken_says_so_beside_its_date(clerk: TestClient) -> None:
    url = f"{PAGE}/bodies/select/meetings/new"
    sent = clerk.post(url, data=form_data(clerk.get(url).text, url) | {"date": ["2017-10-17"]})
    assert sent.status_code == 422
    assert beside(sent.text) == {"date": "there is already a meeting of this committee on that day"}
