"""Generated ACLED exports in the current 31-column layout, at real-world cardinality.

Every value is invented (township names are built from syllables, notes from a word list);
nothing is copied from ACLED. The files carry the quirks real exports have:

* tens of thousands of distinct actor names: the big national actors plus local units per
  invented township ("PDF: People's Defense Force - <township>", "<township> Local Defense
  Force", "Military Forces of Myanmar (2021-) People's Militia Force - <township>", ...);
* ``; ``-joined assoc_actor lists, long notes with commas, double quotes and newlines;
* event_date in the three forms ACLED uses ('2025-05-16', '16 May 2025', '7-Feb-25'),
  mixed in one file, rows out of date order;
* event_id_cnty like 'MMR12345', integer unix timestamps, a few revised events repeating
  an id with a later timestamp;
* blank admin2, admin3, assoc actors, actor2 and civilian_targeting;
* fatalities 0-50, and 'Air/drone strike' rows mostly by the military, so the ``junta_air``
  strike definition matches rows.

:func:`write_acled_export` also returns the truth the generator built in: the side each actor
name should get under the registry rules of ``data/curated/actors.csv`` (written down here
per name family, not computed by the loader). Used by the tests and by
``benchmarks/bench_load.py``; importable from both (``tests`` on ``sys.path``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
"""The current ACLED export layout, in order (as in tests/fixtures/acled)."""

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y")
AIR_STRIKE = "Air/drone strike"
MILITARY_2021 = "Military Forces of Myanmar (2021-)"
MILITARY_2016 = "Military Forces of Myanmar (2016-2021)"
COUP_DAY = np.datetime64("2021-02-01")
CIVILIANS = "Civilians (Myanmar)"

# (name, inter label, side the registry rules give it, share of actor1 draws)
NATIONAL_ACTORS = (
    (MILITARY_2021, "State forces", "state", 0.30),
    (MILITARY_2016, "State forces", "state", 0.02),
    ("Military Forces of Myanmar (2021-) Border Guard Force", "State forces", "state", 0.01),
    ("Police Forces of Myanmar (2021-)", "State forces", "state", 0.02),
    (
        "Military Forces of Myanmar (2021-) People's Militia Force",
        "Political militia",
        "militia",
        0.02,
    ),
    ("PDF: People's Defense Force", "Rebel group", "resistance", 0.08),
    ("KIA: Kachin Independence Army", "Rebel group", "ethnic_armed_organisation", 0.03),
    ("AA: Arakan Army", "Rebel group", "ethnic_armed_organisation", 0.03),
    ("TNLA: Ta'ang National Liberation Army", "Rebel group", "ethnic_armed_organisation", 0.015),
    (
        "MNDAA: Myanmar National Democratic Alliance Army",
        "Rebel group",
        "ethnic_armed_organisation",
        0.01,
    ),
    ("KNU: Karen National Union", "Rebel group", "ethnic_armed_organisation", 0.015),
    # Not in the registry: sides fall back to ACLED's inter code.
    ("KNDF: Karenni Nationalities Defense Force", "Rebel group", "other", 0.01),
    ("Unidentified Armed Group (Myanmar)", "Political militia", "militia", 0.03),
    (CIVILIANS, "Civilians", "civilians", 0.005),
    ("Protesters (Myanmar)", "Protesters", "other", 0.02),
)
LOCAL_SHARE = 1.0 - sum(actor[3] for actor in NATIONAL_ACTORS)

UNREGISTERED = frozenset(
    {"KNDF: Karenni Nationalities Defense Force", "Unidentified Armed Group (Myanmar)",
     "Protesters (Myanmar)"}
)  # fmt: skip
"""National names the registry does not know (their side is the inter code's fallback)."""

# Local units, one name per invented township and family:
# (template, inter label, side, whether the registry knows the name).
LOCAL_FAMILIES = (
    ("PDF: People's Defense Force - {}", "Rebel group", "resistance", True),  # acronym rule
    ("People's Defense Force - {}", "Rebel group", "other", False),  # inter fallback
    ("{} Local Defense Force", "Rebel group", "other", False),
    ("Military Forces of Myanmar (2021-) People's Militia Force - {}", "Political militia",
     "militia", True),  # the militia pattern row comes before the military's
    ("Pyu Saw Htee - {}", "Political militia", "militia", True),
    ("Military Forces of Myanmar (2021-) Border Guard Force - {}", "State forces", "state",
     True),
    ("{} Communal Militia (Myanmar)", "Identity militia", "militia", False),
)  # fmt: skip

SYLLABLES = (
    "kyauk", "myin", "tha", "pyin", "nyaung", "shwe", "mon", "hlaing", "taung", "ywa", "kan",
    "ma", "oo", "sin", "pa", "lay", "gyi", "bin", "zay", "chaung", "dawn", "le", "hpa", "wun",
    "mya", "thit", "kyun", "se", "nat", "mo",
)  # fmt: skip
ADMIN1 = (
    "Sagaing", "Magway", "Mandalay", "Kachin", "Shan-North", "Shan-South", "Shan-East",
    "Rakhine", "Chin", "Kayin", "Kayah", "Bago-East", "Bago-West", "Mon", "Tanintharyi",
    "Yangon", "Ayeyarwady", "Nay Pyi Taw",
)  # fmt: skip
# (disorder_type, event_type, sub_event_type, share)
EVENT_TYPES = (
    ("Political violence", "Explosions/Remote violence", AIR_STRIKE, 0.20),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack",
     0.14),
    ("Political violence", "Battles", "Armed clash", 0.33),
    ("Political violence", "Battles", "Non-state actor overtakes territory", 0.02),
    ("Political violence", "Violence against civilians", "Attack", 0.12),
    ("Political violence", "Violence against civilians", "Abduction/forced disappearance", 0.03),
    ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED", 0.06),
    ("Demonstrations", "Protests", "Peaceful protest", 0.06),
    ("Strategic developments", "Strategic developments", "Looting/property destruction", 0.04),
)  # fmt: skip
MILITARY_AIR_SHARE = 0.75
"""Share of air/drone strike rows whose actor1 is the military (the rest: drones of others)."""
PRESS = ("Fixture Daily", "Township Voice", "Valley Herald", "Delta Wire", "Hill Post")
WORDS = (
    "soldiers", "aircraft", "drones", "village", "township", "ward", "monastery", "school",
    "clinic", "bridge", "camp", "killed", "injured", "destroyed", "houses", "residents", "fled",
    "reported", "local", "media", "resistance", "forces", "attacked", "outpost", "convoy",
    "casualties", "unknown", "according", "to", "sources", "bombs", "dropped", "on", "the",
)  # fmt: skip
NOTE_POOL = 5_000


