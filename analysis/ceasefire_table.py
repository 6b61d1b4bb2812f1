"""The curated ceasefire table: loading it and the cross-row rules its checks need.

The column checks of :mod:`analysis.contract` cannot see across rows; this module adds the
rules that can: every ``extends`` names a known ceasefire, periods are ordered, a declared date
has a precision, and an extension chain neither starts before its root nor overlaps itself by
more than its announcement day. Chains and start dates are those of :mod:`analysis.windows`
(:func:`~analysis.windows.chain_roots`, :func:`~analysis.windows.effective_start`), so the
loader and every analysis apply the same rule. Each failure is a
:class:`~analysis.contract.DataContractError` naming the file, the column and the lines.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.sources.validate import check_ordered, file_lines, read_table
from analysis.windows import ChainLoopError, chain_roots, effective_start

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
    """:func:`chain_roots` as the loader reports it: a loop names its file lines."""
    try:
        return chain_roots(ceasefires)
    except ChainLoopError as loop:
        looping = ceasefires.index[ceasefires[c.CF_ID].isin(loop.ids).to_numpy()]
        raise c.DataContractError(
            path,
            c.CF_EXTENDS,
            file_lines(looping),
            "extends chain loops back on itself through "
            f"{ceasefires.loc[looping, c.CF_ID].tolist()}",
        ) from loop


def _check_extension_chains(ceasefires: pd.DataFrame, path: Path) -> None:
    """An extension continues its parent, so (1) its window cannot start before the
    parent's, and (2) two announcements of the same chain may share at most the
    announcement day. Windows start at effective_from, else declared_on (as in
    analysis.windows.effective_start); overlaps use only stated effective_from/effective_to
    dates, because an extension is usually declared while its parent still runs. Truces by
    different declarers overlap legitimately and are not compared."""
    frame = ceasefires.assign(
        _line=file_lines(ceasefires.index),
        _start=effective_start(ceasefires),
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
