"""Tables of the date sensitivity: the claims, the effect and the timing test under them, and
one published count beside the others for the same weeks.

Each builder returns a DataFrame of text, one row per item, for
:func:`analysis.formatting.report_table` to display.
"""

from __future__ import annotations

import pandas as pd

from analysis import contract as c
from analysis.formatting import (
    format_count,
    format_date,
    format_intervals,
    format_number,
    format_p,
    format_status,
)
from analysis.reported import PER_DAY
from analysis.sensitivity import (
    IS_ANCHOR,
    SAME_PERIOD,
    SHARED_DAYS,
    CountsBeside,
    DateSensitivity,
    TimingSensitivity,
)


def _percent(share: pd.Series) -> pd.Series:
    return share.map(lambda v: f"{100 * float(v):.0f}%")


def claims_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The date claims as text: which row and date column, the date each source gives.

    Parameters
    ----------
    claims : pandas.DataFrame
        Rows of the DATE_CLAIMS table (e.g. those about the rows a report uses).

    Returns
    -------
    pandas.DataFrame
        Text, one row per claim; columns Row, Date column, Date, What the source says, Source.
    """
    return pd.DataFrame(
        {
            "Row": claims[c.DC_ROW_ID].astype(str).to_numpy(),
            "Date column": claims[c.DC_FIELD].astype(str).to_numpy(),
            "Date": [
                format_date(day, precision)
                for day, precision in zip(claims[c.DC_DATE], claims[c.DC_PRECISION], strict=True)
            ],
            "What the source says": claims[c.DC_NOTE].fillna("").astype(str).to_numpy(),
            "Source": claims[c.DC_SOURCE_URL].astype(str).to_numpy(),
        }
    )


def date_sensitivity_table(result: DateSensitivity) -> pd.DataFrame:
    """The rate ratio under the bundled dates and each combination of claimed dates.

    Parameters
    ----------
    result : analysis.sensitivity.DateSensitivity
        From :func:`analysis.sensitivity.effect_under_claims`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per set of dates; columns Dates, Claims used, Declared, In force from, Rate
        ratio, 95% interval, p, Events before / during, Estimate, Same windows as bundled.
    """
    table = result.table
    return pd.DataFrame(
        {
            "Dates": table["scenario"].astype(str),
            "Claims used": table["claim_ids"].fillna("").str.replace(c.LIST_SEPARATOR, ", "),
            "Declared": table["declared"].map(format_date),
            "In force from": table["effective"].map(format_date),
            "Rate ratio": table["estimate"].map(format_number),
            "95% interval": format_intervals(table),
            "p": table["p_value"].map(format_p),
            "Events before / during": table["events_pre"].map(format_count)
            + " / "
            + table["events_during"].map(format_count),
            "Estimate": table["status"].map(format_status),
            "Same windows as bundled": table["same_as_bundled"].map({True: "yes", False: "no"}),
        }
    )


def timing_sensitivity_table(result: TimingSensitivity) -> pd.DataFrame:
    """Per bloc, how often the timing test's conclusion holds under dates drawn from the claims.

    Parameters
    ----------
    result : analysis.sensitivity.TimingSensitivity
        From :func:`analysis.sensitivity.timing_under_claims`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per bloc; columns Bloc, p (bundled dates), Conclusion (bundled dates),
        Draws, Draws with p below alpha, Same conclusion, p across draws.
    """
    summary = result.summary
    threshold = format_number(result.alpha)
    return pd.DataFrame(
        {
            "Bloc": summary["bloc"].astype(str),
            "p (bundled dates)": summary["bundled_p_value"].map(format_p),
            "Conclusion (bundled dates)": summary["bundled_significant"].map(
                {True: "closer than chance", False: "not closer than chance"}
            ),
            "Draws": summary["n_draws"].map(format_count),
            f"Draws with p < {threshold}": summary["draws_significant"].map(format_count)
            + " ("
            + _percent(summary["share_significant"])
            + ")",
            "Same conclusion": _percent(summary["share_same_conclusion"]),
            "p across draws": summary["p_min"].map(format_p)
            + " to "
            + summary["p_max"].map(format_p),
        }
    )


def counts_beside_table(result: CountsBeside) -> pd.DataFrame:
    """One published count and the others for the same weeks, each with what it counted.

    Parameters
    ----------
    result : analysis.sensitivity.CountsBeside
        From :func:`analysis.sensitivity.counts_beside`.

    Returns
    -------
    pandas.DataFrame
        Text, one row per count (the chosen one first); columns Count, Monitor, What was counted,
        Measure kind, Area, Period, Reported, Civilians killed, Injured, Per day, Days shared.
        No column adds counts together.
    """
    table = result.table
    shared = [
        "same period" if same else ("open count" if pd.isna(days) else format_count(days))
        for same, days in zip(table[SAME_PERIOD], table[SHARED_DAYS], strict=True)
    ]
    return pd.DataFrame(
        {
            "Count": [
                f"{cid} (this count)" if anchor else str(cid)
                for cid, anchor in zip(table[c.RC_ID], table[IS_ANCHOR], strict=True)
            ],
            "Monitor": table[c.RC_MONITOR].astype(str),
            "What was counted": table[c.RC_MEASURE].astype(str),
            "Measure kind": table[c.RC_MEASURE_KIND].astype(str).str.replace("_", " "),
            "Area": table[c.RC_SCOPE].astype(str),
            "Period": table[c.RC_PERIOD_START].map(format_date)
            + " to "
            + table[c.RC_PERIOD_END].map(format_date),
            "Reported": table[c.RC_STRIKES].map(format_count),
            "Civilians killed": table[c.RC_CIVILIAN_DEATHS].map(format_count),
            "Injured": table[c.RC_INJURED].map(format_count),
            "Per day": table[PER_DAY].map(format_number),
            "Days shared": shared,
        }
    )
