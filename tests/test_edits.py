"""Structured edits of a stored programme (scheduler.programme.edits): each edit makes its change, the
result is a valid programme, and the rest of the clerk's file is kept as they wrote it."""

from __future__ import annotations

import datetime as dt
import difflib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.programme.edits import (
    AddMeeting,
    CancelMeeting,
    Edit,
    Format,
    MoveMeeting,
    Pin,
    RestoreMeeting,
    Unpin,
    apply_edit,
)
from scheduler.programme.edits_source import EditError
from scheduler.programme.load import parse_programme
from scheduler.programme.model import Programme
from scheduler.programme.source import Source, parse_source
from tests.conftest import BROMLEY, DATA, bromley_october_cancelled

YAML_TEXT = BROMLEY.read_text()
SMALL_TEXT = (DATA / "small.yaml").read_text()
FORMATS: list[Format] = ["yaml", "json"]


def as_json(text: str) -> str:
    """A YAML programme as JSON, dates as strings, written as the edits write JSON."""
    source = parse_source(text, "programme.yaml")
    assert isinstance(source, Source)
    return json.dumps(source.data, indent=2, ensure_ascii=False, default=str) + "\n"


def in_format(text: str, fmt: Format) -> str:
    return as_json(text) if fmt == "json" else text


def edited(edit: Edit, fmt: Format = "yaml", text: str = YAML_TEXT) -> Programme:
    """The programme after `edit`, validated as the web page validates it."""
    source = in_format(text, fmt)
    return parse_programme(apply_edit(source, fmt, edit), f"programme.{fmt}")


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines a line diff removes from `old` and adds in `new`."""
    a, b = old.splitlines(), new.splitlines()
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    removed = [line for tag, i, j, _, _ in ops if tag != "equal" for line in a[i:j]]
    added = [line for tag, _, _, i, j in ops if tag != "equal" for line in b[i:j]]
    return removed, added


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


# ---------------------------------------------------------------- the file stays the clerk's

OCTOBER = (
    '      - 2017-10-17           # l.129 agenda "dates of future meetings"; Appendix 1 l.2228'
)
JUNE = "      - {date: 2017-06-28, moved_from: 2017-06-27}"
JANUARY = "      - 2018-01-23           # l.130; Appendix 1 l.2244"
CO_OPTED_PIN = "    meeting: select-2017-06-27   # the first meeting of the year; moved 27 -> 28 June (min. 41 l.298)"

LOCAL_EDITS = [
    (
        MoveMeeting("select-2017-10-17", dt.date(2017, 10, 24)),
        [OCTOBER],
        [OCTOBER.replace("2017-10-17", "{date: 2017-10-24, moved_from: 2017-10-17}")],
    ),
    (
        MoveMeeting("select-2017-10-17", dt.date(2017, 10, 24), start="18:30"),
        [OCTOBER],
        [
            OCTOBER.replace(
                "2017-10-17", '{date: 2017-10-24, moved_from: 2017-10-17, start: "18:30"}'
            )
        ],
    ),
    (
        MoveMeeting("select-2017-06-27", dt.date(2017, 6, 29)),
        [JUNE],
        ["      - {date: 2017-06-29, moved_from: 2017-06-27}"],
    ),
    (MoveMeeting("select-2017-06-27", dt.date(2017, 6, 27)), [JUNE], ["      - 2017-06-27"]),
    (
        CancelMeeting("select-2018-01-23"),
        [JANUARY],
        [JANUARY.replace("2018-01-23", "{date: 2018-01-23, status: cancelled}")],
    ),
    (
        CancelMeeting("select-2017-06-27"),
        [JUNE],
        ["      - {date: 2017-06-28, moved_from: 2017-06-27, status: cancelled}"],
    ),
    (AddMeeting("select", dt.date(2018, 3, 20)), [], ["      - 2018-03-20"]),
    (
        AddMeeting("bpm", dt.date(2018, 4, 24), start="18:30", venue="Bromley Beacon Academy"),
        [],
        ['      - {date: 2018-04-24, start: "18:30", venue: Bromley Beacon Academy}'],
    ),
    (Pin("camhs", "select-2017-10-17"), [], ["    meeting: select-2017-10-17"]),
    (
        Pin("co-opted-members", "select-2017-10-17"),
        [CO_OPTED_PIN],
        [CO_OPTED_PIN.replace("select-2017-06-27", "select-2017-10-17")],
    ),
    (Unpin("co-opted-members"), [CO_OPTED_PIN], []),
]


@pytest.mark.parametrize(
    ("edit", "removed", "added"), LOCAL_EDITS, ids=[repr(e) for e, _, _ in LOCAL_EDITS]
)
def test_edit_touches_only_the_lines_of_its_entry(
    edit: Edit, removed: list[str], added: list[str]
) -> None:
    new = apply_edit(YAML_TEXT, "yaml", edit)
    assert changed_lines(YAML_TEXT, new) == (removed, added)
    assert comment_lines(new) == comment_lines(YAML_TEXT)
    parse_programme(new, "bromley.yaml")


@pytest.mark.parametrize("edit", [e for e, _, _ in LOCAL_EDITS], ids=repr)
def test_edit_keeps_windows_line_endings(edit: Edit) -> None:
    """A file from a browser's text area has CRLF line endings; added lines get them too."""
    crlf = YAML_TEXT.replace("\n", "\r\n")
    assert apply_edit(crlf, "yaml", edit) == apply_edit(YAML_TEXT, "yaml", edit).replace(
        "\n", "\r\n"
    )


