"""Actor registry and strike definitions: who struck decides what counts as a junta strike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import contract as c
from analysis.sources import acled, actors, ucdp

FIXTURES = Path(__file__).parent.parent / "fixtures"

# Actor names of the bundled UCDP aggregate (from the project brief), with the canonical
# actor each should map to; None = deliberately left unmapped (no source found).
UCDP_NAMES = {
    "Government of Myanmar (Burma)": "Myanmar military",
    "NUG": "NUG/PDF",
    "DKBA": "DKBA",
    "KNU": "KNU",
    "ARSA": "ARSA",
    "MTA": "MTA",
    "RCSS": "RCSS",
    "Civilians": "Civilians",
    "KIO": "KIA",
    "ULA": "AA",
    "PSLF": "TNLA",
    "KNPP": "KNPP",
    "MNDAA": "MNDAA",
    "CNF": "CNF",
    "SSPP": "SSPP",
    "DKBA 5": "DKBA-5",
    "UWSA": "UWSA",
    "Buddhists (Myanmar)": None,
    "Muslims (Myanmar)": None,
    "ABSDF": None,
    "NSCN-K": None,
    "RSO": None,
    "NMSP": None,
    "God's Army": None,
    "BMA": None,
    "MDA": None,
    "MDA - LM": None,
}


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return actors.load_registry()


def _acled_events() -> pd.DataFrame:
    return acled.load_acled(FIXTURES / "acled" / "acled_current_layout.csv", cache_dir=False)


def test_registry_is_valid_and_every_row_is_sourced(registry: pd.DataFrame) -> None:
    c.pandera_schema(c.ACTORS).validate(registry)
    assert registry[c.AC_SOURCE_URL].str.match(r"^https?://\S+$").all()
    assert registry[c.AC_ID].is_unique


def test_ucdp_names_resolve_as_documented(registry: pd.DataFrame) -> None:
    resolved = actors.resolve_names(pd.Index(list(UCDP_NAMES)), registry)
    expected = pd.Series(UCDP_NAMES, dtype="string")
    pd.testing.assert_series_equal(
        resolved.reindex(expected.index), expected, check_names=False, check_index_type=False
    )


@pytest.mark.parametrize(
    ("raw", "actor_id", "side"),
    [
        ("Military Forces of Myanmar (2021-)", "Myanmar military", "state"),
        ("Military Forces of Myanmar (2016-2021)", "Myanmar military", "state"),
        ("Military Forces of Myanmar (2021-) Border Guard Force", "Myanmar military", "state"),
        (
            "Military Forces of Myanmar (2021-) People's Militia Force",
            "Pro-junta militias",
            "militia",
        ),
        ("Police Forces of Myanmar (2021-)", "Myanmar police", "state"),
        ("PDF: People's Defense Force", "NUG/PDF", "resistance"),
        ("KIA: Kachin Independence Army", "KIA", "ethnic_armed_organisation"),
        ("TNLA: Ta'ang National Liberation Army", "TNLA", "ethnic_armed_organisation"),
        ("Civilians (Myanmar)", "Civilians", "civilians"),
    ],
)
def test_acled_style_names_and_sub_units(
    registry: pd.DataFrame, raw: str, actor_id: str, side: str
) -> None:
    events = pd.DataFrame(
        {
            c.EV_ACTOR_RAW: pd.Series([raw], dtype="string"),
            c.EV_ACTOR: pd.Series([raw], dtype="string"),
            c.EV_ACTOR_SIDE: pd.Series(["other"], dtype="string"),
            c.EV_TARGET_RAW: pd.Series([pd.NA], dtype="string"),
            c.EV_TARGET: pd.Series([pd.NA], dtype="string"),
            c.EV_TARGET_SIDE: pd.Series([pd.NA], dtype="string"),
            c.EV_EVENTS: [1],
        }
    )
    out = actors.canonicalise(events, registry)
    assert (out.loc[0, c.EV_ACTOR], out.loc[0, c.EV_ACTOR_SIDE]) == (actor_id, side)
    assert list(out.attrs["unmapped"]) == []


def test_unmapped_names_are_kept_with_fallback_side(registry: pd.DataFrame) -> None:
    names = ["Unknown Group X", "KNU", "Unknown Group X"]
    events = pd.DataFrame(
        {
            c.EV_ACTOR_RAW: pd.Series(names, dtype="string"),
            c.EV_ACTOR: pd.Series(names, dtype="string"),
            c.EV_ACTOR_SIDE: pd.Series(["militia", pd.NA, pd.NA], dtype="string"),
            c.EV_TARGET_RAW: pd.Series(["Civilians", "Somebody", pd.NA], dtype="string"),
            c.EV_TARGET: pd.Series(["Civilians", "Somebody", pd.NA], dtype="string"),
            c.EV_TARGET_SIDE: pd.Series([pd.NA, pd.NA, pd.NA], dtype="string"),
            c.EV_EVENTS: [2, 1, 3],
        }
    )
    out = actors.canonicalise(events, registry)
    assert len(out) == 3
    assert out[c.EV_ACTOR].tolist() == ["Unknown Group X", "KNU", "Unknown Group X"]
    assert out[c.EV_ACTOR_SIDE].tolist() == ["militia", "ethnic_armed_organisation", "other"]
    assert out[c.EV_TARGET_SIDE].tolist()[:2] == ["civilians", "other"]
    assert pd.isna(out.loc[2, c.EV_TARGET_SIDE])
    report = actors.unmapped_report(out, registry).set_index(["role", "raw_name"])
    assert report.loc[("actor", "Unknown Group X"), "events"] == 5
    assert report.loc[("actor", "Unknown Group X"), "rows"] == 2
    assert report.loc[("target", "Somebody"), "events"] == 1
    assert len(report) == 2


def test_registry_rejects_an_alias_naming_two_actors(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    text = (Path(actors.paths.curated_path(actors.REGISTRY_FILE))).read_text(encoding="utf-8")
    path.write_text(text.replace("KNPP;KA;", "KNPP;KA;KIO;", 1), encoding="utf-8")
    with pytest.raises(c.DataContractError, match="KIO"):
        actors.load_registry(path)


def test_junta_air_counts_state_air_strikes_only() -> None:
    strikes = actors.apply_strike_definition(_acled_events(), "junta_air")
    # MMR90001 (military), MMR90002 (Border Guard Force sub-unit); not the PDF drone strike
    assert sorted(strikes[c.EV_ID]) == ["acled-MMR90001", "acled-MMR90002"]
    assert strikes.attrs["strike_definition"] == "junta_air"


def test_resistance_drone_counts_non_state_air_strikes() -> None:
    strikes = actors.apply_strike_definition(_acled_events(), "resistance_drone")
    assert strikes[c.EV_ID].tolist() == ["acled-MMR90003"]


def test_ucdp_state_initiated_proxy_on_ged() -> None:
    events = ucdp.load_ged(FIXTURES / "ucdp" / "ged_myanmar_sample.csv", cache_dir=False)
    chosen = actors.apply_strike_definition(events, "ucdp_state_initiated")
    # every government side_a event of type 1 or 3; not the KNU - DKBA 5 non-state event
    assert sorted(chosen[c.EV_ID]) == [
        "ucdp_ged-400001",
        "ucdp_ged-400002",
        "ucdp_ged-400004",
        "ucdp_ged-400005",
    ]


def test_all_events_keeps_everything() -> None:
    events = _acled_events()
    assert len(actors.apply_strike_definition(events, "all_events")) == len(events)


def test_definitions_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "strike_definitions.yml"
    shutil.copy(actors.paths.curated_path(actors.DEFINITIONS_FILE), path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("actor_side: [state]", "actor_sides: [state]", 1), "utf-8")
    with pytest.raises(c.DataContractError, match="junta_air.*actor_sides"):
        actors.load_strike_definitions(path)
    path.write_text(text.replace("actor_side: [state]", "actor_side: [junta]", 1), "utf-8")
    with pytest.raises(c.DataContractError, match="outside"):
        actors.load_strike_definitions(path)


@pytest.mark.parametrize("n_names", [127, 128, 297, 40_000])
def test_canonicalise_holds_for_any_number_of_distinct_names(
    registry: pd.DataFrame, n_names: int
) -> None:
    # pandas keeps categorical codes in int8 below 128 categories and int16 below 32,768;
    # side codes built from them overflowed at 297 names (a real Myanmar pull had 297).
    names = [f"Local Unit {k}" for k in range(n_names)] + ["Military Forces of Myanmar (2021-)"]
    fallback = ["militia", "other", pd.NA]
    events = pd.DataFrame(
        {
            c.EV_ACTOR_RAW: pd.Series(names, dtype="category"),
            c.EV_ACTOR: pd.Series(names, dtype="string"),
            c.EV_ACTOR_SIDE: pd.Series(
                [fallback[k % 3] for k in range(len(names))], dtype="category"
            ),
            c.EV_TARGET_RAW: pd.Series(names[::-1], dtype="category"),
            c.EV_TARGET: pd.Series(names[::-1], dtype="string"),
            c.EV_TARGET_SIDE: pd.Series(["civilians"] * len(names), dtype="category"),
            c.EV_EVENTS: 1,
        }
    )
    out = actors.canonicalise(events, registry)
    expected_sides = [fallback[k % 3] for k in range(n_names)]
    expected_sides = [("other" if pd.isna(s) else s) for s in expected_sides] + ["state"]
    assert out[c.EV_ACTOR_SIDE].tolist() == expected_sides
    assert out[c.EV_ACTOR].tolist() == names[:-1] + ["Myanmar military"]
    assert out[c.EV_TARGET_SIDE].tolist() == ["state"] + ["civilians"] * n_names
    assert len(out.attrs["unmapped"]) == 2 * n_names
