"""Simulated daily counts with known truth, for tests and benchmarks of the estimators."""

from __future__ import annotations

import math

import numpy as np


def simulate_counts(
    n_runs: int,
    n_days: int,
    *,
    mean: float = 2.0,
    phi: float = 0.5,
    sd: float = 0.5,
    dispersion: float = 0.5,
    rate_ratio: float = 1.0,
    change_day: int | None = None,
    seed: int | np.random.Generator = 0,
) -> np.ndarray:
    """Daily counts with autocorrelation and overdispersion, shape (n_runs, n_days).

    log-intensity = log(mean) + x_t with x_t a stationary AR(1) (coefficient ``phi``,
    marginal sd ``sd``, mean-corrected so E[intensity] = mean), multiplied by independent
    gamma noise of variance ``dispersion`` (so counts are NB given x) and by ``rate_ratio``
    from ``change_day`` on. Used by tests and benchmarks to check coverage and bias.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    shocks = rng.normal(0.0, sd * math.sqrt(1 - phi**2), (n_runs, n_days))
    x = np.empty((n_runs, n_days))
    x[:, 0] = rng.normal(0.0, sd, n_runs)
    for t in range(1, n_days):  # AR(1) recursion over days, vectorised over runs
        x[:, t] = phi * x[:, t - 1] + shocks[:, t]
    intensity = mean * np.exp(x - sd**2 / 2)
    if change_day is not None:
        intensity[:, change_day:] *= rate_ratio
    if dispersion > 0:
        intensity *= rng.gamma(1 / dispersion, dispersion, (n_runs, n_days))
    return rng.poisson(intensity).astype(float)
