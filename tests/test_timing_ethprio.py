"""Notebook 03 on an ETH/PRIO-layout ceasefire file and a GED file of two countries.

With a calendar file for the country (made-up rows in the diplomatic_events layout, each with
an obviously fake example.org source) the timing test runs on that country's declarations;
with none, the report says the test is not available instead of using Myanmar's calendar.
Every row is made up (tests/ethprio_generator.py).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from ethprio_generator import ged_dyads, government, rebel, write_ethprio_csv, write_ged_csv

from analysis import contract, paths, results
from analysis.sources import curated

NOTEBOOK = paths.PROJECT_ROOT / "notebooks" / "03_ceasefire_timing.ipynb"
COLOMBIA, MYANMAR = "Colombia", "Myanmar (Burma)"
CALENDAR = [
    # event_id, date_start, date_end, bloc, kind
    ("west-talks-2017-05", "2017-05-10", "2017-05-11", "West", "brokered_talks"),
    ("west-talks-2018-02", "2018-02-20", "2018-02-20", "West", "brokered_talks"),
    ("other-summit-2018-09", "2018-09-03", "2018-09-04", "other", "summit"),
    ("west-visit-2019-04", "2019-04-15", "2019-04-15", "West", "state_visit"),
    ("other-talks-2019-11", "2019-11-25", "2019-11-26", "other", "brokered_talks"),
]


def write_calendar(path: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    """A made-up calendar in the DIPLOMATIC_EVENTS layout (fake example.org sources)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=contract.DIPLOMATIC_EVENTS.column_names)
        writer.writeheader()
        for event_id, start, end, bloc, kind in rows:
            writer.writerow(
                {
                    contract.DE_ID: event_id,
                    contract.DE_DATE_START: start,
                    contract.DE_DATE_END: end,
                    contract.DE_DATE_PRECISION: "day",
                    contract.DE_ACTOR: "Made-up delegation",
                    contract.DE_COUNTERPART_COUNTRY: "Made-up country",
                    contract.DE_BLOC: bloc,
                    contract.DE_KIND: kind,
                    contract.DE_PLACE: "",
                    contract.DE_SOURCE_URL: f"https://example.org/made-up/{event_id}",
                    contract.DE_NOTE: "Test fixture row, not a real event.",
                }
            )


def _specs(seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    specs = []
    for k in range(1, 9):
        declared = pd.Timestamp("2017-03-01") + pd.Timedelta(days=int(rng.integers(0, 1000)))
        end = declared + pd.Timedelta(days=60)
        specs.append(
            {
                "country": COLOMBIA,
                "cf_id": k,
                "declared": (declared.year, declared.month, declared.day),
                "effective": (declared.year, declared.month, declared.day),
                "end": (end.year, end.month, end.day),
                "actors": [(government(COLOMBIA), 1, 1000, 10000 + k, 1001)],
            }
        )
    specs.append(
        {
            "country": MYANMAR,
            "cf_id": 1,
            "declared": (2018, 3, 1),
            "effective": (2018, 3, 1),
            "end": (2018, 5, 1),
            "actors": [(rebel(MYANMAR, 1), 2, 7751, 77501, 7751)],
        }
    )
    return specs


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("ethprio03")
    seed = int(np.random.SeedSequence().entropy % 2**16)
    ceasefires, ged, calendar = (folder / n for n in ("cf.csv", "ged.csv", "calendar.csv"))
    truth = write_ethprio_csv(ceasefires, _specs(seed), n_ceasefires=0, seed=seed)
    write_ged_csv(ged, dyads=ged_dyads(truth), start="2016-06-01", end="2020-06-30", seed=seed)
    write_calendar(calendar, CALENDAR)
    return ceasefires, ged, calendar, truth


def _run(files, calendar_path: str, tmp_path: Path) -> dict:
    ceasefires, ged, _, _ = files
    output = tmp_path / "03.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters={
            "ceasefires_source": "ethprio",
            "ceasefires_path": str(ceasefires),
            "country": COLOMBIA,
            "calendar_path": calendar_path,
            "blocs": ["West", "other"],
            "declarer_side": "",
            "n_permutations": 199,
            "source": "ucdp_ged",
            "events_path": str(ged),
        },
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    return results.read_results(output)


def test_timing_test_runs_on_the_country_calendar(files, tmp_path: Path) -> None:
    _, _, calendar, truth = files
    recorded = _run(files, str(calendar), tmp_path)
    assert recorded["calendar_status"] == "ok"
    assert recorded["n_diplomatic_events"] == len(CALENDAR)
    # declarations of Colombia only, inside the calendar's span (its first start, last end)
    colombia = truth[truth["country"] == COLOMBIA]["declared_on"]
    inside = colombia.between(pd.Timestamp(CALENDAR[0][1]), pd.Timestamp(CALENDAR[-1][2]))
    assert recorded["n_declarations"] == int(inside.sum()) > 3
    for bloc in ("West", "other"):
        assert 0 < recorded[f"timing_{bloc}_p_value"] <= 1
    assert not recorded["finding"].startswith("The diplomatic-calendar test is not available")


def test_without_a_calendar_the_report_says_the_test_is_not_available(files, tmp_path) -> None:
    recorded = _run(files, "", tmp_path)
    assert recorded["calendar_status"] == "no_calendar"
    assert recorded["finding"].startswith("The diplomatic-calendar test is not available")
    assert "Colombia" in recorded["finding"]
    assert recorded["n_diplomatic_events"] == 0


def test_a_calendar_row_without_source_names_file_column_and_line(tmp_path: Path) -> None:
    path = tmp_path / "calendar.csv"
    write_calendar(path, CALENDAR)
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows.loc[2, contract.DE_SOURCE_URL] = ""
    rows.to_csv(path, index=False)
    with pytest.raises(contract.DataContractError) as error:
        curated.load_calendar(str(path), "ethprio", COLOMBIA)
    assert contract.DE_SOURCE_URL in str(error.value) and "calendar.csv" in str(error.value)
    assert "4" in str(error.value)  # file line 4: the header is line 1
