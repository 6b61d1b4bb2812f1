"""Notebook 06's finding, tables and figures, checked on hand-made result tables whose right
reading is known: a clear pooled fall, an unclear one, nothing estimated; a long table capped
at a readable number of rows with the rest summarised; every reason counted."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection

from analysis import all_ceasefires_groups, findings, plots_all, plots_forest, tables
from analysis import status as st
from analysis.formatting import MISSING, format_number
from analysis.tables import all_ceasefires as tac

matplotlib.use("Agg")


def _table(n: int, statuses: list[str] | None = None) -> pd.DataFrame:
    """A result table like AllCeasefires.table: ratios 0.1 .. 10, events before 1 .. n."""
    ratio = np.geomspace(0.1, 10, n)
    return pd.DataFrame(
        {
            "ceasefire_id": [f"cf{i:03d}" for i in range(n)],
            "country": "Atlantis",
            "ceasefire_class": pd.array([1] * n, dtype="Int64"),
            "mediators": "",
            "mediator_blocs": ["UN;OSCE", "none"] * (n // 2) + ["none"] * (n % 2),
            "outcome": "events on UCDP dyad(s) 1",
            "declared": pd.Timestamp("2010-01-01"),
            "during_start": pd.Timestamp("2010-01-02"),
            "estimate": ratio,
            "ci_low": ratio / 2,
            "ci_high": ratio * 2,
            "p_value": 0.5,
            "q_value": 0.6,
            "events_pre": np.arange(1, n + 1, dtype=float),
            "events_during": 3.0,
            "n_pre": 90,
            "n_during": 60,
            "status": statuses or [st.STATUS_OK] * n,
            "reason": "",
        }
    )


def _groups(rr: float, low: float, high: float, k: int = 30) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "grouping": ["all"],
            "group": ["all ceasefires"],
            "k": [k],
            "pooled_rr": [rr],
            "ci_low": [low],
            "ci_high": [high],
        }
    )


def _effects(
    n_ceasefires: int, n_estimated: int, fell: int, rose: int, table=None, primary=(0, 0, 0)
):
    return SimpleNamespace(
        n_ceasefires=n_ceasefires,
        n_estimated=n_estimated,
        n_fell=fell,
        n_rose=rose,
        table=table if table is not None else _table(3),
        n_primary_estimated=primary[0],
        n_primary_fell=primary[1],
        n_primary_rose=primary[2],
        median_primary_mde=0.25 if primary[0] else float("nan"),
    )


def test_a_clear_pooled_fall_is_named_and_called_a_description() -> None:
    found = findings.all_ceasefires(_effects(120, 30, 9, 1), _groups(0.6, 0.45, 0.8))
    assert "fell by 40%" in found.text and "pooled over 30 of 120 ceasefires" in found.text
    assert "9 ceasefires saw a clear fall and 1 a clear rise" in found.text
    assert "not what they caused" in found.text
    numbers = {n.label: n.value for n in found.numbers}
    assert numbers["ceasefires in the table"] == 120 and numbers["ceasefires estimated"] == 30
    assert found.question == findings.QUESTION_STRIKES


def test_the_primary_counts_and_detectable_fall_are_named_when_computed() -> None:
    found = findings.all_ceasefires(
        _effects(120, 30, 9, 1, primary=(28, 4, 2)), _groups(0.6, 0.45, 0.8)
    )
    # the primary counts lead; the descriptive pool follows without an "unlikely" bound
    assert found.text.startswith("By the primary estimate")
    assert "4 of 28 ceasefires saw a clear fall and 2 a clear rise" in found.text
    assert "smallest detectable fall (80% power) is 75%" in found.text
    assert "falls of up to 75% could be missed" in found.text
    descriptive = found.text.split("Descriptively", 1)[1]
    assert "0.6 (95% interval 0.45 to 0.8)" in descriptive and "unlikely" not in found.text.replace(
        "does not say which falls are unlikely", ""
    )
    numbers = {n.label: n.value for n in found.numbers}
    assert numbers["ceasefires with a clear fall (primary estimate)"] == 4
    without = findings.all_ceasefires(_effects(120, 30, 9, 1), _groups(0.6, 0.45, 0.8))
    assert "primary" not in without.text


def test_an_unclear_pooled_ratio_says_no_clear_change() -> None:
    found = findings.all_ceasefires(_effects(40, 12, 2, 2), _groups(0.9, 0.6, 1.4, k=12))
    assert found.text.startswith("No clear change")


def test_nothing_estimated_names_the_most_common_reason() -> None:
    table = _table(5, [st.STATUS_NO_DYAD] * 3 + [st.STATUS_OUTSIDE] * 2)
    empty = _groups(1.0, 1.0, 1.0, k=0)
    found = findings.all_ceasefires(_effects(5, 0, 0, 0, table), empty)
    assert "None of the 5 ceasefires" in found.text and "no UCDP dyad" in found.text
    assert len(found.numbers) == 2


def test_a_long_table_is_capped_at_the_most_precise_rows_and_the_rest_summarised() -> None:
    table = _table(101)
    shown = tac.shown_rows(table, 20)
    # the 20 with the most events before are cf081 .. cf100, lowest ratio first
    assert list(shown["ceasefire_id"]) == [f"cf{i:03d}" for i in range(81, 101)]
    caption = tac.shown_caption(table, 20)
    assert caption.startswith("20 of 101 estimated ceasefires shown")
    rest = table["estimate"].iloc[:81]
    assert f"median rate ratio {format_number(rest.median())}" in caption
    assert len(tables.all_effects_table(table, 20)) == 20
    figure = plots_all.forest_all_figure(table, 20, "t")
    assert len(figure.axes[0].get_yticks()) == 20


def test_the_forest_says_where_a_bar_is_an_upper_bound_or_the_primary_is_missing() -> None:
    table = _table(4)
    table.loc[0, ["estimate", "ci_low", "ci_high", "status"]] = [0.0, 0.0, 0.7, "zero_during"]
    table["primary_estimate"] = [0.5, 0.0, np.nan, 1.2]
    table["primary_ci_low"] = [0.2, 0.0, np.nan, 0.6]
    table["primary_ci_high"] = [1.1, 0.35, np.nan, 2.4]
    table["primary_status"] = ["ok", "zero_during", "too_short", "ok"]
    figure = plots_all.forest_all_figure(table, 20, "t")
    notes = sorted(t.get_text() for t in figure.axes[0].texts)
    assert notes == [
        "descriptive: no events during, bar = upper bound 0.7",
        "primary: baseline too short, no estimate",
        "primary: no events during, bar = upper bound 0.35",
    ]
    without = plots_all.forest_all_figure(_table(4), 20, "t")
    assert not without.axes[0].texts


def test_every_ceasefire_without_an_estimate_is_counted_by_reason() -> None:
    statuses = [st.STATUS_OK] * 4 + [st.STATUS_NO_DYAD] * 3 + [st.STATUS_NO_PRE] * 2
    summary = tables.not_estimated_summary(_table(9, statuses))
    assert list(summary["Ceasefires"]) == ["3", "2"]
    assert list(summary["Result"]) == ["no UCDP dyad", "no events before"]
    assert summary["Examples"].iloc[0] == "cf004, cf005, cf006"
    listed = tables.not_estimated_table(_table(9, statuses), max_rows=4)
    assert len(listed) == 4


def test_no_estimate_at_all_gives_empty_tables_and_says_zero_of_n() -> None:
    table = _table(4, [st.STATUS_DYAD_NOT_IN_DATA] * 3 + [st.STATUS_NO_DYAD]).assign(purposes="")
    groups = all_ceasefires_groups.effects_by_group(table)
    assert groups.empty and "p_value" in groups.columns
    assert tables.group_effects_table(groups).empty
    assert tac.shown_caption(table, 40).startswith("0 of 4 ceasefires estimated")


def test_the_class_column_names_each_class_as_the_contract_defines_it() -> None:
    table = _table(4)
    table["ceasefire_class"] = pd.array([1, 2, 3, None], dtype="Int64")
    shown = tables.all_effects_table(table, 10)
    by_id = dict(zip(shown["Ceasefire"], shown["Class"], strict=True))
    assert by_id["cf000"] == "1 cessation of hostilities"
    assert by_id["cf001"] == "2 with compliance mechanism"
    assert by_id["cf002"] == "3 definitive"
    assert by_id["cf003"] == MISSING


def test_the_median_detectable_fall_reads_as_the_falls_that_could_be_missed() -> None:
    effects = _effects(120, 30, 9, 1, primary=(28, 4, 2))
    effects.median_primary_mde = 0.066
    summary = tables.primary_summary(effects).set_index("What")
    cell = summary.loc["Median smallest detectable fall (80% power)"].iloc[0]
    assert cell == "0.066 ratio: falls of up to 93% could be missed"


def test_the_forest_axis_has_few_ticks_and_marks_clipped_ends() -> None:
    table = _table(4)
    table.loc[3, ["estimate", "ci_low", "ci_high"]] = [0.2, 1.9e-7, 1.6e5]  # a huge interval
    figure = plots_all.forest_all_figure(table, 20, "t")
    ax = figure.axes[0]
    figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    # six ticks and the zero position: never 0.01 0.02 0.05 0.1 side by side
    assert labels == ["0", "0.1", "0.5", "1", "2", "10", "100"]
    arrow_points = [
        tuple(xy)
        for coll in ax.collections
        for xy in np.asarray(coll.get_offsets())
        if xy[0] in (plots_forest.CLIP_LOW, plots_forest.X_MAX)
    ]
    assert len(arrow_points) == 2  # one arrowhead at each edge
    plt.close(figure)


def test_the_group_figure_marks_the_zero_position_and_draws_no_diamond_for_one() -> None:
    table = _table(5)
    table["mediator_blocs"] = ["UN", "none", "none", "none", "none"]
    groups = all_ceasefires_groups.effects_by_group(table, ("mediator_blocs",))
    figure = plots_all.group_distribution_figure(table, groups, ("mediator_blocs",), "t")
    ax = figure.axes[0]
    figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "0"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "UN (k=1), not pooled" in labels
    diamonds = [
        coll
        for coll in ax.collections
        if isinstance(coll, PathCollection) and len(coll.get_offsets()) == 1
    ]
    assert len(diamonds) == 1  # the pooled 'none' group only
    plt.close(figure)
