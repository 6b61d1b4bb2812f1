"""Benchmark: ACLED CSV -> canonical events + daily panel, against pyarrow's CSV reader alone.

By default builds a generated 1,000,000-row export in the current 31-column ACLED layout with
20,000 distinct actor names (tests/acled_generator.py: invented values, assoc lists, long notes
with commas, quotes and line breaks, the three date formats, revised ids). ``--input PATH``
runs the same measurement on your own ACLED CSV export instead. Each measurement runs in its
own Python process, so peak memory (the process's VmHWM) is that of the measurement alone
and no warm caches are shared:

* baseline   pyarrow.csv.read_csv(file)   (every column as pyarrow infers it; line breaks inside
             quoted values allowed, as ACLED notes need)
* cold       acled.load_acled (parse, map, validate, write the Parquet cache) + panel.build_panel
* no cache   the same with cache_dir=False
* warm       load_acled again (Parquet cache hit) + build_panel

Prints the median seconds of the rounds, the ratio to the baseline (target: cold and no cache
<= 1.2) and peak RSS with its ratio to the baseline's (target <= 1.0). Usage:

    .venv/bin/python benchmarks/bench_load.py [--rows 1000000] [--names 20000] [--rounds 3]
    .venv/bin/python benchmarks/bench_load.py --input data/raw/acled_myanmar.csv
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

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "tests"))

from acled_generator import write_acled_export  # noqa: E402

SEED = 20250516
TIME_TARGET = 1.2
MEMORY_TARGET = 1.0

MEASURE = r"""
import json, resource, sys, time
mode, path, cache_dir, root, warmup = sys.argv[1:6]
sys.path.insert(0, root)
# Both sides first read a small file of the same layout in the same interpreter, so one-time
# costs (lazy imports, schema back-ends, the actor registry) are not charged to either.
if mode == "baseline":
    import pyarrow.csv as pacsv
    options = pacsv.ParseOptions(newlines_in_values=True)
    pacsv.read_csv(warmup, parse_options=options)
    t0 = time.perf_counter()
    table = pacsv.read_csv(path, parse_options=options)
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
# VmHWM is this process's own peak; ru_maxrss would carry over the parent's peak across exec.
try:
    with open("/proc/self/status") as status:
        hwm = [line for line in status if line.startswith("VmHWM:")]
    peak_mb = int(hwm[0].split()[1]) / 1024
except (OSError, IndexError):
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "rows": rows}))
"""

LABELS = {
    "baseline": "baseline: pyarrow.csv.read_csv",
    "cold": "cold: load_acled + build_panel",
    "nocache": "no cache: load_acled + build_panel",
    "warm": "warm: cached load_acled + build_panel",
}


def measure(mode: str, csv_path: Path, cache_dir: Path, warmup_path: Path) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON report."""
    arguments = [mode, str(csv_path), str(cache_dir), str(PROJECT_ROOT), str(warmup_path)]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *arguments],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"{LABELS[mode]} failed:\n{result.stderr.strip()}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_rounds(csv_path: Path, warmup_path: Path, rounds: int, scratch: Path) -> dict:
    """Samples per mode. Rounds interleave the modes so a slow spell of the machine hits all
    of them alike; each round's cold run starts from an empty cache folder."""
    samples: dict[str, list[dict]] = {mode: [] for mode in LABELS}
    for round_number in range(rounds):
        cache_dir = scratch / f"cache-{round_number}"
        for mode in LABELS:
            samples[mode].append(measure(mode, csv_path, cache_dir, warmup_path))
    return samples


def report(samples: dict[str, list[dict]], rounds: int) -> None:
    """Print median seconds, ratios to the baseline and peak memory, side by side."""
    medians = {mode: statistics.median(r["seconds"] for r in got) for mode, got in samples.items()}
    peaks = {mode: statistics.median(r["peak_mb"] for r in got) for mode, got in samples.items()}
    print(f"median of {rounds} round(s), each in a fresh interpreter after a small warm-up")
    header = f"{'measurement':40s} {'seconds':>8s} {'ratio':>6s} {'peak MB':>8s} {'ratio':>6s}"
    print(f"{header} {'rows':>10s}")
    for mode, label in LABELS.items():
        rows = samples[mode][0]["rows"]
        time_ratio = medians[mode] / medians["baseline"]
        memory_ratio = peaks[mode] / peaks["baseline"]
        print(
            f"{label:40s} {medians[mode]:8.2f} {time_ratio:6.2f} {peaks[mode]:8.0f} "
            f"{memory_ratio:6.2f} {rows:10,d}"
        )
    print(
        f"target: cold and no-cache time ratio <= {TIME_TARGET}, "
        f"peak memory ratio <= {MEMORY_TARGET} (rows: baseline counts every record, the "
        "loader the events kept after dropping revised ids)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=None, help="your own ACLED CSV export")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated file")
    parser.add_argument("--names", type=int, default=20_000, help="distinct actor names")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the CSV in")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; medians are reported")
    args = parser.parse_args()
    if args.input is not None and args.input.suffix.lower() != ".csv":
        parser.error("--input takes an ACLED CSV export (the baseline reads CSV only)")
    if args.input is not None and not args.input.is_file():
        parser.error(f"--input {args.input}: file not found")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        folder = args.keep or scratch
        folder.mkdir(parents=True, exist_ok=True)
        if args.input is None:
            csv_path = folder / "acled_generated.csv"
            t0 = time.perf_counter()
            write_acled_export(csv_path, rows=args.rows, n_actor_names=args.names, seed=SEED)
            built = f"generated {args.rows:,} rows, {args.names:,} actor names"
            print(f"{built}, {csv_path.stat().st_size / 1e6:,.0f} MB in "
                  f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
        else:
            csv_path = args.input.resolve()
            print(f"input {csv_path}: {csv_path.stat().st_size / 1e6:,.1f} MB")
        warmup_path = scratch / "acled_warmup.csv"
        write_acled_export(warmup_path, rows=200, n_actor_names=50, seed=SEED)
        samples = run_rounds(csv_path, warmup_path, args.rounds, scratch)
    report(samples, args.rounds)


if __name__ == "__main__":
    main()
