"""The layering of the code, checked from its imports (``ast``: module-level and function-level alike).

- the api's subpackages (``api.gateway``, ``api.helpdesk``, ...) import each other without cycles,
  so each can be read, tested and replaced from the bottom up (a lower package never needs a higher one);
- the app is not its tools: ``api`` imports nothing from tests, bench, the evaluation tools or the actions;
- the actions talk to the api over HTTP only: ``actions`` imports nothing from ``api`` or tests;
- routers are the top: ``api.routers`` is imported only by ``api.main`` (and by routers);
- models are the bottom: ``api/*/models.py`` and ``api/db.py`` import no service or router, only
  ``api.db``, ``api.clock``, ``api.settings``, ``api.errors`` and other model modules;
- ``ops`` (start-up helpers shared by the launcher and the tests) imports nothing from api, actions, tests;
- ``bench`` imports nothing from tests;
- one clock: ``utcnow`` comes from ``api.clock`` only.

A failure lists the offending imports as ``file:line importer -> imported``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL_MODULE_MAY_IMPORT = ("api.db", "api.clock", "api.settings", "api.errors")
# Imports known to close a cycle, each with what removes it; ``test_known_cycle_edges_are_gone`` fails
# (strict xfail) the day one disappears, so the entry is then deleted here.


@dataclass(frozen=True)
class Edge:
    source: str  # the importing module, e.g. api.gateway.service
    target: str  # the imported name, e.g. api.helpdesk.queue.enqueue
    where: str  # file:line

    def __str__(self) -> str:
        return f"{self.where} {self.source} -> {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> list[Edge]:
    """Every import in the file, at any depth (``import x.y``, ``from x import y``, relative ones resolved)."""
    source = module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    where = lambda node: f"{path.relative_to(ROOT)}:{node.lineno}"  # noqa: E731
    edges = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            edges += [Edge(source, alias.name, where(node)) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from api.helpdesk import queue`` imports the module api.helpdesk.queue: name it so.
            edges += [Edge(source, f"{module}.{alias.name}", where(node)) for alias in node.names]
    return edges


def edges_under(folder: str) -> list[Edge]:
    return [edge for path in sorted((ROOT / folder).rglob("*.py")) for edge in imports_of(path)]


def within(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def api_subpackages() -> list[str]:
    return sorted(f"api.{p.parent.name}" for p in (ROOT / "api").glob("*/__init__.py"))


def subpackage_of(name: str, subpackages: list[str]) -> str | None:
    return next((package for package in subpackages if within(name, package)), None)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def report(title: str, edges: list[Edge]) -> str:
    return title + "\n" + "\n".join(f"  {edge}" for edge in sorted(edges, key=str))


def package_edges() -> dict[tuple[str, str], list[Edge]]:
    """(importing subpackage, imported subpackage) -> the imports behind that edge."""
    subpackages = api_subpackages()
    between: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in edges_under("api"):
        source, target = subpackage_of(edge.source, subpackages), subpackage_of(edge.target, subpackages)
        if source and target and source != target:
            between[(source, target)].append(edge)
    return between


def test_api_subpackages_import_each_other_without_cycles():
    subpackages = api_subpackages()
    between = package_edges()
    graph: dict[str, set[str]] = {package: set() for package in subpackages}
    for source, target in between:
        graph[source].add(target)
    problems = []
    for component in cycles(graph):
        lines = [f"import cycle between {', '.join(component)}; its package edges (a few imports each):"]
        for (source, target), edges in sorted(between.items()):
            if source in component and target in component:
                shown = sorted(edges, key=str)[:3]
                more = f" (+{len(edges) - len(shown)} more)" if len(edges) > len(shown) else ""
                lines.append(f"  {source} -> {target}: {len(edges)} imports{more}")
                lines += [f"      {edge}" for edge in shown]
        problems.append("\n".join(lines))
    assert not problems, "\n\n".join(problems)


def test_the_app_imports_none_of_its_tools():
    offending = [edge for edge in edges_under("api") if within(edge.target, "tests", "bench", "evaluation", "actions")]
    assert not offending, report("api imports tests, bench, evaluation tools or actions:", offending)


def test_the_actions_reach_the_api_over_http_only():
    offending = [edge for edge in edges_under("actions") if within(edge.target, "api", "tests")]
    assert not offending, report("actions import api or tests:", offending)


def test_only_the_app_includes_the_routers():
    offending = [
        edge
        for edge in edges_under("api")
        if within(edge.target, "api.routers") and not within(edge.source, "api.main", "api.routers")
    ]
    assert not offending, report("api.routers imported outside api.main:", offending)


def test_models_import_no_service_or_router():
    model_modules = [path for path in sorted((ROOT / "api").glob("*/models.py"))] + [ROOT / "api" / "db.py"]
    offending = [
        edge
        for path in model_modules
        for edge in imports_of(path)
        if within(edge.target, "api")
        and not within(edge.target, *MODEL_MODULE_MAY_IMPORT)
        and edge.target.split(".")[2:3] != ["models"]
    ]
    assert not offending, report("model modules import services or routers:", offending)


def test_one_clock():
    """``utcnow`` is api.clock's: taking it from a model module would make every layer depend on the gateway."""
    offending = [
        edge
        for folder in ("api", "tests", "bench", "ops", "evaluation")
        for edge in edges_under(folder)
        if edge.target.endswith(".utcnow") and edge.target != "api.clock.utcnow"
    ]
    assert not offending, report("utcnow imported from elsewhere than api.clock:", offending)


def test_ops_imports_nothing_of_the_app_or_the_tests():
    offending = [edge for edge in edges_under("ops") if within(edge.target, "api", "actions", "tests")]
    assert not offending, report("ops imports api, actions or tests:", offending)


def test_bench_imports_nothing_from_the_tests():
    offending = [edge for edge in edges_under("bench") if within(edge.target, "tests")]
    assert not offending, report("bench imports tests:", offending)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_cycle_finder_itself(graph, expected):
    assert cycles(graph) == expected
