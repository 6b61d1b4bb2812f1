"""Run the report collection: notebooks x parameter sets, checked first, run in parallel.

``python -m analysis.reports run notebooks/reports.yml`` expands the run file into jobs,
checks every job's parameters against its notebook's ``parameters`` cell before anything
runs, executes the jobs with papermill on a process pool (or a Dask cluster), exports HTML
in the worker, publishes each job atomically under ``reports/<job>/`` and writes
``reports/index.html`` and ``reports/manifest.json``. See :func:`main` for the CLI.

Papermill pitfalls handled here, and how:

* parameter types: names and types are read from the parameters cell (annotations, else the
  type of the default) and checked before the run; ``-p`` values from the command line are
  converted to the declared type instead of guessed, and YAML dates stay text;
* parameter values: numbers within :data:`analysis.contract.PARAMETER_BOUNDS` (no
  ``n_placebos: 0`` or ``10**9``), text within ``PARAMETER_CHOICES``, ISO dates, existing
  ``events_path`` files and ``data_dir`` folders, and ceasefire ids listed in the job's
  ceasefire table, all checked before anything runs; explicit job names must be plain folder
  names (no ``../``, no absolute paths);
* credentials: kernels start without the ACLED/UCDP credential variables (or any
  ``*PASSWORD``/``*SECRET``/``*TOKEN``/``*API_KEY``), so no notebook can print one into a
  shared report;
* kernel names: every job runs ``python3`` resolved to *this* interpreter
  (``sys.executable``), whatever kernels the machine has registered or the notebook names;
* port races between parallel kernels: kernels talk over private IPC sockets, not TCP ports,
  and a failed kernel start is retried once;
* hung kernels: each job has a wall-clock budget; when it runs out the cell is abandoned, the
  kernel killed and the job marked ``timeout``;
* failed runs: the executed notebook is kept under ``reports/_failed/<job>/``, the last good
  report of the job stays where it was, the other jobs go on and the run exits non-zero.
"""

from __future__ import annotations

import argparse
import ast
import contextvars
import fnmatch
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis import paths, publish

STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_TIMEOUT = "timeout"
KERNEL_NAME = "python3"
DEFAULT_TIMEOUT = 1800.0
"""Seconds a job may run before its kernel is killed (override per job or ``--timeout``)."""
KERNEL_START_TIMEOUT = 60
KERNEL_START_ATTEMPTS = 2
SWEEP_SOURCES = ("ceasefires",)
MAX_SLUG = 120


class RunFileError(ValueError):
    """A run file or parameter problem found before anything ran (message says where)."""


# --- Parameters ----------------------------------------------------------------------------

_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
    "tuple": (list, tuple),
    "None": (type(None),),
    "NoneType": (type(None),),
}


@dataclass(frozen=True)
class NotebookParameter:
    """A name in a notebook's parameters cell, its accepted types and its default."""

    name: str
    types: tuple[str, ...] | None
    """Accepted type names (``None`` = anything, e.g. an unannotated ``x = None``)."""
    default: Any = None
    default_source: str = ""


def _annotation_types(node: ast.expr) -> tuple[str, ...] | None:
    """Type names allowed by an annotation like ``str | None`` or ``Optional[int]``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _annotation_types(node.left), _annotation_types(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Constant) and node.value is None:
        return ("None",)
    if isinstance(node, ast.Subscript):
        base = ast.unparse(node.value).rsplit(".", 1)[-1]
        if base == "Optional":
            inner = _annotation_types(node.slice)
            return None if inner is None else (*inner, "None")
        if base == "Union" and isinstance(node.slice, ast.Tuple):
            parts = [_annotation_types(e) for e in node.slice.elts]
            return None if any(p is None for p in parts) else tuple(t for p in parts for t in p)
        node = node.value
    name = ast.unparse(node).rsplit(".", 1)[-1]
    name = {"List": "list", "Dict": "dict", "Tuple": "tuple", "Sequence": "list"}.get(name, name)
    return (name,) if name in _TYPES else None


def _default_types(value: Any) -> tuple[str, ...] | None:
    """Type names implied by a default value (``None`` default tells nothing)."""
    if value is None:
        return None
    for name in ("bool", "int", "float", "str", "list", "dict"):
        if type(value) is _TYPES[name][0]:
            return (name,)
    if isinstance(value, tuple):
        return ("tuple",)
    return None


def parse_parameters_cell(source: str) -> dict[str, NotebookParameter]:
    """Names, accepted types and defaults assigned in a parameters cell's source.

    Uses Python's own parser rather than papermill's line regex, which silently drops
    annotated names such as ``start: str | None = None``.
    """
    tree = ast.parse(source)
    found: dict[str, NotebookParameter] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            targets, value, annotation = [stmt.target], stmt.value, stmt.annotation
        elif isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
            targets, value, annotation = stmt.targets, stmt.value, None
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        types = _annotation_types(annotation) if annotation is not None else None
        if annotation is None:
            types = _default_types(default)
        for target in targets:
            assert isinstance(target, ast.Name)
            found[target.id] = NotebookParameter(
                target.id, types, default, ast.unparse(value) if value is not None else ""
            )
    return found


def notebook_parameters(notebook: Path) -> dict[str, NotebookParameter]:
    """Parameters declared by a notebook (empty if it has no cell tagged ``parameters``)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                return parse_parameters_cell(cell.source)
            except SyntaxError as exc:
                raise RunFileError(
                    f"{notebook}: parameters cell is not valid Python: {exc}"
                ) from exc
    return {}


