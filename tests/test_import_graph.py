"""The apps build on each other in one direction: no app imports the shell (`web`), `lib`
imports no app, and no two apps import each other, directly or round about.

Imports under ``if TYPE_CHECKING:`` do not count: they never run, and a type annotation does
not make one app's behaviour depend on another's.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kring"
# The top of the building: they may import any app, and no app may import them.
TOP = {"web", "config", "cli", "demo"}
APPS = {"accounts", "audit", "workspaces", "people", "imports", "planner", "network", "clubs"}
APPS |= {"teams"}


def _runtime_imports(tree: ast.AST) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> the files that import it."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        package = parts[0]
        for module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            names = module.split(".")
            if names[0] == "kring" and len(names) > 1 and names[1] != package:
                graph[package][names[1]].append(str(path.relative_to(SRC)))
    return graph


def test_no_app_imports_the_shell_or_the_tools_above_it():
    graph = _graph()
    bad = {
        f"{package} -> {target}: {files}"
        for package in APPS | {"lib", "core"}
        for target, files in graph[package].items()
        if target in TOP
    }
    assert not bad, bad


def test_lib_and_core_import_no_app():
    graph = _graph()
    assert not set(graph["lib"]) - {"core"}, dict(graph["lib"])
    assert not set(graph["core"]), dict(graph["core"])


def test_no_two_apps_depend_on_each_other():
    graph = _graph()
    cycles = []
    for start in sorted(APPS):
        # Depth-first search for a way back to the start.
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, trail = stack.pop()
            for target in sorted(graph[node]):
                if target == start:
                    cycles.append(" -> ".join([*trail, target]))
                elif target in APPS and target not in seen:
                    seen.add(target)
                    stack.append((target, [*trail, target]))
    assert not cycles, "\n".join(sorted(set(cycles)))


def test_it_sees_an_import_the_apps_must_not_make(tmp_path):
    """The test itself can fail: a planted back-import is found, a type-only one is not."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from kring.web.views import dashboard\n"
        "if TYPE_CHECKING:\n    from kring.clubs.models import Meeting\n"
        "def f():\n    from kring.people import actions\n"
    )
    assert _runtime_imports(tree) == ["typing", "kring.web.views", "kring.people"]
