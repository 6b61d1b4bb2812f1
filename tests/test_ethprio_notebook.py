"""Notebook 02 on an ETH/PRIO-layout ceasefire file and a UCDP GED file of two countries.

The issue's acceptance: with nothing but the new parameters (``ceasefires_source``,
``ceasefires_path``, ``country``, ``ceasefire_id``), ``source ucdp_ged`` and ``events_path``,
the notebook counts the GED events on the ceasefire's UCDP dyads, all sides. The counts it
records before and during the ceasefire are checked against plain pandas on the written GED
CSV. Both files are made up, in the published layouts (tests/ethprio_generator.py).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import papermill as pm
import pytest
from ethprio_generator import ged_dyads, government, rebel, write_ethprio_csv, write_ged_csv

from analysis import paths, results

NOTEBOOK = paths.PROJECT_ROOT / "notebooks" / "02_ceasefire_effect.ipynb"
MYANMAR, COLOMBIA = "Myanmar (Burma)", "Colombia"
PRE_DAYS = 90  # the notebook's default baseline
CEASEFIRES = {
    # uniq_id: (country, declared, effective, end, dyads)
    "775050": (MYANMAR, "2019-06-10", "2019-06-12", "2019-08-31", ("77503", "77504")),
    "100007": (COLOMBIA, "2019-03-01", "2019-03-01", "2019-04-15", ("10001",)),
}
SPECS = [
    {
        "country": MYANMAR,
        "cf_id": 50,
        "declared": (2019, 6, 10),
        "effective": (2019, 6, 12),
        "end": (2019, 8, 31),
        "actors": [
            (government(MYANMAR), 1, 7750, 77503, 7751),
            (rebel(MYANMAR, 3), 2, 7753, 77503, 7751),
            (rebel(MYANMAR, 4), 2, 7754, 77504, 7751),
        ],
        "mediators": "China",
    },
    {
        "country": COLOMBIA,
        "cf_id": 7,
        "declared": (2019, 3, 1),
        "effective": (2019, 3, 1),
        "end": (2019, 4, 15),
        "actors": [(rebel(COLOMBIA, 1), 2, 1001, 10001, 1001)],
        "mediators": "UN, Norway",
    },
]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("ethprio")
    ceasefires, ged = folder / "ceasefires.csv", folder / "ged.csv"
    truth = write_ethprio_csv(ceasefires, SPECS, n_ceasefires=20, countries=(MYANMAR, COLOMBIA))
    # Events on every dyad the file names (other ceasefires' dyads too), plus one-sided
    # violence, so the dyad filter has something to leave out.
    write_ged_csv(ged, dyads=ged_dyads(truth), start="2018-06-01", end="2020-06-30", seed=3)
    return ceasefires, ged


def plain_counts(ged: Path, dyads: tuple[str, ...], first: str, last: str) -> int:
    """GED rows on the dyads whose date_start falls in [first, last], read as plain text."""
    rows = pd.read_csv(ged, dtype=str, keep_default_na=False)
    day = pd.to_datetime(rows["date_start"].str.slice(0, 10))
    on_dyads = rows["dyad_new_id"].isin(dyads)
    return int((on_dyads & (day >= first) & (day <= last)).sum())


@pytest.mark.parametrize("ceasefire_id", list(CEASEFIRES))
def test_notebook_02_counts_the_ceasefire_dyads_before_and_during(
    files: tuple[Path, Path], ceasefire_id: str, tmp_path: Path
) -> None:
    ceasefires, ged = files
    country, declared, effective, end, dyads = CEASEFIRES[ceasefire_id]
    output = tmp_path / "02.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters={
            "ceasefires_source": "ethprio",
            "ceasefires_path": str(ceasefires),
            "country": country,
            "ceasefire_id": ceasefire_id,
            "source": "ucdp_ged",
            "events_path": str(ged),
        },
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    recorded = results.read_results(output)
    baseline_first = str((pd.Timestamp(declared) - pd.Timedelta(days=PRE_DAYS)).date())
    day_before = str((pd.Timestamp(declared) - pd.Timedelta(days=1)).date())
    assert recorded["dyads_counted"] == list(dyads)
    assert recorded["targets_rule"] == "dyads"
    assert recorded["during_n_pre"] == PRE_DAYS
    assert recorded["during_events_pre"] == plain_counts(ged, dyads, baseline_first, day_before)
    assert recorded["during_events_during"] == plain_counts(ged, dyads, effective, end)
    assert recorded["during_events_during"] > 0
    # The other country's events and the other dyads were left out.
    everything = plain_counts(
        ged, tuple(pd.read_csv(ged, dtype=str)["dyad_new_id"]), effective, end
    )
    assert everything > recorded["during_events_during"]
    # No date claims exist for ETH/PRIO ceasefires: the sensitivity section says so.
    assert recorded["date_claims_n_claims"] == 0
    assert recorded["date_claims_n_scenarios"] == 1
    assert recorded["date_claims_sentence"].startswith("No source in the date claims")
