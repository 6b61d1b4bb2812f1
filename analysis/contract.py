"""The data contract: every table's columns, dtypes, allowed values and meanings.

This module is the single owner of column names. Loaders, panel builders, statistics and
notebooks import the names from here instead of spelling them out, so a renamed column is a
one-line change and a file that breaks the contract fails loudly, naming file, column and rows.
"""

from __future__ import annotations

from analysis.contract_base import (  # noqa: F401  re-exported: import them from here
    DTYPE_DATE,
    DTYPE_FLOAT,
    DTYPE_INT,
    DTYPE_STRING,
    PANDAS_DTYPES,
    ColumnSpec,
    DataContractError,
    TableSpec,
    empty_frame,
    pandera_schema,
)

# --- Controlled vocabularies -------------------------------------------------------------

CEASEFIRE_KINDS = ("unilateral", "bilateral", "multilateral")
BLOCS = ("China", "Russia", "India", "Japan", "ASEAN", "West", "other")
BROKER_BLOCS = ("none", *BLOCS)
TRIGGERS = ("negotiation", "covid", "election", "earthquake", "humanitarian", "other")
DECLARER_SIDES = ("state", "non_state", "both")
DATE_PRECISIONS = ("day", "week", "month", "year")
DIPLOMATIC_KINDS = (
    "state_visit",
    "bilateral_meeting",
    "summit",
    "brokered_talks",
    "arms_deal",
    "other",
)
REPORTED_MEASURES = (
    "air_strikes",
    "aerial_attacks",
    "attacks_all_types",
    "days_with_air_strikes",
    "civilian_casualties_only",
)
ACTOR_SIDES = ("state", "resistance", "ethnic_armed_organisation", "militia", "civilians", "other")
EVENT_CATEGORIES = (
    "air_drone_strike",
    "shelling",
    "armed_clash",
    "one_sided_violence",
    "non_state_conflict",
    "remote_violence_other",
    "other",
)
EVENT_SOURCES = ("ucdp_daily", "ucdp_ged", "ucdp_candidate", "acled")
FREQUENCIES = {"D": "D", "W": "W-MON", "M": "MS"}
"""Panel frequencies accepted by notebooks, mapped to the pandas offset that labels each
period by its first day (weeks start on Monday), so periods line up with ceasefire dates."""

MEDIATOR_BLOCS = ("none", "unknown", "UN", "OSCE", "Russia", "China", "West", "regional", "other")
"""Blocs of a ceasefire's mediators (data/curated/mediator_blocs.csv): 'none' when the
ceasefire was not mediated, 'unknown' when the source cannot tell, 'other' for a mediator the
bloc table does not list."""
CEASEFIRE_PURPOSES = ("humanitarian", "peace_process", "holiday", "election", "other", "unclear")
"""Purposes the ETH/PRIO ceasefire dataset flags (its p_* columns), in the file's order."""
CEASEFIRE_CLASSES = {1: "cessation of hostilities", 2: "with compliance mechanism", 3: "definitive"}
"""ETH/PRIO ``ceasefire_class`` codes and their names."""
ETHPRIO_PRECISIONS = ("day", "month", "year")
"""Precision of an ETH/PRIO date: its day (or day and month) may be coded unknown (-1)."""

LIST_SEPARATOR = ";"
"""Separator inside list-valued text cells (actor lists, alliance memberships)."""

# --- Column specifications ---------------------------------------------------------------


def _url(name: str = "source_url") -> ColumnSpec:
    return ColumnSpec(
        name,
        DTYPE_STRING,
        "Public web page that states this row's facts (http or https).",
    )


# Ceasefires ---------------------------------------------------------------------------------
CF_ID = "ceasefire_id"
CF_DECLARED_ON = "declared_on"
CF_DATE_PRECISION = "date_precision"
CF_EFFECTIVE_FROM = "effective_from"
CF_EFFECTIVE_TO = "effective_to"
CF_DECLARED_BY = "declared_by"
CF_DECLARER_SIDE = "declarer_side"
CF_COUNTERPARTY = "counterparty"
CF_COUNTERPART_IDS = "counterpart_ids"
COUNTERPARTS_ALL = "all"
"""``counterpart_ids`` value of a national declaration addressed to every armed group."""
CF_KIND = "kind"
CF_BROKER = "broker"
CF_BROKER_BLOC = "broker_bloc"
CF_TRIGGER = "trigger"
CF_EXTENDS = "extends"
CF_SCOPE = "scope"
CF_SOURCE_URL = "source_url"
CF_NOTE = "note"

