"""Ceasefire effect estimators, checked against simulated data with a known rate ratio.

Counts are simulated with an AR(1) latent log-intensity and gamma noise (overdispersed and
autocorrelated). The number of runs is chosen so that an estimator with Poisson standard
errors (coverage about 0.70 here) or with an unadjusted Newey-West variance (about 0.91)
fails the coverage bounds.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

from analysis import batch as bt
from analysis import contract as c
from analysis import effects as ef
from analysis import panel
from analysis import placebo as pl
from analysis import pooling as po
from analysis import simulate as sim
from analysis import status as st
from analysis import time_series as ts
from analysis import windows as wn
from analysis.ceasefire_table import load_ceasefires

PRE, DURING = 90, 60
TRUE_RATIOS = (0.5, 1.0, 1.3)


def _ceasefire_table(rows: list[dict]) -> pd.DataFrame:
    """A ceasefire table with the contract's columns (unset columns blank)."""
    frame = pd.DataFrame(rows)
    for col in c.CEASEFIRES.column_names:
        if col not in frame:
            frame[col] = pd.NA
    for col in (c.CF_DECLARED_ON, c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_TO):
        frame[col] = pd.to_datetime(frame[col])
    for col in (c.CF_ID, c.CF_EXTENDS, c.CF_KIND, c.CF_BROKER_BLOC, c.CF_DATE_PRECISION):
        frame[col] = frame[col].astype("string")
    return frame[c.CEASEFIRES.column_names]


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


@pytest.mark.parametrize("true_rr", TRUE_RATIOS)
def test_single_nb2_interval_coverage(true_rr: float) -> None:
    runs = 150
    y = sim.simulate_counts(
        runs, PRE + DURING + 10, rate_ratio=true_rr, change_day=PRE + 10, seed=11
    )
    index = pd.date_range("2020-01-01", periods=PRE + DURING + 10, freq="D")
    table = _ceasefire_table(
        [
            {
                c.CF_ID: "sim",
                c.CF_DECLARED_ON: index[PRE + 10],
                c.CF_EFFECTIVE_FROM: index[PRE + 10],
                c.CF_EFFECTIVE_TO: index[-1],
            }
        ]
    )
    hits, logs, dispersions = [], [], []
    for run in y:  # one NB2 fit per simulated run: this is the single-ceasefire path
        series = pd.Series(run, index=index)
        windows = wn.ceasefire_windows(table, series, pre_days=PRE)
        result = ef.rate_ratio_nb(series, windows, day_of_week=True).during
        assert result.status == st.STATUS_OK
        hits.append(result.ci_low <= true_rr <= result.ci_high)
        logs.append(math.log(result.estimate))
        dispersions.append(result.dispersion)
    sd = math.sqrt(0.95 * 0.05 / runs)
    assert np.mean(hits) >= 0.95 - 3 * sd, np.mean(hits)
    bias_sd = np.std(logs) / math.sqrt(runs)
    assert abs(np.mean(logs) - math.log(true_rr)) < 0.05 + 2 * bias_sd
    # dispersion is estimated: clearly above 0 and not stuck at the GLM default of 1
    assert 0.2 < np.median(dispersions) < 0.9


def test_nb2_dispersion_estimate_matches_iid_truth() -> None:
    rng = np.random.default_rng(3)
    index = pd.date_range("2021-01-01", periods=400, freq="D")
    lam = 3.0 * rng.gamma(1 / 0.6, 0.6, (30, 400))
    y = rng.poisson(lam)
    table = _ceasefire_table(
        [{c.CF_ID: "x", c.CF_DECLARED_ON: index[200], c.CF_EFFECTIVE_TO: index[399]}]
    )
    estimates = []
    for run in y:
        series = pd.Series(run.astype(float), index=index)
        windows = wn.ceasefire_windows(table, series, pre_days=200)
        estimates.append(ef.rate_ratio_nb(series, windows).during.dispersion)
    assert abs(np.mean(estimates) - 0.6) < 0.08


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


def test_zero_pre_events_gives_an_explained_result() -> None:
    index = pd.date_range("2020-01-01", periods=200, freq="D")
    y = np.r_[np.zeros(100), np.ones(100)]
    table = _ceasefire_table(
        [{c.CF_ID: "quiet", c.CF_DECLARED_ON: index[100], c.CF_EFFECTIVE_TO: index[159]}]
    )
    series = pd.Series(y, index=index)
    windows = wn.ceasefire_windows(table, series, pre_days=60)
    result = ef.rate_ratio_nb(series, windows).during
    assert result.status == st.STATUS_NO_PRE
    assert math.isnan(result.estimate)
    assert "pre window" in result.note
    assert result.to_dict()["status"] == st.STATUS_NO_PRE


