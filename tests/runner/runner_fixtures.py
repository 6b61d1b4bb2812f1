"""Shared inputs for the runner tests: fixture notebooks, run files, executed notebooks.

Fixture notebooks live in tests/fixtures/notebooks: ``ok`` (draws a figure and records
its kernel's interpreter and transport), ``fails`` (raises unless ``fail=False``) and
``sleeps`` (never finishes unless told).
"""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import nbformat
from PIL import Image

from analysis.results import RESULTS_MIME

FIXTURES = Path(__file__).parent.parent / "fixtures" / "notebooks"
OK = FIXTURES / "ok.ipynb"
FAILS = FIXTURES / "fails.ipynb"
SLEEPS = FIXTURES / "sleeps.ipynb"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def write_run_file(folder: Path, text: str) -> Path:
    """A run file next to copies of the fixture notebooks (paths are relative to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in (OK, FAILS, SLEEPS):
        shutil.copy(notebook, folder / notebook.name)
    run_file = folder / "run.yml"
    run_file.write_text(text, encoding="utf-8")
    return run_file


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def executed_notebook(results: dict, png: bytes | None = None) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: a title, a figure output, recorded results."""
    figure = nbformat.v4.new_code_cell("plt.show()", execution_count=1)
    if png is not None:
        figure.outputs = [
            nbformat.v4.new_output(
                "display_data",
                data={"image/png": base64.b64encode(png).decode(), "text/plain": "fig"},
            )
        ]
    record = nbformat.v4.new_code_cell("record(...)", execution_count=2)
    record.outputs = [
        nbformat.v4.new_output("display_data", data={RESULTS_MIME: results, "text/plain": "r"})
    ]
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Intro text\n\n## Ceasefire report: Rakhine\n\nmore"),
            figure,
            record,
        ]
    )
