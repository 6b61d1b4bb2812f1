"""Shared machinery of the bad-input catalogue (issue #6); the cases live beside the layer
they break.

Each case builds one broken (or tricky but valid) input from a real-layout fixture or a copy
of the bundled data, calls the loader or function a notebook would call, and checks the exact
kind of error and that its message names the file, column and row(s) or the parameter, plus
what would be valid. Row numbers in messages are 1-based file lines (CSV header = line 1; JSON
records 1-based).

The catalogue is split by layer of the package, one ``CASES`` list per file (add a case by
adding a row to the file of the layer it breaks):

- ``tests/sources/test_bad_source_files.py``: ACLED exports and API pulls, UCDP GED/Candidate
  files (``analysis.sources``);
- ``tests/sources/test_bad_curated_tables.py``: the diplomatic events, reported counts, date
  claims and UCDP daily aggregate tables (``analysis.sources.curated``,
  ``analysis.sources.ucdp_daily``);
- ``tests/test_bad_ceasefire_table.py``: ceasefires.csv and ceasefire ids
  (``analysis.windows``);
- ``tests/test_bad_parameters.py``: parameters a notebook passes to ``analysis.events``,
  ``analysis.panel`` and the strike definitions;
- ``tests/runner/test_bad_run_files.py``: run files expanded by ``analysis.runner.runfile``.

This module holds what they share: the ``Case`` row, the message regex helpers, the fixture
paths, the file builders and edits, and ``run_case``, the one function that runs a case.
``tests/test_bad_input_catalogue.py`` guards the whole: ids unique across the files, and no
case lost in a future split.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis import contract as c
from analysis.paths import PROJECT_ROOT
from analysis.sources import acled, ucdp

FIXTURES = Path(__file__).parent / "fixtures"
ACLED_CSV = FIXTURES / "acled" / "acled_current_layout.csv"
ACLED_JSON = FIXTURES / "acled" / "acled_api_pull.json"
GED_CSV = FIXTURES / "ucdp" / "ged_myanmar_sample.csv"
CANDIDATE_CSV = FIXTURES / "ucdp" / "gedevents_candidate_noheader.csv"
DATA = PROJECT_ROOT / "data"
CEASEFIRES = DATA / "curated" / "ceasefires.csv"
DIPLOMATIC = DATA / "curated" / "diplomatic_events.csv"
COUNTS = DATA / "curated" / "reported_strike_counts.csv"
DATE_CLAIMS = DATA / "curated" / "date_claims.csv"
UCDP_DAILY = DATA / "ucdp" / "ucdp_ged_myanmar_daily.csv"

PATH = "<PATH>"
"""Placeholder in a case's regex for the (escaped) path of the file the case wrote."""

BURMESE = "ပြည်သူ့ကာကွယ်ရေးတပ်"  # "People's Defence Force", written in Burmese script

Call = Callable[[], Any]
Build = Callable[[Path], tuple[Call, Path | None]]


@dataclass(frozen=True)
class Case:
    """One catalogue entry: how to build the input, what to call, what must happen.

    ``error`` None marks a positive case: the call must succeed and ``check`` must pass.
    """

    id: str
    build: Build
    error: type[Exception] | None
    match: str = ""
    check: Callable[[Any], None] | None = None


def where(column: str | None, rows: list[int] | None = None) -> str:
    """Regex for the start of a DataContractError message: path, column and rows."""
    place = f"column '{column}'" if column else "table"
    if rows:
        place += r" at row\(s\) " + ", ".join(str(r) for r in rows)
    return f"^{PATH}: {place}: "


def run_case(case: Case, tmp_path: Path) -> None:
    """Build the case's input in ``tmp_path``, make the call, and check what happened: the
    check of a positive case, or the exception type, the message and (for a contract error)
    the path it names."""
    run, path = case.build(tmp_path)
    if case.error is None:
        assert case.check is not None, "a positive case needs a check"
        case.check(run())
        return
    with pytest.raises(case.error) as caught:
        run()
    message = str(caught.value)
    if PATH in case.match:
        assert path is not None, "a case whose message names a file must say which file"
        pattern = case.match.replace(PATH, re.escape(str(path)))
    else:
        pattern = case.match
    assert re.search(pattern, message), f"message {message!r} does not match {pattern!r}"
    if isinstance(caught.value, c.DataContractError) and path is not None:
        assert caught.value.path == Path(path)


# --- builders ---------------------------------------------------------------------------------


def edited_csv(src: Path, dst: Path, edit: Callable[[pd.DataFrame], Any]) -> Path:
    """Copy a CSV through pandas (all text, blanks kept), applying ``edit`` to the frame
    (in place, or returning the new frame)."""
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    edited = edit(frame)
    frame = frame if edited is None else edited
    dst.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(dst, index=False)
    return dst


