"""ETH/PRIO ceasefire loader: the published layout read into one row per ceasefire.

Files are written by tests/ethprio_generator.py (made-up rows in the published layout). The
hand-written cases state the expected reading literally; the generated ones compare against
the generator's own account of what it wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from ethprio_generator import (
    FULL_SCALE,
    NO_DATE,
    NO_END,
    government,
    rebel,
    write_ethprio_csv,
)

from analysis import contract as c
from analysis.sources import ethprio

MYANMAR, COLOMBIA = "Myanmar (Burma)", "Colombia"
TATMADAW = (government(MYANMAR), 1, 7750, -1, 7751)


def front(k: int, dyad: int = -1, side: int = 2) -> tuple:
    return (rebel(MYANMAR, k), side, 7750 + k, dyad, 7751)


def write(tmp_path: Path, specs: list[dict], name: str = "cf.csv") -> Path:
    path = tmp_path / name
    write_ethprio_csv(path, specs, n_ceasefires=0)
    return path


def one(tmp_path: Path, **spec) -> pd.Series:
    spec = {"country": MYANMAR, "cf_id": 1, "actors": [TATMADAW], **spec}
    table = ethprio.load_ethprio(write(tmp_path, [spec]))
    assert len(table) == 1
    return table.iloc[0]


# --- dates -----------------------------------------------------------------------------------


def test_day_precise_dates_and_an_open_end(tmp_path: Path) -> None:
    row = one(tmp_path, declared=(2019, 5, 3), effective=(2019, 5, 4), end=NO_END)
    assert row[c.CF_ID] == "775001"
    assert row[c.CF_DECLARED_ON] == pd.Timestamp("2019-05-03")
    assert row[c.CF_DATE_PRECISION] == "day"
    assert row[c.CF_EFFECTIVE_FROM] == pd.Timestamp("2019-05-04")
    assert pd.isna(row[c.CF_EFFECTIVE_TO]) and pd.isna(row[c.CF_END_PRECISION])
    assert "no end (coded 0)" in row[c.CF_NOTE]


def test_unknown_day_gives_the_first_of_the_month_and_unknown_month_the_first_of_january(
    tmp_path: Path,
) -> None:
    row = one(tmp_path, declared=(2019, 5, -1), effective=(2018, -1, -1), end=(2019, 7, -1))
    assert row[c.CF_DECLARED_ON] == pd.Timestamp("2019-05-01")
    assert row[c.CF_DATE_PRECISION] == "month"
    assert row[c.CF_EFFECTIVE_FROM] == pd.Timestamp("2018-01-01")
    assert row[c.CF_EFFECTIVE_PRECISION] == "year"
    assert row[c.CF_EFFECTIVE_TO] == pd.Timestamp("2019-07-01")
    assert row[c.CF_END_PRECISION] == "month"
    assert "declaration day unknown" in row[c.CF_NOTE]


def test_a_missing_date_falls_back_to_the_other(tmp_path: Path) -> None:
    row = one(tmp_path, declared=(-1, -1, -1), effective=(2020, 3, 9))
    assert row[c.CF_DECLARED_ON] == row[c.CF_EFFECTIVE_FROM] == pd.Timestamp("2020-03-09")
    assert "declaration date unknown: entry into force used" in row[c.CF_NOTE]
    row = one(tmp_path, declared=(2020, 3, 9), effective=NO_DATE)
    assert row[c.CF_EFFECTIVE_FROM] == pd.Timestamp("2020-03-09")
    assert row[c.CF_EFFECTIVE_PRECISION] == "day"


def test_a_ceasefire_without_any_date_is_skipped_with_its_reason(tmp_path: Path) -> None:
    dated = {"country": MYANMAR, "cf_id": 1, "actors": [TATMADAW], "declared": (2020, 1, 2)}
    undated = {"country": MYANMAR, "cf_id": 2, "actors": [TATMADAW], "declared": (0, 0, 0)}
    table = ethprio.load_ethprio(write(tmp_path, [dated, undated]))
    assert table[c.CF_ID].tolist() == ["775001"]
    skipped = ethprio.skipped_ceasefires(table)
    assert skipped[c.CF_ID].tolist() == ["775002"]
    assert "neither the declaration nor the entry into force" in skipped["reason"].iloc[0]


def test_entry_into_force_before_the_declaration_is_kept_and_noted(tmp_path: Path) -> None:
    row = one(tmp_path, declared=(2021, 2, 10), effective=(2021, 2, 8))
    assert row[c.CF_EFFECTIVE_FROM] < row[c.CF_DECLARED_ON]
    assert "in force 2 day(s) before it was declared" in row[c.CF_NOTE]


def test_a_blank_end_is_noted_as_blank_not_as_coded_unknown(tmp_path: Path) -> None:
    spec = {"country": MYANMAR, "cf_id": 1, "actors": [TATMADAW], "declared": (2021, 2, 10)}
    path = write(tmp_path, [spec])
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw[["end_yr", "end_month", "end_day"]] = ""
    raw.to_csv(path, index=False, encoding="utf-8-sig")
    (row,) = [r for _, r in ethprio.load_ethprio(path).iterrows()]
    assert pd.isna(row[c.CF_EFFECTIVE_TO])
    assert "end blank in the file" in row[c.CF_NOTE] and "coded" not in row[c.CF_NOTE]


def test_unknown_end_and_end_before_entry(tmp_path: Path) -> None:
    row = one(tmp_path, declared=(2021, 2, 10), effective=(2021, 2, 10), end=(-1, -1, -1))
    assert pd.isna(row[c.CF_EFFECTIVE_TO])
    assert "end unknown (coded -1)" in row[c.CF_NOTE]
    row = one(tmp_path, declared=(2021, 2, 10), effective=(2021, 2, 10), end=(2021, 2, 1))
    assert pd.isna(row[c.CF_EFFECTIVE_TO]) and "end dropped" in row[c.CF_NOTE]
    row = one(tmp_path, declared=(2021, 2, 10), effective=(2021, 2, 10), end=(2021, 2, -1))
    assert row[c.CF_EFFECTIVE_TO] == pd.Timestamp("2021-02-10")


def test_actor_rows_that_disagree_give_the_earliest_declaration(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        declared=(2021, 2, 10),
        declared_by_row=[(2021, 2, 12), (2021, 2, 10), (2021, 2, -1)],
        actors=[TATMADAW, front(1, 77501), front(2, 77502)],
    )
    # 1 February (the month-precision row) is the earliest date a row allows.
    assert row[c.CF_DECLARED_ON] == pd.Timestamp("2021-02-01")
    assert row[c.CF_DATE_PRECISION] == "month"
    assert "declare on different days" in row[c.CF_NOTE]


# --- actors, kind, dyads ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actors", "kind", "side", "sides"),
    [
        ([TATMADAW], "unilateral", "state", "1"),
        ([front(1), front(2)], "unilateral", "non_state", "2;2"),
        ([TATMADAW, front(1, 77501)], "bilateral", "both", "1;2"),
        ([TATMADAW, front(1), front(2), front(3)], "multilateral", "both", "1;2;2;2"),
        ([(government(MYANMAR), -1, 7750, -1, 7751), front(1)], "bilateral", "both", "-1;2"),
    ],
)
def test_kind_and_side_follow_the_declaring_rows(
    tmp_path: Path, actors: list, kind: str, side: str, sides: str
) -> None:
    row = one(tmp_path, declared=(2019, 1, 1), actors=actors)
    assert row[c.CF_KIND] == kind
    assert row[c.CF_DECLARER_SIDE] == side
    assert row[c.CF_DECLARING_SIDES] == sides
    assert row[c.CF_N_DECLARING] == len(actors)
    assert row[c.CF_COUNTERPART_IDS] == c.COUNTERPARTS_ALL


def test_dyads_leave_out_minus_one_and_a_ceasefire_without_dyad_says_so(tmp_path: Path) -> None:
    row = one(tmp_path, declared=(2019, 1, 1), actors=[TATMADAW, front(2, 77502), front(1, 77501)])
    assert row[c.CF_UCDP_DYAD_IDS] == "77501;77502"
    assert row[c.CF_UCDP_ACTOR_IDS] == "7750;7751;7752"
    assert row[c.CF_UCDP_CONFLICT_IDS] == "7751"
    row = one(tmp_path, declared=(2019, 1, 1), actors=[TATMADAW])
    assert pd.isna(row[c.CF_UCDP_DYAD_IDS])
    assert "no UCDP dyad" in row[c.CF_NOTE]


# --- purposes, class, mediators --------------------------------------------------------------


def test_purposes_trigger_class_and_ended(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        declared=(2019, 1, 1),
        purposes=("holiday", "peace_process"),
        ceasefire_class=2,
        ended=3,
    )
    assert row[c.CF_PURPOSES] == "peace_process;holiday"
    assert row[c.CF_TRIGGER] == "negotiation"
    assert row[c.CF_CLASS] == 2 and row[c.CF_ENDED] == 3
    row = one(tmp_path, declared=(2019, 1, 1), ceasefire_class=-1, ended=-1)
    assert pd.isna(row[c.CF_CLASS]) and pd.isna(row[c.CF_ENDED]) and pd.isna(row[c.CF_PURPOSES])
    assert row[c.CF_TRIGGER] == "other"


@pytest.mark.parametrize(
    ("text", "mediators", "blocs", "broker_bloc"),
    [
        ("0", None, "none", "none"),
        ("-1", "unknown", "unknown", "other"),
        ("UN", "UN", "UN", "other"),
        ("OSCE, Russia", "OSCE;Russia", "OSCE;Russia", "other"),
        ("China", "China", "China", "China"),
        ("Norway, united states", "Norway;united states", "West", "West"),
        ("Made-up Club", "Made-up Club", "other", "other"),
        # state mediators outside the listed groups are listed, as other (no unlisted note)
        ("Cuba, Norway", "Cuba;Norway", "West;other", "other"),
        ("Japan", "Japan", "other", "other"),
        ("Malaysia", "Malaysia", "other", "other"),
        ("Holy See", "Holy See", "other", "other"),
        ("Vatican", "Vatican", "other", "other"),
        ("Switzerland, Qatar", "Qatar;Switzerland", "other", "other"),
    ],
)
def test_mediators_and_their_blocs(
    tmp_path: Path, text: str, mediators: str | None, blocs: str, broker_bloc: str
) -> None:
    row = one(tmp_path, declared=(2019, 1, 1), mediators=text)
    assert (pd.isna(row[c.CF_MEDIATORS]) and mediators is None) or row[c.CF_MEDIATORS] == mediators
    assert row[c.CF_MEDIATOR_BLOCS] == blocs
    assert row[c.CF_BROKER_BLOC] == broker_bloc
    unlisted = "not in mediator_blocs.csv" in (row[c.CF_NOTE] or "")
    assert unlisted == (text == "Made-up Club")


# --- the file as a whole -----------------------------------------------------------------------


def test_byte_order_mark_is_optional(tmp_path: Path) -> None:
    spec = {"country": MYANMAR, "cf_id": 4, "actors": [TATMADAW], "declared": (2019, 1, 1)}
    with_bom = write(tmp_path, [spec])
    assert with_bom.read_bytes().startswith(b"\xef\xbb\xbf")
    without = tmp_path / "no_bom.csv"
    without.write_bytes(with_bom.read_bytes()[3:])
    pd.testing.assert_frame_equal(ethprio.load_ethprio(with_bom), ethprio.load_ethprio(without))


def test_country_filter_keeps_one_country_and_names_the_others(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    truth = write_ethprio_csv(path, n_ceasefires=30, countries=(MYANMAR, COLOMBIA), seed=4)
    kept = truth[~truth["skipped"] & (truth["country"] == COLOMBIA)]
    table = ethprio.load_ethprio(path, country=COLOMBIA)
    assert sorted(table[c.CF_ID]) == sorted(kept["ceasefire_id"])
    assert set(table[c.CF_COUNTRY]) == {COLOMBIA}
    with pytest.raises(ValueError, match=re.escape("'Colombia', 'Myanmar (Burma)'")):
        ethprio.load_ethprio(path, country="Myanmar")


@pytest.mark.parametrize("seed", [11, 12])
def test_full_scale_file_groups_every_ceasefire_as_generated(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "full.csv"
    countries = [f"Made-up Land {i:02d}" for i in range(FULL_SCALE["n_countries"])]
    truth = write_ethprio_csv(
        path,
        n_ceasefires=FULL_SCALE["n_ceasefires"],
        n_rows=FULL_SCALE["n_rows"],
        countries=countries,
        seed=seed,
    )
    assert len(pd.read_csv(path, dtype=str)) == FULL_SCALE["n_rows"]
    table = ethprio.load_ethprio(path)
    skipped = ethprio.skipped_ceasefires(table)
    assert len(table) + len(skipped) == FULL_SCALE["n_ceasefires"]
    assert table[c.CF_ID].is_unique
    assert set(skipped[c.CF_ID]) == set(truth.loc[truth["skipped"], "ceasefire_id"])
    assert table[c.CF_COUNTRY].nunique() == FULL_SCALE["n_countries"]
    assert table[c.CF_N_DECLARING].sum() + len(skipped) <= FULL_SCALE["n_rows"]
    expected = truth[~truth["skipped"]].set_index("ceasefire_id").sort_index()
    got = table.set_index(c.CF_ID).sort_index()
    for column in expected.columns.drop(["skipped"]):
        want = expected[column].astype(object).where(expected[column].notna(), None)
        want = want.replace("", None)
        have = got[column].astype(object).where(got[column].notna(), None)
        mismatch = [
            (i, have[i], want[i])
            for i in want.index
            if not (have[i] is None and want[i] is None) and have[i] != want[i]
        ]
        assert mismatch == [], f"{column}: {mismatch[:3]}"


# --- broken files --------------------------------------------------------------------------------


def broken(tmp_path: Path, column: str, line: int, value: str) -> Path:
    path = tmp_path / "cf.csv"
    write_ethprio_csv(path, n_ceasefires=6, seed=2)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[line - 2, column] = value
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


@pytest.mark.parametrize(
    ("column", "line", "value", "problem"),
    [
        ("cf_dec_month", 4, "13", "between -1 and 12, found ['13']"),
        ("cf_effect_day", 3, "32", "between -1 and 31"),
        ("uniq_id", 5, "77500x", "a whole number"),
        ("uniq_id", 2, "", "blank value"),
        ("side", 6, "two", "a whole number"),
        ("ucdp_dyad", 3, "1.5", "a whole number"),
        ("end_yr", 4, "19", "expected a year, -1 (unknown) or 0"),
        ("location", 3, "", "blank country name"),
    ],
)
def test_bad_cells_name_file_column_and_line(
    tmp_path: Path, column: str, line: int, value: str, problem: str
) -> None:
    path = broken(tmp_path, column, line, value)
    with pytest.raises(c.DataContractError, match=re.escape(problem)) as error:
        ethprio.load_ethprio(path)
    assert error.value.column == column
    assert error.value.rows == [line]
    assert error.value.path == path


def test_an_impossible_day_names_the_day_column(tmp_path: Path) -> None:
    path = broken(tmp_path, "cf_dec_month", 3, "2")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[1, ["cf_dec_yr", "cf_dec_day"]] = ["2019", "30"]
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(c.DataContractError, match="no such day") as error:
        ethprio.load_ethprio(path)
    assert (error.value.column, error.value.rows) == ("cf_dec_day", [3])


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "cf.csv"
    write_ethprio_csv(path, n_ceasefires=3, seed=1)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.drop(columns=["ucdp_dyad"]).to_csv(path, index=False)
    with pytest.raises(c.DataContractError, match=r"missing column\(s\) \['ucdp_dyad'\]") as error:
        ethprio.load_ethprio(path)
    assert error.value.column == "ucdp_dyad"


def test_one_ceasefire_in_two_countries_is_refused(tmp_path: Path) -> None:
    spec = {
        "country": MYANMAR,
        "cf_id": 1,
        "actors": [TATMADAW, front(1)],
        "declared": (2019, 1, 1),
    }
    path = write(tmp_path, [spec])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[1, "location"] = COLOMBIA
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(c.DataContractError, match="different countries") as error:
        ethprio.load_ethprio(path)
    assert error.value.rows == [2, 3]
