"""Every ceasefire of a table in one pass, each on the events of its own parties.

**Outcome.** For an ETH/PRIO ceasefire the outcome is the events on its UCDP dyad(s)
(``ucdp_dyad_ids``; every event of the dyad, whichever side initiated it). For a curated
ceasefire, which has no dyad ids, it is the events on its counterparts as
:func:`analysis.ceasefire_table.counterpart_targets` reads ``counterpart_ids``, or every event
of the series for a national declaration (``all``) or a row naming none.

**One pass.** Events are aggregated once to (outcome key, day) counts, sorted on one integer
key. Each ceasefire's days are cut out of that array with ``np.searchsorted`` and scattered
with ``np.bincount`` into one flattened, zero-filled series in which every ceasefire has its
own segment (:func:`dyad_daily_counts`). The windows are those of
:func:`analysis.windows.window_table`, the rate ratios those of
:func:`analysis.batch.log_ratio_from_windows` on the flattened series: the same windows and
estimator as :func:`analysis.batch.batch_effects`, so a ceasefire whose outcome is the whole
series gets the same numbers from both. Only the loop over ceasefires that lists their outcome
keys is in Python; nothing loops over events.

Grouping the estimates (by class, purpose, mediator, mediator bloc) and survival until the
first event on each ceasefire's outcome live in :mod:`analysis.all_ceasefires_groups`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis.batch import log_ratio_from_windows
from analysis.ceasefire_table import windows_fit_data
from analysis.counterfactual import PRIMARY_COLUMNS
from analysis.pooling import benjamini_hochberg
from analysis.results import Result
from analysis.status import (
    STATUS_DYAD_NOT_IN_DATA,
    STATUS_NO_DATES,
    STATUS_NO_DYAD,
    STATUS_NOT_COMPUTED,
    STATUS_NOTES,
    STATUS_OK,
    STATUS_OUTSIDE,
    STATUS_TOO_SHORT,
    STATUS_ZERO_DURING,
)
from analysis.windows import Gap, collapse_chains, window_table

CURATED_COUNTRY = "Myanmar (Burma)"
"""The curated ceasefire table covers Myanmar only (data/README.md); UCDP's name for it."""

DESCRIPTORS = (
    c.CF_KIND,
    c.CF_COUNTRY,
    c.CF_CLASS,
    c.CF_PURPOSES,
    c.CF_MEDIATORS,
    c.CF_MEDIATOR_BLOCS,
)
"""Columns describing each ceasefire that the result table carries and groups by."""

ESTIMATED = (STATUS_OK, STATUS_ZERO_DURING)
"""Statuses with an estimate (a zero-during ratio is 0 with an upper bound)."""

NOT_IN_DATA = (STATUS_NO_DYAD, STATUS_DYAD_NOT_IN_DATA, STATUS_NO_DATES, STATUS_OUTSIDE)
"""Statuses of ceasefires the events data cannot speak about at all."""

_ESTIMATE_COLUMNS = ("estimate", "ci_low", "ci_high", "p_value", "log_rr", "se", "df")
_ALL_KEY = "\x1fall"
_KEY_SEPARATOR = "\x1f"
_MULTI_VALUE = re.compile(r"\s*;\s*")


# --- What each ceasefire counts ------------------------------------------------------------


