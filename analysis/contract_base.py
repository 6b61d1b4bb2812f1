"""The data contract's machinery: column and table specifications, their pandera schemas and
the error every broken file raises.

:mod:`analysis.contract` re-exports everything here and holds the tables themselves (columns,
dtypes, vocabularies); import from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

DTYPE_STRING = "string"
DTYPE_DATE = "date"
DTYPE_INT = "int"
DTYPE_FLOAT = "float"

PANDAS_DTYPES = {
    DTYPE_STRING: "string",
    DTYPE_DATE: "datetime64[ns]",
    DTYPE_INT: "Int64",
    DTYPE_FLOAT: "float64",
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its dtype, whether blanks are allowed and what it means."""

    name: str
    dtype: str
    meaning: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    unique: bool = False
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class TableSpec:
    """A table: ordered columns plus a one-line description."""

    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    extra_checks: tuple[pa.Check, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise KeyError(f"table {self.name!r} has no column {name!r}")


class DataContractError(ValueError):
    """A file broke the data contract. The message names the file, column and rows."""

    def __init__(self, path: Path | str, column: str | None, rows: list[int], problem: str):
        self.path = Path(path)
        self.column = column
        self.rows = rows
        self.problem = problem
        where = f"column {column!r}" if column else "table"
        shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
        row_text = f" at row(s) {shown}" if rows else ""
        super().__init__(f"{self.path}: {where}{row_text}: {problem}")


def pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """Build the pandera schema that checks values (not parsing) for a table."""
    columns: dict[str, pa.Column] = {}
    for col in spec.columns:
        checks: list[pa.Check] = []
        if col.allowed is not None:
            checks.append(pa.Check.isin(list(col.allowed)))
        if col.min_value is not None:
            checks.append(pa.Check.ge(col.min_value))
        if col.max_value is not None:
            checks.append(pa.Check.le(col.max_value))
        if col.name.endswith("source_url"):
            checks.append(pa.Check.str_matches(r"^https?://\S+$"))
        columns[col.name] = pa.Column(
            PANDAS_DTYPES[col.dtype],
            checks=checks,
            nullable=col.nullable,
            unique=col.unique,
            coerce=False,
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=False, checks=list(spec.extra_checks))


def empty_frame(spec: TableSpec) -> pd.DataFrame:
    """An empty DataFrame with the table's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=PANDAS_DTYPES[c.dtype]) for c in spec.columns})