CEASEFIRES = TableSpec(
    "ceasefires",
    "Ceasefire declarations, extensions and brokered truces, one row per announcement.",
    (
        ColumnSpec(CF_ID, DTYPE_STRING, "Unique slug: declarer-scope-year[-month].", unique=True),
        ColumnSpec(
            CF_DECLARED_ON,
            DTYPE_DATE,
            "Date the ceasefire was announced (1st of the month when date_precision=month).",
            nullable=True,
        ),
        ColumnSpec(
            CF_DATE_PRECISION,
            DTYPE_STRING,
            "Precision of declared_on; blank when declared_on is unknown.",
            nullable=True,
            allowed=DATE_PRECISIONS,
        ),
        ColumnSpec(
            CF_EFFECTIVE_FROM,
            DTYPE_DATE,
            "First day the ceasefire applied; blank when no source states it.",
            nullable=True,
        ),
        ColumnSpec(
            CF_EFFECTIVE_TO,
            DTYPE_DATE,
            "Last day the ceasefire applied; blank for open-ended or unknown ends.",
            nullable=True,
        ),
        ColumnSpec(CF_DECLARED_BY, DTYPE_STRING, "Party or parties that declared it, as sourced."),
        ColumnSpec(
            CF_DECLARER_SIDE,
            DTYPE_STRING,
            "state = Myanmar military alone; non_state = armed groups or NUG alone; "
            "both = a mutual/bilateral agreement.",
            allowed=DECLARER_SIDES,
        ),
        ColumnSpec(CF_COUNTERPARTY, DTYPE_STRING, "Who the ceasefire was addressed to."),
        ColumnSpec(
            CF_COUNTERPART_IDS,
            DTYPE_STRING,
            "The armed groups on the other side from the Myanmar military, as ';'-separated "
            "actor_id values of the actor registry (actors.csv), read from declared_by and "
            "counterparty: the targets whose strikes the ceasefire concerns. 'all' for a "
            "national declaration addressed to armed groups in general; blank where the row "
            "names none.",
            nullable=True,
        ),
        ColumnSpec(
            CF_KIND, DTYPE_STRING, "unilateral, bilateral or multilateral.", allowed=CEASEFIRE_KINDS
        ),
        ColumnSpec(CF_BROKER, DTYPE_STRING, "Named mediator, blank if none.", nullable=True),
        ColumnSpec(
            CF_BROKER_BLOC,
            DTYPE_STRING,
            "Geopolitical bloc of the broker; 'none' when unbrokered.",
            allowed=BROKER_BLOCS,
        ),
        ColumnSpec(CF_TRIGGER, DTYPE_STRING, "Stated occasion of the ceasefire.", allowed=TRIGGERS),
        ColumnSpec(
            CF_EXTENDS,
            DTYPE_STRING,
            "ceasefire_id this row extends; blank for a new ceasefire.",
            nullable=True,
        ),
        ColumnSpec(CF_SCOPE, DTYPE_STRING, "Geographic or command scope, as sourced."),
        _url(CF_SOURCE_URL),
        ColumnSpec(
            CF_NOTE, DTYPE_STRING, "Caveats and disagreements between sources.", nullable=True
        ),
    ),
)

# ETH/PRIO ceasefires: the CEASEFIRES columns plus what the ETH/PRIO file adds ----------------
CF_COUNTRY = "country"
CF_UCDP_DYAD_IDS = "ucdp_dyad_ids"
CF_UCDP_ACTOR_IDS = "ucdp_actor_ids"
CF_UCDP_CONFLICT_IDS = "ucdp_conflict_ids"
CF_EFFECTIVE_PRECISION = "effective_precision"
CF_END_PRECISION = "end_precision"
CF_CLASS = "ceasefire_class"
CF_PURPOSES = "purposes"
CF_MEDIATORS = "mediators"
CF_MEDIATOR_BLOCS = "mediator_blocs"
CF_ENDED = "ended"
CF_N_DECLARING = "n_declaring_actors"
CF_DECLARING_SIDES = "declaring_sides"


def _listed(name: str, meaning: str) -> ColumnSpec:
    return ColumnSpec(name, DTYPE_STRING, meaning, nullable=True)