def _type_ok(value: Any, types: tuple[str, ...]) -> bool:
    for name in types:
        accepted = _TYPES[name]
        if isinstance(value, bool) and bool not in accepted:
            continue  # True is an int in Python, but never a valid int/float parameter
        if isinstance(value, accepted):
            return True
    return False


def _literal(parameter: NotebookParameter) -> bool:
    """Whether a default is a plain literal (not an expression evaluated in the kernel)."""
    try:
        ast.literal_eval(parameter.default_source)
    except (ValueError, SyntaxError):
        return False
    return True


def check_parameters(
    notebook: Path,
    job: str,
    values: Mapping[str, Any],
    declared: Mapping[str, NotebookParameter],
) -> dict[str, Any]:
    """Validated parameters for a job: unknown names and wrong types raise RunFileError.

    Integers given for float parameters become floats, so the notebook sees the type its
    default promises.
    """
    problems: list[str] = []
    checked: dict[str, Any] = {}
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            known = ", ".join(sorted(declared)) or "(none)"
            problems.append(f"unknown parameter {name!r} (the notebook declares: {known})")
            continue
        if spec.types is not None and not _type_ok(value, spec.types):
            problems.append(
                f"parameter {name!r} = {value!r} is {type(value).__name__}, expected "
                f"{' | '.join(spec.types)} (default: {spec.default_source})"
            )
            continue
        if isinstance(value, int) and not isinstance(value, bool) and spec.types == ("float",):
            value = float(value)
        problem = value_problem(name, value, notebook.parent)
        if problem:
            problems.append(problem)
            continue
        checked[name] = value
    if problems:
        raise RunFileError(f"job {job!r} ({notebook}): " + "; ".join(problems))
    return checked


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_problem(name: str, value: Any, cwd: Path | None = None) -> str | None:
    """What is wrong with a well-typed parameter value, per the contract's declared bounds,
    choices, date and path rules (None when nothing is).

    Bounds come from :data:`analysis.contract.PARAMETER_BOUNDS`, choices from
    ``PARAMETER_CHOICES`` and date names from ``DATE_PARAMETERS``; ``events_path`` must name
    an existing file and ``data_dir`` an existing folder, both as the notebook's kernel
    (working in ``cwd``) would resolve them.
    """
    from analysis import contract as c

    shown = f"parameter {name!r} = {value!r}"
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if name in c.PARAMETER_BOUNDS and number:
        low, high = c.PARAMETER_BOUNDS[name]
        if not low <= value <= high:  # NaN fails this too
            return f"{shown} is out of range: expected {low} to {high}"
    if name in c.PARAMETER_CHOICES:
        allowed = c.PARAMETER_CHOICES[name]
        items = value if isinstance(value, list | tuple) else [value]
        bad = [v for v in items if isinstance(v, str) and v not in allowed]
        if bad:
            return f"{shown}: {bad} not allowed; choose from {list(allowed)}"
    if name in c.DATE_PARAMETERS and isinstance(value, str):
        try:
            ok = bool(_ISO_DATE.match(value)) and not pd.isna(pd.Timestamp(value))
        except ValueError:
            ok = False
        if not ok:
            return f"{shown} is not a date: expected YYYY-MM-DD, e.g. '2021-02-01'"
    if name == "events_path" and isinstance(value, str) and value:
        resolved = paths.resolve_user_path(value)
        if not resolved.is_file():
            return f"{shown}: file not found ({resolved}; relative paths start at the project root)"
    if name == "data_dir" and isinstance(value, str) and value:
        folder = job_data_dir(value, cwd)
        if not folder.is_dir():
            return f"{shown}: folder not found ({folder})"
    return None


