"""Ceasefire timing against the diplomatic calendar, and strikes around diplomatic events.

1. :func:`nearest_event_distances` / :func:`timing_permutation_test`: are ceasefire
   declarations closer to a bloc's diplomatic engagements than chance would put them?
   Statistic: mean absolute distance (days) to the nearest event of the bloc. Null: extension
   chains move as blocks (an iid-uniform null treats 39 monthly extensions of 13 chains as 39
   independent decisions and rejects 13-23% of the time per bloc when nothing is going on):
   ``null='chain_shift'`` shifts each whole chain by one uniform offset within the study window
   (circularly), ``null='chain_jitter'`` by one uniform offset of at most +-``jitter_days``.
   One-sided p = (1 + #{null mean <= observed}) / (1 + n_permutations), Holm-adjusted across
   blocs, and an "any bloc" p from the smallest per-bloc p (min-p over the same shifts, so the
   blocs' dependence is kept).
2. :func:`diplomatic_event_study`: strike rates in windows before vs after diplomatic
   events (as pseudo-ceasefires through the batch estimator), pooled per bloc, with a
   permutation p-value against random anchor dates.

Caveats: diplomatic calendars are incomplete and dense (some blocs meet monthly), so short
distances can arise by chance, which is what the permutation test measures; declarations are
clustered (extensions every month), so dates are not independent: compare ``chain=True``
results; month-precision dates carry up to 30 days of error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from analysis import contract as c
from analysis.batch import log_ratio_from_windows
from analysis.panel import check_daily_series
from analysis.pooling import pool_random_effects
from analysis.results import Result
from analysis.status import STATUS_OK
from analysis.windows import chain_roots, collapse_chains, declaration_date


@dataclass(frozen=True)
class EventSelection(Result):
    """Diplomatic events kept for an analysis, and the ones left out with the reason.

    ``kept`` has the DIPLOMATIC_EVENTS columns; ``dropped`` has event_id, date_start, bloc,
    kind, reason (and ``days``, the span, when chosen by length).
    """

    kept: pd.DataFrame
    dropped: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """How many events were kept and left out."""
        return {"n_kept": len(self.kept), "n_dropped": len(self.dropped)}


@dataclass(frozen=True)
class DiplomaticEventStudy(Result):
    """Strikes before vs after diplomatic events (:func:`diplomatic_event_study`).

    Attributes
    ----------
    per_event : pandas.DataFrame
        One row per event: event_id, date_start, bloc, kind, the columns of
        :func:`analysis.batch.log_ratio_from_windows`, and in_data.
    per_bloc : pandas.DataFrame
        One row per bloc: the columns of :func:`analysis.pooling.pool_random_effects` plus
        n_in_data, mean_log_ratio, permutation_p, n_placebos, seed.
    profile : pandas.DataFrame
        bloc, relative_day, mean_events, null_low, null_high: the mean daily events by day
        relative to the events, with the 2.5-97.5% band at random anchor dates.
    """

    per_event: pd.DataFrame
    per_bloc: pd.DataFrame
    profile: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Events used and blocs estimated."""
        return {"n_events": len(self.per_event), "n_blocs": len(self.per_bloc)}


