"""Published strike counts (data/curated/reported_strike_counts.csv) as per-day rates.

Monitors count different things (air strikes, all aerial attacks, attacks of all types,
days with strikes) over different periods and areas. The functions here turn each count
into a rate per day of its own period and say where that period lies relative to a
ceasefire window. They never add counts together: not across ``measure_kind`` (different
things), and not across overlapping periods of one monitor (the same strikes twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import contract as c
from analysis.results import Result

DAYS = "days"
PER_DAY = "per_day"
PHASE = "phase"
DAYS_IN_WINDOW = "days_in_window"
OVERLAPS_WITH = "overlaps_with"
REASON = "reason"

BEFORE = "before"
DURING = "during"
SPANS_BOTH = "spans_both"
AFTER = "after"
PHASES = (BEFORE, DURING, SPANS_BOTH, AFTER)
"""before: ends before the window; during: wholly inside it; spans_both: partly inside and
partly outside (a rate that mixes ceasefire and non-ceasefire days); after: starts after it."""

NO_END_REASON = "no period_end: an open 'since' count has no period to divide by"
NO_COUNT_REASON = "no strike count (only casualties reported)"


def split_usable(counts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows that give a rate (a count and a closed period), and the rest with the reason."""
    reason = pd.Series("", index=counts.index, dtype="object")
    reason = reason.mask(counts[c.RC_STRIKES].isna(), NO_COUNT_REASON)
    reason = reason.mask((reason == "") & counts[c.RC_PERIOD_END].isna(), NO_END_REASON)
    usable = counts[reason == ""].reset_index(drop=True)
    excluded = counts.loc[
        reason != "",
        [c.RC_ID, c.RC_MONITOR, c.RC_MEASURE_KIND, c.RC_PERIOD_START, c.RC_PERIOD_END],
    ].assign(**{REASON: reason[reason != ""]})
    return usable, excluded.reset_index(drop=True)


def daily_rates(counts: pd.DataFrame) -> pd.DataFrame:
    """Adds ``days`` (period length, both ends included) and ``per_day`` = strikes / days.

    Rows without a count or an end get NaN; use :func:`split_usable` to list them.
    """
    days = (counts[c.RC_PERIOD_END] - counts[c.RC_PERIOD_START]).dt.days + 1
    strikes = counts[c.RC_STRIKES].astype("float64")
    return counts.assign(**{DAYS: days.astype("float64"), PER_DAY: strikes / days})


def classify_periods(
    counts: pd.DataFrame, window_start: str | pd.Timestamp, window_end: str | pd.Timestamp
) -> pd.DataFrame:
    """Adds ``phase`` (before / during / spans_both / after the window [start, end], both
    inclusive) and ``days_in_window`` (days of the count's period inside the window).

    A period with no end is classified from its start alone and gets NaN days in window.
    """
    start, end = pd.Timestamp(window_start), pd.Timestamp(window_end)
    if end < start:
        raise ValueError(f"window ends ({end.date()}) before it starts ({start.date()})")
    first = counts[c.RC_PERIOD_START]
    last = counts[c.RC_PERIOD_END]
    phase = pd.Series(SPANS_BOTH, index=counts.index, dtype="object")
    phase = phase.mask(last < start, BEFORE)
    phase = phase.mask(first > end, AFTER)
    phase = phase.mask((first >= start) & (last <= end), DURING)
    overlap_first = first.where(first > start, start)
    overlap_last = last.where(last < end, end)
    inside = ((overlap_last - overlap_first).dt.days + 1).clip(lower=0)
    return counts.assign(**{PHASE: phase, DAYS_IN_WINDOW: inside.astype("float64")})


def flag_overlaps(counts: pd.DataFrame) -> pd.DataFrame:
    """Adds ``overlaps_with``: ';'-joined ids of other counts by the same monitor with the
    same measure_kind whose periods share at least one day (blank when none). Such counts
    re-count the same strikes and must be shown side by side, never added."""
    keys = [c.RC_MONITOR, c.RC_MEASURE_KIND]
    frame = counts[[c.RC_ID, *keys, c.RC_PERIOD_START, c.RC_PERIOD_END]]
    frame = frame.assign(_end=frame[c.RC_PERIOD_END].fillna(pd.Timestamp.max))
    pairs = frame.merge(frame, on=keys, suffixes=("", "_other"))
    shared = (
        (pairs[c.RC_ID] != pairs[c.RC_ID + "_other"])
        & (pairs[c.RC_PERIOD_START] <= pairs["_end_other"])
        & (pairs[c.RC_PERIOD_START + "_other"] <= pairs["_end"])
    )
    joined = (
        pairs[shared]
        .sort_values([c.RC_ID, c.RC_PERIOD_START + "_other"])
        .groupby(c.RC_ID)[c.RC_ID + "_other"]
        .agg(c.LIST_SEPARATOR.join)
    )
    overlaps = counts[c.RC_ID].map(joined).fillna("").astype("string")
    return counts.assign(**{OVERLAPS_WITH: overlaps})