def job_data_dir(value: str, cwd: Path | None) -> Path:
    """The folder a notebook's ``data_dir`` parameter names, seen from its kernel, which
    runs in the notebook's folder (``cwd``): relative paths start there."""
    folder = Path(value).expanduser()
    return (cwd / folder).resolve() if cwd is not None and not folder.is_absolute() else folder


def check_ceasefire_ids(
    notebook: Path, job: str, parameters: Mapping[str, Any], cache: dict[str, set[str]]
) -> None:
    """Reject ceasefire ids (``ceasefire_id``, ``ceasefire_ids``, ``truce_id``) that the
    job's ceasefire table does not list, before anything runs; ``cache`` holds the ids per
    data folder so a sweep reads each table once."""
    import difflib

    from analysis import contract as c

    given = {
        name: value if isinstance(value, list | tuple) else [value]
        for name, value in parameters.items()
        if name in c.CEASEFIRE_ID_PARAMETERS and value not in (None, "", [])
    }
    if not given:
        return
    data_dir = str(parameters.get("data_dir") or "")
    if data_dir not in cache:
        from analysis.windows import load_ceasefires

        try:
            folder = job_data_dir(data_dir, notebook.parent) if data_dir else None
            table = load_ceasefires(data_dir=folder)
        except (OSError, ValueError) as exc:
            raise RunFileError(
                f"job {job!r} ({notebook}): cannot check ceasefire ids, the ceasefire table "
                f"does not load: {exc}"
            ) from exc
        cache[data_dir] = set(table[c.CF_ID].astype(str))
    known = cache[data_dir]
    problems = []
    for name, values in given.items():
        unknown = [v for v in values if str(v) not in known]
        if unknown:
            close = sorted(
                {m for u in unknown for m in difflib.get_close_matches(str(u), known, n=3)}
            )
            hint = f"; did you mean {close}?" if close else ""
            problems.append(
                f"parameter {name!r}: unknown ceasefire_id(s) {unknown}{hint} "
                f"({len(known)} ids are listed in the ceasefires table)"
            )
    if problems:
        raise RunFileError(f"job {job!r} ({notebook}): " + "; ".join(problems))


def convert_cli_value(raw: str, spec: NotebookParameter | None) -> Any:
    """A ``-p NAME VALUE`` string converted to the parameter's declared type.

    Papermill guesses (``-p ceasefire_id 2021`` becomes an int); here text parameters stay
    text and other types are parsed as YAML/JSON values of that type.
    """
    types = spec.types if spec is not None else None
    if types is not None and "str" in types:
        return None if raw in ("None", "null") and "None" in types else raw
    try:
        value = yaml.load(raw, Loader=_RunFileLoader)
    except yaml.YAMLError:
        return raw
    if types is not None and "float" in types and isinstance(value, int):
        return float(value)
    return value


# --- Run file ------------------------------------------------------------------------------


class _RunFileLoader(yaml.SafeLoader):
    """YAML loader that keeps dates as text: ``start: 2021-02-01`` must stay a string."""


_RunFileLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Job:
    """One notebook run: what to run, with which parameters, under which name."""

    name: str
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    defaults: dict[str, Any] = field(default_factory=dict)
    """The notebook's own defaults, so manifests record every value a run used."""


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slugify(text: str) -> str:
    """A safe file/folder name: no separators, no '..', no leading dot, bounded length."""
    slug = _UNSAFE.sub("-", str(text)).strip("-.")
    slug = re.sub(r"\.{2,}", ".", slug)
    slug = re.sub(r"-{2,}", "-", slug)
    slug = slug[:MAX_SLUG].strip("-.")
    if not slug or slug.startswith("_"):
        slug = f"job-{slug}".rstrip("-")
    return slug


def sweep_values(
    spec: Mapping[str, Any], where_file: str, data_dir: str | Path | None = None
) -> list[Any]:
    """Values of a sweep: a column of a project table, filtered by ``where``.

    ``{parameter: ceasefire_id, from: ceasefires, where: {kind: bilateral}}`` runs the
    notebook once per bilateral ceasefire; ``column`` defaults to the parameter name,
    ``where`` values may be a list (any of them matches) or a range
    ``{min: "2018-01-01", max: "2023-06-30"}`` (inclusive; dates compared as dates).
    """
    source = spec.get("from")
    if source not in SWEEP_SOURCES:
        raise RunFileError(
            f"{where_file}: sweep 'from' must be one of {SWEEP_SOURCES}, got {source!r}"
        )
    from analysis.windows import load_ceasefires

    table = load_ceasefires(data_dir=data_dir or None)
    column = spec.get("column", spec["parameter"])
    if column not in table.columns:
        raise RunFileError(f"{where_file}: sweep column {column!r} is not in table {source!r}")
    mask = pd.Series(True, index=table.index)
    for key, wanted in (spec.get("where") or {}).items():
        if key not in table.columns:
            raise RunFileError(f"{where_file}: sweep filter column {key!r} not in {source!r}")
        mask &= _matches(table[key], wanted, f"{where_file}: sweep filter {key!r}")
    values = table.loc[mask, column].dropna().tolist()
    if not values:
        # A sweep over nothing would "succeed" with no report at all: say so instead.
        raise RunFileError(
            f"{where_file}: sweep matches no row of {source!r} "
            f"(where: {dict(spec.get('where') or {})}); check the filter values"
        )
    return [v.item() if hasattr(v, "item") else v for v in dict.fromkeys(values)]


