"""Same monitor, before vs during: pairing rules on hand-written count tables, and the exact
interval, p-value and MDE checked by simulation with a known rate ratio.

The count tables below are written here in the curated layout (reported_strike_counts.csv)
with made-up monitors, counts and dates in 2030; none is a published count.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.rates import power_poisson_ratio_2indep

from analysis import contract as c
from analysis import findings_reported, reported, reported_pairs, tables
from analysis.sources import curated
from analysis.status import STATUS_NO_EVENTS, STATUS_NO_PAIR, STATUS_NO_PRE, STATUS_ZERO_DURING

WINDOW = ("2030-04-02", "2030-06-30")
HEADER = [spec.name for spec in c.REPORTED_COUNTS.columns]
LEVEL_SE = 3  # Monte-Carlo bounds: three standard errors


def _row(count_id, monitor, kind, start, end, strikes, scope="national") -> dict[str, str]:
    return {
        c.RC_ID: count_id,
        c.RC_PERIOD_START: start,
        c.RC_PERIOD_END: end,
        c.RC_STRIKES: "" if strikes is None else str(strikes),
        c.RC_CIVILIAN_DEATHS: "" if strikes is not None else "3",
        c.RC_INJURED: "",
        c.RC_REPORTER: monitor,
        c.RC_MONITOR: monitor,
        c.RC_MEASURE: kind.replace("_", " "),
        c.RC_MEASURE_KIND: kind,
        c.RC_SCOPE: scope,
        c.RC_SOURCE_URL: f"https://example.org/{count_id}",
        c.RC_NOTE: "made-up row for a test",
    }


ROWS = [
    # monitor A: the closest pair, a shorter before count with the same end, a count that
    # overlaps the during count (spans both), and counts no pair may use
    _row("a-before", "A", "air_strikes", "2030-03-13", "2030-04-01", 40),
    _row("a-before-short", "A", "air_strikes", "2030-03-25", "2030-04-01", 12),
    _row("a-during", "A", "air_strikes", "2030-04-02", "2030-04-21", 30),
    _row("a-spans", "A", "air_strikes", "2030-03-28", "2030-04-24", 70),
    _row("a-after", "A", "air_strikes", "2030-07-05", "2030-07-20", 9),
    _row("a-open", "A", "air_strikes", "2030-04-05", "", 50),
    _row("a-casualties", "A", "civilian_casualties_only", "2030-03-01", "2030-03-30", None),
    _row("a-other-kind-before", "A", "aerial_attacks", "2030-03-01", "2030-03-30", 25),
    _row("a-days-before", "A", "days_with_air_strikes", "2030-03-01", "2030-03-30", 20),
    _row("a-days-during", "A", "days_with_air_strikes", "2030-04-02", "2030-04-30", 21),
    # B counts only during; C only sub-nationally; D with a bracketed breakdown; E "except"
    _row("b-during", "B", "air_strikes", "2030-04-02", "2030-04-30", 50),
    _row("c-before", "C", "air_strikes", "2030-03-01", "2030-03-30", 8, "12 states/regions"),
    _row("c-during", "C", "air_strikes", "2030-04-02", "2030-04-30", 9, "12 states/regions"),
    _row("d-before", "D", "aerial_attacks", "2030-02-01", "2030-03-20", 60, "national (X 5, Y 4)"),
    _row("d-during", "D", "aerial_attacks", "2030-04-10", "2030-05-09", 20, "National"),
    _row("e-before", "E", "air_strikes", "2030-03-01", "2030-03-30", 30, "national except Z"),
    _row("e-during", "E", "air_strikes", "2030-04-02", "2030-04-30", 30, "national"),
    # a before count by monitor F: B (during only) and F never pair across monitors
    _row("b-before-elsewhere", "F", "air_strikes", "2030-03-01", "2030-03-30", 30),
]


def _write(rows: list[dict[str, str]], path: Path) -> pd.DataFrame:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return curated.load_reported_counts(path)


@pytest.fixture
def counts(tmp_path: Path) -> pd.DataFrame:
    return _write(ROWS, tmp_path / "counts.csv")


def test_pairs_follow_the_rule(counts: pd.DataFrame) -> None:
    pairs = reported_pairs.within_monitor_pairs(counts, *WINDOW)
    found = set(zip(pairs[reported_pairs.BEFORE_ID], pairs[reported_pairs.DURING_ID], strict=True))
    # spans-both, after, open, casualty-only and day counts never pair; nor do different
    # monitors (B, F), kinds (A's aerial attacks), sub-national (C) or 'except' (E) scopes
    assert found == {
        ("a-before", "a-during"),
        ("a-before-short", "a-during"),
        ("d-before", "d-during"),
    }
    assert (pairs[reported_pairs.BEFORE_END] < pairs[reported_pairs.DURING_START]).all()
    by_pair = pairs.set_index([reported_pairs.BEFORE_ID, reported_pairs.DURING_ID])
    # 20 March to 10 April: 12 days in between for the window's start, 8 days into it
    assert by_pair.loc[("d-before", "d-during"), reported_pairs.GAP_DAYS] == 12
    assert by_pair.loc[("d-before", "d-during"), reported_pairs.DURING_OFFSET] == 8


def test_primary_is_the_closest_then_the_longest(counts: pd.DataFrame) -> None:
    primary = reported_pairs.primary_pair(counts, *WINDOW)
    # both A pairs end the day before the window; the 20-day before count is longer
    assert (primary.before_id, primary.during_id) == ("a-before", "a-during")
    assert primary.n_pairs == 3 and primary.pairs[reported_pairs.IS_PRIMARY].sum() == 1
    assert primary.rate_ratio == pytest.approx((30 / 20) / (40 / 20))
    shown = tables.pairs_display_table(primary.pairs)
    assert shown["Primary"].iloc[0] == "primary" and len(shown) == 3
    # reordered rows choose the same pair
    shuffled = counts.sample(frac=1, random_state=3).reset_index(drop=True)
    assert reported_pairs.primary_pair(shuffled, *WINDOW).before_id == "a-before"


def test_no_pair_within_the_gap_gives_a_status(counts: pd.DataFrame, tmp_path: Path) -> None:
    late = [r for r in ROWS if not r[c.RC_ID].startswith("a-before")]
    primary = reported_pairs.primary_pair(_write(late, tmp_path / "late.csv"), *WINDOW, 5)
    assert primary.status == STATUS_NO_PAIR and primary.n_pairs == 1  # D's gap is 12 days
    assert math.isnan(primary.rate_ratio) and primary.before_id == ""
    assert "no within-monitor estimate" in findings_reported.primary_sentence(primary, "cf")
    none = reported_pairs.primary_pair(counts[counts[c.RC_MONITOR] == "B"], *WINDOW)
    assert none.status == STATUS_NO_PAIR and none.n_pairs == 0


def test_hand_arithmetic_of_the_exact_interval_and_p() -> None:
    # conditional on 117 = 67 + 50 the during count is binomial; equal periods give pi0 = 1/2
    estimate = reported_pairs.pair_estimate(67, 20, 50, 20)
    low_share = stats.beta.ppf(0.025, 67, 117 - 67 + 1)
    high_share = stats.beta.ppf(0.975, 67 + 1, 117 - 67)
    assert estimate["ci_low"] == pytest.approx(low_share / (1 - low_share))
    assert estimate["ci_high"] == pytest.approx(high_share / (1 - high_share))
    assert estimate["p_fall"] == pytest.approx(stats.binom.cdf(67, 117, 0.5))


def test_zero_counts_get_statuses() -> None:
    zero_during = reported_pairs.pair_estimate(0, 20, 50, 20)
    assert zero_during["status"] == STATUS_ZERO_DURING and zero_during["rate_ratio"] == 0
    assert 0 < zero_during["ci_high"] < 0.1 and zero_during["p_fall"] < 1e-10
    assert reported_pairs.pair_estimate(5, 20, 0, 20)["status"] == STATUS_NO_PRE
    assert reported_pairs.pair_estimate(0, 20, 0, 20)["status"] == STATUS_NO_EVENTS


def _coverage(during: np.ndarray, before: np.ndarray, days: tuple[float, float], ratio: float):
    low, high = reported_pairs.exact_ratio_interval(during, days[0], before, days[1])
    return float(np.mean((low <= ratio) & (ratio <= high)))


@pytest.mark.parametrize("seed", [11, 12, 13])
@pytest.mark.parametrize("ratio", [0.5, 1.0, 1.34])
def test_poisson_coverage_is_at_least_nominal(seed: int, ratio: float) -> None:
    runs, before_mean, days = 4000, 50.0, (20.0, 20.0)
    rng = np.random.default_rng(seed)
    before = rng.poisson(before_mean, runs)
    during = rng.poisson(before_mean * ratio * days[0] / days[1], runs)
    coverage = _coverage(during, before, days, ratio)
    bound = LEVEL_SE * math.sqrt(0.95 * 0.05 / runs)
    # exact conditional intervals are conservative: at least 95%, not wildly over
    assert 0.95 - bound <= coverage <= 0.985


@pytest.mark.parametrize("seed", [21, 22])
def test_overdispersion_lowers_coverage_as_documented(seed: int) -> None:
    """Daily counts negative binomial (size k per day): the Poisson interval undercovers,
    the more so the smaller k, which is why a Poisson-only fall is called not robust."""
    runs, per_day, days, ratio = 4000, 2.5, 20, 1.34
    rng = np.random.default_rng(seed)
    coverage = {}
    for size in (5.0, 1.0):
        before = rng.negative_binomial(days * size, size / (size + per_day), runs)
        during = rng.negative_binomial(days * size, size / (size + per_day * ratio), runs)
        coverage[size] = _coverage(during, before, (days, days), ratio)
    bound = LEVEL_SE * math.sqrt(0.95 * 0.05 / runs)
    assert coverage[5.0] < 0.95 - bound
    assert coverage[1.0] < coverage[5.0] - 0.05
    assert coverage[1.0] < 0.85


@pytest.mark.parametrize("seed", [31, 32])
def test_p_for_a_fall_keeps_its_size(seed: int) -> None:
    runs = 1500
    rng = np.random.default_rng(seed)
    before, during = rng.poisson(40, runs), rng.poisson(40 * 10 / 30, runs)
    p_values = [
        reported_pairs.p_of_fall(int(d), 10, int(b), 30)
        for d, b in zip(during, before, strict=True)
    ]
    assert np.mean(np.array(p_values) < 0.05) <= 0.05 + LEVEL_SE * math.sqrt(0.05 * 0.95 / runs)


@pytest.mark.parametrize(("before", "before_days", "during_days", "seed"), [
    (50, 20, 20, 41), (819, 121, 3, 42), (30, 30, 10, 43),
])  # fmt: skip
def test_mde_is_detected_eighty_percent_of_the_time(
    before: int, before_days: float, during_days: float, seed: int
) -> None:
    mde = reported_pairs.mde_of_fall(before, before_days, during_days)
    runs = 6000
    rng = np.random.default_rng(seed)
    xb = rng.poisson(before, runs)
    xd = rng.poisson(mde * before / before_days * during_days, runs)
    _, high = reported_pairs.exact_ratio_interval(xd, during_days, xb, before_days)
    assert abs(np.mean(high < 1) - 0.8) <= LEVEL_SE * math.sqrt(0.8 * 0.2 / runs)
    # with no change the interval lies below 1 at most 2.5% of the time
    assert reported_pairs.power_of_fall(1.0, before, before_days, during_days) <= 0.025


def test_mde_agrees_with_the_normal_approximation_for_large_counts() -> None:
    before, days = 2000, 100.0
    mde = reported_pairs.mde_of_fall(before, days, days)
    rate = before / days
    power = power_poisson_ratio_2indep(
        mde * rate, rate, nobs1=days, value=1, alpha=0.025, alternative="smaller",
        return_results=False,
    )  # fmt: skip
    assert power == pytest.approx(0.8, abs=0.02)
    assert math.isnan(reported_pairs.mde_of_fall(3, 30, 3))  # even a halt is hard to see


def test_overdispersion_reading_and_its_words() -> None:
    read = reported_pairs.overdispersion_reading
    assert read(0.9, 1.9) == reported_pairs.ROBUST_NO_FALL
    assert read(1.1, 1.9) == reported_pairs.RISE_POISSON_ONLY
    assert read(0.3, 0.8) == reported_pairs.FALL_POISSON_ONLY
    words = findings_reported.OVERDISPERSION_WORDS
    assert words[reported_pairs.ROBUST_NO_FALL].startswith("No evidence of a fall")
    assert "not robust to overdispersion" in words[reported_pairs.FALL_POISSON_ONLY]
    assert "not robust to overdispersion" in words[reported_pairs.RISE_POISSON_ONLY]


def test_finding_sentence_on_a_fall(counts: pd.DataFrame, tmp_path: Path) -> None:
    rows = [r for r in ROWS if r[c.RC_ID] != "a-during"]
    rows.append(_row("a-during", "A", "air_strikes", "2030-04-02", "2030-04-21", 10))
    primary = reported_pairs.primary_pair(_write(rows, tmp_path / "fall.csv"), *WINDOW)
    assert primary.ci_high < 1 and primary.reading == reported_pairs.FALL_POISSON_ONLY
    found = findings_reported.reported_primary(primary, "cf-x")
    assert "A counted 10 air strikes from 2030-04-02 to 2030-04-21" in found.text
    assert "not robust to overdispersion" in found.text
    assert found.numbers[0].value == pytest.approx(10 / 40)
    rates = reported.rate_table(_write(rows, tmp_path / "fall.csv"), *WINDOW).rates
    combined = findings_reported.reported_counts(rates, "cf-x", primary)
    assert combined.text.startswith(found.text + " Descriptively, across the counts shown: of ")
    assert combined.numbers == found.numbers


def test_finding_sentence_on_a_lower_rate_whose_interval_includes_one(tmp_path: Path) -> None:
    rows = [r for r in ROWS if r[c.RC_ID] != "a-during"]
    rows.append(_row("a-during", "A", "air_strikes", "2030-04-02", "2030-04-21", 25))
    primary = reported_pairs.primary_pair(_write(rows, tmp_path / "lower.csv"), *WINDOW)
    # 25 of 65 with share 1/2 under no change: one-sided p about 0.04, interval up to about 1.04
    assert primary.p_fall == pytest.approx(stats.binom.cdf(25, 65, 0.5))
    assert primary.ci_low < 1 < primary.ci_high and primary.p_fall < 0.05
    text = findings_reported.primary_sentence(primary, "cf-x")
    assert "No clear fall: the interval includes 1" in text and "No evidence" not in text


def test_context_pairs_and_undetectable_falls_say_so(counts: pd.DataFrame, tmp_path: Path) -> None:
    # D's pair has a 12-day gap: with a 5-day limit it is context only, never "estimated"
    primary = reported_pairs.primary_pair(counts, *WINDOW, 5)
    shown = tables.pairs_display_table(primary.pairs, primary.max_gap_days).set_index("Before")
    d_row = shown.filter(like="d-before", axis=0).iloc[0]
    a_row = shown.filter(like="a-before:", axis=0).iloc[0]
    assert d_row["Status"] == "context only (gap > 5 days)"
    assert a_row["Status"] == "estimated" and a_row["Primary"] == "primary"
    assert "context only" in tables.pairs_caption(primary)
    # two events before in 3 days against 3 during days: no fall could be detected
    tiny = [
        _row("t-before", "T", "air_strikes", "2030-03-30", "2030-04-01", 2),
        _row("t-during", "T", "air_strikes", "2030-04-02", "2030-04-04", 1),
    ]
    few = reported_pairs.primary_pair(_write(tiny, tmp_path / "tiny.csv"), *WINDOW)
    assert math.isnan(few.mde)
    cell = tables.pairs_display_table(few.pairs)["Smallest detectable fall (ratio)"].iloc[0]
    assert cell == tables.reported.NO_DETECTABLE_FALL != "—"
