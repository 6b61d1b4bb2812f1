"""Notebook 04 on an ETH/PRIO-layout ceasefire file and a GED file of two countries.

Every row is made up (tests/ethprio_generator.py), in the published layouts. Part (c) measures
each ceasefire on its own UCDP dyads and pools by mediator bloc; the recorded per-ceasefire
counts and each bloc's number of pooled ceasefires are compared with plain pandas on the CSVs.
Part (a) treats the truce's dyad against the other dyads.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from ethprio_generator import ged_dyads, government, rebel, write_ethprio_csv, write_ged_csv

from analysis import counterfactual, paths, results
from analysis.windows import Windows

NOTEBOOK = paths.PROJECT_ROOT / "notebooks" / "04_alignment.ipynb"
COLOMBIA, MYANMAR = "Colombia", "Myanmar (Burma)"
PRE_DAYS, MAX_DURING = 90, 180  # the notebook's defaults
BLOC_OF = {"UN": "UN", "China": "China", "0": "none"}  # data/curated/mediator_blocs.csv
TRUCE = "100001"


def _specs(seed: int) -> list[dict]:
    """Ten Colombian ceasefires on one dyad each (2017-2019), two Myanmar ones."""
    rng = np.random.default_rng(seed)
    specs = []
    for k in range(1, 11):
        declared = pd.Timestamp("2017-03-01") + pd.Timedelta(days=int(rng.integers(0, 900)))
        if k == 1:
            declared = pd.Timestamp("2018-06-04")
        end = declared + pd.Timedelta(days=int(rng.integers(20, 150)))
        specs.append(
            {
                "country": COLOMBIA,
                "cf_id": k,
                "declared": (declared.year, declared.month, declared.day),
                "effective": (declared.year, declared.month, declared.day),
                "end": (end.year, end.month, end.day),
                "actors": [
                    (government(COLOMBIA), 1, 1000, 10000 + k, 1001),
                    (rebel(COLOMBIA, k), 2, 1000 + k, 10000 + k, 1001),
                ],
                "mediators": list(BLOC_OF)[k % 3],
            }
        )
    for k in (1, 2):
        specs.append(
            {
                "country": MYANMAR,
                "cf_id": k,
                "declared": (2018, 3, k),
                "effective": (2018, 3, k),
                "end": (2018, 5, k),
                "actors": [(rebel(MYANMAR, k), 2, 7750 + k, 77500 + k, 7751)],
                "mediators": "China",
            }
        )
    return specs


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("ethprio04")
    seed = int(np.random.SeedSequence().entropy % 2**16)
    ceasefires, ged = folder / "ceasefires.csv", folder / "ged.csv"
    truth = write_ethprio_csv(ceasefires, _specs(seed), n_ceasefires=0, seed=seed)
    write_ged_csv(
        ged, dyads=ged_dyads(truth), start="2016-01-01", end="2020-06-30", rate=0.2, seed=seed
    )
    output = folder / "04.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters={
            "ceasefires_source": "ethprio",
            "ceasefires_path": str(ceasefires),
            "country": COLOMBIA,
            "truce_id": TRUCE,
            "actor_side": "",  # a dyad has two sides: count both, as plain pandas does
            "source": "ucdp_ged",
            "events_path": str(ged),
            "n_placebo_dates": 5,
        },
        kernel_name="python3",
        cwd=str(folder),
        progress_bar=False,
    )
    return results.read_results(output), ged, truth


def _plain(ged: Path, truth: pd.DataFrame) -> pd.DataFrame:
    """Events before and during each Colombian ceasefire, filtering the GED rows."""
    events = pd.read_csv(ged, usecols=["dyad_new_id", "date_start"], dtype=str)
    events["day"] = pd.to_datetime(events["date_start"].str[:10])
    last = events["day"].max()
    rows = []
    for cf in truth[truth["country"] == COLOMBIA].itertuples():
        mine = events[events["dyad_new_id"] == cf.ucdp_dyad_ids]
        end = min(cf.effective_to, cf.effective_from + pd.Timedelta(days=MAX_DURING - 1), last)
        before = mine["day"].between(
            cf.declared_on - pd.Timedelta(days=PRE_DAYS), cf.declared_on - pd.Timedelta(days=1)
        )
        rows.append(
            {
                "ceasefire_id": cf.ceasefire_id,
                "bloc": BLOC_OF[cf.mediators or "0"],
                "events_pre": int(before.sum()),
                "events_during": int(mine["day"].between(cf.effective_from, end).sum()),
            }
        )
    return pd.DataFrame(rows)


def test_part_c_pools_by_mediator_bloc_what_plain_pandas_counts(run) -> None:
    recorded, ged, truth = run
    plain = _plain(ged, truth)
    estimated = plain[plain["events_pre"] > 0]
    assert recorded["n_ceasefires_estimated"] == len(estimated) >= 8
    for row in estimated.itertuples():
        assert recorded[f"ceasefire_{row.ceasefire_id}_events_pre"] == row.events_pre
        assert recorded[f"ceasefire_{row.ceasefire_id}_events_during"] == row.events_during
    for bloc, k in estimated["bloc"].value_counts().items():
        assert recorded[f"pooled_bloc_{bloc}_k"] == k
        pooled_rr = recorded.get(f"pooled_bloc_{bloc}_pooled_rr")
        if k >= 2:
            assert 0 < pooled_rr < np.inf
        else:  # one estimate is not pooled
            assert pooled_rr is None or np.isnan(pooled_rr)
    # the primary estimate of one ceasefire: counterfactual_effect on its dyad's plain series
    events = pd.read_csv(ged, usecols=["dyad_new_id", "date_start"], dtype=str)
    events["day"] = pd.to_datetime(events["date_start"].str[:10])
    days = pd.date_range(events["day"].min(), events["day"].max(), freq="D")
    cf = truth[truth["ceasefire_id"].astype(str) == str(estimated["ceasefire_id"].iloc[0])]
    cf = cf.iloc[0]
    mine = events[events["dyad_new_id"] == cf.ucdp_dyad_ids]
    series = mine.groupby("day").size().reindex(days, fill_value=0).astype(float)
    windows = Windows(
        ceasefire_id=str(cf.ceasefire_id),
        declared=cf.declared_on,
        effective=cf.effective_from,
        pre_start=cf.declared_on - pd.Timedelta(days=PRE_DAYS),
        pre_end=cf.declared_on - pd.Timedelta(days=1),
        interim_start=pd.NaT,
        interim_end=pd.NaT,
        during_start=cf.effective_from,
        during_end=min(cf.effective_to, cf.effective_from + pd.Timedelta(days=MAX_DURING - 1)),
        gap="exclude",
        note="",
    )
    primary = counterfactual.counterfactual_effect(series, windows)
    key = f"ceasefire_{cf.ceasefire_id}_primary_estimate"
    assert recorded[key] == pytest.approx(primary.estimate, rel=1e-9, nan_ok=True)
    assert recorded["n_ceasefires_primary_estimated"] >= 1
    # the Myanmar ceasefires are another country's: not estimated here
    assert not any(key.startswith("ceasefire_7750") for key in recorded)


def test_part_a_treats_the_truce_dyad_and_part_d_follows_each_ceasefire(run) -> None:
    recorded, _, truth = run
    assert recorded["did_n_treated"] == 1
    assert recorded["did_n_groups"] > 5  # the other dyads (and one-sided violence) as groups
    colombia = truth[truth["country"] == COLOMBIA]
    assert recorded["n_ceasefires_in_survival"] + recorded["n_chains_not_estimable"] == len(
        colombia
    )
    assert recorded["n_ceasefires_in_survival"] == len(colombia)  # all start inside the data
