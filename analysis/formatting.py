"""Numbers, dates and tables as people read them in a rendered report.

Reports are read with the code hidden, by people who need a number and its uncertainty, not
a float with sixteen digits. The formatters return text (so they can be tested and reused);
:func:`report_table` turns a table of text into a Styler without row numbers, with links and
escaped cells. This module knows no statistics: the tables of each analysis are built in
:mod:`analysis.tables` from these pieces.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from analysis.contract import LIST_SEPARATOR
from analysis.status import STATUS_LABELS

MISSING = "—"
"""Shown where a value does not exist (no estimate, no end date, not applicable)."""


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA; False for anything else, containers included."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other containers are not missing values
        return False


def format_number(value: Any, digits: int = 3) -> str:
    """``value`` rounded to ``digits`` significant digits, never in scientific notation,
    with thousands separators like :func:`format_count` (0.000123, 1.52, 1,230); missing
    values as an em dash, infinities as ∞."""
    if is_missing(value):
        return MISSING
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    if number == 0:
        return "0"
    text = np.format_float_positional(
        abs(number), precision=digits, unique=False, fractional=False, trim="-"
    )
    whole, dot, fraction = text.partition(".")
    sign = "−" if number < 0 else ""
    return f"{sign}{int(whole):,}{dot}{fraction}"


def format_count(value: Any) -> str:
    """A count of events or days as a whole number with thousands separators."""
    return MISSING if is_missing(value) else f"{float(value):,.0f}".replace("-", "−")


def format_interval(low: Any, high: Any, digits: int = 3) -> str:
    """An interval as 'low–high' (en dash), each end to ``digits`` significant digits."""
    if is_missing(low) and is_missing(high):
        return MISSING
    return f"{format_number(low, digits)}–{format_number(high, digits)}"


RATIO_FLOOR = 0.001
"""Ratio interval ends below this (but above 0) read '<0.001': more digits are noise."""
RATIO_CEILING = 1000.0
"""Ratio interval ends above this read '>1,000'."""


def format_ratio_interval(low: Any, high: Any) -> str:
    """A rate-ratio (or hazard-ratio) interval as people read it: ends beyond
    [:data:`RATIO_FLOOR`, :data:`RATIO_CEILING`] as '<0.001' and '>1,000'.

    An interval of 0.000000191 to 160000 says only that the data cannot tell; its digits are
    not information. Such an interval reads '<0.001 to >1,000' (with 'to', since an en dash
    next to '<' or '>' reads badly); ordinary ones keep 'low–high' (:func:`format_interval`).
    A lower end of exactly 0 (no events during) stays 0. Only for ratios: counts and rates
    use :func:`format_interval`.

    Parameters
    ----------
    low, high : Any
        The interval's ends (missing values allowed).

    Returns
    -------
    str
        E.g. '0.411–0.788', '<0.001 to 56.9', '0–0.112'; an em dash when both ends are missing.
    """
    if is_missing(low) and is_missing(high):
        return MISSING

    def end(value: Any) -> str:
        if is_missing(value):
            return MISSING
        number = float(value)
        if 0 < number < RATIO_FLOOR:
            return f"<{RATIO_FLOOR:g}"
        if number > RATIO_CEILING:
            return f">{RATIO_CEILING:,.0f}"
        return format_number(number)

    left, right = end(low), end(high)
    bounded = left.startswith("<") or right.startswith(">")
    return f"{left} to {right}" if bounded else f"{left}–{right}"


def format_intervals(table: pd.DataFrame, low: str = "ci_low", high: str = "ci_high") -> list[str]:
    """One :func:`format_ratio_interval` per row of a table's interval columns (every report
    table that uses this shows ratio intervals)."""
    return [format_ratio_interval(lo, hi) for lo, hi in zip(table[low], table[high], strict=True)]


def format_pooled_ratios(table: pd.DataFrame) -> list[str]:
    """The pooled rate ratio of each row of a pooled table, or why there is none.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`analysis.pooling.pool_random_effects` (pooled_rr and, when present,
        status).

    Returns
    -------
    list of str
        The ratio to three significant digits where the group was pooled; the status in plain
        words otherwise ('not pooled (k = 1)', 'nothing to pool (k = 0)').
    """
    status = table["status"] if "status" in table else pd.Series("ok", index=table.index)
    return [
        format_number(rr) if state == "ok" else format_status(state)
        for rr, state in zip(table["pooled_rr"], status, strict=True)
    ]


def format_heterogeneity(table: pd.DataFrame) -> pd.Series:
    """I² in percent per pooled row; shown as missing when fewer than two estimates were
    pooled, because heterogeneity is not defined for a single estimate."""
    percent = 100 * table["i2"].where(table["k"] >= 2)
    return percent.map(lambda v: MISSING if is_missing(v) else f"{v:.0f}")


def format_p(value: Any) -> str:
    """A p-value to two significant digits; below 0.001 shown as '<0.001'."""
    if is_missing(value):
        return MISSING
    return "<0.001" if float(value) < 0.001 else format_number(value, 2)


def format_date(value: Any, precision: Any = "day") -> str:
    """A date as YYYY-MM-DD, or YYYY-MM when it is known only to the month."""
    if is_missing(value):
        return MISSING
    day = pd.Timestamp(value)
    if precision == "month":
        return f"{day:%Y-%m} (month only)"
    if precision == "year":
        return f"{day:%Y} (year only)"
    return f"{day:%Y-%m-%d}"


def format_list(value: Any, empty: str = MISSING) -> str:
    """A ';'-joined list cell as people write it: ``Cuba;Norway`` -> ``Cuba, Norway``.

    Parameters
    ----------
    value : Any
        The cell (text, or missing).
    empty : str, default :data:`MISSING`
        Shown for a missing or empty cell.

    Returns
    -------
    str
        The items joined by ", ", or ``empty``.
    """
    items = [] if is_missing(value) else str(value).split(LIST_SEPARATOR)
    return ", ".join(item.strip() for item in items if item.strip()) or empty


def format_note(text: Any) -> str:
    """A machine-written note as sentences: each starts with a capital letter."""
    if is_missing(text) or not str(text).strip():
        return ""
    sentences = str(text).strip().split(". ")
    return ". ".join(s[:1].upper() + s[1:] for s in sentences)


def format_status(status: Any) -> str:
    """A status code in plain words (unknown codes are shown as they are)."""
    if is_missing(status):
        return MISSING
    return STATUS_LABELS.get(str(status), str(status).replace("_", " "))


def link_html(url: Any) -> str:
    """An HTML link showing the site's name, for a source-URL cell of a report table."""
    if is_missing(url) or not str(url).strip():
        return MISSING
    text = str(url).strip()
    site = urlparse(text).netloc.removeprefix("www.") or text
    return f'<a href="{html.escape(text, quote=True)}">{html.escape(site)}</a>'


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_NOWRAP = r'<span style="white-space: nowrap">\g<0></span>'
"""Dates never break at their hyphens, wherever they stand in a cell."""


