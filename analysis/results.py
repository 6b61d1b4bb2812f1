"""Result objects and the key numbers a notebook records for tests, the gallery and comparison.

Every result a notebook gets back is either a documented table or a dataclass built on
:class:`Result`, which gives it ``to_dict()`` (plain numbers, ready for :func:`record`) and an
HTML view, so ``display(result)`` in JupyterLab shows a readable table of its numbers.

A notebook calls :func:`record` once per result set. The numbers travel inside the executed
notebook as a display output with a private MIME type (so they survive papermill and need no
side files), and :func:`read_results` collects them again from the executed ``.ipynb``.
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import display

RESULTS_MIME = "application/vnd.ceasefire.results+json"


class Result:
    """Mixin for result dataclasses: ``to_dict()`` and a readable HTML view.

    Fields holding tables or arrays are left out of ``to_dict()`` (their numbers are recorded
    through the table's own columns); subclasses override ``to_dict`` to flatten nested
    results with prefixes.
    """

    def to_dict(self) -> dict[str, Any]:
        """The scalar fields as a plain dict (nested results flattened as ``field_key``)."""
        out: dict[str, Any] = {}
        for item in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, item.name)
            if isinstance(value, Result):
                out.update(prefixed(value.to_dict(), f"{item.name}_"))
            elif not isinstance(value, pd.DataFrame | pd.Series | pd.Index | np.ndarray):
                out[item.name] = value
        return out

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(_short(value))}</td></tr>"
            for key, value in _plain(self.to_dict()).items()
        )
        parts = [f"<table><caption>{html.escape(type(self).__name__)}</caption>{rows}</table>"]
        for item in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, item.name)
            if isinstance(value, pd.DataFrame):
                parts.append(
                    f"<p><b>{html.escape(item.name)}</b>: {len(value):,} rows</p>"
                    + value.head(10).to_html(index=False, escape=True)
                )
        return "".join(parts)


def table_numbers(
    table: pd.DataFrame, key: str, columns: list[str], prefix: str = ""
) -> dict[str, Any]:
    """Flatten a small results table into ``{prefix}{key value}_{column}`` pairs.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group (e.g. per bloc).
    key : str
        The column naming each row.
    columns : list of str
        The columns to keep.
    prefix : str
        Put before every key, e.g. ``'timing_'`` gives ``'timing_China_p_value'``.

    Returns
    -------
    dict
        Ready for :func:`record`.
    """
    long = table.set_index(key)[columns].stack(future_stack=True)
    return {f"{prefix}{row}_{column}": value for (row, column), value in long.items()}


def prefixed(numbers: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The same numbers with ``prefix`` on every key (to record several result sets).

    Parameters
    ----------
    numbers : mapping
        Key numbers, e.g. a result's ``to_dict()``.
    prefix : str
        Put before every key, e.g. ``'chain_'``.

    Returns
    -------
    dict
        The same values under the prefixed keys.
    """
    return {f"{prefix}{key}": value for key, value in numbers.items()}


def _plain(value: Any) -> Any:
    """Convert numpy / pandas scalars and containers to JSON-ready Python values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        as_float = float(value)
        return None if math.isnan(as_float) or math.isinf(as_float) else as_float
    if isinstance(value, np.bool_):
        return bool(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def to_json_ready(results: Mapping[str, Any]) -> dict[str, Any]:
    """Results as plain JSON types; raises TypeError naming a key that cannot be stored."""
    converted = _plain(results)
    try:
        json.dumps(converted, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"recorded results must be JSON-serialisable: {exc}") from exc
    return converted


def record(results: Mapping[str, Any]) -> None:
    """Record key numbers from inside a notebook (shown as a small table, stored as JSON).

    Parameters
    ----------
    results : mapping
        Names to plain values (numbers, strings, dates, lists); numpy and pandas scalars are
        converted, NaN and infinities stored as null.

    Returns
    -------
    None
        The numbers are displayed as an output of the running cell (a private MIME type read back by
        :func:`read_results`, plus a collapsed HTML table).

    Raises
    ------
    TypeError
        When a value cannot be stored as JSON (the message names it).
    """
    payload = to_json_ready(results)
    text = "\n".join(f"{key}: {value}" for key, value in payload.items())
    display(
        {RESULTS_MIME: payload, "text/html": results_html(payload), "text/plain": text}, raw=True
    )


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def results_html(payload: Mapping[str, Any]) -> str:
    """A collapsed, escaped table of the recorded numbers: the report's narrative and tables
    show the results; this block is for readers who want every stored value."""
    rows = "".join(
        f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(_short(value))}</td></tr>"
        for key, value in payload.items()
    )
    return (
        '<details class="recorded-results"><summary>All recorded numbers '
        f"({len(payload)})</summary><table>{rows}</table></details>"
    )


def read_results(notebook_path: str | Path) -> dict[str, Any]:
    """Merge every recorded result set of an executed notebook (later records win)."""
    # plain JSON: importing nbformat costs seconds in every kernel that records results
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    merged: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIME in data:
                payload = data[RESULTS_MIME]
                merged.update(json.loads(payload) if isinstance(payload, str) else payload)
    return merged
