"""Notebook parameters: what a notebook declares, and which values the runner lets through.

Owns the bounds, choices and date/id rules for notebook parameters (:data:`PARAMETER_BOUNDS`,
:data:`PARAMETER_CHOICES`, :data:`DATE_PARAMETERS`, :data:`CEASEFIRE_ID_PARAMETERS`), reading
a notebook's ``parameters`` cell with Python's own parser, checking a job's values against it
before anything runs, and typing ``-p NAME VALUE`` strings from the command line.
:class:`RunFileError` is the one error every check before a run raises.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis import paths
from analysis.ceasefire_table import CEASEFIRE_SOURCES, load_ceasefire_source
from analysis.contract import (
    ACTOR_SIDES,
    BLOCS,
    CF_ID,
    DECLARER_SIDES,
    EVENT_SOURCES,
    FREQUENCIES,
    REPORTED_MEASURES,
)


class RunFileError(ValueError):
    """A run file or parameter problem found before anything ran (message says where)."""


# --- Bounds --------------------------------------------------------------------------------
# Checked before any notebook runs, so an absurd value fails in a second with a message
# naming the job, not after an hour of permutations.

MAX_DRAWS = 100_000
"""Upper bound on permutation / placebo draws: beyond it a run takes hours for no gain."""

MAX_WINDOW_DAYS = 20 * 365
"""Day-count parameters must be shorter than 20 years (longer than any series here)."""

PARAMETER_BOUNDS: dict[str, tuple[int | float, int | float]] = {
    "n_permutations": (1, MAX_DRAWS),
    "n_placebos": (1, MAX_DRAWS),
    "n_placebo_dates": (1, MAX_DRAWS),
    "seed": (0, 2**32 - 1),  # numpy's legacy seeding accepts 0 .. 2**32 - 1
    "pre_days": (1, MAX_WINDOW_DAYS - 1),
    "window_days": (1, MAX_WINDOW_DAYS - 1),
    "max_during_days": (1, MAX_WINDOW_DAYS - 1),
    "open_ended_days": (1, MAX_WINDOW_DAYS - 1),
    "max_event_days": (1, MAX_WINDOW_DAYS - 1),
    "pair_max_gap_days": (0, MAX_WINDOW_DAYS - 1),
    "weeks_before": (1, MAX_WINDOW_DAYS // 7),
    "weeks_after": (1, MAX_WINDOW_DAYS // 7),
    "pre_periods": (1, MAX_WINDOW_DAYS - 1),
    "post_periods": (1, MAX_WINDOW_DAYS - 1),
    "max_rows": (1, 10_000),  # rows of a report table or figure: beyond it nobody reads them
    "fdr_alpha": (0.0, 1.0),
}
"""Inclusive (min, max) of numeric notebook parameters, by parameter name."""

PARAMETER_CHOICES: dict[str, tuple[str, ...]] = {
    "frequency": tuple(FREQUENCIES),
    "source": EVENT_SOURCES,
    "ceasefires_source": CEASEFIRE_SOURCES,
    "actor_side": ("", *ACTOR_SIDES),
    "declarer_side": ("", *DECLARER_SIDES),
    "blocs": BLOCS,
    "measure_kinds": REPORTED_MEASURES,
}
"""Allowed values of text parameters (for list parameters: of each element), by name."""

CEASEFIRE_ID_PARAMETERS = ("ceasefire_id", "ceasefire_ids", "truce_id", "highlight_id")
"""Parameters whose values must be ids in the ceasefires table (the job's data folder)."""

DATE_PARAMETERS = (
    "start",
    "end",
    "series_start",
    "series_end",
    "study_start",
    "study_end",
    "compare_from",
    "compare_to",
)
"""Text parameters that must be ISO dates (YYYY-MM-DD), or empty: the data's own dates."""


USER_FILE_PARAMETERS = ("events_path", "ceasefires_path", "calendar_path")
"""Text parameters naming a user's file, which must exist (relative to the project root)."""


class RunFileLoader(yaml.SafeLoader):
    """YAML loader that keeps dates as text: ``start: 2021-02-01`` must stay a string."""


RunFileLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# --- Declarations --------------------------------------------------------------------------

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

    Parameters
    ----------
    source : str
        The Python source of the cell tagged ``parameters``.

    Returns
    -------
    dict of str to NotebookParameter
        One entry per assigned name, in the cell's order.
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
    """Parameters declared by a notebook (empty if it has no cell tagged ``parameters``).

    Parameters
    ----------
    notebook : Path
        The ``.ipynb`` file.

    Returns
    -------
    dict of str to NotebookParameter
        What :func:`parse_parameters_cell` finds in the first cell tagged ``parameters``.
    """
    # plain JSON, not nbformat: importing nbformat (and jsonschema's format grammars) takes
    # seconds, which a rerun with nothing to do should not pay
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError) as exc:
        raise RunFileError(f"{notebook}: not a readable notebook: {exc}") from exc
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            try:
                return parse_parameters_cell(
                    "".join(source) if isinstance(source, list) else source
                )
            except SyntaxError as exc:
                raise RunFileError(
                    f"{notebook}: parameters cell is not valid Python: {exc}"
                ) from exc
    return {}


