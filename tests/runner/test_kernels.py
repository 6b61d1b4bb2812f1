"""Kernels: this interpreter's ipykernel on private IPC sockets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from runner_fixtures import FIXTURES, write_run_file

from analysis.results import read_results
from analysis.runner import kernels, runfile, schedule
from analysis.runner.manifest import localise


def test_kernel_is_this_interpreter_whatever_is_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A decoy 'python3' kernelspec that cannot start, found first on JUPYTER_PATH, and a
    # notebook naming a kernel no machine has: the runner must ignore both.
    decoy = tmp_path / "jupyter" / "kernels" / "python3"
    decoy.mkdir(parents=True)
    (decoy / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/bin/false", "{connection_file}"],
                "display_name": "decoy",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    folder = tmp_path / "nb"
    run_file = write_run_file(folder, "jobs:\n  - notebook: ok.ipynb\n")
    nb = nbformat.read(folder / "ok.ipynb", as_version=4)
    nb.metadata["kernelspec"] = {
        "name": "conda-env-elsewhere-py",
        "display_name": "x",
        "language": "python",
    }
    nbformat.write(nb, folder / "ok.ipynb")

    results = schedule.run_jobs(
        runfile.load_run_file(run_file), tmp_path / "reports", workers=1, progress=False
    )
    assert [r.status for r in results] == ["ok"], results[0].error
    recorded = read_results(tmp_path / "reports" / "ok" / "ok.ipynb")
    # shared files name the interpreter relative to the project (no home folder in them)
    assert recorded["executable"] == localise(sys.executable)
    assert recorded["transport"] == "ipc"


def test_each_kernel_gets_short_private_ipc_sockets_removed_after() -> None:
    started = [kernels.launch_kernel(str(FIXTURES)) for _ in range(2)]
    try:
        folders = [k.folder for k in started]
        assert len(set(folders)) == 2
        for kernel in started:
            info = json.loads(Path(kernel.manager.connection_file).read_text())
            assert info["transport"] == "ipc"
            assert Path(info["ip"]).parent == kernel.folder
            assert len(f"{info['ip']}-{info['control_port']}") < 100
            deadline = time.monotonic() + 60  # the kernel binds its sockets once booted
            while not list(kernel.folder.glob("k-*")) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert list(kernel.folder.glob("k-*")), "no IPC socket in the kernel's folder"
            assert kernels.kernel_environment().keys() <= os.environ.keys() | {"TQDM_DISABLE"}
    finally:
        for kernel in started:
            kernels.kill_kernel(kernel)
    assert not [f for f in folders if f.exists()]
    assert not any(k.manager.has_kernel for k in started)


_BAR = """
import numpy as np
from analysis.counterfactual import counterfactual_batch
empty = np.array([], dtype=int)
counterfactual_batch(np.zeros(0), *[empty] * 6, progress=True)
"""


def test_report_kernels_show_no_progress_bar_where_one_was_requested() -> None:
    shown = {k: v for k, v in os.environ.items() if not k.startswith("TQDM_")}
    for environ, expect_bar in ((shown, True), (kernels.kernel_environment(shown), False)):
        done = subprocess.run(
            [sys.executable, "-c", _BAR], env=environ, capture_output=True, text=True, check=True
        )
        assert ("primary estimate" in done.stderr) is expect_bar, done.stderr
