"""The primary (counterfactual) ceasefire effect, checked by simulation with known truth.

The series come from a small generator written here, not from the estimator's model: a
persistent latent log-intensity (an AR(1) built with ``scipy.signal.lfilter``, daily
coefficient 0.93), a slow trend, a weekly reporting cycle and negative-binomial counts, with
the ceasefire multiplying the intensity by a known ratio. Coverage and the rejection rate
under the null are compared with their nominal values allowing Monte-Carlo error; the
``too_short`` and ``zero_during`` paths and the result's keys are checked on small series.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from factories import make_ceasefires
from scipy.signal import lfilter

from analysis import contract as c
from analysis import counterfactual as cf
from analysis import effects, tables
from analysis import status as st
from analysis import windows as wn

DAYS = 900
DURING = 60
START = "2018-01-01"


def persistent_counts(
    rng: np.random.Generator, runs: int, true_ratio: float
) -> tuple[np.ndarray, np.ndarray]:
    """Counts (runs x DAYS) and each run's ceasefire day, drawn at random late in the series."""
    phi, sd = 0.93, 0.5
    shocks = rng.normal(0, sd * math.sqrt(1 - phi**2), (runs, DAYS))
    shocks[:, 0] = rng.normal(0, sd, runs)
    latent = lfilter([1.0], [1.0, -phi], shocks, axis=1)
    day = np.arange(DAYS)
    weekly = 0.15 * np.sin(2 * np.pi * day / 7)
    trend = 0.2 * day / 365
    log_rate = math.log(3.0) + latent + weekly + trend - sd**2 / 2
    effective = rng.integers(DAYS - 200, DAYS - DURING, runs)
    during = (day >= effective[:, None]) & (day < effective[:, None] + DURING)
    rate = np.exp(log_rate) * np.where(during, true_ratio, 1.0)
    size = 3.0  # negative-binomial size: overdispersed counts around the latent rate
    return rng.negative_binomial(size, size / (size + rate)), effective


def run_estimator(counts: np.ndarray, effective: np.ndarray) -> list[cf.CounterfactualEffect]:
    weekday = pd.date_range(START, periods=DAYS, freq="D").day_of_week.to_numpy()
    return [
        cf.counterfactual_core(row, weekday, int(day), int(day), DURING)
        for row, day in zip(counts, effective, strict=True)
    ]


@pytest.mark.parametrize(("true_ratio", "seed"), [(1.0, 71), (0.5, 972)])
def test_interval_covers_the_true_ratio(true_ratio: float, seed: int) -> None:
    runs = 150
    counts, effective = persistent_counts(np.random.default_rng(seed), runs, true_ratio)
    results = run_estimator(counts, effective)
    assert all(r.status == st.STATUS_OK for r in results)
    low = np.array([r.ci_low for r in results])
    high = np.array([r.ci_high for r in results])
    coverage = np.mean((low <= true_ratio) & (true_ratio <= high))
    assert coverage >= 0.88, coverage
    rejects = np.mean((low > 1) | (high < 1))
    if true_ratio == 1.0:
        # nominal 0.05 plus about 2.5 Monte-Carlo standard errors at 150 runs
        assert rejects <= 0.095, rejects
    else:
        assert rejects >= 0.2, rejects  # a halving is found often, not never
    log_bias = np.mean(np.log([r.estimate for r in results])) - math.log(true_ratio)
    assert abs(log_bias) < 0.15, log_bias


def test_short_baseline_is_too_short() -> None:
    counts, _ = persistent_counts(np.random.default_rng(5), 1, 1.0)
    weekday = pd.date_range(START, periods=DAYS, freq="D").day_of_week.to_numpy()
    result = cf.counterfactual_core(counts[0], weekday, 150, 150, DURING)
    assert result.status == st.STATUS_TOO_SHORT
    assert math.isnan(result.estimate) and math.isnan(result.ci_high)
    assert result.note


