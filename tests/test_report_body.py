"""One committee's documents and feeds (issue 22): `scrutiny report --body` and `scrutiny feeds
--body` hold only the bodies named, their meetings and agendas; a body's sub-committees only when
named too. The cut is `outputs.bodies.only`, which the web pages use as well.

Bromley's golden plan: the Select Committee (`select`), its Budget & Performance Monitoring
Sub-Committee (`bpm`), the Schools' Forum and SACRE, each with meetings.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.outputs.bodies import only
from scheduler.outputs.document import INCOMPLETE, document
from scheduler.plan.model import Plan, Unplaced, load_plan
from scheduler.programme.load import load_programme
from scheduler.programme.model import Programme
from tests.conftest import BROMLEY, REPO
from tests.docx_text import text

GOLDEN_PLAN = REPO / "tests" / "golden" / "bromley.plan.json"
UNKNOWN = "--body: no body 'ghost' in this programme; its bodies are select, bpm, schools-forum and sacre\n"


@pytest.fixture(scope="module")
def bromley() -> tuple[Programme, Plan]:
    return load_programme(BROMLEY), load_plan(GOLDEN_PLAN)


def labels(p: Programme, plan: Plan) -> dict[str, set[str]]:
    """Each body's meetings as the document heads them: `SACRE: 12 July 2017`."""
    out: dict[str, set[str]] = {b.id: set() for b in p.bodies}
    for m in plan.meetings:
        assert m.date is not None
        out[m.body].add(f"{p.bodies_by_id[m.body].name}: {m.date.day} {m.date:%B %Y}")
    return out


def report(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, *bodies: str) -> str:
    target = tmp_path / f"wp.{fmt}"
    argv = ["report", str(BROMLEY), str(GOLDEN_PLAN), "--format", fmt, "-o", str(target)]
    code = main([*argv, *(a for b in bodies for a in ("--body", b))])
    capsys.readouterr()
    assert code == 0
    if fmt == "docx":
        return text(target.read_bytes())
    words = target.read_text(encoding="utf-8")
    return html.unescape(words) if fmt == "html" else words


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("bodies", [("select",), ("bpm",), ("select", "bpm"), ("sacre", "schools-forum")])
def test_report_for_some_bodies_heads_only_their_meetings(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    bromley: tuple[Programme, Plan],
    fmt: str,
    bodies: tuple[str, ...],
) -> None:
    words = report(capsys, tmp_path, fmt, *bodies)
    for body, meetings in labels(*bromley).items():
        shown = {label for label in meetings if label in words}
        assert shown == (meetings if body in bodies else set()), body


def test_a_committees_report_leaves_out_its_sub_committee(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: tuple[Programme, Plan]
) -> None:
    """`bpm` is the Select Committee's sub-committee: named alone, the Select Committee's
    document has its own four meetings and what it could not place, nothing of the other's."""
    words = report(capsys, tmp_path, "md", "select")
    assert "54 agenda entries at 4 meetings; 2 not placed." in words
    assert not any(label in words for label in labels(*bromley)["bpm"])
    sub = report(capsys, tmp_path, "md", "bpm")
    assert "38 agenda entries at 4 meetings; 0 not placed." in sub
    assert "## Not placed" not in sub  # both items left out are the Select Committee's


