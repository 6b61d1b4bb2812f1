"""Placebo (permutation) inference for one ceasefire: the same estimate in pseudo-windows.

Design (what a reviewer should know)
------------------------------------
* **Candidates are enumerated, never drawn.** A pseudo-window is a block with the real one's
  layout (pre window, gap, during window). Blocks are placed left to right on the series,
  each starting at the first day after the previous block where the whole block is
  admissible (greedy earliest-end placement, which packs the most non-overlapping blocks).
  A block is admissible when none of its days lies inside the real block or inside any
  ceasefire period of the table given (:func:`analysis.windows.ceasefire_periods`): on
  2018-2023 Myanmar data most days lie inside some ceasefire, and "no ceasefire" dates
  inside one are no placebo.
* **Honest resolution.** Overlapping pseudo-windows drawn with replacement look like 999
  placebos while persistent series hold only a few independent windows; p = 0.001 from 98
  overlapping candidates is impossible here. p = (1 + #candidates at least as extreme) /
  (1 + #candidates); ``resolution`` = 1 / (1 + #candidates) is reported beside it. A
  two-sided p cannot go below 2 / (1 + #candidates), so fewer than
  :data:`MIN_PLACEBO_WINDOWS` candidates give status ``coarse`` (the p-value is still given).
  With 90 + 60-day windows, 39 non-overlapping blocks need about 16 years of data.
* **Two-sided rank statistic.** The observed log ratio of means is ranked among the
  candidates' (two tails, the smaller doubled, capped at 1), so an off-centre placebo
  distribution (a series that usually rises) does not hide a change in either direction.
* **Ties in random order.** Counts are discrete: a zero-during ceasefire ties with every
  zero-during pseudo-window, sparse windows share ratios. Tied values are put in one random
  order with the observed (seeded by ``seed``, so the p-value is reproducible), which gives the
  exact rank level 2 * floor(0.025 (1 + n)) / (1 + n) under exchangeability; counting ties as
  "as extreme" in both tails would make the test conservative. Pseudo-windows with no events
  in their pre window are left out, as the observed estimate needs pre events too.
* **Where size is still lost.** The rank is exact only if the real window is exchangeable with
  the pseudo-windows. On the validation DGPs it is not quite: a date chosen after a spike pins
  the state at the boundary, and a late window on a rising series has more events (less
  noise), so the observed statistic is less spread than the placebos' and the test is
  conservative (size 0.001-0.061 at 0.05, lowest for the matched test after spikes; a random
  pseudo-window taken as the observed gives 0.043-0.061). README, "Validation", has the
  measurements.
* **Matched on the selection rule.** Ceasefires tend to be declared after spikes, so a pre
  window just before the declaration overstates the usual level (regression to the mean).
  ``match_pre_level=True`` adjusts for the pre window's level and trend (log mean, and log
  ratio of its second to its first half): the continuity-corrected log ratio is regressed on
  both over the observed and all candidate blocks together, and the observed studentised
  residual is ranked among the candidates' (full-conformal: the fit treats every block
  alike, so under the null the ranks stay exchangeable; studentising keeps a spike's high
  leverage from shrinking its own residual). A nearest-neighbour match would need candidates as
  extreme as a top-decile spike, which a few non-overlapping blocks rarely hold.
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
from analysis.status import (
    STATUS_COARSE,
    STATUS_NO_PLACEBO_ROOM,
    STATUS_NOTES,
    STATUS_OK,
    STATUS_ZERO_DURING,
)
from analysis.windows import Windows, ceasefire_periods, window_mask

MIN_PLACEBO_WINDOWS = 39
"""Fewest candidates with which a two-sided p-value can reach 0.05 (2 / (1 + 39)); fewer
give status ``coarse``."""


@dataclass(frozen=True)
class PlaceboResult(Result):
    """Permutation p-value of an estimate against the same estimate in pseudo-windows.

    ``n_placebos`` is the number of pseudo-windows used (candidates with events in their pre
    window, as the observed estimate needs), ``n_candidates`` the admissible non-overlapping
    blocks, ``n_dropped`` those left out among the ones kept (no events before them, a
    forecast that ran off, too little calibration for the primary's placebo; the note says
    which), ``resolution`` = 1 / (1 + n_placebos) the
    step of the p-value. Candidates beyond ``n_candidates - n_dropped - n_placebos`` were
    left out only to keep at most the cap, evenly spaced.
    ``candidate_windows`` lists the blocks used (pre_start, pre_end, during_start, during_end).
    """

    observed_log_rr: float
    p_value: float
    n_placebos: int
    n_candidates: int
    seed: int
    matched: bool
    status: str
    note: str
    resolution: float = math.nan
    n_dropped: int = 0
    placebo_log_rr: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    placebo_dates: pd.DatetimeIndex = field(
        default_factory=lambda: pd.DatetimeIndex([]), repr=False
    )
    candidate_windows: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict without the placebo values."""
        return {
            "observed_log_rr": self.observed_log_rr,
            "p_value": self.p_value,
            "resolution": self.resolution,
            "n_placebos": self.n_placebos,
            "n_candidates": self.n_candidates,
            "n_dropped": self.n_dropped,
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


def non_overlapping_starts(blocked: np.ndarray, block_days: int) -> np.ndarray:
    """First days of non-overlapping blocks of ``block_days`` avoiding every blocked day.

    Greedy from the left: each block starts at the first admissible day after the previous
    block ends, which places the most blocks (equal lengths: earliest end first is optimal).

    Parameters
    ----------
    blocked : numpy.ndarray
        Boolean, one element per day: True where no pseudo-window may lie.
    block_days : int
        Length of a block in days.

    Returns
    -------
    numpy.ndarray
        Start positions (int), increasing, each at least ``block_days`` after the previous.
    """
    n_days = len(blocked)
    if block_days <= 0 or n_days < block_days:
        return np.empty(0, dtype=int)
    cum = np.concatenate([[0], np.cumsum(blocked.astype(np.int64))])
    free = np.flatnonzero(cum[block_days:] - cum[:-block_days] == 0)
    starts = []
    position = 0
    while True:
        i = np.searchsorted(free, position)
        if i == len(free):
            break
        starts.append(int(free[i]))
        position = free[i] + block_days
    return np.asarray(starts, dtype=int)


def _tie_split(ties: int, rng: np.random.Generator | None) -> int:
    """How many of ``ties`` reference values tied with the observed rank below it: uniform on
    0..ties (a random order of the tied values, as if they had been continuous); without
    ``rng`` every tie counts against the observed in both tails (conservative)."""
    if rng is None or ties == 0:
        return ties
    return int(rng.integers(0, ties + 1))


def upper_rank_p(
    observed: float, reference: np.ndarray, rng: np.random.Generator | None = None
) -> float:
    """One-sided permutation p-value: (1 + #reference at least as large) / (1 + n).

    With ``rng``, values tied with ``observed`` are put in a random order with it (each tie
    falls on either side with the draw), which makes the p-value exactly uniform on
    {1, ..., n + 1} / (1 + n) when the observed and the reference values are exchangeable,
    however many ties there are. Without it every tie counts as at least as large.

    Parameters
    ----------
    observed : float
        The observed statistic (NaN gives NaN).
    reference : numpy.ndarray
        The statistic under each permutation or pseudo-window, without NaN.
    rng : numpy.random.Generator, optional
        Source of the tie order (seed it with the recorded seed so the p-value is reproducible).

    Returns
    -------
    float
        The p-value, never below 1 / (1 + len(reference)).
    """
    if math.isnan(observed):
        return math.nan
    above, ties = _above_and_ties(observed, reference)
    return (1 + above + _tie_split(ties, rng)) / (1 + len(reference))


def _above_and_ties(observed: float, reference: np.ndarray) -> tuple[int, int]:
    """Reference values strictly above ``observed`` and within rounding of it."""
    tolerance = 1e-12 * max(1.0, abs(observed)) if math.isfinite(observed) else 0.0
    above = int((reference > observed + tolerance).sum())
    below = int((reference < observed - tolerance).sum())
    return above, len(reference) - above - below


def two_sided_rank_p(
    observed: float, placebo: np.ndarray, rng: np.random.Generator | None = None
) -> float:
    """Two-sided permutation p-value of ``observed`` among ``placebo`` values by rank.

    Each tail counts the observed itself: (1 + #{placebo <= observed}) / (1 + n) and
    (1 + #{placebo >= observed}) / (1 + n); the smaller is doubled and capped at 1.
    Infinite values rank as the most extreme; NaN placebo values must be removed first.
    With ``rng`` the placebo values tied with the observed are first put in one random order
    with it (:func:`upper_rank_p`): j of the t ties go below it, t - j above, j uniform on
    0..t. The test then has its exact rank level 2 * floor(alpha (1 + n) / 2) / (1 + n) under
    exchangeability even for discrete counts (a zero-during ceasefire ties with every
    zero-during pseudo-window); without ``rng`` ties count against it in both tails.

    Parameters
    ----------
    observed : float
        The observed statistic.
    placebo : numpy.ndarray
        The statistic in each pseudo-window.
    rng : numpy.random.Generator, optional
        Source of the tie order.

    Returns
    -------
    float
        The p-value, never below 1 / (1 + len(placebo)); NaN when ``observed`` is NaN.
    """
    if math.isnan(observed):
        return math.nan
    n = len(placebo)
    above, ties = _above_and_ties(observed, placebo)
    below = n - above - ties
    tied_below = _tie_split(ties, rng)
    tied_above = ties if rng is None else ties - tied_below
    low = (1 + below + tied_below) / (1 + n)
    high = (1 + above + tied_above) / (1 + n)
    return min(1.0, 2 * min(low, high))


def _window_sums(cum: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    return cum[starts + length] - cum[starts]


def _adjusted_residuals(
    cum: np.ndarray, starts: np.ndarray, pre_len: int, offset: int, dur_len: int
) -> np.ndarray:
    """Studentised residuals of the continuity-corrected log ratio on the pre window's log
    level and trend, fitted over all blocks (the observed one first) together."""
    half = pre_len // 2
    first = _window_sums(cum, starts, half)
    second = _window_sums(cum, starts + half, pre_len - half)
    pre = first + second
    during = _window_sums(cum, starts + offset, dur_len)
    level = np.log((pre + 0.5) / pre_len)
    trend = np.log((second + 0.5) / (pre_len - half)) - np.log((first + 0.5) / half)
    ratio = np.log((during + 0.5) / dur_len) - level
    design = np.column_stack([np.ones(len(starts)), level, trend])
    coef, *_ = np.linalg.lstsq(design, ratio, rcond=None)
    # studentised: a block with an extreme baseline (the spike) pulls the fit toward itself,
    # which would shrink its own residual and make the test conservative
    leverage = np.einsum("ij,ij->i", design, design @ np.linalg.pinv(design.T @ design))
    return (ratio - design @ coef) / np.sqrt(np.clip(1 - leverage, 1e-9, None))


def placebo_test(
    series: pd.Series,
    windows: Windows,
    *,
    ceasefires: pd.DataFrame | None = None,
    open_ended_days: int = 90,
    n_placebos: int = 999,
    seed: int = 20250328,
    match_pre_level: bool = False,
) -> PlaceboResult:
    """Two-sided permutation p-value of the observed log rate ratio against the same
    statistic in every admissible non-overlapping pseudo-window of the series.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts (:func:`analysis.panel.daily_series`).
    windows : analysis.windows.Windows
        The real ceasefire's windows; pseudo-windows copy its pre / gap / during lengths.
    ceasefires : pandas.DataFrame, optional
        Rows of the CEASEFIRES table: no pseudo-window may touch any of their periods in force
        (:func:`analysis.windows.ceasefire_periods`). Pass the whole table.
    open_ended_days : int, default 90
        Days an open-ended ceasefire is taken to last when excluding its period.
    n_placebos : int, default 999
        Most pseudo-windows used; beyond it an evenly spaced subset of the candidates is kept.
    seed : int, default 20250328
        Seed of the random order given to pseudo-windows tied with the observed statistic
        (:func:`two_sided_rank_p`); candidates themselves are enumerated, not drawn.
    match_pre_level : bool, default False
        Adjust for the pre window's level and trend (the selection rule of ceasefires
        declared after spikes; module doc) before ranking.

    Returns
    -------
    PlaceboResult
        p = (1 + #as extreme) / (1 + n_placebos), its resolution, the candidate blocks and
        their log ratios. Status ``ok``; ``coarse`` with fewer than
        :data:`MIN_PLACEBO_WINDOWS` pseudo-windows (p given, but it cannot go below
        2 / (1 + n_placebos)); ``no_placebo_room`` with none (p NaN); or the observed
        estimate's own status when it cannot be made.
    """
    y_series = check_daily_series(series)
    y = y_series.to_numpy(dtype=float)
    origin = y_series.index[0]
    pre_len = (windows.pre_end - windows.pre_start).days + 1
    dur_len = (windows.during_end - windows.during_start).days + 1
    offset = (windows.during_start - windows.pre_start).days  # pre start -> during start
    block_days = offset + dur_len
    real_start = (windows.pre_start - origin).days
    real = log_ratio_from_windows(
        y,
        np.array([real_start]),
        np.array([pre_len]),
        np.array([(windows.during_start - origin).days]),
        np.array([dur_len]),
    ).iloc[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        # no events during: observed is -inf, tied only with pseudo-windows empty during
        observed = float(
            np.log(real["events_during"] / dur_len) - np.log(real["events_pre"] / pre_len)
        )
    blocked = np.zeros(len(y), dtype=bool)
    blocked[max(real_start, 0) : real_start + block_days] = True
    if ceasefires is not None and len(ceasefires):
        periods = ceasefire_periods(ceasefires, open_ended_days=open_ended_days)
        blocked |= window_mask(y_series.index, periods)
    starts = non_overlapping_starts(blocked, block_days)
    n_candidates = len(starts)
    base = dict(n_candidates=n_candidates, seed=seed, matched=match_pre_level)
    if real["status"] not in (STATUS_OK, STATUS_ZERO_DURING):
        return PlaceboResult(
            observed,
            math.nan,
            n_placebos=0,
            status=str(real["status"]),
            note="observed estimate unavailable: " + STATUS_NOTES.get(str(real["status"]), ""),
            **base,
        )
    if n_candidates > n_placebos:
        starts = starts[np.linspace(0, n_candidates - 1, n_placebos).round().astype(int)]
    cum = np.concatenate([[0.0], np.cumsum(y)])
    s0 = _window_sums(cum, starts, pre_len)
    s1 = _window_sums(cum, starts + offset, dur_len)
    with np.errstate(divide="ignore", invalid="ignore"):
        placebo = np.log(s1 / dur_len) - np.log(s0 / pre_len)
    # the observed estimate exists only with events in its pre window, so a pseudo-window
    # counts under the same condition (else its +inf would sit above any observed value)
    usable = s0 > 0
    starts, placebo = starts[usable], placebo[usable]
    n = len(starts)
    note = ""
    base["n_dropped"] = int((~usable).sum())
    if (~usable).sum():
        left_out = int((~usable).sum())
        note += (
            f"{left_out} pseudo-window{'s' if left_out > 1 else ''} with no events in the pre "
            "window left out. "
        )
    tie_order = np.random.default_rng(seed)
    if match_pre_level and n >= 3:
        residuals = _adjusted_residuals(
            cum, np.concatenate([[real_start], starts]), pre_len, offset, dur_len
        )
        p_value = two_sided_rank_p(float(residuals[0]), residuals[1:], tie_order)
        note += "log ratios adjusted for the pre window's level and trend before ranking. "
    else:
        if match_pre_level:
            note += "too few pseudo-windows to adjust for the pre window's level and trend. "
        p_value = two_sided_rank_p(observed, placebo, tie_order)
    day = pd.Timedelta(days=1)
    pre_starts = y_series.index[starts] if n else pd.DatetimeIndex([])
    candidate_windows = pd.DataFrame(
        {
            "pre_start": pre_starts,
            "pre_end": pre_starts + (pre_len - 1) * day,
            "during_start": pre_starts + offset * day,
            "during_end": pre_starts + (block_days - 1) * day,
            "log_rr": placebo,
        }
    )
    return ranked_result(
        observed,
        p_value,
        candidate_windows,
        note=note,
        no_room_note=_no_room_note(n_candidates, block_days),
        **base,
    )


def ranked_result(
    observed: float,
    p_value: float,
    candidate_windows: pd.DataFrame,
    *,
    note: str,
    no_room_note: str,
    **base: Any,
) -> PlaceboResult:
    """A placebo result from its ranked pseudo-windows, with the status their number allows.

    Parameters
    ----------
    observed : float
        The observed statistic.
    p_value : float
        Its rank p among the pseudo-windows (ignored when there are none).
    candidate_windows : pandas.DataFrame
        One row per pseudo-window used: pre_start, pre_end, during_start, during_end and the
        statistic as ``log_rr``.
    note : str
        What the caller has to say about the windows (left-out ones, adjustments).
    no_room_note : str
        The whole note when no pseudo-window was usable (replaces ``note``).
    **base
        ``n_candidates``, ``seed``, ``matched`` and ``n_dropped``, as recorded in
        :class:`PlaceboResult`.

    Returns
    -------
    PlaceboResult
        Status ``no_placebo_room`` (p NaN) without windows, ``coarse`` below
        :data:`MIN_PLACEBO_WINDOWS` (the note says how low p can go), ``ok`` otherwise.
    """
    n = len(candidate_windows)
    if n == 0:
        status, p_value, note = STATUS_NO_PLACEBO_ROOM, math.nan, no_room_note
    elif n < MIN_PLACEBO_WINDOWS:
        status = STATUS_COARSE
        note += (
            f"only {n} non-overlapping pseudo-window{'s' if n > 1 else ''} outside every "
            "ceasefire period: p "
            f"cannot go below {2 / (1 + n):.2g}."
        )
    else:
        status = STATUS_OK
    placebo = candidate_windows["log_rr"].to_numpy(dtype=float)
    return PlaceboResult(
        observed,
        p_value,
        n_placebos=n,
        status=status,
        note=note.strip(),
        resolution=1 / (1 + n),
        placebo_log_rr=placebo,
        placebo_dates=pd.DatetimeIndex(candidate_windows["during_start"]),
        candidate_windows=candidate_windows,
        **base,
    )


def _no_room_note(n_candidates: int, block_days: int) -> str:
    """Why no placebo comparison was made: no pseudo-window fits, or those that fit have no
    events before them (one message, never both)."""
    fix = "use a longer series or shorter windows."
    if n_candidates == 0:
        return (
            f"no {block_days}-day pseudo-window fits outside the ceasefire and every ceasefire "
            f"period, so no placebo comparison is possible: {fix}"
        )
    fits = (
        "one pseudo-window fits outside every ceasefire period but has no"
        if n_candidates == 1
        else f"{n_candidates} pseudo-windows fit outside every ceasefire period but none has"
    )
    return f"{fits} events in its pre window, so no placebo comparison is possible: {fix}"