def test_an_empty_baseline_or_a_window_past_the_data_gives_no_estimate() -> None:
    weekday = pd.date_range(START, periods=DAYS, freq="D").day_of_week.to_numpy()
    y = np.zeros(DAYS)
    y[700:] = 3
    empty = cf.counterfactual_core(y, weekday, 600, 600, DURING)
    assert empty.status == st.STATUS_NO_PRE and math.isnan(empty.estimate)
    past = cf.counterfactual_core(y + 1, weekday, DAYS - 30, DAYS - 30, DURING)
    assert past.status == st.STATUS_OUTSIDE and math.isnan(past.ci_low)


def test_zero_events_during_gives_an_upper_bound() -> None:
    rng = np.random.default_rng(8)
    y = rng.poisson(4.0, DAYS).astype(float)
    y[700 : 700 + DURING] = 0
    weekday = pd.date_range(START, periods=DAYS, freq="D").day_of_week.to_numpy()
    result = cf.counterfactual_core(y, weekday, 700, 700, DURING)
    assert result.status == st.STATUS_ZERO_DURING
    assert result.estimate == 0 and result.ci_low == 0
    # about 240 events expected: zero observed bounds the ratio far below 1 and rejects 1
    assert 0 < result.ci_high < 0.1
    assert result.p_value < 0.01
    assert 200 < result.predicted < 290


def test_windows_call_and_keys() -> None:
    counts, _ = persistent_counts(np.random.default_rng(21), 1, 1.0)
    index = pd.date_range(START, periods=DAYS, freq="D")
    series = pd.Series(counts[0], index=index)
    table = make_ceasefires(
        [
            {
                c.CF_ID: "sim",
                c.CF_DECLARED_ON: index[750],
                c.CF_EFFECTIVE_FROM: index[757],
                c.CF_EFFECTIVE_TO: index[757 + DURING - 1],
            }
        ]
    )
    windows = wn.ceasefire_windows(table, series, pre_days=90)
    result = cf.counterfactual_effect(series, windows)
    assert result.observed == counts[0][757 : 757 + DURING].sum()
    assert result.during_days == DURING
    assert result.baseline_days == 750
    assert result.ci_low < result.estimate < result.ci_high
    assert 0 < result.mde < 1
    keys = set(result.to_dict())
    assert {"estimate", "ci_low", "ci_high", "p_value", "mde", "observed", "predicted"} <= keys
    assert {"baseline_days", "method", "status", "note"} <= keys
    assert "<table>" in result._repr_html_()


def shifted_counts(rng: np.random.Generator, runs: int) -> tuple[np.ndarray, np.ndarray]:
    """Persistent counts whose level jumps x2.7 (a coup) 365 days before a null ceasefire."""
    counts, _ = persistent_counts(rng, runs, 1.0)
    effective = rng.integers(DAYS - 120, DAYS - DURING, runs)
    day = np.arange(DAYS)
    jumped = day >= (effective - 365)[:, None]
    # thinning the counts before the jump keeps their persistence and gives the x2.7 step
    return np.where(jumped, counts, rng.binomial(counts, 1 / math.e)), effective


def test_level_shift_in_the_baseline_is_not_read_as_an_effect() -> None:
    # a line and harmonics fitted across a lasting jump imitate a staircase and read an effect
    # that did not happen; the detected step makes the forecast start from the new level
    counts, effective = shifted_counts(np.random.default_rng(365), 60)
    results = run_estimator(counts, effective)
    log_estimate = np.log([r.estimate for r in results])
    assert abs(np.mean(log_estimate)) < 0.35, np.mean(log_estimate)  # 0.65 without the step
    rejects = np.mean([(r.ci_low > 1) or (r.ci_high < 1) for r in results])
    assert rejects <= 0.12, rejects
    found = np.array([r.level_shift_day for r in results]) - (effective - 365)
    assert np.mean(np.abs(found) <= 35) >= 0.65, found


