"""Vectorised ratio of window means, checked against simulated data with a known rate ratio.

Counts are simulated with an AR(1) latent log-intensity and gamma noise (overdispersed and
autocorrelated), many independent runs laid end to end in one series. The number of runs
is chosen so that an estimator with Poisson standard errors (coverage about 0.70 here) or
with an unadjusted Newey-West variance (about 0.91) fails the coverage bounds; the mean
log ratio must be unbiased, and the dated path (windows read from a ceasefire table) must
cover the truth, find most ceasefires significant after FDR and pool by kind around it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from factories import DURING, PRE, TRUE_RATIOS
from factories import make_ceasefires as _ceasefire_table

from analysis import batch as bt
from analysis import contract as c
from analysis import pooling as po
from analysis import simulate as sim
from analysis import status as st


def _segments(rate_ratio: float, runs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Independent runs laid end to end; run i has pre days then during days."""
    y = sim.simulate_counts(runs, PRE + DURING, rate_ratio=rate_ratio, change_day=PRE, seed=seed)
    starts = np.arange(runs) * (PRE + DURING)
    return y.ravel(), starts


@pytest.mark.parametrize("true_rr", TRUE_RATIOS)
def test_batch_interval_covers_truth_and_is_unbiased(true_rr: float) -> None:
    runs = 3000  # binomial sd of coverage 0.004: 0.93-0.97 is +-5 sd around 0.95
    y, starts = _segments(true_rr, runs, seed=int(true_rr * 1000))
    out = bt.log_ratio_from_windows(
        y,
        starts,
        np.full(runs, PRE),
        starts + PRE,
        np.full(runs, DURING),
    )
    ok = out["status"] == st.STATUS_OK
    assert ok.mean() > 0.99
    covered = (out.loc[ok, "ci_low"] <= true_rr) & (true_rr <= out.loc[ok, "ci_high"])
    assert 0.93 <= covered.mean() <= 0.97, covered.mean()
    bias = (out.loc[ok, "log_rr"] - math.log(true_rr)).mean()
    assert abs(bias) < 0.05


def test_batch_effects_with_dates_recovers_a_known_ratio() -> None:
    """The dated path (windows from a ceasefire table) on one long series."""
    runs, true_rr = 600, 0.5
    y, starts = _segments(true_rr, runs, seed=7)
    index = pd.date_range("1800-01-01", periods=len(y), freq="D")
    declared = index[starts + PRE]
    table = _ceasefire_table(
        [
            {
                c.CF_ID: f"cf-{i}",
                c.CF_DECLARED_ON: d,
                c.CF_EFFECTIVE_FROM: d,
                c.CF_EFFECTIVE_TO: d + pd.Timedelta(days=DURING - 1),
                c.CF_KIND: "unilateral" if i % 2 else "bilateral",
                c.CF_BROKER_BLOC: "none",
            }
            for i, d in enumerate(declared)
        ]
    )
    out = bt.batch_effects(pd.Series(y, index=index), table, pre_days=PRE)
    assert (out["n_pre"] == PRE).all() and (out["n_during"] == DURING).all()
    covered = (out["ci_low"] <= true_rr) & (true_rr <= out["ci_high"])
    sd = math.sqrt(0.95 * 0.05 / runs)
    assert abs(covered.mean() - 0.95) < 4 * sd
    # every true ratio is 0.5 so most ceasefires should be significant after FDR
    assert (out["q_value"] < 0.05).mean() > 0.5
    pooled = po.pool_random_effects(out, c.CF_KIND)
    assert set(pooled[c.CF_KIND]) == {"unilateral", "bilateral"}
    assert ((pooled["ci_low"] < true_rr) & (true_rr < pooled["ci_high"])).all()
