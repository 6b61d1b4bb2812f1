"""Difference-in-differences with one or two treated groups: tests whose size holds.

With G groups and one treated group, randomization inference over groups alone has a floor
of 1/G (1/12 = 0.083 for the notebook's target panel), so it can never reject at 0.05, and a
cluster-robust t on G - 1 degrees of freedom covers only about half the time (issue 12).

* :func:`clean_controls`: the control set, as a rule written in code (who is excluded and why).
* :func:`did_space_time`: a space-time randomization test in the spirit of Conley and Taber
  (2011) and Ferman and Pinto (2019). The DiD statistic of the real (group, date) assignment
  is compared with the same statistic for every (group, pseudo-date) pair: pseudo-windows tile
  the series without overlapping each other or the real window, and a pair is dropped when the
  group was a named party to a ceasefire overlapping its pseudo-window. Each group's statistic
  is divided by its own spread across its pseudo-windows, so a small noisy group is not
  compared with the spread of a large one. p = (1 + #as extreme) / (1 + n), two-sided (on
  |statistic|; ties with the observed in a seeded random order); the resolution 1 / (1 + n)
  is reported with it. Under the null its size is the exact rank level
  floor(0.05 (1 + n)) / (1 + n), 0.046 with one treated group of 12 and 0.049 with two
  (README, "Validation").
* :func:`synthetic_control`: Abadie-style synthetic control on series scaled by their own
  pre-window mean, with placebo-in-space inference (post/pre RMSPE ratio rank). Its p-value
  cannot go below 1 / (1 + number of placebos): with 11 donors, 1/12.

Exchangeability is the assumption: absent a truce, the treated group's change around the real
date is like any clean group's change around any other date. Group-specific shocks that
happen to coincide with the truce cannot be told apart from it with one treated group.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from analysis import contract as c
from analysis.placebo import upper_rank_p
from analysis.results import Result
from analysis.status import STATUS_NO_PLACEBO_ROOM, STATUS_NO_PRE, STATUS_OK, STATUS_TOO_SHORT
from analysis.windows import effective_start

EXCLUDED_SIDES = ("civilians", "state", "militia")
"""Target sides never used as controls: civilians are targets of one-sided violence, not a
party that can sign a truce, and their targeting follows the campaigns against the armed
groups (UCDP's 'Civilians' is dominated by the NUG/PDF conflict); state forces and
pro-government militias are not opponents of the initiating side."""

OPEN_ENDED_DAYS = 365
"""Days an open-ended ceasefire is taken to last when blocking pseudo-windows."""

CONTINUITY = 0.5
"""Added to each window total before taking logs, so an empty window has a finite statistic."""


@dataclass(frozen=True)
class ControlSet(Result):
    """The clean controls of a DiD and why every other group was left out.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group: group, side, role ('treated', 'control' or 'excluded'), reason.
    controls : tuple of str
        The groups kept as controls.
    rule : str
        The rule, in words.
    """

    table: pd.DataFrame
    controls: tuple[str, ...]
    rule: str


def party_periods(ceasefires: pd.DataFrame, open_ended_days: int = OPEN_ENDED_DAYS) -> pd.DataFrame:
    """Each named counterpart's ceasefire periods (national 'all' declarations are left out).

    A national declaration addressed to every armed group touches every group at once, so a
    DiD's period effects difference it out; blocking it would leave no clean group in
    2020-2023. Only groups named in ``counterpart_ids`` are blocked.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    open_ended_days : int, default 365
        Length given to ceasefires without an end date.

    Returns
    -------
    pandas.DataFrame
        One row per (group, ceasefire): group, ceasefire_id, start, end (NaT start rows dropped).
    """
    start = effective_start(ceasefires)
    end = pd.to_datetime(ceasefires[c.CF_EFFECTIVE_TO])
    end = end.fillna(start + pd.Timedelta(days=open_ended_days))
    ids = ceasefires[c.CF_COUNTERPART_IDS].astype("string").fillna("")
    table = pd.DataFrame(
        {
            "group": ids.str.split(c.LIST_SEPARATOR).to_numpy(),
            c.CF_ID: ceasefires[c.CF_ID].to_numpy(),
            "start": start.to_numpy(),
            "end": end.to_numpy(),
        }
    ).explode("group")
    table["group"] = table["group"].astype("string").str.strip()
    keep = table["start"].notna() & (table["group"] != "") & (table["group"] != c.COUNTERPARTS_ALL)
    return table[keep].reset_index(drop=True)


def clean_controls(
    events: pd.DataFrame,
    ceasefires: pd.DataFrame,
    treated: Sequence[str],
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    *,
    grouping: str = c.EV_TARGET,
    theatre_share: float = 0.5,
) -> ControlSet:
    """Groups that may serve as controls for a truce on ``treated`` between ``start`` and ``end``.

    A group is excluded, first reason that applies: (1) its target side is in
    :data:`EXCLUDED_SIDES` (civilians, state, militia); (2) it is a named counterpart
    (``counterpart_ids``) of a ceasefire overlapping the window; (3) at least
    ``theatre_share`` of its events in the window fall in the treated groups' regions (the
    admin1 units holding most of their events), where spill-over from the truce is likely;
    (4) it has no events in the window.

    Parameters
    ----------
    events : pandas.DataFrame
        The EVENTS table the DiD panel is built from.
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    treated : sequence of str
        The treated groups.
    start, end : str or pandas.Timestamp
        First and last day of the DiD window (pre and post).
    grouping : str, default 'target'
        The EVENTS column defining groups; side rules apply only to 'target'.
    theatre_share : float, default 0.5
        Share of a group's events in the treated groups' regions that excludes it.

    Returns
    -------
    ControlSet
        Per-group table with role and reason, the kept controls and the rule in words.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    dates = pd.to_datetime(events[c.EV_DATE])
    inside = events[(dates >= start) & (dates <= end)]
    weights = inside[c.EV_EVENTS].astype("float64")
    groups = sorted(set(events[grouping].dropna().astype(str)))
    side = (
        events.groupby(grouping)[c.EV_TARGET_SIDE].first().astype("string")
        if grouping == c.EV_TARGET
        else pd.Series(dtype="string")
    )
    parties = party_periods(ceasefires)
    parties = parties[(parties["start"] <= end) & (parties["end"] >= start)]
    party_of = parties.groupby("group")[c.CF_ID].agg(", ".join)
    treated_set = set(treated)
    treated_rows = inside[grouping].isin(treated_set)
    region_counts = weights[treated_rows].groupby(inside.loc[treated_rows, c.EV_ADMIN1]).sum()
    region_counts = region_counts.sort_values(ascending=False)
    # the treated groups' regions: the fewest admin1 units holding at least 80% of their events
    cumulative = region_counts.cumsum() / max(region_counts.sum(), 1.0)
    theatre = set(region_counts.index[: int((cumulative < 0.8).sum()) + 1])
    group_totals = weights.groupby(inside[grouping].astype("string")).sum()
    in_theatre = weights[inside[c.EV_ADMIN1].isin(theatre)]
    theatre_totals = in_theatre.groupby(inside.loc[in_theatre.index, grouping]).sum()
    rows = []
    for group in groups:  # a few dozen groups at most
        group_side = str(side.get(group, "")) if len(side) else ""
        total = float(group_totals.get(group, 0.0))
        share = float(theatre_totals.get(group, 0.0)) / total if total else 0.0
        if group in treated_set:
            role, reason = "treated", "party to the truce"
        elif group_side in EXCLUDED_SIDES:
            role, reason = "excluded", f"side '{group_side}': not a party that can sign a truce"
        elif group in party_of.index:
            role, reason = "excluded", f"named counterpart of {party_of[group]} in the window"
        elif theatre and share >= theatre_share:
            role = "excluded"
            reason = f"{share:.0%} of its events in the treated regions ({', '.join(theatre)})"
        elif total == 0:
            role, reason = "excluded", "no events in the window"
        else:
            role, reason = "control", ""
        rows.append({"group": group, "side": group_side, "role": role, "reason": reason})
    table = pd.DataFrame(rows, columns=["group", "side", "role", "reason"])
    rule = (
        "controls exclude civilians, state and militia targets, named counterparts of any "
        "ceasefire overlapping the window, groups with most events in the treated groups' "
        "regions and groups without events in the window"
    )
    controls = tuple(table.loc[table["role"] == "control", "group"])
    return ControlSet(table, controls, rule)


