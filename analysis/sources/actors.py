"""Actor registry and named strike definitions.

This module owns ``data/curated/actors.csv`` (loading, alias checks, resolving raw names to
canonical actors and sides) and ``data/curated/strike_definitions.yml`` (loading, checking
and applying a named definition).

"A strike" must mean what the researcher says. Resistance forces fly drones too, so junta air
strikes are defined by *who* struck (the actor's side), not by event type alone. This module
maps the raw actor names each source writes to canonical actors and sides
(``data/curated/actors.csv``) and applies the documented, named definitions in
``data/curated/strike_definitions.yml``.

Matching rules, in order (first hit wins):

1. exact alias: the raw name equals an alias or an ``actor_id``;
2. pattern alias: an alias written ``re:<regex>`` matches the start of the raw name; rows are
   tried in file order, which is why pro-junta militias come before the military (ACLED
   writes militia sub-units as "Military Forces of Myanmar (2021-) People's Militia Force");
3. acronym prefix: ACLED writes many non-state actors as "ACRONYM: Full name"; the text
   before the first ':' is looked up as an exact alias.

Unmapped names are never dropped: the canonical actor stays the raw name and the side falls
back to what the loader knew (ACLED inter codes, UCDP conventions, else 'other'). They are
listed by :func:`unmapped_report` and in ``events.attrs['unmapped']``.

Actors named in the bundled UCDP aggregate but left out of the registry because no source
was found for them (they stay unmapped and show up in the audit): 'Buddhists (Myanmar)',
'Muslims (Myanmar)', 'MDA', 'MDA - LM', ABSDF, NSCN-K, RSO, NMSP, "God's Army", BMA.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis import contract as c
from analysis import paths
from analysis.sources.columns import SharedRecords, category_codes, take_strings
from analysis.sources.validate import read_table

REGISTRY_FILE = "actors.csv"
DEFINITIONS_FILE = "strike_definitions.yml"
ACRONYM_SEPARATOR = ":"
UNMAPPED_ATTR = "unmapped"
DEFINITION_KEYS = ("description", "sources", "include")
OPTIONAL_DEFINITION_KEYS = ("label", "exclude", "caveats")

PathLike = str | os.PathLike[str]


# --- Registry ------------------------------------------------------------------------------


def load_registry(path: PathLike | None = None) -> pd.DataFrame:
    """The actor registry, validated against ``contract.ACTORS`` (unique ids, sides, URLs).

    Parameters
    ----------
    path : str or os.PathLike, optional
        The registry CSV; by default ``actors.csv`` in the curated data folder.

    Returns
    -------
    pandas.DataFrame
        The registry in contract dtypes (``contract.ACTORS``): actor_id, aliases (';'-joined,
        ``re:`` for patterns), side, alliance, patron_or_broker_ties, source_url, note.

    Raises
    ------
    analysis.contract.DataContractError
        When the file is missing or breaks the contract, when one alias names two actors, or when a
        ``re:`` pattern does not compile (naming the file lines).
    """
    path = Path(path) if path else paths.curated_path(REGISTRY_FILE)
    registry = read_table(path, c.ACTORS)
    _check_aliases(registry, path)
    return registry


def _split_aliases(registry: pd.DataFrame) -> pd.DataFrame:
    """Long table (actor_id, alias, order) with one row per alias, actor_id included."""
    aliases = registry[c.AC_ALIASES].fillna("").str.split(c.LIST_SEPARATOR)
    long = (
        pd.DataFrame(
            {c.AC_ID: registry[c.AC_ID], "alias": aliases, "order": np.arange(len(registry))}
        )
        .explode("alias")
        .assign(alias=lambda f: f["alias"].str.strip())
    )
    own = pd.DataFrame(
        {c.AC_ID: registry[c.AC_ID], "alias": registry[c.AC_ID], "order": np.arange(len(registry))}
    )
    long = pd.concat([own, long[long["alias"] != ""]], ignore_index=True)
    return long.drop_duplicates(subset=[c.AC_ID, "alias"])


def _check_aliases(registry: pd.DataFrame, path: Path) -> None:
    """One alias must not point at two actors, and every pattern must compile."""
    long = _split_aliases(registry)
    exact = long[~long["alias"].str.startswith(c.ACTOR_REGEX_PREFIX)]
    clash = exact.groupby("alias")[c.AC_ID].nunique()
    if (clash > 1).any():
        names = clash[clash > 1].index.tolist()
        owners = exact[exact["alias"].isin(names)]
        rows = [int(i) + 2 for i in owners["order"].unique()]
        raise c.DataContractError(path, c.AC_ALIASES, rows, f"alias(es) {names} name two actors")
    patterns = long[long["alias"].str.startswith(c.ACTOR_REGEX_PREFIX)]
    for alias, order in zip(patterns["alias"], patterns["order"], strict=True):
        try:
            re.compile(alias[len(c.ACTOR_REGEX_PREFIX) :])
        except re.error as exc:
            raise c.DataContractError(
                path, c.AC_ALIASES, [int(order) + 2], f"bad pattern {alias!r}: {exc}"
            ) from None


def resolve_names(names: pd.Series | pd.Index, registry: pd.DataFrame) -> pd.Series:
    """Canonical actor_id for each distinct raw name (NA where no rule matches).

    Works on distinct names (a few thousand even for millions of events), so callers map the
    result back through categorical codes instead of matching every row.

    Parameters
    ----------
    names : pandas.Series or pandas.Index
        Raw actor names (repeats allowed).
    registry : pandas.DataFrame
        The actor registry (:func:`load_registry`).

    Returns
    -------
    pandas.Series
        actor_id (or NA) indexed by distinct raw name.
    """
    unique = pd.Index(pd.Series(names, dtype="string").dropna().unique())
    result = pd.Series(pd.NA, index=unique, dtype="string")
    long = _split_aliases(registry)
    is_pattern = long["alias"].str.startswith(c.ACTOR_REGEX_PREFIX)
    exact = dict(zip(long.loc[~is_pattern, "alias"], long.loc[~is_pattern, c.AC_ID], strict=True))
    text = pd.Series(unique, index=unique, dtype="string")
    result = result.fillna(text.map(exact).astype("string"))
    # Patterns in registry order; each only fills names still unresolved, so the first
    # matching row wins.
    for alias, actor_id in zip(
        long.loc[is_pattern, "alias"], long.loc[is_pattern, c.AC_ID], strict=True
    ):
        todo = result.isna()
        if not todo.any():
            break
        hit = text[todo].str.match(alias[len(c.ACTOR_REGEX_PREFIX) :]).fillna(False).astype(bool)
        result.loc[hit[hit].index] = actor_id
    acronym = text.str.split(ACRONYM_SEPARATOR, n=1).str[0].str.strip()
    has_acronym = text.str.contains(ACRONYM_SEPARATOR, regex=False).fillna(False).astype(bool)
    result = result.fillna(acronym.where(has_acronym).map(exact).astype("string"))
    return result


def _as_category(values: pd.Series) -> pd.Series:
    return values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")


def _codes_with_values(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per-row codes (-1 = NA) and the distinct values (object array) of a column."""
    raw = _as_category(values)
    return category_codes(raw), raw.cat.categories.astype("string").to_numpy(dtype=object)


