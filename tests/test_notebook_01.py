"""Notebook 01 runs under papermill with non-default parameters, and its recorded numbers
match values computed here, independently, from the bundled CSV files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

from analysis import paths, results

NOTEBOOK = paths.PROJECT_ROOT / "notebooks" / "01_strike_timeline.ipynb"
PARAMETERS = {
    "start": "2021-02-01",
    "end": "2022-12-31",
    "frequency": "M",
    "regions": ["Sagaing", "Magway"],
    "actor_side": "state",
    "ceasefire_ids": ["mil-2021-03", "mil-2021-04", "aa-mil-2022-11"],
    "blocs": ["Russia"],
    "open_ended_days": 60,
}


def independent_numbers(parameters: dict) -> dict:
    """Events inside/outside the chosen ceasefire windows, from the raw files by brute force."""
    raw = pd.read_csv(paths.ucdp_daily_path(), keep_default_na=False)
    start = dt.date.fromisoformat(parameters["start"])
    end = dt.date.fromisoformat(parameters["end"])
    ceasefires = pd.read_csv(paths.curated_path("ceasefires.csv"), keep_default_na=False)
    inside_days: set[dt.date] = set()
    for row in ceasefires[
        ceasefires["ceasefire_id"].isin(parameters["ceasefire_ids"])
    ].itertuples():
        first = dt.date.fromisoformat(row.effective_from or row.declared_on)
        last = (
            dt.date.fromisoformat(row.effective_to)
            if row.effective_to
            else first + dt.timedelta(days=parameters["open_ended_days"])
        )
        inside_days |= {first + dt.timedelta(days=k) for k in range((last - first).days + 1)}
    window_days = {start + dt.timedelta(days=k) for k in range((end - start).days + 1)}
    inside_days &= window_days
    region_prefixes = tuple(
        r.lower()[:5] for r in parameters["regions"]
    )  # 'magwa'/'magwe' -> 'magw'
    region_prefixes = tuple(p[:4] for p in region_prefixes)
    totals = {"inside": 0, "outside": 0}
    for row in raw.itertuples():
        day = dt.date.fromisoformat(row.date)
        keep = (
            row.side_a == "Government of Myanmar (Burma)"
            and start <= day <= end
            and row.adm_1.strip().lower().startswith(region_prefixes)
        )
        if keep:
            totals["inside" if day in inside_days else "outside"] += row.events
    return {
        "days_inside": len(inside_days),
        "days_outside": len(window_days) - len(inside_days),
        "events_inside": totals["inside"],
        "events_outside": totals["outside"],
    }


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("nb01") / "01.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters=PARAMETERS,
        kernel_name="python3",
        cwd=str(output.parent),  # notebooks must not depend on the working directory
        progress_bar=False,
    )
    return output


def test_recorded_numbers_match_independent_computation(executed: Path) -> None:
    recorded = results.read_results(executed)
    expected = independent_numbers(PARAMETERS)
    assert expected["events_inside"] > 0 and expected["events_outside"] > 0
    for key, value in expected.items():
        assert recorded[key] == value, key
    assert recorded["mean_daily_events_inside"] == pytest.approx(
        expected["events_inside"] / expected["days_inside"]
    )
    assert recorded["ceasefires_shaded"] == 3
    # parameters travel in the executed notebook's metadata and the manifest, not the results
    assert not set(PARAMETERS) & set(recorded)
    metadata = nbformat.read(executed, 4).metadata["papermill"]["parameters"]
    assert metadata["frequency"] == "M" and metadata["regions"] == ["Sagaing", "Magway"]


def test_notebook_draws_a_figure(executed: Path) -> None:
    outputs = [o for cell in nbformat.read(executed, 4).cells for o in cell.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert not any(o.get("output_type") == "error" for o in outputs)


ACLED_FIXTURE = paths.PROJECT_ROOT / "tests" / "fixtures" / "acled" / "acled_current_layout.csv"


def test_runs_on_an_acled_export_with_a_strike_definition(tmp_path: Path) -> None:
    import shutil

    export = tmp_path / "raw" / "myanmar_export.csv"
    export.parent.mkdir()
    shutil.copy(ACLED_FIXTURE, export)
    output = tmp_path / "acled.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters={
            "source": "acled",
            "events_path": str(export),
            "strike_definition": "junta_air",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "actor_side": "",
        },
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    raw = pd.read_csv(export, dtype=str, keep_default_na=False)
    # Junta air strikes: ACLED air/drone strikes by the military or its named sub-units,
    # excluding pro-junta militias (counted separately by the registry).
    junta_air = raw[
        (raw["sub_event_type"] == "Air/drone strike")
        & raw["actor1"].str.startswith("Military Forces of Myanmar")
        & ~raw["actor1"].str.contains("Militia")
    ]
    recorded = results.read_results(output)
    assert len(junta_air) > 0
    assert recorded["events_inside"] + recorded["events_outside"] == len(junta_air)
    assert recorded["acled_attribution"]["analysis_filters"]["strike_definition"] == "junta_air"
    executed_text = output.read_text(encoding="utf-8")
    for note in raw["notes"]:
        assert note not in executed_text
    for event_id in raw["event_id_cnty"]:
        assert event_id not in executed_text
