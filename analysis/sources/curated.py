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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.results import Result
from analysis.sources.validate import check_ordered, file_lines, read_table
from analysis.status import STATUS_NO_CALENDAR, STATUS_NOTES, STATUS_OK

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


BUNDLED_CALENDAR_COUNTRY = "Myanmar (Burma)"
"""The country of the bundled ``diplomatic_events.csv`` (UCDP's name)."""


@dataclass(frozen=True)
class DiplomaticCalendar(Result):
    """The diplomatic calendar a timing test uses, or why there is none.

    Attributes
    ----------
    table : pandas.DataFrame
        DIPLOMATIC_EVENTS rows (empty when there is no calendar).
    path : str
        The file read ('' when none).
    bundled : bool
        True for the bundled Myanmar calendar.
    status : str
        'ok' or 'no_calendar'.
    note : str
        Which calendar, or why there is none, in words.
    unavailable : str
        Empty when there is a calendar, else the note (for
        :func:`analysis.findings.ceasefire_timing`).
    """

    table: pd.DataFrame
    path: str
    bundled: bool
    status: str
    note: str
    unavailable: str = ""


def load_calendar(
    calendar_path: PathLike | None = "",
    ceasefires_source: str = "curated",
    country: str = "",
    data_dir: PathLike | None = None,
) -> DiplomaticCalendar:
    """The diplomatic calendar for the chosen ceasefires: a given file, else the bundled one
    when the ceasefires are Myanmar's, else none (status 'no_calendar').

    A given file must follow the DIPLOMATIC_EVENTS contract (same columns, vocabularies, a
    source_url on every row) and is checked as the bundled one is. The bundled Myanmar
    calendar is never used for another country's ceasefires.

    Parameters
    ----------
    calendar_path : str or os.PathLike, optional
        A calendar CSV in the diplomatic_events layout; relative paths are taken from the
        project root. Empty: the bundled calendar when it fits, else none.
    ceasefires_source : str, default 'curated'
        'curated' (Myanmar) or 'ethprio'.
    country : str, optional
        The UCDP country of ETH/PRIO ceasefires; with an empty ``calendar_path`` only
        'Myanmar (Burma)' gets the bundled calendar.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).

    Returns
    -------
    DiplomaticCalendar
        The validated table (or an empty one), its file, status and a note.
    """
    if calendar_path:
        path = paths.resolve_user_path(calendar_path)
        table = load_diplomatic_events(path)
        return DiplomaticCalendar(
            table, str(path), False, STATUS_OK, f"the calendar file {Path(path).name}"
        )
    if ceasefires_source == "curated" or country == BUNDLED_CALENDAR_COUNTRY:
        path = paths.curated_path("diplomatic_events.csv", data_dir)
        return DiplomaticCalendar(
            load_diplomatic_events(path),
            str(path),
            True,
            STATUS_OK,
            "the bundled Myanmar calendar (data/curated/diplomatic_events.csv)",
        )
    note = f"{country or 'these ceasefires'}: {STATUS_NOTES[STATUS_NO_CALENDAR]}"
    return DiplomaticCalendar(
        c.empty_frame(c.DIPLOMATIC_EVENTS), "", False, STATUS_NO_CALENDAR, note, note
    )


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
