"""Every ceasefire in one pass, each on its own dyads: checked against known truth.

Dyad series are simulated with a known rate ratio (AR(1) latent intensity with gamma noise:
overdispersed and autocorrelated), each ceasefire on its own dyad(s), with decoy dyads whose
rate changes five-fold on the same days: an estimator that mixed up outcomes would miss the
truth. Counts before and during are compared with a plain filter of the events, reasons for
rows without an estimate are checked one by one, and first-event durations against a direct
search. Seeds vary from run to run; bounds allow for Monte-Carlo error.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from factories import DURING, PRE, TRUE_RATIOS, make_ceasefires

from analysis import all_ceasefires as ac
from analysis import all_ceasefires_groups as acg
from analysis import batch as bt
from analysis import contract as c
from analysis import simulate as sim
from analysis import status as st
from analysis.ceasefire_table import counterpart_targets, load_ceasefires

ORIGIN = pd.Timestamp("2000-01-01")


def _seed() -> int:
    return int(np.random.SeedSequence().entropy % 2**32)


def _events(counts: np.ndarray, dyads: list[str], first_day: pd.Timestamp) -> pd.DataFrame:
    """One EVENTS-like row per dyad and day with events (the columns the estimator reads)."""
    dyad, day = np.nonzero(counts)
    return pd.DataFrame(
        {
            c.EV_DATE: first_day + pd.to_timedelta(day, unit="D"),
            c.EV_EVENTS: counts[dyad, day].astype("int64"),
            c.EV_DYAD: pd.array(np.asarray(dyads, dtype=object)[dyad], dtype="string"),
            c.EV_TARGET: pd.array(["X"] * len(day), dtype="string"),
        }
    )


def _ethprio_table(rows: list[dict]) -> pd.DataFrame:
    """A CEASEFIRES table plus the ETH/PRIO columns the estimator reads."""
    table = make_ceasefires(
        [{k: v for k, v in r.items() if k in c.CEASEFIRES.column_names} for r in rows]
    )
    for column, default in (
        (c.CF_UCDP_DYAD_IDS, ""),
        (c.CF_COUNTRY, "Atlantis"),
        (c.CF_PURPOSES, ""),
        (c.CF_MEDIATORS, ""),
        (c.CF_MEDIATOR_BLOCS, "none"),
    ):
        table[column] = pd.array([r.get(column, default) for r in rows], dtype="string")
    table[c.CF_CLASS] = pd.array([r.get(c.CF_CLASS) for r in rows], dtype="Int64")
    return table


def _simulated(true_rr: float, runs: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``runs`` ceasefires side by side in time, each on one or two own dyads, plus a decoy
    dyad per ceasefire whose rate rises five-fold when the ceasefire starts."""
    rng = np.random.default_rng(seed)
    days = PRE + DURING + 30
    change = PRE + 10
    two = rng.random(runs) < 0.3  # some ceasefires have two dyads: their sum is the outcome
    n_own = runs + int(two.sum())
    own = sim.simulate_counts(
        n_own, days, mean=1.5, rate_ratio=true_rr, change_day=change, seed=rng
    )
    decoy = sim.simulate_counts(runs, days, mean=1.5, rate_ratio=5.0, change_day=change, seed=rng)
    names = [f"{i}" for i in range(n_own)] + [f"decoy{i}" for i in range(runs)]
    events = _events(np.vstack([own, decoy]), names, ORIGIN)
    second = np.cumsum(two) - 1 + runs
    dyads = [f"{i};{second[i]}" if two[i] else f"{i}" for i in range(runs)]
    effective = ORIGIN + pd.Timedelta(days=change)
    rows = [
        {
            c.CF_ID: f"cf{i}",
            c.CF_DECLARED_ON: effective,
            c.CF_EFFECTIVE_FROM: effective,
            c.CF_EFFECTIVE_TO: effective + pd.Timedelta(days=DURING - 1),
            c.CF_KIND: "bilateral",
            c.CF_UCDP_DYAD_IDS: dyads[i],
        }
        for i in range(runs)
    ]
    return events, _ethprio_table(rows)


