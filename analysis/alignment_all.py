"""Notebook 04's parts (c) and (d) for either ceasefire table: one call per part.

**Part (c), every ceasefire's rate ratio pooled by bloc** (:func:`ceasefire_effects_by_bloc`).
For the curated Myanmar table it is :func:`analysis.batch.batch_effects` on the one national
series (all events of the chosen side), pooled by ``kind`` and ``broker_bloc`` with
:func:`analysis.pooling.pool_random_effects`: the numbers the bundled report has always shown.
For an ETH/PRIO table each ceasefire is measured on its own UCDP dyads
(:func:`analysis.all_ceasefires.all_ceasefire_effects`) and pooled by ``kind`` and by
``mediator_blocs`` (:func:`analysis.all_ceasefires_groups.effects_by_group`; a ceasefire with
two mediator blocs counts in both). With ``primary`` each ceasefire also gets the primary
(counterfactual) estimate on the same series (:mod:`analysis.all_ceasefires_primary`).

**Part (d), how long truces held** (:func:`truce_survival`). Curated: extension chains watched
for the first strike on their declared counterparts (:func:`analysis.survival.chain_subjects`),
with the competing outcome expiry, Kaplan-Meier curves, medians and a Cox model by broker bloc.
ETH/PRIO: days to the first event on each ceasefire's dyads, censored at the end of the data
(:func:`analysis.all_ceasefires_groups.first_event_survival`), curves and medians by mediator
bloc, Cox by the ceasefire's single ``broker_bloc``; ETH/PRIO end dates are often unknown, so no
expiry outcome and no cumulative-incidence split.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import contract as c
from analysis.all_ceasefires import ESTIMATED, all_ceasefire_effects
from analysis.all_ceasefires_groups import (
    effects_by_group,
    first_event_survival,
    survival_by_group,
)
from analysis.all_ceasefires_primary import primary_on_series, with_primary
from analysis.batch import batch_effects
from analysis.events import DailySeries
from analysis.pooling import pool_random_effects
from analysis.results import Result
from analysis.status import STATUS_OK, STATUS_OUTSIDE
from analysis.survival import (
    chain_subjects,
    cox_model,
    cumulative_incidence,
    kaplan_meier,
    median_survival,
)

LEVEL_CHAINS = "chains"
LEVEL_CEASEFIRES = "ceasefires"


def is_ethprio(ceasefires: pd.DataFrame) -> bool:
    """Whether a ceasefire table is an ETH/PRIO one (it carries UCDP dyad ids).

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        A table from :func:`analysis.ceasefire_table.load_ceasefire_source`.

    Returns
    -------
    bool
        True for ETH/PRIO rows, False for the curated table.
    """
    return c.CF_UCDP_DYAD_IDS in ceasefires.columns


@dataclass(frozen=True)
class BlocEffects(Result):
    """Every ceasefire's rate ratio and the pooled ratios by kind and by bloc.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per ceasefire: the columns of :func:`analysis.batch.batch_effects` (curated)
        or of :attr:`analysis.all_ceasefires.AllCeasefires.table` plus ``broker_bloc``
        (ETH/PRIO); both have estimate, ci_low, ci_high, p_value, q_value, status,
        during_start, kind and broker_bloc.
    pooled_kind : pandas.DataFrame
        Pooled ratios by kind; first column ``kind``, then the columns of
        :func:`analysis.pooling.pool_random_effects`.
    pooled_bloc : pandas.DataFrame
        Pooled ratios by bloc; first column :attr:`bloc_column`.
    bloc_column : str
        'broker_bloc' (curated) or 'mediator_blocs' (ETH/PRIO).
    outcome : str
        What each ceasefire's ratio counts, in words.
    n_estimated : int
        Ceasefires with an estimate (status ok or zero_during).
    n_outside : int
        Ceasefires outside the data (not listed in the report's table).
    n_q_below_alpha : int
        Ceasefires whose q-value is below ``fdr_alpha``.
    n_primary_estimated, n_primary_fell, n_primary_rose : int
        Ceasefires with a primary estimate, and those whose primary interval lies wholly
        below / above 1 (0 when it was not computed).
    median_primary_mde : float
        Their median smallest detectable fall (80% power).
    """

    table: pd.DataFrame
    pooled_kind: pd.DataFrame
    pooled_bloc: pd.DataFrame
    bloc_column: str
    outcome: str
    n_estimated: int
    n_outside: int
    n_q_below_alpha: int
    n_primary_estimated: int = 0
    n_primary_fell: int = 0
    n_primary_rose: int = 0
    median_primary_mde: float = float("nan")

    def to_dict(self) -> dict[str, Any]:
        """The counts and the bloc column."""
        return {
            "bloc_column": self.bloc_column,
            "n_estimated": self.n_estimated,
            "n_outside": self.n_outside,
            "n_q_below_alpha": self.n_q_below_alpha,
            "n_primary_estimated": self.n_primary_estimated,
            "n_primary_fell": self.n_primary_fell,
            "n_primary_rose": self.n_primary_rose,
            "median_primary_mde": self.median_primary_mde,
        }


def _pooled(groups: pd.DataFrame, grouping: str) -> pd.DataFrame:
    """One grouping of :func:`effects_by_group`, its group column renamed to the grouping."""
    part = groups[groups["grouping"] == grouping].drop(columns="grouping")
    return part.rename(columns={"group": grouping}).reset_index(drop=True)


def ceasefire_effects_by_bloc(
    series: DailySeries,
    ceasefires: pd.DataFrame,
    *,
    pre_days: int = 90,
    max_during_days: int = 180,
    chain: bool = False,
    fdr_alpha: float = 0.05,
    primary: bool = False,
) -> BlocEffects:
    """Every ceasefire's rate ratio during / before, pooled by kind and by bloc.

    Curated table: one national series for every ceasefire (:func:`analysis.batch.
    batch_effects`), pooled by broker bloc. ETH/PRIO table: each ceasefire on its own dyads
    (:func:`analysis.all_ceasefires.all_ceasefire_effects`), pooled by mediator bloc with
    continuity-corrected log ratios (:func:`analysis.all_ceasefires_groups.effects_by_group`).

    Parameters
    ----------
    series : analysis.events.DailySeries
        The events counted (``daily`` for the curated table, ``selected`` for ETH/PRIO).
    ceasefires : pandas.DataFrame
        A table from :func:`analysis.ceasefire_table.load_ceasefire_source`.
    pre_days, max_during_days, chain, fdr_alpha : int, int, bool, float
        As in :func:`analysis.batch.batch_effects`.
    primary : bool, default False
        Add the primary estimate of every ceasefire on the same series
        (:func:`analysis.all_ceasefires_primary.primary_on_series` on the national series,
        :func:`analysis.all_ceasefires_primary.with_primary` on each one's dyads; 0.05-0.5 s
        per ceasefire).

    Returns
    -------
    BlocEffects
        Per-ceasefire table, pooled tables and counts.
    """
    if not is_ethprio(ceasefires):
        table = batch_effects(
            series.daily,
            ceasefires,
            pre_days=pre_days,
            max_during_days=max_during_days,
            chain=chain,
            fdr_alpha=fdr_alpha,
        )
        table = pd.concat(
            [table, primary_on_series(series.daily, table, compute=primary, progress=primary)],
            axis=1,
        )
        pooled_kind = pool_random_effects(table, c.CF_KIND)
        pooled_bloc = pool_random_effects(table, c.CF_BROKER_BLOC)
        bloc_column = c.CF_BROKER_BLOC
        outcome = "all events of the series, nationwide, for every ceasefire"
    else:
        effects = all_ceasefire_effects(
            series.selected,
            ceasefires,
            first_day=series.first_day,
            last_day=series.last_day,
            pre_days=pre_days,
            max_during_days=max_during_days,
            chain=chain,
            fdr_alpha=fdr_alpha,
        )
        effects = with_primary(
            effects, series.selected, ceasefires, chain=chain, compute=primary, progress=primary
        )
        blocs = ceasefires.set_index(ceasefires[c.CF_ID].astype(str))[c.CF_BROKER_BLOC]
        table = effects.table.assign(
            **{c.CF_BROKER_BLOC: effects.table[c.CF_ID].map(blocs).fillna("none")}
        )
        groups = effects_by_group(table, (c.CF_KIND, c.CF_MEDIATOR_BLOCS))
        pooled_kind = _pooled(groups, c.CF_KIND)
        pooled_bloc = _pooled(groups, c.CF_MEDIATOR_BLOCS)
        bloc_column = c.CF_MEDIATOR_BLOCS
        outcome = "the events on each ceasefire's own UCDP dyads, all sides"
    return BlocEffects(
        table=table,
        pooled_kind=pooled_kind,
        pooled_bloc=pooled_bloc,
        bloc_column=bloc_column,
        outcome=outcome,
        n_estimated=int(table["status"].isin(ESTIMATED).sum()),
        n_outside=int((table["status"] == STATUS_OUTSIDE).sum()),
        n_q_below_alpha=int((table["q_value"] < fdr_alpha).sum()),
        **_primary_counts(table),
    )


def _primary_counts(table: pd.DataFrame) -> dict[str, Any]:
    """n_primary_estimated / _fell / _rose and median_primary_mde of a table's primary
    columns."""
    done = table["primary_status"].isin(ESTIMATED)
    return {
        "n_primary_estimated": int(done.sum()),
        "n_primary_fell": int((done & (table["primary_ci_high"] < 1)).sum()),
        "n_primary_rose": int((done & (table["primary_ci_low"] > 1)).sum()),
        "median_primary_mde": float(table.loc[done, "primary_mde"].median()),
    }


@dataclass(frozen=True)
class TruceSurvival(Result):
    """How long truces held, by bloc, for either ceasefire table.

    Attributes
    ----------
    level : str
        'chains' (curated: extension chains, first strike on declared counterparts) or
        'ceasefires' (ETH/PRIO: each ceasefire, first event on its dyads).
    subjects : pandas.DataFrame
        :func:`analysis.survival.chain_subjects` or
        :func:`analysis.all_ceasefires_groups.first_event_survival` (status, duration_days,
        broke_down, reason, ...).
    km : pandas.DataFrame
        Kaplan-Meier curves by bloc (group, time, survival, ci_low, ci_high, n_risk).
    incidence : pandas.DataFrame
        Cumulative incidence of breakdown and expiry by bloc
        (:func:`analysis.survival.cumulative_incidence`); empty for ETH/PRIO (see note).
    medians : pandas.DataFrame
        Median days held by bloc (group, n, breakdowns, median_days).
    cox : pandas.DataFrame
        :func:`analysis.survival.cox_model` by broker bloc against unbrokered truces; empty
        when no bloc varies among the usable truces.
    bloc_column : str
        What the curves group by ('broker_bloc' or 'mediator_blocs').
    note : str
        What was measured, and what is not available, in words.
    n_estimable : int
        Subjects with status 'ok'.
    n_not_estimable : int
        The others (each with a reason).
    """

    level: str
    subjects: pd.DataFrame
    km: pd.DataFrame
    incidence: pd.DataFrame
    medians: pd.DataFrame
    cox: pd.DataFrame
    bloc_column: str
    note: str
    n_estimable: int
    n_not_estimable: int


def _cox_by_broker(subjects: pd.DataFrame) -> pd.DataFrame:
    """Cox model by broker bloc against unbrokered truces, empty when the bloc never varies."""
    usable = subjects[(subjects["status"] == STATUS_OK) & subjects["duration_days"].notna()]
    if usable[c.CF_BROKER_BLOC].nunique() < 2:
        return pd.DataFrame(
            columns=["term", "hazard_ratio", "ci_low", "ci_high", "p_value", "n", "events"]
        )
    return cox_model(subjects, (c.CF_BROKER_BLOC,), reference={c.CF_BROKER_BLOC: "none"})


def truce_survival(
    ceasefires: pd.DataFrame, series: DailySeries, *, chain: bool = False
) -> TruceSurvival:
    """Survival until the first strike (curated chains) or first event (ETH/PRIO ceasefires).

    Parameters
    ----------
    ceasefires : pandas.DataFrame
        A table from :func:`analysis.ceasefire_table.load_ceasefire_source`.
    series : analysis.events.DailySeries
        The events counted (``selected``, ``first_day`` and ``last_day`` are used).
    chain : bool, default False
        For ETH/PRIO, one subject per extension chain (curated subjects are always chains).

    Returns
    -------
    TruceSurvival
        Subjects, curves, medians, Cox model and (curated only) cumulative incidence.
    """
    if not is_ethprio(ceasefires):
        subjects = chain_subjects(ceasefires, series.selected, series.first_day, series.last_day)
        bloc_column = c.CF_BROKER_BLOC
        km = kaplan_meier(subjects, by=bloc_column)
        incidence = cumulative_incidence(subjects, by=bloc_column)
        medians = median_survival(subjects, by=bloc_column)
        level = LEVEL_CHAINS
        note = (
            "Extension chains, until the first strike on their declared counterparts; expiry "
            "without a strike is a competing outcome."
        )
    else:
        subjects = first_event_survival(
            series.selected,
            ceasefires,
            first_day=series.first_day,
            last_day=series.last_day,
            chain=chain,
        )
        blocs = ceasefires.set_index(ceasefires[c.CF_ID].astype(str))[c.CF_BROKER_BLOC]
        subjects[c.CF_BROKER_BLOC] = subjects[c.CF_ID].astype(str).map(blocs).fillna("none")
        bloc_column = c.CF_MEDIATOR_BLOCS
        grouped = survival_by_group(subjects, bloc_column)
        km, medians = grouped.km, grouped.medians
        incidence = pd.DataFrame(
            columns=["group", "time", "n_risk", "breakdown", "expired", "survival"]
        )
        level = LEVEL_CEASEFIRES
        note = (
            "ETH/PRIO ceasefires, until the first event on their UCDP dyads, censored at the "
            "end of the events data; no cumulative incidence of expiry (end dates are often "
            "unknown); the Cox model uses each ceasefire's single broker_bloc."
        )
    ok = subjects["status"] == STATUS_OK
    return TruceSurvival(
        level=level,
        subjects=subjects,
        km=km,
        incidence=incidence,
        medians=medians,
        cox=_cox_by_broker(subjects),
        bloc_column=bloc_column,
        note=note,
        n_estimable=int(ok.sum()),
        n_not_estimable=int((~ok).sum()),
    )
