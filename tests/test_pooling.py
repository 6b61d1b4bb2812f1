"""Random-effects pooling and chain FDR, checked against statsmodels, by hand and by simulation.

DerSimonian-Laird pooled log ratios, standard errors and tau^2 must equal those of
``statsmodels.stats.meta_analysis.combine_effects`` on random estimates; a group with a
single estimate is not pooled (status single_estimate, NaN pooled values, also where rounding
once gave tau^2 = inf).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

from analysis import pooling as po
from analysis import tables
from analysis.status import STATUS_NOTHING_TO_POOL, STATUS_OK, STATUS_SINGLE


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
        # modified HKSJ: the HKSJ standard error floored at the DL one
        hksj = max(ref.sd_eff_w_re, ref.sd_eff_w_re_hksj)
        assert pooled.loc[name, "pooled_se"] == pytest.approx(hksj)
        assert pooled.loc[name, "tau2"] == pytest.approx(ref.tau2)


def test_a_group_of_one_is_not_pooled() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {"group": [f"g{i}" for i in range(40)], "log_rr": rng.normal(0, 1, 40), "se": 0.3}
    )
    frame.loc[0, ["log_rr", "se"]] = [-0.127155, 0.277132]  # gave tau2 = inf by rounding
    pair = pd.DataFrame({"group": "pair", "log_rr": [-0.5, -0.2], "se": [0.2, 0.3]})
    nothing = pd.DataFrame({"group": ["none"], "log_rr": [np.nan], "se": [np.nan]})
    pooled = po.pool_random_effects(pd.concat([frame, pair, nothing]), "group")
    pooled = pooled.set_index("group")
    singles = pooled.loc[frame["group"]]
    assert (singles["status"] == STATUS_SINGLE).all()
    assert (singles["k"] == 1).all()
    # a one-estimate "pooled" interval would be the normal one, narrower than the row's own
    assert singles[list(po.POOLED_VALUES)].isna().all().all()
    assert pooled.loc["pair", "status"] == STATUS_OK
    assert pooled.loc["pair", ["pooled_rr", "ci_low", "ci_high", "p_value"]].notna().all()
    assert pooled.loc["none", "status"] == STATUS_NOTHING_TO_POOL
    assert np.isnan(pooled.loc["none", "pooled_rr"])


def test_hksj_pooling_covers_at_two_and_three_studies() -> None:
    runs = 300
    rng = np.random.default_rng(int(np.random.SeedSequence().entropy % 2**32))
    hits = []
    for run in range(runs):
        k = 2 + run % 2
        se = rng.uniform(0.1, 0.5, k)
        frame = pd.DataFrame(
            {"group": "g", "log_rr": -0.3 + rng.normal(0, 0.3, k) + rng.normal(0, se), "se": se}
        )
        row = po.pool_random_effects(frame, "group").iloc[0]
        hits.append(row["ci_low"] < np.exp(-0.3) < row["ci_high"])
    # DL with z critical values covers 0.81-0.87 here
    assert np.mean(hits) >= 0.95 - 3 * np.sqrt(0.95 * 0.05 / runs)


def test_chain_fdr_controls_familywise_error_under_chained_null() -> None:
    runs = 300
    rng = np.random.default_rng(int(np.random.SeedSequence().entropy % 2**32))
    chain = pd.Series(np.repeat(np.arange(10), 4))
    false = []
    for _ in range(runs):
        shared = np.repeat(rng.normal(size=10), 4)
        z = 0.95 * shared + np.sqrt(1 - 0.95**2) * rng.normal(size=40)
        p = pd.Series(2 * stats.norm.sf(np.abs(z)))
        false.append((po.chain_fdr(p, chain) <= 0.05).any())
    assert np.mean(false) <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / runs)


def test_zero_during_rows_keep_a_finite_estimate() -> None:
    counts = pd.DataFrame(
        {"events_pre": [10, 4], "events_during": [0, 2], "n_pre": [30, 30], "n_during": [30, 15]}
    )
    out = po.count_log_ratios(counts)
    assert np.isfinite(out["log_rr"]).all() and (out["se"] > 0).all()
    assert out.loc[0, "log_rr"] == pytest.approx(np.log(0.5 / 10.5))


def test_report_tables_say_a_group_of_one_is_not_pooled() -> None:
    frame = pd.DataFrame(
        {"bloc": ["China", "none", "none"], "log_rr": [-0.56, -0.2, 0.1], "se": [0.16, 0.2, 0.3]}
    )
    text = tables.pooled_table({"bloc": po.pool_random_effects(frame, "bloc")})
    china = text.set_index("Group").loc["China"]
    assert china["Pooled rate ratio"] == "not pooled (k = 1)"
    assert china["95% interval"] == china["p-value"] == "—"
    assert text.set_index("Group").loc["none (unbrokered)", "p-value"] != "—"
