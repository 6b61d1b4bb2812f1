"""Kernels for report jobs: this interpreter's ipykernel, on private IPC sockets, no secrets.

Owns how a job's kernel is started and stopped. Every job runs ``python3`` resolved to *this*
interpreter (``sys.executable``), whatever kernels the machine has registered or the notebook
names. Each kernel gets its own short temporary folder holding its connection file and IPC
sockets, set through jupyter_client's public ``transport``, ``ip`` and ``connection_file``
traits when the manager is built, so parallel kernels never race for TCP ports; the folder is
removed when the kernel is killed. Kernels start without credential variables
(:func:`kernel_environment`).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from analysis.sources import acled, ucdp

KERNEL_NAME = "python3"
KERNEL_START_TIMEOUT = 60
KERNEL_START_ATTEMPTS = 2
KERNEL_DIR_PREFIX = "cfk-"
"""Prefix of each kernel's private temporary folder (socket paths must stay short)."""

_KERNEL_START_MARKERS = (
    "Kernel didn't respond",
    "Address already in use",
    "ZMQError",
    "Kernel died before",
)


class ProjectKernelSpecManager(KernelSpecManager):
    """Knows one kernel: ipykernel under this interpreter, whatever name is asked for."""

    def find_kernel_specs(self) -> dict[str, str]:
        """The one kernel this project runs, under :data:`KERNEL_NAME`."""
        return {KERNEL_NAME: str(Path(sys.executable).parent)}

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        """ipykernel under ``sys.executable``, whatever ``kernel_name`` is."""
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3 (ceasefire-analysis)",
            language="python",
            interrupt_mode="signal",
            metadata={"debugger": False},
            resource_dir=str(Path(sys.executable).parent),
        )


@dataclass
class Kernel:
    """A started kernel: its manager (what papermill is given) and its private folder."""

    manager: AsyncKernelManager
    folder: Path


def kernel_manager(folder: Path) -> AsyncKernelManager:
    """A kernel manager for this interpreter whose sockets and connection file live in ``folder``.

    Parameters
    ----------
    folder : Path
        A private, empty folder with a short path (socket paths are limited to ~107 bytes
        on Linux).

    Returns
    -------
    AsyncKernelManager
        Not started; ``transport`` is ``ipc``, ``ip`` (the socket path prefix) and
        ``connection_file`` point into ``folder``.
    """
    return AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=ProjectKernelSpecManager(),
        transport="ipc",
        connection_file=str(folder / "kernel.json"),
        ip=str(folder / "k"),
    )


def launch_kernel(cwd: str) -> Kernel:
    """Launch this interpreter's kernel in a private folder, without waiting for it.

    The kernel boots (interpreter start, ipykernel import) while the worker goes on parsing
    the notebook, instead of after.

    Parameters
    ----------
    cwd : str
        The kernel's working folder (the notebook's).

    Returns
    -------
    Kernel
        Pass ``kernel.manager`` to papermill; end with :func:`kill_kernel`.
    """
    folder = Path(tempfile.mkdtemp(prefix=KERNEL_DIR_PREFIX))
    manager = kernel_manager(folder)
    try:
        run_sync(manager.start_kernel)(cwd=cwd, env=kernel_environment())
    except BaseException:
        kill_kernel(Kernel(manager, folder))
        raise
    return Kernel(manager, folder)


def kill_kernel(kernel: Kernel) -> None:
    """Kill a job's kernel at once and remove its private folder.

    Outputs are already collected, and a hung kernel ignores polite requests.

    Parameters
    ----------
    kernel : Kernel
        What :func:`launch_kernel` returned.

    Returns
    -------
    None
        Never raises: cleanup must not hide the job's outcome.
    """
    try:
        run_sync(kernel.manager.shutdown_kernel)(now=True)
    except Exception:
        # Last resort: the process itself.
        provisioner = getattr(kernel.manager, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None:
            process.kill()
    finally:
        shutil.rmtree(kernel.folder, ignore_errors=True)


def kernel_start_failed(exc: BaseException) -> bool:
    """Whether an error means the kernel did not come up (worth one more try).

    Parameters
    ----------
    exc : BaseException
        What papermill raised.

    Returns
    -------
    bool
        True for start time-outs, address clashes, ZMQ errors and early kernel deaths.
    """
    text = f"{type(exc).__name__}: {exc}"
    return any(marker in text for marker in _KERNEL_START_MARKERS)


_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY)$", re.IGNORECASE)


def credential_variables() -> tuple[str, ...]:
    """Environment variables the project reads credentials from (ACLED, UCDP APIs).

    Returns
    -------
    tuple of str
        The variable names.
    """
    return (acled.EMAIL_ENV, acled.PASSWORD_ENV, ucdp.TOKEN_ENV)


def kernel_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a report kernel gets: this process's, minus credentials.

    Notebooks read files; API pulls happen before a run (``acled.fetch_acled``,
    ``ucdp.fetch_ged``), so no kernel needs a credential, and one that is absent cannot end
    up in a shared report through a notebook or library that prints its environment.

    Parameters
    ----------
    environ : Mapping, optional
        The environment to filter (default: ``os.environ``).

    Returns
    -------
    dict
        ``environ`` without the project's credential variables and any name ending in
        PASSWORD, SECRET, TOKEN or API_KEY, with ``TQDM_DISABLE=1``: a progress bar is for
        someone watching a kernel, and in a rendered report it is only noise (tqdm reads its
        defaults from ``TQDM_*`` variables; interactive JupyterLab kernels keep their bars).
    """
    environ = os.environ if environ is None else environ
    named = set(credential_variables())
    kept = {k: v for k, v in environ.items() if k not in named and not _SECRET_NAME.search(k)}
    return {**kept, "TQDM_DISABLE": "1"}
