"""Column parsing shared by the event sources (ACLED, UCDP GED/Candidate, the UCDP aggregate).

This module owns the vectorised column work every source loader needs: dates and numbers
parsed once per distinct value and spread back to rows through categorical codes (with
errors naming the file's own column and lines), fast decoding of codes into pandas'
Arrow-backed "string" dtype, state/region name normalisation and the coarse actor side used
when no actor registry applies. It depends only on :mod:`analysis.contract`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis import contract as c

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y")
"""event_date forms seen in ACLED files, tried in this order: ISO (API, new exports, UCDP),
'16 May 2025' (older exports), '7-Feb-25' (exports re-saved by Excel)."""

LATITUDE_RANGE = {"minimum": -90.0, "maximum": 90.0}
LONGITUDE_RANGE = {"minimum": -180.0, "maximum": 180.0}
"""WGS84 bounds, checked while parsing so errors name the file's own column."""

UCDP_GOVERNMENT = "Government of Myanmar (Burma)"
UCDP_CIVILIANS = "Civilians"
"""UCDP's names for the state and for civilians, which :func:`coarse_side` recognises."""


class SharedRecords(tuple):
    """Report records (dicts) kept in ``DataFrame.attrs``, shared rather than copied.

    pandas deep-copies ``attrs`` after nearly every operation; a report listing tens of
    thousands of actor names (a multi-year export) would make each filter or column access
    cost more than the work itself. The tuple cannot change, so every copy shares it; its
    records are meant to be read, not edited.
    """

    __slots__ = ()

    def __copy__(self) -> SharedRecords:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedRecords:
        return self


def share_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """``attrs`` with every list value wrapped as :class:`SharedRecords`.

    Parameters
    ----------
    attrs : dict
        A frame's ``attrs`` (e.g. read back from a cache's JSON).

    Returns
    -------
    dict
        The same keys; list values as SharedRecords, others unchanged.
    """
    return {
        key: SharedRecords(value) if isinstance(value, list | tuple) else value
        for key, value in attrs.items()
    }


def _fail(path: Path, column: str, rows: list[int], problem: str) -> None:
    raise c.DataContractError(path, column, rows, problem)


# --- Categorical codes ---------------------------------------------------------------------


def category_codes(values: pd.Series) -> np.ndarray:
    """Per-row categorical codes as int64 (-1 = missing), whatever the number of categories.

    pandas stores codes in the narrowest integer type that fits (int8 below 128 categories,
    int16 below 32,768), so arithmetic on them (offsets into a combined vocabulary) would
    overflow as soon as a file has a few hundred distinct names. Every code leaves this
    module widened.

    Parameters
    ----------
    values : pandas.Series
        A categorical column.

    Returns
    -------
    numpy.ndarray
        int64 codes, one per row.
    """
    return values.cat.codes.to_numpy().astype(np.int64, copy=False)


