"""Defaults that follow the data (issue 10): empty dates mean the file's own first and last
event, the counted targets default to the ceasefire's own counterparts, notebook 03's study
window defaults to the diplomatic calendar, and the event study keeps the weeks there are.

Expected values come from the generated file read with plain pandas, or from the bundled
tables read with the csv module, never from the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factories import ACLED_2025_FIRST, ACLED_2025_LAST, write_acled_2025

from analysis import contract as c
from analysis import events as ev
from analysis import paths, time_series, timing
from analysis.ceasefire_table import counterpart_targets, load_ceasefires, windows_fit_data
from analysis.sources import curated


@pytest.fixture(scope="module")
def pull(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("acled") / "acled_2025.csv"
    return path, write_acled_2025(path)


def test_empty_dates_are_the_files_first_and_last_event(pull) -> None:
    path, rows = pull
    series = ev.load_daily_series(
        "acled", str(path), None, "junta_air", start="", end="", actor_side="state"
    )
    assert series.first_day == pd.Timestamp(ACLED_2025_FIRST)
    assert series.last_day == pd.Timestamp(ACLED_2025_LAST)
    assert series.window_share_covered == 1.0
    strikes = rows[rows["sub_event_type"] == "Air/drone strike"]
    per_day = strikes.groupby("event_date").size()
    assert len(series.daily) == len(pd.date_range(ACLED_2025_FIRST, ACLED_2025_LAST))
    assert int(series.daily.sum()) == len(strikes)
    assert (
        series.daily.to_numpy().tolist()
        == per_day.reindex([f"{d:%Y-%m-%d}" for d in series.daily.index], fill_value=0).tolist()
    )


def test_given_dates_still_win_and_one_empty_end_follows_the_data(pull) -> None:
    path, rows = pull
    series = ev.load_daily_series("acled", str(path), start="2025-03-01", end="")
    assert series.first_day == pd.Timestamp("2025-03-01")
    assert series.last_day == pd.Timestamp(ACLED_2025_LAST)
    kept = rows[rows["event_date"] >= "2025-03-01"]
    assert int(series.daily.sum()) == len(kept)


def test_clipping_to_the_data_on_request(pull) -> None:
    path, _ = pull
    series = ev.load_daily_series(
        "acled",
        str(path),
        start="2021-01-21",
        end="2025-11-28",
        start_at_data=True,
        end_at_data=True,
    )
    assert (series.first_day, series.last_day) == (
        pd.Timestamp(ACLED_2025_FIRST),
        pd.Timestamp(ACLED_2025_LAST),
    )


def _bundled_counterparts() -> dict[str, str]:
    with paths.curated_path("ceasefires.csv").open(newline="", encoding="utf-8") as handle:
        return {row["ceasefire_id"]: row["counterpart_ids"] for row in csv.DictReader(handle)}


def test_counted_targets_default_to_the_ceasefires_counterparts() -> None:
    table = load_ceasefires()
    recorded = _bundled_counterparts()
    assert recorded["aa-mil-2022-11"] == "AA"  # the default reports' truce: numbers unchanged
    aa = counterpart_targets(table, "aa-mil-2022-11")
    assert aa.targets == ("AA",) and aa.rule == "counterparts"
    alliance = counterpart_targets(table, "tba-eq-2025-04")
    assert alliance.targets == tuple(recorded["tba-eq-2025-04"].split(";"))
    national = counterpart_targets(table, "mil-eq-2025-04")
    assert recorded["mil-eq-2025-04"] == "all"
    assert national.targets == () and "national" in national.description
    assert counterpart_targets(table, "mil-eq-2025-04", ["KIA"]).targets == ("KIA",)
    unnamed = counterpart_targets(table, "mil-north-2019-07")
    assert recorded["mil-north-2019-07"] == "" and unnamed.targets == ()
    with pytest.raises(ValueError, match="national declaration.*name the treated groups"):
        counterpart_targets(table, "mil-eq-2025-04", require_named=True)


def test_every_counterpart_id_is_a_registry_actor_or_all() -> None:
    with paths.curated_path("actors.csv").open(newline="", encoding="utf-8") as handle:
        known = {row["actor_id"] for row in csv.DictReader(handle)}
    for ceasefire, value in _bundled_counterparts().items():
        if value in ("", "all"):
            continue
        assert set(value.split(";")) <= known, ceasefire


def test_study_window_defaults_to_the_diplomatic_calendar() -> None:
    with paths.curated_path("diplomatic_events.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = min(r["date_start"] for r in rows)
    last = max(r["date_end"] or r["date_start"] for r in rows)
    calendar = curated.load_diplomatic_events()
    window = timing.study_window(calendar)
    assert (window.start, window.end) == (pd.Timestamp(first), pd.Timestamp(last))
    assert window.note == "start and end from the diplomatic calendar"
    given = timing.study_window(calendar, "2021-01-01", "2025-11-30")
    assert (given.start, given.end, given.note) == (
        pd.Timestamp("2021-01-01"),
        pd.Timestamp("2025-11-30"),
        "",
    )


def test_event_study_keeps_the_weeks_the_data_cover() -> None:
    index = pd.date_range("2025-01-23", "2025-05-16", freq="D")
    rng = np.random.default_rng(3)
    series = pd.Series(rng.poisson(4, len(index)), index=index)
    anchor = pd.Timestamp("2025-04-02")
    with pytest.raises(ValueError, match="outside the data"):
        time_series.event_study(series, anchor, weeks_before=12, weeks_after=16)
    study = time_series.event_study(
        series, anchor, weeks_before=12, weeks_after=16, within_data=True
    )
    # whole weeks by hand: 69 days before the anchor hold 9 weeks, 45 days from it hold 6
    assert study["week"].min() == -9 and study["week"].max() == 5
    week_zero = series.loc[anchor : anchor + pd.Timedelta(days=6)].sum()
    assert study.set_index("week").loc[0, "events"] == week_zero


def test_windows_fit_data_says_why_a_ceasefire_is_left_out() -> None:
    fit = windows_fit_data(
        load_ceasefires(),
        ["aa-mil-2022-11", "tba-eq-2025-04", "mil-eq-2025-06"],
        data_start=pd.Timestamp(ACLED_2025_FIRST),
        data_end=pd.Timestamp(ACLED_2025_LAST),
    ).set_index(c.CF_ID)
    assert fit["fits"].to_dict() == {
        "aa-mil-2022-11": False,
        "tba-eq-2025-04": True,
        "mil-eq-2025-06": False,
    }
    assert "before the data start" in fit.loc["aa-mil-2022-11", "reason"]
    assert fit.loc["mil-eq-2025-06", "reason"].startswith("takes effect 2025-06-01, after")
    assert fit.loc["tba-eq-2025-04", "reason"] == ""
