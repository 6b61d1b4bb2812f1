"""Tables of notebook 06: every ceasefire's estimate, what could not be estimated and why, the
pooled ratios by group and the days until the first event.

Each builder returns a DataFrame of text for :func:`analysis.formatting.report_table`. Tables
that could run to thousands of rows (the whole ETH/PRIO file) show at most ``max_rows`` and
say in :func:`shown_caption` what was left out.
"""

from __future__ import annotations

import pandas as pd

from analysis import contract as c
from analysis.all_ceasefires import ESTIMATED, AllCeasefires
from analysis.all_ceasefires_groups import GroupSurvival
from analysis.finding_base import missable_fall_text
from analysis.formatting import (
    MISSING,
    format_count,
    format_date,
    format_heterogeneity,
    format_intervals,
    format_list,
    format_number,
    format_p,
    format_pooled_ratios,
    format_status,
    is_missing,
)
from analysis.status import STATUS_NOTES
from analysis.tables.counterfactual import primary_text_columns

GROUPING_LABELS = {
    "all": "all ceasefires",
    c.CF_CLASS: "class",
    c.CF_PURPOSES: "purpose",
    c.CF_MEDIATORS: "mediator",
    c.CF_MEDIATOR_BLOCS: "mediator bloc",
}
"""How each grouping of :func:`analysis.all_ceasefires_groups.effects_by_group` is named."""


