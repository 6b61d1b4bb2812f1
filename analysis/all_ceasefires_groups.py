"""Every ceasefire's estimate by group, and how long each held until the first event.

**Groups.** :func:`effects_by_group` pools the rate ratios of
:func:`analysis.all_ceasefires.all_ceasefire_effects` by class, purpose, mediator and mediator
bloc with the project's random-effects pooling (:mod:`analysis.pooling`); multi-valued
columns are exploded, so a ceasefire mediated by the OSCE and Russia counts in both groups.

**Survival** (:func:`first_event_survival`): days from entry into force to the first event on
the ceasefire's outcome (its dyads, or its counterparts for a curated row), right-censored at
the **end of the events data** (not at the ceasefire's end: a ceasefire that ended formally
may still have held, and ETH/PRIO end dates are often unknown). Found for every ceasefire at
once with ``np.searchsorted`` on the same (key, day) index as the rate ratios.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis.all_ceasefires import (
    ESTIMATED,
    NOT_IN_DATA,
    ceasefire_descriptors,
    event_index,
    key_pairs,
    outcome_keys,
)
from analysis.pooling import count_log_ratios, pool_random_effects
from analysis.results import Result
from analysis.status import (
    STATUS_DYAD_NOT_IN_DATA,
    STATUS_NO_DATES,
    STATUS_NO_DYAD,
    STATUS_NOTES,
    STATUS_OK,
    STATUS_OUTSIDE,
)
from analysis.survival import BROKE_DOWN, DURATION, kaplan_meier, median_survival
from analysis.windows import collapse_chains, effective_start

GROUPINGS = ("all", c.CF_CLASS, c.CF_PURPOSES, c.CF_MEDIATORS, c.CF_MEDIATOR_BLOCS)
"""The groupings of :func:`effects_by_group`: every ceasefire, then class, purpose, mediator
and mediator bloc."""

POOLED_COLUMNS = ("grouping", "group", "k", "pooled_rr", "ci_low", "ci_high", "pooled_log_rr")
POOLED_COLUMNS += ("pooled_se", "p_value", "tau2", "i2", "q", "p_heterogeneity", "k_excluded")
POOLED_COLUMNS += ("status",)
"""Columns of :func:`effects_by_group` (also when no ceasefire is inside the data)."""

_MULTI_VALUE = re.compile(r"\s*;\s*")
_NOTE = re.compile(r"\([^()]*\)")
_PUNCTUATION = re.compile(r"[^\w\s]")


def mediator_key(name: str) -> str:
    """The name a mediator is grouped by: spellings of one mediator fall together.

    A parenthetical is a note on the mediator (role, envoy: 'Japan (Yohei Sasakawa, special
    envoy)'), not part of its name, so it is dropped; then punctuation, case and runs of
    whitespace are folded ('Yohei  Sasakawa', 'yohei sasakawa.' -> 'yohei sasakawa'). The data
    rows are not changed; only the grouping of :func:`explode_groups` uses this key.

    Parameters
    ----------
    name : str
        One mediator as written in the table.

    Returns
    -------
    str
        The folded key (lower case, words separated by single spaces).
    """
    plain = _PUNCTUATION.sub(" ", _NOTE.sub(" ", name))
    return " ".join(plain.split()).casefold()


def _fold_mediators(names: pd.Series) -> pd.Series:
    """Each mediator under one spelling per :func:`mediator_key`: the first one in the table,
    without its parenthetical note."""
    keys = names.map(mediator_key)
    shown = names.map(lambda n: " ".join(_NOTE.sub(" ", n).split()) or n)
    first = shown.groupby(keys, sort=False).first()
    return keys.map(first).where(keys != "", names)


# --- Distribution of effects by group -------------------------------------------------------


def explode_groups(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per value of a multi-valued column (';'-separated), blank as 'none'.

    A ceasefire with two mediators counts once under each. ``ceasefire_class`` becomes
    'class 1' ... and 'not coded'; ``all`` (not a column) puts every row in one group.
    Mediators are grouped by :func:`mediator_key` (no parenthetical note; case, punctuation
    and whitespace folded), shown under their first spelling in the table.

    Parameters
    ----------
    table : pandas.DataFrame
        A table with ``column`` (e.g. :attr:`AllCeasefires.table`).
    column : str
        One of :data:`GROUPINGS`.

    Returns
    -------
    pandas.DataFrame
        The rows of ``table`` repeated per value, ``column`` holding one value each (text).
    """
    out = table.copy()
    if column == "all":
        return out.assign(all="all ceasefires")
    if column == c.CF_CLASS:
        values = out[column].astype("Int64")
        out[column] = ("class " + values.astype("string")).fillna("not coded")
        return out
    text = out[column].astype("string").fillna("").str.strip()
    out[column] = [[v for v in _MULTI_VALUE.split(t) if v] or ["none"] for t in text]
    out = out.explode(column, ignore_index=True)
    if column == c.CF_MEDIATORS:
        out[column] = _fold_mediators(out[column].astype(str))
    return out


