"""Ceasefire survival: breakdown dates, censoring, Kaplan-Meier and Cox against known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import contract as c
from analysis import survival as sv


def test_kaplan_meier_and_cox_recover_known_hazards() -> None:
    rng = np.random.default_rng(1)
    n, follow_up = 300, 41
    kinds = np.where(np.arange(n) % 2 == 0, "unilateral", "bilateral")
    rate = np.where(kinds == "unilateral", 0.10, 0.05)  # true hazard ratio bilateral: 0.5
    # first day with at least one Poisson(rate) strike, counting the start day; censored
    # when follow-up ends first
    first_strike = rng.geometric(1 - np.exp(-rate))
    out = pd.DataFrame(
        {
            c.CF_KIND: kinds,
            sv.DURATION: np.minimum(first_strike, follow_up).astype(float),
            sv.BROKE_DOWN: first_strike <= follow_up,
            "status": "ok",
        }
    )
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


# --- chain-level subjects, delayed entry, competing end, separation ---------------------------


def _chain_table() -> pd.DataFrame:
    """A national declaration, a named truce with two monthly extensions and a short truce."""
    ids = ["nat", "named", "named-ext1", "named-ext2", "short"]
    starts = pd.to_datetime(["2021-01-01", "2021-03-01", "2021-04-01", "2021-05-01", "2021-08-01"])
    ends = pd.to_datetime(["2021-01-31", "2021-03-31", "2021-04-30", "2021-05-31", "2021-08-10"])
    return pd.DataFrame(
        {
            c.CF_ID: ids,
            c.CF_DECLARED_ON: starts,
            c.CF_EFFECTIVE_FROM: starts,
            c.CF_EFFECTIVE_TO: ends,
            c.CF_COUNTERPART_IDS: ["all", "AA;KIA", "", "", "KNU"],
            c.CF_KIND: "unilateral",
            c.CF_BROKER_BLOC: ["none", "Japan", "Japan", "Japan", "none"],
            c.CF_EXTENDS: [None, None, "named", "named-ext1", None],
        }
    )


def _strikes(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            c.EV_DATE: pd.to_datetime([d for d, _ in rows]),
            c.EV_TARGET: [t for _, t in rows],
            c.EV_EVENTS: 1,
        }
    )


def test_extensions_do_not_create_subjects_or_restart_the_clock() -> None:
    # strikes: KNU (not a party of 'named') in March, KIA on 10 April (inside the 1st extension)
    events = _strikes([("2021-01-05", "KIA"), ("2021-03-15", "KNU"), ("2021-04-10", "KIA")])
    out = sv.chain_subjects(_chain_table(), events, "2020-01-01", "2021-12-31").set_index(c.CF_ID)
    assert len(out) == 3  # 'nat', one chain for 'named' and its extensions, 'short'
    named = out.loc["named"]
    assert named["chain_members"] == "named;named-ext1;named-ext2"
    assert named[sv.OUTCOME] == sv.BREAKDOWN
    assert named[sv.DURATION] == (pd.Timestamp("2021-04-10") - pd.Timestamp("2021-03-01")).days + 1
    # the national declaration would 'break' on 5 January; it is reported as not estimable
    assert out.loc["nat", "status"] == sv.NOT_ESTIMABLE_NATIONAL
    assert np.isnan(out.loc["nat", sv.DURATION])
    # 'short' ends on 10 August without a strike on KNU: the competing outcome
    assert out.loc["short", sv.OUTCOME] == sv.EXPIRED
    assert not out.loc["short", sv.BROKE_DOWN] and out.loc["short", sv.DURATION] == 10
    # a counterpart-specific set for national declarations makes them estimable
    given = sv.chain_subjects(_chain_table(), events, "2020-01-01", "2021-12-31", ["KIA"])
    assert given.set_index(c.CF_ID).loc["nat", sv.DURATION] == 5


def test_delayed_entry_when_the_data_start_inside_a_chain() -> None:
    events = _strikes([("2021-05-20", "AA")])
    out = sv.chain_subjects(_chain_table(), events, "2021-04-15", "2021-12-31").set_index(c.CF_ID)
    named = out.loc["named"]
    assert named[sv.ENTRY] == (pd.Timestamp("2021-04-15") - pd.Timestamp("2021-03-01")).days
    assert named[sv.DURATION] == (pd.Timestamp("2021-05-20") - pd.Timestamp("2021-03-01")).days + 1
    assert out.loc["nat", "status"] in ("outside_data", sv.NOT_ESTIMABLE_NATIONAL)


def _competing(rng: np.random.Generator, n: int, truncate: bool) -> tuple[pd.DataFrame, float]:
    """Breakdown hazard 0.02/day, expiry hazard 0.01/day; optional left truncation at U(0, 30)."""
    t_break = rng.exponential(50.0, n)
    t_expire = rng.exponential(100.0, n)
    time = np.ceil(np.minimum(t_break, t_expire))
    entry = rng.uniform(0, 30, n) if truncate else np.zeros(n)
    keep = time > entry  # truncated subjects that ended before entry are never seen
    table = pd.DataFrame(
        {
            sv.DURATION: time[keep],
            sv.ENTRY: np.floor(entry[keep]),
            sv.OUTCOME: np.where(t_break < t_expire, sv.BREAKDOWN, sv.EXPIRED)[keep],
            "status": "ok",
        }
    )
    # true P(breakdown by day 40) = 2/3 (1 - exp(-0.03 x 40)), ceil moves events by < 1 day
    return table, 2 / 3 * (1 - np.exp(-0.03 * 40))


def test_cumulative_incidence_matches_statsmodels_without_delayed_entry() -> None:
    from statsmodels.duration.survfunc import CumIncidenceRight

    table, _ = _competing(np.random.default_rng(4), 200, truncate=False)
    ours = sv.cumulative_incidence(table)
    code = table[sv.OUTCOME].map({sv.BREAKDOWN: 1, sv.EXPIRED: 2}).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):  # its variance at the last time
        ref = CumIncidenceRight(table[sv.DURATION].to_numpy(), code)
    theirs = pd.Series(ref.cinc[0], index=ref.times)
    assert np.allclose(ours.set_index("time")["breakdown"].reindex(ref.times), theirs)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_cumulative_incidence_with_delayed_entry_recovers_the_truth(seed: int) -> None:
    table, truth = _competing(np.random.default_rng(seed), 3000, truncate=True)
    cif = sv.cumulative_incidence(table)
    at40 = cif[cif["time"] <= 40].iloc[-1]["breakdown"]
    assert abs(at40 - truth) < 0.04, (at40, truth)
    naive = sv.cumulative_incidence(table.assign(**{sv.ENTRY: 0}))
    # ignoring the entry biases the early incidence down (survivors of the gap look immune)
    assert naive[naive["time"] <= 40].iloc[-1]["breakdown"] < at40 - 0.02


def test_cox_flags_separation_instead_of_reporting_a_hazard_ratio() -> None:
    rng = np.random.default_rng(9)
    bloc = np.array(["none"] * 20 + ["Japan"] * 3)
    table = pd.DataFrame(
        {
            c.CF_BROKER_BLOC: bloc,
            sv.DURATION: np.concatenate([np.ceil(rng.exponential(10, 20)), [200, 250, 300]]),
            sv.BROKE_DOWN: np.arange(23) < 20,  # the Japan truces never broke down
            "status": "ok",
        }
    )
    cox = sv.cox_model(table, (c.CF_BROKER_BLOC,), reference={c.CF_BROKER_BLOC: "none"})
    assert cox["status"].item() == "separation" and np.isnan(cox["hazard_ratio"].item())
    # monotone likelihood: the Japan truces break down, but always after every other one
    monotone = table.assign(**{sv.BROKE_DOWN: True})
    cox = sv.cox_model(monotone, (c.CF_BROKER_BLOC,), reference={c.CF_BROKER_BLOC: "none"})
    assert cox["status"].item() == "separation"
