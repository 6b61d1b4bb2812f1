"""The bundled data files satisfy the data contract and are documented in data/README.md.

Each check is a small function that returns the problems it finds (empty list = fine). The
tests run every check on the committed files and, to prove the checks can fail, on deliberately
broken copies written to ``tmp_path``.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis import contract as c
from analysis.ceasefire_table import load_ceasefires
from analysis.paths import PROJECT_ROOT
from analysis.sources import curated, ethprio, ucdp_daily, validate

DATA = PROJECT_ROOT / "data"
README = DATA / "README.md"
CEASEFIRES_CSV = DATA / "curated" / "ceasefires.csv"
DIPLOMATIC_CSV = DATA / "curated" / "diplomatic_events.csv"
COUNTS_CSV = DATA / "curated" / "reported_strike_counts.csv"
CLAIMS_CSV = DATA / "curated" / "date_claims.csv"
BLOCS_CSV = DATA / "curated" / "mediator_blocs.csv"
UCDP_CSV = DATA / "ucdp" / "ucdp_ged_myanmar_daily.csv"

# Every bundled file, the contract table it follows and its validating loader.
BUNDLED: dict[str, tuple[Path, c.TableSpec, Callable[..., pd.DataFrame]]] = {
    "ceasefires": (CEASEFIRES_CSV, c.CEASEFIRES, load_ceasefires),
    "diplomatic_events": (DIPLOMATIC_CSV, c.DIPLOMATIC_EVENTS, curated.load_diplomatic_events),
    "reported_strike_counts": (COUNTS_CSV, c.REPORTED_COUNTS, curated.load_reported_counts),
    "date_claims": (CLAIMS_CSV, c.DATE_CLAIMS, curated.load_date_claims),
    "mediator_blocs": (BLOCS_CSV, c.MEDIATOR_BLOC_TABLE, ethprio.load_mediator_blocs),
    "ucdp_ged_myanmar_daily": (UCDP_CSV, c.UCDP_DAILY, ucdp_daily.load_ucdp_daily),
}
CURATED = (
    "ceasefires",
    "diplomatic_events",
    "reported_strike_counts",
    "date_claims",
    "mediator_blocs",
)

URL_PATTERN = re.compile(r"^https?://\S+$")
ISO_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_TEXT = re.compile(r"^\d+$")
SHA_IN_README = re.compile(r"SHA-256[^`\n]*`([0-9a-f]{64})`")
README_SECTION = re.compile(r"^##\s+`(?:[\w-]+/)?([\w-]+)\.csv`\s*$", re.MULTILINE)
README_COLUMN_ROW = re.compile(r"^\|\s*`([\w]+)`\s*\|\s*(\w+)\s*\|\s*(yes|no)\s*\|([^|]*)\|", re.M)


# --- checkers -------------------------------------------------------------------------------


def raw_text_problems(path: Path, spec: c.TableSpec) -> list[str]:
    """Cells whose text is not in canonical form: dates as YYYY-MM-DD, ints without '.0'."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = []
    for col in spec.columns:
        pattern = {c.DTYPE_DATE: ISO_DATE_TEXT, c.DTYPE_INT: INT_TEXT}.get(col.dtype)
        if pattern is None or col.name not in raw:
            continue
        cells = raw[col.name]
        bad = cells[(cells != "") & ~cells.str.match(pattern)]
        problems += [f"{path.name} line {i + 2} {col.name}={v!r}" for i, v in bad.items()]
    return problems


