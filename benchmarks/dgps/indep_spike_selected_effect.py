"""Ceasefire declared right after an offensive peak. Daily log intensity AR(0.97, sd 0.12) plus
occasional offensives (Poisson 3/yr, log +1.0 ramping up over ~3 weeks then decaying over ~6),
annual season, NB noise (alpha 0.5). The ceasefire takes effect the day after the peak 14-day
count of a 300-day search range ending in year 4 (an offensive peak: the last 30 days trend
upward in ~all runs). 3-4 years of history; 60 days during. RR from the module constant (this
file: EFFECT 0.5)."""

import numpy as np

DURING = 60
DAYS = 4 * 365 + 60
RR = 0.5


def simulate(rng: np.random.Generator, runs: int) -> dict:
    x = np.zeros(runs)
    off = np.zeros(runs)
    ramp = np.zeros(runs)
    loglam = np.empty((runs, DAYS))
    for d in range(DAYS):
        x = 0.97 * x + rng.normal(0, 0.12, runs)
        start = rng.random(runs) < 3 / 365
        ramp = np.where(start, 1.0, ramp)  # offensive build-up
        off = off + ramp * (1.0 - off) * 0.12
        ramp = np.where(off > 0.95, 0.0, ramp)
        off = np.where(ramp > 0, off, off * np.exp(-1 / 40))
        loglam[:, d] = np.log(2.0) + x + off
    t = np.arange(DAYS)
    loglam += 0.35 * np.cos(2 * np.pi * (t - 30) / 365.25)
    alpha = 0.5
    base = np.exp(loglam)
    counts0 = rng.poisson(base * rng.gamma(1 / alpha, alpha, base.shape))
    c = np.cumsum(np.concatenate([np.zeros((runs, 1)), counts0], axis=1), axis=1)
    lo, hi = 3 * 365 - 200, 3 * 365 + 100
    trail = (c[:, 14:] - c[:, :-14])[
        :, lo - 14 + 1 : hi - 14 + 1
    ]  # trailing 14-day sum ending day d
    eff = lo + np.argmax(trail, axis=1) + 1
    idx = np.arange(runs)
    last15 = c[idx, eff] - c[idx, eff - 15]
    first15 = c[idx, eff - 15] - c[idx, eff - 30]
    effect = (t[None, :] >= eff[:, None]) & (t[None, :] < (eff + DURING)[:, None])
    # redraw the during window with the effect, keeping the same latent path and noise
    g = rng.gamma(1 / alpha, alpha, base.shape)
    counts = np.where(effect, rng.poisson(base * np.where(effect, RR, 1.0) * g), counts0)
    return dict(
        counts=counts,
        start="2020-01-06",
        effective_day=eff,
        during_days=DURING,
        true_rate_ratio=RR,
        share_upward=float(np.mean(last15 > first15)),
    )
