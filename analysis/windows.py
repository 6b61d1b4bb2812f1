"""Ceasefire windows: extension chains, effective dates, and the days each analysis compares.

This module owns three rules that every analysis must apply the same way:

* **Extension chains.** A row whose ``extends`` names another ceasefire continues it; the
  chain root is the first announcement (:func:`chain_roots`), and :func:`collapse_chains`
  turns a chain into one ceasefire running from its first start to its last end.
* **Effective dates.** A ceasefire starts at ``effective_from``, else at ``declared_on``
  (:func:`effective_start`); its declaration is ``declared_on``, else ``effective_from``
  (:func:`declaration_date`).
* **Windows.** :func:`window_table` gives the pre / interim / during windows of every row for
  the estimators; :func:`ceasefire_windows` the same for one ceasefire as :class:`Windows`,
  checked against a daily series; :func:`ceasefire_periods` the in-force periods used to shade
  timelines and to split days into inside / outside.

Everything is vectorised over rows; nothing here looks at event counts except
:func:`inside_outside_summary`.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis.results import Result
from analysis.status import (
    MIN_BASELINE_DAYS,
    MIN_WINDOW_DAYS,
    STATUS_NO_DATES,
    STATUS_OK,
    STATUS_OUTSIDE,
    STATUS_TOO_SHORT,
)

DateLike = str | pd.Timestamp | None
Gap = Literal["exclude", "interim", "during"]
GAPS: tuple[str, ...] = ("exclude", "interim", "during")
"""How the days between declaration and entry into force are treated (see window_table)."""


class WindowOutsideDataError(ValueError):
    """A ceasefire's analysis window is not covered by the daily series."""


