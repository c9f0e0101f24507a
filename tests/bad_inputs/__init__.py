"""A corpus of bad programme files: the Bromley programme damaged at the text level.

Every case is the reference programme (`data/bromley-ecf-2017-18.yaml`, or the same programme
as JSON) with one kind of damage written into its text, so that what only exists in text
survives: YAML anchors and aliases, tags, complex keys, escapes in double-quoted strings,
duplicate JSON keys, bytes that are not UTF-8. Nothing is random: the same corpus every time.

`corpus()` lists the cases (a module of this package per sort of damage);
`tests/test_bad_input_corpus.py` runs each through the CLI and the service,
`python -m bench.bad_input` through the CLI in subprocesses with limits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from tests.bad_inputs.base import JSON, MAX_UPLOAD, YAML, Case
from tests.bad_inputs.dates import calendar_ends, impossible_dates, numbers
from tests.bad_inputs.files import files, unchanged
from tests.bad_inputs.names import classic_damage, duplicates_and_names
from tests.bad_inputs.text import characters, emails, structure, yaml_features

__all__ = ["JSON", "MAX_UPLOAD", "YAML", "Case", "corpus"]

GROUPS: tuple[Callable[[], Iterable[Case]], ...] = (
    unchanged,
    impossible_dates,
    structure,
    numbers,
    calendar_ends,
    characters,
    emails,
    duplicates_and_names,
    classic_damage,
    files,
    yaml_features,
)


@cache
def corpus() -> tuple[Case, ...]:
    """Every case, in a fixed order; names are unique."""
    cases = tuple(case for group in GROUPS for case in group())
    names = [case.name for case in cases]
    if len(set(names)) != len(names):
        raise ValueError(
            f"duplicate case names: {sorted({n for n in names if names.count(n) > 1})}"
        )
    return cases
