"""Executing one job: failures isolated, last good copy kept, hung kernels killed."""

from __future__ import annotations

import json
import time
from pathlib import Path

from factories import process_alive
from runner_fixtures import write_run_file

from analysis.runner import cli, publish, runfile, schedule


def test_failure_is_isolated_and_last_good_copy_survives(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    first = write_run_file(
        tmp_path / "a",
        "jobs:\n  - notebook: fails.ipynb\n    parameters: {fail: false}\n",
    )
    assert cli.main(["run", str(first), "--reports-dir", str(out), "--no-progress"]) == 0
    good = out / "fails"
    before = {p.name: p.read_bytes() for p in good.iterdir()}
    assert "fails.html" in before

    second = write_run_file(
        tmp_path / "b", "jobs:\n  - notebook: fails.ipynb\n  - notebook: ok.ipynb\n"
    )
    code = cli.main(
        ["run", str(second), "--reports-dir", str(out), "--workers", "2", "--no-progress"]
    )
    assert code != 0
    assert (out / "ok" / "ok.html").is_file()
    failed = out / publish.FAILED_DIR / "fails"
    assert (failed / "fails.ipynb").is_file()
    assert "fixture failure requested" in (failed / "error.txt").read_text()
    assert json.loads((failed / "manifest.json").read_text())["status"] == "failed"
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before
    run = json.loads((out / "manifest.json").read_text())
    assert run["counts"] == {"ok": 1, "unchanged": 0, "failed": 1, "timeout": 0}
    index = (out / "index.html").read_text()
    assert "fails/fails.html" in index and "ok/ok.html" in index
    assert not [p for p in out.iterdir() if p.name.startswith((".tmp-", ".old-"))]


def test_hung_kernel_times_out_and_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "kernel.pid"
    run_file = write_run_file(
        tmp_path / "nb",
        "jobs:\n  - notebook: sleeps.ipynb\n"
        f"    parameters: {{pid_file: '{pid_file}'}}\n    timeout: 5\n",
    )
    clock = time.monotonic()
    results = schedule.run_jobs(
        runfile.load_run_file(run_file), tmp_path / "reports", workers=1, progress=False
    )
    elapsed = time.monotonic() - clock
    assert [r.status for r in results] == ["timeout"]
    assert elapsed < 60
    assert (tmp_path / "reports" / publish.FAILED_DIR / "sleeps" / "sleeps.ipynb").is_file()
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not process_alive(pid)
