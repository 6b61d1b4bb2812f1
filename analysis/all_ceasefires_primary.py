"""The primary (counterfactual) estimate of every ceasefire of an all-ceasefire table.

:func:`analysis.all_ceasefires.all_ceasefire_effects` computes the descriptive before/during
ratio of every ceasefire in one vectorised pass (seconds for a whole ETH/PRIO file).
:func:`with_primary` adds the primary estimate of :mod:`analysis.counterfactual` to the same
table: each ceasefire's own series (the events on its dyads or counterparts, as
:func:`analysis.all_ceasefires.dyad_daily_counts` cuts them) is cut again with up to
``max_baseline_years`` before the declaration (and as much again for the pseudo-origins that
calibrate its interval), and
:func:`analysis.counterfactual.counterfactual_batch` fits one model per ceasefire. That costs
30-250 ms per ceasefire, minutes at ETH/PRIO scale, so it is a separate step a report can turn
off.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis.all_ceasefires import (
    ESTIMATED,
    NOT_IN_DATA,
    AllCeasefires,
    dyad_daily_counts,
    not_computed,
)
from analysis.contract import CF_ID, DataContractError
from analysis.counterfactual import PRIMARY_COLUMNS, YEAR_DAYS, counterfactual_batch
from analysis.windows import collapse_chains


def with_primary(
    effects: AllCeasefires,
    events: pd.DataFrame,
    ceasefires: pd.DataFrame,
    *,
    chain: bool = False,
    compute: bool = True,
    max_baseline_years: float = 3.0,
    level: float = 0.95,
    progress: bool = False,
) -> AllCeasefires:
    """The all-ceasefire result with every row's primary estimate filled in.

    A row is estimated when its windows lie in the data and its outcome has events there (the
    descriptive statuses no_dyad, dyad_not_in_data, outside_data and no_dates are copied);
    the baseline runs from ``max_baseline_years`` (or the data's first day, if later) to the
    day before the declaration or entry into force, whichever is earlier, and the ceasefire
    window is the descriptive one. The estimate equals
    :func:`analysis.counterfactual.counterfactual_effect` on the ceasefire's whole series.
    Rows with no events in the descriptive ``pre_days`` may still get a primary estimate from
    the longer baseline.

    Parameters
    ----------
    effects : AllCeasefires
        From :func:`analysis.all_ceasefires.all_ceasefire_effects` on the same events and
        ceasefires.
    events : pandas.DataFrame
        The canonical EVENTS rows given to it.
    ceasefires : pandas.DataFrame
        The CEASEFIRES rows given to it.
    chain : bool, default False
        As given to it.
    compute : bool, default True
        False returns ``effects`` unchanged (primary columns status 'not_computed').
    max_baseline_years : float, default 3.0
        Longest baseline of the primary estimate.
    level : float, default 0.95
        Confidence level.
    progress : bool, default False
        Show a progress bar (the pass takes minutes at ETH/PRIO scale).

    Returns
    -------
    AllCeasefires
        ``effects`` with :data:`analysis.counterfactual.PRIMARY_COLUMNS` filled and
        n_primary_estimated, n_primary_fell, n_primary_rose and median_primary_mde set.

    Raises
    ------
    DataContractError
        When ``ceasefires`` (and ``chain``) are not those ``effects`` was computed from.
    """
    if not compute:
        return effects
    table = collapse_chains(ceasefires) if chain else ceasefires.reset_index(drop=True)
    out = effects.table.copy()
    head = out.iloc[: len(table)]
    if not head[CF_ID].astype(str).equals(table[CF_ID].astype(str).reset_index(drop=True)):
        raise DataContractError(
            "ceasefires: the rows (column ceasefire_id) differ from those of effects.table; "
            "pass the table and chain given to all_ceasefire_effects"
        )
    usable = (~head["status"].isin(NOT_IN_DATA) & head["pre_end"].notna()).to_numpy()
    primary = primary_columns(
        events,
        table,
        head,
        usable,
        (effects.first_day, effects.last_day),
        max_baseline_years,
        level,
        progress,
    )
    primary.loc[~usable, list(PRIMARY_COLUMNS)] = np.nan
    primary.loc[~usable, "primary_status"] = head.loc[~usable, "status"].to_numpy()
    out.loc[: len(table) - 1, list(PRIMARY_COLUMNS)] = primary.to_numpy(dtype=object)
    out = out.astype({c: "float64" for c in PRIMARY_COLUMNS if c != "primary_status"})
    estimated = out["primary_status"].isin(ESTIMATED)
    return dataclasses.replace(
        effects,
        table=out,
        n_primary_estimated=int(estimated.sum()),
        n_primary_fell=int((estimated & (out["primary_ci_high"] < 1)).sum()),
        n_primary_rose=int((estimated & (out["primary_ci_low"] > 1)).sum()),
        median_primary_mde=float(out.loc[estimated, "primary_mde"].median()),
    )


def primary_columns(
    events: pd.DataFrame,
    table: pd.DataFrame,
    windows: pd.DataFrame,
    usable: np.ndarray,
    span: tuple[pd.Timestamp, pd.Timestamp],
    max_baseline_years: float = 3.0,
    level: float = 0.95,
    progress: bool = False,
) -> pd.DataFrame:
    """The primary estimate of each usable ceasefire on its own series.

    Parameters
    ----------
    events : pandas.DataFrame
        Canonical EVENTS rows.
    table : pandas.DataFrame
        CEASEFIRES rows (chains already collapsed when wanted).
    windows : pandas.DataFrame
        Aligned with ``table``: pre_end, during_start and during_end of each ceasefire.
    usable : numpy.ndarray
        Rows to estimate; the others get status outside_data.
    span : tuple of pandas.Timestamp
        The events data's first and last day (no baseline before the first).
    max_baseline_years : float, default 3.0
        Longest baseline.
    level : float, default 0.95
        Confidence level.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.counterfactual.counterfactual_batch`, one row per row of ``table``.
    """
    first_day, last_day = span
    max_days = int(round(max_baseline_years * YEAR_DAYS))
    origin_day = windows["pre_end"] + pd.Timedelta(days=1)
    # the pseudo-origins before the real one each fit up to max_days before them, as on the
    # whole series (analysis.counterfactual.counterfactual_effect): the same estimate
    first = (origin_day - pd.Timedelta(days=2 * max_days)).clip(lower=first_day)
    counts = dyad_daily_counts(
        events,
        table,
        first_day,
        last_day,
        segment_start=first.where(usable),
        segment_end=windows["during_end"].where(usable),
    )

    def offset(column: pd.Series) -> np.ndarray:
        days = (column - first).dt.days.to_numpy(dtype="float64")
        return np.where(usable, np.nan_to_num(days, nan=-1.0), -1).astype(np.int64)

    during_days = offset(windows["during_end"]) - offset(windows["during_start"]) + 1
    return counterfactual_batch(
        counts.counts,
        counts.start,
        counts.length,
        counts.segment_start.dt.day_of_week.fillna(0).to_numpy(dtype=np.int64),
        offset(origin_day),
        offset(windows["during_start"]),
        np.where(usable, during_days, 0),
        max_baseline_days=max_days,
        level=level,
        progress=progress,
    )


def primary_on_series(
    series: pd.Series,
    windows: pd.DataFrame,
    *,
    compute: bool = True,
    max_baseline_years: float = 3.0,
    level: float = 0.95,
    progress: bool = False,
) -> pd.DataFrame:
    """The primary estimate of every ceasefire of a table on one shared daily series.

    For tables measured on one series (the curated table's national series in
    :func:`analysis.batch.batch_effects`): each row's estimate equals
    :func:`analysis.counterfactual.counterfactual_effect` on ``series`` with its windows.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts (:func:`analysis.panel.daily_series`).
    windows : pandas.DataFrame
        One row per ceasefire with status, pre_end, during_start and during_end (e.g. the
        output of :func:`analysis.batch.batch_effects`).
    compute : bool, default True
        False gives the columns with status 'not_computed'.
    max_baseline_years, level, progress
        As in :func:`with_primary`.

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.counterfactual.PRIMARY_COLUMNS`, aligned with ``windows`` (rows whose
        windows are not in the data keep their status).
    """
    if not compute:
        return not_computed(len(windows)).set_axis(windows.index)
    first = pd.DatetimeIndex(series.index)[0]
    usable = (~windows["status"].isin(NOT_IN_DATA) & windows["pre_end"].notna()).to_numpy()

    def offset(column: str, shift: int = 0) -> np.ndarray:
        days = (windows[column] - first).dt.days.to_numpy(dtype="float64") + shift
        return np.where(usable, np.nan_to_num(days, nan=-1.0), -1).astype(np.int64)

    n = len(windows)
    out = counterfactual_batch(
        series.to_numpy(dtype=float),
        np.zeros(n, dtype=np.int64),
        np.full(n, len(series), dtype=np.int64),
        np.full(n, first.day_of_week, dtype=np.int64),
        offset("pre_end", 1),
        offset("during_start"),
        np.where(usable, offset("during_end") - offset("during_start") + 1, 0),
        max_baseline_days=int(round(max_baseline_years * YEAR_DAYS)),
        level=level,
        progress=progress,
    )
    out.loc[~usable, list(PRIMARY_COLUMNS)] = np.nan
    out.loc[~usable, "primary_status"] = windows.loc[~usable, "status"].to_numpy()
    return out.set_axis(windows.index)
