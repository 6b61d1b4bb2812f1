"""Panel building, filters and daily series, checked against brute-force computations."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import make_events

from analysis import contract as c
from analysis import events as ev
from analysis import panel, paths


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return ev.load_events("ucdp_daily")


def _toy_events(dates: list[str], counts: list[int], groups: list[str]) -> pd.DataFrame:
    return make_events(dates, counts, groups, fatalities=[2 * k for k in counts])


def test_weekly_panel_starts_on_monday_and_zero_fills() -> None:
    toy = _toy_events(["2024-01-03", "2024-01-03", "2024-01-20"], [1, 2, 4], ["X", "Y", "X"])
    weekly = panel.build_panel(toy, "W", group_by=c.EV_ADMIN1, start="2024-01-01", end="2024-01-31")
    assert set(weekly[c.PN_PERIOD].dt.day_of_week) == {0}
    assert len(weekly) == 5 * 2  # five Monday-start weeks touch January 2024, two groups
    cell = weekly.set_index([c.PN_PERIOD, c.PN_GROUP])[c.PN_EVENTS]
    assert cell[(pd.Timestamp("2024-01-01"), "X")] == 1
    assert cell[(pd.Timestamp("2024-01-01"), "Y")] == 2
    assert cell[(pd.Timestamp("2024-01-15"), "X")] == 4
    assert cell[(pd.Timestamp("2024-01-08"), "Y")] == 0


def test_monthly_panel_preserves_totals(events: pd.DataFrame) -> None:
    monthly = panel.build_panel(
        events, "M", group_by=c.EV_ADMIN1, start="2019-01-01", end="2023-12-31"
    )
    in_window = events[(events[c.EV_DATE] >= "2019-01-01") & (events[c.EV_DATE] <= "2023-12-31")]
    assert monthly[c.PN_EVENTS].sum() == in_window[c.EV_EVENTS].sum()
    assert monthly[c.PN_FATALITIES].sum() == in_window[c.EV_FATALITIES].sum()
    assert len(monthly) == 60 * monthly[c.PN_GROUP].nunique()
    assert monthly[c.PN_PERIOD].dt.day.eq(1).all()


def test_daily_series_is_complete(events: pd.DataFrame) -> None:
    daily = panel.daily_series(events, "2022-01-01", "2022-12-31")
    assert len(daily) == 365 and daily.index.is_monotonic_increasing
    raw = pd.read_csv(paths.ucdp_daily_path(), parse_dates=["date"])
    expected = raw[raw["date"].dt.year == 2022].groupby("date")["events"].sum()
    assert daily[expected.index].tolist() == expected.tolist()
    assert daily.drop(expected.index).eq(0).all()


def test_filter_events_by_region_and_side(events: pd.DataFrame) -> None:
    chosen = panel.filter_events(
        events, "2021-01-01", "2021-12-31", admin1=["Sagaing"], actor_side="state"
    )
    raw = pd.read_csv(paths.ucdp_daily_path(), parse_dates=["date"])
    mask = (
        raw["adm_1"].fillna("").str.lower().str.startswith("sagaing")
        & (raw["side_a"] == "Government of Myanmar (Burma)")
        & (raw["date"].dt.year == 2021)
    )
    assert chosen[c.EV_EVENTS].sum() == raw.loc[mask, "events"].sum() > 0


def test_daily_series_with_gaps_is_rejected() -> None:
    index = pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-04"])
    with pytest.raises(ValueError, match="no gaps"):
        panel.check_daily_series(pd.Series([1, 2, 3], index=index))
