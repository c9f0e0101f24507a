"""Validation of programme files (DESIGN §4): every rule with its exact message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scheduler.errors import ProgrammeError
from scheduler.programme.load import load_programme, parse_programme

Raw = dict[str, Any]


def problems_of(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    return [(p.location, p.message) for p in caught.value.problems]


def item(raw: Raw, item_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in raw["items"] if i["id"] == item_id)
    return found


def test_small_sample_is_valid(sample_path: Callable[[str], Path]) -> None:
    p = load_programme(sample_path("small.yaml"))
    assert [b.id for b in p.bodies] == ["main", "sub", "panel"]
    assert [m.key for m in p.bodies[0].meetings] == [
        "main-2017-06-27", "main-2017-10-17", "main-2018-01-23", "main-2018-02-01-callin",
    ]
    assert p.bodies[0].meetings[1].start == dt.time(18, 30)
    assert p.items_by_id["theme-witnesses"].with_ == "theme"
    assert p.items_by_id["pinned-by-date"].meeting == "2018-01-23"
    assert p.items_by_id["follow-up"].after[0].gap_days == 28
    assert not p.events_by_id["inspection"].date.known


def test_moved_meeting_keeps_its_original_id(sample_path: Callable[[str], Path]) -> None:
    meeting = load_programme(sample_path("small.yaml")).bodies[0].meetings[0]
    assert (meeting.key, meeting.date) == ("main-2017-06-27", dt.date(2017, 6, 28))


def test_defaults_by_kind(sample_path: Callable[[str], Path]) -> None:
    p = load_programme(sample_path("small.yaml"))
    minutes = {i.id: i.duration for i in p.items}
    assert minutes["apologies"] == 5  # given
    assert minutes["references"] == 10  # standing
    assert minutes["theme"] == 60  # substantive
    assert minutes["theme-witnesses"] == 45
    assert minutes["scrutiny"] == 30
    assert minutes["pinned-by-date"] == 0  # information
    priorities = {i.id: i.importance for i in p.items}
    assert priorities["references"] == "must"  # standing
    assert priorities["scrutiny"] == "must"
    assert priorities["capital"] == "must"  # recurring
    assert priorities["follow-up"] == "normal"
    assert priorities["theme"] == "high"  # given


def test_unknown_key_is_an_error(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    item(small_raw, "theme")["colour"] = "red"
    assert problems_of(write_yaml(small_raw)) == [("items[3] (theme)", "unknown key 'colour'")]


def test_unknown_top_level_key(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    small_raw["itemz"] = []
    assert problems_of(write_yaml(small_raw)) == [("", "unknown key 'itemz'")]


def test_missing_required_key(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    del item(small_raw, "theme")["title"]
    assert problems_of(write_yaml(small_raw)) == [("items[3] (theme)", "'title' is required")]


def test_wrong_type(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    item(small_raw, "twice")["times"] = "two"
    assert problems_of(write_yaml(small_raw)) == [
        ("items[12] (twice).times", "input should be a valid integer, unable to parse string as an integer (got 'two')")
    ]


def test_unknown_kind(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    item(small_raw, "theme")["kind"] = "keynote"
    ((location, message),) = problems_of(write_yaml(small_raw))
    assert location == "items[3] (theme).kind"
    assert message.startswith("input should be 'standing', 'substantive'")
    assert message.endswith("(got 'keynote')")


def test_witness_not_in_people(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    item(small_raw, "theme")["witnesses"] = ["camhs-lead"]
    assert problems_of(write_yaml(small_raw)) == [
        ("items[3] (theme).witnesses[0]", "'camhs-lead' is not in people")
    ]


def test_message_names_file_line_path_and_entry(
    small_raw: Raw, write_yaml: Callable[[Any], Path]
) -> None:
    item(small_raw, "theme")["witnesses"] = ["camhs-lead"]
    path = write_yaml(small_raw)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "camhs-lead" in text)
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == f"{path}:{line}: items[3] (theme).witnesses[0]: 'camhs-lead' is not in people"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("presenters", ["nobody"], ("items[3] (theme).presenters[0]", "'nobody' is not in people")),
        ("body", "nobody", ("items[3] (theme).body", "'nobody' is not in bodies")),
        ("after", {"item": "nothing"}, ("items[3] (theme).after", "'nothing' is not in items")),
        ("after", {"event": "nothing"}, ("items[3] (theme).after", "'nothing' is not in events")),
        ("after", {"item": "theme"}, ("items[3] (theme).after", "an item cannot come after itself")),
        ("after", {"gap_days": 3}, ("items[3] (theme).after", "give exactly one of 'item', 'event', 'meeting' or 'body'")),
        ("decision", {"event": "nothing"}, ("items[3] (theme).decision", "'nothing' is not in events")),
        ("with", "nothing", ("items[3] (theme).with", "'nothing' is not in items")),
        ("with", "capital", ("items[3] (theme).with", "'capital' belongs to another body ('sub')")),
        ("meeting", "main-2017-06-28", ("items[3] (theme).meeting", "'main-2017-06-28' is not a meeting of 'main'")),
        ("meeting", "2017-07-18", ("items[3] (theme).meeting", "'2017-07-18' is not a meeting of 'main'")),
        ("window", "2016-01-01..2017-12-31", ("items[3] (theme).window", "2016-01-01..2017-12-31 begins before the year 2017-05-10..2018-05-15")),
        ("prefer", "2017-03-01..2018-06-01", ("items[3] (theme).prefer", "2017-03-01..2018-06-01 begins before the year 2017-05-10..2018-05-15")),
        ("window", "2018-01-01..2017-10-01", ("items[3] (theme).window", "range 2018-01-01..2017-10-01 ends before it starts")),
        ("window", "soon", ("items[3] (theme).window", "'soon' is not a date written as YYYY-MM-DD")),
        ("follows", "sub", ("items[3] (theme).follows", "'follows' is for standing items only")),
        ("special", True, ("items[3] (theme).special", "'special' is for standing items only")),
        ("rotation", {"dir-a": 1}, ("items[3] (theme)", "'rotation' and 'per_meeting' are for scrutiny items only")),
        ("exempt", 9, ("items[3] (theme).exempt", "input should be less than or equal to 7 (got 9)")),
        ("id", "Theme", ("items[3] (Theme).id", "'Theme' is not a lower-case slug (a-z, 0-9 and single hyphens)")),
        ("release_days", 30, ("items[3] (theme).release_days", "'release_days' needs 'every'")),
    ],
)
def test_item_rule(
    small_raw: Raw, write_yaml: Callable[[Any], Path], field: str, value: Any, expected: tuple[str, str]
) -> None:
    item(small_raw, "theme")[field] = value
    assert problems_of(write_yaml(small_raw)) == [expected]


def test_rotation_person_not_in_people(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    item(small_raw, "scrutiny")["rotation"] = {"dir-a": 1, "dir-z": 1}
    assert problems_of(write_yaml(small_raw)) == [
        ("items[2] (scrutiny).rotation.dir-z", "'dir-z' is not in people")
    ]


def test_scrutiny_needs_rotation(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    del item(small_raw, "scrutiny")["rotation"]
    assert problems_of(write_yaml(small_raw)) == [("items[2] (scrutiny)", "a scrutiny item needs a 'rotation'")]


def test_recurring_standing_item_refused(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    item(small_raw, "references")["every"] = "quarter"
    assert problems_of(write_yaml(small_raw)) == [
        ("items[1] (references).every", "a recurring item is not standing or scrutiny and has times: 1")
    ]


def test_duplicate_ids(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    small_raw["people"].append({"id": "chair", "name": "Another"})
    assert problems_of(write_yaml(small_raw)) == [
        ("people[0] (chair).id", "duplicate id 'chair' in people"),
        ("people[6] (chair).id", "duplicate id 'chair' in people"),
    ]


def test_duplicate_meeting_ids(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    small_raw["bodies"][1]["meetings"].append(dt.date(2017, 7, 18))
    assert problems_of(write_yaml(small_raw)) == [
        ("bodies[1] (sub).meetings[0] (2017-07-18)", "duplicate meeting id 'sub-2017-07-18' (give one of them an explicit id)"),
        ("bodies[1] (sub).meetings[5] (2017-07-18)", "duplicate meeting id 'sub-2017-07-18' (give one of them an explicit id)"),
    ]


def test_body_references(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    body = small_raw["bodies"][1]
    body["parent"] = "nowhere"
    body["members"] = ["chair", "ghost"]
    assert problems_of(write_yaml(small_raw)) == [
        ("bodies[1] (sub).parent", "'nowhere' is not in bodies"),
        ("bodies[1] (sub).members[1]", "'ghost' is not in people"),
    ]


def test_sub_committee_needs_parent(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    del small_raw["bodies"][1]["parent"]
    assert problems_of(write_yaml(small_raw)) == [("bodies[1] (sub)", "a sub-committee needs a 'parent'")]


def test_meeting_outside_the_year(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    small_raw["bodies"][2]["meetings"] = [dt.date(2018, 6, 1)]
    assert problems_of(write_yaml(small_raw)) == [
        ("bodies[2] (panel).meetings[0] (2018-06-01)", "2018-06-01 is outside the year 2017-05-10..2018-05-15")
    ]


def test_unquoted_time_is_read_as_a_time(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    path = write_yaml(small_raw)
    path.write_text(path.read_text().replace("start: '19:00'", "start: 19:00"))
    assert load_programme(path).bodies[0].start == dt.time(19, 0)


def test_bad_time_and_timezone_and_month_day(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    small_raw["timezone"] = "Mars/Olympus"
    small_raw["financial_year_start"] = "13-01"
    small_raw["bodies"][0]["start"] = "7pm"
    assert problems_of(write_yaml(small_raw)) == [
        ("timezone", "'Mars/Olympus' is not a time zone (e.g. Europe/London)"),
        ("financial_year_start", "'13-01' is not a month and day written as MM-DD"),
        ("bodies[0] (main).start", "'7pm' is not a time written as \"HH:MM\" (24-hour, in quotes)"),
    ]


def test_all_problems_reported_in_file_order(small_raw: Raw, write_yaml: Callable[[Any], Path]) -> None:
    item(small_raw, "twice")["witnesses"] = ["x1"]
    item(small_raw, "theme")["witnesses"] = ["x2"]
    small_raw["bodies"][0]["chair"] = "x3"
    locations = [location for location, _ in problems_of(write_yaml(small_raw))]
    assert locations == ["bodies[0] (main).chair", "items[3] (theme).witnesses[0]", "items[12] (twice).witnesses[0]"]


def test_malformed_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ncouncil: [unclosed\ntitle: t\n")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert str(problem).startswith(f"{path}:3: invalid YAML:")


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("id: x\nid: y\n")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == f"{path}:2: invalid YAML: duplicate key 'id'"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("\n# nothing\n")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == f"{path}: the file is empty"


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == f"{path}:1: the top level must be a mapping of keys"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError) as caught:
        load_programme(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: no such file"


def test_json_programme_is_read_the_same(small_raw: Raw, tmp_path: Path) -> None:
    import json

    text = json.dumps(small_raw, default=str)
    p = parse_programme(text, "upload.json")
    assert len(p.items) == len(small_raw["items"])
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(text.replace('"camhs', '"x').replace('"witness"]', '"ghost"]', 1), "upload.json")
    assert [(x.location, x.message) for x in caught.value.problems] == [
        ("items[3] (theme).witnesses[0]", "'ghost' is not in people")
    ]


def test_invalid_json_names_its_line() -> None:
    with pytest.raises(ProgrammeError) as caught:
        parse_programme('{"id": "x",\n "council": }', "upload.json")
    assert str(caught.value).startswith("upload.json:2: invalid JSON:")
