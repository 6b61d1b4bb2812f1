"""Loaders: read bundled and user-supplied files into typed, validated tables.

Every loader checks the file against :mod:`analysis.contract` and raises
:class:`~analysis.contract.DataContractError` naming the file, the column and the offending
rows. Row numbers in messages are 1-based line numbers of the CSV file (the header is line 1),
so a user can open the file and go straight to the problem.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import contract as c
from analysis import paths

CSV_HEADER_LINES = 1
ISO_DATE_FORMAT = "%Y-%m-%d"
UCDP_GOVERNMENT = "Government of Myanmar (Burma)"
UCDP_CIVILIANS = "Civilians"
UCDP_VIOLENCE_CATEGORY = {1: "armed_clash", 2: "non_state_conflict", 3: "one_sided_violence"}

PathLike = str | os.PathLike[str]


def _file_lines(index: pd.Index) -> list[int]:
    """CSV line numbers (header = line 1) of the given 0-based data-row index."""
    return [int(i) + CSV_HEADER_LINES + 1 for i in index]


def first_non_utf8_line(path: Path) -> int | None:
    """1-based line number of the first byte that is not valid UTF-8 (None if all are).

    Only called once reading has already failed, so reading the whole file is acceptable.
    """
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return None


def not_utf8_error(path: Path) -> c.DataContractError:
    """The error for a file saved in another encoding (typically Latin-1 / Windows-1252
    from Excel), naming the first line that does not decode."""
    line = first_non_utf8_line(path)
    return c.DataContractError(
        path,
        None,
        [line] if line else [],
        "file is not UTF-8 text (probably Latin-1/Windows-1252); re-save it as UTF-8 "
        "(Excel: Save As > 'CSV UTF-8')",
    )


def first_ragged_line(
    path: Path, expected_fields: int | None, header: bool = True
) -> tuple[int, int, int] | None:
    """(line, fields found, fields expected) for the first record whose field count differs
    from ``expected_fields`` (default: the header's); None if every record has it. For error
    messages only, so a plain loop over the file is fine."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        if header:
            expected_fields = expected_fields or len(next(reader, []))
        for record in reader:
            if record and len(record) != expected_fields:
                return reader.line_num, len(record), int(expected_fields or 0)
    return None


def csv_read_error(
    path: Path, exc: Exception, expected_fields: int | None = None, header: bool = True
) -> c.DataContractError:
    """Turn a CSV reader's failure into an error naming the line: an encoding problem, a
    row with the wrong number of fields, or (else) the reader's own message."""
    if first_non_utf8_line(path) is not None:
        return not_utf8_error(path)
    ragged = first_ragged_line(path, expected_fields, header)
    if ragged is not None:
        line, found, expected = ragged
        return c.DataContractError(
            path,
            None,
            [line],
            f"row has {found} fields, expected {expected} (an unquoted comma or a cut-off line?)",
        )
    return c.DataContractError(path, None, [], f"malformed CSV: {exc}")


def _read_csv_as_text(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text (blank -> NA), turning I/O problems into
    DataContractErrors that name the file."""
    if not path.is_file():
        raise c.DataContractError(path, None, [], "file not found")
    try:
        frame = pd.read_csv(
            path,
            dtype="string",
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",  # tolerate a byte-order mark from Excel exports
        )
    except pd.errors.EmptyDataError as exc:
        raise c.DataContractError(path, None, [], "file is empty (no header row)") from exc
    except UnicodeDecodeError:
        raise not_utf8_error(path) from None
    except pd.errors.ParserError as exc:
        raise csv_read_error(path, exc) from None
    frame.columns = [str(col).strip() for col in frame.columns]
    return frame


def _check_columns(frame: pd.DataFrame, spec: c.TableSpec, path: Path) -> None:
    expected = spec.column_names
    missing = [col for col in expected if col not in frame.columns]
    unexpected = [col for col in frame.columns if col not in expected]
    if missing:
        renamed = f"; found {unexpected} instead (renamed?)" if unexpected else ""
        raise c.DataContractError(
            path,
            missing[0],
            [],
            f"missing column(s) {missing}{renamed}; expected columns {expected}",
        )
    if unexpected:
        raise c.DataContractError(
            path, unexpected[0], [], f"unexpected column(s) {unexpected}; expected {expected}"
        )
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise c.DataContractError(path, duplicated[0], [], "column appears more than once")


def _parse_column(raw: pd.Series, column: c.ColumnSpec, path: Path) -> pd.Series:
    """Convert one text column to its contract dtype, reporting the rows that do not parse."""
    stripped = raw.str.strip()
    if column.dtype == c.DTYPE_STRING:
        return stripped.astype("string")
    if column.dtype == c.DTYPE_DATE:
        parsed = pd.to_datetime(stripped, format=ISO_DATE_FORMAT, errors="coerce")
        expected_form = "a date in YYYY-MM-DD form"
    else:
        parsed = pd.to_numeric(stripped, errors="coerce")
        expected_form = "a number"
        if column.dtype == c.DTYPE_INT:
            expected_form = "a whole number"
            not_whole = parsed.notna() & (parsed != np.floor(parsed))
            parsed = parsed.mask(not_whole)
    bad = stripped.notna() & parsed.isna()
    if bad.any():
        examples = stripped[bad].head(3).tolist()
        raise c.DataContractError(
            path,
            column.name,
            _file_lines(raw.index[bad]),
            f"expected {expected_form}, found {examples}",
        )
    return parsed.astype(c.PANDAS_DTYPES[column.dtype])


_CHECK_ARGUMENT = re.compile(r"^(\w+)\((.*)\)$", re.DOTALL)


def describe_check_failure(check: str, values: list) -> str:
    """Plain-language problem for a failed pandera check, with the offending values and
    what would be valid (pandera names checks like 'isin([...])' or 'not_nullable')."""
    shown = list(dict.fromkeys(str(v) for v in values))
    if check == "not_nullable":
        return "blank value; this column must be filled in"
    if check == "field_uniqueness":
        return f"values must be unique; {shown} appear(s) more than once"
    match = _CHECK_ARGUMENT.match(check)
    name, argument = (match.group(1), match.group(2)) if match else (check, "")
    if name == "isin":
        return f"value(s) {shown} not allowed; expected one of {argument}"
    if name == "greater_than_or_equal_to":
        return f"value(s) {shown} below the minimum {argument}"
    if name == "less_than_or_equal_to":
        return f"value(s) {shown} above the maximum {argument}"
    if name == "str_matches" and "https?://" in argument:
        return f"value(s) {shown} not a web address; expected a URL starting http:// or https://"
    if name == "str_matches":
        return f"value(s) {shown} do not match the pattern {argument}"
    return f"failed check {check}; offending value(s) {shown}"


def _raise_schema_errors(errors: pa.errors.SchemaErrors, path: Path) -> None:
    cases = errors.failure_cases
    first = cases.iloc[0]
    column = None if pd.isna(first["column"]) else str(first["column"])
    same_check = cases[(cases["column"] == first["column"]) & (cases["check"] == first["check"])]
    rows = [int(i) for i in same_check["index"].dropna()]
    values = same_check["failure_case"].head(5).tolist()
    problem = describe_check_failure(str(first["check"]), values)
    raise c.DataContractError(path, column, [r + CSV_HEADER_LINES + 1 for r in rows], problem)


def validate_frame(
    frame: pd.DataFrame,
    spec: c.TableSpec,
    path: PathLike,
    unique_checked: Sequence[str] = (),
) -> pd.DataFrame:
    """Check a typed DataFrame against the contract (allowed values, ranges, uniqueness).

    ``frame`` must carry the default RangeIndex of the file it came from so that failing rows
    map back to file lines. ``unique_checked`` names unique columns whose uniqueness the
    caller has already enforced (e.g. a loader that drops repeated ids): hashing a million
    ids again would only cost time. Every other check, on those columns too, still runs.
    """
    schema = c.pandera_schema(spec)
    if unique_checked:
        schema = schema.update_columns({name: {"unique": False} for name in unique_checked})
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        _raise_schema_errors(errors, Path(path))
    raise AssertionError("unreachable")  # pragma: no cover


def read_table(path: PathLike, spec: c.TableSpec, allow_empty: bool = False) -> pd.DataFrame:
    """Read a CSV that follows ``spec``: exact columns, parsed dtypes, checked values."""
    path = Path(path)
    raw = _read_csv_as_text(path)
    _check_columns(raw, spec, path)
    if raw.empty and not allow_empty:
        raise c.DataContractError(path, None, [], "file has a header but no data rows")
    typed = pd.DataFrame(
        {col.name: _parse_column(raw[col.name], col, path) for col in spec.columns},
        index=raw.index,
    )
    return validate_frame(typed, spec, path)


def _check_ceasefire_links(ceasefires: pd.DataFrame, path: Path) -> None:
    """Cross-row rules the column checks cannot express."""
    known = set(ceasefires[c.CF_ID])
    unknown_parent = ceasefires[c.CF_EXTENDS].notna() & ~ceasefires[c.CF_EXTENDS].isin(known)
    if unknown_parent.any():
        names = ceasefires.loc[unknown_parent, c.CF_EXTENDS].tolist()
        raise c.DataContractError(
            path,
            c.CF_EXTENDS,
            _file_lines(ceasefires.index[unknown_parent]),
            f"extends unknown ceasefire_id(s) {names}",
        )
    _check_ordered(ceasefires, c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_TO, path)
    missing_precision = (
        ceasefires[c.CF_DECLARED_ON].notna() & ceasefires[c.CF_DATE_PRECISION].isna()
    )
    if missing_precision.any():
        raise c.DataContractError(
            path,
            c.CF_DATE_PRECISION,
            _file_lines(ceasefires.index[missing_precision]),
            "declared_on is given but date_precision is blank",
        )
    _check_extension_chains(ceasefires, path)


MAX_CHAIN_OVERLAP_DAYS = 1
"""Days two announcements of one chain may share: an extension may take effect on the last
day of the truce it extends (announced that day), but not earlier."""


def _chain_roots(ceasefires: pd.DataFrame, path: Path) -> pd.Series:
    """The first ceasefire of each row's `extends` chain, failing on loops."""
    parent = pd.Series(ceasefires[c.CF_EXTENDS].to_numpy(), index=ceasefires[c.CF_ID].to_numpy())
    root = ceasefires[c.CF_ID].copy()
    # One vectorised step per level of nesting: chains are at most len(ceasefires) long.
    for _ in range(len(ceasefires) + 1):
        up = root.map(parent)
        if up.isna().all():
            return root
        root = up.fillna(root)
    looping = ceasefires.index[root.map(parent).notna()]
    raise c.DataContractError(
        path,
        c.CF_EXTENDS,
        _file_lines(looping),
        f"extends chain loops back on itself through {ceasefires.loc[looping, c.CF_ID].tolist()}",
    )


def _check_extension_chains(ceasefires: pd.DataFrame, path: Path) -> None:
    """An extension continues its parent, so (1) its window cannot start before the
    parent's, and (2) two announcements of the same chain may share at most the
    announcement day. Windows start at effective_from, else declared_on (as in
    analysis.panel); overlaps use only stated effective_from/effective_to dates, because an
    extension is usually declared while its parent still runs. Truces by different declarers
    overlap legitimately and are not compared."""
    frame = ceasefires.assign(
        _line=_file_lines(ceasefires.index),
        _start=ceasefires[c.CF_EFFECTIVE_FROM].fillna(ceasefires[c.CF_DECLARED_ON]),
        _root=_chain_roots(ceasefires, path).to_numpy(),
    )
    keep = [c.CF_ID, c.CF_EXTENDS, c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_TO, "_line", "_start"]
    links = frame[keep].merge(
        frame[keep].drop(columns=c.CF_EXTENDS),
        left_on=c.CF_EXTENDS,
        right_on=c.CF_ID,
        suffixes=("", "_parent"),
    )
    early = links[links["_start"] < links["_start_parent"]]
    if len(early):
        row = early.iloc[0]
        raise c.DataContractError(
            path,
            c.CF_EFFECTIVE_FROM,
            sorted([int(row["_line"]), int(row["_line_parent"])]),
            f"extension {row[c.CF_ID]!r} (line {row['_line']}) starts "
            f"{row['_start'].date()}, before the ceasefire it extends, "
            f"{row[c.CF_ID + '_parent']!r} (line {row['_line_parent']}), starts "
            f"{row['_start_parent'].date()}",
        )
    dated = frame.loc[
        frame[c.CF_EFFECTIVE_FROM].notna() & frame[c.CF_EFFECTIVE_TO].notna(),
        [c.CF_ID, c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_TO, "_line", "_root"],
    ]
    pairs = dated.merge(dated, on="_root", suffixes=("", "_other"))
    pairs = pairs[pairs["_line"] < pairs["_line_other"]]
    shared_days = (
        pairs[[c.CF_EFFECTIVE_TO, c.CF_EFFECTIVE_TO + "_other"]].min(axis=1)
        - pairs[[c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_FROM + "_other"]].max(axis=1)
    ).dt.days + 1
    overlapping = pairs[shared_days > MAX_CHAIN_OVERLAP_DAYS]
    if len(overlapping):
        row = overlapping.iloc[0]
        days = int(shared_days[overlapping.index[0]])
        raise c.DataContractError(
            path,
            c.CF_EFFECTIVE_FROM,
            sorted([int(row["_line"]), int(row["_line_other"])]),
            f"{row[c.CF_ID]!r} (line {row['_line']}) and {row[c.CF_ID + '_other']!r} "
            f"(line {row['_line_other']}) belong to the same extension chain but their "
            f"windows share {days} days; an extension may start at the earliest on the last "
            "day of the truce it extends",
        )


def _check_ordered(table: pd.DataFrame, first: str, last: str, path: Path) -> None:
    """A period's last date may not precede its first (blanks are not compared)."""
    reversed_rows = table[last] < table[first]
    if reversed_rows.any():
        raise c.DataContractError(
            path, last, _file_lines(table.index[reversed_rows]), f"{last} is before {first}"
        )


def load_ceasefires(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """The curated ceasefire table, validated: unique ids, known `extends`, ordered windows."""
    path = Path(path) if path else paths.curated_path("ceasefires.csv", data_dir)
    ceasefires = read_table(path, c.CEASEFIRES)
    _check_ceasefire_links(ceasefires, path)
    return ceasefires


def load_diplomatic_events(
    path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """The curated diplomatic calendar, validated."""
    path = Path(path) if path else paths.curated_path("diplomatic_events.csv", data_dir)
    events = read_table(path, c.DIPLOMATIC_EVENTS)
    _check_ordered(events, c.DE_DATE_START, c.DE_DATE_END, path)
    return events


def load_reported_counts(
    path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """The curated table of published strike counts, validated."""
    path = Path(path) if path else paths.curated_path("reported_strike_counts.csv", data_dir)
    counts = read_table(path, c.REPORTED_COUNTS)
    _check_ordered(counts, c.RC_PERIOD_START, c.RC_PERIOD_END, path)
    return counts


def load_ucdp_daily(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """The bundled UCDP GED Myanmar daily aggregate, validated but otherwise as published."""
    path = Path(path) if path else paths.ucdp_daily_path(data_dir)
    return read_table(path, c.UCDP_DAILY)


def normalise_admin1(names: pd.Series) -> pd.Series:
    """Map inconsistent state/region spellings to one name per unit.

    'Magway  region', 'Magwe division' -> 'Magway'; 'Karen state' -> 'Kayin';
    blanks -> 'Unknown'. Names outside Myanmar's list are kept, tidied, so the same code
    serves other conflicts.
    """
    text = names.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    suffix_pattern = r"\s+(?:" + "|".join(c.ADMIN1_SUFFIXES) + r")$"
    core = text.str.replace(suffix_pattern, "", regex=True, case=False).str.strip()
    lowered = core.str.lower()
    canonical_by_lower = {name.lower(): name for name in c.ADMIN1_CANONICAL}
    lookup = {**canonical_by_lower, **c.ADMIN1_ALIASES}
    mapped = lowered.map(lookup)
    result = mapped.fillna(core)
    result = result.mask(result.isna() | (result == ""), c.ADMIN1_UNKNOWN)
    return result.astype("string")


def ucdp_daily_to_events(daily: pd.DataFrame) -> pd.DataFrame:
    """Map the bundled UCDP daily aggregate onto the canonical event table.

    One canonical row per aggregate cell, with ``events`` carrying the cell's event count.
    Sides are coarse here (government = state, 'Civilians' = civilians, else other); the
    actor registry refines them where it is available.
    """
    side_a = daily[c.UD_SIDE_A].astype("string")
    side_b = daily[c.UD_SIDE_B].astype("string")
    events = pd.DataFrame(
        {
            c.EV_ID: "ucdp_daily-"
            + pd.Series(np.arange(1, len(daily) + 1), index=daily.index)
            .astype("string")
            .str.zfill(6),
            c.EV_SOURCE: "ucdp_daily",
            c.EV_DATE: daily[c.UD_DATE],
            c.EV_DATE_PRECISION: "day",
            c.EV_ACTOR: side_a,
            c.EV_ACTOR_RAW: side_a,
            c.EV_ACTOR_SIDE: coarse_side(side_a),
            c.EV_TARGET: side_b,
            c.EV_TARGET_RAW: side_b,
            c.EV_TARGET_SIDE: coarse_side(side_b),
            c.EV_ADMIN1: normalise_admin1(daily[c.UD_ADM_1]),
            c.EV_LATITUDE: np.nan,
            c.EV_LONGITUDE: np.nan,
            c.EV_CATEGORY: daily[c.UD_TYPE_OF_VIOLENCE].astype("int64").map(UCDP_VIOLENCE_CATEGORY),
            c.EV_EVENTS: daily[c.UD_EVENTS],
            c.EV_FATALITIES: daily[c.UD_DEATHS_BEST],
            c.EV_CIVILIAN_FATALITIES: daily[c.UD_DEATHS_CIVILIANS],
        },
        index=daily.index,
    )
    return conform_events(events)


def coarse_side(actor_names: pd.Series) -> pd.Series:
    """Side of an actor from its UCDP name when no actor registry is available."""
    side = pd.Series("other", index=actor_names.index, dtype="string")
    side = side.mask(actor_names == UCDP_GOVERNMENT, "state")
    return side.mask(actor_names == UCDP_CIVILIANS, "civilians")


def conform_events(events: pd.DataFrame) -> pd.DataFrame:
    """Cast an event table to the contract's column order and dtypes."""
    return pd.DataFrame(
        {col.name: events[col.name].astype(c.PANDAS_DTYPES[col.dtype]) for col in c.EVENTS.columns}
    ).reset_index(drop=True)


EVENT_SOURCES_NEEDING_PATH = ("ucdp_ged", "ucdp_candidate", "acled")


def load_events(
    source: str = "ucdp_daily",
    events_path: PathLike | None = None,
    data_dir: PathLike | None = None,
    strike_definition: str | None = None,
) -> pd.DataFrame:
    """Canonical events from one source: the bundled UCDP aggregate or a user file.

    ``events_path`` is required for user-supplied sources (ACLED exports, GED/Candidate CSVs)
    and is resolved from the project root when relative. ``strike_definition`` names one of
    the documented definitions in data/curated/strike_definitions.yml and keeps only the
    events it counts as strikes.
    """
    events = _load_source_events(source, events_path, data_dir)
    if strike_definition:
        from analysis import actors

        events = actors.apply_strike_definition(events, strike_definition)
    return events


def _load_source_events(
    source: str, events_path: PathLike | None, data_dir: PathLike | None
) -> pd.DataFrame:
    if source not in c.EVENT_SOURCES:
        raise ValueError(f"unknown source {source!r}; choose one of {list(c.EVENT_SOURCES)}")
    if source == "ucdp_daily":
        from analysis import actors

        daily_path = paths.resolve_user_path(events_path) if events_path else None
        return actors.canonicalise(ucdp_daily_to_events(load_ucdp_daily(daily_path, data_dir)))
    if not events_path:
        raise ValueError(f"source {source!r} needs events_path (a file under data/raw/)")
    resolved = paths.resolve_user_path(events_path)
    if not resolved.is_file():
        raise c.DataContractError(
            resolved,
            None,
            [],
            f"file not found (events_path={str(events_path)!r}; relative paths are taken "
            "from the project root, e.g. 'data/raw/acled/export.csv')",
        )
    if source == "acled":
        from analysis import acled

        return acled.load_acled(resolved)
    from analysis import ucdp

    return ucdp.load_ged(resolved, source=source)


def coverage(events: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp) -> dict:
    """The data's date coverage and how much of [start, end] it spans.

    Raises ValueError when the analysis window lies wholly outside the data, because every
    count in it would be a meaningless zero.
    """
    first, last = events[c.EV_DATE].min(), events[c.EV_DATE].max()
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"analysis window ends ({end.date()}) before it starts ({start.date()})")
    if pd.isna(first) or end < first or start > last:
        span = "no events" if pd.isna(first) else f"{first.date()} to {last.date()}"
        raise ValueError(
            f"analysis window {start.date()} to {end.date()} lies outside the data ({span}); "
            "choose start and end within the data's dates"
        )
    covered_start, covered_end = max(start, first), min(end, last)
    return {
        "data_first_date": first,
        "data_last_date": last,
        "window_share_covered": ((covered_end - covered_start).days + 1) / ((end - start).days + 1),
    }


UCDP_CITATION = (
    "UCDP Georeferenced Event Dataset (GED), CC BY 4.0: Sundberg, Ralph and Erik Melander "
    "(2013) 'Introducing the UCDP Georeferenced Event Dataset', Journal of Peace Research "
    "50(4); Davies, Shawn, Therese Pettersson and Magnus Öberg, UCDP GED codebook."
)


def source_attribution(
    source: str, events_path: PathLike | None = None, analysis_filters: dict | None = None
) -> dict[str, object]:
    """Attribution a report must carry for its event source (recorded with the results).

    UCDP data are CC BY 4.0 and need a citation; ACLED data need the access date, filters
    and a statement of changes, recorded under ``acled_attribution`` for the report footer.
    """
    if source == "acled":
        from analysis import acled

        resolved = paths.resolve_user_path(events_path) if events_path else None
        if resolved is None:
            raise ValueError("source 'acled' needs events_path (a file under data/raw/)")
        return {
            "data_attribution": acled.ACLED_CITATION,
            "acled_attribution": acled.attribution(resolved, analysis_filters or {}),
        }
    return {"data_attribution": UCDP_CITATION}
