"""A stored programme is read again by libyaml (`parse_source(trusted=True)`, five times faster
on a council's file): it must mean exactly what PyYAML read when it was stored, for every file,
and where libyaml refuses a corner PyYAML reads, PyYAML reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings

from bench.generate import generate, to_yaml
from scheduler.programme.source import Source, parse_source
from tests.conftest import BROMLEY
from tests.strategies import Data, programme_data

FILES = [BROMLEY, *sorted((Path(__file__).parent / "data").glob("*.yaml"))]


def both(text: str) -> tuple[Source, Source]:
    slow, fast = parse_source(text, "f.yaml"), parse_source(text, "f.yaml", trusted=True)
    assert isinstance(slow, Source) and isinstance(fast, Source)
    return slow, fast


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_file_means_the_same_read_either_way(path: Path) -> None:
    slow, fast = both(path.read_text())
    assert fast.data == slow.data and fast.lines == slow.lines


def test_a_generated_council_means_the_same_read_either_way() -> None:
    slow, fast = both(to_yaml(generate(3)))
    assert fast.data == slow.data


@given(programme_data())
@settings(max_examples=40, deadline=None)
def test_random_programmes_mean_the_same_read_either_way(data: Data) -> None:
    slow, fast = both(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert fast.data == slow.data


@pytest.mark.parametrize("text", ["id: x\nitems: [{id: a, meeting:}]\n", "a: {b: 0o17, c: 1_0}\n"])
def test_what_libyaml_refuses_or_reads_otherwise_is_read_as_pyyaml_reads_it(text: str) -> None:
    slow, fast = both(text)
    assert fast.data == slow.data