def _matches(column: pd.Series, wanted: Any, where: str) -> pd.Series:
    """Rows whose value equals ``wanted`` (or any of a list), or lies in ``{min:, max:}``."""
    if isinstance(wanted, Mapping):
        unknown = set(wanted) - {"min", "max"}
        if unknown:
            raise RunFileError(f"{where}: range filters take 'min' and 'max', not {unknown}")
        bounds = {k: wanted.get(k) for k in ("min", "max")}
        if pd.api.types.is_datetime64_any_dtype(column):
            bounds = {k: pd.Timestamp(v) if v is not None else None for k, v in bounds.items()}
        inside = column.notna()
        if bounds["min"] is not None:
            inside &= column >= bounds["min"]
        if bounds["max"] is not None:
            inside &= column <= bounds["max"]
        return inside.fillna(False).astype(bool)
    options = {str(w) for w in (wanted if isinstance(wanted, list) else [wanted])}
    return column.astype("string").isin(options).fillna(False).astype(bool)


def _job_name(base: str, params: Mapping[str, Any], varying: Sequence[str]) -> str:
    parts = [base] + [f"{k}-{params[k]}" for k in varying if k in params]
    return slugify("__".join(str(p) for p in parts))


def load_run_file(
    run_file: Path,
    overrides: Mapping[str, str] | None = None,
    timeout: float | None = None,
    only: Sequence[str] = (),
) -> list[Job]:
    """Expand and validate a run file into jobs; raises RunFileError before anything runs.

    Format (paths relative to the run file)::

        timeout: 1800                       # optional, seconds per job
        jobs:
          - notebook: 01_strike_timeline.ipynb
          - notebook: 01_strike_timeline.ipynb
            name: strike_timeline_monthly
            parameters: {frequency: M}
          - notebook: 03_windows.ipynb
            parameters: {window_days: 30}     # shared by every run of this entry
            parameter_sets: [{ceasefire_id: a}, {ceasefire_id: b}]
          - notebook: 03_windows.ipynb
            sweep: {parameter: ceasefire_id, from: ceasefires, where: {kind: bilateral}}

    ``overrides`` (``-p NAME VALUE`` on the command line) apply to every job whose
    notebook declares NAME. ``only`` keeps jobs whose name matches a glob pattern.
    """
    run_file = Path(run_file)
    try:
        spec = yaml.load(run_file.read_text(encoding="utf-8"), Loader=_RunFileLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RunFileError(f"{run_file}: cannot read run file: {exc}") from exc
    entries = spec.get("jobs")
    if not isinstance(entries, list) or not entries:
        raise RunFileError(f"{run_file}: needs a non-empty 'jobs' list")
    base_dir = run_file.resolve().parent
    default_timeout = _positive_timeout(
        timeout if timeout is not None else spec.get("timeout"), DEFAULT_TIMEOUT, str(run_file)
    )
    jobs: list[Job] = []
    errors: list[str] = []
    for position, entry in enumerate(entries, start=1):
        where = f"{run_file} job #{position}"
        if isinstance(entry, Mapping) and entry.get("notebook"):
            where += f" ({entry['notebook']})"
        try:
            jobs.extend(_expand_entry(entry, base_dir, where, overrides or {}, default_timeout))
        except RunFileError as exc:
            errors.append(str(exc))
    seen: dict[str, int] = {}
    for job in jobs:
        seen[job.name] = seen.get(job.name, 0) + 1
    duplicates = sorted(n for n, count in seen.items() if count > 1)
    if duplicates:
        errors.append(f"{run_file}: job names must be unique, repeated: {', '.join(duplicates)}")
    if errors:
        raise RunFileError("\n".join(errors))
    if only:
        jobs = [j for j in jobs if any(fnmatch.fnmatchcase(j.name, pat) for pat in only)]
        if not jobs:
            raise RunFileError(f"{run_file}: no job matches {list(only)}")
    return jobs


def _expand_entry(
    entry: Any,
    base_dir: Path,
    where: str,
    overrides: Mapping[str, str],
    default_timeout: float,
) -> list[Job]:
    if not isinstance(entry, Mapping) or "notebook" not in entry:
        raise RunFileError(f"{where}: each job needs a 'notebook'")
    unknown = set(entry) - {"notebook", "name", "parameters", "parameter_sets", "sweep", "timeout"}
    if unknown:
        raise RunFileError(f"{where}: unknown keys {sorted(unknown)}")
    notebook = (base_dir / str(entry["notebook"])).resolve()
    if not notebook.is_file():
        raise RunFileError(f"{where}: notebook not found: {notebook}")
    declared = notebook_parameters(notebook)
    shared = dict(entry.get("parameters") or {})
    for name, raw in overrides.items():
        if name in declared:
            shared[name] = convert_cli_value(raw, declared[name])
    sets: list[dict[str, Any]] = [dict(s) for s in entry.get("parameter_sets") or [{}]]
    varying = sorted({k for s in sets for k in s}) if entry.get("parameter_sets") else []
    if entry.get("sweep"):
        sweep = entry["sweep"]
        if not isinstance(sweep, Mapping) or "parameter" not in sweep:
            raise RunFileError(f"{where}: sweep needs 'parameter' and 'from'")
        data_dir = shared.get("data_dir")
        values = sweep_values(
            sweep,
            where,
            job_data_dir(data_dir, notebook.parent)
            if isinstance(data_dir, str) and data_dir
            else None,
        )
        sets = [{**s, sweep["parameter"]: v} for s in sets for v in values]
        varying = [*varying, sweep["parameter"]]
    defaults = {n: p.default for n, p in declared.items() if p.default_source and _literal(p)}
    base = str(entry.get("name") or notebook.stem)
    if "name" in entry and slugify(base) != base:
        # An explicit name is a folder name under reports/: a path there is a mistake, so
        # say so rather than publish under a silently different name.
        raise RunFileError(
            f"{where}: job name {base!r} is not a plain folder name (letters, digits, '.', "
            f"'_', '-'; no '/', '..', spaces or leading '.'/'_'), e.g. {slugify(base)!r}"
        )
    timeout = _positive_timeout(entry.get("timeout"), default_timeout, where)
    jobs = []
    ids_cache: dict[str, set[str]] = {}
    for values in sets:
        params = {**shared, **values}
        name = _job_name(base, params, varying)
        checked = check_parameters(notebook, name, params, declared)
        check_ceasefire_ids(notebook, name, {**defaults, **checked}, ids_cache)
        jobs.append(Job(name, notebook, checked, timeout, defaults))
    return jobs


def _positive_timeout(value: Any, default: float, where: str) -> float:
    """A job's timeout in seconds: a positive number (a zero budget would kill every job)."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise RunFileError(f"{where}: timeout must be a positive number of seconds, not {value!r}")
    return float(value)


# --- Kernel --------------------------------------------------------------------------------


def _kernel_classes() -> tuple[type, type]:
    """Kernel spec/manager classes bound to this interpreter (defined lazily: heavy imports)."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ProjectKernelSpecManager(KernelSpecManager):
        """Knows one kernel: ipykernel under this interpreter, whatever name is asked for."""

        def find_kernel_specs(self) -> dict[str, str]:
            return {KERNEL_NAME: str(Path(sys.executable).parent)}

        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python 3 (ceasefire-analysis)",
                language="python",
                interrupt_mode="signal",
                metadata={"debugger": False},
                resource_dir=str(Path(sys.executable).parent),
            )

    class ProjectKernelManager(AsyncKernelManager):
        """Kernel on private IPC sockets in its own temp folder: no TCP port to race for."""

        @default("kernel_spec_manager")
        def _project_ksm(self) -> KernelSpecManager:
            return ProjectKernelSpecManager()

        @default("transport")
        def _project_transport(self) -> str:
            return "ipc"

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            # Socket paths must be unique per kernel and short (~107 bytes on Linux).
            self._private_dir = tempfile.mkdtemp(prefix="cfk-")
            self.connection_file = os.path.join(self._private_dir, "kernel.json")
            self.ip = os.path.join(self._private_dir, "k")
            return await super()._async_pre_start_kernel(**kw)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            private = getattr(self, "_private_dir", None)
            if private and not restart:
                shutil.rmtree(private, ignore_errors=True)

    return ProjectKernelSpecManager, ProjectKernelManager