@dataclass(frozen=True)
class GeneratedExport:
    """What :func:`write_acled_export` wrote.

    Attributes: path (the CSV), rows (data rows, revisions included), actor_names (every
    distinct actor name the generator can write, one row each: name, inter, side, mapped,
    where side is the expected side and mapped whether the registry knows the name),
    duplicate_rows (rows repeating an earlier id).
    """

    path: Path
    rows: int
    actor_names: pd.DataFrame
    duplicate_rows: int

    @property
    def expected_side(self) -> dict[str, str]:
        """Expected actor side per actor name."""
        return dict(zip(self.actor_names["name"], self.actor_names["side"], strict=True))


def township_names(count: int) -> list[str]:
    """``count`` distinct invented township names built from syllables."""
    base = len(SYLLABLES)
    names = []
    for k in range(count):
        number, parts = k + base, []  # at least two syllables; distinct numbers, distinct names
        while number:
            number, digit = divmod(number, base)
            parts.append(SYLLABLES[digit])
        names.append("".join(reversed(parts)).capitalize())
    return names


def actor_name_table(n_actor_names: int) -> pd.DataFrame:
    """The distinct actor names (national ones first): name, inter label, expected side,
    whether the registry knows the name (mapped) and the share of actor1 draws (weight)."""
    if n_actor_names < len(NATIONAL_ACTORS):
        raise ValueError(f"n_actor_names must be at least {len(NATIONAL_ACTORS)}")
    n_local = n_actor_names - len(NATIONAL_ACTORS)
    towns = township_names(-(-n_local // len(LOCAL_FAMILIES)))
    local = [
        (template.format(towns[j // len(LOCAL_FAMILIES)]), inter, side, mapped)
        for j, (template, inter, side, mapped) in (
            (j, LOCAL_FAMILIES[j % len(LOCAL_FAMILIES)]) for j in range(n_local)
        )
    ]
    # A long tail: a few local units are active often, most rarely (Zipf-like weights).
    local_weight = 1.0 / (np.arange(n_local) + 10.0) ** 1.1
    local_weight = local_weight / max(local_weight.sum(), 1e-12) * LOCAL_SHARE
    table = pd.DataFrame(
        [(name, inter, side, name not in UNREGISTERED) for name, inter, side, _ in NATIONAL_ACTORS]
        + local,
        columns=["name", "inter", "side", "mapped"],
    )
    table["weight"] = np.concatenate([[a[3] for a in NATIONAL_ACTORS], local_weight])
    table["weight"] /= table["weight"].sum()
    return table


def _decode(values: list[str] | np.ndarray, index: np.ndarray) -> pa.Array:
    """Rows ``values[index]`` as a string array (index -1 = null), via an Arrow dictionary."""
    index = np.asarray(index)
    indices = pa.array(index.astype(np.int32), mask=index < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values))).dictionary_decode()


def _notes(rng: np.random.Generator) -> list[str]:
    """Long free-text notes with commas, double quotes and line breaks."""
    notes = []
    for k in range(NOTE_POOL):
        words = list(rng.choice(WORDS, size=int(rng.integers(25, 70))))
        words[int(rng.integers(0, 10))] += ","
        if k % 3 == 0:
            words[int(rng.integers(10, 20))] = f'"{words[10]}"'
        text = " ".join(words)
        if k % 4 == 0:
            text = text.replace(" according", ".\nAccording", 1)
        notes.append(f"On this date, {text}. [size=no report]")
    return notes


def _assoc_lists(rng: np.random.Generator, names: list[str], n: int, blank: float) -> pa.Array:
    """``n`` assoc_actor values: blank, or 1-3 names joined by '; '."""
    pool_size = 4_000
    count = rng.choice(4, size=pool_size, p=[0.0, 0.6, 0.3, 0.1])
    picks = rng.integers(0, len(names), size=(pool_size, 3))
    # dict.fromkeys drops a name drawn twice for one list, keeping the order.
    pool = [
        "; ".join(dict.fromkeys(names[i] for i in row[:k]))
        for row, k in zip(picks, count, strict=True)
    ]
    index = rng.integers(0, pool_size, n)
    index[rng.random(n) < blank] = -1
    return _decode(pool, index)


def write_acled_export(
    path: Path,
    rows: int = 10_000,
    n_actor_names: int = 300,
    start: str = "2020-01-01",
    end: str = "2025-05-16",
    seed: int = 0,
    duplicate_share: float = 0.002,
) -> GeneratedExport:
    """Write a generated ACLED export (current layout) and return what it holds.

    Parameters
    ----------
    path : pathlib.Path
        Where to write the CSV.
    rows : int
        Data rows, revisions included; at least ``n_actor_names`` (every name appears).
    n_actor_names : int
        Distinct actor1 names.
    start, end : str
        First and last possible event date (ISO).
    seed : int
        Seed of the numpy Generator: the same arguments give the same bytes.
    duplicate_share : float
        Share of rows that are revisions repeating an earlier event's id (later timestamp).

    Returns
    -------
    GeneratedExport
        The path, row count, actor name table and number of revision rows.
    """
    if rows < n_actor_names:
        raise ValueError("rows must be at least n_actor_names, so every name appears")
    rng = np.random.default_rng(seed)
    actors = actor_name_table(n_actor_names)
    names = actors["name"].tolist()

    first, last = np.datetime64(start), np.datetime64(end)
    days = first + rng.integers(0, int((last - first).astype(int)) + 1, rows).astype(
        "timedelta64[D]"
    )
    unique_days, day_index = np.unique(days, return_inverse=True)
    pool = [d.astype(object).strftime(fmt) for fmt in DATE_FORMATS for d in unique_days]
    date_format = rng.choice(len(DATE_FORMATS), size=rows, p=[0.6, 0.3, 0.1])
    event_date = _decode(pool, date_format * len(unique_days) + day_index)

    type_share = np.array([t[3] for t in EVENT_TYPES])
    type_index = rng.choice(len(EVENT_TYPES), size=rows, p=type_share / type_share.sum())
    actor_index = rng.choice(len(actors), size=rows, p=actors["weight"].to_numpy())
    # Every name appears at least once, on rows that are not overridden below.
    every_name_rows = rng.permutation(rows)[:n_actor_names]
    is_air = np.array([t[2] == AIR_STRIKE for t in EVENT_TYPES])[type_index]
    military_air = is_air & (rng.random(rows) < MILITARY_AIR_SHARE)
    military_air[every_name_rows] = False
    actor_index[military_air] = names.index(MILITARY_2021)
    actor_index[every_name_rows] = np.arange(n_actor_names)
    # The military's ACLED name follows the period of the event.
    before_coup = (actor_index == names.index(MILITARY_2021)) & (days < COUP_DAY)
    before_coup[every_name_rows] = False
    actor_index[before_coup] = names.index(MILITARY_2016)

    target_pick = rng.choice(4, size=rows, p=[0.35, 0.2, 0.2, 0.25])
    target_index = np.select(
        [target_pick == 0, target_pick == 1, target_pick == 2],
        [names.index(CIVILIANS), -1, names.index(MILITARY_2021)],
        rng.choice(len(actors), size=rows, p=actors["weight"].to_numpy()),
    )
    inter_labels = actors["inter"].tolist()
    inter1 = _decode(inter_labels, actor_index)
    inter2 = _decode(inter_labels, target_index)
    interaction = pc.if_else(
        pc.is_null(inter2),
        pc.binary_join_element_wise(inter1, pa.scalar(" only"), ""),
        pc.binary_join_element_wise(inter1, inter2, "-"),
    )
    civilian_targeting = np.where(
        (target_index == names.index(CIVILIANS)) & (rng.random(rows) < 0.8), 0, -1
    )

    n_locations = max(50, min(30_000, rows // 20))
    towns = township_names(max(10, n_locations // 8))
    location_admin1 = rng.integers(0, len(ADMIN1), n_locations)
    location_town = rng.integers(0, len(towns), n_locations)
    location = rng.integers(0, n_locations, rows)
    admin2 = np.where(rng.random(rows) < 0.05, -1, location_town[location] // 4)
    admin3 = np.where(rng.random(rows) < 0.1, -1, location_town[location])
    latitude = [f"{x:.4f}" for x in rng.uniform(9.6, 28.5, n_locations)]
    longitude = [f"{x:.4f}" for x in rng.uniform(92.2, 101.2, n_locations)]

    ids = 1 + rng.permutation(rows)
    stamps = 1_600_000_000 + rng.integers(0, 150_000_000, rows)
    # Revisions: a row repeats an earlier row's id with a later timestamp (ACLED edits events).
    n_duplicates = int(round(rows * duplicate_share))
    revisions = rng.choice(rows, size=2 * n_duplicates, replace=False)
    revised, revision = revisions[:n_duplicates], revisions[n_duplicates:]
    ids[revision] = ids[revised]
    stamps[revision] = stamps[revised] + rng.integers(1, 5_000_000, n_duplicates)
    fatalities = np.minimum(rng.geometric(0.4, rows) - 1, 50)
    year = days.astype("datetime64[Y]").astype(int) + 1970

    table = pa.table(
        {
            "event_id_cnty": pc.binary_join_element_wise("MMR", pa.array(ids).cast(pa.string()),
                                                         ""),
            "event_date": event_date,
            "year": pa.array(year).cast(pa.string()),
            "time_precision": _decode(["1", "2", "3"], rng.choice(3, rows, p=[0.85, 0.1, 0.05])),
            "disorder_type": _decode([t[0] for t in EVENT_TYPES], type_index),
            "event_type": _decode([t[1] for t in EVENT_TYPES], type_index),
            "sub_event_type": _decode([t[2] for t in EVENT_TYPES], type_index),
            "actor1": _decode(names, actor_index),
            "assoc_actor_1": _assoc_lists(rng, names, rows, blank=0.7),
            "inter1": inter1,
            "actor2": _decode(names, target_index),
            "assoc_actor_2": _assoc_lists(rng, names, rows, blank=0.8),
            "inter2": inter2,
            "interaction": interaction,
            "civilian_targeting": _decode(["Civilian targeting"], civilian_targeting),
            "iso": pa.array(np.full(rows, "104")),
            "region": pa.array(np.full(rows, "Southeast Asia")),
            "country": pa.array(np.full(rows, "Myanmar")),
            "admin1": _decode(ADMIN1, location_admin1[location]),
            "admin2": _decode([f"{t} District" for t in towns], admin2),
            "admin3": _decode(towns, admin3),
            "location": _decode([f"{towns[t]} village {k}" for k, t in
                                 enumerate(location_town)], location),
            "latitude": _decode(latitude, location),
            "longitude": _decode(longitude, location),
            "geo_precision": _decode(["1", "2", "3"], rng.integers(0, 3, rows)),
            "source": _decode([*PRESS, "; ".join(PRESS[:2])], rng.integers(0, len(PRESS) + 1,
                                                                            rows)),
            "source_scale": _decode(["National", "Subnational", "New media"],
                                    rng.integers(0, 3, rows)),
            "notes": _decode(_notes(rng), rng.integers(0, NOTE_POOL, rows)),
            "fatalities": pa.array(fatalities).cast(pa.string()),
            "tags": _decode(["crowd size=no report"], np.where(rng.random(rows) < 0.05, 0, -1)),
            "timestamp": pa.array(stamps).cast(pa.string()),
        }
    )  # fmt: skip
    assert tuple(table.column_names) == COLUMNS
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))
    return GeneratedExport(
        path=path,
        rows=rows,
        actor_names=actors.drop(columns="weight"),
        duplicate_rows=n_duplicates,
    )
