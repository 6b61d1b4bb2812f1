"""Manifests: inputs hashed, effective parameters and seeds recorded."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from runner_fixtures import write_run_file

from analysis import paths
from analysis.runner import manifest, runfile, schedule
from analysis.runner.manifest import DATA_SUBDIRS


def test_manifest_records_inputs_and_effective_parameters(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path / "nb", "jobs:\n  - notebook: ok.ipynb\n    parameters: {n_points: 5}\n"
    )
    out = tmp_path / "reports"
    schedule.run_jobs(runfile.load_run_file(run_file), out, workers=1, progress=False)
    recorded = json.loads((out / "ok" / "manifest.json").read_text())
    assert recorded["parameters"] == {"n_points": 5}
    assert recorded["effective_parameters"]["label"] == "default"
    assert recorded["seeds"] == {"seed": 7}
    hashed = recorded["inputs_sha256"]
    notebook_key = next(k for k in hashed if k.endswith("ok.ipynb"))
    assert (
        hashed[notebook_key]
        == hashlib.sha256((tmp_path / "nb" / "ok.ipynb").read_bytes()).hexdigest()
    )
    for sub in DATA_SUBDIRS:
        for file in (paths.data_dir() / sub).rglob("*"):
            if file.is_file():
                assert file.relative_to(paths.PROJECT_ROOT).as_posix() in hashed
    assert recorded["packages"]["papermill"]
    assert recorded["started_at"] <= recorded["finished_at"]
    assert os.path.basename(recorded["python_executable"]).startswith("python")


def test_sha256_matches_the_standard_test_vector(tmp_path: Path) -> None:
    file = tmp_path / "abc.txt"
    file.write_bytes(b"abc")  # FIPS 180-2 example
    assert manifest.sha256_file(file) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_input_files_include_events_path_and_data_dir(tmp_path: Path, data_copy: Path) -> None:
    events = tmp_path / "acled_export.csv"
    events.write_text("a,b\n1,2\n")
    found = manifest.input_files(
        tmp_path / "nb.ipynb", {"events_path": str(events), "data_dir": str(data_copy)}
    )
    assert events in found
    assert data_copy / "ucdp" / "ucdp_ged_myanmar_daily.csv" in found
    assert paths.data_dir() / "ucdp" / "ucdp_ged_myanmar_daily.csv" not in found


def test_localise_replaces_the_project_only_as_a_whole_path(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "review11"
    home = tmp_path / "home" / "al"
    for folder in (project, home, tmp_path / "home" / "alice"):
        folder.mkdir(parents=True)
    monkeypatch.setattr(paths, "PROJECT_ROOT", project)
    monkeypatch.setenv("HOME", str(home))
    sibling = f"{tmp_path}/review11_files/ethprio.csv"
    assert manifest.localise(sibling) == sibling
    assert manifest.localise(f"read {project}/data/x.csv, {project}.") == "read data/x.csv, .."
    assert manifest.localise(f'"cwd": "{project}"') == '"cwd": "."'
    assert manifest.localise(f"{project}.bak/x") == f"{project}.bak/x"
    assert manifest.localise(f"/mnt{project}/x") == f"/mnt{project}/x"
    assert manifest.localise(f"{home}/raw/ged.csv") == "~/raw/ged.csv"
    assert manifest.localise(f"{tmp_path}/home/alice/ged.csv") == f"{tmp_path}/home/alice/ged.csv"
