"""Which ceasefire table a notebook reads and which events it counts for a ceasefire.

The curated path must stay exactly as it was (counterpart targets, the given side); an ETH/PRIO
ceasefire counts the GED events on its UCDP dyads, all sides. GED files carry the dyad and the
country into EVENTS, and the dyad filter of load_daily_series is checked against plain pandas
on a made-up GED file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from ethprio_generator import ged_dyads, government, rebel, write_ethprio_csv, write_ged_csv

from analysis import ceasefire_table, windows
from analysis import contract as c
from analysis import events as ev
from analysis.sources import curated, ucdp

COLOMBIA, MYANMAR = "Colombia", "Myanmar (Burma)"
SPEC = {
    "country": COLOMBIA,
    "cf_id": 900,
    "declared": (2019, 3, 1),
    "effective": (2019, 3, 2),
    "end": (2019, 4, 15),
    "actors": [
        (government(COLOMBIA), 1, 100, 10002, 1001),
        (rebel(COLOMBIA, 2), 2, 102, 10002, 1001),
        (rebel(COLOMBIA, 5), 2, 105, 10005, 1001),
    ],
}


@pytest.fixture(scope="module")
def ethprio_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("ethprio") / "ceasefires.csv"
    truth = write_ethprio_csv(path, [SPEC], n_ceasefires=25, countries=(MYANMAR, COLOMBIA), seed=9)
    return path, truth


def test_curated_source_is_the_curated_table() -> None:
    pd.testing.assert_frame_equal(
        ceasefire_table.load_ceasefire_source("curated"), ceasefire_table.load_ceasefires()
    )


@pytest.mark.parametrize(
    ("ceasefire_id", "targets", "side"),
    [("aa-mil-2022-11", [], "state"), ("mil-eq-2025-04", [], ""), ("aa-mil-2022-11", ["KIA"], "")],
)
def test_curated_outcome_is_the_counterpart_rule_with_the_side_given(
    ceasefire_id: str, targets: list[str], side: str
) -> None:
    table = ceasefire_table.load_ceasefires()
    outcome = ceasefire_table.outcome_for(table, ceasefire_id, targets, side)
    counted = ceasefire_table.counterpart_targets(table, ceasefire_id, targets)
    assert (outcome.targets, outcome.rule, outcome.description) == (
        counted.targets,
        counted.rule,
        counted.description,
    )
    assert outcome.dyads == () and outcome.actor_side == side


def test_ethprio_outcome_is_every_event_on_the_dyads(ethprio_file: tuple[Path, pd.DataFrame]):
    path, _ = ethprio_file
    table = ceasefire_table.load_ceasefire_source("ethprio", path, COLOMBIA)
    assert set(table[c.CF_COUNTRY]) == {COLOMBIA}
    outcome = ceasefire_table.outcome_for(table, "100900", [], "state")
    assert outcome.dyads == ("10002", "10005")
    assert outcome.targets == () and outcome.actor_side == "" and outcome.rule == "dyads"
    named = ceasefire_table.outcome_for(table, "100900", ["Some group"], "state")
    assert named.targets == ("Some group",) and named.dyads == () and named.actor_side == "state"


def test_date_claims_are_the_curated_ones_or_none(ethprio_file: tuple[Path, pd.DataFrame]):
    path, _ = ethprio_file
    curated_table = ceasefire_table.load_ceasefire_source("curated")
    assert len(ceasefire_table.date_claims_for(curated_table)) == len(curated.load_date_claims())
    ethprio_table = ceasefire_table.load_ceasefire_source("ethprio", path)
    claims = ceasefire_table.date_claims_for(ethprio_table)
    assert claims.empty and list(claims.columns) == c.DATE_CLAIMS.column_names


def test_ged_events_carry_dyad_and_country_and_the_dyad_filter_matches_plain_pandas(
    ethprio_file: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    _, truth = ethprio_file
    ged = tmp_path / "ged.csv"
    write_ged_csv(ged, dyads=ged_dyads(truth), start="2019-01-01", end="2019-12-31", seed=2)
    raw = pd.read_csv(ged, dtype=str, keep_default_na=False)
    events = ucdp.load_ged(ged, cache_dir=False)
    by_id = events.set_index(c.EV_ID)
    expected = raw.set_index("ucdp_ged-" + raw["id"])
    assert (by_id[c.EV_DYAD] == expected.loc[by_id.index, "dyad_new_id"]).all()
    assert (by_id[c.EV_COUNTRY] == expected.loc[by_id.index, "country"]).all()
    series = ev.load_daily_series("ucdp_ged", ged, dyads=["10002", "10005"])
    on_dyads = raw[raw["dyad_new_id"].isin(["10002", "10005"])]
    per_day = pd.to_datetime(on_dyads["date_start"].str.slice(0, 10)).value_counts()
    assert series.daily.sum() == len(on_dyads) > 0
    assert (series.daily[per_day.index] == per_day).all()
    assert ev.load_daily_series("ucdp_ged", ged).daily.sum() == len(raw)


def test_a_trimmed_ged_file_without_dyad_and_country_loads_with_blanks(tmp_path: Path) -> None:
    ged = tmp_path / "ged.csv"
    write_ged_csv(ged, dyads={10002: COLOMBIA}, start="2019-01-01", end="2019-01-31", seed=1)
    raw = pd.read_csv(ged, dtype=str, keep_default_na=False)
    raw.drop(columns=["dyad_new_id", "country"]).to_csv(ged, index=False)
    events = ucdp.load_ged(ged, cache_dir=False)
    assert len(events) == len(raw)
    assert events[c.EV_DYAD].isna().all() and events[c.EV_COUNTRY].isna().all()
    with pytest.raises(ValueError, match="has no UCDP dyad ids"):
        ev.load_daily_series("ucdp_ged", ged, dyads=["10002"])


def test_an_id_given_as_a_number_or_left_out_by_the_loader_is_named_plainly(
    tmp_path: Path,
) -> None:
    undated = {**SPEC, "cf_id": 901, "declared": (0, 0, 0), "effective": (-1, -1, -1)}
    path = tmp_path / "ceasefires.csv"
    write_ethprio_csv(path, [SPEC, undated], n_ceasefires=0)
    table = ceasefire_table.load_ceasefire_source("ethprio", path, COLOMBIA)
    kept_id = str(table[c.CF_ID].iloc[0])
    # papermill -p ceasefire_id 100900 passes a number
    assert windows.select_ceasefire(table, int(kept_id))[c.CF_ID].tolist() == [kept_id]
    assert ceasefire_table.outcome_for(table, int(kept_id), [], "").dyads
    undated_id = str(int(kept_id) + 1)
    with pytest.raises(KeyError, match=rf"ceasefire {undated_id} is in the file but was left out"):
        windows.select_ceasefire(table, undated_id)
    with pytest.raises(KeyError, match="left out: neither the declaration nor the entry"):
        windows.chain_members(table, int(undated_id))
