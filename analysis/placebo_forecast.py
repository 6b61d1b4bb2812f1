"""Placebo of the primary estimate: the same estimate made in stretches without a ceasefire.

The primary estimate (:mod:`analysis.counterfactual`) sets the events during a ceasefire
against the series' own forecast, corrected and scaled by the misses the same forecast made
earlier in the baseline. This test makes that estimate again at every pseudo-window (a
stretch of the series without a ceasefire, forecast from its own past and calibrated on its
own past misses) and asks how unusual the real one is among them. It complements the
placebos of the descriptive before/during ratio (:func:`analysis.placebo.placebo_test`),
whose statistic is not comparable across dates when a ceasefire follows a spike (the pre
window is high by selection).

Measured size at 0.05 (README, "Statistics and how they were validated") with as many
pseudo-windows as the notebooks use (all that fit, at most 199: 88-89 on 6,500 days with a
60-day truce, exact rank level 0.045; Monte-Carlo s.e. 0.006-0.012), seed 500:
0.045 / 0.050 with an exogenous date (sparse / AR 0.97, 1,000 runs each); 0.046 after
a spike in the reported counts (AR 0.95, 800 runs: the first crossing of a past-only
threshold, a stopping time on what the world saw); 0.052 / 0.042 after a crossing of the
latent intensity instead (AR 0.95 / 0.97, a paired diagnostic on 400-450 saved draws, where
the previous design gave 0.057 / 0.038). Both tails are within Monte-Carlo error of 0.022
on the exogenous and reported-count lines (falls 0.021-0.025), though the diagnostic's
other draws of the sparse series gave 0.057 with falls 0.037 (600 runs, 2.4 s.e. above).
With 10-day truces after a latent crossing on a sparse series (199 windows, exact 0.050) it
rejects too often, nearly always as a rise: 0.066 (1,500 runs over seven seeds, MC s.e.
0.006; rises tail 0.059, falls 0.007); on the 600 draws both designs share, 0.072 where the
previous design gave 0.045 (rises 0.063 / 0.040). What prompted those declarations mostly does
not show in the reported counts: of 900 of these runs, 728 crossed (172 never did and were
declared on the search range's last day: size 0.052); where the reported 30-day mean had risen
above about 1.8 times the year's the test was at its level (0.040, 250 runs; mean log primary
estimate +0.04 against -0.03 at pseudo-windows after the same reported surge), elsewhere not
(0.077, 478 runs; +0.24 to +0.70 against +0.00 to +0.02;
``benchmarks/validate_placebo_timing.py --by-surge``). Adjusting the statistic for the
reported surge (a full-conformal regression on it, or keeping the nearest half of the
pseudo-windows by it; a diagnostic not shipped) raised the size on the same draws
(0.067-0.073 against 0.062). A test on the counts alone that is exact at exogenous dates need
not be exact after such declarations. False falls there were rare (0.007 against 0.025).
Each window judged on its own past misses is what brought the 60-day lines to their level:
with one scale fitted over all windows (the previous design) the sizes were 0.035-0.036 on the
sparse series and 0.041 at AR 0.97 with an exogenous date, 0.032-0.048 over the spikes
(pooled 0.039 against 0.045): in a trending series the early windows hold few events and
miss by more, so a common scale is too wide for the recent, busier ones where the real
ceasefire sits. The price is some power, since each window's scale rests on about twenty
of its own misses: a true halving after 60 days (AR 0.95, 300 runs) is found in 0.21 of series
with an exogenous date and 0.23 after a latent crossing (previous design 0.25 / 0.22; the
before/during placebos on the same draws 0.18 / 0.09 random, 0.08 / 0.06 matched).
Where the declaration follows the latent intensity its falls tail stays short (the
intensity behind the decision shows in the counts only through their noise, the forecast
from the counts runs low there, and the test leans against finding a fall). With a date
that looks ahead (picked among the top decile of a search range that includes the days
after it) the previous design called false falls (0.060): even the true conditional mean runs
high after such dates, so no forecast-based test can be exact there.

Design (what a reviewer should know)
------------------------------------
* **Statistic.** The primary estimate made at each window, as
  :func:`analysis.counterfactual.counterfactual_core` makes it at the real one:
  ``log((events + 0.5) / (forecast + 0.5))`` for the window, where the forecast is the
  primary's baseline model (:func:`analysis.counterfactual.forecast_total`: Poisson GLM,
  trend held at the origin, weekday and annual terms, level-shift step, AR(1) persistence of
  the weekly deviations) fitted on the days before the window's origin (at most
  ``max_baseline_years``), less the mean of the same log error at the window's own
  calibrating pseudo-origins, divided by their spread: a Student-t statistic whose
  distribution function (:func:`calibrated_errors`) is ranked. For the real window that
  value is the primary's own one-sided p, and the estimate shown is the primary estimate
  (a window without events keeps its +0.5 ratio, where the primary reports 0).
* **Pseudo-windows.** Blocks with the real one's geometry (origin = declaration, the lead to
  the start of the ceasefire window, its length), enumerated left to right without overlap
  (:func:`analysis.placebo.non_overlapping_starts`), touching neither the real block nor any
  ceasefire period. Each is forecast from the days before its own origin only, with the same
  longest baseline. With ``same_baseline`` (the default) a block needs as much baseline
  before it as the observed forecast has (up to ``max_baseline_years``): a forecast from one
  year lacks the annual terms and misses by more, and such blocks near the start of the
  series widen the placebo distribution, making the test conservative. Otherwise blocks
  need ``min_baseline_days``. Blocks with no events in their baseline (the observed needs
  them too) are left out.
* **Why.** The forecast carries the recent level forward only as far as the series' own
  persistence says, which is what makes its errors comparable across origins whatever the
  level there; the before/during ratio pulls the observed down after a spike (regression to
  the mean), so its random placebo loses size and its spike-matched one power.
* **Own calibration.** A window's miss is judged against the misses its own past allows,
  as the primary's interval is: a blank 10-day window at the busiest moment of a sparse
  series is extreme only if such windows were rarely blank there before. Ranking raw log
  errors made such windows false falls; a negative-binomial scale fitted over all windows
  together (the previous design) was too wide for the recent, busier ones (above). The
  calibrating pseudo-origins come from one grid, every
  :func:`analysis.counterfactual.calibration_step` days through the real window's own
  (so its calibration is exactly the primary's): one forecast per grid point serves every
  window whose past holds it, three to five forecasts per pseudo-window in all. Windows with
  fewer than three windows' worth of calibration before them are left out (and counted).
* **p-value.** Exactly as :func:`analysis.placebo.placebo_test`: two-sided rank p
  (:func:`analysis.placebo.two_sided_rank_p`, ties in an order seeded by ``seed``),
  resolution 1 / (1 + n), status ``coarse`` below
  :data:`analysis.placebo.MIN_PLACEBO_WINDOWS` pseudo-windows and ``no_placebo_room`` with
  none. The result is a :class:`analysis.placebo.PlaceboResult` whose ``observed_log_rr`` and
  ``placebo_log_rr`` hold the log primary estimates and whose ``candidate_windows`` give each
  pseudo-window's baseline as ``pre_start`` / ``pre_end``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from analysis.counterfactual import (
    MIN_PSEUDO_WINDOWS,
    YEAR_DAYS,
    calibration_origins,
    calibration_spread,
    calibration_step,
    error_scale,
    forecast_total,
)
from analysis.panel import check_daily_series
from analysis.placebo import (
    PlaceboResult,
    non_overlapping_starts,
    ranked_result,
    two_sided_rank_p,
)
from analysis.status import (
    STATUS_DEGENERATE,
    STATUS_NO_PRE,
    STATUS_NOTES,
    STATUS_OUTSIDE,
    STATUS_TOO_SHORT,
)
from analysis.windows import Windows, ceasefire_periods, window_mask

MAX_FORECAST_PLACEBOS = 199
"""Most pseudo-windows forecast: each costs a model fit, and 199 already give p in steps of
0.005."""


def window_forecast(
    y: np.ndarray,
    weekday: np.ndarray,
    origin: int,
    lead: int,
    during_days: int,
    max_baseline_days: int,
) -> tuple[float, float]:
    """Events in one window and the primary model's forecast of them from the days before it.

    Parameters
    ----------
    y : numpy.ndarray
        Daily counts (no gaps).
    weekday : numpy.ndarray
        Day of the week (0 = Monday) of every position of ``y``.
    origin : int
        Position of the first day not in the baseline.
    lead : int
        Days from ``origin`` to the first day of the window.
    during_days : int
        Length of the window.
    max_baseline_days : int
        Longest baseline used.

    Returns
    -------
    tuple of float
        The observed events and the forecast (before any calibration).
    """
    target = np.arange(origin + lead, origin + lead + during_days)
    return float(y[target].sum()), forecast_total(y, weekday, origin, target, max_baseline_days)


def calibrated_errors(
    y: np.ndarray,
    weekday: np.ndarray,
    origins: np.ndarray,
    log_errors: np.ndarray,
    anchor: int,
    lead: int,
    during_days: int,
    max_baseline_days: int,
) -> pd.DataFrame:
    """Each window's forecast log error corrected and scaled by its own past, as the primary is.

    The calibrating pseudo-origins of every window are taken from one grid, every
    :func:`analysis.counterfactual.calibration_step` days through ``anchor`` (the observed
    window's last calibrating origin, so its calibration is exactly the primary estimate's),
    each window using the grid points inside its own range
    (:func:`analysis.counterfactual.calibration_origins`): one forecast per grid point
    serves every window whose past holds it.

    Parameters
    ----------
    y, weekday : numpy.ndarray
        Daily counts and day of the week (0 = Monday) of every position.
    origins : numpy.ndarray
        First day after each window's baseline.
    log_errors : numpy.ndarray
        Each window's ``log((events + 0.5) / (forecast + 0.5))``.
    anchor, lead, during_days, max_baseline_days : int
        The grid's anchor, the lead from origin to window, the window's length and the longest
        baseline of every forecast.

    Returns
    -------
    pandas.DataFrame
        One row per window: ``log_estimate`` (the log error less its bias correction: the log
        of the primary estimate made there), ``se``, ``df`` and ``cdf`` (the t distribution
        function of ``log_estimate / se``: the primary's one-sided p for a fall). NaN where the
        window has fewer than three windows' worth of calibration or a calibrating forecast ran
        off.
    """
    step = calibration_step(during_days)
    ranges = [calibration_origins(int(o), lead, during_days, max_baseline_days) for o in origins]
    lowest = min((r.min() for r in ranges if len(r)), default=anchor)
    first = anchor - (anchor - lowest) // step * step
    last = max((r.max() for r in ranges if len(r)), default=anchor)
    grid = np.arange(first, last + 1, step)
    pairs = np.array(
        [window_forecast(y, weekday, int(g), lead, during_days, max_baseline_days) for g in grid]
    ).reshape(-1, 2)
    with np.errstate(divide="ignore"):  # a forecast that ran off (inf) leaves a NaN-free -inf
        grid_errors = np.log((pairs[:, 0] + 0.5) / (pairs[:, 1] + 0.5))
    rows = []
    for error, own in zip(log_errors, ranges, strict=True):
        # eligible as the primary would be at this origin; scaled by the grid points in range
        spread = calibration_spread(own, during_days)
        inside = (grid >= own.min()) & (grid <= own.max()) if len(own) else grid < grid.min()
        if spread < MIN_PSEUDO_WINDOWS or not np.isfinite(grid_errors[inside]).all():
            rows.append((math.nan, math.nan, math.nan))
            continue
        bias, se, df = error_scale(grid_errors[inside], spread)
        rows.append((error - bias, se if se > 0 else math.nan, df))
    table = pd.DataFrame(rows, columns=["log_estimate", "se", "df"])
    table["cdf"] = stats.t.cdf(table["log_estimate"] / table["se"], table["df"])
    return table


def _windows_phrase(count: int) -> str:
    return f"{count} pseudo-window{'' if count == 1 else 's'}"


def _no_test(observed: float, status: str, note: str, base: dict) -> PlaceboResult:
    return PlaceboResult(observed, math.nan, n_placebos=0, status=status, note=note, **base)


def forecast_placebo_test(
    series: pd.Series,
    windows: Windows,
    *,
    ceasefires: pd.DataFrame | None = None,
    open_ended_days: int = 90,
    max_baseline_years: float = 3.0,
    min_baseline_days: int = 180,
    same_baseline: bool = True,
    n_placebos: int = 999,
    seed: int = 20250328,
) -> PlaceboResult:
    """Two-sided rank p-value of the primary estimate among the same estimate at pseudo-windows.

    Each window's log primary estimate is ranked relative to its own standard error (the t
    distribution function of :func:`calibrated_errors`; module doc).

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts (:func:`analysis.panel.daily_series`).
    windows : analysis.windows.Windows
        The real ceasefire's windows: the origin is the day after ``pre_end`` (as in
        :func:`analysis.counterfactual.counterfactual_effect`), the window ``during_start``
        to ``during_end``.
    ceasefires : pandas.DataFrame, optional
        Rows of the CEASEFIRES table: no pseudo-window may touch any of their periods in force.
    open_ended_days : int, default 90
        Days an open-ended ceasefire is taken to last when excluding its period.
    max_baseline_years : float, default 3.0
        Longest baseline of every forecast, observed and pseudo.
    min_baseline_days : int, default 180
        Fewest days before an origin (observed: status ``too_short``; pseudo: left out).
    same_baseline : bool, default True
        Pseudo-windows need as many days before them as the observed forecast uses.
    n_placebos : int, default 999
        Most pseudo-windows used, at most :data:`MAX_FORECAST_PLACEBOS`; beyond it an evenly
        spaced subset of the candidates is kept.
    seed : int, default 20250328
        Seed of the random order of pseudo-windows tied with the observed statistic.

    Returns
    -------
    analysis.placebo.PlaceboResult
        Observed and pseudo-window log primary estimates, p, resolution and status (``ok``,
        ``coarse``, ``no_placebo_room``; ``too_short`` (also too little baseline to calibrate),
        ``no_pre_events``, ``outside_data`` or ``degenerate`` when the observed estimate
        cannot be made).
    """
    y_series = check_daily_series(series)
    y = y_series.to_numpy(dtype=float)
    index = pd.DatetimeIndex(y_series.index)
    weekday = index.day_of_week.to_numpy()
    origin = (windows.pre_end - index[0]).days + 1
    lead = (windows.during_start - windows.pre_end).days - 1
    during_days = (windows.during_end - windows.during_start).days + 1
    block_days = lead + during_days
    max_days = int(round(max_baseline_years * YEAR_DAYS))
    blocked = np.zeros(len(y), dtype=bool)
    # like-for-like: pseudo-forecasts get as much history as the observed one (module doc)
    needed = min(max(origin, 0), max_days) if same_baseline else 0
    blocked[: max(min_baseline_days, needed, 0)] = True
    blocked[max(origin, 0) : origin + block_days] = True
    if ceasefires is not None and len(ceasefires):
        periods = ceasefire_periods(ceasefires, open_ended_days=open_ended_days)
        blocked |= window_mask(index, periods)
    starts = non_overlapping_starts(blocked, block_days)
    base = dict(n_candidates=len(starts), seed=seed, matched=False)
    if origin < 0 or origin + block_days > len(y) or lead < 0:
        return _no_test(math.nan, STATUS_OUTSIDE, STATUS_NOTES.get(STATUS_OUTSIDE, ""), base)
    # the statuses in the primary estimate's order (counterfactual_core), so both agree
    cum = np.concatenate([[0.0], np.cumsum(y)])
    if cum[origin] - cum[max(origin - max_days, 0)] == 0:
        note = "no events in the baseline: nothing to forecast from."
        return _no_test(math.nan, STATUS_NO_PRE, note, base)
    if min(origin, max_days) < min_baseline_days:
        note = f"fewer than {min_baseline_days} days of baseline before the ceasefire: no forecast."
        return _no_test(math.nan, STATUS_TOO_SHORT, note, base)
    own = calibration_origins(origin, lead, during_days, max_days)
    if calibration_spread(own, during_days) < MIN_PSEUDO_WINDOWS:
        note = "the baseline is too short to calibrate the primary estimate: no forecast."
        return _no_test(math.nan, STATUS_TOO_SHORT, note, base)
    observed_count, observed_forecast = window_forecast(
        y, weekday, origin, lead, during_days, max_days
    )
    if not math.isfinite(observed_forecast):
        note = "the forecast ran off (an overflowing fit): nothing to rank."
        return _no_test(math.nan, STATUS_DEGENERATE, note, base)
    n_placebos = min(n_placebos, MAX_FORECAST_PLACEBOS)
    note = ""
    if len(starts) > n_placebos:
        dropped = len(starts) - n_placebos
        plural = "s" if dropped > 1 else ""
        note += f"{dropped} candidate{plural} left out to keep {n_placebos} evenly spaced. "
        starts = starts[np.linspace(0, len(starts) - 1, n_placebos).round().astype(int)]
    # the observed forecast needs baseline events, so a pseudo-window counts under the same rule
    usable = cum[starts] - cum[np.maximum(starts - max_days, 0)] > 0
    if (~usable).sum():
        note += f"{_windows_phrase(int((~usable).sum()))} with no events in the baseline left out. "
    starts = starts[usable]
    pairs = np.array(
        [window_forecast(y, weekday, int(s), lead, during_days, max_days) for s in starts]
    ).reshape(-1, 2)
    # a fit that overflows (before annual terms needed a year of activity, harmonics fitted to
    # leading zeros did) has no forecast to compare with: the window is left out
    finite = np.isfinite(pairs[:, 1])
    if (~finite).sum():
        note += f"{_windows_phrase(int((~finite).sum()))} whose forecast ran off left out. "
    starts, pairs = starts[finite], pairs[finite]
    base["n_dropped"] = int((~usable).sum() + (~finite).sum())
    counts = np.concatenate([[observed_count], pairs[:, 0]])
    forecasts = np.concatenate([[observed_forecast], pairs[:, 1]])
    log_errors = np.log((counts + 0.5) / (forecasts + 0.5))
    # every window is judged as the primary judges the real one: its miss less its own past
    # misses' mean, over their spread (pooled scales made the test conservative: module doc)
    calibrated = calibrated_errors(
        y, weekday, np.r_[origin, starts], log_errors, origin - lead - during_days, lead,
        during_days, max_days,
    )  # fmt: skip
    if not np.isfinite(calibrated["cdf"].iloc[0]):
        note = "the primary estimate's calibrating errors did not vary or ran off: nothing to rank."
        return _no_test(math.nan, STATUS_DEGENERATE, note, {**base, "n_dropped": 0})
    placebo_ok = np.isfinite(calibrated["cdf"].to_numpy()[1:])
    if (~placebo_ok).sum():
        uncalibrated = int((~placebo_ok).sum())
        note += (
            f"{_windows_phrase(uncalibrated)} without three windows' worth of calibration "
            f"before {'it' if uncalibrated == 1 else 'them'} (or whose calibrating forecasts "
            "did not vary or ran off) left out. "
        )
    base["n_dropped"] += int((~placebo_ok).sum())
    starts = starts[placebo_ok]
    statistic = calibrated["cdf"].to_numpy()[np.r_[True, placebo_ok]]
    estimates = calibrated["log_estimate"].to_numpy()[np.r_[True, placebo_ok]]
    observed, placebo = float(estimates[0]), estimates[1:]
    n = len(starts)
    rng = np.random.default_rng(seed)
    p_value = two_sided_rank_p(float(statistic[0]), statistic[1:], rng)
    day = pd.Timedelta(days=1)
    origins = index[starts] if n else pd.DatetimeIndex([])
    baseline = np.minimum(starts, max_days) // 7 * 7
    candidate_windows = pd.DataFrame(
        {
            "pre_start": origins - baseline * day,
            "pre_end": origins - day,
            "during_start": origins + lead * day,
            "during_end": origins + (block_days - 1) * day,
            "log_rr": placebo,
        }
    )
    no_room = (
        "none is left to rank."
        if base["n_dropped"]
        else f"no {block_days}-day pseudo-window with {max(min_baseline_days, needed)} days "
        "before it fits outside the ceasefire and every ceasefire period."
    )
    return ranked_result(
        observed, p_value, candidate_windows, note=note, no_room_note=note + no_room, **base
    )
