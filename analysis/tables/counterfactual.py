"""Tables of question 1's primary estimate: events during a ceasefire against the counterfactual.

The builders return text for :func:`analysis.formatting.report_table`; the sentence says which
number is primary and what "no drop" can mean given the smallest detectable fall.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.counterfactual import CounterfactualEffect
from analysis.effects import EffectResult
from analysis.finding_base import (
    calibration_text,
    detectable_fall_cell,
    detectable_fall_short,
    detectable_fall_text,
    shift_sentence,
)
from analysis.formatting import (
    format_count,
    format_intervals,
    format_note,
    format_number,
    format_p,
    format_ratio_interval,
    format_status,
)
from analysis.status import STATUS_NOT_COMPUTED, STATUS_OK, STATUS_ZERO_DURING


def primary_table(primary: CounterfactualEffect, descriptive: EffectResult) -> pd.DataFrame:
    """The primary counterfactual ratio beside the descriptive during/before ratio.

    Parameters
    ----------
    primary : CounterfactualEffect
        From :func:`analysis.counterfactual.counterfactual_effect`.
    descriptive : EffectResult
        The during-vs-before ratio of the same ceasefire (``effect.during`` of
        :func:`analysis.effects.estimate_ceasefire_effect`).

    Returns
    -------
    pandas.DataFrame
        Text, two rows (primary, descriptive); columns Estimate, Rate ratio, 95% interval,
        p-value, Smallest detectable fall (80% power), Events during, Events expected without
        the ceasefire (the model forecast corrected by the series' mean forecast error), Model
        forecast before calibration, Days of baseline, Result, Note.
    """
    rows = [
        {
            "Estimate": "Primary: observed vs counterfactual",
            "Rate ratio": format_number(primary.estimate),
            "95% interval": format_ratio_interval(primary.ci_low, primary.ci_high),
            "p-value": format_p(primary.p_value),
            "Smallest detectable fall (80% power)": detectable_fall_cell(
                primary.mde, primary.predicted, primary.se_log, primary.df
            ),
            "Events during": format_count(primary.observed),
            "Events expected without the ceasefire": format_number(primary.predicted),
            "Model forecast before calibration": format_number(primary.model_forecast),
            "Days of baseline": format_count(primary.baseline_days),
            "Result": format_status(primary.status),
            "Note": format_note(primary.note),
        },
        {
            "Estimate": "Descriptive: during vs before",
            "Rate ratio": format_number(descriptive.estimate),
            "95% interval": format_ratio_interval(descriptive.ci_low, descriptive.ci_high),
            "p-value": format_p(descriptive.p_value),
            "Smallest detectable fall (80% power)": "",
            "Events during": format_count(descriptive.events_during),
            "Events expected without the ceasefire": "",
            "Model forecast before calibration": "",
            "Days of baseline": format_count(descriptive.n_pre),
            "Result": format_status(descriptive.status),
            "Note": format_note(descriptive.note),
        },
    ]
    return pd.DataFrame(rows)


def primary_sentence(primary: CounterfactualEffect, shift_ceasefires: Any = None) -> str:
    """One plain sentence on the primary estimate: direction, interval and the detectable fall.

    Parameters
    ----------
    primary : CounterfactualEffect
        From :func:`analysis.counterfactual.counterfactual_effect`.
    shift_ceasefires : pandas.DataFrame, optional
        From :func:`analysis.ceasefire_table.ceasefires_near` at the level shift's date: a
        ceasefire there is named as what set the forecast's level.

    Returns
    -------
    str
        Which number is primary, what it says, and what 'no drop' would mean here.
    """
    if primary.status not in (STATUS_OK, STATUS_ZERO_DURING):
        return f"No primary estimate: {format_note(primary.note)}"
    observed = format_count(primary.observed)
    expected = format_number(primary.predicted)
    ratio = format_number(primary.estimate)
    interval = format_ratio_interval(primary.ci_low, primary.ci_high)
    head = (
        f"Primary estimate: {observed} events during the ceasefire against {expected} expected "
        f"from the series' own trend, season, weekday pattern and persistence, a ratio of "
        f"{ratio} (95% interval {interval})."
    )
    if primary.ci_high < 1:
        verdict = "The fall is larger than this series' forecast errors usually are."
    elif primary.ci_low > 1:
        verdict = "The rise is larger than this series' forecast errors usually are."
    else:
        verdict = (
            "The interval includes 1, so the data are consistent with no change; this is not "
            "evidence of no effect. "
            + detectable_fall_text(primary.mde, primary.predicted, primary.se_log, primary.df)
        )
    # A step in the baseline changes what "expected" means, so the reader is told where it is.
    shift = (
        f" The baseline has a lasting level shift in the week of {primary.level_shift_on}; the "
        "forecast starts from the level after it."
        if primary.level_shift_on
        else ""
    )
    shift += shift_sentence(primary.level_shift_on, shift_ceasefires)
    thin = calibration_text(primary.pseudo_windows, primary.df)
    thin = f" {thin}" if thin else ""
    return f"{head} {verdict}{thin}{shift} The during/before ratio is descriptive only."


def primary_text_columns(table: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The primary estimate of each row as text, to set beside a descriptive table.

    Parameters
    ----------
    table : pandas.DataFrame
        The whole result table (the columns are left out when it has no primary estimate).
    rows : pandas.DataFrame
        The rows shown, with :data:`analysis.counterfactual.PRIMARY_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``rows``; columns Primary ratio, Primary 95% interval, Smallest
        detectable fall, Primary result; no columns when the table has no primary estimate.
    """
    if "primary_status" not in table or (table["primary_status"] == STATUS_NOT_COMPUTED).all():
        return pd.DataFrame(index=rows.index)
    return pd.DataFrame(
        {
            "Primary ratio": rows["primary_estimate"].map(format_number),
            "Primary 95% interval": format_intervals(rows, "primary_ci_low", "primary_ci_high"),
            "Smallest detectable fall": [
                detectable_fall_short(mde, predicted)
                for mde, predicted in zip(
                    rows["primary_mde"], rows["primary_predicted"], strict=True
                )
            ],
            "Primary result": rows["primary_status"].map(format_status),
        },
        index=rows.index,
    )
