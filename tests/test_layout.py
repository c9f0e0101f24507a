"""The package reads as its pipeline (DESIGN §3): every import runs down the flow, none back up.

programme file -> validated model -> solver -> plan -> outputs. `programme` uses only the base;
`dates` uses `programme`; `plan` uses `programme` and `dates`; `solver` and `check` use those and
never each other; `outputs` uses all but `solver`; `verified` and `cli` sit on top. Every import
counts, also one inside a function or under `TYPE_CHECKING`: hiding a circle is still a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scheduler"

#: Each stage and the stages it may import (besides itself).
MAY_USE: dict[str, set[str]] = {
    "errors": set(),
    "files": set(),
    "programme": {"errors", "files"},
    "dates": {"errors", "files", "programme"},
    "plan": {"errors", "files", "programme", "dates"},
    "solver": {"errors", "files", "programme", "dates", "plan"},
    "check": {"errors", "files", "programme", "dates", "plan"},
    "outputs": {"errors", "files", "programme", "dates", "plan", "check"},
    "verified": {"errors", "files", "programme", "dates", "plan", "solver", "check"},
    "cli": {"errors", "files", "programme", "dates", "plan", "solver", "check", "outputs",
            "verified"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str:
    """`scheduler.solver.rules.r8_people` -> `solver`."""
    return module.split(".")[1]


def imports(path: Path) -> Iterator[tuple[str, ast.stmt, bool]]:
    """(module imported, the statement, whether at the module's top level) of every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node, id(node) in top
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, node, id(node) in top


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
EDGES = {
    name: sorted({m for m, _, _ in imports(path) if m.startswith("scheduler.")} - {name})
    for name, path in MODULES.items()
    if name != "scheduler"
}


def test_every_stage_is_known() -> None:
    """A new top-level module or package must be placed in the flow before it is used."""
    assert {stage(m) for m in EDGES} == set(MAY_USE)


@pytest.mark.parametrize("module", sorted(EDGES))
def test_imports_run_down_the_flow(module: str) -> None:
    here = stage(module)
    back = [m for m in EDGES[module] if stage(m) != here and stage(m) not in MAY_USE[here]]
    assert back == [], f"{module} reaches back up the pipeline"


def test_solver_and_check_never_import_each_other() -> None:
    """The checker restates the rules so that it does not share the solver's bugs."""
    crossing = [
        (m, other)
        for m, targets in EDGES.items()
        for other in targets
        if {stage(m), stage(other)} == {"solver", "check"}
    ]
    assert crossing == []


def test_no_import_circle() -> None:
    """Tarjan's strongly connected components over every scheduler module: all of size one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in EDGES.get(node, []):
            if target not in EDGES:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            component.append(node)
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(EDGES):
        if node not in index:
            visit(node)
    assert circles == []


def test_no_import_hidden_inside_a_function_or_type_checking() -> None:
    """Only the `serve` verb loads the service, which the library does not need."""
    hidden = {
        (module_name(path), target)
        for path in MODULES.values()
        for target, _, at_top in imports(path)
        if target.startswith(("scheduler", "api")) and not at_top
    }
    assert hidden <= {("scheduler.cli", "api.serve"), ("scheduler.cli", "api.settings")}
    assert not [p for p in MODULES.values() if "TYPE_CHECKING" in p.read_text(encoding="utf-8")]


def test_the_library_never_imports_the_service() -> None:
    at_top = [
        f"{module_name(path)}:{node.lineno}"
        for path in MODULES.values()
        for target, node, top in imports(path)
        if target.split(".")[0] == "api" and top
    ]
    assert at_top == []


def test_the_graph_is_read() -> None:
    """The checks above see real arrows (a broken walk would pass them all vacuously)."""
    assert "scheduler.programme.model" in EDGES["scheduler.programme.load"]
    assert "scheduler.solver.expand" in EDGES["scheduler.solver.build"]
    assert "scheduler.check" in EDGES["scheduler.verified"]
