"""What the bench reports, from rows made by hand (timing is never asserted): the gap of each
stage, the plans the clock cut, the shapes' targets, and two busy copies side by side."""

from __future__ import annotations

from typing import Any

from bench.busy import report
from bench.hand_method import cells, markdown_table, text_table
from bench.run import (
    cut_count,
    placements_digest,
    replan_numbers,
    stage_rows,
    stage_table,
    targets,
)

LAST = ["S2", "S4", "S5"]


def level(goals: list[str], value: int, bound: int, proven: bool) -> dict[str, Any]:
    return {"goals": goals, "value": value, "bound": bound, "proven": proven}


def row(size: str, **numbers: Any) -> dict[str, Any]:
    """A size as `bench.run.measure` gives it: a plan of every stage, proven but the last."""
    return {
        "size": size,
        "levels": [
            level(["S1-must"], 0, 0, True),
            level(["S1"], 1000, 1000, True),
            level(["S1-order"], 40, 30, False),
            level(LAST, 200, 150, False),
        ],
        "curve": [  # every stage reports from the plan it starts with
            [0.2, 0.0, 0.0, ["S1-must"]], [0.3, 1000.0, 900.0, ["S1"]],
            [0.4, 50.0, 30.0, ["S1-order"]], [0.5, 300.0, 100.0, LAST], [1.0, 200.0, 150.0, LAST],
        ],
        "first plan s": 0.5,
        "bound": 150,
        "cut": False,
        "replan cut": False,
        "placements": "a1",
        "replan placements": "b1",
        **numbers,
    }


def test_each_stage_has_its_own_gap() -> None:
    assert stage_table([row("2x")]) == "\n".join(
        [
            "size    stage value bound  gap % proven",
            "  2x  S1-must     0     0  0.000    yes",
            "  2x       S1  1000  1000  0.000    yes",
            "  2x S1-order    40    30 25.000     no",
            "  2x S2+S4+S5   200   150 25.000     no",
        ]
    )


def test_a_stage_that_reported_nothing_was_not_searched() -> None:
    curve = row("30x")["curve"][:3]  # the time was up before the last stage
    [*_, last] = stage_rows(row("30x", curve=curve))
    assert last == {
        "size": "30x", "stage": "S2+S4+S5", "value": 200, "bound": 150, "gap %": 25.0,
        "proven": "not searched",
    }  # fmt: skip


def test_a_solve_with_no_plan_searched_no_stage() -> None:
    assert stage_table([row("council", levels=[], curve=[])]) == "\n".join(
        [
            "   size    stage value bound gap %       proven",
            "council  S1-must     -     -     - not searched",
            "council       S1     -     -     - not searched",
            "council S1-order     -     -     - not searched",
            "council S2+S4+S5     -     -     - not searched",
        ]
    )


def test_the_plans_the_clock_cut_are_counted_solves_and_replans_apart() -> None:
    rows = [
        row("Bromley"),
        row("10x", cut=True),
        row("30x", cut=True, **{"replan cut": True}),
        row("recurring", **{"replan cut": None}),  # the edit does not apply
    ]
    assert cut_count(rows) == ["plans the clock cut: 2 of 4", "re-plans the clock cut: 1 of 3"]


def test_every_edits_replan_is_counted() -> None:
    replans = [{"edit": e, "cut": e == "away"} for e in ("moved", "cancelled", "away")]
    rows = [row("council", replans=replans), row("recurring", replans=replans[:2])]
    assert cut_count(rows) == ["plans the clock cut: 0 of 2", "re-plans the clock cut: 1 of 5"]


def test_a_shape_is_held_to_a_first_plan_within_2_s_and_a_searched_bound() -> None:
    rows = {
        "same-hour": row("same-hour", **{"first plan s": 5.49, "objective": 1420,
                                         "bound": -3862080}),
        "oversubscribed": row("oversubscribed", **{"first plan s": 0.3, "objective": 25,
                                                   "bound": 0}),
        "recurring": row("recurring", **{"first plan s": 0.18, "objective": 254320,
                                         "bound": None}),
    }  # fmt: skip
    shown = "a bound from a search of the last stage, under 100 % from the plan"
    assert targets(rows) == [
        "- same-hour: first plan within 2 s: 5.49 s (missed)",
        f"- same-hour: {shown}: -3862080 (missed)",
        "- oversubscribed: first plan within 2 s: 0.30 s (met)",
        f"- oversubscribed: {shown}: 0 (missed)",
        "- recurring: first plan within 2 s: 0.18 s (met)",
        f"- recurring: {shown}: none (missed)",
    ]
    rows["recurring"]["bound"] = 254315
    assert targets(rows)[-1] == f"- recurring: {shown}: 254315 (met)"
    rows["oversubscribed"]["curve"] = rows["oversubscribed"]["curve"][:3]  # last not searched
    rows["oversubscribed"]["bound"] = 20
    assert targets(rows)[3] == f"- oversubscribed: {shown}: 20 (missed)"


def test_a_table_shows_a_dash_where_there_is_no_number_and_truths_in_words() -> None:
    columns = (("size", "{}"), ("replan s", "{:.2f}"), ("cut", "{}"))
    rows = [
        cells(columns, {"size": "Bromley", "replan s": 0.031, "cut": False}),
        cells(columns, {"size": "oversubscribed", "replan s": None, "cut": True}),
    ]
    assert text_table(columns, rows) == "\n".join(
        [
            "          size replan s cut",
            "       Bromley     0.03  no",
            "oversubscribed        - yes",
        ]
    )
    assert markdown_table(columns, rows[1:]) == "\n".join(
        ["| size | replan s | cut |", "|---:|---:|---:|", "| oversubscribed | - | yes |"]
    )


def test_a_programme_with_no_committee_meeting_to_move_has_no_replan() -> None:
    assert replan_numbers([]) == {
        "replan s": None, "replan search s": None, "moved": None, "proven": None,
        "replan cut": None, "replan placements": None,
    }  # fmt: skip


def test_the_main_table_takes_the_moved_meetings_replan() -> None:
    replans = [
        {"edit": "cancelled", "seconds": 3.0, "search s": 2.0, "moved": 4, "proven": True,
         "held": 10, "cut": False, "placements": [["a", None, "m1"]]},
        {"edit": "moved", "seconds": 1.5, "search s": 0.5, "moved": 0, "proven": True,
         "held": 20, "cut": False, "placements": [["a", None, "m2"]]},
    ]  # fmt: skip
    numbers = replan_numbers(replans)
    assert {k: v for k, v in numbers.items() if k != "replan placements"} == {
        "replan s": 1.5, "replan search s": 0.5, "moved": 0, "proven": True, "replan cut": False,
    }  # fmt: skip
    assert numbers["replan placements"] == placements_digest([["a", None, "m2"]])


def test_two_busy_copies_are_compared_size_by_size() -> None:
    rows = [row("Bromley"), row("2x", cut=True, **{"replan placements": None, "replan cut": None})]
    twins = [
        row("Bromley", placements="a2"),
        row("2x", **{"replan placements": None, "replan cut": None}),
    ]
    assert report(rows, twins) == "\n".join(
        [
            "   size cut twin cut same plan replan cut twin replan cut same re-plan",
            "Bromley  no       no        no         no              no          yes",
            "     2x yes       no       yes          -               -            -",
            "plans the clock cut: 1 of 4",
            "re-plans the clock cut: 0 of 2",
            "sizes whose plans differ between the copies: Bromley",
        ]
    )