def canonicalise(events: pd.DataFrame, registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fill actor/target canonical names and sides from the raw names via the registry.

    Mapped names get the registry's actor_id and side. Unmapped names keep the raw name as
    the canonical one and the side already in the table (the loader's fallback), or 'other'
    for an actor with none. Nothing is dropped; ``attrs['unmapped']`` lists the unmapped
    names (see :func:`unmapped_report`).

    Parameters
    ----------
    events : pandas.DataFrame
        An EVENTS table with actor_raw and target_raw (actor_side / target_side, when present, hold
        the loader's fallback sides).
    registry : pandas.DataFrame, optional
        The actor registry (:func:`load_registry`); loaded from the curated folder when None.

    Returns
    -------
    pandas.DataFrame
        A copy of ``events`` with actor, actor_side, target and target_side filled in (raw name
        columns unchanged); ``attrs['unmapped']`` holds the records of :func:`unmapped_report`.
    """
    registry = load_registry() if registry is None else registry
    side_by_id = dict(zip(registry[c.AC_ID], registry[c.AC_SIDE], strict=True))
    out = events.copy()
    roles = (
        (c.EV_ACTOR_RAW, c.EV_ACTOR, c.EV_ACTOR_SIDE, "other"),
        (c.EV_TARGET_RAW, c.EV_TARGET, c.EV_TARGET_SIDE, "other"),
    )
    for raw_col, canon_col, side_col, default_side in roles:
        # Work on distinct names and distinct fallback sides: a categorical column (as the
        # ACLED reader delivers) is used as it is, text is factorised once; each output
        # column is decoded from codes once.
        raw = _as_category(out[raw_col])
        categories = pd.Index(raw.cat.categories.astype("string"))
        codes = category_codes(raw)
        ids = resolve_names(categories, registry).reindex(categories)
        canonical = ids.fillna(pd.Series(categories, index=categories, dtype="string"))
        mapped_side = ids.map(side_by_id).astype("string")
        out[raw_col] = raw
        out[canon_col] = take_strings(canonical.to_numpy(), codes)
        if side_col in out:
            fallback_codes, fallback_values = _codes_with_values(out[side_col])
        else:
            fallback_codes = np.full(len(out), -1)
            fallback_values = np.array([], dtype=object)
        # Side vocabulary: registry side per raw name, then the fallback sides, then the
        # default; each row points at the first of these it has.
        vocabulary = np.concatenate(
            [
                mapped_side.to_numpy(dtype=object, na_value=None),
                fallback_values,
                np.array([default_side], dtype=object),
            ]
        )
        has_registry_side = np.append(mapped_side.notna().to_numpy(dtype=bool), False)[codes]
        fallback = np.where(
            fallback_codes >= 0, len(categories) + fallback_codes, len(vocabulary) - 1
        )
        side_codes = np.where(has_registry_side, codes, fallback)
        side_codes[codes < 0] = -1
        out[side_col] = take_strings(vocabulary, side_codes)
    out.attrs = dict(events.attrs)
    out.attrs[UNMAPPED_ATTR] = SharedRecords(
        unmapped_report(out, registry).to_dict(orient="records")
    )
    for raw_col, *_ in roles:
        raw = out[raw_col]
        out[raw_col] = take_strings(
            raw.cat.categories.astype("string").to_numpy(), category_codes(raw)
        )
    return out


def unmapped_report(events: pd.DataFrame, registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """Raw actor/target names the registry does not map, with how many rows and events
    they carry and the side they fell back to. Empty when everything is mapped.

    Parameters
    ----------
    events : pandas.DataFrame
        An EVENTS table (actor_raw, target_raw, actor_side, target_side, events).
    registry : pandas.DataFrame, optional
        The actor registry (:func:`load_registry`); loaded from the curated folder when None.

    Returns
    -------
    pandas.DataFrame
        One row per unmapped raw name and role, sorted by events (descending) then name:

        * role: 'actor' or 'target';
        * raw_name: the name as the source wrote it;
        * rows: rows of ``events`` carrying it;
        * events: sum of the events column over those rows;
        * fallback_side: the side(s) those rows fell back to, ';'-joined ('other' when none).
    """
    registry = load_registry() if registry is None else registry
    columns = ["role", "raw_name", "rows", "events", "fallback_side"]
    parts = []
    for role, raw_col, side_col in (
        ("actor", c.EV_ACTOR_RAW, c.EV_ACTOR_SIDE),
        ("target", c.EV_TARGET_RAW, c.EV_TARGET_SIDE),
    ):
        raw = _as_category(events[raw_col])
        categories = pd.Index(raw.cat.categories.astype("string"))
        codes = category_codes(raw)
        unmapped = resolve_names(categories, registry).reindex(categories).isna().to_numpy()
        if not unmapped.any():
            continue
        rows = (codes >= 0) & np.append(unmapped, False)[codes]
        # Count per (name, side) pair on integer codes; only the few distinct pairs become
        # Python strings.
        side_codes, side_values = _codes_with_values(events[side_col])
        sides = np.append(pd.Series(side_values, dtype="string").fillna("other"), "other")
        pair = pd.DataFrame(
            {
                "name": codes[rows],
                "side": np.where(side_codes[rows] >= 0, side_codes[rows], len(sides) - 1),
                "events": events[c.EV_EVENTS].to_numpy()[rows].astype("int64"),
            }
        )
        counted = pair.groupby(["name", "side"]).agg(
            rows=("events", "size"), events=("events", "sum")
        )
        counted = counted.reset_index()
        sub = pd.DataFrame(
            {
                "raw_name": categories[counted["name"].to_numpy()],
                "rows": counted["rows"].to_numpy(),
                "events": counted["events"].to_numpy(),
                "fallback_side": sides[counted["side"].to_numpy()],
            }
        )
        grouped = sub.groupby("raw_name", observed=True).agg(
            rows=("rows", "sum"),
            events=("events", "sum"),
            fallback_side=("fallback_side", lambda s: ";".join(sorted(set(s)))),
        )
        parts.append(grouped.reset_index().assign(role=role))
    if not parts:
        return pd.DataFrame({col: pd.Series(dtype="object") for col in columns})
    report = pd.concat(parts, ignore_index=True)[columns]
    return report.sort_values(["events", "raw_name"], ascending=[False, True], ignore_index=True)


# --- Strike definitions --------------------------------------------------------------------


def load_strike_definitions(path: PathLike | None = None) -> dict[str, dict[str, Any]]:
    """The named strike definitions, checked: known sources, EVENTS columns and vocabularies.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The YAML file; by default ``strike_definitions.yml`` in the curated data folder.

    Returns
    -------
    dict of str to dict
        Definition name -> mapping with description, sources, include (column -> allowed values) and
        optionally label, exclude and caveats.

    Raises
    ------
    analysis.contract.DataContractError
        When the file is missing or not YAML, has no non-empty ``definitions`` mapping, or a
        definition has missing or unknown keys, unknown sources, unknown EVENTS columns, empty value
        lists or values outside a column's vocabulary.
    """
    path = Path(path) if path else paths.curated_path(DEFINITIONS_FILE)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise c.DataContractError(path, None, [], "file not found") from None
    except yaml.YAMLError as exc:
        raise c.DataContractError(path, None, [], f"not valid YAML: {exc}") from None
    definitions = document.get("definitions") if isinstance(document, dict) else None
    if not isinstance(definitions, dict) or not definitions:
        raise c.DataContractError(path, None, [], "expected a non-empty 'definitions' mapping")
    for name, definition in definitions.items():
        _check_definition(name, definition, path)
    return definitions


def _check_definition(name: str, definition: Any, path: Path) -> None:
    def fail(problem: str) -> None:
        raise c.DataContractError(path, None, [], f"definition {name!r}: {problem}")

    if not isinstance(definition, dict):
        fail("must be a mapping")
    missing = [k for k in DEFINITION_KEYS if k not in definition]
    unknown = [k for k in definition if k not in DEFINITION_KEYS + OPTIONAL_DEFINITION_KEYS]
    if missing or unknown:
        fail(f"missing keys {missing}, unknown keys {unknown}")
    bad_sources = [s for s in definition["sources"] if s not in c.EVENT_SOURCES]
    if bad_sources:
        fail(f"unknown source(s) {bad_sources}; known {list(c.EVENT_SOURCES)}")
    for key in ("include", "exclude"):
        filters = definition.get(key) or {}
        if not isinstance(filters, dict):
            fail(f"'{key}' must map EVENTS columns to lists of values")
        for column, values in filters.items():
            if column not in c.EVENTS.column_names:
                fail(f"'{key}' uses unknown column {column!r}")
            if not isinstance(values, list) or not values:
                fail(f"'{key}.{column}' must be a non-empty list")
            allowed = c.EVENTS.column(column).allowed
            if allowed is not None and any(v not in allowed for v in values):
                fail(f"'{key}.{column}' has values outside {list(allowed)}")


def strike_mask(events: pd.DataFrame, definition: Mapping[str, Any]) -> pd.Series:
    """Boolean mask of the events a definition counts (include all, then exclude any).

    Parameters
    ----------
    events : pandas.DataFrame
        Canonical EVENTS rows.
    definition : mapping
        One strike definition (its ``include`` and ``exclude`` filters).

    Returns
    -------
    pandas.Series
        Boolean, on the events' index.
    """
    keep = pd.Series(True, index=events.index)
    for column, values in (definition.get("include") or {}).items():
        keep &= events[column].isin(values).fillna(False).astype(bool)
    for column, values in (definition.get("exclude") or {}).items():
        keep &= ~events[column].isin(values).fillna(False).astype(bool)
    return keep


def apply_strike_definition(
    events: pd.DataFrame,
    name: str,
    definitions: Mapping[str, Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """Keep only the events the named definition counts as strikes.

    Fails clearly on an unknown name (listing the known ones), on events from a source the
    definition does not apply to, and when the definition matches no rows (a silent zero
    would read as "no strikes").

    Parameters
    ----------
    events : pandas.DataFrame
        A canonicalised EVENTS table (:func:`canonicalise`).
    name : str
        The definition's name, a key of ``strike_definitions.yml``.
    definitions : mapping, optional
        Definitions as :func:`load_strike_definitions` returns them; loaded when None.

    Returns
    -------
    pandas.DataFrame
        The rows of ``events`` the definition counts (same columns); ``attrs['strike_definition']``
        names the definition.

    Raises
    ------
    ValueError
        For an unknown definition name, events from a source the definition does not cover, or a
        definition that matches none of the events.
    """
    definitions = load_strike_definitions() if definitions is None else definitions
    if name not in definitions:
        raise ValueError(f"unknown strike definition {name!r}; known: {sorted(definitions)}")
    definition = definitions[name]
    present = sorted(events[c.EV_SOURCE].dropna().unique().tolist())
    wrong = [s for s in present if s not in definition["sources"]]
    if wrong:
        raise ValueError(
            f"strike definition {name!r} applies to sources {definition['sources']}, "
            f"but the events come from {wrong}"
        )
    keep = strike_mask(events, definition)
    if not keep.any():
        raise ValueError(
            f"strike definition {name!r} matches none of the {len(events)} events from "
            f"source(s) {present}; check the actor registry and the definition's filters "
            f"{ {k: definition.get(k) for k in ('include', 'exclude')} }"
        )
    selected = events.loc[keep]
    selected.attrs = {**events.attrs, "strike_definition": name}
    return selected
