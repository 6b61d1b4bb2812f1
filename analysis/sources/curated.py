"""The curated fact tables: ceasefires, the diplomatic calendar and published strike counts.

This module owns loading the hand-curated tables under ``data/curated/`` and the cross-row
rules the column checks of :mod:`analysis.contract` cannot express (known ``extends``
parents, ordered periods, consistent extension chains). Every failure is a
:class:`~analysis.contract.DataContractError` naming the file, the column and the lines.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.sources.validate import check_ordered, file_lines, read_table

PathLike = str | os.PathLike[str]


def _check_ceasefire_links(ceasefires: pd.DataFrame, path: Path) -> None:
    """Cross-row rules the column checks cannot express."""
    known = set(ceasefires[c.CF_ID])
    unknown_parent = ceasefires[c.CF_EXTENDS].notna() & ~ceasefires[c.CF_EXTENDS].isin(known)
    if unknown_parent.any():
        names = ceasefires.loc[unknown_parent, c.CF_EXTENDS].tolist()
        raise c.DataContractError(
            path,
            c.CF_EXTENDS,
            file_lines(ceasefires.index[unknown_parent]),
            f"extends unknown ceasefire_id(s) {names}",
        )
    check_ordered(ceasefires, c.CF_EFFECTIVE_FROM, c.CF_EFFECTIVE_TO, path)
    missing_precision = (
        ceasefires[c.CF_DECLARED_ON].notna() & ceasefires[c.CF_DATE_PRECISION].isna()
    )
    if missing_precision.any():
        raise c.DataContractError(
            path,
            c.CF_DATE_PRECISION,
            file_lines(ceasefires.index[missing_precision]),
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
        file_lines(looping),
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
        _line=file_lines(ceasefires.index),
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


def load_ceasefires(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """The curated ceasefire table, validated: unique ids, known `extends`, ordered windows.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The ceasefire CSV; by default ``ceasefires.csv`` in the curated data folder.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        The table in contract dtypes (``contract.CEASEFIRES``).
    """
    path = Path(path) if path else paths.curated_path("ceasefires.csv", data_dir)
    ceasefires = read_table(path, c.CEASEFIRES)
    _check_ceasefire_links(ceasefires, path)
    return ceasefires


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