ETHPRIO_EXTRA = (
    ColumnSpec(CF_COUNTRY, DTYPE_STRING, "ETH/PRIO location: UCDP's country name."),
    _listed(CF_UCDP_DYAD_IDS, "';'-joined UCDP dyad ids (GED dyad_new_id); blank: none (-1)."),
    _listed(CF_UCDP_ACTOR_IDS, "';'-joined UCDP actor ids of the declaring actors."),
    _listed(CF_UCDP_CONFLICT_IDS, "';'-joined UCDP conflict ids (ucdp_acd_id)."),
    ColumnSpec(
        CF_EFFECTIVE_PRECISION,
        DTYPE_STRING,
        "Precision of effective_from.",
        nullable=True,
        allowed=ETHPRIO_PRECISIONS,
    ),
    ColumnSpec(
        CF_END_PRECISION,
        DTYPE_STRING,
        "Precision of effective_to; blank when no end is known.",
        nullable=True,
        allowed=ETHPRIO_PRECISIONS,
    ),
    ColumnSpec(
        CF_CLASS,
        DTYPE_INT,
        ", ".join(f"{code} {name}" for code, name in CEASEFIRE_CLASSES.items()) + "; blank if -1.",
        nullable=True,
        min_value=1,
        max_value=3,
    ),
    _listed(CF_PURPOSES, "';'-joined purposes flagged by the p_* columns (CEASEFIRE_PURPOSES)."),
    _listed(CF_MEDIATORS, "';'-joined mediator_send names; blank: none; 'unknown': coded -1."),
    ColumnSpec(CF_MEDIATOR_BLOCS, DTYPE_STRING, "';'-joined MEDIATOR_BLOCS of the mediators."),
    ColumnSpec(
        CF_ENDED, DTYPE_INT, "ETH/PRIO ended code as published; blank if -1.", nullable=True
    ),
    ColumnSpec(CF_N_DECLARING, DTYPE_INT, "Actor rows of the ceasefire.", min_value=1),
    _listed(CF_DECLARING_SIDES, "';'-joined ETH/PRIO side codes of its actor rows, sorted."),
)
"""Columns an ETH/PRIO ceasefire table carries beyond CEASEFIRES."""

ETHPRIO_CEASEFIRES = TableSpec(
    "ethprio_ceasefires",
    "ETH/PRIO Civil Conflict Ceasefire Dataset grouped to one row per ceasefire (uniq_id): "
    "the CEASEFIRES columns, so every analysis of the curated table applies, plus UCDP ids, "
    "date precisions, class, purposes, mediators and how it ended.",
    CEASEFIRES.columns + ETHPRIO_EXTRA,
)

# Mediator blocs (data/curated/mediator_blocs.csv) ------------------------------------------------
MB_MEDIATOR = "mediator"
MB_BLOC = "bloc"
MB_SOURCE_URL = "source_url"
MB_NOTE = "note"

MEDIATOR_BLOC_TABLE = TableSpec(
    "mediator_blocs",
    "Mediator names as ETH/PRIO's mediator_send writes them, and the bloc each belongs to.",
    (
        ColumnSpec(MB_MEDIATOR, DTYPE_STRING, "Mediator name as written in the file.", unique=True),
        ColumnSpec(MB_BLOC, DTYPE_STRING, "Its bloc.", allowed=MEDIATOR_BLOCS),
        _url(MB_SOURCE_URL),
        _listed(MB_NOTE, "Why this bloc."),
    ),
)

# Diplomatic events ---------------------------------------------------------------------------
DE_ID = "event_id"
DE_DATE_START = "date_start"
DE_DATE_END = "date_end"
DE_DATE_PRECISION = "date_precision"
DE_ACTOR = "actor"
DE_COUNTERPART_COUNTRY = "counterpart_country"
DE_BLOC = "bloc"
DE_KIND = "kind"
DE_PLACE = "place"
DE_SOURCE_URL = "source_url"
DE_NOTE = "note"