def source_url_problems(path: Path) -> list[str]:
    """Rows whose source_url is missing or not an absolute http(s) address."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "source_url" not in raw:
        return [f"{path.name}: no source_url column"]
    bad = raw["source_url"][~raw["source_url"].str.match(URL_PATTERN)]
    return [f"{path.name} line {i + 2}: source_url={v!r}" for i, v in bad.items()]


def extends_problems(ceasefires: pd.DataFrame) -> list[str]:
    """Broken extension links: unknown parent, self/cyclic links, an extension that starts
    before its parent was declared, or a change of declaring side along a chain."""
    by_id = ceasefires.set_index(c.CF_ID)
    problems = []
    # An extension starts when it takes effect; if that is unknown, when it was declared.
    starts = by_id[c.CF_EFFECTIVE_FROM].fillna(by_id[c.CF_DECLARED_ON])
    declared = by_id[c.CF_DECLARED_ON].fillna(by_id[c.CF_EFFECTIVE_FROM])
    for child, parent in by_id[c.CF_EXTENDS].dropna().items():
        if parent not in by_id.index:
            problems.append(f"{child}: extends unknown id {parent!r}")
            continue
        if pd.isna(starts[child]) or pd.isna(declared[parent]):
            problems.append(f"{child}: cannot date the extension or its parent {parent}")
        elif starts[child] < declared[parent]:
            problems.append(
                f"{child}: starts {starts[child].date()} before {parent} was declared "
                f"{declared[parent].date()}"
            )
        if by_id.at[child, c.CF_DECLARER_SIDE] != by_id.at[parent, c.CF_DECLARER_SIDE]:
            problems.append(f"{child}: declarer_side differs from {parent}")
    for start in by_id[c.CF_EXTENDS].dropna().index:
        seen, current = set(), start
        while current in by_id.index and pd.notna(by_id.at[current, c.CF_EXTENDS]):
            if current in seen:
                problems.append(f"{start}: extends chain loops back to {current}")
                break
            seen.add(current)
            current = by_id.at[current, c.CF_EXTENDS]
    return problems


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded_sha256(readme_text: str) -> str | None:
    """The SHA-256 written in the README next to the UCDP file, if any."""
    found = SHA_IN_README.search(readme_text)
    return found.group(1) if found else None


def readme_column_problems(readme_text: str, specs: dict[str, c.TableSpec]) -> list[str]:
    """Contract columns missing from the README's column table of their file, documented with
    the wrong dtype, blank rule or allowed values, or documented but not in the contract."""
    sections = list(README_SECTION.finditer(readme_text))
    bodies = {
        match.group(1): readme_text[
            match.end() : sections[i + 1].start() if i + 1 < len(sections) else len(readme_text)
        ]
        for i, match in enumerate(sections)
    }
    problems = []
    for name, spec in specs.items():
        if name not in bodies:
            problems.append(f"README has no section for {name}.csv")
            continue
        documented = {m.group(1): m for m in README_COLUMN_ROW.finditer(bodies[name])}
        for col in spec.columns:
            row = documented.get(col.name)
            if row is None:
                problems.append(f"{name}.{col.name} not documented")
                continue
            if row.group(2) != col.dtype:
                problems.append(f"{name}.{col.name}: README dtype {row.group(2)} != {col.dtype}")
            if (row.group(3) == "yes") != col.nullable:
                problems.append(f"{name}.{col.name}: README blank rule disagrees with contract")
            listed = re.findall(r"`([^`]+)`", row.group(4))
            if col.allowed is not None and listed != list(col.allowed):
                problems.append(f"{name}.{col.name}: README allowed {listed} != {col.allowed}")
        problems += [
            f"{name}.{extra} documented but not in the contract"
            for extra in documented
            if extra not in spec.column_names
        ]
    return problems


# --- the committed files -------------------------------------------------------------------


@pytest.mark.parametrize("table", list(BUNDLED))
def test_bundled_file_loads_under_the_contract(table: str) -> None:
    path, spec, loader = BUNDLED[table]
    frame = loader(path)
    assert list(frame.columns) == spec.column_names
    assert len(frame) > 0
    # The loader validated it already; re-validating independently guards against a loader
    # that silently drops or coerces rows.
    c.pandera_schema(spec).validate(frame)
    assert len(frame) == len(pd.read_csv(path, dtype=str))


@pytest.mark.parametrize("table", list(BUNDLED))
def test_bundled_file_text_is_canonical(table: str) -> None:
    path, spec, _ = BUNDLED[table]
    assert raw_text_problems(path, spec) == []


@pytest.mark.parametrize("table", CURATED)
def test_every_curated_row_has_a_web_source(table: str) -> None:
    assert source_url_problems(BUNDLED[table][0]) == []


def test_ceasefire_extensions_are_consistent() -> None:
    assert extends_problems(load_ceasefires(CEASEFIRES_CSV)) == []


def test_unilateral_and_bilateral_match_declarer_side() -> None:
    ceasefires = load_ceasefires(CEASEFIRES_CSV)
    mutual = ceasefires[c.CF_KIND] != "unilateral"
    assert (ceasefires.loc[mutual, c.CF_DECLARER_SIDE] == "both").all()
    assert (ceasefires.loc[~mutual, c.CF_DECLARER_SIDE] != "both").all()


def test_casualty_only_counts_have_no_strike_count() -> None:
    counts = curated.load_reported_counts(COUNTS_CSV)
    casualty_only = counts[c.RC_MEASURE_KIND] == "civilian_casualties_only"
    assert counts.loc[casualty_only, c.RC_STRIKES].isna().all()
    assert counts.loc[~casualty_only, c.RC_STRIKES].notna().all()


def test_every_disputed_date_has_its_default_among_the_claims() -> None:
    """A claimed field lists every source's date, the bundled default included, and is
    disputed: at least two different dates. Read with the csv module, not the loaders."""
    ids = {"ceasefires": "ceasefire_id", "diplomatic_events": "event_id"}
    bundled = {}
    for table, id_column in ids.items():
        with open(DATA / "curated" / f"{table}.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                bundled[table, row[id_column]] = row
    claimed: dict[tuple[str, str, str], set[str]] = {}
    with open(CLAIMS_CSV, encoding="utf-8") as handle:
        for claim in csv.DictReader(handle):
            key = (claim["table"], claim["row_id"], claim["field"])
            claimed.setdefault(key, set()).add(claim["date"])
    assert len(claimed) == 8
    for (table, row_id, field), dates in claimed.items():
        assert len(dates) >= 2, (row_id, field)
        assert bundled[table, row_id][field] in dates, (row_id, field)


def test_the_seed_documents_facts_are_bundled() -> None:
    """The Irrawaddy's NUG count and the 5, 6 and 7 May 2025 claims of the May extension."""
    irrawaddy = "https://www.irrawaddy.com/news/burma/myanmar-junta-boss-heads-to-moscow"
    with open(COUNTS_CSV, encoding="utf-8") as handle:
        counts = {row["count_id"]: row for row in csv.DictReader(handle)}
    nug = counts["nug-20250328-20250502"]
    assert (nug["period_start"], nug["period_end"]) == ("2025-03-28", "2025-05-02")
    assert (nug["strikes"], nug["civilian_deaths"], nug["injured"]) == ("282", "276", "456")
    assert (nug["monitor"], nug["measure"]) == ("National Unity Government", "air attacks")
    assert nug["source_url"].startswith(irrawaddy)
    with open(CLAIMS_CSV, encoding="utf-8") as handle:
        may = [row for row in csv.DictReader(handle) if row["row_id"] == "mil-eq-2025-05"]
    by_date: dict[str, set[str]] = {}
    for row in may:
        by_date.setdefault(row["date"], set()).add(row["source_url"].split("/")[2])
    assert by_date == {
        "2025-05-05": {"moemaka.net"},
        "2025-05-06": {"www.irrawaddy.com", "www.bnionline.net"},
        "2025-05-07": {"www.devdiscourse.com"},
    }


