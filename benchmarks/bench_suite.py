"""Default report suite: the runner versus the naive papermill + nbconvert loop, side by side.

Naive loop (what a user scripts by hand): for each job, one after another,
``papermill IN OUT -y PARAMS`` then ``jupyter nbconvert --to html OUT``, each a subprocess.
Runner: ``analysis.runner.schedule.run_jobs`` on the same job list (process pool, HTML
exported in the worker, manifests, thumbnails and index included). Nothing is cached: every round
runs every notebook from scratch into a fresh temporary folder. Target: runner <= 0.35 x naive.

Usage: .venv/bin/python benchmarks/bench_suite.py [--run-file notebooks/reports.yml]
       [--rounds 2] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from analysis import paths
from analysis.runner.execute import STATUS_OK
from analysis.runner.runfile import Job, load_run_file
from analysis.runner.schedule import run_jobs

BIN = Path(sys.executable).parent


def naive_loop(jobs: list[Job], out: Path) -> float:
    """Seconds for the papermill CLI then nbconvert CLI per job, run in sequence."""
    clock = time.perf_counter()
    for job in jobs:
        executed = out / f"{job.name}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(job.notebook),
                str(executed),
                "-y",
                yaml.safe_dump(job.parameters),
                "--cwd",
                str(job.notebook.parent),
                "--no-progress-bar",
                "-k",
                "python3",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - clock


def runner(jobs: list[Job], out: Path, workers: int) -> float:
    """Seconds for the report runner on the same jobs (pool start-up included)."""
    clock = time.perf_counter()
    results = run_jobs(jobs, out, workers=workers, progress=False)
    elapsed = time.perf_counter() - clock
    bad = [r for r in results if r.status != STATUS_OK]
    if bad:
        raise SystemExit(f"runner failed: {[(r.name, r.error) for r in bad]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--run-file", type=Path, default=paths.PROJECT_ROOT / "notebooks" / "reports.yml"
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    jobs = load_run_file(args.run_file)
    print(
        f"suite: {args.run_file} ({len(jobs)} jobs), workers={args.workers}, cores={os.cpu_count()}"
    )
    naive_times: list[float] = []
    runner_times: list[float] = []
    for round_number in range(args.rounds):
        # Alternate the order so neither side always gets the warmer file cache.
        order = ("runner", "naive") if round_number % 2 == 0 else ("naive", "runner")
        for side in order:
            with tempfile.TemporaryDirectory(prefix=f"bench-{side}-") as tmp:
                if side == "naive":
                    naive_times.append(naive_loop(jobs, Path(tmp)))
                else:
                    runner_times.append(runner(jobs, Path(tmp) / "reports", args.workers))
        print(
            f"round {round_number + 1}: "
            f"naive {naive_times[-1]:.1f} s, runner {runner_times[-1]:.1f} s"
        )
    naive_s = statistics.median(naive_times)
    runner_s = statistics.median(runner_times)
    print(f"naive loop (papermill + nbconvert CLIs): {naive_s:7.1f} s  (median of {args.rounds})")
    print(f"report runner:                           {runner_s:7.1f} s")
    print(f"ratio runner / naive: {runner_s / naive_s:.2f}  (target <= 0.35)")


if __name__ == "__main__":
    main()
