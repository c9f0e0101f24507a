"""The work-programme document (issue 7): Word read back, Word converted by LibreOffice, HTML
parsed, Markdown from the same code as `solve --markdown`, and public versions that show no
exempt title.

Bromley's document comes from the golden plan; tests/data/feeds.yaml (with two edits) gives
exempt items, an informal panel, and an unplaced item whose reason names an exempt one.
"""

from __future__ import annotations

import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from scheduler.cli import main
from scheduler.model import Programme, load_programme, parse_programme
from scheduler.plan import Plan, load_plan
from scheduler.report import html, markdown, word
from scheduler.solve import solve
from tests.conftest import BROMLEY, DATA, REPO
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
# The town programme, with an item that waits a year after an exempt one (never placed: its
# reason names the exempt item).
TOWN = (DATA / "feeds.yaml").read_text() + (
    "  - {id: contract-review, title: Review of the Repairs Contract, body: overview,"
    " kind: short, after: {item: housing-contract, gap_days: 400}}\n"
)
SECRETS = (
    "Housing Repairs Contract Award",
    "housing-contract",
    "Settlement of the Riverside Legal Claim",
    "legal-claim",
    "Draft Findings on Temporary Accommodation",
    "Housing Task and Finish Group",  # the informal panel
)


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


def _day(iso: str) -> str:
    year, month, day = iso.split("-")
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
            title = e.title
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
    assert 4 <= len(reader.pages) <= 12  # 14 meetings, 93 entries and four tables on A4
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
    assert titles == [e.title for m in plan.meetings for e in m.agenda]
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
    for fmt, shown in _versions(p, plan, "public").items():
        for secret in SECRETS:
            assert secret not in shown.replace("&#39;", "'"), f"{fmt}: {secret}"
        assert "Exempt item (Part 2)" in shown, fmt
        assert "(withheld: the reason names an exempt item)" in shown, fmt
        assert "Review of the Repairs Contract" in shown, fmt  # not exempt itself


def test_clerk_versions_show_everything(town: tuple[Programme, Plan]) -> None:
    p, plan = town
    for fmt, shown in _versions(p, plan, "clerk").items():
        shown = shown.replace("&#39;", "'")
        for needle in (
            "Housing Repairs Contract Award",
            "(Part 2, exempt)",
            "Housing Task and Finish Group",
            "R9 order",
        ):
            assert needle in shown, f"{fmt}: {needle}"


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
