"""Size and power of the DiD tests with 1 and 2 treated groups of 12, on our own panels.

The generator does not use the analysis package. It is built from what is known about
conflict event series: each group's weekly log-intensity is a group level (log-normal
spread, from a fraction of an event to ~20 events a week), a persistent group-specific
AR(1) (weekly phi 0.90-0.97), a shared national AR(1) factor (phi 0.95) with group-specific
loadings, a group-specific linear trend (escalation or de-escalation), an annual dry-season
cycle with a group-specific phase and gamma noise (overdispersion). The treated groups are
drawn at random (the design assumption of every test here); the truce date is fixed, and
its effect multiplies the treated groups' intensity during the post window.

Methods compared (two-sided, at 0.05):

* before: ``alignment.did_poisson`` cluster-robust t on G - 1 df, and its in-time placebo
  p over 19 pseudo-dates inside the pre window (floor 1/20);
* after: ``did.did_space_time`` (space-time randomization, studentized by group) and
  ``did.synthetic_control`` (placebo-in-space; floor 1/12 with one treated group).

Survival part: truce chains announced as 30-day extensions, a Weibull time to breakdown
with a falling hazard (shape 0.6: truces that survive the first weeks tend to hold), expiry
after 1-6 announcements as the competing end, and chains that began up to 120 days before
the data for 30% of chains (those that broke before it are never seen). The Kaplan-Meier
share still holding after 30 days is compared with the truth: before = each announcement a
new subject with no delayed entry, after = one subject per chain with delayed entry.

Run: ``nice -n 10 python benchmarks/validate_did_survival.py --runs 200``; prints one line per
method, number of treated groups and effect: rejection share at 0.05 with its Monte-Carlo
standard error; then the survival shares.
"""

from __future__ import annotations

import os

# one BLAS thread: the small PPML fits run 20x slower when threads fight over 2 shared cores
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import alignment, did  # noqa: E402
from analysis import survival as sv  # noqa: E402

GROUPS = 12
WEEKS = 520
PRE, POST = 26, 26
EVENT_WEEK = 390


def simulate_panel(rng: np.random.Generator, n_treated: int, effect: float) -> tuple:
    """One weekly panel (long PANEL table), its treated groups and the truce date."""
    week = np.arange(WEEKS)
    level = np.log(3.0) + rng.normal(0, 1.0, GROUPS)
    phi = rng.uniform(0.90, 0.97, GROUPS)
    sd = 0.6
    latent = np.empty((WEEKS, GROUPS))
    latent[0] = rng.normal(0, sd, GROUPS)
    shocks = rng.normal(0, 1, (WEEKS, GROUPS)) * sd * np.sqrt(1 - phi**2)
    common = np.empty(WEEKS)
    common[0] = rng.normal(0, 0.4)
    common_shocks = rng.normal(0, 0.4 * math.sqrt(1 - 0.95**2), WEEKS)
    for t in range(1, WEEKS):
        latent[t] = phi * latent[t - 1] + shocks[t]
        common[t] = 0.95 * common[t - 1] + common_shocks[t]
    loading = rng.uniform(0.5, 1.5, GROUPS)
    trend = rng.normal(0, 0.15, GROUPS) * (week[:, None] - WEEKS / 2) / 52.18
    phase = rng.normal(10, 4, GROUPS)  # peak around week 10 (March), group-specific
    season = 0.3 * np.cos(2 * np.pi * (week[:, None] - phase) / 52.18)
    log_rate = level + latent + loading * common[:, None] + trend + season
    treated = rng.choice(GROUPS, n_treated, replace=False)
    rate = np.exp(log_rate) * rng.gamma(2.0, 0.5, (WEEKS, GROUPS))
    rate[EVENT_WEEK : EVENT_WEEK + POST, treated] *= effect
    counts = rng.poisson(rate)
    periods = pd.date_range("2014-01-06", periods=WEEKS, freq="W-MON")
    names = [f"g{j:02d}" for j in range(GROUPS)]
    panel = pd.DataFrame(
        {
            "period": np.repeat(periods, GROUPS),
            "group": np.tile(names, WEEKS),
            "events": counts.ravel(),
            "fatalities": 0,
        }
    )
    chosen = [names[j] for j in treated]
    return panel, chosen, [n for n in names if n not in chosen], periods[EVENT_WEEK]


def run_once(
    rng: np.random.Generator, n_treated: int, effect: float, placebo: bool
) -> dict[str, float]:
    """p-values of every method on one simulated panel (the slow in-time placebo optional)."""
    panel, treated, controls, date = simulate_panel(rng, n_treated, effect)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old = alignment.did_poisson(
            panel,
            treated,
            date,
            pre_periods=PRE,
            post_periods=POST,
            n_placebo_dates=19 if placebo else 0,
        )
    new = did.did_space_time(panel, treated, controls, date, PRE, POST)
    synth = did.synthetic_control(panel, treated, controls, date, PRE, POST)
    return {
        "before: cluster t (G-1 df)": old.p_value,
        "before: in-time placebo": old.placebo_p_value if placebo else math.nan,
        "after: space-time RI": new.p_value,
        "after: synthetic control": synth.p_value,
        "resolution space-time": new.resolution,
        "resolution synthetic": synth.resolution,
    }