class ChainLoopError(ValueError):
    """``extends`` links that loop back on themselves; ``ids`` names the rows caught in it."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(f"'extends' links form a cycle through {ids}")
        self.ids = ids


@dataclass(frozen=True)
class Windows(Result):
    """The analysis windows of one ceasefire (all bounds inclusive; NaT when absent)."""

    ceasefire_id: str
    declared: pd.Timestamp
    effective: pd.Timestamp
    pre_start: pd.Timestamp
    pre_end: pd.Timestamp
    interim_start: pd.Timestamp
    interim_end: pd.Timestamp
    during_start: pd.Timestamp
    during_end: pd.Timestamp
    gap: str
    note: str
    pre_days_used: int = 0
    """Days in the baseline: ``pre_days``, or fewer when the data start later (see note)."""

    @property
    def has_interim(self) -> bool:
        return self.gap == "interim" and not pd.isna(self.interim_start)


def effective_start(ceasefires: pd.DataFrame) -> pd.Series:
    """The day each ceasefire starts: ``effective_from``, else ``declared_on``.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table (or any frame with its two date columns).

    Returns
    -------
    pandas.Series
        Start dates aligned with ``ceasefires``; NaT where neither date is known.
    """
    return pd.to_datetime(ceasefires[c.CF_EFFECTIVE_FROM]).fillna(
        pd.to_datetime(ceasefires[c.CF_DECLARED_ON])
    )


def declaration_date(ceasefires: pd.DataFrame) -> pd.Series:
    """The day each ceasefire was announced: ``declared_on``, else ``effective_from``.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.

    Returns
    -------
    pandas.Series
        Declaration dates aligned with ``ceasefires``; NaT where neither date is known.
    """
    return pd.to_datetime(ceasefires[c.CF_DECLARED_ON]).fillna(
        pd.to_datetime(ceasefires[c.CF_EFFECTIVE_FROM])
    )


def chain_roots(ceasefires: pd.DataFrame) -> pd.Series:
    """The first ceasefire of each row's extension chain (following ``extends`` upward).

    Pointer jumping keeps this vectorised: each step doubles the distance looked up.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.

    Returns
    -------
    pandas.Series
        The chain root's id, indexed by ceasefire id (name ``chain_root``).

    Raises
    ------
    ValueError
        When ``extends`` names an unknown id; :class:`ChainLoopError` when links loop.
    """
    ids = ceasefires[c.CF_ID].astype("string")
    parent = pd.Series(ceasefires[c.CF_EXTENDS].astype("string").to_numpy(), index=ids.to_numpy())
    dangling = parent.notna() & ~parent.isin(ids)
    if dangling.any():
        raise ValueError(f"'extends' names unknown ceasefire(s): {sorted(parent[dangling])}")
    root = pd.Series(ids.to_numpy(), index=ids.to_numpy())
    nxt = parent.copy()
    for _ in range(64):  # depth 2**64 is unreachable; a cycle never settles
        has_parent = nxt.notna()
        if not has_parent.any():
            break
        root = root.where(~has_parent, nxt)
        nxt = parent.reindex(root.to_numpy()).set_axis(root.index)
    else:
        raise ChainLoopError([str(i) for i in root.index[nxt.notna().to_numpy()]])
    return root.rename("chain_root")


def _as_text_id(ceasefire_id: object) -> str:
    """Ids are text; ``papermill -p ceasefire_id 100003`` passes an ETH/PRIO uniq_id as a number."""
    is_number = isinstance(ceasefire_id, numbers.Integral) and not isinstance(ceasefire_id, bool)
    return str(ceasefire_id) if is_number else ceasefire_id


def _unknown_ceasefire(ceasefires: pd.DataFrame, ceasefire_id: str) -> KeyError:
    """The error for an id the table lacks; an ETH/PRIO ceasefire the loader left out says why."""
    left_out = {str(r[c.CF_ID]): r["reason"] for r in ceasefires.attrs.get("skipped", ())}
    if ceasefire_id in left_out:
        return KeyError(
            f"ceasefire {ceasefire_id} is in the file but was left out: {left_out[ceasefire_id]}"
        )
    ids = sorted(ceasefires[c.CF_ID].astype(str))
    return KeyError(f"unknown ceasefire_id {ceasefire_id!r}; known ids include {ids[:5]} ...")


def chain_members(ceasefires: pd.DataFrame, ceasefire_id: str) -> list[str]:
    """All ceasefire ids in the same extension chain as ``ceasefire_id``, by effective date.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    ceasefire_id : str
        Any member of the chain; an empty string (a notebook's "none") gives an empty list.

    Returns
    -------
    list of str
        The chain's ids, first announcement first.

    Raises
    ------
    KeyError
        When ``ceasefire_id`` is not in the table.
    """
    if not ceasefire_id:
        return []
    ceasefire_id = _as_text_id(ceasefire_id)
    roots = chain_roots(ceasefires)
    if ceasefire_id not in roots.index:
        raise _unknown_ceasefire(ceasefires, ceasefire_id)
    members = roots.index[roots == roots[ceasefire_id]]
    table = ceasefires.set_index(ceasefires[c.CF_ID].astype("string"))
    start = effective_start(table.loc[members])
    return list(start.sort_values(kind="stable").index)


def collapse_chains(ceasefires: pd.DataFrame) -> pd.DataFrame:
    """One row per extension chain: first declaration/effective date, last end.

    The chain keeps the root's id and attributes; ``effective_to`` is blank when the chain's
    last member is open-ended. ``chain_members`` lists the ids joined with ';'.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.

    Returns
    -------
    pandas.DataFrame
        One row per chain: the columns of ``ceasefires`` plus chain_members (see above). Broken
        ``extends`` links raise ValueError, as in :func:`chain_roots`.
    """
    table = ceasefires.copy()
    table["_root"] = chain_roots(ceasefires).to_numpy()
    table["_start"] = effective_start(table)
    table = table.sort_values(["_root", "_start"], kind="stable")
    grouped = table.groupby("_root", sort=False)
    last_to = grouped[c.CF_EFFECTIVE_TO].last()
    # an open-ended last member makes the whole chain open-ended
    last_open = grouped[c.CF_EFFECTIVE_TO].apply(lambda s: bool(pd.isna(s.iloc[-1])))
    agg = pd.DataFrame(
        {
            c.CF_DECLARED_ON: grouped[c.CF_DECLARED_ON].min(),
            c.CF_EFFECTIVE_FROM: grouped["_start"].min(),
            c.CF_EFFECTIVE_TO: last_to.where(~last_open, pd.NaT),
            "chain_members": grouped[c.CF_ID].agg(lambda s: c.LIST_SEPARATOR.join(s)),
        }
    )
    roots = table[table[c.CF_ID] == table["_root"]].set_index("_root")
    out = roots.drop(columns=["_start", c.CF_DECLARED_ON, c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_TO])
    out = out.join(agg).reset_index(drop=True)
    return out[[*ceasefires.columns, "chain_members"]]


def select_ceasefire(
    ceasefires: pd.DataFrame, ceasefire_id: str, chain: bool = False
) -> pd.DataFrame:
    """The one-row table for ``ceasefire_id``, or for its whole chain when ``chain=True``.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    ceasefire_id : str
        The ceasefire to select (a whole number is read as its text: an ETH/PRIO uniq_id).
    chain : bool, default False
        Return its whole extension chain as one row (:func:`collapse_chains`).

    Returns
    -------
    pandas.DataFrame
        One row with the CEASEFIRES columns (plus chain_members when ``chain=True``).

    Raises
    ------
    KeyError
        When ``ceasefire_id`` is not in the table; for an ETH/PRIO ceasefire the loader left
        out (``attrs['skipped']``), the message says so and why.
    """
    ceasefire_id = _as_text_id(ceasefire_id)
    ids = ceasefires[c.CF_ID].astype("string")
    if ceasefire_id not in set(ids):
        raise _unknown_ceasefire(ceasefires, ceasefire_id)
    if not chain:
        return ceasefires[ids == ceasefire_id].reset_index(drop=True)
    collapsed = collapse_chains(ceasefires)
    root = chain_roots(ceasefires)[ceasefire_id]
    return collapsed[collapsed[c.CF_ID] == root].reset_index(drop=True)


def window_table(
    ceasefires: pd.DataFrame,
    *,
    pre_days: int = 90,
    gap: Gap = "exclude",
    max_during_days: int = 180,
    data_start: pd.Timestamp | None = None,
    data_end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Pre / interim / during windows for every ceasefire row (vectorised, inclusive bounds).

    * declared = declared_on, else effective_from; effective = effective_from, else
      declared_on (noted: an unknown effective date is assumed to be the declaration).
    * pre = the ``pre_days`` days before the earlier of declared and effective.
    * interim = declared .. effective - 1 when the effective date is later.
    * during = effective .. effective_to; open-ended ceasefires are capped at
      ``max_during_days``; with ``gap='during'`` it starts at the declaration instead.
    * If ``data_end`` is given, a during window running past it is truncated (noted) and
      a window starting after it gets status ``outside_data``.
    * If ``data_start`` is given and the pre window starts before it, the baseline is
      shortened to the days that exist, with a sentence in the note ("baseline 68 days
      instead of 90: the data start on 23 January 2025"), as long as at least
      :data:`~analysis.status.MIN_BASELINE_DAYS` remain; with fewer the row gets status
      ``outside_data`` and a note saying how many days there are.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table (or collapsed chains).
    pre_days : int, default 90
        Days of baseline asked for.
    gap : {'exclude', 'interim', 'during'}, default 'exclude'
        How the days between declaration and entry into force are treated.
    max_during_days : int, default 180
        Length of the during window of an open-ended ceasefire.
    data_start, data_end : pandas.Timestamp, optional
        First and last day of the daily series the windows must lie in.

    Returns
    -------
    pandas.DataFrame
        One row per ceasefire: ceasefire_id, declared, effective, pre_start, pre_end,
        interim_start, interim_end, during_start, during_end, gap, window_status,
        window_note and pre_days_used (days in the baseline after any shortening).
    """
    if gap not in GAPS:
        raise ValueError(f"gap must be one of {GAPS}, got {gap!r}")
    if pre_days < 1 or max_during_days < 1:
        raise ValueError("pre_days and max_during_days must be positive")
    one = pd.Timedelta(days=1)
    declared_raw = pd.to_datetime(ceasefires[c.CF_DECLARED_ON]).reset_index(drop=True)
    effective_raw = pd.to_datetime(ceasefires[c.CF_EFFECTIVE_FROM]).reset_index(drop=True)
    until = pd.to_datetime(ceasefires[c.CF_EFFECTIVE_TO]).reset_index(drop=True)
    declared = declaration_date(ceasefires).reset_index(drop=True)
    effective = effective_start(ceasefires).reset_index(drop=True)
    first = declared.where(declared <= effective, effective)
    pre_end = first - one
    pre_start = first - pd.Timedelta(days=pre_days)
    has_gap = effective > declared
    interim_start = declared.where(has_gap & (gap == "interim"))
    interim_end = (effective - one).where(has_gap & (gap == "interim"))
    during_start = first if gap == "during" else effective
    open_ended = until.isna()
    cap = during_start + pd.Timedelta(days=max_during_days - 1)
    during_end = until.where(~open_ended, cap)

    notes = pd.Series("", index=declared.index, dtype="object")

    def add(mask: pd.Series, text: str) -> None:
        notes.loc[mask.fillna(False).to_numpy()] += text + " "

    add(
        declared_raw.isna() & effective_raw.notna(),
        "declaration date unknown: taken as effective date.",
    )
    add(
        effective_raw.isna() & declared_raw.notna(),
        "effective date unknown: taken as declaration date.",
    )
    add(
        open_ended & effective.notna(),
        f"open-ended: during window capped at {max_during_days} days.",
    )
    add(effective < declared, "effective date precedes declaration (retroactive).")
    if gap == "exclude":
        add(has_gap, "days between declaration and entry into force excluded.")
    if c.CF_DATE_PRECISION in ceasefires:
        coarse = ceasefires[c.CF_DATE_PRECISION].reset_index(drop=True).isin(["month", "year"])
        add(coarse, "declaration date known only to the month: pre window ends at its 1st.")
    if c.CF_EXTENDS in ceasefires:
        extends = ceasefires[c.CF_EXTENDS].reset_index(drop=True).notna()
        add(extends, "extends an earlier ceasefire: the pre window may fall inside it.")

    status = pd.Series(STATUS_OK, index=declared.index, dtype="object")
    status[declared.isna()] = STATUS_NO_DATES
    if data_end is not None:
        data_end = pd.Timestamp(data_end)
        past = during_end > data_end
        add(
            past & (during_start <= data_end),
            f"during window truncated at end of data {data_end.date()}.",
        )
        during_end = during_end.where(~past, data_end)
        status[(during_start > data_end).to_numpy() & (status == STATUS_OK).to_numpy()] = (
            STATUS_OUTSIDE
        )
    if data_start is not None:
        pre_start = _fit_baseline(pre_start, pre_end, pd.Timestamp(data_start), status, notes)
    pre_len = (pre_end - pre_start).dt.days + 1
    during_len = (during_end - during_start).dt.days + 1
    short = ((pre_len < MIN_WINDOW_DAYS) | (during_len < MIN_WINDOW_DAYS)).to_numpy()
    status[short & (status == STATUS_OK).to_numpy()] = STATUS_TOO_SHORT

    ids = (
        ceasefires[c.CF_ID].astype("string").reset_index(drop=True)
        if c.CF_ID in ceasefires
        else (pd.Series([str(i) for i in range(len(declared))], dtype="string"))
    )
    return pd.DataFrame(
        {
            c.CF_ID: ids,
            "declared": declared,
            "effective": effective,
            "pre_start": pre_start,
            "pre_end": pre_end,
            "interim_start": interim_start,
            "interim_end": interim_end,
            "during_start": during_start,
            "during_end": during_end,
            "gap": gap,
            "window_status": status,
            "window_note": notes.str.strip(),
            "pre_days_used": pre_len.fillna(0).astype("int64"),
        }
    )


def _fit_baseline(
    pre_start: pd.Series,
    pre_end: pd.Series,
    data_start: pd.Timestamp,
    status: pd.Series,
    notes: pd.Series,
) -> pd.Series:
    """Shorten baselines that start before the data to the days that exist (noted), or mark
    them ``outside_data`` when fewer than MIN_BASELINE_DAYS remain; ``status`` and ``notes``
    are updated in place."""
    early = (pre_start < data_start).to_numpy() & (status == STATUS_OK).to_numpy()
    available = (pre_end - data_start).dt.days + 1
    asked = (pre_end - pre_start).dt.days + 1
    enough = (available >= MIN_BASELINE_DAYS).to_numpy()
    starts_on = f"the data start on {data_start.day} {data_start:%B %Y}."
    shortened = early & enough
    notes.loc[shortened] += (
        "baseline "
        + available[shortened].astype("int64").astype(str)
        + " days instead of "
        + asked[shortened].astype("int64").astype(str)
        + ": "
        + starts_on
        + " "
    )
    too_few = early & ~enough
    days_before = available[too_few].clip(lower=0).astype("int64").astype(str)
    notes.loc[too_few] += (
        "only " + days_before + " days of data before the declaration, fewer than the "
        f"{MIN_BASELINE_DAYS} a baseline needs: " + starts_on + " "
    )
    status[too_few] = STATUS_OUTSIDE
    return pre_start.where(~shortened, data_start)


def ceasefire_windows(
    ceasefire: pd.DataFrame | pd.Series,
    series: pd.Series | None = None,
    *,
    pre_days: int = 90,
    gap: Gap = "exclude",
    max_during_days: int = 180,
) -> Windows:
    """Windows of a single ceasefire; raises WindowOutsideDataError if ``series`` does not
    cover them (the pre window must be complete; the during window may be truncated).

    Parameters
    ----------
    ceasefire : pandas.DataFrame or pandas.Series
        One CEASEFIRES row (e.g. from :func:`select_ceasefire`).
    series : pandas.Series, optional
        The daily series the windows must lie in; not checked when None.
    pre_days, gap, max_during_days : int, str, int
        As in :func:`window_table` (defaults 90 days, 'exclude', 180 days).

    Returns
    -------
    Windows
        Declared and effective dates, pre / interim / during bounds, gap and the note.

    Raises
    ------
    ValueError
        For a bad row, ``gap`` or day count; :class:`WindowOutsideDataError` (see above).
    """
    row = ceasefire.to_frame().T if isinstance(ceasefire, pd.Series) else ceasefire
    if len(row) != 1:
        raise ValueError(f"expected one ceasefire row, got {len(row)}")
    start = end = None
    if series is not None:
        start, end = series.index[0], series.index[-1]
    table = window_table(
        row,
        pre_days=pre_days,
        gap=gap,
        max_during_days=max_during_days,
        data_start=start,
        data_end=end,
    ).iloc[0]
    cf_id = str(table[c.CF_ID])
    if table["window_status"] == STATUS_NO_DATES:
        raise ValueError(f"ceasefire {cf_id!r} has neither declared_on nor effective_from")
    if table["window_status"] == STATUS_OUTSIDE:
        raise WindowOutsideDataError(
            f"ceasefire {cf_id!r}: windows "
            f"{table['pre_start'].date()}..{table['during_end'].date()} "
            f"are not covered by the data ({start.date()}..{end.date()}); "
            f"{table['window_note'] or 'reduce pre_days or use data that covers the period'}"
        )
    fields = {k: table[k] for k in Windows.__dataclass_fields__ if k in table.index}
    fields["note"] = table["window_note"]
    fields["pre_days_used"] = int(table["pre_days_used"])
    fields["ceasefire_id"] = cf_id
    return Windows(**fields)


# --- In-force periods (timelines, inside / outside) --------------------------------------


def ceasefire_periods(
    ceasefires: pd.DataFrame,
    open_ended_days: int = 90,
    ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each ceasefire's period in force, for timelines and inside / outside splits.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    open_ended_days : int
        Open-ended or unknown ends are capped this many days after the start and flagged in
        ``end_assumed`` so figures and tables can say so.
    ids : sequence of str, optional
        Keep only these ceasefire ids; an unknown id raises with the closest known ones.

    Returns
    -------
    pandas.DataFrame
        Columns ceasefire_id, start (:func:`effective_start`), end, end_assumed,
        declarer_side, kind, broker_bloc. Rows with no usable start date are dropped and
        listed in ``attrs['dropped']``.
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
    window_start = effective_start(selected)
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

    Parameters
    ----------
    days : pandas.DatetimeIndex
        Consecutive days (e.g. the index of a daily series).
    windows : pandas.DataFrame
        Windows with inclusive start and end columns, e.g. :func:`ceasefire_periods`.

    Returns
    -------
    numpy.ndarray
        Boolean array, one element per day of ``days``.
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
    """Totals and mean daily counts inside vs outside ceasefire windows.

    Parameters
    ----------
    daily : pandas.Series
        Zero-filled daily counts.
    inside : numpy.ndarray
        Boolean array aligned with ``daily`` (:func:`window_mask`).

    Returns
    -------
    dict
        Keys days_*, events_* and mean_daily_events_* (* = inside, outside), inside_outside_ratio.
    """
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
    """The ceasefire rows whose windows are listed in ``windows``, with the window columns.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    windows : pandas.DataFrame
        Windows from :func:`ceasefire_periods` (e.g. filtered by :func:`overlapping_windows`).

    Returns
    -------
    pandas.DataFrame
        The listed ceasefires' rows plus start, end and end_assumed, sorted by start.
    """
    table = ceasefires.merge(windows[[c.CF_ID, "start", "end", "end_assumed"]], on=c.CF_ID)
    return table.sort_values("start").reset_index(drop=True)


def overlapping_windows(windows: pd.DataFrame, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Windows that overlap [start, end].

    Parameters
    ----------
    windows : pandas.DataFrame
        Windows with start and end columns, e.g. :func:`ceasefire_periods`.
    start, end : str or pandas.Timestamp
        First and last day of the range (inclusive).

    Returns
    -------
    pandas.DataFrame
        The rows of ``windows`` sharing at least one day with [start, end].
    """
    overlaps = (windows["end"] >= pd.Timestamp(start)) & (windows["start"] <= pd.Timestamp(end))
    return windows[overlaps].reset_index(drop=True)