DIPLOMATIC_EVENTS = TableSpec(
    "diplomatic_events",
    "Dated external engagements of Myanmar's military leadership and brokered talks.",
    (
        ColumnSpec(DE_ID, DTYPE_STRING, "Unique slug: bloc-what-place-yyyy-mm.", unique=True),
        ColumnSpec(
            DE_DATE_START, DTYPE_DATE, "First day of the event (1st of month if month precision)."
        ),
        ColumnSpec(
            DE_DATE_END,
            DTYPE_DATE,
            "Last day; equals date_start for one-day events; blank when no end is sourced.",
            nullable=True,
        ),
        ColumnSpec(
            DE_DATE_PRECISION, DTYPE_STRING, "Precision of date_start.", allowed=DATE_PRECISIONS
        ),
        ColumnSpec(DE_ACTOR, DTYPE_STRING, "Who from Myanmar's side took part, as sourced."),
        ColumnSpec(DE_COUNTERPART_COUNTRY, DTYPE_STRING, "Country (or forum) engaged."),
        ColumnSpec(DE_BLOC, DTYPE_STRING, "Geopolitical bloc of the counterpart.", allowed=BLOCS),
        ColumnSpec(DE_KIND, DTYPE_STRING, "What kind of engagement.", allowed=DIPLOMATIC_KINDS),
        ColumnSpec(DE_PLACE, DTYPE_STRING, "Where it took place.", nullable=True),
        _url(DE_SOURCE_URL),
        ColumnSpec(DE_NOTE, DTYPE_STRING, "Context and caveats.", nullable=True),
    ),
)

# Reported strike counts ----------------------------------------------------------------------
RC_ID = "count_id"
RC_PERIOD_START = "period_start"
RC_PERIOD_END = "period_end"
RC_STRIKES = "strikes"
RC_CIVILIAN_DEATHS = "civilian_deaths"
RC_INJURED = "injured"
RC_REPORTER = "reporter"
RC_MONITOR = "monitor"
RC_MEASURE = "measure"
RC_MEASURE_KIND = "measure_kind"
RC_SCOPE = "scope"
RC_SOURCE_URL = "source_url"
RC_NOTE = "note"

REPORTED_COUNTS = TableSpec(
    "reported_strike_counts",
    "Published aggregate counts of military air strikes over stated periods. Counts with "
    "different measure_kind values count different things and are never added together.",
    (
        ColumnSpec(RC_ID, DTYPE_STRING, "Unique slug: monitor-start-end.", unique=True),
        ColumnSpec(RC_PERIOD_START, DTYPE_DATE, "First day covered by the count."),
        ColumnSpec(
            RC_PERIOD_END,
            DTYPE_DATE,
            "Last day covered; blank when the source gives no end (open 'since' counts).",
            nullable=True,
        ),
        ColumnSpec(
            RC_STRIKES, DTYPE_INT, "Count of what measure describes.", nullable=True, min_value=0
        ),
        ColumnSpec(
            RC_CIVILIAN_DEATHS, DTYPE_INT, "Civilians reported killed.", nullable=True, min_value=0
        ),
        ColumnSpec(RC_INJURED, DTYPE_INT, "People reported injured.", nullable=True, min_value=0),
        ColumnSpec(RC_REPORTER, DTYPE_STRING, "Who published the count, as cited."),
        ColumnSpec(RC_MONITOR, DTYPE_STRING, "Normalised organisation name behind the count."),
        ColumnSpec(RC_MEASURE, DTYPE_STRING, "What was counted, in the source's words."),
        ColumnSpec(
            RC_MEASURE_KIND,
            DTYPE_STRING,
            "Normalised measure; only counts with the same measure_kind are comparable.",
            allowed=REPORTED_MEASURES,
        ),
        ColumnSpec(RC_SCOPE, DTYPE_STRING, "Geographic scope, as sourced."),
        _url(RC_SOURCE_URL),
        ColumnSpec(RC_NOTE, DTYPE_STRING, "Caveats.", nullable=True),
    ),
)

# Date claims (alternative dates that sources give for a ceasefire or diplomatic row) ----------
DC_ID = "claim_id"
DC_TABLE = "table"
DC_ROW_ID = "row_id"
DC_FIELD = "field"
DC_DATE = "date"
DC_PRECISION = "precision"
DC_SOURCE_URL = "source_url"
DC_NOTE = "note"

CLAIMABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "ceasefires": (CF_DECLARED_ON, CF_EFFECTIVE_FROM, CF_EFFECTIVE_TO),
    "diplomatic_events": (DE_DATE_START, DE_DATE_END),
}
"""Per table a claim may name: the date columns a claim may give another value for."""

