"""Figures. Each function takes tidy tables and returns a matplotlib Figure; none reads files."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis import contract as c

DECLARER_COLOURS = {"state": "#d95f02", "non_state": "#1b9e77", "both": "#7570b3"}
BLOC_COLOURS = {
    "China": "#e41a1c",
    "Russia": "#377eb8",
    "India": "#ff7f00",
    "Japan": "#984ea3",
    "ASEAN": "#4daf4a",
    "West": "#a65628",
    "other": "#999999",
}
FREQUENCY_LABELS = {"D": "day", "W": "week", "M": "month"}


def use_report_style() -> None:
    """A readable, print-friendly style shared by every notebook."""
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold"})


def strike_timeline(
    panel: pd.DataFrame,
    windows: pd.DataFrame,
    diplomatic: pd.DataFrame,
    freq: str,
    title: str,
) -> Figure:
    """Events and deaths per period, ceasefire windows shaded, diplomatic events marked by bloc.

    ``panel`` is a PANEL table with a single group; ``windows`` comes from
    :func:`analysis.panel.ceasefire_windows` and ``diplomatic`` from the curated calendar.
    """
    totals = panel.groupby(c.PN_PERIOD)[[c.PN_EVENTS, c.PN_FATALITIES]].sum()
    fig, (ax_events, ax_deaths) = plt.subplots(
        2, 1, figsize=(12, 6.5), sharex=True, gridspec_kw={"height_ratios": [2, 1]}
    )
    unit = FREQUENCY_LABELS[freq]
    ax_events.step(totals.index, totals[c.PN_EVENTS], where="post", color="#222222", lw=1.2)
    ax_deaths.step(totals.index, totals[c.PN_FATALITIES], where="post", color="#8c2d04", lw=1.0)
    ax_events.set_ylabel(f"events per {unit}")
    ax_deaths.set_ylabel(f"deaths per {unit}")
    for ax in (ax_events, ax_deaths):
        for window in windows.itertuples(index=False):
            ax.axvspan(
                window.start,
                window.end + pd.Timedelta(days=1),
                color=DECLARER_COLOURS.get(getattr(window, c.CF_DECLARER_SIDE), "#cccccc"),
                alpha=0.12 if window.end_assumed else 0.22,
                lw=0,
            )
    for event in diplomatic.itertuples(index=False):
        ax_events.axvline(
            getattr(event, c.DE_DATE_START),
            color=BLOC_COLOURS.get(getattr(event, c.DE_BLOC), "#999999"),
            lw=1.0,
            ls="--",
            alpha=0.9,
        )
    shading = [
        Patch(color=colour, alpha=0.3, label=f"ceasefire declared by: {side.replace('_', '-')}")
        for side, colour in DECLARER_COLOURS.items()
        if side in set(windows[c.CF_DECLARER_SIDE])
    ]
    markers = [
        Line2D([], [], color=BLOC_COLOURS[bloc], ls="--", label=f"diplomatic event: {bloc}")
        for bloc in BLOC_COLOURS
        if bloc in set(diplomatic[c.DE_BLOC])
    ]
    if shading or markers:
        ax_events.legend(handles=shading + markers, loc="upper left", fontsize=8, ncol=2)
    # Open-ended windows may run past the data; the plot stops where the panel stops.
    ax_deaths.set_xlim(totals.index.min(), totals.index.max())
    ax_deaths.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax_deaths.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(ax_deaths.xaxis.get_major_locator())
    )
    ax_events.set_title(title)
    fig.tight_layout()
    return fig
