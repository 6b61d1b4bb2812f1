"""Speed of the vectorised batch estimator against the single-ceasefire path.

Estimates 2,000 synthetic ceasefires on one simulated daily panel with
``bt.batch_effects`` and compares with running ``effects.estimate_ceasefire_effect``
(NB2 fit + placebos) once per ceasefire: a few are timed and the total extrapolated. When
notebooks/02_ceasefire_effect.ipynb exists, papermill runs of it (2) are timed the same way.

Then the all-ceasefire pass of notebook 06 at full ETH/PRIO scale, on generated files in the
published layouts (tests/ethprio_generator.py; every row made up): 4,091 actor rows /
2,203 ceasefires / 66 countries, against a GED global file of about 400,000 events
(``--ged-events``), in both layouts:

* ETH/PRIO + GED: each ceasefire on the events of its UCDP dyads;
* curated layout + daily series: the same ceasefires as curated rows whose counterpart_ids
  name one target per dyad (the GED events' target), so both layouts count the same events.

The one-pass path (:func:`analysis.all_ceasefires.all_ceasefire_effects` plus the grouped
pooling and first-event survival) is set beside the baseline a per-ceasefire loop would be:
filter the events to the ceasefire's dyads (or targets), build its daily series, run
``batch_effects`` on that one row; a sample is timed and the total extrapolated, and the
sample's estimates are checked to equal the one-pass ones.

The primary (counterfactual) estimate is timed apart: one model per ceasefire
(:func:`analysis.all_ceasefires_primary.primary_columns`) on a random sample of the
ceasefires it can estimate (``--primary-sample``, default 40; ``--primary-all`` runs every one),
reported per ceasefire and extrapolated to the whole file.

Run: .venv/bin/python benchmarks/bench_batch.py [--n 2000] [--notebook] [--ged-events 400000]
     [--primary-sample 40] [--primary-all]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import all_ceasefires as ac
from analysis import all_ceasefires_groups as acg
from analysis import all_ceasefires_primary as acp
from analysis import batch as bt
from analysis import contract as c
from analysis import effects as ef
from analysis import events as ev
from analysis import panel as pn
from analysis import pooling as po
from analysis import simulate as sim
from analysis.sources.ethprio import load_ethprio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from ethprio_generator import FULL_SCALE, ged_dyads, write_ethprio_csv, write_ged_csv  # noqa: E402

GED_START, GED_END = "1989-01-01", "2020-12-31"


def synthetic(n: int, days: int = 3000, seed: int = 1) -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2015-01-01", periods=days, freq="D")
    series = pd.Series(sim.simulate_counts(1, days, seed=seed)[0], index=index)
    declared = index[rng.integers(200, days - 200, n)]
    gap = pd.to_timedelta(rng.integers(0, 10, n), unit="D")
    length = pd.to_timedelta(rng.integers(14, 120, n), unit="D")
    table = pd.DataFrame(
        {
            c.CF_ID: pd.array([f"syn-{i}" for i in range(n)], dtype="string"),
            c.CF_DECLARED_ON: declared,
            c.CF_EFFECTIVE_FROM: declared + gap,
            c.CF_EFFECTIVE_TO: (declared + gap + length).where(rng.random(n) > 0.2),
            c.CF_EXTENDS: pd.array([pd.NA] * n, dtype="string"),
            c.CF_KIND: pd.array(rng.choice(c.CEASEFIRE_KINDS, n), dtype="string"),
            c.CF_BROKER_BLOC: pd.array(rng.choice(c.BROKER_BLOCS, n), dtype="string"),
            c.CF_DECLARER_SIDE: pd.array([pd.NA] * n, dtype="string"),  # the placebos read it
        }
    )
    return series, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument(
        "--single", type=int, default=10, help="ceasefires timed on the single path"
    )
    parser.add_argument(
        "--notebook", action="store_true", help="also time papermill runs of notebook 02"
    )
    parser.add_argument(
        "--ged-events", type=int, default=400_000, help="events of the GED file (0 skips it)"
    )
    parser.add_argument(
        "--sample", type=int, default=60, help="ceasefires timed on the per-ceasefire loop"
    )
    parser.add_argument(
        "--primary-sample", type=int, default=40, help="ceasefires timed on the primary pass"
    )
    parser.add_argument(
        "--primary-all", action="store_true", help="time the primary pass on every ceasefire"
    )
    args = parser.parse_args()
    series, table = synthetic(args.n)

    t0 = time.perf_counter()
    out = bt.batch_effects(series, table, pre_days=90, gap="interim", max_during_days=180)
    po.pool_random_effects(out, c.CF_KIND)
    po.pool_random_effects(out, c.CF_BROKER_BLOC)
    batch = time.perf_counter() - t0
    print(
        f"batch: {args.n} ceasefires in {batch:.3f} s ({(out['status'] == 'ok').sum()} estimable)"
    )

    t0 = time.perf_counter()
    for cf_id in table[c.CF_ID].iloc[: args.single]:  # the baseline is the per-ceasefire loop
        ef.estimate_ceasefire_effect(
            series, table, cf_id, pre_days=90, gap="interim", n_placebos=999
        )
    per_single = (time.perf_counter() - t0) / args.single
    single_total = per_single * args.n
    print(
        f"single path: {per_single * 1000:.1f} ms per ceasefire -> "
        f"{single_total:.1f} s for {args.n} (extrapolated)"
    )
    print(f"speed-up batch vs single path: {single_total / batch:,.0f}x")

    notebook = ROOT / "notebooks" / "02_ceasefire_effect.ipynb"
    if args.notebook and notebook.exists():
        import papermill as pm

        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(2):
                pm.execute_notebook(
                    str(notebook), str(Path(tmp) / f"run{i}.ipynb"), progress_bar=False
                )
        per_nb = (time.perf_counter() - t0) / 2
        print(
            f"papermill notebook 02: {per_nb:.1f} s per run -> "
            f"{per_nb * args.n / 3600:.1f} h for {args.n}"
        )
        print(f"speed-up batch vs papermill per ceasefire: {per_nb * args.n / batch:,.0f}x")
    elif args.notebook:
        print("notebooks/02_ceasefire_effect.ipynb not found: papermill baseline skipped")
    if args.ged_events:
        primary = None if args.primary_all else args.primary_sample
        all_ceasefires_at_scale(args.ged_events, args.sample, primary)


def _timed(label: str, work: object) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = work()
    seconds = time.perf_counter() - t0
    print(f"  {label}: {seconds:.2f} s")
    return seconds, out


def one_pass(events: pd.DataFrame, table: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp):
    """Notebook 06's computations: every ratio, the grouped pooling, first-event survival."""
    effects = ac.all_ceasefire_effects(events, table, first_day=first, last_day=last)
    acg.effects_by_group(effects.table)
    acg.first_event_survival(events, table, first_day=first, last_day=last)
    return effects


