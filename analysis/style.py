"""Colours and the figure style every report shares, so a bloc or a side looks the same in all.

Blocs keep one colour across every figure and report (China red, Russia blue, ...); declarer
sides another palette, chosen so that no bloc shares a side's colour; the phases of published
counts a third. :func:`use_report_style` sets the theme notebooks draw with.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import seaborn as sns

DECLARER_COLOURS = {"state": "#d95f02", "non_state": "#1b9e77", "both": "#7570b3"}
BLOC_COLOURS = {
    "China": "#e41a1c",
    "Russia": "#377eb8",
    "India": "#ff7f00",
    "Japan": "#984ea3",
    "ASEAN": "#e7298a",  # not green: green is the non-state declarer's colour
    "West": "#a65628",
    "other": "#999999",
}
MEDIATOR_BLOC_COLOURS = {
    **BLOC_COLOURS,
    "UN": "#41b6c4",
    "OSCE": "#c7a000",
    "regional": "#66a61e",
    "unknown": "#bbbbbb",
    "none": "#333333",
}
"""Mediator blocs of the ETH/PRIO table: the curated blocs keep their colours; UN, OSCE and
regional bodies get their own; no mediator is dark grey, as unbrokered truces elsewhere."""
FREQUENCY_LABELS = {"D": "day", "W": "week", "M": "month"}
RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
"""Ticks of a rate-ratio axis drawn on a log scale."""
DECADE_TICKS = (0.001, 0.01, 0.1, 1, 10, 100, 1000)
"""Ticks of a ratio axis spanning more than two decades, where RATIO_TICKS run together."""


FOREST_TICKS = (0.1, 0.5, 1, 2, 10, 100)
"""Ticks of a forest plot's ratio axis: few enough that labels never run together."""


def ratio_axis(
    axis: object, ticks: tuple[float, ...] = RATIO_TICKS, zero_at: float | None = None
) -> None:
    """Tick labels as plain numbers (0.5, 1, 2) on a log or symlog axis, never 10^0.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        The axis to label (``ax.xaxis`` or ``ax.yaxis``).
    ticks : tuple of float, default RATIO_TICKS
        Where the ticks go.
    zero_at : float, optional
        Where a log axis draws ratios of 0: a tick there is added and labelled '0'.

    Returns
    -------
    None
        Sets the axis' major locator and formatter and removes its minor ticks.
    """
    where = sorted({*ticks, *(() if zero_at is None else (zero_at,))})

    def label(value: float, _: object) -> str:
        return "0" if zero_at is not None and abs(value - zero_at) < 1e-12 else f"{value:g}"

    axis.set_major_locator(mticker.FixedLocator(where))
    axis.set_major_formatter(mticker.FuncFormatter(label))
    axis.set_minor_locator(mticker.NullLocator())


def use_report_style() -> None:
    """A readable, print-friendly style shared by every notebook.

    Parameters
    ----------
    This function takes no parameters.

    Returns
    -------
    None
        Sets the seaborn theme and matplotlib rcParams of the running session.
    """
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold"})


PHASE_COLOURS = {
    "before": "#4575b4",
    "spans_both": "#999999",
    "during": "#d73027",
    "after": "#1a9850",
}

HIGHLIGHT_COLOUR = "#111111"
"""Outline of the report's own ceasefire and its extensions on a timeline."""
