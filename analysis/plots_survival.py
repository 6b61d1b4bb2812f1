"""Survival figures: Kaplan-Meier curves of how long truces held, with their bands.

:func:`draw_km_curve` draws one group's step curve and pointwise band; every survival figure
of the package (:func:`survival_figure` here, :func:`analysis.plots_all.first_event_figure`)
draws its curves with it, so they all start at 1 on day 0 and shade the band the same way.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.style import BLOC_COLOURS, ratio_axis

SURVIVAL_DAY_TICKS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
BAND_ALPHA = 0.12


def draw_km_curve(ax: object, part: pd.DataFrame, colour: object, label: str) -> None:
    """One group's Kaplan-Meier step curve with its pointwise band, starting at 1 on day 0.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axis to draw on.
    part : pandas.DataFrame
        One group's rows of :func:`analysis.survival.kaplan_meier` (time, survival, ci_low,
        ci_high), sorted by time.
    colour : str or tuple
        A matplotlib colour for the curve and its band.
    label : str
        Legend entry of the curve.

    Returns
    -------
    None
        Draws on ``ax``.
    """
    times = [0.0, *part["time"]]
    ax.step(times, [1.0, *part["survival"]], where="post", color=colour, label=label)
    ax.fill_between(
        times,
        [1.0, *part["ci_low"]],
        [1.0, *part["ci_high"]],
        step="post",
        color=colour,
        alpha=BAND_ALPHA,
    )


def survival_figure(
    km: pd.DataFrame, title: str, xlabel: str = "days since the truce took effect"
) -> Figure:
    """Kaplan-Meier curves (share of truces without a counterparty strike) per group with
    pointwise 95% bands; curves start at 1 on day 0.

    Parameters
    ----------
    km : pandas.DataFrame
        The output of :func:`analysis.survival.kaplan_meier` (group, time, survival, ci_low,
        ci_high, n_risk).
    title : str
        Figure title.
    xlabel : str, default 'days since the truce took effect'
        Label of the time axis.

    Returns
    -------
    matplotlib.figure.Figure
        One axis with a curve per group.
    """
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for group, part in km.groupby("group", sort=True):
        name = "unbrokered" if group == "none" else group
        draw_km_curve(
            ax,
            part,
            BLOC_COLOURS.get(str(group), "#333333"),
            f"{name} (n={int(part['n_risk'].iloc[0])})",
        )
    ax.set_xscale("symlog", linthresh=10)
    ratio_axis(ax.xaxis, SURVIVAL_DAY_TICKS)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel + " (log scale past 10)")
    ax.set_ylabel("share still holding")
    ax.legend(title="broker bloc", fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    return fig