@dataclass(frozen=True)
class DidInference(Result):
    """Space-time randomization test of a DiD with few treated groups.

    Attributes
    ----------
    estimate : float
        Treated (post / pre) over controls (post / pre), window totals with 0.5 added.
    statistic : float
        Mean over treated groups of their log ratio of ratios, each divided by its group's
        spread across pseudo-windows.
    p_value : float
        (1 + #pseudo assignments with |statistic| >= observed) / (1 + n_pseudo).
    resolution : float
        Smallest p-value possible: 1 / (1 + n_pseudo).
    n_pseudo : int
        Pseudo assignments (group sets x pseudo-windows) compared with the real one.
    n_windows : int
        Pseudo-windows tiling the series.
    n_controls : int
        Control groups at the real date.
    status : str
        'ok', 'too_short', 'no_pre_events' or 'no_placebo_room' (fewer than 19 pseudo
        assignments: p could not reach 0.05).
    note : str
        What was done, in words.
    pseudo : pandas.DataFrame
        One row per pseudo assignment: window_start, groups, statistic.
    """

    estimate: float
    statistic: float
    p_value: float
    resolution: float
    n_pseudo: int
    n_windows: int
    n_controls: int
    status: str
    note: str
    pseudo: pd.DataFrame


def _wide(panel: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """Periods x groups matrix of events (float, zero-filled)."""
    wide = panel.pivot_table(
        index=c.PN_PERIOD, columns=c.PN_GROUP, values=c.PN_EVENTS, aggfunc="sum", fill_value=0
    ).sort_index()
    wide.index = pd.to_datetime(wide.index)
    return wide.reindex(columns=list(groups), fill_value=0).astype("float64")


def _log_change(pre: np.ndarray, post: np.ndarray) -> np.ndarray:
    """log((post + 0.5) / (pre + 0.5)), elementwise."""
    return np.log((post + CONTINUITY) / (pre + CONTINUITY))


def did_space_time(
    panel: pd.DataFrame,
    treated: Sequence[str],
    controls: Sequence[str],
    event_date: str | pd.Timestamp,
    pre_periods: int,
    post_periods: int,
    *,
    parties: pd.DataFrame | None = None,
    min_pre_events: int = 1,
    max_assignments: int = 20000,
    seed: int = 20250328,
) -> DidInference:
    """DiD of ``treated`` vs ``controls`` around ``event_date``, tested over (group, pseudo-date).

    Parameters
    ----------
    panel : pandas.DataFrame
        A PANEL table (period, group, events) over the whole series.
    treated : sequence of str
        The treated groups (1 or 2 in the intended use).
    controls : sequence of str
        Clean control groups (:func:`clean_controls`).
    event_date : str or pandas.Timestamp
        First post period.
    pre_periods, post_periods : int
        Window lengths in periods; pseudo-windows have the same lengths.
    parties : pandas.DataFrame, optional
        :func:`party_periods`: a (group, pseudo-window) pair is dropped when the group was a
        named party to a ceasefire overlapping the pseudo-window.
    min_pre_events : int, default 1
        Events a group needs in a pseudo-window's pre part for the pair to count (the treated
        groups need them at the real date too).
    max_assignments : int, default 20000
        Above this many pseudo assignments a random subset of this size is used.
    seed : int, default 20250328
        Seed of that subset and of the random order of pseudo statistics tied with the
        observed one (:func:`analysis.placebo.upper_rank_p`; ties are rare here).

    Returns
    -------
    DidInference
        Estimate, studentized statistic, two-sided randomization p-value with its resolution,
        counts and the pseudo distribution.
    """
    event_date = pd.Timestamp(event_date)
    treated = list(treated)
    groups = treated + [g for g in controls if g not in treated]
    wide = _wide(panel, groups)
    counts = wide.to_numpy()
    n_periods, m = len(wide), len(treated)
    t0 = int(np.searchsorted(wide.index.to_numpy(), event_date.to_datetime64()))
    width = pre_periods + post_periods
    empty = pd.DataFrame(columns=["window_start", "groups", "statistic"])
    nan_result = dict(estimate=math.nan, statistic=math.nan, p_value=math.nan, resolution=math.nan)
    if t0 - pre_periods < 0 or t0 + post_periods > n_periods or len(groups) <= m:
        note = "the window does not fit in the series or there is no control group."
        return DidInference(
            **nan_result,
            n_pseudo=0,
            n_windows=0,
            n_controls=len(groups) - m,
            status=STATUS_TOO_SHORT,
            note=note,
            pseudo=empty,
        )
    first = (t0 - pre_periods) % width
    starts = np.arange(first, n_periods - width + 1, width)
    cum = np.vstack([np.zeros(len(groups)), np.cumsum(counts, axis=0)])
    pre = cum[starts + pre_periods] - cum[starts]
    post = cum[starts + width] - cum[starts + pre_periods]
    real = int(np.flatnonzero(starts == t0 - pre_periods)[0])
    blocked = _blocked(wide.index, starts, width, groups, parties)
    usable = ~blocked & (pre >= min_pre_events)
    is_real = np.arange(len(starts)) == real
    # each group's scale: spread of its single-group statistic over its usable pseudo-windows
    own_pre, own_post = np.where(blocked, 0, pre), np.where(blocked, 0, post)
    others_pre = own_pre.sum(1, keepdims=True) - own_pre
    others_post = own_post.sum(1, keepdims=True) - own_post
    single = _log_change(pre, post) - _log_change(others_pre, others_post)
    scale = _leave_one_out_scale(single, usable & ~is_real[:, None])
    ctrl_pre, ctrl_post = pre[real, m:].sum(), post[real, m:].sum()
    t_pre, t_post = pre[real, :m], post[real, :m]
    estimate = math.exp(_log_change(t_pre.sum(), t_post.sum()) - _log_change(ctrl_pre, ctrl_post))
    if t_pre.min() < min_pre_events:
        note = "a treated group has no events in the pre window."
        return DidInference(
            **{**nan_result, "estimate": estimate},
            n_pseudo=0,
            n_windows=len(starts) - 1,
            n_controls=len(groups) - m,
            status=STATUS_NO_PRE,
            note=note,
            pseudo=empty,
        )
    observed = float(
        np.mean((_log_change(t_pre, t_post) - _log_change(ctrl_pre, ctrl_post)) / scale[real, :m])
    )
    pseudo = _pseudo_statistics(pre, post, usable, blocked, scale, m, real, max_assignments, seed)
    stats_ = pseudo[:, 2] if len(pseudo) else np.array([])
    n = len(stats_)
    # ties of |statistic| with the observed go in a seeded random order (exact level)
    p_value = upper_rank_p(abs(observed), np.abs(stats_), np.random.default_rng([seed, 1]))
    status = STATUS_OK if n >= 19 else STATUS_NO_PLACEBO_ROOM
    note = (
        f"{len(starts) - 1} pseudo-windows of {pre_periods}+{post_periods} periods, "
        f"{n} (group set, window) pseudo assignments of {m} group(s); p cannot go below "
        f"{1 / (1 + n):.4f}."
    )
    frame = pd.DataFrame(
        {
            "window_start": wide.index[starts[pseudo[:, 0].astype(int)]] if n else [],
            "groups": [
                ";".join(groups[int(j)] for j in _combo(int(k), len(groups), m))
                for k in (pseudo[:, 1] if n else [])
            ],
            "statistic": stats_,
        }
    )
    return DidInference(
        estimate,
        observed,
        p_value,
        1 / (1 + n),
        n,
        len(starts) - 1,
        len(groups) - m,
        status,
        note,
        frame,
    )


def _leave_one_out_scale(single: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """windows x groups: sd of each group's statistic over its usable windows, leaving out the
    window itself (so the real and the pseudo assignments are scaled alike). Fewer than 3
    windows left: the median of the other scales."""
    x = np.where(usable, single, 0.0)
    n, s1, s2 = usable.sum(0), x.sum(0), (x**2).sum(0)
    n_loo = n - usable
    s1_loo, s2_loo = s1 - x, s2 - x**2
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (s2_loo - s1_loo**2 / n_loo) / (n_loo - 1)
    scale = np.sqrt(np.clip(var, 0, None))
    good = (n_loo >= 3) & np.isfinite(scale) & (scale > 0)
    fallback = float(np.median(scale[good])) if good.any() else 1.0
    return np.where(good, scale, fallback)


def _blocked(
    index: pd.DatetimeIndex,
    starts: np.ndarray,
    width: int,
    groups: Sequence[str],
    parties: pd.DataFrame | None,
) -> np.ndarray:
    """windows x groups: True where the group was a named party to a ceasefire in the window."""
    blocked = np.zeros((len(starts), len(groups)), dtype=bool)
    if parties is None or parties.empty:
        return blocked
    step = index[1] - index[0] if len(index) > 1 else pd.Timedelta(days=1)
    w_from = index[starts]
    w_to = index[np.minimum(starts + width, len(index)) - 1] + step
    for j, group in enumerate(groups):  # a dozen groups
        rows = parties[parties["group"] == group]
        for p_start, p_end in zip(rows["start"], rows["end"], strict=True):  # a few each
            blocked[:, j] |= (w_from <= p_end) & (w_to > p_start)
    return blocked


def _combo(rank: int, n: int, m: int) -> tuple[int, ...]:
    """The ``rank``-th m-subset of range(n) in itertools.combinations order."""
    return next(itertools.islice(itertools.combinations(range(n), m), rank, None))


def _pseudo_statistics(
    pre: np.ndarray,
    post: np.ndarray,
    usable: np.ndarray,
    blocked: np.ndarray,
    scale: np.ndarray,
    m: int,
    real: int,
    max_assignments: int,
    seed: int,
) -> np.ndarray:
    """Rows (window, subset rank, statistic) for every usable pseudo assignment."""
    n_groups = pre.shape[1]
    combos = np.array(list(itertools.combinations(range(n_groups), m)), dtype=int)
    rows = []
    for w in range(len(pre)):  # a few dozen windows; the subsets are vectorised
        if w == real:
            continue
        ok = usable[w][combos].all(1)
        if not ok.any():
            continue
        chosen = combos[ok]
        in_ctrl = ~blocked[w]
        c_pre = (pre[w] * in_ctrl).sum() - (pre[w][chosen] * in_ctrl[chosen]).sum(1)
        c_post = (post[w] * in_ctrl).sum() - (post[w][chosen] * in_ctrl[chosen]).sum(1)
        change = _log_change(pre[w][chosen], post[w][chosen])
        z = (change - _log_change(c_pre, c_post)[:, None]) / scale[w][chosen]
        rows.append(np.column_stack([np.full(len(chosen), w), np.flatnonzero(ok), z.mean(1)]))
    out = np.vstack(rows) if rows else np.empty((0, 3))
    if len(out) > max_assignments:
        out = out[np.random.default_rng(seed).choice(len(out), max_assignments, replace=False)]
    return out


@dataclass(frozen=True)
class SyntheticControl(Result):
    """Synthetic control for the treated groups' total, with placebo-in-space inference.

    Attributes
    ----------
    estimate : float
        Treated post mean over synthetic post mean (both scaled by their pre-window mean).
    pre_rmspe : float
        Root mean squared gap before the date (scaled units; 0 is a perfect fit).
    p_value : float
        (1 + #placebos with post/pre RMSPE ratio >= the treated one) / (1 + n_placebos).
    resolution : float
        Smallest p-value possible: 1 / (1 + n_placebos).
    n_placebos : int
        Group sets of the treated set's size (other than the real one) used as placebo units.
    status : str
        'ok', 'too_short' or 'no_pre_events'.
    note : str
        What was done, in words.
    weights : pandas.DataFrame
        group, weight: the donors' weights in the synthetic control.
    """

    estimate: float
    pre_rmspe: float
    p_value: float
    resolution: float
    n_placebos: int
    status: str
    note: str
    weights: pd.DataFrame


def _synth_fit(target: np.ndarray, donors: np.ndarray, n_pre: int) -> tuple[np.ndarray, float]:
    """Non-negative donor weights summing to 1 fitted on the pre rows; post/pre RMSPE ratio."""
    # the sum-to-one constraint enters as one heavily weighted extra row of the NNLS problem
    a = np.vstack([donors[:n_pre], 1e3 * np.ones(donors.shape[1])])
    b = np.concatenate([target[:n_pre], [1e3]])
    weights = optimize.nnls(a, b)[0]
    gap = target - donors @ weights
    pre_rmspe = math.sqrt(float(np.mean(gap[:n_pre] ** 2)))
    post_rmspe = math.sqrt(float(np.mean(gap[n_pre:] ** 2)))
    return weights, post_rmspe / max(pre_rmspe, 1e-9)


def synthetic_control(
    panel: pd.DataFrame,
    treated: Sequence[str],
    controls: Sequence[str],
    event_date: str | pd.Timestamp,
    pre_periods: int,
    post_periods: int,
    *,
    max_placebos: int = 200,
) -> SyntheticControl:
    """Synthetic control of the treated groups' total from ``controls``, placebo-in-space p.

    Each series is divided by its own pre-window mean, so groups of different sizes can be
    mixed; donors without pre-window events are dropped. Placebos: every other set of
    ``len(treated)`` groups (the treated groups included) in turn is the treated unit, fitted
    from all groups outside it, so placebo and real fits have as many donors.

    Parameters
    ----------
    panel : pandas.DataFrame
        A PANEL table (period, group, events).
    treated : sequence of str
        The treated groups (summed into one unit).
    controls : sequence of str
        The donor pool (clean controls).
    event_date : str or pandas.Timestamp
        First post period.
    pre_periods, post_periods : int
        Window lengths in periods.
    max_placebos : int, default 200
        Most placebo donor sets (the first ones in combination order).

    Returns
    -------
    SyntheticControl
        Ratio estimate, pre-fit RMSPE, placebo p-value with its resolution and the weights.
    """
    event_date = pd.Timestamp(event_date)
    wide = _wide(panel, list(treated) + [g for g in controls if g not in treated])
    t0 = int(np.searchsorted(wide.index.to_numpy(), event_date.to_datetime64()))
    empty = pd.DataFrame(columns=["group", "weight"])
    if t0 - pre_periods < 0 or t0 + post_periods > len(wide):
        return SyntheticControl(
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            0,
            STATUS_TOO_SHORT,
            "the window does not fit in the series.",
            empty,
        )
    window = wide.iloc[t0 - pre_periods : t0 + post_periods]
    target = window[list(treated)].sum(axis=1).to_numpy()
    donors = window.drop(columns=list(treated))
    donors = donors.loc[:, donors.iloc[:pre_periods].sum() > 0]
    if target[:pre_periods].sum() == 0 or donors.shape[1] < 2:
        return SyntheticControl(
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            0,
            STATUS_NO_PRE,
            "no treated pre events or fewer than two donors.",
            empty,
        )
    scaled = donors.to_numpy() / donors.iloc[:pre_periods].mean().to_numpy()
    y = target / target[:pre_periods].mean()
    weights, ratio = _synth_fit(y, scaled, pre_periods)
    synth = scaled @ weights
    estimate = float(y[pre_periods:].mean() / max(synth[pre_periods:].mean(), 1e-12))
    pre_rmspe = math.sqrt(float(np.mean((y - synth)[:pre_periods] ** 2)))
    m = len(treated)
    # placebo in space: every other set of m groups (controls and treated groups alike) as the
    # treated unit, fitted from all groups outside it, so each fit has as many donors as the real
    units = pd.concat([window[list(treated)], donors], axis=1).to_numpy()
    usable = units[:pre_periods].sum(0) > 0
    scaled_all = units / np.where(usable, units[:pre_periods].mean(0), 1.0)
    placebo = []
    subsets = itertools.combinations(range(units.shape[1]), m)
    others = (s for s in subsets if s != tuple(range(m)))  # the real treated set is not a placebo
    for subset in itertools.islice(others, max_placebos):  # one small NNLS per group set
        rest = [j for j in range(units.shape[1]) if j not in subset and usable[j]]
        unit = units[:, list(subset)].sum(1)
        if unit[:pre_periods].sum() == 0:
            continue
        placebo.append(
            _synth_fit(unit / unit[:pre_periods].mean(), scaled_all[:, rest], pre_periods)[1]
        )
    n = len(placebo)
    p_value = (1 + int((np.array(placebo) >= ratio - 1e-12).sum())) / (1 + n)
    note = f"{donors.shape[1]} donors, {n} placebo units; p cannot go below {1 / (1 + n):.3f}" + (
        " - a test at 0.05 is impossible." if 1 / (1 + n) > 0.05 else "."
    )
    table = pd.DataFrame({"group": donors.columns, "weight": weights})
    return SyntheticControl(
        estimate,
        pre_rmspe,
        p_value,
        1 / (1 + n),
        n,
        STATUS_OK,
        note,
        table.sort_values("weight", ascending=False, ignore_index=True),
    )


@dataclass(frozen=True)
class FewTreatedDid(Result):
    """The clean controls, the space-time randomization test and the synthetic control.

    Attributes
    ----------
    controls : ControlSet
        Who serves as a control and why the others do not.
    space_time : DidInference
        The space-time randomization test (:func:`did_space_time`).
    synthetic : SyntheticControl
        The synthetic control with placebo-in-space (:func:`synthetic_control`).
    """

    controls: ControlSet
    space_time: DidInference
    synthetic: SyntheticControl


def few_treated_did(
    events: pd.DataFrame,
    panel: pd.DataFrame,
    ceasefires: pd.DataFrame,
    treated: Sequence[str],
    event_date: str | pd.Timestamp,
    pre_periods: int,
    post_periods: int,
    *,
    grouping: str = c.EV_TARGET,
    seed: int = 20250328,
) -> FewTreatedDid:
    """Clean controls, space-time randomization test and synthetic control in one call.

    Parameters
    ----------
    events : pandas.DataFrame
        The EVENTS table ``panel`` was built from.
    panel : pandas.DataFrame
        A PANEL table (period, group, events) over the whole series.
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    treated : sequence of str
        The treated groups.
    event_date : str or pandas.Timestamp
        First post period.
    pre_periods, post_periods : int
        Window lengths in periods.
    grouping : str, default 'target'
        The EVENTS column ``panel`` groups by.
    seed : int, default 20250328
        Seed of the subset of pseudo assignments when there are very many.

    Returns
    -------
    FewTreatedDid
        controls, space_time and synthetic.
    """
    periods = pd.DatetimeIndex(np.sort(pd.to_datetime(panel[c.PN_PERIOD]).unique()))
    t0 = int(periods.searchsorted(pd.Timestamp(event_date)))
    first = periods[max(t0 - pre_periods, 0)]
    last = periods[min(t0 + post_periods, len(periods) - 1)]
    controls = clean_controls(events, ceasefires, treated, first, last, grouping=grouping)
    parties = party_periods(ceasefires)
    args = (panel, treated, controls.controls, event_date, pre_periods, post_periods)
    return FewTreatedDid(
        controls,
        did_space_time(*args, parties=parties, seed=seed),
        synthetic_control(*args),
    )
