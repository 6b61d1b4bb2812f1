"""Rate ratios of many (pre, during) window pairs at once on one daily series.

The rate ratio is the mean daily count during a window divided by the mean in the pre window.
For a model with only an intercept and a during-indicator, the negative-binomial (and Poisson)
maximum-likelihood estimate of that ratio is exactly the ratio of window means, which is what
makes the batch form exact rather than an approximation of
:func:`analysis.effects.rate_ratio_nb`. Window totals come from one cumulative sum, variances
from :func:`analysis.ewc.ewc_sum_variance` grouped by window length, so thousands of ceasefires
cost about as much as one.

Zero events: no events in the pre window gives status ``no_pre_events`` and no estimate; no
events during gives estimate 0 and a one-sided upper bound from the exact conditional binomial
bound on dispersion-adjusted effective counts (status ``zero_during``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis import contract as c
from analysis.ewc import ewc_dof, ewc_sum_variance
from analysis.panel import check_daily_series
from analysis.pooling import benjamini_hochberg
from analysis.status import (
    MIN_WINDOW_DAYS,
    STATUS_DEGENERATE,
    STATUS_NO_EVENTS,
    STATUS_NO_PRE,
    STATUS_NOTES,
    STATUS_OK,
    STATUS_TOO_SHORT,
    STATUS_ZERO_DURING,
)
from analysis.windows import Gap, collapse_chains, window_table


def zero_during_bound(
    events_pre: np.ndarray,
    n_pre: np.ndarray,
    n_during: np.ndarray,
    inflation: np.ndarray,
    level: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Upper confidence bound and two-sided p-value for the rate ratio when no events occur
    during the ceasefire.

    Conditional on the total, the during count is binomial with p = n1 r / (n0 + n1 r).
    Overdispersion and autocorrelation are handled by deflating the pre count to an
    effective count ``events_pre / inflation`` (inflation = long-run variance / mean of the
    pre window, at least 1), the quasi-likelihood analogue of the exact Clopper-Pearson bound.
    """
    alpha = 1 - level
    n_eff = events_pre / np.maximum(inflation, 1.0)
    p_up = 1 - (alpha / 2) ** (1 / n_eff)
    upper = p_up / (1 - p_up) * n_pre / n_during
    p_value = np.minimum(1.0, 2 * (n_pre / (n_pre + n_during)) ** n_eff)
    return upper, p_value


def _positions(index: pd.DatetimeIndex, dates: pd.Series) -> np.ndarray:
    """Integer offsets of dates from the series start (may fall outside the series)."""
    return ((dates - index[0]).dt.days).to_numpy(dtype="float64")


