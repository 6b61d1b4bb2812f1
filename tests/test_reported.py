"""Per-day rates of published counts, checked against hand arithmetic on the bundled rows."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import contract as c
from analysis import paths, reported
from analysis.sources import curated

WINDOW = ("2025-04-02", "2025-06-30")  # the mil-eq-2025-04 chain


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    return curated.load_reported_counts()


@pytest.fixture(scope="module")
def raw_rows() -> dict[str, dict[str, str]]:
    with open(paths.curated_path("reported_strike_counts.csv"), encoding="utf-8") as handle:
        return {row["count_id"]: row for row in csv.DictReader(handle)}


def test_rows_used_below_say_what_the_hand_numbers_assume(raw_rows: dict) -> None:
    row = raw_rows["ohchr-20250328-20250429"]
    assert (row["period_start"], row["period_end"], row["strikes"]) == (
        "2025-03-28",
        "2025-04-29",
        "171",
    )
    row = raw_rows["nlta-20250502-20250508"]
    assert (row["period_start"], row["period_end"], row["strikes"]) == (
        "2025-05-02",
        "2025-05-08",
        "82",
    )
    assert raw_rows["bni-mpm-20250101-20250630"]["strikes"] == "637"


def test_daily_rates_by_hand(counts: pd.DataFrame) -> None:
    usable, _ = reported.split_usable(counts)
    rates = reported.daily_rates(usable).set_index(c.RC_ID)
    # 28-31 March is 4 days, 1-29 April is 29: 33 days, both ends counted
    assert rates.loc["ohchr-20250328-20250429", reported.DAYS] == 33
    assert rates.loc["ohchr-20250328-20250429", reported.PER_DAY] == pytest.approx(171 / 33)
    # 2-8 May: 7 days
    assert rates.loc["nlta-20250502-20250508", reported.PER_DAY] == pytest.approx(82 / 7)
    # Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30 = 181 days in 2025
    assert rates.loc["bni-mpm-20250101-20250630", reported.PER_DAY] == pytest.approx(637 / 181)


def test_classify_periods_by_hand(counts: pd.DataFrame) -> None:
    table = reported.classify_periods(counts, *WINDOW).set_index(c.RC_ID)
    assert table.loc["ohchr-20250402-20250404", reported.PHASE] == reported.DURING
    assert table.loc["myanmar-witness-20250313-20250401", reported.PHASE] == reported.BEFORE
    assert table.loc["ohchr-20250328-20250404", reported.PHASE] == reported.SPANS_BOTH
    assert table.loc["nug-20251201-20251231", reported.PHASE] == reported.AFTER
    # 1 January - 30 June covers the whole window: April 29 days (from the 2nd), May 31, June 30
    assert table.loc["bni-mpm-20250101-20250630", reported.DAYS_IN_WINDOW] == 29 + 31 + 30
    assert table.loc["ohchr-20250328-20250404", reported.DAYS_IN_WINDOW] == 3
    assert table.loc["myanmar-witness-20250313-20250401", reported.DAYS_IN_WINDOW] == 0
    with pytest.raises(ValueError, match="before it starts"):
        reported.classify_periods(counts, "2025-06-30", "2025-04-02")


def test_open_and_casualty_only_rows_are_excluded_with_a_reason(counts: pd.DataFrame) -> None:
    usable, excluded = reported.split_usable(counts)
    reasons = excluded.set_index(c.RC_ID)[reported.REASON]
    assert reasons["nug-20250328-open"] == reported.NO_END_REASON
    assert reasons["nug-20250101-20251231"] == reported.NO_COUNT_REASON
    assert len(usable) + len(excluded) == len(counts)
    assert usable[c.RC_STRIKES].notna().all() and usable[c.RC_PERIOD_END].notna().all()


def test_overlaps_are_flagged_only_within_monitor_and_measure(counts: pd.DataFrame) -> None:
    flagged = reported.flag_overlaps(counts).set_index(c.RC_ID)[reported.OVERLAPS_WITH]
    # NUG air-strike counts sharing a day with 29 Apr - 13 May 2025: the two open 'since'
    # totals, 28 Mar - 2 May and 28 Mar - 23 May; not the casualty-only 2025 count (another
    # measure_kind)
    assert set(flagged["nug-20250429-20250513"].split(";")) == {
        "nug-20210201-open",
        "nug-20250328-open",
        "nug-20250328-20250502",
        "nug-20250328-20250523",
    }
    assert flagged["tnla-20250501-20250531"] == ""


def test_rates_are_never_combined(counts: pd.DataFrame) -> None:
    table = reported.rate_table(counts, *WINDOW)
    rates, excluded = table.rates, table.excluded
    assert len(rates) + len(excluded) == len(counts)  # one row per count, nothing summed
    summary = reported.phase_summary(rates)
    nug_during = summary[
        (summary[c.RC_MONITOR] == "National Unity Government")
        & (summary[reported.PHASE] == reported.DURING)
        & (summary[c.RC_MEASURE_KIND] == "air_strikes")
    ].iloc[0]
    # NUG counts wholly inside the window: 3-13 Apr (68 / 11) and 29 Apr - 13 May (58 / 15)
    assert nug_during["counts"] == 2
    assert nug_during["min_per_day"] == pytest.approx(58 / 15)
    assert nug_during["max_per_day"] == pytest.approx(68 / 11)


def test_select_counts_checks_names(counts: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="unknown measure_kind"):
        reported.select_counts(counts, measure_kinds=["airstrikes"])
    with pytest.raises(ValueError, match="not in the table"):
        reported.select_counts(counts, monitors=["OHCHR"])
    chosen = reported.select_counts(
        counts, measure_kinds=["attacks_all_types"], start="2025-04-05", end="2025-04-30"
    )
    # 28 Mar - 4 Apr ends before the 5th; the other two OHCHR all-types counts overlap
    assert set(chosen[c.RC_ID]) == {"ohchr-20250328-20250411", "ohchr-20250402-20250424"}
