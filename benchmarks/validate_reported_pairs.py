"""Coverage of notebook 05's within-monitor interval, under Poisson and overdispersed counts.

Known truth: a before count over ``days`` days with ``per_day`` strikes a day, and a during
count over the same number of days with the rate times ``ratio``. Counts are Poisson, or sums
of negative-binomial daily counts (size ``k`` per day, variance per_day + per_day**2 / k:
strikes that cluster in days), drawn here with numpy, apart from the estimator.

Prints, per DGP and true ratio: the share of exact Poisson 95% intervals
(:func:`analysis.reported_pairs.exact_ratio_interval`) that cover the true ratio, with its
Monte-Carlo standard error; then the share of intervals wholly below 1 at the MDE (should be
0.80) and with no change (at most 0.025). The default matches the Myanmar Witness pair
(50 before over 20 days, 20 days during).

Run: ``nice -n 10 python benchmarks/validate_reported_pairs.py --runs 4000 --seed 11``.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

from analysis import reported_pairs


def _draw(rng: np.random.Generator, mean_per_day: float, days: int, size: float | None, runs: int):
    if size is None:
        return rng.poisson(mean_per_day * days, runs)
    return rng.negative_binomial(days * size, size / (size + mean_per_day), runs)


def main() -> None:
    """Print coverage per DGP and ratio, then the detection shares at the MDE and at 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--before", type=float, default=50.0, help="expected before count")
    parser.add_argument("--days", type=int, default=20, help="days of each period")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    per_day = args.before / args.days
    se = math.sqrt(0.95 * 0.05 / args.runs)
    print(f"runs {args.runs}, seed {args.seed}, {args.before:g} before over {args.days} days")
    print(f"coverage of the exact Poisson 95% interval (MC s.e. {se:.4f})")
    for label, size in (("Poisson", None), ("NB size 5/day", 5.0), ("NB size 1/day", 1.0)):
        shares = []
        for ratio in (0.5, 1.0, 1.34):
            before = _draw(rng, per_day, args.days, size, args.runs)
            during = _draw(rng, per_day * ratio, args.days, size, args.runs)
            low, high = reported_pairs.exact_ratio_interval(during, args.days, before, args.days)
            shares.append(f"ratio {ratio:g}: {np.mean((low <= ratio) & (ratio <= high)):.3f}")
        print(f"  {label:14s} " + ", ".join(shares))
    mde = reported_pairs.mde_of_fall(args.before, args.days, args.days)
    for ratio in (mde, 1.0):
        before = rng.poisson(args.before, args.runs)
        during = rng.poisson(args.before * ratio, args.runs)
        _, high = reported_pairs.exact_ratio_interval(during, args.days, before, args.days)
        print(f"interval wholly below 1 at ratio {ratio:.3f}: {np.mean(high < 1):.3f}")


if __name__ == "__main__":
    main()
