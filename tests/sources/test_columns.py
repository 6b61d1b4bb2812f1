"""Column helpers shared by the sources: state/region names collapse to one spelling."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import columns


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Magway  region", "Magway"),
        ("Magwe division", "Magway"),
        ("Bago division", "Bago"),
        ("Bago region", "Bago"),
        ("Karen state", "Kayin"),
        ("Kayin state", "Kayin"),
        ("Naypyidaw Union territory", "Naypyidaw"),
        ("Sagaing district", "Sagaing"),
        (None, "Unknown"),
        ("", "Unknown"),
        ("Western Cape province", "Western Cape province"),
    ],
)
def test_admin1_normalisation(raw: str | None, expected: str) -> None:
    assert columns.normalise_admin1(pd.Series([raw], dtype="string")).iloc[0] == expected
