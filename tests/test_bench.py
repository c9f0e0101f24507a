"""The benchmark's own correctness (timing is never asserted): every plan it measures passes
`check` (asserted inside `measure`), and its table and targets say what was measured."""

from __future__ import annotations

from pathlib import Path

from bench import moderngov
from bench.run import markdown, measure, table, targets


def test_the_bench_measures_checked_plans_and_reports_them() -> None:
    rows = [measure("Bromley", 5.0), measure("2x", 5.0)]
    bromley = rows[0]
    assert (bromley["bodies"], bromley["meetings"], bromley["items"]) == (4, 14, 51)
    assert bromley["status"] == "optimal" and bromley["gap %"] == 0.0
    assert bromley["parts"] == 1 and bromley["proven"] is True and bromley["feeds"] > 0
    assert bromley["curve"] and bromley["curve"][-1][1] == bromley["objective"]
    printed = table(rows)
    assert printed.splitlines()[0].split()[:4] == ["size", "bodies", "meetings", "items"]
    assert len(markdown(rows).splitlines()) == 2 + len(rows)
    [line] = targets({"Bromley": bromley})
    assert line.startswith("- Bromley proven optimal under 1 s: optimal in ")


def test_the_moderngov_bench_checks_what_it_times(tmp_path: Path) -> None:
    """One round of Bromley: each row's answer is checked inside it (a new file with every
    body, one move found, every meeting linked, the service's check and apply)."""
    measured, _ = moderngov.measure("Bromley", 1, tmp_path)
    assert set(measured.calls.values()) == {19}  # 1 + 4 committees + 14 meetings, every row
    assert len(measured.seconds) == 10
    assert moderngov.table("Bromley", measured)[0].startswith("Bromley  floor")
