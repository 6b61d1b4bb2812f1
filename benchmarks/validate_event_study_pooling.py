"""Coverage and size of the event study and of random-effects pooling on our own DGPs.

The generator does not use the analysis package: a latent AR(1) log-intensity (phi 0.5, 0.9,
0.95), a linear trend, annual seasonality, day of week and negative-binomial overdispersion.
The event-study truth of week w is the log of the deterministic weekly mean (trend, season,
effect) against the reference week; the latent AR part is noise. Pooling draws k study log
ratios with heterogeneity tau and within-study standard errors from Poisson counts (some
studies with zero events during, kept by a continuity correction).

Run: ``python benchmarks/validate_event_study_pooling.py --runs 200``; prints one line per
setting with coverage/size and its Monte-Carlo standard error.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

from analysis import pooling
from analysis import time_series as ts

DAYS = 730
ANCHOR = 600
WEEKS_BEFORE, WEEKS_AFTER = 8, 12


def simulate_series(
    rng: np.random.Generator, phi: float, effect: float, trend: float
) -> tuple[np.ndarray, np.ndarray]:
    """Daily counts and the deterministic log mean (without the latent AR part)."""
    t = np.arange(DAYS)
    sd = 0.5
    shocks = rng.normal(0, sd * math.sqrt(1 - phi**2), DAYS)
    latent = np.empty(DAYS)
    latent[0] = rng.normal(0, sd)
    for day in range(1, DAYS):
        latent[day] = phi * latent[day - 1] + shocks[day]
    season = 0.3 * np.sin(2 * np.pi * t / 365.25)
    dow = np.array([0.1, 0.0, -0.1, 0.05, 0.0, -0.2, 0.15])[t % 7]
    step = np.where(t >= ANCHOR, math.log(effect), 0.0)
    log_mean = math.log(3.0) + trend * t / 365.0 + season + dow + step
    size = 4.0  # NB2 size parameter: variance mu + mu^2 / 4
    mu = np.exp(log_mean + latent)
    counts = rng.poisson(rng.gamma(size, mu / size))
    return counts.astype(float), log_mean


def event_study_run(rng: np.random.Generator, phi: float, trend: float) -> dict[str, float]:
    """Pointwise and simultaneous coverage, pre-trend rejection of one simulated series."""
    counts, log_mean = simulate_series(rng, phi, 0.5, trend)
    index = pd.date_range("2020-01-01", periods=DAYS, freq="D")
    es = ts.event_study(
        pd.Series(counts, index=index),
        index[ANCHOR],
        weeks_before=WEEKS_BEFORE,
        weeks_after=WEEKS_AFTER,
    )
    weeks = np.arange(-WEEKS_BEFORE, WEEKS_AFTER)
    weekly = {
        w: np.log(np.exp(log_mean[ANCHOR + 7 * w : ANCHOR + 7 * w + 7]).mean()) for w in weeks
    }
    es = es[es["week"] != -1].dropna(subset=["ci_low"])
    truth = np.exp(np.array([weekly[w] - weekly[-1] for w in es["week"]]))
    hits = (es["ci_low"].to_numpy() < truth) & (truth < es["ci_high"].to_numpy())
    out = {"pointwise": float(hits.mean())}
    if "band_low" in es:
        band = (es["band_low"].to_numpy() < truth) & (truth < es["band_high"].to_numpy())
        out["sup_t"] = float(band.all())
    p = es.attrs.get("pretrend_p", math.nan)
    out["pretrend_reject"] = float(p <= 0.05) if np.isfinite(p) else math.nan
    return out


def pooling_run(rng: np.random.Generator, k: int, tau: float, zero_share: float) -> float:
    """Coverage of the pooled log ratio (truth 0.7) in one meta-analysis of k studies."""
    true_log = math.log(0.7)
    days = rng.integers(20, 90, k)
    base_rate = rng.uniform(0.1, 2.0, k)
    study_log = true_log + rng.normal(0, tau, k)
    before = rng.poisson(base_rate * days)
    during = rng.poisson(base_rate * days * np.exp(study_log))
    quiet = rng.random(k) < zero_share
    during = np.where(quiet, 0, during)
    before = np.maximum(before, 1)
    table = pd.DataFrame(
        {
            "group": "g",
            "events_pre": before,
            "events_during": during,
            "n_pre": days,
            "n_during": days,
        }
    )
    if hasattr(pooling, "count_log_ratios"):
        table = pooling.count_log_ratios(table)
        pooled = pooling.pool_random_effects(table, "group")
    else:  # the old path: zero-during studies have no estimate and are dropped
        with np.errstate(divide="ignore"):
            table["log_rr"] = np.where(during > 0, np.log(during / before), np.nan)
        table["se"] = np.sqrt(1 / np.maximum(during, 1) + 1 / before)
        pooled = pooling.pool_random_effects(table, "group")
    row = pooled.iloc[0]
    # zero-during studies are set to 0 whatever their truth: the target stays 0.7 on purpose
    return float(row["ci_low"] < 0.7 < row["ci_high"])


def fwer_run(rng: np.random.Generator, chains: int, chain_length: int) -> tuple[float, float]:
    """Family-wise error of BH vs the chain-aware adjustment under the global null."""
    z_chain = rng.normal(size=chains)
    z = np.repeat(z_chain, chain_length) * 0.95 + rng.normal(
        size=chains * chain_length
    ) * math.sqrt(1 - 0.95**2)
    p = pd.Series(2 * (1 - 0.5 * (1 + np.vectorize(math.erf)(np.abs(z) / math.sqrt(2)))))
    chain = pd.Series(np.repeat(np.arange(chains), chain_length))
    bh = float((pooling.benjamini_hochberg(p) <= 0.05).any())
    if hasattr(pooling, "chain_fdr"):
        adjusted = float((pooling.chain_fdr(p, chain) <= 0.05).any())
    else:
        adjusted = math.nan
    return bh, adjusted


def mc_line(label: str, values: list[float]) -> str:
    """'label: mean (MC se s, runs n)'."""
    arr = np.array([v for v in values if np.isfinite(v)])
    if not len(arr):
        return f"{label}: n/a"
    mean = arr.mean()
    mc_se = math.sqrt(mean * (1 - mean) / len(arr))
    return f"{label}: {mean:.3f} (MC se {mc_se:.3f}, runs {len(arr)})"


def main() -> None:
    """Print coverage and size per setting."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for phi in (0.5, 0.9, 0.95):
        for trend in (0.0, 0.3):
            res = [event_study_run(rng, phi, trend) for _ in range(args.runs)]
            tag = f"event study phi {phi} trend {trend}"
            print(mc_line(tag + " pointwise", [r["pointwise"] for r in res]))
            print(mc_line(tag + " sup-t", [r.get("sup_t", math.nan) for r in res]))
            print(mc_line(tag + " pre-trend size", [r["pretrend_reject"] for r in res]))
    for zero_share in (0.0, 0.3):
        for k in (2, 3, 5, 10):
            cov = [pooling_run(rng, k, 0.3, zero_share) for _ in range(args.runs)]
            print(mc_line(f"pooling k {k} tau 0.3 zero-share {zero_share} coverage", cov))
    res = [fwer_run(rng, 13, 3) for _ in range(args.runs)]
    print(mc_line("global null 13 chains x 3: FWER of BH", [r[0] for r in res]))
    print(mc_line("global null 13 chains x 3: FWER of chain FDR", [r[1] for r in res]))


if __name__ == "__main__":
    main()
