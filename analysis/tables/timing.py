"""Tables of question 2: declarations, the diplomatic calendar, the timing test and event study.

Each builder returns a DataFrame of text, one row per item, for
:func:`analysis.formatting.report_table` to display.
"""

from __future__ import annotations

import pandas as pd

from analysis import contract as c
from analysis.formatting import (
    format_count,
    format_date,
    format_heterogeneity,
    format_intervals,
    format_note,
    format_number,
    format_p,
    format_pooled_ratios,
    format_status,
)


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
    where the null puts them (whole extension chains moved), the one-sided p-value and its
    Holm adjustment across blocs, in whole days.

    Parameters
    ----------
    test : pandas.DataFrame
        The output of :func:`analysis.timing.timing_permutation_test`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per bloc; columns Bloc, Dated events, Declarations (chains), Median days to
        nearest event, Mean days to nearest event, Chains moved: mean (90% range), p-value
        (closer than chance), Holm-adjusted p, Note.
    """
    return pd.DataFrame(
        {
            "Bloc": test["bloc"],
            "Dated events": test["n_bloc_events"].map(format_count),
            "Declarations (chains)": [
                f"{format_count(n)} ({format_count(k)})"
                for n, k in zip(test["n_dates"], test["n_chains"], strict=True)
            ],
            "Median days to nearest event": test["observed_median_days"].map(format_count),
            "Mean days to nearest event": test["observed_mean_days"].map(format_count),
            "Chains moved: mean (90% range)": [
                f"{format_count(m)} ({format_count(lo)}–{format_count(hi)})"
                for m, lo, hi in zip(
                    test["null_mean_days"],
                    test["null_q05_days"],
                    test["null_q95_days"],
                    strict=True,
                )
            ],
            "p-value (closer than chance)": test["p_value"].map(format_p),
            "Holm-adjusted p": test["p_holm"].map(format_p),
            "Note": test["note"].map(format_note),
        }
    )


def timing_caption(test: pd.DataFrame) -> str:
    """One line under the timing table: the null used, the any-bloc p-value, the resolution
    of the p-values and the floor of the Holm-adjusted ones (blocs with events tested).

    Parameters
    ----------
    test : pandas.DataFrame
        The output of :func:`analysis.timing.timing_permutation_test`.

    Returns
    -------
    str
        E.g. "Null: each of 5 extension chains shifted as a block within the study window
        (9999 sets; p cannot go below 0.0001; Holm-adjusted over 5 blocs, not below 0.0005).
        Closer than chance to any bloc: p = 0.033."
    """
    first = test.iloc[0]
    n_tested = int((test["n_bloc_events"] > 0).sum())
    # Holm multiplies the smallest p by the number of blocs tested: its floor, not the raw one,
    # is what a reader comparing the adjusted p-values with 0.05 needs.
    holm_floor = min(1.0, n_tested * float(first["resolution"]))
    if first["null"] == "chain_jitter":
        moved = f"moved by at most ±{format_count(first['jitter_days'])} days"
    else:
        moved = "shifted as a block within the study window"
    return (
        f"Null: each of {format_count(first['n_chains'])} extension chains {moved} "
        f"({format_count(first['n_permutations'])} sets; p cannot go below "
        f"{format_number(first['resolution'], 2)}; Holm-adjusted over {n_tested} "
        f"{'bloc' if n_tested == 1 else 'blocs'}, not below {format_number(holm_floor, 2)}). "
        f"Closer than chance to any bloc: p = {format_p(first['p_any_bloc'])}."
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
            "Rate ratio after / before (pooled)": format_pooled_ratios(per_bloc),
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
