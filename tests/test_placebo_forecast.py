"""The placebo of the primary estimate (forecast error ranked among pseudo-windows'), checked
directly and by simulation.

Pseudo-windows are checked on the windows returned (no overlap with each other, the real block
or any ceasefire period; each with as much baseline before it as the observed forecast; at
most 199); p never falls below its resolution; with the null true on a persistent, seasonal,
overdispersed series whose ceasefire is declared at the first crossing of a past-only spike
threshold (a stopping time, as a declaration is) the share of p <= 0.05 stays within
Monte-Carlo error of the exact rank level over two seeds; the predictive transform is uniform
at every forecast level, so a blank window at a busy moment of a sparse series is not a false
fall (raw log ratios make it one far too often); a real fall to a fifth is found in most
series (at least 60%, where chance gives 2.5%); a forecast that cannot be made gets its status.
"""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from factories import make_ceasefires, windows_at
from scipy import stats

from analysis import contract as c
from analysis import formatting as fmt
from analysis import placebo as pl
from analysis import placebo_forecast as pf
from analysis import plots, tables
from analysis import status as st
from analysis import windows as wn

DURING = 20
DAYS = 2100  # 1,096 days of baseline (as much as the observed), then about 49 20-day pseudo-windows
N_PLACEBOS = 39  # exact two-sided level 2 / 40 = 0.05


def _windows(index: pd.DatetimeIndex, effective: int, during: int = DURING) -> wn.Windows:
    return windows_at(index, effective, 90, during)


def _conflict_rate(rng: np.random.Generator, days: int, phi: float = 0.95) -> np.ndarray:
    """Daily intensity of a persistent conflict series: latent AR(1) log level (stationary sd
    0.6), a dry-season annual cycle and a weekly reporting cycle, about 3 events a day."""
    latent = np.empty(days)
    latent[0] = rng.normal(0, 0.6)
    shocks = rng.normal(0, 0.6 * math.sqrt(1 - phi**2), days)
    for t in range(1, days):
        latent[t] = phi * latent[t - 1] + shocks[t]
    day = np.arange(days)
    season = 0.3 * np.cos(2 * np.pi * (day - 75) / 365.25) + 0.1 * np.cos(2 * np.pi * day / 7)
    return np.exp(math.log(3.0) - 0.18 + latent + season)


def _first_crossing(rng: np.random.Generator, rate: np.ndarray, earliest: int) -> int:
    """First day from a random start whose trailing 30-day mean reaches the 90th percentile of
    the year before it (past only); the last possible day when none does."""
    trailing = np.convolve(rate, np.ones(30) / 30, mode="full")[29 : len(rate)]
    latest = len(rate) - DURING
    for day in range(int(rng.integers(earliest, earliest + 60)), latest):
        if trailing[day - 30] >= np.quantile(trailing[day - 30 - 365 : day - 30], 0.9):
            return day
    return latest - 1


@pytest.mark.parametrize("seed", [41, 42])
def test_size_after_past_only_spikes_is_the_exact_level(seed: int) -> None:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    runs = 160
    p_values, levels = [], []
    for _ in range(runs):
        rate = _conflict_rate(rng, DAYS)
        counts = rng.poisson(rate * rng.gamma(2.0, 0.5, DAYS)).astype(float)
        effective = _first_crossing(rng, rate, DAYS - 200)
        series = pd.Series(counts, index=index)
        result = pf.forecast_placebo_test(
            series, _windows(index, effective), n_placebos=N_PLACEBOS, seed=seed
        )
        assert result.n_placebos == N_PLACEBOS
        p_values.append(result.p_value)
        levels.append(2 * math.floor(0.05 * (1 + result.n_placebos) / 2) / (1 + result.n_placebos))
    size = float(np.mean(np.asarray(p_values) <= 0.05))
    level = float(np.mean(levels))
    assert abs(size - level) < 3.5 * math.sqrt(level * (1 - level) / runs), size


def test_a_fall_to_a_fifth_is_found_in_most_series() -> None:
    rng = np.random.default_rng(7)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    found = []
    for _ in range(40):
        rate = _conflict_rate(rng, DAYS, phi=0.9)
        effective = int(rng.integers(DAYS - 200, DAYS - DURING))
        rate[effective : effective + DURING] *= 0.2
        series = pd.Series(rng.poisson(rate).astype(float), index=index)
        result = pf.forecast_placebo_test(series, _windows(index, effective), n_placebos=39)
        found.append(result.p_value <= 0.05 and result.observed_log_rr < 0)
    assert np.mean(found) >= 0.6  # a fall this large is found at most 2.5% of the time by chance


