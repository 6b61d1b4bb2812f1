"""The helper package keeps its shape: layers that import one way, small modules, the runner apart.

The rules are read off the source with ``ast`` (module-level and in-function imports alike), so
an import hidden inside a function counts as much as one at the top of a file.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from analysis import paths

PACKAGE = paths.PROJECT_ROOT / "analysis"
NOTEBOOKS = paths.PROJECT_ROOT / "notebooks"

LAYERS: dict[str, int] = {
    # base: no analysis imports beyond this layer
    "analysis.paths": 0,
    "analysis.contract": 0,
    "analysis.contract_base": 0,
    "analysis.status": 0,
    "analysis.formatting": 0,
    "analysis.results": 0,
    # events and panels
    "analysis.events": 2,
    "analysis.panel": 2,
    # ceasefire windows and the ceasefire table
    "analysis.windows": 3,
    "analysis.ceasefire_table": 3,
    # estimators
    "analysis.ewc": 4,
    "analysis.batch": 4,
    "analysis.pooling": 4,
    "analysis.placebo": 4,
    "analysis.placebo_forecast": 4,
    "analysis.effects": 4,
    "analysis.time_series": 4,
    "analysis.simulate": 4,
    "analysis.timing": 4,
    "analysis.alignment": 4,
    "analysis.did": 4,
    "analysis.survival": 4,
    "analysis.reported": 4,
    "analysis.reported_pairs": 4,
    "analysis.sensitivity": 4,
    "analysis.all_ceasefires": 4,
    "analysis.all_ceasefires_groups": 4,
    "analysis.all_ceasefires_primary": 4,
    "analysis.counterfactual": 4,
    "analysis.alignment_all": 4,
    # tables and plots
    "analysis.tables": 5,
    "analysis.plots": 5,
    "analysis.plots_all": 5,
    "analysis.plots_forest": 5,
    "analysis.plots_survival": 5,
    "analysis.style": 5,
    "analysis.audit": 5,
    "analysis.finding_base": 5,
    "analysis.findings": 5,
    "analysis.findings_reported": 5,
}
"""Rank of each module; a module may import only modules of its own rank or lower."""
SOURCES_RANK = 1
RUNNER_RANK = 9
MAX_FUNCTION_IMPORTS = 8
MAX_MODULE_LINES = 700


def module_name(path: Path) -> str:
    parts = path.relative_to(paths.PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rank(module: str) -> int:
    if module.startswith("analysis.runner"):
        return RUNNER_RANK
    if module.startswith("analysis.tables"):
        return LAYERS["analysis.tables"]
    if module.startswith("analysis.sources"):
        return SOURCES_RANK
    return LAYERS[module]


def imported_modules(node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The analysis modules one import statement brings in (``from analysis import x`` too)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    base = node.module or ""
    found = {f"{base}.{alias.name}" for alias in node.names} & known
    return found or ({base} & known)


def package_imports() -> tuple[dict[str, set[str]], dict[str, list[str]], dict[str, int]]:
    """Per module: analysis modules imported, in-function imports, and its line count."""
    files = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(path) for path in files}
    graph: dict[str, set[str]] = {}
    inner: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    for path in files:
        name = module_name(path)
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        lines[name] = len(text.splitlines())
        graph[name] = set()
        inner[name] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[name] |= imported_modules(node, known) - {name}
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        inner[name].append(ast.unparse(node))
    return graph, inner, lines


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_cycle_finder_finds_a_planted_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_import_graph_has_no_cycle() -> None:
    graph, _, _ = package_imports()
    assert find_cycle(graph) is None


def test_every_module_has_a_layer() -> None:
    graph, _, _ = package_imports()
    unplaced = [
        m
        for m in graph
        if m != "analysis"
        and not m.startswith(("analysis.runner", "analysis.sources", "analysis.tables."))
        and m not in LAYERS
    ]
    assert unplaced == [], "add new modules to LAYERS in tests/test_layers.py"


def test_imports_run_one_way() -> None:
    graph, _, _ = package_imports()
    upward = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module != "analysis"
        for target in targets
        if target != "analysis" and rank(target) > rank(module)
    ]
    assert upward == []


def test_runner_is_imported_by_nothing_else() -> None:
    graph, _, _ = package_imports()
    users = [
        module
        for module, targets in graph.items()
        if not module.startswith("analysis.runner")
        and any(t.startswith("analysis.runner") for t in targets)
    ]
    assert users == []


def test_sources_use_no_private_names_of_other_sources() -> None:
    offending = []
    for path in sorted((PACKAGE / "sources").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis"):
                offending += [
                    f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")
                ]
    assert offending == []


def test_few_imports_inside_functions() -> None:
    _, inner, _ = package_imports()
    found = [f"{module}: {line}" for module, lines in inner.items() for line in lines]
    assert len(found) <= MAX_FUNCTION_IMPORTS, found


def test_no_module_is_too_long() -> None:
    _, _, lines = package_imports()
    assert {m: n for m, n in lines.items() if n > MAX_MODULE_LINES} == {}


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_call_the_package_without_the_runner(notebook: Path) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    tree = ast.parse(code)
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    names = {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert not any("runner" in name for name in imported | names)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.Lambda)]
    # "x or None" hands a function what it already accepts: "" means empty everywhere
    assert " or None" not in code