def test_level_shift_is_named_with_its_date() -> None:
    counts, effective = shifted_counts(np.random.default_rng(12), 1)
    index = pd.date_range(START, periods=DAYS, freq="D")
    series = pd.Series(counts[0], index=index)
    table = make_ceasefires(
        [
            {
                c.CF_ID: "sim",
                c.CF_DECLARED_ON: index[effective[0]],
                c.CF_EFFECTIVE_FROM: index[effective[0]],
                c.CF_EFFECTIVE_TO: index[effective[0] + DURING - 1],
            }
        ]
    )
    result = cf.counterfactual_effect(series, wn.ceasefire_windows(table, series, pre_days=90))
    found = pd.Timestamp(result.to_dict()["level_shift_on"])
    assert abs((found - index[effective[0] - 365]).days) <= 35, found
    assert f"week of {result.level_shift_on}" in result.note


def test_steady_series_has_no_level_shift() -> None:
    rng = np.random.default_rng(4)
    y = rng.poisson(4.0, DAYS).astype(float)
    weekday = pd.date_range(START, periods=DAYS, freq="D").day_of_week.to_numpy()
    result = cf.counterfactual_core(y, weekday, 700, 700, DURING)
    assert math.isnan(result.level_shift_day) and "level shift" not in result.note


def _hand_made(estimate: float, low: float, high: float, status: str = st.STATUS_OK):
    return cf.CounterfactualEffect(
        estimate, low, high, 0.4, 0.35, 30.0, 40.0, 1096, 60, 13.0, 0.4, 12.0, 0.7, status, "",
        model_forecast=42.0,
    )  # fmt: skip


def test_primary_table_and_sentence_read_right() -> None:
    descriptive = effects.EffectResult(0.6, 0.4, 0.9, 0.01, 90, 60, st.STATUS_OK, "")
    table = tables.primary_table(_hand_made(0.75, 0.3, 1.9), descriptive)
    assert list(table["Estimate"]) == [
        "Primary: observed vs counterfactual",
        "Descriptive: during vs before",
    ]
    assert table.loc[0, "95% interval"] == "0.3–1.9"
    assert table.loc[0, "Smallest detectable fall (80% power)"] == "65% (ratio 0.35)"
    unclear = tables.primary_sentence(_hand_made(0.75, 0.3, 1.9))
    assert "not evidence of no effect" in unclear and "a fall of at least 65%" in unclear
    fall = tables.primary_sentence(_hand_made(0.3, 0.1, 0.8))
    assert "fall is larger" in fall and "descriptive only" in fall
    assert "ceasefire lengths of baseline" not in fall  # 13 pseudo-windows, df 12
    thin = dataclasses.replace(_hand_made(0.3, 0.1, 0.8), pseudo_windows=3.5, df=2.5)
    assert "about 3.5 ceasefire lengths of baseline (df 2.5)" in tables.primary_sentence(thin)
    short = tables.primary_sentence(_hand_made(math.nan, math.nan, math.nan, st.STATUS_TOO_SHORT))
    assert short.startswith("No primary estimate")
    assert "level shift" not in fall
    shifted = dataclasses.replace(_hand_made(0.3, 0.1, 0.8), level_shift_on="2021-02-01")
    assert "level shift in the week of 2021-02-01" in tables.primary_sentence(shifted)


def test_a_series_that_starts_late_gets_no_season_it_never_saw() -> None:
    """A dyad silent for years, then fighting for 100-300 days at a steady seasonal rate: the
    forecast of the next 60 days stays near the recent level. Harmonics fitted across the
    leading zeros forecast anything from 2% to 220% of it (and infinity on a reviewer's file)."""
    day = np.arange(1400)
    rate = 3 * np.exp(0.4 * np.cos(2 * np.pi * (day - 75) / 365.25))
    origin, target = 1250, np.arange(1250, 1310)
    for seed in range(20):
        rng = np.random.default_rng(seed)
        y = rng.poisson(rate).astype(float)
        y[: int(rng.integers(950, 1150))] = 0.0
        forecast = cf.forecast_total(y, day % 7, origin, target, 1096)
        recent = y[origin - 60 : origin].sum()
        assert 0.5 * recent < forecast < 2 * recent, seed
