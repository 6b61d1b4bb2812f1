"""The tables of every analysis, as text for rendered reports.

Each builder takes a result (a result object or a documented table) and returns a plain
DataFrame of strings, so it can be tested and reused; :func:`analysis.formatting.report_table`
turns it into the styled table a notebook displays. Presentation lives here and only here.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import contract as c
from analysis.alignment import DidResult, Displacement
from analysis.effects import CeasefireEffect, EffectResult
from analysis.formatting import (
    format_count,
    format_date,
    format_heterogeneity,
    format_interval,
    format_intervals,
    format_note,
    format_number,
    format_p,
    format_status,
    is_missing,
)
from analysis.reported import (
    AFTER,
    BEFORE,
    DAYS,
    DAYS_IN_WINDOW,
    DURING,
    OVERLAPS_WITH,
    PER_DAY,
    PHASE,
    REASON,
    SPANS_BOTH,
)
from analysis.status import STATUS_OUTSIDE
from analysis.survival import BROKE_DOWN, DURATION
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
            "Broker": ceasefires[c.CF_BROKER].fillna("none"),
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
        "95% interval": format_interval(result.ci_low, result.ci_high),
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


def placebo_table(effect: CeasefireEffect) -> pd.DataFrame:
    """The random and spike-matched placebo tests side by side: the observed ratio, how many
    pseudo-dates were drawn from how many candidates, the middle 95% of the placebo ratios
    and the permutation p-value.

    Parameters
    ----------
    effect : CeasefireEffect
        The result of :func:`analysis.effects.estimate_ceasefire_effect`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per placebo test (random, then spike-matched); columns Placebo, Observed rate
        ratio, "Placebo ratios, middle 95%", p-value, Pseudo-dates, Distinct candidate dates, Note.
    """
    rows = []
    for label, result in (
        ("Random pseudo-dates", effect.placebo),
        ("Spike-matched pseudo-dates", effect.matched_placebo),
    ):
        numbers = result.to_dict()
        rows.append(
            {
                "Placebo": label,
                "Observed rate ratio": format_number(math.exp(result.observed_log_rr)),
                "Placebo ratios, middle 95%": format_interval(
                    math.exp(numbers["placebo_q025"]), math.exp(numbers["placebo_q975"])
                ),
                "p-value": format_p(result.p_value),
                "Pseudo-dates": format_count(result.n_placebos),
                "Distinct candidate dates": format_count(result.n_candidates),
                "Note": format_note(result.note),
            }
        )
    return pd.DataFrame(rows)


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
        ratio, 95% interval, p-value, q-value, Result (plain status).
    """
    rows = batch[batch["status"] != STATUS_OUTSIDE]
    return pd.DataFrame(
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
    ).reset_index(drop=True)


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
                    "Pooled rate ratio": table["pooled_rr"].map(format_number),
                    "95% interval": format_intervals(table),
                    "p-value": table["p_value"].map(format_p),
                    "Heterogeneity I² (%)": format_heterogeneity(table),
                    "Left out (no estimate)": table["k_excluded"].map(format_count),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# --- alignment ---------------------------------------------------------------------------------


def did_table(did: DidResult) -> pd.DataFrame:
    """The difference-in-differences result as one readable row: ratio, interval, the
    clustered and the placebo p-value, how many groups and events it rests on.

    Parameters
    ----------
    did : DidResult
        The result of :func:`analysis.alignment.did_poisson`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per result (a single row); columns Rate ratio (treated vs controls), 95%
        interval, p-value (clustered), Placebo p-value, Groups (treated), Periods, Treated events
        before / after, Result, Note.
    """
    return pd.DataFrame(
        {
            "Rate ratio (treated vs controls)": [format_number(did.estimate)],
            "95% interval": [format_interval(did.ci_low, did.ci_high)],
            "p-value (clustered)": [format_p(did.p_value)],
            "Placebo p-value": [format_p(did.placebo_p_value)],
            "Groups (treated)": [f"{format_count(did.n_groups)} ({format_count(did.n_treated)})"],
            "Periods": [format_count(did.n_periods)],
            "Treated events before / after": [
                f"{format_count(did.events_treated_pre)} / {format_count(did.events_treated_post)}"
            ],
            "Result": [format_status(did.status)],
            "Note": [format_note(did.note)],
        }
    )


