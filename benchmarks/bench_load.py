"""Benchmark: ACLED CSV -> canonical events + daily panel, against pyarrow's CSV reader alone.

Builds a synthetic 1,000,000-row file in the current 31-column ACLED layout (in a temporary
folder; no real ACLED rows), with all three event_date formats mixed, realistic actor names
(including sub-units and names the registry does not know), ~8,000 locations and free-text
notes. Each measurement runs in its own Python process, so peak memory (ru_maxrss) is that of
the measurement alone and no warm caches are shared:

* baseline   pyarrow.csv.read_csv(file)                      (parse every column, no typing)
* cold       acled.load_acled (parse, map, validate, write Parquet cache) + panel.build_panel
* no cache   the same with cache_dir=False
* warm       load_acled again (Parquet cache hit) + build_panel

Prints seconds, the ratio to the baseline (target: cold <= 1.5) and peak RSS. Usage:

    .venv/bin/python benchmarks/bench_load.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED = 20250516

ACTORS = [
    ("Military Forces of Myanmar (2021-)", "State forces", 0.40),
    ("Military Forces of Myanmar (2016-2021)", "State forces", 0.06),
    ("Military Forces of Myanmar (2021-) Border Guard Force", "State forces", 0.02),
    ("Military Forces of Myanmar (2021-) People's Militia Force", "Political militia", 0.03),
    ("Police Forces of Myanmar (2021-)", "State forces", 0.03),
    ("PDF: People's Defense Force", "Rebel group", 0.18),
    ("KIA: Kachin Independence Army", "Rebel group", 0.05),
    ("AA: Arakan Army", "Rebel group", 0.05),
    ("TNLA: Ta'ang National Liberation Army", "Rebel group", 0.03),
    ("MNDAA: Myanmar National Democratic Alliance Army", "Rebel group", 0.02),
    ("KNU: Karen National Union", "Rebel group", 0.03),
    ("Unidentified Armed Group (Myanmar)", "Political militia", 0.06),
    ("Protesters (Myanmar)", "Protesters", 0.04),
]
TARGETS = [
    ("Civilians (Myanmar)", "Civilians"),
    ("Military Forces of Myanmar (2021-)", "State forces"),
    ("PDF: People's Defense Force", "Rebel group"),
    ("KIA: Kachin Independence Army", "Rebel group"),
    ("", ""),
]
EVENT_TYPES = [
    ("Political violence", "Explosions/Remote violence", "Air/drone strike", 0.22),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack", 0.15),
    ("Political violence", "Battles", "Armed clash", 0.35),
    ("Political violence", "Violence against civilians", "Attack", 0.12),
    ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED", 0.06),
    ("Demonstrations", "Protests", "Peaceful protest", 0.07),
    ("Strategic developments", "Strategic developments", "Looting/property destruction", 0.03),
]
ADMIN1 = [
    "Sagaing", "Magway", "Mandalay", "Kachin", "Shan-North", "Shan-South", "Rakhine", "Chin",
    "Kayin", "Kayah", "Bago-East", "Mon", "Tanintharyi", "Yangon", "Ayeyarwady", "Nay Pyi Taw",
]  # fmt: skip
ASSOC = "KNDF: Karenni Nationalities Defense Force; PDF: People's Defense Force"
INTERACTIONS = ["State forces-Rebel group", "State forces-Civilians"]
PRESS = ["Mizzima", "Irrawaddy", "Myanmar Now", "DVB", "Khit Thit Media"]
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y")
NOTE_TEXT = (
    "On this date, soldiers fighter jets drones village township ward monastery school "
    "clinic bridge camp killed injured destroyed houses residents fled reported local media "
    "resistance forces attacked junta outpost convoy casualties unknown according to sources"
)
WORDS = NOTE_TEXT.split()


def _choice(rng: np.random.Generator, values: list[str], n: int, p=None) -> pa.Array:
    """n draws from ``values`` as a plain string array (via a dictionary, for speed)."""
    idx = rng.choice(len(values), size=n, p=p).astype(np.int32)
    return pa.DictionaryArray.from_arrays(idx, pa.array(values)).dictionary_decode()


def build_file(path: Path, rows: int) -> None:
    """Write a synthetic ACLED export with ``rows`` rows."""
    rng = np.random.default_rng(SEED)
    days = np.datetime64("2015-01-01") + rng.integers(0, 3950, rows).astype("timedelta64[D]")
    unique_days = np.unique(days)
    formatted = {fmt: [d.astype(object).strftime(fmt) for d in unique_days] for fmt in DATE_FORMATS}
    day_idx = np.searchsorted(unique_days, days)
    fmt_idx = rng.choice(3, size=rows, p=[0.6, 0.3, 0.1])
    pool = np.array(
        formatted[DATE_FORMATS[0]] + formatted[DATE_FORMATS[1]] + formatted[DATE_FORMATS[2]]
    )
    event_date = pa.array(pool[fmt_idx * len(unique_days) + day_idx])

    n_loc = 8000
    loc_admin1 = rng.integers(0, len(ADMIN1), n_loc)
    loc_lat = np.round(rng.uniform(10.0, 28.5, n_loc), 4)
    loc_lon = np.round(rng.uniform(92.2, 101.2, n_loc), 4)
    loc = rng.integers(0, n_loc, rows)
    actor_p = np.array([a[2] for a in ACTORS])
    actor_idx = rng.choice(len(ACTORS), size=rows, p=actor_p / actor_p.sum())
    target_idx = rng.integers(0, len(TARGETS), rows)
    type_p = np.array([t[3] for t in EVENT_TYPES])
    type_idx = rng.choice(len(EVENT_TYPES), size=rows, p=type_p / type_p.sum())
    note_words = np.array(WORDS)[rng.integers(0, len(WORDS), (20_000, 18))]
    notes = [" ".join(words) + "." for words in note_words]
    stamps = 1_700_000_000 + rng.integers(0, 60_000_000, rows)
    fatalities = np.minimum(rng.geometric(0.45, rows) - 1, 60)

    def pick(values: list[str], idx: np.ndarray) -> pa.Array:
        return pa.DictionaryArray.from_arrays(
            pa.array(idx.astype(np.int32)), pa.array(values)
        ).dictionary_decode()

    table = pa.table(
        {
            "event_id_cnty": pa.array([f"MMR{i}" for i in range(1, rows + 1)]),
            "event_date": event_date,
            "year": pa.array(days.astype("datetime64[Y]").astype(int) + 1970).cast(pa.string()),
            "time_precision": _choice(rng, ["1", "2", "3"], rows, [0.85, 0.1, 0.05]),
            "disorder_type": pick([t[0] for t in EVENT_TYPES], type_idx),
            "event_type": pick([t[1] for t in EVENT_TYPES], type_idx),
            "sub_event_type": pick([t[2] for t in EVENT_TYPES], type_idx),
            "actor1": pick([a[0] for a in ACTORS], actor_idx),
            "assoc_actor_1": _choice(rng, ["", "", "", ASSOC], rows),
            "inter1": pick([a[1] for a in ACTORS], actor_idx),
            "actor2": pick([t[0] for t in TARGETS], target_idx),
            "assoc_actor_2": _choice(rng, ["", "Farmers (Myanmar)"], rows, [0.9, 0.1]),
            "inter2": pick([t[1] for t in TARGETS], target_idx),
            "interaction": _choice(rng, INTERACTIONS, rows),
            "civilian_targeting": _choice(rng, ["", "Civilian targeting"], rows, [0.8, 0.2]),
            "iso": pa.array(np.full(rows, "104")),
            "region": pa.array(np.full(rows, "Southeast Asia")),
            "country": pa.array(np.full(rows, "Myanmar")),
            "admin1": pick(ADMIN1, loc_admin1[loc]),
            "admin2": pick([f"District {i}" for i in range(400)], loc % 400),
            "admin3": pick([f"Township {i}" for i in range(3000)], loc % 3000),
            "location": pick([f"Village {i}" for i in range(n_loc)], loc),
            "latitude": pick([f"{x:.4f}" for x in loc_lat], loc),
            "longitude": pick([f"{x:.4f}" for x in loc_lon], loc),
            "geo_precision": _choice(rng, ["1", "2", "3"], rows),
            "source": _choice(rng, PRESS, rows),
            "source_scale": _choice(rng, ["National", "Subnational", "New media"], rows),
            "notes": pick(notes, rng.integers(0, len(notes), rows)),
            "fatalities": pa.array(fatalities).cast(pa.string()),
            "tags": _choice(rng, ["", "crowd size=no report"], rows, [0.93, 0.07]),
            "timestamp": pa.array(stamps).cast(pa.string()),
        }
    )  # fmt: skip
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


MEASURE = r"""
import json, resource, sys, time
mode, path, cache_dir, root, warmup = sys.argv[1:6]
sys.path.insert(0, root)
# Both sides first read a 20-row file of the same layout in the same interpreter, so one-time
# costs (lazy imports, schema back-ends, the actor registry) are not charged to either.
if mode == "baseline":
    import pyarrow.csv as pacsv
    pacsv.read_csv(warmup)
    t0 = time.perf_counter()
    table = pacsv.read_csv(path)
    rows = table.num_rows