def effects_by_group(
    table: pd.DataFrame, groupings: Sequence[str] = GROUPINGS, level: float = 0.95
) -> pd.DataFrame:
    """Pooled rate ratio per class, purpose, mediator and mediator bloc (and over all).

    Each estimated ceasefire (status ok or zero_during) enters with its continuity-corrected
    log ratio (:func:`analysis.pooling.count_log_ratios`, so ceasefires with no events during
    are pooled rather than dropped); groups are pooled by random effects with the HKSJ interval
    (:func:`analysis.pooling.pool_random_effects`). Ceasefires inside the data without an
    estimate (no events before, too short) are counted in k_excluded; those outside the data
    or without a dyad are left out.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`AllCeasefires.table`.
    groupings : sequence of str, default :data:`GROUPINGS`
        Columns to group by (multi-valued ones exploded, see :func:`explode_groups`).
    level : float, default 0.95
        Confidence level of the pooled intervals.

    Returns
    -------
    pandas.DataFrame
        One row per grouping and group: grouping, group, then the columns of
        :func:`analysis.pooling.pool_random_effects` (k, pooled_rr, ci_low, ci_high,
        pooled_log_rr, pooled_se, p_value, tau2, i2, q, p_heterogeneity, k_excluded).
    """
    in_data = table[~table["status"].isin(NOT_IN_DATA)]
    counts = count_log_ratios(in_data)
    usable = counts["status"].isin(ESTIMATED)
    counts.loc[~usable, ["log_rr", "se"]] = np.nan
    frames = []
    for grouping in groupings:  # a handful of groupings
        exploded = explode_groups(counts, grouping)
        if exploded.empty:
            continue
        pooled = pool_random_effects(exploded, grouping, level=level)
        frames.append(pooled.rename(columns={grouping: "group"}).assign(grouping=grouping))
    if not frames:  # nothing inside the data: the same columns, no rows
        return pd.DataFrame(columns=list(POOLED_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    return out[["grouping", *[col for col in out.columns if col != "grouping"]]]


# --- Survival until the first event ---------------------------------------------------------


def first_event_survival(
    events: pd.DataFrame,
    ceasefires: pd.DataFrame,
    *,
    first_day: str | pd.Timestamp,
    last_day: str | pd.Timestamp,
    chain: bool = False,
) -> pd.DataFrame:
    """Days from entry into force to the first event on each ceasefire's outcome.

    The first day counts (an event on the day of entry into force is a breakdown on day 1).
    Ceasefires without such an event are right-censored at the **end of the events data**
    (``last_day``), not at their own end date. Rows without a dyad, whose dyads have no event
    in the data, without a start date, or starting outside [first_day, last_day] are kept with
    that status and a reason, and left out of the curves (:func:`analysis.survival.kaplan_meier`
    uses status 'ok' only).

    Parameters
    ----------
    events : pandas.DataFrame
        Canonical EVENTS rows, as for :func:`all_ceasefire_effects`.
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    first_day, last_day : str or pandas.Timestamp
        The span of the events data.
    chain : bool, default False
        One row per extension chain, starting at its first entry into force.

    Returns
    -------
    pandas.DataFrame
        One row per ceasefire: ceasefire_id, :data:`DESCRIPTORS`, outcome, start (entry into
        force), censor_at (``last_day``), duration_days (to the first event or censoring, both
        days counted; NaN unless status is 'ok'), broke_down, status ('ok', 'no_dyad',
        'dyad_not_in_data', 'no_dates', 'outside_data') and reason.
    """
    first_day, last_day = pd.Timestamp(first_day), pd.Timestamp(last_day)
    n_days = (last_day - first_day).days + 1
    table = collapse_chains(ceasefires) if chain else ceasefires.reset_index(drop=True)
    start = effective_start(table).reset_index(drop=True)
    start_day = (start - first_day).dt.days.fillna(-1).to_numpy(dtype=np.int64)
    inside = (start_day >= 0) & (start_day < n_days)
    outcomes = outcome_keys(table)
    index = event_index(events, outcomes["outcome_column"].unique(), first_day, n_days)
    rows, codes = key_pairs(outcomes, index)
    base = np.where(codes >= 0, codes, 0).astype(np.int64) * index.stride
    first = np.searchsorted(index.composite, base + start_day[rows])
    hit = index.composite[np.minimum(first, len(index.composite) - 1)]
    found = (codes >= 0) & (first < len(index.composite)) & (hit < base + index.stride)
    event_day = np.where(found, hit - base, np.iinfo(np.int64).max)
    earliest = np.full(len(table), np.iinfo(np.int64).max)
    np.minimum.at(earliest, rows, event_day)
    broke = earliest < n_days
    end_day = np.where(broke, earliest, n_days - 1)
    in_data = np.zeros(len(table), dtype=bool)
    in_data[rows[codes >= 0]] = True
    status = pd.Series(STATUS_OK, index=table.index, dtype="object")
    status[~inside] = STATUS_OUTSIDE
    status[start.isna()] = STATUS_NO_DATES
    status[~in_data & (outcomes["outcome_column"] == c.EV_DYAD)] = STATUS_DYAD_NOT_IN_DATA
    status[outcomes["no_outcome"]] = STATUS_NO_DYAD
    ok = (status == STATUS_OK).to_numpy()
    reason = status.map(STATUS_NOTES).fillna("")
    span = f"{first_day.date()} to {last_day.date()}"
    reason[status == STATUS_OUTSIDE] = f"enters into force outside the events data ({span})."
    return pd.concat([ceasefire_descriptors(table), outcomes[["outcome"]]], axis=1).assign(
        start=start,
        censor_at=last_day,
        **{
            DURATION: np.where(ok, end_day - start_day + 1, np.nan),
            BROKE_DOWN: ok & broke,
        },
        status=status.to_numpy(),
        reason=reason.to_numpy(),
    )


@dataclass(frozen=True)
class GroupSurvival(Result):
    """Kaplan-Meier curves and medians of :func:`first_event_survival`, by one grouping.

    Attributes
    ----------
    grouping : str
        The column grouped by (multi-valued columns exploded: a ceasefire with two blocs is in
        both curves).
    km : pandas.DataFrame
        :func:`analysis.survival.kaplan_meier` (group, time, survival, ci_low, ci_high, n_risk).
    medians : pandas.DataFrame
        :func:`analysis.survival.median_survival` (group, n, breakdowns, median_days).
    n_used : int
        Ceasefires with status 'ok' (each counted once).
    n_broke_down : int
        Of them, those with an event before the end of the data.
    n_excluded : int
        Ceasefires left out (no dyad, not in the data, no start inside the data).
    """

    grouping: str
    km: pd.DataFrame
    medians: pd.DataFrame
    n_used: int
    n_broke_down: int
    n_excluded: int


def survival_by_group(table: pd.DataFrame, grouping: str = c.CF_MEDIATOR_BLOCS) -> GroupSurvival:
    """Kaplan-Meier survival until the first event, one curve per group.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`first_event_survival`.
    grouping : str, default 'mediator_blocs'
        One of :data:`GROUPINGS` (e.g. 'ceasefire_class').

    Returns
    -------
    GroupSurvival
        Curves, medians and how many ceasefires were used and left out.
    """
    exploded = explode_groups(table, grouping)
    ok = table["status"] == STATUS_OK
    return GroupSurvival(
        grouping=grouping,
        km=kaplan_meier(exploded, by=grouping),
        medians=median_survival(exploded, by=grouping),
        n_used=int(ok.sum()),
        n_broke_down=int((ok & table[BROKE_DOWN]).sum()),
        n_excluded=int((~ok).sum()),
    )
