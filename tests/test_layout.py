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

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scheduler"

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
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str:
    """`scheduler.solver.rules.r8_people` -> `solver`."""
    return module.split(".")[1]


def imports(path: Path, name: str | None = None) -> Iterator[tuple[str, ast.stmt, bool]]:
    """(module imported, the statement, whether at the module's top level) of every import.

    A relative import is resolved against the module's package, and `from package import name`
    counts as importing the submodule `package.name` when there is one. `name` is the module's
    dotted name (by default, from its path)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    package = (name or module_name(path)).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node, id(node) in top
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                yield (sub if sub in MODULES else module), node, id(node) in top


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
EDGES = {
    name: sorted({m for m, _, _ in imports(path) if m.startswith("scheduler")} - {name})
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
    """Only the `serve`, `admin` and `worker` verbs load the service, which the library does not need;
    only the verbs that solve load the solver (OR-Tools takes half a second to import)."""
    hidden = {
        (module_name(path), target)
        for path in MODULES.values()
        for target, _, at_top in imports(path)
        if target.startswith(("scheduler", "api")) and not at_top
    }
    assert hidden <= {
        ("scheduler.cli", "api.serve"),
        ("scheduler.cli", "api.settings"),
        ("scheduler.cli", "api.admin"),
        ("scheduler.cli", "api.worker"),
        ("scheduler.cli.plans", "scheduler.cli.solving"),
    }
    assert not [p for p in MODULES.values() if "TYPE_CHECKING" in p.read_text(encoding="utf-8")]


def test_the_library_never_imports_the_service() -> None:
    at_top = [
        f"{module_name(path)}:{node.lineno}"
        for path in MODULES.values()
        for target, node, top in imports(path)
        if target.split(".")[0] == "api" and top
    ]
    assert at_top == []


def test_the_clerks_pages_never_solve() -> None:
    """The web pages show plans and the programme as it stands; only a job solves."""
    pages = sorted((ROOT / "api" / "web").glob("*.py"))
    solving = [
        f"{path.name}: {target}"
        for path in pages
        for target, _, _ in imports(path)
        if target.startswith("scheduler.solver")
    ]
    assert pages and solving == []


@pytest.mark.parametrize(
    ("line", "seen"),
    [
        ("from scheduler import solver", "scheduler.solver"),
        ("from ..solver import build", "scheduler.solver.build"),
        ("from . import model", "scheduler.plan.model"),
        ("import scheduler.solver.expand", "scheduler.solver.expand"),
    ],
)
def test_every_form_of_import_is_an_arrow(tmp_path: Path, line: str, seen: str) -> None:
    """A module `scheduler.plan.probe` holding `line` imports `seen`."""
    probe = tmp_path / "probe.py"
    probe.write_text(line + "\n", encoding="utf-8")
    assert [m for m, _, _ in imports(probe, "scheduler.plan.probe")] == [seen]


def test_the_graph_is_read() -> None:
    """The checks above see real arrows (a broken walk would pass them all vacuously)."""
    assert "scheduler.programme.model" in EDGES["scheduler.programme.load"]
    assert "scheduler.solver.expand" in EDGES["scheduler.solver.build"]
    assert "scheduler.check" in EDGES["scheduler.verified"]