def test_pseudo_windows_keep_clear_of_ceasefires_and_each_other() -> None:
    rng = np.random.default_rng(3)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    series = pd.Series(rng.poisson(_conflict_rate(rng, DAYS)).astype(float), index=index)
    table = make_ceasefires(
        [
            {c.CF_ID: "a", c.CF_EFFECTIVE_FROM: index[1300], c.CF_EFFECTIVE_TO: index[1420]},
            {c.CF_ID: "open", c.CF_EFFECTIVE_FROM: index[1550]},  # open-ended: 90 days taken
        ]
    )
    result = pf.forecast_placebo_test(series, _windows(index, 1900), ceasefires=table)
    got = result.candidate_windows
    assert result.n_placebos == len(got) > 25
    assert result.p_value >= 2 * result.resolution - 1e-12
    assert (got["during_start"].iloc[1:].to_numpy() > got["during_end"].iloc[:-1].to_numpy()).all()
    real = (got["during_end"] < index[1900]) | (got["during_start"] > index[1900 + DURING - 1])
    assert real.all()  # none touches the real window
    # as much baseline before each as the observed forecast has (three years here)
    assert (got["pre_end"] - index[0]).dt.days.min() >= 1095
    shorter = pf.forecast_placebo_test(
        series, _windows(index, 1900), ceasefires=table, same_baseline=False
    )
    first = (shorter.candidate_windows["pre_end"] - index[0]).dt.days.min()
    assert 179 <= first < 400 and shorter.n_placebos > result.n_placebos
    for _, period in wn.ceasefire_periods(table, open_ended_days=90).iterrows():
        clear = (got["during_end"] < period["start"]) | (got["during_start"] > period["end"])
        assert clear.all(), period[c.CF_ID]


def test_a_forecast_that_cannot_be_made_gets_its_status() -> None:
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    counts = np.ones(DAYS)
    early = pf.forecast_placebo_test(pd.Series(counts, index=index), _windows(index, 120))
    assert early.status == st.STATUS_TOO_SHORT and math.isnan(early.p_value)
    quiet = counts.copy()
    quiet[:1800] = 0.0
    silent = pf.forecast_placebo_test(pd.Series(quiet, index=index), _windows(index, 1700))
    assert silent.status == st.STATUS_NO_PRE and math.isnan(silent.p_value)
    beyond = dataclasses.replace(
        _windows(index, DAYS - 30), during_end=index[-1] + pd.Timedelta(days=30)
    )
    late = pf.forecast_placebo_test(pd.Series(counts, index=index), beyond)
    assert late.status == st.STATUS_OUTSIDE and math.isnan(late.p_value)


def test_the_predictive_transform_is_uniform_whatever_the_forecast_level() -> None:
    rng = np.random.default_rng(5)
    forecast = np.exp(rng.uniform(np.log(0.3), np.log(50.0), 4000))
    alpha = 0.3  # the forecast misses by a multiplicative factor on top of count noise
    counts = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * forecast)).astype(float)
    pit = pf.predictive_pit(counts, forecast, rng)
    assert stats.kstest(pit, "uniform").pvalue > 0.001
    low, high = forecast < 1.0, forecast > 10.0
    for group in (low, high):
        share = float(np.mean(pit[group] < 0.05))
        assert abs(share - 0.05) < 4 * math.sqrt(0.05 * 0.95 / group.sum()), share


def test_a_busy_window_without_events_is_not_a_false_fall_on_a_sparse_series() -> None:
    """The observed window has the highest forecast of its series (a truce at a busy moment):
    ranked on the predictive scale it rejects at the exact level, while raw log ratios, where a
    blank window with a low forecast can never look extreme, reject far more often."""
    rng = np.random.default_rng(9)
    runs, n, alpha = 2000, 39, 0.3
    pit_p, raw_p = [], []
    for _ in range(runs):
        forecast = np.sort(np.exp(rng.normal(np.log(0.8), 0.8, n + 1)))[::-1]  # busiest first
        counts = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * forecast)).astype(float)
        pit = pf.predictive_pit(counts, forecast, rng)
        pit_p.append(pl.two_sided_rank_p(float(pit[0]), pit[1:], rng))
        raw = np.log((counts + 0.5) / (forecast + 0.5))
        raw_p.append(pl.two_sided_rank_p(float(raw[0]), raw[1:], rng))
    level, se = 0.05, math.sqrt(0.05 * 0.95 / runs)
    assert abs(np.mean(np.asarray(pit_p) <= 0.05) - level) < 4 * se
    assert np.mean(np.asarray(raw_p) <= 0.05) > level + 6 * se


def test_at_most_199_pseudo_windows_are_forecast() -> None:
    rng = np.random.default_rng(4)
    days = 1096 + 260 * 5 + 30
    index = pd.date_range("2000-01-01", periods=days, freq="D")
    series = pd.Series(rng.poisson(_conflict_rate(rng, days, phi=0.9)).astype(float), index=index)
    result = pf.forecast_placebo_test(series, _windows(index, days - 10, during=5))
    assert result.n_candidates > pf.MAX_FORECAST_PLACEBOS == result.n_placebos


