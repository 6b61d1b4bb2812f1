"""Executing one job, in whatever worker runs it: papermill, export, manifest, publish.

Owns :class:`JobResult` and :func:`execute_job`: the job's kernel is launched by the runner
(:mod:`analysis.runner.kernels`), papermill executes the notebook on it under a wall-clock
budget for the whole job (a hung cell is abandoned, the kernel killed, the job marked
``timeout``), HTML and the thumbnail are exported in the worker, and the job's folder is
published atomically: ``reports/<job>/`` on success, ``reports/_failed/<job>/`` otherwise,
with the last good report left where it was.
"""

from __future__ import annotations

import contextvars
import shutil
import time
import traceback
from pathlib import Path
from typing import Any

import nbformat
import papermill

from analysis.runner import manifest, publish
from analysis.runner.kernels import (
    KERNEL_NAME,
    KERNEL_START_ATTEMPTS,
    KERNEL_START_TIMEOUT,
    kernel_start_failed,
    kill_kernel,
    launch_kernel,
)
from analysis.runner.outcomes import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_TIMEOUT,
    STATUSES,
    SUCCESS,
    JobResult,
    is_timeout,
    short_error,
)
from analysis.runner.runfile import Job

__all__ = [
    "STATUSES",
    "SUCCESS",
    "JobResult",
    "execute_job",
    "is_timeout",
    "published_path",
    "safe_execute",
    "short_error",
]


def _execute(job: Job, output: Path) -> None:
    """Run the notebook with papermill, under a wall-clock budget for the whole job.

    The runner owns the kernel: it launches it, retries once if it fails to come up (e.g. a
    port race on machines where IPC is not available) and kills it whatever happens.
    """
    deadline = time.monotonic() + job.timeout
    kernel = launch_kernel(str(job.notebook.parent))

    def remaining(_cell: Any) -> float:
        # A cell may use whatever is left of the job's budget, never more.
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"job {job.name!r} exceeded its {job.timeout:g} s budget")
        return left

    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                papermill.execute_notebook(
                    str(job.notebook),
                    str(output),
                    parameters=job.parameters,
                    kernel_name=KERNEL_NAME,
                    language="python",
                    km=kernel.manager,
                    start_timeout=KERNEL_START_TIMEOUT,
                    timeout_func=remaining,
                    progress_bar=False,
                    log_output=False,
                )
                return
            except Exception as exc:
                ran = output.is_file() and '"execution_count": 1' in output.read_text("utf-8")
                if attempt < KERNEL_START_ATTEMPTS and not ran and kernel_start_failed(exc):
                    kill_kernel(kernel)
                    kernel = launch_kernel(str(job.notebook.parent))
                    continue
                raise
    finally:
        kill_kernel(kernel)


def execute_job(job: Job, reports_root: str | Path, show_code: bool = False) -> JobResult:
    """Run one job end to end and publish it; never raises for notebook failures.

    Success: ``reports/<job>/`` is replaced atomically with the new notebook, HTML, thumbnail
    and manifest. Failure or timeout: the same files go to ``reports/_failed/<job>/`` and the
    last good ``reports/<job>/`` is left untouched.

    Parameters
    ----------
    job : Job
        What to run.
    reports_root : str or Path
        The reports folder.
    show_code : bool
        Keep code cells in the HTML.

    Returns
    -------
    JobResult
        The outcome, with the published folder.
    """
    root = Path(reports_root)
    started_at = manifest.now_iso()
    clock = time.monotonic()
    # hashed before the run: the report is what these inputs produced
    fingerprint = manifest.job_fingerprint(
        job.notebook, {**job.defaults, **job.parameters}, show_code
    )
    staged = publish.staging_dir(root, job.name)
    ipynb = staged / f"{job.name}.ipynb"
    status, error = STATUS_OK, None
    try:
        _execute(job, ipynb)
    except Exception as exc:
        status = STATUS_TIMEOUT if is_timeout(exc) else STATUS_FAILED
        error = short_error(exc)
        if status == STATUS_TIMEOUT:
            error = f"timed out after {job.timeout:g} s (kernel killed)\n{error}"

    files: dict[str, str] = {}
    title = job.name
    results: dict[str, Any] = {}
    try:
        if ipynb.is_file():
            files["ipynb"] = ipynb.name
            publish.localise_notebook(ipynb, published_path(root, job, status))
            nb = nbformat.read(str(ipynb), as_version=4)
            title = publish.notebook_title(nb, job.name)
            results = manifest.results_of(ipynb)
            png = publish.first_png(nb)
            if png is not None:
                publish.write_thumbnail(png, staged / publish.THUMBNAIL)
            footer = publish.footer_context(
                job.parameters, results, manifest.now_iso(), job.name, status
            )
            html = staged / f"{job.name}.html"
            finding = publish.finding_context(results)
            publish.export_html(nb, html, title, footer, show_code=show_code, finding=finding)
            files["html"] = html.name
    except Exception as exc:  # an export problem must not hide the notebook's own outcome
        if status == STATUS_OK:
            status, error = STATUS_FAILED, f"export failed: {short_error(exc)}"
    if error:
        publish.write_text(staged / "error.txt", error + "\n")
        files["error"] = "error.txt"
    job_manifest = manifest.job_manifest(
        job.name,
        job.notebook,
        job.parameters,
        job.defaults,
        status,
        started_at,
        manifest.now_iso(),
        files,
        title,
        results,
        error,
        fingerprint,
    )
    publish.write_json(staged / manifest.MANIFEST, job_manifest)

    if status == STATUS_OK:
        final = publish.swap_in(staged, root / job.name)
        stale_failure = root / publish.FAILED_DIR / job.name
        if stale_failure.exists():
            shutil.rmtree(stale_failure, ignore_errors=True)
    else:
        final = publish.swap_in(staged, root / publish.FAILED_DIR / job.name)
    return JobResult.of(job, status, round(time.monotonic() - clock, 2), str(final), error)


def published_path(root: Path, job: Job, status: str) -> str:
    """Where a job's executed notebook is published, as shared files name it.

    Parameters
    ----------
    root : Path
        The reports folder.
    job : Job
        The job.
    status : str
        Its outcome (failures are published under ``_failed/``).

    Returns
    -------
    str
        The notebook's path, relative to the project when the reports folder is inside it.
    """
    folder = root / job.name if status == STATUS_OK else root / publish.FAILED_DIR / job.name
    return manifest.localise(str((folder / f"{job.name}.ipynb").absolute()))


def safe_execute(job: Job, reports_root: str, show_code: bool) -> JobResult:
    """:func:`execute_job`, but even a crash in the runner itself becomes a failed result.

    Parameters
    ----------
    job : Job
        What to run.
    reports_root : str
        The reports folder.
    show_code : bool
        Keep code cells in the HTML.

    Returns
    -------
    JobResult
        The outcome; never raises.
    """
    clock = time.monotonic()
    try:
        # A fresh context: jupyter_core keeps "this thread's event loop" in a ContextVar, and
        # Dask runs tasks in a copy of a context where another thread's loop may be running.
        return contextvars.Context().run(execute_job, job, reports_root, show_code)
    except Exception as exc:
        return JobResult.of(
            job,
            STATUS_FAILED,
            round(time.monotonic() - clock, 2),
            error=f"runner error: {short_error(exc)}\n{traceback.format_exc(limit=3)}",
        )
