"""NULL. Markov-switching conflict intensity: calm / escalation regimes (escalation x3.3, mean
duration 25 d; calm mean duration 90 d), AR(0.9) daily log noise on top, NB gamma noise
(alpha 0.6), weekday reporting (weekend -35%, Monday catch-up), mild trend, annual season.
4 years; exogenous ceasefire date uniform in the last year; 60 days during; no effect."""

import numpy as np

DAYS = 4 * 365 + 60
DURING = 60


def simulate(rng: np.random.Generator, runs: int) -> dict:
    p_calm_to_esc, p_esc_to_calm = 1 / 90, 1 / 25
    state = rng.random(runs) < 0.22
    eps = np.zeros(runs)
    loglam = np.empty((runs, DAYS))
    t = np.arange(DAYS)
    trend = rng.normal(0, 0.25, runs)[:, None] * t / 365  # +-25%/yr drift per run
    season = 0.3 * np.sin(2 * np.pi * (t - rng.integers(0, 365, runs)[:, None]) / 365.25)
    for d in range(DAYS):
        u = rng.random(runs)
        state = np.where(state, u >= p_esc_to_calm, u < p_calm_to_esc)
        eps = 0.9 * eps + rng.normal(0, 0.25, runs)
        loglam[:, d] = np.log(1.5) + 1.2 * state + eps
    weekday = np.array([1.25, 1.05, 1.0, 1.0, 1.0, 0.7, 0.6])  # 2021-01-04 is a Monday
    mu = np.exp(loglam + trend + season) * weekday[t % 7]
    alpha = 0.6
    counts = rng.poisson(mu * rng.gamma(1 / alpha, alpha, mu.shape))
    eff = rng.integers(3 * 365, 4 * 365, runs)
    return dict(
        counts=counts,
        start="2021-01-04",
        effective_day=eff,
        during_days=DURING,
        true_rate_ratio=1.0,
    )
