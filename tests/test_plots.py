"""Figures show what the report is about: the report's ceasefire chain stands out on a timeline.

Checked on the drawn artists (matplotlib patches), not on pixels: the highlighted windows are
outlined and shaded more strongly than the others, and the legend names the chain.
"""

from __future__ import annotations

import matplotlib.colors
import pandas as pd
from matplotlib.patches import Rectangle

from analysis import contract as c
from analysis import plots, style
from analysis import windows as wn
from analysis.ceasefire_table import load_ceasefires


def _timeline(highlight: list[str]) -> tuple[list[Rectangle], list[str], pd.DataFrame]:
    ceasefires = load_ceasefires()
    shaded = wn.ceasefire_periods(ceasefires, 90)
    shaded = shaded[shaded["start"].between("2025-01-01", "2025-12-31")].reset_index(drop=True)
    days = pd.date_range("2025-01-06", "2025-07-28", freq="W-MON")
    panel = pd.DataFrame({c.PN_PERIOD: days, c.PN_GROUP: "all", c.PN_EVENTS: 3, c.PN_FATALITIES: 1})
    diplomatic = pd.DataFrame({c.DE_DATE_START: pd.to_datetime([]), c.DE_BLOC: []})
    figure = plots.strike_timeline(panel, shaded, diplomatic, "W", "t", highlight=highlight)
    events_axis = figure.axes[0]
    spans = [p for p in events_axis.patches if isinstance(p, Rectangle)]
    legend = [t.get_text() for t in events_axis.get_legend().get_texts()]
    return spans, legend, shaded


def test_the_reports_chain_stands_out_and_the_rest_recede() -> None:
    chain = wn.chain_members(load_ceasefires(), "mil-eq-2025-05")
    assert chain[0] == "mil-eq-2025-04" and "mil-eq-2025-06" in chain  # the whole 2025 chain
    spans, legend, shaded = _timeline(chain)
    assert len(spans) == len(shaded)
    outlined = [s for s in spans if s.get_linewidth() > 0]
    assert len(outlined) == len(set(chain) & set(shaded[c.CF_ID])) >= 3
    strongest_other = max(s.get_alpha() for s in spans if s.get_linewidth() == 0)
    assert min(s.get_alpha() for s in outlined) > strongest_other
    assert all(
        matplotlib.colors.to_hex(s.get_edgecolor()) == style.HIGHLIGHT_COLOUR for s in outlined
    )
    assert legend[0] == "mil-eq-2025-04 and its extensions"


def test_without_a_highlight_every_window_is_drawn_alike() -> None:
    spans, legend, _ = _timeline([])
    assert all(s.get_linewidth() == 0 for s in spans)
    assert not any("extensions" in text for text in legend)
    assert wn.chain_members(load_ceasefires(), "") == []