def test_ucdp_copy_matches_recorded_sha256() -> None:
    recorded = recorded_sha256(README.read_text(encoding="utf-8"))
    assert recorded is not None, "data/README.md records no SHA-256 for the UCDP file"
    assert file_sha256(UCDP_CSV) == recorded


def test_readme_documents_every_column_of_every_bundled_table() -> None:
    specs = {name: spec for name, (_, spec, _) in BUNDLED.items()}
    assert readme_column_problems(README.read_text(encoding="utf-8"), specs) == []


# --- the checks fail on broken copies --------------------------------------------------------


def _rewrite(src: Path, dst: Path, edit: Callable[[pd.DataFrame], None]) -> Path:
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    edit(frame)
    frame.to_csv(dst, index=False)
    return dst


def test_unknown_parent_is_caught(tmp_path: Path) -> None:
    def break_link(frame: pd.DataFrame) -> None:
        frame.loc[frame[c.CF_EXTENDS] != "", c.CF_EXTENDS] = "no-such-ceasefire"

    broken = _rewrite(CEASEFIRES_CSV, tmp_path / "ceasefires.csv", break_link)
    with pytest.raises(c.DataContractError, match="extends"):
        load_ceasefires(broken)
    frame = validate.read_table(broken, c.CEASEFIRES)
    assert any("unknown id" in p for p in extends_problems(frame))


