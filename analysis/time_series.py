"""Interrupted time series and event study of one ceasefire: how the rate changes over time.

:func:`interrupted_time_series` fits a segmented NB2 regression (level and slope change at the
effective date); :func:`event_study` gives the rate ratio of each week around an anchor date,
the picture of pre-trends that a single before/during ratio cannot show.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.discrete_model import NegativeBinomial

from analysis.effects import EffectResult, day_of_week_dummies, fit_nb2
from analysis.ewc import block_ewc_cov
from analysis.panel import check_daily_series
from analysis.results import Result
from analysis.status import STATUS_NO_PRE, STATUS_NOTES, STATUS_OK, STATUS_ZERO_DURING
from analysis.windows import WindowOutsideDataError, Windows


@dataclass(frozen=True)
class ITSResult(Result):
    """Interrupted time series: level change and slope change at the effective date."""

    level_ratio: EffectResult
    slope_ratio_per_30d: EffectResult
    note: str

    def to_dict(self) -> dict[str, Any]:
        out = {f"level_{k}": v for k, v in self.level_ratio.to_dict().items()}
        out.update({f"slope_{k}": v for k, v in self.slope_ratio_per_30d.to_dict().items()})
        out["note"] = self.note
        return out


def interrupted_time_series(
    series: pd.Series,
    windows: Windows,
    *,
    day_of_week: bool = True,
    seasonal: bool = False,
    level: float = 0.95,
) -> ITSResult:
    """Segmented NB2 regression over pre + during days: change in level at the effective
    date and change in slope (per 30 days), with day-of-week and optional annual harmonic
    controls. Interim days are excluded. Same EWC-by-phase sandwich as :func:`rate_ratio_nb`,
    with two degrees of freedom per phase spent on the within-phase trend.

    Caveat: with short windows the slope terms absorb much of the level change; read the
    level ratio together with the event study, not alone.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts covering the windows.
    windows : Windows
        The ceasefire's windows (:func:`analysis.windows.ceasefire_windows`).
    day_of_week : bool, default True
        Add day-of-week dummies.
    seasonal : bool, default False
        Add one annual harmonic (sine and cosine of the day of the year).
    level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    ITSResult
        level_ratio (multiplicative jump in the rate at the effective date, method 'its_level') and
        slope_ratio_per_30d (change of the trend, as a rate ratio per 30 days, method
        'its_slope_per_30d'), each an :class:`analysis.effects.EffectResult`, and a note. With no
        events in either window both are NaN with status 'no_pre_events' or 'zero_during'.

    Raises
    ------
    ValueError
        When ``series`` is not a gap-free non-negative daily series.
    """
    y_series = check_daily_series(series)
    pre = y_series.loc[windows.pre_start : windows.pre_end]
    dur = y_series.loc[windows.during_start : windows.during_end]
    y = np.concatenate([pre.to_numpy(), dur.to_numpy()])
    index = pre.index.append(dur.index)
    t = ((index - windows.during_start).days.to_numpy() / 30.0).astype(float)
    post = np.r_[np.zeros(len(pre)), np.ones(len(dur))]
    cols = [np.ones(len(y)), t, post, t * post]
    if day_of_week:
        cols.append(day_of_week_dummies(index))
    if seasonal:
        doy = 2 * np.pi * index.dayofyear.to_numpy() / 365.25
        cols += [np.sin(doy), np.cos(doy)]
    x = np.column_stack(cols)
    base = dict(
        n_pre=len(pre),
        n_during=len(dur),
        ceasefire_id=windows.ceasefire_id,
        events_pre=float(pre.sum()),
        events_during=float(dur.sum()),
    )
    if pre.sum() == 0 or dur.sum() == 0:
        status = STATUS_NO_PRE if pre.sum() == 0 else STATUS_ZERO_DURING
        empty = EffectResult(
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            status=status,
            note="segmented regression needs events in both windows.",
            method="its",
            **base,
        )
        return ITSResult(empty, empty, "not estimated: " + STATUS_NOTES[status])
    fit, fit_note = fit_nb2(y, x)
    blocks = [np.arange(len(pre)), np.arange(len(pre), len(y))]
    cov, dfs = block_ewc_cov(fit, blocks, absorbed=2)
    alpha_hat = float(fit.params[-1]) if len(fit.params) > x.shape[1] else 0.0
    out = []
    for j, method in ((2, "its_level"), (3, "its_slope_per_30d")):
        b, se, df = float(fit.params[j]), float(np.sqrt(cov[j, j])), float(dfs[j])
        tcrit = stats.t.ppf(0.5 + level / 2, df)
        out.append(
            EffectResult(
                math.exp(b),
                math.exp(b - tcrit * se),
                math.exp(b + tcrit * se),
                float(2 * stats.t.sf(abs(b) / se, df)),
                status=STATUS_OK,
                note=(fit_note + windows.note).strip(),
                method=method,
                df=df,
                dispersion=alpha_hat,
                **base,
            )
        )
    return ITSResult(
        out[0], out[1], "level ratio at the effective date and slope ratio per 30 days."
    )


def event_study(
    series: pd.Series,
    anchor: pd.Timestamp | str,
    *,
    weeks_before: int = 8,
    weeks_after: int = 12,
    reference_week: int = -1,
    hac_lags: int = 7,
    level: float = 0.95,
    within_data: bool = False,
) -> pd.DataFrame:
    """Rate ratio of each week relative to ``anchor`` (week 0 starts on the anchor day)
    against ``reference_week``, from one NB2 regression with week dummies.

    Pointwise intervals use Newey-West HAC with ``hac_lags`` lags (one week by default: the
    event study is a picture of pre-trends, not the headline estimate, and its per-week
    windows are too short for EWC). Weeks without data coverage raise an error.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts covering the weeks studied.
    anchor : pandas.Timestamp or str
        First day of week 0 (e.g. the effective date).
    weeks_before : int, default 8
        Weeks before the anchor (weeks -weeks_before .. -1).
    weeks_after : int, default 12
        Weeks from the anchor on (weeks 0 .. weeks_after - 1).
    reference_week : int, default -1
        The week every other week is compared with.
    hac_lags : int, default 7
        Newey-West lags, in days.
    level : float, default 0.95
        Confidence level of the pointwise intervals (normal critical value).
    within_data : bool, default False
        Keep only the whole weeks ``series`` covers (fewer than asked when the data start
        or end near the anchor) instead of raising; the reference week must still be covered.

    Returns
    -------
    pandas.DataFrame
        One row per week, sorted:

        * week: weeks from the anchor (0 = the week starting on the anchor day);
        * rate_ratio: rate of the week / rate of the reference week (1 for the reference, 0 for a
          week without events);
        * ci_low, ci_high: pointwise interval (1 for the reference, NaN for empty weeks);
        * events: events in the week.

    Raises
    ------
    analysis.windows.WindowOutsideDataError
        When the weeks are not covered by ``series``.
    ValueError
        When the reference week has no events, or ``series`` is not a valid daily series.
    """
    y_series = check_daily_series(series)
    anchor = pd.Timestamp(anchor)
    if within_data:
        covered_before = (anchor - y_series.index[0]).days // 7
        covered_after = ((y_series.index[-1] - anchor).days + 1) // 7
        weeks_before = max(min(weeks_before, covered_before), -reference_week)
        weeks_after = max(min(weeks_after, covered_after), 1)
    start = anchor - pd.Timedelta(weeks=weeks_before)
    end = anchor + pd.Timedelta(weeks=weeks_after) - pd.Timedelta(days=1)
    if start < y_series.index[0] or end > y_series.index[-1]:
        raise WindowOutsideDataError(
            f"event study {start.date()}..{end.date()} is outside the data "
            f"({y_series.index[0].date()}..{y_series.index[-1].date()})"
        )
    part = y_series.loc[start:end]
    week = ((part.index - anchor).days // 7).to_numpy()
    weeks = np.arange(-weeks_before, weeks_after)
    others = [w for w in weeks if w != reference_week]
    x = np.column_stack([np.ones(len(part))] + [(week == w).astype(float) for w in others])
    y = part.to_numpy()
    ref_total = y[week == reference_week].sum()
    if ref_total == 0:
        raise ValueError(
            f"the reference week {reference_week} has no events: choose another reference_week"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = NegativeBinomial(y, x, loglike_method="nb2").fit(
            disp=0, maxiter=300, cov_type="HAC", cov_kwds={"maxlags": hac_lags}
        )
    z = stats.norm.ppf(0.5 + level / 2)
    totals = pd.Series(y).groupby(week).sum()
    b = np.asarray(fit.params)[1 : len(others) + 1]
    se = np.asarray(fit.bse)[1 : len(others) + 1]
    empty = totals.reindex(others).to_numpy() == 0
    frame = pd.DataFrame(
        {
            "week": others,
            "rate_ratio": np.where(empty, 0.0, np.exp(b)),
            "ci_low": np.where(empty, np.nan, np.exp(b - z * se)),
            "ci_high": np.where(empty, np.nan, np.exp(b + z * se)),
            "events": totals.reindex(others).to_numpy(),
        }
    )
    ref = pd.DataFrame(
        {
            "week": [reference_week],
            "rate_ratio": [1.0],
            "ci_low": [1.0],
            "ci_high": [1.0],
            "events": [ref_total],
        }
    )
    return pd.concat([frame, ref]).sort_values("week").reset_index(drop=True)
