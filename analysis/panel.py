"""Panels: zero-filled counts per period and group, event filters and ceasefire windows.

Everything here is vectorised (group-bys, reindexing and difference arrays), so a panel over
millions of events builds in about the time it takes to read them.
"""

from __future__ import annotations

import difflib
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
) -> pd.DataFrame:
    """Events within [start, end] whose columns match every given selection.

    Each selection is a value or list of values; None or an empty list means no filter.
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


def ceasefire_windows(
    ceasefires: pd.DataFrame,
    open_ended_days: int = 90,
    ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each ceasefire's window: start = effective_from (else declared_on), end = effective_to.

    Open-ended or unknown ends are capped at ``open_ended_days`` after the start and flagged
    in ``end_assumed`` so figures and tables can say so. Rows with no usable start date are
    dropped and listed in ``ceasefire_windows.attrs['dropped']``.
    """
    selected = ceasefires if not ids else ceasefires[ceasefires[c.CF_ID].isin(list(ids))]
    unknown = sorted(set(ids or []) - set(ceasefires[c.CF_ID]))
    if unknown:
        known = ceasefires[c.CF_ID].astype(str).tolist()
        close = sorted({m for u in unknown for m in difflib.get_close_matches(u, known, n=3)})
        hint = f"; did you mean {close}?" if close else ""
        raise ValueError(
            f"unknown ceasefire_id(s) {unknown}{hint} ({len(known)} ids are listed in the "
            "ceasefire_id column of the ceasefire table, data/curated/ceasefires.csv)"
        )
    window_start = selected[c.CF_EFFECTIVE_FROM].fillna(selected[c.CF_DECLARED_ON])
    assumed_end = window_start + pd.Timedelta(days=open_ended_days)
    windows = pd.DataFrame(
        {
            c.CF_ID: selected[c.CF_ID],
            "start": window_start,
            "end": selected[c.CF_EFFECTIVE_TO].fillna(assumed_end),
            "end_assumed": selected[c.CF_EFFECTIVE_TO].isna(),
            c.CF_DECLARER_SIDE: selected[c.CF_DECLARER_SIDE],
            c.CF_KIND: selected[c.CF_KIND],
            c.CF_BROKER_BLOC: selected[c.CF_BROKER_BLOC],
        }
    )
    usable = windows["start"].notna()
    windows = windows[usable].reset_index(drop=True)
    windows.attrs["dropped"] = selected.loc[~usable.to_numpy(), c.CF_ID].tolist()
    return windows


def window_mask(days: pd.DatetimeIndex, windows: pd.DataFrame) -> np.ndarray:
    """Boolean array: is each day inside at least one [start, end] window?

    Uses a difference array (+1 at each start, -1 after each end) so the cost is linear in
    days + windows rather than their product.
    """
    if len(days) == 0:
        return np.zeros(0, dtype=bool)
    origin = days[0]
    n_days = len(days)
    starts = ((windows["start"] - origin).dt.days).to_numpy()
    ends = ((windows["end"] - origin).dt.days).to_numpy() + 1
    starts = np.clip(starts, 0, n_days)
    ends = np.clip(ends, 0, n_days)
    valid = ends > starts
    marks = np.zeros(n_days + 1, dtype=np.int64)
    np.add.at(marks, starts[valid], 1)
    np.add.at(marks, ends[valid], -1)
    return np.cumsum(marks[:-1]) > 0


def inside_outside_summary(daily: pd.Series, inside: np.ndarray) -> dict[str, float | int]:
    """Totals and mean daily counts inside vs outside ceasefire windows."""
    values = daily.to_numpy(dtype="float64")
    days_inside = int(inside.sum())
    days_outside = int((~inside).sum())
    total_inside = float(values[inside].sum())
    total_outside = float(values[~inside].sum())
    mean_inside = total_inside / days_inside if days_inside else float("nan")
    mean_outside = total_outside / days_outside if days_outside else float("nan")
    return {
        "days_inside": days_inside,
        "days_outside": days_outside,
        "events_inside": int(total_inside),
        "events_outside": int(total_outside),
        "mean_daily_events_inside": mean_inside,
        "mean_daily_events_outside": mean_outside,
        "inside_outside_ratio": mean_inside / mean_outside if mean_outside else float("nan"),
    }


def ceasefires_in_range(ceasefires: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """The ceasefire rows whose windows are listed in ``windows``, with the window columns."""
    table = ceasefires.merge(windows[[c.CF_ID, "start", "end", "end_assumed"]], on=c.CF_ID)
    return table.sort_values("start").reset_index(drop=True)


def overlapping_windows(windows: pd.DataFrame, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Windows that overlap [start, end]."""
    overlaps = (windows["end"] >= pd.Timestamp(start)) & (windows["start"] <= pd.Timestamp(end))
    return windows[overlaps].reset_index(drop=True)


def diplomatic_events_in_range(
    diplomatic: pd.DataFrame, start: DateLike, end: DateLike, blocs: Selection = None
) -> pd.DataFrame:
    """Diplomatic events starting within [start, end], optionally restricted to some blocs."""
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
