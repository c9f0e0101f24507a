"""The forms' edits of a programme file (`scheduler.programme.edits_entries`): each writes only
its entry, in YAML keeping every other line byte for byte, in JSON as the data; values of every
kind read back as they were meant; next year's programme from this year's."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from bench.generate import generate, to_yaml
from scheduler.programme.edits import (
    AddEntry,
    ChangeEntry,
    ChangeMeeting,
    ChangeSettings,
    Edit,
    EditError,
    NewMeeting,
    RemoveEntry,
    RemoveMeeting,
    apply_edit,
)
from scheduler.programme.edits_source import NULL, Value
from scheduler.programme.edits_yaml import yaml_value
from scheduler.programme.load import parse_programme
from scheduler.programme.next_year import next_year, one_year_on
from scheduler.programme.source import Loader, Source, parse_source
from tests.conftest import BROMLEY

TEXT = BROMLEY.read_text()
DATA = Path(__file__).parent / "data"


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out and put in."""
    out: list[str] = []
    put: list[str] = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            out.append(line[2:])
        elif line.startswith("+ "):
            put.append(line[2:])
    return out, put


def test_an_item_added_is_a_block_of_its_own_after_the_last() -> None:
    edit = AddEntry(
        "items",
        {
            "id": "school-places",
            "title": "School places: 2019",
            "body": "select",
            "kind": "substantive",
            "minutes": 20,
            "window": "2017-09-01..2017-12-31",
            "witnesses": ["bennett", "reddin"],
            "verbal": True,
        },
    )
    after = apply_edit(TEXT, "yaml", edit)
    assert changed(TEXT, after) == (
        [],
        [
            "  - id: school-places",
            '    title: "School places: 2019"',
            "    body: select",
            "    kind: substantive",
            "    minutes: 20",
            "    window: 2017-09-01..2017-12-31",
            "    witnesses: [bennett, reddin]",
            "    verbal: true",
        ],
    )
    item = parse_programme(after, "x.yaml").items_by_id["school-places"]
    assert item.title == "School places: 2019" and item.verbal and item.minutes == 20


def test_an_event_added_among_flow_entries_is_written_as_they_are() -> None:
    after = apply_edit(
        TEXT, "yaml", AddEntry("events", {"id": "ofsted", "title": "Ofsted", "date": "2018-01"})
    )
    assert changed(TEXT, after) == ([], ["  - {id: ofsted, title: Ofsted, date: 2018-01}"])
    assert str(parse_programme(after, "x.yaml").events[-1].date) == "2018-01"


def test_a_change_sets_and_takes_out_keys_and_keeps_the_lines_comments() -> None:
    after = apply_edit(
        TEXT, "yaml", ChangeEntry("bodies", "bpm", {"venue": "Room 1", "clerk": None})
    )
    out, put = changed(TEXT, after)
    assert out == ["    clerk: gibbs"] and put == ["    venue: Room 1"]
    assert '    # l.1445: "The next meeting' in after  # the comments around stay


def test_a_list_written_as_a_block_becomes_one_line_when_changed() -> None:
    text = "id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\npeople:\n  - id: a\n    name: A\n    unavailable:\n      - 2026-06-01\n      - 2026-06-02  # sick\n"
    after = apply_edit(
        text, "yaml", ChangeEntry("people", "a", {"unavailable": ["2026-07-01..2026-07-03"]})
    )
    assert after.endswith("    unavailable: [2026-07-01..2026-07-03]  # sick\n")  # its comment kept
    parse_programme(after, "x.yaml")


def test_taking_out_the_only_entry_leaves_an_empty_list() -> None:
    text = "id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\npeople:\n  - id: a\n    name: A\nitems: []\n"
    after = apply_edit(text, "yaml", RemoveEntry("people", "a"))
    assert (
        after
        == "id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\npeople: []\nitems: []\n"
    )
    assert parse_programme(after, "x.yaml").people == []


