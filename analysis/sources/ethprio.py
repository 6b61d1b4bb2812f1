"""The ETH/PRIO Civil Conflict Ceasefire Dataset (CSV as published) -> one row per ceasefire.

The published file (Clayton et al. 2022, Journal of Conflict Resolution) has one row per
declaring actor per ceasefire; ``uniq_id`` identifies the ceasefire (country code x 1000 +
``cf_id``). Its licence is PRIO's: users download it themselves and it is never bundled.

:func:`load_ethprio` groups the actor rows into the ``contract.ETHPRIO_CEASEFIRES`` table (every
CEASEFIRES column, so the windows and estimators of the curated table apply unchanged). What it
decides, besides the date rules in its docstring, and writes into each ceasefire's ``note``:

* ``kind`` counts declaring parties, not rows: every row on one side (``side`` 1 = the
  government, 2 = the opposition, after UCDP's side A and side B; another code is read from the
  actor's name, 'Government of ...' being the state) is unilateral, even with several actors;
  two sides with two actor rows is bilateral, with more it is multilateral. The side codes
  themselves are kept as published in ``declaring_sides``.
* ``ucdp_dyad_ids`` leaves out -1; a ceasefire whose rows all have -1 has no dyad, and a report
  on it needs named targets.
* ``counterpart_ids`` is 'all' (the dataset names declarers, not addressees); ``extends`` is
  blank: ``link`` / ``link_id*`` and ``timing`` are carried by the file but not interpreted,
  so every ceasefire is its own chain.
* Mediators are ``mediator_send`` split at commas; '0' is none, '-1' unknown; their blocs come
  from ``data/curated/mediator_blocs.csv`` and an unlisted name is 'other' (named in the note).
  ``broker_bloc`` keeps Russia, China and West and reads every other bloc as 'other'.
* ``trigger`` is the first flagged purpose among humanitarian, election and peace process
  (-> negotiation), else 'other'.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.sources.columns import parse_numbers, share_attrs
from analysis.sources.validate import file_lines, read_csv_as_text, read_table, validate_frame

FIRST_ROW = 2
"""File line of the first data row (the header is line 1)."""
LINK_ID_COLUMNS = tuple(f"link_id{i}" for i in range(1, 36))

ETHPRIO_COLUMNS = (
    "cc", "cf_id", "uniq_id", "location", "region", "link", "ucdp_actor_id", "actor_name",
    "ucdp_acd_id", "ucdp_dyad", "pax_id", "cf_dec_yr", "cf_dec_month", "cf_dec_day",
    "cf_effect_yr", "cf_effect_month", "cf_effect_day", "evidence_onset", "side", "partial",
    "written", "fixed", "fixed_time", "nsa_frac", "p_humanitarian", "p_peaceprocess",
    "p_holiday", "p_election", "p_other", "p_other_comment", "p_unclear", "ceasefire_class",
    "timing", "cf_pp", "mediator_nego", "mediator_send", "implement", "enforcement", "ddr",
    "splinter", "ended", "end_yr", "end_month", "end_day", "evidence_end", "comment",
    "factivia_source", "factivia_page", "truce", "recentadditions", *LINK_ID_COLUMNS, "coder",
    "id",
)  # fmt: skip
"""The 87 columns of the published CSV, in order."""

PURPOSE_FLAGS = {
    "p_humanitarian": "humanitarian",
    "p_peaceprocess": "peace_process",
    "p_holiday": "holiday",
    "p_election": "election",
    "p_other": "other",
    "p_unclear": "unclear",
}
"""p_* flag column -> purpose (contract.CEASEFIRE_PURPOSES), in the file's order."""

