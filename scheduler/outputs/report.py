"""The work-programme document that clerks circulate, as Markdown, HTML or Word (issue 7).

The content is `outputs.document`'s, decided once for an audience; this module only lays it
out. Markdown and HTML come from the Jinja2 templates in `outputs/templates/`. Word comes from
python-docx, with real headings and one table in the layout of seed 000's Appendix 1: a shaded
row per meeting (body, date, deadlines), then its items and their status.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from functools import cache

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell, _Row
from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from scheduler.outputs.document import Audience, Document, document
from scheduler.outputs.formats import DOCUMENT_FORMATS
from scheduler.plan.model import Plan
from scheduler.programme.model import Programme

FORMATS = DOCUMENT_FORMATS
_EPOCH = dt.datetime(2000, 1, 1)  # the Word core properties' dates: fixed, for stable bytes


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    """Text that Markdown shows as it is, on one line (a table cell or a heading)."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


@cache
def _template(name: str) -> Template:
    env = Environment(
        loader=PackageLoader("scheduler.outputs", "templates"),
        autoescape=name.endswith(".html.j2"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _md
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
        if d.notice:
            out.add_paragraph().add_run(d.notice).bold = True
        out.add_paragraph(f"{d.council}. {d.summary}")
        out.add_heading("Work Programme", level=1)
        table = self.table(["Item", "Status"], widths=(Cm(12.5), Cm(4)))
        for s in d.sittings:
            heading = _merged(table.add_row())
            _shade(heading, "E7E6E6")
            heading.paragraphs[0].add_run(s.heading).bold = True
            if s.deadlines:
                small = heading.add_paragraph().add_run("; ".join(s.deadlines))
                small.font.size = Pt(8)
            for paragraph in heading.paragraphs:  # the meeting's row stays with its first item
                paragraph.paragraph_format.keep_with_next = True
            for heading_text, rows in s.groups:
                if heading_text:  # the council's own agenda heading
                    cell = _merged(table.add_row())
                    cell.paragraphs[0].add_run(heading_text).bold = True
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
                for r in rows:
                    cells = self.row(table, [r.item, r.status], widths=(Cm(12.5), Cm(4)))
                    for note in r.notes:  # who else is invited, its history: under the item
                        cells[0].add_paragraph().add_run(note).font.size = Pt(8)
        for v in d.visits:
            if v is d.visits[0]:
                out.add_heading("Visits and events", level=1)
            out.add_heading(v.body, level=2)
            table = self.table(["Event", "Date", "Also attending"], (Cm(7), Cm(5), Cm(4.5)))
            for x in v.visits:
                self.row(table, [x.title, x.day, x.attending], (Cm(7), Cm(5), Cm(4.5)))
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
            (Cm(6.5), Cm(3), Cm(5), Cm(2)),
        )
        self.section(
            "Not placed",
            ["Item", "Why"],
            [[x.item, x.reasons] for x in d.unplaced],
            (Cm(6), Cm(10.5)),
        )
        for title, listed in (
            ("Carried forward to next year", d.carried_forward),
            ("Suggested topics (if required)", d.suggested),
        ):
            self.section(
                title,
                ["Item", "Body", "Note"],
                [[x.item, x.body, x.text] for x in listed],
                (Cm(6.5), Cm(5), Cm(5)),
            )
        for table in out.tables:
            for row in table.rows:
                _flag(row, "w:cantSplit")  # a row is never split across two pages
        buffer = io.BytesIO()
        out.save(buffer)
        return _stable(buffer.getvalue())

    def table(self, header: list[str], widths: tuple[Length, ...] = ()) -> Table:
        table = self.out.add_table(rows=0, cols=len(header))
        table.style = "Table Grid"
        if widths:  # the grid (LibreOffice reads it) and each cell (Word reads those)
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = width
        for cell in self.row(table, header, widths):
            cell.paragraphs[0].runs[0].bold = True
        _flag(table.rows[0], "w:tblHeader")  # repeated at the top of every page
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


def _flag(row: _Row, name: str) -> None:
    """Set a true/false property of a table row (w:tblHeader, w:cantSplit)."""
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _merged(row: _Row) -> _Cell:
    """A new row's cells made one cell across it, in the XML `_Cell.merge` writes (the cells are
    empty, so no content moves). python-docx's merge searches the whole table for the row's
    index, several times per merge: one heading per meeting made a council's document quadratic
    in its rows (15 of its 20 seconds, for 500 meetings)."""
    first, *others = row._tr.tc_lst
    for other in others:
        if first.width and other.width:
            first.width = Length(first.width + other.width)
        first.grid_span += other.grid_span
        row._tr.remove(other)
    return row.cells[0]


def _stable(docx_bytes: bytes) -> bytes:
    """The same .docx with every zip entry dated 1 January 2000: python-docx stamps the clock."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():  # in the library's order: [Content_Types].xml first
            fixed = zipfile.ZipInfo(entry.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