@pytest.mark.parametrize(
    "people",
    [
        "people:\n- id: a\n  name: A  # the only one\n",
        "people: [{id: a, name: A}]\n",
        "people:\n  - {id: a, name: A}\n",
    ],
)
def test_the_last_entry_taken_out_leaves_the_key_an_empty_list(people: str) -> None:
    text = f"id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\n{people}events: []\n"
    after = apply_edit(text, "yaml", RemoveEntry("people", "a"))
    assert after.endswith("people: []\nevents: []\n"), after
    assert parse_programme(after, "x.yaml").people == []


def test_a_file_with_a_byte_order_mark_is_edited_in_the_right_places() -> None:
    text = "\ufeff" + TEXT
    after = apply_edit(text, "yaml", ChangeEntry("people", "bennett", {"email": "nb@example.org"}))
    assert changed(text, after) == ([], ["    email: nb@example.org"])


def test_an_entry_is_added_to_a_list_the_file_lacks_or_leaves_empty() -> None:
    for text in (
        "id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\n",
        "id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\npeople: []\n",
        "id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\npeople:\n",
    ):
        after = apply_edit(text, "yaml", AddEntry("people", {"id": "a", "name": "A B"}))
        assert [p.name for p in parse_programme(after, "x.yaml").people] == ["A B"], after


@pytest.mark.parametrize(
    "edit",
    [
        AddEntry("people", {"id": "bennett", "name": "Again"}),
        ChangeEntry("people", "nobody", {"name": "X"}),
        ChangeEntry("people", "bennett", {"id": "other"}),
        RemoveEntry("events", "nothing"),
        RemoveMeeting("select-2099-01-01"),
        NewMeeting("select", {"date": dt.date(2017, 6, 27)}),
        NewMeeting("nobody", {"date": dt.date(2017, 6, 27)}),
    ],
)
def test_an_edit_that_cannot_apply_says_why(edit: Edit) -> None:
    with pytest.raises(EditError):
        apply_edit(TEXT, "yaml", edit)


def test_a_meeting_given_a_month_writes_its_id_so_it_keeps_it() -> None:
    after = apply_edit(TEXT, "yaml", ChangeMeeting("select-2018-01-23", {"date": "2018-01"}))
    _, meeting = parse_programme(after, "x.yaml").meetings_by_id["select-2018-01-23"]
    assert meeting.id == "select-2018-01-23" and not meeting.fixed


def test_a_meeting_not_known_at_all_is_written_null() -> None:
    after = apply_edit(TEXT, "yaml", NewMeeting("select", {"id": "select-extra", "date": NULL}))
    assert "{id: select-extra, date: null}" in after
    _, meeting = parse_programme(after, "x.yaml").meetings_by_id["select-extra"]
    assert meeting.date is not None and not meeting.fixed  # its earliest: the year's start


def test_a_meeting_taken_out_goes_with_its_line() -> None:
    new = apply_edit(TEXT, "yaml", NewMeeting("select", {"date": dt.date(2018, 3, 20)}))
    back = apply_edit(new, "yaml", RemoveMeeting("select-2018-03-20"))
    assert back == TEXT


def test_the_deadlines_change_in_their_block_and_are_added_where_missing() -> None:
    after = apply_edit(TEXT, "yaml", ChangeSettings({"title": "New"}, {"agenda_clear_days": 6}))
    out, put = changed(TEXT, after)
    assert len(out) == 2 and put == [
        "title: New   # seed 000 l.2201, Appendix 1 heading",
        "  agenda_clear_days: 6",
    ]
    bare = "id: p\ncouncil: C\ntitle: T\nyear: 2026-05-20..2027-05-19\n"
    after = apply_edit(bare, "yaml", ChangeSettings({}, {"questions_working_days": 3}))
    assert parse_programme(after, "x.yaml").deadlines.questions_working_days == 3