def test_extension_before_parent_declaration_is_caught(tmp_path: Path) -> None:
    frame = load_ceasefires(CEASEFIRES_CSV)
    child = frame.index[frame[c.CF_EXTENDS].notna()][0]
    frame.loc[child, c.CF_EFFECTIVE_FROM] = pd.Timestamp("2000-01-01")
    problems = extends_problems(frame)
    assert any("before" in p and frame.at[child, c.CF_ID] in p for p in problems)


def test_extension_loop_is_caught() -> None:
    frame = load_ceasefires(CEASEFIRES_CSV)
    chain = frame[frame[c.CF_EXTENDS].notna()].iloc[0]
    root = frame[c.CF_ID] == chain[c.CF_EXTENDS]
    frame.loc[root, c.CF_EXTENDS] = chain[c.CF_ID]
    assert any("loops" in p for p in extends_problems(frame))


@pytest.mark.parametrize("bad_url", ["", "ftp://example.org/x", "www.example.org/page"])
def test_missing_or_non_web_source_is_caught(tmp_path: Path, bad_url: str) -> None:
    def break_url(frame: pd.DataFrame) -> None:
        frame.loc[3, "source_url"] = bad_url

    broken = _rewrite(DIPLOMATIC_CSV, tmp_path / "diplomatic_events.csv", break_url)
    assert source_url_problems(broken) == [f"diplomatic_events.csv line 5: source_url={bad_url!r}"]
    with pytest.raises(c.DataContractError, match="source_url"):
        curated.load_diplomatic_events(broken)


def test_float_formatted_count_and_loose_date_are_caught(tmp_path: Path) -> None:
    def break_text(frame: pd.DataFrame) -> None:
        frame.loc[0, c.RC_CIVILIAN_DEATHS] = "63.0"
        frame.loc[1, c.RC_PERIOD_START] = "1/2/2021"

    broken = _rewrite(COUNTS_CSV, tmp_path / "reported_strike_counts.csv", break_text)
    problems = raw_text_problems(broken, c.REPORTED_COUNTS)
    assert sorted(problems) == [
        "reported_strike_counts.csv line 2 civilian_deaths='63.0'",
        "reported_strike_counts.csv line 3 period_start='1/2/2021'",
    ]


def test_unknown_measure_kind_is_caught(tmp_path: Path) -> None:
    def break_kind(frame: pd.DataFrame) -> None:
        frame.loc[2, c.RC_MEASURE_KIND] = "drone_strikes"

    broken = _rewrite(COUNTS_CSV, tmp_path / "reported_strike_counts.csv", break_kind)
    with pytest.raises(c.DataContractError, match=c.RC_MEASURE_KIND):
        curated.load_reported_counts(broken)


def test_altered_ucdp_copy_fails_the_hash(tmp_path: Path) -> None:
    broken = tmp_path / "ucdp_ged_myanmar_daily.csv"
    shutil.copyfile(UCDP_CSV, broken)
    # Collapse the deliberate double space: a "helpful" edit the file must never receive.
    text = broken.read_bytes()
    assert b"Magway  region" in text
    broken.write_bytes(text.replace(b"Magway  region", b"Magway region", 1))
    assert file_sha256(broken) != recorded_sha256(README.read_text(encoding="utf-8"))


def test_readme_checker_catches_a_missing_or_wrong_column() -> None:
    text = README.read_text(encoding="utf-8")
    specs = {name: spec for name, (_, spec, _) in BUNDLED.items()}
    without = re.sub(r"^\| `declarer_side` \|.*\n", "", text, flags=re.MULTILINE)
    assert readme_column_problems(without, specs) == ["ceasefires.declarer_side not documented"]
    wrong_dtype = text.replace("| `strikes` | int |", "| `strikes` | float |")
    assert readme_column_problems(wrong_dtype, specs) == [
        "reported_strike_counts.strikes: README dtype float != int"
    ]
    extra_vocab = text.replace("`days_with_air_strikes`, `civilian", "`civilian", 1)
    assert len(readme_column_problems(extra_vocab, specs)) == 1
    assert recorded_sha256(text.replace("SHA-256", "checksum")) is None
