"""The curated ceasefire table: loading it and the cross-row rules its checks need.

The column checks of :mod:`analysis.contract` cannot see across rows; this module adds the
rules that can: every ``extends`` names a known ceasefire, periods are ordered, a declared date
has a precision, an extension chain neither starts before its root nor overlaps itself by
more than its announcement day, and every ``counterpart_ids`` entry is an ``actor_id`` of the
actor registry (or ``all``). :func:`counterpart_targets` turns that column into the targets a
report counts when the user names none. Chains and start dates are those of :mod:`analysis.windows`
(:func:`~analysis.windows.chain_roots`, :func:`~analysis.windows.effective_start`), so the
loader and every analysis apply the same rule. Each failure is a
:class:`~analysis.contract.DataContractError` naming the file, the column and the lines.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.results import Result
from analysis.sources import curated, ethprio
from analysis.sources.actors import REGISTRY_FILE, load_registry
from analysis.sources.validate import check_ordered, file_lines, read_table
from analysis.status import STATUS_NO_DATES, STATUS_OUTSIDE
from analysis.windows import (
    ChainLoopError,
    Gap,
    chain_roots,
    collapse_chains,
    effective_start,
    select_ceasefire,
    window_table,
)

PathLike = str | os.PathLike[str]

CEASEFIRE_SOURCES = ("curated", "ethprio")
"""Ceasefire tables a notebook can read: the curated Myanmar table, or the ETH/PRIO Civil
Conflict Ceasefire Dataset as downloaded from PRIO."""


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


def _check_counterpart_ids(ceasefires: pd.DataFrame, path: Path, registry_path: Path) -> None:
    """Each counterpart_ids entry names registry actors (';'-joined), or is 'all' alone."""
    known = set(load_registry(registry_path)[c.AC_ID].astype(str))
    given = ceasefires[c.CF_COUNTERPART_IDS].astype("string").fillna("")
    ids = given.str.split(c.LIST_SEPARATOR).explode().str.strip()
    ids = ids[given.reindex(ids.index) != ""]
    bad = ids[~ids.isin(known) & (ids != c.COUNTERPARTS_ALL)]
    mixed = ids[(ids == c.COUNTERPARTS_ALL) & (given.reindex(ids.index) != c.COUNTERPARTS_ALL)]
    if len(bad) or len(mixed):
        rows = sorted(set(bad.index) | set(mixed.index))
        problem = (
            f"unknown actor id(s) {sorted(set(bad))}"
            if len(bad)
            else f"{c.COUNTERPARTS_ALL!r} combined with actor ids"
        )
        raise c.DataContractError(
            path,
            c.CF_COUNTERPART_IDS,
            file_lines(pd.Index(rows)),
            f"{problem}: the column takes actor_id values of the actor registry "
            f"({registry_path}) joined with ';', e.g. 'MNDAA;TNLA;AA', or "
            f"{c.COUNTERPARTS_ALL!r} alone for a national declaration",
        )


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
    _check_counterpart_ids(ceasefires, path, paths.curated_path(REGISTRY_FILE, data_dir))
    return ceasefires


@dataclass(frozen=True)
class CounterpartTargets(Result):
    """The targets a report counts for one ceasefire, and why those.

    Attributes
    ----------
    targets : tuple of str
        Canonical targets to keep; empty keeps every target.
    rule : str
        'as given' (the user named them), 'counterparts' (the ceasefire's counterpart_ids),
        'all: national declaration' or 'all: no counterpart named'.
    description : str
        One line for a report's facts table.
    """

    targets: tuple[str, ...]
    rule: str
    description: str


def counterpart_targets(
    ceasefires: pd.DataFrame,
    ceasefire_id: str,
    targets: Sequence[str] = (),
    *,
    chain: bool = False,
    require_named: bool = False,
) -> CounterpartTargets:
    """The targets to count: the ones given, else the ceasefire's own counterparts.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table (:func:`load_ceasefires`).
    ceasefire_id : str
        The ceasefire (with ``chain=True``, its chain's first announcement decides).
    targets : sequence of str
        Targets named by the user; empty means "the ceasefire's counterparts".
    chain : bool, default False
        Read the counterparts of the ceasefire's whole extension chain.
    require_named : bool, default False
        Raise instead of counting every target when the row says ``all`` or names none
        (a difference-in-differences needs a treated group).

    Returns
    -------
    CounterpartTargets
        The targets (empty: every target), the rule used and a line describing it.

    Raises
    ------
    KeyError
        When ``ceasefire_id`` is not in the table.
    ValueError
        With ``require_named``, when the ceasefire names no counterpart.
    """
    if targets:
        given = tuple(str(t) for t in targets)
        return CounterpartTargets(given, "as given", ", ".join(given))
    row = select_ceasefire(ceasefires, ceasefire_id, chain=chain)
    value = row[c.CF_COUNTERPART_IDS].astype("string").fillna("").iloc[0].strip()
    named = tuple(t.strip() for t in value.split(c.LIST_SEPARATOR) if t.strip())
    if named and value != c.COUNTERPARTS_ALL:
        return CounterpartTargets(
            named, "counterparts", f"{', '.join(named)} (the ceasefire's counterparts)"
        )
    if require_named:
        reason = (
            "is a national declaration (counterpart_ids 'all')"
            if value == c.COUNTERPARTS_ALL
            else "names no counterpart (counterpart_ids is blank)"
        )
        raise ValueError(f"ceasefire {ceasefire_id!r} {reason}: name the treated groups explicitly")
    if value == c.COUNTERPARTS_ALL:
        return CounterpartTargets(
            (), "all: national declaration", "all targets (a national declaration)"
        )
    return CounterpartTargets(
        (), "all: no counterpart named", "all targets (the ceasefire row names no counterpart)"
    )


def load_ceasefire_source(
    source: str = "curated",
    path: PathLike | None = "",
    country: str = "",
    data_dir: PathLike | None = None,
) -> pd.DataFrame:
    """The ceasefire table a notebook names: the curated one or an ETH/PRIO file.

    Parameters
    ----------
    source : {'curated', 'ethprio'}, default 'curated'
        Which table (:data:`CEASEFIRE_SOURCES`).
    path : str or os.PathLike, optional
        The table's file; empty uses the curated ``ceasefires.csv``. Required for 'ethprio'
        (the CSV downloaded from PRIO); relative paths are taken from the project root.
    country : str, optional
        For 'ethprio': a UCDP country name to keep (empty keeps every country). The curated
        table is Myanmar's alone and ignores it.
    data_dir : str or os.PathLike, optional
        A relocated data folder (see :func:`analysis.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        CEASEFIRES rows (:func:`load_ceasefires`) or ETHPRIO_CEASEFIRES rows
        (:func:`analysis.sources.ethprio.load_ethprio`), which carry every CEASEFIRES column.
    """
    if source not in CEASEFIRE_SOURCES:
        raise ValueError(f"unknown ceasefires_source {source!r}; choose one of {CEASEFIRE_SOURCES}")
    resolved = paths.resolve_user_path(path) if path else None
    if source == "curated":
        return load_ceasefires(resolved, data_dir)
    if resolved is None:
        raise ValueError(
            "ceasefires_source 'ethprio' needs ceasefires_path: the ETH/PRIO ceasefire CSV "
            "downloaded from PRIO (e.g. data/raw/ethprio/ceasefires.csv)"
        )
    return ethprio.load_ethprio(resolved, country, data_dir)


def date_claims_for(
    ceasefires: pd.DataFrame,
    data_dir: PathLike | None = None,
    calendar: curated.DiplomaticCalendar | None = None,
) -> pd.DataFrame:
    """The date claims about a ceasefire table (and a calendar): the curated claims for the
    curated table, none for an ETH/PRIO table (no file of alternative dates exists for it);
    claims about diplomatic rows only when the calendar is the bundled one.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        The table from :func:`load_ceasefire_source`.
    data_dir : str or os.PathLike, optional
        A relocated data folder.
    calendar : analysis.sources.curated.DiplomaticCalendar, optional
        The calendar in use (:func:`analysis.sources.curated.load_calendar`); when given and
        not the bundled one, the claims about bundled diplomatic rows are left out.

    Returns
    -------
    pandas.DataFrame
        DATE_CLAIMS rows (empty for an ETH/PRIO table).
    """
    if c.CF_UCDP_DYAD_IDS in ceasefires.columns:
        return c.empty_frame(c.DATE_CLAIMS)
    claims = curated.load_date_claims(data_dir=data_dir, ceasefires=ceasefires)
    if calendar is not None and not calendar.bundled:
        claims = claims[claims[c.DC_TABLE] != "diplomatic_events"].reset_index(drop=True)
    return claims


@dataclass(frozen=True)
class OutcomeSelection(Result):
    """Which events a report counts for one ceasefire, and why those.

    Attributes
    ----------
    targets : tuple of str
        Canonical targets to keep; empty keeps every target.
    dyads : tuple of str
        UCDP dyad ids to keep (GED ``dyad_new_id``); empty keeps every dyad.
    actor_side : str
        Initiating side to keep; empty keeps every side.
    rule : str
        'as given', 'counterparts', 'all: national declaration', 'all: no counterpart named'
        (curated table, see :func:`counterpart_targets`) or 'dyads' (an ETH/PRIO ceasefire:
        the GED events on its UCDP dyads).
    description : str
        One line for a report's facts table.
    """

    targets: tuple[str, ...]
    dyads: tuple[str, ...]
    actor_side: str
    rule: str
    description: str


def outcome_for(
    ceasefires: pd.DataFrame,
    ceasefire_id: str,
    targets: Sequence[str] = (),
    actor_side: str | None = "",
    *,
    chain: bool = False,
) -> OutcomeSelection:
    """The events to count for a ceasefire, whichever table it comes from.

    For the curated table: the targets given, else the ceasefire's counterparts
    (:func:`counterpart_targets`), with ``actor_side`` as given. For an ETH/PRIO ceasefire:
    the targets and side given when targets are named; else every event on the ceasefire's
    UCDP dyads (``ucdp_dyad_ids``), whichever side initiated it, because a dyad already names
    both parties and GED's side_a is not who attacked.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        The table from :func:`load_ceasefire_source`.
    ceasefire_id : str
        The ceasefire (for ETH/PRIO, its ``uniq_id`` as text).
    targets : sequence of str
        Targets named by the user; empty means "the ceasefire's own".
    actor_side : str, optional
        Initiating side named by the user (the notebooks' default is 'state').
    chain : bool, default False
        Read the ceasefire's whole extension chain (curated table).

    Returns
    -------
    OutcomeSelection
        Targets, dyads and side to pass to :func:`analysis.events.load_daily_series`.

    Raises
    ------
    KeyError
        When ``ceasefire_id`` is not in the table.
    ValueError
        When an ETH/PRIO ceasefire names no UCDP dyad and no targets are given.
    """
    side = actor_side or ""
    if c.CF_UCDP_DYAD_IDS not in ceasefires.columns or targets:
        counted = counterpart_targets(ceasefires, ceasefire_id, targets, chain=chain)
        return OutcomeSelection(counted.targets, (), side, counted.rule, counted.description)
    row = select_ceasefire(ceasefires, str(ceasefire_id), chain=chain)
    value = row[c.CF_UCDP_DYAD_IDS].astype("string").fillna("").iloc[0]
    dyads = tuple(d.strip() for d in value.split(c.LIST_SEPARATOR) if d.strip())
    if not dyads:
        raise ValueError(
            f"ETH/PRIO ceasefire {ceasefire_id!r} names no UCDP dyad (ucdp_dyad is -1 on every "
            "actor row): name the targets to count"
        )
    return OutcomeSelection(
        (),
        dyads,
        "",
        "dyads",
        f"GED events on UCDP dyad(s) {', '.join(dyads)} (the ceasefire's declaring actors), "
        "all sides",
    )


@dataclass(frozen=True)
class TreatedGroups(Result):
    """The treated groups of a difference-in-differences around one truce, and what a group is.

    Attributes
    ----------
    targets : tuple of str
        The treated groups (values of :attr:`grouping`).
    grouping : str
        The EVENTS column whose values are the groups: the notebook's ``grouping`` for the
        curated table, ``dyad_id`` for an ETH/PRIO truce (its UCDP dyads).
    rule : str
        'as given', 'counterparts' or 'dyads'.
    description : str
        One line for a report's facts table.
    """

    targets: tuple[str, ...]
    grouping: str
    rule: str
    description: str


def treated_groups(
    ceasefires: pd.DataFrame,
    truce_id: str,
    targets: Sequence[str] = (),
    grouping: str = c.EV_TARGET,
) -> TreatedGroups:
    """The groups a difference-in-differences treats, whichever table the truce comes from.

    Curated table: the targets given, else the truce's named counterparts
    (:func:`counterpart_targets` with ``require_named``), grouped by ``grouping``. ETH/PRIO
    table with no targets given: the truce's UCDP dyads (:func:`outcome_for`), and the groups
    are dyads (``dyad_id``), since its counterparts are not coded as targets.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        The table from :func:`load_ceasefire_source`.
    truce_id : str
        The truce.
    targets : sequence of str
        Groups named by the user (values of ``grouping``); empty uses the truce's own.
    grouping : str, default 'target'
        The EVENTS column defining the groups when targets are named or the table is curated.

    Returns
    -------
    TreatedGroups
        Treated groups, the grouping column and the rule used.

    Raises
    ------
    KeyError
        When ``truce_id`` is not in the table.
    ValueError
        When the truce names no counterpart (curated) or no UCDP dyad (ETH/PRIO).
    """
    if c.CF_UCDP_DYAD_IDS not in ceasefires.columns or targets:
        counted = counterpart_targets(ceasefires, truce_id, targets, require_named=True)
        return TreatedGroups(counted.targets, grouping, counted.rule, counted.description)
    selection = outcome_for(ceasefires, truce_id)
    return TreatedGroups(
        selection.dyads,
        c.EV_DYAD,
        selection.rule,
        f"UCDP dyad(s) {', '.join(selection.dyads)} (the truce's dyads; groups are dyads)",
    )


def windows_fit_data(
    ceasefires: pd.DataFrame,
    ceasefire_ids: Sequence[str],
    *,
    data_start: pd.Timestamp,
    data_end: pd.Timestamp,
    pre_days: int = 90,
    gap: Gap = "exclude",
    max_during_days: int = 180,
    chain: bool = False,
) -> pd.DataFrame:
    """Which ceasefires' windows a daily series from data_start to data_end can hold.

    The same rule as :func:`analysis.windows.ceasefire_windows` (a baseline may be shortened
    down to :data:`~analysis.status.MIN_BASELINE_DAYS`; a during window may be truncated at
    the end of the data), so a sweep can leave out, before running anything, the ceasefires
    whose report would stop with "not covered by the data".

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table.
    ceasefire_ids : sequence of str
        The ceasefires to check.
    data_start, data_end : pandas.Timestamp
        First and last day of the daily series the reports will count.
    pre_days, gap, max_during_days : int, str, int
        As in :func:`analysis.windows.window_table`.
    chain : bool, default False
        Check each ceasefire's whole extension chain (as the notebook's ``chain`` does).

    Returns
    -------
    pandas.DataFrame
        One row per id, in the given order: ceasefire_id, fits (bool) and reason (why it does
        not fit, in words; empty when it fits).
    """
    ids = pd.Series([str(i) for i in ceasefire_ids], dtype="string")
    if chain:
        table = collapse_chains(ceasefires)
        rows = chain_roots(ceasefires).reindex(ids.to_numpy()).to_numpy()
    else:
        table, rows = ceasefires, ids.to_numpy()
    table = table.set_index(table[c.CF_ID].astype("string"), drop=False).loc[rows]
    win = window_table(
        table,
        pre_days=pre_days,
        gap=gap,
        max_during_days=max_during_days,
        data_start=pd.Timestamp(data_start),
        data_end=pd.Timestamp(data_end),
    )
    status = win["window_status"]
    after_end = win["during_start"] > pd.Timestamp(data_end)
    span = f"{pd.Timestamp(data_start).date()} to {pd.Timestamp(data_end).date()}"
    reason = pd.Series("", index=win.index, dtype="object")
    reason[status == STATUS_NO_DATES] = "neither declared_on nor effective_from is known"
    outside = status == STATUS_OUTSIDE
    reason[outside & after_end] = (
        "takes effect "
        + win.loc[outside & after_end, "during_start"].dt.strftime("%Y-%m-%d")
        + f", after the data end (data: {span})"
    )
    before_start = outside & ~after_end & (win["pre_end"] < pd.Timestamp(data_start))
    short = outside & ~after_end & ~before_start
    reason[before_start] = (
        "declared "
        + (win.loc[before_start, "pre_end"] + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
        + f", before the data start (data: {span})"
    )
    reason[short] = (
        win.loc[short, "window_note"].str.extract(r"(only \d+ days[^:]*)")[0] + f" (data: {span})"
    )
    return pd.DataFrame(
        {
            c.CF_ID: ids.to_numpy(),
            "fits": ~status.isin([STATUS_NO_DATES, STATUS_OUTSIDE]).to_numpy(),
            "reason": reason.to_numpy(),
        }
    )


def ceasefires_near(
    ceasefires: pd.DataFrame, date: object, days: int = 28, exclude: str = ""
) -> pd.DataFrame:
    """The ceasefires declared or taking effect within ``days`` of a date.

    Used to name what a detected level shift in a baseline may be: when a step in the series
    coincides with an earlier truce, the forecast's "expected" level is the level after that
    truce, not a level without any ceasefire.

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        Rows of the CEASEFIRES table (curated or ETH/PRIO).
    date : str or pandas.Timestamp
        The date to look around (empty or missing: no ceasefire is returned).
    days : int, default 28
        How far either side of ``date`` a declaration or entry into force may lie.
    exclude : str, optional
        A ceasefire id to leave out (the one being estimated).

    Returns
    -------
    pandas.DataFrame
        ceasefire_id, declared_on, effective_from and days_apart (the smaller distance of the
        two dates to ``date``), closest first; no rows when ``date`` is empty.
    """
    columns = [c.CF_ID, c.CF_DECLARED_ON, c.CF_EFFECTIVE_FROM, "days_apart"]
    day = pd.to_datetime(date, errors="coerce") if date is not None and date != "" else pd.NaT
    if pd.isna(day) or ceasefires.empty:
        return pd.DataFrame(columns=columns)
    declared = pd.to_datetime(ceasefires[c.CF_DECLARED_ON], errors="coerce")
    effective = pd.to_datetime(ceasefires[c.CF_EFFECTIVE_FROM], errors="coerce")
    apart = pd.concat([(declared - day).abs(), (effective - day).abs()], axis=1).min(axis=1)
    near = (apart <= pd.Timedelta(days=days)) & (ceasefires[c.CF_ID].astype(str) != str(exclude))
    out = ceasefires.loc[near, [c.CF_ID, c.CF_DECLARED_ON, c.CF_EFFECTIVE_FROM]].copy()
    out["days_apart"] = apart[near].dt.days.astype(int)
    return out.sort_values("days_apart").reset_index(drop=True)
