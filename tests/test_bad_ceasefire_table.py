"""Bad-input catalogue, the ceasefire table (``analysis.windows``): ceasefires.csv as
``load_ceasefires`` reads it (file, shape, types and values through
``analysis.sources.validate.read_table``), its extension-chain rules (links, loops, windows
that start before their parent or overlap within a chain), and ceasefire ids asked of
``ceasefire_periods``. Each case edits a copy of the bundled table; the shared machinery is in
tests/bad_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from bad_inputs import (
    BURMESE,
    CEASEFIRES,
    Call,
    Case,
    call,
    cells,
    copy_cell,
    curated,
    edited_csv,
    extra_field_on_line,
    latin1,
    lines_of,
    raw_file,
    run_case,
    set_cell,
    where,
)

from analysis import contract as c
from analysis import windows as wn
from analysis.ceasefire_table import load_ceasefires


def _with_bom_and_burmese(tmp: Path) -> tuple[Call, Path]:
    path = edited_csv(CEASEFIRES, tmp / "ceasefires.csv", set_cell(2, c.CF_NOTE, BURMESE))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return (lambda: load_ceasefires(path)), path


# --- positive-case checks (facts written by the case or read from the bundled table) ---------


def _check_bom_burmese(table: pd.DataFrame) -> None:
    assert table.columns[0] == c.CF_ID  # the BOM did not leak into the first header
    assert table.loc[0, c.CF_NOTE] == BURMESE
    assert table.loc[0, c.CF_ID] == pd.read_csv(CEASEFIRES, dtype=str).loc[0, c.CF_ID]


def _check_extension_on_last_day(table: pd.DataFrame) -> None:
    row = table.set_index(c.CF_ID).loc["mil-north-2019-05"]
    assert row[c.CF_EFFECTIVE_FROM] == pd.Timestamp("2019-04-30")


def _check_cross_declarer_overlap(table: pd.DataFrame) -> None:
    rows = table.set_index(c.CF_ID)
    for cid in ("nug-eq-2025-03", "tba-eq-2025-04"):
        assert rows.loc[cid, c.CF_EFFECTIVE_FROM] == pd.Timestamp("2025-04-01")
        assert rows.loc[cid, c.CF_EFFECTIVE_TO] == pd.Timestamp("2025-04-30")
    assert rows.loc["mil-eq-2025-04", c.CF_DECLARER_SIDE] == "state"


CASES: list[Case] = [
    # The file, its shape, types and values (analysis.sources.validate.read_table) -------------
    Case(
        "curated-unparseable-date",
        curated(CEASEFIRES, load_ceasefires, set_cell(5, c.CF_EFFECTIVE_FROM, "31/04/2019")),
        c.DataContractError,
        where("effective_from", [5])
        + r"expected a date in YYYY-MM-DD form, found \['31/04/2019'\]",
    ),
    Case(
        "curated-file-not-found",
        lambda tmp: ((lambda: load_ceasefires(tmp / "nope.csv")), tmp / "nope.csv"),
        c.DataContractError,
        where(None) + "file not found$",
    ),
    Case(
        "curated-row-with-extra-field",
        lines_of(CEASEFIRES, extra_field_on_line(6), "ceasefires.csv", load_ceasefires),
        c.DataContractError,
        where(None, [6])
        + r"row has 18 fields, expected 17 \(an unquoted comma or a cut-off line\?\)$",
    ),
    Case(
        "curated-unknown-counterpart-id",
        curated(CEASEFIRES, load_ceasefires, set_cell(5, c.CF_COUNTERPART_IDS, "AA;Wagner")),
        c.DataContractError,
        where("counterpart_ids", [5])
        + r"unknown actor id\(s\) \['Wagner'\]: the column takes actor_id values of the "
        r"actor registry \(.*actors\.csv\) joined with ';', e\.g\. 'MNDAA;TNLA;AA', or "
        r"'all' alone for a national declaration$",
    ),
    Case(
        "curated-counterpart-all-mixed-with-ids",
        curated(CEASEFIRES, load_ceasefires, set_cell(7, c.CF_COUNTERPART_IDS, "all;AA")),
        c.DataContractError,
        where("counterpart_ids", [7]) + r"'all' combined with actor ids: ",
    ),
    Case(
        "curated-empty-file",
        raw_file("ceasefires.csv", "", load_ceasefires),
        c.DataContractError,
        where(None) + r"file is empty \(no header row\)$",
    ),
    Case(
        "curated-header-only",
        raw_file("ceasefires.csv", ",".join(c.CEASEFIRES.column_names) + "\n", load_ceasefires),
        c.DataContractError,
        where(None) + "file has a header but no data rows$",
    ),
    Case(
        "curated-utf8-bom-and-burmese-text-load",
        _with_bom_and_burmese,
        None,
        check=_check_bom_burmese,
    ),
    Case(
        "curated-latin1-file",
        latin1(CEASEFIRES, load_ceasefires, 6, c.CF_NOTE),
        c.DataContractError,
        where(None, [6]) + r"file is not UTF-8 text .*re-save it as UTF-8",
    ),
    Case(
        "curated-duplicate-ceasefire-id",
        curated(CEASEFIRES, load_ceasefires, copy_cell(c.CF_ID, 4, 5)),
        c.DataContractError,
        where("ceasefire_id", [4, 5])
        + r"values must be unique; \['mil-north-2019-07'\] appear\(s\) more than once",
    ),
    Case(
        "curated-value-outside-vocabulary",
        curated(
            CEASEFIRES,
            load_ceasefires,
            cells((3, c.CF_KIND, "trilateral"), (7, c.CF_KIND, "trilateral")),
        ),
        c.DataContractError,
        where("kind", [3, 7])
        + r"value\(s\) \['trilateral'\] not allowed; expected one of \['unilateral', 'bilateral'",
    ),
    Case(
        "curated-blank-required-cell",
        curated(CEASEFIRES, load_ceasefires, set_cell(8, c.CF_DECLARED_BY, "")),
        c.DataContractError,
        where("declared_by", [8]) + "blank value; this column must be filled in$",
    ),
    # Extension chains and windows (analysis.windows.load_ceasefires) --------------------------
    Case(
        "ceasefire-effective-to-before-effective-from",
        curated(CEASEFIRES, load_ceasefires, set_cell(2, c.CF_EFFECTIVE_TO, "2010-01-01")),
        c.DataContractError,
        where("effective_to", [2]) + "effective_to is before effective_from$",
    ),
    Case(
        "ceasefire-extends-unknown-id",
        curated(CEASEFIRES, load_ceasefires, set_cell(3, c.CF_EXTENDS, "no-such-truce")),
        c.DataContractError,
        where("extends", [3]) + r"extends unknown ceasefire_id\(s\) \['no-such-truce'\]$",
    ),
    Case(
        "ceasefire-extension-starts-before-parent",
        curated(CEASEFIRES, load_ceasefires, set_cell(3, c.CF_EFFECTIVE_FROM, "2018-12-01")),
        c.DataContractError,
        where("effective_from", [2, 3])
        + r"extension 'mil-north-2019-05' \(line 3\) starts 2018-12-01, before the ceasefire "
        r"it extends, 'mil-north-2018-12' \(line 2\), starts 2018-12-21$",
    ),
    Case(
        "ceasefire-same-chain-overlap",
        curated(CEASEFIRES, load_ceasefires, set_cell(4, c.CF_EFFECTIVE_FROM, "2019-06-15")),
        c.DataContractError,
        where("effective_from", [3, 4])
        + r"'mil-north-2019-05' \(line 3\) and 'mil-north-2019-07' \(line 4\) belong to the "
        r"same extension chain but their windows share 16 days",
    ),
    Case(
        "ceasefire-sibling-extensions-overlap",
        curated(
            CEASEFIRES,
            load_ceasefires,
            # line 4 re-pointed at the chain's root and moved into line 3's window: the two
            # extensions of mil-north-2018-12 now cover 2019-06-01..30 twice
            cells((4, c.CF_EXTENDS, "mil-north-2018-12"), (4, c.CF_EFFECTIVE_FROM, "2019-06-01")),
        ),
        c.DataContractError,
        where("effective_from", [3, 4])
        + r"'mil-north-2019-05' \(line 3\) and 'mil-north-2019-07' \(line 4\) belong to the "
        r"same extension chain but their windows share 30 days",
    ),
    Case(
        "ceasefire-extends-loop",
        curated(CEASEFIRES, load_ceasefires, set_cell(2, c.CF_EXTENDS, "mil-north-2019-09")),
        c.DataContractError,
        where("extends", [2, 3, 4, 5]) + r"extends chain loops back on itself through "
        r"\['mil-north-2018-12', 'mil-north-2019-05', 'mil-north-2019-07', 'mil-north-2019-09'\]",
    ),
    Case(
        "ceasefire-extension-on-parents-last-day-loads",
        curated(CEASEFIRES, load_ceasefires, set_cell(3, c.CF_EFFECTIVE_FROM, "2019-04-30")),
        None,
        check=_check_extension_on_last_day,
    ),
    Case(
        "ceasefire-overlap-between-declarers-loads",
        curated(
            CEASEFIRES,
            load_ceasefires,
            # nug-eq-2025-03 (line 31) given exactly the window of tba-eq-2025-04 (line 32)
            cells((31, c.CF_EFFECTIVE_FROM, "2025-04-01"), (31, c.CF_EFFECTIVE_TO, "2025-04-30")),
        ),
        None,
        check=_check_cross_declarer_overlap,
    ),
    # Ceasefire ids a notebook asks for (analysis.windows.ceasefire_periods) -------------------
    Case(
        "unknown-ceasefire-id",
        call(lambda tmp: wn.ceasefire_periods(load_ceasefires(), ids=["mil-eq-2025-4"])),
        ValueError,
        r"^unknown ceasefire_id\(s\) \['mil-eq-2025-4'\]; did you mean \[.*'mil-eq-2025-04'.*\]\? "
        r"\(\d+ ids are listed in the ceasefire_id column",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_ceasefire_table(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
