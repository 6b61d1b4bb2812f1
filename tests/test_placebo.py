"""Placebo tests at pseudo-dates, checked on simulated series with and without a true effect.

Under the null (no change in rate) the placebo p-values of many simulated series must be
uniform (Kolmogorov-Smirnov); a simulated five-fold drop must be detected, with the same
p-value for the same seed; and a 'ceasefire' declared right after the largest simulated
spike, with no true effect, must look like a drop in the naive ratio but not be called
significant by the spike-matched placebo (regression to the mean).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from factories import DURING, PRE
from factories import make_ceasefires as _ceasefire_table
from scipy import stats

from analysis import contract as c
from analysis import placebo as pl
from analysis import simulate as sim
from analysis import status as st
from analysis import windows as wn


def test_placebo_p_values_are_uniform_under_the_null() -> None:
    runs, days, change = 300, 900, 750
    y = sim.simulate_counts(runs, days, seed=21)
    index = pd.date_range("2015-01-01", periods=days, freq="D")
    table = _ceasefire_table(
        [
            {
                c.CF_ID: "null",
                c.CF_DECLARED_ON: index[change],
                c.CF_EFFECTIVE_TO: index[change + DURING - 1],
            }
        ]
    )
    p_values = []
    for i, run in enumerate(y):
        series = pd.Series(run, index=index)
        windows = wn.ceasefire_windows(table, series, pre_days=PRE)
        p_values.append(pl.placebo_test(series, windows, n_placebos=499, seed=i).p_value)
    assert stats.kstest(p_values, "uniform").pvalue > 0.01


def test_placebo_detects_a_real_drop_and_is_reproducible() -> None:
    index = pd.date_range("2015-01-01", periods=900, freq="D")
    y = sim.simulate_counts(1, 900, rate_ratio=0.2, change_day=750, seed=5)[0]
    table = _ceasefire_table(
        [{c.CF_ID: "drop", c.CF_DECLARED_ON: index[750], c.CF_EFFECTIVE_TO: index[809]}]
    )
    series = pd.Series(y, index=index)
    windows = wn.ceasefire_windows(table, series, pre_days=PRE)
    first = pl.placebo_test(series, windows, n_placebos=999, seed=1)
    again = pl.placebo_test(series, windows, n_placebos=999, seed=1)
    assert first.p_value == again.p_value
    assert first.p_value < 0.01
    matched = pl.placebo_test(series, windows, n_placebos=999, seed=1, match_pre_level=True)
    assert matched.status == st.STATUS_OK and matched.matched


def test_regression_to_the_mean_is_visible_in_matched_placebo() -> None:
    """A 'ceasefire' declared right after the biggest spike, with no true effect: the naive
    ratio looks like a drop; the spike-matched placebo must not call it significant."""
    rng = np.random.default_rng(8)
    index = pd.date_range("2012-01-01", periods=2000, freq="D")
    y = sim.simulate_counts(1, 2000, phi=0.9, sd=0.8, seed=rng)[0]
    rolling = pd.Series(y).rolling(30).mean().to_numpy()
    peak = int(np.nanargmax(rolling[1200:1900])) + 1200 + 1
    table = _ceasefire_table(
        [{c.CF_ID: "spike", c.CF_DECLARED_ON: index[peak], c.CF_EFFECTIVE_TO: index[peak + 59]}]
    )
    series = pd.Series(y, index=index)
    windows = wn.ceasefire_windows(table, series, pre_days=30)
    matched = pl.placebo_test(series, windows, n_placebos=999, seed=2, match_pre_level=True)
    assert matched.observed_log_rr < 0  # the spike makes the naive ratio look like a drop
    assert matched.status == st.STATUS_OK
    assert matched.p_value > 0.05
