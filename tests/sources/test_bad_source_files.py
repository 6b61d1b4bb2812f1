"""Bad-input catalogue, raw event files (``analysis.sources``): ACLED exports and API pulls
(``acled.load_acled``) and UCDP GED / Candidate files (``ucdp.load_ged``). Each case breaks a
copy of a real-layout fixture (or loads a broken fixture as is) and checks that the error
names the file, column, row(s) and what would be valid; the positive cases pin what a tricky
but valid file loads as. The shared machinery is in tests/bad_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from bad_inputs import (
    ACLED_CSV,
    BURMESE,
    CANDIDATE_CSV,
    FIXTURES,
    GED_CSV,
    Call,
    Case,
    acled_csv,
    acled_json,
    add_column,
    call,
    cells,
    copy_cell,
    drop_last_field_on_line,
    edited_csv,
    extra_field_on_line,
    ged_csv,
    latin1,
    lines_of,
    raw_file,
    read_acled,
    read_ged,
    rename,
    run_case,
    set_cell,
    where,
)

from analysis import contract as c
from analysis.sources import ucdp


def _acled_with_bom_and_burmese(tmp: Path) -> tuple[Call, Path]:
    path = edited_csv(ACLED_CSV, tmp / "acled_export.csv", set_cell(3, "actor2", BURMESE))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return (lambda: read_acled(path)), path


# --- positive-case checks (facts written by the case or read from the fixture file) ----------


def _check_acled_bom_burmese(events: pd.DataFrame) -> None:
    row = events.set_index(c.EV_ID).loc["acled-MMR90002"]
    assert row[c.EV_TARGET_RAW] == BURMESE
    assert len(events) == 8


def _check_acled_formats(events: pd.DataFrame) -> None:
    dates = events.set_index(c.EV_ID)[c.EV_DATE]
    assert dates["acled-MMR90001"] == pd.Timestamp("2025-05-16")
    assert dates["acled-MMR90002"] == pd.Timestamp("2025-05-16")
    assert dates["acled-MMR90003"] == pd.Timestamp("2025-02-07")


def _check_acled_duplicates(events: pd.DataFrame) -> None:
    # acled_duplicate_ids.csv: MMR90001 on line 2 (timestamp 1747700000, 4 dead) is revised on
    # line 5 (later timestamp, 6 dead); the loader keeps the revision and reports line 2.
    assert len(events) == 3
    assert events.set_index(c.EV_ID).loc["acled-MMR90001", c.EV_FATALITIES] == 6
    assert events.attrs["dropped"][0]["file_rows"] == [2]
    assert "duplicate event_id_cnty" in events.attrs["dropped"][0]["reason"]


def _check_acled_extra_column(events: pd.DataFrame) -> None:
    assert len(events) == 8 and list(events.columns) == c.EVENTS.column_names


CASES: list[Case] = [
    # ACLED exports and API pulls (analysis.sources.acled.load_acled) --------------------------
    Case(
        "acled-missing-column",
        lambda tmp: (
            lambda: read_acled(FIXTURES / "acled" / "acled_missing_column.csv"),
            FIXTURES / "acled" / "acled_missing_column.csv",
        ),
        c.DataContractError,
        where("fatalities") + r"missing column\(s\) \['fatalities'\]: not an ACLED export in a "
        r"known layout \(expected the columns \['event_id_cnty'",
    ),
    Case(
        "acled-renamed-column",
        acled_csv(rename("event_date", "date")),
        c.DataContractError,
        where("event_date") + r"missing column\(s\) \['event_date'\]: not an ACLED export",
    ),
    Case(
        "acled-extra-column-is-ignored",
        acled_csv(add_column("my_comment", "checked")),
        None,
        check=_check_acled_extra_column,
    ),
    Case(
        "acled-text-in-int-column",
        acled_csv(set_cell(6, "fatalities", "one")),
        c.DataContractError,
        where("fatalities", [6]) + r"expected a whole number, found \['one'\]$",
    ),
    Case(
        "acled-unparseable-date",
        lambda tmp: (
            lambda: read_acled(FIXTURES / "acled" / "acled_bad_date.csv"),
            FIXTURES / "acled" / "acled_bad_date.csv",
        ),
        c.DataContractError,
        where("event_date", [4]) + r"unreadable date\(s\) \['2025/17/05'\]; expected one of "
        r"\['%Y-%m-%d', '%d %B %Y', '%d-%b-%y'\]",
    ),
    Case(
        "acled-three-allowed-date-formats-load",
        acled_csv(
            cells(
                (2, "event_date", "2025-05-16"),
                (3, "event_date", "16 May 2025"),
                (4, "event_date", "7-Feb-25"),
            )
        ),
        None,
        check=_check_acled_formats,
    ),
    Case(
        "acled-date-matching-no-format",
        acled_csv(
            cells(
                (2, "event_date", "2025-05-16"),
                (3, "event_date", "16 May 2025"),
                (4, "event_date", "7-Feb-25"),
                (5, "event_date", "05/18/2025"),
                (8, "event_date", "May 20th"),
            )
        ),
        c.DataContractError,
        where("event_date", [5, 8]) + r"unreadable date\(s\) \['05/18/2025', 'May 20th'\]",
    ),
    Case(
        "acled-empty-file",
        raw_file("acled_export.csv", "", read_acled),
        c.DataContractError,
        where(None) + r"file is empty \(no header row\)$",
    ),
    Case(
        "acled-header-only",
        raw_file(
            "acled_export.csv", ACLED_CSV.read_text("utf-8").splitlines()[0] + "\n", read_acled
        ),
        c.DataContractError,
        where(None) + "file has no event rows; check the export's filters$",
    ),
    Case(
        "acled-utf8-bom-and-burmese-text-load",
        _acled_with_bom_and_burmese,
        None,
        check=_check_acled_bom_burmese,
    ),
    Case(
        "acled-latin1-file",
        latin1(ACLED_CSV, read_acled, 7, "notes"),
        c.DataContractError,
        where(None, [7]) + r"file is not UTF-8 text .*re-save it as UTF-8",
    ),
    Case(
        "acled-row-with-extra-field",
        lines_of(ACLED_CSV, extra_field_on_line(4), "acled_export.csv", read_acled),
        c.DataContractError,
        where(None, [4])
        + r"row has 32 fields, expected 31 \(an unquoted comma or a cut-off line\?\)$",
    ),
    Case(
        "acled-duplicate-ids-keep-latest-timestamp",
        lambda tmp: (
            lambda: read_acled(FIXTURES / "acled" / "acled_duplicate_ids.csv"),
            None,
        ),
        None,
        check=_check_acled_duplicates,
    ),
    Case(
        "acled-negative-fatalities",
        acled_csv(set_cell(4, "fatalities", "-2")),
        c.DataContractError,
        where("fatalities", [4]) + r"expected a value >= 0, found \['-2'\]$",
    ),
    Case(
        "acled-latitude-out-of-range",
        acled_csv(set_cell(3, "latitude", "95.5")),
        c.DataContractError,
        where("latitude", [3]) + r"expected a value between -90 and 90, found \['95.5'\]$",
    ),
    Case(
        "acled-inter-code-out-of-range",
        acled_csv(set_cell(5, "inter1", "9")),
        c.DataContractError,
        where("inter1", [5])
        + r"unknown actor type\(s\) \['9'\]; expected 1-8 or \['state forces', 'rebel group'",
    ),
    Case(
        "acled-json-not-a-list",
        acled_json(lambda document: {"status": 200, "count": 3}),
        c.DataContractError,
        where(None) + r"expected a list of event records \(or an API response with a 'data' "
        r"list\), found an object with keys \['count', 'status'\]$",
    ),
    Case(
        "acled-json-list-of-non-records",
        acled_json(lambda document: ["MMR92001", "MMR92002"]),
        c.DataContractError,
        where(None, [1, 2]) + r"expected each record to be an object of ACLED fields, found "
        r"\['str', 'str'\]$",
    ),
    Case(
        "acled-json-not-json",
        raw_file("acled_pull.json", '{"data": [{"event_id_cnty": "MMR1",', read_acled),
        c.DataContractError,
        where(None, [1]) + "not valid JSON: ",
    ),
    Case(
        "acled-json-negative-fatalities-names-record",
        acled_json(lambda document: document["data"][2].update(fatalities="-1")),
        c.DataContractError,
        where("fatalities", [3]) + r"expected a value >= 0, found \['-1'\]$",
    ),
    # UCDP GED / Candidate files (analysis.sources.ucdp.load_ged) ------------------------------
    Case(
        "ged-missing-column",
        lambda tmp: (
            lambda: read_ged(FIXTURES / "ucdp" / "ged_missing_column.csv"),
            FIXTURES / "ucdp" / "ged_missing_column.csv",
        ),
        c.DataContractError,
        where("best") + r"missing column\(s\) \['best'\]; expected \['id', 'relid'",
    ),
    Case(
        "ged-negative-best",
        ged_csv(set_cell(3, "best", "-1")),
        c.DataContractError,
        where("best", [3]) + r"expected a value >= 0, found \['-1'\]$",
    ),
    Case(
        "ged-negative-civilian-deaths",
        ged_csv(set_cell(4, "deaths_civilians", "-5")),
        c.DataContractError,
        where("deaths_civilians", [4]) + r"expected a value >= 0, found \['-5'\]$",
    ),
    Case(
        "ged-longitude-out-of-range",
        ged_csv(set_cell(3, "longitude", "195.1")),
        c.DataContractError,
        where("longitude", [3]) + r"expected a value between -180 and 180, found \['195.1'\]$",
    ),
    Case(
        "ged-duplicate-event-id",
        ged_csv(copy_cell("id", 2, 5)),
        c.DataContractError,
        where("id", [2, 5]) + r"event id\(s\) \['400001'\] appear more than once",
    ),
    Case(
        "ged-header-only",
        raw_file("ged_export.csv", GED_CSV.read_text("utf-8").splitlines()[0] + "\n", read_ged),
        c.DataContractError,
        where(None) + "file has no event rows$",
    ),
    Case(
        "candidate-headerless-wrong-column-count",
        lines_of(CANDIDATE_CSV, drop_last_field_on_line(1), "gedevents_cand.csv", read_ged),
        c.DataContractError,
        where(None, [1]) + r"first line has 48 fields and is not the GED header; expected the "
        r"49-column GED/Candidate layout",
    ),
    Case(
        "candidate-headerless-short-later-row",
        lines_of(CANDIDATE_CSV, drop_last_field_on_line(2), "gedevents_cand.csv", read_ged),
        c.DataContractError,
        where(None, [2])
        + r"row has 48 fields, expected 49 \(an unquoted comma or a cut-off line\?\)$",
    ),
    Case(
        "ged-unknown-source-label",
        call(lambda tmp: ucdp.load_ged(GED_CSV, cache_dir=False, source="acled")),
        ValueError,
        r"^source must be 'ucdp_ged' or 'ucdp_candidate', got 'acled'$",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_source_file(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
