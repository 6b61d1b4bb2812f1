"""Loaders: the bundled files load with contract dtypes and canonical mappings.

Files that break the contract are covered case by case in tests/test_bad_inputs.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import contract as c
from analysis import load


def test_bundled_tables_load_with_contract_dtypes() -> None:
    for loader, spec in (
        (load.load_ceasefires, c.CEASEFIRES),
        (load.load_diplomatic_events, c.DIPLOMATIC_EVENTS),
        (load.load_reported_counts, c.REPORTED_COUNTS),
        (load.load_ucdp_daily, c.UCDP_DAILY),
    ):
        table = loader()
        assert list(table.columns) == spec.column_names
        for column in spec.columns:
            assert str(table[column.name].dtype) == str(
                pd.Series(dtype=c.PANDAS_DTYPES[column.dtype]).dtype
            )
        assert len(table) > 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Magway  region", "Magway"),
        ("Magwe division", "Magway"),
        ("Bago division", "Bago"),
        ("Bago region", "Bago"),
        ("Karen state", "Kayin"),
        ("Kayin state", "Kayin"),
        ("Naypyidaw Union territory", "Naypyidaw"),
        ("Sagaing district", "Sagaing"),
        (None, "Unknown"),
        ("", "Unknown"),
        ("Western Cape province", "Western Cape province"),
    ],
)
def test_admin1_normalisation(raw: str | None, expected: str) -> None:
    assert load.normalise_admin1(pd.Series([raw], dtype="string")).iloc[0] == expected


def test_bundled_ucdp_admin_names_collapse_to_known_units() -> None:
    events = load.ucdp_daily_to_events(load.load_ucdp_daily())
    names = set(events[c.EV_ADMIN1])
    assert names <= set(c.ADMIN1_CANONICAL) | {c.ADMIN1_UNKNOWN}
    assert len(names - {c.ADMIN1_UNKNOWN}) == 15


def test_canonical_events_preserve_totals_from_the_csv() -> None:
    raw = pd.read_csv(load.paths.ucdp_daily_path())
    events = load.load_events("ucdp_daily")
    load.validate_frame(events, c.EVENTS, "events")
    assert int(events[c.EV_EVENTS].sum()) == int(raw["events"].sum())
    assert int(events[c.EV_FATALITIES].sum()) == int(raw["deaths_best"].sum())
    government = raw["side_a"] == "Government of Myanmar (Burma)"
    assert int(events.loc[events[c.EV_ACTOR_SIDE] == "state", c.EV_EVENTS].sum()) == int(
        raw.loc[government, "events"].sum()
    )


def test_coverage_share_of_a_partly_covered_window() -> None:
    # The bundled UCDP aggregate ends on 2023-12-31: 184 of the window's 365 days are covered.
    events = load.load_events("ucdp_daily")
    partial = load.coverage(events, "2023-07-01", "2024-06-29")
    assert partial["window_share_covered"] == pytest.approx(184 / 365)