def outcome_keys(ceasefires: pd.DataFrame) -> pd.DataFrame:
    """Which events each ceasefire counts: its dyads, its counterparts or every event.

    A curated row's ``counterpart_ids`` is read by the rule of
    :func:`analysis.ceasefire_table.counterpart_targets` (same targets, same wording).

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table; an ETH/PRIO table also has ``ucdp_dyad_ids``.

    Returns
    -------
    pandas.DataFrame
        One row per ceasefire, in table order:

        * ceasefire_id: the ceasefire;
        * outcome_column: the EVENTS column matched (``dyad_id`` or ``target``; empty for every
          event or no outcome);
        * outcome_keys: tuple of the values matched (empty: every event, unless no_outcome);
        * outcome: the rule in words, e.g. 'events on UCDP dyad(s) 406, 11342';
        * no_outcome: True for an ETH/PRIO row without a dyad id (nothing to count).
    """
    table = ceasefires.reset_index(drop=True)
    ids = table[c.CF_ID].astype(str)
    if c.CF_UCDP_DYAD_IDS in table:
        dyads = [
            tuple(d for d in _MULTI_VALUE.split(text) if d)
            for text in table[c.CF_UCDP_DYAD_IDS].astype("string").fillna("").str.strip()
        ]
        return pd.DataFrame(
            {
                c.CF_ID: ids,
                "outcome_column": [c.EV_DYAD if d else "" for d in dyads],
                "outcome_keys": dyads,
                "outcome": [
                    f"events on UCDP dyad(s) {', '.join(d)}" if d else "no UCDP dyad" for d in dyads
                ],
                "no_outcome": [not d for d in dyads],
            }
        )
    # counterpart_ids read as counterpart_targets reads it (';'-joined actor ids, 'all' alone
    # for a national declaration), vectorised: a per-row call costs seconds at 2,000 rows
    value = table[c.CF_COUNTERPART_IDS].astype("string").fillna("").str.strip()
    named = [
        tuple(t for t in _MULTI_VALUE.split(v) if t) if v != c.COUNTERPARTS_ALL else ()
        for v in value
    ]
    outcome = [
        f"{', '.join(t)} (the ceasefire's counterparts)"
        if t
        else "all targets (a national declaration)"
        if v == c.COUNTERPARTS_ALL
        else "all targets (the ceasefire row names no counterpart)"
        for t, v in zip(named, value, strict=True)
    ]
    return pd.DataFrame(
        {
            c.CF_ID: ids,
            "outcome_column": [c.EV_TARGET if t else "" for t in named],
            "outcome_keys": named,
            "outcome": outcome,
            "no_outcome": False,
        }
    )


def ceasefire_descriptors(ceasefires: pd.DataFrame) -> pd.DataFrame:
    """Kind, country, class, purposes, mediators and mediator blocs of each ceasefire.

    An ETH/PRIO table has them all. A curated table has no class and is read as: country
    Myanmar (Burma), purposes = its ``trigger``, mediators = its ``broker``, mediator blocs =
    its ``broker_bloc``.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table (curated or ETH/PRIO).

    Returns
    -------
    pandas.DataFrame
        One row per ceasefire in table order, columns ceasefire_id and :data:`DESCRIPTORS`.
    """
    table = ceasefires.reset_index(drop=True)
    n = len(table)
    fallback = {
        c.CF_COUNTRY: pd.Series([CURATED_COUNTRY] * n, dtype="string"),
        c.CF_CLASS: pd.Series([pd.NA] * n, dtype="Int64"),
        c.CF_PURPOSES: table.get(c.CF_TRIGGER, pd.Series([""] * n)).astype("string"),
        c.CF_MEDIATORS: table.get(c.CF_BROKER, pd.Series([""] * n)).astype("string"),
        c.CF_MEDIATOR_BLOCS: table.get(c.CF_BROKER_BLOC, pd.Series([""] * n)).astype("string"),
    }
    out = pd.DataFrame({c.CF_ID: table[c.CF_ID].astype(str)})
    for column in DESCRIPTORS:
        out[column] = table[column] if column in table else fallback[column]
    out[c.CF_CLASS] = out[c.CF_CLASS].astype("Int64")
    for column in (c.CF_COUNTRY, c.CF_PURPOSES, c.CF_MEDIATORS, c.CF_MEDIATOR_BLOCS, c.CF_KIND):
        out[column] = out[column].astype("string").fillna("")
    return out


# --- Events indexed by (outcome key, day) ---------------------------------------------------


@dataclass(frozen=True)
class EventIndex:
    """Event counts per (outcome key, day), sorted on one integer key.

    Attributes
    ----------
    keys : pandas.Index
        The outcome keys ('<column><sep><value>', and one for every event).
    composite : numpy.ndarray
        ``code * stride + day`` of each (key, day) with events, ascending (code: position in
        ``keys``; day: days since the first day of the data).
    counts : numpy.ndarray
        Events on that key and day.
    stride : int
        Days of the data plus one.
    """

    keys: pd.Index
    composite: np.ndarray
    counts: np.ndarray
    stride: int