def displacement_table(results: dict[str, Displacement]) -> pd.DataFrame:
    """Displacement summaries (from :func:`displacement_shares`) by grouping, side by side:
    the shift in shares in percentage points and its placebo p-value.

    Parameters
    ----------
    results : dict of str to Displacement
        Label of the grouping -> result of :func:`analysis.alignment.displacement_shares`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per grouping; columns Shares by, Shift in shares (percentage points), Placebo
        p-value, Chi-square p-value (too small, see text), Periods before / after.
    """
    rows = [
        {
            "Shares by": label,
            "Shift in shares (percentage points)": format_number(
                100 * summary["total_variation_distance"], 2
            ),
            "Placebo p-value": format_p(summary["placebo_p_value"]),
            "Chi-square p-value (too small, see text)": format_p(summary["chi2_p_value"]),
            "Periods before / after": (
                f"{format_count(summary['n_pre_periods'])} / "
                f"{format_count(summary['n_post_periods'])}"
            ),
        }
        for label, summary in ((label, result.to_dict()) for label, result in results.items())
    ]
    return pd.DataFrame(rows)


# --- reported ----------------------------------------------------------------------------------

PHASE_LABELS = {
    BEFORE: "before",
    DURING: "during",
    SPANS_BOTH: "spans both",
    AFTER: "after",
}


