"""The ETH/PRIO Civil Conflict Ceasefire Dataset (CSV as published) -> one row per ceasefire.

The published file (Clayton et al. 2022, Journal of Conflict Resolution) has one row per
declaring actor per ceasefire; ``uniq_id`` identifies the ceasefire (country code x 1000 +
``cf_id``). Its licence is PRIO's: users download it themselves and it is never bundled.
"""

from __future__ import annotations

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
