"""A Word document read back with python-docx, as text: what a reader of it sees, in order.

Headings and paragraphs as `[Style] text`, tables as one `| cell | cell |` line per row (a merged
meeting row shows its text once). Used by the golden and the document tests.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph


def tables(data: bytes) -> list[list[list[str]]]:
    """Every table's rows, each row its distinct cells' text."""
    return [[_cells(row.cells) for row in t.rows] for t in docx.Document(io.BytesIO(data)).tables]


def _cells(cells: Sequence[_Cell]) -> list[str]:
    seen: set[int] = set()
    out: list[str] = []
    for cell in cells:
        if id(cell._tc) not in seen:  # a merged cell appears once per grid column
            seen.add(id(cell._tc))
            out.append(cell.text)
    return out


def text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(f"[{block.style.name if block.style else ''}] {block.text}")
        elif isinstance(block, Table):
            lines += ["| " + " | ".join(_cells(row.cells)) + " |" for row in block.rows]
    return "\n".join(lines) + "\n"
