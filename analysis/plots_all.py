"""Figures of notebook 06 (every ceasefire of a country at once): a forest plot capped at a
readable number of rows, the distribution of effects by group, and Kaplan-Meier curves of the
days until the first event. Each takes tidy tables and returns a matplotlib Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis import contract as c
from analysis.all_ceasefires import ESTIMATED
from analysis.all_ceasefires_groups import GroupSurvival, explode_groups
from analysis.formatting import format_p
from analysis.plots_forest import (
    AXIS_NOTE,
    PRIMARY_OFFSET,
    ROLE_DESCRIPTIVE,
    ROLE_PRIMARY,
    ZERO_AT,
    clip_ratios,
    draw_intervals,
    draw_notes,
    forest_axis,
    has_primary,
    row_note,
)
from analysis.plots_survival import draw_km_curve
from analysis.status import STATUS_OK
from analysis.style import MEDIATOR_BLOC_COLOURS, ratio_axis
from analysis.tables.all_ceasefires import GROUPING_LABELS, shown_caption, shown_rows

DAY_TICKS = (0, 1, 2, 5, 10, 30, 100, 365, 1000, 3650)
OTHER_COLOUR = "#777777"


def _first_bloc(blocs: pd.Series) -> pd.Series:
    """The first listed mediator bloc of each ceasefire (its colour); 'none' when blank."""
    first = blocs.astype("string").fillna("").str.split(c.LIST_SEPARATOR).str[0]
    return first.mask(first == "", "none")


def _clip(values: pd.Series) -> np.ndarray:
    return clip_ratios(values)


def _notes(rows: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
    """Notes of the shown rows (upper bound only, no primary estimate), for ``draw_notes``."""
    estimates = [(ROLE_DESCRIPTIVE, "", 0.0, "status")]
    if has_primary(rows):
        estimates.append((ROLE_PRIMARY, "primary_", PRIMARY_OFFSET, "primary_status"))
    parts = []
    for role, prefix, offset, status in estimates:  # descriptive, then primary
        high = rows[prefix + "ci_high"]
        parts.append(
            pd.DataFrame(
                {
                    "y": y + offset,
                    "estimate": rows[prefix + "estimate"].to_numpy(),
                    "ci_high": high.to_numpy(),
                    "note": [
                        row_note(role, code, bound)
                        for code, bound in zip(rows[status], high, strict=True)
                    ],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def forest_all_figure(table: pd.DataFrame, max_rows: int, title: str) -> Figure:
    """Rate ratio (log scale) with its interval for the shown ceasefires (at most
    ``max_rows``, those with the most events before; :func:`analysis.tables.shown_rows`),
    sorted, coloured by first mediator bloc; the caption line says what was left out. Where
    the primary estimate was computed (``primary_estimate``), it is drawn just below each
    descriptive one as an open black diamond with a thin black interval. A bar that is only an
    upper bound (no events during) and a missing primary estimate carry a note saying so
    (:func:`analysis.plots_forest.row_note`).

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table`.
    max_rows : int
        Most ceasefires drawn.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis, one row per shown ceasefire (an empty axis with a note when none has an
        estimate).
    """
    rows = shown_rows(table, max_rows)
    fig, ax = plt.subplots(figsize=(12, 0.26 * max(len(rows), 4) + 1.8))
    if rows.empty:
        ax.text(0.5, 0.5, "no ceasefire could be estimated", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        return fig
    blocs = _first_bloc(rows[c.CF_MEDIATOR_BLOCS])
    colours = blocs.map(MEDIATOR_BLOC_COLOURS).fillna(OTHER_COLOUR).to_numpy()
    y = np.arange(len(rows))
    draw_intervals(ax, y, rows["ci_low"], rows["ci_high"], colours, 1.5)
    ax.scatter(_clip(rows["estimate"]), y, c=colours, s=18, zorder=3)
    primary = rows.get("primary_estimate", pd.Series(np.nan, rows.index)).notna().to_numpy()
    if primary.any():
        below = y[primary] + PRIMARY_OFFSET
        draw_intervals(
            ax,
            below,
            rows.loc[primary, "primary_ci_low"],
            rows.loc[primary, "primary_ci_high"],
            "black",
            0.8,
        )
        ax.scatter(
            _clip(rows.loc[primary, "primary_estimate"]),
            below,
            marker="D",
            facecolors="none",
            edgecolors="black",
            s=16,
            zorder=3,
        )
    draw_notes(ax, _notes(rows, y))
    labels = [
        f"{cf} ({country})" + ("" if pd.isna(q) else f"  q {format_p(q)}".replace("q 0", "q = 0"))
        for cf, country, q in zip(rows[c.CF_ID], rows[c.CF_COUNTRY], rows["q_value"], strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(1, color="grey", lw=0.8)
    forest_axis(ax)
    ax.set_xlabel(
        AXIS_NOTE
        + ("; dots during / before, diamonds primary" if primary.any() else "")
        + "\n"
        + shown_caption(table, max_rows)
    )
    handles = [
        Line2D([], [], color=MEDIATOR_BLOC_COLOURS.get(b, OTHER_COLOUR), marker="o", label=b)
        for b in dict.fromkeys(blocs)
    ]
    if primary.any():
        handles.append(
            Line2D([], [], color="black", lw=0.8, marker="D", mfc="none", label="primary")
        )
    # outside the axes: with dozens of rows any spot inside covers an interval
    ax.legend(
        handles=handles,
        title="mediator bloc",
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    ax.set_title(title)
    fig.tight_layout()
    return fig


def group_distribution_figure(
    table: pd.DataFrame, groups: pd.DataFrame, groupings: tuple[str, ...], title: str
) -> Figure:
    """Per grouping, each estimated ceasefire's rate ratio (dots) and the pooled ratio with
    its interval (black diamond) per group of two or more (a group of one is labelled 'not
    pooled' and has no diamond).

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`analysis.all_ceasefires.AllCeasefires.table`.
    groups : pandas.DataFrame
        :func:`analysis.all_ceasefires_groups.effects_by_group` of it.
    groupings : tuple of str
        The groupings drawn, one panel each (e.g. class, purposes, mediator blocs).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per grouping, groups on the vertical axis.
    """
    estimated = table[table["status"].isin(ESTIMATED)]
    fig, axes = plt.subplots(1, len(groupings), figsize=(4.2 * len(groupings), 4.5), squeeze=False)
    rng = np.random.default_rng(0)  # fixed jitter, so the figure is the same on every run
    for ax, grouping in zip(axes[0], groupings, strict=True):
        pooled = groups[(groups["grouping"] == grouping) & (groups["k"] > 0)]
        pooled = pooled.sort_values("group").reset_index(drop=True)
        position = {g: i for i, g in enumerate(pooled["group"])}
        dots = explode_groups(estimated, grouping)
        dots = dots[dots[grouping].isin(position)]
        y = dots[grouping].map(position).to_numpy(dtype=float)
        ax.scatter(
            _clip(dots["estimate"]),
            y + rng.uniform(-0.2, 0.2, len(y)),
            s=10,
            color=OTHER_COLOUR,
            alpha=0.5,
        )
        # a group of one is not pooled (status single_estimate): its dot alone, no diamond
        done = pooled[pooled["status"] == STATUS_OK]
        ax.hlines(done.index, _clip(done["ci_low"]), _clip(done["ci_high"]), color="black")
        ax.scatter(_clip(done["pooled_rr"]), done.index, marker="D", color="black", zorder=3)
        ax.set_yticks(
            pooled.index,
            [
                f"{g} (k={int(k)})" + ("" if state == STATUS_OK else ", not pooled")
                for g, k, state in zip(pooled["group"], pooled["k"], pooled["status"], strict=True)
            ],
            fontsize=8,
        )
        ax.invert_yaxis()
        ax.axvline(1, color="grey", lw=0.8)
        ax.set_xscale("log")
        ax.set_xlim(ZERO_AT / 2, 1 / ZERO_AT * 2)  # intervals of groups of two run off it
        ratio_axis(ax.xaxis, (0.1, 1, 10, 100), zero_at=ZERO_AT)  # ratios of 0 sit at "0"
        ax.set_title(f"by {GROUPING_LABELS.get(grouping, grouping)}", fontsize=10)
        ax.set_xlabel("rate ratio during / before (0: no events during)")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def first_event_figure(curves: dict[str, GroupSurvival], title: str) -> Figure:
    """Kaplan-Meier curves of the share of ceasefires still without an event on their dyads,
    one panel per grouping, with pointwise 95% bands; curves start at 1 on day 0.

    Parameters
    ----------
    curves : dict of str to GroupSurvival
        Panel title -> :func:`analysis.all_ceasefires_groups.survival_by_group`.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per entry of ``curves``.
    """
    fig, axes = plt.subplots(1, len(curves), figsize=(6 * len(curves), 4.5), squeeze=False)
    palette = plt.get_cmap("tab10")
    for ax, (label, survival) in zip(axes[0], curves.items(), strict=True):
        for k, (group, part) in enumerate(survival.km.groupby("group", sort=True)):
            draw_km_curve(
                ax,
                part,
                MEDIATOR_BLOC_COLOURS.get(str(group), palette(k % 10)),
                f"{group} (n={int(part['n_risk'].iloc[0])})",
            )
        ax.set_xscale("symlog", linthresh=10)
        ratio_axis(ax.xaxis, DAY_TICKS)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("days since entry into force (log scale past 10)")
        ax.set_ylabel("share still without an event")
        ax.set_title(label, fontsize=10)
        if len(survival.km):
            ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