def category_parts(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Distinct values (as strings) and per-row codes (-1 = missing) of a column.

    Parameters
    ----------
    values : pandas.Series
        A categorical or text column.

    Returns
    -------
    categories : pandas.Series
        The distinct values as stripped "string" values.
    codes : numpy.ndarray
        Per-row position in ``categories``, -1 where the value is missing.
    """
    cat = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    categories = pd.Series(cat.cat.categories.astype("string")).str.strip()
    return categories, category_codes(cat)


def spread(per_category: np.ndarray, codes: np.ndarray, missing: Any) -> np.ndarray:
    """Per-row values from per-category values.

    Parameters
    ----------
    per_category : numpy.ndarray
        One value per category.
    codes : numpy.ndarray
        Per-row category codes (-1 = missing).
    missing : Any
        The value for rows whose code is -1.

    Returns
    -------
    numpy.ndarray
        One value per row.
    """
    return np.append(per_category, np.array([missing], dtype=per_category.dtype))[codes]


def equals_text(values: pd.Series, text: str) -> np.ndarray:
    """Rows whose value is exactly ``text`` (as written, blanks never), compared per category.

    Parameters
    ----------
    values : pandas.Series
        A categorical or text column.
    text : str
        The value to look for.

    Returns
    -------
    numpy.ndarray
        Boolean, one per row.
    """
    cat = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    hit = np.asarray(cat.cat.categories.astype("string") == text, dtype=bool)
    return spread(hit, category_codes(cat), False)


def rows_with_codes(
    codes: np.ndarray, bad_codes: np.ndarray, index: pd.Index, first_row: int
) -> list[int]:
    """File row numbers of the rows whose category code is one of ``bad_codes``.

    Parameters
    ----------
    codes : numpy.ndarray
        Per-row category codes.
    bad_codes : numpy.ndarray
        The codes to report (-1 for blanks).
    index : pandas.Index
        0-based data-row positions of the rows.
    first_row : int
        File row number of the first data row (2 for a CSV with a header).

    Returns
    -------
    list of int
        The matching file row numbers.
    """
    hit = np.isin(codes, bad_codes)
    return [int(i) + first_row for i in index[hit]]


def vocabulary_codes(
    vocabulary: Sequence[str], per_category: pd.Series, codes: np.ndarray
) -> np.ndarray:
    """Per-row positions in ``vocabulary`` (-1 = NA) of per-category labels.

    Parameters
    ----------
    vocabulary : sequence of str
        The labels, in code order.
    per_category : pandas.Series
        One label (or NA) per category.
    codes : numpy.ndarray
        Per-row category codes (-1 = missing).

    Returns
    -------
    numpy.ndarray
        int64 position in ``vocabulary`` per row, -1 where the label is NA or unknown.
    """
    position = {label: i for i, label in enumerate(vocabulary)}
    index = per_category.map(position).fillna(-1).to_numpy(dtype=np.int64)
    return spread(index, codes, -1)


def take_strings(values: Any, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Row strings from per-category values and categorical codes (-1 or NA value -> NA).

    Goes through an Arrow dictionary array: decoding it is several times faster than
    building a million Python strings, and yields pandas' Arrow-backed "string" dtype.

    Parameters
    ----------
    values : array-like
        One string (or NA) per category.
    codes : numpy.ndarray
        Per-row category codes (-1 = missing).

    Returns
    -------
    pandas.api.extensions.ExtensionArray
        A "string" array with one value per row.
    """
    dictionary = pa.array(
        pd.Series(values, dtype="string").to_numpy(na_value=None), pa.large_string()
    )
    codes = np.asarray(codes)
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    decoded = pa.DictionaryArray.from_arrays(indices, dictionary).dictionary_decode()
    return pd.array(pd.arrays.ArrowStringArray(decoded), dtype="string")


def as_strings(values: pd.Series) -> pd.Series:
    """A categorical/text column as the contract's "string" dtype (fast Arrow decode).

    Parameters
    ----------
    values : pandas.Series
        A categorical or text column.

    Returns
    -------
    pandas.Series
        The values, stripped, as "string", on the same index.
    """
    categories, codes = category_parts(values)
    return pd.Series(take_strings(categories.to_numpy(), codes), index=values.index)


def map_categories(
    values: pd.Series,
    mapping: Callable[[pd.Series], Any] | Any,
    missing: str | None = None,
) -> pd.Series:
    """Map each distinct value and spread the result to rows.

    Parameters
    ----------
    values : pandas.Series
        A categorical or text column.
    mapping : dict or callable
        A dict (used with ``Series.map``) or a function of the Series of distinct values.
    missing : str, optional
        Stands in for blanks and for values the mapping leaves NA.

    Returns
    -------
    pandas.Series
        The mapped values as "string", on the same index.
    """
    categories, codes = category_parts(values)
    mapped = mapping(categories) if callable(mapping) else categories.map(mapping)
    mapped = pd.Series(mapped, dtype="string")
    if missing is not None:
        # One extra category for blanks, so the fill happens once per category, not per row.
        mapped = pd.concat([mapped, pd.Series([missing], dtype="string")], ignore_index=True)
        mapped = mapped.fillna(missing)
        codes = np.where(codes < 0, len(mapped) - 1, codes)
    return pd.Series(take_strings(mapped.to_numpy(), codes), index=values.index)


# --- Dates and numbers ---------------------------------------------------------------------


def parse_dates(
    values: pd.Series, path: Path, first_row: int, column: str = "event_date"
) -> np.ndarray:
    """Parse dates trying each of :data:`DATE_FORMATS` on the values still unparsed.

    Parameters
    ----------
    values : pandas.Series
        A categorical or text column of dates.
    path : pathlib.Path
        The file, for error messages.
    first_row : int
        File row number of the first data row (2 for a CSV with a header).
    column : str, default 'event_date'
        The file's name of the column, for error messages.

    Returns
    -------
    numpy.ndarray
        datetime64[ns], one per row. Blank or unreadable dates raise a DataContractError
        naming the rows.
    """
    categories, codes = category_parts(values)
    parsed = pd.Series(pd.NaT, index=categories.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & categories.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(categories[todo], format=fmt, errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if len(bad) or (codes < 0).any():
        rows = rows_with_codes(codes, np.append(bad, -1), values.index, first_row)
        examples = categories.iloc[bad].head(3).tolist() if len(bad) else ["(blank)"]
        _fail(
            path,
            column,
            rows,
            f"unreadable date(s) {examples}; expected one of {list(DATE_FORMATS)}",
        )
    extended = np.append(parsed.to_numpy(), np.datetime64("NaT", "ns"))
    return extended[codes]


def number_parts(
    values: pd.Series,
    path: Path,
    first_row: int,
    column: str,
    whole: bool = False,
    nullable: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Checked per-category numbers and per-row codes; see :func:`parse_numbers`.

    Parameters
    ----------
    values, path, first_row, column, whole, nullable, minimum, maximum
        As for :func:`parse_numbers`.

    Returns
    -------
    numbers : numpy.ndarray
        float64 per category (NaN for blanks).
    codes : numpy.ndarray
        Per-row category codes (-1 = blank).
    """
    categories, codes = category_parts(values)
    numbers = pd.to_numeric(categories, errors="coerce").astype("float64")
    invalid = numbers.isna() & categories.notna()
    if whole:
        invalid |= numbers.notna() & (numbers != np.floor(numbers))
    bad = np.flatnonzero(invalid.to_numpy())
    if len(bad):
        _fail(
            path,
            column,
            rows_with_codes(codes, bad, values.index, first_row),
            f"expected {'a whole number' if whole else 'a number'}, "
            f"found {categories.iloc[bad].head(3).tolist()}",
        )
    if not nullable and (codes < 0).any():
        _fail(
            path,
            column,
            rows_with_codes(codes, np.array([-1]), values.index, first_row),
            "blank value",
        )
    low = -np.inf if minimum is None else minimum
    high = np.inf if maximum is None else maximum
    outside = np.flatnonzero(((numbers < low) | (numbers > high)).to_numpy())
    if len(outside):
        allowed = (
            f">= {minimum:g}"
            if maximum is None
            else f"<= {maximum:g}"
            if minimum is None
            else f"between {minimum:g} and {maximum:g}"
        )
        _fail(
            path,
            column,
            rows_with_codes(codes, outside, values.index, first_row),
            f"expected a value {allowed}, found {categories.iloc[outside].head(3).tolist()}",
        )
    return numbers.to_numpy(), codes


def parse_numbers(
    values: pd.Series,
    path: Path,
    first_row: int,
    column: str,
    whole: bool = False,
    nullable: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
) -> np.ndarray:
    """Parse a numeric column, naming rows that do not parse or fall outside the bounds.

    The bounds are checked here so the message names the file's own column, e.g. GED
    'best' rather than the canonical 'fatalities'.

    Parameters
    ----------
    values : pandas.Series
        A categorical or text column of numbers.
    path : pathlib.Path
        The file, for error messages.
    first_row : int
        File row number of the first data row (2 for a CSV with a header).
    column : str
        The file's name of the column, for error messages.
    whole : bool, default False
        Require whole numbers.
    nullable : bool, default True
        Allow blanks.
    minimum, maximum : float, optional
        Inclusive bounds.

    Returns
    -------
    numpy.ndarray
        float64, one per row (NaN for blanks).
    """
    numbers, codes = number_parts(
        values, path, first_row, column, whole, nullable, minimum, maximum
    )
    return spread(numbers, codes, np.nan)


# --- Places and sides ----------------------------------------------------------------------


def normalise_admin1(names: pd.Series) -> pd.Series:
    """Map inconsistent state/region spellings to one name per unit.

    'Magway  region', 'Magwe division' -> 'Magway'; 'Karen state' -> 'Kayin';
    blanks -> 'Unknown'. Names outside Myanmar's list are kept, tidied, so the same code
    serves other conflicts.

    Parameters
    ----------
    names : pandas.Series
        Raw state/region names.

    Returns
    -------
    pandas.Series
        Canonical names as "string", on the same index.
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


def admin1_names(values: pd.Series) -> pd.Series:
    """Normalised state/region names (:func:`normalise_admin1`) computed per distinct value.

    Parameters
    ----------
    values : pandas.Series
        A categorical or text column of raw names.

    Returns
    -------
    pandas.Series
        Canonical names as "string"; blank -> 'Unknown'.
    """
    return map_categories(values, normalise_admin1, missing=c.ADMIN1_UNKNOWN)


def coarse_side(actor_names: pd.Series) -> pd.Series:
    """Side of an actor from its UCDP name when no actor registry is available.

    Parameters
    ----------
    actor_names : pandas.Series
        UCDP actor names (side_a / side_b).

    Returns
    -------
    pandas.Series
        'state' for :data:`UCDP_GOVERNMENT`, 'civilians' for :data:`UCDP_CIVILIANS`, else
        'other'.
    """
    side = pd.Series("other", index=actor_names.index, dtype="string")
    side = side.mask(actor_names == UCDP_GOVERNMENT, "state")
    return side.mask(actor_names == UCDP_CIVILIANS, "civilians")
