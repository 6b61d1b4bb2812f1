"""Property-based tests: zero-filling preserves totals, window arithmetic agrees with sets, and
ACLED dates in any accepted form parse to the right day while garbage is always reported, and
generated ACLED exports of any cardinality load to the counts a plain-pandas count gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from acled_generator import GeneratedExport, write_acled_export
from factories import make_events
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import contract as c
from analysis import panel
from analysis import windows as wn
from analysis.sources import acled, actors, columns

DAY0 = dt.date(2020, 1, 1)
day_offsets = st.integers(min_value=0, max_value=400)


def _events(offsets: list[int], counts: list[int], groups: list[str]) -> pd.DataFrame:
    return make_events([DAY0 + dt.timedelta(days=k) for k in offsets], counts, groups)


event_rows = st.lists(
    st.tuples(day_offsets, st.integers(1, 5), st.sampled_from(["Chin", "Shan", "Bago"])),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(rows=event_rows, freq=st.sampled_from(["D", "W", "M"]), grouped=st.booleans())
def test_zero_filling_preserves_totals_and_completes_the_grid(rows, freq, grouped) -> None:
    offsets, counts, groups = (list(x) for x in zip(*rows, strict=True))
    events = _events(offsets, counts, groups)
    built = panel.build_panel(events, freq, group_by=c.EV_ADMIN1 if grouped else None)
    assert built[c.PN_EVENTS].sum() == sum(counts)
    assert built[c.PN_FATALITIES].sum() == sum(counts)
    n_groups = len(set(groups)) if grouped else 1
    assert len(built) == built[c.PN_PERIOD].nunique() * n_groups
    assert not built.duplicated([c.PN_PERIOD, c.PN_GROUP]).any()
    periods = pd.DatetimeIndex(sorted(built[c.PN_PERIOD].unique()))
    expected_step = {"D": 1, "W": 7}.get(freq)
    if expected_step and len(periods) > 1:
        assert set(np.diff(periods.asi8) // 86_400_000_000_000) == {expected_step}


windows_strategy = st.lists(
    st.tuples(st.integers(-30, 200), st.integers(0, 60)), min_size=0, max_size=8
)


@settings(max_examples=80, deadline=None)
@given(spans=windows_strategy, n_days=st.integers(1, 150))
def test_window_mask_equals_union_of_day_sets(spans, n_days) -> None:
    days = pd.date_range(DAY0, periods=n_days, freq="D")
    windows = pd.DataFrame(
        {
            "start": pd.to_datetime([DAY0 + dt.timedelta(days=s) for s, _ in spans]),
            "end": pd.to_datetime([DAY0 + dt.timedelta(days=s + length) for s, length in spans]),
        }
    )
    covered = {s + k for s, length in spans for k in range(length + 1)}
    expected = np.array([k in covered for k in range(n_days)], dtype=bool)
    assert (wn.window_mask(days, windows) == expected).all()


@settings(max_examples=60, deadline=None)
@given(start=day_offsets, length=st.integers(0, 120), cap=st.integers(1, 365))
def test_open_ended_windows_last_exactly_the_cap(start, length, cap) -> None:
    begin = pd.Timestamp(DAY0 + dt.timedelta(days=start))
    ceasefires = pd.DataFrame(
        {
            c.CF_ID: ["open", "closed"],
            c.CF_DECLARED_ON: [begin, begin],
            c.CF_EFFECTIVE_FROM: [pd.NaT, begin],
            c.CF_EFFECTIVE_TO: [pd.NaT, begin + pd.Timedelta(days=length)],
            c.CF_DECLARER_SIDE: ["state", "both"],
            c.CF_KIND: ["unilateral", "bilateral"],
            c.CF_BROKER_BLOC: ["none", "China"],
        }
    )
    windows = wn.ceasefire_periods(ceasefires, open_ended_days=cap).set_index(c.CF_ID)
    assert (windows.loc["open", "end"] - windows.loc["open", "start"]).days == cap
    assert bool(windows.loc["open", "end_assumed"]) and not bool(
        windows.loc["closed", "end_assumed"]
    )
    assert (windows.loc["closed", "end"] - windows.loc["closed", "start"]).days == length


# --- ACLED date parsing (analysis.sources.columns.parse_dates) --------------------------------

ACLED_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y")
"""The three event_date forms the contract accepts for ACLED files ('2025-05-16',
'16 May 2025', '7-Feb-25'), written out here rather than imported so a loader that starts
accepting another form fails these tests."""


def _render(day: dt.date, form: str, pad: bool) -> str:
    """A day as ACLED files write it; ``pad`` zero-pads the day of the month."""
    day_of_month = f"{day.day:02d}" if pad else str(day.day)
    if form == "iso":
        return day.strftime("%Y-%m-%d")
    if form == "long":
        return day_of_month + day.strftime(" %B %Y")
    return day_of_month + day.strftime("-%b-%y")


ACLED_FORMS = ("iso", "long", "excel")
# Two-digit years are read as 1969-2068 (strptime's pivot), so generated days stay there.
acled_days = st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31))
PROBE_PATH = Path("probe.csv")


def _strptime_any(text: str) -> bool:
    """Oracle independent of pandas: does the stripped text match one of ACLED's formats?"""
    for fmt in ACLED_FORMATS:
        try:
            dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return True
    return False


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(acled_days, st.sampled_from(ACLED_FORMS), st.booleans()),
        min_size=1,
        max_size=40,
    ),
    first_row=st.integers(1, 3),
)
def test_acled_dates_in_any_format_parse_to_the_same_day(rows, first_row) -> None:
    texts = [_render(day, form, pad) for day, form, pad in rows]
    parsed = columns.parse_dates(pd.Series(texts, dtype="string"), PROBE_PATH, first_row)
    expected = np.array([np.datetime64(day, "ns") for day, _, _ in rows])
    assert (parsed == expected).all(), list(zip(texts, parsed, strict=True))