@pytest.mark.parametrize("true_rr", TRUE_RATIOS)
def test_one_pass_covers_the_known_ratio_of_each_dyad(true_rr: float) -> None:
    runs = 2000  # binomial sd of coverage 0.005; seeds 11-44 gave 0.939-0.955 (4 seeds x 3 ratios)
    events, table = _simulated(true_rr, runs, _seed())
    result = ac.all_ceasefire_effects(
        events,
        table,
        first_day=ORIGIN,
        last_day=events[c.EV_DATE].max(),
        pre_days=PRE,
        max_during_days=DURING,
    )
    out = result.table
    ok = out["status"] == st.STATUS_OK
    assert ok.mean() > 0.99 and result.n_ceasefires == runs
    covered = (out.loc[ok, "ci_low"] <= true_rr) & (true_rr <= out.loc[ok, "ci_high"])
    assert 0.925 <= covered.mean() <= 0.97, covered.mean()
    assert abs((out.loc[ok, "log_rr"] - math.log(true_rr)).mean()) < 0.05


def test_counts_before_and_during_are_those_of_a_plain_filter() -> None:
    events, table = _simulated(0.7, 60, _seed())
    rng = np.random.default_rng(_seed())
    shift = pd.to_timedelta(rng.integers(-20, 20, len(table)), unit="D")
    table[c.CF_DECLARED_ON] = table[c.CF_DECLARED_ON] + shift
    table[c.CF_EFFECTIVE_FROM] = table[c.CF_DECLARED_ON] + pd.to_timedelta(
        rng.integers(0, 5, len(table)), unit="D"
    )
    out = ac.all_ceasefire_effects(
        events, table, first_day=ORIGIN, last_day=events[c.EV_DATE].max(), pre_days=60
    ).table
    for row, cf in zip(out.itertuples(), table.itertuples(), strict=True):
        mine = events[events[c.EV_DYAD].isin(getattr(cf, c.CF_UCDP_DYAD_IDS).split(";"))]
        declared, effective = getattr(cf, c.CF_DECLARED_ON), getattr(cf, c.CF_EFFECTIVE_FROM)
        before = mine[c.EV_DATE].between(
            declared - pd.Timedelta(days=60), declared - pd.Timedelta(days=1)
        )
        during = mine[c.EV_DATE].between(effective, getattr(cf, c.CF_EFFECTIVE_TO))
        assert row.events_pre == mine.loc[before, c.EV_EVENTS].sum()
        assert row.events_during == mine.loc[during, c.EV_EVENTS].sum()


def test_a_ceasefire_on_every_event_matches_the_batch_estimator() -> None:
    """A curated row counting every event ('all') is batch_effects on the whole series."""
    y = sim.simulate_counts(1, 800, seed=_seed())
    events = _events(y, ["1"], ORIGIN)
    series = pd.Series(y[0], index=pd.date_range(ORIGIN, periods=800))
    table = make_ceasefires(
        [
            {c.CF_ID: "a", c.CF_DECLARED_ON: "2000-06-01", c.CF_EFFECTIVE_TO: "2000-08-01"},
            {c.CF_ID: "b", c.CF_DECLARED_ON: "2001-01-10", c.CF_EFFECTIVE_FROM: "2001-01-15"},
        ]
    )
    table[c.CF_COUNTERPART_IDS] = pd.array(["all", "all"], dtype="string")
    ours = ac.all_ceasefire_effects(events, table, first_day=ORIGIN, last_day=series.index[-1])
    batch = bt.batch_effects(series, table)
    columns = ["estimate", "ci_low", "ci_high", "p_value", "events_pre", "events_during"]
    pd.testing.assert_frame_equal(ours.table[columns], batch[columns])
    assert (ours.table["outcome"].str.startswith("all targets")).all()


