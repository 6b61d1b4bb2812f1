"""Tables of published strike counts set against a ceasefire's window.

Each builder returns a DataFrame of text, one row per item, for
:func:`analysis.formatting.report_table` to display.
"""

from __future__ import annotations

import pandas as pd

from analysis import contract as c
from analysis import reported_pairs as rp
from analysis.formatting import (
    format_count,
    format_date,
    format_interval,
    format_intervals,
    format_number,
    format_p,
    format_status,
    is_missing,
)
from analysis.reported import (
    AFTER,
    BEFORE,
    DAYS,
    DAYS_IN_WINDOW,
    DURING,
    OVERLAPS_WITH,
    PER_DAY,
    PHASE,
    REASON,
    SPANS_BOTH,
)

PHASE_LABELS = {
    BEFORE: "before",
    DURING: "during",
    SPANS_BOTH: "spans both",
    AFTER: "after",
}


def rates_display_table(rates: pd.DataFrame) -> pd.DataFrame:
    """Per-day rates of :func:`rate_table` as text: period as two dates, rate to three
    significant digits, phase in words, overlapping counts listed (never to be added).

    Parameters
    ----------
    rates : pandas.DataFrame
        The ``rates`` table of :func:`analysis.reported.rate_table`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per published count; columns Count, Monitor, Measure, Area, Period, Reported,
        Per day, Relative to the ceasefire, Overlaps with (same monitor).
    """
    return pd.DataFrame(
        {
            "Count": rates[c.RC_ID].astype(str),
            "Monitor": rates[c.RC_MONITOR],
            "Measure": rates[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Area": rates[c.RC_SCOPE],
            "Period": rates[c.RC_PERIOD_START].map(format_date)
            + " to "
            + rates[c.RC_PERIOD_END].map(format_date),
            "Reported": rates[c.RC_STRIKES].map(format_count)
            + " in "
            + rates[DAYS].map(format_count)
            + " days",
            "Per day": rates[PER_DAY].map(format_number),
            # spans-both rates mix phases: how many of their days fall inside says how much
            "Relative to the ceasefire": [
                f"spans both ({format_count(inside)} days inside)"
                if phase == SPANS_BOTH
                else PHASE_LABELS.get(phase, phase)
                for phase, inside in zip(rates[PHASE], rates[DAYS_IN_WINDOW], strict=True)
            ],
            "Overlaps with (same monitor)": rates[OVERLAPS_WITH]
            .fillna("")
            .astype(str)
            .str.replace(c.LIST_SEPARATOR, ", "),
        }
    )


def excluded_display_table(excluded: pd.DataFrame) -> pd.DataFrame:
    """Counts that give no per-day rate (from :func:`split_usable`), with the reason.

    Parameters
    ----------
    excluded : pandas.DataFrame
        The ``excluded`` table of :func:`analysis.reported.rate_table`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per excluded count; columns Count, Monitor, Measure, Period start, Period end,
        Why no rate.
    """
    return pd.DataFrame(
        {
            "Count": excluded[c.RC_ID].astype(str),
            "Monitor": excluded[c.RC_MONITOR],
            "Measure": excluded[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Period start": excluded[c.RC_PERIOD_START].map(format_date),
            "Period end": excluded[c.RC_PERIOD_END].map(format_date),
            "Why no rate": excluded[REASON],
        }
    )


def phase_summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`phase_summary` as text: the range of per-day rates, never an average.

    Parameters
    ----------
    summary : pandas.DataFrame
        The output of :func:`analysis.reported.phase_summary`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per measure, monitor and phase; columns Measure, Monitor, Relative to the
        ceasefire, Counts, Per day (lowest–highest).
    """
    same = summary["min_per_day"] == summary["max_per_day"]
    ranges = [
        format_number(lo) if one else format_interval(lo, hi)
        for lo, hi, one in zip(summary["min_per_day"], summary["max_per_day"], same, strict=True)
    ]
    return pd.DataFrame(
        {
            "Measure": summary[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Monitor": summary[c.RC_MONITOR],
            "Relative to the ceasefire": summary[PHASE].map(PHASE_LABELS),
            "Counts": summary["counts"].map(format_count),
            "Per day (lowest–highest)": ranges,
        }
    )


NO_DETECTABLE_FALL = "none (even a fall to 0 would not show)"
"""The smallest-detectable-fall cell when no fall, however large, would be detected."""


def pairs_display_table(pairs: pd.DataFrame, max_gap_days: int = rp.MAX_GAP_DAYS) -> pd.DataFrame:
    """Same-monitor pairs (:func:`analysis.reported_pairs.within_monitor_pairs`) as text.

    Pairs whose before count ends more than ``max_gap_days`` before the ceasefire cannot be
    the primary pair; their status reads 'context only (gap > N days)', not 'estimated', so
    they are not read as a second result. A smallest detectable fall that does not exist (too
    few events before: even a fall to 0 would leave the interval above 1) is written out as
    :data:`NO_DETECTABLE_FALL` rather than a dash.

    Parameters
    ----------
    pairs : pandas.DataFrame
        The ``pairs`` table of :func:`analysis.reported_pairs.primary_pair`.
    max_gap_days : int, default :data:`analysis.reported_pairs.MAX_GAP_DAYS`
        The largest gap a primary pair may have (``PrimaryPair.max_gap_days``).

    Returns
    -------
    pandas.DataFrame
        Text, one row per pair, the primary first; columns Primary, Monitor, Measure, Before,
        During, Days between, Rate ratio, 95% interval (exact Poisson), p for a fall,
        Smallest detectable fall (ratio), Status.
    """

    ordered = pairs.sort_values(rp.IS_PRIMARY, ascending=False, kind="stable")
    pairs = ordered.reset_index(drop=True)
    context = pairs[rp.GAP_DAYS] > max_gap_days
    status = (
        pairs[rp.STATUS]
        .map(format_status)
        .where(~context, f"context only (gap > {max_gap_days} days)")
    )
    mde = pairs[rp.MDE].map(lambda v: NO_DETECTABLE_FALL if is_missing(v) else format_number(v))
    return pd.DataFrame(
        {
            "Primary": pairs[rp.IS_PRIMARY].map({True: "primary", False: ""}),
            "Monitor": pairs[c.RC_MONITOR],
            "Measure": pairs[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Before": _pair_side(pairs, BEFORE),
            "During": _pair_side(pairs, DURING),
            "Days between": pairs[rp.GAP_DAYS].map(format_count),
            "Rate ratio": pairs[rp.RATE_RATIO].map(format_number),
            "95% interval (exact Poisson)": format_intervals(pairs),
            "p for a fall": pairs[rp.P_FALL].map(format_p),
            "Smallest detectable fall (ratio)": mde,
            "Status": status,
        }
    )


def pairs_caption(primary: rp.PrimaryPair) -> str:
    """The caption of :func:`pairs_display_table`: how many pairs, which is primary, and what
    the columns that are easy to misread mean.

    Parameters
    ----------
    primary : analysis.reported_pairs.PrimaryPair
        The result of :func:`analysis.reported_pairs.primary_pair`.

    Returns
    -------
    str
        One or two sentences.
    """
    head = (
        f"{primary.n_pairs} same-monitor pair{'s' if primary.n_pairs != 1 else ''}, the primary "
        f"one first (result: {format_status(primary.status)})"
    )
    return (
        f"{head}. Pairs with more than {primary.max_gap_days} days between the counts are "
        "context only. Smallest detectable fall: the ratio a fall must reach to be detected "
        "with 80% probability; 'none' means too few events before for any fall to show."
    )


def _pair_side(pairs: pd.DataFrame, phase: str) -> pd.Series:
    """One side of each pair as 'id: count in days days (first to last)'."""
    names = rp.SIDE_COLUMNS[phase]
    return (
        pairs[names[c.RC_ID]].astype(str)
        + ": "
        + pairs[names[c.RC_STRIKES]].map(format_count)
        + " in "
        + pairs[names[DAYS]].map(format_count)
        + " days ("
        + pairs[names[c.RC_PERIOD_START]].map(format_date)
        + " to "
        + pairs[names[c.RC_PERIOD_END]].map(format_date)
        + ")"
    )
