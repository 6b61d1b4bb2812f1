"""Run files: the YAML list of notebooks x parameter sets, expanded into checked jobs.

Owns :class:`Job`, safe job names (:func:`slugify`), sweeps over a project table
(:func:`sweep_values`) and :func:`plan_run_file` / :func:`load_run_file`, which expand and
validate a whole run file (parameters via :mod:`analysis.runner.parameters`) before anything
runs. A sweep over ceasefires keeps only the ceasefires whose windows fit the events the job
will read; the others become :class:`SkippedJob` entries with the reason, not failures.
Parameters under ``bundled_data_parameters`` apply only to jobs that read the bundled data.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis import events
from analysis.ceasefire_table import load_ceasefire_source, load_ceasefires, windows_fit_data
from analysis.runner.parameters import (
    RunFileError,
    RunFileLoader,
    check_ceasefire_ids,
    check_parameters,
    convert_cli_value,
    job_data_dir,
    literal_default,
    notebook_parameters,
)

DEFAULT_TIMEOUT = 1800.0
"""Seconds a job may run before its kernel is killed (override per job or ``--timeout``)."""
SWEEP_SOURCES = ("ceasefires",)
MAX_SLUG = 120
BUNDLED_SOURCE = "ucdp_daily"
"""The source a job reads the bundled data with (no ``events_path``)."""
FITTED_PARAMETERS = ("ceasefire_id", "truce_id")
"""A job that reads events and names one ceasefire in one of these is checked like a sweep."""
SERIES_BOUNDS = (("series_start", "start"), ("series_end", "end"))
"""Parameters that bound a notebook's daily series, first found wins (empty: the data's)."""


@dataclass(frozen=True)
class Job:
    """One notebook run: what to run, with which parameters, under which name."""

    name: str
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    defaults: dict[str, Any] = field(default_factory=dict)
    """The notebook's own defaults, so manifests record every value a run used."""


@dataclass(frozen=True)
class SkippedJob:
    """A job left out because its ceasefire's windows do not fit the job's data, or because
    it names curated ceasefire ids while the run reads an ETH/PRIO table."""

    name: str
    notebook: str
    parameters: dict[str, Any]
    reason: str


