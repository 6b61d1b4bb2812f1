"""The NB2 rate ratio of one ceasefire and the one-call estimate, checked against known truth.

Interval coverage and bias of the single-ceasefire NB2 fit are checked over simulated runs
with a known rate ratio (AR(1) latent intensity, gamma noise), the dispersion estimate over
i.i.d. gamma-Poisson series with a known dispersion, and the interim phase on a series
whose rate rises between declaration and entry into force. Series with no pre events or
no events during must give an explained result (status, note, exact upper bound). The
one-call estimate is checked on bundled UCDP data against a known piece of history: the
Arakan Army truce of November 2022.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from factories import DURING, PRE, TRUE_RATIOS
from factories import make_ceasefires as _ceasefire_table

from analysis import contract as c
from analysis import effects as ef
from analysis import simulate as sim
from analysis import status as st
from analysis import windows as wn
from analysis.ceasefire_table import load_ceasefires


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
    # most days of 2018-2023 lie inside some ceasefire, so few 90 + 180-day pseudo-windows
    # fit outside all of them (here one, with no events in its pre window, so it cannot be
    # compared): the placebos must say their p-value is coarse or missing, not claim 0.001
    for placebo in (result.placebo, result.matched_placebo):
        assert placebo.n_placebos < 39
        if placebo.status == "coarse":
            assert placebo.p_value >= 2 / (1 + placebo.n_placebos)
        else:
            assert placebo.status == "no_placebo_room" and math.isnan(placebo.p_value)
