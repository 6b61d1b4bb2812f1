"""NULL (rate ratio 1; RR and WALK_SCALE are module constants the variants set). Near-unit-root log
intensity (daily AR 0.995, sd 0.07) plus a coup-like permanent level shift (x2.7) exactly 365
days before the ceasefire, NB noise (alpha 0.4), weekday reporting. 3.5 years before the
ceasefire; 90 days during."""

import numpy as np

PRE = int(3.5 * 365)
DURING = 90
DAYS = PRE + DURING
RR = 1.0
WALK_SCALE = 1.0  # share of the random-walk log level kept (0.2: mostly the level shift)


def simulate(rng: np.random.Generator, runs: int) -> dict:
    x = rng.normal(0, 0.07 / np.sqrt(1 - 0.995**2), runs)
    loglam = np.empty((runs, DAYS))
    for d in range(DAYS):
        x = 0.995 * x + rng.normal(0, 0.07, runs)
        loglam[:, d] = x
    jitter = rng.integers(-30, 31, runs)  # effective day varies a little between runs
    eff = PRE - 30 + jitter
    t = np.arange(DAYS)
    coup = (t[None, :] >= (eff - 365)[:, None]) * 1.0
    effect = (t[None, :] >= eff[:, None]) & (t[None, :] < (eff + DURING)[:, None])
    mu = 1.2 * np.exp(WALK_SCALE * loglam + coup) * np.where(effect, RR, 1.0)
    weekday = np.array([1.15, 1.05, 1.0, 1.0, 1.0, 0.8, 0.7])
    mu = mu * weekday[t % 7]
    alpha = 0.4
    counts = rng.poisson(mu * rng.gamma(1 / alpha, alpha, mu.shape))
    return dict(
        counts=counts, start="2019-01-07", effective_day=eff, during_days=DURING, true_rate_ratio=RR
    )
