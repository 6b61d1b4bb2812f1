"""Every function a notebook calls has numpydoc ``Parameters`` and ``Returns`` sections.

The calls are read from the code cells of ``notebooks/*.ipynb`` with :mod:`ast`: names bound by
``from analysis[.sub] import x [as y]`` are resolved to the module or function they name, and
every ``y.f(...)`` (y a module) or ``y(...)`` (y a function) is collected.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
PACKAGE = "analysis"


def _code(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    sources = ("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    # IPython magics and shell escapes are not Python
    return "\n".join(
        line
        for text in sources
        for line in text.splitlines()
        if not line.lstrip().startswith(("%", "!"))
    )


def called_functions(source: str) -> set[str]:
    """Dotted names (``module.function``) of the package functions ``source`` calls."""
    tree = ast.parse(source)
    bound: dict[str, object] = {}  # local name -> module or function of the package
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE:
            for alias in node.names:
                module = importlib.import_module(node.module)
                target = getattr(module, alias.name, None)
                if target is None:  # a submodule not yet imported by its package
                    target = importlib.import_module(f"{node.module}.{alias.name}")
                bound[alias.asname or alias.name] = target
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = bound.get(func.value.id)
            if isinstance(owner, ModuleType) and inspect.isfunction(
                getattr(owner, func.attr, None)
            ):
                found.add(f"{owner.__name__}.{func.attr}")
        elif isinstance(func, ast.Name) and inspect.isfunction(bound.get(func.id)):
            found.add(f"{bound[func.id].__module__}.{func.id}")
    return found


def _function(dotted: str) -> object:
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _has_section(doc: str, title: str) -> bool:
    return re.search(rf"^{title}\n-{{{len(title)}}}\s*$", doc, flags=re.MULTILINE) is not None


NOTEBOOK_CALLS = sorted(set().union(*(called_functions(_code(nb)) for nb in NOTEBOOKS)))


def test_collector_finds_planted_calls() -> None:
    source = (
        "from analysis import windows as w, tables\n"
        "from analysis.formatting import report_table\n"
        "w.window_table(frame)\n"
        "report_table(tables.batch_table(x))\n"
        "frame.window_table()\n"
    )
    assert called_functions(source) == {
        "analysis.windows.window_table",
        "analysis.tables.batch_table",
        "analysis.formatting.report_table",
    }
    assert len(NOTEBOOK_CALLS) > 50


@pytest.mark.parametrize("dotted", NOTEBOOK_CALLS)
def test_notebook_function_has_numpydoc_sections(dotted: str) -> None:
    doc = inspect.getdoc(_function(dotted)) or ""
    missing = [title for title in ("Parameters", "Returns") if not _has_section(doc, title)]
    assert not missing, f"{dotted} has no numpydoc {' or '.join(missing)} section"
