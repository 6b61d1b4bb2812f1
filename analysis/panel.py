"""Panels: event filters, zero-filled counts per period and group, and daily series.

Everything here is vectorised (group-bys, reindexing and difference arrays), so a panel over
millions of events builds in about the time it takes to read them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import contract as c

DateLike = str | pd.Timestamp | None
Selection = str | Sequence[str] | None


def _as_list(selection: Selection) -> list[str] | None:
    if selection is None or (isinstance(selection, str) and selection == ""):
        return None
    values = [selection] if isinstance(selection, str) else list(selection)
    return values or None


def check_frequency(freq: str) -> str:
    """Return the pandas offset for a panel frequency code ('D', 'W' or 'M')."""
    if freq not in c.FREQUENCIES:
        raise ValueError(
            f"frequency must be one of {list(c.FREQUENCIES)} (D days, W Monday-start weeks, "
            f"M months), got {freq!r}"
        )
    return c.FREQUENCIES[freq]


def period_start(dates: pd.Series | pd.DatetimeIndex, freq: str) -> pd.Series:
    """First day of the period (day, Monday-start week, month) each date falls in."""
    check_frequency(freq)
    values = pd.Series(pd.DatetimeIndex(dates).normalize())
    if freq == "W":
        return values - pd.to_timedelta(values.dt.day_of_week, unit="D")
    if freq == "M":
        return values - pd.to_timedelta(values.dt.day - 1, unit="D")
    return values


def filter_events(
    events: pd.DataFrame,
    start: DateLike = None,
    end: DateLike = None,
    admin1: Selection = None,
    actor_side: Selection = None,
    actor: Selection = None,
    target: Selection = None,
    category: Selection = None,
    dyad: Selection = None,
) -> pd.DataFrame:
    """Events within [start, end] whose columns match every given selection.

    Each selection is a value or list of values; None or an empty list means no filter.
    ``dyad`` selects UCDP dyad ids (the ``dyad_id`` column GED/Candidate files fill).
    """
    keep = pd.Series(True, index=events.index)
    if start is not None and start != "":
        keep &= events[c.EV_DATE] >= pd.Timestamp(start)
    if end is not None and end != "":
        keep &= events[c.EV_DATE] <= pd.Timestamp(end)
    for column, selection in (
        (c.EV_ADMIN1, admin1),
        (c.EV_ACTOR_SIDE, actor_side),
        (c.EV_ACTOR, actor),
        (c.EV_TARGET, target),
        (c.EV_CATEGORY, category),
        (c.EV_DYAD, dyad),
    ):
        values = _as_list(selection)
        if values is not None:
            keep &= events[column].isin(values).fillna(False).astype(bool)
    return events.loc[keep]


def build_panel(
    events: pd.DataFrame,
    freq: str = "D",
    group_by: str | None = None,
    start: DateLike = None,
    end: DateLike = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Zero-filled counts of events and fatalities per period and group.

    Every period between ``start`` and ``end`` (default: the events' first and last day) and
    every group (default: groups present in ``events``) appears, with 0 where nothing
    happened: a missing row would otherwise read as missing data rather than calm.

    Parameters
    ----------
    events : pandas.DataFrame
        An EVENTS table (usually filtered, e.g. to one strike definition).
    freq : {'D', 'W', 'M'}, default 'D'
        Period length: days, Monday-start weeks or calendar months.
    group_by : str, optional
        EVENTS column to count by (e.g. 'admin1', 'target'); one group 'all' when None. Missing
        values count as 'Unknown'.
    start, end : str or pandas.Timestamp, optional
        First and last day counted (inclusive); empty strings mean "not set".
    groups : sequence of str, optional
        The groups to list, in this order (a group absent from ``events`` gets zeros; events of
        unlisted groups are left out).

    Returns
    -------
    pandas.DataFrame
        A PANEL table, one row per period and group:

        * period: first day of the period (datetime);
        * group: the group (string);
        * events: sum of the events column (Int64, 0 where none);
        * fatalities: sum of the fatalities column (Int64, missing counted as 0).

    Raises
    ------
    ValueError
        For an unknown ``freq``, or when ``events`` is empty and no ``start``/``end`` is given.
    """
    offset = check_frequency(freq)
    if start is None or start == "":
        start = events[c.EV_DATE].min() if len(events) else None
    if end is None or end == "":
        end = events[c.EV_DATE].max() if len(events) else None
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        raise ValueError("cannot build a panel: no events and no start/end given")
    first, last = period_start(pd.DatetimeIndex([pd.Timestamp(start), pd.Timestamp(end)]), freq)
    periods = pd.date_range(first, last, freq=offset)

    in_range = events[
        (events[c.EV_DATE] >= pd.Timestamp(start)) & (events[c.EV_DATE] <= pd.Timestamp(end))
    ]
    group_values = (
        in_range[group_by].astype("string").fillna(c.ADMIN1_UNKNOWN)
        if group_by
        else pd.Series(c.PANEL_ALL_GROUP, index=in_range.index, dtype="string")
    )
    if groups is None:
        groups = sorted(group_values.unique().tolist()) if group_by else [c.PANEL_ALL_GROUP]
    keyed = pd.DataFrame(
        {
            c.PN_PERIOD: period_start(in_range[c.EV_DATE], freq).to_numpy(),
            c.PN_GROUP: group_values.to_numpy(),
            c.PN_EVENTS: in_range[c.EV_EVENTS].to_numpy(dtype="int64"),
            c.PN_FATALITIES: in_range[c.EV_FATALITIES].fillna(0).to_numpy(dtype="int64"),
        }
    )
    sums = keyed.groupby([c.PN_PERIOD, c.PN_GROUP], sort=False)[
        [c.PN_EVENTS, c.PN_FATALITIES]
    ].sum()
    full_index = pd.MultiIndex.from_product(
        [periods, list(groups)], names=[c.PN_PERIOD, c.PN_GROUP]
    )
    panel = sums.reindex(full_index, fill_value=0).reset_index()
    panel[c.PN_GROUP] = panel[c.PN_GROUP].astype("string")
    panel[c.PN_EVENTS] = panel[c.PN_EVENTS].astype("Int64")
    panel[c.PN_FATALITIES] = panel[c.PN_FATALITIES].astype("Int64")
    return panel