def test_every_row_without_an_estimate_says_why() -> None:
    y = np.zeros((3, 400))
    y[0, 200:] = 1  # dyad 1: nothing before day 200, an event every day after
    y[1, ::3] = 2  # dyad 2: events all along
    events = _events(y, ["1", "2", "3"], ORIGIN)
    last = ORIGIN + pd.Timedelta(days=399)

    def row(name: str, declared: str, dyads: str, end: str | None = None) -> dict:
        return {
            c.CF_ID: name,
            c.CF_DECLARED_ON: declared,
            c.CF_EFFECTIVE_TO: end,
            c.CF_UCDP_DYAD_IDS: dyads,
        }

    table = _ethprio_table(
        [
            row("ok", "2000-05-01", "2"),
            row("no_dyad", "2000-05-01", ""),
            row("not_in_data", "2000-05-01", "77"),
            row("before", "1999-12-20", "2"),
            row("after", "2001-06-01", "2"),
            row("short", "2000-05-01", "2", "2000-05-03"),
            row("no_pre", "2000-07-10", "1"),
        ]
    )
    out = ac.all_ceasefire_effects(events, table, first_day=ORIGIN, last_day=last).table
    status = dict(zip(out[c.CF_ID], out["status"], strict=True))
    reason = dict(zip(out[c.CF_ID], out["reason"], strict=True))
    assert status == {
        "ok": st.STATUS_OK,
        "no_dyad": st.STATUS_NO_DYAD,
        "not_in_data": st.STATUS_DYAD_NOT_IN_DATA,
        "before": st.STATUS_OUTSIDE,
        "after": st.STATUS_OUTSIDE,
        "short": st.STATUS_TOO_SHORT,
        "no_pre": st.STATUS_NO_PRE,
    }
    assert reason["ok"] == ""
    assert "no UCDP dyad" in reason["no_dyad"]
    assert "no event on its UCDP dyad" in reason["not_in_data"]
    assert "before the data start" in reason["before"]
    assert "after the data end" in reason["after"]
    assert "shorter than 7 days" in reason["short"]
    assert "no events in the pre window" in reason["no_pre"]
    assert out.loc[out["status"] != st.STATUS_OK, "estimate"].isna().all()


def test_countries_do_not_interact_in_one_pass() -> None:
    """country '' runs every country at once: each country's rows are what a run on that
    country alone gives."""
    events, table = _simulated(0.8, 40, _seed())
    table[c.CF_COUNTRY] = pd.array(["A"] * 20 + ["B"] * 20, dtype="string")
    span = {"first_day": ORIGIN, "last_day": events[c.EV_DATE].max()}
    both = ac.all_ceasefire_effects(events, table, **span).table
    alone = pd.concat(
        [
            ac.all_ceasefire_effects(events, table[table[c.CF_COUNTRY] == k], **span).table
            for k in ("A", "B")
        ],
        ignore_index=True,
    )
    columns = ["estimate", "ci_low", "ci_high", "events_pre", "events_during", "status"]
    pd.testing.assert_frame_equal(both[columns], alone[columns])


def test_first_event_is_found_and_censored_at_the_end_of_the_data() -> None:
    rng = np.random.default_rng(_seed())
    y = (rng.random((30, 500)) < 0.01).astype(float)
    events = _events(y, [str(i) for i in range(30)], ORIGIN)
    starts = ORIGIN + pd.to_timedelta(rng.integers(0, 450, 30), unit="D")
    table = _ethprio_table(
        [
            {c.CF_ID: f"cf{i}", c.CF_DECLARED_ON: s, c.CF_UCDP_DYAD_IDS: str(i)}
            for i, s in enumerate(starts)
        ]
    )
    last = ORIGIN + pd.Timedelta(days=499)
    table = table[table[c.CF_UCDP_DYAD_IDS].isin(events[c.EV_DYAD])].reset_index(drop=True)
    out = acg.first_event_survival(events, table, first_day=ORIGIN, last_day=last)
    for row in out.itertuples():
        dyad = row.ceasefire_id.removeprefix("cf")
        days = events.loc[(events[c.EV_DYAD] == dyad) & (events[c.EV_DATE] >= row.start), c.EV_DATE]
        first = days.min() if len(days) else None
        assert row.broke_down == (first is not None)
        expected_end = first if first is not None else last
        assert row.duration_days == (expected_end - row.start).days + 1
    assert (out["status"] == st.STATUS_OK).all()