NEAR_MISS_FORMATS = (
    "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S", "%d %b %Y", "%d-%B-%y", "%d-%b-%Y", "%B %d, %Y", "%y-%m-%d",
)  # fmt: skip
"""Date forms spreadsheets and other datasets write that ACLED's contract does not accept."""

near_misses = st.builds(
    lambda day, fmt: day.strftime(fmt), acled_days, st.sampled_from(NEAR_MISS_FORMATS)
)
garbage = st.one_of(
    near_misses,
    st.text(max_size=14),
    st.sampled_from(["31/04/2019", "2019-02-30", "2025-13-01", "16 Mai 2025", "yesterday", "n/a"]),
).filter(lambda text: text.strip() and not _strptime_any(text))


@settings(max_examples=150, deadline=None)
@given(
    good=st.lists(st.tuples(acled_days, st.sampled_from(ACLED_FORMS)), max_size=20),
    bad=st.lists(st.tuples(st.integers(0, 60), garbage), min_size=1, max_size=5),
    first_row=st.integers(1, 3),
)
def test_acled_garbage_dates_are_reported_never_parsed(good, bad, first_row) -> None:
    texts = [_render(day, form, True) for day, form in good]
    for position, text in bad:
        texts.insert(min(position, len(texts)), text)
    bad_texts = {text for _, text in bad}
    expected_rows = [i + first_row for i, text in enumerate(texts) if text in bad_texts]
    with pytest.raises(c.DataContractError) as caught:
        columns.parse_dates(pd.Series(texts, dtype="string"), PROBE_PATH, first_row)
    assert caught.value.column == "event_date"
    assert caught.value.rows == expected_rows
    assert caught.value.path == PROBE_PATH


# --- ACLED exports at real-world cardinality ---------------------------------------------------

# sub_event_type -> event category, written out for the generator's types (a battle between
# two non-state actors is non_state_conflict; see the module docstring of analysis.sources.acled).
GENERATED_CATEGORY = {
    "Air/drone strike": "air_drone_strike",
    "Shelling/artillery/missile attack": "shelling",
    "Armed clash": "armed_clash",
    "Non-state actor overtakes territory": "armed_clash",
    "Attack": "one_sided_violence",
    "Abduction/forced disappearance": "one_sided_violence",
    "Remote explosive/landmine/IED": "remote_violence_other",
    "Peaceful protest": "other",
    "Looting/property destruction": "other",
}
ACLED_DAY_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y")