def rates_display_table(rates: pd.DataFrame) -> pd.DataFrame:
    """Per-day rates of :func:`rate_table` as text: period as two dates, rate to three
    significant digits, phase in words, overlapping counts listed (never to be added).

    Parameters
    ----------
    rates : pandas.DataFrame
        The ``rates`` table of :func:`analysis.reported.rate_table`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per published count; columns Count, Monitor, Measure, Area, Period, Reported,
        Per day, Relative to the ceasefire, Overlaps with (same monitor).
    """
    return pd.DataFrame(
        {
            "Count": rates[c.RC_ID].astype(str),
            "Monitor": rates[c.RC_MONITOR],
            "Measure": rates[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Area": rates[c.RC_SCOPE],
            "Period": rates[c.RC_PERIOD_START].map(format_date)
            + " to "
            + rates[c.RC_PERIOD_END].map(format_date),
            "Reported": rates[c.RC_STRIKES].map(format_count)
            + " in "
            + rates[DAYS].map(format_count)
            + " days",
            "Per day": rates[PER_DAY].map(format_number),
            # spans-both rates mix phases: how many of their days fall inside says how much
            "Relative to the ceasefire": [
                f"spans both ({format_count(inside)} days inside)"
                if phase == SPANS_BOTH
                else PHASE_LABELS.get(phase, phase)
                for phase, inside in zip(rates[PHASE], rates[DAYS_IN_WINDOW], strict=True)
            ],
            "Overlaps with (same monitor)": rates[OVERLAPS_WITH]
            .fillna("")
            .astype(str)
            .str.replace(c.LIST_SEPARATOR, ", "),
        }
    )


def excluded_display_table(excluded: pd.DataFrame) -> pd.DataFrame:
    """Counts that give no per-day rate (from :func:`split_usable`), with the reason.

    Parameters
    ----------
    excluded : pandas.DataFrame
        The ``excluded`` table of :func:`analysis.reported.rate_table`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per excluded count; columns Count, Monitor, Measure, Period start, Period end,
        Why no rate.
    """
    return pd.DataFrame(
        {
            "Count": excluded[c.RC_ID].astype(str),
            "Monitor": excluded[c.RC_MONITOR],
            "Measure": excluded[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Period start": excluded[c.RC_PERIOD_START].map(format_date),
            "Period end": excluded[c.RC_PERIOD_END].map(format_date),
            "Why no rate": excluded[REASON],
        }
    )


def phase_summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`phase_summary` as text: the range of per-day rates, never an average.

    Parameters
    ----------
    summary : pandas.DataFrame
        The output of :func:`analysis.reported.phase_summary`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per measure, monitor and phase; columns Measure, Monitor, Relative to the
        ceasefire, Counts, Per day (lowest–highest).
    """
    same = summary["min_per_day"] == summary["max_per_day"]
    ranges = [
        format_number(lo) if one else format_interval(lo, hi)
        for lo, hi, one in zip(summary["min_per_day"], summary["max_per_day"], same, strict=True)
    ]
    return pd.DataFrame(
        {
            "Measure": summary[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Monitor": summary[c.RC_MONITOR],
            "Relative to the ceasefire": summary[PHASE].map(PHASE_LABELS),
            "Counts": summary["counts"].map(format_count),
            "Per day (lowest–highest)": ranges,
        }
    )


# --- survival ----------------------------------------------------------------------------------


def breakdown_display_table(table: pd.DataFrame, counterparties: pd.DataFrame) -> pd.DataFrame:
    """Truces with a usable start (status 'ok') from :func:`breakdown_table`: whom the
    breakdown rule watches, and when the first strike on them came or follow-up ended.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`analysis.survival.breakdown_table`.
    counterparties : pandas.DataFrame
        The output of :func:`analysis.survival.truce_counterparties` (rule and targets).

    Returns
    -------
    pandas.DataFrame
        Text, one row per usable truce; columns Truce, Broker bloc, Counterparty watched, In force
        from, First strike on the counterparty, Days to strike or end of follow-up.
    """
    usable = table[table["status"] == "ok"].merge(counterparties, on=c.CF_ID, how="left")
    first_strike = usable["start"] + pd.to_timedelta(usable[DURATION] - 1, unit="D")
    outcome = [
        f"strike on {format_date(day)}" if broke else f"none until {format_date(censor)}"
        for broke, day, censor in zip(
            usable[BROKE_DOWN], first_strike, usable["censor_at"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "Truce": usable[c.CF_ID].astype(str),
            "Broker bloc": usable[c.CF_BROKER_BLOC],
            "Counterparty watched": (
                usable["rule"].fillna("")
                + ": "
                + usable["targets"].fillna("").astype(str).str.replace(c.LIST_SEPARATOR, ", ")
            ).str.replace("_", " "),
            "In force from": usable["start"].map(format_date),
            "First strike on the counterparty": outcome,
            "Days to strike or end of follow-up": usable[DURATION].map(format_count),
        }
    )


def median_table(medians: pd.DataFrame) -> pd.DataFrame:
    """:func:`median_survival` as text; 'not reached' when fewer than half broke down.

    Parameters
    ----------
    medians : pandas.DataFrame
        The output of :func:`analysis.survival.median_survival`, grouped by broker bloc.

    Returns
    -------
    pandas.DataFrame
        Text, one row per group; columns Broker bloc, Truces, Ended by a strike, Median days held.
    """
    return pd.DataFrame(
        {
            "Broker bloc": medians["group"].astype(str).replace("none", "none (unbrokered)"),
            "Truces": medians["n"].map(format_count),
            "Ended by a strike": medians["breakdowns"].map(format_count),
            "Median days held": medians["median_days"].map(
                lambda v: "not reached" if pd.isna(v) else format_count(v)
            ),
        }
    )


def cox_table(
    cox: pd.DataFrame, covariate: str = c.CF_BROKER_BLOC, reference: str = "none"
) -> pd.DataFrame:
    """:func:`cox_model` as text: each term as 'level vs reference', hazard ratio with
    interval (above 1: breaks down sooner than the reference) and p-value.

    Parameters
    ----------
    cox : pandas.DataFrame
        The output of :func:`analysis.survival.cox_model`.
    covariate : str, default 'broker_bloc'
        The covariate whose prefix is stripped from the term names.
    reference : str, default 'none'
        Its reference level ('none' is shown as 'unbrokered').

    Returns
    -------
    pandas.DataFrame
        Text, one row per term; columns Compared, Hazard ratio, 95% interval, p-value, Truces,
        Breakdowns.
    """
    level = cox["term"].astype(str).str.removeprefix(f"{covariate}_")
    return pd.DataFrame(
        {
            "Compared": level + " vs " + ("unbrokered" if reference == "none" else reference),
            "Hazard ratio": cox["hazard_ratio"].map(format_number),
            "95% interval": format_intervals(cox),
            "p-value": cox["p_value"].map(format_p),
            "Truces": cox["n"].map(format_count),
            "Breakdowns": cox["events"].map(format_count),
        }
    )


# --- timing ------------------------------------------------------------------------------------


def declarations_table(dates: pd.Series, ceasefires: pd.DataFrame) -> pd.DataFrame:
    """The declarations tested (from :func:`declaration_dates`) with who declared them.

    Parameters
    ----------
    dates : pandas.Series
        Declaration dates indexed by ceasefire_id (:func:`analysis.timing.declaration_dates`).
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table, for who declared each one and its kind.

    Returns
    -------
    pandas.DataFrame
        Text, one row per declaration; columns Ceasefire, Declared, Declared by, Kind.
    """
    info = ceasefires.drop_duplicates(c.CF_ID).set_index(c.CF_ID)
    ids = pd.Index(dates.index.astype(str))
    return pd.DataFrame(
        {
            "Ceasefire": ids,
            "Declared": pd.Series(dates.to_numpy()).map(format_date).to_numpy(),
            "Declared by": info[c.CF_DECLARED_BY].reindex(ids).to_numpy(),
            "Kind": info[c.CF_KIND].reindex(ids).to_numpy(),
        }
    )


def dropped_events_table(dropped: pd.DataFrame) -> pd.DataFrame:
    """Diplomatic rows left out (from :func:`select_calendar` or :func:`within_coverage`).

    Parameters
    ----------
    dropped : pandas.DataFrame
        The ``dropped`` table of an :class:`analysis.timing.EventSelection`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per row left out; columns Diplomatic event, Starts, Bloc, Kind, Days long
        (only when ``dropped`` has days), Why left out.
    """
    out = pd.DataFrame(
        {
            "Diplomatic event": dropped[c.DE_ID].astype(str),
            "Starts": dropped[c.DE_DATE_START].map(format_date),
            "Bloc": dropped[c.DE_BLOC],
            "Kind": dropped[c.DE_KIND].astype(str).str.replace("_", " "),
        }
    )
    if "days" in dropped:
        out["Days long"] = dropped["days"].map(format_count)
    out["Why left out"] = dropped["reason"].astype(str).str.replace("+-", "±")
    return out


def timing_table(test: pd.DataFrame) -> pd.DataFrame:
    """The permutation test of :func:`timing_permutation_test` per bloc: observed distances,
    where random dates fall, and the one-sided p-value, in whole days.

    Parameters
    ----------
    test : pandas.DataFrame
        The output of :func:`analysis.timing.timing_permutation_test`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per bloc; columns Bloc, Dated events, Declarations, Median days to nearest
        event, Mean days to nearest event, Random dates: mean (90% range), p-value (closer than
        random), Note.
    """
    return pd.DataFrame(
        {
            "Bloc": test["bloc"],
            "Dated events": test["n_bloc_events"].map(format_count),
            "Declarations": test["n_dates"].map(format_count),
            "Median days to nearest event": test["observed_median_days"].map(format_count),
            "Mean days to nearest event": test["observed_mean_days"].map(format_count),
            "Random dates: mean (90% range)": [
                f"{format_count(m)} ({format_count(lo)}–{format_count(hi)})"
                for m, lo, hi in zip(
                    test["null_mean_days"],
                    test["null_q05_days"],
                    test["null_q95_days"],
                    strict=True,
                )
            ],
            "p-value (closer than random)": test["p_value"].map(format_p),
            "Note": test["note"].map(format_note),
        }
    )


def event_study_table(per_bloc: pd.DataFrame) -> pd.DataFrame:
    """Per bloc, from :func:`diplomatic_event_study`: events used, pooled rate ratio after /
    before with interval, permutation p-value and heterogeneity.

    Parameters
    ----------
    per_bloc : pandas.DataFrame
        The ``per_bloc`` table of :func:`analysis.timing.diplomatic_event_study`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per bloc; columns Bloc, Diplomatic events used, Rate ratio after / before
        (pooled), 95% interval, Permutation p-value, Heterogeneity I² (%).
    """
    return pd.DataFrame(
        {
            "Bloc": per_bloc[c.DE_BLOC],
            "Diplomatic events used": per_bloc["n_in_data"].map(format_count),
            "Rate ratio after / before (pooled)": per_bloc["pooled_rr"].map(format_number),
            "95% interval": format_intervals(per_bloc),
            "Permutation p-value": per_bloc["permutation_p"].map(format_p),
            "Heterogeneity I² (%)": format_heterogeneity(per_bloc),
        }
    )


def per_event_table(per_event: pd.DataFrame) -> pd.DataFrame:
    """Each diplomatic event of :func:`diplomatic_event_study`: events in the window before
    and after it and their ratio with interval (plain status when there is no estimate).

    Parameters
    ----------
    per_event : pandas.DataFrame
        The ``per_event`` table of :func:`analysis.timing.diplomatic_event_study`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per diplomatic event; columns Diplomatic event, Starts, Bloc, Kind, Events
        before, Events after, Rate ratio, 95% interval, Result.
    """
    return pd.DataFrame(
        {
            "Diplomatic event": per_event[c.DE_ID].astype(str),
            "Starts": per_event[c.DE_DATE_START].map(format_date),
            "Bloc": per_event[c.DE_BLOC],
            "Kind": per_event[c.DE_KIND].astype(str).str.replace("_", " "),
            "Events before": per_event["events_pre"].map(format_count),
            "Events after": per_event["events_during"].map(format_count),
            "Rate ratio": per_event["estimate"].map(format_number),
            "95% interval": format_intervals(per_event),
            "Result": per_event["status"].map(format_status),
        }
    )