def test_report_of_an_unknown_body_exits_2_naming_the_bodies(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "wp.md"
    code = main(["report", str(BROMLEY), str(GOLDEN_PLAN), "-o", str(target), "--body", "select", "--body", "ghost"])
    out, err = capsys.readouterr()
    assert (code, out, err) == (2, "", UNKNOWN)
    assert not target.exists()


def feed_files(capsys: pytest.CaptureFixture[str], out: Path, *argv: str) -> dict[str, str]:
    code = main(["feeds", str(BROMLEY), str(GOLDEN_PLAN), "-o", str(out), *argv])
    capsys.readouterr()
    assert code == 0
    return {str(f.relative_to(out)): f.read_text(encoding="utf-8") for f in out.rglob("*.ics")}


def uids(calendar: str) -> set[str]:
    return {line.removeprefix("UID:") for line in calendar.splitlines() if line.startswith("UID:")}


def test_feeds_for_a_sub_committee_hold_only_its_meetings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: tuple[Programme, Plan]
) -> None:
    p, plan = bromley
    files = feed_files(capsys, tmp_path / "feeds", "--body", "bpm")
    ours = [m.id for m in plan.meetings if m.body == "bpm"]
    assert sorted(f for f in files if f.startswith("public/")) == ["public/bpm.ics"]
    every = {uid for calendar in files.values() for uid in uids(calendar)}
    assert every and all(uid.removeprefix(f"{p.id}.").startswith(tuple(ours)) for uid in every)
    assert {f"{p.id}.{m}@scrutiny-scheduler" for m in ours} <= uids(files["clerk.ics"])
    # Everyone who sits with the sub-committee, and nobody else: a Select Committee member who
    # is not on it has no feed here.
    people = {f.removeprefix("people/").removesuffix(".ics") for f in files if f.startswith("people/")}
    assert people == p.bodies_by_id["bpm"].roster
    assert "Select Committee" not in files["people/bennett.ics"].replace("\r\n ", "")


def test_feeds_of_a_committee_leave_out_its_sub_committee(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bromley: tuple[Programme, Plan]
) -> None:
    p, plan = bromley
    files = feed_files(capsys, tmp_path / "feeds", "--body", "select")
    assert sorted(f for f in files if f.startswith("public/")) == ["public/select.ics"]
    theirs = tuple(f"{p.id}.{m.id}" for m in plan.meetings if m.body != "select")
    assert not [uid for c in files.values() for uid in uids(c) if uid.startswith(theirs)]


def test_feeds_for_a_body_against_the_whole_previous_plan_cancel_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The plan published before has every body's meetings: the other bodies' are not gone,
    only not asked for, so no calendar shows them cancelled."""
    files = feed_files(capsys, tmp_path / "feeds", "--body", "sacre", "--previous", str(GOLDEN_PLAN))
    assert files and not [f for f, c in files.items() if "CANCELLED" in c]


def test_feeds_of_an_unknown_body_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    code = main(["feeds", str(BROMLEY), str(GOLDEN_PLAN), "-o", str(out), "--body", "ghost"])
    assert (code, capsys.readouterr().err) == (2, UNKNOWN)
    assert not out.exists()


def test_only_keeps_the_bodies_items_and_people(bromley: tuple[Programme, Plan]) -> None:
    p, plan = bromley
    assert len(p.bodies_by_id) == 4  # the whole programme's index, made before the cut
    cut, kept = only(p, plan, ["bpm", "bpm"])
    assert list(cut.bodies_by_id) == ["bpm"]  # the cut's own index, not the programme's
    assert {i.body for i in cut.items} == {"bpm"}
    assert {m.body for m in kept.meetings} == {"bpm"}
    assert set(cut.people_by_id) == p.bodies_by_id["bpm"].roster
    assert (cut.id, cut.title, cut.year) == (p.id, p.title, p.year)
    assert len(p.bodies) == 4 and len(plan.meetings) == 14  # the originals are untouched


def test_only_says_complete_when_its_bodies_lack_no_must_item(bromley: tuple[Programme, Plan]) -> None:
    """A plan that could not hold a Select Committee `must` item is incomplete; the
    sub-committee's part of it lacks nothing, and its document says no such thing."""
    p, plan = bromley
    lacking = plan.model_copy(
        update={"complete": False, "unplaced": [*plan.unplaced, Unplaced(item="bpm-references", title="References")]}
    )
    assert p.items_by_id["bpm-references"].importance == "must"
    assert not only(p, lacking, ["select"])[1].complete
    cut, kept = only(p, lacking, ["bpm"])
    assert kept.complete and kept.unplaced == []
    assert document(cut, kept).notice == "" and document(p, lacking).notice == INCOMPLETE


def test_only_refuses_an_unknown_body(bromley: tuple[Programme, Plan]) -> None:
    with pytest.raises(InputError) as caught:
        only(*bromley, ["ghost", "select", "nope"], source="body")
    assert str(caught.value) == "body: no body 'ghost' or 'nope' in this programme; its bodies are select, bpm, schools-forum and sacre"
