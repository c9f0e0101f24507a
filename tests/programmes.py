"""Tiny programmes built in code for rule tests: a year, three people, one committee."""

from __future__ import annotations

import copy
from typing import Any

from scheduler.programme.model import Programme

BASE: dict[str, Any] = {
    "id": "tiny",
    "council": "Tiny Council",
    "title": "Tiny programme",
    "year": "2017-05-10..2018-05-15",
    "people": [
        {"id": "a", "name": "Officer A"},
        {"id": "b", "name": "Officer B"},
        {"id": "w", "name": "Witness W", "unavailable": ["2017-06-20"]},
    ],
    "bodies": [
        {
            "id": "main",
            "name": "Main Committee",
            "start": "19:00",
            "minutes": 150,
            "limits": {"substantive": 1},
            "meetings": ["2017-06-20", "2017-11-14"],
        }
    ],
    "items": [],
}


def programme(*items: dict[str, Any], meetings: list[str] | None = None, **top: Any) -> Programme:
    """The base programme with these items (kind short by default), meetings and top keys."""
    data = copy.deepcopy(BASE)
    if meetings is not None:
        data["bodies"][0]["meetings"] = meetings
    data["items"] = [{"body": "main", "kind": "short", "title": i["id"], **i} for i in items]
    data.update(top)
    return Programme.model_validate(data)