CLAIM_ROW_IDS = {"ceasefires": CF_ID, "diplomatic_events": DE_ID}
"""Per claimable table: the id column a claim's row_id refers to."""

CLAIM_PRECISION_FIELDS = {
    ("ceasefires", CF_DECLARED_ON): CF_DATE_PRECISION,
    ("diplomatic_events", DE_DATE_START): DE_DATE_PRECISION,
}
"""The precision column that travels with a claimed date, where its table has one."""

DATE_CLAIMS = TableSpec(
    "date_claims",
    "Dates sources give for one field of a ceasefire or diplomatic row, one row per source; "
    "the curated row keeps the default chosen by the rule in data/README.md.",
    (
        ColumnSpec(DC_ID, DTYPE_STRING, "Unique slug: row_id/field/outlet.", unique=True),
        ColumnSpec(
            DC_TABLE,
            DTYPE_STRING,
            "Curated table of the row the claim is about.",
            allowed=tuple(CLAIMABLE_FIELDS),
        ),
        ColumnSpec(DC_ROW_ID, DTYPE_STRING, "ceasefire_id or event_id of that row."),
        ColumnSpec(
            DC_FIELD,
            DTYPE_STRING,
            "Date column the claim is about (declared_on, effective_from, effective_to; "
            "date_start, date_end).",
        ),
        ColumnSpec(DC_DATE, DTYPE_DATE, "The date the source gives (1st of month if month)."),
        ColumnSpec(
            DC_PRECISION, DTYPE_STRING, "Precision of the claimed date.", allowed=DATE_PRECISIONS
        ),
        _url(DC_SOURCE_URL),
        ColumnSpec(
            DC_NOTE, DTYPE_STRING, "What the source says and how it was read.", nullable=True
        ),
    ),
)

# UCDP GED daily aggregate (bundled) ----------------------------------------------------------
UD_DATE = "date"
UD_ADM_1 = "adm_1"
UD_TYPE_OF_VIOLENCE = "type_of_violence"
UD_SIDE_A = "side_a"
UD_SIDE_B = "side_b"
UD_EVENTS = "events"
UD_DEATHS_BEST = "deaths_best"
UD_DEATHS_CIVILIANS = "deaths_civilians"

UCDP_DAILY = TableSpec(
    "ucdp_ged_myanmar_daily",
    "UCDP GED Myanmar events aggregated per day x adm_1 x type_of_violence x side_a x side_b.",
    (
        ColumnSpec(UD_DATE, DTYPE_DATE, "GED date_start of the events."),
        ColumnSpec(
            UD_ADM_1,
            DTYPE_STRING,
            "GED adm_1 as published (inconsistent spellings).",
            nullable=True,
        ),
        ColumnSpec(
            UD_TYPE_OF_VIOLENCE,
            DTYPE_INT,
            "1 state-based, 2 non-state, 3 one-sided violence.",
            min_value=1,
            max_value=3,
        ),
        ColumnSpec(
            UD_SIDE_A,
            DTYPE_STRING,
            "GED side_a: the government in state-based conflict, the perpetrator in one-sided "
            "violence (not necessarily who started a clash).",
        ),
        ColumnSpec(UD_SIDE_B, DTYPE_STRING, "GED side_b."),
        ColumnSpec(UD_EVENTS, DTYPE_INT, "Number of GED events in the cell.", min_value=1),
        ColumnSpec(UD_DEATHS_BEST, DTYPE_INT, "Sum of GED best death estimates.", min_value=0),
        ColumnSpec(UD_DEATHS_CIVILIANS, DTYPE_INT, "Sum of GED civilian deaths.", min_value=0),
    ),
)

# Canonical events (every source maps here) ---------------------------------------------------
EV_ID = "event_id"
EV_SOURCE = "source"
EV_DATE = "date"
EV_DATE_PRECISION = "date_precision"
EV_ACTOR = "actor"
EV_ACTOR_RAW = "actor_raw"
EV_ACTOR_SIDE = "actor_side"
EV_TARGET = "target"
EV_TARGET_RAW = "target_raw"
EV_TARGET_SIDE = "target_side"
EV_ADMIN1 = "admin1"
EV_LATITUDE = "latitude"
EV_LONGITUDE = "longitude"
EV_CATEGORY = "category"
EV_EVENTS = "events"
EV_FATALITIES = "fatalities"
EV_CIVILIAN_FATALITIES = "civilian_fatalities"
EV_DYAD = "dyad_id"
EV_COUNTRY = "country"

