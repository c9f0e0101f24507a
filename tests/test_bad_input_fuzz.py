"""Random damage to the Bromley file: every run ends valid, or with exit 2 and located messages."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.cli import main
from tests.conftest import BROMLEY

RAW = yaml.safe_load(BROMLEY.read_text())
LOCATED = re.compile(r"^\S+?(:\d+)?: (\S.*: )?\S.*$")


def paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here] if here else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += paths(value, (*here, index))
    return out


ALL_PATHS = paths(RAW)
WRONG_VALUES = [None, 7, -1, "zz-missing", ["x"], {"x": 1}, True, "2017-13-45", "Not A Slug"]


def damaged(path: tuple[Any, ...], operation: str, value: Any) -> Any:
    import copy

    data = copy.deepcopy(RAW)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if operation == "drop":
        del parent[last]
    elif operation == "unknown-key":
        target = parent[last]
        if isinstance(target, dict):
            target["colour"] = "red"
        else:
            parent[last] = value
    else:
        parent[last] = value
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(ALL_PATHS),
    operation=st.sampled_from(["drop", "unknown-key", "replace"]),
    value=st.sampled_from(WRONG_VALUES),
)
def test_damaged_programme_is_valid_or_refused_cleanly(
    capsys: pytest.CaptureFixture[str], path: tuple[Any, ...], operation: str, value: Any
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "damaged.yaml"
        file.write_text(yaml.safe_dump(damaged(path, operation, value), sort_keys=False))
        code = main(["validate", str(file)])
        out, err = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert out == ""
        lines = err.splitlines()
        assert lines
        for line in lines:
            assert line.startswith(str(file)), line
            assert LOCATED.match(line), line
    else:
        assert err == ""