LINK_COLUMNS = ("Source",)
"""Columns of a report table whose cells are URLs, rendered as links named by their site."""


def report_table(table: pd.DataFrame, caption: str | None = None) -> Any:
    """A report table: no row numbers, text left-aligned, URLs as links, optional caption.

    Cells are escaped as HTML except the links this function makes itself, so curated text
    cannot inject markup into a shared report.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of text, e.g. from a :mod:`analysis.tables` builder; cells of a column named in
        :data:`LINK_COLUMNS` are URLs.
    caption : str, optional
        Caption shown above the table.

    Returns
    -------
    pandas.io.formats.style.Styler
        The styled table, ready for ``display``.
    """
    frame = table.copy()
    # short cells (numbers, intervals, labels) must not break across lines; long text may
    short = table.map(lambda v: "white-space: nowrap" if len(str(v)) <= 16 else "")
    for column in frame.columns:
        if column in LINK_COLUMNS:
            frame[column] = frame[column].map(link_html)
        else:
            frame[column] = frame[column].map(
                lambda v: MISSING if is_missing(v) else _DATE.sub(_NOWRAP, html.escape(str(v)))
            )
    styler = frame.style.hide(axis="index").apply(lambda _: short, axis=None)
    styler = styler.set_table_styles(
        [
            {"selector": "", "props": "margin-bottom: 1.2em;"},
            {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
            {"selector": "td", "props": "text-align: left; vertical-align: top;"},
            {"selector": "caption", "props": "caption-side: top; text-align: left; color: #444;"},
        ]
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


def facts_table(facts: dict[str, Any]) -> pd.DataFrame:
    """A two-column table (What, Value) from labelled values: dates as YYYY-MM-DD, floats
    to three significant digits, lists joined with commas, missing values as a dash.

    Parameters
    ----------
    facts : dict
        Label -> value, in the order to show them (booleans as yes / no, empty lists as 'all').

    Returns
    -------
    pandas.DataFrame
        A table of text with columns What (the label) and Value (the formatted value), one row per
        fact.
    """

    def text(value: Any) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value) if value else "all"
        if isinstance(value, pd.Timestamp):
            return format_date(value)
        if isinstance(value, bool | np.bool_):
            return "yes" if value else "no"
        if isinstance(value, int | np.integer):
            return format_count(value)
        if isinstance(value, float | np.floating):
            return format_number(value)
        return MISSING if is_missing(value) else str(value)

    return pd.DataFrame({"What": list(facts), "Value": [text(v) for v in facts.values()]})
