"""Scheduling jobs: a local process pool or a Dask cluster, then the index and run manifest.

Owns :func:`run_jobs`: under the reports folder's lock (one run at a time), jobs whose
published report still matches their fingerprint are reported ``unchanged`` and not run
(:func:`is_unchanged`; ``force`` reruns them); the others stream back as they finish (a
progress bar counts them), a worker that dies becomes a failed result instead of stopping
the run, and at the end ``reports/manifest.json`` (with the sweep jobs skipped because they do
not fit the data, under ``skipped``) and ``reports/index.html`` are written.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from analysis import paths
from analysis.runner import manifest, publish
from analysis.runner.gallery import build_index
from analysis.runner.outcomes import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_UNCHANGED,
    STATUSES,
    JobResult,
    short_error,
)
from analysis.runner.runfile import Job, SkippedJob

EXECUTORS = ("process", "dask")


def _progress(total: int, enabled: bool) -> Any:
    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked later
    return tqdm(total=total, desc="reports", unit="job", disable=not enabled, file=sys.stderr)


def _job_function() -> Callable[[Job, str, bool], JobResult]:
    """The function that runs one job, imported only when a job has to run: papermill and
    nbconvert take seconds to import, which a rerun with nothing to do should not pay."""
    from analysis.runner.execute import safe_execute

    return safe_execute


def _run_local(
    jobs: Sequence[Job], root: Path, workers: int, show_code: bool
) -> Iterator[JobResult]:
    safe_execute = _job_function()
    if workers <= 1 or not jobs:
        for job in jobs:
            yield safe_execute(job, str(root), show_code)
        return
    # fork: workers start instantly from this already-imported process (it has no threads
    # or kernels yet); each job launches its kernel first and parses its notebook while it
    # boots. Elsewhere (no fork), spawn.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures = [pool.submit(safe_execute, job, str(root), show_code) for job in jobs]
        for future in as_completed(futures):
            yield _result_or_crash(future, jobs[futures.index(future)])


def _result_or_crash(future: Future[JobResult], job: Job) -> JobResult:
    try:
        return future.result()
    except Exception as exc:  # a worker process died (e.g. killed by the OOM killer)
        return JobResult.of(job, STATUS_FAILED, 0.0, error=f"worker crashed: {short_error(exc)}")


def _run_dask(
    jobs: Sequence[Job], root: Path, workers: int, show_code: bool, scheduler: str | None
) -> Iterator[JobResult]:
    # Optional dependency (the 'dask' extra): only this executor needs it.
    import distributed

    cluster = None
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
        )
        client = distributed.Client(cluster)
    try:
        futures = client.map(
            _job_function(),
            list(jobs),
            reports_root=str(root),
            show_code=show_code,
            pure=False,
            key=[f"report-{job.name}" for job in jobs],
        )
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        for future in distributed.as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:
                job = by_key[future.key]
                yield JobResult.of(
                    job, STATUS_FAILED, 0.0, error=f"dask task failed: {short_error(exc)}"
                )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def is_unchanged(job: Job, root: Path, show_code: bool, package_hash: str) -> bool:
    """Whether a job's published report was made from exactly what the job would use now.

    Parameters
    ----------
    job : Job
        The job.
    root : Path
        The reports folder.
    show_code : bool
        Whether this run keeps code cells.
    package_hash : str
        :func:`analysis.runner.manifest.code_hash` of the package now.

    Returns
    -------
    bool
        True when ``reports/<job>/`` holds a successful report, all its files, and a
        fingerprint equal to the job's current one.
    """
    folder = root / job.name
    try:
        published = json.loads((folder / manifest.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if published.get("status") != STATUS_OK:
        return False
    if not all((folder / name).is_file() for name in published.get("files", {}).values()):
        return False
    current = manifest.job_fingerprint(
        job.notebook, {**job.defaults, **job.parameters}, show_code, package_hash
    )
    return published.get("fingerprint") == current


def run_jobs(
    jobs: Sequence[Job],
    reports_root: str | Path | None = None,
    workers: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    show_code: bool = False,
    progress: bool = True,
    run_file: Path | None = None,
    skipped: Sequence[SkippedJob] = (),
    force: bool = False,
    wait: bool = False,
) -> list[JobResult]:
    """Run jobs, publish each, then write the index and the run manifest.

    Parameters
    ----------
    jobs : sequence of Job
        From :func:`analysis.runner.runfile.load_run_file`.
    reports_root : str or Path, optional
        The reports folder (default: the project's ``reports/``).
    workers : int, optional
        Parallel jobs (default: the number of cores; 1 runs in this process).
    executor : str
        ``process`` (a local process pool of ``workers``) or ``dask``.
    scheduler : str, optional
        Dask scheduler address (``dask`` executor; None starts a local cluster).
    show_code : bool
        Keep code cells in the HTML.
    progress : bool
        Show a progress bar on stderr.
    run_file : Path, optional
        Recorded in the run manifest.
    skipped : sequence of SkippedJob
        Jobs left out because their ceasefire does not fit the data; recorded in the run manifest
        (``skipped``: name, notebook, parameters, reason) for the gallery.
    force : bool
        Rerun every job, even those whose published report is unchanged.
    wait : bool
        When another run holds the reports folder, wait for it instead of stopping.

    Returns
    -------
    list of JobResult
        One per job, in the order of ``jobs``.

    Raises
    ------
    analysis.runner.publish.ReportsBusy
        When another run is writing to the folder and ``wait`` is False.
    """
    root = paths.reports_dir(reports_root)
    with publish.reports_lock(root, wait=wait):
        return _run_locked(
            jobs, root, workers, executor, scheduler, show_code, progress, run_file, force, skipped
        )


def _run_locked(
    jobs: Sequence[Job],
    root: Path,
    workers: int | None,
    executor: str,
    scheduler: str | None,
    show_code: bool,
    progress: bool,
    run_file: Path | None,
    force: bool,
    skipped: Sequence[SkippedJob],
) -> list[JobResult]:
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (use 'process' or 'dask')")
    # only under the lock: it deletes staging folders, which a concurrent run may be writing
    publish.recover_interrupted(root)
    workers = workers or os.cpu_count() or 1
    started_at = manifest.now_iso()
    results: list[JobResult] = []
    to_run: list[Job] = []
    package_hash = manifest.code_hash()
    for job in jobs:
        if not force and is_unchanged(job, root, show_code, package_hash):
            # the published report is current, so a failure kept from an older run is stale
            shutil.rmtree(root / publish.FAILED_DIR / job.name, ignore_errors=True)
            results.append(JobResult.of(job, STATUS_UNCHANGED, 0.0, str(root / job.name)))
        else:
            to_run.append(job)
    stream: Iterable[JobResult] = ()
    if to_run and executor == "process":
        stream = _run_local(to_run, root, workers, show_code)
    elif to_run:
        stream = _run_dask(to_run, root, workers, show_code, scheduler)
    bar = _progress(len(to_run), progress)
    try:
        for result in stream:
            results.append(result)
            bar.set_postfix_str(f"last: {result.name} {result.status}", refresh=False)
            bar.update(1)
    finally:
        bar.close()
    order = {job.name: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order.get(r.name, len(order)))
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    run_manifest = {
        "run_file": str(run_file) if run_file else None,
        "started_at": started_at,
        "finished_at": manifest.now_iso(),
        "executor": executor,
        "workers": workers,
        "show_code": show_code,
        "counts": counts,
        "jobs": [asdict(r) for r in results],
        "skipped": [asdict(s) for s in skipped],
        "packages": manifest.package_versions(),
        "git_commit": manifest.git_commit(),
        "python_executable": manifest.python_executable(),
    }
    publish.write_json(root / manifest.MANIFEST, run_manifest)
    build_index(root, run_manifest)
    return results
