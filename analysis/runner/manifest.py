"""Manifests: what exactly produced a report (inputs, parameters, seeds, versions, commit).

Owns the per-job manifest (:func:`job_manifest`, written next to each report), the pieces
the run manifest shares with it (input hashes, package versions, the git commit and times),
the job's fingerprint (:func:`job_fingerprint`: content hashes of its notebook, parameters,
inputs and the package code, which decide whether a job reruns) and :func:`localise`, which
writes paths relative to the project so shared files carry no user name or home folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.results import read_results

MANIFEST = "manifest.json"

VERSIONED_PACKAGES = (
    "ceasefire-analysis",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pandera",
    "pyarrow",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupyter_client",
)
"""Packages whose versions go into every manifest (what a rerun needs to reproduce numbers)."""

DATA_SUBDIRS = ("curated", "ucdp")
"""Data folders hashed into every manifest: the inputs every notebook may read."""


def now_iso() -> str:
    """The current UTC time as an ISO-8601 string (what manifests record).

    Returns
    -------
    str
        E.g. ``2025-01-01T12:00:00+00:00``.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


_HASHES: dict[tuple[str, int, int], str] = {}
"""File hashes of this process, keyed by path, size and modification time: every job of a run
hashes the same data files, and an unchanged rerun should cost little more than reading them
once."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks so large event files do not fill memory.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        64 hex digits.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHES:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _HASHES[key] = digest.hexdigest()
    return _HASHES[key]


def _display_path(path: Path) -> str:
    """Paths inside the project are recorded relative to it (manifests are shared)."""
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return localise(str(path))


_NAME_BEFORE = r"(?<![\w.-])"
"""Not preceded by a character of a folder name (the prefix starts a path)."""
_NAME_GOES_ON = r"(?!\.?[\w+~@%-])"
"""Not followed by more of the same folder name (a sentence's full stop may follow)."""


def _local_prefixes() -> list[tuple[str, str]]:
    """What to replace in shared text, longest first: the checkout (as written and with links
    resolved) by nothing, the home folder by ``~``."""
    pairs: dict[str, str] = {}
    for root in {str(paths.PROJECT_ROOT), os.path.realpath(paths.PROJECT_ROOT)}:
        pairs[root + "/"] = ""
        pairs[root] = "."
    home = os.path.expanduser("~")
    if home not in ("", "/", "~"):
        for folder in {home, os.path.realpath(home)}:
            pairs.setdefault(folder, "~")
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def localise(text: str) -> str:
    """``text`` with the checkout's absolute path made relative and the home folder as ``~``.

    Reports, notebooks and manifests are shared; an absolute path names the user and their
    folders (tracebacks, warnings and papermill's metadata all print them).

    Parameters
    ----------
    text : str
        Any text, e.g. a serialised notebook or an error message.

    Returns
    -------
    str
        The same text with project paths relative to the project root (the root itself as
        ``.``) and the home folder as ``~``, replaced only as whole paths: a sibling folder whose
        name starts with the project's (``/tmp/project_files`` next to ``/tmp/project``) stays
        as it is.
    """
    for prefix, replacement in _local_prefixes():
        # a whole path only: /tmp/project must not match inside /tmp/project_files or /x/tmp/...
        ends = "" if prefix.endswith("/") else _NAME_GOES_ON
        pattern = re.compile(_NAME_BEFORE + re.escape(prefix) + ends)
        text = pattern.sub(lambda _match, new=replacement: new, text)
    return text


def python_executable() -> str:
    """The interpreter that ran the jobs, relative to the project when inside it (.venv).

    Returns
    -------
    str
        E.g. ``.venv/bin/python``; outside the project, with the home folder as ``~``.
    """
    executable = Path(sys.executable)
    try:  # not resolved: .venv/bin/python is a link to the system interpreter
        return executable.absolute().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return _display_path(executable)


def input_files(notebook: Path, parameters: Mapping[str, Any]) -> list[Path]:
    """Every input a job may read: its notebook, curated and UCDP data, and path parameters.

    ``data_dir`` and ``events_path`` parameters redirect where a notebook reads, so the
    folder or file they name is hashed instead of (or as well as) the defaults; they are
    resolved as the notebook resolves them: relative paths from the project root.

    Parameters
    ----------
    notebook : Path
        The job's notebook.
    parameters : Mapping
        The job's effective parameters.

    Returns
    -------
    list of Path
        The notebook first, then data files in sorted order, then ``events_path``.
    """
    data_root = paths.data_dir(parameters.get("data_dir") or None)
    found: list[Path] = [notebook]
    for sub in DATA_SUBDIRS:
        folder = data_root / sub
        if folder.is_dir():
            found.extend(p for p in sorted(folder.rglob("*")) if p.is_file())
    events_path = parameters.get("events_path")
    if isinstance(events_path, str) and events_path:
        candidate = paths.resolve_user_path(events_path)
        if candidate.is_file():
            found.append(candidate)
    return found


def hash_inputs(files: Iterable[Path]) -> dict[str, str]:
    """SHA-256 per input file, keyed by project-relative path.

    Parameters
    ----------
    files : iterable of Path
        From :func:`input_files`.

    Returns
    -------
    dict of str to str
        Path (relative to the project when inside it) to hex digest.
    """
    return {_display_path(p): sha256_file(p) for p in files}


def package_versions(names: Iterable[str] = VERSIONED_PACKAGES) -> dict[str, str | None]:
    """Installed versions of the packages that shape results (None when not installed).

    Parameters
    ----------
    names : iterable of str
        Distribution names.

    Returns
    -------
    dict
        ``python`` and each name to its version.
    """
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit(root: Path = paths.PROJECT_ROOT) -> str | None:
    """The checked-out commit (with '+dirty' when files differ), or None outside git.

    Parameters
    ----------
    root : Path
        The repository.

    Returns
    -------
    str or None
        The commit hash, ``+dirty`` appended when tracked files are modified.
    """
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head


def seeds(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters that seed random numbers (any name containing 'seed').

    Parameters
    ----------
    parameters : Mapping
        Effective parameters.

    Returns
    -------
    dict
        The seed parameters and their values.
    """
    return {k: v for k, v in parameters.items() if "seed" in k.lower()}


PACKAGE = paths.PROJECT_ROOT / "analysis"
"""The package whose code every job uses."""
CODE_SUFFIXES = (".py", ".j2", ".json")
"""Package files whose content shapes a report: modules, and the export templates."""


def code_hash(package: Path | None = None) -> str:
    """One SHA-256 over every package module and template (path and content, sorted).

    Any change to the package reruns every job: notebooks call across layers, so tracing
    which modules a notebook uses would miss indirect imports for little gain.

    Parameters
    ----------
    package : Path, optional
        The package folder (default: :data:`PACKAGE`).

    Returns
    -------
    str
        64 hex digits.
    """
    package = package or PACKAGE
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(sha256_file(path).encode())
    return digest.hexdigest()


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: equal parameters give equal text.

    Parameters
    ----------
    value : Any
        JSON-like data.

    Returns
    -------
    str
        The canonical text (unknown types as text).
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def job_fingerprint(
    notebook: Path,
    effective_parameters: Mapping[str, Any],
    show_code: bool,
    package_hash: str | None = None,
) -> dict[str, Any]:
    """The content hashes that decide whether a job's published report still stands.

    Parameters
    ----------
    notebook : Path
        The job's notebook.
    effective_parameters : Mapping
        Its defaults merged with what the run file set.
    show_code : bool
        Whether code cells are kept (the HTML differs).
    package_hash : str, optional
        From :func:`code_hash` (computed when not given; pass it to hash once per run).

    Returns
    -------
    dict
        ``notebook``, ``parameters`` (of the canonical JSON), ``inputs`` (one hash over the
        input files' hashes), ``code`` and ``show_code``; equal dicts mean nothing changed.
    """
    inputs = hash_inputs(input_files(notebook, effective_parameters))
    return {
        "notebook": sha256_file(notebook),
        "parameters": hashlib.sha256(canonical_json(effective_parameters).encode()).hexdigest(),
        "inputs": hashlib.sha256(canonical_json(inputs).encode()).hexdigest(),
        "code": package_hash or code_hash(),
        "show_code": bool(show_code),
    }


def job_manifest(
    job_name: str,
    notebook: Path,
    parameters: Mapping[str, Any],
    defaults: Mapping[str, Any],
    status: str,
    started_at: str,
    finished_at: str,
    files: Mapping[str, str],
    title: str,
    results: Mapping[str, Any],
    error: str | None = None,
    fingerprint: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of one job: enough to tell exactly what produced a report.

    Parameters
    ----------
    job_name : str
        The job's name.
    notebook : Path
        Its notebook.
    parameters : Mapping
        The values the run file set.
    defaults : Mapping
        The notebook's literal defaults.
    status : str
        ``ok``, ``failed`` or ``timeout``.
    started_at, finished_at : str
        ISO times.
    files : Mapping
        Kind (``html``, ``ipynb``, ``error``) to file name in the job's folder.
    title : str
        The report's title.
    results : Mapping
        The notebook's recorded key numbers.
    error : str, optional
        What went wrong.
    fingerprint : Mapping, optional
        From :func:`job_fingerprint` (what a later run compares to skip the job).

    Returns
    -------
    dict
        The manifest; ``effective_parameters`` adds the defaults for everything the run
        file did not set, and seeds are taken from the effective values.
    """
    effective = {**defaults, **parameters}
    return {
        "job": job_name,
        "title": title,
        "notebook": _display_path(notebook),
        "parameters": dict(parameters),
        "effective_parameters": effective,
        "seeds": seeds(effective),
        "status": status,
        "error": error,
        "started_at": started_at,
        "finished_at": finished_at,
        "inputs_sha256": hash_inputs(input_files(notebook, effective)),
        "packages": package_versions(),
        "git_commit": git_commit(),
        "python_executable": python_executable(),
        "fingerprint": dict(fingerprint or {}),
        "files": dict(files),
        "results": dict(results),
    }


def results_of(ipynb: Path) -> dict[str, Any]:
    """Recorded key numbers of an executed notebook (empty if it recorded none).

    Parameters
    ----------
    ipynb : Path
        The executed notebook.

    Returns
    -------
    dict
        What the notebook recorded with :func:`analysis.results.record`.
    """
    try:
        return read_results(ipynb)
    except (OSError, ValueError):
        return {}
