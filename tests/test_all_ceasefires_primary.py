"""The primary (counterfactual) estimate over many ceasefires at once.

The batch must give what the single estimator gives one ceasefire at a time: the flattened
batch against :func:`counterfactual_core` on each segment, and every row of
:func:`with_primary` against :func:`counterfactual_effect` on the ceasefire's own series built
by a plain filter of the events (so a wrong cut, weekday or offset in the one-pass code shows).
Short baselines must give ``too_short``, rows the data cannot speak about keep their status,
and the counts of the result must be those of its table. Seeds vary from run to run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import make_ceasefires

from analysis import all_ceasefires as ac
from analysis import all_ceasefires_primary as acp
from analysis import contract as c
from analysis import counterfactual as cf
from analysis import simulate as sim
from analysis import status as st
from analysis.windows import Windows

ORIGIN = pd.Timestamp("2001-01-01")
DAYS = 1700


def _seed() -> int:
    return int(np.random.SeedSequence().entropy % 2**32)


def test_batch_equals_the_core_estimator_called_one_by_one() -> None:
    rng = np.random.default_rng(_seed())
    lengths = [900, 1400, 150, 0, 700]
    series = [
        sim.simulate_counts(1, max(n, 1), mean=1.5, phi=0.9, seed=rng)[0][:n] for n in lengths
    ]
    series[4][-40:] = 0  # no events during: zero_during
    first_weekday = rng.integers(0, 7, len(lengths))
    origin = np.array([800, 1200, 100, -1, 660])
    during_start = origin + np.array([0, 5, 0, 0, 0])
    during_days = np.array([60, 120, 30, 0, 40])
    flat = np.concatenate(series).astype(float)
    start = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    out = cf.counterfactual_batch(
        flat, start, np.array(lengths), first_weekday, origin, during_start, during_days
    )
    assert list(out.columns) == list(cf.PRIMARY_COLUMNS)
    for i, y in enumerate(series):  # the reference: one core call per segment
        weekday = (first_weekday[i] + np.arange(len(y))) % 7
        one = cf.counterfactual_core(y, weekday, origin[i], during_start[i], during_days[i])
        row = out.iloc[i]
        assert row["primary_status"] == one.status
        for column, value in (
            ("primary_estimate", one.estimate),
            ("primary_ci_low", one.ci_low),
            ("primary_ci_high", one.ci_high),
            ("primary_p_value", one.p_value),
            ("primary_mde", one.mde),
            ("primary_predicted", one.predicted),
        ):
            np.testing.assert_allclose(row[column], value, rtol=1e-12, equal_nan=True)
    assert out["primary_status"].tolist()[2:4] == [st.STATUS_TOO_SHORT, st.STATUS_OUTSIDE]
    assert out["primary_status"].iloc[4] == st.STATUS_ZERO_DURING
    assert out["primary_status"].iloc[0] == st.STATUS_OK


def _simulated(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six dyads over DAYS days plus a decoy; ceasefires on one or two dyads each, one
    declared 120 days into the data (a descriptive estimate, too short a primary baseline),
    one without a dyad and one whose dyad has no event."""
    counts = sim.simulate_counts(7, DAYS, mean=1.2, phi=0.9, seed=rng)
    dyad, day = np.nonzero(counts)
    events = pd.DataFrame(
        {
            c.EV_DATE: ORIGIN + pd.to_timedelta(day, unit="D"),
            c.EV_EVENTS: counts[dyad, day].astype("int64"),
            c.EV_DYAD: pd.array([f"d{k}" for k in dyad], dtype="string"),
            c.EV_TARGET: pd.array(["X"] * len(day), dtype="string"),
        }
    )
    starts = rng.integers(700, DAYS - 100, 8).tolist() + [120, 900, 900]
    dyads = ["d0", "d1", "d2;d3", "d4", "d5", "d0", "d1;d2", "d3", "d4", "", "d99"]
    rows = [
        {
            c.CF_ID: f"cf{i}",
            c.CF_DECLARED_ON: ORIGIN + pd.Timedelta(days=s),
            c.CF_EFFECTIVE_FROM: ORIGIN + pd.Timedelta(days=s + int(rng.integers(0, 4))),
            c.CF_EFFECTIVE_TO: ORIGIN + pd.Timedelta(days=s + int(rng.integers(10, 90))),
            c.CF_KIND: "bilateral",
        }
        for i, s in enumerate(starts)
    ]
    table = make_ceasefires(rows)
    table[c.CF_UCDP_DYAD_IDS] = pd.array(dyads, dtype="string")
    for column in (c.CF_COUNTRY, c.CF_PURPOSES, c.CF_MEDIATORS, c.CF_MEDIATOR_BLOCS):
        table[column] = pd.array(["Atlantis"] * len(rows), dtype="string")
    table[c.CF_CLASS] = pd.array([1] * len(rows), dtype="Int64")
    return events, table


