"""Made-up files in the published ETH/PRIO ceasefire and UCDP GED layouts, with their truth.

Every row these functions write is invented (names, ids, dates, counts); only the layouts are
the published ones: the ETH/PRIO Civil Conflict Ceasefire CSV (UTF-8 byte-order mark,
87 columns, one row per declaring actor per ceasefire) and the 49-column UCDP GED CSV. The
quirks of the real ETH/PRIO file are reproduced on purpose: 1 to 16 actor rows per ceasefire,
-1 (unknown) and 0 (not applicable) codes, month- and year-precision dates, entry into force a
few days before the declaration, rows whose ``ucdp_dyad`` is -1, mediator text such as
"OSCE, Russia", "0" and "-1", and actor rows of one ceasefire scattered through the file.

:func:`write_ethprio_csv` returns the expected one-row-per-ceasefire reading of what it wrote,
worked out here from the values it chose (not by the loader's code), so tests compare the
loader against it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.sources.ethprio import ETHPRIO_COLUMNS, PURPOSE_FLAGS
from analysis.sources.ucdp import GED_COLUMNS

COUNTRY_CODES = {"Myanmar (Burma)": 775, "Colombia": 100}
"""Gleditsch-Ward codes of the two countries the tests name; other countries get 900+i."""
PURPOSES = tuple(PURPOSE_FLAGS.values())
MEDIATOR_TEXTS = ("0", "0", "0", "0", "-1", "UN", "OSCE, Russia", "China", "Norway", "Made-up Club")
"""mediator_send values drawn for generated ceasefires ('Made-up Club' is in no bloc table)."""
NO_DATE = (-1, -1, -1)
NO_END = (0, 0, 0)
FULL_SCALE = {"n_ceasefires": 2203, "n_rows": 4091, "n_countries": 66}
"""Size of the published file (Clayton et al. 2022): rows, ceasefires and countries."""


def government(country: str) -> str:
    """UCDP's name of a country's government as an actor."""
    return f"Government of {country}"


def country_code(country: str, countries: Sequence[str] = ()) -> int:
    """The ``cc`` the generator uses for a country."""
    if country in COUNTRY_CODES:
        return COUNTRY_CODES[country]
    ordered = list(dict.fromkeys([*countries, country]))
    return 900 + ordered.index(country)


def rebel(country: str, k: int) -> str:
    """The made-up name of rebel group ``k`` of a country."""
    return f"Made-up Front {k} ({country})"


def dyad_id(country: str, k: int, countries: Sequence[str] = ()) -> int:
    """The made-up UCDP dyad id of the government against rebel group ``k``."""
    return country_code(country, countries) * 100 + k


# --- the expected reading of one ceasefire ------------------------------------------------


def _day(parts: tuple[int, int, int]) -> tuple[pd.Timestamp | None, str | None]:
    year, month, day = parts
    if year in (-1, 0):
        return None, None
    if month in (-1, 0):
        return pd.Timestamp(year, 1, 1), "year"
    if day in (-1, 0):
        return pd.Timestamp(year, month, 1), "month"
    return pd.Timestamp(year, month, day), "day"


PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _earliest(dates: list[tuple[pd.Timestamp | None, str | None]]) -> tuple[Any, Any]:
    known = [d for d in dates if d[0] is not None]
    if not known:
        return None, None
    return min(known, key=lambda d: (d[0], -PRECISION_RANK[d[1]]))


def _party(name: str, side: int) -> str:
    if side == 1:
        return "state"
    if side == 2:
        return "non_state"
    return "state" if name.startswith("Government of") else "non_state"


def _joined(values: list[int]) -> str:
    return ";".join(str(v) for v in sorted(set(values)) if v != -1)


def _mediators(texts: list[str]) -> str:
    names = sorted({n.strip() for t in texts for n in t.split(",") if t.strip() not in ("0", "-1")})
    if names:
        return ";".join(names)
    return "unknown" if any(t.strip() == "-1" for t in texts) else ""


def expected_row(spec: dict[str, Any]) -> dict[str, Any]:
    """What the loader should make of one ceasefire described by ``spec`` (see
    :func:`write_ethprio_csv`)."""
    actors = spec["actors"]
    declared_rows = spec.get("declared_by_row") or [spec["declared"]] * len(actors)
    declared, declared_precision = _earliest([_day(d) for d in declared_rows])
    effective, effective_precision = _day(spec.get("effective", NO_DATE))
    if declared is None:
        declared, declared_precision = effective, effective_precision
    if effective is None:
        effective, effective_precision = declared, declared_precision
    end, end_precision = _day(spec.get("end", NO_END))
    if end is not None and effective is not None and end < effective:
        end, end_precision = (effective, end_precision) if end_precision != "day" else (None, None)
    parties = {_party(a[0], a[1]) for a in actors}
    purposes = [p for p in PURPOSES if p in spec.get("purposes", ())]
    trigger = (
        "humanitarian"
        if "humanitarian" in purposes
        else "election"
        if "election" in purposes
        else "negotiation"
        if "peace_process" in purposes
        else "other"
    )
    klass = spec.get("ceasefire_class", -1)
    ended = spec.get("ended", -1)
    return {
        "ceasefire_id": str(spec["uniq_id"]),
        "country": spec["country"],
        "declared_on": declared,
        "date_precision": declared_precision,
        "effective_from": effective,
        "effective_precision": effective_precision,
        "effective_to": end,
        "end_precision": end_precision,
        "kind": (
            "unilateral"
            if len(parties) == 1
            else "bilateral"
            if len(actors) == 2
            else "multilateral"
        ),
        "declarer_side": parties.pop() if len(parties) == 1 else "both",
        "declared_by": "; ".join(sorted({a[0] for a in actors})),
        "ucdp_actor_ids": _joined([a[2] for a in actors]),
        "ucdp_dyad_ids": _joined([a[3] for a in actors]),
        "ucdp_conflict_ids": _joined([a[4] for a in actors]),
        "purposes": ";".join(purposes),
        "trigger": trigger,
        "mediators": _mediators([spec.get("mediators", "0")]),
        "ceasefire_class": None if klass == -1 else klass,
        "ended": None if ended == -1 else ended,
        "n_declaring_actors": len(actors),
        "declaring_sides": ";".join(str(s) for s in sorted(a[1] for a in actors)),
        "skipped": declared is None,
    }


# --- generated ceasefires --------------------------------------------------------------------


def _blur(date: pd.Timestamp, rng: np.random.Generator, p_month: float, p_year: float) -> tuple:
    draw = rng.random()
    if draw < p_year:
        return (date.year, -1, -1)
    if draw < p_year + p_month:
        return (date.year, date.month, -1)
    return (date.year, date.month, date.day)


def _actor_counts(rng: np.random.Generator, n_ceasefires: int, n_rows: int | None) -> np.ndarray:
    sizes, weights = [1, 2, 3, 4, 6, 16], [0.5, 0.38, 0.06, 0.03, 0.02, 0.01]
    counts = rng.choice(sizes, size=n_ceasefires, p=weights)
    if n_rows is None:
        return counts
    if not n_ceasefires <= n_rows <= 16 * n_ceasefires:
        raise ValueError("n_rows must lie between n_ceasefires and 16 x n_ceasefires")
    # Nudge single ceasefires up or down one actor at a time until the rows add up.
    while counts.sum() != n_rows:
        step = 1 if counts.sum() < n_rows else -1
        room = np.flatnonzero(counts < 16) if step > 0 else np.flatnonzero(counts > 1)
        counts[rng.choice(room)] += step
    return counts


def generated_specs(
    n_ceasefires: int,
    countries: Sequence[str],
    seed: int,
    n_rows: int | None = None,
    first_year: int = 1990,
    last_year: int = 2020,
    taken: frozenset[int] = frozenset(),
) -> list[dict[str, Any]]:
    """Random ceasefire descriptions with the published file's quirks.

    Parameters
    ----------
    n_ceasefires : int
        Ceasefires to describe.
    countries : sequence of str
        Countries they fall in (drawn at random, each at least once when there is room).
    seed : int
        Random seed.
    n_rows : int, optional
        Total actor rows to spread over the ceasefires (1-16 each); drawn when None.
    first_year, last_year : int
        Span of the declaration dates.
    taken : frozenset of int
        uniq_id values already used (by given ceasefires); generated ones skip them.

    Returns
    -------
    list of dict
        One description per ceasefire, as :func:`write_ethprio_csv` takes them.
    """
    rng = np.random.default_rng(seed)
    counts = _actor_counts(rng, n_ceasefires, n_rows)
    country_of = np.resize(np.arange(len(countries)), n_ceasefires)
    rng.shuffle(country_of)
    next_id = dict.fromkeys(countries, 0)
    span_days = (pd.Timestamp(last_year, 12, 31) - pd.Timestamp(first_year, 1, 1)).days
    specs = []
    for n_actors, k in zip(counts, country_of, strict=True):
        country = countries[k]
        cc = country_code(country, countries)
        next_id[country] += 1
        while cc * 1000 + next_id[country] in taken:
            next_id[country] += 1
        conflict = cc * 10 + 1
        declared = pd.Timestamp(first_year, 1, 1) + pd.Timedelta(days=int(rng.integers(span_days)))
        shape = rng.random()
        if n_actors == 1:
            if shape < 0.6:
                actors = [(government(country), 1, cc * 100, -1, conflict)]
            else:
                g = int(rng.integers(1, 6))
                actors = [
                    (rebel(country, g), 2, cc * 100 + g, dyad_id(country, g, countries), conflict)
                ]
        else:
            groups = rng.choice(np.arange(1, 40), size=n_actors, replace=False)
            with_government = shape < 0.85
            actors = []
            for i, g in enumerate(groups):
                if with_government and i == 0:
                    dyad = dyad_id(country, int(groups[1]), countries)
                    actors.append((government(country), 1, cc * 100, dyad, conflict))
                    continue
                dyad = -1 if rng.random() < 0.1 else dyad_id(country, int(g), countries)
                side = -1 if rng.random() < 0.03 else 2
                actors.append((rebel(country, int(g)), side, cc * 100 + int(g), dyad, conflict))
        lag = int(rng.integers(-3, 4)) if rng.random() < 0.3 else 0
        effective = declared + pd.Timedelta(days=lag)
        declared_parts = _blur(declared, rng, 0.12, 0.03)
        effective_parts = NO_DATE if rng.random() < 0.1 else _blur(effective, rng, 0.1, 0.02)
        if rng.random() < 0.03:
            declared_parts = (-1, -1, -1)
            effective_parts = (effective.year, effective.month, effective.day)
        if rng.random() < 0.01:
            declared_parts, effective_parts = (-1, -1, -1), NO_DATE
        end_draw = rng.random()
        ends = effective + pd.Timedelta(days=int(rng.integers(5, 200)))
        end = (
            NO_END
            if end_draw < 0.3
            else NO_DATE
            if end_draw < 0.5
            else (ends.year, ends.month, -1)
            if end_draw < 0.6
            else (ends.year, ends.month, ends.day)
        )
        declared_by_row = None
        if n_actors > 1 and rng.random() < 0.3 and declared_parts[2] > 0:
            later = declared + pd.Timedelta(days=int(rng.integers(1, 4)))
            declared_by_row = [declared_parts] + [
                (later.year, later.month, later.day) for _ in range(n_actors - 1)
            ]
        specs.append(
            {
                "country": country,
                "cc": cc,
                "cf_id": next_id[country],
                "uniq_id": cc * 1000 + next_id[country],
                "declared": declared_parts,
                "declared_by_row": declared_by_row,
                "effective": effective_parts,
                "end": end,
                "actors": actors,
                "mediators": MEDIATOR_TEXTS[int(rng.integers(len(MEDIATOR_TEXTS)))],
                "purposes": tuple(p for p in PURPOSES if rng.random() < 0.2),
                "ceasefire_class": int(rng.choice([-1, 1, 2, 3])),
                "ended": int(rng.choice([-1, 0, 1, 2, 3, 4])),
                "partial": int(rng.random() < 0.1),
            }
        )
    return specs


def _actor_rows(spec: dict[str, Any], rng: np.random.Generator) -> list[dict[str, str]]:
    declared_rows = spec.get("declared_by_row") or [spec["declared"]] * len(spec["actors"])
    purposes = set(spec.get("purposes", ()))
    rows = []
    for i, (name, side, actor_id, dyad, conflict) in enumerate(spec["actors"]):
        dec, eff, end = declared_rows[i], spec.get("effective", NO_DATE), spec.get("end", NO_END)
        row = dict.fromkeys(ETHPRIO_COLUMNS, "")
        row.update(
            {
                "cc": str(spec["cc"]),
                "cf_id": str(spec["cf_id"]),
                "uniq_id": str(spec["uniq_id"]),
                "location": spec["country"],
                "region": "3",
                "link": str(int(rng.integers(0, 2))),
                "ucdp_actor_id": str(actor_id),
                "actor_name": name,
                "ucdp_acd_id": str(conflict),
                "ucdp_dyad": str(dyad),
                "pax_id": "-1",
                "cf_dec_yr": str(dec[0]),
                "cf_dec_month": str(dec[1]),
                "cf_dec_day": str(dec[2]),
                "cf_effect_yr": str(eff[0]),
                "cf_effect_month": str(eff[1]),
                "cf_effect_day": str(eff[2]),
                "evidence_onset": "Made-up report, page 1",
                "side": str(side),
                "partial": str(spec.get("partial", 0)),
                "written": str(int(rng.integers(-1, 2))),
                "fixed": "0",
                "fixed_time": "",
                "nsa_frac": "0",
                **{flag: str(int(p in purposes)) for flag, p in PURPOSE_FLAGS.items()},
                "p_other_comment": "made-up, with a comma" if "other" in purposes else "",
                "ceasefire_class": str(spec.get("ceasefire_class", -1)),
                "timing": str(int(rng.integers(-1, 3))),
                "cf_pp": "0",
                "mediator_nego": "0" if spec.get("mediators", "0") == "0" else "1",
                "mediator_send": spec.get("mediators", "0"),
                "implement": "-1",
                "enforcement": "0",
                "ddr": "0",
                "splinter": "0",
                "ended": str(spec.get("ended", -1)),
                "end_yr": str(end[0]),
                "end_month": str(end[1]),
                "end_day": str(end[2]),
                "evidence_end": "",
                "comment": 'Invented row: "quoted", with commas, for tests',
                "factivia_source": "Made-up Wire",
                "factivia_page": str(int(rng.integers(1, 99))),
                "truce": "0",
                "recentadditions": "0",
                "link_id1": str(spec["uniq_id"]) if rng.random() < 0.2 else "",
                "coder": "XX",
                "id": "",
            }
        )
        rows.append(row)
    return rows


def write_ethprio_csv(
    path: Path,
    ceasefires: list[dict[str, Any]] | None = None,
    *,
    n_ceasefires: int = 40,
    countries: Sequence[str] = ("Myanmar (Burma)", "Colombia"),
    n_rows: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Write made-up ceasefires in the published ETH/PRIO layout; return the expected table.

    Parameters
    ----------
    path : pathlib.Path
        The CSV to write (UTF-8 with a byte-order mark, as published).
    ceasefires : list of dict, optional
        Ceasefires to write before the generated ones. Keys: ``country``, ``uniq_id``
        (optional: ``cc`` x 1000 + ``cf_id``), ``declared``, ``effective`` and ``end`` as
        (year, month, day) with -1 unknown and 0 not applicable, ``actors`` as
        (name, side, ucdp_actor_id, ucdp_dyad, ucdp_acd_id) tuples, and optional
        ``declared_by_row``, ``mediators`` (mediator_send text), ``purposes``,
        ``ceasefire_class``, ``ended``, ``partial``.
    n_ceasefires : int, default 40
        Generated ceasefires added after the given ones (0 for none).
    countries : sequence of str
        Countries of the generated ceasefires (UCDP names).
    n_rows : int, optional
        Total actor rows of the generated ceasefires (e.g. 4,091 for the published size).
    seed : int, default 0
        Random seed; the actor rows are shuffled with it too.

    Returns
    -------
    pandas.DataFrame
        One row per ceasefire: what the loader should return (columns of
        :func:`expected_row`), with ``skipped`` True for a ceasefire without any date.
    """
    rng = np.random.default_rng(seed + 1)
    given = []
    for spec in ceasefires or []:
        spec = dict(spec)
        spec.setdefault("cc", country_code(spec["country"], countries))
        spec.setdefault("cf_id", int(rng.integers(500, 999)))
        spec.setdefault("uniq_id", spec["cc"] * 1000 + spec["cf_id"])
        given.append(spec)
    taken = frozenset(spec["uniq_id"] for spec in given)
    generated = generated_specs(n_ceasefires, countries, seed, n_rows, taken=taken)
    specs = given + (generated if n_ceasefires else [])
    rows = [row for spec in specs for row in _actor_rows(spec, rng)]
    # Scatter a fifth of the rows, so actor rows of one ceasefire are not always adjacent.
    order = np.arange(len(rows))
    moved = rng.choice(len(rows), size=len(rows) // 5, replace=False)
    order[np.sort(moved)] = rng.permutation(moved)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ETHPRIO_COLUMNS))
        writer.writeheader()
        writer.writerows(rows[i] for i in order)
    truth = pd.DataFrame([expected_row(spec) for spec in specs])
    for column in ("declared_on", "effective_from", "effective_to"):
        truth[column] = pd.to_datetime(truth[column])
    return truth