def test_pin_goes_after_the_keys_that_come_before_it() -> None:
    lines = apply_edit(YAML_TEXT, "yaml", Pin("camhs", "select-2017-10-17")).splitlines()
    at = lines.index("    meeting: select-2017-10-17")
    assert lines[at - 5 : at + 2] == [
        "  - id: camhs",
        "    title: Child and Adolescent Mental Health Services (CAMHS)",
        "    body: select",
        "    kind: substantive",
        "    prefer: 2017-10-01..2017-10-31   # soft: the month Appendix 1 (the clerk's own plan) places it",
        "    meeting: select-2017-10-17",
        "    minutes: 45              # assumption (kind default 60), to fit the 150-minute meeting",
    ]


def test_added_meeting_follows_the_bodys_last_meeting() -> None:
    lines = apply_edit(YAML_TEXT, "yaml", AddMeeting("select", dt.date(2018, 3, 20))).splitlines()
    at = lines.index("      - 2018-03-20")
    assert lines[at - 1 : at + 3] == [
        "      - 2018-02-27           # l.131; Appendix 1 l.2250",
        "      - 2018-03-20",
        "",
        "  # l.509 min. 51: Education Budget Sub-Committee renamed; l.604-616 min. 53: membership appointed.",
    ]


@pytest.mark.parametrize(
    ("edit", "before", "after"),
    [
        (
            Pin("half", "sub-2017-07-18"),
            '  - {id: half, title: "Half-year report - {period}", body: sub, kind: report, every: half-year}',
            '  - {id: half, title: "Half-year report - {period}", body: sub, kind: report, meeting: sub-2017-07-18, every: half-year}',
        ),
        (
            Unpin("pinned"),
            "  - {id: pinned, title: Pinned update, body: main, kind: short, meeting: main-2017-06-27}",
            "  - {id: pinned, title: Pinned update, body: main, kind: short}",
        ),
        (
            AddMeeting("sub", dt.date(2018, 5, 1)),
            "    meetings: [2017-07-18, 2017-09-26, 2018-01-17, 2018-03-28, 2018-04-24]",
            "    meetings: [2017-07-18, 2017-09-26, 2018-01-17, 2018-03-28, 2018-04-24, 2018-05-01]",
        ),
        (
            MoveMeeting("main-2017-10-17", dt.date(2017, 10, 18), start="19:00"),
            '      - {date: 2017-10-17, start: "18:30", venue: Town Hall}',
            '      - {date: 2017-10-18, moved_from: 2017-10-17, start: "19:00", venue: Town Hall}',
        ),
        (
            MoveMeeting("main-2018-02-01-callin", dt.date(2018, 2, 2)),
            '      - {id: main-2018-02-01-callin, date: 2018-02-01, special: "Call-in: a decision"}',
            '      - {id: main-2018-02-01-callin, date: 2018-02-02, special: "Call-in: a decision"}',
        ),
    ],
    ids=repr,
)
def test_flow_entries_are_edited_in_place(edit: Edit, before: str, after: str) -> None:
    new = apply_edit(SMALL_TEXT, "yaml", edit)
    assert changed_lines(SMALL_TEXT, new) == ([before], [after])
    parse_programme(new, "small.yaml")