_KERNEL_MANAGER: type | None = None


def project_kernel_manager() -> type:
    """The kernel manager class every job uses (created once per process)."""
    global _KERNEL_MANAGER
    if _KERNEL_MANAGER is None:
        _KERNEL_MANAGER = _kernel_classes()[1]
    return _KERNEL_MANAGER


# --- Executing one job (runs in a worker) --------------------------------------------------


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
        """The result of ``job``, naming it the same way wherever the result is made."""
        return cls(
            job.name, str(job.notebook), dict(job.parameters), status, seconds, folder, error
        )


def _is_timeout(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError) or type(seen).__name__ == "CellTimeoutError":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


_KERNEL_START_MARKERS = (
    "Kernel didn't respond",
    "Address already in use",
    "ZMQError",
    "Kernel died before",
)


def _kernel_start_failed(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}"
    return any(
        marker in text
        for marker in (
            "Kernel didn't respond",
            "Address already in use",
            "ZMQError",
            "Kernel died before",
        )
    )


def _short_error(exc: BaseException) -> str:
    if hasattr(exc, "ename") and hasattr(exc, "evalue"):  # papermill's cell error
        cell = getattr(exc, "exec_count", None)
        return f"{exc.ename}: {exc.evalue}" + (f" (cell [{cell}])" if cell else "")
    text = str(exc).strip() or type(exc).__name__
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[-6:])[:2000]


