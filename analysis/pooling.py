"""Combining many ceasefire estimates: false-discovery-rate q-values and random-effects pooling."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests


def benjamini_hochberg(p_values: pd.Series, alpha: float = 0.05) -> pd.Series:
    """BH false-discovery-rate adjusted p-values (q-values); NaN p-values stay NaN."""
    q = pd.Series(np.nan, index=p_values.index)
    present = p_values.notna()
    if present.any():
        q[present] = multipletests(p_values[present].to_numpy(), alpha=alpha, method="fdr_bh")[1]
    return q


def pool_random_effects(
    estimates: pd.DataFrame,
    by: str | list[str],
    *,
    estimate_col: str = "log_rr",
    se_col: str = "se",
    level: float = 0.95,
) -> pd.DataFrame:
    """DerSimonian-Laird random-effects pooled rate ratio per group, vectorised via groupby.

    Rows without an estimate (status other than ok) are left out and counted in
    ``k_excluded``. Returns per group: k, pooled rate ratio with interval, tau2 (between-
    ceasefire variance of log ratios), I2 and the Q-test p-value. With k = 1 the pooled value
    is that single estimate; with k < 3 tau2 is poorly determined (say so when reporting).

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
        Confidence level of the pooled interval (normal critical value).

    Returns
    -------
    pandas.DataFrame
        One row per group (every group in ``estimates``, also those with nothing to pool):

        * the ``by`` column(s): the group;
        * k: estimates pooled (0 when none was usable);
        * pooled_rr: random-effects pooled rate ratio, exp(pooled_log_rr);
        * ci_low, ci_high: its ``level`` interval;
        * pooled_log_rr, pooled_se: pooled log ratio and its standard error;
        * p_value: two-sided z-test p-value for a pooled ratio of 1;
        * tau2: DerSimonian-Laird between-ceasefire variance of the log ratios (0 when k = 1);
        * i2: I², the share of the variation due to heterogeneity (0 to 1);
        * q: Cochran's Q;
        * p_heterogeneity: chi-square p-value of Q with k - 1 degrees of freedom;
        * k_excluded: rows of the group left out for having no estimate.

        The estimate columns are NaN for groups with k = 0.
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
    se = 1 / np.sqrt(sr["w_re"])
    z = stats.norm.ppf(0.5 + level / 2)
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
            "p_value": 2 * stats.norm.sf(np.abs(pooled / se)),
            "tau2": tau2,
            "i2": i2,
            "q": q_stat,
            "p_heterogeneity": stats.chi2.sf(q_stat, np.maximum(k - 1, 1)),
        }
    )
    out = out.join(excluded, how="outer").fillna({"k": 0, "k_excluded": 0})
    return out.reset_index()
