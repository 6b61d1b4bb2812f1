"""Date sensitivity (analysis.sensitivity): each result is checked against a computation done
here by hand (pandas window means, tables edited cell by cell, the csv module), never against
what the module itself returned."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from factories import make_ceasefires

from analysis import contract as c
from analysis import events as ev
from analysis import paths, sensitivity, tables, timing
from analysis.batch import batch_effects
from analysis.ceasefire_table import load_ceasefires
from analysis.formatting import format_number
from analysis.sources import curated


def make_claims(rows: list[tuple]) -> pd.DataFrame:
    """A DATE_CLAIMS table from (claim_id, table, row_id, field, date, precision) tuples."""
    frame = pd.DataFrame(
        rows, columns=[c.DC_ID, c.DC_TABLE, c.DC_ROW_ID, c.DC_FIELD, c.DC_DATE, c.DC_PRECISION]
    )
    frame[c.DC_DATE] = pd.to_datetime(frame[c.DC_DATE])
    frame[c.DC_SOURCE_URL] = "https://example.org/claim"
    frame[c.DC_NOTE] = pd.NA
    return frame.astype({col: "string" for col in (c.DC_ID, c.DC_TABLE, c.DC_ROW_ID)})


def make_diplomatic(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col in c.DIPLOMATIC_EVENTS.column_names:
        if col not in frame:
            frame[col] = pd.NA
    for col in (c.DE_DATE_START, c.DE_DATE_END):
        frame[col] = pd.to_datetime(frame[col])
    return frame[c.DIPLOMATIC_EVENTS.column_names]


@pytest.fixture(scope="module")
def daily() -> pd.Series:
    rng = np.random.default_rng(7)
    days = pd.date_range("2020-01-01", "2020-12-31", freq="D")
    return pd.Series(rng.negative_binomial(2, 0.3, len(days)), index=days, dtype="int64")


# --- replacing dates ---------------------------------------------------------------------------


def test_with_claims_replaces_date_and_precision_and_moves_event_ends() -> None:
    cf = make_ceasefires(
        [{c.CF_ID: "a", c.CF_DECLARED_ON: "2020-05-01", c.CF_DATE_PRECISION: "day"}]
    )
    dip = make_diplomatic(
        [
            {c.DE_ID: "x", c.DE_DATE_START: "2020-03-03", c.DE_DATE_END: "2020-03-05"},
            {c.DE_ID: "y", c.DE_DATE_START: "2020-04-10", c.DE_DATE_END: "2020-04-10"},
        ]
    )
    claims = make_claims(
        [
            ("a1", "ceasefires", "a", c.CF_DECLARED_ON, "2020-05-01", "month"),
            ("x1", "diplomatic_events", "x", c.DE_DATE_START, "2020-03-01", "day"),
            ("y1", "diplomatic_events", "y", c.DE_DATE_START, "2020-04-01", "month"),
        ]
    )
    cf_new = sensitivity.with_claims(cf, "ceasefires", claims)
    assert cf_new.loc[0, c.CF_DATE_PRECISION] == "month"
    assert cf.loc[0, c.CF_DATE_PRECISION] == "day"  # the input is not modified
    dip_new = sensitivity.with_claims(dip, "diplomatic_events", claims)
    # x keeps its three days; y, now known only to the month, loses its end
    assert dip_new.loc[0, c.DE_DATE_END] == pd.Timestamp("2020-03-03")
    assert pd.isna(dip_new.loc[1, c.DE_DATE_END])
    assert dip_new.loc[1, c.DE_DATE_START] == pd.Timestamp("2020-04-01")


def test_with_claims_refuses_two_claims_for_one_field() -> None:
    cf = make_ceasefires([{c.CF_ID: "a", c.CF_DECLARED_ON: "2020-05-01"}])
    claims = make_claims(
        [
            ("a1", "ceasefires", "a", c.CF_DECLARED_ON, "2020-05-01", "day"),
            ("a2", "ceasefires", "a", c.CF_DECLARED_ON, "2020-05-03", "day"),
        ]
    )
    with pytest.raises(ValueError, match=r"one claim per row and field.*a1.*a2"):
        sensitivity.with_claims(cf, "ceasefires", claims)


def test_combinations_are_the_product_of_claims_per_field() -> None:
    claims = make_claims(
        [
            ("a1", "ceasefires", "a", c.CF_DECLARED_ON, "2020-05-01", "day"),
            ("a2", "ceasefires", "a", c.CF_DECLARED_ON, "2020-05-03", "day"),
            ("a3", "ceasefires", "a", c.CF_DECLARED_ON, "2020-05-04", "day"),
            ("b1", "ceasefires", "a", c.CF_EFFECTIVE_FROM, "2020-05-05", "day"),
            ("b2", "ceasefires", "a", c.CF_EFFECTIVE_FROM, "2020-05-06", "day"),
        ]
    )
    combos = sensitivity.claim_combinations(claims)
    picked = sorted(tuple(sorted(combo[c.DC_ID])) for combo in combos)
    assert picked == sorted((a, b) for a in ("a1", "a2", "a3") for b in ("b1", "b2"))


# --- 1. the effect under each date -------------------------------------------------------------


def ratio_of_means_by_hand(
    daily: pd.Series, declared: str, effective: str, until: str, pre_days: int
) -> float:
    """Rate ratio during / before, windows as documented: pre = the pre_days before the earlier
    of declaration and entry into force; during = entry into force to the last day."""
    first = min(pd.Timestamp(declared), pd.Timestamp(effective))
    pre = daily[first - pd.Timedelta(days=pre_days) : first - pd.Timedelta(days=1)]
    during = daily[pd.Timestamp(effective) : pd.Timestamp(until)]
    assert len(pre) == pre_days
    return during.mean() / pre.mean()


def test_effect_under_claims_matches_window_means_for_every_date(daily: pd.Series) -> None:
    cf = make_ceasefires(
        [
            {
                c.CF_ID: "truce",
                c.CF_DECLARED_ON: "2020-06-10",
                c.CF_DATE_PRECISION: "day",
                c.CF_EFFECTIVE_FROM: "2020-06-12",
                c.CF_EFFECTIVE_TO: "2020-08-31",
            }
        ]
    )
    claims = make_claims(
        [
            ("t/d/one", "ceasefires", "truce", c.CF_DECLARED_ON, "2020-06-10", "day"),
            ("t/d/two", "ceasefires", "truce", c.CF_DECLARED_ON, "2020-06-01", "day"),
            ("t/e/one", "ceasefires", "truce", c.CF_EFFECTIVE_FROM, "2020-06-12", "day"),
            ("t/e/two", "ceasefires", "truce", c.CF_EFFECTIVE_FROM, "2020-07-01", "day"),
            ("other", "ceasefires", "elsewhere", c.CF_DECLARED_ON, "2020-01-01", "day"),
        ]
    )
    result = sensitivity.effect_under_claims(daily, cf, claims, "truce", pre_days=60)
    table = result.table.set_index("claim_ids")
    expected = {"": ("2020-06-10", "2020-06-12")}
    for declared_id, declared in (("t/d/one", "2020-06-10"), ("t/d/two", "2020-06-01")):
        for effective_id, effective in (("t/e/one", "2020-06-12"), ("t/e/two", "2020-07-01")):
            expected[f"{declared_id};{effective_id}"] = (declared, effective)
    assert sorted(table.index) == sorted(expected)
    by_hand = {
        key: ratio_of_means_by_hand(daily, declared, effective, "2020-08-31", 60)
        for key, (declared, effective) in expected.items()
    }
    for key, value in by_hand.items():
        assert table.loc[key, "estimate"] == pytest.approx(value, rel=1e-6), key
    assert result.estimate_min == pytest.approx(min(by_hand.values()), rel=1e-6)
    assert result.estimate_max == pytest.approx(max(by_hand.values()), rel=1e-6)
    assert (
        f"ranges from {format_number(min(by_hand.values()))} to "
        f"{format_number(max(by_hand.values()))}" in result.sentence
    )
    assert list(result.claims[c.DC_ID]) == ["t/d/one", "t/d/two", "t/e/one", "t/e/two"]
    assert table.loc["t/d/one;t/e/one", "same_as_bundled"]
    assert not table.loc["t/d/two;t/e/one", "same_as_bundled"]
    shown = tables.date_sensitivity_table(result)
    assert len(shown) == 5 and shown["Rate ratio"].iloc[0] == format_number(by_hand[""])


def test_a_ceasefire_without_claims_says_so(daily: pd.Series) -> None:
    cf = make_ceasefires(
        [
            {
                c.CF_ID: "truce",
                c.CF_DECLARED_ON: "2020-06-10",
                c.CF_DATE_PRECISION: "day",
                c.CF_EFFECTIVE_TO: "2020-07-31",
            }
        ]
    )
    result = sensitivity.effect_under_claims(daily, cf, make_claims([]), "truce", pre_days=30)
    assert result.n_scenarios == 1
    assert result.sentence.startswith("No source in the date claims gives another date")


def test_bundled_mil_2022_matches_the_batch_estimator_on_hand_edited_tables() -> None:
    """On the bundled data: for each date of mil-2022's claims, edit the table by hand and run
    the batch (ratio-of-means) estimator, whose code path shares nothing with the NB2 fit."""
    ceasefires = load_ceasefires()
    claims = curated.load_date_claims(ceasefires=ceasefires)
    series = ev.load_daily_series(
        "ucdp_daily", "", "", "", start="2018-01-01", end="2023-12-31", actor_side="state"
    ).daily
    result = sensitivity.effect_under_claims(series, ceasefires, claims, "mil-2022", pre_days=90)
    table = result.table.set_index("claim_ids")
    with open(paths.curated_path("date_claims.csv"), encoding="utf-8") as handle:
        dates = {
            row["claim_id"]: row["date"]
            for row in csv.DictReader(handle)
            if row["row_id"] == "mil-2022"
        }
    assert len(dates) == 2
    for claim_id, date in dates.items():
        edited = ceasefires.copy()
        edited.loc[edited[c.CF_ID] == "mil-2022", c.CF_DECLARED_ON] = pd.Timestamp(date)
        row = edited[edited[c.CF_ID] == "mil-2022"]
        batch = batch_effects(series, row, pre_days=90).iloc[0]
        assert table.loc[claim_id, "estimate"] == pytest.approx(batch["estimate"], rel=1e-6)
        assert table.loc[claim_id, "events_pre"] == batch["events_pre"]


# --- 2. the timing test under drawn dates ------------------------------------------------------


def timing_inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Four declarations, a Russia calendar of three one-day events; one declaration's date is
    disputed: on a Russia event day (claim 'near') or 200 days from any (claim 'far')."""
    cf = make_ceasefires(
        [
            {c.CF_ID: f"d{i}", c.CF_DECLARED_ON: day, c.CF_DATE_PRECISION: "day"}
            for i, day in enumerate(["2021-03-02", "2021-06-15", "2022-01-10", "2022-09-01"])
        ]
    ).assign(**{c.CF_DECLARER_SIDE: "state"})
    dip = make_diplomatic(
        [
            {
                c.DE_ID: f"r{i}",
                c.DE_DATE_START: day,
                c.DE_DATE_END: day,
                c.DE_BLOC: "Russia",
                c.DE_KIND: "state_visit",
            }
            for i, day in enumerate(["2021-03-01", "2021-06-14", "2022-01-10"])
        ]
    )
    claims = make_claims(
        [
            ("d3/near", "ceasefires", "d3", c.CF_DECLARED_ON, "2022-01-11", "day"),
            ("d3/far", "ceasefires", "d3", c.CF_DECLARED_ON, "2022-09-01", "day"),
            ("r0/a", "diplomatic_events", "r0", c.DE_DATE_START, "2021-03-01", "day"),
            ("r0/b", "diplomatic_events", "r0", c.DE_DATE_START, "2021-02-20", "day"),
        ]
    )
    return cf, dip, claims


