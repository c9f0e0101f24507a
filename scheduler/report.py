"""The work-programme document that clerks circulate, as Markdown, HTML or Word (issue 7).

The content is `scheduler.document`'s, decided once for an audience; this module only lays it
out. Markdown and HTML come from the Jinja2 templates in `scheduler/templates/`. Word comes from
python-docx, with real headings and one table in the layout of seed 000's Appendix 1: a shaded
row per meeting (body, date, deadlines), then its items and their status.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from functools import cache

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell, _Row
from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from scheduler.document import Audience, Document, document
from scheduler.model import Programme
from scheduler.plan import Plan

FORMATS = ("md", "html", "docx")
_EPOCH = dt.datetime(2000, 1, 1)  # the Word core properties' dates: fixed, for stable bytes


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


@cache
def _template(name: str) -> Template:
    env = Environment(
        loader=PackageLoader("scheduler", "templates"),
        autoescape=name.endswith(".html.j2"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = _cell
    return env.get_template(name)


def markdown(p: Programme, plan: Plan, audience: Audience = "clerk") -> str:
    """The work programme as Markdown (what `scrutiny solve --markdown` writes too)."""
    return _template("work_programme.md.j2").render(d=document(p, plan, audience))


def html(p: Programme, plan: Plan, audience: Audience = "clerk") -> str:
    """The work programme as one printable HTML page."""
    return _template("work_programme.html.j2").render(d=document(p, plan, audience))


def word(p: Programme, plan: Plan, audience: Audience = "clerk") -> bytes:
    """The work programme as a Word document (.docx)."""
    return _Word(document(p, plan, audience)).render()


RENDERERS: dict[str, Callable[[Programme, Plan, Audience], str | bytes]] = {
    "md": markdown,
    "html": html,
    "docx": word,
}


class _Word:
    def __init__(self, d: Document) -> None:
        self.d, self.out = d, docx.Document()
        props = self.out.core_properties
        props.title, props.author, props.comments = d.title, d.council, d.summary
        props.created = props.modified = props.last_printed = _EPOCH
        props.revision = 1

    def render(self) -> bytes:
        d, out = self.d, self.out
        out.add_heading(d.title, level=0)
        out.add_paragraph(f"{d.council}. {d.summary}")
        out.add_heading("Work Programme", level=1)
        table = self.table(["Item", "Status"], widths=(Cm(12.5), Cm(4)))
        for s in d.sittings:
            row = table.add_row()
            heading = row.cells[0].merge(row.cells[1])
            _shade(heading, "E7E6E6")
            paragraph = heading.paragraphs[0]
            paragraph.add_run(s.heading).bold = True
            if s.deadlines:
                small = heading.add_paragraph().add_run("; ".join(s.deadlines))
                small.font.size = Pt(8)
            for r in s.rows:
                self.row(table, [r.item, r.status], widths=(Cm(12.5), Cm(4)))
        self.section(
            "Delegated items",
            ["Item", "Delegated by", "Taken by", "Meetings"],
            [[x.item, x.by, x.to, x.where] for x in d.delegations],
            (Cm(6), Cm(3.5), Cm(3.5), Cm(3.5)),
        )
        self.section(
            "Scrutiny rotation",
            ["Officer", "Set frequency", "Meetings", "Placed"],
            [[x.officer, x.frequency, x.meetings, x.kept] for x in d.rotations],
            (Cm(7), Cm(2.5), Cm(5), Cm(2)),
        )
        self.section(
            "Not placed",
            ["Item", "Why"],
            [[x.item, x.reasons] for x in d.unplaced],
            (Cm(6), Cm(10.5)),
        )
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()

    def table(self, header: list[str], widths: tuple[Length, ...] = ()) -> Table:
        table = self.out.add_table(rows=0, cols=len(header))
        table.style = "Table Grid"
        if widths:  # the grid (LibreOffice reads it) and each cell (Word reads those)
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = width
        for cell in self.row(table, header, widths):
            cell.paragraphs[0].runs[0].bold = True
        _repeat_as_header(table.rows[0])
        return table

    def row(self, table: Table, values: list[str], widths: tuple[Length, ...] = ()) -> list[_Cell]:
        cells = list(table.add_row().cells)
        for n, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = text
            if widths:
                cell.width = widths[n]
        return cells

    def section(
        self, title: str, header: list[str], rows: list[list[str]], widths: tuple[Length, ...]
    ) -> None:
        if not rows:
            return
        self.out.add_heading(title, level=1)
        table = self.table(header, widths)
        for values in rows:
            self.row(table, values, widths)


def _repeat_as_header(row: _Row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
