"""Shared generator for the validation DGPs: daily conflict-like counts with known truth.

Built from what is known about conflict event series (not from the project's estimators):
strong persistence of the underlying intensity (a latent AR(1) log-intensity with daily
coefficient 0.9-0.97), slow trends (escalation), annual seasonality (dry-season peaks),
weekday patterns in reporting, and overdispersion (gamma-Poisson noise on top of the latent
intensity). The ceasefire multiplies the intensity by ``true_rate_ratio`` on its days.
Each DGP file calls :func:`simulate_series` with its own settings.

Two rules put the declaration after a spike. ``"top_decile"`` picks at random among the days
whose trailing 30-day mean is in the top decile of the whole search range: the range's
later days enter the choice (a day followed by more high days is less likely to be picked),
so it peeks at the future and favours a fall after the date even with no effect. Even the
true conditional mean, forecast from the latent state, then runs 0.13-0.22 (log) above
what follows, against 0.03-0.05 at random dates. ``"first_crossing"`` is a stopping time,
decided on the past only, as a declaration is: from a random day, the first day on which the
trailing 30-day mean reaches the 90th percentile of the trailing means of the two years
before; there the true conditional mean's log error is 0.05-0.08. That rule reads the latent
intensity, which the counts show only through their noise: the parties know more of the
fighting than gets reported. ``"first_crossing_reported"`` applies the same rule to the
reported counts (a declaration prompted by the violence the world saw); the ceasefire's
effect then thins the counts of its days (binomially, ``true_rate_ratio`` at most 1).
"""

from __future__ import annotations

import numpy as np

START = "2019-01-01"
DAYS = 1400
DURING_DAYS = 60
EARLIEST_DAY = 1100
LATEST_DAY = DAYS - DURING_DAYS


def simulate_series(
    rng: np.random.Generator,
    runs: int,
    *,
    mean: float,
    phi: float,
    latent_sd: float,
    trend_per_year: float,
    season_amplitude: float,
    weekday_amplitude: float,
    gamma_shape: float,
    true_rate_ratio: float,
    spike_selected: bool,
    spike_rule: str = "top_decile",
    during_days: int = DURING_DAYS,
) -> dict:
    """Counts, ceasefire day and truth for ``runs`` independent series.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    runs : int
        Number of series.
    mean, phi, latent_sd : float
        Mean daily count, daily AR(1) coefficient and stationary sd of the latent log-intensity.
    trend_per_year : float
        Linear change of the log-intensity per year.
    season_amplitude, weekday_amplitude : float
        Amplitudes (log scale) of the annual cycle (peak in March, dry season) and weekday cycle.
    gamma_shape : float
        Shape of the daily gamma multiplier (mean 1); smaller is more overdispersed.
    true_rate_ratio : float
        Causal multiplicative effect during the ceasefire.
    spike_selected : bool
        Declare the ceasefire the day after a spike in the trailing 30-day mean.
    spike_rule : {"top_decile", "first_crossing", "first_crossing_reported"}
        How the spike is found (module doc): among the top decile of the search range (looks
        ahead) or at the first crossing of the past two years' 90th percentile (past only) of
        the latent intensity or of the reported counts.
    during_days : int
        Length of the ceasefire (:data:`DURING_DAYS` by default).

    Returns
    -------
    dict
        ``counts``, ``start``, ``effective_day``, ``during_days``, ``true_rate_ratio``.
    """
    day = np.arange(DAYS)
    innovation_sd = latent_sd * np.sqrt(1 - phi**2)
    latent = np.empty((runs, DAYS))
    latent[:, 0] = rng.normal(0, latent_sd, runs)
    shocks = rng.normal(0, innovation_sd, (runs, DAYS))
    for t in range(1, DAYS):
        latent[:, t] = phi * latent[:, t - 1] + shocks[:, t]
    doy = (day + 0) % 365.25  # START is 1 January
    season = season_amplitude * np.cos(2 * np.pi * (doy - 75) / 365.25)
    weekday = weekday_amplitude * np.cos(2 * np.pi * day / 7)
    trend = trend_per_year * (day - DAYS / 2) / 365.25
    level = np.log(mean) - latent_sd**2 / 2
    log_rate = level + latent + season + weekday + trend
    if spike_selected and spike_rule == "first_crossing_reported":
        return _after_reported_crossing(rng, log_rate, gamma_shape, true_rate_ratio, during_days)
    if spike_selected and spike_rule == "first_crossing":
        effective = _first_crossing_days(rng, np.exp(log_rate))
    elif spike_selected:
        effective = _spike_days(rng, np.exp(log_rate))
    else:
        effective = rng.integers(EARLIEST_DAY, LATEST_DAY, runs)
    during = (day >= effective[:, None]) & (day < effective[:, None] + during_days)
    rate = np.exp(log_rate) * np.where(during, true_rate_ratio, 1.0)
    rate = rate * rng.gamma(gamma_shape, 1 / gamma_shape, rate.shape)
    return {
        "counts": rng.poisson(rate),
        "start": START,
        "effective_day": effective,
        "during_days": during_days,
        "true_rate_ratio": float(true_rate_ratio),
    }