else:
    from analysis import panel
    from analysis.sources import acled
    panel.build_panel(acled.load_acled(warmup, cache_dir=False), freq="D")
    t0 = time.perf_counter()
    events = acled.load_acled(path, cache_dir=False if mode == "nocache" else cache_dir)
    daily = panel.build_panel(events, freq="D")
    rows = len(events)
elapsed = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "rows": rows}))
"""


def measure(mode: str, csv_path: Path, cache_dir: Path, warmup_path: Path) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON report."""
    arguments = [mode, str(csv_path), str(cache_dir), str(PROJECT_ROOT), str(warmup_path)]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *arguments],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the CSV in")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; medians are reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path = folder / "acled_synthetic.csv"
        t0 = time.perf_counter()
        build_file(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"built {args.rows:,} rows, {size_mb:,.0f} MB in {time.perf_counter() - t0:.1f} s")
        warmup_path = folder / "acled_warmup.csv"
        build_file(warmup_path, 20)
        labels = {
            "baseline": "baseline: pyarrow.csv.read_csv",
            "cold": "cold: load_acled + build_panel",
            "nocache": "no cache: load_acled + build_panel",
            "warm": "warm: cached load_acled + build_panel",
        }
        samples: dict[str, list[dict]] = {mode: [] for mode in labels}
        # Rounds interleave the modes so a slow spell of the machine hits all of them alike;
        # each round's cold run starts from an empty cache folder.
        for round_number in range(args.rounds):
            cache_dir = Path(tmp) / f"cache-{round_number}"
            for mode in labels:
                samples[mode].append(measure(mode, csv_path, cache_dir, warmup_path))
    medians = {mode: statistics.median(r["seconds"] for r in got) for mode, got in samples.items()}
    base = medians["baseline"]
    print(f"median of {args.rounds} round(s), each in a fresh interpreter after a 20-row warm-up")
    print(f"{'measurement':40s} {'seconds':>8s} {'ratio':>6s} {'peak MB':>8s} {'rows':>9s}")
    for mode, label in labels.items():
        peak = max(r["peak_mb"] for r in samples[mode])
        rows = samples[mode][0]["rows"]
        ratio = medians[mode] / base
        print(f"{label:40s} {medians[mode]:8.2f} {ratio:6.2f} {peak:8.0f} {rows:9,d}")
    print("target: cold ratio <= 1.5")


if __name__ == "__main__":
    main()
