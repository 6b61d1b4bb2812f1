"""Notebooks 00-02 on an export at real-world cardinality, with nothing but the user's file.

A generated ACLED export in the current layout (20,000 distinct actor names, assoc lists, notes
with line breaks, three date formats, revised events) runs through the audit, the timeline and
the ceasefire-effect notebooks with only ``source``, ``events_path`` and ``strike_definition``
(and ``ceasefire_id`` for notebook 02). The counts they record are checked against a plain
pandas count of the same CSV: junta air strikes are ACLED's 'Air/drone strike' rows whose actor1
is a state force (the military or one of its named units, or the police; not a pro-junta
militia), as data/curated/strike_definitions.yml defines them, each event once (a revised
event keeps its latest version).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import papermill as pm
import pytest
from acled_generator import write_acled_export

from analysis import paths, results

NOTEBOOKS = paths.PROJECT_ROOT / "notebooks"
START, END = "2024-10-01", "2025-05-16"
QUAKE_TRUCE = ("2025-04-02", "2025-04-22")  # mil-eq-2025-04 in data/curated/ceasefires.csv
BASELINE_DAYS = 90  # notebook 02's default pre_days


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    generated = write_acled_export(
        folder / "myanmar_pull.csv", rows=60_000, n_actor_names=20_000, start=START, end=END
    )
    return generated.path


@pytest.fixture(scope="module")
def junta_air_per_day(export: Path) -> pd.Series:
    raw = pd.read_csv(export, dtype=str, keep_default_na=False)
    raw["timestamp"] = raw["timestamp"].astype(int)
    latest = raw.sort_values("timestamp").drop_duplicates("event_id_cnty", keep="last")
    strikes = latest[
        (latest["sub_event_type"] == "Air/drone strike")
        & latest["actor1"].str.startswith(
            ("Military Forces of Myanmar", "Police Forces of Myanmar")
        )
        & ~latest["actor1"].str.contains("Militia")
    ]
    days = pd.Series(pd.NaT, index=strikes.index, dtype="datetime64[ns]")
    for layout in ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y"):  # the three forms ACLED writes
        days = days.fillna(pd.to_datetime(strikes["event_date"], format=layout, errors="coerce"))
    assert days.notna().all()
    return days.value_counts().sort_index()


def _run(notebook: str, parameters: dict, tmp_path: Path) -> dict:
    output = tmp_path / notebook
    pm.execute_notebook(
        str(NOTEBOOKS / notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    return results.read_results(output)


def _user_file(export: Path) -> dict[str, str]:
    return {"source": "acled", "events_path": str(export), "strike_definition": "junta_air"}


def test_audit_counts_every_event_once(export: Path, tmp_path: Path) -> None:
    raw = pd.read_csv(export, dtype=str, keep_default_na=False)
    recorded = _run("00_data_audit.ipynb", _user_file(export), tmp_path)
    assert recorded["rows"] == raw["event_id_cnty"].nunique()
    assert recorded["rows_dropped_by_loader"] == len(raw) - raw["event_id_cnty"].nunique()


def test_timeline_counts_every_junta_air_strike(
    export: Path, junta_air_per_day: pd.Series, tmp_path: Path
) -> None:
    recorded = _run("01_strike_timeline.ipynb", _user_file(export), tmp_path)
    assert junta_air_per_day.sum() > 1_000
    assert recorded["events_inside"] + recorded["events_outside"] == junta_air_per_day.sum()


def test_ceasefire_effect_counts_the_baseline_and_the_truce(
    export: Path, junta_air_per_day: pd.Series, tmp_path: Path
) -> None:
    recorded = _run(
        "02_ceasefire_effect.ipynb",
        {**_user_file(export), "ceasefire_id": "mil-eq-2025-04", "n_placebos": 99},
        tmp_path,
    )
    declared, until = (pd.Timestamp(day) for day in QUAKE_TRUCE)
    before = junta_air_per_day[
        (junta_air_per_day.index >= declared - pd.Timedelta(days=BASELINE_DAYS))
        & (junta_air_per_day.index < declared)
    ]
    during = junta_air_per_day[
        (junta_air_per_day.index >= declared) & (junta_air_per_day.index <= until)
    ]
    assert recorded["during_events_pre"] == before.sum() > 0
    assert recorded["during_events_during"] == during.sum() > 0
    assert recorded["during_n_pre"] == BASELINE_DAYS
