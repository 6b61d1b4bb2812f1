"""Same monitor, before vs during: the primary comparison of published strike counts.

Monitors publish counts over periods of their own choosing (:mod:`analysis.reported`). The
one comparison they support that needs no assumption across sources is a monitor against
itself: the same organisation counting the same thing over the same area, once wholly before
a ceasefire and once wholly during it. :func:`within_monitor_pairs` finds every such pair and
:func:`primary_pair` names one of them the primary estimate.

**Pairing rule.** Two counts form a pair when

* they come from the same ``monitor`` and have the same ``measure_kind`` (never across them);
* both are national: their ``scope`` up to any bracket, trimmed and lower-cased, is exactly
  ``national`` (a bracketed breakdown such as "national (Sagaing 19, Mandalay 15)" does not
  change the area). Sub-national scopes are worded differently from count to count ("12
  states/regions", a list of states, "national except Yangon and Naypyitaw"), so their text
  cannot show that two counts cover the same area;
* one lies wholly before the ceasefire window (ends before its first day) and the other wholly
  inside it (phases of :func:`analysis.reported.classify_periods`); a count that spans both
  phases is never used, and the two periods share no day;
* both have a strike count and a closed period, of a measure kind that counts events
  (:data:`PAIRED_MEASURES`: ``days_with_air_strikes`` counts days, at most one a day, and
  ``civilian_casualties_only`` has no strike count).

**Primary choice.** Among the pairs whose before count ends at most ``max_gap_days`` before
the window's first day, the pair whose before count ends closest to the window; ties go to the
during count that starts closest to the window's first day, then to the longer combined
period, then to the count ids (so the choice never depends on row order). Every pair is
listed; the primary one is flagged.

**Statistics.** Under Poisson counts with a rate ratio ``R`` (during / before, per day), the
during count given the total ``n`` of both is binomial with success probability
``pi = R t_d / (R t_d + t_b)`` (``t_d``, ``t_b`` the period lengths in days). The exact
(Clopper-Pearson) 95% interval of ``pi`` (statsmodels ``proportion_confint``, method
``beta``) maps one-to-one to an exact conditional interval of ``R``; the p-value for a fall is
statsmodels' ``test_poisson_2indep`` with ``method='exact-cond'``, ``alternative='smaller'``.
The smallest detectable fall (MDE) is the rate ratio below 1 at which the 95% interval lies
wholly below 1 (the findings' "fell") with 80% probability, given the before count as the
before rate and the two period lengths; the power is summed exactly over the Poisson total and
the binomial split (:func:`power_of_fall`), not taken from a normal approximation.

**Overdispersion.** Published counts of strikes cluster (several strikes on one day, quiet
weeks), so their variance exceeds the Poisson one. The Poisson interval is therefore the
narrowest defensible interval for two published counts: one that allows for overdispersion is
wider around the same ratio. Hence an interval that includes 1 (or lies above 1) means "no
evidence of a fall" under any overdispersion too, while a fall (or rise) that excludes 1 only
under Poisson is not robust to it (:data:`ROBUST_NO_FALL` and the findings sentence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import test_poisson_2indep

from analysis import contract as c
from analysis import reported
from analysis.results import Result
from analysis.status import (
    STATUS_NO_EVENTS,
    STATUS_NO_PAIR,
    STATUS_NO_PRE,
    STATUS_NOTES,
    STATUS_OK,
    STATUS_ZERO_DURING,
)

BEFORE_ID = "before_id"
DURING_ID = "during_id"
BEFORE_COUNT = "before_count"
DURING_COUNT = "during_count"
BEFORE_DAYS = "before_days"
DURING_DAYS = "during_days"
BEFORE_START = "before_start"
BEFORE_END = "before_end"
DURING_START = "during_start"
DURING_END = "during_end"
GAP_DAYS = "gap_days"
DURING_OFFSET = "during_offset_days"
RATE_RATIO = "rate_ratio"
CI_LOW = "ci_low"
CI_HIGH = "ci_high"
P_FALL = "p_fall"
MDE = "mde"
STATUS = "status"
IS_PRIMARY = "primary"
PAIR_COLUMNS = (
    c.RC_MONITOR,
    c.RC_MEASURE_KIND,
    BEFORE_ID,
    BEFORE_START,
    BEFORE_END,
    BEFORE_COUNT,
    BEFORE_DAYS,
    DURING_ID,
    DURING_START,
    DURING_END,
    DURING_COUNT,
    DURING_DAYS,
    GAP_DAYS,
    DURING_OFFSET,
    RATE_RATIO,
    CI_LOW,
    CI_HIGH,
    P_FALL,
    MDE,
    STATUS,
    IS_PRIMARY,
)
"""Columns of the pair table, in order (see :func:`within_monitor_pairs`)."""
_ESTIMATE_COLUMNS = (RATE_RATIO, CI_LOW, CI_HIGH, P_FALL, MDE, STATUS)
SIDE_COLUMNS = {
    phase: {
        c.RC_ID: identifier,
        c.RC_PERIOD_START: first,
        c.RC_PERIOD_END: last,
        c.RC_STRIKES: count,
        reported.DAYS: days,
    }
    for phase, identifier, first, last, count, days in (
        (reported.BEFORE, BEFORE_ID, BEFORE_START, BEFORE_END, BEFORE_COUNT, BEFORE_DAYS),
        (reported.DURING, DURING_ID, DURING_START, DURING_END, DURING_COUNT, DURING_DAYS),
    )
}
"""Per phase: the count's columns and their names in the pair table."""

