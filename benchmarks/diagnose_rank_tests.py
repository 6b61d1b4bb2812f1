"""Where the placebo and DiD randomization tests lose size below their exact rank level.

With n reference values and no ties a two-sided rank test at 0.05 rejects with probability
2 * floor(0.025 (1 + n)) / (1 + n) (2 / 42 = 0.048 at n = 41) when the observed statistic is
exchangeable with them. Under the null, for each run this prints what can pull it lower:

* ``tie obs`` / ``tie at extreme``: runs where a placebo equals the observed statistic (and
  where that tie sits at the smallest or largest value, the only place a tie changes the
  decision at 0.05); ``ties any``: runs with any tied placebo values; ``inf``: mean number of
  infinite placebo log ratios (zero-during or zero-pre windows);
* ``oracle``: size when a randomly chosen pseudo-window plays the observed one, ranked among
  the others (exchangeable by construction: the rank machinery alone); ``oracle late`` /
  ``oracle early``: the same with one of the last / first three windows (random placebo), which
  shows what the position of the real window (drawn in the last 300 days) does;
* ``12 var(u)``: 12 x the variance of the observed's mid-rank u in (0, 1) (1 for a uniform
  rank; below 1 the observed is less spread than the placebos, the test conservative) and
  ``mean u`` (0.5 unless the observed is shifted to one side).

Ties (``--part ties``): iid sparse days, so the real window is exchangeable with the
pseudo-windows and only ties can move the size: ties counted against the observed (before)
or put in seeded random order (after).

DiD (``--part did``, the panels of ``validate_did_survival.py``): ties of |statistic| with the
observed, the exact level floor(0.05 (1 + n)) / (1 + n) and the same rank moments.

Run: ``nice -n 10 python benchmarks/diagnose_rank_tests.py --runs 1000``.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import validate_did_survival as vd  # noqa: E402
import validate_placebo_timing as vp  # noqa: E402

from analysis import did  # noqa: E402
from analysis import placebo as pl  # noqa: E402

PLACEBO_DGPS = (*vp.EXOGENOUS, *vp.SPIKE)
DURING_DAYS = 60  # the DGPs' during window


def exact_two_sided(n: int) -> float:
    """Size at 0.05 of a two-sided rank test with ``n`` reference values, no ties."""
    return 2 * math.floor(0.05 * (1 + n) / 2) / (1 + n)


def placebo_run(counts: np.ndarray, index: pd.DatetimeIndex, effective: int, rng) -> dict:
    """The diagnostics of one simulated series (random and matched placebo)."""
    series = pd.Series(counts.astype(float), index=index)
    windows = vp.windows_at(index, effective, DURING_DAYS)
    plain = pl.placebo_test(series, windows)
    matched = pl.placebo_test(series, windows, match_pre_level=True)
    values, observed, n = plain.placebo_log_rr, plain.observed_log_rr, plain.n_placebos
    below, equal = int((values < observed).sum()), int((values == observed).sum())
    pick, late, early = int(rng.integers(n)), n - 1 - int(rng.integers(3)), int(rng.integers(3))
    starts = (plain.candidate_windows["pre_start"] - index[0]).dt.days.to_numpy()
    cum = np.concatenate([[0.0], np.cumsum(counts.astype(float))])
    residuals = pl._adjusted_residuals(cum, starts, vp.PRE_DAYS, vp.PRE_DAYS, DURING_DAYS)
    with_real = pl._adjusted_residuals(
        cum,
        np.concatenate([[effective - vp.PRE_DAYS], starts]),
        vp.PRE_DAYS,
        vp.PRE_DAYS,
        DURING_DAYS,
    )
    return {
        "n": n,
        "p random": plain.p_value,
        "p matched": matched.p_value,
        "oracle random": pl.two_sided_rank_p(float(values[pick]), np.delete(values, pick)),
        "oracle matched": pl.two_sided_rank_p(float(residuals[pick]), np.delete(residuals, pick)),
        "oracle late": pl.two_sided_rank_p(float(values[late]), np.delete(values, late)),
        "oracle early": pl.two_sided_rank_p(float(values[early]), np.delete(values, early)),
        "ties any": len(np.unique(values)) < n,
        "tie obs": equal > 0,
        "tie at extreme": equal > 0 and (below == 0 or below + equal == n),
        "inf": int((~np.isfinite(values)).sum()),
        "u random": (below + 0.5 * equal + 0.5) / (n + 1),
        "u matched": ((with_real[1:] < with_real[0]).sum() + 0.5) / (n + 1),
    }


def _without_trend(simulate: Callable[..., dict]) -> Callable[..., dict]:
    """The generator with its trend set to zero whatever the DGP file asks."""
    return lambda *args, **kwargs: simulate(*args, **{**kwargs, "trend_per_year": 0.0})


def placebo_table(runs: int, seed: int, days: int, trend: bool = True) -> pd.DataFrame:
    """One row per DGP: sizes, oracle sizes, tie shares and rank moments (``trend=False``:
    the DGP without its linear trend, which over a lengthened series makes late windows
    busier, so less noisy, than early ones)."""
    rows = []
    for offset, name in enumerate(PLACEBO_DGPS):
        module = vp.dgp(name, days)
        if not trend:
            module._LATENT.simulate_series = _without_trend(module._LATENT.simulate_series)
        sim = module.simulate(np.random.default_rng(seed + offset), runs)
        index = pd.date_range(sim["start"], periods=sim["counts"].shape[1], freq="D")
        rng = np.random.default_rng([seed, offset])
        runs_ = pd.DataFrame(
            [
                placebo_run(counts, index, int(effective), rng)
                for counts, effective in zip(sim["counts"], sim["effective_day"], strict=True)
            ]
        )
        row = {
            "dgp": f"{name} ({days} d{'' if trend else ', no trend'})",
            "runs": runs,
            "n": f"{runs_.n.min()}-{runs_.n.max()}",
        }
        row["exact"] = np.mean([exact_two_sided(n) for n in runs_.n])
        for key in (
            "p random",
            "p matched",
            "oracle random",
            "oracle matched",
            "oracle late",
            "oracle early",
        ):
            row[key.replace("p ", "size ")] = float((runs_[key] <= 0.05).mean())
        for key in ("ties any", "tie obs", "tie at extreme", "inf"):
            row[key] = float(runs_[key].mean())
        for kind in ("random", "matched"):
            row[f"mean u {kind}"] = float(runs_[f"u {kind}"].mean())
            row[f"12 var(u) {kind}"] = float(12 * runs_[f"u {kind}"].var())
        rows.append(row)
        print(pd.Series(row).to_string(), flush=True)
    return pd.DataFrame(rows)


def ties_table(runs: int, seed: int, mean: float = 0.1, days: int = 2400) -> pd.DataFrame:
    """Heavy ties, exchangeable by construction: iid Poisson(``mean``) days, 30 + 20-day
    windows, the date in the last 200 days (at 0.1 a day and 2,400 days: about 45
    pseudo-windows, 6 of them empty during). Size, overall and in the falls (lower) tail, with
    ties counted against the observed (before) and in seeded random order (after); and, in
    random order, with the pseudo-windows that have no pre events kept as +inf ("zero-pre
    kept", the rule before this change) instead of left out."""
    rng = np.random.default_rng(seed)
    pre, during = 30, 20
    index = pd.date_range("2016-01-01", periods=days, freq="D")
    found = []
    for run in rng.poisson(mean, (runs, days)).astype(float):
        effective = int(rng.integers(days - 200, days - during))
        windows = vp.windows_at(index, effective, during)
        windows = dataclasses.replace(windows, pre_start=index[effective - pre], pre_days_used=pre)
        result = pl.placebo_test(pd.Series(run, index=index), windows, seed=int(rng.integers(1e9)))
        if math.isnan(result.p_value):  # no events in the real pre window
            continue
        values, observed = result.placebo_log_rr, result.observed_log_rr
        lower = observed < np.median(values)
        p_values = {
            "before": pl.two_sided_rank_p(observed, values),
            "after": result.p_value,
            "zero-pre kept": pl.two_sided_rank_p(
                observed, np.append(values, np.full(_zero_pre(run, windows), np.inf)), rng
            ),
        }
        row = {"tie obs": bool(np.any(values == observed))}
        row["exact"] = exact_two_sided(result.n_placebos)
        for key, p_value in p_values.items():
            row[key] = p_value <= 0.05
            row[f"{key} falls"] = p_value <= 0.05 and lower
        found.append(row)
    frame = pd.DataFrame(found)
    row = {"mean": mean, "runs with p": len(frame), "seed": seed, **frame.mean().round(4)}
    print(pd.Series(row).to_string(), flush=True)
    return pd.DataFrame([row])


def _zero_pre(run: np.ndarray, windows) -> int:
    """Enumerated pseudo-windows with no pre events but some during (the old +inf ones)."""
    index_days = pd.date_range("2016-01-01", periods=len(run), freq="D")
    pre = (windows.pre_end - windows.pre_start).days + 1
    width = (windows.during_end - windows.pre_start).days + 1
    real = (windows.pre_start - index_days[0]).days
    blocked = np.zeros(len(run), dtype=bool)
    blocked[real : real + width] = True
    starts = pl.non_overlapping_starts(blocked, width)
    cum = np.concatenate([[0.0], np.cumsum(run)])
    before = cum[starts + pre] - cum[starts]
    during = cum[starts + width] - cum[starts + pre]
    return int(((before == 0) & (during > 0)).sum())


def did_table(runs: int, seed: int) -> pd.DataFrame:
    """Size, exact level, ties and rank moments of the space-time test, 1 and 2 treated."""
    rows = []
    for n_treated in (1, 2):
        rng = np.random.default_rng([seed, n_treated, 100])
        found = []
        for _ in range(runs):
            panel, treated, controls, date = vd.simulate_panel(rng, n_treated, 1.0)
            result = did.did_space_time(panel, treated, controls, date, vd.PRE, vd.POST)
            pseudo = np.abs(result.pseudo["statistic"].to_numpy())
            observed, n = abs(result.statistic), result.n_pseudo
            found.append(
                {
                    "p": result.p_value,
                    "n": n,
                    "tie obs": bool(np.any(np.abs(pseudo - observed) < 1e-9)),
                    "u": ((pseudo < observed).sum() + 0.5) / (n + 1),
                    "exact": math.floor(0.05 * (n + 1)) / (n + 1),
                }
            )
        frame = pd.DataFrame(found)
        size = float((frame.p <= 0.05).mean())
        rows.append(
            {
                "treated": n_treated,
                "runs": runs,
                "seed": seed,
                "size": size,
                "MC se": math.sqrt(size * (1 - size) / runs),
                "exact": frame.exact.mean(),
                "no p": int(frame.p.isna().sum()),
                "n": f"{frame.n.min()}-{frame.n.max()}",
                "tie obs": float(frame["tie obs"].mean()),
                "12 var(u)": float(12 * frame.u.var()),
            }
        )
        print(pd.Series(rows[-1]).to_string(), flush=True)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and print the diagnostics."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--days", type=int, default=6500)
    parser.add_argument("--no-trend", action="store_true", help="placebo DGPs without trend")
    parser.add_argument("--part", choices=("placebo", "did", "ties", "all"), default="all")
    args = parser.parse_args(argv)
    with pd.option_context("display.width", 250, "display.precision", 3):
        if args.part in ("placebo", "all"):
            table = placebo_table(args.runs, args.seed, args.days, not args.no_trend)
            print(table.to_string(index=False))
        if args.part in ("ties", "all"):
            for mean, days in ((0.1, 2400), (0.06, 4000)):
                print(ties_table(args.runs, args.seed, mean, days).to_string(index=False))
        if args.part in ("did", "all"):
            print(did_table(args.runs, args.seed).to_string(index=False))


if __name__ == "__main__":
    main()
