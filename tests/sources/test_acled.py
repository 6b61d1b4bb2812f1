"""ACLED loader: real export layouts load into canonical EVENTS; broken files fail clearly."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from acled_generator import write_acled_export
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import contract as c
from analysis.sources import acled, cache, columns

FIXTURES = Path(__file__).parent.parent / "fixtures" / "acled"


def _load(name: str) -> pd.DataFrame:
    return acled.load_acled(FIXTURES / name, cache_dir=False)


def _by_id(events: pd.DataFrame) -> pd.DataFrame:
    return events.set_index(c.EV_ID)


def test_current_layout_loads_into_the_contract() -> None:
    events = _load("acled_current_layout.csv")
    c.pandera_schema(c.EVENTS).validate(events)
    assert list(events.columns) == c.EVENTS.column_names
    assert len(events) == 8
    row = _by_id(events).loc["acled-MMR90001"]
    assert row[c.EV_DATE] == pd.Timestamp("2025-05-16")
    assert row[c.EV_SOURCE] == "acled"
    assert row[c.EV_CATEGORY] == "air_drone_strike"
    assert row[c.EV_ACTOR] == "Myanmar military"
    assert row[c.EV_ACTOR_RAW] == "Military Forces of Myanmar (2021-)"
    assert row[c.EV_ACTOR_SIDE] == "state"
    assert row[c.EV_TARGET] == "Civilians"
    # civilian_targeting = 'Civilian targeting' -> fatalities counted as civilian
    assert row[c.EV_CIVILIAN_FATALITIES] == 4


def test_mapping_of_precision_admin1_categories_and_sub_units() -> None:
    events = _by_id(_load("acled_current_layout.csv"))
    assert events.loc["acled-MMR90003", c.EV_DATE_PRECISION] == "week"
    assert events.loc["acled-MMR90006", c.EV_DATE_PRECISION] == "month"
    # 'Mandalay Region' and 'Magway  region' (two spaces) normalise to the unit name
    assert events.loc["acled-MMR90003", c.EV_ADMIN1] == "Mandalay"
    assert events.loc["acled-MMR90005", c.EV_ADMIN1] == "Magway"
    assert events.loc["acled-MMR90008", c.EV_CATEGORY] == "shelling"
    # a battle between a resistance force and a militia is non-state conflict
    assert events.loc["acled-MMR90005", c.EV_CATEGORY] == "non_state_conflict"
    assert events.loc["acled-MMR90004", c.EV_CATEGORY] == "armed_clash"
    # sub-units: Border Guard Force is the military, People's Militia Force is a militia
    assert events.loc["acled-MMR90002", c.EV_ACTOR] == "Myanmar military"
    assert events.loc["acled-MMR90005", c.EV_TARGET_SIDE] == "militia"
    assert events.loc["acled-MMR90008", c.EV_ACTOR] == "Myanmar police"
    assert events.loc["acled-MMR90008", c.EV_ACTOR_SIDE] == "state"
    # no civilian_targeting flag -> civilian fatalities unknown
    assert pd.isna(events.loc["acled-MMR90004", c.EV_CIVILIAN_FATALITIES])


def test_all_three_date_formats_and_numeric_inter_codes() -> None:
    events = _by_id(_load("acled_mixed_dates.csv"))
    assert events[c.EV_DATE].to_dict() == {
        "acled-MMR91001": pd.Timestamp("2025-05-16"),  # '16 May 2025'
        "acled-MMR91002": pd.Timestamp("2025-02-07"),  # '7-Feb-25'
        "acled-MMR91003": pd.Timestamp("2025-02-07"),  # '2025-02-07'
        "acled-MMR91004": pd.Timestamp("2024-01-01"),  # '1 January 2024'
    }
    assert events.loc["acled-MMR91001", c.EV_TARGET_SIDE] == "civilians"  # inter2 = 7


def test_api_json_with_string_values_matches_the_csv_export() -> None:
    from_csv = _load("acled_current_layout.csv").drop(columns=c.EV_ID)
    from_json = _load("acled_api_pull.json")
    assert from_json[c.EV_ID].str.startswith("acled-MMR92").all()
    pd.testing.assert_frame_equal(from_json.drop(columns=c.EV_ID), from_csv)


def test_older_layout_loads() -> None:
    events = _by_id(_load("acled_older_layout.csv"))
    assert events.loc["acled-MMR80001", c.EV_DATE] == pd.Timestamp("2019-03-14")
    assert events.loc["acled-MMR80001", c.EV_ACTOR] == "Myanmar military"
    assert events.loc["acled-MMR80001", c.EV_TARGET] == "AA"
    assert events.loc["acled-MMR80002", c.EV_DATE_PRECISION] == "week"
    assert pd.isna(events.loc["acled-MMR80002", c.EV_TARGET])
    assert pd.isna(events.loc["acled-MMR80002", c.EV_TARGET_SIDE])


def test_bad_number_names_row(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    text = (FIXTURES / "acled_current_layout.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[5] = lines[5].replace(",1,,1747700400", ",one,,1747700400")  # fatalities of line 6
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(c.DataContractError) as info:
        acled.load_acled(path, cache_dir=False)
    assert (info.value.column, info.value.rows) == ("fatalities", [6])


def test_duplicate_ids_keep_latest_revision_and_are_reported() -> None:
    events = _by_id(_load("acled_duplicate_ids.csv"))
    assert len(events) == 3
    assert events.loc["acled-MMR90001", c.EV_FATALITIES] == 6  # revised row, later timestamp
    dropped = _load("acled_duplicate_ids.csv").attrs["dropped"]
    assert dropped[0]["rows"] == 1 and dropped[0]["file_rows"] == [2]


def test_unmapped_actors_are_kept_and_reported() -> None:
    events = _load("acled_current_layout.csv")
    unmapped = {r["raw_name"]: r for r in events.attrs["unmapped"]}
    assert set(unmapped) == {"Unidentified Armed Group (Myanmar)", "Protesters (Myanmar)"}
    row = _by_id(events).loc["acled-MMR90006"]
    assert row[c.EV_ACTOR] == "Unidentified Armed Group (Myanmar)"
    assert row[c.EV_ACTOR_SIDE] == "militia"  # fallback from inter1 'Political militia'


def test_cache_reuses_parsed_table_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "export.csv"
    shutil.copy(FIXTURES / "acled_current_layout.csv", source)
    cache_dir = tmp_path / "cache"
    first = acled.load_acled(source, cache_dir=cache_dir)
    cache.wait_for_pending_writes()
    assert len(list(cache_dir.glob("*.parquet"))) == 1

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again although the file is unchanged")

    monkeypatch.setattr(acled, "_parse", no_parsing)
    again = acled.load_acled(source, cache_dir=cache_dir)
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs["unmapped"] == first.attrs["unmapped"]
    monkeypatch.undo()

    source.write_text(source.read_text(encoding="utf-8").replace(",7,,", ",8,,"), "utf-8")
    changed = acled.load_acled(source, cache_dir=cache_dir)
    cache.wait_for_pending_writes()
    assert len(list(cache_dir.glob("*.parquet"))) == 2
    assert changed[c.EV_FATALITIES].sum() == first[c.EV_FATALITIES].sum() + 1
    assert cache.clear_cache(cache_dir) == 4


@settings(max_examples=60, deadline=None)
@given(
    days=st.lists(
        st.dates(min_value=date(1997, 1, 1), max_value=date(2030, 12, 31)), min_size=1, max_size=8
    ),
    formats=st.lists(st.sampled_from(columns.DATE_FORMATS), min_size=8, max_size=8),
)
def test_any_mix_of_date_formats_round_trips(days: list[date], formats: list[str]) -> None:
    text = pd.Series([d.strftime(f) for d, f in zip(days, formats, strict=False)], dtype="string")
    parsed = columns.parse_dates(text, Path("x.csv"), 2)
    assert list(pd.DatetimeIndex(parsed).date) == days


def test_error_message_format_is_file_column_rows() -> None:
    with pytest.raises(c.DataContractError, match=re.escape("column 'event_date' at row(s) 4")):
        acled.load_acled(FIXTURES / "acled_bad_date.csv", cache_dir=False)


def test_a_pull_with_hundreds_of_actor_names_loads(tmp_path: Path) -> None:
    # The shape of the Myanmar API pull that crashed the loader: 4,560 events, 297 distinct
    # actor1 names, hundreds of assoc names, notes with line breaks.
    export = write_acled_export(tmp_path / "pull.csv", rows=4_560, n_actor_names=297, seed=3)
    raw = pd.read_csv(export.path, dtype=str, keep_default_na=False)
    assert raw["actor1"].nunique() == 297
    assert raw["assoc_actor_1"].str.split("; ").explode().nunique() > 250
    assert raw["notes"].str.contains("\n").any()
    events = acled.load_acled(export.path, cache_dir=False)
    assert len(events) == raw["event_id_cnty"].nunique()
    assert set(events[c.EV_ACTOR_RAW]) <= set(raw["actor1"])
