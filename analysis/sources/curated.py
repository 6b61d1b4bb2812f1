"""The curated fact tables beside the ceasefires: the diplomatic calendar and published counts.

This module loads the hand-curated tables under ``data/curated/`` and checks the cross-row
rules the column checks of :mod:`analysis.contract` cannot express (ordered periods). Every
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
from analysis.sources.validate import check_ordered, read_table

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
