"""Notebook 04's forest figure shows the primary estimate of each ceasefire beside its
descriptive ratio, and says so where a bar is only an upper bound or the primary is missing.

Checked on a small hand-made table and on the drawn artists (scatter offsets, texts), not on
pixels.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from analysis import contract as c
from analysis import plots_forest, plots_survival
from analysis.pooling import pool_random_effects

NAN = float("nan")


def _batch(primary: bool = True) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            c.CF_ID: ["cf-a", "cf-b", "cf-c", "cf-d"],
            c.CF_KIND: ["bilateral"] * 4,
            c.CF_BROKER_BLOC: ["China", "none", "Japan", "none"],
            "during_start": pd.to_datetime(
                ["2021-01-01", "2021-06-01", "2022-01-01", "2022-06-01"]
            ),
            "estimate": [0.5, 1.4, 0.0, NAN],
            "ci_low": [0.3, 0.9, 0.0, NAN],
            "ci_high": [0.8, 2.2, 0.6, NAN],
            "q_value": [0.04, 0.3, 0.2, NAN],
            "status": ["ok", "ok", "zero_during", "no_pre_events"],
        }
    )
    if primary:
        table["primary_estimate"] = [0.7, 0.0, NAN, NAN]
        table["primary_ci_low"] = [0.55, 0.0, NAN, NAN]
        table["primary_ci_high"] = [0.9, 0.45, NAN, NAN]
        table["primary_mde"] = [0.6, 0.5, NAN, NAN]
        table["primary_status"] = ["ok", "zero_during", "too_short", "no_pre_events"]
    else:
        table["primary_status"] = "not_computed"
    return table


POOLED = {
    c.CF_KIND: pd.DataFrame(
        {c.CF_KIND: ["bilateral"], "k": [2], "pooled_rr": [0.8], "ci_low": [0.4], "ci_high": [1.6]}
    )
}


def _offsets(figure: plt.Figure) -> list[tuple[float, float]]:
    ax = figure.axes[0]
    markers = [coll for coll in ax.collections if isinstance(coll, PathCollection)]
    return [tuple(map(float, xy)) for coll in markers for xy in coll.get_offsets()]


def test_primary_estimates_are_drawn_below_their_descriptive_ratio() -> None:
    batch = _batch()
    rows = plots_forest.forest_rows(batch, POOLED)
    primary = rows[rows["role"] == "primary"].reset_index(drop=True)
    descriptive = rows[rows["role"] == "descriptive"].reset_index(drop=True)
    # one descriptive and one primary row per ceasefire with a descriptive estimate (3 of 4)
    assert len(descriptive) == len(primary) == 3
    assert primary["estimate"].iloc[0] == 0.7 and primary["ci_high"].iloc[1] == 0.45
    assert (primary["y"] > descriptive["y"]).all()
    assert (primary["y"] < descriptive["y"] + 1).all()
    figure = plots_forest.forest_figure(batch, POOLED, "t")
    drawn = _offsets(figure)
    assert (0.7, pytest.approx(primary["y"].iloc[0])) in drawn
    # the zero-during primary sits at the left edge; its bar is the upper bound
    assert (plots_forest.ZERO_AT, pytest.approx(primary["y"].iloc[1])) in drawn
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert any("primary" in t and "upper bound 0.45" in t for t in texts)
    assert any("descriptive" in t and "upper bound 0.6" in t for t in texts)
    assert any("primary" in t and "too short" in t for t in texts)
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert any(t.startswith("primary") for t in legend)
    plt.close(figure)


def test_without_the_primary_only_descriptive_and_pooled_rows_are_drawn() -> None:
    batch = _batch(primary=False)
    rows = plots_forest.forest_rows(batch, POOLED)
    assert set(rows["role"]) == {"descriptive", "pooled"}
    figure = plots_forest.forest_figure(batch, POOLED, "t")
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert not any(t.startswith("primary") for t in legend)
    assert len(_offsets(figure)) == 3 + 1  # three ceasefires, one pooled group
    plt.close(figure)


@pytest.mark.parametrize("seed", [1, 2])
def test_km_curves_start_at_one_on_day_zero_and_follow_the_table(seed: int) -> None:
    rng = np.random.default_rng(seed)
    times = np.sort(rng.choice(np.arange(1, 400), size=5, replace=False)).astype(float)
    survival = np.cumprod(rng.uniform(0.5, 0.95, size=5))
    km = pd.DataFrame(
        {
            "group": "China",
            "time": times,
            "survival": survival,
            "ci_low": survival * 0.8,
            "ci_high": np.minimum(survival * 1.2, 1.0),
            "n_risk": np.arange(5, 0, -1),
        }
    )
    figure = plots_survival.survival_figure(km, "t")
    line = figure.axes[0].lines[0]
    assert list(line.get_xdata()) == [0.0, *times]
    assert list(line.get_ydata()) == [1.0, *survival]
    assert line.get_label() == "China (n=5)"
    assert len(figure.axes[0].collections) == 1  # the band
    plt.close(figure)


def test_a_group_of_one_gets_no_pooled_diamond() -> None:
    batch = _batch(primary=False)
    estimates = batch.iloc[:2].assign(log_rr=np.log(batch["estimate"].iloc[:2]), se=0.3)
    pooled = {c.CF_BROKER_BLOC: pool_random_effects(estimates.iloc[:2], c.CF_BROKER_BLOC)}
    rows = plots_forest.forest_rows(batch, pooled)
    single = rows[rows["role"] == "pooled"]
    assert len(single) == 2  # China and unbrokered, one estimate each
    assert single["estimate"].isna().all()
    assert (single["note"] == plots_forest.SINGLE_NOTE).all()
    figure = plots_forest.forest_figure(batch, pooled, "t")
    drawn_y = {round(y, 6) for _, y in _offsets(figure)}
    assert not drawn_y & {round(y, 6) for y in single["y"]}
    assert sum("not pooled" in t.get_text() for t in figure.axes[0].texts) == 2
    plt.close(figure)


def test_clipped_ends_get_arrowheads_apart_from_the_zero_position() -> None:
    batch = _batch(primary=False)
    batch.loc[0, ["estimate", "ci_low", "ci_high"]] = [0.64, 0.0071, 56.9]
    batch.loc[1, ["estimate", "ci_low", "ci_high"]] = [40.0, 2.0, 5000.0]
    figure = plots_forest.forest_figure(batch, POOLED, "t")
    ax = figure.axes[0]
    rows = plots_forest.forest_rows(batch, POOLED).set_index("label")
    drawn = _offsets(figure)
    y_clipped_low = rows.filter(like="cf-a", axis=0)["y"].iloc[0]
    y_clipped_high = rows.filter(like="cf-b", axis=0)["y"].iloc[0]
    y_zero = rows.filter(like="cf-c", axis=0)["y"].iloc[0]
    # the arrowheads: at CLIP_LOW (not at the zero position) and at the right edge
    assert (plots_forest.CLIP_LOW, pytest.approx(y_clipped_low)) in drawn
    assert (plots_forest.X_MAX, pytest.approx(y_clipped_high)) in drawn
    assert plots_forest.CLIP_LOW / plots_forest.ZERO_AT >= 1.5
    # the zero-during ratio sits at the zero position, without an arrowhead of its own
    assert (plots_forest.ZERO_AT, pytest.approx(y_zero)) in drawn
    assert (plots_forest.CLIP_LOW, pytest.approx(y_zero)) not in drawn
    figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels[0] == "0" and len(labels) <= 7
    low, high = ax.get_xlim()
    assert low < plots_forest.ZERO_AT and high > plots_forest.X_MAX
    plt.close(figure)