def _event_intervals(diplomatic: pd.DataFrame, bloc: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted start and end days (int days since epoch) of one bloc's events."""
    part = diplomatic[diplomatic[c.DE_BLOC] == bloc]
    start = pd.to_datetime(part[c.DE_DATE_START])
    end = pd.to_datetime(part[c.DE_DATE_END]).fillna(start)
    order = np.argsort(start.to_numpy())
    as_days = lambda s: (s - pd.Timestamp("1970-01-01")).dt.days.to_numpy()[order]  # noqa: E731
    return as_days(start), as_days(end)


def _signed_distance(days: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Signed days from each date to the nearest event interval (0 inside one; negative
    when the event comes after the date). Works on arrays of any shape."""
    if len(starts) == 0:
        return np.full(days.shape, np.nan)
    flat = days.ravel()
    # nearest interval start at or after the date, and nearest interval end at or before it
    i_next = np.searchsorted(starts, flat, side="left")
    after = np.where(
        i_next < len(starts), starts[np.minimum(i_next, len(starts) - 1)] - flat, np.inf
    )
    ends_sorted = np.sort(ends)
    i_prev = np.searchsorted(ends_sorted, flat, side="right") - 1
    before = np.where(i_prev >= 0, flat - ends_sorted[np.maximum(i_prev, 0)], np.inf)
    # inside an interval: some start <= date <= its end
    started = np.searchsorted(starts, flat, side="right")
    max_end_so_far = np.maximum.accumulate(ends)
    inside = (started > 0) & (max_end_so_far[np.maximum(started - 1, 0)] >= flat)
    out = np.where(after < before, -after, before).astype(float)
    out[inside] = 0.0
    return out.reshape(days.shape)


def nearest_event_distances(
    dates: pd.Series, diplomatic: pd.DataFrame, blocs: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Long table: for each date (index kept) and bloc, signed and absolute distance in days
    to the nearest diplomatic event of that bloc (positive: the event came before).

    Parameters
    ----------
    dates : pandas.Series
        Dates to measure from (e.g. :func:`declaration_dates`); the index identifies them.
    diplomatic : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table (an event spans date_start .. date_end).
    blocs : tuple of str, optional
        Blocs to measure to; default every bloc in ``diplomatic``.

    Returns
    -------
    pandas.DataFrame
        One row per date and bloc:

        * key: the date's index label (e.g. ceasefire_id);
        * date: the date;
        * bloc: the bloc;
        * signed_days: days to the nearest event of the bloc (0 inside one, positive when the event
          came before, negative when after; NaN when the bloc has no events);
        * abs_days: its absolute value.
    """
    blocs = blocs or tuple(sorted(diplomatic[c.DE_BLOC].dropna().unique()))
    days = (pd.to_datetime(dates) - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    frames = []
    for bloc in blocs:  # a handful of blocs; the dates are vectorised
        starts, ends = _event_intervals(diplomatic, bloc)
        signed = _signed_distance(days.astype(float), starts, ends)
        frames.append(
            pd.DataFrame(
                {
                    "key": dates.index,
                    "date": dates.to_numpy(),
                    "bloc": bloc,
                    "signed_days": signed,
                    "abs_days": np.abs(signed),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


TIMING_NULLS = ("chain_shift", "chain_jitter")
"""Nulls of :func:`timing_permutation_test`: whole chains shifted within the study window, or
jittered by at most +-``jitter_days``."""


def _chain_codes(dates: pd.Series, ceasefires: pd.DataFrame | None) -> np.ndarray:
    """One integer per date naming its extension chain (a date of no known chain is its own)."""
    labels = pd.Series(dates.index.astype(str), index=dates.index)
    if ceasefires is not None and len(ceasefires):
        roots = chain_roots(ceasefires).astype(str)
        labels = labels.map(roots).fillna(labels)
    return pd.factorize(labels.to_numpy())[0]


def chain_shifted_days(
    days: np.ndarray,
    chains: np.ndarray,
    lo: int,
    hi: int,
    n_permutations: int,
    rng: np.random.Generator,
    *,
    null: str = "chain_shift",
    jitter_days: int = 90,
) -> np.ndarray:
    """Null date sets in which every extension chain moves as one block.

    Parameters
    ----------
    days : numpy.ndarray
        The observed dates as day numbers.
    chains : numpy.ndarray
        Integer chain code of each date (equal codes move together).
    lo, hi : int
        First and last day of the study window (inclusive).
    n_permutations : int
        Date sets to draw.
    rng : numpy.random.Generator
        Source of the offsets.
    null : {'chain_shift', 'chain_jitter'}, default 'chain_shift'
        One uniform offset per chain over the whole window, wrapping around its end; or one
        uniform offset in -``jitter_days`` .. +``jitter_days``.
    jitter_days : int, default 90
        Largest jitter of ``null='chain_jitter'``.

    Returns
    -------
    numpy.ndarray
        Float array (n_permutations, len(days)) of shifted day numbers.
    """
    n_chains = int(chains.max()) + 1 if len(chains) else 0
    if null == "chain_shift":
        width = hi - lo + 1
        offsets = rng.integers(0, width, size=(n_permutations, n_chains))
        return (lo + (days[None, :] - lo + offsets[:, chains]) % width).astype(float)
    offsets = rng.integers(-jitter_days, jitter_days + 1, size=(n_permutations, n_chains))
    return (days[None, :] + offsets[:, chains]).astype(float)


def timing_permutation_test(
    dates: pd.Series,
    diplomatic: pd.DataFrame,
    *,
    study_start: str | pd.Timestamp,
    study_end: str | pd.Timestamp,
    blocs: tuple[str, ...] | None = None,
    ceasefires: pd.DataFrame | None = None,
    null: str = "chain_shift",
    jitter_days: int = 90,
    n_permutations: int = 9999,
    seed: int = 20250328,
) -> pd.DataFrame:
    """Per bloc: observed mean and median absolute distance of ``dates`` (only those inside
    the study window) to the bloc's nearest event, the null mean, and the one-sided
    permutation p-value for "closer than chance", with extension chains kept together.

    Parameters
    ----------
    dates : pandas.Series
        Declaration dates indexed by ceasefire_id (:func:`declaration_dates`); dates outside the
        study window and missing dates are left out.
    diplomatic : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table (e.g. ``select_calendar(...).kept``).
    study_start, study_end : str or pandas.Timestamp
        The study window (inclusive) in which chains are shifted.
    blocs : tuple of str, optional
        Blocs to test; default every bloc in ``diplomatic``.
    ceasefires : pandas.DataFrame, optional
        Rows of the CEASEFIRES table: declarations of one extension chain
        (:func:`analysis.windows.chain_roots`) move together under the null. Without it each
        date is its own chain.
    null : {'chain_shift', 'chain_jitter'}, default 'chain_shift'
        Each chain shifted by one uniform offset within the study window (circularly), or by
        one uniform offset of at most +-``jitter_days``.
    jitter_days : int, default 90
        Largest offset of the jitter null.
    n_permutations : int, default 9999
        Null date sets (the same for every bloc).
    seed : int, default 20250328
        Seed of the offsets.

    Returns
    -------
    pandas.DataFrame
        One row per bloc (distances in days):

        * bloc: the bloc;
        * n_dates: declarations tested (inside the study window);
        * n_chains: extension chains they belong to (the units that move under the null);
        * n_bloc_events: the bloc's events;
        * observed_mean_days, observed_median_days: mean and median absolute distance of the
          declarations to the bloc's nearest event;
        * null_mean_days: mean of that mean over the null date sets;
        * null_q05_days, null_q95_days: 5% and 95% quantiles of it;
        * p_value: one-sided permutation p-value for "closer than chance", (1 + #{null mean <=
          observed mean}) / (1 + n_permutations);
        * p_holm: p_value Holm-adjusted across the blocs tested;
        * p_any_bloc: p-value of "closer than chance to at least one bloc" (the smallest p_value
          against its distribution over the same null date sets; the same on every row);
        * resolution: 1 / (1 + n_permutations), the step of the p-values;
        * null, jitter_days, n_permutations, seed: as given;
        * note: 'fewer than 3 events of this bloc.' or blank.

    Raises
    ------
    ValueError
        When no date lies inside the study window, or for an unknown ``null``.
    """
    if null not in TIMING_NULLS:
        raise ValueError(f"null must be one of {TIMING_NULLS}, got {null!r}")
    study_start, study_end = pd.Timestamp(study_start), pd.Timestamp(study_end)
    inside = pd.to_datetime(dates).between(study_start, study_end)
    kept = pd.to_datetime(dates[inside].dropna())
    if kept.empty:
        raise ValueError(
            f"no dates inside the study window {study_start.date()}..{study_end.date()}"
        )
    blocs = blocs or tuple(sorted(diplomatic[c.DE_BLOC].dropna().unique()))
    epoch = pd.Timestamp("1970-01-01")
    lo, hi = (study_start - epoch).days, (study_end - epoch).days
    observed_days = (kept - epoch).dt.days.to_numpy()
    chains = _chain_codes(kept, ceasefires)
    rng = np.random.default_rng(seed)
    null_days = chain_shifted_days(
        observed_days, chains, lo, hi, n_permutations, rng, null=null, jitter_days=jitter_days
    )
    rows, null_p = [], []
    for bloc in blocs:
        starts, ends = _event_intervals(diplomatic, bloc)
        obs = np.abs(_signed_distance(observed_days.astype(float), starts, ends))
        null_means = np.abs(_signed_distance(null_days, starts, ends)).mean(axis=1)
        p_value = (1 + int((null_means <= obs.mean()).sum())) / (1 + n_permutations)
        if len(starts) == 0:  # nothing to be close to
            p_value = np.nan
        # each null set's own p against the rest, for the min-p ("any bloc") test
        ordered = np.sort(null_means)
        null_p.append(
            (1 + np.searchsorted(ordered, null_means, side="right")) / (1 + n_permutations)
        )
        rows.append(
            {
                "bloc": bloc,
                "n_dates": len(kept),
                "n_chains": int(chains.max()) + 1,
                "n_bloc_events": len(starts),
                "observed_mean_days": obs.mean(),
                "observed_median_days": float(np.median(obs)),
                "null_mean_days": float(null_means.mean()),
                "null_q05_days": float(np.quantile(null_means, 0.05)),
                "null_q95_days": float(np.quantile(null_means, 0.95)),
                "p_value": p_value,
            }
        )
    out = pd.DataFrame(rows)
    testable = out["n_bloc_events"] > 0
    out["p_holm"] = np.nan
    out["p_any_bloc"] = np.nan
    if testable.any():
        out.loc[testable, "p_holm"] = multipletests(out.loc[testable, "p_value"], method="holm")[1]
        null_min = np.min(np.array(null_p)[testable.to_numpy()], axis=0)
        observed_min = out.loc[testable, "p_value"].min()
        out["p_any_bloc"] = (1 + int((null_min <= observed_min).sum())) / (1 + n_permutations)
    out["resolution"] = 1 / (1 + n_permutations)
    out["null"] = null
    out["jitter_days"] = jitter_days if null == "chain_jitter" else np.nan
    out["n_permutations"] = n_permutations
    out["seed"] = seed
    out["note"] = np.where(out["n_bloc_events"] < 3, "fewer than 3 events of this bloc.", "")
    return out


def diplomatic_event_study(
    series: pd.Series,
    diplomatic: pd.DataFrame,
    *,
    window_days: int = 14,
    blocs: tuple[str, ...] | None = None,
    n_placebos: int = 999,
    seed: int = 20250328,
) -> DiplomaticEventStudy:
    """Strikes in the ``window_days`` after each diplomatic event vs the ``window_days``
    before it (the event's own days count as after).

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts (:func:`analysis.panel.daily_series`).
    diplomatic : pandas.DataFrame
        Diplomatic events inside the series (:func:`within_coverage`).
    window_days : int
        Days before and after each event.
    blocs : tuple of str, optional
        Blocs to estimate; default every bloc in ``diplomatic``.
    n_placebos : int
        Random anchor dates for the permutation p-value.
    seed : int
        Seed of the random anchor dates.

    Returns
    -------
    DiplomaticEventStudy
        Per event: rate ratio, interval and status (batch estimator); per bloc: the
        random-effects pooled ratio plus a permutation p-value of the mean log ratio against
        the same number of random anchor dates; the profile of mean daily events by relative
        day, with its band at random anchor dates, for plotting.
    """
    y_series = check_daily_series(series)
    y = y_series.to_numpy()
    blocs = blocs or tuple(sorted(diplomatic[c.DE_BLOC].dropna().unique()))
    events = diplomatic[diplomatic[c.DE_BLOC].isin(blocs)].reset_index(drop=True)
    anchor = ((pd.to_datetime(events[c.DE_DATE_START]) - y_series.index[0]).dt.days).to_numpy()
    w = window_days
    est = log_ratio_from_windows(
        y, anchor - w, np.full(len(anchor), w), anchor, np.full(len(anchor), w)
    )
    per_event = pd.concat([events[[c.DE_ID, c.DE_DATE_START, c.DE_BLOC, c.DE_KIND]], est], axis=1)
    pooled = pool_random_effects(per_event, c.DE_BLOC)

    rng = np.random.default_rng(seed)
    cum = np.concatenate([[0.0], np.cumsum(y)])
    feasible = np.arange(w, len(y) - w)
    rel = np.arange(-w, w)
    perm_rows, profile_rows = [], []
    for bloc in blocs:  # per bloc: vectorised over events and placebo draws
        mask = (per_event[c.DE_BLOC] == bloc).to_numpy()
        pos = anchor[mask]
        pos = pos[(pos >= w) & (pos < len(y) - w)]
        if len(pos) == 0:
            continue
        draws = rng.choice(feasible, size=(n_placebos, len(pos)))

        def mean_log_ratio(p: np.ndarray) -> np.ndarray:
            before = cum[p] - cum[p - w]
            after = cum[p + w] - cum[p]
            with np.errstate(divide="ignore", invalid="ignore"):
                # 0.5 added to both sides so quiet windows do not give infinite ratios
                return np.log((after + 0.5) / (before + 0.5)).mean(axis=-1)

        observed = float(mean_log_ratio(pos[None, :])[0])
        null = mean_log_ratio(draws)
        perm_rows.append(
            {
                c.DE_BLOC: bloc,
                "n_in_data": len(pos),
                "mean_log_ratio": observed,
                "permutation_p": (1 + int((np.abs(null) >= abs(observed)).sum()))
                / (1 + n_placebos),
            }
        )
        observed_profile = y[pos[:, None] + rel].mean(axis=0)
        null_profile = y[draws[:, :, None] + rel].mean(axis=1)
        profile_rows.append(
            pd.DataFrame(
                {
                    c.DE_BLOC: bloc,
                    "relative_day": rel,
                    "mean_events": observed_profile,
                    "null_low": np.quantile(null_profile, 0.025, axis=0),
                    "null_high": np.quantile(null_profile, 0.975, axis=0),
                }
            )
        )
    perm = pd.DataFrame(
        perm_rows, columns=[c.DE_BLOC, "n_in_data", "mean_log_ratio", "permutation_p"]
    )
    per_bloc = pooled.merge(perm, on=c.DE_BLOC, how="outer")
    per_bloc["n_placebos"] = n_placebos
    per_bloc["seed"] = seed
    profile = (
        pd.concat(profile_rows, ignore_index=True)
        if profile_rows
        else pd.DataFrame(
            columns=[c.DE_BLOC, "relative_day", "mean_events", "null_low", "null_high"]
        )
    )
    per_event["in_data"] = per_event["status"] == STATUS_OK
    return DiplomaticEventStudy(per_event, per_bloc, profile)


# --- Selections for notebooks ------------------------------------------------------------------

LONG_EVENT_REASON = "spans more than max_event_days (an aggregate, not a dated event)"
KIND_REASON = "kind not selected"
BLOC_REASON = "bloc not selected"
OUTSIDE_REASON = "window of +-window_days not covered by the event data"


def declaration_dates(
    ceasefires: pd.DataFrame,
    *,
    declarer_side: str | None = None,
    day_precision_only: bool = True,
    chain: bool = False,
) -> pd.Series:
    """Declaration date of each ceasefire (declared_on, else effective_from), indexed by
    ceasefire_id, for the timing test.

    ``declarer_side`` keeps one side (state, non_state, both); ``day_precision_only`` drops
    declarations known only to the month or year, whose distances to events would be off
    by up to a month; ``chain`` keeps one date per extension chain (its first declaration),
    because monthly extensions are not independent decisions.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    declarer_side : {'state', 'non_state', 'both'}, optional
        Keep only declarations by this side; all when None or empty.
    day_precision_only : bool, default True
        Drop declarations whose date is known only to the month or year.
    chain : bool, default False
        One date per extension chain (its first declaration).

    Returns
    -------
    pandas.Series
        Declaration dates (name 'declared') indexed by ceasefire_id (the chain root with
        ``chain=True``), missing dates dropped, sorted by date.

    Raises
    ------
    ValueError
        For an unknown ``declarer_side``.
    """
    if declarer_side and declarer_side not in c.DECLARER_SIDES:
        raise ValueError(f"declarer_side must be one of {c.DECLARER_SIDES}, got {declarer_side!r}")
    table = collapse_chains(ceasefires) if chain else ceasefires
    keep = pd.Series(True, index=table.index)
    if declarer_side:
        keep &= table[c.CF_DECLARER_SIDE] == declarer_side
    if day_precision_only:
        # a blank precision means declared_on is unknown: effective_from (a stated day) is used
        keep &= table[c.CF_DATE_PRECISION].fillna("day") == "day"
    part = table[keep.fillna(False).astype(bool)]
    dates = declaration_date(part)
    out = pd.Series(dates.to_numpy(), index=part[c.CF_ID].to_numpy(), name="declared")
    out.index.name = c.CF_ID
    return out.dropna().sort_values()


def select_calendar(
    diplomatic: pd.DataFrame,
    *,
    blocs: list[str] | tuple[str, ...] | None = None,
    kinds: list[str] | tuple[str, ...] | None = None,
    max_event_days: int | None = 31,
) -> EventSelection:
    """Diplomatic events usable as dated events, and the dropped ones with the reason.

    Rows spanning more than ``max_event_days`` (e.g. arms-transfer totals for 2021-2022)
    describe a period, not an occasion; as "events" they would put every date inside them
    at distance 0. Empty ``blocs`` / ``kinds`` keep all.

    Parameters
    ----------
    diplomatic : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table.
    blocs : list or tuple of str, optional
        Blocs to keep (``contract.BLOCS``); empty keeps all.
    kinds : list or tuple of str, optional
        Event kinds to keep (``contract.DIPLOMATIC_KINDS``); empty keeps all.
    max_event_days : int or None, default 31
        Longest span (days, both ends counted) of a row kept as an event; None or 0 keeps any
        length.

    Returns
    -------
    EventSelection
        ``kept``: the usable rows (DIPLOMATIC_EVENTS columns) by date_start; ``dropped``: event_id,
        date_start, bloc, kind, days (the span) and reason (the first rule the row failed: too long,
        kind or bloc not selected).

    Raises
    ------
    ValueError
        For an unknown bloc or kind.
    """
    unknown = sorted(set(blocs or ()) - set(c.BLOCS))
    if unknown:
        raise ValueError(f"unknown bloc(s) {unknown}; choose from {list(c.BLOCS)}")
    unknown = sorted(set(kinds or ()) - set(c.DIPLOMATIC_KINDS))
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; choose from {list(c.DIPLOMATIC_KINDS)}")
    end = diplomatic[c.DE_DATE_END].fillna(diplomatic[c.DE_DATE_START])
    span = (end - diplomatic[c.DE_DATE_START]).dt.days + 1
    reason = pd.Series("", index=diplomatic.index, dtype="object")
    if max_event_days:
        reason = reason.mask(span > max_event_days, LONG_EVENT_REASON)
    if kinds:
        reason = reason.mask((reason == "") & ~diplomatic[c.DE_KIND].isin(list(kinds)), KIND_REASON)
    if blocs:
        reason = reason.mask((reason == "") & ~diplomatic[c.DE_BLOC].isin(list(blocs)), BLOC_REASON)
    kept = diplomatic[reason == ""].sort_values(c.DE_DATE_START).reset_index(drop=True)
    dropped = diplomatic.loc[reason != "", [c.DE_ID, c.DE_DATE_START, c.DE_BLOC, c.DE_KIND]]
    dropped = dropped.assign(days=span[reason != ""], reason=reason[reason != ""])
    return EventSelection(kept, dropped.reset_index(drop=True))


def within_coverage(
    diplomatic: pd.DataFrame,
    first_day: str | pd.Timestamp,
    last_day: str | pd.Timestamp,
    window_days: int,
) -> EventSelection:
    """Events whose +-``window_days`` window (before: the ``window_days`` days before the
    start; after: the start and the following days) lies inside [first_day, last_day],
    and the others with the reason (for the event study on data that end early).

    Parameters
    ----------
    diplomatic : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table.
    first_day, last_day : str or pandas.Timestamp
        First and last day of the event data (e.g. the daily series' index).
    window_days : int
        Days of each window before and after the event's start.

    Returns
    -------
    EventSelection
        ``kept``: the events whose windows are covered (DIPLOMATIC_EVENTS columns); ``dropped``:
        event_id, date_start, bloc, kind and reason of the others.
    """
    start = diplomatic[c.DE_DATE_START]
    inside = (start - pd.Timedelta(days=window_days) >= pd.Timestamp(first_day)) & (
        start + pd.Timedelta(days=window_days - 1) <= pd.Timestamp(last_day)
    )
    kept = diplomatic[inside].reset_index(drop=True)
    dropped = diplomatic.loc[~inside, [c.DE_ID, c.DE_DATE_START, c.DE_BLOC, c.DE_KIND]]
    return EventSelection(kept, dropped.assign(reason=OUTSIDE_REASON).reset_index(drop=True))


# --- Readable tables for rendered reports ------------------------------------------------------


@dataclass(frozen=True)
class StudyWindow(Result):
    """The study window of the timing analysis and where its ends come from.

    Attributes
    ----------
    start, end : pandas.Timestamp
        First and last day (inclusive).
    note : str
        Which ends were taken from the diplomatic calendar.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    note: str


def study_window(
    diplomatic: pd.DataFrame,
    study_start: str | pd.Timestamp | None = "",
    study_end: str | pd.Timestamp | None = "",
    dates: pd.Series | None = None,
) -> StudyWindow:
    """The study window: the dates given, else the span of the diplomatic calendar.

    Declarations can only be compared with diplomatic events where the calendar has some, so
    an empty start (end) is the calendar's first event start (last event end); with no
    calendar at all (an empty table), the span of ``dates``.

    Parameters
    ----------
    diplomatic : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table (e.g. :func:`select_calendar`'s ``kept``).
    study_start, study_end : str or pandas.Timestamp
        The window's ends; empty means the calendar's.
    dates : pandas.Series, optional
        Declaration dates whose span is the window when the calendar is empty.

    Returns
    -------
    StudyWindow
        The resolved first and last day and a note on the ends taken from the calendar.

    Raises
    ------
    ValueError
        When the window ends before it starts.
    """
    first = diplomatic[c.DE_DATE_START].min()
    last = diplomatic[c.DE_DATE_END].fillna(diplomatic[c.DE_DATE_START]).max()
    if diplomatic.empty and dates is not None and len(dates):
        first, last = pd.Series(dates).min(), pd.Series(dates).max()
    start_set = bool(study_start) and not pd.isna(study_start)
    end_set = bool(study_end) and not pd.isna(study_end)
    start = pd.Timestamp(study_start) if start_set else pd.Timestamp(first)
    end = pd.Timestamp(study_end) if end_set else pd.Timestamp(last)
    if end < start:
        raise ValueError(f"study window ends ({end.date()}) before it starts ({start.date()})")
    taken = [name for name, given in (("start", start_set), ("end", end_set)) if not given]
    origin = "the declarations (no calendar)" if diplomatic.empty else "the diplomatic calendar"
    note = f"{' and '.join(taken)} from {origin}" if taken else ""
    return StudyWindow(start, end, note)