def _after_reported_crossing(
    rng: np.random.Generator,
    log_rate: np.ndarray,
    gamma_shape: float,
    true_rate_ratio: float,
    during_days: int,
) -> dict:
    """Counts drawn first, the declaration at the first crossing of their own trailing mean,
    then the effect by thinning the ceasefire's days (Poisson thinning keeps the law)."""
    if not 0 < true_rate_ratio <= 1:
        raise ValueError("a reported-crossing DGP thins counts: true_rate_ratio in (0, 1]")
    rate = np.exp(log_rate) * rng.gamma(gamma_shape, 1 / gamma_shape, log_rate.shape)
    counts = rng.poisson(rate)
    effective = _first_crossing_days(rng, counts.astype(float))
    day = np.arange(log_rate.shape[1])
    during = (day >= effective[:, None]) & (day < effective[:, None] + during_days)
    return {
        "counts": rng.binomial(counts, np.where(during, true_rate_ratio, 1.0)),
        "start": START,
        "effective_day": effective,
        "during_days": during_days,
        "true_rate_ratio": float(true_rate_ratio),
    }


def _spike_days(rng: np.random.Generator, rate: np.ndarray) -> np.ndarray:
    """A day after which the trailing 30-day mean intensity is in that series' top decile."""
    kernel = np.ones(30) / 30
    days = np.empty(rate.shape[0], dtype=int)
    for run, series in enumerate(rate):
        trailing = np.convolve(series, kernel, mode="full")[29 : len(series)]
        # trailing[i] is the mean of days i..i+29; the ceasefire starts the day after
        candidates = np.arange(EARLIEST_DAY, LATEST_DAY)
        window_mean = trailing[candidates - 30]
        top = candidates[window_mean >= np.quantile(window_mean, 0.9)]
        days[run] = rng.choice(top)
    return days


def _first_crossing_days(rng: np.random.Generator, rate: np.ndarray) -> np.ndarray:
    """The first day, from a random one in the first 120 of the search range, after which the
    trailing 30-day mean intensity reaches the 90th percentile of its values over the two
    years before (decided on the past only); the last day of the range when it never does."""
    kernel = np.ones(30) / 30
    days = np.full(rate.shape[0], LATEST_DAY - 1, dtype=int)
    for run, series in enumerate(rate):
        trailing = np.convolve(series, kernel, mode="full")[29 : len(series)]
        # trailing[i] is the mean of days i..i+29; the ceasefire starts the day after
        for day in range(int(rng.integers(EARLIEST_DAY, EARLIEST_DAY + 120)), LATEST_DAY):
            history = trailing[max(0, day - 30 - 730) : day - 30]
            if trailing[day - 30] >= np.quantile(history, 0.9):
                days[run] = day
                break
    return days
