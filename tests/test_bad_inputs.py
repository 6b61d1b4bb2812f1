"""Catalogue of bad inputs (issue #6): each case builds one broken (or tricky but valid) input
from a real-layout fixture or a copy of the bundled data, calls the loader or function a
notebook would call, and checks the exact kind of error and that its message names the file,
column and row(s) or the parameter, plus what would be valid.

The table below is the catalogue the closing note lists; add a case by adding a row.
Row numbers in messages are 1-based file lines (CSV header = line 1; JSON records 1-based).
Cases named ``runner-*`` write a run file and expand it with
``analysis.runner.runfile.load_run_file`` (what ``python -m analysis.runner run`` does before
anything runs): their messages name the job, its notebook and the parameter, or the run file,
entry and notebook.
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
from analysis import events as ev
from analysis import panel
from analysis import windows as wn
from analysis.paths import PROJECT_ROOT
from analysis.runner import runfile
from analysis.runner.parameters import RunFileError
from analysis.sources import acled, actors, ucdp
from analysis.sources.curated import load_diplomatic_events, load_reported_counts
from analysis.sources.ucdp_daily import load_ucdp_daily
from analysis.windows import load_ceasefires

FIXTURES = Path(__file__).parent / "fixtures"
ACLED_CSV = FIXTURES / "acled" / "acled_current_layout.csv"
ACLED_JSON = FIXTURES / "acled" / "acled_api_pull.json"
GED_CSV = FIXTURES / "ucdp" / "ged_myanmar_sample.csv"
CANDIDATE_CSV = FIXTURES / "ucdp" / "gedevents_candidate_noheader.csv"
DATA = PROJECT_ROOT / "data"
CEASEFIRES = DATA / "curated" / "ceasefires.csv"
DIPLOMATIC = DATA / "curated" / "diplomatic_events.csv"
COUNTS = DATA / "curated" / "reported_strike_counts.csv"
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


# --- builders ---------------------------------------------------------------------------------


def _edited_csv(src: Path, dst: Path, edit: Callable[[pd.DataFrame], Any]) -> Path:
    """Copy a CSV through pandas (all text, blanks kept), applying ``edit`` to the frame
    (in place, or returning the new frame)."""
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    edited = edit(frame)
    frame = frame if edited is None else edited
    dst.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(dst, index=False)
    return dst


def _set(line: int, column: str, value: str) -> Callable[[pd.DataFrame], None]:
    """Edit setting one cell; ``line`` is the 1-based file line (header = 1)."""

    def edit(frame: pd.DataFrame) -> None:
        frame.loc[line - 2, column] = value

    return edit


def _cells(*edits: tuple[int, str, str]) -> Callable[[pd.DataFrame], None]:
    def edit(frame: pd.DataFrame) -> None:
        for line, column, value in edits:
            frame.loc[line - 2, column] = value

    return edit


def curated(src: Path, loader: Callable[[Path], Any], edit: Callable[[pd.DataFrame], None]):
    def build(tmp: Path) -> tuple[Call, Path]:
        path = _edited_csv(src, tmp / src.name, edit)
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
        path = _edited_csv(src, tmp / src.name, _set(line, column, "Café Hsipaw"))
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
        return (lambda: loader(path)), path

    return build


def read_acled(path: Path) -> pd.DataFrame:
    return acled.load_acled(path, cache_dir=False)


def read_ged(path: Path) -> pd.DataFrame:
    return ucdp.load_ged(path, cache_dir=False)


def acled_csv(edit: Callable[[pd.DataFrame], None]) -> Build:
    def build(tmp: Path) -> tuple[Call, Path]:
        path = _edited_csv(ACLED_CSV, tmp / "acled_export.csv", edit)
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
        path = _edited_csv(GED_CSV, tmp / "ged_export.csv", edit)
        return (lambda: read_ged(path)), path

    return build


def call(fn: Callable[[Path], Any]) -> Build:
    """A case that passes no file of its own (parameter checks); ``fn`` gets tmp_path."""
    return lambda tmp: ((lambda: fn(tmp)), None)


# --- edits ------------------------------------------------------------------------------------


def _drop(column: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda frame: frame.drop(columns=[column])


def _rename(old: str, new: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda frame: frame.rename(columns={old: new})


def _add_column(name: str, value: str) -> Callable[[pd.DataFrame], None]:
    def edit(frame: pd.DataFrame) -> None:
        frame[name] = value

    return edit


def _copy_cell(column: str, from_line: int, to_line: int) -> Callable[[pd.DataFrame], None]:
    def edit(frame: pd.DataFrame) -> None:
        frame.loc[to_line - 2, column] = frame.loc[from_line - 2, column]

    return edit


def _day_first(column: str, *lines: int) -> Callable[[pd.DataFrame], None]:
    """Rewrite the ISO dates on ``lines`` as DD/MM/YYYY (a spreadsheet's habit)."""

    def edit(frame: pd.DataFrame) -> None:
        for line in lines:
            year, month, day = frame.loc[line - 2, column].split("-")
            frame.loc[line - 2, column] = f"{day}/{month}/{year}"

    return edit


def _with_bom_and_burmese(tmp: Path) -> tuple[Call, Path]:
    path = _edited_csv(CEASEFIRES, tmp / "ceasefires.csv", _set(2, c.CF_NOTE, BURMESE))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return (lambda: load_ceasefires(path)), path


def _acled_with_bom_and_burmese(tmp: Path) -> tuple[Call, Path]:
    path = _edited_csv(ACLED_CSV, tmp / "acled_export.csv", _set(3, "actor2", BURMESE))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return (lambda: read_acled(path)), path


def _extra_field_on_line(line: int) -> Callable[[list[str]], list[str]]:
    def change(lines: list[str]) -> list[str]:
        lines[line - 1] = lines[line - 1] + ",surplus"
        return lines

    return change


def _drop_last_field_on_line(line: int) -> Callable[[list[str]], list[str]]:
    def change(lines: list[str]) -> list[str]:
        lines[line - 1] = lines[line - 1].rsplit(",", 1)[0]
        return lines

    return change


# --- run files for the report runner (checked before anything runs) -------------------------

NOTEBOOKS = PROJECT_ROOT / "notebooks"
NB01 = "01_strike_timeline.ipynb"
NB02 = "02_ceasefire_effect.ipynb"
NB03 = "03_ceasefire_timing.ipynb"
NB04 = "04_alignment.ipynb"


def run_file(text: str, overrides: dict[str, str] | None = None) -> Build:
    """A case that writes a run file (notebook paths relative to the project's notebooks
    folder, as in notebooks/reports.yml) and expands it as `python -m analysis.runner` does.
    ``text`` may contain ``{tmp}`` for the case's temporary folder."""

    def build(tmp: Path) -> tuple[Call, Path]:
        path = tmp / "run.yml"
        body = text.replace("{tmp}", str(tmp)).replace("{notebooks}", str(NOTEBOOKS))
        path.write_text(body, encoding="utf-8")
        return (lambda: runfile.load_run_file(path, overrides)), path

    return build


def one_job(notebook: str, parameters: str, name: str = "job") -> Build:
    """A run file with one job of ``notebook`` (in notebooks/) and the given YAML parameters."""
    return run_file(
        f"jobs:\n  - notebook: {{notebooks}}/{notebook}\n    name: {name}\n"
        f"    parameters: {parameters}\n"
    )


def job_says(notebook: str, name: str = "job") -> str:
    """Regex for the start of a runner message about one job: its name and notebook."""
    return rf"^job '{re.escape(name)}' \(.*/{re.escape(notebook)}\): "


def entry_says(notebook: str) -> str:
    """Regex for the start of a runner message about a run file entry: file, position,
    notebook."""
    return rf"^{PATH} job #1 \(.*/{re.escape(notebook)}\): "


def _check_bounds_inclusive(jobs: list) -> None:
    (job,) = jobs
    assert job.parameters == {"n_placebos": 100_000, "seed": 0, "pre_days": 7299}


def _check_cli_override(jobs: list) -> None:
    (job,) = jobs
    assert job.parameters["n_placebos"] == 50 and job.parameters["ceasefire_id"] == "mil-2021-04"


# --- shared inputs for parameter cases ----------------------------------------------------------


def _acled_events() -> pd.DataFrame:
    return read_acled(ACLED_CSV)


def _no_strike_matches(tmp: Path) -> pd.DataFrame:
    clashes = panel.filter_events(_acled_events(), category="armed_clash")
    return actors.apply_strike_definition(clashes, "junta_air")


def _missing_events_file(tmp: Path) -> pd.DataFrame:
    return ev.load_events("acled", events_path=tmp / "no_such_export.csv")


# --- positive-case checks (facts written by the case or read from the fixture file) ----------


def _check_bom_burmese(table: pd.DataFrame) -> None:
    assert table.columns[0] == c.CF_ID  # the BOM did not leak into the first header
    assert table.loc[0, c.CF_NOTE] == BURMESE
    assert table.loc[0, c.CF_ID] == pd.read_csv(CEASEFIRES, dtype=str).loc[0, c.CF_ID]


def _check_acled_bom_burmese(events: pd.DataFrame) -> None:
    row = events.set_index(c.EV_ID).loc["acled-MMR90002"]
    assert row[c.EV_TARGET_RAW] == BURMESE
    assert len(events) == 8


def _check_acled_formats(events: pd.DataFrame) -> None:
    dates = events.set_index(c.EV_ID)[c.EV_DATE]
    assert dates["acled-MMR90001"] == pd.Timestamp("2025-05-16")
    assert dates["acled-MMR90002"] == pd.Timestamp("2025-05-16")
    assert dates["acled-MMR90003"] == pd.Timestamp("2025-02-07")


def _check_acled_duplicates(events: pd.DataFrame) -> None:
    # acled_duplicate_ids.csv: MMR90001 on line 2 (timestamp 1747700000, 4 dead) is revised on
    # line 5 (later timestamp, 6 dead); the loader keeps the revision and reports line 2.
    assert len(events) == 3
    assert events.set_index(c.EV_ID).loc["acled-MMR90001", c.EV_FATALITIES] == 6
    assert events.attrs["dropped"][0]["file_rows"] == [2]
    assert "duplicate event_id_cnty" in events.attrs["dropped"][0]["reason"]


def _check_acled_extra_column(events: pd.DataFrame) -> None:
    assert len(events) == 8 and list(events.columns) == c.EVENTS.column_names


def _check_extension_on_last_day(table: pd.DataFrame) -> None:
    row = table.set_index(c.CF_ID).loc["mil-north-2019-05"]
    assert row[c.CF_EFFECTIVE_FROM] == pd.Timestamp("2019-04-30")


def _check_cross_declarer_overlap(table: pd.DataFrame) -> None:
    rows = table.set_index(c.CF_ID)
    for cid in ("nug-eq-2025-03", "tba-eq-2025-04"):
        assert rows.loc[cid, c.CF_EFFECTIVE_FROM] == pd.Timestamp("2025-04-01")
        assert rows.loc[cid, c.CF_EFFECTIVE_TO] == pd.Timestamp("2025-04-30")
    assert rows.loc["mil-eq-2025-04", c.CF_DECLARER_SIDE] == "state"


# --- the catalogue ---------------------------------------------------------------------------

CASES: list[Case] = [
    # Curated tables (analysis.sources.validate.read_table and the loaders) -------------
    Case(
        "curated-missing-column",
        curated(DIPLOMATIC, load_diplomatic_events, _drop(c.DE_BLOC)),
        c.DataContractError,
        where("bloc") + r"missing column\(s\) \['bloc'\]; expected columns \['event_id'",
    ),
    Case(
        "curated-renamed-column",
        curated(DIPLOMATIC, load_diplomatic_events, _rename("kind", "type")),
        c.DataContractError,
        where("kind") + r"missing column\(s\) \['kind'\]; found \['type'\] instead \(renamed\?\)",
    ),
    Case(
        "curated-extra-column",
        curated(COUNTS, load_reported_counts, _add_column("comment", "x")),
        c.DataContractError,
        where("comment") + r"unexpected column\(s\) \['comment'\]; expected \['count_id'",
    ),
    Case(
        "curated-text-in-int-column",
        curated(COUNTS, load_reported_counts, _set(4, c.RC_STRIKES, "about 40")),
        c.DataContractError,
        where("strikes", [4]) + r"expected a whole number, found \['about 40'\]",
    ),
    Case(
        "curated-fraction-in-int-column",
        curated(UCDP_DAILY, load_ucdp_daily, _set(7, c.UD_EVENTS, "2.5")),
        c.DataContractError,
        where("events", [7]) + r"expected a whole number, found \['2.5'\]",
    ),
    Case(
        "curated-unparseable-date",
        curated(CEASEFIRES, load_ceasefires, _set(5, c.CF_EFFECTIVE_FROM, "31/04/2019")),
        c.DataContractError,
        where("effective_from", [5])
        + r"expected a date in YYYY-MM-DD form, found \['31/04/2019'\]",
    ),
    Case(
        "curated-impossible-calendar-date",
        curated(COUNTS, load_reported_counts, _set(3, c.RC_PERIOD_START, "2021-02-30")),
        c.DataContractError,
        where("period_start", [3]) + r"expected a date in YYYY-MM-DD form, found \['2021-02-30'\]",
    ),
    Case(
        "curated-mixed-date-formats",
        curated(DIPLOMATIC, load_diplomatic_events, _day_first(c.DE_DATE_START, 4, 6)),
        c.DataContractError,
        where("date_start", [4, 6]) + r"expected a date in YYYY-MM-DD form, found \['\d\d/\d\d/",
    ),
    Case(
        "curated-file-not-found",
        lambda tmp: ((lambda: load_ceasefires(tmp / "nope.csv")), tmp / "nope.csv"),
        c.DataContractError,
        where(None) + "file not found$",
    ),
    Case(
        "curated-row-with-extra-field",
        lines_of(CEASEFIRES, _extra_field_on_line(6), "ceasefires.csv", load_ceasefires),
        c.DataContractError,
        where(None, [6])
        + r"row has 17 fields, expected 16 \(an unquoted comma or a cut-off line\?\)$",
    ),
    Case(
        "curated-empty-file",
        raw_file("ceasefires.csv", "", load_ceasefires),
        c.DataContractError,
        where(None) + r"file is empty \(no header row\)$",
    ),
    Case(
        "curated-header-only",
        raw_file("ceasefires.csv", ",".join(c.CEASEFIRES.column_names) + "\n", load_ceasefires),
        c.DataContractError,
        where(None) + "file has a header but no data rows$",
    ),
    Case(
        "curated-utf8-bom-and-burmese-text-load",
        _with_bom_and_burmese,
        None,
        check=_check_bom_burmese,
    ),
    Case(
        "curated-latin1-file",
        latin1(CEASEFIRES, load_ceasefires, 6, c.CF_NOTE),
        c.DataContractError,
        where(None, [6]) + r"file is not UTF-8 text .*re-save it as UTF-8",
    ),
    Case(
        "curated-duplicate-ceasefire-id",
        curated(CEASEFIRES, load_ceasefires, _copy_cell(c.CF_ID, 4, 5)),
        c.DataContractError,
        where("ceasefire_id", [4, 5])
        + r"values must be unique; \['mil-north-2019-07'\] appear\(s\) more than once",
    ),
    Case(
        "curated-duplicate-event-id",
        curated(DIPLOMATIC, load_diplomatic_events, _copy_cell(c.DE_ID, 2, 9)),
        c.DataContractError,
        where("event_id", [2, 9]) + r"values must be unique; \['[\w-]+'\] appear\(s\) more",
    ),
    Case(
        "curated-value-outside-vocabulary",
        curated(
            CEASEFIRES,
            load_ceasefires,
            _cells((3, c.CF_KIND, "trilateral"), (7, c.CF_KIND, "trilateral")),
        ),
        c.DataContractError,
        where("kind", [3, 7])
        + r"value\(s\) \['trilateral'\] not allowed; expected one of \['unilateral', 'bilateral'",
    ),
    Case(
        "curated-blank-required-cell",
        curated(CEASEFIRES, load_ceasefires, _set(8, c.CF_DECLARED_BY, "")),
        c.DataContractError,
        where("declared_by", [8]) + "blank value; this column must be filled in$",
    ),
    Case(
        "curated-source-url-not-a-web-address",
        curated(DIPLOMATIC, load_diplomatic_events, _set(4, c.DE_SOURCE_URL, "see notes")),
        c.DataContractError,
        where("source_url", [4])
        + r"value\(s\) \['see notes'\] not a web address; expected a URL starting http://",
    ),
    Case(
        "curated-negative-count",
        curated(COUNTS, load_reported_counts, _set(5, c.RC_STRIKES, "-4")),
        c.DataContractError,
        where("strikes", [5]) + r"value\(s\) \['-4'\] below the minimum 0$",
    ),
    Case(
        "ucdp-daily-negative-deaths",
        curated(UCDP_DAILY, load_ucdp_daily, _set(10, c.UD_DEATHS_BEST, "-3")),
        c.DataContractError,
        where("deaths_best", [10]) + r"value\(s\) \['-3'\] below the minimum 0$",
    ),
    Case(
        "diplomatic-date-end-before-start",
        curated(DIPLOMATIC, load_diplomatic_events, _set(3, c.DE_DATE_END, "1990-01-01")),
        c.DataContractError,
        where("date_end", [3]) + "date_end is before date_start$",
    ),
    # Ceasefire links and windows (analysis.sources.curated._check_ceasefire_links) -----------
    Case(
        "ceasefire-effective-to-before-effective-from",
        curated(CEASEFIRES, load_ceasefires, _set(2, c.CF_EFFECTIVE_TO, "2010-01-01")),
        c.DataContractError,
        where("effective_to", [2]) + "effective_to is before effective_from$",
    ),
    Case(
        "ceasefire-extends-unknown-id",
        curated(CEASEFIRES, load_ceasefires, _set(3, c.CF_EXTENDS, "no-such-truce")),
        c.DataContractError,
        where("extends", [3]) + r"extends unknown ceasefire_id\(s\) \['no-such-truce'\]$",
    ),
    Case(
        "ceasefire-extension-starts-before-parent",
        curated(CEASEFIRES, load_ceasefires, _set(3, c.CF_EFFECTIVE_FROM, "2018-12-01")),
        c.DataContractError,
        where("effective_from", [2, 3])
        + r"extension 'mil-north-2019-05' \(line 3\) starts 2018-12-01, before the ceasefire "
        r"it extends, 'mil-north-2018-12' \(line 2\), starts 2018-12-21$",
    ),
    Case(
        "ceasefire-same-chain-overlap",
        curated(CEASEFIRES, load_ceasefires, _set(4, c.CF_EFFECTIVE_FROM, "2019-06-15")),
        c.DataContractError,
        where("effective_from", [3, 4])
        + r"'mil-north-2019-05' \(line 3\) and 'mil-north-2019-07' \(line 4\) belong to the "
        r"same extension chain but their windows share 16 days",
    ),
    Case(
        "ceasefire-sibling-extensions-overlap",
        curated(
            CEASEFIRES,
            load_ceasefires,
            # line 4 re-pointed at the chain's root and moved into line 3's window: the two
            # extensions of mil-north-2018-12 now cover 2019-06-01..30 twice
            _cells((4, c.CF_EXTENDS, "mil-north-2018-12"), (4, c.CF_EFFECTIVE_FROM, "2019-06-01")),
        ),
        c.DataContractError,
        where("effective_from", [3, 4])
        + r"'mil-north-2019-05' \(line 3\) and 'mil-north-2019-07' \(line 4\) belong to the "
        r"same extension chain but their windows share 30 days",
    ),
    Case(
        "ceasefire-extends-loop",
        curated(CEASEFIRES, load_ceasefires, _set(2, c.CF_EXTENDS, "mil-north-2019-09")),
        c.DataContractError,
        where("extends", [2, 3, 4, 5]) + r"extends chain loops back on itself through "
        r"\['mil-north-2018-12', 'mil-north-2019-05', 'mil-north-2019-07', 'mil-north-2019-09'\]",
    ),
    Case(
        "ceasefire-extension-on-parents-last-day-loads",
        curated(CEASEFIRES, load_ceasefires, _set(3, c.CF_EFFECTIVE_FROM, "2019-04-30")),
        None,
        check=_check_extension_on_last_day,
    ),
    Case(
        "ceasefire-overlap-between-declarers-loads",
        curated(
            CEASEFIRES,
            load_ceasefires,
            # nug-eq-2025-03 (line 31) given exactly the window of tba-eq-2025-04 (line 32)
            _cells((31, c.CF_EFFECTIVE_FROM, "2025-04-01"), (31, c.CF_EFFECTIVE_TO, "2025-04-30")),
        ),
        None,
        check=_check_cross_declarer_overlap,
    ),
    # ACLED exports and API pulls (analysis.sources.acled.load_acled) ---------------------------
    Case(
        "acled-missing-column",
        lambda tmp: (
            lambda: read_acled(FIXTURES / "acled" / "acled_missing_column.csv"),
            FIXTURES / "acled" / "acled_missing_column.csv",
        ),
        c.DataContractError,
        where("fatalities") + r"missing column\(s\) \['fatalities'\]: not an ACLED export in a "
        r"known layout \(expected the columns \['event_id_cnty'",
    ),
    Case(
        "acled-renamed-column",
        acled_csv(_rename("event_date", "date")),
        c.DataContractError,
        where("event_date") + r"missing column\(s\) \['event_date'\]: not an ACLED export",
    ),
    Case(
        "acled-extra-column-is-ignored",
        acled_csv(_add_column("my_comment", "checked")),
        None,
        check=_check_acled_extra_column,
    ),
    Case(
        "acled-text-in-int-column",
        acled_csv(_set(6, "fatalities", "one")),
        c.DataContractError,
        where("fatalities", [6]) + r"expected a whole number, found \['one'\]$",
    ),
    Case(
        "acled-unparseable-date",
        lambda tmp: (
            lambda: read_acled(FIXTURES / "acled" / "acled_bad_date.csv"),
            FIXTURES / "acled" / "acled_bad_date.csv",
        ),
        c.DataContractError,
        where("event_date", [4]) + r"unreadable date\(s\) \['2025/17/05'\]; expected one of "
        r"\['%Y-%m-%d', '%d %B %Y', '%d-%b-%y'\]",
    ),
    Case(
        "acled-three-allowed-date-formats-load",
        acled_csv(
            _cells(
                (2, "event_date", "2025-05-16"),
                (3, "event_date", "16 May 2025"),
                (4, "event_date", "7-Feb-25"),
            )
        ),
        None,
        check=_check_acled_formats,
    ),
    Case(
        "acled-date-matching-no-format",
        acled_csv(
            _cells(
                (2, "event_date", "2025-05-16"),
                (3, "event_date", "16 May 2025"),
                (4, "event_date", "7-Feb-25"),
                (5, "event_date", "05/18/2025"),
                (8, "event_date", "May 20th"),
            )
        ),
        c.DataContractError,
        where("event_date", [5, 8]) + r"unreadable date\(s\) \['05/18/2025', 'May 20th'\]",
    ),
    Case(
        "acled-empty-file",
        raw_file("acled_export.csv", "", read_acled),
        c.DataContractError,
        where(None) + r"file is empty \(no header row\)$",
    ),
    Case(
        "acled-header-only",
        raw_file(
            "acled_export.csv", ACLED_CSV.read_text("utf-8").splitlines()[0] + "\n", read_acled
        ),
        c.DataContractError,
        where(None) + "file has no event rows; check the export's filters$",
    ),
    Case(
        "acled-utf8-bom-and-burmese-text-load",
        _acled_with_bom_and_burmese,
        None,
        check=_check_acled_bom_burmese,
    ),
    Case(
        "acled-latin1-file",
        latin1(ACLED_CSV, read_acled, 7, "notes"),
        c.DataContractError,
        where(None, [7]) + r"file is not UTF-8 text .*re-save it as UTF-8",
    ),
    Case(
        "acled-row-with-extra-field",
        lines_of(ACLED_CSV, _extra_field_on_line(4), "acled_export.csv", read_acled),
        c.DataContractError,
        where(None, [4])
        + r"row has 32 fields, expected 31 \(an unquoted comma or a cut-off line\?\)$",
    ),
    Case(
        "acled-duplicate-ids-keep-latest-timestamp",
        lambda tmp: (
            lambda: read_acled(FIXTURES / "acled" / "acled_duplicate_ids.csv"),
            None,
        ),
        None,
        check=_check_acled_duplicates,
    ),
    Case(
        "acled-negative-fatalities",
        acled_csv(_set(4, "fatalities", "-2")),
        c.DataContractError,
        where("fatalities", [4]) + r"expected a value >= 0, found \['-2'\]$",
    ),
    Case(
        "acled-latitude-out-of-range",
        acled_csv(_set(3, "latitude", "95.5")),
        c.DataContractError,
        where("latitude", [3]) + r"expected a value between -90 and 90, found \['95.5'\]$",
    ),
    Case(
        "acled-inter-code-out-of-range",
        acled_csv(_set(5, "inter1", "9")),
        c.DataContractError,
        where("inter1", [5])
        + r"unknown actor type\(s\) \['9'\]; expected 1-8 or \['state forces', 'rebel group'",
    ),
    Case(
        "acled-json-not-a-list",
        acled_json(lambda document: {"status": 200, "count": 3}),
        c.DataContractError,
        where(None) + r"expected a list of event records \(or an API response with a 'data' "
        r"list\), found an object with keys \['count', 'status'\]$",
    ),
    Case(
        "acled-json-list-of-non-records",
        acled_json(lambda document: ["MMR92001", "MMR92002"]),
        c.DataContractError,
        where(None, [1, 2]) + r"expected each record to be an object of ACLED fields, found "
        r"\['str', 'str'\]$",
    ),
    Case(
        "acled-json-not-json",
        raw_file("acled_pull.json", '{"data": [{"event_id_cnty": "MMR1",', read_acled),
        c.DataContractError,
        where(None, [1]) + "not valid JSON: ",
    ),
    Case(
        "acled-json-negative-fatalities-names-record",
        acled_json(lambda document: document["data"][2].update(fatalities="-1")),
        c.DataContractError,
        where("fatalities", [3]) + r"expected a value >= 0, found \['-1'\]$",
    ),
    # UCDP GED / Candidate files (analysis.sources.ucdp.load_ged) -----------------------------
    Case(
        "ged-missing-column",
        lambda tmp: (
            lambda: read_ged(FIXTURES / "ucdp" / "ged_missing_column.csv"),
            FIXTURES / "ucdp" / "ged_missing_column.csv",
        ),
        c.DataContractError,
        where("best") + r"missing column\(s\) \['best'\]; expected \['id', 'relid'",
    ),
    Case(
        "ged-negative-best",
        ged_csv(_set(3, "best", "-1")),
        c.DataContractError,
        where("best", [3]) + r"expected a value >= 0, found \['-1'\]$",
    ),
    Case(
        "ged-negative-civilian-deaths",
        ged_csv(_set(4, "deaths_civilians", "-5")),
        c.DataContractError,
        where("deaths_civilians", [4]) + r"expected a value >= 0, found \['-5'\]$",
    ),
    Case(
        "ged-longitude-out-of-range",
        ged_csv(_set(3, "longitude", "195.1")),
        c.DataContractError,
        where("longitude", [3]) + r"expected a value between -180 and 180, found \['195.1'\]$",
    ),
    Case(
        "ged-duplicate-event-id",
        ged_csv(_copy_cell("id", 2, 5)),
        c.DataContractError,
        where("id", [2, 5]) + r"event id\(s\) \['400001'\] appear more than once",
    ),
    Case(
        "ged-header-only",
        raw_file("ged_export.csv", GED_CSV.read_text("utf-8").splitlines()[0] + "\n", read_ged),
        c.DataContractError,
        where(None) + "file has no event rows$",
    ),
    Case(
        "candidate-headerless-wrong-column-count",
        lines_of(CANDIDATE_CSV, _drop_last_field_on_line(1), "gedevents_cand.csv", read_ged),
        c.DataContractError,
        where(None, [1]) + r"first line has 48 fields and is not the GED header; expected the "
        r"49-column GED/Candidate layout",
    ),
    Case(
        "candidate-headerless-short-later-row",
        lines_of(CANDIDATE_CSV, _drop_last_field_on_line(2), "gedevents_cand.csv", read_ged),
        c.DataContractError,
        where(None, [2])
        + r"row has 48 fields, expected 49 \(an unquoted comma or a cut-off line\?\)$",
    ),
    Case(
        "ged-unknown-source-label",
        call(lambda tmp: ucdp.load_ged(GED_CSV, cache_dir=False, source="acled")),
        ValueError,
        r"^source must be 'ucdp_ged' or 'ucdp_candidate', got 'acled'$",
    ),
    # Parameters a notebook passes (load, panel, actors) ---------------------------------------
    Case(
        "unknown-source",
        call(lambda tmp: ev.load_events("gdelt")),
        ValueError,
        r"^unknown source 'gdelt'; choose one of \['ucdp_daily', 'ucdp_ged', 'ucdp_candidate', "
        r"'acled'\]$",
    ),
    Case(
        "events-path-missing",
        call(lambda tmp: ev.load_events("acled")),
        ValueError,
        r"^source 'acled' needs events_path \(a file under data/raw/\)$",
    ),
    Case(
        "events-path-not-found",
        lambda tmp: ((lambda: _missing_events_file(tmp)), tmp / "no_such_export.csv"),
        c.DataContractError,
        where(None) + r"file not found \(events_path='.*no_such_export.csv'; relative paths are "
        r"taken from the project root",
    ),
    Case(
        "analysis-window-outside-coverage",
        call(lambda tmp: ev.coverage(_acled_events(), "2021-01-01", "2021-12-31")),
        ValueError,
        r"^analysis window 2021-01-01 to 2021-12-31 lies outside the data \(2025-05-16 to "
        r"2025-05-20\); choose start and end within the data's dates$",
    ),
    Case(
        "analysis-window-reversed",
        call(lambda tmp: ev.coverage(_acled_events(), "2025-05-20", "2025-05-16")),
        ValueError,
        r"^analysis window ends \(2025-05-16\) before it starts \(2025-05-20\)$",
    ),
    Case(
        "unknown-ceasefire-id",
        call(lambda tmp: wn.ceasefire_periods(load_ceasefires(), ids=["mil-eq-2025-4"])),
        ValueError,
        r"^unknown ceasefire_id\(s\) \['mil-eq-2025-4'\]; did you mean \[.*'mil-eq-2025-04'.*\]\? "
        r"\(\d+ ids are listed in the ceasefire_id column",
    ),
    Case(
        "strike-definition-matches-no-rows",
        call(_no_strike_matches),
        ValueError,
        r"^strike definition 'junta_air' matches none of the 1 events from source\(s\) "
        r"\['acled'\]; check the actor registry and the definition's filters",
    ),
    Case(
        "unknown-strike-definition",
        call(lambda tmp: actors.apply_strike_definition(_acled_events(), "junta_airstrikes")),
        ValueError,
        r"^unknown strike definition 'junta_airstrikes'; known: \[.*'junta_air'.*\]$",
    ),
    Case(
        "strike-definition-for-another-source",
        call(lambda tmp: actors.apply_strike_definition(read_ged(GED_CSV), "junta_air")),
        ValueError,
        r"^strike definition 'junta_air' applies to sources \['acled'\], but the events come "
        r"from \['ucdp_ged'\]$",
    ),
    Case(
        "unknown-frequency",
        call(lambda tmp: panel.build_panel(_acled_events(), freq="Q")),
        ValueError,
        r"^frequency must be one of \['D', 'W', 'M'\] \(D days, W Monday-start weeks, M months\), "
        r"got 'Q'$",
    ),
    Case(
        "unknown-bloc",
        call(
            lambda tmp: panel.diplomatic_events_in_range(
                load_diplomatic_events(), "2019-01-01", "2024-12-31", blocs=["China", "EU"]
            )
        ),
        ValueError,
        r"^unknown bloc\(s\) \['EU'\]; choose from \['China', 'Russia', 'India', 'Japan', "
        r"'ASEAN', 'West', 'other'\]$",
    ),
    # Report runner: run-file parameters, rejected before any notebook runs -----------------
    Case(
        "runner-unknown-parameter",
        one_job(NB01, "{frequncy: M}"),
        RunFileError,
        job_says(NB01) + r"unknown parameter 'frequncy' \(the notebook declares: .*'?frequency",
    ),
    Case(
        "runner-wrong-type-int-as-text",
        one_job(NB02, "{n_placebos: '99'}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = '99' is str, expected int \(default: 999\)$",
    ),
    Case(
        "runner-wrong-type-text-for-list",
        one_job(NB01, "{regions: Sagaing}"),
        RunFileError,
        job_says(NB01)
        + r"parameter 'regions' = 'Sagaing' is str, expected list \(default: \[\]\)$",
    ),
    Case(
        "runner-wrong-type-bool-for-int",
        one_job(NB02, "{seed: true}"),
        RunFileError,
        job_says(NB02) + r"parameter 'seed' = True is bool, expected int",
    ),
    Case(
        "runner-n-placebos-zero",
        one_job(NB02, "{n_placebos: 0}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = 0 is out of range: expected 1 to 100000$",
    ),
    Case(
        "runner-n-placebos-negative",
        one_job(NB02, "{n_placebos: -5}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = -5 is out of range: expected 1 to 100000$",
    ),
    Case(
        "runner-n-placebos-absurd",
        one_job(NB02, "{n_placebos: 1000000000}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = 1000000000 is out of range: expected 1 to "
        r"100000$",
    ),
    Case(
        "runner-n-permutations-zero",
        one_job(NB03, "{n_permutations: 0}"),
        RunFileError,
        job_says(NB03) + r"parameter 'n_permutations' = 0 is out of range: expected 1 to 100000$",
    ),
    Case(
        "runner-n-placebo-dates-absurd",
        one_job(NB04, "{n_placebo_dates: 1000000000}"),
        RunFileError,
        job_says(NB04) + r"parameter 'n_placebo_dates' = 1000000000 is out of range",
    ),
    Case(
        "runner-seed-negative",
        one_job(NB02, "{seed: -1}"),
        RunFileError,
        job_says(NB02) + r"parameter 'seed' = -1 is out of range: expected 0 to 4294967295$",
    ),
    Case(
        "runner-seed-too-large",
        one_job(NB02, "{seed: 4294967296}"),
        RunFileError,
        job_says(NB02) + r"parameter 'seed' = 4294967296 is out of range: expected 0 to "
        r"4294967295$",
    ),
    Case(
        "runner-pre-days-zero",
        one_job(NB02, "{pre_days: 0}"),
        RunFileError,
        job_says(NB02) + r"parameter 'pre_days' = 0 is out of range: expected 1 to 7299$",
    ),
    Case(
        "runner-window-days-twenty-years",
        one_job(NB03, "{window_days: 7300}"),
        RunFileError,
        job_says(NB03) + r"parameter 'window_days' = 7300 is out of range: expected 1 to 7299$",
    ),
    Case(
        "runner-open-ended-days-negative",
        one_job(NB01, "{open_ended_days: -90}"),
        RunFileError,
        job_says(NB01) + r"parameter 'open_ended_days' = -90 is out of range",
    ),
    Case(
        "runner-several-problems-in-one-message",
        one_job(NB02, "{n_placebos: 0, max_during_days: 100000, gapp: interim}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = 0 is out of range: expected 1 to 100000; "
        r"parameter 'max_during_days' = 100000 is out of range: expected 1 to 7299; "
        r"unknown parameter 'gapp'",
    ),
    Case(
        "runner-unknown-frequency",
        one_job(NB01, "{frequency: Q}"),
        RunFileError,
        job_says(NB01) + r"parameter 'frequency' = 'Q': \['Q'\] not allowed; choose from "
        r"\['D', 'W', 'M'\]$",
    ),
    Case(
        "runner-unknown-source",
        one_job(NB02, "{source: gdelt}"),
        RunFileError,
        job_says(NB02) + r"parameter 'source' = 'gdelt': \['gdelt'\] not allowed; choose from "
        r"\['ucdp_daily', 'ucdp_ged', 'ucdp_candidate', 'acled'\]$",
    ),
    Case(
        "runner-unknown-bloc-in-list",
        one_job(NB01, "{blocs: [China, EU]}"),
        RunFileError,
        job_says(NB01) + r"parameter 'blocs' = \['China', 'EU'\]: \['EU'\] not allowed; "
        r"choose from \['China', 'Russia', 'India', 'Japan', 'ASEAN', 'West', 'other'\]$",
    ),
    Case(
        "runner-date-day-first",
        one_job(NB01, "{start: 01/02/2021}"),
        RunFileError,
        job_says(NB01) + r"parameter 'start' = '01/02/2021' is not a date: expected YYYY-MM-DD",
    ),
    Case(
        "runner-date-impossible",
        one_job(NB02, "{series_end: '2023-02-30'}"),
        RunFileError,
        job_says(NB02) + r"parameter 'series_end' = '2023-02-30' is not a date",
    ),
    Case(
        "runner-events-path-not-found",
        one_job(NB01, "{source: acled, events_path: '{tmp}/no_such_export.csv'}"),
        RunFileError,
        job_says(NB01) + r"parameter 'events_path' = '.*no_such_export.csv': file not found",
    ),
    Case(
        "runner-data-dir-not-found",
        one_job(NB01, "{data_dir: '{tmp}/no_such_folder'}"),
        RunFileError,
        job_says(NB01) + r"parameter 'data_dir' = '.*no_such_folder': folder not found",
    ),
    Case(
        "runner-unknown-ceasefire-id",
        one_job(NB02, "{ceasefire_id: mil-eq-2025-4}"),
        RunFileError,
        job_says(NB02) + r"parameter 'ceasefire_id': unknown ceasefire_id\(s\) "
        r"\['mil-eq-2025-4'\]; did you mean \[.*'mil-eq-2025-04'.*\]\? \(\d+ ids are listed",
    ),
    Case(
        "runner-unknown-ceasefire-in-list",
        one_job(NB01, "{ceasefire_ids: [aa-mil-2022-11, no-such-truce]}"),
        RunFileError,
        job_says(NB01) + r"parameter 'ceasefire_ids': unknown ceasefire_id\(s\) "
        r"\['no-such-truce'\]",
    ),
    Case(
        "runner-unknown-truce-id",
        one_job(NB04, "{truce_id: aa-mil-2022-12}"),
        RunFileError,
        job_says(NB04) + r"parameter 'truce_id': unknown ceasefire_id\(s\) \['aa-mil-2022-12'\]",
    ),
    Case(
        "runner-unknown-ceasefire-id-in-parameter-set",
        run_file(
            "jobs:\n  - notebook: {notebooks}/" + NB02 + "\n    name: effect\n"
            "    parameter_sets: [{ceasefire_id: aa-mil-2022-11}, {ceasefire_id: aa-mil-2022}]\n"
        ),
        RunFileError,
        job_says(NB02, "effect__ceasefire_id-aa-mil-2022")
        + r"parameter 'ceasefire_id': unknown ceasefire_id\(s\) \['aa-mil-2022'\]",
    ),
    Case(
        "runner-sweep-matches-no-ceasefire",
        run_file(
            "jobs:\n  - notebook: {notebooks}/" + NB02 + "\n"
            "    sweep: {parameter: ceasefire_id, from: ceasefires, "
            "where: {ceasefire_id: no-such-truce}}\n"
        ),
        RunFileError,
        entry_says(NB02) + r"sweep matches no row of 'ceasefires' "
        r"\(where: \{'ceasefire_id': 'no-such-truce'\}\); check the filter values$",
    ),
    Case(
        "runner-job-name-with-dotdot",
        one_job(NB01, "{}", name="../../outside"),
        RunFileError,
        entry_says(NB01) + r"job name '../../outside' is not a plain folder name .* e\.g\. "
        r"'outside'$",
    ),
    Case(
        "runner-job-name-absolute",
        one_job(NB01, "{}", name="/tmp/report"),
        RunFileError,
        entry_says(NB01) + r"job name '/tmp/report' is not a plain folder name",
    ),
    Case(
        "runner-job-name-failed-folder",
        one_job(NB01, "{}", name="_failed"),
        RunFileError,
        entry_says(NB01) + r"job name '_failed' is not a plain folder name",
    ),
    Case(
        "runner-timeout-zero",
        run_file("jobs:\n  - notebook: {notebooks}/" + NB01 + "\n    timeout: 0\n"),
        RunFileError,
        entry_says(NB01) + r"timeout must be a positive number of seconds, not 0$",
    ),
    Case(
        "runner-cli-override-out-of-range",
        run_file("jobs:\n  - notebook: {notebooks}/" + NB02 + "\n", {"n_placebos": "0"}),
        RunFileError,
        job_says(NB02, "02_ceasefire_effect") + r"parameter 'n_placebos' = 0 is out of range",
    ),
    Case(
        "runner-bounds-are-inclusive",
        one_job(NB02, "{n_placebos: 100000, seed: 0, pre_days: 7299}"),
        None,
        check=_check_bounds_inclusive,
    ),
    Case(
        "runner-cli-override-typed-and-checked",
        run_file(
            "jobs:\n  - notebook: {notebooks}/" + NB02 + "\n    parameters: {n_placebos: 9}\n",
            {"n_placebos": "50", "ceasefire_id": "mil-2021-04"},
        ),
        None,
        check=_check_cli_override,
    ),
]


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_catalogue(case: Case, tmp_path: Path) -> None:
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
