"""Where could it go? (DESIGN §5): each meeting's cost is what pinning the item there and
re-planning gives; impossible meetings say why, reason first; best first; the CLI and the API.

The properties compare `suggest` with the real thing on random programmes: the item pinned to
the meeting in the programme's own data, then `replan` against the same plan.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from scheduler.cli import main
from scheduler.errors import InputError, ProgrammeError
from scheduler.plan.model import Change, Plan, SolveStatus
from scheduler.plan.suggestions import Option
from scheduler.programme.model import Programme
from scheduler.solver import suggest as suggest_module
from scheduler.solver.build import SolveOptions
from scheduler.solver.neighbourhood import neighbourhood
from scheduler.solver.replan import replan
from scheduler.solver.solve import solve
from scheduler.solver.suggest import suggest
from tests.conftest import DATA
from tests.programmes import BASE
from tests.replan_strategies import disrupted
from tests.service import AUTH, YAML, run_job, upload
from tests.strategies import YEAR_DAYS, day, load, programme_data

OPTIONS = SolveOptions(time_limit=5.0)
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
AS_OF = st.one_of(st.none(), st.integers(0, YEAR_DAYS - 1).map(day))
SMALL = DATA / "small.yaml"

Data = dict[str, Any]
Seen = tuple[str | None, str | None, str, str | None, str | None, tuple[str, ...]]


def pinnable(data: Data) -> list[str]:
    """The items a pin places (once, at one meeting); a suggested or deferred one too (pinning
    takes it up), not one wanted only after the programme ends."""
    carried = {i.id for i in load(data).items if i.carried_forward and i.deferred is None}
    return [
        i["id"]
        for i in data["items"]
        if i["kind"] not in ("standing", "scrutiny")
        and "every" not in i
        and i.get("times", 1) == 1
        and "delegated_to" not in i
        and i["id"] not in carried
    ]


def pinned(data: Data, item: str, meeting: str) -> Programme:
    """The programme of `data` with `item` pinned to `meeting`, written as a clerk would: a
    suggested or deferred item so taken up."""
    edited = copy.deepcopy(data)
    entry = next(i for i in edited["items"] if i["id"] == item)
    entry["meeting"] = meeting
    entry.pop("suggested", None)
    entry.pop("deferred", None)
    return load(edited)


def seen(changes: list[Change]) -> list[Seen]:
    return sorted((c.item, c.occurrence, c.change, c.from_, c.to, tuple(c.tell)) for c in changes)


def assert_is_the_pinned_replan(
    data: Data, plan: Plan, item: str, option: Option, as_of: dt.date | None
) -> None:
    """The option says what `replan` does with the item pinned to the option's meeting."""
    again = replan(pinned(data, item, option.meeting), plan, as_of=as_of, options=OPTIONS)
    placed = again.status.found and any(
        e.item == item for m in again.meetings if m.id == option.meeting for e in m.agenda
    )
    said = f"{option.model_dump_json(by_alias=True)}\nre-plan: {again.to_json()}"
    assert option.possible == placed, said
    if not placed:
        assert option.reasons and option.text
        return
    # What the re-plan changes anyway in bodies the item cannot reach (the plan is of an earlier
    # version) is the same whatever is chosen: the options leave it out.
    programme = load(data)
    free = neighbourhood(programme, {}, programme.items_by_id[item].body).free
    changes = [
        c
        for c in again.changes or []
        if (changed := programme.items_by_id.get(c.item or "")) and changed.body in free
    ]
    others = [c for c in changes if c.item != item]
    assert seen(option.moves) == seen([c for c in others if c.change == "moved"]), said
    assert seen(option.drops) == seen([c for c in others if c.change == "unplaced"]), said
    assert option.tell == sorted({p for c in changes for p in c.tell}), said
    assert option.preferences_lost == days_lost(programme, plan, again, free), said