def test_json_files_are_edited_as_data() -> None:
    data = yaml.load(TEXT, Loader=Loader)
    text = json.dumps(data, default=str, indent=2)
    edits = (
        AddEntry(
            "people", {"id": "new", "name": "New Person", "unavailable": [dt.date(2017, 9, 1)]}
        ),
        ChangeEntry("people", "bennett", {"role": None}),
        AddEntry("events", {"id": "extra", "title": "Extra"}),
        AddEntry("events", {"id": "kept", "title": "Kept", "date": "2018-02"}),
        RemoveEntry("events", "extra"),
        ChangeSettings({"title": "JSON"}, {"agenda_clear_days": 7}),
        NewMeeting("select", {"id": "select-later", "date": NULL}),
    )
    after = apply_edit(text, "json", edits)
    p = parse_programme(after, "x.json")
    assert p.people_by_id["new"].unavailable[0].start == dt.date(2017, 9, 1)
    assert p.people_by_id["bennett"].role is None
    assert [e.id for e in p.events][-1:] == ["kept"] and "extra" not in {e.id for e in p.events}
    assert (p.title, p.deadlines.agenda_clear_days) == ("JSON", 7)
    assert "select-later" in p.meetings_by_id


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
values: st.SearchStrategy[Value] = st.recursive(
    st.one_of(
        texts,
        st.integers(min_value=0, max_value=10**6),
        st.booleans(),
        st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=3),
    ),
    max_leaves=8,
)


@given(values)
@example("-")
@example("a\u2028b")
@example("[" * 3000)
@example("x: y")
@example("#hash")
@example("Title - part")
def test_every_value_written_reads_back_as_it_was(value: Value) -> None:
    """Text that would read as a number, a date, yes/no or null is quoted; lists and mappings
    are written in flow style: whatever the clerk types, the file means it."""
    written = yaml_value(value)
    places = (("key: {}", {"key": value}), ("{{key: {}}}", {"key": value}), ("[{}]", [value]))
    for place, read in places:
        assert yaml.load(place.format(written), Loader=Loader) == read


def test_next_years_programme_carries_what_comes_every_year() -> None:
    source = parse_source(TEXT, "b.yaml")
    assert isinstance(source, Source)
    text = next_year(
        source.data,
        pid="bromley-ecf-2018-19",
        title="ECF 2018/19",
        year=(dt.date(2018, 5, 16), dt.date(2019, 5, 14)),
        made_from="Education, Children & Families Work Programme 2017/18",
    )
    old = parse_programme(TEXT, "b.yaml")
    new = parse_programme(text, "n.yaml")
    assert text.startswith("# ECF 2018/19: made from Education, Children & Families")
    assert all(not b.meetings for b in new.bodies) and len(new.bodies) == len(old.bodies)
    assert {p.id for p in new.people} == {p.id for p in old.people}
    assert all(not p.unavailable for p in new.people)
    assert all(not e.date.earliest for e in new.events)
    standing = {i.id for i in old.items if i.kind == "standing"}
    assert standing <= {i.id for i in new.items}
    assert {i.id for i in old.items if i.every or i.rotation} <= {i.id for i in new.items}
    assert "camhs" not in new.items_by_id  # a one-off report of this year
    assert new.items_by_id["bpm-references"].follows == "bpm"
    assert all(not (i.meeting or i.window or i.prefer or i.history) for i in new.items)


@pytest.mark.parametrize("name", ["small.yaml", "feeds.yaml", "check_base.yaml", "generated"])
def test_next_years_programme_of_any_programme_passes_the_checks(name: str) -> None:
    """Its closures a year on, dropped outside the new year; what items follow kept."""
    text = to_yaml(generate(3)) if name == "generated" else (DATA / name).read_text()
    source = parse_source(text, "p.yaml")
    assert isinstance(source, Source)
    old = parse_programme(text, "p.yaml")
    assert old.year.start is not None and old.year.end is not None
    start, end = one_year_on(old.year.start), one_year_on(old.year.end)
    new = parse_programme(
        next_year(source.data, pid="next", title="Next", year=(start, end), made_from="this"),
        "n.yaml",
    )
    assert all(start <= d <= end for d in new.closures)
    for item in new.items:
        if item.id in old.items_by_id and old.items_by_id[item.id].follows:
            assert item.follows == old.items_by_id[item.id].follows
