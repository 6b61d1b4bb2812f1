"""Helpers shared by several test modules: small canonical event tables, process checks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis import windows as wn
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


ACLED_2025_FIRST, ACLED_2025_LAST = "2025-01-23", "2025-05-16"
"""The span of the generated 2025 ACLED pull (the span of the real pull issue 10 describes)."""
ACLED_2025_TARGETS = {  # ACLED actor2 name -> registry actor_id (or the side for civilians)
    "AA: Arakan Army": "AA",
    "TNLA: Ta'ang National Liberation Army": "TNLA",
    "MNDAA: Myanmar National Democratic Alliance Army": "MNDAA",
    "KIA: Kachin Independence Army": "KIA",
    "PDF: People's Defense Force": "NUG/PDF",
    "Civilians (Myanmar)": "Civilians",
}
ACLED_2025_REGIONS = ("Rakhine", "Shan-North", "Kachin", "Sagaing", "Magway", "Mandalay")


def write_acled_2025(path: Path, seed: int = 2025, strikes_per_day: float = 4.0) -> pd.DataFrame:
    """Write an invented ACLED export in the current 31-column layout, 23 Jan - 16 May 2025.

    Every row is made up (ids, places, notes, counts): each day has at least one junta air or
    drone strike (Poisson extra strikes with mean ``strikes_per_day``) on targets the actor
    registry maps (AA, TNLA, MNDAA, KIA, PDF, civilians), plus armed clashes started by
    resistance groups, so the strike definition has something to leave out.

    Returns
    -------
    pandas.DataFrame
        The rows written (as text), for independent counts in the tests.
    """
    rng = np.random.default_rng(seed)
    days = pd.date_range(ACLED_2025_FIRST, ACLED_2025_LAST, freq="D")
    strikes = 1 + rng.poisson(strikes_per_day - 1, len(days))
    clashes = rng.poisson(2.0, len(days))
    targets = list(ACLED_2025_TARGETS)
    rows = []
    for day, n_strikes, n_clashes in zip(days, strikes, clashes, strict=True):
        for kind, count in (("strike", n_strikes), ("clash", n_clashes)):
            for _ in range(count):
                target = targets[rng.integers(len(targets))]
                region = ACLED_2025_REGIONS[rng.integers(len(ACLED_2025_REGIONS))]
                strike = kind == "strike"
                rows.append(
                    {
                        "event_id_cnty": f"MMR9{len(rows):05d}",
                        "event_date": f"{day:%Y-%m-%d}",
                        "year": str(day.year),
                        "time_precision": "1",
                        "disorder_type": "Political violence",
                        "event_type": "Explosions/Remote violence" if strike else "Battles",
                        "sub_event_type": "Air/drone strike" if strike else "Armed clash",
                        "actor1": (
                            "Military Forces of Myanmar (2021-)"
                            if strike
                            else "PDF: People's Defense Force"
                        ),
                        "assoc_actor_1": "",
                        "inter1": "State forces" if strike else "Rebel group",
                        "actor2": target if strike else "Military Forces of Myanmar (2021-)",
                        "assoc_actor_2": "",
                        "inter2": "Civilians" if target.startswith("Civilians") else "Rebel group",
                        "interaction": "State forces-Rebel group",
                        "civilian_targeting": "",
                        "iso": "104",
                        "region": "Southeast Asia",
                        "country": "Myanmar",
                        "admin1": region,
                        "admin2": f"{region} district",
                        "admin3": f"{region} township",
                        "location": f"Invented place {len(rows) % 97}",
                        "latitude": f"{20 + rng.random():.4f}",
                        "longitude": f"{95 + rng.random():.4f}",
                        "geo_precision": "1",
                        "source": "Invented News",
                        "source_scale": "National",
                        "notes": "Invented row for tests.",
                        "fatalities": str(int(rng.integers(0, 4))),
                        "tags": "",
                        "timestamp": str(1747700000 + len(rows)),
                    }
                )
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


def windows_at(
    index: pd.DatetimeIndex, effective: int, pre: int = 90, during: int = 20
) -> wn.Windows:
    """The windows of a simulated ceasefire declared and in force on position ``effective``:
    ``pre`` days before it, ``during`` days from it, no interim."""
    day = index[effective]
    return wn.Windows(
        ceasefire_id="sim",
        declared=day,
        effective=day,
        pre_start=index[effective - pre],
        pre_end=index[effective - 1],
        interim_start=pd.NaT,
        interim_end=pd.NaT,
        during_start=day,
        during_end=index[effective + during - 1],
        gap="exclude",
        note="",
        pre_days_used=pre,
    )
