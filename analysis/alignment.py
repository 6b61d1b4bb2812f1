"""Did a brokered truce change strikes on its parties relative to everyone else?

:func:`did_poisson`: difference-in-differences on a long panel (period, group, events):
Poisson pseudo-maximum-likelihood with group and period fixed effects and a treated x post
term, standard errors clustered by group; the exponentiated coefficient is the ratio of the
treated groups' post/pre change to the control groups' change. Inference with few clusters
is fragile (t with G-1 degrees of freedom is used, and a placebo over pseudo-dates before
the truce is reported next to it).

:func:`displacement_shares`: did strikes move elsewhere? Each group's share of events before
vs after, a chi-square test (anti-conservative with overdispersed counts, so read it with the
placebo distribution of the total-variation distance at pseudo-dates).

Caveats: parallel trends is an assumption (look at the pre-period event study); "treated"
targets are defined by the analyst (truce parties), and other groups may be indirectly
affected (spill-over, redeployment), which biases the DiD toward zero or past it.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from analysis import contract as c
from analysis.results import Result


@dataclass(frozen=True)
class DidResult(Result):
    """Difference-in-differences rate ratio with cluster-robust interval and placebo."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    placebo_p_value: float
    n_groups: int
    n_treated: int
    n_periods: int
    events_treated_pre: float
    events_treated_post: float
    status: str
    note: str


def _did_fit(
    panel: pd.DataFrame, treated: set[str], event_date: pd.Timestamp
) -> tuple[float, float, int]:
    """Coefficient, cluster SE and number of clusters of treated x post."""
    data = panel.copy()
    data["treat_post"] = (
        data[c.PN_GROUP].isin(treated) & (data[c.PN_PERIOD] >= event_date)
    ).astype(float)
    # groups with no events at all carry no information in Poisson FE and break the fit
    totals = data.groupby(c.PN_GROUP)[c.PN_EVENTS].transform("sum")
    data = data[totals > 0]
    group_fe = pd.get_dummies(data[c.PN_GROUP], prefix="g", drop_first=True, dtype=float)
    period_fe = pd.get_dummies(data[c.PN_PERIOD], prefix="t", drop_first=True, dtype=float)
    x = pd.concat([data[["treat_post"]], group_fe, period_fe], axis=1)
    x.insert(0, "const", 1.0)
    groups = pd.factorize(data[c.PN_GROUP])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(
            data[c.PN_EVENTS].to_numpy(float), x.to_numpy(), family=sm.families.Poisson()
        ).fit(cov_type="cluster", cov_kwds={"groups": groups})
    return float(fit.params[1]), float(fit.bse[1]), int(len(np.unique(groups)))


def _zero_post_bound(
    data: pd.DataFrame, treated: set[str], event_date: pd.Timestamp, level: float
) -> tuple[float, float, str]:
    """Upper confidence bound and two-sided p-value for the DiD rate ratio when the treated
    groups have no events after the date (PPML has no finite estimate then).

    With group and period effects, the treated post/pre ratio is expected to equal the
    controls' post/pre ratio times the rate ratio, so conditional on the treated total the
    post count is binomial with p = k r / (1 + k r), k = control post / control pre. A zero
    post count gives the exact (Clopper-Pearson) bound on p, turned into a bound on r.
    Overdispersion is allowed for by deflating the treated pre count by the variance/mean
    ratio of the treated per-period pre counts (at least 1), as for single ceasefires in
    :mod:`analysis.effects`. The controls' ratio is taken as known (many control events).
    """
    alpha = 1 - level
    is_t = data[c.PN_GROUP].isin(treated)
    post = data[c.PN_PERIOD] >= event_date
    events = data[c.PN_EVENTS].astype("float64")
    control_pre = float(events[~is_t & ~post].sum())
    control_post = float(events[~is_t & post].sum())
    per_period = events[is_t & ~post].groupby(data.loc[is_t & ~post, c.PN_PERIOD]).sum()
    inflation = max(1.0, float(per_period.var(ddof=1) / per_period.mean()))
    n_eff = float(per_period.sum()) / inflation
    if control_pre == 0 or control_post == 0:
        note = (
            "treated groups have no post-period events and the controls have none before "
            "or after: no bound can be given."
        )
        return math.nan, math.nan, note
    k = control_post / control_pre
    p_up = 1 - (alpha / 2) ** (1 / n_eff)
    upper = p_up / (1 - p_up) / k
    p_value = min(1.0, 2 * (1 / (1 + k)) ** n_eff)
    note = (
        "treated groups have no post-period events: the DiD estimate is 0 (PPML has no "
        f"finite estimate); the upper bound is exact given the controls' change (x{k:.2f}) "
        f"and the treated pre count deflated for overdispersion (factor {inflation:.2f})."
    )
    return upper, p_value, note