def test_first_event_durations_follow_the_daily_rate() -> None:
    """Days to the first event on a dyad with daily Poisson rate lam are geometric: the
    Kaplan-Meier median recovers the true median within Monte-Carlo error."""
    lam, n = 0.05, 400
    rng = np.random.default_rng(_seed())
    y = rng.poisson(lam, (n, 600)).astype(float)
    events = _events(y, [str(i) for i in range(n)], ORIGIN)
    table = _ethprio_table(
        [
            {
                c.CF_ID: f"cf{i}",
                c.CF_DECLARED_ON: ORIGIN + pd.Timedelta(days=100),
                c.CF_UCDP_DYAD_IDS: str(i),
                c.CF_MEDIATOR_BLOCS: "UN;OSCE" if i % 2 else "none",
            }
            for i in range(n)
        ]
    )
    out = acg.first_event_survival(
        events, table, first_day=ORIGIN, last_day=ORIGIN + pd.Timedelta(days=599)
    )
    grouped = acg.survival_by_group(out, c.CF_MEDIATOR_BLOCS)
    assert grouped.n_used == n and set(grouped.medians["group"]) == {"UN", "OSCE", "none"}
    true_median = math.ceil(math.log(2) / lam)  # first day with P(no event yet) <= 1/2
    overall = acg.survival_by_group(out, "all").medians["median_days"].iloc[0]
    assert abs(overall - true_median) <= 3  # sd of the KM median here is about 1.4 days


def test_groups_pool_each_ceasefire_under_each_of_its_values() -> None:
    events, table = _simulated(0.6, 120, _seed())
    table[c.CF_MEDIATOR_BLOCS] = pd.array(["UN;OSCE", "none", "OSCE"] * 40, dtype="string")
    table[c.CF_CLASS] = pd.array([1, 2, pd.NA] * 40, dtype="Int64")
    out = ac.all_ceasefire_effects(
        events, table, first_day=ORIGIN, last_day=events[c.EV_DATE].max(), pre_days=PRE
    ).table
    groups = acg.effects_by_group(out).set_index(["grouping", "group"])
    assert groups.loc[("mediator_blocs", "OSCE"), "k"] == 80
    assert groups.loc[("mediator_blocs", "UN"), "k"] == 40
    assert groups.loc[("ceasefire_class", "not coded"), "k"] == 40
    pooled = groups.loc[("all", "all ceasefires")]
    assert pooled["k"] == 120 and abs(math.log(pooled["pooled_rr"] / 0.6)) < 0.1


def test_curated_rows_count_what_counterpart_targets_names() -> None:
    ceasefires = load_ceasefires()
    outcomes = ac.outcome_keys(ceasefires)
    for row in outcomes.itertuples():
        counted = counterpart_targets(ceasefires, row.ceasefire_id)
        assert (row.outcome_keys, row.outcome) == (counted.targets, counted.description)


def test_spellings_of_one_mediator_fall_into_one_group() -> None:
    table = pd.DataFrame(
        {
            c.CF_MEDIATORS: [
                "Japan (Yohei Sasakawa, special envoy / Nippon Foundation chair)",
                "Japan (Yohei Sasakawa, Nippon Foundation chair / Japanese govt envoy)",
                "yohei  sasakawa.",
                "Yohei Sasakawa;Norway",
                "",
            ]
        }
    )
    groups = acg.explode_groups(table, c.CF_MEDIATORS)[c.CF_MEDIATORS]
    # grouped under the first spelling, whitespace collapsed and the note dropped
    first = "yohei sasakawa."
    assert groups.tolist() == ["Japan", "Japan", first, first, "Norway", "none"]
    assert acg.mediator_key("  Yohei   SASAKAWA, ") == "yohei sasakawa"
