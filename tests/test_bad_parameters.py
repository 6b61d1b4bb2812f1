"""Bad-input catalogue, parameters a notebook passes (``analysis.events``, ``analysis.panel``
and the strike definitions of ``analysis.sources.actors`` as applied at call time): unknown
sources, a missing or absent events_path, analysis windows outside the data, strike
definitions that match nothing or another source, unknown frequencies and blocs. Each message
must name the parameter and what would be valid. The shared machinery is in
tests/bad_inputs.py; the same parameters set in a run file are checked in
tests/runner/test_bad_run_files.py.
"""

from __future__ import annotations

from pathlib import Path

import bad_inputs
import pandas as pd
import pytest
from bad_inputs import ACLED_CSV, GED_CSV, Case, call, read_acled, read_ged, run_case, where
from ethprio_generator import write_ethprio_csv

from analysis import ceasefire_table, panel, paths
from analysis import contract as c
from analysis import events as ev
from analysis.sources import actors
from analysis.sources.curated import load_calendar, load_diplomatic_events

DIPLOMATIC_CSV = paths.curated_path("diplomatic_events.csv")


def _assert(condition: bool) -> None:
    assert condition


def _acled_events() -> pd.DataFrame:
    return read_acled(ACLED_CSV)


def _no_strike_matches(tmp: Path) -> pd.DataFrame:
    clashes = panel.filter_events(_acled_events(), category="armed_clash")
    return actors.apply_strike_definition(clashes, "junta_air")


def _ethprio_file(tmp: Path) -> Path:
    path = tmp / "ethprio.csv"
    write_ethprio_csv(path, n_ceasefires=12, countries=("Myanmar (Burma)", "Colombia"), seed=5)
    return path


def _dyadless_ceasefire(tmp: Path) -> ceasefire_table.OutcomeSelection:
    path = tmp / "one.csv"
    government = ("Government of Colombia", 1, 100, -1, 1001)
    spec = {"country": "Colombia", "cf_id": 3, "actors": [government], "declared": (2019, 1, 1)}
    write_ethprio_csv(path, [spec], n_ceasefires=0)
    table = ceasefire_table.load_ceasefire_source("ethprio", path)
    return ceasefire_table.outcome_for(table, "100003", [], "state")


def _missing_events_file(tmp: Path) -> pd.DataFrame:
    return ev.load_events("acled", events_path=tmp / "no_such_export.csv")