NATIONAL = "national"
"""The one scope whose wording is the same whenever it means the same area."""

PAIRED_MEASURES = tuple(
    kind
    for kind in c.REPORTED_MEASURES
    if kind not in ("days_with_air_strikes", "civilian_casualties_only")
)
"""Measure kinds whose counts are event counts (Poisson-like), so a rate ratio applies."""

LEVEL = 0.95
"""Two-sided level of the interval; a fall is 'detected' when its upper end is below 1."""

POWER = 0.8
"""Probability of detecting a fall the MDE is defined by."""

MAX_GAP_DAYS = 90
"""Default: a before count ending more than this many days before the ceasefire is listed but
not used as the primary pair (a rate from long before mixes in the conflict's own trend)."""

ROBUST_NO_FALL = "no_fall_robust"
FALL_POISSON_ONLY = "fall_poisson_only"
RISE_POISSON_ONLY = "rise_poisson_only"
"""How far a pair's reading holds beyond Poisson (:func:`overdispersion_reading`)."""


def is_national(scope: pd.Series) -> pd.Series:
    """True where a count's scope is the whole country (text before any bracket is 'national').

    Parameters
    ----------
    scope : pandas.Series
        The ``scope`` column of REPORTED_COUNTS (text as sourced).

    Returns
    -------
    pandas.Series of bool
        Same index; missing scopes are not national.
    """
    head = scope.fillna("").astype(str).str.split("(", n=1).str[0]
    return head.str.strip().str.casefold().str.split().str.join(" ") == NATIONAL