PINNED = "  - {id: pinned, title: Pinned update, body: main, kind: short, meeting: main-2017-06-27}"
PINNED_BY_DATE = "  - {id: pinned-by-date, title: Pinned by date, body: main, kind: information, meeting: 2018-01-23}"
PRIORITY = "    priority: high\n"  # the last line of small.yaml's block entry `theme`


@pytest.mark.parametrize(
    ("blank", "pinned"),
    [
        ("    meeting:", "    meeting: main-2018-01-23"),
        ("    meeting:   # to decide", "    meeting: main-2018-01-23   # to decide"),
        ("    meeting: ~", "    meeting: main-2018-01-23"),
    ],
)
def test_pin_fills_a_blank_pin_in_a_block_entry(blank: str, pinned: str) -> None:
    """Regression: a key left blank has an empty value, which PyYAML marks just after its colon.
    ruamel.yaml marked it at the next key, and the pin was spliced into the following line."""
    text = SMALL_TEXT.replace(PRIORITY, f"{PRIORITY}{blank}\n", 1)
    new = apply_edit(text, "yaml", Pin("theme", "main-2018-01-23"))
    assert changed_lines(text, new) == ([blank], [pinned])
    assert parse_programme(new, "small.yaml").items_by_id["theme"].meeting == "main-2018-01-23"


@pytest.mark.parametrize(
    ("blank", "pinned"),
    [
        ("meeting: }", "meeting: main-2018-01-23 }"),
        ("meeting:}", "meeting: main-2018-01-23}"),
        ("meeting}", "meeting: main-2018-01-23}"),  # PyYAML marks the empty value after the key
    ],
)
def test_pin_fills_a_blank_pin_in_a_flow_entry(blank: str, pinned: str) -> None:
    """Regression: in a flow mapping the pin was spliced in with no space (or colon) to part it
    from its key."""
    before = PINNED.replace("meeting: main-2017-06-27}", blank)
    text = SMALL_TEXT.replace(PINNED, before, 1)
    new = apply_edit(text, "yaml", Pin("pinned", "main-2018-01-23"))
    assert changed_lines(text, new) == ([before], [before.replace(blank, pinned)])
    assert parse_programme(new, "small.yaml").items_by_id["pinned"].meeting == "main-2018-01-23"


def test_move_fills_a_blank_start() -> None:
    """A block meeting entry with `start:` left blank: the move writes the start there (and
    `pinned-by-date`'s pin follows the meeting)."""
    entry = "      - date: 2018-01-23\n        start:\n        venue: Hall\n"
    text = SMALL_TEXT.replace("      - 2018-01-23\n", entry, 1)
    new = apply_edit(text, "yaml", MoveMeeting("main-2018-01-23", dt.date(2018, 1, 24), "18:00"))
    assert changed_lines(text, new) == (
        ["      - date: 2018-01-23", "        start:", PINNED_BY_DATE],
        [
            "      - date: 2018-01-24",
            "        moved_from: 2018-01-23",
            '        start: "18:00"',
            PINNED_BY_DATE.replace("2018-01-23", "main-2018-01-23"),
        ],
    )
    _, meeting = parse_programme(new, "small.yaml").meetings_by_id["main-2018-01-23"]
    assert (meeting.date, meeting.start, meeting.venue) == (
        dt.date(2018, 1, 24),
        dt.time(18),
        "Hall",
    )


def test_blank_explicit_key_refused() -> None:
    """`? meeting` alone on its line: PyYAML marks its empty value at the next key, so there is
    no place in the text to write the pin."""
    text = SMALL_TEXT.replace(PRIORITY, f"{PRIORITY}    ? meeting\n", 1)
    with pytest.raises(
        EditError, match=r"^cannot set 'meeting': it is written as an explicit `\? key`$"
    ):
        apply_edit(text, "yaml", Pin("theme", "main-2018-01-23"))