def days_lost(programme: Programme, before: Plan, after: Plan, free: tuple[str, ...]) -> int:
    """Days outside `prefer` that `after` adds, item occurrence by item occurrence."""

    def days(plan: Plan) -> dict[str, int]:
        found: dict[str, int] = {}
        for meeting in plan.meetings:
            held = programme.meetings_by_id.get(meeting.id)
            day = meeting.date or (held[1].date if held else None)  # a day not fixed: its first
            for e in meeting.agenda:
                item = programme.items_by_id.get(e.item)
                if item and item.prefer and item.body in free and day is not None:
                    key = f"{e.item}@{e.occurrence}"
                    found[key] = found.get(key, 0) + item.prefer.days_outside(day)
        return found

    old, new = days(before), days(after)
    return sum(max(0, new[key] - old.get(key, 0)) for key in new)


def assert_best_first(options: list[Option], programme: Programme, item: str) -> None:
    body = programme.bodies_by_id[programme.items_by_id[item].body]
    assert sorted(o.meeting for o in options) == sorted(m.key for m in body.meetings)
    keys = [(not o.possible, o.cost, not o.here, o.date or dt.date.max) for o in options]
    assert keys == sorted(keys)


@PROPERTY
@given(programme_data(), st.integers(0, 100), AS_OF)
def test_each_option_is_what_pinning_and_replanning_gives(
    data: Data, pick: int, as_of: dt.date | None
) -> None:
    items = pinnable(data)
    if not items:
        return
    programme = load(data)
    plan = solve(programme, OPTIONS)
    if plan.status is not SolveStatus.OPTIMAL:
        event("no optimal plan")
        return
    item = items[pick % len(items)]
    note(f"programme:\n{yaml.safe_dump(data, sort_keys=False)}\nitem {item}, as of {as_of}")
    options = suggest(programme, plan, item, options=OPTIONS, as_of=as_of)
    event(f"possible: {sum(o.possible for o in options)} of {len(options)}")
    assert_best_first(options, programme, item)
    for option in options:
        assert_is_the_pinned_replan(data, plan, item, option, as_of)


@settings(PROPERTY, max_examples=80)
@given(disrupted(programme_data()), st.integers(0, 100))
def test_against_the_plan_of_an_earlier_version_too(
    edited: tuple[Data, Data, str], pick: int
) -> None:
    """The plan was made before the programme was edited: a re-plan also makes the changes
    the edit calls for, and so does every option."""
    old, new, edit = edited
    items = pinnable(new)
    if not items:
        return
    event(f"edit: {edit}")
    plan = solve(load(old), OPTIONS)
    if plan.status is not SolveStatus.OPTIMAL:
        return
    item = items[pick % len(items)]
    for option in suggest(load(new), plan, item, options=OPTIONS):
        assert_is_the_pinned_replan(new, plan, item, option, None)


NEW_ITEM = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(("short", "substantive", "report")),
        "priority": st.sampled_from(("must", "high", "normal", "low")),
        "first": st.integers(0, YEAR_DAYS - 1),
        "days": st.integers(0, 300),
        "windowed": st.booleans(),
    }
)


@settings(PROPERTY, max_examples=80)
@given(programme_data(), NEW_ITEM)
def test_a_new_item_is_weighed_as_if_it_were_in_the_file(data: Data, drawn: Data) -> None:
    plan = solve(load(data), OPTIONS)
    if plan.status is not SolveStatus.OPTIMAL:
        return
    entry: Data = {
        "id": "call-in",
        "title": "An Urgent Call-in",
        "body": "select",
        "kind": drawn["kind"],
        "priority": drawn["priority"],
    }
    if drawn["windowed"]:
        entry["window"] = f"{day(drawn['first'])}..{day(min(drawn['first'] + drawn['days'], 370))}"
    options = suggest(load(data), plan, options=OPTIONS, new_item=yaml.safe_dump(entry))
    with_it = {**data, "items": [*data["items"], entry]}
    assert_best_first(options, load(with_it), "call-in")
    for option in options:
        assert_is_the_pinned_replan(with_it, plan, "call-in", option, None)


