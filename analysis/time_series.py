"""Interrupted time series and event study of one ceasefire: how the rate changes over time.

:func:`interrupted_time_series` fits a segmented NB2 regression (level and slope change at the
effective date); :func:`event_study` gives the rate ratio of each week around an anchor date,
the picture of pre-trends that a single before/during ratio cannot show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.effects import EffectResult, day_of_week_dummies, fit_nb2
from analysis.ewc import block_ewc_cov
from analysis.panel import check_daily_series
from analysis.results import Result
from analysis.status import (
    STATUS_DEGENERATE,
    STATUS_NO_PRE,
    STATUS_NO_REFERENCE,
    STATUS_NOTES,
    STATUS_OK,
    STATUS_TOO_SHORT,
    STATUS_ZERO_DURING,
)
from analysis.windows import WindowOutsideDataError, Windows

MIN_ITS_WINDOW_DAYS = 42
"""Days each ITS window needs: a level and a slope per phase from fewer days leave ~1 df."""

MIN_ITS_DF = 4
"""Satterthwaite degrees of freedom below which the ITS intervals are not reported."""


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
        events in either window both are NaN with status 'no_pre_events' or 'zero_during'; with
        a window shorter than ``MIN_ITS_WINDOW_DAYS`` or fewer than ``MIN_ITS_DF`` degrees of
        freedom both are NaN with status 'too_short'.

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
    if min(len(pre), len(dur)) < MIN_ITS_WINDOW_DAYS:
        short = EffectResult(
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            status=STATUS_TOO_SHORT,
            note=f"segmented regression needs {MIN_ITS_WINDOW_DAYS} days in each window.",
            method="its",
            **base,
        )
        return ITSResult(short, short, "not estimated: " + STATUS_NOTES[STATUS_TOO_SHORT])
    fit, fit_note = fit_nb2(y, x)
    blocks = [np.arange(len(pre)), np.arange(len(pre), len(y))]
    cov, dfs = block_ewc_cov(fit, blocks, absorbed=2)
    if not np.isfinite(cov[2:4, 2:4]).all():
        # the model's scores are not finite (nearly every day without an event): no interval
        flat = EffectResult(
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            status=STATUS_DEGENERATE,
            note="the segmented regression's variance is not finite on so few events.",
            method="its",
            **base,
        )
        return ITSResult(flat, flat, "not estimated: " + flat.note)
    if min(dfs[2], dfs[3]) < MIN_ITS_DF:
        # an interval on ~1 degree of freedom (e.g. 0.002-480) is no estimate: say so
        short = EffectResult(
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            status=STATUS_TOO_SHORT,
            note=f"fewer than {MIN_ITS_DF} degrees of freedom for the level change.",
            method="its",
            df=float(dfs[2]),
            **base,
        )
        return ITSResult(short, short, "not estimated: " + STATUS_NOTES[STATUS_TOO_SHORT])
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


MIN_EVENT_STUDY_BASELINE_WEEKS = 16
"""Whole weeks before the event-study window needed to estimate the weekly persistence."""


def _weekly_ar1_covariance(weekly_log: np.ndarray) -> tuple[float, float, int]:
    """AR(1) with a linear trend fitted by OLS to weekly log counts: (phi, innovation var, df)."""
    n = len(weekly_log)
    x = np.column_stack([np.ones(n - 1), np.arange(1, n), weekly_log[:-1]])
    coef, *_ = np.linalg.lstsq(x, weekly_log[1:], rcond=None)
    resid = weekly_log[1:] - x @ coef
    df = n - 1 - x.shape[1]
    phi = float(np.clip(coef[2], 0.0, 0.98))
    return phi, float(resid @ resid / max(df, 1)), df


def event_study(
    series: pd.Series,
    anchor: pd.Timestamp | str,
    *,
    weeks_before: int = 8,
    weeks_after: int = 12,
    reference_week: int = -1,
    level: float = 0.95,
    within_data: bool = False,
    draws: int = 4000,
    seed: int = 0,
) -> pd.DataFrame:
    """Rate ratio of each week relative to ``anchor`` (week 0 starts on the anchor day)
    against ``reference_week``, with pointwise intervals, simultaneous (sup-t) bands and a
    joint pre-trend test.

    The point estimate is the ratio of weekly totals (what an NB2 regression on week dummies
    gives). Its variance comes from the series' own persistence: weekly log counts
    (log(y + 0.5)) of the whole weeks *before* the window are fitted by an AR(1) with a linear
    trend, and the implied stationary covariance gives Cov(log y_w - log y_ref) for every pair of
    weeks, so week-to-week drift of a persistent series widens the intervals (day-level HAC
    does not see it). Critical values are Student t on the AR fit's degrees of freedom; the
    sup-t band uses the quantile of max |t| simulated from that covariance (Montiel Olea &
    Plagborg-Møller 2019). The pre-trend test is an F test (Wald / number of pre weeks, with
    the AR fit's df) that all pre-anchor weeks other than the reference equal it.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts covering the weeks studied and, for the variance, at least
        ``MIN_EVENT_STUDY_BASELINE_WEEKS`` whole weeks before them.
    anchor : pandas.Timestamp or str
        First day of week 0 (e.g. the effective date).
    weeks_before : int, default 8
        Weeks before the anchor (weeks -weeks_before .. -1).
    weeks_after : int, default 12
        Weeks from the anchor on (weeks 0 .. weeks_after - 1).
    reference_week : int, default -1
        The week every other week is compared with.
    level : float, default 0.95
        Confidence level of the intervals and of the band.
    within_data : bool, default False
        Keep only the whole weeks ``series`` covers (fewer than asked when the data start
        or end near the anchor) instead of raising; the reference week must still be covered.
    draws : int, default 4000
        Normal draws for the sup-t critical value.
    seed : int, default 0
        Seed of those draws (the band is reproducible).

    Returns
    -------
    pandas.DataFrame
        One row per week, sorted:

        * week: weeks from the anchor (0 = the week starting on the anchor day);
        * rate_ratio: rate of the week / rate of the reference week (1 for the reference, 0 for a
          week without events, NaN for every week when the status is 'no_reference_events');
        * ci_low, ci_high: pointwise interval (1 for the reference, NaN for empty weeks or when
          the status is not 'ok');
        * band_low, band_high: simultaneous sup-t band over all weeks (same conventions);
        * events: events in the week;
        * status: 'ok'; 'too_short' when fewer than ``MIN_EVENT_STUDY_BASELINE_WEEKS`` weeks
          precede the window (ratios without intervals); or 'no_reference_events' when the
          reference week has no events (no ratios at all, the events are still given).

        ``attrs`` holds pretrend_f, pretrend_df1, pretrend_df2, pretrend_p (NaN unless 'ok' with a
        pre week besides the reference), band_critical_value and status.

    Raises
    ------
    analysis.windows.WindowOutsideDataError
        When the weeks are not covered by ``series``.
    ValueError
        When ``series`` is not a valid daily series.
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
    others = np.array([w for w in weeks if w != reference_week])
    totals = pd.Series(part.to_numpy()).groupby(week).sum()
    ref_total = float(totals.loc[reference_week])
    other_totals = totals.reindex(others).to_numpy()
    empty = other_totals == 0
    # a quiet reference week (common on low-intensity dyads) leaves every ratio undefined:
    # the weeks' events are still returned, with the status saying why there are no ratios
    log_rr = np.log(np.where(empty, 1.0, other_totals) / ref_total) if ref_total else np.nan

    baseline_weeks = (start - y_series.index[0]).days // 7
    status = STATUS_TOO_SHORT if baseline_weeks < MIN_EVENT_STUDY_BASELINE_WEEKS else STATUS_OK
    status = status if ref_total else STATUS_NO_REFERENCE
    nan = np.full(len(others), np.nan)
    ci_low, ci_high, band_low, band_high = nan, nan.copy(), nan.copy(), nan.copy()
    attrs: dict[str, float | str] = dict(
        pretrend_f=math.nan,
        pretrend_df1=math.nan,
        pretrend_df2=math.nan,
        pretrend_p=math.nan,
        band_critical_value=math.nan,
        status=status,
    )
    if status == STATUS_OK:
        base = y_series.loc[
            start - pd.Timedelta(weeks=baseline_weeks) : start - pd.Timedelta(days=1)
        ]
        base_weekly = base.to_numpy().reshape(baseline_weeks, 7).sum(axis=1)
        phi, innovation_var, df = _weekly_ar1_covariance(np.log(base_weekly + 0.5))
        gamma0 = innovation_var / (1 - phi**2)
        lag = np.abs(np.subtract.outer(others, others))
        to_ref = np.abs(others - reference_week)
        cov = gamma0 * (phi**lag - phi ** to_ref[:, None] - phi ** to_ref[None, :] + 1)
        se = np.sqrt(np.diag(cov))
        t_crit = stats.t.ppf(0.5 + level / 2, df)
        corr = cov / np.outer(se, se)
        rng = np.random.default_rng(seed)
        normal = rng.multivariate_normal(np.zeros(len(others)), corr, size=draws, method="eigh")
        chi = np.sqrt(rng.chisquare(df, size=draws) / df)
        sup_crit = float(np.quantile(np.abs(normal).max(axis=1) / chi, level))
        ci_low = np.where(empty, np.nan, np.exp(log_rr - t_crit * se))
        ci_high = np.where(empty, np.nan, np.exp(log_rr + t_crit * se))
        band_low = np.where(empty, np.nan, np.exp(log_rr - sup_crit * se))
        band_high = np.where(empty, np.nan, np.exp(log_rr + sup_crit * se))
        pre = others < 0
        if pre.any():
            # empty weeks enter the test through log(y + 0.5): a quiet week is evidence too
            cc = np.log((other_totals[pre] + 0.5) / (ref_total + 0.5))
            wald = float(cc @ np.linalg.solve(cov[np.ix_(pre, pre)], cc))
            df1 = int(pre.sum())
            attrs.update(
                pretrend_f=wald / df1,
                pretrend_df1=df1,
                pretrend_df2=df,
                pretrend_p=float(stats.f.sf(wald / df1, df1, df)),
            )
        attrs["band_critical_value"] = sup_crit
    frame = pd.DataFrame(
        {
            "week": others,
            "rate_ratio": np.where(empty & (ref_total > 0), 0.0, np.exp(log_rr)),
            "ci_low": ci_low,
            "ci_high": ci_high,
            "band_low": band_low,
            "band_high": band_high,
            "events": other_totals,
            "status": status,
        }
    )
    ref = pd.DataFrame(
        {
            "week": [reference_week],
            **dict.fromkeys(
                ("rate_ratio", "ci_low", "ci_high", "band_low", "band_high"),
                [1.0 if ref_total else math.nan],
            ),
            "events": [ref_total],
            "status": [status],
        }
    )
    out = pd.concat([frame, ref]).sort_values("week").reset_index(drop=True)
    out.attrs.update(attrs)
    return out
