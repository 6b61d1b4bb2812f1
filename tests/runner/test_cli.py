"""The command line: exit codes and what runs (or does not) on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from runner_fixtures import write_run_file

from analysis import paths
from analysis.runner import cli


def test_bad_run_file_fails_before_anything_runs(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path,
        "jobs:\n"
        "  - notebook: ok.ipynb\n"
        "  - notebook: fails.ipynb\n    parameters: {fail: 'no'}\n"
        "  - notebook: missing.ipynb\n",
    )
    out = tmp_path / "reports"
    code = cli.main(["run", str(run_file), "--reports-dir", str(out), "--no-progress"])
    assert code == 2
    assert not out.exists()


def test_module_entry_point_checks_a_run_file(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path, "jobs:\n  - notebook: ok.ipynb\n    parameters: {label: '2021'}\n"
    )
    process = subprocess.run(
        [sys.executable, "-m", "analysis.runner", "check", str(run_file)],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == 'ok: ok.ipynb {"label": "2021"}'
