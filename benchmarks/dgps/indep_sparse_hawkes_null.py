"""NULL. Sparse, bursty series: background 0.08 events/day with a slowly varying (AR 0.99)
log level, plus self-excitation (Hawkes, branching ratio 0.6, exponential kernel mean 3 d)
-> ~0.2 events/day, most days zero, clusters of events. 3 years + 30 days during; exogenous date;
no effect."""

import numpy as np

DURING = 30
DAYS = 3 * 365 + 120


def simulate(rng: np.random.Generator, runs: int) -> dict:
    branching, decay = 0.6, np.exp(-1 / 3)
    excite = np.zeros(runs)
    x = rng.normal(0, 0.05 / np.sqrt(1 - 0.99**2), runs)
    counts = np.zeros((runs, DAYS), dtype=int)
    for d in range(DAYS):
        x = 0.99 * x + rng.normal(0, 0.05, runs)
        mu = 0.08 * np.exp(x) + excite
        n = rng.poisson(mu)
        counts[:, d] = n
        excite = decay * excite + branching * (1 - decay) * n
    eff = rng.integers(3 * 365 - 60, 3 * 365 + 90, runs)
    return dict(
        counts=counts,
        start="2020-01-06",
        effective_day=eff,
        during_days=DURING,
        true_rate_ratio=1.0,
    )