def _launch_kernel(cwd: str) -> Any:
    """Launch this interpreter's kernel; returns its manager without waiting for it.

    The kernel boots (interpreter start, ipykernel import) while the worker goes on
    importing papermill and parsing the notebook, instead of after.
    """
    from jupyter_core.utils import run_sync

    manager = project_kernel_manager()(kernel_name=KERNEL_NAME)
    run_sync(manager.start_kernel)(cwd=cwd, env=kernel_environment())
    return manager


_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY)$", re.IGNORECASE)


def credential_variables() -> tuple[str, ...]:
    """Environment variables the project reads credentials from (ACLED, UCDP APIs)."""
    from analysis.sources import acled, ucdp

    return (acled.EMAIL_ENV, acled.PASSWORD_ENV, ucdp.TOKEN_ENV)


def kernel_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a report kernel gets: this process's, minus credentials.

    Notebooks read files; API pulls happen before a run (``acled.fetch_acled``,
    ``ucdp.fetch_ged``), so no kernel needs a credential, and one that is absent cannot end
    up in a shared report through a notebook or library that prints its environment.
    Dropped: the project's credential variables and any name ending in PASSWORD, SECRET,
    TOKEN or API_KEY.
    """
    environ = os.environ if environ is None else environ
    named = set(credential_variables())
    return {k: v for k, v in environ.items() if k not in named and not _SECRET_NAME.search(k)}


def _kill_kernel(manager: Any) -> None:
    """Kill a job's kernel at once (outputs are already collected; a hung one ignores asks)."""
    from jupyter_core.utils import run_sync

    try:
        run_sync(manager.shutdown_kernel)(now=True)
    except Exception:
        # Last resort: the process itself; never let cleanup hide the job's outcome.
        provisioner = getattr(manager, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None:
            process.kill()


def _execute(job: Job, output: Path) -> None:
    """Run the notebook with papermill, under a wall-clock budget for the whole job.

    The runner owns the kernel: it launches it, retries once if it fails to come up (e.g. a
    port race on machines where IPC is not available) and kills it whatever happens.
    """
    deadline = time.monotonic() + job.timeout
    manager = _launch_kernel(str(job.notebook.parent))
    import papermill  # imported while the kernel boots

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
                    km=manager,
                    start_timeout=KERNEL_START_TIMEOUT,
                    timeout_func=remaining,
                    progress_bar=False,
                    log_output=False,
                )
                return
            except Exception as exc:
                ran = output.is_file() and '"execution_count": 1' in output.read_text("utf-8")
                if attempt < KERNEL_START_ATTEMPTS and not ran and _kernel_start_failed(exc):
                    _kill_kernel(manager)
                    manager = _launch_kernel(str(job.notebook.parent))
                    continue
                raise
    finally:
        _kill_kernel(manager)