def test_timing_draws_match_a_test_rerun_on_tables_edited_by_hand() -> None:
    cf, dip, claims = timing_inputs()
    options = dict(study_start="2021-01-01", study_end="2022-12-31", n_permutations=199, seed=5)
    result = sensitivity.timing_under_claims(
        cf, dip, claims, blocs=["Russia"], n_draws=40, **options
    )
    chosen = result.choices.groupby("draw")[c.DC_ID].apply(set)
    claimed = claims.set_index(c.DC_ID)
    p_by_hand = {}
    for draw, ids in chosen.items():
        cf_edit, dip_edit = cf.copy(), dip.copy()
        for claim_id in ids:
            row, field, date = claimed.loc[claim_id, [c.DC_ROW_ID, c.DC_FIELD, c.DC_DATE]]
            if field == c.CF_DECLARED_ON:
                cf_edit.loc[cf_edit[c.CF_ID] == row, field] = date
            else:  # one-day events: the end moves with the start
                dip_edit.loc[dip_edit[c.DE_ID] == row, [c.DE_DATE_START, c.DE_DATE_END]] = date
        dates = pd.Series(cf_edit[c.CF_DECLARED_ON].to_numpy(), index=cf_edit[c.CF_ID])
        test = timing.timing_permutation_test(dates, dip_edit, blocs=("Russia",), **options)
        p_by_hand[draw] = float(test["p_value"].iloc[0])
    draws = result.draws.set_index("draw")["p_value"]
    assert draws.to_dict() == pytest.approx(p_by_hand)
    significant_by_hand = sum(p < 0.05 for p in p_by_hand.values())
    summary = result.summary.set_index("bloc").loc["Russia"]
    assert summary["draws_significant"] == significant_by_hand
    assert summary["share_significant"] == significant_by_hand / 40
    bundled = timing.timing_permutation_test(
        pd.Series(cf[c.CF_DECLARED_ON].to_numpy(), index=cf[c.CF_ID]),
        dip,
        blocs=("Russia",),
        **options,
    )["p_value"].iloc[0]
    same = sum((p < 0.05) == (bundled < 0.05) for p in p_by_hand.values())
    assert summary["share_same_conclusion"] == same / 40
    assert result.n_combinations == 4


