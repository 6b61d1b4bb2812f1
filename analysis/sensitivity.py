"""How much the answers depend on dates that sources dispute, and published counts side by side.

The curated rows keep one default date per field (chosen by the rule in ``data/README.md``);
``data/curated/date_claims.csv`` keeps every date a source gives, one row per source
(:func:`analysis.sources.curated.load_date_claims`). This module re-runs analyses with the
default replaced by the claims:

1. :func:`effect_under_claims`: one ceasefire's rate ratio (the NB2 estimate of
   :func:`analysis.effects.rate_ratio_nb`, as notebook 02 computes it) under every combination
   of the dates sources give for it (its chain's rows with ``chain=True``).
2. :func:`timing_under_claims`: notebook 03's timing permutation test re-run with dates drawn
   from the claims (one claim per disputed field, uniformly, seeded), counting per bloc how
   often the conclusion "p below ``alpha``" holds. Every draw uses the same random date sets
   (the test's own ``seed``), so the draws differ only in the dates of the claims.
3. :func:`counts_beside`: one published count next to the other monitors' counts for the
   same weeks, each labelled with what it counted. Nothing is added up: counts of different
   measures count different things, and overlapping periods re-count the same strikes.

Replacing a date also replaces its precision where the table has a precision column
(``contract.CLAIM_PRECISION_FIELDS``); a diplomatic event whose ``date_start`` moves keeps its
length (``date_end`` moves with it) unless a claim gives its end too, and loses its end when
the claimed start is known only to the week or month (as month-precision rows in the file).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis.effects import rate_ratio_nb
from analysis.formatting import format_number
from analysis.reported import DAYS, PER_DAY, daily_rates
from analysis.results import Result
from analysis.status import STATUS_NO_DATES, STATUS_OUTSIDE
from analysis.timing import (
    declaration_dates,
    select_calendar,
    timing_permutation_test,
)
from analysis.windows import (
    WindowOutsideDataError,
    ceasefire_windows,
    chain_members,
    select_ceasefire,
)

DEFAULT_DATE_DRAWS = 200
"""Draws of claim combinations for :func:`timing_under_claims` when none is given."""

BUNDLED = "bundled dates"
"""Label of the scenario that uses the curated rows' own dates."""

SHARED_DAYS = "shared_days"
SAME_PERIOD = "same_period"
IS_ANCHOR = "is_anchor"


def _group_keys() -> list[str]:
    return [c.DC_TABLE, c.DC_ROW_ID, c.DC_FIELD]


def with_claims(table: pd.DataFrame, table_name: str, claims: pd.DataFrame) -> pd.DataFrame:
    """A copy of a curated table with the given claims' dates in place of its own.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of the CEASEFIRES or DIPLOMATIC_EVENTS table.
    table_name : {'ceasefires', 'diplomatic_events'}
        Which table it is; claims about the other table are ignored.
    claims : pandas.DataFrame
        Rows of the DATE_CLAIMS table, at most one per row and field.

    Returns
    -------
    pandas.DataFrame
        The table with each claimed field (and its precision column, where there is one) set
        to the claim's value; a moved diplomatic ``date_start`` carries ``date_end`` with it.

    Raises
    ------
    ValueError
        When two claims name the same row and field, or a claim names a row not in ``table``.
    """
    mine = claims[claims[c.DC_TABLE] == table_name]
    doubled = mine.duplicated([c.DC_ROW_ID, c.DC_FIELD], keep=False)
    if doubled.any():
        raise ValueError(
            f"one claim per row and field at a time; got {mine.loc[doubled, c.DC_ID].tolist()}"
        )
    out = table.copy()
    position = pd.Series(out.index, index=out[c.CLAIM_ROW_IDS[table_name]].astype(str))
    missing = sorted(set(mine[c.DC_ROW_ID]) - set(position.index))
    if missing:
        raise ValueError(f"claims name row(s) {missing} that are not in the {table_name} table")
    ends_claimed = set(mine.loc[mine[c.DC_FIELD] == c.DE_DATE_END, c.DC_ROW_ID])
    for claim in mine.itertuples(index=False):
        row_id, field = getattr(claim, c.DC_ROW_ID), getattr(claim, c.DC_FIELD)
        date, precision = getattr(claim, c.DC_DATE), getattr(claim, c.DC_PRECISION)
        at = position[row_id]
        old = out.at[at, field]
        out.at[at, field] = date
        precision_column = c.CLAIM_PRECISION_FIELDS.get((table_name, field))
        if precision_column:
            out.at[at, precision_column] = precision
        moves_event = table_name == "diplomatic_events" and field == c.DE_DATE_START
        if moves_event and row_id not in ends_claimed and pd.notna(out.at[at, c.DE_DATE_END]):
            out.at[at, c.DE_DATE_END] = (
                out.at[at, c.DE_DATE_END] + (date - old) if precision == "day" else pd.NaT
            )
    return out


