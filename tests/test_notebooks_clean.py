"""Committed notebooks: no outputs, a tagged parameters cell, and no logic of their own."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from analysis import paths

NOTEBOOKS = sorted((paths.PROJECT_ROOT / "notebooks").glob("*.ipynb"))
FORBIDDEN_NODES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.For,
    ast.While,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.GeneratorExp,
)


def logic_in_notebook(path: Path) -> list[str]:
    """Describe every function definition or loop in a notebook's code cells."""
    found = []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, FORBIDDEN_NODES):
                found.append(f"cell {number}: {type(node).__name__} at line {node.lineno}")
    return found


def stored_outputs(path: Path) -> list[int]:
    """Indices of code cells that carry outputs or execution counts."""
    cells = nbformat.read(path, as_version=4).cells
    return [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]


def test_there_are_notebooks() -> None:
    assert any(p.name.startswith("01_") for p in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(notebook: Path) -> None:
    assert stored_outputs(notebook) == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_has_one_tagged_parameters_cell(notebook: Path) -> None:
    cells = nbformat.read(notebook, as_version=4).cells
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_no_function_definitions_or_loops(notebook: Path) -> None:
    assert logic_in_notebook(notebook) == []


def test_checkers_catch_outputs_and_loops(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("def f():\n    pass\nfor x in []:\n    f()")]
    )
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", text="hi")]
    notebook.cells[0].execution_count = 3
    path = tmp_path / "bad.ipynb"
    nbformat.write(notebook, path)
    assert stored_outputs(path) == [0]
    assert [entry.split(":")[1].split()[0] for entry in logic_in_notebook(path)] == [
        "FunctionDef",
        "For",
    ]


def parameters_papermill_sees(path: Path) -> dict[str, str]:
    """Parameter name -> inferred type, as papermill parses the parameters cell."""
    import papermill as pm

    return {name: p["inferred_type_name"] for name, p in pm.inspect_notebook(str(path)).items()}


def parameters_assigned(path: Path) -> set[str]:
    cells = nbformat.read(path, as_version=4).cells
    source = next(c.source for c in cells if "parameters" in c.metadata.get("tags", []))
    return {
        node.target.id if isinstance(node, ast.AnnAssign) else node.targets[0].id
        for node in ast.parse(source).body
        if isinstance(node, ast.AnnAssign | ast.Assign)
    }


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_parses_every_parameter_with_a_type(notebook: Path) -> None:
    # A comment papermill cannot parse silently hides the parameter (it is then injected as
    # "unknown"), and an unannotated one is typed 'None', so the runner cannot check values.
    seen = parameters_papermill_sees(notebook)
    assert set(seen) == parameters_assigned(notebook)
    assert [name for name, kind in seen.items() if kind == "None"] == []


def test_parameter_check_notices_an_unparseable_comment(tmp_path: Path) -> None:
    cell = nbformat.v4.new_code_cell('a: int = 1  # fine\nb: str = ""  # say "x" = y')
    cell.metadata["tags"] = ["parameters"]
    path = tmp_path / "params.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    nbformat.write(notebook, path)
    assert set(parameters_papermill_sees(path)) != parameters_assigned(path)
