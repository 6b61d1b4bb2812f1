"""Canonical events: the bundled source loads with its totals intact, and coverage is honest.

Files that break the contract are covered case by case in the bad-input catalogue
(tests/bad_inputs.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import contract as c
from analysis import events as ev
from analysis import paths
from analysis.sources import validate


def test_canonical_events_preserve_totals_from_the_csv() -> None:
    raw = pd.read_csv(paths.ucdp_daily_path())
    events = ev.load_events("ucdp_daily")
    validate.validate_frame(events, c.EVENTS, "events")
    assert int(events[c.EV_EVENTS].sum()) == int(raw["events"].sum())
    assert int(events[c.EV_FATALITIES].sum()) == int(raw["deaths_best"].sum())
    government = raw["side_a"] == "Government of Myanmar (Burma)"
    assert int(events.loc[events[c.EV_ACTOR_SIDE] == "state", c.EV_EVENTS].sum()) == int(
        raw.loc[government, "events"].sum()
    )


def test_coverage_share_of_a_partly_covered_window() -> None:
    # The bundled UCDP aggregate ends on 2023-12-31: 184 of the window's 365 days are covered.
    events = ev.load_events("ucdp_daily")
    partial = ev.coverage(events, "2023-07-01", "2024-06-29")
    assert partial["window_share_covered"] == pytest.approx(184 / 365)


def test_data_dir_and_events_path_resolve_from_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A notebook's kernel runs in notebooks/ (or wherever papermill puts it); a relative
    # data_dir or events_path must still mean the same folder: the one under the project root.
    copy = tmp_path / "mydata"
    shutil.copytree(paths.data_dir() / "curated", copy / "curated")
    shutil.copytree(paths.data_dir() / "ucdp", copy / "ucdp")
    relative = os.path.relpath(copy, paths.PROJECT_ROOT)
    monkeypatch.chdir(tmp_path)
    assert paths.data_dir(relative) == copy.resolve()
    assert paths.resolve_user_path(f"{relative}/ucdp") == (copy / "ucdp").resolve()
    monkeypatch.chdir(paths.PROJECT_ROOT / "notebooks")
    loaded = ev.load_events("ucdp_daily", "", relative)
    bundled = ev.load_events("ucdp_daily", "", "")
    assert len(loaded) == len(bundled) > 0
    (copy / "ucdp" / "ucdp_ged_myanmar_daily.csv").unlink()
    with pytest.raises(c.DataContractError, match="mydata"):
        ev.load_events("ucdp_daily", "", relative)


def test_events_dated_only_to_a_period_are_counted_and_named() -> None:
    selected = pd.DataFrame(
        {
            c.EV_EVENTS: [3.0, 1.0, 2.0, 4.0],
            c.EV_DATE_PRECISION: ["day", "week", "month", "day"],
        }
    )
    assert ev.coarsely_dated(selected).startswith("3 of 10 events (30.0%)")
    assert ev.coarsely_dated(selected.iloc[[0, 3]]) == "none"
