"""UCDP GED and GED Candidate event files (CSV) -> the canonical EVENTS table.

This module owns the GED/Candidate layout, its mapping onto EVENTS and the UCDP API client
(:func:`fetch_ged`); the bundled daily aggregate is :mod:`analysis.sources.ucdp_daily`.

Both use the same 49-column layout; some Candidate releases ship without a header row, which
is detected from the first line. Mapping choices:

* date = date_start (GED's convention, also used by the bundled daily aggregate), read from
  '2023-05-01' or '2023-05-01 00:00:00.000';
* date_precision from date_prec via ``contract.UCDP_DATE_PREC_PRECISION`` (1 day, 2-3 week,
  4 month, 5 year); where_prec (spatial precision) is not carried into EVENTS: the canonical
  table has no column for it, and admin1/latitude/longitude are kept as published;
* actor = side_a, target = side_b; category from type_of_violence (1 armed_clash,
  2 non_state_conflict, 3 one_sided_violence), as for the bundled aggregate;
* fatalities = best, civilian_fatalities = deaths_civilians.

Optional API client (:func:`fetch_ged`): UCDP's public API pages GED events as JSON
(Result, NextPageUrl, TotalPages) and needs a token in the x-ucdp-access-token header, read
from $UCDP_API_TOKEN.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from analysis import contract as c
from analysis import paths
from analysis.sources import actors, cache, http
from analysis.sources.columns import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    admin1_names,
    as_strings,
    parse_dates,
    parse_numbers,
    share_attrs,
)
from analysis.sources.validate import (
    conform_events,
    csv_read_error,
    not_utf8_error,
    validate_frame,
)

LOADER_VERSION = "ucdp-2"
GED_SOURCE = "ucdp_ged"
CANDIDATE_SOURCE = "ucdp_candidate"

GED_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
"""The 49-column GED / GED Candidate layout, in order."""

NEEDED_COLUMNS = (
    "id", "type_of_violence", "side_a", "side_b", "adm_1", "latitude", "longitude",
    "date_prec", "date_start", "deaths_civilians", "best",
)  # fmt: skip
TEXT_COLUMNS = ("id", "side_a", "side_b", "adm_1", "date_start")
LINK_COLUMNS = ("dyad_new_id", "country")
"""Read when present: the dyad (what ETH/PRIO's ucdp_dyad refers to) and the country."""
DATE_LENGTH = len("2023-05-01")
CATEGORY_BY_TYPE = {1: "armed_clash", 2: "non_state_conflict", 3: "one_sided_violence"}
CANDIDATE_NAME_HINT = "cand"

# API ------------------------------------------------------------------------------------
TOKEN_ENV = "UCDP_API_TOKEN"
TOKEN_HEADER = "x-ucdp-access-token"
BASE_URL_ENV = "UCDP_BASE_URL"
DEFAULT_BASE_URL = "https://ucdpapi.pcr.uu.se"
GED_PATH = "/api/gedevents/{version}"
MYANMAR_GW_CODE = 775
DEFAULT_PAGE_SIZE = 1000
MAX_PAGES = 10_000

PathLike = str | os.PathLike[str]


def load_ged(
    path: PathLike, cache_dir: PathLike | bool | None = None, source: str | None = None
) -> pd.DataFrame:
    """A GED or GED Candidate CSV as canonical EVENTS, validated and cached.

    ``source`` ('ucdp_ged' or 'ucdp_candidate') labels the rows; by default a header-less
    file or a file name containing 'cand' is taken as Candidate data, anything else as GED.

    Parameters
    ----------
    path : str or os.PathLike
        The GED or Candidate CSV.
    cache_dir : str, os.PathLike or bool, optional
        Folder of the Parquet cache; None uses the default, False disables the cache.
    source : {'ucdp_ged', 'ucdp_candidate'}, optional
        The label of the rows; guessed from the file when None.

    Returns
    -------
    pandas.DataFrame
        Canonical EVENTS rows with ``attrs['dropped']`` and ``attrs['unmapped']``.
    """
    path = Path(path)
    if not path.is_file():
        raise c.DataContractError(path, None, [], "file not found")
    if source is not None and source not in (GED_SOURCE, CANDIDATE_SOURCE):
        raise ValueError(f"source must be {GED_SOURCE!r} or {CANDIDATE_SOURCE!r}, got {source!r}")
    registry_path = paths.curated_path(actors.REGISTRY_FILE)
    return cache.cached_frame(
        source or "ucdp",
        LOADER_VERSION,
        [path, registry_path],
        lambda: _parse(path, actors.load_registry(registry_path), source),
        cache_dir,
    )


def has_header(path: Path) -> bool:
    """True when the first line is the GED header; False for a header-less 49-field line.

    Anything else is not a GED file and raises a DataContractError naming what is missing.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file.

    Returns
    -------
    bool
        Whether the first line is the GED header.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            first = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        raise not_utf8_error(path) from None
    if not first:
        raise c.DataContractError(path, None, [], "file is empty")
    fields = [f.strip() for f in first]
    if fields and fields[0] == GED_COLUMNS[0]:
        missing = [col for col in NEEDED_COLUMNS if col not in fields]
        if missing:
            raise c.DataContractError(
                path, missing[0], [], f"missing column(s) {missing}; expected {list(GED_COLUMNS)}"
            )
        return True
    if len(fields) == len(GED_COLUMNS):
        return False
    raise c.DataContractError(
        path,
        None,
        [1],
        f"first line has {len(fields)} fields and is not the GED header; expected the "
        f"{len(GED_COLUMNS)}-column GED/Candidate layout {list(GED_COLUMNS)}",
    )


def read_raw(
    path: Path, extra_columns: tuple[str, ...] = (), optional_columns: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, int, bool]:
    """Needed columns (dictionary-encoded), first data row number, and whether a header was
    present.

    Parameters
    ----------
    path : pathlib.Path
        The GED or Candidate CSV.
    extra_columns : tuple of str, optional
        Further GED columns to read (as dictionary-encoded text), e.g. ``('country',)``.
    optional_columns : tuple of str, optional
        Columns read when the file has them (a trimmed export may not); absent ones are
        left out of the frame.

    Returns
    -------
    frame : pandas.DataFrame
        The needed columns.
    first_row : int
        Number of the first data row in the file (2 with a header, else 1).
    header : bool
        Whether the file has a header row.
    """
    header = has_header(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        names = [f.strip() for f in next(csv.reader(handle))] if header else list(GED_COLUMNS)
    wanted = list(dict.fromkeys([*NEEDED_COLUMNS, *extra_columns]))
    missing = [col for col in wanted if col not in names]
    if missing:
        raise c.DataContractError(path, missing[0], [], f"missing column(s) {missing}")
    wanted += [col for col in optional_columns if col in names and col not in wanted]
    types = {col: pa.dictionary(pa.int32(), pa.string()) for col in wanted}
    types["id"] = pa.string()
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1 if header else 0),
            # Headlines and source texts may hold line breaks inside quotes.
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=wanted,
                null_values=["", "NA", "NULL"],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise csv_read_error(path, exc, len(names), header) from None
    if table.num_rows == 0:
        # An empty table would give zero counts everywhere, which reads as "no violence".
        raise c.DataContractError(path, None, [], "file has no event rows")
    frame = table.to_pandas()
    frame.index = pd.RangeIndex(len(frame))
    return frame, 2 if header else 1, header


def _parse(path: Path, registry: pd.DataFrame, source: str | None) -> pd.DataFrame:
    raw, first_row, header = read_raw(path, optional_columns=LINK_COLUMNS)
    if source is None:
        candidate = not header or CANDIDATE_NAME_HINT in path.name.lower()
        source = CANDIDATE_SOURCE if candidate else GED_SOURCE
    # date_start may carry a time ('2023-05-01 00:00:00.000'); the day is the first 10 chars.
    day_text = raw["date_start"].astype("string").str.slice(0, DATE_LENGTH).astype("category")
    dates = parse_dates(day_text, path, first_row, column="date_start")
    prec = parse_numbers(raw["date_prec"], path, first_row, "date_prec", True, False)
    precision = pd.Series(prec, index=raw.index).map(c.UCDP_DATE_PREC_PRECISION)
    if precision.isna().any():
        rows = [int(i) + first_row for i in raw.index[precision.isna()]]
        raise c.DataContractError(path, "date_prec", rows, "expected a code from 1 to 5")
    violence = parse_numbers(
        raw["type_of_violence"], path, first_row, "type_of_violence", True, False
    )
    category = pd.Series(violence, index=raw.index).map(CATEGORY_BY_TYPE)
    if category.isna().any():
        rows = [int(i) + first_row for i in raw.index[category.isna()]]
        raise c.DataContractError(path, "type_of_violence", rows, "expected 1, 2 or 3")
    best = parse_numbers(raw["best"], path, first_row, "best", True, False, minimum=0)
    civilians = parse_numbers(
        raw["deaths_civilians"], path, first_row, "deaths_civilians", True, minimum=0
    )
    for side in ("side_a", "side_b"):
        if raw[side].isna().any():
            rows = [int(i) + first_row for i in raw.index[raw[side].isna()]]
            raise c.DataContractError(path, side, rows, "blank actor name")
    ids = raw["id"].astype("string").str.strip()
    if ids.isna().any():
        rows = [int(i) + first_row for i in raw.index[ids.isna()]]
        raise c.DataContractError(path, "id", rows, "blank event id")
    repeated = ids.duplicated(keep=False)
    if repeated.any():
        # GED ids are unique within a release: a repeat means rows were pasted in twice.
        rows = [int(i) + first_row for i in raw.index[repeated]]
        raise c.DataContractError(
            path,
            "id",
            rows,
            f"event id(s) {ids[repeated].unique().tolist()[:5]} appear more than once; GED ids "
            "are unique, so the file probably contains the same events twice",
        )
    side_a, side_b = as_strings(raw["side_a"]), as_strings(raw["side_b"])
    events = pd.DataFrame(
        {
            c.EV_ID: source + "-" + ids,
            c.EV_SOURCE: source,
            c.EV_DATE: dates,
            c.EV_DATE_PRECISION: precision.astype("string"),
            c.EV_ACTOR: side_a,
            c.EV_ACTOR_RAW: side_a,
            c.EV_ACTOR_SIDE: pd.Series(pd.NA, index=raw.index, dtype="string"),
            c.EV_TARGET: side_b,
            c.EV_TARGET_RAW: side_b,
            c.EV_TARGET_SIDE: pd.Series(pd.NA, index=raw.index, dtype="string"),
            c.EV_ADMIN1: admin1_names(raw["adm_1"]),
            c.EV_LATITUDE: parse_numbers(
                raw["latitude"], path, first_row, "latitude", **LATITUDE_RANGE
            ),
            c.EV_LONGITUDE: parse_numbers(
                raw["longitude"], path, first_row, "longitude", **LONGITUDE_RANGE
            ),
            c.EV_CATEGORY: category.astype("string"),
            c.EV_EVENTS: 1,
            c.EV_FATALITIES: best,
            c.EV_CIVILIAN_FATALITIES: civilians,
            **{
                column: _text_or_blank(raw, name)
                for column, name in ((c.EV_DYAD, "dyad_new_id"), (c.EV_COUNTRY, "country"))
            },
        },
        index=raw.index,
    )
    events = actors.canonicalise(events, registry)
    conformed = conform_events(events)
    conformed.index = events.index
    # Row numbers in messages: index + 2 assumes a header; shift header-less files by one.
    if not header:
        conformed.index = conformed.index - 1
    checked = validate_frame(conformed, c.EVENTS, path).reset_index(drop=True)
    checked.attrs = share_attrs({**events.attrs, "dropped": [], "source_file": path.name})
    return checked


def _text_or_blank(raw: pd.DataFrame, column: str) -> pd.Series:
    """A text column of the file as "string" (whole-number ids without a '.0'); blank when
    the file lacks the column."""
    if column not in raw:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    return as_strings(raw[column]).str.replace(r"\.0$", "", regex=True)


# --- API client --------------------------------------------------------------------------------


def fetch_ged(
    version: str,
    start: str | None = None,
    end: str | None = None,
    country_code: int = MYANMAR_GW_CODE,
    out_dir: PathLike | None = None,
    base_url: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Path:
    """Pull GED (or Candidate, e.g. version '25.0.1') events through the UCDP API.

    Follows NextPageUrl until it is empty, writes the events as a CSV in the 49-column GED
    layout under ``data/raw/ucdp/`` (so :func:`load_ged` reads it like a download) and a
    sidecar with the access time, version, filters, pages and row count. The token from
    $UCDP_API_TOKEN is sent in the x-ucdp-access-token header and never written anywhere.

    Parameters
    ----------
    version : str
        GED version, e.g. '25.1' (or a Candidate version such as '25.0.1').
    start, end : str, optional
        First and last event date (inclusive); open-ended when None.
    country_code : int, optional
        Gleditsch-Ward country code; default Myanmar (775).
    out_dir : str or os.PathLike, optional
        Folder for the pull; default ``data/raw/ucdp``.
    base_url : str, optional
        API root; default $UCDP_BASE_URL, else UCDP's.
    page_size : int, optional
        Events per page.

    Returns
    -------
    pathlib.Path
        The written CSV file (its sidecar lies next to it).
    """
    token = http.env_credential(TOKEN_ENV)
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    filters: dict[str, Any] = {"Country": country_code}
    if start:
        filters["StartDate"] = str(pd.Timestamp(start).date())
    if end:
        filters["EndDate"] = str(pd.Timestamp(end).date())
    url: str | None = http.with_query(
        base + GED_PATH.format(version=version), {"pagesize": page_size, "page": 0, **filters}
    )
    records: list[dict[str, Any]] = []
    pages, total_pages = 0, None
    while url and pages < MAX_PAGES:
        body = http.request_json(url, headers={TOKEN_HEADER: token})
        if not isinstance(body, dict) or not isinstance(body.get("Result"), list):
            raise http.ApiError(f"{http.safe_url(url)} returned no 'Result' list")
        records.extend(body["Result"])
        total_pages = body.get("TotalPages", total_pages)
        pages += 1
        url = body.get("NextPageUrl") or None
    folder = Path(out_dir) if out_dir else paths.raw_dir() / "ucdp"
    span = f"{filters.get('StartDate', 'start')}_{filters.get('EndDate', 'end')}"
    out_path = folder / f"ged_{version}_{country_code}_{span}.csv"
    frame = pd.DataFrame.from_records(records).reindex(columns=list(GED_COLUMNS))
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    text = buffer.getvalue()
    http.assert_no_secrets(text, [token], str(out_path))
    http.write_text_atomic(out_path, text)
    http.write_sidecar(
        out_path,
        {
            "source": "UCDP API",
            "endpoint": base + GED_PATH.format(version=version),
            "version": version,
            "accessed_utc": http.access_timestamp(),
            "filters": filters,
            "page_size": page_size,
            "pages": pages,
            "total_pages_reported": total_pages,
            "rows": len(records),
            "note": "Cite UCDP GED (Sundberg & Melander 2013, JPR 50(4)) and the codebook of "
            "this version; Candidate events are preliminary and may be revised.",
        },
        [token],
    )
    return out_path
