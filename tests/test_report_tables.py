"""Readable report tables: numbers rounded as documented, dates as YYYY-MM-DD, no row
numbers, curated text escaped. Expected strings are written out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import alignment, effects, reported
from analysis import contract as c
from analysis import formatting as fm
from analysis import placebo as pl
from analysis import tables as tb
from analysis import time_series as ts
from analysis import windows as wn


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.880597, "0.881"),
        (1234.5, "1,230"),  # thousands separated, as counts are
        (-12345.0, "−12,300"),
        (0.000123456, "0.000123"),
        (0.5, "0.5"),
        (-0.25, "−0.25"),
        (0.0, "0"),
        (math.inf, "∞"),
        (math.nan, "—"),
        (None, "—"),
        (pd.NA, "—"),
    ],
)
def test_format_number_uses_significant_digits_without_exponents(value, text) -> None:
    assert fm.format_number(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(4.1e-9, "<0.001"), (0.0116, "0.012"), (0.001, "0.001"), (0.9872, "0.99"), (1.0, "1")],
)
def test_format_p(value, text) -> None:
    assert fm.format_p(value) == text


def test_intervals_dates_and_statuses() -> None:
    assert fm.format_interval(0.51154, 1.5159) == "0.512–1.52"
    assert fm.format_interval(math.nan, math.nan) == "—"
    assert fm.format_date(pd.Timestamp("2022-11-01 00:00:00")) == "2022-11-01"
    assert fm.format_date(pd.Timestamp("2022-11-01"), "month") == "2022-11 (month only)"
    assert fm.format_date(pd.NaT) == "—"
    assert fm.format_status("zero_during") == "no events during"
    assert fm.format_note("one thing. another: yes.") == "One thing. Another: yes."


def test_report_table_hides_row_numbers_escapes_text_and_links_sources() -> None:
    table = pd.DataFrame(
        {"What": ["<b>bold</b>", "x"], "Source": ["https://www.example.org/a?b=1", None]}
    )
    html = fm.report_table(table, caption="A & B").to_html()
    assert "row_heading" not in html  # no index column
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html
    assert '<a href="https://www.example.org/a?b=1">example.org</a>' in html
    assert "A &amp; B" in html


def test_facts_table_formats_each_kind_of_value() -> None:
    facts = fm.facts_table(
        {
            "day": pd.Timestamp("2023-12-31"),
            "share": 0.123456,
            "count": 3439,
            "flag": True,
            "list": ["AA", "KIA"],
            "empty": [],
        }
    )
    assert list(facts["Value"]) == ["2023-12-31", "0.123", "3,439", "yes", "AA, KIA", "all"]


def _result(estimate, low, high, p, status="ok", note="") -> effects.EffectResult:
    return effects.EffectResult(estimate, low, high, p, 90, 180, status, note, "x", "m", 40, 10)


def test_summary_table_rows_and_rounding() -> None:
    day = pd.Timestamp("2022-01-01")
    windows = wn.Windows("x", day, day, day, day, pd.NaT, pd.NaT, day, day, "exclude", "")
    placebo = pl.PlaceboResult(math.log(0.5), 0.2, 99, 500, 1, False, "ok", "")
    effect = effects.CeasefireEffect(
        windows, _result(0.50004, 0.25, 1.0, 0.0004), None, placebo, placebo
    )
    its = ts.ITSResult(
        _result(math.nan, math.nan, math.nan, math.nan, "zero_during", "no events during."),
        _result(1.2345, 0.9, 1.7, 0.3),
        "",
    )
    table = tb.summary_table(effect, its)
    assert list(table["Comparison"]) == [
        "During vs before",
        "Level change at entry into force (ITS)",
        "Trend change per 30 days (ITS)",
    ]
    assert list(table.iloc[0][["Rate ratio", "95% interval", "p-value"]]) == [
        "0.5",
        "0.25–1",
        "<0.001",
    ]
    assert list(table.iloc[1][["Rate ratio", "95% interval", "Result"]]) == [
        "—",
        "—",
        "no events during",
    ]
    assert table.iloc[2]["Rate ratio"] == "1.23"
    assert table.iloc[0]["Events before"] == "40"
    # the placebo table shows ratios, not log ratios
    assert tb.placebo_table(effect).iloc[0]["Observed rate ratio"] == "0.5"


def test_ceasefire_table_marks_month_precision_and_open_ends() -> None:
    rows = pd.DataFrame(
        {
            c.CF_ID: ["a"],
            c.CF_DECLARED_ON: [pd.Timestamp("2022-11-01")],
            c.CF_DATE_PRECISION: ["month"],
            c.CF_EFFECTIVE_FROM: [pd.Timestamp("2022-11-24")],
            c.CF_EFFECTIVE_TO: [pd.NaT],
            c.CF_DECLARED_BY: ["someone"],
            c.CF_KIND: ["bilateral"],
            c.CF_BROKER: [None],
            c.CF_SCOPE: ["Rakhine State"],
            c.CF_SOURCE_URL: ["https://example.org/x"],
        }
    )
    row = tb.ceasefire_table(rows).iloc[0]
    assert (row["Declared"], row["In force from"], row["Until"], row["Broker"]) == (
        "2022-11 (month only)",
        "2022-11-24",
        "open-ended",
        "none",
    )


def test_ceasefire_table_lists_several_brokers_as_people_write_them() -> None:
    rows = pd.DataFrame(
        {
            c.CF_ID: ["100001", "100002"],
            c.CF_DECLARED_ON: pd.to_datetime(["2016-06-23", "2017-01-05"]),
            c.CF_DATE_PRECISION: ["day", "day"],
            c.CF_EFFECTIVE_FROM: pd.to_datetime(["2016-06-23", "2017-01-05"]),
            c.CF_EFFECTIVE_TO: [pd.NaT, pd.NaT],
            c.CF_DECLARED_BY: ["someone", "someone"],
            c.CF_KIND: ["bilateral", "unilateral"],
            c.CF_BROKER: ["Cuba;Norway", ""],  # ETH/PRIO mediators, none for the second
            c.CF_SCOPE: ["national", "national"],
            c.CF_SOURCE_URL: ["https://example.org/x", "https://example.org/x"],
        }
    )
    assert tb.ceasefire_table(rows)["Broker"].tolist() == ["Cuba, Norway", "none"]


def test_pooled_heterogeneity_is_blank_for_a_single_estimate() -> None:
    pooled = pd.DataFrame(
        {
            c.CF_BROKER_BLOC: ["China", "none"],
            "k": [1, 4],
            "pooled_rr": [0.5, 1.0],
            "ci_low": [0.4, 0.8],
            "ci_high": [0.7, 1.25],
            "p_value": [0.0001, 0.99],
            "i2": [1.0, 0.456],
            "k_excluded": [0, 2],
        }
    )
    table = tb.pooled_table({"broker bloc": pooled})
    assert list(table["Heterogeneity I² (%)"]) == ["—", "46"]
    assert list(table["Group"]) == ["China", "none (unbrokered)"]


def test_timing_table_rounds_days_and_shows_the_null_range() -> None:
    test = pd.DataFrame(
        {
            "bloc": ["China"],
            "n_dates": [12],
            "n_chains": [5],
            "n_bloc_events": [2],
            "observed_mean_days": [560.5],
            "observed_median_days": [754.0],
            "null_mean_days": [327.131],
            "null_q05_days": [168.66],
            "null_q95_days": [499.34],
            "p_value": [0.9872],
            "p_holm": [1.0],
            "p_any_bloc": [0.0334],
            "resolution": [1e-4],
            "null": ["chain_jitter"],
            "jitter_days": [90],
            "n_permutations": [9999],
            "note": ["fewer than 3 events of this bloc."],
        }
    )
    row = tb.timing_table(test).iloc[0]
    assert row["Chains moved: mean (90% range)"] == "327 (169–499)"
    assert row["Declarations (chains)"] == "12 (5)"
    caption = tb.timing_caption(test)
    assert "5 extension chains moved by at most ±90 days" in caption
    assert "p cannot go below 0.0001" in caption and "any bloc: p = 0.033" in caption
    assert "Holm-adjusted over 1 bloc, not below 0.0001" in caption
    assert row["Median days to nearest event"] == "754"
    assert row["Note"] == "Fewer than 3 events of this bloc."


def test_timing_caption_gives_the_floor_of_the_holm_adjusted_p_values() -> None:
    # four blocs, one without events (not tested): Holm multiplies by 3, not 4
    test = pd.DataFrame(
        {
            "bloc": ["China", "Russia", "ASEAN", "India"],
            "n_chains": [7] * 4,
            "n_bloc_events": [4, 6, 0, 2],
            "p_any_bloc": [0.2] * 4,
            "resolution": [1 / 200] * 4,
            "null": ["chain_shift"] * 4,
            "n_permutations": [199] * 4,
        }
    )
    caption = tb.timing_caption(test)
    assert "p cannot go below 0.005;" in caption
    assert "Holm-adjusted over 3 blocs, not below 0.015" in caption


def test_cox_and_median_tables_say_unbrokered() -> None:
    cox = pd.DataFrame(
        {
            "term": ["broker_bloc_China"],
            "hazard_ratio": [1.743748],
            "ci_low": [0.222471],
            "ci_high": [13.66766],
            "p_value": [0.596602],
            "n": [24],
            "events": [22],
        }
    )
    row = tb.cox_table(cox).iloc[0]
    assert (row["Compared"], row["Hazard ratio"], row["95% interval"], row["p-value"]) == (
        "China vs unbrokered",
        "1.74",
        "0.222–13.7",
        "0.6",
    )
    medians = pd.DataFrame(
        {
            "group": ["none", "Japan"],
            "n": [21, 2],
            "breakdowns": [19, 1],
            "median_days": [4.0, np.nan],
        }
    )
    assert list(tb.median_table(medians)["Median days held"]) == ["4", "not reached"]


def test_cox_table_says_not_estimable_on_separation_and_incidence_reads_horizons() -> None:
    cox = pd.DataFrame(
        {
            "term": ["broker_bloc_Japan"],
            "hazard_ratio": [np.nan],
            "ci_low": [np.nan],
            "ci_high": [np.nan],
            "p_value": [np.nan],
            "n": [6],
            "events": [6],
            "status": ["separation"],
        }
    )
    assert tb.cox_table(cox).iloc[0]["Hazard ratio"] == "not estimable (separation)"
    cif = pd.DataFrame(
        {
            "group": ["none", "none"],
            "time": [10.0, 100.0],
            "n_risk": [4, 2],
            "breakdown": [0.25, 0.5],
            "expired": [0.0, 0.25],
            "survival": [0.75, 0.25],
        }
    )
    shown = tb.incidence_table(cif, days=(5, 30, 365))
    assert list(shown["Broken down"]) == ["0", "0.25", "0.5"]
    assert list(shown["Still holding"]) == ["1", "0.75", "0.25"]
    assert list(shown["At risk"]) == ["4", "2", "0"]


def test_did_and_displacement_tables() -> None:
    did = alignment.DidResult(
        0.0, 0.0, 0.1123, 1.2e-9, math.nan, 14, 1, 52, 48, 0, "zero_during", ""
    )
    row = tb.did_table(did).iloc[0]
    assert (row["95% interval"], row["p-value (clustered)"], row["Placebo p-value"]) == (
        "0–0.112",
        "<0.001",
        "—",
    )
    shift = tb.displacement_table(
        {
            "target": alignment.Displacement(
                shares=pd.DataFrame(),
                total_variation_distance=0.0946,
                chi2_p_value=2e-15,
                placebo_p_value=0.952,
                n_pre_periods=26,
                n_post_periods=26,
            )
        }
    ).iloc[0]
    assert shift["Shift in shares (percentage points)"] == "9.5"
    assert shift["Periods before / after"] == "26 / 26"


def test_reported_rates_table_keeps_phases_and_overlaps_readable() -> None:
    rates = pd.DataFrame(
        {
            c.RC_ID: ["x1", "x2"],
            c.RC_MONITOR: ["M", "M"],
            c.RC_MEASURE_KIND: ["air_strikes", "air_strikes"],
            c.RC_SCOPE: ["national", "national"],
            c.RC_PERIOD_START: pd.to_datetime(["2025-03-28", "2025-04-02"]),
            c.RC_PERIOD_END: pd.to_datetime(["2025-04-24", "2025-04-04"]),
            c.RC_STRIKES: [140, 16],
            reported.DAYS: [28.0, 3.0],
            reported.PER_DAY: [5.0, 16 / 3],
            reported.PHASE: [reported.SPANS_BOTH, reported.DURING],
            reported.DAYS_IN_WINDOW: [23.0, 3.0],
            reported.OVERLAPS_WITH: ["x2", "x1"],
        }
    )
    table = tb.rates_display_table(rates)
    assert list(table["Relative to the ceasefire"]) == ["spans both (23 days inside)", "during"]
    assert list(table["Per day"]) == ["5", "5.33"]
    assert list(table["Period"]) == ["2025-03-28 to 2025-04-24", "2025-04-02 to 2025-04-04"]
    assert list(table["Reported"]) == ["140 in 28 days", "16 in 3 days"]
    summary = pd.DataFrame(
        {
            c.RC_MEASURE_KIND: ["air_strikes"] * 2,
            c.RC_MONITOR: ["M", "N"],
            reported.PHASE: [reported.BEFORE, reported.DURING],
            "counts": [2, 1],
            "min_per_day": [2.09, 5.0],
            "max_per_day": [6.77, 5.0],
        }
    )
    assert list(tb.phase_summary_table(summary)["Per day (lowest–highest)"]) == [
        "2.09–6.77",
        "5",
    ]


def test_recorded_numbers_block_is_escaped_and_compact() -> None:
    from analysis.results import results_html

    block = results_html(
        {"<script>x</script>": "<img src=x onerror=alert(1)>", "ratio": 0.123456789}
    )
    assert "<script>" not in block and "<img" not in block
    assert "&lt;script&gt;" in block and "0.1235" in block
    assert block.startswith("<details")


def test_ratio_intervals_beyond_a_thousandfold_read_as_bounds() -> None:
    assert fm.format_ratio_interval(0.000000191, 160000) == "<0.001 to >1,000"
    assert fm.format_ratio_interval(0.0000721, 101000) == "<0.001 to >1,000"
    assert fm.format_ratio_interval(0.0071, 56.9) == "0.0071–56.9"
    assert fm.format_ratio_interval(0.0, 0.112) == "0–0.112"  # a zero stays a zero
    assert fm.format_ratio_interval(0.411, 2000) == "0.411 to >1,000"
    assert fm.format_ratio_interval(math.nan, math.nan) == "—"
    pooled = pd.DataFrame({"ci_low": [1e-5, 0.2], "ci_high": [5.0, 3.0]})
    assert fm.format_intervals(pooled) == ["<0.001 to 5", "0.2–3"]