EVENTS = TableSpec(
    "events",
    "Canonical event table: one row per event (or per aggregated cell for the bundled UCDP "
    "daily file, with events > 1), whatever the source.",
    (
        ColumnSpec(
            EV_ID, DTYPE_STRING, "Source-prefixed event id, unique within a table.", unique=True
        ),
        ColumnSpec(
            EV_SOURCE, DTYPE_STRING, "Which dataset the row came from.", allowed=EVENT_SOURCES
        ),
        ColumnSpec(EV_DATE, DTYPE_DATE, "Event day (UCDP: date_start; ACLED: event_date)."),
        ColumnSpec(
            EV_DATE_PRECISION, DTYPE_STRING, "How precise date is.", allowed=DATE_PRECISIONS
        ),
        ColumnSpec(EV_ACTOR, DTYPE_STRING, "Canonical initiating actor (actor registry)."),
        ColumnSpec(EV_ACTOR_RAW, DTYPE_STRING, "Initiating actor as written in the source."),
        ColumnSpec(
            EV_ACTOR_SIDE, DTYPE_STRING, "Side of the initiating actor.", allowed=ACTOR_SIDES
        ),
        ColumnSpec(EV_TARGET, DTYPE_STRING, "Canonical target actor.", nullable=True),
        ColumnSpec(EV_TARGET_RAW, DTYPE_STRING, "Target as written in the source.", nullable=True),
        ColumnSpec(
            EV_TARGET_SIDE, DTYPE_STRING, "Side of the target.", nullable=True, allowed=ACTOR_SIDES
        ),
        ColumnSpec(EV_ADMIN1, DTYPE_STRING, "Normalised state/region name; 'Unknown' if blank."),
        ColumnSpec(
            EV_LATITUDE, DTYPE_FLOAT, "WGS84 latitude.", nullable=True, min_value=-90, max_value=90
        ),
        ColumnSpec(
            EV_LONGITUDE,
            DTYPE_FLOAT,
            "WGS84 longitude.",
            nullable=True,
            min_value=-180,
            max_value=180,
        ),
        ColumnSpec(EV_CATEGORY, DTYPE_STRING, "Kind of violence.", allowed=EVENT_CATEGORIES),
        ColumnSpec(
            EV_EVENTS,
            DTYPE_INT,
            "Events represented by the row (1 for event-level data).",
            min_value=1,
        ),
        ColumnSpec(EV_FATALITIES, DTYPE_INT, "Best fatality estimate.", min_value=0),
        ColumnSpec(
            EV_CIVILIAN_FATALITIES,
            DTYPE_INT,
            "Civilian fatalities where the source separates them.",
            nullable=True,
            min_value=0,
        ),
        ColumnSpec(
            EV_DYAD,
            DTYPE_STRING,
            "UCDP dyad id (GED dyad_new_id) of the event; blank for other sources.",
            nullable=True,
        ),
        ColumnSpec(
            EV_COUNTRY,
            DTYPE_STRING,
            "Country as the source names it (GED country); blank where the source has none.",
            nullable=True,
        ),
    ),
)

# Panel (built from events) --------------------------------------------------------------------
PN_PERIOD = "period"
PN_GROUP = "group"
PN_EVENTS = "events"
PN_FATALITIES = "fatalities"
PANEL_ALL_GROUP = "all"
"""Group label used when a panel is not split by any grouping column."""

PANEL = TableSpec(
    "panel",
    "Zero-filled counts per period (D/W/M) and group; every period x group cell is present.",
    (
        ColumnSpec(PN_PERIOD, DTYPE_DATE, "First day of the period."),
        ColumnSpec(PN_GROUP, DTYPE_STRING, "Value of the grouping column, or 'all'."),
        ColumnSpec(PN_EVENTS, DTYPE_INT, "Events in the cell (0 when none).", min_value=0),
        ColumnSpec(PN_FATALITIES, DTYPE_INT, "Fatalities in the cell (0 when none).", min_value=0),
    ),
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        CEASEFIRES,
        DIPLOMATIC_EVENTS,
        REPORTED_COUNTS,
        DATE_CLAIMS,
        ETHPRIO_CEASEFIRES,
        MEDIATOR_BLOC_TABLE,
        UCDP_DAILY,
        EVENTS,
        PANEL,
    )
}

