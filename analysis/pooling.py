"""Combining many ceasefire estimates: false-discovery-rate q-values and random-effects pooling."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analysis.status import STATUS_NOTHING_TO_POOL, STATUS_OK, STATUS_SINGLE

POOLED_VALUES = ("pooled_rr", "ci_low", "ci_high", "pooled_log_rr", "pooled_se", "p_value")
POOLED_VALUES += ("tau2", "i2", "q", "p_heterogeneity")
"""The columns of :func:`pool_random_effects` that exist only for a group of two or more."""


def benjamini_hochberg(p_values: pd.Series, alpha: float = 0.05) -> pd.Series:
    """BH false-discovery-rate adjusted p-values (q-values); NaN p-values stay NaN."""
    q = pd.Series(np.nan, index=p_values.index)
    present = p_values.notna()
    if present.any():
        q[present] = multipletests(p_values[present].to_numpy(), alpha=alpha, method="fdr_bh")[1]
    return q


def chain_fdr(p_values: pd.Series, chain: pd.Series, alpha: float = 0.05) -> pd.Series:
    """FDR q-values with one test per extension chain: BH's independence holds across chains.

    The tests of one chain (a ceasefire and its extensions) share days and are strongly
    dependent, so each chain is one hypothesis: its p-value is the Bonferroni-adjusted minimum of
    its members' p-values, BH runs across chains, and every row carries its chain's q-value.

    Parameters
    ----------
    p_values : pandas.Series
        One p-value per row (NaN stays NaN).
    chain : pandas.Series
        Chain label per row, same index (e.g. the first ceasefire id of the chain).
    alpha : float, default 0.05
        FDR level passed to :func:`statsmodels.stats.multitest.multipletests`.

    Returns
    -------
    pandas.Series
        The chain-level q-value of each row.
    """
    present = p_values.notna()
    grouped = p_values[present].groupby(chain[present])
    chain_p = (grouped.min() * grouped.size()).clip(upper=1.0)
    q = pd.Series(np.nan, index=p_values.index)
    q[present] = chain[present].map(benjamini_hochberg(chain_p, alpha)).to_numpy()
    return q


def count_log_ratios(
    counts: pd.DataFrame,
    *,
    pre_col: str = "events_pre",
    during_col: str = "events_during",
    pre_days_col: str = "n_pre",
    during_days_col: str = "n_during",
) -> pd.DataFrame:
    """Continuity-corrected log rate ratios so zero-during ceasefires are pooled, not dropped.

    log((during + 0.5) / n_during) - log((pre + 0.5) / n_pre) with the Poisson delta-method
    standard error sqrt(1 / (during + 0.5) + 1 / (pre + 0.5)): dropping the quiet ceasefires
    biases a pooled ratio toward 1; the 0.5 correction keeps them with a wide, finite estimate.

    Parameters
    ----------
    counts : pandas.DataFrame
        One row per ceasefire with event counts and window lengths.
    pre_col, during_col, pre_days_col, during_days_col : str
        The columns of those counts and lengths.

    Returns
    -------
    pandas.DataFrame
        ``counts`` with columns log_rr and se added (replaced when present).
    """
    out = counts.copy()
    during = out[during_col].astype(float) + 0.5
    pre = out[pre_col].astype(float) + 0.5
    out["log_rr"] = np.log(during / out[during_days_col]) - np.log(pre / out[pre_days_col])
    out["se"] = np.sqrt(1 / during + 1 / pre)
    return out


def pool_random_effects(
    estimates: pd.DataFrame,
    by: str | list[str],
    *,
    estimate_col: str = "log_rr",
    se_col: str = "se",
    level: float = 0.95,
) -> pd.DataFrame:
    """DerSimonian-Laird random-effects pooled rate ratio per group with a Hartung-Knapp-
    Sidik-Jonkman interval, vectorised via groupby.

    The interval uses the HKSJ variance (weighted residual variance around the pooled value,
    floored at the DL variance, the 'modified' HKSJ of Röver et al. 2015) and Student t with
    k - 1 degrees of freedom: DL with normal critical values covers only 0.81-0.87 at k = 2-3
    (benchmarks/validate_event_study_pooling.py).

    Rows without an estimate (status other than ok) are left out and counted in
    ``k_excluded``. Returns per group: k, pooled rate ratio with interval, tau2 (between-
    ceasefire variance of log ratios), I2 and the Q-test p-value. With k = 1 nothing is
    pooled: the group gets status ``single_estimate`` and NaN pooled values, because a
    "pooled" copy of one estimate would carry a normal interval (and, for a continuity-corrected
    zero, a Poisson standard error) narrower than the estimate's own; its own row is the
    answer. With k < 3 tau2 is poorly determined (say so when reporting).

    Parameters
    ----------
    estimates : pandas.DataFrame
        One row per estimate, e.g. :func:`analysis.batch.batch_effects`, with the grouping, estimate
        and standard-error columns.
    by : str or list of str
        The grouping column(s), e.g. 'kind' or 'broker_bloc'.
    estimate_col : str, default 'log_rr'
        The column holding each estimate on the log scale.
    se_col : str, default 'se'
        The column holding its standard error; rows with a missing estimate or a standard error that
        is not positive are left out.
    level : float, default 0.95
        Confidence level of the pooled interval (t on k - 1 df).

    Returns
    -------
    pandas.DataFrame
        One row per group (every group in ``estimates``, also those with nothing to pool):

        * the ``by`` column(s): the group;
        * k: estimates pooled (0 when none was usable);
        * pooled_rr: random-effects pooled rate ratio, exp(pooled_log_rr);
        * ci_low, ci_high: its ``level`` interval;
        * pooled_log_rr, pooled_se: pooled log ratio and its (HKSJ) standard error;
        * p_value: two-sided t-test p-value (k - 1 df) for a pooled ratio of 1;
        * tau2: DerSimonian-Laird between-ceasefire variance of the log ratios (0 when k = 1);
        * i2: I², the share of the variation due to heterogeneity (0 to 1);
        * q: Cochran's Q;
        * p_heterogeneity: chi-square p-value of Q with k - 1 degrees of freedom;
        * k_excluded: rows of the group left out for having no estimate;
        * status: 'ok' (k >= 2), 'single_estimate' (k = 1, not pooled) or 'nothing_to_pool'
          (k = 0).

        The columns from pooled_rr to p_heterogeneity are NaN unless status is 'ok'.
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = estimates[keys + [estimate_col, se_col]].copy()
    usable = data[estimate_col].notna() & (data[se_col] > 0)
    excluded = (~usable).groupby([data[k] for k in keys]).sum().rename("k_excluded")
    d = data[usable].copy()
    d["w"] = 1 / d[se_col] ** 2
    d["wy"] = d["w"] * d[estimate_col]
    d["wy2"] = d["w"] * d[estimate_col] ** 2
    d["w2"] = d["w"] ** 2
    g = d.groupby(keys)
    s = g[["w", "wy", "wy2", "w2"]].sum()
    k = g.size().rename("k")
    q_stat = s["wy2"] - s["wy"] ** 2 / s["w"]
    denom = s["w"] - s["w2"] / s["w"]
    with np.errstate(divide="ignore", invalid="ignore"):
        tau2 = np.maximum(0.0, (q_stat - (k - 1)) / denom).fillna(0.0)
    # one estimate has no between-ceasefire variance; rounding makes Q a tiny positive
    # number over a zero denominator, which would otherwise give tau2 = inf
    tau2 = tau2.where(k > 1, 0.0)
    d = d.join(tau2.rename("tau2"), on=keys)
    d["w_re"] = 1 / (d[se_col] ** 2 + d["tau2"])
    d["wy_re"] = d["w_re"] * d[estimate_col]
    sr = d.groupby(keys)[["w_re", "wy_re"]].sum()
    pooled = sr["wy_re"] / sr["w_re"]
    d = d.join(pooled.rename("pooled"), on=keys)
    d["wr2"] = d["w_re"] * (d[estimate_col] - d["pooled"]) ** 2
    residual = d.groupby(keys)["wr2"].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        hksj_scale = np.maximum(1.0, (residual / (k - 1)).where(k > 1, 1.0))
    se = np.sqrt(hksj_scale / sr["w_re"])
    dof = np.maximum(k - 1, 1)
    z = pd.Series(stats.t.ppf(0.5 + level / 2, dof), index=k.index)
    p_value = pd.Series(2 * stats.t.sf(np.abs(pooled / se), dof), index=k.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        i2 = np.where(q_stat > 0, np.maximum(0.0, (q_stat - (k - 1)) / q_stat), 0.0)
    out = pd.DataFrame(
        {
            "k": k,
            "pooled_rr": np.exp(pooled),
            "ci_low": np.exp(pooled - z * se),
            "ci_high": np.exp(pooled + z * se),
            "pooled_log_rr": pooled,
            "pooled_se": se,
            "p_value": p_value,
            "tau2": tau2,
            "i2": i2,
            "q": q_stat,
            "p_heterogeneity": stats.chi2.sf(q_stat, np.maximum(k - 1, 1)),
        }
    )
    out = out.join(excluded, how="outer").fillna({"k": 0, "k_excluded": 0})
    out.loc[out["k"] < 2, list(POOLED_VALUES)] = np.nan
    out["status"] = np.select(
        [out["k"] >= 2, out["k"] == 1], [STATUS_OK, STATUS_SINGLE], STATUS_NOTHING_TO_POOL
    )
    return out.reset_index()
