"""Notebook 04's forest figure: every ceasefire's descriptive before/during rate ratio, its
primary (counterfactual) estimate just below it, and the pooled ratios.

:func:`forest_rows` builds the drawn rows as a tidy table (so what the figure shows can be
checked without reading pixels); :func:`forest_figure` draws them. A ratio of 0 (no events
during) has no place on a log axis: it is drawn at :data:`ZERO_AT` and its bar is then an upper
bound only, which a note beside the row says; a ceasefire without a primary estimate
(baseline too short, no events before) has a note giving the reason instead of a diamond.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis import contract as c
from analysis.formatting import format_number, format_p, format_status
from analysis.status import STATUS_NOT_COMPUTED, STATUS_OK, STATUS_TOO_SHORT, STATUS_ZERO_DURING
from analysis.style import BLOC_COLOURS, FOREST_TICKS, ratio_axis

ZERO_AT = 0.01
"""A rate ratio of 0 (no events during) is drawn here on the log axis (its tick reads 0)."""
CLIP_LOW = 0.02
"""Interval ends and ratios above 0 but below this are drawn here with a left arrowhead:
apart from the zero position, so a clipped lower end is never read as a zero."""
X_MAX = 300.0
"""Right end of the ratio axis: a pooled group of two can have an interval up to 10^4; ends
beyond it are drawn at the edge with a right arrowhead."""
NOTE_GAP = 1.2
"""A note starts this factor right of the end of its row's bar (log axis)."""
PRIMARY_OFFSET = 0.35
"""The primary estimate's row sits this far below the descriptive one (rows are 1 apart)."""
POOLED_PREFIX = "POOLED · "
SINGLE_NOTE = "not pooled (k = 1): its ceasefire's own row above is the estimate"
"""Note of a pooled row whose group holds one estimate (drawn without a diamond)."""
UNBROKERED_COLOUR = "#333333"
PRIMARY_COLOUR = "#000000"
ROLE_DESCRIPTIVE = "descriptive"
ROLE_PRIMARY = "primary"
ROLE_POOLED = "pooled"
FOREST_COLUMNS = ("label", "role", "y", "estimate", "ci_low", "ci_high", "colour", "status", "note")
"""Columns of :func:`forest_rows`."""


def row_note(role: str, status: object, ci_high: float) -> str:
    """What a forest row's drawing cannot say by itself: its bar is an upper bound only (no
    events during), or it has no estimate and why.

    Parameters
    ----------
    role : str
        'descriptive' or 'primary': the estimate the note is about.
    status : object
        The row's status code (``status`` or ``primary_status``).
    ci_high : float
        Upper end of its interval (the bound of a zero-during row).

    Returns
    -------
    str
        The note, e.g. 'primary: no events during, bar = upper bound 0.45'; empty for an
        ordinary estimate or one that was not computed.
    """
    if status == STATUS_ZERO_DURING:
        return f"{role}: no events during, bar = upper bound {format_number(ci_high)}"
    if status == STATUS_TOO_SHORT and role == ROLE_PRIMARY:
        return "primary: baseline too short, no estimate"
    if status in (STATUS_OK, STATUS_NOT_COMPUTED) or pd.isna(status):
        return ""
    return f"{role}: {format_status(status)}, no estimate"


def draw_notes(ax: object, rows: pd.DataFrame) -> None:
    """Write each row's note just right of the end of its bar (or of the zero line).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        A forest axis with a log ratio scale.
    rows : pandas.DataFrame
        Columns y, estimate, ci_high and note (rows with an empty note are skipped).

    Returns
    -------
    None
        Draws on ``ax``.
    """
    notes = rows[rows["note"] != ""]
    ends = np.maximum(clip_ratios(notes["ci_high"]), clip_ratios(notes["estimate"])) * NOTE_GAP
    for x, y, note in zip(ends, notes["y"], notes["note"], strict=True):
        ax.text(x, y, note, va="center", fontsize=7, color="#444444")


def has_primary(batch: pd.DataFrame) -> bool:
    """Whether the primary estimate was computed for the table (any row not 'not_computed').

    Parameters
    ----------
    batch : pandas.DataFrame
        A per-ceasefire table, with or without the primary columns.

    Returns
    -------
    bool
        True when the table carries primary estimates to draw.
    """
    if "primary_status" not in batch:
        return False
    return bool((batch["primary_status"] != STATUS_NOT_COMPUTED).any())