def _plain_series(events: pd.DataFrame, dyads: str) -> pd.Series:
    """The zero-filled daily series of the events on ``dyads`` over the whole span."""
    mine = events[events[c.EV_DYAD].isin(dyads.split(";"))]
    days = pd.date_range(ORIGIN, periods=DAYS, freq="D")
    return mine.groupby(c.EV_DATE)[c.EV_EVENTS].sum().reindex(days, fill_value=0).astype(float)


@pytest.fixture(scope="module")
def primary() -> tuple[ac.AllCeasefires, pd.DataFrame, pd.DataFrame]:
    events, table = _simulated(np.random.default_rng(_seed()))
    last = ORIGIN + pd.Timedelta(days=DAYS - 1)
    effects = ac.all_ceasefire_effects(events, table, first_day=ORIGIN, last_day=last)
    return acp.with_primary(effects, events, table), events, table


def test_each_row_is_the_single_estimate_on_its_own_series(primary) -> None:
    result, events, table = primary
    out = result.table
    for row, dyads in zip(out.itertuples(), table[c.CF_UCDP_DYAD_IDS], strict=True):
        if row.status in ac.NOT_IN_DATA:
            assert row.primary_status == row.status and np.isnan(row.primary_estimate)
            continue
        windows = Windows(
            row.ceasefire_id, row.declared, row.effective, row.pre_start, row.pre_end,
            pd.NaT, pd.NaT, row.during_start, row.during_end, "exclude", "",
        )  # fmt: skip
        one = cf.counterfactual_effect(_plain_series(events, dyads), windows)
        assert row.primary_status == one.status, row.ceasefire_id
        for column, value in (
            ("primary_estimate", one.estimate),
            ("primary_ci_high", one.ci_high),
            ("primary_mde", one.mde),
            ("primary_observed", one.observed),
        ):
            np.testing.assert_allclose(getattr(row, column), value, rtol=1e-10, equal_nan=True)


def test_short_baselines_and_missing_outcomes_get_their_status(primary) -> None:
    out = primary[0].table.set_index(c.CF_ID)
    assert out.loc["cf8", "status"] == st.STATUS_OK  # 90 days before fit in the data
    assert out.loc["cf8", "primary_status"] == st.STATUS_TOO_SHORT  # 120 < 180 days
    assert out.loc["cf9", "primary_status"] == st.STATUS_NO_DYAD
    assert out.loc["cf10", "primary_status"] == st.STATUS_DYAD_NOT_IN_DATA


def test_counts_are_those_of_the_table(primary) -> None:
    result = primary[0]
    out = result.table
    done = out[out["primary_status"].isin([st.STATUS_OK, st.STATUS_ZERO_DURING])]
    assert result.n_primary_estimated == len(done) >= 6
    assert result.n_primary_fell == int((done["primary_ci_high"] < 1).sum())
    assert result.n_primary_rose == int((done["primary_ci_low"] > 1).sum())
    assert result.median_primary_mde == pytest.approx(float(np.median(done["primary_mde"])))
    assert result.to_dict()["n_primary_estimated"] == len(done)


def test_not_computing_leaves_the_descriptive_result(primary) -> None:
    _, events, table = primary
    last = ORIGIN + pd.Timedelta(days=DAYS - 1)
    effects = ac.all_ceasefire_effects(events, table, first_day=ORIGIN, last_day=last)
    same = acp.with_primary(effects, events, table, compute=False)
    assert same is effects and effects.n_primary_estimated == 0
    assert set(effects.table["primary_status"]) == {st.STATUS_NOT_COMPUTED}
    descriptive = [col for col in effects.table if not col.startswith("primary_")]
    pd.testing.assert_frame_equal(
        primary[0].table[descriptive], effects.table[descriptive], check_dtype=False
    )