def event_index(
    events: pd.DataFrame, columns: Sequence[str], first_day: pd.Timestamp, n_days: int
) -> EventIndex:
    """Events inside [first_day, first_day + n_days) summed by outcome key and day (one sort).

    Parameters
    ----------
    events : pandas.DataFrame
        Canonical EVENTS rows.
    columns : sequence of str
        The EVENTS columns whose values are keys (e.g. ``dyad_id``, ``target``); every event
        also counts under the all-events key.
    first_day : pandas.Timestamp
        Day 0.
    n_days : int
        Days of the data.

    Returns
    -------
    EventIndex
        The sorted (key, day) counts.
    """
    day = (pd.to_datetime(events[c.EV_DATE]) - first_day).dt.days.to_numpy()
    inside = (day >= 0) & (day < n_days)
    weight = events[c.EV_EVENTS].to_numpy(dtype="float64")
    labels = [_ALL_KEY]
    codes = [np.zeros(int(inside.sum()), dtype=np.int64)]
    days, weights = [day[inside]], [weight[inside]]
    for column in dict.fromkeys(columns):
        if column not in events:
            continue
        values = events[column].astype("string")
        keep = inside & (values.fillna("").str.strip() != "").to_numpy()
        # integer codes per value, labels only for the distinct values: no per-event strings
        value_codes, uniques = pd.factorize(values[keep].to_numpy(dtype=object))
        codes.append(value_codes.astype(np.int64) + len(labels))
        labels += [column + _KEY_SEPARATOR + str(u).strip() for u in uniques]
        days.append(day[keep])
        weights.append(weight[keep])
    stride = n_days + 1
    composite, inverse = np.unique(
        np.concatenate(codes) * stride + np.concatenate(days), return_inverse=True
    )
    counts = np.bincount(inverse, weights=np.concatenate(weights), minlength=len(composite))
    return EventIndex(pd.Index(labels, dtype=object), composite, counts, stride)


def key_pairs(outcomes: pd.DataFrame, index: EventIndex) -> tuple[np.ndarray, np.ndarray]:
    """(row, key code) of every outcome key of every ceasefire.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        :func:`outcome_keys` of the ceasefires.
    index : EventIndex
        From :func:`event_index`.

    Returns
    -------
    tuple of numpy.ndarray
        Row of each pair and its key's code in ``index`` (-1 when the key has no event); a
        ceasefire counting every event gets the all-events key, one without outcome no pair.
    """
    every = [() if none else (keys or (None,)) for keys, none in _key_rows(outcomes)]
    rows = np.repeat(np.arange(len(every)), [len(k) for k in every])
    labels = [
        _ALL_KEY if key is None else column + _KEY_SEPARATOR + str(key)
        for keys, column in zip(every, outcomes["outcome_column"], strict=True)
        for key in keys
    ]
    return rows, index.keys.get_indexer(pd.Index(labels, dtype=object))


def _key_rows(outcomes: pd.DataFrame) -> list[tuple[tuple, bool]]:
    return list(zip(outcomes["outcome_keys"], outcomes["no_outcome"], strict=True))


