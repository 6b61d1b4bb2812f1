"""Random-effects pooling, checked against statsmodels and a degenerate case by hand.

DerSimonian-Laird pooled log ratios, standard errors and tau^2 must equal those of
``statsmodels.stats.meta_analysis.combine_effects`` on random estimates; a group with a
single estimate must come back unchanged, with tau^2 = 0 and the normal interval computed
by hand (including a case where rounding once gave tau^2 = inf).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from analysis import pooling as po


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