def _window_stats(
    y: np.ndarray, cum: np.ndarray, start: np.ndarray, length: np.ndarray, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Event totals and EWC variance of the totals for windows [start, start+length)."""
    total = np.full(len(start), np.nan)
    var = np.full(len(start), np.nan)
    s = start[valid].astype(np.int64)
    n = length[valid].astype(np.int64)
    total[valid] = cum[s + n] - cum[s]
    var[valid] = ewc_sum_variance(y, s, n)
    return total, var


def log_ratio_from_windows(
    y: np.ndarray,
    pre_start: np.ndarray,
    pre_len: np.ndarray,
    dur_start: np.ndarray,
    dur_len: np.ndarray,
    level: float = 0.95,
) -> pd.DataFrame:
    """Vectorised core: log rate ratio, EWC standard error, t interval, p-value and status
    for many (pre, during) window pairs given as integer positions into ``y``.
    """
    y = np.asarray(y, dtype="float64")
    cum = np.concatenate([[0.0], np.cumsum(y)])
    k = len(pre_start)
    valid = (pre_len >= MIN_WINDOW_DAYS) & (dur_len >= MIN_WINDOW_DAYS)
    valid &= (pre_start >= 0) & (dur_start + dur_len <= len(y)) & (dur_start >= 0)
    s0, v0 = _window_stats(y, cum, pre_start, pre_len, valid)
    s1, v1 = _window_stats(y, cum, dur_start, dur_len, valid)
    n0 = pre_len.astype(float)
    n1 = dur_len.astype(float)
    m0, m1 = s0 / n0, s1 / n1
    nu0, nu1 = ewc_dof(np.maximum(n0, 2)), ewc_dof(np.maximum(n1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rr = np.log(m1) - np.log(m0)
        a0 = v0 / s0**2  # Var(log mean) by the delta method: Var(sum) / sum^2
        a1 = v1 / s1**2
        se = np.sqrt(a0 + a1)
        df = (a0 + a1) ** 2 / (a0**2 / nu0 + a1**2 / nu1)
        tcrit = stats.t.ppf(0.5 + level / 2, df)
        p = 2 * stats.t.sf(np.abs(log_rr) / se, df)
        ci_low, ci_high = np.exp(log_rr - tcrit * se), np.exp(log_rr + tcrit * se)
        inflation = v0 / s0  # pre-window variance inflation relative to Poisson
    status = np.full(k, STATUS_OK, dtype=object)
    status[~valid] = STATUS_TOO_SHORT
    ok = valid.copy()
    zero_pre = valid & (s0 == 0)
    zero_dur = valid & (s0 > 0) & (s1 == 0)
    status[zero_pre] = STATUS_NO_PRE
    status[valid & (s0 == 0) & (s1 == 0)] = STATUS_NO_EVENTS
    status[zero_dur] = STATUS_ZERO_DURING
    degenerate = valid & (s0 > 0) & (s1 > 0) & ~(se > 0)
    status[degenerate] = STATUS_DEGENERATE
    ok &= (s0 > 0) & (s1 > 0) & (se > 0)
    est = np.where(ok, np.exp(log_rr), np.nan)
    lo = np.where(ok, ci_low, np.nan)
    hi = np.where(ok, ci_high, np.nan)
    pv = np.where(ok, p, np.nan)
    if zero_dur.any():
        upper, p_zero = zero_during_bound(
            s0[zero_dur], n0[zero_dur], n1[zero_dur], inflation[zero_dur], level
        )
        est[zero_dur], lo[zero_dur], hi[zero_dur], pv[zero_dur] = 0.0, 0.0, upper, p_zero
    return pd.DataFrame(
        {
            "estimate": est,
            "ci_low": lo,
            "ci_high": hi,
            "p_value": pv,
            "log_rr": np.where(ok, log_rr, np.nan),
            "se": np.where(ok, se, np.nan),
            "df": np.where(ok, df, np.nan),
            "n_pre": pre_len.astype(int),
            "n_during": dur_len.astype(int),
            "events_pre": s0,
            "events_during": s1,
            "status": status,
        }
    )


def batch_effects(
    series: pd.Series,
    ceasefires: pd.DataFrame,
    *,
    pre_days: int = 90,
    gap: Gap = "exclude",
    max_during_days: int = 180,
    chain: bool = False,
    level: float = 0.95,
    fdr_alpha: float = 0.05,
) -> pd.DataFrame:
    """Rate ratio during vs before for every ceasefire of a table on one daily series.

    Vectorised: window totals from one cumulative sum, EWC variances by window length, no
    model fitted per ceasefire. The estimate equals the NB2/Poisson MLE of the rate ratio
    (ratio of means). Adds Benjamini-Hochberg ``q_value`` over the rows with a p-value, and
    the ceasefire's kind and broker bloc for pooling. Rows that cannot be estimated keep a
    status and a note instead of raising.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts with a contiguous daily DatetimeIndex
        (:func:`analysis.panel.daily_series`).
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table (any number).
    pre_days : int, default 90
        Length of each pre (baseline) window in days.
    gap : {'exclude', 'interim', 'during'}, default 'exclude'
        How the days between declaration and entry into force are treated
        (:func:`analysis.windows.window_table`).
    max_during_days : int, default 180
        Length in days of the during window of an open-ended ceasefire.
    chain : bool, default False
        Estimate one ratio per extension chain (:func:`analysis.windows.collapse_chains`) instead of
        one per announcement.
    level : float, default 0.95
        Confidence level of the intervals.
    fdr_alpha : float, default 0.05
        False-discovery rate passed to the Benjamini-Hochberg adjustment.

    Returns
    -------
    pandas.DataFrame
        One row per ceasefire in table order (one per chain with ``chain=True``). Window columns
        (:func:`analysis.windows.window_table`, all bounds inclusive):

        * ceasefire_id: the ceasefire (the chain root with ``chain=True``);
        * declared, effective: declaration and start dates;
        * pre_start, pre_end: the baseline window;
        * interim_start, interim_end: the interim window (NaT unless ``gap='interim'``);
        * during_start, during_end: the ceasefire window (truncated at the end of the data);
        * gap: the ``gap`` setting.

        Estimate columns (:func:`log_ratio_from_windows`; NaN where there is no estimate):

        * estimate: rate ratio, mean daily events during / mean daily events before (0 with status
          'zero_during');
        * ci_low, ci_high: the ``level`` interval (with 'zero_during': 0 and the exact upper bound);
        * p_value: two-sided p-value for a ratio of 1;
        * log_rr, se, df: log rate ratio, its EWC standard error and Welch-Satterthwaite degrees of
          freedom;
        * n_pre, n_during: days in the pre and during windows (0 when not known);
        * events_pre, events_during: events in those windows;
        * status: 'ok', 'zero_during', 'no_pre_events', 'no_events', 'degenerate', 'too_short',
          'outside_data' or 'no_dates' (:mod:`analysis.status`).

        Added here:

        * kind, broker_bloc: the ceasefire's kind and broker bloc (when ``ceasefires`` has them),
          for pooling;
        * note: the status sentence followed by the window notes;
        * q_value: Benjamini-Hochberg q-value over the rows with a p-value (NaN elsewhere);
        * method: always 'ratio_of_means_ewc'.

    Raises
    ------
    ValueError
        When ``series`` is not a gap-free non-negative daily series, for a bad ``gap`` or
        non-positive day counts, or when ``chain=True`` and ``extends`` links are broken.
    """
    y_series = check_daily_series(series)
    table = collapse_chains(ceasefires) if chain else ceasefires.reset_index(drop=True)
    win = window_table(
        table,
        pre_days=pre_days,
        gap=gap,
        max_during_days=max_during_days,
        data_start=y_series.index[0],
        data_end=y_series.index[-1],
    )
    idx = y_series.index
    known = win["window_status"].isin([STATUS_OK, STATUS_TOO_SHORT]).to_numpy()
    pre_start = np.where(known, _positions(idx, win["pre_start"]), -1).astype(np.int64)
    pre_len = np.where(known, (win["pre_end"] - win["pre_start"]).dt.days + 1, 0).astype(np.int64)
    dur_start = np.where(known, _positions(idx, win["during_start"]), -1).astype(np.int64)
    dur_len = np.where(known, (win["during_end"] - win["during_start"]).dt.days + 1, 0)
    dur_len = np.nan_to_num(dur_len.astype(float), nan=0).astype(np.int64)
    est = log_ratio_from_windows(y_series.to_numpy(), pre_start, pre_len, dur_start, dur_len, level)
    est.loc[~known, "status"] = win.loc[~known, "window_status"].to_numpy()
    out = pd.concat([win, est], axis=1)
    for col in (c.CF_KIND, c.CF_BROKER_BLOC):
        if col in table:
            out[col] = table[col].to_numpy()
    out["note"] = (
        out["status"].map(STATUS_NOTES).fillna("") + " " + out["window_note"]
    ).str.strip()
    out["q_value"] = benjamini_hochberg(out["p_value"], fdr_alpha)
    out["method"] = "ratio_of_means_ewc"
    return out.drop(columns=["window_status", "window_note"])
