"""Reruns cost only what changed, shared files carry no local path, and runs never overlap.

A job reruns when its notebook, its parameters, its inputs or the package code changed (its
fingerprint in the manifest); otherwise the published copy stands and the job is reported
``unchanged``. Two runs started at once never write into the reports folder together.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from runner_fixtures import write_run_file

from analysis import paths
from analysis.runner import cli, manifest, runfile, schedule

TWO_SETS = """jobs:
  - notebook: ok.ipynb
    name: ok
    parameter_sets:
      - {{label: first, n_points: {first}}}
      - {{label: second, n_points: 5}}
"""


def _statuses(run_file: Path, out: Path, **options: object) -> dict[str, str]:
    results = schedule.run_jobs(
        runfile.load_run_file(run_file), out, workers=1, progress=False, **options
    )
    return {r.name: r.status for r in results}


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_unchanged_jobs_are_not_rerun_and_one_changed_set_reruns_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "reports"
    run_file = write_run_file(tmp_path / "nb", TWO_SETS.format(first=4))
    first = _statuses(run_file, out)
    assert sorted(first.values()) == ["ok", "ok"]
    names = sorted(first)
    published = {name: _mtimes(out / name) for name in names}

    assert _statuses(run_file, out) == dict.fromkeys(names, "unchanged")
    assert {name: _mtimes(out / name) for name in names} == published  # nothing rewritten
    run = json.loads((out / manifest.MANIFEST).read_text())
    assert run["counts"]["unchanged"] == 2 and run["counts"]["ok"] == 0

    # one parameter set changes: only its job reruns
    run_file.write_text(TWO_SETS.format(first=6), encoding="utf-8")
    changed = _statuses(run_file, out)
    assert sorted(changed.values()) == ["ok", "unchanged"]
    rerun = next(name for name, status in changed.items() if status == "ok")
    assert json.loads((out / rerun / manifest.MANIFEST).read_text())["parameters"]["n_points"] == 6

    # the notebook's own text changes: both jobs use it, both rerun
    notebook = run_file.parent / "ok.ipynb"
    notebook.write_text(notebook.read_text().replace("Runs in about", "Runs in roughly"))
    assert sorted(_statuses(run_file, out).values()) == ["ok", "ok"]

    # a package file changes: everything reruns (a copy of the package stands in for it)
    package = tmp_path / "analysis"
    shutil.copytree(paths.PROJECT_ROOT / "analysis", package)
    monkeypatch.setattr(manifest, "PACKAGE", package)
    # content hashes, not times or places: an identical copy changes nothing
    assert sorted(_statuses(run_file, out).values()) == ["unchanged", "unchanged"]
    (package / "formatting.py").write_text((package / "formatting.py").read_text() + "\n# x\n")
    assert sorted(_statuses(run_file, out).values()) == ["ok", "ok"]

    assert sorted(_statuses(run_file, out, force=True).values()) == ["ok", "ok"]


def test_code_hash_follows_module_content_not_caches(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "sub" / "b.py").write_text("y = 2\n")
    before = manifest.code_hash(package)
    (package / "sub" / "__pycache__").mkdir()
    (package / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    (package / "notes.txt").write_text("not code")
    assert manifest.code_hash(package) == before
    (package / "sub" / "b.py").write_text("y = 3\n")
    assert manifest.code_hash(package) != before


def test_no_shared_file_contains_the_checkout_path_or_home(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    run_file = write_run_file(
        tmp_path / "nb", "jobs:\n  - notebook: ok.ipynb\n  - notebook: fails.ipynb\n"
    )
    # the ok notebook records sys.executable, which lives in the checkout's .venv
    assert cli.main(["run", str(run_file), "--reports-dir", str(out), "--no-progress"]) == 1
    local = {str(paths.PROJECT_ROOT), os.path.realpath(paths.PROJECT_ROOT), os.path.expanduser("~")}
    checked = 0
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in {".json", ".html", ".ipynb", ".txt"}:
            text = path.read_text(encoding="utf-8")
            checked += 1
            for prefix in local:
                assert prefix not in text, f"{path.relative_to(out)} contains {prefix}"
    assert checked >= 8
    executed = json.loads((out / "ok" / "ok.ipynb").read_text())
    assert executed["metadata"]["papermill"]["output_path"].endswith("ok/ok.ipynb")
    assert ".tmp-" not in executed["metadata"]["papermill"]["output_path"]


def _runner(run_file: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis.runner",
            "run",
            str(run_file),
            "--reports-dir",
            str(out),
            "--no-progress",
            "--workers",
            "1",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=paths.PROJECT_ROOT,
    )


def test_a_second_run_stops_or_waits_while_one_is_writing(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    pid_file = tmp_path / "kernel.pid"
    run_file = write_run_file(
        tmp_path / "nb",
        "jobs:\n  - notebook: sleeps.ipynb\n"
        f"    parameters: {{seconds: 8, pid_file: '{pid_file}'}}\n",
    )
    first = _runner(run_file, out)
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pid_file.exists(), "the first run never started its job"
        stopped = _runner(run_file, out)
        _, stderr = stopped.communicate(timeout=60)
        assert stopped.returncode == 3
        assert "another report run is writing" in stderr and "--wait" in stderr
        waiting = _runner(run_file, out, "--wait")
        time.sleep(1)
        assert waiting.poll() is None, "the waiting run did not wait"
        first_out, _ = first.communicate(timeout=120)
        waited_out, waited_err = waiting.communicate(timeout=120)
    finally:
        for process in (first,):
            if process.poll() is None:
                process.kill()
    assert first.returncode == 0 and "sleeps" in first_out
    assert waiting.returncode == 0 and "waiting for the other report run" in waited_err
    # it ran after the first had published, so it found the job unchanged
    assert "unchanged" in waited_out
    assert json.loads((out / "sleeps" / manifest.MANIFEST).read_text())["status"] == "ok"
    assert not [p for p in out.iterdir() if p.name.startswith((".tmp-", ".old-"))]