@dataclass(frozen=True)
class RunPlan:
    """The jobs a run file expands to, and the sweep jobs it leaves out (with the reason)."""

    jobs: list[Job]
    skipped: list[SkippedJob] = field(default_factory=list)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slugify(text: str) -> str:
    """A safe file/folder name: no separators, no '..', no leading dot, bounded length.

    Parameters
    ----------
    text : str
        Any text (a job name, a parameter value).

    Returns
    -------
    str
        A non-empty name that stays inside the folder it is joined to.
    """
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

    Parameters
    ----------
    spec : Mapping
        The entry's ``sweep`` mapping.
    where_file : str
        Where the entry is (run file and job number), for messages.
    data_dir : str or Path, optional
        The data folder the job reads (default: the project's).

    Returns
    -------
    list
        The distinct values, in table order.
    """
    source = spec.get("from")
    if source not in SWEEP_SOURCES:
        raise RunFileError(
            f"{where_file}: sweep 'from' must be one of {SWEEP_SOURCES}, got {source!r}"
        )
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
    """The jobs of :func:`plan_run_file` (sweep jobs that do not fit the data left out).

    Parameters
    ----------
    run_file : Path
        The YAML run file.
    overrides : Mapping, optional
        ``-p NAME VALUE`` strings from the command line.
    timeout : float, optional
        Seconds per job, replacing the run file's ``timeout``.
    only : sequence of str
        Glob patterns selecting jobs by name.

    Returns
    -------
    list of Job
        Every job that will run, in run-file order.
    """
    return plan_run_file(run_file, overrides, timeout, only).jobs


def plan_run_file(
    run_file: Path,
    overrides: Mapping[str, str] | None = None,
    timeout: float | None = None,
    only: Sequence[str] = (),
) -> RunPlan:
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
        bundled_data_parameters: {start: "2018-01-01"}   # only for jobs on the bundled data

    A sweep over ``ceasefires`` in a notebook that reads events (declares ``source``) keeps
    only the ceasefires whose windows fit the events the job will read (its source,
    ``events_path`` and series bounds; :func:`analysis.ceasefire_table.windows_fit_data`);
    the others are listed in ``RunPlan.skipped`` with the reason. A job of such a notebook
    naming one ceasefire (``ceasefire_id``, ``truce_id``) is checked the same way.

    Parameters
    ----------
    run_file : Path
        The YAML run file.
    overrides : Mapping, optional
        ``-p NAME VALUE`` strings from the command line; they apply to every job whose
        notebook declares NAME, typed by that declaration.
    timeout : float, optional
        Seconds per job, replacing the run file's ``timeout``.
    only : sequence of str
        Glob patterns; when given, only jobs whose name matches one are kept.

    Returns
    -------
    RunPlan
        Every job, in run-file order, with checked parameters, and the skipped sweep jobs.
    """
    run_file = Path(run_file)
    try:
        spec = yaml.load(run_file.read_text(encoding="utf-8"), Loader=RunFileLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RunFileError(f"{run_file}: cannot read run file: {exc}") from exc
    entries = spec.get("jobs")
    if not isinstance(entries, list) or not entries:
        raise RunFileError(f"{run_file}: needs a non-empty 'jobs' list")
    base_dir = run_file.resolve().parent
    bundled = spec.get("bundled_data_parameters") or {}
    if not isinstance(bundled, Mapping):
        raise RunFileError(f"{run_file}: bundled_data_parameters must be a mapping of names")
    default_timeout = _positive_timeout(
        timeout if timeout is not None else spec.get("timeout"), DEFAULT_TIMEOUT, str(run_file)
    )
    jobs: list[Job] = []
    skipped: list[SkippedJob] = []
    errors: list[str] = []
    context = _Context(overrides or {}, default_timeout, dict(bundled), only)
    for position, entry in enumerate(entries, start=1):
        where = f"{run_file} job #{position}"
        if isinstance(entry, Mapping) and entry.get("notebook"):
            where += f" ({entry['notebook']})"
        try:
            expanded, left_out = _expand_entry(entry, base_dir, where, context)
        except RunFileError as exc:
            errors.append(str(exc))
            continue
        jobs.extend(expanded)
        skipped.extend(left_out)
    seen: dict[str, int] = {}
    for job in [*jobs, *skipped]:
        seen[job.name] = seen.get(job.name, 0) + 1
    duplicates = sorted(n for n, count in seen.items() if count > 1)
    if duplicates:
        errors.append(f"{run_file}: job names must be unique, repeated: {', '.join(duplicates)}")
    if errors:
        raise RunFileError("\n".join(errors))
    if only and not jobs and not skipped:
        raise RunFileError(f"{run_file}: no job matches {list(only)}")
    return RunPlan(jobs, skipped)


def _selected(name: str, only: Sequence[str]) -> bool:
    """Whether ``--only`` patterns keep the job (every job when there are none): a glob on
    the job's name, or the name of a sweep in the run file (``ceasefire_effect`` keeps every
    ``ceasefire_effect__...`` job it expands to)."""
    return not only or any(
        fnmatch.fnmatchcase(name, pattern) or name.startswith(f"{pattern}__") for pattern in only
    )


@dataclass
class _Context:
    """What every entry of one run file shares, and caches filled while expanding it."""

    overrides: Mapping[str, str]
    default_timeout: float
    bundled: dict[str, Any]
    only: Sequence[str] = ()
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    dates: dict[tuple[str, str, str], events.DataDates] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _reads_bundled_data(params: Mapping[str, Any], declared: Mapping[str, Any]) -> bool:
    if "source" not in declared:
        return False
    source = params.get("source", declared["source"].default)
    events_path = params.get("events_path", getattr(declared.get("events_path"), "default", ""))
    return source == BUNDLED_SOURCE and not events_path


def _expand_entry(
    entry: Any, base_dir: Path, where: str, context: _Context
) -> tuple[list[Job], list[SkippedJob]]:
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
    for name, raw in context.overrides.items():
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
            job_data_dir(data_dir) if isinstance(data_dir, str) and data_dir else None,
        )
        sets = [{**s, sweep["parameter"]: v} for s in sets for v in values]
        varying = [*varying, sweep["parameter"]]
    defaults = {
        n: p.default for n, p in declared.items() if p.default_source and literal_default(p)
    }
    base = str(entry.get("name") or notebook.stem)
    if "name" in entry and slugify(base) != base:
        # An explicit name is a folder name under reports/: a path there is a mistake, so
        # say so rather than publish under a silently different name.
        raise RunFileError(
            f"{where}: job name {base!r} is not a plain folder name (letters, digits, '.', "
            f"'_', '-'; no '/', '..', spaces or leading '.'/'_'), e.g. {slugify(base)!r}"
        )
    timeout = _positive_timeout(entry.get("timeout"), context.default_timeout, where)
    # a job that reads events and names one ceasefire runs only if its windows fit them
    fit_parameter = (
        entry["sweep"]["parameter"]
        if entry.get("sweep")
        else next((n for n in FITTED_PARAMETERS if n in declared), "")
    )
    fit_checked = bool(fit_parameter) and "source" in declared
    jobs, skipped = [], []
    for values in sets:
        params = {**shared, **values}
        if _reads_bundled_data(params, declared):
            bundled = {k: v for k, v in context.bundled.items() if k in declared}
            params = {**bundled, **params}
        name = _job_name(base, params, varying)
        if not _selected(name, context.only):
            continue  # --only: jobs left out are not checked (they may not suit the run)
        checked = check_parameters(notebook, name, params, declared)
        reason = check_ceasefire_ids(notebook, name, {**defaults, **checked}, context.ids)
        if fit_checked and not reason:
            reason = _fit_reason({**defaults, **checked}, fit_parameter, where, context)
        if reason:
            skipped.append(SkippedJob(name, str(notebook), checked, reason))
        else:
            jobs.append(Job(name, notebook, checked, timeout, defaults))
    return jobs, skipped


def _fit_reason(params: Mapping[str, Any], parameter: str, where: str, context: _Context) -> str:
    """Why the swept ceasefire's windows do not fit the job's events ("" when they do)."""
    source = str(params.get("source") or BUNDLED_SOURCE)
    events_path = str(params.get("events_path") or "")
    data_dir = str(params.get("data_dir") or "")
    key = (source, events_path, data_dir)
    try:
        if key not in context.dates:
            context.dates[key] = events.source_dates(source, events_path, data_dir or None)
        table_source = [
            str(params.get(n) or "") for n in ("ceasefires_source", "ceasefires_path", "country")
        ]
        table_key = "|".join([data_dir, *table_source])
        if table_key not in context.tables:
            folder = job_data_dir(data_dir) if data_dir else None
            context.tables[table_key] = load_ceasefire_source(
                table_source[0] or "curated", table_source[1], table_source[2], folder
            )
    except (OSError, ValueError) as exc:
        raise RunFileError(
            f"{where}: cannot read the events to check which ceasefires fit them: {exc}"
        ) from exc
    dates = context.dates[key]
    bounds = []
    for names, data_bound, pick in zip(
        SERIES_BOUNDS, (dates.data_first_date, dates.data_last_date), (max, min), strict=True
    ):
        given = next((params[n] for n in names if params.get(n)), "")
        bounds.append(pick(pd.Timestamp(given), data_bound) if given else data_bound)
    fit = windows_fit_data(
        context.tables[table_key],
        [str(params[parameter])],
        data_start=bounds[0],
        data_end=bounds[1],
        pre_days=int(params.get("pre_days", 90)),
        gap=str(params.get("gap", "exclude")),
        max_during_days=int(params.get("max_during_days", 180)),
        chain=bool(params.get("chain", False)),
    ).iloc[0]
    return "" if fit["fits"] else f"{parameter} {params[parameter]}: {fit['reason']}"


def _positive_timeout(value: Any, default: float, where: str) -> float:
    """A job's timeout in seconds: a positive number (a zero budget would kill every job)."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise RunFileError(f"{where}: timeout must be a positive number of seconds, not {value!r}")
    return float(value)
