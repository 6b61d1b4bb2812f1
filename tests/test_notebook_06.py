"""Notebook 06 on an ETH/PRIO-layout file and a GED file of two countries (every row made up,
tests/ethprio_generator.py), with nothing but the new parameters, ``source ucdp_ged`` and
``events_path``. Its recorded counts before and during each ceasefire are compared with a
plain-pandas computation straight from the CSV files: GED rows filtered by ``dyad_new_id``
and ``date_start``, windows from the generator's own reading of the dates (not the loader's).
The recorded primary counts must agree with the recorded per-ceasefire primary numbers, and
a few primary estimates with :func:`counterfactual_effect` on the plain-pandas series.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from ethprio_generator import ged_dyads, write_ethprio_csv, write_ged_csv

from analysis import counterfactual, paths, results
from analysis.windows import Windows

NOTEBOOK = paths.PROJECT_ROOT / "notebooks" / "06_all_ceasefires.ipynb"
GED_START, GED_END = "1989-01-01", "2020-12-31"
PRE_DAYS, MAX_DURING = 90, 180


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("ethprio")
    seed = int(np.random.SeedSequence().entropy % 2**16)
    ethprio, ged = folder / "ethprio.csv", folder / "ged.csv"
    truth = write_ethprio_csv(ethprio, n_ceasefires=40, seed=seed)
    write_ged_csv(
        ged, dyads=ged_dyads(truth[~truth["skipped"]]), start=GED_START, end=GED_END, rate=0.05
    )
    return ethprio, ged, truth


def _run(
    files: tuple[Path, Path, pd.DataFrame], country: str, tmp_path: Path, ged: Path | None = None
) -> dict:
    ethprio, ged, _ = files[0], ged or files[1], files[2]
    output = tmp_path / f"06_{country or 'all'}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters={
            "ceasefires_source": "ethprio",
            "ceasefires_path": str(ethprio),
            "country": country,
            "source": "ucdp_ged",
            "events_path": str(ged),
            "max_rows": 1000,  # list every estimated ceasefire, so each has recorded counts
        },
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    return results.read_results(output)


def _plain_counts(ged: Path, truth: pd.DataFrame) -> pd.DataFrame:
    """Events before and during each ceasefire, by filtering the GED CSV's rows."""
    events = pd.read_csv(ged, usecols=["dyad_new_id", "date_start"], dtype=str)
    events["day"] = pd.to_datetime(events["date_start"].str[:10])
    first, last = events["day"].min(), events["day"].max()
    rows = []
    for cf in truth[~truth["skipped"]].itertuples():
        dyads = [d for d in str(cf.ucdp_dyad_ids or "").split(";") if d and d != "nan"]
        start = min(cf.declared_on, cf.effective_from)
        end = (
            cf.effective_to
            if pd.notna(cf.effective_to)
            else cf.effective_from + pd.Timedelta(days=MAX_DURING - 1)
        )
        end = min(end, last)
        mine = events[events["dyad_new_id"].isin(dyads)]
        before = mine["day"].between(
            start - pd.Timedelta(days=PRE_DAYS), start - pd.Timedelta(days=1)
        )
        during = mine["day"].between(cf.effective_from, end)
        rows.append(
            {
                "ceasefire_id": cf.ceasefire_id,
                "country": cf.country,
                "has_dyad": bool(dyads),
                "inside": start - pd.Timedelta(days=PRE_DAYS) >= first
                and cf.effective_from <= last,
                "days_during": (end - cf.effective_from).days + 1,
                "events_pre": int(before.sum()),
                "events_during": int(during.sum()),
            }
        )
    return pd.DataFrame(rows)


def _primary_keys_agree(recorded: dict) -> set[str]:
    """The recorded primary counts against the recorded per-ceasefire primary numbers (every
    ceasefire with one is recorded: max_rows is 1000); returns their ids."""
    suffix = "_primary_estimate"
    ids = {k[len("ceasefire_") : -len(suffix)] for k in recorded if k.endswith(suffix)}
    high = np.array([recorded[f"ceasefire_{i}_primary_ci_high"] for i in ids])
    low = np.array([recorded[f"ceasefire_{i}_primary_ci_low"] for i in ids])
    mde = [recorded[f"ceasefire_{i}_primary_mde"] for i in ids]
    assert recorded["n_primary_estimated"] == len(ids) > 3
    assert recorded["n_primary_fell"] == int((high < 1).sum())
    assert recorded["n_primary_rose"] == int((low > 1).sum())
    assert recorded["median_primary_mde"] == pytest.approx(float(np.median(mde)))
    return ids


