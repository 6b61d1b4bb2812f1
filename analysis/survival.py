"""How long ceasefires hold: Kaplan-Meier curves and a Cox model.

Breakdown is the first day, on or after the effective date (plus an optional grace period),
with at least ``min_events`` strikes on the ceasefire's counterparty. Ceasefires without a
breakdown are right-censored at the earlier of their end date and the end of the data.

Caveats: "first strike" is a strict definition (one event ends a truce, whoever started
it); GED keeps only fatal events; the counterparty series must be chosen by the analyst
(which actors count as the counterparty is a judgement, not in the data contract); with a
few dozen ceasefires the Cox model has little power and ties are common (Breslow).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight

from analysis import contract as c
from analysis.effects import check_daily_series

DURATION = "duration_days"
BROKE_DOWN = "broke_down"


def breakdown_table(
    ceasefires: pd.DataFrame,
    series: pd.Series | Mapping[str, pd.Series],
    *,
    min_events: int = 1,
    grace_days: int = 0,
) -> pd.DataFrame:
    """Duration until breakdown (or censoring) per ceasefire.

    ``series`` is one daily strike series shared by all ceasefires, or a mapping from
    ceasefire_id to that ceasefire's counterparty series. Columns added: start, censor_at,
    duration_days (days from start to breakdown or censoring, at least 1), broke_down,
    status ('ok', 'no_start_date', 'starts_outside_data', 'no_series').
    """
    table = ceasefires.reset_index(drop=True).copy()
    start = table[c.CF_EFFECTIVE_FROM].fillna(table[c.CF_DECLARED_ON]) + pd.Timedelta(
        days=grace_days
    )
    out = table.assign(start=start, censor_at=pd.NaT, **{DURATION: np.nan, BROKE_DOWN: False})
    out["status"] = "ok"
    if isinstance(series, pd.Series):
        _fill_breakdowns(out, out.index, series, min_events)
    else:
        for cf_id, group in out.groupby(c.CF_ID, sort=False):  # one pass per counterparty series
            if cf_id in series:
                _fill_breakdowns(out, group.index, series[cf_id], min_events)
            else:
                out.loc[group.index, "status"] = "no_series"
    out.loc[start.isna(), "status"] = "no_start_date"
    return out


def _fill_breakdowns(out: pd.DataFrame, rows: pd.Index, series: pd.Series, min_events: int) -> None:
    """First day with cumulative events >= min_events after each start, via searchsorted."""
    y = check_daily_series(series)
    idx = y.index
    cum = np.concatenate([[0.0], np.cumsum(y.to_numpy())])
    start = out.loc[rows, "start"]
    end_data = idx[-1]
    censor = out.loc[rows, c.CF_EFFECTIVE_TO].where(
        out.loc[rows, c.CF_EFFECTIVE_TO] <= end_data, end_data
    )
    censor = censor.fillna(end_data)
    inside = (start >= idx[0]) & (start <= end_data)
    pos = ((start - idx[0]).dt.days).to_numpy()
    pos = np.where(inside.to_numpy(), pos, 0).astype(np.int64)
    # cum[k] = events on days < k; breakdown day b is the first with cum[b+1] >= cum[pos] + m
    first = np.searchsorted(cum, cum[pos] + min_events, side="left") - 1
    first_day = pd.Series(pd.NaT, index=rows, dtype="datetime64[ns]")
    found = first < len(idx)
    first_day[found] = idx[np.minimum(first, len(idx) - 1)][found]
    broke = found & (first_day <= censor).to_numpy()
    end = first_day.where(broke, censor)
    out.loc[rows, "censor_at"] = censor
    out.loc[rows, BROKE_DOWN] = broke & inside.to_numpy()
    out.loc[rows, DURATION] = np.where(inside, (end - start).dt.days + 1, np.nan)
    out.loc[rows[~inside.to_numpy()], "status"] = "starts_outside_data"


def kaplan_meier(table: pd.DataFrame, by: str | None = None, level: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier survival (statsmodels SurvfuncRight) with pointwise log-log intervals,
    overall or per value of ``by``: columns group, time, survival, ci_low, ci_high, n_risk."""
    usable = table[(table["status"] == "ok") & table[DURATION].notna()]
    groups = usable.groupby(by) if by else [("all", usable)]
    frames = []
    for name, part in groups:  # one fit per group (a handful), not per ceasefire
        fit = SurvfuncRight(part[DURATION].to_numpy(float), part[BROKE_DOWN].to_numpy(int))
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
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _pointwise(fit: SurvfuncRight, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Log-log pointwise interval from Greenwood's standard errors."""
    from scipy import stats

    z = stats.norm.ppf(0.5 + level / 2)
    s = np.clip(fit.surv_prob, 1e-12, 1 - 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_loglog = fit.surv_prob_se / (s * np.abs(np.log(s)))
        low = s ** np.exp(z * se_loglog)
        high = s ** np.exp(-z * se_loglog)
    return np.nan_to_num(low, nan=0.0), np.nan_to_num(high, nan=1.0)


def median_survival(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Number of ceasefires, breakdowns and KM median duration (NaN if never below 0.5)."""
    km = kaplan_meier(table, by)
    below = km[km["survival"] <= 0.5].groupby("group")["time"].min()
    usable = table[(table["status"] == "ok") & table[DURATION].notna()]
    key = usable[by] if by else pd.Series("all", index=usable.index)
    counts = usable.groupby(key).agg(n=(DURATION, "size"), breakdowns=(BROKE_DOWN, "sum"))
    return counts.join(below.rename("median_days")).reset_index(names="group")


def cox_model(
    table: pd.DataFrame, covariates: tuple[str, ...] = (c.CF_KIND,), level: float = 0.95
) -> pd.DataFrame:
    """Cox proportional hazards (statsmodels PHReg, Breslow ties) on categorical covariates
    (dummy-coded, first level as reference): hazard ratio, interval and p-value per term."""
    usable = table[(table["status"] == "ok") & table[DURATION].notna()].reset_index(drop=True)
    design = pd.get_dummies(usable[list(covariates)].astype(str), drop_first=True, dtype=float)
    design = design.loc[:, design.std() > 0]
    if design.empty:
        raise ValueError(f"covariates {covariates} do not vary among the usable ceasefires")
    fit = PHReg(
        usable[DURATION].to_numpy(float),
        design.to_numpy(),
        status=usable[BROKE_DOWN].to_numpy(int),
        ties="breslow",
    ).fit()
    ci = np.exp(fit.conf_int(alpha=1 - level))
    return pd.DataFrame(
        {
            "term": design.columns,
            "hazard_ratio": np.exp(fit.params),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "p_value": fit.pvalues,
            "n": len(usable),
            "events": int(usable[BROKE_DOWN].sum()),
        }
    )