def shown_rows(table: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """The estimated ceasefires a report lists and draws: all of them, or the ``max_rows``
    with the most events before the ceasefire (the most precise), sorted by rate ratio.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table`.
    max_rows : int
        Most rows shown.

    Returns
    -------
    pandas.DataFrame
        Rows of ``table`` with an estimate, at most ``max_rows``, lowest rate ratio first.
    """
    estimated = table[table["status"].isin(ESTIMATED)]
    kept = estimated.sort_values(["events_pre", c.CF_ID], ascending=[False, True]).head(max_rows)
    return kept.sort_values(["estimate", c.CF_ID], kind="stable")


def shown_caption(table: pd.DataFrame, max_rows: int) -> str:
    """What :func:`shown_rows` lists, and a summary of the estimated rows it leaves out.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table`.
    max_rows : int
        Most rows shown.

    Returns
    -------
    str
        E.g. '40 of 812 estimated ceasefires shown (most events before); the other 772: median
        rate ratio 0.91, middle half 0.52-1.6'.
    """
    estimated = table[table["status"].isin(ESTIMATED)]
    shown = shown_rows(table, max_rows)
    if len(estimated) == 0:
        return f"0 of {len(table)} ceasefires estimated: the next table says why"
    if len(shown) == len(estimated):
        return f"{len(estimated)} ceasefires with an estimate, lowest rate ratio first"
    rest = estimated.drop(index=shown.index)["estimate"]
    return (
        f"{len(shown)} of {len(estimated)} estimated ceasefires shown (those with the most events "
        f"before), lowest rate ratio first; the other {len(rest)}: median rate ratio "
        f"{format_number(rest.median())}, middle half {format_number(rest.quantile(0.25))}–"
        f"{format_number(rest.quantile(0.75))}"
    )


def all_effects_table(table: pd.DataFrame, max_rows: int = 40) -> pd.DataFrame:
    """Every shown ceasefire (:func:`shown_rows`) as text: what it counted, events before and
    during, rate ratio with interval, p- and q-value.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table`.
    max_rows : int, default 40
        Most rows shown.

    Returns
    -------
    pandas.DataFrame
        Text, one row per shown ceasefire; columns Ceasefire, Country, In force from, Class,
        Mediators, Counted, Events before / during, Days before / during, Rate ratio, 95%
        interval, p-value, q-value, Result; when the primary estimate was computed, also
        Primary ratio, Primary 95% interval, Smallest detectable fall and Primary result.
    """
    rows = shown_rows(table, max_rows)
    out = pd.DataFrame(
        {
            "Ceasefire": rows[c.CF_ID].astype(str),
            "Country": rows[c.CF_COUNTRY],
            "In force from": rows["during_start"].map(format_date),
            "Class": rows[c.CF_CLASS].map(
                lambda v: MISSING if pd.isna(v) else f"{v} {c.CEASEFIRE_CLASSES.get(v, '')}".strip()
            ),
            "Mediators": rows[c.CF_MEDIATORS].map(format_list),
            "Counted": rows["outcome"],
            "Events before / during": [
                f"{format_count(a)} / {format_count(b)}"
                for a, b in zip(rows["events_pre"], rows["events_during"], strict=True)
            ],
            "Days before / during": [
                f"{format_count(a)} / {format_count(b)}"
                for a, b in zip(rows["n_pre"], rows["n_during"], strict=True)
            ],
            "Rate ratio": rows["estimate"].map(format_number),
            "95% interval": format_intervals(rows),
            "p-value": rows["p_value"].map(format_p),
            "q-value": rows["q_value"].map(format_p),
            "Result": rows["status"].map(format_status),
        }
    )
    primary = primary_text_columns(table, rows)
    return pd.concat([out, primary], axis=1).reset_index(drop=True)


def primary_rows(table: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """The ceasefires with a primary estimate a report records: all of them, or the
    ``max_rows`` with the most events expected without the ceasefire (the most precise).

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table` after
        :func:`analysis.all_ceasefires_primary.with_primary`.
    max_rows : int
        Most rows kept.

    Returns
    -------
    pandas.DataFrame
        Rows of ``table`` with a primary estimate, at most ``max_rows``, lowest primary
        ratio first.
    """
    estimated = table[table["primary_status"].isin(ESTIMATED)]
    kept = estimated.sort_values(["primary_predicted", c.CF_ID], ascending=[False, True])
    return kept.head(max_rows).sort_values(["primary_estimate", c.CF_ID], kind="stable")


def primary_summary(effects: AllCeasefires) -> pd.DataFrame:
    """How many ceasefires fell or rose clearly by the primary and by the descriptive
    estimate, and the median smallest fall the primary estimate could detect.

    Parameters
    ----------
    effects : AllCeasefires
        After :func:`analysis.all_ceasefires_primary.with_primary`.

    Returns
    -------
    pandas.DataFrame
        Text; rows Ceasefires with an estimate, Interval wholly below 1 (fell), Interval
        wholly above 1 (rose), Median smallest detectable fall (80% power); columns What,
        Primary: observed / counterfactual, Descriptive: during / before.
    """
    return pd.DataFrame(
        {
            "What": [
                "Ceasefires with an estimate",
                "Interval wholly below 1 (fell)",
                "Interval wholly above 1 (rose)",
                "Median smallest detectable fall (80% power)",
            ],
            "Primary: observed / counterfactual": [
                format_count(effects.n_primary_estimated),
                format_count(effects.n_primary_fell),
                format_count(effects.n_primary_rose),
                format_number(effects.median_primary_mde)
                + (
                    ""
                    if is_missing(effects.median_primary_mde)
                    else f" ratio: {missable_fall_text(effects.median_primary_mde)}"
                ),
            ],
            "Descriptive: during / before": [
                format_count(effects.n_estimated),
                format_count(effects.n_fell),
                format_count(effects.n_rose),
                MISSING,
            ],
        }
    )


def not_estimated_summary(table: pd.DataFrame) -> pd.DataFrame:
    """How many ceasefires got no estimate, by reason, with a few of their ids.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per status without an estimate (most frequent first); columns Result,
        Ceasefires, Why, Examples (up to five ids).
    """
    missing = table[~table["status"].isin(ESTIMATED)]
    if missing.empty:
        return pd.DataFrame(columns=["Result", "Ceasefires", "Why", "Examples"])
    grouped = missing.groupby("status", sort=False)[c.CF_ID]
    counts = grouped.size().sort_values(ascending=False, kind="stable")
    examples = grouped.agg(lambda ids: ", ".join(ids.astype(str).head(5)))
    return pd.DataFrame(
        {
            "Result": counts.index.map(format_status),
            "Ceasefires": counts.map(format_count).to_numpy(),
            "Why": counts.index.map(lambda s: STATUS_NOTES.get(s, "")),
            "Examples": examples.reindex(counts.index).to_numpy(),
        }
    )


def not_estimated_table(table: pd.DataFrame, max_rows: int = 40) -> pd.DataFrame:
    """Ceasefires without an estimate, one row each with its own reason (the first
    ``max_rows`` by declaration date).

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table`.
    max_rows : int, default 40
        Most rows shown.

    Returns
    -------
    pandas.DataFrame
        Text; columns Ceasefire, Country, Declared, Counted, Result, Reason.
    """
    rows = table[~table["status"].isin(ESTIMATED)].sort_values(["declared", c.CF_ID])
    rows = rows.head(max_rows)
    return pd.DataFrame(
        {
            "Ceasefire": rows[c.CF_ID].astype(str),
            "Country": rows[c.CF_COUNTRY],
            "Declared": rows["declared"].map(format_date),
            "Counted": rows["outcome"],
            "Result": rows["status"].map(format_status),
            "Reason": rows["reason"],
        }
    ).reset_index(drop=True)


def group_effects_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Pooled rate ratios by class, purpose, mediator and mediator bloc, as text.

    Parameters
    ----------
    groups : pandas.DataFrame
        The output of :func:`analysis.all_ceasefires_groups.effects_by_group`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per grouping and group; columns Pooled by, Group, Ceasefires pooled,
        Pooled rate ratio, 95% interval, p-value, Heterogeneity I² (%), Left out (no estimate).
    """
    return pd.DataFrame(
        {
            "Pooled by": groups["grouping"].map(GROUPING_LABELS).fillna(groups["grouping"]),
            "Group": groups["group"].astype(str).str.replace("_", " "),
            "Ceasefires pooled": groups["k"].map(format_count),
            "Pooled rate ratio": format_pooled_ratios(groups),
            "95% interval": format_intervals(groups),
            "p-value": groups["p_value"].map(format_p),
            "Heterogeneity I² (%)": format_heterogeneity(groups),
            "Left out (no estimate)": groups["k_excluded"].map(format_count),
        }
    )


def first_event_table(survival: GroupSurvival) -> pd.DataFrame:
    """Ceasefires per group, how many saw an event on their dyads before the data end, and
    the Kaplan-Meier median days until the first one.

    Parameters
    ----------
    survival : GroupSurvival
        From :func:`analysis.all_ceasefires_groups.survival_by_group`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per group; columns the grouping's label, Ceasefires, Event before the
        data end, Median days to the first event ('not reached' when fewer than half had one).
    """
    medians = survival.medians
    label = GROUPING_LABELS.get(survival.grouping, survival.grouping).capitalize()
    return pd.DataFrame(
        {
            label: medians["group"].astype(str).str.replace("_", " "),
            "Ceasefires": medians["n"].map(format_count),
            "Event before the data end": medians["breakdowns"].map(format_count),
            "Median days to the first event": medians["median_days"].map(
                lambda v: "not reached" if pd.isna(v) else format_count(v)
            ),
        }
    )
