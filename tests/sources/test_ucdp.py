"""UCDP GED / Candidate loader: both layouts load; broken files fail naming file/column/row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import contract as c
from analysis.sources import ucdp

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ucdp"


def _load(name: str, **kwargs) -> pd.DataFrame:
    return ucdp.load_ged(FIXTURES / name, cache_dir=False, **kwargs)


def test_ged_with_header_loads_into_the_contract() -> None:
    events = _load("ged_myanmar_sample.csv")
    c.pandera_schema(c.EVENTS).validate(events)
    assert (events[c.EV_SOURCE] == "ucdp_ged").all()
    rows = events.set_index(c.EV_ID)
    first = rows.loc["ucdp_ged-400001"]
    # '2021-05-03 00:00:00.000' -> the day
    assert first[c.EV_DATE] == pd.Timestamp("2021-05-03")
    assert first[c.EV_ACTOR] == "Myanmar military" and first[c.EV_ACTOR_SIDE] == "state"
    assert first[c.EV_TARGET] == "KIA"  # UCDP writes the political wing, KIO
    assert first[c.EV_ADMIN1] == "Kachin"
    assert first[c.EV_CATEGORY] == "armed_clash"
    assert first[c.EV_FATALITIES] == 5 and first[c.EV_CIVILIAN_FATALITIES] == 0


def test_date_prec_types_of_violence_and_blank_admin() -> None:
    rows = _load("ged_myanmar_sample.csv").set_index(c.EV_ID)
    assert rows[c.EV_DATE_PRECISION].to_dict() == {
        "ucdp_ged-400001": "day",  # date_prec 1
        "ucdp_ged-400002": "week",  # 2
        "ucdp_ged-400003": "month",  # 4
        "ucdp_ged-400004": "day",
        "ucdp_ged-400005": "year",  # 5
    }
    assert rows.loc["ucdp_ged-400002", c.EV_CATEGORY] == "one_sided_violence"
    assert rows.loc["ucdp_ged-400003", c.EV_CATEGORY] == "non_state_conflict"
    assert rows.loc["ucdp_ged-400003", c.EV_TARGET] == "DKBA-5"
    assert rows.loc["ucdp_ged-400004", c.EV_ADMIN1] == "Magway"  # 'Magway  region'
    assert rows.loc["ucdp_ged-400005", c.EV_ADMIN1] == c.ADMIN1_UNKNOWN
    assert pd.isna(rows.loc["ucdp_ged-400005", c.EV_LATITUDE])


def test_headerless_candidate_file_is_detected() -> None:
    path = FIXTURES / "gedevents_candidate_noheader.csv"
    assert not ucdp.has_header(path)
    events = _load("gedevents_candidate_noheader.csv")
    assert len(events) == 2  # the first line is data, not a header
    assert (events[c.EV_SOURCE] == "ucdp_candidate").all()
    assert events[c.EV_DATE].tolist() == [pd.Timestamp("2025-03-02"), pd.Timestamp("2025-03-29")]
    assert events[c.EV_TARGET].tolist() == ["AA", "Civilians"]


def test_source_can_be_forced() -> None:
    events = _load("ged_myanmar_sample.csv", source="ucdp_candidate")
    assert (events[c.EV_SOURCE] == "ucdp_candidate").all()
    with pytest.raises(ValueError, match="ucdp_ged"):
        _load("ged_myanmar_sample.csv", source="acled")


def test_bad_date_names_file_column_and_row() -> None:
    with pytest.raises(c.DataContractError) as info:
        _load("ged_bad_date.csv")
    assert info.value.column == "date_start"
    assert info.value.rows == [3]
    assert "ged_bad_date.csv" in str(info.value)


def test_headerless_file_reports_file_lines(tmp_path: Path) -> None:
    lines = (FIXTURES / "gedevents_candidate_noheader.csv").read_text("utf-8").splitlines(True)
    lines[1] = lines[1].replace(",0,7,7,7,775", ",0,seven,7,7,775")  # best, line 2
    path = tmp_path / "candidate.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(c.DataContractError) as info:
        ucdp.load_ged(path, cache_dir=False)
    assert (info.value.column, info.value.rows) == ("best", [2])


def test_missing_column_and_foreign_file_fail() -> None:
    with pytest.raises(c.DataContractError) as info:
        _load("ged_missing_column.csv")
    assert info.value.column == "best"
    with pytest.raises(c.DataContractError, match="not the GED header"):
        ucdp.load_ged(
            Path(__file__).parent.parent / "fixtures" / "acled" / "acled_current_layout.csv",
            cache_dir=False,
        )


def test_unmapped_ucdp_actor_is_kept() -> None:
    events = _load("ged_myanmar_sample.csv")
    assert list(events.attrs["unmapped"]) == [
        {"role": "target", "raw_name": "ABSDF", "rows": 1, "events": 1, "fallback_side": "other"}
    ]
    assert "ABSDF" in set(events[c.EV_TARGET])