SOURCE_URL = "https://www.prio.org/publications/13532"
"""PRIO's page for the dataset's article (Clayton et al. 2022), where the data are described."""
MEDIATOR_BLOCS_FILE = "mediator_blocs.csv"
DATE_PARTS = {
    "declared": ("cf_dec_yr", "cf_dec_month", "cf_dec_day"),
    "effective": ("cf_effect_yr", "cf_effect_month", "cf_effect_day"),
    "end": ("end_yr", "end_month", "end_day"),
}
"""The three integer columns (year, month, day) of each date; -1 unknown, 0 not applicable."""
ID_COLUMNS = {
    c.CF_UCDP_ACTOR_IDS: "ucdp_actor_id",
    c.CF_UCDP_DYAD_IDS: "ucdp_dyad",
    c.CF_UCDP_CONFLICT_IDS: "ucdp_acd_id",
}
NUMBER_COLUMNS = (
    "uniq_id", "ucdp_actor_id", "ucdp_acd_id", "ucdp_dyad", *DATE_PARTS["declared"],
    *DATE_PARTS["effective"], *DATE_PARTS["end"], "side", "partial", *PURPOSE_FLAGS,
    "ceasefire_class", "ended",
)  # fmt: skip
TEXT_COLUMNS = ("location", "actor_name", "mediator_send")
NEEDED_COLUMNS = (*NUMBER_COLUMNS, *TEXT_COLUMNS)
PART_BOUNDS = {"month": (-1, 12), "day": (-1, 31)}
YEAR_BOUNDS = (1900, 2100)
SIDE_PARTIES = {1: "state", 2: "non_state"}
"""ETH/PRIO side code -> declaring party, following UCDP's side A (the government) and side B
(the opposition); rows with another code (e.g. -1) are read from the actor's name."""
GOVERNMENT_PREFIX = "Government of"
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
TRIGGER_BY_PURPOSE = (
    ("humanitarian", "humanitarian"),
    ("election", "election"),
    ("peace_process", "negotiation"),
)
"""First flagged purpose -> the curated table's trigger; anything else is 'other'."""
SINGLE_BROKER_BLOCS = ("Russia", "China", "West")
"""Mediator blocs that are also broker blocs of the curated table; the rest read 'other'."""
NO_MEDIATOR, UNKNOWN_MEDIATOR = "0", "-1"

PathLike = str | os.PathLike[str]


