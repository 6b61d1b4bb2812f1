"""Ceasefire survival: breakdown dates, censoring, Kaplan-Meier and Cox against known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import contract as c
from analysis import survival as sv
from analysis.ceasefire_table import load_ceasefires


def _table(starts: pd.DatetimeIndex, ends: list, kinds: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            c.CF_ID: pd.array([f"cf{i}" for i in range(len(starts))], dtype="string"),
            c.CF_DECLARED_ON: starts,
            c.CF_EFFECTIVE_FROM: starts,
            c.CF_EFFECTIVE_TO: pd.to_datetime(pd.Series(ends)),
            c.CF_KIND: pd.array(kinds, dtype="string"),
        }
    )


def test_breakdown_dates_and_censoring_on_a_hand_made_series() -> None:
    index = pd.date_range("2021-01-01", periods=60, freq="D")
    y = np.zeros(60)
    y[[5, 20, 21, 50]] = 1
    table = _table(
        pd.DatetimeIndex(["2021-01-03", "2021-01-07", "2021-01-23", "2021-02-25", "2021-04-01"]),
        ["2021-01-30", "2021-01-15", None, None, None],
        ["unilateral"] * 5,
    )
    out = sv.breakdown_table(table, pd.Series(y, index=index))
    # first strike on day 5 (Jan 6): 4 days after a Jan 3 start, counting the start day
    assert out.loc[0, sv.BROKE_DOWN] and out.loc[0, sv.DURATION] == 4
    # Jan 7 start, ends Jan 15, next strike Jan 21: censored at its end
    assert not out.loc[1, sv.BROKE_DOWN] and out.loc[1, sv.DURATION] == 9
    # Jan 23 start, open-ended: next strike Feb 20
    assert out.loc[2, sv.BROKE_DOWN] and out.loc[2, sv.DURATION] == 29
    # Feb 25 start, open-ended, no later strike: censored at the end of data (Mar 1)
    assert not out.loc[3, sv.BROKE_DOWN] and out.loc[3, sv.DURATION] == 5
    assert out.loc[4, "status"] == "starts_outside_data"


def test_kaplan_meier_and_cox_recover_known_hazards() -> None:
    rng = np.random.default_rng(1)
    n, days = 300, 400
    index = pd.date_range("2019-01-01", periods=days, freq="D")
    kinds = np.where(np.arange(n) % 2 == 0, "unilateral", "bilateral")
    rate = np.where(kinds == "unilateral", 0.10, 0.05)  # true hazard ratio bilateral: 0.5
    start = index[100]
    series = {}
    for i in range(n):  # each ceasefire has its own counterparty series
        y = rng.poisson(0.3, days).astype(float)
        y[100:] = rng.poisson(rate[i], days - 100)
        series[f"cf{i}"] = pd.Series(y, index=index)
    ends = [str((start + pd.Timedelta(days=40)).date())] * n
    table = _table(pd.DatetimeIndex([start] * n), ends, list(kinds))
    out = sv.breakdown_table(table, series)
    km = sv.kaplan_meier(out, by=c.CF_KIND)
    uni = km[km["group"] == "unilateral"]
    at10 = uni[uni["time"] <= 10].iloc[-1]
    truth = np.exp(-0.10 * 10)
    assert at10["ci_low"] < truth < at10["ci_high"]
    cox = sv.cox_model(out, (c.CF_KIND,))
    row = cox.iloc[0]
    assert row["term"].endswith("unilateral")
    assert row["ci_low"] < 2.0 < row["ci_high"]
    med = sv.median_survival(out, by=c.CF_KIND).set_index("group")
    assert abs(med.loc["unilateral", "median_days"] - np.log(2) / 0.10) <= 2


def test_counterparties_of_national_and_named_truces() -> None:
    from analysis.sources import actors

    ceasefires = load_ceasefires()
    table = sv.truce_counterparties(ceasefires, actors.load_registry()).set_index(c.CF_ID)
    # national truce by the military: every ethnic armed organisation
    assert table.loc["mil-2022", "rule"] == sv.RULE_SIDES
    assert table.loc["mil-2022", "targets"] == "ethnic_armed_organisation"
    # 'Arakan Army and Myanmar military': the AA only, not the military itself
    assert table.loc["aa-mil-2022-11", "targets"] == "AA"
    # 'Brotherhood Alliance (TNLA, AA, MNDAA)'
    assert set(table.loc["tba-2019-09", "targets"].split(";")) == {"AA", "MNDAA", "TNLA"}
    assert table.loc["nug-eq-2025-03", "targets"] == "NUG/PDF"
    assert table.loc["kia-eq-2025-03", "targets"] == "KIA"


def test_counterparty_series_count_only_the_counterparty() -> None:
    days = pd.to_datetime(["2022-01-02", "2022-01-03", "2022-01-03", "2022-01-05"])
    events = pd.DataFrame(
        {
            c.EV_DATE: days,
            c.EV_TARGET: pd.array(["AA", "KIA", "NUG/PDF", "AA"], dtype="string"),
            c.EV_TARGET_SIDE: pd.array(
                [
                    "ethnic_armed_organisation",
                    "ethnic_armed_organisation",
                    "resistance",
                    "ethnic_armed_organisation",
                ],
                dtype="string",
            ),
            c.EV_EVENTS: pd.array([1, 2, 5, 3], dtype="Int64"),
            c.EV_FATALITIES: pd.array([0, 0, 0, 0], dtype="Int64"),
        }
    )
    parties = pd.DataFrame(
        {
            c.CF_ID: ["named", "national", "unknown"],
            "rule": [sv.RULE_NAMED, sv.RULE_SIDES, sv.RULE_NAMED],
            "targets": ["AA", "ethnic_armed_organisation", ""],
        }
    )
    series = sv.counterparty_series(events, parties, "2022-01-01", "2022-01-06")
    assert series["named"].tolist() == [0, 1, 0, 0, 3, 0]
    assert series["national"].tolist() == [0, 1, 2, 0, 3, 0]
    assert "unknown" not in series


def test_cox_reference_level_can_be_chosen() -> None:
    rng = np.random.default_rng(3)
    n = 200
    bloc = np.where(np.arange(n) % 2 == 0, "none", "China")
    # exponential durations: hazard 0.1 for unbrokered, 0.05 for China (ratio 0.5)
    duration = np.ceil(rng.exponential(np.where(bloc == "none", 10.0, 20.0)))
    table = pd.DataFrame(
        {
            c.CF_BROKER_BLOC: bloc,
            sv.DURATION: duration,
            sv.BROKE_DOWN: True,
            "status": "ok",
        }
    )
    default = sv.cox_model(table, (c.CF_BROKER_BLOC,))
    chosen = sv.cox_model(table, (c.CF_BROKER_BLOC,), reference={c.CF_BROKER_BLOC: "none"})
    assert default["term"].tolist() == ["broker_bloc_none"]  # 'China' sorts first
    assert chosen["term"].tolist() == ["broker_bloc_China"]
    assert chosen["hazard_ratio"].item() == pytest.approx(1 / default["hazard_ratio"].item())
    assert chosen["ci_low"].item() < 0.5 < chosen["ci_high"].item()
