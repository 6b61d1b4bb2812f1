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


# --- Ceasefire effect figures (statistics helper) ---------------------------------------------


def ceasefire_effect_figure(
    series: pd.Series,
    windows: object,
    event_study: pd.DataFrame,
    placebo: object,
    title: str,
) -> Figure:
    """Three panels for one ceasefire: weekly counts with the pre / interim / during windows
    shaded; the event study (rate ratio by week vs week -1, pointwise intervals); and the
    placebo distribution of log rate ratios with the observed value marked.

    ``windows`` is an ``effects.Windows`` and ``placebo`` an ``effects.PlaceboResult``.
    """
    import numpy as np

    fig, (ax_ts, ax_es, ax_pl) = plt.subplots(1, 3, figsize=(15, 4.2))
    lo = windows.pre_start - pd.Timedelta(days=60)
    hi = windows.during_end + pd.Timedelta(days=60)
    weekly = series.loc[lo:hi].resample("W-MON", label="left", closed="left").sum()
    ax_ts.step(weekly.index, weekly.to_numpy(), where="post", color="#333333", lw=1)
    spans = [("pre", windows.pre_start, windows.pre_end, "#bbbbbb")]
    if not pd.isna(windows.interim_start):
        spans.append(("interim", windows.interim_start, windows.interim_end, "#fdb863"))
    spans.append(("during", windows.during_start, windows.during_end, "#80cdc1"))
    for label, start, end, colour in spans:
        ax_ts.axvspan(start, end + pd.Timedelta(days=1), color=colour, alpha=0.5, label=label)
    ax_ts.set_ylabel("events per week")
    ax_ts.legend(fontsize=8, loc="upper right")
    ax_ts.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax_ts.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax_ts.xaxis.get_major_locator()))
    es = event_study.sort_values("week")
    err_low = (es["rate_ratio"] - es["ci_low"]).clip(lower=0)
    err_high = (es["ci_high"] - es["rate_ratio"]).clip(lower=0)
    ax_es.errorbar(
        es["week"], es["rate_ratio"], yerr=[err_low, err_high], fmt="o", ms=3, color="#1b9e77"
    )
    ax_es.axhline(1, color="grey", lw=0.8)
    ax_es.axvline(-0.5, color="#d95f02", ls="--", lw=1)
    ax_es.set_yscale("symlog", linthresh=0.1)
    ax_es.set_ylim(bottom=0)
    ax_es.set_xlabel("week relative to anchor date (reference: week -1)")
    ax_es.set_ylabel("rate ratio vs week -1")
    draws = np.asarray(placebo.placebo_log_rr, dtype=float)
    finite = draws[np.isfinite(draws)]
    if len(finite):
        ax_pl.hist(finite, bins=40, color="#bbbbbb")
    observed = placebo.observed_log_rr
    if np.isfinite(observed):
        ax_pl.axvline(observed, color="#d95f02", lw=2, label="observed")
    else:
        ax_pl.annotate(
            "observed: no events during (log ratio = -inf)",
            (0.02, 0.92),
            xycoords="axes fraction",
            fontsize=8,
        )
    ax_pl.set_xlabel("log rate ratio at pseudo-dates")
    ax_pl.set_title(f"placebo p = {placebo.p_value:.3f}", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