def load_mediator_blocs(
    path: PathLike | None = None, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """The sourced table of mediator names and their blocs, validated.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The CSV; by default ``mediator_blocs.csv`` in the curated data folder.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        The table in contract dtypes (``contract.MEDIATOR_BLOC_TABLE``).
    """
    path = Path(path) if path else paths.curated_path(MEDIATOR_BLOCS_FILE, data_dir)
    return read_table(path, c.MEDIATOR_BLOC_TABLE)


def load_ethprio(
    path: PathLike, country: str = "", data_dir: PathLike | None = None
) -> pd.DataFrame:
    """The ETH/PRIO ceasefire CSV as published, one row per ceasefire, validated.

    Actor rows are grouped by ``uniq_id``. Dates: a day coded -1 (or 0) gives the 1st of the
    month (precision month), a month coded -1 gives 1 January (precision year); an unknown
    declaration date falls back to the entry into force and vice versa; a ceasefire with
    neither is left out and listed in ``attrs['skipped']``. Where actor rows disagree, the
    earliest declaration and entry into force and the latest end are kept. An end coded 0
    (none) or -1 (unknown) leaves ``effective_to`` blank; an end known to the month only
    gives the 1st of that month (the last day the ceasefire is known to have held), and an end
    before the entry into force is dropped (or, known to the month only, set to the entry
    into force). ``note`` says what was decided for each ceasefire.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV as downloaded from PRIO (UTF-8, with or without a byte-order mark).
    country : str, optional
        A UCDP country name (the file's ``location``, e.g. 'Myanmar (Burma)'); empty keeps
        every country.
    data_dir : str or os.PathLike, optional
        A relocated data folder, for ``mediator_blocs.csv``.

    Returns
    -------
    pandas.DataFrame
        The ``contract.ETHPRIO_CEASEFIRES`` columns, one row per ceasefire (sorted by
        ``uniq_id``), with ``attrs['skipped']``: records (ceasefire_id, country, reason) of
        the ceasefires left out.

    Raises
    ------
    analysis.contract.DataContractError
        For a missing column or a cell that is not a valid code, naming file, column and
        rows (the header is line 1).
    ValueError
        When ``country`` names no ceasefire of the file.
    """
    path = Path(path)
    raw = read_csv_as_text(path)
    missing = [col for col in NEEDED_COLUMNS if col not in raw.columns]
    if missing:
        raise c.DataContractError(
            path,
            missing[0],
            [],
            f"missing column(s) {missing}; expected the published ETH/PRIO layout "
            f"({len(ETHPRIO_COLUMNS)} columns: {', '.join(ETHPRIO_COLUMNS[:12])}, ...)",
        )
    if raw.empty:
        raise c.DataContractError(path, None, [], "file has a header but no data rows")
    rows = _parsed_rows(raw, path)
    blocs = load_mediator_blocs(data_dir=data_dir)
    table, skipped = _ceasefires(rows, blocs, path)
    if country:
        available = sorted(table[c.CF_COUNTRY].unique())
        if country not in available:
            raise ValueError(
                f"no ceasefire of {country!r} in {path.name}; its countries (UCDP names) are "
                f"{available}"
            )
        table = table[table[c.CF_COUNTRY] == country]
        skipped = skipped[skipped[c.CF_COUNTRY] == country]
    checked = validate_frame(table, c.ETHPRIO_CEASEFIRES, path).reset_index(drop=True)
    checked.attrs = share_attrs({"skipped": skipped.to_dict("records"), "source_file": path.name})
    return checked


def skipped_ceasefires(ceasefires: pd.DataFrame) -> pd.DataFrame:
    """The ceasefires :func:`load_ethprio` left out, and why.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        A table returned by :func:`load_ethprio`.

    Returns
    -------
    pandas.DataFrame
        Columns ceasefire_id, country, reason; empty when none was left out.
    """
    records = list(ceasefires.attrs.get("skipped", ()))
    return pd.DataFrame(records, columns=[c.CF_ID, c.CF_COUNTRY, "reason"])


# --- rows --------------------------------------------------------------------------------------


def _parsed_rows(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The needed columns of every actor row, as numbers (codes) and text, checked."""
    numbers = {}
    for column in NUMBER_COLUMNS:
        part = column.rsplit("_", 1)[-1]
        low, high = PART_BOUNDS.get(part, (None, None))
        numbers[column] = parse_numbers(
            raw[column], path, FIRST_ROW, column, whole=True,
            nullable=column != "uniq_id", minimum=low, maximum=high,
        )  # fmt: skip
    rows = pd.DataFrame(numbers, index=raw.index)
    for column in (DATE_PARTS["declared"][0], DATE_PARTS["effective"][0], DATE_PARTS["end"][0]):
        year = rows[column]
        bad = year.notna() & ~year.isin([-1, 0]) & ~year.between(*YEAR_BOUNDS)
        _fail_rows(path, column, bad, f"expected a year, -1 (unknown) or 0, found "
                   f"{year[bad].astype(int).head(3).tolist()}")  # fmt: skip
    location = raw["location"].str.strip()
    _fail_rows(path, "location", location.isna(), "blank country name")
    rows["uniq_id"] = rows["uniq_id"].astype("int64")
    rows["location"] = location
    rows["actor_name"] = raw["actor_name"].str.strip().fillna("unnamed actor")
    rows["mediator_send"] = raw["mediator_send"].str.strip().fillna(NO_MEDIATOR)
    for name, (year, month, day) in DATE_PARTS.items():
        rows[name], rows[f"{name}_precision"] = _dates(rows, year, month, day, path)
    return rows


def _fail_rows(path: Path, column: str, bad: pd.Series, problem: str) -> None:
    if bad.any():
        raise c.DataContractError(path, column, file_lines(bad.index[bad]), problem)


def _dates(
    rows: pd.DataFrame, year: str, month: str, day: str, path: Path
) -> tuple[pd.Series, pd.Series]:
    """Per-row date and precision from three code columns (-1 unknown, 0 not applicable)."""
    known_year = rows[year].fillna(-1) > 0
    known_month = known_year & (rows[month].fillna(-1) > 0)
    known_day = known_month & (rows[day].fillna(-1) > 0)
    parts = pd.DataFrame(
        {
            "year": rows[year].where(known_year, 2000),
            "month": rows[month].where(known_month, 1),
            "day": rows[day].where(known_day, 1),
        }
    ).astype("int64")
    dates = pd.to_datetime(parts, errors="coerce")
    _fail_rows(
        path,
        day,
        known_year & dates.isna(),
        "no such day (e.g. 31 in a 30-day month); expected a day of the month, or -1",
    )
    precision = pd.Series(
        np.select([known_day, known_month, known_year], ["day", "month", "year"], ""),
        index=rows.index,
    )
    return dates.where(known_year), precision.replace("", pd.NA).astype("string")


# --- grouping to one row per ceasefire -------------------------------------------------------


def _pick(rows: pd.DataFrame, date: str, latest: bool) -> pd.DataFrame:
    """Per ceasefire, the earliest (or latest) known date of its rows and that row's precision
    (on a tie, the coarser precision)."""
    known = rows.loc[rows[date].notna(), ["uniq_id", date, f"{date}_precision"]]
    rank = known[f"{date}_precision"].map(PRECISION_RANK).astype("int64")
    ordered = known.assign(_rank=-rank).sort_values(
        ["uniq_id", date, "_rank"], ascending=[True, not latest, True]
    )
    return ordered.drop_duplicates("uniq_id").set_index("uniq_id")[[date, f"{date}_precision"]]


def _joined(keys: pd.Series, texts: pd.Series, separator: str = c.LIST_SEPARATOR) -> pd.Series:
    """Per key, its texts joined in the order given (a string sum per group: no Python call
    per ceasefire)."""
    summed = (texts.astype(object) + separator).groupby(keys.to_numpy()).sum()
    return summed.str.slice(0, -len(separator)).astype("string")


def _distinct_joined(
    keys: pd.Series, texts: pd.Series, separator: str = c.LIST_SEPARATOR
) -> pd.Series:
    """Per key, its distinct texts sorted and joined."""
    pairs = pd.DataFrame({"key": keys.to_numpy(), "text": texts.to_numpy()}).dropna()
    pairs = pairs.drop_duplicates().sort_values(["key", "text"])
    return _joined(pairs["key"], pairs["text"], separator)


def _joined_ids(rows: pd.DataFrame, column: str) -> pd.Series:
    """Per ceasefire, the distinct codes of a column other than -1/blank, sorted, ';'-joined."""
    ids = rows.loc[rows[column].fillna(-1) != -1, ["uniq_id", column]].drop_duplicates()
    ids = ids.sort_values(["uniq_id", column])
    return _joined(ids["uniq_id"], ids[column].astype("int64").astype(str))


def _mediators(rows: pd.DataFrame, blocs: pd.DataFrame) -> pd.DataFrame:
    """Per ceasefire: mediator names, their blocs and the names no bloc table row lists."""
    names = (
        rows[["uniq_id", "mediator_send"]]
        .assign(name=rows["mediator_send"].str.split(r"[,;]"))
        .explode("name")
    )
    names["name"] = names["name"].str.strip()
    unknown = (names["mediator_send"] == UNKNOWN_MEDIATOR).groupby(names["uniq_id"]).any()
    named = names[~names["name"].isin(["", NO_MEDIATOR, UNKNOWN_MEDIATOR])].drop_duplicates(
        ["uniq_id", "name"]
    )
    lookup = dict(zip(blocs[c.MB_MEDIATOR].str.lower(), blocs[c.MB_BLOC], strict=True))
    named = named.assign(bloc=named["name"].str.lower().map(lookup))
    named = named.sort_values(["uniq_id", "name"])
    out = pd.DataFrame(index=unknown.index)
    out["mediators"] = _joined(named["uniq_id"], named["name"])
    order = {bloc: i for i, bloc in enumerate(c.MEDIATOR_BLOCS)}
    bloc_sets = named.assign(bloc=named["bloc"].fillna("other"))
    bloc_sets = bloc_sets.drop_duplicates(["uniq_id", "bloc"])
    bloc_sets = bloc_sets.assign(_order=bloc_sets["bloc"].map(order)).sort_values(
        ["uniq_id", "_order"]
    )
    out["blocs"] = _joined(bloc_sets["uniq_id"], bloc_sets["bloc"])
    unlisted = named[named["bloc"].isna()]
    out["unlisted"] = _joined(unlisted["uniq_id"], unlisted["name"], ", ")
    no_name = out["mediators"].isna()
    out["mediators"] = out["mediators"].mask(no_name & unknown, "unknown")
    out["blocs"] = out["blocs"].mask(no_name & unknown, "unknown").fillna("none")
    return out


def _sides(rows: pd.DataFrame) -> pd.Series:
    """Per ceasefire, the side codes of its actor rows, sorted (blanks left out)."""
    coded = rows.loc[rows["side"].notna(), ["uniq_id", "side"]].sort_values(["uniq_id", "side"])
    return _joined(coded["uniq_id"], coded["side"].astype("int64").astype(str))


def _notes(conditions: list[tuple[pd.Series, pd.Series | str]], index: pd.Index) -> pd.Series:
    """'; '-joined texts of the conditions that hold, per ceasefire (blank: none)."""
    notes = pd.Series("", index=index, dtype="string")
    for holds, text in conditions:
        holds = holds.reindex(index).fillna(False).astype(bool)
        notes = notes.mask(holds, notes + text + "; ")
    return notes.str.rstrip("; ").replace("", pd.NA)


def _ceasefires(
    rows: pd.DataFrame, blocs: pd.DataFrame, path: Path
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per uniq_id in the ETHPRIO_CEASEFIRES columns, and the ones left out."""
    by_id = rows.groupby("uniq_id", sort=True)
    index = pd.Index(sorted(rows["uniq_id"].unique()), name="uniq_id")
    places = by_id["location"].nunique()
    if (places > 1).any():
        split = rows["uniq_id"].isin(places.index[places > 1])
        raise c.DataContractError(
            path, "location", file_lines(rows.index[split]),
            f"actor rows of one uniq_id name different countries: "
            f"{sorted(places.index[places > 1].astype(str))[:5]}",
        )  # fmt: skip
    declared = _pick(rows, "declared", latest=False).reindex(index)
    effective = _pick(rows, "effective", latest=False).reindex(index)
    end = _pick(rows, "end", latest=True).reindex(index)
    declared_on = declared["declared"].fillna(effective["effective"])
    declared_precision = declared["declared_precision"].fillna(effective["effective_precision"])
    effective_from = effective["effective"].fillna(declared["declared"])
    effective_precision = effective["effective_precision"].fillna(declared["declared_precision"])
    effective_to, end_precision = end["end"], end["end_precision"]
    early_end = effective_to < effective_from
    coarse_end = early_end & (end_precision != "day")
    effective_to = effective_to.mask(coarse_end, effective_from).mask(early_end & ~coarse_end)
    end_precision = end_precision.mask(early_end & ~coarse_end)
    party = rows["side"].map(SIDE_PARTIES)
    from_name = party.isna()
    party = party.fillna(
        pd.Series(
            np.where(rows["actor_name"].str.startswith(GOVERNMENT_PREFIX), "state", "non_state"),
            index=rows.index,
        )
    )
    parties = _distinct_joined(rows["uniq_id"], party)
    n_actors = by_id.size()
    kind = pd.Series(
        np.where(
            ~parties.str.contains(c.LIST_SEPARATOR),
            "unilateral",
            np.where(n_actors == 2, "bilateral", "multilateral"),
        ),
        index=index,
    )
    purposes = pd.DataFrame(
        {purpose: by_id[flag].max() == 1 for flag, purpose in PURPOSE_FLAGS.items()}
    )
    purpose_text = pd.Series("", index=index, dtype="string")
    for purpose in purposes.columns:
        purpose_text = purpose_text.mask(
            purposes[purpose], purpose_text + purpose + c.LIST_SEPARATOR
        )
    purpose_text = purpose_text.str.rstrip(c.LIST_SEPARATOR)
    trigger = pd.Series("other", index=index)
    for purpose, chosen in reversed(TRIGGER_BY_PURPOSE):
        trigger = trigger.mask(purposes[purpose], chosen)
    mediators = _mediators(rows, blocs).reindex(index)
    single_bloc = mediators["blocs"].where(
        mediators["blocs"].isin(SINGLE_BROKER_BLOCS),
        np.where(mediators["blocs"] == "none", "none", "other"),
    )
    declared_span = by_id["declared"].agg(["min", "max"])
    both_days = (declared_precision == "day") & (effective_precision == "day")
    lag = (declared_on - effective_from).dt.days.astype("Int64").where(both_days)
    no_dyad = _joined_ids(rows, "ucdp_dyad").reindex(index).isna()
    location = by_id["location"].first()
    partial = by_id["partial"].max() == 1
    day_unknown, month_unknown = (
        declared["declared_precision"] == "month",
        declared["declared_precision"] == "year",
    )
    notes = _notes(
        [
            (day_unknown, "declaration day unknown: 1st of the month used"),
            (month_unknown, "declaration month unknown: 1 January used"),
            (declared["declared"].isna(), "declaration date unknown: entry into force used"),
            (effective["effective"].isna(), "entry into force unknown: declaration date used"),
            (effective["effective_precision"] == "month", "entry into force known to the month"),
            (lag > 0, "in force " + lag.astype("string") + " day(s) before it was declared"),
            (
                declared_span["max"] > declared_span["min"],
                "actor rows declare on different days: the earliest is used",
            ),
            (end["end"].isna() & (by_id["end_yr"].max() == 0), "no end (coded 0)"),
            (end["end"].isna() & (by_id["end_yr"].min() == -1), "end unknown (coded -1)"),
            (by_id["end_yr"].count() == 0, "end blank in the file"),
            (end_precision == "month", "end known to the month: 1st of the month used"),
            (early_end & ~coarse_end, "end before entry into force: end dropped"),
            (coarse_end, "end known to the month, before entry into force: end = entry"),
            (no_dyad, "no UCDP dyad (ucdp_dyad -1): choose targets to select events"),
            (
                from_name.groupby(rows["uniq_id"]).any(),
                "side code other than 1/2: party read from the actor name",
            ),
            (mediators["unlisted"].notna(), "mediator(s) not in mediator_blocs.csv, bloc other: "
             + mediators["unlisted"].astype("string")),
        ],
        index,
    )  # fmt: skip
    table = pd.DataFrame(
        {
            c.CF_ID: index.astype(str),
            c.CF_DECLARED_ON: declared_on,
            c.CF_DATE_PRECISION: declared_precision,
            c.CF_EFFECTIVE_FROM: effective_from,
            c.CF_EFFECTIVE_TO: effective_to,
            c.CF_DECLARED_BY: _distinct_joined(rows["uniq_id"], rows["actor_name"], "; "),
            c.CF_DECLARER_SIDE: parties.where(~parties.str.contains(c.LIST_SEPARATOR), "both"),
            c.CF_COUNTERPARTY: np.where(
                kind == "unilateral",
                "the declaring side's opponents (ETH/PRIO does not name them)",
                "one another (the declaring actors)",
            ),
            c.CF_COUNTERPART_IDS: c.COUNTERPARTS_ALL,
            c.CF_KIND: kind,
            c.CF_BROKER: mediators["mediators"].replace("", pd.NA),
            c.CF_BROKER_BLOC: single_bloc,
            c.CF_TRIGGER: trigger,
            c.CF_EXTENDS: pd.NA,
            c.CF_SCOPE: location.where(~partial, location + " (partial = 1 in ETH/PRIO)"),
            c.CF_SOURCE_URL: SOURCE_URL,
            c.CF_NOTE: notes,
            c.CF_COUNTRY: location,
            **{column: _joined_ids(rows, source) for column, source in ID_COLUMNS.items()},
            c.CF_EFFECTIVE_PRECISION: effective_precision,
            c.CF_END_PRECISION: end_precision,
            c.CF_CLASS: rows["ceasefire_class"].where(rows["ceasefire_class"] > 0).groupby(
                rows["uniq_id"]).first(),
            c.CF_PURPOSES: purpose_text.replace("", pd.NA),
            c.CF_MEDIATORS: mediators["mediators"].replace("", pd.NA),
            c.CF_MEDIATOR_BLOCS: mediators["blocs"],
            c.CF_ENDED: rows["ended"].where(rows["ended"] != -1).groupby(rows["uniq_id"]).first(),
            c.CF_N_DECLARING: n_actors,
            c.CF_DECLARING_SIDES: _sides(rows),
        },
        index=index,
    )  # fmt: skip
    for spec in c.ETHPRIO_CEASEFIRES.columns:
        table[spec.name] = table[spec.name].astype(c.PANDAS_DTYPES[spec.dtype])
    undated = declared_on.isna()
    skipped = pd.DataFrame(
        {
            c.CF_ID: table.loc[undated, c.CF_ID],
            c.CF_COUNTRY: table.loc[undated, c.CF_COUNTRY],
            "reason": "neither the declaration nor the entry into force has a known year",
        }
    )
    kept = table[~undated]
    # Index each ceasefire by its first actor row, so contract errors name a file line.
    first_rows = pd.Series(rows.index, index=rows.index).groupby(rows["uniq_id"]).min()
    kept.index = first_rows.reindex(kept.index).to_numpy()
    return kept, skipped.reset_index(drop=True)