WEIBULL_SHAPE, WEIBULL_SCALE = 0.6, 120.0


def survival_shares(rng: np.random.Generator, chains: int) -> dict[str, float]:
    """KM share holding 30 days: per-announcement subjects vs chain subjects with entry."""
    t_break = WEIBULL_SCALE * rng.weibull(WEIBULL_SHAPE, chains)
    t_expire = 30.0 * rng.integers(1, 7, chains)
    # 30% of chains began before the data (up to 120 days); the rest inside it
    begin = np.where(rng.random(chains) < 0.3, rng.uniform(-120, 0, chains), 0.0)
    seen = np.minimum(t_break, t_expire) > -begin  # ended before the data: never observed
    entry = -begin[seen]
    broke = (t_break < t_expire)[seen]
    time = np.minimum(t_break, t_expire)[seen]
    chain = pd.DataFrame({sv.DURATION: time, sv.ENTRY: entry, sv.BROKE_DOWN: broke, "status": "ok"})
    # before: each 30-day announcement seen in the data is a new subject, its clock restarted
    rows = []
    for t, b, e in zip(time, broke, entry, strict=True):  # one chain at a time, a few hundred
        for k in range(int(math.ceil(t / 30.0))):
            lo, hi = 30.0 * k, min(30.0 * (k + 1), t)
            if hi > e:
                rows.append((hi - max(lo, e), b and hi == t))
    per_member = pd.DataFrame(rows, columns=[sv.DURATION, sv.BROKE_DOWN]).assign(status="ok")
    return {
        "before: per announcement, no entry": _held(per_member),
        "chain, entry ignored": _held(chain.drop(columns=[sv.ENTRY])),
        "after: chain, delayed entry": _held(chain),
    }


def _held(table: pd.DataFrame, day: int = 30) -> float:
    """Kaplan-Meier share of truces still without a breakdown after ``day`` days."""
    km = sv.kaplan_meier(table)
    seen = km[km["time"] <= day]
    return float(seen["survival"].iloc[-1]) if len(seen) else 1.0


def main() -> None:
    """Print rejection shares at 0.05 per method, treated count and effect."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--placebo-runs", type=int, default=20, help="runs that also refit the old placebo (slow)"
    )
    parser.add_argument("--survival-runs", type=int, default=100)
    parser.add_argument("--treated", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--effects", type=float, nargs="+", default=[1.0, 0.5])
    args = parser.parse_args()
    began = time.perf_counter()
    print(
        f"{GROUPS} groups x {WEEKS} weeks, window {PRE}+{POST}, runs {args.runs}, seed {args.seed}"
    )
    for n_treated in args.treated:
        for effect in args.effects:
            rng = np.random.default_rng([args.seed, n_treated, int(effect * 100)])
            rows = pd.DataFrame(
                [run_once(rng, n_treated, effect, i < args.placebo_runs) for i in range(args.runs)]
            )
            label = "size" if effect == 1.0 else "power"
            for method in [m for m in rows.columns if not m.startswith("resolution")]:  # 4
                p = rows[method].dropna()
                share = float((p <= 0.05).mean()) if len(p) else math.nan
                share10 = float((p <= 0.10).mean()) if len(p) else math.nan
                se = math.sqrt(share * (1 - share) / max(len(p), 1))
                print(
                    f"treated {n_treated} effect {effect:.1f} {label:5s} {method:28s} "
                    f"runs {len(p):4d} reject@0.05 {share:.3f} (MC se {se:.3f}) "
                    f"@0.10 {share10:.3f}",
                    flush=True,
                )
            print(
                f"treated {n_treated} median resolution: space-time "
                f"{rows['resolution space-time'].median():.4f}, synthetic "
                f"{rows['resolution synthetic'].median():.4f}"
            )
    truth = math.exp(-((30 / WEIBULL_SCALE) ** WEIBULL_SHAPE))
    rng = np.random.default_rng([args.seed, 99])
    medians = pd.DataFrame([survival_shares(rng, 300) for _ in range(args.survival_runs)])
    for method in medians.columns:
        m = medians[method]
        print(
            f"survival: share holding 30 days (truth {truth:.3f}) {method:36s} runs {len(m):4d} "
            f"mean {m.mean():.3f} (MC se {m.std(ddof=1) / math.sqrt(len(m)):.3f})"
        )
    print(f"elapsed {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