def test_a_forecast_that_runs_off_is_left_out_with_a_note(monkeypatch) -> None:
    rng = np.random.default_rng(6)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    series = pd.Series(rng.poisson(_conflict_rate(rng, DAYS)).astype(float), index=index)
    real = pf.window_forecast
    runaway = 1296  # harmonics fitted to leading zeros can overflow to inf (seen on real files)

    def forecast(y, weekday, origin, lead, during_days, max_days):
        observed, predicted = real(y, weekday, origin, lead, during_days, max_days)
        return observed, math.inf if origin == runaway else predicted

    clean = pf.forecast_placebo_test(series, _windows(index, 1900))
    assert runaway in (clean.candidate_windows["pre_end"] - index[0]).dt.days.to_numpy() + 1
    monkeypatch.setattr(pf, "window_forecast", forecast)
    result = pf.forecast_placebo_test(series, _windows(index, 1900))
    assert result.n_placebos == clean.n_placebos - 1 and math.isfinite(result.p_value)
    assert result.n_dropped == clean.n_dropped + 1
    assert "1 pseudo-window whose forecast ran off left out" in result.note
    runaway = 1900  # the observed forecast itself: nothing to rank
    assert pf.forecast_placebo_test(series, _windows(index, 1900)).status == st.STATUS_DEGENERATE


def test_the_figure_draws_the_primary_placebo_under_its_own_name() -> None:
    rng = np.random.default_rng(8)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    rate = _conflict_rate(rng, DAYS, phi=0.9)
    rate[1900 : 1900 + DURING] *= 0.2
    series = pd.Series(rng.poisson(rate).astype(float), index=index)
    windows = _windows(index, 1900)
    result = pf.forecast_placebo_test(series, windows, n_placebos=N_PLACEBOS)
    study = pd.DataFrame({"week": [0], "rate_ratio": 1.0, "ci_low": 0.5, "ci_high": 2.0})
    figure = plots.ceasefire_effect_figure(
        series,
        windows,
        study,
        result,
        "t",
        placebo_name="Placebo of the primary estimate",
        placebo_ratio="events / forecast in pseudo-windows",
    )
    panel = figure.axes[2]
    p_text = fmt.format_p(result.p_value)
    assert panel.get_title() == f"Placebo of the primary estimate: p = {p_text}"
    assert panel.get_xlabel().startswith("events / forecast in pseudo-windows")
    # the orange line is the observed events over the forecast, not the during/before ratio
    (line,) = panel.get_lines()
    assert line.get_xdata()[0] == pytest.approx(math.exp(result.observed_log_rr))
    assert result.observed_log_rr < np.log(0.5)  # the built-in fall to a fifth


def test_a_missing_forecast_is_no_ratio_in_the_figure_not_a_ratio_of_zero() -> None:
    rng = np.random.default_rng(9)
    index = pd.date_range("2016-01-01", periods=400, freq="D")
    series = pd.Series(rng.poisson(_conflict_rate(rng, 400)).astype(float), index=index)
    windows = _windows(index, 150)  # 150 days of baseline: too short for any forecast
    result = pf.forecast_placebo_test(series, windows)
    assert result.status == st.STATUS_TOO_SHORT and series.iloc[150 : 150 + DURING].sum() > 0
    study = pd.DataFrame({"week": [0], "rate_ratio": 1.0, "ci_low": 0.5, "ci_high": 2.0})
    panel = plots.ceasefire_effect_figure(series, windows, study, result, "t").axes[2]
    (text,) = [t.get_text() for t in panel.texts]
    assert "observed ratio: none" in text and "observed ratio: 0" not in text


def test_the_caption_counts_dropped_windows_apart_from_the_evenly_spaced_cap() -> None:
    rng = np.random.default_rng(10)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    rate = _conflict_rate(rng, DAYS)
    rate[:1500] = 0.0  # a dyad not yet fighting: early pseudo-windows have no baseline events
    series = pd.Series(rng.poisson(rate).astype(float), index=index)
    quiet = pf.forecast_placebo_test(series, _windows(index, 1900))
    assert quiet.n_dropped > 0 and quiet.n_candidates == quiet.n_placebos + quiet.n_dropped
    assert f"{quiet.n_dropped} pseudo-windows with no events in the baseline left out" in (
        quiet.note
    )  # more than one: the rate is zero for 1,500 days
    caption = tables.placebo_caption(SimpleNamespace(placebo=quiet))
    assert f"{quiet.n_dropped} of them left out as the note says" in caption
    assert "evenly spaced among" not in caption
    busy = pd.Series(rng.poisson(_conflict_rate(rng, DAYS)).astype(float), index=index)
    capped = pf.forecast_placebo_test(busy, _windows(index, 1900), n_placebos=10)
    assert capped.n_placebos == 10 and capped.n_candidates > 10 and capped.n_dropped == 0
    assert f"{capped.n_candidates - 10} candidates left out" in capped.note
    caption = tables.placebo_caption(SimpleNamespace(placebo=capped))
    assert f"evenly spaced among {capped.n_candidates} candidates)" in caption
    both = pf.forecast_placebo_test(series, _windows(index, 1900), n_placebos=30)
    assert both.n_dropped > 0 and both.n_candidates > both.n_placebos + both.n_dropped
    caption = tables.placebo_caption(SimpleNamespace(placebo=both))
    assert f"evenly spaced among {both.n_candidates} candidates, {both.n_dropped} of them" in (
        caption
    )
