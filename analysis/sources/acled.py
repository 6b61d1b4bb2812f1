"""ACLED exports (CSV) and API pulls (JSON) -> the canonical EVENTS table.

This module owns everything ACLED-specific: the accepted file layouts, the mapping onto
EVENTS (categories, sides from inter codes, duplicate ids), the API client
(:func:`fetch_acled`) and the attribution ACLED's terms require (:func:`attribution`).
Column parsing shared with UCDP lives in :mod:`analysis.sources.columns`.

ACLED is the standard source for Myanmar air strikes (sub_event_type 'Air/drone strike').
Its terms forbid redistributing rows, so files live under the git-ignored ``data/raw/`` and
only aggregates reach notebooks and HTML.

Layouts accepted: the current 31-column export (with disorder_type, civilian_targeting,
tags) and older files (with event_id_no_cnty, data_id, iso3). Quirks handled, all vectorised:

* event_date as '2025-05-16', '16 May 2025' or '7-Feb-25' (formats tried in that order on
  the still-unparsed values; values matching none raise a DataContractError naming the rows);
* API JSON with every field a string and missing values as '';
* inter1/inter2 as text ('State forces') or codes (1-8);
* time_precision 1/2/3 -> day/week/month.

Mapping choices (documented for readers of the results):

* category from sub_event_type, else event_type (see :data:`SUB_EVENT_CATEGORY`); a battle
  between two non-state actors becomes non_state_conflict, like UCDP type 2;
* actor = actor1, target = actor2; associated actors (assoc_actor_*) are not used to decide
  who struck;
* civilian_fatalities: ACLED does not split fatalities by victim type, so it is NA, except
  for events flagged civilian_targeting = 'Civilian targeting', where all reported fatalities
  are taken as civilian (an approximation: an upper bound for those events);
* rows repeating an event_id_cnty are dropped, keeping the row with the latest timestamp
  (ACLED revises events after publication); the drop is reported in ``attrs['dropped']``.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analysis import contract as c
from analysis import paths
from analysis.sources import actors, cache, http
from analysis.sources.columns import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    admin1_names,
    category_parts,
    equals_text,
    map_categories,
    number_parts,
    parse_dates,
    parse_numbers,
    rows_with_codes,
    share_attrs,
    spread,
    take_strings,
    vocabulary_codes,
)
from analysis.sources.validate import (
    CSV_HEADER_LINES,
    conform_events,
    csv_read_error,
    not_utf8_error,
    validate_frame,
)

SOURCE = "acled"
LOADER_VERSION = "acled-2"

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
"""The current 31-column export layout, in order."""

OLDER_LAYOUT_ONLY = ("event_id_no_cnty", "data_id", "iso3")
NEWER_LAYOUT_ONLY = ("disorder_type", "civilian_targeting", "tags")

REQUIRED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "inter1", "actor2", "inter2", "admin1", "latitude", "longitude", "fatalities",
)  # fmt: skip
OPTIONAL_COLUMNS = ("civilian_targeting", "timestamp")
ID_COLUMN = "event_id_cnty"
TIMESTAMP_COLUMN = "timestamp"
PLAIN_TEXT_COLUMNS = (ID_COLUMN, TIMESTAMP_COLUMN)
"""Columns read as plain text rather than dictionary-encoded: nearly every value is distinct,
so a dictionary would only add a hash table the size of the column."""

CIVILIAN_TARGETING_FLAG = "Civilian targeting"
BATTLES = "Battles"

SUB_EVENT_CATEGORY = {
    "Air/drone strike": "air_drone_strike",
    "Shelling/artillery/missile attack": "shelling",
    "Armed clash": "armed_clash",
    "Government regains territory": "armed_clash",
    "Non-state actor overtakes territory": "armed_clash",
    "Attack": "one_sided_violence",
    "Abduction/forced disappearance": "one_sided_violence",
    "Sexual violence": "one_sided_violence",
    "Remote explosive/landmine/IED": "remote_violence_other",
    "Grenade": "remote_violence_other",
    "Suicide bomb": "remote_violence_other",
    "Chemical weapon": "remote_violence_other",
}
EVENT_TYPE_CATEGORY = {
    "Battles": "armed_clash",
    "Explosions/Remote violence": "remote_violence_other",
    "Violence against civilians": "one_sided_violence",
    "Protests": "other",
    "Riots": "other",
    "Strategic developments": "other",
}

# API ------------------------------------------------------------------------------------
BASE_URL_ENV = "ACLED_BASE_URL"
EMAIL_ENV = "ACLED_EMAIL"
PASSWORD_ENV = "ACLED_PASSWORD"
DEFAULT_BASE_URL = "https://acleddata.com"
TOKEN_PATH = "/oauth/token"
READ_PATH = "/api/acled/read"
OAUTH_CLIENT_ID = "acled"
DEFAULT_PAGE_SIZE = 5000
MAX_PAGES = 10_000

PathLike = str | os.PathLike[str]


# --- Reading ---------------------------------------------------------------------------------


def load_acled(path: PathLike, cache_dir: PathLike | bool | None = None) -> pd.DataFrame:
    """An ACLED CSV export or API JSON pull as canonical EVENTS, validated.

    The parsed table is cached as Parquet keyed by the SHA-256 of the file and of the actor
    registry, so a rerun on the same file skips parsing. ``cache_dir=False`` (or
    ``CEASEFIRE_CACHE=off`` in the environment) disables the cache; a damaged cache file is
    reported, deleted and rebuilt (:func:`analysis.sources.cache.cached_frame`).
    ``attrs['dropped']`` lists rows removed and why; ``attrs['unmapped']`` lists actor names
    the registry does not know (kept, with a fallback side), as read-only records.

    Parameters
    ----------
    path : str or os.PathLike
        The ACLED CSV export or API JSON pull.
    cache_dir : str, os.PathLike or bool, optional
        Folder of the Parquet cache; None uses the default, False disables the cache.

    Returns
    -------
    pandas.DataFrame
        Canonical EVENTS rows with ``attrs['dropped']`` and ``attrs['unmapped']``.
    """
    path = Path(path)
    if not path.is_file():
        raise c.DataContractError(path, None, [], "file not found")
    registry_path = paths.curated_path(actors.REGISTRY_FILE)
    return cache.cached_frame(
        SOURCE,
        LOADER_VERSION,
        [path, registry_path],
        lambda: _parse(path, actors.load_registry(registry_path)),
        cache_dir,
    )


def _parse(path: Path, registry: pd.DataFrame) -> pd.DataFrame:
    raw, first_row = read_raw(path)
    events, dropped = raw_to_events(raw, path, first_row)
    events = actors.canonicalise(events, registry)
    # validate_frame reports index + header lines (CSV line numbers); shift the index so the
    # reported rows are first_row-based for JSON records too.
    conformed = conform_events(events)
    conformed.index = events.index + (first_row - (CSV_HEADER_LINES + 1))
    # drop_duplicate_ids has made the ids unique, so pandera need not hash them a second time.
    checked = validate_frame(conformed, c.EVENTS, path, unique_checked=(c.EV_ID,))
    checked = checked.reset_index(drop=True)
    checked.attrs = share_attrs({**events.attrs, "dropped": dropped, "source_file": path.name})
    return checked


def read_raw(path: Path) -> tuple[pd.DataFrame, int]:
    """The columns this loader needs, as categoricals (one entry per distinct value).

    Returns the frame and the number of the first data row in the file (for messages):
    2 for CSV (line 1 is the header), 1 for JSON (1-based records of the data array).

    Parameters
    ----------
    path : pathlib.Path
        The ACLED CSV or JSON file.

    Returns
    -------
    frame : pandas.DataFrame
        The needed columns, categorical.
    first_row : int
        Number of the first data row in the file.
    """
    if path.suffix.lower() == ".json":
        frame, first_row = _read_json(path), 1
    else:
        frame, first_row = _read_csv(path), CSV_HEADER_LINES + 1
    if frame.empty:
        # An empty table would give zero counts everywhere, which reads as "no violence".
        raise c.DataContractError(
            path, None, [], "file has no event rows; check the export's filters"
        )
    return frame, first_row


def _check_layout(columns: Sequence[str], path: Path) -> list[str]:
    missing = [col for col in REQUIRED_COLUMNS if col not in columns]
    if missing:
        raise c.DataContractError(
            path,
            missing[0],
            [],
            f"missing column(s) {missing}: not an ACLED export in a known layout "
            f"(expected the columns {list(ACLED_COLUMNS)})",
        )
    return [col for col in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if col in columns]


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        raise not_utf8_error(path) from None
    if not header:
        raise c.DataContractError(path, None, [], "file is empty (no header row)")
    header = [name.strip() for name in header]
    wanted = _check_layout(header, path)
    # Every needed column except the id and timestamp is dictionary-encoded while reading:
    # dates, actors, regions and even coordinates repeat, so each distinct value is parsed once.
    types = {col: pa.dictionary(pa.int32(), pa.string()) for col in wanted}
    types.update({col: pa.string() for col in PLAIN_TEXT_COLUMNS if col in wanted})
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, use_threads=True),
            # ACLED notes may hold line breaks inside quotes; without this option pyarrow's
            # parallel chunker cuts records in two.
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=wanted,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise csv_read_error(path, exc, len(header)) from None
    frame = table.to_pandas()
    frame.index = pd.RangeIndex(len(frame))
    return frame


def _read_json(path: Path) -> pd.DataFrame:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise not_utf8_error(path) from None
    except json.JSONDecodeError as exc:
        raise c.DataContractError(path, None, [exc.lineno], f"not valid JSON: {exc}") from None
    records = document.get("data") if isinstance(document, dict) else document
    if not isinstance(records, list):
        found = (
            f"an object with keys {sorted(document)[:10]}"
            if isinstance(document, dict)
            else (f"a JSON {type(document).__name__}")
        )
        raise c.DataContractError(
            path,
            None,
            [],
            f"expected a list of event records (or an API response with a 'data' list), "
            f"found {found}",
        )
    not_records = [i + 1 for i, r in enumerate(records) if not isinstance(r, dict)]
    if not_records:
        raise c.DataContractError(
            path,
            None,
            not_records,
            "expected each record to be an object of ACLED fields, found "
            f"{[type(records[i - 1]).__name__ for i in not_records[:3]]}",
        )
    if not records:
        raise c.DataContractError(
            path, None, [], "file has no event rows (empty 'data' list); check the filters"
        )
    frame = pd.DataFrame.from_records(records)
    wanted = _check_layout(list(frame.columns), path)
    # The API sends every field as a string and missing values as ''.
    text = frame[wanted].astype("string").apply(lambda col: col.str.strip()).replace("", pd.NA)
    return text.astype({col: "category" for col in wanted if col not in PLAIN_TEXT_COLUMNS})


# --- Parsing (on distinct values, mapped back through categorical codes) -----------------------


def _inter_parts(
    values: pd.Series, path: Path, first_row: int, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """ACLED actor-type codes per category (float, NaN where blank) and per-row codes, from
    codes or text labels."""
    categories, codes = category_parts(values)
    as_number = pd.to_numeric(categories, errors="coerce")
    as_label = categories.str.lower().map(c.ACLED_INTER_LABELS)
    code = as_number.fillna(as_label).astype("float64")
    invalid = categories.notna() & ~code.isin(list(c.ACLED_INTER_SIDES))
    bad = np.flatnonzero(invalid.to_numpy())
    if len(bad):
        raise c.DataContractError(
            path,
            column,
            rows_with_codes(codes, bad, values.index, first_row),
            f"unknown actor type(s) {categories.iloc[bad].head(3).tolist()}; expected 1-8 or "
            f"{list(c.ACLED_INTER_LABELS)}",
        )
    return code.to_numpy(), codes


SIDE_VOCABULARY = tuple(dict.fromkeys(c.ACLED_INTER_SIDES.values()))
CATEGORY_VOCABULARY = tuple(
    dict.fromkeys(
        [*SUB_EVENT_CATEGORY.values(), *EVENT_TYPE_CATEGORY.values(), "other", "non_state_conflict"]
    )
)


def _sides(inter: tuple[np.ndarray, np.ndarray], index: pd.Index) -> pd.Series:
    """Fallback sides from inter codes, kept categorical until the registry has resolved them."""
    per_category, codes = inter
    labels = pd.Series(per_category).map(c.ACLED_INTER_SIDES)
    row_codes = vocabulary_codes(SIDE_VOCABULARY, labels, codes)
    return pd.Series(pd.Categorical.from_codes(row_codes, list(SIDE_VOCABULARY)), index=index)


def _categories(raw: pd.DataFrame, inter1: np.ndarray, inter2: np.ndarray) -> pd.Series:
    """Event category per row: sub_event_type, else event_type, else 'other'; battles between
    two non-state actors become non_state_conflict. Decided on codes, decoded once."""
    sub_labels, sub_codes = category_parts(raw["sub_event_type"])
    type_labels, type_codes = category_parts(raw["event_type"])
    sub = vocabulary_codes(CATEGORY_VOCABULARY, sub_labels.map(SUB_EVENT_CATEGORY), sub_codes)
    by_type = vocabulary_codes(
        CATEGORY_VOCABULARY, type_labels.map(EVENT_TYPE_CATEGORY), type_codes
    )
    other = CATEGORY_VOCABULARY.index("other")
    code = np.where(sub >= 0, sub, np.where(by_type >= 0, by_type, other))
    # A battle between two non-state actors is what UCDP calls non-state conflict.
    both_non_state = (inter1 != 1) & (inter2 != 1) & ~np.isnan(inter2)
    is_battle = equals_text(raw["event_type"], BATTLES)
    code[is_battle & both_non_state] = CATEGORY_VOCABULARY.index("non_state_conflict")
    return pd.Series(take_strings(np.array(CATEGORY_VOCABULARY), code), index=raw.index)


def raw_to_events(
    raw: pd.DataFrame, path: Path, first_row: int
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Canonical (pre-registry) events plus the list of dropped-row reports.

    Columns are worked on per distinct value and spread to rows through categorical codes;
    the actor, target and side columns stay categorical for :func:`actors.canonicalise`.

    Parameters
    ----------
    raw : pandas.DataFrame
        The columns from :func:`read_raw`.
    path : pathlib.Path
        The file, for error messages.
    first_row : int
        Number of the first data row in the file.

    Returns
    -------
    events : pandas.DataFrame
        EVENTS columns before the actor registry is applied.
    dropped : list of dict
        One report per reason rows were dropped (reason, rows, file_rows).
    """
    raw, dropped = drop_duplicate_ids(raw, path, first_row)
    dates = parse_dates(raw["event_date"], path, first_row)
    precision_number, precision_codes = number_parts(
        raw["time_precision"], path, first_row, "time_precision", True
    )
    precision_label = pd.Series(precision_number).map(c.ACLED_TIME_PRECISION)
    bad_precision = np.flatnonzero(precision_label.isna().to_numpy())
    if len(bad_precision) or (precision_codes < 0).any():
        rows = rows_with_codes(precision_codes, np.append(bad_precision, -1), raw.index, first_row)
        raise c.DataContractError(
            path, "time_precision", rows, "expected 1, 2 or 3 (day, week, month)"
        )
    fatalities = parse_numbers(
        raw["fatalities"], path, first_row, "fatalities", True, False, minimum=0
    )
    latitude = parse_numbers(raw["latitude"], path, first_row, "latitude", **LATITUDE_RANGE)
    longitude = parse_numbers(raw["longitude"], path, first_row, "longitude", **LONGITUDE_RANGE)
    inter1 = _inter_parts(raw["inter1"], path, first_row, "inter1")
    inter2 = _inter_parts(raw["inter2"], path, first_row, "inter2")
    if raw["actor1"].isna().any():
        rows = [int(i) + first_row for i in raw.index[raw["actor1"].isna()]]
        raise c.DataContractError(path, "actor1", rows, "blank actor1 (every ACLED event has one)")

    category = _categories(raw, spread(*inter1, np.nan), spread(*inter2, np.nan))
    whole_fatalities = fatalities.astype("int64")  # blanks were rejected above
    if "civilian_targeting" in raw:
        flagged = equals_text(raw["civilian_targeting"], CIVILIAN_TARGETING_FLAG)
    else:
        flagged = np.zeros(len(raw), dtype=bool)
    civilian_fatalities = pd.arrays.IntegerArray(whole_fatalities, ~flagged)
    precision = map_categories(raw["time_precision"], lambda _: precision_label)
    events = pd.DataFrame(
        {
            c.EV_ID: _prefixed_ids(raw[ID_COLUMN]),
            c.EV_SOURCE: pd.Series(SOURCE, index=raw.index, dtype="string"),
            c.EV_DATE: dates,
            c.EV_DATE_PRECISION: precision,
            # Raw actor names stay categorical: the registry resolves them per distinct name
            # (analysis.sources.actors.canonicalise), which also turns them into the
            # contract's text.
            c.EV_ACTOR: raw["actor1"],
            c.EV_ACTOR_RAW: raw["actor1"],
            c.EV_ACTOR_SIDE: _sides(inter1, raw.index),
            c.EV_TARGET: raw["actor2"],
            c.EV_TARGET_RAW: raw["actor2"],
            c.EV_TARGET_SIDE: _sides(inter2, raw.index),
            c.EV_ADMIN1: admin1_names(raw["admin1"]),
            c.EV_LATITUDE: latitude,
            c.EV_LONGITUDE: longitude,
            c.EV_CATEGORY: category,
            c.EV_EVENTS: pd.arrays.IntegerArray(
                np.ones(len(raw), dtype="int64"), np.zeros(len(raw), dtype=bool)
            ),
            c.EV_FATALITIES: pd.arrays.IntegerArray(
                whole_fatalities, np.zeros(len(raw), dtype=bool)
            ),
            c.EV_CIVILIAN_FATALITIES: civilian_fatalities,
        },
        index=raw.index,
    )
    return events, dropped