def test_added_venue_that_the_project_reads_as_a_number_is_quoted() -> None:
    """Regression: `0o17` is text to YAML 1.1 but an octal number to `scheduler.programme.source`, which
    reads programmes; written plain, the programme read back had a number for a venue."""
    new = apply_edit(YAML_TEXT, "yaml", AddMeeting("select", dt.date(2018, 3, 20), venue="0o17"))
    assert '      - {date: 2018-03-20, venue: "0o17"}' in new.splitlines()
    _, meeting = parse_programme(new, "bromley.yaml").meetings_by_id["select-2018-03-20"]
    assert meeting.venue == "0o17"


BROMLEY_DATES = {
    meeting_id: meeting.date
    for meeting_id, (_, meeting) in parse_programme(
        YAML_TEXT, "bromley.yaml"
    ).meetings_by_id.items()
}
BROMLEY_MEETINGS = list(BROMLEY_DATES)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("meeting", BROMLEY_MEETINGS)
def test_cancel_then_restore_gives_the_file_back(meeting: str, fmt: Format) -> None:
    text = in_format(YAML_TEXT, fmt)
    cancelled = apply_edit(text, fmt, CancelMeeting(meeting))
    assert apply_edit(cancelled, fmt, RestoreMeeting(meeting)) == text


@settings(max_examples=25, deadline=None)
@given(
    meeting=st.sampled_from(BROMLEY_MEETINGS),
    day=st.dates(dt.date(2017, 5, 10), dt.date(2018, 5, 15)),
)
def test_move_then_move_back_gives_the_file_back(meeting: str, day: dt.date) -> None:
    moved = apply_edit(YAML_TEXT, "yaml", MoveMeeting(meeting, day))
    assert apply_edit(moved, "yaml", MoveMeeting(meeting, BROMLEY_DATES[meeting])) == YAML_TEXT


# ---------------------------------------------------------------- each edit makes its change


@pytest.mark.parametrize("fmt", FORMATS)
def test_moved_meeting_keeps_its_id(fmt: Format) -> None:
    programme = edited(MoveMeeting("select-2017-10-17", dt.date(2017, 10, 24)), fmt)
    _, meeting = programme.meetings_by_id["select-2017-10-17"]
    assert (meeting.date, meeting.moved_from) == (dt.date(2017, 10, 24), dt.date(2017, 10, 17))
    assert meeting.start is None  # left as it was: the body's start


@pytest.mark.parametrize("fmt", FORMATS)
def test_move_sets_the_start(fmt: Format) -> None:
    programme = edited(MoveMeeting("select-2017-10-17", dt.date(2017, 10, 24), "18:30"), fmt)
    assert programme.meetings_by_id["select-2017-10-17"][1].start == dt.time(18, 30)


@pytest.mark.parametrize("fmt", FORMATS)
def test_moving_a_moved_meeting_keeps_its_first_date(fmt: Format) -> None:
    programme = edited(MoveMeeting("select-2017-06-27", dt.date(2017, 6, 29)), fmt)
    _, meeting = programme.meetings_by_id["select-2017-06-27"]
    assert (meeting.date, meeting.moved_from) == (dt.date(2017, 6, 29), dt.date(2017, 6, 27))


