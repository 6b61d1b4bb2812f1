"""What became of a job: :class:`JobResult` and the status codes, light to import.

The scheduler and the command line read outcomes without importing papermill or nbconvert
(seconds of start-up), so a rerun with nothing to do stays quick; the job itself runs in
:mod:`analysis.runner.execute`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.runner.runfile import Job

STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_TIMEOUT = "timeout"
STATUS_UNCHANGED = "unchanged"
"""Not rerun: its notebook, parameters, inputs and package code are those of the published
report, which stands."""
STATUSES = (STATUS_OK, STATUS_UNCHANGED, STATUS_FAILED, STATUS_TIMEOUT)
SUCCESS = (STATUS_OK, STATUS_UNCHANGED)


@dataclass
class JobResult:
    """What happened to one job; plain data so it crosses process and Dask boundaries."""

    name: str
    notebook: str
    parameters: dict[str, Any]
    status: str
    seconds: float
    folder: str
    error: str | None = None

    @classmethod
    def of(
        cls, job: Job, status: str, seconds: float, folder: str = "", error: str | None = None
    ) -> JobResult:
        """The result of ``job``, naming it the same way wherever the result is made.

        Parameters
        ----------
        job : Job
            The job.
        status : str
            One of :data:`STATUSES`.
        seconds : float
            Wall-clock time the job took.
        folder : str
            Where its files were published ("" when nothing was).
        error : str, optional
            What went wrong.

        Returns
        -------
        JobResult
            The result.
        """
        return cls(
            job.name, str(job.notebook), dict(job.parameters), status, seconds, folder, error
        )


def is_timeout(exc: BaseException) -> bool:
    """Whether an error (or one it was raised from) is a time-out.

    Parameters
    ----------
    exc : BaseException
        What executing the notebook raised.

    Returns
    -------
    bool
        True for ``TimeoutError`` and nbclient's ``CellTimeoutError`` anywhere in the chain.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError) or type(seen).__name__ == "CellTimeoutError":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def short_error(exc: BaseException) -> str:
    """A short message for an error: the cell's error for notebook failures, else the tail.

    Parameters
    ----------
    exc : BaseException
        The error.

    Returns
    -------
    str
        At most six lines and 2000 characters.
    """
    if hasattr(exc, "ename") and hasattr(exc, "evalue"):  # papermill's cell error
        cell = getattr(exc, "exec_count", None)
        return f"{exc.ename}: {exc.evalue}" + (f" (cell [{cell}])" if cell else "")
    text = str(exc).strip() or type(exc).__name__
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[-6:])[:2000]