# -- a committee of two meetings, by hand ------------------------------------------------------


def committee(*items: Data, meetings: list[Any] | None = None, **top: Any) -> Data:
    """tests/programmes.BASE with these items (short by default) and meetings."""
    data = copy.deepcopy(BASE)
    if meetings is not None:
        data["bodies"][0]["meetings"] = meetings
    data["items"] = [
        {"body": "main", "kind": "short", "title": i["id"].title(), **i} for i in items
    ]
    data.update(top)
    return data


def options_of(data: Data, item: str | None = None, **given: Any) -> dict[str, Option]:
    programme = load(data)
    plan = solve(programme, OPTIONS)
    return {o.meeting: o for o in suggest(programme, plan, item, options=OPTIONS, **given)}


def test_a_meeting_outside_the_window_says_so_reason_first() -> None:
    found = options_of(committee({"id": "late", "window": "2017-09-01..2018-05-01"}), "late")
    june = found["main-2017-06-20"]
    assert not june.possible and june.reasons[0].rule == "R4"
    assert june.text.startswith("Main Committee, Tuesday 20 June 2017 is outside the dates")
    assert found["main-2017-11-14"].possible and found["main-2017-11-14"].here


def test_a_witness_away_rules_the_meeting_out_with_the_rules_reason() -> None:
    found = options_of(committee({"id": "hearing", "witnesses": ["w"]}), "hearing")
    assert found["main-2017-06-20"].reasons[0].rule == "R8"
    assert "Witness W cannot attend" in found["main-2017-06-20"].text
    assert list(found) == ["main-2017-11-14", "main-2017-06-20"]  # best first


def test_a_cancelled_meeting_and_an_undated_event_are_said() -> None:
    data = committee(
        {"id": "after", "after": {"event": "visit"}},
        {"id": "free"},
        meetings=["2017-06-20", {"date": "2017-11-14", "status": "cancelled"}],
        events=[{"id": "visit", "title": "Site Visit", "date": None}],
    )
    cancelled = options_of(data, "free")["main-2017-11-14"]
    assert not cancelled.possible
    assert cancelled.text == "Main Committee, Tuesday 14 November 2017 is cancelled"
    waiting = options_of(data, "after")["main-2017-06-20"]
    assert waiting.reasons[0].rule == "R9" and "give that event a date" in waiting.text


def test_the_cost_names_what_moves_and_what_is_left_out() -> None:
    """One substantive item a meeting. The theme must be in June (its window); the review is
    in November. A high-priority call-in in November pushes the low-priority review out (June
    is taken), and in June it cannot go at all (the theme outranks it there)."""
    data = committee(
        {"id": "theme", "kind": "substantive", "priority": "high", "window": "..2017-07-01"},
        {"id": "review", "kind": "substantive", "priority": "low", "witnesses": ["a"]},
        {"id": "update", "kind": "substantive", "priority": "low"},
    )
    new = "{id: call-in, title: Call-in, body: main, kind: substantive, priority: high}"
    found = options_of(data, new_item=new)
    november = found["main-2017-11-14"]
    assert november.possible and [d.item for d in november.drops] == ["review"]
    assert november.tell == ["a"] and november.cost > 0
    assert "left out: Review" in november.text and "tell Officer A" in november.text
    june = found["main-2017-06-20"]
    assert not june.possible
    assert "already has its 1 substantive item: Theme" in june.text


