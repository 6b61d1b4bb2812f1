"""Timing of ceasefires against the diplomatic calendar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import contract as c
from analysis import simulate as sim
from analysis import status as st
from analysis import timing as tm
from analysis.ceasefire_table import load_ceasefires


def _calendar(starts: list[str], ends: list[str | None], bloc: str = "China") -> pd.DataFrame:
    return pd.DataFrame(
        {
            c.DE_ID: pd.array([f"e{i}" for i in range(len(starts))], dtype="string"),
            c.DE_DATE_START: pd.to_datetime(starts),
            c.DE_DATE_END: pd.to_datetime(pd.Series(ends, dtype="object")),
            c.DE_BLOC: pd.array([bloc] * len(starts), dtype="string"),
            c.DE_KIND: pd.array(["summit"] * len(starts), dtype="string"),
        }
    )


def test_signed_distances_by_hand() -> None:
    cal = _calendar(["2022-01-10", "2022-02-01"], ["2022-01-12", None])
    dates = pd.Series(pd.to_datetime(["2022-01-05", "2022-01-11", "2022-01-20", "2022-01-28"]))
    out = tm.nearest_event_distances(dates, cal).set_index("key")
    # 5 days before the first event; inside it; 8 days after its end; 4 days before the next
    assert out["signed_days"].tolist() == [-5, 0, 8, -4]


def test_permutation_p_values_uniform_for_random_dates() -> None:
    rng = np.random.default_rng(0)
    days = pd.date_range("2021-01-01", "2023-12-31", freq="D")
    cal = _calendar(
        [str(d.date()) for d in days[rng.choice(len(days), 25, replace=False)]], [None] * 25
    )
    p_values = []
    for rep in range(200):
        dates = pd.Series(days[rng.integers(0, len(days), 12)])
        res = tm.timing_permutation_test(
            dates, cal, study_start=days[0], study_end=days[-1], n_permutations=199, seed=rep
        )
        p_values.append(res["p_value"].item())
    assert stats.kstest(p_values, "uniform").pvalue > 0.01


def test_dates_next_to_events_are_detected() -> None:
    rng = np.random.default_rng(1)
    days = pd.date_range("2021-01-01", "2023-12-31", freq="D")
    event_days = days[30:-30][np.sort(rng.choice(len(days) - 60, 15, replace=False))]
    cal = _calendar([str(d.date()) for d in event_days], [None] * 15)
    dates = pd.Series(event_days[:10] + pd.to_timedelta(rng.integers(-3, 4, 10), unit="D"))
    res = tm.timing_permutation_test(
        dates, cal, study_start=days[0], study_end=days[-1], n_permutations=999
    )
    assert res["p_value"].item() < 0.01
    assert res["observed_mean_days"].item() <= 3


def _chained_declarations(rng: np.random.Generator, days: pd.DatetimeIndex):
    """39 declarations in 13 chains (three each, 20-45 days apart), roots uniform in ``days``,
    drawn without looking at any calendar; the table links each to the one it extends."""
    ids, dates, extends = [], [], []
    for chain in range(13):
        gaps = rng.integers(20, 46, 2)
        root = int(rng.integers(0, len(days) - int(gaps.sum())))
        for member, offset in enumerate(np.concatenate([[0], np.cumsum(gaps)])):
            ids.append(f"c{chain}-{member}")
            dates.append(days[root + int(offset)])
            extends.append(pd.NA if member == 0 else f"c{chain}-{member - 1}")
    table = pd.DataFrame(
        {c.CF_ID: ids, c.CF_EXTENDS: pd.array(extends, dtype="string")}, dtype="object"
    )
    return pd.Series(dates, index=ids), table


@pytest.mark.parametrize("null", ["chain_shift", "chain_jitter"])
def test_chain_null_moves_each_chain_as_one_block(null: str) -> None:
    rng = np.random.default_rng(3)
    days = np.array([100, 130, 160, 500, 530, 900])
    chains = np.array([0, 0, 0, 1, 1, 2])
    lo, hi = 50, 1000
    shifted = tm.chain_shifted_days(days, chains, lo, hi, 500, rng, null=null, jitter_days=90)
    offsets = (shifted - days) % (hi - lo + 1)
    for chain in range(3):
        members = offsets[:, chains == chain]
        assert (members == members[:, :1]).all()  # one offset per chain and null set
    assert not (offsets[:, 0] == offsets[:, 3]).all()  # chains move independently
    assert ((shifted >= lo) & (shifted <= hi)).all() or null == "chain_jitter"
    if null == "chain_jitter":
        assert np.abs(shifted - days).max() <= 90


def test_size_with_chained_declarations_is_nominal_per_bloc_and_for_any_bloc() -> None:
    """Chains of extensions and a calendar drawn independently: per-bloc p-values and the
    any-bloc p-value reject at about 5% (main's iid null rejected 13-46%)."""
    rng = np.random.default_rng(2026)
    days = pd.date_range("2018-01-01", "2025-12-31", freq="D")
    runs, rejections, any_bloc, holm_ok = 120, [], [], []
    for run in range(runs):
        dates, table = _chained_declarations(rng, days)
        calendar = pd.concat(
            [
                _calendar(
                    [str(d.date()) for d in days[rng.integers(0, len(days), n)]], [None] * n, b
                )
                for b, n in (("China", 30), ("ASEAN", 6))
            ],
            ignore_index=True,
        )
        res = tm.timing_permutation_test(
            dates,
            calendar,
            study_start=days[0],
            study_end=days[-1],
            ceasefires=table,
            n_permutations=199,
            seed=run,
        )
        assert (res["n_chains"] == 13).all()
        rejections.append((res["p_value"] <= 0.05).to_numpy())
        any_bloc.append(res["p_any_bloc"].iloc[0] <= 0.05)
        # Holm never lowers a p-value and keeps the blocs' order
        order = np.argsort(res["p_value"].to_numpy(), kind="stable")
        holm_ok.append(
            (res["p_holm"] >= res["p_value"]).all()
            and np.all(np.diff(res["p_holm"].to_numpy()[order]) >= 0)
        )
    se = np.sqrt(0.05 * 0.95 / runs)
    assert np.all(np.abs(np.mean(rejections, axis=0) - 0.05) < 3.5 * se)
    assert abs(np.mean(any_bloc) - 0.05) < 3.5 * se
    assert all(holm_ok)


def test_event_study_around_diplomatic_events_finds_a_rise() -> None:
    index = pd.date_range("2018-01-01", periods=1500, freq="D")
    y = sim.simulate_counts(1, 1500, seed=3)[0]
    anchors = np.arange(100, 1400, 60)
    rng = np.random.default_rng(3)
    for a in anchors:  # strikes double in the two weeks after each visit
        y[a : a + 14] += rng.poisson(2.0, 14)
    cal = _calendar([str(index[a].date()) for a in anchors], [None] * len(anchors), bloc="Russia")
    study = tm.diplomatic_event_study(
        pd.Series(y, index=index), cal, window_days=14, n_placebos=499
    )
    row = study.per_bloc.set_index(c.DE_BLOC).loc["Russia"]
    assert row["ci_low"] > 1.3 and row["permutation_p"] < 0.01
    assert set(study.profile["relative_day"]) == set(range(-14, 14))
    assert (study.per_event["status"] == st.STATUS_OK).all()


def _ceasefires() -> pd.DataFrame:

    return load_ceasefires()


def test_declaration_dates_select_side_precision_and_chains() -> None:
    ceasefires = _ceasefires()
    dates = tm.declaration_dates(ceasefires, declarer_side="state")
    # mil-covid-2020-10 has no declared_on: its stated effective day stands in
    assert dates["mil-covid-2020-10"] == pd.Timestamp("2020-10-01")
    assert "aa-mil-2022-11" not in dates  # declared by both sides, known to the month
    all_sides = tm.declaration_dates(ceasefires)
    assert "aa-mil-2022-11" not in all_sides  # month precision dropped
    assert "aa-mil-2022-11" in tm.declaration_dates(ceasefires, day_precision_only=False)
    chains = tm.declaration_dates(ceasefires, declarer_side="state", chain=True)
    # the 2025 earthquake chain has four announcements, kept once at its first declaration
    assert "mil-eq-2025-04" in chains and "mil-eq-2025-05" not in chains
    assert len(chains) < len(dates)
    with pytest.raises(ValueError, match="declarer_side"):
        tm.declaration_dates(ceasefires, declarer_side="junta")


def test_select_calendar_drops_aggregates_and_within_coverage() -> None:
    cal = _calendar(["2021-02-01", "2022-03-01", "2023-12-22"], ["2022-12-31", None, None])
    selection = tm.select_calendar(cal, blocs=["China"], max_event_days=31)
    kept, dropped = selection.kept, selection.dropped
    assert kept[c.DE_ID].tolist() == ["e1", "e2"]
    assert dropped.set_index(c.DE_ID).loc["e0", "reason"] == tm.LONG_EVENT_REASON
    assert dropped.set_index(c.DE_ID).loc["e0", "days"] == 699  # 2021-02-01..2022-12-31
    coverage = tm.within_coverage(kept, "2021-01-01", "2023-12-31", 14)
    inside, outside = coverage.kept, coverage.dropped
    # 22 Dec + 13 days = 4 Jan 2024, past the end of the data
    assert inside[c.DE_ID].tolist() == ["e1"] and outside[c.DE_ID].tolist() == ["e2"]
    inside = tm.within_coverage(kept, "2021-01-01", "2023-12-31", 9).kept
    assert inside[c.DE_ID].tolist() == ["e1", "e2"]  # 22 Dec + 8 days = 30 Dec
    with pytest.raises(ValueError, match="unknown bloc"):
        tm.select_calendar(cal, blocs=["Chinese"])
