"""The package's import contract: each stage imports only the stages below it.

documents -> RDF -> the queryable graph -> SPARQL -> the apps (checks,
ingest, visualize) -> the edges (web, CLI, bench). Every ``import`` counts,
also those inside functions (a lazy import is still a dependency), and no two
modules import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The stages from the bottom up; a module may import its own stage and those below.
LAYERS: list[tuple[str, ...]] = [
    ("kg", "kg.errors", "kg.resources", "kg.output"),
    ("kg.core",),
    ("kg.documents",),
    ("kg.rdf",),
    ("kg.graph",),
    ("kg.sparql",),
    ("kg.checks", "kg.ingest", "visualize"),
    ("kg.web", "kg.bench", "kg.cli", "kg.__main__"),
]


def layer_of(module: str) -> int:
    """The stage of a module: the layer of its longest listed prefix."""
    best, rank = -1, -1
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, rank = len(name), index
    if rank < 0:
        raise AssertionError(f"{module} is in no layer of the contract")
    return rank


def modules() -> dict[str, Path]:
    found = {}
    for top in ("kg", "visualize"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports(module: str, path: Path) -> set[str]:
    """Every kg or visualize module that ``module`` imports (resolving ``from . import``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            out.add(base)
            # ``from kg.graph import store`` imports the module kg.graph.store
            out.update(f"{base}.{alias.name}" for alias in node.names)
    known = modules()
    return {name for name in out if name in known and name != module}


MODULES = modules()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_stage(module: str) -> None:
    mine = layer_of(module)
    higher = sorted(name for name in imports(module, MODULES[module]) if layer_of(name) > mine)
    assert not higher, f"{module} (stage {mine}) imports higher stages: {higher}"


def _top_level_imports(module: str, path: Path) -> set[str]:
    """The imports executed when the module is imported (not those inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue  # for the type checker only
        for sub in (
            ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else ()
        ):
            if isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names)
            elif isinstance(sub, ast.ImportFrom) and sub.module and not sub.level:
                found.add(sub.module)
                found.update(f"{sub.module}.{a.name}" for a in sub.names)
    return {name for name in found if name in MODULES and name != module}


def test_no_import_cycles() -> None:
    import networkx as nx

    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        for name in _top_level_imports(module, path):
            # A package's __init__ is imported before its modules: an edge to it is not a cycle.
            if not module.startswith(name + "."):
                graph.add_edge(module, name)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"modules that import each other when loaded: {cycles[:5]}"


def test_every_module_is_in_a_stage() -> None:
    for module in MODULES:
        layer_of(module)
