"""The placebo of the primary estimate (the same estimate made at pseudo-windows, each on its
own past), checked directly and by simulation.

Pseudo-windows are checked on the windows returned (no overlap with each other, the real block
or any ceasefire period; each with as much baseline before it as the observed forecast; at
most 199); p never falls below its resolution; with the null true on a persistent, seasonal,
overdispersed series whose ceasefire is declared at the first crossing of a past-only spike
threshold (a stopping time, as a declaration is) the share of p <= 0.05 stays within
Monte-Carlo error of the exact rank level over two seeds; every window gets the primary
estimate itself (checked against :func:`analysis.counterfactual.counterfactual_core`), so a
blank window at the busiest moment of a sparse series is judged against its own past misses
and is not a false fall; a real fall to a fifth is found in most
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

from analysis import contract as c
from analysis import counterfactual as cf
from analysis import formatting as fmt
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


@pytest.mark.parametrize(("during", "lead"), [(20, 0), (60, 0), (9, 3)])
def test_every_window_gets_the_primary_estimate_itself(during: int, lead: int) -> None:
    """The observed statistic is the primary estimate, and a pseudo-window on the real one's
    grid of calibrating origins gets exactly the estimate the primary would make there."""
    rng = np.random.default_rng(during)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    series = pd.Series(rng.poisson(_conflict_rate(rng, DAYS)).astype(float), index=index)
    effective = 1900
    windows = dataclasses.replace(
        _windows(index, effective, during), pre_end=index[effective - lead - 1]
    )
    result = pf.forecast_placebo_test(series, windows)
    primary = cf.counterfactual_effect(series, windows)
    assert result.status in (st.STATUS_OK, st.STATUS_COARSE) and primary.status == st.STATUS_OK
    assert math.isclose(math.exp(result.observed_log_rr), primary.estimate, rel_tol=1e-9)
    origin, step = effective - lead, max(7, during // 2)
    used = result.candidate_windows
    positions = (used["pre_end"] - index[0]).dt.days.to_numpy() + 1
    on_grid = np.flatnonzero((origin - positions) % step == 0)
    assert len(on_grid) >= 2
    weekday = index.day_of_week.to_numpy()
    for row in on_grid[:2]:
        again = cf.counterfactual_core(
            series.to_numpy(), weekday, int(positions[row]), int(positions[row]) + lead, during
        )
        assert math.isclose(math.exp(used["log_rr"].iloc[row]), again.estimate, rel_tol=1e-9)


def test_a_blank_short_window_at_the_busiest_moment_of_a_sparse_series_is_not_a_false_fall() -> (
    None
):
    """A sparse series rising to its busiest days at the end, where the 10-day truce falls:
    a window without events there is judged against that window's own past misses. Ranking
    raw misses on one scale made such windows false falls; here the share of p <= 0.05, and
    of falls among them, stays within Monte-Carlo error of the exact level."""
    rng = np.random.default_rng(9)
    days, during, runs = 1500, 10, 120
    index = pd.date_range("2016-01-01", periods=days, freq="D")
    rising = 0.15 * (1 + 3 * np.arange(days) / days)  # 0.15 to 0.6 events a day
    p_values, falls = [], []
    for _ in range(runs):
        rate = rising * _conflict_rate(rng, days) / 3.0
        series = pd.Series(rng.poisson(rate * rng.gamma(2.0, 0.5, days)).astype(float), index)
        effective = days - during - int(rng.integers(0, 30))
        result = pf.forecast_placebo_test(
            series, _windows(index, effective, during), max_baseline_years=1.0, n_placebos=39
        )
        assert result.n_placebos == 39
        p_values.append(result.p_value)
        falls.append(result.p_value <= 0.05 and result.observed_log_rr < 0)
    level, se = 0.05, math.sqrt(0.05 * 0.95 / runs)
    assert np.mean(np.asarray(p_values) <= level) < level + 3.5 * se
    assert np.mean(falls) < level / 2 + 3.5 * math.sqrt(0.025 * 0.975 / runs)


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


def test_a_calibrating_forecast_that_runs_off_drops_the_windows_that_lean_on_it(
    monkeypatch,
) -> None:
    rng = np.random.default_rng(6)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    series = pd.Series(rng.poisson(_conflict_rate(rng, DAYS)).astype(float), index=index)
    real = pf.window_forecast
    runaway = 700  # on the real window's grid (1880 - 10k), before its own calibration range

    def forecast(y, weekday, origin, lead, during_days, max_days):
        observed, predicted = real(y, weekday, origin, lead, during_days, max_days)
        return observed, math.inf if origin == runaway else predicted

    clean = pf.forecast_placebo_test(series, _windows(index, 1900))
    origins = (clean.candidate_windows["pre_end"] - index[0]).dt.days.to_numpy() + 1
    # a window calibrates every 10 days back from origin - 20, no earlier than
    # max(365, origin - 1096), on the grid points between its first and last such origin
    last = origins - 20
    first = last - (last - np.maximum(365, origins - 1096)) // 10 * 10
    leaning = int(np.sum((first <= runaway) & (runaway <= last)))
    assert 0 < leaning < clean.n_placebos
    monkeypatch.setattr(pf, "window_forecast", forecast)
    result = pf.forecast_placebo_test(series, _windows(index, 1900))
    assert result.n_placebos == clean.n_placebos - leaning
    assert result.n_dropped == clean.n_dropped + leaning and math.isfinite(result.p_value)
    assert f"{leaning} pseudo-windows without three windows' worth of calibration" in result.note
    assert result.observed_log_rr == clean.observed_log_rr  # the real one never used that point


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
    # the orange line is the primary estimate, not the during/before ratio
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
