"""A plan file's dates and times (DESIGN §8): exactly YYYY-MM-DD, HH:MM and YYYY-MM-DDTHH:MM.

The model holds them as dates and times; the JSON writes them back as the same text, byte for
byte. Anything else Python's `fromisoformat` would also read ("21,30" is 21:00 and 0.3 seconds)
is refused with its place in the file, never silently rewritten.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.errors import PlanFileError
from scheduler.plan.model import Plan, load_plan

REPO = Path(__file__).resolve().parent.parent
GOLDEN_PLAN = REPO / "tests" / "golden" / "bromley.plan.json"
PROGRAMME = REPO / "data" / "bromley-ecf-2017-18.yaml"


def test_the_golden_plan_reads_back_to_the_same_bytes() -> None:
    text = GOLDEN_PLAN.read_text(encoding="utf-8")
    plan = load_plan(GOLDEN_PLAN)
    assert plan.to_json() == text
    first = plan.meetings[0]
    assert (first.date, first.start, first.end) == (
        dt.date(2017, 6, 28), dt.time(19, 0), dt.time(21, 30)
    )
    assert first.deadlines is not None
    assert first.deadlines.public_questions == dt.datetime(2017, 6, 22, 17, 0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end", "21,30", "'21,30' is not a time written as HH:MM"),
        ("start", "1900Z", "'1900Z' is not a time written as HH:MM"),
        ("start", "T1900", "'T1900' is not a time written as HH:MM"),
        ("start", "19:00:00", "'19:00:00' is not a time written as HH:MM"),
        ("date", "2017-W26-3", "'2017-W26-3' is not a date written as YYYY-MM-DD"),
        ("date", "20170628", "'20170628' is not a date written as YYYY-MM-DD"),
        ("date", "2017-02-30", "'2017-02-30' is not a date written as YYYY-MM-DD"),
        ("date", 20170628, "20170628 is not a date written as YYYY-MM-DD"),
    ],
)
def test_a_date_or_time_in_another_form_is_refused_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: object, message: str
) -> None:
    data = json.loads(GOLDEN_PLAN.read_text(encoding="utf-8"))
    data["meetings"][1][field] = value
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanFileError) as raised:
        load_plan(path)
    [problem] = raised.value.problems
    assert problem.message == message
    assert problem.location == f"meetings[1] (schools-forum-2017-06-29).{field}"
    assert main(["check", str(PROGRAMME), str(path)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("value", ["2017-06-22T1700Z", "2017-06-22 17:00", "2017-06-22T17:00Z"])
def test_public_questions_in_another_form_is_refused(tmp_path: Path, value: str) -> None:
    data = json.loads(GOLDEN_PLAN.read_text(encoding="utf-8"))
    data["meetings"][0]["deadlines"]["public_questions"] = value
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanFileError) as raised:
        load_plan(path)
    [problem] = raised.value.problems
    assert problem.location == "meetings[0] (select-2017-06-27).deadlines.public_questions"


def test_python_values_stay_python_until_the_json() -> None:
    """In the model a time is a time (`model_dump()`), and text only in the JSON."""
    plan = Plan.model_validate(json.loads(GOLDEN_PLAN.read_text(encoding="utf-8")))
    dumped = plan.model_dump()["meetings"][0]
    assert (dumped["start"], dumped["date"]) == (dt.time(19, 0), dt.date(2017, 6, 28))
    assert plan.model_dump(mode="json")["meetings"][0]["start"] == "19:00"
