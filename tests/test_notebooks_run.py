"""Notebooks 03-05 run under papermill with small, non-default parameters, and one recorded
number of each matches a value computed here, independently, from the bundled CSV files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import papermill as pm
import pytest
from scipy import stats

from analysis import counterfactual, paths, results
from analysis.windows import Windows

NOTEBOOKS = paths.PROJECT_ROOT / "notebooks"


def _run(name: str, parameters: dict, tmp_path: Path) -> dict:
    output = tmp_path / name
    pm.execute_notebook(
        str(NOTEBOOKS / name),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(tmp_path),  # notebooks must not depend on the working directory
        progress_bar=False,
    )
    return results.read_results(output)


def _rows(name: str) -> list[dict[str, str]]:
    with open(paths.curated_path(name), encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_timing_notebook(tmp_path: Path) -> None:
    start, end = "2021-01-01", "2023-06-30"
    recorded = _run(
        "03_ceasefire_timing.ipynb",
        {
            "blocs": ["Russia", "ASEAN"],
            "study_start": start,
            "study_end": end,
            "window_days": 10,
            "n_permutations": 199,
        },
        tmp_path,
    )
    declared = [
        _day(row["declared_on"] or row["effective_from"])
        for row in _rows("ceasefires.csv")
        if row["declarer_side"] == "state" and row["date_precision"] in ("day", "")
    ]
    in_window = [d for d in declared if _day(start) <= d <= _day(end)]
    assert recorded["n_declarations"] == len(in_window) > 5
    # Russia's dated events (at most 31 days long): distance from each declaration to the
    # nearest one, by brute force over every event day
    russia_days = set()
    for row in _rows("diplomatic_events.csv"):
        first = _day(row["date_start"])
        last = _day(row["date_end"]) if row["date_end"] else first
        if row["bloc"] == "Russia" and (last - first).days < 31:
            russia_days |= {first + dt.timedelta(days=k) for k in range((last - first).days + 1)}
    distances = sorted(min(abs((d - e).days) for e in russia_days) for d in in_window)
    middle = len(distances) // 2
    median = (
        distances[middle] if len(distances) % 2 else (distances[middle - 1] + distances[middle]) / 2
    )
    assert recorded["timing_Russia_observed_median_days"] == median
    assert 0 < recorded["timing_Russia_p_value"] <= 1
    assert recorded["study_Russia_k"] >= 1
    # the rerun under the date claims: as many combinations as the claims file allows (the
    # product of claims per disputed field); inside 2021 - mid-2023 only mil-2022 of the
    # declarations tested is disputed (7 Jan or 28 Feb 2022)
    per_field: dict[tuple[str, str], int] = {}
    for claim in _rows("date_claims.csv"):
        key = (claim["row_id"], claim["field"])
        per_field[key] = per_field.get(key, 0) + 1
    combinations = 1
    for n in per_field.values():
        combinations *= n
    assert recorded["date_claims_n_combinations"] == combinations
    assert recorded["date_claims_n_draws"] == 200
    for bloc in ("Russia", "ASEAN"):
        share = recorded[f"date_claims_{bloc}_share_same_conclusion"]
        assert 0 <= share <= 1
        p_values = recorded[f"date_claims_{bloc}_p_min"], recorded[f"date_claims_{bloc}_p_max"]
        assert p_values[0] <= recorded[f"timing_{bloc}_p_value"] <= p_values[1]


def test_alignment_notebook(tmp_path: Path) -> None:
    series_start, series_end, pre_days = "2019-01-01", "2023-12-31", 60
    recorded = _run(
        "04_alignment.ipynb",
        {
            "series_start": series_start,
            "pre_days": pre_days,
            "pre_periods": 20,
            "post_periods": 12,
            "n_placebo_dates": 5,
        },
        tmp_path,
    )
    government = {}  # day -> lethal events initiated by the government (UCDP side_a)
    with open(paths.ucdp_daily_path(), encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["side_a"] == "Government of Myanmar (Burma)":
                day = _day(row["date"])
                government[day] = government.get(day, 0) + int(row["events"])
    first, last = _day(series_start), _day(series_end)
    estimated = 0
    for row in _rows("ceasefires.csv"):
        declared = _day(row["declared_on"] or row["effective_from"])
        effective = _day(row["effective_from"] or row["declared_on"])
        pre_start = min(declared, effective) - dt.timedelta(days=pre_days)
        if pre_start < first or effective > last:
            continue  # windows outside the series
        if (last - effective).days + 1 < 7:
            continue  # during window too short once cut at the end of the data
        pre_events = sum(
            government.get(pre_start + dt.timedelta(days=k), 0) for k in range(pre_days)
        )
        estimated += pre_events > 0
    assert recorded["n_ceasefires_estimated"] == estimated > 10
    # part (c)'s primary estimate of the AA truce is counterfactual_effect on the same days,
    # built here from the CSV: declared in November 2022, in force 24 November, open-ended
    days = pd.date_range(first, last, freq="D")
    series = pd.Series([float(government.get(d.date(), 0)) for d in days], index=days)
    aa = Windows(
        ceasefire_id="aa-mil-2022-11",
        declared=pd.Timestamp("2022-11-01"),
        effective=pd.Timestamp("2022-11-24"),
        pre_start=pd.Timestamp("2022-11-01") - pd.Timedelta(days=pre_days),
        pre_end=pd.Timestamp("2022-10-31"),
        interim_start=pd.NaT,
        interim_end=pd.NaT,
        during_start=pd.Timestamp("2022-11-24"),
        during_end=pd.Timestamp("2022-11-24") + pd.Timedelta(days=179),
        gap="exclude",
        note="",
    )
    primary = counterfactual.counterfactual_effect(series, aa)
    assert recorded["ceasefire_aa-mil-2022-11_primary_estimate"] == pytest.approx(
        primary.estimate, rel=1e-9
    )
    assert recorded["ceasefire_aa-mil-2022-11_primary_mde"] == pytest.approx(primary.mde)
    assert 0 <= recorded["n_ceasefires_primary_fell"] <= recorded["n_ceasefires_primary_estimated"]
    assert recorded["did_status"] in ("ok", "zero_during")
    assert recorded["truce_effective"] == "2022-11-24"
    # the space-time test reports its floor; p can never be below it
    floor = recorded["did_space_time_resolution"]
    assert floor == 1 / (1 + recorded["did_space_time_n_pseudo"])
    assert recorded["did_space_time_p_value"] >= floor
    assert recorded["did_synthetic_p_value"] >= recorded["did_synthetic_resolution"]


def test_reported_counts_notebook(tmp_path: Path) -> None:
    monitors = ["UN OHCHR", "National Unity Government"]
    recorded = _run(
        "05_reported_counts.ipynb",
        {"monitors": monitors, "measure_kinds": ["air_strikes"]},
        tmp_path,
    )
    rows = {row["count_id"]: row for row in _rows("reported_strike_counts.csv")}
    row = rows["ohchr-20250328-20250429"]
    days = (_day(row["period_end"]) - _day(row["period_start"])).days + 1
    assert recorded["rate_ohchr-20250328-20250429"] == pytest.approx(int(row["strikes"]) / days)
    # the chain runs 2 April - 30 June 2025; 3-13 April lies inside it
    assert recorded["phase_nug-20250403-20250413"] == "during"
    in_range = [
        r
        for r in rows.values()
        if r["monitor"] in monitors
        and _day(r["period_start"]) <= _day("2025-09-30")
        and (not r["period_end"] or _day(r["period_end"]) >= _day("2024-01-01"))
    ]
    excluded = sorted(r["count_id"] for r in in_range if not r["period_end"] or not r["strikes"])
    assert sorted(recorded["excluded_ids"]) == excluded
    assert not any(key.startswith("rate_isp") for key in recorded)  # monitor filter applied
    # the NUG's 282 air attacks (28 Mar - 2 May 2025) beside every count sharing its days,
    # whatever the monitor filter above
    beside = [
        r
        for r in rows.values()
        if _day(r["period_start"]) <= _day("2025-05-02")
        and (not r["period_end"] or _day(r["period_end"]) >= _day("2025-03-28"))
    ]
    assert recorded["beside_n_counts"] == len(beside)
    assert recorded["beside_n_measure_kinds"] == len({r["measure_kind"] for r in beside})
    _check_primary_pair(recorded)


def _check_primary_pair(recorded: dict) -> None:
    """The primary pair, found here with pandas from the CSV: same monitor and measure kind,
    both national, one count ending before 2 April 2025 (at most 90 days before) and one
    wholly inside 2 April - 30 June; the closest before count wins. Whatever the monitor
    filter of the run, the pairs come from every count."""
    start, end = pd.Timestamp("2025-04-02"), pd.Timestamp("2025-06-30")
    assert (recorded["window_start"], recorded["window_end"]) == ("2025-04-02", "2025-06-30")
    table = pd.read_csv(
        paths.curated_path("reported_strike_counts.csv"), parse_dates=["period_start", "period_end"]
    ).dropna(subset=["strikes", "period_end"])
    table = table[
        table["scope"].str.split("(").str[0].str.strip().eq("national")
        & table["measure_kind"].isin(["air_strikes", "aerial_attacks", "attacks_all_types"])
    ]
    before = table[
        (table["period_end"] < start) & (table["period_end"] >= start - pd.Timedelta(days=91))
    ]
    during = table[(table["period_start"] >= start) & (table["period_end"] <= end)]
    pairs = before.merge(during, on=["monitor", "measure_kind"], suffixes=("_b", "_d"))
    best = pairs.sort_values("period_end_b", ascending=False).iloc[0]
    assert (
        recorded["primary_before_id"] == best["count_id_b"] == "myanmar-witness-20250313-20250401"
    )
    assert (
        recorded["primary_during_id"] == best["count_id_d"] == "myanmar-witness-20250402-20250421"
    )
    days_b = (best["period_end_b"] - best["period_start_b"]).days + 1
    days_d = (best["period_end_d"] - best["period_start_d"]).days + 1
    # 67 in 20 days against 50 in 20 days: ratio 1.34; conditional on the 117, the during
    # count is binomial with share 1/2 under no change (Clopper-Pearson ends, mapped to ratios)
    during, total = best["strikes_d"], best["strikes_d"] + best["strikes_b"]
    assert recorded["primary_rate_ratio"] == pytest.approx(
        (during / days_d) / (best["strikes_b"] / days_b)
    )
    low = stats.beta.ppf(0.025, during, total - during + 1)
    high = stats.beta.ppf(0.975, during + 1, total - during)
    scale = days_b / days_d
    assert recorded["primary_ci_low"] == pytest.approx(low / (1 - low) * scale)
    assert recorded["primary_ci_high"] == pytest.approx(high / (1 - high) * scale)
    assert recorded["primary_ci_low"] < 1 < recorded["primary_ci_high"]  # no evidence of a fall
    assert recorded["primary_p_fall"] == pytest.approx(
        stats.binom.cdf(during, total, 1 / (1 + scale))
    )
    assert recorded["primary_status"] == "ok" and 0 < recorded["primary_mde"] < 1
    assert recorded["finding"].startswith("Myanmar Witness (CIR) counted 67 aerial attacks")
    assert "No evidence of a fall" in recorded["finding"]
