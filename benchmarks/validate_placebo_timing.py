"""Size of the placebo and timing permutation tests with the null true, before and after.

Placebo: the issue-12 DGPs of ``benchmarks/dgps/`` (latent AR 0.9-0.97, trend, dry-season
cycle, weekday cycle, gamma noise; exogenous or spike-selected dates) with true rate ratio 1.
As shipped they are 1,400 days long, room for only a handful of non-overlapping 90 + 60-day
pseudo-windows; ``--long-days`` reruns them on longer series (the generator's module
constants are set, the model is unchanged) so that 40-42 windows fit and a two-sided p
can reach 0.05. "random" is the plain placebo, "matched" the spike-matched one.
``--chains N`` closes the periods of N random extension chains (1-4 back-to-back 30-day
periods each) to pseudo-windows (in both parts); ``--lengths`` sets the series lengths.
``--part forecast`` compares, on the long series only, the random and matched placebos with
the forecast-error placebo of the primary estimate (:mod:`analysis.placebo_forecast`) on the
same draws: size on the null DGPs, then power on the rate-ratio-0.5 DGPs of ``EFFECT``.
By default the forecast placebo uses as many pseudo-windows as the notebooks do (all that
fit, at most :data:`analysis.placebo_forecast.MAX_FORECAST_PLACEBOS`: about 89 on 6,500
days with a 60-day truce); ``--forecast-windows 41`` gives it as many as the others have.
``--by-surge`` also prints, per DGP, the forecast placebo's mean log estimate at the observed
and at the pseudo-windows, by the surge the reported counts showed before each window (30-day
over 365-day mean): a shift of the observed that pseudo-windows after the same reported surge
do not share is not explained by the reported surge (:func:`surge_breakdown`).
Each forecast costs about 5-10 ms of CPU; with each window's calibrating forecasts (about
three per pseudo-window, shared on one grid) a run with 89 pseudo-windows takes 2-3 s with
``OPENBLAS_NUM_THREADS=1``; multi-threaded BLAS on a busy machine made its small least-squares
fits over ten times slower.

Timing: a diplomatic calendar (four blocs, 2-40 dated events each, drawn uniformly) and a
ceasefire table of 13 extension chains with 39 declarations (roots uniform in the window,
extensions 20-45 days apart, like the monthly extensions of data/curated/ceasefires.csv),
generated independently of each other, so no bloc's calendar drives the timing.

"before" is the code before this change (``git show 8892406:analysis/<module>.py``, loaded
beside the package; ``--before-ref`` picks another commit), "after" this checkout's.
Prints size at 0.05 and 0.01 with Monte-Carlo standard errors.

Run: ``nice -n 10 python benchmarks/validate_placebo_timing.py --runs 400`` (forecast part:
``OPENBLAS_NUM_THREADS=1 nice -n 10 python benchmarks/validate_placebo_timing.py --part
forecast --runs 1000``).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis import placebo as placebo_after
from analysis import placebo_forecast
from analysis import timing as timing_after
from analysis.windows import Windows

ROOT = Path(__file__).resolve().parent.parent
DGP_DIR = Path(__file__).resolve().parent / "dgps"
PRE_DAYS = 90
EXOGENOUS = ("ar90_moderate_null", "ar97_moderate_null", "ar95_sparse_null")
SPIKE = ("ar95_moderate_spike_null", "ar90_moderate_spike_null", "ar97_moderate_spike_null")
EFFECT = ("ar95_moderate_effect", "ar95_moderate_spike_effect")
# declared at the first crossing of a past-only threshold (a stopping time, dgps/_latent.py);
# listed after the others so their seeds (seed + position) stay as they were
CROSSING = (
    "ar90_moderate_crossing_null",
    "ar95_moderate_crossing_null",
    "ar97_moderate_crossing_null",
)
CROSSING_EFFECT = ("ar95_moderate_crossing_effect",)
SHORT = ("ar95_sparse_crossing_short_null",)  # a 10-day truce on a sparse series
# the same rule on the reported counts rather than the latent intensity (dgps/_latent.py)
REPORTED = ("ar95_moderate_reported_crossing_null", "ar97_moderate_reported_crossing_null")
BLOC_EVENTS = {"A": 40, "B": 17, "C": 5, "D": 2}  # dense to sparse calendars
N_CHAINS, N_DECLARATIONS = 13, 39
STUDY_START, STUDY_END = pd.Timestamp("2018-01-01"), pd.Timestamp("2025-12-31")


def load_module(path: Path, name: str) -> ModuleType:
    """Import a file by path (the DGPs and main's modules are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


BEFORE_REF = "8892406"
"""main before the enumerated placebos and the chain null (issue 12)."""


def main_module(name: str, folder: Path, ref: str = BEFORE_REF) -> ModuleType:
    """``analysis/<name>.py`` as of commit ``ref``, imported under another name."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:analysis/{name}.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = folder / f"{name}_main.py"
    path.write_text(text)
    module = load_module(path, f"{name}_main")
    module.REF = ref
    return module


def dgp(name: str, days: int) -> ModuleType:
    """A DGP file, with its series lengthened to ``days`` (dates drawn in the last 300)."""
    module = load_module(DGP_DIR / f"{name}.py", name)
    latent = module._LATENT
    if days != latent.DAYS:
        latent.DAYS = days
        latent.LATEST_DAY = days - latent.DURING_DAYS
        latent.EARLIEST_DAY = days - 300
    return module


def windows_at(index: pd.DatetimeIndex, effective: int, during: int) -> Windows:
    """The windows of a ceasefire declared and in force on day ``effective``."""
    day = index[effective]
    return Windows(
        ceasefire_id="sim",
        declared=day,
        effective=day,
        pre_start=index[effective - PRE_DAYS],
        pre_end=index[effective - 1],
        interim_start=pd.NaT,
        interim_end=pd.NaT,
        during_start=day,
        during_end=index[effective + during - 1],
        gap="exclude",
        note="",
        pre_days_used=PRE_DAYS,
    )


def chain_periods(rng: np.random.Generator, index: pd.DatetimeIndex, chains: int) -> pd.DataFrame:
    """A ceasefire table of ``chains`` extension chains (1-4 back-to-back 30-day periods, root
    uniform before the last 450 days, so never on the real block), drawn apart from the
    series: their periods in force are closed to pseudo-windows."""
    rows = []
    for chain in range(chains):
        day = int(rng.integers(0, len(index) - 450))
        for member in range(int(rng.integers(1, 5))):
            rows.append(
                {
                    c.CF_ID: f"c{chain}-{member}",
                    c.CF_EXTENDS: f"c{chain}-{member - 1}" if member else pd.NA,
                    c.CF_DECLARED_ON: index[day],
                    c.CF_EFFECTIVE_FROM: index[day],
                    c.CF_EFFECTIVE_TO: index[day + 29],
                }
            )
            day += 30
    frame = pd.DataFrame(rows)
    for column in c.CEASEFIRES.column_names:
        if column not in frame:
            frame[column] = pd.NA
    return frame[c.CEASEFIRES.column_names]


def placebo_sizes(
    name: str, days: int, runs: int, seed: int, before: ModuleType, chains: int = 0
) -> list[dict[str, object]]:
    """Size of the random and matched placebos of both versions on one DGP (with ``chains``
    chained ceasefires closing their periods to pseudo-windows)."""
    sim = dgp(name, days).simulate(np.random.default_rng(seed), runs)
    index = pd.date_range(sim["start"], periods=sim["counts"].shape[1], freq="D")
    table_rng = np.random.default_rng([seed, chains])
    # main before issue 12 drew 999 overlapping windows; later refs enumerate them
    before_windows = "999 draws" if before.REF == BEFORE_REF else f"enumerated ({before.REF})"
    p = {key: [] for key in ("before random", "before matched", "after random", "after matched")}
    used = []
    for counts, effective in zip(sim["counts"], sim["effective_day"], strict=True):
        series = pd.Series(counts.astype(float), index=index)
        windows = windows_at(index, int(effective), sim["during_days"])
        table = chain_periods(table_rng, index, chains) if chains else None
        for matched in (False, True):
            label = "matched" if matched else "random"
            common = dict(ceasefires=table, match_pre_level=matched)
            old = before.placebo_test(series, windows, n_placebos=999, **common)
            new = placebo_after.placebo_test(series, windows, **common)
            p[f"before {label}"].append(old.p_value)
            p[f"after {label}"].append(new.p_value)
        used.append(new.n_placebos)
    # a two-sided rank test with n windows rejects at 0.05 exactly this often under the null
    levels = [2 * math.floor(0.05 * (1 + n) / 2) / (1 + n) for n in used]
    rows = []
    for key, values in p.items():
        values = np.asarray(values, dtype=float)
        rows.append(
            {
                "test": f"placebo {key.split()[1]}",
                "dgp": f"{name} ({days} d{f', {chains} chains' if chains else ''})",
                "version": key.split()[0],
                "runs": len(values),
                "no p": int(np.isnan(values).sum()),
                "windows": f"{min(used)}-{max(used)}"
                if key.startswith("after")
                else before_windows,
                "exact@0.05": f"{np.mean(levels):.3f}" if key.startswith("after") else "0.050",
                **size_columns(values),
            }
        )
    return rows


def forecast_sizes(
    name: str,
    days: int,
    runs: int,
    seed: int,
    n_forecast: int = placebo_forecast.MAX_FORECAST_PLACEBOS,
    chains: int = 0,
    by_surge: bool = False,
) -> list[dict[str, object]]:
    """Rejection rates of the random, matched and forecast-error placebos on the same draws
    (size on a null DGP, power on an effect DGP); the forecast placebo uses at most
    ``n_forecast`` of its pseudo-windows, evenly spaced (each costs a forecast).
    With ``chains``, that many extension chains close their periods to all three; with
    ``by_surge`` the forecast placebo's estimates are also printed by the reported surge
    before each window (:func:`surge_breakdown`)."""
    module = dgp(name, days)
    sim = module.simulate(np.random.default_rng(seed), runs)
    # a crossing DGP whose series never crosses in its search range declares on the range's
    # last day (dgps/_latent.py): not after a surge, so the breakdown keeps those runs apart
    never_crossed = module._LATENT.LATEST_DAY - 1 if "crossing" in name else -1
    index = pd.date_range(sim["start"], periods=sim["counts"].shape[1], freq="D")
    table_rng = np.random.default_rng([seed, chains])
    p = {key: [] for key in ("random", "matched", "forecast")}
    used = {key: [] for key in p}
    # the falls tail: rejected with the observed below most placebos (matched ranks residuals
    # the result does not keep, so only the random and forecast placebos have it)
    falls = {key: [] for key in p}
    surges = []  # SURGE_COLUMNS: one row per window of every run
    for counts, effective in zip(sim["counts"], sim["effective_day"], strict=True):
        series = pd.Series(counts.astype(float), index=index)
        windows = windows_at(index, int(effective), sim["during_days"])
        table = chain_periods(table_rng, index, chains) if chains else None
        for key in p:
            if key == "forecast":
                result = placebo_forecast.forecast_placebo_test(
                    series, windows, ceasefires=table, n_placebos=n_forecast
                )
            else:
                matched = key == "matched"
                result = placebo_after.placebo_test(
                    series, windows, ceasefires=table, match_pre_level=matched
                )
            p[key].append(result.p_value)
            used[key].append(result.n_placebos)
            below = np.mean(result.placebo_log_rr < result.observed_log_rr)
            falls[key].append(result.p_value <= 0.05 and below < 0.5)
            if by_surge and key == "forecast" and result.n_placebos:
                origins = (result.candidate_windows["pre_end"] - index[0]).dt.days + 1
                surge = reported_surge(counts, np.r_[effective, origins.to_numpy()])
                crossed = int(effective) != never_crossed
                rejected = result.p_value <= 0.05
                surges.append((True, crossed, surge[0], result.observed_log_rr, below, rejected))
                surges += [
                    (False, True, *pair, math.nan, False)
                    for pair in zip(surge[1:], result.placebo_log_rr, strict=True)
                ]
    if by_surge and surges:
        table = pd.DataFrame(surges, columns=SURGE_COLUMNS)
        print(f"{name}: forecast placebo by the reported surge before the window", flush=True)
        print(surge_breakdown(table).to_string(), flush=True)
        late = table[table["observed"] & ~table["crossed"]]
        if len(late):
            print(
                f"{len(late)} runs never crossed (declared on the search range's last day, left "
                f"out above): mean log estimate {late['log_estimate'].mean():.3f}, size at 0.05 "
                f"{late['rejected'].mean():.3f}",
                flush=True,
            )
    rows = []
    for key, values in p.items():
        levels = [2 * math.floor(0.05 * (1 + n) / 2) / (1 + n) for n in used[key]]
        rows.append(
            {
                "test": f"placebo {key}",
                "dgp": f"{name} ({days} d{f', {chains} chains' if chains else ''})",
                "seed": seed,
                "runs": runs,
                "no p": int(np.isnan(values).sum()),
                "windows": f"{min(used[key])}-{max(used[key])}",
                "exact@0.05": f"{np.mean(levels):.3f}",
                **size_columns(np.asarray(values, dtype=float)),
                "falls@0.05": "—" if key == "matched" else f"{np.mean(falls[key]):.3f}",
            }
        )
    return rows


SURGE_COLUMNS = ["observed", "crossed", "surge", "log_estimate", "rank_quantile", "rejected"]
SURGE_BINS = (-np.inf, 0.0, 0.3, 0.6, np.inf)


def reported_surge(counts: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Log ratio of the 30-day to the 365-day mean of the counts before each origin (what the
    world saw of a surge; half an event added to each 30 days, so blank months stay finite)."""
    if (origins < 365).any():
        raise ValueError("reported_surge needs a year of counts before every origin")
    cum = np.concatenate([[0.0], np.cumsum(counts, dtype=float)])
    recent = (cum[origins] - cum[origins - 30] + 0.5) / 30
    year = (cum[origins] - cum[origins - 365] + 0.5 * 365 / 30) / 365
    return np.log(recent / year)


def surge_breakdown(table: pd.DataFrame) -> pd.DataFrame:
    """Mean log primary estimate of observed and pseudo-windows, and the observed's mean rank
    quantile among its own pseudo-windows' log estimates (0.5 if exchangeable; the test itself
    ranks them after each window's own scaling), by the reported surge: a shift of the observed
    that pseudo-windows with the same reported surge do not share is not explained by it."""
    table = table.assign(bin=pd.cut(table["surge"], SURGE_BINS))
    observed = table[table["observed"] & table["crossed"]].groupby("bin", observed=False)
    pseudo = table[~table["observed"]].groupby("bin", observed=False)["log_estimate"]
    return pd.DataFrame(
        {
            "observed runs": observed.size(),
            "observed mean": observed["log_estimate"].mean().round(3),
            "observed rank quantile": observed["rank_quantile"].mean().round(3),
            "observed size@0.05": observed["rejected"].mean().round(3),
            "pseudo-windows": pseudo.size(),
            "pseudo mean": pseudo.mean().round(3),
        }
    )


def size_columns(p_values: np.ndarray) -> dict[str, str]:
    """Size at 0.05 and 0.01 with Monte-Carlo standard errors (a missing p never rejects)."""
    out = {}
    for alpha in (0.05, 0.01):
        rejected = np.nan_to_num(p_values, nan=1.0) <= alpha
        size = rejected.mean()
        se = math.sqrt(size * (1 - size) / len(p_values)) if len(p_values) else math.nan
        out[f"size@{alpha}"] = f"{size:.3f} ± {se:.3f}"
    return out


def chained_table(rng: np.random.Generator) -> tuple[pd.Series, pd.DataFrame]:
    """39 declarations in 13 chains (root ids repeated in ``extends``), independent of any
    calendar: chain sizes 1-6 summing to 39, roots uniform, extensions 20-45 days apart."""
    sizes = np.ones(N_CHAINS, dtype=int)
    extra = rng.multinomial(N_DECLARATIONS - N_CHAINS, np.full(N_CHAINS, 1 / N_CHAINS))
    sizes += extra
    span = (STUDY_END - STUDY_START).days
    ids, dates, extends = [], [], []
    for chain, size in enumerate(sizes):
        gaps = rng.integers(20, 46, size - 1)
        root = int(rng.integers(0, span - int(gaps.sum()) + 1))
        offsets = np.concatenate([[0], np.cumsum(gaps)])
        for member, offset in enumerate(offsets):
            ids.append(f"c{chain}-{member}")
            dates.append(STUDY_START + pd.Timedelta(days=int(root + offset)))
            extends.append(pd.NA if member == 0 else f"c{chain}-{member - 1}")
    table = pd.DataFrame({"ceasefire_id": ids, "extends": pd.array(extends, dtype="string")})
    return pd.Series(dates, index=ids), table


def calendar(rng: np.random.Generator) -> pd.DataFrame:
    """Dated one-day events per bloc, uniform over the study window."""
    span = (STUDY_END - STUDY_START).days
    rows = []
    for bloc, n_events in BLOC_EVENTS.items():
        for day in rng.integers(0, span + 1, n_events):
            start = STUDY_START + pd.Timedelta(days=int(day))
            rows.append({"bloc": bloc, "date_start": start, "date_end": start})
    frame = pd.DataFrame(rows)
    frame["event_id"] = [f"e{i}" for i in range(len(frame))]
    return frame


def timing_sizes(runs: int, seed: int, permutations: int, before: ModuleType) -> list[dict]:
    """Per-bloc and any-bloc size of main's iid null and of the chain-shift / jitter nulls."""
    rng = np.random.default_rng(seed)
    blocs = tuple(BLOC_EVENTS)
    p = {key: [] for key in ("before iid", "after chain_shift", "after chain_jitter")}
    for run in range(runs):
        dates, table = chained_table(rng)
        events = calendar(rng)
        common = dict(study_start=STUDY_START, study_end=STUDY_END, blocs=blocs, seed=run)
        old = before.timing_permutation_test(dates, events, n_permutations=permutations, **common)
        p["before iid"].append(np.append(old["p_value"], np.nan))
        for null in ("chain_shift", "chain_jitter"):
            new = timing_after.timing_permutation_test(
                dates, events, ceasefires=table, null=null, n_permutations=permutations, **common
            )
            p[f"after {null}"].append(np.append(new["p_holm"], new["p_any_bloc"].iloc[0]))
            p.setdefault(f"unadjusted {null}", []).append(np.append(new["p_value"], np.nan))
    rows = []
    for key, values in p.items():
        values = np.asarray(values, dtype=float)
        version, null = key.split()
        columns = [(f"bloc {b} ({n} events)", i) for i, (b, n) in enumerate(BLOC_EVENTS.items())]
        if version == "before":
            # main had no any-bloc test: "reject if any bloc's p is small", as a reader would
            columns.append(("any bloc (min p)", None))
        elif version == "after":
            columns.append(("any bloc (min-p test)", len(blocs)))
        for label, column in columns:
            whole = values[:, : len(blocs)].min(axis=1) if column is None else None
            series = whole if column is None else values[:, column]
            if version == "unadjusted" and column is None:
                continue
            rows.append(
                {
                    "test": f"timing, {null}" + (" Holm" if version == "after" else ""),
                    "dgp": label,
                    "version": "before" if version == "before" else "after",
                    "runs": runs,
                    "no p": int(np.isnan(series).sum()),
                    "windows": f"{permutations} perms",
                    "exact@0.05": "0.050",
                    **size_columns(series),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the simulations, print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--long-days", type=int, default=6500)
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--part", choices=("placebo", "timing", "forecast", "all"), default="all")
    parser.add_argument("--before-ref", default=BEFORE_REF)
    parser.add_argument(
        "--chains", type=int, default=0, help="chained ceasefires closing periods (placebo)"
    )
    parser.add_argument("--lengths", type=int, nargs="+", help="series lengths (placebo)")
    parser.add_argument("--dgps", nargs="+", help="DGPs of the forecast part (default all)")
    parser.add_argument(
        "--forecast-windows",
        type=int,
        default=placebo_forecast.MAX_FORECAST_PLACEBOS,
        help="most pseudo-windows of the forecast placebo (default: as in the notebooks)",
    )
    parser.add_argument(
        "--by-surge",
        action="store_true",
        help="also print the forecast placebo's estimates by the reported surge before each window",
    )
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, str(ROOT))
        if args.part in ("placebo", "all"):
            before = main_module("placebo", Path(folder), args.before_ref)
            for offset, name in enumerate((*EXOGENOUS, *SPIKE, *CROSSING)):
                for days in args.lengths or (1400, args.long_days):
                    rows += placebo_sizes(
                        name, days, args.runs, args.seed + offset, before, args.chains
                    )
                    print(pd.DataFrame(rows[-4:]).to_string(index=False), flush=True)
        if args.part == "forecast":
            # seeds as in the placebo part (seed + position in EXOGENOUS + SPIKE): same draws
            names = (*EXOGENOUS, *SPIKE, *EFFECT, *CROSSING, *CROSSING_EFFECT, *SHORT, *REPORTED)
            for name in args.dgps or names:
                offset = names.index(name)
                rows += forecast_sizes(
                    name,
                    args.long_days,
                    args.runs,
                    args.seed + offset,
                    args.forecast_windows,
                    args.chains,
                    args.by_surge,
                )
                print(pd.DataFrame(rows[-3:]).to_string(index=False), flush=True)
        if args.part in ("timing", "all"):
            before = main_module("timing", Path(folder), args.before_ref)
            rows += timing_sizes(args.runs, args.seed, args.permutations, before)
    print(f"\nseed {args.seed}, {args.runs} runs per line; size = share of p <= alpha")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