def test_an_item_moved_to_make_room_is_a_move_from_to() -> None:
    data = committee(
        {"id": "first", "kind": "substantive"},
        {"id": "second", "kind": "substantive", "witnesses": ["a"]},
        meetings=["2017-06-20", "2017-11-14", "2018-01-09"],
    )
    programme = load(data)
    plan = solve(programme, OPTIONS)
    at = {e.item: m.id for m in plan.meetings for e in m.agenda}
    options = suggest(programme, plan, "first", options=OPTIONS)
    into = next(o for o in options if o.meeting == at["second"])
    assert [(c.item, c.from_) for c in into.moves] == [("second", at["second"])]
    assert into.moves[0].to not in (at["second"], None)
    assert "moves: Second to Tuesday" in into.text
    assert options[0].here and options[0].text.endswith("it is there now")


def test_an_item_on_a_frozen_agenda_can_go_nowhere_else() -> None:
    """Re-planned as of July, the June agenda stays as published (R10): the item in June can
    go nowhere else, and a meeting before July takes nothing new."""
    data = committee(
        {"id": "done", "prefer": "..2017-07-01"},
        {"id": "other"},
        meetings=["2017-06-20", "2017-06-27", "2017-11-14"],
    )
    programme = load(data)
    plan = solve(programme, OPTIONS)
    assert any(e.item == "done" for e in plan.meetings[0].agenda)
    july = dt.date(2017, 7, 1)
    found = {o.meeting: o for o in suggest(programme, plan, "done", options=OPTIONS, as_of=july)}
    assert found["main-2017-06-20"].possible and found["main-2017-06-20"].here
    november = found["main-2017-11-14"]
    assert not november.possible and "before Saturday 1 July 2017" in november.text
    for option in found.values():
        assert_is_the_pinned_replan(data, plan, "done", option, july)
    assert found["main-2017-06-27"].reasons[0].rule == "R10"


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"id": "x", "kind": "standing"}, "a standing item goes to every meeting"),
        ({"id": "x", "every": "quarter"}, "goes to several meetings"),
        ({"id": "x", "times": 2}, "it goes to 2 meetings"),
        ({"id": "x", "delegated_to": "Licensing"}, "it is taken by Licensing"),
    ],
)
def test_an_item_a_pin_cannot_place_is_refused(entry: Data, says: str) -> None:
    programme = load(committee(entry))
    with pytest.raises(InputError, match=says):
        suggest(programme, solve(programme, OPTIONS), "x", options=OPTIONS)


def test_an_unknown_item_is_refused() -> None:
    programme = load(committee({"id": "x"}))
    with pytest.raises(InputError, match="no item 'y' in programme 'tiny'"):
        suggest(programme, solve(programme, OPTIONS), "y", options=OPTIONS)


def test_a_new_items_problems_are_located_in_its_text() -> None:
    programme = load(committee({"id": "x"}))
    plan = solve(programme, OPTIONS)
    text = "id: y\ntitle: Y\nbody: main\nkind: short\nwitnesses: [nobody]\n"
    with pytest.raises(ProgrammeError) as caught:
        suggest(programme, plan, new_item=text, names=("--item", "--new-item", "plan"))
    assert str(caught.value) == "--new-item:5: witnesses[0]: 'nobody' is not in people"
    with pytest.raises(ProgrammeError, match="duplicate id 'x' in items"):
        suggest(programme, plan, new_item="{id: x, title: X, body: main, kind: short}")
    with pytest.raises(ProgrammeError, match="unknown key 'colour'"):
        suggest(programme, plan, new_item="{id: z, title: Z, body: main, kind: short, colour: 1}")


# -- the restriction: what is held ------------------------------------------------------------


def two_committees() -> Data:
    """A committee and a panel that meet at the same time on 20 June and 14 November; officer A
    presents to both. The update prefers June, so the panel's briefing is in November."""
    data = committee(
        {"id": "update", "presenters": ["a"], "prefer": "..2017-07-01"},
        {"id": "briefing", "body": "panel", "presenters": ["a"], "priority": "low"},
    )
    data["bodies"].append(
        {"id": "panel", "name": "Panel", "minutes": 60, "meetings": ["2017-06-20", "2017-11-14"]}
    )
    return data