def test_the_near_date_is_what_makes_the_test_significant() -> None:
    """Known truth: with 'near' every declaration sits within a day of a Russia event; with
    'far' one sits 200 days away. The significant draws are exactly those that drew 'near'."""
    cf, dip, claims = timing_inputs()
    result = sensitivity.timing_under_claims(
        cf,
        dip,
        claims[claims[c.DC_ROW_ID] == "d3"],
        blocs=["Russia"],
        study_start="2021-01-01",
        study_end="2022-12-31",
        n_permutations=499,
        seed=11,
        n_draws=300,
    )
    near = set(result.choices.loc[result.choices[c.DC_ID] == "d3/near", "draw"])
    significant = set(result.draws.loc[result.draws["significant"], "draw"])
    assert significant == near
    assert 0.4 < len(near) / 300 < 0.6  # one of two claims, drawn uniformly


def test_draws_are_reproducible_and_need_at_least_one() -> None:
    cf, dip, claims = timing_inputs()
    options = dict(blocs=["Russia"], study_start="2021-01-01", study_end="2022-12-31")
    first = sensitivity.timing_under_claims(
        cf, dip, claims, n_permutations=99, n_draws=10, **options
    )
    again = sensitivity.timing_under_claims(
        cf, dip, claims, n_permutations=99, n_draws=10, **options
    )
    pd.testing.assert_frame_equal(first.choices, again.choices)
    with pytest.raises(ValueError, match="n_draws must be at least 1"):
        sensitivity.timing_under_claims(cf, dip, claims, n_draws=0, **options)


