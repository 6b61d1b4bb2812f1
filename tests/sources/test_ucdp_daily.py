"""The bundled UCDP daily aggregate maps onto EVENTS with known state/region names."""

from __future__ import annotations

from analysis import contract as c
from analysis.sources import ucdp_daily


def test_bundled_ucdp_admin_names_collapse_to_known_units() -> None:
    events = ucdp_daily.ucdp_daily_to_events(ucdp_daily.load_ucdp_daily())
    names = set(events[c.EV_ADMIN1])
    assert names <= set(c.ADMIN1_CANONICAL) | {c.ADMIN1_UNKNOWN}
    assert len(names - {c.ADMIN1_UNKNOWN}) == 15
