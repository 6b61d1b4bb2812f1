"""The curated fact tables beside the ceasefires: the diplomatic calendar, published counts
and the date claims (alternative dates sources give for a ceasefire or diplomatic row).

This module loads the hand-curated tables under ``data/curated/`` and checks the cross-row
rules the column checks of :mod:`analysis.contract` cannot express (ordered periods; a claim
names a row and a date column that exist). Every
failure is a :class:`~analysis.contract.DataContractError` naming the file, the column and the
lines. The ceasefire table is loaded by :func:`analysis.ceasefire_table.load_ceasefires`, beside the
extension-chain and effective-date rules its checks use.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.sources.validate import check_ordered, file_lines, read_table

PathLike = str | os.PathLike[str]


def load_diplomatic_events(
    path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """The curated diplomatic calendar, validated.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The calendar CSV; by default ``diplomatic_events.csv`` in the curated data folder.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        The table in contract dtypes (``contract.DIPLOMATIC_EVENTS``).
    """
    path = Path(path) if path else paths.curated_path("diplomatic_events.csv", data_dir)
    events = read_table(path, c.DIPLOMATIC_EVENTS)
    check_ordered(events, c.DE_DATE_START, c.DE_DATE_END, path)
    return events


def load_reported_counts(
    path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """The curated table of published strike counts, validated.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The counts CSV; by default ``reported_strike_counts.csv`` in the curated data folder.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        The table in contract dtypes (``contract.REPORTED_COUNTS``).
    """
    path = Path(path) if path else paths.curated_path("reported_strike_counts.csv", data_dir)
    counts = read_table(path, c.REPORTED_COUNTS)
    check_ordered(counts, c.RC_PERIOD_START, c.RC_PERIOD_END, path)
    return counts


def _claimed_ids(
    table: str, given: pd.DataFrame | None, data_dir: PathLike | None
) -> tuple[set[str], Path | None]:
    """The row ids a claim about ``table`` may name: from ``given``, else the curated file.

    The ceasefire file is read against its columns only; its chain rules belong to
    :func:`analysis.ceasefire_table.load_ceasefires`, a layer above this one."""
    id_column = c.CLAIM_ROW_IDS[table]
    if given is not None:
        return set(given[id_column].dropna().astype(str)), None
    path = paths.curated_path(f"{table}.csv", data_dir)
    return set(read_table(path, c.TABLES[table])[id_column].astype(str)), path


def load_date_claims(
    path: PathLike | None = None,
    data_dir: PathLike | None = None,
    *,
    ceasefires: pd.DataFrame | None = None,
    diplomatic_events: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The curated date claims, validated against the rows they are about.

    Each row is one source's date for one date column of one ceasefire or diplomatic row.
    Besides the column checks of ``contract.DATE_CLAIMS``, every claim must name a date
    column its table has (``contract.CLAIMABLE_FIELDS``) and a row id that exists there.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The claims CSV; by default ``date_claims.csv`` in the curated data folder.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`); also where the
        ceasefire and diplomatic tables are read from when they are not given.
    ceasefires, diplomatic_events : pandas.DataFrame, optional
        The tables the claims refer to, when already loaded (their id columns are used).

    Returns
    -------
    pandas.DataFrame
        The table in contract dtypes (``contract.DATE_CLAIMS``).

    Raises
    ------
    analysis.contract.DataContractError
        Naming the file, the column and the lines of a claim about an unknown table, date
        column or row id.
    """
    path = Path(path) if path else paths.curated_path("date_claims.csv", data_dir)
    claims = read_table(path, c.DATE_CLAIMS)
    allowed = claims[c.DC_TABLE].map(c.CLAIMABLE_FIELDS)
    bad_field = pd.Series(
        [field not in fields for field, fields in zip(claims[c.DC_FIELD], allowed, strict=True)],
        index=claims.index,
    )
    if bad_field.any():
        first = claims[bad_field].iloc[0]
        raise c.DataContractError(
            path,
            c.DC_FIELD,
            file_lines(claims.index[bad_field]),
            f"{first[c.DC_FIELD]!r} is not a date column of {first[c.DC_TABLE]!r}; "
            f"expected one of {list(c.CLAIMABLE_FIELDS[first[c.DC_TABLE]])}",
        )
    given = {"ceasefires": ceasefires, "diplomatic_events": diplomatic_events}
    for table in c.CLAIMABLE_FIELDS:
        about = claims[c.DC_TABLE] == table
        if not about.any():
            continue
        known, source = _claimed_ids(table, given[table], data_dir)
        unknown = about & ~claims[c.DC_ROW_ID].isin(sorted(known))
        if unknown.any():
            where = f" in {source}" if source else ""
            raise c.DataContractError(
                path,
                c.DC_ROW_ID,
                file_lines(claims.index[unknown]),
                f"unknown {c.CLAIM_ROW_IDS[table]}(s) {claims.loc[unknown, c.DC_ROW_ID].tolist()}"
                f" of {table}{where}",
            )
    return claims