def test_zero_during_gives_zero_with_upper_bound() -> None:
    index = pd.date_range("2020-01-01", periods=200, freq="D")
    y = np.r_[np.full(100, 2.0), np.zeros(100)]
    table = _ceasefire_table(
        [{c.CF_ID: "stop", c.CF_DECLARED_ON: index[100], c.CF_EFFECTIVE_TO: index[159]}]
    )
    series = pd.Series(y, index=index)
    windows = wn.ceasefire_windows(table, series, pre_days=60)
    result = ef.rate_ratio_nb(series, windows).during
    assert result.status == st.STATUS_ZERO_DURING
    assert result.estimate == 0.0
    # 120 pre events, no dispersion: the exact bound is small but positive
    assert 0 < result.ci_high < 0.1
    assert result.p_value < 0.001


def test_window_outside_data_raises_clear_error() -> None:
    index = pd.date_range("2020-01-01", periods=100, freq="D")
    series = pd.Series(np.ones(100), index=index)
    table = _ceasefire_table(
        [{c.CF_ID: "early", c.CF_DECLARED_ON: index[30], c.CF_EFFECTIVE_TO: index[60]}]
    )
    with pytest.raises(wn.WindowOutsideDataError, match="early"):
        wn.ceasefire_windows(table, series, pre_days=90)
    late = _ceasefire_table([{c.CF_ID: "late", c.CF_DECLARED_ON: "2021-06-01"}])
    with pytest.raises(wn.WindowOutsideDataError, match="not covered"):
        wn.ceasefire_windows(late, series, pre_days=30)


def test_gap_handling_and_interim_phase() -> None:
    """Violence rises between declaration and entry into force: the interim phase shows it."""
    rng = np.random.default_rng(4)
    index = pd.date_range("2020-01-01", periods=300, freq="D")
    lam = np.r_[np.full(150, 2.0), np.full(20, 6.0), np.full(130, 1.0)]
    series = pd.Series(rng.poisson(lam).astype(float), index=index)
    table = _ceasefire_table(
        [
            {
                c.CF_ID: "gap",
                c.CF_DECLARED_ON: index[150],
                c.CF_EFFECTIVE_FROM: index[170],
                c.CF_EFFECTIVE_TO: index[269],
            }
        ]
    )
    w_ex = wn.ceasefire_windows(table, series, pre_days=90, gap="exclude")
    assert w_ex.pre_end == index[149] and w_ex.during_start == index[170]
    phases = ef.rate_ratio_nb(
        series, wn.ceasefire_windows(table, series, pre_days=90, gap="interim")
    )
    during, interim = phases.during, phases.interim
    assert interim is not None and interim.n_during == 20
    assert interim.ci_low > 1.5  # interim tripled
    assert during.ci_high < 0.8  # during halved
    w_in = wn.ceasefire_windows(table, series, pre_days=90, gap="during")
    assert w_in.during_start == index[150]
    with pytest.raises(ValueError, match="gap"):
        wn.ceasefire_windows(table, series, gap="sometimes")  # type: ignore[arg-type]


def test_open_ended_window_is_capped_and_chain_is_resolved() -> None:
    table = _ceasefire_table(
        [
            {c.CF_ID: "a", c.CF_DECLARED_ON: "2020-03-01", c.CF_EFFECTIVE_TO: "2020-03-31"},
            {
                c.CF_ID: "b",
                c.CF_DECLARED_ON: "2020-03-30",
                c.CF_EFFECTIVE_FROM: "2020-04-01",
                c.CF_EFFECTIVE_TO: "2020-04-30",
                c.CF_EXTENDS: "a",
            },
            {
                c.CF_ID: "c",
                c.CF_DECLARED_ON: "2020-04-29",
                c.CF_EFFECTIVE_FROM: "2020-05-01",
                c.CF_EXTENDS: "b",
            },
            {c.CF_ID: "z", c.CF_DECLARED_ON: "2020-06-01", c.CF_EFFECTIVE_TO: "2020-06-10"},
        ]
    )
    assert wn.chain_members(table, "b") == ["a", "b", "c"]
    chain = wn.select_ceasefire(table, "c", chain=True).iloc[0]
    assert chain[c.CF_ID] == "a"
    assert chain[c.CF_EFFECTIVE_FROM] == pd.Timestamp("2020-03-01")
    assert pd.isna(chain[c.CF_EFFECTIVE_TO])  # the chain's last member is open-ended
    w = wn.window_table(wn.select_ceasefire(table, "c", chain=True), max_during_days=100).iloc[0]
    assert w["during_end"] == pd.Timestamp("2020-03-01") + pd.Timedelta(days=99)
    alone = wn.window_table(wn.select_ceasefire(table, "b")).iloc[0]
    assert "extends" in alone["window_note"]
    cyclic = table.assign(**{c.CF_EXTENDS: pd.array(["c", "a", "b", pd.NA], dtype="string")})
    with pytest.raises(ValueError, match="cycle"):
        wn.chain_roots(cyclic)


