"""Speed of the vectorised batch estimator against the single-ceasefire path.

Estimates 2,000 synthetic ceasefires on one simulated daily panel with
``bt.batch_effects`` and compares with running ``effects.estimate_ceasefire_effect``
(NB2 fit + placebos) once per ceasefire: a few are timed and the total extrapolated. When
notebooks/02_ceasefire_effect.ipynb exists, papermill runs of it (2) are timed the same way.

Run: .venv/bin/python benchmarks/bench_batch.py [--n 2000] [--notebook]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import batch as bt
from analysis import contract as c
from analysis import effects as ef
from analysis import pooling as po
from analysis import simulate as sim

ROOT = Path(__file__).resolve().parent.parent


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


if __name__ == "__main__":
    main()
