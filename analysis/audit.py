"""Data audit tables for notebooks/00_data_audit.ipynb: aggregates only, never raw rows.

ACLED's terms forbid redistributing rows, and rendered notebooks are shared as HTML, so every
function here returns counts per source, year, region, precision, actor name or reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis import contract as c
from analysis.sources import actors

DUPLICATE_KEY = (
    c.EV_SOURCE,
    c.EV_DATE,
    c.EV_ADMIN1,
    c.EV_ACTOR,
    c.EV_TARGET,
    c.EV_CATEGORY,
    c.EV_LATITUDE,
    c.EV_LONGITUDE,
)
"""Columns that, all equal, make two rows candidate duplicates (same actor, place, day, kind).
Such rows can be genuine separate events, so they are counted, never removed."""


def coverage_by_source(events: pd.DataFrame) -> pd.DataFrame:
    """Rows, events, fatalities and first/last date per source.

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table.

    Returns
    -------
    pandas.DataFrame
        One row per source:

        * source: the event source (e.g. 'ucdp_ged', 'acled');
        * rows: number of rows;
        * events: sum of the events column;
        * fatalities: sum of the fatalities column;
        * first_date, last_date: earliest and latest event date.
    """
    return (
        events.groupby(c.EV_SOURCE, observed=True)
        .agg(
            rows=(c.EV_ID, "size"),
            events=(c.EV_EVENTS, "sum"),
            fatalities=(c.EV_FATALITIES, "sum"),
            first_date=(c.EV_DATE, "min"),
            last_date=(c.EV_DATE, "max"),
        )
        .reset_index()
    )


def events_by_year_and_region(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year (rows) and normalised state/region (columns), zero where none.

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table.

    Returns
    -------
    pandas.DataFrame
        Events summed per calendar year (index ``year``) and admin1 state/region (one column each,
        'Unknown' included when present); 0 where there were none.
    """
    return events.pivot_table(
        index=events[c.EV_DATE].dt.year.rename("year"),
        columns=c.EV_ADMIN1,
        values=c.EV_EVENTS,
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )


def date_precision_table(events: pd.DataFrame) -> pd.DataFrame:
    """Events per date precision and their share: coarse dates blur daily panels.

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table.

    Returns
    -------
    pandas.DataFrame
        Indexed by date_precision (day, week, month, year, all listed, 0 when absent):

        * events: sum of the events column;
        * share: that sum as a fraction of all events.
    """
    table = (
        events.groupby(c.EV_DATE_PRECISION, observed=True)[c.EV_EVENTS]
        .sum()
        .reindex(list(c.DATE_PRECISIONS), fill_value=0)
        .rename("events")
        .to_frame()
    )
    table["share"] = table["events"] / max(int(table["events"].sum()), 1)
    return table


def category_by_side(events: pd.DataFrame) -> pd.DataFrame:
    """Events per category (rows) and initiating actor side (columns).

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table.

    Returns
    -------
    pandas.DataFrame
        Events summed per category (index) and actor_side (one column each); 0 where none.
    """
    return pd.crosstab(
        events[c.EV_CATEGORY], events[c.EV_ACTOR_SIDE], values=events[c.EV_EVENTS], aggfunc="sum"
    ).fillna(0)


def duplicate_candidates(events: pd.DataFrame) -> pd.DataFrame:
    """How many rows share every :data:`DUPLICATE_KEY` column with another row, per source.

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table.

    Returns
    -------
    pandas.DataFrame
        Indexed by source, integer columns:

        * rows_in_candidate_groups: rows whose key is shared with at least one other row;
        * candidate_groups: distinct shared keys;
        * rows: all rows of the source.
    """
    keyed = events[list(DUPLICATE_KEY)].astype("string").fillna("<NA>")
    repeated = keyed.duplicated(keep=False)
    groups = keyed[repeated].drop_duplicates()
    return (
        pd.DataFrame(
            {
                "rows_in_candidate_groups": events[repeated].groupby(c.EV_SOURCE).size(),
                "candidate_groups": groups.groupby(c.EV_SOURCE).size(),
                "rows": events.groupby(c.EV_SOURCE).size(),
            }
        )
        .fillna(0)
        .astype("int64")
    )


def dropped_rows(events: pd.DataFrame) -> pd.DataFrame:
    """What the loader dropped and why (from ``attrs['dropped']``); empty when nothing.

    Parameters
    ----------
    events : pandas.DataFrame
        An EVENTS table as the loader returned it (``attrs['dropped']`` set by the loader).

    Returns
    -------
    pandas.DataFrame
        One row per drop reason: reason, rows (rows dropped for it). No rows when nothing was
        dropped.
    """
    report = events.attrs.get("dropped") or []
    frame = pd.DataFrame(report, columns=["reason", "rows", "file_rows"])
    return frame.drop(columns="file_rows")


def strike_definition_summary(
    events: pd.DataFrame, definitions: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """Events each named definition would count in these data (0 or 'not applicable').

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table.
    definitions : mapping
        Named strike definitions (:func:`analysis.sources.actors.load_strike_definitions`).

    Returns
    -------
    pandas.DataFrame
        Indexed by definition name:

        * label: the definition's label (its name when it has none);
        * applies_to_these_sources: whether every source in ``events`` is one it covers;
        * events_counted: events it counts (0 when it does not apply);
        * share_of_all_events: events_counted as a fraction of all events.
    """
    present = set(events[c.EV_SOURCE].dropna().unique())
    names = list(definitions)
    applicable = pd.Series([present <= set(definitions[n]["sources"]) for n in names], index=names)
    counted = pd.Series(
        [
            int(events.loc[actors.strike_mask(events, definitions[n]), c.EV_EVENTS].sum())
            if applicable[n]
            else 0
            for n in names
        ],
        index=names,
    )
    return pd.DataFrame(
        {
            "label": [definitions[n].get("label", n) for n in names],
            "applies_to_these_sources": applicable,
            "events_counted": counted,
            "share_of_all_events": counted / max(int(events[c.EV_EVENTS].sum()), 1),
        }
    )


def audit_numbers(events: pd.DataFrame, unmapped: pd.DataFrame) -> dict[str, Any]:
    """Key audit figures for ``results.record``.

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table.
    unmapped : pandas.DataFrame
        The unmapped-name report (:func:`analysis.sources.actors.unmapped_report`).

    Returns
    -------
    dict
        rows, events, first_date, last_date, unmapped_actor_names, events_with_unmapped_actor,
        share_events_not_day_precise (fraction of events whose date is coarser than a day),
        events_unknown_admin1 and rows_dropped_by_loader.
    """
    coarse = events[c.EV_DATE_PRECISION] != "day"
    return {
        "rows": len(events),
        "events": int(events[c.EV_EVENTS].sum()),
        "first_date": events[c.EV_DATE].min(),
        "last_date": events[c.EV_DATE].max(),
        "unmapped_actor_names": int((unmapped["role"] == "actor").sum()) if len(unmapped) else 0,
        "events_with_unmapped_actor": int(
            unmapped.loc[unmapped["role"] == "actor", "events"].sum() if len(unmapped) else 0
        ),
        "share_events_not_day_precise": float(
            events.loc[coarse, c.EV_EVENTS].sum() / max(int(events[c.EV_EVENTS].sum()), 1)
        ),
        "events_unknown_admin1": int(
            events.loc[events[c.EV_ADMIN1] == c.ADMIN1_UNKNOWN, c.EV_EVENTS].sum()
        ),
        "rows_dropped_by_loader": int(sum(r["rows"] for r in events.attrs.get("dropped") or [])),
    }
