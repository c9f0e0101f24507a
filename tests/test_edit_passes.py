"""Several edits in as few readings of the file as they allow (`programme.edits._passes`): the
same text as making them one by one, in YAML and JSON, with one reading for a run of edits of
different meetings' own entries."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import yaml

from scheduler.programme import edits as edits_module
from scheduler.programme.edits import (
    AddMeeting,
    CancelMeeting,
    ChangeEntry,
    ChangeMeeting,
    Edit,
    Format,
    MoveMeeting,
    RestoreMeeting,
    apply_edit,
)
from tests.conftest import BROMLEY

MIXED: tuple[Edit, ...] = (
    ChangeEntry("bodies", "select", {"moderngov": 300}),
    ChangeMeeting("select-2017-10-17", {"moderngov": 302}),
    ChangeMeeting("select-2018-01-23", {"moderngov": 303, "start": "18:30"}),
    CancelMeeting("select-2018-02-27"),
    ChangeMeeting("select-2017-10-17", {"venue": "Council Chamber"}),  # again: a new reading
    MoveMeeting("select-2018-01-23", dt.date(2018, 1, 24)),
    RestoreMeeting("select-2018-02-27"),
    AddMeeting("select", dt.date(2018, 3, 20)),
    ChangeMeeting("select-2018-03-20", {"moderngov": 305}),
    CancelMeeting("select-2017-06-27"),
    ChangeEntry("bodies", "bpm", {"moderngov": 310, "venue": "Room 1"}),
    ChangeMeeting("bpm-2017-07-18", {"moderngov": 311}),
    ChangeEntry("items", "apologies", {"minutes": 5}),
    ChangeEntry("bodies", "bpm", {"minutes": 90}),  # again: a new reading
)


def texts() -> dict[Format, str]:
    data = yaml.safe_load(BROMLEY.read_text(encoding="utf-8"))
    return {"yaml": BROMLEY.read_text(encoding="utf-8"),
            "json": json.dumps(data, default=str, indent=2)}  # fmt: skip


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_edits_made_together_are_the_edits_made_one_by_one(fmt: Format) -> None:
    text = texts()[fmt]
    one_by_one = text
    for edit in MIXED:
        one_by_one = apply_edit(one_by_one, fmt, edit)
    assert apply_edit(text, fmt, MIXED) == one_by_one
    assert one_by_one != text


def test_edits_of_different_meetings_own_entries_share_one_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[int] = []
    sources = dict(edits_module._SOURCES)

    def counted(text: str) -> Any:
        read.append(1)
        return sources["yaml"](text)

    monkeypatch.setitem(edits_module._SOURCES, "yaml", counted)
    apply_edit(texts()["yaml"], "yaml", MIXED)
    # [select 300, 302, 303+18:30, cancel] [venue again] [move] [restore] [add]
    # [305, cancel 27 June, bpm 310, 311, apologies] [bpm again]
    assert len(read) == 7