# --- UCDP GED ----------------------------------------------------------------------------------


def ged_dyads(truth: pd.DataFrame) -> dict[int, str]:
    """Dyad id -> country of every dyad the expected ceasefire table names."""
    pairs = (
        truth[["ucdp_dyad_ids", "country"]]
        .assign(dyad=truth["ucdp_dyad_ids"].str.split(";"))
        .explode("dyad")
    )
    pairs = pairs[pairs["dyad"].fillna("") != ""]
    return {int(d): country for d, country in zip(pairs["dyad"], pairs["country"], strict=True)}


def write_ged_csv(
    path: Path,
    events: pd.DataFrame | None = None,
    *,
    dyads: Mapping[int, str] | None = None,
    start: str = "2018-01-01",
    end: str = "2020-12-31",
    rate: float = 0.3,
    seed: int = 0,
) -> pd.DataFrame:
    """Write made-up events in the 49-column UCDP GED layout.

    Parameters
    ----------
    path : pathlib.Path
        The CSV to write (with GED's header row).
    events : pandas.DataFrame, optional
        Events to write, with at least ``dyad_new_id``, ``country`` and ``date_start``
        (other GED fields are filled in). When None, events are drawn: for each dyad a
        Poisson number per day (mean ``rate``), plus one-sided violence on other dyad ids.
    dyads : mapping of int to str, optional
        Dyad id -> country (UCDP name) of the drawn events.
    start, end : str
        First and last day of the drawn events.
    rate : float, default 0.3
        Mean events per dyad and day.
    seed : int, default 0
        Random seed.

    Returns
    -------
    pandas.DataFrame
        The events written: id, dyad_new_id, country, date_start (Timestamp),
        type_of_violence, side_a, side_b, best.
    """
    rng = np.random.default_rng(seed)
    if events is None:
        days = pd.date_range(start, end, freq="D")
        parts = []
        one_sided = {
            9_000_000 + i: country for i, country in enumerate(sorted(set(dyads.values())))
        }
        for dyad, country in {**dict(dyads or {}), **one_sided}.items():
            counts = rng.poisson(rate, len(days))
            parts.append(
                pd.DataFrame(
                    {
                        "dyad_new_id": dyad,
                        "country": country,
                        "date_start": np.repeat(days.to_numpy(), counts),
                        "type_of_violence": 3 if dyad in one_sided else 1,
                    }
                )
            )
        events = pd.concat(parts, ignore_index=True)
    events = events.copy()
    events["date_start"] = pd.to_datetime(events["date_start"])
    if "type_of_violence" not in events:
        events["type_of_violence"] = 1
    events["side_a"] = "Government of " + events["country"].astype(str)
    events["side_b"] = np.where(
        events["type_of_violence"] == 3,
        "Civilians",
        "Made-up Front (dyad " + events["dyad_new_id"].astype(str) + ")",
    )
    events["best"] = rng.integers(0, 6, len(events))
    events = events.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    events["id"] = np.arange(1, len(events) + 1) + 700_000
    table = pd.DataFrame({column: "" for column in GED_COLUMNS}, index=events.index)
    day_text = events["date_start"].dt.strftime("%Y-%m-%d")
    table["id"] = events["id"].astype(str)
    table["relid"] = "MADEUP-" + table["id"]
    table["year"] = events["date_start"].dt.year.astype(str)
    table["active_year"] = "1"
    table["code_status"] = "Clear"
    table["type_of_violence"] = events["type_of_violence"].astype(str)
    table["dyad_new_id"] = events["dyad_new_id"].astype(str)
    table["dyad_name"] = events["side_a"] + " - " + events["side_b"]
    table["side_a"] = events["side_a"]
    table["side_b"] = events["side_b"]
    table["number_of_sources"] = "1"
    table["source_headline"] = "Made-up headline, for tests"
    table["where_prec"] = "1"
    table["adm_1"] = "Made-up province"
    table["latitude"] = "10.5"
    table["longitude"] = "20.5"
    table["country"] = events["country"]
    table["date_prec"] = "1"
    table["date_start"] = day_text + " 00:00:00.000"
    table["date_end"] = day_text + " 00:00:00.000"
    table["deaths_civilians"] = "0"
    table["best"] = events["best"].astype(str)
    table["high"] = table["best"]
    table["low"] = table["best"]
    table.to_csv(path, index=False)
    return events[
        [
            "id",
            "dyad_new_id",
            "country",
            "date_start",
            "type_of_violence",
            "side_a",
            "side_b",
            "best",
        ]
    ]
