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
    table, summary = al.displacement_shares(panel, date, pre_periods=10, post_periods=10)
    row = table.set_index(c.PN_GROUP).loc["g11"]
    assert row["change_pp"] > 10
    assert summary["placebo_p_value"] < 0.05
    null_panel, _ = _panel(1.0, 6)
    _, null_summary = al.displacement_shares(null_panel, date, pre_periods=10, post_periods=10)
    assert null_summary["total_variation_distance"] < summary["total_variation_distance"]
