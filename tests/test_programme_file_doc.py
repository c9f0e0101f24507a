"""`docs/programme-file.md` is kept true by the model (issue 22): every key a programme file
may hold is explained there, and every key it shows in an example is one the model reads."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from scheduler.programme.model import (
    After,
    Body,
    Deadlines,
    Decision,
    Event,
    History,
    Item,
    Meeting,
    Person,
    Programme,
)

DOC = Path(__file__).parent.parent / "docs" / "programme-file.md"
MODELS: tuple[type[BaseModel], ...] = (
    Programme, Deadlines, Person, Body, Meeting, Event, Item, After, Decision, History
)


def file_keys(model: type[BaseModel]) -> set[str]:
    """The keys a file writes for `model`: each field's alias, else its name."""
    return {field.alias or name for name, field in model.model_fields.items()}


def test_every_key_of_the_file_is_explained() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = sorted(
        f"{model.__name__}.{key}"
        for model in MODELS
        for key in file_keys(model)
        if f"`{key}" not in text and f"{key}:" not in text
    )
    assert missing == []


def test_every_key_an_example_writes_is_one_the_model_reads() -> None:
    """Keys in the document's YAML examples (`key:` at the start of a line or after `{`/`,`)
    are all keys of the model: no example teaches a key the file would refuse."""
    known = {key for model in MODELS for key in file_keys(model)}
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    # The keys of a rotation, limits or titles mapping are data (people, kinds, periods).
    data = re.compile(r"\b(rotation|limits|titles):\s*\{[^}]*\}")
    written = {
        key
        for block in blocks
        for line in block.splitlines()
        for key in re.findall(
            r"(?:^\s*-?\s*|[{,]\s*)([a-z_]+):", data.sub(r"\1: x", line.split("#")[0])
        )
    }
    assert sorted(written - known) == []