def per_ceasefire_loop(
    events: pd.DataFrame, table: pd.DataFrame, column: str, keys: list[list[str]], first, last
) -> pd.DataFrame:
    """The baseline: one filter, one daily series and one batch_effects call per ceasefire."""
    rows = []
    for i, wanted in enumerate(keys):  # the per-ceasefire loop the one pass replaces
        chosen = events[events[column].isin(wanted)] if wanted else events
        series = pn.daily_series(chosen, first, last)
        rows.append(bt.batch_effects(series, table.iloc[[i]]))
    return pd.concat(rows, ignore_index=True)


def _compare(label: str, one: float, loop_per: float, n: int, same: float) -> None:
    total = loop_per * n
    print(
        f"  {label}: one pass {one:.2f} s | per-ceasefire loop {loop_per * 1000:.1f} ms x {n:,} "
        f"= {total:.1f} s (extrapolated) | ratio loop / one pass {total / one:,.0f}x | "
        f"largest difference in the sample's estimates {same:.2g}"
    )


def primary_pass(
    events: pd.DataFrame,
    table: pd.DataFrame,
    effects: ac.AllCeasefires,
    sample: int | None,
    rng: np.random.Generator,
) -> None:
    """Time the primary estimate on ``sample`` random estimable ceasefires (all: None)."""
    rows = effects.table.iloc[: len(table)]
    usable = (~rows["status"].isin(ac.NOT_IN_DATA) & rows["pre_end"].notna()).to_numpy()
    candidates = np.flatnonzero(usable)
    if sample is not None:
        candidates = np.sort(rng.choice(candidates, min(sample, len(candidates)), replace=False))
    if not len(candidates):
        print("  primary pass: no estimable ceasefire")
        return
    t0 = time.perf_counter()
    out = acp.primary_columns(
        events,
        table.iloc[candidates],
        rows.iloc[candidates],
        usable[candidates],
        (effects.first_day, effects.last_day),
    )
    seconds = time.perf_counter() - t0
    per = seconds / len(candidates)
    done = out["primary_status"].isin(ac.ESTIMATED).sum()
    print(
        f"  primary pass: {len(candidates):,} ceasefires in {seconds:.1f} s "
        f"({per * 1000:.0f} ms each, {done} estimated) -> {per * usable.sum():.0f} s for all "
        f"{usable.sum():,} it can estimate (extrapolated; the descriptive one pass above "
        "takes seconds)"
    )