def select_counts(
    counts: pd.DataFrame,
    *,
    measure_kinds: Sequence[str] | None = None,
    monitors: Sequence[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Counts of the given measure kinds and monitors (empty = all) whose period overlaps
    [start, end] (an open period is taken to run on).

    Parameters
    ----------
    counts : pandas.DataFrame
        Rows of the REPORTED_COUNTS table.
    measure_kinds : sequence of str, optional
        Keep these measure_kind values (``contract.REPORTED_MEASURES``); empty keeps all.
    monitors : sequence of str, optional
        Keep these monitors; empty keeps all.
    start, end : str or pandas.Timestamp, optional
        The range (inclusive) a count's period must overlap; open on a side when not given.

    Returns
    -------
    pandas.DataFrame
        The matching rows (REPORTED_COUNTS columns), renumbered from 0.

    Raises
    ------
    ValueError
        For an unknown measure kind, or a monitor that is not in ``counts``.
    """
    unknown = sorted(set(measure_kinds or ()) - set(c.REPORTED_MEASURES))
    if unknown:
        raise ValueError(
            f"unknown measure_kind(s) {unknown}; choose from {list(c.REPORTED_MEASURES)}"
        )
    missing = sorted(set(monitors or ()) - set(counts[c.RC_MONITOR].dropna()))
    if missing:
        raise ValueError(
            f"monitor(s) {missing} not in the table; known: {sorted(counts[c.RC_MONITOR].unique())}"
        )
    keep = pd.Series(True, index=counts.index)
    if measure_kinds:
        keep &= counts[c.RC_MEASURE_KIND].isin(list(measure_kinds))
    if monitors:
        keep &= counts[c.RC_MONITOR].isin(list(monitors))
    if start:
        keep &= counts[c.RC_PERIOD_END].isna() | (counts[c.RC_PERIOD_END] >= pd.Timestamp(start))
    if end:
        keep &= counts[c.RC_PERIOD_START] <= pd.Timestamp(end)
    return counts[keep.fillna(False).astype(bool)].reset_index(drop=True)


@dataclass(frozen=True)
class RateTable(Result):
    """Published counts as per-day rates around a ceasefire (:func:`rate_table`).

    Attributes
    ----------
    rates : pandas.DataFrame
        The REPORTED_COUNTS columns of the usable counts plus days, per_day, phase,
        days_in_window and overlaps_with, sorted by measure kind, monitor and start.
    excluded : pandas.DataFrame
        The counts that give no per-day rate, with the reason.
    """

    rates: pd.DataFrame
    excluded: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """How many counts have a rate and how many were left out."""
        return {"n_rates": len(self.rates), "n_excluded": len(self.excluded)}


def rate_table(
    counts: pd.DataFrame, window_start: str | pd.Timestamp, window_end: str | pd.Timestamp
) -> RateTable:
    """Per-day rates of published counts, each placed before, during or after a window.

    Parameters
    ----------
    counts : pandas.DataFrame
        Rows of the REPORTED_COUNTS table.
    window_start, window_end : str or pandas.Timestamp
        The ceasefire's first and last day.

    Returns
    -------
    RateTable
        The usable counts with phase and overlap flags, and the excluded rows with the
        reason.
    """
    usable, excluded = split_usable(counts)
    table = flag_overlaps(classify_periods(daily_rates(usable), window_start, window_end))
    table = table.sort_values([c.RC_MEASURE_KIND, c.RC_MONITOR, c.RC_PERIOD_START])
    return RateTable(table.reset_index(drop=True), excluded)


def phase_summary(rates: pd.DataFrame) -> pd.DataFrame:
    """Per measure_kind, monitor and phase: number of counts and the range of their per-day
    rates. Rates are not averaged across counts (periods overlap and differ in scope).

    Parameters
    ----------
    rates : pandas.DataFrame
        The ``rates`` table of :func:`rate_table` (needs measure_kind, monitor, phase, per_day).

    Returns
    -------
    pandas.DataFrame
        One row per measure_kind, monitor and phase:

        * measure_kind, monitor, phase: the group;
        * counts: number of counts in it;
        * min_per_day, max_per_day: lowest and highest per-day rate among them.
    """
    grouped = rates.groupby([c.RC_MEASURE_KIND, c.RC_MONITOR, PHASE], observed=True)
    return grouped[PER_DAY].agg(counts="size", min_per_day="min", max_per_day="max").reset_index()


# --- Readable tables for rendered reports ------------------------------------------------------
