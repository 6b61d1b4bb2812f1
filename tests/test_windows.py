"""Ceasefire windows and chains, checked on small hand-built ceasefire tables.

Each table is written out row by row, so the expected window dates, the resolved
``extends`` chains and the caps on open-ended ceasefires can be read off by hand; window
masks are compared with a brute-force loop over days, the inside/outside summary with
sums computed by hand, the capped open-ended period with a known bundled ceasefire, and
windows that do not fit the data must raise an error naming the ceasefire.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import make_ceasefires as _ceasefire_table

from analysis import batch
from analysis import contract as c
from analysis import windows as wn
from analysis.ceasefire_table import load_ceasefires
from analysis.status import MIN_BASELINE_DAYS


def test_window_outside_data_raises_clear_error() -> None:
    index = pd.date_range("2020-01-01", periods=100, freq="D")
    series = pd.Series(np.ones(100), index=index)
    table = _ceasefire_table(
        [{c.CF_ID: "early", c.CF_DECLARED_ON: index[20], c.CF_EFFECTIVE_TO: index[60]}]
    )
    with pytest.raises(wn.WindowOutsideDataError, match="early"):
        wn.ceasefire_windows(table, series, pre_days=90)
    late = _ceasefire_table([{c.CF_ID: "late", c.CF_DECLARED_ON: "2021-06-01"}])
    with pytest.raises(wn.WindowOutsideDataError, match="not covered"):
        wn.ceasefire_windows(late, series, pre_days=30)


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


def test_window_mask_matches_brute_force() -> None:
    days = pd.date_range("2020-01-01", "2020-03-31", freq="D")
    windows = pd.DataFrame(
        {
            "start": pd.to_datetime(["2019-12-20", "2020-01-10", "2020-01-15", "2020-03-30"]),
            "end": pd.to_datetime(["2020-01-02", "2020-01-20", "2020-01-16", "2020-05-01"]),
        }
    )
    expected = np.array(
        [
            any(s <= d <= e for s, e in zip(windows["start"], windows["end"], strict=True))
            for d in days
        ]
    )
    assert (wn.window_mask(days, windows) == expected).all()


def test_open_ended_ceasefires_are_capped_and_flagged() -> None:
    ceasefires = load_ceasefires()
    windows = wn.ceasefire_periods(ceasefires, open_ended_days=30, ids=["aa-mil-2022-11"])
    row = windows.iloc[0]
    assert row["start"] == pd.Timestamp("2022-11-24")
    assert row["end"] == pd.Timestamp("2022-12-24") and bool(row["end_assumed"])


def test_inside_outside_summary_by_hand() -> None:
    daily = pd.Series([0, 2, 4, 0, 1], index=pd.date_range("2024-01-01", periods=5))
    inside = np.array([False, True, True, False, False])
    summary = wn.inside_outside_summary(daily, inside)
    assert summary["events_inside"] == 6 and summary["events_outside"] == 1
    assert summary["mean_daily_events_inside"] == 3.0
    assert summary["mean_daily_events_outside"] == pytest.approx(1 / 3)


# --- Baselines the data cannot fill (issue 10) ----------------------------------------------


def _daily_from(first_day: str, last_day: str = "2025-05-16") -> pd.Series:
    index = pd.date_range(first_day, last_day, freq="D")
    return pd.Series(np.arange(len(index)) % 5, index=index, dtype="int64")


CEASEFIRE_2025 = [
    {c.CF_ID: "quake", c.CF_DECLARED_ON: "2025-04-01", c.CF_EFFECTIVE_TO: "2025-04-30"}
]


def test_baseline_the_data_cannot_fill_is_shortened_and_said_in_words() -> None:
    # 23 January .. 31 March 2025 is 9 + 28 + 31 = 68 days, counted by hand
    series = _daily_from("2025-01-23")
    windows = wn.ceasefire_windows(_ceasefire_table(CEASEFIRE_2025), series, pre_days=90)
    assert windows.pre_start == pd.Timestamp("2025-01-23")
    assert windows.pre_end == pd.Timestamp("2025-03-31")
    assert windows.pre_days_used == 68
    assert "baseline 68 days instead of 90: the data start on 23 January 2025." in windows.note
    # a baseline the data fill is left alone and says nothing
    full = wn.ceasefire_windows(
        _ceasefire_table(CEASEFIRE_2025), _daily_from("2024-10-01"), pre_days=90
    )
    assert full.pre_days_used == 90
    assert full.pre_start == pd.Timestamp("2025-01-01")
    assert "baseline" not in full.note


def test_baseline_below_the_minimum_fails_with_the_days_there_are() -> None:
    series = _daily_from("2025-03-22")  # 10 days before the 1 April declaration
    with pytest.raises(wn.WindowOutsideDataError) as caught:
        wn.ceasefire_windows(_ceasefire_table(CEASEFIRE_2025), series, pre_days=90)
    message = str(caught.value)
    assert "'quake'" in message
    assert "only 10 days of data before the declaration" in message
    assert f"fewer than the {MIN_BASELINE_DAYS} a baseline needs" in message
    assert "the data start on 22 March 2025" in message


def test_minimum_baseline_is_inclusive_and_the_batch_uses_the_same_rule() -> None:
    first = pd.Timestamp("2025-04-01") - pd.Timedelta(days=MIN_BASELINE_DAYS)
    table = wn.window_table(
        _ceasefire_table(CEASEFIRE_2025 * 1),
        pre_days=90,
        data_start=first,
        data_end=pd.Timestamp("2025-05-16"),
    ).iloc[0]
    assert table["window_status"] == "ok"
    assert table["pre_days_used"] == MIN_BASELINE_DAYS
    one_less = wn.window_table(
        _ceasefire_table(CEASEFIRE_2025),
        pre_days=90,
        data_start=first + pd.Timedelta(days=1),
        data_end=pd.Timestamp("2025-05-16"),
    ).iloc[0]
    assert one_less["window_status"] == "outside_data"
    series = _daily_from("2025-01-23")
    batch_row = batch.batch_effects(series, _ceasefire_table(CEASEFIRE_2025), pre_days=90).iloc[0]
    # ratio of window means, by hand from the series' own values
    pre = series.loc["2025-01-23":"2025-03-31"]
    during = series.loc["2025-04-01":"2025-04-30"]
    assert batch_row["pre_days_used"] == 68
    assert batch_row["estimate"] == pytest.approx(during.mean() / pre.mean())
