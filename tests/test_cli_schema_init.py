"""`scrutiny schema` and `scrutiny init` (issue 22): the programme file's JSON Schema, which editors
complete and check a file with, and a commented starting file that validates and solves.

The schema is tested as an editor uses it: the file read as YAML 1.2 reads it (dates are text),
checked by the `jsonschema` package, by draft 2020-12 and by draft-07 (VS Code's YAML extension
validates by draft-07: the schema uses nothing the two read differently).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from scheduler.cli import main
from scheduler.errors import ProgrammeError
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.meanings import MEANINGS
from scheduler.programme.model import Programme
from scheduler.programme.schema import programme_schema
from scheduler.programme.source import Loader
from scheduler.programme.starter import default_year
from tests.conftest import BROMLEY, DATA, REPO
from tests.strategies import Data, load, programme_data

SCHEMA = programme_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
VALIDATORS = {"2020-12": VALIDATOR, "draft-07": jsonschema.Draft7Validator(SCHEMA)}
YEAR = "2026-05-20..2027-05-19"


def as_an_editor_reads(value: Any) -> Any:
    """YAML data as an editor's YAML 1.2 reads it: a date is text, not a date."""
    if isinstance(value, dict):
        return {as_an_editor_reads(k): as_an_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_an_editor_reads(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def read(text: str) -> Any:
    return as_an_editor_reads(yaml.load(text, Loader=Loader))


def problems(data: Any, draft: str = "2020-12") -> list[str]:
    return [error.message for error in VALIDATORS[draft].iter_errors(data)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


VALID = [BROMLEY, *sorted(DATA.glob("*.yaml"))]


def test_the_schema_is_draft_2020_12_and_reads_as_draft_07() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["title"] == "Scrutiny programme file"


@pytest.mark.parametrize("draft", sorted(VALIDATORS))
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_programme_validates_against_the_schema(path: Path, draft: str) -> None:
    load_programme(path)  # valid for the model
    assert problems(read(path.read_text(encoding="utf-8")), draft) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme_data())
def test_every_drawn_programme_validates_against_the_schema(data: Data) -> None:
    """Programmes drawn with every key and form the model takes (tests/strategies.py)."""
    load(data)  # valid for the model
    assert problems(as_an_editor_reads(data)) == []


def small() -> dict[str, Any]:
    data: dict[str, Any] = read((DATA / "small.yaml").read_text(encoding="utf-8"))
    return data


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node: Any = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return edit


BAD: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown top-level key": _set(("colour",), "blue"),
    "unknown item key (windows for window)": _set(("items", 3, "windows"), "2017-10-01..2017-10-31"),
    "bad kind": _set(("items", 0, "kind"), "theme"),
    "bad meeting status": _set(("bodies", 0, "meetings", 2), {"date": "2018-01-23", "status": "provisional"}),
    "time not HH:MM": _set(("bodies", 0, "start"), "7pm"),
    "month 13": _set(("events", 1, "date"), "2025-13"),
    "rough date with an open end": _set(("events", 1, "date"), "2025-01.."),
    "range not FROM..TO": _set(("people", 3, "unavailable"), ["August"]),
    "id not a slug": _set(("people", 0, "id"), "Chair Person"),
    "e-mail without @": _set(("people", 2, "email"), "clerk.example.org"),
    "financial year from the 31st": _set(("financial_year_start",), "03-31"),
    "limits of an unknown kind": _set(("bodies", 0, "limits"), {"themes": 1}),
    "a number out of range": _set(("items", 13, "exempt"), 8),
    "a list written as text": _set(("items", 3, "witnesses"), "witness"),
}


@pytest.mark.parametrize("draft", sorted(VALIDATORS))
@pytest.mark.parametrize("name", sorted(BAD))
def test_the_schema_rejects_what_the_model_rejects(
    name: str, draft: str, write_yaml: Callable[[Any], Path]
) -> None:
    data = small()
    BAD[name](data)
    assert problems(data, draft) != []
    with pytest.raises(ProgrammeError):
        load_programme(write_yaml(data))


def test_the_schema_takes_the_short_forms_the_file_may_use() -> None:
    data = small()
    data["bodies"][0]["meetings"][2] = "2018-01-23"  # a meeting as its day
    data["items"][5]["after"] = {"item": "theme", "gap_days": 28}  # one `after` without a list
    data["events"][1]["date"] = None  # not known yet
    data["events"][0]["date"] = "2018-01..2018-03"  # early 2018
    data["people"][3]["unavailable"] = ["2017-08-01..", "2017-12-20"]  # open end, one day
    assert problems(data) == []


def test_keys_are_the_files_not_the_models() -> None:
    """A meeting's day is `date` in the file (`when` in the model); an item's partner `with`."""
    meeting = next(s for s in SCHEMA["$defs"]["Meeting"]["anyOf"] if "properties" in s)
    assert "date" in meeting["properties"] and "when" not in meeting["properties"]
    assert "with" in SCHEMA["$defs"]["Item"]["properties"]
    assert "with_" not in SCHEMA["$defs"]["Item"]["properties"]


def test_every_key_has_a_title_and_a_description_in_a_clerks_words() -> None:
    for model, meanings in MEANINGS.items():
        keys = {field.alias or name for name, field in model.model_fields.items()}
        assert set(meanings) == keys, model.__name__
        entry = SCHEMA if model is Programme else SCHEMA["$defs"][model.__name__]
        entry = next(s for s in [entry, *entry.get("anyOf", [])] if "properties" in s)
        for key, (title, description) in meanings.items():
            assert entry["properties"][key]["title"] == title
            assert entry["properties"][key]["description"] == description
        assert "DESIGN" not in entry["description"]  # a clerk has no design document


def test_defaults_are_written_as_the_file_writes_them() -> None:
    assert SCHEMA["$defs"]["Event"]["properties"]["date"]["default"] is None
    assert SCHEMA["properties"]["deadlines"]["default"] == {}
    assert SCHEMA["properties"]["financial_year_start"]["default"] == "04-01"


def test_schema_prints_or_writes_the_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "schema")
    assert (code, err) == (0, "")
    assert json.loads(out) == SCHEMA
    target = tmp_path / "programme.schema.json"
    code, out, err = run(capsys, "schema", "-o", str(target))
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8")) == SCHEMA
    assert err == f"{target}: the programme file's JSON Schema\n"


