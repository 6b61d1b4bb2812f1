"""Findings: each notebook's result in one or two plain sentences, with the right hedging.

A report is read first by people who want the answer, not the table: what the estimate is,
how uncertain it is, and what the design cannot show. Each function here turns one notebook's
result objects into a :class:`Finding`, the sentences plus at most four labelled numbers with
units, which the notebook records (``finding``, ``finding_question``, ``key_numbers``) and the
runner shows at the top of the report, on its gallery card and on the front page.

Hedging rules, the same everywhere:

* a ratio whose 95% interval excludes 1 is a change ("fell by 62%"), otherwise "no clear
  change", followed by what the interval still rules out ("a fall larger than 40% is
  unlikely") or that it rules out little;
* a change is set against its placebo: when changes this large were common at dates without a
  ceasefire, the sentence says so;
* descriptive comparisons (inside vs outside ceasefire windows) are called descriptions, and
  closeness in time is never called influence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.finding_base import (
    ALPHA,
    QUESTION_ALIGNMENT,
    QUESTION_DATA,
    QUESTION_STRIKES,
    QUESTION_TIMING,
    Finding,
    KeyNumber,
    calibration_text,
    detectable_fall_text,
    interval_text,
    matched_placebo_caveat,
    missable_fall_text,
    monte_carlo_margin,
    p_text,
    percent_text,
    primary_placebo_text,
    rate_per_day,
    ratio_sentence,
    shift_sentence,
    zero_event_p,
)
from analysis.formatting import format_count, format_number, format_p, is_missing
from analysis.status import (
    STATUS_LABELS,
    STATUS_NO_PLACEBO_ROOM,
    STATUS_OK,
    STATUS_ZERO_DURING,
)


def strike_timeline(summary: Mapping[str, Any], n_windows: int, start: str, end: str) -> Finding:
    """The strike timeline's finding: a description whose inside/outside gap is confounded.

    Parameters
    ----------
    summary : mapping
        From :func:`analysis.windows.inside_outside_summary` (``mean_daily_events_inside`` and
        ``_outside``, ``days_inside``).
    n_windows : int
        Ceasefire windows shaded.
    start, end : str
        The period drawn.

    Returns
    -------
    Finding
        Question 1; numbers: events per day inside and outside windows, windows, days inside.
    """
    inside = summary["mean_daily_events_inside"]
    outside = summary["mean_daily_events_outside"]
    text = (
        f"From {start} to {end} the counted events averaged {format_number(inside)} per day "
        f"inside the {n_windows} ceasefire windows and {format_number(outside)} per day outside "
        "them. This is a description, not an effect of ceasefires: truces are declared where and "
        "when fighting is heavy, overlap and cover different areas, so inside and outside are "
        "not comparable (the ceasefire-effect reports estimate changes with placebos)."
    )
    return Finding(
        QUESTION_STRIKES,
        text,
        (
            KeyNumber("events per day inside ceasefire windows", inside, "per day"),
            KeyNumber("events per day outside them", outside, "per day"),
            KeyNumber("ceasefire windows shaded", int(n_windows), "windows"),
            KeyNumber("days inside a window", int(summary["days_inside"]), "days"),
        ),
    )


def ceasefire_name(ceasefire_id: Any, declared: Any) -> str:
    """How a sentence names a ceasefire: a curated id reads as a name (``aa-mil-2022-11``); an
    ETH/PRIO uniq_id is a bare number, so it says what it is and its year.

    Parameters
    ----------
    ceasefire_id : str or int
        The ceasefire's id.
    declared : pandas.Timestamp
        Its declaration date (missing: no year is given).

    Returns
    -------
    str
        E.g. ``aa-mil-2022-11`` or ``ceasefire 100001 (declared 2016)``.
    """
    text = str(ceasefire_id)
    if not text.isdigit():
        return text
    return f"ceasefire {text}" + ("" if is_missing(declared) else f" (declared {declared.year})")


def ceasefire_effect(
    effect: Any,
    ceasefire_id: str,
    primary: Any = None,
    shift_ceasefires: Any = None,
    primary_placebo: Any = None,
) -> Finding:
    """One ceasefire's finding: the rate ratio, its interval, and what the placebo says.

    Parameters
    ----------
    effect : CeasefireEffect
        From :func:`analysis.effects.estimate_ceasefire_effect` (its ``during`` estimate and
        ``matched_placebo``).
    ceasefire_id : str
        The ceasefire, named in the sentence.
    primary : CounterfactualEffect, optional
        From :func:`analysis.counterfactual.counterfactual_effect`. When given, the finding
        leads with it (observed against the series' own forecast) and calls the
        during/before comparison descriptive.
    shift_ceasefires : pandas.DataFrame, optional
        The ceasefires near the primary's detected level shift
        (:func:`analysis.ceasefire_table.ceasefires_near` at ``primary.level_shift_on``); when
        it has rows, the finding says the forecast's level is that after the closest one.
    primary_placebo : PlaceboResult, optional
        From :func:`analysis.placebo_forecast.forecast_placebo_test`: a sentence on it follows
        the primary's, and its p-value replaces the spike-matched one among the numbers.

    Returns
    -------
    Finding
        Question 1; numbers: events per day before and during, the rate ratio and the
        spike-matched placebo p-value; with ``primary``, its ratio and smallest detectable
        fall instead of the two rates.
    """
    descriptive = _descriptive_effect(effect, ceasefire_id)
    if primary is None:
        return descriptive
    ceasefire_id = ceasefire_name(ceasefire_id, effect.windows.declared)
    comparison = f"during {ceasefire_id} compared with the series' own forecast for those days"
    if primary.status == STATUS_ZERO_DURING:
        lead = (
            f"No events were recorded during {ceasefire_id}, against "
            f"{format_number(primary.predicted)} expected from the series' own history; the "
            f"rate may still have been up to {format_number(primary.ci_high)} times the "
            "expected one (upper end of the 95% interval)."
        )
        if not is_missing(primary.p_value) and primary.p_value > ALPHA:
            lead += (
                " No fall could be detected over these days: even no events at all is not a "
                f"clear fall ({p_text(primary.p_value)})."
            )
    elif primary.status != STATUS_OK:
        label = STATUS_LABELS.get(primary.status, primary.status)
        lead = f"No primary (forecast-based) estimate for {ceasefire_id}: {label}."
    else:
        lead, direction = ratio_sentence(
            primary.estimate, primary.ci_low, primary.ci_high, "Events", comparison
        )
        if direction == "unclear" and not is_missing(primary.mde):
            lead += " " + detectable_fall_text(
                primary.mde, primary.predicted, primary.se_log, primary.df
            )
    if primary.status in (STATUS_OK, STATUS_ZERO_DURING):
        thin = calibration_text(primary.pseudo_windows, primary.df)
        lead += f" {thin}" if thin else ""
    lead += shift_sentence(primary.level_shift_on, shift_ceasefires)
    if primary_placebo is not None:
        placebo = primary_placebo
        lead += " " + primary_placebo_text(placebo.p_value, placebo.n_placebos, placebo.resolution)
    p_zero = zero_event_p(primary.predicted, primary.se_log, primary.df)
    detectable = (
        KeyNumber("smallest fall detectable with 80% power (ratio)", primary.mde, "")
        if is_missing(p_zero) or p_zero <= ALPHA
        else KeyNumber("p-value even with no events (no fall detectable)", p_zero, "")
    )
    # at most four numbers: the primary's own placebo p, when there is one, replaces the
    # spike-matched p of the descriptive ratio
    others = descriptive.numbers[2:]
    if primary_placebo is not None:
        placebo_p = KeyNumber("placebo p-value of the primary", primary_placebo.p_value, "")
        others = (others[0], placebo_p)
    numbers = (
        KeyNumber("rate ratio observed / forecast (primary, 1 = no change)", primary.estimate, ""),
        detectable,
        *others,
    )
    text = f"{lead} Descriptively, before against during: {descriptive.text}"
    return Finding(QUESTION_STRIKES, text, numbers)


def _descriptive_effect(effect: Any, ceasefire_id: str) -> Finding:
    """The during/before finding (:func:`ceasefire_effect` without a primary estimate)."""
    during = effect.during
    ceasefire_id = ceasefire_name(ceasefire_id, effect.windows.declared)
    before_rate = rate_per_day(during.events_pre, during.n_pre)
    during_rate = rate_per_day(during.events_during, during.n_during)
    matched_p = effect.matched_placebo.p_value
    numbers = (
        KeyNumber("events per day before", before_rate, "per day"),
        KeyNumber("events per day during", during_rate, "per day"),
        KeyNumber("rate ratio during / before (1 = no change)", during.estimate, ""),
        KeyNumber("spike-matched placebo p-value", matched_p, ""),
    )
    comparison = f"during {ceasefire_id} compared with the {during.n_pre} days before it"
    if during.status == STATUS_ZERO_DURING:
        text = (
            f"No events were recorded during {ceasefire_id} ({format_count(during.n_during)} "
            f"days, against {format_count(during.events_pre)} events in the "
            f"{during.n_pre} days before). The rate may still have been up to "
            f"{format_number(during.ci_high)} times the earlier one (upper end of the 95% "
            "interval), and a quiet season can produce a blank like this as easily as a truce."
        )
        return Finding(QUESTION_STRIKES, text, numbers)
    if during.status != STATUS_OK:
        label = STATUS_LABELS.get(during.status, during.status)
        text = f"No estimate for {ceasefire_id}: {label} ({during.note.strip()})."
        return Finding(QUESTION_STRIKES, text, numbers)
    sentence, direction = ratio_sentence(
        during.estimate, during.ci_low, during.ci_high, "Events per day", comparison
    )
    no_room = effect.matched_placebo.status == STATUS_NO_PLACEBO_ROOM
    if direction == "unclear" or (is_missing(matched_p) and not no_room):
        return Finding(QUESTION_STRIKES, sentence, numbers)
    change = "falls" if direction == "fall" else "rises"
    caveat = matched_placebo_caveat(
        change, effect.matched_placebo.status, matched_p, effect.matched_placebo.n_placebos
    )
    return Finding(QUESTION_STRIKES, f"{sentence} {caveat}", numbers)


def ceasefire_timing(
    timing_test: pd.DataFrame,
    per_bloc: pd.DataFrame | None = None,
    local_test: pd.DataFrame | None = None,
    unavailable: str = "",
) -> Finding:
    """The timing test's finding: which blocs' calendars declarations sat close to, if any.

    Parameters
    ----------
    timing_test : pandas.DataFrame
        From :func:`analysis.timing.timing_permutation_test` (bloc, n_dates, n_chains,
        observed_mean_days, observed_median_days, p_value, p_holm, n_permutations; n_chains
        and n_permutations may be absent).
    per_bloc : pandas.DataFrame, optional
        The event study's per-bloc table (bloc, pooled_rr, permutation_p); adds a sentence on
        strikes around diplomatic events.
    local_test : pandas.DataFrame, optional
        The same test with the local null (``null='chain_jitter'``); when the closest bloc is
        not close under it, the sentence says the declarations share its months rather than
        its days.
    unavailable : str, optional
        Why there is no calendar to test against (e.g. the note of
        :func:`analysis.sources.curated.load_calendar`); when set, the finding says the test is
        not available and why.

    Returns
    -------
    Finding
        Question 2; numbers: declarations tested, blocs tested, the closest bloc's mean
        distance (the test statistic) and its p-value.
    """
    tested = timing_test.dropna(subset=["p_value"])
    n_dates = int(timing_test["n_dates"].max()) if len(timing_test) else 0
    if unavailable:
        return Finding(
            QUESTION_TIMING,
            f"The diplomatic-calendar test is not available: {unavailable}",
            (KeyNumber("declarations tested", 0, "declarations"),),
        )
    if tested.empty:
        return Finding(
            QUESTION_TIMING,
            f"No bloc could be tested ({n_dates} declarations, no dated diplomatic events).",
            (KeyNumber("declarations tested", n_dates, "declarations"),),
        )
    best = tested.sort_values("p_value").iloc[0]
    n_blocs = len(tested)
    distance = _distance_text(best)
    declarations = _declarations_text(n_dates, best)
    if best["p_value"] < ALPHA:
        text = (
            f"{declarations} sat closer to {best['bloc']}'s diplomatic events than chance would "
            f"put them, with each extension chain moved as one block ({distance}; "
            f"{p_text(best['p_value'])}); with {n_blocs} blocs tested this "
            f"{_holm_verdict(best)} "
            "Closeness in time does not show who timed what: a declaration announced at a "
            "meeting is close to it by construction."
        )
    else:
        text = (
            f"{declarations} were no closer to any bloc's diplomatic "
            f"events than random dates would be ({n_blocs} blocs tested; the closest, "
            f"{best['bloc']}, {distance}, {p_text(best['p_value'])}): no evidence that "
            "timing follows the diplomatic calendar, though the curated calendar is incomplete."
        )
    if best["p_value"] < ALPHA and local_test is not None and len(local_test):
        local = local_test.set_index("bloc")["p_value"].get(best["bloc"], math.nan)
        days = format_count(local_test["jitter_days"].iloc[0])
        if not is_missing(local) and local >= ALPHA:
            text += (
                f" Against chains moved by at most ±{days} days the closeness to "
                f"{best['bloc']} is not unusual ({p_text(local)}): the declarations fall in the "
                "same months as its events, not clearly next to them."
            )
    if per_bloc is not None and len(per_bloc):
        text += " " + _event_study_sentence(per_bloc)
    return Finding(
        QUESTION_TIMING,
        text,
        (
            KeyNumber("declarations tested", n_dates, "declarations"),
            KeyNumber("blocs tested", n_blocs, "blocs"),
            KeyNumber(
                f"mean distance to nearest {best['bloc']} event (the test statistic)",
                best.get("observed_mean_days", math.nan),
                "days",
            ),
            KeyNumber(f"timing p-value, {best['bloc']}", best["p_value"], ""),
        ),
    )


def _distance_text(best: pd.Series) -> str:
    """The test statistic (mean distance), with the median labelled as such."""
    mean = best.get("observed_mean_days", math.nan)
    median = f"median {format_number(best['observed_median_days'])} days"
    if is_missing(mean):
        return f"{median} to the nearest one"
    return f"mean {format_number(mean)} days to the nearest one, {median}"


def _declarations_text(n_dates: int, best: pd.Series) -> str:
    """The declarations and the chains they form: the chains are the units the null moves."""
    chains = best.get("n_chains", math.nan)
    if is_missing(chains) or int(chains) >= n_dates:
        return f"The {n_dates} ceasefire declarations"
    return (
        f"The {n_dates} ceasefire declarations (in {int(chains)} extension chains, the real "
        "sample size)"
    )


def _holm_verdict(best: pd.Series) -> str:
    """Whether the smallest p-value survives Holm's correction, 'borderline' when the adjusted
    p-value is within Monte-Carlo error of :data:`ALPHA` (another seed could flip it)."""
    adjusted = best["p_holm"]
    shown = "p < 0.001" if adjusted < 0.001 else f"p = {format_number(adjusted, 3)}"
    margin = monte_carlo_margin(best["p_value"], adjusted, best.get("n_permutations"))
    if abs(adjusted - ALPHA) <= margin:
        return (
            f"is borderline after Holm's correction for multiple tests (adjusted {shown}, "
            f"within Monte-Carlo error ±{format_number(margin, 2)} of {format_number(ALPHA)}: "
            "another seed can put it on either side)."
        )
    verdict = "survives" if adjusted < ALPHA else "does not survive"
    return f"{verdict} Holm's correction for multiple tests (adjusted {shown})."


def _event_study_sentence(per_bloc: pd.DataFrame) -> str:
    """Strikes around diplomatic events: which blocs (if any) stand out from random dates."""
    bloc_column = "bloc" if "bloc" in per_bloc.columns else per_bloc.columns[0]
    standing_out = per_bloc[per_bloc["permutation_p"] < ALPHA]
    if standing_out.empty:
        return (
            "Strike rates in the days after diplomatic events did not differ from those around "
            "random dates for any bloc."
        )
    parts = [
        f"{row[bloc_column]} (ratio after / before {format_number(row['pooled_rr'])}, "
        f"{p_text(row['permutation_p'])})"
        for _, row in standing_out.iterrows()
    ]
    return "Strike rates changed around the diplomatic events of " + ", ".join(parts) + "."


def alignment(did: Any, truce_id: str, treated: Sequence[str], inference: Any = None) -> Finding:
    """The brokered truce's finding: difference-in-differences ratio, interval and placebo.

    Parameters
    ----------
    did : DidResult
        From :func:`analysis.alignment.did_poisson`.
    truce_id : str
        The truce, named in the sentence.
    treated : sequence of str
        Its parties (the treated groups).
    inference : DidInference, optional
        From :func:`analysis.did.did_space_time`: with one or two treated groups its
        randomization p-value (and the smallest p it can give) leads, also when too few
        comparisons leave it no room for 0.05; the model-based bound is then labelled as such.

    Returns
    -------
    Finding
        Question 3; numbers: events on the parties before and after, the relative rate ratio
        and the placebo p-value (the space-time randomization p-value with ``inference``).
    """
    parties = ", ".join(treated) or "the parties"
    has_test = inference is not None and inference.status == STATUS_OK
    # with too few pseudo-assignments the randomization p is still the valid test: it is shown
    # with its floor rather than replaced by the model-based numbers
    no_room = (
        inference is not None
        and inference.status == STATUS_NO_PLACEBO_ROOM
        and not is_missing(inference.p_value)
    )
    if has_test:
        test_number = KeyNumber("space-time randomization p-value", inference.p_value, "")
    elif no_room:
        test_number = KeyNumber(
            "space-time randomization p-value (smallest possible "
            f"{format_p(inference.resolution)})",
            inference.p_value,
            "",
        )
    else:
        test_number = KeyNumber("placebo p-value", did.placebo_p_value, "")
    numbers = (
        KeyNumber(f"events on {parties} before", did.events_treated_pre, "events"),
        KeyNumber(f"events on {parties} after", did.events_treated_post, "events"),
        KeyNumber("relative rate ratio, DiD (1 = no change)", did.estimate, ""),
        test_number,
    )
    limit = (
        " One brokered truce cannot separate the broker from the place, the parties and the "
        f"moment. Whether events fell at all is the question of notebook 02's primary estimate "
        f"for {truce_id} (events against the series' own forecast)."
    )
    test = ""
    if has_test or no_room:
        test = (
            f" Against every other group and date without a ceasefire on it (space-time "
            f"randomization, {inference.n_pseudo} comparisons), {p_text(inference.p_value)}; the "
            f"smallest p this test can give here is {format_p(inference.resolution)}"
        )
        test += "." if has_test else ", so with so few comparisons it can never reach 0.05."
    if did.status == STATUS_ZERO_DURING:
        bound = (
            f" A model-based bound (Poisson, with one overdispersion factor for the parties' "
            f"counts) puts the remaining rate at up to {format_number(did.ci_high)} times the "
            "expected one (upper end of its 95% interval)"
        )
        bound += (
            "; it rests on that model, not on the randomization." if has_test or no_room else "."
        )
        text = (
            f"No strikes on {parties} were recorded after {truce_id} took effect (against "
            f"{format_count(did.events_treated_pre)} before), while other targets were still "
            "struck." + test + bound + limit
        )
        return Finding(QUESTION_ALIGNMENT, text, numbers)
    if did.status != STATUS_OK:
        label = STATUS_LABELS.get(did.status, did.status)
        return Finding(QUESTION_ALIGNMENT, f"No estimate for {truce_id}: {label}.", numbers)
    if has_test or no_room:
        change = "fell" if did.estimate < 1 else "rose"
        if no_room:
            verdict = " So the test cannot tell whether changes this large were rare elsewhere."
        elif inference.p_value <= ALPHA:
            verdict = (
                " A change this large was rare elsewhere, so it is unlikely to be chance alone."
            )
        else:
            verdict = " Changes this large were common elsewhere, so the truce's part is uncertain."
        text = (
            f"Strikes on {parties} {change} relative to other targets after {truce_id} took "
            f"effect (ratio {format_number(did.estimate)})." + test + verdict + limit
        )
        return Finding(QUESTION_ALIGNMENT, text, numbers)
    sentence, direction = ratio_sentence(
        did.estimate,
        did.ci_low,
        did.ci_high,
        f"Strikes on {parties} relative to other targets",
        f"after {truce_id} took effect",
    )
    placebo = did.placebo_p_value
    if direction != "unclear" and not is_missing(placebo) and placebo >= ALPHA:
        sentence += (
            " Changes this large were common at pseudo-dates without a truce (placebo "
            f"{p_text(placebo)}), so the truce's part in it is uncertain."
        )
    return Finding(QUESTION_ALIGNMENT, sentence + limit, numbers)


def reported_counts(rates: pd.DataFrame, ceasefire_id: str) -> Finding:
    """The reported counts' finding: per monitor and measure, was the rate higher during?

    Only counts of one monitor and one measure kind are compared, never across them.

    Parameters
    ----------
    rates : pandas.DataFrame
        The shown rows of :func:`analysis.reported.rate_table` (monitor, measure_kind, phase,
        per_day).
    ceasefire_id : str
        The ceasefire chain, named in the sentence.

    Returns
    -------
    Finding
        Question 1; numbers: counts before and during, and how many monitor-measure pairs
        reported a higher and a lower rate during.
    """
    before = rates[rates["phase"] == "before"]
    during = rates[rates["phase"] == "during"]
    higher, lower, examples = 0, 0, []
    keys = ["monitor", "measure_kind"]
    for key, during_part in during.groupby(keys, observed=True):
        before_part = before[(before[keys] == pd.Series(key, index=keys)).all(axis=1)]
        if before_part.empty:
            continue
        before_rate = before_part["per_day"].max()
        during_rate = during_part["per_day"].max()
        monitor, kind = key
        if during_part["per_day"].min() > before_part["per_day"].max():
            higher += 1
        elif during_part["per_day"].max() < before_part["per_day"].min():
            lower += 1
        examples.append(
            f"{monitor} reported {format_number(before_rate)} {kind.replace('_', ' ')} per day "
            f"before and {format_number(during_rate)} during"
        )
    pairs = higher + lower
    if not examples:
        text = (
            f"No monitor published counts of the same kind both before and during {ceasefire_id}, "
            "so the published counts cannot show a change; they are never combined across "
            "monitors."
        )
    else:
        text = (
            f"Of the monitors that counted the same thing before and during {ceasefire_id}, "
            f"{higher} reported a higher and {lower} a lower rate per day during it"
            + (f" ({len(examples) - pairs} overlapping)" if len(examples) > pairs else "")
            + f"; e.g. {examples[0]}. These are published claims over differing periods and "
            "areas, compared only within one monitor and measure, not verified event data."
        )
    return Finding(
        QUESTION_STRIKES,
        text,
        (
            KeyNumber("counts before the ceasefire", len(before), "counts"),
            KeyNumber("counts during it", len(during), "counts"),
            KeyNumber("monitors reporting a higher rate during", higher, "monitors"),
            KeyNumber("monitors reporting a lower rate during", lower, "monitors"),
        ),
    )


def data_audit(numbers: Mapping[str, Any]) -> Finding:
    """The data audit's finding: what the event data hold and what to watch for.

    Parameters
    ----------
    numbers : mapping
        From :func:`analysis.audit.audit_numbers`.

    Returns
    -------
    Finding
        Question 0 (the data); numbers: events, share not dated to the day, unmapped actor
        names and rows dropped by the loader.
    """
    first = pd.Timestamp(numbers["first_date"]).date()
    last = pd.Timestamp(numbers["last_date"]).date()
    share = 100 * float(numbers["share_events_not_day_precise"])
    unmapped = int(numbers["unmapped_actor_names"])
    dropped = int(numbers["rows_dropped_by_loader"])
    text = (
        f"The event data hold {format_count(numbers['events'])} events from {first} to {last}; "
        f"{share:.1f}% of them are dated less precisely than a day, {unmapped} actor names "
        f"are not in the registry ({format_count(numbers['events_with_unmapped_actor'])} "
        f"events, kept under a fallback side) and the loader dropped {format_count(dropped)} "
        "rows, each listed with its reason in the report."
    )
    return Finding(
        QUESTION_DATA,
        text,
        (
            KeyNumber("events", int(numbers["events"]), "events"),
            KeyNumber("not dated to the day", share, "% of events"),
            KeyNumber("unmapped actor names", unmapped, "names"),
            KeyNumber("rows dropped by the loader", dropped, "rows"),
        ),
    )


def all_ceasefires(effects: Any, groups: pd.DataFrame) -> Finding:
    """Notebook 06's finding: the pooled ratio over every estimated ceasefire, how many fell
    or rose clearly on their own, and what the comparison cannot show.

    Parameters
    ----------
    effects : AllCeasefires
        From :func:`analysis.all_ceasefires.all_ceasefire_effects`.
    groups : pandas.DataFrame
        From :func:`analysis.all_ceasefires_groups.effects_by_group` (its 'all' row is used).

    Returns
    -------
    Finding
        Question 1; numbers: ceasefires in the table, ceasefires estimated, the pooled rate
        ratio and the ceasefires with a clear fall (by the primary estimate when it was
        computed: :func:`analysis.all_ceasefires_primary.with_primary`).
    """
    numbers = [
        KeyNumber("ceasefires in the table", effects.n_ceasefires, "ceasefires"),
        KeyNumber("ceasefires estimated", effects.n_estimated, "ceasefires"),
    ]
    overall = groups[(groups["grouping"] == "all") & (groups["k"] > 0)]
    if overall.empty:
        reasons = effects.table["status"].value_counts()
        label = STATUS_LABELS.get(reasons.index[0], reasons.index[0]) if len(reasons) else ""
        text = (
            f"None of the {format_count(effects.n_ceasefires)} ceasefires could be estimated on "
            f"these events data (most often: {label}); the report lists each with its reason."
        )
        return Finding(QUESTION_STRIKES, text, tuple(numbers))
    row = overall.iloc[0]
    pooled_over = f"pooled over {int(row['k'])} of {format_count(effects.n_ceasefires)} ceasefires"
    one_by_one = f"{effects.n_fell} ceasefires saw a clear fall and {effects.n_rose} a clear rise"
    caveat = (
        "Ceasefires are declared when and where violence is already changing, so this "
        "describes what happened around them, not what they caused."
    )
    if not effects.n_primary_estimated:
        numbers += [
            KeyNumber("pooled rate ratio during / before (1 = no change)", row["pooled_rr"], ""),
            KeyNumber("ceasefires with a clear fall", effects.n_fell, "ceasefires"),
        ]
        sentence, _ = ratio_sentence(
            row["pooled_rr"],
            row["ci_low"],
            row["ci_high"],
            "Events on the ceasefires' own parties",
            f"during the typical ceasefire compared with the weeks before it, {pooled_over}",
        )
        text = f"{sentence} Taken one by one, {one_by_one}. {caveat}"
        return Finding(QUESTION_STRIKES, text, tuple(numbers))
    # the primary counts lead: the pooled during/before ratio also absorbs trend, season and
    # the return to normal after a spike, so it is given as a description without bounds
    numbers += [
        KeyNumber(
            "ceasefires with a clear fall (primary estimate)", effects.n_primary_fell, "ceasefires"
        ),
        KeyNumber("pooled rate ratio during / before, descriptive", row["pooled_rr"], ""),
    ]
    mde = effects.median_primary_mde
    text = (
        f"By the primary estimate (events during each ceasefire against the forecast from its "
        f"series' own history), {effects.n_primary_fell} of {effects.n_primary_estimated} "
        f"ceasefires saw a clear fall and {effects.n_primary_rose} a clear rise. The median "
        f"smallest detectable fall (80% power) is {percent_text(mde)} (a drop to "
        f"{format_number(mde)} times the expected rate): for a ceasefire without a clear "
        f"fall, {missable_fall_text(mde)}. Descriptively, against the weeks before each "
        f"ceasefire, {one_by_one}; {pooled_over}, the rate ratio during / before is "
        f"{format_number(row['pooled_rr'])} ({interval_text(row['ci_low'], row['ci_high'])}), "
        "a description that also absorbs trend, season and the return to normal after a "
        f"spike, so it does not say which falls are unlikely. {caveat}"
    )
    return Finding(QUESTION_STRIKES, text, tuple(numbers))