def claim_combinations(claims: pd.DataFrame) -> list[pd.DataFrame]:
    """Every way of picking one claim per claimed row and field.

    Parameters
    ----------
    claims : pandas.DataFrame
        Rows of the DATE_CLAIMS table.

    Returns
    -------
    list of pandas.DataFrame
        One claims table per combination (one row per claimed field), in a fixed order:
        fields sorted by table, row and field, claims by claim_id.
    """
    if claims.empty:
        return []
    ordered = claims.sort_values([*_group_keys(), c.DC_ID])
    groups = [group for _, group in ordered.groupby(_group_keys(), sort=True)]
    return [
        pd.DataFrame([group.iloc[i] for group, i in zip(groups, picks, strict=True)])
        for picks in itertools.product(*(range(len(group)) for group in groups))
    ]


# --- 1. one ceasefire's effect under each date sources give -------------------------------------


@dataclass(frozen=True)
class DateSensitivity(Result):
    """A ceasefire's rate ratio under its bundled dates and every combination of claims.

    Attributes
    ----------
    ceasefire_id : str
        The ceasefire (the chain root with ``chain=True``).
    n_scenarios : int
        Rows of ``table``: the bundled dates plus one per claim combination.
    estimate_min, estimate_max : float
        Lowest and highest estimate across the rows that have one.
    sentence : str
        "The estimate ranges from X to Y across the dates sources give (...)".
    table : pandas.DataFrame
        One row per scenario: scenario (label), claim_ids (';'-joined, blank for the bundled
        dates), declared, effective (the windows' dates), estimate, ci_low, ci_high, p_value,
        events_pre, events_during, n_pre, n_during, status, same_as_bundled (the windows equal
        those of the bundled dates).
    claims : pandas.DataFrame
        The DATE_CLAIMS rows about the ceasefire (its chain's rows with ``chain=True``).
    """

    ceasefire_id: str
    n_scenarios: int
    estimate_min: float
    estimate_max: float
    sentence: str
    table: pd.DataFrame
    claims: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """The range of the estimate and its sentence (the ceasefire is a notebook parameter)."""
        return {
            "n_scenarios": self.n_scenarios,
            "n_claims": len(self.claims),
            "estimate_min": self.estimate_min,
            "estimate_max": self.estimate_max,
            "sentence": self.sentence,
        }


EFFECT_COLUMNS = [
    "scenario",
    "claim_ids",
    "declared",
    "effective",
    "pre_start",
    "during_end",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "events_pre",
    "events_during",
    "n_pre",
    "n_during",
    "status",
]


def _effect_row(
    series: pd.Series, ceasefires: pd.DataFrame, ceasefire_id: str, options: dict[str, Any]
) -> dict[str, Any]:
    window_options = {k: options[k] for k in ("pre_days", "gap", "max_during_days")}
    row = select_ceasefire(ceasefires, ceasefire_id, chain=options["chain"])
    try:
        windows = ceasefire_windows(row, series, **window_options)
    except WindowOutsideDataError:
        return {"status": STATUS_OUTSIDE}
    except ValueError:  # neither declared_on nor effective_from
        return {"status": STATUS_NO_DATES}
    during = rate_ratio_nb(
        series, windows, day_of_week=options["day_of_week"], level=options["level"]
    ).during
    return {
        "declared": windows.declared,
        "effective": windows.effective,
        "pre_start": windows.pre_start,
        "during_end": windows.during_end,
        **{
            key: getattr(during, key)
            for key in (
                "estimate",
                "ci_low",
                "ci_high",
                "p_value",
                "events_pre",
                "events_during",
                "n_pre",
                "n_during",
                "status",
            )
        },
    }