def execute_job(job: Job, reports_root: str | Path, show_code: bool = False) -> JobResult:
    """Run one job end to end and publish it; never raises for notebook failures.

    Success: ``reports/<job>/`` is replaced atomically with the new notebook, HTML, thumbnail
    and manifest. Failure or timeout: the same files go to ``reports/_failed/<job>/`` and the
    last good ``reports/<job>/`` is left untouched.
    """
    import nbformat

    root = Path(reports_root)
    started_at = publish.now_iso()
    clock = time.monotonic()
    staged = publish.staging_dir(root, job.name)
    ipynb = staged / f"{job.name}.ipynb"
    status, error = STATUS_OK, None
    try:
        _execute(job, ipynb)
    except Exception as exc:
        status = STATUS_TIMEOUT if _is_timeout(exc) else STATUS_FAILED
        error = _short_error(exc)
        if status == STATUS_TIMEOUT:
            error = f"timed out after {job.timeout:g} s (kernel killed)\n{error}"

    files: dict[str, str] = {}
    title = job.name
    results: dict[str, Any] = {}
    try:
        if ipynb.is_file():
            files["ipynb"] = ipynb.name
            nb = nbformat.read(str(ipynb), as_version=4)
            title = publish.notebook_title(nb, job.name)
            results = publish.results_of(ipynb)
            png = publish.first_png(nb)
            if png is not None:
                publish.write_thumbnail(png, staged / publish.THUMBNAIL)
            footer = publish.footer_context(
                job.parameters, results, publish.now_iso(), job.name, status
            )
            html = staged / f"{job.name}.html"
            publish.export_html(nb, html, title, footer, show_code=show_code)
            files["html"] = html.name
    except Exception as exc:  # an export problem must not hide the notebook's own outcome
        if status == STATUS_OK:
            status, error = STATUS_FAILED, f"export failed: {_short_error(exc)}"
    if error:
        (staged / "error.txt").write_text(error + "\n", encoding="utf-8")
        files["error"] = "error.txt"
    manifest = publish.job_manifest(
        job.name,
        job.notebook,
        job.parameters,
        job.defaults,
        status,
        started_at,
        publish.now_iso(),
        files,
        title,
        results,
        error,
    )
    publish.write_json(staged / publish.MANIFEST, manifest)

    if status == STATUS_OK:
        final = publish.swap_in(staged, root / job.name)
        stale_failure = root / publish.FAILED_DIR / job.name
        if stale_failure.exists():
            shutil.rmtree(stale_failure, ignore_errors=True)
    else:
        final = publish.swap_in(staged, root / publish.FAILED_DIR / job.name)
    return JobResult.of(job, status, round(time.monotonic() - clock, 2), str(final), error)


def _safe_execute(job: Job, reports_root: str, show_code: bool) -> JobResult:
    """execute_job, but even a crash in the runner itself becomes a failed result."""
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
            error=f"runner error: {_short_error(exc)}\n{traceback.format_exc(limit=3)}",
        )


# --- Running many jobs ---------------------------------------------------------------------


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked later
    return tqdm(total=total, desc="reports", unit="job", disable=not enabled, file=sys.stderr)


def _run_local(
    jobs: Sequence[Job], root: Path, workers: int, show_code: bool
) -> Iterator[JobResult]:
    if workers <= 1:
        for job in jobs:
            yield _safe_execute(job, str(root), show_code)
        return
    # fork: workers start instantly from this already-imported process (it has no threads
    # or kernels yet); each job launches its kernel first and imports papermill/nbconvert
    # while it boots. Elsewhere (no fork), spawn.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures = [pool.submit(_safe_execute, job, str(root), show_code) for job in jobs]
        for future in as_completed(futures):
            yield _result_or_crash(future, jobs[futures.index(future)])


def _result_or_crash(future: Future[JobResult], job: Job) -> JobResult:
    try:
        return future.result()
    except Exception as exc:  # a worker process died (e.g. killed by the OOM killer)
        return JobResult.of(job, STATUS_FAILED, 0.0, error=f"worker crashed: {_short_error(exc)}")


