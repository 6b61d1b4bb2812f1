"""The bundled UCDP GED Myanmar daily aggregate -> the canonical EVENTS table.

This module owns the one event source that ships with the project,
``data/ucdp/ucdp_ged_myanmar_daily.csv`` (UCDP GED events aggregated per day x adm_1 x
type_of_violence x side_a x side_b): loading it under ``contract.UCDP_DAILY``, mapping it
onto EVENTS, and the citation UCDP's CC BY 4.0 licence requires.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.sources.columns import coarse_side, normalise_admin1
from analysis.sources.validate import conform_events, read_table

SOURCE = "ucdp_daily"
UCDP_VIOLENCE_CATEGORY = {1: "armed_clash", 2: "non_state_conflict", 3: "one_sided_violence"}

UCDP_CITATION = (
    "UCDP Georeferenced Event Dataset (GED), CC BY 4.0: Sundberg, Ralph and Erik Melander "
    "(2013) 'Introducing the UCDP Georeferenced Event Dataset', Journal of Peace Research "
    "50(4); Davies, Shawn, Therese Pettersson and Magnus Öberg, UCDP GED codebook."
)

PathLike = str | os.PathLike[str]


def load_ucdp_daily(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """The bundled UCDP GED Myanmar daily aggregate, validated but otherwise as published.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The aggregate CSV; by default the bundled copy under the data folder.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        The table in contract dtypes (``contract.UCDP_DAILY``).
    """
    path = Path(path) if path else paths.ucdp_daily_path(data_dir)
    return read_table(path, c.UCDP_DAILY)


def ucdp_daily_to_events(daily: pd.DataFrame) -> pd.DataFrame:
    """Map the bundled UCDP daily aggregate onto the canonical event table.

    One canonical row per aggregate cell, with ``events`` carrying the cell's event count.
    Sides are coarse here (government = state, 'Civilians' = civilians, else other); the
    actor registry refines them where it is available.

    Parameters
    ----------
    daily : pandas.DataFrame
        The aggregate as returned by :func:`load_ucdp_daily`.

    Returns
    -------
    pandas.DataFrame
        Canonical EVENTS rows (not yet passed through the actor registry).
    """
    side_a = daily[c.UD_SIDE_A].astype("string")
    side_b = daily[c.UD_SIDE_B].astype("string")
    events = pd.DataFrame(
        {
            c.EV_ID: "ucdp_daily-"
            + pd.Series(np.arange(1, len(daily) + 1), index=daily.index)
            .astype("string")
            .str.zfill(6),
            c.EV_SOURCE: SOURCE,
            c.EV_DATE: daily[c.UD_DATE],
            c.EV_DATE_PRECISION: "day",
            c.EV_ACTOR: side_a,
            c.EV_ACTOR_RAW: side_a,
            c.EV_ACTOR_SIDE: coarse_side(side_a),
            c.EV_TARGET: side_b,
            c.EV_TARGET_RAW: side_b,
            c.EV_TARGET_SIDE: coarse_side(side_b),
            c.EV_ADMIN1: normalise_admin1(daily[c.UD_ADM_1]),
            c.EV_LATITUDE: np.nan,
            c.EV_LONGITUDE: np.nan,
            c.EV_CATEGORY: daily[c.UD_TYPE_OF_VIOLENCE].astype("int64").map(UCDP_VIOLENCE_CATEGORY),
            c.EV_EVENTS: daily[c.UD_EVENTS],
            c.EV_FATALITIES: daily[c.UD_DEATHS_BEST],
            c.EV_CIVILIAN_FATALITIES: daily[c.UD_DEATHS_CIVILIANS],
        },
        index=daily.index,
    )
    return conform_events(events)