@pytest.mark.parametrize("fmt", FORMATS)
def test_moving_a_meeting_back_drops_moved_from(fmt: Format) -> None:
    programme = edited(MoveMeeting("select-2017-06-27", dt.date(2017, 6, 27)), fmt)
    _, meeting = programme.meetings_by_id["select-2017-06-27"]
    assert (meeting.date, meeting.moved_from) == (dt.date(2017, 6, 27), None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_moving_a_meeting_with_an_explicit_id_adds_no_moved_from(fmt: Format) -> None:
    programme = edited(MoveMeeting("main-2018-02-01-callin", dt.date(2018, 2, 2)), fmt, SMALL_TEXT)
    _, meeting = programme.meetings_by_id["main-2018-02-01-callin"]
    assert (meeting.date, meeting.moved_from) == (dt.date(2018, 2, 2), None)


def small_with_a_sub_pin_on_the_same_date() -> str:
    """small.yaml, whose `pinned-by-date` is pinned to main's meeting of 23 January 2018 by
    date, with a meeting of `sub` on that day too and `twice` (a `sub` item) pinned to it by date."""
    text = SMALL_TEXT.replace("2018-03-28, 2018-04-24]", "2018-01-23, 2018-03-28, 2018-04-24]", 1)
    text = text.replace(
        "times: 2, priority: low}", "times: 2, priority: low, meeting: 2018-01-23}", 1
    )
    assert text.count("meeting: 2018-01-23") == 2
    return text


@pytest.mark.parametrize("fmt", FORMATS)
def test_pin_by_date_follows_the_moved_meeting(fmt: Format) -> None:
    """A pin by date names the body's meeting on that date: when the meeting moves, the pin is
    rewritten to its id. Another body's pin to the same date stays."""
    text = small_with_a_sub_pin_on_the_same_date()
    programme = edited(MoveMeeting("main-2018-01-23", dt.date(2018, 1, 30)), fmt, text)
    assert programme.items_by_id["pinned-by-date"].meeting == "main-2018-01-23"
    assert programme.items_by_id["twice"].meeting == "2018-01-23"
    assert programme.items_by_id["pinned"].meeting == "main-2017-06-27"


def test_pin_by_date_rewrite_touches_only_the_pin_and_the_meeting() -> None:
    text = YAML_TEXT.replace("  - id: camhs\n", "  - id: camhs\n    meeting: 2017-10-17\n", 1)
    new = apply_edit(text, "yaml", MoveMeeting("select-2017-10-17", dt.date(2017, 10, 24)))
    assert changed_lines(text, new) == (
        [OCTOBER, "    meeting: 2017-10-17"],
        [
            OCTOBER.replace("2017-10-17", "{date: 2017-10-24, moved_from: 2017-10-17}"),
            "    meeting: select-2017-10-17",
        ],
    )
    assert parse_programme(new, "bromley.yaml").items_by_id["camhs"].meeting == "select-2017-10-17"


@pytest.mark.parametrize("fmt", FORMATS)
def test_pin_sets_the_items_meeting(fmt: Format) -> None:
    programme = edited(Pin("camhs", "select-2017-10-17"), fmt)
    assert programme.items_by_id["camhs"].meeting == "select-2017-10-17"


@pytest.mark.parametrize("fmt", FORMATS)
def test_pin_replaces_a_pin(fmt: Format) -> None:
    programme = edited(Pin("co-opted-members", "select-2018-01-23"), fmt)
    assert programme.items_by_id["co-opted-members"].meeting == "select-2018-01-23"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unpin_removes_the_pin(fmt: Format) -> None:
    programme = edited(Unpin("co-opted-members"), fmt)
    assert programme.items_by_id["co-opted-members"].meeting is None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("meeting", ["select-2018-01-23", "select-2017-06-27"])
def test_cancelled_meeting_keeps_its_id(meeting: str, fmt: Format) -> None:
    _, cancelled = edited(CancelMeeting(meeting), fmt).meetings_by_id[meeting]
    assert cancelled.status == "cancelled"


@pytest.mark.parametrize("fmt", FORMATS)
def test_restore_takes_the_cancellation_off(fmt: Format) -> None:
    text = bromley_october_cancelled()
    programme = edited(RestoreMeeting("select-2017-10-17"), fmt, text)
    assert programme.meetings_by_id["select-2017-10-17"][1].status == "scheduled"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "venue",
    [
        "Bromley Beacon Academy",
        "Committee Rooms, Bromley Civic Centre",
        "Room 2: the 'Old' Hall #3",
        "yes",
        "Salle Élan",
    ],
)
def test_added_meeting_keeps_its_start_and_venue(venue: str, fmt: Format) -> None:
    edit = AddMeeting("schools-forum", dt.date(2018, 3, 1), start="10:00", venue=venue)
    body, meeting = edited(edit, fmt).meetings_by_id["schools-forum-2018-03-01"]
    assert (body.id, meeting.date, meeting.start, meeting.venue) == (
        "schools-forum",
        dt.date(2018, 3, 1),
        dt.time(10, 0),
        venue,
    )