# --- 3. a count beside the others --------------------------------------------------------------


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_nug_count_beside_the_others_for_the_same_weeks() -> None:
    counts = curated.load_reported_counts()
    result = sensitivity.counts_beside(counts, "nug-20250328-20250502")
    with open(paths.curated_path("reported_strike_counts.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    first, last = _day("2025-03-28"), _day("2025-05-02")
    overlapping = {
        row["count_id"]: row
        for row in rows
        if _day(row["period_start"]) <= last
        and (not row["period_end"] or _day(row["period_end"]) >= first)
    }
    table = result.table.set_index(c.RC_ID)
    assert set(table.index) == set(overlapping)
    assert result.table[c.RC_ID].iloc[0] == "nug-20250328-20250502"
    assert result.n_measure_kinds == len({row["measure_kind"] for row in overlapping.values()}) > 1
    for count_id, row in overlapping.items():
        # every count keeps its own number and its own words for what it counted: nothing summed
        assert table.loc[count_id, c.RC_MEASURE] == row["measure"]
        if row["strikes"]:
            assert table.loc[count_id, c.RC_STRIKES] == int(row["strikes"])
        if row["period_end"]:
            start, end = _day(row["period_start"]), _day(row["period_end"])
            shared = (min(end, last) - max(start, first)).days + 1
            assert table.loc[count_id, sensitivity.SHARED_DAYS] == shared
        else:
            assert pd.isna(table.loc[count_id, sensitivity.SHARED_DAYS])
    assert table.loc["nug-20250328-20250502", c.RC_STRIKES] == 282
    assert table.loc["nug-20250328-20250502", "per_day"] == pytest.approx(282 / 36)
    shown = tables.counts_beside_table(result)
    assert shown["What was counted"].iloc[0] == "air attacks"
    assert shown["Days shared"].iloc[0] == "same period"
    assert not any("total" in column.lower() or "sum" in column.lower() for column in shown)


def test_counts_beside_needs_a_known_closed_count() -> None:
    counts = curated.load_reported_counts()
    with pytest.raises(KeyError, match="unknown count_id 'nug-1999'"):
        sensitivity.counts_beside(counts, "nug-1999")
    with pytest.raises(ValueError, match="has no period_end"):
        sensitivity.counts_beside(counts, "nug-20250328-open")
