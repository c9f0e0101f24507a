"""What every case of the corpus is made from: the case, the reference texts and the anchors
in them where damage is written (the Bromley programme, as YAML and as JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from scheduler.programme.source import MAX_BYTES

BROMLEY = Path(__file__).parents[2] / "data" / "bromley-ecf-2017-18.yaml"
#: The largest file the CLI and the service read; one case is a byte over it.
MAX_UPLOAD = MAX_BYTES


@dataclass(frozen=True)
class Case:
    """One programme file of the corpus.

    Attributes:
        name: the file's name, unique in the corpus; `.json` files are JSON, the rest YAML.
        text: the file's content: bytes where the point is bytes that are not UTF-8 text.
        kind: the sort of damage, for counting.
        refused: True where DESIGN §4 or the README says the file is bad input (exit 2, 422);
            False where a clean refusal and a valid programme are both acceptable answers.
    """

    name: str
    text: str | bytes
    kind: str
    refused: bool = True

    @property
    def data(self) -> bytes:
        """The file's bytes as written to disk and uploaded."""
        return self.text if isinstance(self.text, bytes) else self.text.encode("utf-8")

    @property
    def media_type(self) -> str:
        """The Content-Type an upload of the file carries."""
        return "application/json" if self.name.endswith(".json") else "application/yaml"


def _edit(text: str, *changes: tuple[str, str]) -> str:
    """`text` with the first occurrence of each `old` replaced by its `new`, in turn."""
    for old, new in changes:
        if old not in text:
            raise ValueError(f"{old!r} is not in the programme text")
        text = text.replace(old, new, 1)
    return text


def _after(text: str, anchor: str, added: str) -> str:
    """`text` with `added` written just after the first `anchor`."""
    return _edit(text, (anchor, anchor + added))


YAML = BROMLEY.read_text(encoding="utf-8")
JSON = json.dumps(yaml.safe_load(YAML), indent=2, default=str, ensure_ascii=False) + "\n"

# Places in the YAML text that the cases damage (each is asserted present by `_edit`).
SHORT = "      - 2017-10-17 "
MOVED = "{date: 2017-06-28, moved_from: 2017-06-27}"
DOE = "    name: Jane Bailey\n"
GIBBS = "    name: Philippa Gibbs\n"
WINDOW = "    window: 2017-06-01..2017-06-30"
PREFER = "    prefer: 2017-10-01..2017-10-31"
FY = 'financial_year_start: "04-01"'
BEFORE_FY = "\nfinancial_year_start:"
EVENT = "title: SEND five-year strategy published, date: 2018-01..2018-03}"
EVENT_DATE = "2018-01..2018-03"
EVENT_2 = "title: Local area SEND inspection (Ofsted and CQC), date: null}"
YEAR = "year: 2017-05-10..2018-05-15"
PIN = "    meeting: select-2017-06-27   # the first"
CAMHS = "  - id: camhs\n"
TITLE = "title: Education, Children & Families Work Programme 2017/18"
COUNCIL = "council: London Borough of Bromley"
SCRUTINY_MINUTES = "    minutes: 20              # assumption (kind default 30)"
BODY_MINUTES = "    minutes: 150\n"
LIMITS = "limits: {substantive: 1, short: 2}"
ROTATION = "rotation: {dce: 2, doe: 1, dcsc: 1}"
PER_MEETING = "    per_meeting: 1\n"
RELEASE = "    release_days: 60         # assumption, see above"
AFTER_EVENT = "after: {event: send-strategy-published, gap_days: 0}"
BPM_MEMBERS = "    members: [bennett, collins, reddin, dykes, wilkins, arbenser]"
EMAIL = "    email: philippa.gibbs@bromley.gov.uk"
SACRE = "  - id: sacre\n"
SACRE_MEETING = "      - 2017-12-06 "
SACRE_MEETINGS = "      - 2017-07-12           # Appendix 1 l.2214\n      - 2017-12-06           # Appendix 1 l.2239\n"
WITNESSES = "witnesses: [gamble, cattermolle, dce, dcsc]"
ITEMS = "\nitems:\n"

# The same places in the JSON text.
J_SHORT = '"2017-10-17",'
J_DATE = '"date": "2017-06-28"'
J_MOVED = '"moved_from": "2017-06-27"'
J_EVENT = '"date": null'
J_YEAR = '"year": "2017-05-10..2018-05-15"'
J_WINDOW = '"window": "2017-06-01..2017-06-30"'
J_PREFER = '"prefer": "2017-10-01..2017-10-31"'
J_PIN = '"meeting": "select-2017-06-27"'
J_FY = '"financial_year_start": "04-01"'
J_TITLE = '"title": "Education, Children & Families Work Programme 2017/18"'
J_ID = '"id": "bromley-ecf-2017-18",'
J_CAMHS = '"id": "camhs",'
J_SACRE = '"id": "sacre",'
J_MEMBERS = '"members": [],'
J_EMAIL = '"email": "philippa.gibbs@bromley.gov.uk"'
J_GIBBS = '"name": "Philippa Gibbs",'
J_MINUTES = '"minutes": 150,'
J_END = "\n}\n"

IMPOSSIBLE_DATES = ("2017-02-30", "2018-02-29", "2017-13-01", "2017-00-10")


def _cases(
    kind: str, ext: str, table: Mapping[str, str | bytes], refused: bool = True
) -> Iterator[Case]:
    """A case of `kind` for each (label, text) of `table`, named KIND.LABEL.EXT."""
    for label, text in table.items():
        yield Case(f"{kind}.{label}.{ext}", text, kind, refused)