def _plain_primary(ged: Path, cf: object) -> counterfactual.CounterfactualEffect:
    """The primary estimate of one ceasefire on its dyads' daily series built with pandas."""
    events = pd.read_csv(ged, usecols=["dyad_new_id", "date_start"], dtype=str)
    events["day"] = pd.to_datetime(events["date_start"].str[:10])
    days = pd.date_range(events["day"].min(), events["day"].max(), freq="D")
    dyads = [d for d in str(cf.ucdp_dyad_ids).split(";") if d]
    mine = events[events["dyad_new_id"].isin(dyads)]
    series = mine.groupby("day").size().reindex(days, fill_value=0).astype(float)
    start = min(cf.declared_on, cf.effective_from)
    end = cf.effective_to
    if pd.isna(end):
        end = cf.effective_from + pd.Timedelta(days=MAX_DURING - 1)
    windows = Windows(
        ceasefire_id=str(cf.ceasefire_id),
        declared=cf.declared_on,
        effective=cf.effective_from,
        pre_start=start - pd.Timedelta(days=PRE_DAYS),
        pre_end=start - pd.Timedelta(days=1),
        interim_start=pd.NaT,
        interim_end=pd.NaT,
        during_start=cf.effective_from,
        during_end=min(end, days[-1]),
        gap="exclude",
        note="",
    )
    return counterfactual.counterfactual_effect(series, windows)


def test_notebook_06_counts_what_plain_pandas_counts(files, tmp_path: Path) -> None:
    ethprio, ged, truth = files
    recorded = _run(files, "Colombia", tmp_path)
    raw = pd.read_csv(ethprio, encoding="utf-8-sig", usecols=["uniq_id", "location"])
    assert recorded["n_ceasefires"] == raw.loc[raw["location"] == "Colombia", "uniq_id"].nunique()
    plain = _plain_counts(ged, truth[truth["country"] == "Colombia"])
    expected = plain[plain["has_dyad"] & plain["inside"] & (plain["days_during"] >= 7)]
    expected = expected[expected["events_pre"] > 0]
    assert recorded["n_estimated"] == len(expected) > 3
    for row in expected.itertuples():
        assert recorded[f"ceasefire_{row.ceasefire_id}_events_pre"] == row.events_pre
        assert recorded[f"ceasefire_{row.ceasefire_id}_events_during"] == row.events_during
    assert recorded["n_status_no_dyad"] == int((~plain["has_dyad"]).sum())
    ids = _primary_keys_agree(recorded)
    colombia = truth[~truth["skipped"] & (truth["country"] == "Colombia")]
    checked = colombia[colombia["ceasefire_id"].astype(str).isin(expected["ceasefire_id"])]
    for cf in checked.head(2).itertuples():  # independent: two ceasefires from raw files
        one = _plain_primary(ged, cf)
        key = f"ceasefire_{cf.ceasefire_id}_primary_estimate"
        if one.status in ("ok", "zero_during"):
            assert recorded[key] == pytest.approx(one.estimate, rel=1e-9)
        else:
            assert str(cf.ceasefire_id) not in ids


def test_notebook_06_with_no_country_runs_every_country(files, tmp_path: Path) -> None:
    ethprio, ged, truth = files
    recorded = _run(files, "", tmp_path)
    raw = pd.read_csv(ethprio, encoding="utf-8-sig", usecols=["uniq_id"])
    assert recorded["n_ceasefires"] == raw["uniq_id"].nunique()
    plain = _plain_counts(ged, truth)
    assert set(plain["country"]) == {"Colombia", "Myanmar (Burma)"}
    expected = plain[
        plain["has_dyad"]
        & plain["inside"]
        & (plain["days_during"] >= 7)
        & (plain["events_pre"] > 0)
    ]
    assert recorded["n_estimated"] == len(expected)
    _primary_keys_agree(recorded)
    for row in expected.itertuples():
        assert recorded[f"ceasefire_{row.ceasefire_id}_events_during"] == row.events_during


def test_notebook_06_runs_to_the_end_when_no_ceasefire_can_be_estimated(
    files, tmp_path: Path
) -> None:
    # a GED file of the wrong country: every Myanmar ceasefire's dyads are missing from it
    ethprio, _, truth = files
    colombia = truth[~truth["skipped"] & (truth["country"] == "Colombia")]
    ged = tmp_path / "ged_colombia.csv"
    write_ged_csv(ged, dyads=ged_dyads(colombia), start=GED_START, end=GED_END, rate=0.05)
    recorded = _run(files, "Myanmar (Burma)", tmp_path, ged)
    raw = pd.read_csv(ethprio, encoding="utf-8-sig", usecols=["uniq_id", "location"])
    n_myanmar = raw.loc[raw["location"] == "Myanmar (Burma)", "uniq_id"].nunique()
    assert recorded["n_ceasefires"] == n_myanmar > 0
    assert recorded["n_estimated"] == 0
    myanmar = truth[~truth["skipped"] & (truth["country"] == "Myanmar (Burma)")]
    with_dyad = int((myanmar["ucdp_dyad_ids"].fillna("") != "").sum())
    assert recorded["n_status_dyad_not_in_data"] == with_dyad
    assert recorded["finding"].startswith(f"None of the {n_myanmar} ceasefires")
