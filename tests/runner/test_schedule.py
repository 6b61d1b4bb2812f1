"""Scheduling: a local process pool and a Dask cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from runner_fixtures import write_run_file

from analysis.results import read_results
from analysis.runner import runfile, schedule


def test_parallel_jobs_and_show_code(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path / "nb",
        "jobs:\n  - notebook: ok.ipynb\n"
        "    parameter_sets: [{label: a}, {label: b}, {label: c}, {label: d}]\n",
    )
    out = tmp_path / "reports"
    results = schedule.run_jobs(
        runfile.load_run_file(run_file), out, workers=2, show_code=True, progress=False
    )
    assert [r.status for r in results] == ["ok"] * 4, [r.error for r in results]
    labels = [read_results(Path(r.folder) / f"{r.name}.ipynb")["label"] for r in results]
    assert labels == ["a", "b", "c", "d"]
    html = (out / results[0].name / f"{results[0].name}.html").read_text()
    assert 'class="jp-CodeMirrorEditor' in html and "subplots" in html  # code kept with show_code


def test_dask_executor_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    run_file = write_run_file(
        tmp_path / "nb",
        "jobs:\n  - notebook: ok.ipynb\n    parameter_sets: [{label: x}, {label: y}]\n"
        "  - notebook: fails.ipynb\n",
    )
    jobs = runfile.load_run_file(run_file)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        results = schedule.run_jobs(
            jobs,
            tmp_path / "reports",
            executor="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    errors = {r.name: r.error for r in results}
    assert {r.name: r.status for r in results} == {
        "ok__label-x": "ok",
        "ok__label-y": "ok",
        "fails": "failed",
    }, errors
    html = (tmp_path / "reports" / "ok__label-x" / "ok__label-x.html").read_text()
    assert (
        'class="jp-CodeMirrorEditor' not in html and "subplots" not in html
    )  # code hidden by default
