"""The tables of every analysis, as text for rendered reports.

Each builder takes a result (a result object or a documented table) and returns a plain
DataFrame of strings, so it can be tested and reused; :func:`analysis.formatting.report_table`
turns it into the styled table a notebook displays. Presentation lives here and only here,
one module per question: :mod:`~analysis.tables.effects` (did strikes fall),
:mod:`~analysis.tables.timing` (the diplomatic calendar), :mod:`~analysis.tables.alignment`
(brokers and blocs), :mod:`~analysis.tables.all_ceasefires` (every ceasefire of a country at
once), :mod:`~analysis.tables.reported` (published counts) and
:mod:`~analysis.tables.sensitivity` (answers under the dates sources dispute). Notebooks call
them through this package, e.g. ``tables.batch_table(batch)``.
"""

from analysis.tables.alignment import (
    controls_table,
    cox_table,
    did_table,
    displacement_table,
    few_treated_table,
    incidence_table,
    median_table,
    subjects_table,
    truce_subjects_table,
)
from analysis.tables.all_ceasefires import (
    all_effects_table,
    first_event_table,
    group_effects_table,
    not_estimated_summary,
    not_estimated_table,
    primary_rows,
    primary_summary,
    shown_caption,
    shown_rows,
)
from analysis.tables.counterfactual import primary_sentence, primary_table
from analysis.tables.effects import (
    batch_table,
    ceasefire_table,
    placebo_caption,
    placebo_table,
    pooled_table,
    summary_table,
    windows_table,
)
from analysis.tables.reported import (
    PHASE_LABELS,
    excluded_display_table,
    pairs_caption,
    pairs_display_table,
    phase_summary_table,
    rates_display_table,
)
from analysis.tables.sensitivity import (
    claims_table,
    counts_beside_table,
    date_sensitivity_table,
    timing_sensitivity_table,
)
from analysis.tables.timing import (
    declarations_table,
    dropped_events_table,
    event_study_table,
    per_event_table,
    timing_caption,
    timing_table,
)

__all__ = [
    "ceasefire_table",
    "windows_table",
    "summary_table",
    "placebo_caption",
    "placebo_table",
    "batch_table",
    "pooled_table",
    "primary_table",
    "primary_sentence",
    "declarations_table",
    "dropped_events_table",
    "timing_caption",
    "timing_table",
    "event_study_table",
    "per_event_table",
    "did_table",
    "displacement_table",
    "median_table",
    "cox_table",
    "few_treated_table",
    "controls_table",
    "subjects_table",
    "truce_subjects_table",
    "incidence_table",
    "rates_display_table",
    "excluded_display_table",
    "phase_summary_table",
    "pairs_caption",
    "pairs_display_table",
    "claims_table",
    "date_sensitivity_table",
    "timing_sensitivity_table",
    "counts_beside_table",
    "PHASE_LABELS",
    "all_effects_table",
    "shown_caption",
    "shown_rows",
    "primary_rows",
    "primary_summary",
    "not_estimated_summary",
    "not_estimated_table",
    "group_effects_table",
    "first_event_table",
]