def all_ceasefires_at_scale(
    n_events: int, sample: int, primary_sample: int | None = 40, seed: int = 20250328
) -> None:
    """Time notebook 06's pass on a full-scale ETH/PRIO file and a GED global file."""
    print(f"\nall-ceasefire pass at ETH/PRIO scale ({FULL_SCALE}), GED ~{n_events:,} events")
    countries = ["Myanmar (Burma)", "Colombia"] + [
        f"Made-up Country {i}" for i in range(FULL_SCALE["n_countries"] - 2)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        ethprio_csv, ged_csv = Path(tmp) / "ethprio.csv", Path(tmp) / "ged.csv"
        truth = write_ethprio_csv(
            ethprio_csv,
            n_ceasefires=FULL_SCALE["n_ceasefires"],
            countries=countries,
            n_rows=FULL_SCALE["n_rows"],
            seed=seed,
        )
        dyads = ged_dyads(truth[~truth["skipped"]])
        n_days = (pd.Timestamp(GED_END) - pd.Timestamp(GED_START)).days + 1
        rate = n_events / n_days / (len(dyads) + len(countries))
        write_ged_csv(ged_csv, dyads=dyads, start=GED_START, end=GED_END, rate=rate, seed=seed)
        _, table = _timed("load_ethprio (4,091 rows)", lambda: load_ethprio(ethprio_csv))
        _, series = _timed(
            "load GED file + daily series",
            lambda: ev.load_daily_series("ucdp_ged", str(ged_csv)),
        )
    events = series.selected
    first, last = series.first_day, series.last_day
    print(f"  {len(table):,} ceasefires, {len(events):,} events, {len(dyads):,} dyads")
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(len(table), size=min(sample, len(table)), replace=False))

    # layout 1: ETH/PRIO + GED, outcome = the ceasefire's dyads
    one, effects = _timed("one pass, ETH/PRIO + GED", lambda: one_pass(events, table, first, last))
    print(f"  {effects.n_estimated:,} of {effects.n_ceasefires:,} ceasefires estimated")
    primary_pass(events, table, effects, primary_sample, np.random.default_rng(seed))
    dyad_keys = [
        [d for d in text.split(c.LIST_SEPARATOR) if d]
        for text in table[c.CF_UCDP_DYAD_IDS].astype("string").fillna("")
    ]
    has_dyad = np.array([bool(k) for k in dyad_keys])
    sampled = picked[has_dyad[picked]]
    t0 = time.perf_counter()
    loop = per_ceasefire_loop(
        events, table.iloc[sampled], c.EV_DYAD, [dyad_keys[i] for i in sampled], first, last
    )
    per = (time.perf_counter() - t0) / len(sampled)
    same = _largest_difference(loop, effects.table.iloc[sampled])
    _compare("ETH/PRIO + GED", one, per, int(has_dyad.sum()), same)

    # layout 2: curated table + daily series, outcome = counterpart targets (one per dyad)
    curated = table[c.CEASEFIRES.column_names].copy()
    targets = [c.LIST_SEPARATOR.join(f"T{d}" for d in k) or c.COUNTERPARTS_ALL for k in dyad_keys]
    curated[c.CF_COUNTERPART_IDS] = pd.array(targets, dtype="string")
    events_t = events.assign(**{c.EV_TARGET: "T" + events[c.EV_DYAD].astype(str)})
    one2, effects2 = _timed(
        "one pass, curated layout + daily series",
        lambda: one_pass(events_t, curated, first, last),
    )
    target_keys = [[f"T{d}" for d in k] for k in dyad_keys]
    t0 = time.perf_counter()
    loop2 = per_ceasefire_loop(
        events_t, curated.iloc[picked], c.EV_TARGET, [target_keys[i] for i in picked], first, last
    )
    per2 = (time.perf_counter() - t0) / len(picked)
    same2 = _largest_difference(loop2, effects2.table.iloc[picked])
    _compare("curated + daily series", one2, per2, len(curated), same2)
    both = effects.table["status"] == "ok"
    agree = np.allclose(
        effects.table.loc[both, "estimate"], effects2.table.loc[both, "estimate"], equal_nan=True
    )
    print(f"  the two layouts give the same ratios for ceasefires with a dyad: {agree}")


def _largest_difference(loop: pd.DataFrame, one_pass_rows: pd.DataFrame) -> float:
    """Largest absolute difference between the loop's and the one pass's estimates (rows
    with an estimate in both)."""
    a = loop["estimate"].to_numpy(dtype=float)
    b = one_pass_rows["estimate"].to_numpy(dtype=float)
    both = ~np.isnan(a) & ~np.isnan(b)
    return float(np.max(np.abs(a[both] - b[both]))) if both.any() else float("nan")


if __name__ == "__main__":
    main()
