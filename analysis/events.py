"""Canonical events from whichever source a notebook names, with coverage and attribution.

This module owns the choice of event source: :func:`load_events` dispatches to the bundled
UCDP aggregate (:mod:`analysis.sources.ucdp_daily`), an ACLED file
(:mod:`analysis.sources.acled`) or a GED/Candidate file (:mod:`analysis.sources.ucdp`),
maps actors through the registry and applies a named strike definition
(:mod:`analysis.sources.actors`). It also owns :func:`coverage` (how much of an analysis
window the data span), :func:`source_attribution` (what a report must cite) and
:func:`load_daily_series`, the one call behind every notebook's "load, filter, count per day".
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import contract as c
from analysis import panel, paths
from analysis.results import Result
from analysis.sources import acled, actors, ucdp
from analysis.sources.ucdp_daily import UCDP_CITATION, load_ucdp_daily, ucdp_daily_to_events

EVENT_SOURCES_NEEDING_PATH = ("ucdp_ged", "ucdp_candidate", "acled")

PathLike = str | os.PathLike[str]


def load_events(
    source: str = "ucdp_daily",
    events_path: PathLike | None = None,
    data_dir: PathLike | None = None,
    strike_definition: str | None = None,
) -> pd.DataFrame:
    """Canonical events from one source: the bundled UCDP aggregate or a user file.

    Parameters
    ----------
    source : str, default 'ucdp_daily'
        One of ``contract.EVENT_SOURCES``.
    events_path : str or os.PathLike, optional
        Required for user-supplied sources (ACLED exports, GED/Candidate CSVs); resolved
        from the project root when relative. For 'ucdp_daily' it replaces the bundled file.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).
    strike_definition : str, optional
        One of the documented definitions in data/curated/strike_definitions.yml; only the
        events it counts as strikes are kept.

    Returns
    -------
    pandas.DataFrame
        Canonical EVENTS rows, actors mapped through the registry.
    """
    events = _load_source_events(source, events_path, data_dir)
    if strike_definition:
        events = actors.apply_strike_definition(events, strike_definition)
    return events


def _load_source_events(
    source: str, events_path: PathLike | None, data_dir: PathLike | None
) -> pd.DataFrame:
    if source not in c.EVENT_SOURCES:
        raise ValueError(f"unknown source {source!r}; choose one of {list(c.EVENT_SOURCES)}")
    if source == "ucdp_daily":
        daily_path = paths.resolve_user_path(events_path) if events_path else None
        return actors.canonicalise(ucdp_daily_to_events(load_ucdp_daily(daily_path, data_dir)))
    if not events_path:
        raise ValueError(f"source {source!r} needs events_path (a file under data/raw/)")
    resolved = paths.resolve_user_path(events_path)
    if not resolved.is_file():
        raise c.DataContractError(
            resolved,
            None,
            [],
            f"file not found (events_path={str(events_path)!r}; relative paths are taken "
            "from the project root, e.g. 'data/raw/acled/export.csv')",
        )
    if source == "acled":
        return acled.load_acled(resolved)
    return ucdp.load_ged(resolved, source=source)


def coverage(events: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp) -> dict:
    """The data's date coverage and how much of [start, end] it spans.

    Parameters
    ----------
    events : pandas.DataFrame
        Canonical EVENTS rows.
    start, end : str or pandas.Timestamp
        The analysis window (inclusive).

    Returns
    -------
    dict
        ``data_first_date``, ``data_last_date`` and ``window_share_covered`` (0-1).

    Raises
    ------
    ValueError
        When the window ends before it starts, or lies wholly outside the data, because
        every count in it would be a meaningless zero.
    """
    first, last = events[c.EV_DATE].min(), events[c.EV_DATE].max()
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"analysis window ends ({end.date()}) before it starts ({start.date()})")
    if pd.isna(first) or end < first or start > last:
        span = "no events" if pd.isna(first) else f"{first.date()} to {last.date()}"
        raise ValueError(
            f"analysis window {start.date()} to {end.date()} lies outside the data ({span}); "
            "choose start and end within the data's dates"
        )
    covered_start, covered_end = max(start, first), min(end, last)
    return {
        "data_first_date": first,
        "data_last_date": last,
        "window_share_covered": ((covered_end - covered_start).days + 1) / ((end - start).days + 1),
    }


def source_attribution(
    source: str, events_path: PathLike | None = None, analysis_filters: dict | None = None
) -> dict[str, object]:
    """Attribution a report must carry for its event source (recorded with the results).

    Parameters
    ----------
    source : str
        The event source the report used.
    events_path : str or os.PathLike, optional
        The ACLED file (required for 'acled').
    analysis_filters : dict, optional
        Filters the analysis applied, recorded for ACLED's statement of changes.

    Returns
    -------
    dict
        ``data_attribution`` (the citation) and, for ACLED, ``acled_attribution`` (access
        date, filters and changes) for the report footer. UCDP data are CC BY 4.0 and need
        the citation only.
    """
    if source == "acled":
        resolved = paths.resolve_user_path(events_path) if events_path else None
        if resolved is None:
            raise ValueError("source 'acled' needs events_path (a file under data/raw/)")
        return {
            "data_attribution": acled.ACLED_CITATION,
            "acled_attribution": acled.attribution(resolved, analysis_filters or {}),
        }
    return {"data_attribution": UCDP_CITATION}


@dataclass(frozen=True)
class DataDates(Result):
    """The first and last event date of a source, before any filter or strike definition.

    Attributes
    ----------
    data_first_date, data_last_date : pandas.Timestamp
        The first and last event of the file (NaT when it has no events).
    """

    data_first_date: pd.Timestamp
    data_last_date: pd.Timestamp


def source_dates(
    source: str = "ucdp_daily",
    events_path: PathLike | None = None,
    data_dir: PathLike | None = None,
) -> DataDates:
    """The dates a source covers: what empty start and end dates of a notebook stand for.

    Parameters
    ----------
    source, events_path, data_dir
        As for :func:`load_events`; empty strings mean "not set".

    Returns
    -------
    DataDates
        The first and last event date of the file.
    """
    return _dates_of(_load_source_events(source, events_path, data_dir))


def _dates_of(events: pd.DataFrame) -> DataDates:
    return DataDates(events[c.EV_DATE].min(), events[c.EV_DATE].max())


@dataclass(frozen=True)
class DailySeries(Result):
    """Events of one source, the ones an analysis keeps, and their zero-filled daily counts.

    Attributes
    ----------
    events : pandas.DataFrame
        Every EVENTS row of the source (after the strike definition, if one was named).
    selected : pandas.DataFrame
        The rows inside [first_day, last_day] that pass the region, side and target filters.
    daily : pandas.Series
        Events per day from first_day to last_day, zero-filled (index: date).
    first_day, last_day : pandas.Timestamp
        The days the series spans: the requested start and end, or the data's first and last
        event date where they were left empty (or clipped to the data, on request).
    data_first_date, data_last_date : pandas.Timestamp
        The first and last event of the source (before the strike definition: a day of the
        file without strikes is a day with none, not a day without data).
    window_share_covered : float
        Share of the requested window that lies within the data's dates.
    """

    events: pd.DataFrame
    selected: pd.DataFrame
    daily: pd.Series
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    data_first_date: pd.Timestamp
    data_last_date: pd.Timestamp
    window_share_covered: float

    def to_dict(self) -> dict[str, Any]:
        """The series' span, the data's dates and the number of events counted."""
        return {
            "series_first_day": self.first_day,
            "series_last_day": self.last_day,
            "data_first_date": self.data_first_date,
            "data_last_date": self.data_last_date,
            "window_share_covered": self.window_share_covered,
            "events_in_series": int(self.daily.sum()),
        }


def load_daily_series(
    source: str = "ucdp_daily",
    events_path: PathLike | None = None,
    data_dir: PathLike | None = None,
    strike_definition: str | None = None,
    *,
    start: str | pd.Timestamp | None = "",
    end: str | pd.Timestamp | None = "",
    regions: Sequence[str] = (),
    actor_side: str | None = None,
    targets: Sequence[str] = (),
    dyads: Sequence[str] = (),
    start_at_data: bool = False,
    end_at_data: bool = False,
) -> DailySeries:
    """Load a source, keep the events an analysis counts, and count them per day.

    Parameters
    ----------
    source, events_path, data_dir, strike_definition
        As for :func:`load_events`; empty strings mean "not set".
    start, end : str or pandas.Timestamp
        The analysis window; it must overlap the data (see :func:`coverage`). Empty (the
        notebooks' default) means the data's own first / last event date, so a file covering
        23 January to 16 May 2025 is analysed over exactly those days.
    regions : sequence of str
        admin1 names to keep; empty keeps all.
    actor_side : str, optional
        Initiating side to keep (e.g. 'state'); empty keeps every side.
    targets : sequence of str
        Canonical targets to keep; empty keeps all.
    dyads : sequence of str
        UCDP dyad ids (GED dyad_new_id) to keep, e.g. an ETH/PRIO ceasefire's
        ``ucdp_dyad_ids``; empty keeps all. Only GED/Candidate files carry dyads: with another
        source a non-empty selection raises ValueError rather than counting nothing.
    start_at_data, end_at_data : bool
        Start (end) the series at the data's first (last) event when ``start`` (``end``)
        lies beyond it, instead of counting the days outside the data as zeros.

    Returns
    -------
    DailySeries
        The events, the selection and the daily counts, with the data's coverage and the
        days the series spans (``first_day``, ``last_day``, resolved as above).
    """
    source_events = _load_source_events(source, events_path, data_dir)
    dates = _dates_of(source_events)
    events = (
        actors.apply_strike_definition(source_events, strike_definition)
        if strike_definition
        else source_events
    )
    first_day = pd.Timestamp(start) if _is_set(start) else dates.data_first_date
    last_day = pd.Timestamp(end) if _is_set(end) else dates.data_last_date
    covered = coverage(source_events, first_day, last_day)
    if start_at_data:
        first_day = max(first_day, covered["data_first_date"])
    if end_at_data:
        last_day = min(last_day, covered["data_last_date"])
    dyads = [str(d) for d in dyads]
    if dyads and source_events[c.EV_DYAD].isna().all():
        raise ValueError(
            f"dyads {dyads} were asked for, but source {source!r} has no UCDP dyad ids; "
            "use a UCDP GED or Candidate file (source ucdp_ged or ucdp_candidate)"
        )
    selected = panel.filter_events(
        events,
        first_day,
        last_day,
        admin1=regions,
        actor_side=actor_side,
        target=targets,
        dyad=dyads,
    )
    return DailySeries(
        events=events,
        selected=selected,
        daily=panel.daily_series(selected, first_day, last_day),
        first_day=first_day,
        last_day=last_day,
        **covered,
    )


def _is_set(value: str | pd.Timestamp | None) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def coarsely_dated(selected: pd.DataFrame) -> str:
    """How many of the counted events are dated only to a week, month or year.

    Sources give such events the first day of their period (UCDP GED ``date_start``, ACLED's
    ``event_date``), so a daily series counts them all on that day: the 1st of a month or of
    January can look like a spike that no day saw.

    Parameters
    ----------
    selected : pandas.DataFrame
        EVENTS rows an analysis counts (:attr:`DailySeries.selected`).

    Returns
    -------
    str
        E.g. ``"57 of 1,204 events (4.7%), each counted on the first day of its period"``;
        ``"none"`` when every event is dated to the day.
    """
    total = float(selected[c.EV_EVENTS].sum())
    coarse = selected[c.EV_DATE_PRECISION].isin([p for p in c.DATE_PRECISIONS if p != "day"])
    count = float(selected.loc[coarse, c.EV_EVENTS].sum())
    if count == 0:
        return "none"
    return (
        f"{count:,.0f} of {total:,.0f} events ({100 * count / total:.1f}%), each counted on "
        "the first day of its period"
    )
