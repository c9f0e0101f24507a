"""The formats the outputs are written in, by name: what the CLI offers without loading the
writers (python-docx among them)."""

from __future__ import annotations

#: The work programme document (`outputs.report`).
DOCUMENT_FORMATS = ("md", "html", "docx")
#: The table of every meeting's deadlines (`outputs.deadline_table`).
DEADLINE_FORMATS = ("csv", "json", "table")
#: The plan as data for other systems (`cli.exports`): open data, and agendas for Modern.gov.
EXPORT_FORMATS = ("ocd-events", "popolo", "moderngov-csv")