def curated(src: Path, loader: Callable[[Path], Any], edit: Callable[[pd.DataFrame], None]):
    def build(tmp: Path) -> tuple[Call, Path]:
        path = edited_csv(src, tmp / src.name, edit)
        return (lambda: loader(path)), path

    return build


def raw_file(name: str, content: bytes | str, loader: Callable[[Path], Any]) -> Build:
    def build(tmp: Path) -> tuple[Call, Path]:
        path = tmp / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return (lambda: loader(path)), path

    return build


def lines_of(src: Path, change: Callable[[list[str]], list[str]], name: str, loader) -> Build:
    """A copy of ``src`` with its text lines changed (for edits pandas would normalise)."""

    def build(tmp: Path) -> tuple[Call, Path]:
        path = tmp / name
        lines = src.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
        return (lambda: loader(path)), path

    return build


def latin1(src: Path, loader, line: int, column: str) -> Build:
    """A copy saved as Latin-1 with an accented character on ``line``."""

    def build(tmp: Path) -> tuple[Call, Path]:
        path = edited_csv(src, tmp / src.name, set_cell(line, column, "Café Hsipaw"))
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
        return (lambda: loader(path)), path

    return build


def read_acled(path: Path) -> pd.DataFrame:
    return acled.load_acled(path, cache_dir=False)


def read_ged(path: Path) -> pd.DataFrame:
    return ucdp.load_ged(path, cache_dir=False)


def acled_csv(edit: Callable[[pd.DataFrame], None]) -> Build:
    def build(tmp: Path) -> tuple[Call, Path]:
        path = edited_csv(ACLED_CSV, tmp / "acled_export.csv", edit)
        return (lambda: read_acled(path)), path

    return build


def acled_json(edit: Callable[[dict], Any]) -> Build:
    """The API-pull fixture with ``edit`` applied to the parsed document (its return value,
    if not None, replaces the document)."""

    def build(tmp: Path) -> tuple[Call, Path]:
        document = json.loads(ACLED_JSON.read_text(encoding="utf-8"))
        replaced = edit(document)
        path = tmp / "acled_pull.json"
        path.write_text(json.dumps(document if replaced is None else replaced), encoding="utf-8")
        return (lambda: read_acled(path)), path

    return build


def ged_csv(edit: Callable[[pd.DataFrame], None]) -> Build:
    def build(tmp: Path) -> tuple[Call, Path]:
        path = edited_csv(GED_CSV, tmp / "ged_export.csv", edit)
        return (lambda: read_ged(path)), path

    return build


def call(fn: Callable[[Path], Any]) -> Build:
    """A case that passes no file of its own (parameter checks); ``fn`` gets tmp_path."""
    return lambda tmp: ((lambda: fn(tmp)), None)


# --- edits ------------------------------------------------------------------------------------


def set_cell(line: int, column: str, value: str) -> Callable[[pd.DataFrame], None]:
    """Edit setting one cell; ``line`` is the 1-based file line (header = 1)."""

    def edit(frame: pd.DataFrame) -> None:
        frame.loc[line - 2, column] = value

    return edit


def cells(*edits: tuple[int, str, str]) -> Callable[[pd.DataFrame], None]:
    def edit(frame: pd.DataFrame) -> None:
        for line, column, value in edits:
            frame.loc[line - 2, column] = value

    return edit


def drop(column: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda frame: frame.drop(columns=[column])


def rename(old: str, new: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda frame: frame.rename(columns={old: new})


def add_column(name: str, value: str) -> Callable[[pd.DataFrame], None]:
    def edit(frame: pd.DataFrame) -> None:
        frame[name] = value

    return edit


def copy_cell(column: str, from_line: int, to_line: int) -> Callable[[pd.DataFrame], None]:
    def edit(frame: pd.DataFrame) -> None:
        frame.loc[to_line - 2, column] = frame.loc[from_line - 2, column]

    return edit


def day_first(column: str, *lines: int) -> Callable[[pd.DataFrame], None]:
    """Rewrite the ISO dates on ``lines`` as DD/MM/YYYY (a spreadsheet's habit)."""

    def edit(frame: pd.DataFrame) -> None:
        for line in lines:
            year, month, day = frame.loc[line - 2, column].split("-")
            frame.loc[line - 2, column] = f"{day}/{month}/{year}"

    return edit


def extra_field_on_line(line: int) -> Callable[[list[str]], list[str]]:
    def change(lines: list[str]) -> list[str]:
        lines[line - 1] = lines[line - 1] + ",surplus"
        return lines

    return change


def drop_last_field_on_line(line: int) -> Callable[[list[str]], list[str]]:
    def change(lines: list[str]) -> list[str]:
        lines[line - 1] = lines[line - 1].rsplit(",", 1)[0]
        return lines

    return change
