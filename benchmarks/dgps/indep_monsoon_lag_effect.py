"""EFFECT 0.5. Strong monsoon seasonality (intensity x0.35 Jun-Sep, smooth), the ceasefire takes
effect at monsoon onset (1 Jun +- 10 d) so the lull and the truce coincide; AR(0.93, sd 0.15)
log noise, NB noise (alpha 0.5), trend, weekday reporting and reporting lags (events reported
0-6 days late, geometric). 5.4 years before; 90 days during."""

import numpy as np

DURING = 90
RR = 0.5
START = np.datetime64("2018-01-01")
DAYS = 6 * 365


def simulate(rng: np.random.Generator, runs: int) -> dict:
    t = np.arange(DAYS)
    doy = t % 365.25
    # smooth monsoon dip centred on day ~ 213 (1 Aug), Jun-Sep
    monsoon = -1.05 * np.exp(-0.5 * ((doy - 213) / 38) ** 2)
    x = np.zeros(runs)
    loglam = np.empty((runs, DAYS))
    for d in range(DAYS):
        x = 0.93 * x + rng.normal(0, 0.15, runs)
        loglam[:, d] = x
    trend = rng.normal(0, 0.15, runs)[:, None] * t / 365
    eff = (np.datetime64("2023-06-01") - START).astype(int) + rng.integers(-10, 11, runs)
    effect = (t[None, :] >= eff[:, None]) & (t[None, :] < (eff + DURING)[:, None])
    mu = 3.0 * np.exp(loglam + trend + monsoon[None, :]) * np.where(effect, RR, 1.0)
    alpha = 0.5
    events = rng.poisson(mu * rng.gamma(1 / alpha, alpha, mu.shape))
    # weekday reporting: weekend events held to Monday with prob 0.4; then geometric lag
    wd = (t + 0) % 7  # 2018-01-01 is a Monday
    lagp = 0.55 * 0.45 ** np.arange(7)
    lagp /= lagp.sum()
    split = rng.multinomial(events, lagp)  # runs x days x 7
    counts = np.zeros((runs, DAYS + 8), dtype=int)
    for k in range(7):
        counts[:, k : k + DAYS] += split[:, :, k]
    counts = counts[:, :DAYS]
    weekend = wd >= 5
    held = rng.binomial(counts[:, weekend], 0.4)
    counts[:, weekend] -= held
    # move held to the next Monday
    wdays = np.where(weekend)[0]
    monday = wdays + (7 - wd[wdays])
    okm = monday < DAYS
    np.add.at(counts, (slice(None), monday[okm]), held[:, okm])
    return dict(
        counts=counts, start="2018-01-01", effective_day=eff, during_days=DURING, true_rate_ratio=RR
    )