def effect_under_claims(
    series: pd.Series,
    ceasefires: pd.DataFrame,
    claims: pd.DataFrame,
    ceasefire_id: str,
    *,
    pre_days: int = 90,
    gap: str = "exclude",
    max_during_days: int = 180,
    chain: bool = False,
    day_of_week: bool = False,
    level: float = 0.95,
) -> DateSensitivity:
    """The ceasefire's rate ratio under its bundled dates and under each date sources give.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts (:func:`analysis.panel.daily_series`).
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    claims : pandas.DataFrame
        Rows of the DATE_CLAIMS table; those about the ceasefire (its chain's rows with
        ``chain=True``) are used.
    ceasefire_id : str
        The ceasefire to estimate.
    pre_days, gap, max_during_days, chain, day_of_week, level
        As in :func:`analysis.effects.estimate_ceasefire_effect` (no placebos are drawn).

    Returns
    -------
    DateSensitivity
        The table of scenarios, the range of the estimate and the sentence stating it.

    Raises
    ------
    KeyError
        When ``ceasefire_id`` is not in ``ceasefires``.
    """
    options = dict(
        pre_days=pre_days,
        gap=gap,
        max_during_days=max_during_days,
        chain=chain,
        day_of_week=day_of_week,
        level=level,
    )
    root = str(select_ceasefire(ceasefires, ceasefire_id, chain=chain)[c.CF_ID].iloc[0])
    rows_used = chain_members(ceasefires, ceasefire_id) if chain else [ceasefire_id]
    mine = claims[(claims[c.DC_TABLE] == "ceasefires") & claims[c.DC_ROW_ID].isin(rows_used)]
    rows = [
        {"scenario": BUNDLED, "claim_ids": "", **_effect_row(series, ceasefires, root, options)}
    ]
    for number, combination in enumerate(claim_combinations(mine), start=1):
        table = with_claims(ceasefires, "ceasefires", combination)
        rows.append(
            {
                "scenario": f"claims {number}",
                "claim_ids": c.LIST_SEPARATOR.join(combination[c.DC_ID]),
                **_effect_row(series, table, root, options),
            }
        )
    out = pd.DataFrame(rows).reindex(columns=EFFECT_COLUMNS)
    windows = ["declared", "effective", "pre_start", "during_end"]
    for column in windows:
        out[column] = pd.to_datetime(out[column])
    out["same_as_bundled"] = (out[windows] == out.loc[0, windows]).all(axis=1)
    out = out.drop(columns=["pre_start", "during_end"])
    estimates = pd.to_numeric(out["estimate"], errors="coerce").dropna()
    low = float(estimates.min()) if len(estimates) else math.nan
    high = float(estimates.max()) if len(estimates) else math.nan
    return DateSensitivity(
        root, len(out), low, high, _range_sentence(low, high, out, level), out, mine
    )


def _range_sentence(low: float, high: float, table: pd.DataFrame, level: float) -> str:
    claimed = len(table) - 1
    if math.isnan(low):
        return "No estimate could be made under any of the dates sources give."
    lowest, highest = table["ci_low"].min(), table["ci_high"].max()
    intervals = (
        f"its {level:.0%} intervals span {format_number(lowest)} to {format_number(highest)}"
    )
    if claimed == 0:
        return (
            f"No source in the date claims gives another date for this ceasefire: the "
            f"estimate is {format_number(low)} and {intervals}."
        )
    return (
        f"The estimate ranges from {format_number(low)} to {format_number(high)} across the "
        f"dates sources give (the bundled dates and {claimed} combinations of claimed dates); "
        f"{intervals}."
    )


