"""Figures. Each function takes tidy tables and returns a matplotlib Figure; none reads files."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis import contract as c
from analysis.formatting import format_note, format_number, format_p
from analysis.style import (
    BLOC_COLOURS,
    DECADE_TICKS,
    DECLARER_COLOURS,
    FREQUENCY_LABELS,
    HIGHLIGHT_COLOUR,
    PHASE_COLOURS,
    RATIO_TICKS,
    ratio_axis,
    use_report_style,
)

__all__ = ["FREQUENCY_LABELS", "use_report_style"]  # re-exported for notebooks


def strike_timeline(
    panel: pd.DataFrame,
    windows: pd.DataFrame,
    diplomatic: pd.DataFrame,
    freq: str,
    title: str,
    highlight: Sequence[str] = (),
) -> Figure:
    """Events and deaths per period, ceasefire windows shaded, diplomatic events marked by bloc.

    ``panel`` is a PANEL table with a single group; ``windows`` comes from
    :func:`analysis.windows.ceasefire_periods` and ``diplomatic`` from the curated calendar.

    Parameters
    ----------
    panel : pandas.DataFrame
        A PANEL table (period, group, events, fatalities); groups are summed per period.
    windows : pandas.DataFrame
        Ceasefire periods (:func:`analysis.windows.ceasefire_periods`: start, end, end_assumed,
        declarer_side); assumed ends are shaded lighter.
    diplomatic : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table to mark (date_start, bloc).
    freq : {'D', 'W', 'M'}
        The panel's frequency, for the axis labels.
    title : str
        Figure title.
    highlight : sequence of str
        Ceasefire ids drawn to stand out (outlined, stronger shade): the report's ceasefire
        first, then its extensions (:func:`analysis.windows.chain_members`); the other windows
        are drawn faintly behind them.

    Returns
    -------
    matplotlib.figure.Figure
        Two stacked panels: events and deaths per period.
    """
    chosen = set(highlight)
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
            stands_out = getattr(window, c.CF_ID) in chosen
            # with a highlight, the other windows recede so the report's own chain reads first
            alpha = 0.12 if window.end_assumed else 0.22
            ax.axvspan(
                window.start,
                window.end + pd.Timedelta(days=1),
                facecolor=DECLARER_COLOURS.get(getattr(window, c.CF_DECLARER_SIDE), "#cccccc"),
                alpha=alpha * (2.0 if stands_out else 0.5 if chosen else 1.0),
                edgecolor=HIGHLIGHT_COLOUR if stands_out else "none",
                lw=1.5 if stands_out else 0,
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
    if chosen & set(windows[c.CF_ID]):
        shading.insert(
            0,
            Patch(
                facecolor="none",
                edgecolor=HIGHLIGHT_COLOUR,
                label=f"{sorted(chosen)[0]} and its extensions"
                if len(chosen) > 1
                else sorted(chosen)[0],
            ),
        )
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
    *,
    placebo_name: str = "Random placebo",
    placebo_ratio: str = "rate ratio in pseudo-windows",
) -> Figure:
    """Three panels for one ceasefire: weekly counts with the baseline / interim / during
    windows shaded; the event study (rate ratio by week vs week -1, pointwise intervals; the
    title says when a quiet week -1 leaves no ratio: status 'no_reference_events'); and
    a placebo's distribution of ratios in pseudo-windows with the observed value marked.

    ``windows`` is an ``effects.Windows`` and ``placebo`` an ``effects.PlaceboResult``.

    Parameters
    ----------
    series : pandas.Series
        Zero-filled daily counts (resampled to Monday-start weeks for the first panel).
    windows : Windows
        The ceasefire's windows (:class:`analysis.windows.Windows`).
    event_study : pandas.DataFrame
        The output of :func:`analysis.time_series.event_study` (week, rate_ratio, ci_low, ci_high).
    placebo : PlaceboResult
        A placebo test (:class:`analysis.placebo.PlaceboResult`: placebo_log_rr,
        observed_log_rr, p_value): the random placebo of the during-vs-before ratio or the
        placebo of the primary estimate (:func:`analysis.placebo_forecast.forecast_placebo_test`).
    title : str
        Figure title.
    placebo_name : str, default "Random placebo"
        The placebo's name in the third panel's title.
    placebo_ratio : str, default "rate ratio in pseudo-windows"
        What its ratios are, for the third panel's axis.

    Returns
    -------
    matplotlib.figure.Figure
        Three panels side by side.
    """
    fig, (ax_ts, ax_es, ax_pl) = plt.subplots(
        1, 3, figsize=(15, 4.6), gridspec_kw={"width_ratios": [1.3, 1, 1]}
    )
    lo = windows.pre_start - pd.Timedelta(days=60)
    hi = windows.during_end + pd.Timedelta(days=60)
    weekly = series.loc[lo:hi].resample("W-MON", label="left", closed="left").sum()
    ax_ts.step(weekly.index, weekly.to_numpy(), where="post", color="#333333", lw=1)
    spans = [("baseline", windows.pre_start, windows.pre_end, "#bbbbbb")]
    if not pd.isna(windows.interim_start):
        spans.append(("interim", windows.interim_start, windows.interim_end, "#fdb863"))
    spans.append(("ceasefire", windows.during_start, windows.during_end, "#80cdc1"))
    for label, start, end, colour in spans:
        ax_ts.axvspan(start, end + pd.Timedelta(days=1), color=colour, alpha=0.5, label=label)
    ax_ts.set_ylabel("events per week")
    ax_ts.set_ylim(bottom=0)
    ax_ts.legend(fontsize=8, loc="upper right")
    ax_ts.set_title("Events per week", fontsize=10)
    _date_axis(ax_ts)

    es = event_study.sort_values("week")
    err_low = (es["rate_ratio"] - es["ci_low"]).clip(lower=0)
    err_high = (es["ci_high"] - es["rate_ratio"]).clip(lower=0)
    ax_es.errorbar(
        es["week"],
        es["rate_ratio"],
        yerr=[err_low, err_high],
        fmt="o",
        ms=3,
        color="#1b9e77",
        label="week vs week -1, 95% interval",
    )
    ax_es.axhline(1, color="grey", lw=0.8)
    ax_es.axvline(-0.5, color="#d95f02", ls="--", lw=1, label="anchor date")
    ax_es.set_yscale("symlog", linthresh=0.1)
    ax_es.set_ylim(bottom=0)
    ratio_axis(ax_es.yaxis, (0, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50))
    ax_es.set_xlabel("weeks from the anchor date")
    ax_es.set_ylabel("rate ratio vs week -1")
    ax_es.legend(fontsize=7, loc="best")
    ax_es.set_xlim(es["week"].min() - 0.5, es["week"].max() + 0.5)  # also with no ratio drawn
    no_ratio = bool(es["rate_ratio"].isna().all())
    ax_es.set_title("Event study" + ": no events in week -1, no ratios" * no_ratio, fontsize=10)

    _placebo_panel(ax_pl, placebo, placebo_name, placebo_ratio)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _placebo_panel(ax: object, placebo: object, name: str, ratio_name: str) -> None:
    """The placebo distribution of ratios with the observed one marked; without any finite
    placebo ratio, a text-only panel saying why there is no comparison."""
    # placebo ratios on a log scale; quiet windows give ratios of 0 (log = -inf), not drawn
    draws = np.asarray(placebo.placebo_log_rr, dtype=float)
    finite = draws[np.isfinite(draws)]
    observed = placebo.observed_log_rr
    if not len(finite):  # an empty log axis with an empty legend would say nothing
        # NaN: no observed estimate at all (e.g. too short a baseline); -inf: no events during
        ratio = "none" if np.isnan(observed) else format_number(np.exp(observed))
        why = textwrap.fill(format_note(placebo.note) or "no pseudo-window to compare.", 42)
        ax.text(
            0.5,
            0.5,
            f"No placebo comparison\n\nobserved ratio: {ratio}\n\n{why}",
            ha="center",
            va="center",
            fontsize=9,
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        ax.set_title(f"{name}: not possible", fontsize=10)
        return
    ax.hist(
        np.exp(finite),
        # about two windows a bin, so a few windows do not turn into hairlines
        bins=np.geomspace(
            np.exp(finite.min()), np.exp(finite.max()) * 1.001, int(np.clip(len(finite) / 2, 6, 40))
        ),
        color="#bbbbbb",
        label="pseudo-windows",
    )
    ax.set_xscale("log")
    # the observed ratio is often far outside the placebo draws: keep it in view
    shown = np.append(finite, observed) if np.isfinite(observed) else finite
    ax.set_xlim(np.exp(shown.min()) / 1.2, np.exp(shown.max()) * 1.2)
    decades = (shown.max() - shown.min()) / np.log(10)
    ratio_axis(ax.xaxis, DECADE_TICKS if decades > 2.5 else RATIO_TICKS)
    ax.yaxis.get_major_locator().set_params(integer=True)  # counts of windows
    if np.isfinite(observed):
        ax.axvline(np.exp(observed), color="#d95f02", lw=2, label="observed")
    else:
        ax.annotate(
            "no observed estimate"
            if np.isnan(observed)
            else "observed ratio: 0\n(no events during,\noff the log scale)",
            (0.02, 0.95),
            xycoords="axes fraction",
            va="top",
            fontsize=8,
            color="#d95f02",
        )
    ax.set_xlabel(f"{ratio_name} (log scale)")
    ax.set_ylabel("pseudo-windows")
    ax.legend(fontsize=8, loc="best")
    ax.set_title(f"{name}: p = {format_p(placebo.p_value)}", fontsize=10)


# --- Timing, alignment, survival and reported-count figures (notebooks 03-05) ----------------


def _date_axis(ax: object) -> None:
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))


def timing_calendar_figure(
    dates: pd.Series, calendar: pd.DataFrame, blocs: list[str], title: str
) -> Figure:
    """One row per bloc with its diplomatic events (bars from start to end), and a vertical
    line at every ceasefire declaration in ``dates``.

    Parameters
    ----------
    dates : pandas.Series
        Declaration dates (:func:`analysis.timing.declaration_dates`).
    calendar : pandas.DataFrame
        Rows of the DIPLOMATIC_EVENTS table (date_start, date_end, bloc).
    blocs : list of str
        The blocs to draw, one row each, in this order.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis, one row per bloc.
    """
    fig, ax = plt.subplots(figsize=(12, 0.6 * len(blocs) + 1.8))
    for date in dates:
        ax.axvline(date, color="#444444", lw=0.8, alpha=0.7)
    for row, bloc in enumerate(blocs):
        part = calendar[calendar[c.DE_BLOC] == bloc]
        start = part[c.DE_DATE_START]
        width = (part[c.DE_DATE_END].fillna(start) - start).dt.days + 1
        ax.broken_barh(
            list(zip(mdates.date2num(start), width.clip(lower=4), strict=True)),
            (row - 0.3, 0.6),
            color=BLOC_COLOURS.get(bloc, "#999999"),
        )
    ax.set_yticks(range(len(blocs)), [f"{b} ({(calendar[c.DE_BLOC] == b).sum()})" for b in blocs])
    ax.set_ylim(-0.7, len(blocs) - 0.3)
    ax.invert_yaxis()
    ax.legend(
        handles=[Line2D([], [], color="#444444", lw=0.8, label="ceasefire declaration")],
        loc="upper left",
        fontsize=8,
    )
    _date_axis(ax)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def timing_test_figure(distances: pd.DataFrame, test: pd.DataFrame, title: str) -> Figure:
    """Per bloc: each declaration's distance to the nearest event (dots), the observed mean
    (diamond) and the 5-95% range of the mean at random dates (grey bar, tick = null mean).

    Parameters
    ----------
    distances : pandas.DataFrame
        The output of :func:`analysis.timing.nearest_event_distances` (bloc, abs_days).
    test : pandas.DataFrame
        The output of :func:`analysis.timing.timing_permutation_test` (one row per bloc).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis, one row per bloc of ``test``.
    """
    blocs = list(test["bloc"])
    fig, ax = plt.subplots(figsize=(10, 0.7 * len(blocs) + 2.2))
    for row, result in enumerate(test.itertuples(index=False)):
        ax.plot([result.null_q05_days, result.null_q95_days], [row, row], color="#bbbbbb", lw=8)
        ax.plot(result.null_mean_days, row, "|", color="#555555", ms=14)
        part = distances[distances["bloc"] == result.bloc]["abs_days"]
        colour = BLOC_COLOURS.get(result.bloc, "#333333")  # each bloc's colour, as everywhere
        ax.plot(part, [row + 0.22] * len(part), "o", color=colour, ms=4, alpha=0.6)
        ax.plot(result.observed_mean_days, row, "D", color=colour, ms=8, mec="#222222")
        ax.annotate(
            f"p = {format_p(result.p_value)}",
            (1.01, row),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=9,
        )
    ax.set_yticks(range(len(blocs)), blocs)
    ax.invert_yaxis()
    ax.set_xlabel("days to the nearest diplomatic event of the bloc")
    ax.legend(
        handles=[
            Line2D([], [], marker="o", ls="", color="#777777", label="one declaration"),
            Line2D([], [], marker="D", ls="", color="#777777", label="observed mean"),
            Line2D([], [], color="#bbbbbb", lw=8, label="random dates: 5-95% of the mean"),
            Line2D([], [], marker="|", ls="", ms=12, color="#555555", label="random dates: mean"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=4,
        fontsize=8,
    )
    ax.set_title(title)
    fig.tight_layout()
    return fig


def diplomatic_profile_figure(profile: pd.DataFrame, per_bloc: pd.DataFrame, title: str) -> Figure:
    """Mean daily events by day relative to diplomatic events, one panel per bloc, with the
    2.5-97.5% band of the same mean at random anchor dates.

    Parameters
    ----------
    profile : pandas.DataFrame
        The ``profile`` table of :func:`analysis.timing.diplomatic_event_study` (bloc, relative_day,
        mean_events, null_low, null_high).
    per_bloc : pandas.DataFrame
        Its ``per_bloc`` table (bloc, n_in_data, pooled_rr, permutation_p), for the titles.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per bloc of ``profile``, sharing the y axis.
    """

    blocs = list(dict.fromkeys(profile[c.DE_BLOC]))
    panels = max(len(blocs), 1)  # one empty panel when no diplomatic event is in the data
    fig, axes = plt.subplots(1, panels, figsize=(4.2 * panels, 3.6), sharey=True, squeeze=False)
    stats = per_bloc.set_index(c.DE_BLOC)
    for ax, bloc in zip(axes[0][: len(blocs)], blocs, strict=True):
        part = profile[profile[c.DE_BLOC] == bloc]
        ax.fill_between(
            part["relative_day"],
            part["null_low"],
            part["null_high"],
            color="#dddddd",
            label="random dates, 95% band",
        )
        ax.step(
            part["relative_day"],
            part["mean_events"],
            where="post",
            color=BLOC_COLOURS.get(bloc, "#333333"),
            label="around the events",
        )
        ax.axvline(0, color="#333333", ls="--", lw=1)
        row = stats.loc[bloc]
        n = int(row["n_in_data"])
        ax.set_title(
            f"{bloc}: {n} event{'s' if n != 1 else ''}, ratio {format_number(row['pooled_rr'])}, "
            f"p = {format_p(row['permutation_p'])}",
            fontsize=9,
        )
        ax.set_xlabel("days from the event (0 = first day)")
    axes[0][0].set_ylabel("mean events per day")
    if blocs:
        axes[0][0].legend(fontsize=8, loc="upper left")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def did_figure(
    panel_table: pd.DataFrame,
    treated: list[str],
    event_date: pd.Timestamp,
    title: str,
    pre_periods: int | None = None,
    post_periods: int | None = None,
) -> Figure:
    """Events per period of the treated groups and of all other groups, each divided by its
    own pre-period mean, so parallel pre-trends and the post-date gap can be compared.
    ``pre_periods`` / ``post_periods`` trim to the estimation window, as in did_poisson.

    Parameters
    ----------
    panel_table : pandas.DataFrame
        A PANEL table (period, group, events).
    treated : list of str
        The treated groups; all other groups are the controls.
    event_date : pandas.Timestamp
        First post period (marked by a dashed line).
    title : str
        Figure title.
    pre_periods, post_periods : int, optional
        Periods kept before / from the date (default: all).

    Returns
    -------
    matplotlib.figure.Figure
        One axis with the treated and control series.
    """
    data = panel_table.assign(
        arm=panel_table[c.PN_GROUP].isin(treated).map({True: "treated", False: "controls"})
    )
    wide = data.pivot_table(
        index=c.PN_PERIOD, columns="arm", values=c.PN_EVENTS, aggfunc="sum", fill_value=0
    ).astype(float)
    before, after = wide[wide.index < event_date], wide[wide.index >= event_date]
    if pre_periods:
        before = before.iloc[-pre_periods:]
    if post_periods:
        after = after.iloc[:post_periods]
    wide = pd.concat([before, after])
    pre_mean = before.mean()
    indexed = wide / pre_mean
    fig, ax = plt.subplots(figsize=(11, 4))
    labels = {
        "treated": f"treated: {', '.join(treated)}",
        "controls": "all other groups",
    }
    colours = {"treated": "#d95f02", "controls": "#555555"}
    for arm in ("controls", "treated"):
        if arm in indexed:
            ax.step(
                indexed.index, indexed[arm], where="post", color=colours[arm], label=labels[arm]
            )
    ax.axvline(event_date, color="#1b9e77", ls="--", lw=1.5, label="truce takes effect")
    ax.axhline(1, color="grey", lw=0.6)
    ax.set_ylabel("events / pre-period mean")
    ax.legend(fontsize=8, loc="upper left")
    _date_axis(ax)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def displacement_figure(tables: dict[str, pd.DataFrame], title: str) -> Figure:
    """Change in each group's share of events (percentage points, after minus before), one
    panel per grouping (e.g. target, region).

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Grouping name -> the ``shares`` table of :func:`analysis.alignment.displacement_shares`
        (group, events_pre, events_post, change_pp).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per grouping.
    """
    fig, axes = plt.subplots(1, len(tables), figsize=(6 * len(tables), 5), squeeze=False)
    for ax, (name, table) in zip(axes[0], tables.items(), strict=True):
        part = table[(table["events_pre"] + table["events_post"]) > 0].sort_values("change_pp")
        colours = ["#d73027" if v < 0 else "#4575b4" for v in part["change_pp"]]
        ax.barh(part[c.PN_GROUP].astype(str), part["change_pp"], color=colours)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_xlabel("change in share of events, percentage points")
        ax.set_title(f"by {name}", fontsize=10)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def reported_rates_figure(rates: pd.DataFrame, title: str) -> Figure:
    """Per-day rate of each published count, one panel per measure_kind (never combined),
    one row per count (monitor, period, scope), coloured by where the period lies relative
    to the ceasefire window.

    Parameters
    ----------
    rates : pandas.DataFrame
        The ``rates`` table of :func:`analysis.reported.rate_table` (measure_kind, monitor, scope,
        period_start, period_end, per_day, phase).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per measure kind.
    """
    kinds = list(dict.fromkeys(rates[c.RC_MEASURE_KIND]))
    heights = [max(len(rates[rates[c.RC_MEASURE_KIND] == k]), 1) for k in kinds]
    fig, axes = plt.subplots(
        len(kinds),
        1,
        figsize=(11, 0.32 * sum(heights) + 1.2 * len(kinds) + 0.8),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, kind in zip(axes[:, 0], kinds, strict=True):
        part = rates[rates[c.RC_MEASURE_KIND] == kind].reset_index(drop=True)
        scope = part[c.RC_SCOPE].astype(str)
        scope = scope.where(scope.str.len() <= 36, scope.str.slice(0, 35) + "…")
        labels = (
            part[c.RC_MONITOR].astype(str)
            + "  "
            + part[c.RC_PERIOD_START].dt.strftime("%Y-%m-%d")
            + " to "
            + part[c.RC_PERIOD_END].dt.strftime("%Y-%m-%d")
            + "  ["
            + scope
            + "]"
        )
        colours = part["phase"].map(PHASE_COLOURS).fillna("#333333")
        ax.scatter(part["per_day"], range(len(part)), c=list(colours), s=36, zorder=3)
        ax.set_yticks(range(len(part)), labels, fontsize=8)
        ax.set_ylim(len(part) - 0.5, -0.5)
        ax.set_xlim(0, float(part["per_day"].max()) * 1.08 if len(part) else 1)
        ax.set_title(f"Measure: {str(kind).replace('_', ' ')}", fontsize=10, loc="left")
        ax.set_xlabel("reported per day (count / days in its period)")
    handles = [
        Line2D([], [], marker="o", ls="", color=colour, label=phase.replace("_", " "))
        for phase, colour in PHASE_COLOURS.items()
        if phase in set(rates["phase"])
    ]
    axes[0, 0].legend(
        handles=handles,
        title="period vs ceasefire",
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
    )
    fig.suptitle(title)
    fig.tight_layout()
    return fig
