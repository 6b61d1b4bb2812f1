"""DiD with few treated groups: size and power by simulation, the clean-control rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import contract as c
from analysis import did

GROUPS, WEEKS, WINDOW = 12, 312, 13


def _panel(
    rng: np.random.Generator, n_treated: int, effect: float
) -> tuple[pd.DataFrame, list[str], list[str], pd.Timestamp]:
    """Weekly panel: group levels, persistent group AR(1) (phi 0.9), a shared AR(1) factor,
    group trends and gamma noise; treated groups drawn at random, effect on the post window."""
    level = np.log(4.0) + rng.normal(0, 0.8, GROUPS)
    latent = np.zeros((WEEKS, GROUPS))
    common = np.zeros(WEEKS)
    for t in range(1, WEEKS):
        latent[t] = 0.9 * latent[t - 1] + rng.normal(0, 0.5 * math.sqrt(1 - 0.81), GROUPS)
        common[t] = 0.95 * common[t - 1] + rng.normal(0, 0.1)
    trend = rng.normal(0, 0.1, GROUPS) * np.arange(WEEKS)[:, None] / 52
    rate = np.exp(level + latent + common[:, None] + trend) * rng.gamma(3.0, 1 / 3, latent.shape)
    treated = rng.choice(GROUPS, n_treated, replace=False)
    event = WEEKS - 3 * WINDOW
    rate[event : event + WINDOW, treated] *= effect
    weeks = pd.date_range("2018-01-01", periods=WEEKS, freq="W-MON")
    names = [f"g{j}" for j in range(GROUPS)]
    panel = pd.DataFrame(
        {
            c.PN_PERIOD: np.repeat(weeks, GROUPS),
            c.PN_GROUP: np.tile(names, WEEKS),
            c.PN_EVENTS: rng.poisson(rate).ravel(),
        }
    )
    chosen = [names[j] for j in treated]
    return panel, chosen, [n for n in names if n not in chosen], weeks[event]


def _rejections(seed: int, n_treated: int, effect: float, runs: int, alpha: float) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(runs):  # Monte-Carlo replications
        panel, treated, controls, date = _panel(rng, n_treated, effect)
        res = did.did_space_time(panel, treated, controls, date, WINDOW, WINDOW)
        # a treated group without pre events has no test (status no_pre_events): no rejection
        assert res.status in ("ok", "no_pre_events")
        assert res.status != "ok" or res.resolution < alpha / 2
        hits += res.status == "ok" and res.p_value <= alpha
    return hits / runs


@pytest.mark.parametrize(("seed", "n_treated"), [(11, 1), (12, 1), (13, 2), (14, 2)])
def test_space_time_size_under_the_null_is_within_monte_carlo_error(
    seed: int, n_treated: int
) -> None:
    runs, alpha = 120, 0.10
    rate = _rejections(seed, n_treated, 1.0, runs, alpha)
    se = math.sqrt(alpha * (1 - alpha) / runs)
    assert abs(rate - alpha) <= 3.5 * se, rate


@pytest.mark.parametrize("n_treated", [1, 2])
def test_space_time_power_exceeds_size(n_treated: int) -> None:
    runs = 60
    null = _rejections(21, n_treated, 1.0, runs, 0.05)
    power = _rejections(22, n_treated, 0.25, runs, 0.05)
    assert power > null + 0.25, (power, null)


def test_space_time_p_has_the_stated_floor_and_an_extreme_case_reaches_it() -> None:
    rng = np.random.default_rng(3)
    panel, treated, controls, date = _panel(rng, 1, 1.0)
    after = (panel[c.PN_GROUP] == treated[0]) & (panel[c.PN_PERIOD] >= date)
    window = after & (panel[c.PN_PERIOD] < date + pd.Timedelta(weeks=WINDOW))
    panel.loc[window, c.PN_EVENTS] = 0  # the treated group falls silent: most extreme
    res = did.did_space_time(panel, treated, controls, date, WINDOW, WINDOW)
    assert res.resolution == pytest.approx(1 / (1 + res.n_pseudo))
    assert res.p_value == pytest.approx(res.resolution)
    assert res.estimate < 0.1
    assert len(res.pseudo) == res.n_pseudo


def test_synthetic_control_floor_is_one_over_placebos_plus_one() -> None:
    rng = np.random.default_rng(5)
    factor = np.exp(np.cumsum(rng.normal(0, 0.1, 80)))
    weeks = pd.date_range("2020-01-06", periods=80, freq="W-MON")
    scale = rng.uniform(5, 20, 8)
    counts = np.outer(factor, scale) * rng.uniform(0.95, 1.05, (80, 8))
    counts[60:, 0] *= 0.2  # the treated group drops by 80%
    panel = pd.DataFrame(
        {
            c.PN_PERIOD: np.repeat(weeks, 8),
            c.PN_GROUP: np.tile([f"g{j}" for j in range(8)], 80),
            c.PN_EVENTS: counts.ravel(),
        }
    )
    res = did.synthetic_control(panel, ["g0"], [f"g{j}" for j in range(1, 8)], weeks[60], 40, 20)
    assert res.n_placebos == 7 and res.resolution == pytest.approx(1 / 8)
    assert res.p_value == pytest.approx(1 / 8)
    assert 0.15 < res.estimate < 0.25
    assert res.weights["weight"].sum() == pytest.approx(1, abs=1e-3)


def _events(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    """EVENTS-like rows: (date, target, target_side, admin1, events)."""
    date, target, side, admin1, events = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            c.EV_DATE: pd.to_datetime(list(date)),
            c.EV_TARGET: list(target),
            c.EV_TARGET_SIDE: list(side),
            c.EV_ADMIN1: list(admin1),
            c.EV_EVENTS: list(events),
        }
    )


def test_clean_controls_exclude_counterparts_civilians_and_the_treated_theatre() -> None:
    eao = "ethnic_armed_organisation"
    events = _events(
        [
            ("2022-06-01", "AA", eao, "Rakhine", 10),
            ("2022-06-02", "KIA", eao, "Kachin", 5),
            ("2022-06-03", "Civilians", "civilians", "Sagaing", 20),
            ("2022-06-04", "ARSA", eao, "Rakhine", 3),
            ("2022-06-05", "KNU", eao, "Kayin", 4),
            ("2022-06-06", "NUG/PDF", "resistance", "Sagaing", 9),
            ("2015-01-01", "MTA", eao, "Shan", 1),
        ]
    )
    ceasefires = pd.DataFrame(
        {
            c.CF_ID: ["truce", "kia-talks", "national", "old"],
            c.CF_DECLARED_ON: pd.to_datetime(["2022-11-24", "2022-08-01", "2022-03-01", None]),
            c.CF_EFFECTIVE_FROM: pd.to_datetime(["2022-11-24", "2022-08-01", "2022-03-01", None]),
            c.CF_EFFECTIVE_TO: pd.to_datetime([None, "2022-09-01", "2022-12-31", None]),
            c.CF_COUNTERPART_IDS: ["AA", "KIA", "all", "KNU"],
        }
    )
    out = did.clean_controls(events, ceasefires, ["AA"], "2022-05-01", "2023-05-01")
    roles = out.table.set_index("group")
    assert roles.loc["AA", "role"] == "treated"
    assert roles.loc["KIA", "role"] == "excluded" and "kia-talks" in roles.loc["KIA", "reason"]
    assert roles.loc["Civilians", "role"] == "excluded"
    assert "civilians" in roles.loc["Civilians", "reason"]
    assert roles.loc["ARSA", "role"] == "excluded" and "Rakhine" in roles.loc["ARSA", "reason"]
    assert roles.loc["MTA", "role"] == "excluded"
    # a national 'all' declaration does not exclude anyone; an undated row blocks nothing
    assert set(out.controls) == {"KNU", "NUG/PDF"}


def test_pseudo_windows_of_a_named_party_are_dropped() -> None:
    rng = np.random.default_rng(8)
    panel, treated, controls, date = _panel(rng, 1, 1.0)
    free = did.did_space_time(panel, treated, controls, date, WINDOW, WINDOW)
    parties = pd.DataFrame(
        {
            "group": [controls[0]],
            c.CF_ID: ["x"],
            "start": [pd.Timestamp("2017-01-01")],
            "end": [pd.Timestamp("2030-01-01")],
        }
    )
    blocked = did.did_space_time(panel, treated, controls, date, WINDOW, WINDOW, parties=parties)
    assert controls[0] not in set(blocked.pseudo["groups"])
    assert controls[0] in set(free.pseudo["groups"])
    assert blocked.n_pseudo < free.n_pseudo
