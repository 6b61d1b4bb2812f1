"""Curated tables and the bundled UCDP aggregate load with contract dtypes.

Files that break the contract are covered case by case in the bad-input catalogue
(tests/bad_inputs.py).
"""

from __future__ import annotations

import pandas as pd

from analysis import contract as c
from analysis.ceasefire_table import load_ceasefires
from analysis.sources import curated, ucdp_daily


def test_bundled_tables_load_with_contract_dtypes() -> None:
    for loader, spec in (
        (load_ceasefires, c.CEASEFIRES),
        (curated.load_diplomatic_events, c.DIPLOMATIC_EVENTS),
        (curated.load_reported_counts, c.REPORTED_COUNTS),
        (ucdp_daily.load_ucdp_daily, c.UCDP_DAILY),
    ):
        table = loader()
        assert list(table.columns) == spec.column_names
        for column in spec.columns:
            assert str(table[column.name].dtype) == str(
                pd.Series(dtype=c.PANDAS_DTYPES[column.dtype]).dtype
            )
        assert len(table) > 0
