"""Difference-in-differences and displacement, on simulated panels with known effects."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import alignment as al
from analysis import contract as c


def _panel(
    effect: float,
    seed: int,
    n_groups: int = 12,
    n_weeks: int = 100,
    shift: float = 0.0,
    n_treated: int = 2,
) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Weekly panel; the first n_treated groups treated from week 80 with a multiplicative effect.
    Group and week effects plus gamma noise (overdispersed); ``shift`` moves events from
    the treated groups to g11 after the date (displacement)."""
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2022-01-03", periods=n_weeks, freq="W-MON")
    g_eff = rng.gamma(4.0, 1.0, n_groups)
    w_eff = np.exp(0.3 * np.sin(np.arange(n_weeks) / 6))
    lam = np.outer(w_eff, g_eff) * rng.gamma(5.0, 0.2, (n_weeks, n_groups))
    lam[80:, :n_treated] *= effect
    if shift:
        lam[80:, n_groups - 1] += shift
    y = rng.poisson(lam)
    return pd.DataFrame(
        {
            c.PN_PERIOD: np.repeat(weeks, n_groups),
            c.PN_GROUP: np.tile([f"g{i}" for i in range(n_groups)], n_weeks),
            c.PN_EVENTS: y.ravel(),
            c.PN_FATALITIES: 0,
        }
    ), weeks[80]


@pytest.mark.parametrize("effect", [0.4, 1.0])
def test_did_interval_coverage_with_many_treated_clusters(effect: float) -> None:
    """Cluster-robust intervals are only trustworthy with many treated clusters (here 10 of
    20); with 2 treated groups they cover about 82%, hence the placebo in DidResult."""
    runs = 50
    hits, logs = [], []
    treated = [f"g{i}" for i in range(10)]
    for seed in range(runs):
        panel, date = _panel(effect, seed, n_groups=20, n_treated=10)
        res = al.did_poisson(
            panel, treated, date, pre_periods=20, post_periods=10, n_placebo_dates=0
        )
        hits.append(res.ci_low <= effect <= res.ci_high)
        logs.append(math.log(res.estimate))
    assert np.mean(hits) >= 0.95 - 3 * math.sqrt(0.95 * 0.05 / runs)
    assert abs(np.mean(logs) - math.log(effect)) < 0.1


def test_did_reports_placebo_and_status() -> None:
    panel, date = _panel(0.3, 99)
    res = al.did_poisson(panel, ["g0", "g1"], date, pre_periods=30, post_periods=20)
    assert res.status == "ok" and not math.isnan(res.placebo_p_value)
    assert res.ci_high < 1
    assert "clusters" in res.note
    with pytest.raises(ValueError, match="not in the panel"):
        al.did_poisson(panel, ["nobody"], date)


def test_displacement_detects_a_moved_share() -> None:
    panel, date = _panel(0.2, 5, shift=20.0)
    shift = al.displacement_shares(panel, date, pre_periods=10, post_periods=10)
    table, summary = shift.shares, shift.to_dict()
    row = table.set_index(c.PN_GROUP).loc["g11"]
    assert row["change_pp"] > 10
    assert summary["placebo_p_value"] < 0.05
    null_panel, _ = _panel(1.0, 6)
    null_summary = al.displacement_shares(
        null_panel, date, pre_periods=10, post_periods=10
    ).to_dict()
    assert null_summary["total_variation_distance"] < summary["total_variation_distance"]


def _fixed_panel(treated_pre: int, control_pre: int, control_post: int) -> pd.DataFrame:
    """g0 treated; g1, g2 controls; 10 weeks before and 5 after, constant weekly counts,
    and no treated events after the date."""
    weeks = pd.date_range("2022-01-03", periods=15, freq="W-MON")
    rows = []
    for k, week in enumerate(weeks):
        post = k >= 10
        rows.append((week, "g0", 0 if post else treated_pre))
        for group in ("g1", "g2"):
            rows.append((week, group, control_post if post else control_pre))
    frame = pd.DataFrame(rows, columns=[c.PN_PERIOD, c.PN_GROUP, c.PN_EVENTS])
    frame[c.PN_EVENTS] = frame[c.PN_EVENTS].astype("Int64")  # as panel.build_panel returns
    return frame


def test_zero_post_events_give_an_exact_upper_bound() -> None:
    from scipy import stats

    panel = _fixed_panel(treated_pre=4, control_pre=10, control_post=15)
    res = al.did_poisson(panel, ["g0"], "2022-03-14", n_placebo_dates=0)
    assert res.status == "zero_during" and res.estimate == 0.0
    # 40 treated events before, none after (no overdispersion: constant counts). Controls:
    # 200 before over 10 weeks, 150 after over 5 weeks, a change of 0.75 in total counts.
    # Clopper-Pearson upper bound for 0 of 40 at 97.5%, turned into a ratio of odds
    p_up = stats.beta.ppf(0.975, 1, 40)
    assert res.ci_high == pytest.approx(p_up / (1 - p_up) / 0.75, rel=1e-9)
    assert res.p_value == pytest.approx(2 * (1 / 1.75) ** 40)


def test_zero_post_bound_rarely_excludes_the_truth() -> None:
    """At a true ratio where zero post counts are common, the bound must lie below the
    truth in at most about 2.5% of runs (one-sided 97.5% bound)."""
    true_rr, runs, misses, zeros = 0.05, 150, 0, 0
    for seed in range(runs):
        panel, date = _panel(true_rr, seed, n_groups=8, n_weeks=100, n_treated=1)
        res = al.did_poisson(
            panel, ["g0"], date, pre_periods=20, post_periods=10, n_placebo_dates=0
        )
        if res.status == "zero_during":
            zeros += 1
            misses += res.ci_high < true_rr
    assert zeros >= 30  # the case is actually exercised
    assert misses / runs <= 0.025 + 3 * math.sqrt(0.025 * 0.975 / runs)


def test_displacement_accepts_nullable_integer_panels() -> None:
    panel, date = _panel(0.5, 3)
    as_int64 = panel.assign(**{c.PN_EVENTS: panel[c.PN_EVENTS].astype("Int64")})
    shift = al.displacement_shares(as_int64, date, pre_periods=10, post_periods=10)
    reference = al.displacement_shares(panel, date, pre_periods=10, post_periods=10)
    table, summary = shift.shares, shift.to_dict()
    ref_table, ref_summary = reference.shares, reference.to_dict()
    assert summary == pytest.approx(ref_summary)
    assert table["change_pp"].to_numpy() == pytest.approx(ref_table["change_pp"].to_numpy())
