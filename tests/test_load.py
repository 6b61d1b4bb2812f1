"""Loaders: the bundled files load, and files that break the contract fail with file/column/row."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import contract as c
from analysis import load


def _rewrite(path: Path, transform) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(transform(lines)), encoding="utf-8")


def _edit_cell(path: Path, line_number: int, column: str, value: str) -> None:
    """Set one cell of a CSV (line_number is 1-based, header = 1) via pandas, keeping layout."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[line_number - 2, column] = value
    frame.to_csv(path, index=False)


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


def test_bad_date_names_file_column_and_line(data_copy: Path) -> None:
    path = data_copy / "curated" / "ceasefires.csv"
    _edit_cell(path, 5, c.CF_EFFECTIVE_FROM, "31/04/2019")
    with pytest.raises(c.DataContractError) as caught:
        load.load_ceasefires(path)
    message = str(caught.value)
    assert str(path) in message and "'effective_from'" in message and "row(s) 5" in message
    assert caught.value.rows == [5]


def test_missing_column_is_named(data_copy: Path) -> None:
    path = data_copy / "curated" / "diplomatic_events.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=[c.DE_BLOC])
    frame.to_csv(path, index=False)
    with pytest.raises(c.DataContractError, match=r"column 'bloc'.*missing"):
        load.load_diplomatic_events(path)


def test_renamed_column_is_reported(data_copy: Path) -> None:
    path = data_copy / "curated" / "diplomatic_events.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).rename(columns={"kind": "type"})
    frame.to_csv(path, index=False)
    with pytest.raises(c.DataContractError, match="missing column"):
        load.load_diplomatic_events(path)


def test_extra_column_is_rejected(data_copy: Path) -> None:
    path = data_copy / "curated" / "reported_strike_counts.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).assign(extra="x")
    frame.to_csv(path, index=False)
    with pytest.raises(c.DataContractError, match="unexpected column"):
        load.load_reported_counts(path)


def test_value_outside_vocabulary_names_rows(data_copy: Path) -> None:
    path = data_copy / "curated" / "ceasefires.csv"
    _edit_cell(path, 3, c.CF_KIND, "trilateral")
    _edit_cell(path, 7, c.CF_KIND, "trilateral")
    with pytest.raises(c.DataContractError) as caught:
        load.load_ceasefires(path)
    assert caught.value.column == c.CF_KIND
    assert caught.value.rows == [3, 7]
    assert "trilateral" in str(caught.value)


def test_duplicate_id_is_rejected(data_copy: Path) -> None:
    path = data_copy / "curated" / "ceasefires.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, c.CF_ID] = frame.loc[2, c.CF_ID]
    frame.to_csv(path, index=False)
    with pytest.raises(c.DataContractError, match="unique") as caught:
        load.load_ceasefires(path)
    assert caught.value.column == c.CF_ID


def test_extends_unknown_ceasefire(data_copy: Path) -> None:
    path = data_copy / "curated" / "ceasefires.csv"
    _edit_cell(path, 3, c.CF_EXTENDS, "no-such-truce")
    with pytest.raises(c.DataContractError, match="no-such-truce") as caught:
        load.load_ceasefires(path)
    assert caught.value.rows == [3]


def test_window_ending_before_it_starts(data_copy: Path) -> None:
    path = data_copy / "curated" / "ceasefires.csv"
    _edit_cell(path, 2, c.CF_EFFECTIVE_TO, "2010-01-01")
    with pytest.raises(c.DataContractError, match="before effective_from"):
        load.load_ceasefires(path)


def test_negative_count_is_rejected(data_copy: Path) -> None:
    path = data_copy / "ucdp" / "ucdp_ged_myanmar_daily.csv"
    _edit_cell(path, 10, c.UD_DEATHS_BEST, "-3")
    with pytest.raises(c.DataContractError) as caught:
        load.load_ucdp_daily(path)
    assert caught.value.column == c.UD_DEATHS_BEST and caught.value.rows == [10]


def test_source_url_must_be_a_web_address(data_copy: Path) -> None:
    path = data_copy / "curated" / "diplomatic_events.csv"
    _edit_cell(path, 4, c.DE_SOURCE_URL, "see notes")
    with pytest.raises(c.DataContractError) as caught:
        load.load_diplomatic_events(path)
    assert caught.value.column == c.DE_SOURCE_URL and caught.value.rows == [4]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    empty = tmp_path / "ceasefires.csv"
    empty.write_text("")
    with pytest.raises(c.DataContractError, match="empty"):
        load.load_ceasefires(empty)
    empty.write_text(",".join(c.CEASEFIRES.column_names) + "\n")
    with pytest.raises(c.DataContractError, match="no data rows"):
        load.load_ceasefires(empty)


def test_utf8_bom_and_burmese_text_load(data_copy: Path) -> None:
    path = data_copy / "curated" / "ceasefires.csv"
    _edit_cell(path, 2, c.CF_NOTE, "အပစ်အခတ်ရပ်စဲရေး (ceasefire)")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    table = load.load_ceasefires(path)
    assert table.loc[0, c.CF_NOTE] == "အပစ်အခတ်ရပ်စဲရေး (ceasefire)"
    assert table.columns[0] == c.CF_ID


def test_latin1_file_is_rejected_with_advice(data_copy: Path) -> None:
    path = data_copy / "curated" / "ceasefires.csv"
    _edit_cell(path, 2, c.CF_NOTE, "café Hsipaw")
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(c.DataContractError, match="not UTF-8"):
        load.load_ceasefires(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(c.DataContractError, match=re.escape(str(tmp_path / "nope.csv"))):
        load.load_ceasefires(tmp_path / "nope.csv")


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


def test_unknown_source_and_missing_path() -> None:
    with pytest.raises(ValueError, match="unknown source"):
        load.load_events("gdelt")
    with pytest.raises(ValueError, match="needs events_path"):
        load.load_events("acled")


def test_coverage_rejects_windows_outside_the_data() -> None:
    events = load.load_events("ucdp_daily")
    with pytest.raises(ValueError, match="outside the data"):
        load.coverage(events, "2025-01-01", "2025-06-30")
    with pytest.raises(ValueError, match="before it starts"):
        load.coverage(events, "2022-06-30", "2022-01-01")
    partial = load.coverage(events, "2023-07-01", "2024-06-29")
    assert partial["window_share_covered"] == pytest.approx(184 / 365)