def exact_ratio_interval(
    during: Any, during_days: Any, before: Any, before_days: Any, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray]:
    """Exact conditional interval of the rate ratio during / before, per day.

    Parameters
    ----------
    during, before : int or array of int
        The two counts.
    during_days, before_days : float or array of float
        Their period lengths in days.
    level : float
        Two-sided coverage, e.g. 0.95.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper ends (upper is infinite when the before count is 0; both NaN when
        both counts are 0).
    """
    during, before = np.asarray(during, dtype=float), np.asarray(before, dtype=float)
    total = during + before
    safe_total = np.where(total > 0, total, 1.0)
    low_p, high_p = proportion_confint(during, safe_total, alpha=1 - level, method="beta")
    scale = np.asarray(before_days, dtype=float) / np.asarray(during_days, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(total > 0, low_p / (1 - low_p) * scale, np.nan)
        high = np.where(high_p >= 1, np.inf, high_p / (1 - high_p) * scale)
    return low, np.where(total > 0, high, np.nan)


def power_of_fall(
    ratio: float, before: float, before_days: float, during_days: float, level: float = LEVEL
) -> float:
    """Probability that the exact interval lies wholly below 1 when the true ratio is ``ratio``.

    The before rate is taken as ``before / before_days``; both counts are Poisson. Conditional
    on the total ``n``, the interval lies below 1 exactly when the during count is at most
    ``k(n)``, the largest count whose binomial(n, t_d / (t_d + t_b)) lower tail is below
    (1 - level) / 2; the power sums that over the Poisson total.

    Parameters
    ----------
    ratio : float
        True rate ratio during / before (below 1 for a fall).
    before : float
        The before count (its expected value is taken as the observed one).
    before_days, during_days : float
        Period lengths in days.
    level : float
        Two-sided level of the interval.

    Returns
    -------
    float
        The power, in [0, 1].
    """
    mean_before = float(before)
    mean_during = ratio * before / before_days * during_days
    mean_total = mean_before + mean_during
    totals = np.arange(0, int(stats.poisson.ppf(1 - 1e-12, mean_total)) + 1)
    null_share = during_days / (during_days + before_days)
    # smallest k whose lower tail reaches the level; the interval excludes 1 for counts below it
    critical = stats.binom.ppf((1 - level) / 2, totals, null_share) - 1
    share = mean_during / mean_total if mean_total > 0 else 0.0
    rejects = stats.binom.cdf(critical, totals, share)
    return float(np.sum(stats.poisson.pmf(totals, mean_total) * rejects))


def mde_of_fall(
    before: float,
    before_days: float,
    during_days: float,
    power: float = POWER,
    level: float = LEVEL,
) -> float:
    """The smallest fall (as a rate ratio) detected with the given power.

    Parameters
    ----------
    before : float
        The before count (taken as the expected before count).
    before_days, during_days : float
        Period lengths in days.
    power : float
        Required probability that the interval lies wholly below 1.
    level : float
        Two-sided level of the interval.

    Returns
    -------
    float
        The rate ratio (below 1) with exactly that power; NaN when even a fall to zero is
        detected less often (too few counts before).
    """
    if before <= 0 or power_of_fall(1e-9, before, before_days, during_days, level) < power:
        return math.nan
    return float(
        optimize.brentq(
            lambda r: power_of_fall(r, before, before_days, during_days, level) - power,
            1e-9,
            1.0,
            xtol=1e-6,
        )
    )


def pair_estimate(
    during: int, during_days: float, before: int, before_days: float
) -> dict[str, Any]:
    """Rate ratio, exact interval, p-value for a fall, MDE and status of one pair.

    Parameters
    ----------
    during, before : int
        The two published counts.
    during_days, before_days : float
        Their period lengths in days (both ends counted).

    Returns
    -------
    dict
        ``rate_ratio``, ``ci_low``, ``ci_high``, ``p_fall`` (one-sided, exact conditional),
        ``mde`` (rate ratio) and ``status`` (``ok``, ``zero_during``, ``no_pre_events`` or
        ``no_events``; undefined numbers are NaN).
    """
    mde = mde_of_fall(before, before_days, during_days)
    if during == 0 and before == 0:
        return _estimate(math.nan, math.nan, math.nan, math.nan, mde, STATUS_NO_EVENTS)
    if before == 0:
        return _estimate(math.nan, math.nan, math.nan, math.nan, mde, STATUS_NO_PRE)
    low, high = exact_ratio_interval(during, during_days, before, before_days)
    p_fall = p_of_fall(during, during_days, before, before_days)
    ratio = (during / during_days) / (before / before_days)
    status = STATUS_ZERO_DURING if during == 0 else STATUS_OK
    return _estimate(ratio, float(low), float(high), p_fall, mde, status)


def p_of_fall(during: int, during_days: float, before: int, before_days: float) -> float:
    """One-sided exact conditional p-value for a fall of the rate during against before.

    Parameters
    ----------
    during, before : int
        The two counts.
    during_days, before_days : float
        Their period lengths in days.

    Returns
    -------
    float
        statsmodels ``test_poisson_2indep`` (``exact-cond``, ``smaller``): the binomial lower
        tail of the during count given the total, under no change.
    """
    test = test_poisson_2indep(
        during, during_days, before, before_days, method="exact-cond", alternative="smaller"
    )
    return float(test.pvalue)


def _estimate(
    ratio: float, low: float, high: float, p_fall: float, mde: float, status: str
) -> dict[str, Any]:
    return {
        RATE_RATIO: ratio,
        CI_LOW: low,
        CI_HIGH: high,
        P_FALL: p_fall,
        MDE: mde,
        STATUS: status,
    }


def pairable_counts(
    counts: pd.DataFrame, window_start: str | pd.Timestamp, window_end: str | pd.Timestamp
) -> pd.DataFrame:
    """The counts that may enter a pair: a strike count, a closed period, a paired measure
    kind, national scope, and wholly before or wholly during the window.

    Parameters
    ----------
    counts : pandas.DataFrame
        Rows of the REPORTED_COUNTS table.
    window_start, window_end : str or pandas.Timestamp
        The ceasefire's first and last day.

    Returns
    -------
    pandas.DataFrame
        Those rows with ``days`` and ``phase`` (:mod:`analysis.reported`) added.
    """
    usable, _ = reported.split_usable(counts)
    placed = reported.classify_periods(reported.daily_rates(usable), window_start, window_end)
    keep = (
        placed[c.RC_MEASURE_KIND].isin(PAIRED_MEASURES)
        & is_national(placed[c.RC_SCOPE])
        & placed[reported.PHASE].isin([reported.BEFORE, reported.DURING])
    )
    return placed[keep].reset_index(drop=True)


def within_monitor_pairs(
    counts: pd.DataFrame, window_start: str | pd.Timestamp, window_end: str | pd.Timestamp
) -> pd.DataFrame:
    """Every same-monitor, same-measure, national pair of one count before and one during.

    Parameters
    ----------
    counts : pandas.DataFrame
        Rows of the REPORTED_COUNTS table.
    window_start, window_end : str or pandas.Timestamp
        The ceasefire's first and last day.

    Returns
    -------
    pandas.DataFrame
        One row per pair (columns :data:`PAIR_COLUMNS`): monitor, measure_kind; id, first and
        last day, count and days of the before and the during count; ``gap_days`` (days
        between the before count's last day and the window's first, 0 = the day before);
        ``during_offset_days`` (days from the window's first day to the during count's
        first); rate ratio during / before per day with its exact 95% interval, one-sided
        p-value for a fall, MDE (rate ratio) and status; ``primary`` False (set by
        :func:`primary_pair`). Sorted by the primary-choice order, closest pair first.
    """
    start = pd.Timestamp(window_start)
    pool = pairable_counts(counts, window_start, window_end)
    keys = [c.RC_MONITOR, c.RC_MEASURE_KIND]
    sides = {}
    for phase, names in SIDE_COLUMNS.items():
        part = pool[pool[reported.PHASE] == phase]
        sides[phase] = part[[*keys, *names]].rename(columns=names)
    pairs = sides[reported.BEFORE].merge(sides[reported.DURING], on=keys)
    if pairs.empty:
        return pd.DataFrame(columns=list(PAIR_COLUMNS))
    # phases already keep the periods apart; checked again so no pair ever shares a day
    pairs = pairs[pairs[BEFORE_END] < pairs[DURING_START]]
    pairs = pairs.assign(
        **{
            GAP_DAYS: (start - pairs[BEFORE_END]).dt.days - 1,
            DURING_OFFSET: (pairs[DURING_START] - start).dt.days,
            IS_PRIMARY: False,
        }
    )
    pairs = _primary_order(pairs)
    estimates = [
        pair_estimate(
            int(row.during_count), row.during_days, int(row.before_count), row.before_days
        )
        for row in pairs.itertuples(index=False)
    ]
    numbers = pd.DataFrame(estimates, index=pairs.index, columns=list(_ESTIMATE_COLUMNS))
    return pd.concat([pairs, numbers], axis=1)[list(PAIR_COLUMNS)]


def _primary_order(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs in the documented primary-choice order (closest before count first)."""
    total_days = pairs[BEFORE_DAYS] + pairs[DURING_DAYS]
    ordered = pairs.assign(_total=-total_days).sort_values(
        [GAP_DAYS, DURING_OFFSET, "_total", BEFORE_ID, DURING_ID]
    )
    return ordered.drop(columns="_total").reset_index(drop=True)


@dataclass(frozen=True)
class PrimaryPair(Result):
    """The primary within-monitor comparison of published counts (:func:`primary_pair`).

    Attributes
    ----------
    pairs : pandas.DataFrame
        Every qualifying pair (:func:`within_monitor_pairs`), the primary one flagged.
    status : str
        ``ok``, ``zero_during``, ``no_pre_events``, ``no_events`` or ``no_pair``.
    monitor, measure_kind, before_id, during_id : str
        The primary pair ("" when there is none).
    before_count, during_count, before_days, during_days, gap_days : float
        Its counts, period lengths and the days between the before count and the window.
    rate_ratio, ci_low, ci_high : float
        Rate ratio during / before per day and its exact conditional 95% interval.
    p_fall : float
        One-sided exact conditional p-value for a fall.
    mde : float
        Smallest fall (rate ratio) detected with 80% power (interval wholly below 1).
    reading : str
        :func:`overdispersion_reading` of the interval ("" without an estimate).
    max_gap_days : int
        The largest gap a primary pair may have.
    n_pairs : int
        How many pairs qualify (including those with a larger gap).
    note : str
        The status sentence (empty when ``ok``).
    """

    pairs: pd.DataFrame
    status: str
    monitor: str
    measure_kind: str
    before_id: str
    during_id: str
    before_count: float
    during_count: float
    before_days: float
    during_days: float
    gap_days: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_fall: float
    mde: float
    reading: str
    max_gap_days: int
    n_pairs: int
    note: str


_TEXT_FIELDS = ("monitor", "measure_kind", "before_id", "during_id")
_NUMBER_FIELDS = (
    "before_count",
    "during_count",
    "before_days",
    "during_days",
    "gap_days",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "p_fall",
    "mde",
)


def overdispersion_reading(ci_low: float, ci_high: float) -> str:
    """What a Poisson interval still says once counts may be overdispersed.

    Parameters
    ----------
    ci_low, ci_high : float
        The exact Poisson 95% interval of the rate ratio.

    Returns
    -------
    str
        :data:`ROBUST_NO_FALL` when the interval includes 1 or lies above it (any wider,
        overdispersed interval also gives no evidence of a fall); :data:`FALL_POISSON_ONLY` or
        :data:`RISE_POISSON_ONLY` when it excludes 1 (a wider interval may not); "" when
        missing.
    """
    if math.isnan(ci_low) or math.isnan(ci_high):
        return ""
    if ci_high < 1:
        return FALL_POISSON_ONLY
    return RISE_POISSON_ONLY if ci_low > 1 else ROBUST_NO_FALL


def primary_pair(
    counts: pd.DataFrame,
    window_start: str | pd.Timestamp,
    window_end: str | pd.Timestamp,
    max_gap_days: int = MAX_GAP_DAYS,
) -> PrimaryPair:
    """The primary within-monitor pair around a ceasefire window, with every pair listed.

    Parameters
    ----------
    counts : pandas.DataFrame
        Rows of the REPORTED_COUNTS table (all monitors and kinds: the pairing rule selects).
    window_start, window_end : str or pandas.Timestamp
        The ceasefire's first and last day.
    max_gap_days : int
        A before count must end at most this many days before the window's first day to be
        the primary pair.

    Returns
    -------
    PrimaryPair
        The pair closest to the window (module docstring: primary choice) with its rate
        ratio, interval, p-value and MDE; status ``no_pair`` when none qualifies.
    """
    pairs = within_monitor_pairs(counts, window_start, window_end)
    eligible = pairs.index[pairs[GAP_DAYS] <= max_gap_days]
    if len(eligible) == 0:
        missing = dict.fromkeys(_NUMBER_FIELDS, math.nan)
        return PrimaryPair(
            pairs=pairs,
            status=STATUS_NO_PAIR,
            **dict.fromkeys(_TEXT_FIELDS, ""),
            **missing,
            reading="",
            max_gap_days=max_gap_days,
            n_pairs=len(pairs),
            note=STATUS_NOTES[STATUS_NO_PAIR],
        )
    pairs.loc[eligible[0], IS_PRIMARY] = True
    row = pairs.loc[eligible[0]]
    return PrimaryPair(
        pairs=pairs,
        status=str(row[STATUS]),
        monitor=str(row[c.RC_MONITOR]),
        measure_kind=str(row[c.RC_MEASURE_KIND]),
        before_id=str(row[BEFORE_ID]),
        during_id=str(row[DURING_ID]),
        before_count=float(row[BEFORE_COUNT]),
        during_count=float(row[DURING_COUNT]),
        before_days=float(row[BEFORE_DAYS]),
        during_days=float(row[DURING_DAYS]),
        gap_days=float(row[GAP_DAYS]),
        rate_ratio=float(row[RATE_RATIO]),
        ci_low=float(row[CI_LOW]),
        ci_high=float(row[CI_HIGH]),
        p_fall=float(row[P_FALL]),
        mde=float(row[MDE]),
        reading=overdispersion_reading(float(row[CI_LOW]), float(row[CI_HIGH])),
        max_gap_days=max_gap_days,
        n_pairs=len(pairs),
        note=STATUS_NOTES.get(str(row[STATUS]), ""),
    )