def test_daily_series_with_gaps_is_rejected() -> None:
    index = pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-04"])
    with pytest.raises(ValueError, match="no gaps"):
        panel.check_daily_series(pd.Series([1, 2, 3], index=index))


def test_random_effects_pooling_matches_statsmodels() -> None:
    rng = np.random.default_rng(9)
    frame = pd.DataFrame(
        {
            "group": np.repeat(["x", "y"], 6),
            "log_rr": rng.normal(-0.3, 0.4, 12),
            "se": rng.uniform(0.1, 0.4, 12),
        }
    )
    pooled = po.pool_random_effects(frame, "group").set_index("group")
    for name, part in frame.groupby("group"):
        ref = combine_effects(part["log_rr"], part["se"] ** 2, method_re="dl")
        assert pooled.loc[name, "pooled_log_rr"] == pytest.approx(ref.mean_effect_re)
        assert pooled.loc[name, "pooled_se"] == pytest.approx(ref.sd_eff_w_re)
        assert pooled.loc[name, "tau2"] == pytest.approx(ref.tau2)


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
    index = pd.date_range("2020-01-01", periods=300, freq="D")
    lam = np.r_[np.full(150, 4.0), np.full(150, 1.0)]
    series = pd.Series(rng.poisson(lam).astype(float), index=index)
    es = ts.event_study(series, index[150], weeks_before=8, weeks_after=8)
    pre = es[es["week"] < -1]
    post = es[es["week"] >= 0]
    assert ((pre["ci_low"] < 1) & (pre["ci_high"] > 1)).mean() >= 0.8
    assert (post["ci_high"] < 1).mean() >= 0.8
    assert es.loc[es["week"] == -1, "rate_ratio"].item() == 1.0


def test_known_history_arakan_army_truce_november_2022() -> None:
    """Bundled UCDP data: military-initiated events against the ULA/AA all but stop after
    the informal truce of 24 Nov 2022 (fighting resumed in Nov 2023, outside 180 days)."""
    from analysis import panel
    from analysis.sources import ucdp_daily

    events = ucdp_daily.ucdp_daily_to_events(ucdp_daily.load_ucdp_daily())
    state = panel.filter_events(events, actor_side="state")
    ula = state[state[c.EV_TARGET_RAW] == "ULA"]
    series = panel.daily_series(ula, "2018-01-01", "2023-12-31")
    result = ef.estimate_ceasefire_effect(
        series, load_ceasefires(), "aa-mil-2022-11", max_during_days=180, n_placebos=499
    )
    assert result.windows.during_start == pd.Timestamp("2022-11-24")
    assert result.during.estimate < 0.1
    assert result.during.ci_high < 1
    assert result.during.events_pre > 20
    # the dyad was often quiet for months before 2022, so only the spike-matched placebo
    # (pseudo-dates with a comparable pre-level of fighting) is a fair comparison
    assert result.matched_placebo.p_value < 0.05


def test_pooling_a_single_estimate_returns_it() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {"group": [f"g{i}" for i in range(40)], "log_rr": rng.normal(0, 1, 40), "se": 0.3}
    )
    frame.loc[0, ["log_rr", "se"]] = [-0.127155, 0.277132]  # gave tau2 = inf by rounding
    pooled = po.pool_random_effects(frame, "group").set_index("group").loc[frame["group"]]
    assert (pooled["tau2"] == 0).all()
    assert pooled["pooled_log_rr"].to_numpy() == pytest.approx(frame["log_rr"].to_numpy())
    assert pooled["ci_high"].to_numpy() == pytest.approx(
        np.exp(frame["log_rr"] + 1.959963985 * frame["se"]).to_numpy(), rel=1e-6
    )