def initialised(capsys: pytest.CaptureFixture[str], tmp_path: Path, *options: str) -> Path:
    target = tmp_path / "programme.yaml"
    code, out, err = run(capsys, "init", "--year", YEAR, *options, "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"{target}: a starting programme: fill it in, then scrutiny validate {target}\n"
    return target


def test_init_writes_a_file_that_validates_and_solves(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = initialised(capsys, tmp_path)
    code, out, err = run(capsys, "validate", str(target))
    assert (code, err) == (0, "")  # no warning either: no meeting on a weekend or bank holiday
    assert out == f"{target}: valid: Scrutiny Work Programme 2026/27: 1 bodies, 2 meetings, 6 items, 2 people, 1 events\n"
    code, _, err = run(capsys, "solve", str(target), "-o", str(tmp_path / "plan.json"))
    assert code == 0
    assert "Plan found: proven best. 7 agenda entries at 2 meetings, 0 not placed." in err


def test_init_file_fits_the_schema_and_has_each_common_kind(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = initialised(capsys, tmp_path).read_text(encoding="utf-8")
    assert problems(read(text)) == []
    p = parse_programme(text, "programme.yaml")
    assert {i.kind for i in p.items} >= {"standing", "substantive", "short", "report", "information"}
    assert (len(p.bodies), len(p.people), len(p.events)) == (1, 2, 1)
    assert len(p.bodies[0].meetings) == 2
    assert p.year.start and p.year.end
    assert all(p.year.start <= m.date <= p.year.end for m in p.bodies[0].meetings)


def test_init_comments_every_top_level_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = initialised(capsys, tmp_path).read_text(encoding="utf-8").splitlines()
    keys = {field.alias or name for name, field in Programme.model_fields.items()}
    for key in keys:
        at = next(n for n, line in enumerate(lines) if re.match(rf"(# )?{key}:", line))
        assert lines[at].startswith("#") or lines[at - 1].startswith("#") or " # " in lines[at], key


def test_init_schema_line_points_beside_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """No machine path: the schema is the one `scrutiny schema -o programme.schema.json` writes
    beside the file."""
    text = initialised(capsys, tmp_path).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=programme.schema.json"
    assert "scrutiny schema -o programme.schema.json" in text
    assert str(tmp_path) not in text and str(REPO) not in text


def test_init_takes_the_council_title_and_year(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = initialised(
        capsys, tmp_path, "--council", "Riverside District Council", "--title", "Overview: 2026/27"
    )
    p = load_programme(target)
    assert (p.id, p.council, p.title) == ("riverside-district-council-2026-27", "Riverside District Council", "Overview: 2026/27")
    assert str(p.year) == YEAR


def test_init_prints_the_file_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "init", "--year", YEAR)
    assert (code, err) == (0, "")
    assert parse_programme(out, "-").title == "Scrutiny Work Programme 2026/27"


def test_init_refuses_to_replace_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("id: mine\n", encoding="utf-8")
    code, out, err = run(capsys, "init", "--year", YEAR, "-o", str(target))
    assert (code, out) == (2, "")
    assert err == f"init: {target} exists: give another name, or --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "id: mine\n"
    code, _, _ = run(capsys, "init", "--year", YEAR, "-o", str(target), "--force")
    assert code == 0
    assert load_programme(target).council == "Example Council"


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2026-05-20", "2026-05-20: give the year's first and last day, FROM..TO, at least 56 days apart"),
        ("2026-05-20..", "2026-05-20..: give the year's first and last day, FROM..TO, at least 56 days apart"),
        ("2026-13-01..2027-05-19", "2026-13-01 is not a date: there is no month 13"),
    ],
)
def test_init_refuses_a_year_it_cannot_fill(capsys: pytest.CaptureFixture[str], year: str, message: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["init", "--year", year])
    assert caught.value.code == 2
    assert capsys.readouterr().err.endswith(f"argument --year: {message}\n")


@pytest.mark.parametrize(
    ("today", "year"),
    [(dt.date(2026, 5, 19), "2026-05-20..2027-05-19"), (dt.date(2026, 5, 20), "2027-05-20..2028-05-19")],
)
def test_init_by_default_starts_the_coming_municipal_year(today: dt.date, year: str) -> None:
    assert str(default_year(today)) == year


@pytest.mark.parametrize("argv", [["schema"], ["init", "--year", YEAR]], ids=["schema", "init"])
def test_schema_and_init_never_load_the_solver(argv: list[str]) -> None:
    """OR-Tools takes half a second to import: the verbs that write files need none of it."""
    probe = (
        "import sys, io, contextlib\n"
        "from scheduler.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        "print(code, 'ortools' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout == "0 False\n"