def _gather(
    index: EventIndex, codes: np.ndarray, low_day: np.ndarray, high_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Positions in the index of the days low..high (inclusive) of each (key code, range),
    and the pair each position belongs to, without a Python loop."""
    usable = (codes >= 0) & (high_day >= low_day)
    base = np.where(usable, codes, 0).astype(np.int64) * index.stride
    low = np.searchsorted(index.composite, base + low_day)
    high = np.searchsorted(index.composite, base + high_day, side="right")
    n = np.where(usable, high - low, 0)
    pair = np.repeat(np.arange(len(n)), n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return np.repeat(low, n) + offset, pair


@dataclass(frozen=True)
class DailyCounts(Result):
    """Zero-filled daily counts of every ceasefire's outcome, concatenated.

    Attributes
    ----------
    counts : numpy.ndarray
        The flattened series: ceasefire i's days are ``counts[start[i]:start[i] + length[i]]``.
    start, length : numpy.ndarray
        Position and number of days of each ceasefire's segment.
    segment_start : pandas.Series
        The date of each segment's first day (NaT for an empty segment).
    outcomes : pandas.DataFrame
        :func:`outcome_keys` of the ceasefires, plus in_data (any key has an event in the data).
    """

    counts: np.ndarray
    start: np.ndarray
    length: np.ndarray
    segment_start: pd.Series
    outcomes: pd.DataFrame

    def series(self, ceasefire_id: str) -> pd.Series:
        """One ceasefire's daily counts, indexed by date.

        Parameters
        ----------
        ceasefire_id : str
            The ceasefire.

        Returns
        -------
        pandas.Series
            Its segment of :attr:`counts` (events per day).
        """
        row = int(np.flatnonzero(self.outcomes[c.CF_ID].to_numpy() == ceasefire_id)[0])
        first, n = int(self.start[row]), int(self.length[row])
        days = pd.date_range(self.segment_start.iloc[row], periods=n, freq="D")
        return pd.Series(self.counts[first : first + n], index=days, name=ceasefire_id)

    def to_dict(self) -> dict[str, Any]:
        """Ceasefires, days and events held."""
        return {
            "n_ceasefires": len(self.start),
            "n_days": int(self.length.sum()),
            "n_events": float(self.counts.sum()),
        }


def dyad_daily_counts(
    events: pd.DataFrame,
    ceasefires: pd.DataFrame,
    first_day: str | pd.Timestamp,
    last_day: str | pd.Timestamp,
    *,
    segment_start: pd.Series | None = None,
    segment_end: pd.Series | None = None,
) -> DailyCounts:
    """For each ceasefire, the zero-filled daily counts of the events on its dyad(s) (or its
    counterparts, for a curated row; see :func:`outcome_keys`), all in one flattened array.

    Parameters
    ----------
    events : pandas.DataFrame
        Canonical EVENTS rows (with ``dyad_id`` for GED files), already filtered as the analysis
        needs; rows outside [first_day, last_day] are ignored.
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    first_day, last_day : str or pandas.Timestamp
        The span of the events data.
    segment_start, segment_end : pandas.Series, optional
        Per ceasefire (aligned with its rows), the first and last day to keep; NaT gives an empty
        segment. By default every ceasefire gets the whole span, which costs ceasefires x days
        of memory: pass the windows (as :func:`all_ceasefire_effects` does) at ETH/PRIO scale.

    Returns
    -------
    DailyCounts
        The flattened counts, each ceasefire's segment and its outcome rule.
    """
    first_day, last_day = pd.Timestamp(first_day), pd.Timestamp(last_day)
    n_days = (last_day - first_day).days + 1
    table = ceasefires.reset_index(drop=True)
    if segment_start is None or segment_end is None:
        segment_start = pd.Series(first_day, index=table.index)
        segment_end = pd.Series(last_day, index=table.index)
    seg_start = pd.to_datetime(pd.Series(segment_start).reset_index(drop=True))
    seg_end = pd.to_datetime(pd.Series(segment_end).reset_index(drop=True))
    low = (seg_start - first_day).dt.days.fillna(0).to_numpy(dtype=np.int64)
    high = (seg_end - first_day).dt.days.fillna(-1).to_numpy(dtype=np.int64)
    high = np.where(seg_start.isna().to_numpy(), low - 1, high)
    length = np.maximum(high - low + 1, 0)
    start = np.concatenate([[0], np.cumsum(length)[:-1]]).astype(np.int64)
    outcomes = outcome_keys(table)
    index = event_index(events, outcomes["outcome_column"].unique(), first_day, n_days)
    rows, codes = key_pairs(outcomes, index)
    positions, pair = _gather(index, codes, low[rows], high[rows])
    row = rows[pair]
    day = index.composite[positions] % index.stride
    flat = np.bincount(
        start[row] + day - low[row], weights=index.counts[positions], minlength=int(length.sum())
    )
    in_data = np.zeros(len(table), dtype=bool)
    in_data[rows[codes >= 0]] = True
    return DailyCounts(
        counts=flat.astype("float64"),
        start=start,
        length=length,
        segment_start=seg_start.where(length > 0),
        outcomes=outcomes.assign(in_data=in_data),
    )


# --- Rate ratios ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AllCeasefires(Result):
    """Every ceasefire's rate ratio on its own outcome, and what could not be estimated.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per ceasefire (per chain with ``chain=True``), see :func:`all_ceasefire_effects`.
    n_ceasefires : int
        Ceasefires in the table given (for the chosen country), including those its loader left
        out for want of any date (``attrs["skipped"]``, listed with status no_dates).
    n_rows : int
        Rows estimated (ceasefires, or extension chains with ``chain=True``).
    n_estimated : int
        Rows with an estimate (status ok or zero_during).
    n_fell, n_rose : int
        Rows whose 95% interval lies wholly below / above 1.
    n_q_below_alpha : int
        Rows whose Benjamini-Hochberg q-value is below ``fdr_alpha``.
    first_day, last_day : pandas.Timestamp
        The span of the events data the windows had to fit in.
    n_primary_estimated : int
        Rows with a primary (counterfactual) estimate (0 when it was not computed).
    n_primary_fell, n_primary_rose : int
        Rows whose primary interval lies wholly below / above 1.
    median_primary_mde : float
        Median over those rows of the smallest fall the primary estimate detects with 80%
        power (NaN without any).
    """

    table: pd.DataFrame
    n_ceasefires: int
    n_rows: int
    n_estimated: int
    n_fell: int
    n_rose: int
    n_q_below_alpha: int
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    n_primary_estimated: int = 0
    n_primary_fell: int = 0
    n_primary_rose: int = 0
    median_primary_mde: float = float("nan")

    def to_dict(self) -> dict[str, Any]:
        """The counts above plus ``n_status_<status>`` for every status that occurs."""
        out = super().to_dict()
        out["n_not_estimated"] = self.n_rows - self.n_estimated
        for status, n in self.table["status"].value_counts().sort_index().items():
            out[f"n_status_{status}"] = int(n)
        return out


def all_ceasefire_effects(
    events: pd.DataFrame,
    ceasefires: pd.DataFrame,
    *,
    first_day: str | pd.Timestamp,
    last_day: str | pd.Timestamp,
    pre_days: int = 90,
    gap: Gap = "exclude",
    max_during_days: int = 180,
    chain: bool = False,
    level: float = 0.95,
    fdr_alpha: float = 0.05,
) -> AllCeasefires:
    """Rate ratio during vs before of every ceasefire, each on its own outcome, in one pass.

    Windows as :func:`analysis.windows.window_table` with the data's span (baselines shortened
    down to 28 days where the data start later, during windows cut at the data's end); ratios
    and intervals as :func:`analysis.batch.log_ratio_from_windows` (ratio of window means, EWC
    variance, t interval; zero-during rows get 0 and an exact upper bound).

    Parameters
    ----------
    events : pandas.DataFrame
        Canonical EVENTS rows as the analysis counts them (strike definition, side applied).
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table (curated or ETH/PRIO, for one country or all).
    first_day, last_day : str or pandas.Timestamp
        The span of the events data (e.g. ``DailySeries.first_day`` / ``last_day``).
    pre_days, gap, max_during_days, chain, level, fdr_alpha
        As in :func:`analysis.batch.batch_effects` (90 days, 'exclude', 180 days, False,
        0.95, 0.05).

    Returns
    -------
    AllCeasefires
        ``table`` has one row per ceasefire in table order:

        * ceasefire_id and :data:`DESCRIPTORS` (kind, country, ceasefire_class, purposes,
          mediators, mediator_blocs);
        * outcome: what was counted (:func:`outcome_keys`);
        * declared, effective, pre_start, pre_end, during_start, during_end: the windows;
        * estimate, ci_low, ci_high, p_value, log_rr, se, df, n_pre, n_during, events_pre,
          events_during: as in :func:`analysis.batch.batch_effects`;
        * status: an :mod:`analysis.status` code; besides the estimator's, 'no_dyad' (no UCDP
          dyad), 'dyad_not_in_data' (no event on its dyads in the data), 'outside_data',
          'no_dates';
        * reason: why there is no estimate, in words (empty when there is one);
        * note: the window notes (shortened baseline, open end, ...);
        * q_value: Benjamini-Hochberg q-value over rows with a p-value;
        * :data:`analysis.counterfactual.PRIMARY_COLUMNS`: empty, status 'not_computed'
          (:func:`analysis.all_ceasefires_primary.with_primary` fills them).
    """
    first_day, last_day = pd.Timestamp(first_day), pd.Timestamp(last_day)
    table = collapse_chains(ceasefires) if chain else ceasefires.reset_index(drop=True)
    win = window_table(
        table,
        pre_days=pre_days,
        gap=gap,
        max_during_days=max_during_days,
        data_start=first_day,
        data_end=last_day,
    )
    known = win["window_status"].isin([STATUS_OK, STATUS_TOO_SHORT]).to_numpy()
    counts = dyad_daily_counts(
        events,
        table,
        first_day,
        last_day,
        segment_start=win["pre_start"].where(known),
        segment_end=win["during_end"].where(known),
    )

    def position(column: str) -> np.ndarray:
        offset = (win[column] - win["pre_start"]).dt.days.fillna(0).to_numpy(dtype=np.int64)
        return np.where(known, counts.start + offset, -1).astype(np.int64)

    def days(first: str, last: str) -> np.ndarray:
        span = (win[last] - win[first]).dt.days.to_numpy(dtype="float64") + 1
        return np.where(known, np.nan_to_num(span, nan=0.0), 0).astype(np.int64)

    est = log_ratio_from_windows(
        counts.counts,
        position("pre_start"),
        days("pre_start", "pre_end"),
        position("during_start"),
        days("during_start", "during_end"),
        level,
    )
    status = pd.Series(est["status"].to_numpy(), dtype="object")
    status[~known] = win.loc[~known, "window_status"].to_numpy()
    no_events_anywhere = (
        ~counts.outcomes["in_data"].to_numpy()
        & (counts.outcomes["outcome_column"] == c.EV_DYAD).to_numpy()
    )
    status[no_events_anywhere & known] = STATUS_DYAD_NOT_IN_DATA
    status[counts.outcomes["no_outcome"].to_numpy()] = STATUS_NO_DYAD
    est["status"] = status.to_numpy()
    for column in (*_ESTIMATE_COLUMNS, "events_pre", "events_during"):
        est.loc[est["status"].isin(NOT_IN_DATA), column] = np.nan
    out = pd.concat(
        [
            ceasefire_descriptors(table),
            counts.outcomes[["outcome"]],
            win.drop(columns=[c.CF_ID, "window_status", "window_note", "gap"]),
            est,
        ],
        axis=1,
    )
    out = pd.concat([out, not_computed(len(table))], axis=1)
    out["reason"] = _reasons(
        table, out["status"], first_day, last_day, pre_days, gap, max_during_days
    )
    out["note"] = win["window_note"]
    out = pd.concat([out, _skipped_rows(ceasefires)], ignore_index=True)
    out["q_value"] = benjamini_hochberg(out["p_value"], fdr_alpha)
    estimated = out["status"].isin(ESTIMATED)
    return AllCeasefires(
        table=out,
        n_ceasefires=len(ceasefires) + len(ceasefires.attrs.get("skipped", ())),
        n_rows=len(out),
        n_estimated=int(estimated.sum()),
        n_fell=int((estimated & (out["ci_high"] < 1)).sum()),
        n_rose=int((estimated & (out["ci_low"] > 1)).sum()),
        n_q_below_alpha=int((out["q_value"] < fdr_alpha).sum()),
        first_day=first_day,
        last_day=last_day,
    )


def not_computed(n: int) -> pd.DataFrame:
    """The primary columns before the primary estimate is computed.

    Parameters
    ----------
    n : int
        Rows.

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.counterfactual.PRIMARY_COLUMNS`, NaN, status 'not_computed'.
    """
    empty = pd.DataFrame(np.nan, index=range(n), columns=list(PRIMARY_COLUMNS))
    return empty.assign(primary_status=STATUS_NOT_COMPUTED)


def _skipped_rows(ceasefires: pd.DataFrame) -> pd.DataFrame:
    """The ceasefires a loader left out for want of any date (``attrs['skipped']`` of
    :func:`analysis.sources.ethprio.load_ethprio`), as rows with status 'no_dates'."""
    skipped = pd.DataFrame(
        list(ceasefires.attrs.get("skipped", ())), columns=[c.CF_ID, c.CF_COUNTRY, "reason"]
    )
    return skipped.astype({c.CF_ID: str}).assign(
        status=STATUS_NO_DATES, primary_status=STATUS_NO_DATES, outcome=""
    )


def _reasons(
    table: pd.DataFrame,
    status: pd.Series,
    first_day: pd.Timestamp,
    last_day: pd.Timestamp,
    pre_days: int,
    gap: Gap,
    max_during_days: int,
) -> pd.Series:
    """Why each row has no estimate: the dates' reason from :func:`windows_fit_data` for rows
    outside the data, the status sentence for the others; empty for estimated rows."""
    reason = status.map(STATUS_NOTES).fillna("").astype(object)
    reason[status.isin(ESTIMATED)] = ""
    outside = status.isin([STATUS_OUTSIDE, STATUS_NO_DATES]).to_numpy()
    if outside.any():
        fit = windows_fit_data(
            table[outside],
            table.loc[outside, c.CF_ID].astype(str).tolist(),
            data_start=first_day,
            data_end=last_day,
            pre_days=pre_days,
            gap=gap,
            max_during_days=max_during_days,
        )
        reason[outside] = fit["reason"].to_numpy()
    return reason
