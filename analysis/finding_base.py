"""The pieces every finding is built from: the Finding and KeyNumber results, the question
numbers, and the hedged sentence for a ratio with its interval.

Split from :mod:`analysis.findings` (one function per notebook's question), which builds on
them; the runner reads the question names and number formatting from here.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

from scipy import stats

from analysis import contract as c
from analysis.formatting import format_count, format_date, format_number, format_p, is_missing
from analysis.results import Result
from analysis.status import STATUS_COARSE, STATUS_NO_PLACEBO_ROOM

MAX_NUMBERS = 4
"""A card shows at most this many labelled numbers; the rest stay in the report."""

ALPHA = 0.05
"""p-values below this are called small; the sentences still name the p-value."""

QUESTION_DATA = 0
QUESTION_STRIKES = 1
QUESTION_TIMING = 2
QUESTION_ALIGNMENT = 3
QUESTIONS = {
    QUESTION_STRIKES: "Did strikes fall when a ceasefire was declared, extended or brokered?",
    QUESTION_TIMING: "Is ceasefire timing tied to the diplomatic calendar?",
    QUESTION_ALIGNMENT: "Does geopolitical alignment change where and how often strikes fall?",
    QUESTION_DATA: "What do the event data contain?",
}
"""The project's three questions (and the data audit), by the number findings record."""


@dataclass(frozen=True)
class KeyNumber(Result):
    """One labelled number of a finding, e.g. ``events per day before: 0.36 per day``.

    Ratios and p-values have no unit (``""``); their label says what 1 or small means."""

    label: str
    value: float | int | None
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """Label, value (None when missing) and unit, ready for ``results.record``."""
        value = None if is_missing(self.value) else self.value
        return {"label": self.label, "value": value, "unit": self.unit}


@dataclass(frozen=True)
class Finding(Result):
    """A notebook's finding: sentences, the question it answers and its key numbers."""

    question: int
    text: str
    numbers: tuple[KeyNumber, ...] = ()

    def __post_init__(self) -> None:
        if len(self.numbers) > MAX_NUMBERS:
            raise ValueError(f"a finding shows at most {MAX_NUMBERS} numbers")

    def to_dict(self) -> dict[str, Any]:
        """The keys a notebook records: ``finding``, ``finding_question``, ``key_numbers``."""
        return {
            "finding": self.text,
            "finding_question": self.question,
            "key_numbers": [number.to_dict() for number in self.numbers],
        }

    def _repr_html_(self) -> str:
        items = "".join(
            f"<li>{html.escape(n.label)}: {html.escape(number_text(n.value))} "
            f"{html.escape(n.unit)}</li>"
            for n in self.numbers
        )
        return f"<p><strong>Finding.</strong> {html.escape(self.text)}</p><ul>{items}</ul>"


