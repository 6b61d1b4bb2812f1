"""Tables of question 3: difference-in-differences, displacement, and how long truces held.

Each builder returns a DataFrame of text, one row per item, for
:func:`analysis.formatting.report_table` to display.
"""

from __future__ import annotations

import pandas as pd

from analysis import contract as c
from analysis.alignment import DidResult, Displacement
from analysis.alignment_all import LEVEL_CHAINS, TruceSurvival
from analysis.did import FewTreatedDid
from analysis.formatting import (
    format_count,
    format_date,
    format_intervals,
    format_note,
    format_number,
    format_p,
    format_ratio_interval,
    format_status,
)
from analysis.status import STATUS_OK, STATUS_SEPARATION
from analysis.survival import BROKE_DOWN, DURATION, ENTRY, OUTCOME


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
            "95% interval": [format_ratio_interval(did.ci_low, did.ci_high)],
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
            "Hazard ratio": cox["hazard_ratio"]
            .map(format_number)
            .where(
                cox.get("status", pd.Series(STATUS_OK, index=cox.index)) == STATUS_OK,
                format_status(STATUS_SEPARATION),
            ),
            "95% interval": format_intervals(cox),
            "p-value": cox["p_value"].map(format_p),
            "Truces": cox["n"].map(format_count),
            "Breakdowns": cox["events"].map(format_count),
        }
    )


def few_treated_table(few: FewTreatedDid) -> pd.DataFrame:
    """The two tests built for one or two treated groups, one row each: estimate, p-value and
    the smallest p-value the test can give with these data.

    Parameters
    ----------
    few : FewTreatedDid
        The result of :func:`analysis.did.few_treated_did`.

    Returns
    -------
    pandas.DataFrame
        Text, two rows; columns Test, Ratio, p-value, Smallest possible p, Comparisons, Result,
        Note.
    """
    st, sc = few.space_time, few.synthetic
    return pd.DataFrame(
        {
            "Test": [
                "space-time randomization (DiD)",
                "synthetic control (placebo in space)",
            ],
            "Ratio": [format_number(st.estimate), format_number(sc.estimate)],
            "p-value": [format_p(st.p_value), format_p(sc.p_value)],
            "Smallest possible p": [format_p(st.resolution), format_p(sc.resolution)],
            "Comparisons": [format_count(st.n_pseudo), format_count(sc.n_placebos)],
            "Result": [format_status(st.status), format_status(sc.status)],
            "Note": [format_note(st.note), format_note(sc.note)],
        }
    )


def controls_table(few: FewTreatedDid) -> pd.DataFrame:
    """Every group of the DiD panel: treated, control or excluded, and why.

    Parameters
    ----------
    few : FewTreatedDid
        The result of :func:`analysis.did.few_treated_did`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per group; columns Group, Side, Role, Why excluded.
    """
    table = few.controls.table
    return pd.DataFrame(
        {
            "Group": table["group"].astype(str),
            "Side": table["side"].astype(str).str.replace("_", " "),
            "Role": table["role"].astype(str),
            "Why excluded": table["reason"].astype(str),
        }
    )


def subjects_table(subjects: pd.DataFrame) -> pd.DataFrame:
    """Chain-level survival subjects (:func:`analysis.survival.chain_subjects`) as text.

    Parameters
    ----------
    subjects : pandas.DataFrame
        The output of :func:`analysis.survival.chain_subjects`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per chain; columns Chain, Announcements, Broker bloc, Counterparts
        watched, In force from, Observed from day, Outcome, Days, Not estimable because.
    """
    return pd.DataFrame(
        {
            "Chain": subjects[c.CF_ID].astype(str),
            "Announcements": subjects["chain_members"].astype(str).str.count(c.LIST_SEPARATOR) + 1,
            "Broker bloc": subjects[c.CF_BROKER_BLOC].astype(str),
            "Counterparts watched": subjects["targets"]
            .astype(str)
            .str.replace(c.LIST_SEPARATOR, ", "),
            "In force from": subjects["start"].map(format_date),
            "Observed from day": subjects[ENTRY].map(format_count),
            "Outcome": subjects[OUTCOME].astype(str),
            "Days": subjects[DURATION].map(format_count),
            "Not estimable because": subjects["reason"].astype(str),
        }
    )


def incidence_table(cif: pd.DataFrame, days: tuple[int, ...] = (30, 90, 180, 365)) -> pd.DataFrame:
    """Cumulative incidence of breakdown and of expiry at a few horizons, per group.

    Parameters
    ----------
    cif : pandas.DataFrame
        The output of :func:`analysis.survival.cumulative_incidence`.
    days : tuple of int, default (30, 90, 180, 365)
        Horizons in days since the chain's start.

    Returns
    -------
    pandas.DataFrame
        Text, one row per group and horizon; columns Broker bloc, Day, Broken down, Expired
        without a strike, Still holding, At risk.
    """
    rows = []
    for group, part in cif.groupby("group", sort=True):  # a handful of blocs
        for day in days:  # four horizons
            seen = part[part["time"] <= day]
            last = seen.iloc[-1] if len(seen) else None
            rows.append(
                {
                    "Broker bloc": str(group),
                    "Day": format_count(day),
                    "Broken down": format_number(last["breakdown"] if last is not None else 0.0),
                    "Expired without a strike": format_number(
                        last["expired"] if last is not None else 0.0
                    ),
                    "Still holding": format_number(last["survival"] if last is not None else 1.0),
                    "At risk": format_count(part[part["time"] > day]["n_risk"].max())
                    if (part["time"] > day).any()
                    else "0",
                }
            )
    return pd.DataFrame(rows)


def truce_subjects_table(survival: TruceSurvival) -> pd.DataFrame:
    """Each survival subject of :func:`analysis.alignment_all.truce_survival` as text.

    Parameters
    ----------
    survival : analysis.alignment_all.TruceSurvival
        Curated extension chains (shown by :func:`subjects_table`) or ETH/PRIO ceasefires.

    Returns
    -------
    pandas.DataFrame
        For chains, :func:`subjects_table`; for ETH/PRIO ceasefires, one row each: Ceasefire,
        Mediator blocs, Events counted, In force from, Outcome, Days, Reason.
    """
    if survival.level == LEVEL_CHAINS:
        return subjects_table(survival.subjects)
    subjects = survival.subjects
    ok = subjects["status"] == STATUS_OK
    outcome = subjects[BROKE_DOWN].map({True: "first event", False: "censored at data end"})
    return pd.DataFrame(
        {
            "Ceasefire": subjects[c.CF_ID].astype(str),
            "Mediator blocs": subjects[c.CF_MEDIATOR_BLOCS].astype(str).replace("", "none"),
            "Events counted": subjects["outcome"].astype(str),
            "In force from": subjects["start"].map(format_date),
            "Outcome": outcome.where(ok, "not estimable"),
            "Days": subjects[DURATION].map(format_count),
            "Reason": subjects["reason"].astype(str),
        }
    )