# Actor registry (data/curated/actors.csv) ------------------------------------------------------
AC_ID = "actor_id"
AC_ALIASES = "aliases"
AC_SIDE = "side"
AC_ALLIANCE = "alliance"
AC_PATRON = "patron_or_broker_ties"
AC_SOURCE_URL = "source_url"
AC_NOTE = "note"
ACTOR_REGEX_PREFIX = "re:"
"""An alias starting with this prefix is a regular expression matched against the start of a
raw actor name (case-sensitive), e.g. 're:Military Forces of Myanmar \\(' for every period and
sub-unit of the state armed forces as ACLED writes them."""

ACTORS = TableSpec(
    "actors",
    "Actor registry: canonical actors, the raw names sources use for them, and their side.",
    (
        ColumnSpec(
            AC_ID, DTYPE_STRING, "Canonical short actor name used in analyses.", unique=True
        ),
        ColumnSpec(
            AC_ALIASES,
            DTYPE_STRING,
            "';'-separated raw names exactly as ACLED/UCDP write them; 're:' marks a regex "
            "matched at the start of the name. The actor_id itself always matches too.",
            nullable=True,
        ),
        ColumnSpec(AC_SIDE, DTYPE_STRING, "Side of the actor.", allowed=ACTOR_SIDES),
        ColumnSpec(
            AC_ALLIANCE, DTYPE_STRING, "';'-separated alliances, as sourced.", nullable=True
        ),
        ColumnSpec(
            AC_PATRON,
            DTYPE_STRING,
            "External patrons or brokers of talks, as sourced.",
            nullable=True,
        ),
        _url(AC_SOURCE_URL),
        ColumnSpec(AC_NOTE, DTYPE_STRING, "Caveats, matching rules, extra sources.", nullable=True),
    ),
)
TABLES[ACTORS.name] = ACTORS

ACLED_INTER_SIDES = {
    1: "state",
    2: "other",
    3: "militia",
    4: "militia",
    5: "other",
    6: "other",
    7: "civilians",
    8: "other",
}
"""Fallback side from ACLED's inter1/inter2 actor-type codes (1 State forces, 2 Rebel group,
3 Political militia, 4 Identity militia, 5 Rioters, 6 Protesters, 7 Civilians, 8 External/Other
forces), used only for actors the registry does not know. Rebel groups stay 'other' because the
code does not tell a resistance force from an ethnic armed organisation."""

ACLED_INTER_LABELS = {
    "state forces": 1,
    "rebel group": 2,
    "political militia": 3,
    "identity militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
}
"""Lower-case text labels of ACLED inter codes, as newer exports write them."""

UCDP_DATE_PREC_PRECISION = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}
"""UCDP GED date_prec (1 exact day; 2 a span of 2-6 days; 3 week known; 4 month known or a
span of 8-30 days; 5 year known or a longer span) -> canonical date_precision."""

ACLED_TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
"""ACLED time_precision (1 day, 2 week or a few days, 3 month) -> canonical date_precision."""

# --- Admin-1 normalisation ---------------------------------------------------------------------

ADMIN1_UNKNOWN = "Unknown"
ADMIN1_CANONICAL = (
    "Ayeyarwady",
    "Bago",
    "Chin",
    "Kachin",
    "Kayah",
    "Kayin",
    "Magway",
    "Mandalay",
    "Mon",
    "Naypyidaw",
    "Rakhine",
    "Sagaing",
    "Shan",
    "Tanintharyi",
    "Yangon",
)
ADMIN1_ALIASES = {
    # Older or alternative English names used by UCDP, ACLED and the press.
    "karen": "Kayin",
    "karenni": "Kayah",
    "magwe": "Magway",
    "arakan": "Rakhine",
    "tenasserim": "Tanintharyi",
    "irrawaddy": "Ayeyarwady",
    "pegu": "Bago",
    "rangoon": "Yangon",
    "nay pyi taw": "Naypyidaw",
    "naypyitaw": "Naypyidaw",
    "naypyidaw": "Naypyidaw",
}
"""Lower-case alias -> canonical state/region. Suffixes such as 'state', 'region', 'division',
'district' and 'union territory' are stripped before the lookup (see
analysis.sources.columns.normalise_admin1)."""

ADMIN1_SUFFIXES = ("union territory", "state", "region", "division", "district")
