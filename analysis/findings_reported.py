"""The published-counts finding led by its primary estimate: one monitor, before vs during.

Split from :mod:`analysis.findings` (which keeps the descriptive sentence over every count) so
that module stays small. The hedging follows :mod:`analysis.reported_pairs`: the exact Poisson
interval is the narrowest defensible one for two published counts, so

* an interval that includes 1, or lies above it, means **no evidence of a fall** under any
  overdispersion (a wider interval around the same ratio includes 1 too);
* a fall or rise that excludes 1 only under Poisson is called **not robust to
  overdispersion**, because strike counts vary more than Poisson counts and a wider interval
  may include 1.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis import findings
from analysis.finding_base import QUESTION_STRIKES, Finding, KeyNumber, p_text, percent_text
from analysis.formatting import format_count, format_date, format_number
from analysis.reported_pairs import (
    BEFORE_END,
    BEFORE_START,
    DURING_END,
    DURING_START,
    FALL_POISSON_ONLY,
    IS_PRIMARY,
    RISE_POISSON_ONLY,
    ROBUST_NO_FALL,
)
from analysis.status import STATUS_LABELS, STATUS_NO_PAIR, STATUS_OK, STATUS_ZERO_DURING

OVERDISPERSION_WORDS = {
    ROBUST_NO_FALL: (
        "No evidence of a fall. This holds beyond the Poisson model: strikes cluster in days and "
        "weeks, so published counts vary more than Poisson counts, and any interval that "
        "allows for it is wider around the same ratio and includes 1 too."
    ),
    FALL_POISSON_ONLY: (
        "The interval lies below 1 only under the Poisson model, so the fall is not robust to "
        "overdispersion: strikes cluster in days and weeks, so published counts vary more "
        "than Poisson counts, and a wider interval may include 1."
    ),
    RISE_POISSON_ONLY: (
        "The interval lies above 1 under the Poisson model, but the rise is not robust to "
        "overdispersion (a wider interval may include 1); no evidence of a fall holds either "
        "way."
    ),
}
"""The sentence added for each :func:`analysis.reported_pairs.overdispersion_reading`."""

NO_CLEAR_FALL_WORDS = (
    "No clear fall: the interval includes 1, and any wider interval that allows for "
    "overdispersion (strikes cluster in days and weeks) includes it too."
)
"""Instead of :data:`ROBUST_NO_FALL`'s words when the ratio is below 1 but its interval
includes 1: a lower rate, but no clear evidence of a fall."""


def primary_sentence(primary: Any, ceasefire_id: str) -> str:
    """The primary within-monitor comparison in words, hedged for overdispersion.

    Parameters
    ----------
    primary : PrimaryPair
        From :func:`analysis.reported_pairs.primary_pair`.
    ceasefire_id : str
        The ceasefire chain, named in the sentence.

    Returns
    -------
    str
        Counts, periods, rate ratio, exact 95% interval, p-value for a fall, what the interval
        means once counts may be overdispersed, and the smallest detectable fall.
    """
    if primary.status == STATUS_NO_PAIR:
        return (
            "No monitor published national counts of the same kind both wholly before "
            f"(ending at most {primary.max_gap_days} days before) and wholly during "
            f"{ceasefire_id}, so there is no within-monitor estimate."
        )
    kind = primary.measure_kind.replace("_", " ")
    row = primary.pairs[primary.pairs[IS_PRIMARY]].iloc[0]
    counted = (
        f"{primary.monitor} counted {format_count(primary.during_count)} {kind} from "
        f"{format_date(row[DURING_START])} to {format_date(row[DURING_END])} "
        f"({format_count(primary.during_days)} days, during {ceasefire_id}), against "
        f"{format_count(primary.before_count)} from {format_date(row[BEFORE_START])} to "
        f"{format_date(row[BEFORE_END])} ({format_count(primary.before_days)} days, before it)"
    )
    if primary.status not in (STATUS_OK, STATUS_ZERO_DURING):
        label = STATUS_LABELS.get(primary.status, primary.status)
        return f"{counted}: no rate ratio ({label})."
    numbers = (
        f"rate ratio per day {format_number(primary.rate_ratio)} (exact Poisson 95% interval "
        f"{format_number(primary.ci_low)} to {format_number(primary.ci_high)}; "
        f"{p_text(primary.p_fall)} for a fall)"
    )
    reading = OVERDISPERSION_WORDS[primary.reading]
    if primary.reading == ROBUST_NO_FALL and primary.rate_ratio < 1:
        reading = NO_CLEAR_FALL_WORDS
    text = f"{counted}: {numbers}. {reading}"
    if math.isnan(primary.mde):
        text += " Too few counts before to detect even a halt reliably."
    else:
        text += (
            f" Only a fall to {format_number(primary.mde, 2)} times the earlier rate or lower (by "
            f"{percent_text(primary.mde)} or more) would have been detected with 80% power."
        )
    return text


def reported_primary(primary: Any, ceasefire_id: str) -> Finding:
    """The primary comparison alone, as a finding (sentence and four numbers).

    Parameters
    ----------
    primary : PrimaryPair
        From :func:`analysis.reported_pairs.primary_pair`.
    ceasefire_id : str
        The ceasefire chain, named in the sentence.

    Returns
    -------
    Finding
        Question 1; numbers: the rate ratio, the lower end of its interval (lower still under
        overdispersion), the p-value for a fall and the smallest detectable fall (all NaN
        without a pair).
    """
    numbers = (
        KeyNumber(
            "rate ratio during / before, same monitor (1 = no change)", primary.rate_ratio, ""
        ),
        KeyNumber("lower end of its exact Poisson 95% interval", primary.ci_low, ""),
        KeyNumber("p-value for a fall (exact, one-sided)", primary.p_fall, ""),
        KeyNumber("smallest fall detectable with 80% power (ratio)", primary.mde, ""),
    )
    return Finding(QUESTION_STRIKES, primary_sentence(primary, ceasefire_id), numbers)


def reported_counts(rates: pd.DataFrame, ceasefire_id: str, primary: Any) -> Finding:
    """Notebook 05's finding: the primary within-monitor comparison, then every count.

    Parameters
    ----------
    rates : pandas.DataFrame
        The shown rows of :func:`analysis.reported.rate_table`.
    ceasefire_id : str
        The ceasefire chain, named in the sentences.
    primary : PrimaryPair
        From :func:`analysis.reported_pairs.primary_pair`.

    Returns
    -------
    Finding
        Question 1; the primary sentence followed by :func:`analysis.findings.reported_counts`
        as a description; numbers those of :func:`reported_primary`.
    """
    lead = reported_primary(primary, ceasefire_id)
    descriptive = findings.reported_counts(rates, ceasefire_id)
    rest = descriptive.text[:1].lower() + descriptive.text[1:]
    text = f"{lead.text} Descriptively, across the counts shown: {rest}"
    return Finding(QUESTION_STRIKES, text, lead.numbers)