def _plain_pandas_rows(export: GeneratedExport) -> pd.DataFrame:
    """The generated CSV read as text, revisions resolved (latest timestamp per id), with the
    day, category and expected sides worked out row by row in plain pandas."""
    raw = pd.read_csv(export.path, dtype=str, keep_default_na=False)
    raw["stamp"] = raw["timestamp"].astype("int64")
    kept = raw.sort_values("stamp", kind="stable").drop_duplicates("event_id_cnty", keep="last")
    day = pd.Series(pd.NaT, index=kept.index, dtype="datetime64[ns]")
    for fmt in ACLED_DAY_FORMATS:
        day = day.fillna(pd.to_datetime(kept["event_date"], format=fmt, errors="coerce"))
    assert day.notna().all()
    non_state_battle = (
        (kept["event_type"] == "Battles")
        & (kept["inter1"] != "State forces")
        & ~kept["inter2"].isin(["State forces", ""])
    )
    side = export.expected_side
    return kept.assign(
        day=day,
        category=kept["sub_event_type"]
        .map(GENERATED_CATEGORY)
        .mask(non_state_battle, "non_state_conflict"),
        actor_side=kept["actor1"].map(side),
        target_side=kept["actor2"].map(side),
        fatalities_number=kept["fatalities"].astype("int64"),
    )


@pytest.fixture(scope="module", params=[(300, 2_000), (5_000, 12_000), (20_000, 30_000)])
def generated_export(request, tmp_path_factory) -> tuple[GeneratedExport, pd.DataFrame]:
    n_names, rows = request.param
    path = tmp_path_factory.mktemp("acled") / f"export_{n_names}.csv"
    export = write_acled_export(path, rows=rows, n_actor_names=n_names, seed=n_names)
    return export, acled.load_acled(path, cache_dir=False)


def test_generated_exports_hold_their_cardinality(generated_export) -> None:
    export, _ = generated_export
    raw = pd.read_csv(export.path, dtype=str, keep_default_na=False)
    n_names = len(export.actor_names)
    assert raw["actor1"].nunique() == n_names
    assert list(raw.columns) == list(acled.ACLED_COLUMNS)
    assert (raw["event_id_cnty"].duplicated().sum()) == export.duplicate_rows
    assert raw["notes"].str.contains("\n").any() and raw["notes"].str.contains('"').any()
    assert raw["event_date"].str.match(r"^\d{4}-\d\d-\d\d$").any()
    assert raw["event_date"].str.match(r"^\d{1,2} [A-Z][a-z]+ \d{4}$").any()
    assert raw["event_date"].str.match(r"^\d{1,2}-[A-Z][a-z]{2}-\d\d$").any()
    assert (raw["admin2"] == "").any() and (raw["assoc_actor_1"] == "").any()
    assert raw["assoc_actor_1"].str.contains("; ").any()


def test_loaded_counts_equal_a_plain_pandas_count(generated_export) -> None:
    export, events = generated_export
    expected = _plain_pandas_rows(export)
    assert len(events) == len(expected)
    assert set(events[c.EV_ID]) == set("acled-" + expected["event_id_cnty"])
    pd.testing.assert_series_equal(
        events.groupby(c.EV_DATE).size(),
        expected.groupby("day").size().rename_axis(c.EV_DATE),
        check_names=False,
    )
    for loaded, plain in (
        (c.EV_CATEGORY, "category"),
        (c.EV_ACTOR_SIDE, "actor_side"),
        (c.EV_TARGET_SIDE, "target_side"),
    ):
        assert events[loaded].value_counts().to_dict() == expected[plain].value_counts().to_dict()
    assert events[c.EV_FATALITIES].sum() == expected["fatalities_number"].sum()
    unmapped_actor_names = {r["raw_name"] for r in events.attrs["unmapped"] if r["role"] == "actor"}
    registry_knows = dict(
        zip(export.actor_names["name"], export.actor_names["mapped"], strict=True)
    )
    assert unmapped_actor_names == {n for n in expected["actor1"] if not registry_knows[n]}


def test_junta_air_strikes_per_day_equal_a_plain_pandas_count(generated_export) -> None:
    export, events = generated_export
    expected = _plain_pandas_rows(export)
    strikes = actors.apply_strike_definition(events, "junta_air")
    daily = panel.build_panel(strikes, freq="D")
    plain = expected[
        (expected["sub_event_type"] == "Air/drone strike") & (expected["actor_side"] == "state")
    ]
    per_day = plain.groupby("day").size()
    assert len(plain) > 0
    assert daily[c.PN_EVENTS].sum() == len(plain)
    counted = daily.set_index(c.PN_PERIOD)[c.PN_EVENTS]
    assert counted[counted > 0].to_dict() == per_day.to_dict()
