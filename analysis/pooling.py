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
