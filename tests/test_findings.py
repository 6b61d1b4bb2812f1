"""Findings read right: direction, hedging and numbers, checked against hand-made results.

Each case builds a result by hand whose correct sentence is known (a fall whose interval
excludes 1, an interval that includes 1, no events during, a placebo that explains the
change...) and checks the words and numbers a reader gets, not what the code computed.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from factories import make_ceasefires
from scipy import stats

from analysis import ceasefire_table, counterfactual, finding_base, findings
from analysis.alignment import DidResult
from analysis.did import DidInference
from analysis.effects import EffectResult
from analysis.tables.counterfactual import primary_text_columns


def _effect(
    estimate,
    low,
    high,
    matched_p,
    status="ok",
    events_pre=90.0,
    events_during=20.0,
    placebo_status="ok",
    n_placebos=99,
):
    during = EffectResult(
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        p_value=0.01,
        n_pre=90,
        n_during=50,
        status=status,
        note="",
        events_pre=events_pre,
        events_during=events_during,
    )
    matched = SimpleNamespace(p_value=matched_p, status=placebo_status, n_placebos=n_placebos)
    windows = SimpleNamespace(declared=pd.Timestamp("2016-06-23"))
    return SimpleNamespace(during=during, matched_placebo=matched, windows=windows)


def test_an_ethprio_id_is_named_as_a_ceasefire_with_its_year() -> None:
    found = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.01), "100001")
    assert "during ceasefire 100001 (declared 2016) compared with" in found.text
    found = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.01, status="zero_during"), 100001)
    assert "No events were recorded during ceasefire 100001 (declared 2016)" in found.text
    curated = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.01), "aa-mil-2022-11")
    assert "during aa-mil-2022-11 compared with" in curated.text


def test_a_clear_fall_is_named_with_its_size_interval_and_a_rare_placebo() -> None:
    found = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.01), "cf-1")
    assert "fell by 60%" in found.text
    assert "rate ratio 0.4, 95% interval 0.2 to 0.8; a fall of at least 20%" in found.text
    assert "rare" in found.text and "p = 0.01" in found.text
    numbers = {n.label: n.value for n in found.numbers}
    # 90 events over the 90 days before, 20 over the 50 days during
    assert numbers["events per day before"] == pytest.approx(1.0)
    assert numbers["events per day during"] == pytest.approx(0.4)
    assert found.question == findings.QUESTION_STRIKES


def test_a_fall_that_placebos_match_is_not_credited_to_the_ceasefire() -> None:
    found = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.4), "cf-1")
    assert "fell by 60%" in found.text
    assert "common" in found.text and "not clearly due to the ceasefire" in found.text


def test_a_coarse_placebo_says_it_cannot_tell_rather_than_explaining_the_fall() -> None:
    found = findings.ceasefire_effect(
        _effect(0.4, 0.2, 0.8, 0.4, placebo_status="coarse", n_placebos=4), "cf-1"
    )
    assert "fell by 60%" in found.text
    assert "cannot be told" in found.text and "only 4 pseudo-windows" in found.text
    assert "cannot go below 0.4, so it can never reach 0.05" in found.text
    assert "not clearly due to the ceasefire" not in found.text


def test_no_placebo_room_says_it_cannot_tell_instead_of_dropping_the_caveat() -> None:
    effect = _effect(0.4, 0.2, 0.8, math.nan, placebo_status="no_placebo_room", n_placebos=0)
    found = findings.ceasefire_effect(effect, "cf-1")
    assert "fell by 60%" in found.text
    assert "cannot be told" in found.text and "no placebo p-value" in found.text
    assert "were rare" not in found.text


def test_an_interval_including_one_says_no_clear_change_and_what_it_rules_out() -> None:
    found = findings.ceasefire_effect(_effect(0.8, 0.5, 1.3, 0.5), "cf-1")
    assert "No clear change" in found.text
    assert "fell" not in found.text and "rose" not in found.text
    assert "a fall larger than 50% is unlikely" in found.text
    assert "a rise larger than 30% is unlikely" in found.text


def test_a_wide_interval_admits_it_rules_out_little() -> None:
    found = findings.ceasefire_effect(_effect(1.1, 0.01, 40.0, 0.5), "cf-1")
    assert "too few to rule out large changes" in found.text


def test_a_rise_is_a_rise() -> None:
    found = findings.ceasefire_effect(_effect(2.5, 1.5, 4.0, 0.01), "cf-1")
    assert "rose by 150%" in found.text


def test_no_events_during_gives_the_upper_bound_and_the_quiet_season_caveat() -> None:
    found = findings.ceasefire_effect(
        _effect(0.0, 0.0, 0.15, math.nan, status="zero_during", events_during=0.0), "cf-1"
    )
    assert "No events were recorded during cf-1" in found.text
    assert "up to 0.15 times" in found.text and "quiet season" in found.text


def test_the_timeline_is_a_description_and_says_inside_outside_is_confounded() -> None:
    summary = {
        "mean_daily_events_inside": 0.4781,
        "mean_daily_events_outside": 0.1,
        "days_inside": 300,
    }
    found = findings.strike_timeline(summary, 12, "2018-01-01", "2023-12-31")
    assert "0.478 per day inside the 12 ceasefire windows" in found.text
    assert "0.1 per day outside" in found.text
    assert "not an effect" in found.text and "not comparable" in found.text
    assert "4.78" not in found.text  # the confounded ratio is not the headline


def _timing(p_values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bloc": list(p_values),
            "n_dates": 20,
            "observed_median_days": [5.0 + i for i in range(len(p_values))],
            "observed_mean_days": [30.0 + i for i in range(len(p_values))],
            "p_value": list(p_values.values()),
            # Holm's first step is Bonferroni: the smallest p times the number of blocs
            "p_holm": [min(1.0, p * len(p_values)) for p in p_values.values()],
        }
    )


def test_timing_with_no_small_p_value_finds_no_evidence() -> None:
    found = findings.ceasefire_timing(_timing({"China": 0.4, "Russia": 0.2, "ASEAN": 0.9}))
    assert "no closer to any bloc" in found.text and "3 blocs tested" in found.text
    assert "Russia" in found.text and "p = 0.2" in found.text


def test_timing_small_p_value_is_hedged_for_multiple_tests() -> None:
    weak = findings.ceasefire_timing(_timing({"China": 0.03, "Russia": 0.5, "ASEAN": 0.9}))
    assert "China" in weak.text and "does not survive" in weak.text
    strong = findings.ceasefire_timing(_timing({"China": 0.0004, "Russia": 0.5, "ASEAN": 0.9}))
    assert " survives" in strong.text and "does not survive" not in strong.text
    assert "p < 0.001" in strong.text
    assert "not show who timed what" in strong.text


def test_timing_quotes_the_mean_it_tests_and_the_chains_it_moves() -> None:
    table = _timing({"ASEAN": 0.004, "China": 0.9}).assign(n_chains=5, n_dates=12)
    found = findings.ceasefire_timing(table)
    assert "mean 30 days to the nearest one, median 5 days" in found.text
    assert "12 ceasefire declarations (in 5 extension chains" in found.text
    assert "mean distance" in found.numbers[2].label and found.numbers[2].value == 30.0


def test_timing_holm_p_within_monte_carlo_error_of_alpha_is_borderline() -> None:
    # p = 0.0095 from 9,999 shifts has s.e. ~0.001; Holm x5 gives 0.0475 +- ~0.01
    blocs = {"ASEAN": 0.0095, "China": 0.3, "Russia": 0.5, "India": 0.7, "Japan": 0.9}
    near = findings.ceasefire_timing(_timing(blocs).assign(n_permutations=9999))
    assert "borderline" in near.text and " survives" not in near.text
    assert "adjusted p = 0.0475" in near.text
    # the same p-value from a hundred million shifts is precise enough to survive
    precise = findings.ceasefire_timing(_timing(blocs).assign(n_permutations=10**8))
    assert "borderline" not in precise.text and " survives" in precise.text


def test_timing_never_prints_p_equal_alpha_as_not_surviving() -> None:
    blocs = {"ASEAN": 0.01002, "China": 0.3, "Russia": 0.5, "India": 0.7, "Japan": 0.9}
    found = findings.ceasefire_timing(_timing(blocs).assign(n_permutations=10**9))
    assert "does not survive" in found.text and "adjusted p = 0.0501" in found.text
    assert "p = 0.05)" not in found.text


def test_monte_carlo_margin_follows_the_binomial_error_and_the_holm_factor() -> None:
    margin = finding_base.monte_carlo_margin(0.01, 0.05, 10_000)
    assert margin == pytest.approx(2 * math.sqrt(0.01 * 0.99 / 10_000) * 5)
    assert finding_base.monte_carlo_margin(0.01, 0.05, None) == 0.0


def test_timing_close_only_at_the_scale_of_months_says_so() -> None:
    global_test = _timing({"ASEAN": 0.0095, "China": 0.9})
    local = _timing({"ASEAN": 0.21, "China": 0.45}).assign(jitter_days=90)
    found = findings.ceasefire_timing(global_test, local_test=local)
    assert "at most ±90 days the closeness to ASEAN is not unusual (p = 0.21)" in found.text
    close_too = findings.ceasefire_timing(global_test, local_test=local.assign(p_value=0.01))
    assert "at most ±90 days" not in close_too.text


def test_timing_adds_the_event_study_sentence() -> None:
    per_bloc = pd.DataFrame(
        {"bloc": ["China", "Russia"], "pooled_rr": [1.8, 1.0], "permutation_p": [0.01, 0.6]}
    )
    found = findings.ceasefire_timing(_timing({"China": 0.4}), per_bloc)
    assert "changed around the diplomatic events of China (ratio after / before 1.8" in found.text
    assert "Russia (" not in found.text


def _did(estimate, low, high, placebo, status="ok"):
    return DidResult(estimate, low, high, 0.01, placebo, 12, 1, 52, 40.0, 3.0, status, "")


def test_alignment_zero_during_names_the_parties_and_the_limit() -> None:
    found = findings.alignment(_did(0.0, 0.0, 0.2, math.nan, "zero_during"), "aa-1", ["AA"])
    assert "No strikes on AA were recorded after aa-1" in found.text
    assert "against 40 before" in found.text and "cannot separate the broker" in found.text


def test_alignment_fall_with_a_large_placebo_p_is_uncertain() -> None:
    found = findings.alignment(_did(0.3, 0.1, 0.9, 0.35), "aa-1", ["AA"])
    assert "fell by 70%" in found.text and "uncertain" in found.text


def _space_time(p_value: float, n_pseudo: int = 73, status: str = "ok") -> DidInference:
    return DidInference(0.3, -2.0, p_value, 1 / (1 + n_pseudo), n_pseudo, 33, 9, status, "", None)


def test_alignment_zero_during_leads_with_the_randomization_p_even_without_room() -> None:
    # 10 pseudo-assignments: p = 1/11 is the test's floor; the model-based bound comes second
    inference = _space_time(1 / 11, n_pseudo=10, status="no_placebo_room")
    did = _did(0.0, 0.0, 0.12, math.nan, "zero_during")
    found = findings.alignment(did, "aa-2", ["AA"], inference)
    assert found.text.index("p = 0.091") < found.text.index("0.12 times")
    assert "can never reach 0.05" in found.text and "model-based bound" in found.text
    assert "notebook 02's primary estimate for aa-2" in found.text
    assert found.numbers[-1].value == pytest.approx(1 / 11)
    assert "smallest possible 0.091" in found.numbers[-1].label


def test_alignment_with_space_time_test_states_p_and_its_floor() -> None:
    found = findings.alignment(_did(0.3, 0.1, 0.9, 0.35), "aa-1", ["AA"], _space_time(0.027))
    assert "fell" in found.text and "p = 0.027" in found.text
    assert "smallest p this test can give here is 0.014" in found.text
    assert "rare elsewhere" in found.text
    assert found.numbers[-1].label == "space-time randomization p-value"
    common = findings.alignment(_did(0.3, 0.1, 0.9, 0.01), "aa-1", ["AA"], _space_time(0.4))
    assert "common elsewhere" in common.text and "uncertain" in common.text


def test_reported_counts_compare_only_within_a_monitor_and_measure() -> None:
    rates = pd.DataFrame(
        {
            "monitor": ["A", "A", "B", "B", "C"],
            "measure_kind": ["air_strikes"] * 4 + ["air_strikes"],
            "phase": ["before", "during", "before", "during", "during"],
            "per_day": [1.0, 2.5, 3.0, 1.0, 9.0],
        }
    )
    found = findings.reported_counts(rates, "cf-eq")
    assert "1 reported a higher and 1 a lower rate" in found.text
    assert "A reported 1 air strikes per day before and 2.5 during" in found.text
    numbers = {n.label: n.value for n in found.numbers}
    assert numbers["counts before the ceasefire"] == 2 and numbers["counts during it"] == 3


def test_a_finding_never_carries_more_than_four_numbers() -> None:
    number = findings.KeyNumber("x", 1, "days")
    with pytest.raises(ValueError, match="at most 4"):
        findings.Finding(1, "text", (number,) * 5)


def test_recorded_form_has_the_sentence_and_labelled_numbers() -> None:
    found = findings.Finding(2, "Text.", (findings.KeyNumber("days", math.nan, "days"),))
    assert found.to_dict() == {
        "finding": "Text.",
        "finding_question": 2,
        "key_numbers": [{"label": "days", "value": None, "unit": "days"}],
    }
    assert (
        finding_base.number_text(1204) == "1,204" and finding_base.number_text(0.36123) == "0.361"
    )


def _primary(estimate, low, high, status="ok", mde=0.3, predicted=50.0, **more):
    fields = {"se_log": 0.3, "df": 20.0, "p_value": 0.3, "pseudo_windows": 21.0}
    fields |= {"level_shift_on": "", **more}
    return SimpleNamespace(
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        status=status,
        mde=mde,
        predicted=predicted,
        **fields,
    )


@pytest.mark.parametrize(
    ("seed", "rate", "during"), [(3, 0.02, 14), (11, 0.02, 14), (5, 2.0, 30), (8, 2.0, 30)]
)
def test_zero_event_p_is_what_the_estimator_gives_a_window_without_events(
    seed: int, rate: float, during: int
) -> None:
    rng = np.random.default_rng(seed)
    days = 900
    y = rng.poisson(rate, days).astype(float)
    y[870:] = 0.0
    weekday = np.arange(days) % 7
    result = counterfactual.counterfactual_core(y, weekday, 870, 870, during)
    assert result.observed == 0
    assert finding_base.zero_event_p(result.predicted, result.se_log, result.df) == pytest.approx(
        result.p_value, rel=1e-6
    )
    sentence = finding_base.detectable_fall_text(
        result.mde, result.predicted, result.se_log, result.df
    )
    # a sparse series cannot show a fall over two weeks (a blank window is not significant),
    # a busy one can: the sentence quotes a detectable fall only in the second case
    assert (result.p_value > 0.05) == (rate < 1)
    if rate < 1:
        assert sentence.startswith("No fall could be detected") and "even no events" in sentence
    else:
        assert sentence.startswith("Only a fall of at least")


def test_a_detectable_fall_is_written_as_a_percentage() -> None:
    text = finding_base.detectable_fall_text(0.13, 200.0, 0.3, 30.0)
    assert text == "Only a fall of at least 87% would have been detected reliably (80% power)."
    assert finding_base.missable_fall_text(0.066) == "falls of up to 93% could be missed"


def test_a_primary_whose_mde_lies_below_the_zero_event_floor_says_nothing_is_detectable() -> None:
    # 3 expected events: no events at all is a ratio of 0.5 / 3.5 = 0.14, above the mde 0.000188
    primary = _primary(0.8, 0.01, 30.0, mde=0.000188, predicted=3.0, se_log=1.5, df=3.0)
    found = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.4), "cf-1", primary=primary)
    assert "No fall could be detected over these days" in found.text
    assert "0.000188" not in found.text
    assert all(number.value != 0.000188 for number in found.numbers)


def test_the_primary_estimate_leads_and_the_before_during_ratio_is_descriptive() -> None:
    found = findings.ceasefire_effect(
        _effect(0.4, 0.2, 0.8, 0.4), "cf-1", primary=_primary(0.7, 0.3, 1.6)
    )
    lead, descriptive = found.text.split("Descriptively", 1)
    assert "No clear change" in lead and "series' own forecast" in lead
    # the interval includes 1: the sentence gives the fall it could have detected
    assert "a fall of at least 70% would have been detected" in lead
    assert "fell by 60%" in descriptive
    labels = [n.label for n in found.numbers]
    assert labels[0].startswith("rate ratio observed / forecast")
    assert "spike-matched placebo p-value" in labels


def test_a_primary_fall_and_a_primary_zero_during() -> None:
    fall = findings.ceasefire_effect(
        _effect(0.8, 0.5, 1.3, 0.5), "cf-1", primary=_primary(0.3, 0.1, 0.7)
    )
    assert fall.text.startswith("Events fell by 70%")
    blank = findings.ceasefire_effect(
        _effect(0.0, 0.0, 0.2, 0.5, status="zero_during", events_during=0.0),
        "cf-1",
        primary=_primary(0.0, 0.0, 4.5, status="zero_during", predicted=12.0),
    )
    assert blank.text.startswith("No events were recorded during cf-1, against 12 expected")
    assert "up to 4.5 times" in blank.text


def test_a_primary_calibrated_on_little_baseline_says_so() -> None:
    thin = _primary(0.07, 0.014, 0.35, pseudo_windows=3.5, df=2.5)
    found = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.4), "cf-1", primary=thin)
    lead = found.text.split("Descriptively", 1)[0]
    assert "fell by 93%" in lead
    assert "about 3.5 ceasefire lengths of baseline (df 2.5)" in lead
    ample = _primary(0.07, 0.014, 0.35, pseudo_windows=31.0, df=30.0)
    found = findings.ceasefire_effect(_effect(0.4, 0.2, 0.8, 0.4), "cf-1", primary=ample)
    assert "ceasefire lengths of baseline" not in found.text


def test_a_level_shift_at_an_earlier_truce_is_named() -> None:
    table = make_ceasefires(
        [
            {
                "ceasefire_id": "old-truce",
                "declared_on": "2020-11-10",
                "effective_from": "2020-11-12",
            },
            {
                "ceasefire_id": "far-away",
                "declared_on": "2021-06-01",
                "effective_from": "2021-06-01",
            },
            {
                "ceasefire_id": "this-one",
                "declared_on": "2022-11-25",
                "effective_from": "2022-11-26",
            },
        ]
    )
    near = ceasefire_table.ceasefires_near(table, "2020-11-03", exclude="this-one")
    assert list(near["ceasefire_id"]) == ["old-truce"] and near["days_apart"].iloc[0] == 7
    assert ceasefire_table.ceasefires_near(table, "").empty
    assert ceasefire_table.ceasefires_near(table, "2022-11-20", exclude="this-one").empty
    primary = _primary(0.0, 0.0, 4.6, status="zero_during", level_shift_on="2020-11-03")
    found = findings.ceasefire_effect(
        _effect(0.4, 0.2, 0.8, 0.4), "this-one", primary=primary, shift_ceasefires=near
    )
    assert "level shift (week of 2020-11-03) coincides with old-truce" in found.text
    assert "taking effect 2020-11-12" in found.text and "period after it" in found.text
    alone = findings.ceasefire_effect(
        _effect(0.4, 0.2, 0.8, 0.4), "this-one", primary=primary, shift_ceasefires=near.iloc[:0]
    )
    assert "coincides" not in alone.text
    both = ceasefire_table.ceasefires_near(table, "2020-11-20", days=200, exclude="this-one")
    text = finding_base.shift_sentence("2020-11-20", both)
    assert "old-truce (taking effect 2020-11-12) and far-away (taking effect 2021-06-01)" in text
    assert "period after them" in text


def test_a_fall_only_a_halt_could_show_is_named_as_such() -> None:
    # 200 expected events, se 2.5 on 30 df: a blank window, log(0.5 / 200.5) = -6.0, is a clear
    # fall (|t| 2.4), but 80% power would need |log ratio| > (2.04 + 0.85) x 2.5 = 7.2
    mde = math.exp(-(stats.t.ppf(0.975, 30) + stats.t.ppf(0.8, 30)) * 2.5)
    assert mde < 0.5 / 200.5
    sentence = finding_base.detectable_fall_text(mde, 200.0, 2.5, 30.0)
    assert sentence.startswith("Only a halt could have shown")
    assert "p = 0.02" in sentence
    cell = finding_base.detectable_fall_cell(mde, 200.0, 2.5, 30.0)
    assert cell.startswith("only a halt")


def test_the_batch_column_says_none_short_of_a_halt_below_the_zero_event_floor() -> None:
    rows = pd.DataFrame(
        {
            "primary_estimate": [0.0, 0.5],
            "primary_ci_low": [0.0, 0.2],
            "primary_ci_high": [4.6, 1.2],
            "primary_mde": [0.000188, 0.35],  # below 0.5 / 62.3 = 0.008; above 0.5 / 100.5
            "primary_predicted": [61.8, 100.0],
            "primary_status": ["zero_during", "ok"],
        }
    )
    cells = primary_text_columns(rows, rows)["Smallest detectable fall"].tolist()
    assert cells == ["none short of a halt", "65% (ratio 0.35)"]


def test_the_primary_placebo_is_stated_with_its_step_and_replaces_the_matched_p() -> None:
    placebo = SimpleNamespace(p_value=0.21, n_placebos=57, resolution=1 / 58)
    found = findings.ceasefire_effect(
        _effect(0.4, 0.2, 0.8, 0.4),
        "cf-1",
        primary=_primary(0.7, 0.3, 1.6),
        primary_placebo=placebo,
    )
    lead = found.text.split("Descriptively", 1)[0]
    assert "made in 57 stretches without a ceasefire" in lead and "steps of 0.0172" in lead
    assert "never reach 0.05" not in lead
    labels = [n.label for n in found.numbers]
    assert len(labels) == 4 and "spike-matched placebo p-value" not in labels
    assert found.numbers[labels.index("placebo p-value of the primary")].value == 0.21


def test_a_primary_placebo_with_few_windows_says_it_cannot_reach_005() -> None:
    text = finding_base.primary_placebo_text(0.5, 7, 1 / 8)
    assert "cannot go below 0.25" in text and "never reach 0.05" in text
    assert finding_base.primary_placebo_text(float("nan"), 0, float("nan")) == ""