def daily_series(
    events: pd.DataFrame,
    start: DateLike = None,
    end: DateLike = None,
    value: str = c.EV_EVENTS,
) -> pd.Series:
    """Zero-filled daily totals of ``value`` (events or fatalities) indexed by date."""
    value_column = {c.EV_EVENTS: c.PN_EVENTS, c.EV_FATALITIES: c.PN_FATALITIES}[value]
    panel = build_panel(events, "D", None, start, end)
    series = panel.set_index(c.PN_PERIOD)[value_column].astype("int64")
    series.index = pd.DatetimeIndex(series.index, freq="D", name=c.EV_DATE)
    return series.rename(value)


def diplomatic_events_in_range(
    diplomatic: pd.DataFrame, start: DateLike, end: DateLike, blocs: Selection = None
) -> pd.DataFrame:
    """Diplomatic events starting within [start, end], optionally restricted to some blocs.

    Parameters
    ----------
    diplomatic : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table.
    start, end : str or pandas.Timestamp
        First and last day (inclusive) the event's date_start must fall in.
    blocs : str or sequence of str, optional
        Keep only these blocs; None or empty keeps all.

    Returns
    -------
    pandas.DataFrame
        The matching rows (DIPLOMATIC_EVENTS columns), sorted by date_start.

    Raises
    ------
    ValueError
        When ``blocs`` names a bloc outside ``contract.BLOCS``.
    """
    keep = (diplomatic[c.DE_DATE_START] >= pd.Timestamp(start)) & (
        diplomatic[c.DE_DATE_START] <= pd.Timestamp(end)
    )
    chosen = _as_list(blocs)
    if chosen is not None:
        unknown = sorted(set(chosen) - set(c.BLOCS))
        if unknown:
            raise ValueError(f"unknown bloc(s) {unknown}; choose from {list(c.BLOCS)}")
        keep &= diplomatic[c.DE_BLOC].isin(chosen)
    return diplomatic[keep].sort_values(c.DE_DATE_START).reset_index(drop=True)


def check_daily_series(series: pd.Series) -> pd.Series:
    """Validate a zero-filled daily count series (contiguous daily DatetimeIndex, counts >= 0).

    Returns it as float64 with a frequency-tagged index. Raises ValueError explaining the
    problem, since a gap in the index would silently shift every window.
    """
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError("daily series must be indexed by a DatetimeIndex")
    if len(series) < 2:
        raise ValueError("daily series needs at least two days")
    regular = np.asarray((series.index[1:] - series.index[:-1]) == pd.Timedelta(days=1))
    if not regular.all():
        bad = series.index[1:][~regular][:5]
        raise ValueError(
            f"daily series must have one row per day with no gaps or duplicates; "
            f"irregular step before {list(bad.date)} (use panel.daily_series to zero-fill)"
        )
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError("daily series must hold non-negative counts without missing values")
    out = pd.Series(values, index=pd.DatetimeIndex(series.index, freq="D"), name=series.name)
    return out