def forest_rows(batch: pd.DataFrame, pooled: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of :func:`forest_figure`: per ceasefire with a descriptive estimate, its
    descriptive ratio and (when computed) its primary one just below; then the pooled ratios.

    Parameters
    ----------
    batch : pandas.DataFrame
        :attr:`analysis.alignment_all.BlocEffects.table` (ceasefire_id, broker_bloc,
        during_start, estimate, ci_low, ci_high, q_value, status and, optionally,
        :data:`analysis.counterfactual.PRIMARY_COLUMNS`); rows with an estimate are drawn, by
        during_start.
    pooled : dict of str to pandas.DataFrame
        Grouping column -> output of :func:`analysis.pooling.pool_random_effects` grouped by
        that column (groups with k > 0 are listed; a group of one has no pooled estimate, so
        its row has NaN values and :data:`SINGLE_NOTE`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FOREST_COLUMNS`: the y-axis label, role ('descriptive', 'primary' or
        'pooled'), vertical position, estimate and interval as computed (0 for no events
        during, NaN where there is none), colour, status and the note written beside the
        row (upper bound only, no estimate; empty otherwise).
    """
    rows = batch[batch["estimate"].notna()].sort_values("during_start").reset_index(drop=True)
    primary = has_primary(rows)
    out = []
    for i, r in rows.iterrows():
        q = "" if pd.isna(r["q_value"]) else f"  (q = {format_p(r['q_value'])})"
        bloc = r[c.CF_BROKER_BLOC]
        note = row_note(ROLE_DESCRIPTIVE, r["status"], r["ci_high"])
        out.append(
            {
                "label": f"{r[c.CF_ID]}{q}",
                "role": ROLE_DESCRIPTIVE,
                "y": float(i),
                "estimate": r["estimate"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "colour": BLOC_COLOURS.get(str(bloc), UNBROKERED_COLOUR),
                "status": r["status"],
                "note": note,
            }
        )
        if primary:
            note = row_note(ROLE_PRIMARY, r["primary_status"], r["primary_ci_high"])
            out.append(
                {
                    "label": ROLE_PRIMARY,
                    "role": ROLE_PRIMARY,
                    "y": i + PRIMARY_OFFSET,
                    "estimate": r["primary_estimate"],
                    "ci_low": r["primary_ci_low"],
                    "ci_high": r["primary_ci_high"],
                    "colour": PRIMARY_COLOUR,
                    "status": r["primary_status"],
                    "note": note,
                }
            )
    position = float(len(rows))
    for name, table in pooled.items():
        for r in table[table["k"] > 0].itertuples(index=False):
            group = str(getattr(r, name)).replace("none", "unbrokered")
            pooled_here = getattr(r, "status", STATUS_OK) == STATUS_OK
            count = f"{int(r.k)} pooled" if pooled_here else f"{int(r.k)} estimate"
            out.append(
                {
                    "label": f"{POOLED_PREFIX}{name.replace('_', ' ')} {group}: {count}",
                    "role": ROLE_POOLED,
                    "y": position,
                    "estimate": r.pooled_rr,
                    "ci_low": r.ci_low,
                    "ci_high": r.ci_high,
                    "colour": PRIMARY_COLOUR,
                    "status": getattr(r, "status", STATUS_OK),
                    # one estimate is not pooled: no diamond, its own row above is the answer
                    "note": "" if pooled_here else SINGLE_NOTE,
                }
            )
            position += 1
    return pd.DataFrame(out, columns=list(FOREST_COLUMNS))


def clip_ratios(values: object) -> np.ndarray:
    """Where ratios are drawn on a forest's log axis.

    Parameters
    ----------
    values : array-like
        Rate ratios or interval ends (0 for a zero, NaN for a missing lower end).

    Returns
    -------
    numpy.ndarray
        0 and NaN at :data:`ZERO_AT`; the rest kept between :data:`CLIP_LOW` and :data:`X_MAX`.
    """
    ratios = np.asarray(values, dtype="float64")
    ratios = np.where(np.isnan(ratios), 0.0, ratios)
    return np.where(ratios <= 0, ZERO_AT, np.clip(ratios, CLIP_LOW, X_MAX))


def draw_intervals(
    ax: object, y: np.ndarray, low: pd.Series, high: pd.Series, colours: object, lw: float
) -> None:
    """Interval bars on a forest's log ratio axis; an end beyond the drawn range gets an
    arrowhead at the edge (the interval continues), a zero lower end none (it is a zero).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        A forest axis set up by :func:`forest_axis`.
    y : numpy.ndarray
        Row positions.
    low, high : pandas.Series
        Interval ends as computed (0 for a zero lower end, NaN where there is none).
    colours : str or sequence of str
        One colour, or one per row.
    lw : float
        Line width.

    Returns
    -------
    None
        Draws on ``ax``.
    """
    y = np.asarray(y, dtype=float)
    lo, hi = np.asarray(low, dtype="float64"), np.asarray(high, dtype="float64")
    colours = np.broadcast_to(np.asarray(colours, dtype=object), y.shape)
    ax.hlines(y, clip_ratios(lo), clip_ratios(hi), colors=list(colours), lw=lw)
    for ends, x, marker in ((lo, CLIP_LOW, "<"), (hi, X_MAX, ">")):
        cut = (ends > 0) & ((ends < CLIP_LOW) if marker == "<" else (ends > X_MAX))
        if cut.any():
            ax.scatter(
                np.full(int(cut.sum()), x), y[cut], marker=marker, c=list(colours[cut]), s=18
            )


def forest_axis(ax: object) -> None:
    """The ratio axis of a forest: log scale from the zero position to :data:`X_MAX`, few
    ticks (:data:`analysis.style.FOREST_TICKS`), the zero position labelled 0.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The forest axis.

    Returns
    -------
    None
        Sets the x scale, ticks and limits of ``ax``.
    """
    ax.set_xscale("log")
    ratio_axis(ax.xaxis, FOREST_TICKS, zero_at=ZERO_AT)
    ax.set_xlim(ZERO_AT / 1.4, X_MAX * 1.4)


AXIS_NOTE = "rate ratio (log scale; 0 = no events during; arrows: interval runs on; 1 = no change)"
"""The x label of a forest: what the zero position and the arrowheads mean."""


def forest_figure(batch: pd.DataFrame, pooled: dict[str, pd.DataFrame], title: str) -> Figure:
    """Rate ratio (log scale) with intervals for every estimated ceasefire: the descriptive
    during / before ratio (dot, broker-bloc colour, q = BH q-value) and, when computed, the
    primary estimate just below it (open black diamond, thin black interval); then the pooled
    random-effects ratio per group of each pooling table in ``pooled`` (filled diamonds).
    Rows whose bar is an upper bound only (no events during) or that have no primary estimate
    say so in a note beside the row; ends beyond the axis (below :data:`CLIP_LOW`, above
    :data:`X_MAX`) carry an arrowhead, while a ratio of 0 sits at the tick labelled 0.

    Parameters
    ----------
    batch : pandas.DataFrame
        :attr:`analysis.alignment_all.BlocEffects.table` (see :func:`forest_rows`).
    pooled : dict of str to pandas.DataFrame
        Grouping column -> output of :func:`analysis.pooling.pool_random_effects` grouped by that
        column (groups with k > 0 are drawn).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis, one row per ceasefire (two with the primary) and pooled group.
    """
    drawn = forest_rows(batch, pooled)
    n_rows = int((drawn["role"] != ROLE_PRIMARY).sum())
    fig, ax = plt.subplots(figsize=(12, 0.3 * max(n_rows, 4) + 1.8))
    styles = {
        ROLE_DESCRIPTIVE: {"marker": "o", "lw": 1.5, "face": None},
        ROLE_PRIMARY: {"marker": "D", "lw": 0.8, "face": "none"},
        ROLE_POOLED: {"marker": "D", "lw": 1.5, "face": None},
    }
    for role, style in styles.items():
        part = drawn[(drawn["role"] == role) & drawn["estimate"].notna()]
        if part.empty:
            continue
        draw_intervals(
            ax, part["y"].to_numpy(), part["ci_low"], part["ci_high"], part["colour"], style["lw"]
        )
        ax.scatter(
            clip_ratios(part["estimate"]),
            part["y"],
            marker=style["marker"],
            facecolors=part["colour"] if style["face"] is None else style["face"],
            edgecolors=part["colour"],
            s=22,
            zorder=3,
        )
    draw_notes(ax, drawn)
    ax.set_yticks(drawn["y"], drawn["label"], fontsize=8)
    for tick, role in zip(ax.get_yticklabels(), drawn["role"], strict=True):
        if role == ROLE_PRIMARY:  # the primary's own row: smaller, under its ceasefire
            tick.set_fontsize(7)
            tick.set_color("#444444")
    ax.set_ylim(n_rows - 0.4, -0.6)
    ax.axvline(1, color="grey", lw=0.8)
    forest_axis(ax)
    primary = (drawn["role"] == ROLE_PRIMARY).any()
    ax.set_xlabel(
        AXIS_NOTE
        + ("\ndots: descriptive during / before; open diamonds: primary" if primary else "")
    )
    blocs = [b for b in BLOC_COLOURS if b in set(batch[c.CF_BROKER_BLOC].astype(str))]
    handles = [
        Line2D([], [], color=BLOC_COLOURS[b], marker="o", label=f"descriptive, broker: {b}")
        for b in blocs
    ]
    handles.append(
        Line2D([], [], color=UNBROKERED_COLOUR, marker="o", label="descriptive, unbrokered")
    )
    if primary:
        handles.append(
            Line2D(
                [],
                [],
                color=PRIMARY_COLOUR,
                lw=0.8,
                marker="D",
                mfc="none",
                label="primary (vs own forecast)",
            )
        )
    handles.append(
        Line2D([], [], color=PRIMARY_COLOUR, marker="D", label="pooled (random effects)")
    )
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title)
    fig.tight_layout()
    return fig