def _run_dask(
    jobs: Sequence[Job], root: Path, workers: int, show_code: bool, scheduler: str | None
) -> Iterator[JobResult]:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
        )
        client = Client(cluster)
    try:
        futures = client.map(
            _safe_execute,
            list(jobs),
            reports_root=str(root),
            show_code=show_code,
            pure=False,
            key=[f"report-{job.name}" for job in jobs],
        )
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        for future in dask_completed(futures):
            try:
                yield future.result()
            except Exception as exc:
                job = by_key[future.key]
                yield JobResult.of(
                    job, STATUS_FAILED, 0.0, error=f"dask task failed: {_short_error(exc)}"
                )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_jobs(
    jobs: Sequence[Job],
    reports_root: str | Path | None = None,
    workers: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    show_code: bool = False,
    progress: bool = True,
    run_file: Path | None = None,
) -> list[JobResult]:
    """Run jobs, publish each, then write the index and the run manifest.

    ``executor`` is ``process`` (a local process pool of ``workers``; 1 runs in this
    process) or ``dask`` (``scheduler`` address, or a local cluster if None).
    """
    root = paths.reports_dir(reports_root)
    root.mkdir(parents=True, exist_ok=True)
    publish.recover_interrupted(root)
    workers = workers or os.cpu_count() or 1
    started_at = publish.now_iso()
    if executor == "process":
        stream: Iterable[JobResult] = _run_local(jobs, root, workers, show_code)
    elif executor == "dask":
        stream = _run_dask(jobs, root, workers, show_code, scheduler)
    else:
        raise ValueError(f"unknown executor {executor!r} (use 'process' or 'dask')")
    results: list[JobResult] = []
    bar = _progress(len(jobs), progress)
    try:
        for result in stream:
            results.append(result)
            bar.set_postfix_str(f"last: {result.name} {result.status}", refresh=False)
            bar.update(1)
    finally:
        bar.close()
    order = {job.name: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order.get(r.name, len(order)))
    counts = {
        s: sum(r.status == s for r in results) for s in (STATUS_OK, STATUS_FAILED, STATUS_TIMEOUT)
    }
    run_manifest = {
        "run_file": str(run_file) if run_file else None,
        "started_at": started_at,
        "finished_at": publish.now_iso(),
        "executor": executor,
        "workers": workers,
        "show_code": show_code,
        "counts": counts,
        "jobs": [asdict(r) for r in results],
        "packages": publish.package_versions(),
        "git_commit": publish.git_commit(),
        "python_executable": sys.executable,
    }
    publish.write_json(root / publish.MANIFEST, run_manifest)
    publish.build_index(root, run_manifest)
    return results


def summary_table(results: Sequence[JobResult]) -> str:
    """A plain-text table of job outcomes for the terminal."""
    rows = [("job", "status", "seconds", "detail")]
    for r in results:
        lines = (r.error or "").splitlines() or [""]
        detail = r.folder if r.status == STATUS_OK else lines[0]
        rows.append((r.name, r.status, f"{r.seconds:.1f}", detail[:100]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d}" for a, b, c, d in rows]
    lines.insert(1, "-" * min(120, max(len(line) for line in lines)))
    return "\n".join(lines)


# --- CLI -----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis.reports",
        description="Run parameterised notebooks into shareable HTML reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the jobs of a run file")
    check = sub.add_parser("check", help="expand and validate a run file; run nothing")
    for p in (run, check):
        p.add_argument("run_file", type=Path, help="YAML run file, e.g. notebooks/reports.yml")
        p.add_argument(
            "-p",
            "--parameter",
            nargs=2,
            action="append",
            default=[],
            metavar=("NAME", "VALUE"),
            help="override a parameter in every job whose notebook declares it (typed by "
            "the notebook's declaration, not guessed)",
        )
        p.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="GLOB",
            help="run only jobs whose name matches (repeatable)",
        )
        p.add_argument("--timeout", type=float, default=None, help="seconds per job")
    run.add_argument("--workers", type=int, default=None, help="parallel jobs (default: cores)")
    run.add_argument("--executor", choices=("process", "dask"), default="process")
    run.add_argument(
        "--scheduler", default=None, help="Dask scheduler address (with --executor dask)"
    )
    run.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    run.add_argument("--reports-dir", default=None, help="output folder (default: reports/)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    sub.add_parser("index", help="rebuild reports/index.html").add_argument(
        "--reports-dir", default=None
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns 0 if every job succeeded, 1 if any failed, 2 on bad input."""
    args = _parser().parse_args(argv)
    if args.command == "index":
        print(publish.build_index(paths.reports_dir(args.reports_dir)))
        return 0
    try:
        jobs = load_run_file(
            args.run_file, dict(args.parameter), timeout=args.timeout, only=args.only
        )
    except RunFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        for job in jobs:
            print(f"{job.name}: {job.notebook.name} {json.dumps(job.parameters)}")
        return 0
    results = run_jobs(
        jobs,
        reports_root=args.reports_dir,
        workers=args.workers,
        executor=args.executor,
        scheduler=args.scheduler,
        show_code=args.show_code,
        progress=not args.no_progress,
        run_file=args.run_file,
    )
    print(summary_table(results))
    root = paths.reports_dir(args.reports_dir)
    print(f"index: {root / 'index.html'}")
    return 0 if all(r.status == STATUS_OK for r in results) else 1


if __name__ == "__main__":
    # Run the imported module, not this __main__ copy, so jobs pickled for worker processes
    # refer to analysis.reports.* and workers import the module under its real name.
    from analysis import reports as _reports

    sys.exit(_reports.main())
