"""Placebo tests in non-overlapping pseudo-windows, checked directly and by simulation.

The candidate windows are checked on the windows returned (no overlap with each other, with
the real windows or with any ceasefire period; as many as fit); p never falls below its
resolution; with the null true the share of p <= 0.05 stays within Monte-Carlo error of the
test's exact level over several seeds, for the plain and the spike-matched placebo (dates
chosen after spikes for the latter); with discrete ties (iid small counts, zero-during
windows) ties put in random order keep the p-value uniform and the size exact; a real
five-fold drop is found; too little room gives a coarse p with its resolution instead of a
refusal or a false 0.001.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from factories import make_ceasefires, windows_at

from analysis import contract as c
from analysis import placebo as pl
from analysis import plots, tables
from analysis import simulate as sim
from analysis import status as st
from analysis import windows as wn

PRE, DURING = 30, 20  # short windows: 41 non-overlapping blocks fit in 2,100 days
DAYS = 2100


def _windows(index: pd.DatetimeIndex, effective: int, pre: int = PRE, during: int = DURING):
    return windows_at(index, effective, pre, during)


def _most_blocks(blocked: np.ndarray, length: int) -> int:
    """Most non-overlapping free blocks, by dynamic programming (independent of the greedy)."""
    best = np.zeros(len(blocked) + 1, dtype=int)
    for end in range(1, len(blocked) + 1):
        best[end] = best[end - 1]
        if end >= length and not blocked[end - length : end].any():
            best[end] = max(best[end], best[end - length] + 1)
    return int(best[-1])


def test_candidate_windows_never_overlap_each_other_the_ceasefire_or_any_ceasefire_period():
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    series = pd.Series(sim.simulate_counts(1, DAYS, seed=3)[0], index=index)
    table = make_ceasefires(
        [
            {c.CF_ID: "real", c.CF_DECLARED_ON: index[1800], c.CF_EFFECTIVE_TO: index[1819]},
            {c.CF_ID: "a", c.CF_EFFECTIVE_FROM: index[200], c.CF_EFFECTIVE_TO: index[333]},
            {c.CF_ID: "b", c.CF_EFFECTIVE_FROM: index[905], c.CF_EFFECTIVE_TO: index[910]},
            {c.CF_ID: "open", c.CF_EFFECTIVE_FROM: index[1400]},  # open-ended: 90 days taken
        ]
    )
    windows = _windows(index, 1800)
    for matched in (False, True):
        result = pl.placebo_test(series, windows, ceasefires=table, match_pre_level=matched)
        got = result.candidate_windows
        assert len(got) == result.n_placebos > 0
        assert (got["pre_start"].iloc[1:].to_numpy() > got["during_end"].iloc[:-1].to_numpy()).all()
        periods = wn.ceasefire_periods(table, open_ended_days=90)
        for _, period in periods.iterrows():
            clear = (got["during_end"] < period["start"]) | (got["pre_start"] > period["end"])
            assert clear.all(), period[c.CF_ID]
        blocked = wn.window_mask(index, periods)
        blocked[1800 - PRE : 1800 + DURING] = True  # the real pre and during windows
        assert _most_blocks(blocked, PRE + DURING) == result.n_candidates


def test_p_is_never_below_its_resolution_and_a_huge_drop_sits_at_the_floor():
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    for seed in range(6):
        y = sim.simulate_counts(1, DAYS, mean=5.0, seed=seed)[0]
        y[2000:2020] = 0.0  # no events during: the most extreme possible fall
        series = pd.Series(y, index=index)
        for matched in (False, True):
            result = pl.placebo_test(series, _windows(index, 2000), match_pre_level=matched)
            assert result.p_value >= 2 * result.resolution - 1e-12
            assert result.resolution == pytest.approx(1 / (1 + result.n_placebos))
        plain = pl.placebo_test(series, _windows(index, 2000))
        assert plain.p_value == pytest.approx(2 / (1 + plain.n_placebos))


def _size(p_values: list[float]) -> tuple[float, float]:
    share = float(np.mean(np.asarray(p_values) <= 0.05))
    return share, math.sqrt(0.05 * 0.95 / len(p_values))


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_size_under_the_null_is_the_nominal_level_for_exogenous_dates(seed: int) -> None:
    runs = 200
    rng = np.random.default_rng(seed)
    y = sim.simulate_counts(runs, DAYS, phi=0.9, sd=0.6, seed=rng)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    p_random, p_matched, levels = [], [], []
    for run in y:
        windows = _windows(index, int(rng.integers(1900, DAYS - DURING)))
        series = pd.Series(run, index=index)
        plain = pl.placebo_test(series, windows)
        p_random.append(plain.p_value)
        p_matched.append(pl.placebo_test(series, windows, match_pre_level=True).p_value)
        # the exact level of a two-sided rank test at 0.05 with n candidates
        levels.append(2 * math.floor(0.05 * (1 + plain.n_placebos) / 2) / (1 + plain.n_placebos))
    for p_values in (p_random, p_matched):
        size, se = _size(p_values)
        assert abs(size - np.mean(levels)) < 3.5 * se


@pytest.mark.parametrize("seed", [21, 22])
def test_rank_p_with_heavy_ties_is_uniform_under_exchangeability(seed: int) -> None:
    """iid small counts (ties everywhere): with ties in random order P(p <= 2k / (1 + n)) is
    2k / (1 + n) for every k; counting ties against the observed makes it far smaller."""
    rng = np.random.default_rng(seed)
    runs, n = 4000, 41
    draws = rng.poisson(1.0, (runs, n + 1)).astype(float)  # 4-5 distinct values among 42
    random_order = np.array([pl.two_sided_rank_p(row[0], row[1:], rng) for row in draws])
    ties_against = np.array([pl.two_sided_rank_p(row[0], row[1:]) for row in draws])
    for k in (1, 4, 10):
        level = 2 * k / (1 + n)
        share = float(np.mean(random_order <= level + 1e-12))
        assert abs(share - level) < 4 * math.sqrt(level * (1 - level) / runs), (k, share)
    assert np.mean(ties_against <= 2 / (1 + n) + 1e-12) < 0.5 * 2 / (1 + n)
    one_sided = np.array([pl.upper_rank_p(row[0], row[1:], rng) for row in draws])
    for k in (1, 4, 10):
        level = k / (1 + n)
        share = float(np.mean(one_sided <= level + 1e-12))
        assert abs(share - level) < 4 * math.sqrt(level * (1 - level) / runs), (k, share)


@pytest.mark.parametrize("seed", [31, 32])
def test_placebo_size_is_exact_on_sparse_exchangeable_series_with_zero_during_ties(
    seed: int,
) -> None:
    """iid sparse days (2 events expected during, about 6 of 45 windows empty): the real window
    is exchangeable with the pseudo-windows, so each tail rejects at half the exact rank
    level; with ties counted against it a zero-during ceasefire could never reject."""
    rng = np.random.default_rng(seed)
    runs, days = 800, 2400
    index = pd.date_range("2016-01-01", periods=days, freq="D")
    y = rng.poisson(0.1, (runs, days)).astype(float)
    rejected, lower, levels, tied = [], [], [], 0
    for run in y:
        windows = _windows(index, int(rng.integers(2200, days - DURING)))
        result = pl.placebo_test(pd.Series(run, index=index), windows, seed=int(rng.integers(1e9)))
        if math.isnan(result.p_value):  # no events in the real pre window: no estimate
            continue
        placebo, observed = result.placebo_log_rr, result.observed_log_rr
        rejected.append(result.p_value <= 0.05)
        lower.append(result.p_value <= 0.05 and observed < np.median(placebo))
        n = result.n_placebos
        levels.append(2 * math.floor(0.05 * (1 + n) / 2) / (1 + n))
        tied += int(np.any(placebo == observed))
    assert tied > 0.2 * len(rejected)  # ties are common here
    level = float(np.mean(levels))
    for share, expected in ((np.mean(rejected), level), (np.mean(lower), level / 2)):
        assert abs(share - expected) < 3.5 * math.sqrt(expected * (1 - expected) / len(levels))


def test_spike_matched_placebo_keeps_its_size_when_ceasefires_follow_spikes() -> None:
    """Dates right after the trailing 30-day mean is in its top decile, no true effect."""
    rng = np.random.default_rng(7)
    runs = 250
    y = sim.simulate_counts(runs, DAYS, phi=0.95, sd=0.7, seed=rng)
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    p_values, observed = [], []
    for run in y:
        trailing = pd.Series(run).rolling(30).mean().to_numpy()
        late = np.arange(1900, DAYS - DURING)
        top = late[trailing[late - 1] >= np.quantile(trailing[late - 1], 0.9)]
        windows = _windows(index, int(rng.choice(top)))
        result = pl.placebo_test(pd.Series(run, index=index), windows, match_pre_level=True)
        p_values.append(result.p_value)
        observed.append(result.observed_log_rr)
    assert np.median(observed) < -0.1  # the spike makes the naive ratio look like a fall
    size, se = _size(p_values)
    assert size < 0.05 + 3 * se


def test_placebo_detects_a_real_drop_in_most_runs() -> None:
    index = pd.date_range("2016-01-01", periods=DAYS, freq="D")
    rng = np.random.default_rng(5)
    y = sim.simulate_counts(40, DAYS, mean=4.0, seed=rng)
    p_values = []
    for run in y:
        run[2000:2020] = rng.binomial(run[2000:2020].astype(int), 0.2)  # a five-fold drop
        result = pl.placebo_test(pd.Series(run, index=index), _windows(index, 2000))
        p_values.append(result.p_value)
    assert np.mean(np.asarray(p_values) <= 0.05) > 0.8


def test_little_room_gives_a_coarse_p_with_its_resolution_and_none_gives_no_p() -> None:
    index = pd.date_range("2016-01-01", periods=600, freq="D")
    series = pd.Series(sim.simulate_counts(1, 600, seed=2)[0], index=index)
    windows = _windows(index, 520, pre=90, during=60)
    coarse = pl.placebo_test(series, windows)
    assert coarse.status == st.STATUS_COARSE
    assert coarse.n_placebos == 2  # the 430 days before the real block hold two 150-day ones
    assert 2 * coarse.resolution <= coarse.p_value <= 1
    everywhere = make_ceasefires(
        [{c.CF_ID: "all", c.CF_EFFECTIVE_FROM: index[0], c.CF_EFFECTIVE_TO: index[-1]}]
    )
    none = pl.placebo_test(series, windows, ceasefires=everywhere)
    assert none.status == st.STATUS_NO_PLACEBO_ROOM and math.isnan(none.p_value)
    assert none.to_dict()["n_candidates"] == 0


@pytest.mark.parametrize("blocked_until", [None, 430])
def test_windows_that_fit_but_are_quiet_before_give_one_coherent_message(blocked_until) -> None:
    index = pd.date_range("2016-01-01", periods=600, freq="D")
    counts = sim.simulate_counts(1, 600, seed=3)[0].astype(float)
    counts[:430] = 0.0  # every pseudo-window before the real block has a quiet pre window
    series = pd.Series(counts, index=index)
    windows = _windows(index, 520, pre=90, during=60)
    rows = [{c.CF_ID: "x", c.CF_EFFECTIVE_FROM: index[200], c.CF_EFFECTIVE_TO: index[429]}]
    ceasefires = make_ceasefires(rows) if blocked_until else None
    result = pl.placebo_test(series, windows, ceasefires=ceasefires)
    n_fit = result.n_candidates
    assert n_fit == (1 if blocked_until else 2) and result.n_placebos == 0
    assert result.n_dropped == n_fit  # every window that fits is quiet before
    assert result.status == st.STATUS_NO_PLACEBO_ROOM and math.isnan(result.p_value)
    # one message: no "left out" count next to "no window fits"
    assert "left out" not in result.note and "no 150-day" not in result.note
    assert "no placebo comparison is possible" in result.note
    assert result.note.startswith("one pseudo-window fits" if n_fit == 1 else "2 pseudo-windows")
    effect = SimpleNamespace(placebo=result)
    assert "steps of" not in tables.placebo_caption(effect)
    figure = plots.ceasefire_effect_figure(
        series,
        windows,
        pd.DataFrame({"week": [0], "rate_ratio": 1.0, "ci_low": 0.5, "ci_high": 2.0}),
        result,
        "t",
    )
    panel = figure.axes[2]
    assert not panel.axison and panel.get_legend() is None
    assert any("no placebo comparison" in t.get_text() for t in panel.texts)
    plt.close(figure)


def test_the_caption_gives_the_step_of_p_when_there_are_windows() -> None:
    index = pd.date_range("2016-01-01", periods=600, freq="D")
    series = pd.Series(sim.simulate_counts(1, 600, seed=2)[0], index=index)
    coarse = pl.placebo_test(series, _windows(index, 520, pre=90, during=60))
    caption = tables.placebo_caption(SimpleNamespace(placebo=coarse))
    assert caption.startswith("The placebos: 2 non-overlapping pseudo-windows")
    assert "steps of 0.33" in caption
