"""Tables of question 1: a ceasefire, its windows, its estimates, placebos, many ceasefires at once.

Each builder returns a DataFrame of text, one row per item, for
:func:`analysis.formatting.report_table` to display.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import contract as c
from analysis.effects import CeasefireEffect, EffectResult
from analysis.formatting import (
    format_count,
    format_date,
    format_heterogeneity,
    format_intervals,
    format_list,
    format_note,
    format_number,
    format_p,
    format_pooled_ratios,
    format_ratio_interval,
    format_status,
    is_missing,
)
from analysis.placebo import PlaceboResult
from analysis.status import STATUS_OUTSIDE
from analysis.tables.counterfactual import primary_text_columns
from analysis.time_series import ITSResult
from analysis.windows import Windows


def ceasefire_table(ceasefires: pd.DataFrame) -> pd.DataFrame:
    """Ceasefire rows as a readable table: dates as YYYY-MM-DD (declarations known only to
    the month say so), 'open-ended' for no end date, the source URL kept for a link.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table, e.g. from :func:`analysis.windows.ceasefires_in_range` or
        :func:`analysis.windows.collapse_chains` (its chain_members column is shown).

    Returns
    -------
    pandas.DataFrame
        Text, one row per ceasefire; columns Ceasefire, Chain (announcement and extensions) (only
        when ``ceasefires`` has chain_members), Declared, In force from, Until, Declared by, Kind,
        Broker, Scope, Source (the URL).
    """
    precision = ceasefires[c.CF_DATE_PRECISION]
    out = pd.DataFrame(
        {
            "Ceasefire": ceasefires[c.CF_ID].astype(str),
            "Declared": [
                format_date(d, p)
                for d, p in zip(ceasefires[c.CF_DECLARED_ON], precision, strict=True)
            ],
            "In force from": ceasefires[c.CF_EFFECTIVE_FROM].map(format_date),
            "Until": ceasefires[c.CF_EFFECTIVE_TO].map(
                lambda d: "open-ended" if is_missing(d) else format_date(d)
            ),
            "Declared by": ceasefires[c.CF_DECLARED_BY],
            "Kind": ceasefires[c.CF_KIND],
            "Broker": ceasefires[c.CF_BROKER].map(lambda b: format_list(b, "none")),
            "Scope": ceasefires[c.CF_SCOPE],
            "Source": ceasefires[c.CF_SOURCE_URL],
        }
    )
    if "chain_members" in ceasefires:
        members = ceasefires["chain_members"].astype(str).str.replace(c.LIST_SEPARATOR, ", ")
        out.insert(1, "Chain (announcement and extensions)", members.to_numpy())
    return out


def windows_table(windows: Windows) -> pd.DataFrame:
    """The analysis windows of one ceasefire: phase, first and last day, number of days.

    Parameters
    ----------
    windows : Windows
        One ceasefire's windows (:func:`analysis.windows.ceasefire_windows`).

    Returns
    -------
    pandas.DataFrame
        Text, one row per window; columns Window (baseline, interim when there is one, during),
        First day, Last day, Days.
    """
    spans = [("Baseline (before the declaration)", windows.pre_start, windows.pre_end)]
    if windows.has_interim:
        spans.append(
            ("Interim (declared, not yet in force)", windows.interim_start, windows.interim_end)
        )
    spans.append(("During the ceasefire", windows.during_start, windows.during_end))
    return pd.DataFrame(
        {
            "Window": [s[0] for s in spans],
            "First day": [format_date(s[1]) for s in spans],
            "Last day": [format_date(s[2]) for s in spans],
            "Days": [format_count((s[2] - s[1]).days + 1) for s in spans],
        }
    )


def _effect_row(label: str, result: EffectResult) -> dict[str, str]:
    return {
        "Comparison": label,
        "Rate ratio": format_number(result.estimate),
        "95% interval": format_ratio_interval(result.ci_low, result.ci_high),
        "p-value": format_p(result.p_value),
        "Events before": format_count(result.events_pre),
        "Events after": format_count(result.events_during),
        "Days before": format_count(result.n_pre),
        "Days after": format_count(result.n_during),
        "Result": format_status(result.status),
        "Note": format_note(result.note),
    }


def summary_table(effect: CeasefireEffect, its: ITSResult | None = None) -> pd.DataFrame:
    """One row per estimate for a ceasefire: the rate ratio during (and interim) vs before,
    and, when given, the interrupted-time-series level and slope changes; ratios and
    intervals to three significant digits, p-values as '<0.001' below 0.001.

    Parameters
    ----------
    effect : CeasefireEffect
        The result of :func:`analysis.effects.estimate_ceasefire_effect`.
    its : ITSResult, optional
        The result of :func:`analysis.time_series.interrupted_time_series`; its two rows are left
        out when None.

    Returns
    -------
    pandas.DataFrame
        Text, one row per estimate; columns Comparison, Rate ratio, 95% interval, p-value, Events
        before, Events after, Days before, Days after, Result (plain status), Note.
    """
    rows = [_effect_row("During vs before", effect.during)]
    if effect.interim is not None:
        rows.append(_effect_row("Interim vs before", effect.interim))
    if its is not None:
        rows.append(_effect_row("Level change at entry into force (ITS)", its.level_ratio))
        rows.append(_effect_row("Trend change per 30 days (ITS)", its.slope_ratio_per_30d))
    return pd.DataFrame(rows)


def placebo_table(
    effect: CeasefireEffect, primary_placebo: PlaceboResult | None = None
) -> pd.DataFrame:
    """The placebo tests side by side: the observed ratio, how many non-overlapping
    pseudo-windows outside every ceasefire period were used, the middle 95% of the placebo
    ratios, the two-sided permutation p-value and its resolution (its step).

    Parameters
    ----------
    effect : CeasefireEffect
        The result of :func:`analysis.effects.estimate_ceasefire_effect`.
    primary_placebo : analysis.placebo.PlaceboResult, optional
        The placebo of the primary estimate
        (:func:`analysis.placebo_forecast.forecast_placebo_test`), shown first: its ratios are
        the primary estimate made at the real window and at each pseudo-window.

    Returns
    -------
    pandas.DataFrame
        Text, one row per placebo test (the primary estimate when given, then random
        and spike-matched before/during ratios); columns Placebo, Observed rate ratio,
        "Placebo ratios, middle 95%", p-value (two-sided), Resolution, Pseudo-windows used,
        Candidate windows, Note.
    """
    tests = [
        ("During vs before: random pseudo-windows", effect.placebo),
        ("During vs before: spike-matched (level and trend)", effect.matched_placebo),
    ]
    if primary_placebo is not None:
        primary_label = "Primary estimate (each window calibrated on its own past)"
        tests.insert(0, (primary_label, primary_placebo))
    rows = []
    for label, result in tests:
        numbers = result.to_dict()
        rows.append(
            {
                "Placebo": label,
                "Observed rate ratio": format_number(math.exp(result.observed_log_rr)),
                "Placebo ratios, middle 95%": format_ratio_interval(
                    math.exp(numbers["placebo_q025"]), math.exp(numbers["placebo_q975"])
                ),
                "p-value (two-sided)": format_p(result.p_value),
                "Resolution": format_number(numbers["resolution"], 2),
                "Pseudo-windows used": format_count(result.n_placebos),
                "Candidate windows": format_count(result.n_candidates),
                "Note": format_note(result.note),
            }
        )
    return pd.DataFrame(rows)


def placebo_caption(effect: CeasefireEffect, primary_placebo: PlaceboResult | None = None) -> str:
    """The caption of :func:`placebo_table`: how many pseudo-windows each kind of placebo used
    and the step of its p-value; without any, that no placebo comparison was possible (a
    step of 1 would only mislead).

    Parameters
    ----------
    effect : CeasefireEffect
        The result of :func:`analysis.effects.estimate_ceasefire_effect`.
    primary_placebo : analysis.placebo.PlaceboResult, optional
        The placebo of the primary estimate, when shown in the table.

    Returns
    -------
    str
        One or two sentences.
    """
    parts = []
    if primary_placebo is not None:
        parts.append(_placebo_phrase("The primary's placebo", primary_placebo))
    label = "The during-vs-before placebos" if parts else "The placebos"
    parts.append(_placebo_phrase(label, effect.placebo))
    return " ".join(parts)


def _placebo_phrase(label: str, result: PlaceboResult) -> str:
    """One sentence on the pseudo-windows a placebo used and the step of its p-value."""
    n = result.n_placebos
    if n == 0:
        reason = format_note(result.note) or "No pseudo-window fits."
        return f"{label}: no p-value. {reason}"
    windows = "pseudo-window" if n == 1 else "pseudo-windows"
    candidates = format_count(result.n_candidates)
    dropped = result.n_dropped
    # two ways a candidate is not used: beyond the cap (evenly spaced subset) or dropped for
    # want of baseline events, a forecast or its calibration (the note names them)
    capped = result.n_candidates > n + dropped
    left_out = f"{format_count(dropped)} of them left out as the note says"
    subset = ""
    if capped and dropped:
        subset = f" (evenly spaced among {candidates} candidates, {left_out})"
    elif capped:
        subset = f" (evenly spaced among {candidates} candidates)"
    elif dropped:
        subset = f" (of {candidates} candidates, {left_out})"
    return (
        f"{label}: {format_count(n)} non-overlapping {windows}{subset} outside every ceasefire "
        f"period, each used once; two-sided p in steps of {format_number(result.resolution, 3)}."
    )


def batch_table(batch: pd.DataFrame) -> pd.DataFrame:
    """Every ceasefire of :func:`batch_effects` that lies inside the data, as text: rate
    ratio during / before with interval, p- and q-value (false discovery rate), plain status.

    Parameters
    ----------
    batch : pandas.DataFrame
        The output of :func:`analysis.batch.batch_effects` (rows with status 'outside_data' are left
        out).

    Returns
    -------
    pandas.DataFrame
        Text, one row per ceasefire; columns Ceasefire, Kind, Broker bloc, In force from, Rate
        ratio, 95% interval, p-value, q-value, Result (plain status); with the primary
        estimate computed, also :func:`analysis.tables.counterfactual.primary_text_columns`.
    """
    rows = batch[batch["status"] != STATUS_OUTSIDE]
    out = pd.DataFrame(
        {
            "Ceasefire": rows[c.CF_ID].astype(str),
            "Kind": rows[c.CF_KIND],
            "Broker bloc": rows[c.CF_BROKER_BLOC],
            "In force from": rows["during_start"].map(format_date),
            "Rate ratio": rows["estimate"].map(format_number),
            "95% interval": format_intervals(rows),
            "p-value": rows["p_value"].map(format_p),
            "q-value": rows["q_value"].map(format_p),
            "Result": rows["status"].map(format_status),
        }
    )
    return pd.concat([out, primary_text_columns(batch, rows)], axis=1).reset_index(drop=True)


def pooled_table(pooled: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Random-effects pooled ratios of :func:`pool_random_effects`, several groupings in one
    table (``{label: table}``, the grouping column is the table's first column).

    Parameters
    ----------
    pooled : dict of str to pandas.DataFrame
        Label of the grouping -> output of :func:`analysis.pooling.pool_random_effects` grouped by
        one column (its first column).

    Returns
    -------
    pandas.DataFrame
        Text, one row per group of each grouping; columns Pooled by, Group, Ceasefires pooled,
        Pooled rate ratio, 95% interval, p-value, Heterogeneity I² (%), Left out (no estimate).
    """
    parts = []
    for label, table in pooled.items():
        key = table.columns[0]
        parts.append(
            pd.DataFrame(
                {
                    "Pooled by": label,
                    "Group": table[key].astype(str).replace("none", "none (unbrokered)"),
                    "Ceasefires pooled": table["k"].map(format_count),
                    "Pooled rate ratio": format_pooled_ratios(table),
                    "95% interval": format_intervals(table),
                    "p-value": table["p_value"].map(format_p),
                    "Heterogeneity I² (%)": format_heterogeneity(table),
                    "Left out (no estimate)": table["k_excluded"].map(format_count),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
