"""Helpers shared by several test modules: small canonical event tables, process checks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis.sources import validate


def make_events(
    dates: Sequence,
    counts: Sequence[int],
    groups: Sequence[str],
    fatalities: Sequence[int] | None = None,
    source: str = "acled",
    category: str = "air_drone_strike",
) -> pd.DataFrame:
    """A canonical EVENTS table: one row per date with the given counts and admin1 groups."""
    return validate.conform_events(
        pd.DataFrame(
            {
                c.EV_ID: [f"e{i}" for i in range(len(dates))],
                c.EV_SOURCE: source,
                c.EV_DATE: pd.to_datetime(list(dates)),
                c.EV_DATE_PRECISION: "day",
                c.EV_ACTOR: "A",
                c.EV_ACTOR_RAW: "A",
                c.EV_ACTOR_SIDE: "state",
                c.EV_TARGET: "B",
                c.EV_TARGET_RAW: "B",
                c.EV_TARGET_SIDE: "other",
                c.EV_ADMIN1: list(groups),
                c.EV_LATITUDE: np.nan,
                c.EV_LONGITUDE: np.nan,
                c.EV_CATEGORY: category,
                c.EV_EVENTS: list(counts),
                c.EV_FATALITIES: list(counts if fatalities is None else fatalities),
                c.EV_CIVILIAN_FATALITIES: pd.NA,
            }
        )
    )


def process_alive(pid: int) -> bool:
    """Whether a process still runs (a zombie awaiting its parent counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


PRE, DURING = 90, 60  # pre and during window lengths (days) of the simulated ceasefire tests
TRUE_RATIOS = (0.5, 1.0, 1.3)  # known rate ratios the simulation-based tests must recover


def make_ceasefires(rows: list[dict]) -> pd.DataFrame:
    """A ceasefire table with the contract's columns (unset columns blank)."""
    frame = pd.DataFrame(rows)
    for col in c.CEASEFIRES.column_names:
        if col not in frame:
            frame[col] = pd.NA
    for col in (c.CF_DECLARED_ON, c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_TO):
        frame[col] = pd.to_datetime(frame[col])
    for col in (c.CF_ID, c.CF_EXTENDS, c.CF_KIND, c.CF_BROKER_BLOC, c.CF_DATE_PRECISION):
        frame[col] = frame[col].astype("string")
    return frame[c.CEASEFIRES.column_names]