# --- 2. the timing test with dates drawn from the claims ----------------------------------------


@dataclass(frozen=True)
class TimingSensitivity(Result):
    """The timing permutation test re-run with dates drawn from the claims.

    Attributes
    ----------
    n_draws : int
        Draws of one claim per claimed field.
    n_combinations : int
        Distinct combinations of claims that exist.
    alpha : float
        The threshold of the conclusion ("p below alpha").
    seed : int
        Seed of the draws (and of the test's random date sets).
    summary : pandas.DataFrame
        One row per bloc: bloc, bundled_p_value, bundled_significant (p < alpha with the bundled
        dates), n_draws, draws_significant, share_significant, share_same_conclusion (draws
        whose conclusion equals the bundled one), p_min, p_max.
    draws : pandas.DataFrame
        One row per draw and bloc: draw, bloc, n_dates, p_value, significant.
    choices : pandas.DataFrame
        One row per draw and claimed field: draw and the claim_id drawn.
    """

    n_draws: int
    n_combinations: int
    alpha: float
    seed: int
    summary: pd.DataFrame
    draws: pd.DataFrame
    choices: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Draw counts and, per bloc, the share of draws that keep the bundled conclusion."""
        out: dict[str, Any] = {
            "n_draws": self.n_draws,
            "n_combinations": self.n_combinations,
            "alpha": self.alpha,
        }
        for row in self.summary.itertuples(index=False):
            out[f"{row.bloc}_share_significant"] = row.share_significant
            out[f"{row.bloc}_share_same_conclusion"] = row.share_same_conclusion
            out[f"{row.bloc}_p_min"] = row.p_min
            out[f"{row.bloc}_p_max"] = row.p_max
        return out


def timing_under_claims(
    ceasefires: pd.DataFrame,
    diplomatic: pd.DataFrame,
    claims: pd.DataFrame,
    *,
    study_start: str | pd.Timestamp,
    study_end: str | pd.Timestamp,
    blocs: list[str] | tuple[str, ...],
    declarer_side: str = "",
    day_precision_only: bool = True,
    chain: bool = False,
    max_event_days: int | None = 31,
    n_permutations: int = 9999,
    seed: int = 20250328,
    n_draws: int = DEFAULT_DATE_DRAWS,
    alpha: float = 0.05,
) -> TimingSensitivity:
    """Notebook 03's timing test under dates drawn from the claims, per bloc.

    Each draw picks one claim per claimed field (uniformly, so a date given by two sources is
    twice as likely as one given by one), puts the drawn dates into both tables, selects the
    declarations and the calendar as notebook 03 does (:func:`analysis.timing.
    declaration_dates`, :func:`analysis.timing.select_calendar`, the study window) and runs
    :func:`analysis.timing.timing_permutation_test` with the same ``seed``.

    Parameters
    ----------
    ceasefires, diplomatic : pandas.DataFrame
        Rows of the CEASEFIRES and DIPLOMATIC_EVENTS tables.
    claims : pandas.DataFrame
        Rows of the DATE_CLAIMS table.
    study_start, study_end : str or pandas.Timestamp
        The study window (inclusive).
    blocs : list or tuple of str
        Blocs to test.
    declarer_side, day_precision_only, chain
        Declaration filters, as in :func:`analysis.timing.declaration_dates` (empty side = all).
    max_event_days : int or None, default 31
        As in :func:`analysis.timing.select_calendar`.
    n_permutations : int, default 9999
        Random date sets of each test.
    seed : int, default 20250328
        Seed of the draws and of each test's random date sets.
    n_draws : int, default DEFAULT_DATE_DRAWS
        Claim combinations drawn.
    alpha : float, default 0.05
        A bloc's conclusion is "closer than chance" when its p-value is below ``alpha``.

    Returns
    -------
    TimingSensitivity
        Per-bloc summary, every draw's p-values and the claims drawn.

    Raises
    ------
    ValueError
        For ``n_draws`` below 1, or (from the timing test) when no declaration lies in the
        study window.
    """
    if n_draws < 1:
        raise ValueError(f"n_draws must be at least 1, got {n_draws}")
    start, end = pd.Timestamp(study_start), pd.Timestamp(study_end)

    def inputs(cf: pd.DataFrame, dip: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
        dates = declaration_dates(
            cf, declarer_side=declarer_side, day_precision_only=day_precision_only, chain=chain
        )
        kept = select_calendar(dip, blocs=blocs, max_event_days=max_event_days).kept
        return dates[dates.between(start, end)], kept

    def p_values(dates: pd.Series, kept: pd.DataFrame) -> pd.DataFrame:
        test = timing_permutation_test(
            dates,
            kept,
            study_start=start,
            study_end=end,
            blocs=tuple(blocs),
            ceasefires=ceasefires,  # chains move together under the null; dates do not matter
            n_permutations=n_permutations,
            seed=seed,
        )
        return test[["bloc", "n_dates", "p_value"]]

    bundled = p_values(*inputs(ceasefires, diplomatic)).set_index("bloc")["p_value"]
    ordered = claims.sort_values([*_group_keys(), c.DC_ID])
    groups = [group for _, group in ordered.groupby(_group_keys(), sort=True)]
    rng = np.random.default_rng(seed)
    picks = np.column_stack(
        [rng.integers(0, len(group), size=n_draws) for group in groups]
        or [np.zeros(n_draws, dtype=int)]
    )
    # Draws that differ only in claims the test does not see (another declarer side, outside
    # the study window) give the same test inputs: each distinct input is tested once.
    tested: dict[tuple, pd.DataFrame] = {}
    frames, chosen = [], []
    for draw, row in enumerate(picks):
        drawn = [group.iloc[i] for group, i in zip(groups, row, strict=False)]
        drawn_claims = pd.DataFrame(drawn, columns=claims.columns)
        dates, kept = inputs(
            with_claims(ceasefires, "ceasefires", drawn_claims),
            with_claims(diplomatic, "diplomatic_events", drawn_claims),
        )
        key = (
            tuple(dates.sort_values()),
            tuple(kept[[c.DE_BLOC, c.DE_DATE_START, c.DE_DATE_END]].itertuples(index=False)),
        )
        if key not in tested:
            tested[key] = p_values(dates, kept)
        frames.append(tested[key].assign(draw=draw))
        chosen += [{"draw": draw, c.DC_ID: claim[c.DC_ID]} for claim in drawn]
    draws = pd.concat(frames, ignore_index=True)[["draw", "bloc", "n_dates", "p_value"]]
    draws["significant"] = draws["p_value"] < alpha
    summary = _timing_summary(draws, bundled, alpha)
    n_combinations = int(np.prod([len(group) for group in groups])) if groups else 0
    return TimingSensitivity(
        n_draws,
        n_combinations,
        alpha,
        seed,
        summary,
        draws,
        pd.DataFrame(chosen, columns=["draw", c.DC_ID]),
    )


def _timing_summary(draws: pd.DataFrame, bundled: pd.Series, alpha: float) -> pd.DataFrame:
    by_bloc = draws.groupby("bloc", sort=False)
    summary = by_bloc.agg(
        n_draws=("draw", "size"),
        draws_significant=("significant", "sum"),
        p_min=("p_value", "min"),
        p_max=("p_value", "max"),
    ).reset_index()
    summary.insert(1, "bundled_p_value", summary["bloc"].map(bundled))
    summary.insert(2, "bundled_significant", summary["bundled_p_value"] < alpha)
    summary["share_significant"] = summary["draws_significant"] / summary["n_draws"]
    same = draws["significant"] == draws["bloc"].map(bundled < alpha)
    summary["share_same_conclusion"] = summary["bloc"].map(same.groupby(draws["bloc"]).mean())
    return summary[
        [
            "bloc",
            "bundled_p_value",
            "bundled_significant",
            "n_draws",
            "draws_significant",
            "share_significant",
            "share_same_conclusion",
            "p_min",
            "p_max",
        ]
    ]


# --- 3. one published count beside the others for the same weeks -------------------------------


@dataclass(frozen=True)
class CountsBeside(Result):
    """One published count and every other count whose period shares days with it.

    Attributes
    ----------
    count_id : str
        The count set beside the others.
    n_counts : int
        Rows of ``table`` (the count itself included).
    n_monitors, n_measure_kinds : int
        Monitors and measure kinds among them: counts of different kinds are never compared as
        one number, and none is ever added to another.
    table : pandas.DataFrame
        The REPORTED_COUNTS columns plus days and per_day (:func:`analysis.reported.daily_rates`),
        shared_days (days of the count's period inside the chosen count's; NaN for an open
        period), same_period (the same first and last day) and is_anchor, sorted by
        measure_kind, monitor and period_start (the chosen count first).
    """

    count_id: str
    n_counts: int
    n_monitors: int
    n_measure_kinds: int
    table: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """How many counts, monitors and measure kinds (the count is a notebook parameter)."""
        return {
            "n_counts": self.n_counts,
            "n_monitors": self.n_monitors,
            "n_measure_kinds": self.n_measure_kinds,
        }


def counts_beside(counts: pd.DataFrame, count_id: str) -> CountsBeside:
    """The published counts for the same weeks as ``count_id``, side by side, never summed.

    Parameters
    ----------
    counts : pandas.DataFrame
        Rows of the REPORTED_COUNTS table.
    count_id : str
        The count to set the others beside; it needs a closed period.

    Returns
    -------
    CountsBeside
        Every count whose period shares at least one day with the chosen one (an open 'since'
        count when it starts by the chosen count's end), each with its own measure.

    Raises
    ------
    KeyError
        When ``count_id`` is not in ``counts``.
    ValueError
        When the chosen count has no period end.
    """
    ids = counts[c.RC_ID].astype(str)
    if count_id not in set(ids):
        raise KeyError(f"unknown count_id {count_id!r}; known ids include {sorted(ids)[:5]} ...")
    anchor = counts[ids == count_id].iloc[0]
    first, last = anchor[c.RC_PERIOD_START], anchor[c.RC_PERIOD_END]
    if pd.isna(last):
        raise ValueError(f"count {count_id!r} has no period_end: it covers no fixed weeks")
    ends = counts[c.RC_PERIOD_END]
    overlapping = (counts[c.RC_PERIOD_START] <= last) & (ends.isna() | (ends >= first))
    table = daily_rates(counts[overlapping.fillna(False).astype(bool)])
    starts = table[c.RC_PERIOD_START].where(table[c.RC_PERIOD_START] > first, first)
    stops = table[c.RC_PERIOD_END].where(table[c.RC_PERIOD_END] < last, last)
    table = table.assign(
        **{
            # an open 'since' count has no last day, so how many days it shares is unknown
            SHARED_DAYS: ((stops - starts).dt.days + 1)
            .astype("float64")
            .where(table[c.RC_PERIOD_END].notna()),
            SAME_PERIOD: (table[c.RC_PERIOD_START] == first) & (table[c.RC_PERIOD_END] == last),
            IS_ANCHOR: table[c.RC_ID].astype(str) == count_id,
        }
    )
    table[SAME_PERIOD] = table[SAME_PERIOD].fillna(False).astype(bool)
    table = table.sort_values(
        [IS_ANCHOR, c.RC_MEASURE_KIND, c.RC_MONITOR, c.RC_PERIOD_START],
        ascending=[False, True, True, True],
    ).reset_index(drop=True)
    table = table[
        [*c.REPORTED_COUNTS.column_names, DAYS, PER_DAY, SHARED_DAYS, SAME_PERIOD, IS_ANCHOR]
    ]
    return CountsBeside(
        count_id,
        len(table),
        int(table[c.RC_MONITOR].nunique()),
        int(table[c.RC_MEASURE_KIND].nunique()),
        table,
    )