def literal_default(parameter: NotebookParameter) -> bool:
    """Whether a default is a plain literal (not an expression evaluated in the kernel).

    Parameters
    ----------
    parameter : NotebookParameter
        A declared parameter.

    Returns
    -------
    bool
        True when its default source is a Python literal that manifests can record.
    """
    try:
        ast.literal_eval(parameter.default_source)
    except (ValueError, SyntaxError):
        return False
    return True


# --- Checks --------------------------------------------------------------------------------


def _type_ok(value: Any, types: tuple[str, ...]) -> bool:
    for name in types:
        accepted = _TYPES[name]
        if isinstance(value, bool) and bool not in accepted:
            continue  # True is an int in Python, but never a valid int/float parameter
        if isinstance(value, accepted):
            return True
    return False


def check_parameters(
    notebook: Path,
    job: str,
    values: Mapping[str, Any],
    declared: Mapping[str, NotebookParameter],
) -> dict[str, Any]:
    """Validated parameters for a job: unknown names and wrong types raise RunFileError.

    Integers given for float parameters become floats, so the notebook sees the type its
    default promises.

    Parameters
    ----------
    notebook : Path
        The job's notebook (named in messages; its folder resolves ``data_dir``).
    job : str
        The job's name (named in messages).
    values : Mapping
        Parameter values the run file sets.
    declared : Mapping
        The notebook's declarations, from :func:`notebook_parameters`.

    Returns
    -------
    dict
        The values, converted where the declared type asks for it.
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
            # YAML reads 100001 as a number: an ETH/PRIO uniq_id must be quoted to stay text
            quote = f"; write it in quotes: '{value}'" if spec.types == ("str",) else ""
            problems.append(
                f"parameter {name!r} = {value!r} is {type(value).__name__}, expected "
                f"{' | '.join(spec.types)} (default: {spec.default_source}){quote}"
            )
            continue
        if isinstance(value, int) and not isinstance(value, bool) and spec.types == ("float",):
            value = float(value)
        problem = value_problem(name, value)
        if problem:
            problems.append(problem)
            continue
        checked[name] = value
    if problems:
        raise RunFileError(f"job {job!r} ({notebook}): " + "; ".join(problems))
    return checked


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_problem(name: str, value: Any) -> str | None:
    """What is wrong with a well-typed parameter value, per the declared bounds, choices,
    date and path rules (None when nothing is).

    Bounds come from :data:`PARAMETER_BOUNDS`, choices from :data:`PARAMETER_CHOICES` and
    date names from :data:`DATE_PARAMETERS`; ``events_path`` must name an existing file and
    ``data_dir`` an existing folder, both resolved as the notebook resolves them (relative
    paths from the project root).

    Parameters
    ----------
    name : str
        The parameter's name.
    value : Any
        Its value, already of a declared type.

    Returns
    -------
    str or None
        A message naming the parameter and what is wrong, or None.
    """
    shown = f"parameter {name!r} = {value!r}"
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if name in PARAMETER_BOUNDS and number:
        low, high = PARAMETER_BOUNDS[name]
        if not low <= value <= high:  # NaN fails this too
            return f"{shown} is out of range: expected {low} to {high}"
    if name in PARAMETER_CHOICES:
        allowed = PARAMETER_CHOICES[name]
        items = value if isinstance(value, list | tuple) else [value]
        bad = [v for v in items if isinstance(v, str) and v not in allowed]
        if bad:
            return f"{shown}: {bad} not allowed; choose from {list(allowed)}"
    if name in DATE_PARAMETERS and isinstance(value, str) and value:
        try:
            ok = bool(_ISO_DATE.match(value)) and not pd.isna(pd.Timestamp(value))
        except ValueError:
            ok = False
        if not ok:
            return f"{shown} is not a date: expected YYYY-MM-DD, e.g. '2021-02-01'"
    if name in USER_FILE_PARAMETERS and isinstance(value, str) and value:
        resolved = paths.resolve_user_path(value)
        if not resolved.is_file():
            return f"{shown}: file not found ({resolved}; relative paths start at the project root)"
    if name == "data_dir" and isinstance(value, str) and value:
        folder = job_data_dir(value)
        if not folder.is_dir():
            return f"{shown}: folder not found ({folder}; relative paths start at the project root)"
    return None


def job_data_dir(value: str) -> Path:
    """The folder a notebook's ``data_dir`` parameter names, as the notebook resolves it.

    Parameters
    ----------
    value : str
        The parameter's value; a relative folder is taken from the project root.

    Returns
    -------
    Path
        The folder (not checked for existence).
    """
    return paths.data_dir(value)


def _table_ids(
    job: str,
    notebook: Path,
    data_dir: str,
    table_source: list[str],
    cache: dict[str, dict[str, str]],
) -> dict[str, str]:
    """The ceasefire ids of one table (curated or ETH/PRIO), read once per run: id -> "" for
    a listed ceasefire, or why the ETH/PRIO loader left it out."""
    key = "|".join([data_dir, *table_source])
    if key not in cache:
        try:
            folder = job_data_dir(data_dir) if data_dir else None
            table = load_ceasefire_source(
                table_source[0] or "curated", table_source[1], table_source[2], folder
            )
        except (OSError, ValueError) as exc:
            raise RunFileError(
                f"job {job!r} ({notebook}): cannot check ceasefire ids, the ceasefire table "
                f"does not load: {exc}"
            ) from exc
        left_out = {str(r[CF_ID]): r["reason"] for r in table.attrs.get("skipped", ())}
        cache[key] = {**left_out, **dict.fromkeys(table[CF_ID].astype(str), "")}
    return cache[key]


def check_ceasefire_ids(
    notebook: Path, job: str, parameters: Mapping[str, Any], cache: dict[str, dict[str, str]]
) -> str:
    """Reject ceasefire ids that the job's ceasefire table does not list, before anything runs.

    A job reading an ETH/PRIO table whose ids are all curated Myanmar ids (a sweep over the
    curated table, or the notebook's curated default) is not an error but a job to skip: the
    reason is returned.

    Parameters
    ----------
    notebook : Path
        The job's notebook (its folder resolves ``data_dir``).
    job : str
        The job's name (named in messages).
    parameters : Mapping
        The job's effective parameters; the ones in :data:`CEASEFIRE_ID_PARAMETERS` are
        checked.
    cache : dict
        Ids per ceasefire table (id -> "" or why the loader left it out), filled here, so a
        sweep reads each table once.

    Returns
    -------
    str
        "" when every id is known; the reason to skip the job when its ids are curated ids
        and the job reads an ETH/PRIO table. Raises :class:`RunFileError` naming other unknown
        ids and close matches.
    """
    given = {
        name: value if isinstance(value, list | tuple) else [value]
        for name, value in parameters.items()
        if name in CEASEFIRE_ID_PARAMETERS and value not in (None, "", [])
    }
    if not given:
        return ""
    data_dir = str(parameters.get("data_dir") or "")
    # The ids live in the table the job reads: the curated one or an ETH/PRIO file.
    table_source = [
        str(parameters.get(name) or "")
        for name in ("ceasefires_source", "ceasefires_path", "country")
    ]
    ids = _table_ids(job, notebook, data_dir, table_source, cache)
    known = {i for i, left_out in ids.items() if not left_out}
    unknown_ids = {name: [v for v in vs if str(v) not in known] for name, vs in given.items()}
    flat = [str(v) for vs in unknown_ids.values() for v in vs]
    if flat and table_source[0] == "ethprio":
        curated = _table_ids(job, notebook, data_dir, ["curated", "", ""], cache)
        if set(flat) <= set(curated):
            return (
                f"{', '.join(flat)}: curated Myanmar id(s), while this run reads the ETH/PRIO "
                f"table {Path(table_source[1]).name}; name its uniq_id instead"
            )
    problems = []
    for name, unknown in unknown_ids.items():
        problems += [
            f"parameter {name!r}: ceasefire {v} is in the file but was left out: {ids[str(v)]}"
            for v in unknown
            if ids.get(str(v))
        ]
        unknown = [v for v in unknown if not ids.get(str(v))]
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
    return ""


def convert_cli_value(raw: str, spec: NotebookParameter | None) -> Any:
    """A ``-p NAME VALUE`` string converted to the parameter's declared type.

    Papermill guesses (``-p ceasefire_id 2021`` becomes an int); here text parameters stay
    text and other types are parsed as YAML/JSON values of that type.

    Parameters
    ----------
    raw : str
        The value as typed on the command line.
    spec : NotebookParameter or None
        The notebook's declaration of the name (None: parse as YAML).

    Returns
    -------
    Any
        The typed value.
    """
    types = spec.types if spec is not None else None
    if types is not None and "str" in types:
        return None if raw in ("None", "null") and "None" in types else raw
    try:
        value = yaml.load(raw, Loader=RunFileLoader)
    except yaml.YAMLError:
        return raw
    if types is not None and "float" in types and isinstance(value, int):
        return float(value)
    return value