def test_json_entries_are_written_as_yaml_writes_them() -> None:
    """Short form a date string, else an object with the keys in the same order as YAML."""
    text = as_json(YAML_TEXT)
    moved = apply_edit(text, "json", MoveMeeting("select-2017-10-17", dt.date(2017, 10, 24)))
    added = apply_edit(moved, "json", AddMeeting("select", dt.date(2018, 3, 20)))
    assert json.loads(added)["bodies"][0]["meetings"] == [
        {"date": "2017-06-28", "moved_from": "2017-06-27"},
        {"date": "2017-10-24", "moved_from": "2017-10-17"},
        "2018-01-23",
        "2018-02-27",
        "2018-03-20",
    ]
    assert changed_lines(text, moved) == (
        ['        "2017-10-17",'],
        [
            "        {",
            '          "date": "2017-10-24",',
            '          "moved_from": "2017-10-17"',
            "        },",
        ],
    )


# ---------------------------------------------------------------- refusals

REFUSALS = [
    (Pin("nothing", "select-2017-10-17"), "no item 'nothing' in this programme"),
    (Pin("camhs", "select-2019-01-01"), "no meeting 'select-2019-01-01' in this programme"),
    (Unpin("nothing"), "no item 'nothing' in this programme"),
    (Unpin("camhs"), "item 'camhs' is not pinned"),
    (
        MoveMeeting("select-2019-01-01", dt.date(2019, 1, 8)),
        "no meeting 'select-2019-01-01' in this programme",
    ),
    # a moved meeting is known by its first date only
    (
        MoveMeeting("select-2017-06-28", dt.date(2017, 6, 29)),
        "no meeting 'select-2017-06-28' in this programme",
    ),
    (CancelMeeting("select-2019-01-01"), "no meeting 'select-2019-01-01' in this programme"),
    (RestoreMeeting("select-2019-01-01"), "no meeting 'select-2019-01-01' in this programme"),
    (RestoreMeeting("select-2017-10-17"), "meeting 'select-2017-10-17' is not cancelled"),
    (AddMeeting("nobody", dt.date(2018, 3, 20)), "no body 'nobody' in this programme"),
    (
        AddMeeting("select", dt.date(2017, 10, 17)),
        "there is already a meeting 'select-2017-10-17' in this programme",
    ),
    (
        AddMeeting("select", dt.date(2017, 6, 27), venue="Bromley Beacon Academy"),
        "there is already a meeting 'select-2017-06-27' in this programme",
    ),
]


def refused(text: str, fmt: Format, edit: Edit) -> str:
    with pytest.raises(EditError) as caught:
        apply_edit(in_format(text, fmt), fmt, edit)
    return str(caught.value)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("edit", "message"), REFUSALS, ids=[repr(e) for e, _ in REFUSALS])
def test_edit_refused(edit: Edit, message: str, fmt: Format) -> None:
    assert refused(YAML_TEXT, fmt, edit) == message


@pytest.mark.parametrize("fmt", FORMATS)
def test_cancel_of_a_cancelled_meeting_refused(fmt: Format) -> None:
    message = refused(bromley_october_cancelled(), fmt, CancelMeeting("select-2017-10-17"))
    assert message == "meeting 'select-2017-10-17' is already cancelled"


@pytest.mark.parametrize(("fmt", "text"), [("yaml", "items: [\n"), ("json", "{\n")])
def test_unreadable_source_refused(fmt: Format, text: str) -> None:
    with pytest.raises(EditError, match=f"^the programme is not valid {fmt.upper()}: "):
        apply_edit(text, fmt, Unpin("camhs"))


def test_setting_the_day_of_a_postponed_meeting_holds_it_again() -> None:
    text = (
        "bodies:\n  - id: main\n    meetings:\n"
        "      - {id: main-budget, date: null, status: postponed}\n"
        "      - {id: main-2025-01, date: 2025-01, status: tentative}\n"
    )
    budget = apply_edit(text, "yaml", MoveMeeting("main-budget", dt.date(2025, 2, 18)))
    assert "      - {id: main-budget, date: 2025-02-18}\n" in budget
    january = apply_edit(text, "yaml", MoveMeeting("main-2025-01", dt.date(2025, 1, 21)))
    assert "      - {id: main-2025-01, date: 2025-01-21, status: tentative}\n" in january
