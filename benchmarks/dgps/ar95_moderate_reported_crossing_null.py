"""DGP: AR 0.95, ~3 events/day, no effect, declared after a spike in the reported counts
(the first day their trailing 30-day mean reaches the 90th percentile of the two years
before: a stopping time on what the world saw, see _latent.py).

Latent AR(1) log-intensity (stationary sd 0.6), linear trend +0.15 log per year, annual
cycle (amplitude 0.3, dry-season peak in March), weekday cycle (amplitude 0.1), gamma noise
(shape 2). See _latent.py for the generator.
"""

import importlib.util
from pathlib import Path

import numpy as np

_SPEC = importlib.util.spec_from_file_location("_latent", Path(__file__).with_name("_latent.py"))
_LATENT = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_LATENT)


def simulate(rng: np.random.Generator, runs: int) -> dict:
    """Simulated series for the validation harness (see the module docstring)."""
    return _LATENT.simulate_series(
        rng,
        runs,
        latent_sd=0.6,
        trend_per_year=0.15,
        season_amplitude=0.3,
        weekday_amplitude=0.1,
        gamma_shape=2.0,
        mean=3.0,
        phi=0.95,
        true_rate_ratio=1.0,
        spike_selected=True,
        spike_rule="first_crossing_reported",
    )