def number_text(value: Any) -> str:
    """A key number as text: counts with separators, other numbers to three digits.

    Parameters
    ----------
    value : Any
        The number (None or NaN when missing).

    Returns
    -------
    str
        E.g. ``1,204``, ``0.36``, ``—``.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return format_count(value)
    return format_number(value)


def p_text(value: float) -> str:
    """A p-value in a sentence: ``p = 0.03`` or ``p < 0.001``.

    Parameters
    ----------
    value : float
        The p-value.

    Returns
    -------
    str
        The phrase.
    """
    text = format_p(value)
    return f"p {text[0]} {text[1:]}" if text.startswith("<") else f"p = {text}"


def percent_text(ratio: float) -> str:
    """The size of a change a rate ratio means, as a whole percent ('62%')."""
    return f"{abs(ratio - 1) * 100:.0f}%"


def interval_text(low: float, high: float) -> str:
    return f"95% interval {format_number(low)} to {format_number(high)}"


def ratio_sentence(
    estimate: float, low: float, high: float, what: str, comparison: str
) -> tuple[str, str]:
    """A rate ratio with its interval as a sentence, and its direction.

    Parameters
    ----------
    estimate, low, high : float
        The ratio and its 95% interval.
    what : str
        What changed, e.g. ``'Events per day'``.
    comparison : str
        Against what, e.g. ``'during the ceasefire compared with the 90 days before'``.

    Returns
    -------
    tuple of str
        The sentence and the direction: ``'fall'``, ``'rise'`` or ``'unclear'`` (the interval
        includes 1).
    """
    numbers = f"(rate ratio {format_number(estimate)}, {interval_text(low, high)})"
    if high < 1:
        numbers = numbers[:-1] + f"; a fall of at least {percent_text(high)})"
        return f"{what} fell by {percent_text(estimate)} {comparison} {numbers}.", "fall"
    if low > 1:
        return f"{what} rose by {percent_text(estimate)} {comparison} {numbers}.", "rise"
    bounds = []
    if low > 0.05:
        bounds.append(f"a fall larger than {percent_text(low)} is unlikely")
    if math.isfinite(high) and high < 20:
        bounds.append(f"a rise larger than {percent_text(high)} is unlikely")
    limit = "; ".join(bounds) if bounds else "the data are too few to rule out large changes"
    text = f"No clear change in {what.lower()} {comparison} {numbers}: {limit}."
    return text, "unclear"


def zero_event_p(predicted: float, se_log: float, df: float) -> float:
    """The primary estimate's p-value had no event at all been recorded.

    The forecast statistic is ``log((observed + 0.5) / (predicted + 0.5))`` on the t scale of
    :func:`analysis.counterfactual.counterfactual_core`; with ``observed = 0`` it is the
    largest fall the window can show, ``0.5 / (predicted + 0.5)`` as a ratio.

    Parameters
    ----------
    predicted : float
        Events expected without a ceasefire.
    se_log : float
        Standard error of the log ratio.
    df : float
        Its degrees of freedom.

    Returns
    -------
    float
        Two-sided p-value of a window without events (NaN when it cannot be computed).
    """
    if is_missing(predicted) or is_missing(se_log) or is_missing(df) or not se_log > 0:
        return math.nan
    floor = math.log(0.5 / (predicted + 0.5))
    return float(2 * stats.t.sf(abs(floor) / se_log, df))


def no_fall_detectable(mde: float, predicted: float) -> bool:
    """Whether the smallest detectable ratio lies below what a window without events gives.

    A window with no events reads 0.5 / (predicted + 0.5) on the estimator's scale (the
    statistic keeps its +0.5); a smallest detectable ratio below that cannot be reached.

    Parameters
    ----------
    mde : float
        The smallest detectable ratio (80% power).
    predicted : float
        Events the forecast expects over the window.

    Returns
    -------
    bool
        True when no fall could be detected; False when either value is missing.
    """
    if is_missing(mde) or is_missing(predicted):
        return False
    return bool(mde < 0.5 / (predicted + 0.5))


def detectable_fall_short(mde: float, predicted: float) -> str:
    """The smallest detectable fall for a table column: ``65% (ratio 0.35)``, or ``none short
    of a halt`` when a window without events would not reach it (:func:`no_fall_detectable`).

    Parameters
    ----------
    mde : float
        The smallest detectable ratio (80% power).
    predicted : float
        Events the forecast expects over the window.

    Returns
    -------
    str
        The cell text (an em dash when ``mde`` is missing).
    """
    if is_missing(mde):
        return format_number(mde)
    if no_fall_detectable(mde, predicted):
        return "none short of a halt"
    return f"{percent_text(mde)} (ratio {format_number(mde)})"


NO_FALL = "no_fall"
ONLY_A_HALT = "only_a_halt"
SOME_FALL = "some_fall"


def _detectability(mde: float, predicted: float, se_log: float, df: float) -> tuple[str, float]:
    """Which falls a forecast window could show, and the p-value of a window without events.

    :data:`NO_FALL` when even no events would not be a clear fall, :data:`ONLY_A_HALT` when
    no events would be but 80% power needs fewer (:func:`no_fall_detectable`), else
    :data:`SOME_FALL` (falls down to the smallest detectable ratio).
    """
    p_zero = zero_event_p(predicted, se_log, df)
    if not is_missing(p_zero) and p_zero > ALPHA:
        return NO_FALL, p_zero
    if no_fall_detectable(mde, predicted):
        # 80% power would need fewer than no events: only a halt could have shown
        return ONLY_A_HALT, p_zero
    return SOME_FALL, p_zero


def detectable_fall_text(mde: float, predicted: float, se_log: float, df: float) -> str:
    """What fall a forecast window could have shown, as a sentence: a percentage, or that
    none could be detected because even a window without events would not be a clear fall.

    Parameters
    ----------
    mde : float
        The smallest detectable ratio (80% power).
    predicted, se_log, df : float
        As in :func:`zero_event_p`.

    Returns
    -------
    str
        E.g. ``Only a fall of at least 87% would have been detected reliably (80% power).``
        (empty when ``mde`` is missing).
    """
    if is_missing(mde):
        return ""
    reach, p_zero = _detectability(mde, predicted, se_log, df)
    if reach == NO_FALL:
        return (
            "No fall could be detected over these days: even no events at all would not "
            f"have been a clear fall ({p_text(p_zero)})."
        )
    if reach == ONLY_A_HALT:
        return (
            "Only a halt could have shown over these days: no events at all would have been a "
            f"clear fall ({p_text(p_zero)}), any smaller fall not reliably."
        )
    return (
        f"Only a fall of at least {percent_text(mde)} would have been detected reliably "
        "(80% power)."
    )


def detectable_fall_cell(mde: float, predicted: float, se_log: float, df: float) -> str:
    """The smallest detectable fall for a table cell: ``65% (ratio 0.35)``, or ``none`` with
    the p-value a window without events would get when it would not be a clear fall.

    Parameters
    ----------
    mde, predicted, se_log, df : float
        As in :func:`detectable_fall_text`.

    Returns
    -------
    str
        The cell text (an em dash when ``mde`` is missing).
    """
    if is_missing(mde):
        return format_number(mde)
    reach, p_zero = _detectability(mde, predicted, se_log, df)
    if reach == NO_FALL:
        return f"none: no events at all gives {p_text(p_zero)}"
    if reach == ONLY_A_HALT:
        return f"only a halt: no events at all gives {p_text(p_zero)}"
    return detectable_fall_short(mde, predicted)


def shift_sentence(level_shift_on: str, shift_ceasefires: Any) -> str:
    """A baseline's detected level shift named as the ceasefire it coincides with, if any.

    Parameters
    ----------
    level_shift_on : str
        The shift's date (``CounterfactualEffect.level_shift_on``; empty: none detected).
    shift_ceasefires : pandas.DataFrame or None
        From :func:`analysis.ceasefire_table.ceasefires_near` at that date, closest first.

    Returns
    -------
    str
        A sentence starting with a space, or empty when there is no shift or no ceasefire
        near it.
    """
    if not level_shift_on or shift_ceasefires is None or len(shift_ceasefires) == 0:
        return ""
    named = [_ceasefire_when(row) for _, row in shift_ceasefires.iterrows()]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return (
        f" The baseline's detected level shift (week of {level_shift_on}) coincides with "
        f"{listed}: the forecast's level is that of the period after "
        f"{'it' if len(named) == 1 else 'them'}, so the expected count is not a level without "
        "any ceasefire."
    )


def _ceasefire_when(row: Any) -> str:
    """A ceasefire with the date it took effect (else the date it was declared)."""
    effective = row[c.CF_EFFECTIVE_FROM]
    if not is_missing(effective):
        return f"{row[c.CF_ID]} (taking effect {format_date(effective)})"
    return f"{row[c.CF_ID]} (declared {format_date(row[c.CF_DECLARED_ON])})"


THIN_CALIBRATION_DF = 10
"""Below this many degrees of freedom a forecast interval rests on few baseline comparisons."""


def calibration_text(pseudo_windows: float, df: float) -> str:
    """How much baseline a forecast interval is calibrated on, said when it is thin.

    Parameters
    ----------
    pseudo_windows : float
        Ceasefire lengths of baseline whose forecast errors set the interval.
    df : float
        The interval's degrees of freedom (``pseudo_windows - 1``).

    Returns
    -------
    str
        E.g. ``The interval is calibrated on forecast errors over only about 3.5 ceasefire
        lengths of baseline (df 2.5), so it rests on few comparisons.``; empty when ``df`` is
        at least :data:`THIN_CALIBRATION_DF` or missing.
    """
    if is_missing(df) or is_missing(pseudo_windows) or df >= THIN_CALIBRATION_DF:
        return ""
    return (
        "The interval is calibrated on forecast errors over only about "
        f"{format_number(pseudo_windows, 2)} ceasefire lengths of baseline (df "
        f"{format_number(df, 2)}), so it rests on few comparisons."
    )


def primary_placebo_text(p_value: float, n_placebos: int, resolution: float) -> str:
    """What the placebo of the primary estimate adds, in one sentence.

    Parameters
    ----------
    p_value : float
        Its two-sided rank p-value (:func:`analysis.placebo_forecast.forecast_placebo_test`).
    n_placebos : int
        Pseudo-windows it ranked the observed forecast error among.
    resolution : float
        The step of its p-value, ``1 / (1 + n_placebos)``.

    Returns
    -------
    str
        E.g. ``Placebo of the primary: against the same estimate made in 57 stretches
        without a ceasefire, this one has p = 0.21 (two-sided, in steps of 0.0172).``, saying
        when it can never reach 0.05 (below 39 pseudo-windows); empty without any.
    """
    if is_missing(p_value) or not n_placebos:
        return ""
    windows = "stretch" if n_placebos == 1 else "stretches"
    text = (
        f"Placebo of the primary: against the same estimate made in "
        f"{format_count(n_placebos)} {windows} without a ceasefire, this one has "
        f"{p_text(p_value)} (two-sided, in steps of {format_number(resolution, 3)})"
    )
    floor = 2 / (1 + n_placebos)
    if floor > 0.05:
        text += (
            f"; with so few stretches p cannot go below {format_number(floor, 2)}, so it can "
            "never reach 0.05"
        )
    return text + "."


def matched_placebo_caveat(change: str, status: str, matched_p: float, n_windows: int) -> str:
    """What the spike-matched placebo says about a clear change of the descriptive ratio.

    Parameters
    ----------
    change : {"falls", "rises"}
        The direction of the change.
    status : str
        The placebo's status (``no_placebo_room`` and ``coarse`` get their own sentence).
    matched_p : float
        Its two-sided p-value.
    n_windows : int
        Pseudo-windows it used.

    Returns
    -------
    str
        One sentence: rare, common, or cannot be told (and why).
    """
    if status == STATUS_NO_PLACEBO_ROOM:
        caveat = (
            f"Whether {change} this large also follow equally violent stretches without a "
            "ceasefire cannot be told: no pseudo-window with events in its pre window fits "
            "outside every ceasefire period, so there is no placebo p-value."
        )
    elif status == STATUS_COARSE:
        caveat = (
            f"Whether {change} this large also follow equally violent stretches without a "
            f"ceasefire cannot be told: only {n_windows} "
            f"{'pseudo-window fits' if n_windows == 1 else 'pseudo-windows fit'} outside every "
            f"ceasefire period, so the spike-matched placebo ({p_text(matched_p)}) cannot go "
            f"below {format_number(2 / (1 + n_windows), 2)}, so it can never reach "
            f"{format_number(ALPHA, 2)}."
        )
    elif matched_p < ALPHA:
        caveat = (
            f"{change.capitalize()} this large were rare after equally violent stretches "
            f"without a ceasefire (spike-matched placebo {p_text(matched_p)})."
        )
    else:
        caveat = (
            f"But {change} this large were common after equally violent stretches without a "
            f"ceasefire (spike-matched placebo {p_text(matched_p)}), so the change is not "
            "clearly due to the ceasefire."
        )
    return caveat


def missable_fall_text(mde: float) -> str:
    """A smallest detectable ratio read as the falls that could pass unseen ('up to 93%').

    Parameters
    ----------
    mde : float
        The smallest detectable ratio (80% power), e.g. a median over ceasefires.

    Returns
    -------
    str
        E.g. ``falls of up to 93% could be missed`` (an em dash when missing).
    """
    if is_missing(mde):
        return format_number(mde)
    return f"falls of up to {percent_text(mde)} could be missed"


def monte_carlo_margin(p_value: float, p_adjusted: float, n_permutations: Any) -> float:
    """How far a Monte-Carlo p-value, after a multiple-test adjustment, may move between seeds.

    Two binomial standard errors of the unadjusted p-value, ``sqrt(p (1 - p) / n)``, times the
    factor the adjustment applied (Holm: up to the number of tests). An adjusted p-value closer
    to :data:`ALPHA` than this is on the line: another seed can put it on either side.

    Parameters
    ----------
    p_value : float
        The Monte-Carlo p-value.
    p_adjusted : float
        The same p-value after the adjustment.
    n_permutations : int or None
        Random draws behind ``p_value`` (missing: no Monte-Carlo error is known, 0 returned).

    Returns
    -------
    float
        The margin on the adjusted scale.
    """
    if is_missing(n_permutations) or is_missing(p_value) or not p_value > 0:
        return 0.0
    factor = p_adjusted / p_value if not is_missing(p_adjusted) else 1.0
    return 2 * math.sqrt(p_value * (1 - p_value) / float(n_permutations)) * factor


def rate_per_day(events: float, days: float) -> float:
    return events / days if days else math.nan
