"""Reading and checking files against the data contract, shared by every source loader.

This module owns the generic steps of loading a file: reading a CSV as text, checking its
columns, parsing each column to its contract dtype, running the pandera checks of
:mod:`analysis.contract`, and turning every failure into a
:class:`~analysis.contract.DataContractError` that names the file, the column and the
offending rows. Row numbers in messages are 1-based line numbers of the CSV file (the header
is line 1), so a user can open the file and go straight to the problem. It also owns
:func:`conform_events`, the final cast of any source's events to the EVENTS table.
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

CSV_HEADER_LINES = 1
ISO_DATE_FORMAT = "%Y-%m-%d"

PathLike = str | os.PathLike[str]

OPTIONAL_EVENT_COLUMNS = (c.EV_DYAD, c.EV_COUNTRY)
"""EVENTS columns only some sources fill (UCDP GED/Candidate); the others leave them blank."""


def file_lines(index: pd.Index) -> list[int]:
    """CSV line numbers (header = line 1) of the given 0-based data-row index.

    Parameters
    ----------
    index : pandas.Index
        0-based positions of data rows in the file.

    Returns
    -------
    list of int
        The matching 1-based line numbers of the file.
    """
    return [int(i) + CSV_HEADER_LINES + 1 for i in index]


def first_non_utf8_line(path: Path) -> int | None:
    """1-based line number of the first byte that is not valid UTF-8 (None if all are).

    Only called once reading has already failed, so reading the whole file is acceptable.

    Parameters
    ----------
    path : pathlib.Path
        The file to inspect.

    Returns
    -------
    int or None
        The line of the first undecodable byte, or None when the file is valid UTF-8.
    """
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return None


def not_utf8_error(path: Path) -> c.DataContractError:
    """The error for a file saved in another encoding (typically Latin-1 / Windows-1252
    from Excel), naming the first line that does not decode.

    Parameters
    ----------
    path : pathlib.Path
        The file that failed to decode.

    Returns
    -------
    analysis.contract.DataContractError
        The error to raise, naming the first bad line when there is one.
    """
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
    """The first record whose field count differs from ``expected_fields``.

    For error messages only, so a plain loop over the file is fine.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file.
    expected_fields : int or None
        Fields every record should have; None takes the header's count.
    header : bool, default True
        Whether the first line is a header.

    Returns
    -------
    tuple of (int, int, int) or None
        (line, fields found, fields expected), or None if every record has the expected count.
    """
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
    """Turn a CSV reader's failure into an error naming the line.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file that failed to read.
    exc : Exception
        The reader's own error, quoted when no more specific cause is found.
    expected_fields : int or None, optional
        Fields every record should have; None takes the header's count.
    header : bool, default True
        Whether the first line is a header.

    Returns
    -------
    analysis.contract.DataContractError
        An encoding problem, a row with the wrong number of fields, or (else) the reader's
        own message.
    """
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


def read_csv_as_text(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text (blank -> NA).

    Parameters
    ----------
    path : pathlib.Path
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        One "string" column per header field (names stripped of blanks).

    Raises
    ------
    analysis.contract.DataContractError
        For a missing or empty file, a non-UTF-8 file or malformed CSV, naming the file.
    """
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


def check_columns(frame: pd.DataFrame, spec: c.TableSpec, path: Path) -> None:
    """Require exactly the columns of ``spec``: none missing, none extra, none repeated.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read.
    spec : analysis.contract.TableSpec
        The contract table it must follow.
    path : pathlib.Path
        The file, for the error message.

    Returns
    -------
    None
        Raises :class:`~analysis.contract.DataContractError` on the first problem.
    """
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


def parse_column(raw: pd.Series, column: c.ColumnSpec, path: Path) -> pd.Series:
    """Convert one text column to its contract dtype, reporting the rows that do not parse.

    Parameters
    ----------
    raw : pandas.Series
        The column as text, indexed by 0-based data row.
    column : analysis.contract.ColumnSpec
        The column's contract (name and dtype).
    path : pathlib.Path
        The file, for the error message.

    Returns
    -------
    pandas.Series
        The parsed column in the contract's pandas dtype.
    """
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
            file_lines(raw.index[bad]),
            f"expected {expected_form}, found {examples}",
        )
    return parsed.astype(c.PANDAS_DTYPES[column.dtype])


_CHECK_ARGUMENT = re.compile(r"^(\w+)\((.*)\)$", re.DOTALL)


def describe_check_failure(check: str, values: list) -> str:
    """Plain-language problem for a failed pandera check.

    Parameters
    ----------
    check : str
        pandera's name of the check, e.g. 'isin([...])' or 'not_nullable'.
    values : list
        The offending values.

    Returns
    -------
    str
        The problem, with the offending values and what would be valid.
    """
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

    Parameters
    ----------
    frame : pandas.DataFrame
        The typed table. It must carry the default RangeIndex of the file it came from so
        that failing rows map back to file lines.
    spec : analysis.contract.TableSpec
        The contract table to check against.
    path : str or os.PathLike
        The file the table came from, for error messages.
    unique_checked : sequence of str, optional
        Unique columns whose uniqueness the caller has already enforced (e.g. a loader that
        drops repeated ids): hashing a million ids again would only cost time. Every other
        check, on those columns too, still runs.

    Returns
    -------
    pandas.DataFrame
        The validated table.
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
    """Read a CSV that follows ``spec``: exact columns, parsed dtypes, checked values.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    spec : analysis.contract.TableSpec
        The contract table it follows.
    allow_empty : bool, default False
        Accept a file with a header but no data rows.

    Returns
    -------
    pandas.DataFrame
        The typed, validated table.
    """
    path = Path(path)
    raw = read_csv_as_text(path)
    check_columns(raw, spec, path)
    if raw.empty and not allow_empty:
        raise c.DataContractError(path, None, [], "file has a header but no data rows")
    typed = pd.DataFrame(
        {col.name: parse_column(raw[col.name], col, path) for col in spec.columns},
        index=raw.index,
    )
    return validate_frame(typed, spec, path)


def check_ordered(table: pd.DataFrame, first: str, last: str, path: Path) -> None:
    """A period's last date may not precede its first (blanks are not compared).

    Parameters
    ----------
    table : pandas.DataFrame
        The table, indexed by 0-based data row.
    first, last : str
        The columns holding the period's first and last dates.
    path : pathlib.Path
        The file, for the error message.

    Returns
    -------
    None
        Raises :class:`~analysis.contract.DataContractError` naming the reversed rows.
    """
    reversed_rows = table[last] < table[first]
    if reversed_rows.any():
        raise c.DataContractError(
            path, last, file_lines(table.index[reversed_rows]), f"{last} is before {first}"
        )


def conform_events(events: pd.DataFrame) -> pd.DataFrame:
    """Cast an event table to the contract's column order and dtypes.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with (at least) every EVENTS column; the columns of
        :data:`OPTIONAL_EVENT_COLUMNS` may be absent (blank: the source has no such field).

    Returns
    -------
    pandas.DataFrame
        Exactly the EVENTS columns, in order and in their contract dtypes, with a fresh
        RangeIndex.
    """
    blank = pd.Series(pd.NA, index=events.index, dtype="string")
    return pd.DataFrame(
        {
            col.name: (
                events[col.name]
                if col.name in events or col.name not in OPTIONAL_EVENT_COLUMNS
                else blank
            ).astype(c.PANDAS_DTYPES[col.dtype])
            for col in c.EVENTS.columns
        }
    ).reset_index(drop=True)