CASES: list[Case] = [
    # Loading and coverage (analysis.events) ---------------------------------------------------
    Case(
        "unknown-source",
        call(lambda tmp: ev.load_events("gdelt")),
        ValueError,
        r"^unknown source 'gdelt'; choose one of \['ucdp_daily', 'ucdp_ged', 'ucdp_candidate', "
        r"'acled'\]$",
    ),
    Case(
        "events-path-missing",
        call(lambda tmp: ev.load_events("acled")),
        ValueError,
        r"^source 'acled' needs events_path \(a file under data/raw/\)$",
    ),
    Case(
        "events-path-not-found",
        lambda tmp: ((lambda: _missing_events_file(tmp)), tmp / "no_such_export.csv"),
        c.DataContractError,
        where(None) + r"file not found \(events_path='.*no_such_export.csv'; relative paths are "
        r"taken from the project root",
    ),
    Case(
        "analysis-window-outside-coverage",
        call(lambda tmp: ev.coverage(_acled_events(), "2021-01-01", "2021-12-31")),
        ValueError,
        r"^analysis window 2021-01-01 to 2021-12-31 lies outside the data \(2025-05-16 to "
        r"2025-05-20\); choose start and end within the data's dates$",
    ),
    Case(
        "analysis-window-reversed",
        call(lambda tmp: ev.coverage(_acled_events(), "2025-05-20", "2025-05-16")),
        ValueError,
        r"^analysis window ends \(2025-05-16\) before it starts \(2025-05-20\)$",
    ),
    # The ceasefire table a notebook names (analysis.ceasefire_table) -------------------------
    Case(
        "unknown-ceasefires-source",
        call(lambda tmp: ceasefire_table.load_ceasefire_source("acled")),
        ValueError,
        r"^unknown ceasefires_source 'acled'; choose one of \('curated', 'ethprio'\)$",
    ),
    Case(
        "ethprio-without-path",
        call(lambda tmp: ceasefire_table.load_ceasefire_source("ethprio", "")),
        ValueError,
        r"^ceasefires_source 'ethprio' needs ceasefires_path: the ETH/PRIO ceasefire CSV",
    ),
    Case(
        "ethprio-country-not-in-file",
        call(
            lambda tmp: ceasefire_table.load_ceasefire_source(
                "ethprio", _ethprio_file(tmp), "Burma"
            )
        ),
        ValueError,
        r"^no ceasefire of 'Burma' in ethprio.csv; its countries \(UCDP names\) are "
        r"\['Colombia', 'Myanmar \(Burma\)'\]$",
    ),
    Case(
        "ethprio-ceasefire-without-dyad",
        call(_dyadless_ceasefire),
        ValueError,
        r"^ETH/PRIO ceasefire '100003' names no UCDP dyad \(ucdp_dyad is -1 on every actor row\): "
        r"name the targets to count$",
    ),
    Case(
        "dyads-on-a-source-without-dyads",
        call(lambda tmp: ev.load_daily_series("acled", ACLED_CSV, dyads=["77501"])),
        ValueError,
        r"^dyads \['77501'\] were asked for, but source 'acled' has no UCDP dyad ids; use a UCDP "
        r"GED or Candidate file",
    ),
    Case(
        "calendar-path-not-found",
        lambda tmp: (
            (lambda: load_calendar(tmp / "no_such_calendar.csv")),
            tmp / "no_such_calendar.csv",
        ),
        c.DataContractError,
        where(None) + "file not found",
    ),
    Case(
        "calendar-row-without-source",
        bad_inputs.curated(
            DIPLOMATIC_CSV,
            lambda path: load_calendar(path, "ethprio", "Colombia"),
            lambda frame: frame.loc.__setitem__((2, c.DE_SOURCE_URL), ""),
        ),
        c.DataContractError,
        where(c.DE_SOURCE_URL, [4]),
    ),
    Case(
        "ethprio-myanmar-gets-the-bundled-calendar",
        call(lambda tmp: load_calendar("", "ethprio", "Myanmar (Burma)")),
        None,
        check=lambda calendar: _assert(
            calendar.bundled and calendar.status == "ok" and len(calendar.table) > 10
        ),
    ),
    Case(
        "ethprio-country-without-calendar",
        call(lambda tmp: load_calendar("", "ethprio", "Colombia")),
        None,
        check=lambda calendar: (
            _assert(calendar.status == "no_calendar" and calendar.table.empty),
            _assert(calendar.unavailable.startswith("Colombia: no diplomatic calendar")),
        ),
    ),
    # Strike definitions at call time (analysis.sources.actors) --------------------------------
    Case(
        "strike-definition-matches-no-rows",
        call(_no_strike_matches),
        ValueError,
        r"^strike definition 'junta_air' matches none of the 1 events from source\(s\) "
        r"\['acled'\]; check the actor registry and the definition's filters",
    ),
    Case(
        "unknown-strike-definition",
        call(lambda tmp: actors.apply_strike_definition(_acled_events(), "junta_airstrikes")),
        ValueError,
        r"^unknown strike definition 'junta_airstrikes'; known: \[.*'junta_air'.*\]$",
    ),
    Case(
        "strike-definition-for-another-source",
        call(lambda tmp: actors.apply_strike_definition(read_ged(GED_CSV), "junta_air")),
        ValueError,
        r"^strike definition 'junta_air' applies to sources \['acled'\], but the events come "
        r"from \['ucdp_ged'\]$",
    ),
    # Frequency and filters (analysis.panel) ---------------------------------------------------
    Case(
        "unknown-frequency",
        call(lambda tmp: panel.build_panel(_acled_events(), freq="Q")),
        ValueError,
        r"^frequency must be one of \['D', 'W', 'M'\] \(D days, W Monday-start weeks, M months\), "
        r"got 'Q'$",
    ),
    Case(
        "unknown-bloc",
        call(
            lambda tmp: panel.diplomatic_events_in_range(
                load_diplomatic_events(), "2019-01-01", "2024-12-31", blocs=["China", "EU"]
            )
        ),
        ValueError,
        r"^unknown bloc\(s\) \['EU'\]; choose from \['China', 'Russia', 'India', 'Japan', "
        r"'ASEAN', 'West', 'other'\]$",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_parameter(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
