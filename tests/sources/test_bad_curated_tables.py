"""Bad-input catalogue, curated tables: the diplomatic events, reported strike counts and date
claims (``analysis.sources.curated``) and the UCDP daily aggregate
(``analysis.sources.ucdp_daily``), read through ``analysis.sources.validate.read_table``. Each
case edits a copy of the bundled table and checks that the error names the file, column, row(s)
and what would be valid.

The ceasefire table has its own file (tests/test_bad_ceasefire_table.py); the shared
machinery is in tests/bad_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_inputs import (
    COUNTS,
    DATE_CLAIMS,
    DIPLOMATIC,
    UCDP_DAILY,
    Case,
    add_column,
    copy_cell,
    curated,
    day_first,
    drop,
    rename,
    run_case,
    set_cell,
    where,
)

from analysis import contract as c
from analysis.sources.curated import (
    load_date_claims,
    load_diplomatic_events,
    load_reported_counts,
)
from analysis.sources.ucdp_daily import load_ucdp_daily

CASES: list[Case] = [
    # Table shape, types and values (analysis.sources.validate.read_table) ---------------------
    Case(
        "curated-missing-column",
        curated(DIPLOMATIC, load_diplomatic_events, drop(c.DE_BLOC)),
        c.DataContractError,
        where("bloc") + r"missing column\(s\) \['bloc'\]; expected columns \['event_id'",
    ),
    Case(
        "curated-renamed-column",
        curated(DIPLOMATIC, load_diplomatic_events, rename("kind", "type")),
        c.DataContractError,
        where("kind") + r"missing column\(s\) \['kind'\]; found \['type'\] instead \(renamed\?\)",
    ),
    Case(
        "curated-extra-column",
        curated(COUNTS, load_reported_counts, add_column("comment", "x")),
        c.DataContractError,
        where("comment") + r"unexpected column\(s\) \['comment'\]; expected \['count_id'",
    ),
    Case(
        "curated-text-in-int-column",
        curated(COUNTS, load_reported_counts, set_cell(4, c.RC_STRIKES, "about 40")),
        c.DataContractError,
        where("strikes", [4]) + r"expected a whole number, found \['about 40'\]",
    ),
    Case(
        "curated-fraction-in-int-column",
        curated(UCDP_DAILY, load_ucdp_daily, set_cell(7, c.UD_EVENTS, "2.5")),
        c.DataContractError,
        where("events", [7]) + r"expected a whole number, found \['2.5'\]",
    ),
    Case(
        "curated-impossible-calendar-date",
        curated(COUNTS, load_reported_counts, set_cell(3, c.RC_PERIOD_START, "2021-02-30")),
        c.DataContractError,
        where("period_start", [3]) + r"expected a date in YYYY-MM-DD form, found \['2021-02-30'\]",
    ),
    Case(
        "curated-mixed-date-formats",
        curated(DIPLOMATIC, load_diplomatic_events, day_first(c.DE_DATE_START, 4, 6)),
        c.DataContractError,
        where("date_start", [4, 6]) + r"expected a date in YYYY-MM-DD form, found \['\d\d/\d\d/",
    ),
    Case(
        "curated-duplicate-event-id",
        curated(DIPLOMATIC, load_diplomatic_events, copy_cell(c.DE_ID, 2, 9)),
        c.DataContractError,
        where("event_id", [2, 9]) + r"values must be unique; \['[\w-]+'\] appear\(s\) more",
    ),
    Case(
        "curated-source-url-not-a-web-address",
        curated(DIPLOMATIC, load_diplomatic_events, set_cell(4, c.DE_SOURCE_URL, "see notes")),
        c.DataContractError,
        where("source_url", [4])
        + r"value\(s\) \['see notes'\] not a web address; expected a URL starting http://",
    ),
    Case(
        "curated-negative-count",
        curated(COUNTS, load_reported_counts, set_cell(5, c.RC_STRIKES, "-4")),
        c.DataContractError,
        where("strikes", [5]) + r"value\(s\) \['-4'\] below the minimum 0$",
    ),
    Case(
        "ucdp-daily-negative-deaths",
        curated(UCDP_DAILY, load_ucdp_daily, set_cell(10, c.UD_DEATHS_BEST, "-3")),
        c.DataContractError,
        where("deaths_best", [10]) + r"value\(s\) \['-3'\] below the minimum 0$",
    ),
    # Dates in order across columns (analysis.sources.validate.read_table) ---------------------
    Case(
        "diplomatic-date-end-before-start",
        curated(DIPLOMATIC, load_diplomatic_events, set_cell(3, c.DE_DATE_END, "1990-01-01")),
        c.DataContractError,
        where("date_end", [3]) + "date_end is before date_start$",
    ),
    # Date claims name a row and a date column that exist (analysis.sources.curated) ----------
    # line 2 is a ceasefire claim (mil-eq-2025-05), line 14 a diplomatic one (by-minsk-2025-03)
    Case(
        "date-claims-unknown-ceasefire-id",
        curated(DATE_CLAIMS, load_date_claims, set_cell(2, c.DC_ROW_ID, "mil-eq-2025-13")),
        c.DataContractError,
        where("row_id", [2])
        + r"unknown ceasefire_id\(s\) \['mil-eq-2025-13'\] of ceasefires in \S+ceasefires.csv$",
    ),
    Case(
        "date-claims-unknown-event-id",
        curated(DATE_CLAIMS, load_date_claims, set_cell(14, c.DC_ROW_ID, "by-minsk-2026-03")),
        c.DataContractError,
        where("row_id", [14])
        + r"unknown event_id\(s\) \['by-minsk-2026-03'\] of diplomatic_events",
    ),
    Case(
        "date-claims-field-of-the-other-table",
        curated(DATE_CLAIMS, load_date_claims, set_cell(14, c.DC_TABLE, "ceasefires")),
        c.DataContractError,
        where("field", [14])
        + r"'date_start' is not a date column of 'ceasefires'; expected one of \['declared_on', "
        r"'effective_from', 'effective_to'\]$",
    ),
    Case(
        "date-claims-unknown-field",
        curated(DATE_CLAIMS, load_date_claims, set_cell(3, c.DC_FIELD, "announced_on")),
        c.DataContractError,
        where("field", [3]) + r"'announced_on' is not a date column of 'ceasefires'",
    ),
    Case(
        "date-claims-undated-field",
        curated(DATE_CLAIMS, load_date_claims, set_cell(15, c.DC_FIELD, "place")),
        c.DataContractError,
        where("field", [15])
        + r"'place' is not a date column of 'diplomatic_events'; expected one of "
        r"\['date_start', 'date_end'\]$",
    ),
    Case(
        "date-claims-unknown-table",
        curated(DATE_CLAIMS, load_date_claims, set_cell(4, c.DC_TABLE, "ceasefire")),
        c.DataContractError,
        where("table", [4]) + r"value\(s\) \['ceasefire'\] not allowed; expected one of",
    ),
    Case(
        "date-claims-unknown-precision",
        curated(DATE_CLAIMS, load_date_claims, set_cell(5, c.DC_PRECISION, "about")),
        c.DataContractError,
        where("precision", [5]) + r"value\(s\) \['about'\] not allowed; expected one of",
    ),
    Case(
        "date-claims-date-as-weekday",
        curated(DATE_CLAIMS, load_date_claims, set_cell(3, c.DC_DATE, "Tuesday")),
        c.DataContractError,
        where("date", [3]) + r"expected a date in YYYY-MM-DD form, found \['Tuesday'\]",
    ),
    Case(
        "date-claims-duplicate-claim-id",
        curated(DATE_CLAIMS, load_date_claims, copy_cell(c.DC_ID, 2, 3)),
        c.DataContractError,
        where("claim_id", [2, 3]) + r"values must be unique",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_curated_table(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
