"""Placebo (permutation) inference for one ceasefire: the same estimate at pseudo-dates.

Ceasefires tend to be declared after spikes, so a pre window just before the declaration
overstates the usual level and biases the ratio downward. :func:`placebo_test` compares the
estimate with the same estimate at pseudo-dates before the ceasefire; ``match_pre_level=True``
restricts pseudo-dates to ones whose pre window had a similar level (a "spike-matched"
placebo), which is the direct check for this bias.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.batch import log_ratio_from_windows
from analysis.panel import check_daily_series
from analysis.results import Result
from analysis.status import STATUS_NO_PLACEBO_ROOM, STATUS_NOTES, STATUS_OK, STATUS_ZERO_DURING
from analysis.windows import Windows


@dataclass(frozen=True)
class PlaceboResult(Result):
    """Permutation p-value of an estimate against the same estimate at pseudo-dates."""

    observed_log_rr: float
    p_value: float
    n_placebos: int
    n_candidates: int
    seed: int
    matched: bool
    status: str
    note: str
    placebo_log_rr: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    placebo_dates: pd.DatetimeIndex = field(
        default_factory=lambda: pd.DatetimeIndex([]), repr=False
    )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict without the placebo draws."""
        return {
            "observed_log_rr": self.observed_log_rr,
            "p_value": self.p_value,
            "n_placebos": self.n_placebos,
            "n_candidates": self.n_candidates,
            "seed": self.seed,
            "matched": self.matched,
            "status": self.status,
            "note": self.note,
            "placebo_q025": _quantile(self.placebo_log_rr, 0.025),
            "placebo_q975": _quantile(self.placebo_log_rr, 0.975),
        }


def _quantile(values: np.ndarray, q: float) -> float:
    finite = values[np.isfinite(values)]
    return float(np.quantile(finite, q)) if len(finite) else math.nan


def placebo_test(
    series: pd.Series,
    windows: Windows,
    *,
    n_placebos: int = 999,
    seed: int = 20250328,
    match_pre_level: bool = False,
    match_tolerance: float = 0.25,
    min_matches: int = 50,
) -> PlaceboResult:
    """Permutation p-value: the observed log ratio of means against the same statistic at
    ``n_placebos`` pseudo-dates drawn (with replacement, numpy Generator seeded by ``seed``)
    among all dates whose pseudo windows end before the real declaration.

    p = (1 + #{|placebo| >= |observed|}) / (1 + n_placebos). With ``match_pre_level`` only
    pseudo-dates whose pre-window mean lies within +-``match_tolerance`` (log scale) of the
    observed pre-window mean are used: a spike-matched placebo for regression to the mean;
    if fewer than ``min_matches`` qualify, the ``min_matches`` nearest are used (noted).
    The observed statistic is the ratio of means (the NB MLE without covariates).
    """
    y_series = check_daily_series(series)
    y = y_series.to_numpy()
    origin = y_series.index[0]
    pre_len = (windows.pre_end - windows.pre_start).days + 1
    dur_len = (windows.during_end - windows.during_start).days + 1
    offset = (windows.during_start - windows.pre_start).days  # pre start -> during start
    real = log_ratio_from_windows(
        y,
        np.array([(windows.pre_start - origin).days]),
        np.array([pre_len]),
        np.array([(windows.during_start - origin).days]),
        np.array([dur_len]),
    ).iloc[0]
    with np.errstate(divide="ignore"):
        # no events during: observed is -inf, matched only by placebo windows with zero too
        observed = float(
            np.log(real["events_during"] / dur_len) - np.log(real["events_pre"] / pre_len)
        )
    first = min(windows.declared, windows.effective)
    last_start = (first - origin).days - (offset + dur_len)
    candidates = np.arange(0, max(last_start + 1, 0))
    base = dict(n_placebos=n_placebos, seed=seed, matched=match_pre_level)
    if real["status"] not in (STATUS_OK, STATUS_ZERO_DURING):
        return PlaceboResult(
            observed,
            math.nan,
            n_candidates=len(candidates),
            status=str(real["status"]),
            note="observed estimate unavailable: " + STATUS_NOTES.get(str(real["status"]), ""),
            **base,
        )
    cum = np.concatenate([[0.0], np.cumsum(y)])
    note = ""
    if match_pre_level and len(candidates):
        pre_mean = (cum[candidates + pre_len] - cum[candidates]) / pre_len
        target = real["events_pre"] / pre_len
        with np.errstate(divide="ignore"):
            distance = np.abs(np.log(pre_mean) - np.log(target))
        close = distance <= match_tolerance
        if close.sum() < min_matches:
            nearest = np.argsort(distance, kind="stable")[:min_matches]
            close = np.zeros(len(candidates), dtype=bool)
            close[nearest] = True
            achieved = float(distance[nearest].max())
            note = (
                f"few pseudo-dates had a pre-window level as high as observed: the {min_matches} "
                f"closest were used (within {achieved:.2f} on the log scale). "
            )
        else:
            note = (
                f"pseudo-dates restricted to pre-window means within +-{match_tolerance} "
                "(log scale) of the observed. "
            )
        candidates = candidates[close]
    if len(candidates) < 20:
        return PlaceboResult(
            observed,
            math.nan,
            n_candidates=len(candidates),
            status=STATUS_NO_PLACEBO_ROOM,
            note=note + f"only {len(candidates)} feasible pseudo-dates before the ceasefire "
            "(need at least 20): use a longer series or shorter windows.",
            **base,
        )
    rng = np.random.default_rng(seed)
    draws = rng.choice(candidates, size=n_placebos, replace=True)
    s0 = cum[draws + pre_len] - cum[draws]
    s1 = cum[draws + offset + dur_len] - cum[draws + offset]
    with np.errstate(divide="ignore", invalid="ignore"):
        placebo = np.log((s1 / dur_len) / (s0 / pre_len))
    finite = np.isfinite(placebo)
    # a pseudo window with zero events in either window gives an infinite log ratio; it is
    # more extreme than any finite observation, so it counts as extreme
    extreme = (~finite & ~np.isnan(placebo)) | (finite & (np.abs(placebo) >= abs(observed) - 1e-12))
    extreme &= ~np.isnan(placebo)
    n_valid = int((~np.isnan(placebo)).sum())
    p = (1 + int(extreme.sum())) / (1 + n_valid)
    if n_valid < n_placebos:
        note += (
            f"{n_placebos - n_valid} pseudo-dates with no events in either window were dropped. "
        )
    if len(np.unique(draws)) < n_placebos / 2:
        note += (
            f"only {len(np.unique(draws))} distinct pseudo-dates: p-value resolution is limited. "
        )
    return PlaceboResult(
        observed,
        p,
        n_candidates=len(candidates),
        status=STATUS_OK,
        note=note.strip(),
        placebo_log_rr=placebo,
        placebo_dates=y_series.index[draws + offset],
        **base,
    )
