"""Status codes of every estimate, with the sentence and the label each one is shown with.

An estimate that cannot be made keeps a status instead of raising, so a batch over many
ceasefires never stops at one bad row. The codes live here, below windows and estimators, so
that both can set them and the presentation modules can name them in plain words.
"""

from __future__ import annotations

STATUS_OK = "ok"
STATUS_NO_PRE = "no_pre_events"
STATUS_ZERO_DURING = "zero_during"
STATUS_NO_EVENTS = "no_events"
STATUS_NO_DATES = "no_dates"
STATUS_OUTSIDE = "outside_data"
STATUS_TOO_SHORT = "too_short"
STATUS_DEGENERATE = "degenerate"
STATUS_NOT_COMPUTED = "not_computed"
STATUS_NO_PLACEBO_ROOM = "no_placebo_room"
STATUS_NO_DYAD = "no_dyad"
STATUS_DYAD_NOT_IN_DATA = "dyad_not_in_data"
STATUS_COARSE = "coarse"
STATUS_SEPARATION = "separation"
STATUS_NO_CALENDAR = "no_calendar"
STATUS_NO_REFERENCE = "no_reference_events"
STATUS_NO_PAIR = "no_pair"
STATUS_SINGLE = "single_estimate"
STATUS_NOTHING_TO_POOL = "nothing_to_pool"

MIN_WINDOW_DAYS = 7
"""Windows shorter than a week give no usable long-run variance (status ``too_short``)."""

MIN_BASELINE_DAYS = 28
"""A baseline the data cannot fill is shortened to the days that exist, down to four weeks;
with fewer, the ceasefire is outside the data (a shorter baseline says little about the usual
level, and four weeks keep every day of the week four times)."""

STATUS_NOTES = {
    STATUS_OK: "",
    STATUS_NO_PRE: "no events in the pre window: the rate ratio is undefined.",
    STATUS_NO_EVENTS: "no events before or during: nothing to compare.",
    STATUS_ZERO_DURING: (
        "no events during: estimate 0 with a dispersion-adjusted exact upper bound."
    ),
    STATUS_TOO_SHORT: f"a window is shorter than {MIN_WINDOW_DAYS} days or outside the data.",
    STATUS_DEGENERATE: "zero variance in both windows: no interval can be computed.",
    STATUS_NOT_COMPUTED: "not computed: the report was run without it.",
    STATUS_OUTSIDE: "windows not covered by the daily series.",
    STATUS_NO_DATES: "neither declared_on nor effective_from is known.",
    STATUS_NO_DYAD: "no UCDP dyad is linked to the ceasefire: there are no events to count.",
    STATUS_DYAD_NOT_IN_DATA: (
        "no event on its UCDP dyad(s) anywhere in the events data: the file does not cover "
        "that conflict, or its source has no dyad ids (use source ucdp_ged)."
    ),
    STATUS_SEPARATION: (
        "one group had no breakdown, or its truces always broke after every other one: the "
        "hazard ratio runs off to 0 or infinity, so no estimate; read the curves instead."
    ),
    STATUS_NO_CALENDAR: (
        "no diplomatic calendar for this country: the bundled calendar is Myanmar's; give a "
        "calendar file in the diplomatic_events layout (calendar_path)."
    ),
    STATUS_NO_REFERENCE: (
        "no events in the event study's reference week (the week before the anchor): every "
        "weekly ratio to it is undefined, so only the weekly counts are shown."
    ),
    STATUS_NO_PAIR: (
        "no monitor published national counts of the same kind both wholly before (close "
        "enough to the start) and wholly during the ceasefire: nothing to compare within a "
        "monitor."
    ),
    STATUS_SINGLE: (
        "one estimate in the group: nothing is pooled; read that estimate's own row and "
        "interval instead."
    ),
    STATUS_NOTHING_TO_POOL: "no usable estimate in the group: nothing to pool.",
}
"""The sentence added to an estimate's note for each status."""

STATUS_LABELS = {
    STATUS_OK: "estimated",
    STATUS_NO_PRE: "no events before",
    STATUS_ZERO_DURING: "no events during",
    STATUS_NO_EVENTS: "no events at all",
    STATUS_NO_DATES: "no dates",
    STATUS_OUTSIDE: "outside the data",
    STATUS_TOO_SHORT: "window too short",
    STATUS_DEGENERATE: "no variation",
    STATUS_NOT_COMPUTED: "not computed",
    STATUS_NO_PLACEBO_ROOM: "no room for pseudo-dates",
    STATUS_NO_DYAD: "no UCDP dyad",
    STATUS_DYAD_NOT_IN_DATA: "dyad not in the events data",
    STATUS_COARSE: "p-value coarse (few pseudo-windows)",
    STATUS_SEPARATION: "not estimable (separation)",
    STATUS_NO_CALENDAR: "no diplomatic calendar",
    STATUS_NO_REFERENCE: "no events in the reference week",
    STATUS_NO_PAIR: "no same-monitor pair",
    STATUS_SINGLE: "not pooled (k = 1)",
    STATUS_NOTHING_TO_POOL: "nothing to pool (k = 0)",
}
"""Plain-language names of the status codes, for tables read by non-programmers."""
