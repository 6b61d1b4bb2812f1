"""Run files: expansion into jobs, safe names, parameter sets and sweeps."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest
from runner_fixtures import write_run_file

from analysis import paths
from analysis.runner import parameters, runfile


def test_yaml_dates_stay_text(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path, "jobs:\n  - notebook: ok.ipynb\n    parameters: {label: 2021-02-01}\n"
    )
    (job,) = runfile.load_run_file(run_file)
    assert job.parameters == {"label": "2021-02-01"}


@pytest.mark.parametrize(
    "raw",
    ["../../etc/passwd", "/abs/path", "..", "a/../../b", "_failed", ".hidden", "  ", "é ü"],
)
def test_slugs_cannot_escape_the_reports_folder(raw: str, tmp_path: Path) -> None:
    slug = runfile.slugify(raw)
    assert slug and "/" not in slug and "\\" not in slug and ".." not in slug
    assert not slug.startswith((".", "_", "-"))
    assert (tmp_path / slug).resolve().parent == tmp_path.resolve()


def test_parameter_sets_and_names(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path,
        "jobs:\n"
        "  - notebook: ok.ipynb\n"
        "    parameters: {scale: 2.0}\n"
        "    parameter_sets: [{label: a}, {label: '../evil'}]\n",
    )
    jobs = runfile.load_run_file(run_file)
    assert [j.parameters for j in jobs] == [
        {"scale": 2.0, "label": "a"},
        {"scale": 2.0, "label": "../evil"},
    ]
    assert len({j.name for j in jobs}) == 2
    assert all("/" not in j.name and ".." not in j.name for j in jobs)


@pytest.mark.parametrize(
    ("where", "keep"),
    [
        ("{kind: bilateral}", lambda row: row["kind"] == "bilateral"),
        (
            "{kind: [bilateral, unilateral], declared_on: {max: '2021-06-30'}}",
            lambda row: (
                row["kind"] in ("bilateral", "unilateral")
                and "" < row["declared_on"] <= "2021-06-30"
            ),
        ),
    ],
)
def test_sweep_runs_once_per_matching_ceasefire(tmp_path: Path, where: str, keep: object) -> None:
    notebook = tmp_path / "per_ceasefire.ipynb"
    cell = nbformat.v4.new_code_cell('ceasefire_id = ""')
    cell.metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)
    run_file = tmp_path / "run.yml"
    run_file.write_text(
        "jobs:\n  - notebook: per_ceasefire.ipynb\n"
        f"    sweep: {{parameter: ceasefire_id, from: ceasefires, where: {where}}}\n"
    )
    # Expected rows straight from the CSV text (ISO dates compare as strings).
    with paths.curated_path("ceasefires.csv").open(newline="", encoding="utf-8") as handle:
        expected = [row["ceasefire_id"] for row in csv.DictReader(handle) if keep(row)]
    assert expected, "the curated table should contain matching ceasefires"
    jobs = runfile.load_run_file(run_file)
    assert [j.parameters["ceasefire_id"] for j in jobs] == expected
    assert len({j.name for j in jobs}) == len(jobs)


def test_duplicate_job_names_are_rejected(tmp_path: Path) -> None:
    run_file = write_run_file(tmp_path, "jobs:\n  - notebook: ok.ipynb\n  - notebook: ok.ipynb\n")
    with pytest.raises(parameters.RunFileError, match="unique"):
        runfile.load_run_file(run_file)