def did_poisson(
    panel: pd.DataFrame,
    treated_groups: list[str] | tuple[str, ...],
    event_date: str | pd.Timestamp,
    *,
    pre_periods: int | None = None,
    post_periods: int | None = None,
    n_placebo_dates: int = 20,
    level: float = 0.95,
) -> DidResult:
    """DiD rate ratio of the truce on ``treated_groups`` vs the other groups of ``panel``.

    ``panel`` is a long PANEL table (period, group, events); periods before ``event_date``
    are pre. ``pre_periods``/``post_periods`` trim the panel around the date. The placebo
    p-value re-estimates at up to ``n_placebo_dates`` evenly spaced pseudo-dates inside the
    pre period (using pre data only) and reports (1 + #|placebo| >= |observed|) / (1 + n).

    Parameters
    ----------
    panel : pandas.DataFrame
        A PANEL table (period, group, events) with one row per period and group, e.g.
        :func:`analysis.panel.build_panel` grouped by target.
    treated_groups : list or tuple of str
        The groups of the truce's parties.
    event_date : str or pandas.Timestamp
        First period counted as post (the truce's effective date).
    pre_periods, post_periods : int, optional
        Keep only this many periods before / from the date (default: all).
    n_placebo_dates : int, default 20
        Most pseudo-dates for the placebo p-value.
    level : float, default 0.95
        Confidence level of the interval (t with clusters - 1 degrees of freedom).

    Returns
    -------
    DidResult
        estimate (exp of the treated x post coefficient), ci_low, ci_high, p_value (cluster-robust),
        placebo_p_value, n_groups, n_treated, n_periods, events_treated_pre, events_treated_post,
        status ('ok', 'too_short', 'no_pre_events', 'zero_during': estimate 0 with an exact upper
        bound) and note.

    Raises
    ------
    ValueError
        When a treated group is not among the panel's groups.
    """
    event_date = pd.Timestamp(event_date)
    treated = set(treated_groups)
    data = panel[[c.PN_PERIOD, c.PN_GROUP, c.PN_EVENTS]].copy()
    data[c.PN_PERIOD] = pd.to_datetime(data[c.PN_PERIOD])
    periods = np.sort(data[c.PN_PERIOD].unique())
    pre = periods[periods < event_date]
    post = periods[periods >= event_date]
    if pre_periods:
        pre = pre[-pre_periods:]
    if post_periods:
        post = post[:post_periods]
    unknown = treated - set(data[c.PN_GROUP])
    if unknown:
        raise ValueError(f"treated group(s) {sorted(unknown)} not in the panel's groups")
    keep = np.concatenate([pre, post])
    data = data[data[c.PN_PERIOD].isin(keep)]
    n_groups = data[c.PN_GROUP].nunique()
    is_t = data[c.PN_GROUP].isin(treated)
    ev_pre = float(data.loc[is_t & (data[c.PN_PERIOD] < event_date), c.PN_EVENTS].sum())
    ev_post = float(data.loc[is_t & (data[c.PN_PERIOD] >= event_date), c.PN_EVENTS].sum())
    base = dict(
        n_groups=int(n_groups),
        n_treated=len(treated),
        n_periods=len(keep),
        events_treated_pre=ev_pre,
        events_treated_post=ev_post,
    )
    no_estimate = (math.nan,) * 5
    if len(pre) < 2 or len(post) < 1 or n_groups - len(treated) < 1:
        return DidResult(
            *no_estimate,
            status="too_short",
            note="need >= 2 pre periods, >= 1 post period and a control group.",
            **base,
        )
    if ev_pre == 0:
        return DidResult(
            *no_estimate,
            status="no_pre_events",
            note="treated groups have no pre-period events.",
            **base,
        )
    if ev_post == 0:
        upper, p_zero, note = _zero_post_bound(data, treated, event_date, level)
        return DidResult(0.0, 0.0, upper, p_zero, math.nan, status="zero_during", note=note, **base)
    b, se, n_clusters = _did_fit(data, treated, event_date)
    df = max(n_clusters - 1, 1)
    tcrit = stats.t.ppf(0.5 + level / 2, df)
    p = float(2 * stats.t.sf(abs(b) / se, df))
    pre_data = data[data[c.PN_PERIOD] < event_date]
    candidates = pre[len(pre) // 3 :]  # keep at least a third of the pre period as baseline
    step = max(1, len(candidates) // max(n_placebo_dates, 1))
    placebo = []
    for date in candidates[::step][:n_placebo_dates]:  # a few refits, not one per ceasefire
        try:
            placebo.append(_did_fit(pre_data, treated, pd.Timestamp(date))[0])
        except (ValueError, np.linalg.LinAlgError):
            continue
    placebo = np.array(placebo)
    placebo_p = (
        (1 + int((np.abs(placebo) >= abs(b)).sum())) / (1 + len(placebo))
        if len(placebo)
        else math.nan
    )
    note = f"cluster-robust SE with {n_clusters} clusters (t, {df} df)."
    if n_clusters < 10:
        note += " Few clusters: treat the interval as rough and lean on the placebo."
    return DidResult(
        math.exp(b),
        math.exp(b - tcrit * se),
        math.exp(b + tcrit * se),
        p,
        placebo_p,
        status="ok",
        note=note,
        **base,
    )


@dataclass(frozen=True)
class Displacement(Result):
    """Did events move between groups after a date? (:func:`displacement_shares`).

    Attributes
    ----------
    shares : pandas.DataFrame
        One row per group: group, events_pre, events_post, share_pre, share_post, change_pp
        (change of the group's share in percentage points).
    total_variation_distance : float
        Half the summed absolute change of shares (0 = same mix, 1 = no overlap).
    chi2_p_value : float
        Chi-square test of the before/after table; too small with autocorrelated counts.
    placebo_p_value : float
        The same distance at random pseudo-dates before the date (NaN with < 20 of them).
    n_pre_periods, n_post_periods : int
        Periods compared on each side.
    """

    shares: pd.DataFrame
    total_variation_distance: float
    chi2_p_value: float
    placebo_p_value: float
    n_pre_periods: int
    n_post_periods: int


def displacement_shares(
    panel: pd.DataFrame,
    event_date: str | pd.Timestamp,
    *,
    pre_periods: int | None = None,
    post_periods: int | None = None,
    n_placebo_dates: int = 200,
    seed: int = 20250328,
) -> Displacement:
    """Shares of events by group before vs after ``event_date``.

    Parameters
    ----------
    panel : pandas.DataFrame
        A PANEL table grouped by the grouping of interest (target or admin1).
    event_date : str or pandas.Timestamp
        First period counted as after.
    pre_periods, post_periods : int, optional
        Periods on each side (default: all).
    n_placebo_dates : int
        Pseudo-dates for the placebo p-value.
    seed : int
        Seed of the pseudo-dates.

    Returns
    -------
    Displacement
        Per-group shares and their change; the total-variation distance between the share
        vectors, a chi-square p-value and a placebo p-value (the same distance at random
        pseudo-dates in the pre period with the same window lengths).
    """
    event_date = pd.Timestamp(event_date)
    wide = panel.pivot_table(
        index=c.PN_PERIOD, columns=c.PN_GROUP, values=c.PN_EVENTS, aggfunc="sum", fill_value=0
    ).sort_index()
    # nullable Int64 panels (as build_panel returns) would become object arrays in scipy
    wide = wide.astype("float64")
    wide.index = pd.to_datetime(wide.index)
    pre = wide[wide.index < event_date]
    post = wide[wide.index >= event_date]
    if pre_periods:
        pre = pre.iloc[-pre_periods:]
    if post_periods:
        post = post.iloc[:post_periods]
    before, after = pre.sum(), post.sum()
    if before.sum() == 0 or after.sum() == 0:
        raise ValueError("displacement needs events both before and after the date")
    table = pd.DataFrame({"events_pre": before, "events_post": after})
    table["share_pre"] = before / before.sum()
    table["share_post"] = after / after.sum()
    table["change_pp"] = 100 * (table["share_post"] - table["share_pre"])
    tvd = 0.5 * float(np.abs(table["share_post"] - table["share_pre"]).sum())
    nonzero = table[(table["events_pre"] + table["events_post"]) > 0]
    chi2_p = float(stats.chi2_contingency(nonzero[["events_pre", "events_post"]].to_numpy().T)[1])
    # placebo: same window lengths at pseudo-dates entirely before the real date
    counts = wide[wide.index < event_date].to_numpy(float)
    cum = np.vstack([np.zeros(counts.shape[1]), np.cumsum(counts, axis=0)])
    n0, n1 = len(pre), len(post)
    feasible = np.arange(n0, len(counts) - n1 + 1)
    placebo_p = math.nan
    if len(feasible) >= 20:
        rng = np.random.default_rng(seed)
        at = rng.choice(feasible, n_placebo_dates)
        b = cum[at] - cum[at - n0]
        a = cum[at + n1] - cum[at]
        with np.errstate(invalid="ignore", divide="ignore"):
            d = 0.5 * np.abs(a / a.sum(1, keepdims=True) - b / b.sum(1, keepdims=True)).sum(1)
        d = d[np.isfinite(d)]
        placebo_p = (1 + int((d >= tvd).sum())) / (1 + len(d))
    return Displacement(table.reset_index(names=c.PN_GROUP), tvd, chi2_p, placebo_p, n0, n1)


# --- Readable tables for rendered reports ------------------------------------------------------
