"""Interrupted time series and event study, checked on simulated series with a known change.

The interrupted time series is fitted to many gamma-Poisson series whose level drops to a
third with no change of slope; its level and slope intervals must cover the truth at the
nominal rate. The event study on a series whose rate drops four-fold must show a flat
pre-trend, a drop after the event, and the reference week fixed at a ratio of 1.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from factories import make_ceasefires as _ceasefire_table

from analysis import contract as c
from analysis import effects, plots
from analysis import time_series as ts
from analysis import windows as wn
from analysis.status import STATUS_LABELS, STATUS_NOTES


def test_interrupted_time_series_covers_level_and_slope() -> None:
    runs = 80
    rng = np.random.default_rng(12)
    index = pd.date_range("2020-01-01", periods=240, freq="D")
    lam = np.r_[np.full(120, 3.0), np.full(120, 1.0)]  # level drop to 1/3, no slope change
    table = _ceasefire_table(
        [{c.CF_ID: "its", c.CF_DECLARED_ON: index[120], c.CF_EFFECTIVE_TO: index[239]}]
    )
    level_hits, slope_hits = [], []
    for run in rng.poisson(lam * rng.gamma(2.0, 0.5, (runs, 240))):
        series = pd.Series(run.astype(float), index=index)
        its = ts.interrupted_time_series(series, wn.ceasefire_windows(table, series, pre_days=120))
        level_hits.append(its.level_ratio.ci_low < 1 / 3 < its.level_ratio.ci_high)
        slope_hits.append(its.slope_ratio_per_30d.ci_low < 1 < its.slope_ratio_per_30d.ci_high)
    floor = 0.95 - 3 * math.sqrt(0.95 * 0.05 / runs)
    assert np.mean(level_hits) >= floor and np.mean(slope_hits) >= floor


def test_event_study_shows_flat_pretrend_and_drop() -> None:
    rng = np.random.default_rng(13)
    index = pd.date_range("2020-01-01", periods=400, freq="D")
    lam = np.r_[np.full(250, 4.0), np.full(150, 1.0)]
    series = pd.Series(rng.poisson(lam).astype(float), index=index)
    es = ts.event_study(series, index[250], weeks_before=8, weeks_after=8)
    pre = es[es["week"] < -1]
    post = es[es["week"] >= 0]
    assert ((pre["ci_low"] < 1) & (pre["ci_high"] > 1)).mean() >= 0.8
    assert (post["ci_high"] < 1).mean() >= 0.8
    assert es.loc[es["week"] == -1, "rate_ratio"].item() == 1.0


def _ar1_series(rng: np.random.Generator, phi: float, days: int) -> np.ndarray:
    """Gamma-Poisson counts on a latent AR(1) log-intensity (sd 0.5), no effect."""
    latent = np.empty(days)
    latent[0] = rng.normal(0, 0.5)
    shocks = rng.normal(0, 0.5 * math.sqrt(1 - phi**2), days)
    for day in range(1, days):
        latent[day] = phi * latent[day - 1] + shocks[day]
    return rng.poisson(rng.gamma(4.0, 3.0 * np.exp(latent) / 4.0)).astype(float)


def test_event_study_bands_and_pretrend_test_hold_under_persistence() -> None:
    runs = 120
    rng = np.random.default_rng(int(np.random.SeedSequence().entropy % 2**32))
    index = pd.date_range("2020-01-01", periods=420, freq="D")
    band_hits, rejections = [], []
    for _ in range(runs):
        series = pd.Series(_ar1_series(rng, 0.9, 420), index=index)
        es = ts.event_study(series, index[300], weeks_before=8, weeks_after=8)
        es = es.dropna(subset=["band_low"])
        band_hits.append(bool(((es["band_low"] <= 1) & (es["band_high"] >= 1)).all()))
        rejections.append(es.attrs["pretrend_p"] <= 0.05)
    slack = 3 * math.sqrt(0.95 * 0.05 / runs)
    # sup-t coverage measured 0.87-0.93 at AR 0.9-0.95 in the benchmark: allow 0.85
    assert np.mean(band_hits) >= 0.85 - slack
    assert np.mean(rejections) <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / runs) + 0.03


def test_event_study_too_short_without_baseline_weeks() -> None:
    index = pd.date_range("2020-01-01", periods=150, freq="D")
    series = pd.Series(np.random.default_rng(3).poisson(3.0, 150).astype(float), index=index)
    es = ts.event_study(series, index[70], weeks_before=8, weeks_after=8)
    assert es.attrs["status"] == "too_short"
    assert es.loc[es["week"] != -1, "ci_low"].isna().all()


def test_interrupted_time_series_too_short_on_three_week_window() -> None:
    index = pd.date_range("2020-01-01", periods=200, freq="D")
    series = pd.Series(np.random.default_rng(5).poisson(2.0, 200).astype(float), index=index)
    table = _ceasefire_table(
        [{c.CF_ID: "short", c.CF_DECLARED_ON: index[150], c.CF_EFFECTIVE_TO: index[170]}]
    )
    its = ts.interrupted_time_series(series, wn.ceasefire_windows(table, series, pre_days=90))
    assert its.level_ratio.status == "too_short" and math.isnan(its.level_ratio.ci_low)


def test_quiet_reference_week_gives_a_status_and_a_figure_not_an_error() -> None:
    # a low-intensity dyad: a handful of events, none in the week before the anchor
    rng = np.random.default_rng(int(np.random.SeedSequence().entropy % 2**32))
    index = pd.date_range("2020-01-01", periods=400, freq="D")
    counts = rng.poisson(0.15, 400).astype(float)
    anchor = index[250]
    counts[243:250] = 0.0  # week -1
    series = pd.Series(counts, index=index)
    es = ts.event_study(series, anchor, weeks_before=8, weeks_after=8)
    assert (
        es.attrs["status"] == "no_reference_events" and (es["status"] == es.attrs["status"]).all()
    )
    assert es["rate_ratio"].isna().all() and es["ci_low"].isna().all()
    assert math.isnan(es.attrs["pretrend_p"])
    # the weekly events are still the plain sums of the days
    for week in (-8, -1, 0, 7):
        start = anchor + pd.Timedelta(weeks=week)
        expected = counts[(index >= start) & (index < start + pd.Timedelta(weeks=1))].sum()
        assert es.loc[es["week"] == week, "events"].item() == expected
    table = _ceasefire_table(
        [{c.CF_ID: "quiet", c.CF_DECLARED_ON: anchor, c.CF_EFFECTIVE_TO: index[330]}]
    )
    effect = effects.estimate_ceasefire_effect(series, table, "quiet", n_placebos=19)
    figure = plots.ceasefire_effect_figure(series, effect.windows, es, effect.placebo, "quiet")
    assert "no events in week -1" in figure.axes[1].get_title()
    low, high = figure.axes[1].get_xlim()
    assert low <= -8 and high >= 7  # the weeks studied stay on the axis
    assert STATUS_LABELS[es.attrs["status"]] and STATUS_NOTES[es.attrs["status"]]


def test_a_nearly_empty_series_gives_a_status_not_a_numpy_warning() -> None:
    # about a dozen events before and one during: for some placements statsmodels' NB2
    # scores hit log(0); seeds 5, 9 and 11 of this layout did so
    index = pd.date_range("2020-01-01", periods=270, freq="D")
    table = _ceasefire_table(
        [{c.CF_ID: "q", c.CF_DECLARED_ON: index[90], c.CF_EFFECTIVE_TO: index[269]}]
    )
    statuses = set()
    for seed in (5, 9, 11, int(np.random.SeedSequence().entropy % 2**32)):
        rng = np.random.default_rng(seed)
        y = np.zeros(270)
        y[rng.choice(90, 8, replace=False)] = 1
        y[rng.choice(90, 2)] += 2
        y[90 + rng.choice(180, 1)] = 1
        series = pd.Series(y, index=index)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # any RuntimeWarning fails the test
            its = ts.interrupted_time_series(series, wn.ceasefire_windows(table, series))
        level = its.level_ratio
        statuses.add(level.status)
        # either a finite interval or a status saying there is none, never 'ok' with NaN
        assert (level.status == "ok") == bool(np.isfinite([level.ci_low, level.ci_high]).all())
    assert "degenerate" in statuses
