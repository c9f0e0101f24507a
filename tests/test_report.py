"""The work-programme document (issue 7): Word read back, Word converted by LibreOffice, HTML
parsed, Markdown from the same code as `solve --markdown`, and public versions that show no
exempt title.

Bromley's document comes from the golden plan; tests/data/feeds.yaml (with two edits) gives
exempt items, an informal panel, and an unplaced item whose reason names an exempt one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from scheduler.cli import main
from scheduler.errors import ProgrammeError
from scheduler.outputs.report import html, markdown, word
from scheduler.plan.model import Plan, load_plan
from scheduler.programme.load import load_programme, parse_programme
from scheduler.programme.model import Programme
from scheduler.solver.solve import solve
from tests.conftest import BROMLEY, REPO, public_secrets, town_with_secrets
from tests.docx_text import tables, text

GOLDEN_PLAN = REPO / "tests" / "golden" / "bromley.plan.json"
STATUS = {  # Appendix 1's words, written out here again rather than read from the code
    "standing": "Standing Item",
    "substantive": "Substantive Item",
    "short": "Short Item",
    "information": "Information Item",
    "report": "Report",
    "witness-session": "Witness Session",
    "scrutiny": "Scrutiny",
}
TOWN = town_with_secrets()


@pytest.fixture(scope="module")
def bromley() -> tuple[Programme, Plan]:
    return load_programme(BROMLEY), load_plan(GOLDEN_PLAN)


@pytest.fixture(scope="module")
def town() -> tuple[Programme, Plan]:
    programme = parse_programme(TOWN, "town.yaml")
    plan = solve(programme)
    assert plan.status.value == "optimal"
    assert any(u.item == "contract-review" for u in plan.unplaced)
    return programme, plan


def _day(date: dt.date | None) -> str:
    assert date is not None, "Bromley's meetings all have their day"
    year, month, day = date.isoformat().split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    return f"{int(day)} {months[int(month) - 1]} {year}"


# --- Word ---------------------------------------------------------------------------------------


def test_word_table_rows_are_the_plans_placements(bromley: tuple[Programme, Plan]) -> None:
    p, plan = bromley
    main_table = tables(word(p, plan))[0]
    assert main_table[0] == ["Item", "Status"]
    expected: list[list[str]] = []
    for m in plan.meetings:
        heading = f"{p.bodies_by_id[m.body].name}: {_day(m.date)}"
        expected.append([heading])
        for e in m.agenda:
            item = p.items_by_id[e.item]
            title = e.title + (" (provisional)" if e.provisional else "")
            if item.witnesses:
                title += (
                    " (Witnesses: "
                    + "; ".join(
                        f"{p.people_by_id[w].name}, {p.people_by_id[w].role}"
                        for w in item.witnesses
                    )
                    + ")"
                )
            expected.append([title, STATUS[e.kind]])
    found = [[row[0].split("\n")[0]] if len(row) == 1 else row for row in main_table[1:]]
    assert found == expected


def test_word_is_the_same_bytes_for_the_same_plan(bromley: tuple[Programme, Plan]) -> None:
    assert word(*bromley) == word(*bromley)


def test_word_opens_in_libreoffice_and_prints(
    tmp_path: Path, bromley: tuple[Programme, Plan]
) -> None:
    p, plan = bromley
    source = tmp_path / "work-programme.docx"
    source.write_bytes(word(p, plan))
    profile = tmp_path / "profile"  # a fresh LibreOffice profile: no lock shared with anyone
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "work-programme.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    reader = pypdf.PdfReader(pdf)
    assert 6 <= len(reader.pages) <= 8  # seven A4 pages: 14 meetings, 93 entries, four tables
    printed = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for needle in (
        "Education, Children & Families Work Programme 2017/18",
        "Education, Children & Families Select Committee: 28 June 2017",
        "Agenda published Tuesday 20 June 2017",
        "Child and Adolescent Mental Health Services",
        "Scrutiny rotation",
        "Annual Review",
    ):
        assert needle in printed, needle


# --- HTML ---------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The meeting headings and item rows of the programme table; tags must balance."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.headings: list[str] = []
        self.rows: list[list[str]] = []
        self.styles = ""
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)
        classes = dict(attrs).get("class") or ""
        if tag == "tr" and "item" in classes:
            self.rows.append([])
        if tag in ("th", "td"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        if tag in ("th", "td") and self._text is not None:
            cell = " ".join("".join(self._text).split())
            if tag == "th" and "tbody" in self.open and "table" in self.open:
                self.headings.append(cell)
            elif tag == "td" and self.rows and len(self.rows[-1]) < 2 and "tbody" in self.open:
                self.rows[-1].append(cell)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)
        if self.open and self.open[-1] == "style":
            self.styles += data


def test_html_has_every_meeting_and_item_and_prints(bromley: tuple[Programme, Plan]) -> None:
    p, plan = bromley
    page = _Page()
    page.feed(html(p, plan))
    page.close()
    assert page.open == []
    programme_headings = page.headings[: len(plan.meetings)]
    for heading, m in zip(programme_headings, plan.meetings, strict=True):
        assert heading.startswith(f"{p.bodies_by_id[m.body].name}: {_day(m.date)}")
    titles = [row[0].split(" (Witnesses:")[0] for row in page.rows]
    assert titles == [
        e.title + (" (provisional)" if e.provisional else "") for m in plan.meetings for e in m.agenda
    ]
    assert [row[1] for row in page.rows] == [
        STATUS[e.kind] for m in plan.meetings for e in m.agenda
    ]
    assert "@media print" in page.styles and "@page" in page.styles


def test_html_escapes_what_it_shows(town: tuple[Programme, Plan]) -> None:
    p, plan = town
    page = html(p, plan)
    assert "Overview &amp; Scrutiny Committee" in page and "Tenants&#39; Forum" in page


# --- Markdown -----------------------------------------------------------------------------------


def test_solve_markdown_is_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.json"
    assert main(["solve", str(BROMLEY), "-o", str(plan), "--markdown", str(tmp_path / "a.md")]) == 0
    args = ["report", str(BROMLEY), str(plan), "--format", "md", "-o", str(tmp_path / "b.md")]
    assert main(args) == 0
    assert (tmp_path / "a.md").read_text() == (tmp_path / "b.md").read_text()


# --- audiences ----------------------------------------------------------------------------------


def _versions(p: Programme, plan: Plan, audience: str) -> dict[str, str]:
    return {
        "md": markdown(p, plan, audience),  # type: ignore[arg-type]
        "html": html(p, plan, audience),  # type: ignore[arg-type]
        "docx": text(word(p, plan, audience)),  # type: ignore[arg-type]
    }


def test_public_versions_show_no_exempt_title(town: tuple[Programme, Plan]) -> None:
    p, plan = town
    secrets = public_secrets(p, plan)
    assert "Contract Monitoring 2nd Half" in secrets  # a filled-in title is among them
    for fmt, shown in _versions(p, plan, "public").items():
        shown = shown.replace("&#39;", "'").replace("\\", "")
        for secret in secrets:
            assert secret not in shown, f"{fmt}: {secret}"
        assert "Exempt item (Part 2)" in shown, fmt
        assert "(special meeting)" in shown, fmt
        # What is planned: what is not, and why, is the clerk's (issue 22).
        assert "Council. 16 agenda entries at 7 meetings.\n" in shown.replace("</p>", "\n")
        assert "Not placed" not in shown and "withheld" not in shown, fmt


def test_clerk_versions_show_everything(town: tuple[Programme, Plan]) -> None:
    p, plan = town
    for fmt, shown in _versions(p, plan, "clerk").items():
        shown = shown.replace("&#39;", "'")
        for needle in (
            "Housing Repairs Contract Award",
            "(Part 2, exempt)",
            "Housing Task and Finish Group",
            "it comes 400 days after Housing Repairs Contract Award",  # withheld from the public
        ):
            assert needle in shown, f"{fmt}: {needle}"
        assert ("R9 order" in shown) == (fmt == "html"), fmt  # the clerk's page has the details


# --- the command --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_cli_writes_each_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"wp.{fmt}"
    args = ["report", str(BROMLEY), str(GOLDEN_PLAN), "--format", fmt, "-o", str(out)]
    assert main([*args, "--audience", "public"]) == 0
    assert out.stat().st_size > 5000


def test_cli_refuses_word_on_standard_output_and_stale_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", str(BROMLEY), str(GOLDEN_PLAN), "--format", "docx", "-o", "-"]
    assert main(args) == 2
    assert "Word goes to a file" in capsys.readouterr().err
    edited = tmp_path / "edited.yaml"
    edited.write_text(BROMLEY.read_text().replace("      - 2018-02-27 ", "      - 2018-02-28 ", 1))
    out = tmp_path / "wp.md"
    assert main(["report", str(edited), str(GOLDEN_PLAN), "-o", str(out)]) == 2
    assert "re-plan first" in capsys.readouterr().err and not out.exists()


def test_word_is_stable_and_keeps_rows_whole(bromley: tuple[Programme, Plan]) -> None:
    data = word(*bromley)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {entry.date_time for entry in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    body = archive.read("word/document.xml").decode()
    rows = body.count("<w:tr>") + body.count("<w:tr ")
    assert body.count('<w:cantSplit w:val="true"/>') == rows  # no row split over two pages
    assert body.count('<w:tblHeader w:val="true"/>') == 4  # each table's header repeats
    properties = archive.read("docProps/core.xml").decode()
    assert "Education, Children &amp; Families Work Programme 2017/18" in properties


def test_markdown_shows_titles_as_written(tmp_path: Path) -> None:
    p = parse_programme(
        TOWN.replace(
            "title: Homelessness Strategy", 'title: "Homelessness *Strategy* | <b>_2017_</b>"'
        ),
        "town.yaml",
    )
    shown = markdown(p, solve(p))
    assert "| Homelessness \\*Strategy\\* \\| \\<b\\>\\_2017\\_\\</b\\> (Witnesses:" in shown


def test_titles_with_control_characters_are_refused() -> None:
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(
            TOWN.replace("title: Homelessness Strategy", 'title: "Homeless\\vness"'), "t.yaml"
        )
    assert (
        "items[3] (homelessness).title: 'Homeless\\x0bness' holds control character(s) U+000B"
        in str(caught.value)
    )


def test_r9_reason_names_the_item_it_waits_for(town: tuple[Programme, Plan]) -> None:
    _, plan = town
    review = next(u for u in plan.unplaced if u.item == "contract-review")
    details = [r.details for r in review.reasons]
    assert (
        "R9 order: overview-2017-06-28 is before the last housing-contract (2018-01-23); "
        "it comes 400 days after" in details
    )
    assert (
        "R9 order: overview-2018-03-20 is 56 day(s) after the last housing-contract "
        "(2018-01-23); it comes 400 days after" in details
    )


def test_cli_refuses_an_infeasible_plan_and_a_directory_as_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    infeasible = tmp_path / "plan.json"
    data = json.loads(GOLDEN_PLAN.read_text()) | {"status": "infeasible", "meetings": []}
    infeasible.write_text(json.dumps(data | {"explanation": ["R7 rotation: too few meetings"]}))
    assert main(["report", str(BROMLEY), str(infeasible), "-o", str(tmp_path / "wp.md")]) == 1
    assert "R7 rotation: too few meetings" in capsys.readouterr().err
    assert main(["report", str(BROMLEY), str(GOLDEN_PLAN), "-o", str(tmp_path)]) == 2
    assert "exists and is not an ordinary file" in capsys.readouterr().err
    assert tmp_path.is_dir()