def test_with_nothing_held_the_answer_is_the_whole_replans() -> None:
    """The update in November: the briefing moves to June, as the re-plan moves it."""
    data = two_committees()
    programme = load(data)
    plan = solve(programme, OPTIONS)
    assert neighbourhood(programme, {}, "main").free == ("main", "panel")
    options = suggest(programme, plan, "update", options=OPTIONS)
    for option in options:
        assert_is_the_pinned_replan(data, plan, "update", option, None)
    november = next(o for o in options if o.meeting == "main-2017-11-14")
    assert [(c.item, c.from_, c.to) for c in november.moves] == [
        ("briefing", "panel-2017-11-14", "panel-2017-06-20")
    ]


def test_items_of_bodies_beyond_the_limit_are_held_where_the_plan_has_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no room to re-plan the panel, its briefing keeps its November meeting: the update
    there leaves it out (officer A cannot be at both), where the whole re-plan would move it."""
    data = two_committees()
    programme = load(data)
    plan = solve(programme, OPTIONS)
    narrow = functools.partial(neighbourhood, limit=0)
    monkeypatch.setattr(suggest_module, "neighbourhood", narrow)
    hood = narrow(programme, {"briefing": ["panel-2017-11-14"]}, "main")
    assert hood.free == ("main",) and not hood.exact and hood.held == {"briefing"}
    options = {o.meeting: o for o in suggest(programme, plan, "update", options=OPTIONS)}
    november = options["main-2017-11-14"]
    assert november.possible and not november.moves
    assert [(c.item, c.from_) for c in november.drops] == [("briefing", "panel-2017-11-14")]
    assert options["main-2017-06-20"].here and options["main-2017-06-20"].cost == 0


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def small_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    assert main(["solve", str(SMALL), "-o", str(path)]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_one_line_per_meeting_best_first(
    capsys: pytest.CaptureFixture[str], small_plan: Path
) -> None:
    code, out, _ = run(capsys, "suggest", str(SMALL), str(small_plan), "--item", "theme")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0] == "1.  Main Select Committee, Tuesday 17 October 2017: it is there now"
    assert lines[-1].startswith("-   Main Select Committee, Wednesday 28 June 2017 is outside")


def test_cli_json_is_the_options(capsys: pytest.CaptureFixture[str], small_plan: Path) -> None:
    new = "{id: call-in, title: Call-in, body: main, kind: short}"
    code, out, _ = run(capsys, "suggest", str(SMALL), str(small_plan), "--new-item", new, "--json")
    assert code == 0
    options = [Option.model_validate(o) for o in json.loads(out)]
    assert {o.meeting for o in options} == {
        "main-2017-06-27",
        "main-2017-10-17",
        "main-2018-01-23",
        "main-2018-02-01-callin",
    }
    assert all("from" in c for o in json.loads(out) for c in o["moves"])


def test_cli_exit_codes(capsys: pytest.CaptureFixture[str], small_plan: Path) -> None:
    args = ["suggest", str(SMALL), str(small_plan)]
    assert run(capsys, *args)[0] == 2
    code, _, err = run(capsys, *args, "--item", "nope")
    assert (code, err) == (2, "--item: nope: no item 'nope' in programme 'small-council'\n")
    code, _, err = run(capsys, *args, "--new-item", "id: y\ntitle: Y\nbody: nowhere\nkind: short")
    assert (code, err) == (2, "--new-item:3: body: 'nowhere' is not in bodies\n")
    code, out, _ = run(capsys, *args, "--item", "inspection-follow-up")
    assert code == 1 and out.count("Waits for the date of Local area SEND inspection") == 4


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["suggest", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "usage: scrutiny suggest" in out and "Example:" in out and "scrutiny replan" in out


# -- the service ------------------------------------------------------------------------------

PID = "small-council"


@pytest.fixture
def solved(client: TestClient) -> int:
    upload(client, SMALL.read_text())
    job = run_job(client, PID, time_limit=10)
    assert job["state"] == "done", job
    return int(job["plan"])


def test_api_suggest_is_the_librarys(client: TestClient, solved: int) -> None:
    response = client.get(f"/programmes/{PID}/plans/{solved}/suggest?item=theme", headers=AUTH)
    assert response.status_code == 200, response.text
    plan = Plan.model_validate_json(
        client.get(f"/programmes/{PID}/plans/{solved}", headers=AUTH).content
    )
    programme = load(yaml.safe_load(SMALL.read_text()))
    expected = suggest(programme, plan, "theme", options=SolveOptions(time_limit=2.0))
    assert response.json() == [o.model_dump(mode="json", by_alias=True) for o in expected]


def test_api_suggest_refusals(client: TestClient, solved: int) -> None:
    url = f"/programmes/{PID}/plans/{solved}/suggest"
    assert client.get(f"{url}?item=theme").status_code == 401
    unknown = client.get(f"{url}?item=nope", headers=AUTH)
    assert unknown.status_code == 404 and unknown.json()["detail"] == (
        "programme 'small-council' has no item 'nope'"
    )
    standing = client.get(f"{url}?item=apologies", headers=AUTH)
    assert standing.status_code == 422 and "standing item" in standing.text
    assert client.get(url, headers=AUTH).status_code == 422  # no item
    assert client.get(f"/programmes/{PID}/plans/99/suggest?item=x", headers=AUTH).status_code == 404


def test_api_suggest_for_a_new_item(client: TestClient, solved: int) -> None:
    url = f"/programmes/{PID}/plans/{solved}/suggest"
    good = "{id: call-in, title: Call-in, body: main, kind: short}"
    response = client.post(url, content=good, headers=YAML)
    assert response.status_code == 200 and len(response.json()) == 4
    bad = client.post(url, content="id: y\ntitle: Y\nbody: nowhere\nkind: short\n", headers=YAML)
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["location"] == "body"
    assert bad.json()["problems"][0]["line"] == 3
    text = client.post(url, content=good, headers={**AUTH, "Content-Type": "text/plain"})
    assert text.status_code == 415


def test_api_choose_pins_the_item_and_replans(client: TestClient, solved: int) -> None:
    revision = client.get(f"/programmes/{PID}").headers["ETag"]
    choice = {"item": "follow-up", "meeting": "main-2018-02-01-callin", "time_limit": 10}
    unheld = client.post(f"/programmes/{PID}/choose", json=choice, headers=AUTH)
    assert unheld.status_code == 428
    assert (
        client.post(
            f"/programmes/{PID}/choose",
            json={**choice, "item": "nope"},
            headers={**AUTH, "If-Match": revision},
        ).status_code
        == 404
    )
    elsewhere = {**choice, "meeting": "sub-2017-07-18"}
    wrong = client.post(
        f"/programmes/{PID}/choose", json=elsewhere, headers={**AUTH, "If-Match": revision}
    )
    assert wrong.status_code == 422
    chosen = client.post(
        f"/programmes/{PID}/choose", json=choice, headers={**AUTH, "If-Match": revision}
    )
    assert chosen.status_code == 202, chosen.text
    assert chosen.headers["ETag"] != revision
    job = chosen.json()
    assert job["kind"] == "replan" and chosen.headers["Location"] == f"/jobs/{job['id']}"
    source = client.get(f"/programmes/{PID}/source", headers=AUTH).text
    assert "meeting: main-2018-02-01-callin" in source
    deadline = 300
    while job["state"] in ("queued", "running") and deadline:
        job = client.get(f"/jobs/{job['id']}", headers=AUTH).json()
        deadline -= 1
    assert job["state"] == "done", job
    plan = Plan.model_validate_json(
        client.get(f"/programmes/{PID}/plans/{job['plan']}", headers=AUTH).content
    )
    placed = {(e.item, m.id) for m in plan.meetings for e in m.agenda}
    assert ("follow-up", "main-2018-02-01-callin") in placed
