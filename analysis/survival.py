"""How long ceasefires hold: Kaplan-Meier curves, cumulative incidence and a Cox model.

Chain level (what notebook 04 uses): :func:`chain_subjects` makes one subject per extension
chain (extensions do not restart the clock), with delayed entry when the data start after the
chain, breakdown on the declared counterparts (``counterpart_ids``), expiry without a strike as
a competing outcome, and national 'all' declarations reported as not estimable;
:func:`cumulative_incidence` is an Aalen-Johansen estimator with delayed entry (statsmodels'
``CumIncidenceRight`` handles right censoring only); :func:`kaplan_meier` and
:func:`cox_model` use the entry times when present, and :func:`cox_model` reports
'separation' instead of a hazard ratio running off to 0 or infinity.

Caveats: "first strike" is a strict definition (one event ends a truce, whoever started
it); GED keeps only fatal events; which groups count as a truce's counterparts is the curated
``counterpart_ids`` column, a judgement of the curators; with a
few dozen ceasefires the Cox model has little power and ties are common (Breslow).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight

from analysis import contract as c
from analysis.status import STATUS_OK, STATUS_SEPARATION
from analysis.windows import chain_roots, collapse_chains, effective_start

DURATION = "duration_days"
BROKE_DOWN = "broke_down"
ENTRY = "entry_days"
OUTCOME = "outcome"
BREAKDOWN, EXPIRED, CENSORED = "breakdown", "expired", "censored"
NOT_ESTIMABLE_NATIONAL = "national_declaration"


def kaplan_meier(table: pd.DataFrame, by: str | None = None, level: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier survival (statsmodels SurvfuncRight) with pointwise log-log intervals,
    overall or per value of ``by``: columns group, time, survival, ci_low, ci_high, n_risk.

    Parameters
    ----------
    table : pandas.DataFrame
        Survival subjects, e.g. :func:`chain_subjects` (duration_days, broke_down, status and
        optionally entry_days; only rows with status 'ok' and a duration are used).
    by : str, optional
        Column to split by (e.g. 'broker_bloc'); one curve 'all' when None.
    level : float, default 0.95
        Confidence level of the pointwise intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group and distinct duration (empty when no row is usable):

        * group: the value of ``by`` ('all' without ``by``);
        * time: duration in days;
        * survival: Kaplan-Meier share of truces still holding after that day;
        * ci_low, ci_high: pointwise log-log interval (Greenwood standard errors);
        * n_risk: truces still at risk at that time.
    """
    usable = table[(table["status"] == "ok") & table[DURATION].notna()]
    groups = usable.groupby(by) if by else [("all", usable)]
    frames = []
    for name, part in groups:  # one fit per group (a handful), not per ceasefire
        entry = part[ENTRY].to_numpy(float) if ENTRY in part else None
        fit = SurvfuncRight(
            part[DURATION].to_numpy(float), part[BROKE_DOWN].to_numpy(int), entry=entry
        )
        low, high = _pointwise(fit, level)
        frames.append(
            pd.DataFrame(
                {
                    "group": name,
                    "time": fit.surv_times,
                    "survival": fit.surv_prob,
                    "ci_low": low,
                    "ci_high": high,
                    "n_risk": fit.n_risk,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["group", "time", "survival", "ci_low", "ci_high", "n_risk"])
    return pd.concat(frames, ignore_index=True)


def _pointwise(fit: SurvfuncRight, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Log-log pointwise interval from Greenwood's standard errors."""

    z = stats.norm.ppf(0.5 + level / 2)
    s = np.clip(fit.surv_prob, 1e-12, 1 - 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_loglog = fit.surv_prob_se / (s * np.abs(np.log(s)))
        low = s ** np.exp(z * se_loglog)
        high = s ** np.exp(-z * se_loglog)
    return np.nan_to_num(low, nan=0.0), np.nan_to_num(high, nan=1.0)


def median_survival(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Number of ceasefires, breakdowns and KM median duration (NaN if never below 0.5).

    Parameters
    ----------
    table : pandas.DataFrame
        Survival subjects, e.g. :func:`chain_subjects` (duration_days, broke_down, status and
        optionally entry_days; only rows with status 'ok' and a duration are used).
    by : str, optional
        Column to split by (e.g. 'broker_bloc'); one group 'all' when None.

    Returns
    -------
    pandas.DataFrame
        One row per group:

        * group: the value of ``by`` ('all' without ``by``);
        * n: truces used;
        * breakdowns: truces that broke down;
        * median_days: first time the survival curve reaches 0.5 or below (NaN when it never does:
          median not reached).
    """
    km = kaplan_meier(table, by)
    below = km[km["survival"] <= 0.5].groupby("group")["time"].min()
    usable = table[(table["status"] == "ok") & table[DURATION].notna()]
    key = usable[by] if by else pd.Series("all", index=usable.index)
    counts = usable.groupby(key).agg(n=(DURATION, "size"), breakdowns=(BROKE_DOWN, "sum"))
    return counts.join(below.rename("median_days")).reset_index(names="group")


def cox_model(
    table: pd.DataFrame,
    covariates: tuple[str, ...] = (c.CF_KIND,),
    level: float = 0.95,
    reference: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Cox proportional hazards (statsmodels PHReg, Breslow ties) on categorical covariates
    (dummy-coded): hazard ratio, interval and p-value per term. The reference level of a
    covariate is ``reference[covariate]`` when given (e.g. broker_bloc 'none': unbrokered
    truces), else its first level in sorted order.

    Parameters
    ----------
    table : pandas.DataFrame
        Survival subjects, e.g. :func:`chain_subjects` (duration_days, broke_down, status and
        optionally entry_days; only rows with status 'ok' and a duration are used).
    covariates : tuple of str, default ('kind',)
        Categorical columns of ``table``, dummy-coded against their reference level.
    level : float, default 0.95
        Confidence level of the hazard-ratio intervals.
    reference : mapping of str to str, optional
        Reference level per covariate (ignored when the level is absent).

    Returns
    -------
    pandas.DataFrame
        One row per dummy term that varies:

        * term: '<covariate>_<level>' (the level compared with the reference);
        * hazard_ratio: exp(coefficient); above 1 means breaking down sooner;
        * ci_low, ci_high: its ``level`` interval;
        * p_value: Wald p-value for a hazard ratio of 1;
        * n: truces used (same on every row);
        * events: breakdowns among them (same on every row);
        * status: 'ok', or 'separation' (NaN estimates) when a level or the reference has no
          breakdown, or the fit runs off (|log HR| > 10 or an infinite SE: monotone likelihood).

        With an ``entry_days`` column (chain subjects with delayed entry) the risk sets start
        at each subject's entry.

    Raises
    ------
    ValueError
        When no covariate varies among the usable ceasefires.
    """
    usable = table[(table["status"] == "ok") & table[DURATION].notna()].reset_index(drop=True)
    columns = {}
    for name in covariates:  # a couple of covariates
        values = usable[name].astype(str)
        levels = sorted(values.unique())
        ref = (reference or {}).get(name)
        if ref is not None and ref in levels:
            levels = [ref] + [v for v in levels if v != ref]
        columns[name] = pd.Categorical(values, categories=levels)
    design = pd.get_dummies(pd.DataFrame(columns), drop_first=True, dtype=float)
    design = design.loc[:, design.std() > 0]
    if design.empty:
        raise ValueError(f"covariates {covariates} do not vary among the usable ceasefires")
    events = usable[BROKE_DOWN].to_numpy(int)
    out = pd.DataFrame(
        {
            "term": design.columns,
            "hazard_ratio": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "p_value": np.nan,
            "n": len(usable),
            "events": int(events.sum()),
            "status": STATUS_SEPARATION,
        }
    )
    # separation: a level (or the reference) without breakdowns sends the partial likelihood's
    # maximum to infinity (HR 0 or infinite); other monotone cases are caught after the fit
    in_level = design.to_numpy() > 0
    reference_rows = ~in_level.any(1)
    groups = [*in_level.T, reference_rows]
    if any(events[g].sum() == 0 for g in groups):
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence is reported as the status below
        fit = PHReg(
            usable[DURATION].to_numpy(float),
            design.to_numpy(),
            status=events,
            entry=usable[ENTRY].to_numpy(float) if ENTRY in usable else None,
            ties="breslow",
        ).fit()
        se = np.asarray(fit.bse, dtype=float)
    if not np.all(np.isfinite(se)) or np.any(np.abs(fit.params) > 10):
        return out  # a numerically separated fit: hazard ratios beyond e^10 mean nothing here
    ci = np.exp(fit.conf_int(alpha=1 - level))
    return out.assign(
        hazard_ratio=np.exp(fit.params),
        ci_low=ci[:, 0],
        ci_high=ci[:, 1],
        p_value=fit.pvalues,
        status=STATUS_OK,
    )


# --- Chain-level survival: one subject per extension chain ------------------------------------


def chain_subjects(
    ceasefires: pd.DataFrame,
    events: pd.DataFrame,
    data_start: str | pd.Timestamp,
    data_end: str | pd.Timestamp,
    national_targets: tuple[str, ...] | list[str] = (),
) -> pd.DataFrame:
    """One survival subject per extension chain, with delayed entry and competing end.

    The clock starts at the chain's first effective date; extensions do not restart it. When
    the data start later, the chain enters the risk set at the data start (delayed entry, so
    it counts only for the days it was observed). Breakdown is the first event in ``events``
    (already restricted to the initiating side) on the chain's declared counterparts
    (``counterpart_ids`` of its first member with named ids). The chain's end date reached
    without a strike is a competing outcome ('expired'); still in force at the data end
    is censored.

    National declarations (``counterpart_ids`` 'all') address every armed group: with dozens
    of counterparts a first strike on any of them 'ends' the truce within days by
    construction, so they get status 'national_declaration' (not estimable) unless
    ``national_targets`` names a counterpart-specific set of targets for them.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    events : pandas.DataFrame
        A canonicalised EVENTS table (initiating side and strike definition applied).
    data_start, data_end : str or pandas.Timestamp
        First and last day the events cover.
    national_targets : tuple or list of str, default ()
        Targets standing for the counterparts of national declarations; empty: not estimable.

    Returns
    -------
    pandas.DataFrame
        One row per chain: ceasefire_id (the chain's first), chain_members, kind,
        broker_bloc, targets (';'-joined), start (first effective date), end_of_truce (last
        end, NaT if open-ended), entry_days (days from start to entering observation, 0
        without delay), duration_days (days from start to breakdown, expiry or censoring,
        counted from 1), outcome ('breakdown', 'expired', 'censored'), broke_down (bool),
        status ('ok', 'national_declaration', 'no_counterpart', 'no_start_date',
        'outside_data') and reason.
    """
    data_start, data_end = pd.Timestamp(data_start), pd.Timestamp(data_end)
    chains = collapse_chains(ceasefires)
    roots = chain_roots(ceasefires)
    named = ceasefires[c.CF_COUNTERPART_IDS].astype("string").fillna("").str.strip()
    # a chain's counterparts: the first member (by effective date) that names any
    order = effective_start(ceasefires).sort_values(kind="stable").index
    per_member = pd.DataFrame(
        {"root": roots.to_numpy()[order], "ids": named.to_numpy()[order]}, index=order
    )
    targets = per_member[per_member["ids"] != ""].groupby("root")["ids"].first()
    start = pd.to_datetime(chains[c.CF_EFFECTIVE_FROM])
    end = pd.to_datetime(chains[c.CF_EFFECTIVE_TO])
    ids = chains[c.CF_ID].map(targets).fillna("")
    national = ids == c.COUNTERPARTS_ALL
    ids = ids.mask(national, c.LIST_SEPARATOR.join(national_targets))
    out = pd.DataFrame(
        {
            c.CF_ID: chains[c.CF_ID],
            "chain_members": chains["chain_members"],
            c.CF_KIND: chains[c.CF_KIND],
            c.CF_BROKER_BLOC: chains[c.CF_BROKER_BLOC],
            "targets": ids,
            "start": start,
            "end_of_truce": end,
        }
    )
    entry = np.maximum((data_start - start).dt.days, 0)
    stop = end.where(end.notna() & (end <= data_end), data_end)
    first = _first_strikes(events, out, data_start, data_end)
    broke = first.notna() & (first <= stop)
    exit_day = first.where(broke, stop)
    outcome = pd.Series(CENSORED, index=out.index).mask(end.notna() & (end <= data_end), EXPIRED)
    out[ENTRY] = entry
    out[DURATION] = (exit_day - start).dt.days + 1
    out[OUTCOME] = outcome.mask(broke, BREAKDOWN)
    out[BROKE_DOWN] = broke
    status = pd.Series(STATUS_OK, index=out.index)
    reason = pd.Series("", index=out.index)
    checks = [
        (ids == "", "no_counterpart", "counterpart_ids names no group"),
        (
            national & (ids == ""),
            NOT_ESTIMABLE_NATIONAL,
            "national declaration to every armed group: no counterpart-specific breakdown",
        ),
        (
            (end < data_start) | (start > data_end),
            "outside_data",
            "the chain ends before or starts after the data",
        ),
        (start.isna(), "no_start_date", "no effective or declaration date"),
    ]
    for mask, code, text in checks:  # later checks take precedence
        status, reason = status.mask(mask, code), reason.mask(mask, text)
    out["status"], out["reason"] = status, reason
    out.loc[status != STATUS_OK, [DURATION, ENTRY]] = np.nan
    out.loc[status != STATUS_OK, BROKE_DOWN] = False
    out.loc[status != STATUS_OK, OUTCOME] = ""
    return out


def _first_strikes(
    events: pd.DataFrame, subjects: pd.DataFrame, data_start: pd.Timestamp, data_end: pd.Timestamp
) -> pd.Series:
    """First day with an event on each subject's targets, from max(start, data start) on."""
    dates = pd.to_datetime(events[c.EV_DATE])
    hit = events[c.EV_EVENTS].fillna(0).to_numpy(float) > 0
    first = pd.Series(pd.NaT, index=subjects.index, dtype="datetime64[ns]")
    for i, row in subjects.iterrows():  # a few dozen chains
        chosen = [t for t in str(row["targets"]).split(c.LIST_SEPARATOR) if t]
        begin = max(row["start"], data_start) if pd.notna(row["start"]) else pd.NaT
        if not chosen or pd.isna(begin):
            continue
        on = hit & events[c.EV_TARGET].isin(chosen).fillna(False).to_numpy()
        days = dates[on & (dates >= begin).to_numpy() & (dates <= data_end).to_numpy()]
        if len(days):
            first[i] = days.min()
    return first


def cumulative_incidence(subjects: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of breakdown and of expiry, with delayed entry.

    statsmodels' ``CumIncidenceRight`` handles right censoring only, so this small estimator
    adds left truncation: at each time t with an outcome, the risk set is the subjects with
    entry_days < t <= duration_days; the overall survival S(t) is the product-limit over both
    outcomes, and each cause's incidence grows by S(t-) x (its outcomes at t) / (at risk at t).
    Without delayed entry it equals ``CumIncidenceRight``.

    Parameters
    ----------
    subjects : pandas.DataFrame
        The output of :func:`chain_subjects` (rows with status 'ok').
    by : str, optional
        Column to split by (e.g. 'broker_bloc'); one group 'all' when None.

    Returns
    -------
    pandas.DataFrame
        One row per group and outcome time: group, time, n_risk, breakdown (cumulative
        incidence of a strike on the counterparts), expired (cumulative incidence of ending
        without one), survival (neither yet).
    """
    usable = subjects[(subjects["status"] == STATUS_OK) & subjects[DURATION].notna()]
    groups = usable.groupby(by) if by else [("all", usable)]
    frames = []
    for name, part in groups:  # a handful of blocs
        time = part[DURATION].to_numpy(float)
        entry = part[ENTRY].to_numpy(float) if ENTRY in part else np.zeros(len(part))
        kind = part[OUTCOME].to_numpy()
        rows, surv, cif = [], 1.0, {BREAKDOWN: 0.0, EXPIRED: 0.0}
        for t in np.unique(time[kind != CENSORED]):  # distinct outcome times
            at_risk = int(((entry < t) & (time >= t)).sum())
            counts = {k: int(((time == t) & (kind == k)).sum()) for k in cif}
            for k in cif:
                cif[k] += surv * counts[k] / at_risk
            surv *= 1 - sum(counts.values()) / at_risk
            rows.append({"group": name, "time": t, "n_risk": at_risk, **cif, "survival": surv})
        frames.append(pd.DataFrame(rows, columns=["group", "time", "n_risk", *cif, "survival"]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