def _arrow_text(values: pd.Series) -> pa.Array:
    """A text column as an Arrow array (no copy for Arrow-backed columns)."""
    return pa.array(pd.array(values, dtype="string"))


def _prefixed_ids(ids: pd.Series) -> pd.Series:
    """'acled-<event_id_cnty>' in Arrow, without a Python string per row."""
    text = _arrow_text(ids)
    joined = pc.binary_join_element_wise(
        pa.scalar(SOURCE, text.type), text, pa.scalar("-", text.type)
    )
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=ids.index, dtype="string")


def drop_duplicate_ids(
    raw: pd.DataFrame, path: Path, first_row: int
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Drop rows repeating an event id, keeping the latest ``timestamp`` (else the last row).

    The returned frame carries the ids stripped of surrounding blanks, and they are unique:
    callers need not check uniqueness again.

    Parameters
    ----------
    raw : pandas.DataFrame
        The columns from :func:`read_raw`.
    path : pathlib.Path
        The file, for error messages.
    first_row : int
        Number of the first data row in the file.

    Returns
    -------
    raw : pandas.DataFrame
        The rows kept, with stripped, unique ids.
    dropped : list of dict
        A report of the dropped rows (empty when no id repeats).
    """
    text = pc.utf8_trim_whitespace(_arrow_text(raw[ID_COLUMN]))
    blank = pc.is_null(text)
    if pc.any(blank).as_py():
        rows = [int(i) + first_row for i in raw.index[blank.to_numpy(zero_copy_only=False)]]
        raise c.DataContractError(path, ID_COLUMN, rows, "blank event id")
    raw = raw.assign(
        **{ID_COLUMN: pd.Series(pd.arrays.ArrowStringArray(text), index=raw.index, dtype="string")}
    )
    # One hash pass over the ids answers "any repeats?"; the full duplicate analysis below
    # runs only when there are some.
    if len(pc.unique(text)) == len(text):
        return raw, []
    ids = raw[ID_COLUMN]
    if TIMESTAMP_COLUMN in raw:
        stamp = parse_numbers(raw[TIMESTAMP_COLUMN], path, first_row, TIMESTAMP_COLUMN, whole=True)
    else:
        stamp = np.zeros(len(raw))
    order = pd.DataFrame({"id": ids, "stamp": stamp, "row": np.arange(len(raw))}, index=raw.index)
    latest = order.sort_values(["stamp", "row"]).drop_duplicates("id", keep="last").index
    drop = raw.index.difference(latest)
    report = {
        "reason": f"duplicate {ID_COLUMN} (kept the row with the latest timestamp)",
        "rows": len(drop),
        "file_rows": [int(i) + first_row for i in drop[:50]],
    }
    return raw.loc[raw.index.isin(latest)], [report]


# --- API client --------------------------------------------------------------------------------


def fetch_acled(
    country: str,
    start: str | date,
    end: str | date,
    out_dir: PathLike | None = None,
    base_url: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    extra_filters: dict[str, str] | None = None,
) -> Path:
    """Pull ACLED events for a country and date range through the API; return the JSON path.

    Authenticates with ACLED's OAuth password grant using ACLED_EMAIL / ACLED_PASSWORD from
    the environment, pages with ``page``/``limit`` until a short page, and writes
    ``data/raw/acled/acled_<country>_<start>_<end>.json`` plus a sidecar recording the access
    time, filters, row count and the newest ``timestamp`` (ACLED edits events after
    publication, so a pull is a snapshot). The token and credentials stay in memory.
    ``base_url`` (or $ACLED_BASE_URL) points the client elsewhere, e.g. at a test server.

    Parameters
    ----------
    country : str
        ACLED country name, e.g. 'Myanmar'.
    start, end : str or datetime.date
        First and last event date (inclusive).
    out_dir : str or os.PathLike, optional
        Folder for the pull; default ``data/raw/acled``.
    base_url : str, optional
        API root; default $ACLED_BASE_URL, else ACLED's.
    page_size : int, optional
        Records per page.
    extra_filters : dict of str to str, optional
        Further API filters.

    Returns
    -------
    pathlib.Path
        The written JSON file (its sidecar lies next to it).
    """
    email, password = http.env_credential(EMAIL_ENV), http.env_credential(PASSWORD_ENV)
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    token_response = http.request_json(
        base + TOKEN_PATH,
        form={
            "username": email,
            "password": password,
            "grant_type": "password",
            "client_id": OAUTH_CLIENT_ID,
        },
    )
    token = token_response.get("access_token") if isinstance(token_response, dict) else None
    if not token:
        raise http.ApiError(f"{base + TOKEN_PATH} returned no access_token")
    start_text, end_text = str(pd.Timestamp(start).date()), str(pd.Timestamp(end).date())
    filters = {
        "country": country,
        "event_date": f"{start_text}|{end_text}",
        "event_date_where": "BETWEEN",
        **(extra_filters or {}),
    }
    records: list[dict[str, Any]] = []
    pages = 0
    for page in range(1, MAX_PAGES + 1):
        url = http.with_query(
            base + READ_PATH, {"_format": "json", **filters, "limit": page_size, "page": page}
        )
        body = http.request_json(url, headers={"Authorization": f"Bearer {token}"})
        rows = body.get("data") if isinstance(body, dict) else None
        if rows is None:
            raise http.ApiError(f"{http.safe_url(url)} returned no 'data' list")
        records.extend(rows)
        pages = page
        if len(rows) < page_size:
            break
    folder = Path(out_dir) if out_dir else paths.raw_dir() / "acled"
    slug = country.lower().replace(" ", "_")
    out_path = folder / f"acled_{slug}_{start_text}_{end_text}.json"
    secrets = (email, password, token)
    text = json.dumps({"data": records}, ensure_ascii=False)
    http.assert_no_secrets(text, secrets, str(out_path))
    http.write_text_atomic(out_path, text)
    stamps = pd.to_numeric(pd.Series([r.get("timestamp") for r in records]), errors="coerce")
    http.write_sidecar(
        out_path,
        {
            "source": "ACLED API",
            "endpoint": base + READ_PATH,
            "accessed_utc": http.access_timestamp(),
            "filters": filters,
            "page_size": page_size,
            "pages": pages,
            "rows": len(records),
            "max_timestamp": None if stamps.isna().all() else int(stamps.max()),
            "note": "ACLED data change after publication; this file is a snapshot. "
            "ACLED's terms forbid redistributing rows: keep this file out of git.",
        },
        secrets,
    )
    return out_path


ACLED_CITATION = (
    "Armed Conflict Location & Event Data (ACLED), https://acleddata.com. "
    "Used under ACLED's terms of use; no event rows are reproduced here."
)


def attribution(path: PathLike, analysis_filters: Mapping[str, Any]) -> dict[str, Any]:
    """What a report that used an ACLED file must say: access date, filters and changes.

    The access date and API filters come from the pull's sidecar when the file was fetched
    with :func:`fetch_acled`; for a manual export the file's modification date stands in,
    and the report says so.

    Parameters
    ----------
    path : str or os.PathLike
        The ACLED file the report used.
    analysis_filters : mapping
        Filters the analysis applied; blank ones are left out.

    Returns
    -------
    dict
        citation, access_date, download_filters, newest_acled_timestamp, analysis_filters and
        changes.
    """
    path = Path(path)
    try:
        sidecar = http.read_sidecar(path)
    except (FileNotFoundError, ValueError):
        sidecar = {}
    if sidecar.get("accessed_utc"):
        accessed = str(sidecar["accessed_utc"])
    else:
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()
        accessed = f"not recorded (manual export; file last modified {modified})"
    applied = {k: v for k, v in analysis_filters.items() if v not in (None, "", [], ())}
    return {
        "citation": ACLED_CITATION,
        "access_date": accessed,
        "download_filters": sidecar.get("filters", "not recorded (manual export)"),
        "newest_acled_timestamp": sidecar.get("max_timestamp"),
        "analysis_filters": applied,
        "changes": "Events mapped to the project's canonical event table (actor names "
        "canonicalised, admin1 names normalised, duplicated event ids dropped keeping the "
        "latest timestamp), filtered as listed and aggregated to counts per period.",
    }
